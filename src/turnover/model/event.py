"""Rule ``event_record``: did the event the statement reports (talks, an agreement, a signing) happen?

The claims file names the context facts that record it (``records``: fact ids, each a dated entry
of an official source in ``context_facts.csv``). A record counts at a vintage when it is public by
the as-of date (``vintage.cut_facts``) and dated no later than it. At least one -> the rule's
``confirmed`` rating (True by default); none -> Cannot be checked (no record known then is not a
record that the event did not happen). One claim-level verdict (``reporter="all"``): an event has
no reporter.
"""

from __future__ import annotations

import pandas as pd

from .result import Context, phrase, robust_entry, verdict
from .results import EventFacts, Verdict
from .vintage import cut_facts


def _iso(d) -> str:
    return pd.Timestamp(d).date().isoformat() if isinstance(d, pd.Timestamp) else str(d)


def rule(ctx: Context) -> list[Verdict]:
    named = list(ctx.rule.records)
    f = ctx.facts
    ids = set(f["fact_id"]) if len(f) else set()
    mine = f[f["fact_id"].isin(named)] if len(f) else f
    known = cut_facts(mine, ctx.as_of) if len(mine) else mine
    if len(known):
        known = known[pd.to_datetime(known["date"], errors="coerce") <= ctx.as_of]
    known = known.sort_values("date") if len(known) else known
    records = [{"fact_id": r["fact_id"], "date": _iso(r["date"]), "statement": str(r.get("statement") or ""),
                "source_url": str(r.get("source_url") or "")} for _, r in known.iterrows()]
    got = {r["fact_id"] for r in records}
    facts = EventFacts(records=records, later=[i for i in named if i in ids and i not in got],
                       missing=[i for i in named if i not in ids])
    rob = [robust_entry("sources", None, phrase("one_kind_of_evidence"))]
    if not records:
        return [verdict(ctx, "all", "cannot_be_checked", facts=facts, basis=phrase("event_records"),
                        robustness=rob, data_used=[phrase("event_records_none", day=ctx.as_of.date().isoformat())])]
    return [verdict(ctx, "all", ctx.rule.confirmed, facts=facts, basis=phrase("event_records"), n_obs=len(records),
                    statistic={"records": [r["fact_id"] for r in records]}, robustness=rob, strength="moderate",
                    source_row_ids={f"fact:{r['fact_id']}" for r in records},
                    data_used=[phrase("event_records_used", ids=[r["fact_id"] for r in records])])]
