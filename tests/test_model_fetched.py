"""IMF DOTS annual series 2005-2020 (bundled under data/raw/imf_dots): the trend tests on
both reporters agree with the bundled official figures."""

from __future__ import annotations

import pandas as pd
import pytest

from turnover import bundled, official, panel
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


def test_decline_verdicts_with_dots_for_both_reporters_and_vintages(dots_panel, claims):
    sub = claims.model_copy(update={"claims": [claims.claim("declining-turnover")]})
    res = {(r["vintage"], r["reporter"]): r for r in evaluate(dots_panel, sub)}
    for v in ("as_of_article", "today"):
        for rep in ("BLR", "KAZ"):
            r = res[(v, rep)]
            assert r["verdict"] == "supported", r["summary"]
            assert r["statistic"]["sen_slope_musd_per_year"] < 0 and r["statistic"]["latest_comparable_yoy_pct"] < 0
    # at the article date the 2015 fall was the latest comparable change; by today, 2016's
    latest = [d for d in res[("as_of_article", "BLR")]["data_used"] if d.startswith("latest comparable")]
    assert latest == ["latest comparable: Jan-Dec 2015 vs 2014 (computed)"]
    # DOTS alone gives 2016 vs 2015 = -27.0%; the press figure "419.1, almost -30%" matches DOTS within
    # 0.04% and is attributed to Belarus, so its printed change is the latest comparable one
    by = _series(dots_panel, "BLR")
    assert 100 * (by[2016] / by[2015] - 1) == pytest.approx(-27.0, abs=0.5)
    assert res[("today", "BLR")]["statistic"]["latest_comparable_yoy_pct"] == pytest.approx(-30.0, abs=0.5)
    assert res[("today", "all")]["verdict"] == "supported"
