"""Devaluations on the official exchange-rate series, worked out by hand on the bundled rows.

Rates are national currency per USD; loss of value = 100 * (1 - old / new) (model.shock).
The bundled rows used (data/raw/nbk/..., data/official/official_rates.csv):
  KZT monthly averages 2014-01 154.821304, 2014-03 182.259524, 2015-07 186.776087,
  2015-09 258.437273, 2016-01 362.129048 (the highest of 2015-07..2016-02);
  BYR daily 2015-01-01 11,900, 2015-01-05 11,900, 2015-01-06 12,740, 2015-02-01 15,400, 2015-12-31 18,569.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from turnover.ingest import facts, rates
from turnover.model import rates as model_rates
from turnover.model import shock
from turnover.model.rates import devaluation, loss_between


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return rates.load()


def test_the_loss_is_the_project_s_one_definition():
    assert model_rates.loss_of_value is shock.loss_of_value  # imported, not restated
    # rate 100 -> 125: the rate rose 25%, the currency lost 1 - 100/125 = 20% of its value
    assert loss_between(100, 125) == 20.0
    assert loss_between(119, 154) == pytest.approx(100 * 35 / 154, abs=1e-9)
    assert loss_between(150, 100) == pytest.approx(-50.0)  # a gain is a negative loss
    with pytest.raises(ValueError):
        loss_between(0, 100)


def test_tenge_float_august_2015_on_the_nbk_monthly_averages(table):
    d = devaluation(table, "KZT", "2015-08", months_after=6)
    assert d.kind == "monthly_average"
    assert (d.before.label, d.before.rate_per_usd) == ("2015-07", 186.776087)
    assert (d.after.label, d.after.rate_per_usd) == ("2015-09", 258.437273)
    # 1 - 186.776087 / 258.437273 = 1 - 0.7227135 = 27.7287%
    assert d.loss_pct == pytest.approx(27.7287, abs=1e-4)
    # strongest July 2015, weakest January 2016: 1 - 186.776087 / 362.129048 = 1 - 0.5157719 = 48.4228%
    assert (d.peak.label, d.trough.label) == ("2015-07", "2016-01")
    assert d.trough.rate_per_usd == 362.129048
    assert d.peak_to_trough_pct == pytest.approx(48.4228, abs=1e-4)
    assert list(d.rows["period_start"].dt.strftime("%Y-%m")) == [f"2015-{m:02d}" for m in range(7, 13)] + ["2016-01", "2016-02"]
    assert d.window == (pd.Timestamp("2015-07-01"), pd.Timestamp("2016-02-29"))
    assert d.source_ids == ["nbk_kzt_usd_monthly"] and d.before.row_id == "nbk_kzt_usd_monthly:2015-07"
    assert "19bde1c05b9f197c677717a105e50e78d5caa5a1" in d.before.source_url
    # a day inside the month gives the same months on a monthly series
    assert devaluation(table, "KZT", "2015-08-20").loss_pct == d.loss_pct


def test_tenge_february_2014_on_the_nbk_monthly_averages(table):
    d = devaluation(table, "KZT", "2014-02-11", months_after=0)
    assert (d.before.label, d.after.label) == ("2014-01", "2014-03")
    # 1 - 154.821304 / 182.259524 = 1 - 0.8494556 = 15.0544%
    assert d.loss_pct == pytest.approx(15.0544, abs=1e-4)
    # the window reaches the 'after' month even with months_after=0
    assert d.trough.label == "2014-03" and d.peak_to_trough_pct == d.loss_pct


def test_belarusian_ruble_january_2015_on_the_nbrb_daily_rates(table):
    d = devaluation(table, "BYR", "2015-01", months_after=1)
    assert d.kind == "daily"
    assert (d.before.label, d.before.rate_per_usd, d.before.row_id) == ("2015-01-01", 11900.0, "nbrb-003")
    assert (d.after.label, d.after.rate_per_usd, d.after.row_id) == ("2015-02-01", 15400.0, "nbrb-008")
    assert d.loss_pct == pytest.approx(100 * 3500 / 15400, abs=1e-9)  # 22.7273%
    assert d.peak_to_trough_pct == d.loss_pct
    assert d.row_ids == ["nbrb-003", "nbrb-004", "nbrb-005", "nbrb-006", "nbrb-007", "nbrb-008"]
    year = devaluation(table, "BYR", "2015-01", months_after=11)
    assert year.trough.row_id == "nbrb-011"
    assert year.peak_to_trough_pct == pytest.approx(100 * (1 - 11900 / 18569), abs=1e-9)  # 35.9147%
    assert year.peak_to_trough_pct == pytest.approx(35.9147, abs=1e-4)


def test_one_day_step_on_daily_rates(table):
    d = devaluation(table, "BYR", "2015-01-06", months_after=0)
    assert (d.before.row_id, d.after.row_id) == ("nbrb-004", "nbrb-005")  # 5 Jan 11,900 -> 6 Jan 12,740
    assert d.loss_pct == pytest.approx(100 * 840 / 12740, abs=1e-9)  # 6.5934%
    assert d.peak_to_trough_pct == pytest.approx(100 * (1 - 11900 / 13760), abs=1e-9)  # to 9 Jan


def test_the_official_series_against_the_dated_context_facts(table):
    """How the official series compare with the facts the shock rule uses (blog and news sites)."""
    f = facts.load().set_index("fact_id")
    loss = lambda i: shock.loss_of_value(f.loc[i, "value"], f.loc[i, "definition"])  # noqa: E731
    # Belarus, January 2015 (ctx-020: rose 29.96%, i.e. lost 23.05%): the NBRB counts from 31 Dec,
    # 11,850 = 15,400 / 1.2996; from the 1 January rate (11,900) the loss is 22.73%
    jan = devaluation(table, "BYR", "2015-01")
    assert loss("ctx-020") == pytest.approx(loss_between(11850, 15400), abs=0.01)
    assert loss("ctx-020") - jan.loss_pct == pytest.approx(0.33, abs=0.01)
    # Kazakhstan, 20 August 2015 (ctx-018: lost 26.2% in a day): the monthly averages July -> September
    # lose 27.7% (the tenge kept falling after the float), and 48.4% by January 2016
    aug = devaluation(table, "KZT", "2015-08", months_after=6)
    assert loss("ctx-018") == pytest.approx(26.2)
    assert aug.loss_pct - loss("ctx-018") == pytest.approx(1.53, abs=0.01)
    # Kazakhstan, 11 February 2014 (ctx-017: rose about 19%, lost 15.97%): January -> March averages lose 15.05%
    feb = devaluation(table, "KZT", "2014-02-11")
    assert loss("ctx-017") == pytest.approx(15.97, abs=0.01)
    assert loss("ctx-017") - feb.loss_pct == pytest.approx(0.91, abs=0.01)


def _synthetic(values, kind="monthly_average", currency="XXX"):
    start = pd.date_range("2020-01-01", periods=len(values), freq="MS")
    end = start + pd.offsets.MonthEnd(0) if kind == "monthly_average" else start
    return pd.DataFrame({"currency": currency, "period_start": start, "period_end": end, "kind": kind,
                         "rate_per_usd": [float(v) for v in values], "unit": f"{currency} per USD", "source_id": "s",
                         "source_kind": "k", "publisher": "p", "publisher_url": "https://p", "source_url": "https://u",
                         "file": "f", "row_id": [f"r{i}" for i in range(len(values))]})


def test_peak_to_trough_takes_the_strongest_point_before_the_weakest():
    # months: 100 (before), 120 (event), 90 (after: the currency gained), 150: peak 90 -> trough 150
    d = devaluation(_synthetic([100, 120, 90, 150]), "XXX", "2020-02", months_after=2)
    assert d.loss_pct == pytest.approx(100 * (1 - 100 / 90))  # a gain: negative
    assert (d.peak.row_id, d.trough.row_id) == ("r2", "r3")
    assert d.peak_to_trough_pct == pytest.approx(40.0)
    only_gains = devaluation(_synthetic([100, 90, 80, 70]), "XXX", "2020-02", months_after=2)
    assert only_gains.peak_to_trough_pct == 0.0 and only_gains.peak == only_gains.trough == only_gains.before


def test_missing_rates_and_bad_arguments_are_named(table):
    with pytest.raises(LookupError, match="KZT: no official rate for 2004-12 \\(the month before\\)"):
        devaluation(table, "KZT", "2005-01")
    with pytest.raises(LookupError, match="KZT: no official rate for 2026-01 \\(the month after\\)"):
        devaluation(table, "KZT", "2025-12")
    with pytest.raises(LookupError, match="BYR: no official rate on or after 2016-02-01"):
        devaluation(table, "BYR", "2016-01")
    with pytest.raises(LookupError, match="no official rates for RUB"):
        devaluation(table, "RUB", "2015-01")
    with pytest.raises(LookupError, match="no end_of_period official rates for KZT"):
        devaluation(table, "KZT", "2015-08", kind="end_of_period")
    with pytest.raises(ValueError, match="expected a month YYYY-MM or a day YYYY-MM-DD"):
        devaluation(table, "KZT", "August 2015")
    with pytest.raises(ValueError, match="months_after"):
        devaluation(table, "KZT", "2015-08", months_after=-1)
    twice = pd.concat([_synthetic([1, 2, 3]), _synthetic([1, 2, 3]).assign(row_id=["a", "b", "c"], source_id="t")])
    with pytest.raises(LookupError, match="more than one rate for the same period"):
        devaluation(twice, "XXX", "2020-02")


def test_the_result_is_json_ready_with_its_provenance(table):
    d = devaluation(table, "BYR", "2015-01").to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["definition"] == shock.DEFINITION
    assert d["before"] == {"label": "2015-01-01", "rate_per_usd": 11900.0, "row_id": "nbrb-003",
                           "source_url": "https://themoscowtimes.com/2015/02/03/belarusian-ruble-drops-20-against-dollar-in-january-a43524"}
    assert d["source_ids"] == ["nbrb_releases"] and d["window"] == ["2015-01-01", "2015-07-31"]
