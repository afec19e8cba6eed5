"""Context from all pairs (issue 22): the all-pairs matrix, built once from every bundled DOTS export,
and how a pair's change compares with its countries' total trade, world trade and every pair's change.
Hand-worked cases on a synthetic matrix; the real figures checked against the workbooks via openpyxl."""

from __future__ import annotations

import types

import numpy as np
import openpyxl
import pandas as pd
import pytest

from turnover.ingest import allpairs, manifest
from turnover.text import render
from turnover.model.context import pair_context
from turnover.paths import data_dir


def _m(rows):
    return pd.DataFrame(rows, columns=["reporter", "partner", "year", "export", "import"])


def test_hand_worked_percentiles_world_and_totals():
    rows = []
    # ten other pairs with changes -50%, -40% ... +40% (base 100, year 50 ... 140)
    for i, v in enumerate(range(50, 150, 10)):
        rows += [(f"R{i:02d}", "PPP", 2014, 60.0, 40.0), (f"R{i:02d}", "PPP", 2015, v * 0.6, v * 0.4)]
    rows += [("AAA", "BBB", 2014, 80.0, 20.0), ("AAA", "BBB", 2015, 30.0, 15.0),   # -55%: the lowest
             ("BBB", "AAA", 2014, 20.0, 80.0), ("BBB", "AAA", 2015, 60.0, 60.0),   # +20%
             ("AAA", "WLD", 2014, 1000.0, 1000.0), ("AAA", "WLD", 2015, 900.0, 900.0),  # total -10%
             ("WLD", "WLD", 2014, 5000.0, 5000.0), ("WLD", "WLD", 2015, 4000.0, 4500.0),  # world -15%
             ("CCC", "DDD", 2014, 10.0, None), ("CCC", "DDD", 2015, 12.0, 3.0)]  # one flow missing: no pair
    ctx = pair_context(("AAA", "BBB"), 2015, matrix=_m(rows))
    assert ctx.n_pairs == 12 and (ctx.year, ctx.base_year) == (2015, 2014)
    a, b = ctx.reporters
    assert a.pair_change_pct == pytest.approx(-55) and a.percentile == 0 and render.tenth(a.percentile) == "the lowest tenth"
    # +20% is above 9 of the 12 changes (-55, -50, -40, -30, -20, -10, 0, +10, +20=itself excluded) -> 8/12
    assert b.pair_change_pct == pytest.approx(20) and b.percentile == pytest.approx(100 * 8 / 12)
    assert a.total_change_pct == pytest.approx(-10) and b.total_change_pct is None
    assert ctx.world_change_pct == pytest.approx(-15)
    assert ctx.median_change_pct == pytest.approx(np.median([-55, 20, -50, -40, -30, -20, -10, 0, 10, 20, 30, 40]))
    assert a.pair_musd == (100 / 1e6, 45 / 1e6)
    text = render.pair_context_sentence(ctx)  # the text layer words the model's context
    assert text.startswith("2015 against 2014: world trade in USD fell 15%;") and "-55% is in the lowest tenth of the 12" in text
    assert list(ctx.table["figures"])[-2:] == ["all reporters", "IMF World aggregate"]


def _dots_cells(rel: str, partner: str) -> dict[tuple[str, int], float]:
    """{(flow, year): USD} of one partner row, read with openpyxl."""
    wb = openpyxl.load_workbook(data_dir() / rel, read_only=True, data_only=True)
    out = {}
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            flow = "export" if any(isinstance(c, str) and c.startswith("Exports") for r in rows[:5] for c in r) else "import"
            head = next(i for i, r in enumerate(rows) if sum(isinstance(c, str) and c.strip().isdigit() for c in r) >= 2)
            years = {j: int(c) for j, c in enumerate(rows[head]) if isinstance(c, str) and c.strip().isdigit()}
            row = next(r for r in rows[head + 1:] if len(r) > 1 and r[1] == partner)
            for j, y in years.items():
                c = row[j]
                if c is not None and str(c).strip():
                    out[(flow, y)] = float(str(c).replace(" e", "").replace(",", "")) * 1e6
    finally:
        wb.close()
    return out


def test_belarus_kazakhstan_2015_against_the_workbooks():
    ctx = pair_context(("BLR", "KAZ"), 2015)
    blr, kaz = ctx.reporters
    kz = _dots_cells("raw/imf_dots/DOTS_18.xlsx", "Kazakhstan, Rep. of")
    world_blr = _dots_cells("raw/imf_dots/DOTS_18.xlsx", "World")
    world = _dots_cells("raw/imf_dots/DOTS_221.xlsx", "World")
    t = {y: kz[("export", y)] + kz[("import", y)] for y in (2014, 2015)}
    assert blr.pair_change_pct == pytest.approx(100 * (t[2015] / t[2014] - 1))
    assert blr.pair_musd == pytest.approx((t[2014] / 1e6, t[2015] / 1e6))
    w = {y: world_blr[("export", y)] + world_blr[("import", y)] for y in (2014, 2015)}
    assert blr.total_change_pct == pytest.approx(100 * (w[2015] / w[2014] - 1))
    ww = {y: world[("export", y)] + world[("import", y)] for y in (2014, 2015)}
    assert ctx.world_change_pct == pytest.approx(100 * (ww[2015] / ww[2014] - 1))
    assert round(ctx.world_change_pct) == -13  # "2015: world trade in USD fell 13%"
    assert 15_000 < ctx.n_pairs < 25_000 and 0 <= blr.percentile <= 100 and kaz.pair_change_pct < 0
    # the percentile is the share of pairs with a smaller change: recount from the matrix by plain pandas
    m = allpairs.read(years=[2014, 2015], progress=False)
    m = m.assign(t=m["export"] + m["import"], reporter=m["reporter"].astype(str), partner=m["partner"].astype(str))
    w2 = m.pivot_table(index=["reporter", "partner"], columns="year", values="t").dropna()
    w2 = w2[(w2[2014] > 0) & (w2[2015] > 0)].drop(index="WLD", level=0, errors="ignore")
    w2 = w2[w2.index.get_level_values(1) != "WLD"]
    chg = 100 * (w2[2015] / w2[2014] - 1)
    assert len(chg) == ctx.n_pairs
    assert blr.percentile == pytest.approx(100 * (chg < blr.pair_change_pct).mean())


def test_the_matrix_holds_each_reporters_own_cells():
    m = allpairs.read(years=[2013], progress=False)
    jpn = _dots_cells("raw/imf_dots/DOTS_101.xlsx", "Korea, Rep. of")  # Japan's figures for Korea
    row = m[(m["reporter"] == "JPN") & (m["partner"] == "KOR")].iloc[0]
    assert row["export"] == pytest.approx(jpn[("export", 2013)]) and row["import"] == pytest.approx(jpn[("import", 2013)])
    assert set(m["reporter"].astype(str)) >= {"BLR", "KAZ", "DEU", "NIC", "WLD"} and "ADVEC" not in set(m["reporter"].astype(str))


def test_built_once_then_read_and_a_changed_file_is_checked_again(monkeypatch):
    root = data_dir()
    path = allpairs.build(root, progress=False)
    assert allpairs.build(root, progress=False) == path  # no second build
    checked = []
    monkeypatch.setattr(manifest, "entry", lambda rel, r=None: checked.append(rel))
    entries = allpairs.inputs(root)
    allpairs.verify(root, entries, path)
    assert checked == []  # nothing changed since the build: no file re-read
    stamp = path.with_suffix(".stamp.json")
    doc = stamp.read_text()
    try:
        first = entries[0]["path"]
        import json

        d = json.loads(doc)
        d["files"][first] = [0, 0]  # as if the file had changed size and time
        stamp.write_text(json.dumps(d))
        allpairs.verify(root, entries, path)
        assert checked == [first]
    finally:
        stamp.write_text(doc)


def test_the_declining_trend_section_shows_the_context(monkeypatch):
    from turnover.claims import load_claims
    from turnover.report import show

    shown = []
    monkeypatch.setattr(show, "display", lambda obj, **kw: shown.append(obj.data))
    claims = load_claims()
    claim = claims.claim("declining-turnover")
    results = [{"claim_id": claim.id, "vintage": "as_of_article", "reporter": r, "statistic": {"latest_year": 2015}}
               for r in ("BLR", "KAZ")]
    ctx = show.context_block(claim, types.SimpleNamespace(results=results, claims=claims))
    assert ctx.year == 2015 and len(shown) == 1
    assert "Context from all pairs" in shown[0] and "world trade in USD fell 13%" in shown[0] and "<table" in shown[0]
    none = show.context_block(claim, types.SimpleNamespace(results=[], claims=claims))
    assert none is None and len(shown) == 1
