"""Rule ``market_shock`` on hand-made context facts: the records worked out by hand.

Statement date 31 May 2016, 24 months back: facts dated after 31 May 2014 and by 31 May 2016.
Kazakhstan: a 26.2% loss of value (20 Aug 2015) and a 10% rise of the rate (15 Jan 2015), i.e. a
loss of 100 * (1 - 1/1.1) = 9.09%; largest 26.2 >= 20 -> True; compounded 1 - 0.738 * (1/1.1).
Belarus: losses of 12% and 10%: none reaches 20, compounded 1 - 0.88 * 0.9 = 20.8% -> Mostly true.
Never read: a fact with no definition (listed), one dated on the window's first day, one after
the statement, one on another topic and one in another unit.
"""

from __future__ import annotations

import pandas as pd
import pytest

from turnover.ingest.rates import COLUMNS as RATE_COLUMNS
from turnover.model import evaluate
from turnover.model.shock import loss_of_value

from _claims_with import HEAD_ARTICLE, HEAD_TODAY, NO_FACTS, by_reporter, claims_with, facts
from _model_synth import build, frame, row

RULE = {"kind": "market_shock", "countries": ["BLR", "KAZ"]}
BASIS = "context facts (dated public reports of the exchange rate)"
OIL = "oil prices (no oil-price series in the panel)"
ROB = [{"dimension": "sources", "agrees": None, "detail": "one kind of evidence (dated context facts)"}]
PANEL = build(frame([row("r1", "BLR", "BLR", "KAZ", "export", "2015-01", "2015-12", 1e6)]))


def _f(fid, country, date, value, definition="loss_of_value", topic="currency", unit="pct_devaluation", **kw):
    return {"fact_id": fid, "topic": topic, "date": date, "country": country, "subject": "X", "value": value,
            "unit": unit, "definition": definition, **kw}


FACTS = facts(
    _f("k1", "KAZ", "2015-08-20", 26.2),
    _f("k3", "KAZ", "2015-01-15", 10.0, "rate_rise"),
    _f("k4", "KAZ", "2015-03-01", 5.0, ""),
    _f("k5", "KAZ", "2014-05-31", 40.0),
    _f("k6", "KAZ", "2016-06-01", 40.0),
    _f("k7", "KAZ", "2015-03-01", 40.0, topic="oil"),
    _f("k8", "KAZ", "2015-03-01", 40.0, unit="pct"),
    _f("b2", "BLR", "2015-09-01", 10.0),
    _f("b1", "BLR", "2015-01-10", 12.0),
)


def _run(f=FACTS, vintages=("today",), **params):
    return evaluate(PANEL, claims_with({**RULE, **params}, window=(2014, 2016), vintages=vintages,
                                       metric="currency_shock"), facts=f)


def test_kazakhstan_and_belarus_records_in_full():
    recs = by_reporter(_run())
    kaz, blr, top = recs["KAZ"], recs["BLR"], recs["all"]
    k3 = 100 * (1 - 1 / 1.1)
    cum = 100 * (1 - (1 - 0.262) * (1 - k3 / 100))
    assert kaz["statistic"]["cumulative_loss_pct"] == pytest.approx(cum)
    assert kaz["statistic"]["events"][1]["loss_pct"] == pytest.approx(k3)
    kaz_body = ("Kazakhstan's currency lost 26% of its value against the US dollar (20 August 2015); its 2 losses in "
                "the period compound to 33%, more than the 20% loss the rule counts as a shock")
    assert kaz == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "KAZ", "rating": "true",
        "rating_label": "True", "rating_value": 5, "rule": "market_shock",
        "window": [2014, 2016],
        "statistic": {"definition": "loss of value against the USD", "max_loss_pct": 26.2, "max_devaluation_pct": 26.2,
                      "cumulative_loss_pct": kaz["statistic"]["cumulative_loss_pct"], "n_events": 2,
                      "threshold_pct": 20.0,
                      "events": [{"date": "2015-08-20", "loss_pct": 26.2, "as_printed_pct": 26.2,
                                  "printed_definition": "loss_of_value", "fact_id": "k1"},
                                 {"date": "2015-01-15", "loss_pct": kaz["statistic"]["events"][1]["loss_pct"],
                                  "as_printed_pct": 10.0, "printed_definition": "rate_rise", "fact_id": "k3"}]},
        "p_value": None, "n_obs": 2,
        "data_used": ["currency facts for KAZ dated 2014-05-31..2016-05-31 (loss of value): 9.1% on 2015-01-15, "
                      "26.2% on 2015-08-20"],
        "source_row_ids": ["fact:k1", "fact:k3"], "robustness": ROB,
        "sentence": f"{HEAD_TODAY}: true — {kaz_body}.", "finding": f"{kaz_body[0].upper()}{kaz_body[1:]}.",
        "numbers": "2 values used", "strength": "moderate", "basis": BASIS,
        "not_checked": [OIL, "fact k4: definition of the devaluation not stated"],
    }
    # the largest loss is below the threshold: the compounded loss is the one compared with it
    blr_body = ("Belarus's currency lost 12% of its value against the US dollar (10 January 2015); its 2 losses in the "
                "period compound to 21%, more than the 20% loss the rule counts as a shock")
    assert blr["statistic"]["cumulative_loss_pct"] == pytest.approx(100 * (1 - 0.88 * 0.9))
    assert {k: v for k, v in blr.items() if k != "statistic"} == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR", "rating": "mostly_true",
        "rating_label": "Mostly true", "rating_value": 4, "rule": "market_shock",
        "window": [2014, 2016], "p_value": None, "n_obs": 2,
        "data_used": ["currency facts for BLR dated 2014-05-31..2016-05-31 (loss of value): 12.0% on 2015-01-10, "
                      "10.0% on 2015-09-01"],
        "source_row_ids": ["fact:b1", "fact:b2"], "robustness": ROB,
        "sentence": f"{HEAD_TODAY}: mostly true — {blr_body}.", "finding": f"{blr_body}.", "numbers": "2 values used",
        "strength": "weak", "basis": BASIS, "not_checked": [OIL],
    }
    sentence = f"{HEAD_TODAY}: mostly true — {blr_body}; {kaz_body}."  # (4 + 5) / 2 = 4.5: a half goes to Half true
    assert top["rating"] == "mostly_true" and top["strength"] == "weak"
    assert top["sentence"] == sentence
    assert {r: s["rating"] for r, s in top["statistic"].items()} == {"BLR": "mostly_true", "KAZ": "true"}  # per country
    assert top["basis"] == f"{BASIS} and {BASIS} (mean of 2 countries' ratings: Belarus Mostly true, Kazakhstan True)"
    assert top["not_checked"] == [f"Belarus: {OIL}", f"Kazakhstan: {OIL}",
                                  "Kazakhstan: fact k4: definition of the devaluation not stated"]
    assert top["source_row_ids"] == ["fact:b1", "fact:b2", "fact:k1", "fact:k3"] and top["n_obs"] == 4
    assert top["robustness"] == [
        {"dimension": "reporters", "agrees": True, "detail": "Belarus Mostly true (weak), Kazakhstan True (moderate)"},
        {"dimension": "sources", "agrees": None,
         "detail": "Belarus: one kind of evidence (dated context facts); Kazakhstan: one kind of evidence (dated "
                   "context facts)"}]


def test_no_fact_cannot_be_checked():
    blr = by_reporter(_run(FACTS[FACTS["country"] == "KAZ"]))["BLR"]
    said = "the dated records hold no devaluation of Belarus's currency between 31 May 2014 and 31 May 2016"
    s = f"{HEAD_TODAY}: cannot be checked — {said}."
    assert blr == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR",
        "rating": "cannot_be_checked", "rating_label": "Cannot be checked", "rating_value": None,
        "rule": "market_shock", "window": [2014, 2016], "statistic": {},
        "p_value": None, "n_obs": 0, "data_used": ["currency facts for BLR dated 2014-05-31..2016-05-31: none"],
        "source_row_ids": [], "robustness": ROB, "sentence": s, "finding": f"T{said[1:]}.", "numbers": None,
        "strength": "none",
        "basis": "context facts", "not_checked": [OIL]}


def test_facts_without_a_definition_column_are_listed_not_used():
    recs = by_reporter(_run(FACTS.drop(columns="definition")))
    assert recs["BLR"]["rating"] == "cannot_be_checked"
    assert recs["BLR"]["not_checked"] == [OIL, "fact b2: definition of the devaluation not stated",
                                          "fact b1: definition of the devaluation not stated"]


@pytest.mark.parametrize("losses, threshold, rating, side", [
    ([20.0], 20, "true", "as much as"),              # the largest loss exactly at the threshold
    ([19.9], 20, "mostly_false", "less than"),
    ([50.0, 50.0], 75, "mostly_true", "as much as"),  # compounded exactly 75%
    ([50.0, 50.0], 76, "mostly_false", "less than"),
    ([10.0], 20, "mostly_false", "less than"),       # exactly half the threshold
    ([9.9], 20, "false", "less than"),
    ([20.0, 20.0], 100, "false", "less than"),       # 36% < 50%
])
def test_rating_edges_and_threshold_from_the_claims_file(losses, threshold, rating, side):
    f = facts(*[_f(f"b{i}", "BLR", f"2015-0{i + 1}-01", v) for i, v in enumerate(losses)])
    params = {} if threshold == 20 else {"min_devaluation_pct": threshold}
    blr = by_reporter(_run(f, countries=["BLR"], **params))["BLR"]
    assert blr["rating"] == rating and blr["statistic"]["threshold_pct"] == float(threshold)
    assert blr["strength"] == ("moderate" if rating in ("true", "false") else "weak")
    assert blr["sentence"].endswith(f", {side} the {threshold}% loss the rule counts as a shock.")
    assert ("compound to" in blr["sentence"]) == (len(losses) > 1)  # one loss: nothing compounds


def test_lookback_months_from_the_claims_file_and_the_article_vintage():
    recs = by_reporter(_run(lookback_months=12))  # from 31 May 2015: Belarus's 10 Jan and Kazakhstan's 15 Jan drop out
    assert recs["KAZ"]["n_obs"] == 1 and recs["KAZ"]["source_row_ids"] == ["fact:k1"]
    assert recs["BLR"]["rating"] == "mostly_false" and recs["BLR"]["window"] == [2015, 2016]
    assert recs["BLR"]["data_used"] == ["currency facts for BLR dated 2015-05-31..2016-05-31 (loss of value): 10.0% "
                                        "on 2015-09-01"]
    # a fact becomes public on the later of its date and its source date
    f = FACTS.assign(source_date=["2016-06-01"] + list(FACTS["source_date"][1:]))
    kaz = by_reporter(_run(f, vintages=("as_of_article",)), "as_of_article")["KAZ"]
    assert kaz["rating"] == "false" and kaz["source_row_ids"] == ["fact:k3"]  # 9.1% < 10%
    assert kaz["sentence"].startswith(f"{HEAD_ARTICLE}: false — Kazakhstan's currency lost 9% ")


def test_loss_of_value_definitions():
    assert loss_of_value(26.2, "loss_of_value") == 26.2
    assert loss_of_value(25.0, "rate_rise") == pytest.approx(20.0)
    assert loss_of_value(100.0, "rate_rise") == pytest.approx(50.0)
    assert loss_of_value(10.0, "") is None and loss_of_value(10.0, "other") is None


def test_a_fact_dated_on_the_statement_day_counts():
    f = facts(_f("b9", "BLR", "2016-05-31", 25.0), _f("b8", "BLR", "2014-06-01", 1.0))
    blr = by_reporter(_run(f, countries=["BLR"]))["BLR"]
    assert (blr["rating"], blr["source_row_ids"]) == ("true", ["fact:b8", "fact:b9"])


def test_countries_outside_the_pair_are_the_named_ones():
    f = facts(_f("a1", "ARM", "2015-03-01", 30.0))
    recs = by_reporter(_run(f, countries=["ARM"]))
    assert set(recs) == {"ARM", "all"}
    top = recs["all"]
    assert (top["rating"], top["strength"], top["source_row_ids"]) == ("true", "moderate", ["fact:a1"])
    assert top["basis"] == BASIS and {r: s["rating"] for r, s in top["statistic"].items()} == {"ARM": "true"}


def test_the_claim_sentence_names_every_country_rated_or_not():
    recs = by_reporter(_run(FACTS[FACTS["country"] == "KAZ"]))
    top = recs["all"]
    assert top["rating"] == "true"
    assert top["sentence"] == (f"{HEAD_TODAY}: true — the dated records hold no devaluation of Belarus's currency "
                               "between 31 May 2014 and 31 May 2016; Kazakhstan's currency lost 26% of its value against the US dollar "
                               "(20 August 2015); its 2 losses in the period compound to 33%, more than the 20% loss "
                               "the rule counts as a shock.")


# ---- the moves measured again on the central bank's own series ---------------------------------

def _monthly(currency: str, values: dict) -> pd.DataFrame:
    """Monthly averages per USD ('2015-07': 200.0, ...) in the table ``ingest.rates.load`` gives."""
    rows = []
    for month, v in values.items():
        start = pd.Timestamp(month)
        rows.append({"currency": currency, "period_start": start, "period_end": start + pd.offsets.MonthEnd(0),
                     "kind": "monthly_average", "rate_per_usd": v, "unit": f"{currency} per USD", "source_id": "nbk",
                     "source_kind": "central_bank_rates", "publisher": "NBK", "publisher_url": "https://nbk.example",
                     "source_url": "https://nbk.example/r", "file": "raw/nbk.csv", "row_id": f"nbk:{month}"})
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def _kzt(*rows) -> pd.DataFrame:
    return facts(*[{**r, "subject": "KZT"} for r in rows])


def _official_run(f, rates, vintages=("today",)):
    return evaluate(PANEL, claims_with({**RULE, "countries": ["KAZ"]}, window=(2014, 2016), vintages=vintages,
                                       metric="currency_shock"), facts=f, rates=rates)


def test_the_official_series_confirms_or_contradicts_the_printed_move():
    f = _kzt(_f("k1", "KAZ", "2015-08-20", 26.2))
    # July average 200 -> September average 260: a loss of 1 - 200/260 = 23.1% over August, True as printed
    kaz = by_reporter(_official_run(f, _monthly("KZT", {"2015-07": 200.0, "2015-08": 230.0, "2015-09": 260.0})))["KAZ"]
    assert kaz["rating"] == "true" and kaz["statistic"]["official_rates"] == [
        {"fact_id": "k1", "currency": "KZT", "month": "2015-08", "kind": "monthly_average",
         "loss_pct": pytest.approx(100 * (1 - 200 / 260)), "before": "2015-07", "after": "2015-09",
         "row_ids": ["nbk:2015-07", "nbk:2015-09"], "source_ids": ["nbk"]}]
    assert kaz["robustness"] == [{"dimension": "sources", "agrees": True, "detail": (
        "the central bank's official rates give True: KZT lost 23% over Aug 2015 (Jul 2015 average to Sep 2015 "
        "average)")}]
    # 200 -> 220: 9.1%, less than half the threshold: the official series says False, the rating stays the rule's
    kaz = by_reporter(_official_run(f, _monthly("KZT", {"2015-07": 200.0, "2015-08": 210.0, "2015-09": 220.0})))["KAZ"]
    assert kaz["rating"] == "true" and kaz["robustness"][0]["agrees"] is False
    assert kaz["robustness"][0]["detail"].startswith("the central bank's official rates give False: KZT lost 9% ")


def test_a_move_the_series_does_not_cover_or_did_not_yet_hold_is_not_compared():
    f = _kzt(_f("k1", "KAZ", "2015-08-20", 26.2), _f("k3", "KAZ", "2015-01-15", 10.0, "rate_rise"))
    rates = _monthly("KZT", {"2015-07": 200.0, "2015-09": 260.0})  # nothing around January 2015
    kaz = by_reporter(_official_run(f, rates))["KAZ"]
    assert [o["month"] for o in kaz["statistic"]["official_rates"]] == ["2015-08"]
    assert kaz["robustness"] == [{"dimension": "sources", "agrees": None, "detail": (
        "the central bank's official rates cover 1 of the 2 moves (not compared): KZT lost 23% over Aug 2015 "
        "(Jul 2015 average to Sep 2015 average)")}]
    # a September average is known from its month's end: a statement on 31 May 2016 about an April move cannot use it
    f = _kzt(_f("k9", "KAZ", "2016-05-10", 30.0))
    rates = _monthly("KZT", {"2016-04": 300.0, "2016-06": 400.0})
    kaz = by_reporter(_official_run(f, rates, vintages=("as_of_article",)), "as_of_article")["KAZ"]
    assert "official_rates" not in kaz["statistic"] and kaz["robustness"] == ROB
    assert by_reporter(_official_run(f, rates))["KAZ"]["statistic"]["official_rates"][0]["loss_pct"] == \
        pytest.approx(25.0)
