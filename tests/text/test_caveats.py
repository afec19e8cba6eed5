"""A disagreeing check is said beside the rating, naming what disagrees."""

from __future__ import annotations

import pandas as pd

from turnover.model.results import Check, CombinedFacts, Finding, Verdict, phrase
from turnover.text.caveats import disagreement


def _v(reporter: str, rating: str, checks: list[Check], parts: dict | None = None, facts=None) -> Verdict:
    return Verdict(claim_id="c", vintage="today", as_of=pd.Timestamp("2026-12-01"), anchor=pd.Timestamp("2016-05-31"),
                   reporter=reporter, rule="declining_trend", rating=rating, strength="moderate", window=(2012, 2015),
                   facts=facts or Finding(phrase("text", text="x")), basis=phrase("text", text="b"),
                   robustness=checks, parts=parts or {})


SOURCES_KAZ = phrase("source_variants", primary="imf_dots", rating="true",
                     others=[["official_release", "cannot_be_checked"], ["wb_wits", "false"], ["un_comtrade", "true"]])


def test_nothing_is_said_when_every_check_agrees_or_was_not_tested():
    assert disagreement(_v("BLR", "true", [Check("sources", True, SOURCES_KAZ), Check("deflation", None,
                                                                                     phrase("deflation_untested"))])) is None


def test_the_other_side_is_named_with_its_source_and_rating():
    kaz = _v("KAZ", "true", [Check("sources", False, SOURCES_KAZ)])
    # an unrated variant and one on the same side disagree with nothing
    assert disagreement(kaz) == "Not every check agrees: on Kazakhstan's figures WITS gives False (IMF DOTS: True)."
    top = _v("all", "true", [Check("reporters", True, phrase("reporters_agree", ratings=[["BLR", "true", "strong"],
                                                                                          ["KAZ", "true", "moderate"]])),
                             Check("sources", False, phrase("per_reporter", items=[["KAZ", SOURCES_KAZ]]))],
             parts={"KAZ": kaz}, facts=CombinedFacts(how="mean", what="reporter", named=["BLR", "KAZ"],
                                                     rated=["BLR", "KAZ"], basis_of=["BLR", "KAZ"]))
    assert disagreement(top) == "Not every check agrees: on Kazakhstan's figures WITS gives False (IMF DOTS: True)."


def test_reporters_windows_and_the_pre_pandemic_year_are_named():
    top = _v("all", "mostly_true", [
        Check("reporters", False, phrase("reporters_agree", ratings=[["BLR", "true", "strong"], ["KAZ", "half_true", "weak"]])),
        Check("windows", False, phrase("per_reporter", items=[
            ["BLR", phrase("window_variants", start=2012, rating="true", others=[[2008, "false"], [2010, "true"]])],
            ["KAZ", phrase("pre_pandemic_check", latest_year=2025, rating="true", pre_year=2019, pre_rating="false")]]))])
    assert disagreement(top) == (
        "Not every check agrees: Belarus's figures give True, Kazakhstan's give Half true; on Belarus's figures with "
        "the peak sought from 2008, False; on Kazakhstan's figures 2019, before the pandemic, gives False.")
