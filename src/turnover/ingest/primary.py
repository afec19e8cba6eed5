"""Each reporter's documented primary series, declared in ``data/primary_series.csv``.

One line per reporter, source and year range, with why it was chosen (e.g. IMF DOTS to
2020, then BNS for Kazakhstan). Rows of that source, reporter and years are flagged
``primary``; all other sources stay in the panel as source-sensitivity, never merged.
``source_id`` ``*`` means every row of that ``source_kind`` (the official releases).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from ..readers import read_csv, require_columns
from ..paths import data_dir

FILE = "primary_series.csv"
COLUMNS = ["reporter", "source_kind", "source_id", "first_year", "last_year", "why"]


def read(path: Path | None = None) -> pd.DataFrame:
    return _read(str(path or data_dir() / FILE))


@lru_cache(maxsize=4)
def _read(path: str) -> pd.DataFrame:
    df = read_csv(path, "primary-series declaration")  # the one reader: not found, empty, not UTF-8, malformed
    require_columns(df, COLUMNS, path)
    for c in ("first_year", "last_year"):
        if not df[c].str.fullmatch(r"\d{4}").all():
            raise ConfigError(f"{path}: {c} must be a year on every line")
    if (df["why"].str.strip() == "").any():
        raise ConfigError(f"{path}: every line needs its reason ('why')")
    df[["first_year", "last_year"]] = df[["first_year", "last_year"]].astype(int)
    return df


def flag(panel: pd.DataFrame, decl: pd.DataFrame | None = None) -> pd.Series:
    """Boolean Series: does each row belong to its reporter's primary series?"""
    decl = read() if decl is None else decl
    year = panel["period_end"].dt.year
    out = pd.Series(False, index=panel.index)
    for d in decl.itertuples(index=False):
        m = ((panel["reporter"] == d.reporter) & (panel["source_kind"] == d.source_kind)
             & year.between(d.first_year, d.last_year))
        if d.source_id != "*":
            m &= panel["source_id"] == d.source_id
        out |= m
    return out
