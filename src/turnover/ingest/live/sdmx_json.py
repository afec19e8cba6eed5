"""SDMX-JSON pieces shared by the IMF and WITS parsers: the message parts and key decoding.

Both answer with series keyed ``"i:j:k"`` (indexes into each series dimension's values) and
observations keyed by an index into the time dimension's values.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ...errors import SourceError
from ...countries import codes
from .request import Cells
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


def series_cell(code: dict, reporter_dim: str, partner_dim: str, flows: dict[str, str], column: str,
                cells: Cells, unknown: set[str]) -> tuple[str, str, str] | None:
    """(reporter, partner, flow) of a decoded series, or None when the call did not ask for it.

    Cells not asked for are skipped before any code lookup, so a code the table lacks there
    is no concern. In an all-partner answer a partner code the table lacks is added to
    ``unknown`` (kept on record) and skipped rather than guessed.
    """
    flow = flows.get(code["INDICATOR"] or "")
    reporter = _asked(cells.reporters, column).get(str(code[reporter_dim]).lower())
    if flow not in cells.flows or reporter is None:
        return None
    raw = str(code[partner_dim])
    if cells.all_partners:
        row = codes.lookup(raw, column)
        if row is None:
            unknown.add(raw)
            return None
        partner = row["iso3"]
    else:
        partner = _asked(cells.partners, column).get(raw.lower())
        if partner is None:
            return None
    return (reporter, partner, flow) if reporter != partner else None


def _asked(isos: tuple[str, ...], column: str) -> dict[str, str]:
    return {codes.to_source(c, column, column).lower(): c for c in isos}


def time_of(times: list[str], okey: str, where: str) -> str:
    """The time code an observation key points to."""
    try:
        return times[index(okey)]
    except (ValueError, IndexError):
        raise SourceError(f"{where}: changed schema: observation key {okey!r} out of range") from None
