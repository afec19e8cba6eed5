"""Badges and source lines, read back as HTML: every attribute carries its value, order is fixed,
nothing is dropped or invented; expected values are the test's own inputs."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd

from turnover.report import badges, provenance


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


VINTAGES = {"as_of_article": dt.date(2016, 5, 31), "today": dt.date(2026, 11, 25)}


def _r(reporter, vintage="today", **kw):
    return {"claim_id": "c1", "vintage": vintage, "as_of": VINTAGES[vintage].isoformat(), "reporter": reporter,
            "verdict": "supported", "summary": f"summary {reporter} {vintage}", **kw}


def test_a_badge_carries_claim_vintage_reporter_and_summary_in_its_attributes():
    (attrs, text), = _Tags(badges.badge(_r("KAZ"))).spans()
    assert attrs["data-claim"] == "c1" and attrs["data-vintage"] == "today" and attrs["data-reporter"] == "KAZ"
    assert attrs["title"] == "summary KAZ today"
    assert "verdict-badge" in attrs["class"].split()
    assert text.startswith("today (2026-11-25) · Kazakhstan's figures: ")
    assert re.search(r"background:#[0-9a-f]{6};", attrs["style"])


def test_a_badge_without_fields_shows_empty_attributes_not_placeholders():
    (attrs, text), = _Tags(badges.badge({"vintage": "today"})).spans()
    assert attrs["data-claim"] == "" and attrs["data-reporter"] == "" and attrs["title"] == ""
    (attrs, text), = _Tags(badges.badge({})).spans()
    assert attrs["data-vintage"] == "?" and text.startswith("as of ?")


def test_every_badge_colour_is_a_css_hex_colour_and_outcomes_differ():
    styles = {}
    for verdict in [*badges.VERDICTS, "something_new", None]:
        (attrs, text), = _Tags(badges.badge({"verdict": verdict, "vintage": "today"})).spans()
        m = re.search(r"background:(#[0-9a-f]{6});", attrs["style"])
        assert m, (verdict, attrs["style"])
        styles[verdict] = m.group(1)
    assert styles["supported"] != styles["not_supported"] != styles["mixed"]
    assert styles["something_new"] == styles["not_evaluated"]  # an unknown outcome is shown neutral


def test_badges_are_ordered_by_vintage_then_claim_level_then_the_pair_then_the_rest():
    results = [_r("unknown"), _r("XYZ"), _r("KAZ"), _r("all"), _r("BLR"),
               _r("KAZ", "as_of_article"), _r("all", "as_of_article")]
    markup = badges.badges("c1", results, VINTAGES)
    assert markup.startswith('<div class="verdict-badges">') and markup.endswith("</div>")
    got = [(a["data-vintage"], a["data-reporter"]) for a, _ in _Tags(markup).spans()]
    assert got == [("as_of_article", "all"), ("as_of_article", "KAZ"),
                   ("today", "all"), ("today", "BLR"), ("today", "KAZ"), ("today", "unknown"), ("today", "XYZ")]
    assert "".join(t for _, t in _Tags(markup).chunks) == "".join(t for _, t in _Tags(markup).spans())


def test_a_vintage_without_results_gets_one_claim_level_placeholder():
    markup = badges.badges("c9", [_r("BLR")], VINTAGES)
    (first, _), (second, _) = _Tags(markup).spans()
    assert first["data-claim"] == "c9" and first["data-vintage"] == "as_of_article"
    assert first["data-reporter"] == "all" and first["title"]
    assert second["data-reporter"] == "BLR" and second["title"] == "summary BLR today"


# --- source lines -----------------------------------------------------------------------------------

ENTRY = {"path": "official/official_figures.csv", "publisher": "Pub & Co", "retrieved_on": "2026-11-20",
         "sha256": "0123456789abcdef" * 4}


def _lines(markup: str) -> list[str]:
    assert markup.startswith('<div class="source-line"') and markup.endswith("</div>")
    inner = markup[markup.index(">") + 1:-len("</div>")]
    return inner.split("<br>")


def test_one_line_per_source_kind_in_name_order_with_counts_and_numbered_sorted_links():
    rows = pd.DataFrame({
        "source_kind": ["wb_wits", "official_release", "un_comtrade", "official_release", "official_release"],
        "source_url": ["https://w.example/1", "https://r.example/b", "https://c.example/1", "https://r.example/a",
                       np.nan]})
    lines = _lines(provenance.source_line(rows, entries=[ENTRY]))
    assert len(lines) == 3 and all(line.startswith("Source: ") for line in lines)
    official, comtrade, wits = lines
    assert "Pub &amp; Co" in official and "<code>data/official/official_figures.csv</code>" in official
    assert "retrieved 2026-11-20" in official and "sha256 0123456789ab…" in official
    assert "3 figure(s) from 2 release(s)" in official
    hrefs = [a["href"] for t, a in _Tags(official).tags if t == "a"]
    assert hrefs == ["https://r.example/a", "https://r.example/b"]
    assert re.search(r'>\[1\]</a> <a [^>]*>\[2\]</a>', official)
    assert comtrade.startswith("Source: UN Comtrade") and "1 figure(s) from 1 request(s)" in comtrade
    assert wits.startswith("Source: World Bank WITS")


def test_an_unknown_kind_is_named_as_is_and_a_file_missing_from_the_manifest_says_so():
    rows = pd.DataFrame({"source_kind": ["official_release", "new_kind"],
                         "source_url": ["https://r.example/1", "https://n.example/2"]})
    new, official = _lines(provenance.source_line(rows, entries=[]))  # in name order
    assert "<code>data/official/official_figures.csv</code> (not in the manifest)" in official
    assert new.startswith("Source: new_kind;") and "1 request(s)" in new


def test_facts_are_listed_per_file_in_name_order():
    facts = pd.DataFrame({"file": ["b.csv", "a.csv", "b.csv"],
                          "source_url": ["https://b.example/2", "https://a.example/1", "https://b.example/1"]})
    entries = [dict(ENTRY, path="a.csv"), dict(ENTRY, path="b.csv", publisher="B pub")]
    a, b = _lines(provenance.source_line(facts=facts, entries=entries))
    assert "<code>data/a.csv</code>" in a and "1 fact(s) from 1 source(s)" in a
    assert "B pub" in b and "2 fact(s) from 2 source(s)" in b
    assert [x["href"] for t, x in _Tags(b).tags if t == "a"] == ["https://b.example/1", "https://b.example/2"]


def test_nothing_to_cite_says_so():
    for markup in (provenance.source_line(entries=[]), provenance.source_line(pd.DataFrame(), entries=[]),
                   provenance.source_line(facts=pd.DataFrame(), entries=[])):
        assert _lines(markup) == ["Source: no data shown"]


def test_without_entries_the_bundled_manifest_is_read():
    rows = pd.DataFrame({"source_kind": ["official_release"], "source_url": ["https://r.example/a"]})
    (line,) = _lines(provenance.source_line(rows))
    assert "(not in the manifest)" not in line and "retrieved " in line
