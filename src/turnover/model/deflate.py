"""Deflating USD values to constant prices, when a deflator is available.

The bundled and fetched data hold no USD price index (the KZT/USD rate and the oil price
are not deflators of dollar trade values), so offline runs report the nominal-vs-deflated
sensitivity as "untested". A caller can pass a deflator: an annual price index of the US
dollar (e.g. US CPI or US import prices) as a Series indexed by year. Values are expressed
in prices of ``base_year`` (default: the latest year of the index): value * P[base] / P[year].
"""

from __future__ import annotations

import pandas as pd

from .errors import ModelInputError

def deflate(values: pd.Series, deflator: pd.Series, base_year: int | None = None) -> pd.Series:
    """``values`` (indexed by period end) in constant ``base_year`` prices of ``deflator``."""
    idx = pd.DatetimeIndex(values.index)
    years = idx.year
    missing = sorted(set(years) - set(deflator.index))
    if missing:
        raise ModelInputError(f"deflate: no deflator value for year(s) {', '.join(map(str, missing))}")
    base = base_year if base_year is not None else int(max(deflator.index))
    if base not in deflator.index:
        raise ModelInputError(f"deflate: base year {base} not in the deflator")
    factor = deflator.loc[base] / deflator.reindex(years).to_numpy()
    return pd.Series(values.to_numpy(dtype=float) * factor, index=values.index, name=values.name)


def deflate_yoy(yoy_pct: float, year: int, deflator: pd.Series) -> float:
    """A nominal y/y change (%) for ``year`` in real terms: (1 + g) * P[y-1] / P[y] - 1."""
    if year not in deflator.index or year - 1 not in deflator.index:
        raise ModelInputError(f"deflate: no deflator for {year - 1}-{year}")
    return 100 * ((1 + yoy_pct / 100) * deflator.loc[year - 1] / deflator.loc[year] - 1)
