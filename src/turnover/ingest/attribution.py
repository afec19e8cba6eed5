"""Attribute press figures whose reporter is not stated, when they match a named reporter.

A figure from an official release with ``reporter="unknown"`` is compared with every named
reporter's figure (BLR or KAZ, any source) for the same flow, pair and period; turnover is
compared with exports + imports of the same reporter, source and period. When the figures of
exactly one reporter lie within ``TOLERANCE`` (0.5 %), the row takes that reporter and
``attributed_by`` records the match, e.g. ``"match 0.12% with dots_18:BLR:KAZ:export:2014+
dots_18:BLR:KAZ:import:2014"``. A figure matching both reporters (or neither) stays
"not stated". Bounds ("at least") are never attributed. The publication date is untouched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOLERANCE = 0.005
NAMED = ("BLR", "KAZ")
_KEY = ["country", "partner", "flow", "period_start", "period_end"]


def _candidates(panel: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.DataFrame:
    """Named figures for the pairs in question: direct rows plus computed turnover."""
    ends = {c for pair in pairs for c in pair}
    named = panel[panel["country"].isin(ends) & panel["partner"].isin(ends)]  # cheap cut first
    named = named[named["reporter"].isin(NAMED) & named["value_usd"].notna()
                  & named["status"].isin(["reported", "estimate"])
                  & named["value_qualifier"].isin(["exact", "approx"])]
    lo = np.minimum(named["country"], named["partner"])
    hi = np.maximum(named["country"], named["partner"])
    named = named[np.array([(a, b) in pairs for a, b in zip(lo, hi)], dtype=bool)]  # [] would select no columns
    direct = named[_KEY + ["reporter", "value_usd", "row_id"]]
    flows = named[named["flow"].isin(["export", "import"])]
    keys = ["source_id", "reporter", "country", "partner", "period_start", "period_end"]
    wide = flows.pivot_table(index=keys, columns="flow", values=["value_usd", "row_id"], aggfunc="first")
    if not {("value_usd", "export"), ("value_usd", "import")} <= set(wide.columns):
        return direct
    wide = wide.dropna().reset_index()
    turn = pd.DataFrame({
        "country": np.minimum(wide["country"], wide["partner"]),
        "partner": np.maximum(wide["country"], wide["partner"]),
        "flow": "turnover",
        "period_start": wide["period_start"], "period_end": wide["period_end"],
        "reporter": wide["reporter"],
        "value_usd": wide[("value_usd", "export")].astype(float) + wide[("value_usd", "import")].astype(float),
        "row_id": wide[("row_id", "export")] + "+" + wide[("row_id", "import")],
    })
    return pd.concat([direct, turn], ignore_index=True)


def attribute(panel: pd.DataFrame) -> pd.DataFrame:
    """``panel`` with matching unstated-reporter rows attributed (``reporter``, ``attributed_by``)."""
    out = panel.copy()
    if "attributed_by" not in out:
        out["attributed_by"] = None
    # a frame whose attributed_by is all missing arrives as float64, which cannot hold the note
    out["attributed_by"] = out["attributed_by"].astype(object)
    targets = out[(out["reporter"] == "unknown") & out["value_usd"].notna()
                  & out["value_qualifier"].isin(["exact", "approx"])]
    if targets.empty:
        return out
    pairs = {(min(a, b), max(a, b)) for a, b in zip(targets["country"], targets["partner"])}
    cand = _candidates(out, pairs)
    if cand.empty:
        return out
    m = targets.reset_index()[_KEY + ["index", "value_usd"]].merge(cand, on=_KEY, suffixes=("", "_named"))
    m["diff"] = (m["value_usd"] - m["value_usd_named"]).abs() / m["value_usd_named"]
    m = m[m["diff"] <= TOLERANCE].sort_values(["index", "diff", "row_id"])
    for idx, g in m.groupby("index"):
        if g["reporter"].nunique() != 1:
            continue  # both reporters' figures agree with it: no basis to pick one
        best = g.iloc[0]
        out.at[idx, "reporter"] = best["reporter"]
        out.at[idx, "attributed_by"] = f"match {100 * best['diff']:.2f}% with {best['row_id']}"
    return out
