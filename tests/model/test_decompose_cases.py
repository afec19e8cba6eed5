"""decompose: frequency boundaries, gap limits at their edges, the exact notes, and STL's settings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.seasonal import STL

from turnover.model.decompose import STL_OUTER_ITER, decompose, infer_frequency, stl, stl_label
from turnover.model.errors import ModelInputError

MONTHS = pd.date_range("2010-01-31", periods=120, freq="ME")
QUARTERS = pd.date_range("2000-03-31", periods=40, freq="QE")
PATTERN = np.array([-30, -20, -5, 0, 5, 10, 20, 30, 15, 0, -10, -15], dtype=float)


@pytest.mark.parametrize("days, freq", [(1, "month"), (44, "month"), (45, "quarter"), (134, "quarter"),
                                        (135, "annual"), (365, "annual")])
def test_infer_frequency_at_the_day_boundaries(days, freq):
    t0 = pd.Timestamp("2010-01-31")
    idx = pd.DatetimeIndex([t0, t0 + pd.Timedelta(days=days), t0 + pd.Timedelta(days=2 * days)])
    assert infer_frequency(idx) == freq


def test_infer_frequency_of_one_point_is_annual_and_uses_the_median_spacing():
    assert infer_frequency(pd.DatetimeIndex(["2010-01-31"])) == "annual"
    # spacings 31, 30, 200 days: median 31 -> month (a mean would say quarter)
    idx = pd.DatetimeIndex(["2010-01-31", "2010-03-03", "2010-04-02", "2010-10-19"])
    assert infer_frequency(idx) == "month"
    assert decompose(pd.Series(np.arange(30.0), index=MONTHS[:30])).frequency == "month"
    assert decompose(pd.Series(np.arange(12.0), index=QUARTERS[:12])).frequency == "quarter"


@pytest.mark.parametrize("freq, index, period", [("month", MONTHS, 12), ("quarter", QUARTERS, 4)])
def test_stl_needs_two_cycles_and_one_point(freq, index, period):
    n = 2 * period + 1
    s = pd.Series(1000 + 3.0 * np.arange(n) + np.tile(PATTERN[:period], 3)[:n], index=index[:n])
    d = decompose(s)
    assert (d.method, d.period, d.frequency, d.filled) == ("stl", period, freq, [])
    assert d.note == f"STL (robust, period {period}) on {n} {freq}ly points; no gaps filled"
    short = decompose(s.iloc[:-1])
    assert (short.method, short.period, short.frequency) == ("sen-line", None, freq)
    assert short.note == (f"no seasonal decomposition ({n - 1} {freq}ly points are too few for STL (need {n})): "
                          "seasonal = 0, trend = Theil-Sen line; no gaps filled")
    assert (short.frame["seasonal"] == 0).all()


def test_annual_data_get_a_sen_line_through_the_points():
    years = pd.date_range("2005-12-31", periods=8, freq="YE")
    y = 50.0 + 7.0 * np.arange(8)
    y[7] += 40  # an outlier the Theil-Sen line ignores (median slope and medians unchanged)
    d = decompose(pd.Series(y, index=years))
    assert (d.method, d.period, d.frequency, d.filled) == ("sen-line", None, "annual", [])
    assert d.note == ("no seasonal decomposition (annual or year-to-date data carry no seasonality): seasonal = 0, "
                      "trend = Theil-Sen line; no gaps filled")
    assert np.allclose(d.frame["trend"], 50.0 + 7.0 * np.arange(8))
    assert d.frame["resid"].tolist() == pytest.approx([0, 0, 0, 0, 0, 0, 0, 40], abs=1e-9)
    assert list(d.frame.columns) == ["observed", "trend", "seasonal", "resid", "filled"]
    assert not d.frame["filled"].any()
    # year-to-date: the same fallback, missing years dropped, not filled
    ytd = pd.Series([10.0, np.nan, 14.0, 16.0], index=pd.date_range("2010-06-30", periods=4, freq="12ME"))
    d = decompose(ytd, "year-to-date")
    assert d.frequency == "year-to-date" and len(d.frame) == 3 and d.filled == []
    one = decompose(pd.Series([5.0], index=years[:1]))
    assert one.frame["trend"].tolist() == [5.0] and one.frame["resid"].tolist() == [0.0]


def test_gap_limits_at_their_edges():
    base = pd.Series(100.0 + np.arange(40), index=MONTHS[:40])
    two = base.copy()
    two.iloc[[10, 11]] = np.nan  # a run of 2 = max_gap: filled
    d = decompose(two)
    assert d.filled == ["2010-11", "2010-12"] and d.frame["filled"].sum() == 2
    assert d.note == "STL (robust, period 12) on 40 monthly points; filled by linear interpolation: 2010-11, 2010-12"
    three = base.copy()
    three.iloc[[10, 11, 12]] = np.nan
    with pytest.raises(ModelInputError) as err:
        decompose(three)
    assert str(err.value) == ("decompose: 3 of 40 periods missing (longest gap 3); too many to fill "
                              "(limits: 10% and 2 in a row)")
    assert decompose(three, max_gap=3).filled == ["2010-11", "2010-12", "2011-01"]
    # exactly 10% missing (4 of 40, single gaps): filled; 5 of 40 refused
    four = base.copy()
    four.iloc[[3, 9, 15, 21]] = np.nan
    assert len(decompose(four).filled) == 4
    five = base.copy()
    five.iloc[[3, 9, 15, 21, 27]] = np.nan
    with pytest.raises(ModelInputError, match=r"5 of 40 periods missing \(longest gap 1\)"):
        decompose(five)
    assert len(decompose(five, max_missing_share=0.125).filled) == 5


def test_gaps_fill_linearly_in_time_and_ends_are_dropped():
    s = pd.Series([np.nan, 100.0, np.nan, 300.0] + [300.0] * 22 + [np.nan], index=MONTHS[:27])
    d = decompose(s)
    # Jan 31 missing at the start and Mar 31 2012 at the end: dropped; Mar 31 2010 between Feb 28 and Apr 30
    assert d.frame.index[0] == pd.Timestamp("2010-02-28") and d.frame.index[-1] == pd.Timestamp("2012-02-29")
    assert d.filled == ["2010-03"]
    assert d.frame.loc["2010-03-31", "observed"] == pytest.approx(100 + 200 * 31 / 61)
    assert bool(d.frame.loc["2010-03-31", "filled"]) and not d.frame["filled"].drop(pd.Timestamp("2010-03-31")).any()
    np.testing.assert_allclose(d.frame["trend"] + d.frame["seasonal"] + d.frame["resid"], d.frame["observed"])


def test_refusals_say_why():
    with pytest.raises(ModelInputError) as err:
        decompose(pd.Series([np.nan, np.nan], index=MONTHS[:2]))
    assert str(err.value) == "decompose: the series has no values"
    dup = pd.Series([1.0, 2.0, 3.0], index=pd.DatetimeIndex(["2010-01-31", "2010-01-31", "2010-02-28"]))
    with pytest.raises(ModelInputError) as err:
        decompose(dup)
    assert str(err.value) == "decompose: duplicate period ends (several sources or reporters mixed into one series?)"
    off = pd.Series(np.arange(30.0), index=MONTHS[:30] - pd.Timedelta(days=3))
    with pytest.raises(ModelInputError) as err:
        decompose(off, "month")
    assert str(err.value) == "decompose: monthly series has dates off the period-end grid"


def test_stl_labels():
    assert STL_OUTER_ITER == 15  # statsmodels' default for robust STL
    assert stl_label(12) == "STL (robust, period 12)"
    assert stl_label(4, 15) == "STL (robust, period 4)"
    assert stl_label(12, 0) == "STL (not robust, period 12)"
    assert stl_label(12, 3) == "STL (robust, 3 passes, period 12)"
    s = pd.Series(1000 + np.tile(PATTERN, 4), index=MONTHS[:48])
    assert decompose(s, stl_outer_iter=0).note == "STL (not robust, period 12) on 48 monthly points; no gaps filled"
    assert decompose(s, stl_outer_iter=2).note == "STL (robust, 2 passes, period 12) on 48 monthly points; no gaps filled"


def test_stl_is_statsmodels_robust_stl_and_robustness_resists_a_spike():
    rng = np.random.default_rng(5)
    y = 1000 + 2.0 * np.arange(72) + np.tile(PATTERN, 6) + rng.normal(0, 1, 72)
    y[30] += 600  # one wild month
    s = pd.Series(y, index=MONTHS[:72])
    robust = decompose(s)
    ref = STL(y, period=12, robust=True).fit()  # statsmodels' defaults: 15 robustness passes
    np.testing.assert_allclose(robust.frame["trend"], ref.trend, rtol=1e-12)
    np.testing.assert_allclose(robust.frame["seasonal"], ref.seasonal, rtol=1e-12, atol=1e-9)
    plain = decompose(s, stl_outer_iter=0)
    ref0 = STL(y, period=12, robust=False).fit()
    np.testing.assert_allclose(plain.frame["trend"], ref0.trend, rtol=1e-12)
    planted = 1000 + 2.0 * 30
    assert abs(robust.frame["trend"].iloc[30] - planted) < 10 < abs(plain.frame["trend"].iloc[30] - planted)
    t, seas = stl(y, 12, 1)
    ref1 = STL(y, period=12, robust=True).fit(outer_iter=1)
    np.testing.assert_allclose(t, ref1.trend, rtol=1e-12)
    np.testing.assert_allclose(seas, ref1.seasonal, rtol=1e-12, atol=1e-9)
    assert robust.deseasonalized.tolist() == pytest.approx((robust.frame["observed"] - robust.frame["seasonal"]).tolist())


def test_two_points_are_enough_to_read_the_spacing():
    assert infer_frequency(pd.DatetimeIndex(["2010-01-31", "2010-02-28"])) == "month"
    assert infer_frequency(pd.DatetimeIndex(["2010-03-31", "2010-06-30"])) == "quarter"
    assert infer_frequency(pd.DatetimeIndex([])) == "annual"
