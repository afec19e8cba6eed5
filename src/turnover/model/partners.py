"""Rule ``partner_rank``: are the named partners among each country's top-N partners?

Per country (its own statistics) and year of the window known at the as-of date (years ending
on or before the statement), every single-country partner is ranked by goods turnover
(exports + imports of one source and year; aggregates such as the World or regions are never
ranked). When the panel holds only some partners, a partner is *certainly* in the top N when
fewer than N partners can exceed it: the known partners above it plus at most
floor(rest / its value) unknown ones (rest = World total minus the known partners); it is
certainly out when N known partners exceed it; otherwise undecided.
The latest year decides; the number of named partners in the top N gives the rating
(``grades``); the other years of the window are the robustness check. Context facts
(``partner_rank``, ``partner_share``) are used only when the panel has no partner data for
that country.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from . import rating as rating_mod
from .result import Context, combine, phrase, robust_entry, same_side, verdict
from .results import PartnerFacts, Verdict
from .vintage import cut, cut_facts, known_from

WORLD = "WLD"
_ISO3 = re.compile(r"^[A-Z]{3}$")


def in_top_n(value: float, others: dict[str, float], total: float | None, n: int) -> bool | None:
    """Certainly in (True), certainly out (False) or undecided (None); see module doc."""
    above = sum(1 for v in others.values() if v > value)
    if above >= n:
        return False
    if total is None or value <= 0:
        return None
    rest = max(total - value - sum(others.values()), 0.0)
    return True if above + math.floor(rest / value) < n else None


def _is_country(partner: str, kind) -> bool:
    if isinstance(kind, str):
        return kind == "country"
    return bool(_ISO3.match(partner)) and partner != WORLD


def partner_table(ctx: Context, country: str) -> dict[int, dict]:
    """Per year: {source, totals {partner: USD}, world, row_ids} from the country's own statistics."""
    p = ctx.panel  # the country's rows first, then the vintage cut: the panel holds every partner
    p = p[(p["country"] == country) & (p["reporter"] == country) & (p["frequency"] == "annual")
          & p["value_usd"].notna() & (p["value_qualifier"] == "exact") & p["status"].isin(["reported", "estimate", "true_zero"])]
    p = cut(p, ctx.as_of, ctx.lags)
    p = p[(p["period_end"].dt.year >= ctx.claim.window.start) & (p["period_end"].dt.year <= ctx.claim.window.end)
          & (p["period_end"] <= ctx.anchor)]
    out: dict[int, dict] = {}
    if p.empty:
        return out
    kinds = p["partner_kind"] if "partner_kind" in p.columns else pd.Series([None] * len(p), index=p.index)
    p = p.assign(year=p["period_end"].dt.year, known=known_from(p, ctx.lags), _kind=kinds.astype(object))
    # one value per source, year, partner and flow (earliest known), then flows side by side
    p = p.sort_values("known").drop_duplicates(["source_kind", "year", "partner", "flow"])
    wide = p.pivot_table(index=["year", "source_kind", "partner"], columns="flow", values="value_usd",
                         aggfunc="first", observed=True).reindex(columns=["export", "import", "turnover"])
    both = wide["export"].notna() & wide["import"].notna()
    value = (wide["export"] + wide["import"]).where(both, wide["turnover"]).dropna()
    ids = p.groupby(["year", "source_kind", "partner"], observed=True)["row_id"].agg(set)
    kind = p.drop_duplicates(["partner"]).set_index("partner")["_kind"].to_dict()
    for (year, src), g in value.groupby(level=[0, 1]):
        totals = {k[2]: float(v) for k, v in g.items()}
        world = totals.pop(WORLD, None)
        countries = {k: v for k, v in totals.items() if _is_country(k, kind.get(k))}
        if len(countries) < 2 and world is None:
            continue
        prev = out.get(int(year))
        if prev is None or len(countries) > len(prev["totals"]):  # the source with most partners
            out[int(year)] = {"source": src, "totals": countries, "world": world,
                              "ids": {k: ids[(year, src, k)] for k in list(countries) + ([WORLD] if world else [])}}
    return {y: v for y, v in out.items() if len(v["totals"]) >= 1}


def grade_year(entry: dict, partners: list[str], n: int) -> dict:
    totals, world = entry["totals"], entry["world"]
    ranked = sorted(totals, key=lambda k: -totals[k])
    res = {"ranks": {}, "in_top": {}, "shares": {}, "n_partners": len(totals), "source": entry["source"],
           "top": [(k, totals[k]) for k in ranked[:max(n, 3)]]}
    for partner in partners:
        if partner in totals:
            others = {k: v for k, v in totals.items() if k != partner}
            res["in_top"][partner] = in_top_n(totals[partner], others, world, n)
            res["ranks"][partner] = ranked.index(partner) + 1
            if world:
                res["shares"][partner] = 100 * totals[partner] / world
        else:
            res["in_top"][partner] = None
    return res


def _fact_status(ctx: Context, country: str, partner: str, n: int) -> tuple[bool | None, dict] | None:
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
    else:
        ok = in_top_n(float(last["value"]), {}, 100.0, n)
    date = last["date"].date().isoformat() if isinstance(last["date"], pd.Timestamp) else str(last["date"])
    return ok, {"partner": partner, "topic": last["topic"], "value": float(last["value"]), "date": date,
                "fact_id": last["fact_id"]}


def _rating(status: dict, grades: dict) -> str:
    if any(v is None for v in status.values()):
        return "cannot_be_checked"
    k = sum(1 for v in status.values() if v)
    return rating_mod.check(grades.get(k, "false"))


PARTNER_COLUMNS = ["partner", "value_usd", "share_pct", "rank", "named", "in_top", "source_kind", "row_ids"]


def ranks_table(entry: dict, partners: list[str], n: int) -> pd.DataFrame:
    """Every partner country of one year, largest first: value, share of the World total (None
    without one), rank, and for the named partners whether they are certainly in the top N."""
    totals, world = entry["totals"], entry["world"]
    ranked = sorted(totals, key=lambda k: -totals[k])
    rows = [{"partner": k, "value_usd": totals[k], "share_pct": 100 * totals[k] / world if world else None,
             "rank": i, "named": k in partners,
             "in_top": in_top_n(totals[k], {x: v for x, v in totals.items() if x != k}, world, n) if k in partners else None,
             "source_kind": entry["source"], "row_ids": tuple(sorted(entry["ids"].get(k, set())))}
            for i, k in enumerate(ranked, start=1)]
    return pd.DataFrame(rows, columns=PARTNER_COLUMNS)


def _one(ctx: Context, country: str) -> Verdict:
    partners, n = list(ctx.rule.partners), ctx.rule.top_n
    grades = ctx.rule.grade_table
    table = partner_table(ctx, country)
    by_year = {y: grade_year(e, partners, n) for y, e in table.items()}
    ids, data_used, not_checked, stated = set(), [], [], []
    status: dict[str, bool | None] = {p: None for p in partners}
    year = max(by_year) if by_year else None
    tables = {}
    if year is not None:
        g = by_year[year]
        status = dict(g["in_top"])
        for partner in partners:
            ids |= table[year]["ids"].get(partner, set())
        if table[year]["world"] is not None:
            ids |= table[year]["ids"].get(WORLD, set())
        data_used.append(phrase("partner_data_used", country=country, n=g["n_partners"], year=year, source=g["source"]))
        basis = phrase("figures", reporter=country, source=g["source"], year=year)
        tables["partners"] = ranks_table(table[year], partners, n)
    else:  # the facts file only where the panel has no partner data
        for partner in partners:
            got = _fact_status(ctx, country, partner, n)
            if got is not None:
                status[partner] = got[0]
                stated.append(got[1])
                ids.add(f"fact:{got[1]['fact_id']}")
        basis = phrase("partner_facts_basis", country=country)
        data_used.append(phrase("context_facts_dated", start=ctx.claim.window.start, end=ctx.anchor.date().isoformat()))
    rating = _rating(status, grades)
    missing = None
    if year is None and rating == "cannot_be_checked":  # say why the panel has no partner data (known at the date)
        from ..ingest.bundled import export_of

        if export_of(country) is None and cut(ctx.panel[ctx.panel["reporter"] == country], ctx.as_of, ctx.lags).empty:
            missing = phrase("partners_not_bundled", country=country)
    undecided = [p for p, v in status.items() if v is None]
    if undecided:
        not_checked.append(phrase("rank_undecided", partners=undecided))
    if missing is not None:
        not_checked.append(missing)
    rob = []
    others = {y: _rating(g["in_top"], grades) for y, g in by_year.items() if y != year}
    if others:
        rated = [v for v in others.values() if v in rating_mod.RATED]
        rob.append(robust_entry("windows", None if not rated or rating not in rating_mod.RATED
                                else all(same_side(rating, v) for v in rated),
                                phrase("year_ratings", items=[[y, v] for y, v in sorted(others.items())])))
    rob.append(robust_entry("sources", None, phrase("one_source_per_year")))
    stat = {"year": year, "top_n": n, "ranks": by_year[year]["ranks"] if year else {},
            "shares_pct": by_year[year]["shares"] if year else {},
            "in_top": status, "n_partners": by_year[year]["n_partners"] if year else 0,
            "top": [[k, v / 1e6] for k, v in by_year[year]["top"]] if year else [],
            "by_year": {y: {"ranks": g["ranks"], "rating": _rating(g["in_top"], grades)} for y, g in by_year.items()}}
    g = by_year.get(year, {})
    facts = PartnerFacts(country=country, partners=partners, top_n=n, year=year, source=g.get("source"),
                         n_partners=g.get("n_partners", 0), ranks=dict(g.get("ranks", {})),
                         shares_pct=dict(g.get("shares", {})), top=[k for k, _ in g.get("top", [])],
                         undecided=undecided, stated=stated,
                         world_row_ids=sorted(table[year]["ids"].get(WORLD, set())) if year is not None else [],
                         missing=missing)
    strength = "none" if rating not in rating_mod.RATED else ("strong" if year is not None and not others or
                                                              all(e.agrees in (True, None) for e in rob) else "moderate")
    if year is None and rating in rating_mod.RATED:
        strength = "weak"
    return verdict(ctx, country, rating, facts=facts, basis=basis, statistic=stat,
                   n_obs=sum(v is not None for v in status.values()),
                   window=(ctx.claim.window.start, year or ctx.claim.window.end), data_used=data_used,
                   source_row_ids=ids, robustness=rob, strength=strength, not_checked=not_checked, tables=tables)


def rule(ctx: Context) -> list[Verdict]:
    countries = tuple(ctx.rule.countries)
    per = {c: _one(ctx, c) for c in countries}
    return list(per.values()) + [combine(ctx, per, named=countries, what="country", joined="all")]
