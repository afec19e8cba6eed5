"""UN Comtrade API v1: goods totals (HS, all commodities), both flows.

Two kinds of call: monthly totals between the configured reporters and partners, and
annual totals of each reporter with *every* partner (``partnerCode`` left out), which is
what ranks a country's partners. Without a key: the public preview, which takes ONE
period per call (two give HTTP 400) and at most 500 rows, so one call per month and one
per reporter and year (about 2 x 230 partner rows). With ``COMTRADE_API_KEY``:
``data/v1/get`` (12 periods and 100 000 rows per call on the free tier), the key sent in
the ``Ocp-Apim-Subscription-Key`` header only. A response that reaches the row cap is split.
An empty answer (HTTP 200, ``{"count":0,"data":[],"error":""}``) means no data for the period.
Values are US dollars (``primaryValue``: FOB for exports, CIF for imports).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pydantic import BaseModel, ConfigDict, ValidationError

from ...errors import SourceError
from ...countries import codes
from .config import Config
from .request import ALL, Cells, Request, months
from .rows import Obs, Parsed, check_value, load_json, schema_error

NAME = "comtrade"
KIND = "un_comtrade"
LICENCE = ("UN Comtrade database, United Nations Statistics Division; free for non-commercial use "
           "with attribution (UN Comtrade terms of use)")
INDICATOR = {"export": "X", "import": "M"}
FLOW = {v: k for k, v in INDICATOR.items()}
PREVIEW_CAP, KEYED_CAP = 500, 100_000
KEYED_PERIODS = 12
PATH = {"preview": "/public/v1/preview/C/{freq}/HS", "get": "/data/v1/get/C/{freq}/HS"}


def headers(cfg: Config, endpoint: str) -> dict:
    return {"Ocp-Apim-Subscription-Key": cfg.comtrade_key} if cfg.comtrade_key else {}


def _m49(isos) -> str:
    return ",".join(codes.to_source(c, "m49", NAME) for c in isos)


def build(cells: Cells, cfg: Config, endpoint: str) -> Request:
    params = {"reporterCode": _m49(cells.reporters)}
    if not cells.all_partners:  # no partnerCode: every partner
        params["partnerCode"] = _m49(cells.partners)
    params.update({
        "partner2Code": "0",
        "customsCode": "C00",
        "motCode": "0",
        "period": ",".join(p.replace("-", "") for p in cells.periods),
        "flowCode": ",".join(INDICATOR[f] for f in cells.flows),
        "cmdCode": "TOTAL",
        "includeDesc": "true",
    })
    cap = cfg.comtrade_row_cap or (KEYED_CAP if endpoint == "get" else PREVIEW_CAP)
    params["maxRecords"] = str(cap)
    url = cfg.comtrade_url + PATH[endpoint].format(freq=cells.freq) + "?" + urlencode(params, safe=",", quote_via=quote)
    return Request(NAME, endpoint, url, cells, row_cap=cap)


def _chunks(periods: list[str], size: int, key) -> list[tuple[str, ...]]:
    """Periods grouped by ``key`` (so a settled group keeps its call), at most ``size`` each."""
    groups: dict = {}
    for p in periods:
        groups.setdefault(key(p), []).append(p)
    return [tuple(g[i:i + size]) for g in groups.values() for i in range(0, len(g), size)]


def plan(cfg: Config) -> list[Request]:
    """Fewest calls: monthly bilateral totals, then annual totals with every partner.

    Keyed: a calendar year of months per call; 12 years (aligned on multiples of 12) of
    annual all-partner totals for both reporters per call. Preview: one month per call;
    one reporter and year per all-partner call (both reporters would pass the 500-row cap).
    """
    periods = months(cfg.today.replace(year=cfg.start_year, month=1, day=1), cfg.last_month())
    years = [str(y) for y in range(cfg.start_year, cfg.today.year)]  # complete years only
    endpoint = "get" if cfg.comtrade_key else "preview"
    out = []
    if endpoint == "get":
        for chunk in _chunks(periods, KEYED_PERIODS, lambda p: p[:4]):
            out.append(build(Cells("M", cfg.reporters, cfg.partners, chunk), cfg, endpoint))
        for chunk in _chunks(years, KEYED_PERIODS, lambda y: int(y) // KEYED_PERIODS):
            if cfg.all_partner_reporters:
                out.append(build(Cells("A", cfg.all_partner_reporters, (ALL,), chunk), cfg, endpoint))
    else:
        out += [build(Cells("M", cfg.reporters, cfg.partners, (p,)), cfg, endpoint) for p in periods]
        out += [build(Cells("A", (r,), (ALL,), (y,)), cfg, endpoint) for y in years for r in cfg.all_partner_reporters]
    return out


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
    reporters = {codes.to_source(r, "m49", NAME): r for r in cells.reporters}
    partners = None if cells.all_partners else {codes.to_source(p, "m49", NAME): p for p in cells.partners}
    flows = {INDICATOR[f] for f in cells.flows}
    obs, unknown = [], set()
    for i, raw in enumerate(env.data):
        try:
            row = _Row.model_validate(raw)
        except ValidationError as err:
            raise schema_error(err, where, f"data[{i}].") from None
        if (row.cmdCode.upper(), row.partner2Code, row.customsCode, row.motCode) != ("TOTAL", 0, "C00", 0):
            continue  # a breakdown row, not the total asked for
        period = _period(row.period, row.freqCode, where)
        # cells not asked for are skipped before any code lookup: an unknown code there is no concern
        reporter = reporters.get(str(row.reporterCode))
        if reporter is None or row.flowCode not in flows or period not in cells.periods:
            continue
        if partners is not None:
            partner = partners.get(str(row.partnerCode))
            if partner is None:
                continue
        else:
            known = codes.lookup(row.partnerCode, "m49")
            if known is None:  # every partner was asked for: keep the code on record, not a guess
                unknown.add(str(row.partnerCode))
                continue
            partner = known["iso3"]
        if not cells.wants(reporter, partner, FLOW[row.flowCode], period):
            continue
        value = None if row.primaryValue is None else check_value(row.primaryValue, where)
        obs.append(Obs(reporter, partner, FLOW[row.flowCode], period, value))
    return Parsed(obs, env.count, sorted(unknown))


def no_records(status: int, body: bytes) -> bool:
    """No documented "no data" answer on an error status: its empty answer is an HTTP 2xx."""
    return False
