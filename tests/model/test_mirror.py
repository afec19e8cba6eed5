"""Rule ``mirror_gap`` on hand-made flows: the whole record worked out by hand.

Each year the exporter reports USD 100 mn (FOB) and the importer 100 + g mn (CIF), so the gap is
exactly g%. Belarus's exports vs Kazakhstan's imports: 2013 +5, 2014 +12 (above the 0-10 band),
2015 -3 (below), 2016 +10 (the band's top: inside). Kazakhstan's exports vs Belarus's imports:
2013 0 (the band's bottom: inside), 2014 +2, 2015 +8, 2016 -25 (below, the largest). Five of
eight flow-years inside: 0.625 -> Half true. Outside the window: 2012 (+50 both ways) and 2017
(+1 both ways). Turnover vs turnover: (200 + g1) against (200 + g2): 100 * (g1 - g2) / (200 + g2).
"""

from __future__ import annotations

import pandas as pd
import pytest

from turnover.model import evaluate
from turnover.model.mirror import classify, mirror_table

from _claims_with import HEAD_TODAY, NO_FACTS, by_reporter, claims_with
from _model_synth import build, frame, row

MN = 1e6
G1 = {2012: 50, 2013: 5, 2014: 12, 2015: -3, 2016: 10, 2017: 1}   # KAZ imports over BLR exports
G2 = {2012: 50, 2013: 0, 2014: 2, 2015: 8, 2016: -25, 2017: 1}    # BLR imports over KAZ exports
RULE = {"kind": "mirror_gap"}
F1, F2 = "BLR exports vs KAZ imports", "KAZ exports vs BLR imports"
NOTE = "recording change (claims file data_quality_years): a data-quality issue, not a trade fact"


def _rows() -> list[dict]:
    rows = []
    for y in G1:
        d0, d1 = f"{y}-01", f"{y}-12"
        rows += [row(f"bx{y}", "BLR", "BLR", "KAZ", "export", d0, d1, 100 * MN, valuation="FOB"),
                 row(f"km{y}", "KAZ", "KAZ", "BLR", "import", d0, d1, (100 + G1[y]) * MN, valuation="CIF"),
                 row(f"kx{y}", "KAZ", "KAZ", "BLR", "export", d0, d1, 100 * MN, valuation="FOB"),
                 row(f"bm{y}", "BLR", "BLR", "KAZ", "import", d0, d1, (100 + G2[y]) * MN, valuation="CIF")]
    # another source's import figure (not the same source as the export: never preferred)
    rows.append(row("km2013c", "KAZ", "KAZ", "BLR", "import", "2013-01", "2013-12", 150 * MN, source_kind="un_comtrade"))
    # one month on both sides: a monthly pair is never a flow-year
    rows += [row("bx1503", "BLR", "BLR", "KAZ", "export", "2015-03", "2015-03", 10 * MN, valuation="FOB"),
             row("km1503", "KAZ", "KAZ", "BLR", "import", "2015-03", "2015-03", 30 * MN, valuation="CIF")]
    return rows


def _run(window=(2013, 2016), **params):
    return evaluate(build(frame(_rows())), claims_with({**RULE, **params}, window=window, metric="mirror_gap"),
                    facts=NO_FACTS)


def _flag(flow, year, gap, direction):
    return {"flow": flow, "year": year, "gap_pct": float(gap), "direction": direction,
            "importer_musd": 100.0 + gap, "exporter_musd": 100.0, "sources": "imf_imts / imf_imts"}


def test_mirror_record_in_full():
    res = _run()
    assert len(res) == 1
    rec = res[0]
    body = ("in 5 of 8 yearly comparisons of the same flow (2013-2016) the importer recorded 0-10% more than the "
            "exporter, the usual gap (importers add freight and insurance); median: the importer's figure 4% above the "
            "exporter's; largest difference: Kazakhstan exports vs Belarus imports in 2016, the importer's figure 25% "
            "below the exporter's")
    sentence = f"{HEAD_TODAY}: half true — {body}."
    tvt = rec["statistic"]["turnover_vs_turnover"]
    assert [t["year"] for t in tvt] == [2013, 2014, 2015, 2016]
    assert [t["gap_pct"] for t in tvt] == pytest.approx([100 * (G1[y] - G2[y]) / (200 + G2[y]) for y in range(2013, 2017)])
    ids = sorted(f"{p}{y}" for p in ("bx", "km", "kx", "bm") for y in range(2013, 2017))
    assert rec == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "all", "rating": "half_true",
        "rating_label": "Half true", "rating_value": 3, "rule": "mirror_gap",
        "window": [2013, 2016],
        "statistic": {"band_pct": [0.0, 10.0], "n_flow_years": 8, "share_inside_band": 0.625, "median_gap_pct": 3.5,
                      "median_gap_pct_by_flow": {F1: 7.5, F2: 1.0},
                      "outside_band": [_flag(F1, 2014, 12, "above"), _flag(F1, 2015, -3, "below"),
                                       _flag(F2, 2016, -25, "below")],
                      "data_quality_flags": [], "turnover_vs_turnover": tvt},
        "p_value": None, "n_obs": 8,
        "data_used": [f"{F1}: 4 years 2013-2016", f"{F2}: 4 years 2013-2016"],
        "source_row_ids": ids,
        "robustness": [{"dimension": "sources", "agrees": None, "detail": "IMF IMTS / IMF IMTS"},
                       {"dimension": "reporters", "agrees": None,
                        "detail": "a mirror comparison uses both reporters by construction"},
                       {"dimension": "windows", "agrees": False,
                        "detail": "earlier years Mostly true, later years Half true"}],
        "sentence": sentence, "finding": f"I{body[1:]}.", "numbers": "8 values used", "strength": "moderate",
        "basis": "Belarus's and Kazakhstan's figures for the same flows (mirror)", "not_checked": [],
    }


def test_data_quality_years_are_flagged_not_counted():
    rec = _run(data_quality_years=[2016])[0]
    # 2013-2015: inside 2013 (BLR->KAZ), 2013, 2014, 2015 (KAZ->BLR): 4 of 6 -> Half true
    assert rec["rating"] == "half_true" and rec["n_obs"] == 6
    assert rec["statistic"]["share_inside_band"] == pytest.approx(4 / 6)
    assert rec["statistic"]["data_quality_flags"] == [
        {"flow": F1, "year": 2016, "gap_pct": 10.0, "note": NOTE}, {"flow": F2, "year": 2016, "gap_pct": -25.0, "note": NOTE}]
    assert rec["not_checked"] == [f"{F1} 2016: flagged as a recording change", f"{F2} 2016: flagged as a recording change"]
    assert rec["sentence"].endswith("largest difference: Belarus exports vs Kazakhstan imports in 2014, the importer's "
                                    "figure 12% above the exporter's.")
    assert not any(i.endswith("2016") for i in rec["source_row_ids"])
    assert rec["strength"] == "moderate" and rec["data_used"] == [f"{F1}: 3 years 2013-2015", f"{F2}: 3 years 2013-2015"]


@pytest.mark.parametrize("params, window, rating, strength", [
    ({"band_pct": [-5, 15]}, (2013, 2016), "mostly_true", "moderate"),   # only -25 outside: 7 of 8
    ({"grades": {0.6: "true", 0.0: "false"}}, (2013, 2016), "true", "moderate"),
    ({"grades": {0.7: "true", 0.0: "false"}}, (2013, 2016), "false", "moderate"),
    ({}, (2013, 2017), "half_true", "strong"),                            # ten flow-years: 7 of 10
    ({"data_quality_years": [2013, 2014]}, (2013, 2016), "half_true", "moderate"),  # 2015-2016: 2 of 4
])
def test_claims_file_parameters_change_the_rating(params, window, rating, strength):
    rec = _run(window, **params)[0]
    assert (rec["rating"], rec["strength"]) == (rating, strength)
    if "band_pct" in params:
        assert rec["statistic"]["band_pct"] == [-5.0, 15.0]
        assert "the importer recorded between 5% less and 15% more than the exporter" in rec["sentence"]


def test_two_flow_years_are_weak_and_halves_need_both_sides():
    rec = _run((2015, 2016), data_quality_years=[2016], band_pct=[-5, 10])[0]
    # 2015 only: -3 and +8 both inside -> 1.0 True; two flow-years -> weak; one year: no earlier half
    assert (rec["rating"], rec["strength"], rec["n_obs"]) == ("true", "weak", 2)
    assert [e["dimension"] for e in rec["robustness"]] == ["sources", "reporters"]
    assert rec["sentence"] == (f"{HEAD_TODAY}: true — in 2 of 2 yearly comparisons of the same flow (2015) the importer "
                               "recorded between 5% less and 10% more than the exporter, the usual gap (importers add "
                               "freight and insurance); median: the importer's figure 2% above the exporter's.")
    assert rec["statistic"]["outside_band"] == []


def test_no_matched_flow_cannot_be_checked():
    rec = _run((2018, 2020))[0]
    s = (f"{HEAD_TODAY}: cannot be checked — no year in 2018-2020 has both Belarus's and Kazakhstan's figures for the "
         "same flow.")
    assert rec == {
        "claim_id": "c-test", "vintage": "today", "as_of": "2026-11-30", "reporter": "all",
        "rating": "cannot_be_checked", "rating_label": "Cannot be checked", "rating_value": None,
        "rule": "mirror_gap", "window": [2018, 2020], "statistic": {},
        "p_value": None, "n_obs": 0, "data_used": ["no year with both sides' figures for the same flow"],
        "source_row_ids": [], "robustness": [], "sentence": s, "strength": "none",
        "finding": "No year in 2018-2020 has both Belarus's and Kazakhstan's figures for the same flow.", "numbers": None,
        "basis": "mirror flows",
        "not_checked": ["mirror comparison: no year with both countries' figures for the same flow"]}


def test_bounds_are_never_matched_and_classify_edges():
    rows = [row("bx", "BLR", "BLR", "KAZ", "export", "2014-01", "2014-12", 100 * MN, valuation="FOB"),
            row("km", "KAZ", "KAZ", "BLR", "import", "2014-01", "2014-12", 105 * MN, qualifier="at_least"),
            row("kx", "KAZ", "KAZ", "BLR", "export", "2014-01", "2014-12", 100 * MN, qualifier="at_most"),
            row("bm", "BLR", "BLR", "KAZ", "import", "2014-01", "2014-12", 105 * MN, valuation="CIF")]
    assert mirror_table(build(frame(rows))).empty
    assert [classify(g, (0.0, 10.0)) for g in (-0.01, 0.0, 10.0, 10.01)] == ["below", "inside", "inside", "above"]


def test_a_zero_export_has_no_gap_in_percent():
    zero = row("bx", "BLR", "BLR", "KAZ", "export", "2014-01", "2014-12", 0.0, valuation="FOB")
    zero["status"] = "true_zero"
    t = mirror_table(build(frame([zero, row("km", "KAZ", "KAZ", "BLR", "import", "2014-01", "2014-12", 5 * MN,
                                            valuation="CIF")])))
    assert len(t) == 1 and t.iloc[0]["gap_usd"] == 5 * MN and t.isna().loc[0, "gap_pct"]
    assert t.iloc[0]["comparison"] == F1 and t.iloc[0]["valuation_basis"] == "CIF vs FOB"


def test_gap_series_takes_one_comparison_and_frequency():
    from turnover.model.mirror import gap_series

    t = mirror_table(build(frame(_rows())))
    s = gap_series(t, F1)
    # every annual match of the flow: 2013 also against the un_comtrade import (150: +50%)
    assert sorted(zip(s.index.year, s)) == sorted([(y, float(g)) for y, g in G1.items()] + [(2013, 50.0)])
    assert s.name == F1
    m = gap_series(t, F1, "month")
    assert list(m.index) == [pd.Timestamp("2015-03-31")] and list(m) == [200.0]
    assert gap_series(t, F2, "month").empty
