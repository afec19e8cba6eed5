"""The one country-name table: short English names for codes, as a newsroom writes them.

Built from the code tables (``countries/countries.csv`` first, then the partner-name table of
the bundled files, ``countries/partner_names.csv``: short English names, then IMF DOTS names up
to their first comma, e.g. "China, P.R.: Mainland" -> "China"), with ``SHORT`` over them: the
names the reader knows where ISO's formal name differs ("Russian Federation" -> "Russia",
"Korea, Republic of" -> "South Korea"), and the groupings the context facts name. Nothing here
knows the country pair: a claims file for another pair reads naturally without a code change.
Every sentence, chart label and JSON text takes its country names from ``country`` below.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from ..countries import codes

UNKNOWN = "unknown"
# short names over the code tables' formal ones, and groupings that are in no code table
SHORT = {
    "BOL": "Bolivia", "CCK": "Cocos Islands", "COD": "DR Congo", "FLK": "Falkland Islands", "FSM": "Micronesia",
    "IRN": "Iran", "KOR": "South Korea", "LAO": "Laos", "MAF": "Saint Martin", "MDA": "Moldova",
    "PRK": "North Korea", "PSE": "Palestine", "RUS": "Russia", "SHN": "Saint Helena", "SXM": "Sint Maarten",
    "SYR": "Syria", "TWN": "Taiwan", "TZA": "Tanzania", "VAT": "Vatican City", "VEN": "Venezuela",
    "VGB": "British Virgin Islands", "VIR": "US Virgin Islands", "VNM": "Vietnam",
}
# groupings the context facts and partner tables name (no code table has them)
GROUPINGS = {"EU": "European Union", "EAEU": "Eurasian Economic Union", "EAEU_CU": "Customs Union (EAEU predecessor)",
             "CIS": "CIS"}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """The code tables' names (before ``SHORT``): countries.csv over the partner-name table."""
    out: dict[str, str] = {}
    try:
        from ..countries import partner_names

        for scheme in ("imf_dots", "en"):  # later schemes win: short English names over DOTS names
            for (sch, name), (code, kind) in partner_names.table().items():
                if sch == scheme and kind == "country":
                    out[code] = name.split(",")[0].strip()
    except ImportError:  # no partner-name table: the small code table only
        pass
    with codes.FILE.open(encoding="utf-8", newline="") as fh:
        out.update({r["iso3"]: r["name"] for r in csv.DictReader(fh) if r.get("name")})
    return out


@lru_cache(maxsize=1024)
def country(code: str | None) -> str:
    """'BLR' -> 'Belarus', 'RUS' -> 'Russia', 'WLD' -> 'World'; an unknown code is returned as it is."""
    if not code:
        return "?"
    return SHORT.get(code) or GROUPINGS.get(code) or _names().get(code, code)


def name_of(code: str) -> str:
    """``country``, and the two non-country subjects of a verdict: 'unknown' -> 'unstated
    reporter', 'all' -> 'all'."""
    if code == UNKNOWN:
        return "unstated reporter"
    if code == "all":
        return "all"
    return country(code)


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") and not name.endswith("us") else f"{name}'s"


def figures_of(code: str) -> str:
    """"Belarus's figures" / "figures whose reporter is not stated" (verdict sentences)."""
    if code == UNKNOWN:
        return "figures whose reporter is not stated"
    return f"{possessive(name_of(code))} figures"


def pair(codes_) -> str:
    """'Belarus–Kazakhstan'."""
    return "–".join(country(c) for c in codes_)
