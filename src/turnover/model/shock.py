"""Rule ``market_shock``: did each country's currency lose at least X% of its value against the
USD within ``lookback_months`` before the statement?

One definition everywhere: a devaluation is the *loss of value* against the USD,
100 * (1 - old rate / new rate), rates in national currency per USD. Context facts say which
definition their figure uses (column ``definition``): ``rate_rise`` figures (the rate went up
by r%) are converted, loss = 100 * (1 - 1 / (1 + r/100)); facts without a definition are not
used. Facts must be dated within the lookback window ending at the statement and public at
the as-of date. Rating per country: the largest single loss >= threshold -> True; only the
compounded losses reach it -> Mostly true; compounded loss >= half the threshold -> Mostly
false; else False; no fact -> Cannot be checked (absence of a fact is not absence of a
devaluation). Oil prices are not part of the rule: listed as not checked.
"""

from __future__ import annotations

import pandas as pd

from . import rating as rating_mod
from ..text.names import name_of
from .result import Context, combine, sentence_body_of, make_result, rating_sentence, robust_entry
from .vintage import cut_facts

DEFINITION = "loss of value against the USD"


def loss_of_value(value: float, definition: str) -> float | None:
    """A fact's figure as a loss of value in % (None when its definition is unknown)."""
    if definition == "loss_of_value":
        return float(value)
    if definition == "rate_rise":
        return 100 * (1 - 1 / (1 + float(value) / 100))
    return None


def _one(ctx: Context, country: str) -> dict:
    prm = ctx.params
    threshold, months = float(prm.get("min_devaluation_pct", 20)), int(prm.get("lookback_months", 24))
    end = ctx.anchor
    start = end - pd.DateOffset(months=months)
    f = cut_facts(ctx.facts, ctx.as_of)
    f = f[(f["country"] == country) & (f["topic"] == "currency") & (f["unit"] == "pct_devaluation")]
    d = pd.to_datetime(f["date"], errors="coerce")
    f = f[(d > start) & (d <= end) & f["value"].notna()]
    defs = f["definition"] if "definition" in f.columns else pd.Series([""] * len(f), index=f.index)
    f = f.assign(loss=[loss_of_value(v, dfn) for v, dfn in zip(f["value"], defs)])
    undefined = f[f["loss"].isna()]
    f = f[f["loss"].notna()]
    window = (start.year, end.year)
    span = f"{start.date()}..{end.date()}"
    not_checked = ["oil prices (no oil-price series in the panel)"]
    not_checked += [f"fact {i}: definition of the devaluation not stated" for i in undefined["fact_id"]]
    rob = [robust_entry("sources", None, "one kind of evidence (dated context facts)")]
    if f.empty:
        return make_result(ctx, country, "cannot_be_checked", window=window, robustness=rob,
                           data_used=[f"currency facts for {country} dated {span}: none"],
                           sentence=rating_sentence(ctx, "cannot_be_checked",
                                                    f"no dated devaluation of {name_of(country)}'s currency in {span}"),
                           basis="context facts", not_checked=not_checked)
    biggest = f.loc[f["loss"].idxmax()]
    keep = 1.0
    for v in f["loss"]:
        keep *= 1 - v / 100
    total = round(100 * (1 - keep), 9)  # a single 10% loss is 10%, not 9.999...% (the half-threshold edge)
    stat = {"definition": DEFINITION, "max_loss_pct": float(biggest["loss"]), "max_devaluation_pct": float(biggest["loss"]),
            "cumulative_loss_pct": total, "n_events": len(f), "threshold_pct": threshold,
            "events": [{"date": r["date"], "loss_pct": float(r["loss"]), "as_printed_pct": float(r["value"]),
                        "printed_definition": r.get("definition", ""), "fact_id": r["fact_id"]} for _, r in f.iterrows()]}
    rating = ("true" if biggest["loss"] >= threshold else "mostly_true" if total >= threshold
              else "mostly_false" if total >= threshold / 2 else "false")
    events = ", ".join(f"{r['loss']:.1f}% on {r['date']}" for _, r in f.sort_values("date").iterrows())
    body = (f"{name_of(country)}'s currency lost {biggest['loss']:.0f}% of its value against the USD "
            f"({biggest['date']}), {len(f)} event(s) compounding to {total:.0f}%, threshold {threshold:g}%")
    return make_result(ctx, country, rating, statistic=stat, window=window, n_obs=len(f), robustness=rob,
                       data_used=[f"currency facts for {country} dated {span} (loss of value): {events}"],
                       source_row_ids={f"fact:{i}" for i in f["fact_id"]},
                       sentence=rating_sentence(ctx, rating, body),
                       strength="moderate" if rating_mod.value(rating) in (5, 1) else "weak",
                       basis="context facts (dated public reports of the exchange rate)", not_checked=not_checked)


def rule(ctx: Context) -> list[dict]:
    countries = tuple(ctx.params.get("countries", []))
    per = {c: _one(ctx, c) for c in countries}
    body = "; ".join(sentence_body_of(r) for r in per.values())
    return list(per.values()) + [combine(ctx, per, named=countries, what="country", sentence_body=body)]
