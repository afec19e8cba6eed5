"""The as-of-article rating of the declining-turnover claim quotes the 2014->2015 change that the
raw bundled IMF DOTS workbooks give for each reporter, re-read here cell by cell with openpyxl
(not through the loaders, and no hand-typed figure)."""

from __future__ import annotations

import openpyxl
import pytest

from turnover.model import evaluate
from turnover.paths import data_dir

FILES = {"BLR": ("raw/imf_dots/DOTS_18.xlsx", "Kazakhstan, Rep. of"), "KAZ": ("raw/imf_dots/DOTS_103.xlsx", "Belarus, Rep. of")}


def _cell(v) -> float:
    return float(str(v).replace(" e", "").strip())


def raw_turnover(rel: str, partner: str) -> dict[int, float]:
    """Exports + imports with ``partner`` per year (USD mn), straight from the workbook's cells."""
    wb = openpyxl.load_workbook(data_dir() / rel, data_only=True)
    out: dict[int, float] = {}
    for ws in wb.worksheets:
        head = next(r for r in ws.iter_rows() if any(str(c.value) == "1992" for c in r))
        years = {c.column: int(c.value) for c in head if c.value is not None and str(c.value).isdigit()}
        row = next(r for r in ws.iter_rows(min_row=head[0].row + 1) if str(r[1].value or "").strip() == partner)
        for c in row:
            if c.column in years and c.value not in (None, ""):
                out[years[c.column]] = out.get(years[c.column], 0.0) + _cell(c.value)
    return out


@pytest.fixture(scope="module")
def decline(full_panel, claims):
    sub = claims.model_copy(update={"claims": [claims.claim("declining-turnover")]})
    return {(r["vintage"], r["reporter"]): r for r in evaluate(full_panel, sub)}


def test_as_of_article_sentence_quotes_the_raw_2014_2015_changes(decline):
    change = {}
    for rep, (rel, partner) in FILES.items():
        t = raw_turnover(rel, partner)
        change[rep] = 100 * (t[2015] / t[2014] - 1)
        r = decline[("as_of_article", rep)]
        assert r["statistic"]["latest_year"] == 2015  # the latest full year public on 31 May 2016
        peak = max(range(2012, 2015), key=lambda y: t[y])
        assert r["statistic"]["reference_year"] == peak
        assert r["statistic"]["change_vs_reference_pct"] == pytest.approx(100 * (t[2015] / t[peak] - 1), abs=0.05)
        assert r["statistic"]["change_latest_year_pct"] == pytest.approx(change[rep], abs=0.05)
    top = decline[("as_of_article", "all")]
    by, kz = (f"{abs(change[r]):.0f}%" for r in ("BLR", "KAZ"))
    verb = "fell" if change["BLR"] < 0 else "rose"
    assert f"{verb} {by} in 2015 on Belarus's figures and {kz} on Kazakhstan's" in top["sentence"]
    assert top["sentence"].startswith(f"As of 31 May 2016: {top['rating_label'].lower()} — ")
    assert top["rating_value"] is not None and top["basis"].startswith("Belarus's figures")


def test_each_reporters_rating_rests_on_its_own_rows(decline, full_panel):
    rows = full_panel.set_index("row_id")
    for v in ("as_of_article", "today"):
        for rep in ("BLR", "KAZ"):
            r = decline[(v, rep)]
            used = rows.loc[[i for i in r["source_row_ids"] if i in rows.index]]
            assert len(used) and set(used["reporter"]) == {rep}
            assert {e["dimension"] for e in r["robustness"]} >= {"sources", "windows", "deflation"}
            t = r["statistic"]["trend"]
            assert t["n"] >= 20 and t["filtered_slope_low_pct"] <= t["filtered_slope_pct"] <= t["filtered_slope_high_pct"]
