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


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Every code a claims file may name as a country -> its name: ISO 3166-1 alpha-3 countries of
    ``countries.csv``, plus the country codes of ``partner_names.csv`` that ISO 3166-1 no longer
    or never held (former countries such as SUN, YUG, CSK; Kosovo XKX; YAR) because DOTS reports them."""
    out = {r["iso3"]: r["name"] for r in _table() if r["kind"] == "country"}
    from .partner_names import table

    for (_, name), (code, k) in table().items():
        if k == "country" and code not in out:
            out[code] = name
    return out


def _alpha2() -> dict[str, str]:
    """ISO alpha-2 -> alpha-3 (for the hint when a two-letter code is given)."""
    try:
        import pycountry
    except ImportError:  # the hint only
        return {}
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def nearest(code: str) -> str | None:
    """The country code most likely meant by ``code`` (alpha-2, other case, a name, or a near miss)."""
    import difflib

    known = country_codes()
    text = str(code).strip()
    up = text.upper()
    if up in known:
        return up
    if len(up) == 2 and up in (a2 := _alpha2()):
        return a2[up]
    by_name = {n.lower(): c for c, n in known.items()}
    hit = difflib.get_close_matches(text.lower(), list(by_name), n=1, cutoff=0.8) if len(text) > 3 else []
    if hit:
        return by_name[hit[0]]
    same_letters = [c for c in sorted(known) if sorted(c) == sorted(up)]  # KZA -> KAZ
    if same_letters:
        return same_letters[0]
    close = difflib.get_close_matches(up, sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


def country_problem(code: object) -> str | None:
    """None for a country code a claims file may use; else the one-line reason with the nearest match,
    e.g. "KZ: not an ISO3 code — did you mean KAZ?"."""
    if isinstance(code, str) and code in country_codes():
        return None
    text = str(code)
    row = _index("iso3").get(text.lower()) if isinstance(code, str) else None
    if row is not None and row["iso3"] == text and row["kind"] != "country":
        return f"{text}: an aggregate ({row['name']}), not a country"
    guess = nearest(text) if isinstance(code, str) else None
    what = "not an ISO3 code" if not (isinstance(code, str) and len(text) == 3 and text.isupper()) \
        else f"not an ISO3 country code in {FILE.name}"
    if guess:
        return f"{text}: {what} — did you mean {guess}?"
    return f"{text}: {what}" + ("" if FILE.name in what else f" (the codes are in {FILE.name})")


@lru_cache(maxsize=None)
def alpha2(iso3: str) -> str | None:
    """ISO 3166-1 alpha-2 for an alpha-3 code (None for aggregates and unknown codes)."""
    import pycountry

    c = pycountry.countries.get(alpha_3=str(iso3).upper())
    return c.alpha_2 if c else None
