"""evaluate(): the contract with refresh, verdicts on the bundled figures, and invariants."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from turnover.claims import ClaimsFile
from turnover.model import evaluate
from turnover.model import rating as rating_mod
from turnover.model.result import DIMENSIONS

from _model_synth import build, frame, monthly_flows, row, seasonal_pattern

KEYS = {"claim_id", "vintage", "as_of", "reporter", "rule", "window", "statistic", "p_value", "n_obs",
        "data_used", "source_row_ids", "robustness", "rating", "rating_label", "rating_value", "sentence",
        "finding", "numbers", "strength", "basis", "not_checked"}
LEGACY = {"verdict", "summary", "_res"}  # the legacy twins of rating and sentence, and the smuggled model state


@pytest.fixture(scope="module")
def bundled_results(bundled_panel, claims):
    return evaluate(bundled_panel, claims)


def _get(results, claim, vintage, reporter):
    hits = [r for r in results if (r["claim_id"], r["vintage"], r["reporter"]) == (claim, vintage, reporter)]
    assert len(hits) == 1, (claim, vintage, reporter)
    return hits[0]


def _only(claims: ClaimsFile, claim_id: str) -> ClaimsFile:
    return claims.model_copy(update={"claims": [claims.claim(claim_id)]})


def test_every_result_has_the_contract_keys_and_is_json(bundled_results, claims, bundled_panel):
    assert json.loads(json.dumps(bundled_results)) == bundled_results
    ids = set(bundled_panel["row_id"])
    for r in bundled_results:
        assert set(r) == KEYS and not LEGACY & set(r)
        assert r["rating"] in rating_mod.RATINGS and r["rating_label"] == rating_mod.LABELS[r["rating"]]
        assert r["rating_value"] == rating_mod.VALUES.get(r["rating"])
        assert r["strength"] in rating_mod.STRENGTHS and isinstance(r["not_checked"], list)
        assert r["reporter"] in {"BLR", "KAZ", "unknown", "all"}
        for e in r["robustness"]:
            assert set(e) == {"dimension", "agrees", "detail"} and e["dimension"] in DIMENSIONS
            assert e["agrees"] in (True, False, None)
        assert r["sentence"].startswith(("As of ", "With data known today")) and r["sentence"].count(" — ") == 1
        assert r["sentence"].split(": ", 1)[1].startswith(r["rating_label"].lower())
        assert len(r["window"]) == 2
        assert all(i in ids or i.startswith("fact:") for i in r["source_row_ids"])
    for c in claims.claims:
        for v in c.vintages:
            _get(bundled_results, c.id, v, "all")


def test_declining_turnover_has_both_reporters_at_both_vintages(bundled_results, claims, bundled_panel):
    for v in ("as_of_article", "today"):
        for rep in ("BLR", "KAZ"):
            r = _get(bundled_results, "declining-turnover", v, rep)
            used = bundled_panel.set_index("row_id").loc[r["source_row_ids"]]
            assert set(used["reporter"]) <= {rep}  # reporters are never mixed
            if v == "as_of_article":
                assert (used["published_on"] <= pd.Timestamp("2016-05-31")).all()


def test_claim_rating_never_rests_on_unstated_figures_when_named_ones_are_rated(bundled_results, claims):
    for c in claims.claims:
        for v in c.vintages:
            top = _get(bundled_results, c.id, v, "all")
            named = [r for r in bundled_results if (r["claim_id"], r["vintage"]) == (c.id, v)
                     and r["reporter"] in claims.pair and r["rating_value"] is not None]
            if named:
                assert not top["basis"].startswith("FLAGGED")
            elif top["rating_value"] is not None and c.rule.kind in ("declining_trend", "recovery"):
                assert top["basis"].startswith("FLAGGED") and top["strength"] == "weak"


def test_programme_claim_is_not_yet_testable_before_the_programme(bundled_results):
    for rep in ("BLR", "KAZ", "unknown", "all"):
        r = _get(bundled_results, "programme-recovery", "as_of_article", rep)
        assert r["rating"] == "not_yet_testable" and r["rating_value"] is None


def test_devaluations_are_losses_of_value_against_the_usd(bundled_results):
    for v in ("as_of_article", "today"):
        for c in ("BLR", "KAZ"):
            r = _get(bundled_results, "difficult-markets", v, c)
            assert r["statistic"]["definition"] == "loss of value against the USD"
            for e in r["statistic"]["events"]:  # a rise of the rate by r% is a loss of value of r/(1+r)
                if e["printed_definition"] == "rate_rise":
                    assert e["loss_pct"] == pytest.approx(100 * (1 - 1 / (1 + e["as_printed_pct"] / 100)))
            assert r["rating"] == "true" and r["statistic"]["max_loss_pct"] >= 20


def _synthetic_panel(values: np.ndarray, start: str = "2010-01") -> pd.DataFrame:
    return build(frame(monthly_flows(values, start=start, reporter="BLR"))
                 )


slow = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@slow
@given(level=st.floats(5e7, 5e8), decline=st.floats(0.1, 0.2), season=st.lists(st.floats(-0.3, 0.3), min_size=12, max_size=12))
def test_planted_monthly_decline_is_true(claims, level, decline, season):
    years = 7  # 2010-2016
    t = np.arange(12 * years) / 12
    y = level * (1 - decline * t / years * 3) * (1 + 0.5 * np.tile(seasonal_pattern(season), years))
    res = evaluate(_synthetic_panel(y), _only(claims, "declining-turnover"))
    blr = _get(res, "declining-turnover", "as_of_article", "BLR")
    assert blr["rating"] == "true"
    assert blr["statistic"]["latest_year"] == 2015 and blr["statistic"]["change_vs_reference_pct"] <= -10
    # the latest comparable period known on 31 May 2016: Jan-Mar 2016 summed from months
    assert blr["statistic"]["latest_comparable_period"] == "Jan-Mar 2016"
    assert blr["statistic"]["latest_comparable_yoy_pct"] < 0
    assert blr["statistic"]["monthly"]["decomposition"] == "stl"  # STL and seasonal MK where months exist
    assert "rolling_12m_yoy_pct" in blr["statistic"]["monthly"]
    assert _get(res, "declining-turnover", "as_of_article", "all")["rating"] == "true"


@slow
@given(level=st.floats(5e7, 5e8), season=st.lists(st.floats(-0.3, 0.3), min_size=12, max_size=12))
def test_flat_seasonal_monthly_series_is_not_called_declining(claims, level, season):
    y = level * (1 + 0.5 * np.tile(seasonal_pattern(season), 7))
    res = evaluate(_synthetic_panel(y), _only(claims, "declining-turnover"))
    assert _get(res, "declining-turnover", "today", "BLR")["rating"] == "false"


@st.composite
def unrelated_rows(draw):
    rows = []
    for i in range(draw(st.integers(1, 8))):
        a, b = sorted(draw(st.lists(st.sampled_from(["ARM", "GEO", "UZB", "CHN", "DEU"]), min_size=2, max_size=2, unique=True)))
        year = draw(st.integers(2008, 2024))
        rep = draw(st.sampled_from(["BLR", "KAZ", "unknown"]))
        rows.append(row(f"unrel{i}", rep, a, b, draw(st.sampled_from(["turnover", "export", "import"])),
                        f"{year}-01", f"{year}-12", draw(st.floats(1e6, 1e10)),
                        published_on=draw(st.sampled_from([None, f"{year + 1}-03-01"]))))
    return rows


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=unrelated_rows())
def test_unrelated_rows_never_change_a_verdict(bundled_panel, claims, bundled_results, extra):
    res = evaluate(build(bundled_panel, frame(extra)), claims)
    assert [(r["claim_id"], r["vintage"], r["reporter"], r["rating"], r["statistic"]) for r in res] == \
           [(r["claim_id"], r["vintage"], r["reporter"], r["rating"], r["statistic"]) for r in bundled_results]


def test_third_partner_rows_do_not_move_the_turnover_verdicts(bundled_panel, claims, bundled_results):
    extra = [row(f"rus{y}{f}", "BLR", "BLR", "RUS", f, f"{y}-01", f"{y}-12", 1e10 * (1 + y % 3))
             for y in range(2010, 2020) for f in ("export", "import")]
    sub = _only(claims, "declining-turnover")
    res = evaluate(build(bundled_panel, frame(extra)), sub)
    assert res == [r for r in bundled_results if r["claim_id"] == "declining-turnover"]


def test_sensitivity_windows_come_from_the_claims_file_and_deflation_can_flip_the_rating(claims):
    years = 7
    y = 100e6 * (1 - 0.05 * np.arange(12 * years) / 12)  # nominal: -5 $ mn a year, no noise
    sub = _only(claims, "declining-turnover")
    nominal = _get(evaluate(_synthetic_panel(y), sub), "declining-turnover", "today", "BLR")
    dims = {e["dimension"]: e for e in nominal["robustness"]}
    starts = {a for a, _ in claims.claim("declining-turnover").rule.params["sensitivity_windows"]} - {2012}
    assert all(f"from {a}:" in dims["windows"]["detail"] for a in starts)
    assert dims["deflation"]["agrees"] is None and dims["deflation"]["detail"].startswith("untested")
    assert nominal["rating"] == "true"
    falling_prices = pd.Series({yr: 100 * 0.8 ** (yr - 2010) for yr in range(2008, 2018)})  # 20% deflation a year
    real = _get(evaluate(_synthetic_panel(y), sub, deflator=falling_prices), "declining-turnover", "today", "BLR")
    assert real["rating"] == "true"  # the rating stays nominal...
    d = {e["dimension"]: e for e in real["robustness"]}["deflation"]
    assert d["agrees"] is False and "deflated False" in d["detail"]  # ...and says it flips in real terms


def test_monthly_gaps_too_large_to_fill_leave_the_complete_years(claims):
    y = 100e6 * (1 - 0.05 * np.arange(84) / 12)
    y[50:58] = np.nan  # eight missing months in 2014
    res = _get(evaluate(_synthetic_panel(y), _only(claims, "declining-turnover")), "declining-turnover", "today", "BLR")
    assert res["statistic"]["monthly"]["note"].startswith("monthly series refused")
    assert res["statistic"]["reference_years"] == [2012, 2013]  # 2014 is incomplete: no annual value
    assert res["rating"] == "true"


def test_the_pair_comes_from_the_claims_file(bundled_panel, claims):
    other = _only(claims, "declining-turnover").model_copy(update={"pair": ("ARM", "KAZ")})
    res = evaluate(bundled_panel, other)
    assert {r["reporter"] for r in res} == {"ARM", "KAZ", "unknown", "all"}
    assert all(r["rating"] == "cannot_be_checked" and r["source_row_ids"] == [] for r in res)  # no ARM-KAZ rows


def test_recovery_reads_calendar_years_summed_from_monthly_data(claims):
    # 2013 high, 2016 trough, 2018-2020 back above 2013: monthly rows only
    level = {2013: 80e6, 2014: 70e6, 2015: 50e6, 2016: 30e6, 2017: 50e6, 2018: 60e6, 2019: 85e6, 2020: 90e6}
    y = np.concatenate([np.full(12, level[yr]) for yr in range(2013, 2021)])
    res = evaluate(_synthetic_panel(y, start="2013-01"), _only(claims, "programme-recovery"))
    blr = _get(res, "programme-recovery", "today", "BLR")
    assert blr["rating"] == "true"
    assert blr["statistic"]["trough_musd"] == pytest.approx(360) and blr["statistic"]["reference_musd"] == pytest.approx(960)
    assert blr["statistic"]["latest_year"] == 2020 and blr["statistic"]["latest_musd"] == pytest.approx(1080)
    assert blr["statistic"]["pre_pandemic_year"] == 2019
    assert _get(res, "programme-recovery", "as_of_article", "BLR")["rating"] == "not_yet_testable"
