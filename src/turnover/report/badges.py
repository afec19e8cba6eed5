"""Labels for the legacy verdicts, reporters and vintages (used by ``turnover.verdicts``).

The report itself shows ratings (``rating``); these labels stay for verdicts.json while the
legacy ``verdict`` key remains.
"""

from __future__ import annotations

import datetime as dt

from . import names

VERDICTS = {
    "supported": "Supported",
    "not_supported": "Not supported",
    "mixed": "Mixed",
    "insufficient_data": "Insufficient data",
    "not_yet_testable": "Not yet testable",
    "not_evaluated": "Not evaluated",
}


def verdict_label(verdict: str | None) -> str:
    return VERDICTS.get(verdict or "", str(verdict or "no verdict").replace("_", " ").capitalize())


def reporter_label(reporter: str | None) -> str:
    return names.reporter(reporter)


def vintage_label(vintage: str, as_of: str | dt.date | None) -> str:
    when = as_of.isoformat() if isinstance(as_of, dt.date) else (as_of or "?")
    return f"today ({when})" if vintage == "today" else f"as of {when}"


def rating_of(result: dict) -> str:
    """The result's rating (legacy results: their verdict)."""
    return result.get("rating") or result.get("verdict") or "not_evaluated"
