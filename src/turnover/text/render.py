"""Verdicts in words: the vintage phrase, each rule's finding, the sentence and the JSON record.

A sentence is "<vintage phrase>: <rating> — <finding>." ("As of 31 May 2016: true — on
Belarus's figures ... ."). ``finding`` renders the typed facts of a verdict
(``model.results``); the report shows it under the rating chip without the lead, and
``record`` writes the ``verdicts.json`` record of a verdict. Nothing here computes a statistic,
and nothing anywhere reads these words back.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..model import rating as rating_mod
from ..model.results import (CombinedFacts, DeclineFacts, EventFacts, Finding, MirrorFacts, NoDevaluation, NoMatchedFlows,
                             NotYetTestable, PartnerFacts, RecoveryFacts, ShockFacts, Unrated, Verdict, jsonable)
from .fmt import abs_pct, against, band, moved, musd, ordinal, plural, signed_pct, years
from .names import figures_of, name_of, possessive
from .phrases import bounds_text, render
from .sources import in_words as sources

TODAY = "today"


def long_date(d) -> str:
    """'31 May 2016'."""
    d = pd.Timestamp(d)
    return f"{d.day} {d:%B %Y}"


def vintage_phrase(vintage: str, as_of, style: str = "lead") -> str:
    """The one wording of a vintage, in three places:

    - ``lead`` (a sentence's start): 'As of 31 May 2016' / 'With data known today (4 December 2026)';
    - ``heading`` (a table column, a chip's date): 'As of 31 May 2016' / 'Today (4 December 2026)';
    - ``label`` (inside a sentence, ClaimReview descriptions): 'as of 31 May 2016' / 'today (4 December 2026)'.
    """
    when = long_date(as_of) if as_of is not None and str(as_of) not in ("", "?") else "?"
    if vintage == TODAY:
        return {"lead": f"With data known today ({when})", "heading": f"Today ({when})",
                "label": f"today ({when})"}[style]
    return {"lead": f"As of {when}", "heading": f"As of {when}", "label": f"as of {when}"}[style]


# ---------------------------------------------------------------- findings, one per kind of facts

def _unrated(f: Unrated, v: Verdict) -> str:
    return f"on {figures_of(f.reporter)}: " + ("; ".join(render(r) for r in f.reasons) or "no usable figures")


def _published(then_published: bool) -> str:
    return "the latest full year then published" if then_published else "the last full year before the statement"


def _latest_text(f: DeclineFacts, who: str = "") -> str:
    return f"{f.latest_comparable_period} was {against(f.latest_comparable_yoy_pct, 'a year earlier')}{who}"


def _decline(f: DeclineFacts, v: Verdict) -> str:
    """One reporter: (a) with the reference, (b), the total-trade comparison, the trend."""
    figs = figures_of(f.reporter)
    parts = []
    if f.change_vs_reference_pct is not None:
        ref = f.reference_year
        peak = f"the {ref} peak" if ref != f.latest_year - 1 else f"{ref}, the peak"
        verb = "fell" if f.change_vs_reference_pct < 0 else "rose"
        parts.append(f"on {figs} ({sources(f.source)}) turnover {verb} {abs_pct(f.change_vs_reference_pct)} in {f.latest_year} "
                     f"against {peak} ({musd(f.reference_musd)} to {musd(f.latest_musd)}), {_published(f.then_published)}")
    elif f.bound:
        parts.append(f"on {figs} turnover fell {abs_pct(f.printed_yoy_pct)} in {f.latest_year} (printed "
                     f"change; no exact levels), so at least as much below the peak")
    elif f.latest_year is not None:
        parts.append(f"on {figs} only {f.latest_year} has an exact value")
    if f.not_reversed is None:
        parts.append("no exact comparable period then public to say whether it reversed")
    elif f.latest_is_annual:
        parts.append("no later comparable period in the data" + ("" if f.not_reversed else "; that year was up on the one before"))
    else:
        parts.append(_latest_text(f))
    if f.total_change_latest_year_pct is not None and f.change_latest_year_pct is not None and f.other:
        who, other = name_of(f.reporter), name_of(f.other)
        parts.append(f"{possessive(who)} total trade {moved(f.total_change_latest_year_pct)} in {f.latest_year} "
                     f"(its trade with {other} {moved(f.change_latest_year_pct)}; {other} was "
                     f"{f.bilateral_share_latest_pct:.1f}% of {possessive(who)} trade)")
    if f.trend_slope_pct is not None:
        parts.append(trend_words(f))
    return "; ".join(parts)


def trend_words(f: DeclineFacts) -> str:
    """The fitted long-run trend in words: its direction only when the whole interval is on one
    side of zero (the numbers are in ``numbers``)."""
    fitted = "the long-run trend fitted to the figures"
    if f.trend_high_pct is not None and f.trend_high_pct < 0:
        return f"{fitted} is falling"
    if f.trend_low_pct is not None and f.trend_low_pct > 0:
        return f"{fitted} is rising"
    return f"{fitted} is too uncertain to say whether it is falling or rising"


def numbers(v: Verdict) -> str | None:
    """The statistics behind a finding, for the details: the trend slope with its interval, the
    verdict's p-value (for a decline, the slope's) and the count of values ('filtered trend slope -3% a
    year (95% interval -37% to +50%, 24 annual values); p = 0.898; 24 values used')."""
    f, bits = v.facts, []
    if isinstance(f, DeclineFacts) and f.trend_slope_pct is not None:
        bits.append(f"{f.trend_kind} trend slope {signed_pct(f.trend_slope_pct)} a year ({100 * f.trend_level:g}% "
                    f"interval {signed_pct(f.trend_low_pct)} to {signed_pct(f.trend_high_pct)}, "
                    f"{plural(f.trend_n, 'annual value')})")
    if v.p_value is not None and not (isinstance(v.p_value, float) and v.p_value != v.p_value):
        bits.append(f"p = {v.p_value:.3g}")
    if v.n_obs:
        bits.append(plural(int(v.n_obs), "value") + " used")
    return "; ".join(bits) or None


def _decline_change(f: DeclineFacts) -> str:
    if f.bound:
        return f"fell at least {abs_pct(f.change_vs_reference_at_most_pct)}"
    chg = f.change_vs_reference_pct
    return f"{'fell' if chg < 0 else 'rose'} {abs_pct(chg)}"


def decline_claim(parts: list[DeclineFacts]) -> str | None:
    """'turnover fell 41% in 2015 on Belarus's figures and 35% on Kazakhstan's, the latest full
    year then published; no later period showed a rise' from the rated named reporters."""
    if not parts or not all(f.latest_year is not None for f in parts):
        return None
    years = {f.latest_year for f in parts}
    bits = []
    for i, f in enumerate(parts):
        if f.change_vs_reference_pct is not None or f.bound:
            text = _decline_change(f)
        else:
            text = "has no exact reference year"
        yr = "" if len(years) == 1 and i else f" in {f.latest_year}"
        if i and text.split()[0] == bits[0][0].split()[0] and len(years) == 1:
            text = " ".join(text.split()[1:])  # "fell 41% ... and 35% on ..."
            who = f"on {possessive(name_of(f.reporter))}"
        else:
            who = f"on {figures_of(f.reporter)}"
        bits.append((text, f"{text}{yr} {who}"))
    head = "turnover " + " and ".join(b[1] for b in bits)
    refs = {f.reference_year for f in parts}
    if len(refs) == 1 and None not in refs:
        head += f" (against the {refs.pop()} peak)"
    head += ", " + _published(parts[0].then_published)
    tails = []
    rises = [f for f in parts if f.not_reversed is False]
    falls_later = [f for f in parts if f.not_reversed and not f.latest_is_annual]
    unknown = [f for f in parts if f.not_reversed is None]
    if rises:
        tails.append("but " + "; ".join(f"{_latest_text(f, f' on {figures_of(f.reporter)}')}" for f in rises))
    if falls_later:
        tails.append("; ".join(_latest_text(f, f" on {figures_of(f.reporter)}") for f in falls_later))
    if not rises and not falls_later and not unknown:
        tails.append("no later period showed a rise")
    if unknown:
        tails.append("no exact later period on " + " or ".join(figures_of(f.reporter) for f in unknown))
    nxt = [f for f in parts if f.next_year is not None]
    if nxt:
        tails.append("after the statement, turnover " + " and ".join(
            f"{moved(f.next_year_change_pct)} in {f.next_year} on {figures_of(f.reporter)}" for f in nxt))
    return head + ("; " + "; ".join(tails) if tails else "")


def _partners(f: PartnerFacts, v: Verdict) -> str:
    if f.year is None:
        from .phrases import _fact
        return (f"on context facts for {name_of(f.country)}: " + ("; ".join(_fact(**s) for s in f.stated)
                                                                  or "none dated in the window")
                + (f" ({render(f.missing)})" if f.missing is not None else ""))
    ranks = ", ".join(f"{name_of(p)} {'ranked ' + ordinal(f.ranks[p]) if p in f.ranks else 'not in the data'}"
                      for p in f.partners)
    if f.undecided:
        share = "; ".join(f"{name_of(p)} {f.shares_pct[p]:.0f}%" for p in f.partners if p in f.shares_pct)
        return (f"on {figures_of(f.country)} ({sources(f.source)}) for {f.year} only "
                f"{plural(f.n_partners, 'partner country', 'partner countries')} {'is' if f.n_partners == 1 else 'are'} "
                f"in the data ({ranks} among them; "
                f"share of total trade: {share or 'no World total'}), too few to rank")
    top = ", ".join(name_of(k) for k in f.top[:f.top_n])
    return (f"on {figures_of(f.country)} ({sources(f.source)}) for {f.year}, {ranks} of "
            f"{plural(f.n_partners, 'partner country', 'partner countries')} (top {f.top_n}: {top})")


def _decisive(f: ShockFacts) -> float:
    """The loss the rule compares with its threshold: the largest one, else all of them compounded."""
    return f.max_loss_pct if f.max_loss_pct >= f.threshold_pct or f.n_events == 1 else f.cumulative_loss_pct


def _side(f: ShockFacts) -> str:
    d = _decisive(f)
    return "more than" if d > f.threshold_pct else "as much as" if d == f.threshold_pct else "less than"


def _loss(f: ShockFacts, first: bool = True) -> str:
    moves = (f"; its {f.n_events} losses in the period compound to {f.cumulative_loss_pct:.0f}%" if f.n_events > 1 else "")
    what = "currency lost" if first else ""
    return (f"{possessive(name_of(f.country))} {what} {f.max_loss_pct:.0f}%{' of its value against the US dollar' if first else ''} "
            f"({long_date(f.max_loss_date)}){moves}").replace("  ", " ")


def _shock(f: ShockFacts, v: Verdict) -> str:
    return f"{_loss(f)}, {_side(f)} the {f.threshold_pct:g}% loss the rule counts as a shock"


def shock_claim(parts: list[ShockFacts]) -> str | None:
    """"Belarus's currency lost 23% of its value against the US dollar (31 January 2015) and
    Kazakhstan's 26% (20 August 2015), each more than the 20% loss the rule counts as a shock" when
    every country's largest loss is on the same side of one threshold; else None."""
    if (len(parts) < 2 or len({f.threshold_pct for f in parts}) > 1 or len({_side(f) for f in parts}) > 1
            or any(_decisive(f) != f.max_loss_pct for f in parts)):
        return None
    losses = [_loss(f, i == 0) for i, f in enumerate(parts)]
    return (", ".join(losses[:-1]) + " and " + losses[-1]
            + f", each {_side(parts[0])} the {parts[0].threshold_pct:g}% loss the rule counts as a shock")


def no_devaluation_claim(parts: list[NoDevaluation]) -> str | None:
    """One clause for countries without a recorded devaluation over the same span; else None."""
    if len(parts) < 2 or len({(f.start, f.end) for f in parts}) > 1:
        return None
    who = " or ".join(possessive(name_of(f.country)) for f in parts)
    return (f"the dated records hold no devaluation of {who} currency between {long_date(parts[0].start)} and "
            f"{long_date(parts[0].end)}")


def _no_devaluation(f: NoDevaluation, v: Verdict) -> str:
    return (f"the dated records hold no devaluation of {possessive(name_of(f.country))} currency between "
            f"{long_date(f.start)} and {long_date(f.end)}")


def _recovery(f: RecoveryFacts, v: Verdict) -> str:
    ref_y = f.reference_year
    pre = (f"; in {f.pre_pandemic_year}, before the pandemic, it was {against(f.pre_pandemic_vs_reference_pct, ref_y)}"
           if f.pre_pandemic_vs_reference_pct is not None and f.pre_pandemic_year != f.latest_year else "")
    path = (f"fell from {musd(f.reference_musd)} in {ref_y} to {musd(f.trough_musd)} in {f.trough_year}"
            if f.trough_musd < f.reference_musd else
            f"never fell below its {ref_y} level of {musd(f.reference_musd)} (lowest {musd(f.trough_musd)} in "
            f"{f.trough_year})")
    made_up = (f" ({100 * f.share_recovered:.0f}% of the fall made up)"
               if f.share_recovered is not None and f.share_recovered < 1 else "")
    body = (f"on {figures_of(f.reporter)} ({sources(f.source)}), turnover {path} and was {musd(f.latest_musd)} in "
            f"{f.latest_year}, {against(f.latest_vs_reference_pct, ref_y)}{made_up}{pre}")
    if f.bounds:
        body += "; later, not rated: " + bounds_text(f.bounds)
    return body


def _not_yet(f: NotYetTestable, v: Verdict) -> str:
    return f"the event ({long_date(f.event_date)}) came after this date"


EXPORTERS = "the exporter's"


def _mirror(f: MirrorFacts, v: Verdict) -> str:
    a, b = f.pair
    named = lambda text: " ".join(name_of(w) if w in (a, b) else w for w in str(text).split())
    lo, hi = f.band_pct
    body = (f"in {f.n_inside} of {plural(f.n_flow_years, 'yearly comparison')} of the same flow "
            f"({years(f.first_year, f.last_year)}) the importer recorded {band(lo, hi)} than the exporter, the usual "
            f"gap (importers add freight and insurance); median: the importer's figure {against(f.median_gap_pct, EXPORTERS)}")
    if f.worst_flow is not None:
        body += (f"; largest difference: {named(f.worst_flow)} in {f.worst_year}, the importer's figure "
                 f"{against(f.worst_gap_pct, EXPORTERS)}")
    return body


def _no_flows(f: NoMatchedFlows, v: Verdict) -> str:
    a, b = f.pair
    return (f"no year in {f.start}-{f.end} has both {possessive(name_of(a))} and {possessive(name_of(b))} figures for "
            "the same flow" + (f" ({'; '.join(render(n) for n in f.notes)})" if f.notes else ""))


def _publisher(url: str) -> str:
    """The site a record was published on ('president.gov.by'), from its address."""
    from urllib.parse import urlparse

    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or "source not linked"


def _event(f: EventFacts, v: Verdict) -> str:
    if not f.records:
        later = f" (recorded later: {', '.join(f'fact {i}' for i in f.later)})" if f.later else ""
        return f"no record of the event was public by {long_date(v.as_of)}{later}"
    bits = [f"{long_date(r['date'])} ({_publisher(r['source_url'])}): {r['statement'].rstrip('.')}" for r in f.records]
    return "recorded " + "; ".join(bits)


def _combined(f: CombinedFacts, v: Verdict) -> str:
    """The claim level: the rule's own joined finding, else the findings it rests on, else the basis."""
    waiting = [p.facts for p in v.parts.values() if isinstance(p.facts, NotYetTestable)]
    if waiting and len(waiting) == len(v.parts) and len({w.event_date for w in waiting}) == 1:
        return _not_yet(waiting[0], v)  # every side waits for the same event: say which, not "none rated"
    body = None
    if f.joined == "decline" and f.rated:
        body = decline_claim([v.parts[r].facts for r in f.rated])
    elif f.joined == "all":
        facts = [p.facts for p in v.parts.values()]
        joined = (shock_claim(facts) if facts and all(isinstance(x, ShockFacts) for x in facts) else
                  no_devaluation_claim(facts) if facts and all(isinstance(x, NoDevaluation) for x in facts) else None)
        body = joined or "; ".join(finding(p) for p in v.parts.values())
    elif f.joined == "recovery" and f.rated:
        body = "; ".join(finding(v.parts[r]) for r in f.rated)
        since = min(v.parts[r].facts.latest_year for r in f.rated)
        unk = v.parts.get("unknown")
        unstated = [b for b in (unk.statistic.get("bounds_after_latest") or [] if unk else []) if b["year"] > since]
        if unstated:  # named, never rated: figures whose reporter is not stated
            body += "; figures whose reporter is not stated (not rated): " + bounds_text(unstated)
    if body is None and not f.rated and not f.flagged:  # nothing rated: each named side's reason
        body = _reasons([v.parts[r] for r in f.named if r in v.parts]) or None
    if body is None:
        body = "; ".join(finding(v.parts[r]) for r in f.basis_of) or render(v.basis)
    return _one_side(f, v) + body


def _reasons(parts: list[Verdict]) -> str:
    """Each side's finding; sides that could not be rated for the same reasons share one clause
    ("on Armenia's and Georgia's figures: 1 exact annual value after 2019 (2 needed)")."""
    said: dict[str, list[str]] = {}
    for p in parts:
        if isinstance(p.facts, Unrated) and p.facts.reporter != "unknown":
            why = "; ".join(render(r) for r in p.facts.reasons) or "no usable figures"
            said.setdefault(why, []).append(p.facts.reporter)
        else:
            said.setdefault(finding(p), [])
    return "; ".join(f"on {' and '.join(possessive(name_of(r)) for r in who)} figures: {why}" if who else why
                     for why, who in said.items())


UNAVAILABLE = {"not_bundled", "figures_start_after", "not_yet_published", "no_partner_figures", "partners_not_bundled"}


def _one_side(f: CombinedFacts, v: Verdict) -> str:
    """"China's figures are not available for this pair, so this rests on Belarus's: " when only one
    of the named sides could be rated; empty otherwise."""
    if f.flagged or f.joined == "all" or len(f.rated) != 1 or len(f.named) < 2:  # "all": every part is said
        return ""
    missing = [r for r in f.named if r not in f.rated]
    why = []
    for r in missing:
        part = v.parts.get(r)
        reasons = part.facts.reasons if part is not None and isinstance(part.facts, Unrated) else []
        gone = part is None or any(getattr(p, "key", None) in UNAVAILABLE for p in reasons)
        why.append(f"{possessive(name_of(r))} figures {'are not available for this pair' if gone else 'could not be rated'}")
    return f"{'; '.join(why)}, so this rests on {possessive(name_of(f.rated[0]))}: "


FINDINGS: dict[type, Callable] = {
    Unrated: _unrated, DeclineFacts: _decline, PartnerFacts: _partners, ShockFacts: _shock,
    NoDevaluation: _no_devaluation, RecoveryFacts: _recovery, NotYetTestable: _not_yet, MirrorFacts: _mirror,
    NoMatchedFlows: _no_flows, CombinedFacts: _combined, EventFacts: _event, Finding: lambda f, v: render(f.phrase),
}


def finding(v: Verdict) -> str:
    """What the figures show, without the date and rating lead."""
    return FINDINGS[type(v.facts)](v.facts, v)


def sentence(v: Verdict) -> str:
    """'As of 31 May 2016: true — <finding>.' (one sentence; the finding holds the decisive numbers)."""
    return (f"{vintage_phrase(v.vintage, v.as_of)}: {rating_mod.label(v.rating).lower()} — "
            f"{finding(v).strip().rstrip('.')}.")


def shown_finding(v: Verdict) -> str:
    """The finding as a sentence of its own (the report shows date and rating beside it)."""
    text = finding(v).strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."


# ---------------------------------------------------------------- context from all pairs

def tenth(percentile: float | None) -> str | None:
    """'the lowest tenth', 'the third-lowest tenth' ... 'the highest tenth' for a percentile (0-100)."""
    if percentile is None:
        return None
    k = min(int(percentile // 10) + 1, 10)
    words = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    if k == 1 or k == 10:
        return f"the {'lowest' if k == 1 else 'highest'} tenth"
    return f"the {words[k]}-lowest tenth" if k <= 5 else f"the {words[11 - k]}-highest tenth"


def pair_context_sentence(ctx) -> str:
    """One sentence of a ``model.context.PairContext``: world trade, then each reporter's pair change,
    its rank among all pairs and its total trade."""
    head = f"{ctx.year} against {ctx.base_year}: "
    if ctx.world_change_pct is not None:
        head += f"world trade in USD {'fell' if ctx.world_change_pct < 0 else 'rose'} {abs_pct(ctx.world_change_pct)}"
    else:
        head += "no world total"
    bits = []
    for r in ctx.reporters:
        if r.pair_change_pct is None:
            bits.append(f"{possessive(name_of(r.reporter))} figures give no change for this pair")
            continue
        text = (f"on {possessive(name_of(r.reporter))} figures this pair's {signed_pct(r.pair_change_pct)} is in "
                f"{tenth(r.percentile)} of the {ctx.n_pairs:,} pairs with data (median "
                f"{signed_pct(ctx.median_change_pct)})")
        if r.total_change_pct is not None:
            text += f", {possessive(name_of(r.reporter))} total trade {signed_pct(r.total_change_pct)}"
        bits.append(text)
    return head + "; " + "; ".join(bits) + "."


# ---------------------------------------------------------------- verdicts.json records

def record(v: Verdict) -> dict:
    """The ``verdicts.json`` record of a verdict (the keys a reader uses, stable)."""
    return jsonable({
        "claim_id": v.claim_id, "vintage": v.vintage, "as_of": v.as_of.date().isoformat(),
        "reporter": v.reporter, "rating": v.rating, "rating_label": rating_mod.label(v.rating),
        "rating_value": rating_mod.value(v.rating), "rule": v.rule, "window": [int(v.window[0]), int(v.window[1])],
        "statistic": v.statistic, "p_value": v.p_value, "n_obs": int(v.n_obs),
        "data_used": [render(d) for d in v.data_used], "source_row_ids": sorted(set(v.source_row_ids)),
        "robustness": [{"dimension": c.dimension, "agrees": c.agrees, "detail": render(c.detail)} for c in v.robustness],
        "sentence": sentence(v), "finding": shown_finding(v), "numbers": numbers(v),
        "strength": v.strength, "basis": render(v.basis),
        "not_checked": [render(n) for n in v.not_checked],
    })


class Records(list):
    """The ``verdicts.json`` records of ``verdicts`` (a list of dicts), with the typed verdicts
    they were rendered from (``publish.verdicts`` writes their evidence beside them)."""

    def __init__(self, verdicts: list[Verdict]):
        super().__init__(record(v) for v in verdicts)
        self.verdicts = list(verdicts)


def records(verdicts: list[Verdict]) -> Records:
    return Records(verdicts)
