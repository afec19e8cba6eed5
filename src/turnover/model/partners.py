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
from ..text.names import figures_of, name_of, possessive
from .result import Context, combine, sentence_body_of, make_result, rating_sentence, robust_entry, same_side
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
        txt = f"{name_of(partner)} ranked {int(last['value'])} ({last['date']}, fact {last['fact_id']})"
    else:
        ok = in_top_n(float(last["value"]), {}, 100.0, n)
        txt = f"{name_of(partner)} {last['value']:g}% of trade ({last['date']}, fact {last['fact_id']})"
    return ok, txt, last["fact_id"]


def _rating(status: dict, grades: dict) -> str:
    if any(v is None for v in status.values()):
        return "cannot_be_checked"
    k = sum(1 for v in status.values() if v)
    return rating_mod.check(grades.get(k, "false"))


def _one(ctx: Context, country: str) -> dict:
    prm = ctx.params
    partners, n = list(prm.get("partners", [])), int(prm.get("top_n", 3))
    grades = {int(k): v for k, v in (prm.get("grades") or {len(partners): "true", 0: "false"}).items()}
    for k in range(len(partners)):
        grades.setdefault(k, "half_true" if k else "false")
    table = partner_table(ctx, country)
    by_year = {y: grade_year(e, partners, n) for y, e in table.items()}
    ids, data_used, not_checked, notes = set(), [], [], []
    status: dict[str, bool | None] = {p: None for p in partners}
    year = max(by_year) if by_year else None
    basis = figures_of(country)
    if year is not None:
        g = by_year[year]
        status = dict(g["in_top"])
        for partner in partners:
            ids |= table[year]["ids"].get(partner, set())
        if table[year]["world"] is not None:
            ids |= table[year]["ids"].get(WORLD, set())
        data_used.append(f"{figures_of(country)}: turnover with {g['n_partners']} partner countries in {year} ({g['source']})")
        basis += f" ({g['source']}, {year})"
    else:  # the facts file only where the panel has no partner data
        for partner in partners:
            got = _fact_status(ctx, country, partner, n)
            if got is not None:
                status[partner] = got[0]
                notes.append(got[1])
                ids.add(f"fact:{got[2]}")
        basis = f"context facts on {name_of(country)}'s partners (no partner data in the panel)"
        data_used.append(f"context facts dated {ctx.claim.window.start}..{ctx.anchor.date()}")
    rating = _rating(status, grades)
    undecided = [p for p, v in status.items() if v is None]
    if undecided:
        not_checked.append(f"rank of {', '.join(name_of(p) for p in undecided)} not decided: the partners in the data "
                           "leave room for larger unlisted ones")
    rob = []
    others = {y: _rating(g["in_top"], grades) for y, g in by_year.items() if y != year}
    if others:
        rated = [v for v in others.values() if v in rating_mod.RATED]
        rob.append(robust_entry("windows", None if not rated or rating not in rating_mod.RATED
                                else all(same_side(rating, v) for v in rated),
                                ", ".join(f"{y}: {rating_mod.label(v)}" for y, v in sorted(others.items()))))
    rob.append(robust_entry("sources", None, "one source per year (the one with most partners)"))
    stat = {"year": year, "top_n": n, "ranks": by_year[year]["ranks"] if year else {},
            "shares_pct": by_year[year]["shares"] if year else {},
            "in_top": status, "n_partners": by_year[year]["n_partners"] if year else 0,
            "top": [[k, v / 1e6] for k, v in by_year[year]["top"]] if year else [],
            "by_year": {y: {"ranks": g["ranks"], "rating": _rating(g["in_top"], grades)} for y, g in by_year.items()}}
    if year is not None:
        g = by_year[year]
        ranks = ", ".join(f"{name_of(p)} {'ranked ' + str(g['ranks'][p]) if p in g['ranks'] else 'not in the data'}"
                          for p in partners)
        top = ", ".join(name_of(k) for k, _ in g["top"][:n])
        if undecided:
            share = "; ".join(f"{name_of(p)} {g['shares'][p]:.0f}%" for p in partners if p in g["shares"])
            body = (f"on {figures_of(country)} ({g['source']}) for {year} only {g['n_partners']} partner countries are in "
                    f"the data ({ranks} among them; share of total trade: {share or 'no World total'}), too few to rank")
        else:
            body = (f"on {figures_of(country)} ({g['source']}) for {year}, {ranks} of {g['n_partners']} partner countries "
                    f"(top {n}: {top})")
    else:
        body = f"on context facts for {name_of(country)}: " + ("; ".join(notes) or "none dated in the window")
        if rating == "cannot_be_checked":  # say why the panel has no partner data (known at the date)
            from ..ingest.bundled import export_of
            from .vintage import cut

            if export_of(country) is None and cut(ctx.panel[ctx.panel["reporter"] == country], ctx.as_of, ctx.lags).empty:
                why = (f"no statistics of {name_of(country)} are bundled or fetched (no IMF DOTS export for it among "
                       "the bundled files, no live snapshot)")
                body += f" ({why})"
                not_checked.append(why)
    strength = "none" if rating not in rating_mod.RATED else ("strong" if year is not None and not others or
                                                              all(e["agrees"] in (True, None) for e in rob) else "moderate")
    if year is None and rating in rating_mod.RATED:
        strength = "weak"
    return make_result(ctx, country, rating, statistic=stat, n_obs=sum(v is not None for v in status.values()),
                       window=(ctx.claim.window.start, year or ctx.claim.window.end), data_used=data_used,
                       source_row_ids=ids, robustness=rob, sentence=rating_sentence(ctx, rating, body),
                       strength=strength, basis=basis, not_checked=not_checked)


def rule(ctx: Context) -> list[dict]:
    countries = tuple(ctx.params.get("countries", []))
    per = {c: _one(ctx, c) for c in countries}
    body = "; ".join(sentence_body_of(r) for r in per.values())
    return list(per.values()) + [combine(ctx, per, named=countries, what="country", sentence_body=body)]
