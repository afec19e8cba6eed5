"""The as-of cut: nothing published after the cut is seen, by the cut or by any verdict."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from turnover.model import evaluate
from turnover.model.vintage import DEFAULT_LAGS, cut, cut_facts, fact_known_from, known_from

from _model_synth import build, frame, row

days = st.dates(dt.date(2005, 1, 1), dt.date(2025, 12, 31))


@st.composite
def pair_rows(draw, n_max=12, tag="h"):
    rows = []
    for i in range(draw(st.integers(1, n_max))):
        year = draw(st.integers(2006, 2024))
        span = draw(st.sampled_from([(1, 12), (1, 6), (1, 3), (4, 6), (1, 10)]))
        rep = draw(st.sampled_from(["BLR", "KAZ", "unknown"]))
        country, partner = ("BLR", "KAZ") if rep != "KAZ" else ("KAZ", "BLR")
        flow = draw(st.sampled_from(["turnover", "export", "import"]))
        if flow == "turnover":
            country, partner = "BLR", "KAZ"
        end = pd.Timestamp(year, span[1], 1) + pd.offsets.MonthEnd(0)
        published = draw(st.one_of(st.none(), st.integers(1, 900).map(lambda d: (end + pd.Timedelta(days=d)).date().isoformat())))
        rows.append(row(f"{tag}{i}", rep, country, partner, flow, f"{year}-{span[0]:02d}", f"{year}-{span[1]:02d}",
                        draw(st.floats(1e6, 2e9)), source_kind=draw(st.sampled_from(["official_release", "imf_imts"])),
                        published_on=published))
    return rows


def test_lag_applies_only_without_a_publication_date():
    p = build(frame([row("a", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 1e8),
                     row("b", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 1e8, published_on="2016-07-21")]))
    k = dict(zip(p["row_id"], known_from(p)))
    assert k["a"] == pd.Timestamp("2015-12-31") + pd.Timedelta(days=DEFAULT_LAGS["annual"])
    assert k["b"] == pd.Timestamp("2016-07-21")
    assert list(cut(p, "2015-12-31")["row_id"]) == []  # a year's figure is not known on its last day
    assert list(cut(p, "2016-05-31")["row_id"]) == ["a"]
    assert sorted(cut(p, None)["row_id"]) == ["a", "b"]


@settings(max_examples=40, deadline=None)
@given(rows=pair_rows(), as_of=days, lag=st.integers(1, 200))
def test_the_cut_never_sees_later_data(rows, as_of, lag):
    p = build(frame(rows))
    lags = {f: lag for f in DEFAULT_LAGS}
    kept = cut(p, as_of, lags)
    # the rule written out row by row (not via known_from): a printed date after the period, else end + lag
    expected = set()
    for i, r in p.iterrows():
        pub = r["published_on"]
        known = pub if pd.notna(pub) and pub > r["period_end"] else r["period_end"] + pd.Timedelta(days=lag)
        if known.date() <= as_of:
            expected.add(r["row_id"])
    assert set(kept["row_id"]) == expected
    assert (kept["period_end"] < pd.Timestamp(as_of)).all()


def _one(published_on=None, end="2015-12", start="2015-01"):
    return build(frame([row("r", "BLR", "BLR", "KAZ", "turnover", start, end, 1e8, published_on=published_on)]))


def test_a_figure_published_on_the_as_of_day_is_visible_and_not_the_day_before():
    p = _one(published_on="2016-05-31")
    assert list(cut(p, dt.date(2016, 5, 31))["row_id"]) == ["r"]
    assert list(cut(p, "2016-05-31")["row_id"]) == ["r"]
    assert cut(p, dt.date(2016, 5, 30)).empty


def test_a_lagged_figure_becomes_visible_exactly_lag_days_after_its_period():
    p = _one()  # annual 2015, no printed date: known 31 Dec 2015 + 60 days = 29 Feb 2016
    assert known_from(p).iloc[0] == pd.Timestamp("2016-02-29")
    assert list(cut(p, "2016-02-29")["row_id"]) == ["r"]
    assert cut(p, "2016-02-28").empty
    assert known_from(p, {"annual": 10}).iloc[0] == pd.Timestamp("2016-01-10")


def test_each_frequency_takes_its_own_lag_and_unknown_ones_the_longest():
    half = _one(start="2016-01", end="2016-06")  # half-year: 45 days
    assert known_from(half).iloc[0] == pd.Timestamp("2016-06-30") + pd.Timedelta(days=45)
    month = _one(start="2016-03", end="2016-03")  # month: 40 days
    assert known_from(month).iloc[0] == pd.Timestamp("2016-03-31") + pd.Timedelta(days=40)
    # a frequency the lags do not name waits for the longest lag given
    assert known_from(month, {"annual": 90, "quarter": 30}).iloc[0] == pd.Timestamp("2016-03-31") + pd.Timedelta(days=90)
    assert known_from(month, {}).iloc[0] == pd.Timestamp("2016-03-31")  # no lags at all: period end


def test_a_printed_date_not_after_the_period_end_is_ignored():
    on_end = _one(published_on="2015-12-31")  # cannot be a full-year figure: the lag applies
    assert known_from(on_end).iloc[0] == pd.Timestamp("2016-02-29")
    before = _one(published_on="2015-06-01")
    assert cut(before, "2016-01-15").empty
    after = _one(published_on="2016-01-01")
    assert known_from(after).iloc[0] == pd.Timestamp("2016-01-01")


def test_no_as_of_or_an_empty_panel_is_returned_as_is():
    p = _one(published_on="2030-01-01")
    assert cut(p, None) is p
    empty = p.iloc[0:0]
    assert cut(empty, "2016-01-01") is empty


def test_facts_without_any_date_are_never_known_and_the_later_date_decides():
    facts = pd.DataFrame({"fact_id": ["late-source", "no-date", "late-date", "year-only"],
                          "date": ["2015-01-10", "", "2015-09-30", "2014"],
                          "source_date": ["2015-09-30", None, "2015-01-10", "n.d."]})
    assert list(cut_facts(facts, "2015-09-29")["fact_id"]) == ["year-only"]
    assert list(cut_facts(facts, "2015-09-30")["fact_id"]) == ["late-source", "late-date", "year-only"]
    assert list(cut_facts(facts, "2014-12-30")["fact_id"]) == []
    assert list(cut_facts(facts, "2014-12-31")["fact_id"]) == ["year-only"]  # '2014' may mean 31 December
    assert cut_facts(facts, None) is facts
    assert cut_facts(facts.iloc[0:0], "2020-01-01").empty
    none = fact_known_from(facts.iloc[0:0])  # no facts: an empty series of dates, not an empty table
    assert isinstance(none, pd.Series) and none.empty and str(none.dtype).startswith("datetime64")


def test_facts_are_cut_by_their_latest_possible_date():
    facts = pd.DataFrame({"fact_id": ["f1", "f2", "f3"], "date": ["2015-08-01", "2016-04-01", "2013-12-31"],
                          "source_date": ["2015-08 (URL timestamp)", "2016-04-01", "2014-04-26"]})
    assert list(cut_facts(facts, "2015-08-15")["fact_id"]) == ["f3"]  # '2015-08' may mean 31 August
    assert list(cut_facts(facts, "2015-08-31")["fact_id"]) == ["f1", "f3"]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(later=pair_rows(n_max=6, tag="late"))
def test_rows_published_after_the_cut_never_change_the_as_of_verdicts(bundled_panel, claims, later):
    as_of = claims.vintages["as_of_article"]
    for i, r in enumerate(later):  # published after the article, whatever period they describe
        r["published_on"] = pd.Timestamp(as_of) + pd.Timedelta(days=1 + 397 * i)
        if r["period_end"] >= r["published_on"]:
            r["published_on"] = r["period_end"] + pd.Timedelta(days=1)
    before = [r for r in evaluate(bundled_panel, claims) if r["vintage"] == "as_of_article"]
    after = [r for r in evaluate(build(bundled_panel, frame(later)), claims) if r["vintage"] == "as_of_article"]
    assert before == after
    assert not any(i.startswith("late") for r in after for i in r["source_row_ids"])


def test_an_unstated_figure_matching_a_named_one_is_attributed_in_a_synthetic_frame():
    # frames built without attributed_by notes (all missing: float64) must still take the note
    p = build(frame([row("a", "unknown", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 1e8, source_kind="official_release"),
                     row("b", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 1.002e8)]))
    a = p.set_index("row_id").loc["a"]
    assert a["reporter"] == "BLR" and a["attributed_by"] == "match 0.20% with b"
