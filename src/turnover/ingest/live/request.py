"""What a call asks for (``Cells``) and the call itself (``Request``), plus period helpers.

A request is identified by its URL without secrets; its ``key`` names its snapshots.
``Cells`` lists every (reporter, partner, flow, period) the call should answer, which is
what splitting, finality and documented absences are computed from. ``partners == (ALL,)``
asks for every partner the source has (the answer decides which); such calls document no
absences, since the partners that should be there are not known beforehand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, replace

import pandas as pd

FLOWS = ("export", "import")
ALL = "*"   # the partner wildcard: every partner the source reports
# splitting order when a response hits the row cap: fewer periods first, then fewer partners...
SPLIT_ORDER = ("periods", "partners", "reporters", "flows")


def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """'2016' -> the year; '2016-03' -> the month."""
    if len(period) == 4:
        return pd.Timestamp(f"{period}-01-01"), pd.Timestamp(f"{period}-12-31")
    start = pd.Timestamp(f"{period}-01")
    return start, start + pd.offsets.MonthEnd(0)


def months(start: dt.date, end: dt.date) -> list[str]:
    """'YYYY-MM' for every month from ``start`` to ``end`` inclusive."""
    return [p.strftime("%Y-%m") for p in pd.period_range(start, end, freq="M")]


def settled(period: str, at: dt.datetime | pd.Timestamp, settle_months: int) -> bool:
    """True when ``settle_months`` have passed between the period's end and ``at``."""
    end = period_bounds(period)[1]
    return pd.Timestamp(at).tz_localize(None) >= end + pd.DateOffset(months=settle_months)


@dataclass(frozen=True)
class Cells:
    freq: str                      # "M" monthly periods 'YYYY-MM', "A" annual 'YYYY'
    reporters: tuple[str, ...]
    partners: tuple[str, ...]
    periods: tuple[str, ...]
    flows: tuple[str, ...] = FLOWS

    @property
    def all_partners(self) -> bool:
        return self.partners == (ALL,)

    def wants(self, reporter: str, partner: str, flow: str, period: str) -> bool:
        """True when the call asked for this cell (any partner but the reporter for ALL)."""
        if reporter == partner or reporter not in self.reporters or flow not in self.flows:
            return False
        return period in self.periods and (self.all_partners or partner in self.partners)

    def __iter__(self):
        """Every explicitly asked cell (none for an all-partner call)."""
        if self.all_partners:
            return
        for r in self.reporters:
            for p in self.partners:
                if r == p:
                    continue
                for f in self.flows:
                    for t in self.periods:
                        yield r, p, f, t

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:  # an all-partner call lists no cells, yet it asks for something
        return True

    def split(self) -> list["Cells"]:
        """Two halves along the first dimension with more than one value; [] if none."""
        for dim in SPLIT_ORDER:
            values = getattr(self, dim)
            if len(values) > 1:
                half = len(values) // 2
                return [replace(self, **{dim: values[:half]}), replace(self, **{dim: values[half:]})]
        return []

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> "Cells":
        return cls(freq=d["freq"], reporters=tuple(d["reporters"]), partners=tuple(d["partners"]),
                   periods=tuple(d["periods"]), flows=tuple(d["flows"]))


@dataclass(frozen=True)
class Request:
    source: str          # module name: comtrade, imf, wits
    endpoint: str        # e.g. preview, get, imts, tradestats
    url: str             # full URL with query; never carries a secret
    cells: Cells
    row_cap: int | None = None   # a response with this many rows may be truncated

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.source} {self.url}".encode()).hexdigest()[:16]
