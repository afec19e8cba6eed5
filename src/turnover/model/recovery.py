"""Rule ``recovery``: after an event (the programme), did turnover win back the lost ground?

Per reporter, exact annual values of its primary series (``annual``) known at the as-of date:
the reference year's value, the trough (the lowest year after the reference year up to the event
year), the pre-pandemic year and the latest year up to the window end. Share of the lost ground
recovered = (latest - trough) / (reference - trough). Latest within ``tolerance_pct`` below the
reference or above it -> True; otherwise the share against ``recovered_grades`` (e.g. >= 0.75
Mostly true, >= 0.5 Half true, > 0 Mostly false), else False. Fewer than ``min_points_after``
exact years after the event year -> Cannot be checked. Before the event date: Not yet testable.
Rounded values and bounds ("at least USD 1 bn") of the same reporter after its latest exact
year are listed beside the rating as bounds against the reference, never as a point
percentage.
"""

from __future__ import annotations

import pandas as pd

from . import annual, rating as rating_mod
from .result import Context, combine, coverage_note, phrase, robust_entry, same_side, verdict
from .results import NotYetTestable, RecoveryFacts, Unrated, Verdict
from .series import span_label

MUSD = 1e6


def grade(latest: float, reference: float, trough: float, tol_pct: float, grades: dict) -> tuple[str, float | None]:
    """(rating, share of lost ground recovered) — see module doc."""
    share = (latest - trough) / (reference - trough) if reference > trough else None
    if latest >= reference * (1 - tol_pct / 100):
        return "true", share
    if share is None:
        return "false", share
    for cut_, r in sorted(((float(k), v) for k, v in grades.items()), reverse=True):
        if share > cut_ or (cut_ > 0 and share >= cut_):
            return rating_mod.check(r), share
    return "false", share


def _bounds(ctx: Context, reporter: str, after_year: int, reference: float | None) -> list[dict]:
    """The reporter's other figures after ``after_year``: rounded or bound annual values, and
    any part-year figure (e.g. Jan-Jul), each named with its period and qualifier. They are
    shown beside the rating, never turned into a point percentage."""
    pts = ctx.points(reporter)
    if pts.empty:
        return []
    p = pts[pts["value_usd"].notna() & (pts["period_end"].dt.year > after_year)
            & (pts["period_end"].dt.year <= ctx.claim.window.end)
            & ((pts["value_qualifier"] != "exact") | (pts["span"] != "01-12/12"))]
    out = []
    for _, r in p.sort_values("period_end").iterrows():
        q = r["value_qualifier"]
        annual_ = r["span"] == "01-12/12"
        item = {"period": f"{'' if annual_ else span_label(r['span']) + ' '}{r['period_end'].year}",
                "year": int(r["period_end"].year), "annual": bool(annual_),
                "value_musd": float(r["value_usd"]) / MUSD, "qualifier": q,
                "source_kind": r["source_kind"], "row_ids": list(r["row_ids"])}
        if reference and annual_ and q == "at_least" and float(r["value_usd"]) >= reference:
            item["vs_reference"] = f"at least {100 * (float(r['value_usd']) / reference - 1):+.0f}% against the reference"
        elif reference and annual_:
            item["vs_reference"] = "not comparable as a point: a rounded figure or a bound below the reference"
        elif annual_:
            item["vs_reference"] = "not comparable: no exact reference-year value"
        else:
            item["vs_reference"] = "part of a year: not comparable with an annual reference"
        out.append(item)
    return out


def _one(ctx: Context, reporter: str) -> Verdict:
    p = ctx.rule
    event = pd.Timestamp(p.event_date)
    ref_y = p.reference_year
    pre_y = p.pre_pandemic_year or None
    min_after, tol = p.min_points_after, float(p.tolerance_pct)
    grades = dict(p.recovered_grades)
    figs = phrase("figures", reporter=reporter)
    if ctx.as_of < event:
        return verdict(ctx, reporter, "not_yet_testable", facts=NotYetTestable(event.date().isoformat()), basis=figs)
    s = annual.series(ctx, reporter)
    tables = {"turnover": annual.turnover_table(ctx, reporter, s)}
    s = s[s["year"] <= ctx.claim.window.end] if len(s) else s
    v = s["value_usd"].astype(float) if len(s) else pd.Series(dtype=float)
    after = v[v.index > event.year]
    missing = []
    if ref_y not in v.index:
        missing.append(phrase("no_exact_value", year=ref_y))
    span = v[(v.index > ref_y) & (v.index <= event.year)]
    if span.empty:
        missing.append(phrase("no_trough_value", start=ref_y + 1, end=event.year))
    if len(after) < min_after:
        missing.append(phrase("too_few_after", n=len(after), year=event.year, needed=min_after))
    reference = float(v[ref_y]) if ref_y in v.index else None
    bounds = _bounds(ctx, reporter, int(v.index.max()) if len(v) else event.year, reference)
    stat: dict = {"bounds_after_latest": bounds} if bounds else {}
    ids = {i for t in s["row_ids"] for i in t} if len(s) else set()
    if missing:
        note = coverage_note(ctx, reporter) if v.empty else None
        if note is not None and note.key != "no_partner_figures":
            missing = [note]  # not bundled or fetched / not yet published: the reason, not its consequences
        return verdict(ctx, reporter, "cannot_be_checked", facts=Unrated(reporter, missing), statistic=stat,
                       n_obs=len(after), basis=figs, not_checked=missing, source_row_ids=ids,
                       data_used=[phrase("exact_values_count", reporter=reporter, n=len(v))], tables=tables)
    trough_y = int(span.idxmin())
    trough = float(span.min())
    last_y = int(after.index.max())
    latest = float(after[last_y])
    rating, share = grade(latest, reference, trough, tol, grades)
    stat.update(reference_year=ref_y, reference_musd=reference / MUSD, trough_year=trough_y, trough_musd=trough / MUSD,
                latest_year=last_y, latest_musd=latest / MUSD, latest_vs_reference_pct=100 * (latest / reference - 1),
                share_recovered=share, tolerance_pct=tol, n_after=len(after),
                min_after_musd=float(after.min()) / MUSD, source=annual.label(s))
    if pre_y and pre_y in v.index:
        pre = float(v[pre_y])
        stat.update(pre_pandemic_year=pre_y, pre_pandemic_musd=pre / MUSD,
                    pre_pandemic_vs_reference_pct=100 * (pre / reference - 1),
                    pre_pandemic_rating=grade(pre, reference, trough, tol, grades)[0])
    rob = []
    if "pre_pandemic_rating" in stat and pre_y != last_y:
        rob.append(robust_entry("windows", same_side(rating, stat["pre_pandemic_rating"]),
                                phrase("pre_pandemic_check", latest_year=last_y, rating=rating, pre_year=pre_y,
                                       pre_rating=stat["pre_pandemic_rating"])))
    others = annual.other_sources(ctx, reporter, s)
    alt = {}
    for k in others:
        o = annual.series(ctx, reporter, k)
        ov = o["value_usd"].astype(float)
        oa = ov[(ov.index > event.year) & (ov.index <= ctx.claim.window.end)]
        if ref_y in ov.index and len(oa) and len(ov[(ov.index > ref_y) & (ov.index <= event.year)]):
            alt[k] = grade(float(oa[oa.index.max()]), float(ov[ref_y]),
                           float(ov[(ov.index > ref_y) & (ov.index <= event.year)].min()), tol, grades)[0]
    rob.append(robust_entry("sources", None if not alt else all(same_side(rating, x) for x in alt.values()),
                            phrase("source_ratings", items=[[k, x] for k, x in alt.items()]) if alt else
                            phrase("one_source_covers", source=stat["source"])))
    facts = RecoveryFacts(
        reporter=reporter, source=stat["source"], reference_year=ref_y, reference_musd=reference / MUSD,
        trough_year=trough_y, trough_musd=trough / MUSD, latest_year=last_y, latest_musd=latest / MUSD,
        latest_vs_reference_pct=stat["latest_vs_reference_pct"], latest_vs_trough_pct=100 * (latest / trough - 1),
        share_recovered=share, pre_pandemic_year=stat.get("pre_pandemic_year"),
        pre_pandemic_vs_reference_pct=stat.get("pre_pandemic_vs_reference_pct"),
        bounds=[{k: b[k] for k in ("qualifier", "value_musd", "period", "year")} for b in bounds])
    strength = "strong" if all(e.agrees in (True, None) for e in rob) else "moderate"
    if reporter == "unknown":
        strength = "weak"
    return verdict(ctx, reporter, rating, facts=facts, statistic=stat, n_obs=len(after) + 2,
                   window=(ref_y, last_y),
                   data_used=[phrase("exact_values_span", reporter=reporter, first=int(v.index.min()),
                                     last=int(v.index.max()), source=stat["source"])]
                   + [phrase("bound_not_rated", reporter=reporter, qualifier=b["qualifier"], value_musd=b["value_musd"],
                             period=b["period"]) for b in bounds],
                   source_row_ids=ids | {i for b in bounds for i in b["row_ids"]}, robustness=rob,
                   strength=strength, basis=figs, not_checked=[phrase("not_deflated")], tables=tables)


def rule(ctx: Context) -> list[Verdict]:
    per = {r: _one(ctx, r) for r in ctx.reporters}
    return list(per.values()) + [combine(ctx, per, joined="recovery")]
