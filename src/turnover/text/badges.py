"""Labels for reporters and vintages in verdicts.json (used by ``turnover.publish.verdicts``)."""

from __future__ import annotations

import datetime as dt

from . import labels as names


def reporter_label(reporter: str | None) -> str:
    return names.reporter(reporter)


def vintage_label(vintage: str, as_of: str | dt.date | None) -> str:
    """'as of 31 May 2016', 'today (4 December 2026)' (``render.vintage_phrase``, inside a sentence)."""
    from .render import vintage_phrase

    return vintage_phrase(vintage, as_of, style="label")
