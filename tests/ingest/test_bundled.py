"""Bundled official series (data/raw/): the panel holds what the raw files say, cell by cell.

The raw files are re-read here independently (openpyxl cell reads, csv, json), not through
the loaders, and compared with the panel rows built from them.
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from turnover.ingest import bundled, manifest, official, panel, primary, releases
from turnover.model.vintage import cut, known_from
from turnover.paths import data_dir

DOTS = {"dots_18": ("raw/imf_dots/DOTS_18.xlsx", "BLR"), "dots_103": ("raw/imf_dots/DOTS_103.xlsx", "KAZ")}
NAMES = {}
with open(data_dir().parent / "src" / "turnover" / "countries" / "partner_names.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        NAMES[(r["scheme"], r["name"])] = (r["code"], r["kind"])


@pytest.fixture(scope="module")
def full_panel() -> pd.DataFrame:
    return panel.build_panel([official.load()] + bundled.load())


def _cells(rel: str):
    """{(flow, partner name, year): raw cell} read straight from the workbook."""
    wb = openpyxl.load_workbook(data_dir() / rel, data_only=True)
    out = {}
    for ws in wb.worksheets:
        flow = "export" if str(ws["B2"].value).startswith("Exports") else "import"
        head = next(r for r in ws.iter_rows() if any(str(c.value) == "1992" for c in r))
        years = {c.column: int(c.value) for c in head if c.value is not None and str(c.value).isdigit()}
        for row in ws.iter_rows(min_row=head[0].row + 1):
            name = row[1].value
            if name:
                for c in row:
                    if c.column in years:
                        out.setdefault((flow, name.strip(), years[c.column]), c.value)
    return out


@pytest.mark.parametrize("source_id", sorted(DOTS))
def test_dots_cells_equal_the_panel_for_a_sample(full_panel, source_id):
    rel, reporter = DOTS[source_id]
    cells = _cells(rel)
    rows = full_panel[full_panel["source_id"] == source_id].set_index("row_id")
    fixed = [(f, n, y) for f in ("export", "import")
             for n in ("Belarus, Rep. of", "Kazakhstan, Rep. of", "Russian Federation", "Ukraine", "World",
                       "China, P.R.: Mainland", "Germany")
             for y in (1995, 2005, 2013, 2014, 2015, 2016, 2020) if (f, n, y) in cells]
    rnd = random.Random(20261130)
    sample = fixed + rnd.sample(sorted(cells), 150)
    checked = estimates = 0
    for flow, name, year in sample:
        code, kind = NAMES[("imf_dots", name)]
        if kind == "label":
            continue
        cell = cells[(flow, name, year)]
        rid = f"{source_id}:{reporter}:{code}:{flow}:{year}"
        if cell is None:
            assert rid not in rows.index, f"{rid}: empty cell became a row"
            continue
        est = isinstance(cell, str) and cell.strip().endswith(" e")
        value = float(str(cell).replace(" e", "")) if isinstance(cell, str) else float(cell)
        row = rows.loc[rid]
        assert row["value_usd"] == pytest.approx(value * 1e6, rel=1e-12)
        assert row["status"] == ("estimate" if est else "reported")
        assert row["partner_kind"] == kind and row["reporter"] == reporter == row["country"]
        assert row["valuation"] == ("FOB" if flow == "export" else "CIF")
        checked += 1
        estimates += est
    assert checked >= 100
    if source_id == "dots_103":  # Kazakhstan's export carries IMF estimates; they must not pass as reported
        assert (rows["status"] == "estimate").sum() == sum(
            isinstance(v, str) and v.strip().endswith(" e") for k, v in cells.items() if NAMES[("imf_dots", k[1])][1] != "label")


def test_dots_values_behind_the_article(full_panel):
    p = full_panel.set_index("row_id")["value_usd"] / 1e6
    # Belarus-reported 2013: exports 870.4 + imports 82.4 = 952.8, Belstat's printed turnover
    assert p["dots_18:BLR:KAZ:export:2013"] + p["dots_18:BLR:KAZ:import:2013"] == pytest.approx(952.8, abs=0.05)
    # Kazakhstan-reported 2017: exports 91.8, imports 502.1 (later revision of the press's 95.5 / 508.6)
    assert p["dots_103:KAZ:BLR:export:2017"] == pytest.approx(91.8, abs=0.05)
    assert p["dots_103:KAZ:BLR:import:2017"] == pytest.approx(502.1, abs=0.05)


# partners that exist only as residuals of the World total (no country of their own)
RESIDUALS = {"NES", "ASIANES", "EURNES", "AFRNES", "WHEMNES", "BLX", "SPECCAT"}
WORLD_TOLERANCE_PCT = 0.01  # the cells carry up to 4 decimals of USD millions: sums agree to rounding


@pytest.mark.parametrize("source_id", sorted(DOTS))
def test_partner_rows_sum_to_the_world_row(full_panel, source_id):
    d = full_panel[full_panel["source_id"] == source_id]
    d = d.assign(year=d["period_end"].dt.year)
    parts = d[(d["partner_kind"] == "country") | d["partner"].isin(RESIDUALS)]
    summed = parts.groupby(["flow", "year"])["value_usd"].sum()
    world = d[d["partner"] == "WLD"].set_index(["flow", "year"])["value_usd"]
    assert len(world) == 2 * 29  # both flows, 1992-2020
    gap = 100 * (summed.reindex(world.index) / world - 1)
    assert gap.abs().max() < WORLD_TOLERANCE_PCT, gap.abs().idxmax()


def test_every_dots_partner_name_is_in_the_table_and_codes_are_unique():
    for source_id, (rel, _) in DOTS.items():
        names = {k[1] for k in _cells(rel)}
        assert names <= {n for s, n in NAMES if s == "imf_dots"}, names - {n for s, n in NAMES if s == "imf_dots"}
    codes = [c for (s, _), (c, k) in NAMES.items() if s == "imf_dots" and k != "label"]
    assert len(codes) == len(set(codes))
    for (s, n), (c, k) in NAMES.items():
        assert re.fullmatch(r"[A-Z]{3}" if k == "country" else r"[A-Z0-9]{3,8}|", c), (s, n, c)
    assert NAMES[("imf_dots", "World")] == ("WLD", "aggregate")
    assert NAMES[("imf_dots", "European Union")][1] == "aggregate"


def test_csv_extracts_and_belstat_equal_their_raw_files(full_panel):
    rows = full_panel.set_index("row_id")
    unit = {"value_thousand_usd": 1e3, "value_million_usd": 1e6}
    ids = {e["path"]: e["source_id"] for e in bundled.series_entries()}
    n = 0
    for rel, sid in ids.items():
        if not rel.endswith(".csv"):
            continue
        with open(data_dir() / rel, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                col = next(c for c in unit if c in r)
                partner = r.get("partner_iso3") or {"Belarus": "BLR", "World": "WLD"}[r["partner"]]
                flow = "export" if r["flow"].startswith("export") else "import"
                period = r.get("year") or r["month"]
                got = rows.loc[f"{sid}:{r['reporter']}:{partner}:{flow}:{period}"]
                assert got["value_usd"] == pytest.approx(float(r[col]) * unit[col], rel=1e-12)
                n += 1
    assert n == 180 + 36 + 62 + 58
    geo = json.loads((data_dir() / "raw/belstat/trade_geo.json").read_text(encoding="utf-8"))
    kz = next(r for r in geo if r["country"] == "Казахстан")
    sid = "belstat_trade_geo_2015_jan_sep"
    assert rows.loc[f"{sid}:BLR:KAZ:export:2015-01..2015-09", "value_usd"] == pytest.approx(kz["export"] * 1e3)
    assert rows.loc[f"{sid}:BLR:KAZ:import:2015-01..2015-09", "value_usd"] == pytest.approx(kz["import"] * 1e3)
    assert rows.loc[f"{sid}:BLR:KAZ:export:2015-01..2015-09", "frequency"] == "year-to-date"
    assert (full_panel["source_id"] == sid).sum() == 2 * len(geo)


def test_panel_covers_what_the_issue_promises(full_panel):
    p = full_panel
    for sid, rep in (("dots_18", "BLR"), ("dots_103", "KAZ")):
        d = p[p["source_id"] == sid]
        assert set(d["reporter"]) == {rep} and set(d["flow"]) == {"export", "import"}
        assert d["period_end"].dt.year.min() == 1992 and d["period_end"].dt.year.max() == 2020
        assert d["partner"].nunique() > 200
    bns = p[p["source_id"] == "bns_kz_by_partner"]
    assert set(bns["partner"]) == {"BLR", "RUS", "UKR"} and set(bns["period_end"].dt.year) == set(range(2020, 2026))
    # several sources for one reporter-year stay separate rows
    kz15 = p[(p["reporter"] == "KAZ") & (p["partner"] == "BLR") & (p["flow"] == "import")
             & (p["period_end"] == "2015-12-31")]
    assert set(kz15["source_id"]) == {"dots_103", "wits_kz_blr", "comtrade_kz_imports_blr"}


def test_every_bundled_row_is_dated_by_a_cited_rule(full_panel):
    rules = releases.read()
    assert len(rules) and rules["citation_url"].str.match(r"https?://\S+$").all()
    assert (rules["citation"].str.len() > 20).all() and (rules["first_release"].str.len() > 20).all()
    b = full_panel[full_panel["source_kind"] != "official_release"]
    assert b["published_on"].notna().all()
    assert b["release_basis"].str.fullmatch(r"rule:[a-z0-9_]+").all()
    assert set(b["release_basis"].str[5:]) <= set(rules["rule_id"])
    assert (b["published_on"] > b["period_end"]).all()
    o = full_panel[full_panel["source_kind"] == "official_release"]
    assert set(o["release_basis"]) <= {"printed", "inferred"}


@pytest.mark.parametrize("as_of", ["2009-06-30", "2016-03-30", "2016-03-31", "2016-05-31", "2021-02-25", "2026-11-30"])
def test_no_row_is_visible_before_its_first_release(full_panel, as_of):
    seen = cut(full_panel, as_of)
    dated = seen[seen["published_on"].notna()]
    assert (dated["published_on"] <= pd.Timestamp(as_of)).all()
    assert (known_from(seen) <= pd.Timestamp(as_of)).all()
    hidden = full_panel.drop(seen.index)
    assert (known_from(hidden) > pd.Timestamp(as_of)).all()


def test_dots_2015_appears_at_the_end_of_march_2016(full_panel):
    rid = "dots_18:BLR:KAZ:export:2015"
    assert rid not in set(cut(full_panel, "2016-03-30")["row_id"])
    assert rid in set(cut(full_panel, "2016-03-31")["row_id"])
    # by the article's date both statistics offices' 2015 figures were public
    seen = cut(full_panel, "2016-05-31")
    for r in ("dots_18:BLR:KAZ:import:2015", "dots_103:KAZ:BLR:export:2015", "dots_103:KAZ:BLR:import:2015"):
        assert r in set(seen["row_id"])
    assert "dots_18:BLR:KAZ:export:2016" not in set(seen["row_id"])


def test_vintage_note_says_values_are_revised_and_when_first_published(full_panel):
    row = full_panel.set_index("row_id").loc["dots_18:BLR:KAZ:export:2015"]
    note = releases.vintage_note(row)
    assert note.startswith("figures as revised later") and "2016-03-31" in note and "http" in note
    assert releases.vintage_note(full_panel[full_panel["release_basis"] == "printed"].iloc[0]) is None


def test_primary_series_per_reporter(full_panel):
    decl = primary.read()
    assert set(decl["reporter"]) == {"BLR", "KAZ"} and (decl["why"].str.len() > 20).all()
    kz = panel.primary_series(full_panel, "KAZ")
    kz_blr = kz[kz["partner"] == "BLR"].assign(year=lambda d: d["period_end"].dt.year)
    assert set(kz_blr.loc[kz_blr["year"] <= 2020, "source_id"]) == {"dots_103"}
    assert set(kz_blr.loc[kz_blr["year"] > 2020, "source_id"]) == {"bns_kz_by_partner"}
    assert not kz_blr.duplicated(["flow", "year"]).any()  # one primary figure per flow and year
    by = panel.primary_series(full_panel, "BLR")
    assert set(by.loc[by["period_end"].dt.year <= 2020, "source_id"]) == {"dots_18"}
    assert not full_panel.loc[full_panel["source_id"].isin(["wits_kz_blr", "comtrade_kz_imports_blr"]), "primary"].any()


def test_totals_and_bilateral_share(full_panel):
    tot = panel.totals(full_panel, "BLR").set_index(["source_id", "period_end"])
    t13 = tot.loc[("dots_18", pd.Timestamp("2013-12-31"))]
    assert t13["turnover"] == pytest.approx(t13["export"] + t13["import"])
    share = panel.bilateral_share(full_panel, "BLR", "KAZ").set_index(["source_id", "period_end"])
    s13 = share.loc[("dots_18", pd.Timestamp("2013-12-31"))]
    assert s13["turnover"] == pytest.approx(952.78e6, rel=1e-4)
    assert s13["share_pct"] == pytest.approx(100 * s13["turnover"] / t13["turnover"])
    assert set(share.index.get_level_values("source_id")) == {"dots_18"}  # never a bilateral figure over another source's total


def test_unstated_reporter_attributed_only_on_a_close_unique_match(full_panel):
    p = full_panel.set_index("row_id")
    r = p.loc["official:dossier-013"]  # 2016 turnover 419.1, reporter not stated
    assert r["reporter"] == "BLR" and r["attributed_by"].startswith("match 0.0")
    assert "dots_18:BLR:KAZ:export:2016" in r["attributed_by"]
    assert r["published_on"] == pd.Timestamp(official.read_csv().set_index("row_id").loc["dossier-013", "published_on"])
    for rid in p.index[p["attributed_by"].notna()]:
        diff = float(re.match(r"match (\d+\.\d+)%", p.loc[rid, "attributed_by"]).group(1))
        assert diff <= 0.5
    still = p[(p["reporter"] == "unknown") & (p["source_kind"] == "official_release")]
    assert len(still) > 10  # most press figures are rounded or bounds: they stay "not stated"


def test_a_figure_matching_both_reporters_stays_unstated():
    from turnover.ingest import attribution

    base = dict(source_kind="imf_dots", country="BLR", partner="KAZ", frequency="annual",
                period_start=pd.Timestamp("2014-01-01"), period_end=pd.Timestamp("2014-12-31"),
                value_qualifier="exact", status="reported")
    rows = pd.DataFrame([
        {**base, "row_id": "a", "source_id": "x", "reporter": "BLR", "flow": "turnover", "value_usd": 100.0},
        {**base, "row_id": "b", "source_id": "y", "reporter": "KAZ", "flow": "turnover", "value_usd": 100.2},
        {**base, "row_id": "c", "source_id": "o", "reporter": "unknown", "flow": "turnover", "value_usd": 100.1},
        {**base, "row_id": "d", "source_id": "o", "reporter": "unknown", "flow": "turnover", "value_usd": 99.0},
    ])
    out = attribution.attribute(rows).set_index("row_id")
    assert out.loc["c", "reporter"] == "unknown" and pd.isna(out.loc["c", "attributed_by"])
    assert out.loc["d", "reporter"] == "unknown"  # 1 % off: no match
    alone = attribution.attribute(rows[rows["row_id"] == "c"])  # nothing named to match: unchanged
    assert list(alone["reporter"]) == ["unknown"] and alone["attributed_by"].isna().all()
    one = attribution.attribute(rows[rows["row_id"] != "b"]).set_index("row_id")
    assert one.loc["c", "reporter"] == "BLR" and one.loc["c", "attributed_by"] == "match 0.10% with a"


def test_manifest_lists_every_raw_file_with_provenance():
    entries = {e["path"]: e for e in manifest.entries()}
    raw = {p.relative_to(data_dir()).as_posix() for p in (data_dir() / "raw").rglob("*")
           if p.is_file() and p.parent.name in {"imf_dots", "bns_kz", "wits_extract", "comtrade_extract", "belstat"}}
    # 235 IMF DOTS exports (every reporter, issue 22) and 5 other raw files
    assert len(raw) == 240 and raw <= set(entries)
    assert sum(r.startswith("raw/imf_dots/") for r in raw) == 235
    for rel in raw:
        e = entries[rel]
        for k in ("publisher", "original_source", "route", "source_url", "retrieved_on", "licence", "sha256",
                  "loader", "source_id", "source_kind", "coverage", "unit", "update", "reporter"):
            assert e.get(k), (rel, k)
        assert "{" not in e["source_url"] + e["route"] + e["description"], rel  # templates filled per file
        if e["source_kind"] == "imf_dots":
            assert e["publisher_url"].startswith("https://data.imf.org/")
            assert Path(rel).name in e["source_url"] and Path(rel).name in e["route"]
        manifest.entry(rel)  # sha256 matches


def test_parsed_rows_cache_equals_a_fresh_parse_and_a_damaged_entry_is_rebuilt(tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(data_dir(), root, ignore=shutil.ignore_patterns("processed", "cache"))
    fresh = pd.concat(bundled.load(root, use_cache=False), ignore_index=True)
    first = pd.concat(bundled.load(root), ignore_index=True)  # parses and writes the cache
    (entry,) = list((root / "cache" / "bundled").glob("*.parquet"))
    cached = bundled.load(root)
    assert len(cached) == 1  # read back from the cache
    # (parquet returns text columns as strings where a fresh parse has objects: compare values)
    def norm(d):
        return d.astype(object).where(d.notna(), None)
    pd.testing.assert_frame_equal(norm(cached[0]), norm(fresh))
    pd.testing.assert_frame_equal(first, fresh)
    entry.write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(norm(pd.concat(bundled.load(root), ignore_index=True)), norm(fresh))
    # a changed rule is a new key: the rows are dated anew
    rules = root / "first_release_rules.csv"
    rules.write_text(rules.read_text(encoding="utf-8").replace("03-31", "04-30"), encoding="utf-8")
    releases._read.cache_clear()
    redated = pd.concat(bundled.load(root), ignore_index=True).set_index("row_id")
    assert redated.loc["dots_18:BLR:KAZ:export:2015", "published_on"] == pd.Timestamp("2016-04-30")
    releases._read.cache_clear()
