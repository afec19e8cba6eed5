"""Rule ``declining_trend``: was turnover declining, judged per reporter?

Per reporter (never mixing reporters), on rows known at the vintage's as-of date:
1. The trend series: within the claim's window, monthly values if one source has 25 months
   or more; else the longest comparable span (Jan-Dec before Jan-Jun ...) with at least
   ``min_points`` values, or failing that the span with most values (months counting through
   their year-to-date sums); values implied by a printed y/y change included and marked,
   bounds ("at least") excluded. A monthly series with gaps too large to fill is refused
   and its complete calendar-year sums are used instead (said in ``data_used``).
   Fewer than ``min_points`` -> ``insufficient_data``.
2. Trend tests on it (``trend.trend_tests``): Sen's slope and Mann-Kendall p-value; change
   points (``changepoints.detect``) are reported alongside, not used by the verdict.
3. The latest comparable y/y change whose period ends inside the window.
Verdict: negative slope and (if ``require_latest_comparable_decline``) latest y/y < 0 ->
``supported``; slope >= 0 and latest y/y >= 0 (or unknown) -> ``not_supported``; the two
disagreeing -> ``mixed``; negative slope but no latest comparable change known when one is
required -> ``insufficient_data``. The Mann-Kendall p-value against ``alpha`` grades the
evidence "strong" or "weak"; it does not flip the verdict (the rule sets alpha for a
"strong" verdict only). Sensitivity: other windows, each source, deflated values.
"""

from __future__ import annotations

import pandas as pd

from . import deflate as deflate_mod
from .comparable import latest_comparable, ytd_from_months
from .changepoints import detect
from .errors import ModelInputError
from .result import TESTABLE, VERDICTS, Context, combine, make_result, robustness_label
from .series import BOUNDS, POOLED, span_label
from .trend import trend_tests

MUSD = 1e6
MIN_MONTHS = 25  # STL and the seasonal test need two full years and one month


def _windows(ctx: Context) -> list[tuple[int, int]]:
    given = ctx.params.get("sensitivity_windows")
    if given:
        return [(int(a), int(b)) for a, b in given]
    s, e = ctx.claim.window.start, ctx.claim.window.end
    return [(y, e) for y in range(s, e - 1)]


def pick_series(points: pd.DataFrame, start: int, end: int, monthly: bool = True,
                min_points: int = 3) -> pd.DataFrame:
    """The comparable family to test in [start, end]: among families (source and span, e.g.
    Jan-Dec or Jan-Jun) with at least ``min_points`` usable values the longest span, else
    the family with the most values.

    Months are used as such only when one source has at least ``MIN_MONTHS`` of them in the
    window (enough for STL and the seasonal test; a year or so of months would confound
    trend and season); otherwise, and always with ``monthly=False``, months count only
    through their year-to-date and calendar-year sums. One source per series, never mixed.
    """
    sums = ytd_from_months(points)
    p = points[(points["period_end"].dt.year >= start) & (points["period_end"].dt.year <= end)
               & points["value_usd"].notna() & ~points["value_qualifier"].isin(BOUNDS)]
    months = p[p["frequency"] == "month"]
    if monthly and len(months):
        counts = months.groupby("source_kind").size()
        src = sorted(counts.index, key=lambda k: (-counts[k], k))[0]  # most months; ties by name
        if counts[src] >= MIN_MONTHS:
            return months[months["source_kind"] == src].sort_values("period_end")
    if len(sums):
        sums = sums[(sums["period_end"].dt.year >= start) & (sums["period_end"].dt.year <= end)]
        p = pd.concat([p[p["frequency"] != "month"], sums], ignore_index=True)
    else:
        p = p[p["frequency"] != "month"]
    if p.empty:
        return p
    fam = p.groupby(["source_kind", "span"]).size().reset_index(name="n")
    fam["months"] = fam["span"].str.split("/").str[1].astype(int)
    enough = fam[fam["n"] >= min_points]
    order = ["months", "n"] if len(enough) else ["n", "months"]
    best = (enough if len(enough) else fam).sort_values(order + ["source_kind"], ascending=[False, False, True]).iloc[0]
    return p[(p["source_kind"] == best["source_kind"]) & (p["span"] == best["span"])].sort_values("period_end")


def assess(ctx: Context, reporter: str, window: tuple[int, int], source_kind: str | None = None,
           deflator: pd.Series | None = None, breaks: bool = False) -> dict:
    """The verdict for one reporter, window, source and price basis (nominal or deflated)."""
    prm = ctx.params
    alpha, min_points = float(prm.get("alpha", 0.05)), int(prm.get("min_points", 3))
    need_latest = bool(prm.get("require_latest_comparable_decline", True))
    need_slope = bool(prm.get("require_negative_slope", True))
    pts = ctx.implied(reporter, source_kind)
    start, end = window
    latest = latest_comparable(ctx.yoy(reporter, source_kind), start, end) if len(pts) else None
    latest_yoy = None if latest is None else float(latest["yoy_pct"])
    if deflator is not None and latest is not None:
        latest_yoy = deflate_mod.deflate_yoy(latest_yoy, int(latest["year"]), deflator)
    refused, tests = None, {"n": 0}
    for monthly in (True, False):
        series_pts = pick_series(pts, start, end, monthly=monthly, min_points=min_points)
        values = pd.Series(series_pts["value_usd"].to_numpy(dtype=float),
                           index=pd.DatetimeIndex(series_pts["period_end"]))
        if deflator is not None:
            values = deflate_mod.deflate(values, deflator)
        freq = series_pts["frequency"].iloc[0] if len(series_pts) else None
        try:
            tests = trend_tests(values, frequency=freq, alpha=alpha) if len(values) >= min_points else {"n": len(values)}
            break
        except ModelInputError as err:  # monthly gaps too large to fill: fall back to calendar years
            refused = f"monthly series refused ({err}); calendar-year sums used instead"
    ids = {i for t in series_pts["row_ids"] for i in t} | (set(latest["row_ids"]) if latest is not None else set())

    label = ("monthly" if freq == "month" else span_label(series_pts["span"].iloc[0])) if len(series_pts) else ""
    implied = int((series_pts["basis"] == "implied by y/y").sum())
    data_used = []
    if len(series_pts):
        yrs = series_pts["period_end"].dt.year
        data_used.append(f"{reporter} turnover, {series_pts['source_kind'].iloc[0]}, {label}, "
                         f"{yrs.min()}-{yrs.max()}: {len(series_pts)} point(s)"
                         + (f", {implied} implied by a printed y/y change" if implied else ""))
    if latest is not None:
        data_used.append(f"latest comparable: {latest['period_label']} {int(latest['year'])} vs "
                         f"{int(latest['year']) - 1} ({latest['yoy_basis']})")
    stat = {"latest_comparable_yoy_pct": latest_yoy}
    slope = tests.get("sen_slope")
    if slope is not None:
        musd = lambda k: None if tests.get(k) is None else tests[k] / MUSD
        stat.update(sen_slope_musd_per_year=slope / MUSD, sen_slope_ci_low_musd=musd("sen_slope_ci_low"),
                    sen_slope_ci_high_musd=musd("sen_slope_ci_high"),
                    sen_slope_pct_per_year=tests.get("sen_slope_pct_per_year"), mk_tau=tests.get("mk_tau"),
                    mk_z=tests.get("mk_z"), hac_slope_musd_per_year=musd("hac_slope"), hac_p=tests.get("hac_p"))
        if values.iloc[0]:
            stat["change_first_to_last_pct"] = 100 * (values.iloc[-1] / values.iloc[0] - 1)
    p = tests.get("p_value")
    if breaks and slope is not None:
        cp = detect(values, frequency=freq)
        if cp["penalty"] is not None:
            stat["n_change_points"] = len(cp["breaks"])
            if cp["breaks"]:
                stat["last_change_point_year"] = int(cp["breaks"][-1][:4])
            data_used.append(f"change points: {', '.join(cp['breaks']) or 'none'} ({cp['note']})")
    who = "figures of unstated reporter" if reporter == "unknown" else (
        "all reporters pooled" if reporter == POOLED else f"{reporter}-reported figures")
    latest_txt = ("" if latest is None else
                  f"; latest comparable period {latest['period_label']} {int(latest['year'])} "
                  f"{latest_yoy:+.1f}% y/y")

    if slope is None:
        verdict = "insufficient_data"
        why = (f"{len(values)} usable point(s) in {start}-{end}, {min_points} needed for a trend test"
               + latest_txt)
        evidence = None
    else:
        neg = slope < 0 or not need_slope
        dec = None if latest_yoy is None else latest_yoy < 0
        if neg and (dec or not need_latest):
            verdict = "supported"
        elif not neg and not dec:
            verdict = "not_supported"
        elif neg and dec is None:
            verdict = "insufficient_data"
        else:
            verdict = "mixed"
        evidence = "strong" if p is not None and p < alpha else "weak"
        p_txt = "n/a" if p is None else f"{p:.2f}"
        why = (f"Sen's slope {slope / MUSD:+.1f} $ mn/yr over {len(values)} {label} values {start}-{end} "
               f"(Mann-Kendall p={p_txt}, {evidence} at alpha {alpha})" + latest_txt
               + ("; no latest comparable change known" if latest is None else ""))
    notes = [n for n in (refused, tests.get("note")) if n]
    return {"verdict": verdict, "statistic": stat, "p_value": p, "n_obs": int(len(values)),
            "window": window, "data_used": data_used + notes,
            "ids": ids, "evidence": evidence, "summary": f"{who}: {why}"}


def _sources(ctx: Context, reporter: str) -> list[str]:
    pts = ctx.points(reporter)
    return sorted(pts["source_kind"].unique()) if len(pts) else []


def _one_reporter(ctx: Context, reporter: str) -> dict:
    window = (ctx.claim.window.start, ctx.claim.window.end)
    main = assess(ctx, reporter, window, breaks=True)
    variants: dict[str, str] = {}
    for w in _windows(ctx):
        if w != window:
            variants[f"window {w[0]}-{w[1]}"] = assess(ctx, reporter, w)["verdict"]
    sources = _sources(ctx, reporter)
    if len(sources) > 1:
        for s in sources:
            variants[f"source {s}"] = assess(ctx, reporter, window, source_kind=s)["verdict"]
    if ctx.deflator is not None:
        try:
            variants["deflated"] = assess(ctx, reporter, window, deflator=ctx.deflator)["verdict"]
        except ModelInputError as err:
            variants["deflated"] = f"untested: {err}"
    rob = {"label": robustness_label(main["verdict"], variants), "variants": variants,
           "evidence": main["evidence"],
           "nominal_vs_deflated": ("tested" if variants.get("deflated") in VERDICTS
                                   else variants.get("deflated", deflate_mod.UNTESTED)),
           "sources": sources or ["none"]}
    if len(sources) <= 1:
        rob["source_note"] = f"only one source for this reporter ({', '.join(sources) or 'none'})"
    if reporter == "unknown":
        rob["flag"] = f"figures whose reporter is not stated: may mix {ctx.pair[0]} and {ctx.pair[1]} statistics"
    elif reporter == POOLED:
        rob["flag"] = "all reporters pooled into one series: flagged reading, not a verdict basis"
    return make_result(ctx, reporter, main["verdict"], statistic=main["statistic"], p_value=main["p_value"],
                       n_obs=main["n_obs"], window=main["window"], data_used=main["data_used"],
                       source_row_ids=main["ids"], robustness=rob, summary=main["summary"])


def rule(ctx: Context) -> list[dict]:
    """Results for each country of the pair, unknown, and the claim-level 'all'."""
    per = {r: _one_reporter(ctx, r) for r in ctx.reporters}
    pooled = _one_reporter(ctx, POOLED)
    return list(per.values()) + [combine(ctx, per, pooled=pooled)]


__all__ = ["rule", "assess", "pick_series", "TESTABLE"]
