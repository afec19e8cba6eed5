"""Panel rows, inputs and claims for the chart tests (test_report_charts, test_mut_report_charts)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from turnover.ingest import panel as panel_mod
from turnover.report import inputs


TODAY = dt.date(2026, 11, 25)


def inputs_for(panel, claims, facts, results=(), verdicts=None):
    """The report's inputs for a panel: the model's verdicts on it (the charts plot their tables)."""
    from turnover import model

    if verdicts is None:
        verdicts = model.verdicts(panel, claims, today=TODAY, facts=facts)
    return inputs.Inputs.of(panel=panel, results=list(results), claims=claims, facts=facts, today=TODAY,
                            verdicts=verdicts)


def row(i, **kw):
    """One validated-shape panel row: Belarus's 2013 turnover with Kazakhstan, 100 mn USD, unless told."""
    base = dict(row_id=f"t:{i}", source_kind="official_release", source_id=str(i), reporter="BLR",
                country="BLR", partner="KAZ", flow="turnover", frequency="annual",
                period_start=pd.Timestamp("2013-01-01"), period_end=pd.Timestamp("2013-12-31"),
                value_usd=1e8, value_qualifier="exact", yoy_pct=None, yoy_qualifier=None, valuation="unknown",
                status="reported", published_on=pd.Timestamp("2014-03-01"), source_url=f"https://example.org/{i}",
                source_date="2014-03-01", retrieved_on=pd.Timestamp("2026-11-25"), note=None)
    base.update(kw)
    return base


def year_row(i, y, rep, v, **kw):
    """``row`` for calendar year ``y`` of reporter ``rep``, value ``v``, published 1 March of the next year."""
    kw.setdefault("published_on", pd.Timestamp(f"{y + 1}-03-01"))
    return row(i, reporter=rep, value_usd=v, period_start=pd.Timestamp(f"{y}-01-01"),
               period_end=pd.Timestamp(f"{y}-12-31"), **kw)


def panel_of(rows):
    return panel_mod.validate(pd.DataFrame(rows))


def claim_of(claims, kind):
    return next(c for c in claims.claims if c.rule.kind == kind)
