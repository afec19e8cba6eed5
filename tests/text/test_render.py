"""The text layer words typed verdicts; nothing reads its words back."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import turnover
from turnover.model.results import DeclineFacts, Verdict, phrase
from turnover.text import render

SRC = Path(turnover.__file__).parent


def test_nothing_parses_generated_english():
    """No code splits a sentence on its dash, matches its lead, or cuts a body out of it."""
    for p in SRC.rglob("*.py"):
        code = p.read_text(encoding="utf-8")
        assert 'split(" — "' not in code and "sentence_body_of" not in code and "shown_sentence" not in code, p
        assert not re.search(r"re\.(match|search|sub)\([^)]*—", code), p
    for room in ("model",):  # the model writes no sentences: no country names, no vintage phrases
        for p in (SRC / room).rglob("*.py"):
            code = p.read_text(encoding="utf-8")
            assert "text.names" not in code and "rating_sentence" not in code and "As of " not in code, p


def _decline_verdict(**kw) -> Verdict:
    f = DeclineFacts(reporter="BLR", pair=("BLR", "KAZ"), then_published=True, source="imf_dots", decline=True,
                     not_reversed=True, latest_is_annual=True, latest_year=2015, latest_musd=574.4, reference_year=2014,
                     reference_musd=966.8, change_vs_reference_pct=-40.6, **kw)
    return Verdict(claim_id="c", vintage="as_of_article", as_of=pd.Timestamp("2016-05-31"),
                   anchor=pd.Timestamp("2016-05-31"), reporter="BLR", rule="declining_trend", rating="true",
                   strength="moderate", window=(2012, 2015), facts=f, basis=phrase("figures", reporter="BLR"))


def test_the_sentence_is_rendered_from_the_facts():
    v = _decline_verdict()
    assert render.sentence(v) == ("As of 31 May 2016: true — on Belarus's figures (IMF DOTS) turnover fell 41% in 2015 "
                                  "against 2014, the peak (USD 967 mn to USD 574 mn), the latest full year then "
                                  "published; no later comparable period in the data.")
    v.facts.change_vs_reference_pct = -0.3  # a change of the facts changes the words, never "-0%" or "0%"
    assert "turnover fell 0.3% in 2015" in render.sentence(v)
    v = _decline_verdict(trend_kind="filtered", trend_slope_pct=-0.2, trend_low_pct=-37.0, trend_high_pct=50.4,
                         trend_level=0.9, trend_n=24)
    # an interval across zero is said in words; its numbers go to the details
    assert render.finding(v).endswith("; the long-run trend fitted to the figures is too uncertain to say whether it is "
                                      "falling or rising")
    assert render.numbers(v) == "filtered trend slope -0.2% a year (90% interval -37% to +50%, 24 annual values)"
    v.facts.trend_high_pct = -1.0
    assert render.finding(v).endswith("; the long-run trend fitted to the figures is falling")
    v.facts.trend_low_pct, v.facts.trend_high_pct = 2.0, 9.0
    assert render.finding(v).endswith("; the long-run trend fitted to the figures is rising")
    v.facts.trend_low_pct = 0.0  # an interval that reaches zero does not rule out a flat trend
    assert render.finding(v).endswith("is too uncertain to say whether it is falling or rising")
    v.facts.trend_low_pct, v.facts.trend_high_pct = -9.0, 0.0
    assert render.finding(v).endswith("is too uncertain to say whether it is falling or rising")
    assert render.record(v)["sentence"] == render.sentence(v) and render.record(v)["basis"] == "Belarus's figures"


def test_the_context_sentence_is_the_text_layers():
    """model.context returns numbers; the sentence (with the text layer's names and signs) is worded here."""
    from turnover.model.context import PairContext, ReporterContext

    assert [render.tenth(p) for p in (0, 15, 25, 35, 45, 55, 65, 75, 95, 100, None)] == [
        "the lowest tenth", "the second-lowest tenth", "the third-lowest tenth", "the fourth-lowest tenth",
        "the fifth-lowest tenth", "the fifth-highest tenth", "the fourth-highest tenth", "the third-highest tenth",
        "the highest tenth", "the highest tenth", None]
    r = ReporterContext("RUS", "BLR", -0.2, 41.0, 0.04, (1.0, 1.0))
    ctx = PairContext(pair=("RUS", "BLR"), year=2015, base_year=2014, n_pairs=12345, median_change_pct=-3.0,
                      decile_bounds_pct=(), world_change_pct=None, reporters=(r,), table=pd.DataFrame())
    assert render.pair_context_sentence(ctx) == (
        "2015 against 2014: no world total; on Russia's figures this pair's -0.2% is in the fifth-lowest tenth of "
        "the 12,345 pairs with data (median -3%), Russia's total trade 0%.")


def test_sides_not_rated_for_the_same_reason_share_one_clause():
    from turnover.model.results import CombinedFacts, Unrated

    why = [phrase("too_few_after", n=1, year=2019, needed=2)]

    def part(r, reasons):
        return Verdict(claim_id="c", vintage="today", as_of=pd.Timestamp("2026-12-01"), anchor=pd.Timestamp("2019-03-12"),
                       reporter=r, rule="recovery", rating="cannot_be_checked", strength="none", window=(2015, 2025),
                       facts=Unrated(r, reasons), basis=phrase("figures", reporter=r))

    parts = {"ARM": part("ARM", why), "GEO": part("GEO", why)}
    top = Verdict(claim_id="c", vintage="today", as_of=pd.Timestamp("2026-12-01"), anchor=pd.Timestamp("2019-03-12"),
                  reporter="all", rule="recovery", rating="cannot_be_checked", strength="none", window=(2015, 2025),
                  facts=CombinedFacts(how="mean", what="reporter", named=["ARM", "GEO"], rated=[], basis_of=[]),
                  basis=phrase("none_rated", what="reporter"), parts=parts)
    assert render.finding(top) == "on Armenia's and Georgia's figures: 1 exact annual value after 2019 (2 needed)"
    parts["GEO"] = part("GEO", [phrase("no_exact_value", year=2015)])
    assert render.finding(top) == ("on Armenia's figures: 1 exact annual value after 2019 (2 needed); "
                                   "on Georgia's figures: no exact 2015 value")


def test_countries_without_a_recorded_devaluation_over_one_span_share_one_clause():
    from turnover.model.results import NoDevaluation

    a, g = NoDevaluation("ARM", "2017-03-12", "2019-03-12"), NoDevaluation("GEO", "2017-03-12", "2019-03-12")
    assert render.no_devaluation_claim([a, g]) == ("the dated records hold no devaluation of Armenia's or Georgia's "
                                                   "currency between 12 March 2017 and 12 March 2019")
    assert render.no_devaluation_claim([a, NoDevaluation("GEO", "2016-01-01", "2019-03-12")]) is None
    assert render.no_devaluation_claim([a]) is None
