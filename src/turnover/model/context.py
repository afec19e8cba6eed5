"""Context from all pairs: how a pair's change in one year compares with each country's total
trade, with world trade, and with the changes of every other reporter–partner pair that year.

``pair_context(pair, year)`` reads the all-pairs matrix (``turnover.ingest.allpairs``: every IMF
DOTS reporter's trade with every partner, built once and cached) for ``year`` and the year before
and returns a ``PairContext``: per reporter of the pair (its own figures, never mixed), the pair's
change, its percentile among all reporter–partner pairs with turnover in both years (each
reporter's own figures for each partner; IMF estimates included), and the reporter's total trade
change (its trade with the World); world trade from the IMF's World aggregate (exports +
imports); and a small table for the report. ``turnover.text.render.pair_context_sentence`` words it. Everything is vectorised over the ≈20,000 pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

WORLD = "WLD"


@dataclass(frozen=True)
class ReporterContext:
    reporter: str
    partner: str
    pair_change_pct: float | None        # the pair's turnover, year against the year before (reporter's figures)
    percentile: float | None             # share of all pairs with a smaller change, 0-100
    total_change_pct: float | None       # the reporter's trade with the World
    pair_musd: tuple[float, float] | None  # (year before, year)


@dataclass(frozen=True)
class PairContext:
    pair: tuple[str, str]
    year: int
    base_year: int
    n_pairs: int                          # reporter-partner pairs with turnover in both years
    median_change_pct: float | None
    decile_bounds_pct: tuple[float, ...]  # the 10th, 20th ... 90th percentiles of all pairs' changes
    world_change_pct: float | None        # IMF World aggregate, exports + imports
    reporters: tuple[ReporterContext, ...]
    table: pd.DataFrame = field(repr=False, compare=False)


def _change(a: pd.Series, b: pd.Series) -> pd.Series:
    return 100 * (b / a - 1)


def pair_context(pair: tuple[str, str], year: int, base_year: int | None = None,
                 matrix: pd.DataFrame | None = None, progress: bool = False) -> PairContext:
    """The context of ``pair``'s change from ``base_year`` (default the year before) to ``year``."""
    base = int(base_year if base_year is not None else year - 1)
    year = int(year)
    if matrix is None:
        from ..ingest import allpairs

        matrix = allpairs.read(years=[base, year], progress=progress)
    m = matrix[matrix["year"].isin([base, year])]
    turn = (m["export"] + m["import"]).to_numpy()  # both flows reported (NaN otherwise)
    keys = pd.MultiIndex.from_arrays([m["reporter"].astype(str), m["partner"].astype(str)], names=["reporter", "partner"])
    is_year = (m["year"] == year).to_numpy()
    wide = pd.concat([pd.Series(turn[~is_year], index=keys[~is_year], name=base),
                      pd.Series(turn[is_year], index=keys[is_year], name=year)], axis=1)
    partners = wide.index.get_level_values("partner")
    world = wide[partners == WORLD].droplevel("partner")
    pairs = wide[(partners != WORLD) & (wide.index.get_level_values("reporter") != WORLD)]
    pairs = pairs[(pairs[base] > 0) & (pairs[year] > 0)]
    chg = _change(pairs[base], pairs[year])
    ranked = np.sort(chg.to_numpy())
    n = len(ranked)
    deciles = tuple(float(x) for x in np.percentile(ranked, np.arange(10, 100, 10))) if n else ()
    world_chg = None
    if WORLD in world.index and world.loc[WORLD].notna().all():
        world_chg = float(_change(world.loc[WORLD, base], world.loc[WORLD, year]))
    out = []
    rows = []
    for rep, other in ((pair[0], pair[1]), (pair[1], pair[0])):
        c = chg.get((rep, other))
        pct = float(100 * np.searchsorted(ranked, c, side="left") / n) if c is not None and n else None
        tot = None
        if rep in world.index and world.loc[rep].notna().all() and world.loc[rep, base] > 0:
            tot = float(_change(world.loc[rep, base], world.loc[rep, year]))
        vals = (float(pairs.loc[(rep, other), base]) / 1e6, float(pairs.loc[(rep, other), year]) / 1e6) \
            if (rep, other) in pairs.index else None
        r = ReporterContext(rep, other, None if c is None else float(c), pct, tot, vals)
        out.append(r)
        rows.append({"figures": rep, "what": f"{rep}–{other} turnover",
                     f"{base}, USD mn": vals[0] if vals else None, f"{year}, USD mn": vals[1] if vals else None,
                     "change %": r.pair_change_pct, "percentile": pct})
        rows.append({"figures": rep, "what": f"{rep} total trade (World)", f"{base}, USD mn": None,
                     f"{year}, USD mn": None, "change %": tot, "percentile": None})
    rows.append({"figures": "all reporters", "what": f"median of {n:,} reporter–partner pairs",
                 f"{base}, USD mn": None, f"{year}, USD mn": None,
                 "change %": float(np.median(ranked)) if n else None, "percentile": 50.0 if n else None})
    rows.append({"figures": "IMF World aggregate", "what": "world trade (exports + imports)",
                 f"{base}, USD mn": None, f"{year}, USD mn": None, "change %": world_chg,
                 "percentile": None})
    return PairContext(pair=tuple(pair), year=year, base_year=base, n_pairs=n,
                       median_change_pct=float(np.median(ranked)) if n else None, decile_bounds_pct=deciles,
                       world_change_pct=world_chg, reporters=tuple(out), table=pd.DataFrame(rows))


__all__ = ["PairContext", "ReporterContext", "pair_context"]
