"""Trend tests and change points on synthetic series with known trend and seasonality."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from turnover.model.changepoints import detect
from turnover.model.trend import trend_tests

MONTHS = pd.date_range("2010-01-31", periods=96, freq="ME")
slow = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pattern = st.lists(st.floats(-0.4, 0.4), min_size=12, max_size=12)


@slow
@given(years=st.integers(4, 8), level=st.floats(1e6, 1e9), decline=st.floats(0.02, 0.2),
       season=pattern, seed=st.integers(0, 2**32 - 1))
def test_a_planted_decline_is_found(years, level, decline, season, seed):
    n = 12 * years
    t = np.arange(n) / 12
    step = level * decline  # per year
    noise = np.random.default_rng(seed).uniform(-0.2, 0.2, n) * step  # below half a year's decline
    y = level - step * t + level * np.tile(season, years) * 0.5 + noise
    res = trend_tests(pd.Series(y, index=MONTHS[:n]))
    assert res["mk_test"].startswith("seasonal")
    assert res["p_value"] < 0.05 and res["mk_trend"] == "decreasing"
    # Hamed-Rao's corrected variance can be undefined on a smooth deseasonalized series; when
    # defined it must point down too
    hr = res.get("hamed_rao_z_deseasonalized")
    assert (hr is None and "undefined" in res["note"]) or hr < 0
    assert res["sen_slope"] < 0 and res["sen_slope_ci_high"] < 0
    assert res["sen_slope_ci_low"] <= res["sen_slope"] <= res["sen_slope_ci_high"]


@slow
@given(years=st.integers(3, 8), level=st.floats(1e6, 1e9), season=pattern)
def test_a_flat_series_with_seasonality_is_not_called_declining(years, level, season):
    y = level * (1 + 0.5 * np.tile(season, years))
    res = trend_tests(pd.Series(y, index=MONTHS[:12 * years]))
    assert res["mk_trend"] == "no trend" and res["p_value"] > 0.05
    assert abs(res["sen_slope"]) <= 1e-9 * level


def test_annual_series_use_the_uncorrected_test_below_ten_points_and_hamed_rao_above():
    years = pd.date_range("2005-12-31", periods=16, freq="YE")
    y = pd.Series(1000 - 30 * np.arange(16) + 25 * np.sin(np.arange(16)), index=years)
    assert trend_tests(y.iloc[:6])["mk_test"] == "Mann-Kendall (original)"
    full = trend_tests(y)
    assert "Hamed-Rao" in full["mk_test"] and full["sen_slope"] < 0 and full["p_value"] < 0.05
    assert full["hac_slope"] < 0 and 0 <= full["hac_p"] < 0.05
    assert trend_tests(y.iloc[:2]) == {"n": 2, "p_value": None, "note": "2 point(s): at least 3 needed for a trend test"}


def test_change_point_found_at_a_level_shift_and_none_in_noise():
    rng = np.random.default_rng(7)
    y = pd.Series(np.r_[np.full(36, 100.0), np.full(36, 60.0)] + rng.normal(0, 2, 72), index=MONTHS[:72])
    cp = detect(y)
    assert cp["breaks"] == ["2012-12-31"] and cp["penalty"] > 0 and "2*sigma^2*ln(n)" in cp["note"]
    flat = pd.Series(100 + rng.normal(0, 2, 72) + np.tile(np.linspace(-10, 10, 12), 6), index=MONTHS[:72])
    assert detect(flat)["breaks"] == []
    assert detect(y.iloc[:3])["breaks"] == []
