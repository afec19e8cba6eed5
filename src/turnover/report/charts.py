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
import math
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..claims import Claim
from ..ingest import rates as official_rates
from ..model.results import DeclineFacts, MirrorFacts, RecoveryFacts, ShockFacts, Unrated, Verdict
from ..text import charts as words, fmt, labels as names, render, sources
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

    def text(self, usd: float) -> str:
        """'USD 1,200 mn' / 'USD 2.5 bn': a chart's title states its figures in its axis' unit."""
        return f"USD {self.label(usd)} {self.short}"

    @property
    def tickformat(self) -> str:
        # plotly's default ticks would print 30000 (mn) as "30k": the axis reads in its own unit
        return ",.0f" if self.digits == 0 else f",.{self.digits}~f"

    def axis(self, fig: go.Figure, **row) -> None:
        fig.update_yaxes(title_text=self.unit, tickformat=self.tickformat, **row)


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


# ---------------------------------------------------------------- labels that never overlap

# The plot area is at least this wide: 125% zoom on a 1366-pixel screen (a wider chart only spreads
# the labels further apart, so estimates made at this width hold at every width the report allows)
PLOT_W = 780
RIGHT_MARGIN = 150   # _finish's right margin: end labels may run into it


def _text_px(text: str, size: int) -> float:
    """A generous estimate of a label's width in pixels (system-ui; bold is wider)."""
    plain = text.replace("<b>", "").replace("</b>", "")
    return len(plain) * size * (0.68 if "<b>" in text else 0.62) + 6


def _days(x) -> float:
    return pd.Timestamp(x).value / 864e11


@dataclass
class Axes:
    """One subplot's data -> estimated pixel geometry (x dates, y linear or log; origin bottom left)."""

    x0: object
    x1: object
    y0: float
    y1: float
    h: float
    xref: str = "x"
    yref: str = "y"
    log: bool = False
    w: float = PLOT_W

    def px(self, x, y: float | None = None, ydomain: float | None = None) -> tuple[float, float]:
        fx = (_days(x) - _days(self.x0)) / (_days(self.x1) - _days(self.x0))
        if ydomain is not None:
            fy = ydomain
        elif self.log:
            fy = (math.log10(y) - math.log10(self.y0)) / (math.log10(self.y1) - math.log10(self.y0))
        else:
            fy = (y - self.y0) / (self.y1 - self.y0)
        return fx * self.w, fy * self.h


# where a label may go around its point: (xanchor, yanchor, xshift, yshift), tried in order
ABOVE = [("center", "bottom", 0, 6), ("center", "top", 0, -6), ("left", "middle", 7, 0), ("right", "middle", -7, 0)]
END = [("left", "middle", 8, dy) for dy in (0, 13, -13, 26, -26, 39, -39, 52, -52)]


class Labels:
    """Text labels of one figure placed by their estimated boxes (pixels) so that no two overlap and
    none leaves its subplot: each label takes the first free place among its tries, or is left out
    (``put`` returns None; the value stays in the hover text and the CSV)."""

    GAP = 2

    def __init__(self, fig: go.Figure):
        self.fig, self.boxes = fig, []

    def _box(self, ax: Axes, px: float, py: float, w: float, h: float, xa: str, ya: str):
        left = px - {"left": 0, "center": w / 2, "right": w}[xa]
        bottom = py - {"bottom": 0, "middle": h / 2, "top": h}[ya]
        return (ax, left, bottom, left + w, bottom + h)

    def _free(self, box) -> bool:
        ax, l, b, r, t = box
        if b < 0 or t > ax.h or l < -8 or r > ax.w + RIGHT_MARGIN - 4:
            return False
        g = self.GAP
        return all((a.xref, a.yref) != (ax.xref, ax.yref) or r + g <= l2 or r2 + g <= l or t + g <= b2 or t2 + g <= b
                   for a, l2, b2, r2, t2 in self.boxes)  # labels of other subplots never meet

    def reserve(self, ax: Axes, px: float, py: float, w: float, h: float, xa: str = "left", ya: str = "top") -> None:
        """A box already taken (text plotly places itself, e.g. a reference line's label)."""
        self.boxes.append(self._box(ax, px, py, w, h, xa, ya))

    def put(self, ax: Axes, x, y, text: str, tries, size: int = 11, ydomain: float | None = None, **style):
        """Annotate ``text`` at the first free try; returns that try (None when every one is taken)."""
        w, h = _text_px(text, size), size * 1.35 + 4
        px, py = ax.px(x, y, ydomain)
        for xa, ya, dx, dy in tries:
            box = self._box(ax, px + dx, py + dy, w, h, xa, ya)
            if self._free(box):
                self.boxes.append(box)
                font = dict(size=size, **style.pop("font", {}))
                # plotly places an annotation on a log axis by the log10 of its value
                at = ydomain if ydomain is not None else math.log10(y) if ax.log else y
                self.fig.add_annotation(x=x, y=at, xref=ax.xref,
                                        yref=f"{ax.yref} domain" if ydomain is not None else ax.yref, text=text,
                                        showarrow=False, xanchor=xa, yanchor=ya, xshift=dx, yshift=dy, font=font,
                                        **style)
                return xa, ya, dx, dy
        return None


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


def _key_points(prim: pd.DataFrame, as_of) -> list[tuple[int, str]]:
    """The points of a series whose values are written on the chart, most important first: its peak,
    its latest value published by the article (what the article could know), its trough, its latest."""
    v = prim["value_usd"].reset_index(drop=True)
    known = prim["known_from" if "known_from" in prim else "published_on"].reset_index(drop=True)
    known = known[known.notna() & (known <= pd.Timestamp(as_of))]
    picks = [(int(v.idxmax()), "peak"), *([(int(known.index[-1]), "known")] if len(known) else []),
             (int(v.idxmin()), "trough"), (len(v) - 1, "latest")]
    seen: set[int] = set()
    return [(i, why) for i, why in picks if not (i in seen or seen.add(i))]


BAND = 21  # px per row of rule labels (a label is about 19 high, with the gap between labels)


def turnover_figure(inp: Inputs, claim: Claim, pts: pd.DataFrame, as_of, start_year: int | None = None,
                    event_marks: list | None = None) -> tuple[go.Figure, Plotted, pd.DataFrame]:
    """Annual bilateral turnover: a line per reporter (the model's series), other sources faint,
    press figures and figures whose reporter is not stated as dots, the as-of date as a rule with
    the period known then shaded, each known recording break of the rule as a short marker; the
    model's bilateral share of each reporter's total trade in a small panel below when it has one.
    Every line is labelled at its end and a few values (peak, known at the article, trough, latest)
    are written on it, placed so that no two labels overlap (``Labels``); every value is in the hover
    text and the CSV. Returns the figure, what it plots and the points shown."""
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
    ends, values, faint_ends = [], [], []  # labels, placed once every line is drawn
    for rep in reporters:
        mine = annual[annual["reporter"] == rep]
        c = colour(rep, pair)
        who = names.reporter_short(rep)
        dots = ~mine["primary"] & ((mine["source_kind"] == PRESS) | (rep not in pair))
        # other statistical sources: faint lines, named by their publisher (never a source id)
        for kind, g in mine[~mine["primary"] & ~dots].groupby("source_kind"):
            g = _best_per_year(g)
            src = sources.name_of(kind)
            plotted.add(fig, go.Scatter(mode="lines" if len(g) > 1 else "markers", line=dict(color=c, width=1),
                                        marker=dict(color=c, size=5), opacity=0.35, name=f"{who}, {src} (other source)",
                                        legendgroup=rep, showlegend=False,
                                        hovertemplate=f"{who}, {src}: " + "%{y:,." + str(sc.digits) + "f} " + sc.short + "<extra></extra>"),
                        _frame(g, _year_x(g["period_start"].dt.year), g["value_usd"] / sc.div, rep, g["period_label"],
                               g["value_qualifier"], kind, g["source_url"]),
                        f"{who}: other source ({src})", sc.unit, **row)
            faint_ends.append((_year_x([g["period_start"].iloc[-1].year])[0], g["value_usd"].iloc[-1] / sc.div,
                               f"{who}, {src}", c))
        prim = _best_per_year(mine[mine["primary"]])
        if len(prim):
            plotted.add(fig, go.Scatter(mode="lines+markers", line=dict(color=c, width=2.5), marker=dict(size=5),
                                        name=who, legendgroup=rep, showlegend=False,
                                        hovertemplate=f"{who}: " + "%{y:,." + str(sc.digits) + "f} " + sc.short + "<extra></extra>"),
                        _frame(prim, _year_x(prim["period_start"].dt.year), prim["value_usd"] / sc.div, rep,
                               prim["period_label"], prim["value_qualifier"], prim["source_kind"], prim["source_url"]),
                        f"{who}: official series", sc.unit, **row)
            xs = _year_x(prim["period_start"].dt.year)
            ends.append((xs[-1], prim["value_usd"].iloc[-1] / sc.div, f"<b>{who}</b>", c))
            values += [(xs[i], prim["value_usd"].iloc[i] / sc.div, why, c) for i, why in _key_points(prim, as_of)]
        press = mine[dots]
        if len(press):
            press = _best_per_year(press)
            labels = [fmt.QUALIFIER_SIGN.get(q, "") + sc.label(v) for v, q in zip(press["value_usd"], press["value_qualifier"])]
            # no text on the dots (it overlapped the lines' labels): the value with its sign is in the hover text
            plotted.add(fig, go.Scatter(mode="markers", text=labels,
                                        marker=dict(color="#fff", size=9, line=dict(color=c, width=2),
                                                    symbol=["triangle-up" if q == "at_least" else "triangle-down"
                                                            if q == "at_most" else "circle"
                                                            for q in press["value_qualifier"]]),
                                        name=f"press figures, {who}", legendgroup="press",
                                        hovertemplate="%{text}, " + f"{who}<extra>press</extra>"),
                        _frame(press, _year_x(press["period_start"].dt.year), press["value_usd"] / sc.div, rep,
                               press["period_label"], press["value_qualifier"], press["source_kind"], press["source_url"]),
                        f"{who}: press figure", sc.unit, **row)
    share_ends = []
    for rep, g in share.groupby("reporter", sort=False) if len(share) else []:
        who = names.reporter_short(rep)
        g = g.sort_values("year")
        plotted.add(fig, go.Scatter(mode="lines", line=dict(color=colour(rep, pair), width=2), name=f"{who}: share",
                                    showlegend=False, hovertemplate=f"{who}: " + "%{y:.2f}%<extra></extra>"),
                    pd.DataFrame({"reporter": rep, "x": _year_x(g["year"]), "y": g["share_pct"],
                                  "period": g["year"].astype(str), "qualifier": "exact",
                                  "source_kind": g["total_source_kind"], "source": g["source"]}),
                    f"{who}: share of total trade", "% of the reporter's total goods trade", row=2, col=1)
        share_ends.append((_year_x([g["year"].iloc[-1]])[0], float(g["share_pct"].iloc[-1]), who, colour(rep, pair)))
    if plotted.empty:
        return fig, plotted, annual
    # the geometry the labels are placed on: x from the first year to past the last mark, y from 0
    marks = [(pd.Timestamp(w), lbl) for w, lbl in event_marks or [] if annual["period_start"].min() <= w]
    x0 = annual["period_start"].min()
    x1 = max([pd.Timestamp(_year_x([annual["period_start"].max().year])[0]), pd.Timestamp(as_of)]
             + [w for w, _ in marks]) + pd.DateOffset(months=6)
    plot_h = (600 if len(share) else 470) - 215  # the plot area at the least: the legend below takes the rest
    top = Axes(x0, x1, 0, 1, plot_h * (0.648 if len(share) else 1.0))
    labels = Labels(fig)
    # rule labels in rows from the top; recording breaks and the period known at the article from the bottom
    rows_used = 0
    for when, text, dash in [(pd.Timestamp(as_of), f"article {fmt.date(as_of)}", "dot"),
                             *((w, f"{lbl} {fmt.date(w)}", "dash") for w, lbl in marks)]:
        x = when.strftime("%Y-%m-%d")
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain",
                      line=dict(color="#333", width=1, dash=dash))
        # right of its line, else (near the right edge) left of it, in the first free row from the top
        tries = [(side, "top", 2 if side == "left" else -2, -BAND * r) for r in range(6) for side in ("left", "right")]
        at = labels.put(top, x, None, text, tries, ydomain=1.0,
                        bgcolor="rgba(255,255,255,0.85)", font=dict(color="#333"))
        rows_used = max(rows_used, 1 - at[3] // BAND if at else 0)
    known = annual[_published_by(annual, as_of)]
    if len(known):
        k0, k1 = x0.strftime("%Y-%m-%d"), known["period_end"].max().strftime("%Y-%m-%d")
        fig.add_shape(type="rect", x0=k0, x1=k1, xref="x", y0=0, y1=1, yref="paper", fillcolor=KNOWN_FILL,
                      line_width=0, layer="below")
        labels.put(top, k0, None, f"published by {fmt.date(as_of)}", [("left", "bottom", 2, 2)], ydomain=0.0,
                   font=dict(color="#0b4f7c"))
    breaks = [b for b in getattr(claim.rule, "known_breaks", []) if x0.year <= b.year and pd.Timestamp(f"{b.year}-01-01") < x1]
    for b in breaks:
        x = f"{b.year}-01-01"
        at = labels.put(top, x, None, words.break_label(b.year, b.reporters, pair),
                        [("left", "bottom", 3, 2 + BAND * r) for r in range(4)], size=10, ydomain=0.0,
                        bgcolor="rgba(255,255,255,0.85)", font=dict(color="#333"), hovertext=b.why or None)
        up = ((at[3] if at else 2) + BAND) / top.h
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=up, yref="y domain", line=dict(color="#333", width=2))
    # the highest value sits below the rule labels
    ymax = annual["value_usd"].max() / sc.div
    top.y1 = ymax / max(1 - (BAND * rows_used + 8) / top.h, 0.5)
    fig.update_yaxes(range=[0, top.y1], **row)
    sc.axis(fig, **row)
    for x, y, text, c in ends:
        labels.put(top, x, y, text, END, size=13, font=dict(color=c))
    for x, y, text, c in faint_ends:
        labels.put(top, x, y, text, END, size=10, font=dict(color=c))
    if len(share):
        s_max = float(share["share_pct"].max())
        low = Axes(x0, x1, 0, s_max * 1.15, plot_h * 0.252, xref="x2", yref="y2")
        fig.update_yaxes(range=[0, low.y1], row=2, col=1)
        for x, y, text, c in share_ends:
            labels.put(low, x, y, text, END, size=11, font=dict(color=c))
    for x, y, why, c in values:
        tries = ABOVE if why != "trough" else [ABOVE[1], ABOVE[0], *ABOVE[2:]]
        labels.put(top, x, y, sc.label(y * sc.div), tries, size=10, font=dict(color=c),
                   bgcolor="rgba(255,255,255,0.7)")
    fig.update_xaxes(tickformat="%Y", dtick="M24", range=[x0.strftime("%Y-%m-%d"), x1.strftime("%Y-%m-%d")])
    return fig, plotted, annual


def _turnover_height(plotted: Plotted) -> int:
    return 600 if any(len(f) and f["unit"].iloc[0].startswith("%") for f in plotted.frames) else 470


def _shown_rows(inp: Inputs, annual: pd.DataFrame, claim: Claim | None = None) -> pd.DataFrame:
    ids = {i for t in annual.get("row_ids", []) for i in t}
    if claim is not None:
        share = shares(inp, claim)
        ids |= {i for col in ("row_ids", "bilateral_row_ids") if col in share for t in share[col] for i in t}
    return inp.panel[inp.panel["row_id"].isin(ids)]


_decline_change = words.decline_change  # the title's comparison, worded by the text layer


def _decline_parts(parts: dict[str, Verdict], pair, usd=fmt.usd) -> list[str]:
    out = []
    for rep in [*pair, "unknown"]:
        v = parts.get(rep)
        if v is None or not isinstance(v.facts, DeclineFacts) or (rep == "unknown" and out):
            continue  # figures whose reporter is not stated only when no named reporter's
        said = _decline_change(v.facts, rep, usd)
        if said:
            out.append(said)
    return out


def _break_lines(claim: Claim, annual: pd.DataFrame) -> list[str]:
    """The caption's line for each known break the chart marks (the rule's ``known_breaks``)."""
    if annual.empty:
        return []
    first = annual["period_start"].min().year
    return [words.break_line(b.year, b.reporters, b.why) for b in getattr(claim.rule, "known_breaks", [])
            if b.year >= first]


def declining_trend(claim: Claim, inp: Inputs) -> Chart:
    pair = tuple(inp.claims.pair)
    as_of = inp.article_date
    pts = turnover_points(inp, claim)
    w = claim.window
    fig, plotted, annual = turnover_figure(inp, claim, pts, as_of, start_year=w.start - 4, event_marks=events(inp))
    sc = usd_scale(annual["value_usd"].max())  # the axis' unit, in the title too
    narrative = []
    title = None
    first, last = article_vintage(inp, claim), latest_vintage(inp, claim)
    for vintage, after in ((first, False), (last, True)):
        parts = _decline_parts(_parts(inp, claim, vintage), pair, sc.text)
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
    narrative += _break_lines(claim, annual)
    subtitle = words.turnover_subtitle(as_of, sc.unit)
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
    sc = usd_scale(annual["value_usd"].max())
    levels, narrative = [], []
    found = _parts(inp, claim, latest_vintage(inp, claim))
    for rep in pair:
        v = found.get(rep)
        if v is None or not isinstance(v.facts, RecoveryFacts):
            continue
        levels.append(words.recovery_level(v.facts, rep))
        narrative.append(words.recovery_path(v.facts, rep, sc.text))
    label = next((lbl for when, lbl in events(inp, [claim]) if when == event), "event")
    why = [render.finding(v) for r, v in found.items() if r in pair and isinstance(v.facts, Unrated)]
    title = words.recovery_title(pair, label, event, levels, why, bool(len(annual[annual["period_start"] > event])))
    bounds = annual[(annual["period_start"] > event) & annual["value_qualifier"].isin(BOUNDS)]
    if len(bounds):
        narrative.append(words.bounds_line(len(bounds), label))
    narrative += _break_lines(claim, annual)
    subtitle = words.turnover_subtitle(inp.article_date, sc.unit)
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
    labels, ends = Labels(fig), []
    years = sorted(set(flows["year"])) if len(flows) else []
    x0, x1 = (pd.Timestamp(f"{years[0]}-01-01"), pd.Timestamp(f"{years[-1] + 1}-01-01")) if years else (None, None)
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
            ends.append((k, x[-1], float(d[col].iloc[-1]) / sc.div, label, colour(who, pair), kind))
        ymax = float(d[["exporter_usd", "importer_usd"]].max().max()) / sc.div * (1 + max(tol, 0) / 100) * 1.1
        fig.update_yaxes(range=[0, ymax], row=k, col=1)
    # each line labelled at its last point, above or below it, never over another label (no legend needed);
    # each subplot is (600 - 215) * (1 - 0.16) / 2 pixels high at the least
    for k, x, y, label, c, kind in ends:
        top = fig.layout[f"yaxis{'' if k == 1 else k}"].range[1]
        ax = Axes(x0, x1, 0, top, 160, xref=f"x{'' if k == 1 else k}", yref=f"y{'' if k == 1 else k}")
        # exports above their point, imports below, ending at it (or starting there, for a line of one point)
        tries = [(side, "bottom" if dy > 0 else "top", -4 if side == "right" else 4, dy) for side in ("right", "left")
                 for dy in ((6, -6, 24, -24, 42, -42) if kind == 0 else (-6, 6, -24, 24, -42, 42))]
        labels.put(ax, x, y, label, tries, size=11, font=dict(color=c))
    sc.axis(fig)
    fig.update_yaxes(rangemode="tozero")
    if years:
        fig.update_xaxes(range=[x0.strftime("%Y-%m-%d"), x1.strftime("%Y-%m-%d")])
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
    subtitle = words.mirror_subtitle(low, tol, sc.unit)
    _finish(fig, title, subtitle, height=600)
    rows = inp.panel[inp.panel["row_id"].isin(ids)] if ids else pd.DataFrame()
    return _chart(claim.id, fig, plotted, title, subtitle, narrative, words.no_flows_note(pair),
                  rows=rows, reporters=sorted(rows["reporter"].unique()) if len(rows) else [])


# ---------------------------------------------------------------- context facts

def _rate_lines(inp: Inputs, countries, lo: pd.Timestamp, hi: pd.Timestamp) -> list[tuple[str, str, pd.DataFrame]]:
    """(country, currency, its official rates from ``lo`` to ``hi``) for each country's currency: the
    currencies its currency facts name, the rates those of ``inp.rates`` (``ingest.rates``; a monthly
    series where there is one, else the rates in force on named days)."""
    if inp.rates is None or inp.rates.empty or inp.facts.empty:
        return []
    f = inp.facts
    out = []
    for c in countries:
        for cur in sorted(set(f.loc[(f["topic"] == "currency") & (f["country"] == c), "subject"])):
            r = official_rates.series(inp.rates, cur)
            r = r[(r["period_start"] >= lo) & (r["period_start"] <= hi)]
            if len(r):
                out.append((c, cur, r))
    return out


def market_shock(claim: Claim, inp: Inputs) -> Chart:
    """The model's devaluation events (``events`` tables of the latest vintage, losses of value
    against the USD) at their dates, with the article vintage's look-back window and threshold; below
    them, when the data hold them, the central banks' official rates (national currency per USD, on
    a log scale so that the same fall of value is the same step for every currency)."""
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
    evs, shown_ids = {}, set()
    for c in countries:
        v = latest.get(c)
        d = v.tables.get("events", pd.DataFrame()) if v is not None else pd.DataFrame()
        d = d[d["loss_pct"].notna()] if len(d) else d  # a figure without a known definition is no loss of value
        shown_ids |= set(d["fact_id"]) if len(d) else set()
        if len(d):
            evs[c] = d
    all_dates = [t for d in evs.values() for t in d["date"]]
    lo = min(all_dates) - pd.DateOffset(months=6) if all_dates else start
    hi = max(max(all_dates), as_of) + pd.DateOffset(months=10) if all_dates else end
    lines = _rate_lines(inp, countries, lo, hi) if evs else []
    height = 620 if lines else 420
    plot_h = height - 215  # the plot area at the least (the legend takes the rest)
    fig = (make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                         subplot_titles=("", words.RATES_PANEL)) if lines else go.Figure())
    row, row2 = (dict(row=1, col=1), dict(row=2, col=1)) if lines else ({}, {})
    plotted, labels = Plotted(), Labels(fig)
    ymax = max([float(d["loss_pct"].max()) for d in evs.values()] + [threshold or 0]) * 1.1
    top = Axes(lo, hi, 0, ymax, plot_h * (0.44 if lines else 1.0))
    for c, d in evs.items():
        text = [f"{s} −{x:.0f}%" for s, x in zip(d["subject"], d["loss_pct"])]
        plotted.add(fig, go.Scatter(mode="markers", text=text, marker=dict(size=11, color=colour(c, pair)),
                                    name=names.country(c),
                                    hovertemplate="%{x|%Y-%m-%d}: %{text}<extra>" + names.country(c) + "</extra>"),
                    pd.DataFrame({"reporter": c, "x": d["date"].dt.strftime("%Y-%m-%d"), "y": d["loss_pct"],
                                  "period": d["date"].dt.strftime("%Y-%m-%d"),
                                  "qualifier": [f"as printed: {x:g}% ({str(y).replace('_', ' ')})"
                                                for x, y in zip(d["as_printed_pct"], d["definition"])],
                                  "source_kind": "context fact",
                                  "source": [fact_url.get(i, "") for i in d["fact_id"]]}),
                    f"{names.country(c)}: devaluation", "% of value lost against the US dollar", **row)
    parts = []
    for c in countries:
        v = at_article.get(c)
        if v is not None and isinstance(v.facts, ShockFacts):
            ev = v.tables["events"]
            top_ev = ev[(ev["date"] == pd.Timestamp(v.facts.max_loss_date)) & ev["in_window"]]
            subject = top_ev["subject"].iloc[0] if len(top_ev) else names.possessive(names.country(c)) + " currency"
            parts.append(words.devaluation(subject, c, v.facts.max_loss_pct, v.facts.max_loss_date))
        else:
            parts.append(words.no_devaluation(c))
    title = words.shock_title(months, end, parts)
    subtitle = words.SUBTITLE_SHOCK
    narrative = []
    rate_rows = []
    if not plotted.empty:
        fig.add_shape(type="rect", x0=start.strftime("%Y-%m-%d"), x1=end.strftime("%Y-%m-%d"), xref="x", y0=0, y1=1,
                      yref="paper", fillcolor=KNOWN_FILL, line_width=0, layer="below")
        if threshold is not None:
            text = f"rule: at least {threshold}%"
            fig.add_hline(y=threshold, line=dict(color="#333", dash="dash", width=1), annotation_text=text,
                          annotation_position="bottom left", **row)
            labels.reserve(top, 0, top.px(lo, threshold)[1], _text_px(text, 13), 13 * 1.35 + 4, "left", "top")
        art = f"article {fmt.date(as_of)}"
        _rule(fig, as_of, art)
        labels.reserve(top, top.px(as_of, 0)[0], top.h, _text_px(art, 11), 11 * 1.35 + 4, "left", "top")
        for c, d in evs.items():  # each devaluation's label beside its dot, or above or below it
            for t, x in zip(d["date"], d["loss_pct"]):
                sub = d.loc[d["date"] == t, "subject"].iloc[0]
                labels.put(top, t.strftime("%Y-%m-%d"), float(x), f"{sub} −{x:.0f}%",
                           [("left", "middle", 9, 0), ("right", "middle", -9, 0), *ABOVE[:2]],
                           font=dict(color=colour(c, pair)))
        fig.update_yaxes(title_text="% lost against USD", rangemode="tozero", range=[0, ymax], **row)
        fig.update_xaxes(range=[lo.strftime("%Y-%m-%d"), hi.strftime("%Y-%m-%d")])
        if lines:
            _rate_panel(fig, plotted, labels, lines, evs, pair, lo, hi, plot_h * 0.44, as_of)
            rate_rows = [r for _, _, r in lines]
            narrative.append(words.rates_line([(sources.name_of(r["source_kind"].iloc[0], r["source_id"].iloc[0]),
                                                r["kind"].iloc[0]) for _, _, r in lines]))
        else:
            narrative.append(words.NO_RATE_SERIES)
    other = f[(f["topic"] == "currency") & f["country"].isin(countries) & ~f["fact_id"].isin(shown_ids)] if len(f) else f
    for _, r in other.iterrows():
        narrative.append(words.not_plotted_line(r["statement"]))
    _finish(fig, title, subtitle, height=height)
    shown = f[f["fact_id"].isin(shown_ids | set(other["fact_id"]))] if len(f) else f
    return _chart(claim.id, fig, plotted, title, subtitle, narrative,
                  words.no_devaluation_note(countries),
                  rows=pd.concat(rate_rows, ignore_index=True) if rate_rows else pd.DataFrame(),
                  facts=shown, reporters=["stated in releases"])


def _rate_panel(fig, plotted: Plotted, labels: Labels, lines, evs, pair, lo, hi, h: float, as_of) -> None:
    """The lower panel of the currency chart: each currency's official rate per USD (log axis), the
    devaluation dates as dotted lines in the country's colour, each line labelled at its end."""
    r_lo = min(float(r["rate_per_usd"].min()) for _, _, r in lines) / 1.3
    r_hi = max(float(r["rate_per_usd"].max()) for _, _, r in lines) * 1.3
    ax = Axes(lo, hi, r_lo, r_hi, h, xref="x2", yref="y2", log=True)
    for c, cur, r in lines:
        monthly = r["kind"].iloc[0] == "monthly_average"
        # a monthly average sits mid-month; rates in force on named days are dots joined by straight lines
        # (not steps: what the rate was between two named days is not in the data)
        x = (r["period_start"] + pd.Timedelta(days=14 if monthly else 0)).dt.strftime("%Y-%m-%d")
        who = sources.name_of(r["source_kind"].iloc[0], r["source_id"].iloc[0])
        label = f"{cur} per USD"
        plotted.add(fig, go.Scatter(mode="lines" if monthly else "lines+markers",
                                    line=dict(color=colour(c, pair), width=2), marker=dict(size=5), showlegend=False,
                                    name=f"{label} ({who})",
                                    hovertemplate="%{x|%Y-%m-%d}: %{y:,.2f} " + f"{label} ({who})<extra></extra>"),
                    pd.DataFrame({"reporter": c, "x": x.values, "y": r["rate_per_usd"].values,
                                  "period": [p.strftime("%Y-%m" if monthly else "%Y-%m-%d") for p in r["period_start"]],
                                  "qualifier": "monthly average" if monthly else "rate in force on the day",
                                  "source_kind": r["source_kind"].values, "source": r["source_url"].values}),
                    f"{names.country(c)}: {label} ({who})", f"{cur} per USD", row=2, col=1)
        labels.put(ax, x.iloc[-1], float(r["rate_per_usd"].iloc[-1]), label, END, font=dict(color=colour(c, pair)))
    for c, d in evs.items():
        for t in d["date"]:
            x = t.strftime("%Y-%m-%d")
            fig.add_shape(type="line", x0=x, x1=x, xref="x2", y0=0, y1=1, yref="y2 domain",
                          line=dict(color=colour(c, pair), width=1.5, dash="dot"))
    a = as_of.strftime("%Y-%m-%d")
    fig.add_shape(type="line", x0=a, x1=a, xref="x2", y0=0, y1=1, yref="y2 domain", line=dict(color="#333", width=1, dash="dot"))
    ticks = [m * 10 ** e for e in range(int(math.floor(math.log10(r_lo))), int(math.ceil(math.log10(r_hi))) + 1)
             for m in (1, 2, 5) if r_lo <= m * 10 ** e <= r_hi]
    fig.update_yaxes(type="log", range=[math.log10(r_lo), math.log10(r_hi)], title_text=words.RATES_AXIS,
                     tickvals=ticks, ticktext=[f"{t:,.0f}" for t in ticks], row=2, col=1)


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
