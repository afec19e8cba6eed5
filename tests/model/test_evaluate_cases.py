"""evaluate(): the today cap, the default facts, publication lags from the claims file, unknown rule kinds."""

from __future__ import annotations

import datetime as dt

import pytest

from turnover.errors import ConfigError
from turnover.model import evaluate

from _claims_with import NO_FACTS, claims_with, facts
from _model_synth import build, frame, row

PARTNERS = {"kind": "partner_rank", "countries": ["KAZ"], "partners": ["RUS"], "top_n": 1}


def _panel():
    rows = []
    for p, v in (("RUS", 60e9), ("CHN", 30e9), ("WLD", 100e9)):
        rows += [row(f"K{p}x", "KAZ", "KAZ", p, "export", "2015-01", "2015-12", v / 2),
                 row(f"K{p}m", "KAZ", "KAZ", p, "import", "2015-01", "2015-12", v / 2)]
    return build(frame(rows))


def test_every_claim_vintage_and_reporter_once_and_today_caps_the_date():
    res = evaluate(_panel(), claims_with(PARTNERS, vintages=("as_of_article", "today")), facts=NO_FACTS,
                   today=dt.date(2020, 3, 4))
    assert [(r["vintage"], r["reporter"], r["as_of"]) for r in res] == [
        ("as_of_article", "KAZ", "2016-05-31"), ("as_of_article", "all", "2016-05-31"),
        ("today", "KAZ", "2020-03-04"), ("today", "all", "2020-03-04")]
    assert {r["rating"] for r in res} == {"true"}  # Russia 60 of 100: first
    # a cap before the article date: the 2015 rows (known from 1 Mar 2016) are not known yet
    res = evaluate(_panel(), claims_with(PARTNERS), facts=NO_FACTS, today=dt.date(2016, 2, 1))
    assert res[0]["as_of"] == "2016-02-01" and res[0]["rating"] == "cannot_be_checked"


def test_publication_lags_come_from_the_claims_file():
    rule = {**PARTNERS, "publication_lag_days": {"annual": 200}}  # 2015 known from 18 Jul 2016
    res = evaluate(_panel(), claims_with(rule, vintages=("as_of_article", "today")), facts=NO_FACTS)
    by = {(r["vintage"], r["reporter"]): r["rating"] for r in res}
    assert by[("as_of_article", "KAZ")] == "cannot_be_checked" and by[("today", "KAZ")] == "true"
    rule = {**PARTNERS, "publication_lag_days": {"annual": 152}}  # 31 Dec 2015 + 152 days = 31 May 2016: known
    res = evaluate(_panel(), claims_with(rule, vintages=("as_of_article",)), facts=NO_FACTS)
    assert res[0]["rating"] == "true"
    rule = {**PARTNERS, "publication_lag_days": {"annual": 153}}
    res = evaluate(_panel(), claims_with(rule, vintages=("as_of_article",)), facts=NO_FACTS)
    assert res[0]["rating"] == "cannot_be_checked"


def test_default_facts_are_the_bundled_ones(monkeypatch):
    from turnover.ingest import facts as facts_mod

    f = facts({"fact_id": "z1", "topic": "currency", "date": "2015-08-20", "country": "KAZ", "subject": "KZT",
               "value": 30.0, "unit": "pct_devaluation", "definition": "loss_of_value"})
    monkeypatch.setattr(facts_mod, "load", lambda: f)
    claims = claims_with({"kind": "market_shock", "countries": ["KAZ"]}, metric="currency_shock")
    res = evaluate(_panel(), claims)
    assert res[0]["rating"] == "true" and res[0]["source_row_ids"] == ["fact:z1"]
    res = evaluate(_panel(), claims, facts=f.assign(fact_id="z2", value=5.0))  # given facts win over the default
    assert res[0]["rating"] == "false" and res[0]["source_row_ids"] == ["fact:z2"]


def test_a_rule_kind_without_a_model_is_a_config_error(monkeypatch):
    from turnover.model import rules

    monkeypatch.delitem(rules.RULES, "partner_rank")
    with pytest.raises(ConfigError, match=r"^claim c-test: no model for rule kind 'partner_rank'$"):
        evaluate(_panel(), claims_with(PARTNERS), facts=NO_FACTS)
