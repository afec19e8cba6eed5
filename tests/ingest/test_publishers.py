"""Every source the project reads has a publisher and the publisher's own page (data/publishers.csv)."""

from __future__ import annotations

import csv

import pytest

from turnover.errors import DataValidationError
from turnover.ingest import bundled, manifest, official, panel, publishers, rates
from turnover.ingest.live import comtrade, imf, wits
from turnover.paths import data_dir

COLUMNS = publishers.COLUMNS


def _sources_in_use() -> set[tuple[str, str]]:
    """(source_kind, source_id) of every manifest entry that names a kind, every panel row of the
    bundled data, every rates row, and the live sources' kinds with any id (their snapshots')."""
    out = {(e["source_kind"], e["source_id"]) for e in manifest.entries() if e.get("source_kind")}
    p = panel.build_panel([official.load()] + bundled.load())
    out |= set(zip(p["source_kind"], p["source_id"]))
    r = rates.load()
    out |= set(zip(r["source_kind"], r["source_id"]))
    out |= {(m.KIND, "") for m in (comtrade, imf, wits)}
    return out


def test_every_source_in_the_manifest_panel_and_rates_has_a_publisher_page():
    missing = sorted(f"{k}:{i}" for k, i in _sources_in_use() if publishers.find(k, i or None) is None)
    assert missing == []
    for k, i in _sources_in_use():
        p = publishers.page_for(k, i or None)
        assert p.publisher and p.short_name and p.dataset
        assert p.page_url.startswith("https://") or p.page == "per_row"
        assert "github.com" not in p.page_url  # a publisher's page, never the route a copy came by


def test_the_named_publishers_link_their_own_sites():
    want = {
        ("imf_dots", "dots_18"): "https://data.imf.org/",
        ("imf_imts", None): "https://data.imf.org/",
        ("un_comtrade", None): "https://comtradeplus.un.org/",
        ("wb_wits", "wits_kz_blr"): "https://wits.worldbank.org/",
        ("national_statistics", "bns_kz_by_partner"): "https://stat.gov.kz/",
        ("national_statistics", "bns_kz_monthly_totals"): "https://stat.gov.kz/",
        ("national_statistics", "belstat_trade_geo_2015_jan_sep"): "https://www.belstat.gov.by/",
        ("central_bank_rates", "nbk_kzt_usd_monthly"): "https://nationalbank.kz/",
        ("central_bank_rates", "nbrb_releases"): "https://www.nbrb.by/",
    }
    for (kind, sid), prefix in want.items():
        assert publishers.page_for(kind, sid).page_url.startswith(prefix), (kind, sid)
    assert publishers.page_for("national_statistics", "bns_kz_by_partner").short_name == "BNS"
    assert publishers.page_for("national_statistics", "belstat_trade_geo_2015_jan_sep").short_name == "Belstat"
    assert publishers.page_for("official_release", "dossier-001").page == "per_row"


def test_a_manifest_entry_that_names_a_publisher_page_agrees_with_the_table():
    """One owner: an entry (or collection) carrying ``publisher_url`` must say what publishers.csv says."""
    for e in manifest.entries():
        if e.get("publisher_url"):
            assert e["publisher_url"] == publishers.page_for(e["source_kind"], e.get("source_id")).page_url, e["path"]


def test_a_source_without_a_row_is_named():
    assert publishers.find("eurostat_comext", "x") is None
    with pytest.raises(DataValidationError, match="no publisher for source_kind 'eurostat_comext', source_id 'x'"):
        publishers.page_for("eurostat_comext", "x")


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def _row(**kw):
    base = dict(source_kind="imf_dots", source_id="*", publisher="IMF", short_name="IMF", dataset="DOTS",
                page_url="https://data.imf.org/x", page="dataset", note="")
    return {**base, **kw}


def test_a_source_s_own_row_wins_over_its_kind_s(tmp_path):
    p = _write(tmp_path / "p.csv", [_row(), _row(source_id="dots_18", page_url="https://data.imf.org/by")])
    assert publishers.page_for("imf_dots", "dots_18", p).page_url == "https://data.imf.org/by"
    assert publishers.page_for("imf_dots", "dots_103", p).page_url == "https://data.imf.org/x"
    assert publishers.page_for("imf_dots", None, p).page_url == "https://data.imf.org/x"


@pytest.mark.parametrize("rows,msg", [
    ([_row(), _row()], "listed twice"),
    ([_row(page_url="")], "page_url is empty exactly when page is per_row"),
    ([_row(page="per_row")], "page_url is empty exactly when page is per_row"),
    ([_row(page_url="http://data.imf.org/x")], "page_url"),
    ([_row(page="home")], "column page"),
    ([_row(source_kind="IMF DOTS")], "column source_kind"),
    ([_row(publisher="")], "column publisher"),
])
def test_a_bad_table_is_refused_with_its_line(tmp_path, rows, msg):
    with pytest.raises(DataValidationError, match=msg):
        publishers.read(_write(tmp_path / "p.csv", rows))


def test_the_bundled_table_reads_and_has_no_unused_rows():
    df = publishers.read()
    used = _sources_in_use()
    kinds = {k for k, _ in used}
    for r in df.itertuples():
        assert r.source_kind in kinds, r
        if r.source_id != publishers.ANY:
            assert (r.source_kind, r.source_id) in used, r
    assert (data_dir() / publishers.FILE).exists()
