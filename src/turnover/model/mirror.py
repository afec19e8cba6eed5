"""Mirror reconciliation: one side's exports against the other side's imports.

For the pair (A, B): A-reported exports to B against B-reported imports from A, and the
reverse; plus A-reported turnover against B-reported turnover of the same period. Rows are
matched on the exact same period (same start and end). ``gap_pct`` = (importer's figure -
exporter's figure) / exporter's figure * 100. Imports are normally valued CIF and exports
FOB, so a small positive gap is expected (freight and insurance); ``valuation_basis`` says
what each side used ("unknown" for press releases). Implied values (from a y/y change)
and bounds ("at least") are not matched. Complete calendar years of monthly data are also
summed and matched as annual values (where no annual figure of that source exists).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .comparable import with_year_sums
from .series import BOUNDS, PAIR, _collapse, bilateral_turnover, pair_rows
from .vintage import cut, known_from

COLUMNS = ["comparison", "period_start", "period_end", "frequency", "first_reporter", "first_value_usd",
           "first_valuation", "second_reporter", "second_value_usd", "second_valuation",
           "gap_usd", "gap_pct", "valuation_basis", "source_kinds", "same_source", "row_ids"]


def _flow_points(rows: pd.DataFrame, reporter: str, country: str, flow: str) -> pd.DataFrame:
    r = rows[(rows["reporter"] == reporter) & (rows["country"] == country) & (rows["flow"] == flow)
             & rows["value_usd"].notna() & ~rows["value_qualifier"].isin(BOUNDS)]
    if r.empty:
        return r.assign(row_ids=[])
    return with_year_sums(_collapse(r, ["source_kind", "period_start", "period_end"]))


def _match(first: pd.DataFrame, second: pd.DataFrame, comparison: str) -> list[dict]:
    out = []
    if first.empty or second.empty:
        return out
    m = first.merge(second, on=["period_start", "period_end"], suffixes=("_1", "_2"))
    for r in m.itertuples(index=False):
        a, b = float(r.value_usd_1), float(r.value_usd_2)
        out.append({
            "comparison": comparison, "period_start": r.period_start, "period_end": r.period_end,
            "frequency": r.frequency_1, "first_reporter": r.reporter_1, "first_value_usd": a,
            "first_valuation": r.valuation_1, "second_reporter": r.reporter_2, "second_value_usd": b,
            "second_valuation": r.valuation_2, "gap_usd": b - a,
            "gap_pct": 100 * (b - a) / a if a > 0 else np.nan,
            "valuation_basis": f"{r.valuation_2} vs {r.valuation_1}",
            "source_kinds": f"{r.source_kind_1} / {r.source_kind_2}",
            "same_source": r.source_kind_1 == r.source_kind_2,
            "row_ids": tuple(sorted(set(r.row_ids_1) | set(r.row_ids_2))),
        })
    return out


def mirror_table(panel: pd.DataFrame, as_of=None, lags: Mapping[str, int] | None = None,
                 pair: tuple[str, str] = PAIR) -> pd.DataFrame:
    """Matched mirror pairs known on ``as_of``: one row per comparison and period.

    ``comparison`` is e.g. 'BLR exports vs KAZ imports' (first = exporter, second =
    importer) or 'BLR turnover vs KAZ turnover'.
    """
    a, b = pair
    rows = cut(pair_rows(panel, pair), as_of, lags)  # the pair first: the panel holds every partner
    rows = rows.assign(known_from=known_from(rows, lags))
    out = []
    for x, m in ((a, b), (b, a)):
        out += _match(_flow_points(rows, x, x, "export"), _flow_points(rows, m, m, "import"),
                      f"{x} exports vs {m} imports")
    turn = [bilateral_turnover(panel, r, as_of=as_of, lags=lags, pair=pair) for r in (a, b)]
    turn = [with_year_sums(t[~t["value_qualifier"].isin(BOUNDS) & t["value_usd"].notna()]) for t in turn]
    out += _match(turn[0], turn[1], f"{a} turnover vs {b} turnover")
    df = pd.DataFrame(out, columns=COLUMNS)
    for c in ("period_start", "period_end"):
        df[c] = pd.to_datetime(df[c])
    for c in ("first_value_usd", "second_value_usd", "gap_usd", "gap_pct"):
        df[c] = df[c].astype(float)
    return df.sort_values(["comparison", "period_end"]).reset_index(drop=True)


def gap_series(table: pd.DataFrame, comparison: str, frequency: str = "annual") -> pd.Series:
    """The gap in % as a series indexed by period end, for one comparison and frequency."""
    t = table[(table["comparison"] == comparison) & (table["frequency"] == frequency)]
    return pd.Series(t["gap_pct"].values, index=pd.DatetimeIndex(t["period_end"]), name=comparison)


def rule(ctx) -> list[dict]:
    """Rule ``mirror_gap``: do the two sides' statistics agree within ``tolerance_pct``?

    Every matched pair (exports vs mirror imports, turnover vs turnover) whose period ends
    in the window counts; annual pairs only, when there are any (monthly gaps mostly reflect
    shipping lags). All within tolerance -> supported; none -> not_supported; some ->
    mixed; no pair -> insufficient_data. One claim-level result (reporter "all"): a mirror
    comparison needs both reporters by construction.
    """
    from .result import make_result

    tol = float(ctx.params.get("tolerance_pct", 10))
    t = mirror_table(ctx.panel, as_of=ctx.as_of, lags=ctx.lags, pair=ctx.pair)
    years = t["period_end"].dt.year
    t = t[(years >= ctx.claim.window.start) & (years <= ctx.claim.window.end) & t["gap_pct"].notna()]
    # monthly gaps mostly measure shipping lags (goods leave in one month, arrive in the
    # next): judge on calendar years whenever any year is matched
    if (t["frequency"] == "annual").any():
        t = t[t["frequency"] == "annual"]
    # one pair per comparison and period: same-source pairs first (cross-source pairs only
    # where no source has both sides), so a period quoted by two sources is not counted twice
    t = (t.sort_values(["same_source", "source_kinds"], ascending=[False, True])
          .drop_duplicates(["comparison", "period_start", "period_end"]).sort_values(["comparison", "period_end"]))
    if t.empty:
        return [make_result(ctx, "all", "insufficient_data", robustness={"label": "untested"},
                            data_used=["no period with both sides' figures for the same flow"],
                            summary=(f"No matched mirror pair (same flow and period reported by both sides) "
                                     f"in {ctx.claim.window.start}-{ctx.claim.window.end} as of {ctx.as_of.date()}"))]
    within = t["gap_pct"].abs() <= tol
    verdict = "supported" if within.all() else "not_supported" if not within.any() else "mixed"
    stat = {"n_pairs": len(t), "share_within_tolerance": float(within.mean()),
            "median_abs_gap_pct": float(t["gap_pct"].abs().median()), "max_abs_gap_pct": float(t["gap_pct"].abs().max()),
            "median_gap_pct": float(t["gap_pct"].median()), "tolerance_pct": tol}
    by_cmp = {c: float(g["gap_pct"].median()) for c, g in t.groupby("comparison")}
    rob = {"label": "robust" if len(t) >= 3 and (within.all() or not within.any()) else "fragile",
           "median_gap_pct_by_comparison": by_cmp,
           "valuation": "importer CIF vs exporter FOB where known: a few % positive gap is expected"}
    used = [f"{c}: {len(g)} {'/'.join(sorted(g['frequency'].unique()))} period(s) "
            f"{g['period_end'].dt.year.min()}-{g['period_end'].dt.year.max()}"
            for c, g in t.groupby("comparison")]
    summary = (f"{int(within.sum())} of {len(t)} mirror pairs within ±{tol:g}%; median gap "
               f"{stat['median_gap_pct']:+.1f}% (importer vs exporter), largest |gap| {stat['max_abs_gap_pct']:.1f}%")
    return [make_result(ctx, "all", verdict, statistic=stat, n_obs=len(t), data_used=used,
                        source_row_ids={i for ids in t["row_ids"] for i in ids}, robustness=rob, summary=summary)]
