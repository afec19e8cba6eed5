"""Trend / seasonal / residual decomposition with explicit gap handling.

Monthly (period 12) and quarterly (period 4) series with at least two full cycles and
one more point use STL (statsmodels, robust LOESS). Monthly trade totals have one seasonal
cycle, so STL is used rather than MSTL (which is for several cycles at once).

Annual and year-to-date series cannot carry seasonality (one value per year), and short
sub-annual series cannot identify it: they get the documented fallback ``sen-line``:
seasonal = 0, trend = the Theil-Sen line through the points, resid = observed - trend.

Gaps: STL cannot take NaN. Interior gaps of at most ``max_gap`` consecutive periods, and at
most ``max_missing_share`` of the grid in total, are filled by linear interpolation in time;
the filled periods are listed in ``note`` and flagged in column ``filled``. Larger gaps raise
``ModelInputError``. Leading and trailing missing periods are dropped, never extrapolated.
In every case trend + seasonal + resid == observed (observed includes filled values).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.seasonal import STL

from .errors import ModelInputError

PERIODS = {"month": 12, "quarter": 4}
_OFFSETS = {"month": pd.offsets.MonthEnd(1), "quarter": pd.offsets.QuarterEnd(1)}


@dataclass
class Decomposition:
    frame: pd.DataFrame          # observed, trend, seasonal, resid, filled (index: period end)
    method: str                  # "stl" or "sen-line"
    frequency: str
    period: int | None
    note: str
    filled: list[str] = field(default_factory=list)

    @property
    def deseasonalized(self) -> pd.Series:
        return self.frame["trend"] + self.frame["resid"]


def infer_frequency(index: pd.DatetimeIndex) -> str:
    """'month', 'quarter' or 'annual' from the median spacing of period ends."""
    if len(index) < 2:
        return "annual"
    days = float(np.median(np.diff(index.values).astype("timedelta64[D]").astype(float)))
    if days < 45:
        return "month"
    if days < 135:
        return "quarter"
    return "annual"


def _fill_gaps(s: pd.Series, freq: str, max_gap: int, max_missing_share: float) -> tuple[pd.Series, list]:
    s = s.sort_index()
    s = s.loc[s.first_valid_index():s.last_valid_index()]
    grid = pd.date_range(s.index[0], s.index[-1], freq=_OFFSETS[freq])
    if len(grid) != len(s.index.union(grid)):
        raise ModelInputError(f"decompose: {freq}ly series has dates off the period-end grid")
    s = s.reindex(grid)
    missing = s.isna()
    if not missing.any():
        return s, []
    runs = missing.ne(missing.shift()).cumsum()[missing].value_counts()
    if missing.mean() > max_missing_share or runs.max() > max_gap:
        raise ModelInputError(
            f"decompose: {int(missing.sum())} of {len(s)} periods missing (longest gap {int(runs.max())}); "
            f"too many to fill (limits: {max_missing_share:.0%} and {max_gap} in a row)")
    filled = [d.strftime("%Y-%m") for d in s.index[missing]]
    return s.interpolate(method="time"), filled


def _sen_line(y: pd.Series) -> pd.Series:
    x = np.arange(len(y), dtype=float)
    if len(y) < 2:
        return pd.Series(y.values.astype(float), index=y.index)
    slope, intercept, *_ = stats.theilslopes(y.values.astype(float), x)
    return pd.Series(intercept + slope * x, index=y.index)


def decompose(series: pd.Series, frequency: str | None = None, max_gap: int = 2,
              max_missing_share: float = 0.10) -> Decomposition:
    """Split ``series`` (values indexed by period end) into trend, seasonal and residual.

    ``frequency`` ('month', 'quarter', 'annual', 'year-to-date', ...) is inferred from the
    index when omitted. See the module docstring for the method and gap rules.
    """
    s = pd.Series(series, dtype=float).copy()
    s.index = pd.DatetimeIndex(s.index)
    if s.dropna().empty:
        raise ModelInputError("decompose: the series has no values")
    if s.index.has_duplicates:
        raise ModelInputError("decompose: duplicate period ends (several sources or reporters mixed into one series?)")
    freq = frequency or infer_frequency(s.dropna().index)
    filled: list[str] = []
    if freq in PERIODS:
        s, filled = _fill_gaps(s, freq, max_gap, max_missing_share)
    else:  # one value per year: nothing to interpolate, missing years are simply absent
        s = s.dropna().sort_index()
    period = PERIODS.get(freq)
    gap_note = f"filled by linear interpolation: {', '.join(filled)}" if filled else "no gaps filled"
    if period and len(s) >= 2 * period + 1:
        res = STL(s.values, period=period, robust=True).fit()
        trend, seasonal = pd.Series(res.trend, index=s.index), pd.Series(res.seasonal, index=s.index)
        method = "stl"
        note = f"STL (robust, period {period}) on {len(s)} {freq}ly points; {gap_note}"
    else:
        trend, seasonal = _sen_line(s), pd.Series(0.0, index=s.index)
        method = "sen-line"
        why = ("annual or year-to-date data carry no seasonality" if not period
               else f"{len(s)} {freq}ly points are too few for STL (need {2 * period + 1})")
        note = f"no seasonal decomposition ({why}): seasonal = 0, trend = Theil-Sen line; {gap_note}"
    frame = pd.DataFrame({"observed": s, "trend": trend, "seasonal": seasonal})
    frame["resid"] = frame["observed"] - frame["trend"] - frame["seasonal"]
    frame["filled"] = frame.index.strftime("%Y-%m").isin(filled)
    return Decomposition(frame=frame, method=method, frequency=freq, period=period if method == "stl" else None,
                         note=note, filled=filled)
