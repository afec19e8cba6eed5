"""Official exchange rates: the table holds what the bundled files say, row by row.

The expected values are read here straight from the files (``csv``), not through the reader.
"""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from turnover.errors import DataValidationError
from turnover.ingest import manifest, rates
from turnover.paths import data_dir

NBK = "raw/nbk/exchange_rates_official_monthly.csv"
NBRB = "official/official_rates.csv"


def _csv(rel: str) -> list[dict]:
    with open(data_dir() / rel, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return rates.load()


def test_every_nbk_row_is_in_the_table_with_its_value(table):
    raw = _csv(NBK)
    assert len(raw) == 252
    kzt = table[(table["currency"] == "KZT") & (table["kind"] == "monthly_average")].set_index("row_id")
    assert len(kzt) == len(raw)
    for r in raw:
        got = kzt.loc[f"nbk_kzt_usd_monthly:{r['date'][:7]}"]
        assert got["rate_per_usd"] == float(r["value"])
        assert got["period_start"] == pd.Timestamp(r["date"])
        assert got["period_end"] == pd.Timestamp(r["date"]) + pd.offsets.MonthEnd(0)
    # hand-picked cells of the file (its lines 128, 129, 130: July-September 2015)
    assert kzt.loc["nbk_kzt_usd_monthly:2015-07", "rate_per_usd"] == 186.776087
    assert kzt.loc["nbk_kzt_usd_monthly:2015-08", "rate_per_usd"] == 205.242381
    assert kzt.loc["nbk_kzt_usd_monthly:2015-09", "rate_per_usd"] == 258.437273
    assert kzt["period_start"].min() == pd.Timestamp("2005-01-01")
    assert kzt["period_end"].max() == pd.Timestamp("2025-12-31")


def test_every_nbrb_rate_is_in_the_table_and_changes_stay_out(table):
    raw = _csv(NBRB)
    levels = [r for r in raw if r["measure"] == "official_rate"]
    byr = table[table["currency"] == "BYR"].set_index("row_id")
    assert sorted(byr.index) == sorted(r["row_id"] for r in levels)
    for r in levels:
        got = byr.loc[r["row_id"]]
        assert got["rate_per_usd"] == float(r["value"])
        assert got["period_start"] == got["period_end"] == pd.Timestamp(r["period_start"])
        assert got["source_url"] == r["source_url"]
        assert got["kind"] == "daily"
    changes = rates.official_changes()
    assert sorted(changes["row_id"]) == sorted(r["row_id"] for r in raw if r["measure"] == "rate_change")
    assert not set(changes["row_id"]) & set(table["row_id"])


def test_rows_carry_source_publisher_page_route_and_file(table):
    kzt = table[table["currency"] == "KZT"]
    assert set(kzt["source_id"]) == {"nbk_kzt_usd_monthly"}
    assert set(kzt["publisher"]) == {"National Bank of the Republic of Kazakhstan"}
    assert set(kzt["publisher_url"]) == {"https://nationalbank.kz/kz/exchangerates/ezhednevnye-oficialnye-rynochnye-kursy-valyut"}
    assert set(kzt["source_url"]) == {manifest.entry(NBK)["source_url"]}
    assert "19bde1c05b9f197c677717a105e50e78d5caa5a1" in kzt["source_url"].iloc[0]
    assert set(kzt["file"]) == {NBK} and set(kzt["unit"]) == {"KZT per USD"}
    byr = table[table["currency"] == "BYR"]
    assert set(byr["publisher"]) == {"National Bank of the Republic of Belarus"}
    assert set(byr["publisher_url"]) == {"https://www.nbrb.by/statistics/rates/ratesdaily.asp"}
    assert set(byr["file"]) == {NBRB} and set(byr["unit"]) == {"BYR per USD"}
    assert list(table.columns) == rates.COLUMNS


def test_the_nbrb_changes_agree_with_the_rates_they_span():
    """The NBRB's own changes are against the rate of 31 December: 29.96% for January 2015 ends at the
    1 February rate, 15,400 (so the 31 Dec 2014 rate was about 11,850), and 56.7% for 2015 ends at 18,569
    from the same base. Read from the file, compared with the arithmetic of its own rows."""
    raw = {r["row_id"]: r for r in _csv(NBRB)}
    jan, year = float(raw["nbrb-009"]["value"]), float(raw["nbrb-012"]["value"])
    base_jan = float(raw["nbrb-008"]["value"]) / (1 + jan / 100)
    base_year = float(raw["nbrb-011"]["value"]) / (1 + year / 100)
    assert base_jan == pytest.approx(11850, abs=1)
    assert base_year == pytest.approx(11850, abs=10)  # 56.7 is printed to one decimal


def test_series_picks_the_currency_s_kind(table):
    assert set(rates.series(table, "KZT")["kind"]) == {"monthly_average"}
    byr = rates.series(table, "BYR")
    assert set(byr["kind"]) == {"daily"} and byr["period_start"].is_monotonic_increasing
    assert rates.series(table, "XXX").empty


def _write(path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _nbk_entry():
    return dict(manifest.entry(NBK))


@pytest.mark.parametrize("col,bad,msg", [
    ("value", "abc", "column value"),
    ("value", "-1", "column value"),
    ("item_code", "EUR", "column item_code"),
    ("date", "2015-08-15", "not the first day of a month"),
    ("transformation", "yoy", "column transformation"),
])
def test_a_bad_cell_of_the_nbk_file_is_named(tmp_path, col, bad, msg):
    rows = _csv(NBK)
    rows[128][col] = bad
    p = tmp_path / "nbk.csv"
    _write(p, rows)
    with pytest.raises(DataValidationError, match=rf"nbk.csv line 130.*{msg}"):
        rates.read_nbk(p, _nbk_entry())


@pytest.mark.parametrize("row_id,col,bad,msg", [
    ("nbrb-003", "period_end", "2015-01-02", "in force on one day"),
    ("nbrb-003", "unit", "KZT per USD", "unit"),
    ("nbrb-003", "value", "0", "positive"),
    ("nbrb-009", "definition", "", "needs unit 'pct' and a definition"),
    ("nbrb-009", "published_on", "2015-01-15", "before the end of the period"),
    ("nbrb-004", "source_url", "reuters.com/x", "source_url"),
    ("nbrb-004", "published_on_basis", "guess", "published_on_basis"),
    ("nbrb-004", "measure", "rate", "measure"),
])
def test_a_bad_cell_of_the_nbrb_file_is_named(tmp_path, row_id, col, bad, msg):
    rows = _csv(NBRB)
    line = next(i for i, r in enumerate(rows) if r["row_id"] == row_id)
    rows[line][col] = bad
    p = tmp_path / "rates.csv"
    _write(p, rows)
    with pytest.raises(DataValidationError, match=rf"rates.csv line {line + 2} \(row {row_id}\).*{msg}"):
        rates.read_official(p)


def test_a_changed_rates_file_or_an_unknown_format_stops(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root, ignore=shutil.ignore_patterns("imf_dots", "vendor", "cache", "processed"))
    p = root / NBK
    p.write_bytes(p.read_bytes().replace(b"258.437273", b"258.437274"))
    with pytest.raises(Exception, match="exchange_rates_official_monthly.csv: sha256"):
        rates.load_one(_nbk_entry(), root)
    with pytest.raises(DataValidationError, match="unknown rates_format 'xlsx'"):
        rates.load_one({**manifest.entry(NBRB), "rates_format": "xlsx"})


def test_the_same_rate_twice_from_one_source_is_refused(table):
    twice = pd.concat([table, table.iloc[[0]].assign(row_id="copy")], ignore_index=True)
    with pytest.raises(Exception, match="given twice"):
        rates.SCHEMA.validate(twice)


def test_the_bundled_rates_are_read_once_per_version_of_the_files(monkeypatch):
    calls = []
    real = rates.load
    monkeypatch.setattr(rates, "load", lambda root=None: calls.append(root) or real(root))
    monkeypatch.setattr(rates, "_ONCE", {})
    first = rates.load_once()
    assert rates.load_once() is first and len(calls) == 1  # the model and the report share one read
    monkeypatch.setattr(rates, "_stat", lambda path: (0, 0, len(calls)))  # a file replaced since
    again = rates.load_once()
    assert len(calls) == 2 and again is not first and again.equals(first)
