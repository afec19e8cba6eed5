"""Decomposition: the identity holds, gaps are filled only within limits, annual data fall back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from turnover.model.decompose import decompose
from turnover.model.errors import ModelInputError

MONTHS = pd.date_range("2010-01-31", periods=120, freq="ME")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(6, 96), seed=st.integers(0, 2**32 - 1), level=st.floats(1e3, 1e9),
       freq=st.sampled_from(["month", "quarter", "annual"]), gaps=st.integers(0, 3))
def test_trend_plus_seasonal_plus_resid_is_observed(n, seed, level, freq, gaps):
    rng = np.random.default_rng(seed)
    index = {"month": MONTHS, "quarter": pd.date_range("2000-03-31", periods=120, freq="QE"),
             "annual": pd.date_range("1990-12-31", periods=120, freq="YE")}[freq][:n]
    values = level * (1 + 0.3 * rng.standard_normal(n)).clip(0.05)
    s = pd.Series(values, index=index)
    if freq != "annual" and gaps and n > 10:
        for k in range(gaps):  # isolated interior gaps, well within the fill limits
            s.iloc[2 + 4 * k] = np.nan
    try:
        d = decompose(s)
    except ModelInputError:
        assert s.isna().mean() > 0.10
        return
    f = d.frame
    assert np.allclose(f["trend"] + f["seasonal"] + f["resid"], f["observed"], rtol=1e-9, atol=1e-6 * level)
    known = s.dropna()
    assert np.allclose(f["observed"].reindex(known.index), known)  # filling never alters a value
    assert set(d.filled) == {t.strftime("%Y-%m") for t in s.index[s.isna()]}
    if freq == "annual":
        assert d.method == "sen-line" and (f["seasonal"] == 0).all()


def test_stl_recovers_a_planted_seasonal_pattern():
    pattern = np.array([-30, -20, -5, 0, 5, 10, 20, 30, 15, 0, -10, -15], dtype=float)
    s = pd.Series(1000 + np.tile(pattern, 6), index=MONTHS[:72])
    d = decompose(s)
    assert d.method == "stl" and d.period == 12
    assert np.allclose(d.frame["seasonal"].to_numpy()[24:36], pattern, atol=2)


def test_small_gaps_are_filled_and_named_large_gaps_refused():
    s = pd.Series(np.arange(60, dtype=float) + 100, index=MONTHS[:60])
    s.iloc[[10, 11]] = np.nan
    d = decompose(s)
    assert d.filled == ["2010-11", "2010-12"] and "2010-11" in d.note
    assert d.frame.loc["2010-11-30", "observed"] == pytest.approx(110, rel=1e-3)
    s.iloc[20:24] = np.nan
    with pytest.raises(ModelInputError, match="missing"):
        decompose(s)


def test_short_monthly_series_is_not_given_a_seasonal_component():
    d = decompose(pd.Series(np.arange(20, dtype=float), index=MONTHS[:20]))
    assert d.method == "sen-line" and "too few for STL" in d.note
