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
from ..text.names import figures_of, name_of, possessive
from .result import Context, combine, coverage_note, make_result, rating_sentence, robust_entry, same_side
from .trend import trend_tests

MUSD = 1e6
MIN_MONTHS = 25


def _windows(ctx: Context) -> list[int]:
    given = ctx.params.get("sensitivity_windows") or []
    return sorted({int(a) for a, _ in given} - {ctx.claim.window.start})


def _musd(x: float) -> str:
    return f"USD {x / MUSD:,.0f} mn" if x >= 10 * MUSD else f"USD {x / MUSD:.1f} mn"


def _latest_comparable(ctx: Context, reporter: str, source_kind: str | None, primary_kinds: set,
                       years: tuple[int, int]) -> tuple[pd.Series | None, bool]:
    """The latest comparable period in the window ``years``, and whether the window left one out."""
    t = ctx.yoy(reporter, source_kind)
    if t.empty:
        return None, False
    months = int(ctx.params.get("recency_months", 15))
    oldest = ctx.anchor - pd.DateOffset(months=months)
    ok = t[(t["period_end"] <= ctx.anchor) & (t["known_from"] >= oldest)]
    if bool(ctx.params.get("exact_only", True)):
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
    prm = ctx.params
    start = int(window_start if window_start is not None else ctx.claim.window.start)
    end = int(ctx.claim.window.end)  # no year after the window's end is used, nor before its start
    min_decline = float(prm.get("min_decline_pct", 10))
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
            out["not_checked"].append(f"no exact annual value in {start}-{last - 1} to compare {last} with"
                                      if start <= last - 1 else f"{last} is the first exact annual value of the window")
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
            out["latest_is_annual"] = latest["span"] == "01-12/12" and int(latest["year"]) == stat.get("latest_year")
            out["ids"] |= set(latest["row_ids"])
    else:
        out["not_checked"].append(f"no exact comparable period {f'in {start}-{end} ' if outside else ''}first "
                                  f"public within {prm.get('recency_months', 15)} months before {ctx.anchor.date()}")
    key = _rating_key(out["a"], out["b"])
    table = {**{"both": "true", "decline_only": "half_true", "latest_only": "mostly_false", "neither": "false",
                "decline_no_latest": "mostly_true", "no_decline_no_latest": "mostly_false"},
             **dict(prm.get("ratings") or {})}
    rating = rating_mod.check(table[key]) if key else "cannot_be_checked"
    if key is None and len(before) == 0:
        note = coverage_note(ctx, reporter)  # not bundled or fetched / no such partner / not yet public
        if note:
            out["not_checked"] = [note]
        else:
            out["not_checked"].append(f"no exact annual value known at {ctx.as_of.date()}")
    # (c) trend model on the whole history known
    kind = "smoothed" if ctx.as_of > ctx.anchor else "filtered"
    out["trend_kind"] = kind
    if "latest_year" in stat and len(values) and int(stat["latest_year"]) in values.index:
        if same_data is not None and same_data.get("trend_at") == int(stat["latest_year"]):
            llt = same_data["trend"]  # same values, same year: the same fit
        else:
            llt = structural.local_linear_trend(values, int(stat["latest_year"]), float(prm.get("trend_level", 0.95)))
        out["trend_at"] = int(stat["latest_year"])
        out["trend"] = llt
        direction = structural.direction(llt, kind)
        out["trend_direction"] = direction
        if direction == "up" and out["a"]:
            rating = rating_mod.step(rating, -int(prm.get("trend_downgrade", 1)))
        if direction is None:
            out["not_checked"].append(f"trend model: {llt.get('note')}")
    out["rating"] = rating
    out["key"] = key
    if full:
        _descriptive(ctx, reporter, out, values, before, start)
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
    for b in ctx.params.get("known_breaks") or []:
        if reporter in (b.get("reporters") or [reporter]) and len(hist):
            breaks.append({**structural.level_shift(hist, int(b["year"])), "why": b.get("why", "")})
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


def _versus_total(ctx: Context, reporter: str, out: dict) -> dict | None:
    """The reporter's total trade change over the same years, and the bilateral share of it."""
    stat = out["stat"]
    if reporter not in ctx.pair or "latest_year" not in stat or "latest_musd" not in stat:
        return None
    t = annual.totals(ctx, reporter)
    if t.empty:
        return None
    last = int(stat["latest_year"])
    pref = (out.get("source") or "").split(" then ")[-1]
    t = t.assign(_p=(t["source_kind"] != pref).astype(int)).sort_values(["year", "_p"]).drop_duplicates("year").set_index("year")
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


def _fmt_pct(x: float) -> str:
    return f"{abs(x):.0f}%"


def _change_text(stat: dict, bound: bool) -> str:
    if bound:
        return f"fell at least {_fmt_pct(stat['change_vs_reference_at_most_pct'])}"
    chg = stat["change_vs_reference_pct"]
    return f"{'fell' if chg < 0 else 'rose'} {_fmt_pct(chg)}"


def _published_phrase(ctx: Context) -> str:
    return "the latest full year then published" if ctx.as_of <= ctx.anchor else "the last full year before the statement"


def _latest_text(stat: dict, res: dict, who: str = "") -> str:
    if res.get("latest_is_annual"):
        return ""
    y = stat["latest_comparable_yoy_pct"]
    return (f"{stat['latest_comparable_period']} was {_fmt_pct(y)} {'below' if y < 0 else 'above'} "
            f"a year earlier{who}")


def reporter_sentence(ctx: Context, reporter: str, res: dict) -> str:
    """One sentence for one reporter: (a) with the reference, (b), the total-trade comparison, the trend."""
    stat = res["stat"]
    figs = figures_of(reporter)
    if res["rating"] not in rating_mod.RATED:
        why = "; ".join(res["not_checked"]) or "no usable figures"
        return rating_sentence(ctx, res["rating"], f"on {figs}: {why}")
    parts = []
    if "change_vs_reference_pct" in stat:
        ref = stat["reference_year"]
        peak = f"the {ref} peak" if ref != stat["latest_year"] - 1 else f"{ref}, the peak"
        parts.append(f"on {figs} ({res['source']}) turnover {_change_text(stat, False)} in {stat['latest_year']} "
                     f"against {peak} ({_musd(stat['reference_musd'] * MUSD)} to {_musd(stat['latest_musd'] * MUSD)}), "
                     f"{_published_phrase(ctx)}")
    elif res["a_bound"]:
        parts.append(f"on {figs} turnover fell {_fmt_pct(stat['printed_yoy_pct'])} in {stat['latest_year']} (printed "
                     f"change; no exact levels), so at least as much below the peak")
    elif "latest_year" in stat:
        parts.append(f"on {figs} only {stat['latest_year']} has an exact value")
    if res["b"] is None:
        parts.append("no exact comparable period then public to say whether it reversed")
    elif res.get("latest_is_annual"):
        parts.append("no later comparable period in the data" + ("" if res["b"] else "; that year was up on the one before"))
    else:
        parts.append(_latest_text(stat, res))
    tot = stat.get("versus_total") or {}
    if "total_change_latest_year_pct" in tot and "change_latest_year_pct" in stat:
        other = name_of(ctx.pair[1] if reporter == ctx.pair[0] else ctx.pair[0])
        parts.append(f"{possessive(name_of(reporter))} total trade changed {tot['total_change_latest_year_pct']:+.0f}% "
                     f"in {stat['latest_year']} (bilateral {stat['change_latest_year_pct']:+.0f}%; {other} "
                     f"{tot['bilateral_share_latest_pct']:.1f}% of its trade)")
    llt = res.get("trend") or {}
    kind = res.get("trend_kind", "filtered")
    if llt.get(f"{kind}_slope_pct") is not None:
        parts.append(f"{kind} trend slope {llt[f'{kind}_slope_pct']:+.0f}% a year "
                     f"(95%: {llt[f'{kind}_slope_low_pct']:+.0f}% to {llt[f'{kind}_slope_high_pct']:+.0f}%, n = {llt['n']})")
    return rating_sentence(ctx, res["rating"], "; ".join(parts))


def claim_sentence_body(ctx: Context, per: dict[str, dict], rated: list[str]) -> str | None:
    """'turnover fell 41% in 2015 on Belarus's figures and 35% on Kazakhstan's, the latest full
    year then published; no later period showed a rise' from the rated named reporters."""
    res = {r: per[r]["_res"] for r in rated}
    if not res or not all("latest_year" in x["stat"] for x in res.values()):
        return None
    years = {x["stat"]["latest_year"] for x in res.values()}
    bits = []
    for i, (r, x) in enumerate(res.items()):
        st = x["stat"]
        if "change_vs_reference_pct" in st or x["a_bound"]:
            text = _change_text(st, x["a_bound"])
        else:
            text = "has no exact reference year"
        yr = "" if len(years) == 1 and i else f" in {st['latest_year']}"
        if i and text.split()[0] == bits[0][0].split()[0] and len(years) == 1:
            text = " ".join(text.split()[1:])  # "fell 41% ... and 35% on ..."
            who = f"on {possessive(name_of(r))}"
        else:
            who = f"on {figures_of(r)}"
        bits.append((text, f"{text}{yr} {who}"))
    head = "turnover " + " and ".join(b[1] for b in bits)
    refs = {x["stat"].get("reference_year") for x in res.values()}
    if len(refs) == 1 and None not in refs:
        head += f" (against the {refs.pop()} peak)"
    head += ", " + _published_phrase(ctx)
    tails = []
    rises = [(r, x) for r, x in res.items() if x["b"] is False]
    falls_later = [(r, x) for r, x in res.items() if x["b"] and not x.get("latest_is_annual")]
    unknown = [r for r, x in res.items() if x["b"] is None]
    if rises:
        tails.append("but " + "; ".join(f"{x['stat']['latest_comparable_period']} was {_fmt_pct(x['stat']['latest_comparable_yoy_pct'])} "
                                         f"above a year earlier on {figures_of(r)}" for r, x in rises))
    if falls_later:
        tails.append("; ".join(_latest_text(x["stat"], x, f" on {figures_of(r)}") for r, x in falls_later))
    if not rises and not falls_later and not unknown:
        tails.append("no later period showed a rise")
    if unknown:
        tails.append("no exact later period on " + " or ".join(figures_of(r) for r in unknown))
    nxt = [(r, x["stat"]["next_year"]) for r, x in res.items() if "next_year" in x["stat"]]
    if nxt:
        tails.append("after the statement: " + ", ".join(
            f"{n['year']} {n['change_pct']:+.0f}% on {figures_of(r)}" for r, n in nxt))
    return head + ("; " + "; ".join(tails) if tails else "")


def _variant_entries(ctx: Context, reporter: str, main: dict) -> list[dict]:
    out = []
    whole = annual.series(ctx, reporter)
    others = annual.other_sources(ctx, reporter, whole)
    if others:
        got = {k: assess(ctx, reporter, source_kind=k, full=False)["rating"] for k in others}
        rated = {k: v for k, v in got.items() if v in rating_mod.RATED}
        agrees = None if not rated else all(same_side(main["rating"], v) for v in rated.values())
        out.append(robust_entry("sources", agrees, f"primary {main['source']}: {rating_mod.label(main['rating'])}; "
                                + ", ".join(f"{k}: {rating_mod.label(v)}" for k, v in got.items())))
    else:
        out.append(robust_entry("sources", None, f"one source only ({main['source'] or 'none'})"))
    starts = _windows(ctx)
    if starts:
        got = {s: assess(ctx, reporter, window_start=s, full=False, same_data=main)["rating"] for s in starts}
        rated = {k: v for k, v in got.items() if v in rating_mod.RATED}
        agrees = None if not rated else all(same_side(main["rating"], v) for v in rated.values())
        out.append(robust_entry("windows", agrees, f"reference from {ctx.claim.window.start}: "
                                f"{rating_mod.label(main['rating'])}; " + ", ".join(
                                    f"from {s}: {rating_mod.label(v)}" for s, v in got.items())))
    if ctx.deflator is not None:
        d = assess(ctx, reporter, deflator=ctx.deflator, full=False)
        out.append(robust_entry("deflation", same_side(main["rating"], d["rating"]),
                                f"nominal {rating_mod.label(main['rating'])}, deflated {rating_mod.label(d['rating'])}"))
    else:
        out.append(robust_entry("deflation", None, deflate_mod.UNTESTED))
    return out


def _one_reporter(ctx: Context, reporter: str) -> dict:
    res = assess(ctx, reporter)
    stat = res["stat"]
    rob = _variant_entries(ctx, reporter, res) if res["rating"] in rating_mod.RATED else []
    strength = _strength(reporter, res)
    llt = res.get("trend") or {}
    kind = res.get("trend_kind")
    stat["trend"] = llt
    p = llt.get(f"{kind}_slope_p") if kind else None
    data_used = []
    if "latest_year" in stat and res["source"]:
        data_used.append(f"{figures_of(reporter)}: annual turnover ({res['source']}) up to {stat['latest_year']}")
    if "latest_comparable_period" in stat:
        data_used.append(f"latest comparable period: {stat['latest_comparable_period']} vs a year earlier "
                         f"({stat['latest_comparable_source']}, {stat['latest_comparable_basis']})")
    not_checked = list(res["not_checked"])
    if ctx.deflator is None and res["rating"] in rating_mod.RATED:
        not_checked.append("deflated values (no USD price index bundled)")
    basis = f"{figures_of(reporter)}" + (f" ({res['source']})" if res["source"] else "")
    if reporter == "unknown":
        basis += f"; may mix {name_of(ctx.pair[0])}'s and {name_of(ctx.pair[1])}'s statistics"
    window = (ctx.claim.window.start, int(stat.get("latest_year", ctx.claim.window.end)))
    sentence = reporter_sentence(ctx, reporter, res)
    r = make_result(ctx, reporter, res["rating"], statistic={**stat, "rating_key": res["key"],
                                                             "trend_used": kind, "trend_direction": res.get("trend_direction")},
                    p_value=p, n_obs=llt.get("n", len(annual.series(ctx, reporter))), window=window,
                    data_used=data_used, source_row_ids=res["ids"], robustness=rob, sentence=sentence,
                    strength=strength, basis=basis, not_checked=not_checked)
    r["_res"] = res
    return r


def rule(ctx: Context) -> list[dict]:
    """Rated results for each country of the pair, figures of unstated reporter, and 'all'."""
    per = {r: _one_reporter(ctx, r) for r in ctx.reporters}
    rated = [r for r in ctx.pair if per[r]["rating"] in rating_mod.RATED]
    body = claim_sentence_body(ctx, per, rated) if rated else None
    for r in per.values():
        r.pop("_res", None)
    return list(per.values()) + [combine(ctx, per, sentence_body=body)]


__all__ = ["rule", "assess"]
