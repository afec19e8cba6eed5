"""The input key of a refresh: a hash of everything its outputs depend on.

A re-run whose key equals the last published run's, and whose published files still match
their recorded sha256, has nothing to do (the refresh says so and publishes nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
from pathlib import Path

import pandas as pd

from . import atomic
from ..errors import StateError, warn
from ..paths import data_dir, notebooks_dir
from ..readers import MAX_BYTES, MAX_STATE_BYTES, read_bytes

LIBRARIES = ["pandas", "numpy", "statsmodels", "plotly", "pymannkendall", "ruptures", "markdown-it-py",
             "mdit-py-plugins"]


def _code_files() -> list[Path]:
    pkg = Path(__file__).resolve().parents[1]  # the turnover package
    return sorted(pkg.rglob("*.py")) + sorted(pkg.rglob("*.csv")) + sorted(notebooks_dir().glob("*.py"))


def input_key(panel: pd.DataFrame, claim_files: list[Path], today: dt.date) -> str:
    """sha256 over the panel's content, claims, bundled data, code, notebooks, library versions, date."""
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(panel, index=False).values.tobytes())
    h.update(",".join(panel.columns).encode())
    official = sorted((data_dir() / "official").glob("*")) + [data_dir() / "manifest.yaml",
                                                               data_dir() / "manifest_imf_dots.csv"]
    code = _code_files()
    ours = set(code)
    for p in [*claim_files, *official, *code]:
        h.update(p.name.encode())
        # the package's own files may be large (mutation testing rewrites each module into a much larger copy)
        limit = MAX_STATE_BYTES if p in ours else MAX_BYTES
        h.update(read_bytes(p, max_bytes=limit) if p.exists() else b"<missing>")
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}={importlib.metadata.version(lib)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{lib}=absent".encode())
    h.update(today.isoformat().encode())
    return h.hexdigest()


def up_to_date(out: Path, run_file: str, key: str) -> bool:
    """True when the published run has this key and every file it lists is unchanged.

    The run record, and every path it lists, is read through ``atomic.published``: inside ``out``,
    through no link but the publisher's own, a regular file of bounded size. A damaged record, or
    one naming anything else (``/dev/zero``, ``../x``, a FIFO), is one warning and means "rebuild"."""
    try:
        data = atomic.read_published(out, run_file, "run record")
        if data is None:
            return False
        try:
            record = json.loads(data)
        except ValueError:
            raise StateError(f"{out / run_file} is not valid JSON") from None
        if not isinstance(record, dict):
            raise StateError(f"{out / run_file} is not a JSON object")
        if record.get("input_key") != key:
            return False
        outputs = record.get("outputs")
        if outputs is None:
            return False
        if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
            raise StateError(f"{out / run_file}: 'outputs' is not a mapping of paths to sha256")
        for rel, digest in outputs.items():
            path = atomic.published(out, rel)
            if path is None or not os.path.lexists(path):
                return False
            if atomic.sha256_of(path, f"output listed in {run_file}", follow=False) != digest:
                return False
        return bool(outputs)
    except StateError as err:
        warn(f"{err}; rebuilding")
        return False
