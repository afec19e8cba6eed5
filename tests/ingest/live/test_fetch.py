"""The shared fetch layer: Retry-After, back-off, dropped connections, unreachable hosts, snapshots."""

from __future__ import annotations

import datetime as dt
import email.utils
import socket

import pytest

from turnover.ingest.live.fake import FakeAPIs
from turnover.errors import OfflineError, SourceError
from turnover.ingest.live import wits
from turnover.ingest.live.config import Config
from turnover.ingest.live.fetch import Fetcher, retry_after_seconds
from turnover.ingest.live.pull import fetch_one, load
from turnover.ingest.live.request import Cells
from turnover.ingest.live.snapshots import SnapshotStore

CELLS = Cells("A", ("BLR", "KAZ"), ("BLR", "KAZ", "WLD"), ("2016",))


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _cfg(tmp_path, url: str, **kw) -> Config:
    args = dict(raw_dir=tmp_path / "raw", today=dt.date(2026, 11, 25), comtrade_url=url, imf_url=url,
                wits_url=url, pace={}, attempts=3, backoff=0.5, backoff_max=4.0, timeout=5.0)
    return Config(**{**args, **kw})


def test_retry_after_reads_seconds_and_http_dates():
    now = dt.datetime(2026, 11, 25, 8, 0, 0, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(email.utils.format_datetime(now + dt.timedelta(seconds=30)), now) == 30.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None


def test_429_waits_retry_after_and_5xx_backs_off_exponentially(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path, api.url)
        api.fault("tradestats", "429")
        api.fault("tradestats", "503")
        sleeps = Sleeps()
        req = wits.build(CELLS, cfg)
        fetch_one(wits, req, cfg, Fetcher(cfg, sleep=sleeps), SnapshotStore(cfg.raw_dir))
        assert len(api.requests) == 3
        assert sleeps[0] == 1.0                          # Retry-After: 1
        assert 1.0 <= sleeps[1] <= 1.5                   # second attempt: 0.5 * 2 + jitter in [0, 0.5]


def test_a_dropped_connection_is_retried_then_reported(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path, api.url, attempts=2)
        api.fault("tradestats", "drop", times=1)
        fetch_one(wits, wits.build(CELLS, cfg), cfg, Fetcher(cfg, sleep=Sleeps()), SnapshotStore(cfg.raw_dir))
        assert len(api.requests) == 2
        api.fault("tradestats", "drop", times=5)
        other = wits.build(Cells("A", ("BLR",), ("KAZ",), ("2017",)), cfg)
        with pytest.raises(SourceError, match=r"connection failed .* after 2 attempt") as err:
            fetch_one(wits, other, cfg, Fetcher(cfg, sleep=Sleeps()), SnapshotStore(cfg.raw_dir))
        assert not isinstance(err.value, OfflineError)


def test_a_long_retry_after_is_reported_not_slept(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path, api.url, max_retry_after=0.5)  # the fake asks for 1 s
        api.fault("tradestats", "429")
        sleeps = Sleeps()
        with pytest.raises(SourceError, match=r"server asks to wait 1 s; run again later"):
            fetch_one(wits, wits.build(CELLS, cfg), cfg, Fetcher(cfg, sleep=sleeps), SnapshotStore(cfg.raw_dir))
        assert sleeps == [] and len(api.requests) == 1


def test_an_unreachable_host_is_an_offline_error(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = _cfg(tmp_path, f"http://127.0.0.1:{port}", attempts=2)
    sleeps = Sleeps()
    with pytest.raises(OfflineError, match=r"wits: GET .*network unreachable .* after 2 attempt") as err:
        fetch_one(wits, wits.build(CELLS, cfg), cfg, Fetcher(cfg, sleep=sleeps), SnapshotStore(cfg.raw_dir))
    assert err.value.exit_code == 5 and len(sleeps) == 1
    assert not (tmp_path / "raw").exists()  # nothing received, nothing written


def test_snapshots_are_immutable_and_checked(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path, api.url)
        req = wits.build(CELLS, cfg)
        store = SnapshotStore(cfg.raw_dir)
        fetch_one(wits, req, cfg, Fetcher(cfg), store)
        fetch_one(wits, req, cfg, Fetcher(cfg), store)  # a new retrieval of the same call: a new file
        a, b = store.entries
        assert a["path"] != b["path"] and (cfg.raw_dir / a["path"]).exists()
        assert store.current_entries() == [b]
        assert SnapshotStore(cfg.raw_dir).entries == [a, b]  # the manifest round-trips
        (cfg.raw_dir / b["path"]).write_bytes(b"{}")
        with pytest.raises(SourceError, match="does not match its sha256"):
            load(cfg, SnapshotStore(cfg.raw_dir))
