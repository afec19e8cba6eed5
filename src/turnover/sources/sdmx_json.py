"""SDMX-JSON pieces shared by the IMF and WITS parsers: the message parts and key decoding.

Both answer with series keyed ``"i:j:k"`` (indexes into each series dimension's values) and
observations keyed by an index into the time dimension's values.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..errors import SourceError
from . import codes
from .rows import index


class Loose(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class Value(Loose):
    id: str | None = None
    value: str | None = None


class Dim(Loose):
    id: str
    values: list[Value]


class Dims(Loose):
    series: list[Dim]
    observation: list[Dim]


class Structure(Loose):
    dimensions: Dims


class Series(Loose):
    observations: dict[str, list] = {}


class DataSet(Loose):
    series: dict[str, Series] = {}


def series_codes(dims: Dims, skey: str, wanted: tuple[str, ...], where: str) -> dict[str, str | None]:
    """The code of each dimension named by series key ``skey``; every ``wanted`` one must be there."""
    try:
        idx = [index(i) for i in skey.split(":")]
        return {d.id: d.values[idx[i]].id for i, d in enumerate(dims.series) if d.id in wanted or i < len(idx)}
    except (ValueError, IndexError):
        raise SourceError(f"{where}: changed schema: series key {skey!r} does not index the dimensions") from None


def series_cell(code: dict, reporter_dim: str, partner_dim: str, flows: dict[str, str], source: str,
                where: str, skey: str) -> tuple[str, str, str]:
    """(reporter ISO3, partner ISO3, flow) of a decoded series; unknown codes are SourceErrors."""
    if code["INDICATOR"] not in flows:
        raise SourceError(f"{where}: unexpected INDICATOR {code['INDICATOR']!r}")
    reporter = codes.from_source(code[reporter_dim], source, where, f" series {skey}")
    partner = codes.from_source(code[partner_dim], source, where, f" series {skey}")
    return reporter, partner, flows[code["INDICATOR"]]


def time_of(times: list[str], okey: str, where: str) -> str:
    """The time code an observation key points to."""
    try:
        return times[index(okey)]
    except (ValueError, IndexError):
        raise SourceError(f"{where}: changed schema: observation key {okey!r} out of range") from None
