"""The report's last part: how to cite it (from ``CITATION.cff``) and every source it shows.

A source is listed when a chart shows one of its values: bundled files with their manifest
record (publisher, retrieval date, terms, sha256), API snapshots with the request URLs. Nothing
about sources is written here by hand; it all comes from the manifest and the panel.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import yaml

from ..ingest import manifest
from ..paths import project_root
from ..text import fmt
from ..text.fmt import plural
from .inputs import Inputs
from .provenance import SOURCE_NAMES, entry_for, publisher_of
from .safe import link, text


def esc(value) -> str:
    return str(text(value))
CITATION = "CITATION.cff"


def citation(path: Path | None = None) -> dict:
    path = path or project_root() / CITATION
    if not path.exists():  # an installed copy without the repository's files
        return {"title": "turnover", "authors": [{"name": "The turnover contributors"}], "license": "MIT"}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cite_text(cff: dict, inp: Inputs, generated: dt.date) -> str:
    a = inp.claims.article
    authors = ", ".join(x.get("name") or " ".join(filter(None, [x.get("given-names"), x.get("family-names")]))
                        for x in cff.get("authors", []))
    url = cff.get("repository-code")
    return (f"{authors} ({generated.year}). {cff['title']}, version {cff.get('version', '?')}"
            + (f", {url}" if url else "") + ". "
            f"Fact check of “{a.title_en}” ({a.outlet}, {fmt.date(a.date)}), report generated {fmt.date(generated)}.")


def cite_html(inp: Inputs, generated: dt.date) -> str:
    cff = citation()
    return ('<section class="cite" id="how-to-cite"><h2>How to cite</h2>'
            f'<p class="cite-text">{esc(cite_text(cff, inp, generated))}</p>'
            f"<p>Software licence: {esc(str(cff.get('license', '?')))} (<code>{CITATION}</code> in the repository). "
            + ("" if cff.get("repository-code") else
               "The repository's public address is not yet published (no <code>repository-code</code> in "
               f"<code>{CITATION}</code>). ")
            + "The figures belong to their publishers: cite them as listed below, under their terms.</p></section>")


def _publisher(kind, sid, entry) -> dict:
    """The publisher's page of a source (data/publishers.csv): name, data set, page URL."""
    pub = publisher_of(kind, sid, entry)
    return {"publisher_name": pub.publisher, "dataset": pub.dataset, "page_url": pub.page_url} if pub else {}


def source_records(shown, entries: list[dict] | None = None) -> list[dict]:
    """One record per source of the values shown: name, publisher, retrieved, terms, file, urls, count."""
    entries = entries if entries is not None else manifest.entries()
    rows = [c.rows for c in shown if c.rows is not None and len(c.rows)]
    facts = [c.facts for c in shown if c.facts is not None and len(c.facts)]
    out: dict[str, dict] = {}
    if rows:
        df = pd.concat(rows).drop_duplicates("row_id")
        for (kind, sid), g in df.groupby(["source_kind", "source_id"], sort=True):
            e = entry_for(kind, sid, entries)
            key = e["path"] if e else f"{kind}:{sid}"
            rec = out.setdefault(key, {
                "name": (f"data/{e['path']}" if e else SOURCE_NAMES.get(kind, str(kind))),
                "publisher": e["publisher"] if e else SOURCE_NAMES.get(kind, str(kind)),
                "retrieved": str(e["retrieved_on"]) if e else fmt.join(sorted({fmt.date(x) for x in g["retrieved_on"]})),
                "terms": e.get("licence", "") if e else "see the publisher's terms of use",
                "sha256": e.get("sha256", "") if e else "", "urls": set(), "count": 0,
                "route": " — ".join(str(e[k]) for k in ("original_source", "route") if e and e.get(k)),
                **({"route_url": e.get("source_url", "")} if e and e.get("route") else {}),
                **_publisher(kind, sid, e)})
            rec["urls"] |= set(g["source_url"].dropna())
            rec["count"] += len(g)
    if facts:
        df = pd.concat(facts).drop_duplicates("fact_id")
        for path, g in df.groupby("file", sort=True):
            e = next((x for x in entries if x["path"] == path), None)
            rec = out.setdefault(path, {
                "name": f"data/{path}", "publisher": e["publisher"] if e else "?",
                "retrieved": str(e["retrieved_on"]) if e else "?", "terms": e.get("licence", "") if e else "?",
                "sha256": e.get("sha256", "") if e else "", "urls": set(), "count": 0,
                **(_publisher(e["source_kind"], e.get("source_id"), e) if e and e.get("source_kind") else {})})
            rec["urls"] |= set(g["source_url"].dropna())
            rec["count"] += len(g)
    return [dict(v, urls=sorted(v["urls"])) for v in out.values()]


def _links(urls: list[str]) -> str:
    return "".join(f"<li>{link(u)}</li>" for u in urls)


def sources_html(shown) -> str:
    recs = source_records(shown)
    if not recs:
        body = "<p>No chart in this report shows a figure, so no source is cited.</p>"
    else:
        items = []
        for r in recs:
            sha = f" (sha256 {esc(r['sha256'][:12])}…)" if r["sha256"] else ""
            page = ""
            if r.get("page_url"):  # per-row sources (official releases) link each release instead
                page = f" Published by {link(r['page_url'], r['publisher_name'] + ', ' + r['dataset'])}."
            route = ""
            if r.get("route"):
                route = f" From {link(r['route_url'], r['route']) if r.get('route_url') else esc(r['route'])}."
            items.append(
                f'<li class="source"><b>{esc(str(r["publisher"]))}</b> — <code>{esc(r["name"])}</code>{sha}. '
                + page + route
                + f" Retrieved {esc(r['retrieved'])}. Terms: {esc(str(r['terms']))}. "
                f"{plural(r['count'], 'value')} shown, from "
                f"{plural(len(r['urls']), 'release or request', 'releases or requests')}."
                + (f"<details><summary>Links</summary><ul>{_links(r['urls'])}</ul></details>" if r["urls"] else "")
                + "</li>")
        body = f'<ol class="sources">{"".join(items)}</ol>'
    return f'<section class="sources" id="sources"><h2>Sources</h2>{body}</section>'
