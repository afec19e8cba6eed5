"""structural (local linear trend, direction, level shifts) and changepoints on hand-worked series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from turnover.model import structural
from turnover.model.changepoints import MIN_POINTS, detect
from turnover.model.structural import MIN_YEARS, SPAN, direction, level_shift, local_linear_trend


def _ols_step(values: dict, year: int, level: float = 0.95) -> dict:
    """OLS of log value on 1, t - year and a step from year (over year-6 .. year+5), by hand."""
    yrs = [y for y in sorted(values) if year - 6 <= y <= year + 5]
    y = np.log([values[k] for k in yrs])
    x = np.column_stack([np.ones(len(yrs)), np.array(yrs) - year, (np.array(yrs) >= year).astype(float)])
    beta = np.linalg.solve(x.T @ x, x.T @ y)
    df = len(yrs) - 3
    resid = y - x @ beta
    se = math.sqrt(resid @ resid / df * np.linalg.inv(x.T @ x)[2, 2])
    t = stats.t.ppf(0.5 + level / 2, df)
    pct = lambda b: 100 * (math.exp(b) - 1)
    return {"shift_pct": pct(beta[2]), "shift_low_pct": pct(beta[2] - t * se), "shift_high_pct": pct(beta[2] + t * se),
            "p_value": 2 * stats.t.sf(abs(beta[2] / se), df), "n": len(yrs)}


def test_constants():
    assert (MIN_YEARS, SPAN, MIN_POINTS) == (6, 6, 6)


# ---- level_shift ---------------------------------------------------------------------------

def test_level_shift_matches_ols_by_hand_over_six_years_either_side():
    rng = np.random.default_rng(4)
    vals = {y: 100 * 1.05 ** (y - 1990) * (0.6 if y >= 2010 else 1) * math.exp(rng.normal(0, 0.03))
            for y in range(1990, 2021)}
    out = level_shift(pd.Series(vals), 2010)
    want = _ols_step(vals, 2010)
    assert (out["year"], out["n"], out["n_before"], out["n_after"]) == (2010, 12, 6, 6)
    for k in ("shift_pct", "shift_low_pct", "shift_high_pct", "p_value"):
        assert out[k] == pytest.approx(want[k], rel=1e-7), k
    assert out["shift_pct"] == pytest.approx(-40, abs=5) and out["p_value"] < 0.01
    assert out["note"] == "OLS, log level on trend + step from 2010, years 2004-2015"
    assert set(out) == {"year", "n", "n_before", "n_after", "shift_pct", "shift_low_pct", "shift_high_pct",
                        "p_value", "note"}
    wide = level_shift(pd.Series(vals), 2010, level=0.99)
    want99 = _ols_step(vals, 2010, 0.99)
    assert wide["shift_low_pct"] == pytest.approx(want99["shift_low_pct"], rel=1e-7)
    assert wide["shift_high_pct"] == pytest.approx(want99["shift_high_pct"], rel=1e-7)


def test_level_shift_needs_three_before_and_one_after_and_five_years():
    v = pd.Series({y: 100.0 + 3 * (y - 2000) + (y % 2) for y in range(2000, 2006)})  # 2000-2005
    assert level_shift(v, 2002) == {"year": 2002, "n": 6, "n_before": 2, "n_after": 4,
                                    "note": "2 year(s) before and 4 from 2002: at least 3 and 1 needed"}
    ok = level_shift(v, 2003)
    assert (ok["n_before"], ok["n_after"], ok["p_value"] is not None) == (3, 3, True)
    assert level_shift(v, 2006)["note"] == "6 year(s) before and 0 from 2006: at least 3 and 1 needed"
    four = level_shift(v.loc[2000:2003], 2003)  # 3 before, 1 after, but only 4 years
    assert four == {"year": 2003, "n": 4, "n_before": 3, "n_after": 1,
                    "note": "3 year(s) before and 1 from 2003: at least 3 and 1 needed"}
    five = level_shift(v.loc[2000:2004], 2004)  # 4 before and 1 after: the step is only a size
    assert (five["n"], five["shift_low_pct"], five["shift_high_pct"], five["p_value"]) == (5, None, None, None)
    trend = np.polyfit(np.arange(2000, 2004), np.log(v.loc[2000:2003].values), 1)
    assert five["shift_pct"] == pytest.approx(100 * (v[2004] / math.exp(np.polyval(trend, 2004)) - 1), rel=1e-9)
    assert five["note"] == ("OLS, log level on trend + step from 2004, years 2000-2004; one year after the step: "
                            "the step equals that year's deviation from the trend (not tested)")


def test_level_shift_ignores_missing_and_non_positive_values():
    v = pd.Series({2000: 10.0, 2001: 11.0, 2002: np.nan, 2003: 13.0, 2004: 0.0, 2005: 7.0, 2006: 7.5, 2007: 8.0})
    out = level_shift(v, 2005)
    assert (out["n"], out["n_before"], out["n_after"]) == (6, 3, 3)
    want = _ols_step({y: x for y, x in v.items() if x == x and x > 0}, 2005)
    assert out["shift_pct"] == pytest.approx(want["shift_pct"], rel=1e-9)


# ---- local linear trend and its direction -----------------------------------------------------

def test_too_few_years_or_a_year_outside_are_not_fitted():
    v = pd.Series({y: 100.0 * 1.1 ** (y - 2000) for y in range(2000, 2005)})  # 5 years
    base = {"n": 5, "model": "UnobservedComponents, local linear trend, log annual values", "level": 0.95}
    assert local_linear_trend(v, 2004) == {**base, "note": "5 annual value(s) up to 2004: at least 6 needed for the trend model"}
    v6 = pd.Series({y: 100.0 * 1.1 ** (y - 2000) for y in range(2000, 2006)})
    assert local_linear_trend(v6, 2009, 0.9) == {**base, "n": 6, "level": 0.9,
                                                 "note": "6 annual value(s) up to 2009: at least 6 needed for the trend model"}
    assert "filtered_slope_pct" in local_linear_trend(v6, 2005)


def test_a_steady_growth_has_that_slope_and_interval_width_follows_the_level():
    rng = np.random.default_rng(11)
    v = pd.Series({y: 100.0 * 1.10 ** (y - 2000) * math.exp(rng.normal(0, 0.02)) for y in range(2000, 2016)})
    v[2007] = np.nan  # missing years stay missing
    out = local_linear_trend(v, 2015)
    assert out["n"] == 15 and out["years"] == [2000, 2015] and out["level"] == 0.95
    assert out["model"] == "UnobservedComponents, local linear trend, log annual values"
    assert set(out["sigma2"]) == {"sigma2.irregular", "sigma2.level", "sigma2.trend"}
    assert out["note"] == ("fitted on 15 annual values 2000-2015; filtered slope uses years up to 2015, smoothed slope "
                           "every year fitted")
    for kind in ("filtered", "smoothed"):
        s = out[f"{kind}_slope_pct"]
        assert s == pytest.approx(10, abs=1.5)
        lo, hi = math.log1p(out[f"{kind}_slope_low_pct"] / 100), math.log1p(out[f"{kind}_slope_high_pct"] / 100)
        mid = math.log1p(s / 100)
        assert mid - lo == pytest.approx(hi - mid, rel=1e-9)  # symmetric on the log scale
        se = (hi - lo) / (2 * stats.norm.ppf(0.975))
        assert out[f"{kind}_slope_p"] == pytest.approx(2 * stats.norm.sf(abs(mid) / se), rel=1e-6, abs=1e-300)
        assert direction(out, kind) == "up"
    half = local_linear_trend(v, 2015, level=0.5)
    w95 = math.log1p(out["filtered_slope_high_pct"] / 100) - math.log1p(out["filtered_slope_low_pct"] / 100)
    w50 = math.log1p(half["filtered_slope_high_pct"] / 100) - math.log1p(half["filtered_slope_low_pct"] / 100)
    assert w50 / w95 == pytest.approx(stats.norm.ppf(0.75) / stats.norm.ppf(0.975), rel=1e-9)
    # at a middle year the filtered slope uses only the years before; the smoothed slope all years
    mid_year = local_linear_trend(v, 2008)
    assert mid_year["note"].endswith("filtered slope uses years up to 2008, smoothed slope every year fitted")
    assert mid_year["filtered_slope_pct"] != pytest.approx(mid_year["smoothed_slope_pct"], rel=1e-6)


def test_filtered_slope_at_a_year_ignores_later_years():
    # same first 10 years, very different later years: the filtered slope at 2009 only depends on the
    # fitted variances, so with the fit fixed (same parameters) it equals a fit with NaN later years
    rng = np.random.default_rng(3)
    base = {y: 100.0 * 1.08 ** (y - 2000) * math.exp(rng.normal(0, 0.05)) for y in range(2000, 2016)}
    out = local_linear_trend(pd.Series(base), 2009)
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    y = np.log(pd.Series(base).values)
    fit = UnobservedComponents(y, level="local linear trend").fit(disp=False)
    cut = np.r_[y[:10], np.full(6, np.nan)]
    filt = UnobservedComponents(cut, level="local linear trend").filter(fit.params)
    assert out["filtered_slope_pct"] == pytest.approx(100 * math.expm1(filt.filtered_state[1, 9]), rel=1e-6)
    assert out["smoothed_slope_pct"] == pytest.approx(100 * math.expm1(fit.smoothed_state[1, 9]), rel=1e-6)


@pytest.mark.parametrize("lo, hi, want", [(-5.0, -0.1, "down"), (-5.0, 0.0, "flat"), (0.0, 3.0, "flat"),
                                          (0.1, 3.0, "up"), (-1.0, 1.0, "flat"), (None, 1.0, None), (1.0, None, None)])
def test_direction_reads_the_whole_interval(lo, hi, want):
    for kind in ("filtered", "smoothed"):
        stat = {f"{kind}_slope_low_pct": lo, f"{kind}_slope_high_pct": hi}
        assert direction(stat, kind) == want
    other = {"smoothed_slope_low_pct": 1.0, "smoothed_slope_high_pct": 2.0}
    assert direction(other, "filtered") is None


# ---- change points -----------------------------------------------------------------------------

YEARS = pd.date_range("2000-12-31", periods=12, freq="YE")


def test_annual_step_with_robust_sigma():
    y = pd.Series([10, 12, 9, 11, 50, 53, 49, 52], index=YEARS[:8], dtype=float)
    # lag-1 differences 2,-3,2,39,3,-4,3: median 2, absolute deviations' median 1
    sigma = 1 / 0.6745 / math.sqrt(2)
    pen = 2 * sigma ** 2 * math.log(8)
    out = detect(y)
    assert out == {"breaks": ["2003-12-31"],
                   "segments": [{"start": "2000-12-31", "end": "2003-12-31", "mean": 10.5},
                                {"start": "2004-12-31", "end": "2007-12-31", "mean": 51.0}],
                   "penalty": pytest.approx(pen), "n": 8, "min_size": 2,
                   "note": f"PELT (l2) on annual values, penalty 2*sigma^2*ln(n) = {pen:.3g}"}


def test_zero_mad_falls_back_to_the_standard_deviation():
    y = pd.Series([10, 10, 10, 10, 50, 50, 50, 50], index=YEARS[:8], dtype=float)
    out = detect(y)
    pen = 2 * 20.0 ** 2 * math.log(8)  # std of the values
    assert out["penalty"] == pytest.approx(pen) and out["breaks"] == ["2003-12-31"]
    flat = detect(pd.Series(7.0, index=YEARS[:8]))
    assert flat["penalty"] == pytest.approx(2 * 1e-18 * math.log(8), rel=1e-9, abs=0) and flat["breaks"] == []


def test_given_penalty_and_min_size():
    y = pd.Series([10, 12, 9, 11, 50, 53, 49, 52], index=YEARS[:8], dtype=float)
    out = detect(y, penalty=5000.0)
    assert out["breaks"] == [] and out["segments"] == [{"start": "2000-12-31", "end": "2007-12-31", "mean": 30.75}]
    assert out["note"] == "PELT (l2), penalty 5e+03 (given)" and out["penalty"] == 5000.0
    assert detect(y, min_size=3)["min_size"] == 3
    assert detect(y, min_size=5) == {"breaks": [], "segments": [], "penalty": None, "n": 8, "min_size": 5,
                                     "note": "8 points: too few for change-point detection (need 10)"}


def test_too_short_series_are_not_searched():
    y = pd.Series([1.0, 2, 3, 10, 11], index=YEARS[:5])
    assert detect(y) == {"breaks": [], "segments": [], "penalty": None, "n": 5, "min_size": 2,
                         "note": "5 points: too few for change-point detection (need 6)"}
    assert detect(pd.Series([1.0, 2, 3, 10, 11, 12], index=YEARS[:6]))["penalty"] is not None
    months = pd.date_range("2010-01-31", periods=11, freq="ME")
    assert detect(pd.Series(np.arange(11.0), index=months))["note"] == \
        "11 points: too few for change-point detection (need 12)"
    quarters = pd.date_range("2010-03-31", periods=6, freq="QE")
    q = detect(pd.Series([1.0, 1.2, 0.9, 5, 5.1, 4.9], index=quarters))
    assert q["min_size"] == 2 and q["n"] == 6 and q["penalty"] is not None


def test_monthly_shift_found_after_removing_the_season():
    rng = np.random.default_rng(8)
    pattern = np.array([-30, -20, -5, 0, 5, 10, 20, 30, 15, 0, -10, -15], dtype=float)
    months = pd.date_range("2010-01-31", periods=48, freq="ME")
    y = np.r_[np.full(24, 200.0), np.full(24, 120.0)] + np.tile(pattern, 4) + rng.normal(0, 2, 48)
    out = detect(pd.Series(y, index=months))
    d = y[12:] - y[:-12]
    sigma = np.median(np.abs(d - np.median(d))) / 0.6745 / math.sqrt(2)
    assert out["penalty"] == pytest.approx(2 * sigma ** 2 * math.log(48))
    assert out["breaks"] == ["2011-12-31"] and out["min_size"] == 6
    assert out["note"].startswith("PELT (l2) on deseasonalized month values, penalty 2*sigma^2*ln(n) = ")
    assert out["segments"][0]["mean"] == pytest.approx(200 + y[:24].mean() - 200, abs=3)


# ---- one BLAS thread around the fits ------------------------------------------------------------

def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_the_trend_fit_runs_on_one_blas_thread_and_gives_the_same_numbers(monkeypatch):
    """SciPy's L-BFGS-B is slow under multi-threaded OpenBLAS on fits this small: the fit runs with
    every BLAS library on one thread, the rest of the process keeps its threads, and the numbers
    are those of an unlimited fit to the last bit."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents
    from threadpoolctl import threadpool_limits

    seen = []

    class Recording(UnobservedComponents):
        def fit(self, *args, **kwargs):
            seen.append(_blas_threads())
            return super().fit(*args, **kwargs)

    monkeypatch.setattr(structural, "UnobservedComponents", Recording)
    monkeypatch.setattr(structural, "_FITS", {})
    rng = np.random.default_rng(21)
    v = pd.Series({y: 100.0 * 1.03 ** (y - 1995) * math.exp(rng.normal(0, 0.08)) for y in range(1995, 2021)})
    with threadpool_limits(2, "blas"):  # as OpenBLAS starts on a 2-core machine
        out = local_linear_trend(v, 2020)
        after = _blas_threads()
    assert seen and seen[0] and set(seen[0]) == {1}  # every BLAS library loaded, one thread each
    assert after and set(after) == {2}  # restored after the fit
    with threadpool_limits(2, "blas"):
        y = structural._grid(v)
        free = UnobservedComponents(y.values, level="local linear trend").fit(disp=False)
    res = structural._FITS[next(iter(structural._FITS))]
    assert np.array_equal(res.params, free.params)
    assert np.array_equal(res.filtered_state, free.filtered_state)
    assert np.array_equal(res.smoothed_state_cov, free.smoothed_state_cov)
    assert out["sigma2"] == {k: float(p) for k, p in zip(free.model.param_names, free.params)}
