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
leaves an orphan file that is simply fetched again. The manifest is rewritten under a file lock
(``flock`` on the raw folder) after merging what other runs wrote, so runs sharing a raw folder lose
no line. Paths read from it stay inside the raw folder (no '..', no link followed); a damaged
line is ignored with one warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from filelock import FileLock

try:
    import fcntl
except ImportError:  # not POSIX: a lock file instead
    fcntl = None

from ...errors import BusyError, OutputError, SourceError, StateError, TurnoverError, warn
from ...paths import confined
from ...publish import atomic
from ...readers import read_bytes, read_text
from .request import Cells, Request

MANIFEST = "manifest.jsonl"


class _Unsafe(TurnoverError):
    """A folder inside the raw folder is a symbolic link (turned into ``OutputError``)."""


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


REQUIRED = {"source": str, "key": str, "outcome": str, "retrieved_at": str, "path": str, "sha256": str,
            "http_status": int, "bytes": int, "cells": dict}
LOCK = ".manifest.jsonl.lock"  # only where there is no fcntl (the raw folder itself is locked elsewhere)
LOCK_TIMEOUT = 120.0  # seconds another run may hold the manifest (it holds it for one write)


class _Busy(Exception):
    pass


@contextmanager
def _locked(root: Path):
    """Exclusive hold of the raw folder's manifest: ``flock`` on the folder itself (no lock file
    left beside the snapshots), or a ``filelock`` lock file where there is no ``fcntl``."""
    if fcntl is None:
        from filelock import Timeout

        try:
            with FileLock(root / LOCK, timeout=LOCK_TIMEOUT):
                yield
        except Timeout:
            raise _Busy() from None
        return
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _Busy() from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # releases the lock


def _problem(root: Path, e) -> str | None:
    """Why a manifest line cannot be used (None when it can): missing or mistyped fields, a time
    without zone, cells that do not parse, a path not plainly inside the raw folder."""
    if not isinstance(e, dict):
        return "not a JSON object"
    for name, kind in REQUIRED.items():
        if not isinstance(e.get(name), kind) or isinstance(e.get(name), bool):
            return f"no valid {name!r}"
    try:
        if dt.datetime.fromisoformat(e["retrieved_at"]).tzinfo is None:
            return "'retrieved_at' has no time zone"
        if not Cells.from_dict(e["cells"]).periods:
            return "'cells' lists no period"
    except (ValueError, TypeError, KeyError):
        return "'retrieved_at' or 'cells' cannot be read"
    try:
        confined(root, e["path"], StateError, "'path'")
    except StateError as err:
        return str(err)
    if len(e["path"].split("/")) != 3:
        return f"'path' {e['path']!r} is not <source>/<request key>/<file>"
    return None


class SnapshotStore:
    """The manifest in memory, merged with what other runs wrote and rewritten atomically, under a
    file lock, after each retrieval (two runs sharing a raw folder lose no line).

    A line that cannot be used (damaged, or naming a path outside the raw folder) is ignored with
    one warning and kept as it is; its call counts as not made, so ``--online`` fetches it again."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.path = self.root / MANIFEST
        self._rows: list[dict | str] = []  # usable entries, and damaged lines kept verbatim
        self._stamp: tuple | None = None
        self._warned: set[str] = set()
        self.entries: list[dict] = []
        self._load()

    def _stat(self) -> tuple | None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode

    def _load(self) -> None:
        self._stamp = self._stat()
        self._unreadable: str | None = None
        rows: list[dict | str] = []
        if self._stamp is not None:
            try:
                text = read_text(self.path, "snapshot manifest", StateError, max_bytes=1_000_000_000, follow=False)
            except StateError as err:  # never overwritten (``save`` refuses): its records may still matter
                self._unreadable = str(err)
                self._warn(str(err), f"{err}; no snapshot is used")
                text = ""
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    e = json.loads(line)
                    why = _problem(self.root, e)
                except ValueError:
                    why = "not valid JSON"
                if why:
                    self._warn(line, f"snapshots: {self.path} line {n} is damaged ({why}); ignored "
                                     "(its call is fetched again online)")
                    rows.append(line)
                else:
                    rows.append(e)
        self._rows = rows
        self.entries = [r for r in rows if isinstance(r, dict)]

    def _warn(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            warn(message)

    def _sync(self) -> None:
        """Re-read the manifest if another run has written it since."""
        if self._stat() != self._stamp:
            self._load()

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
        """Responses recorded for ``source`` since ``since`` (for the daily call budget; other runs'
        responses included)."""
        self._sync()
        return sum(1 for e in self.entries
                   if e["source"] == source and dt.datetime.fromisoformat(e["retrieved_at"]) >= since)

    def save(self, request: Request, *, status: int, body: bytes, content_type: str,
             retrieved_at: dt.datetime, outcome: str, licence: str, rows: int | None = None,
             error: str | None = None, redacted: bool = False, extra: dict | None = None) -> dict:
        """Write the body and add its manifest line; returns the line.

        ``OutputError`` (exit 2) when the raw folder cannot be written (full, read-only) or a folder
        in it is a symbolic link; ``BusyError`` when another run holds the manifest too long."""
        digest = hashlib.sha256(body).hexdigest()
        stamp = retrieved_at.strftime("%Y%m%dT%H%M%S%fZ")
        rel = f"{request.source}/{request.key}/{stamp}-{digest[:8]}.{_ext(content_type)}"
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
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(confined(self.root, rel, _Unsafe, make_dirs=True), body)
            with _locked(self.root):
                self._sync()  # what other runs recorded meanwhile is kept
                if self._unreadable:
                    raise _Unsafe(f"{self._unreadable}; it is not overwritten (move it away to start a new one)")
                # failed answers are kept for diagnosis, not for ever: only the newest body per request
                stale = [e for e in self.entries if e["key"] == request.key and e["outcome"] in FAILED
                         and not e.get("pruned")]
                for e in stale:
                    e["pruned"] = True
                self._rows.append(entry)
                self.entries.append(entry)
                text = "".join((json.dumps(r, ensure_ascii=False) if isinstance(r, dict) else r) + "\n"
                               for r in self._rows)
                atomic.write_text(self.path, text)
                self._stamp = self._stat()
            for e in stale:  # after the manifest says so: a crash here leaves at most a stray file
                try:
                    os.unlink(confined(self.root, e["path"], _Unsafe))
                except (_Unsafe, FileNotFoundError):
                    pass
        except _Busy:
            raise BusyError(f"another run has held the snapshot manifest {self.path} for {LOCK_TIMEOUT:g} s") from None
        except _Unsafe as err:
            raise OutputError(f"cannot write the raw snapshots to {self.root}: {err}; the previous outputs "
                              "are unchanged") from None
        except OSError as err:
            where = f" ({err.filename})" if err.filename else ""
            raise OutputError(f"cannot write the raw snapshots to {self.root}: {err.strerror or type(err).__name__}"
                              f"{where}; the previous outputs are unchanged") from None
        return entry

    def read(self, entry: dict) -> bytes:
        """The snapshot body (inside the raw folder, a regular file, no link followed), checked
        against its recorded sha256."""
        path = confined(self.root, entry["path"], SourceError, "snapshot")
        if not os.path.lexists(path):
            raise SourceError(f"snapshots: {entry['path']} is in the manifest but missing")
        body = read_bytes(path, "snapshot", SourceError, max_bytes=max(int(entry.get("bytes") or 0), 1),
                          follow=False)
        if hashlib.sha256(body).hexdigest() != entry["sha256"]:
            raise SourceError(f"snapshots: {entry['path']} does not match its sha256 (edited?)")
        return body
