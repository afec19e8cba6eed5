"""Reuse the last report when nothing it depends on has changed.

The key hashes every input of the report: the staged panel and verdicts, the claims and
article files, the bundled context facts and manifest, the notebooks, this package's code
and the plotly version. It is written into the HTML (a ``<meta>`` tag) only when the run
was clean, so a report with warnings is always rebuilt.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import plotly

META = "turnover-report-key"
_META_RE = re.compile(rf'<meta name="{META}" content="([0-9a-f]{{64}})">')


def key(files: list[Path], extra: list[str]) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(str(p.name).encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    for x in [plotly.__version__, *extra]:
        h.update(x.encode())
    return h.hexdigest()


def report_inputs(notebooks: list[Path]) -> list[Path]:
    """The code and notebook files a report depends on (besides the run's data files)."""
    here = Path(__file__).resolve().parent
    return sorted(here.glob("*.py")) + list(notebooks)


def meta_tag(k: str) -> str:
    return f'<meta name="{META}" content="{k}">'


def key_of(html_head: str) -> str | None:
    m = _META_RE.search(html_head)
    return m.group(1) if m else None


def previous(report: Path, notebooks_dir: Path, names: list[str], k: str) -> tuple[str, dict[str, str]] | None:
    """The published HTML and executed notebooks if they were built from the same key."""
    if not report.exists():
        return None
    html = report.read_text(encoding="utf-8")
    if key_of(html[:4096]) != k:
        return None
    nbs = {}
    for name in names:
        p = notebooks_dir / f"{name}.ipynb"
        if not p.exists():
            return None
        nbs[p.name] = p.read_text(encoding="utf-8")
    return html, nbs
