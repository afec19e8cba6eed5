"""IMF Direction of Trade Statistics (annual, long format) -> panel rows, for tests and
benchmarks only: ``refresh`` never reads it, and the file is never copied into the repo.

Expected columns: reporter, flow (exports_fob / imports_cif), partner, year, value_musd.
Rows become annual export (FOB) / import (CIF) rows with ``reporter`` = the reporting
country, ``published_on`` unknown (the as-of cut then applies the publication lag).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from ..panel import COLUMNS

COUNTRIES = {"Belarus": "BLR", "Belarus, Rep. of": "BLR", "Kazakhstan": "KAZ", "Kazakhstan, Rep. of": "KAZ",
             "Russian Federation": "RUS", "Ukraine": "UKR", "World": "WLD"}
FLOWS = {"exports_fob": ("export", "FOB"), "imports_cif": ("import", "CIF")}
URL = "https://github.com/SamLeBlanc/Direction-of-Trade-Map"
FILE = "SamLeBlanc+Direction-of-Trade-Map/DOTS_18_103_BLR_KAZ_filtered.csv"


def rows_from_csv(path: Path | str, years: tuple[int, int] | None = None,
                  retrieved_on: str = "2026-11-25") -> pd.DataFrame:
    """Panel-shaped rows from the DOTS extract (partners outside ``COUNTRIES`` are skipped)."""
    raw = pd.read_csv(path, dtype={"year": int})
    missing = {"reporter", "flow", "partner", "year", "value_musd"} - set(raw.columns)
    if missing:
        raise ConfigError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    if years:
        raw = raw[(raw["year"] >= years[0]) & (raw["year"] <= years[1])]
    out = []
    for r in raw.itertuples(index=False):
        rep, partner = COUNTRIES.get(r.reporter), COUNTRIES.get(r.partner)
        if rep is None or partner is None or r.flow not in FLOWS or pd.isna(r.value_musd):
            continue
        flow, valuation = FLOWS[r.flow]
        out.append({
            "row_id": f"dots:{rep}:{flow}:{partner}:{r.year}", "source_kind": "imf_imts",
            "source_id": f"DOTS {rep} {flow} {partner} {r.year}", "reporter": rep, "country": rep,
            "partner": partner, "flow": flow, "frequency": "annual",
            "period_start": pd.Timestamp(int(r.year), 1, 1), "period_end": pd.Timestamp(int(r.year), 12, 31),
            "value_usd": float(r.value_musd) * 1e6, "value_qualifier": "exact", "yoy_pct": None,
            "yoy_qualifier": None, "valuation": valuation, "status": "reported", "published_on": pd.NaT,
            "source_url": URL, "source_date": "", "retrieved_on": pd.Timestamp(retrieved_on),
            "note": "IMF DOTS via a public GitHub extract (tests only)",
        })
    return pd.DataFrame(out, columns=COLUMNS)
