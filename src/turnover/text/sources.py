"""Sources in reader text: the publisher's short name instead of a source id (``imf_dots`` -> "IMF DOTS").

Names come from ``data/publishers.csv`` (``turnover.ingest.publishers``); a kind without a row there
keeps a plain-words fallback, never its id with underscores.
"""

from __future__ import annotations

import re

from ..ingest import publishers

# kinds with no '*' row in publishers.csv (their rows are per source id)
FALLBACK = {"national_statistics": "national statistics", "official_release": "official releases",
            "central_bank_rates": "central bank", "press": "press figures"}
_TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def name_of(kind: str, source_id: str | None = None) -> str:
    """The short name of a source's publisher ("IMF DOTS", "UN Comtrade", "BNS"), else plain words;
    a source id alone is looked up among every kind's rows."""
    p = publishers.find(str(kind), source_id)
    if p is None and source_id is None:
        p = next((v for (k, i), v in publishers.table().items() if i == str(kind)), None)
    if p is not None:
        return p.short_name
    return FALLBACK.get(str(kind), str(kind).replace("_", " "))


def _known(token: str) -> bool:
    keys = publishers.table()
    return token in FALLBACK or any(token in (k, i) for k, i in keys)


def in_words(text: str | None) -> str:
    """Every source kind or id in ``text`` ("imf_dots then national_statistics") replaced by its
    publisher's name; other words are left as they are."""
    if not text:
        return ""
    return _TOKEN.sub(lambda m: name_of(m.group(0)) if _known(m.group(0)) else m.group(0), str(text))
