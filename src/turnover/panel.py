"""The tidy panel: one validated table of every figure, whatever its source.

One row is one published number (or a documented absence of one) for one flow between
``country`` and ``partner`` over one period, as reported by ``reporter``. Rows from
different reporters or sources are never merged or averaged here.

Conventions
- ``reporter``: whose statistics the figure is (``BLR``/``KAZ`` national statistics, or
  ``unknown`` when the release does not say). For API data it is the reporting country.
- ``flow`` is seen from ``country``: ``export`` = country -> partner. ``turnover`` is
  exports + imports; the pair is unordered, so turnover rows store the pair with
  ``country`` < ``partner`` alphabetically.
- ``period_end`` is the last day of the period; ``frequency`` is derived from the dates and
  year-to-date figures stay year-to-date (never annualised).
- ``status``: ``reported`` (a value and/or a year-on-year change is given),
  ``not_yet_released``, ``not_reported``, ``true_zero`` (value 0 reported as such).
- ``published_on``: when the figure is known to have been public (None for API data
  whose release date is unknown: the model applies a publication lag instead).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .errors import DataValidationError

REPORTERS = ["BLR", "KAZ", "unknown"]
FLOWS = ["export", "import", "turnover"]
FREQUENCIES = ["annual", "half-year", "quarter", "month", "year-to-date", "other"]
STATUSES = ["reported", "not_yet_released", "not_reported", "true_zero"]
QUALIFIERS = ["exact", "approx", "at_least", "at_most"]
SOURCE_KINDS = ["official_release", "un_comtrade", "imf_imts", "wb_wits"]
VALUATIONS = ["FOB", "CIF", "mixed", "unknown"]

COLUMNS = [
    "row_id", "source_kind", "source_id", "reporter", "country", "partner", "flow",
    "frequency", "period_start", "period_end", "value_usd", "value_qualifier", "yoy_pct",
    "yoy_qualifier", "valuation", "status", "published_on", "source_url", "source_date",
    "retrieved_on", "note",
]

_ISO3 = r"^[A-Z]{3}$"


def _check_status(df: pd.DataFrame) -> pd.Series:
    has_value = df["value_usd"].notna()
    has_yoy = df["yoy_pct"].notna()
    s = df["status"]
    return (
        ((s == "reported") & (has_value | has_yoy))
        | (s.isin(["not_yet_released", "not_reported"]) & ~has_value)
        | ((s == "true_zero") & (df["value_usd"] == 0))
    )


def _check_turnover_order(df: pd.DataFrame) -> pd.Series:
    return (df["flow"] != "turnover") | (df["country"] < df["partner"])


def _check_qualifier(df: pd.DataFrame) -> pd.Series:
    return df["value_usd"].isna() | df["value_qualifier"].notna()


PANEL_SCHEMA = pa.DataFrameSchema(
    {
        "row_id": pa.Column(str, unique=True),
        "source_kind": pa.Column(str, pa.Check.isin(SOURCE_KINDS)),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "reporter": pa.Column(str, pa.Check.isin(REPORTERS)),
        "country": pa.Column(str, pa.Check.str_matches(_ISO3)),
        "partner": pa.Column(str, pa.Check.str_matches(_ISO3)),
        "flow": pa.Column(str, pa.Check.isin(FLOWS)),
        "frequency": pa.Column(str, pa.Check.isin(FREQUENCIES)),
        "period_start": pa.Column("datetime64[ns]"),
        "period_end": pa.Column("datetime64[ns]"),
        "value_usd": pa.Column(float, pa.Check.ge(0), nullable=True),
        "value_qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS), nullable=True),
        "yoy_pct": pa.Column(float, pa.Check.ge(-100), nullable=True),
        "yoy_qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS), nullable=True),
        "valuation": pa.Column(str, pa.Check.isin(VALUATIONS)),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "published_on": pa.Column("datetime64[ns]", nullable=True),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://\S+$")),
        "source_date": pa.Column(str),
        "retrieved_on": pa.Column("datetime64[ns]"),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["period_end"] >= df["period_start"],
                 error="period_end before period_start"),
        pa.Check(_check_status, error="status does not match value/yoy presence"),
        pa.Check(_check_turnover_order, error="turnover pair must be stored with country < partner"),
        pa.Check(_check_qualifier, error="a value needs a value_qualifier"),
    ],
    strict=True,
    ordered=False,
    coerce=True,
    name="panel",
)


def frequency_of(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Name the period: calendar year, half, quarter, month, year-to-date or other."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day != 1 or end != end + pd.offsets.MonthEnd(0):
        return "other"
    if months == 12 and start.month == 1:
        return "annual"
    if months == 1:
        return "month"
    if months == 3 and start.month in (1, 4, 7, 10):
        return "quarter"
    if months == 6 and start.month in (1, 7):
        return "half-year"
    if start.month == 1 and months < 12:
        return "year-to-date"
    return "other"


def _describe(err: SchemaError | SchemaErrors) -> str:
    if isinstance(err, SchemaErrors):
        fc = err.failure_cases
        first = fc.iloc[0]
        rows = fc["index"].dropna().unique()
        if first["schema_context"] == "DataFrameSchema":
            where = f"row check {first['check']!r}"
        else:
            where = f"column {first['column']!r} failed {first['check']!r} with value {str(first['failure_case'])!r}"
        return f"panel schema: {where} (row {first['index']}; {len(rows)} row(s) affected in all)"
    return f"panel schema: {err}"


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Validate (and coerce) a panel; raise ``DataValidationError`` with a one-line message."""
    try:
        out = PANEL_SCHEMA.validate(df, lazy=True)
    except (SchemaErrors, SchemaError) as err:
        raise DataValidationError(_describe(err)) from None
    return out[COLUMNS].sort_values(["source_kind", "reporter", "flow", "period_start", "row_id"]).reset_index(drop=True)


def build_panel(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack source frames (each already in panel columns) and validate the result."""
    frames = [f for f in frames if len(f)]
    if not frames:
        raise DataValidationError("panel: no rows from any source")
    df = pd.concat([f.reindex(columns=COLUMNS) for f in frames], ignore_index=True)
    return validate(df)
