"""Executed notebooks -> one self-contained HTML page.

Code is hidden; markdown and outputs are kept. plotly.js is inlined once, at the end of the
body, and every figure is drawn from its JSON, so the file opens from disk with no network. The
bundle is most of the page: in the head it held back the first paint until it was parsed and
run; at the end, run from a blob: URL (``RUN_BUNDLE``), the text paints first, and each figure's
script queues its drawing (``turnoverDraw``, defined in the head) until the bundle has run. When every
figure uses only traces of plotly's "basic" partial bundle (scatter, bar, pie) and the
vendored bundle is the installed plotly's plotly.js version, that bundle is inlined
(1.2 MB instead of 4.8 MB, first paint about twice as fast); otherwise the full one. A
display output whose metadata names a section (``show.SECTION_KEY``) opens
``<section id=claim-id>``, closed at the next section or the end of the cell.
"""

from __future__ import annotations

import datetime as dt
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from ..claims import ClaimsFile
from .execute import Executed
from .safe import html, join, text
from .show import PLOTLY_CONFIG, SECTION_KEY
from .style import CSS as REPORT_CSS

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# npm package plotly.js-basic-dist-min, vendored with its LICENSE and listed (sha256) in
# data/manifest.yaml. Update with plotly: `npm pack plotly.js-basic-dist-min@<version>` where
# <version> is plotly.offline.get_plotlyjs_version(), copy plotly-basic.min.js, LICENSE and
# package.json here, then `python -m turnover.ingest.manifest --update`. Until then the version check
# below makes reports fall back to the full bundle.
BASIC_BUNDLE = "vendor/plotly.js-basic-dist-min/plotly-basic.min.js"
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})  # the trace modules the basic bundle holds
CSS = """
body{font:15px/1.5 system-ui,sans-serif;color:#1f2328;max-width:1100px;margin:0 auto;padding:0 20px 60px}
h1{font-size:22px;margin:16px 0 4px} h2{font-size:20px;margin:24px 0 6px}
nav.toc{font-size:13px;border-bottom:1px solid #ddd;padding:6px 0 10px} nav.toc a{margin-right:12px}
article.notebook{border-top:2px solid #d0d7de;margin-top:12px}
section.claim{border:1px solid #d0d7de;border-radius:6px;padding:8px 16px;margin:18px 0}
table.claims-overview{border-collapse:collapse;font-size:14px} table.claims-overview td,table.claims-overview th
{border-bottom:1px solid #eee;padding:6px 8px;text-align:left;vertical-align:top}
pre{background:#f6f8fa;padding:8px;overflow-x:auto} .quote-ru{color:#444}
a.anchor-link{display:none}
"""


def _heading_id(text: str) -> str:
    """A heading's id as Jupyter's HTML export names it: its text, spaces as hyphens."""
    return re.sub(r"\s+", "-", text.strip())


# CommonMark with tables, from markdown-it-py (jupytext's own parser; nbconvert's converter cost
# 0.1 s of imports per refresh). Raw HTML is shown as text: the notebooks' markdown holds none,
# and model or claims text in a Markdown output must never become markup.
_MD = (MarkdownIt("commonmark", {"html": False}).enable("table")
       .use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_id))


def _markdown(text: str, prefix: str) -> str:
    # heading ids from markdown are prefixed so they never clash with claim ids
    out = _MD.render(text)
    return re.sub(r'(<h[1-6] id=")', lambda m: f"{m.group(1)}{prefix}-", out)


def _js(obj) -> str:
    # JSON inside <script>: "</" would end the script early
    return to_json_plotly(obj).replace("</", "<\\/")


def _figure(spec: dict, div_id: str, templates: dict[str, str]) -> str:
    """A div and the script that draws it; the layout's template is shared, not repeated.

    Every figure carries its whole template (~8 kB); the page defines each distinct
    template once in ``window.TURNOVER_TEMPLATES`` and figures refer to it by name.
    """
    config = {**PLOTLY_CONFIG, **(spec.get("config") or {})}
    layout = dict(spec.get("layout") or {})
    template = layout.pop("template", None)
    ref = "{}"
    if template is not None:
        name = templates.setdefault(_js(template), f"t{len(templates)}")
        ref = f"window.TURNOVER_TEMPLATES.{name}"
    height = layout.get("height") or 450
    return (
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{int(height)}px;width:100%"></div>'
        f'<script type="text/javascript">turnoverDraw(function () {{Plotly.newPlot("{div_id}", '
        f'{_js(spec.get("data") or [])}, Object.assign({_js(layout)}, {{template: {ref}}}), {_js(config)});}});</script>'
    )


# In the head: figures met before plotly.js has run wait in a queue (plotly.js is at the end of the body).
DRAW_QUEUE = ('<script type="text/javascript">window.TURNOVER_QUEUE = [];'
              "function turnoverDraw(draw) { if (window.TURNOVER_QUEUE) window.TURNOVER_QUEUE.push(draw); else draw(); }"
              "</script>")
# After plotly.js and the templates: draw the queued figures in page order, and any later one at once.
DRAW_QUEUED = ("var queued = window.TURNOVER_QUEUE; window.TURNOVER_QUEUE = null;"
               " queued.forEach(function (draw) { draw(); });")
# plotly.js sits at the end of the body as text the parser skips (type="text/plain"), and runs from
# a blob: URL. Fetching a script is asynchronous, so the page is painted before plotly.js is
# compiled, and the script still holds the load event until it has run and the figures are drawn.
# (Inline at the end of the body, Chromium compiled it before the first paint in about half the
# loads: first paint 150-190 ms or 300-420 ms; run from a blob, 130-250 ms.) Where a browser
# refuses the blob, the text runs inline instead.
BUNDLE_ID = "turnover-plotly-js"
RUN_BUNDLE = ("(function () { var text = document.getElementById('" + BUNDLE_ID + "').textContent,"
              " script = document.createElement('script');"
              " function drawn() { " + DRAW_QUEUED + " }"
              " script.onload = drawn;"
              " script.onerror = function () { var inline = document.createElement('script'); inline.text = text;"
              " document.head.appendChild(inline); drawn(); };"
              " script.src = URL.createObjectURL(new Blob([text], {type: 'text/javascript'}));"
              " document.body.appendChild(script); })();")


def _basic_bundle() -> str | None:
    """The vendored basic bundle's text if it is the installed plotly's plotly.js version."""
    from ..ingest.manifest import entry
    from ..paths import data_dir

    path = data_dir() / BASIC_BUNDLE
    if not path.exists():
        return None
    entry(BASIC_BUNDLE)  # checks the sha256 against the manifest
    js = path.read_text(encoding="utf-8")
    m = re.search(r"plotly\.js \(basic - minified\) v(\S+)", js[:300])
    return js if m and m.group(1) == get_plotlyjs_version() else None


def plotly_bundle(trace_types: set[str]) -> tuple[str, str]:
    """("basic" or "full", the plotly.js source) for figures drawing ``trace_types``."""
    if trace_types <= BASIC_TRACES:
        js = _basic_bundle()
        if js is not None:
            return "basic", js
    return "full", get_plotlyjs()


def _output(o: dict, fig_id: str, md_prefix: str, templates: dict[str, str]) -> str:
    kind = o.get("output_type")
    if kind == "stream":
        return "" if o.get("name") == "stderr" else html("<pre>{}</pre>", o.get("text", ""))
    if kind == "error":
        return html("<pre class='error'>{}: {}</pre>", o.get("ename", ""), o.get("evalue", ""))
    data = o.get("data", {})
    if PLOTLY_MIME in data:
        return _figure(data[PLOTLY_MIME], fig_id, templates)
    if "text/html" in data:  # built by the notebooks with turnover.report.safe, so already escaped
        return "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
    if "text/markdown" in data:
        return _markdown(data["text/markdown"], md_prefix)
    if "image/png" in data:
        return html('<img alt="figure" src="data:image/png;base64,{}">', data["image/png"])
    if "text/plain" in data:
        return html("<pre>{}</pre>", data["text/plain"])
    return ""


def _notebook(ex: Executed, templates: dict[str, str], traces: set[str]) -> tuple[str, int]:
    parts, open_section, n_fig = [html('<article class="notebook" id="nb-{}">', ex.name)], False, 0
    for i, cell in enumerate(ex.notebook.cells):
        if cell.cell_type == "markdown":
            parts.append(_markdown(cell.source, f"{ex.name}-{i}"))
            continue
        if cell.cell_type != "code":
            continue
        for j, o in enumerate(cell.get("outputs", [])):
            section = (o.get("metadata") or {}).get(SECTION_KEY, {}).get("section")
            if section:
                if open_section:
                    parts.append("</section>")
                parts.append(html('<section class="claim" id="{}">', section))
                open_section = True
            if PLOTLY_MIME in o.get("data", {}):
                n_fig += 1
                traces.update(t.get("type", "scatter") for t in o["data"][PLOTLY_MIME].get("data") or [])
            parts.append(_output(o, f"fig-{ex.name}-{i}-{j}", f"{ex.name}-{i}-{j}", templates))
        if open_section:
            parts.append("</section>")
            open_section = False
    parts.append("</article>")
    return "\n".join(parts), n_fig


def _title(ex: Executed) -> str:
    for cell in ex.notebook.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                return m.group(1).strip()
    return ex.name


def to_html(executed: list[Executed], claims: ClaimsFile, generated: dt.date, head: str = "") -> str:
    """The report page for ``executed`` notebooks (in order); ``head`` is extra markup for <head>."""
    templates: dict[str, str] = {}  # template JSON -> name, filled while rendering
    traces: set[str] = set()  # trace types drawn, to pick the plotly.js bundle
    bodies, n_figs = zip(*(_notebook(ex, templates, traces) for ex in executed)) if executed else ((), ())
    a = claims.article
    toc = join((html('<a href="#nb-{}">{}</a>', ex.name, _title(ex)) for ex in executed), " ")
    figures = sum(n_figs) > 0
    plotly_js = (f'<script type="text/plain" id="{BUNDLE_ID}">{plotly_bundle(traces)[1]}</script>'
                 '<script type="text/javascript">window.TURNOVER_TEMPLATES = {'
                 + ", ".join(f"{name}: {js}" for js, name in templates.items()) + "};" + RUN_BUNDLE + "</script>\n"
                 if figures else "")
    # str() before concatenating: "text" + Markup would escape the text
    title = str(html("<title>Fact check: {} ({}, {})</title>", a.title_en, a.outlet, a.date.isoformat()))
    # the outlet and date are in the article box right below: the header line names the check only
    header = str(html("<header><h1>Fact check: {}</h1><p>Checked against official statistics; "
                      "report generated {} by <code>python -m turnover.refresh</code>.</p>"
                      '<nav class="toc">{}</nav></header>',
                      a.title_en, generated.isoformat(), toc))
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"{title}{head}<style>{CSS}{REPORT_CSS}</style>{DRAW_QUEUE if figures else ''}</head><body>{header}\n"
        + "\n".join(bodies) + f"\n{plotly_js}</body></html>\n"
    )
