"""Trend tests on one series: Mann-Kendall, Sen's slope with CI, HAC regression.

- Mann-Kendall: Hamed-Rao autocorrelation-corrected test when there are at least
  ``HAMED_RAO_MIN_N`` points (the correction estimates autocorrelations, which is
  meaningless on a handful of annual values; below that the original test is used and the
  note says so). Seasonal series (STL applied) use the seasonal Mann-Kendall test for the
  p-value, and also report Hamed-Rao on the deseasonalized series (trend + residual).
- Sen's slope: Theil-Sen estimator with its (1 - alpha) confidence interval (scipy),
  in USD per year; for seasonal series the seasonal Sen's slope (same month, year to
  year) with Gilbert's interval. Also as % of the series median per year.
- Regression: OLS of the trend component (seasonal series) or of the observed values on
  time, with Newey-West HAC errors (maxlags = floor(4 (n/100)^(2/9))); only from 8 points
  on, since on fewer the HAC p-value is far too small to be meaningful.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pymannkendall as mk
from scipy import stats
# the two names used, not statsmodels.api (its formula API and datasets cost ~0.25 s at import)
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from .decompose import Decomposition, decompose

HAMED_RAO_MIN_N = 10
HAC_MIN_N = 8  # sandwich (HAC) errors are badly anti-conservative on a handful of points
MIN_N = 3


def _years(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(index.year + (index.day_of_year - 1) / 365.25, dtype=float)


def _num(x) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def seasonal_sen(values: np.ndarray, period: int, var_s: float, alpha: float) -> tuple[float, float, float]:
    """Seasonal Sen's slope per year (median of same-season slopes) and its Gilbert (1987)
    confidence interval: ranks (N -/+ z * sqrt(var S)) / 2 of the N ordered slopes."""
    slopes = []
    for k in range(period):
        y = values[k::period]
        for i in range(len(y)):
            for j in range(i + 1, len(y)):
                slopes.append((y[j] - y[i]) / (j - i))
    s = np.sort(np.asarray(slopes, dtype=float))
    n = len(s)
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    c = stats.norm.ppf(1 - alpha / 2) * math.sqrt(max(var_s, 0.0))
    lo = int(np.clip(round((n - c) / 2) - 1, 0, n - 1))
    hi = int(np.clip(round((n + c) / 2), 0, n - 1))
    return float(np.median(s)), float(s[lo]), float(s[hi])


def trend_tests(series: pd.Series, frequency: str | None = None, alpha: float = 0.05,
                decomposition: Decomposition | None = None) -> dict:
    """Run the trend tests on ``series`` (values indexed by period end); returns a flat dict.

    Keys: n, frequency, mk_test, mk_trend, mk_tau, mk_s, mk_z, p_value, sen_slope (USD/year),
    sen_slope_ci_low, sen_slope_ci_high, sen_slope_pct_per_year, hac_slope, hac_se, hac_p,
    decomposition (method), note. With fewer than 3 points only n and note are set.
    """
    s = pd.Series(series, dtype=float).dropna()
    s.index = pd.DatetimeIndex(s.index)
    s = s.sort_index()
    out: dict = {"n": int(len(s)), "p_value": None}
    if len(s) < MIN_N:
        out["note"] = f"{len(s)} point(s): at least {MIN_N} needed for a trend test"
        return out
    dec = decomposition or decompose(s, frequency)
    obs = dec.frame["observed"]
    x = _years(obs.index)
    notes = [dec.note]
    if dec.method == "stl":
        res = mk.seasonal_test(obs.values, period=dec.period, alpha=alpha)
        out["mk_test"] = f"seasonal Mann-Kendall (period {dec.period})"
        target = dec.frame["trend"]
        with np.errstate(invalid="ignore", divide="ignore"):  # a flat deseasonalized series has var S = 0
            hr = mk.hamed_rao_modification_test(dec.deseasonalized.values, alpha=alpha)
        out.update(hamed_rao_p_deseasonalized=_num(hr.p), hamed_rao_z_deseasonalized=_num(hr.z))
        if not np.isfinite(hr.p):
            notes.append("Hamed-Rao on the deseasonalized series undefined (negative corrected variance)")
    elif len(obs) >= HAMED_RAO_MIN_N:
        with np.errstate(invalid="ignore", divide="ignore"):
            res = mk.hamed_rao_modification_test(obs.values, alpha=alpha)
        out["mk_test"] = "Mann-Kendall, Hamed-Rao autocorrelation correction"
        if not np.isfinite(res.p):  # the corrected variance can come out negative
            res = mk.original_test(obs.values, alpha=alpha)
            out["mk_test"] = "Mann-Kendall (original: Hamed-Rao correction undefined for this series)"
        target = obs
    else:
        res = mk.original_test(obs.values, alpha=alpha)
        out["mk_test"] = "Mann-Kendall (original)"
        notes.append(f"fewer than {HAMED_RAO_MIN_N} points: no autocorrelation correction")
        target = obs
    out.update(frequency=dec.frequency, n=int(len(obs)), mk_trend=res.trend, mk_tau=_num(res.Tau),
               mk_s=_num(res.s), mk_z=_num(res.z), p_value=_num(res.p), decomposition=dec.method)
    if dec.method == "stl":
        slope, low, high = seasonal_sen(obs.values, dec.period, float(res.var_s), alpha)
        out["sen_method"] = "seasonal Sen's slope (same season, year to year), Gilbert CI"
    else:
        sen = stats.theilslopes(obs.values, x, alpha=1 - alpha)
        slope, low, high = sen.slope, sen.low_slope, sen.high_slope
        out["sen_method"] = "Theil-Sen slope, scipy CI"
    med = float(np.median(obs.values))
    out.update(sen_slope=_num(slope), sen_slope_ci_low=_num(low), sen_slope_ci_high=_num(high),
               sen_slope_pct_per_year=_num(100 * slope / med) if med else None)
    if len(target) >= HAC_MIN_N:
        maxlags = int(math.floor(4 * (len(target) / 100) ** (2 / 9)))
        fit = OLS(target.values, add_constant(x)).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})
        out.update(hac_slope=_num(fit.params[1]), hac_se=_num(fit.bse[1]), hac_p=_num(fit.pvalues[1]),
                   hac_maxlags=maxlags)
    else:
        notes.append(f"no HAC regression: below {HAC_MIN_N} points its standard errors are unreliable")
    out["note"] = "; ".join(notes)
    return out
