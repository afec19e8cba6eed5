"""One chart per claim, chosen by the claim's rule kind.

Each builder returns a ``Chart``: the plotly figure (title = the finding, subtitle = the
measure and unit), the values it plots with their sources (``data``, the CSV under the chart),
a few narrative sentences, and the panel rows and context facts it shows (for the source
line). Builders compute no statistic: they plot the tables the model's verdicts carry
(``model.results``: turnover points, bilateral shares, partner ranks, devaluation events,
mirror flow-years) and state the verdicts' own figures; the panel is read only for each value's
source URL. The turnover and mirror charts draw the tables of the claim's latest vintage (what is
known now) and state the figures of the article's vintage. No pair, year or quote is written
here: names come from ``text``, dates and parameters from the claims file, numbers from the
verdicts. A chart with nothing to plot has ``empty=True`` and a one-line ``note`` instead of an
empty axis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..claims import Claim
from ..model.results import DeclineFacts, MirrorFacts, RecoveryFacts, ShockFacts, Unrated, Verdict
from ..text import charts as words, fmt, labels as names, render
from .inputs import Inputs
from .plotted import Plotted

# Okabe-Ito (colour-blind safe, without yellow and black): one colour per country by its ISO3 code,
# the same in every report and pair (see ``colour``)
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
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


@dataclass(frozen=True)
class UsdScale:
    """The unit of a chart's USD axis, chosen by the largest value shown: millions up to USD 2 bn
    (an axis in billions would only read 0.5, 1.0, 1.5), billions above."""

    div: float
    unit: str       # axis title and CSV unit
    short: str      # in hover and labels
    digits: int

    def label(self, usd: float) -> str:
        return f"{usd / self.div:,.{self.digits}f}"


MN = UsdScale(1e6, "USD million", "mn", 0)
BN = UsdScale(1e9, "USD billion", "bn", 1)


def usd_scale(max_usd: float) -> UsdScale:
    return BN if pd.notna(max_usd) and max_usd > 2e9 else MN


def _home(code: str) -> int:
    # a fixed salted hash (chosen so that the project's countries BLR, KAZ, RUS, CHN, UKR differ)
    return int(hashlib.sha256(f"okabe-ito:1:{code}".encode()).hexdigest(), 16) % len(PALETTE)


def colour(code: str, pair) -> str:
    """A country's colour, fixed by its ISO3 code (hashed into ``PALETTE``) so that a country keeps
    its colour across reports and pairs; grey for unstated origin. The pair's two countries are
    first-class: they always have their own colours, and another country whose colour is taken by
    one of them moves to the next free one (only then does its colour depend on the pair)."""
    pair = [c for c in pair if c not in (None, "", "unknown")]
    if code in (None, "", "unknown"):
        return GREY
    taken: list[int] = []
    for c in pair[:2]:  # the pair first, in order
        i = _home(c)
        while i in taken:
            i = (i + 1) % len(PALETTE)
        if c == code:
            return PALETTE[i]
        taken.append(i)
    i = _home(code)
    while i in taken:
        i = (i + 1) % len(PALETTE)
    return PALETTE[i]


# ---------------------------------------------------------------- selection helpers

def _known(df: pd.DataFrame) -> pd.Series:
    return df["known_from"] if "known_from" in df else df["published_on"]


def _published_by(df: pd.DataFrame, as_of) -> pd.Series:
    k = _known(df)
    return k.notna() & (k <= pd.Timestamp(as_of))


def _vintage_order(inp: Inputs, claim: Claim) -> list[str]:
    """The claim's vintages, earliest as-of date first."""
    return sorted(claim.vintages, key=lambda v: (inp.as_of(v), v))


def latest_vintage(inp: Inputs, claim: Claim) -> str:
    """The claim's vintage with the latest as-of date (what is known now): its tables are drawn."""
    return _vintage_order(inp, claim)[-1]


def article_vintage(inp: Inputs, claim: Claim) -> str:
    """The claim's vintage of the article's date (else its earliest): its figures are stated."""
    order = _vintage_order(inp, claim)
    return next((v for v in order if inp.as_of(v) == inp.article_date), order[0])


def _parts(inp: Inputs, claim: Claim, vintage: str) -> dict[str, Verdict]:
    top = inp.verdict(claim.id, vintage)
    if top is not None and top.parts:
        return top.parts
    return {v.reporter: v for v in inp.verdicts_for(claim.id) if v.vintage == vintage and v.reporter != "all"}


def _urls(by_id: pd.Series, ids) -> str:
    return " ".join(sorted({by_id.get(i, "") for i in ids} - {""}))


def turnover_points(inp: Inputs, claim: Claim) -> pd.DataFrame:
    """The model's annual turnover points of the claim's latest vintage, every reporter (the
    ``turnover`` tables of its verdicts), each with its source URLs and period label. The line of
    a reporter is its series as the rule read it (``primary``); figures quoted in releases and
    figures whose reporter is not stated are drawn as dots even when the rule read them as a series."""
    parts = _parts(inp, claim, latest_vintage(inp, claim))
    tables = [v.tables["turnover"] for r, v in parts.items() if "turnover" in v.tables and len(v.tables["turnover"])]
    if not tables:
        dates = {c: pd.Series(dtype="datetime64[ns]") for c in ("period_start", "period_end", "known_from")}
        return pd.DataFrame({**{c: pd.Series(dtype=object) for c in (
            "reporter", "source_kind", "value_qualifier", "basis", "row_ids", "frequency", "source_url", "period_label")},
            **dates, "value_usd": pd.Series(dtype=float), "primary": pd.Series(dtype=bool)})
    pts = pd.concat(tables, ignore_index=True)
    by_id = inp.panel.set_index("row_id")["source_url"] if len(inp.panel) else pd.Series(dtype=object)
    pts["primary"] = pts["primary"].astype(bool) & (pts["reporter"] != "unknown") & (pts["source_kind"] != PRESS)
    pts["frequency"] = "annual"
    pts["source_url"] = [_urls(by_id, ids) for ids in pts["row_ids"]]
    pts["period_label"] = [str(ts.year) for ts in pts["period_start"]]
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
        for k, v in c.rule:
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

def shares(inp: Inputs, claim: Claim) -> pd.DataFrame:
    """The model's bilateral share of each reporter's total trade (the ``shares`` tables of the
    claim's latest vintage), with the source URLs of the total and the bilateral value."""
    parts = _parts(inp, claim, latest_vintage(inp, claim))
    tables = [v.tables["shares"].assign(reporter=r) for r, v in parts.items()
              if "shares" in v.tables and len(v.tables["shares"])]
    if not tables:
        return pd.DataFrame()
    t = pd.concat(tables, ignore_index=True)
    by_id = inp.panel.set_index("row_id")["source_url"] if len(inp.panel) else pd.Series(dtype=object)
    t["source"] = [_urls(by_id, (*a, *b)) for a, b in zip(t["bilateral_row_ids"], t["row_ids"])]
    return t


def _series_for(pts: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """A reporter's annual series as the model reads it (its ``primary`` points)."""
    mine = pts[(pts["reporter"] == reporter) & pts["value_usd"].notna()]
    return _best_per_year(mine[mine["primary"]])


def turnover_figure(inp: Inputs, claim: Claim, pts: pd.DataFrame, as_of, start_year: int | None = None,
                    event_marks: list | None = None) -> tuple[go.Figure, Plotted, pd.DataFrame]:
    """Annual bilateral turnover: a line per reporter (the model's series), other sources faint,
    press figures and figures whose reporter is not stated as labelled dots, the as-of date as a
    rule with the period known then shaded; the model's bilateral share of each reporter's total
    trade in a small panel below when it has one. Returns the figure, what it plots and the points shown."""
    pair = tuple(inp.claims.pair)
    annual = pts[pts["value_usd"].notna()]
    if start_year is not None:
        annual = annual[annual["period_start"].dt.year >= start_year]
    share = shares(inp, claim)
    if len(share) and start_year is not None:
        share = share[share["year"] >= start_year]
    fig = (make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.1,
                         subplot_titles=("", "Share of each reporter's total goods trade, %"))
           if len(share) else go.Figure())
    plotted = Plotted()
    row = dict(row=1, col=1) if len(share) else {}
    sc = usd_scale(annual["value_usd"].max())
    reporters = sorted(annual["reporter"].unique(), key=lambda r: (r not in pair, r))
    for rep in reporters:
        mine = annual[annual["reporter"] == rep]
        c = colour(rep, pair)
        who = names.reporter_short(rep)
        dots = ~mine["primary"] & ((mine["source_kind"] == PRESS) | (rep not in pair))
        # other statistical sources: faint lines
        for kind, g in mine[~mine["primary"] & ~dots].groupby("source_kind"):
            g = _best_per_year(g)
            plotted.add(fig, go.Scatter(mode="lines", line=dict(color=c, width=1), opacity=0.35,
                                        name=f"{who}, {kind} (other source)", legendgroup=rep, showlegend=False,
                                        hovertemplate=f"{who}, {kind}: " + "%{y:,." + str(sc.digits) + "f} " + sc.short + "<extra></extra>"),
                        _frame(g, _year_x(g["period_start"].dt.year), g["value_usd"] / sc.div, rep, g["period_label"],
                               g["value_qualifier"], kind, g["source_url"]),
                        f"{who}: other source ({kind})", sc.unit, **row)
        prim = _best_per_year(mine[mine["primary"]])
        if len(prim):
            plotted.add(fig, go.Scatter(mode="lines+markers", line=dict(color=c, width=2.5), marker=dict(size=5),
                                        name=who, legendgroup=rep, showlegend=False,
                                        hovertemplate=f"{who}: " + "%{y:,." + str(sc.digits) + "f} " + sc.short + "<extra></extra>"),
                        _frame(prim, _year_x(prim["period_start"].dt.year), prim["value_usd"] / sc.div, rep,
                               prim["period_label"], prim["value_qualifier"], prim["source_kind"], prim["source_url"]),
                        f"{who}: official series", sc.unit, **row)
            last = prim.iloc[-1]
            fig.add_annotation(x=_year_x([last["period_start"].year])[0], y=last["value_usd"] / sc.div, text=f"<b>{who}</b>",
                               showarrow=False, xanchor="left", xshift=8, font=dict(color=c, size=13),
                               **({"xref": "x", "yref": "y"}))
        press = mine[dots]
        if len(press):
            press = _best_per_year(press)
            labels = [fmt.QUALIFIER_SIGN.get(q, "") + sc.label(v) for v, q in zip(press["value_usd"], press["value_qualifier"])]
            plotted.add(fig, go.Scatter(mode="markers+text", text=labels, textposition="top center",
                                        textfont=dict(size=10, color=c),
                                        marker=dict(color="#fff", size=9, line=dict(color=c, width=2),
                                                    symbol=["triangle-up" if q == "at_least" else "triangle-down"
                                                            if q == "at_most" else "circle"
                                                            for q in press["value_qualifier"]]),
                                        name=f"press figures, {who}", legendgroup="press",
                                        hovertemplate="%{text}, " + f"{who}<extra>press</extra>"),
                        _frame(press, _year_x(press["period_start"].dt.year), press["value_usd"] / sc.div, rep,
                               press["period_label"], press["value_qualifier"], press["source_kind"], press["source_url"]),
                        f"{who}: press figure", sc.unit, **row)
    for rep, g in share.groupby("reporter", sort=False) if len(share) else []:
        who = names.reporter_short(rep)
        g = g.sort_values("year")
        plotted.add(fig, go.Scatter(mode="lines", line=dict(color=colour(rep, pair), width=2), name=f"{who}: share",
                                    showlegend=False, hovertemplate=f"{who}: " + "%{y:.2f}%<extra></extra>"),
                    pd.DataFrame({"reporter": rep, "x": _year_x(g["year"]), "y": g["share_pct"],
                                  "period": g["year"].astype(str), "qualifier": "exact",
                                  "source_kind": g["total_source_kind"], "source": g["source"]}),
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
        fig.update_yaxes(title_text=sc.unit, range=[0, annual["value_usd"].max() / sc.div * 1.15], **row)
        fig.update_xaxes(tickformat="%Y", dtick="M24")
    return fig, plotted, annual


def _turnover_height(plotted: Plotted) -> int:
    return 600 if any(len(f) and f["unit"].iloc[0].startswith("%") for f in plotted.frames) else 470


def _shown_rows(inp: Inputs, annual: pd.DataFrame, claim: Claim | None = None) -> pd.DataFrame:
    ids = {i for t in annual.get("row_ids", []) for i in t}
    if claim is not None:
        share = shares(inp, claim)
        ids |= {i for col in ("row_ids", "bilateral_row_ids") if col in share for t in share[col] for i in t}
    return inp.panel[inp.panel["row_id"].isin(ids)]


SUBTITLE_TURNOVER = words.SUBTITLE_TURNOVER
_decline_change = words.decline_change  # the title's comparison, worded by the text layer


def _decline_parts(parts: dict[str, Verdict], pair) -> list[str]:
    out = []
    for rep in [*pair, "unknown"]:
        v = parts.get(rep)
        if v is None or not isinstance(v.facts, DeclineFacts) or (rep == "unknown" and out):
            continue  # figures whose reporter is not stated only when no named reporter's
        said = _decline_change(v.facts, rep)
        if said:
            out.append(said)
    return out


def declining_trend(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    as_of = inp.article_date
    pts = turnover_points(inp, claim)
    w = claim.window
    fig, plotted, annual = turnover_figure(inp, claim, pts, as_of, start_year=w.start - 4, event_marks=events(inp))
    narrative = []
    title = None
    first, last = article_vintage(inp, claim), latest_vintage(inp, claim)
    for vintage, after in ((first, False), (last, True)):
        parts = _decline_parts(_parts(inp, claim, vintage), pair)
        if parts:
            title = words.decline_title(pair, parts, as_of if after else None)
            narrative.append(words.compared_line(w.start, as_of, after))
            break
    if title is None:
        title = words.decline_without_comparison(pair, w.start, w.end, inp.claims.article.date, bool(len(annual)))
    # the verdicts' latest comparable period, when it is part of a year (the recency window is the rule's)
    latest = [(v.facts, r) for r, v in _parts(inp, claim, first).items()
              if isinstance(v.facts, DeclineFacts) and v.facts.latest_comparable_period and not v.facts.latest_is_annual]
    if latest:
        f, rep = max(latest, key=lambda x: (x[0].latest_comparable_end or "", x[0].latest_comparable_first_public or ""))
        narrative.append(words.part_year_line(as_of, f, rep))
    subtitle = words.turnover_subtitle(as_of)
    _finish(fig, title, subtitle, height=_turnover_height(plotted))
    return _chart(claim.id, fig, plotted, title, subtitle, narrative, words.no_turnover_note(pair),
                  rows=_shown_rows(inp, annual, claim), reporters=sorted(annual["reporter"].unique()))


def recovery(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    p = claim.rule
    event = pd.Timestamp(p.event_date)
    pts = turnover_points(inp, claim)
    w = claim.window
    fig, plotted, annual = turnover_figure(inp, claim, pts, inp.article_date, start_year=w.start - 2,
                                           event_marks=events(inp, [claim]))
    levels, narrative = [], []
    found = _parts(inp, claim, latest_vintage(inp, claim))
    for rep in pair:
        v = found.get(rep)
        if v is None or not isinstance(v.facts, RecoveryFacts):
            continue
        levels.append(words.recovery_level(v.facts, rep))
        narrative.append(words.recovery_path(v.facts, rep))
    label = next((lbl for when, lbl in events(inp, [claim]) if when == event), "event")
    why = [render.finding(v) for r, v in found.items() if r in pair and isinstance(v.facts, Unrated)]
    title = words.recovery_title(pair, label, event, levels, why, bool(len(annual[annual["period_start"] > event])))
    bounds = annual[(annual["period_start"] > event) & annual["value_qualifier"].isin(BOUNDS)]
    if len(bounds):
        narrative.append(words.bounds_line(len(bounds), label))
    subtitle = words.turnover_subtitle(inp.article_date)
    _finish(fig, title, subtitle, height=_turnover_height(plotted))
    return _chart(claim.id, fig, plotted, title, subtitle, narrative, words.no_turnover_note(pair),
                  rows=_shown_rows(inp, annual, claim), reporters=sorted(annual["reporter"].unique()))


# ---------------------------------------------------------------- mirror statistics

def mirror_gap(claim: Claim, inp: Inputs) -> Chart:
    """The model's matched flow-years (``flows`` table of the latest vintage): each exporter's
    figure (FOB) and the importer's (CIF) with the band the rule allows."""
    pair = tuple(inp.claims.pair)
    v = inp.verdict(claim.id, latest_vintage(inp, claim))
    facts = v.facts if v is not None else None
    low, tol = (float(x) for x in (facts.band_pct if isinstance(facts, MirrorFacts) else claim.rule.band_pct))
    flows = v.tables.get("flows", pd.DataFrame()) if v is not None else pd.DataFrame()
    by_id = inp.panel.set_index("row_id") if len(inp.panel) else pd.DataFrame(columns=["source_url"])
    directions = [pair, pair[::-1]]
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.16, shared_xaxes=True,
                        subplot_titles=[f"Goods from {names.country(e)} to {names.country(i)}" for e, i in directions])
    plotted, ids, narrative = Plotted(), set(), []
    sc = usd_scale(max(flows[["exporter_usd", "importer_usd"]].max().max() * (1 + max(tol, 0) / 100), 0)
                   if len(flows) else 0)
    for k, (exp, imp) in enumerate(directions, start=1):
        d = flows[flows["comparison"] == f"{exp} exports vs {imp} imports"].sort_values("year") if len(flows) else flows
        if d.empty:
            continue
        ids |= {i for t in d["row_ids"] for i in t}
        x = _year_x(d["year"])
        src = {side: [_urls(by_id["source_url"], t) for t in d[f"{side}_row_ids"]] for side in ("exporter", "importer")}
        kinds = d["source_kinds"].str.split(" / ")
        base = dict(reporter=exp, period=d["year"].astype(str).values, qualifier="exact",
                    source_kind=[s[0] for s in kinds], source=src["exporter"])
        plotted.add(fig, go.Scatter(mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"),
                    pd.DataFrame({**base, "x": x, "y": (d["exporter_usd"] / sc.div * (1 + low / 100)).values}),
                    f"{names.country(exp)}→{names.country(imp)}: band low (exports {low:+g}%)", sc.unit,
                    row=k, col=1)
        plotted.add(fig, go.Scatter(mode="lines", line=dict(width=0), fill="tonexty", fillcolor="rgba(0,0,0,0.10)",
                                    name=f"usual CIF/FOB margin (importer {fmt.band(low, tol)})", legendgroup="band",
                                    showlegend=k == 1, hoverinfo="skip"),
                    pd.DataFrame({**base, "x": x, "y": (d["exporter_usd"] / sc.div * (1 + tol / 100)).values}),
                    f"{names.country(exp)}→{names.country(imp)}: band high (exports + {tol:g}%)", sc.unit,
                    row=k, col=1)
        for who, what, col, kind in ((exp, "exports (FOB)", "exporter_usd", 0), (imp, "imports (CIF)", "importer_usd", 1)):
            label = f"{names.possessive(names.country(who))} {what}"
            plotted.add(fig, go.Scatter(mode="lines+markers", line=dict(color=colour(who, pair), width=2.5,
                                                                       dash="solid" if kind == 0 else "dot"),
                                        marker=dict(size=6), name=label, legendgroup=who,
                                        hovertemplate=f"{label}: " + "%{y:,." + str(sc.digits) + "f} " + sc.short + "<extra></extra>"),
                        pd.DataFrame({**base, "reporter": who, "source_kind": [s[kind] for s in kinds],
                                      "source": src["exporter" if kind == 0 else "importer"],
                                      "x": x, "y": (d[col] / sc.div).values}),
                        f"{names.country(exp)}→{names.country(imp)}: {label}", sc.unit, row=k, col=1)
            # each line labelled at its last point (no legend needed)
            fig.add_annotation(x=x[-1], y=float(d[col].iloc[-1]) / sc.div, text=label, showarrow=False,
                               xanchor="right", yshift=12 if kind == 0 else -12,
                               font=dict(color=colour(who, pair), size=11), row=k, col=1)
    fig.update_yaxes(title_text=sc.unit, rangemode="tozero")
    fig.update_xaxes(tickformat="%Y", dtick="M12", showticklabels=True)
    if isinstance(facts, MirrorFacts):
        title = words.mirror_title(facts.n_flow_years - facts.n_inside, facts.n_flow_years, low, tol)
        if facts.worst_flow is not None:
            w = flows[(flows["comparison"] == facts.worst_flow) & (flows["year"] == facts.worst_year)].iloc[0]
            narrative.append(words.largest_departure(w["exporter"], w["importer"], facts.worst_year, facts.worst_gap_pct))
        dq = flows[~flows["counted"] & flows["position"].notna()] if len(flows) else flows
        if len(dq):
            narrative.append(words.not_counted_line([(r.exporter, r.importer, r.year) for r in dq.itertuples()]))
    else:
        title = words.mirror_title(None, 0, low, tol)
    subtitle = words.mirror_subtitle(low, tol)
    _finish(fig, title, subtitle, height=600)
    rows = inp.panel[inp.panel["row_id"].isin(ids)] if ids else pd.DataFrame()
    return _chart(claim.id, fig, plotted, title, subtitle, narrative, words.no_flows_note(pair),
                  rows=rows, reporters=sorted(rows["reporter"].unique()) if len(rows) else [])


# ---------------------------------------------------------------- context facts

def market_shock(claim: Claim, inp: Inputs) -> Chart:
    """The model's devaluation events (``events`` tables of the latest vintage, losses of value
    against the USD) at their dates, with the article vintage's look-back window and threshold."""
    p = claim.rule
    pair = tuple(inp.claims.pair)
    countries = p.countries
    threshold = p.min_devaluation_pct
    as_of = pd.Timestamp(inp.article_date)
    at_article = _parts(inp, claim, article_vintage(inp, claim))
    windows = [(pd.Timestamp(v.facts.start), pd.Timestamp(v.facts.end)) for v in at_article.values()
               if hasattr(v.facts, "start")]
    start, end = windows[0] if windows else (as_of - pd.DateOffset(months=p.lookback_months), as_of)
    months = p.lookback_months
    latest = _parts(inp, claim, latest_vintage(inp, claim))
    f = inp.facts
    fact_url = f.set_index("fact_id")["source_url"] if len(f) and "fact_id" in f else pd.Series(dtype=object)
    fig, plotted, shown_ids = go.Figure(), Plotted(), set()
    all_dates = []
    for c in countries:
        v = latest.get(c)
        d = v.tables.get("events", pd.DataFrame()) if v is not None else pd.DataFrame()
        d = d[d["loss_pct"].notna()] if len(d) else d  # a figure without a known definition is no loss of value
        shown_ids |= set(d["fact_id"]) if len(d) else set()
        if d.empty:
            continue
        all_dates += list(d["date"])
        labels = [f"{s} −{x:.0f}%" for s, x in zip(d["subject"], d["loss_pct"])]
        plotted.add(fig, go.Scatter(mode="markers+text", text=labels, textposition="middle right",
                                    textfont=dict(color=colour(c, pair), size=11),
                                    marker=dict(size=11, color=colour(c, pair)), name=names.country(c),
                                    hovertemplate="%{x|%Y-%m-%d}: %{text}<extra>" + names.country(c) + "</extra>"),
                    pd.DataFrame({"reporter": c, "x": d["date"].dt.strftime("%Y-%m-%d"), "y": d["loss_pct"],
                                  "period": d["date"].dt.strftime("%Y-%m-%d"),
                                  "qualifier": [f"as printed: {x:g}% ({str(y).replace('_', ' ')})"
                                                for x, y in zip(d["as_printed_pct"], d["definition"])],
                                  "source_kind": "context fact",
                                  "source": [fact_url.get(i, "") for i in d["fact_id"]]}),
                    f"{names.country(c)}: devaluation", "% of value lost against the US dollar")
    parts = []
    for c in countries:
        v = at_article.get(c)
        if v is not None and isinstance(v.facts, ShockFacts):
            ev = v.tables["events"]
            top = ev[(ev["date"] == pd.Timestamp(v.facts.max_loss_date)) & ev["in_window"]]
            subject = top["subject"].iloc[0] if len(top) else names.possessive(names.country(c)) + " currency"
            parts.append(words.devaluation(subject, c, v.facts.max_loss_pct, v.facts.max_loss_date))
        else:
            parts.append(words.no_devaluation(c))
    title = words.shock_title(months, end, parts)
    subtitle = words.SUBTITLE_SHOCK
    narrative = []
    if not plotted.empty:
        fig.add_shape(type="rect", x0=start.strftime("%Y-%m-%d"), x1=end.strftime("%Y-%m-%d"), xref="x", y0=0, y1=1,
                      yref="paper", fillcolor=KNOWN_FILL, line_width=0, layer="below")
        if threshold is not None:
            fig.add_hline(y=threshold, line=dict(color="#333", dash="dash", width=1),
                          annotation_text=f"rule: at least {threshold}%", annotation_position="bottom left")
        _rule(fig, as_of, f"article {fmt.date(as_of)}")
        fig.update_yaxes(title_text="% lost against USD", rangemode="tozero")
        fig.update_xaxes(range=[(min(all_dates) - pd.DateOffset(months=6)).strftime("%Y-%m-%d"),
                                (max(max(all_dates), as_of) + pd.DateOffset(months=10)).strftime("%Y-%m-%d")])
        narrative.append(words.NO_RATE_SERIES)
    other = f[(f["topic"] == "currency") & f["country"].isin(countries) & ~f["fact_id"].isin(shown_ids)] if len(f) else f
    for _, r in other.iterrows():
        narrative.append(words.not_plotted_line(r["statement"]))
    _finish(fig, title, subtitle, height=420)
    shown = f[f["fact_id"].isin(shown_ids | set(other["fact_id"]))] if len(f) else f
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  words.no_devaluation_note(countries),
                  facts=shown, reporters=["stated in releases"])


def partner_rank(claim: Claim, inp: Inputs) -> Chart:
    """The model's partner ranks (``partners`` tables of the latest vintage): each partner's share
    of the country's trade, the claim's partners in colour; stated shares when the data hold none."""
    p = claim.rule
    pair = tuple(inp.claims.pair)
    countries = p.countries
    partners = p.partners
    top_n = p.top_n
    f = inp.facts
    found = _parts(inp, claim, latest_vintage(inp, claim))
    stats = {}
    for c in countries:
        v = found.get(c)
        t = v.tables.get("partners") if v is not None else None
        if t is not None and len(t) and t["share_pct"].notna().all():
            stats[c] = (int(v.facts.year), t)
    by_id = inp.panel.set_index("row_id")["source_url"] if len(inp.panel) else pd.Series(dtype=object)
    plotted, parts, narrative, shown_rows = Plotted(), [], [], []
    have = [c for c in countries if c in stats]
    facts = f[(f["topic"] == "partner_share") & f["country"].isin(countries) & f["value"].notna()
              & (f["unit"] == "pct_of_total_trade")] if len(f) else f
    if have:
        fig = make_subplots(rows=1, cols=len(have), horizontal_spacing=0.22,
                            subplot_titles=[f"{names.country(c)}, {stats[c][0]}" for c in have])
        for j, c in enumerate(have, start=1):
            year, t = stats[c]
            keep = t[(t["rank"] <= max(top_n + 5, 8)) | t["partner"].isin(partners)].iloc[::-1]
            named = keep["partner"].isin(partners)
            labels = [f"#{r} {names.country(x)}" for r, x in zip(keep["rank"], keep["partner"])]
            plotted.add(fig, go.Bar(orientation="h", marker_color=[colour(c, pair) if n else "#c8c8c8" for n in named],
                                    text=[f"{s:.1f}%" for s in keep["share_pct"]], textposition="outside",
                                    cliponaxis=False, showlegend=False, name=names.country(c),
                                    hovertemplate="%{y}: %{x:.1f}% of trade<extra></extra>"),
                        pd.DataFrame({"reporter": c, "x": keep["share_pct"].values, "y": labels, "period": str(year),
                                      "qualifier": "exact", "source_kind": keep["source_kind"].values,
                                      "source": [_urls(by_id, ids) for ids in keep["row_ids"]]}),
                        f"{names.country(c)}: share of trade by partner", "% of the country's goods trade", row=1, col=j)
            parts.append(words.partner_ranks(c, year, partners, dict(zip(t["partner"], t["rank"]))))
            world = set(found[c].facts.world_row_ids)
            shown_rows.append(inp.panel[inp.panel["row_id"].isin({i for ids in keep["row_ids"] for i in ids} | world)])
        # the x/y of a horizontal bar: CSV x holds the share, y the partner label
        fig.update_xaxes(title_text="% of goods trade", rangemode="tozero")
        title = words.partner_title(top_n, parts)
        subtitle = words.SUBTITLE_PARTNERS
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
            parts.append(words.stated_shares(c, partners, [(x, best.loc[x, "value"], best.loc[x, "date"].year)
                                                           for x in partners if x in best.index]))
        title = words.stated_title(parts)
        subtitle = words.SUBTITLE_STATED
        fig.update_xaxes(title_text="% of total trade, as stated", rangemode="tozero")
    ranks = f[(f["topic"] == "partner_rank") & f["country"].isin(countries) & f["subject"].isin(partners)] if len(f) else f
    for _, r in ranks.sort_values("date").iterrows():
        narrative.append(words.stated_rank_line(r["date"], r["subject"], r["value"], r["country"]))
    _finish(fig, title, subtitle, height=max(380, 40 + 34 * max((len(x) for x in plotted.frames), default=6)), legend=False)
    fig.update_layout(margin=dict(r=60, l=150))
    rows = pd.concat(shown_rows) if shown_rows else pd.DataFrame()
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  words.no_partner_note(countries),
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
