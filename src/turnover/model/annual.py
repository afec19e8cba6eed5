"""Annual series per reporter and source, the primary series, and each country's total trade.

Only exact values make an annual series: rounded ("about"), bound ("at least") and implied
(from a printed y/y) values never give a point percentage. Complete calendar years of monthly
data count as annual values of their source. The *primary* series of a reporter is the panel's
``primary`` rows when the panel declares them (``data/primary_series.csv``); otherwise the source
with most exact annual values (ties: national statistics, IMF DOTS, IMF IMTS, UN Comtrade,
WITS, press releases).
"""

from __future__ import annotations

import pandas as pd

from .comparable import with_year_sums
from .result import Context
from .series import BOUNDS
from .vintage import cut, known_from

PREFERENCE = ["national_statistics", "imf_dots", "imf_imts", "un_comtrade", "wb_wits", "official_release"]
WORLD = "WLD"
COLUMNS = ["year", "source_kind", "value_usd", "row_ids", "known_from", "primary"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}).set_index("year", drop=False)


def _primary_ids(ctx: Context) -> set | None:
    if "primary" not in ctx.panel.columns:
        return None
    key = "primary_ids"
    if key not in ctx._cache:
        p = ctx.panel
        ctx._cache[key] = set(p.loc[p["primary"].fillna(False).astype(bool), "row_id"])
    return ctx._cache[key]


def annual_points(ctx: Context, reporter: str) -> pd.DataFrame:
    """Every exact annual bilateral-turnover value of ``reporter`` known at the as-of date, one
    row per source and year, with ``primary`` (bool, or None when the panel declares none)."""
    key = ("annual_points", reporter)
    if key in ctx._cache:
        return ctx._cache[key]
    pts = with_year_sums(ctx.points(reporter))
    if pts.empty:
        ctx._cache[key] = _empty()
        return ctx._cache[key]
    a = pts[(pts["span"] == "01-12/12") & pts["value_usd"].notna() & (pts["value_qualifier"] == "exact")
            & (pts["basis"] != "implied by y/y")]
    a = a.assign(year=a["period_end"].dt.year)
    a = a.sort_values(["year", "known_from"]).drop_duplicates(["source_kind", "year"])
    prim = _primary_ids(ctx)
    a = a.assign(primary=[None if prim is None else all(i in prim for i in ids) for ids in a["row_ids"]])
    out = a[COLUMNS].reset_index(drop=True)
    ctx._cache[key] = out
    return out


def primary_source(points: pd.DataFrame) -> str | None:
    """The source with most years (see module doc), when the panel declares no primary rows."""
    if points.empty:
        return None
    counts = points.groupby("source_kind")["year"].nunique()
    rank = {s: i for i, s in enumerate(PREFERENCE)}
    return sorted(counts.index, key=lambda s: (-counts[s], rank.get(s, 99), s))[0]


def series(ctx: Context, reporter: str, source_kind: str | None = None) -> pd.DataFrame:
    """One exact annual value per year (indexed by year): the primary series, or one source's."""
    a = annual_points(ctx, reporter)
    if a.empty:
        return _empty()
    if source_kind is not None:
        s = a[a["source_kind"] == source_kind]
    elif a["primary"].notna().all() and a["primary"].any():
        s = a[a["primary"].astype(bool)]
    else:
        s = a[a["source_kind"] == primary_source(a)]
    s = s.sort_values(["year", "known_from"]).drop_duplicates("year")
    return s.set_index("year", drop=False)


def kinds(s: pd.DataFrame) -> list[str]:
    """The sources of a series, in the order of their first year."""
    return list(dict.fromkeys(s["source_kind"])) if len(s) else []


def label(s: pd.DataFrame) -> str:
    """The series' sources as data ('imf_dots then national_statistics'; 'none'), never read back."""
    return " then ".join(kinds(s)) or "none"


def other_sources(ctx: Context, reporter: str, main: pd.DataFrame) -> list[str]:
    a = annual_points(ctx, reporter)
    used = set(main["source_kind"]) if len(main) else set()
    return sorted(set(a["source_kind"]) - used) if len(a) else []


def totals(ctx: Context, country: str) -> pd.DataFrame:
    """The country's own total trade (partner World, exports + imports of one source and year,
    exact values only), known at the as-of date: columns year, source_kind, value_usd, row_ids."""
    key = ("totals", country)
    if key in ctx._cache:
        return ctx._cache[key]
    p = ctx.panel
    p = p[(p["country"] == country) & (p["reporter"] == country) & (p["partner"] == WORLD)
          & (p["frequency"] == "annual") & p["value_usd"].notna() & (p["value_qualifier"] == "exact")
          & p["status"].isin(["reported", "estimate", "true_zero"])]
    p = cut(p, ctx.as_of, ctx.lags)
    rows = []
    if len(p):
        p = p.assign(year=p["period_end"].dt.year, known=known_from(p, ctx.lags))
        p = p.sort_values("known").drop_duplicates(["source_kind", "year", "flow"])
        for (src, year), g in p.groupby(["source_kind", "year"]):
            flows = dict(zip(g["flow"], g["value_usd"]))
            ids = tuple(sorted(g["row_id"]))
            if "export" in flows and "import" in flows:
                rows.append({"year": int(year), "source_kind": src, "value_usd": float(flows["export"] + flows["import"]),
                             "row_ids": ids})
            elif "turnover" in flows:
                rows.append({"year": int(year), "source_kind": src, "value_usd": float(flows["turnover"]), "row_ids": ids})
    out = pd.DataFrame(rows, columns=["year", "source_kind", "value_usd", "row_ids"])
    ctx._cache[key] = out
    return out


def usable(points: pd.DataFrame) -> pd.DataFrame:
    """Points with a value that is neither a bound nor implied."""
    return points[points["value_usd"].notna() & ~points["value_qualifier"].isin(BOUNDS)
                  & (points["basis"] != "implied by y/y")]


TURNOVER_COLUMNS = ["reporter", "source_kind", "period_start", "period_end", "value_usd", "value_qualifier", "basis",
                    "known_from", "row_ids", "primary"]


def turnover_table(ctx: Context, reporter: str, whole: pd.DataFrame) -> pd.DataFrame:
    """The reporter's annual turnover points known at the as-of date, every source and qualifier
    (printed, summed from months, implied by a printed y/y), ``primary`` where the point is the
    value of the reporter's annual series that year (the report's turnover chart plots this table)."""
    pts = with_year_sums(ctx.implied(reporter))
    if pts.empty:
        return pd.DataFrame(columns=TURNOVER_COLUMNS)
    pts = pts[(pts["span"] == "01-12/12") & pts["value_usd"].notna()]
    chosen = {(int(y), tuple(ids)) for y, ids in zip(whole["year"], whole["row_ids"])} if len(whole) else set()
    primary = [(ts.year, tuple(ids)) in chosen and q == "exact" and b != "implied by y/y"
               for ts, ids, q, b in zip(pts["period_end"], pts["row_ids"], pts["value_qualifier"], pts["basis"])]
    out = pts.assign(primary=primary, row_ids=[tuple(x) for x in pts["row_ids"]])
    return out[TURNOVER_COLUMNS].sort_values(["period_end", "source_kind"]).reset_index(drop=True)
