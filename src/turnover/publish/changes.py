"""What a refresh changed: panel rows added/removed/changed, verdicts flipped."""

from __future__ import annotations

import pandas as pd

VALUE_COLUMNS = ["value_usd", "yoy_pct", "status", "period_start", "period_end", "source_url"]


def diff_panels(old: pd.DataFrame | None, new: pd.DataFrame) -> dict:
    if old is None or old.empty:
        return {"added": len(new), "removed": 0, "changed": 0, "changed_rows": []}
    o = old.set_index("row_id")
    n = new.set_index("row_id")
    common = o.index.intersection(n.index)
    cols = [c for c in VALUE_COLUMNS if c in o.columns and c in n.columns]
    a, b = o.loc[common, cols], n.loc[common, cols]
    differs = ~((a == b) | (a.isna() & b.isna())).all(axis=1)
    changed = sorted(differs[differs].index)
    return {
        "added": int(len(n.index.difference(o.index))),
        "removed": int(len(o.index.difference(n.index))),
        "changed": len(changed),
        "changed_rows": changed,
    }


def _key(r: dict) -> tuple:
    return (r.get("claim_id"), r.get("vintage"), r.get("reporter"))


def diff_verdicts(old: list[dict] | None, new: list[dict]) -> list[dict]:
    """Results whose rating (legacy: verdict) differs from the previous run's (new results are not flips)."""
    rating = lambda r: r.get("rating") or r.get("verdict")
    before = {_key(r): rating(r) for r in (old or [])}
    return [
        {"claim_id": r["claim_id"], "vintage": r["vintage"], "reporter": r.get("reporter"),
         "from": before[_key(r)], "to": rating(r)}
        for r in new if _key(r) in before and before[_key(r)] != rating(r)
    ]
