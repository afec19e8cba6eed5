"""Chart builders: titles state findings computed from the data, reporters stay apart, gaps are right."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pandas as pd
import pytest

from turnover import manifest, official, panel as panel_mod
from turnover.paths import official_dir
from turnover.report import badges, charts, fmt, inputs, provenance


@pytest.fixture(scope="module")
def facts():
    return inputs.context_facts()


def _inputs(panel, claims, facts, results=()):
    return inputs.Inputs(panel=panel, results=list(results), claims=claims, facts=facts,
                         today=dt.date(2026, 11, 25))


def _row(i, **kw):
    base = dict(row_id=f"t:{i}", source_kind="official_release", source_id=str(i), reporter="BLR",
                country="BLR", partner="KAZ", flow="turnover", frequency="annual",
                period_start=pd.Timestamp("2013-01-01"), period_end=pd.Timestamp("2013-12-31"),
                value_usd=1e8, value_qualifier="exact", yoy_pct=None, yoy_qualifier=None, valuation="unknown",
                status="reported", published_on=pd.Timestamp("2014-03-01"), source_url=f"https://example.org/{i}",
                source_date="2014-03-01", retrieved_on=pd.Timestamp("2026-11-25"), note=None)
    base.update(kw)
    return base


def _panel(rows):
    return panel_mod.validate(pd.DataFrame(rows))


def test_every_seeded_claim_gets_a_chart_whose_title_follows_the_data(bundled_panel, claims, facts):
    inp = _inputs(bundled_panel, claims, facts)
    nothing = _inputs(bundled_panel.iloc[0:0], claims, facts.iloc[0:0])
    for claim in claims.claims:
        chart = charts.chart_for(claim, inp)
        assert chart.claim_id == claim.id
        assert len(chart.fig.data) >= 1, claim.id
        assert chart.reporters
        if claim.rule.kind == "mirror_gap":  # no matched period in the bundled data either (raw-file test below)
            continue
        title, blank = chart.fig.layout.title.text, charts.chart_for(claim, nothing).fig.layout.title.text
        assert title != blank and re.search(r"\d{4}.*\d", title), claim.id  # states a finding with figures


def test_declining_title_quotes_first_and_last_annual_values_in_window(bundled_panel, claims, facts):
    claim = next(c for c in claims.claims if c.rule.kind == "declining_trend")
    chart = charts.chart_for(claim, _inputs(bundled_panel, claims, facts))
    t = bundled_panel[(bundled_panel["flow"] == "turnover") & (bundled_panel["frequency"] == "annual")
                      & bundled_panel["value_usd"].notna()]
    years = t["period_start"].dt.year
    t = t[(years >= claim.window.start) & (years <= claim.window.end)]
    for year in (t["period_start"].dt.year.min(), t["period_start"].dt.year.max()):
        candidates = t[t["period_start"].dt.year == year]
        assert f"({year}," in chart.finding
        assert any(fmt.usd(v, q) in chart.finding for v, q in zip(candidates["value_usd"], candidates["value_qualifier"]))


def test_markers_are_open_for_figures_published_after_the_as_of_date():
    p = _panel([_row(1), _row(2, period_start=pd.Timestamp("2016-01-01"), period_end=pd.Timestamp("2016-12-31"),
                              published_on=pd.Timestamp("2017-03-01"))])
    rows = charts.pair_rows(p, ("BLR", "KAZ"))
    fig = charts.turnover_figure(rows, ("BLR", "KAZ"), dt.date(2016, 5, 31))
    (trace,) = [t for t in fig.data if t.yaxis == "y"]
    assert list(trace.marker.symbol) == ["circle", "circle-open"]


def test_each_trace_holds_one_reporter_only():
    p = _panel([_row(1, reporter="BLR", value_usd=9e8), _row(2, reporter="KAZ", value_usd=7e8),
                _row(3, reporter="unknown", value_usd=8e8)])
    fig = charts.turnover_figure(charts.pair_rows(p, ("BLR", "KAZ")), ("BLR", "KAZ"), dt.date(2016, 5, 31))
    by_name = {t.name: list(t.y) for t in fig.data}
    assert by_name == {"reported by BLR": [900.0], "reported by KAZ": [700.0], "reporter not stated": [800.0]}


def test_mirror_pairs_compare_exporter_and_importer_figures_for_the_same_period():
    p = _panel([
        _row(1, flow="export", reporter="BLR", country="BLR", partner="KAZ", value_usd=100e6),
        _row(2, flow="import", reporter="KAZ", country="KAZ", partner="BLR", value_usd=110e6),
        _row(3, flow="import", reporter="unknown", country="KAZ", partner="BLR", value_usd=500e6,
             period_start=pd.Timestamp("2014-01-01"), period_end=pd.Timestamp("2014-12-31")),
        _row(4, flow="export", reporter="BLR", country="BLR", partner="KAZ", value_usd=80e6,
             period_start=pd.Timestamp("2014-01-01"), period_end=pd.Timestamp("2014-12-31")),
        _row(5, flow="export", reporter="KAZ", country="KAZ", partner="BLR", value_usd=50e6),
        _row(6, flow="import", reporter="BLR", country="BLR", partner="KAZ", value_usd=40e6),
    ])
    m = charts.mirror_pairs(p, ("BLR", "KAZ")).set_index("exporter")
    assert len(m) == 2  # 2014 has no importer-reported figure from KAZ itself
    assert m.loc["BLR", "gap_pct"] == pytest.approx(10.0)
    assert m.loc["KAZ", "gap_pct"] == pytest.approx(-20.0)


def test_mirror_chart_title_follows_the_raw_bundled_file(claims, facts):
    # from the raw CSV: periods where both countries' own figures exist for the same comparison
    raw = list(csv.DictReader((official_dir() / "official_figures.csv").open(encoding="utf-8")))
    sides = {("BY", "turnover"): ("KZ", "turnover"), ("BY", "by_exports_to_kz"): ("KZ", "kz_imports_from_by"),
             ("KZ", "kz_exports_to_by"): ("BY", "by_imports_from_kz")}

    def periods(rep, measure):
        return {(r["period_start"], r["period_end"]): float(r["value_musd"]) for r in raw
                if r["reporter"] == rep and r["measure"] == measure and r["value_musd"]}

    gaps = []
    for a, b in sides.items():
        pa, pb = periods(*a), periods(*b)
        gaps += [(pb[k] - pa[k]) / pa[k] * 100 for k in pa.keys() & pb.keys()]
    only_official = panel_mod.build_panel([official.load()])
    claim = next(c for c in claims.claims if c.rule.kind == "mirror_gap")
    chart = charts.chart_for(claim, _inputs(only_official, claims, facts))
    if not gaps:  # the case of the bundled file: no period has both sides
        assert chart.finding.startswith("No period has both countries' figures")
    else:
        assert chart.finding.startswith("Largest") and fmt.pct(max(gaps, key=abs)) in chart.finding


def test_mirror_chart_names_the_model_matched_comparison(claims, facts):
    p = _panel([_row(1, reporter="BLR", value_usd=900e6), _row(2, reporter="KAZ", value_usd=990e6)])
    claim = next(c for c in claims.claims if c.rule.kind == "mirror_gap")
    chart = charts.chart_for(claim, _inputs(p, claims, facts))
    assert chart.finding.startswith("Largest annual mirror gap: +10% (BLR turnover vs KAZ turnover, 2013)")
    assert "Largest gap(s): BLR turnover vs KAZ turnover, 2013: USD 900 mn vs USD 990 mn, +10%." in chart.narrative


def test_market_shock_title_names_the_largest_devaluation_in_the_lookback(bundled_panel, claims, facts):
    claim = next(c for c in claims.claims if c.rule.kind == "market_shock")
    chart = charts.chart_for(claim, _inputs(bundled_panel, claims, facts))
    as_of = pd.Timestamp(claims.vintages["as_of_article"])
    start = as_of - pd.DateOffset(months=claim.rule.params["lookback_months"])
    dev = facts[(facts["unit"] == "pct_devaluation") & (facts["date"] > start) & (facts["date"] <= as_of)]
    for country in claim.rule.params["countries"]:
        top = dev[dev["country"] == country]["value"].max()
        assert f"{fmt.pct(top, signed=False)} on" in chart.finding
    old = facts[(facts["unit"] == "pct_devaluation") & (facts["date"] <= start)]["value"]
    assert all(f"{fmt.pct(v, signed=False)} on" not in chart.finding for v in old)


def test_partner_chart_highlights_only_the_partners_the_claim_names(bundled_panel, claims, facts):
    claim = next(c for c in claims.claims if c.rule.kind == "partner_rank")
    chart = charts.chart_for(claim, _inputs(bundled_panel, claims, facts))
    named = [t for t in chart.fig.data if t.name == "partner named in the claim"]
    assert named
    for t in named:
        assert all(label.split(" ")[0] in claim.rule.params["partners"] for label in t.y)


def test_fmt_wording():
    assert fmt.usd(952.8e6) == "USD 953 mn"
    assert fmt.usd(1.2e9, "at_least") == "≥USD 1.2 bn"
    assert fmt.pct(-46.4) == "−46.4%" and fmt.pct(70) == "+70%" and fmt.pct(29.96, signed=False) == "29.96%"
    assert fmt.period("year-to-date", pd.Timestamp("2017-01-01"), pd.Timestamp("2017-09-30")) == "Jan–Sep 2017"
    assert fmt.period("half-year", pd.Timestamp("2016-01-01"), pd.Timestamp("2016-06-30")) == "H1 2016"
    assert fmt.period("quarter", pd.Timestamp("2019-04-01"), pd.Timestamp("2019-06-30")) == "Q2 2019"


def test_badges_show_every_vintage_even_without_a_result():
    vintages = {"as_of_article": dt.date(2016, 5, 31), "today": dt.date(2026, 11, 25)}
    html = badges.badges("c1", [{"claim_id": "c1", "vintage": "today", "as_of": "2026-11-25", "reporter": "BLR",
                                 "rating": "mostly_true", "verdict": "supported", "summary": "x"}], vintages)
    assert html.index('data-vintage="as_of_article"') < html.index('data-vintage="today"')
    assert "as of 2016-05-31 · claim rating: Not evaluated" in html
    assert "today (2026-11-25) · Belarus&#39;s figures: Mostly true" in html
    for rating, (label, _) in badges.RATINGS.items():
        assert label in badges.badge({"rating": rating, "vintage": "today"})
    assert "Supported" in badges.badge({"verdict": "supported", "vintage": "today"})  # results from before the scale


def test_source_line_names_the_manifest_entry_and_every_release(bundled_panel):
    rows = bundled_panel.head(5)
    line = provenance.source_line(rows)
    entry = next(e for e in manifest.entries() if e["path"] == "official/official_figures.csv")
    assert "data/official/official_figures.csv" in line and str(entry["retrieved_on"]) in line
    assert entry["publisher"][:40] in line
    for url in rows["source_url"].unique():
        assert url.replace("&", "&amp;") in line


def test_a_pair_without_data_still_gets_titled_charts(bundled_panel, claims, facts):
    other = claims.model_copy(update={"pair": ("ARM", "KAZ")})
    inp = _inputs(bundled_panel, other, facts)
    for claim in other.claims:
        chart = charts.chart_for(claim, inp)
        assert chart.finding and "nan" not in chart.finding, claim.id
    assert charts.overview(inp).finding == "No turnover figures for ARM–KAZ in the data"


def test_partner_statistics_in_the_panel_are_charted_and_ranked(bundled_panel, claims, facts):
    rows = [_row(100 + i, source_kind="un_comtrade", country="BLR", partner=partner, flow=flow, value_usd=v,
                 period_start=pd.Timestamp("2015-01-01"), period_end=pd.Timestamp("2015-12-31"))
            for i, (partner, flow, v) in enumerate([
                ("RUS", "export", 10e9), ("RUS", "import", 20e9), ("UKR", "export", 2e9), ("UKR", "import", 1e9),
                ("DEU", "export", 1e9), ("DEU", "import", 3e9), ("WLD", "export", 30e9), ("WLD", "import", 40e9)])]
    panel = _panel(list(bundled_panel.to_dict("records")) + rows)
    year, t = charts.partner_totals(panel, "BLR", 2013, 2015)
    assert year == 2015 and list(t["partner"]) == ["RUS", "DEU", "UKR"]  # world total left out
    assert t["value_usd"].tolist() == [30e9, 4e9, 3e9]
    claim = next(c for c in claims.claims if c.rule.kind == "partner_rank")
    chart = charts.chart_for(claim, _inputs(panel, claims, facts))
    assert "BLR's own statistics, 2015: RUS #1, UKR #3." in chart.narrative
    assert set(chart.rows["row_id"]) == {r["row_id"] for r in rows if r["partner"] != "WLD"}


def test_decline_title_compares_within_one_reporter_series(claims, facts):
    def year(i, y, rep, v):
        return _row(i, reporter=rep, value_usd=v, period_start=pd.Timestamp(f"{y}-01-01"),
                    period_end=pd.Timestamp(f"{y}-12-31"), published_on=pd.Timestamp(f"{y + 1}-03-01"))
    p = _panel([year(1, 2012, "unknown", 1000e6), year(2, 2014, "unknown", 800e6), year(3, 2016, "unknown", 400e6),
                year(4, 2016, "KAZ", 150e6)])
    claim = next(c for c in claims.claims if c.rule.kind == "declining_trend")
    chart = charts.chart_for(claim, _inputs(p, claims, facts))
    assert chart.finding == ("Annual turnover fell from USD 1.0 bn (2012, reporter not stated) "
                             "to USD 400 mn (2016, reporter not stated)")


def test_source_line_names_api_sources():
    rows = pd.DataFrame({"source_kind": ["un_comtrade"], "source_url": ["https://example.org/api?x=1&y=2"]})
    line = provenance.source_line(rows, entries=[])
    assert "UN Comtrade" in line and "1 figure(s) from 1 request(s)" in line and "x=1&amp;y=2" in line
