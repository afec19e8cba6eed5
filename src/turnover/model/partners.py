"""Rule ``partner_rank``: are the named partners among each country's top-N partners?

Preferred evidence: panel rows of each country's trade with partners and with the world
(``WLD``), for the latest full year in the window known at the as-of date. With only some
partners known, a partner is *certainly* in the top N when fewer than N partners can
exceed it: the known partners above it plus at most floor(rest / its value) unknown ones,
where rest = world total minus all known partners. It is certainly out when N known
partners exceed it; otherwise undecided.
Context facts decide what the panel leaves undecided (or everything when the panel has no
partner rows): facts (``partner_rank`` with unit ``rank``; ``partner_share`` in % of the
country's total trade, same bound as above with total = 100), dated from the window start
to the article date and public at the as-of date, the latest fact per partner.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .result import Context, make_result
from .vintage import cut, cut_facts, known_from

WORLD = "WLD"


def in_top_n(value: float, others: dict[str, float], total: float | None, n: int) -> bool | None:
    """Certainly in (True), certainly out (False) or undecided (None); see module doc."""
    above = sum(1 for v in others.values() if v > value)
    if above >= n:
        return False
    if total is None or value <= 0:
        return None
    rest = max(total - value - sum(others.values()), 0.0)
    return True if above + math.floor(rest / value) < n else None


def _panel_year(ctx: Context, country: str) -> tuple[int, dict[str, float], float, set] | None:
    p = ctx.panel
    p = p[(p["country"] == country) & (p["reporter"] == country) & (p["frequency"] == "annual")
          & p["value_usd"].notna() & p["status"].isin(["reported", "estimate", "true_zero"])]
    p = cut(p, ctx.as_of, ctx.lags)
    if "partner_kind" in p:  # regions (EU, Advanced Economies ...) are not partners to rank; World is the total
        p = p[(p["partner_kind"] != "aggregate") | (p["partner"] == WORLD)]
    p = p[(p["period_end"].dt.year >= ctx.claim.window.start) & (p["period_end"].dt.year <= ctx.claim.window.end)]
    if p.empty:
        return None
    p = p.assign(year=p["period_end"].dt.year, known=known_from(p, ctx.lags))
    for year in sorted(p["year"].unique(), reverse=True):
        y = p[p["year"] == year]
        # one source per partner and flow: the reporter's primary series first, then the earliest known
        order = ["_np", "known"] if "primary" in y else ["known"]
        y = y.assign(_np=~y["primary"].astype(bool) if "primary" in y else False)
        y = y.sort_values(order).drop_duplicates(["partner", "flow"]).drop(columns="_np")
        totals: dict[str, float] = {}
        for partner, g in y.groupby("partner"):
            flows = dict(zip(g["flow"], g["value_usd"]))
            if "export" in flows and "import" in flows:
                totals[partner] = float(flows["export"] + flows["import"])
            elif "turnover" in flows:
                totals[partner] = float(flows["turnover"])
        if WORLD in totals and len(totals) > 1:
            return int(year), totals, totals.pop(WORLD), set(y["row_id"])
    return None


_ISO3 = re.compile(r"^[A-Z]{3}$")


def _fact_status(ctx: Context, country: str, partner: str, n: int) -> tuple[bool | None, str, str] | None:
    f = cut_facts(ctx.facts, ctx.as_of)
    f = f[(f["country"] == country) & (f["subject"] == partner)
          & (((f["topic"] == "partner_rank") & (f["unit"] == "rank"))
             | ((f["topic"] == "partner_share") & (f["unit"] == "pct_of_total_trade")))]
    dates = pd.to_datetime(f["date"], errors="coerce")
    f = f[(dates >= pd.Timestamp(ctx.claim.window.start, 1, 1)) & (dates <= ctx.anchor)]
    if f.empty:
        return None
    last = f.assign(_d=pd.to_datetime(f["date"])).sort_values("_d").iloc[-1]
    if last["topic"] == "partner_rank":
        ok = bool(last["value"] <= n)
        txt = f"{partner} ranked {int(last['value'])} for {country} ({last['date']}, {last['fact_id']})"
    else:
        ok = in_top_n(float(last["value"]), {}, 100.0, n)
        txt = f"{partner} {last['value']:g}% of {country}'s trade ({last['date']}, {last['fact_id']})"
    return ok, txt, last["fact_id"]


def _one(ctx: Context, country: str) -> dict:
    prm = ctx.params
    partners, n = list(prm.get("partners", [])), int(prm.get("top_n", 3))
    found = _panel_year(ctx, country)
    status: dict[str, bool | None] = {}
    notes, ids, data_used = [], set(), []
    if found is not None:
        year, totals, world, ids = found
        data_used.append(f"{country}-reported annual trade {year} with {len(totals)} partner(s) and the world (panel)")
        for partner in partners:
            if partner in totals:
                others = {k: v for k, v in totals.items() if k != partner}
                status[partner] = in_top_n(totals[partner], others, world, n)
                notes.append(f"{partner} {100 * totals[partner] / world:.1f}% of {country}'s trade in {year} (panel)")
            else:
                status[partner] = None
                notes.append(f"{partner}: no {year} figure in the panel")
    # context facts decide whatever the panel leaves undecided (or when it has no partner rows)
    used_facts = False
    for partner in partners:
        if status.get(partner) is not None:
            continue
        got = _fact_status(ctx, country, partner, n)
        status[partner] = None if got is None else got[0]
        if got is not None:
            used_facts = True
            notes.append(got[1] + " (fact)")
            ids.add(f"fact:{got[2]}")
        elif found is None:
            notes.append(f"{partner}: no dated fact")
    if used_facts or found is None:
        data_used.append(f"context facts dated {ctx.claim.window.start}..{ctx.anchor.date()}"
                         + ("" if found is not None else " (no partner rows in the panel)"))
    basis = " + ".join(b for b, on in (("panel", found is not None), ("context facts", used_facts)) if on) or "no evidence"

    vals = list(status.values())
    verdict = ("not_supported" if False in vals else "supported" if vals and all(vals) else "insufficient_data")
    stat = {f"{p.lower()}_in_top_{n}": (None if v is None else float(v)) for p, v in status.items()}
    summary = f"{country} ({basis}): " + "; ".join(notes) + f" -> top {n}: " + ", ".join(
        f"{p} {'yes' if v else 'no' if v is False else 'undecided'}" for p, v in status.items())
    rob = {"label": "untested", "why": f"evidence: {basis}; no second source to compare", "basis": basis}
    return make_result(ctx, country, verdict, statistic=stat, n_obs=sum(v is not None for v in vals),
                       data_used=data_used, source_row_ids=ids, robustness=rob, summary=summary)


def rule(ctx: Context) -> list[dict]:
    per = {c: _one(ctx, c) for c in ctx.params.get("countries", [])}
    return list(per.values()) + [all_countries(ctx, per)]


def all_countries(ctx: Context, per: dict[str, dict]) -> dict:
    """A claim about *each* country: supported only if supported for every one."""
    vs = [r["verdict"] for r in per.values()]
    if "not_supported" in vs:
        verdict = "not_supported"
    elif vs and all(v == "supported" for v in vs):
        verdict = "supported"
    elif "not_yet_testable" in vs:
        verdict = "not_yet_testable"
    else:
        verdict = "insufficient_data"
    untested = [c for c, r in per.items() if r["verdict"] not in ("supported", "not_supported")]
    labels = {r["robustness"].get("label") for r in per.values()}
    label = ("untested" if untested or not labels or "untested" in labels
             else "fragile" if "fragile" in labels else "robust")
    rob = {"label": label, "by_country": {c: r["verdict"] for c, r in per.items()}}
    if untested:
        rob["why"] = f"not decided for {', '.join(untested)}"
    return make_result(ctx, "all", verdict, statistic={}, n_obs=sum(r["n_obs"] for r in per.values()),
                       data_used=[d for r in per.values() for d in r["data_used"]],
                       source_row_ids={i for r in per.values() for i in r["source_row_ids"]}, robustness=rob,
                       summary=f"Overall {verdict.replace('_', ' ')} — " + "; ".join(r["summary"] for r in per.values()))
