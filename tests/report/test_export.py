"""HTML export: code hidden, plotly.js inlined exactly once, a section per claim, nothing fetched."""

from __future__ import annotations

import datetime as dt
import re

import nbformat
import plotly.graph_objects as go
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from plotly.offline import get_plotlyjs

from turnover.report import export
from turnover.report.execute import Executed, stderr_of
from turnover.report.show import SECTION_KEY


def _fig_output(y):
    fig = go.Figure(go.Scatter(x=[1, 2], y=y), layout_template="plotly_white").to_plotly_json()
    return new_output("display_data", data={export.PLOTLY_MIME: fig, "text/plain": "Figure"})


def _notebook(name, claim_ids):
    cells = [new_markdown_cell("# A group\n\nWhy this chart.")]
    for cid in claim_ids:
        cell = new_code_cell("SECRET_SOURCE_CODE = 1\nshow.claim_section(claim, inp)")
        cell.outputs = [
            new_output("display_data", data={"text/html": f"<p class='hdr'>{cid}</p>"},
                       metadata={SECTION_KEY: {"section": cid}}),
            _fig_output([1, 3]),
            new_output("display_data", data={"text/markdown": "- computed *sentence*"}),
            new_output("stream", name="stderr", text="SomeWarning: noisy\n"),
        ]
        cells.append(cell)
    nb = new_notebook(cells=cells)
    return Executed(name, nbformat.from_dict(nb), stderr_of(nb))


def _page(claims, notebooks):
    return export.to_html(notebooks, claims, dt.date(2026, 11, 25))


def test_plotly_js_is_inlined_exactly_once_as_the_basic_bundle_for_scatter_and_bar(claims):
    html = _page(claims, [_notebook("01_a", ["c-one", "c-two"]), _notebook("02_b", ["c-three"])])
    kind, js = export.plotly_bundle({"scatter", "bar"})
    assert kind == "basic" and js.startswith("/**\n* plotly.js (basic - minified) v")
    assert html.count(js[:2000]) == 1 and get_plotlyjs()[:2000] not in html
    # the bundle comes after the text and every figure, so the page paints before it is parsed;
    # the figures wait in a queue defined in the head, drawn in page order once the bundle has run
    head, body = html.split("</head>")
    assert js[:2000] not in head and export.DRAW_QUEUE in head
    assert body.rindex("plotly-graph-div") < body.index(js[:2000]) < body.index(export.RUN_BUNDLE)
    assert body.index(f'<script type="text/plain" id="{export.BUNDLE_ID}">{js[:100]}') > body.rindex("plotly-graph-div")
    assert body.index(export.RUN_BUNDLE) < body.index("</body>")
    assert html.count('class="plotly-graph-div"') == 3
    assert html.count("Plotly.newPlot(") == 3 == html.count('turnoverDraw(function () {Plotly.newPlot("fig-')


def test_a_trace_outside_the_basic_bundle_gets_the_full_bundle(claims):
    nb = _notebook("01_a", ["c-one"])
    heat = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])).to_plotly_json()
    nb.notebook.cells[1].outputs.append(new_output("display_data", data={export.PLOTLY_MIME: heat}))
    html = _page(claims, [nb])
    assert html.count(get_plotlyjs()[:2000]) == 1
    assert export.plotly_bundle({"scatter"})[1][:2000] not in html


def test_a_basic_bundle_of_another_plotly_js_version_is_not_used(claims, monkeypatch):
    monkeypatch.setattr(export, "get_plotlyjs_version", lambda: "0.0.1")
    assert export.plotly_bundle({"scatter"}) == ("full", get_plotlyjs())


def test_each_claim_section_wraps_its_header_chart_and_text(claims):
    html = _page(claims, [_notebook("01_a", ["c-one", "c-two"])])
    for cid in ("c-one", "c-two"):
        m = re.search(rf'<section class="claim" id="{cid}">(.*?)</section>', html, flags=re.S)
        assert m, cid
        body = m.group(1)
        assert f"<p class='hdr'>{cid}</p>" in body and "plotly-graph-div" in body
        assert "<em>sentence</em>" in body


def test_code_and_stderr_are_hidden_and_nothing_is_fetched(claims):
    html = _page(claims, [_notebook("01_a", ["c-one"])])
    assert "SECRET_SOURCE_CODE" not in html
    assert "SomeWarning" not in html
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)="(https?:)?//', html)


def test_markdown_heading_ids_cannot_clash_with_claim_ids(claims):
    html = _page(claims, [_notebook("01_a", [])])
    assert '<h1 id="01_a-0-A-group">' in html
    assert '<nav class="toc"><a href="#nb-01_a">A group</a></nav>' in html


def test_stderr_is_collected_as_warnings():
    ex = _notebook("01_a", ["c-one"])
    assert ex.warnings == ["SomeWarning: noisy\n"]


def test_no_figure_means_no_plotly_js(claims):
    nb = nbformat.from_dict(new_notebook(cells=[new_markdown_cell("# Text only")]))
    html = _page(claims, [Executed("00_x", nb, [])])
    assert get_plotlyjs()[:2000] not in html and "plotly.js (basic" not in html


def test_figure_template_is_defined_once_and_script_text_is_escaped(claims):
    nb = _notebook("01_a", ["c-one", "c-two"])
    nb.notebook.cells[1].outputs[1]["data"][export.PLOTLY_MIME]["data"][0]["name"] = "</script><b>x"
    html = _page(claims, [nb])
    assert html.count("window.TURNOVER_TEMPLATES = {t0: ") == 1 and "TURNOVER_TEMPLATES.t1" not in html
    assert html.count("template: window.TURNOVER_TEMPLATES.t0") == 2
    assert "</script><b>x" not in html and "\\u003c\\u002fscript" in html  # escaped by the JSON encoder


def test_markup_in_a_markdown_output_is_shown_as_text_and_tables_render(claims):
    md = ("Partner <img src=x onerror=alert(1)> & co, \\$5\n\n"
          "| year | value |\n|---|---|\n| 2015 | 1 |\n\n## Two  words")
    cell = new_code_cell("x")
    cell.outputs = [new_output("display_data", data={"text/markdown": md})]
    nb = nbformat.from_dict(new_notebook(cells=[cell]))
    html = _page(claims, [Executed("03_c", nb, [])])
    assert "<img src=x" not in html
    assert "Partner &lt;img src=x onerror=alert(1)&gt; &amp; co, $5" in html
    assert re.search(r"<th>year</th>\s*<th>value</th>", html) and "<td>2015</td>" in html
    assert '<h2 id="03_c-0-0-Two-words">Two  words</h2>' in html
