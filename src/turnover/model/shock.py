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
from .result import Context, combine, phrase, robust_entry, verdict
from .results import NoDevaluation, ShockFacts, Verdict
from .vintage import cut_facts

DEFINITION = "loss of value against the USD"


def loss_of_value(value: float, definition: str) -> float | None:
    """A fact's figure as a loss of value in % (None when its definition is unknown)."""
    if definition == "loss_of_value":
        return float(value)
    if definition == "rate_rise":
        return 100 * (1 - 1 / (1 + float(value) / 100))
    return None


def _iso(d) -> str:
    """A fact's date as written ('2015-08-20'), whether read as text or as a date."""
    return pd.Timestamp(d).date().isoformat() if isinstance(d, (pd.Timestamp,)) else str(d)


EVENT_COLUMNS = ["date", "subject", "loss_pct", "as_printed_pct", "definition", "in_window", "fact_id"]


def _one(ctx: Context, country: str) -> Verdict:
    threshold, months = float(ctx.rule.min_devaluation_pct), ctx.rule.lookback_months
    end = ctx.anchor
    start = end - pd.DateOffset(months=months)
    f = cut_facts(ctx.facts, ctx.as_of)
    f = f[(f["country"] == country) & (f["topic"] == "currency") & (f["unit"] == "pct_devaluation") & f["value"].notna()]
    d = pd.to_datetime(f["date"], errors="coerce")
    defs = f["definition"] if "definition" in f.columns else pd.Series([""] * len(f), index=f.index)
    f = f.assign(loss=[loss_of_value(v, dfn) for v, dfn in zip(f["value"], defs)], _in=(d > start) & (d <= end),
                 _def=defs)
    # every devaluation known: the ones in the look-back decide, the report's chart shows them all
    events = pd.DataFrame({"date": pd.to_datetime(f["date"], errors="coerce"), "subject": f["subject"].astype(str),
                           "loss_pct": f["loss"].astype(float),
                           "as_printed_pct": f["value"].astype(float), "definition": f["_def"].fillna("").astype(str),
                           "in_window": f["_in"].astype(bool), "fact_id": f["fact_id"]},
                          columns=EVENT_COLUMNS).sort_values("date").reset_index(drop=True)
    f = f[f["_in"]]
    undefined = f[f["loss"].isna()]
    f = f[f["loss"].notna()]
    window = (start.year, end.year)
    span = dict(start=start.date().isoformat(), end=end.date().isoformat())
    not_checked = [phrase("oil_not_checked")]
    not_checked += [phrase("definition_not_stated", fact_id=i) for i in undefined["fact_id"]]
    rob = [robust_entry("sources", None, phrase("one_kind_of_evidence"))]
    tables = {"events": events}
    if f.empty:
        return verdict(ctx, country, "cannot_be_checked", facts=NoDevaluation(country, **span), window=window,
                       robustness=rob, data_used=[phrase("currency_facts_none", country=country, **span)],
                       basis=phrase("context_facts"), not_checked=not_checked, tables=tables)
    biggest = f.loc[f["loss"].idxmax()]
    rating, total = grade(list(f["loss"]), threshold)
    stat = {"definition": DEFINITION, "max_loss_pct": float(biggest["loss"]), "max_devaluation_pct": float(biggest["loss"]),
            "cumulative_loss_pct": total, "n_events": len(f), "threshold_pct": threshold,
            "events": [{"date": r["date"], "loss_pct": float(r["loss"]), "as_printed_pct": float(r["value"]),
                        "printed_definition": r.get("definition", ""), "fact_id": r["fact_id"]} for _, r in f.iterrows()]}
    official = _official(ctx, f)
    if official:
        stat["official_rates"] = official
        rob = [_official_check(rating, official, len(f), threshold)]
    facts = ShockFacts(country=country, threshold_pct=threshold, max_loss_pct=float(biggest["loss"]),
                       max_loss_date=_iso(biggest["date"]), n_events=len(f), cumulative_loss_pct=total, **span)
    used = [[float(r["loss"]), _iso(r["date"])] for _, r in f.sort_values("date").iterrows()]
    return verdict(ctx, country, rating, facts=facts, statistic=stat, window=window, n_obs=len(f), robustness=rob,
                   data_used=[phrase("currency_facts_used", country=country, events=used, **span)],
                   source_row_ids={f"fact:{i}" for i in f["fact_id"]},
                   strength="moderate" if rating_mod.value(rating) in (5, 1) else "weak",
                   basis=phrase("exchange_rate_facts"), not_checked=not_checked, tables=tables)


def grade(losses: list[float], threshold: float) -> tuple[str, float]:
    """(rating, compounded loss in %) of the look-back's losses: the largest at the threshold -> True,
    only compounded -> Mostly true, compounded at half of it -> Mostly false, else False."""
    keep = 1.0
    for v in losses:
        keep *= 1 - v / 100
    total = round(100 * (1 - keep), 9)  # a single 10% loss is 10%, not 9.999...% (the half-threshold edge)
    rating = ("true" if max(losses) >= threshold else "mostly_true" if total >= threshold
              else "mostly_false" if total >= threshold / 2 else "false")
    return rating, total


def _official(ctx: Context, f: pd.DataFrame) -> list[dict]:
    """The look-back's devaluations measured again on the central bank's own series (``model.rates``),
    each over its month (monthly averages of the months before and after; daily rates: the rates in
    force on its first day and the next month's), with the rates known at the as-of date. A move the
    series does not cover is left out."""
    if ctx.rates is None or len(ctx.rates) == 0:
        return []
    from .rates import devaluation

    known = ctx.rates[pd.to_datetime(ctx.rates["period_end"]) <= ctx.as_of]
    out = []
    for _, r in f.sort_values("date").iterrows():
        month = pd.Timestamp(r["date"]).strftime("%Y-%m")
        try:
            d = devaluation(known, str(r["subject"]), month, months_after=0)
        except LookupError:
            continue
        out.append({"fact_id": r["fact_id"], "currency": d.currency, "month": month, "kind": d.kind,
                    "loss_pct": float(d.loss_pct), "before": d.before.label, "after": d.after.label,
                    "row_ids": [d.before.row_id, d.after.row_id], "source_ids": d.source_ids})
    return out


def _official_check(rating: str, official: list[dict], n_events: int, threshold: float):
    """Robustness: the rule graded on the official series' measures. Agreement is tested only when the
    series cover every move the rule counted."""
    from .result import phrase, robust_entry, same_side

    items = [[o["currency"], o["month"], o["loss_pct"], o["before"], o["after"]] for o in official]
    if len(official) < n_events:
        return robust_entry("sources", None, phrase("official_rates_partial", items=items, n=n_events))
    checked, _ = grade([o["loss_pct"] for o in official], threshold)
    return robust_entry("sources", same_side(rating, checked), phrase("official_rates", items=items, rating=checked))


def rule(ctx: Context) -> list[Verdict]:
    countries = tuple(ctx.rule.countries)
    per = {c: _one(ctx, c) for c in countries}
    return list(per.values()) + [combine(ctx, per, named=countries, what="country", joined="all")]
