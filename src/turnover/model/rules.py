"""Rule kind -> the function that applies it. The rules' parameters live in the claims file;
no claim id appears in code."""

from __future__ import annotations

from collections.abc import Callable

from . import decline, event, mirror, partners, recovery, shock
from .result import Context
from .results import Verdict

RULES: dict[str, Callable[[Context], list[Verdict]]] = {
    "declining_trend": decline.rule,
    "recovery": recovery.rule,
    "partner_rank": partners.rule,
    "market_shock": shock.rule,
    "mirror_gap": mirror.rule,
    "event_record": event.rule,
}
