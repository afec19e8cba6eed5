"""Long tables parsed from bundled files -> rows in the panel's columns (vectorised).

A loader yields one row per published cell with ``reporter, partner, partner_kind, flow,
period_start, period_end, value_usd, status`` (and optionally ``note``); ``to_panel`` adds
the identifiers, valuation and provenance from the file's manifest entry. ``published_on``
and ``release_basis`` are filled later from the first-release rules (``turnover.ingest.releases``).
"""

from __future__ import annotations

import pandas as pd

from .panel import COLUMNS, frequency_of

VALUATION = {"export": "FOB", "import": "CIF"}
LONG = ["reporter", "partner", "partner_kind", "flow", "period_start", "period_end", "value_usd", "status"]


def period_key(start: pd.Series, end: pd.Series, freq: pd.Series) -> pd.Series:
    """'2015' for a calendar year, '2015-03' for a month, '2015-01..2015-09' otherwise."""
    y = start.dt.strftime("%Y")
    m = start.dt.strftime("%Y-%m")
    span = m + ".." + end.dt.strftime("%Y-%m")
    return y.where(freq == "annual", m.where(freq == "month", span))


def to_panel(long: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """Panel rows for one bundled file; ``meta`` is its manifest entry."""
    if long.empty:
        return pd.DataFrame(columns=COLUMNS)
    df = long.copy()
    df["period_start"] = pd.to_datetime(df["period_start"])
    df["period_end"] = pd.to_datetime(df["period_end"])
    # one frequency per distinct (start, end) pair: few pairs, so no per-row Python work
    pairs = df[["period_start", "period_end"]].drop_duplicates()
    pairs["frequency"] = [frequency_of(s, e) for s, e in zip(pairs["period_start"], pairs["period_end"])]
    df = df.merge(pairs, on=["period_start", "period_end"], how="left")
    sid = meta["source_id"]
    df["row_id"] = (sid + ":" + df["reporter"] + ":" + df["partner"] + ":" + df["flow"] + ":"
                    + period_key(df["period_start"], df["period_end"], df["frequency"]))
    df["source_kind"] = meta["source_kind"]
    df["source_id"] = sid
    df["country"] = df["reporter"]
    df["value_qualifier"] = "exact"
    df["yoy_pct"] = float("nan")
    df["yoy_qualifier"] = None
    df["valuation"] = df["flow"].map(VALUATION)
    df["source_url"] = meta["source_url"]
    df["source_date"] = str(meta.get("source_date", ""))
    df["retrieved_on"] = pd.Timestamp(meta["retrieved_on"])
    df["published_on"] = pd.NaT
    df["release_basis"] = None
    df["primary"] = False
    df["attributed_by"] = None
    if "note" not in df:
        df["note"] = None
    return df[COLUMNS].reset_index(drop=True)
