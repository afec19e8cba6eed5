"""Country and area codes per source, read from ``countries.csv`` beside this module.

The panel speaks ISO alpha-3 for countries, ``WLD`` for the World and ``CT<id>`` for UN
Comtrade's other areas (``kind`` says ``country`` or ``aggregate``). Each API has its own
codes: UN Comtrade ids (``m49``: M49 numbers, with Comtrade's own ids for a few countries),
the IMF's ISO alpha-3 plus group codes such as ``G001``, WITS lower-case ISO alpha-3.
``build.py`` writes the file from ISO 3166-1 and Comtrade's partner list.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..errors import SourceError

FILE = Path(__file__).with_name("countries.csv")
COLUMNS = ("m49", "imf", "wits")


@lru_cache(maxsize=1)
def _table() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def _index(column: str) -> dict[str, dict[str, str]]:
    """Rows by their (lower-case) code in ``column``; ``iso3`` included."""
    return {r[column].lower(): r for r in _table() if r[column]}


def to_source(iso3: str, column: str, source: str) -> str:
    """The code ``source`` uses for ``iso3`` (``column`` is m49, imf or wits)."""
    row = _index("iso3").get(iso3.lower())
    if row is None or not row[column]:
        raise SourceError(f"{source}: unknown country code {iso3!r} (not in {FILE.name})")
    return row[column]


def lookup(code: object, column: str) -> dict[str, str] | None:
    """The table row for a code found in a response, or None when the table lacks it."""
    return _index(column).get(str(code).lower())


def from_source(code: object, column: str, where: str, detail: str = "") -> str:
    """The panel code for a code found in a response; ``where`` names source and request."""
    row = lookup(code, column)
    if row is None:
        raise SourceError(f"{where}: unknown country code {str(code)!r} in response{detail}")
    return row["iso3"]


def kind(iso3: str) -> str:
    """``country`` or ``aggregate`` (World and the other areas)."""
    row = _index("iso3").get(iso3.lower())
    return row["kind"] if row else "country"


@lru_cache(maxsize=None)
def alpha2(iso3: str) -> str | None:
    """ISO 3166-1 alpha-2 for an alpha-3 code (None for aggregates and unknown codes)."""
    import pycountry

    c = pycountry.countries.get(alpha_3=str(iso3).upper())
    return c.alpha_2 if c else None
