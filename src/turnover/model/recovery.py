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
from ..text.names import figures_of, name_of, possessive
from .result import (Context, combine, coverage_note, sentence_body_of, make_result, rating_sentence, robust_entry,
                     same_side)
from .series import span_label

MUSD = 1e6
SIGN = {"at_least": "at least", "at_most": "at most", "approx": "about"}


def _musd(x: float) -> str:
    return f"USD {x / MUSD:,.0f} mn"


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


def bounds_text(bounds: list[dict]) -> str:
    return ", ".join(f"{SIGN.get(b['qualifier'], '')} {_musd(b['value_musd'] * MUSD)} in {b['period']}".strip()
                     for b in bounds)


def _one(ctx: Context, reporter: str) -> dict:
    p = ctx.params
    event = pd.Timestamp(p["event_date"])
    ref_y = int(p["reference_year"])
    pre_y = int(p.get("pre_pandemic_year", 0)) or None
    min_after, tol = int(p.get("min_points_after", 2)), float(p.get("tolerance_pct", 0))
    grades = dict(p.get("recovered_grades") or {0.75: "mostly_true", 0.5: "half_true", 0.0: "mostly_false"})
    figs = figures_of(reporter)
    if ctx.as_of < event:
        return make_result(ctx, reporter, "not_yet_testable", sentence=rating_sentence(
            ctx, "not_yet_testable", f"the event ({event.date()}) came after this date"), basis=figs)
    s = annual.series(ctx, reporter)
    s = s[s["year"] <= ctx.claim.window.end] if len(s) else s
    v = s["value_usd"].astype(float) if len(s) else pd.Series(dtype=float)
    after = v[v.index > event.year]
    missing = []
    if ref_y not in v.index:
        missing.append(f"no exact {ref_y} value")
    span = v[(v.index > ref_y) & (v.index <= event.year)]
    if span.empty:
        missing.append(f"no exact value {ref_y + 1}-{event.year} for the trough")
    if len(after) < min_after:
        missing.append(f"{len(after)} exact annual value(s) after {event.year} ({min_after} needed)")
    reference = float(v[ref_y]) if ref_y in v.index else None
    bounds = _bounds(ctx, reporter, int(v.index.max()) if len(v) else event.year, reference)
    stat: dict = {"bounds_after_latest": bounds} if bounds else {}
    ids = {i for t in s["row_ids"] for i in t} if len(s) else set()
    if missing:
        note = coverage_note(ctx, reporter) if v.empty else None
        if note and not note.endswith(f"hold no figure for trade with {name_of(ctx.pair[1] if reporter == ctx.pair[0] else ctx.pair[0])}"):
            missing = [note]  # not bundled or fetched / not yet published: the reason, not its consequences
        why = "; ".join(missing)
        return make_result(ctx, reporter, "cannot_be_checked", statistic=stat, n_obs=len(after),
                           sentence=rating_sentence(ctx, "cannot_be_checked", f"on {figs}: {why}"),
                           basis=figs, not_checked=missing, source_row_ids=ids,
                           data_used=[f"{figs}: {len(v)} exact annual value(s)"])
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
                                f"latest {last_y}: {rating_mod.label(rating)}; pre-pandemic {pre_y}: "
                                f"{rating_mod.label(stat['pre_pandemic_rating'])}"))
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
                            ", ".join(f"{k}: {rating_mod.label(x)}" for k, x in alt.items()) or
                            f"one source covers reference and latest year ({stat['source']})"))
    pre_txt = (f", {pre_y} (pre-pandemic) {stat['pre_pandemic_vs_reference_pct']:+.0f}%" if "pre_pandemic_musd" in stat
               and pre_y != last_y else "")
    path = (f"fell from {_musd(reference)} in {ref_y} to {_musd(trough)} in {trough_y}" if trough < reference else
            f"never fell below its {ref_y} level of {_musd(reference)} (lowest {_musd(trough)} in {trough_y})")
    body = (f"on {figs} ({stat['source']}), turnover {path} "
            f"and was {_musd(latest)} in {last_y}, {stat['latest_vs_reference_pct']:+.0f}% against {ref_y}"
            + (f" ({100 * share:.0f}% of the lost ground recovered)" if share is not None else "") + pre_txt)
    if bounds:
        body += "; later, not rated: " + bounds_text(bounds)
    strength = "strong" if all(e["agrees"] in (True, None) for e in rob) else "moderate"
    if reporter == "unknown":
        strength = "weak"
    return make_result(ctx, reporter, rating, statistic=stat, n_obs=len(after) + 2,
                       window=(ref_y, last_y), data_used=[f"{figs}: exact annual values {v.index.min()}-{v.index.max()} ({stat['source']})"]
                       + [f"{figs}: {SIGN.get(b['qualifier'], '')} {b['value_musd']:.0f} USD mn in {b['period']} (not rated)"
                          for b in bounds],
                       source_row_ids=ids | {i for b in bounds for i in b["row_ids"]}, robustness=rob,
                       sentence=rating_sentence(ctx, rating, body), strength=strength, basis=figs,
                       not_checked=["deflated values (no USD price index bundled)"])


def rule(ctx: Context) -> list[dict]:
    per = {r: _one(ctx, r) for r in ctx.reporters}
    rated = [r for r in ctx.pair if per[r]["rating"] in rating_mod.RATED]
    body = None
    if rated:
        body = "; ".join(sentence_body_of(per[r]) for r in rated)
        since = min(per[r]["statistic"]["latest_year"] for r in rated)
        unstated = [b for b in per.get("unknown", {}).get("statistic", {}).get("bounds_after_latest") or []
                    if b["year"] > since]
        if unstated:  # named, never rated: figures whose reporter is not stated
            body += "; figures whose reporter is not stated (not rated): " + bounds_text(unstated)
    return list(per.values()) + [combine(ctx, per, sentence_body=body)]
