"""Context facts (partner shares and ranks, devaluations, programme dates), each with its URL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from ..paths import official_dir

FILE = "context_facts.csv"
REQUIRED = ["fact_id", "topic", "date", "country", "subject", "value", "unit", "statement",
            "source_url", "source_date"]


def load(path: Path | str | None = None) -> pd.DataFrame:
    """The bundled context facts (``value`` as float, NaN when the fact has none)."""
    path = Path(path) if path else official_dir() / FILE
    if not path.exists():
        return pd.DataFrame(columns=REQUIRED)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ConfigError(f"{path}: missing column(s) {', '.join(missing)}")
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df
