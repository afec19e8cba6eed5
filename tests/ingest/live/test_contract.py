"""Contract tests: each source's hand-built fixtures (real formats) through fetch, snapshot and parse.

Per source: success, empty ("no data": settled -> not_reported, recent -> not_yet_released, never
an error), HTTP 400/401/429/500, truncated JSON, changed schema (missing field, new type), an
unknown code in a cell not asked for (skipped), all-partner answers, WITS's 404 NoRecordsFound,
and a bad response that must leave the last good snapshot current. Served by pytest-httpserver
on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from turnover.ingest import panel
from turnover.errors import OfflineError, SourceError
from turnover.ingest.live import comtrade, imf, wits
from turnover.ingest.live.fake import FIXTURES
from turnover.ingest.live.config import Config
from turnover.ingest.live.fetch import Fetcher
from turnover.ingest.live.pull import fetch_one, load
from turnover.ingest.live.request import ALL, Cells
from turnover.ingest.live.snapshots import SnapshotStore

FIX = FIXTURES  # the API bodies, beside the fake APIs that serve them
REPORTERS, PARTNERS = ("BLR", "KAZ"), ("BLR", "KAZ", "RUS", "UKR", "WLD")
MODULES = {"comtrade": comtrade, "imf": imf, "wits": wits}
CELLS = {
    "comtrade": Cells("M", REPORTERS, PARTNERS, ("2016-01",)),
    "imf": Cells("M", REPORTERS, PARTNERS, ("2016-01", "2016-02")),
    "wits": Cells("A", REPORTERS, PARTNERS, ("2016",)),
}
ENDPOINT = {"comtrade": "preview", "imf": "imts", "wits": "tradestats"}
ERRORS = {
    "comtrade": {400: "error_400.json", 401: "error_401.json", 429: "error_429.txt", 500: "error_500.html"},
    "imf": {400: "error_400.json", 401: "error_401.json", 429: "error_429.txt", 500: "error_500.html"},
    "wits": {400: "error_400.xml", 401: "error_401.html", 429: "error_429.txt", 500: "error_500.html"},
}
CTYPE = {".json": "application/json; charset=utf-8", ".txt": "text/plain", ".html": "text/html",
         ".xml": "application/xml"}
# (reporter, partner, flow, period) -> (status, value_usd) read off each success fixture by hand
EXPECTED = {
    "comtrade": {("BLR", "KAZ", "export", "2016-01"): ("reported", 31245678.0),
                 ("KAZ", "BLR", "export", "2016-01"): ("reported", 4567890.0),
                 ("BLR", "WLD", "export", "2016-01"): ("reported", 1834567890.0),
                 ("KAZ", "RUS", "import", "2016-01"): ("true_zero", 0.0),
                 ("BLR", "UKR", "import", "2016-01"): ("not_reported", None)},
    "imf": {("BLR", "KAZ", "export", "2016-02"): ("reported", 29876543.0),
            ("BLR", "KAZ", "import", "2016-02"): ("not_reported", None),
            ("KAZ", "BLR", "export", "2016-01"): ("reported", 4567890.5),
            ("KAZ", "WLD", "import", "2016-02"): ("reported", 2019551635133.0)},  # units, SCALE not applied
    "wits": {("BLR", "KAZ", "export", "2016"): ("reported", 412345678.0),   # US$ thousand -> US$
             ("BLR", "KAZ", "import", "2016"): ("reported", 98765000.0),
             ("BLR", "WLD", "export", "2016"): ("reported", 23537912500.0),
             ("KAZ", "UKR", "import", "2016"): ("not_reported", None)},
}
PARAMS = {  # as recorded in the manifest
    "comtrade": {"reporterCode": "112,398", "partnerCode": "112,398,643,804,0", "partner2Code": "0",
                 "customsCode": "C00", "motCode": "0", "period": "201601", "flowCode": "X,M", "cmdCode": "TOTAL",
                 "includeDesc": "true", "maxRecords": "500"},
    "imf": {"c[TIME_PERIOD]": "ge:2016-M01+le:2016-M02", "dimensionAtObservation": "TIME_PERIOD",
            "attributes": "dsd", "measures": "all"},
    "wits": {"format": "JSON"},
}
ROW_ID = {"comtrade": "un_comtrade:BLR:X:KAZ:2016-01", "imf": "imf_imts:BLR:XG_FOB_USD:KAZ:2016-01",
          "wits": "wb_wits:BLR:XPRT-TRD-VL:KAZ:2016"}


@pytest.fixture(scope="module")
def _server():
    """A pytest-httpserver of our own, bound to 127.0.0.1 (the shared one listens on 'localhost')."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def httpserver(_server):
    _server.clear()
    yield _server
    _server.clear()


@pytest.fixture
def cfg(tmp_path, httpserver) -> Config:
    url = httpserver.url_for("").rstrip("/")
    return Config(raw_dir=tmp_path / "raw", today=dt.date(2026, 11, 25), comtrade_url=url, imf_url=url,
                  wits_url=url, pace={}, attempts=2, backoff=0.001, backoff_max=0.01, timeout=5.0)


def _serve(httpserver, name: str, status: int = 200, headers: dict | None = None, body: bytes | None = None):
    path = FIX / name
    data = path.read_bytes() if body is None else body
    httpserver.expect_request(re.compile(".*")).respond_with_data(
        data, status=status, headers=headers, content_type=CTYPE.get(path.suffix, "application/json"))


def _fetch(source: str, cfg: Config, cells: Cells | None = None):
    mod = MODULES[source]
    req = mod.build(cells or CELLS[source], cfg, ENDPOINT[source])
    store = SnapshotStore(cfg.raw_dir)
    return req, store, fetch_one(mod, req, cfg, Fetcher(cfg, sleep=lambda s: None), store)


def _rows(cfg: Config) -> pd.DataFrame:
    frames = load(cfg, SnapshotStore(cfg.raw_dir))
    return panel.validate(pd.concat(frames, ignore_index=True)) if frames else pd.DataFrame()


@pytest.mark.parametrize("source", MODULES)
def test_success_fixture_becomes_panel_rows(source, cfg, httpserver):
    _serve(httpserver, f"{source}/success.json")
    req, store, kids = _fetch(source, cfg)
    assert kids == []
    (entry,) = store.entries
    assert entry["outcome"] == "ok" and entry["http_status"] == 200 and entry["url"] == req.url
    assert (cfg.raw_dir / entry["path"]).read_bytes() == (FIX / f"{source}/success.json").read_bytes()
    assert {"retrieved_at", "sha256", "bytes", "licence", "cells", "params"} <= set(entry)
    assert entry["params"] == PARAMS[source]

    df = _rows(cfg)
    assert len(df) == len(CELLS[source])  # every requested cell, value or documented absence
    got = {(r.reporter, r.partner, r.flow, r.period_start.strftime("%Y" if r.frequency == "annual" else "%Y-%m")):
           (r.status, None if pd.isna(r.value_usd) else r.value_usd) for r in df.itertuples()}
    for cell, want in EXPECTED[source].items():
        assert got[cell] == want, cell
    assert ROW_ID[source] in set(df["row_id"])
    assert set(df["source_kind"]) == {MODULES[source].KIND}
    assert (df["country"] == df["reporter"]).all()
    assert set(zip(df["flow"], df["valuation"])) == {("export", "FOB"), ("import", "CIF")}
    assert df["published_on"].isna().all() and (df["source_url"] == req.url).all()


@pytest.mark.parametrize("source", MODULES)
def test_empty_answer_for_settled_periods_is_no_data_not_an_error(source, cfg, httpserver):
    _serve(httpserver, f"{source}/empty.json")  # Comtrade: HTTP 200 {"count":0,"data":[],"error":""}
    req, store, kids = _fetch(source, cfg)
    assert kids == []
    (entry,) = store.entries
    assert entry["outcome"] == "empty" and entry["rows"] == 0 and entry["http_status"] == 200
    assert store.current_entries() == [entry]               # a valid answer: "no data for this period"
    df = _rows(cfg)
    assert len(df) == len(CELLS[source]) and (df["status"] == "not_reported").all() and df["value_usd"].isna().all()


@pytest.mark.parametrize("source", MODULES)
def test_empty_answer_for_a_recent_period_means_not_yet_released(source, cfg, httpserver):
    now = dt.datetime.now(dt.timezone.utc).date()
    last = replace(cfg, today=now).last_month()
    period = str(now.year - 1) if source == "wits" else last.strftime("%Y-%m")
    cells = replace(CELLS[source], periods=(period,))
    if source == "imf":  # the IMF also answers "no data" with 204 and no body
        _serve(httpserver, "imf/empty.json", status=204, body=b"")
    else:
        _serve(httpserver, f"{source}/empty.json")
    _, store, _ = _fetch(source, cfg, cells)
    assert store.entries[-1]["outcome"] == "empty"
    df = _rows(cfg)
    assert len(df) == len(cells) and (df["status"] == "not_yet_released").all() and df["value_usd"].isna().all()


@pytest.mark.parametrize("status", [400, 401, 429, 500])
@pytest.mark.parametrize("source", MODULES)
def test_http_errors_are_one_line_source_errors(source, status, cfg, httpserver):
    _serve(httpserver, f"{source}/{ERRORS[source][status]}", status=status, headers={"Retry-After": "0"})
    with pytest.raises(SourceError) as err:
        _fetch(source, cfg)
    msg = str(err.value)
    assert not isinstance(err.value, OfflineError)
    assert "\n" not in msg and msg.startswith(f"{source}: GET http://127.0.0.1")
    cause = {400: "HTTP 400 bad request", 401: "HTTP 401 bad or missing key",
             429: "rate limited (HTTP 429) after 2 attempt(s)", 500: "server error HTTP 500 after 2 attempt(s)"}
    assert cause[status] in msg
    assert len(httpserver.log) == (2 if status in (429, 500) else 1)  # only 429/5xx are retried
    assert SnapshotStore(cfg.raw_dir).current_entries() == []


def test_error_messages_quote_the_server(cfg, httpserver):
    _serve(httpserver, "comtrade/error_401.json", status=401)
    with pytest.raises(SourceError, match="Access denied due to invalid subscription key"):
        _fetch("comtrade", cfg)
    httpserver.clear()
    _serve(httpserver, "comtrade/error_400.json", status=400)
    with pytest.raises(SourceError, match="Only one period is allowed in preview"):
        _fetch("comtrade", cfg)
    httpserver.clear()
    quota = b'{"statusCode": 403, "message": "Out of call volume quota. Quota will be replenished in 05:12:00."}'
    _serve(httpserver, "comtrade/error_401.json", status=403, body=quota, headers={"Retry-After": "18720"})
    with pytest.raises(SourceError, match=r"HTTP 403 forbidden \(bad key or quota used up\): Out of call volume"):
        _fetch("comtrade", cfg)
    assert len(httpserver.log) == 1  # a used-up quota is reported, not waited for
    httpserver.clear()
    _serve(httpserver, "wits/error_500.html", status=500)
    with pytest.raises(SourceError, match="server error HTTP 500"):
        _fetch("wits", cfg)


MALFORMED = {
    "truncated.json": r"truncated JSON",
    "schema_missing_field.json": r"changed schema",
    "schema_new_type.json": r"changed schema",
}


@pytest.mark.parametrize("fixture", MALFORMED)
@pytest.mark.parametrize("source", MODULES)
def test_malformed_bodies_are_named_and_never_current(source, fixture, cfg, httpserver):
    _serve(httpserver, f"{source}/{fixture}")
    with pytest.raises(SourceError, match=MALFORMED[fixture]) as err:
        _fetch(source, cfg)
    assert "\n" not in str(err.value) and str(err.value).startswith(f"{source}: GET ")
    store = SnapshotStore(cfg.raw_dir)
    assert [e["outcome"] for e in store.entries] == ["invalid"]  # kept for the record, not used
    assert store.current_entries() == []


@pytest.mark.parametrize("source", MODULES)
def test_a_bad_response_leaves_the_last_good_snapshot_current(source, cfg, httpserver):
    _serve(httpserver, f"{source}/success.json")
    _fetch(source, cfg)
    before = _rows(cfg)
    httpserver.clear()
    _serve(httpserver, f"{source}/truncated.json")
    with pytest.raises(SourceError):
        _fetch(source, cfg)
    store = SnapshotStore(cfg.raw_dir)
    assert [e["outcome"] for e in store.entries] == ["ok", "invalid"]
    assert store.current_entries() == [store.entries[0]]
    pd.testing.assert_frame_equal(_rows(cfg), before)


@pytest.mark.parametrize("source", MODULES)
def test_an_empty_answer_never_replaces_a_snapshot_that_had_data(source, cfg, httpserver):
    now = dt.datetime.now(dt.timezone.utc)
    period = str(now.year - 1) if source == "wits" else replace(cfg, today=now.date()).last_month().strftime("%Y-%m")
    cells = replace(CELLS[source], periods=(period,))
    mod = MODULES[source]
    req = mod.build(cells, cfg, ENDPOINT[source])
    store = SnapshotStore(cfg.raw_dir)
    good = (FIX / f"{source}/success.json").read_bytes()  # stands for an earlier answer that had rows
    store.save(req, status=200, body=good, content_type="application/json", retrieved_at=now, outcome="ok",
               licence=mod.LICENCE, rows=16, error=None, redacted=False)
    _serve(httpserver, f"{source}/empty.json")
    assert fetch_one(mod, req, cfg, Fetcher(cfg, sleep=lambda s: None), store) == []
    assert store.entries[-1]["outcome"] == "empty_after_data"
    current = store.latest(req.key)
    assert current["outcome"] == "ok" and store.read(current) == good


# the cell whose code each unknown_code.json replaced by one the table lacks (999, XYZ, XXX)
UNASKED = {"comtrade": {("KAZ", "BLR", "import", "2016-01")},
           "imf": {("BLR", "KAZ", f, p) for f in ("export", "import") for p in ("2016-01", "2016-02")},
           "wits": {("BLR", "KAZ", "export", "2016"), ("BLR", "KAZ", "import", "2016")}}


@pytest.mark.parametrize("source", MODULES)
def test_an_unknown_code_in_a_cell_not_asked_for_is_skipped(source, cfg, httpserver):
    _serve(httpserver, f"{source}/unknown_code.json")
    _, store, _ = _fetch(source, cfg)
    assert [e["outcome"] for e in store.entries] == ["ok"]
    df = _rows(cfg)
    got = {(r.reporter, r.partner, r.flow, r.period_start.strftime("%Y" if r.frequency == "annual" else "%Y-%m")):
           (r.status, None if pd.isna(r.value_usd) else r.value_usd) for r in df.itertuples()}
    assert len(df) == len(CELLS[source])
    for cell in UNASKED[source]:                             # its series/row was not for a cell asked for
        assert got[cell] == ("not_reported", None)
    for cell, want in EXPECTED[source].items():
        if cell not in UNASKED[source]:
            assert got[cell] == want, cell


ALL_PARTNERS = {  # (source, fixture) -> cells, expected (partner, flow) -> US$, unknown codes on record
    "comtrade": (Cells("A", ("KAZ",), (ALL,), ("2016",)),
                 {("WLD", "export"): 36775641000.0, ("CHN", "import"): 4998316000.0, ("BLR", "export"): 41563000.0,
                  ("DEU", "export"): 282119000.0, ("USA", "import"): 1132514000.0}, ["999"]),
    "wits": (Cells("A", ("KAZ",), (ALL,), ("2016",)),
             {("WLD", "export"): 36775641000.0, ("RUS", "import"): 8669346000.0, ("CHN", "export"): 4219530000.0,
              ("BLR", "import"): 496137000.0}, ["XXX"]),
}


@pytest.mark.parametrize("source", ALL_PARTNERS)
def test_an_all_partner_answer_gives_a_row_per_partner(source, cfg, httpserver):
    cells, expected, unknown = ALL_PARTNERS[source]
    _serve(httpserver, f"{source}/all_partners.json")
    req, store, _ = _fetch(source, cfg, cells)
    (entry,) = store.entries
    assert entry["outcome"] == "ok" and entry["unknown_partner_codes"] == unknown  # on record, not guessed
    df = _rows(cfg)
    got = {(r.partner, r.flow): r.value_usd for r in df.itertuples()}
    for key, value in expected.items():
        assert got[key] == value, key
    assert (df["reporter"] == "KAZ").all() and (df["frequency"] == "annual").all()
    assert (df["status"] == "reported").all()               # no absences can be documented for "every partner"
    # "Areas, nes" stays, marked as an aggregate (never a partner to rank)
    assert set(df.loc[df["partner"] == "CT899", "partner_kind"]) <= {"aggregate"}
    assert set(df.loc[~df["partner"].isin(["CT899", "WLD"]), "partner_kind"]) == {"country"}
    assert len(df) == {"comtrade": 11, "wits": 8}[source]  # every known partner x flow in the answer


def test_wits_404_no_records_found_is_no_data_any_other_404_an_error(cfg, httpserver):
    cells = Cells("A", ("BLR",), (ALL,), ("2024",))
    _serve(httpserver, "wits/no_records_404.txt", status=404)
    _, store, kids = _fetch("wits", cfg, cells)
    assert kids == [] and store.entries[-1]["outcome"] == "empty" and store.entries[-1]["http_status"] == 404
    assert store.current_entries() == [store.entries[-1]]
    assert load(cfg, SnapshotStore(cfg.raw_dir)) == [] or all(f.empty for f in load(cfg, SnapshotStore(cfg.raw_dir)))
    httpserver.clear()
    _serve(httpserver, "wits/not_found_404.html", status=404)
    with pytest.raises(SourceError, match=r"HTTP 404 not found: 404 - File or directory not found"):
        _fetch("wits", cfg, replace(cells, periods=("2016",)))
    assert SnapshotStore(cfg.raw_dir).entries[-1]["outcome"] == "http_error"
