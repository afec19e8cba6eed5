"""Trend models that fit annual data: a local linear trend and level shifts at known dates.

- ``local_linear_trend``: statsmodels ``UnobservedComponents(level="local linear trend")`` on
  the log of annual values (missing years stay missing: the Kalman filter skips them). The
  slope state is the trend growth in log points a year, shown as % a year
  (100 (e^slope - 1)). The *filtered* slope at a year uses only the years up to it (what
  could be known then); the *smoothed* slope uses every year in the fit (what is known now).
  Intervals are normal on the log scale from the state variance. Below ``MIN_YEARS`` values
  the model is not fitted (four numbers cannot identify three variances).
- ``level_shift``: OLS of log values on a linear trend and a step from a known year, over at
  most ``SPAN`` years either side of it; the step in % with its interval and p-value, and n.
  A level shift is a one-off change of level at a date chosen before looking, unlike the
  data-chosen change points of ``changepoints``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from .scipy_notes import skip_array_api_notes

skip_array_api_notes()  # before statsmodels imports scipy.stats (see scipy_notes)

from statsmodels.regression.linear_model import OLS  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.tsa.statespace.structural import UnobservedComponents  # noqa: E402
from threadpoolctl import ThreadpoolController  # noqa: E402

MIN_YEARS = 6
SPAN = 6
_FITS: dict[tuple, object] = {}  # same values -> same fit (several vintages and rules share series)
_BLAS: list[ThreadpoolController] = []  # made at the first fit, when numpy's and scipy's BLAS are loaded


def one_blas_thread():
    """A context in which every loaded BLAS library runs on one thread.

    The fits are tiny (3 variances, 10-40 years), and SciPy's L-BFGS-B (C since SciPy 1.15, calling
    LAPACK) runs several times slower under multi-threaded OpenBLAS on problems this small: the
    threads' start-up and synchronisation cost more than the work (scipy/scipy#22438, #23191).
    8 fits took 1.4 s with OpenBLAS's default threads and 0.23 s with one, identical to the last
    bit. A limit around the fits rather than an environment variable set at import, so the rest
    of the process (and any caller's own BLAS work) keeps its threads. The controller lists the
    loaded libraries once (about 1 ms); ``limit`` then costs microseconds."""
    if not _BLAS:
        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


def _pct(x: float) -> float:
    return 100 * (math.exp(x) - 1)


def _grid(values: pd.Series) -> pd.Series:
    s = pd.Series(values, dtype=float).dropna()
    s = s[s > 0]
    s.index = s.index.astype(int)
    if s.empty:
        return s
    return np.log(s.reindex(range(int(s.index.min()), int(s.index.max()) + 1)))


def _fit(y: pd.Series):
    key = (tuple(y.index), tuple(np.round(y.fillna(-1e9).values, 12)))
    if key not in _FITS:
        if len(_FITS) > 256:
            _FITS.clear()
        with warnings.catch_warnings(), one_blas_thread():
            warnings.simplefilter("ignore")  # convergence chatter on short series; the result says n
            _FITS[key] = UnobservedComponents(y.values, level="local linear trend").fit(disp=False)
    return _FITS[key]


def local_linear_trend(values: pd.Series, at_year: int, level: float = 0.95) -> dict:
    """Filtered and smoothed trend slope at ``at_year`` (% a year, with intervals); ``values``
    indexed by year (USD). Keys: n, model, filtered_*, smoothed_*, note."""
    y = _grid(values)
    n = int(y.notna().sum())
    out: dict = {"n": n, "model": "UnobservedComponents, local linear trend, log annual values", "level": level}
    if n < MIN_YEARS or at_year not in y.index:
        out["note"] = f"{n} annual value(s) up to {at_year}: at least {MIN_YEARS} needed for the trend model"
        return out
    res = _fit(y)
    i = list(y.index).index(at_year)
    z = stats.norm.ppf(0.5 + level / 2)
    for kind, state, cov in (("filtered", res.filtered_state, res.filtered_state_cov),
                             ("smoothed", res.smoothed_state, res.smoothed_state_cov)):
        s, se = float(state[1, i]), math.sqrt(max(float(cov[1, 1, i]), 0.0))
        out[f"{kind}_slope_pct"] = _pct(s)
        out[f"{kind}_slope_low_pct"] = _pct(s - z * se)
        out[f"{kind}_slope_high_pct"] = _pct(s + z * se)
        out[f"{kind}_slope_p"] = float(2 * stats.norm.sf(abs(s) / se)) if se > 0 else None
    out["years"] = [int(y.index.min()), int(y.index.max())]
    out["sigma2"] = {k: float(v) for k, v in zip(res.model.param_names, res.params)}
    out["note"] = (f"fitted on {n} annual values {y.index.min()}-{y.index.max()}; filtered slope uses years up to "
                   f"{at_year}, smoothed slope every year fitted")
    return out


def direction(stat: dict, kind: str) -> str | None:
    """'down' / 'up' when the slope's whole interval is below / above zero, 'flat' when it
    straddles zero, None when not fitted."""
    lo, hi = stat.get(f"{kind}_slope_low_pct"), stat.get(f"{kind}_slope_high_pct")
    if lo is None or hi is None:
        return None
    return "down" if hi < 0 else "up" if lo > 0 else "flat"


def level_shift(values: pd.Series, year: int, level: float = 0.95) -> dict:
    """Step in log level from ``year`` on, with a linear trend, OLS over +-SPAN years."""
    y = _grid(values).dropna()
    y = y[(y.index >= year - SPAN) & (y.index <= year + SPAN - 1)]
    before, after = int((y.index < year).sum()), int((y.index >= year).sum())
    out = {"year": year, "n": int(len(y)), "n_before": before, "n_after": after}
    if before < 3 or after < 1 or len(y) < 5:
        out["note"] = f"{before} year(s) before and {after} from {year}: at least 3 and 1 needed"
        return out
    x = np.column_stack([np.ones(len(y)), y.index.values - year, (y.index.values >= year).astype(float)])
    fit = OLS(y.values, x).fit()
    b, se = float(fit.params[2]), float(fit.bse[2])
    lo, hi = fit.conf_int(1 - level)[2]
    out.update(shift_pct=_pct(b), shift_low_pct=_pct(lo), shift_high_pct=_pct(hi),
               p_value=float(fit.pvalues[2]) if np.isfinite(fit.pvalues[2]) else None,
               note=f"OLS, log level on trend + step from {year}, years {y.index.min()}-{y.index.max()}")
    if after == 1:  # the step then fits that one year exactly: no test, only the size
        out.update(shift_low_pct=None, shift_high_pct=None, p_value=None)
        out["note"] += "; one year after the step: the step equals that year's deviation from the trend (not tested)"
    return out
