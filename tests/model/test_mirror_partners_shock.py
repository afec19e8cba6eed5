"""Mirror reconciliation, partner ranks and currency shocks on small hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from turnover.claims import ClaimsFile
from turnover.model import evaluate
from turnover.model.deflate import deflate, deflate_yoy
from turnover.model.errors import ModelInputError
from turnover.model.mirror import gap_series, mirror_table
from turnover.model.partners import in_top_n

from _model_synth import build, frame, row


def _only(claims: ClaimsFile, claim_id: str) -> ClaimsFile:
    return claims.model_copy(update={"claims": [claims.claim(claim_id)]})


def _mirror_rows(gaps: dict[int, float]) -> list[dict]:
    rows = []
    for y, g in gaps.items():
        rows += [row(f"bx{y}", "BLR", "BLR", "KAZ", "export", f"{y}-01", f"{y}-12", 100e6, valuation="FOB"),
                 row(f"km{y}", "KAZ", "KAZ", "BLR", "import", f"{y}-01", f"{y}-12", 100e6 * (1 + g / 100), valuation="CIF")]
    return rows


def test_mirror_table_gives_the_gap_per_period_with_valuations():
    t = mirror_table(build(frame(_mirror_rows({2014: 5.0, 2015: -20.0}))))
    assert list(t["comparison"].unique()) == ["BLR exports vs KAZ imports"]
    assert t["gap_pct"].tolist() == pytest.approx([5.0, -20.0])
    assert (t["valuation_basis"] == "CIF vs FOB").all() and t["same_source"].all()
    s = gap_series(t, "BLR exports vs KAZ imports")
    assert s.loc["2015-12-31"] == pytest.approx(-20.0)
    assert set(t.iloc[0]["row_ids"]) == {"bx2014", "km2014"}


@pytest.mark.parametrize("gaps, rating", [({2014: 3.0, 2015: 8.0, 2016: 1.0}, "true"),
                                          ({2014: 3.0, 2015: 8.0, 2016: -2.0}, "half_true"),  # CIF below FOB: outside
                                          ({2014: 30.0, 2015: -25.0}, "false"),
                                          ({2014: 3.0, 2015: 25.0}, "half_true")])
def test_mirror_gap_rule_uses_the_band_and_grades_from_the_claims_file(claims, gaps, rating):
    res = evaluate(build(frame(_mirror_rows(gaps))), _only(claims, "mirror-gap"))
    today = [r for r in res if r["vintage"] == "today"]
    assert len(today) == 1 and today[0]["reporter"] == "all"
    assert today[0]["rating"] == rating
    assert today[0]["statistic"]["band_pct"] == list(claims.claim("mirror-gap").rule.params["band_pct"])


def test_in_top_n_decides_only_what_partial_data_can_decide():
    assert in_top_n(49, {}, 100, 3) is True         # 51% left cannot hold three partners above 49%
    assert in_top_n(23, {}, 100, 3) is None         # three partners of 23%+ could exist
    assert in_top_n(5, {"A": 30, "B": 20, "C": 10}, 100, 3) is False
    assert in_top_n(10, {"A": 50, "B": 35}, 100, 3) is True   # 5% left


def test_partner_rows_in_the_panel_take_precedence_over_facts(claims):
    rows = []
    for c in ("BLR", "KAZ"):
        for p, v in (("RUS", 40e9), ("UKR", 20e9), ("WLD", 70e9)):
            rows += [row(f"{c}{p}x", c, c, p, "export", "2015-01", "2015-12", v / 2),
                     row(f"{c}{p}m", c, c, p, "import", "2015-01", "2015-12", v / 2)]
    res = evaluate(build(frame(rows)), _only(claims, "main-partners"))
    by = {(r["vintage"], r["reporter"]): r for r in res}
    kaz = by[("today", "KAZ")]
    assert kaz["rating"] == "true" and kaz["basis"].startswith("Kazakhstan's figures (IMF IMTS, 2015)")
    assert kaz["statistic"]["ranks"] == {"RUS": 1, "UKR": 2}
    assert not any(i.startswith("fact:") for i in kaz["source_row_ids"])
    assert by[("today", "all")]["rating"] == "true"


def test_partners_are_ranked_among_countries_only_and_graded(claims):
    rows = []
    for p, v in (("RUS", 40e9), ("CHN", 30e9), ("ITA", 25e9), ("UKR", 5e9), ("WLD", 100e9)):
        rows += [row(f"K{p}x", "KAZ", "KAZ", p, "export", "2015-01", "2015-12", v / 2),
                 row(f"K{p}m", "KAZ", "KAZ", p, "import", "2015-01", "2015-12", v / 2)]
    res = evaluate(build(frame(rows)), _only(claims, "main-partners"))
    kaz = [r for r in res if (r["vintage"], r["reporter"]) == ("today", "KAZ")][0]
    assert kaz["statistic"]["ranks"] == {"RUS": 1, "UKR": 4} and kaz["rating"] == "half_true"  # one of two in the top 3
    assert "World" not in kaz["sentence"] and "Ukraine ranked 4th" in kaz["sentence"]


def test_market_shock_reads_only_facts_public_at_the_cut(claims, bundled_panel):
    facts = pd.DataFrame([
        {"fact_id": "f1", "topic": "currency", "date": "2015-08-20", "country": "KAZ", "subject": "KZT", "value": 26.2,
         "unit": "pct_devaluation", "definition": "loss_of_value", "statement": "", "source_url": "https://x.org",
         "source_date": "2015-08-20"},
        {"fact_id": "f2", "topic": "currency", "date": "2015-01-31", "country": "BLR", "subject": "BYR", "value": 12.0,
         "unit": "pct_devaluation", "definition": "loss_of_value", "statement": "", "source_url": "https://x.org",
         "source_date": "2016-07-01"},
    ])
    res = evaluate(bundled_panel, _only(claims, "difficult-markets"), facts=facts)
    by = {(r["vintage"], r["reporter"]): r for r in res}
    assert by[("as_of_article", "KAZ")]["rating"] == "true"
    assert by[("as_of_article", "BLR")]["rating"] == "cannot_be_checked"  # f2 published after the article
    assert by[("as_of_article", "all")]["rating"] == "true" and by[("as_of_article", "all")]["not_checked"]
    assert by[("today", "BLR")]["rating"] == "mostly_false"               # 12% < 20%, >= half of it
    assert by[("today", "all")]["rating"] == "half_true"                  # mean of True and Mostly false


def test_deflation_uses_the_index_and_refuses_missing_years():
    idx = pd.Series({2015: 100.0, 2016: 110.0})
    v = pd.Series([100.0, 110.0], index=pd.to_datetime(["2015-12-31", "2016-12-31"]))
    assert deflate(v, idx).tolist() == pytest.approx([110.0, 110.0])
    assert deflate_yoy(10.0, 2016, idx) == pytest.approx(0.0)
    with pytest.raises(ModelInputError, match="2014"):
        deflate(pd.Series([1.0], index=pd.to_datetime(["2014-12-31"])), idx)


def test_monthly_mirror_data_are_also_matched_as_calendar_years():
    rows = []
    for m in range(1, 13):
        d = f"2015-{m:02d}"
        rows += [row(f"bx{m}", "BLR", "BLR", "KAZ", "export", d, d, 10e6, valuation="FOB"),
                 row(f"km{m}", "KAZ", "KAZ", "BLR", "import", d, d, 10.5e6 if m < 12 else 4.5e6, valuation="CIF")]
    t = mirror_table(build(frame(rows)))
    annual = t[t["frequency"] == "annual"]
    assert len(t[t["frequency"] == "month"]) == 12 and len(annual) == 1
    assert annual.iloc[0]["gap_pct"] == pytest.approx(100 * (11 * 10.5 + 4.5 - 120) / 120)
    assert len(annual.iloc[0]["row_ids"]) == 24
