"""Bilateral turnover points per reporter, with the panel rows behind each point.

Rules: reporters are never mixed (turnover = exports + imports of the *same* reporter,
source and period); duplicates of one figure (same reporter, source, flow and period,
e.g. one release quoted by two outlets) collapse to one point that keeps every row_id,
preferring an exact value, then the earliest publication. ``reporter="pooled"`` is an
explicitly flagged reading that treats all reporters as one series (identified reporters
win over ``unknown`` for the same period); the verdicts never use it silently.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .vintage import DEFAULT_LAGS, cut, known_from

PAIR = ("BLR", "KAZ")
POOLED = "pooled"
POINT_COLUMNS = [
    "reporter", "source_kind", "frequency", "period_start", "period_end", "span", "value_usd",
    "value_qualifier", "yoy_pct", "yoy_qualifier", "basis", "valuation", "known_from", "row_ids",
]
_QUAL_RANK = {"exact": 0, "approx": 1, "at_least": 2, "at_most": 2}
_REPORTER_RANK = {"BLR": 0, "KAZ": 0, "unknown": 1}
BOUNDS = {"at_least", "at_most"}


def empty_points() -> pd.DataFrame:
    """A points frame with no rows but the right dtypes (so ``.dt`` works downstream)."""
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in POINT_COLUMNS})
    for c in ("period_start", "period_end", "known_from"):
        df[c] = pd.Series(dtype="datetime64[ns]")
    for c in ("value_usd", "yoy_pct"):
        df[c] = pd.Series(dtype=float)
    return df


def span_of(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Comparable-period key: first and last month and length, e.g. '01-06/6' for H1."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return f"{start.month:02d}-{end.month:02d}/{months}"


def span_label(span: str) -> str:
    """'01-06/6' -> 'Jan-Jun'."""
    months = span.split("/")[0].split("-")
    names = [dt.date(2000, int(m), 1).strftime("%b") for m in months]
    return names[0] if names[0] == names[1] and span.endswith("/1") else "-".join(names)


def object_text(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel with its text columns held as Python objects (values and missing cells unchanged).

    The models filter the ~17,500-row panel some thousand times; on pandas' Arrow-backed
    ``str`` columns each filter and take costs about twice as much, which made up a fifth of
    a refresh's model time (``make bench`` P1)."""
    text = [c for c in panel.columns if pd.api.types.is_string_dtype(panel[c]) and panel[c].dtype != object]
    return panel.astype({c: object for c in text}) if text else panel


def pair_rows(panel: pd.DataFrame, pair: tuple[str, str] = PAIR) -> pd.DataFrame:
    """Rows between the two countries of ``pair`` (either direction), reported figures only."""
    a, b = pair
    mask = (((panel["country"] == a) & (panel["partner"] == b))
            | ((panel["country"] == b) & (panel["partner"] == a)))
    return panel[mask & panel["status"].isin(["reported", "estimate", "true_zero"])]


def _worst(quals) -> str | None:
    quals = [q for q in quals if isinstance(q, str)]
    return max(quals, key=lambda q: _QUAL_RANK[q]) if quals else None


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts (Timestamps stay Timestamps); much faster than ``to_dict('records')``
    on Arrow-backed string columns."""
    cols = list(df.columns)
    return [dict(zip(cols, vals)) for vals in zip(*(df[c].tolist() for c in cols))]


def _isnan(x) -> bool:
    return x is None or x is pd.NaT or (isinstance(x, float) and x != x)


def _collapse(rows: pd.DataFrame, keys: list[str], first: str | None = None) -> pd.DataFrame:
    """One point per key: best row first (value, then the ``first`` column ascending when
    given, exact, identified reporter, earliest).

    Plain-Python grouping over records: pandas groupby per group is far slower for the
    thousands of small groups a monthly panel gives.
    """
    if rows.empty:
        return rows.assign(row_ids=[])
    extra = [first] if first else []
    r = rows.assign(
        _has_value=rows["value_usd"].notna().astype(int),
        _q=rows["value_qualifier"].map(_QUAL_RANK).fillna(9),
        _rep=rows["reporter"].map(_REPORTER_RANK).fillna(2),
        _yq=rows["yoy_qualifier"].map(_QUAL_RANK).fillna(9),
    ).sort_values(["_has_value", *extra, "_q", "_rep", "known_from", "row_id"],
                  ascending=[False, *[True] * len(extra), True, True, True, True])
    groups: dict[tuple, list[dict]] = {}
    for rec in records(r):
        groups.setdefault(tuple(rec[k] for k in keys), []).append(rec)
    out = []
    for g in groups.values():
        best = dict(g[0])
        if _isnan(best["yoy_pct"]):  # the y/y may be printed only in another copy of the release
            donors = [x for x in g if not _isnan(x["yoy_pct"])]
            if donors:
                d = min(donors, key=lambda x: (x["_yq"], x["known_from"]))
                best["yoy_pct"], best["yoy_qualifier"] = d["yoy_pct"], d["yoy_qualifier"]
        # support = copies of the same figure (or value-less copies); a conflicting value
        # for the same period is not support for the one chosen
        bv = best["value_usd"]
        same = g if _isnan(bv) else [x for x in g if _isnan(x["value_usd"])
                                     or abs(x["value_usd"] - bv) <= 5e-3 * abs(bv)]
        ids = {x["row_id"] for x in same}
        for x in same:  # re-collapsing points: keep the support of every merged point
            ids |= set(x.get("row_ids") or ())
        best["row_ids"] = tuple(sorted(ids))
        out.append(best)
    return pd.DataFrame(out).drop(columns=["_has_value", "_q", "_rep", "_yq"])


def _turnover_from_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """exports + imports of one reporter, source and period (the reporter's own country view)."""
    keys = ["source_kind", "reporter", "country", "period_start", "period_end"]
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for rec in records(flows):
        groups.setdefault(tuple(rec[k] for k in keys), {}).setdefault(rec["flow"], []).append(rec)
    rows = []
    for key, g in groups.items():
        ex, im = g.get("export", []), g.get("import", [])
        if len(ex) != 1 or len(im) != 1:
            continue
        e, i = ex[0], im[0]
        if _isnan(e["value_usd"]) or _isnan(i["value_usd"]):
            continue
        val = {e["valuation"], i["valuation"]}
        rows.append({
            **dict(zip(keys, key)), "frequency": e["frequency"],
            "value_usd": float(e["value_usd"]) + float(i["value_usd"]),
            "value_qualifier": _worst([e["value_qualifier"], i["value_qualifier"]]),
            "yoy_pct": np.nan, "yoy_qualifier": None, "basis": "export+import",
            "valuation": val.pop() if len(val) == 1 else "mixed",
            "known_from": max(e["known_from"], i["known_from"]),
            "row_ids": tuple(sorted(e["row_ids"] + i["row_ids"])),
        })
    return pd.DataFrame(rows)


# columns bilateral_turnover reads; their content (not the frame's identity) keys the cache
_KEY_COLUMNS = ["row_id", "source_kind", "reporter", "flow", "country", "frequency", "period_start", "period_end",
                "value_usd", "value_qualifier", "yoy_pct", "yoy_qualifier", "valuation", "published_on"]
_POINTS: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_POINTS_MAX = 128


def _content_key(rows: pd.DataFrame) -> tuple | None:
    """The rows' values as a hashable tuple, equal for equal content whatever the dtypes
    (a panel read back from parquet keys like the one the model used); NaN/NaT -> None."""
    if not set(_KEY_COLUMNS) <= set(rows.columns):
        return None
    cols = [[None if _isnan(v) else v for v in rows[c].tolist()] for c in _KEY_COLUMNS]
    return tuple(zip(*cols))


def bilateral_turnover(panel: pd.DataFrame, reporter: str, as_of=None,
                       lags: Mapping[str, int] | None = None, pair: tuple[str, str] = PAIR,
                       source_kind: str | None = None) -> pd.DataFrame:
    """Turnover points for one reporter (``BLR``, ``KAZ``, ``unknown`` or ``pooled``).

    Each point carries ``row_ids`` (the panel rows behind it) and ``basis``: ``reported``
    (a turnover row) or ``export+import`` (summed flows of the same reporter and period,
    used only where no turnover row exists). Only rows known on ``as_of`` are used.
    Sorted by period.

    Results are cached in this process by the content of the rows used, so the charts,
    which run in the refreshing process (``report.inprocess``), reuse what the models built.
    """
    rows = cut(pair_rows(panel, pair), as_of, lags)  # the pair first: the panel holds every partner
    if source_kind is not None:
        rows = rows[rows["source_kind"] == source_kind]
    if reporter != POOLED:
        rows = rows[rows["reporter"] == reporter]
    if rows.empty:
        return empty_points()
    content = _content_key(rows)
    # no lags means the default ones (vintage.known_from), so both key alike
    lag_key = tuple(sorted(dict(DEFAULT_LAGS if lags is None else lags).items()))
    key = None if content is None else (reporter == POOLED, lag_key, content)
    if key is not None and key in _POINTS:
        _POINTS.move_to_end(key)
        return _POINTS[key].copy()
    pts = _points(rows, reporter, lags)
    if key is not None:
        _POINTS[key] = pts.copy()
        while len(_POINTS) > _POINTS_MAX:
            _POINTS.popitem(last=False)
    return pts


def _points(rows: pd.DataFrame, reporter: str, lags: Mapping[str, int] | None) -> pd.DataFrame:
    rows = rows.assign(known_from=known_from(rows, lags))
    per = ["source_kind", "reporter", "flow", "country", "period_start", "period_end"]
    collapsed = _collapse(rows, per)
    reported = collapsed[collapsed["flow"] == "turnover"].assign(basis="reported")
    derived = _turnover_from_flows(collapsed[collapsed["flow"].isin(["export", "import"])])
    parts = [d for d in (reported, derived) if len(d)]
    if not parts:
        return empty_points()
    pts = pd.concat(parts, ignore_index=True)
    # a printed turnover figure wins over a sum of flows for the same period (when it has a value)
    pts["_derived"] = (pts["basis"] != "reported").astype(int)
    group = ["source_kind", "period_start", "period_end"] + ([] if reporter == POOLED else ["reporter"])
    pts = _collapse(pts.assign(row_id=pts["row_ids"].map(lambda t: t[0])), group, first="_derived").drop(columns="_derived")
    pts["reporter"] = reporter if reporter == POOLED else pts["reporter"]
    pts["span"] = [span_of(s, e) for s, e in zip(pts["period_start"], pts["period_end"])]
    return pts[POINT_COLUMNS].sort_values(["period_end", "period_start", "source_kind"]).reset_index(drop=True)


def with_implied_prior(points: pd.DataFrame) -> pd.DataFrame:
    """Add the prior-year value a point implies through its y/y change (value / (1 + yoy)).

    Implied values are marked ``basis='implied by y/y'`` and ``approx`` (the y/y is
    rounded); they never replace a printed value. Chains resolve (2016 value and y/y give
    2015, whose own y/y then gives 2014). Bounds (at_least/at_most) imply nothing.
    """
    if points.empty:
        return points
    pts = {(r.source_kind, r.span, r.period_end.year): r._asdict()
           for r in points.itertuples(index=False)}
    for key in sorted(pts, key=lambda k: -k[2]):
        p = pts[key]
        if (pd.isna(p["value_usd"]) or pd.isna(p["yoy_pct"]) or p["value_qualifier"] in BOUNDS
                or p["yoy_qualifier"] in BOUNDS or p["yoy_pct"] <= -100):
            continue
        prior_key = (key[0], key[1], key[2] - 1)
        prior = pts.get(prior_key)
        if prior is not None and pd.notna(prior["value_usd"]):
            continue
        value = float(p["value_usd"]) / (1 + float(p["yoy_pct"]) / 100)
        shift = pd.DateOffset(years=1)
        base = prior or {**p, "yoy_pct": np.nan, "yoy_qualifier": None, "row_ids": ()}
        pts[prior_key] = {
            **base, "value_usd": value, "value_qualifier": "approx", "basis": "implied by y/y",
            "period_start": p["period_start"] - shift,
            "period_end": (p["period_end"] - shift) + pd.offsets.MonthEnd(0),
            "known_from": max(p["known_from"], base["known_from"]),
            "row_ids": tuple(sorted(set(p["row_ids"]) | set(base["row_ids"]))),
        }
    out = pd.DataFrame(list(pts.values()), columns=POINT_COLUMNS)
    return out.sort_values(["period_end", "period_start", "source_kind"]).reset_index(drop=True)
