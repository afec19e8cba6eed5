"""First-release dating of bundled official series, from ``data/first_release_rules.csv``.

A bundled series carries today's revised values but not the date each figure was first
public. Each rule (one per source and frequency, with the citation it rests on) gives that
date: ``lag_days`` N (period end + N days) or ``next_year_on`` MM-DD (that day of the year
after the period ends). Rows get ``published_on`` from their rule and
``release_basis = "rule:<rule_id>"``; the as-of cut (``model.vintage``) then hides them
before that date. Values stay the revised ones: ``vintage_note`` says so for verdicts.
"""

from __future__ import annotations

import fnmatch
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import ConfigError, DataValidationError
from ..readers import read_csv, require_columns
from ..paths import data_dir

FILE = "first_release_rules.csv"
COLUMNS = ["rule_id", "source_id", "frequency", "rule", "value", "first_release", "citation_url", "citation"]
RULES = ("lag_days", "next_year_on")


def read(path: Path | None = None) -> pd.DataFrame:
    path = path or data_dir() / FILE
    return _read(str(path))


@lru_cache(maxsize=4)
def _read(path: str) -> pd.DataFrame:
    df = read_csv(path, "first-release rules")  # the one reader: not found, empty, not UTF-8, malformed
    require_columns(df, COLUMNS, path)
    for r in df.itertuples(index=False):
        where = f"{Path(path).name}: rule {r.rule_id or '?'}"
        if r.rule not in RULES:
            raise ConfigError(f"{where}: unknown rule {r.rule!r} (known: {', '.join(RULES)})")
        if not r.citation_url.startswith(("http://", "https://")) or not r.citation.strip():
            raise ConfigError(f"{where}: every rule needs a citation and its URL")
        try:
            _offset(r.rule, r.value)
        except ValueError:
            raise ConfigError(f"{where}: bad value {r.value!r} for {r.rule}") from None
    if df["rule_id"].duplicated().any():
        raise ConfigError(f"{path}: rule_id {df['rule_id'][df['rule_id'].duplicated()].iloc[0]!r} twice")
    return df


def _offset(rule: str, value: str):
    if rule == "lag_days":
        return pd.Timedelta(days=int(value))
    month, day = (int(x) for x in value.split("-"))
    pd.Timestamp(2001, month, day)  # raises ValueError for an impossible day
    return month, day


def rule_for(source_id: str, frequency: str, rules: pd.DataFrame) -> pd.Series | None:
    match = rules["source_id"].map(lambda pat: fnmatch.fnmatchcase(source_id, pat)).astype(bool)
    hits = rules[match & (rules["frequency"] == frequency)]
    return None if hits.empty else hits.iloc[0]


def date_rows(df: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """``df`` with ``published_on`` and ``release_basis`` from the rules; a row without a rule is an error."""
    rules = read() if rules is None else rules
    df = df.copy()
    pub = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    basis = pd.Series(None, index=df.index, dtype=object)
    for (sid, freq), idx in df.groupby(["source_id", "frequency"]).groups.items():
        rule = rule_for(sid, freq, rules)
        if rule is None:
            raise DataValidationError(f"{sid}: no first-release rule for {freq} figures in data/{FILE}")
        end = df.loc[idx, "period_end"]
        off = _offset(rule["rule"], rule["value"])
        if rule["rule"] == "lag_days":
            pub.loc[idx] = end + off
        else:
            pub.loc[idx] = pd.to_datetime({"year": end.dt.year + 1, "month": off[0], "day": off[1]})
        basis.loc[idx] = f"rule:{rule['rule_id']}"
    df["published_on"] = pub
    df["release_basis"] = basis
    return df


def vintage_note(row) -> str | None:
    """For a verdict: 'figures as revised later; first published <date> (rule ...)' or None."""
    basis = row.get("release_basis") if hasattr(row, "get") else None
    if not isinstance(basis, str) or not basis.startswith("rule:"):
        return None
    rule = read().set_index("rule_id").loc[basis[5:]]
    return (f"figures as revised later (retrieved {pd.Timestamp(row['retrieved_on']):%Y-%m-%d}); first published "
            f"by about {pd.Timestamp(row['published_on']):%Y-%m-%d} ({rule['first_release']}; {rule['citation_url']})")
