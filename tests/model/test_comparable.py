"""Comparable periods and annual series: year-to-date sums, y/y rows and annual totals, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from turnover.claims import load_claims
from turnover.model import annual
from turnover.model.comparable import COLUMNS, latest_comparable, with_year_sums, yoy_points, yoy_table, ytd_from_months
from turnover.model.result import Context
from turnover.model.series import bilateral_turnover, with_implied_prior

from _model_synth import build, frame, row


def month(rid, ym, value, *, src="imf_imts", qualifier="exact", published_on=None, reporter="BLR"):
    return row(rid, reporter, "BLR", "KAZ", "turnover", ym, ym, value, source_kind=src, qualifier=qualifier,
               published_on=published_on)


def pts(rows, reporter="BLR", **kw):
    return bilateral_turnover(build(frame(rows)), reporter, **kw)


# ---- year-to-date sums ---------------------------------------------------------------------------

def test_ytd_from_two_months_on():
    rows = [month("j", "2015-01", 10e6, published_on="2015-02-20"), month("f", "2015-02", 20e6, published_on="2015-05-02"),
            month("m", "2015-03", 5e6, published_on="2015-04-10")]  # February published after March
    out = ytd_from_months(pts(rows)).reset_index(drop=True)
    assert list(out.columns) == list(pts(rows).columns)
    assert out["span"].tolist() == ["01-02/2", "01-03/3"]  # January alone is no year-to-date sum
    assert out["value_usd"].tolist() == [30e6, 35e6]
    assert out["frequency"].tolist() == ["year-to-date", "year-to-date"]
    assert out["period_start"].tolist() == [pd.Timestamp("2015-01-01")] * 2
    assert out["period_end"].tolist() == [pd.Timestamp("2015-02-28"), pd.Timestamp("2015-03-31")]
    assert out["known_from"].tolist() == [pd.Timestamp("2015-05-02"), pd.Timestamp("2015-05-02")]
    assert out["row_ids"].tolist() == [("f", "j"), ("f", "j", "m")]
    assert out["basis"].tolist() == ["sum of months"] * 2 and out["value_qualifier"].tolist() == ["exact"] * 2
    assert out["yoy_pct"].isna().all() and out["yoy_qualifier"].isna().all()
    assert out["source_kind"].tolist() == ["imf_imts"] * 2


def test_ytd_stops_at_a_missing_month_and_marks_rounded_months():
    rows = [month("j", "2015-01", 10e6), month("f", "2015-02", 20e6, qualifier="approx"), month("a", "2015-04", 5e6),
            month("j6", "2016-02", 7e6)]  # 2016 has no January: nothing
    out = ytd_from_months(pts(rows))
    assert out["span"].tolist() == ["01-02/2"] and out["value_qualifier"].tolist() == ["approx"]
    # a bound never adds up
    rows = [month("j", "2015-01", 10e6), month("f", "2015-02", 20e6, qualifier="at_least"), month("m", "2015-03", 1e6)]
    assert ytd_from_months(pts(rows)).empty


def test_a_full_year_of_months_is_annual_and_printed_years_win():
    rows = [month(f"m{i}", f"2015-{i:02d}", 1e6 * i) for i in range(1, 13)]
    y = ytd_from_months(pts(rows))
    full = y[y["span"] == "01-12/12"].iloc[0]
    assert full["frequency"] == "annual" and full["value_usd"] == pytest.approx(78e6)
    assert len(y) == 11  # Jan-Feb .. Jan-Dec
    ws = with_year_sums(pts(rows))
    assert ws[ws["span"] == "01-12/12"]["value_usd"].tolist() == pytest.approx([78e6])
    printed = rows + [row("y", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 80e6, source_kind="imf_imts")]
    ws = with_year_sums(pts(printed))
    assert ws[ws["span"] == "01-12/12"]["value_usd"].tolist() == [80e6]
    # another source's printed year does not hide this source's sum
    other = rows + [row("y", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 80e6, source_kind="imf_dots")]
    ws = with_year_sums(pts(other))
    assert sorted(ws[ws["span"] == "01-12/12"]["value_usd"].tolist()) == pytest.approx([78e6, 80e6])
    # no months: unchanged
    only_year = pts([row("y", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 80e6)])
    assert with_year_sums(only_year) is only_year


# ---- y/y rows ------------------------------------------------------------------------------------

def test_yoy_points_reported_and_computed_rows():
    rows = [row("a14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 500e6, published_on="2015-02-01"),
            row("a15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 400e6, published_on="2016-03-01"),
            row("h16", "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-06", 150e6, yoy=-12.5, published_on="2016-08-01")]
    t = yoy_points(pts(rows))
    assert list(t.columns) == COLUMNS
    assert t["period_label"].tolist() == ["Jan-Dec", "Jan-Jun"] and t["year"].tolist() == [2015, 2016]
    comp = t.iloc[0]
    assert (comp["yoy_basis"], comp["yoy_qualifier"]) == ("computed", "exact")
    assert comp["yoy_pct"] == pytest.approx(-20.0) and comp["computed_yoy_pct"] == pytest.approx(-20.0)
    assert (comp["value_usd"], comp["prior_value_usd"]) == (400e6, 500e6)
    assert comp["row_ids"] == ("a14", "a15") and comp["known_from"] == pd.Timestamp("2016-03-01")
    assert comp["span"] == "01-12/12" and comp["reporter"] == "BLR" and comp["source_kind"] == "imf_imts"
    rep = t.iloc[1]
    assert (rep["yoy_basis"], rep["yoy_qualifier"], rep["yoy_pct"]) == ("reported", "exact", -12.5)
    assert np.isnan(rep["prior_value_usd"]) and np.isnan(rep["computed_yoy_pct"]) and rep["row_ids"] == ("h16",)
    # with the implied prior half-year the computed change equals the printed one
    t2 = yoy_points(with_implied_prior(pts(rows)))
    h = t2[t2["span"] == "01-06/6"].iloc[-1]
    assert h["yoy_basis"] == "reported" and np.isnan(h["computed_yoy_pct"])  # an implied prior is not used
    assert h["prior_value_usd"] == pytest.approx(150e6 / 0.875)


def test_rounded_values_give_approximate_changes_and_zero_or_bounds_none():
    rows = [row("a14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 500e6, qualifier="approx"),
            row("a15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 400e6)]
    t = yoy_points(pts(rows))
    assert t["yoy_qualifier"].tolist() == ["approx"] and t["yoy_pct"].tolist() == pytest.approx([-20.0])
    zero = [row("a14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 0.0),
            row("a15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 400e6)]
    assert yoy_points(pts(zero)).empty and list(yoy_points(pts(zero)).columns) == COLUMNS
    bound = [row("a14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 500e6, qualifier="at_least"),
             row("a15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 400e6)]
    assert yoy_points(pts(bound)).empty


def test_yoy_table_cuts_at_as_of_with_lags():
    rows = [row("a14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 500e6),
            row("a15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 400e6),
            row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 390e6, yoy=-10.0)]
    p = build(frame(rows))
    # 2015 annual without a date: known 60 days after 31 Dec 2015 = 29 Feb 2016
    assert yoy_table(p, as_of="2016-02-28").empty
    t = yoy_table(p, as_of="2016-02-29")
    assert t[["reporter", "year", "yoy_pct"]].values.tolist() == [["BLR", 2015, pytest.approx(-20.0)], ["KAZ", 2015, -10.0]]
    assert yoy_table(p, as_of="2016-02-29", lags={"annual": 61}).empty
    assert yoy_table(p, as_of="2016-02-29", reporters=("KAZ",))["reporter"].tolist() == ["KAZ"]
    assert len(yoy_table(p)) == 2
    other = yoy_table(p, pair=("ARM", "KAZ"))
    assert other.empty and list(other.columns) == COLUMNS


def test_latest_comparable_filters_years_and_prefers_the_longest_span():
    rows = [month(f"m{i}", f"2016-{i:02d}", 1e6) for i in range(1, 4)] + \
           [month(f"p{i}", f"2015-{i:02d}", 2e6) for i in range(1, 4)] + \
           [row("y14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 30e6),
            row("y13", "BLR", "BLR", "KAZ", "turnover", "2013-01", "2013-12", 20e6)]
    t = yoy_points(pts(rows))
    last = latest_comparable(t)
    assert (last["period_label"], last["year"], last["yoy_pct"]) == ("Jan-Mar", 2016, pytest.approx(-50.0))
    assert "_months" not in last.index
    assert latest_comparable(t, end_year=2015)["year"] == 2014
    assert latest_comparable(t, start_year=2014, end_year=2014)["yoy_pct"] == pytest.approx(50.0)
    assert latest_comparable(t, start_year=2017) is None


# ---- annual series and totals --------------------------------------------------------------------

CLAIMS = load_claims()


def _ctx(panel, as_of="2026-11-30"):
    claim = CLAIMS.claim("declining-turnover")
    return Context(panel=panel, claims=CLAIMS, claim=claim, vintage="today", as_of=pd.Timestamp(as_of),
                   facts=pd.DataFrame(), lags={"annual": 60, "month": 40, "quarter": 45, "year-to-date": 40})


def _world(rid, year, flow, value, status="reported", src="national_statistics", qualifier="exact", published=None):
    r = row(rid, "BLR", "BLR", "WLD", flow, f"{year}-01", f"{year}-12", value, source_kind=src, qualifier=qualifier,
            published_on=published)
    r["status"] = status
    return r


def test_totals_by_hand_and_which_rows_count():
    rows = [_world("x14", 2014, "export", 30e9, published="2015-03-01"), _world("m14", 2014, "import", 40e9),
            _world("x14r", 2014, "export", 31e9, published="2016-03-01"),  # a later revision: the first figure counts
            _world("t15", 2015, "turnover", 60e9, status="estimate"),
            _world("x16", 2016, "export", 0.0, status="true_zero"), _world("m16", 2016, "import", 3e9),
            _world("x17", 2017, "export", 5e9), _world("m17", 2017, "import", None, status="not_reported"),
            _world("x18", 2018, "export", 5e9, qualifier="approx"), _world("m18", 2018, "import", 5e9),
            _world("x19", 2019, "export", 5e9)]  # only one flow: no total
    t = annual.totals(_ctx(build(frame(rows))), "BLR")
    assert t.to_dict("records") == [
        {"year": 2014, "source_kind": "national_statistics", "value_usd": 70e9, "row_ids": ("m14", "x14")},
        {"year": 2015, "source_kind": "national_statistics", "value_usd": 60e9, "row_ids": ("t15",)},
        {"year": 2016, "source_kind": "national_statistics", "value_usd": 3e9, "row_ids": ("m16", "x16")}]
    assert annual.totals(_ctx(build(frame(rows))), "KAZ").empty
    # known at the as-of date only: 2015 (no date) known 60 days after its end
    t = annual.totals(_ctx(build(frame(rows)), "2016-02-28"), "BLR")
    assert t["year"].tolist() == [2014]


def test_annual_series_and_primary_source_ranking():
    rows = [row(f"n{y}", "BLR", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", 100e6 + y, source_kind="un_comtrade")
            for y in (2013, 2014)]
    rows += [row(f"d{y}", "BLR", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", 200e6 + y, source_kind="imf_dots")
             for y in (2013, 2014)]
    rows += [row("r12", "BLR", "BLR", "KAZ", "turnover", "2012-01", "2012-12", 9e6, source_kind="wb_wits",
                 qualifier="approx")]
    ctx = _ctx(build(frame(rows)))
    s = annual.series(ctx, "BLR")
    assert s["source_kind"].tolist() == ["imf_dots", "imf_dots"] and s.index.tolist() == [2013, 2014]
    assert s["value_usd"].tolist() == [200e6 + 2013, 200e6 + 2014] and s["row_ids"].tolist() == [("d2013",), ("d2014",)]
    assert annual.label(s) == "imf_dots" and annual.label(s.iloc[0:0]) == "none"
    assert annual.other_sources(ctx, "BLR", s) == ["un_comtrade"]  # the rounded WITS year is no annual value
    assert annual.series(ctx, "BLR", "un_comtrade")["value_usd"].tolist() == [100e6 + 2013, 100e6 + 2014]
    assert annual.series(ctx, "KAZ").empty and annual.other_sources(ctx, "KAZ", annual.series(ctx, "KAZ")) == []
    assert annual.PREFERENCE == ["national_statistics", "imf_dots", "imf_imts", "un_comtrade", "wb_wits",
                                 "official_release"]
    # more years beat the preference order
    more = rows + [row("n2015", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 1e6, source_kind="un_comtrade")]
    assert annual.primary_source(annual.annual_points(_ctx(build(frame(more))), "BLR")) == "un_comtrade"
    assert annual.primary_source(annual.annual_points(_ctx(build(frame(rows[:1]))), "KAZ")) is None


def test_declared_primary_rows_make_the_series():
    rows = [row(f"n{y}", "BLR", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", 100e6, source_kind="national_statistics")
            for y in (2012, 2013, 2014)]
    rows += [row(f"c{y}", "BLR", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", 50e6, source_kind="un_comtrade")
             for y in (2013, 2014)]
    p = build(frame(rows))
    p = p.assign(primary=p["row_id"].str.startswith("c"))
    ctx = _ctx(p)
    s = annual.series(ctx, "BLR")
    assert s["source_kind"].tolist() == ["un_comtrade", "un_comtrade"]
    assert annual.annual_points(ctx, "BLR")["primary"].tolist() == [False, False, True, False, True]
    none = _ctx(p.assign(primary=False))
    assert annual.series(none, "BLR")["source_kind"].tolist() == ["national_statistics"] * 3


def test_usable_points_drop_bounds_and_implied_values():
    rows = [row("a", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 400e6, yoy=-20.0),
            row("b", "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-06", 100e6, qualifier="at_most")]
    u = annual.usable(with_implied_prior(pts(rows)))
    assert u["row_ids"].tolist() == [("a",)]


def test_a_printed_period_wins_over_the_same_sum_of_months():
    rows = [month(f"a{i}", f"2015-{i:02d}", 10e6) for i in range(1, 4)] + \
           [month(f"b{i}", f"2016-{i:02d}", 8e6) for i in range(1, 4)] + \
           [row("q", "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-03", 25e6, yoy=3.0, source_kind="imf_imts")]
    t = yoy_points(pts(rows))
    q = t[(t["span"] == "01-03/3") & (t["year"] == 2016)]
    assert len(q) == 1
    q = q.iloc[0]
    assert (q["value_usd"], q["yoy_pct"], q["yoy_basis"], q["row_ids"]) == (25e6, 3.0, "reported", ("q",))
    assert q["computed_yoy_pct"] == pytest.approx(100 * (25 / 30 - 1))  # against the Jan-Mar 2015 sum
    jf = t[(t["span"] == "01-02/2") & (t["year"] == 2016)].iloc[0]
    assert jf["yoy_pct"] == pytest.approx(-20.0) and jf["row_ids"] == ("a1", "a2", "b1", "b2")
