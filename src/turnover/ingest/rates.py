"""Official exchange rates, one tidy table: national currency per US dollar, from the central banks.

Which files hold rates is declared in ``data/manifest.yaml``: an entry with ``rates_format`` is a
rates file, its ``source_id``/``source_kind`` name the rows (the publisher and its page come from
``data/publishers.csv``). Formats:

- ``nbk_monthly_csv``: the National Bank of Kazakhstan's monthly averages as processed by the
  repository the copy came by (columns date, region, item_code, item_name, value, transformation):
  rows ``item_code`` USD, ``transformation`` level, the name saying "тенге за 1 единицу (среднее
  за месяц)"; the entry's ``currency`` names the national currency (KZT). Kind ``monthly_average``.
- ``official_rates_csv``: official rates quoted in public reports (``data/official/official_rates.csv``,
  one row per figure with its URL and the date it was first published, as ``official_figures.csv``).
  Rows ``measure`` = official_rate are rates in force on a day (kind ``daily``); rows
  ``rate_change`` are the central bank's own percentage changes over a period (``definition``
  rate_rise or loss_of_value, as in the context facts) and stay out of the rates table
  (``official_changes`` gives them, for cross-checks).

``load()`` returns every rate in ``COLUMNS``, checked against ``SCHEMA``; a bad cell stops with
one line naming file, line and column (``DataValidationError``, exit 3). Each file's sha256 is
checked first (``manifest.entry``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import DataValidationError
from ..paths import data_dir
from ..readers import read_csv, require_columns, validate_rows
from . import manifest, publishers

KINDS = ["monthly_average", "end_of_period", "daily"]
PREFERENCE = ["monthly_average", "daily", "end_of_period"]  # series(kind=None): the first kind a currency has
COLUMNS = ["currency", "period_start", "period_end", "kind", "rate_per_usd", "unit", "source_id", "source_kind",
           "publisher", "publisher_url", "source_url", "file", "row_id"]
NBK_COLUMNS = ["date", "region", "item_code", "item_name", "value", "transformation"]
NBK_NAME = "Доллар США, тенге за 1 единицу (среднее за месяц)"
OFFICIAL_COLUMNS = ["row_id", "currency", "per", "measure", "period_start", "period_end", "value", "unit",
                    "definition", "value_qualifier", "attributed_to", "source_url", "source_date", "published_on",
                    "published_on_basis", "collected_from", "note"]

SCHEMA = pa.DataFrameSchema(
    {
        "currency": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "period_start": pa.Column("datetime64[ns]"),
        "period_end": pa.Column("datetime64[ns]"),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "rate_per_usd": pa.Column(float, pa.Check.gt(0)),
        "unit": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3} per USD$")),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_kind": pa.Column(str, pa.Check.str_length(min_value=1)),
        "publisher": pa.Column(str, pa.Check.str_length(min_value=1)),
        "publisher_url": pa.Column(str, pa.Check.str_matches(r"^https://\S+$")),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://\S+$")),
        "file": pa.Column(str, pa.Check.str_length(min_value=1)),
        "row_id": pa.Column(str, unique=True),
    },
    checks=[
        pa.Check(lambda df: df["period_end"] >= df["period_start"], error="period_end before period_start"),
        pa.Check(lambda df: (df["kind"] != "daily") | (df["period_start"] == df["period_end"]),
                 error="a daily rate spans more than one day"),
        pa.Check(lambda df: (df["kind"] != "monthly_average")
                 | ((df["period_start"].dt.day == 1) & (df["period_end"] == df["period_start"] + pd.offsets.MonthEnd(0))),
                 error="a monthly average does not span one calendar month"),
        pa.Check(lambda df: ~df.duplicated(["currency", "kind", "period_start", "period_end", "source_id"]),
                 error="the same rate is given twice by one source"),
    ],
    strict=True,
    ordered=True,
)


def _positive(v: float) -> float:
    if not v > 0:
        raise ValueError("must be a positive number")
    return v


Positive = Annotated[float, Field(allow_inf_nan=False, gt=0)]


class NbkRow(BaseModel):
    """One row of the NBK monthly file."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date
    region: Literal["national"]
    item_code: Literal["USD"]
    item_name: Literal[NBK_NAME]
    value: Positive
    transformation: Literal["level"]

    @model_validator(mode="after")
    def _first_of_month(self):
        if self.date.day != 1:
            raise ValueError(f"date {self.date} is not the first day of a month")
        return self


class OfficialRow(BaseModel):
    """One row of official_rates.csv: an official rate in force on a day, or a change over a period."""

    model_config = ConfigDict(extra="forbid")
    row_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    per: Literal["USD"]
    measure: Literal["official_rate", "rate_change"]
    period_start: dt.date
    period_end: dt.date
    value: Annotated[float, Field(allow_inf_nan=False)]
    unit: str
    definition: Literal["", "rate_rise", "loss_of_value"]
    value_qualifier: Literal["exact", "approx", "at_least", "at_most"]
    attributed_to: str = Field(min_length=1)
    source_url: str = Field(pattern=r"^https?://\S+$")
    source_date: str = Field(min_length=1)
    published_on: dt.date
    published_on_basis: str = Field(pattern=r"^(printed|inferred: .+)$")
    collected_from: str = Field(min_length=1)
    note: str

    @model_validator(mode="after")
    def _consistent(self):
        if self.period_end < self.period_start:
            raise ValueError(f"period_end {self.period_end} before period_start {self.period_start}")
        if self.measure == "official_rate":
            if self.period_start != self.period_end:
                raise ValueError("an official rate is in force on one day: period_start must equal period_end")
            if self.unit != f"{self.currency} per USD":
                raise ValueError(f"unit {self.unit!r}, expected {self.currency + ' per USD'!r}")
            if self.definition:
                raise ValueError("an official rate has no definition (that is for rate_change rows)")
            _positive(self.value)
        else:
            if self.unit != "pct" or not self.definition:
                raise ValueError("a rate_change row needs unit 'pct' and a definition (rate_rise or loss_of_value)")
        if self.published_on < self.period_end and self.measure == "rate_change":
            raise ValueError(f"published_on {self.published_on} before the end of the period it reports")
        return self


def _source_meta(e: dict) -> tuple[str, str]:
    p = publishers.page_for(e["source_kind"], e["source_id"])
    return p.publisher, p.page_url


def read_nbk(path, e: dict) -> pd.DataFrame:
    """Rows of an ``nbk_monthly_csv`` file in ``COLUMNS``."""
    raw = read_csv(path, error=DataValidationError)
    require_columns(raw, NBK_COLUMNS, path, DataValidationError)
    validate_rows(raw, NbkRow, path)
    start = pd.to_datetime(raw["date"], format="%Y-%m-%d")
    publisher, page = _source_meta(e)
    currency = e["currency"]
    return pd.DataFrame({
        "currency": currency,
        "period_start": start,
        "period_end": start + pd.offsets.MonthEnd(0),
        "kind": "monthly_average",
        "rate_per_usd": raw["value"].astype(float),
        "unit": f"{currency} per USD",
        "source_id": e["source_id"],
        "source_kind": e["source_kind"],
        "publisher": publisher,
        "publisher_url": page,
        "source_url": e["source_url"],
        "file": e["path"],
        "row_id": [f"{e['source_id']}:{d[:7]}" for d in raw["date"]],
    }, columns=COLUMNS)


def read_official(path) -> pd.DataFrame:
    """official_rates.csv as stored (strings), every row checked."""
    raw = read_csv(path, error=DataValidationError)
    require_columns(raw, OFFICIAL_COLUMNS, path, DataValidationError)
    validate_rows(raw, OfficialRow, path, "row_id")
    dup = raw[raw["row_id"].duplicated()]
    if len(dup):
        raise DataValidationError(f"{path}: row_id {dup.iloc[0]['row_id']!r} is used twice")
    return raw


def official_rows(path, e: dict) -> pd.DataFrame:
    """The official_rate rows of an ``official_rates_csv`` file in ``COLUMNS`` (kind daily)."""
    raw = read_official(path)
    r = raw[raw["measure"] == "official_rate"]
    day = pd.to_datetime(r["period_start"], format="%Y-%m-%d")
    publisher, page = _source_meta(e)
    return pd.DataFrame({
        "currency": r["currency"], "period_start": day, "period_end": day, "kind": "daily",
        "rate_per_usd": r["value"].astype(float), "unit": r["unit"], "source_id": e["source_id"],
        "source_kind": e["source_kind"], "publisher": publisher, "publisher_url": page,
        "source_url": r["source_url"], "file": e["path"], "row_id": r["row_id"],
    }, columns=COLUMNS)


FORMATS = {"nbk_monthly_csv": read_nbk, "official_rates_csv": official_rows}


def entries(root=None) -> list[dict]:
    """Manifest entries of rates files (those with ``rates_format``)."""
    return [e for e in manifest.entries(root) if e.get("rates_format")]


def load_one(e: dict, root=None) -> pd.DataFrame:
    root = root or data_dir()
    manifest.entry(e["path"], root)  # sha256 first
    fmt = FORMATS.get(e["rates_format"])
    if fmt is None:
        raise DataValidationError(f"data/{e['path']}: unknown rates_format {e['rates_format']!r} "
                                  f"(known: {', '.join(sorted(FORMATS))})")
    for k in ("source_id", "source_kind") + (("currency",) if e["rates_format"] == "nbk_monthly_csv" else ()):
        if not e.get(k):
            raise DataValidationError(f"data/{e['path']}: the manifest entry lacks {k}")
    return fmt(root / e["path"], e)


def load(root=None) -> pd.DataFrame:
    """Every official rate of every rates file, one tidy table (``COLUMNS``), validated."""
    frames = [load_one(e, root) for e in entries(root)]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    out = out.astype({"rate_per_usd": float})
    out["period_start"] = pd.to_datetime(out["period_start"]).astype("datetime64[ns]")
    out["period_end"] = pd.to_datetime(out["period_end"]).astype("datetime64[ns]")
    try:
        out = SCHEMA.validate(out, lazy=False)
    except (SchemaError, SchemaErrors) as err:
        raise DataValidationError(f"exchange rates: {str(err).splitlines()[0]}") from None
    return out.sort_values(["currency", "kind", "period_start", "source_id"]).reset_index(drop=True)


_ONCE: dict[tuple, pd.DataFrame] = {}


def load_once() -> pd.DataFrame:
    """``load()`` of the bundled files, read once per process for each version of them (the model and
    the report's notebooks share it in one refresh); callers must not change the table in place."""
    root = data_dir()
    key = tuple((e["path"], *_stat(root / e["path"])) for e in entries(root))
    if key not in _ONCE:
        _ONCE.clear()
        _ONCE[key] = load(root)
    return _ONCE[key]


def _stat(path) -> tuple:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def official_changes(root=None) -> pd.DataFrame:
    """The ``rate_change`` rows of the ``official_rates_csv`` files (strings, as stored, plus ``file``)."""
    root = root or data_dir()
    out = []
    for e in entries(root):
        if e["rates_format"] == "official_rates_csv":
            manifest.entry(e["path"], root)
            raw = read_official(root / e["path"])
            out.append(raw[raw["measure"] == "rate_change"].assign(file=e["path"]))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=OFFICIAL_COLUMNS + ["file"])


def series(rates: pd.DataFrame, currency: str, kind: str | None = None) -> pd.DataFrame:
    """One currency's rates of one kind, by date (for charts): ``kind`` None takes the monthly averages
    when there are any, else the daily rates, else the end-of-period rates."""
    r = rates[rates["currency"] == currency]
    if kind is None:
        kind = next((k for k in PREFERENCE if (r["kind"] == k).any()), None)
    return r[r["kind"] == kind].sort_values("period_start").reset_index(drop=True)


def validate() -> None:
    load()
