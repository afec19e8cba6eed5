"""Year-on-year changes of comparable periods (H1 vs H1, Jan-Oct vs Jan-Oct, year vs year).

A y/y change is ``reported`` when the release prints it, else ``computed`` from two values
of the same reporter, source and span one year apart (bounds such as "at least 600" are not
used to compute changes). Monthly series also yield year-to-date sums (Jan..m) for every
year whose months 1..m are all present, so the latest month is compared like-for-like.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .series import BOUNDS, PAIR, POOLED, bilateral_turnover, records, span_label, span_of, with_implied_prior

COLUMNS = ["reporter", "source_kind", "span", "period_label", "year", "period_start", "period_end",
           "value_usd", "prior_value_usd", "yoy_pct", "yoy_basis", "yoy_qualifier", "computed_yoy_pct",
           "row_ids", "known_from"]


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    for c in ("period_start", "period_end", "known_from"):
        df[c] = pd.Series(dtype="datetime64[ns]")
    for c in ("value_usd", "prior_value_usd", "yoy_pct", "computed_yoy_pct"):
        df[c] = pd.Series(dtype=float)
    df["year"] = pd.Series(dtype=int)
    return df


def ytd_from_months(points: pd.DataFrame) -> pd.DataFrame:
    """Year-to-date sums (Jan..m) from monthly points with every month 1..m present."""
    months = points[(points["frequency"] == "month") & points["value_usd"].notna()
                    & ~points["value_qualifier"].isin(BOUNDS)]
    if months.empty:
        return points.iloc[0:0]
    groups: dict[tuple, list[dict]] = {}
    for rec in records(months.sort_values("period_end")):
        groups.setdefault((rec["source_kind"], rec["period_end"].year), []).append(rec)
    rows = []
    for recs in groups.values():
        total, ids, approx, known = 0.0, set(), False, None
        for m, rec in enumerate(recs, start=1):
            if rec["period_end"].month != m:  # a missing month ends the run of complete year-to-date sums
                break
            total += float(rec["value_usd"])
            ids |= set(rec["row_ids"])
            approx |= rec["value_qualifier"] != "exact"
            known = rec["known_from"] if known is None else max(known, rec["known_from"])
            if m < 2:
                continue
            start = recs[0]["period_start"]
            rows.append({
                **rec, "frequency": "annual" if m == 12 else "year-to-date", "period_start": start,
                "span": span_of(start, rec["period_end"]), "value_usd": total,
                "value_qualifier": "approx" if approx else "exact", "yoy_pct": np.nan, "yoy_qualifier": None,
                "basis": "sum of months", "known_from": known, "row_ids": tuple(sorted(ids)),
            })
    return pd.DataFrame(rows, columns=points.columns)


def with_year_sums(points: pd.DataFrame) -> pd.DataFrame:
    """``points`` plus calendar-year sums of complete monthly years, where no annual point of
    the same source and year exists (printed annual figures win)."""
    if points.empty or not (points["frequency"] == "month").any():
        return points
    pts = points if "span" in points else points.assign(span=[span_of(a, b) for a, b in zip(points["period_start"], points["period_end"])])
    pts = pts if "basis" in pts else pts.assign(basis="reported")
    sums = ytd_from_months(pts)
    sums = sums[sums["span"] == "01-12/12"]
    have = set(zip(pts["source_kind"], pts["period_start"], pts["period_end"]))
    sums = sums[[k not in have for k in zip(sums["source_kind"], sums["period_start"], sums["period_end"])]]
    return pd.concat([pts, sums], ignore_index=True) if len(sums) else pts


def yoy_points(points: pd.DataFrame) -> pd.DataFrame:
    """The comparable-period y/y table for one reporter's points (see module doc)."""
    if points.empty:
        return _empty()
    ytd = ytd_from_months(points)
    pts = pd.concat([points, ytd], ignore_index=True) if len(ytd) else points
    pts = pts.drop_duplicates(["source_kind", "span", "period_end"], keep="first")
    key = {(r.source_kind, r.span, r.period_end.year): r for r in pts.itertuples(index=False)}
    rows = []
    for (src, span, year), r in key.items():
        prior = key.get((src, span, year - 1))
        computed = np.nan
        usable = lambda p: pd.notna(p.value_usd) and p.value_qualifier not in BOUNDS and p.basis != "implied by y/y"
        if prior is not None and usable(r) and usable(prior) and prior.value_usd > 0:
            computed = 100 * (r.value_usd / prior.value_usd - 1)
        if pd.notna(r.yoy_pct):
            yoy, basis, q = float(r.yoy_pct), "reported", r.yoy_qualifier
        elif pd.notna(computed):
            yoy, basis = computed, "computed"
            q = "exact" if r.value_qualifier == prior.value_qualifier == "exact" else "approx"
        else:
            continue
        ids = set(r.row_ids) | (set(prior.row_ids) if prior is not None and basis == "computed" else set())
        rows.append({
            "reporter": r.reporter, "source_kind": src, "span": span, "period_label": span_label(span),
            "year": year, "period_start": r.period_start, "period_end": r.period_end,
            "value_usd": r.value_usd, "prior_value_usd": prior.value_usd if prior is not None else np.nan,
            "yoy_pct": yoy, "yoy_basis": basis, "yoy_qualifier": q, "computed_yoy_pct": computed,
            "row_ids": tuple(sorted(ids)),
            "known_from": max(r.known_from, prior.known_from) if basis == "computed" else r.known_from,
        })
    if not rows:
        return _empty()
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["period_end", "span"]).reset_index(drop=True)


def yoy_table(panel: pd.DataFrame, as_of=None, reporters: tuple[str, ...] | None = None,
              lags: Mapping[str, int] | None = None, pair: tuple[str, str] = PAIR) -> pd.DataFrame:
    """Comparable-period y/y changes for each reporter (default: the pair's countries and
    ``unknown``), from rows known on ``as_of``."""
    reporters = reporters or (*pair, "unknown")
    frames = [yoy_points(with_implied_prior(bilateral_turnover(panel, r, as_of=as_of, lags=lags, pair=pair)))
              for r in reporters]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else _empty()


def latest_comparable(table: pd.DataFrame, start_year: int | None = None,
                      end_year: int | None = None) -> pd.Series | None:
    """The latest y/y change whose period ends in [start_year, end_year]; longest span on ties."""
    t = table
    if start_year is not None:
        t = t[t["year"] >= start_year]
    if end_year is not None:
        t = t[t["year"] <= end_year]
    if t.empty:
        return None
    t = t.assign(_months=t["span"].str.split("/").str[1].astype(int))
    return t.sort_values(["period_end", "_months"]).iloc[-1].drop("_months")


__all__ = ["yoy_table", "yoy_points", "latest_comparable", "ytd_from_months", "POOLED"]
