"""World Bank WITS API, TradeStats-Trade: annual totals (derived from UN Comtrade).

One call per year covers both reporters, every partner and both indicators (values joined
by ';'). Values are US$ thousand and are converted to US dollars here.
"""

from __future__ import annotations

from pydantic import ValidationError

from ..errors import SourceError
from . import codes
from .config import Config
from .request import Cells, Request
from .rows import Obs, Parsed, check_value, load_json, schema_error
from .sdmx_json import DataSet, Loose, Structure, series_cell, series_codes, time_of

NAME = "wits"
KIND = "wb_wits"
LICENCE = "World Bank WITS TradeStats (data from UN Comtrade); World Bank terms of use, CC BY 4.0 where applicable"
INDICATOR = {"export": "XPRT-TRD-VL", "import": "MPRT-TRD-VL"}
FLOW = {v: k for k, v in INDICATOR.items()}
DIMS = ("REPORTER", "PARTNER", "INDICATOR")
THOUSAND = 1000.0


def headers(cfg: Config, endpoint: str) -> dict:
    return {"Accept": "application/json"}


def build(cells: Cells, cfg: Config, endpoint: str = "tradestats") -> Request:
    wits = lambda isos: ";".join(codes.to_source(c, "wits", NAME) for c in isos)  # noqa: E731
    url = (f"{cfg.wits_url}/datasource/tradestats-trade/reporter/{wits(cells.reporters)}"
           f"/year/{';'.join(cells.periods)}"
           f"/partner/{wits(cells.partners)}/product/Total/indicator/"
           f"{';'.join(INDICATOR[f] for f in cells.flows)}?format=JSON")
    return Request(NAME, endpoint, url, cells)


def plan(cfg: Config) -> list[Request]:
    years = range(cfg.start_year, cfg.today.year)  # annual data: complete years only
    return [build(Cells("A", cfg.reporters, cfg.partners, (str(y),)), cfg) for y in years]


class _Message(Loose):
    dataSets: list[DataSet]
    structure: Structure


def parse(status: int, body: bytes, cells: Cells, where: str) -> Parsed:
    try:
        msg = _Message.model_validate(load_json(body, where))
    except ValidationError as err:
        raise schema_error(err, where) from None
    if not msg.dataSets:
        return Parsed([], 0)
    dims = msg.structure.dimensions
    ids = [d.id for d in dims.series]
    if any(d not in ids for d in DIMS) or not dims.observation:
        raise SourceError(f"{where}: changed schema: series dimensions {ids}, expected {list(DIMS)}")
    years = [v.id or "" for v in dims.observation[0].values]
    wanted = set(cells)
    obs, n = [], 0
    for skey, series in msg.dataSets[0].series.items():
        code = series_codes(dims, skey, DIMS, where)
        product = code.get("PRODUCTCODE")
        if product is not None and product.lower() != "total":
            continue
        reporter, partner, flow = series_cell(code, "REPORTER", "PARTNER", FLOW, NAME, where, skey)
        for okey, arr in series.observations.items():
            n += 1
            year = time_of(years, okey, where)
            if not (len(year) == 4 and year.isdigit()):
                raise SourceError(f"{where}: changed schema: TIME_PERIOD {year!r} is not a year")
            raw = arr[0] if arr else None
            if raw is not None and (isinstance(raw, bool) or not isinstance(raw, (int, float))):
                raise SourceError(f"{where}: changed schema: value is {type(raw).__name__}, expected number")
            try:  # US$ thousand -> US$, checked after scaling (a huge value overflows to inf)
                value = None if raw is None else check_value(float(raw) * THOUSAND, where)
            except OverflowError:  # an integer too large for a float
                raise SourceError(f"{where}: impossible trade value (an integer of {len(str(raw))} digits)") from None
            cell = (reporter, partner, flow, year)
            if cell in wanted:
                obs.append(Obs(*cell, value))
    return Parsed(obs, n)

