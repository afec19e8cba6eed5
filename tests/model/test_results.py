"""Typed verdicts (model.results) travel through verdicts.json and come back the same."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from turnover import model
from turnover.model import results
from turnover.publish import verdicts as verdicts_mod
from turnover.text.render import finding, record, records


@pytest.fixture(scope="module")
def typed(full_panel, claims):
    return model.verdicts(full_panel, claims)


def test_every_verdict_comes_back_from_verdicts_json(typed, claims):
    doc = json.loads(json.dumps(verdicts_mod.document(claims, records(typed))))
    back = results.from_evidence(doc["results"], doc["evidence"])
    assert [v.key for v in back] == [v.key for v in typed]
    for a, b in zip(typed, back):
        assert record(b) == record(a) and finding(b) == finding(a)
        assert b.facts == a.facts and b.basis == a.basis and b.not_checked == a.not_checked
        assert b.robustness == a.robustness and b.data_used == a.data_used
        assert set(b.tables) == set(a.tables)
        for name, t in a.tables.items():
            pd.testing.assert_frame_equal(b.tables[name].reset_index(drop=True), t.reset_index(drop=True),
                                          check_dtype=False, obj=f"{a.key} {name}")
        assert list(b.parts) == list(a.parts)


def test_each_rule_keeps_the_tables_it_used(typed):
    kinds = {(v.rule, v.reporter == "all"): set(v.tables) for v in typed if v.tables}
    assert kinds[("declining_trend", False)] == {"turnover", "shares"}
    assert kinds[("recovery", False)] == {"turnover"}
    assert kinds[("partner_rank", False)] == {"partners"}
    assert kinds[("market_shock", False)] == {"events"}
    assert kinds[("mirror_gap", True)] == {"flows"}


def test_the_decline_figures_are_the_ones_of_the_statistic_and_the_tables(typed):
    for v in typed:
        if v.rule != "declining_trend" or not isinstance(v.facts, results.DeclineFacts) or v.facts.latest_musd is None \
                or v.facts.bound:  # a printed fall: no level for the latest year
            continue
        f, st = v.facts, v.statistic
        assert (f.latest_year, f.reference_year) == (st["latest_year"], st.get("reference_year"))
        assert f.change_vs_reference_pct == st.get("change_vs_reference_pct")
        t = v.tables["turnover"]
        line = t[t["primary"]]
        # the primary series of the table is the series the rating read: its latest year and value
        last = line[line["period_end"].dt.year == f.latest_year]
        assert len(last) == 1 and last["value_usd"].iloc[0] / 1e6 == pytest.approx(f.latest_musd)
        shares = v.tables["shares"].set_index("year")
        if f.bilateral_share_latest_pct is not None:
            assert shares.loc[f.latest_year, "share_pct"] == pytest.approx(f.bilateral_share_latest_pct)


def test_no_english_in_a_verdict(typed):
    """Facts and phrases carry codes, numbers and dates; the words are the text layer's."""
    for v in typed:
        for ph in [v.basis, *v.not_checked, *v.data_used, *(c.detail for c in v.robustness)]:
            assert isinstance(ph, results.Phrase)
        for f in dataclasses.fields(v.facts):
            value = getattr(v.facts, f.name)
            # data labels only: a source list ("imf_dots then national_statistics"), a period ("Jan-Dec 2015"),
            # a mirror comparison of codes ("KAZ exports vs BLR imports")
            labels = ("source", "latest_comparable_period", "worst_flow")
            assert not (isinstance(value, str) and " " in value and f.name not in labels), (v.key, f.name, value)
