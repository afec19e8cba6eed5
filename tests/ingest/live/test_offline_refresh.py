"""`python -m turnover.refresh --online` without network: one clear line, outputs from the last
snapshots, exit code 5 (documented in --help)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

import pandas as pd
import pytest

from turnover.ingest.live.fake import FakeAPIs, value_for
from turnover import refresh
from turnover.ingest.live import Config, SnapshotFallback, collect
from turnover.ingest.live.pull import SOURCES
from turnover.ingest.live.fetch import Fetcher

KIND_TO_SOURCE = {m.KIND: name for name, m in SOURCES.items()}


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def _env(raw, url) -> dict:
    env = {**os.environ, "TURNOVER_RAW_DIR": str(raw), "TURNOVER_COMTRADE_URL": url, "TURNOVER_IMF_URL": url,
           "TURNOVER_WITS_URL": url, "TURNOVER_PACE": "0", "TURNOVER_HTTP_ATTEMPTS": "2",
           "TURNOVER_HTTP_BACKOFF": "0.01"}
    env.pop("COMTRADE_API_KEY", None)
    return env


def test_help_documents_exit_code_5_and_the_refresh_rule():
    text = refresh.__doc__
    assert "5 network unreachable in --online mode" in text and "last raw snapshots" in text
    assert "TURNOVER_TTL_DAYS" in text and "COMTRADE_API_KEY" in text


def test_collect_without_network_and_without_snapshots_falls_back_to_nothing(tmp_path):
    url = _dead_url()
    cfg = Config(raw_dir=tmp_path / "raw", today=dt.date(2026, 11, 25), comtrade_url=url, imf_url=url,
                 wits_url=url, pace={}, attempts=2, backoff=0.001)
    with pytest.raises(SnapshotFallback, match=r"^3 sources failed: comtrade: GET http://127\.0\.0\.1:\d+/public/v1/"
                                               r"preview/.*network unreachable .*; imf: GET .*network unreachable.*; "
                                               r"wits: GET .*network unreachable .*; continuing on the last snapshots$") as err:
        collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=lambda s: None))
    assert err.value.frames == [] and err.value.exit_code == 5


@pytest.mark.slow
def test_refresh_online_without_network_publishes_from_snapshots_and_exits_5(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    with FakeAPIs() as api:  # an earlier online run left snapshots for 2016
        cfg = Config(raw_dir=raw, today=dt.date(2017, 2, 15), start_year=2016, comtrade_url=api.url,
                     imf_url=api.url, wits_url=api.url, pace={}, attempts=2, backoff=0.001)
        collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=lambda s: None))
    manifest = (raw / "manifest.jsonl").read_bytes()

    # the model stage is stubbed: what is under test is loading, fallback, publishing and the exit code
    # (the real model on API rows is covered by test_the_model_accepts_a_panel_with_api_rows)
    code = ("import sys, turnover.model as m; m.evaluate = lambda *a, **k: []; "
            "from turnover import refresh; sys.exit(refresh.main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, "--online", "--quiet", "--out", str(out)],
                          env=_env(raw, _dead_url()), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 5, proc.stderr
    last = [line for line in proc.stderr.splitlines() if line.startswith("turnover:")]
    assert len(last) == 1 and last[0].startswith("turnover: offline: 3 sources failed: comtrade: GET http://127.0.0.1:")
    assert "; imf: GET" in last[0] and "; wits: GET" in last[0]  # every source that failed is named
    assert "network unreachable" in last[0] and "last snapshots" in last[0]
    df = pd.read_parquet(out / refresh.PANEL)
    assert {"official_release", "un_comtrade", "imf_imts", "wb_wits"} <= set(df["source_kind"])
    assert (out / refresh.REPORT).exists()
    assert (raw / "manifest.jsonl").read_bytes() == manifest  # the last good snapshots are untouched


def test_the_model_accepts_a_panel_with_api_rows(tmp_path):
    from turnover import model
    from turnover.ingest import official, panel
    from turnover.claims import load_claims

    with FakeAPIs() as api:
        cfg = Config(raw_dir=tmp_path / "raw", today=dt.date(2017, 2, 15), start_year=2016, comtrade_url=api.url,
                     imf_url=api.url, wits_url=api.url, pace={}, attempts=2, backoff=0.001)
        frames = collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=lambda s: None))
    claims = load_claims()
    p = panel.build_panel([official.load()] + frames)
    results = model.evaluate(p, claims)
    # one claim-level result per claim and vintage, every cited row in the panel, reporters kept apart
    assert {(r["claim_id"], r["vintage"]) for r in results if r["reporter"] == "all"} == {
        (c.id, v) for c in claims.claims for v in c.vintages}
    rows = p.set_index("row_id")
    for r in results:
        panel_ids = [i for i in r["source_row_ids"] if not i.startswith("fact:")]  # context facts are cited too
        assert set(panel_ids) <= set(rows.index)
        if r["reporter"] in claims.pair:
            assert set(rows.loc[panel_ids, "reporter"]) <= {r["reporter"]}
    # the API rows reach the verdicts, with the values the fake served (its formula, not the panel's)
    api = {i for r in results for i in r["source_row_ids"]
           if i in rows.index and rows.loc[i, "source_kind"] in KIND_TO_SOURCE}
    assert api
    for i in api:
        row = rows.loc[i]
        period = row["period_start"].strftime("%Y" if row["frequency"] == "annual" else "%Y-%m")
        assert row["value_usd"] == value_for(KIND_TO_SOURCE[row["source_kind"]], row["reporter"], row["partner"],
                                             row["flow"], period)


def test_refresh_plan_prints_the_calls_and_writes_nothing(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    for k, v in _env(raw, _dead_url()).items():
        if k.startswith("TURNOVER_"):
            monkeypatch.setenv(k, v)
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    assert refresh.main(["--plan", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("plan: ") and len(out) > 100
    assert all(" GET http://127.0.0.1:" in line for line in out[:-1])
    assert not raw.exists() and not (tmp_path / "out").exists()
