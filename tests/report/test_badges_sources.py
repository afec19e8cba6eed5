"""Rating chips, the order and completeness of the verdict parts, and source lines, read back as HTML:
every attribute carries its value, order is fixed, nothing is dropped or invented; expected values are
the test's own inputs."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd

from turnover.report import inputs, provenance, rating, show


class _Tags(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.chunks: list[tuple[int, str]] = []  # (index of the last opened tag, text)
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.chunks.append((len(self.tags) - 1, data))

    def spans(self) -> list[tuple[dict, str]]:
        out = []
        for i, (tag, attrs) in enumerate(self.tags):
            if tag == "span":
                out.append((attrs, "".join(t for j, t in self.chunks if j == i)))
        return out


def _chip(markup: str) -> tuple[dict, str, str]:
    """The one span of a chip: its attributes, its text and its background colour."""
    (attrs, text), = _Tags(markup).spans()
    m = re.fullmatch(r"background:(#[0-9a-f]{3}|#[0-9a-f]{6});color:(#[0-9a-f]{3}|#[0-9a-f]{6})", attrs["style"])
    assert m, attrs["style"]
    return attrs, text, m.group(1)


LABELS = {"true": "True", "mostly_true": "Mostly true", "half_true": "Half true", "mostly_false": "Mostly false",
          "false": "False", "cannot_be_checked": "Cannot be checked", "not_yet_testable": "Not yet testable"}
GRADED = ["true", "mostly_true", "half_true", "mostly_false", "false"]


def test_a_chip_says_its_rating_in_words_and_each_graded_rating_has_its_own_colour():
    colours = {}
    for key, label in LABELS.items():
        attrs, text, bg = _chip(rating.chip(key))
        assert text == label and attrs["data-rating"] == key and f"rating-{key}" in attrs["class"].split()
        colours[key] = bg
    _, none_text, neutral = _chip(rating.chip(None))
    assert none_text == "Not evaluated"
    assert len({colours[k] for k in GRADED} | {neutral}) == len(GRADED) + 1  # five colours, none of them neutral
    # not a grade: neutral colour, told apart by the words
    assert colours["cannot_be_checked"] == colours["not_yet_testable"] == neutral
    attrs, text, bg = _chip(rating.chip("something_new"))
    assert (text, bg) == ("Not evaluated", neutral)


def test_a_chip_shows_the_record_label_when_given_and_can_be_small():
    attrs, text, _ = _chip(rating.chip("half_true", "Half true (weak)", small=True))
    assert text == "Half true (weak)" and "small" in attrs["class"].split()
    assert "small" not in _chip(rating.chip("half_true"))[0]["class"].split()


def _inp(claims, results):
    return inputs.Inputs.of(panel=pd.DataFrame(), results=results, claims=claims, facts=pd.DataFrame(),
                         today=dt.date(2026, 11, 25))


def _r(claim_id, reporter, vintage="today", r="true"):
    return {"claim_id": claim_id, "vintage": vintage, "reporter": reporter, "rating": r,
            "sentence": f"sentence {reporter} {vintage}"}


def test_details_are_ordered_by_vintage_then_claim_level_then_the_pair_then_the_rest(claims):
    c = claims.claims[0]
    assert tuple(c.vintages) == ("as_of_article", "today") and tuple(claims.pair) == ("BLR", "KAZ")
    results = [_r(c.id, "unknown"), _r(c.id, "XYZ"), _r(c.id, "KAZ"), _r(c.id, "all"), _r(c.id, "BLR"),
               _r(c.id, "KAZ", "as_of_article"), _r(c.id, "all", "as_of_article"), _r("other-claim", "all")]
    tags = _Tags(show.details_html(c, _inp(claims, results))).tags
    got = [(a["data-vintage"], a["data-reporter"]) for t, a in tags if t == "tr" and "data-reporter" in a]
    assert got == [("as_of_article", "all"), ("as_of_article", "KAZ"),
                   ("today", "all"), ("today", "BLR"), ("today", "KAZ"), ("today", "unknown"), ("today", "XYZ")]


def test_every_vintage_of_a_claim_is_shown_even_without_a_claim_level_result(claims):
    c = claims.claims[0]
    inp = _inp(claims, [_r(c.id, "BLR", r="false"), _r(c.id, "all", "as_of_article", r="mostly_true")])
    tags = _Tags(show.header_html(c, inp))
    cells = [a["data-vintage"] for t, a in tags.tags if t == "div" and "data-vintage" in a]
    assert cells == ["as_of_article", "today"]
    chips = [(a["data-rating"], text) for a, text in tags.spans() if "data-rating" in a]
    # today has only Belarus's figures: the claim-level chip is "Not evaluated", not Belarus's rating
    assert chips == [("mostly_true", "Mostly true"), ("not_evaluated", "Not evaluated")]
    assert "No result for this date." in "".join(t for _, t in tags.chunks)
    table = _Tags(show.verdict_table(inp))
    row = [a["data-vintage"] for t, a in table.tags if t == "td"][:2]
    assert row == ["as_of_article", "today"]


# --- source lines -----------------------------------------------------------------------------------

ENTRY = {"path": "official/official_figures.csv", "publisher": "Pub & Co", "retrieved_on": "2026-11-20",
         "sha256": "0123456789abcdef" * 4}


def _lines(markup: str) -> list[str]:
    assert markup.startswith('<div class="source-line"') and markup.endswith("</div>")
    inner = markup[markup.index(">") + 1:-len("</div>")]
    return inner.split("<br>")


def _line(lines: list[str], start: str) -> str:
    (line,) = [x for x in lines if x.startswith(start)]
    return line


def test_one_line_per_source_with_the_manifest_record_counts_and_numbered_sorted_links():
    rows = pd.DataFrame({
        "source_kind": ["wb_wits", "official_release", "un_comtrade", "official_release", "official_release"],
        "source_url": ["https://w.example/1", "https://r.example/b", "https://c.example/1", "https://r.example/a",
                       np.nan]})
    lines = _lines(provenance.source_line(rows, entries=[ENTRY]))
    assert len(lines) == 3 and all(line.startswith("Source: ") for line in lines)
    official = _line(lines, "Source: Pub &amp; Co — ")  # the publisher, escaped once
    assert "<code>data/official/official_figures.csv</code>" in official
    assert "retrieved 2026-11-20" in official and "sha256 0123456789ab…" in official
    assert "3 figures from 2 releases" in official
    hrefs = [a["href"] for t, a in _Tags(official).tags if t == "a"]
    assert hrefs == ["https://r.example/a", "https://r.example/b"]
    assert re.search(r'>\[1\]</a> <a [^>]*>\[2\]</a>', official)
    comtrade = _line(lines, "Source: UN Comtrade")
    assert "1 figure from 1 request" in comtrade and 'href="https://c.example/1"' in comtrade
    assert 'href="https://w.example/1"' in _line(lines, "Source: World Bank WITS")


def test_api_rows_are_listed_under_the_manifest_entry_of_their_snapshot_with_every_link():
    snap = {"path": "series/comtrade_blr.csv", "source_id": "ct-1", "publisher": "UN <Stats> & Co",
            "retrieved_on": "2026-11-21", "sha256": "fedcba9876543210" * 4}
    rows = pd.DataFrame({"source_kind": ["un_comtrade"] * 3, "source_id": ["ct-1"] * 3,
                         "source_url": ["https://c.example/q?b=2", "https://c.example/q?a=1&r=112", np.nan]})
    (line,) = _lines(provenance.source_line(rows, entries=[snap, ENTRY]))
    text = "".join(t for _, t in _Tags(line).chunks)
    assert text.startswith("Source: UN <Stats> & Co — data/series/comtrade_blr.csv, retrieved 2026-11-21, "
                           "sha256 fedcba987654…; 3 figures from 2 links: [1] [2]")
    # the release links, then the publisher's own data set page (data/publishers.csv)
    assert [a["href"] for t, a in _Tags(line).tags if t == "a"] == ["https://c.example/q?a=1&r=112",
                                                                   "https://c.example/q?b=2",
                                                                   "https://comtradeplus.un.org/"]
    assert "published by United Nations Statistics Division, UN Comtrade database" in text


def test_an_unknown_kind_is_named_as_is_and_a_fact_file_missing_from_the_manifest_says_so():
    rows = pd.DataFrame({"source_kind": ["new_kind"], "source_url": ["https://n.example/2"]})
    (new,) = _lines(provenance.source_line(rows, entries=[]))
    assert new.startswith("Source: new_kind;") and "1 figure from 1 request" in new
    facts = pd.DataFrame({"file": ["context/gone.csv"], "source_url": ["https://g.example/1"]})
    (gone,) = _lines(provenance.source_line(facts=facts, entries=[ENTRY]))
    assert gone.startswith("Source: <code>data/context/gone.csv</code> (not in the manifest); 1 fact")


def test_facts_are_listed_per_file_in_name_order():
    facts = pd.DataFrame({"file": ["b.csv", "a.csv", "b.csv"],
                          "source_url": ["https://b.example/2", "https://a.example/1", "https://b.example/1"]})
    entries = [dict(ENTRY, path="a.csv"), dict(ENTRY, path="b.csv", publisher="B pub")]
    a, b = _lines(provenance.source_line(facts=facts, entries=entries))
    assert "<code>data/a.csv</code>" in a and "1 fact from 1 source" in a
    assert "B pub" in b and "2 facts from 2 sources" in b
    assert [x["href"] for t, x in _Tags(b).tags if t == "a"] == ["https://b.example/1", "https://b.example/2"]


def test_nothing_to_cite_says_so():
    for markup in (provenance.source_line(entries=[]), provenance.source_line(pd.DataFrame(), entries=[]),
                   provenance.source_line(facts=pd.DataFrame(), entries=[])):
        assert _lines(markup) == ["Source: no data shown"]


def test_without_entries_the_bundled_manifest_is_read():
    rows = pd.DataFrame({"source_kind": ["official_release"], "source_url": ["https://r.example/a"]})
    (line,) = _lines(provenance.source_line(rows))
    assert "(not in the manifest)" not in line and "retrieved " in line
