"""Labels for reporters in charts and tables; country names come from ``names`` (the one table)."""

from __future__ import annotations

from .names import GROUPINGS, country, pair, possessive  # noqa: F401  (the report's names, one table)


def reporter(code: str | None) -> str:
    """Whose figures: "Belarus's figures", "figures of unstated origin", "all reporters"."""
    if code in (None, "", "unknown"):
        return "figures of unstated origin"
    if code == "all":
        return "all reporters"
    if code == "pooled":
        return "all reporters pooled"
    return f"{possessive(country(code))} figures"


def reporter_short(code: str | None) -> str:
    """Line labels and legend entries: 'Belarus', 'reporter not stated'."""
    if code in (None, "", "unknown"):
        return "reporter not stated"
    if code in ("all", "pooled"):
        return "all reporters"
    return country(code)
