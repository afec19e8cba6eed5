"""The rule as a reader reads it: every parameter as words, grades left out for a question."""

from __future__ import annotations

import pytest

from turnover.claims import rules
from turnover.text.rules import rule_sentences

RULES = {
    "declining_trend": {"min_decline_pct": 12.5, "recency_months": 9, "trend_downgrade": 2, "combine": "min",
                        "sensitivity_windows": [[2008, 2016], [2012, 2016]],
                        "known_breaks": [{"year": 2010, "reporters": ["KAZ"], "why": "customs union"}]},
    "partner_rank": {"countries": ["BLR", "KAZ"], "partners": ["RUS", "UKR"], "top_n": 4},
    "market_shock": {"countries": ["ARM"], "min_devaluation_pct": 25, "lookback_months": 18},
    "recovery": {"event_date": "2017-11-29", "trough_year": 2016, "reference_year": 2013, "tolerance_pct": 5,
                 "pre_pandemic_year": 2019, "min_points_after": 3},
    "mirror_gap": {"band_pct": [-5, 15], "data_quality_years": [2010]},
    "event_record": {"records": ["ctx-1", "ctx-2"]},
}


def _rule(kind: str):
    return rules.RULE_MODELS[kind].model_validate({"kind": kind, **RULES[kind],
                                                    "publication_lag_days": {"annual": 90, "month": 30}})


@pytest.mark.parametrize("kind", list(RULES))
def test_every_rule_reads_as_sentences_without_code(kind):
    said = " ".join(rule_sentences(_rule(kind), 2012))
    assert "_" not in said and "{" not in said and "[" not in said and "(s)" not in said
    assert said.endswith("A figure without a publication date counts as public 90 days after the end of a year; "
                         "30 days after the end of a month.")


def test_the_parameters_are_the_ones_applied():
    said = " ".join(rule_sentences(_rule("declining_trend"), 2012))
    assert "at least 12.5% below the highest year from 2012 on" in said and "within 9 months" in said
    assert "lowers a fall's rating by 2 steps" in said and "least true part" in said
    assert "peak sought from 2008." in said  # the window's own start is not repeated
    assert "Known recording break in Kazakhstan's figures in 2010: customs union." in said
    assert "3 full years after the event" in " ".join(rule_sentences(_rule("recovery"), 2013))
    assert "(within 5%)" in " ".join(rule_sentences(_rule("recovery"), 2013))
    assert "between 5% less and 15% more than the exporter's" in " ".join(rule_sentences(_rule("mirror_gap"), 2013))
    assert "Years with a known recording change, not counted: 2010." in " ".join(rule_sentences(_rule("mirror_gap"), 2013))
    assert "3 largest" not in " ".join(rule_sentences(_rule("partner_rank"), 2013))
    assert "4 largest single-country partners" in " ".join(rule_sentences(_rule("partner_rank"), 2013))
    assert "at least 25% of its value" in " ".join(rule_sentences(_rule("market_shock"), 2014))
    assert "within 18 months" in " ".join(rule_sentences(_rule("market_shock"), 2014))
    assert "one of the 2 named" in " ".join(rule_sentences(_rule("event_record"), 2016))


@pytest.mark.parametrize("kind", list(RULES))
def test_a_question_gets_the_method_without_the_ratings(kind):
    graded, plain = rule_sentences(_rule(kind), 2012), rule_sentences(_rule(kind), 2012, graded=False)
    words = ("True", "False", "Half true", "ratings")
    assert any(w in " ".join(graded) for w in words) and not any(w in " ".join(plain) for w in words)
    assert plain[0] == graded[0] and plain[-1] == graded[-1]  # the method and the lags stay
