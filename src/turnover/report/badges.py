"""Verdict badges: one coloured label per claim, vintage and reporter (HTML)."""

from __future__ import annotations

import datetime as dt

from .safe import Markup, html, join

# rating -> (label, background); colours chosen to read on white and in greyscale
RATINGS = {
    "true": ("True", "#1a7f37"),
    "mostly_true": ("Mostly true", "#4c8c2b"),
    "half_true": ("Half true", "#9a6700"),
    "mostly_false": ("Mostly false", "#bc4c00"),
    "false": ("False", "#cf222e"),
    "cannot_be_checked": ("Cannot be checked", "#57606a"),
    "not_yet_testable": ("Not yet testable", "#6e7781"),
    "not_evaluated": ("Not evaluated", "#8c959f"),
}
# legacy verdicts (results written before the rating scale)
VERDICTS = {
    "supported": ("Supported", "#1a7f37"),
    "not_supported": ("Not supported", "#cf222e"),
    "mixed": ("Mixed", "#9a6700"),
    "insufficient_data": ("Insufficient data", "#57606a"),
    "not_yet_testable": ("Not yet testable", "#6e7781"),
    "not_evaluated": ("Not evaluated", "#8c959f"),
}
REPORTERS = {
    "BLR": "Belarus's figures",
    "KAZ": "Kazakhstan's figures",
    "unknown": "figures of unstated origin",
    "all": "claim rating",
}


def verdict_label(verdict: str | None) -> str:
    return VERDICTS.get(verdict or "", (str(verdict or "no verdict").replace("_", " ").capitalize(), ""))[0]


def rating_of(result: dict) -> str:
    """The result's rating (legacy results: their verdict)."""
    return result.get("rating") or result.get("verdict") or "not_evaluated"


def rating_label(result: dict) -> str:
    r = rating_of(result)
    return (RATINGS.get(r) or VERDICTS.get(r) or (r.replace("_", " ").capitalize(), ""))[0]


def reporter_label(reporter: str | None) -> str:
    return REPORTERS.get(reporter or "", f"{reporter}'s figures")


def vintage_label(vintage: str, as_of: str | dt.date | None) -> str:
    when = as_of.isoformat() if isinstance(as_of, dt.date) else (as_of or "?")
    return f"today ({when})" if vintage == "today" else f"as of {when}"


def badge(result: dict) -> Markup:
    """One badge for one result; data-* attributes let tests and scripts find it."""
    verdict = str(rating_of(result))
    label, colour = RATINGS.get(verdict) or VERDICTS.get(verdict) or (verdict_label(verdict), "#8c959f")
    vintage = result.get("vintage", "?")
    text = (f"{vintage_label(vintage, result.get('as_of'))} · "
            f"{reporter_label(result.get('reporter'))}: {label}")
    return html(
        '<span class="verdict-badge verdict-{verdict}" data-claim="{claim}" data-vintage="{vintage}" '
        'data-reporter="{reporter}" title="{title}" '
        'style="display:inline-block;margin:2px 6px 2px 0;padding:2px 8px;border-radius:10px;'
        'color:#fff;background:{colour};font:600 12px/18px sans-serif">{text}</span>',
        verdict=verdict, claim=result.get("claim_id", ""), vintage=vintage, reporter=result.get("reporter", ""),
        title=result.get("sentence") or result.get("summary") or "", colour=colour, text=text)


def badges(claim_id: str, results: list[dict], vintages: dict[str, dt.date]) -> Markup:
    """Badges for a claim's results, vintage by vintage (order of ``vintages``), then reporter.

    A vintage without any result still gets a badge ("Not evaluated"), so a missing result
    is visible rather than silently absent.
    """
    rank = {r: i for i, r in enumerate(["all", "BLR", "KAZ", "unknown"])}
    out = []
    for v, as_of in vintages.items():
        mine = sorted((r for r in results if r.get("vintage") == v), key=lambda r: rank.get(r.get("reporter"), 9))
        out += [badge(r) for r in mine] or [badge({
            "claim_id": claim_id, "vintage": v, "as_of": as_of, "rating": "not_evaluated",
            "reporter": "all", "summary": "no result for this vintage"})]
    return html('<div class="verdict-badges">{}</div>', join(out))
