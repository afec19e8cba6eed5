"""The verdict-first page parts: article box, rating table, a claim's header and details, chart foot."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from markupsafe import escape

from turnover.report import charts, citation, inputs, plotted, rating, show


def _inp(panel, claims, results):
    return inputs.Inputs.of(panel=panel, results=results, claims=claims, facts=inputs.context_facts(),
                         today=dt.date(2026, 11, 25))


def _rec(claim_id, vintage, reporter="all", r="half_true", sentence="Half true: one side fell, the other rose."):
    return {"claim_id": claim_id, "vintage": vintage, "as_of": "2016-05-31", "reporter": reporter, "rating": r,
            "rating_label": rating.label(r), "sentence": sentence, "strength": "weak", "basis": "BLR's figures",
            "not_checked": ["deflation"], "robustness": [
                {"dimension": "reporters", "agrees": False, "detail": "one reporter disagrees"},
                {"dimension": "windows", "agrees": None, "detail": "only one window"}]}


def test_table_shows_each_statement_with_its_rating_and_sentence_per_vintage(bundled_panel, claims):
    first = claims.claims[0]
    results = [_rec(first.id, "as_of_article", r="mostly_false", sentence="On <b>BLR</b>'s figures it fell 40%."),
               _rec(first.id, "today", r="true"), _rec(first.id, "today", reporter="BLR", r="false")]
    html = show.verdict_table(_inp(bundled_panel, claims, results))
    assert '<caption>4 statements checked against official statistics</caption>' in html
    for c in claims.statements:  # issue 21: only statements are rated; a quote links to its section when it has one
        shown = f'<a href="#{c.id}">“{escape(c.quote_en)}”</a>' if show.has_section(c) else f"“{escape(c.quote_en)}”"
        assert shown in html and f'<tr data-claim="{c.id}">' in html
    for c in claims.questions:  # never a rating beside a quote: the Context part has them
        assert f'data-claim="{c.id}"' not in html
    context = show.context_html(_inp(bundled_panel, claims, results))
    assert context.count("<li data-question=") == len(claims.questions) == 2
    assert "Context" in context and 'class="rating' not in context
    for c in claims.questions:
        assert escape(c.question) in context
    row = html[html.index(f'data-claim="{first.id}"'):html.index("</tr>", html.index(f'data-claim="{first.id}"'))]
    assert ">Mostly false</span>" in row and ">True</span>" in row and ">False</span>" not in row  # claim level only
    assert "On &lt;b&gt;BLR&lt;/b&gt;&#39;s figures it fell 40%." in row
    # the run's today (2026-11-25) caps the claims file's "today" vintage: one date for the whole run
    assert html.index("As of 31 May 2016") < html.index("Today (25 November 2026)")  # the text layer's vintage wording
    second = claims.claims[1].id
    other = html[html.index(f'data-claim="{second}"'):]
    assert other.count('data-rating="not_evaluated"') >= 2 and "No result for this date." in other


def test_the_table_drops_a_lead_that_repeats_date_and_rating(full_panel, bundled_panel, claims):
    """Beside the chip: the typed verdict's finding, rendered by the text layer without the date and
    rating lead; a record that has no typed verdict (hand-made, or from an older file) keeps its sentence."""
    from turnover import model
    from turnover.text.render import finding

    typed = model.verdicts(full_panel, claims, today=dt.date(2026, 11, 25))
    inp = inputs.Inputs.of(panel=full_panel, results=[], claims=claims, facts=inputs.context_facts(),
                           today=dt.date(2026, 11, 25), verdicts=typed)
    top = inp.verdict("declining-turnover", "as_of_article")
    r = next(x for x in inp.results if (x["claim_id"], x["vintage"], x["reporter"]) ==
             ("declining-turnover", "as_of_article", "all"))
    said = finding(top)
    assert r["sentence"].endswith(f" — {said}.") and said.startswith("turnover fell ")
    html = show.verdict_table(inp)
    assert f'<p class="sentence">{said[:1].upper() + said[1:]}.</p>' in html.replace("&#39;", "'")
    other = {"claim_id": "declining-turnover", "vintage": "as_of_article", "reporter": "all", "rating": "false",
             "rating_label": "False", "sentence": "As of 31 May 2016: true — x."}
    html = show.verdict_table(_inp(bundled_panel, claims, [other]))
    assert '<p class="sentence">As of 31 May 2016: true — x.</p>' in html  # no typed verdict: the sentence as written


def test_a_record_without_a_rating_is_not_evaluated():
    r = rating.normalise({"claim_id": "c", "vintage": "today", "reporter": "all", "verdict": "supported", "summary": "x"})
    assert r["rating"] is None and r["rating_label"] == "Not evaluated"
    assert 'data-rating="not_evaluated"' in rating.chip(None)
    for key, (label, value, _, _) in rating.SCALE.items():
        assert f">{label}</span>" in rating.chip(key)


def test_article_box_links_only_http_urls_and_names_the_speaker(bundled_panel, claims):
    html = show.article_html(_inp(bundled_panel, claims, []))
    a = claims.article
    assert f'href="{a.url}"' in html and a.outlet in html and a.date.isoformat() in html
    assert a.speaker in html
    bad = claims.model_copy(update={"article": a.model_copy(update={"url": "javascript:alert(1)"})})
    assert "javascript:" not in show.article_html(_inp(bundled_panel, bad, []))


def test_details_list_every_reporter_and_the_robustness_collapsed(bundled_panel, claims):
    c = claims.claims[0]
    results = [_rec(c.id, "today"), _rec(c.id, "today", reporter="KAZ", r="false"),
               _rec(c.id, "today", reporter="BLR", r="true")]
    html = show.details_html(c, _inp(bundled_panel, claims, results))
    assert html.startswith('<details class="per-reporter">')
    reporters = [html.index(f'data-reporter="{r}"') for r in ("all", "BLR", "KAZ")]
    assert reporters == sorted(reporters)
    assert "reporters: disagrees — one reporter disagrees" in html and "windows: not tested" in html
    assert "Kazakhstan&#39;s figures" in html and "not checked:</i> deflation" in html
    # the rule as sentences (the claims file's parameters and defaults), not its Python form
    assert "at least 10% below the highest year from 2012 on" in html and "declining_trend" not in html
    assert f"Years tested: {c.window.start}–{c.window.end}." in html and c.quote_ru in html


def test_chart_foot_has_the_source_line_and_the_csv_of_the_plotted_values(bundled_panel, claims):
    inp = _inp(bundled_panel, claims, [])
    chart = charts.chart_for(claims.claims[0], inp)
    link = show.csv_link(chart)
    assert f'download="{chart.claim_id}.csv"' in link and f"{len(chart.data)} values" in link
    href = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert plotted.from_uri(href) == plotted.csv_text(chart.data)


def test_an_empty_chart_is_a_one_line_note(bundled_panel, claims, capsys):
    from IPython.display import HTML

    shown = []
    import turnover.report.show as s

    orig = s.display
    s.display = lambda obj, **kw: shown.append(obj)
    try:
        empty = charts.Chart("x", None, "No data", [], data=pd.DataFrame(), note="Nothing for this pair.")
        show.chart_block(empty)
    finally:
        s.display = orig
    assert len(shown) == 1 and isinstance(shown[0], HTML)
    assert shown[0].data == '<p class="empty-chart" role="note">Nothing for this pair.</p>'


def test_sources_list_every_file_shown_with_publisher_date_and_terms(bundled_panel, claims):
    from turnover.ingest import manifest

    facts = inputs.context_facts()
    shown = [charts.Chart("a", None, "t", [], rows=bundled_panel.head(3), facts=facts.head(2))]
    recs = citation.source_records(shown)
    by_name = {r["name"]: r for r in recs}
    head = bundled_panel.head(3)
    paths = {(citation.entry_for(k, i, manifest.entries()) or {}).get("path", "?")
             for k, i in zip(head["source_kind"], head["source_id"])} | {"official/context_facts.csv"}
    for path in paths:
        e = next(x for x in manifest.entries() if x["path"] == path)
        r = by_name[f"data/{path}"]
        assert (r["publisher"], r["retrieved"], r["terms"]) == (e["publisher"], str(e["retrieved_on"]), e["licence"])
    assert sum(r["count"] for r in recs) == 5
    html = citation.sources_html(shown)
    assert html.count('<li class="source">') == len(recs)
    assert "No chart in this report shows a figure" in citation.sources_html([])
    text = citation.cite_text(citation.citation(), _inp(bundled_panel, claims, []), dt.date(2026, 11, 25))
    assert "version 0.1.0" in text and claims.article.outlet in text and "2026-11-25" in text
