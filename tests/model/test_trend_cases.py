"""trend_tests and seasonal_sen on series whose statistics are worked out by hand (whole dicts)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from turnover.model.trend import HAC_MIN_N, HAMED_RAO_MIN_N, MIN_N, seasonal_sen, trend_tests

SEN_NOTE = ("no seasonal decomposition (annual or year-to-date data carry no seasonality): seasonal = 0, "
            "trend = Theil-Sen line; no gaps filled")


def _jan1(n: int, start: int = 2000) -> pd.DatetimeIndex:
    return pd.DatetimeIndex([pd.Timestamp(start + i, 1, 1) for i in range(n)])  # x = the year, exactly


def _mk_p(s: float, var: float) -> tuple[float, float]:
    z = (s - np.sign(s)) / math.sqrt(var)
    return z, 2 * stats.norm.sf(abs(z))


def test_constants():
    assert (MIN_N, HAC_MIN_N, HAMED_RAO_MIN_N) == (3, 8, 10)


def test_three_points_are_enough_and_two_are_not():
    assert trend_tests(pd.Series([1.0, 2.0], index=_jan1(2))) == {
        "n": 2, "p_value": None, "note": "2 point(s): at least 3 needed for a trend test"}
    out = trend_tests(pd.Series([3.0, 1.0, 2.0, np.nan], index=_jan1(4)), "annual")
    assert out["n"] == 3 and out["mk_s"] == -1  # the NaN is dropped; pairs: -, -, +


@pytest.mark.parametrize("n", [7, 8, 9])
def test_annual_linear_series_whole_dict(n):
    y = 100.0 + 5.0 * np.arange(n)
    out = trend_tests(pd.Series(y, index=_jan1(n)), "annual")
    s = n * (n - 1) / 2
    var = n * (n - 1) * (2 * n + 5) / 18
    z, p = _mk_p(s, var)
    want = {"n": n, "p_value": pytest.approx(p, rel=1e-9), "mk_test": "Mann-Kendall (original)", "frequency": "annual",
            "mk_trend": "increasing", "mk_tau": 1.0, "mk_s": s, "mk_z": pytest.approx(z, rel=1e-9),
            "decomposition": "sen-line", "sen_method": "Theil-Sen slope, scipy CI", "sen_slope": pytest.approx(5.0),
            "sen_slope_ci_low": pytest.approx(5.0), "sen_slope_ci_high": pytest.approx(5.0),
            "sen_slope_pct_per_year": pytest.approx(100 * 5.0 / float(np.median(y))),
            "note": f"{SEN_NOTE}; fewer than 10 points: no autocorrelation correction"}
    if n >= 8:
        want.update(hac_slope=pytest.approx(5.0), hac_se=pytest.approx(0.0, abs=1e-9), hac_maxlags=2,
                    hac_p=out.get("hac_p"))
    else:
        want["note"] += "; no HAC regression: below 8 points its standard errors are unreliable"
    assert out == want
    assert out["p_value"] < 0.05


def test_ten_points_use_hamed_rao_and_nine_do_not():
    rng = np.random.default_rng(1)
    y = 1000 - 30.0 * np.arange(10) + rng.normal(0, 10, 10)
    nine = trend_tests(pd.Series(y[:9], index=_jan1(9)), "annual")
    ten = trend_tests(pd.Series(y, index=_jan1(10)), "annual")
    assert nine["mk_test"] == "Mann-Kendall (original)"
    assert ten["mk_test"] == "Mann-Kendall, Hamed-Rao autocorrelation correction"
    assert ten["note"] == SEN_NOTE and ten["mk_trend"] == "decreasing" and ten["mk_tau"] == -1.0
    sen = stats.theilslopes(y, np.arange(2000, 2010), alpha=0.95)
    assert (ten["sen_slope"], ten["sen_slope_ci_low"], ten["sen_slope_ci_high"]) == \
        pytest.approx((sen.slope, sen.low_slope, sen.high_slope))
    ols = np.polyfit(np.arange(2000, 2010), y, 1)[0]
    assert ten["hac_slope"] == pytest.approx(ols) and ten["hac_maxlags"] == 2 and 0 <= ten["hac_p"] < 0.05
    assert ten["sen_slope_pct_per_year"] == pytest.approx(100 * sen.slope / np.median(y))


def test_alpha_sets_the_sen_interval():
    rng = np.random.default_rng(2)
    y = 50 + 2.0 * np.arange(12) + rng.normal(0, 3, 12)
    x = np.arange(2000, 2012)
    for alpha in (0.05, 0.2):
        out = trend_tests(pd.Series(y, index=_jan1(12)), "annual", alpha=alpha)
        sen = stats.theilslopes(y, x, alpha=1 - alpha)
        assert (out["sen_slope_ci_low"], out["sen_slope_ci_high"]) == pytest.approx((sen.low_slope, sen.high_slope))


def test_a_zero_median_gives_no_percentage():
    out = trend_tests(pd.Series([-2.0, -1.0, 0.0, 1.0, 2.0], index=_jan1(5)), "annual")
    assert out["sen_slope"] == pytest.approx(1.0) and out["sen_slope_pct_per_year"] is None


def test_monthly_seasonal_series_whole_dict():
    pattern = np.array([-30, -20, -5, 0, 5, 10, 20, 30, 15, 0, -10, -15], dtype=float)
    n = 36
    y = 1000 + 2.0 * np.arange(n) + np.tile(pattern, 3)  # +2 a month = +24 a year, every season
    idx = pd.date_range("2010-01-31", periods=n, freq="ME")
    out = trend_tests(pd.Series(y, index=idx))
    s, var = 12 * 3, 12 * (3 * 2 * 11 / 18)  # each season: 3 rising values
    z, p = _mk_p(s, var)
    assert out["mk_test"] == "seasonal Mann-Kendall (period 12)" and out["frequency"] == "month"
    assert (out["mk_s"], out["mk_trend"], out["decomposition"]) == (36, "increasing", "stl")
    assert out["mk_z"] == pytest.approx(z) and out["p_value"] == pytest.approx(p)
    assert out["sen_method"] == "seasonal Sen's slope (same season, year to year), Gilbert CI"
    assert (out["sen_slope"], out["sen_slope_ci_low"], out["sen_slope_ci_high"]) == pytest.approx((24.0, 24.0, 24.0))
    assert out["sen_slope_pct_per_year"] == pytest.approx(100 * 24 / np.median(y))
    assert out["hac_slope"] == pytest.approx(24.0, rel=0.02) and out["hac_maxlags"] == 3  # the STL trend, per year
    assert out["hamed_rao_z_deseasonalized"] > 0 or out["hamed_rao_z_deseasonalized"] is None
    assert out["note"].startswith("STL (robust, period 12) on 36 monthly points; no gaps filled")
    assert set(out) >= {"n", "p_value", "mk_tau", "hamed_rao_p_deseasonalized", "hac_se", "hac_p"}


def test_seasonal_sen_gilbert_ranks():
    v = np.array([0, 10, 1, 13, 3, 15], dtype=float)  # period 2: slopes 1, 1.5, 2 and 3, 2.5, 2
    assert seasonal_sen(v, 2, 1.0, 0.05) == pytest.approx((2.0, 1.5, 2.5))  # c = 1.96: ranks 1 and 4
    assert seasonal_sen(v, 2, 4.0, 0.05) == pytest.approx((2.0, 1.0, 3.0))  # c = 3.92: ranks 0 and 5
    assert seasonal_sen(v, 2, -1.0, 0.05) == pytest.approx((2.0, 2.0, 2.0))  # negative var S counts as 0
    assert seasonal_sen(v, 2, 1.0, 0.5) == pytest.approx((2.0, 2.0, 2.0))  # c = 0.67: ranks 2 and 3
    assert all(math.isnan(x) for x in seasonal_sen(np.array([1.0]), 2, 1.0, 0.05))
    # slopes are per season step: values two seasons apart divide by 2
    assert seasonal_sen(np.array([0, 1, 4, 2, 8, 3], dtype=float), 2, 0.0, 0.05)[0] == pytest.approx(2.5)


def test_time_is_in_fractional_years():
    # irregular dates within their years; values rise exactly 7 a year in year + (day of year - 1) / 365.25
    idx = pd.DatetimeIndex(["2000-03-01", "2001-09-15", "2002-12-31", "2004-06-30", "2005-01-01", "2006-07-04",
                            "2008-02-29", "2009-11-11"])
    x = idx.year + (idx.day_of_year - 1) / 365.25
    out = trend_tests(pd.Series(7.0 * np.asarray(x), index=idx), "annual")
    assert out["sen_slope"] == pytest.approx(7.0, rel=1e-12) and out["hac_slope"] == pytest.approx(7.0, rel=1e-9)
