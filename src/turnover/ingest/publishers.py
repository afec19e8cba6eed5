"""The publisher behind each source and the publisher's own page for its data set (``data/publishers.csv``).

One table, one owner: a row per ``source_kind`` and ``source_id`` (``*`` = every source of that
kind, as in ``data/primary_series.csv``), with the publisher's name, a short name for reader text,
the data set's name and the page to link (``page``: ``dataset`` for the data set's own page,
``site`` where only the publisher's front page could be confirmed, ``per_row`` where every figure
links its own release and the table has no page). The manifest keeps the route a copy came by
(repository and commit, ``route``/``source_url``); the report joins the two on ``source_kind`` and
``source_id``: the publisher's page first, the route beside it.

``page_for(kind, source_id)`` gives the row of a source: its own row if it has one, else its kind's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import DataValidationError
from ..paths import data_dir
from ..readers import read_csv, require_columns, validate_rows

FILE = "publishers.csv"
ANY = "*"
COLUMNS = ["source_kind", "source_id", "publisher", "short_name", "dataset", "page_url", "page", "note"]


class Row(BaseModel):
    """One row of publishers.csv."""

    model_config = ConfigDict(extra="forbid")
    source_kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source_id: str = Field(pattern=r"^(\*|[a-z0-9][a-z0-9_.-]*)$")
    publisher: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    dataset: str = Field(min_length=1)
    page_url: Annotated[str, Field(pattern=r"^(https://\S+)?$")]
    page: Literal["dataset", "site", "per_row"]
    note: str

    @model_validator(mode="after")
    def _url_unless_per_row(self):
        if (self.page == "per_row") != (self.page_url == ""):
            raise ValueError("page_url is empty exactly when page is per_row")
        return self


@dataclass(frozen=True)
class Publisher:
    """What a source line shows: the publisher, its data set and the page to link."""

    source_kind: str
    source_id: str          # the row's key: a source id or '*'
    publisher: str
    short_name: str
    dataset: str
    page_url: str           # '' when page == 'per_row'
    page: str
    note: str


def read(path: Path | str | None = None) -> pd.DataFrame:
    """The table as stored (strings), every row checked, (source_kind, source_id) unique."""
    path = Path(path) if path else data_dir() / FILE
    df = read_csv(path, error=DataValidationError)
    require_columns(df, COLUMNS, path, DataValidationError)
    extra = [c for c in df.columns if c not in COLUMNS]
    if extra:
        raise DataValidationError(f"{path}: unknown column(s) {', '.join(extra)}")
    validate_rows(df, Row, path, "source_id")
    dup = df[df.duplicated(["source_kind", "source_id"], keep=False)]
    if len(dup):
        k = dup.iloc[0]
        raise DataValidationError(f"{path}: source_kind {k['source_kind']!r}, source_id {k['source_id']!r} "
                                  "is listed twice")
    return df[COLUMNS]


@lru_cache(maxsize=4)
def _table(path: str) -> dict[tuple[str, str], Publisher]:
    return {(r["source_kind"], r["source_id"]): Publisher(**r) for r in read(path).to_dict(orient="records")}


def table(path: Path | str | None = None) -> dict[tuple[str, str], Publisher]:
    """{(source_kind, source_id or '*'): Publisher}."""
    return _table(str(Path(path) if path else data_dir() / FILE))


def find(source_kind: str, source_id: str | None = None, path: Path | str | None = None) -> Publisher | None:
    """The source's own row, else its kind's ``*`` row, else None."""
    t = table(path)
    return t.get((source_kind, str(source_id))) if source_id and (source_kind, str(source_id)) in t \
        else t.get((source_kind, ANY))


def page_for(source_kind: str, source_id: str | None = None, path: Path | str | None = None) -> Publisher:
    """As ``find``, but a source without a row is an error naming it."""
    p = find(source_kind, source_id, path)
    if p is None:
        raise DataValidationError(f"data/{FILE}: no publisher for source_kind {source_kind!r}"
                                  + (f", source_id {source_id!r}" if source_id else ""))
    return p


def validate() -> None:
    read()
