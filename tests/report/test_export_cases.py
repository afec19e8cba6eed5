"""HTML export pinned whole: each output kind, a figure's div and script, a notebook's sections,
the page head and header, and the choice of plotly.js bundle, written out by hand."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from turnover.report import export
from turnover.report.execute import Executed
from turnover.report.show import SECTION_KEY
from turnover.report.style import CSS as REPORT_CSS


def test_each_output_kind():
    out = lambda o: str(export._output(o, "fig-x", "p", {}))  # noqa: E731
    assert out({"output_type": "stream", "name": "stdout", "text": "a <b> & c"}) == "<pre>a &lt;b&gt; &amp; c</pre>"
    assert out({"output_type": "stream", "name": "stderr", "text": "warn"}) == ""
    assert out({"output_type": "stream"}) == "<pre></pre>"
    assert out({"output_type": "error", "ename": "Value<Error>", "evalue": "bad & worse"}) == \
        "<pre class='error'>Value&lt;Error&gt;: bad &amp; worse</pre>"
    assert out({"output_type": "error"}) == "<pre class='error'>: </pre>"
    d = lambda **data: {"output_type": "display_data", "data": data}  # noqa: E731
    assert out(d(**{"text/html": "<b>x</b>", "text/plain": "x"})) == "<b>x</b>"
    assert out(d(**{"text/html": ["<b>", "x</b>"]})) == "<b>x</b>"
    assert out(d(**{"text/markdown": "# T\n\n*a* <i>", "text/plain": "x"})) == \
        '<h1 id="p-T">T</h1>\n<p><em>a</em> &lt;i&gt;</p>\n'
    assert out(d(**{"image/png": "QUJD<>", "text/plain": "x"})) == \
        '<img alt="figure" src="data:image/png;base64,QUJD&lt;&gt;">'
    assert out(d(**{"text/plain": "1 < 2"})) == "<pre>1 &lt; 2</pre>"
    assert out(d(**{"application/json": {}})) == ""
    assert out({"output_type": "display_data"}) == ""


def test_a_figure_is_a_div_and_a_script_sharing_its_template():
    templates = {}
    spec = {"data": [{"type": "bar", "y": [1], "name": "</script>"}],
            "layout": {"height": 520.7, "title": {"text": "T"}, "template": {"layout": {"font": {"size": 3}}}},
            "config": {"responsive": False, "scrollZoom": True}}
    html = export._figure(spec, "fig-1", templates)
    tpl = json.dumps({"layout": {"font": {"size": 3}}}, separators=(",", ":"))
    assert templates == {tpl: "t0"}
    assert html == ('<div id="fig-1" class="plotly-graph-div" style="height:520px;width:100%"></div>'
                    '<script type="text/javascript">turnoverDraw(function () {Plotly.newPlot("fig-1", '
                    '[{"type":"bar","y":[1],"name":"\\u003c\\u002fscript\\u003e"}], '
                    'Object.assign({"height":520.7,"title":{"text":"T"}}, {template: window.TURNOVER_TEMPLATES.t0}), '
                    '{"displaylogo":false,"responsive":false,"scrollZoom":true});});</script>')
    assert "template" in spec["layout"]  # the spec itself is left as it was
    again = export._figure({"data": [], "layout": {"template": {"layout": {"font": {"size": 3}}}}}, "fig-2", templates)
    other = export._figure({"layout": {"template": {"layout": {}}}}, "fig-3", templates)
    assert "window.TURNOVER_TEMPLATES.t0" in again and "window.TURNOVER_TEMPLATES.t1" in other
    assert len(templates) == 2
    bare = export._figure({}, "fig-4", templates)
    assert bare == ('<div id="fig-4" class="plotly-graph-div" style="height:450px;width:100%"></div>'
                    '<script type="text/javascript">turnoverDraw(function () {Plotly.newPlot("fig-4", [], '
                    'Object.assign({}, {template: {}}), {"displaylogo":false,"responsive":true});});</script>')


def _fig(trace_types):
    return {"data": [({"type": t} if t else {}) for t in trace_types], "layout": {}}


def test_a_notebook_opens_a_section_per_claim_and_closes_it_with_the_cell():
    c1 = new_code_cell("hidden()")
    c1.outputs = [new_output("display_data", data={"text/html": "<p>h1</p>"}, metadata={SECTION_KEY: {"section": "a"}}),
                  new_output("display_data", data={export.PLOTLY_MIME: _fig(["bar", None])}),
                  new_output("display_data", data={"text/html": "<p>h2</p>"}, metadata={SECTION_KEY: {"section": "b"}}),
                  new_output("stream", name="stdout", text="s")]
    c2 = new_code_cell("x")
    c2.outputs = [new_output("display_data", data={"text/html": "<p>free</p>"}, metadata={"other": 1}),
                  new_output("display_data", data={export.PLOTLY_MIME: _fig(["pie"])})]
    nb = nbformat.from_dict(new_notebook(cells=[new_markdown_cell("# Top <x>"), c1, new_raw_cell("RAW"), c2]))
    templates, traces = {}, set()
    body, n = export._notebook(Executed("01_n", nb, []), templates, traces)
    assert n == 2 and traces == {"bar", "scatter", "pie"}
    fig1 = export._figure(_fig(["bar", None]), "fig-01_n-1-1", {})
    fig2 = export._figure(_fig(["pie"]), "fig-01_n-3-1", {})
    assert body == "\n".join([
        '<article class="notebook" id="nb-01_n">', '<h1 id="01_n-0-Top-&lt;x&gt;">Top &lt;x&gt;</h1>\n',
        '<section class="claim" id="a">', "<p>h1</p>", fig1, "</section>", '<section class="claim" id="b">',
        "<p>h2</p>", "<pre>s</pre>", "</section>", "<p>free</p>", fig2, "</article>"])


def test_title_is_the_first_level_one_heading():
    def ex(*cells):
        return Executed("07_z", nbformat.from_dict(new_notebook(cells=list(cells))), [])

    assert export._title(ex(new_markdown_cell("## Sub\n# Main title  \ntext"))) == "Main title"
    assert export._title(ex(new_code_cell("# not markdown"), new_markdown_cell("text"),
                            new_markdown_cell("#  Second"))) == "Second"
    assert export._title(ex(new_markdown_cell("no heading"))) == "07_z"
    assert export._heading_id("  a  b\tc ") == "a-b-c"


def test_page_head_and_header(claims):
    art = claims.article.model_copy(update={"title_en": "T <&>", "outlet": "O \"q\"", "date": dt.date(2016, 5, 31)})
    cf = claims.model_copy(update={"article": art})
    nb1 = nbformat.from_dict(new_notebook(cells=[new_markdown_cell("# First & one")]))
    nb2 = nbformat.from_dict(new_notebook(cells=[new_markdown_cell("plain")]))
    page = export.to_html([Executed("01_a", nb1, []), Executed("02_b", nb2, [])], cf, dt.date(2026, 11, 25),
                          head="<meta name=x>")
    head = ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Fact check: T &lt;&amp;&gt; (O &#34;q&#34;, 2016-05-31)</title><meta name=x>"
            f"<style>{export.CSS}{REPORT_CSS}</style></head><body>"
            "<header><h1>Fact check: T &lt;&amp;&gt;</h1><p>Checked against official "
            "statistics; report generated 2026-11-25 by <code>python -m turnover.refresh</code>.</p>"
            '<nav class="toc"><a href="#nb-01_a">First &amp; one</a> <a href="#nb-02_b">02_b</a></nav></header>\n')
    assert page.startswith(head) and page.endswith("\n</body></html>\n")
    assert page == (head + '<article class="notebook" id="nb-01_a">\n<h1 id="01_a-0-First-&amp;-one">First &amp; one'
                    '</h1>\n\n</article>\n<article class="notebook" id="nb-02_b">\n<p>plain</p>\n\n</article>'
                    "\n</body></html>\n")
    bare = export.to_html([], cf, dt.date(2026, 11, 25))
    assert bare.endswith("<nav class=\"toc\"></nav></header>\n\n</body></html>\n")
    assert "2016-05-31)</title><style>" in bare  # no extra head markup by default


def test_figures_bring_plotly_and_the_templates(claims, monkeypatch):
    monkeypatch.setattr(export, "plotly_bundle", lambda traces: ("basic", f"JS{sorted(traces)}"))
    c = new_code_cell("x")
    c.outputs = [new_output("display_data", data={export.PLOTLY_MIME: {"data": [{"type": "bar"}],
                                                                       "layout": {"template": {"a": 1}}}}),
                 new_output("display_data", data={export.PLOTLY_MIME: {"data": [], "layout": {"template": {"b": 2}}}})]
    nb = nbformat.from_dict(new_notebook(cells=[c]))
    page = export.to_html([Executed("01_a", nb, [])], claims, dt.date(2026, 11, 25))
    assert (f"</style>{export.DRAW_QUEUE}</head><body>") in page
    assert page.endswith("</article>\n<script type=\"text/plain\" id=\"turnover-plotly-js\">JS['bar']</script>"
                         '<script type="text/javascript">window.TURNOVER_TEMPLATES = {t0: {"a":1}, t1: {"b":2}};'
                         + export.RUN_BUNDLE + "</script>\n</body></html>\n")
    assert export.RUN_BUNDLE == (
        "(function () { var text = document.getElementById('turnover-plotly-js').textContent,"
        " script = document.createElement('script'); function drawn() { " + export.DRAW_QUEUED + " }"
        " script.onload = drawn; script.onerror = function () { var inline = document.createElement('script');"
        " inline.text = text; document.head.appendChild(inline); drawn(); };"
        " script.src = URL.createObjectURL(new Blob([text], {type: 'text/javascript'}));"
        " document.body.appendChild(script); })();")
    assert export.DRAW_QUEUE == ('<script type="text/javascript">window.TURNOVER_QUEUE = [];function turnoverDraw(draw) '
                                 "{ if (window.TURNOVER_QUEUE) window.TURNOVER_QUEUE.push(draw); else draw(); }</script>")
    assert export.DRAW_QUEUED == ("var queued = window.TURNOVER_QUEUE; window.TURNOVER_QUEUE = null; "
                                  "queued.forEach(function (draw) { draw(); });")


def test_bundle_choice(monkeypatch):
    monkeypatch.setattr(export, "_basic_bundle", lambda: "BASIC")
    monkeypatch.setattr(export, "get_plotlyjs", lambda: "FULL")
    assert export.plotly_bundle(set()) == ("basic", "BASIC")
    assert export.plotly_bundle({"scatter", "bar", "pie"}) == ("basic", "BASIC")
    assert export.plotly_bundle({"scatter", "heatmap"}) == ("full", "FULL")
    monkeypatch.setattr(export, "_basic_bundle", lambda: None)
    assert export.plotly_bundle({"scatter"}) == ("full", "FULL")


def test_basic_bundle_version_is_read_from_its_banner(monkeypatch, tmp_path):
    import turnover.ingest.manifest
    import turnover.paths

    (tmp_path / "vendor/plotly.js-basic-dist-min").mkdir(parents=True)
    f = tmp_path / export.BASIC_BUNDLE
    monkeypatch.setattr(turnover.paths, "data_dir", lambda: tmp_path)
    monkeypatch.setattr(turnover.ingest.manifest, "entry", lambda path: {"path": path})
    assert export._basic_bundle() is None  # no file
    f.write_text("/**\n* plotly.js (basic - minified) v9.9.9\n*/ code", encoding="utf-8")
    monkeypatch.setattr(export, "get_plotlyjs_version", lambda: "9.9.9")
    assert export._basic_bundle() == f.read_text(encoding="utf-8")
    monkeypatch.setattr(export, "get_plotlyjs_version", lambda: "9.9.8")
    assert export._basic_bundle() is None
    f.write_text("/**\n* plotly.js v9.9.8\n*/", encoding="utf-8")
    assert export._basic_bundle() is None
    f.write_text("x" * 300 + "plotly.js (basic - minified) v9.9.8", encoding="utf-8")
    assert export._basic_bundle() is None  # the banner must open the file
