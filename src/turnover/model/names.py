"""Country names for generated sentences, from the code table (``sources/countries.csv``)."""

from __future__ import annotations

import csv
from functools import lru_cache

from ..sources import codes

UNKNOWN = "unknown"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    with codes.FILE.open(encoding="utf-8", newline="") as fh:
        return {r["iso3"]: r["name"] for r in csv.DictReader(fh) if r.get("name")}


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
