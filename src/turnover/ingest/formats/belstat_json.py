"""Belstat's trade by partner country as JSON (opendataby/vneshtorg ``trade_geo.json``) -> long rows.

The file is a list of ``{"country": <Russian name>, "trade", "export", "import", "saldo"}``,
thousand USD, Belarus-reported, for one period that the file itself does not state: the
manifest entry gives it (``period``, e.g. ``2015-01..2015-09``), with the reporter and unit.
Names map to ISO3 through ``partner_names.csv`` (scheme ``ru``). Exports and imports become
rows (a printed dash is a true zero); ``trade`` must equal their sum within rounding (else the file is not what we think).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ...errors import DataValidationError
from ...countries.partner_names import lookup

UNITS = {"thousand USD": 1e3, "million USD": 1e6}
NIL = ("-", "–", "—")  # printed for "no such flow" (a true zero), unlike an absent key
ROUNDING = 0.15  # the file prints one decimal: a sum of two rounded values may be off by 0.1


def read(path: Path | str, period: str, reporter: str, unit: str = "thousand USD") -> pd.DataFrame:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataValidationError(f"{path.name}: not valid JSON ({err})") from None
    if not isinstance(doc, list):
        raise DataValidationError(f"{path.name}: expected a list of partner records")
    first, _, last = period.partition("..")
    start = pd.Timestamp(f"{first}-01")
    end = pd.Timestamp(f"{last or first}-01") + pd.offsets.MonthEnd(0)
    scale = UNITS[unit]
    out, seen = [], set()
    for i, rec in enumerate(doc):
        where = f"{path.name}: record {i + 1}"
        if not isinstance(rec, dict) or not isinstance(rec.get("country"), str):
            raise DataValidationError(f"{where}: no country name")
        code, kind = lookup("ru", rec["country"], where)
        if code in seen:
            raise DataValidationError(f"{where}: {code} listed twice")
        seen.add(code)
        vals = {}
        for k in ("export", "import", "trade"):
            v = rec.get(k)
            if v is None:
                continue
            if v in NIL:  # Russian statistical convention: a dash = the flow did not occur
                v = 0.0
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise DataValidationError(f"{where} ({rec['country']}): impossible {k} value {v!r}")
            vals[k] = float(v)
        if {"export", "import", "trade"} <= set(vals) and abs(vals["export"] + vals["import"] - vals["trade"]) > ROUNDING:
            raise DataValidationError(f"{where} ({rec['country']}): trade {vals['trade']} is not export + import")
        for k in ("export", "import"):
            if k in vals:
                out.append({"reporter": reporter, "partner": code, "partner_kind": kind, "flow": k,
                            "period_start": start, "period_end": end, "value_usd": vals[k] * scale,
                            "status": "true_zero" if vals[k] == 0 else "reported",
                            "note": "printed as '-' (no such flow)" if rec.get(k) in NIL else None})
    return pd.DataFrame(out)
