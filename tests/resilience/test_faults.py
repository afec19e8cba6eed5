"""Fault injection on the live loaders, through ``refresh.run(online=True)``.

Each fault kind is served by the local fake (``turnover.ingest.live.fake``) on every call of one source:
429 with and without Retry-After, 500, a response slower than the timeout, a connection reset,
a body cut short, an HTML page with status 200, and schema drift (a missing field, a new type).
Each must give: a bounded number of attempts (counted on the server), one ``SourceError`` line
naming the source, the call and the cause, the last good snapshot files and manifest lines
untouched (and still current), and the previously published outputs byte-identical. A transient
fault (gone before the attempts run out) must give a complete panel instead.

Audit of what ``test_sources_*`` already covered (at ``fetch_one`` level, not through refresh):
429 *with* Retry-After (fetch, integration), 500 (contract), a dropped connection (fetch),
truncated *JSON* with a correct length, schema drift and unknown codes (contract), a bad
response leaving the last good snapshot current (contract: by manifest entry, not bytes).
Not covered before: 429 without Retry-After, slow responses, connection resets, a body cut
off mid-transfer, an HTML page with 200, byte-identical snapshots and outputs after a failure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil

import pandas as pd
import pytest

import turnover.report
from turnover.ingest.live.fake import FakeAPIs, value_for
from turnover import refresh
from turnover.ingest import live as sources
from turnover.errors import OfflineError, SourceError
from turnover.ingest.live.config import Config
from turnover.ingest.live.fetch import Fetcher
from turnover.ingest.live.pull import SOURCES
from turnover.ingest.live.snapshots import MANIFEST, SnapshotStore

ATTEMPTS = 3
PATHS = {"comtrade": "/public/v1/preview/", "imf": "/IMF.STA/IMTS/", "wits": "/tradestats-trade/"}
KIND_TO_SOURCE = {m.KIND: name for name, m in SOURCES.items()}
N = rf"after {ATTEMPTS} attempt\(s\)"
# fault kind -> (retried, what the one-line error must say)
FAULTS = {
    "429": (True, rf"rate limited \(HTTP 429\) {N}"),
    "429-bare": (True, rf"rate limited \(HTTP 429\) {N}"),
    "500": (True, rf"server error HTTP 500 {N}"),
    "slow": (True, rf"connection failed \(ReadTimeout: timed out\) {N}"),
    "reset": (True, rf"connection failed \(ConnectionError: dropped or cut off\) {N}"),
    "truncate": (True, rf"connection failed \(ChunkedEncodingError: dropped or cut off\) {N}"),
    "html200": (False, r"an HTML/XML page instead of JSON: Error The service is temporarily unavailable "
                       r"\(Content-Type 'text/html', not JSON\)"),
    "fixture:schema_missing_field.json": (False, r"changed schema"),
    "fixture:schema_new_type.json": (False, r"changed schema"),
}
RETRIED = [k for k, (retried, _) in FAULTS.items() if retried]


def _setenv(mp: pytest.MonkeyPatch, raw, url: str, timeout: float = 10.0) -> None:
    env = {"TURNOVER_RAW_DIR": str(raw), "TURNOVER_COMTRADE_URL": url, "TURNOVER_IMF_URL": url,
           "TURNOVER_WITS_URL": url, "TURNOVER_START_YEAR": str(dt.date.today().year - 1), "TURNOVER_PACE": "0",
           "TURNOVER_HTTP_ATTEMPTS": str(ATTEMPTS), "TURNOVER_HTTP_BACKOFF": "0.001",
           "TURNOVER_HTTP_BACKOFF_MAX": "0.01", "TURNOVER_HTTP_TIMEOUT": str(timeout)}
    for k, v in env.items():
        mp.setenv(k, v)
    mp.delenv("COMTRADE_API_KEY", raising=False)
    mp.delenv("TURNOVER_TTL_DAYS", raising=False)


def _files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _current(raw, source: str) -> list[dict]:
    return [e for e in SnapshotStore(raw).current_entries() if e["source"] == source]


@pytest.fixture(scope="module")
def api():
    with FakeAPIs() as fake:
        yield fake


@pytest.fixture(scope="module")
def baseline(api, tmp_path_factory, report_stub):
    """One good online refresh: snapshots under raw/, published outputs under out/."""
    root = tmp_path_factory.mktemp("baseline")
    with pytest.MonkeyPatch.context() as mp:
        _setenv(mp, root / "raw", api.url)
        mp.setattr(turnover.report, "build", report_stub)
        refresh.run(root / "out", online=True, quiet=True)
    assert {e["source"] for e in SnapshotStore(root / "raw").current_entries()} == set(PATHS)
    return root


class Site:
    def __init__(self, root, sleeps):
        self.root, self.raw, self.out, self.sleeps = root, root / "raw", root / "out", sleeps


@pytest.fixture
def site(baseline, api, tmp_path, monkeypatch, stub_report, request):
    """A copy of the baseline whose snapshots are all stale, so the next online run asks again."""
    root = tmp_path / "site"
    shutil.copytree(baseline, root)
    api.faults.clear()
    api.requests.clear()
    kind = request.node.callspec.params.get("kind")
    _setenv(monkeypatch, root / "raw", api.url, timeout=1.0 if kind == "slow" else 10.0)
    monkeypatch.setenv("TURNOVER_TTL_DAYS", "-1")
    sleeps: list[float] = []  # waits are recorded, not slept
    monkeypatch.setattr(sources, "Fetcher", lambda cfg: Fetcher(cfg, sleep=sleeps.append))
    return Site(root, sleeps)


def _hits(api, source: str) -> list[str]:
    return [u for u, _ in api.requests if PATHS[source] in u]


def _check_waits(kind: str, sleeps: list[float]) -> None:
    if kind == "429":
        assert sleeps.count(1.0) == len(sleeps) > 0      # the fake's Retry-After: 1, honoured
    elif kind in RETRIED:
        assert sleeps and all(s < 0.1 for s in sleeps)   # the configured back-off (0.001 s, doubling)


@pytest.mark.parametrize("source", PATHS)
@pytest.mark.parametrize("kind", FAULTS)
def test_a_persistent_fault_is_bounded_named_and_changes_nothing(api, site, kind, source):
    retried, cause = FAULTS[kind]
    raw_before, out_before = _files(site.raw), _files(site.out)
    current_before = _current(site.raw, source)
    api.fault(PATHS[source], kind, times=10_000)

    with pytest.raises(SourceError) as err:
        refresh.run(site.out, online=True, quiet=True, force=True)

    # a clear, one-line error of the project's own type, naming the source, the call and the cause
    msg = str(err.value)
    assert not isinstance(err.value, OfflineError) and err.value.exit_code == 4
    assert "\n" not in msg and msg == " ".join(msg.split())
    assert re.match(rf"^{source}: GET http://127\.0\.0\.1:\d+\S*{re.escape(PATHS[source])}\S*: ", msg), msg
    assert re.search(cause, msg), msg

    # bounded: the first call of the source is tried ATTEMPTS times (once if not retryable), then the
    # source stops; the other sources are still asked for everything
    hits = _hits(api, source)
    assert len(hits) == (ATTEMPTS if retried else 1) and len(set(hits)) == 1
    cfg = Config.from_env()
    for other in set(PATHS) - {source}:
        assert len(_hits(api, other)) == len(SOURCES[other].plan(cfg))
    _check_waits(kind, site.sleeps)

    # the last good snapshots: every file byte-identical, the manifest only appended to, and the
    # source's current entries unchanged (a bad answer is kept for the record, never made current)
    raw_after = _files(site.raw)
    for rel, data in raw_before.items():
        if rel != MANIFEST:
            assert raw_after[rel] == data, rel
    assert raw_after[MANIFEST].startswith(raw_before[MANIFEST])
    added = [json.loads(x) for x in raw_after[MANIFEST][len(raw_before[MANIFEST]):].decode().splitlines()]
    mine = [e for e in added if e["source"] == source]
    assert [e["outcome"] for e in mine] == ([] if retried else ["invalid"])
    assert all(e["error"] == msg for e in mine)
    assert _current(site.raw, source) == current_before

    # the published outputs: byte-identical, nothing staged left behind
    assert _files(site.out) == out_before


# the fake's all-partner answers: 8 partners besides the reporter (Comtrade's "Areas, nes" kept as an aggregate)
FAKE_PARTNERS = {"comtrade": 8, "wits": 7}


def _expected_cells(cfg: Config) -> dict[str, int]:
    def rows(name, c):
        if c.all_partners:
            return len(c.reporters) * len(c.flows) * len(c.periods) * FAKE_PARTNERS[name]
        return len(c)
    return {SOURCES[name].KIND: sum(rows(name, r.cells) for r in SOURCES[name].plan(cfg)) for name in PATHS}


@pytest.mark.parametrize("kind,source", [(k, list(PATHS)[i % 3]) for i, k in enumerate(RETRIED)])
def test_a_transient_fault_is_retried_and_the_data_are_complete(api, site, kind, source):
    raw_before = _files(site.raw)
    old_current = _current(site.raw, source)
    api.fault(PATHS[source], kind, times=ATTEMPTS - 1)  # the last attempt is answered

    summary = refresh.run(site.out, online=True, quiet=True, force=True)

    assert summary["network_error"] is None
    hits = _hits(api, source)
    assert hits.count(hits[0]) == ATTEMPTS                      # the first call: 2 faults, then the answer
    _check_waits(kind, site.sleeps)

    # old snapshot files stay (immutable); the new answer is now current
    raw_after = _files(site.raw)
    assert all(raw_after[rel] == data for rel, data in raw_before.items() if rel != MANIFEST)
    new_current = _current(site.raw, source)
    assert len(new_current) == len(old_current)
    assert not {e["path"] for e in new_current} & {e["path"] for e in old_current}

    # the published panel is complete: every planned cell of every source, with the fake's values
    df = pd.read_parquet(site.out / refresh.PANEL)
    # rows from the live APIs (the bundled extracts share their source_kind but are dated by a rule)
    api_rows = df[df["source_kind"].isin(KIND_TO_SOURCE) & df["release_basis"].isna()]
    assert api_rows.groupby("source_kind").size().to_dict() == _expected_cells(Config.from_env())
    assert (api_rows["status"] == "reported").all()
    for r in api_rows.itertuples():
        period = r.period_start.strftime("%Y" if r.frequency == "annual" else "%Y-%m")
        assert r.value_usd == value_for(KIND_TO_SOURCE[r.source_kind], r.reporter, r.partner, r.flow, period)
    run = json.loads((site.out / refresh.RUN).read_text())
    for rel, digest in run["outputs"].items():
        assert hashlib.sha256((site.out / rel).read_bytes()).hexdigest() == digest, rel
