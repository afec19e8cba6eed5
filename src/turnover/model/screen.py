"""Screening many series at once: ``trend.trend_tests`` vectorised across series.

``screen(frame)`` takes one column per series on a common grid of period ends (monthly or
quarterly) and returns one row per series with the figures ``trend_tests`` gives for a
seasonal series: seasonal Mann-Kendall (S, variance with ties, tau, z, p), Hamed-Rao on the
deseasonalized series, seasonal Sen's slope with Gilbert's interval, and the OLS slope of
the STL trend with Newey-West (HAC) errors. Columns that are gap-free and long enough for
STL go through numpy arrays of shape (series, periods); the rest (gaps, too short) are
handed to ``trend_tests`` one by one, so every column gets the model's answer.

STL has no vectorised form: it runs per series on numpy arrays, and dominates the cost.
``stl_outer_iter`` is its robustness setting (see ``decompose``): 15 passes, as the
verdicts use, by default; fewer are faster and change the results by what
``python -m turnover.bench`` (P5) reports. Results match ``trend_tests`` to 1e-9
(``tests/model/test_screen.py``).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
from scipy import stats

from .errors import ModelInputError
from .decompose import PERIODS, STL_OUTER_ITER, infer_frequency, stl, stl_label
from .trend import HAC_MIN_N, _years

CHUNK = 256  # series per block: (CHUNK x pairs) float arrays stay a few MB
NUMERIC = ["n", "mk_tau", "mk_s", "mk_z", "p_value", "hamed_rao_p_deseasonalized", "hamed_rao_z_deseasonalized",
           "sen_slope", "sen_slope_ci_low", "sen_slope_ci_high", "sen_slope_pct_per_year", "hac_slope", "hac_se",
           "hac_p", "hac_maxlags"]


def _pairs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Differences x[:, j] - x[:, i] for every i < j, and j - i (pairs in pymannkendall's order)."""
    i, j = np.triu_indices(x.shape[1], 1)
    return x[:, j] - x[:, i], (j - i).astype(float)


def _mk(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mann-Kendall S, its variance (tie-corrected) and the pairwise differences, per row."""
    n = x.shape[1]
    diffs, lags = _pairs(x)
    s = np.sign(diffs).sum(axis=1)
    var = np.full(len(x), n * (n - 1) * (2 * n + 5) / 18)
    for r in np.flatnonzero((diffs == 0).any(axis=1)):  # ties are rare: corrected row by row
        _, t = np.unique(x[r], return_counts=True)
        var[r] = (n * (n - 1) * (2 * n + 5) - np.sum(t * (t - 1) * (2 * t + 5))) / 18
    return s, var, diffs / lags


def _z(s: np.ndarray, var: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):  # a negative corrected variance gives NaN
        root = np.sqrt(var)
        return np.where(s > 0, (s - 1) / root, np.where(s < 0, (s + 1) / root, 0.0))


def _p(z: np.ndarray) -> np.ndarray:
    return 2 * (1 - stats.norm.cdf(np.abs(z)))


def seasonal_mk(x: np.ndarray, period: int, alpha: float) -> dict:
    """Seasonal Mann-Kendall (Hirsch & Slack) per row, as ``pymannkendall.seasonal_test``,
    plus the seasonal Sen's slope with Gilbert's interval, as ``trend.seasonal_sen``."""
    s = np.zeros(len(x))
    var = np.zeros(len(x))
    denom = 0.0
    slopes = []
    for k in range(period):
        sk, vk, sl = _mk(x[:, k::period])
        m = x[:, k::period].shape[1]
        s, var, denom = s + sk, var + vk, denom + 0.5 * m * (m - 1)
        slopes.append(sl)
    z = _z(s, var)
    slopes = np.sort(np.concatenate(slopes, axis=1), axis=1)
    n = slopes.shape[1]
    c = stats.norm.ppf(1 - alpha / 2) * np.sqrt(np.maximum(var, 0.0))
    lo = np.clip(np.round((n - c) / 2) - 1, 0, n - 1).astype(int)
    hi = np.clip(np.round((n + c) / 2), 0, n - 1).astype(int)
    rows = np.arange(len(x))
    return {"mk_s": s, "var_s": var, "mk_tau": s / denom, "mk_z": z, "p_value": _p(z),
            "sen_slope": np.median(slopes, axis=1), "sen_slope_ci_low": slopes[rows, lo],
            "sen_slope_ci_high": slopes[rows, hi]}


def hamed_rao(x: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """(z, p) of the Hamed & Rao (1998) corrected Mann-Kendall test per row, as
    ``pymannkendall.hamed_rao_modification_test`` (all lags, detrended by Sen's slope)."""
    n = x.shape[1]
    s, var, slopes = _mk(x)
    slope = np.median(slopes, axis=1)
    ranks = stats.rankdata(x - np.arange(1, n + 1) * slope[:, None], axis=1)
    y = ranks - ranks.mean(axis=1, keepdims=True)
    acov = np.stack([(y[:, k:] * y[:, :n - k]).sum(axis=1) for k in range(n)], axis=1) / n
    with np.errstate(invalid="ignore", divide="ignore"):  # a constant series: 0/0, no lag counts
        acf = acov / acov[:, :1]
    bound = stats.norm.ppf(1 - alpha / 2) / np.sqrt(n)
    i = np.arange(1, n)
    weight = (n - i) * (n - i - 1) * (n - i - 2)
    outside = (acf[:, 1:] > bound) | (acf[:, 1:] < -bound)
    sni = (np.where(outside, acf[:, 1:], 0.0) * weight).sum(axis=1)
    z = _z(s, var * (1 + (2 / (n * (n - 1) * (n - 2))) * sni))
    return z, _p(z)


def hac(y: np.ndarray, x: np.ndarray, maxlags: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(slope, se, p) of OLS y ~ 1 + x per row with Newey-West errors (Bartlett kernel, no
    small-sample correction, normal p-values), as statsmodels' ``cov_type="HAC"``."""
    X = np.column_stack([np.ones_like(x), x])
    pinv = np.linalg.pinv(X)
    params = y @ pinv.T
    xu = X[None, :, :] * (y - params @ X.T)[:, :, None]
    S = np.einsum("rti,rtj->rij", xu, xu)
    for lag in range(1, maxlags + 1):
        s = np.einsum("rti,rtj->rij", xu[:, lag:], xu[:, :-lag])
        S += (1 - lag / (maxlags + 1.0)) * (s + s.transpose(0, 2, 1))
    hinv = pinv @ pinv.T
    cov = np.einsum("ij,rjk,lk->ril", hinv, S, hinv)
    se = np.sqrt(cov[:, 1, 1])
    return params[:, 1], se, 2 * stats.norm.sf(np.abs(params[:, 1] / se))


def screen_matrix(values: np.ndarray, index: pd.DatetimeIndex, period: int, alpha: float = 0.05,
                  stl_outer_iter: int = STL_OUTER_ITER, timings: dict | None = None) -> dict[str, np.ndarray]:
    """The trend tests for each row of ``values`` (series x periods, no NaN) on ``index``.

    ``timings``, if given, accumulates CPU seconds spent in "stl" and in the vectorised "tests"."""
    values = np.asarray(values, dtype=float)
    n = values.shape[1]
    out: dict[str, list] = {}
    x = _years(index)
    maxlags = int(math.floor(4 * (n / 100) ** (2 / 9)))
    for start in range(0, len(values), CHUNK):
        v = values[start:start + CHUNK]
        t0 = time.process_time()
        parts = [stl(row, period, stl_outer_iter) for row in v]
        t1 = time.process_time()
        trend = np.array([p[0] for p in parts])
        seasonal = np.array([p[1] for p in parts])
        res = seasonal_mk(v, period, alpha)
        resid = v - trend - seasonal
        res["hamed_rao_z_deseasonalized"], res["hamed_rao_p_deseasonalized"] = hamed_rao(trend + resid, alpha)
        med = np.median(v, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            res["sen_slope_pct_per_year"] = np.where(med != 0, 100 * res["sen_slope"] / med, np.nan)
        if n >= HAC_MIN_N:
            res["hac_slope"], res["hac_se"], res["hac_p"] = hac(trend, x, maxlags)
        for k, a in res.items():
            out.setdefault(k, []).append(a)
        if timings is not None:
            timings["stl"] = timings.get("stl", 0.0) + t1 - t0
            timings["tests"] = timings.get("tests", 0.0) + time.process_time() - t1
    return {k: np.concatenate(v) for k, v in out.items()}


def _trend_label(z: np.ndarray, alpha: float) -> np.ndarray:
    h = np.abs(z) > stats.norm.ppf(1 - alpha / 2)
    return np.where(h & (z < 0), "decreasing", np.where(h & (z > 0), "increasing", "no trend"))


def screen(frame: pd.DataFrame, frequency: str | None = None, alpha: float = 0.05,
           stl_outer_iter: int = STL_OUTER_ITER) -> pd.DataFrame:
    """Trend tests for every column of ``frame`` (index: period ends); one row per column.

    Columns: the numeric keys of ``trend_tests`` (``NUMERIC``) plus ``mk_trend``,
    ``decomposition``, ``how`` ("vectorised" or "per series") and ``note`` (the method, or
    why a series was refused). NaN where a figure is undefined (``trend_tests`` gives None).
    """
    from .trend import trend_tests
    from .decompose import decompose

    frame = frame.sort_index()
    index = pd.DatetimeIndex(frame.index)
    freq = frequency or infer_frequency(index)
    period = PERIODS.get(freq)
    full = frame.notna().all().to_numpy()
    rows: dict[str, dict] = {}
    if period and len(index) >= 2 * period + 1 and full.any():
        cols = frame.columns[full]
        res = screen_matrix(frame[cols].to_numpy(dtype=float).T, index, period, alpha, stl_outer_iter)
        res["mk_trend"] = _trend_label(res["mk_z"], alpha)
        res.pop("var_s")
        for i, c in enumerate(cols):
            rows[c] = {k: v[i] for k, v in res.items()}
            rows[c].update(n=len(index), hac_maxlags=int(math.floor(4 * (len(index) / 100) ** (2 / 9))),
                           decomposition="stl", how="vectorised", note=stl_label(period, stl_outer_iter))
    for c in frame.columns[~full] if period and len(index) >= 2 * period + 1 else frame.columns:
        s = frame[c].dropna()
        try:
            dec = decompose(s, freq, stl_outer_iter=stl_outer_iter) if len(s) >= 3 else None
            r = trend_tests(s, freq, alpha, decomposition=dec)
        except ModelInputError as err:  # too many gaps to fill: refused, as the model refuses it
            r = {"n": len(s), "note": str(err)}
        rows[c] = {k: (np.nan if r.get(k) is None else r.get(k)) for k in NUMERIC}
        rows[c].update(mk_trend=r.get("mk_trend"), decomposition=r.get("decomposition"), how="per series",
                       note=r.get("note"))
    out = pd.DataFrame.from_dict(rows, orient="index")
    return out.reindex(index=list(frame.columns), columns=NUMERIC + ["mk_trend", "decomposition", "how", "note"])
