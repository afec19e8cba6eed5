"""Raw snapshots: every response body as received, plus one manifest line per retrieval.

Layout under the raw folder (default ``data/raw``)::

    manifest.jsonl                        one JSON object per retrieval, oldest first
    <source>/<request key>/<UTC time>-<sha8>.<ext>

Snapshot files are never rewritten: a new retrieval of the same request is a new file.
The manifest line's ``outcome`` says what the response was: ``ok`` and ``empty`` (valid,
usable; ``empty`` = "no data for this period", e.g. WITS's HTTP 404 NoRecordsFound),
``empty_after_data`` (an empty answer where the current snapshot had rows: recorded, that
snapshot stays current), ``split`` (hit the row cap: replaced by smaller calls), ``invalid``
or ``http_error`` (kept for the record, never used; only the latest failed body of a request
is kept on disk, older ones are deleted and their lines marked ``pruned``). The *current* snapshot of a request is
its latest ``ok``/``empty`` line, so a bad response never displaces the last good one.
Body and manifest are each written atomically (body first): a run killed between the two
leaves an orphan file that is simply fetched again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...publish import atomic
from ...errors import SourceError
from ...readers import read_bytes, read_text
from .request import Request

MANIFEST = "manifest.jsonl"
USABLE = ("ok", "empty")
DECISIVE = USABLE + ("split",)
FAILED = ("http_error", "invalid")
_EXT = {"application/json": "json", "text/html": "html", "text/plain": "txt",
        "application/xml": "xml", "text/xml": "xml"}


def _ext(content_type: str) -> str:
    base = (content_type or "").split(";")[0].strip().lower()
    if base.endswith("+json"):
        return "json"
    return _EXT.get(base, "bin")


def params_of(url: str) -> dict[str, str]:
    """The query parameters of ``url`` ('+' kept: the IMF uses it between time operators)."""
    query = urlsplit(url).query
    return {unquote(k): unquote(v) for k, _, v in (p.partition("=") for p in query.split("&") if p)}


class SnapshotStore:
    """The manifest in memory, rewritten atomically after each retrieval."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.path = self.root / MANIFEST
        self.entries: list[dict] = self._read()

    def _read(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        text = read_text(self.path, "snapshot manifest", SourceError, max_bytes=1_000_000_000)
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                raise SourceError(f"snapshots: {self.path} line {n} is not valid JSON") from None
        return out

    def latest(self, key: str, outcomes=DECISIVE) -> dict | None:
        """The newest manifest entry for ``key`` whose outcome is one of ``outcomes``."""
        for e in reversed(self.entries):
            if e["key"] == key and e["outcome"] in outcomes:
                return e
        return None

    def current_entries(self) -> list[dict]:
        """For every request key, its decisive entry when that entry is usable."""
        seen: dict[str, dict] = {}
        for e in self.entries:
            if e["outcome"] in DECISIVE:
                seen[e["key"]] = e
        return [e for e in seen.values() if e["outcome"] in USABLE]

    def calls_since(self, source: str, since: dt.datetime) -> int:
        """Responses recorded for ``source`` since ``since`` (for the daily call budget)."""
        return sum(1 for e in self.entries
                   if e["source"] == source and dt.datetime.fromisoformat(e["retrieved_at"]) >= since)

    def save(self, request: Request, *, status: int, body: bytes, content_type: str,
             retrieved_at: dt.datetime, outcome: str, licence: str, rows: int | None = None,
             error: str | None = None, redacted: bool = False, extra: dict | None = None) -> dict:
        """Write the body and append its manifest line; returns the line."""
        digest = hashlib.sha256(body).hexdigest()
        stamp = retrieved_at.strftime("%Y%m%dT%H%M%S%fZ")
        rel = f"{request.source}/{request.key}/{stamp}-{digest[:8]}.{_ext(content_type)}"
        atomic.write_bytes(self.root / rel, body)
        entry = {
            "source": request.source,
            "endpoint": request.endpoint,
            "key": request.key,
            "url": request.url,
            "params": params_of(request.url),
            "cells": request.cells.to_dict(),
            "retrieved_at": retrieved_at.isoformat(timespec="seconds"),
            "http_status": status,
            "content_type": content_type,
            "sha256": digest,
            "bytes": len(body),
            "path": rel,
            "outcome": outcome,
            "rows": rows,
            "licence": licence,
        }
        entry.update(extra or {})
        if error:
            entry["error"] = error
        if redacted:
            entry["redacted"] = "a secret found in the body was replaced by ***"
        # failed answers are kept for diagnosis, not for ever: only the newest body per request
        stale = [e for e in self.entries if e["key"] == request.key and e["outcome"] in FAILED
                 and not e.get("pruned")]
        for e in stale:
            e["pruned"] = True
        self.entries.append(entry)
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries)
        atomic.write_text(self.path, text)
        for e in stale:  # after the manifest says so: a crash here leaves at most a stray file
            (self.root / e["path"]).unlink(missing_ok=True)
        return entry

    def read(self, entry: dict) -> bytes:
        """The snapshot body, checked against its recorded sha256."""
        path = self.root / entry["path"]
        if not path.exists():
            raise SourceError(f"snapshots: {entry['path']} is in the manifest but missing")
        body = read_bytes(path, "snapshot", SourceError, max_bytes=max(int(entry.get("bytes") or 0), 1))
        if hashlib.sha256(body).hexdigest() != entry["sha256"]:
            raise SourceError(f"snapshots: {entry['path']} does not match its sha256 (edited?)")
        return body
