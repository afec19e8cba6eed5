"""Change points in the level of a series (ruptures, PELT, l2 cost = shifts in the mean).

Penalty (documented choice): ``pen = 2 * sigma^2 * ln(n)``, a BIC-type penalty for a mean
shift, with the noise level sigma estimated robustly from differences at the seasonal lag
(12 monthly, 4 quarterly, 1 otherwise): MAD / 0.6745 / sqrt 2 of the median-centred
differences, so seasonality, a steady trend or one level shift do not inflate it (and STL
residuals, which underestimate the noise, are not used). A steady trend shows up as a
staircase of shifts: read breaks together with the trend tests. Seasonal series
(STL applicable) are searched after removing the seasonal component. Segments are at
least ``min_size`` points long (default 2 for annual, 6 for monthly, 2 for quarterly), and
series shorter than 6 points (or two segments) are not searched.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import ruptures as rpt

from .decompose import decompose, infer_frequency

_MIN_SIZE = {"month": 6, "quarter": 2}
MIN_POINTS = 6  # a "break" among four or five values is just the largest step


def detect(series: pd.Series, frequency: str | None = None, penalty: float | None = None,
           min_size: int | None = None) -> dict:
    """Change points of ``series``; returns breaks (last period of each segment but the final
    one), segments (start, end, mean), the penalty used and a note on the method."""
    s = pd.Series(series, dtype=float).dropna().sort_index()
    s.index = pd.DatetimeIndex(s.index)
    freq = frequency or infer_frequency(s.index)
    min_size = min_size or _MIN_SIZE.get(freq, 2)
    out = {"breaks": [], "segments": [], "penalty": None, "n": int(len(s)), "min_size": min_size}
    need = max(2 * min_size, MIN_POINTS)
    if len(s) < need:
        out["note"] = f"{len(s)} points: too few for change-point detection (need {need})"
        return out
    dec = decompose(s, freq)
    y = dec.deseasonalized if dec.method == "stl" else dec.frame["observed"]
    lag = dec.period or 1
    raw = s.values if dec.method != "stl" else dec.frame["observed"].values
    diffs = raw[lag:] - raw[:-lag]
    sigma = float(np.median(np.abs(diffs - np.median(diffs))) / 0.6745 / math.sqrt(2)) if len(diffs) > 1 else 0.0
    if sigma <= 0:
        sigma = float(np.std(y.values)) or 1e-9
    pen = penalty if penalty is not None else 2 * sigma ** 2 * math.log(len(y))
    ends = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(y.values.reshape(-1, 1)).predict(pen=pen)
    start = 0
    for end in ends:
        seg = y.iloc[start:end]
        out["segments"].append({"start": seg.index[0].date().isoformat(), "end": seg.index[-1].date().isoformat(),
                                "mean": float(seg.mean())})
        start = end
    out["breaks"] = [seg["end"] for seg in out["segments"][:-1]]
    out["penalty"] = float(pen)
    out["note"] = (f"PELT (l2) on {'deseasonalized ' if dec.method == 'stl' else ''}{freq} values, "
                   f"penalty 2*sigma^2*ln(n) = {pen:.3g}" if penalty is None else f"PELT (l2), penalty {pen:.3g} (given)")
    return out
