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


def test_every_variant_against_the_rating_is_listed_and_only_those():
    kaz = _v("KAZ", "true", [Check("sources", False, phrase(
        "source_variants", primary="imf_dots", rating="true",
        others=[["wb_wits", "false"], ["un_comtrade", "mostly_false"], ["imf_imts", "mostly_true"]]))])
    assert disagreement(kaz) == ("Not every check agrees: on Kazakhstan's figures WITS gives False, UN Comtrade gives "
                                 "Mostly false (IMF DOTS: True).")
    # a check marked as disagreeing whose variants name nothing against the rating adds no empty clause
    quiet = _v("KAZ", "true", [Check("windows", False, phrase("window_variants", start=2012, rating="true",
                                                                 others=[[2008, "cannot_be_checked"]]))])
    assert disagreement(quiet) is None
    same = _v("KAZ", "true", [Check("sources", False, phrase("source_variants", primary="imf_dots", rating="true",
                                                                others=[["wb_wits", "mostly_true"]]))])
    assert disagreement(same) is None
    windows = _v("BLR", "true", [Check("windows", False, phrase("window_variants", start=2012, rating="true",
                                                                   others=[[2008, "false"], [2010, "half_true"]]))])
    assert disagreement(windows) == ("Not every check agrees: on Belarus's figures with the peak sought from 2008, "
                                     "False, with the peak sought from 2010, Half true.")


def test_recovery_sources_are_weighed_against_the_part_rating():
    items = [["un_comtrade", "false"], ["wb_wits", "true"]]
    blr = _v("BLR", "true", [Check("sources", False, phrase("source_ratings", items=items))])
    assert disagreement(blr) == "Not every check agrees: on Belarus's figures UN Comtrade gives False."
    top = _v("all", "true", [Check("sources", False, phrase("per_reporter", items=[["BLR", phrase("source_ratings",
                                                                                                items=items)]]))],
             parts={"BLR": _v("BLR", "false", [])})
    # weighed against Belarus's own rating (False): WITS's True is the one against it
    assert disagreement(top) == "Not every check agrees: on Belarus's figures WITS gives True."


def test_a_claim_level_check_of_its_own_is_said_as_it_is():
    top = _v("all", "half_true", [Check("windows", False, phrase("halves", earlier="mostly_true", later="half_true")),
                                  Check("deflation", False, phrase("deflated_variant", nominal="true", deflated="false"))])
    assert disagreement(top) == ("Not every check agrees: earlier years Mostly true, later years Half true; "
                                 "nominal True, deflated False.")
