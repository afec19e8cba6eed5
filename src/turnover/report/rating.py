"""The rating scale of the verdict records (CONTRACTS.md) and how the report shows it.

A record carries ``rating``, ``rating_label``, ``sentence``, ``strength``, ``basis``,
``not_checked`` and a ``robustness`` list. ``headline`` picks the claim-level record
(``reporter="all"``) for one vintage; ``chip`` draws a rating as a labelled chip (the text
carries the meaning, the colour only repeats it). The finding shown beside a chip is the text
layer's rendering of the typed verdict (``text.render.shown_finding``), never cut out of the
record's sentence.
"""

from __future__ import annotations

from .safe import text as safe_text

SCALE = {  # rating -> (label, value, background, text colour); blue-to-orange, colour-blind safe
    "true": ("True", 5, "#08519c", "#fff"),
    "mostly_true": ("Mostly true", 4, "#2b6ca3", "#fff"),
    "half_true": ("Half true", 3, "#6f6f6f", "#fff"),
    "mostly_false": ("Mostly false", 2, "#b34d0c", "#fff"),
    "false": ("False", 1, "#8c2d04", "#fff"),
    "cannot_be_checked": ("Cannot be checked", None, "#fff", "#1f2328"),
    "not_yet_testable": ("Not yet testable", None, "#fff", "#1f2328"),
}
NONE = "not_evaluated"


def normalise(record: dict) -> dict:
    """A record with ``rating`` (``None`` when missing or unknown), ``rating_label`` and ``sentence``."""
    r = record.get("rating") if record.get("rating") in SCALE else None
    return {**record, "rating": r, "rating_label": record.get("rating_label") if r else label(None),
            "sentence": record.get("sentence") or ""}


def headline(results: list[dict], claim_id: str, vintage: str) -> dict | None:
    """The claim-level record of one vintage (``reporter="all"``), else ``None``."""
    for r in results:
        if r.get("claim_id") == claim_id and r.get("vintage") == vintage and r.get("reporter") == "all":
            return normalise(r)
    return None


def label(rating: str | None) -> str:
    return SCALE[rating][0] if rating in SCALE else "Not evaluated"


def _esc(value) -> str:
    return str(safe_text(value))


def chip(rating: str | None, text: str | None = None, small: bool = False) -> str:
    """A rating chip; unknown or missing ratings read "Not evaluated"."""
    bg, fg = (SCALE[rating][2], SCALE[rating][3]) if rating in SCALE else ("#fff", "#1f2328")
    cls = f"rating rating-{_esc(rating or NONE)}" + (" small" if small else "")
    return (f'<span class="{cls}" data-rating="{_esc(rating or NONE)}" '
            f'style="background:{bg};color:{fg}">{_esc(text or label(rating))}</span>')
