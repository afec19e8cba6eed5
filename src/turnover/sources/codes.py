"""Country codes per source, read from ``countries.csv`` beside this module.

The panel speaks ISO3 (``WLD`` for the World); each API has its own codes (UN M49 numbers,
IMF ISO3 plus group codes such as ``G001``, WITS lower-case ISO3).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..errors import SourceError

FILE = Path(__file__).with_name("countries.csv")
COLUMNS = {"m49", "imf", "wits"}


@lru_cache(maxsize=1)
def _table() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def to_source(iso3: str, column: str, source: str) -> str:
    """The code ``source`` uses for ``iso3`` (``column`` is m49, imf or wits)."""
    for row in _table():
        if row["iso3"] == iso3:
            return row[column]
    raise SourceError(f"{source}: unknown country code {iso3!r} (not in {FILE.name})")


def from_source(code: object, column: str, where: str, detail: str = "") -> str:
    """The ISO3 code for a code found in a response; ``where`` names source and request."""
    text = str(code)
    for row in _table():
        if row[column].lower() == text.lower():
            return row["iso3"]
    raise SourceError(f"{where}: unknown country code {text!r} in response{detail}")
