"""Turnover points: labels, duplicate ranking and support, flows, implied priors, pooled reporters (by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from turnover.model.series import (POINT_COLUMNS, bilateral_turnover, empty_points, pair_rows, span_label, span_of,
                                   with_implied_prior)

from _model_synth import build, frame, row


def t(rid, start, end, value, **kw):
    kw.setdefault("reporter", "BLR")
    rep = kw.pop("reporter")
    return row(rid, rep, "BLR", "KAZ", "turnover", start, end, value, **kw)


def pts(rows, reporter="BLR", **kw):
    return bilateral_turnover(build(frame(rows)), reporter, **kw)


@pytest.mark.parametrize("start, end, span, label", [
    ("2015-01-01", "2015-06-30", "01-06/6", "Jan-Jun"), ("2015-03-01", "2015-03-31", "03-03/1", "Mar"),
    ("2015-01-01", "2015-12-31", "01-12/12", "Jan-Dec"), ("2014-12-01", "2015-02-28", "12-02/3", "Dec-Feb"),
    ("2015-01-01", "2016-01-31", "01-01/13", "Jan-Jan")])
def test_spans_and_labels(start, end, span, label):
    assert span_of(pd.Timestamp(start), pd.Timestamp(end)) == span
    assert span_label(span) == label


def test_empty_points_have_the_columns_and_dtypes():
    e = empty_points()
    assert list(e.columns) == POINT_COLUMNS and len(e) == 0
    assert str(e["period_end"].dtype).startswith("datetime64") and e["value_usd"].dtype == float
    assert pts([t("a", "2015-01", "2015-12", 1e6)], "KAZ").columns.tolist() == POINT_COLUMNS


def test_support_is_within_half_a_percent():
    rows = [t("a", "2015-01", "2015-12", 1000e6, published_on="2016-02-01"),
            t("b", "2015-01", "2015-12", 1004.9e6, published_on="2016-02-02", source_kind="imf_imts"),
            t("c", "2015-01", "2015-12", 1006e6, published_on="2016-02-03")]
    p = pts(rows).iloc[0]
    assert p["value_usd"] == 1000e6 and p["row_ids"] == ("a", "b")  # c is 0.6% off: a conflicting figure


def test_between_two_bounds_the_earlier_figure_wins():
    rows = [t("late", "2015-01", "2015-12", 900e6, qualifier="at_least", published_on="2016-03-01"),
            t("early", "2015-01", "2015-12", 800e6, qualifier="at_most", published_on="2016-02-01")]
    p = pts(rows).iloc[0]
    assert (p["value_usd"], p["value_qualifier"], p["row_ids"]) == (800e6, "at_most", ("early",))
    rows.append(t("ap", "2015-01", "2015-12", 850e6, qualifier="approx", published_on="2016-04-01"))
    assert pts(rows).iloc[0]["value_qualifier"] == "approx"  # rounded beats a bound


def test_flows_sum_with_valuation_and_the_later_publication():
    rows = [row("x", "BLR", "BLR", "KAZ", "export", "2015-01", "2015-12", 600e6, valuation="FOB", published_on="2016-02-01"),
            row("m", "BLR", "BLR", "KAZ", "import", "2015-01", "2015-12", 300e6, valuation="CIF", published_on="2016-04-01")]
    p = pts(rows).iloc[0]
    assert (p["value_usd"], p["basis"], p["valuation"]) == (900e6, "export+import", "mixed")
    assert p["known_from"] == pd.Timestamp("2016-04-01") and p["row_ids"] == ("m", "x")
    assert p["value_qualifier"] == "exact" and pd.isna(p["yoy_pct"])
    same = [dict(r, valuation="FOB") for r in rows]
    assert pts(same).iloc[0]["valuation"] == "FOB"
    rounded = [rows[0], dict(rows[1], value_qualifier="approx")]
    assert pts(rounded).iloc[0]["value_qualifier"] == "approx"  # the worse qualifier of the two
    # one flow alone makes no turnover
    assert pts(rows[:1]).empty


def test_implied_prior_period_ends_on_the_last_day_of_the_month():
    rows = [t("jf", "2017-01", "2017-02", 120e6, yoy=20.0)]
    out = with_implied_prior(pts(rows))
    prior = out.iloc[0]
    assert prior["period_start"] == pd.Timestamp("2016-01-01") and prior["period_end"] == pd.Timestamp("2016-02-29")
    assert prior["value_usd"] == pytest.approx(100e6) and prior["basis"] == "implied by y/y"
    assert prior["row_ids"] == ("jf",) and prior["value_qualifier"] == "approx" and pd.isna(prior["yoy_pct"])


def test_no_prior_is_implied_from_a_total_loss_or_a_bound():
    assert len(with_implied_prior(pts([t("z", "2015-01", "2015-12", 5e6, yoy=-100.0)]))) == 1
    assert len(with_implied_prior(pts([t("z", "2015-01", "2015-12", 5e6, yoy=-99.0)]))) == 2
    assert len(with_implied_prior(pts([t("b", "2015-01", "2015-12", 5e6, yoy=-10.0, qualifier="at_least")]))) == 1
    # a printed prior value is never replaced
    both = pts([t("a", "2014-01", "2014-12", 7e6), t("b", "2015-01", "2015-12", 5e6, yoy=-10.0)])
    assert with_implied_prior(both)["value_usd"].tolist() == [7e6, 5e6]


def test_pooled_reading_prefers_identified_reporters():
    rows = [t("u", "2015-01", "2015-12", 500e6, reporter="unknown", published_on="2016-01-20"),
            t("b", "2015-01", "2015-12", 900e6, published_on="2016-03-01")]
    p = pts(rows, "pooled").iloc[0]
    assert (p["value_usd"], p["reporter"]) == (900e6, "pooled")
    assert pts(rows, "unknown").iloc[0]["value_usd"] == 500e6


def test_pair_rows_keep_the_pair_either_way_and_valued_statuses():
    rows = [t("a", "2015-01", "2015-12", 1e6),
            row("b", "KAZ", "KAZ", "BLR", "export", "2015-01", "2015-12", 2e6),
            row("c", "BLR", "BLR", "RUS", "export", "2015-01", "2015-12", 3e6),
            dict(t("d", "2015-01", "2015-12", None), status="not_reported")]
    p = build(frame(rows))
    assert sorted(pair_rows(p)["row_id"]) == ["a", "b"]
    assert sorted(pair_rows(p, ("BLR", "RUS"))["row_id"]) == ["c"]


def test_a_printed_turnover_wins_over_an_earlier_sum_of_flows():
    # the sum of flows was public first and its first row id sorts first: the printed figure still decides
    flows = [row("x", "BLR", "BLR", "KAZ", "export", "2015-01", "2015-12", 600e6, published_on="2016-02-01"),
             row("m", "BLR", "BLR", "KAZ", "import", "2015-01", "2015-12", 300e6, published_on="2016-02-01")]
    printed = [t("tt", "2015-01", "2015-12", 950e6, published_on="2016-05-01")]
    p = pts(flows + printed).iloc[0]
    assert (p["value_usd"], p["basis"], p["row_ids"]) == (950e6, "reported", ("tt",))
    # a printed figure that agrees with the sum is supported by the flows' rows
    agree = [t("tt", "2015-01", "2015-12", 900e6, published_on="2016-05-01")]
    p = pts(flows + agree).iloc[0]
    assert (p["value_usd"], p["basis"], p["row_ids"]) == (900e6, "reported", ("m", "tt", "x"))
    # a printed y/y without a value: the sum gives the value, the printed row the y/y
    yoy_only = [t("ty", "2015-01", "2015-12", None, yoy=-10.0, published_on="2016-05-01")]
    p = pts(flows + yoy_only).iloc[0]
    assert (p["value_usd"], p["basis"], p["yoy_pct"]) == (900e6, "export+import", -10.0)
    assert p["row_ids"] == ("m", "ty", "x")
