"""UN Comtrade API v1: monthly goods totals (HS, all commodities), both flows.

Without a key: the public preview (one period and at most 500 rows per call). With
``COMTRADE_API_KEY``: ``data/v1/get`` (12 periods and 100 000 rows per call on the free
tier), the key sent in the ``Ocp-Apim-Subscription-Key`` header only. Each call asks for
every reporter and partner at once; a response that reaches the row cap is split.
Values are US dollars (``primaryValue``: FOB for exports, CIF for imports).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import SourceError
from . import codes
from .config import Config
from .request import Cells, Request, months
from .rows import Obs, Parsed, check_value, load_json, schema_error

NAME = "comtrade"
KIND = "un_comtrade"
LICENCE = ("UN Comtrade database, United Nations Statistics Division; free for non-commercial use "
           "with attribution (UN Comtrade terms of use)")
INDICATOR = {"export": "X", "import": "M"}
FLOW = {v: k for k, v in INDICATOR.items()}
PREVIEW_CAP, KEYED_CAP = 500, 100_000
PATH = {"preview": "/public/v1/preview/C/{freq}/HS", "get": "/data/v1/get/C/{freq}/HS"}


def headers(cfg: Config, endpoint: str) -> dict:
    return {"Ocp-Apim-Subscription-Key": cfg.comtrade_key} if cfg.comtrade_key else {}


def build(cells: Cells, cfg: Config, endpoint: str) -> Request:
    m49 = lambda isos: ",".join(codes.to_source(c, "m49", NAME) for c in isos)  # noqa: E731
    params = {
        "reporterCode": m49(cells.reporters),
        "partnerCode": m49(cells.partners),
        "partner2Code": "0",
        "customsCode": "C00",
        "motCode": "0",
        "period": ",".join(p.replace("-", "") for p in cells.periods),
        "flowCode": ",".join(INDICATOR[f] for f in cells.flows),
        "cmdCode": "TOTAL",
        "includeDesc": "true",
    }
    cap = cfg.comtrade_row_cap or (KEYED_CAP if endpoint == "get" else PREVIEW_CAP)
    params["maxRecords"] = str(cap)
    url = cfg.comtrade_url + PATH[endpoint].format(freq=cells.freq) + "?" + urlencode(params, safe=",", quote_via=quote)
    return Request(NAME, endpoint, url, cells, row_cap=cap)


def plan(cfg: Config) -> list[Request]:
    """Fewest calls: 12 months per keyed call, one month per preview call."""
    periods = months(cfg.today.replace(year=cfg.start_year, month=1, day=1), cfg.last_month())
    endpoint = "get" if cfg.comtrade_key else "preview"
    if endpoint == "get":  # calendar years (12 periods), so a settled year keeps its call and snapshot
        years: dict[str, list[str]] = {}
        for p in periods:
            years.setdefault(p[:4], []).append(p)
        chunks = list(years.values())
    else:
        chunks = [[p] for p in periods]
    return [build(Cells("M", cfg.reporters, cfg.partners, tuple(c)), cfg, endpoint) for c in chunks]


class _Envelope(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    count: int
    data: list[dict]
    error: str | None = None


class _Row(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    freqCode: str
    period: str
    reporterCode: int
    partnerCode: int
    partner2Code: int
    flowCode: str
    cmdCode: str
    customsCode: str
    motCode: int
    primaryValue: float | None


def _period(p: str, freq: str, where: str) -> str:
    if freq == "M" and len(p) == 6 and p.isdigit():
        return f"{p[:4]}-{p[4:]}"
    if freq == "A" and len(p) == 4 and p.isdigit():
        return p
    raise SourceError(f"{where}: changed schema: period {p!r} for freqCode {freq!r}")


def parse(status: int, body: bytes, cells: Cells, where: str) -> Parsed:
    """Observations from a 200 response body; anything unexpected is a one-line error."""
    doc = load_json(body, where)
    try:
        env = _Envelope.model_validate(doc)
    except ValidationError as err:
        raise schema_error(err, where) from None
    if env.error:
        raise SourceError(f"{where}: API error {env.error!r}")
    if env.count != len(env.data):
        raise SourceError(f"{where}: count {env.count} but {len(env.data)} row(s): truncated response")
    wanted = set(cells)
    obs = []
    for i, raw in enumerate(env.data):
        try:
            row = _Row.model_validate(raw)
        except ValidationError as err:
            raise schema_error(err, where, f"data[{i}].") from None
        if (row.cmdCode.upper(), row.partner2Code, row.customsCode, row.motCode) != ("TOTAL", 0, "C00", 0):
            continue  # a breakdown row, not the total asked for
        if row.flowCode not in FLOW:
            raise SourceError(f"{where}: unexpected flowCode {row.flowCode!r} in data[{i}]")
        reporter = codes.from_source(row.reporterCode, "m49", where, f" data[{i}]")
        partner = codes.from_source(row.partnerCode, "m49", where, f" data[{i}]")
        cell = (reporter, partner, FLOW[row.flowCode], _period(row.period, row.freqCode, where))
        if cell not in wanted:
            continue
        value = None if row.primaryValue is None else check_value(row.primaryValue, where)
        obs.append(Obs(*cell, value))
    return Parsed(obs, env.count)
