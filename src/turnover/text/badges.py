"""Labels for reporters and vintages in verdicts.json (used by ``turnover.publish.verdicts``)."""

from __future__ import annotations

import datetime as dt

from . import labels as names


def reporter_label(reporter: str | None) -> str:
    return names.reporter(reporter)


def vintage_label(vintage: str, as_of: str | dt.date | None) -> str:
    when = as_of.isoformat() if isinstance(as_of, dt.date) else (as_of or "?")
    return f"today ({when})" if vintage == "today" else f"as of {when}"
