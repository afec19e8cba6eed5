"""SDMX-JSON pieces shared by the IMF and WITS parsers: the message parts and key decoding.

Both answer with series keyed ``"i:j:k"`` (indexes into each series dimension's values) and
observations keyed by an index into the time dimension's values.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..errors import SourceError
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
    """The code of each ``wanted`` dimension (and any other present) named by series key ``skey``."""
    ids = [d.id for d in dims.series]
    try:
        idx = [index(i) for i in skey.split(":")]
        return {d: dims.series[ids.index(d)].values[idx[ids.index(d)]].id
                for d in ids if d in wanted or ids.index(d) < len(idx)}
    except (ValueError, IndexError):
        raise SourceError(f"{where}: changed schema: series key {skey!r} does not index the dimensions") from None


def time_of(times: list[str], okey: str, where: str) -> str:
    """The time code an observation key points to."""
    try:
        return times[index(okey)]
    except (ValueError, IndexError):
        raise SourceError(f"{where}: changed schema: observation key {okey!r} out of range") from None
