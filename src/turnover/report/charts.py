"""One chart per claim, chosen by the claim's rule kind.

Each builder returns a ``Chart``: the plotly figure (title = the finding, subtitle = the
measure and unit), the values it plots with their sources (``data``, the CSV under the chart),
a few computed narrative sentences, and the panel rows and context facts it shows (for the
source line). Builders only select and plot figures; ratings come from ``turnover.model``.
No pair, year or quote is written here: names come from ``names``, dates and parameters from
the claims file, numbers from the data. A chart with nothing to plot has ``empty=True`` and a
one-line ``note`` instead of an empty axis.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..claims import Claim
from ..model.shock import loss_of_value
from ..text import fmt, labels as names
from .inputs import Inputs
from .plotted import Plotted

# Okabe-Ito (colour-blind safe): one colour per reporter, kept on every chart
PAIR_COLOURS = ["#0072B2", "#D55E00"]   # first and second country of the claims file's pair
OTHER_COLOURS = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
GREY = "#767676"   # figures of unstated origin, other partners (4.5:1 on white)
KNOWN_FILL = "rgba(0,114,178,0.10)"
TEMPLATE = "simple_white"
PRESS = "official_release"   # figures quoted in public releases and the press
QUALIFIER_RANK = {"exact": 3, "approx": 2, "at_least": 1, "at_most": 1}
BOUNDS = {"at_least", "at_most"}


@dataclass
class Chart:
    claim_id: str
    fig: go.Figure
    finding: str
    narrative: list[str]
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)   # panel rows shown
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)  # context facts shown
    reporters: list[str] = field(default_factory=list)
    data: pd.DataFrame = field(default_factory=pd.DataFrame)   # plotted values with sources (CSV)
    subtitle: str = ""
    note: str = ""                                            # one line shown instead of an empty chart

    @property
    def empty(self) -> bool:
        return self.data.empty


def colour(code: str, pair) -> str:
    """The reporter's colour: the pair's two colours, then others; grey for unstated origin."""
    pair = list(pair)
    if code in pair:
        return PAIR_COLOURS[pair.index(code) % 2]
    if code in (None, "", "unknown"):
        return GREY
    return OTHER_COLOURS[sum(map(ord, code)) % len(OTHER_COLOURS)]


# ---------------------------------------------------------------- selection helpers

def _known(df: pd.DataFrame) -> pd.Series:
    return df["known_from"] if "known_from" in df else df["published_on"]


def _published_by(df: pd.DataFrame, as_of) -> pd.Series:
    k = _known(df)
    return k.notna() & (k <= pd.Timestamp(as_of))


def turnover_points(panel: pd.DataFrame, pair: tuple[str, str], lags: dict | None = None) -> pd.DataFrame:
    """Turnover points per reporter as the model sees them (duplicates collapsed, exports +
    imports where no turnover is printed, prior years implied by a printed y/y change), each
    with the panel rows behind it, whether it belongs to a primary series, and its sources."""
    from ..model.series import bilateral_turnover, empty_points, with_implied_prior

    parts = [with_implied_prior(bilateral_turnover(panel, r, lags=lags, pair=pair)) for r in [*pair, "unknown"]]
    parts = [p for p in parts if len(p)]
    pts = pd.concat(parts, ignore_index=True) if parts else empty_points()
    by_id = panel.set_index("row_id")
    url = by_id["source_url"]
    prim = by_id["primary"].fillna(False).astype(bool) if "primary" in by_id else None
    pts["source_url"] = [" ".join(sorted({url.get(i, "") for i in ids})) for ids in pts["row_ids"]]
    pts["primary"] = ([any(bool(prim.get(i, False)) for i in ids) for ids in pts["row_ids"]] if prim is not None
                      else list(pts["source_kind"] != PRESS))  # no declared primary series: statistics, not quotes
    pts["period_label"] = [fmt.period(f, s, e) for f, s, e in zip(pts["frequency"], pts["period_start"], pts["period_end"])]
    return pts.sort_values(["period_end", "reporter"]).reset_index(drop=True)


def rows_behind(panel: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    ids = {i for t in points.get("row_ids", []) for i in t}
    return panel[panel["row_id"].isin(ids)]


def _year_x(years) -> list[str]:
    """An annual value sits in the middle of its year."""
    return [f"{int(y)}-07-01" for y in years]


def _best_per_year(df: pd.DataFrame) -> pd.DataFrame:
    """One value per year: the most precise, then the latest published."""
    if df.empty:
        return df
    d = df.assign(_q=df["value_qualifier"].map(QUALIFIER_RANK).fillna(0), _k=_known(df),
                  _y=df["period_start"].dt.year)
    return d.sort_values(["_y", "_q", "_k"]).drop_duplicates("_y", keep="last").drop(columns=["_q", "_k"])


def events(inp: Inputs, claims: list[Claim] | None = None) -> list[tuple[pd.Timestamp, str]]:
    """Dated events of the claims file (rule parameters ending in ``_date``), named by the context
    fact of that date when there is one, else by the claim."""
    out = {}
    for c in claims or inp.claims.claims:
        for k, v in c.rule.params.items():
            if k.endswith("_date") and v:
                when = pd.Timestamp(v)
                f = inp.facts[inp.facts["date"] == when]
                label = (str(f.iloc[0]["subject"]).replace("_", " ") if len(f)
                         else f"{c.id.replace('-', ' ')} ({k.replace('_', ' ')})")
                out[when] = label
    return sorted(out.items())


def _rule(fig: go.Figure, when, label: str, dash: str = "dot", y: float = 1.0, xref: str = "x") -> None:
    x = pd.Timestamp(when).strftime("%Y-%m-%d")
    fig.add_shape(type="line", x0=x, x1=x, xref=xref, y0=0, y1=1, yref=f"{xref.replace('x', 'y')} domain",
                  line=dict(color="#333", width=1, dash=dash))
    fig.add_annotation(x=x, y=y, xref=xref, yref=f"{xref.replace('x', 'y')} domain", text=label,
                       showarrow=False, xanchor="left", yanchor="top", bgcolor="rgba(255,255,255,0.85)",
                       font=dict(size=11, color="#333"))


def wrap(text: str, width: int) -> str:
    """Plotly titles do not wrap: break long ones into lines with <br>."""
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def _finish(fig: go.Figure, title: str, subtitle: str, height: int = 460, legend: bool = True) -> go.Figure:
    t, s = wrap(title, 92), wrap(subtitle, 120)  # fits a 1093-pixel page (125% zoom on 1366)
    top = 36 + 22 * (t.count("<br>") + 1) + 19 * (s.count("<br>") + 1)
    fig.update_layout(
        title=dict(text=t, subtitle=dict(text=s, font=dict(size=13, color="#444")), x=0.01, xanchor="left",
                   y=1 - 12 / (height + top - 90), yanchor="top", yref="container", font=dict(size=16)),
        template=TEMPLATE, height=height + top - 90, margin=dict(t=top, l=60, r=150, b=50), showlegend=legend,
        legend=dict(orientation="h", yanchor="top", y=-0.1, x=0), hovermode="closest",
        font=dict(family="system-ui, sans-serif", size=13),
    )
    return fig


def _chart(claim_id: str, fig: go.Figure, plotted: Plotted, title: str, subtitle: str, narrative: list[str],
           note: str, **kw) -> Chart:
    return Chart(claim_id, fig, title, narrative, data=plotted.table(), subtitle=subtitle,
                 note=note if plotted.empty else "", **kw)


def _frame(d: pd.DataFrame, x, y, reporter, period, qualifier, source_kind, source) -> pd.DataFrame:
    return pd.DataFrame({"reporter": reporter, "x": x, "y": y, "period": period, "qualifier": qualifier,
                         "source_kind": source_kind, "source": source}, index=d.index)


# ---------------------------------------------------------------- turnover over time

def bilateral_share(panel: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Each primary annual point's share of its reporter's total trade (partner ``WLD``, same
    reporter, source and year), in %; empty without totals in the panel."""
    tot = panel[(panel["partner"] == "WLD") & (panel["country"] == panel["reporter"]) & panel["value_usd"].notna()
                & (panel["period_end"] - panel["period_start"] > pd.Timedelta(days=360))]
    if tot.empty or points.empty:
        return pd.DataFrame()
    tot = tot.assign(year=tot["period_start"].dt.year).drop_duplicates(["reporter", "source_kind", "flow", "year"])
    wide = tot.pivot_table(index=["reporter", "source_kind", "year"], columns="flow", values="value_usd", aggfunc="first")
    total = wide.get("turnover", pd.Series(index=wide.index, dtype=float))
    if {"export", "import"} <= set(wide.columns):
        total = total.fillna(wide["export"] + wide["import"])
    src = tot.groupby(["reporter", "source_kind", "year"])["source_url"].first()
    out = []
    for _, p in points.iterrows():
        key = (p["reporter"], p["source_kind"], p["period_start"].year)
        t = total.get(key)
        if t is not None and pd.notna(t) and t > 0:
            out.append({"reporter": p["reporter"], "year": key[2], "share": p["value_usd"] / t * 100,
                        "total_usd": t, "source_kind": key[1], "source": f"{p['source_url']} {src.get(key, '')}".strip()})
    return pd.DataFrame(out)


def _change(a: pd.Series, b: pd.Series) -> str:
    """'fell 41% from 2013 to 2015' between two annual points of one series (bounds: no %)."""
    ya, yb = a["period_start"].year, b["period_start"].year
    va, vb = a["value_usd"], b["value_usd"]
    if a["value_qualifier"] in BOUNDS or b["value_qualifier"] in BOUNDS:
        return (f"went from {fmt.usd(va, a['value_qualifier'])} in {ya} "
                f"to {fmt.usd(vb, b['value_qualifier'])} in {yb}")
    pct = (vb - va) / va * 100
    verb = "fell" if pct < 0 else "rose"
    about = "about " if "approx" in (a["value_qualifier"], b["value_qualifier"]) else ""
    return (f"{verb} {about}{abs(pct):.0f}% from {ya} ({fmt.usd(va, a['value_qualifier'])}) "
            f"to {yb} ({fmt.usd(vb, b['value_qualifier'])})")


def _series_for(pts: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """A reporter's annual series: its primary series when it has one, else its press figures."""
    mine = pts[(pts["reporter"] == reporter) & (pts["frequency"] == "annual") & pts["value_usd"].notna()]
    prim = mine[mine["primary"]]
    return _best_per_year(prim if len(prim) else mine)


def turnover_figure(inp: Inputs, pts: pd.DataFrame, as_of, start_year: int | None = None,
                    event_marks: list | None = None) -> tuple[go.Figure, Plotted, pd.DataFrame]:
    """Annual bilateral turnover: a line per reporter (primary series), other sources faint,
    press figures as labelled dots, the as-of date as a rule with the period known then shaded;
    the bilateral share of each reporter's total trade in a small panel below when the panel
    holds totals. Returns the figure, what it plots and the points shown."""
    pair = tuple(inp.claims.pair)
    annual = pts[(pts["frequency"] == "annual") & pts["value_usd"].notna()]
    if start_year is not None:
        annual = annual[annual["period_start"].dt.year >= start_year]
    share = bilateral_share(inp.panel, annual[annual["primary"]])
    fig = (make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.1,
                         subplot_titles=("", "Share of each reporter's total goods trade, %"))
           if len(share) else go.Figure())
    plotted = Plotted()
    row = dict(row=1, col=1) if len(share) else {}
    reporters = sorted(annual["reporter"].unique(), key=lambda r: (r not in pair, r))
    for rep in reporters:
        mine = annual[annual["reporter"] == rep]
        c = colour(rep, pair)
        who = names.reporter_short(rep)
        # other statistical sources: faint lines
        for kind, g in mine[~mine["primary"] & (mine["source_kind"] != PRESS)].groupby("source_kind"):
            g = _best_per_year(g)
            plotted.add(fig, go.Scatter(mode="lines", line=dict(color=c, width=1), opacity=0.35,
                                        name=f"{who}, {kind} (other source)", legendgroup=rep, showlegend=False,
                                        hovertemplate=f"{who}, {kind}: " + "%{y:,.0f} mn<extra></extra>"),
                        _frame(g, _year_x(g["period_start"].dt.year), g["value_usd"] / 1e6, rep, g["period_label"],
                               g["value_qualifier"], kind, g["source_url"]),
                        f"{who}: other source ({kind})", "USD million", **row)
        prim = _best_per_year(mine[mine["primary"]])
        if len(prim):
            plotted.add(fig, go.Scatter(mode="lines+markers", line=dict(color=c, width=2.5), marker=dict(size=5),
                                        name=who, legendgroup=rep, showlegend=False,
                                        hovertemplate=f"{who}: " + "%{y:,.0f} mn<extra></extra>"),
                        _frame(prim, _year_x(prim["period_start"].dt.year), prim["value_usd"] / 1e6, rep,
                               prim["period_label"], prim["value_qualifier"], prim["source_kind"], prim["source_url"]),
                        f"{who}: official series", "USD million", **row)
            last = prim.iloc[-1]
            fig.add_annotation(x=_year_x([last["period_start"].year])[0], y=last["value_usd"] / 1e6, text=f"<b>{who}</b>",
                               showarrow=False, xanchor="left", xshift=8, font=dict(color=c, size=13),
                               **({"xref": "x", "yref": "y"}))
        press = mine[~mine["primary"] & (mine["source_kind"] == PRESS)]
        if len(press):
            press = _best_per_year(press)
            labels = [fmt.QUALIFIER_SIGN.get(q, "") + f"{v / 1e6:,.0f}" for v, q in zip(press["value_usd"], press["value_qualifier"])]
            plotted.add(fig, go.Scatter(mode="markers+text", text=labels, textposition="top center",
                                        textfont=dict(size=10, color=c),
                                        marker=dict(color="#fff", size=9, line=dict(color=c, width=2),
                                                    symbol=["triangle-up" if q == "at_least" else "triangle-down"
                                                            if q == "at_most" else "circle"
                                                            for q in press["value_qualifier"]]),
                                        name=f"press figures, {who}", legendgroup="press",
                                        hovertemplate="%{text}, " + f"{who}<extra>press</extra>"),
                        _frame(press, _year_x(press["period_start"].dt.year), press["value_usd"] / 1e6, rep,
                               press["period_label"], press["value_qualifier"], PRESS, press["source_url"]),
                        f"{who}: press figure", "USD million", **row)
    for rep, g in share.groupby("reporter", sort=False) if len(share) else []:
        who = names.reporter_short(rep)
        g = g.sort_values("year")
        plotted.add(fig, go.Scatter(mode="lines", line=dict(color=colour(rep, pair), width=2), name=f"{who}: share",
                                    showlegend=False, hovertemplate=f"{who}: " + "%{y:.2f}%<extra></extra>"),
                    pd.DataFrame({"reporter": rep, "x": _year_x(g["year"]), "y": g["share"], "period": g["year"].astype(str),
                                  "qualifier": "exact", "source_kind": g["source_kind"], "source": g["source"]}),
                    f"{who}: share of total trade", "% of the reporter's total goods trade", row=2, col=1)
    if not plotted.empty:
        known = annual[_published_by(annual, as_of)]
        if len(known):
            x0 = annual["period_start"].min().strftime("%Y-%m-%d")
            x1 = known["period_end"].max().strftime("%Y-%m-%d")
            fig.add_shape(type="rect", x0=x0, x1=x1, xref="x", y0=0, y1=1, yref="paper", fillcolor=KNOWN_FILL,
                          line_width=0, layer="below")
            fig.add_annotation(x=x0, y=0.02, xref="x", yref="y domain", text=f"published by {fmt.date(as_of)}",
                               showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11, color="#0b4f7c"))
        _rule(fig, as_of, f"article {fmt.date(as_of)}")
        for when, label in event_marks or []:
            if annual["period_start"].min() <= when:
                _rule(fig, when, f"{label} {fmt.date(when)}", dash="dash", y=0.88)
        fig.update_yaxes(title_text="USD million", range=[0, annual["value_usd"].max() / 1e6 * 1.15], **row)
        fig.update_xaxes(tickformat="%Y", dtick="M24")
    return fig, plotted, annual


def _turnover_height(plotted: Plotted) -> int:
    return 600 if any(len(f) and f["unit"].iloc[0].startswith("%") for f in plotted.frames) else 470


def _shown_rows(inp: Inputs, annual: pd.DataFrame) -> pd.DataFrame:
    return rows_behind(inp.panel, annual)


SUBTITLE_TURNOVER = ("Goods turnover (exports + imports), USD million, as each country records it; lines: official "
                     "series, dots: figures quoted in releases; shaded: published by")


def declining_trend(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    as_of = inp.article_date
    pts = turnover_points(inp.panel, pair, claim.rule.params.get("publication_lag_days"))
    w = claim.window
    fig, plotted, annual = turnover_figure(inp, pts, as_of, start_year=w.start - 4, event_marks=events(inp))
    in_window = annual[(annual["period_start"].dt.year >= w.start) & (annual["period_end"].dt.year <= w.end)]
    known = in_window[_published_by(in_window, as_of)]
    pair_name = names.pair(pair)
    narrative = []
    title = None
    for data, when in ((known, f"published by {fmt.date(as_of)}"), (in_window, f"published after {fmt.date(as_of)}")):
        parts = []
        for rep in [*pair, "unknown"]:
            s = _series_for(data, rep)
            if len(s) >= 2 and (rep != "unknown" or not parts):  # unstated origin only when no named reporter
                last = s.iloc[-1]
                before = s.iloc[:-1]
                peak = before.loc[before["value_usd"].idxmax()]
                parts.append(f"{_change(peak, last)} on {names.reporter(rep)}")
        if parts:
            title = f"{pair_name} turnover " + "; ".join(parts) + ("" if data is known else f" (figures {when})")
            narrative.append(f"Compared: each reporter's highest year from {w.start} with its latest year "
                             f"{when}, within its own series.")
            break
    if title is None:
        title = (f"Fewer than two annual {pair_name} turnover figures of one reporter in {w.start}–{w.end}"
                 if len(annual) else f"No annual {pair_name} turnover figure in the data")
    recent = pts["period_end"] >= pd.Timestamp(as_of) - pd.DateOffset(months=15)  # "latest" means recent
    yoy = pts[pts["yoy_pct"].notna() & (pts["frequency"] != "annual") & _published_by(pts, as_of) & recent]
    if len(yoy):
        r = yoy.assign(_k=_known(yoy)).sort_values(["period_end", "_k"]).iloc[-1]
        narrative.append(f"Latest part-year change published by {fmt.date(as_of)}: {r['period_label']} "
                         f"{fmt.pct(r['yoy_pct'], qualifier=r['yoy_qualifier'])} on a year earlier "
                         f"({names.reporter(r['reporter'])}); part-year values are not plotted against annual totals.")
    subtitle = f"{SUBTITLE_TURNOVER} {fmt.date(as_of)}"
    _finish(fig, title, subtitle, height=_turnover_height(plotted))
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  f"No annual turnover figure for {pair_name} in the data, so there is nothing to draw.",
                  rows=_shown_rows(inp, annual), reporters=sorted(annual["reporter"].unique()))


def recovery(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    p = claim.rule.params
    event = pd.Timestamp(p.get("event_date", inp.article_date))
    trough_y, ref_y = p.get("trough_year"), p.get("reference_year")
    pts = turnover_points(inp.panel, pair, p.get("publication_lag_days"))
    w = claim.window
    fig, plotted, annual = turnover_figure(inp, pts, inp.article_date, start_year=w.start - 2,
                                           event_marks=events(inp, [claim]))
    pair_name = names.pair(pair)
    parts, narrative = [], []
    for rep in pair:
        s = _series_for(annual, rep)
        s = s.set_index(s["period_start"].dt.year)
        after = s[s["period_start"] > event]
        if after.empty:
            continue
        latest = after.iloc[-1]
        trough = s.loc[trough_y] if trough_y in s.index else None
        ref = s.loc[ref_y] if ref_y in s.index else None
        exact = latest["value_qualifier"] not in BOUNDS
        if ref is not None and exact and ref["value_qualifier"] not in BOUNDS:
            parts.append(f"{latest['value_usd'] / ref['value_usd'] * 100:.0f}% of its {ref_y} level in "
                         f"{latest['period_start'].year} on {names.reporter(rep)}")
        elif trough is not None:
            parts.append(f"{_change(trough, latest)} on {names.reporter(rep)}")
        if trough is not None and ref is not None:
            narrative.append(f"{names.reporter(rep).capitalize()}: {_change(trough, latest)}.")
    label = next((lbl for when, lbl in events(inp, [claim]) if when == event), "event")
    if parts:
        title = (f"After the {label} ({fmt.date(event)}), {pair_name} turnover " +
                 ("was at " if "level" in parts[0] else "") + "; ".join(parts))
    elif len(annual[annual["period_start"] > event]):
        title = f"After the {label} ({fmt.date(event)}) only figures that cannot be compared with the {trough_y} level"
    else:
        title = f"No annual {pair_name} turnover figure after the {label} ({fmt.date(event)}) in the data"
    bounds = annual[(annual["period_start"] > event) & annual["value_qualifier"].isin(BOUNDS)]
    if len(bounds):
        narrative.append(f"{len(bounds)} figure(s) after the {label} are printed only as bounds "
                         "(\"more than\" / \"less than\", triangles); a bound gives no percentage.")
    subtitle = f"{SUBTITLE_TURNOVER} {fmt.date(inp.article_date)}"
    _finish(fig, title, subtitle, height=_turnover_height(plotted))
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  f"No annual turnover figure for {pair_name} in the data, so there is nothing to draw.",
                  rows=_shown_rows(inp, annual), reporters=sorted(annual["reporter"].unique()))


# ---------------------------------------------------------------- mirror statistics

def _flow_series(panel: pd.DataFrame, country: str, partner: str, flow: str) -> pd.DataFrame:
    """One annual series of a flow as ``country`` itself records it: primary rows when declared,
    else statistical sources before press quotes; one value per year."""
    d = panel[(panel["country"] == country) & (panel["partner"] == partner) & (panel["flow"] == flow)
              & (panel["reporter"] == country) & panel["value_usd"].notna()
              & (panel["period_end"] - panel["period_start"] > pd.Timedelta(days=360))]
    if "primary" in d and d["primary"].fillna(False).any():
        d = d[d["primary"].fillna(False).astype(bool)]
    elif (d["source_kind"] != PRESS).any():
        d = d[d["source_kind"] != PRESS]
    d = d.assign(period_label=d["period_start"].dt.year.astype(str))
    return _best_per_year(d)


def mirror_gap(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    low, tol = (float(x) for x in claim.rule.params.get("band_pct") or (0, claim.rule.params.get("tolerance_pct", 10)))
    w = claim.window
    directions = [pair, pair[::-1]]
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.16, shared_xaxes=True,
                        subplot_titles=[f"Goods from {names.country(e)} to {names.country(i)}" for e, i in directions])
    plotted, shown, narrative, outside, matched = Plotted(), [], [], [], 0
    for k, (exp, imp) in enumerate(directions, start=1):
        ex = _flow_series(inp.panel, exp, imp, "export")
        im = _flow_series(inp.panel, imp, exp, "import")
        ex = ex[ex["period_start"].dt.year >= w.start - 2]
        im = im[im["period_start"].dt.year >= w.start - 2]
        shown += [ex, im]
        if len(ex):
            band = ex.sort_values("period_start")
            x = _year_x(band["period_start"].dt.year)
            base = dict(reporter=exp, period=band["period_label"], qualifier=band["value_qualifier"],
                        source_kind=band["source_kind"], source=band["source_url"])
            plotted.add(fig, go.Scatter(mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"),
                        pd.DataFrame({**base, "x": x, "y": band["value_usd"] / 1e6 * (1 + low / 100)}),
                        f"{names.country(exp)}→{names.country(imp)}: band low (exports {low:+g}%)", "USD million",
                        row=k, col=1)
            plotted.add(fig, go.Scatter(mode="lines", line=dict(width=0), fill="tonexty", fillcolor="rgba(0,0,0,0.10)",
                                        name=f"usual CIF/FOB margin ({low:+g}% to {tol:+g}%)", legendgroup="band",
                                        showlegend=k == 1, hoverinfo="skip"),
                        pd.DataFrame({**base, "x": x, "y": band["value_usd"] / 1e6 * (1 + tol / 100)}),
                        f"{names.country(exp)}→{names.country(imp)}: band high (exports + {tol:g}%)", "USD million",
                        row=k, col=1)
        for d, who, what in ((ex, exp, "exports (FOB)"), (im, imp, "imports (CIF)")):
            if d.empty:
                continue
            d = d.sort_values("period_start")
            label = f"{names.country(who)}'s {what}"
            plotted.add(fig, go.Scatter(mode="lines+markers", line=dict(color=colour(who, pair), width=2.5,
                                                                           dash="solid" if what.startswith("exp") else "dot"),
                                        marker=dict(size=6), name=label, legendgroup=who,
                                        hovertemplate=f"{label}: " + "%{y:,.0f} mn<extra></extra>"),
                        _frame(d, _year_x(d["period_start"].dt.year), d["value_usd"] / 1e6, who, d["period_label"],
                               d["value_qualifier"], d["source_kind"], d["source_url"]),
                        f"{names.country(exp)}→{names.country(imp)}: {label}", "USD million", row=k, col=1)
        m = ex.assign(year=ex["period_start"].dt.year).merge(im.assign(year=im["period_start"].dt.year), on="year",
                                                             suffixes=("_e", "_i"))
        m = m[(m["year"] >= w.start) & (m["year"] <= w.end)]
        matched += len(m)
        for _, r in m.iterrows():
            gap = (r["value_usd_i"] - r["value_usd_e"]) / r["value_usd_e"] * 100
            if gap < low or gap > tol:
                outside.append((f"{names.country(exp)}→{names.country(imp)} {r['year']}", gap))
    fig.update_yaxes(title_text="USD million", rangemode="tozero")
    fig.update_xaxes(tickformat="%Y", dtick="M12", showticklabels=True)
    if matched:
        title = (f"In {len(outside)} of {matched} years the importer's figure lies outside the usual "
                 f"CIF/FOB margin ({low:+g}% to {tol:+g}% against the exporter's)")
        if outside:
            worst = max(outside, key=lambda t: abs(t[1]))
            narrative.append(f"Largest departure: {worst[0]}, imports {fmt.pct(worst[1])} against exports.")
    else:
        title = "No year has both countries' figures for the same flow, so the gap cannot be measured"
    subtitle = ("Exports as the exporter records them (FOB, solid) and imports as the importer records them "
                f"(CIF, dotted), USD million per year; grey band: the usual margin, exports {low:+g}% to {tol:+g}%")
    _finish(fig, title, subtitle, height=600)
    rows = pd.concat(shown) if shown else pd.DataFrame()
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  f"Neither country's annual exports to or imports from the other are in the data for {names.pair(pair)}.",
                  rows=rows, reporters=sorted(rows["reporter"].unique()) if len(rows) else [])


# ---------------------------------------------------------------- context facts

def market_shock(claim: Claim, inp: Inputs) -> Chart:
    p = claim.rule.params
    pair = tuple(inp.claims.pair)
    countries = p.get("countries", list(pair))
    threshold = p.get("min_devaluation_pct")
    months = int(p.get("lookback_months", 24))
    as_of = pd.Timestamp(inp.article_date)
    start = as_of - pd.DateOffset(months=months)
    f = inp.facts
    dev = f[(f["topic"] == "currency") & (f["unit"] == "pct_devaluation") & f["country"].isin(countries)
            & f["value"].notna()].sort_values("date")
    defs = dev["definition"] if "definition" in dev else pd.Series("loss_of_value", index=dev.index)
    dev = dev.assign(loss=[loss_of_value(v, d) for v, d in zip(dev["value"], defs)], definition=defs)
    dev = dev[dev["loss"].notna()]
    fig, plotted = go.Figure(), Plotted()
    for c in countries:
        d = dev[dev["country"] == c]
        if d.empty:
            continue
        labels = [f"{s} −{v:.0f}%" for s, v in zip(d["subject"], d["loss"])]
        plotted.add(fig, go.Scatter(mode="markers+text", text=labels, textposition="middle right",
                                    textfont=dict(color=colour(c, pair), size=11),
                                    marker=dict(size=11, color=colour(c, pair)), name=names.country(c),
                                    hovertemplate="%{x|%Y-%m-%d}: %{text}<extra>" + names.country(c) + "</extra>"),
                    pd.DataFrame({"reporter": c, "x": d["date"].dt.strftime("%Y-%m-%d"), "y": d["loss"],
                                  "period": d["date"].dt.strftime("%Y-%m-%d"),
                                  "qualifier": [f"as printed: {v:g}% ({str(x).replace('_', ' ')})"
                                                for v, x in zip(d["value"], d["definition"])],
                                  "source_kind": "context fact", "source": d["source_url"]}),
                    f"{names.country(c)}: devaluation", "% of value lost against the US dollar")
    window = dev[(dev["date"] > start) & (dev["date"] <= as_of)]
    parts = []
    for c in countries:
        d = window[window["country"] == c]
        if len(d):
            top = d.loc[d["loss"].idxmax()]
            parts.append(f"the {top['subject']} ({names.country(c)}) lost {top['loss']:.0f}% of its value on {fmt.date(top['date'])}")
        else:
            parts.append(f"no devaluation of {names.country(c)}'s currency in the data")
    title = f"In the {months} months before {fmt.date(as_of)}: " + "; ".join(parts)
    subtitle = ("Devaluations against the US dollar, % of value lost (a printed rise of the rate r% is a loss of "
                "1 − 1/(1 + r)), at their dates; shaded: the rule's look-back")
    narrative = []
    if not plotted.empty:
        fig.add_shape(type="rect", x0=start.strftime("%Y-%m-%d"), x1=as_of.strftime("%Y-%m-%d"), xref="x", y0=0, y1=1,
                      yref="paper", fillcolor=KNOWN_FILL, line_width=0, layer="below")
        if threshold is not None:
            fig.add_hline(y=threshold, line=dict(color="#333", dash="dash", width=1),
                          annotation_text=f"rule: at least {threshold}%", annotation_position="bottom left")
        _rule(fig, as_of, f"article {fmt.date(as_of)}")
        fig.update_yaxes(title_text="% lost against USD", rangemode="tozero")
        fig.update_xaxes(range=[(dev["date"].min() - pd.DateOffset(months=6)).strftime("%Y-%m-%d"),
                                (max(dev["date"].max(), as_of) + pd.DateOffset(months=10)).strftime("%Y-%m-%d")])
        narrative.append("No exchange-rate series is in the data: the chart shows each devaluation the releases "
                         "state, at its date, as a loss of value against the US dollar.")
    other = f[(f["topic"] == "currency") & f["country"].isin(countries) & ~f["fact_id"].isin(dev["fact_id"])]
    for _, r in other.iterrows():
        narrative.append(f"Not plotted (not a loss of value): {r['statement']}")
    _finish(fig, title, subtitle, height=420)
    shown = pd.concat([dev, other])
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  "No devaluation of " + fmt.join([names.country(c) for c in countries], "or") + "'s currency is in the data.",
                  facts=shown, reporters=["stated in releases"])


def partner_shares(panel: pd.DataFrame, country: str, start: int, end: int) -> tuple[int, pd.DataFrame] | None:
    """Each partner country's share of ``country``'s goods trade (its own annual statistics, exports
    + imports, else turnover) in the latest year of [start, end] with a World total and two or more
    partners. Returns (year, frame of partner, value_usd, share, rank, source) largest first."""
    p = panel[(panel["country"] == country) & (panel["reporter"] == country) & panel["value_usd"].notna()
              & (panel["period_end"] - panel["period_start"] > pd.Timedelta(days=360))]
    p = p[(p["period_end"].dt.year >= start) & (p["period_end"].dt.year <= end)]
    if "primary" in p and p["primary"].fillna(False).any():
        p = p[p["primary"].fillna(False).astype(bool)]
    for year in sorted(p["period_end"].dt.year.unique(), reverse=True):
        y = p[p["period_end"].dt.year == year].drop_duplicates(["partner", "flow"])
        values = {}
        for partner, g in y.groupby("partner"):
            flows = dict(zip(g["flow"], g["value_usd"]))
            v = flows["export"] + flows["import"] if {"export", "import"} <= flows.keys() else flows.get("turnover")
            if v is not None:
                values[partner] = (float(v), " ".join(sorted(set(g["source_url"]))), g["source_kind"].iloc[0],
                                   tuple(g["row_id"]))
        world = values.pop("WLD", None)
        kinds = dict(zip(y["partner"], y["partner_kind"])) if "partner_kind" in y else {}
        countries = {k: v for k, v in values.items() if kinds.get(k, "country") == "country" and k not in names.AGGREGATES}
        if world and len(countries) >= 2:
            t = pd.DataFrame([{"partner": k, "value_usd": v[0], "share": v[0] / world[0] * 100, "source": v[1],
                               "source_kind": v[2], "row_ids": v[3] + world[3]} for k, v in countries.items()])
            t = t.sort_values("value_usd", ascending=False).reset_index(drop=True)
            t["rank"] = range(1, len(t) + 1)
            return int(year), t
    return None


def partner_rank(claim: Claim, inp: Inputs) -> Chart:
    p = claim.rule.params
    pair = tuple(inp.claims.pair)
    countries = p.get("countries", list(pair))
    partners = p.get("partners", [])
    top_n = int(p.get("top_n", 3))
    f = inp.facts
    stats = {c: partner_shares(inp.panel, c, claim.window.start, claim.window.end) for c in countries}
    plotted, parts, narrative, shown_rows = Plotted(), [], [], []
    have = [c for c in countries if stats.get(c)]
    facts = f[(f["topic"] == "partner_share") & f["country"].isin(countries) & f["value"].notna()
              & (f["unit"] == "pct_of_total_trade")]
    if have:
        fig = make_subplots(rows=1, cols=len(have), horizontal_spacing=0.22,
                            subplot_titles=[f"{names.country(c)}, {stats[c][0]}" for c in have])
        for j, c in enumerate(have, start=1):
            year, t = stats[c]
            keep = t[(t["rank"] <= max(top_n + 5, 8)) | t["partner"].isin(partners)].iloc[::-1]
            named = keep["partner"].isin(partners)
            labels = [f"#{r} {names.country(x)}" for r, x in zip(keep["rank"], keep["partner"])]
            plotted.add(fig, go.Bar(orientation="h", marker_color=[colour(c, pair) if n else "#c8c8c8" for n in named],
                                    text=[f"{s:.1f}%" for s in keep["share"]], textposition="outside",
                                    cliponaxis=False, showlegend=False, name=names.country(c),
                                    hovertemplate="%{y}: %{x:.1f}% of trade<extra></extra>"),
                        pd.DataFrame({"reporter": c, "x": keep["share"].values, "y": labels, "period": str(year),
                                      "qualifier": "exact", "source_kind": keep["source_kind"].values,
                                      "source": keep["source"].values}),
                        f"{names.country(c)}: share of trade by partner", "% of the country's goods trade", row=1, col=j)
            bits = [f"{names.country(x)} #{int(t.loc[t['partner'] == x, 'rank'].iloc[0])}" if (t["partner"] == x).any()
                    else f"{names.country(x)} not listed" for x in partners]
            parts.append(f"{names.country(c)} ({year}): " + ", ".join(bits))
            shown_rows.append(inp.panel[inp.panel["row_id"].isin({i for ids in keep["row_ids"] for i in ids})])
        # the x/y of a horizontal bar: CSV x holds the share, y the partner label
        fig.update_xaxes(title_text="% of goods trade", rangemode="tozero")
        title = f"Rank by share of goods trade, top {top_n} per the rule — " + "; ".join(parts)
        subtitle = "Each partner's share of the country's goods trade (exports + imports), %, its own statistics; the claim's partners in colour"
    else:
        fig = go.Figure()
        for c in countries:
            d = facts[facts["country"] == c].sort_values("value")
            if d.empty:
                continue
            labels = [f"{names.country(s)} ({t:%Y})" for s, t in zip(d["subject"], d["date"])]
            plotted.add(fig, go.Bar(orientation="h", name=names.country(c),
                                    marker_color=[colour(c, pair) if s in partners else "#c8c8c8" for s in d["subject"]],
                                    marker_line=dict(color=colour(c, pair), width=1.5),
                                    text=[f"{v:g}%" for v in d["value"]], textposition="outside", cliponaxis=False,
                                    hovertemplate="%{y}: %{x}%<extra>" + names.country(c) + "</extra>"),
                        pd.DataFrame({"reporter": c, "x": d["value"].values, "y": [f"{names.country(c)}: {x}" for x in labels],
                                      "period": d["date"].dt.year.astype(str).values, "qualifier": "as stated",
                                      "source_kind": "context fact", "source": d["source_url"].values}),
                        f"{names.country(c)}: stated shares", "% of the country's total trade, as stated")
            best = d.sort_values("date").groupby("subject").last()
            named = [f"{names.country(x)} {best.loc[x, 'value']:g}% ({best.loc[x, 'date']:%Y})" for x in partners if x in best.index]
            parts.append(f"{names.country(c)}: " + (", ".join(named) if named else "no stated share for "
                                                     + fmt.join([names.country(x) for x in partners], "or")))
        title = "No partner-by-partner statistics in the data; shares as officials stated them — " + "; ".join(parts)
        subtitle = "Share of the country's total trade as stated in releases, %, with the year it refers to; the claim's partners filled"
        fig.update_xaxes(title_text="% of total trade, as stated", rangemode="tozero")
    ranks = f[(f["topic"] == "partner_rank") & f["country"].isin(countries) & f["subject"].isin(partners)]
    for _, r in ranks.sort_values("date").iterrows():
        narrative.append(f"Stated rank ({fmt.date(r['date'])}): "
                         f"{names.country(r['subject'])} #{r['value']:.0f} for {names.country(r['country'])}.")
    _finish(fig, title, subtitle, height=max(380, 40 + 34 * max((len(x) for x in plotted.frames), default=6)), legend=False)
    fig.update_layout(margin=dict(r=60, l=150))
    rows = pd.concat(shown_rows) if shown_rows else pd.DataFrame()
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  "No partner shares for " + fmt.join([names.country(c) for c in countries], "or") + " are in the data.",
                  rows=rows, facts=facts if not have else pd.DataFrame(),
                  reporters=sorted(rows["reporter"].unique()) if len(rows) else ["stated in releases"])


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
