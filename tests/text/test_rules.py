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


# the other end of each rule's options: defaults, one country or partner, no reasons, no pre-pandemic year
MINIMAL = {'declining_trend': {'exact_only': False, 'trend_downgrade': 0, 'known_breaks': [{'year': 2014}]},
           'partner_rank': {'countries': ['BLR'], 'partners': ['RUS'], 'grades': {1: 'mostly_true', 0: 'mostly_false'}},
           'market_shock': {'countries': ['BLR', 'KAZ', 'ARM']},
           'recovery': {'event_date': '2017-11-29', 'trough_year': 2016, 'reference_year': 2013},
           'mirror_gap': {},
           'event_record': {'records': ['ctx-1']}}

# every sentence as a reader reads it, for both sets (the lags' sentence is tested above)
GOLDEN = {('declining_trend', 'set'): ["On each country's own figures: (a) the latest full year published by the date is at "
                                       'least 12.5% below the highest year from 2012 on (the peak); (b) the latest '
                                       'comparable period (a year, a year-to-date, a quarter or a month against the same '
                                       'period a year earlier) first published within 9 months before the date is still '
                                       'below a year earlier, exact figures only.',
                                       'Both hold: True; (a) without a recent period: Mostly true; (a) only: Half true; (b) '
                                       'only: Mostly false; neither, with no recent period: Mostly false; neither: False.',
                                       "A long-run trend whose 95% interval lies wholly above zero (rising) lowers a fall's "
                                       'rating by 2 steps.',
                                       'Also tested with the peak sought from 2008.',
                                       "Known recording break in Kazakhstan's figures in 2010: customs union.",
                                       "The countries' ratings are combined by their lowest (the claim is as true as its "
                                       'least true part).'],
          ('partner_rank', 'set'): ["For Belarus and Kazakhstan: are Russia and Ukraine among each country's 4 largest "
                                    'single-country partners by goods turnover (exports + imports) in the latest full year '
                                    'known?',
                                    'All of 2 in the top 4: True; 1 of 2 in the top 4: Half true; none of 2 in the top 4: '
                                    'False.',
                                    "The countries' ratings are combined by their mean."],
          ('market_shock', 'set'): ['For Armenia: did its currency lose at least 25% of its value against the US dollar '
                                    'within 18 months before the statement?',
                                    'One loss that large: True; only several losses compounded: Mostly true; compounded '
                                    'losses of at least half of it: Mostly false; less: False.',
                                    "The countries' ratings are combined by their mean."],
          ('recovery', 'set'): ["On each country's own figures: after 29 November 2017, did turnover in the latest full "
                                'year get back to its 2013 level (within 5%), from its lowest year after 2013? At least 3 '
                                'full years after the event are needed.',
                                'Back: True; at least 75% of the fall made up: Mostly true; at least 50% of the fall made '
                                'up: Half true; any of it: Mostly false; none: False.',
                                '2019, the last year before the pandemic, is the robustness check.',
                                "The countries' ratings are combined by their mean."],
          ('mirror_gap', 'set'): ["Each flow (one country's exports, the other's imports of the same goods) is compared "
                                  "year by year: the importer's figure (with freight and insurance, CIF) is expected to be "
                                  "between 5% less and 15% more than the exporter's (FOB).",
                                  'Share of comparisons inside that band: at least 90%: True; at least 75%: Mostly true; at '
                                  'least 50%: Half true; at least 25%: Mostly false; less: False.',
                                  'Years with a known recording change, not counted: 2010.'],
          ('event_record', 'set'): ['Is a dated public record of the event (one of the 2 named in the claims file) known by '
                                    'the date?',
                                    'One is: True; none: Cannot be checked.'],
          ('declining_trend', 'minimal'): ["On each country's own figures: (a) the latest full year published by the date "
                                           'is at least 10% below the highest year from 2012 on (the peak); (b) the latest '
                                           'comparable period (a year, a year-to-date, a quarter or a month against the '
                                           'same period a year earlier) first published within 15 months before the date is '
                                           'still below a year earlier.',
                                           'Both hold: True; (a) without a recent period: Mostly true; (a) only: Half true; '
                                           '(b) only: Mostly false; neither, with no recent period: Mostly false; neither: '
                                           'False.',
                                           'Known recording break in 2014.',
                                           "The countries' ratings are combined by their mean."],
          ('partner_rank', 'minimal'): ["For Belarus: is Russia among Belarus's 3 largest single-country partners by goods "
                                        'turnover (exports + imports) in the latest full year known?',
                                        'In the top 3: Mostly true; not: Mostly false.',
                                        "The countries' ratings are combined by their mean."],
          ('market_shock', 'minimal'): ['For Belarus, Kazakhstan and Armenia: did each currency lose at least 20% of its '
                                        'value against the US dollar within 24 months before the statement?',
                                        'One loss that large: True; only several losses compounded: Mostly true; compounded '
                                        'losses of at least half of it: Mostly false; less: False.',
                                        "The countries' ratings are combined by their mean."],
          ('recovery', 'minimal'): ["On each country's own figures: after 29 November 2017, did turnover in the latest full "
                                    'year get back to its 2013 level, from its lowest year after 2013? At least 2 full '
                                    'years after the event are needed.',
                                    'Back: True; at least 75% of the fall made up: Mostly true; at least 50% of the fall '
                                    'made up: Half true; any of it: Mostly false; none: False.',
                                    "The countries' ratings are combined by their mean."],
          ('mirror_gap', 'minimal'): ["Each flow (one country's exports, the other's imports of the same goods) is compared "
                                      "year by year: the importer's figure (with freight and insurance, CIF) is expected to "
                                      "be 0-10% more than the exporter's (FOB).",
                                      'Share of comparisons inside that band: at least 90%: True; at least 75%: Mostly '
                                      'true; at least 50%: Half true; at least 25%: Mostly false; less: False.'],
          ('event_record', 'minimal'): ['Is a dated public record of the event (the one named in the claims file) known by '
                                        'the date?',
                                        'One is: True; none: Cannot be checked.']}


@pytest.mark.parametrize("kind, which", list(GOLDEN))
def test_each_rule_reads_exactly_so(kind, which):
    rule = _rule(kind) if which == "set" else rules.RULE_MODELS[kind].model_validate({"kind": kind, **MINIMAL[kind]})
    assert rule_sentences(rule, 2012)[:-1] == GOLDEN[(kind, which)]


def test_the_default_lags_and_two_of_a_kind_join_with_or_and():
    rule = rules.RULE_MODELS["declining_trend"].model_validate(
        {"kind": "declining_trend", "sensitivity_windows": [[2008, 2016], [2010, 2016]]})
    said = rule_sentences(rule, 2012)
    assert "Also tested with the peak sought from 2008 or 2010." in said
    assert said[-1] == ("A figure without a publication date counts as public 60 days after the end of a year; 45 days "
                        "after the end of a half-year or a quarter; 40 days after the end of a month or a year-to-date "
                        "period.")
    two = rules.RULE_MODELS["market_shock"].model_validate({"kind": "market_shock", "countries": ["BLR", "KAZ"]})
    assert rule_sentences(two, 2014)[0].startswith("For Belarus and Kazakhstan: did each currency lose at least 20%")
