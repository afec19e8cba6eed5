"""IMF SDMX 3.0 API, dataset IMTS (successor of DOTS): monthly goods trade by partner.

One call covers both reporters, both indicators and the configured partners for a block of five
calendar years (the API documents no row cap; blocks keep settled years in calls whose
snapshots never need fetching again). Answers are SDMX-JSON 2.0; ``OBS_VALUE`` is a string
in US dollar units (the ``SCALE`` attribute is a display hint: values are not rescaled).
The time filter is sent URL-encoded with SDMX period codes (see ``time_filter``). Every
partner of a reporter comes from UN Comtrade and WITS instead: an IMF all-partner answer
mixes countries with IMF group codes (``G…``, ``T…``, ``X…``) whose list is not bundled.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pydantic import ValidationError

from ...errors import SourceError
from ...countries import codes
from .config import Config
from .request import Cells, Request, months
from .rows import Obs, Parsed, check_value, load_json, schema_error
from .sdmx_json import DataSet, Loose, Structure, series_cell, series_codes, time_of

NAME = "imf"
KIND = "imf_imts"
LICENCE = "IMF International Trade in Goods (IMTS); IMF copyright and usage terms (free reuse with attribution)"
INDICATOR = {"export": "XG_FOB_USD", "import": "MG_CIF_USD"}
FLOW = {v: k for k, v in INDICATOR.items()}
BLOCK_YEARS = 5
DIMS = ("COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "FREQUENCY")


def headers(cfg: Config, endpoint: str) -> dict:
    return {"Accept": "application/json"}


def sdmx_period(period: str, freq: str) -> str:
    """The SDMX period code: '2016-01' -> '2016-M01'; annual '2016' -> '2016-A1'."""
    return f"{period[:4]}-M{period[5:7]}" if freq == "M" else f"{period}-A1"


def time_filter(cells: Cells) -> str:
    """``c[TIME_PERIOD]=ge:<first>+le:<last>`` URL-encoded as a whole.

    A literal '+' in a query string decodes to a space, and the IMF then applies the lower
    bound only; requests recorded to return exactly the range asked send '%2B' and '%3A'.
    """
    value = f"ge:{sdmx_period(cells.periods[0], cells.freq)}+le:{sdmx_period(cells.periods[-1], cells.freq)}"
    return urlencode({"c[TIME_PERIOD]": value}, quote_via=quote, safe="")


def build(cells: Cells, cfg: Config, endpoint: str = "imts") -> Request:
    imf = lambda isos: "+".join(codes.to_source(c, "imf", NAME) for c in isos)  # noqa: E731
    partners = "" if cells.all_partners else imf(cells.partners)  # an empty key part: every partner
    key = ".".join([imf(cells.reporters), "+".join(INDICATOR[f] for f in cells.flows), partners, cells.freq])
    url = (f"{cfg.imf_url}/data/dataflow/IMF.STA/IMTS/+/{key}?{time_filter(cells)}"
           "&dimensionAtObservation=TIME_PERIOD&attributes=dsd&measures=all")
    return Request(NAME, endpoint, url, cells)


def plan(cfg: Config) -> list[Request]:
    periods = months(cfg.today.replace(year=cfg.start_year, month=1, day=1), cfg.last_month())
    blocks: dict[int, list[str]] = {}
    for p in periods:
        blocks.setdefault(int(p[:4]) // BLOCK_YEARS, []).append(p)
    return [build(Cells("M", cfg.reporters, cfg.partners, tuple(b)), cfg) for b in blocks.values()]


class _Data(Loose):
    dataSets: list[DataSet]
    structures: list[Structure]


class _Message(Loose):
    data: _Data


def _time(code: str, freq: str, where: str) -> str:
    if freq == "M" and len(code) == 8 and code[4:6] == "-M":
        return f"{code[:4]}-{code[6:]}"
    if freq == "M" and len(code) == 7 and code[4] == "-":
        return code
    if freq == "A" and code[:4].isdigit() and code[4:] in ("", "-A1"):
        return code[:4]
    raise SourceError(f"{where}: changed schema: TIME_PERIOD {code!r} for FREQUENCY {freq!r}")


def parse(status: int, body: bytes, cells: Cells, where: str) -> Parsed:
    if status == 204 or not body.strip():
        return Parsed([], 0)
    try:
        msg = _Message.model_validate(load_json(body, where))
    except ValidationError as err:
        raise schema_error(err, where) from None
    if not msg.data.dataSets or not msg.data.structures:
        return Parsed([], 0)
    dims = msg.data.structures[0].dimensions
    ids = [d.id for d in dims.series]
    missing = [d for d in DIMS if d not in ids]
    if missing or not dims.observation or dims.observation[0].id != "TIME_PERIOD":
        raise SourceError(f"{where}: changed schema: series dimensions {ids}, expected {list(DIMS)} "
                          "and TIME_PERIOD at observation level")
    times = [v.value or v.id or "" for v in dims.observation[0].values]
    obs, n, unknown = [], 0, set()
    for skey, series in msg.data.dataSets[0].series.items():
        code = series_codes(dims, skey, DIMS, where)
        cell = series_cell(code, "COUNTRY", "COUNTERPART_COUNTRY", FLOW, NAME, cells, unknown)
        for okey, arr in series.observations.items():
            n += 1
            period = _time(time_of(times, okey, where), code["FREQUENCY"], where)
            raw = arr[0] if arr else None
            if raw is not None and not isinstance(raw, str):  # schema drift shows in any cell
                raise SourceError(f"{where}: changed schema: OBS_VALUE is {type(raw).__name__}, expected string")
            if cell is None or period not in cells.periods:
                continue
            try:
                value = None if raw in (None, "", "NaN") else check_value(float(raw), where)
            except ValueError:
                raise SourceError(f"{where}: OBS_VALUE {raw!r} is not a number") from None
            obs.append(Obs(*cell, period, value))
    return Parsed(obs, n, sorted(unknown))


def no_records(status: int, body: bytes) -> bool:
    """No documented "no data" answer on an error status: its empty answer is an HTTP 2xx."""
    return False
