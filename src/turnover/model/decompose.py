"""Trend / seasonal / residual decomposition with explicit gap handling.

Monthly (period 12) and quarterly (period 4) series with at least two full cycles and
one more point use STL (statsmodels, robust LOESS). Robustness is ``stl_outer_iter``: the
number of robustness passes (statsmodels' default for robust STL, 15, is what the verdicts
use; 0 is plain STL). Each pass reweights the points by their residuals, so an outlier
month bends the trend less; the cost grows with the passes (about 8x from 0 to 15). How
much fewer passes change the screening results is measured by ``python -m turnover.bench``
(P5). Monthly trade totals have one seasonal
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
STL_OUTER_ITER = 15  # robustness passes (statsmodels' default with robust=True)
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


def stl(values: np.ndarray, period: int, outer_iter: int = STL_OUTER_ITER) -> tuple[np.ndarray, np.ndarray]:
    """(trend, seasonal) of STL on a gap-free numpy array; ``outer_iter`` robustness passes."""
    if outer_iter > 0:
        res = STL(values, period=period, robust=True).fit(outer_iter=outer_iter)
    else:
        res = STL(values, period=period, robust=False).fit()
    return res.trend, res.seasonal


def stl_label(period: int, outer_iter: int = STL_OUTER_ITER) -> str:
    if outer_iter == STL_OUTER_ITER:
        return f"STL (robust, period {period})"
    return f"STL ({f'robust, {outer_iter} passes' if outer_iter else 'not robust'}, period {period})"


def decompose(series: pd.Series, frequency: str | None = None, max_gap: int = 2,
              max_missing_share: float = 0.10, stl_outer_iter: int = STL_OUTER_ITER) -> Decomposition:
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
        trend, seasonal = stl(s.values, period, stl_outer_iter)
        trend, seasonal = pd.Series(trend, index=s.index), pd.Series(seasonal, index=s.index)
        method = "stl"
        note = f"{stl_label(period, stl_outer_iter)} on {len(s)} {freq}ly points; {gap_note}"
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
