"""CSV extracts of published tables (BNS, WITS, UN Comtrade, as bundled) -> long rows.

One layout: a row per reporter, flow, partner and period, with
- ``reporter`` (ISO3) and ``flow`` (``exports``/``imports``, optionally ``_fob``/``_cif``);
- the partner as ``partner_iso3`` or as an English name in ``partner`` (``partner_names.csv``);
- the period as ``year`` (annual) or ``month`` (``YYYY-MM``);
- the value in a column whose name gives the unit: ``value_thousand_usd`` or ``value_million_usd``.
Other columns are kept out, except ``note``, which goes to the row's note. An empty value
is missing (no row). Anything malformed is a one-line error naming file and row (exit 3).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...errors import DataValidationError
from ...countries.partner_names import lookup

UNITS = {"value_thousand_usd": 1e3, "value_million_usd": 1e6}
FLOWS = {"exports": "export", "exports_fob": "export", "imports": "import", "imports_cif": "import"}
_ISO3 = re.compile(r"^[A-Z]{3}$")


def read(path: Path | str) -> pd.DataFrame:
    """Long rows (reporter, partner, partner_kind, flow, period, value_usd, status, note)."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataValidationError(f"{path.name}: not a readable CSV ({str(err).splitlines()[0][:80]})") from None
    unit = [c for c in raw.columns if c in UNITS]
    period = [c for c in ("year", "month") if c in raw.columns]
    partner = [c for c in ("partner_iso3", "partner") if c in raw.columns]
    missing = [what for what, got in (("a value column (value_thousand_usd/value_million_usd)", unit),
                                      ("a period column (year/month)", period),
                                      ("a partner column (partner_iso3/partner)", partner))
               if len(got) != 1] + [c for c in ("reporter", "flow") if c not in raw.columns]
    if missing:
        raise DataValidationError(f"{path.name}: expected exactly one of each: {', '.join(missing)}")
    unit, period, partner = unit[0], period[0], partner[0]
    out = []
    for n, r in enumerate(raw.to_dict("records"), start=2):  # line 1 is the header
        where = f"{path.name}: row {n}"
        text = r[unit].strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            raise DataValidationError(f"{where}: not a number in {unit}: {text[:40]!r}") from None
        if not value >= 0:
            raise DataValidationError(f"{where}: impossible trade value {text!r}")
        flow = FLOWS.get(r["flow"].strip().lower())
        if flow is None:
            raise DataValidationError(f"{where}: unknown flow {r['flow']!r} (known: {', '.join(FLOWS)})")
        if not _ISO3.match(r["reporter"]):
            raise DataValidationError(f"{where}: reporter {r['reporter']!r} is not an ISO3 code")
        if partner == "partner_iso3":
            code = r[partner].strip()
            if not _ISO3.match(code):
                raise DataValidationError(f"{where}: partner {code!r} is not an ISO3 code")
            kind = "aggregate" if code == "WLD" else "country"
        else:
            code, kind = lookup("en", r[partner], where)
        p = r[period].strip()
        if not re.fullmatch(r"\d{4}" if period == "year" else r"\d{4}-\d{2}", p):
            raise DataValidationError(f"{where}: bad {period} {p!r}")
        start = pd.Timestamp(f"{p}-01-01" if period == "year" else f"{p}-01")
        end = start + (pd.offsets.YearEnd(0) if period == "year" else pd.offsets.MonthEnd(0))
        out.append({"reporter": r["reporter"], "partner": code, "partner_kind": kind, "flow": flow,
                    "period_start": start, "period_end": end, "value_usd": value * UNITS[unit],
                    "status": "true_zero" if value == 0 else "reported",
                    "note": (r.get("note") or "").strip() or None})
    df = pd.DataFrame(out)
    if len(df) and df.duplicated(["reporter", "partner", "flow", "period_start"]).any():
        dup = df[df.duplicated(["reporter", "partner", "flow", "period_start"])].iloc[0]
        raise DataValidationError(f"{path.name}: two values for {dup['reporter']} {dup['flow']} "
                                  f"{dup['partner']} {dup['period_start']:%Y-%m}")
    return df
