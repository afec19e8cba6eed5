"""World Bank WITS API, TradeStats-Trade: annual totals (derived from UN Comtrade).

One call per reporter and year asks for every partner (``partner/all``; the API refuses
reporter=all with partner=all) and both indicators (values joined by ';'). Values are
US$ thousand and are converted to US dollars here. WITS lags one to two years: a year
without records answers HTTP 404 with a body containing "NoRecordsFound", which is "no
data for this year" (any other 404 is an error).
"""

from __future__ import annotations

from pydantic import ValidationError

from ...errors import SourceError
from ...countries import codes
from .config import Config
from .request import ALL, Cells, Request
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


def no_records(status: int, body: bytes) -> bool:
    """The documented "no data" answer: HTTP 404 whose body says NoRecordsFound."""
    return status == 404 and b"norecordsfound" in body[:2000].lower()


def build(cells: Cells, cfg: Config, endpoint: str = "tradestats") -> Request:
    wits = lambda isos: ";".join(codes.to_source(c, "wits", NAME) for c in isos)  # noqa: E731
    partners = "all" if cells.all_partners else wits(cells.partners)
    url = (f"{cfg.wits_url}/datasource/tradestats-trade/reporter/{wits(cells.reporters)}"
           f"/year/{';'.join(cells.periods)}"
           f"/partner/{partners}/product/Total/indicator/"
           f"{';'.join(INDICATOR[f] for f in cells.flows)}?format=JSON")
    return Request(NAME, endpoint, url, cells)


def plan(cfg: Config) -> list[Request]:
    years = range(cfg.start_year, cfg.today.year)  # annual data: complete years only
    return [build(Cells("A", (r,), (ALL,), (str(y),)), cfg) for y in years for r in cfg.all_partner_reporters]


class _Message(Loose):
    dataSets: list[DataSet]
    structure: Structure


def parse(status: int, body: bytes, cells: Cells, where: str) -> Parsed:
    if no_records(status, body):
        return Parsed([], 0)
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
    obs, n, unknown = [], 0, set()
    for skey, series in msg.dataSets[0].series.items():
        code = series_codes(dims, skey, DIMS, where)
        product = code.get("PRODUCTCODE")
        if product is not None and product.lower() != "total":
            continue
        cell = series_cell(code, "REPORTER", "PARTNER", FLOW, NAME, cells, unknown)
        for okey, arr in series.observations.items():
            n += 1
            year = time_of(years, okey, where)
            if not (len(year) == 4 and year.isdigit()):
                raise SourceError(f"{where}: changed schema: TIME_PERIOD {year!r} is not a year")
            raw = arr[0] if arr else None
            if raw is not None and (isinstance(raw, bool) or not isinstance(raw, (int, float))):
                raise SourceError(f"{where}: changed schema: value is {type(raw).__name__}, expected number")
            if cell is None or year not in cells.periods:
                continue
            try:  # US$ thousand -> US$, checked after scaling (a huge value overflows to inf)
                value = None if raw is None else check_value(float(raw) * THOUSAND, where)
            except OverflowError:  # an integer too large for a float
                raise SourceError(f"{where}: impossible trade value (an integer of {len(str(raw))} digits)") from None
            obs.append(Obs(*cell, year, value))
    return Parsed(obs, n, sorted(unknown))
