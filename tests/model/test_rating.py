"""Ratings on synthetic panels with known answers: the rating scale, the combination rule, the
declining-turnover rule read as the sentence means it, reporters, bounds, recovery, mirror."""

from __future__ import annotations

import re

import numpy as np
import pytest

from turnover.model import evaluate
from turnover.model import rating as rating_mod

from _model_synth import build, frame, row


def _only(claims, claim_id):
    return claims.model_copy(update={"claims": [claims.claim(claim_id)]})


def _get(results, claim, vintage, reporter):
    hits = [r for r in results if (r["claim_id"], r["vintage"], r["reporter"]) == (claim, vintage, reporter)]
    assert len(hits) == 1, (claim, vintage, reporter)
    return hits[0]


def annual(reporter: str, values: dict[int, float], *, prefix: str = "a", source_kind: str = "imf_imts",
           published: str = "{next}-03-01", share_export: float = 0.9, qualifier: str = "exact") -> list[dict]:
    """Export and import rows per year (USD millions in ``values``) for one reporter of the pair."""
    partner = "KAZ" if reporter == "BLR" else "BLR"
    rows = []
    for y, v in values.items():
        pub = published.format(next=y + 1, year=y)
        for flow, share in (("export", share_export), ("import", 1 - share_export)):
            rows.append(row(f"{prefix}:{reporter}:{flow}:{y}", reporter, reporter, partner, flow, f"{y}-01", f"{y}-12",
                            v * share * 1e6, source_kind=source_kind, published_on=pub, qualifier=qualifier,
                            valuation="FOB" if flow == "export" else "CIF"))
    return rows


def turnover_row(row_id: str, reporter: str, start: str, end: str, value_musd: float | None, *, yoy=None,
                 published: str, qualifier: str = "exact") -> dict:
    return row(row_id, reporter, "BLR", "KAZ", "turnover", start, end,
               None if value_musd is None else value_musd * 1e6, source_kind="official_release", yoy=yoy,
               published_on=published, qualifier=qualifier)


GROWTH = {y: 300 * 1.08 ** (y - 2000) for y in range(2000, 2015)}  # 8% a year to 2014


def _decline(claims, *rows_lists):
    return evaluate(build(frame([r for rows in rows_lists for r in rows])), _only(claims, "declining-turnover"))


# ------------------------------------------------------------------ the scale and combination

def test_combination_rule_mean_rounds_halves_towards_half_true():
    c = rating_mod.combine_ratings
    assert c(["true", "false"]) == "half_true"
    assert c(["true", "mostly_true"]) == "mostly_true"
    assert c(["mostly_false", "false"]) == "mostly_false"
    assert c(["true", "true"]) == "true"
    assert c(["true", "cannot_be_checked"]) == "true"
    assert c(["cannot_be_checked", "cannot_be_checked"]) == "cannot_be_checked"
    assert c(["not_yet_testable", "not_yet_testable"]) == "not_yet_testable"
    assert c(["true", "false"], "min") == "false"
    assert [rating_mod.value(r) for r in rating_mod.RATINGS] == [5, 4, 3, 2, 1, None, None]


# ------------------------------------------------------------------ declining turnover

def test_planted_drop_in_the_latest_year_is_true_and_the_sentence_quotes_it(claims):
    blr = {**GROWTH, 2015: GROWTH[2014] * 0.6}
    kaz = {**GROWTH, 2015: GROWTH[2014] * 0.65}
    res = _decline(claims, annual("BLR", blr), annual("KAZ", kaz))
    for rep, pct in (("BLR", "40%"), ("KAZ", "35%")):
        r = _get(res, "declining-turnover", "as_of_article", rep)
        assert r["rating"] == "true" and r["rating_value"] == 5
        assert r["statistic"]["latest_year"] == 2015 and r["statistic"]["reference_year"] == 2014
        assert r["statistic"]["change_vs_reference_pct"] == pytest.approx(-float(pct[:-1]), abs=0.01)
        assert pct in r["sentence"] and r["n_obs"] >= 15
        assert r["statistic"]["trend"]["filtered_slope_pct"] is not None  # the structural model ran
    top = _get(res, "declining-turnover", "as_of_article", "all")
    assert top["rating"] == "true"
    assert top["sentence"].startswith("As of 31 May 2016: true — turnover fell 40% in 2015 on Belarus's figures "
                                      "and 35% on Kazakhstan's")
    assert "no later period showed a rise" in top["sentence"]
    dims = {e["dimension"]: e for e in top["robustness"]}
    assert dims["reporters"]["agrees"] is True and set(dims) >= {"reporters", "windows", "deflation"}
    assert dims["deflation"]["agrees"] is None  # no deflator bundled: said, not guessed


def test_planted_drop_with_a_later_partial_recovery_is_half_true(claims):
    blr = {**GROWTH, 2015: GROWTH[2014] * 0.6}
    # Jan-Mar 2016 up 12% on Jan-Mar 2015, published in April 2016: the fall had started to reverse
    q = [turnover_row("q15", "BLR", "2015-01", "2015-03", 100, published="2015-04-20"),
         turnover_row("q16", "BLR", "2016-01", "2016-03", 112, published="2016-04-20")]
    res = _decline(claims, annual("BLR", blr), q)
    r = _get(res, "declining-turnover", "as_of_article", "BLR")
    assert r["statistic"]["rating_key"] == "decline_only" and r["rating"] == "half_true"
    assert r["statistic"]["latest_comparable_period"] == "Jan-Mar 2016"
    assert r["statistic"]["latest_comparable_yoy_pct"] == pytest.approx(12)
    assert "Jan-Mar 2016 was 12% above a year earlier" in r["sentence"]


def test_flat_noisy_series_is_not_declining(claims):
    rng = np.random.default_rng(7)
    flat = {y: 500 * (1 + rng.normal(0, 0.02)) for y in range(2000, 2016)}
    res = _decline(claims, annual("BLR", flat))
    r = _get(res, "declining-turnover", "as_of_article", "BLR")
    assert r["rating_value"] is not None and r["rating_value"] <= 2
    assert r["statistic"]["change_vs_reference_pct"] > -10


def test_a_decline_only_before_the_window_is_not_a_decline(claims):
    early = {y: 1000 * 0.8 ** (y - 2000) for y in range(2000, 2009)}  # fell to 2008
    later = {y: early[2008] * 1.05 ** (y - 2008) for y in range(2009, 2016)}  # then grew every year
    res = _decline(claims, annual("BLR", {**early, **later}))
    r = _get(res, "declining-turnover", "as_of_article", "BLR")
    assert r["rating"] == "false" and r["statistic"]["rating_key"] == "neither"


def test_disagreeing_reporters_combine_by_the_claims_file_rule(claims):
    assert claims.claim("declining-turnover").rule.params["combine"] == "mean"
    falls = {**GROWTH, 2015: GROWTH[2014] * 0.6}
    rises = {**GROWTH, 2015: GROWTH[2014] * 1.1}
    res = _decline(claims, annual("BLR", falls), annual("KAZ", rises))
    blr = _get(res, "declining-turnover", "as_of_article", "BLR")
    kaz = _get(res, "declining-turnover", "as_of_article", "KAZ")
    top = _get(res, "declining-turnover", "as_of_article", "all")
    assert (blr["rating"], kaz["rating"]) == ("true", "false")
    assert top["rating"] == "half_true" and top["rating_value"] == 3
    dims = {e["dimension"]: e for e in top["robustness"]}
    assert dims["reporters"]["agrees"] is False
    assert "fell 40% in 2015 on Belarus's figures and rose 10%" in top["sentence"]


def test_unstated_reporter_figures_never_head_when_named_figures_exist(claims):
    rises = {**GROWTH, 2015: GROWTH[2014] * 1.1}
    unstated = [row(f"u{y}", "unknown", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", v * 0.5e6,
                    source_kind="official_release", published_on=f"{y + 1}-02-01")
                for y, v in {2012: 900, 2013: 950, 2014: 960, 2015: 500}.items()]
    res = _decline(claims, annual("BLR", rises), unstated)
    assert _get(res, "declining-turnover", "as_of_article", "unknown")["rating"] == "true"
    top = _get(res, "declining-turnover", "as_of_article", "all")
    assert top["rating"] == "false" and "not stated" not in top["sentence"]
    assert not any(i.startswith("u") for i in top["source_row_ids"])
    # only unstated figures: they may rate the claim, flagged and weak, never 'strong'
    alone = _get(_decline(claims, unstated), "declining-turnover", "as_of_article", "all")
    assert alone["rating"] == "true" and alone["strength"] == "weak" and alone["basis"].startswith("FLAGGED")


def test_a_rounded_or_bound_value_never_gives_a_point_percentage(claims):
    blr = dict(GROWTH)
    about = [turnover_row("about15", "BLR", "2015-01", "2015-12", 600, published="2016-02-01", qualifier="approx"),
             turnover_row("atleast15", "BLR", "2015-01", "2015-12", 500, published="2016-02-02", qualifier="at_least")]
    res = _decline(claims, annual("BLR", blr), about)
    r = _get(res, "declining-turnover", "as_of_article", "BLR")
    assert r["statistic"]["latest_year"] == 2014  # "about 600" / "at least 500" for 2015 are not levels
    assert "official:about15" not in r["source_row_ids"] and "about15" not in r["source_row_ids"]
    assert not re.search(r"\b(2015)\b.*%", r["sentence"].split(";")[0])


def test_filtered_slope_as_of_and_smoothed_slope_today(claims):
    blr = {**GROWTH, 2015: GROWTH[2014] * 0.6, 2016: GROWTH[2014] * 0.5, 2017: GROWTH[2014] * 0.45}
    res = _decline(claims, annual("BLR", blr))
    then = _get(res, "declining-turnover", "as_of_article", "BLR")
    now = _get(res, "declining-turnover", "today", "BLR")
    assert then["statistic"]["trend_used"] == "filtered" and now["statistic"]["trend_used"] == "smoothed"
    assert now["statistic"]["latest_year"] == 2015  # the claim speaks of the time of the statement
    t = now["statistic"]["trend"]
    assert t["smoothed_slope_low_pct"] <= t["smoothed_slope_pct"] <= t["smoothed_slope_high_pct"]
    assert then["p_value"] is not None and 0 <= then["p_value"] <= 1
    breaks = {b["year"]: b for b in now["statistic"]["known_breaks"]}
    assert breaks[2015]["shift_pct"] < -20 and breaks[2015]["n_after"] >= 2


# ------------------------------------------------------------------ recovery and mirror

def test_recovery_level_drop_with_partial_recovery_is_graded(claims):
    vals = {2012: 900, 2013: 1000, 2014: 900, 2015: 600, 2016: 400, 2017: 500, 2018: 700, 2019: 700, 2020: 700}
    res = evaluate(build(frame(annual("BLR", vals))), _only(claims, "programme-recovery"))
    r = _get(res, "programme-recovery", "today", "BLR")
    assert r["statistic"]["share_recovered"] == pytest.approx(0.5)
    assert r["statistic"]["trough_year"] == 2016 and r["rating"] == "half_true"
    assert "(50% of the fall made up)" in r["sentence"]
    assert _get(res, "programme-recovery", "as_of_article", "BLR")["rating"] == "not_yet_testable"


def test_recovery_bound_is_shown_as_a_bound(claims):
    vals = {2013: 1000, 2016: 400, 2018: 700, 2019: 800}
    bound = [turnover_row("b23", "BLR", "2023-01", "2023-12", 1000, published="2024-02-01", qualifier="at_least")]
    res = evaluate(build(frame(annual("BLR", vals) + bound)), _only(claims, "programme-recovery"))
    r = _get(res, "programme-recovery", "today", "BLR")
    assert r["statistic"]["latest_year"] == 2019  # the bound is not a level
    assert r["statistic"]["bounds_after_latest"][0]["qualifier"] == "at_least"
    assert "at least USD 1,000 mn in 2023" in r["sentence"]


def test_mirror_asymmetric_band_flags_direction_and_the_data_quality_year(claims):
    rows = []
    for y in range(2009, 2016):
        fob = 100e6
        cif = {2010: 160e6, 2013: 95e6}.get(y, 105e6)  # 2010: recording change; 2013: CIF below FOB
        rows.append(row(f"x{y}", "BLR", "BLR", "KAZ", "export", f"{y}-01", f"{y}-12", fob, valuation="FOB"))
        rows.append(row(f"m{y}", "KAZ", "KAZ", "BLR", "import", f"{y}-01", f"{y}-12", cif, valuation="CIF"))
    c = _only(claims, "mirror-gap")
    c = c.model_copy(update={"claims": [c.claims[0].model_copy(update={"window": c.claims[0].window.model_copy(
        update={"start": 2009, "end": 2015})})]})
    r = _get(evaluate(build(frame(rows)), c), "mirror-gap", "today", "all")
    st = r["statistic"]
    assert st["n_flow_years"] == 6 and st["share_inside_band"] == pytest.approx(5 / 6)
    assert [(f["year"], f["direction"]) for f in st["outside_band"]] == [(2013, "below")]
    assert st["data_quality_flags"][0]["year"] == 2010
    assert r["rating"] == "mostly_true"
