"""Models that turn the panel into verdicts on the claims.

``verdicts`` applies each claim's rule (``seeds/claims.yaml``) at each of its vintages and
returns one typed ``results.Verdict`` per claim, vintage and reporter (always one
``reporter="all"`` verdict per claim and vintage): ratings, numbers and the tables they rest
on, no English. ``evaluate`` is the same as the ``verdicts.json`` records, rendered by
``turnover.text``. Lower-level pieces for charts and notebooks:
``series.bilateral_turnover``, ``decompose.decompose``, ``trend.trend_tests``,
``changepoints.detect``, ``comparable.yoy_table``, ``mirror.mirror_table``, ``vintage.cut``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..claims import ClaimsFile
from ..errors import ConfigError
from ..run import as_of as run_as_of


def evaluate(panel: pd.DataFrame, claims: ClaimsFile, today: dt.date | None = None,
             facts: pd.DataFrame | None = None, deflator: pd.Series | None = None,
             rates: pd.DataFrame | None = None) -> list[dict]:
    """The ``verdicts.json`` records of ``verdicts`` (see there), rendered by ``turnover.text``."""
    from ..text.render import records

    return records(verdicts(panel, claims, today=today, facts=facts, deflator=deflator, rates=rates))


def verdicts(panel: pd.DataFrame, claims: ClaimsFile, today: dt.date | None = None,
             facts: pd.DataFrame | None = None, deflator: pd.Series | None = None,
             rates: pd.DataFrame | None = None) -> list:
    """Typed verdicts for every claim x vintage x reporter.

    ``today`` caps every vintage date (nothing can be known after today). ``facts`` defaults
    to the bundled context facts and ``rates`` (read only when a claim needs them) to the bundled
    official exchange rates; ``deflator`` is an optional annual USD price index (see
    ``deflate``), without which the nominal-vs-deflated sensitivity is reported as untested.
    """
    # imported here, not at the top: ``turnover.model.rating`` (verdicts, report) must not pull in
    # statsmodels, so an unchanged re-run can decide to skip without it
    from ..ingest import facts as facts_mod
    from .result import Context
    from .rules import RULES
    from .series import object_text

    facts = facts_mod.load() if facts is None else facts
    if rates is None and any(c.rule.kind == "market_shock" for c in claims.claims):
        from ..ingest import rates as rates_mod

        rates = rates_mod.load_once()
    panel = object_text(panel)
    out: list = []
    shared: dict[tuple, dict] = {}  # claims with the same cut share their turnover points
    for claim in claims.claims:
        fn = RULES.get(claim.rule.kind)
        if fn is None:
            raise ConfigError(f"claim {claim.id}: no model for rule kind {claim.rule.kind!r}")
        lags = claim.rule.publication_lag_days
        for vintage in claim.vintages:
            as_of = pd.Timestamp(run_as_of(claims.vintages[vintage], today))
            cache = shared.setdefault((as_of, tuple(sorted(dict(lags).items()))), {})
            ctx = Context(panel=panel, claims=claims, claim=claim, vintage=vintage, as_of=as_of,
                          facts=facts, deflator=deflator, lags=dict(lags), rates=rates, _cache=cache)
            out.extend(fn(ctx))
    return out
