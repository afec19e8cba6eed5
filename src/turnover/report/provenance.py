"""Source lines under each chart: the manifest record of each bundled file plus every release URL."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .. import manifest

# panel source_kind -> manifest path of the bundled file it comes from (API snapshots carry
# their own URL in source_url and are listed by it)
BUNDLED = {"official_release": "official/official_figures.csv"}
SOURCE_NAMES = {
    "un_comtrade": "UN Comtrade (United Nations Statistics Division), API snapshot",
    "imf_imts": "IMF International Trade in Goods (IMTS), API snapshot",
    "wb_wits": "World Bank WITS, API snapshot",
}


def _manifest_line(path: str, entries: list[dict]) -> str:
    for e in entries:
        if e["path"] == path:
            return (f"{html.escape(str(e['publisher']))} — <code>data/{html.escape(path)}</code>, "
                    f"retrieved {html.escape(str(e['retrieved_on']))}, sha256 {html.escape(str(e['sha256'])[:12])}…")
    return f"<code>data/{html.escape(path)}</code> (not in the manifest)"


def _links(urls: list[str]) -> str:
    urls = [u for u in urls if u.startswith(("http://", "https://"))]  # no other scheme becomes a link
    return " ".join(f'<a href="{html.escape(u)}" rel="noreferrer">[{i}]</a>' for i, u in enumerate(urls, 1))


def entry_for(kind: str, source_id: str, entries: list[dict]) -> dict | None:
    """The manifest record of the bundled file a panel row comes from: by its source kind for the
    transcribed releases, else the entry that names the row's ``source_id``."""
    if kind in BUNDLED:
        return next((e for e in entries if e["path"] == BUNDLED[kind]), None)
    sid = str(source_id).lower()
    return next((e for e in entries if e.get("source_id") == source_id or Path(e["path"]).stem.lower() == sid), None)


def source_line(rows: pd.DataFrame | None = None, facts: pd.DataFrame | None = None,
                entries: list[dict] | None = None) -> str:
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
            head = _manifest_line(path, entries) if path else html.escape(SOURCE_NAMES.get(kind, str(kind)))
            what = "release(s)" if kind in BUNDLED else "request(s)" if not path else "link(s)"
            lines.append(f"{head}; {len(g)} figure(s) from {len(urls)} {what}: {_links(urls)}")
    if facts is not None and len(facts):
        for path, g in facts.groupby("file", sort=True):
            urls = sorted(g["source_url"].dropna().unique())
            lines.append(f"{_manifest_line(path, entries)}; {len(g)} fact(s) from {len(urls)} source(s): {_links(urls)}")
    if not lines:
        lines.append("no data shown")
    return ('<div class="source-line" style="font:12px/1.5 sans-serif;color:#444">'
            + "<br>".join(f"Source: {x}" for x in lines) + "</div>")
