"""Display a claim's section in a notebook: header (quote, badges), chart, narrative, sources.

The header output carries ``{"turnover": {"section": <claim id>}}`` in its metadata; the
exporter opens an HTML section with that id there, so every claim gets an anchor.
"""

from __future__ import annotations

import html
import math

from IPython.display import HTML, Markdown, display

from ..claims import Claim
from . import badges, charts, fmt
from .inputs import Inputs
from .provenance import source_line

SECTION_KEY = "turnover"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def _rule_text(claim: Claim) -> str:
    params = ", ".join(f"{k} = {v}" for k, v in claim.rule.params.items())
    return f"{claim.rule.kind} ({params}); window {claim.window.start}–{claim.window.end}"


def header_html(claim: Claim, inp: Inputs, chart: charts.Chart) -> str:
    vintages = {v: inp.as_of(v) for v in claim.vintages}
    reporters = fmt.join([fmt.reporter(r) if r in ("unknown", "all") or len(r) == 3 else r for r in chart.reporters])
    return (
        f'<div class="claim-header" data-claim-id="{html.escape(claim.id)}">'
        f'<h2 class="claim-heading">“{html.escape(claim.quote_en)}”</h2>'
        f'<p class="quote-ru" lang="ru"><i>«{html.escape(claim.quote_ru)}»</i> — '
        f'{html.escape(inp.claims.article.speaker)}</p>'
        f'<p><b>Tested as:</b> {html.escape(claim.claim)}</p>'
        f'<p><b>Rule, written before the results:</b> <code>{html.escape(_rule_text(claim))}</code></p>'
        f'{badges.badges(claim.id, inp.results_for(claim.id), vintages)}'
        f'<p class="reporters"><b>Figures shown:</b> {html.escape(reporters or "none")}</p>'
        "</div>"
    )


def _num(x) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return f"{x:.3g}" if isinstance(x, float) else str(x)


def _md(text: str) -> str:
    """Model text as literal Markdown: "$" would start maths, "*"/"_" emphasis."""
    return "".join("\\" + ch if ch in "$*_`" else ch for ch in text)


def results_markdown(claim: Claim, inp: Inputs) -> str:
    """One bullet per result: vintage, reporter, verdict, the model's summary and test figures."""
    lines = []
    for r in inp.results_for(claim.id):
        extra = [f"{k} = {v}" for k, v in (("p", _num(r.get("p_value"))), ("n", _num(r.get("n_obs")))) if v]
        if r.get("strength"):
            extra.append(f"strength: {r['strength']}")
        lines.append(f"- **{badges.vintage_label(r.get('vintage', '?'), r.get('as_of'))}, "
                     f"{badges.reporter_label(r.get('reporter'))}: {badges.rating_label(r)}.** "
                     f"{_md(r.get('sentence') or r.get('summary') or '')}" + (f" ({_md('; '.join(extra))})" if extra else ""))
        rob = r.get("robustness")
        if isinstance(rob, list) and r.get("reporter") == "all":
            lines += [f"    - robustness, {_md(e['dimension'])}: "
                      f"{ {True: 'agrees', False: 'disagrees', None: 'untested'}[e.get('agrees')]} — {_md(str(e.get('detail', '')))}"
                      for e in rob]
        if r.get("reporter") == "all":  # the headline verdict also lists the data it used
            lines += [f"    - data used: {_md(str(d))}" for d in (r.get("data_used") or [])]
    return "\n".join(lines) or "- No result for this claim."


def claim_section(claim: Claim, inp: Inputs) -> charts.Chart:
    """Display one claim's section and return its chart (for tests and further use)."""
    chart = charts.chart_for(claim, inp)
    display(HTML(header_html(claim, inp, chart)), metadata={SECTION_KEY: {"section": claim.id}})
    chart.fig.show(renderer="plotly_mimetype", config=PLOTLY_CONFIG)
    text = results_markdown(claim, inp)
    if chart.narrative:
        text += "\n\n" + "\n".join(f"- {_md(s)}" for s in chart.narrative)
    display(Markdown(text))
    display(HTML(source_line(chart.rows, chart.facts)))
    return chart


def claims_of(inp: Inputs, kind: str) -> list[Claim]:
    """The claims a group notebook covers; says so when the claims file has none."""
    found = inp.claims_with_rule(kind)
    if not found:
        display(Markdown(f"*This claims file has no claim with rule `{kind}`.*"))
    return found


def overview_table(inp: Inputs) -> str:
    """HTML table: every claim with its quote, both vintages' badges, and a link to its section."""
    rows = []
    for c in inp.claims.claims:
        vintages = {v: inp.as_of(v) for v in c.vintages}
        rows.append(
            f'<tr><td><a href="#{html.escape(c.id)}">{html.escape(c.id)}</a></td>'
            f'<td>“{html.escape(c.quote_en)}”</td>'
            f'<td>{badges.badges(c.id, inp.results_for(c.id), vintages)}</td></tr>')
    return ('<table class="claims-overview"><thead><tr><th>claim</th><th>statement</th>'
            "<th>verdicts</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def article_html(inp: Inputs) -> str:
    a = inp.claims.article
    url = (f'<a href="{html.escape(a.url)}">{html.escape(a.url)}</a>' if a.url
           else f"not printed{': ' + html.escape(a.url_note) if a.url_note else ''}")
    return (
        '<div class="article-meta">'
        f'<p><b>{html.escape(a.outlet)}</b>, {a.date.isoformat()} ({html.escape(a.language)}): '
        f'<i lang="{html.escape(a.language)}">{html.escape(a.title_ru)}</i> — {html.escape(a.title_en)}</p>'
        f"<p><b>Speaker:</b> {html.escape(a.speaker)}</p><p><b>URL:</b> {url}</p>"
        f"<p><b>Country pair:</b> {' – '.join(inp.claims.pair)}; <b>vintages:</b> "
        + ", ".join(f"{k} = {v.isoformat()}" for k, v in inp.claims.vintages.items()) + "</p></div>"
    )


def overview(inp: Inputs) -> charts.Chart:
    """Display the overview: article, claims table, every turnover figure."""
    display(HTML(article_html(inp)))
    for note in inp.notes:
        display(Markdown(f"*Note: {note}*"))
    display(HTML(overview_table(inp)))
    chart = charts.overview(inp)
    chart.fig.show(renderer="plotly_mimetype", config=PLOTLY_CONFIG)
    display(HTML(source_line(chart.rows)))
    return chart
