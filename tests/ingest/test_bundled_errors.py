"""Broken copies of a real DOTS export (built here with openpyxl) stop the run with one line
naming file, sheet and row, exit 3, and leave the previous outputs untouched."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from turnover.ingest import manifest
from turnover import refresh
from turnover.errors import DataValidationError
from turnover.paths import project_root
from turnover.ingest.formats import dots_excel

REL = "raw/imf_dots/DOTS_18.xlsx"


def _find(ws, text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise AssertionError(text)


def _rename_partner(wb):
    ws = wb["Imports, CIF"]
    c = _find(ws, "Russian Federation")
    c.value = "Russian Fed."
    return ws.title, c.row


def _shift_header(wb):
    ws = wb["Exports, FOB"]
    head = _find(ws, "1992").row
    cells = [c for c in ws[head] if c.value is not None]
    for c in reversed(cells):  # every year one column to the right
        ws.cell(row=head, column=c.column + 1, value=c.value)
    ws.cell(row=head, column=cells[0].column).value = None  # (cell(value=None) would leave it)
    # the first partner row now has a value under no year
    return ws.title, head + 1


def _text_cell(wb):
    ws = wb["Exports, FOB"]
    c = _find(ws, "Kazakhstan, Rep. of")
    ws.cell(row=c.row, column=c.column + 20, value="n.a.")
    return ws.title, c.row


BREAKS = {"renamed partner": (_rename_partner, "unknown partner name 'Russian Fed.'"),
          "shifted header row": (_shift_header, "outside the year columns"),
          "text cell": (_text_cell, "not a number: 'n.a.'")}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project's data and seeds, used as TURNOVER_ROOT."""
    root = tmp_path / "project"
    shutil.copytree(project_root() / "data", root / "data",
                    ignore=shutil.ignore_patterns("processed", "cache", "manifest.jsonl", "comtrade", "imf", "wits"))
    shutil.copytree(project_root() / "seeds", root / "seeds")
    monkeypatch.setenv("TURNOVER_ROOT", str(root))
    return root


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_dots_file_is_one_line_naming_file_sheet_and_row(project, name, tmp_path, capsys):
    breaker, fragment = BREAKS[name]
    path = project / "data" / REL
    wb = openpyxl.load_workbook(path)
    sheet, row = breaker(wb)
    wb.save(path)
    with pytest.raises(DataValidationError) as err:
        dots_excel.read(path)
    msg = str(err.value)
    assert msg.startswith(f"DOTS_18.xlsx: sheet {sheet!r} row {row}") and fragment in msg, msg
    assert "\n" not in msg

    # the whole run: registered deliberately in the manifest (else the sha256 check stops it first)
    manifest.update(project / "data")
    out = tmp_path / "out"
    previous = {"data/processed/panel.parquet": b"previous panel", "reports/verdicts.json": b'{"results": []}'}
    for rel, body in previous.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(body)
    assert refresh.main(["--out", str(out), "--quiet"]) == 3
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and f"sheet {sheet!r} row {row}" in lines[0] and "DOTS_18.xlsx" in lines[0]
    for rel, body in previous.items():
        assert (out / rel).read_bytes() == body
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {refresh.LOCK}
    assert written == set(previous)  # nothing staged or half-published left behind


def test_an_unedited_copy_still_loads(project):
    wb = openpyxl.load_workbook(project / "data" / REL)
    assert wb.sheetnames == ["Exports, FOB", "Imports, CIF"]
    assert len(dots_excel.read(project / "data" / REL)) == 9020


def test_a_changed_raw_file_without_a_manifest_update_is_refused(project):
    from turnover.ingest import bundled
    from turnover.errors import DataValidationError

    path = project / "data" / REL
    wb = openpyxl.load_workbook(path)
    _text_cell(wb)
    wb.save(path)
    with pytest.raises(DataValidationError, match="DOTS_18.xlsx: sha256"):
        bundled.load(project / "data")


def test_csv_extract_and_belstat_errors_name_file_and_row(tmp_path):
    from turnover.ingest.formats import belstat_json, extracts

    src = project_root() / "data" / "raw" / "wits_extract" / "wits_kz_trade_with_BLR_1995_2023.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",n.a."
    bad = tmp_path / src.name
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=rf"^{src.name}: row 6: not a number in value_thousand_usd: 'n.a.'$"):
        extracts.read(bad)

    geo = tmp_path / "trade_geo.json"
    text = (project_root() / "data" / "raw" / "belstat" / "trade_geo.json").read_text(encoding="utf-8")
    geo.write_text(text.replace("Казахстан", "Казахстанъ"), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"^trade_geo.json: record \d+: unknown partner name 'Казахстанъ'"):
        belstat_json.read(geo, "2015-01..2015-09", "BLR")
