"""Every IMF DOTS reporter bundled (issue 22): each export in the manifest with the reporter its
header names, IMF groups marked as aggregates, a repeated export marked as such, and the parser
reading the layouts the other 233 exports add (years left out, estimates with thousands
separators). Expected values come from openpyxl reading the workbooks directly."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from turnover.errors import DataValidationError
from turnover.ingest import bundled, dots_manifest, manifest
from turnover.ingest.formats import dots_excel
from turnover.paths import data_dir, shared_dir

DOTS = data_dir() / "raw" / "imf_dots"


def _header_name(path: Path) -> str:
    """The reporter's name as printed above the year row, read with openpyxl (first sheet)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True, max_row=12)]
    finally:
        wb.close()
    texts = [c.strip() for r in rows for c in r if isinstance(c, str) and c.strip()]
    # title ("Exports, FOB to ..."), reporter, unit ("US Dollars, Millions"), then the years
    return next(t for t in texts if not t.startswith(("Exports", "Imports", "US Dollars")))


def _openpyxl_cells(path: Path) -> dict:
    """{(sheet, row, column): value} of every non-empty cell, numbers as float."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    try:
        for ws in wb.worksheets:
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                for j, v in enumerate(row):
                    if v is None or (isinstance(v, str) and not v.strip()):
                        continue
                    out[(ws.title, i, j)] = float(v) if isinstance(v, (int, float)) else v
    finally:
        wb.close()
    return out


def test_every_export_is_bundled_once_with_the_reporter_of_its_header():
    files = sorted(p.name for p in DOTS.glob("DOTS_*.xlsx"))
    assert len(files) == 235
    entries = {e["path"]: e for e in manifest.entries()}
    dots = {p: e for p, e in entries.items() if p.startswith("raw/imf_dots/")}
    assert sorted(Path(p).name for p in dots) == files
    # the two entries written by hand keep their meaning
    assert dots["raw/imf_dots/DOTS_18.xlsx"]["reporter"] == "BLR"
    assert dots["raw/imf_dots/DOTS_103.xlsx"]["reporter"] == "KAZ"
    assert dots["raw/imf_dots/DOTS_18.xlsx"]["source_id"] == "dots_18"
    # a sample of headers read by openpyxl: the manifest's reporter_name is what the file prints
    rnd = random.Random(22)
    for name in rnd.sample(files, 8) + ["DOTS_162.xlsx", "DOTS_101.xlsx", "DOTS_221.xlsx"]:
        e = dots[f"raw/imf_dots/{name}"]
        assert e["reporter_name"] == _header_name(DOTS / name), name
    assert dots["raw/imf_dots/DOTS_162.xlsx"]["reporter"] == "RUS"
    assert dots["raw/imf_dots/DOTS_101.xlsx"]["reporter"] == "JPN"


def test_groups_are_marked_and_a_repeated_export_is_never_loaded():
    entries = {e["path"]: e for e in manifest.entries()}
    world = entries["raw/imf_dots/DOTS_221.xlsx"]
    assert (world["reporter"], world["reporter_kind"]) == ("WLD", "aggregate")
    assert entries["raw/imf_dots/DOTS_20.xlsx"]["reporter_kind"] == "aggregate"  # Belgium-Luxembourg
    assert entries["raw/imf_dots/DOTS_144.xlsx"]["duplicate_of"] == "raw/imf_dots/DOTS_143.xlsx"
    assert entries["raw/imf_dots/DOTS_143.xlsx"]["reporter"] == "NIC"
    assert _openpyxl_cells(DOTS / "DOTS_143.xlsx") == _openpyxl_cells(DOTS / "DOTS_144.xlsx")
    read = {e["path"] for e in bundled.series_entries(reporters=bundled.ALL)}
    assert "raw/imf_dots/DOTS_144.xlsx" not in read and "raw/imf_dots/DOTS_221.xlsx" not in read
    assert "raw/imf_dots/DOTS_143.xlsx" in read
    files = bundled.reporter_files()
    assert files["NIC"] == "raw/imf_dots/DOTS_143.xlsx" and files["BLR"] == "raw/imf_dots/DOTS_18.xlsx"
    assert "WLD" not in files and len(files) == 235 - 17 - 1  # 17 groups or areas, 1 repeat


def test_only_the_reporters_asked_for_are_read():
    blr_kaz = {e["path"] for e in bundled.series_entries(reporters=["BLR", "KAZ"])}
    assert {p for p in blr_kaz if "imf_dots" in p} == {"raw/imf_dots/DOTS_18.xlsx", "raw/imf_dots/DOTS_103.xlsx"}
    deu = {e["path"] for e in bundled.series_entries(reporters=["DEU"])}
    assert deu == {"raw/imf_dots/DOTS_77.xlsx"}  # Germany; no extract or press table of its own


@pytest.mark.parametrize("name", ["DOTS_3.xlsx", "DOTS_167.xlsx", "DOTS_101.xlsx"])
def test_parsed_cells_equal_openpyxl_reading(name):
    """Algeria (years left out: 1960, 1961, 1966 ...), Saudi Arabia (estimates '1,872.13 e'), Japan."""
    path = DOTS / name
    cells = _openpyxl_cells(path)
    long = dots_excel.read(path)
    # the year row and the partner-name column, found as a reader would
    got = {}
    for (sheet, i, j), v in cells.items():
        got.setdefault(sheet, {}).setdefault(i, {})[j] = v
    checked = estimates = 0
    for sheet, rows in got.items():
        flow = "export" if sheet.startswith("Exports") else "import"
        head = next(i for i, r in sorted(rows.items()) if sum(isinstance(v, str) and v.isdigit() for v in r.values()) >= 2)
        years = {j: int(v) for j, v in rows[head].items() if isinstance(v, str) and v.isdigit()}
        sub = long[long["flow"] == flow]
        by = {(p, y): (v, s) for p, y, v, s in zip(sub["partner"], sub["period_end"].dt.year, sub["value_usd"], sub["status"])}
        for i, r in sorted(rows.items()):
            if i <= head or r.get(1) != "World":
                continue
            for j, v in r.items():
                if j in years:
                    est = isinstance(v, str) and v.endswith(" e")
                    num = float(str(v).replace(" e", "").replace(",", "")) if isinstance(v, str) else v
                    assert by[("WLD", years[j])][0] == pytest.approx(num * 1e6, rel=1e-12)
                    assert by[("WLD", years[j])][1] == ("estimate" if est else ("true_zero" if num == 0 else "reported"))
                    checked += 1
                    estimates += est
        if name == "DOTS_3.xlsx":  # each sheet leaves out its own empty years
            first = {"export": [1960, 1961, 1966, 1967], "import": [1960, 1961, 1964, 1966]}[flow]
            assert sorted(years.values())[:4] == first
    assert checked > 50
    if name == "DOTS_167.xlsx":
        sau = long[(long["status"] == "estimate") & (long["value_usd"] >= 1e9)]
        assert len(sau)  # estimates of 1,000 million and more, printed with a thousands separator
        assert (sau["value_usd"] == 1872.13e6).any()


def test_a_decimal_comma_is_still_refused():
    sh = dots_excel._Sheet(Path("x.xlsx"), "Exports, FOB", [])
    assert sh.cell("1,872.13 e", 0, 0) == (1872.13, "estimate")
    assert sh.cell("12,345", 0, 0) == (12345.0, "reported")
    for bad in ("952,8", "1,87", "1,8721.3", "-4.8"):
        with pytest.raises(DataValidationError):
            sh.cell(bad, 0, 0)
    with pytest.raises(DataValidationError, match="impossible trade value"):
        sh.cell(-4.8, 3, 2)


def test_a_group_export_reads_only_when_groups_are_allowed():
    with pytest.raises(DataValidationError, match="reporter 'World' is not a country"):
        dots_excel.read(DOTS / "DOTS_221.xlsx")
    world = dots_excel.read(DOTS / "DOTS_221.xlsx", aggregates=True)
    assert set(world["reporter"]) == {"WLD"}
    assert (world["value_usd"] < 0).sum() > 0  # the IMF's group sums keep their few negative cells


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared (the fetched copies)")
def test_the_collection_is_what_the_script_writes(capsys):
    assert dots_manifest.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out
