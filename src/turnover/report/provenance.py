"""Source lines under each chart: the manifest record of each bundled file plus every release URL."""

from __future__ import annotations

import pandas as pd

from .. import manifest
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


def _links(urls: list[str]) -> Markup:
    return join((link(u, f"[{i}]") for i, u in enumerate(urls, 1)), " ")


def source_line(rows: pd.DataFrame | None = None, facts: pd.DataFrame | None = None,
                entries: list[dict] | None = None) -> Markup:
    """HTML: one line per source file or API used, each with the release URLs of what is shown."""
    entries = entries if entries is not None else manifest.entries()
    lines = []
    if rows is not None and len(rows):
        for kind, g in rows.groupby("source_kind", sort=True):
            urls = sorted(g["source_url"].dropna().unique())
            head = (_manifest_line(BUNDLED[kind], entries) if kind in BUNDLED
                    else SOURCE_NAMES.get(kind, str(kind)))
            what = "release(s)" if kind in BUNDLED else "request(s)"
            lines.append(html("{}; {} figure(s) from {} {}: {}", head, len(g), len(urls), what, _links(urls)))
    if facts is not None and len(facts):
        for path, g in facts.groupby("file", sort=True):
            urls = sorted(g["source_url"].dropna().unique())
            lines.append(html("{}; {} fact(s) from {} source(s): {}",
                              _manifest_line(path, entries), len(g), len(urls), _links(urls)))
    if not lines:
        lines.append("no data shown")
    return html('<div class="source-line" style="font:12px/1.5 sans-serif;color:#444">{}</div>',
                join((html("Source: {}", x) for x in lines), "<br>"))
