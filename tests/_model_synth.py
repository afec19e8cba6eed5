"""Synthetic panel rows for the model tests (not collected: no test_ prefix)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from turnover.ingest import panel as panel_mod

URL = "https://example.org/synthetic"


def row(row_id: str, reporter: str, country: str, partner: str, flow: str, start: str, end: str,
        value: float | None, *, source_kind: str = "imf_imts", yoy: float | None = None,
        published_on: str | None = None, qualifier: str = "exact", valuation: str = "unknown") -> dict:
    s = pd.Timestamp(start)
    e = pd.Timestamp(end) + pd.offsets.MonthEnd(0)
    return {
        "row_id": row_id, "source_kind": source_kind, "source_id": row_id, "reporter": reporter,
        "country": country, "partner": partner, "flow": flow, "frequency": panel_mod.frequency_of(s, e),
        "period_start": s, "period_end": e, "value_usd": value,
        "value_qualifier": qualifier if value is not None else None, "yoy_pct": yoy,
        "yoy_qualifier": "exact" if yoy is not None else None, "valuation": valuation, "status": "reported",
        "published_on": pd.Timestamp(published_on) if published_on else pd.NaT, "source_url": URL,
        "source_date": "", "retrieved_on": pd.Timestamp("2026-01-01"), "note": None,
    }


def monthly_flows(values: np.ndarray, start: str = "2010-01", reporter: str = "BLR", partner: str = "KAZ",
                  share_export: float = 0.8, prefix: str = "syn", source_kind: str = "imf_imts") -> list[dict]:
    """Export and import rows per month whose sum is ``values`` (USD) for one reporter."""
    months = pd.period_range(start, periods=len(values), freq="M")
    rows = []
    for i, (m, v) in enumerate(zip(months, values)):
        if np.isnan(v):
            continue
        d = m.to_timestamp().strftime("%Y-%m-%d")
        rows.append(row(f"{prefix}:{reporter}:x:{i}", reporter, reporter, partner, "export", d, d,
                        float(v) * share_export, source_kind=source_kind, valuation="FOB"))
        rows.append(row(f"{prefix}:{reporter}:m:{i}", reporter, reporter, partner, "import", d, d,
                        float(v) * (1 - share_export), source_kind=source_kind, valuation="CIF"))
    return rows


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=panel_mod.COLUMNS)


def build(*frames: pd.DataFrame) -> pd.DataFrame:
    return panel_mod.build_panel(list(frames))


def seasonal_pattern(amplitudes: list[float]) -> np.ndarray:
    a = np.asarray(amplitudes, dtype=float)
    return a - a.mean()
