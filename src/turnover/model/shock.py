"""Rule ``market_shock``: did each country's currency fall at least X% against the USD
within ``lookback_months`` before the article?

Evidence: context facts with topic ``currency`` and unit ``pct_devaluation`` for the
country, dated within the lookback window ending on the article date and public at the
as-of date. The largest single devaluation decides (the claim speaks of "a devaluation");
the compounded total of all events in the window is reported alongside. No fact in the
window -> ``insufficient_data`` (absence of a fact is not absence of a devaluation).
Oil prices (also listed as data needed) are not part of the rule: reported as untested.
"""

from __future__ import annotations

import pandas as pd

from .partners import all_countries
from .result import Context, make_result
from .vintage import cut_facts


def _one(ctx: Context, country: str) -> dict:
    prm = ctx.params
    threshold, months = float(prm.get("min_devaluation_pct", 20)), int(prm.get("lookback_months", 24))
    end = ctx.anchor
    start = end - pd.DateOffset(months=months)
    f = cut_facts(ctx.facts, ctx.as_of)
    f = f[(f["country"] == country) & (f["topic"] == "currency") & (f["unit"] == "pct_devaluation")]
    d = pd.to_datetime(f["date"], errors="coerce")
    f = f[(d > start) & (d <= end) & f["value"].notna()]
    window = (start.year, end.year)
    rob = {"label": "untested", "why": "one kind of evidence (dated context facts)",
           "oil_price": "untested: no oil-price series in the panel"}
    span = f"{start.date()}..{end.date()}"
    if f.empty:
        return make_result(ctx, country, "insufficient_data", window=window, robustness=rob,
                           data_used=[f"currency facts for {country} dated {span}: none"],
                           summary=f"{country}: no dated devaluation fact in {span}")
    biggest = f.loc[f["value"].idxmax()]
    keep = 1.0
    for v in f["value"]:
        keep *= 1 - v / 100
    stat = {"max_devaluation_pct": float(biggest["value"]), "cumulative_devaluation_pct": 100 * (1 - keep),
            "n_events": len(f), "threshold_pct": threshold}
    verdict = "supported" if biggest["value"] >= threshold else "not_supported"
    events = ", ".join(f"{r['value']:g}% on {r['date']}" for _, r in f.sort_values("date").iterrows())
    return make_result(ctx, country, verdict, statistic=stat, window=window, n_obs=len(f), robustness=rob,
                       data_used=[f"currency facts for {country} dated {span}: {events}"],
                       source_row_ids={f"fact:{i}" for i in f["fact_id"]},
                       summary=(f"{country}: largest devaluation {biggest['value']:g}% ({biggest['date']}) "
                                f"vs threshold {threshold:g}%; compounded over {len(f)} event(s) "
                                f"{stat['cumulative_devaluation_pct']:.1f}%"))


def rule(ctx: Context) -> list[dict]:
    per = {c: _one(ctx, c) for c in ctx.params.get("countries", [])}
    return list(per.values()) + [all_countries(ctx, per)]
