"""Context facts (partner shares and ranks, devaluations, programme dates), each with its URL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..errors import DataValidationError
from ..paths import official_dir
from ..readers import read_csv, validate_rows

FILE = "context_facts.csv"
REQUIRED = ["fact_id", "topic", "date", "country", "subject", "value", "unit", "statement",
            "source_url", "source_date"]


class Fact(BaseModel):
    """One row of context_facts.csv; a value is a number or blank (an event without a figure)."""

    model_config = ConfigDict(extra="ignore")
    fact_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    topic: str = Field(min_length=1)
    date: dt.date
    country: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    value: Annotated[Annotated[float, Field(allow_inf_nan=False)] | None,
                     BeforeValidator(lambda v: None if v == "" else v)]
    unit: str = Field(min_length=1)
    definition: Literal["", "loss_of_value", "rate_rise"] = ""  # how a devaluation figure is defined (model.shock)
    statement: str
    source_url: str = Field(pattern=r"^https?://\S+$")
    source_date: str


def load(path: Path | str | None = None) -> pd.DataFrame:
    """The bundled context facts (``value`` as float, NaN when the fact has none), every row checked."""
    path = Path(path) if path else official_dir() / FILE
    if not path.exists():
        return pd.DataFrame(columns=REQUIRED)
    df = read_csv(path, error=DataValidationError)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise DataValidationError(f"{path}: missing column(s) {', '.join(missing)}")
    validate_rows(df, Fact, path, "fact_id")
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df


def validate() -> None:
    load()
