"""Rule ``recovery``: after an event (the programme), did turnover recover?

Per reporter, annual values known at the as-of date (values implied by a printed y/y
included, marked; complete calendar years of monthly data summed): the trough-year value, the reference-year value, and every annual value
for full years after the event year up to the window end. Supported when every value after
the event is above the trough and the latest is at or above the reference; not supported
when both fail; mixed when one holds. Bounds count only where they decide ("at least 1000"
is certainly above a 953 reference; "at least 600" is not certainly below it). Before the
event date the claim is ``not_yet_testable``.
"""

from __future__ import annotations

import pandas as pd

from .comparable import ytd_from_months
from .result import Context, combine, make_result
from .series import POOLED

MUSD = 1e6


def _above(value: float, qualifier, threshold: float, strict: bool) -> bool | None:
    """Is value (with its qualifier) above threshold? None when a bound cannot decide."""
    hit = value > threshold if strict else value >= threshold
    if qualifier == "at_least":
        return True if hit else None
    if qualifier == "at_most":
        return False if not hit else None
    return hit


def _annual(ctx: Context, reporter: str) -> pd.DataFrame:
    pts = ctx.implied(reporter)
    if pts.empty:
        return pts
    sums = ytd_from_months(pts)  # calendar years complete in monthly data count as annual values
    if len(sums):
        pts = pd.concat([pts, sums], ignore_index=True)
    a = pts[(pts["span"] == "01-12/12") & pts["value_usd"].notna()].copy()
    a["year"] = a["period_end"].dt.year
    # one value per year: printed before implied, exact before approx before bounds
    a["_rank"] = (a["basis"] == "implied by y/y").astype(int) * 10 + a["value_qualifier"].map(
        {"exact": 0, "approx": 1, "at_least": 2, "at_most": 2}).fillna(3)
    return a.sort_values(["year", "_rank", "known_from"]).drop_duplicates("year").set_index("year")


def _one(ctx: Context, reporter: str) -> dict:
    p = ctx.params
    event = pd.Timestamp(p["event_date"])
    trough_y, ref_y = int(p["trough_year"]), int(p["reference_year"])
    min_after = int(p.get("min_points_after", 2))
    who = {"unknown": "figures of unstated reporter", POOLED: "all reporters pooled"}.get(reporter, f"{reporter}-reported figures")
    if ctx.as_of < event:
        return make_result(ctx, reporter, "not_yet_testable", robustness={"label": "untested"},
                           summary=f"{who}: as of {ctx.as_of.date()} the event ({event.date()}) had not happened")
    a = _annual(ctx, reporter)
    after = a[(a.index > event.year) & (a.index <= ctx.claim.window.end)] if len(a) else a
    trough = a.loc[trough_y] if len(a) and trough_y in a.index else None
    ref = a.loc[ref_y] if len(a) and ref_y in a.index else None
    missing = []
    if trough is None or trough["value_qualifier"] in ("at_least", "at_most"):
        missing.append(f"no {trough_y} value")
    if ref is None or ref["value_qualifier"] in ("at_least", "at_most"):
        missing.append(f"no {ref_y} value")
    if len(after) < min_after:
        missing.append(f"{len(after)} annual value(s) after {event.year} ({min_after} needed)")
    ids = {i for t in after["row_ids"] for i in t} if len(after) else set()
    for r in (trough, ref):
        if r is not None:
            ids |= set(r["row_ids"])
    data_used = [f"{reporter} annual turnover {y}: {r['value_usd'] / MUSD:.1f} $ mn ({r['value_qualifier']}, {r['basis']})"
                 for y, r in a.iterrows() if y in {trough_y, ref_y} | set(after.index)] if len(a) else []
    if missing:
        return make_result(ctx, reporter, "insufficient_data", n_obs=len(after), data_used=data_used,
                           source_row_ids=ids, robustness={"label": "untested"},
                           summary=f"{who}: {'; '.join(missing)}")
    tv, rv = float(trough["value_usd"]), float(ref["value_usd"])
    above_trough = [_above(float(r["value_usd"]), r["value_qualifier"], tv, strict=True) for _, r in after.iterrows()]
    last_y = int(after.index.max())
    last = after.loc[last_y]
    back = _above(float(last["value_usd"]), last["value_qualifier"], rv, strict=False)
    rose = False if False in above_trough else (True if all(above_trough) else None)
    checks = [rose, back]
    if False in checks:
        verdict = "mixed" if True in checks else "not_supported"
    elif all(checks):
        verdict = "supported"
    else:
        verdict = "insufficient_data"
    q = {"at_least": "at least ", "at_most": "at most "}.get(last["value_qualifier"], "")
    stat = {"trough_musd": tv / MUSD, "reference_musd": rv / MUSD, "latest_musd": float(last["value_usd"]) / MUSD,
            "latest_year": last_y, "latest_vs_reference_pct": 100 * (float(last["value_usd"]) / rv - 1),
            "min_after_musd": float(after["value_usd"].min()) / MUSD, "n_after": len(after)}
    summary = (f"{who}: {trough_y} trough {tv / MUSD:.1f} $ mn, {ref_y} {rv / MUSD:.1f} $ mn; after {event.year} "
               f"{len(after)} annual value(s), lowest {stat['min_after_musd']:.1f}, latest {last_y} {q}"
               f"{stat['latest_musd']:.1f} $ mn ({stat['latest_vs_reference_pct']:+.1f}% vs {ref_y})")
    approx = int((pd.concat([after, pd.DataFrame([trough, ref])])["value_qualifier"] != "exact").sum())
    rob = {"label": "fragile" if approx else "robust",
           "why": f"{approx} of the values compared are approximate, implied or bounds" if approx else "exact values only",
           "nominal_vs_deflated": "untested: nominal USD only"}
    return make_result(ctx, reporter, verdict, statistic=stat, n_obs=len(after) + 2, data_used=data_used,
                       source_row_ids=ids, robustness=rob, summary=summary)


def rule(ctx: Context) -> list[dict]:
    per = {r: _one(ctx, r) for r in ctx.reporters}
    return list(per.values()) + [combine(ctx, per, pooled=_one(ctx, POOLED))]
