"""Rule ``declining_trend``: had turnover declined, and was the decline not yet reversed?

Per reporter and vintage (reporters never mixed), on rows known at the as-of date and periods
ending on or before the date of the statement (the anchor):

(a) *decline*: the latest full year L of the reporter's annual series (exact values; primary
    series, see ``annual``) against the reference = the highest annual value from the window
    start to L-1 (``reference: peak``; the mean of those years is shown beside it), in % and
    USD. Holds when L is at least ``min_decline_pct`` below it. Without exact levels, a printed
    exact y/y for L of at least that fall proves it (the peak is at least the year before);
    it is then shown as a bound ("at least x% below the peak").
(b) *not yet reversed*: the latest comparable change (full year, year-to-date, quarter or
    month against the same period a year earlier) with exact values, first public within
    ``recency_months`` before the anchor; holds when it is below zero.
(c) *trend*: a local linear trend (``structural``) on the whole annual history: the filtered
    slope at L decides as of a date no later than the statement, the smoothed slope when later
    data exist; one step down (``trend_downgrade``) when its interval lies wholly above zero
    while a decline is rated. Mann-Kendall and Sen's slope (window years) are descriptive;
    monthly data (25+ months of one source) add STL, seasonal Mann-Kendall and 12-month rolling
    sums. Known breaks (``known_breaks``) are tested as level shifts; data-chosen change points
    (ruptures) are reported beside them.

The claims file maps (a, b) to a rating (``ratings``) and says how reporters combine
(``combine``). Robustness: other sources of the same reporter, other window starts, deflated
values (when a deflator is given); the reporters' agreement is added at claim level.
"""

from __future__ import annotations

import math

import pandas as pd

from . import annual, rating as rating_mod, structural
from . import deflate as deflate_mod
from .changepoints import detect
from .errors import ModelInputError
from .result import Context, combine, coverage_note, phrase, robust_entry, same_side, verdict
from .results import DeclineFacts, Unrated, Verdict
from .trend import trend_tests

MUSD = 1e6
MIN_MONTHS = 25


def _windows(ctx: Context) -> list[int]:
    return sorted({int(a) for a, _ in ctx.rule.sensitivity_windows} - {ctx.claim.window.start})


def _latest_comparable(ctx: Context, reporter: str, source_kind: str | None, primary_kinds: set,
                       years: tuple[int, int]) -> tuple[pd.Series | None, bool]:
    """The latest comparable period in the window ``years``, and whether the window left one out."""
    t = ctx.yoy(reporter, source_kind)
    if t.empty:
        return None, False
    months = ctx.rule.recency_months
    oldest = ctx.anchor - pd.DateOffset(months=months)
    ok = t[(t["period_end"] <= ctx.anchor) & (t["known_from"] >= oldest)]
    if ctx.rule.exact_only:
        ok = ok[ok["yoy_qualifier"] == "exact"]
    inside = ok[(ok["year"] >= years[0]) & (ok["year"] <= years[1])]
    if inside.empty:
        return None, not ok.empty
    ok = inside
    ok = ok.assign(_months=ok["span"].str.split("/").str[1].astype(int),
                   _primary=ok["source_kind"].isin(primary_kinds).astype(int))
    return ok.sort_values(["period_end", "_months", "_primary"]).iloc[-1], False


def _printed_yoy(ctx: Context, reporter: str, source_kind: str | None, year: int) -> pd.Series | None:
    """An exact printed (not computed) y/y for the full year ``year``."""
    t = ctx.yoy(reporter, source_kind)
    t = t[(t["span"] == "01-12/12") & (t["year"] == year) & (t["yoy_basis"] == "reported")
          & (t["yoy_qualifier"] == "exact") & (t["period_end"] <= ctx.anchor)]
    return None if t.empty else t.iloc[0]


def _rating_key(a: bool | None, b: bool | None) -> str | None:
    if a is None:
        return None
    if b is None:
        return "decline_no_latest" if a else "no_decline_no_latest"
    return {(True, True): "both", (True, False): "decline_only", (False, True): "latest_only",
            (False, False): "neither"}[(a, b)]


def assess(ctx: Context, reporter: str, *, window_start: int | None = None, source_kind: str | None = None,
           deflator: pd.Series | None = None, full: bool = True, same_data: dict | None = None) -> dict:
    """The rating for one reporter, reference window start, source and price basis.

    ``full=False`` skips the descriptive statistics (for robustness variants). ``same_data``: the
    result of an ``assess`` of the same reporter, source and price basis (another window start),
    whose annual series and trend fit (on the whole history, at the same latest year) are reused:
    neither depends on the start."""
    prm = ctx.rule
    start = int(window_start if window_start is not None else ctx.claim.window.start)
    end = int(ctx.claim.window.end)  # no year after the window's end is used, nor before its start
    min_decline = float(prm.min_decline_pct)
    if same_data is not None:
        whole, values = same_data["data"]
    else:
        whole = annual.series(ctx, reporter, source_kind)
        values = whole["value_usd"].astype(float) if len(whole) else pd.Series(dtype=float)
    if deflator is not None and len(values) and same_data is None:
        try:
            values = pd.Series(deflate_mod.deflate(
                pd.Series(values.values, index=pd.to_datetime([f"{y}-12-31" for y in values.index])), deflator).values,
                index=values.index)
        except ModelInputError as err:
            return {"rating": "cannot_be_checked", "why": str(err)}
    before = values[[pd.Timestamp(int(y), 12, 31) <= ctx.anchor and int(y) <= end for y in values.index]] \
        if len(values) else values
    out: dict = {"stat": {}, "ids": set(), "data_used": [], "not_checked": [], "a": None, "b": None,
                 "a_bound": False, "source": annual.label(whole.loc[before.index]) if len(before) else None,
                 "last_source": annual.kinds(whole.loc[before.index])[-1] if len(before) else None,
                 "data": (whole, values)}
    stat = out["stat"]
    primary_kinds = set(whole["source_kind"]) if len(whole) else set()
    # (a) decline against the reference
    if len(before):
        last = int(before.index.max())
        ref_years = before[(before.index >= start) & (before.index < last)]
        stat.update(latest_year=last, latest_musd=float(before[last]) / MUSD)
        out["ids"] |= set(whole.loc[last, "row_ids"])
        if len(ref_years):
            ref_year = int(ref_years.idxmax())
            ref = float(ref_years.max())
            chg = 100 * (float(before[last]) / ref - 1)
            stat.update(reference_year=ref_year, reference_musd=ref / MUSD,
                        reference_mean_musd=float(ref_years.mean()) / MUSD,
                        reference_years=[int(ref_years.index.min()), int(ref_years.index.max())],
                        change_vs_reference_pct=chg, change_vs_reference_musd=(float(before[last]) - ref) / MUSD,
                        change_vs_mean_pct=100 * (float(before[last]) / float(ref_years.mean()) - 1))
            if last - 1 in before.index:
                stat["change_latest_year_pct"] = 100 * (float(before[last]) / float(before[last - 1]) - 1)
            for y in ref_years.index:
                out["ids"] |= set(whole.loc[y, "row_ids"])
            out["a"] = chg <= -min_decline
        else:
            out["not_checked"].append(phrase("no_reference_value", start=start, last=last))
    if out["a"] is None:  # no levels: an exact printed fall of the latest full year can still prove (a)
        years = sorted(ctx.yoy(reporter, source_kind).query("span == '01-12/12'")["year"].unique()) \
            if len(ctx.yoy(reporter, source_kind)) else []
        # a printed y/y compares y with y-1: both must lie in the window
        for y in [y for y in reversed(years) if start < int(y) <= end]:
            hit = _printed_yoy(ctx, reporter, source_kind, int(y))
            if hit is not None and deflator is None:
                stat.update(latest_year=int(y), printed_yoy_pct=float(hit["yoy_pct"]))
                out["ids"] |= set(hit["row_ids"])
                if float(hit["yoy_pct"]) <= -min_decline:
                    out["a"], out["a_bound"] = True, True
                    stat["change_vs_reference_at_most_pct"] = float(hit["yoy_pct"])
                break
    # (b) latest comparable period
    latest, outside = _latest_comparable(ctx, reporter, source_kind, primary_kinds, (start, end))
    if latest is not None:
        yoy = float(latest["yoy_pct"])
        if deflator is not None:
            try:
                yoy = deflate_mod.deflate_yoy(yoy, int(latest["year"]), deflator)
            except ModelInputError:
                yoy = None
        if yoy is not None:
            out["b"] = yoy < 0
            stat.update(latest_comparable_yoy_pct=yoy, latest_comparable_period=f"{latest['period_label']} {int(latest['year'])}",
                        latest_comparable_source=latest["source_kind"], latest_comparable_basis=latest["yoy_basis"],
                        latest_comparable_first_public=latest["known_from"])
            out["latest_comparable_end"] = latest["period_end"]
            out["latest_is_annual"] = latest["span"] == "01-12/12" and int(latest["year"]) == stat.get("latest_year")
            out["ids"] |= set(latest["row_ids"])
    else:
        out["not_checked"].append(phrase("no_recent_comparable", months=prm.recency_months,
                                         before=ctx.anchor.date().isoformat(), window=[start, end] if outside else None))
    key = _rating_key(out["a"], out["b"])
    rating = rating_mod.check(getattr(prm.ratings, key)) if key else "cannot_be_checked"
    if key is None and len(before) == 0:
        note = coverage_note(ctx, reporter)  # not bundled or fetched / no such partner / not yet public
        if note:
            out["not_checked"] = [note]
        else:
            out["not_checked"].append(phrase("no_annual_value", as_of=ctx.as_of.date().isoformat()))
    # (c) trend model on the whole history known
    kind = "smoothed" if ctx.as_of > ctx.anchor else "filtered"
    out["trend_kind"] = kind
    if "latest_year" in stat and len(values) and int(stat["latest_year"]) in values.index:
        if same_data is not None and same_data.get("trend_at") == int(stat["latest_year"]):
            llt = same_data["trend"]  # same values, same year: the same fit
        else:
            llt = structural.local_linear_trend(values, int(stat["latest_year"]), prm.trend_level)
        out["trend_at"] = int(stat["latest_year"])
        out["trend"] = llt
        direction = structural.direction(llt, kind)
        out["trend_direction"] = direction
        if direction == "up" and out["a"]:
            rating = rating_mod.step(rating, -prm.trend_downgrade)
        if direction is None:
            out["not_checked"].append(phrase("trend_not_fitted", n=llt["n"], year=int(stat["latest_year"]),
                                             needed=structural.MIN_YEARS))
    out["rating"] = rating
    out["key"] = key
    if full:
        _descriptive(ctx, reporter, out, values, before, start)
        out.update(whole=whole, values=values)
    return out


def _descriptive(ctx: Context, reporter: str, out: dict, values: pd.Series, before: pd.Series, start: int) -> None:
    stat = out["stat"]
    if len(before):
        idx = pd.to_datetime([f"{y}-12-31" for y in before.index])
        win = pd.Series(before.values, index=idx)
        win = win[win.index.year >= start]
        tt = trend_tests(win, frequency="annual")
        stat["mann_kendall"] = {k: tt.get(k) for k in ("n", "mk_test", "p_value", "mk_tau", "sen_slope",
                                                       "sen_slope_ci_low", "sen_slope_ci_high",
                                                       "sen_slope_pct_per_year", "note")}
        stat["change_points"] = detect(pd.Series(before.values, index=idx), frequency="annual")
    hist = values if out["trend_kind"] == "smoothed" else before
    last = stat.get("latest_year")
    if last is not None and last + 1 in values.index and last in values.index and ctx.as_of > ctx.anchor:
        stat["next_year"] = {"year": int(last + 1), "change_pct": 100 * (float(values[last + 1]) / float(values[last]) - 1)}
    breaks = []
    for b in ctx.rule.known_breaks:
        if reporter in (b.reporters or [reporter]) and len(hist):
            breaks.append({**structural.level_shift(hist, b.year), "why": b.why})
    stat["known_breaks"] = breaks
    monthly = _monthly(ctx, reporter)
    if monthly:
        stat["monthly"] = monthly
    total = _versus_total(ctx, reporter, out)
    if total:
        stat["versus_total"] = total


def _monthly(ctx: Context, reporter: str) -> dict | None:
    """STL, seasonal Mann-Kendall and 12-month rolling sums when 25+ months of one source exist."""
    pts = ctx.points(reporter)
    m = pts[(pts["frequency"] == "month") & pts["value_usd"].notna() & (pts["value_qualifier"] == "exact")
            & (pts["period_end"] <= ctx.anchor)]
    if m.empty:
        return None
    counts = m.groupby("source_kind").size()
    src = sorted(counts.index, key=lambda k: (-counts[k], k))[0]
    if counts[src] < MIN_MONTHS:
        return None
    m = m[m["source_kind"] == src].sort_values("period_end")
    s = pd.Series(m["value_usd"].to_numpy(dtype=float), index=pd.DatetimeIndex(m["period_end"]))
    out = {"source_kind": src, "n_months": int(len(s)), "first": s.index[0].date().isoformat(),
           "last": s.index[-1].date().isoformat()}
    try:
        tt = trend_tests(s, frequency="month")
        out.update({k: tt.get(k) for k in ("mk_test", "p_value", "sen_slope", "sen_slope_ci_low",
                                          "sen_slope_ci_high", "decomposition", "note")})
    except ModelInputError as err:
        out["note"] = f"monthly series refused: {err}"
    grid = s.reindex(pd.date_range(s.index[0], s.index[-1], freq="ME"))
    roll = grid.rolling(12, min_periods=12).sum()
    if roll.notna().sum() and len(roll) > 12 and pd.notna(roll.iloc[-1]) and pd.notna(roll.iloc[-13]):
        out["rolling_12m_latest_musd"] = float(roll.iloc[-1]) / MUSD
        out["rolling_12m_yoy_pct"] = 100 * (float(roll.iloc[-1]) / float(roll.iloc[-13]) - 1)
    return out


def _totals(ctx: Context, reporter: str, out: dict) -> pd.DataFrame:
    """The reporter's total trade per year (one source a year: the series' last source first)."""
    t = annual.totals(ctx, reporter)
    if t.empty:
        return t.set_index("year", drop=False)
    pref = out.get("last_source")
    t = t.assign(_p=(t["source_kind"] != pref).astype(int)).sort_values(["year", "_p"]).drop_duplicates("year")
    return t.drop(columns="_p").set_index("year", drop=False)


SHARE_COLUMNS = ["year", "value_usd", "total_usd", "share_pct", "source_kind", "total_source_kind", "row_ids",
                 "bilateral_row_ids"]


def shares_table(ctx: Context, reporter: str, out: dict, values: pd.Series, whole: pd.DataFrame) -> pd.DataFrame:
    """The bilateral share of the reporter's total trade, each year of its annual series that
    has a total (the report's share panel plots this table)."""
    if reporter not in ctx.pair or not len(values):
        return pd.DataFrame(columns=SHARE_COLUMNS)
    t = _totals(ctx, reporter, out)
    rows = [{"year": int(y), "value_usd": float(values[y]), "total_usd": float(t.loc[y, "value_usd"]),
             "share_pct": 100 * float(values[y]) / float(t.loc[y, "value_usd"]),
             "source_kind": whole.loc[y, "source_kind"], "total_source_kind": t.loc[y, "source_kind"],
             "row_ids": tuple(t.loc[y, "row_ids"]), "bilateral_row_ids": tuple(whole.loc[y, "row_ids"])}
            for y in values.index if y in t.index and float(t.loc[y, "value_usd"]) > 0]
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _versus_total(ctx: Context, reporter: str, out: dict) -> dict | None:
    """The reporter's total trade change over the same years, and the bilateral share of it."""
    stat = out["stat"]
    if reporter not in ctx.pair or "latest_year" not in stat or "latest_musd" not in stat:
        return None
    t = _totals(ctx, reporter, out)
    if t.empty:
        return None
    last = int(stat["latest_year"])
    res = {"source_kind": t.loc[last, "source_kind"] if last in t.index else None}
    if last in t.index:
        res["total_latest_musd"] = float(t.loc[last, "value_usd"]) / MUSD
        res["bilateral_share_latest_pct"] = 100 * stat["latest_musd"] / res["total_latest_musd"]
        out["ids"] |= set(t.loc[last, "row_ids"])
        if last - 1 in t.index:
            res["total_change_latest_year_pct"] = 100 * (float(t.loc[last, "value_usd"]) / float(t.loc[last - 1, "value_usd"]) - 1)
        ref = stat.get("reference_year")
        if ref in t.index:
            res["total_change_vs_reference_year_pct"] = 100 * (float(t.loc[last, "value_usd"]) / float(t.loc[ref, "value_usd"]) - 1)
            res["bilateral_share_reference_pct"] = 100 * stat["reference_musd"] / (float(t.loc[ref, "value_usd"]) / MUSD)
    return res if len(res) > 1 else None


def _strength(reporter: str, res: dict) -> str:
    r = res["rating"]
    if r not in rating_mod.RATED:
        return "none"
    if reporter == "unknown":
        return "weak"
    if res["a_bound"] or res["b"] is None:
        return "weak"
    v = rating_mod.value(r)
    direction = res.get("trend_direction")
    if direction == ("down" if v > 3 else "up" if v < 3 else None):
        return "strong"
    if (direction == "up" and v > 3) or (direction == "down" and v < 3):
        return "weak"
    return "moderate"


def _variant_entries(ctx: Context, reporter: str, main: dict) -> list:
    out = []
    whole = annual.series(ctx, reporter)
    others = annual.other_sources(ctx, reporter, whole)
    if others:
        got = {k: assess(ctx, reporter, source_kind=k, full=False)["rating"] for k in others}
        rated = {k: v for k, v in got.items() if v in rating_mod.RATED}
        agrees = None if not rated else all(same_side(main["rating"], v) for v in rated.values())
        out.append(robust_entry("sources", agrees, phrase("source_variants", primary=main["source"], rating=main["rating"],
                                                          others=[[k, v] for k, v in got.items()])))
    else:
        out.append(robust_entry("sources", None, phrase("one_source", source=main["source"])))
    starts = _windows(ctx)
    if starts:
        got = {s: assess(ctx, reporter, window_start=s, full=False, same_data=main)["rating"] for s in starts}
        rated = {k: v for k, v in got.items() if v in rating_mod.RATED}
        agrees = None if not rated else all(same_side(main["rating"], v) for v in rated.values())
        out.append(robust_entry("windows", agrees, phrase("window_variants", start=ctx.claim.window.start,
                                                          rating=main["rating"], others=[[s, v] for s, v in got.items()])))
    if ctx.deflator is not None:
        d = assess(ctx, reporter, deflator=ctx.deflator, full=False)
        out.append(robust_entry("deflation", same_side(main["rating"], d["rating"]),
                                phrase("deflated_variant", nominal=main["rating"], deflated=d["rating"])))
    else:
        out.append(robust_entry("deflation", None, phrase("deflation_untested")))
    return out


def _facts(ctx: Context, reporter: str, res: dict):
    """What the verdict's sentence and the report's chart say: the typed decisive figures."""
    if res["rating"] not in rating_mod.RATED:
        return Unrated(reporter, list(res["not_checked"]))
    stat, llt, kind = res["stat"], res.get("trend") or {}, res.get("trend_kind")
    tot = stat.get("versus_total") or {}
    nxt = stat.get("next_year") or {}
    end = res.get("latest_comparable_end")
    return DeclineFacts(
        reporter=reporter, pair=ctx.pair, then_published=bool(ctx.as_of <= ctx.anchor), source=res["source"],
        decline=res["a"], bound=res["a_bound"], not_reversed=res["b"], latest_is_annual=bool(res.get("latest_is_annual")),
        window_start=ctx.claim.window.start, latest_year=stat.get("latest_year"), latest_musd=stat.get("latest_musd"),
        reference_year=stat.get("reference_year"), reference_musd=stat.get("reference_musd"),
        change_vs_reference_pct=stat.get("change_vs_reference_pct"),
        change_latest_year_pct=stat.get("change_latest_year_pct"), printed_yoy_pct=stat.get("printed_yoy_pct"),
        change_vs_reference_at_most_pct=stat.get("change_vs_reference_at_most_pct"),
        latest_comparable_period=stat.get("latest_comparable_period"),
        latest_comparable_yoy_pct=stat.get("latest_comparable_yoy_pct"),
        latest_comparable_end=end.date().isoformat() if end is not None else None,
        latest_comparable_first_public=(stat["latest_comparable_first_public"].date().isoformat()
                                        if "latest_comparable_first_public" in stat else None),
        recency_from=(ctx.anchor - pd.DateOffset(months=ctx.rule.recency_months)).date().isoformat(),
        recency_to=ctx.anchor.date().isoformat(),
        total_change_latest_year_pct=tot.get("total_change_latest_year_pct"),
        bilateral_share_latest_pct=tot.get("bilateral_share_latest_pct"),
        trend_kind=kind, trend_slope_pct=llt.get(f"{kind}_slope_pct"), trend_low_pct=llt.get(f"{kind}_slope_low_pct"),
        trend_high_pct=llt.get(f"{kind}_slope_high_pct"), trend_level=llt.get("level"), trend_n=llt.get("n"),
        next_year=nxt.get("year"), next_year_change_pct=nxt.get("change_pct"))


def _one_reporter(ctx: Context, reporter: str) -> Verdict:
    res = assess(ctx, reporter)
    stat = res["stat"]
    rob = _variant_entries(ctx, reporter, res) if res["rating"] in rating_mod.RATED else []
    strength = _strength(reporter, res)
    facts = _facts(ctx, reporter, res)
    llt = res.get("trend") or {}
    kind = res.get("trend_kind")
    stat["trend"] = llt
    p = llt.get(f"{kind}_slope_p") if kind else None
    data_used = []
    if "latest_year" in stat and res["source"]:
        data_used.append(phrase("annual_series_used", reporter=reporter, source=res["source"], up_to=stat["latest_year"]))
    if "latest_comparable_period" in stat:
        data_used.append(phrase("latest_comparable_used", period=stat["latest_comparable_period"],
                                source=stat["latest_comparable_source"], basis=stat["latest_comparable_basis"]))
    not_checked = list(res["not_checked"])
    if ctx.deflator is None and res["rating"] in rating_mod.RATED:
        not_checked.append(phrase("not_deflated"))
    basis = phrase("figures", reporter=reporter, source=res["source"], pair=list(ctx.pair))
    window = (ctx.claim.window.start, int(stat.get("latest_year", ctx.claim.window.end)))
    whole = res["whole"]
    tables = {"turnover": annual.turnover_table(ctx, reporter, whole),
              "shares": shares_table(ctx, reporter, res, res["values"], whole)}
    return verdict(ctx, reporter, res["rating"], facts=facts, basis=basis,
                   statistic={**stat, "rating_key": res["key"], "trend_used": kind,
                              "trend_direction": res.get("trend_direction")},
                   p_value=p, n_obs=llt.get("n", len(whole)), window=window, data_used=data_used,
                   source_row_ids=res["ids"], robustness=rob, strength=strength, not_checked=not_checked, tables=tables)


def rule(ctx: Context) -> list[Verdict]:
    """Verdicts for each country of the pair, figures of unstated reporter, and 'all'."""
    per = {r: _one_reporter(ctx, r) for r in ctx.reporters}
    return list(per.values()) + [combine(ctx, per, joined="decline")]


__all__ = ["rule", "assess"]
