"""Rule defaults live only in the schema (``turnover.claims.rules``): the model reads typed rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import turnover
from turnover.claims import rules

SRC = Path(turnover.__file__).parent
FIELDS = sorted({f for m in rules.RULE_MODELS.values() for f in m.model_fields} - {"kind"})


def _code(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("field", FIELDS)
def test_no_rule_parameter_is_read_with_a_default_outside_the_schema(field):
    pattern = re.compile(r"""\b(params|prm|p|rule)\.get\(\s*["']""" + re.escape(field) + r"""["']""")
    hits = [f"{p.relative_to(SRC)}" for p in SRC.rglob("*.py") if p.name != "rules.py" and pattern.search(_code(p))]
    assert hits == [], f"{field} read with .get() (a second default) in {hits}"


def test_the_model_and_report_read_typed_rules_not_the_written_parameters():
    for room in ("model", "report", "text"):
        for p in (SRC / room).rglob("*.py"):
            if p.name == "show.py":  # shows the rule as written ("Rule, written before the results")
                continue
            assert "rule.params" not in _code(p) and "ctx.params" not in _code(p), p


@pytest.mark.parametrize("kind", sorted(rules.RULE_MODELS))
def test_every_parameter_has_its_default_in_the_schema(kind):
    """A rule dumps complete: each field is required or has a default that the model can use as is
    (``None`` only where it means "not given": no pre-pandemic year, a break for every reporter)."""
    optional = {("recovery", "pre_pandemic_year")}
    model = rules.RULE_MODELS[kind]
    for name, f in model.model_fields.items():
        if name == "kind" or f.is_required():
            continue
        assert f.get_default(call_default_factory=True) is not None or (kind, name) in optional, (kind, name)


def test_defaults_are_the_documented_ones():
    lags = rules.DecliningTrend(kind="declining_trend").publication_lag_days
    assert lags == rules.PUBLICATION_LAG_DAYS == {"annual": 60, "half-year": 45, "quarter": 45, "month": 40,
                                                 "year-to-date": 40}
    d = rules.DecliningTrend(kind="declining_trend")
    assert (d.min_decline_pct, d.recency_months, d.exact_only, d.trend_downgrade, d.trend_level, d.combine) == \
        (10, 15, True, 1, 0.95, "mean")
    assert d.ratings.model_dump() == {"both": "true", "decline_only": "half_true", "latest_only": "mostly_false",
                                      "neither": "false", "decline_no_latest": "mostly_true",
                                      "no_decline_no_latest": "mostly_false"}
    assert d.params == {}  # as written: nothing
    m = rules.MirrorGap(kind="mirror_gap")
    assert m.band_pct == (0, 10) and m.data_quality_years == [] and m.grades[0.9] == "true"
    r = rules.Recovery(kind="recovery", event_date="2017-11-29", trough_year=2016, reference_year=2013)
    assert r.recovered_grades == {0.75: "mostly_true", 0.5: "half_true", 0.0: "mostly_false"} and r.tolerance_pct == 0
    # a mutable default is never shared between two rules
    assert rules.DecliningTrend(kind="declining_trend").publication_lag_days is not lags


@pytest.mark.parametrize("grades, table", [
    ({}, {0: "false", 1: "half_true", 2: "true"}),
    ({2: "mostly_true"}, {0: "false", 1: "half_true", 2: "mostly_true"}),
    ({1: "mostly_false"}, {0: "false", 1: "mostly_false", 2: "false"}),  # given without "all": all -> False
])
def test_partner_grade_table_fills_the_counts(grades, table):
    rule = rules.PartnerRank(kind="partner_rank", countries=["BLR"], partners=["RUS", "UKR"], grades=grades)
    assert rule.grade_table == table
