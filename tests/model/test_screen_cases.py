"""screen, screen_matrix and seasonal_mk on hand-worked series; deflate by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from turnover.model.deflate import deflate, deflate_yoy
from turnover.text.phrases import DEFLATION_UNTESTED as UNTESTED
from turnover.model.errors import ModelInputError
from turnover.model.screen import CHUNK, NUMERIC, screen, screen_matrix, seasonal_mk

PATTERN = np.array([-30, -20, -5, 0, 5, 10, 20, 30, 15, 0, -10, -15], dtype=float)
MONTHS = pd.date_range("2010-01-31", periods=36, freq="ME")


def test_seasonal_mk_with_ties_by_hand():
    x = np.array([[1, 5, 1, 6, 2, 6]], dtype=float)  # period 2: seasons [1, 1, 2] and [5, 6, 6]
    r = seasonal_mk(x, 2, 0.05)
    var = 2 * (3 * 2 * 11 - 2 * 1 * 9) / 18  # one pair of ties in each season
    z = 3 / math.sqrt(var)
    assert r["mk_s"].tolist() == [4] and r["var_s"].tolist() == pytest.approx([var])
    assert r["mk_tau"].tolist() == pytest.approx([4 / 6]) and r["mk_z"].tolist() == pytest.approx([z])
    assert r["p_value"].tolist() == pytest.approx([2 * stats.norm.sf(z)])
    # slopes 0, 0.5, 1 and 1, 0.5, 0: median 0.5; c = 1.96 sqrt(var) = 4.53 -> ranks 0 and 5
    assert (r["sen_slope"].tolist(), r["sen_slope_ci_low"].tolist(), r["sen_slope_ci_high"].tolist()) == \
        ([0.5], [0.0], [1.0])
    wide = seasonal_mk(x, 2, 0.9)  # c = 0.126 sqrt(var): ranks 2 and 3
    assert (wide["sen_slope_ci_low"].tolist(), wide["sen_slope_ci_high"].tolist()) == ([0.5], [0.5])
    down = seasonal_mk(-x, 2, 0.05)
    assert down["mk_s"].tolist() == [-4] and down["mk_z"].tolist() == pytest.approx([-z])
    flat = seasonal_mk(np.ones((1, 6)), 2, 0.05)
    assert flat["mk_s"].tolist() == [0] and flat["mk_z"].tolist() == [0.0] and flat["p_value"].tolist() == [1.0]


def test_screen_of_a_clean_seasonal_rise_whole_row():
    y = 1000 + 2.0 * np.arange(36) + np.tile(PATTERN, 3)  # +24 a year in every season
    frame = pd.DataFrame({"up": y, "down": 2000 - y}, index=MONTHS)
    out = screen(frame)
    var = 12 * 3 * 2 * 11 / 18
    z = 35 / math.sqrt(var)
    up = out.loc["up"]
    assert (up["n"], up["mk_s"], up["mk_tau"], up["mk_trend"]) == (36, 36, 1.0, "increasing")
    assert up["mk_z"] == pytest.approx(z) and up["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    assert (up["sen_slope"], up["sen_slope_ci_low"], up["sen_slope_ci_high"]) == pytest.approx((24.0, 24.0, 24.0))
    assert up["sen_slope_pct_per_year"] == pytest.approx(100 * 24 / np.median(y))
    assert up["hac_slope"] == pytest.approx(24.0, rel=0.02) and up["hac_maxlags"] == 3
    assert (up["decomposition"], up["how"], up["note"]) == ("stl", "vectorised", "STL (robust, period 12)")
    down = out.loc["down"]
    assert (down["mk_s"], down["mk_trend"], down["sen_slope"]) == (-36, "decreasing", pytest.approx(-24.0))
    assert list(out.columns) == NUMERIC + ["mk_trend", "decomposition", "how", "note"]
    assert screen(frame, stl_outer_iter=2).loc["up", "note"] == "STL (robust, 2 passes, period 12)"
    # a median of zero: no percentage
    zero = screen(pd.DataFrame({"z": np.tile(PATTERN, 3)}, index=MONTHS)).loc["z"]
    assert np.median(np.tile(PATTERN, 3)) == 0 and np.isnan(zero["sen_slope_pct_per_year"])


def test_screen_refused_and_short_columns_say_why():
    y = 1000 + 2.0 * np.arange(36) + np.tile(PATTERN, 3)
    gappy = y.copy()
    gappy[5:9] = np.nan  # four in a row: refused, as the model refuses it
    short = np.full(36, np.nan)
    short[-2:] = [1.0, 2.0]
    out = screen(pd.DataFrame({"ok": y, "gappy": gappy, "short": short}, index=MONTHS))
    g = out.loc["gappy"]
    assert g["n"] == 32 and g["how"] == "per series" and pd.isna(g["mk_trend"]) and pd.isna(g["decomposition"])
    assert g["note"] == ("decompose: 4 of 36 periods missing (longest gap 4); too many to fill "
                         "(limits: 10% and 2 in a row)")
    assert all(np.isnan(g[k]) for k in NUMERIC if k != "n")
    s = out.loc["short"]
    assert s["n"] == 2 and s["note"] == "2 point(s): at least 3 needed for a trend test" and np.isnan(s["p_value"])
    assert out.loc["ok", "how"] == "vectorised"


def test_screen_matrix_accumulates_cpu_timings():
    y = np.vstack([1000 + 2.0 * np.arange(36) + np.tile(PATTERN, 3)] * 2)
    timings = {"stl": 1.0, "tests": 2.0}
    res = screen_matrix(y, MONTHS, 12, timings=timings)
    assert set(timings) == {"stl", "tests"}
    assert isinstance(timings["stl"], float) and timings["stl"] >= 1.0
    assert isinstance(timings["tests"], float) and timings["tests"] >= 2.0
    fresh: dict = {}
    screen_matrix(y, MONTHS, 12, timings=fresh)
    assert set(fresh) == {"stl", "tests"} and fresh["stl"] >= 0.0 and fresh["tests"] >= 0.0
    assert res["mk_s"].tolist() == [36, 36] and CHUNK == 256
    assert screen_matrix(y[:, :7], MONTHS[:7], 2).keys().isdisjoint({"hac_slope", "hac_se", "hac_p"})  # below 8 points


# ---- deflate ---------------------------------------------------------------------------------

def test_deflate_by_hand_keeps_index_and_name():
    prices = pd.Series({2014: 80.0, 2015: 100.0, 2016: 125.0})
    idx = pd.DatetimeIndex(["2014-12-31", "2015-06-30", "2016-12-31"])
    v = pd.Series([100, 100, 100], index=idx, name="turnover", dtype=object)
    out = deflate(v, prices)  # in 2016 prices (the latest year)
    assert out.tolist() == pytest.approx([156.25, 125.0, 100.0]) and out.dtype == np.float64
    assert out.index.equals(idx) and out.name == "turnover"
    assert deflate(v, prices, base_year=2014).tolist() == pytest.approx([100.0, 80.0, 64.0])
    with pytest.raises(ModelInputError) as err:
        deflate(v, prices, base_year=2013)
    assert str(err.value) == "deflate: base year 2013 not in the deflator"
    with pytest.raises(ModelInputError) as err:
        deflate(pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2012-12-31", "2017-12-31"])), prices)
    assert str(err.value) == "deflate: no deflator value for year(s) 2012, 2017"


def test_deflate_yoy_by_hand():
    prices = pd.Series({2014: 80.0, 2015: 100.0, 2016: 125.0})
    assert deflate_yoy(25.0, 2016, prices) == pytest.approx(0.0)  # +25% nominal, prices +25%
    assert deflate_yoy(-20.0, 2015, prices) == pytest.approx(100 * (0.8 * 0.8 - 1))  # -36%
    for year in (2014, 2017):
        with pytest.raises(ModelInputError) as err:
            deflate_yoy(5.0, year, prices)
        assert str(err.value) == f"deflate: no deflator for {year - 1}-{year}"
    assert UNTESTED.startswith("untested: no USD price index")
