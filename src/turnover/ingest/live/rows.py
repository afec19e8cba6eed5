"""Observations parsed from a snapshot -> rows in the tidy panel's columns.

Every cell a request asked for becomes a row: ``reported``/``true_zero`` when the source
gave a value, otherwise ``not_yet_released`` (period not settled when retrieved) or
``not_reported`` (settled, yet absent), so absences are documented rather than silent.
An all-partner call gives a row per partner in the answer (which partners should be there
is not known beforehand). Areas other than the World (``kind`` ``aggregate`` in the code
table) become rows only once the panel has a ``partner_kind`` column to mark them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import pandas as pd
from pydantic import ValidationError

from ...errors import SourceError
from ..panel import COLUMNS
from ...countries import codes
from .request import Cells, period_bounds, settled

WORLD = "WLD"

VALUATION = {"export": "FOB", "import": "CIF"}


@dataclass(frozen=True)
class Obs:
    reporter: str
    partner: str
    flow: str
    period: str          # 'YYYY' or 'YYYY-MM'
    value_usd: float | None


@dataclass
class Parsed:
    obs: list[Obs]
    rows: int            # rows in the response as the API counts them (for the row cap)
    unknown: list[str] = field(default_factory=list)  # partner codes of an all-partner answer not in the table


def load_json(body: bytes, where: str):
    """JSON from a body; a cut-off or non-JSON body is a one-line error."""
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise SourceError(f"{where}: body is not UTF-8 JSON") from None
    except json.JSONDecodeError as err:
        head = body.lstrip()[:1]
        if head == b"<":  # an HTML (or XML) page where JSON was expected, e.g. an error page
            words = " ".join(re.sub(r"<[^>]*>", " ", body.decode("utf-8", "replace")).split())[:120]
            raise SourceError(f"{where}: an HTML/XML page instead of JSON" + (f": {words}" if words else "")) from None
        if head not in (b"{", b"["):
            raise SourceError(f"{where}: not JSON ({err.msg} at char {err.pos} of {len(body)})") from None
        cut = not body.rstrip().endswith((b"}", b"]"))  # a cut-off document never ends closed
        kind = "truncated JSON" if cut else "malformed JSON"
        raise SourceError(f"{where}: {kind} ({err.msg} at char {err.pos} of {len(body)})") from None
    except ValueError as err:  # e.g. an integer literal longer than Python converts
        raise SourceError(f"{where}: malformed JSON ({' '.join(str(err).split())[:80]})") from None
    except RecursionError:
        raise SourceError(f"{where}: malformed JSON (nested too deeply)") from None


def schema_error(err: ValidationError, where: str, prefix: str = "") -> SourceError:
    e = err.errors()[0]
    loc = prefix + ".".join(str(x) for x in e["loc"])
    return SourceError(f"{where}: changed schema at {loc or 'top level'}: {e['msg']} "
                       f"({len(err.errors())} problem(s))")


def index(key: str) -> int:
    """A position from an SDMX-JSON key part ('0', '12'); anything else is a ValueError.

    ``int`` alone would accept '-1' (silently the last value), ' 1' and '1_0'.
    """
    if not (key.isascii() and key.isdigit()):
        raise ValueError(f"not an index: {key!r}")
    return int(key)


def check_value(v: float, where: str) -> float:
    if not math.isfinite(v) or v < 0:  # NaN, infinite or negative: not a trade value
        raise SourceError(f"{where}: impossible trade value {v!r}")
    return v


def to_frame(parsed: list[Obs], cells: Cells, entry: dict, kind: str, indicator: dict[str, str],
             settle_months: int) -> pd.DataFrame:
    """Panel rows for one snapshot: one per requested cell; duplicates are an error."""
    got: dict[tuple, Obs] = {}
    for o in parsed:
        k = (o.reporter, o.partner, o.flow, o.period)
        if k in got:
            raise SourceError(f"{entry['source']}: snapshot {entry['path']} has two values for {k}")
        got[k] = o
    retrieved = pd.Timestamp(entry["retrieved_at"]).tz_convert(None)
    marks_kind = "partner_kind" in COLUMNS
    wanted = list(got) if cells.all_partners else list(cells)
    rows = []
    for cell in wanted:
        reporter, partner, flow, period = cell
        partner_kind = codes.kind(partner)
        if partner_kind == "aggregate" and partner != WORLD and not marks_kind:
            continue
        o = got.get(cell)
        start, end = period_bounds(period)
        value = o.value_usd if o else None
        if value is None:
            status = "not_reported" if settled(period, retrieved, settle_months) else "not_yet_released"
            note = "absent from the response"
        else:
            status = "true_zero" if value == 0 else "reported"
            note = None
        rows.append({
            "row_id": f"{kind}:{reporter}:{indicator[flow]}:{partner}:{period}",
            "source_kind": kind,
            "source_id": entry["path"],
            "reporter": reporter,
            "country": reporter,
            "partner": partner,
            "flow": flow,
            "frequency": "month" if cells.freq == "M" else "annual",
            "period_start": start,
            "period_end": end,
            "value_usd": value,
            "value_qualifier": "exact" if value is not None else None,
            "yoy_pct": None,
            "yoy_qualifier": None,
            "valuation": VALUATION[flow],
            "status": status,
            "published_on": pd.NaT,
            "source_url": entry["url"],
            "source_date": retrieved.strftime("%Y-%m-%d"),
            "retrieved_on": retrieved,
            "note": note,
            **({"partner_kind": partner_kind} if marks_kind else {}),
        })
    return pd.DataFrame(rows, columns=COLUMNS)
