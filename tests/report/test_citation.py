"""Citation, source list and source lines pinned whole, from hand-made manifest entries and rows."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from turnover.report import charts, citation, inputs, provenance

ENTRY = {"path": "official/official_figures.csv", "publisher": "Pub & Co", "retrieved_on": "2026-11-20",
         "sha256": "0123456789abcdef" * 4, "licence": "CC <BY>", "original_source": "Belstat", "route": "by hand"}
SNAP = {"path": "series/comtrade_blr.csv", "source_id": "ct-1", "publisher": "UN Stats", "retrieved_on": "2026-11-21",
        "sha256": "fedcba9876543210" * 4, "licence": "UN terms"}
FACTS = {"path": "official/context_facts.csv", "publisher": "Facts <Pub>", "retrieved_on": "2026-11-22",
         "sha256": "aaaabbbbccccdddd" * 4, "licence": "mixed"}


def test_entry_for_by_kind_then_source_id_then_file_stem():
    entries = [ENTRY, SNAP, {"path": "raw/imf_dots/BLR_KAZ.csv", "publisher": "IMF"}]
    assert provenance.entry_for("official_release", "anything", entries) is ENTRY
    assert provenance.entry_for("official_release", "x", [SNAP]) is None
    assert provenance.entry_for("un_comtrade", "ct-1", entries) is SNAP
    assert provenance.entry_for("imf_dots", "blr_kaz", entries) is entries[2]  # stem, any case
    assert provenance.entry_for("imf_dots", "BLR_KAZ", entries) is entries[2]
    assert provenance.entry_for("imf_dots", "other", entries) is None


NEW_KEYS = {"publisher_name", "dataset", "page_url", "route_url"}


def test_source_line_whole():
    rows = pd.DataFrame({"source_kind": ["un_comtrade", "official_release", "official_release", "wb_wits"],
                         "source_id": ["ct-1", "r1", "r2", "w-9"],
                         "source_url": ["https://c.example/q?a=1&b=2", "https://r.example/b", "https://r.example/a",
                                        "https://w.example/1"]})
    facts = pd.DataFrame({"file": ["official/context_facts.csv"] * 2,
                          "source_url": ["https://f.example/1", np.nan]})
    full = str(provenance.source_line(rows, facts, entries=[ENTRY, SNAP, FACTS]))
    # each API source names its publisher's own data set page (data/publishers.csv) after its links
    pages = re.findall(r' — published by <a href="([^"]+)"[^>]*>([^<]*)</a>', full)
    assert pages == [("https://wits.worldbank.org/", "World Bank, World Integrated Trade Solution (WITS) trade "
                      "statistics (UN Comtrade data)"),
                     ("https://comtradeplus.un.org/", "United Nations Statistics Division, UN Comtrade database")]
    # and a copy's route (manifest ``route``) beside it
    assert full.count(" — copy via by hand") == 1
    line = re.sub(r' — published by <a [^>]*>[^<]*</a>', "", full).replace(" — copy via by hand", "")
    a = '<a href="{}" rel="noreferrer noopener">[{}]</a>'
    assert line == (
        '<div class="source-line" style="font:12px/1.5 sans-serif;color:#444">'
        "Source: World Bank WITS, API snapshot; 1 figure from 1 request: " + a.format("https://w.example/1", 1)
        + "<br>Source: Pub &amp; Co — <code>data/official/official_figures.csv</code>, retrieved 2026-11-20, "
        "sha256 0123456789ab…; 2 figures from 2 releases: " + a.format("https://r.example/a", 1) + " "
        + a.format("https://r.example/b", 2)
        + "<br>Source: UN Stats — <code>data/series/comtrade_blr.csv</code>, retrieved 2026-11-21, sha256 "
        "fedcba987654…; 1 figure from 1 link: " + a.format("https://c.example/q?a=1&amp;b=2", 1)
        + "<br>Source: Facts &lt;Pub&gt; — <code>data/official/context_facts.csv</code>, retrieved 2026-11-22, "
        "sha256 aaaabbbbcccc…; 2 facts from 1 source: " + a.format("https://f.example/1", 1) + "</div>")


def _inp(claims):
    art = claims.article.model_copy(update={"title_en": "Title <t>", "outlet": "Out & co", "date": dt.date(2016, 5, 31)})
    return inputs.Inputs.of(panel=pd.DataFrame(), results=[], claims=claims.model_copy(update={"article": art}),
                         facts=pd.DataFrame(), today=dt.date(2026, 11, 25))


def test_citation_text_and_html(claims, tmp_path, monkeypatch):
    cff = {"title": "Turn <over>", "version": "1.2.3", "license": "MIT & more",
           "authors": [{"name": "A Team"}, {"given-names": "Ann", "family-names": "Lee"}, {"family-names": "Solo"}]}
    assert citation.cite_text(cff, _inp(claims), dt.date(2027, 1, 2)) == (
        "A Team, Ann Lee, Solo (2027). Turn <over>, version 1.2.3. Fact check of “Title <t>” (Out & co, 2016-05-31), "
        "report generated 2027-01-02.")
    assert citation.cite_text({"title": "T"}, _inp(claims), dt.date(2027, 1, 2)).startswith(" (2027). T, version ?. ")
    # the repository's address when CITATION.cff names one; said to be missing otherwise, never made up
    where = {**cff, "repository-code": "https://git.example/turnover"}
    assert citation.cite_text(where, _inp(claims), dt.date(2027, 1, 2)).startswith(
        "A Team, Ann Lee, Solo (2027). Turn <over>, version 1.2.3, https://git.example/turnover. Fact check of")
    monkeypatch.setattr(citation, "citation", lambda path=None: cff)
    assert citation.cite_html(_inp(claims), dt.date(2027, 1, 2)) == (
        '<section class="cite" id="how-to-cite"><h2>How to cite</h2><p class="cite-text">A Team, Ann Lee, Solo (2027). '
        "Turn &lt;over&gt;, version 1.2.3. Fact check of “Title &lt;t&gt;” (Out &amp; co, 2016-05-31), report "
        "generated 2027-01-02.</p><p>Software licence: MIT &amp; more (<code>CITATION.cff</code> in the repository). "
        "The repository's public address is not yet published (no <code>repository-code</code> in "
        "<code>CITATION.cff</code>). The figures belong to their publishers: cite them as listed below, under their terms.</p></section>")
    monkeypatch.setattr(citation, "citation", lambda path=None: where)
    assert "not yet published" not in citation.cite_html(_inp(claims), dt.date(2027, 1, 2))
    monkeypatch.setattr(citation, "citation", lambda path=None: {"title": "T"})
    assert "Software licence: ? (" in citation.cite_html(_inp(claims), dt.date(2027, 1, 2))


def test_citation_file_or_its_stand_in(tmp_path):
    f = tmp_path / "CITATION.cff"
    f.write_text("title: X\nversion: 9\nauthors:\n  - name: Y\n", encoding="utf-8")
    assert citation.citation(f) == {"title": "X", "version": 9, "authors": [{"name": "Y"}]}
    assert citation.citation(tmp_path / "none.cff") == {
        "title": "turnover", "authors": [{"name": "The turnover contributors"}], "license": "MIT"}
    bundled = citation.citation()
    assert bundled["version"] == "0.1.0" and bundled["license"] == "MIT"


def _rows():
    return pd.DataFrame({
        "row_id": ["o:1", "o:2", "o:2", "c:1", "x:1", "x:2"],
        "source_kind": ["official_release", "official_release", "official_release", "un_comtrade", "imf_imts",
                        "imf_imts"],
        "source_id": ["r1", "r2", "r2", "ct-1", "zz", "zz"],
        "source_url": ["https://r.example/b", "https://r.example/a", "https://r.example/a", "https://c.example/1",
                       "https://i.example/2", None],
        "retrieved_on": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-01", "2026-02-02", "2026-03-04",
                                        "2026-03-03"])})


def _facts():
    return pd.DataFrame({"fact_id": ["f1", "f2", "f1", "g1"],
                         "file": ["official/context_facts.csv"] * 3 + ["other/gone.csv"],
                         "source_url": ["https://f.example/1", "https://f.example/2", "https://f.example/1", None]})


def test_source_records_whole():
    shown = [charts.Chart("a", None, "t", [], rows=_rows().iloc[:3], facts=_facts().iloc[:2]),
             charts.Chart("b", None, "t", [], rows=_rows().iloc[2:], facts=_facts().iloc[2:]),
             charts.Chart("c", None, "t", [], rows=pd.DataFrame(), facts=pd.DataFrame())]
    full = citation.source_records(shown, entries=[ENTRY, SNAP, FACTS])
    assert [(r.get("publisher_name"), r.get("page_url")) for r in full] == [
        ("International Monetary Fund", "https://data.imf.org/en/datasets/IMF.STA:IMTS"),
        ("Belstat and BNS figures as quoted in public releases", ""),
        ("United Nations Statistics Division", "https://comtradeplus.un.org/"), (None, None), (None, None)]
    recs = [{k: v for k, v in r.items() if k not in NEW_KEYS} for r in full]
    assert recs == [
        {"name": "IMF International Trade in Goods (IMTS), API snapshot",
         "publisher": "IMF International Trade in Goods (IMTS), API snapshot", "retrieved": "2026-03-03 and 2026-03-04",
         "terms": "see the publisher's terms of use", "sha256": "", "urls": ["https://i.example/2"], "count": 2,
         "route": ""},
        {"name": "data/official/official_figures.csv", "publisher": "Pub & Co", "retrieved": "2026-11-20",
         "terms": "CC <BY>", "sha256": ENTRY["sha256"], "urls": ["https://r.example/a", "https://r.example/b"],
         "count": 2, "route": "Belstat — by hand"},
        {"name": "data/series/comtrade_blr.csv", "publisher": "UN Stats", "retrieved": "2026-11-21",
         "terms": "UN terms", "sha256": SNAP["sha256"], "urls": ["https://c.example/1"], "count": 1, "route": ""},
        {"name": "data/official/context_facts.csv", "publisher": "Facts <Pub>", "retrieved": "2026-11-22",
         "terms": "mixed", "sha256": FACTS["sha256"], "urls": ["https://f.example/1", "https://f.example/2"],
         "count": 2},
        {"name": "data/other/gone.csv", "publisher": "?", "retrieved": "?", "terms": "?", "sha256": "", "urls": [],
         "count": 1}]
    assert citation.source_records([], entries=[ENTRY]) == []
    none = [charts.Chart("a", None, "t", [], rows=None, facts=None)]
    assert citation.source_records(none, entries=[ENTRY]) == []
    # an entry without licence or sha256
    bare = {"path": "official/official_figures.csv", "publisher": "P", "retrieved_on": "2026-11-20"}
    (r,) = citation.source_records([charts.Chart("a", None, "t", [], rows=_rows().iloc[:1])], entries=[bare])
    assert (r["terms"], r["sha256"], r["route"]) == ("", "", "")


def test_sources_html_whole(monkeypatch):
    shown = [charts.Chart("a", None, "t", [], rows=_rows(), facts=_facts())]
    monkeypatch.setattr(citation.manifest, "entries", lambda: [ENTRY, SNAP, FACTS])
    full = citation.sources_html(shown)
    assert full.count(" Published by <a ") == 2  # IMF and UN Comtrade; official releases link each release
    html = re.sub(r" Published by <a [^>]*>[^<]*</a>\.", "", full)
    li = '<li><a href="{0}" rel="noreferrer noopener">{0}</a></li>'
    assert html == (
        '<section class="sources" id="sources"><h2>Sources</h2><ol class="sources">'
        '<li class="source"><b>IMF International Trade in Goods (IMTS), API snapshot</b> — <code>IMF International '
        "Trade in Goods (IMTS), API snapshot</code>.  Retrieved 2026-03-03 and 2026-03-04. Terms: see the "
        "publisher&#39;s terms of use. 2 values shown, from 1 release or request."
        f'<details><summary>Links</summary><ul>{li.format("https://i.example/2")}</ul></details></li>'
        '<li class="source"><b>Pub &amp; Co</b> — <code>data/official/official_figures.csv</code> (sha256 '
        "0123456789ab…).  From Belstat — by hand. Retrieved 2026-11-20. Terms: CC &lt;BY&gt;. 2 values shown, from "
        "2 releases or requests."
        f'<details><summary>Links</summary><ul>{li.format("https://r.example/a")}{li.format("https://r.example/b")}'
        "</ul></details></li>"
        '<li class="source"><b>UN Stats</b> — <code>data/series/comtrade_blr.csv</code> (sha256 fedcba987654…).  '
        "Retrieved 2026-11-21. Terms: UN terms. 1 value shown, from 1 release or request."
        f'<details><summary>Links</summary><ul>{li.format("https://c.example/1")}</ul></details></li>'
        '<li class="source"><b>Facts &lt;Pub&gt;</b> — <code>data/official/context_facts.csv</code> (sha256 '
        "aaaabbbbcccc…).  Retrieved 2026-11-22. Terms: mixed. 2 values shown, from 2 releases or requests."
        f'<details><summary>Links</summary><ul>{li.format("https://f.example/1")}{li.format("https://f.example/2")}'
        "</ul></details></li>"
        '<li class="source"><b>?</b> — <code>data/other/gone.csv</code>.  Retrieved ?. Terms: ?. 1 value shown, '
        "from 0 releases or requests.</li></ol></section>")
    assert citation.sources_html([]) == ('<section class="sources" id="sources"><h2>Sources</h2><p>No chart in this '
                                         "report shows a figure, so no source is cited.</p></section>")


def test_a_row_shown_by_two_charts_counts_once_even_with_extra_columns():
    # the mirror chart's rows carry columns of its own (period_label, _y) beside the panel's
    plain = _rows().iloc[:1]
    extra = plain.assign(period_label="2013", _y=2013)
    shown = [charts.Chart("a", None, "t", [], rows=plain), charts.Chart("b", None, "t", [], rows=extra)]
    (r,) = citation.source_records(shown, entries=[ENTRY])
    assert r["count"] == 1 and r["urls"] == ["https://r.example/b"]
    facts = _facts().iloc[:1]
    shown = [charts.Chart("a", None, "t", [], facts=facts), charts.Chart("b", None, "t", [], facts=facts.assign(x=1))]
    (f,) = citation.source_records(shown, entries=[FACTS])
    assert f["count"] == 1
