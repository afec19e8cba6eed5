"""One chart per claim, chosen by the claim's rule kind.

Each builder takes a claim and the notebook inputs and returns a ``Chart``: the plotly
figure (its title states the finding), the computed narrative sentences, and the panel
rows and context facts it shows (for the source line). Builders only select and plot
figures; verdicts come from ``turnover.model``. A claims file for another article or pair
uses the same builders as long as its rule kinds are in ``BUILDERS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..claims import Claim
from ..panel import frequency_of as panel_mod_frequency
from . import fmt
from .inputs import Inputs

GREY = "#6e7781"
PAIR_COLOURS = ["#b5121b", "#0b6fa4"]  # first and second country of the pair
SYMBOLS = {"exact": "circle", "approx": "diamond", "at_least": "triangle-up", "at_most": "triangle-down"}
BASIS_SYMBOLS = {"export+import": "square", "implied by y/y": "x"}  # values the model derives
QUALIFIER_RANK = {"exact": 3, "approx": 2, "at_least": 1, "at_most": 1}
TEMPLATE = "plotly_white"


@dataclass
class Chart:
    claim_id: str
    fig: go.Figure
    finding: str
    narrative: list[str]
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)   # panel rows shown
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)  # context facts shown
    reporters: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- selection helpers

def pair_rows(panel: pd.DataFrame, pair: tuple[str, str], flow: str = "turnover") -> pd.DataFrame:
    """Reported rows of one flow between the pair (turnover rows are stored alphabetically)."""
    a, b = sorted(pair)
    if flow == "turnover":
        sel = (panel["country"] == a) & (panel["partner"] == b)
    else:
        sel = panel["country"].isin(pair) & panel["partner"].isin(pair)
    df = panel[sel & (panel["flow"] == flow) & (panel["status"] == "reported")].copy()
    df["period_label"] = [fmt.row_period(r) for _, r in df.iterrows()] if len(df) else []
    return df


def _known(df: pd.DataFrame) -> pd.Series:
    """When each row or point became public: ``known_from`` if present, else ``published_on``."""
    return df["known_from"] if "known_from" in df else df["published_on"]


def _published_by(df: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Rows public on or before ``as_of``; a missing date counts as not known."""
    k = _known(df)
    return k.notna() & (k <= pd.Timestamp(as_of))


def turnover_points(panel: pd.DataFrame, pair: tuple[str, str], lags: dict | None = None) -> pd.DataFrame:
    """Turnover points per reporter as the model sees them (duplicates collapsed, turnover
    from exports + imports where no turnover is printed, prior years implied by a printed
    y/y change), each with the panel rows behind it. Falls back to the raw rows when the
    model's series helpers are unavailable.
    """
    try:
        from ..model.series import bilateral_turnover, empty_points, with_implied_prior
    except ImportError:  # model not installed in this build: plot the printed rows as they are
        raw = pair_rows(panel, pair)
        return raw.assign(basis="reported", known_from=raw["published_on"], row_ids=[(r,) for r in raw["row_id"]])
    reporters = [*pair, "unknown"]
    parts = [with_implied_prior(bilateral_turnover(panel, r, lags=lags, pair=pair)) for r in reporters]
    parts = [p for p in parts if len(p)]
    pts = pd.concat(parts, ignore_index=True) if parts else empty_points()  # keeps the dtypes
    url = panel.set_index("row_id")["source_url"]
    pts["row_id"] = [ids[0] if len(ids) else "" for ids in pts["row_ids"]]
    pts["source_url"] = [url.get(ids[0], "") if len(ids) else "" for ids in pts["row_ids"]]
    pts["period_label"] = [fmt.period(f, s, e) for f, s, e in zip(pts["frequency"], pts["period_start"], pts["period_end"])]
    return pts.sort_values(["period_end", "reporter"]).reset_index(drop=True)


def rows_behind(panel: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """The panel rows behind ``points`` (for the source line)."""
    ids = {i for t in points.get("row_ids", []) for i in t}
    return panel[panel["row_id"].isin(ids)]


def _mid(df: pd.DataFrame) -> pd.Series:
    """Plot a period at its middle, so an annual value sits above its own year's tick."""
    return df["period_start"] + (df["period_end"] - df["period_start"]) / 2


def _colour(reporter: str, pair: tuple[str, str]) -> str:
    return PAIR_COLOURS[pair.index(reporter)] if reporter in pair else GREY


def _best(df: pd.DataFrame) -> pd.Series | None:
    """The most precise, then latest-published row of ``df`` (deterministic)."""
    if df.empty:
        return None
    d = df.assign(_q=df["value_qualifier"].map(QUALIFIER_RANK).fillna(0), _k=_known(df),
                  _r=df["reporter"].ne("unknown").astype(int))
    return d.sort_values(["_q", "_r", "_k", "row_id"], na_position="first").iloc[-1]


def _longest_series(df: pd.DataFrame) -> pd.DataFrame:
    """The one reporter-and-source series with the most points (identified reporters win ties)."""
    if df.empty:
        return df
    kind = df["source_kind"] if "source_kind" in df else pd.Series("", index=df.index)
    keys = list(zip(df["reporter"], kind))
    counts = pd.Series(keys).value_counts()
    best = max(counts.index, key=lambda k: (counts[k], k[0] != "unknown", k))
    return df[[k == best for k in keys]]


def _cite(row: pd.Series) -> str:
    rep = "reporter not stated" if row["reporter"] == "unknown" else row["reporter"]
    return f"{fmt.usd(row['value_usd'], row['value_qualifier'])} ({row['period_label']}, {rep})"


def _direction(a: pd.Series, b: pd.Series) -> str:
    va, vb, qa, qb = a["value_usd"], b["value_usd"], a["value_qualifier"], b["value_qualifier"]
    if vb < va and qb != "at_least" and qa != "at_most":
        return "fell"
    if vb > va and qb != "at_most" and qa != "at_least":
        return "rose"
    return "went"


def _vline(fig: go.Figure, when: dt.date, label: str, dash: str = "dot") -> None:
    # shapes + annotations by hand: add_vline's annotation breaks on date axes
    x = pd.Timestamp(when).isoformat()
    fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper",
                  line=dict(color="#333", width=1, dash=dash))
    fig.add_annotation(x=x, y=0.99, xref="x", yref="paper", text=label, showarrow=False, xanchor="left",
                       yanchor="top", bgcolor="rgba(255,255,255,0.8)", font=dict(size=10, color="#333"))


def _window(fig: go.Figure, start_year: int, end_year: int) -> None:
    fig.add_shape(type="rect", x0=f"{start_year}-01-01", x1=f"{end_year}-12-31", xref="x",
                  y0=0, y1=1, yref="paper", fillcolor="#f2cc60", opacity=0.15, line_width=0, layer="below")


def _finish(fig: go.Figure, title: str, subtitle: str, height: int = 520) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, subtitle=dict(text=subtitle), x=0.01, xanchor="left", font=dict(size=15)),
        template=TEMPLATE, height=height, margin=dict(t=110, l=70, r=30, b=50),
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0), hovermode="closest",
    )
    return fig


# ---------------------------------------------------------------- turnover over time

def turnover_figure(rows: pd.DataFrame, pair: tuple[str, str], as_of: dt.date) -> go.Figure:
    """Annual values (top) and year-on-year changes of any period (bottom), one trace per reporter.

    ``rows``: panel rows or ``turnover_points``. Open markers: not yet public on ``as_of``.
    Marker shape: exact, approximate, lower or upper bound as printed; a square is
    exports + imports, an x a value implied by a printed y/y change.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.6, 0.4],
                        subplot_titles=("Annual turnover, USD million", "Change on a year earlier, % (any period)"))
    known = _published_by(rows, as_of)
    for rep in sorted(rows["reporter"].unique(), key=lambda r: (r not in pair, r)):
        mine = rows["reporter"] == rep
        colour = _colour(rep, pair)
        for panel_row, sel, y, fmt_y in (
            (1, mine & (rows["frequency"] == "annual") & rows["value_usd"].notna(), "value_usd", "usd"),
            (2, mine & rows["yoy_pct"].notna(), "yoy_pct", "pct"),
        ):
            d = rows[sel].sort_values("period_end")
            if d.empty:
                continue
            q = d["value_qualifier" if fmt_y == "usd" else "yoy_qualifier"]
            basis = d["basis"] if "basis" in d else pd.Series("reported", index=d.index)
            shape = [BASIS_SYMBOLS.get(b) or SYMBOLS.get(x, "circle") for b, x in zip(basis, q)]
            sym = [x + ("" if k else "-open") for x, k in zip(shape, known[sel].loc[d.index])]
            shown = [fmt.usd(v, qq) if fmt_y == "usd" else fmt.pct(v, qualifier=qq) for v, qq in zip(d[y], q)]
            fig.add_trace(go.Scatter(
                x=_mid(d), y=d[y] / 1e6 if fmt_y == "usd" else d[y],
                mode="markers+lines" if fmt_y == "usd" else "markers", name=fmt.reporter(rep),
                legendgroup=rep, showlegend=panel_row == 1 or not (mine & (rows["frequency"] == "annual")
                                                                    & rows["value_usd"].notna()).any(),
                marker=dict(color=colour, size=10, symbol=sym, line=dict(width=1.5, color=colour)),
                line=dict(color=colour, width=1, dash="dot"),
                customdata=list(zip(d["period_label"], shown, _known(d).dt.strftime("%Y-%m-%d").fillna("?"),
                                    d["source_url"], basis)),
                hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[4]})<br>public from %{customdata[2]}"
                              "<br>%{customdata[3]}<extra>" + fmt.reporter(rep) + "</extra>",
            ), row=panel_row, col=1)
    fig.add_hline(y=0, line=dict(color="#999", width=1), row=2, col=1)
    return fig


def declining_trend(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    as_of = inp.article_date
    rows = turnover_points(inp.panel, pair, claim.rule.params.get("publication_lag_days"))
    w = claim.window
    in_win = rows[(rows["period_start"].dt.year >= w.start) & (rows["period_end"].dt.year <= w.end)]
    annual = in_win[(in_win["frequency"] == "annual") & in_win["value_usd"].notna()]
    known = annual[_published_by(annual, as_of)]
    narrative = []
    series = _longest_series(annual)  # first and last from one reporter and source: never mixed
    first = _best(series[series["period_start"] == series["period_start"].min()]) if len(series) else None
    last = _best(series[series["period_start"] == series["period_start"].max()]) if len(series) else None
    if first is not None and last is not None and first["row_id"] != last["row_id"]:
        title = f"Annual turnover {_direction(first, last)} from {_cite(first)} to {_cite(last)}"
    elif first is not None:
        title = f"Only one annual turnover figure in {w.start}–{w.end}: {_cite(first)}"
    else:
        title = f"No annual turnover value in {w.start}–{w.end} in the data"
    yoy_known = in_win[in_win["yoy_pct"].notna() & _published_by(in_win, as_of)]
    latest = yoy_known.assign(_k=_known(yoy_known)).sort_values(["period_end", "_k"]).iloc[-1] if len(yoy_known) else None
    if len(known):
        years = sorted(known["period_start"].dt.year.unique())
        subtitle = f"Public by {fmt.date(as_of)}: annual values for {fmt.join([str(y) for y in years])}"
    else:
        subtitle = f"No annual value in the window was public by {fmt.date(as_of)}"
    if latest is not None:
        subtitle += (f"; latest y/y change then: {latest['period_label']} "
                     f"{fmt.pct(latest['yoy_pct'], qualifier=latest['yoy_qualifier'])} ({fmt.reporter(latest['reporter'])})")
    narrative.append(f"{len(in_win)} turnover point(s) fall in the claim's window {w.start}–{w.end}; "
                     f"{int(_published_by(in_win, as_of).sum())} of them were public by {fmt.date(as_of)} "
                     "(filled markers), the rest only later (open markers).")
    if "basis" in in_win:
        for basis, what in (("implied by y/y", "implied by a printed year-on-year change (x)"),
                            ("export+import", "summed from one reporter's exports and imports (square)")):
            n = int((in_win["basis"] == basis).sum())
            if n:
                narrative.append(f"{n} value(s) are {what}, as the model uses them.")
    later = in_win[~_published_by(in_win, as_of) & in_win["yoy_pct"].notna()].sort_values("period_end")
    if len(later):
        narrative.append("Changes published after the article: " + fmt.join(
            [f"{r['period_label']} {fmt.pct(r['yoy_pct'], qualifier=r['yoy_qualifier'])} ({fmt.reporter(r['reporter'])})"
             for _, r in later.iterrows()]) + ".")
    skipped = in_win[(in_win["frequency"] != "annual") & in_win["yoy_pct"].isna()]
    if len(skipped):
        narrative.append(f"{len(skipped)} part-year value(s) without a year-on-year change are not plotted: "
                         "they are not comparable with annual totals.")
    fig = turnover_figure(in_win, pair, as_of)
    _window(fig, w.start, w.end)
    _vline(fig, as_of, f"article {fmt.date(as_of)}")
    _finish(fig, title, subtitle)
    return Chart(claim.id, fig, title, narrative, rows=rows_behind(inp.panel, in_win),
                 reporters=sorted(in_win["reporter"].unique()))


def recovery(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    p = claim.rule.params
    event = pd.Timestamp(p.get("event_date", inp.article_date))
    trough_y, ref_y = p.get("trough_year"), p.get("reference_year")
    rows = turnover_points(inp.panel, pair, p.get("publication_lag_days"))
    w = claim.window
    rows = rows[(rows["period_start"].dt.year >= w.start) & (rows["period_end"].dt.year <= w.end)]
    annual = rows[(rows["frequency"] == "annual") & rows["value_usd"].notna()]
    year = annual["period_start"].dt.year

    def best_in(y):
        return _best(annual[year == y]) if y is not None else None

    trough, ref = best_in(trough_y), best_in(ref_y)
    after = annual[annual["period_start"] > event]
    latest = _best(after[after["period_start"] == after["period_start"].max()]) if len(after) else None
    narrative = []
    if latest is not None and trough is not None:
        title = f"After the programme ({fmt.date(event)}), annual turnover {_direction(trough, latest)} from {_cite(trough)} to {_cite(latest)}"
    elif latest is not None:
        title = f"Latest annual turnover after {fmt.date(event)}: {_cite(latest)} (no {trough_y} value)"
    else:
        title = f"No annual turnover value after {fmt.date(event)} in the data"
    subtitle = (f"{ref_y} level: {_cite(ref)}" if ref is not None else f"no {ref_y} value in the data") + \
        f"; {len(after)} annual value(s) after the signing, {after['period_start'].dt.year.nunique()} distinct year(s)"
    later_yoy = rows[(rows["period_start"] > event) & rows["yoy_pct"].notna()].sort_values("period_end")
    if len(later_yoy):
        r = later_yoy.iloc[-1]
        narrative.append(f"Latest year-on-year change after the signing: {r['period_label']} "
                         f"{fmt.pct(r['yoy_pct'], qualifier=r['yoy_qualifier'])} ({fmt.reporter(r['reporter'])}, "
                         f"public from {fmt.date(_known(later_yoy).loc[r.name])}).")
    bounds = after[after["value_qualifier"].isin(["at_least", "at_most"])]
    if len(bounds):
        narrative.append(f"{len(bounds)} of the {len(after)} annual values after the signing are printed only as "
                         "bounds (\"more than\"/\"less than\"), shown as triangles.")
    fig = turnover_figure(rows, pair, inp.article_date)
    for r, label in ((trough, f"{trough_y} trough"), (ref, f"{ref_y} level")):
        if r is not None:
            fig.add_hline(y=r["value_usd"] / 1e6, line=dict(color="#555", width=1, dash="dash"), row=1, col=1,
                          annotation_text=f"{label}: {fmt.usd(r['value_usd'], r['value_qualifier'])}",
                          annotation_position="top left", annotation_font_size=10)
    _vline(fig, event.date(), f"programme signed {fmt.date(event)}", dash="dash")
    _vline(fig, inp.article_date, f"article {fmt.date(inp.article_date)}")
    _finish(fig, title, subtitle)
    return Chart(claim.id, fig, title, narrative, rows=rows_behind(inp.panel, rows),
                 reporters=sorted(rows["reporter"].unique()))


# ---------------------------------------------------------------- mirror statistics

def mirror_pairs(panel: pd.DataFrame, pair: tuple[str, str]) -> pd.DataFrame:
    """Exporter-reported exports against importer-reported imports of the same flow and period."""
    out = []
    for exporter, importer in (pair, pair[::-1]):
        ex = panel[(panel["flow"] == "export") & (panel["country"] == exporter) & (panel["partner"] == importer)
                   & (panel["reporter"] == exporter) & panel["value_usd"].notna()]
        im = panel[(panel["flow"] == "import") & (panel["country"] == importer) & (panel["partner"] == exporter)
                   & (panel["reporter"] == importer) & panel["value_usd"].notna()]
        keys = ["period_start", "period_end"]
        m = ex.drop_duplicates(keys).merge(im.drop_duplicates(keys), on=keys, suffixes=("_exp", "_imp"))
        for _, r in m.iterrows():
            out.append({"exporter": exporter, "importer": importer, "period_start": r["period_start"],
                        "period_end": r["period_end"], "exports_usd": r["value_usd_exp"],
                        "imports_usd": r["value_usd_imp"],
                        "gap_pct": (r["value_usd_imp"] - r["value_usd_exp"]) / r["value_usd_exp"] * 100,
                        "row_ids": [r["row_id_exp"], r["row_id_imp"]]})
    return pd.DataFrame(out, columns=["exporter", "importer", "period_start", "period_end", "exports_usd",
                                      "imports_usd", "gap_pct", "row_ids"])


def mirror_matches(panel: pd.DataFrame, pair: tuple[str, str]) -> pd.DataFrame:
    """Matched periods as the model sees them (``turnover.model.mirror.mirror_table``: flows and
    turnover, duplicates collapsed); falls back to ``mirror_pairs`` without the model."""
    try:
        from ..model.mirror import mirror_table
    except ImportError:
        m = mirror_pairs(panel, pair)
        m = m.assign(comparison=[f"{e} exports vs {i} imports" for e, i in zip(m["exporter"], m["importer"])],
                     first_value_usd=m["exports_usd"], second_value_usd=m["imports_usd"])
    else:
        m = mirror_table(panel, pair=pair)
    m = m[m["gap_pct"].notna()].reset_index(drop=True)
    freq = [panel_mod_frequency(s, e) for s, e in zip(m["period_start"], m["period_end"])]
    return m.assign(frequency_label=freq,
                    period_label=[fmt.period(f, s, e) for f, s, e in zip(freq, m["period_start"], m["period_end"])])


def mirror_gap(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    tol = claim.rule.params.get("tolerance_pct")
    flows = pd.concat([pair_rows(inp.panel, pair, "export"), pair_rows(inp.panel, pair, "import")])
    national = pair_rows(inp.panel, pair)
    national = national[national["reporter"].isin(pair) & national["value_usd"].notna()]
    flows = flows[flows["reporter"].isin(pair) & flows["value_usd"].notna()]
    flows = flows.drop_duplicates(["reporter", "country", "partner", "flow", "period_start", "period_end"])
    national = national.drop_duplicates(["reporter", "period_start", "period_end"])
    matched = mirror_matches(inp.panel, pair)
    directions = [f"{a} → {b}" for a, b in (pair, pair[::-1])]
    fig = make_subplots(rows=3, cols=1, vertical_spacing=0.12,
                        subplot_titles=[f"Goods {d}, USD million" for d in directions] +
                                       ["Turnover by whose statistics, USD million"])
    for i, (exporter, importer) in enumerate((pair, pair[::-1]), start=1):
        for flow, country, rep in (("export", exporter, exporter), ("import", importer, importer)):
            d = flows[(flows["flow"] == flow) & (flows["country"] == country) & (flows["reporter"] == rep)]
            if d.empty:
                continue
            d = d.sort_values("period_end")
            what = f"{exporter}'s exports" if flow == "export" else f"{importer}'s imports"
            fig.add_trace(go.Bar(x=d["period_label"], y=d["value_usd"] / 1e6, name=f"{what}, {fmt.reporter(rep)}",
                                 marker_color=_colour(rep, pair), opacity=1 if flow == "export" else 0.55,
                                 customdata=d["source_url"], hovertemplate="%{x}: %{y:,.1f} mn<br>%{customdata}"),
                          row=i, col=1)
    for rep in pair:
        d = national[national["reporter"] == rep].sort_values("period_end")
        if len(d):
            fig.add_trace(go.Bar(x=d["period_label"], y=d["value_usd"] / 1e6, name=f"turnover, {fmt.reporter(rep)}",
                                 marker_color=_colour(rep, pair), marker_pattern_shape="/",
                                 customdata=d["source_url"], hovertemplate="%{x}: %{y:,.1f} mn<br>%{customdata}"),
                          row=3, col=1)
    fig.update_layout(barmode="group")
    shown = pd.concat([flows, national])
    order = shown.sort_values(["period_end", "period_start"])["period_label"].drop_duplicates().tolist()
    fig.update_xaxes(categoryorder="array", categoryarray=order)  # chronological, not first-seen
    narrative = []
    if matched.empty:
        have = {rep: fmt.join(sorted(set(flows.loc[flows["reporter"] == rep, "period_label"]))) or "none"
                for rep in pair}
        title = "No period has both countries' figures for the same flow, so the gap cannot be measured"
        subtitle = "Export/import figures: " + "; ".join(f"{fmt.reporter(r)}: {have[r]}" for r in pair)
    else:
        # like the rule: annual pairs decide when there are any, months only otherwise
        annual = matched[matched["frequency_label"] == "annual"]
        judged = annual if len(annual) else matched
        worst = judged.loc[judged["gap_pct"].abs().idxmax()]
        title = (f"Largest {'annual ' if len(annual) else ''}mirror gap: {fmt.pct(worst['gap_pct'])} "
                 f"({worst['comparison']}, {worst['period_label']})" + (f"; tolerance {tol}%" if tol is not None else ""))
        subtitle = f"{len(matched)} matched period(s): the second figure against the first"
        for comparison, g in matched.groupby("comparison", sort=True):
            inside = f"; {int((g['gap_pct'].abs() <= tol).sum())} within ±{tol}%" if tol is not None else ""
            narrative.append(f"{comparison}: {len(g)} matched period(s), gap from {fmt.pct(g['gap_pct'].min())} "
                             f"to {fmt.pct(g['gap_pct'].max())}, median {fmt.pct(g['gap_pct'].median())}{inside}.")
        top = matched.reindex(matched["gap_pct"].abs().sort_values(ascending=False).index).head(3)
        narrative.append("Largest gap(s): " + "; ".join(
            f"{r['comparison']}, {r['period_label']}: {fmt.usd(r['first_value_usd'])} vs "
            f"{fmt.usd(r['second_value_usd'])}, {fmt.pct(r['gap_pct'])}" for _, r in top.iterrows()) + ".")
    both = national.groupby(["period_start", "period_end"])["reporter"].nunique()
    if matched.empty:
        narrative.append(f"Turnover periods with figures from both {pair[0]} and {pair[1]}: {int((both == 2).sum())}; "
                         f"with one side only: {int((both == 1).sum())}.")
    _finish(fig, title, subtitle, height=760)
    return Chart(claim.id, fig, title, narrative, rows=shown, reporters=sorted(shown["reporter"].unique()))


# ---------------------------------------------------------------- context facts

def market_shock(claim: Claim, inp: Inputs) -> Chart:
    p = claim.rule.params
    countries = p.get("countries", list(inp.claims.pair))
    threshold = p.get("min_devaluation_pct")
    months = int(p.get("lookback_months", 24))
    as_of = pd.Timestamp(inp.article_date)
    start = as_of - pd.DateOffset(months=months)
    f = inp.facts
    dev = f[(f["topic"] == "currency") & (f["unit"] == "pct_devaluation") & f["country"].isin(countries)
            & f["value"].notna()].sort_values("date")
    fig = go.Figure()
    for i, c in enumerate(countries):
        d = dev[dev["country"] == c]
        if d.empty:
            continue
        fig.add_trace(go.Bar(x=d["date"], y=d["value"], name=f"{c}: {fmt.join(sorted(d['subject'].unique()))} vs USD",
                             marker_color=PAIR_COLOURS[i % 2], width=1000 * 3600 * 24 * 40,
                             customdata=list(zip(d["statement"], d["source_url"])),
                             hovertemplate="%{x|%Y-%m-%d}: %{y}%<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    fig.add_shape(type="rect", x0=start.isoformat(), x1=as_of.isoformat(), xref="x", y0=0, y1=1, yref="paper",
                  fillcolor="#f2cc60", opacity=0.2, line_width=0, layer="below")
    if threshold is not None:
        fig.add_hline(y=threshold, line=dict(color="#333", dash="dash", width=1),
                      annotation_text=f"threshold {threshold}%", annotation_position="top left")
    _vline(fig, inp.article_date, f"article {fmt.date(as_of)}")
    window = dev[(dev["date"] > start) & (dev["date"] <= as_of)]
    parts, narrative = [], []
    for c in countries:
        d = window[window["country"] == c]
        if d.empty:
            parts.append(f"{c}: none in the data")
            continue
        top = d.loc[d["value"].idxmax()]
        parts.append(f"{c} ({top['subject']}) {fmt.pct(top['value'], signed=False)} on {fmt.date(top['date'])}")
        if len(d) > 1:
            narrative.append(f"{c}: {len(d)} devaluations in the window, " + fmt.join(
                [f"{fmt.pct(v, signed=False)} on {fmt.date(t)}" for t, v in zip(d["date"], d["value"])]) + ".")
    title = f"Largest devaluation in the {months} months before {fmt.date(as_of)}: " + "; ".join(parts)
    subtitle = "Per cent lost against the US dollar, as stated in the releases" + \
        (f"; threshold {threshold}% per the rule" if threshold is not None else "")
    other = f[(f["topic"] == "currency") & (f["unit"] != "pct_devaluation") & f["country"].isin(countries)]
    if len(other):
        narrative.append(f"Not plotted ({len(other)} fact(s) in other units): " + fmt.join(
            [f"{r['statement']}" for _, r in other.iterrows()]) + ".")
    oil = f[f["topic"].astype(str).str.contains("oil")]
    oil_rows = inp.panel[inp.panel["source_kind"].astype(str).str.contains("oil")] if "source_kind" in inp.panel else []
    if oil.empty and len(oil_rows) == 0:
        narrative.append("The data hold no oil-price series, so the oil-price part of the statement is not charted.")
    fig.update_layout(yaxis_title="devaluation, %", bargap=0.2)
    _finish(fig, title, subtitle, height=460)
    shown = pd.concat([dev, other])
    return Chart(claim.id, fig, title, narrative, facts=shown, reporters=["stated in releases"])


def partner_totals(panel: pd.DataFrame, country: str, start: int, end: int, top: int = 8) -> tuple[int, pd.DataFrame] | None:
    """Goods turnover with each partner in the latest year of [start, end] that has at least two
    partners, from the country's own annual statistics (exports + imports, else turnover).
    Returns (year, frame of partner, value_usd, row_ids) with the world total dropped, largest first.
    """
    p = panel[(panel["country"] == country) & (panel["reporter"] == country) & (panel["frequency"] == "annual")
              & panel["value_usd"].notna() & (panel["partner"] != "WLD")]
    p = p[(p["period_end"].dt.year >= start) & (p["period_end"].dt.year <= end)]
    for year in sorted(p["period_end"].dt.year.unique(), reverse=True):
        y = p[p["period_end"].dt.year == year].drop_duplicates(["partner", "flow"])
        rows = []
        for partner, g in y.groupby("partner"):
            flows = dict(zip(g["flow"], g["value_usd"]))
            value = flows["export"] + flows["import"] if {"export", "import"} <= flows.keys() else flows.get("turnover")
            if value is not None:
                rows.append({"partner": partner, "value_usd": float(value), "row_ids": tuple(g["row_id"])})
        if len(rows) >= 2:
            return int(year), pd.DataFrame(rows).sort_values("value_usd", ascending=False).head(top)
    return None


def partner_rank(claim: Claim, inp: Inputs) -> Chart:
    p = claim.rule.params
    countries = p.get("countries", list(inp.claims.pair))
    partners = p.get("partners", [])
    top_n = p.get("top_n")
    f = inp.facts
    topics = [("partner_share", "pct_of_total_trade", "share of total trade, %"),
              ("partner_rank", None, "rank as stated (1 = largest)"),
              ("partner_trade", "musd", "trade with the partner, USD million")]
    facts = f[f["topic"].isin([t for t, _, _ in topics]) & f["country"].isin(countries) & f["value"].notna()]
    stats = {c: partner_totals(inp.panel, c, claim.window.start, claim.window.end) for c in countries}
    if any(stats.values()):  # partner statistics (online sources) come first
        topics = [("panel", None, "goods turnover by partner, USD million (own statistics)")] + topics
    fig = make_subplots(rows=len(topics), cols=len(countries), vertical_spacing=0.12, horizontal_spacing=0.14,
                        subplot_titles=[f"{c}: {label}" for _, _, label in topics for c in countries])
    seen = set()
    for i, (topic, unit, _) in enumerate(topics, start=1):
        for j, c in enumerate(countries, start=1):
            if topic == "panel":
                got = stats.get(c)
                if got:
                    year, t = got
                    t = t.iloc[::-1]  # largest at the top of a horizontal bar chart
                    named = t["partner"].isin(partners)
                    fig.add_trace(go.Bar(y=[f"{x} ({year})" for x in t["partner"]], x=t["value_usd"] / 1e6,
                                         orientation="h", name=f"{fmt.reporter(c)}, {year}",
                                         marker_color=[PAIR_COLOURS[0] if n else GREY for n in named],
                                         hovertemplate="%{y}: %{x:,.0f} mn<extra></extra>"), row=i, col=j)
                continue
            d = facts[(facts["topic"] == topic) & (facts["country"] == c)]
            if unit:
                d = d[d["unit"] == unit]
            d = d.sort_values("date")
            for named in (True, False):
                dd = d[d["subject"].isin(partners) == named]
                if dd.empty:
                    continue
                name = "partner named in the claim" if named else "other partner"
                fig.add_trace(go.Bar(
                    y=[f"{s} ({t:%Y})" + (" CIS" if u == "rank_cis" else "") for s, t, u in
                       zip(dd["subject"], dd["date"], dd["unit"])],
                    x=dd["value"], orientation="h", name=name, legendgroup=name, showlegend=name not in seen,
                    marker_color=PAIR_COLOURS[0] if named else GREY,
                    customdata=list(zip(dd["statement"], dd["source_url"])),
                    hovertemplate="%{x}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"), row=i, col=j)
                seen.add(name)
    parts, narrative = [], []
    as_of = pd.Timestamp(inp.article_date)
    for c in countries:
        bits = []
        for partner in partners:
            d = facts[(facts["country"] == c) & (facts["subject"] == partner) & (facts["date"] <= as_of)]
            ranks, shares = d[d["topic"] == "partner_rank"], d[d["topic"] == "partner_share"]
            if len(ranks):
                r = ranks.sort_values("date").iloc[-1]
                bits.append(f"{partner} #{r['value']:.0f} ({r['date']:%Y})")
            elif len(shares):
                r = shares.sort_values("date").iloc[-1]
                bits.append(f"{partner} {r['value']:g}% share ({r['date']:%Y})")
            else:
                bits.append(f"{partner} no rank or share")
        parts.append(f"{c}: " + ", ".join(bits))
    title = f"Stated before {fmt.date(as_of)} — " + "; ".join(parts)
    subtitle = "Ranks and shares as stated by officials; " + \
        (f"rule: top {top_n} partners by goods turnover" if top_n else "no rank threshold")
    others = facts[~facts["subject"].isin(partners) & (facts["topic"] == "partner_share")]
    for _, r in others.sort_values("value", ascending=False).iterrows():
        narrative.append(f"{r['country']}: {r['subject']} {r['value']:g}% of total trade ({r['date']:%Y}).")
    for c, got in stats.items():
        if got:
            year, t = got
            ranks = {x: i for i, x in enumerate(t["partner"], start=1)}
            narrative.append(f"{c}'s own statistics, {year}: " + ", ".join(
                f"{x} #{ranks[x]}" if x in ranks else f"{x} not in the top {len(t)}" for x in partners) + ".")
    if not any(stats.values()):
        narrative.append("No partner-by-partner trade statistics are in the panel yet (they come with the "
                         "online sources), so the chart shows ranks and shares as officials stated them.")
    _finish(fig, title, subtitle, height=300 * len(topics))
    ids = {i for got in stats.values() if got for t in got[1]["row_ids"] for i in t}
    shown = inp.panel[inp.panel["row_id"].isin(ids)]
    reporters = sorted(shown["reporter"].unique()) + ["stated in releases"]
    return Chart(claim.id, fig, title, narrative, rows=shown, facts=facts, reporters=reporters)


BUILDERS: dict[str, Callable[[Claim, Inputs], Chart]] = {
    "declining_trend": declining_trend,
    "recovery": recovery,
    "mirror_gap": mirror_gap,
    "market_shock": market_shock,
    "partner_rank": partner_rank,
}


def chart_for(claim: Claim, inp: Inputs) -> Chart:
    """The chart for ``claim``, chosen by its rule kind."""
    return BUILDERS[claim.rule.kind](claim, inp)


def overview(inp: Inputs) -> Chart:
    """Every published turnover figure for the pair, by reporter, with the vintages marked."""
    pair = tuple(inp.claims.pair)
    rows = turnover_points(inp.panel, pair)
    fig = turnover_figure(rows, pair, inp.article_date)
    for name, when in inp.claims.vintages.items():
        _vline(fig, when, f"{name.replace('_', ' ')} {fmt.date(when)}")
    years = rows["period_start"].dt.year
    behind = rows_behind(inp.panel, rows)
    if rows.empty:
        title = f"No turnover figures for {pair[0]}–{pair[1]} in the data"
        _finish(fig, title, "Nothing to plot: the verdicts below say insufficient data")
        return Chart("overview", fig, title, [], rows=behind, reporters=[])
    title = (f"{len(rows)} turnover points for {pair[0]}–{pair[1]}, {years.min()}–{years.max()}, "
             f"from {len(behind)} published figures in {behind['source_url'].nunique()} releases")
    counts = rows["reporter"].value_counts()
    subtitle = "By whose statistics: " + ", ".join(f"{fmt.reporter(r)} {n}" for r, n in counts.items())
    _finish(fig, title, subtitle)
    return Chart("overview", fig, title, [], rows=behind, reporters=sorted(rows["reporter"].unique()))
