"""Turnover points: duplicates collapse with all their row ids, flows sum per reporter only,
y/y changes imply prior-year values, and comparable-period changes are like-for-like."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from turnover.model.comparable import latest_comparable, yoy_points, yoy_table
from turnover.model.series import bilateral_turnover, with_implied_prior

from _model_synth import build, frame, monthly_flows, row


def test_kz_h1_2016_turnover_equals_exports_plus_imports(bundled_panel):
    kz = bundled_panel[(bundled_panel["reporter"] == "KAZ") & (bundled_panel["period_start"] == "2016-01-01")
                       & (bundled_panel["period_end"] == "2016-06-30")]
    flows = kz.set_index("flow")["value_usd"]
    assert flows["turnover"] == pytest.approx(flows["export"] + flows["import"])
    pts = bilateral_turnover(bundled_panel, "KAZ")
    h1 = pts[pts["period_end"] == "2016-06-30"].iloc[0]
    assert h1["basis"] == "reported" and h1["value_usd"] == pytest.approx(145.8e6)
    assert set(kz["row_id"]) <= set(h1["row_ids"])  # the flows that add up to it are support too


def test_duplicate_releases_collapse_to_one_point_that_cites_both():
    rows = [row("a", "BLR", "BLR", "KAZ", "turnover", "2018-01", "2018-12", 896e6, yoy=30, published_on="2019-08-28",
                source_kind="official_release"),
            row("b", "BLR", "BLR", "KAZ", "turnover", "2018-01", "2018-12", 896e6, published_on="2019-09-01",
                source_kind="official_release"),
            row("c", "BLR", "BLR", "KAZ", "turnover", "2018-01", "2018-12", 850e6, qualifier="approx",
                published_on="2019-07-01", source_kind="official_release")]
    pts = bilateral_turnover(build(frame(rows)), "BLR")
    assert len(pts) == 1
    p = pts.iloc[0]
    assert p["value_usd"] == 896e6 and p["value_qualifier"] == "exact" and p["yoy_pct"] == 30
    assert p["row_ids"] == ("a", "b")  # the conflicting approximate figure is not support


def test_flows_of_different_reporters_are_never_summed():
    rows = [row("x", "BLR", "BLR", "KAZ", "export", "2015-01", "2015-12", 500e6),
            row("m", "KAZ", "KAZ", "BLR", "import", "2015-01", "2015-12", 480e6)]
    p = build(frame(rows))
    for r in ("BLR", "KAZ", "pooled"):
        assert bilateral_turnover(p, r).empty


def test_printed_yoy_implies_the_prior_year_and_chains(bundled_panel):
    rows = [row("v16", "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-12", 420e6, yoy=-30),
            row("g15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-40)]
    pts = with_implied_prior(bilateral_turnover(build(frame(rows)), "BLR")).set_index("period_end")
    assert pts.loc["2015-12-31", "value_usd"] == pytest.approx(600e6)
    assert pts.loc["2014-12-31", "value_usd"] == pytest.approx(1000e6)
    assert pts.loc["2014-12-31", "basis"] == "implied by y/y" and pts.loc["2014-12-31", "value_qualifier"] == "approx"
    assert set(pts.loc["2014-12-31", "row_ids"]) == {"v16", "g15"}


def test_yoy_table_on_bundled_data_has_kz_h1_2016(bundled_panel):
    t = yoy_table(bundled_panel, reporters=("KAZ",))
    h1 = t[(t["year"] == 2016) & (t["period_label"] == "Jan-Jun")].iloc[0]
    assert h1["yoy_pct"] == pytest.approx(-46.4) and h1["yoy_basis"] == "reported"
    assert latest_comparable(t, 2012, 2016)["yoy_pct"] == pytest.approx(-46.4)


def test_monthly_series_give_like_for_like_year_to_date_changes():
    vals = np.r_[np.full(12, 10e6), np.full(5, 8e6)]  # 2015 full year, Jan-May 2016
    t = yoy_points(bilateral_turnover(build(frame(monthly_flows(vals, start="2015-01"))), "BLR"))
    latest = latest_comparable(t)
    assert latest["period_label"] == "Jan-May" and latest["year"] == 2016
    assert latest["yoy_pct"] == pytest.approx(-20.0) and latest["yoy_basis"] == "computed"
    assert latest["value_usd"] == pytest.approx(40e6) and latest["prior_value_usd"] == pytest.approx(50e6)


@settings(max_examples=10, deadline=None)
@given(flows=st.lists(st.tuples(st.sampled_from(["BLR", "KAZ"]), st.integers(2010, 2020),
                                st.floats(1e5, 1e9), st.floats(1e5, 1e9)), min_size=1, max_size=8,
                      unique_by=lambda t: (t[0], t[1])))
def test_turnover_is_exports_plus_imports_of_the_same_reporter(flows):
    rows = []
    for rep, year, x, m in flows:
        other = "KAZ" if rep == "BLR" else "BLR"
        rows += [row(f"x{rep}{year}", rep, rep, other, "export", f"{year}-01", f"{year}-12", x),
                 row(f"m{rep}{year}", rep, rep, other, "import", f"{year}-01", f"{year}-12", m)]
    p = build(frame(rows))
    for rep in ("BLR", "KAZ"):
        pts = bilateral_turnover(p, rep)
        pts = pts.set_index(pts["period_end"].dt.year)
        mine = {year: x + m for r, year, x, m in flows if r == rep}
        assert set(pts.index) == set(mine)
        for year, total in mine.items():
            assert pts.loc[year, "value_usd"] == pytest.approx(total)
            assert pts.loc[year, "row_ids"] == (f"m{rep}{year}", f"x{rep}{year}")


def test_points_are_cached_by_row_content_not_by_frame(bundled_panel, tmp_path, monkeypatch):
    import turnover.model.series as series

    computed = []
    real = series._points
    monkeypatch.setattr(series, "_points", lambda *a: computed.append(1) or real(*a))
    monkeypatch.setattr(series, "_POINTS", type(series._POINTS)())
    first = bilateral_turnover(bundled_panel, "KAZ")
    first["value_usd"] = -1.0  # a caller changing its copy does not change the cache
    bundled_panel.to_parquet(tmp_path / "p.parquet", index=False)
    reread = pd.read_parquet(tmp_path / "p.parquet")  # as a notebook reads it
    again = bilateral_turnover(reread, "KAZ")
    assert len(computed) == 1 and (again["value_usd"] > 0).all()
    edited = reread.copy()
    edited.loc[edited["reporter"] == "KAZ", "value_usd"] *= 2  # new content: computed afresh
    doubled = bilateral_turnover(edited, "KAZ")
    assert len(computed) == 2
    assert doubled["value_usd"].sum() == pytest.approx(2 * again["value_usd"].sum(), rel=0.05)


def test_no_lags_and_the_default_lags_share_one_cached_computation_but_other_lags_do_not(monkeypatch):
    import turnover.model.series as series
    from turnover.model.vintage import DEFAULT_LAGS

    computed = []
    real = series._points
    monkeypatch.setattr(series, "_points", lambda *a: computed.append(a[2]) or real(*a))
    monkeypatch.setattr(series, "_POINTS", type(series._POINTS)())
    panel = build(frame([row("a", "BLR", "BLR", "KAZ", "turnover", "2018-01", "2018-12", 896e6)]))  # no date
    a = bilateral_turnover(panel, "BLR")
    b = bilateral_turnover(panel, "BLR", lags=dict(DEFAULT_LAGS))
    assert len(computed) == 1 and a.equals(b)
    assert a["known_from"].tolist() == [pd.Timestamp("2018-12-31") + pd.Timedelta(days=60)]
    c = bilateral_turnover(panel, "BLR", lags={**DEFAULT_LAGS, "annual": 400})
    assert len(computed) == 2 and c["known_from"].iloc[0] == a["known_from"].iloc[0] + pd.Timedelta(days=340)


def test_object_text_keeps_every_value_and_missing_cell(bundled_panel):
    from turnover.model.series import object_text

    fast = object_text(bundled_panel)
    text = [c for c in bundled_panel.columns if bundled_panel[c].dtype != fast[c].dtype]
    assert {"reporter", "partner", "flow", "row_id"} <= set(text)
    assert all(fast[c].dtype == object for c in text)
    for c in bundled_panel.columns:
        assert fast[c].isna().equals(bundled_panel[c].isna()), c
        assert fast[c].dropna().tolist() == bundled_panel[c].dropna().tolist(), c
    assert object_text(fast) is fast  # nothing left to convert
