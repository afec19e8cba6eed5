"""Country names for generated sentences, from the code tables: ``countries/countries.csv`` first,
then the partner-name table of the bundled files (``countries/partner_names.csv``: short English
names, then IMF DOTS names up to their first comma, e.g. "China, P.R.: Mainland" -> "China")."""

from __future__ import annotations

import csv
from functools import lru_cache

from ..countries import codes

UNKNOWN = "unknown"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
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


def name_of(code: str) -> str:
    """'BLR' -> 'Belarus'; 'unknown' -> 'unstated reporter'; unknown codes stay as given."""
    if code == UNKNOWN:
        return "unstated reporter"
    if code == "all":
        return "all"
    return _names().get(code, code)


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") and not name.endswith("us") else f"{name}'s"


def figures_of(code: str) -> str:
    """"Belarus's figures" / "figures whose reporter is not stated"."""
    if code == UNKNOWN:
        return "figures whose reporter is not stated"
    return f"{possessive(name_of(code))} figures"
