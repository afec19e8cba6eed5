"""Text with <, &, " and ' reaches the page as text: parsed back, it is the same string, and no tag
or attribute is smuggled in. Checked by parsing the HTML, not by looking for one entity spelling."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from types import SimpleNamespace

import pandas as pd
import pytest

from turnover.report import citation, export, inputs, provenance, rating, show

EVIL = 'A<xss onload="x()">&amp; \'q\' "dq" </p>B'  # a tag, a literal entity, both quotes, a closing tag


class _Page(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[dict] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def plain(self) -> str:
        return "".join(self.text)


def _assert_literal(markup: str, *, in_text: int = 0, in_attr: int = 0):
    """``EVIL`` appears exactly ``in_text`` times in the page's text (so it was escaped exactly once:
    unescaped it would open a tag, escaped twice it would read ``&lt;``) and no tag came in."""
    page = _Page(str(markup))
    assert "xss" not in page.tags and not any("onload" in a for a in page.attrs)
    assert page.plain.count(EVIL) == in_text, page.plain
    assert sum((v or "").count(EVIL) for a in page.attrs for v in a.values()) == in_attr
    return page


@pytest.fixture(scope="module")
def evil_claims(claims):
    art = claims.article.model_copy(update={"outlet": EVIL, "title_en": EVIL, "title_ru": EVIL, "speaker": EVIL,
                                            "url": None, "url_note": EVIL})
    first = claims.claims[0].model_copy(update={"quote_en": EVIL, "quote_ru": EVIL, "claim": EVIL})
    return claims.model_copy(update={"article": art, "claims": [first, *claims.claims[1:]]})


def _inp(claims, results=()):
    return inputs.Inputs.of(panel=pd.DataFrame(), results=list(results), claims=claims, facts=pd.DataFrame(),
                         today=dt.date(2026, 11, 25))


def _evil_record(claim_id, vintage, reporter="all"):
    """A verdict record whose model text (label, sentence, strength, basis, ...) is all ``EVIL``."""
    return {"claim_id": claim_id, "vintage": vintage, "reporter": reporter, "rating": "true", "rating_label": EVIL,
            "sentence": EVIL, "strength": EVIL, "basis": EVIL, "not_checked": [EVIL],
            "robustness": [{"dimension": EVIL, "agrees": True, "detail": EVIL}]}


def test_claim_header_shows_the_quote_and_the_model_label_and_sentence_as_text(evil_claims):
    claim = evil_claims.claims[0]
    inp = _inp(evil_claims, [_evil_record(claim.id, "as_of_article")])
    page = _assert_literal(show.header_html(claim, inp), in_text=3)  # quote, rating label, sentence
    assert f"“{EVIL}”" in page.plain
    assert "No result for this date." in page.plain  # "today" has no record


def test_article_box_escapes_every_field(evil_claims):
    page = _assert_literal(show.article_html(_inp(evil_claims)), in_text=5)  # outlet, two titles, speaker, url note
    assert "a" not in page.tags  # no URL, so no link


def test_verdict_table_escapes_the_quote_and_the_model_text(evil_claims):
    claim = evil_claims.claims[0]
    inp = _inp(evil_claims, [_evil_record(claim.id, "today")])
    page = _assert_literal(show.verdict_table(inp), in_text=3)  # quote, rating label, sentence
    assert f"“{EVIL}”" in page.plain


def test_details_escape_model_text_rule_text_quote_and_speaker(evil_claims):
    claim = evil_claims.claims[0]
    inp = _inp(evil_claims, [_evil_record(claim.id, "today")])
    # label, sentence, strength, basis, not checked, robustness dimension and detail; claim, Russian quote, speaker
    page = _assert_literal(show.details_html(claim, inp), in_text=10)
    assert f"«{EVIL}» — {EVIL}" in page.plain


def test_a_reporter_code_and_an_unknown_rating_stay_literal_in_attributes(evil_claims):
    claim = evil_claims.claims[0]
    rec = dict(_evil_record(claim.id, "today", reporter=EVIL), rating_label="x", sentence="s", strength="",
               basis="", not_checked=[], robustness=[])
    # the reporter's name, the claim, the Russian quote, the speaker
    page = _assert_literal(show.details_html(claim, _inp(evil_claims, [rec])), in_text=4, in_attr=1)
    (row,) = [a for t, a in zip(page.tags, page.attrs) if t == "tr" and "data-reporter" in a]
    assert row["data-reporter"] == EVIL
    chip = _Page(rating.chip(EVIL))
    (span,) = chip.attrs
    assert span["data-rating"] == EVIL and chip.plain == "Not evaluated" and "xss" not in chip.tags


def test_page_title_and_header_escape_the_article_fields(evil_claims):
    # title and outlet in <title>, the title in the header (the outlet is in the article box below it)
    page = _assert_literal(export.to_html([], evil_claims, dt.date(2026, 11, 25)), in_text=3)
    assert "script" not in page.tags  # no figures, no plotly


def test_how_to_cite_escapes_the_article_title_and_outlet(evil_claims):
    _assert_literal(citation.cite_html(_inp(evil_claims), dt.date(2026, 11, 25)), in_text=2)


def test_source_list_escapes_manifest_fields_and_keeps_link_ampersands(monkeypatch):
    url = "https://example.org/f?a=1&b=2"
    entries = [{"path": "x<y>.csv", "publisher": EVIL, "retrieved_on": EVIL, "licence": EVIL, "sha256": "ab" * 32}]
    monkeypatch.setattr(citation.manifest, "entries", lambda: entries)
    facts = pd.DataFrame({"file": ["x<y>.csv"], "source_url": [url], "fact_id": ["f1"]})
    page = _assert_literal(citation.sources_html([SimpleNamespace(rows=None, facts=facts)]), in_text=3)
    assert "data/x<y>.csv" in page.plain
    assert [a["href"] for t, a in zip(page.tags, page.attrs) if t == "a"] == [url]


def test_source_links_keep_query_ampersands_and_quotes_inside_the_href():
    clean, odd = "https://example.org/api?a=1&b=2", 'https://example.org/api?a=1&b=<2>&c="3"'
    rows = pd.DataFrame({"source_kind": ["un_comtrade", "made<up>&kind", "wb_wits"], "source_url": [clean, odd, odd]})
    page = _assert_literal(provenance.source_line(rows, entries=[]))
    assert "made<up>&kind" in page.plain
    hrefs = [a.get("href") for t, a in zip(page.tags, page.attrs) if t == "a"]
    assert clean in hrefs  # the ampersand survives the round trip into a live link
    # a URL with markup characters is either carried exactly or not made a link at all
    # (besides the publishers' own pages from data/publishers.csv)
    pages = {"https://comtradeplus.un.org/", "https://wits.worldbank.org/"}
    assert all(h in (clean, odd) or h in pages for h in hrefs)


def test_manifest_fields_in_the_source_line_are_text():
    facts = pd.DataFrame({"file": ["x<y>.csv"], "source_url": ["https://example.org/f?a=1&b=2"]})
    entries = [{"path": "x<y>.csv", "publisher": EVIL, "retrieved_on": EVIL, "sha256": "ab" * 32}]
    page = _assert_literal(provenance.source_line(facts=facts, entries=entries), in_text=2)
    assert "data/x<y>.csv" in page.plain and "abababababab" in page.plain
