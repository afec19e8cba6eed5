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
           "gap_usd", "gap_pct", "valuation_basis", "source_kinds", "same_source", "row_ids", "first_row_ids",
           "second_row_ids"]


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
            "first_row_ids": tuple(sorted(r.row_ids_1)), "second_row_ids": tuple(sorted(r.row_ids_2)),
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


def classify(gap_pct: float, band: tuple[float, float]) -> str:
    """'inside' the usual CIF/FOB band, 'above' it (importer much higher) or 'below' it
    (importer below the exporter: CIF under FOB is not a freight margin)."""
    lo, hi = band
    return "inside" if lo <= gap_pct <= hi else "above" if gap_pct > hi else "below"


def flow_years(ctx) -> pd.DataFrame:
    """One matched annual pair per flow and year in the window (same source first)."""
    t = mirror_table(ctx.panel, as_of=ctx.as_of, lags=ctx.lags, pair=ctx.pair)
    years = t["period_end"].dt.year
    t = t[(years >= ctx.claim.window.start) & (years <= ctx.claim.window.end) & t["gap_pct"].notna()
          & (t["frequency"] == "annual")]
    t = (t.sort_values(["same_source", "source_kinds"], ascending=[False, True])
          .drop_duplicates(["comparison", "period_start", "period_end"]).sort_values(["comparison", "period_end"]))
    return t.assign(year=t["period_end"].dt.year)


FLOW_COLUMNS = ["comparison", "year", "exporter", "importer", "exporter_usd", "importer_usd", "gap_pct", "position",
                "counted", "source_kinds", "row_ids", "exporter_row_ids", "importer_row_ids"]


def rule(ctx) -> list:
    """Rule ``mirror_gap``: per flow and year, the importer's CIF figure against the exporter's
    FOB figure. CIF at or above FOB by up to the band's top (``band_pct``, e.g. [0, 10]) is the
    usual margin; years outside are flagged with size and direction. Years listed in
    ``data_quality_years`` are flagged as recording changes and not counted. The share of
    flow-years inside the band gives the rating (``grades``). Turnover against turnover is
    shown beside, not counted (it is made of the same flows). One claim-level result: a mirror
    needs both reporters by construction.
    """
    from . import rating as rating_mod
    from .result import phrase, robust_entry, same_side, verdict
    from .results import MirrorFacts, NoMatchedFlows

    band = tuple(float(x) for x in ctx.rule.band_pct)
    dq = set(ctx.rule.data_quality_years)
    grades = sorted(((float(k), rating_mod.check(v)) for k, v in ctx.rule.grades.items()), reverse=True)
    t = flow_years(ctx)
    flows = t[~t["comparison"].str.contains("turnover")]
    turnover = t[t["comparison"].str.contains("turnover")]
    quality = flows[flows["year"].isin(dq)]
    flows = flows[~flows["year"].isin(dq)]
    a, b = ctx.pair
    if flows.empty:
        from .result import coverage_note

        notes = [n for n in (coverage_note(ctx, a), coverage_note(ctx, b)) if n]
        return [verdict(ctx, "all", "cannot_be_checked", data_used=[phrase("no_matched_flow")],
                        facts=NoMatchedFlows(ctx.pair, ctx.claim.window.start, ctx.claim.window.end, notes),
                        basis=phrase("mirror_flows"), not_checked=[phrase("no_matched_flow_year"), *notes],
                        tables={"flows": _flows_table(t, band, dq)})]
    cls = [classify(g, band) for g in flows["gap_pct"]]
    flows = flows.assign(position=cls)
    share = float((flows["position"] == "inside").mean())
    rating = next((r for cut_, r in grades if share >= cut_), "false")
    outside = flows[flows["position"] != "inside"]
    flagged = [{"flow": r.comparison, "year": int(r.year), "gap_pct": float(r.gap_pct), "direction": r.position,
                "importer_musd": float(r.second_value_usd) / 1e6, "exporter_musd": float(r.first_value_usd) / 1e6,
                "sources": r.source_kinds} for r in outside.itertuples()]
    stat = {"band_pct": list(band), "n_flow_years": len(flows), "share_inside_band": share,
            "median_gap_pct": float(flows["gap_pct"].median()),
            "median_gap_pct_by_flow": {c: float(g["gap_pct"].median()) for c, g in flows.groupby("comparison")},
            "outside_band": flagged,
            "data_quality_flags": [{"flow": r.comparison, "year": int(r.year), "gap_pct": float(r.gap_pct),
                                    "note": "recording change (claims file data_quality_years): a data-quality issue, not a trade fact"}
                                   for r in quality.itertuples()],
            "turnover_vs_turnover": [{"year": int(r.year), "gap_pct": float(r.gap_pct)} for r in turnover.itertuples()]}
    worst = outside.loc[outside["gap_pct"].abs().idxmax()] if len(outside) else None
    facts = MirrorFacts(pair=ctx.pair, band_pct=band, n_flow_years=len(flows),
                        n_inside=int((flows["position"] == "inside").sum()), first_year=int(flows["year"].min()),
                        last_year=int(flows["year"].max()), median_gap_pct=stat["median_gap_pct"],
                        worst_flow=None if worst is None else worst["comparison"],
                        worst_year=None if worst is None else int(worst["year"]),
                        worst_gap_pct=None if worst is None else float(worst["gap_pct"]))
    rob = [robust_entry("sources", None, phrase("source_pairs", pairs=sorted(set(flows["source_kinds"])))),
           robust_entry("reporters", None, phrase("mirror_both_reporters"))]
    halves = [flows[flows["year"] < flows["year"].median()], flows[flows["year"] >= flows["year"].median()]]
    if all(len(h) for h in halves):
        hr = [next((r for cut_, r in grades if float((h["gap_pct"].apply(lambda g: classify(g, band)) == "inside").mean()) >= cut_), "false")
              for h in halves]
        rob.append(robust_entry("windows", same_side(hr[0], hr[1]), phrase("halves", earlier=hr[0], later=hr[1])))
    return [verdict(ctx, "all", rating, facts=facts, statistic=stat, n_obs=len(flows), data_used=[
        phrase("flow_years_used", flow=c, n=len(g), first=int(g["year"].min()), last=int(g["year"].max()))
        for c, g in flows.groupby("comparison")],
        source_row_ids={i for ids in flows["row_ids"] for i in ids}, robustness=rob,
        strength="strong" if len(flows) >= 10 else "moderate" if len(flows) >= 4 else "weak",
        basis=phrase("mirror_basis", pair=list(ctx.pair)),
        not_checked=[phrase("recording_change", flow=f["flow"], year=f["year"]) for f in stat["data_quality_flags"]],
        tables={"flows": _flows_table(t, band, dq)})]


def _flows_table(t: pd.DataFrame, band: tuple[float, float], dq: set) -> pd.DataFrame:
    """Each matched flow-year of the window (turnover against turnover too): exporter's and
    importer's figures, the gap, its position against the band, and whether it counts (the
    report's mirror chart plots this table)."""
    if t.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    flow = ~t["comparison"].str.contains("turnover")
    return pd.DataFrame({
        "comparison": t["comparison"], "year": t["year"].astype(int), "exporter": t["first_reporter"],
        "importer": t["second_reporter"], "exporter_usd": t["first_value_usd"], "importer_usd": t["second_value_usd"],
        "gap_pct": t["gap_pct"], "position": [classify(g, band) if f else None for g, f in zip(t["gap_pct"], flow)],
        "counted": flow & ~t["year"].isin(dq), "source_kinds": t["source_kinds"],
        "row_ids": [tuple(x) for x in t["row_ids"]], "exporter_row_ids": [tuple(x) for x in t["first_row_ids"]],
        "importer_row_ids": [tuple(x) for x in t["second_row_ids"]]}, columns=FLOW_COLUMNS).reset_index(drop=True)
