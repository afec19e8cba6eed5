"""A ``Run`` for tests that point the notebooks' inputs at their own files."""

from __future__ import annotations

import datetime as dt

from turnover import run


def run_for(panel_path, verdicts_path, claims_path=None, today: str | dt.date = "2026-11-25") -> run.Run:
    day = today if isinstance(today, dt.date) else dt.date.fromisoformat(today)
    return run.build(claims_path, panel_path=panel_path, verdicts_path=verdicts_path, today=day)
