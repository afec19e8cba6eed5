"""Display a claim's section in a notebook: header (quote, badges), chart, narrative, sources.

The header output carries ``{"turnover": {"section": <claim id>}}`` in its metadata; the
exporter opens an HTML section with that id there, so every claim gets an anchor.
"""

from __future__ import annotations

import math

from IPython.display import HTML, display

from ..claims import Claim
from . import badges, charts, fmt
from .inputs import Inputs
from .provenance import source_line
from .safe import Markup, html, join, link, text

SECTION_KEY = "turnover"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def _rule_text(claim: Claim) -> str:
    params = ", ".join(f"{k} = {v}" for k, v in claim.rule.params.items())
    return f"{claim.rule.kind} ({params}); window {claim.window.start}–{claim.window.end}"


def header_html(claim: Claim, inp: Inputs, chart: charts.Chart) -> Markup:
    vintages = {v: inp.as_of(v) for v in claim.vintages}
    reporters = fmt.join([fmt.reporter(r) if r in ("unknown", "all") or len(r) == 3 else r for r in chart.reporters])
    return html(
        '<div class="claim-header" data-claim-id="{id}">'
        '<h2 class="claim-heading">“{en}”</h2>'
        '<p class="quote-ru" lang="ru"><i>«{ru}»</i> — {speaker}</p>'
        "<p><b>Tested as:</b> {claim}</p>"
        "<p><b>Rule, written before the results:</b> <code>{rule}</code></p>"
        "{badges}"
        '<p class="reporters"><b>Figures shown:</b> {reporters}</p>'
        "</div>",
        id=claim.id, en=claim.quote_en, ru=claim.quote_ru, speaker=inp.claims.article.speaker,
        claim=claim.claim, rule=_rule_text(claim),
        badges=badges.badges(claim.id, inp.results_for(claim.id), vintages), reporters=reporters or "none")


def _num(x) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return f"{x:.3g}" if isinstance(x, float) else str(x)


def results_html(claim: Claim, inp: Inputs) -> Markup:
    """One list item per result: vintage, reporter, verdict, the model's summary and test figures.

    Model text is shown as literal text (escaped), whatever it contains.
    """
    items = []
    for r in inp.results_for(claim.id):
        extra = [f"{k} = {v}" for k, v in (("p", _num(r.get("p_value"))), ("n", _num(r.get("n_obs")))) if v]
        if r.get("strength"):
            extra.append(f"strength: {r['strength']}")
        head = (f"{badges.vintage_label(r.get('vintage', '?'), r.get('as_of'))}, "
                f"{badges.reporter_label(r.get('reporter'))}: {badges.rating_label(r)}.")
        body = str(r.get("sentence") or r.get("summary") or "") + (f" ({'; '.join(extra)})" if extra else "")
        used = ""
        rob = r.get("robustness")
        if isinstance(rob, list) and rob and r.get("reporter") == "all":
            word = {True: "agrees", False: "disagrees", None: "untested"}
            used = html('<ul class="robustness">{}</ul>', join(
                html("<li>robustness, {}: {} — {}</li>", e.get("dimension", ""), word.get(e.get("agrees"), "untested"),
                     str(e.get("detail", ""))) for e in rob))
        if r.get("reporter") == "all":  # the headline verdict also lists the data it used
            used = html('<ul class="data-used">{}</ul>',
                        join(html("<li>data used: {}</li>", d) for d in (r.get("data_used") or [])))
        items.append(html("<li><b>{}</b> {}{}</li>", head, body, used))
    if not items:
        items = [html("<li>No result for this claim.</li>")]
    return html('<ul class="results">{}</ul>', join(items))


def narrative_html(lines: list[str]) -> Markup:
    return html('<ul class="narrative">{}</ul>', join(html("<li>{}</li>", s) for s in lines)) if lines else Markup("")


def claim_section(claim: Claim, inp: Inputs) -> charts.Chart:
    """Display one claim's section and return its chart (for tests and further use)."""
    chart = charts.chart_for(claim, inp)
    display(HTML(header_html(claim, inp, chart)), metadata={SECTION_KEY: {"section": claim.id}})
    chart.fig.show(renderer="plotly_mimetype", config=PLOTLY_CONFIG)
    display(HTML(results_html(claim, inp) + narrative_html(chart.narrative)))
    display(HTML(source_line(chart.rows, chart.facts)))
    return chart


def claims_of(inp: Inputs, kind: str) -> list[Claim]:
    """The claims a group notebook covers; says so when the claims file has none."""
    found = inp.claims_with_rule(kind)
    if not found:
        display(HTML(html("<p><i>This claims file has no claim with rule <code>{}</code>.</i></p>", kind)))
    return found


def overview_table(inp: Inputs) -> Markup:
    """HTML table: every claim with its quote, both vintages' badges, and a link to its section."""
    rows = []
    for c in inp.claims.claims:
        vintages = {v: inp.as_of(v) for v in c.vintages}
        rows.append(html('<tr><td><a href="#{id}">{id}</a></td><td>“{quote}”</td><td>{badges}</td></tr>',
                         id=c.id, quote=c.quote_en, badges=badges.badges(c.id, inp.results_for(c.id), vintages)))
    return html('<table class="claims-overview"><thead><tr><th>claim</th><th>statement</th>'
                "<th>verdicts</th></tr></thead><tbody>{}</tbody></table>", join(rows))


def article_html(inp: Inputs) -> Markup:
    a = inp.claims.article
    url = (link(a.url) if a.url
           else html("not printed{}", (": " + a.url_note) if a.url_note else ""))
    vintages = ", ".join(f"{k} = {v.isoformat()}" for k, v in inp.claims.vintages.items())
    return html(
        '<div class="article-meta">'
        '<p><b>{outlet}</b>, {date} ({lang}): <i lang="{lang}">{title_ru}</i> — {title_en}</p>'
        "<p><b>Speaker:</b> {speaker}</p><p><b>URL:</b> {url}</p>"
        "<p><b>Country pair:</b> {pair}; <b>vintages:</b> {vintages}</p></div>",
        outlet=a.outlet, date=a.date.isoformat(), lang=a.language, title_ru=a.title_ru, title_en=a.title_en,
        speaker=a.speaker, url=url, pair=" – ".join(inp.claims.pair), vintages=vintages)


def overview(inp: Inputs) -> charts.Chart:
    """Display the overview: article, claims table, every turnover figure."""
    display(HTML(article_html(inp)))
    for note in inp.notes:
        display(HTML(html("<p><i>Note: {}</i></p>", note)))
    display(HTML(overview_table(inp)))
    chart = charts.overview(inp)
    chart.fig.show(renderer="plotly_mimetype", config=PLOTLY_CONFIG)
    display(HTML(source_line(chart.rows)))
    return chart
