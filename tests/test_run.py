"""One run: today resolved once in the reporters' calendar; vintages capped at it; a run file round-trips."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from turnover import run
from turnover.errors import ConfigError

UTC = dt.timezone.utc


@pytest.mark.parametrize("when, pair, expected", [
    # 20:30 UTC: 23:30 in Minsk (UTC+3), 01:30 next day in Almaty (UTC+5): not yet the 5th in Minsk
    (dt.datetime(2026, 12, 4, 20, 30, tzinfo=UTC), ("BLR", "KAZ"), dt.date(2026, 12, 4)),
    # 21:30 UTC: past midnight in both
    (dt.datetime(2026, 12, 4, 21, 30, tzinfo=UTC), ("BLR", "KAZ"), dt.date(2026, 12, 5)),
    # the USA spans to Hawaii (UTC-10): the 4th there until 10:00 UTC on the 5th
    (dt.datetime(2026, 12, 5, 9, 59, tzinfo=UTC), ("RUS", "USA"), dt.date(2026, 12, 4)),
    (dt.datetime(2026, 12, 5, 10, 0, tzinfo=UTC), ("RUS", "USA"), dt.date(2026, 12, 5)),
    # no pair, or codes with no time zone (the World): UTC's date
    (dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC), None, dt.date(2026, 12, 4)),
    (dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC), ("WLD",), dt.date(2026, 12, 4)),
])
def test_today_is_the_earliest_date_in_the_reporters_time_zones(when, pair, expected):
    assert run.today_for(pair, when) == expected


def test_today_needs_an_aware_time():
    with pytest.raises(ValueError, match="time zone"):
        run.today_for(("BLR",), dt.datetime(2026, 12, 4, 12, 0))


def test_the_claims_file_today_and_the_run_today_are_one_date(tmp_path):
    r = run.build(today=dt.date(2026, 11, 25), out=tmp_path)
    assert r.today == dt.date(2026, 11, 25) == r.claims.vintages["today"] == r.claims.resolved_today
    assert r.as_of("today") == dt.date(2026, 11, 25)
    assert r.as_of("as_of_article") == dt.date(2016, 5, 31) == r.article_date
    assert r.panel_path == tmp_path / run.PANEL and r.verdicts_path == tmp_path / run.VERDICTS
    default = run.build()
    assert default.today == default.claims.resolved_today == default.claims.vintages["today"]


def test_a_vintage_after_today_is_capped_at_today():
    assert run.as_of(dt.date(2030, 1, 1), dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert run.as_of(dt.date(2016, 5, 31), dt.date(2026, 1, 1)) == dt.date(2016, 5, 31)
    assert run.as_of(dt.date(2030, 1, 1), None) == dt.date(2030, 1, 1)


def test_a_run_file_round_trips_and_this_process_gets_the_same_object(tmp_path):
    r = run.build(today=dt.date(2026, 11, 25), out=tmp_path, panel_path=tmp_path / "p", verdicts_path=tmp_path / "v")
    path = r.save(tmp_path / "run.json")
    assert run.load(path) is r
    run._LIVE.clear()
    again = run.load(path)
    assert again is not r and again.to_json() == r.to_json()
    assert again.claims == r.claims and again.today == r.today
    assert json.loads(path.read_text(encoding="utf-8"))["today"] == "2026-11-25"


@pytest.mark.parametrize("text, match", [
    ("{}", r"KeyError"), ("[]", r"TypeError"), ("not json", r"JSONDecodeError|ValueError"),
    ('{"claims_path": "c", "today": "2026-13-01", "out": ".", "panel_path": "p", "verdicts_path": "v"}',
     r"ValueError"),
])
def test_a_broken_run_file_is_one_line_naming_it(tmp_path, text, match):
    p = tmp_path / "run.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"run\.json: run file: not a run \(({match})"):
        run.load(p)
