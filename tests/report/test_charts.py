"""Chart builders: titles state findings computed from the data, reporters stay apart, gaps are right."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from turnover.ingest import manifest
from turnover.report import charts, inputs, plotted, provenance
from turnover.text import fmt, labels as names

from _chart_rows import (claim_of as _claim, inputs_for as _inputs, panel_of as _panel, row as _row,
                         year_row as _year)


@pytest.fixture(scope="module")
def facts():
    return inputs.context_facts()


def _title(fig) -> str:
    return fig.layout.title.text.replace("<br>", " ")


def _norm(values) -> list:
    return [None if v is None or (not isinstance(v, str) and pd.isna(v)) else
            v if isinstance(v, str) else round(float(v), 9) for v in values]


def _traces_match_csv(chart):
    """Every trace with a CSV series plots exactly that series' rows, in order."""
    assert len(chart.fig.data) >= 1
    for tr in chart.fig.data:
        rows = chart.data[chart.data["series"] == tr.meta["csv"]]
        assert _norm(tr.x) == _norm(rows["x"]) and _norm(tr.y) == _norm(rows["y"]), tr.meta


def test_every_seeded_claim_gets_a_chart_titled_with_its_finding_and_its_data(full_panel, claims, facts):
    # the panel the refresh builds (the official figures alone match no mirror flow-year: that chart is a note)
    inp = _inputs(full_panel, claims, facts)
    for claim in [c for c in claims.claims if c.rule.kind in charts.BUILDERS]:  # an event record has no chart
        chart = charts.chart_for(claim, inp)
        assert chart.claim_id == claim.id
        assert _title(chart.fig) == chart.finding and len(chart.finding) > 20
        assert chart.fig.layout.title.subtitle.text and chart.subtitle
        assert not chart.empty, claim.id
        _traces_match_csv(chart)
        assert chart.data["source"].str.startswith("http").all(), claim.id  # every value has its source
        assert set(chart.data["unit"]) and chart.data["series"].notna().all()


def test_csv_link_round_trips_the_plotted_values(bundled_panel, claims, facts):
    import io

    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(bundled_panel, claims, facts))
    back = pd.read_csv(io.StringIO(plotted.from_uri(plotted.data_uri(chart.data))), dtype=str, keep_default_na=False)
    assert list(back.columns) == plotted.CSV_COLUMNS and len(back) == len(chart.data)
    assert [float(y) for y in back["y"]] == [float(y) for y in chart.data["y"]]
    assert list(back["x"]) == list(chart.data["x"].astype(str))


def test_each_trace_holds_one_reporter_and_keeps_its_colour(bundled_panel, claims, facts):
    inp = _inputs(bundled_panel, claims, facts)
    for claim in [c for c in claims.claims if c.rule.kind in charts.BUILDERS]:  # an event record has no chart
        chart = charts.chart_for(claim, inp)
        for series, g in chart.data.groupby("series"):
            assert g["reporter"].nunique() == 1, (claim.id, series)
    assert charts.colour("BLR", ("BLR", "KAZ")) != charts.colour("KAZ", ("BLR", "KAZ"))
    assert {charts.colour("BLR", ("BLR", "KAZ")), charts.colour("KAZ", ("BLR", "KAZ"))} <= set(charts.PALETTE)
    assert charts.colour("unknown", ("BLR", "KAZ")) == charts.GREY


def test_primary_series_are_lines_other_sources_faint_and_press_figures_dots(claims, facts):
    p = _panel([_year(1, 2013, "BLR", 900e6, source_kind="wb_wits"), _year(2, 2014, "BLR", 800e6, source_kind="wb_wits"),
                _year(3, 2013, "BLR", 950e6, source_kind="un_comtrade"), _year(4, 2014, "BLR", 700e6, source_kind="un_comtrade"),
                _year(5, 2014, "BLR", 810e6)])
    p["primary"] = p["source_kind"] == "wb_wits"
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(p, claims, facts))
    by = {tr.meta["csv"]: tr for tr in chart.fig.data}
    line = by["Belarus: official series"]
    assert line.mode == "lines+markers" and list(line.y) == [900.0, 800.0]
    assert by["Belarus: other source (UN Comtrade)"].opacity < 0.5  # named by its publisher, not its source id
    assert by["Belarus: press figure"].mode == "markers" and list(by["Belarus: press figure"].y) == [810.0]
    texts = [a.text for a in chart.fig.layout.annotations]
    assert "<b>Belarus</b>" in texts and "Belarus, UN Comtrade" in texts  # every line labelled at its end
    assert chart.finding.startswith("Belarus–Kazakhstan turnover fell 11% from 2013 (USD 900 mn) to 2014 (USD 800 mn) "
                                    "on Belarus's figures")


def test_decline_title_compares_within_one_reporter_series(claims, facts):
    p = _panel([_year(1, 2012, "unknown", 1000e6), _year(2, 2014, "unknown", 800e6), _year(3, 2016, "unknown", 400e6),
                _year(4, 2016, "KAZ", 150e6)])
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(p, claims, facts))
    # as of the article: 2012 and 2014 were public (2016 only later), all from one series
    # in the axis' unit (millions: no value above USD 2 bn)
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 20% from 2012 (USD 1,000 mn) to 2014 (USD 800 mn) "
                             "on figures of unstated origin")


def test_the_programme_date_comes_from_the_claims_file(bundled_panel, claims, facts):
    inp = _inputs(bundled_panel, claims, facts)
    event = pd.Timestamp(_claim(claims, "recovery").rule.params["event_date"])
    assert [w for w, _ in charts.events(inp)] == [event]
    rec = _claim(claims, "recovery")
    moved_claim = rec.model_copy(update={"rule": rec.rule.model_copy(update={"event_date": dt.date(2019, 3, 1)})})
    moved = claims.model_copy(update={"claims": [moved_claim if c is rec else c for c in claims.claims]})
    shapes = charts.chart_for(_claim(moved, "recovery"), _inputs(bundled_panel, moved, facts)).fig.layout.shapes
    assert "2019-03-01" in {s.x0 for s in shapes if s.type == "line"}


def test_mirror_chart_draws_both_sides_and_the_band(claims, facts):
    p = _panel([_year(1, 2014, "BLR", 100e6, flow="export", partner="KAZ"),
                _year(2, 2014, "KAZ", 104e6, flow="import", country="KAZ", partner="BLR"),
                _year(3, 2015, "BLR", 100e6, flow="export", partner="KAZ"),
                _year(4, 2015, "KAZ", 130e6, flow="import", country="KAZ", partner="BLR")])
    chart = charts.chart_for(_claim(claims, "mirror_gap"), _inputs(p, claims, facts))
    assert chart.finding.startswith("In 1 of 2 years the importer's figure lies outside the usual CIF/FOB margin")
    band = chart.data[chart.data["series"].str.contains("band high")]
    assert band["y"].round(6).tolist() == [110.0, 110.0]
    assert {"Belarus's exports (FOB)", "Kazakhstan's imports (CIF)"} <= {s.split(": ", 1)[1] for s in chart.data["series"]}


def test_currency_chart_uses_the_models_loss_of_value(bundled_panel, claims, facts):
    from turnover.model.shock import loss_of_value

    chart = charts.chart_for(_claim(claims, "market_shock"), _inputs(bundled_panel, claims, facts))
    f = facts[(facts["topic"] == "currency") & (facts["unit"] == "pct_devaluation")]
    want = sorted(round(loss_of_value(v, d), 6) for v, d in zip(f["value"], f["definition"]))
    assert sorted(chart.data["y"].round(6)) == want


def test_partner_chart_ranks_shares_and_highlights_the_claimed_partners(bundled_panel, claims, facts):
    rows = [_row(100 + i, source_kind="un_comtrade", country="BLR", partner=partner, flow=flow, value_usd=v,
                 period_start=pd.Timestamp("2015-01-01"), period_end=pd.Timestamp("2015-12-31"))
            for i, (partner, flow, v) in enumerate([
                ("RUS", "export", 10e9), ("RUS", "import", 20e9), ("UKR", "export", 2e9), ("UKR", "import", 1e9),
                ("DEU", "export", 1e9), ("DEU", "import", 3e9), ("WLD", "export", 30e9), ("WLD", "import", 40e9)])]
    panel = _panel(list(bundled_panel.to_dict("records")) + rows)
    inp = _inputs(panel, claims, facts)
    v = inp.verdict("main-partners", "today", "BLR")  # the model's partner table, which the chart plots
    year, t = v.facts.year, v.tables["partners"]
    assert year == 2015 and list(t["partner"]) == ["RUS", "DEU", "UKR"]  # world total left out
    assert t["share_pct"].round(6).tolist() == [round(30 / 70 * 100, 6), round(4 / 70 * 100, 6), round(3 / 70 * 100, 6)]
    chart = charts.chart_for(_claim(claims, "partner_rank"), inp)
    assert "Belarus (2015): Russia #1, Ukraine #3" in chart.finding
    bar = chart.fig.data[0]
    assert list(bar.y) == ["#3 Ukraine", "#2 Germany", "#1 Russia"]
    assert bar.marker.color[1] == "#c8c8c8" and bar.marker.color[0] == bar.marker.color[2] != "#c8c8c8"


def test_a_pair_without_data_gets_a_one_line_note_and_no_other_pairs_names(bundled_panel, claims, facts):
    other = claims.model_copy(update={"pair": ("ARM", "GEO"), "claims": [
        c.model_copy(update={"rule": c.rule.model_copy(update={"countries": ["ARM", "GEO"]})})
        if "countries" in c.rule.params else c for c in claims.claims]})
    inp = _inputs(bundled_panel, other, facts)
    for claim in [c for c in other.claims if c.rule.kind in charts.BUILDERS]:  # an event record has no chart
        chart = charts.chart_for(claim, inp)
        assert chart.empty and chart.note, claim.id
        text = chart.finding + chart.note + " ".join(chart.narrative)
        assert "nan" not in text
        for word in ("Belarus", "Kazakhstan", "BLR", "KAZ"):
            assert word not in text, (claim.id, word)


def test_names_come_from_the_iso_table():
    assert names.country("BLR") == "Belarus" and names.country("RUS") == "Russia"
    assert names.pair(("ARM", "GEO")) == "Armenia–Georgia" and names.country("WLD") == "World"
    assert names.reporter("KAZ") == "Kazakhstan's figures" and names.reporter("unknown") == "figures of unstated origin"
    assert names.country("XXQ") == "XXQ"


def test_fmt_wording():
    assert fmt.usd(952.8e6) == "USD 953 mn"
    assert fmt.usd(1.2e9, "at_least") == "≥USD 1.2 bn"
    assert fmt.pct(-46.4) == "−46.4%" and fmt.pct(70) == "+70%" and fmt.pct(29.96, signed=False) == "29.96%"
    assert fmt.period("year-to-date", pd.Timestamp("2017-01-01"), pd.Timestamp("2017-09-30")) == "Jan–Sep 2017"
    assert fmt.period("half-year", pd.Timestamp("2016-01-01"), pd.Timestamp("2016-06-30")) == "H1 2016"
    assert fmt.period("quarter", pd.Timestamp("2019-04-01"), pd.Timestamp("2019-06-30")) == "Q2 2019"


def test_source_line_names_the_manifest_entry_and_every_release(bundled_panel):
    rows = bundled_panel.head(5)
    line = provenance.source_line(rows)
    entry = next(e for e in manifest.entries() if e["path"] == "official/official_figures.csv")
    assert "data/official/official_figures.csv" in line and str(entry["retrieved_on"]) in line
    assert entry["publisher"][:40] in line
    for url in rows["source_url"].unique():
        assert url.replace("&", "&amp;") in line


def test_source_line_names_api_sources():
    rows = pd.DataFrame({"source_kind": ["un_comtrade"], "source_url": ["https://example.org/api?x=1&y=2"]})
    line = provenance.source_line(rows, entries=[])
    assert "UN Comtrade" in line and "1 figure from 1 request" in line and "x=1&amp;y=2" in line


def test_the_charts_plot_the_models_own_tables(full_panel, claims, facts):
    """Change a table (or a figure) a verdict carries and the chart changes with it: the report plots
    the model's tables and states the model's figures, and computes nothing of its own."""
    import copy

    from turnover.report.charts import latest_vintage

    base = _inputs(full_panel, claims, facts)

    def with_changed(edit):
        typed = copy.deepcopy(base.verdicts)
        for v in typed:
            edit(v)
        for top in (v for v in typed if v.reporter == "all"):  # the claim level keeps its parts: the edited ones
            top.parts = {p.reporter: p for p in typed if (p.claim_id, p.vintage) == (top.claim_id, top.vintage)
                         and p.reporter != "all"}
        return _inputs(full_panel, claims, facts, verdicts=typed)

    def series(claim_kind, inp, name):
        chart = charts.chart_for(_claim(claims, claim_kind), inp)
        return chart, chart.data[chart.data["series"] == name]

    decline = _claim(claims, "declining_trend")
    now = latest_vintage(base, decline)

    def double_turnover(v):
        if v.claim_id == decline.id and v.vintage == now and "turnover" in v.tables:
            v.tables["turnover"]["value_usd"] *= 2
        if v.claim_id == decline.id and v.vintage == now and "shares" in v.tables:
            v.tables["shares"]["share_pct"] += 1

    _, before = series("declining_trend", base, "Belarus: official series")
    _, after = series("declining_trend", with_changed(double_turnover), "Belarus: official series")
    usd = {"USD million": 1e6, "USD billion": 1e9}  # the axis unit follows the largest value
    assert len(before) > 10 and (after["y"] * after["unit"].map(usd)).tolist() == pytest.approx(
        [2 * y for y in before["y"] * before["unit"].map(usd)])
    _, before = series("declining_trend", base, "Kazakhstan: share of total trade")
    _, after = series("declining_trend", with_changed(double_turnover), "Kazakhstan: share of total trade")
    assert len(before) > 5 and after["y"].tolist() == pytest.approx([y + 1 for y in before["y"]])

    def russia_99(v):
        if v.rule == "partner_rank" and v.reporter == "BLR":
            t = v.tables["partners"]
            t.loc[t["partner"] == "RUS", "share_pct"] = 99.0
    _, bars = series("partner_rank", with_changed(russia_99), "Belarus: share of trade by partner")
    assert bars.loc[bars["y"] == "#1 Russia", "x"].tolist() == [99.0]

    def five_more(v):
        if v.rule == "market_shock" and v.reporter == "KAZ":
            v.tables["events"]["loss_pct"] += 5
    _, before = series("market_shock", base, "Kazakhstan: devaluation")
    _, after = series("market_shock", with_changed(five_more), "Kazakhstan: devaluation")
    assert after["y"].tolist() == pytest.approx([y + 5 for y in before["y"]])

    def exports_doubled(v):
        if v.rule == "mirror_gap" and "flows" in v.tables:
            v.tables["flows"]["exporter_usd"] *= 2
    name = "Belarus→Kazakhstan: Belarus's exports (FOB)"
    _, before = series("mirror_gap", base, name)
    _, after = series("mirror_gap", with_changed(exports_doubled), name)
    usd = {"USD million": 1e6, "USD billion": 1e9}  # the axis unit follows the largest value
    assert len(before) >= 3 and (after["y"] * after["unit"].map(usd)).tolist() == pytest.approx(
        [2 * y for y in before["y"] * before["unit"].map(usd)])

    def recovered(v):  # a figure, not a table: the title states the verdict's number
        if v.rule == "recovery" and v.reporter == "BLR" and hasattr(v.facts, "latest_vs_reference_pct"):
            v.facts.latest_vs_reference_pct = 23.0
    chart, _ = series("recovery", with_changed(recovered), "Belarus: official series")
    assert "123% of its 2013 level" in chart.finding


def test_the_report_imports_no_model_statistics():
    """report/charts.py reads the model's typed results only (no series, annual, mirror or partner code)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    froms = {(n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {m for m in froms if "model" in m} == {"model.results"}
