"""Batch screening: the vectorised trend tests give what ``trend_tests`` gives, series by series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from turnover.model.decompose import decompose
from turnover.model.screen import NUMERIC, screen
from turnover.model.trend import trend_tests


def _frame(n_series=12, periods=120, freq="ME", period=12, seed=3):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2010-01-31", periods=periods, freq=freq)
    season = np.sin(np.arange(periods) * 2 * np.pi / period)
    cols = {f"s{i}": 100 + rng.normal(0, 0.5) * np.arange(periods) + 10 * season + rng.normal(0, 3, periods)
            for i in range(n_series)}
    cols["rounded"] = np.round(cols["s0"] / 5) * 5          # many ties
    cols["flat"] = np.full(periods, 50.0)                   # all ties, S = 0
    cols["spike"] = cols["s1"].copy()
    cols["spike"][periods // 2] *= 4                        # an outlier robust STL resists
    cols["gaps"] = cols["s2"].copy()
    cols["gaps"][[7, 40]] = np.nan                          # filled by decompose: per-series path
    return pd.DataFrame(cols, index=idx)


def _assert_matches(out: pd.DataFrame, frame: pd.DataFrame, freq: str, **kw):
    for col in frame.columns:
        with np.errstate(invalid="ignore", divide="ignore"):
            ref = trend_tests(frame[col].dropna(), freq, decomposition=decompose(frame[col].dropna(), freq, **kw))
        for key in NUMERIC:
            if col == "flat" and key == "hac_p":
                continue  # slope and error are rounding noise (both ~1e-14) in both implementations
            want = np.nan if ref.get(key) is None else float(ref[key])
            got = float(out.loc[col, key])
            assert (np.isnan(got) and np.isnan(want)) or got == pytest.approx(want, rel=1e-9, abs=1e-9), (col, key)
        assert out.loc[col, "mk_trend"] == ref["mk_trend"], col


def test_monthly_batch_matches_the_per_series_tests_to_1e_9():
    frame = _frame()
    out = screen(frame, "month")
    assert list(out.index) == list(frame.columns)
    assert (out.loc[frame.columns != "gaps", "how"] == "vectorised").all() and out.loc["gaps", "how"] == "per series"
    _assert_matches(out, frame, "month")


def test_quarterly_series_of_uneven_years_and_fewer_robustness_passes_match_too():
    frame = _frame(n_series=4, periods=43, freq="QE", period=4)  # 43 % 4 != 0: seasons of unequal length
    out = screen(frame, "quarter", stl_outer_iter=3)
    assert (out.loc[frame.columns != "gaps", "how"] == "vectorised").all()
    _assert_matches(out, frame, "quarter", stl_outer_iter=3)


def test_short_or_annual_series_fall_back_to_the_per_series_tests():
    idx = pd.date_range("2001-12-31", periods=12, freq="YE")
    frame = pd.DataFrame({"a": np.arange(12.0) ** 1.5, "b": np.r_[np.full(10, np.nan), [1.0, 2.0]]}, index=idx)
    out = screen(frame)
    assert (out["how"] == "per series").all()
    assert out.loc["a", "decomposition"] == "sen-line" and np.isnan(out.loc["b", "p_value"])
    _assert_matches(out.loc[["a"]], frame[["a"]], "annual")


def test_the_robustness_setting_changes_the_trend_of_an_outlier_series_only_through_stl():
    frame = _frame(n_series=3)[["s1", "spike"]]
    robust, plain = screen(frame, "month"), screen(frame, "month", stl_outer_iter=0)
    # seasonal Mann-Kendall and Sen's slope use the observed values: unchanged
    assert robust["p_value"].tolist() == plain["p_value"].tolist()
    assert robust["sen_slope"].tolist() == plain["sen_slope"].tolist()
    # the HAC slope of the STL trend moves with the outlier when STL is not robust
    assert abs(plain.loc["spike", "hac_slope"] - robust.loc["spike", "hac_slope"]) > 1e-6
    assert decompose(frame["spike"], "month", stl_outer_iter=0).note.startswith("STL (not robust, period 12)")
    assert decompose(frame["spike"], "month").note.startswith("STL (robust, period 12)")
