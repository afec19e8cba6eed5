"""Names for codes: countries (ISO 3166 via ``pycountry``), reporters and ratings' subjects.

Nothing here knows the country pair: every name comes from the ISO table, so a claims file for
another pair reads naturally without a code change. Aggregates (``WLD``, ``EU`` ...) keep their code
unless the table of aggregate names below knows them.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

AGGREGATES = {"WLD": "World", "EU": "European Union", "EAEU": "Eurasian Economic Union",
              "EAEU_CU": "Customs Union (EAEU predecessor)", "CIS": "CIS"}
# ISO's formal names where newsrooms use a shorter one
SHORT = {"RUS": "Russia", "IRN": "Iran", "KOR": "South Korea", "PRK": "North Korea", "MDA": "Moldova",
         "SYR": "Syria", "VEN": "Venezuela", "BOL": "Bolivia", "TZA": "Tanzania", "VNM": "Vietnam",
         "LAO": "Laos", "TWN": "Taiwan", "CZE": "Czechia", "GBR": "United Kingdom", "USA": "United States"}


@lru_cache(maxsize=512)
def country(code: str | None) -> str:
    """'BLR' -> 'Belarus'; an unknown code is returned as it is."""
    if not code:
        return "?"
    if code in AGGREGATES or code in SHORT:
        return AGGREGATES.get(code) or SHORT[code]
    c = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def pair(codes) -> str:
    """'Belarus–Kazakhstan'."""
    return "–".join(country(c) for c in codes)


def reporter(code: str | None) -> str:
    """Whose figures: "Belarus's figures", "figures of unstated origin", "all reporters"."""
    if code in (None, "", "unknown"):
        return "figures of unstated origin"
    if code == "all":
        return "all reporters"
    if code == "pooled":
        return "all reporters pooled"
    return f"{country(code)}'s figures"


def reporter_short(code: str | None) -> str:
    """Line labels and legend entries: 'Belarus', 'reporter not stated'."""
    if code in (None, "", "unknown"):
        return "reporter not stated"
    if code in ("all", "pooled"):
        return "all reporters"
    return country(code)
