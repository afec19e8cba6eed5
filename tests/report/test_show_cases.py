"""The notebook page parts pinned whole: the HTML of the article box, the rating table, a claim's
header, details, chart block and section, written out by hand for small claims files whose text
carries markup characters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from IPython.display import HTML, Markdown
from markupsafe import escape

from turnover.report import charts, inputs, plotted, show
from turnover.text.rules import rule_sentences


@pytest.fixture
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(show, "display", lambda obj, **kw: out.append((obj, kw)))
    return out


def _claims(claims, article=None, vintages=None, n=2, **claim_update):
    art = claims.article.model_copy(update=article or {})
    cs = [c.model_copy(update=claim_update) for c in claims.claims[:n]]
    return claims.model_copy(update={"article": art, "claims": cs,
                                     "vintages": vintages or {"as_of_article": dt.date(2016, 5, 31),
                                                              "today": dt.date(2026, 11, 25)}})


def _inp(cf, results=(), notes=(), key=None, verdicts=()):
    return inputs.Inputs.of(panel=pd.DataFrame(), results=list(results), claims=cf, facts=pd.DataFrame(),
                         today=dt.date(2026, 11, 25), notes=list(notes), key=key, verdicts=list(verdicts))


def _typed(cf, cid, vintage, r, finding, reporter="all"):
    """A typed verdict whose finding is the given words (the table shows it beside the chip)."""
    from turnover.model.result import Context, verdict
    from turnover.model.results import Finding, phrase

    claim = next(c for c in cf.claims if c.id == cid)
    ctx = Context(panel=pd.DataFrame(), claims=cf, claim=claim, vintage=vintage,
                  as_of=pd.Timestamp(cf.vintages[vintage]), facts=pd.DataFrame())
    return verdict(ctx, reporter, r, facts=Finding(phrase("text", text=finding)), basis=phrase("text", text=""))


ART = dict(outlet="Out & <let>", title_en='Title "A" & <b>', title_ru="Заголовок <i>", language="ru",
           speaker="Speaker <s> & co", url="https://example.org/a?x=1&y=2", url_note="note <n>",
           date=dt.date(2016, 5, 31))


def test_article_box_whole(claims):
    html = show.article_html(_inp(_claims(claims, ART)))
    assert html == ('<div class="article-box"><p class="article-line"><b>Out &amp; &lt;let&gt;</b>, 2016-05-31: '
                    '“<a href="https://example.org/a?x=1&amp;y=2" rel="noreferrer noopener">Title &#34;A&#34; &amp; '
                    '&lt;b&gt;</a>” <span class="lang" lang="ru">(Заголовок &lt;i&gt;)</span></p>'
                    '<p class="speaker">Speaker: Speaker &lt;s&gt; &amp; co</p></div>')
    bad = show.article_html(_inp(_claims(claims, {**ART, "url": "javascript:alert(1)"})))
    assert bad == ('<div class="article-box"><p class="article-line"><b>Out &amp; &lt;let&gt;</b>, 2016-05-31: '
                   '“Title &#34;A&#34; &amp; &lt;b&gt;” <span class="lang" lang="ru">(Заголовок &lt;i&gt;)</span></p>'
                   '<p class="speaker">Speaker: Speaker &lt;s&gt; &amp; co</p>'
                   '<p class="speaker">Link: not printed: note &lt;n&gt;</p></div>')
    none = show.article_html(_inp(_claims(claims, {**ART, "url": None, "url_note": None})))
    assert none.endswith('<p class="speaker">Link: not printed</p></div>')


def _rec(cid, vintage, reporter="all", r="true", sentence="s", **kw):
    return {"claim_id": cid, "vintage": vintage, "reporter": reporter, "rating": r, "sentence": sentence, **kw}


def test_verdict_table_whole(claims):
    cf = _claims(claims, quote_en='he said "x" & <y>')
    a, b = cf.claims
    results = [_rec(a.id, "as_of_article", r="mostly_false", rating_label="Mostly false",
                    sentence="As of 31 May 2016: mostly false — it fell <5%>."),
               _rec(a.id, "today", reporter="BLR", r="false"), _rec(b.id, "today", r="bogus", sentence=None)]
    # the finding beside the chip comes from the typed verdict the record was rendered from
    html = show.verdict_table(_inp(cf, results, verdicts=[_typed(cf, a.id, "as_of_article", "mostly_false",
                                                                 "it fell <5%>")]))
    none = ('<span class="rating rating-not_evaluated" data-rating="not_evaluated" style="background:#fff;'
            'color:#1f2328">Not evaluated</span>')
    q = "“he said &#34;x&#34; &amp; &lt;y&gt;”"
    assert html == (
        '<table class="verdicts"><caption>2 statements checked against official statistics</caption>'
        '<thead><tr><th scope="col">Statement</th><th scope="col">As of 31 May 2016</th>'
        '<th scope="col">Today (25 November 2026)</th></tr></thead><tbody>'
        f'<tr data-claim="{a.id}"><th scope="row"><a href="#{a.id}">{q}</a></th>'
        '<td data-vintage="as_of_article"><div class="said"><span class="rating rating-mostly_false" '
        'data-rating="mostly_false" style="background:#b34d0c;color:#fff">Mostly false</span><p class="sentence">It '
        'fell &lt;5%&gt;.</p></div></td>'
        f'<td data-vintage="today"><div class="said">{none}<p class="sentence">No result for this date.</p></div></td></tr>'
        f'<tr data-claim="{b.id}"><th scope="row"><a href="#{b.id}">{q}</a></th>'
        f'<td data-vintage="as_of_article"><div class="said">{none}<p class="sentence">No result for this date.</p></div></td>'
        f'<td data-vintage="today"><div class="said">{none}<p class="sentence"></p></div></td></tr></tbody></table>')


def test_a_later_date_with_the_same_rating_says_so_in_a_line_and_questions_are_not_rated(claims):
    cf = _claims(claims)
    a, b = cf.claims
    cf = cf.model_copy(update={"claims": [a, b.model_copy(update={"kind": "question", "question": "Q <b>?"})]})
    results = [_rec(a.id, "as_of_article", r="true"), _rec(a.id, "today", r="true", sentence="long"),
               _rec(b.id, "as_of_article", r="false", sentence="As of x: false — gap <3>.")]
    inp = _inp(cf, results)
    html = show.verdict_table(inp)
    assert "<caption>1 statement checked against official statistics</caption>" in html
    assert f'data-claim="{b.id}"' not in html
    assert ('<td data-vintage="today" class="same"><span class="rating rating-true" data-rating="true" '
            'style="background:#08519c;color:#fff">True</span><p class="sentence">Same rating.</p></td>') in html
    context = show.context_html(inp)
    assert context.startswith('<div class="context-part"><h3>Context</h3>')
    assert f'<li data-question="{b.id}"><p class="question"><a href="#{b.id}">Q &lt;b&gt;?</a></p>' in context
    assert ('<p class="finding" data-vintage="as_of_article"><span class="when">As of 31 May 2016:</span> '
            'As of x: false — gap &lt;3&gt;.</p>') in context
    assert "No result for this date." in context and 'class="rating' not in context
    header = show.header_html(cf.claims[1], inp)
    assert "Question: Q &lt;b&gt;?" in header and 'class="rating' not in header and "Prompted by" in header
    assert show.context_html(_inp(_claims(claims))) == ""  # no questions, no Context part


def test_verdict_table_columns_follow_the_vintages_claims_use(claims):
    cf = _claims(claims, vintages={"early": dt.date(2015, 1, 2), "as_of_article": dt.date(2016, 5, 31),
                                   "today": dt.date(2026, 11, 25)})
    a = cf.claims[0].model_copy(update={"vintages": ["today"]})
    cf = cf.model_copy(update={"claims": [a, cf.claims[1]]})
    html = show.verdict_table(_inp(cf))
    # "early" is used by no claim: no column; the first claim has no as-of-article column: a dash
    assert "2015-01-02" not in html
    assert f'<tr data-claim="{a.id}">' in html and '<td data-vintage="as_of_article">—</td>' in html
    assert html.count("<td data-vintage=") == 4


def test_vintage_headings(claims):
    inp = _inp(_claims(claims))
    # the text layer's one vintage wording (text.render.vintage_phrase), dates spelled out
    assert show.vintage_heading(inp, "today") == "Today (25 November 2026)"
    assert show.vintage_heading(inp, "as_of_article") == "As of 31 May 2016"


def test_overview_shows_the_table_then_each_note(claims, shown):
    inp = _inp(_claims(claims, ART), notes=["panel $x* built _here_ `now`"])
    show.overview(inp)
    assert len(shown) == 2 and isinstance(shown[0][0], HTML) and isinstance(shown[1][0], Markdown)
    assert shown[0][0].data == show.article_html(inp) + show.verdict_table(inp) + show.context_html(inp)
    assert shown[1][0].data == "*Note: panel \\$x\\* built \\_here\\_ \\`now\\`*"


def test_markdown_and_number_helpers():
    assert show._md("a$b*c_d`e~f") == "a\\$b\\*c\\_d\\`e~f"
    assert show._num(None) is None and show._num(float("nan")) is None
    assert show._num(0.012345) == "0.0123" and show._num(12) == "12" and show._num(1234.5) == "1.23e+03"
    assert show.esc('<a href="x">&</a>') == "&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt;"
    assert show.esc(None) == ""


def test_robustness_lines():
    rob = [{"dimension": "windows <w>", "agrees": True, "detail": "all 5 & more"},
           {"dimension": "reporters", "agrees": False},
           {"agrees": None, "detail": ""}, {"dimension": "x", "agrees": "maybe"}]
    assert show._robustness(rob) == ("windows &lt;w&gt;: agrees — all 5 &amp; more<br>reporters: disagrees<br>"
                                     "?: not tested<br>x: ?")
    assert show._robustness({"label": "robust <r>"}) == "robust &lt;r&gt;"
    assert show._robustness({"x": 1}) == "" and show._robustness(None) == ""


def test_details_whole(claims):
    cf = _claims(claims, n=1, claim="Tested <as> & so", quote_ru="цитата <q>")
    c = cf.claims[0]
    results = [
        _rec(c.id, "today", reporter="KAZ", r="false", sentence="K <s>", p_value=0.01234, n_obs=7,
             strength="weak", basis="KAZ's", not_checked=["a", "b <c>"],
             robustness=[{"dimension": "windows", "agrees": True}]),
        _rec(c.id, "today", reporter="BLR", r="mostly_false", sentence="B"),
        _rec(c.id, "today", reporter="all", r="true", sentence="All", p_value=float("nan"), n_obs=None),
        _rec(c.id, "as_of_article", reporter="BLR", r="half_true", sentence=None, robustness={"label": "L"}),
        _rec(c.id, "old", reporter="unknown", r="nope", sentence="U"),
        _rec("other-claim", "today", sentence="never shown"),
    ]
    html = show.details_html(c, _inp(cf, results))
    chip = ('<span class="rating rating-{0} small" data-rating="{0}" style="background:{1};color:{2}">{3}</span>')
    rows = (
        '<tr data-vintage="as_of_article" data-reporter="BLR"><td>As of 31 May 2016</td><td>Belarus&#39;s figures</td>'
        f'<td>{chip.format("half_true", "#6f6f6f", "#fff", "Half true")}</td><td></td><td>L</td></tr>'
        '<tr data-vintage="today" data-reporter="all"><td>Today (25 November 2026)</td><td>all reporters</td>'
        f'<td>{chip.format("true", "#08519c", "#fff", "True")}</td><td>All</td><td></td></tr>'
        '<tr data-vintage="today" data-reporter="BLR"><td>Today (25 November 2026)</td><td>Belarus&#39;s figures</td>'
        f'<td>{chip.format("mostly_false", "#b34d0c", "#fff", "Mostly false")}</td><td>B</td><td></td></tr>'
        '<tr data-vintage="today" data-reporter="KAZ"><td>Today (25 November 2026)</td><td>Kazakhstan&#39;s figures</td>'
        f'<td>{chip.format("false", "#8c2d04", "#fff", "False")}</td><td>K &lt;s&gt;<br><i>numbers:</i> p = 0.0123; n = 7'
        '<br><i>strength:</i> weak<br><i>basis:</i> KAZ&#39;s<br><i>not checked:</i> a; b &lt;c&gt;</td>'
        '<td>windows: agrees</td></tr>'
        '<tr data-vintage="old" data-reporter="unknown"><td>old</td><td>figures of unstated origin</td>'
        f'<td>{chip.format("not_evaluated", "#fff", "#1f2328", "Not evaluated")}</td><td>U</td><td></td></tr>')
    rule = str(escape(" ".join(rule_sentences(c.rule, 2012))))
    assert "at least 10% below the highest year from 2012 on" in rule and "{" not in rule and "_" not in rule
    assert html == (
        '<details class="per-reporter"><summary>Per reporter and robustness</summary>'
        '<table class="details"><thead><tr><th>Date</th><th>Whose figures</th><th>Rating</th><th>Why</th>'
        f'<th>Robustness</th></tr></thead><tbody>{rows}</tbody></table></details>'
        '<details class="method"><summary>How this statement was tested</summary>'
        '<p><b>Tested as:</b> Tested &lt;as&gt; &amp; so</p>'
        f'<p class="rule"><b>Rule, written before the results:</b> {rule} Years tested: 2012–2016.</p>'
        f'<p class="quote-ru" lang="ru">«цитата &lt;q&gt;» — {cf.article.speaker}</p></details>')
    empty = show.details_html(c, _inp(cf, []))
    assert "<tbody><tr><td colspan=5>No result.</td></tr></tbody>" in empty


def test_header_whole(claims):
    cf = _claims(claims, n=1, quote_en="q <&>")
    c = cf.claims[0]
    html = show.header_html(c, _inp(cf, [_rec(c.id, "today", r="mostly_true", sentence="T")]))
    none = ('<div class="said"><span class="rating rating-not_evaluated" data-rating="not_evaluated" style="background:#fff;'
            'color:#1f2328">Not evaluated</span><p class="sentence">No result for this date.</p></div>')
    assert html == (
        f'<div class="claim-header" data-claim-id="{c.id}"><h2 class="claim-heading">“q &lt;&amp;&gt;”</h2>'
        '<div class="claim-verdicts"><div class="vintage" data-vintage="as_of_article"><span class="when">'
        f'As of 31 May 2016</span> {none}</div><div class="vintage" data-vintage="today"><span class="when">'
        'Today (25 November 2026)</span> <div class="said"><span class="rating rating-mostly_true" '
        'data-rating="mostly_true" style="background:#2b6ca3;color:#fff">Mostly true</span><p class="sentence">T</p>'
        '</div></div></div></div>')


class _Fig:
    def __init__(self):
        self.calls = []

    def show(self, **kw):
        self.calls.append(kw)


def _chart(claim_id="c-1", empty=False):
    data = pd.DataFrame(columns=plotted.CSV_COLUMNS) if empty else pd.DataFrame(
        {"series": ["s"], "reporter": ["BLR"], "x": ["2013-07-01"], "y": [1.5], "unit": ["u"], "period": ["2013"],
         "qualifier": ["exact"], "source_kind": ["wb_wits"], "source": ["https://e.example/?a=1&b=2"]})
    return charts.Chart(claim_id, _Fig(), "Finding <f> & more", ["one $1 *a*", "two _b_"], data=data,
                        subtitle="Sub <s>", note="Note <n>" if empty else "",
                        rows=pd.DataFrame({"row_id": ["r:1"], "source_kind": ["un_comtrade"], "source_id": ["zz-none"],
                                          "source_url": ["https://e.example/r"],
                                          "retrieved_on": [pd.Timestamp("2026-01-02")]}),
                        facts=pd.DataFrame())


def test_csv_link_whole():
    ch = _chart()
    link = show.csv_link(ch)
    uri = plotted.data_uri(ch.data)
    assert link == (f'<a class="csv-link" download="c-1.csv" href="{uri.replace("&", "&amp;")}">'
                    "Download data (CSV, 1 values)</a>")
    assert plotted.from_uri(uri) == ("series,reporter,x,y,unit,period,qualifier,source_kind,source\n"
                                     "s,BLR,2013-07-01,1.5,u,2013,exact,wb_wits,https://e.example/?a=1&b=2\n")


def test_chart_block_whole(shown):
    from turnover.report.provenance import source_line

    ch = _chart()
    show.chart_block(ch)
    assert [type(o) for o, _ in shown] == [HTML, HTML]
    assert shown[0][0].data == '<figure class="chart" role="group" aria-label="Finding &lt;f&gt; &amp; more">'
    assert ch.fig.calls == [{"renderer": "plotly_mimetype", "config": {"displaylogo": False, "responsive": True}}]
    assert shown[1][0].data == ('<figcaption class="sr-only">Finding &lt;f&gt; &amp; more. Sub &lt;s&gt;.</figcaption>'
                                f'</figure><div class="chart-foot">{source_line(ch.rows, ch.facts)}'
                                f'{show.csv_link(ch)}</div>')
    assert "UN Comtrade" in shown[1][0].data
    shown.clear()
    show.chart_block(_chart(empty=True))
    assert [o.data for o, _ in shown] == ['<p class="empty-chart" role="note">Note &lt;n&gt;</p>']
    shown.clear()
    e = _chart(empty=True)
    e.note = ""
    show.chart_block(e)
    assert [o.data for o, _ in shown] == ['<p class="empty-chart" role="note">Finding &lt;f&gt; &amp; more</p>']


def test_claim_section_order_and_anchor(claims, shown, monkeypatch):
    cf = _claims(claims, n=1)
    c = cf.claims[0]
    ch = _chart(c.id)
    monkeypatch.setattr(charts, "chart_for", lambda claim, inp: ch)
    inp = _inp(cf)
    assert show.claim_section(c, inp) is ch
    assert shown[0][0].data == show.header_html(c, inp) and shown[0][1] == {"metadata": {"turnover": {"section": c.id}}}
    assert [type(o).__name__ for o, _ in shown] == ["HTML", "HTML", "HTML", "Markdown", "HTML"]
    assert shown[3][0].data == "- one \\$1 \\*a\\*\n- two \\_b\\_"
    assert shown[4][0].data == show.details_html(c, inp)
    shown.clear()
    ch.narrative = []
    show.claim_section(c, inp)
    assert [type(o).__name__ for o, _ in shown] == ["HTML", "HTML", "HTML", "HTML"]


def test_charts_are_drawn_once_per_input_key(claims, monkeypatch):
    cf = _claims(claims, n=2)
    calls = []
    monkeypatch.setattr(charts, "chart_for", lambda claim, inp: calls.append(claim.id) or _chart(claim.id))
    monkeypatch.setattr(show, "_DRAWN", show.OrderedDict())
    a, b = cf.claims
    show._chart(a, _inp(cf))
    show._chart(a, _inp(cf))
    assert calls == [a.id, a.id]  # no file key: drawn each time
    keyed = _inp(cf, key=("k",))
    first = show._chart(a, keyed)
    assert show._chart(a, keyed) is first and show._chart(b, keyed) is not first
    assert calls == [a.id, a.id, a.id, b.id]
    assert show._chart(a, _inp(cf, key=("k2",))) is not first and calls[-1] == a.id
    # past DRAWN_MAX charts the least recently used one goes, and only that one
    monkeypatch.setattr(show, "_DRAWN", show.OrderedDict())
    monkeypatch.setattr(show, "DRAWN_MAX", 3)
    calls.clear()
    for i in range(3):
        show._chart(a, _inp(cf, key=(i,)))
    assert len(show._DRAWN) == 3 and len(calls) == 3
    show._chart(a, _inp(cf, key=(0,)))  # used again: now the most recent
    assert len(calls) == 3
    show._chart(a, _inp(cf, key=("new",)))
    assert len(show._DRAWN) == 3 and len(calls) == 4
    assert list(show._DRAWN) == [((2,), a.id), ((0,), a.id), (("new",), a.id)]  # (1,) went, not (0,)
    show._chart(a, _inp(cf, key=(0,)))
    show._chart(a, _inp(cf, key=(2,)))
    assert len(calls) == 4  # both kept
    show._chart(a, _inp(cf, key=(1,)))
    assert len(calls) == 5  # the forgotten one is drawn again


def test_an_eighty_claim_file_draws_each_chart_once(claims, monkeypatch):
    """The claim sections and the sources section share the memo: 80 claims, 80 draws (not 149)."""
    cf = _claims(claims, n=2)
    many = [cf.claims[i % 2].model_copy(update={"id": f"claim-{i}"}) for i in range(80)]
    calls = []
    monkeypatch.setattr(charts, "chart_for", lambda claim, inp: calls.append(claim.id) or _chart(claim.id))
    monkeypatch.setattr(show, "_DRAWN", show.OrderedDict())
    assert show.DRAWN_MAX >= 500
    keyed = _inp(cf, key=("refresh",))
    first = [show._chart(c, keyed) for c in many]
    again = [show._chart(c, keyed) for c in many]  # the sources section
    assert len(calls) == 80 and all(x is y for x, y in zip(first, again))


def test_claims_of_says_when_none(claims, shown):
    cf = _claims(claims)
    assert [c.id for c in show.claims_of(_inp(cf), "declining_trend")] == ["declining-turnover"]
    assert shown == []
    assert show.claims_of(_inp(cf), "recovery") == []
    assert shown[0][0].data == "*This claims file has no statement tested with the rule `recovery`.*"


def test_sources_section(claims, shown, monkeypatch):
    from turnover.report import citation

    cf = _claims(claims, n=2)
    monkeypatch.setattr(charts, "chart_for", lambda claim, inp: _chart(claim.id))
    inp = _inp(cf)
    show.sources(inp, dt.date(2020, 1, 2))
    assert len(shown) == 1
    html = shown[0][0].data
    assert "2020-01-02" in html and html.endswith(citation.sources_html([_chart("a"), _chart("b")]))
    shown.clear()
    show.sources(inp)
    assert "2026-11-25" in shown[0][0].data


def test_details_put_records_of_unknown_dates_after_every_vintage_of_the_claim(claims):
    names = [f"v{i}" for i in range(10)]
    cf = _claims(claims, n=1, vintages={v: dt.date(2010 + i, 1, 1) for i, v in enumerate(names)})
    c = cf.claims[0].model_copy(update={"vintages": names})
    cf = cf.model_copy(update={"claims": [c]})
    results = [_rec(c.id, "elsewhere", reporter="all"), _rec(c.id, "v9", reporter="KAZ"),
               _rec(c.id, "v0", reporter="other"), _rec(c.id, "v0", reporter="KAZ")]
    html = show.details_html(c, _inp(cf, results))
    rows = [html.index(f'data-vintage="{v}" data-reporter="{r}"') for v, r in
            (("v0", "KAZ"), ("v0", "other"), ("elsewhere", "all"), ("v9", "KAZ"))]
    assert rows == sorted(rows)  # a tenth vintage and an unknown date rank alike; the claim level leads
