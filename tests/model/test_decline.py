"""The declining-trend rule on small synthetic panels whose every figure is worked out by hand.

Each scenario plants annual turnover (USD mn), a printed quarter, total trade and a printed
y/y, then checks the whole record: rating, key, each statistic, the sentence with its numbers,
the window, the rows cited, robustness and what was not checked. Numbers of the statistical
pieces (Mann-Kendall, level shifts) are computed here from the planted values with the textbook
formulas; the trend model is the one piece compared with ``structural`` run on the raw values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from turnover.claims import load_claims
from turnover.model import decline, structural
from turnover.text.phrases import DEFLATION_UNTESTED as UNTESTED
from turnover.model.result import Context, jsonable

from turnover.text.phrases import render
from turnover.text.render import records

from _model_synth import build, frame, row


def _rule(ctx):
    """The rule's verdicts as their verdicts.json records."""
    return records(decline.rule(ctx))

CLAIMS = load_claims(today=pd.Timestamp("2026-11-30").date())
CLAIM = CLAIMS.claim("declining-turnover")
LAGS = {"annual": 60, "half-year": 45, "quarter": 45, "month": 40, "year-to-date": 40}

# Belarus's national statistics: a 2013 peak, 2015 40% below it, 2016 published in 2017
BLR = {2008: 500, 2009: 400, 2010: 600, 2011: 800, 2012: 900, 2013: 1000, 2014: 850, 2015: 600, 2016: 700}
WORLD = {2013: 80000, 2014: 75000, 2015: 55000}  # Belarus's total trade (exports 40%, imports 60%)
UNTESTED_DEFL = "deflated values (no USD price index bundled)"


DROP = object()


def with_params(**params):
    """The declining-turnover claim with some rule parameters changed (``DROP``: left out, so
    the model's default applies), validated like the claims file."""
    data = {"kind": CLAIM.rule.kind, **CLAIM.rule.params, **params}
    rule = type(CLAIM.rule).model_validate({k: v for k, v in data.items() if v is not DROP})
    claim = CLAIM.model_copy(update={"rule": rule})
    return claim, CLAIMS.model_copy(update={"claims": [claim]})


def make_ctx(panel, as_of="2016-05-31", vintage="as_of_article", **params) -> Context:
    claim, cf = with_params(**params)
    return Context(panel=panel, claims=cf, claim=claim, vintage=vintage, as_of=pd.Timestamp(as_of),
                   facts=pd.DataFrame(), lags=dict(claim.rule.params.get("publication_lag_days") or LAGS))


def annual_rows(values: dict, reporter="BLR", source="national_statistics", prefix="b", pub_month="02-15",
                **kw) -> list[dict]:
    return [row(f"{prefix}{y}", reporter, "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", v * 1e6, source_kind=source,
                published_on=f"{y + 1}-{pub_month}", **kw) for y, v in values.items()]


def scenario_rows() -> list[dict]:
    rows = annual_rows(BLR)
    rows.append(row("bq1", "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-03", 130e6, yoy=-12.0,
                    source_kind="national_statistics", published_on="2016-04-20"))
    for y, v in WORLD.items():
        rows.append(row(f"wx{y}", "BLR", "BLR", "WLD", "export", f"{y}-01", f"{y}-12", v * 0.4e6,
                        source_kind="national_statistics", published_on=f"{y + 1}-03-01"))
        rows.append(row(f"wm{y}", "BLR", "BLR", "WLD", "import", f"{y}-01", f"{y}-12", v * 0.6e6,
                        source_kind="national_statistics", published_on=f"{y + 1}-03-01"))
    # Kazakhstan: only a printed fall of 25% for 2015, no level
    rows.append(row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-25.0,
                    source_kind="official_release", published_on="2016-02-10"))
    return rows


@pytest.fixture(scope="module")
def panel():
    return build(frame(scenario_rows()))


@pytest.fixture(scope="module")
def as_of(panel):
    return {r["reporter"]: r for r in _rule(make_ctx(panel))}


@pytest.fixture(scope="module")
def today(panel):
    return {r["reporter"]: r for r in _rule(make_ctx(panel, "2026-11-30", "today"))}


def _mk(values: list[float]) -> tuple[float, float]:
    """Mann-Kendall tau and two-sided p (no ties, no correction)."""
    n = len(values)
    s = sum(np.sign(values[j] - values[i]) for i in range(n) for j in range(i + 1, n))
    var = n * (n - 1) * (2 * n + 5) / 18
    z = (s - np.sign(s)) / math.sqrt(var)
    return s / (n * (n - 1) / 2), 2 * stats.norm.sf(abs(z))


def _shift(values: dict, year: int, span: int = 6):
    """OLS of log value on 1, t - year and a step from year, over year-span .. year+span-1."""
    yrs = [y for y in sorted(values) if year - span <= y <= year + span - 1]
    y = np.log([values[k] * 1e6 for k in yrs])
    x = np.column_stack([np.ones(len(yrs)), np.array(yrs) - year, (np.array(yrs) >= year).astype(float)])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    df = len(yrs) - 3
    resid = y - x @ beta
    s2 = resid @ resid / df if df else np.nan
    se = math.sqrt(s2 * np.linalg.inv(x.T @ x)[2, 2]) if df else np.nan
    t = stats.t.ppf(0.975, df) if df else np.nan
    pct = lambda b: 100 * (math.exp(b) - 1)
    return {"n": len(yrs), "n_before": sum(k < year for k in yrs), "n_after": sum(k >= year for k in yrs),
            "shift_pct": pct(beta[2]), "shift_low_pct": pct(beta[2] - t * se) if df else None,
            "shift_high_pct": pct(beta[2] + t * se) if df else None,
            "p_value": 2 * stats.t.sf(abs(beta[2] / se), df) if df else None, "years": (yrs[0], yrs[-1])}


def _llt(upto: int, at: int = 2015) -> dict:
    return structural.local_linear_trend(pd.Series({y: v * 1e6 for y, v in BLR.items() if y <= upto}), at)


def test_blr_as_of_record_every_field(as_of):
    r = as_of["BLR"]
    ref, last, mean = 1000, 600, (900 + 1000 + 850) / 3
    assert (r["claim_id"], r["vintage"], r["as_of"], r["reporter"], r["rule"]) == \
        ("declining-turnover", "as_of_article", "2016-05-31", "BLR", "declining_trend")
    assert (r["rating"], r["rating_label"], r["rating_value"]) == ("true", "True", 5) and "verdict" not in r
    assert r["window"] == [2012, 2015]
    st = r["statistic"]
    assert st["latest_year"] == 2015 and st["latest_musd"] == pytest.approx(last)
    assert st["reference_year"] == 2013 and st["reference_musd"] == pytest.approx(ref)
    assert st["reference_mean_musd"] == pytest.approx(mean) and st["reference_years"] == [2012, 2014]
    assert st["change_vs_reference_pct"] == pytest.approx(-40.0)
    assert st["change_vs_reference_musd"] == pytest.approx(-400.0)
    assert st["change_vs_mean_pct"] == pytest.approx(100 * (last / mean - 1))
    assert st["change_latest_year_pct"] == pytest.approx(100 * (600 / 850 - 1))
    assert st["latest_comparable_yoy_pct"] == -12.0 and st["latest_comparable_period"] == "Jan-Mar 2016"
    assert st["latest_comparable_source"] == "national_statistics" and st["latest_comparable_basis"] == "reported"
    assert st["latest_comparable_first_public"] == "2016-04-20"
    assert (st["rating_key"], st["trend_used"]) == ("both", "filtered")
    assert "next_year" not in st and "printed_yoy_pct" not in st and "monthly" not in st
    # Mann-Kendall over the window years 2012-2015 only
    tau, p = _mk([900, 1000, 850, 600])
    mk = st["mann_kendall"]
    assert set(mk) == {"n", "mk_test", "p_value", "mk_tau", "sen_slope", "sen_slope_ci_low", "sen_slope_ci_high",
                       "sen_slope_pct_per_year", "note"}
    assert mk["n"] == 4 and mk["mk_test"] == "Mann-Kendall (original)"
    assert mk["mk_tau"] == pytest.approx(tau) and mk["p_value"] == pytest.approx(p, rel=1e-6)
    assert mk["sen_slope"] == pytest.approx(-125e6, rel=2e-3)  # median of the 6 pairwise slopes (per year)
    assert mk["sen_slope_ci_low"] < mk["sen_slope"] < mk["sen_slope_ci_high"]
    assert "fewer than 10 points" in mk["note"]
    # change points run on every year up to the statement (8 years), not the window
    assert st["change_points"]["n"] == 8
    # known breaks that name Belarus (2014, 2015; not Kazakhstan's 2010), on years up to 2015
    kb = st["known_breaks"]
    assert [b["year"] for b in kb] == [2014, 2015]
    assert kb[0]["why"].startswith("tenge devalued 19%") and kb[1]["why"].startswith("EAEU in force")
    want = _shift({y: v for y, v in BLR.items() if y <= 2015}, 2014)
    assert (kb[0]["n"], kb[0]["n_before"], kb[0]["n_after"]) == (8, 6, 2)
    for k in ("shift_pct", "shift_low_pct", "shift_high_pct", "p_value"):
        assert kb[0][k] == pytest.approx(want[k], rel=1e-6), k
    assert kb[0]["note"] == "OLS, log level on trend + step from 2014, years 2008-2015"
    want15 = _shift({y: v for y, v in BLR.items() if y <= 2015}, 2015)
    assert (kb[1]["n"], kb[1]["n_before"], kb[1]["n_after"]) == (7, 6, 1)
    assert kb[1]["shift_pct"] == pytest.approx(want15["shift_pct"], rel=1e-6)
    assert kb[1]["shift_low_pct"] is None and kb[1]["shift_high_pct"] is None and kb[1]["p_value"] is None
    assert kb[1]["note"].endswith("one year after the step: the step equals that year's deviation from the trend (not tested)")
    # total trade: hand-worked shares and changes
    assert st["versus_total"] == pytest.approx({
        "source_kind": "national_statistics", "total_latest_musd": 55000.0,
        "bilateral_share_latest_pct": 100 * 600 / 55000, "total_change_latest_year_pct": 100 * (55000 / 75000 - 1),
        "total_change_vs_reference_year_pct": 100 * (55000 / 80000 - 1), "bilateral_share_reference_pct": 100 * 1000 / 80000})
    # the trend model on every year known at the as-of date (2008-2015), filtered slope at 2015
    llt = _llt(2015)
    assert st["trend"]["n"] == 8 and st["trend"]["years"] == [2008, 2015]
    assert st["trend"] == jsonable(llt)
    assert st["trend_direction"] == structural.direction(llt, "filtered") == "flat"
    assert r["p_value"] == pytest.approx(llt["filtered_slope_p"]) and r["n_obs"] == 8
    assert r["data_used"] == ["Belarus's figures: annual turnover (national statistics) up to 2015",
                              "latest comparable period: Jan-Mar 2016 vs a year earlier (national statistics, reported)"]
    # the latest year, the reference years, the quarter and the total trade of the latest year
    assert r["source_row_ids"] == ["b2012", "b2013", "b2014", "b2015", "bq1", "wm2015", "wx2015"]
    assert r["robustness"] == [
        {"dimension": "sources", "agrees": None, "detail": "one source only (national statistics)"},
        {"dimension": "windows", "agrees": True,
         "detail": "reference from 2012: True; from 2008: True, from 2010: True, from 2013: True, from 2014: True"},
        {"dimension": "deflation", "agrees": None, "detail": UNTESTED}]
    sentence = ("As of 31 May 2016: true — on Belarus's figures (national statistics) turnover fell 40% in 2015 against "
                "the 2013 peak (USD 1,000 mn to USD 600 mn), the latest full year then published; Jan-Mar 2016 was 12% "
                "below a year earlier; Belarus's total trade fell 27% in 2015 (its trade with Kazakhstan fell 29%; "
                "Kazakhstan was 1.1% of Belarus's trade); the long-run trend fitted to the figures is too uncertain to "
                "say whether it is falling or rising.")
    assert llt["filtered_slope_low_pct"] < 0 < llt["filtered_slope_high_pct"]
    assert r["sentence"] == sentence and "summary" not in r
    assert r["numbers"] == (f"filtered trend slope {llt['filtered_slope_pct']:+.0f}% a year (95% interval "
                            f"{llt['filtered_slope_low_pct']:+.0f}% to {llt['filtered_slope_high_pct']:+.0f}%, 8 annual "
                            f"values); p = {llt['filtered_slope_p']:.3g}; {r['n_obs']} values used")
    assert r["strength"] == "moderate"  # True with a flat trend
    assert r["basis"] == "Belarus's figures (national statistics)"
    assert r["not_checked"] == [UNTESTED_DEFL]


def test_kaz_printed_fall_is_a_bound_and_weak(as_of):
    r = as_of["KAZ"]
    assert (r["rating"], r["strength"], r["window"], r["n_obs"], r["p_value"]) == ("true", "weak", [2012, 2015], 0, None)
    assert r["statistic"] == {
        "latest_year": 2015, "printed_yoy_pct": -25.0, "change_vs_reference_at_most_pct": -25.0,
        "latest_comparable_yoy_pct": -25.0, "latest_comparable_period": "Jan-Dec 2015",
        "latest_comparable_source": "official_release", "latest_comparable_basis": "reported",
        "latest_comparable_first_public": "2016-02-10", "known_breaks": [], "trend": {}, "rating_key": "both",
        "trend_used": "filtered"}
    assert r["source_row_ids"] == ["k15"]
    assert r["data_used"] == ["latest comparable period: Jan-Dec 2015 vs a year earlier (official releases, reported)"]
    assert r["sentence"] == ("As of 31 May 2016: true — on Kazakhstan's figures turnover fell 25% in 2015 (printed change; "
                             "no exact levels), so at least as much below the peak; no later comparable period in the data.")
    assert r["basis"] == "Kazakhstan's figures" and r["not_checked"] == [UNTESTED_DEFL]
    assert r["robustness"][0] == {"dimension": "sources", "agrees": None, "detail": "one source only (none)"}


def test_unknown_reporter_cannot_be_checked_and_says_why(as_of):
    r = as_of["unknown"]
    assert (r["rating"], r["strength"], r["window"], r["robustness"], r["source_row_ids"], r["data_used"]) == \
        ("cannot_be_checked", "none", [2012, 2016], [], [], [])
    assert r["statistic"] == {"known_breaks": [], "trend": {}, "trend_used": "filtered"}
    nc = ["no exact comparable period first public within 15 months before 2016-05-31",
          "no exact annual value known at 2016-05-31"]
    assert r["not_checked"] == nc
    assert r["sentence"] == f"As of 31 May 2016: cannot be checked — on figures whose reporter is not stated: {'; '.join(nc)}."
    assert r["basis"] == "figures whose reporter is not stated; may mix Belarus's and Kazakhstan's statistics"


def test_claim_level_sentence_joins_both_reporters(as_of):
    a = as_of["all"]
    assert (a["rating"], a["strength"], a["window"], a["n_obs"]) == ("true", "weak", [2012, 2015], 8)
    assert a["sentence"] == ("As of 31 May 2016: true — turnover fell 40% in 2015 on Belarus's figures and at least 25% "
                             "on Kazakhstan's, the latest full year then published; Jan-Mar 2016 was 12% below a year "
                             "earlier on Belarus's figures.")
    assert a["source_row_ids"] == ["b2012", "b2013", "b2014", "b2015", "bq1", "k15", "wm2015", "wx2015"]


def test_today_uses_the_smoothed_trend_and_reports_the_year_after(today):
    r = today["BLR"]
    st = r["statistic"]
    assert (r["vintage"], r["as_of"], r["rating"], st["trend_used"]) == ("today", "2026-11-30", "true", "smoothed")
    # the statement's anchor stays the article date: 2015 against the 2013 peak, Jan-Mar 2016
    assert (st["latest_year"], st["reference_year"], st["latest_comparable_period"]) == (2015, 2013, "Jan-Mar 2016")
    assert st["next_year"] == {"year": 2016, "change_pct": pytest.approx(100 * (700 / 600 - 1))}
    llt = _llt(2016)  # the whole history known today, slope at 2015
    assert st["trend"] == jsonable(llt) and st["trend"]["years"] == [2008, 2016]
    assert r["p_value"] == pytest.approx(llt["smoothed_slope_p"]) and r["n_obs"] == 9
    assert st["trend_direction"] == structural.direction(llt, "smoothed")
    # level shifts are fitted on the whole history known today (2008-2016 for 2014)
    want = _shift(BLR, 2014)
    assert st["known_breaks"][0]["n"] == 9 and st["known_breaks"][0]["shift_pct"] == pytest.approx(want["shift_pct"])
    assert st["change_points"]["n"] == 8  # change points: years up to the statement only
    assert r["sentence"].startswith("With data known today (30 November 2026): true — on Belarus's figures "
                                    "(national statistics) turnover fell 40% in 2015 against the 2013 peak (USD 1,000 mn "
                                    "to USD 600 mn), the last full year before the statement; Jan-Mar 2016")
    # the interval spans zero: the sentence says so in words, the numbers are in the record's "numbers"
    assert llt["smoothed_slope_low_pct"] < 0 < llt["smoothed_slope_high_pct"]
    assert r["sentence"].endswith("; the long-run trend fitted to the figures is too uncertain to say whether it is "
                                  "falling or rising.")
    assert r["numbers"].startswith(f"smoothed trend slope {llt['smoothed_slope_pct']:+.0f}% a year (95% interval "
                                   f"{llt['smoothed_slope_low_pct']:+.0f}% to {llt['smoothed_slope_high_pct']:+.0f}%, "
                                   "9 annual values); p = ")
    assert today["all"]["sentence"] == (
        "With data known today (30 November 2026): true — turnover fell 40% in 2015 on Belarus's figures and at least "
        "25% on Kazakhstan's, the last full year before the statement; Jan-Mar 2016 was 12% below a year earlier on "
        "Belarus's figures; after the statement, turnover rose 17% in 2016 on Belarus's figures.")


# ---- the rating table, its parameters and their boundaries ------------------------------------

def blr(values: dict, extra: list[dict] = (), as_of="2016-05-31", vintage="as_of_article", window=None, **params):
    """Belarus's (and the claim's) records for planted annual values (USD mn) plus extra rows."""
    rows = annual_rows(values) + list(extra)
    ctx = make_ctx(build(frame(rows)), as_of, vintage, **params)
    if window is not None:
        claim = ctx.claim.model_copy(update={"window": ctx.claim.window.model_copy(update={"start": window})})
        ctx = Context(panel=ctx.panel, claims=ctx.claims, claim=claim, vintage=vintage, as_of=ctx.as_of,
                      facts=ctx.facts, lags=ctx.lags)
    return {r["reporter"]: r for r in _rule(ctx)}


def q1(yoy: float, value: float = 130e6, rid: str = "bq1", published_on="2016-04-20", **kw) -> dict:
    return row(rid, "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-03", value, yoy=yoy,
               source_kind="national_statistics", published_on=published_on, **kw)


FLAT = {2012: 1000, 2013: 1000, 2014: 1000}


@pytest.mark.parametrize("last, yoy, key, rating, change, latest", [
    (850, +5.0, "decline_only", "half_true", "fell 15%", "Jan-Mar 2016 was 5% above a year earlier"),
    (950, -3.0, "latest_only", "mostly_false", "fell 5%", "Jan-Mar 2016 was 3% below a year earlier"),
    (1100, +2.0, "neither", "false", "rose 10%", "Jan-Mar 2016 was 2% above a year earlier"),
    (700, -8.0, "both", "true", "fell 30%", "Jan-Mar 2016 was 8% below a year earlier"),
    (700, 0.0, "decline_only", "half_true", "fell 30%", "Jan-Mar 2016 was level with a year earlier"),  # no fall
])
def test_each_cell_of_the_rating_table(last, yoy, key, rating, change, latest):
    res = blr({**FLAT, 2015: last}, [q1(yoy)])
    r = res["BLR"]
    assert (r["rating"], r["statistic"]["rating_key"]) == (rating, key)
    assert r["statistic"]["change_vs_reference_pct"] == pytest.approx(100 * (last / 1000 - 1))
    assert r["statistic"]["reference_year"] == 2012  # the first of equal peaks
    assert r["statistic"]["latest_comparable_yoy_pct"] == yoy
    assert r["sentence"].startswith(f"As of 31 May 2016: {rating.replace('_', ' ')} — on Belarus's figures "
                                    f"(national statistics) turnover {change} in 2015 against the 2012 peak "
                                    f"(USD 1,000 mn to USD {last:,} mn), the latest full year then published; {latest}")
    a = res["all"]["sentence"]
    assert a.startswith(f"As of 31 May 2016: {rating.replace('_', ' ')} — Kazakhstan's figures are not available for "
                        f"this pair, so this rests on Belarus's: turnover {change} in 2015 on Belarus's figures "
                        "(against the 2012 peak), the latest full year then published; ")
    if yoy >= 0:
        assert a.endswith(f"; but {latest} on Belarus's figures.")
    else:
        assert a.endswith(f"; Jan-Mar 2016 was {-yoy:.0f}% below a year earlier on Belarus's figures.")


def test_ratings_from_the_claims_file_replace_the_defaults():
    got = blr({**FLAT, 2015: 700}, [q1(-8.0)], ratings={"both": "mostly_true", "decline_only": "false"})
    assert got["BLR"]["rating"] == "mostly_true" and got["all"]["rating"] == "mostly_true"
    got = blr({**FLAT, 2015: 700}, [q1(+8.0)], ratings={"both": "mostly_true", "decline_only": "false"})
    assert got["BLR"]["rating"] == "false"


@pytest.mark.parametrize("min_pct, a", [(25, True), (25.0001, False), (10, True), (30, False)])
def test_min_decline_pct_holds_at_the_boundary(min_pct, a):
    r = blr({**FLAT, 2015: 750}, [q1(-8.0)], min_decline_pct=min_pct)["BLR"]  # exactly 25% below
    assert r["statistic"]["change_vs_reference_pct"] == -25.0
    assert (r["rating"], r["statistic"]["rating_key"]) == (("true", "both") if a else ("mostly_false", "latest_only"))


def test_default_min_decline_is_ten_percent():
    claim, cf = with_params(min_decline_pct=DROP)
    assert "min_decline_pct" not in claim.rule.params
    for last, rating in ((900.5, "mostly_false"), (895, "true")):  # 9.95% and 10.5% below the peak
        ctx = Context(panel=build(frame(annual_rows({**FLAT, 2015: last}) + [q1(-8.0)])), claims=cf, claim=claim,
                      vintage="as_of_article", as_of=pd.Timestamp("2016-05-31"), facts=pd.DataFrame(), lags=LAGS)
        assert decline.assess(ctx, "BLR", full=False)["rating"] == rating


@pytest.mark.parametrize("published, months, b", [
    ("2016-02-29", 3, True),    # first public exactly 3 months before 31 May 2016: still recent
    ("2016-02-28", 3, None),    # a day older
    ("2015-02-28", 15, True),   # the claims file's 15 months, on the boundary
    ("2015-02-27", 15, None),
])
def test_recency_months_boundary(published, months, b):
    # only a printed annual y/y (no later period): it is recent or not
    rows = [row("p15", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 800e6, yoy=-20.0,
                source_kind="national_statistics", published_on=published)]
    ctx = make_ctx(build(frame(rows + annual_rows({2012: 1000, 2013: 1000}, pub_month="02-01"))),
                   recency_months=months)
    res = decline.assess(ctx, "BLR", full=False)
    assert res["b"] is b
    few = "trend model: 3 annual values up to 2014: at least 6 needed for the trend model"
    said = [render(x) for x in res["not_checked"]]  # typed phrases, in words
    if b is None:
        assert said == [f"no exact comparable period first public within {months} months before 2016-05-31", few]
        assert (res["key"], res["rating"]) == ("decline_no_latest", "mostly_true")
    else:
        assert res["latest_is_annual"] is True and res["key"] == "both" and said == [few]
        assert res["stat"]["latest_comparable_yoy_pct"] == -20.0


def test_without_a_recent_comparable_period_the_decline_alone_is_mostly_true():
    got = blr({**FLAT, 2015: 700}, recency_months=2)  # the 2015 y/y was public 15 Feb 2016: too old
    r = got["BLR"]
    assert (r["rating"], r["statistic"]["rating_key"], r["strength"]) == ("mostly_true", "decline_no_latest", "weak")
    assert r["not_checked"] == ["no exact comparable period first public within 2 months before 2016-05-31",
                                "trend model: 4 annual values up to 2015: at least 6 needed for the trend model",
                                UNTESTED_DEFL]
    assert r["sentence"].startswith("As of 31 May 2016: mostly true — on Belarus's figures (national statistics) turnover "
                                    "fell 30% in 2015 against the 2012 peak (USD 1,000 mn to USD 700 mn), the latest full "
                                    "year then published; no exact comparable period then public to say whether it reversed")
    assert "latest_comparable_period" not in r["statistic"]
    assert r["data_used"] == ["Belarus's figures: annual turnover (national statistics) up to 2015"]
    assert got["all"]["sentence"].endswith("; no exact later period on Belarus's figures.")
    got = blr({**FLAT, 2015: 1100}, recency_months=2)
    assert (got["BLR"]["rating"], got["BLR"]["statistic"]["rating_key"]) == ("mostly_false", "no_decline_no_latest")


def test_the_latest_annual_change_is_the_latest_comparable_period():
    r = blr({**FLAT, 2015: 700})["BLR"]  # no quarter: the full year 2015 against 2014
    st = r["statistic"]
    assert (st["latest_comparable_period"], st["latest_comparable_basis"]) == ("Jan-Dec 2015", "computed")
    assert st["latest_comparable_yoy_pct"] == pytest.approx(-30.0) and st["latest_comparable_first_public"] == "2016-02-15"
    assert r["sentence"].endswith(" the latest full year then published; no later comparable period in the data.")
    # a rise in that year: the sentence says so
    r = blr({2012: 1000, 2013: 1000, 2014: 600, 2015: 700}, min_decline_pct=25)["BLR"]
    assert (r["rating"], r["statistic"]["rating_key"]) == ("half_true", "decline_only")
    assert r["sentence"].endswith("; no later comparable period in the data; that year was up on the one before.")
    assert " the 2012 peak (USD 1,000 mn to USD 700 mn)" in r["sentence"]


def test_exact_only_false_lets_an_approximate_change_decide():
    extra = [q1(+5.0, qualifier="approx")]
    extra[0]["yoy_qualifier"] = "approx"
    assert blr({**FLAT, 2015: 700}, extra)["BLR"]["statistic"]["latest_comparable_period"] == "Jan-Dec 2015"
    r = blr({**FLAT, 2015: 700}, extra, exact_only=False)["BLR"]
    assert (r["statistic"]["latest_comparable_period"], r["rating"]) == ("Jan-Mar 2016", "half_true")


def test_a_later_period_of_a_longer_span_and_the_primary_source_win_ties():
    # Jan-Mar and March end the same day: the longer span (3 months) decides
    extra = [q1(-8.0), row("m3", "BLR", "BLR", "KAZ", "turnover", "2016-03", "2016-03", 50e6, yoy=+4.0,
                           source_kind="national_statistics", published_on="2016-04-20")]
    assert blr({**FLAT, 2015: 700}, extra)["BLR"]["statistic"]["latest_comparable_yoy_pct"] == -8.0
    # the same quarter from another source: the primary (national statistics) one decides
    for other_yoy in (+6.0, -6.0):
        extra = [q1(-8.0), row("dq1", "BLR", "BLR", "KAZ", "turnover", "2016-01", "2016-03", 131e6, yoy=other_yoy,
                               source_kind="imf_dots", published_on="2016-04-20")]
        st = blr({**FLAT, 2015: 700}, extra)["BLR"]["statistic"]
        assert (st["latest_comparable_yoy_pct"], st["latest_comparable_source"]) == (-8.0, "national_statistics")


@pytest.mark.parametrize("downgrade, rating", [(0, "true"), (1, "mostly_true"), (2, "half_true")])
def test_an_upward_trend_downgrades_a_decline_by_trend_downgrade_steps(downgrade, rating):
    # +20% a year since 2000 with a +-20% zigzag: 2015 is 20% below 2014, the trend points up
    zig = {y: 100 * 1.2 ** (y - 2000) * (1 + 0.2 * (-1) ** y) for y in range(2000, 2016)}
    r = blr(zig, trend_downgrade=downgrade)["BLR"]
    st = r["statistic"]
    assert st["change_vs_reference_pct"] == pytest.approx(-20.0) and st["reference_year"] == 2014
    assert st["trend_direction"] == "up" and st["rating_key"] == "both"
    assert st["trend"]["filtered_slope_low_pct"] > 0
    assert r["rating"] == rating
    assert r["strength"] == ("moderate" if rating == "half_true" else "weak")  # True/Mostly true against an up trend
    assert "against 2014, the peak (USD " in r["sentence"]


def test_default_trend_downgrade_is_one_step():
    claim, cf = with_params(trend_downgrade=DROP)
    assert "trend_downgrade" not in claim.rule.params
    zig = {y: 100 * 1.2 ** (y - 2000) * (1 + 0.2 * (-1) ** y) for y in range(2000, 2016)}
    ctx = Context(panel=build(frame(annual_rows(zig))), claims=cf, claim=claim, vintage="as_of_article",
                  as_of=pd.Timestamp("2016-05-31"), facts=pd.DataFrame(), lags=LAGS)
    assert decline.assess(ctx, "BLR", full=False)["rating"] == "mostly_true"


def test_trend_level_sets_the_interval():
    vals = {y: 1000 * 0.85 ** (y - 2006) * (1 + 0.02 * (-1) ** y) for y in range(2006, 2016)}
    wide = blr(vals, trend_level=0.99)["BLR"]["statistic"]["trend"]
    norm = blr(vals)["BLR"]["statistic"]["trend"]
    assert wide["level"] == 0.99 and norm["level"] == 0.95
    assert wide["filtered_slope_low_pct"] < norm["filtered_slope_low_pct"] < norm["filtered_slope_pct"]


def test_a_steady_fall_is_strong_and_a_steady_rise_is_strong_for_false():
    down = {y: 1000 * 0.85 ** (y - 2006) * (1 + 0.02 * (-1) ** y) for y in range(2006, 2016)}
    r = blr(down)["BLR"]
    assert (r["rating"], r["statistic"]["trend_direction"], r["strength"]) == ("true", "down", "strong")
    up = {y: 100 * 1.15 ** (y - 2006) * (1 + 0.02 * (-1) ** y) for y in range(2006, 2016)}
    r = blr(up)["BLR"]
    assert (r["rating"], r["statistic"]["trend_direction"], r["strength"]) == ("false", "up", "strong")
    # an upward trend downgrades only a decline: a latest fall without one stays Mostly false
    r = blr(up, [q1(-3.0)])["BLR"]
    assert (r["rating"], r["statistic"]["rating_key"], r["strength"]) == ("mostly_false", "latest_only", "strong")
    # a decline rated against a downward trend but only half true: moderate
    r = blr(down, [q1(+3.0)])["BLR"]
    assert (r["rating"], r["strength"]) == ("half_true", "moderate")
    # false with a falling trend: weak
    r = blr({**down, 2015: down[2014] * 1.5}, [q1(+3.0)])["BLR"]
    assert r["rating"] == "false"
    assert r["strength"] == ("weak" if r["statistic"]["trend_direction"] == "down" else "moderate"
                             if r["statistic"]["trend_direction"] == "flat" else "strong")


def test_too_few_years_leave_the_trend_unfitted_and_say_so():
    r = blr({2011: 1000, 2012: 1000, 2013: 1000, 2014: 1000, 2015: 700})["BLR"]  # 5 years: below 6
    assert "trend_direction" not in r["statistic"] and r["p_value"] is None and r["n_obs"] == 5
    assert r["statistic"]["trend"]["note"] == "5 annual value(s) up to 2015: at least 6 needed for the trend model"
    assert r["not_checked"] == ["trend model: 5 annual values up to 2015: at least 6 needed for the trend model",
                                UNTESTED_DEFL]
    assert r["strength"] == "moderate" and "trend slope" not in r["sentence"]


def test_no_reference_year_in_the_window_says_so():
    r = blr({2010: 1000, 2015: 700}, [q1(-8.0)])["BLR"]
    assert r["rating"] == "cannot_be_checked" and r["statistic"]["latest_year"] == 2015
    assert r["not_checked"][0] == "no exact annual value in 2012-2014 to compare 2015 with"
    assert r["sentence"] == ("As of 31 May 2016: cannot be checked — on Belarus's figures: no exact annual value in "
                             "2012-2014 to compare 2015 with; trend model: 2 annual values up to 2015: at least 6 "
                             "needed for the trend model.")
    assert r["robustness"] == [] and r["source_row_ids"] == ["b2015", "bq1"]
    r = blr({2014: 1000, 2015: 700}, [q1(-8.0)], window=2015)["BLR"]
    assert r["not_checked"][0] == "2015 is the first exact annual value of the window"
    assert r["window"] == [2015, 2015]


def test_a_printed_fall_below_the_threshold_is_no_decline():
    rows = [row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-9.0,
                source_kind="official_release", published_on="2016-02-10"),
            row("k14", "KAZ", "BLR", "KAZ", "turnover", "2014-01", "2014-12", None, yoy=-30.0,
                source_kind="official_release", published_on="2015-02-10")]
    r = {x["reporter"]: x for x in _rule(make_ctx(build(frame(rows))))}["KAZ"]
    st = r["statistic"]
    # the latest printed year is looked at; a fall of 9% proves no decline of 10% and, without levels,
    # no peak to compare with: it cannot be checked (the 2014 fall is not the latest year)
    assert (st["latest_year"], st["printed_yoy_pct"]) == (2015, -9.0) and "rating_key" not in st
    assert "change_vs_reference_at_most_pct" not in st and r["rating"] == "cannot_be_checked"
    assert r["source_row_ids"] == ["k15"] and r["strength"] == "none" and r["robustness"] == []
    assert r["not_checked"] == ["no exact annual value known at 2016-05-31"]
    assert r["sentence"] == "As of 31 May 2016: cannot be checked — on Kazakhstan's figures: no exact annual value known at 2016-05-31."
    # at the threshold it holds
    rows[0]["yoy_pct"] = -10.0
    r = {x["reporter"]: x for x in _rule(make_ctx(build(frame(rows))))}["KAZ"]
    assert (r["rating"], r["statistic"]["change_vs_reference_at_most_pct"]) == ("true", -10.0)


def test_small_values_print_with_one_decimal():
    r = blr({2012: 8.5, 2013: 9.25, 2014: 9.0, 2015: 6.0}, [q1(-8.0, value=1.2e6)])["BLR"]
    assert "against the 2013 peak (USD 9.2 mn to USD 6.0 mn)" in r["sentence"]
    r = blr({2012: 10.0, 2013: 9.0, 2014: 8.0, 2015: 7.99}, [q1(-8.0, value=1.2e6)])["BLR"]
    assert "(USD 10 mn to USD 8.0 mn)" in r["sentence"]  # 10 mn and more: no decimal


# ---- monthly data, other sources, deflation ----------------------------------------------------

def _monthly_values(n: int, start_level: float = 100e6) -> np.ndarray:
    """A falling monthly series with a planted seasonal pattern (USD)."""
    t = np.arange(n)
    return start_level * (1 - 0.01 * t) * (1 + 0.1 * np.sin(2 * np.pi * t / 12))


def test_monthly_statistics_pass_through_with_rolling_sums():
    from turnover.model.trend import trend_tests

    from _model_synth import monthly_flows

    vals = _monthly_values(41)  # Jan 2013 - May 2016
    rows = monthly_flows(vals, start="2013-01", reporter="BLR", partner="KAZ", source_kind="imf_imts")
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    m = res["BLR"]["statistic"]["monthly"]
    s = pd.Series(vals, index=pd.date_range("2013-01-31", periods=41, freq="ME"))
    tt = jsonable(trend_tests(s, frequency="month"))
    assert m == pytest.approx({
        "source_kind": "imf_imts", "n_months": 41, "first": "2013-01-31", "last": "2016-05-31",
        **{k: tt.get(k) for k in ("mk_test", "p_value", "sen_slope", "sen_slope_ci_low", "sen_slope_ci_high",
                                  "decomposition", "note")},
        "rolling_12m_latest_musd": vals[29:41].sum() / 1e6,
        "rolling_12m_yoy_pct": 100 * (vals[29:41].sum() / vals[17:29].sum() - 1)})
    assert m["decomposition"] == "stl" and m["sen_slope"] < 0 and m["sen_slope_ci_low"] < m["sen_slope_ci_high"] < 0
    # calendar years summed from the months make the annual series
    st = res["BLR"]["statistic"]
    assert (st["latest_year"], st["reference_year"]) == (2015, 2013)
    assert st["latest_musd"] == pytest.approx(vals[24:36].sum() / 1e6)
    assert st["reference_musd"] == pytest.approx(vals[0:12].sum() / 1e6)
    # Jan-May 2016 summed from months against Jan-May 2015, from the months' rows
    assert st["latest_comparable_period"] == "Jan-May 2016"
    assert st["latest_comparable_yoy_pct"] == pytest.approx(100 * (vals[36:41].sum() / vals[24:29].sum() - 1))


@pytest.mark.parametrize("n, present", [(25, True), (24, False)])
def test_monthly_needs_25_months(n, present):
    from _model_synth import monthly_flows

    rows = monthly_flows(_monthly_values(n), start="2014-01", source_kind="imf_imts")
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    assert ("monthly" in res["BLR"]["statistic"]) is present
    if present:
        m, v = res["BLR"]["statistic"]["monthly"], _monthly_values(n)
        assert (m["n_months"], m["first"], m["last"]) == (25, "2014-01-31", "2016-01-31")
        # 25 months: the 12 months to Jan 2016 against the 12 to Jan 2015
        assert m["rolling_12m_latest_musd"] == pytest.approx(v[13:25].sum() / 1e6)
        assert m["rolling_12m_yoy_pct"] == pytest.approx(100 * (v[13:25].sum() / v[1:13].sum() - 1))


def test_months_after_the_statement_and_of_a_smaller_source_are_left_out():
    from _model_synth import monthly_flows

    rows = (monthly_flows(_monthly_values(48), start="2013-01", source_kind="imf_imts")  # to Dec 2016
            + monthly_flows(_monthly_values(30), start="2013-01", source_kind="imf_dots", prefix="d"))
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    m = res["BLR"]["statistic"]["monthly"]
    assert (m["source_kind"], m["n_months"], m["last"]) == ("imf_imts", 41, "2016-05-31")
    # equal counts: the alphabetically first source
    rows = (monthly_flows(_monthly_values(30), start="2013-01", source_kind="imf_imts")
            + monthly_flows(_monthly_values(30), start="2013-01", source_kind="imf_dots", prefix="d"))
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    assert res["BLR"]["statistic"]["monthly"]["source_kind"] == "imf_dots"


def test_other_sources_and_window_starts_are_robustness_checks():
    # the primary source (most years) falls 30%; IMF DOTS's 2015 is only 5% below its peak, IMF IMTS's 20%
    dots = annual_rows({2013: 1000, 2014: 1000, 2015: 950}, source="imf_dots", prefix="d")
    imts = annual_rows({2013: 1000, 2014: 1000, 2015: 800}, source="imf_imts", prefix="i")
    r = blr({2011: 2000, **FLAT, 2015: 700}, [q1(-8.0)] + dots + imts)["BLR"]
    src, win = r["robustness"][0], r["robustness"][1]
    assert src == {"dimension": "sources", "agrees": False,
                   "detail": "primary national statistics: True; IMF DOTS: Mostly false, IMF IMTS: True"}
    r2 = blr({2011: 2000, **FLAT, 2015: 700}, [q1(-8.0)] + imts)["BLR"]
    assert r2["robustness"][0] == {"dimension": "sources", "agrees": True,
                                   "detail": "primary national statistics: True; IMF IMTS: True"}
    # from 2008 and 2010 the reference is the 2011 peak (2000): 65% below, still True
    assert win == {"dimension": "windows", "agrees": True,
                   "detail": "reference from 2012: True; from 2008: True, from 2010: True, from 2013: True, from 2014: True"}
    assert r["basis"] == "Belarus's figures (national statistics)"
    # a later window start can flip: only 2014 (=1000) as reference with a mild fall
    r = blr({2011: 800, 2012: 1000, 2013: 640, 2014: 650, 2015: 600}, [q1(-8.0)])["BLR"]
    assert r["robustness"][1] == {
        "dimension": "windows", "agrees": False,
        "detail": "reference from 2012: True; from 2008: True, from 2010: True, from 2013: Mostly false, from 2014: Mostly false"}
    # no other window than the claim's own
    r = blr({**FLAT, 2015: 700}, [q1(-8.0)], sensitivity_windows=[[2012, 2016]])["BLR"]
    assert [e["dimension"] for e in r["robustness"]] == ["sources", "deflation"]


def test_a_deflator_rates_in_real_terms_beside_the_nominal_rating():
    from turnover.model import evaluate

    rows = annual_rows({**FLAT, 2015: 850}) + [q1(-2.0)] + [
        row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-25.0,
            source_kind="official_release", published_on="2016-02-10")]
    claim, cf = with_params()
    cf = cf.model_copy(update={"claims": [claim.model_copy(update={"vintages": ["as_of_article"]})]})
    prices = pd.Series({y: 100.0 * 0.9 ** (y - 2010) for y in range(2008, 2017)})  # USD prices fall 10% a year
    res = {r["reporter"]: r for r in evaluate(build(frame(rows)), cf, deflator=prices)}
    r = res["BLR"]
    assert r["rating"] == "true"  # nominal: 15% below, Q1 2% below
    # real: 2015 = 850/0.9^3 of 2012 prices... against 1000/0.9^0: 850/0.729 vs 1000 -> up; Q1 y/y -2% -> +8.9%
    assert r["robustness"][-1] == {"dimension": "deflation", "agrees": False, "detail": "nominal True, deflated False"}
    assert UNTESTED_DEFL not in r["not_checked"]
    # a printed fall is nominal: in real terms it proves nothing about the peak
    assert res["KAZ"]["robustness"][-1] == {"dimension": "deflation", "agrees": None,
                                            "detail": "nominal True, deflated Cannot be checked"}
    # a deflator without the years needed: the variant cannot be checked
    short = pd.Series({2015: 100.0, 2016: 101.0})
    r = {x["reporter"]: x for x in evaluate(build(frame(rows)), cf, deflator=short)}["BLR"]
    assert r["robustness"][-1] == {"dimension": "deflation", "agrees": None,
                                   "detail": "nominal True, deflated Cannot be checked"}


def test_defaults_when_the_claims_file_leaves_the_parameters_out():
    drop = {k: DROP for k in ("recency_months", "exact_only", "trend_level", "ratings", "trend_downgrade",
                              "min_decline_pct", "known_breaks", "sensitivity_windows")}
    claim, cf = with_params(**drop)
    assert set(claim.rule.params) == {"reference", "combine", "publication_lag_days"}

    def one(rows, as_of="2016-05-31"):
        ctx = Context(panel=build(frame(rows)), claims=cf, claim=claim, vintage="as_of_article",
                      as_of=pd.Timestamp(as_of), facts=pd.DataFrame(), lags=LAGS)
        return {r["reporter"]: r for r in _rule(ctx)}["BLR"]

    base = annual_rows({2012: 1000, 2013: 1000}, pub_month="02-01")
    for published, b in (("2015-02-28", True), ("2015-02-27", None)):  # 15 months
        r = one(base + [row("p14", "BLR", "BLR", "KAZ", "turnover", "2014-01", "2014-12", 800e6, yoy=-20.0,
                            source_kind="national_statistics", published_on=published)])
        assert r["rating"] == ("true" if b else "mostly_true")
        assert r["statistic"]["trend"]["note"].startswith("3 annual value(s)")
        assert r["statistic"]["known_breaks"] == [] and r["statistic"]["trend"]["level"] == 0.95
        assert [e["dimension"] for e in r["robustness"]] == ["sources", "deflation"]
    approx = q1(+5.0, qualifier="approx")
    approx["yoy_qualifier"] = "approx"
    r = one(annual_rows({**FLAT, 2015: 700}) + [approx])  # exact only by default
    assert (r["statistic"]["latest_comparable_period"], r["rating"]) == ("Jan-Dec 2015", "true")
    zig = {y: 100 * 1.2 ** (y - 2000) * (1 + 0.2 * (-1) ** y) for y in range(2000, 2016)}
    r = one(annual_rows(zig))
    assert r["statistic"]["trend"]["level"] == 0.95 and r["rating"] == "mostly_true"


def test_printed_fall_alone_makes_the_claim_sentence_without_a_peak_year():
    rows = [row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-25.0,
                source_kind="official_release", published_on="2016-02-10")]
    res = {x["reporter"]: x for x in _rule(make_ctx(build(frame(rows))))}
    assert res["BLR"]["rating"] == "cannot_be_checked"
    a = res["all"]
    assert (a["rating"], a["strength"]) == ("true", "weak")
    assert a["sentence"] == ("As of 31 May 2016: true — Belarus's figures are not available for this pair, so this rests "
                             "on Kazakhstan's: turnover fell at least 25% in 2015 on Kazakhstan's figures, the latest "
                             "full year then published; no later period showed a rise.")
    assert a["not_checked"][0] == "Belarus: cannot be checked"


def test_printed_falls_of_two_sources_the_first_by_source_name_is_read():
    rows = [row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-25.0,
                source_kind="official_release", published_on="2016-02-10"),
            row("d15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-12.0,
                source_kind="imf_dots", published_on="2016-02-10")]
    r = {x["reporter"]: x for x in _rule(make_ctx(build(frame(rows))))}["KAZ"]
    assert (r["statistic"]["printed_yoy_pct"], r["rating"]) == (-12.0, "true")


def test_figures_of_an_unstated_reporter_are_weak_and_flagged():
    rows = annual_rows({**FLAT, 2015: 700}, reporter="unknown", prefix="u") + [
        row("uq1", "unknown", "BLR", "KAZ", "turnover", "2016-01", "2016-03", 130e6, yoy=-8.0,
            source_kind="national_statistics", published_on="2016-04-20")]
    res = {x["reporter"]: x for x in _rule(make_ctx(build(frame(rows))))}
    u = res["unknown"]
    assert (u["rating"], u["strength"]) == ("true", "weak")
    assert u["basis"] == ("figures whose reporter is not stated (national statistics); may mix Belarus's and "
                          "Kazakhstan's statistics")
    assert u["sentence"].startswith("As of 31 May 2016: true — on figures whose reporter is not stated "
                                    "(national statistics) turnover fell 30% in 2015 against the 2012 peak")
    a = res["all"]
    assert (a["rating"], a["strength"]) == ("true", "weak") and a["basis"].startswith("FLAGGED: only figures whose")
    # no named reporter rated: the claim's sentence is the unstated reporter's own
    assert a["sentence"] == u["sentence"] and a["source_row_ids"] == u["source_row_ids"]


def test_total_trade_only_for_other_years_adds_nothing():
    extra = [row(f"w{f}", "BLR", "BLR", "WLD", f, "2013-01", "2013-12", 1e9, source_kind="national_statistics",
                 published_on="2014-03-01") for f in ("export", "import")]
    r = blr({**FLAT, 2015: 700}, [q1(-8.0)] + extra)["BLR"]
    assert "versus_total" not in r["statistic"] and "total trade" not in r["sentence"]
    assert "wexport" not in r["source_row_ids"]


def test_total_trade_of_the_source_of_the_latest_year_is_preferred():
    # the primary series is IMF DOTS up to 2013, then national statistics: the total of 2015 from national statistics
    vals = {2012: 1000, 2013: 1000, 2014: 1000, 2015: 700}
    rows = (annual_rows({y: v for y, v in vals.items() if y <= 2013}, source="imf_dots", prefix="d")
            + annual_rows({y: v for y, v in vals.items() if y >= 2014}, prefix="n") + [q1(-8.0)])
    for src, total in (("national_statistics", 50000), ("imf_dots", 40000)):
        for y, scale in ((2014, 1.0), (2015, 1.0)):
            for f, share in (("export", 0.5), ("import", 0.5)):
                rows.append(row(f"t{src[:3]}{y}{f[0]}", "BLR", "BLR", "WLD", f, f"{y}-01", f"{y}-12",
                                total * share * 1e6 * (0.8 if y == 2015 else 1.0) * scale, source_kind=src,
                                published_on=f"{y + 1}-03-01"))
    p = build(frame(rows))
    p = p.assign(primary=p["row_id"].str.match(r"^(d|n)\d{4}$"))
    res = {x["reporter"]: x for x in _rule(make_ctx(p))}["BLR"]
    assert res["basis"] == "Belarus's figures (IMF DOTS then national statistics)"
    vt = res["statistic"]["versus_total"]
    assert vt["source_kind"] == "national_statistics" and vt["total_latest_musd"] == pytest.approx(40000)
    assert vt["bilateral_share_latest_pct"] == pytest.approx(100 * 700 / 40000)
    assert vt["total_change_latest_year_pct"] == pytest.approx(-20.0)


def test_claim_sentence_of_two_reporters_with_different_years_and_a_rise():
    kaz = [row(f"k{y}", "KAZ", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", v * 1e6, source_kind="national_statistics",
               published_on=f"{y + 1}-02-15") for y, v in {2012: 1000, 2013: 900, 2014: 800}.items()]
    res = blr({**FLAT, 2015: 700}, [q1(+5.0)] + kaz)
    assert (res["BLR"]["rating"], res["KAZ"]["rating"]) == ("half_true", "mostly_true")
    # Kazakhstan's 2014 change was public on 15 Feb 2015, more than 15 months before the statement
    assert res["KAZ"]["statistic"]["rating_key"] == "decline_no_latest" and res["KAZ"]["window"] == [2012, 2014]
    a = res["all"]
    assert a["rating"] == "half_true"  # mean of 3 and 4 is 3.5: a half goes towards Half true
    assert a["sentence"] == (
        "As of 31 May 2016: half true — turnover fell 30% in 2015 on Belarus's figures and fell 20% in 2014 on "
        "Kazakhstan's figures (against the 2012 peak), the latest full year then published; but Jan-Mar 2016 was 5% "
        "above a year earlier on Belarus's figures; no exact later period on Kazakhstan's figures.")
    assert a["robustness"][0] == {"dimension": "reporters", "agrees": False,
                                  "detail": f"Belarus Half true ({res['BLR']['strength']}), "
                                            f"Kazakhstan Mostly true ({res['KAZ']['strength']})"}
    assert a["n_obs"] == res["BLR"]["n_obs"] + res["KAZ"]["n_obs"] == 4 + 3
    assert a["p_value"] is None and a["window"] == [2012, 2015]


def test_claim_sentence_of_a_rise_and_a_fall_in_the_same_year():
    kaz = [row(f"k{y}", "KAZ", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", v * 1e6, source_kind="national_statistics",
               published_on=f"{y + 1}-02-15") for y, v in {2013: 1000, 2014: 1000, 2015: 1200}.items()]
    res = blr({**FLAT, 2015: 700}, [q1(-5.0)] + kaz)
    assert (res["BLR"]["rating"], res["KAZ"]["rating"]) == ("true", "false")
    assert res["all"]["sentence"] == (
        "As of 31 May 2016: half true — turnover fell 30% in 2015 on Belarus's figures and rose 20% on Kazakhstan's "
        "figures, the latest full year then published; but Jan-Dec 2015 was 20% above a year earlier on Kazakhstan's "
        "figures; Jan-Mar 2016 was 5% below a year earlier on Belarus's figures.")


def test_two_reporters_without_a_recent_period_are_named_together():
    kaz = [row(f"k{y}", "KAZ", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", v * 1e6, source_kind="national_statistics",
               published_on=f"{y + 1}-02-15") for y, v in {**FLAT, 2015: 600}.items()]
    a = blr({**FLAT, 2015: 700}, kaz, recency_months=2)["all"]
    assert a["rating"] == "mostly_true"
    assert a["sentence"] == ("As of 31 May 2016: mostly true — turnover fell 30% in 2015 on Belarus's figures and 40% on "
                             "Kazakhstan's (against the 2012 peak), the latest full year then published; no exact later "
                             "period on Belarus's figures or Kazakhstan's figures.")


def test_years_only_after_the_statement_cannot_check_it_but_count():
    r = blr({2017: 1000, 2018: 900, 2019: 800}, as_of="2026-11-30", vintage="today")["BLR"]
    assert (r["rating"], r["n_obs"], r["window"]) == ("cannot_be_checked", 3, [2012, 2016])
    assert "latest_year" not in r["statistic"] and r["statistic"]["trend_used"] == "smoothed"


def test_a_known_break_without_reporters_applies_to_every_reporter():
    r = blr(BLR | {2016: 700}, known_breaks=[{"year": 2013}])["BLR"]
    kb = r["statistic"]["known_breaks"]
    assert len(kb) == 1 and kb[0]["year"] == 2013 and kb[0]["why"] == ""
    want = _shift({y: v for y, v in BLR.items() if y <= 2015}, 2013)
    assert (kb[0]["n"], kb[0]["n_before"], kb[0]["n_after"]) == (8, 5, 3)
    assert kb[0]["shift_pct"] == pytest.approx(want["shift_pct"], rel=1e-6)
    assert kb[0]["p_value"] == pytest.approx(want["p_value"], rel=1e-6)


def test_rounded_months_are_left_out_of_the_monthly_statistics():
    from _model_synth import monthly_flows

    rows = monthly_flows(_monthly_values(31), start="2013-01", source_kind="imf_imts")
    for r_ in rows[:12]:  # the first six months rounded (both flows)
        r_["value_qualifier"] = "approx"
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    m = res["BLR"]["statistic"]["monthly"]
    assert (m["n_months"], m["first"], m["last"]) == (25, "2013-07-31", "2015-07-31")
    rows[12]["value_qualifier"] = "approx"  # one more: 24 exact months are too few
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    assert "monthly" not in res["BLR"]["statistic"]


def test_no_rolling_change_without_a_complete_year_twelve_months_back():
    from _model_synth import monthly_flows

    v = _monthly_values(27)
    v[3] = np.nan  # April 2014 missing: the 12 months to Mar 2015 are incomplete
    rows = monthly_flows(v, start="2014-01", source_kind="imf_imts")
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    m = res["BLR"]["statistic"]["monthly"]
    assert m["n_months"] == 26 and "rolling_12m_yoy_pct" not in m and "rolling_12m_latest_musd" not in m
    v[3] = v[2]  # complete again: both figures
    rows = monthly_flows(v, start="2014-01", source_kind="imf_imts")
    res = {r["reporter"]: r for r in _rule(make_ctx(build(frame(rows)), "2026-11-30", "today"))}
    m = res["BLR"]["statistic"]["monthly"]
    assert m["rolling_12m_yoy_pct"] == pytest.approx(100 * (v[15:27].sum() / v[3:15].sum() - 1))


def test_periods_ending_on_the_statement_date_count():
    import datetime as dt

    claim, cf = with_params()
    cf = cf.model_copy(update={"article": cf.article.model_copy(update={"date": dt.date(2015, 12, 31)})})
    rows = annual_rows({**FLAT, 2015: 700}) + [
        row("q4", "BLR", "BLR", "KAZ", "turnover", "2015-10", "2015-12", 160e6, yoy=-6.0, source_kind="national_statistics",
            published_on="2016-02-10")]
    ctx = Context(panel=build(frame(rows)), claims=cf, claim=claim, vintage="as_of_article",
                  as_of=pd.Timestamp("2016-05-31"), facts=pd.DataFrame(), lags=LAGS)
    assert ctx.anchor == pd.Timestamp("2015-12-31")
    r = {x["reporter"]: x for x in _rule(ctx)}["BLR"]
    st = r["statistic"]
    assert (st["latest_year"], st["change_vs_reference_pct"], r["rating"]) == (2015, pytest.approx(-30.0), "true")
    # the full year and Oct-Dec both end on 31 Dec 2015: the longer span (the year) decides
    assert (st["latest_comparable_period"], st["latest_comparable_yoy_pct"]) == ("Jan-Dec 2015", pytest.approx(-30.0))
    assert st["trend_used"] == "smoothed"  # data known after the statement date
    assert "the last full year before the statement" in r["sentence"]


# ---- robustness windows reuse the main assessment's data and trend fit -----------------------------

def _comparable(res: dict) -> dict:
    """An assessment as plain data, the reused series aside (compared separately)."""
    return jsonable({k: v for k, v in res.items() if k != "data"})


def _windows_reuse_matches_a_fresh_assessment(ctx: Context, reporter: str, starts, monkeypatch) -> int:
    """Each window start assessed with ``same_data`` equals the same start assessed afresh; the
    trend is asked for again only where the latest year differs from the main assessment's.
    Returns how many times it was asked for."""
    main = decline.assess(ctx, reporter)
    calls, other_year = [], 0
    real = structural.local_linear_trend
    for start in starts:
        with monkeypatch.context() as m:
            m.setattr(structural, "local_linear_trend", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
            reused = decline.assess(ctx, reporter, window_start=start, full=False, same_data=main)
        with monkeypatch.context() as m:
            m.setattr(structural, "_FITS", {})  # fitted afresh, not from the memo
            fresh = decline.assess(ctx, reporter, window_start=start, full=False)
        assert _comparable(reused) == _comparable(fresh), (reporter, start)
        other_year += "trend_at" in fresh and fresh["trend_at"] != main.get("trend_at")
        assert len(reused["data"]) == len(fresh["data"]) == 2
        pd.testing.assert_frame_equal(reused["data"][0], fresh["data"][0])
        pd.testing.assert_series_equal(reused["data"][1], fresh["data"][1])
    assert len(calls) == other_year
    return len(calls)


def test_window_variants_reuse_the_series_and_trend_fit_with_identical_results(monkeypatch):
    r = {2008: 500, 2009: 400, 2010: 600, 2011: 800, 2012: 1000, 2013: 640, 2014: 650, 2015: 600}
    ctx = make_ctx(build(frame(annual_rows(r) + [q1(-8.0)])))
    assert _windows_reuse_matches_a_fresh_assessment(ctx, "BLR", [2008, 2010, 2013, 2014, 2015], monkeypatch) == 0
    # a start at the latest year leaves no reference: a printed annual fall then proves the decline and
    # sets the latest year from the printed figure; whichever year it is, the result is the fresh one
    printed = row("p15", "BLR", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-30.0,
                  source_kind="national_statistics", published_on="2016-02-01")
    ctx = make_ctx(build(frame(annual_rows({y: v for y, v in r.items() if y < 2015}) + [printed, q1(-8.0)])))
    assert _windows_reuse_matches_a_fresh_assessment(ctx, "BLR", [2009, 2014, 2016], monkeypatch) == 0
    # the fit is reused only for the year it was made at: handed a fit of another year, it fits again
    ctx = make_ctx(build(frame(annual_rows(r) + [q1(-8.0)])))
    main = decline.assess(ctx, "BLR")
    assert main["trend_at"] == 2015
    other = {**main, "trend_at": 2014, "trend": {"not": "this fit"}}
    got = decline.assess(ctx, "BLR", window_start=2010, full=False, same_data=other)
    assert got["trend"] == decline.assess(ctx, "BLR", window_start=2010, full=False)["trend"] == main["trend"]
    given = {**main["trend"], "marker": "the fit handed over"}
    assert decline.assess(ctx, "BLR", window_start=2010, full=False, same_data={**main, "trend": given})[
        "trend"] is given  # the same year: taken as given


def test_window_variants_on_the_bundled_data_match_fresh_assessments(bundled_panel, monkeypatch):
    from turnover.model.series import object_text

    claims = load_claims(today=pd.Timestamp("2026-11-30").date())
    claim = claims.claim("declining-turnover")
    starts = sorted({a for a, _ in claim.rule.params["sensitivity_windows"]})
    panel = object_text(bundled_panel)
    for vintage in claim.vintages:
        ctx = Context(panel=panel, claims=claims, claim=claim, vintage=vintage,
                      as_of=pd.Timestamp(claims.vintages[vintage]), facts=pd.DataFrame(),
                      lags=dict(claim.rule.params.get("publication_lag_days") or LAGS))
        for reporter in ctx.reporters:
            _windows_reuse_matches_a_fresh_assessment(ctx, reporter, starts, monkeypatch)
