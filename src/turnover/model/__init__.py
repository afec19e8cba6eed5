"""Models that turn the panel into verdicts on the claims (placeholder until the modeling lands)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..claims import ClaimsFile


def evaluate(panel: pd.DataFrame, claims: ClaimsFile, today: dt.date | None = None) -> list[dict]:
    """One result per claim and vintage; here every claim is reported as not yet evaluated."""
    return [
        {"claim_id": c.id, "vintage": v, "as_of": claims.vintages[v].isoformat(), "reporter": "all",
         "verdict": "not_evaluated", "summary": "modeling not available in this version",
         "source_row_ids": []}
        for c in claims.claims for v in c.vintages
    ]
