"""The words of the report's charts: titles that state the verdicts' figures, subtitles, narrative
lines and the one-line notes of empty charts. ``report.charts`` draws; every sentence it shows
comes from here (its CSV series names and hover labels are data labels and stay with the traces).
"""

from __future__ import annotations

from ..model.results import DeclineFacts, RecoveryFacts
from . import fmt, labels as names

SUBTITLE_TURNOVER = ("Goods turnover (exports + imports), {unit}, as each country records it; lines: official "
                     "series, dots: figures quoted in releases; shaded: published by")


def turnover_subtitle(as_of, unit: str = "USD million") -> str:
    """The subtitle in the axis' unit ("USD million" or "USD billion", ``report.charts.usd_scale``)."""
    return f"{SUBTITLE_TURNOVER.format(unit=unit)} {fmt.date(as_of)}"


def break_label(year: int, reporters, pair) -> str:
    """'2010: known break (Kazakhstan)': the short note at a recording break the claims file names
    (no country when it concerns both of the pair's, or every reporter)."""
    who = [] if not reporters or set(pair) <= set(reporters) else [names.country(r) for r in reporters]
    return f"{year}: known break" + (f" ({', '.join(who)})" if who else "")


def break_line(year: int, reporters, why: str) -> str:
    """The caption's line for a known break: its year, whose figures, and why (from the claims file)."""
    who = f" ({fmt.join([names.country(r) for r in reporters], 'and')})" if reporters else ""
    return f"Known break {year}{who}, tested as a level shift" + (f": {why}" if why else ".")


def no_turnover_note(pair) -> str:
    return f"No annual turnover figure for {names.pair(pair)} in the data, so there is nothing to draw."


# ---------------------------------------------------------------- declining trend

def decline_change(f: DeclineFacts, reporter: str, usd=fmt.usd) -> str | None:
    """'fell 41% from 2014 (USD 967 mn) to 2015 (USD 574 mn) on Belarus's figures': the verdict's
    own comparison of the latest full year with the reference (the peak); ``usd`` writes the values
    (a chart passes its axis' unit)."""
    if f.change_vs_reference_pct is not None:
        verb = "fell" if f.change_vs_reference_pct < 0 else "rose"
        return (f"{verb} {fmt.abs_pct(f.change_vs_reference_pct)} from {f.reference_year} "
                f"({usd(f.reference_musd * 1e6)}) to {f.latest_year} ({usd(f.latest_musd * 1e6)}) "
                f"on {names.reporter(reporter)}")
    if f.bound and f.change_vs_reference_at_most_pct is not None:
        return (f"fell at least {fmt.abs_pct(f.change_vs_reference_at_most_pct)} below the peak by {f.latest_year} "
                f"(printed change) on {names.reporter(reporter)}")
    return None


def decline_title(pair, parts: list[str], published_after=None) -> str:
    """'Belarus–Kazakhstan turnover fell ... on Belarus's figures; ...' (figures published after a date
    when none were known at the article)."""
    return (f"{names.pair(pair)} turnover " + "; ".join(parts)
            + ("" if published_after is None else f" (figures published after {fmt.date(published_after)})"))


def decline_without_comparison(pair, start: int, end: int, statement, plotted: bool) -> str:
    if not plotted:
        return f"No annual {names.pair(pair)} turnover figure in the data"
    return (f"Fewer than two annual {names.pair(pair)} turnover figures of one reporter in {start}–{end} up to the "
            f"statement ({fmt.date(statement)})")


def compared_line(start: int, as_of, after: bool) -> str:
    when = f"published {'after' if after else 'by'} {fmt.date(as_of)}"
    return f"Compared: each reporter's highest year from {start} with its latest year {when}, within its own series."


def part_year_line(as_of, f: DeclineFacts, reporter: str) -> str:
    """The verdict's latest comparable period, when it is part of a year."""
    return (f"Latest part-year change published by {fmt.date(as_of)}: {f.latest_comparable_period} "
            f"{fmt.pct(f.latest_comparable_yoy_pct)} on a year earlier ({names.reporter(reporter)}); "
            "part-year values are not plotted against annual totals.")


# ---------------------------------------------------------------- recovery

def recovery_level(f: RecoveryFacts, reporter: str) -> str:
    return (f"{100 + f.latest_vs_reference_pct:.0f}% of its {f.reference_year} level in {f.latest_year} "
            f"on {names.reporter(reporter)}")


def recovery_path(f: RecoveryFacts, reporter: str, usd=fmt.usd) -> str:
    verb = "fell" if f.latest_vs_trough_pct < 0 else "rose"
    return (f"{names.reporter(reporter).capitalize()}: {verb} {fmt.abs_pct(f.latest_vs_trough_pct)} from "
            f"{f.trough_year} ({usd(f.trough_musd * 1e6)}) to {f.latest_year} ({usd(f.latest_musd * 1e6)}).")


def recovery_title(pair, label: str, event, levels: list[str], why: list[str], after: bool) -> str:
    """The levels the verdicts give, else why no reporter's figures can be rated, else that nothing
    came after the event."""
    if levels:
        return f"After the {label} ({fmt.date(event)}), {names.pair(pair)} turnover was at " + "; ".join(levels)
    if after:
        return (f"After the {label} ({fmt.date(event)}) no reporter's figures can be rated"
                + (": " + "; ".join(why) if why else ""))
    return f"No annual {names.pair(pair)} turnover figure after the {label} ({fmt.date(event)}) in the data"


def bounds_line(n: int, label: str) -> str:
    return (f"{fmt.plural(n, 'figure')} after the {label} {'is' if n == 1 else 'are'} printed only as bounds "
            "(\"more than\" / \"less than\", triangles); a bound gives no percentage.")


# ---------------------------------------------------------------- mirror

def mirror_subtitle(low: float, high: float, unit: str = "USD million") -> str:
    return ("Exports as the exporter records them (FOB, solid) and imports as the importer records them "
            f"(CIF, dotted), {unit} per year; grey band: the usual margin, imports {fmt.band(low, high)} than exports")


def mirror_title(outside: int | None, n: int, low: float, high: float) -> str:
    if outside is None:
        return "No year has both countries' figures for the same flow, so the gap cannot be measured"
    return (f"In {outside} of {fmt.plural(n, 'year')} the importer's figure lies outside the usual CIF/FOB margin "
            f"({fmt.band(low, high)} than the exporter's)")


def flow(exporter: str, importer: str) -> str:
    """'Belarus→Kazakhstan'."""
    return f"{names.country(exporter)}→{names.country(importer)}"


def largest_departure(exporter: str, importer: str, year: int, gap_pct: float) -> str:
    return f"Largest departure: {flow(exporter, importer)} {year}, imports {fmt.against(gap_pct, 'exports')}."


def not_counted_line(items: list[tuple[str, str, int]]) -> str:
    return ("Not counted (a recording change the claims file names): "
            + ", ".join(f"{flow(e, i)} {y}" for e, i, y in items) + ".")


def no_flows_note(pair) -> str:
    return f"Neither country's annual exports to or imports from the other are in the data for {names.pair(pair)}."


# ---------------------------------------------------------------- market shock

SUBTITLE_SHOCK = ("Devaluations against the US dollar, % of value lost (a printed rise of the rate r% is a loss of "
                  "1 − 1/(1 + r)), at their dates; shaded: the rule's look-back")
NO_RATE_SERIES = ("No exchange-rate series is in the data: the chart shows each devaluation the releases state, at "
                  "its date, as a loss of value against the US dollar.")


RATES_PANEL = "Official exchange rates, national currency per US dollar (log scale)"
RATES_AXIS = "per USD (log scale)"
RATE_KINDS = {"monthly_average": "monthly averages", "daily": "rates in force on the days reported",
              "end_of_period": "end-of-period rates"}


def rates_line(series: list[tuple[str, str]]) -> str:
    """'Lower panel: the official rates of the NBK (monthly averages) and the NBRB (...), log scale ...'
    from (publisher's short name, kind of rate) of each line."""
    each = fmt.join([f"the {who} ({RATE_KINDS.get(kind, kind.replace('_', ' '))})" for who, kind in series])
    return (f"Lower panel: the official exchange rates of {each}, on a log scale, so that the same loss of value "
            "is the same step for every currency; dotted lines: the devaluation dates above.")


def devaluation(subject: str, country: str, loss_pct: float, date) -> str:
    return f"the {subject} ({names.country(country)}) lost {loss_pct:.0f}% of its value on {fmt.date(date)}"


def no_devaluation(country: str) -> str:
    return f"no devaluation of {names.possessive(names.country(country))} currency in the data"


def shock_title(months: int, end, parts: list[str]) -> str:
    return f"In the {months} months before {fmt.date(end)}: " + "; ".join(parts)


def not_plotted_line(statement: str) -> str:
    return f"Not plotted (not a loss of value): {statement}"


def no_devaluation_note(countries) -> str:
    return "No devaluation of " + fmt.join([names.country(c) for c in countries], "or") + "'s currency is in the data."


# ---------------------------------------------------------------- partner rank

SUBTITLE_PARTNERS = ("Each partner's share of the country's goods trade (exports + imports), %, its own statistics; "
                     "the claim's partners in colour")
SUBTITLE_STATED = ("Share of the country's total trade as stated in releases, %, with the year it refers to; the "
                   "claim's partners filled")


def partner_ranks(country: str, year: int, partners: list[str], ranks: dict) -> str:
    """'Belarus (2015): Russia #1, Ukraine #2' from the model's ranking."""
    bits = [f"{names.country(x)} #{int(ranks[x])}" if x in ranks else f"{names.country(x)} not listed" for x in partners]
    return f"{names.country(country)} ({year}): " + ", ".join(bits)


def partner_title(top_n: int, parts: list[str]) -> str:
    return f"Rank by share of goods trade, top {top_n} per the rule — " + "; ".join(parts)


def stated_shares(country: str, partners: list[str], stated: list[tuple[str, float, int]]) -> str:
    """'Belarus: Russia 48% (2015)' from context facts (partner, value, year)."""
    named = [f"{names.country(x)} {v:g}% ({y})" for x, v, y in stated]
    return f"{names.country(country)}: " + (", ".join(named) if named else "no stated share for "
                                             + fmt.join([names.country(x) for x in partners], "or"))


def stated_title(parts: list[str]) -> str:
    return "No partner-by-partner statistics in the data; shares as officials stated them — " + "; ".join(parts)


def stated_rank_line(date, partner: str, rank: float, country: str) -> str:
    return f"Stated rank ({fmt.date(date)}): {names.country(partner)} #{rank:.0f} for {names.country(country)}."


def no_partner_note(countries) -> str:
    return "No partner shares for " + fmt.join([names.country(c) for c in countries], "or") + " are in the data."
