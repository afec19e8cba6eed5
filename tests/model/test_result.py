"""The rated record and how per-reporter records combine (model.result), on hand-made records."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from turnover.model.result import Context, combine, jsonable, robust_entry, same_side, verdict
from turnover.model.results import Finding, phrase
from turnover.text.render import record, sentence, vintage_phrase

from _claims_with import NO_FACTS, claims_with

RULE = {"kind": "partner_rank", "countries": ["BLR", "KAZ"], "partners": ["RUS"]}


def _ctx(vintage="today", as_of="2026-11-30", combine_how=None, window=(2012, 2016)) -> Context:
    rule = {**RULE, **({"combine": combine_how} if combine_how else {})}
    claims = claims_with(rule, window=window, vintages=("as_of_article", "today"))
    return Context(panel=pd.DataFrame(), claims=claims, claim=claims.claims[0], vintage=vintage,
                   as_of=pd.Timestamp(as_of), facts=NO_FACTS)


def _t(text: str):
    """A hand-made phrase: the words as given."""
    return phrase("text", text=text)


def _rob(dimension, agrees, detail):
    return robust_entry(dimension, agrees, _t(detail))


def _rec(ctx, reporter, rating, strength, *, p=None, window=None, n_obs=0, ids=(), data=(), rob=(), nc=(), body="b",
         basis="basis"):
    return verdict(ctx, reporter, rating, facts=Finding(_t(body)), statistic={"k": reporter}, p_value=p, n_obs=n_obs,
                   window=window, data_used=[_t(d) for d in data], source_row_ids=ids, robustness=list(rob),
                   strength=strength, basis=_t(basis), not_checked=[_t(x) for x in nc])


def _combine(ctx, per, **kw):
    return record(combine(ctx, per, **kw))


def _per(ctx):
    return {
        "BLR": _rec(ctx, "BLR", "true", "strong", p=0.01, window=(2010, 2015), n_obs=5, ids=("b", "a"), data=["d1"],
                    rob=[_rob("sources", True, "s1"), _rob("windows", None, "w1")], nc=["x"],
                    body="body B", basis="B1"),
        "KAZ": _rec(ctx, "KAZ", "mostly_false", "moderate", p=0.2, window=(2011, 2014), n_obs=3, ids=("b", "c"),
                    data=["d2"], rob=[_rob("sources", False, "s2"), _rob("deflation", None, "f2")],
                    nc=["x", "y"], body="body K", basis="K1"),
        "unknown": _rec(ctx, "unknown", "true", "strong", n_obs=9, ids=("u",), data=["du"], body="body U",
                        basis="U1"),
    }


def test_combine_two_named_reporters_in_full():
    ctx = _ctx()
    per = _per(ctx)
    top = _combine(ctx, per)
    head = "With data known today (30 November 2026)"
    sentence_ = f"{head}: half true — body B; body K."  # (5 + 2) / 2 = 3.5: a half goes to Half true
    assert top == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "all", "rating": "half_true",
        "rating_label": "Half true", "rating_value": 3, "rule": "partner_rank",
        "window": [2010, 2015],
        "statistic": {r: {"rating": per[r].rating, "strength": per[r].strength, "k": r} for r in per},
        "p_value": None, "n_obs": 8, "data_used": ["d1", "d2"], "source_row_ids": ["a", "b", "c"],
        "robustness": [
            {"dimension": "reporters", "agrees": False,
             "detail": "Belarus True (strong), Kazakhstan Mostly false (moderate)"},
            {"dimension": "sources", "agrees": False, "detail": "Belarus: s1; Kazakhstan: s2"},
            {"dimension": "windows", "agrees": None, "detail": "Belarus: w1"},
            {"dimension": "deflation", "agrees": None, "detail": "Kazakhstan: f2"}],
        "sentence": sentence_, "finding": "Body B; body K.", "numbers": "8 values used", "strength": "moderate",
        "basis": "B1 and K1 (mean of 2 reporters' ratings: Belarus True, Kazakhstan Mostly false)",
        "not_checked": ["Belarus: x", "Kazakhstan: x", "Kazakhstan: y"],
    }
    # the per-reporter ratings the legacy summary listed ("Per reporter: Belarus True; ...") are in the statistic
    assert {r: s["rating"] for r, s in top["statistic"].items()} == {"BLR": "true", "KAZ": "mostly_false",
                                                                     "unknown": "true"}
    assert combine(ctx, per).parts == per  # the typed claim-level verdict keeps what it combined


def test_combine_min_rule_and_every_part_joined():
    ctx = _ctx(combine_how="min")
    top = _combine(ctx, _per(ctx), what="country", joined="all")
    assert top["rating"] == "mostly_false"
    # joined="all" (partner ranks, currency shocks): every part's finding, rated or not
    assert top["sentence"] == "With data known today (30 November 2026): mostly false — body B; body K; body U."
    assert top["basis"] == "B1 and K1 (min of 2 countries' ratings: Belarus True, Kazakhstan Mostly false)"
    assert {r: s["rating"] for r, s in top["statistic"].items()} == {"BLR": "true", "KAZ": "mostly_false",
                                                                     "unknown": "true"}


def test_one_named_reporter_rated_keeps_its_p_value_and_is_at_most_moderate():
    ctx = _ctx(vintage="as_of_article", as_of="2016-05-31")
    per = _per(ctx)
    per["KAZ"] = _rec(ctx, "KAZ", "cannot_be_checked", "none", nc=["why"], ids=("k",), data=["dk"])
    top = _combine(ctx, per)
    assert (top["rating"], top["strength"], top["p_value"], top["n_obs"]) == ("true", "moderate", 0.01, 5)
    assert top["window"] == [2010, 2015] and top["source_row_ids"] == ["a", "b"] and top["data_used"] == ["d1"]
    assert top["not_checked"] == ["Kazakhstan: cannot be checked", "Belarus: x", "Kazakhstan: why"]
    assert top["robustness"][0] == {"dimension": "reporters", "agrees": None,
                                    "detail": "only 1 named reporter rated: Belarus True"}
    # the side that could not be rated is named first
    assert top["basis"] == "B1" and top["sentence"] == ("As of 31 May 2016: true — Kazakhstan's figures could not be "
                                                        "rated, so this rests on Belarus's: body B.")
    # both named rated and strong: strong stays
    per["KAZ"] = _rec(ctx, "KAZ", "mostly_true", "strong", basis="K1")
    per["BLR"] = _rec(ctx, "BLR", "true", "strong", basis="B1")
    top = _combine(ctx, per)
    assert (top["rating"], top["strength"]) == ("mostly_true", "strong")  # 4.5: a half goes towards Half true
    assert top["robustness"][0] == {"dimension": "reporters", "agrees": True,
                                    "detail": "Belarus True (strong), Kazakhstan Mostly true (strong)"}


def test_named_reporters_can_be_chosen():
    ctx = _ctx()
    per = _per(ctx)
    top = _combine(ctx, per, named=("KAZ",), what="country")
    assert (top["rating"], top["basis"], top["p_value"]) == ("mostly_false", "K1", 0.2)
    assert top["not_checked"] == ["Kazakhstan: x", "Kazakhstan: y"]
    assert top["robustness"][0]["detail"] == "only 1 named country rated: Kazakhstan Mostly false"


@pytest.mark.parametrize("strength, expected", [("strong", "weak"), ("moderate", "weak"), ("none", "none")])
def test_unstated_figures_decide_only_alone_flagged(strength, expected):
    ctx = _ctx()
    per = {"BLR": _rec(ctx, "BLR", "cannot_be_checked", "none"), "KAZ": _rec(ctx, "KAZ", "not_yet_testable", "none"),
           "unknown": _rec(ctx, "unknown", "mostly_true", strength, p=0.03, window=(2013, 2015), n_obs=4, ids=("u",),
                           basis="U1", body="body U")}
    top = _combine(ctx, per)
    assert (top["rating"], top["strength"], top["p_value"], top["n_obs"]) == ("mostly_true", expected, 0.03, 4)
    assert top["basis"] == ("FLAGGED: only figures whose reporter is not stated (U1); no named reporter's figures "
                            "could be rated")
    assert top["window"] == [2013, 2015] and top["source_row_ids"] == ["u"]
    assert top["sentence"] == "With data known today (30 November 2026): mostly true — body U."
    assert top["not_checked"] == ["Belarus: cannot be checked", "Kazakhstan: not yet testable"]
    # "0 named reporters" (the plural; it read "0 named reporter")
    assert top["robustness"] == [{"dimension": "reporters", "agrees": None, "detail": "only 0 named reporters rated: none"}]


@pytest.mark.parametrize("ratings, expected", [(("not_yet_testable", "not_yet_testable"), "not_yet_testable"),
                                               (("not_yet_testable", "cannot_be_checked"), "cannot_be_checked")])
def test_nothing_rated(ratings, expected):
    ctx = _ctx()
    per = {r: _rec(ctx, r, x, "none", body=f"why {r}") for r, x in zip(("BLR", "KAZ"), ratings)}
    top = _combine(ctx, per)
    assert (top["rating"], top["strength"], top["basis"]) == (expected, "none", "no reporter's figures could be rated")
    assert top["window"] == [2012, 2016] and top["p_value"] is None and top["n_obs"] == 0
    assert top["sentence"].endswith(" — why BLR; why KAZ.")  # each named side's reason, not only "none rated"


def test_verdict_defaults_and_fallbacks():
    ctx = _ctx(as_of="2016-05-01", vintage="as_of_article")
    r = record(verdict(ctx, "BLR", "false", facts=Finding(_t("only sentence")), basis=_t(""),
                       statistic={"a": None, "b": np.int64(2), "c": {"d": None}}, n_obs=np.int64(3),
                       source_row_ids=["z", "a", "z", "m", "q", "b", "y", "c", "x", "k"]))
    assert r == {"claim_id": "c-test", "vintage": "as_of_article", "as_of": "2016-05-01", "reporter": "BLR",
                 "rating": "false", "rating_label": "False", "rating_value": 1,
                 "rule": "partner_rank", "window": [2012, 2016], "statistic": {"b": 2, "c": {"d": None}},
                 "p_value": None, "n_obs": 3, "data_used": [],
                 "source_row_ids": ["a", "b", "c", "k", "m", "q", "x", "y", "z"], "robustness": [],
                 "sentence": "As of 1 May 2016: false — only sentence.", "finding": "Only sentence.",
                 "numbers": "3 values used", "strength": "none", "basis": "",
                 "not_checked": []}
    r = record(verdict(ctx, "BLR", "mostly_true", facts=Finding(_t("only sentence")), basis=_t(""), strength="weak",
                       window=(2014, 2015)))
    assert (r["sentence"], r["window"], r["rating_value"]) == ("As of 1 May 2016: mostly true — only sentence.",
                                                               [2014, 2015], 4)
    with pytest.raises(ValueError, match="unknown rating"):
        verdict(ctx, "BLR", "maybe", facts=None, basis=_t(""))
    with pytest.raises(AssertionError):
        verdict(ctx, "BLR", "true", strength="huge", facts=None, basis=_t(""))
    with pytest.raises(AssertionError):
        robust_entry("colour", None, _t(""))


def test_sentences_and_vintage_phrases():
    assert vintage_phrase("as_of_article", "2016-05-01") == "As of 1 May 2016"
    assert vintage_phrase("today", "2026-01-09") == "With data known today (9 January 2026)"
    assert vintage_phrase("today", "2026-01-09", "heading") == "Today (9 January 2026)"
    assert vintage_phrase("as_of_article", "2016-05-01", "label") == "as of 1 May 2016"
    ctx = _ctx(vintage="as_of_article", as_of="2016-05-31")
    v = verdict(ctx, "BLR", "mostly_false", facts=Finding(_t("  the figures fell. ")), basis=_t(""))
    assert sentence(v) == "As of 31 May 2016: mostly false — the figures fell."
    # the finding is rendered from typed facts, never cut out of a sentence: a dash inside it stays
    v = verdict(ctx, "BLR", "true", facts=Finding(_t("a — b")), basis=_t(""))
    assert sentence(v) == "As of 31 May 2016: true — a — b."


def test_context_anchor_pair_and_reporters():
    assert _ctx(as_of="2016-01-15").anchor == pd.Timestamp("2016-01-15")
    assert _ctx(as_of="2026-11-30").anchor == pd.Timestamp("2016-05-31")
    ctx = _ctx()
    assert ctx.pair == ("BLR", "KAZ") and ctx.reporters == ("BLR", "KAZ", "unknown")
    assert ctx.rule.params == {"countries": ["BLR", "KAZ"], "partners": ["RUS"]}


@pytest.mark.parametrize("a, b, expected", [("true", "mostly_true", True), ("false", "mostly_false", True),
                                            ("half_true", "half_true", True), ("half_true", "true", False),
                                            ("mostly_true", "mostly_false", False), ("half_true", "false", False),
                                            ("true", "cannot_be_checked", None), ("not_yet_testable", "true", None)])
def test_same_side(a, b, expected):
    assert same_side(a, b) is expected and same_side(b, a) is expected


def test_jsonable_plain_types():
    got = jsonable({1: np.int64(3), "f": np.float32(1.5), "n": np.float64("nan"), "i": float("inf"), "b": np.bool_(True),
                    "t": pd.Timestamp("2015-03-04 10:00"), "d": dt.date(2015, 1, 2), "x": pd.NaT, "na": pd.NA,
                    "s": {("p", 1)}, "l": (np.int32(1), None, "s", False, 7)})
    assert got == {"1": 3, "f": 1.5, "n": None, "i": None, "b": True, "t": "2015-03-04", "d": "2015-01-02", "x": None,
                   "na": None, "s": [["p", 1]], "l": [1, None, "s", False, 7]}
    assert type(got["1"]) is int and type(got["b"]) is bool and type(got["f"]) is float


def _arm_ctx(as_of: str) -> Context:
    """Armenia-Kazakhstan with a 100-day annual lag: points, implied values and y/y per reporter and source."""
    from _model_synth import build, frame, row

    rows = [row("a14", "ARM", "ARM", "KAZ", "turnover", "2014-01", "2014-12", 100.0),
            row("a15", "ARM", "ARM", "KAZ", "turnover", "2015-01", "2015-12", 80.0, yoy=-20.0),
            row("c15", "ARM", "ARM", "KAZ", "turnover", "2015-01", "2015-12", 90.0, yoy=50.0, source_kind="un_comtrade"),
            row("k15", "KAZ", "ARM", "KAZ", "turnover", "2015-01", "2015-12", 70.0),
            row("b15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", 55.0)]
    rule = {**RULE, "publication_lag_days": {"annual": 100}}
    claims = claims_with(rule, vintages=("today",), pair=("ARM", "KAZ"))
    return Context(panel=build(frame(rows)), claims=claims, claim=claims.claims[0], vintage="today",
                   as_of=pd.Timestamp(as_of), facts=NO_FACTS, lags={"annual": 100})


def test_context_points_implied_and_yoy_per_reporter_and_source():
    from turnover.model.series import POINT_COLUMNS

    ctx = _arm_ctx("2026-11-30")
    allp = ctx.points("ARM")
    assert list(allp.columns) == POINT_COLUMNS
    assert list(allp["value_usd"]) == [100.0, 80.0, 90.0]
    assert list(allp["source_kind"]) == ["imf_imts", "imf_imts", "un_comtrade"]
    assert list(allp["known_from"]) == [pd.Timestamp("2015-04-10"), pd.Timestamp("2016-04-09"), pd.Timestamp("2016-04-09")]
    one = ctx.points("ARM", "un_comtrade")
    assert list(one.columns) == POINT_COLUMNS and list(one.index) == [0] and list(one["value_usd"]) == [90.0]
    assert list(ctx.points("KAZ")["value_usd"]) == [70.0] and ctx.points("BLR").empty
    imp = ctx.implied("ARM", "un_comtrade")
    assert list(imp["value_usd"]) == [60.0, 90.0] and list(imp["basis"]) == ["implied by y/y", "reported"]
    assert len(ctx.implied("ARM")) == 4 and len(ctx.implied("KAZ")) == 1
    y = ctx.yoy("ARM", "imf_imts")
    y15 = y[y["year"] == 2015].iloc[0]
    assert (y15["yoy_pct"], y15["prior_value_usd"]) == (-20.0, 100.0) and y15["computed_yoy_pct"] == pytest.approx(-20.0)
    yc = ctx.yoy("ARM", "un_comtrade")
    assert yc[yc["year"] == 2015].iloc[0]["yoy_pct"] == 50.0 and set(yc["source_kind"]) == {"un_comtrade"}
    assert set(ctx.yoy("ARM")["source_kind"]) == {"imf_imts", "un_comtrade"}
    assert ctx.yoy("KAZ").empty  # one year: nothing to compare


def test_context_points_are_cut_at_the_as_of_date_with_the_rule_lags():
    ctx = _arm_ctx("2016-04-01")  # 2015 figures are known from 9 Apr 2016 (100 days), not 29 Feb (60)
    assert list(ctx.points("ARM")["value_usd"]) == [100.0] and ctx.points("KAZ").empty
