"""Live sources (UN Comtrade, IMF IMTS, World Bank WITS): fetch to raw snapshots, parse snapshots.

``collect`` is what ``turnover.refresh`` calls. Offline it parses the snapshots under the raw
folder and makes no request; online it first fetches what the plan says is missing or stale
(see ``config`` for the refresh rule); with ``plan_only`` it prints those calls and makes none.
Modules: ``config`` (settings), ``request`` (calls and what they cover), ``fetch`` (HTTP,
retries, pacing), ``snapshots`` (raw files and manifest), ``comtrade``/``imf``/``wits``
(URLs and parsers), ``rows`` (panel rows), ``pull`` (plan, fetch, load).
"""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd

from ...errors import OfflineError
from .config import Config
from .fetch import Fetcher
from .pull import load, plan, pull
from .snapshots import SnapshotStore

__all__ = ["Config", "SnapshotFallback", "collect", "print_plan"]


class SnapshotFallback(OfflineError):
    """The network was unreachable; ``frames`` hold what the last snapshots give."""

    def __init__(self, message: str, frames: list[pd.DataFrame]):
        super().__init__(message)
        self.frames = frames


def print_plan(cfg: Config, store: SnapshotStore, file=None) -> int:
    """Print the calls ``--online`` would make now; returns their number."""
    file = file or sys.stdout
    calls = plan(cfg, store)
    for name, todo in calls.items():
        auth = "  [key in header]" if name == "comtrade" and cfg.comtrade_key else ""
        for c in todo:
            cells = c.request.cells
            p = cells.periods
            span = p[0] if len(p) == 1 else f"{p[0]}..{p[-1]}"
            scope = "all-partners" if cells.all_partners else "bilateral"
            print(f"{name:<8} {c.reason:<7} {scope:<12} {span:<17} GET {c.request.url}{auth}", file=file)
    counts = ", ".join(f"{n} {len(t)}" for n, t in calls.items())
    total = sum(len(t) for t in calls.values())
    every = sum(c.request.cells.all_partners for t in calls.values() for c in t)
    print(f"plan: {total} call(s) ({counts}; {every} of them for all partners); snapshots in {cfg.raw_dir}",
          file=file)
    return total


def collect(online: bool, plan_only: bool = False, progress: bool = True,
            config: Config | None = None, fetcher: Fetcher | None = None,
            today: dt.date | None = None) -> list[pd.DataFrame]:
    """Panel frames from the live sources' snapshots (fetching first when ``online``).

    Raises ``SourceError`` when a source answers badly (its last good snapshot stays
    current) and ``SnapshotFallback`` when the network is unreachable.
    """
    cfg = config or Config.from_env(today=today)
    store = SnapshotStore(cfg.raw_dir)
    if plan_only:
        print_plan(cfg, store)
        return []
    if online:
        try:
            pull(cfg, store, fetcher or Fetcher(cfg), progress=progress)
        except OfflineError as err:
            raise SnapshotFallback(f"{err}; continuing on the last snapshots", load(cfg, store)) from None
    return load(cfg, store)
