"""Planning: fewest calls per API, splitting at the row cap, the refresh rule, codes and config."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from turnover.ingest.live.fake import FakeAPIs
from turnover.errors import ConfigError, SourceError
from turnover.ingest.live import comtrade, imf, wits
from turnover.ingest.live.config import Config
from turnover.ingest.live.fetch import Fetcher
from turnover.ingest.live.pull import needed, plan, pull
from turnover.ingest.live.request import ALL, Cells
from turnover.ingest.live.snapshots import SnapshotStore

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def cfg(tmp_path) -> Config:
    return Config(raw_dir=tmp_path / "raw", today=TODAY, pace={}, attempts=2, backoff=0.001, backoff_max=0.01)


def test_comtrade_preview_makes_one_call_per_month_and_one_per_reporter_year_for_all_partners(cfg):
    reqs = comtrade.plan(cfg)
    monthly = [r for r in reqs if r.cells.freq == "M"]
    annual = [r for r in reqs if r.cells.freq == "A"]
    assert len(monthly) == 16 * 12 + 10                    # 2010-01 .. 2026-10 (last complete month)
    assert len(annual) == 16 * 2                           # 2010 .. 2025 (complete years) x 2 reporters
    assert all(len(r.cells.periods) == 1 for r in reqs) and all(r.row_cap == 500 for r in reqs)  # preview: ONE period
    first = monthly[0].url
    assert first.startswith("https://comtradeapi.un.org/public/v1/preview/C/M/HS?")
    for part in ("reporterCode=112,398", "partnerCode=112,398,643,804,0", "partner2Code=0", "period=201001",
                 "flowCode=X,M", "cmdCode=TOTAL", "customsCode=C00", "motCode=0", "includeDesc=true"):
        assert part in first
    assert annual[0].url == ("https://comtradeapi.un.org/public/v1/preview/C/A/HS?reporterCode=112&partner2Code=0"
                             "&customsCode=C00&motCode=0&period=2010&flowCode=X,M&cmdCode=TOTAL&includeDesc=true"
                             "&maxRecords=500")                # no partnerCode: every partner
    assert [(r.cells.reporters, r.cells.periods) for r in annual[:3]] == [
        (("BLR",), ("2010",)), (("KAZ",), ("2010",)), (("BLR",), ("2011",))]
    assert all(r.cells.all_partners for r in annual) and not any(r.cells.all_partners for r in monthly)
    assert len(set(r.key for r in reqs)) == len(reqs)


def test_keyed_comtrade_packs_a_calendar_year_into_each_call(cfg):
    reqs = comtrade.plan(replace(cfg, comtrade_key="k"))
    monthly = [r for r in reqs if r.cells.freq == "M"]
    annual = [r for r in reqs if r.cells.freq == "A"]
    assert len(monthly) == 17 and all(r.endpoint == "get" and r.row_cap == 100_000 for r in reqs)
    assert all(len(r.cells.periods) <= 12 and len({p[:4] for p in r.cells.periods}) == 1 for r in monthly)
    assert "period=201601,201602,201603,201604,201605,201606,201607,201608,201609,201610,201611,201612" in monthly[6].url
    # every partner, both reporters, 12-year blocks aligned on multiples of 12 (2004-2015, 2016-2027)
    assert [r.cells.periods for r in annual] == [tuple(map(str, range(2010, 2016))), tuple(map(str, range(2016, 2026)))]
    assert all("partnerCode" not in r.url and "reporterCode=112,398" in r.url for r in annual)
    assert all("k" not in r.url.split("?")[1].split("&")[0] for r in reqs)  # key never in the URL
    assert all("subscription" not in r.url.lower() for r in reqs)


def test_imf_asks_for_everything_in_five_year_blocks_with_an_encoded_sdmx_time_filter(cfg):
    reqs = imf.plan(cfg)
    assert [(r.cells.periods[0], r.cells.periods[-1]) for r in reqs] == [
        ("2010-01", "2014-12"), ("2015-01", "2019-12"), ("2020-01", "2024-12"), ("2025-01", "2026-10")]
    assert reqs[1].url == ("https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/"
                           "BLR+KAZ.XG_FOB_USD+MG_CIF_USD.BLR+KAZ+RUS+UKR+G001.M"
                           "?c%5BTIME_PERIOD%5D=ge%3A2015-M01%2Ble%3A2019-M12"
                           "&dimensionAtObservation=TIME_PERIOD&attributes=dsd&measures=all")
    # a server decodes the query string ('+' would be a space) back to the SDMX filter, both bounds
    query = urlsplit(reqs[1].url).query
    assert parse_qs(query)["c[TIME_PERIOD]"] == ["ge:2015-M01+le:2019-M12"]
    annual = imf.build(Cells("A", ("BLR",), ("KAZ",), ("2015", "2016")), cfg)
    assert parse_qs(urlsplit(annual.url).query)["c[TIME_PERIOD]"] == ["ge:2015-A1+le:2016-A1"]
    assert "/+/BLR.XG_FOB_USD+MG_CIF_USD.KAZ.A?" in annual.url
    every = imf.build(Cells("M", ("BLR",), (ALL,), ("2016-01",)), cfg)
    assert "/+/BLR.XG_FOB_USD+MG_CIF_USD..M?" in every.url  # an empty key part: every partner


def test_wits_asks_for_every_partner_once_per_reporter_and_complete_year(cfg):
    reqs = wits.plan(cfg)
    assert [(r.cells.reporters, r.cells.periods) for r in reqs[:3]] == [
        (("BLR",), ("2010",)), (("KAZ",), ("2010",)), (("BLR",), ("2011",))]
    assert len(reqs) == 16 * 2 and all(r.cells.all_partners for r in reqs)
    assert reqs[13].url == ("https://wits.worldbank.org/API/V1/SDMX/V21/datasource/tradestats-trade/"
                            "reporter/kaz/year/2016/partner/all/product/Total/"
                            "indicator/XPRT-TRD-VL;MPRT-TRD-VL?format=JSON")


def test_an_unknown_country_code_is_named(cfg):
    with pytest.raises(SourceError, match=r"comtrade: unknown country code 'XYZ'"):
        comtrade.plan(replace(cfg, partners=("KAZ", "XYZ")))


def test_splitting_halves_periods_then_partners():
    cells = Cells("M", ("BLR", "KAZ"), ("KAZ", "RUS", "WLD"), ("2016-01", "2016-02", "2016-03"))
    a, b = cells.split()
    assert (a.periods, b.periods) == (("2016-01",), ("2016-02", "2016-03"))
    one = Cells("M", ("BLR",), ("KAZ", "RUS", "WLD"), ("2016-01",))
    assert [c.partners for c in one.split()] == [("KAZ",), ("RUS", "WLD")]
    assert Cells("M", ("BLR",), ("KAZ",), ("2016-01",), ("export",)).split() == []
    assert len(Cells("M", ("BLR", "KAZ"), ("BLR", "KAZ"), ("2016-01",))) == 4  # no self-pairs


def test_a_response_at_the_row_cap_is_split_until_complete(tmp_path):
    with FakeAPIs() as api:
        cfg = Config(raw_dir=tmp_path / "raw", today=dt.date(2016, 2, 10), start_year=2016, comtrade_url=api.url,
                     imf_url=api.url, wits_url=api.url, pace={}, attempts=2, backoff=0.001, comtrade_row_cap=10)
        store = SnapshotStore(cfg.raw_dir)
        made = pull(cfg, store, Fetcher(cfg, sleep=lambda s: None), progress=False)
        # 16 rows >= 10: split by partners into {BLR,KAZ} (4 rows) and {RUS,UKR,WLD} (12 rows),
        # the latter again into {RUS} (4) and {UKR,WLD} (8): 5 calls for one month
        assert made["comtrade"] == 5
        outcomes = [e["outcome"] for e in store.entries if e["source"] == "comtrade"]
        assert outcomes.count("split") == 2 and outcomes.count("ok") == 3
        from turnover.ingest.live.pull import load
        ct = [f for f in load(cfg, store) if (f["source_kind"] == "un_comtrade").all()][0]
        assert len(ct) == 16 and (ct["status"] == "reported").all()
        n = len(api.requests)
        assert plan(cfg, SnapshotStore(cfg.raw_dir))["comtrade"] == []  # the split is remembered
        pull(cfg, SnapshotStore(cfg.raw_dir), Fetcher(cfg), progress=False)
        assert len(api.requests) == n


def _entry(store: SnapshotStore, req, retrieved: dt.datetime, outcome: str = "ok") -> None:
    store.entries.append({"source": req.source, "key": req.key, "url": req.url, "cells": req.cells.to_dict(),
                          "retrieved_at": retrieved.isoformat(), "outcome": outcome})


def test_refresh_rule_settled_snapshots_are_final_recent_ones_expire(cfg):
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc)
    old = imf.build(Cells("M", ("BLR",), ("KAZ",), ("2016-01", "2016-12")), cfg)
    recent = imf.build(Cells("M", ("BLR",), ("KAZ",), ("2026-01", "2026-10")), cfg)
    store = SnapshotStore(cfg.raw_dir)
    assert [c.reason for c in needed(imf, [old, recent], cfg, store, now)] == ["missing", "missing"]

    _entry(store, old, now - dt.timedelta(days=2000))     # retrieved in 2021: 2016-12 had settled
    _entry(store, recent, now - dt.timedelta(days=2))
    assert needed(imf, [old, recent], cfg, store, now) == []

    _entry(store, recent, now - dt.timedelta(days=8))     # a newer line that is older than the TTL
    assert [(c.request, c.reason) for c in needed(imf, [old, recent], cfg, store, now)] == [(recent, "stale")]

    early = imf.build(Cells("M", ("BLR",), ("KAZ",), ("2016-01",)), cfg)
    _entry(store, early, dt.datetime(2016, 3, 1, tzinfo=dt.timezone.utc))  # fetched before it settled
    assert [c.reason for c in needed(imf, [early], cfg, store, now)] == ["stale"]

    bad = imf.build(Cells("M", ("KAZ",), ("BLR",), ("2016-01",)), cfg)
    _entry(store, bad, now, outcome="invalid")            # a bad response is no snapshot
    assert [c.reason for c in needed(imf, [bad], cfg, store, now)] == ["missing"]


def test_config_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("COMTRADE_API_KEY", "SECRET-ENV-KEY")
    monkeypatch.setenv("TURNOVER_COMTRADE_URL", "http://127.0.0.1:1/")
    monkeypatch.setenv("TURNOVER_PACE", "0")
    monkeypatch.setenv("TURNOVER_IMF_PACE", "3")
    monkeypatch.setenv("TURNOVER_START_YEAR", "2014")
    monkeypatch.setenv("TURNOVER_RAW_DIR", str(tmp_path))
    cfg = Config.from_env(today=TODAY)
    assert cfg.comtrade_key == "SECRET-ENV-KEY" and "SECRET-ENV-KEY" not in repr(cfg)
    assert cfg.comtrade_url == "http://127.0.0.1:1" and cfg.start_year == 2014 and cfg.raw_dir == tmp_path
    assert cfg.pace == {"comtrade": 0.0, "imf": 3.0, "wits": 0.0}
    monkeypatch.setenv("TURNOVER_TTL_DAYS", "soon")
    with pytest.raises(ConfigError, match="TURNOVER_TTL_DAYS"):
        Config.from_env()


def test_the_daily_call_budget_stops_a_source_and_the_next_run_resumes(tmp_path):
    with FakeAPIs() as api:
        cfg = Config(raw_dir=tmp_path / "raw", today=dt.date(2016, 6, 10), start_year=2016, comtrade_url=api.url,
                     imf_url=api.url, wits_url=api.url, pace={}, attempts=2, backoff=0.001,
                     daily_calls={"comtrade": 3})
        with pytest.raises(SourceError, match=r"comtrade: daily budget of 3 calls reached with 2 call\(s\) left"):
            pull(cfg, SnapshotStore(cfg.raw_dir), Fetcher(cfg), progress=False)
        served = [u.split("?")[0] for u in api.served]
        assert served.count("/public/v1/preview/C/M/HS") == 3
        assert any("/IMF.STA/IMTS/" in u for u in served)  # the other sources still ran
        made = pull(replace(cfg, daily_calls={"comtrade": 5}), SnapshotStore(cfg.raw_dir), Fetcher(cfg),
                    progress=False)
        assert made == {"comtrade": 2, "imf": 0, "wits": 0}


def test_the_code_table_maps_every_source_code_one_way_and_back():
    from turnover.countries import codes, build as countries_build

    table = codes._table()
    assert table == [{k: str(v) for k, v in r.items()} for r in countries_build.rows()]  # as the generator writes it
    for col in ("iso3", "m49", "imf", "wits"):
        values = [r[col] for r in table if r[col]]
        assert len(values) == len(set(values)), col
    world = codes.lookup("0", "m49")
    assert world["iso3"] == "WLD" and world["kind"] == "aggregate" and world["imf"] == "G001" and world["wits"] == "wld"
    # Comtrade's own ids for a few countries, and its areas (aggregates with stable upper-case codes)
    assert {codes.from_source(c, "m49", "t") for c in (251, 381, 579, 699, 757, 842)} == {
        "FRA", "ITA", "NOR", "IND", "CHE", "USA"}
    assert codes.to_source("USA", "m49", "t") == "842" and codes.to_source("FRA", "m49", "t") == "251"
    assert codes.from_source(899, "m49", "t") == "CT899" and codes.kind("CT899") == "aggregate"
    assert codes.from_source(490, "m49", "t") == "CT490"   # "Other Asia, nes": never guessed to be a country
    assert codes.kind("CHN") == "country" and codes.from_source("chn", "wits", "t") == "CHN"
    for r in table:
        assert re.fullmatch(r"[A-Z]{3}" if r["kind"] == "country" else r"[A-Z0-9]{3,8}", r["iso3"]), r
        for col in ("m49", "imf", "wits"):
            if r[col]:
                assert codes.from_source(r[col], col, "t") == r["iso3"]
                assert codes.to_source(r["iso3"], col, "t") == r[col]
    assert codes.lookup("999", "m49") is None and codes.lookup("XXX", "wits") is None


# --- the plan follows the claims file (issue 22) ------------------------------------------

def _urls(c: Config) -> list[str]:
    return [r.url for mod in (comtrade, imf, wits) for r in mod.plan(c)]


@pytest.mark.parametrize("keyed", [False, True])
def test_the_bundled_claims_plan_exactly_the_belarus_kazakhstan_calls(cfg, keyed):
    from turnover.claims import load_claims

    base = replace(cfg, comtrade_key="k" if keyed else None)
    ours = base.for_claims(load_claims(today=TODAY))
    assert (ours.reporters, ours.partners, ours.start_year) == (base.reporters, base.partners, base.start_year)
    assert _urls(ours) == _urls(base)


def test_another_pair_plans_calls_for_that_pair_only(cfg):
    from pathlib import Path

    from turnover.claims import load_claims

    pairs = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"
    deu_rus = cfg.for_claims(load_claims(pairs / "deu-rus" / "claims.yaml", today=TODAY))
    assert (deu_rus.reporters, deu_rus.partners, deu_rus.all_partner_reporters) == (("DEU", "RUS"), ("DEU", "RUS", "WLD"), ())
    calls = {mod.NAME: mod.plan(deu_rus) for mod in (comtrade, imf, wits)}
    assert calls["wits"] == []  # no rule ranks partners: no all-partner call
    for r in calls["comtrade"]:
        q = parse_qs(urlsplit(r.url).query)
        assert q["reporterCode"] == ["276,643"] and q["partnerCode"] == ["276,643,0"]
        assert not r.cells.all_partners
    assert [r.cells.periods[0] for r in calls["comtrade"]][:1] == ["2010-01"]  # window 2012-2016: from 2010
    for r in calls["imf"]:
        assert "/DEU+RUS.XG_FOB_USD+MG_CIF_USD.DEU+RUS+G001.M" in r.url
    joined = " ".join(_urls(deu_rus))
    assert "112" not in re.findall(r"\d+", joined.split("?")[0]) and "BLR" not in joined and "KAZ" not in joined
    # a rule that ranks one country's partners asks every partner for that country only
    chn_aus = cfg.for_claims(load_claims(pairs / "chn-aus" / "claims.yaml", today=TODAY))
    assert chn_aus.all_partner_reporters == ("AUS",)
    every = [r for r in comtrade.plan(chn_aus) if r.cells.all_partners]
    assert every and all(parse_qs(urlsplit(r.url).query)["reporterCode"] == ["36"] for r in every)
    assert {r.cells.reporters for r in wits.plan(chn_aus)} == {("AUS",)}


def test_an_earlier_window_moves_the_start_unless_the_setting_says_otherwise(cfg, tmp_path):
    import shutil
    from pathlib import Path

    import yaml

    from turnover.claims import load_claims

    src = Path(__file__).resolve().parents[2] / "fixtures" / "pairs" / "usa-mex"
    shutil.copytree(src, tmp_path / "c")
    doc = yaml.safe_load((tmp_path / "c" / "claims.yaml").read_text())
    doc["claims"][0]["window"] = {"start": 2004, "end": 2008}
    (tmp_path / "c" / "claims.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    claims = load_claims(tmp_path / "c" / "claims.yaml", today=TODAY)
    assert cfg.for_claims(claims).start_year == 2004
    assert replace(cfg, start_year=2015, start_year_set=True).for_claims(claims).start_year == 2015


def test_every_live_source_module_meets_the_source_contract():
    from turnover.ingest.live import comtrade, imf, wits
    from turnover.ingest.live.pull import SOURCES
    from turnover.ingest.live.source import Source

    assert set(SOURCES) == {"comtrade", "imf", "wits"}
    for mod in SOURCES.values():
        assert isinstance(mod, Source), mod.__name__
    # only WITS has a "no data" answer on an error status (HTTP 404 NoRecordsFound)
    assert wits.no_records(404, b'{"NoRecordsFound": true}')
    assert not wits.no_records(404, b"<html>not found</html>") and not wits.no_records(200, b"NoRecordsFound")
    assert not comtrade.no_records(404, b"NoRecordsFound") and not imf.no_records(404, b"NoRecordsFound")
