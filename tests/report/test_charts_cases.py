"""Chart builders pinned whole: every plotted value, trace style, title, subtitle, narrative line,
shape and annotation checked against numbers worked out by hand from small synthetic panels."""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import pytest

from turnover.report import charts, inputs, plotted

from _chart_rows import (claim_of as _claim, inputs_for as _inputs, panel_of as _panel, row as _row,
                         year_row as _year)

AS_OF = "2016-05-31"


@pytest.fixture(scope="module")
def facts():
    return inputs.context_facts()


def _with_rule(claims, kind, **update):
    c = _claim(claims, kind)
    new = c.model_copy(update={"rule": c.rule.model_copy(update=update)})
    return claims.model_copy(update={"claims": [new if x is c else x for x in claims.claims]}), new


def _said(narrative) -> list[str]:
    """The narrative without the lines of the rule's known breaks (test_decline_chart_whole pins those)."""
    return [n for n in narrative if not n.startswith("Known break ")]


def _traces(chart):
    return {tr.meta["csv"]: tr for tr in chart.fig.data}


def _series(chart, name):
    d = chart.data[chart.data["series"] == name]
    assert len(d), (name, sorted(set(chart.data["series"])))
    return d


def _layout_top(title, subtitle):
    return 36 + 22 * len(textwrap.wrap(title, 92, break_long_words=False)) + \
        19 * len(textwrap.wrap(subtitle, 120, break_long_words=False))


def _check_finish(chart, height, legend=True):
    """_finish: wrapped title and subtitle, template, height from the line count, margins, legend."""
    lay = chart.fig.layout
    assert lay.title.text == "<br>".join(textwrap.wrap(chart.finding, 92, break_long_words=False))
    assert lay.title.subtitle.text == "<br>".join(textwrap.wrap(chart.subtitle, 120, break_long_words=False))
    assert lay.title.subtitle.font.size == 13 and lay.title.subtitle.font.color == "#444"
    assert lay.title.font.size == 16 and lay.title.x == 0.01 and lay.title.xanchor == "left"
    assert lay.title.yanchor == "top" and lay.title.yref == "container"
    top = _layout_top(chart.finding, chart.subtitle)
    assert lay.height == height + top - 90
    assert lay.title.y == pytest.approx(1 - 12 / (height + top - 90))
    assert lay.margin.t == top and lay.margin.b == 50
    assert lay.showlegend is legend and lay.hovermode == "closest"
    assert lay.legend.orientation == "h" and lay.legend.yanchor == "top" and lay.legend.y == -0.1 and lay.legend.x == 0
    assert lay.font.family == "system-ui, sans-serif" and lay.font.size == 13
    assert lay.template.layout.plot_bgcolor == "white"  # simple_white


# ---------------------------------------------------------------- declining trend

def _decline_panel():
    blr = [(2007, 300e6), (2008, 350e6), (2011, 500e6), (2012, 900e6), (2013, 1200e6), (2014, 1000e6), (2015, 600e6),
           (2016, 400e6)]
    rows = [_year(i, y, "BLR", v, source_kind="wb_wits") for i, (y, v) in enumerate(blr)]
    rows += [_year(20 + i, y, "KAZ", v, source_kind="national_statistics")
             for i, (y, v) in enumerate([(2013, 800e6), (2014, 680e6)])]
    rows += [_year(30, 2014, "BLR", 1050e6, value_qualifier="approx"),
             _year(31, 2015, "BLR", 2000e6, value_qualifier="at_least"),
             _year(32, 2012, "BLR", 500e6, value_qualifier="at_most")]
    rows += [_year(40 + i, y, "BLR", v, source_kind="un_comtrade") for i, (y, v) in enumerate([(2013, 1100e6), (2014, 950e6)])]
    # printed exact changes (the rule reads exact ones only): Q1 public before the article, Q2 after it
    rows += [_row(50, frequency="quarter", period_start=pd.Timestamp("2016-01-01"), period_end=pd.Timestamp("2016-03-31"),
                  value_usd=90e6, yoy_pct=-12.5, yoy_qualifier="exact", published_on=pd.Timestamp("2016-04-20")),
             _row(51, frequency="quarter", period_start=pd.Timestamp("2016-04-01"), period_end=pd.Timestamp("2016-06-30"),
                  value_usd=95e6, yoy_pct=7.0, yoy_qualifier="exact", published_on=pd.Timestamp("2016-07-20"))]
    p = _panel(rows)
    p["primary"] = p["source_kind"].isin(["wb_wits", "national_statistics"])
    return p


def test_decline_chart_whole(claims, facts):
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_decline_panel(), claims, facts))
    assert chart.claim_id == "declining-turnover"
    # the title's values in the axis' unit (millions: the largest value is USD 2 bn)
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 50% from 2013 (USD 1,200 mn) to 2015 (USD 600 mn) on "
                             "Belarus's figures; fell 15% from 2013 (USD 800 mn) to 2014 (USD 680 mn) on Kazakhstan's figures")
    assert chart.subtitle == ("Goods turnover (exports + imports), USD million, as each country records it; lines: "
                              "official series, dots: figures quoted in releases; shaded: published by 2016-05-31")
    assert chart.narrative == [
        "Compared: each reporter's highest year from 2012 with its latest year published by 2016-05-31, within its "
        "own series.",
        # the verdict's own latest comparable period, in the verdict's words ("Jan-Mar 2016")
        "Latest part-year change published by 2016-05-31: Jan-Mar 2016 −12.5% on a year earlier (Belarus's figures); "
        "part-year values are not plotted against annual totals.",
        # the rule's known breaks from the chart's first year (2008) on, with the claims file's why
        "Known break 2010 (Kazakhstan), tested as a level shift: customs union with Russia and Belarus from 2010: "
        "Kazakhstan's recording of trade with Belarus changed (customs declarations dropped inside the union from "
        "July 2010)",
        "Known break 2014 (Belarus and Kazakhstan), tested as a level shift: tenge devalued 19% against the USD in "
        "Feb 2014; Russian ruble crisis from late 2014",
        "Known break 2015 (Belarus and Kazakhstan), tested as a level shift: EAEU in force 1 Jan 2015; Belarusian "
        "ruble lost 30% against the USD in Jan 2015; tenge floated Aug 2015"]
    assert chart.note == "" and not chart.empty
    assert chart.reporters == ["BLR", "KAZ"]
    # the panel rows of every annual point from 2008 (window start 2012 - 4) on; 2007 and the quarters are left out
    assert sorted(chart.rows["row_id"]) == sorted(
        [f"t:{i}" for i in (1, 2, 3, 4, 5, 6, 7, 20, 21, 30, 31, 32, 40, 41)])
    # the CSV: one row per plotted value, each with its source
    d = chart.data
    assert list(d.columns) == plotted.CSV_COLUMNS
    off = _series(chart, "Belarus: official series")
    assert off["x"].tolist() == ["2008-07-01", "2011-07-01", "2012-07-01", "2013-07-01", "2014-07-01", "2015-07-01",
                                 "2016-07-01"]
    # the chart's largest value is USD 2 bn, not above: the axis stays in millions
    assert off["y"].tolist() == [350.0, 500.0, 900.0, 1200.0, 1000.0, 600.0, 400.0]
    assert off["period"].tolist() == ["2008", "2011", "2012", "2013", "2014", "2015", "2016"]
    assert set(off["reporter"]) == {"BLR"} and set(off["unit"]) == {"USD million"}
    assert set(off["qualifier"]) == {"exact"} and set(off["source_kind"]) == {"wb_wits"}
    assert off["source"].tolist() == [f"https://example.org/{i}" for i in range(1, 8)]
    kaz = _series(chart, "Kazakhstan: official series")
    assert kaz["y"].tolist() == [800.0, 680.0] and kaz["source"].tolist() == ["https://example.org/20",
                                                                             "https://example.org/21"]
    other = _series(chart, "Belarus: other source (UN Comtrade)")
    assert other["y"].tolist() == [1100.0, 950.0] and set(other["source_kind"]) == {"un_comtrade"}
    press = _series(chart, "Belarus: press figure")
    assert press["x"].tolist() == ["2012-07-01", "2014-07-01", "2015-07-01"]
    assert press["y"].tolist() == [500.0, 1050.0, 2000.0]
    assert press["qualifier"].tolist() == ["at_most", "approx", "at_least"]
    assert set(press["source_kind"]) == {"official_release"} and set(press["unit"]) == {"USD million"}
    assert len(d) == 7 + 2 + 2 + 3
    # traces: style by role, one colour per reporter
    tr = _traces(chart)
    assert list(tr) == ["Belarus: other source (UN Comtrade)", "Belarus: official series", "Belarus: press figure",
                        "Kazakhstan: official series"]
    o = tr["Belarus: official series"]
    assert o.mode == "lines+markers" and o.line.color == "#CC79A7" and o.line.width == 2.5 and o.marker.size == 5
    assert o.name == "Belarus" and o.legendgroup == "BLR" and o.showlegend is False
    assert o.hovertemplate == "Belarus: %{y:,.0f} mn<extra></extra>"
    k = tr["Kazakhstan: official series"]
    assert k.line.color == "#E69F00" and k.name == "Kazakhstan" and k.legendgroup == "KAZ"
    f = tr["Belarus: other source (UN Comtrade)"]  # the publisher's name, never the source id
    assert f.mode == "lines" and f.line.color == "#CC79A7" and f.line.width == 1 and f.opacity == 0.35
    assert f.name == "Belarus, UN Comtrade (other source)" and f.legendgroup == "BLR" and f.showlegend is False
    assert f.hovertemplate == "Belarus, UN Comtrade: %{y:,.0f} mn<extra></extra>"
    p = tr["Belarus: press figure"]
    # dots without text (their labels overlapped the lines'): the value with its sign is in the hover text
    assert p.mode == "markers" and list(p.text) == ["≤500", "≈1,050", "≥2,000"]
    assert list(p.marker.symbol) == ["triangle-down", "circle", "triangle-up"]
    assert p.marker.color == "#fff" and p.marker.size == 9 and p.marker.line.color == "#CC79A7"
    assert p.marker.line.width == 2
    assert p.name == "press figures, Belarus" and p.legendgroup == "press"
    assert p.hovertemplate == "%{text}, Belarus<extra>press</extra>"
    # every line labelled at its end (other sources by publisher), a few values written on the lines, the
    # shaded period known at the article, the article and the programme, each known break of the rule
    ann = {a.text: a for a in chart.fig.layout.annotations}
    lab = ann["<b>Belarus</b>"]
    assert (lab.x, lab.y, lab.xanchor, lab.xshift, lab.font.color, lab.font.size) == ("2016-07-01", 400.0, "left", 8,
                                                                                      "#CC79A7", 13)
    assert lab.showarrow is False and lab.xref == "x" and lab.yref == "y"
    assert (ann["<b>Kazakhstan</b>"].x, ann["<b>Kazakhstan</b>"].y) == ("2014-07-01", 680.0)
    faint = ann["Belarus, UN Comtrade"]
    assert (faint.x, faint.y, faint.font.color) == ("2014-07-01", 950.0, "#CC79A7")
    # values written: Belarus's peak and trough, Kazakhstan's peak and latest (the others left out where
    # their place was taken: every value stays in the hover text and the CSV)
    assert {(t, a.x) for t, a in ann.items() if t[0].isdigit() and "known break" not in t} == {
        ("1,200", "2013-07-01"), ("350", "2008-07-01"), ("800", "2013-07-01"), ("680", "2014-07-01")}
    pub = ann["published by 2016-05-31"]
    assert (pub.x, pub.y, pub.xref, pub.yref) == ("2008-01-01", 0.0, "x", "y domain")
    assert pub.xanchor == "left" and pub.yanchor == "bottom" and pub.font.color == "#0b4f7c" and pub.font.size == 11
    art = ann["article 2016-05-31"]
    assert (art.x, art.y, art.yanchor, art.xanchor) == ("2016-05-31", 1.0, "top", "left")
    assert art.showarrow is False and art.bgcolor == "rgba(255,255,255,0.85)" and art.font.size == 11
    assert art.font.color == "#333" and art.xref == "x" and art.yref == "y domain"
    prog = ann["programme signed 2017-11-29"]
    assert (prog.x, prog.y, prog.yshift) == ("2017-11-29", 1.0, -21)  # the second row: the first is the article's
    kz = ann["2010: known break (Kazakhstan)"]
    assert (kz.x, kz.y, kz.yref, kz.yanchor, kz.font.size) == ("2010-01-01", 0.0, "y domain", "bottom", 10)
    assert kz.hovertext.startswith("customs union with Russia and Belarus from 2010")
    assert "2014: known break" in ann and "2015: known break" in ann  # both countries: none named
    shapes = chart.fig.layout.shapes
    rect = [s for s in shapes if s.type == "rect"]
    assert len(rect) == 1 and (rect[0].x0, rect[0].x1) == ("2008-01-01", "2015-12-31")
    assert rect[0].fillcolor == "rgba(0,114,178,0.10)" and rect[0].yref == "paper" and rect[0].layer == "below"
    assert (rect[0].y0, rect[0].y1) == (0, 1)
    lines = {s.x0: s for s in shapes if s.type == "line"}
    assert set(lines) == {"2016-05-31", "2017-11-29", "2010-01-01", "2014-01-01", "2015-01-01"}
    assert lines["2016-05-31"].line.dash == "dot" and lines["2017-11-29"].line.dash == "dash"
    assert lines["2016-05-31"].x1 == "2016-05-31" and lines["2016-05-31"].yref == "y domain"
    assert lines["2016-05-31"].line.color == "#333" and lines["2016-05-31"].line.width == 1
    assert (lines["2016-05-31"].y0, lines["2016-05-31"].y1) == (0, 1)
    # a break's marker is short: from the axis up to its label
    assert lines["2010-01-01"].y0 == 0 and 0 < lines["2010-01-01"].y1 < 0.25
    # the highest value (2,000) sits below the two rows of rule labels
    top = chart.fig.layout.yaxis.range[1]
    assert chart.fig.layout.yaxis.range[0] == 0 and 2000 * 1.15 < top < 2000 * 1.4
    assert chart.fig.layout.yaxis.title.text == "USD million" and chart.fig.layout.yaxis.tickformat == ",.0f"
    assert chart.fig.layout.xaxis.tickformat == "%Y" and chart.fig.layout.xaxis.dtick == "M24"
    assert tuple(chart.fig.layout.xaxis.range) == ("2008-01-01", "2018-05-29")  # the programme + 6 months
    _check_finish(chart, 470)
    assert chart.fig.layout.margin.l == 60 and chart.fig.layout.margin.r == 150


def test_decline_part_year_change_must_be_recent_and_published(claims, facts):
    """The latest part-year change is the verdict's latest comparable period: exact, public by the
    article, first public within the rule's recency_months (15) before it (it was the chart's own
    pick: any precision, ending 15 months before the article or later)."""
    base = [_year(1, 2013, "BLR", 1000e6), _year(2, 2014, "BLR", 800e6)]

    def narrative(extra, claims=claims):
        return _said(charts.chart_for(_claim(claims, "declining_trend"),
                                      _inputs(_panel(base + extra), claims, facts)).narrative)

    feb = _row(9, frequency="month", period_start=pd.Timestamp("2015-02-01"), period_end=pd.Timestamp("2015-02-28"),
               value_usd=50e6, yoy_pct=3.0, yoy_qualifier="exact", published_on=pd.Timestamp("2015-03-20"))
    jan = _row(8, frequency="month", period_start=pd.Timestamp("2015-01-01"), period_end=pd.Timestamp("2015-01-31"),
               value_usd=50e6, yoy_pct=4.0, yoy_qualifier="exact", published_on=pd.Timestamp("2015-02-20"))
    # first public 2015-03-20, within 15 months of 2016-05-31 (2015-02-28 on): still recent
    assert narrative([feb])[-1] == ("Latest part-year change published by 2016-05-31: Feb 2015 +3% on a year earlier "
                                    "(Belarus's figures); part-year values are not plotted against annual totals.")
    assert len(narrative([jan])) == 1  # first public 2015-02-20, before the 15 months: not shown
    # the rule's recency_months, not a number of the chart's own: 3 months leave February out
    short, _ = _with_rule(claims, "declining_trend", recency_months=3)
    assert len(narrative([feb], claims=short)) == 1
    approx = _row(9, frequency="month", period_start=pd.Timestamp("2015-02-01"), period_end=pd.Timestamp("2015-02-28"),
                  value_usd=50e6, yoy_pct=3.0, yoy_qualifier="approx", published_on=pd.Timestamp("2015-03-20"))
    assert len(narrative([approx])) == 1  # exact changes only (exact_only), as the rule reads them
    late = _row(7, frequency="month", period_start=pd.Timestamp("2016-04-01"), period_end=pd.Timestamp("2016-04-30"),
                value_usd=50e6, yoy_pct=-2.0, yoy_qualifier="exact", published_on=pd.Timestamp("2016-06-01"))
    assert "Feb 2015" in narrative([feb, late])[-1]  # published the day after the article
    at = _row(6, frequency="month", period_start=pd.Timestamp("2016-04-01"), period_end=pd.Timestamp("2016-04-30"),
              value_usd=50e6, yoy_pct=-2.0, yoy_qualifier="exact", published_on=pd.Timestamp("2016-05-31"))
    assert "Apr 2016 −2%" in narrative([feb, at])[-1]  # published on the article's day
    # an annual y/y change is not a part-year change
    annual = _year(5, 2015, "BLR", 700e6, yoy_pct=-12.5, yoy_qualifier="exact")
    assert len(narrative([annual])) == 1
    # two figures for the same quarter: the rule's (the source of the reporter's annual series) is the word
    q1 = dict(frequency="quarter", period_start=pd.Timestamp("2016-01-01"), period_end=pd.Timestamp("2016-03-31"),
              value_usd=50e6, yoy_qualifier="exact")
    first = _row(4, source_kind="national_statistics", yoy_pct=-3.0, published_on=pd.Timestamp("2016-04-10"), **q1)
    later = _row(3, yoy_pct=-4.0, published_on=pd.Timestamp("2016-04-20"), **q1)
    assert "Jan-Mar 2016 −4% on a year earlier" in narrative([later, first])[-1]
    assert "Jan-Mar 2016 −4% on a year earlier" in narrative([first, later])[-1]


def test_decline_title_uses_later_figures_when_none_were_known(claims, facts):
    rows = [_year(1, 2015, "KAZ", 1000e6, published_on=pd.Timestamp("2016-07-01")),
            _year(2, 2016, "KAZ", 700e6)]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    # the rule reads years up to the statement only: 2015 alone, so no verdict compares two years and the
    # chart computes no change of its own (it said "fell 30% from 2015 ... to 2016 ... (figures published after)")
    assert chart.finding == ("Fewer than two annual Belarus–Kazakhstan turnover figures of one reporter in 2012–2016 "
                             "up to the statement (2016-05-31)")
    assert _said(chart.narrative) == []
    assert chart.reporters == ["KAZ"]
    # nothing was public at the article: no shaded period, only the article's date
    # the article's and the programme's lines, and the marker of the 2015 break (the chart's first year)
    assert [sh.type for sh in chart.fig.layout.shapes] == ["line", "line", "line"]
    assert "published by 2016-05-31" not in [a.text for a in chart.fig.layout.annotations]


def test_decline_peak_is_the_highest_earlier_year_and_bounds_give_no_percent(claims, facts):
    rows = [_year(1, 2012, "BLR", 700e6), _year(2, 2013, "BLR", 900e6, value_qualifier="approx"),
            _year(3, 2014, "BLR", 1000e6, value_qualifier="at_least"), _year(4, 2015, "BLR", 1300e6)]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    # the verdict's comparison: exact values only (the rounded 2013 and the bound 2014 are plotted, never compared)
    assert chart.finding == ("Belarus–Kazakhstan turnover rose 86% from 2012 (USD 700 mn) to 2015 (USD 1,300 mn) "
                             "on Belarus's figures")
    rows[2] = _year(3, 2014, "BLR", 1000e6, value_qualifier="exact")
    rows[3] = _year(4, 2015, "BLR", 1300e6, value_qualifier="approx")
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    assert chart.finding == ("Belarus–Kazakhstan turnover rose 43% from 2012 (USD 700 mn) to 2014 (USD 1,000 mn) "
                             "on Belarus's figures")


def test_unstated_origin_decides_only_without_a_named_reporter(claims, facts):
    unk = [_year(1, 2013, "unknown", 1000e6), _year(2, 2014, "unknown", 500e6)]
    blr = [_year(3, 2013, "BLR", 800e6), _year(4, 2014, "BLR", 600e6)]
    both = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(unk + blr), claims, facts))
    assert both.finding == ("Belarus–Kazakhstan turnover fell 25% from 2013 (USD 800 mn) to 2014 (USD 600 mn) on "
                            "Belarus's figures")
    assert both.reporters == ["BLR", "unknown"]
    tr = _traces(both)
    assert tr["reporter not stated: press figure"].marker.line.color == "#767676"


def test_decline_titles_without_two_points(claims, facts):
    one = charts.chart_for(_claim(claims, "declining_trend"),
                           _inputs(_panel([_year(1, 2013, "BLR", 1000e6), _year(2, 2013, "KAZ", 900e6)]), claims, facts))
    assert one.finding == ("Fewer than two annual Belarus–Kazakhstan turnover figures of one reporter in 2012–2016 "
                           "up to the statement (2016-05-31)")
    assert _said(one.narrative) == [] and not one.empty and one.note == ""
    none = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel([_year(1, 2005, "BLR", 1e9)]), claims, facts))
    assert none.finding == "No annual Belarus–Kazakhstan turnover figure in the data"
    assert none.empty and none.note == ("No annual turnover figure for Belarus–Kazakhstan in the data, so there is "
                                        "nothing to draw.")
    assert none.reporters == [] and len(none.fig.layout.shapes) == 0 and len(none.fig.layout.annotations) == 0


def test_decline_window_bounds_come_from_the_claim(claims, facts):
    rows = [_year(1, 2010, "BLR", 2000e6), _year(2, 2012, "BLR", 1000e6), _year(3, 2013, "BLR", 800e6)]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    assert "fell 20% from 2012 (USD 1,000 mn) to 2013" in chart.finding  # 2010 is before the window (2012)
    moved, c = _with_rule(claims, "declining_trend")
    c2 = c.model_copy(update={"window": c.window.model_copy(update={"start": 2010})})
    moved = moved.model_copy(update={"claims": [c2 if x is c else x for x in moved.claims]})
    chart = charts.chart_for(c2, _inputs(_panel(rows), moved, facts))
    assert "fell 60% from 2010 (USD 2,000 mn) to 2013 (USD 800 mn)" in chart.finding
    assert chart.narrative[0].startswith("Compared: each reporter's highest year from 2010 ")
    # the window's end: a 2017 figure is outside 2012-2016 even when published by the article
    rows2 = [_year(1, 2012, "BLR", 1000e6), _year(2, 2013, "BLR", 800e6),
             _year(3, 2017, "BLR", 100e6, published_on=pd.Timestamp("2018-01-05"))]
    late = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows2), claims, facts))
    assert "fell 20% from 2012" in late.finding


def test_publication_lag_from_the_rule_decides_what_was_known(claims, facts):
    # no printed publication date: known from period end + the rule's lag for annual figures (60 days)
    rows = [_year(1, 2013, "BLR", 1000e6, published_on=None), _year(2, 2014, "BLR", 800e6, published_on=None),
            _year(3, 2015, "BLR", 500e6, published_on=None)]
    inp = _inputs(_panel(rows), claims, facts)
    chart = charts.chart_for(_claim(claims, "declining_trend"), inp)
    assert "fell 50% from 2013 (USD 1,000 mn) to 2015 (USD 500 mn)" in chart.finding  # 2015-12-31 + 60 d < 2016-05-31
    lagged, c = _with_rule(claims, "declining_trend",
                           publication_lag_days={"annual": 200, "half-year": 45, "quarter": 45, "month": 40,
                                                 "year-to-date": 40})
    chart = charts.chart_for(c, _inputs(_panel(rows), lagged, facts))
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 20% from 2013 (USD 1,000 mn) to 2014 (USD 800 mn) on "
                             "Belarus's figures")


# ---------------------------------------------------------------- helpers

def test_colour_is_fixed_per_country_across_pairs_with_the_pair_first_class():
    for code in (None, "", "unknown"):
        assert charts.colour(code, ("BLR", "KAZ")) == "#767676"
    # one colour per country by its ISO3 code, whatever the pair or its order
    pairs = [("BLR", "KAZ"), ("KAZ", "BLR"), ("KAZ", "RUS"), ("BLR", "CHN"), ("RUS", "UKR"), ()]
    for code in ("BLR", "KAZ", "RUS", "CHN", "UKR"):
        assert len({charts.colour(code, p) for p in pairs}) == 1, code
    # the project's five countries have five different colours, all Okabe-Ito
    five = [charts.colour(c, ()) for c in ("BLR", "KAZ", "RUS", "CHN", "UKR")]
    assert len(set(five)) == 5 and set(five) <= set(charts.PALETTE)
    assert charts.colour("KAZ", ()) == "#E69F00" and charts.colour("BLR", ()) == "#CC79A7"
    # the pair's two always differ; another country never takes a pair country's colour
    for a in ("AAA", "AAB", "AAC", "AAD", "BLR"):
        for b in ("AAE", "AAF", "KAZ"):
            pa, pb = charts.colour(a, (a, b)), charts.colour(b, (a, b))
            assert pa != pb
            for other in ("RUS", "ZZZ", "QQQ"):
                assert charts.colour(other, (a, b)) not in (pa, pb)


def test_wrap_breaks_at_words_only():
    assert charts.wrap("a" * 10 + " " + "b" * 10, 12) == "a" * 10 + "<br>" + "b" * 10
    assert charts.wrap("x" * 30, 10) == "x" * 30  # no break inside a word
    assert charts.wrap("", 10) == ""


def test_change_wording():
    """The title states the verdict's own comparison (``DeclineFacts``); the chart computes no change
    of its own any more, so rounded values and bounds, which the rule never rates, give none."""
    from turnover.model.results import DeclineFacts

    f = DeclineFacts(reporter="BLR", pair=("BLR", "KAZ"), then_published=True, reference_year=2013,
                     reference_musd=1000.0, latest_year=2015, latest_musd=590.0, change_vs_reference_pct=-41.0)
    assert charts._decline_change(f, "BLR") == "fell 41% from 2013 (USD 1.0 bn) to 2015 (USD 590 mn) on Belarus's figures"
    up = DeclineFacts(reporter="KAZ", pair=("BLR", "KAZ"), then_published=True, reference_year=2013,
                      reference_musd=500.0, latest_year=2015, latest_musd=600.0, change_vs_reference_pct=20.0)
    assert charts._decline_change(up, "KAZ") == "rose 20% from 2013 (USD 500 mn) to 2015 (USD 600 mn) on Kazakhstan's figures"
    flat = DeclineFacts(reporter="BLR", pair=("BLR", "KAZ"), then_published=True, reference_year=2013,
                        reference_musd=500.0, latest_year=2015, latest_musd=498.5, change_vs_reference_pct=-0.3)
    assert charts._decline_change(flat, "BLR").startswith("fell 0.3% from 2013")  # never "0%" for a fall
    bound = DeclineFacts(reporter="unknown", pair=("BLR", "KAZ"), then_published=True, latest_year=2015, bound=True,
                         printed_yoy_pct=-40.0, change_vs_reference_at_most_pct=-40.0)
    assert charts._decline_change(bound, "unknown") == ("fell at least 40% below the peak by 2015 (printed change) on "
                                                       "figures of unstated origin")
    assert charts._decline_change(DeclineFacts(reporter="BLR", pair=("BLR", "KAZ"), then_published=True,
                                               latest_year=2015), "BLR") is None


def test_events_name_the_fact_of_that_date_else_the_claim(claims, facts):
    inp = _inputs(_panel([_year(1, 2013, "BLR", 1e9)]), claims, facts)
    assert charts.events(inp) == [(pd.Timestamp("2017-11-29"), "programme signed")]
    moved, c = _with_rule(claims, "recovery", event_date=dt.date(2018, 2, 3))
    assert charts.events(_inputs(inp.panel, moved, facts)) == [(pd.Timestamp("2018-02-03"),
                                                               "programme recovery (event date)")]
    assert charts.events(inp, [_claim(claims, "declining_trend")]) == []
    rec = _claim(claims, "recovery")
    early = rec.model_copy(update={"id": "second-one", "rule": rec.rule.model_copy(update={"event_date": dt.date(2015, 1, 1)})})
    two = claims.model_copy(update={"claims": [*claims.claims, early]})
    assert charts.events(_inputs(inp.panel, two, facts)) == [(pd.Timestamp("2015-01-01"), "second one (event date)"),
                                                             (pd.Timestamp("2017-11-29"), "programme signed")]


def test_best_per_year_prefers_precision_then_the_latest_published():
    rows = [_year(1, 2013, "BLR", 100e6, value_qualifier="approx", published_on=pd.Timestamp("2014-05-01")),
            _year(2, 2013, "BLR", 200e6, value_qualifier="exact", published_on=pd.Timestamp("2014-02-01")),
            _year(3, 2013, "BLR", 300e6, value_qualifier="exact", published_on=pd.Timestamp("2014-03-01")),
            _year(4, 2014, "BLR", 400e6, value_qualifier="at_least", published_on=pd.Timestamp("2015-09-01")),
            _year(5, 2014, "BLR", 500e6, value_qualifier="approx", published_on=pd.Timestamp("2015-02-01"))]
    d = pd.DataFrame(rows)
    best = charts._best_per_year(d)
    assert best["row_id"].tolist() == ["t:3", "t:5"] and list(best.columns) == list(d.columns) + ["_y"]
    # no known_from column: the publication date decides among equals; known_from wins where present
    d2 = d.assign(known_from=[pd.Timestamp(x) for x in ("2014-05-01", "2014-09-01", "2014-03-01", "2015-09-01",
                                                          "2015-02-01")])
    assert charts._best_per_year(d2)["row_id"].tolist() == ["t:2", "t:5"]
    assert charts._best_per_year(d.iloc[0:0]).empty


def test_turnover_points_sources_primary_and_labels(claims, facts):
    """The chart's points are the model's ``turnover`` tables (annual points of the claim's latest
    vintage; part-years are not plotted), each with its source URLs."""
    rows = [_row(1, flow="export", value_usd=60e6, source_url="https://b.example/x"),
            _row(2, flow="import", value_usd=40e6, source_url="https://a.example/y"),
            _row(3, reporter="KAZ", source_kind="un_comtrade", frequency="half-year",
                 period_start=pd.Timestamp("2014-01-01"), period_end=pd.Timestamp("2014-06-30"), value_usd=30e6,
                 published_on=pd.Timestamp("2014-08-01"))]
    p = _panel(rows).drop(columns="primary")
    c = _claim(claims, "declining_trend")
    pts = charts.turnover_points(_inputs(p, claims, facts), c)
    assert pts["reporter"].tolist() == ["BLR"]  # the half-year is no annual point
    assert pts["value_usd"].tolist() == [100e6]  # exports + imports
    assert pts["source_url"].tolist() == ["https://a.example/y https://b.example/x"]
    assert pts["period_label"].tolist() == ["2013"]
    # the rule reads this press quote as Belarus's series; the chart draws press quotes as dots all the same
    assert pts["primary"].tolist() == [False]
    stats = p.assign(source_kind="national_statistics")
    assert charts.turnover_points(_inputs(stats, claims, facts), c)["primary"].tolist() == [True]
    assert charts.turnover_points(_inputs(_panel([_year(1, 2005, "BLR", 1e9)]).iloc[0:0], claims, facts), c).empty
    assert sorted(charts.rows_behind(p, pts)["row_id"]) == ["t:1", "t:2"]


def test_bilateral_share_of_total_trade(claims, facts):
    """The share panel plots the model's ``shares`` table (decline._versus_total reads the same)."""
    rows = [_year(1, 2014, "BLR", 800e6, source_kind="wb_wits"), _year(2, 2015, "BLR", 500e6, source_kind="wb_wits"),
            _year(3, 2016, "BLR", 400e6, source_kind="wb_wits")]
    rows += [_year(10, 2014, "BLR", 30e9, source_kind="wb_wits", partner="WLD", flow="export"),
             _year(11, 2014, "BLR", 10e9, source_kind="wb_wits", partner="WLD", flow="import"),
             _year(12, 2015, "BLR", 25e9, source_kind="wb_wits", partner="WLD", flow="turnover",
                   source_url="https://w.example/t"),
             _year(13, 2016, "BLR", 0.0, source_kind="wb_wits", partner="WLD", flow="turnover"),
             # half a year and another reporter's total: not a total for BLR
             _row(14, source_kind="wb_wits", partner="WLD", frequency="half-year", period_start=pd.Timestamp("2014-01-01"),
                  period_end=pd.Timestamp("2014-06-30"), value_usd=1e9),
             _year(15, 2014, "KAZ", 5e9, country="KAZ", source_kind="wb_wits", partner="WLD", flow="turnover")]
    p = _panel(rows)
    c = _claim(claims, "declining_trend")
    inp = _inputs(p, claims, facts)
    share = charts.shares(inp, c)
    assert share.equals(share) and share["year"].tolist() == [2014, 2015]  # a zero total gives no share
    assert share["share_pct"].round(9).tolist() == [2.0, 2.0]
    assert share["total_usd"].tolist() == [40e9, 25e9]
    assert share["reporter"].tolist() == ["BLR", "BLR"] and share["total_source_kind"].tolist() == ["wb_wits", "wb_wits"]
    assert share["source"].tolist() == ["https://example.org/1 https://example.org/10 https://example.org/11",
                                        "https://example.org/2 https://w.example/t"]
    model = inp.verdict("declining-turnover", "today", "BLR").tables["shares"]
    assert model["share_pct"].tolist() == share["share_pct"].tolist()  # the model's table, as it is
    assert charts.shares(_inputs(p[p["partner"] != "WLD"], claims, facts), c).empty


def test_share_panel_below_the_turnover_lines(claims, facts):
    rows = [_year(1, 2014, "BLR", 800e6, source_kind="wb_wits"), _year(2, 2015, "BLR", 500e6, source_kind="wb_wits")]
    rows += [_year(10 + i, y, "BLR", v, source_kind="wb_wits", partner="WLD", flow=flow)
             for i, (y, flow, v) in enumerate([(2014, "export", 30e9), (2014, "import", 10e9), (2015, "export", 15e9),
                                               (2015, "import", 10e9)])]
    p = _panel(rows).assign(primary=True)
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(p, claims, facts))
    share = _series(chart, "Belarus: share of total trade")
    assert share["y"].round(9).tolist() == [2.0, 2.0] and share["period"].tolist() == ["2014", "2015"]
    assert share["x"].tolist() == ["2014-07-01", "2015-07-01"] and set(share["unit"]) == {
        "% of the reporter's total goods trade"}
    assert set(share["qualifier"]) == {"exact"} and set(share["source_kind"]) == {"wb_wits"}
    tr = _traces(chart)["Belarus: share of total trade"]
    assert tr.yaxis == "y2" and tr.line.color == "#CC79A7" and tr.line.width == 2 and tr.showlegend is False
    assert tr.name == "Belarus: share" and tr.hovertemplate == "Belarus: %{y:.2f}%<extra></extra>"
    assert _traces(chart)["Belarus: official series"].yaxis == "y"
    assert chart.fig.layout.annotations[0].text == "Share of each reporter's total goods trade, %"
    # rows of 72% and 28% of the height left by a 10% gap
    assert chart.fig.layout.yaxis.domain == pytest.approx((0.352, 1.0))
    assert chart.fig.layout.yaxis2.domain == pytest.approx((0.0, 0.252))
    # the highest value below the rule labels' rows; the share panel from 0 with room for its line-end labels
    assert chart.fig.layout.yaxis.range[0] == 0 and 800 * 1.05 < chart.fig.layout.yaxis.range[1] < 800 * 1.4
    assert chart.fig.layout.yaxis2.range == (0, pytest.approx(2.0 * 1.15))
    assert {a.text for a in chart.fig.layout.annotations if a.yref == "y2"} == {"Belarus"}  # the share line's label
    assert chart.fig.layout.xaxis2.matches == "x" or chart.fig.layout.xaxis.matches == "x2"
    assert len(chart.fig.data) == 2
    _check_finish(chart, 600)
    # without the reporter's world total there is no share, and no empty second panel
    no_totals = charts.chart_for(_claim(claims, "declining_trend"), _inputs(p[p["partner"] != "WLD"], claims, facts))
    assert "share of total trade" not in " ".join(no_totals.data["series"])


# ---------------------------------------------------------------- recovery

def _recovery_panel():
    blr = [(2010, 300e6), (2011, 700e6), (2013, 1000e6), (2016, 500e6), (2017, 600e6), (2018, 800e6), (2019, 900e6)]
    rows = [_year(i, y, "BLR", v, source_kind="wb_wits") for i, (y, v) in enumerate(blr)]
    rows += [_year(20, 2013, "KAZ", 800e6), _year(21, 2016, "KAZ", 400e6),
             _year(22, 2019, "KAZ", 700e6, value_qualifier="at_least")]
    p = _panel(rows)
    p["primary"] = p["source_kind"] == "wb_wits"
    return p


def test_recovery_chart_whole(claims, facts):
    chart = charts.chart_for(_claim(claims, "recovery"), _inputs(_recovery_panel(), claims, facts))
    assert chart.claim_id == "programme-recovery"
    # the verdicts' figures only: Kazakhstan's 2019 figure is a bound, so its verdict rates nothing and the
    # chart no longer works out a change of its own ("went from USD 400 mn in 2016 to ≥USD 700 mn in 2019")
    assert chart.finding == ("After the programme signed (2017-11-29), Belarus–Kazakhstan turnover was at 90% of its "
                             "2013 level in 2019 on Belarus's figures")
    assert chart.narrative == [
        "Belarus's figures: rose 80% from 2016 (USD 500 mn) to 2019 (USD 900 mn).",
        "1 figure after the programme signed is printed only as bounds (\"more than\" / \"less than\", "
        "triangles); a bound gives no percentage."]
    assert chart.subtitle == ("Goods turnover (exports + imports), USD million, as each country records it; lines: "
                              "official series, dots: figures quoted in releases; shaded: published by 2016-05-31")
    assert chart.reporters == ["BLR", "KAZ"] and chart.note == ""
    off = _series(chart, "Belarus: official series")  # from 2011 (window start 2013 - 2) on
    assert off["x"].tolist() == ["2011-07-01", "2013-07-01", "2016-07-01", "2017-07-01", "2018-07-01", "2019-07-01"]
    assert off["y"].tolist() == [700.0, 1000.0, 500.0, 600.0, 800.0, 900.0]
    press = _series(chart, "Kazakhstan: press figure")
    assert press["y"].tolist() == [800.0, 400.0, 700.0] and press["qualifier"].tolist() == ["exact", "exact", "at_least"]
    assert list(_traces(chart)["Kazakhstan: press figure"].text) == ["800", "400", "≥700"]
    assert sorted(chart.rows["row_id"]) == sorted(f"t:{i}" for i in (1, 2, 3, 4, 5, 6, 20, 21, 22))
    lines = {s.x0: s.line.dash for s in chart.fig.layout.shapes if s.type == "line"}
    assert lines == {"2016-05-31": "dot", "2017-11-29": "dash"}
    rect = [s for s in chart.fig.layout.shapes if s.type == "rect"][0]
    assert (rect.x0, rect.x1) == ("2011-01-01", "2013-12-31")  # 2016 was published in 2017
    assert chart.fig.layout.yaxis.range[0] == 0 and 1000 * 1.05 < chart.fig.layout.yaxis.range[1] < 1000 * 1.4
    _check_finish(chart, 470)


def test_recovery_reference_and_trough_years_come_from_the_rule(claims, facts):
    p = _recovery_panel()
    moved, c = _with_rule(claims, "recovery", reference_year=2011)
    chart = charts.chart_for(c, _inputs(p, moved, facts))
    assert chart.finding == ("After the programme signed (2017-11-29), Belarus–Kazakhstan turnover was at "
                             "129% of its 2011 level in 2019 on Belarus's figures")
    assert chart.narrative[0] == "Belarus's figures: rose 80% from 2016 (USD 500 mn) to 2019 (USD 900 mn)."
    # no reference year in the data: the verdicts cannot be checked, and the title says why in their words
    moved, c = _with_rule(claims, "recovery", reference_year=2012, trough_year=2013)
    chart = charts.chart_for(c, _inputs(p, moved, facts))
    assert chart.finding == ("After the programme signed (2017-11-29) no reporter's figures can be rated: on Belarus's "
                             "figures: no exact 2012 value; on Kazakhstan's figures: no exact 2012 value; 0 exact "
                             "annual values after 2017 (2 needed)")
    assert chart.narrative == ["1 figure after the programme signed is printed only as bounds (\"more than\" / "
                               "\"less than\", triangles); a bound gives no percentage."]


def test_recovery_counts_figures_after_the_event_date_only(claims, facts):
    p = _recovery_panel()
    # an event on 1 Jan 2019: the 2019 figures start on that day, so they are not after it
    moved, c = _with_rule(claims, "recovery", event_date=dt.date(2019, 1, 1))
    chart = charts.chart_for(c, _inputs(p, moved, facts))
    assert chart.finding == ("No annual Belarus–Kazakhstan turnover figure after the programme recovery (event date) "
                             "(2019-01-01) in the data")
    assert chart.narrative == [] and not chart.empty
    moved, c = _with_rule(claims, "recovery", event_date=dt.date(2018, 12, 31))
    chart = charts.chart_for(c, _inputs(p, moved, facts))
    # 2019 is after the event, but one exact year is fewer than the rule's min_points_after (2)
    assert chart.finding.startswith("After the programme recovery (event date) (2018-12-31) no reporter's figures can "
                                    "be rated: on Belarus's figures: 1 exact annual value after 2018 (2 needed)")
    assert {s.x0 for s in chart.fig.layout.shapes if s.type == "line"} == {"2016-05-31", "2018-12-31"}


def test_recovery_with_figures_that_cannot_be_compared(claims, facts):
    rows = [_year(1, 2013, "BLR", 1000e6), _year(2, 2019, "unknown", 900e6)]
    chart = charts.chart_for(_claim(claims, "recovery"), _inputs(_panel(rows), claims, facts))
    assert chart.finding == ("After the programme signed (2017-11-29) no reporter's figures can be rated: on Belarus's "
                             "figures: no exact value 2014-2017 for the trough; 0 exact annual values after 2017 (2 "
                             "needed); on Kazakhstan's figures: no exact 2013 value; no exact value 2014-2017 for the "
                             "trough; 0 exact annual values after 2017 (2 needed)")
    assert chart.narrative == [] and chart.reporters == ["BLR", "unknown"]
    # a bound as the latest figure and no trough: nothing to say for that reporter
    rows = [_year(1, 2013, "BLR", 1000e6), _year(2, 2019, "BLR", 900e6, value_qualifier="at_most")]
    chart = charts.chart_for(_claim(claims, "recovery"), _inputs(_panel(rows), claims, facts))
    assert chart.finding.startswith("After the programme signed (2017-11-29) no reporter's figures can be rated: on "
                                    "Belarus's figures: no exact value 2014-2017 for the trough;")
    assert chart.narrative == ["1 figure after the programme signed is printed only as bounds (\"more than\" / "
                               "\"less than\", triangles); a bound gives no percentage."]
    # a reference printed as a bound: no exact reference, so no verdict and no change of the chart's own
    rows = [_year(1, 2013, "BLR", 1000e6, value_qualifier="at_least"), _year(2, 2016, "BLR", 400e6),
            _year(3, 2019, "BLR", 500e6)]
    chart = charts.chart_for(_claim(claims, "recovery"), _inputs(_panel(rows), claims, facts))
    assert chart.finding.startswith("After the programme signed (2017-11-29) no reporter's figures can be rated: on "
                                    "Belarus's figures: no exact 2013 value; 1 exact annual value after 2017 (2 needed)")
    assert chart.narrative == []


def test_recovery_without_data(claims, facts):
    chart = charts.chart_for(_claim(claims, "recovery"), _inputs(_panel([_year(1, 2005, "BLR", 1e9)]), claims, facts))
    assert chart.empty and chart.finding == ("No annual Belarus–Kazakhstan turnover figure after the programme signed "
                                             "(2017-11-29) in the data")
    assert chart.note == "No annual turnover figure for Belarus–Kazakhstan in the data, so there is nothing to draw."


# ---------------------------------------------------------------- mirror statistics

def _flow(i, y, exp, imp, flow, v, **kw):
    country = exp if flow == "export" else imp
    partner = imp if flow == "export" else exp
    kw.setdefault("source_kind", "national_statistics")
    return _year(i, y, country, v, country=country, partner=partner, flow=flow, **kw)


def _mirror_panel():
    rows = []
    # window 2013-2025: plotted from 2011, counted from 2013 to 2025
    for i, (y, ex, im) in enumerate([(2010, 100e6, 300e6), (2011, 100e6, 150e6), (2013, 100e6, 100e6),
                                     (2015, 100e6, 130e6), (2016, 200e6, 190e6), (2025, 100e6, 100e6),
                                     (2026, 100e6, 150e6)]):
        rows += [_flow(10 + i, y, "BLR", "KAZ", "export", ex), _flow(20 + i, y, "BLR", "KAZ", "import", im)]
    rows += [_flow(30, 2015, "KAZ", "BLR", "export", 64e6), _flow(31, 2015, "KAZ", "BLR", "import", 72e6),
             _flow(32, 2016, "KAZ", "BLR", "import", 80e6)]
    # a press quote beside the statistics and a half-year: neither is the annual series
    rows += [_flow(40, 2013, "BLR", "KAZ", "export", 999e6, source_kind="official_release"),
             _row(41, reporter="BLR", partner="KAZ", flow="export", value_usd=50e6, source_kind="national_statistics",
                  frequency="half-year", period_start=pd.Timestamp("2013-01-01"), period_end=pd.Timestamp("2013-06-30"))]
    return _panel(rows)


def test_mirror_chart_whole(claims, facts):
    moved, c = _with_rule(claims, "mirror_gap", band_pct=(0, 12.5))
    chart = charts.chart_for(c, _inputs(_mirror_panel(), moved, facts))
    # counted in the window (2013-2025): 2013 +0% in, 2015 +30% out, 2016 -5% out, 2025 +0% in; 2015 the other way
    # +12.5% in (2011 and 2026, +50%, are drawn but not counted)
    assert chart.finding == ("In 2 of 5 years the importer's figure lies outside the usual CIF/FOB margin (0-12.5% "
                             "more than the exporter's)")
    assert chart.narrative == ["Largest departure: Belarus→Kazakhstan 2015, imports 30% above exports."]
    assert chart.subtitle == ("Exports as the exporter records them (FOB, solid) and imports as the importer records "
                              "them (CIF, dotted), USD million per year; grey band: the usual margin, imports 0-12.5% "
                              "more than exports")
    # the flow-years the verdict compared (the model's flows table): 2011 and 2026 lie outside the window,
    # Kazakhstan's 2016 imports have no Kazakhstan export to be compared with, so none is drawn
    ex = _series(chart, "Belarus→Kazakhstan: Belarus's exports (FOB)")
    assert ex["x"].tolist() == ["2013-07-01", "2015-07-01", "2016-07-01", "2025-07-01"]
    assert ex["y"].tolist() == [100.0, 100.0, 200.0, 100.0]
    assert ex["period"].tolist() == ["2013", "2015", "2016", "2025"]
    assert set(ex["reporter"]) == {"BLR"} and set(ex["source_kind"]) == {"national_statistics"}
    assert set(ex["unit"]) == {"USD million"} and set(ex["qualifier"]) == {"exact"}
    im = _series(chart, "Belarus→Kazakhstan: Kazakhstan's imports (CIF)")
    assert im["y"].tolist() == [100.0, 130.0, 190.0, 100.0] and set(im["reporter"]) == {"KAZ"}
    low = _series(chart, "Belarus→Kazakhstan: band low (exports +0%)")
    assert low["y"].tolist() == [100.0, 100.0, 200.0, 100.0] and set(low["reporter"]) == {"BLR"}
    for band in (low, _series(chart, "Belarus→Kazakhstan: band high (exports + 12.5%)")):
        assert band["period"].tolist() == ex["period"].tolist() and band["x"].tolist() == ex["x"].tolist()
        assert set(band["qualifier"]) == {"exact"} and set(band["source_kind"]) == {"national_statistics"}
        assert set(band["unit"]) == {"USD million"} and set(band["reporter"]) == {"BLR"}
    high = _series(chart, "Belarus→Kazakhstan: band high (exports + 12.5%)")
    assert high["y"].round(9).tolist() == [112.5, 112.5, 225.0, 112.5]
    assert high["source"].tolist() == ex["source"].tolist() == [f"https://example.org/{i}" for i in (12, 13, 14, 15)]
    assert _series(chart, "Kazakhstan→Belarus: Kazakhstan's exports (FOB)")["y"].tolist() == [64.0]
    assert _series(chart, "Kazakhstan→Belarus: Belarus's imports (CIF)")["y"].tolist() == [72.0]
    assert _series(chart, "Kazakhstan→Belarus: band high (exports + 12.5%)")["y"].tolist() == [72.0]
    assert len(chart.data) == 4 * 4 + 4 * 1
    tr = _traces(chart)
    e = tr["Belarus→Kazakhstan: Belarus's exports (FOB)"]
    assert e.mode == "lines+markers" and e.line.color == "#CC79A7" and e.line.width == 2.5 and e.line.dash == "solid"
    assert e.marker.size == 6 and e.name == "Belarus's exports (FOB)" and e.legendgroup == "BLR"
    assert e.hovertemplate == "Belarus's exports (FOB): %{y:,.0f} mn<extra></extra>" and e.yaxis == "y"
    i = tr["Belarus→Kazakhstan: Kazakhstan's imports (CIF)"]
    assert i.line.dash == "dot" and i.line.color == "#E69F00" and i.legendgroup == "KAZ"
    assert tr["Kazakhstan→Belarus: Belarus's imports (CIF)"].yaxis == "y2"
    b0, b1 = tr["Belarus→Kazakhstan: band low (exports +0%)"], tr["Belarus→Kazakhstan: band high (exports + 12.5%)"]
    assert b0.mode == "lines" and b0.line.width == 0 and b0.showlegend is False and b0.hoverinfo == "skip"
    assert b1.fill == "tonexty" and b1.fillcolor == "rgba(0,0,0,0.10)" and b1.line.width == 0
    assert b1.name == "usual CIF/FOB margin (importer 0-12.5% more)" and b1.legendgroup == "band" and b1.showlegend is True
    assert b1.hoverinfo == "skip"
    assert tr["Kazakhstan→Belarus: band high (exports + 12.5%)"].showlegend is False
    assert [a.text for a in chart.fig.layout.annotations][:2] == ["Goods from Belarus to Kazakhstan",
                                                                  "Goods from Kazakhstan to Belarus"]
    # every line labelled directly at its last point, in its colour (no legend needed)
    labels = {a.text: a for a in chart.fig.layout.annotations[2:]}
    assert set(labels) == {"Belarus's exports (FOB)", "Kazakhstan's imports (CIF)", "Kazakhstan's exports (FOB)",
                           "Belarus's imports (CIF)"}
    assert labels["Belarus's exports (FOB)"].font.color == charts.colour("BLR", ())
    assert chart.fig.layout.yaxis.domain == pytest.approx((0.58, 1.0))  # two rows, a 16% gap between them
    assert chart.fig.layout.yaxis2.domain == pytest.approx((0.0, 0.42))
    assert chart.fig.layout.xaxis2.matches is None and chart.fig.layout.xaxis.matches == "x2"
    for ax in (chart.fig.layout.yaxis, chart.fig.layout.yaxis2):
        assert ax.title.text == "USD million" and ax.rangemode == "tozero"
    for ax in (chart.fig.layout.xaxis, chart.fig.layout.xaxis2):
        assert ax.tickformat == "%Y" and ax.dtick == "M12" and ax.showticklabels is True
    assert chart.reporters == ["BLR", "KAZ"]
    assert sorted(chart.rows["row_id"]) == sorted(f"t:{i}" for i in (12, 13, 14, 15, 22, 23, 24, 25, 30, 31))
    _check_finish(chart, 600)


def test_mirror_band_defaults_and_edges(claims, facts):
    p = _mirror_panel()
    c = _claim(claims, "mirror_gap")  # band [0, 10]: the +12.5% year is outside too
    chart = charts.chart_for(c, _inputs(p, claims, facts))
    assert chart.finding == ("In 3 of 5 years the importer's figure lies outside the usual CIF/FOB margin (0-10% "
                             "more than the exporter's)")
    moved, c = _without(claims, "mirror_gap", "band_pct")
    chart = charts.chart_for(c, _inputs(p, moved, facts))  # no band stated: 0 to 10% (the schema's default)
    assert chart.finding == ("In 3 of 5 years the importer's figure lies outside the usual CIF/FOB margin (0-10% "
                             "more than the exporter's)")
    moved, c = _with_rule(claims, "mirror_gap", band_pct=(0, 30))
    chart = charts.chart_for(c, _inputs(p, moved, facts))  # +30% is on the edge: inside
    assert chart.finding == ("In 1 of 5 years the importer's figure lies outside the usual CIF/FOB margin (0-30% more "
                             "than the exporter's)")
    assert chart.narrative == ["Largest departure: Belarus→Kazakhstan 2016, imports 5% below exports."]
    moved, c = _with_rule(claims, "mirror_gap", band_pct=(-5, 30))
    chart = charts.chart_for(c, _inputs(p, moved, facts))
    assert chart.finding.startswith("In 0 of 5 years the importer's figure lies outside the usual CIF/FOB margin "
                                    "(between 5% less and 30% more than")
    assert chart.narrative == []
    assert _series(chart, "Belarus→Kazakhstan: band low (exports -5%)")["y"].tolist() == [95.0, 95.0, 190.0, 95.0]


def test_mirror_uses_declared_primary_series_then_press_only_when_alone(claims, facts):
    # the rule compares the figures of one source first (the press quotes here), as the chart shows
    rows = [_flow(1, 2014, "BLR", "KAZ", "export", 100e6), _flow(2, 2014, "BLR", "KAZ", "export", 120e6,
                                                                 source_kind="official_release"),
            _flow(3, 2014, "BLR", "KAZ", "import", 110e6, source_kind="official_release")]
    p = _panel(rows)
    p["primary"] = p["row_id"] == "t:2"
    chart = charts.chart_for(_claim(claims, "mirror_gap"), _inputs(p, claims, facts))
    assert _series(chart, "Belarus→Kazakhstan: Belarus's exports (FOB)")["y"].tolist() == [120.0]
    assert _series(chart, "Belarus→Kazakhstan: Kazakhstan's imports (CIF)")["y"].tolist() == [110.0]  # press alone
    assert chart.finding.startswith("In 1 of 1 year ")  # -8.3% against 120
    assert chart.narrative == ["Largest departure: Belarus→Kazakhstan 2014, imports 8% below exports."]


def test_mirror_without_matching_years(claims, facts):
    p = _panel([_flow(1, 2014, "BLR", "KAZ", "export", 100e6), _flow(2, 2015, "BLR", "KAZ", "import", 100e6)])
    chart = charts.chart_for(_claim(claims, "mirror_gap"), _inputs(p, claims, facts))
    assert chart.finding == "No year has both countries' figures for the same flow, so the gap cannot be measured"
    # nothing was compared, so nothing is drawn (the chart drew the two unmatched figures)
    assert chart.narrative == [] and chart.empty
    none = charts.chart_for(_claim(claims, "mirror_gap"), _inputs(_panel([_year(1, 2014, "BLR", 1e8)]), claims, facts))
    assert none.empty and none.reporters == [] and none.note == (
        "Neither country's annual exports to or imports from the other are in the data for Belarus–Kazakhstan.")


# ---------------------------------------------------------------- market shock

def _fact(i, date, country, subject, value, unit="pct_devaluation", definition="loss_of_value", topic="currency"):
    return dict(fact_id=f"f-{i}", topic=topic, date=pd.Timestamp(date), country=country, subject=subject, value=value,
                unit=unit, definition=definition, statement=f"statement {i} <&>", source_url=f"https://f.example/{i}")


def _shock_facts():
    return pd.DataFrame([
        _fact(1, "2014-02-11", "KAZ", "KZT", 25, definition="rate_rise"),   # 20% lost, before the look-back
        _fact(2, "2015-08-20", "KAZ", "KZT", 26.2),
        _fact(3, "2016-05-31", "KAZ", "KZT", 10),                           # on the article's day
        _fact(4, "2014-05-31", "BLR", "BYR", 50),                           # on the look-back's first day: outside
        _fact(5, "2015-01-31", "BLR", "BYR", 25, definition="rate_rise"),
        _fact(6, "2014-12-19", "BLR", "BYR", 30, unit="pct_fee", definition=None),
        _fact(7, "2015-03-01", "KAZ", "KZT", 40, definition="made_up"),
        _fact(8, "2015-03-01", "RUS", "RUB", 45),
        _fact(9, "2015-03-01", "KAZ", "oil", 45, topic="oil_price"),
    ])


def test_market_shock_chart_whole(claims, facts):
    f = _shock_facts()
    chart = charts.chart_for(_claim(claims, "market_shock"), _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), claims, f))
    assert chart.claim_id == "difficult-markets"
    assert chart.finding == ("In the 24 months before 2016-05-31: the BYR (Belarus) lost 20% of its value on 2015-01-31; "
                             "the KZT (Kazakhstan) lost 26% of its value on 2015-08-20")
    assert chart.subtitle == ("Devaluations against the US dollar, % of value lost (a printed rise of the rate r% is a "
                              "loss of 1 − 1/(1 + r)), at their dates; shaded: the rule's look-back")
    assert chart.narrative == [
        "No exchange-rate series is in the data: the chart shows each devaluation the releases state, at its date, "
        "as a loss of value against the US dollar.",
        "Not plotted (not a loss of value): statement 6 <&>",
        "Not plotted (not a loss of value): statement 7 <&>"]
    b = _series(chart, "Belarus: devaluation")
    assert b["x"].tolist() == ["2014-05-31", "2015-01-31"] and b["period"].tolist() == ["2014-05-31", "2015-01-31"]
    assert b["y"].tolist() == pytest.approx([50.0, 20.0])
    assert b["qualifier"].tolist() == ["as printed: 50% (loss of value)", "as printed: 25% (rate rise)"]
    assert set(b["source_kind"]) == {"context fact"} and set(b["unit"]) == {"% of value lost against the US dollar"}
    assert b["source"].tolist() == ["https://f.example/4", "https://f.example/5"] and set(b["reporter"]) == {"BLR"}
    k = _series(chart, "Kazakhstan: devaluation")
    assert k["y"].tolist() == pytest.approx([20.0, 26.2, 10.0]) and set(k["reporter"]) == {"KAZ"}
    assert len(chart.data) == 5
    tr = _traces(chart)
    t = tr["Belarus: devaluation"]
    # the dots' labels are annotations placed beside them (no two overlapping); the text stays for the hover
    assert list(t.text) == ["BYR −50%", "BYR −20%"] and t.mode == "markers" and t.marker.size == 11
    lab = {a.text: a for a in chart.fig.layout.annotations}["BYR −20%"]
    assert (lab.x, lab.y, lab.xanchor, lab.xshift) == ("2015-01-31", pytest.approx(20.0), "left", 9)
    assert lab.font.color == "#CC79A7" and lab.font.size == 11
    assert t.marker.color == "#CC79A7" and t.name == "Belarus"
    assert t.hovertemplate == "%{x|%Y-%m-%d}: %{text}<extra>Belarus</extra>"
    assert tr["Kazakhstan: devaluation"].marker.color == "#E69F00"
    rect = [s for s in chart.fig.layout.shapes if s.type == "rect"][0]
    assert (rect.x0, rect.x1, rect.yref, rect.fillcolor) == ("2014-05-31", "2016-05-31", "paper", "rgba(0,114,178,0.10)")
    assert rect.layer == "below" and (rect.y0, rect.y1) == (0, 1)
    hline = [s for s in chart.fig.layout.shapes if s.type == "line" and s.y0 == s.y1][0]
    assert hline.y0 == 20 and hline.line.dash == "dash" and hline.line.color == "#333" and hline.line.width == 1
    texts = [a.text for a in chart.fig.layout.annotations]
    assert "rule: at least 20%" in texts and "article 2016-05-31" in texts
    rule = next(a for a in chart.fig.layout.annotations if a.text == "rule: at least 20%")
    assert (rule.x, rule.xanchor, rule.yanchor) == (0, "left", "top")  # under the line, at the left edge
    assert chart.fig.layout.yaxis.title.text == "% lost against USD" and chart.fig.layout.yaxis.rangemode == "tozero"
    assert tuple(chart.fig.layout.xaxis.range) == ("2013-08-11", "2017-03-31")
    assert chart.reporters == ["stated in releases"]
    assert sorted(chart.facts["fact_id"]) == ["f-1", "f-2", "f-3", "f-4", "f-5", "f-6", "f-7"]
    _check_finish(chart, 420)


def test_market_shock_parameters_from_the_rule(claims, facts):
    f = _shock_facts()
    moved, c = _with_rule(claims, "market_shock", lookback_months=6, min_devaluation_pct=30)
    chart = charts.chart_for(c, _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), moved, f))
    assert chart.finding == ("In the 6 months before 2016-05-31: no devaluation of Belarus's currency in the data; "
                             "the KZT (Kazakhstan) lost 10% of its value on 2016-05-31")
    assert "rule: at least 30%" in [a.text for a in chart.fig.layout.annotations]
    rect = [s for s in chart.fig.layout.shapes if s.type == "rect"][0]
    assert (rect.x0, rect.x1) == ("2015-11-30", "2016-05-31")
    moved, c = _with_rule(claims, "market_shock", countries=["KAZ"])
    chart = charts.chart_for(c, _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), moved, f))
    assert chart.finding == "In the 24 months before 2016-05-31: the KZT (Kazakhstan) lost 26% of its value on 2015-08-20"
    assert set(chart.data["reporter"]) == {"KAZ"}
    assert chart.narrative[1:] == ["Not plotted (not a loss of value): statement 7 <&>"]


def test_market_shock_without_devaluations(claims, facts):
    f = _shock_facts()
    moved, c = _with_rule(claims, "market_shock", countries=["ARM", "GEO"])
    chart = charts.chart_for(c, _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), moved, f))
    assert chart.empty and chart.narrative == []
    assert chart.note == "No devaluation of Armenia or Georgia's currency is in the data."
    assert chart.finding == ("In the 24 months before 2016-05-31: no devaluation of Armenia's currency in the data; "
                             "no devaluation of Georgia's currency in the data")
    assert len(chart.fig.layout.shapes) == 0 and len(chart.fig.layout.annotations) == 0


# ---------------------------------------------------------------- partner rank

PARTNERS = [("RUS", 10e9, 20e9), ("DEU", 1e9, 3e9), ("POL", 1e9, 2e9), ("LTU", 1.5e9, 1e9), ("CHN", 0.5e9, 1.5e9),
            ("LVA", 1e9, 0.8e9), ("ITA", 1e9, 0.6e9), ("FRA", 1e9, 0.5e9), ("USA", 1e9, 0.4e9), ("UKR", 0.5e9, 0.5e9)]


def _partner_panel(year=2015, extra=()):
    rows, i = [], 100
    for partner, ex, im in PARTNERS + [("WLD", 30e9, 40e9), ("EAEU", 5e9, 5e9)]:
        for flow, v in (("export", ex), ("import", im)):
            rows.append(_year(i, year, "BLR", v, source_kind="un_comtrade", partner=partner, flow=flow,
                              source_url=f"https://c.example/{partner}/{flow}"))
            i += 1
    return _panel(rows + list(extra))


def _partner_table(p, country, start, end, claims):
    """The model's partner table (partners.partner_table and ranks_table) of the latest year of a window."""
    from turnover.model import partners as partners_mod
    from turnover.model.result import Context

    moved, c = _with_rule(claims, "partner_rank")
    c2 = c.model_copy(update={"window": c.window.model_copy(update={"start": start, "end": end})})
    cf = moved.model_copy(update={"claims": [c2 if x is c else x for x in moved.claims]})
    ctx = Context(panel=p, claims=cf, claim=c2, vintage="today", as_of=pd.Timestamp("2026-11-25"),
                  facts=pd.DataFrame(), lags=dict(c2.rule.publication_lag_days))
    table = partners_mod.partner_table(ctx, country)
    if not table:
        return None
    year = max(table)
    return year, partners_mod.ranks_table(table[year], list(c2.rule.partners), c2.rule.top_n), table[year]


def test_partner_shares_latest_year_with_a_world_total_and_two_partners(claims):
    """The partner shares the chart plots are the model's ranking (partners.ranks_table)."""
    extra = [_year(1, 2014, "BLR", 5e9, source_kind="un_comtrade", partner="RUS"),
             _year(2, 2014, "BLR", 1e9, source_kind="un_comtrade", partner="UKR"),
             _year(3, 2014, "BLR", 10e9, source_kind="un_comtrade", partner="WLD"),
             _year(4, 2016, "BLR", 5e9, source_kind="un_comtrade", partner="RUS")]
    p = _partner_panel(extra=extra)
    year, t, entry = _partner_table(p, "BLR", 2013, 2015, claims)
    assert year == 2015
    assert t["partner"].tolist() == [x[0] for x in PARTNERS]  # aggregates (World, EU) left out, largest first
    assert t["rank"].tolist() == list(range(1, 11))
    assert t["value_usd"].tolist() == [ex + im for _, ex, im in PARTNERS]
    assert t["share_pct"].round(9).tolist() == [round((ex + im) / 70e9 * 100, 9) for _, ex, im in PARTNERS]
    assert t.loc[0, "source_kind"] == "un_comtrade" and t.loc[0, "row_ids"] == ("t:100", "t:101")
    assert sorted(entry["ids"]["WLD"]) == ["t:120", "t:121"]  # the World total the shares are shares of
    year, t, _ = _partner_table(p, "BLR", 2013, 2014, claims)
    assert year == 2014 and t["share_pct"].tolist() == [50.0, 10.0] and t["partner"].tolist() == ["RUS", "UKR"]
    # without a partner_kind column every ISO code but the World counts as a country
    year, t, _ = _partner_table(p.drop(columns="partner_kind"), "BLR", 2013, 2015, claims)
    assert year == 2015 and t["partner"].tolist() == [x[0] for x in PARTNERS]
    # only one partner in 2016 (and after the statement): no ranking that year
    assert _partner_table(p, "BLR", 2016, 2016, claims) is None
    assert _partner_table(p, "BLR", 2015, 2015, claims)[0] == 2015  # both ends of the years asked for count
    assert _partner_table(p, "KAZ", 2013, 2015, claims) is None
    # a declared primary series does not narrow the ranking: the rule takes the source with most partners
    # each year (the chart used to keep the primary rows only and show 2014)
    prim = p.assign(primary=p["row_id"].isin(["t:1", "t:2", "t:3"]))
    assert _partner_table(prim, "BLR", 2013, 2015, claims)[0] == 2015


def test_partner_chart_from_statistics_whole(claims, facts):
    chart = charts.chart_for(_claim(claims, "partner_rank"), _inputs(_partner_panel(), claims, facts))
    assert chart.finding == ("Rank by share of goods trade, top 3 per the rule — Belarus (2015): Russia #1, Ukraine #10")
    assert chart.subtitle == ("Each partner's share of the country's goods trade (exports + imports), %, its own "
                              "statistics; the claim's partners in colour")
    # stated ranks from the bundled context facts (ctx-006, ctx-003), oldest first
    assert chart.narrative == ["Stated rank (2015-08-01): Ukraine #3 for Belarus.",
                               "Stated rank (2016-04-01): Ukraine #2 for Belarus."]
    bar = chart.fig.data[0]
    # the top max(3 + 5, 8) = 8 and the claim's partners, smallest at the bottom
    want = ["#10 Ukraine", "#8 France", "#7 Italy", "#6 Latvia", "#5 China", "#4 Lithuania", "#3 Poland", "#2 Germany",
            "#1 Russia"]
    assert list(bar.y) == want and bar.orientation == "h"
    assert list(bar.x) == pytest.approx([1 / 70 * 100, 1.5 / 70 * 100, 1.6 / 70 * 100, 1.8 / 70 * 100, 2 / 70 * 100,
                                         2.5 / 70 * 100, 3 / 70 * 100, 4 / 70 * 100, 30 / 70 * 100])
    assert list(bar.text) == ["1.4%", "2.1%", "2.3%", "2.6%", "2.9%", "3.6%", "4.3%", "5.7%", "42.9%"]
    assert list(bar.marker.color) == ["#CC79A7"] + ["#c8c8c8"] * 7 + ["#CC79A7"]
    assert bar.textposition == "outside" and bar.cliponaxis is False and bar.showlegend is False
    assert bar.name == "Belarus" and bar.hovertemplate == "%{y}: %{x:.1f}% of trade<extra></extra>"
    d = _series(chart, "Belarus: share of trade by partner")
    assert d["y"].tolist() == want and set(d["period"]) == {"2015"} and set(d["qualifier"]) == {"exact"}
    assert set(d["reporter"]) == {"BLR"}
    assert set(d["unit"]) == {"% of the country's goods trade"} and set(d["source_kind"]) == {"un_comtrade"}
    assert d["source"].iloc[0] == "https://c.example/UKR/export https://c.example/UKR/import"
    assert [a.text for a in chart.fig.layout.annotations] == ["Belarus, 2015"]
    assert chart.fig.layout.xaxis.title.text == "% of goods trade" and chart.fig.layout.xaxis.rangemode == "tozero"
    assert chart.reporters == ["BLR"] and chart.facts.empty
    # the rows behind the bars shown and the world total (not Estonia-like tails beyond the cut, not the EU)
    shown = {"RUS", "DEU", "POL", "LTU", "CHN", "LVA", "ITA", "FRA", "UKR", "WLD"}
    assert set(chart.rows["partner"]) == shown and len(chart.rows) == 20
    _check_finish(chart, 380, legend=False)
    assert chart.fig.layout.margin.r == 60 and chart.fig.layout.margin.l == 150


def test_partner_chart_top_n_from_the_rule(claims, facts):
    moved, c = _with_rule(claims, "partner_rank", top_n=5, partners=["DEU"])
    chart = charts.chart_for(c, _inputs(_partner_panel(), moved, facts))
    assert chart.finding == "Rank by share of goods trade, top 5 per the rule — Belarus (2015): Germany #2"
    assert len(chart.fig.data[0].y) == 10  # top 10 = 5 + 5
    assert chart.narrative == []  # no stated rank for Germany
    assert list(chart.fig.data[0].marker.color).count("#CC79A7") == 1
    moved, c = _with_rule(claims, "partner_rank", partners=["RUS", "MDA"])
    chart = charts.chart_for(c, _inputs(_partner_panel(), moved, facts))
    assert chart.finding.endswith("Belarus (2015): Russia #1, Moldova not listed")
    assert len(chart.fig.data[0].y) == 8
    # twelve bars: the chart grows (40 + 34 per bar)
    extra = [_year(300 + 2 * i + j, 2015, "BLR", 1e8, source_kind="un_comtrade", partner=code, flow=flow)
             for i, code in enumerate(["AUT", "BEL", "CHE"]) for j, flow in enumerate(["export", "import"])]
    rows = _partner_panel(extra=extra)
    moved, c = _with_rule(claims, "partner_rank", top_n=7)
    chart = charts.chart_for(c, _inputs(rows, moved, facts))
    assert len(chart.fig.data[0].y) == 12
    _check_finish(chart, 40 + 34 * 12, legend=False)


def test_partner_chart_from_stated_shares(claims, facts):
    chart = charts.chart_for(_claim(claims, "partner_rank"), _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), claims, facts))
    # bundled context facts: BLR RUS 49 (2013), EU 27 (2013), EAEU_CU 46.4 (2011); KAZ RUS 23 (2006) and 18.6 (2023)
    assert chart.finding == ("No partner-by-partner statistics in the data; shares as officials stated them — Belarus: "
                             "Russia 49% (2013); Kazakhstan: Russia 18.6% (2023)")
    assert chart.subtitle == ("Share of the country's total trade as stated in releases, %, with the year it refers to; "
                              "the claim's partners filled")
    b = _series(chart, "Belarus: stated shares")
    assert b["x"].tolist() == [27.0, 46.4, 49.0]
    assert b["y"].tolist() == ["Belarus: European Union (2013)", "Belarus: Customs Union (EAEU predecessor) (2011)",
                               "Belarus: Russia (2013)"]
    assert b["period"].tolist() == ["2013", "2011", "2013"] and set(b["qualifier"]) == {"as stated"}
    assert set(b["source_kind"]) == {"context fact"} and set(b["unit"]) == {"% of the country's total trade, as stated"}
    k = _series(chart, "Kazakhstan: stated shares")
    assert k["x"].tolist() == [18.2, 18.6, 21.3, 23.0, 50.0]
    tr = _traces(chart)["Belarus: stated shares"]
    assert list(tr.text) == ["27%", "46.4%", "49%"] and list(tr.marker.color) == ["#c8c8c8", "#c8c8c8", "#CC79A7"]
    assert tr.marker.line.color == "#CC79A7" and tr.marker.line.width == 1.5 and tr.name == "Belarus"
    assert tr.hovertemplate == "%{y}: %{x}%<extra>Belarus</extra>" and tr.textposition == "outside"
    assert chart.fig.layout.xaxis.title.text == "% of total trade, as stated"
    assert chart.reporters == ["stated in releases"] and chart.rows.empty
    assert sorted(chart.facts["fact_id"]) == ["ctx-001", "ctx-002", "ctx-009", "ctx-010", "ctx-011", "ctx-012",
                                              "ctx-030", "ctx-031"]
    assert chart.narrative == ["Stated rank (2015-08-01): Ukraine #3 for Belarus.",
                               "Stated rank (2016-04-01): Ukraine #2 for Belarus."]
    _check_finish(chart, 380, legend=False)
    moved, c = _with_rule(claims, "partner_rank", partners=["UKR", "MDA"])
    chart = charts.chart_for(c, _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), moved, facts))
    assert chart.finding.endswith("— Belarus: no stated share for Ukraine or Moldova; Kazakhstan: no stated share for "
                                  "Ukraine or Moldova")
    moved, c = _with_rule(claims, "partner_rank", countries=["ARM"])
    chart = charts.chart_for(c, _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), moved, facts))
    assert chart.empty and chart.note == "No partner shares for Armenia are in the data."


# ---------------------------------------------------------------- boundaries

def test_a_full_year_is_a_period_longer_than_360_days(claims, facts):
    """What counts as a year is the model's (rows the panel marks annual): the share panel and the
    partner chart draw the model's tables, whatever their length; the report measured periods
    itself (361 days and more a year, 360 not) and no longer does."""
    def span(i, days, **kw):
        return _row(i, period_start=pd.Timestamp("2014-01-01"),
                    period_end=pd.Timestamp("2014-01-01") + pd.Timedelta(days=days), **kw)

    pts_rows = [_year(1, 2014, "BLR", 800e6, source_kind="wb_wits")]
    for days in (361, 360):
        tot = [span(2, days, source_kind="wb_wits", partner="WLD", flow="turnover", value_usd=40e9)]
        inp = _inputs(_panel(pts_rows + tot), claims, facts)
        share = charts.shares(inp, _claim(claims, "declining_trend"))
        model = inp.verdict("declining-turnover", "today", "BLR").tables["shares"]
        assert share["share_pct"].round(9).tolist() == model["share_pct"].round(9).tolist() == [2.0], days
        partner = [span(10 + j, days, source_kind="un_comtrade", partner=x, flow="export", value_usd=v)
                   for j, (x, v) in enumerate([("RUS", 2e9), ("UKR", 1e9), ("WLD", 10e9)])]
        partner += [span(20 + j, days, source_kind="un_comtrade", partner=x, flow="import", value_usd=v)
                    for j, (x, v) in enumerate([("RUS", 2e9), ("UKR", 1e9), ("WLD", 10e9)])]
        pinp = _inputs(_panel(partner), claims, facts)
        table = pinp.verdict("main-partners", "today", "BLR").tables["partners"]
        chart = charts.chart_for(_claim(claims, "partner_rank"), pinp)
        assert table["share_pct"].tolist() == [20.0, 10.0], days
        assert _series(chart, "Belarus: share of trade by partner")["x"].tolist() == [10.0, 20.0], days


def test_a_total_of_one_dollar_still_gives_a_share(claims, facts):
    rows = [_year(1, 2014, "BLR", 2.0, source_kind="wb_wits"),
            _year(2, 2014, "BLR", 1.0, source_kind="wb_wits", partner="WLD", flow="turnover")]
    share = charts.shares(_inputs(_panel(rows), claims, facts), _claim(claims, "declining_trend"))
    assert share["share_pct"].tolist() == [200.0]


def test_an_event_on_the_first_plotted_day_is_marked(claims, facts):
    p = _recovery_panel()  # plotted from 2011-01-01 (window start 2013 - 2)
    for when, marked in ((dt.date(2011, 1, 1), True), (dt.date(2010, 12, 31), False)):
        moved, c = _with_rule(claims, "recovery", event_date=when)
        chart = charts.chart_for(c, _inputs(p, moved, facts))
        xs = {s.x0 for s in chart.fig.layout.shapes if s.type == "line"}
        assert (when.isoformat() in xs) == marked, when
        assert ("programme recovery (event date) " + when.isoformat() in
                [a.text for a in chart.fig.layout.annotations]) == marked


def test_repeated_rows_count_once_the_first_one_wins(claims, facts):
    """The same partner, flow and year twice: the model's partner table uses the first row."""
    p = _partner_panel(extra=[_year(900, 2015, "BLR", 99e9, source_kind="un_comtrade", partner="RUS", flow="export",
                                    source_url="https://c.example/RUS/again")])
    inp = _inputs(p, claims, facts)
    t = inp.verdict("main-partners", "today", "BLR").tables["partners"]
    assert t.loc[0, "partner"] == "RUS" and t.loc[0, "value_usd"] == 30e9
    chart = charts.chart_for(_claim(claims, "partner_rank"), inp)
    russia = _series(chart, "Belarus: share of trade by partner").iloc[-1]
    assert russia["source"] == "https://c.example/RUS/export https://c.example/RUS/import"
    assert "t:900" not in t.loc[0, "row_ids"]


def _without(claims, kind, *keys):
    """The claims file with the rule's ``keys`` left unstated (the schema's and the chart's defaults apply)."""
    c = _claim(claims, kind)
    stated = {k: v for k, v in c.rule.model_dump(exclude_unset=True).items() if k not in keys}
    new = c.model_copy(update={"rule": type(c.rule).model_validate({**stated, "kind": kind})})
    return claims.model_copy(update={"claims": [new if x is c else x for x in claims.claims]}), new


def test_unstated_parameters_take_the_documented_defaults(claims, facts):
    # top 3 by default: the top max(3 + 5, 8) = 8 and the claim's partners are drawn
    moved, c = _without(claims, "partner_rank", "top_n")
    assert "top_n" not in c.rule.params
    chart = charts.chart_for(c, _inputs(_partner_panel(), moved, facts))
    assert chart.finding.startswith("Rank by share of goods trade, top 3 per the rule — ")
    # a look-back of 24 months and the rule's threshold of 20% by default
    moved, c = _without(claims, "market_shock", "lookback_months", "min_devaluation_pct")
    chart = charts.chart_for(c, _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), moved, _shock_facts()))
    assert chart.finding.startswith("In the 24 months before 2016-05-31: the BYR (Belarus) lost 20% ")
    assert [s.x0 for s in chart.fig.layout.shapes if s.type == "rect"] == ["2014-05-31"]
    # the schema's default threshold is drawn like a stated one (the chart used to leave the line out)
    assert [a.text for a in chart.fig.layout.annotations if a.text.startswith("rule:")] == ["rule: at least 20%"]
    # no publication lags stated: the defaults (annual figures known 60+ days after the year)
    moved, c = _without(claims, "declining_trend", "publication_lag_days")
    rows = [_year(1, 2013, "BLR", 1000e6, published_on=None), _year(2, 2014, "BLR", 800e6, published_on=None),
            _year(3, 2015, "BLR", 500e6, published_on=None)]
    chart = charts.chart_for(c, _inputs(_panel(rows), moved, facts))
    assert "fell 50% from 2013 (USD 1,000 mn) to 2015 (USD 500 mn)" in chart.finding


def test_facts_without_a_definition_column_are_losses_of_value(claims):
    f = _shock_facts().drop(columns="definition")
    chart = charts.chart_for(_claim(claims, "market_shock"), _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), claims, f))
    # no definition, no known meaning (a loss of value, or a rise of the rate?): the rule uses none of these
    # figures, and the chart plots what the rule used (it used to read every figure as printed, as a loss)
    assert chart.empty and chart.note == "No devaluation of Belarus or Kazakhstan's currency is in the data."
    assert "Not plotted (not a loss of value): statement 5 <&>" in chart.narrative
    assert chart.finding == ("In the 24 months before 2016-05-31: no devaluation of Belarus's currency in the data; "
                             "no devaluation of Kazakhstan's currency in the data")


def test_partner_chart_with_both_countries_side_by_side(claims, facts):
    kaz = []
    for j, (partner, v) in enumerate([("RUS", 9e9), ("CHN", 6e9), ("ITA", 5e9), ("UKR", 1e9), ("WLD", 40e9)]):
        kaz += [_year(500 + 2 * j + k, 2014, "KAZ", v / 2, country="KAZ", source_kind="national_statistics",
                      partner=partner, flow=flow) for k, flow in enumerate(["export", "import"])]
    chart = charts.chart_for(_claim(claims, "partner_rank"), _inputs(_partner_panel(extra=kaz), claims, facts))
    assert chart.finding == ("Rank by share of goods trade, top 3 per the rule — Belarus (2015): Russia #1, Ukraine #10; "
                             "Kazakhstan (2014): Russia #1, Ukraine #4")
    assert [a.text for a in chart.fig.layout.annotations] == ["Belarus, 2015", "Kazakhstan, 2014"]
    k = _series(chart, "Kazakhstan: share of trade by partner")
    assert k["y"].tolist() == ["#4 Ukraine", "#3 Italy", "#2 China", "#1 Russia"]
    assert k["x"].tolist() == pytest.approx([2.5, 12.5, 15.0, 22.5]) and set(k["period"]) == {"2014"}
    assert list(chart.fig.data[1].marker.color) == ["#E69F00", "#c8c8c8", "#c8c8c8", "#E69F00"]
    assert chart.fig.data[1].xaxis == "x2" and chart.fig.data[1].name == "Kazakhstan"
    # two columns with 22% between them
    assert chart.fig.layout.xaxis.domain == pytest.approx((0.0, 0.39))
    assert chart.fig.layout.xaxis2.domain == pytest.approx((0.61, 1.0))
    for ax in (chart.fig.layout.xaxis, chart.fig.layout.xaxis2):
        assert ax.title.text == "% of goods trade" and ax.rangemode == "tozero"
    assert chart.reporters == ["BLR", "KAZ"]
    # the narrative names the stated ranks of both countries' claimed partners (bundled facts: Belarus only)
    assert chart.narrative == ["Stated rank (2015-08-01): Ukraine #3 for Belarus.",
                               "Stated rank (2016-04-01): Ukraine #2 for Belarus."]


def test_usd_axis_unit_follows_the_largest_value():
    """A Kazakhstan–Russia chart (USD 30 bn) reads in billions on its axis, as its title does; a pair
    with a few hundred millions stays in millions."""
    assert charts.usd_scale(30e9) is charts.BN and charts.usd_scale(2e9) is charts.MN
    assert charts.usd_scale(967e6) is charts.MN and charts.usd_scale(float("nan")) is charts.MN
    assert charts.BN.label(30.14e9) == "30.1" and charts.MN.label(896e6) == "896"
    assert (charts.BN.unit, charts.MN.unit) == ("USD billion", "USD million")


# ---------------------------------------------------------------- issue 21 part 5: units, breaks, rates

def test_axis_subtitle_and_title_share_the_unit_the_scale_chooses(claims, facts):
    """Above USD 2 bn the axis reads in billions, and so do its ticks (never "30k"), the subtitle, the
    hover text, the CSV and the title's figures; below, all say millions."""
    big = [_year(i, y, "KAZ", v, source_kind="national_statistics")
           for i, (y, v) in enumerate([(2012, 24e9), (2013, 30e9), (2014, 26e9), (2015, 18e9)])]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(big), claims, facts))
    lay = chart.fig.layout
    assert lay.yaxis.title.text == "USD billion" and lay.yaxis.tickformat == ",.1~f"
    assert "USD billion" in chart.subtitle and "million" not in chart.subtitle
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 40% from 2013 (USD 30.0 bn) to 2015 (USD 18.0 bn) on "
                             "Kazakhstan's figures")
    assert set(chart.data["unit"]) == {"USD billion"} and chart.data["y"].max() == 30.0
    assert _traces(chart)["Kazakhstan: official series"].hovertemplate.endswith(" bn<extra></extra>")
    small = [_year(i, y, "KAZ", v / 100, source_kind="national_statistics")
             for i, (y, v) in enumerate([(2012, 24e9), (2013, 30e9), (2014, 26e9), (2015, 18e9)])]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(small), claims, facts))
    assert chart.fig.layout.yaxis.title.text == "USD million" and chart.fig.layout.yaxis.tickformat == ",.0f"
    assert "USD million" in chart.subtitle and "(USD 300 mn)" in chart.finding
    assert (charts.usd_scale(2.5e9).text(1.5e9), charts.usd_scale(1.9e9).text(1.5e9)) == ("USD 1.5 bn", "USD 1,500 mn")


def test_known_breaks_of_the_rule_are_marked_with_a_note(claims, facts):
    rows = [_year(i, y, "KAZ", v, source_kind="national_statistics")
            for i, (y, v) in enumerate([(2008, 500e6), (2009, 400e6), (2010, 300e6), (2011, 700e6), (2013, 800e6),
                                        (2015, 500e6)])]
    p = _panel(rows)

    def notes(chart):
        ann = [a for a in chart.fig.layout.annotations if "known break" in a.text]
        marks = [s.x0 for s in chart.fig.layout.shapes if s.type == "line" and s.line.width == 2]
        return ann, marks, [n for n in chart.narrative if n.startswith("Known break")]

    # the bundled claim names breaks in 2010 (Kazakhstan), 2014 and 2015 (both countries)
    ann, marks, lines = notes(charts.chart_for(_claim(claims, "declining_trend"), _inputs(p, claims, facts)))
    assert [a.text for a in ann] == ["2010: known break (Kazakhstan)", "2014: known break", "2015: known break"]
    assert marks == ["2010-01-01", "2014-01-01", "2015-01-01"]
    assert ann[0].hovertext.startswith("customs union with Russia and Belarus from 2010")  # the why, on hover
    assert lines[0].startswith("Known break 2010 (Kazakhstan), tested as a level shift: customs union")
    # one break, for every reporter
    from turnover.claims.rules import KnownBreak

    one, c = _with_rule(claims, "declining_trend", known_breaks=[KnownBreak(year=2011, why="new customs form")])
    ann, marks, lines = notes(charts.chart_for(c, _inputs(p, one, facts)))
    assert [a.text for a in ann] == ["2011: known break"] and marks == ["2011-01-01"]
    assert lines == ["Known break 2011, tested as a level shift: new customs form"]
    # none named: no note (the recovery rule has no known breaks at all)
    none, c = _with_rule(claims, "declining_trend", known_breaks=[])
    assert notes(charts.chart_for(c, _inputs(p, none, facts))) == ([], [], [])
    assert notes(charts.chart_for(_claim(claims, "recovery"), _inputs(p, claims, facts))) == ([], [], [])


def test_market_shock_draws_the_official_rates_below_the_devaluations(claims, facts):
    from turnover.ingest import rates as official
    from turnover.report import provenance

    f = _shock_facts()
    inp = _inputs(_panel([_year(1, 2013, "BLR", 1e8)]), claims, f)
    inp.rates = inputs.official_rates()
    chart = charts.chart_for(_claim(claims, "market_shock"), inp)
    lay = chart.fig.layout
    # two panels: the losses above, the rates below on a log axis that says so
    assert lay.yaxis2.type == "log" and lay.yaxis2.title.text == "per USD (log scale)"
    assert "Official exchange rates, national currency per US dollar (log scale)" in [a.text for a in lay.annotations]
    kzt = _series(chart, "Kazakhstan: KZT per USD (NBK)")
    want = official.series(inp.rates, "KZT")
    want = want[(want["period_start"] >= "2013-08-11") & (want["period_start"] <= "2017-03-31")]
    assert kzt["y"].tolist() == want["rate_per_usd"].tolist() and set(kzt["unit"]) == {"KZT per USD"}
    assert kzt["period"].iloc[0] == "2013-09" and kzt["x"].iloc[0] == "2013-09-15"  # a monthly average, mid-month
    assert set(kzt["qualifier"]) == {"monthly average"} and set(kzt["reporter"]) == {"KAZ"}
    byr = _series(chart, "Belarus: BYR per USD (NBRB)")
    assert byr["y"].tolist() == [10900.0, 11800.0, 11900.0, 11900.0, 12740.0, 12740.0, 13760.0, 15400.0, 18569.0]
    assert set(byr["qualifier"]) == {"rate in force on the day"} and byr["source"].str.startswith("http").all()
    tr = _traces(chart)
    assert tr["Kazakhstan: KZT per USD (NBK)"].line.color == charts.colour("KAZ", ("BLR", "KAZ"))
    assert tr["Belarus: BYR per USD (NBRB)"].yaxis == "y2"
    # each rate line labelled at its end; the devaluation dates marked in the rates panel in the country's colour
    assert {a.text for a in lay.annotations if a.yref == "y2"} == {"KZT per USD", "BYR per USD"}
    marks = {s.x0: s.line.color for s in lay.shapes if s.yref == "y2 domain" and s.line.color != "#333"}
    assert marks == {"2014-02-11": "#E69F00", "2015-08-20": "#E69F00", "2016-05-31": "#E69F00",
                     "2014-05-31": "#CC79A7", "2015-01-31": "#CC79A7"}
    assert chart.narrative[0] == (
        "Lower panel: the official exchange rates of the NBRB (rates in force on the days reported) and the NBK "
        "(monthly averages), on a log scale, so that the same loss of value is the same step for every currency; dotted "
        "lines: the devaluation dates above.")
    # the source line names the central banks, from the rate rows shown
    assert set(chart.rows["source_id"]) == {"nbk_kzt_usd_monthly", "nbrb_releases"}
    line = str(provenance.source_line(chart.rows))
    assert "National Bank of the Republic of Kazakhstan" in line and "National Bank of the Republic of Belarus" in line
