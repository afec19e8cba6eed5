"""Chart builders pinned whole: every plotted value, trace style, title, subtitle, narrative line,
shape and annotation checked against numbers worked out by hand from small synthetic panels."""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import pytest

from turnover import panel as panel_mod
from turnover.report import charts, inputs, plotted

AS_OF = "2016-05-31"


@pytest.fixture(scope="module")
def facts():
    return inputs.context_facts()


def _inputs(panel, claims, facts):
    return inputs.Inputs(panel=panel, results=[], claims=claims, facts=facts, today=dt.date(2026, 11, 25))


def _row(i, **kw):
    base = dict(row_id=f"t:{i}", source_kind="official_release", source_id=str(i), reporter="BLR",
                country="BLR", partner="KAZ", flow="turnover", frequency="annual",
                period_start=pd.Timestamp("2013-01-01"), period_end=pd.Timestamp("2013-12-31"),
                value_usd=1e8, value_qualifier="exact", yoy_pct=None, yoy_qualifier=None, valuation="unknown",
                status="reported", published_on=pd.Timestamp("2014-03-01"), source_url=f"https://example.org/{i}",
                source_date="2014-03-01", retrieved_on=pd.Timestamp("2026-11-25"), note=None)
    base.update(kw)
    return base


def _year(i, y, rep, v, **kw):
    kw.setdefault("published_on", pd.Timestamp(f"{y + 1}-03-01"))
    return _row(i, reporter=rep, value_usd=v, period_start=pd.Timestamp(f"{y}-01-01"),
                period_end=pd.Timestamp(f"{y}-12-31"), **kw)


def _panel(rows):
    return panel_mod.validate(pd.DataFrame(rows))


def _claim(claims, kind):
    return next(c for c in claims.claims if c.rule.kind == kind)


def _with_rule(claims, kind, **update):
    c = _claim(claims, kind)
    new = c.model_copy(update={"rule": c.rule.model_copy(update=update)})
    return claims.model_copy(update={"claims": [new if x is c else x for x in claims.claims]}), new


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
    rows += [_row(50, frequency="quarter", period_start=pd.Timestamp("2016-01-01"), period_end=pd.Timestamp("2016-03-31"),
                  value_usd=90e6, yoy_pct=-12.5, published_on=pd.Timestamp("2016-04-20")),
             _row(51, frequency="quarter", period_start=pd.Timestamp("2016-04-01"), period_end=pd.Timestamp("2016-06-30"),
                  value_usd=95e6, yoy_pct=7.0, published_on=pd.Timestamp("2016-07-20"))]
    p = _panel(rows)
    p["primary"] = p["source_kind"].isin(["wb_wits", "national_statistics"])
    return p


def test_decline_chart_whole(claims, facts):
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_decline_panel(), claims, facts))
    assert chart.claim_id == "declining-turnover"
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 50% from 2013 (USD 1.2 bn) to 2015 (USD 600 mn) on "
                             "Belarus's figures; fell 15% from 2013 (USD 800 mn) to 2014 (USD 680 mn) on Kazakhstan's figures")
    assert chart.subtitle == ("Goods turnover (exports + imports), USD million, as each country records it; lines: "
                              "official series, dots: figures quoted in releases; shaded: published by 2016-05-31")
    assert chart.narrative == [
        "Compared: each reporter's highest year from 2012 with its latest year published by 2016-05-31, within its "
        "own series.",
        "Latest part-year change published by 2016-05-31: Q1 2016 −12.5% on a year earlier (Belarus's figures); "
        "part-year values are not plotted against annual totals."]
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
    assert off["y"].tolist() == [350.0, 500.0, 900.0, 1200.0, 1000.0, 600.0, 400.0]
    assert off["period"].tolist() == ["2008", "2011", "2012", "2013", "2014", "2015", "2016"]
    assert set(off["reporter"]) == {"BLR"} and set(off["unit"]) == {"USD million"}
    assert set(off["qualifier"]) == {"exact"} and set(off["source_kind"]) == {"wb_wits"}
    assert off["source"].tolist() == [f"https://example.org/{i}" for i in range(1, 8)]
    kaz = _series(chart, "Kazakhstan: official series")
    assert kaz["y"].tolist() == [800.0, 680.0] and kaz["source"].tolist() == ["https://example.org/20",
                                                                             "https://example.org/21"]
    other = _series(chart, "Belarus: other source (un_comtrade)")
    assert other["y"].tolist() == [1100.0, 950.0] and set(other["source_kind"]) == {"un_comtrade"}
    press = _series(chart, "Belarus: press figure")
    assert press["x"].tolist() == ["2012-07-01", "2014-07-01", "2015-07-01"]
    assert press["y"].tolist() == [500.0, 1050.0, 2000.0]
    assert press["qualifier"].tolist() == ["at_most", "approx", "at_least"]
    assert set(press["source_kind"]) == {"official_release"} and set(press["unit"]) == {"USD million"}
    assert len(d) == 7 + 2 + 2 + 3
    # traces: style by role, one colour per reporter
    tr = _traces(chart)
    assert list(tr) == ["Belarus: other source (un_comtrade)", "Belarus: official series", "Belarus: press figure",
                        "Kazakhstan: official series"]
    o = tr["Belarus: official series"]
    assert o.mode == "lines+markers" and o.line.color == "#0072B2" and o.line.width == 2.5 and o.marker.size == 5
    assert o.name == "Belarus" and o.legendgroup == "BLR" and o.showlegend is False
    assert o.hovertemplate == "Belarus: %{y:,.0f} mn<extra></extra>"
    k = tr["Kazakhstan: official series"]
    assert k.line.color == "#D55E00" and k.name == "Kazakhstan" and k.legendgroup == "KAZ"
    f = tr["Belarus: other source (un_comtrade)"]
    assert f.mode == "lines" and f.line.color == "#0072B2" and f.line.width == 1 and f.opacity == 0.35
    assert f.name == "Belarus, un_comtrade (other source)" and f.legendgroup == "BLR" and f.showlegend is False
    assert f.hovertemplate == "Belarus, un_comtrade: %{y:,.0f} mn<extra></extra>"
    p = tr["Belarus: press figure"]
    assert p.mode == "markers+text" and list(p.text) == ["≤500", "≈1,050", "≥2,000"]
    assert p.textposition == "top center" and p.textfont.size == 10 and p.textfont.color == "#0072B2"
    assert list(p.marker.symbol) == ["triangle-down", "circle", "triangle-up"]
    assert p.marker.color == "#fff" and p.marker.size == 9 and p.marker.line.color == "#0072B2"
    assert p.marker.line.width == 2
    assert p.name == "press figures, Belarus" and p.legendgroup == "press"
    assert p.hovertemplate == "%{text}, Belarus<extra>press</extra>"
    # direct labels at the line ends, the shaded period known at the article, the article and the programme
    ann = [(a.text, a.x, a.y) for a in chart.fig.layout.annotations]
    assert ("<b>Belarus</b>", "2016-07-01", 400.0) in ann and ("<b>Kazakhstan</b>", "2014-07-01", 680.0) in ann
    lab = next(a for a in chart.fig.layout.annotations if a.text == "<b>Belarus</b>")
    assert lab.xanchor == "left" and lab.xshift == 8 and lab.font.color == "#0072B2" and lab.font.size == 13
    assert lab.showarrow is False
    pub = next(a for a in chart.fig.layout.annotations if a.text == "published by 2016-05-31")
    assert (pub.x, pub.y, pub.xref, pub.yref) == ("2008-01-01", 0.02, "x", "y domain")
    assert pub.xanchor == "left" and pub.yanchor == "bottom" and pub.font.color == "#0b4f7c" and pub.font.size == 11
    art = next(a for a in chart.fig.layout.annotations if a.text == "article 2016-05-31")
    assert (art.x, art.y, art.yanchor, art.xanchor) == ("2016-05-31", 1.0, "top", "left")
    prog = next(a for a in chart.fig.layout.annotations if a.text == "programme signed 2017-11-29")
    assert (prog.x, prog.y) == ("2017-11-29", 0.88)
    shapes = chart.fig.layout.shapes
    rect = [s for s in shapes if s.type == "rect"]
    assert len(rect) == 1 and (rect[0].x0, rect[0].x1) == ("2008-01-01", "2015-12-31")
    assert rect[0].fillcolor == "rgba(0,114,178,0.10)" and rect[0].yref == "paper" and rect[0].layer == "below"
    assert (rect[0].y0, rect[0].y1) == (0, 1)
    lines = {s.x0: s for s in shapes if s.type == "line"}
    assert set(lines) == {"2016-05-31", "2017-11-29"}
    assert lines["2016-05-31"].line.dash == "dot" and lines["2017-11-29"].line.dash == "dash"
    assert lines["2016-05-31"].x1 == "2016-05-31" and lines["2016-05-31"].yref == "y domain"
    assert lines["2016-05-31"].line.color == "#333" and lines["2016-05-31"].line.width == 1
    assert (lines["2016-05-31"].y0, lines["2016-05-31"].y1) == (0, 1)
    assert chart.fig.layout.yaxis.range == (0, pytest.approx(2000 * 1.15))
    assert chart.fig.layout.yaxis.title.text == "USD million"
    assert chart.fig.layout.xaxis.tickformat == "%Y" and chart.fig.layout.xaxis.dtick == "M24"
    _check_finish(chart, 470)
    assert chart.fig.layout.margin.l == 60 and chart.fig.layout.margin.r == 150


def test_decline_part_year_change_must_be_recent_and_published(claims, facts):
    """The latest part-year change: published by the article and ending 15 months before it or later."""
    base = [_year(1, 2013, "BLR", 1000e6), _year(2, 2014, "BLR", 800e6)]

    def narrative(extra):
        return charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(base + extra), claims, facts)).narrative

    feb = _row(9, frequency="month", period_start=pd.Timestamp("2015-02-01"), period_end=pd.Timestamp("2015-02-28"),
               value_usd=50e6, yoy_pct=3.0, yoy_qualifier="approx", published_on=pd.Timestamp("2015-03-20"))
    jan = _row(8, frequency="month", period_start=pd.Timestamp("2015-01-01"), period_end=pd.Timestamp("2015-01-31"),
               value_usd=50e6, yoy_pct=4.0, published_on=pd.Timestamp("2015-02-20"))
    # 2015-02-28 is 15 months before 2016-05-31: still recent
    assert narrative([feb])[-1] == ("Latest part-year change published by 2016-05-31: Feb 2015 ≈+3% on a year earlier "
                                    "(Belarus's figures); part-year values are not plotted against annual totals.")
    assert len(narrative([jan])) == 1  # one month older: not shown
    late = _row(7, frequency="month", period_start=pd.Timestamp("2016-04-01"), period_end=pd.Timestamp("2016-04-30"),
                value_usd=50e6, yoy_pct=-2.0, published_on=pd.Timestamp("2016-06-01"))
    assert "Feb 2015" in narrative([feb, late])[-1]  # published the day after the article
    at = _row(6, frequency="month", period_start=pd.Timestamp("2016-04-01"), period_end=pd.Timestamp("2016-04-30"),
              value_usd=50e6, yoy_pct=-2.0, published_on=pd.Timestamp("2016-05-31"))
    assert "Apr 2016 −2%" in narrative([feb, at])[-1]  # published on the article's day


def test_decline_title_uses_later_figures_when_none_were_known(claims, facts):
    rows = [_year(1, 2015, "KAZ", 1000e6, published_on=pd.Timestamp("2016-07-01")),
            _year(2, 2016, "KAZ", 700e6)]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 30% from 2015 (USD 1.0 bn) to 2016 (USD 700 mn) on "
                             "Kazakhstan's figures (figures published after 2016-05-31)")
    assert chart.narrative == ["Compared: each reporter's highest year from 2012 with its latest year published "
                               "after 2016-05-31, within its own series."]
    assert chart.reporters == ["KAZ"]


def test_decline_peak_is_the_highest_earlier_year_and_bounds_give_no_percent(claims, facts):
    rows = [_year(1, 2012, "BLR", 700e6), _year(2, 2013, "BLR", 900e6, value_qualifier="approx"),
            _year(3, 2014, "BLR", 1000e6, value_qualifier="at_least"), _year(4, 2015, "BLR", 1300e6)]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    assert chart.finding == ("Belarus–Kazakhstan turnover went from ≥USD 1.0 bn in 2014 to USD 1.3 bn in 2015 "
                             "on Belarus's figures")
    rows[2] = _year(3, 2014, "BLR", 1000e6, value_qualifier="exact")
    rows[3] = _year(4, 2015, "BLR", 1300e6, value_qualifier="approx")
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    assert chart.finding == ("Belarus–Kazakhstan turnover rose about 30% from 2014 (USD 1.0 bn) to 2015 (≈USD 1.3 bn) "
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
    assert one.finding == "Fewer than two annual Belarus–Kazakhstan turnover figures of one reporter in 2012–2016"
    assert one.narrative == [] and not one.empty and one.note == ""
    none = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel([_year(1, 2005, "BLR", 1e9)]), claims, facts))
    assert none.finding == "No annual Belarus–Kazakhstan turnover figure in the data"
    assert none.empty and none.note == ("No annual turnover figure for Belarus–Kazakhstan in the data, so there is "
                                        "nothing to draw.")
    assert none.reporters == [] and len(none.fig.layout.shapes) == 0 and len(none.fig.layout.annotations) == 0


def test_decline_window_bounds_come_from_the_claim(claims, facts):
    rows = [_year(1, 2010, "BLR", 2000e6), _year(2, 2012, "BLR", 1000e6), _year(3, 2013, "BLR", 800e6)]
    chart = charts.chart_for(_claim(claims, "declining_trend"), _inputs(_panel(rows), claims, facts))
    assert "fell 20% from 2012 (USD 1.0 bn) to 2013" in chart.finding  # 2010 is before the window (2012)
    moved, c = _with_rule(claims, "declining_trend")
    c2 = c.model_copy(update={"window": c.window.model_copy(update={"start": 2010})})
    moved = moved.model_copy(update={"claims": [c2 if x is c else x for x in moved.claims]})
    chart = charts.chart_for(c2, _inputs(_panel(rows), moved, facts))
    assert "fell 60% from 2010 (USD 2.0 bn) to 2013 (USD 800 mn)" in chart.finding
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
    assert "fell 50% from 2013 (USD 1.0 bn) to 2015 (USD 500 mn)" in chart.finding  # 2015-12-31 + 60 d < 2016-05-31
    lagged, c = _with_rule(claims, "declining_trend",
                           publication_lag_days={"annual": 200, "half-year": 45, "quarter": 45, "month": 40,
                                                 "year-to-date": 40})
    chart = charts.chart_for(c, _inputs(_panel(rows), lagged, facts))
    assert chart.finding == ("Belarus–Kazakhstan turnover fell 20% from 2013 (USD 1.0 bn) to 2014 (USD 800 mn) on "
                             "Belarus's figures")


# ---------------------------------------------------------------- helpers

def test_colour_keeps_the_pair_then_hashes_others():
    assert charts.colour("KAZ", ["KAZ", "BLR"]) == "#0072B2" and charts.colour("BLR", ["KAZ", "BLR"]) == "#D55E00"
    for code in (None, "", "unknown"):
        assert charts.colour(code, ("BLR", "KAZ")) == "#767676"
    # sum of the code's characters modulo four picks from the other colours
    assert charts.colour("RUS", ("BLR", "KAZ")) == ["#009E73", "#CC79A7", "#E69F00", "#56B4E9"][
        (ord("R") + ord("U") + ord("S")) % 4]
    assert charts.colour("UKR", ("BLR", "KAZ")) == ["#009E73", "#CC79A7", "#E69F00", "#56B4E9"][
        (ord("U") + ord("K") + ord("R")) % 4]
    assert charts.colour("AAA", ()) == "#56B4E9" and charts.colour("AAB", ()) == "#009E73"  # 195 % 4 = 3, 196 % 4 = 0
    assert charts.colour("AAC", ()) == "#CC79A7" and charts.colour("AAD", ()) == "#E69F00"


def test_wrap_breaks_at_words_only():
    assert charts.wrap("a" * 10 + " " + "b" * 10, 12) == "a" * 10 + "<br>" + "b" * 10
    assert charts.wrap("x" * 30, 10) == "x" * 30  # no break inside a word
    assert charts.wrap("", 10) == ""


def _s(year, v, q="exact"):
    return pd.Series({"period_start": pd.Timestamp(f"{year}-01-01"), "value_usd": v, "value_qualifier": q})


def test_change_wording():
    assert charts._change(_s(2013, 1000e6), _s(2015, 590e6)) == "fell 41% from 2013 (USD 1.0 bn) to 2015 (USD 590 mn)"
    assert charts._change(_s(2013, 500e6), _s(2015, 600e6, "approx")) == \
        "rose about 20% from 2013 (USD 500 mn) to 2015 (≈USD 600 mn)"
    assert charts._change(_s(2013, 500e6, "approx"), _s(2015, 500e6)) == \
        "rose about 0% from 2013 (≈USD 500 mn) to 2015 (USD 500 mn)"
    assert charts._change(_s(2013, 500e6, "at_most"), _s(2015, 600e6)) == \
        "went from ≤USD 500 mn in 2013 to USD 600 mn in 2015"
    assert charts._change(_s(2013, 500e6), _s(2015, 600e6, "at_least")) == \
        "went from USD 500 mn in 2013 to ≥USD 600 mn in 2015"


def test_events_name_the_fact_of_that_date_else_the_claim(claims, facts):
    inp = _inputs(_panel([_year(1, 2013, "BLR", 1e9)]), claims, facts)
    assert charts.events(inp) == [(pd.Timestamp("2017-11-29"), "programme signed")]
    moved, c = _with_rule(claims, "recovery", event_date=dt.date(2018, 2, 3))
    assert charts.events(_inputs(inp.panel, moved, facts)) == [(pd.Timestamp("2018-02-03"),
                                                               "programme recovery (event date)")]
    assert charts.events(inp, [_claim(claims, "declining_trend")]) == []


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


def test_turnover_points_sources_primary_and_labels(claims):
    rows = [_row(1, flow="export", value_usd=60e6, source_url="https://b.example/x"),
            _row(2, flow="import", value_usd=40e6, source_url="https://a.example/y"),
            _row(3, reporter="KAZ", source_kind="un_comtrade", frequency="half-year",
                 period_start=pd.Timestamp("2014-01-01"), period_end=pd.Timestamp("2014-06-30"), value_usd=30e6,
                 published_on=pd.Timestamp("2014-08-01"))]
    p = _panel(rows).drop(columns="primary")
    pts = charts.turnover_points(p, ("BLR", "KAZ"))
    assert pts["reporter"].tolist() == ["BLR", "KAZ"]
    assert pts["value_usd"].tolist() == [100e6, 30e6]
    assert pts["source_url"].tolist() == ["https://a.example/y https://b.example/x", "https://example.org/3"]
    assert pts["period_label"].tolist() == ["2013", "H1 2014"]
    # no declared primary series: statistics count as primary, press quotes do not
    assert pts["primary"].tolist() == [False, True]
    p2 = p.assign(primary=[True, None, False])
    assert charts.turnover_points(p2, ("BLR", "KAZ"))["primary"].tolist() == [True, False]
    assert charts.turnover_points(p.iloc[0:0], ("BLR", "KAZ")).empty
    assert sorted(charts.rows_behind(p, pts)["row_id"]) == ["t:1", "t:2", "t:3"]


def test_bilateral_share_of_total_trade():
    rows = [_year(1, 2014, "BLR", 800e6, source_kind="wb_wits"), _year(2, 2015, "BLR", 500e6, source_kind="wb_wits"),
            _year(3, 2016, "BLR", 400e6, source_kind="wb_wits")]
    rows += [_year(10, 2014, "BLR", 30e9, source_kind="wb_wits", partner="WLD", flow="export"),
             _year(11, 2014, "BLR", 10e9, source_kind="wb_wits", partner="WLD", flow="import"),
             _year(12, 2015, "BLR", 25e9, source_kind="wb_wits", partner="WLD", flow="turnover",
                   source_url="https://w.example/t"),
             _year(13, 2016, "BLR", 0.0, source_kind="wb_wits", partner="WLD", flow="turnover"),
             # half a year and another reporter's total: not a total for BLR
             _row(14, source_kind="wb_wits", partner="WLD", period_start=pd.Timestamp("2014-01-01"),
                  period_end=pd.Timestamp("2014-06-30"), value_usd=1e9)]
    p = _panel(rows)
    pts = charts.turnover_points(p, ("BLR", "KAZ"))
    share = charts.bilateral_share(p, pts)
    assert share["year"].tolist() == [2014, 2015]  # a zero total gives no share
    assert share["share"].round(9).tolist() == [2.0, 2.0]
    assert share["total_usd"].tolist() == [40e9, 25e9]
    assert share["reporter"].tolist() == ["BLR", "BLR"] and share["source_kind"].tolist() == ["wb_wits", "wb_wits"]
    assert share["source"].tolist() == ["https://example.org/1 https://example.org/10",
                                        "https://example.org/2 https://w.example/t"]
    assert charts.bilateral_share(p, pts.iloc[0:0]).empty
    assert charts.bilateral_share(p[p["partner"] != "WLD"], pts).empty


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
    assert tr.yaxis == "y2" and tr.line.color == "#0072B2" and tr.line.width == 2 and tr.showlegend is False
    assert tr.name == "Belarus: share" and tr.hovertemplate == "Belarus: %{y:.2f}%<extra></extra>"
    assert _traces(chart)["Belarus: official series"].yaxis == "y"
    assert chart.fig.layout.annotations[0].text == "Share of each reporter's total goods trade, %"
    assert chart.fig.layout.yaxis.domain[1] == pytest.approx(1.0)
    assert chart.fig.layout.yaxis.range == (0, pytest.approx(800 * 1.15)) and chart.fig.layout.yaxis2.range is None
    assert chart.fig.layout.xaxis2.matches == "x" or chart.fig.layout.xaxis.matches == "x2"
    _check_finish(chart, 600)
