"""Live sources (UN Comtrade, IMF IMTS, World Bank WITS): fetch to raw snapshots, parse snapshots.

Placeholder until the live loaders land: offline there are no snapshots to parse yet.
"""

from __future__ import annotations

import pandas as pd

from ..errors import OfflineError


def collect(online: bool, plan_only: bool = False, progress: bool = True) -> list[pd.DataFrame]:
    """Panel frames from the live sources' snapshots (fetching first when ``online``)."""
    if online or plan_only:
        raise OfflineError("--online/--plan: the live loaders are not available in this version; "
                           "run with --offline")
    return []
