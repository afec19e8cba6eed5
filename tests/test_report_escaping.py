"""Text with <, &, " and ' reaches the page as text: parsed back, it is the same string, and no tag
or attribute is smuggled in. Checked by parsing the HTML, not by looking for one entity spelling."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from types import SimpleNamespace

import pandas as pd
import pytest

from turnover.report import badges, export, inputs, provenance, show

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
    page = _Page(markup)
    assert "xss" not in page.tags and not any("onload" in a for a in page.attrs)
    assert page.plain.count(EVIL) >= in_text, page.plain
    assert sum(v == EVIL or (v or "").count(EVIL) for a in page.attrs for v in a.values()) >= in_attr
    return page


@pytest.fixture(scope="module")
def evil_claims(claims):
    art = claims.article.model_copy(update={"outlet": EVIL, "title_en": EVIL, "title_ru": EVIL, "speaker": EVIL,
                                            "url": None, "url_note": EVIL})
    first = claims.claims[0].model_copy(update={"quote_en": EVIL, "quote_ru": EVIL, "claim": EVIL})
    return claims.model_copy(update={"article": art, "claims": [first, *claims.claims[1:]]})


def _inp(claims, results=()):
    return inputs.Inputs(panel=pd.DataFrame(), results=list(results), claims=claims, facts=pd.DataFrame(),
                         today=dt.date(2026, 11, 25))


def test_claim_header_shows_quotes_claim_speaker_and_reporters_as_text(evil_claims):
    claim = evil_claims.claims[0]
    chart = SimpleNamespace(reporters=["BLR", EVIL])
    page = _assert_literal(show.header_html(claim, _inp(evil_claims), chart), in_text=5)
    assert f"“{EVIL}”" in page.plain and f"«{EVIL}»" in page.plain


def test_badge_summary_in_the_title_attribute_and_label_stay_literal():
    r = {"claim_id": "c1", "vintage": "today", "as_of": "2026-11-25", "reporter": EVIL, "verdict": EVIL,
         "summary": EVIL}
    page = _assert_literal(badges.badge(r), in_attr=1)
    (span,) = [a for t, a in zip(page.tags, page.attrs) if t == "span"]
    assert span["title"] == EVIL and span["data-reporter"] == EVIL
    assert EVIL in page.plain  # the reporter's name in the label


def test_article_block_and_overview_table_escape_every_field(evil_claims):
    inp = _inp(evil_claims)
    _assert_literal(show.article_html(inp), in_text=5)  # outlet, two titles, speaker, url note
    _assert_literal(show.overview_table(inp), in_text=1)


def test_page_title_and_header_escape_the_article_fields(evil_claims):
    page = _assert_literal(export.to_html([], evil_claims, dt.date(2026, 11, 25)), in_text=4)
    assert "script" not in page.tags  # no figures, no plotly


def test_source_links_keep_query_ampersands_and_quotes_inside_the_href():
    clean, odd = "https://example.org/api?a=1&b=2", 'https://example.org/api?a=1&b=<2>&c="3"'
    rows = pd.DataFrame({"source_kind": ["un_comtrade", "made<up>&kind", "wb_wits"], "source_url": [clean, odd, odd]})
    page = _assert_literal(provenance.source_line(rows, entries=[]))
    assert "made<up>&kind" in page.plain
    hrefs = [a.get("href") for t, a in zip(page.tags, page.attrs) if t == "a"]
    assert clean in hrefs  # the ampersand survives the round trip into a live link
    # a URL with markup characters is either carried exactly or not made a link at all
    assert all(h in (clean, odd) for h in hrefs)


def test_manifest_fields_in_the_source_line_are_text():
    facts = pd.DataFrame({"file": ["x<y>.csv"], "source_url": ["https://example.org/f?a=1&b=2"]})
    entries = [{"path": "x<y>.csv", "publisher": EVIL, "retrieved_on": EVIL, "sha256": "ab" * 32}]
    page = _assert_literal(provenance.source_line(facts=facts, entries=entries), in_text=2)
    assert "data/x<y>.csv" in page.plain and "abababababab" in page.plain
