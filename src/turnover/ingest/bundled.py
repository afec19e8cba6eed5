"""Bundled data: every file checked before any stage runs; official series (``data/raw/``) -> panel frames.

``check``: first the manifest (each file's sha256), then each table's rows against its typed
schema, so a bad cell (``about 537``, ``952,8``, month ``2008-13``, ``published_on=soon``) stops
the run with exit 3 and one line naming the file, line and column, before anything is computed
or published. A new bundled table adds its check to ``CHECKS``; the raw series files are checked
by parsing them (``load``: a bad cell names file, sheet and row, exit 3).

``load``: bundled official series (``data/raw/``) -> panel frames, one per file.

Which files, and how each is read, is declared in ``data/manifest.yaml``: an entry with a
``loader`` is a series file; its ``source_id``/``source_kind`` name the rows, and its
``source_url`` (where the copy came from) and ``retrieved_on`` go on every row. Each file
is checked against its sha256 first, parsed by the loader of its format, dated by the
first-release rules and returned in the panel's columns. Adding a file is a manifest entry,
not code (as long as its format has a loader).

Parsing the Excel exports costs about a second, so the parsed rows are kept in
``data/cache/bundled/<key>.parquet`` (git-ignored), ``key`` hashing the manifest entries (with
each file's sha256), the first-release rules, the loaders' code and the pandas version. The
raw files' checksums are verified on every run, cache or not; a stale or unreadable cache
entry is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..publish import atomic
from . import manifest, official, releases
from ..errors import DataValidationError, StateError
from ..paths import data_dir
from ..readers import MAX_STATE_BYTES, read_bytes
from .formats import belstat_json, dots_excel, extracts
from .frame import to_panel


def _facts_validate():
    from . import facts  # the model package is heavy; only its facts table is needed here

    return facts.validate()


CHECKS: list[Callable[[], object]] = [official.validate, _facts_validate]


def check() -> None:
    """Raise ``DataValidationError`` (exit 3) on the first problem: the manifest, a file's sha256, a table."""
    manifest.check()
    for fn in CHECKS:
        fn()


def _belstat(path, e):
    return belstat_json.read(path, period=e["period"], reporter=e["reporter"], unit=e.get("unit", "thousand USD"))


LOADERS = {
    "imf_dots_xlsx": lambda path, e: dots_excel.read(path),
    "csv_extract": lambda path, e: extracts.read(path),
    "belstat_json": _belstat,
}


def series_entries(root=None) -> list[dict]:
    """Manifest entries of bundled series files (those with a ``loader``)."""
    return [e for e in manifest.entries(root) if e.get("loader")]


def load_one(e: dict, root=None) -> pd.DataFrame:
    root = root or data_dir()
    manifest.entry(e["path"], root)  # sha256 first: never parse a file that changed silently
    loader = LOADERS.get(e["loader"])
    if loader is None:
        raise DataValidationError(f"data/manifest.yaml: {e['path']}: unknown loader {e['loader']!r} "
                                  f"(known: {', '.join(LOADERS)})")
    long = loader(root / e["path"], e)
    return releases.date_rows(to_panel(long, e), releases.read(root / releases.FILE))


# the code a parsed bundled table depends on, relative to the turnover package; a missing file is
# an error here (a file moved without updating this list would otherwise leave the cache stale)
_CODE = ["ingest/bundled.py", "ingest/releases.py", "ingest/panel.py", "ingest/frame.py",
         "countries/partner_names.py", "countries/partner_names.csv", "ingest/formats/dots_excel.py",
         "ingest/formats/extracts.py", "ingest/formats/belstat_json.py"]


def cache_key(entries: list[dict], root: Path) -> str:
    h = hashlib.sha256(json.dumps(entries, sort_keys=True, default=str).encode())
    pkg = Path(__file__).resolve().parents[1]
    h.update(read_bytes(root / releases.FILE) if (root / releases.FILE).exists() else b"<missing>")
    for c in _CODE:
        h.update((pkg / c).read_bytes())
    h.update(pd.__version__.encode())
    return h.hexdigest()[:32]


def load(root=None, use_cache: bool = True) -> list[pd.DataFrame]:
    """Panel frames of every bundled series file (one frame when read from the cache)."""
    root = root or data_dir()
    entries = series_entries(root)
    if not entries:
        return []
    for e in entries:  # checksums first, always
        manifest.entry(e["path"], root)
    cache = root / "cache" / "bundled" / f"{cache_key(entries, root)}.parquet"
    if use_cache and os.path.lexists(cache):
        try:  # the bounded reader: a FIFO, device or link planted as the cache entry is refused, not read
            return [pd.read_parquet(io.BytesIO(read_bytes(cache, "bundled cache", StateError, MAX_STATE_BYTES,
                                                          follow=False)))]
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            pass
    frames = [load_one(e, root) for e in entries]
    if use_cache:
        buf = io.BytesIO()
        pd.concat(frames, ignore_index=True).to_parquet(buf, index=False)
        try:
            atomic.write_bytes(cache, buf.getvalue())
        except OSError:  # a read-only checkout still runs, only slower
            pass
    return frames
