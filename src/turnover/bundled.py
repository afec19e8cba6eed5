"""Bundled official series (``data/raw/``) -> panel frames, one per file.

Which files, and how each is read, is declared in ``data/manifest.yaml``: an entry with a
``loader`` is a series file; its ``source_id``/``source_kind`` name the rows, and its
``source_url`` (where the copy came from) and ``retrieved_on`` go on every row. Each file
is checked against its sha256 first, parsed by the loader of its format, dated by the
first-release rules and returned in the panel's columns. Adding a file is a manifest entry,
not code (as long as its format has a loader).
"""

from __future__ import annotations

import pandas as pd

from . import manifest, releases
from .errors import ConfigError
from .paths import data_dir
from .sources import belstat_json, dots_excel, extracts
from .sources.frame import to_panel


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
        raise ConfigError(f"data/manifest.yaml: {e['path']}: unknown loader {e['loader']!r} "
                          f"(known: {', '.join(LOADERS)})")
    long = loader(root / e["path"], e)
    return releases.date_rows(to_panel(long, e))


def load(root=None) -> list[pd.DataFrame]:
    """Panel frames of every bundled series file."""
    return [load_one(e, root) for e in series_entries(root)]
