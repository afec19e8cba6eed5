"""The rating scale (as fact-checkers use it and schema.org ClaimReview carries it) and how
per-reporter ratings combine into a claim's rating.

Scale: True (5), Mostly true (4), Half true (3), Mostly false (2), False (1); "Cannot be
checked" (no usable data) and "Not yet testable" (the event lies after the as-of date) carry no
value. ``combine_ratings`` applies the rule named in the claims file (``combine``):

- ``mean``: the mean of the rated results' values, rounded to the nearest step, a half rounded
  towards Half true (True + False -> Half true; True + Mostly true -> Mostly true);
- ``min``: the lowest value (every reporter must agree for True).

Only rated results count; the caller decides which results are eligible (named reporters
first: figures whose reporter is not stated never decide when a named reporter's figures exist).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

RATINGS = ("true", "mostly_true", "half_true", "mostly_false", "false", "cannot_be_checked", "not_yet_testable")
LABELS = {"true": "True", "mostly_true": "Mostly true", "half_true": "Half true", "mostly_false": "Mostly false",
          "false": "False", "cannot_be_checked": "Cannot be checked", "not_yet_testable": "Not yet testable"}
VALUES = {"true": 5, "mostly_true": 4, "half_true": 3, "mostly_false": 2, "false": 1}
BY_VALUE = {v: k for k, v in VALUES.items()}
RATED = tuple(VALUES)
STRENGTHS = ("strong", "moderate", "weak", "none")
BEST, WORST = 5, 1
COMBINE_RULES = ("mean", "min")


def check(rating) -> str:
    """The rating name; YAML's bare ``true``/``false`` (booleans) read as True/False ratings."""
    if isinstance(rating, bool):
        return "true" if rating else "false"
    if rating not in RATINGS:
        raise ValueError(f"unknown rating {rating!r} (known: {', '.join(RATINGS)})")
    return rating


def value(rating: str) -> int | None:
    return VALUES.get(rating)


def label(rating: str) -> str:
    return LABELS[check(rating)]


def step(rating: str, by: int) -> str:
    """``rating`` moved ``by`` steps (negative = towards False), clipped to the scale."""
    if rating not in VALUES:
        return rating
    return BY_VALUE[min(BEST, max(WORST, VALUES[rating] + by))]


def round_to_half_true(x: float) -> int:
    """Nearest integer; an exact half goes towards 3 (Half true)."""
    lo, hi = math.floor(x), math.ceil(x)
    if hi - x < x - lo:
        return hi
    if x - lo < hi - x:
        return lo
    return lo if lo >= 3 else hi


def combine_ratings(ratings: Iterable[str], how: str = "mean") -> str:
    """The claim rating from the eligible results' ratings (see module doc)."""
    if how not in COMBINE_RULES:
        raise ValueError(f"unknown combine rule {how!r} (known: {', '.join(COMBINE_RULES)})")
    rs = list(ratings)
    vals = [VALUES[r] for r in rs if r in VALUES]
    if not vals:
        return "not_yet_testable" if rs and all(r == "not_yet_testable" for r in rs) else "cannot_be_checked"
    if how == "min":
        return BY_VALUE[min(vals)]
    return BY_VALUE[round_to_half_true(sum(vals) / len(vals))]


def weakest(strengths: Iterable[str]) -> str:
    """The weakest of several strengths ('none' when there is none)."""
    s = [x for x in strengths if x in STRENGTHS]
    return max(s, key=STRENGTHS.index) if s else "none"
