"""The words of every ``Phrase`` a verdict carries (basis, not checked, data used, robustness).

``render(p)`` looks ``p.key`` up in ``TEMPLATES`` and fills it with ``p.args``; an arg that is a
phrase is rendered first. To change a wording, change its template here (and say so in the
method log); the model only names the phrase and gives its values.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..model import rating as rating_mod
from ..model.results import Phrase
from .fmt import musd, ordinal, period, plural, plural_word
from .names import figures_of, name_of, possessive
from .sources import in_words as sources

SIGN = {"at_least": "at least", "at_most": "at most", "approx": "about"}
DEFLATION_UNTESTED = ("untested: no USD price index in the panel or bundled data (KZT/USD and oil prices are not "
                      "deflators of dollar trade values)")


def label(rating: str) -> str:
    return rating_mod.label(rating)


def render(p: Phrase | str) -> str:
    if isinstance(p, str):
        return p
    return TEMPLATES[p.key](**p.args)


def _ratings(pairs) -> str:
    return ", ".join(f"{name_of(r)} {label(x)}" for r, x in pairs)


def _figures(reporter: str, source: str | None = None, pair: list | None = None, year: int | None = None) -> str:
    text = figures_of(reporter)
    if source and year is not None:
        text += f" ({sources(source)}, {year})"
    elif source:
        text += f" ({sources(source)})"
    if reporter == "unknown" and pair:
        text += f"; may mix {possessive(name_of(pair[0]))} and {possessive(name_of(pair[1]))} statistics"
    return text


def _no_reference_value(start: int, last: int) -> str:
    if start <= last - 1:
        return f"no exact annual value in {start}-{last - 1} to compare {last} with"
    return f"{last} is the first exact annual value of the window"


def _fact(partner: str, topic: str, value: float, date: str, fact_id: str) -> str:
    if topic == "partner_rank":
        return f"{name_of(partner)} ranked {ordinal(int(value))} ({date}, fact {fact_id})"
    return f"{name_of(partner)} {value:g}% of trade ({date}, fact {fact_id})"


def _month(label: str) -> str:
    """'Aug 2015' for '2015-08' (``fmt.period``'s wording of a month)."""
    d = pd.Timestamp(label)
    return period("month", d, d)


def _rate_at(label: str) -> str:
    """'Jul 2015 average' for a month's average ('2015-07'), '1 Jan 2015' for a day's rate."""
    return f"{_month(label)} average" if len(label) == 7 else f"{pd.Timestamp(label).day} {_month(label)}"


def _official_moves(items) -> str:
    return "; ".join(f"{cur} lost {loss:.0f}% over {_month(month)} ({_rate_at(before)} to {_rate_at(after)})"
                     for cur, month, loss, before, after in items)


def bounds_text(bounds: list[dict]) -> str:
    """'about USD 700 mn in Jan-Jul 2022, at least USD 1,000 mn in 2021'."""
    return ", ".join(f"{SIGN.get(b['qualifier'], '')} USD {b['value_musd']:,.0f} mn in {b['period']}".strip()
                     for b in bounds)


TEMPLATES: dict[str, Callable[..., str]] = {
    # generic
    "text": lambda text: text,
    "about": lambda who, what: f"{name_of(who)}: {render(what)}",
    "rating_lower": lambda rating: label(rating).lower(),
    "figures": _figures,
    # the claim level (model.result.combine)
    "combined_basis": lambda parts, how, what, ratings: " and ".join(render(p) for p in parts) + (
        f" ({how} of {len(ratings)} {plural_word(len(ratings), what, 'countries' if what == 'country' else None)}' "
        f"ratings: {_ratings(ratings)})" if len(ratings) > 1 else ""),
    "flagged_basis": lambda basis, what: (f"FLAGGED: only figures whose reporter is not stated ({render(basis)}); no "
                                          f"named {what}'s figures could be rated"),
    "none_rated": lambda what: f"no {what}'s figures could be rated",
    "reporters_agree": lambda ratings: ", ".join(f"{name_of(r)} {label(x)} ({s})" for r, x, s in ratings),
    "only_rated": lambda n, what, ratings: (f"only {n} named {plural_word(n, what, 'countries' if what == 'country' else None)} "
                                            f"rated: " + (_ratings(ratings) or "none")),
    "per_reporter": lambda items: "; ".join(f"{name_of(r)}: {render(p)}" for r, p in items),
    # why a reporter's figures are missing (model.result.coverage_note)
    "figures_start_after": lambda reporter, other, first_year, anchor: (
        f"{possessive(name_of(reporter))} figures for trade with {name_of(other)} start with {first_year}, after "
        f"the statement ({anchor})"),
    "not_bundled": lambda reporter, day: (
        f"no statistics of {name_of(reporter)} are bundled or fetched (no IMF DOTS export for {name_of(reporter)} "
        f"among the bundled files, no live snapshot known at {day}; --online asks UN Comtrade, the IMF and WITS)"),
    "not_yet_published": lambda reporter, day, first_year, first_public: (
        f"not yet published at {day}: {possessive(name_of(reporter))} IMF DOTS figures begin with {first_year}, "
        f"first public by about {first_public}"),
    "no_partner_figures": lambda reporter, other, day, kinds: (
        f"{possessive(name_of(reporter))} statistics known at {day} ({', '.join(sources(k) for k in kinds)}) hold no figure for trade "
        f"with {name_of(other)}"),
    "partners_not_bundled": lambda country: (
        f"no statistics of {name_of(country)} are bundled or fetched (no IMF DOTS export for it among the bundled "
        "files, no live snapshot)"),
    # declining_trend
    "no_reference_value": _no_reference_value,
    "no_recent_comparable": lambda months, before, window=None: (
        f"no exact comparable period {f'in {window[0]}-{window[1]} ' if window else ''}first public within {months} "
        f"months before {before}"),
    "no_annual_value": lambda as_of: f"no exact annual value known at {as_of}",
    "trend_not_fitted": lambda n, year, needed: (f"trend model: {plural(n, 'annual value')} up to {year}: at least "
                                                 f"{needed} needed for the trend model"),
    "not_deflated": lambda: "deflated values (no USD price index bundled)",
    "annual_series_used": lambda reporter, source, up_to: f"{figures_of(reporter)}: annual turnover ({sources(source)}) up to {up_to}",
    "latest_comparable_used": lambda period, source, basis: (f"latest comparable period: {period} vs a year earlier "
                                                             f"({sources(source)}, {basis})"),
    "source_variants": lambda primary, rating, others: (f"primary {sources(primary)}: {label(rating)}; "
                                                        + ", ".join(f"{sources(k)}: {label(v)}" for k, v in others)),
    "one_source": lambda source: f"one source only ({sources(source) or 'none'})",
    "window_variants": lambda start, rating, others: (f"reference from {start}: {label(rating)}; "
                                                      + ", ".join(f"from {s}: {label(v)}" for s, v in others)),
    "deflated_variant": lambda nominal, deflated: f"nominal {label(nominal)}, deflated {label(deflated)}",
    "deflation_untested": lambda: DEFLATION_UNTESTED,
    # partner_rank
    "rank_undecided": lambda partners: (f"rank of {', '.join(name_of(p) for p in partners)} not decided: the partners "
                                        "in the data leave room for larger unlisted ones"),
    "partner_data_used": lambda country, n, year, source: (f"{figures_of(country)}: turnover with "
                                                           f"{plural(n, 'partner country', 'partner countries')} in "
                                                           f"{year} ({sources(source)})"),
    "partner_facts_basis": lambda country: f"context facts on {possessive(name_of(country))} partners (no partner data in the panel)",
    "context_facts_dated": lambda start, end: f"context facts dated {start}..{end}",
    "year_ratings": lambda items: ", ".join(f"{y}: {label(v)}" for y, v in items),
    "one_source_per_year": lambda: "one source per year (the one with most partners)",
    # market_shock
    "oil_not_checked": lambda: "oil prices (no oil-price series in the panel)",
    "definition_not_stated": lambda fact_id: f"fact {fact_id}: definition of the devaluation not stated",
    "currency_facts_none": lambda country, start, end: f"currency facts for {country} dated {start}..{end}: none",
    "currency_facts_used": lambda country, start, end, events: (
        f"currency facts for {country} dated {start}..{end} (loss of value): "
        + ", ".join(f"{loss:.1f}% on {date}" for loss, date in events)),
    "context_facts": lambda: "context facts",
    "exchange_rate_facts": lambda: "context facts (dated public reports of the exchange rate)",
    "one_kind_of_evidence": lambda: "one kind of evidence (dated context facts)",
    "official_rates": lambda items, rating: (f"the central bank's official rates give {label(rating)}: "
                                             + _official_moves(items)),
    "official_rates_partial": lambda items, n: (f"the central bank's official rates cover {len(items)} of the {n} "
                                                f"moves (not compared): " + _official_moves(items)),
    # recovery
    "no_exact_value": lambda year: f"no exact {year} value",
    "no_trough_value": lambda start, end: f"no exact value {start}-{end} for the trough",
    "too_few_after": lambda n, year, needed: f"{plural(n, 'exact annual value')} after {year} ({needed} needed)",
    "exact_values_count": lambda reporter, n: f"{figures_of(reporter)}: {plural(n, 'exact annual value')}",
    "exact_values_span": lambda reporter, first, last, source: (f"{figures_of(reporter)}: exact annual values "
                                                                f"{first}-{last} ({sources(source)})"),
    "bound_not_rated": lambda reporter, qualifier, value_musd, period: (
        f"{figures_of(reporter)}: {' '.join(filter(None, [SIGN.get(qualifier), musd(value_musd)]))} in {period} "
        "(not rated)"),
    "pre_pandemic_check": lambda latest_year, rating, pre_year, pre_rating: (
        f"latest {latest_year}: {label(rating)}; pre-pandemic {pre_year}: {label(pre_rating)}"),
    "source_ratings": lambda items: ", ".join(f"{sources(k)}: {label(v)}" for k, v in items),
    "one_source_covers": lambda source: f"one source covers reference and latest year ({sources(source)})",
    # mirror_gap
    "no_matched_flow": lambda: "no year with both sides' figures for the same flow",
    "no_matched_flow_year": lambda: "mirror comparison: no year with both countries' figures for the same flow",
    "mirror_flows": lambda: "mirror flows",
    "mirror_basis": lambda pair: (f"{possessive(name_of(pair[0]))} and {possessive(name_of(pair[1]))} figures for the "
                                  "same flows (mirror)"),
    "flow_years_used": lambda flow, n, first, last: f"{flow}: {plural(n, 'year')} {first}-{last}",
    "recording_change": lambda flow, year: f"{flow} {year}: flagged as a recording change",
    "source_pairs": lambda pairs: ", ".join(sources(p) for p in pairs),
    "mirror_both_reporters": lambda: "a mirror comparison uses both reporters by construction",
    "halves": lambda earlier, later: f"earlier years {label(earlier)}, later years {label(later)}",
    # event_record
    "event_records": lambda: "dated records of the event (context facts)",
    "event_records_none": lambda day: f"records of the event public by {day}: none",
    "event_records_used": lambda ids: "records of the event: " + ", ".join(f"fact {i}" for i in ids),
}
