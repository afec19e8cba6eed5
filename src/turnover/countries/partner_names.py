"""Partner names as printed in bundled files -> panel codes, read from ``partner_names.csv``.

One table for every naming scheme (``imf_dots`` English names of the IMF DOTS exports,
``ru`` Russian names of Belstat, ``en`` short English names of the CSV extracts). Each name
maps to an ISO3 code (``country``), a stable upper-case code (``aggregate``: World is
``WLD``, regions such as ``EUU`` or ``EMDEASIA``), or nothing (``label``: a heading row
that carries no figures). An unknown name is an error, never guessed.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..errors import DataValidationError

FILE = Path(__file__).with_name("partner_names.csv")
KINDS = ("country", "aggregate", "label")


@lru_cache(maxsize=1)
def table() -> dict[tuple[str, str], tuple[str, str]]:
    """(scheme, name) -> (code, kind)."""
    with FILE.open(encoding="utf-8", newline="") as fh:
        return {(r["scheme"], r["name"]): (r["code"], r["kind"]) for r in csv.DictReader(fh)}


def lookup(scheme: str, name: str, where: str) -> tuple[str, str]:
    """(code, kind) for ``name``; ``where`` names file, sheet and row for the error."""
    try:
        return table()[(scheme, name.strip())]
    except KeyError:
        raise DataValidationError(f"{where}: unknown partner name {name.strip()!r} "
                                  f"(not in {FILE.name}, scheme {scheme})") from None
