"""Issue 23 item 7: the declining-turnover rule uses no year outside the claim's window.

A printed 2015 fall of 40% rated a claim about 2099-2100 True (the printed year-on-year fallback
never compared the year with the window); the loader now refuses such a window too (it ends
after every vintage), so the model is reached here with the window set directly.
"""

from __future__ import annotations

import pandas as pd

from turnover.claims import Window, load_claims
from turnover.model import decline
from turnover.model.result import Context
from turnover.text.render import records

from _model_synth import build, frame, row

CLAIMS = load_claims(today=pd.Timestamp("2026-11-30").date())
CLAIM = CLAIMS.claim("declining-turnover")
LAGS = {"annual": 60, "half-year": 45, "quarter": 45, "month": 45, "year-to-date": 45, "other": 45}


def _ratings(window: tuple[int, int], rows: list[dict]) -> dict[str, dict]:
    claim = CLAIM.model_copy(update={"window": Window.model_construct(start=window[0], end=window[1])})
    cf = CLAIMS.model_copy(update={"claims": [claim]})
    ctx = Context(panel=build(frame(rows)), claims=cf, claim=claim, vintage="as_of_article",
                  as_of=pd.Timestamp("2016-05-31"), facts=pd.DataFrame(), lags=LAGS)
    return {r["reporter"]: r for r in records(decline.rule(ctx))}  # the verdicts.json records


PRINTED_2015 = [row("k15", "KAZ", "BLR", "KAZ", "turnover", "2015-01", "2015-12", None, yoy=-40.0,
                    source_kind="official_release", published_on="2016-02-10")]


def test_a_printed_2015_fall_rates_a_window_that_contains_it():
    r = _ratings((2012, 2016), PRINTED_2015)["KAZ"]
    assert r["rating"] == "true" and r["statistic"]["printed_yoy_pct"] == -40.0


def test_a_printed_2015_fall_does_not_rate_a_window_in_2099():
    r = _ratings((2099, 2100), PRINTED_2015)["KAZ"]
    assert r["rating"] == "cannot_be_checked", r["sentence"]
    assert "printed_yoy_pct" not in r["statistic"] and "latest_comparable_yoy_pct" not in r["statistic"]
    assert r["source_row_ids"] == []


def test_a_window_after_the_data_or_starting_in_the_printed_year_uses_none_of_it():
    for window in ((2019, 2021), (2015, 2016)):  # 2015 vs 2014: 2014 is outside a window starting in 2015
        r = _ratings(window, PRINTED_2015)["KAZ"]
        assert "printed_yoy_pct" not in r["statistic"], window
        assert r["rating"] == "cannot_be_checked", (window, r["sentence"])


def test_annual_levels_after_the_window_end_are_not_the_latest_year():
    rows = [row(f"b{y}", "BLR", "BLR", "KAZ", "turnover", f"{y}-01", f"{y}-12", v * 1e6,
                source_kind="national_statistics", published_on=f"{y + 1}-02-15")
            for y, v in {2010: 900, 2011: 1000, 2012: 950, 2013: 700, 2014: 650, 2015: 600}.items()]
    r = _ratings((2010, 2012), rows)["BLR"]
    assert r["statistic"]["latest_year"] == 2012 and r["statistic"]["reference_year"] == 2011
    assert set(r["source_row_ids"]) <= {"b2010", "b2011", "b2012"}
