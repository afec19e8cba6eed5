"""Bundled official figures (values read from public releases) -> panel rows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..errors import DataValidationError
from .panel import COLUMNS, frequency_of
from ..paths import official_dir
from ..readers import read_csv as _read_csv, validate_rows

FILE = "official_figures.csv"

# measure name in the CSV -> (country, partner, flow); turnover pairs are stored alphabetically
MEASURES = {
    "turnover": ("BLR", "KAZ", "turnover"),
    "by_exports_to_kz": ("BLR", "KAZ", "export"),
    "by_imports_from_kz": ("BLR", "KAZ", "import"),
    "kz_exports_to_by": ("KAZ", "BLR", "export"),
    "kz_imports_from_by": ("KAZ", "BLR", "import"),
}
REPORTERS = {"BY": "BLR", "KZ": "KAZ", "unknown": "unknown"}
REQUIRED = ["row_id", "period_start", "period_end", "measure", "value_musd", "yoy_pct",
            "value_qualifier", "yoy_qualifier", "reporter", "source_url", "source_date",
            "published_on", "note"]


def _blank_none(v):
    return None if isinstance(v, str) and not v.strip() else v


Finite = Annotated[float, Field(allow_inf_nan=False)]
OptNumber = Annotated[Finite | None, BeforeValidator(_blank_none)]
Month = Annotated[str, Field(pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])$")]
Qualifier = Literal["", "exact", "approx", "at_least", "at_most"]
HttpUrl = Annotated[str, Field(pattern=r"^https?://\S+$")]


class Row(BaseModel):
    """One row of official_figures.csv (other columns, e.g. notes on provenance, pass through)."""

    model_config = ConfigDict(extra="ignore")
    row_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    period_start: Month
    period_end: Month
    measure: Literal[tuple(MEASURES)]
    value_musd: OptNumber
    yoy_pct: OptNumber
    value_qualifier: Qualifier
    yoy_qualifier: Qualifier
    reporter: Literal[tuple(REPORTERS)]
    source_url: HttpUrl
    source_date: str
    published_on: dt.date
    note: str

    @model_validator(mode="after")
    def _ordered(self):
        if self.period_end < self.period_start:
            raise ValueError(f"period_end {self.period_end} before period_start {self.period_start}")
        if self.value_musd is None and self.yoy_pct is None:
            raise ValueError("neither value_musd nor yoy_pct given")
        return self


def read_csv(path=None) -> pd.DataFrame:
    """The bundled CSV exactly as stored (strings), every row checked (``DataValidationError``)."""
    path = path or official_dir() / FILE
    raw = _read_csv(path, error=DataValidationError)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataValidationError(f"{path}: missing column(s) {', '.join(missing)}")
    validate_rows(raw, Row, path, "row_id")
    return raw


def validate() -> None:
    read_csv()


def to_panel_rows(raw: pd.DataFrame, retrieved_on: str) -> pd.DataFrame:
    """Map the CSV's rows to panel rows; unknown measures or reporters are errors."""
    rows = []
    for r in raw.itertuples(index=False):
        if r.measure not in MEASURES:
            raise DataValidationError(f"official figures row {r.row_id}: unknown measure {r.measure!r}")
        if r.reporter not in REPORTERS:
            raise DataValidationError(f"official figures row {r.row_id}: unknown reporter {r.reporter!r}")
        country, partner, flow = MEASURES[r.measure]
        start = pd.Timestamp(r.period_start + "-01")
        end = pd.Timestamp(r.period_end + "-01") + pd.offsets.MonthEnd(0)
        value = float(r.value_musd) * 1e6 if r.value_musd else None
        rows.append({
            "row_id": f"official:{r.row_id}",
            "source_kind": "official_release",
            "source_id": r.row_id,
            "reporter": REPORTERS[r.reporter],
            "country": country,
            "partner": partner,
            "flow": flow,
            "frequency": frequency_of(start, end),
            "period_start": start,
            "period_end": end,
            "value_usd": value,
            "value_qualifier": r.value_qualifier or None,
            "yoy_pct": float(r.yoy_pct) if r.yoy_pct else None,
            "yoy_qualifier": r.yoy_qualifier or None,
            "valuation": "unknown",
            "status": "reported",
            "published_on": pd.Timestamp(r.published_on),
            "source_url": r.source_url,
            "source_date": r.source_date,
            "retrieved_on": pd.Timestamp(retrieved_on),
            "note": r.note or None,
            "partner_kind": "country",
            "primary": False,
            "attributed_by": None,
            # 'printed' when the release prints its date; otherwise inferred (incl. event dates)
            "release_basis": "printed" if getattr(r, "published_on_basis", "") == "printed" else "inferred",
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def load() -> pd.DataFrame:
    """Panel rows for the bundled official figures, retrieval date from the manifest."""
    from .manifest import entry

    meta = entry(f"official/{FILE}")
    return to_panel_rows(read_csv(), meta["retrieved_on"])
