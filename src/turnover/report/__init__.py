"""The report: execute the notebooks on a run's staged outputs, export one HTML page.

``build`` is the report stage of ``python -m turnover.refresh``. Modules: ``inputs`` (what a
notebook reads), ``charts`` (one chart per claim, by rule kind), ``badges``, ``provenance``
(source lines), ``show`` (a claim's section in a notebook), ``execute`` (nbclient),
``export`` (HTML), ``cache`` (reuse the last report when no input changed).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..claims import ClaimsFile
from ..paths import official_dir, data_dir, seeds_dir
from . import inputs  # light; execute/export (nbclient, nbconvert) load only when building

HTML_FILE = "reports/turnover-report.html"
NOTEBOOKS_DIR = "reports/notebooks"
# opt-in: with TURNOVER_REUSE_REPORT=1 a re-run whose inputs are unchanged skips the notebooks
REUSE_ENV = "TURNOVER_REUSE_REPORT"


@dataclass
class Report:
    html: str
    notebooks: dict[str, str]   # "NN_name.ipynb" -> executed notebook JSON
    warnings: list[str]         # "<notebook>: <stderr text>"
    reused: bool = False        # True: the previous report, its inputs unchanged


def _claims_files(claims: ClaimsFile, claims_path: Path | None) -> list[Path]:
    path = Path(claims_path) if claims_path else seeds_dir() / "claims.yaml"
    return [path, path.parent / "article.yaml", path.parent / claims.article.text_file]


def build(panel_path: Path, verdicts_path: Path, claims: ClaimsFile, claims_path: Path | None = None,
          today: dt.date | None = None, notebooks: list[Path] | None = None,
          reuse: Path | None = None) -> Report:
    """Execute every notebook against the given panel and verdicts files; return the report.

    ``reuse``: the published output folder; with ``TURNOVER_REUSE_REPORT=1`` its report is
    returned as is when it was built from exactly the same inputs (see ``cache``).
    """
    from . import cache, execute

    today = today or dt.date.today()
    notebooks = notebooks if notebooks is not None else execute.notebook_paths()
    files = [Path(panel_path), Path(verdicts_path), *_claims_files(claims, claims_path),
             official_dir() / inputs.CONTEXT_FILE, data_dir() / "manifest.yaml", *cache.report_inputs(notebooks)]
    key = cache.key(files, [today.isoformat()])
    if reuse is not None and os.environ.get(REUSE_ENV) == "1":
        hit = cache.previous(Path(reuse) / HTML_FILE, Path(reuse) / NOTEBOOKS_DIR, [p.stem for p in notebooks], key)
        if hit:
            return Report(html=hit[0], notebooks=hit[1], warnings=[], reused=True)
    return _execute_and_export(panel_path, verdicts_path, claims, claims_path, today, notebooks, key)


def _execute_and_export(panel_path, verdicts_path, claims, claims_path, today, notebooks, key) -> Report:
    import nbformat

    from . import cache, execute, export

    env = {inputs.ENV_PANEL: str(panel_path), inputs.ENV_VERDICTS: str(verdicts_path),
           inputs.ENV_TODAY: today.isoformat()}
    if claims_path:
        env[inputs.ENV_CLAIMS] = str(Path(claims_path).resolve())
    done = execute.execute_all(notebooks, env)
    warnings = [f"{ex.name}: {w.strip()}" for ex in done for w in ex.warnings]
    html = export.to_html(done, claims, today, head="" if warnings else cache.meta_tag(key))
    return Report(html=html, notebooks={f"{ex.name}.ipynb": nbformat.writes(ex.notebook) for ex in done},
                  warnings=warnings)
