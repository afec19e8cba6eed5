"""IMF DOTS annual series 2005-2020 (bundled under data/raw/imf_dots): the trend tests on
both reporters agree with the bundled official figures."""

from __future__ import annotations

import pandas as pd
import pytest

from turnover.ingest import bundled, official, panel
from turnover.model import evaluate
from turnover.model.changepoints import detect
from turnover.model.series import bilateral_turnover
from turnover.model.trend import trend_tests


@pytest.fixture(scope="module")
def dots_panel():
    b = pd.concat(bundled.load(), ignore_index=True)
    rows = b[(b["source_kind"] == "imf_dots") & (b["period_end"].dt.year >= 2005) & b["partner"].isin(["BLR", "KAZ"])]
    return panel.build_panel([official.load(), rows])


def _series(p: pd.DataFrame, reporter: str) -> pd.Series:
    pts = bilateral_turnover(p, reporter, source_kind="imf_dots")
    return pd.Series(pts["value_usd"].to_numpy() / 1e6, index=pts["period_end"].dt.year)


def _official(p: pd.DataFrame, row_id: str) -> pd.Series:
    return p.set_index("row_id").loc[f"official:{row_id}"]


def test_dots_levels_match_the_bundled_figures(dots_panel):
    by, kz = _series(dots_panel, "BLR"), _series(dots_panel, "KAZ")
    assert list(by.index) == list(range(2005, 2021)) == list(kz.index)
    assert by[2013] == pytest.approx(_official(dots_panel, "dossier-007")["value_usd"] / 1e6, rel=1e-3)  # Belstat 952.8
    assert by[2016] == pytest.approx(_official(dots_panel, "dossier-013")["value_usd"] / 1e6, rel=2e-3)  # 419.1
    # KZ-side 2017 (604.1, +56.4%) implies 2016 = 386.3; DOTS KZ 2016 is the same
    kz17 = _official(dots_panel, "dossier-017")
    assert kz[2016] == pytest.approx(kz17["value_usd"] / 1e6 / (1 + kz17["yoy_pct"] / 100), rel=5e-3)


def test_dots_changes_have_the_direction_and_size_of_the_bundled_changes(dots_panel):
    by, kz = _series(dots_panel, "BLR"), _series(dots_panel, "KAZ")
    for y, row_id, tol in ((2015, "dossier-009", 3), (2016, "dossier-013", 5)):  # -40% and "almost -30%"
        printed = _official(dots_panel, row_id)["yoy_pct"]
        assert 100 * (by[y] / by[y - 1] - 1) == pytest.approx(printed, abs=tol)
    assert kz[2015] < kz[2014] and kz[2016] < kz[2015]  # KZ side falls too (H1 2016 printed -46.4%)
    assert 100 * (kz[2017] / kz[2016] - 1) == pytest.approx(_official(dots_panel, "dossier-017")["yoy_pct"], abs=5)


@pytest.mark.parametrize("reporter", ["BLR", "KAZ"])
def test_trend_tests_2005_2020_show_growth_broken_by_the_2015_2016_fall(dots_panel, reporter):
    s = _series(dots_panel, reporter)
    s.index = pd.to_datetime([f"{y}-12-31" for y in s.index])
    res = trend_tests(s)
    assert res["n"] == 16 and "Hamed-Rao" in res["mk_test"]
    assert res["sen_slope"] > 0  # over 2005-2020 the series grew...
    cp = detect(s)
    assert "2014-12-31" in cp["breaks"]  # ...but with a break after 2014 (the fall the bundled figures print)
    seg = {c["start"][:4]: c["mean"] for c in cp["segments"]}
    assert seg["2015"] < min(v for k, v in seg.items() if k < "2015" and k >= "2010")
    window = trend_tests(s.loc["2012":"2016"])
    assert window["sen_slope"] < 0


def test_decline_ratings_with_dots_for_both_reporters_and_vintages(dots_panel, claims):
    sub = claims.model_copy(update={"claims": [claims.claim("declining-turnover")]})
    res = {(r["vintage"], r["reporter"]): r for r in evaluate(dots_panel, sub)}
    by, kz = _series(dots_panel, "BLR"), _series(dots_panel, "KAZ")
    for v in ("as_of_article", "today"):
        for rep, s in (("BLR", by), ("KAZ", kz)):
            r = res[(v, rep)]
            assert r["rating"] in ("true", "mostly_true"), r["sentence"]
            st = r["statistic"]
            assert st["latest_year"] == 2015 and st["reference_year"] == 2014
            assert st["change_vs_reference_pct"] == pytest.approx(100 * (s[2015] / s[2014] - 1))
            assert st["latest_comparable_period"] == "Jan-Dec 2015"
    top = res[("as_of_article", "all")]
    assert f"fell {abs(100 * (by[2015] / by[2014] - 1)):.0f}% in 2015 on Belarus's figures and " \
           f"{abs(100 * (kz[2015] / kz[2014] - 1)):.0f}% on Kazakhstan's" in top["sentence"]
