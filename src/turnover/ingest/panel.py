"""The tidy panel: one validated table of every figure, whatever its source.

One row is one published number (or a documented absence of one) for one flow between
``country`` and ``partner`` over one period, as reported by ``reporter``. Rows from
different reporters or sources are never merged or averaged here.

Conventions
- ``reporter``: whose statistics the figure is (an ISO3 code such as ``BLR``/``KAZ``, or
  ``unknown`` when the release does not say). For API data and IMF DOTS it is the reporting
  country. A press figure of unstated origin that matches one named reporter's figure within
  0.5 % takes that reporter, and ``attributed_by`` records the match (``turnover.ingest.attribution``).
- ``partner_kind``: ``country`` (ISO3) or ``aggregate`` (World is ``WLD``; regions such as
  ``EUU`` or ``EMDEASIA`` carry the codes of ``countries/partner_names.csv``).
- ``flow`` is seen from ``country``: ``export`` = country -> partner. ``turnover`` is
  exports + imports; the pair is unordered, so turnover rows store the pair with
  ``country`` < ``partner`` alphabetically.
- ``period_end`` is the last day of the period; ``frequency`` is derived from the dates and
  year-to-date figures stay year-to-date (never annualised).
- ``status``: ``reported`` (a value and/or a year-on-year change is given), ``estimate``
  (a value the publisher marks as its own estimate, e.g. IMF DOTS cells " e"),
  ``not_yet_released``, ``not_reported``, ``true_zero`` (value 0 reported as such).
  Missing cells of a bundled table produce no row, never a 0.
- ``published_on``: when the figure is known to have been public (None for API data
  whose release date is unknown: the model applies a publication lag instead);
  ``release_basis`` says how it is known: ``printed``, ``inferred`` (official releases) or
  ``rule:<rule_id>`` (bundled series dated by ``data/first_release_rules.csv``; their values
  are the revised ones as retrieved, not the first release's).
- ``primary``: the row belongs to its reporter's primary series (``data/primary_series.csv``).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from ..errors import DataValidationError

REPORTERS = ["BLR", "KAZ", "unknown"]  # the first case's reporters; the schema takes any ISO3
FLOWS = ["export", "import", "turnover"]
FREQUENCIES = ["annual", "half-year", "quarter", "month", "year-to-date", "other"]
STATUSES = ["reported", "estimate", "not_yet_released", "not_reported", "true_zero"]
VALUED = ["reported", "estimate", "true_zero"]  # statuses that carry a figure
QUALIFIERS = ["exact", "approx", "at_least", "at_most"]
SOURCE_KINDS = ["official_release", "un_comtrade", "imf_imts", "wb_wits", "imf_dots", "national_statistics"]
PARTNER_KINDS = ["country", "aggregate"]
WORLD = "WLD"
VALUATIONS = ["FOB", "CIF", "mixed", "unknown"]

COLUMNS = [
    "row_id", "source_kind", "source_id", "reporter", "country", "partner", "flow",
    "frequency", "period_start", "period_end", "value_usd", "value_qualifier", "yoy_pct",
    "yoy_qualifier", "valuation", "status", "published_on", "source_url", "source_date",
    "retrieved_on", "note", "partner_kind", "primary", "attributed_by", "release_basis",
]

_ISO3 = r"^[A-Z]{3}$"
_AGGREGATE = r"^[A-Z0-9]{3,8}$"


def _check_status(df: pd.DataFrame) -> pd.Series:
    has_value = df["value_usd"].notna()
    has_yoy = df["yoy_pct"].notna()
    s = df["status"]
    return (
        ((s == "reported") & (has_value | has_yoy))
        | (s.isin(["not_yet_released", "not_reported"]) & ~has_value)
        | ((s == "estimate") & has_value)
        | ((s == "true_zero") & (df["value_usd"] == 0))
    )


def _check_partner_code(df: pd.DataFrame) -> pd.Series:
    # countries are ISO3; aggregates may use longer codes (EMDEASIA), never lower case
    pattern = df["partner"].str.fullmatch(_ISO3).astype(bool)
    wide = df["partner"].str.fullmatch(_AGGREGATE).astype(bool)
    return pattern | ((df["partner_kind"] == "aggregate") & wide)


def _check_turnover_order(df: pd.DataFrame) -> pd.Series:
    return (df["flow"] != "turnover") | (df["country"] < df["partner"])


def _check_qualifier(df: pd.DataFrame) -> pd.Series:
    return df["value_usd"].isna() | df["value_qualifier"].notna()


PANEL_SCHEMA = pa.DataFrameSchema(
    {
        "row_id": pa.Column(str, unique=True),
        "source_kind": pa.Column(str, pa.Check.isin(SOURCE_KINDS)),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "reporter": pa.Column(str, pa.Check.str_matches(r"^(?:[A-Z]{3}|unknown)$")),
        "country": pa.Column(str, pa.Check.str_matches(_ISO3)),
        "partner": pa.Column(str),
        "partner_kind": pa.Column(str, pa.Check.isin(PARTNER_KINDS)),
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
        "primary": pa.Column(bool),
        "attributed_by": pa.Column(str, pa.Check.str_startswith("match "), nullable=True),
        "release_basis": pa.Column(str, pa.Check.str_matches(r"^(?:printed|inferred|rule:[a-z0-9_]+)$"),
                                   nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["period_end"] >= df["period_start"],
                 error="period_end before period_start"),
        pa.Check(_check_status, error="status does not match value/yoy presence"),
        pa.Check(_check_turnover_order, error="turnover pair must be stored with country < partner"),
        pa.Check(_check_qualifier, error="a value needs a value_qualifier"),
        pa.Check(_check_partner_code, error="partner must be ISO3 (aggregates: 3-8 upper-case letters/digits)"),
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
        out = PANEL_SCHEMA.validate(with_defaults(df), lazy=True)
    except (SchemaErrors, SchemaError) as err:
        raise DataValidationError(_describe(err)) from None
    return out[COLUMNS].sort_values(["source_kind", "reporter", "flow", "period_start", "row_id"]).reset_index(drop=True)


def with_defaults(df: pd.DataFrame) -> pd.DataFrame:
    """Fill the columns a source may leave out: partner_kind (World and non-ISO3 codes are
    aggregates), primary False, attributed_by and release_basis empty."""
    df = df.copy()
    for c in COLUMNS:
        if c not in df:
            df[c] = None
    kind = df["partner_kind"]
    guess = ((df["partner"] == WORLD) | ~df["partner"].astype(str).str.fullmatch(_ISO3)).map(
        {True: "aggregate", False: "country"})
    df["partner_kind"] = kind.where(kind.notna(), guess)
    df["primary"] = df["primary"].astype(object).where(df["primary"].notna(), False).astype(bool)
    return df


def build_panel(frames: list[pd.DataFrame], enrich: bool = True) -> pd.DataFrame:
    """Stack source frames (each in panel columns), then - with ``enrich`` - flag each
    reporter's primary series and attribute unstated reporters; validate the result."""
    frames = [f for f in frames if len(f)]
    if not frames:
        raise DataValidationError("panel: no rows from any source")
    df = pd.concat([with_defaults(f)[COLUMNS] for f in frames], ignore_index=True)
    if enrich:
        from . import attribution, primary

        df = attribution.attribute(df)
        df["primary"] = primary.flag(df)
    return validate(df)


# --- views the models use -------------------------------------------------------------

def primary_series(panel: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """Rows of ``reporter``'s documented primary series (``data/primary_series.csv``)."""
    return panel[(panel["reporter"] == reporter) & panel["primary"]]


def turnover_of(rows: pd.DataFrame) -> pd.DataFrame:
    """Exports + imports of the same reporter, source and period (one row per such trio with
    both flows): columns source_kind, source_id, reporter, country, partner, frequency,
    period_start, period_end, export, import, turnover, status (``estimate`` if either is)."""
    keys = ["source_kind", "source_id", "reporter", "country", "partner", "frequency", "period_start", "period_end"]
    flows = rows[rows["flow"].isin(["export", "import"]) & rows["status"].isin(VALUED) & rows["value_usd"].notna()]
    if flows.empty:
        return pd.DataFrame(columns=keys + ["export", "import", "turnover", "status"])
    wide = flows.pivot_table(index=keys, columns="flow", values="value_usd", aggfunc="first", observed=True)
    est = flows.assign(e=flows["status"].eq("estimate")).groupby(keys, observed=True)["e"].any()
    wide = wide.reindex(columns=["export", "import"]).dropna()
    wide["turnover"] = wide["export"] + wide["import"]
    wide["status"] = est.reindex(wide.index).map({True: "estimate", False: "reported"})
    return wide.reset_index()


def totals(panel: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """``reporter``'s trade with the World (partner WLD) per source and period: export,
    import and turnover (see ``turnover_of``)."""
    rows = panel[(panel["reporter"] == reporter) & (panel["country"] == reporter) & (panel["partner"] == WORLD)]
    return turnover_of(rows)


def bilateral_share(panel: pd.DataFrame, reporter: str, partner: str) -> pd.DataFrame:
    """Share of ``partner`` in ``reporter``'s total trade, per source and period, from the
    same source's bilateral and World rows (never mixing sources or reporters)."""
    rows = panel[(panel["reporter"] == reporter) & (panel["country"] == reporter)]
    bil = turnover_of(rows[rows["partner"] == partner])
    tot = turnover_of(rows[rows["partner"] == WORLD])
    keys = ["source_kind", "source_id", "reporter", "frequency", "period_start", "period_end"]
    m = bil.merge(tot, on=keys, suffixes=("", "_world"))
    m["share_pct"] = 100 * m["turnover"] / m["turnover_world"]
    return m[keys + ["turnover", "turnover_world", "share_pct"]]
