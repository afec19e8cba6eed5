"""Plan, fetch and load: the steps shared by every source module.

A source module provides ``NAME``, ``KIND``, ``LICENCE``, ``INDICATOR`` and the functions
``plan(cfg)``, ``build(cells, cfg, endpoint)``, ``headers(cfg, endpoint)`` and
``parse(status, body, cells, where)``, and optionally ``no_records(status, body)`` for a
source whose "no data" answer is an error status (WITS: 404 NoRecordsFound). Parsing reads
only snapshot bytes, so the same code validates a fresh response and rebuilds the panel offline.

An empty answer (Comtrade's HTTP 200 ``count: 0``, IMF's 204 or series-less data set, WITS's
404 NoRecordsFound) is a valid outcome, "no data for this period": recorded in the manifest
as ``empty``, it never replaces a snapshot that had rows and never stops the pull; once the
period has settled it is final like any other answer, so it is not asked again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from ...errors import OfflineError, SourceError
from . import comtrade, imf, wits
from .config import Config
from .fetch import Fetcher, redact, scrub
from .request import Cells, Request, settled
from .rows import load_json, to_frame
from .snapshots import DECISIVE, SnapshotStore
from .source import Source

log = logging.getLogger(__name__)

SOURCES: dict[str, Source] = {m.NAME: m for m in (comtrade, imf, wits)}


@dataclass(frozen=True)
class Call:
    request: Request
    reason: str          # missing | stale


def _retrieved(entry: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(entry["retrieved_at"])


def is_final(entry: dict, cfg: Config) -> bool:
    """A snapshot retrieved once its last period had settled never needs fetching again."""
    last = Cells.from_dict(entry["cells"]).periods[-1]
    return settled(last, _retrieved(entry), cfg.settle_months)


def children(mod, request: Request, cfg: Config) -> list[Request]:
    return [mod.build(c, cfg, request.endpoint) for c in request.cells.split()]


# outcomes that answer a call: what is current, plus an empty answer that kept an earlier snapshot
ANSWERED = DECISIVE + ("empty_after_data",)


def needed(mod, requests: list[Request], cfg: Config, store: SnapshotStore, now: dt.datetime) -> list[Call]:
    """The calls still to make for ``requests``: no snapshot yet, or a stale unsettled one."""
    out, todo = [], list(requests)
    while todo:
        req = todo.pop(0)
        entry = store.latest(req.key, ANSWERED)
        if entry is None:
            out.append(Call(req, "missing"))
        elif entry["outcome"] == "split":  # answered by smaller calls, some maybe fetched already
            todo[0:0] = children(mod, req, cfg)
        elif not is_final(entry, cfg) and now - _retrieved(entry) > dt.timedelta(days=cfg.ttl_days):
            out.append(Call(req, "stale"))
    return out


def plan(cfg: Config, store: SnapshotStore, now: dt.datetime | None = None) -> dict[str, list[Call]]:
    now = now or dt.datetime.now(dt.timezone.utc)
    return {name: needed(mod, mod.plan(cfg), cfg, store, now) for name, mod in SOURCES.items()}


def _http_cause(status: int, body: bytes, content_type: str) -> str:
    """A short cause for an error status, with the server's own message when it gives one."""
    label = {400: "bad request", 401: "bad or missing key", 403: "forbidden (bad key or quota used up)",
             404: "not found"}.get(status, "error")
    text = ""
    if "json" in content_type:
        try:
            doc = load_json(body, "")
            if isinstance(doc, dict):
                err = doc.get("errorObject") if isinstance(doc.get("errorObject"), dict) else doc
                text = str(err.get("errorMessage") or err.get("message") or err.get("error") or "")
        except SourceError:
            pass
    if not text:
        text = body.decode("utf-8", "replace")
        if "<" in text:  # an HTML page: keep its words only
            text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())[:200]
    return f"HTTP {status} {label}" + (f": {text}" if text else "")


def fetch_one(mod, req: Request, cfg: Config, fetcher: Fetcher, store: SnapshotStore) -> list[Request]:
    """Fetch one call and keep its snapshot; returns the smaller calls when it was split."""
    resp = fetcher.get(req, mod.headers(cfg, req.endpoint))
    body, redacted = redact(resp.body, cfg.secrets())  # every encoding, before it is parsed, kept or quoted
    where = f"{mod.NAME}: GET {req.url}"

    def save(outcome: str, rows: int | None = None, error: str | None = None, **extra) -> None:
        store.save(req, status=resp.status, body=body, content_type=resp.content_type,
                   retrieved_at=resp.retrieved_at, outcome=outcome, licence=mod.LICENCE,
                   rows=rows, error=error, redacted=redacted, extra=extra)

    def fail(outcome: str, err: str) -> SourceError:
        err = scrub(err, cfg.secrets())
        save(outcome, error=err)
        return SourceError(err)

    if resp.status not in (200, 204) and not mod.no_records(resp.status, body):
        raise fail("http_error", f"{where}: {_http_cause(resp.status, body, resp.content_type)}")
    try:
        parsed = mod.parse(resp.status, body, req.cells, where)
    except SourceError as err:
        ctype = resp.content_type.split(";")[0].strip()
        said = f" (Content-Type {ctype!r}, not JSON)" if ctype and "json" not in ctype.lower() else ""
        raise fail("invalid", f"{err}{said}") from None
    if req.row_cap and parsed.rows >= req.row_cap:
        kids = children(mod, req, cfg)
        if not kids:
            raise fail("invalid", f"{where}: {parsed.rows} rows reach the row cap and the call cannot be split")
        save("split", rows=parsed.rows)
        return kids
    extra = {"unknown_partner_codes": parsed.unknown} if parsed.unknown else {}
    if parsed.unknown:  # an all-partner answer with codes the table lacks: kept on record, not guessed
        log.warning("%s: partner code(s) %s not in countries.csv; those rows are left out",
                    where, ", ".join(parsed.unknown))
    if not parsed.obs:
        span = f"{req.cells.periods[0]}..{req.cells.periods[-1]}"
        previous = store.latest(req.key)
        if previous is not None and previous["outcome"] == "ok":
            # an answer that loses every row the last good snapshot had is not a revision: keep that one
            save("empty_after_data", rows=0, **extra)
            log.warning("%s: empty answer where the snapshot of %s had %s rows; the earlier snapshot stays current",
                        where, previous.get("retrieved_at"), previous.get("rows"))
            return []
        log.info("%s: no data for %s (HTTP %s)", where, span, resp.status)
        save("empty", rows=0, **extra)
        return []
    save("ok", rows=parsed.rows, **extra)
    return []


def pull(cfg: Config, store: SnapshotStore, fetcher: Fetcher, progress: bool = True) -> dict[str, int]:
    """Fetch every needed call, source by source; returns calls made per source.

    A failure (unreachable host or a bad answer) stops that source only; once every source
    has been tried, one error names each source that failed: ``OfflineError`` (exit 5) when
    every failure was an unreachable host, ``SourceError`` (exit 4) otherwise.
    """
    now = dt.datetime.now(dt.timezone.utc)
    made, errors = {}, []
    for name, mod in SOURCES.items():
        calls = needed(mod, mod.plan(cfg), cfg, store, now)
        made[name] = 0
        bar = tqdm(total=len(calls), desc=name, unit="call", disable=not progress, leave=False)
        try:
            budget = cfg.daily_calls.get(name)
            while calls:
                if budget is not None and store.calls_since(name, now - dt.timedelta(days=1)) >= budget:
                    raise SourceError(f"{name}: daily budget of {budget} calls reached with {len(calls)} call(s) "
                                      "left; run again in 24 h (the pull resumes where it stopped)")
                call = calls.pop(0)
                kids = fetch_one(mod, call.request, cfg, fetcher, store)
                made[name] += 1
                more = needed(mod, kids, cfg, store, now)
                calls[0:0] = more
                bar.total += len(more)
                bar.update(1)
        except SourceError as err:  # OfflineError included: other hosts may still answer
            errors.append(err)
        finally:
            bar.close()
    if errors:
        raise failures(errors)
    return made


def failures(errors: list[SourceError]) -> SourceError:
    """One error naming every failed source; offline (exit 5) only if each failure was offline."""
    cls = OfflineError if all(isinstance(e, OfflineError) for e in errors) else SourceError
    head = f"{len(errors)} sources failed: " if len(errors) > 1 else ""
    return cls(head + "; ".join(str(e) for e in errors))


def load(cfg: Config, store: SnapshotStore) -> list[pd.DataFrame]:
    """Panel frames (one per source) from the current snapshots; newest retrieval wins per row."""
    frames: dict[str, list[pd.DataFrame]] = {}
    for entry in store.current_entries():
        mod = SOURCES.get(entry["source"])
        if mod is None:
            raise SourceError(f"snapshots: unknown source {entry['source']!r} in the manifest")
        cells = Cells.from_dict(entry["cells"])
        parsed = mod.parse(entry["http_status"], store.read(entry), cells,
                           f"{mod.NAME}: snapshot {entry['path']}")
        frames.setdefault(mod.NAME, []).append(
            to_frame(parsed.obs, cells, entry, mod.KIND, mod.INDICATOR, cfg.settle_months))
    out = []
    for parts in frames.values():
        df = pd.concat(parts, ignore_index=True)
        df = df.sort_values("retrieved_on", kind="stable").drop_duplicates("row_id", keep="last")
        out.append(df.reset_index(drop=True))
    return out
