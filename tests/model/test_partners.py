"""Rule ``partner_rank`` on hand-made partner tables: every field of the records is worked out by hand.

Kazakhstan's own 2015 figures (IMF IMTS; USD bn, exports + imports): Russia 40, China 30 (an
estimate), Türkiye 25 (a turnover row only), Ukraine 5, Armenia 0 (a true zero), World 100. So
Russia ranks 1 and is certainly in the top 3 (nothing is left for unlisted partners), Ukraine
ranks 4 (three known partners above it): one of the two in the top 3 -> Half true. 2014: Russia
50, Ukraine 20, China 10, World 90: both certainly in (10 left < 20) -> True, so the window
check disagrees. Rows that must never count (each would change the ranks if it did): an
aggregate (EUU), a rounded figure, a monthly figure, another reporter's figure, a 2012 year
before the window, a 2016 year after the article, a later revision of Ukraine's exports, and a
second source with fewer partners.
"""

from __future__ import annotations

import pytest

from turnover.model import evaluate
from turnover.model.partners import _is_country, in_top_n

from _claims_with import HEAD_ARTICLE, HEAD_TODAY, NO_FACTS, by_reporter, claims_with, facts
from _model_synth import build, frame, row

BN = 1e9
RULE = {"kind": "partner_rank", "countries": ["BLR", "KAZ"], "partners": ["RUS", "UKR"]}  # top_n, grades: defaults


def _pair(rid: str, country: str, partner: str, year: int, total: float, *, reporter: str | None = None,
          source_kind: str = "imf_imts", **kw) -> list[dict]:
    """Export and import rows of ``country`` with ``partner`` summing to ``total`` (half each)."""
    rep = reporter or country
    out = [row(f"{rid}x", rep, country, partner, "export", f"{year}-01", f"{year}-12", total / 2,
               source_kind=source_kind, **kw),
           row(f"{rid}m", rep, country, partner, "import", f"{year}-01", f"{year}-12", total / 2,
               source_kind=source_kind, **kw)]
    return out


def _kaz_rows() -> list[dict]:
    rows = []
    rows += _pair("K15RUS", "KAZ", "RUS", 2015, 40 * BN)
    chn = _pair("K15CHN", "KAZ", "CHN", 2015, 30 * BN)
    for r in chn:
        r["status"] = "estimate"
    rows += chn
    rows.append(row("K15TURt", "KAZ", "KAZ", "TUR", "turnover", "2015-01", "2015-12", 25 * BN))
    rows += [row("K15UKRx", "KAZ", "KAZ", "UKR", "export", "2015-01", "2015-12", 2.5 * BN, published_on="2016-03-01"),
             row("K15UKRx2", "KAZ", "KAZ", "UKR", "export", "2015-01", "2015-12", 20 * BN, published_on="2017-06-01"),
             row("K15UKRm", "KAZ", "KAZ", "UKR", "import", "2015-01", "2015-12", 2.5 * BN)]
    arm = _pair("K15ARM", "KAZ", "ARM", 2015, 0.0)
    for r in arm:
        r["status"] = "true_zero"
    rows += arm
    rows += _pair("K15WLD", "KAZ", "WLD", 2015, 100 * BN)
    # never counted
    euu = _pair("K15EUU", "KAZ", "EUU", 2015, 80 * BN)
    for r in euu:
        r["partner_kind"] = "aggregate"
    rows += euu
    rows += _pair("K15DEU", "KAZ", "DEU", 2015, 35 * BN, qualifier="approx")
    rows += [row("K15POLx", "KAZ", "KAZ", "POL", "export", "2015-12", "2015-12", 45 * BN),
             row("K15POLm", "KAZ", "KAZ", "POL", "import", "2015-12", "2015-12", 45 * BN)]
    rows += _pair("K15USA", "KAZ", "USA", 2015, 35 * BN, reporter="RUS")
    rows += _pair("K15cRUS", "KAZ", "RUS", 2015, 10 * BN, source_kind="un_comtrade")
    rows += _pair("K15cUKR", "KAZ", "UKR", 2015, 30 * BN, source_kind="un_comtrade")
    rows += _pair("K15cWLD", "KAZ", "WLD", 2015, 100 * BN, source_kind="un_comtrade")
    for p, v in (("RUS", 10), ("UKR", 1), ("CHN", 50), ("ITA", 40), ("DEU", 20), ("WLD", 200)):
        rows += _pair(f"K12{p}", "KAZ", p, 2012, v * BN)
    for p, v in (("RUS", 10), ("UKR", 1), ("CHN", 50), ("ITA", 40), ("WLD", 200)):
        rows += _pair(f"K16{p}", "KAZ", p, 2016, v * BN)
    for p, v in (("RUS", 50), ("UKR", 20), ("CHN", 10), ("WLD", 90)):
        rows += _pair(f"K14{p}", "KAZ", p, 2014, v * BN)
    return rows


def _blr_rows() -> list[dict]:
    # Russia 30 of 60: certainly in; Ukraine 5: 25 left could hold five partners above it -> undecided
    return (_pair("B15RUS", "BLR", "RUS", 2015, 30 * BN) + _pair("B15UKR", "BLR", "UKR", 2015, 5 * BN)
            + _pair("B15WLD", "BLR", "WLD", 2015, 60 * BN))


def _ids(*prefixes: str) -> list[str]:
    return sorted(f"{p}{s}" for p in prefixes for s in "xm")


@pytest.fixture(scope="module")
def today():
    res = evaluate(build(frame(_kaz_rows() + _blr_rows())), claims_with(RULE, vintages=("today", "as_of_article")),
                   facts=NO_FACTS)
    return res


KAZ_STAT = {
    "year": 2015, "top_n": 3, "ranks": {"RUS": 1, "UKR": 4}, "shares_pct": {"RUS": 40.0, "UKR": 5.0},
    "in_top": {"RUS": True, "UKR": False}, "n_partners": 5,
    "top": [["RUS", 40000.0], ["CHN", 30000.0], ["TUR", 25000.0]],
    "by_year": {"2014": {"ranks": {"RUS": 1, "UKR": 2}, "rating": "true"},
                "2015": {"ranks": {"RUS": 1, "UKR": 4}, "rating": "half_true"}},
}
KAZ_BODY = ("on Kazakhstan's figures (IMF IMTS) for 2015, Russia ranked 1st, Ukraine ranked 4th of 5 partner "
            "countries (top 3: Russia, China, Türkiye)")
BLR_BODY = ("on Belarus's figures (IMF IMTS) for 2015 only 2 partner countries are in the data (Russia "
            "ranked 1st, Ukraine ranked 2nd among them; share of total trade: Russia 50%; Ukraine 8%), too few "
            "to rank")
BLR_UNDECIDED = ("rank of Ukraine not decided: the partners in the data leave room for larger unlisted ones")


@pytest.mark.parametrize("vintage, head", [("today", HEAD_TODAY), ("as_of_article", HEAD_ARTICLE)])
def test_kazakhstan_record_is_worked_out_in_full(today, vintage, head):
    kaz = by_reporter(today, vintage)["KAZ"]
    stat = dict(kaz["statistic"])
    if vintage == "as_of_article":  # the 2015 rows are known from 1 Mar 2016 (60-day lag), Ukraine's revision is not
        assert kaz["as_of"] == "2016-05-31"
    else:
        assert kaz["as_of"] == "2026-11-30"
    assert stat["shares_pct"] == pytest.approx(KAZ_STAT["shares_pct"])
    stat["shares_pct"] = KAZ_STAT["shares_pct"]
    assert stat == KAZ_STAT
    sentence = f"{head}: half true — {KAZ_BODY}."
    assert kaz == {
        "claim_id": "c-test", "vintage": vintage, "as_of": kaz["as_of"], "reporter": "KAZ", "rating": "half_true",
        "rating_label": "Half true", "rating_value": 3, "rule": "partner_rank",
        "window": [2013, 2015], "statistic": stat, "p_value": None, "n_obs": 2,
        "data_used": ["Kazakhstan's figures: turnover with 5 partner countries in 2015 (IMF IMTS)"],
        "source_row_ids": sorted(["K15RUSx", "K15RUSm", "K15UKRx", "K15UKRm", "K15WLDx", "K15WLDm"]),
        "robustness": [{"dimension": "windows", "agrees": False, "detail": "2014: True"},
                       {"dimension": "sources", "agrees": None,
                        "detail": "one source per year (the one with most partners)"}],
        "sentence": sentence, "finding": f"O{KAZ_BODY[1:]}.", "numbers": "2 values used", "strength": "moderate",
        "basis": "Kazakhstan's figures (IMF IMTS, 2015)", "not_checked": [],
    }


def test_belarus_with_too_few_partners_cannot_be_checked(today):
    blr = by_reporter(today)["BLR"]
    sentence = f"{HEAD_TODAY}: cannot be checked — {BLR_BODY}."
    assert blr["statistic"]["shares_pct"] == pytest.approx({"RUS": 50.0, "UKR": 100 * 5 / 60})
    assert blr == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR",
        "rating": "cannot_be_checked", "rating_label": "Cannot be checked", "rating_value": None,
        "rule": "partner_rank", "window": [2013, 2015],
        "statistic": {"year": 2015, "top_n": 3, "ranks": {"RUS": 1, "UKR": 2},
                      "shares_pct": blr["statistic"]["shares_pct"], "in_top": {"RUS": True, "UKR": None},
                      "n_partners": 2, "top": [["RUS", 30000.0], ["UKR", 5000.0]],
                      "by_year": {"2015": {"ranks": {"RUS": 1, "UKR": 2}, "rating": "cannot_be_checked"}}},
        "p_value": None, "n_obs": 1,
        "data_used": ["Belarus's figures: turnover with 2 partner countries in 2015 (IMF IMTS)"],
        "source_row_ids": _ids("B15RUS", "B15UKR", "B15WLD"),
        "robustness": [{"dimension": "sources", "agrees": None,
                        "detail": "one source per year (the one with most partners)"}],
        "sentence": sentence, "finding": f"O{BLR_BODY[1:]}.", "numbers": "1 value used", "strength": "none",
        "basis": "Belarus's figures (IMF IMTS, 2015)", "not_checked": [BLR_UNDECIDED],
    }


def test_claim_record_rests_on_the_rated_country_only(today):
    recs = by_reporter(today)
    assert set(recs) == {"BLR", "KAZ", "all"}
    top, kaz, blr = recs["all"], recs["KAZ"], recs["BLR"]
    sentence = f"{HEAD_TODAY}: half true — {BLR_BODY}; {KAZ_BODY}."
    assert top == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "all", "rating": "half_true",
        "rating_label": "Half true", "rating_value": 3, "rule": "partner_rank",
        "window": [2013, 2015],
        "statistic": {"BLR": {"rating": "cannot_be_checked", "strength": "none", **blr["statistic"]},
                      "KAZ": {"rating": "half_true", "strength": "moderate", **kaz["statistic"]}},
        "p_value": None, "n_obs": 2, "data_used": kaz["data_used"], "source_row_ids": kaz["source_row_ids"],
        "robustness": [{"dimension": "reporters", "agrees": None,
                        "detail": "only 1 named country rated: Kazakhstan Half true"},
                       {"dimension": "sources", "agrees": None,
                        "detail": "Kazakhstan: one source per year (the one with most partners)"},
                       {"dimension": "windows", "agrees": False, "detail": "Kazakhstan: 2014: True"}],
        "sentence": sentence, "finding": f"O{BLR_BODY[1:]}; {KAZ_BODY}.", "numbers": "2 values used",
        "strength": "moderate", "basis": "Kazakhstan's figures (IMF IMTS, 2015)",
        "not_checked": ["Belarus: cannot be checked", f"Belarus: {BLR_UNDECIDED}"],
    }


def test_window_end_before_the_article_picks_the_earlier_year():
    res = evaluate(build(frame(_kaz_rows())), claims_with({**RULE, "countries": ["KAZ"]}, window=(2013, 2014)),
                   facts=NO_FACTS)
    kaz = by_reporter(res)["KAZ"]
    assert (kaz["rating"], kaz["statistic"]["year"], kaz["window"]) == ("true", 2014, [2013, 2014])
    assert kaz["statistic"]["by_year"] == {"2014": {"ranks": {"RUS": 1, "UKR": 2}, "rating": "true"}}
    assert kaz["strength"] == "strong" and [e["dimension"] for e in kaz["robustness"]] == ["sources"]
    top = by_reporter(res)["all"]  # only Kazakhstan is named in the claim: its strength stays
    assert (top["rating"], top["strength"], top["not_checked"]) == ("true", "strong", [])
    assert top["robustness"][0]["detail"] == "only 1 named country rated: Kazakhstan True"
    # with the window to 2016 the year after the article still never counts (periods end by 31 May 2016)
    res = evaluate(build(frame(_kaz_rows())), claims_with({**RULE, "countries": ["KAZ"]}, window=(2012, 2016)),
                   facts=NO_FACTS)
    kaz = by_reporter(res)["KAZ"]
    assert kaz["statistic"]["year"] == 2015 and kaz["window"] == [2012, 2015]
    assert sorted(kaz["statistic"]["by_year"]) == ["2012", "2014", "2015"]
    assert kaz["robustness"][0] == {"dimension": "windows", "agrees": False, "detail": "2012: False, 2014: True"}


@pytest.mark.parametrize("top_n, grades, rating", [
    (4, None, "true"),                                  # Ukraine 4th: both in the top 4
    (3, {2: "true", 1: "mostly_false", 0: "false"}, "mostly_false"),
    (3, {2: "true", 0: "false"}, "half_true"),          # one of two: the default for a missing count
    (3, {2: "true", 1: "true", 0: "false"}, "true"),
    (1, None, "half_true"),                             # Russia first, Ukraine not
])
def test_claims_file_parameters_change_the_rating(top_n, grades, rating):
    rule = {**RULE, "countries": ["KAZ"], "top_n": top_n, **({"grades": grades} if grades else {})}
    res = evaluate(build(frame(_kaz_rows())), claims_with(rule), facts=NO_FACTS)
    kaz = by_reporter(res)["KAZ"]
    assert kaz["rating"] == rating and kaz["statistic"]["top_n"] == top_n
    assert len(kaz["statistic"]["top"]) == max(top_n, 3)  # the top three are always listed
    names = ["Russia", "China", "Türkiye", "Ukraine"][:top_n]
    assert kaz["sentence"].endswith(f"of 5 partner countries (top {top_n}: {', '.join(names)}).")
    assert by_reporter(res)["all"]["rating"] == rating


def test_no_world_total_and_a_missing_partner_are_said():
    rows = _pair("B15RUS", "BLR", "RUS", 2015, 30 * BN) + _pair("B15CHN", "BLR", "CHN", 2015, 20 * BN)
    res = evaluate(build(frame(rows)), claims_with({**RULE, "countries": ["BLR"]}), facts=NO_FACTS)
    blr = by_reporter(res)["BLR"]
    assert blr["rating"] == "cannot_be_checked"
    assert blr["statistic"]["in_top"] == {"RUS": None, "UKR": None} and blr["statistic"]["shares_pct"] == {}
    assert blr["sentence"] == (f"{HEAD_TODAY}: cannot be checked — on Belarus's figures (IMF IMTS) for 2015 only 2 "
                               "partner countries are in the data (Russia ranked 1st, Ukraine not in the "
                               "data among them; share of total trade: no World total), too few to rank.")
    assert blr["not_checked"] == ["rank of Russia, Ukraine not decided: the partners in the data leave "
                                  "room for larger unlisted ones"]
    assert blr["source_row_ids"] == _ids("B15RUS") and blr["n_obs"] == 0


def test_a_single_partner_without_world_total_is_no_table():
    rows = _pair("B15RUS", "BLR", "RUS", 2015, 30 * BN)
    res = evaluate(build(frame(rows)), claims_with({**RULE, "countries": ["BLR"]}), facts=NO_FACTS)
    blr = by_reporter(res)["BLR"]
    assert blr["sentence"] == (f"{HEAD_TODAY}: cannot be checked — on context facts for Belarus: none dated in the "
                               "window.")
    assert blr["statistic"] == {"top_n": 3, "ranks": {}, "shares_pct": {}, "in_top": {"RUS": None, "UKR": None},
                                "n_partners": 0, "top": [], "by_year": {}}


FACTS = facts(
    {"fact_id": "r1", "topic": "partner_rank", "date": "2015-06-30", "country": "BLR", "subject": "RUS", "value": 3.0,
     "unit": "rank"},
    {"fact_id": "r0", "topic": "partner_rank", "date": "2014-06-30", "country": "BLR", "subject": "RUS", "value": 9.0,
     "unit": "rank"},  # older: the latest fact decides
    {"fact_id": "s1", "topic": "partner_share", "date": "2016-04-01", "country": "BLR", "subject": "UKR", "value": 26.0,
     "unit": "pct_of_total_trade"},
    {"fact_id": "s9", "topic": "partner_share", "date": "2016-04-01", "country": "BLR", "subject": "UKR", "value": 1.0,
     "unit": "pct"},  # wrong unit: never read
    {"fact_id": "s8", "topic": "partner_share", "date": "2016-07-01", "country": "BLR", "subject": "UKR", "value": 1.0,
     "unit": "pct_of_total_trade"},  # after the article
    {"fact_id": "s7", "topic": "partner_share", "date": "2012-07-01", "country": "BLR", "subject": "UKR", "value": 1.0,
     "unit": "pct_of_total_trade"},  # before the window
    {"fact_id": "k1", "topic": "partner_rank", "date": "2015-06-30", "country": "KAZ", "subject": "UKR", "value": 1.0,
     "unit": "rank"},  # another country
)


def test_context_facts_decide_only_without_partner_rows():
    res = evaluate(build(frame(_pair("K14RUS", "KAZ", "RUS", 2014, 1 * BN))),
                   claims_with({**RULE, "countries": ["BLR"]}), facts=FACTS)
    blr = by_reporter(res)["BLR"]
    # rank 3 <= 3: in; a 26% share leaves 74%: at most two larger partners -> in
    body = ("on context facts for Belarus: Russia ranked 3rd (2015-06-30, fact r1); "
            "Ukraine 26% of trade (2016-04-01, fact s1)")
    sentence = f"{HEAD_TODAY}: true — {body}."
    assert blr == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR", "rating": "true",
        "rating_label": "True", "rating_value": 5, "rule": "partner_rank",
        "window": [2013, 2015],
        "statistic": {"top_n": 3, "ranks": {}, "shares_pct": {}, "in_top": {"RUS": True, "UKR": True},
                      "n_partners": 0, "top": [], "by_year": {}},
        "p_value": None, "n_obs": 2, "data_used": ["context facts dated 2013..2016-05-31"],
        "source_row_ids": ["fact:r1", "fact:s1"],
        "robustness": [{"dimension": "sources", "agrees": None,
                        "detail": "one source per year (the one with most partners)"}],
        "sentence": sentence, "finding": f"O{body[1:]}.", "numbers": "2 values used", "strength": "weak",
        "basis": "context facts on Belarus's partners (no partner data in the panel)", "not_checked": [],
    }


@pytest.mark.parametrize("rank, share, rating, in_top", [
    (4.0, 26.0, "half_true", {"RUS": False, "UKR": True}),   # rank 4 > 3: out
    (3.0, 25.0, "cannot_be_checked", {"RUS": True, "UKR": None}),  # 75% left could hold three partners of 25%
    (4.0, 25.0, "cannot_be_checked", {"RUS": False, "UKR": None}),
])
def test_fact_boundaries(rank, share, rating, in_top):
    f = FACTS.copy()
    f.loc[f["fact_id"] == "r1", "value"] = rank
    f.loc[f["fact_id"] == "s1", "value"] = share
    res = evaluate(build(frame(_pair("K14RUS", "KAZ", "RUS", 2014, 1 * BN))),
                   claims_with({**RULE, "countries": ["BLR"]}), facts=f)
    blr = by_reporter(res)["BLR"]
    assert blr["rating"] == rating and blr["statistic"]["in_top"] == in_top
    assert blr["n_obs"] == sum(v is not None for v in in_top.values())
    assert blr["strength"] == ("weak" if rating == "half_true" else "none")


def test_facts_published_after_the_cut_are_not_read():
    res = evaluate(build(frame(_pair("K14RUS", "KAZ", "RUS", 2014, 1 * BN))),
                   claims_with({**RULE, "countries": ["BLR"]}, vintages=("as_of_article",)),
                   facts=FACTS.assign(source_date=["2015-07-01", "2014-07-01", "2016-06-01", "2016-04-01",
                                                   "2016-07-01", "2012-07-01", "2015-07-01"]))
    blr = by_reporter(res, "as_of_article")["BLR"]
    assert blr["statistic"]["in_top"] == {"RUS": True, "UKR": None}  # s1 public only on 1 Jun 2016
    assert blr["source_row_ids"] == ["fact:r1"] and blr["rating"] == "cannot_be_checked"
    assert blr["sentence"] == (f"{HEAD_ARTICLE}: cannot be checked — on context facts for Belarus: "
                               "Russia ranked 3rd (2015-06-30, fact r1).")
    assert blr["not_checked"] == ["rank of Ukraine not decided: the partners in the data leave room for larger "
                                  "unlisted ones"]


def test_in_top_n_boundaries():
    assert in_top_n(25.0, {}, 100.0, 3) is None          # 75 left: exactly three partners of 25 could be above
    assert in_top_n(25.5, {}, 100.0, 3) is True
    assert in_top_n(10.0, {"A": 20.0, "B": 30.0}, 100.0, 3) is None  # 40 left: four of 10
    assert in_top_n(10.0, {"A": 20.0, "B": 30.0, "C": 10.0}, 100.0, 3) is None  # equal is not above; 30 left
    assert in_top_n(10.0, {"A": 20.0, "B": 30.0, "C": 11.0}, 100.0, 3) is False
    assert in_top_n(10.0, {"A": 20.0, "B": 30.0}, None, 3) is None
    assert in_top_n(0.0, {"A": 20.0}, 100.0, 3) is None
    assert in_top_n(10.0, {"A": 60.0, "B": 50.0}, 100.0, 3) is True  # known partners exceed the total: nothing left
    assert in_top_n(0.4, {"A": 60.0, "B": 50.0}, 100.0, 3) is True
    assert in_top_n(10.0, {"A": 50.0}, 69.0, 2) is True   # one above, 9 left: no second partner of 10 fits
    assert in_top_n(10.0, {"A": 50.0}, 70.0, 2) is None   # 10 left: a second partner of 10 could tie above


def test_is_country_reads_the_kind_else_the_code():
    assert _is_country("EUU", "aggregate") is False and _is_country("EMDEASIA", "country") is True
    assert _is_country("RUS", None) is True and _is_country("WLD", None) is False
    assert _is_country("EMDEASIA", None) is False and _is_country("rus", None) is False


@pytest.mark.parametrize("grades, window, rating", [
    ({2: "true", 1: "half_true"}, (2012, 2012), "false"),   # 2012: both out; a count missing from grades is False
    ({1: "half_true", 0: "false"}, (2014, 2014), "false"),  # 2014: both in, but 2 is not graded: False
    ({1: "half_true", 0: "mostly_false"}, (2012, 2012), "mostly_false"),
])
def test_counts_missing_from_the_grades(grades, window, rating):
    res = evaluate(build(frame(_kaz_rows())), claims_with({**RULE, "countries": ["KAZ"], "grades": grades},
                                                          window=window), facts=NO_FACTS)
    assert by_reporter(res)["KAZ"]["rating"] == rating
