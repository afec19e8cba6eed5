"""The as-of cut: only rows (and context facts) that were public on a given date.

A row with ``published_on`` is known from that date. A row without one (API data whose
release date is unknown) is assumed known ``lag`` days after its period ends, the lag
depending on the frequency; a year's figure is never known on the year's last day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import pandas as pd

from ..claims.rules import PUBLICATION_LAG_DAYS

# The rules' default ``publication_lag_days`` (the schema owns it), for callers without a rule.
# Unknown frequencies take the longest lag.
DEFAULT_LAGS = PUBLICATION_LAG_DAYS


def _lag(freq: str, lags: Mapping[str, int]) -> int:
    return int(lags.get(freq, max(lags.values()) if lags else 0))


def known_from(panel: pd.DataFrame, lags: Mapping[str, int] | None = None) -> pd.Series:
    """The date each row became public: ``published_on``, else period end + lag."""
    lags = dict(DEFAULT_LAGS if lags is None else lags)
    freqs = panel["frequency"].unique()  # a handful of values: map through a dict, not per row
    lag_days = panel["frequency"].map({f: _lag(f, lags) for f in freqs}).astype("int64")
    inferred = panel["period_end"] + pd.to_timedelta(lag_days, unit="D")
    pub = pd.to_datetime(panel["published_on"])
    # a printed date before the period ended is a data error; never let it leak a figure early
    return pub.where(pub.notna() & (pub > panel["period_end"]), inferred)


def cut(panel: pd.DataFrame, as_of: dt.date | str | pd.Timestamp | None,
        lags: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Rows of ``panel`` known on ``as_of`` (all rows when ``as_of`` is None)."""
    if as_of is None or panel.empty:
        return panel
    known = known_from(panel, lags)
    return panel[known <= pd.Timestamp(as_of)]


_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _latest_date(text: str) -> pd.Timestamp | None:
    """Latest date a partial date string can mean ('2015-08' -> 2015-08-31, '2013' -> 2013-12-31)."""
    m = _DATE.search(str(text or ""))
    if not m:
        return None
    y, mo, d = m.groups()
    if d:
        return pd.Timestamp(f"{y}-{mo}-{d}")
    if mo:
        return pd.Timestamp(f"{y}-{mo}-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(f"{y}-12-31")


def fact_known_from(facts: pd.DataFrame) -> pd.Series:
    """When each context fact was public: the later of its ``date`` and ``source_date``.

    Partial source dates count as their last possible day, so a fact is never used early.
    """
    def one(row) -> pd.Timestamp:
        dates = [d for d in (_latest_date(row["date"]), _latest_date(row.get("source_date"))) if d is not None]
        return max(dates) if dates else pd.Timestamp.max
    return facts.apply(one, axis=1) if len(facts) else pd.Series(dtype="datetime64[ns]")


def cut_facts(facts: pd.DataFrame, as_of: dt.date | str | pd.Timestamp | None) -> pd.DataFrame:
    """Context facts public on ``as_of``."""
    if as_of is None or facts.empty:
        return facts
    return facts[fact_known_from(facts) <= pd.Timestamp(as_of)]
