"""Source lines under each chart: the manifest record of each bundled file plus every release URL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..ingest import manifest, publishers
from ..text.fmt import plural
from .safe import Markup, html, join, link

# panel source_kind -> manifest path of the bundled file it comes from (API snapshots carry
# their own URL in source_url and are listed by it)
BUNDLED = {"official_release": "official/official_figures.csv"}
SOURCE_NAMES = {
    "un_comtrade": "UN Comtrade (United Nations Statistics Division), API snapshot",
    "imf_imts": "IMF International Trade in Goods (IMTS), API snapshot",
    "wb_wits": "World Bank WITS, API snapshot",
}


def _manifest_line(path: str, entries: list[dict]) -> Markup:
    for e in entries:
        if e["path"] == path:
            return html("{} — <code>data/{}</code>, retrieved {}, sha256 {}…",
                        e["publisher"], path, e["retrieved_on"], str(e["sha256"])[:12])
    return html("<code>data/{}</code> (not in the manifest)", path)


def publisher_of(kind: str, source_id: str | None, entry: dict | None) -> publishers.Publisher | None:
    """The publishers.csv row of a source: by the manifest entry's kind and id, else the row's."""
    if entry and entry.get("source_kind"):
        kind, source_id = entry["source_kind"], entry.get("source_id", source_id)
    return publishers.find(str(kind), None if source_id is None else str(source_id))


def cite_publisher(pub: publishers.Publisher | None, entry: dict | None) -> Markup:
    """" — published by <a href=page>publisher, data set</a>; copy via <route>" (each part when known)."""
    parts = []
    if pub is not None and pub.page_url:  # per-row sources (official releases) link each release instead
        parts.append(html("published by {}", link(pub.page_url, f"{pub.publisher}, {pub.dataset}")))
    route = (entry or {}).get("route")
    if route:
        url = (entry or {}).get("source_url")
        parts.append(html("copy via {}", link(url, str(route)) if url else str(route)))
    return html(" — {}", join(parts, "; ")) if parts else Markup("")


def _links(urls: list[str]) -> Markup:
    return join((link(u, f"[{i}]") for i, u in enumerate(urls, 1)), " ")


def entry_for(kind: str, source_id: str, entries: list[dict]) -> dict | None:
    """The manifest record of the bundled file a panel row comes from: by its source kind for the
    transcribed releases, else the entry that names the row's ``source_id``."""
    if kind in BUNDLED:
        return next((e for e in entries if e["path"] == BUNDLED[kind]), None)
    sid = str(source_id).lower()
    return next((e for e in entries if e.get("source_id") == source_id or Path(e["path"]).stem.lower() == sid), None)


def source_line(rows: pd.DataFrame | None = None, facts: pd.DataFrame | None = None,
                entries: list[dict] | None = None) -> Markup:
    """HTML: one line per source file or API used, each with the release URLs of what is shown."""
    entries = entries if entries is not None else manifest.entries()
    lines = []
    if rows is not None and len(rows):
        ids = rows["source_id"] if "source_id" in rows else pd.Series("", index=rows.index)
        keys = [(k, (entry_for(k, i, entries) or {}).get("path")) for k, i in zip(rows["source_kind"], ids)]
        groups: dict[tuple, list[int]] = {}
        for pos, key in enumerate(keys):
            groups.setdefault(key, []).append(pos)
        for (kind, path), pos in sorted(groups.items(), key=lambda kv: (str(kv[0][1]), str(kv[0][0]))):
            g = rows.iloc[pos]
            urls = sorted(g["source_url"].dropna().unique())
            head = _manifest_line(path, entries) if path else SOURCE_NAMES.get(kind, str(kind))
            what = "release" if kind in BUNDLED else "request" if not path else "link"
            entry = next((e for e in entries if e["path"] == path), None) if path else None
            sid = g["source_id"].iloc[0] if "source_id" in g else None
            lines.append(html("{}; {} from {}: {}{}", head, plural(len(g), "figure"), plural(len(urls), what),
                              _links(urls), cite_publisher(publisher_of(kind, sid, entry), entry)))
    if facts is not None and len(facts):
        for path, g in facts.groupby("file", sort=True):
            urls = sorted(g["source_url"].dropna().unique())
            entry = next((e for e in entries if e["path"] == path), None)
            pub = publisher_of(entry["source_kind"], entry.get("source_id"), entry) \
                if entry and entry.get("source_kind") else None
            lines.append(html("{}; {} from {}: {}{}", _manifest_line(path, entries), plural(len(g), "fact"),
                              plural(len(urls), "source"), _links(urls), cite_publisher(pub, entry)))
    if not lines:
        lines.append("no data shown")
    return html('<div class="source-line" style="font:12px/1.5 sans-serif;color:#444">{}</div>',
                join((html("Source: {}", x) for x in lines), "<br>"))
