"""Pairs with neither Belarus nor Kazakhstan, rated offline on both reporters' bundled IMF DOTS
figures (issue 22; claims files in tests/fixtures/pairs/). The expected numbers are read from the
raw workbooks with openpyxl (the partner's row as the IMF names it, year by year), not through the
project's loaders; the expected rating follows from them by the claims file's table."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest

from turnover import model
from turnover.claims import load_claims
from turnover.ingest import bundled, manifest, official, panel as panel_mod
from turnover.model import rating as rating_mod
from turnover.paths import data_dir

PAIRS = Path(__file__).resolve().parents[1] / "fixtures" / "pairs"
TODAY = dt.date(2026, 12, 4)
# reporter -> the name the IMF prints for it (in its own header and as a partner elsewhere)
IMF_NAME = {"DEU": "Germany", "RUS": "Russian Federation", "CHN": "China, P.R.: Mainland", "AUS": "Australia",
            "BRA": "Brazil", "ARG": "Argentina", "NGA": "Nigeria", "ZAF": "South Africa", "USA": "United States",
            "MEX": "Mexico", "JPN": "Japan", "TWN": "Taiwan Province of China", "SSD": "South Sudan, Rep. of",
            "SDN": "Sudan"}
TABLE = {"both": "true", "decline_only": "half_true", "latest_only": "mostly_false", "neither": "false"}


@lru_cache(maxsize=None)
def _workbook(reporter: str) -> dict:
    """{(flow, partner name, year): USD} from the reporter's export, read cell by cell with openpyxl."""
    rel = next(e["path"] for e in manifest.entries() if e.get("reporter") == reporter and not e.get("duplicate_of"))
    wb = openpyxl.load_workbook(data_dir() / rel, read_only=True, data_only=True)
    out = {}
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            texts = [c.strip() for r in rows[:8] for c in r if isinstance(c, str) and c.strip()]
            assert IMF_NAME[reporter] in texts, (reporter, texts)  # the header names the reporter
            flow = "export" if texts[0].startswith("Exports") else "import"
            head = next(i for i, r in enumerate(rows) if sum(isinstance(c, str) and c.strip().isdigit() for c in r) >= 2)
            years = {j: int(c) for j, c in enumerate(rows[head]) if isinstance(c, str) and c.strip().isdigit()}
            for r in rows[head + 1:]:
                name = r[1] if len(r) > 1 else None
                if not isinstance(name, str):
                    continue
                for j, y in years.items():
                    c = r[j] if j < len(r) else None
                    if c is None or (isinstance(c, str) and not c.strip()):
                        continue
                    v = float(c.replace(" e", "").replace(",", "")) if isinstance(c, str) else float(c)
                    out.setdefault((flow, name.strip(), y), v * 1e6)
    finally:
        wb.close()
    return out


def _turnover(reporter: str, partner: str) -> dict[int, float]:
    cells, name = _workbook(reporter), IMF_NAME[partner]
    ex = {y: v for (f, n, y), v in cells.items() if f == "export" and n == name}
    im = {y: v for (f, n, y), v in cells.items() if f == "import" and n == name}
    return {y: ex[y] + im[y] for y in ex if y in im}


def _known(year: int, as_of: dt.date) -> bool:
    """IMF DOTS annual figures are dated public by 31 March of the next year (first_release_rules.csv)."""
    return dt.date(year + 1, 3, 31) <= as_of


@lru_cache(maxsize=None)
def _run(folder: str):
    claims = load_claims(PAIRS / folder / "claims.yaml", today=TODAY)
    bundled.check(claims.reporters())
    panel = panel_mod.build_panel([official.load()] + bundled.load(reporters=claims.reporters()))
    results = model.evaluate(panel, claims, today=TODAY)
    return claims, {(r["claim_id"], r["vintage"], r["reporter"]): r for r in results}


def _expected_decline(reporter: str, partner: str, start: int, as_of: dt.date) -> dict:
    t = {y: v for y, v in _turnover(reporter, partner).items() if _known(y, as_of)}
    last = max(t)
    ref = {y: v for y, v in t.items() if start <= y < last}
    peak_year = max(ref, key=ref.get)
    chg = 100 * (t[last] / ref[peak_year] - 1)
    a, b = chg <= -10, t[last] < t[last - 1]
    key = {(True, True): "both", (True, False): "decline_only", (False, True): "latest_only",
           (False, False): "neither"}[(a, b)]
    return {"latest_year": last, "latest": t[last], "peak_year": peak_year, "peak": ref[peak_year], "change": chg,
            "a": a, "key": key}


DECLINE_CASES = {  # folder: (pair, window start, what the statement meets)
    "deu-rus": (("DEU", "RUS"), 2012, "decline"),
    "chn-aus": (("CHN", "AUS"), 2014, "no decline"),
    "bra-arg": (("BRA", "ARG"), 2013, "decline, then a rise"),
    "nga-zaf": (("NGA", "ZAF"), 2014, "decline, then a rise"),
    "usa-mex": (("USA", "MEX"), 2013, "no decline against the peak"),
}


@pytest.mark.parametrize("folder", sorted(DECLINE_CASES))
def test_each_reporter_is_rated_on_its_own_figures_as_the_raw_files_say(folder):
    (a, b), start, kind = DECLINE_CASES[folder]
    claims, res = _run(folder)
    as_of = claims.vintages["as_of_article"]
    per = {}
    for rep, other in ((a, b), (b, a)):
        exp = _expected_decline(rep, other, start, as_of)
        r = res[("falling-trade", "as_of_article", rep)]
        st = r["statistic"]
        assert st["latest_year"] == exp["latest_year"]
        assert st["latest_musd"] == pytest.approx(exp["latest"] / 1e6, rel=1e-9)
        assert st["reference_year"] == exp["peak_year"]
        assert st["reference_musd"] == pytest.approx(exp["peak"] / 1e6, rel=1e-9)
        assert st["change_vs_reference_pct"] == pytest.approx(exp["change"], abs=1e-6)
        assert st["rating_key"] == exp["key"]
        want = TABLE[exp["key"]]
        if st["trend_direction"] == "up" and exp["a"]:  # the claims file's trend downgrade (one step)
            want = rating_mod.step(want, -1)
        assert r["rating"] == want and r["rating"] in rating_mod.RATED
        assert f"{exp['latest_year']}" in r["sentence"] and "(IMF DOTS)" in r["basis"]
        per[rep] = r["rating"]
    combined = res[("falling-trade", "as_of_article", "all")]
    assert combined["rating"] == rating_mod.combine_ratings(per.values(), "mean")
    decline = kind.startswith("decline")
    assert all(_expected_decline(r, o, start, as_of)["a"] == decline for r, o in ((a, b), (b, a)))


@pytest.mark.parametrize("folder", ["deu-rus", "nga-zaf"])
def test_the_mirror_comparison_works_for_any_pair(folder):
    claims, res = _run(folder)
    a, b = claims.pair
    c = claims.claim("one-number")
    as_of = claims.vintages["as_of_article"]
    cells = {r: _workbook(r) for r in (a, b)}
    gaps = []
    for exporter, importer in ((a, b), (b, a)):
        for y in range(c.window.start, c.window.end + 1):
            fob = cells[exporter].get(("export", IMF_NAME[importer], y))
            cif = cells[importer].get(("import", IMF_NAME[exporter], y))
            if fob and cif is not None and _known(y, as_of):
                gaps.append(100 * (cif - fob) / fob)
    inside = sum(0 <= g <= 10 for g in gaps)
    r = res[("one-number", "as_of_article", "all")]
    assert r["statistic"]["n_flow_years"] == len(gaps) >= 8
    assert r["statistic"]["share_inside_band"] == pytest.approx(inside / len(gaps))
    share = inside / len(gaps)
    want = next(v for k, v in ((0.9, "true"), (0.75, "mostly_true"), (0.5, "half_true"), (0.25, "mostly_false"),
                               (0.0, "false")) if share >= k)
    assert r["rating"] == want


def test_a_partner_rank_for_another_country():
    claims, res = _run("chn-aus")
    r = res[("largest-partner", "as_of_article", "AUS")]
    cells = _workbook("AUS")
    year = max(y for (_, _, y) in cells if _known(y, claims.vintages["as_of_article"]))
    turn = {}
    for (flow, name, y), v in cells.items():
        if y == year:
            turn[name] = turn.get(name, 0.0) + v
    china = turn["China, P.R.: Mainland"]
    above = {n for n, v in turn.items() if v > china}
    # only the World and IMF groups exceed China in Australia's own 2018 figures
    assert above <= {"World", "Advanced Economies", "Emerging and Developing Economies", "Emerging and Developing Asia",
                     "Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel"}
    assert r["statistic"]["year"] == year == 2018 and r["statistic"]["ranks"]["CHN"] == 1 and r["rating"] == "true"


def test_a_reporter_without_a_bundled_export_is_said_to_be_not_bundled():
    claims, res = _run("jpn-twn")
    twn = res[("falling-trade", "as_of_article", "TWN")]
    assert twn["rating"] == "cannot_be_checked"
    assert "are bundled or fetched" in twn["sentence"] and "no IMF DOTS export" in twn["sentence"]
    assert twn["not_checked"] == [next(n for n in twn["not_checked"] if "bundled" in n)]
    assert "not yet published" not in twn["sentence"] and "no exact annual value" not in twn["sentence"]
    jpn = res[("falling-trade", "as_of_article", "JPN")]
    exp = _expected_decline("JPN", "TWN", 2012, claims.vintages["as_of_article"])
    assert jpn["rating"] in rating_mod.RATED and jpn["statistic"]["latest_musd"] == pytest.approx(exp["latest"] / 1e6)
    mirror = res[("one-number", "as_of_article", "all")]
    assert mirror["rating"] == "cannot_be_checked" and any("bundled" in n for n in mirror["not_checked"])
    # the headline names the side that could not be checked before the one it rests on
    top = res[("falling-trade", "as_of_article", "all")]
    assert top["finding"].startswith("Taiwan's figures are not available for this pair, so this rests on Japan's: ")


def _first_header_year(reporter: str) -> int:
    """The first year in the reporter's export (its header's year row, exports sheet), via openpyxl."""
    rel = next(e["path"] for e in manifest.entries() if e.get("reporter") == reporter and not e.get("duplicate_of"))
    wb = openpyxl.load_workbook(data_dir() / rel, read_only=True, data_only=True)
    try:
        years = [int(c) for r in wb.worksheets[0].iter_rows(values_only=True, max_row=12) for c in r
                 if isinstance(c, str) and c.strip().isdigit()]
    finally:
        wb.close()
    return min(years)


def test_figures_not_yet_published_at_the_date_are_said_to_be_so():
    claims, res = _run("ssd-sdn")
    # South Sudan's export begins with a year that was not yet public on 31 January 2013
    first = _first_header_year("SSD")
    assert first == 2012
    ssd = res[("falling-trade", "as_of_article", "SSD")]
    assert ssd["rating"] == "cannot_be_checked"
    assert f"not yet published at 2013-01-31: South Sudan's IMF DOTS figures begin with {first}, first public by about {first + 1}-03-31" in ssd["sentence"]
    assert "bundled or fetched" not in ssd["sentence"] and ssd["not_checked"] == [ssd["not_checked"][0]]
    # Sudan's own statistics were public for decades, but held no figure for South Sudan by then
    sdn = res[("falling-trade", "as_of_article", "SDN")]
    assert sdn["rating"] == "cannot_be_checked"
    assert "Sudan's statistics known at 2013-01-31 (IMF DOTS) hold no figure for trade with South Sudan" in sdn["sentence"]
    assert "not yet published" not in sdn["sentence"] and "bundled or fetched" not in sdn["sentence"]
    for rep, other in (("SSD", "SDN"), ("SDN", "SSD")):
        # today the figures are public, yet they start after the statement: said so
        since = min(y for (_, n, y) in _workbook(rep) if n == IMF_NAME[other])
        today = res[("falling-trade", "today", rep)]
        assert today["rating"] == "cannot_be_checked"
        assert f"start with {since}, after the statement (2013-01-31)" in today["sentence"]
        assert "not yet published" not in today["sentence"]
