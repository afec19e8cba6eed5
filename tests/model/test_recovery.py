"""Rule ``recovery`` on hand-made annual series: every field of the records worked out by hand.

Belarus's figures (IMF IMTS, USD mn): 2012 2100, 2013 2000 (reference), 2014 1500, 2015 1000,
2016 800 (trough: lowest of 2014-2017), 2017 900, 2018 1400, 2019 1500, 2020 1300, 2021 1700
(latest in the window 2013-2024); 2025 5000 lies after the window. Lost ground 2000 - 800 =
1200, won back 1700 - 800 = 900: a share of exactly 0.75 -> Mostly true (the grade's lower
edge); 1700 is 15% below 2013. A second source (UN Comtrade) has 2013 1000, 2016 500, 2020 1000:
back at the reference -> True, on the same side. Later, not rated: at least 2100 in 2022 (>=
the reference: +5%), an exact Jan-Jul 2023 figure of 1000 (part of a year), at least 9000 in
2023 (UN Comtrade: +350%), about 1900 in 2024 (a rounded figure). Kazakhstan has 2013 and 2018 only: no trough, one year after the event.
"""

from __future__ import annotations

import pytest

from turnover.model import evaluate
from turnover.model.recovery import grade

from _claims_with import HEAD_ARTICLE, HEAD_TODAY, NO_FACTS, by_reporter, claims_with
from _model_synth import build, frame, row

MN = 1e6
RULE = {"kind": "recovery", "event_date": "2017-11-29", "trough_year": 2016, "reference_year": 2013}
BLR = {2012: 2100, 2013: 2000, 2014: 1500, 2015: 1000, 2016: 800, 2017: 900, 2018: 1400, 2019: 1500, 2020: 1300,
       2021: 1700, 2025: 5000}


def _t(rid, reporter, start, end, musd, **kw):
    return row(rid, reporter, "BLR", "KAZ", "turnover", start, end, musd * MN, **kw)


def _rows() -> list[dict]:
    rows = [_t(f"B{y}", "BLR", f"{y}-01", f"{y}-12", v) for y, v in BLR.items()]
    rows += [_t(f"C{y}", "BLR", f"{y}-01", f"{y}-12", v, source_kind="un_comtrade")
             for y, v in {2013: 1000, 2016: 500, 2020: 1000}.items()]
    rows += [_t("B2022b", "BLR", "2022-01", "2022-12", 2100, qualifier="at_least"),
             _t("B2023p", "BLR", "2023-01", "2023-07", 1000),
             _t("B2024a", "BLR", "2024-01", "2024-12", 1900, qualifier="approx"),
             _t("B2023c", "BLR", "2023-01", "2023-12", 9000, qualifier="at_least", source_kind="un_comtrade"),
             _t("B2025b", "BLR", "2025-01", "2025-12", 6000, qualifier="at_least", source_kind="wb_wits")]
    rows += [_t("K2013", "KAZ", "2013-01", "2013-12", 1111), _t("K2018", "KAZ", "2018-01", "2018-12", 1222)]
    rows += [_t("U2023", "unknown", "2023-01", "2023-12", 1950, qualifier="at_least"),
             _t("U2020", "unknown", "2020-01", "2020-12", 1234, qualifier="at_least")]
    return rows


BOUNDS = [
    {"period": "2022", "year": 2022, "annual": True, "value_musd": 2100.0, "qualifier": "at_least",
     "source_kind": "imf_imts", "row_ids": ["B2022b"], "vs_reference": "at least +5% against the reference"},
    {"period": "Jan-Jul 2023", "year": 2023, "annual": False, "value_musd": 1000.0, "qualifier": "exact",
     "source_kind": "imf_imts", "row_ids": ["B2023p"],
     "vs_reference": "part of a year: not comparable with an annual reference"},
    {"period": "2023", "year": 2023, "annual": True, "value_musd": 9000.0, "qualifier": "at_least",
     "source_kind": "un_comtrade", "row_ids": ["B2023c"], "vs_reference": "at least +350% against the reference"},
    {"period": "2024", "year": 2024, "annual": True, "value_musd": 1900.0, "qualifier": "approx",
     "source_kind": "imf_imts", "row_ids": ["B2024a"],
     "vs_reference": "not comparable as a point: a rounded figure or a bound below the reference"},
]
BLR_BODY = ("on Belarus's figures (IMF IMTS), turnover fell from USD 2,000 mn in 2013 to USD 800 mn in 2016 and was "
            "USD 1,700 mn in 2021, 15% below 2013 (75% of the fall made up); later, not rated: at least "
            "USD 2,100 mn in 2022, USD 1,000 mn in Jan-Jul 2023, at least USD 9,000 mn in 2023, about USD 1,900 mn "
            "in 2024")
KAZ_MISSING = ["no exact value 2014-2017 for the trough", "1 exact annual value after 2017 (2 needed)"]


@pytest.fixture(scope="module")
def results():
    return evaluate(build(frame(_rows())), claims_with(RULE, window=(2013, 2024), vintages=("as_of_article", "today"),
                                                       metric="bilateral_turnover"), facts=NO_FACTS)


def _approx_stat(stat: dict, expected: dict) -> dict:
    """``stat`` with its float fields checked against ``expected`` to 1e-9 and replaced by them."""
    out = dict(stat)
    for k, v in expected.items():
        if isinstance(v, float):
            assert stat[k] == pytest.approx(v, rel=1e-9, abs=1e-9), k
            out[k] = v
    return out


def test_belarus_record_in_full(results):
    blr = by_reporter(results)["BLR"]
    stat = {"bounds_after_latest": BOUNDS, "reference_year": 2013, "reference_musd": 2000.0, "trough_year": 2016,
            "trough_musd": 800.0, "latest_year": 2021, "latest_musd": 1700.0, "latest_vs_reference_pct": -15.0,
            "share_recovered": 0.75, "tolerance_pct": 0.0, "n_after": 4, "min_after_musd": 1300.0,
            "source": "imf_imts"}
    sentence = f"{HEAD_TODAY}: mostly true — {BLR_BODY}."
    ids = sorted([f"B{y}" for y in range(2012, 2022)] + ["B2022b", "B2023p", "B2023c", "B2024a"])
    assert {**blr, "statistic": _approx_stat(blr["statistic"], stat)} == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR", "rating": "mostly_true",
        "rating_label": "Mostly true", "rating_value": 4, "rule": "recovery",
        "window": [2013, 2021], "statistic": stat, "p_value": None, "n_obs": 6,
        "data_used": ["Belarus's figures: exact annual values 2012-2021 (IMF IMTS)",
                      "Belarus's figures: at least USD 2,100 mn in 2022 (not rated)",
                      "Belarus's figures: USD 1,000 mn in Jan-Jul 2023 (not rated)",
                      "Belarus's figures: at least USD 9,000 mn in 2023 (not rated)",
                      "Belarus's figures: about USD 1,900 mn in 2024 (not rated)"],
        "source_row_ids": ids,
        "robustness": [{"dimension": "sources", "agrees": True, "detail": "UN Comtrade: True"}],
        "sentence": sentence, "finding": f"O{BLR_BODY[1:]}.", "numbers": "6 values used", "strength": "strong",
        "basis": "Belarus's figures",
        "not_checked": ["deflated values (no USD price index bundled)"],
    }


def test_kazakhstan_without_trough_cannot_be_checked(results):
    kaz = by_reporter(results)["KAZ"]
    sentence = f"{HEAD_TODAY}: cannot be checked — on Kazakhstan's figures: {'; '.join(KAZ_MISSING)}."
    assert kaz == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "KAZ",
        "rating": "cannot_be_checked", "rating_label": "Cannot be checked", "rating_value": None,
        "rule": "recovery", "window": [2013, 2024], "statistic": {}, "p_value": None,
        "n_obs": 1, "data_used": ["Kazakhstan's figures: 2 exact annual values"],
        "source_row_ids": ["K2013", "K2018"], "robustness": [], "sentence": sentence,
        "finding": f"On Kazakhstan's figures: {'; '.join(KAZ_MISSING)}.", "numbers": "1 value used",
        "strength": "none", "basis": "Kazakhstan's figures", "not_checked": KAZ_MISSING,
    }


def test_unstated_reporter_lists_its_bounds_only(results):
    # without an exact reference-year value an annual bound is not "part of a year" (it was so labelled before)
    unk = by_reporter(results)["unknown"]
    missing = ["no exact 2013 value", "no exact value 2014-2017 for the trough",
               "0 exact annual values after 2017 (2 needed)"]
    assert unk["rating"] == "cannot_be_checked" and unk["not_checked"] == missing and unk["n_obs"] == 0
    assert unk["statistic"] == {"bounds_after_latest": [
        {"period": "2020", "year": 2020, "annual": True, "value_musd": 1234.0, "qualifier": "at_least",
         "source_kind": "imf_imts", "row_ids": ["U2020"],
         "vs_reference": "not comparable: no exact reference-year value"},
        {"period": "2023", "year": 2023, "annual": True, "value_musd": 1950.0, "qualifier": "at_least",
         "source_kind": "imf_imts", "row_ids": ["U2023"],
         "vs_reference": "not comparable: no exact reference-year value"}]}
    assert unk["data_used"] == ["figures whose reporter is not stated: 0 exact annual values"]
    assert unk["source_row_ids"] == [] and unk["basis"] == "figures whose reporter is not stated"


def test_claim_record_rests_on_belarus_and_names_later_unstated_bounds(results):
    recs = by_reporter(results)
    assert set(recs) == {"BLR", "KAZ", "unknown", "all"}
    top, blr = recs["all"], recs["BLR"]
    body = ("Kazakhstan's figures could not be rated, so this rests on Belarus's: " + BLR_BODY
            + "; figures whose reporter is not stated (not rated): at least USD 1,950 mn in 2023")
    sentence = f"{HEAD_TODAY}: mostly true — {body}."
    assert top == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "all", "rating": "mostly_true",
        "rating_label": "Mostly true", "rating_value": 4, "rule": "recovery",
        "window": [2013, 2021],
        "statistic": {r: {"rating": recs[r]["rating"], "strength": recs[r]["strength"], **recs[r]["statistic"]}
                      for r in ("BLR", "KAZ", "unknown")},
        "p_value": None, "n_obs": 6, "data_used": blr["data_used"], "source_row_ids": blr["source_row_ids"],
        "robustness": [{"dimension": "reporters", "agrees": None,
                        "detail": "only 1 named reporter rated: Belarus Mostly true"},
                       {"dimension": "sources", "agrees": True, "detail": "Belarus: UN Comtrade: True"}],
        "sentence": sentence, "finding": f"{body}.", "numbers": "6 values used", "strength": "moderate",
        "basis": "Belarus's figures",
        "not_checked": ["Kazakhstan: cannot be checked", "Belarus: deflated values (no USD price index bundled)",
                        *(f"Kazakhstan: {m}" for m in KAZ_MISSING)],
    }
    assert recs["BLR"]["statistic"]["latest_year"] == 2021
    # what the legacy summary listed ("Per reporter: Belarus Mostly true; ...") is in the statistic
    assert {r: s["rating"] for r, s in top["statistic"].items()} == {
        "BLR": "mostly_true", "KAZ": "cannot_be_checked", "unknown": "cannot_be_checked"}


def test_before_the_event_nothing_is_testable(results):
    recs = by_reporter(results, "as_of_article")
    for rep, figs in (("BLR", "Belarus's figures"), ("KAZ", "Kazakhstan's figures"),
                      ("unknown", "figures whose reporter is not stated")):
        s = f"{HEAD_ARTICLE}: not yet testable — the event (29 November 2017) came after this date."
        assert recs[rep] == {
            "claim_id": "c-test", "vintage": "as_of_article", "as_of": "2016-05-31", "reporter": rep,
            "rating": "not_yet_testable", "rating_label": "Not yet testable", "rating_value": None,
            "rule": "recovery", "window": [2013, 2024], "statistic": {},
            "p_value": None, "n_obs": 0, "data_used": [], "source_row_ids": [], "robustness": [],
            "sentence": s, "finding": "The event (29 November 2017) came after this date.", "numbers": None,
            "strength": "none", "basis": figs, "not_checked": []}
    s = f"{HEAD_ARTICLE}: not yet testable — the event (29 November 2017) came after this date."  # every side waits
    assert recs["all"] == {
        "claim_id": "c-test", "vintage": "as_of_article", "as_of": "2016-05-31", "reporter": "all",
        "rating": "not_yet_testable", "rating_label": "Not yet testable", "rating_value": None,
        "rule": "recovery", "window": [2013, 2024],
        "statistic": {r: {"rating": "not_yet_testable", "strength": "none"} for r in ("BLR", "KAZ", "unknown")},
        "p_value": None, "n_obs": 0, "data_used": [], "source_row_ids": [],
        "robustness": [{"dimension": "reporters", "agrees": None, "detail": "only 0 named reporters rated: none"}],
        "sentence": s, "finding": "The event (29 November 2017) came after this date.", "numbers": None, "strength": "none",
        "basis": "no reporter's figures could be rated",
        "not_checked": ["Belarus: not yet testable", "Kazakhstan: not yet testable"]}


def test_pre_pandemic_year_and_tolerance_from_the_claims_file():
    # 20% tolerance: 1700 >= 0.8 * 2000 -> True; 2019: 1500 < 1600, share 700/1200 -> Half true: windows disagree
    rule = {**RULE, "pre_pandemic_year": 2019, "tolerance_pct": 20}
    res = evaluate(build(frame(_rows())), claims_with(rule, window=(2013, 2024), metric="bilateral_turnover"),
                   facts=NO_FACTS)
    blr = by_reporter(res)["BLR"]
    assert blr["rating"] == "true" and blr["strength"] == "moderate"
    st = blr["statistic"]
    assert (st["pre_pandemic_year"], st["pre_pandemic_musd"], st["pre_pandemic_rating"]) == (2019, 1500.0, "half_true")
    assert st["pre_pandemic_vs_reference_pct"] == pytest.approx(-25.0) and st["tolerance_pct"] == 20.0
    assert blr["robustness"] == [
        {"dimension": "windows", "agrees": False, "detail": "latest 2021: True; pre-pandemic 2019: Half true"},
        {"dimension": "sources", "agrees": True, "detail": "UN Comtrade: True"}]
    assert "(75% of the fall made up); in 2019, before the pandemic, it was 25% below 2013; later, not rated:" in blr["sentence"]
    top = by_reporter(res)["all"]
    assert top["robustness"][1:] == [
        {"dimension": "sources", "agrees": True, "detail": "Belarus: UN Comtrade: True"},
        {"dimension": "windows", "agrees": False,
         "detail": "Belarus: latest 2021: True; pre-pandemic 2019: Half true"}]


@pytest.mark.parametrize("params, rating, n_after", [
    ({"min_points_after": 5}, "cannot_be_checked", 4),     # 2018-2021: four years after 2017
    ({"min_points_after": 4}, "mostly_true", 4),
    ({"recovered_grades": {0.8: "mostly_true", 0.5: "half_true", 0.0: "mostly_false"}}, "half_true", 4),
    ({"recovered_grades": {0.75: "true", 0.0: "false"}}, "true", 4),
    ({"tolerance_pct": 15}, "true", 4),                   # 1700 is exactly 15% below 2000
    ({"tolerance_pct": 14.9}, "mostly_true", 4),
])
def test_claims_file_parameters_change_the_rating(params, rating, n_after):
    res = evaluate(build(frame(_rows())), claims_with({**RULE, **params}, window=(2013, 2024),
                                                      metric="bilateral_turnover"), facts=NO_FACTS)
    blr = by_reporter(res)["BLR"]
    assert blr["rating"] == rating and blr["n_obs"] == (n_after if rating == "cannot_be_checked" else n_after + 2)
    if rating == "cannot_be_checked":
        assert blr["not_checked"] == ["4 exact annual values after 2017 (5 needed)"]


def test_without_a_window_end_inside_the_data_the_latest_year_moves():
    res = evaluate(build(frame(_rows())), claims_with(RULE, window=(2013, 2020), metric="bilateral_turnover"),
                   facts=NO_FACTS)
    blr = by_reporter(res)["BLR"]
    # 2020: 1300, (1300 - 800) / 1200 = 0.42 -> Mostly false; the 2021 value and every later figure are past the window
    assert blr["rating"] == "mostly_false" and blr["window"] == [2013, 2020]
    assert blr["statistic"]["latest_year"] == 2020 and "bounds_after_latest" not in blr["statistic"]
    assert blr["statistic"]["share_recovered"] == pytest.approx(500 / 1200)
    assert blr["robustness"] == [{"dimension": "sources", "agrees": False, "detail": "UN Comtrade: True"}]
    assert blr["strength"] == "moderate"


@pytest.mark.parametrize("latest, reference, trough, tol, expected", [
    (100.0, 100.0, 50.0, 0.0, ("true", 1.0)),
    (95.0, 100.0, 50.0, 5.0, ("true", 0.9)),             # exactly at the tolerance
    (94.9, 100.0, 50.0, 5.0, ("mostly_true", pytest.approx(0.898))),
    (75.0, 100.0, 50.0, 0.0, ("half_true", 0.5)),        # exactly 0.5
    (74.0, 100.0, 50.0, 0.0, ("mostly_false", pytest.approx(0.48))),
    (50.0, 100.0, 50.0, 0.0, ("false", 0.0)),            # nothing won back: not above 0
    (50.5, 100.0, 50.0, 0.0, ("mostly_false", pytest.approx(0.01))),
    (40.0, 100.0, 50.0, 0.0, ("false", pytest.approx(-0.2))),
    (90.0, 100.0, 100.0, 0.0, ("false", None)),          # no loss to win back, still below
])
def test_grade_edges(latest, reference, trough, tol, expected):
    assert grade(latest, reference, trough, tol, {0.75: "mostly_true", 0.5: "half_true", 0.0: "mostly_false"}) \
        == expected


def test_both_named_reporters_rated_and_unstated_bounds_after_the_earlier_latest_year():
    # Kazakhstan (USD mn): 2013 1000, 2017 400 (trough in the event year), 2018 600, 2019 700: (700-400)/600 = 0.5
    # -> Half true, latest 2019. Unstated bounds after 2019 (2020, 2021) are named; the 2019 one is not.
    rows = [_t(f"B{y}", "BLR", f"{y}-01", f"{y}-12", v) for y, v in BLR.items()]
    rows += [_t(f"K{y}", "KAZ", f"{y}-01", f"{y}-12", v) for y, v in {2013: 1000, 2016: 450, 2017: 400, 2018: 600,
                                                                         2019: 700}.items()]
    rows += [_t(f"U{y}", "unknown", f"{y}-01", f"{y}-12", v, qualifier="at_least")
             for y, v in {2019: 1901, 2020: 1902, 2021: 1903}.items()]
    rows += [_t("B2022e", "BLR", "2022-01", "2022-12", 2000, qualifier="at_least")]  # exactly the reference
    res = evaluate(build(frame(rows)), claims_with(RULE, window=(2013, 2024), metric="bilateral_turnover"),
                   facts=NO_FACTS)
    recs = by_reporter(res)
    kaz, blr, top = recs["KAZ"], recs["BLR"], recs["all"]
    assert (kaz["rating"], kaz["statistic"]["trough_year"], kaz["statistic"]["share_recovered"]) == ("half_true", 2017,
                                                                                                     0.5)
    assert blr["statistic"]["bounds_after_latest"][0]["vs_reference"] == "at least +0% against the reference"
    assert top["rating"] == "half_true" and top["strength"] == "strong"  # (4 + 3) / 2 = 3.5: a half goes to Half true
    assert top["sentence"].endswith("; figures whose reporter is not stated (not rated): at least USD 1,902 mn in "
                                    "2020, at least USD 1,903 mn in 2021.")
    assert top["basis"] == ("Belarus's figures and Kazakhstan's figures (mean of 2 reporters' ratings: Belarus Mostly "
                            "true, Kazakhstan Half true)")
    assert top["robustness"][0] == {"dimension": "reporters", "agrees": False,
                                    "detail": "Belarus Mostly true (strong), Kazakhstan Half true (strong)"}
    assert top["n_obs"] == blr["n_obs"] + kaz["n_obs"] == 6 + 4 and top["p_value"] is None
    assert top["window"] == [2013, 2021] and top["data_used"] == blr["data_used"] + kaz["data_used"]
    assert top["source_row_ids"] == sorted(set(blr["source_row_ids"]) | set(kaz["source_row_ids"]))


def test_only_unstated_figures_are_flagged_and_weak():
    rows = [_t(f"U{y}", "unknown", f"{y}-01", f"{y}-12", v) for y, v in BLR.items()]
    res = evaluate(build(frame(rows)), claims_with(RULE, window=(2013, 2024), metric="bilateral_turnover"),
                   facts=NO_FACTS)
    recs = by_reporter(res)
    unk, top = recs["unknown"], recs["all"]
    assert unk["rating"] == "mostly_true" and unk["strength"] == "weak"
    assert unk["sentence"].startswith(f"{HEAD_TODAY}: mostly true — on figures whose reporter is not stated (IMF IMTS), "
                                      "turnover fell from USD 2,000 mn in 2013")
    assert top["rating"] == "mostly_true" and top["strength"] == "weak"
    assert top["basis"] == ("FLAGGED: only figures whose reporter is not stated (figures whose reporter is not "
                            "stated); no named reporter's figures could be rated")
    assert top["sentence"] == unk["sentence"] == (
        f"{HEAD_TODAY}: mostly true — on figures whose reporter is not stated (IMF IMTS), turnover fell from USD 2,000 "
        "mn in 2013 to USD 800 mn in 2016 and was USD 1,700 mn in 2021, 15% below 2013 (75% of the fall made "
        "up).")
    assert top["window"] == unk["window"] == [2013, 2021] and top["n_obs"] == 6
    assert top["source_row_ids"] == unk["source_row_ids"] and top["data_used"] == unk["data_used"]
    assert top["not_checked"] == ["Belarus: cannot be checked", "Kazakhstan: cannot be checked",
                                  "Belarus: no exact 2013 value", "Belarus: no exact value 2014-2017 for the trough",
                                  "Belarus: 0 exact annual values after 2017 (2 needed)",
                                  "Kazakhstan: no exact 2013 value", "Kazakhstan: no exact value 2014-2017 for the trough",
                                  "Kazakhstan: 0 exact annual values after 2017 (2 needed)"]


def test_no_lost_ground_no_share():
    # 2013 1000 is below every year 2014-2017 (lowest 1100 in 2015): nothing was lost; 2019 1500 -> True, no share
    vals = {2013: 1000, 2014: 1200, 2015: 1100, 2016: 1300, 2017: 1250, 2018: 1400, 2019: 1500}
    rows = [_t(f"B{y}", "BLR", f"{y}-01", f"{y}-12", v) for y, v in vals.items()]
    res = evaluate(build(frame(rows)), claims_with(RULE, window=(2013, 2024), metric="bilateral_turnover"),
                   facts=NO_FACTS)
    blr = by_reporter(res)["BLR"]
    assert blr["rating"] == "true" and "share_recovered" not in blr["statistic"]
    assert (blr["statistic"]["trough_year"], blr["statistic"]["latest_vs_reference_pct"]) == (2015, 50.0)
    assert blr["sentence"].endswith(" turnover never fell below its 2013 level of USD 1,000 mn (lowest USD 1,100 mn "
                                    "in 2015) and was USD 1,500 mn in 2019, 50% above 2013.")
