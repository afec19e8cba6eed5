"""A claim's rule as sentences a reader can follow ("How this statement was tested").

Every number comes from the typed rule (``claims.rules``: the claims file's values and the
defaults it left out), so the sentence states the rule that was applied, not the one written.
"""

from __future__ import annotations

from collections.abc import Callable

from ..claims import rules as r
from .fmt import band, join, plural
from .names import name_of, possessive
from .phrases import label

UNITS = {"annual": "a year", "half-year": "a half-year", "quarter": "a quarter", "month": "a month",
         "year-to-date": "a year-to-date period", "other": "another period"}


class Grade(str):
    """A sentence that maps results to ratings (left out for a question, which gets no rating)."""


def _countries(codes) -> str:
    return join([name_of(c) for c in codes])


def _combine(how: str) -> str:
    return (f"The countries' ratings are combined by their {'mean' if how == 'mean' else 'lowest'}"
            + (" (the claim is as true as its least true part)." if how == "min" else "."))


def _lags(lags: dict) -> str:
    by_days: dict[int, list[str]] = {}
    for freq, days in lags.items():
        by_days.setdefault(int(days), []).append(UNITS[freq])
    parts = [f"{plural(d, 'day')} after the end of {join(units, 'or')}" for d, units in sorted(by_days.items(), reverse=True)]
    return "A figure without a publication date counts as public " + "; ".join(parts) + "."


def _declining(rule: r.DecliningTrend, start: int) -> list[str]:
    g = rule.ratings
    out = [f"On each country's own figures: (a) the latest full year published by the date is at least "
           f"{rule.min_decline_pct:g}% below the highest year from {start} on (the peak); (b) the latest comparable "
           f"period (a year, a year-to-date, a quarter or a month against the same period a year earlier) first "
           f"published within {rule.recency_months} months before the date is still below a year earlier"
           + (", exact figures only." if rule.exact_only else "."),
           Grade(f"Both hold: {label(g.both)}; (a) without a recent period: {label(g.decline_no_latest)}; (a) only: "
           f"{label(g.decline_only)}; (b) only: {label(g.latest_only)}; neither, with no recent period: "
           f"{label(g.no_decline_no_latest)}; neither: {label(g.neither)}.")]
    if rule.trend_downgrade:
        out.append(Grade(f"A long-run trend whose {100 * rule.trend_level:g}% interval lies wholly above zero (rising) "
                   f"lowers a fall's rating by {plural(rule.trend_downgrade, 'step')}."))
    starts = sorted({a for a, _ in rule.sensitivity_windows} - {start})
    if starts:
        out.append(f"Also tested with the peak sought from {join([str(a) for a in starts], 'or')}.")
    for b in rule.known_breaks:
        who = f" in {join([possessive(name_of(c)) for c in b.reporters])} figures" if b.reporters else ""
        out.append(f"Known recording break{who} in {b.year}" + (f": {b.why}." if b.why else "."))
    out.append(Grade(_combine(rule.combine)))
    return out


def _partners(rule: r.PartnerRank, start: int) -> list[str]:
    table = rule.grade_table
    n = len(rule.partners)
    if n == 1:
        grades = f"In the top {rule.top_n}: {label(table[1])}; not: {label(table[0])}"
    else:
        grades = "; ".join(f"{'All' if k == n else 'none' if k == 0 else k} of {n} in the top {rule.top_n}: "
                           f"{label(v)}" for k, v in sorted(table.items(), reverse=True))
    whose = "each country's" if len(rule.countries) > 1 else f"{possessive(name_of(rule.countries[0]))}"
    return [f"For {_countries(rule.countries)}: {'is' if n == 1 else 'are'} {_countries(rule.partners)} among "
            f"{whose} {rule.top_n} largest single-country partners by goods turnover (exports + imports) in the "
            "latest full year known?",
            Grade(f"{grades}."), Grade(_combine(rule.combine))]


def _shock(rule: r.MarketShock, start: int) -> list[str]:
    which = "each currency" if len(rule.countries) > 1 else "its currency"
    return [f"For {_countries(rule.countries)}: did {which} lose at least {rule.min_devaluation_pct:g}% of its "
            f"value against the US dollar within {rule.lookback_months} months before the statement?",
            Grade("One loss that large: True; only several losses compounded: Mostly true; compounded losses of at "
                  "least half of it: Mostly false; less: False."), Grade(_combine(rule.combine))]


def _recovery(rule: r.Recovery, start: int) -> list[str]:
    cuts = "; ".join(f"at least {100 * k:.0f}% of the fall made up: {label(v)}" if k else f"any of it: {label(v)}"
                     for k, v in sorted(rule.recovered_grades.items(), reverse=True))
    out = [f"On each country's own figures: after {rule.event_date.day} {rule.event_date:%B %Y}, did turnover in the latest full year "
           f"get back to its {rule.reference_year} level" + (f" (within {rule.tolerance_pct:g}%)" if rule.tolerance_pct else "")
           + f", from its lowest year after {rule.reference_year}? At least "
           f"{plural(rule.min_points_after, 'full year')} after the event are needed.",
           Grade(f"Back: True; {cuts}; none: False.")]
    if rule.pre_pandemic_year:
        out.append(f"{rule.pre_pandemic_year}, the last year before the pandemic, is the robustness check.")
    out.append(Grade(_combine(rule.combine)))
    return out


def _mirror(rule: r.MirrorGap, start: int) -> list[str]:
    lo, hi = rule.band_pct
    cuts = "; ".join(f"at least {100 * k:.0f}%: {label(v)}" if k else f"less: {label(v)}"
                     for k, v in sorted(rule.grades.items(), reverse=True))
    out = [f"Each flow (one country's exports, the other's imports of the same goods) is compared year by year: the "
           f"importer's figure (with freight and insurance, CIF) is expected to be {band(lo, hi)} than the "
           f"exporter's (FOB).", Grade(f"Share of comparisons inside that band: {cuts}.")]
    if rule.data_quality_years:
        out.append(f"Years with a known recording change, not counted: {join([str(y) for y in rule.data_quality_years])}.")
    return out


def _event(rule: r.EventRecord, start: int) -> list[str]:
    n = len(rule.records)
    return [f"Is a dated public record of the event ({'the one' if n == 1 else f'one of the {n}'} named in the "
            f"claims file) known by the date?", Grade(f"One is: {label(rule.confirmed)}; none: Cannot be checked.")]


SENTENCES: dict[type, Callable[..., list[str]]] = {
    r.DecliningTrend: _declining, r.PartnerRank: _partners, r.MarketShock: _shock, r.Recovery: _recovery,
    r.MirrorGap: _mirror, r.EventRecord: _event,
}


def rule_sentences(rule: r.RuleBase, window_start: int, graded: bool = True) -> list[str]:
    """The rule in plain sentences, then the publication lags used to cut what was known at a date;
    without the sentences that grade the result when ``graded`` is false (a question)."""
    said = [s for s in SENTENCES[type(rule)](rule, window_start) if graded or not isinstance(s, Grade)]
    return [str(s) for s in said] + [_lags(rule.publication_lag_days)]
