"""The live loaders against a real HTTP server on 127.0.0.1 serving recorded-format responses."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import replace
from urllib.parse import parse_qs

import pandas as pd
import pytest

from turnover.ingest.live.fake import FakeAPIs, value_for
from turnover.ingest import panel
from turnover.ingest.live import Config, SnapshotFallback, collect, print_plan
from turnover.ingest.live.fetch import Fetcher
from turnover.ingest.live.pull import SOURCES, plan
from turnover.ingest.live.snapshots import SnapshotStore

# scope 2016-01..2017-01: 13 preview months + 2 all-partner reporter-years (2016), 1 IMF block,
# 2 WITS all-partner reporter-years (2016)
TODAY = dt.date(2017, 2, 15)
N_CALLS = 13 + 2 + 1 + 2
# panel rows: bilateral 2 reporters x 4 partners x 2 flows x 13 months; all-partner: per reporter the
# fake's other partners (Comtrade 8, "Areas, nes" kept as an aggregate; WITS 7) x 2 flows
ROWS = {"un_comtrade": 208 + 2 * 8 * 2, "imf_imts": 208, "wb_wits": 2 * 7 * 2}
KIND_TO_SOURCE = {m.KIND: name for name, m in SOURCES.items()}


def _cfg(raw, url, **kw) -> Config:
    base = Config(raw_dir=raw, today=TODAY, comtrade_url=url, imf_url=url, wits_url=url, start_year=2016,
                  pace={"comtrade": 0.0, "imf": 0.0, "wits": 0.0}, attempts=3, backoff=0.001,
                  backoff_max=0.01, timeout=5.0)
    return replace(base, **kw)


class Sleeps(list):
    def __call__(self, seconds: float) -> None:  # record the wait instead of waiting
        self.append(seconds)


def _planned_urls(cfg: Config) -> list[str]:
    return [c.request.url for calls in plan(cfg, SnapshotStore(cfg.raw_dir)).values() for c in calls]


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]  # the request line the server sees


def test_pull_is_complete_minimal_and_a_rerun_makes_no_request(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path / "raw", api.url)
        planned = _planned_urls(cfg)
        assert len(planned) == N_CALLS
        api.fault("period=201603", "429")      # honoured Retry-After
        api.fault("/IMF.STA/IMTS/", "drop")    # a dropped connection, retried
        sleeps = Sleeps()
        frames = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=sleeps))

        assert sorted(api.served) == sorted(_path(u) for u in planned)  # each planned call once
        assert len(api.requests) == len(planned) + 2                      # + the 429 and the drop
        assert 1.0 in sleeps                                              # waited Retry-After: 1

        df = panel.validate(pd.concat(frames, ignore_index=True))
        assert set(df["source_kind"]) == {"un_comtrade", "imf_imts", "wb_wits"}
        assert (df["status"] == "reported").all()
        assert df.groupby("source_kind").size().to_dict() == ROWS
        annual = df[(df["source_kind"] == "un_comtrade") & (df["frequency"] == "annual")]
        assert set(annual["partner"]) == {"WLD", "BLR", "KAZ", "RUS", "UKR", "CHN", "DEU", "USA", "CT899"}
        assert set(annual.loc[annual["partner_kind"] == "aggregate", "partner"]) == {"WLD", "CT899"}
        for r in df.itertuples():
            period = r.period_start.strftime("%Y") if r.frequency == "annual" else r.period_start.strftime("%Y-%m")
            assert r.value_usd == value_for(KIND_TO_SOURCE[r.source_kind], r.reporter, r.partner, r.flow, period)
        assert df["source_url"].str.startswith(api.url).all()

        before = len(api.requests)
        again = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        assert len(api.requests) == before                                # second run: zero requests
        pd.testing.assert_frame_equal(panel.validate(pd.concat(again, ignore_index=True)), df)


def test_a_killed_pull_resumes_without_refetching(tmp_path):
    raw = tmp_path / "raw"
    with FakeAPIs() as api:
        cfg = _cfg(raw, api.url)
        planned = _planned_urls(cfg)
        api.hold_after = 5
        env = {**os.environ, "TURNOVER_RAW_DIR": str(raw), "TURNOVER_COMTRADE_URL": api.url,
               "TURNOVER_IMF_URL": api.url, "TURNOVER_WITS_URL": api.url, "TURNOVER_START_YEAR": "2016",
               "TURNOVER_PACE": "0", "TURNOVER_HTTP_BACKOFF": "0.001"}
        env.pop("COMTRADE_API_KEY", None)
        code = ("import datetime as dt; from turnover.ingest.live import Config, collect; "
                "collect(online=True, progress=False, config=Config.from_env(today=dt.date(2017, 2, 15)))")
        proc = subprocess.Popen([sys.executable, "-c", code], env=env)
        try:
            assert api.holding.wait(60), "the client never reached the sixth call"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert len(SnapshotStore(raw).entries) == 5
        fetched_before = list(api.served)

        api.hold_after = None
        frames = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        resumed = api.served[len(fetched_before):]
        assert len(resumed) == len(planned) - 5
        assert not set(resumed) & set(fetched_before)                     # nothing fetched twice
        assert sorted(api.served) == sorted(_path(u) for u in planned)
        assert sum(len(f) for f in frames) == sum(ROWS.values())


def test_plan_prints_the_calls_and_makes_none(tmp_path, capsys):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path / "raw", api.url)
        assert print_plan(cfg, SnapshotStore(cfg.raw_dir)) == N_CALLS
        out = capsys.readouterr().out
        assert out.count(" GET ") == N_CALLS
        assert "plan: 18 call(s) (comtrade 15, imf 1, wits 2; 4 of them for all partners)" in out
        every = [line for line in out.splitlines() if " all-partners " in line]
        assert len(every) == 4
        assert sum("/public/v1/preview/C/A/HS?reporterCode=" in line and "partnerCode" not in line
                   for line in every) == 2
        assert sum("/partner/all/" in line for line in every) == 2
        assert api.requests == []
        assert not (tmp_path / "raw").exists()


def test_keyed_comtrade_uses_twelve_periods_per_call_and_hides_the_key(tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 and requests log every request at DEBUG
    key = "TEST-KEY-0123456789abcdef"
    with FakeAPIs(key=key) as api:
        cfg = _cfg(tmp_path / "raw", api.url, comtrade_key=key)
        frames = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        comtrade_calls = [u for u, _ in api.requests if u.startswith("/data/v1/get/")]
        assert len(comtrade_calls) == 3      # 2016 (12 months) + 2017-01 + 2016 all partners, both reporters
        assert all(h.get("Ocp-Apim-Subscription-Key") == key for u, h in api.requests if u.startswith("/data/v1/"))
        assert all(key not in u for u, _ in api.requests)
        assert sum(len(f) for f in frames) == sum(ROWS.values())

        # a wrong key: 401 whose body echoes the key; the error and the records never show it
        wrong = "WRONG-KEY-fedcba9876543210"
        bad = _cfg(tmp_path / "raw2", api.url, comtrade_key=wrong)
        with pytest.raises(Exception) as err:
            collect(online=True, progress=True, config=bad, fetcher=Fetcher(bad, sleep=Sleeps()))
        assert "HTTP 401" in str(err.value) and "comtrade" in str(err.value)
        assert "\n" not in str(err.value)
        assert caplog.text  # the logs were captured...
        for text in [str(err.value), repr(bad), capsys.readouterr().err, caplog.text]:  # ...and hold no key
            assert wrong not in text and key not in text
        for f in (tmp_path / "raw2").rglob("*"):
            if f.is_file():
                assert wrong.encode() not in f.read_bytes(), f
        lines = [json.loads(x) for x in (tmp_path / "raw2/manifest.jsonl").read_text().splitlines()]
        assert any(e["outcome"] == "http_error" and e.get("redacted") for e in lines)


def test_online_without_network_falls_back_to_the_last_snapshots(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path / "raw", api.url)
        good = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
    dead = replace(cfg, comtrade_url="http://127.0.0.1:9", imf_url="http://127.0.0.1:9",
                   wits_url="http://127.0.0.1:9", ttl_days=-1)  # everything stale: must try the network
    with pytest.raises(SnapshotFallback) as err:
        collect(online=True, progress=False, config=dead, fetcher=Fetcher(dead, sleep=Sleeps()))
    assert "network unreachable" in str(err.value) and "last snapshots" in str(err.value)
    assert err.value.exit_code == 5
    assert sum(len(f) for f in err.value.frames) == sum(len(f) for f in good)


def test_a_settled_month_answering_empty_completes_and_is_not_asked_again(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path / "raw", api.url)
        api.fault("period=201603&", "nodata", times=99)  # HTTP 200 {"count":0,"data":[],"error":""}
        frames = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        assert len(api.requests) == N_CALLS                                # nothing failed, nothing retried
        store = SnapshotStore(cfg.raw_dir)
        (entry,) = [e for e in store.entries if e["params"].get("period") == "201603"]
        assert entry["outcome"] == "empty" and entry["http_status"] == 200 and entry["rows"] == 0
        df = panel.validate(pd.concat(frames, ignore_index=True))
        march = df[(df["source_kind"] == "un_comtrade") & (df["period_start"] == "2016-03-01")]
        assert len(march) == 16 and (march["status"] == "not_reported").all()  # settled: documented absence
        assert ((df["source_kind"] != "un_comtrade") | (df["period_start"] != "2016-03-01")
                | (df["status"] == "not_reported")).all()

        before = len(api.requests)
        collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        assert len(api.requests) == before                                 # the empty month is final too
        assert plan(cfg, SnapshotStore(cfg.raw_dir)) == {"comtrade": [], "imf": [], "wits": []}


def test_wits_no_records_for_recent_years_completes_with_those_years_as_no_data(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path / "raw", api.url, today=dt.date(2019, 2, 15), start_year=2017)
        api.fault("/year/2018/", "nodata", times=99)  # HTTP 404 "Not Found - NoRecordsFound"
        frames = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        wits_calls = [u for u, _ in api.requests if "/tradestats-trade/" in u]
        assert len(wits_calls) == 4                                        # 2017, 2018 x 2 reporters, once each
        store = SnapshotStore(cfg.raw_dir)
        outcomes = {(tuple(e["cells"]["reporters"]), e["cells"]["periods"][0]): (e["outcome"], e["http_status"])
                    for e in store.entries if e["source"] == "wits"}
        assert outcomes == {(("BLR",), "2017"): ("ok", 200), (("KAZ",), "2017"): ("ok", 200),
                            (("BLR",), "2018"): ("empty", 404), (("KAZ",), "2018"): ("empty", 404)}
        df = panel.validate(pd.concat(frames, ignore_index=True))
        wits_years = df.loc[df["source_kind"] == "wb_wits", "period_start"].dt.year
        assert set(wits_years) == {2017}
        # "no data" is an answer like any other: settled by its retrieval date, it is not asked again
        before = len(api.requests)
        collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        assert len(api.requests) == before


def test_imf_requests_carry_the_encoded_sdmx_time_filter(tmp_path):
    with FakeAPIs() as api:
        cfg = _cfg(tmp_path / "raw", api.url)
        collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=Sleeps()))
        (line,) = [u for u, _ in api.requests if "/IMF.STA/IMTS/" in u]
        query = line.split("?", 1)[1]
        assert query == ("c%5BTIME_PERIOD%5D=ge%3A2016-M01%2Ble%3A2017-M01"
                         "&dimensionAtObservation=TIME_PERIOD&attributes=dsd&measures=all")
        assert parse_qs(query)["c[TIME_PERIOD]"] == ["ge:2016-M01+le:2017-M01"]  # as the server decodes it
        entry = [e for e in SnapshotStore(cfg.raw_dir).entries if e["source"] == "imf"][0]
        assert entry["params"]["c[TIME_PERIOD]"] == "ge:2016-M01+le:2017-M01"


def test_the_fake_imf_applies_only_the_lower_bound_of_a_literal_plus(tmp_path):
    """Why the filter is encoded: sent with a literal '+', the upper bound is lost (as on the real API)."""
    import requests

    with FakeAPIs() as api:
        base = f"{api.url}/data/dataflow/IMF.STA/IMTS/+/BLR.XG_FOB_USD.KAZ.M?"
        literal = requests.get(base + "c%5BTIME_PERIOD%5D=ge:2016-M01+le:2016-M02", timeout=5).json()
        encoded = requests.get(base + "c%5BTIME_PERIOD%5D=ge%3A2016-M01%2Ble%3A2016-M02", timeout=5).json()
    periods = lambda doc: [v["value"] for v in doc["data"]["structures"][0]["dimensions"]["observation"][0]["values"]]  # noqa: E731
    assert periods(encoded) == ["2016-M01", "2016-M02"]
    assert len(periods(literal)) == 24


@pytest.mark.slow
def test_refresh_online_ends_0_when_wits_has_no_records_for_the_latest_year(tmp_path, monkeypatch, stub_report):
    from turnover import refresh

    year = dt.date.today().year - 1
    with FakeAPIs() as api:
        for k, v in {"TURNOVER_RAW_DIR": str(tmp_path / "raw"), "TURNOVER_COMTRADE_URL": api.url,
                     "TURNOVER_IMF_URL": api.url, "TURNOVER_WITS_URL": api.url, "TURNOVER_START_YEAR": str(year),
                     "TURNOVER_PACE": "0", "TURNOVER_HTTP_BACKOFF": "0.001"}.items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
        api.fault(f"/year/{year}/", "nodata", times=99)  # WITS lags: HTTP 404 "Not Found - NoRecordsFound"
        assert refresh.main(["--online", "--quiet", "--out", str(tmp_path / "out")]) == 0
        assert sum(f"/year/{year}/" in u for u, _ in api.requests) == 2  # each reporter once, no retry
    wits = [e for e in SnapshotStore(tmp_path / "raw").entries if e["source"] == "wits"]
    assert [(e["outcome"], e["http_status"]) for e in wits] == [("empty", 404)] * 2
    df = pd.read_parquet(tmp_path / "out" / refresh.PANEL)
    live = df[df["release_basis"].isna()]  # (the bundled WITS extract is dated by a rule)
    assert "wb_wits" not in set(live["source_kind"]) and "un_comtrade" in set(live["source_kind"])
