"""Typed results: what each rule decided, the numbers that decided it and the tables it used.

Every rule returns ``Verdict`` objects (one per reporter or country, and one claim-level verdict,
``reporter="all"``, whose ``parts`` are the verdicts it combined). A verdict holds no English:

- ``rating`` and ``strength``, the ``window``, ``p_value``, ``n_obs`` and the panel rows cited;
- ``statistic``: the numbers behind the rating as ``verdicts.json`` carries them;
- ``facts``: the decisive figures as a typed object of the rule (``DeclineFacts``,
  ``PartnerFacts``, ``ShockFacts``, ``RecoveryFacts``, ``MirrorFacts``, ``EventFacts``, ``CombinedFacts``), or
  why nothing could be rated (``Unrated``, ``NotYetTestable``, ``NoDevaluation``, ``NoMatchedFlows``);
- ``basis``, ``not_checked``, ``data_used`` and the robustness ``details`` as ``Phrase`` objects:
  a template name and its values (codes, numbers, dates, other phrases);
- ``tables``: the tables the rule used, the ones the report's charts and CSV files plot
  (``turnover``: annual points per reporter and source; ``shares``: the bilateral share of the
  reporter's total trade; ``partners``: partner ranks; ``events``: devaluations; ``flows``: mirror
  gaps).

``turnover.text`` renders the sentences, labels and the ``verdicts.json`` records from these;
``evidence``/``from_evidence`` carry the typed part through ``verdicts.json`` (its ``evidence``
key) so a notebook run on published files rebuilds the same verdicts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

DIMENSIONS = ("reporters", "sources", "windows", "deflation")
DATE_COLUMNS = ("period_start", "period_end", "known_from", "date")


@dataclass(frozen=True)
class Phrase:
    """Something a reader sees as words: ``key`` names its template in ``turnover.text.phrases``,
    ``args`` holds its values (codes, numbers, ISO dates, lists, other phrases)."""

    key: str
    args: dict = field(default_factory=dict, hash=False, compare=True)


def phrase(key: str, **args) -> Phrase:
    return Phrase(key, args)


@dataclass(frozen=True)
class Check:
    """One robustness check: the dimension varied, whether the variants agree (None: not
    tested or nothing rated), and what they gave."""

    dimension: str
    agrees: bool | None
    detail: Phrase

    def __post_init__(self):
        assert self.dimension in DIMENSIONS, self.dimension


# ---------------------------------------------------------------- facts: why a verdict says what it says

@dataclass
class Unrated:
    """The reporter's figures could not be rated; ``reasons`` say why."""

    reporter: str
    reasons: list[Phrase] = field(default_factory=list)


@dataclass
class NotYetTestable:
    event_date: str  # ISO date of the event the claim waits for


@dataclass
class DeclineFacts:
    """``declining_trend`` for one reporter: (a) the latest full year against the reference,
    (b) the latest comparable period, the total-trade comparison and the trend slope."""

    reporter: str
    pair: tuple[str, str]
    then_published: bool               # as of a date no later than the statement
    source: str | None = None          # the annual series used ("imf_dots then national_statistics")
    decline: bool | None = None        # (a) holds
    bound: bool = False                # (a) from a printed fall only (no exact levels)
    not_reversed: bool | None = None   # (b) the latest comparable period below a year earlier
    latest_is_annual: bool = False     # (b) is the latest full year itself
    window_start: int | None = None    # first year of the reference window
    latest_year: int | None = None
    latest_musd: float | None = None
    reference_year: int | None = None
    reference_musd: float | None = None
    change_vs_reference_pct: float | None = None
    change_latest_year_pct: float | None = None
    printed_yoy_pct: float | None = None
    change_vs_reference_at_most_pct: float | None = None
    latest_comparable_period: str | None = None
    latest_comparable_yoy_pct: float | None = None
    latest_comparable_end: str | None = None
    latest_comparable_first_public: str | None = None
    recency_from: str | None = None    # (b) first public on or after this date ...
    recency_to: str | None = None      # ... and ending on or before this one (the statement)
    total_change_latest_year_pct: float | None = None
    bilateral_share_latest_pct: float | None = None
    trend_kind: str | None = None      # "filtered" (as of the statement) or "smoothed"
    trend_slope_pct: float | None = None
    trend_low_pct: float | None = None
    trend_high_pct: float | None = None
    trend_level: float | None = None
    trend_n: int | None = None
    next_year: int | None = None       # the year after the latest, known later
    next_year_change_pct: float | None = None

    @property
    def other(self) -> str | None:
        """The pair's other country (None for figures whose reporter is not stated)."""
        if self.reporter not in self.pair:
            return None
        return self.pair[1] if self.reporter == self.pair[0] else self.pair[0]


@dataclass
class PartnerFacts:
    """``partner_rank`` for one country: the decisive year's ranks, or the context facts used."""

    country: str
    partners: list[str]
    top_n: int
    year: int | None = None
    source: str | None = None
    n_partners: int = 0
    ranks: dict = field(default_factory=dict)     # partner -> rank among the partners in the data
    shares_pct: dict = field(default_factory=dict)  # partner -> % of the World total
    top: list[str] = field(default_factory=list)  # the top max(N, 3) partners
    undecided: list[str] = field(default_factory=list)
    stated: list[dict] = field(default_factory=list)  # context facts read: partner, topic, value, date, fact_id
    world_row_ids: list[str] = field(default_factory=list)  # the World total the shares are shares of
    missing: Phrase | None = None  # why the panel has no partner data for the country (nothing bundled)


@dataclass
class ShockFacts:
    """``market_shock`` for one country: the largest loss of value and the compounded losses."""

    country: str
    start: str
    end: str
    threshold_pct: float
    max_loss_pct: float
    max_loss_date: str
    n_events: int
    cumulative_loss_pct: float


@dataclass
class NoDevaluation:
    country: str
    start: str
    end: str


@dataclass
class RecoveryFacts:
    """``recovery`` for one reporter: reference, trough, latest and pre-pandemic years."""

    reporter: str
    source: str
    reference_year: int
    reference_musd: float
    trough_year: int
    trough_musd: float
    latest_year: int
    latest_musd: float
    latest_vs_reference_pct: float
    latest_vs_trough_pct: float
    share_recovered: float | None = None
    pre_pandemic_year: int | None = None
    pre_pandemic_vs_reference_pct: float | None = None
    bounds: list[dict] = field(default_factory=list)  # later figures not rated: qualifier, value_musd, period, year


@dataclass
class MirrorFacts:
    """``mirror_gap``: flow-years inside the band and the largest departure."""

    pair: tuple[str, str]
    band_pct: tuple[float, float]
    n_flow_years: int
    n_inside: int
    first_year: int
    last_year: int
    median_gap_pct: float
    worst_flow: str | None = None
    worst_year: int | None = None
    worst_gap_pct: float | None = None


@dataclass
class NoMatchedFlows:
    pair: tuple[str, str]
    start: int
    end: int
    notes: list[Phrase] = field(default_factory=list)  # why a side's figures are missing (coverage_note)


@dataclass
class CombinedFacts:
    """The claim level: how the named reporters' (or countries') ratings were combined."""

    how: str                 # the claims file's combine rule
    what: str                # "reporter" or "country"
    named: list[str]
    rated: list[str]         # named reporters whose figures were rated, in order
    basis_of: list[str]      # the parts the rating rests on (the rated, or the unstated reporter alone)
    flagged: bool = False    # only figures whose reporter is not stated could be rated
    joined: str = "basis"    # the claim's finding: "basis" (the findings it rests on), "all" (every part's),
    #                          "decline" (one sentence over the rated reporters), "recovery" (the rated
    #                          reporters' and the later figures of unstated origin)


@dataclass
class EventFacts:
    """``event_record``: the named records of the event public at the as-of date (each: fact_id,
    date, statement, source_url), and the named ones not yet public then (fact ids)."""

    records: list[dict] = field(default_factory=list)
    later: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # named, but not in the context facts at all


@dataclass
class Finding:
    """A finding that is one phrase (hand-made verdicts, rules without figures of their own)."""

    phrase: Phrase


FACTS = {c.__name__: c for c in (Unrated, NotYetTestable, DeclineFacts, PartnerFacts, ShockFacts, NoDevaluation,
                                 RecoveryFacts, MirrorFacts, NoMatchedFlows, CombinedFacts, EventFacts, Finding)}


# ---------------------------------------------------------------- the verdict

@dataclass
class Verdict:
    """One rated result: claim x vintage x reporter (see module doc)."""

    claim_id: str
    vintage: str
    as_of: pd.Timestamp
    anchor: pd.Timestamp          # the date the claim speaks about (the article, never after as_of)
    reporter: str
    rule: str
    rating: str
    strength: str
    window: tuple[int, int]
    facts: Any
    basis: Phrase
    statistic: dict = field(default_factory=dict)
    p_value: float | None = None
    n_obs: int = 0
    source_row_ids: tuple[str, ...] = ()
    robustness: list[Check] = field(default_factory=list)
    not_checked: list[Phrase] = field(default_factory=list)
    data_used: list[Phrase] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    parts: dict[str, "Verdict"] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.claim_id}/{self.vintage}/{self.reporter}"


def part_of(verdicts: list[Verdict], claim_id: str, vintage: str, reporter: str = "all") -> Verdict | None:
    for v in verdicts:
        if (v.claim_id, v.vintage, v.reporter) == (claim_id, vintage, reporter):
            return v
    return None


# ---------------------------------------------------------------- through verdicts.json

def jsonable(x):
    """Plain Python types; NaN and inf become None."""
    if isinstance(x, Phrase):
        return {"key": x.key, "args": jsonable(x.args)}
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: jsonable(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return None if not math.isfinite(float(x)) else float(x)
    # missing values first: NaT is a datetime too, and would otherwise print as the string "NaT"
    if x is pd.NaT or (x is not None and not isinstance(x, (str, bool, int)) and pd.isna(x)):
        return None
    if isinstance(x, (pd.Timestamp, dt.date)):
        return x.date().isoformat() if isinstance(x, pd.Timestamp) else x.isoformat()
    return x


def _phrases(x):
    """JSON back to phrases: every {"key", "args"} object is a Phrase."""
    if isinstance(x, dict):
        if set(x) == {"key", "args"} and isinstance(x["key"], str):
            return Phrase(x["key"], {k: _phrases(v) for k, v in x["args"].items()})
        return {k: _phrases(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_phrases(v) for v in x]
    return x


def table_json(df: pd.DataFrame) -> dict:
    """A table as {"columns": [...], "rows": [[...]]}: dates as ISO strings, tuples and sets as lists."""
    cols = list(df.columns)
    return {"columns": cols, "rows": [[jsonable(v) for v in row] for row in df.itertuples(index=False, name=None)]}


def table_from_json(obj: dict) -> pd.DataFrame:
    df = pd.DataFrame(obj["rows"], columns=obj["columns"])
    for c in DATE_COLUMNS:
        if c in df.columns:
            df[c] = pd.to_datetime(df[c])
    for c in ("row_ids", "bilateral_row_ids", "exporter_row_ids", "importer_row_ids"):
        if c in df.columns:
            df[c] = [tuple(x or ()) for x in df[c]]
    return df


def _facts_json(facts) -> dict | None:
    if facts is None:
        return None
    return {"type": type(facts).__name__, **jsonable(facts)}


def _facts_from(obj: dict | None):
    if obj is None:
        return None
    cls = FACTS[obj["type"]]
    kw = {k: _phrases(v) for k, v in obj.items() if k != "type"}
    for f in dataclasses.fields(cls):  # JSON lists back to the tuples the dataclass declares
        if f.name in kw and isinstance(kw[f.name], list) and "tuple" in str(f.type):
            kw[f.name] = tuple(kw[f.name])
    return cls(**kw)


def evidence(v: Verdict) -> dict:
    """What ``verdicts.json`` carries beside the rendered record, so ``from_evidence`` rebuilds ``v``."""
    return {
        "anchor": jsonable(v.anchor), "facts": _facts_json(v.facts), "basis": jsonable(v.basis),
        "not_checked": jsonable(v.not_checked), "data_used": jsonable(v.data_used),
        "robustness": [{"dimension": c.dimension, "agrees": c.agrees, "detail": jsonable(c.detail)}
                       for c in v.robustness],
        "tables": {name: table_json(t) for name, t in v.tables.items()},
    }


def from_evidence(records: list[dict], evidences: dict[str, dict]) -> list[Verdict]:
    """The typed verdicts of ``verdicts.json``: its ``results`` records and their ``evidence``
    (keyed "claim/vintage/reporter"); claim-level verdicts get their parts back."""
    out = []
    for r in records:
        ev = evidences.get(f"{r.get('claim_id')}/{r.get('vintage')}/{r.get('reporter')}")
        if ev is None:
            continue
        out.append(Verdict(
            claim_id=r["claim_id"], vintage=r["vintage"], as_of=pd.Timestamp(r["as_of"]),
            anchor=pd.Timestamp(ev["anchor"]), reporter=r["reporter"], rule=r["rule"], rating=r["rating"],
            strength=r["strength"], window=tuple(r["window"]), facts=_facts_from(ev["facts"]),
            basis=_phrases(ev["basis"]), statistic=r.get("statistic") or {}, p_value=r.get("p_value"),
            n_obs=r.get("n_obs", 0), source_row_ids=tuple(r.get("source_row_ids") or ()),
            robustness=[Check(c["dimension"], c["agrees"], _phrases(c["detail"])) for c in ev["robustness"]],
            not_checked=_phrases(ev["not_checked"]), data_used=_phrases(ev["data_used"]),
            tables={k: table_from_json(t) for k, t in ev["tables"].items()}))
    for v in out:
        if v.reporter == "all":
            v.parts = {p.reporter: p for p in out
                       if (p.claim_id, p.vintage) == (v.claim_id, v.vintage) and p.reporter != "all"}
    return out
