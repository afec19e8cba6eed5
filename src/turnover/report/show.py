"""Display the report's parts in a notebook: the verdicts first, then one section per claim, then sources.

The header output of a claim carries ``{"turnover": {"section": <claim id>}}`` in its
metadata; the exporter opens an HTML section with that id there, so every claim gets an
anchor. All wording comes from the claims and article files, the verdict records and the data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict

import pandas as pd

from IPython.display import HTML, Markdown, display

from ..claims import Claim
from . import charts, rating
from ..text import fmt, labels as names, render
from ..text import overview as overview_words
from ..text.caveats import disagreement
from ..text.rules import rule_sentences
from .inputs import Inputs
from .plotted import data_uri
from .provenance import source_line
from .safe import link, safe_url, text

SECTION_KEY = "turnover"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def esc(value) -> str:
    """Escaped text (the report's one escaping helper, ``safe.text``) as a plain string."""
    return str(text(value))


def vintage_heading(inp: Inputs, vintage: str) -> str:
    """'As of 31 May 2016', 'Today (4 December 2026)' (the text layer's one vintage wording)."""
    return render.vintage_phrase(vintage, inp.as_of(vintage), style="heading")


def _verdict_cell(inp: Inputs, claim_id: str, vintage: str) -> str:
    """The claim's rating chip for one vintage and its finding, rendered from the typed verdict
    (the date and rating are beside it); a record without one shows its sentence as written."""
    record = rating.headline(inp.results, claim_id, vintage)
    if record is None:
        return f'<div class="said">{rating.chip(None)}<p class="sentence">No result for this date.</p></div>'
    v = inp.verdict(claim_id, vintage)
    said = render.shown_finding(v) if v is not None else record["sentence"]
    # "said" holds chip and sentence: the first screen clamps it to a few lines (the section shows it whole)
    return (f'<div class="said">{rating.chip(record["rating"], record.get("rating_label"))}'
            f'<p class="sentence">{esc(said)}</p></div>' + _caveat(v))


def _later_caveat(inp: Inputs, claim: Claim, vintage: str) -> str:
    """A later date's caveat under "Same rating.", unless it is the first date's word for word."""
    said = _caveat(inp.verdict(claim.id, vintage))
    return "" if said == _caveat(inp.verdict(claim.id, claim.vintages[0])) else said


def _caveat(v) -> str:
    """The checks that disagree with the rating, in one line beside it (empty when all agree)."""
    said = disagreement(v) if v is not None else None
    return f'<p class="caveat">{esc(said)}</p>' if said else ""


def _vintages(inp: Inputs) -> list[str]:
    seen = [v for c in inp.claims.claims for v in c.vintages]
    return [v for v in inp.claims.vintages if v in seen]


def article_html(inp: Inputs) -> str:
    a = inp.claims.article
    ok = safe_url(a.url)
    title = str(link(a.url, a.title_en))
    return (
        '<div class="article-box">'
        f'<p class="article-line"><b>{esc(a.outlet)}</b>, {fmt.date(a.date)}: “{title}”'
        + (f' <span class="lang" lang="{esc(a.language)}">({esc(a.title_ru)})</span>' if a.title_ru else "")
        + '</p>'
        f'<p class="speaker">Speaker: {esc(a.speaker)}</p>'
        + ("" if ok else f'<p class="speaker">Link: not printed{": " + esc(a.url_note) if a.url_note else ""}</p>')
        + "</div>"
    )


def _quote_cell(claim: Claim) -> str:
    """The quote, linking to the claim's section when it has one."""
    q = f"“{esc(claim.quote_en)}”"
    return f'<a href="#{esc(claim.id)}">{q}</a>' if has_section(claim) else q


def _same_as_first(inp: Inputs, claim: Claim, vintage: str) -> bool:
    """A later date's claim-level rating is the first date's (the cell then says so in a line)."""
    first = claim.vintages[0]
    if vintage == first:
        return False
    a, b = rating.headline(inp.results, claim.id, first), rating.headline(inp.results, claim.id, vintage)
    return a is not None and b is not None and a.get("rating") == b.get("rating")


def verdict_table(inp: Inputs) -> str:
    """The first screen: each statement (words someone said) with its rating and one sentence at the
    article's date, and at later dates a chip with a one-line note when the rating is the same
    (the finding when it differs); the quote links to the chart. Questions are not rated here
    (``context_html``)."""
    said = inp.claims.statements
    seen = [v for c in said for v in c.vintages]
    vintages = [v for v in inp.claims.vintages if v in seen]
    head = "".join(f'<th scope="col">{esc(vintage_heading(inp, v))}</th>' for v in vintages)
    rows = []
    for c in said:
        cells = []
        for v in vintages:
            if v not in c.vintages:
                cells.append(f'<td data-vintage="{esc(v)}">—</td>')
            elif _same_as_first(inp, c, v):
                record = rating.headline(inp.results, c.id, v)
                cells.append(f'<td data-vintage="{esc(v)}" class="same">'
                             f'{rating.chip(record["rating"], record.get("rating_label"))}'
                             f'<p class="sentence">{esc(overview_words.same_rating())}</p>'
                             f'{_later_caveat(inp, c, v)}</td>')
            else:
                cells.append(f'<td data-vintage="{esc(v)}">' + _verdict_cell(inp, c.id, v) + "</td>")
        rows.append(f'<tr data-claim="{esc(c.id)}"><th scope="row">{_quote_cell(c)}</th>{"".join(cells)}</tr>')
    return (f'<table class="verdicts"><caption>{esc(overview_words.statements_checked(len(said)))}</caption>'
            f'<thead><tr><th scope="col">Statement</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _finding_line(inp: Inputs, claim: Claim, vintage: str) -> str:
    """A question's finding at one date, without a rating: the typed verdict's finding, else the record's sentence."""
    v = inp.verdict(claim.id, vintage)
    if v is not None:
        said = render.shown_finding(v)
    else:
        record = rating.headline(inp.results, claim.id, vintage)
        said = record["sentence"] if record and record.get("sentence") else "No result for this date."
    return (f'<p class="finding" data-vintage="{esc(vintage)}"><span class="when">{esc(vintage_heading(inp, vintage))}:'
            f'</span> {esc(said)}</p>')


def context_html(inp: Inputs) -> str:
    """The Context part below the statements: each analyst's question in plain words, the quote
    that prompted it and its findings per date — no rating chips. Empty without questions."""
    qs = inp.claims.questions
    if not qs:
        return ""
    items = "".join(
        f'<li data-question="{esc(c.id)}"><p class="question">'
        + (f'<a href="#{esc(c.id)}">{esc(c.question)}</a>' if has_section(c) else esc(c.question))
        + f'</p><p class="prompted">{esc(overview_words.prompted_by(c.quote_en))}</p>'
        + "".join(_finding_line(inp, c, v) for v in c.vintages) + "</li>" for c in qs)
    return (f'<div class="context-part"><h3>{esc(overview_words.CONTEXT_TITLE)}</h3>'
            f'<p class="context-intro">{esc(overview_words.context_intro(len(qs)))}</p>'
            f'<ul class="questions">{items}</ul></div>')


def overview(inp: Inputs) -> None:
    """The first screen: the article, then every statement's ratings and sentences; the analyst's
    questions below, as findings (the Context part)."""
    display(HTML(article_html(inp) + verdict_table(inp) + context_html(inp)))
    for note in inp.notes:
        display(Markdown(f"*Note: {_md(note)}*"))


def _md(text: str) -> str:
    """Model text as literal Markdown: "$" would start maths, "*"/"_" emphasis."""
    return "".join("\\" + ch if ch in "$*_`" else ch for ch in text)


def _num(x) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return f"{x:.3g}" if isinstance(x, float) else str(x)


def _robustness(rob) -> str:
    """The robustness list (or a legacy dict) as short lines."""
    if isinstance(rob, list):
        marks = {True: "agrees", False: "disagrees", None: "not tested"}
        return "<br>".join(f"{esc(str(x.get('dimension', '?')))}: {marks.get(x.get('agrees'), '?')}"
                           + (f" — {esc(str(x.get('detail')))}" if x.get("detail") else "") for x in rob)
    if isinstance(rob, dict) and rob.get("label"):
        return esc(str(rob["label"]))
    return ""


def details_html(claim: Claim, inp: Inputs) -> str:
    """Per-reporter results, robustness and the rule, collapsed."""
    order = {"all": 0, **{r: i for i, r in enumerate(inp.claims.pair, start=1)}}
    recs = sorted((rating.normalise(r) for r in inp.results_for(claim.id)),
                  key=lambda r: (list(claim.vintages).index(r.get("vintage")) if r.get("vintage") in claim.vintages else 9,
                                 order.get(r.get("reporter"), 8)))
    rows, rated = [], claim.is_statement  # a question's findings carry no rating chips, grades or robustness
    for r in recs:
        said = r.get("finding") or r.get("sentence") or ""
        numbers = r.get("numbers") or "; ".join(
            f"{k} = {v}" for k, v in (("p", _num(r.get("p_value"))), ("n", _num(r.get("n_obs")))) if v)
        extra = f"<br><i>numbers:</i> {esc(numbers)}" if numbers else ""
        if rated:
            extra += "".join(f"<br><i>{esc(label)}:</i> {esc(str(r[key]))}" for key, label in
                             (("strength", "strength"), ("basis", "basis")) if r.get(key))
        if r.get("not_checked"):
            extra += "<br><i>not checked:</i> " + esc("; ".join(map(str, r["not_checked"])))
        rows.append(f'<tr data-vintage="{esc(str(r.get("vintage")))}" data-reporter="{esc(str(r.get("reporter")))}">'
                    f"<td>{esc(vintage_heading(inp, r['vintage']) if r.get('vintage') in inp.claims.vintages else str(r.get('vintage')))}</td>"
                    f"<td>{esc(names.reporter(r.get('reporter')))}</td>"
                    + (f"<td>{rating.chip(r['rating'], r.get('rating_label'), small=True)}</td>" if rated else "")
                    + f"<td>{esc(said)}{extra}</td>"
                    + (f"<td>{_robustness(r.get('robustness'))}</td>" if rated else "") + "</tr>")
    heads = ["Date", "Whose figures"] + (["Rating", "Why", "Robustness"] if rated else ["Finding"])
    table = (f'<table class="details"><thead><tr>{"".join(f"<th>{h}</th>" for h in heads)}</tr></thead><tbody>'
             f'{"".join(rows) or f"<tr><td colspan={len(heads)}>No result.</td></tr>"}</tbody></table>')
    label = "Per reporter and robustness" if rated else "Per reporter"
    what = "statement was tested" if rated else "question was answered"
    return (f'<details class="per-reporter"><summary>{label}</summary>{table}</details>'
            f'<details class="method"><summary>How this {what}</summary>'
            f"<p><b>Tested as:</b> {esc(claim.claim)}</p>"
            f'<p class="rule"><b>Rule, written before the results:</b> '
            f'{esc(" ".join(rule_sentences(claim.rule, claim.window.start, graded=rated)))} '
            f"Years tested: {claim.window.start}–{claim.window.end}.</p>"
            + (f'<p class="quote-ru" lang="{esc(inp.claims.article.language)}">«{esc(claim.quote_ru)}» — '
               f'{esc(inp.claims.article.speaker)}</p>' if claim.quote_ru else "") + "</details>")


def header_html(claim: Claim, inp: Inputs) -> str:
    if not claim.is_statement:  # a question: its words, the quote that prompted it, findings without a rating
        lines = "".join(_finding_line(inp, claim, v) for v in claim.vintages)
        return (f'<div class="claim-header question" data-claim-id="{esc(claim.id)}">'
                f'<h2 class="claim-heading">{esc(overview_words.question_heading(claim.question))}</h2>'
                f'<p class="prompted">{esc(overview_words.prompted_by(claim.quote_en))}</p>'
                f'<div class="claim-findings">{lines}</div></div>')
    cells = "".join(
        f'<div class="vintage" data-vintage="{esc(v)}"><span class="when">{esc(vintage_heading(inp, v))}</span> '
        + _verdict_cell(inp, claim.id, v) + "</div>" for v in claim.vintages)
    return (f'<div class="claim-header" data-claim-id="{esc(claim.id)}">'
            f'<h2 class="claim-heading">“{esc(claim.quote_en)}”</h2><div class="claim-verdicts">{cells}</div></div>')


def csv_link(chart: charts.Chart) -> str:
    return (f'<a class="csv-link" download="{esc(chart.claim_id)}.csv" href="{esc(data_uri(chart.data))}">'
            f"Download data (CSV, {len(chart.data)} values)</a>")


def chart_block(chart: charts.Chart) -> None:
    """The chart in a captioned figure with its source line and data link; a note when empty."""
    if chart.empty:
        display(HTML(f'<p class="empty-chart" role="note">{esc(chart.note or chart.finding)}</p>'))
        return
    display(HTML(f'<figure class="chart" role="group" aria-label="{esc(chart.finding)}">'))
    chart.fig.show(renderer="plotly_mimetype", config=PLOTLY_CONFIG)
    display(HTML(f'<figcaption class="sr-only">{esc(chart.finding)}. {esc(chart.subtitle)}.</figcaption></figure>'
                 f'<div class="chart-foot">{str(source_line(chart.rows, chart.facts))}{csv_link(chart)}</div>'))


# Charts drawn by the claim notebooks, reused by the sources section instead of drawn again
# (≈ 1.2 s of a refresh). Keyed by the inputs' file key: a new refresh stages new files.
# The least recently used chart goes past DRAWN_MAX: far more than any claims file has, so each
# chart of a refresh is drawn once (emptying the memo at 64 redrew every chart of an 80-claim
# file in the sources section), while a long JupyterLab session does not keep every chart.
DRAWN_MAX = 1024
_DRAWN: OrderedDict[tuple, charts.Chart] = OrderedDict()


def has_section(claim: Claim) -> bool:
    """Whether the claim gets a section with a chart (a rule kind the charts draw); an event record
    (``event_record``) is shown on the first screen only, its sources named in its sentence."""
    return claim.rule.kind in charts.BUILDERS


def _chart(claim: Claim, inp: Inputs) -> charts.Chart | None:
    if not has_section(claim):
        return None
    if inp.key is None:
        return charts.chart_for(claim, inp)
    k = (inp.key, claim.id)
    if k in _DRAWN:
        _DRAWN.move_to_end(k)
        return _DRAWN[k]
    chart = _DRAWN[k] = charts.chart_for(claim, inp)
    while len(_DRAWN) > DRAWN_MAX:
        _DRAWN.popitem(last=False)
    return chart


def claim_section(claim: Claim, inp: Inputs) -> charts.Chart | None:
    """Display one claim's section and return its chart (for tests and further use; None for a
    rule kind without a chart)."""
    chart = _chart(claim, inp)
    display(HTML(header_html(claim, inp)), metadata={SECTION_KEY: {"section": claim.id}})
    if chart is None:
        display(HTML(details_html(claim, inp)))
        return None
    chart_block(chart)
    if chart.narrative:
        display(Markdown("\n".join(f"- {_md(s)}" for s in chart.narrative)))
    display(HTML(details_html(claim, inp)))
    return chart


def _context_year(claim: Claim, inp: Inputs) -> int | None:
    """The latest full year both reporters' ratings used at the first vintage (the article's date)."""
    years = [((r.get("statistic") or {}).get("latest_year")) for r in inp.results
             if r.get("claim_id") == claim.id and r.get("vintage") == claim.vintages[0]
             and r.get("reporter") in inp.claims.pair]
    years = [int(y) for y in years if y is not None]
    return min(years) if years else None


def context_block(claim: Claim, inp: Inputs):
    """A minimal display of the context from all pairs (``model.context.pair_context``) under a
    turnover statement: one sentence and the small table; returns the ``PairContext`` (or None).
    The text layer words it (``text.render.pair_context_sentence``); the numbers stay in the returned dataclass."""
    year = _context_year(claim, inp)
    if year is None:
        return None
    from ..errors import TurnoverError
    from ..model.context import pair_context

    try:
        ctx = pair_context(tuple(inp.claims.pair), year)
    except (TurnoverError, OSError, KeyError) as err:  # no matrix can be built: say so, publish the rest
        display(HTML(f'<p class="pair-context" role="note">Context from all pairs not available: {esc(err)}</p>'))
        return None
    t = ctx.table
    head = "".join(f"<th>{esc(c)}</th>" for c in t.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc('' if pd.isna(v) else (f'{v:,.1f}' if isinstance(v, float) else v))}</td>"
                                    for v in row) + "</tr>" for row in t.itertuples(index=False))
    display(HTML('<details class="pair-context"><summary>Context from all pairs (IMF DOTS, every reporter): '
                 f"{esc(render.pair_context_sentence(ctx))}</summary>"
                 '<div style="overflow-x:auto;max-width:100%">'
                 f'<table class="details"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>'))
    return ctx


def claims_of(inp: Inputs, kind: str) -> list[Claim]:
    """The claims a group notebook covers; says so when the claims file has none."""
    found = inp.claims_with_rule(kind)
    if not found:
        display(Markdown(f"*This claims file has no statement tested with the rule `{kind}`.*"))
    return found


def sources(inp: Inputs, generated: dt.date | None = None) -> None:
    """How to cite the report, and every source behind its charts with publisher, date and terms."""
    from . import citation

    shown = [ch for ch in (_chart(c, inp) for c in inp.claims.claims) if ch is not None]
    display(HTML(citation.cite_html(inp, generated or inp.today) + citation.sources_html(shown)))
