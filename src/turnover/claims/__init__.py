"""The claims registry: the article's statements in testable form, validated on load.

A claims file names an article (``article.yaml`` beside it), the country pair, the
vintages (as-of dates) and one entry per statement. Metrics and rule kinds come from the
vocabulary below, so a file for another article or pair needs no code change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, ValidationError, field_validator,
                      model_validator)

from ..errors import ConfigError
from ..paths import seeds_dir
from ..readers import read_bytes, read_yaml
from ..run import today_for
from .rules import RULE_MODELS, Rule
from .text import Line, Text

MAX_CLAIMS = 200  # statements in one claims file (an article has a handful; each costs model time)

METRICS = {
    "bilateral_turnover": "exports + imports between the pair, per reporter",
    "partner_rank": "rank of named partners in each country's goods trade",
    "currency_shock": "devaluations of each country's currency against the USD",
    "mirror_gap": "one side's exports vs the other side's imports of the same flow",
}
RULE_KINDS = set(RULE_MODELS)
DATA_KINDS = {
    "bilateral_turnover", "bilateral_flows", "partner_turnover", "partner_share", "partner_rank",
    "currency_devaluation", "oil_price",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Strict):
    start: StrictInt = Field(ge=1990, le=2100)
    end: StrictInt = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


class Claim(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    quote_ru: Text = Field(min_length=1)
    quote_en: Text = Field(min_length=1)
    claim: Text = Field(min_length=1)
    metric: str
    data_needed: list[str] = Field(min_length=1)
    window: Window
    vintages: list[str] = Field(min_length=1)
    rule: Rule

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        if v not in METRICS:
            raise ValueError(f"unknown metric {v!r} (known: {', '.join(sorted(METRICS))})")
        return v

    @field_validator("data_needed")
    @classmethod
    def _data(cls, v: list[str]) -> list[str]:
        bad = [d for d in v if d not in DATA_KINDS]
        if bad:
            raise ValueError(f"unknown data kind(s) {', '.join(map(repr, bad))}")
        return v


class Article(_Strict):
    id: Line
    outlet: Line
    title_ru: Line
    title_en: Line
    date: dt.date
    url: Line | None = Field(pattern=r"^https?://[^\s<>\"']+$")  # a live link in the report: http(s) only
    url_note: Text | None = None
    language: Literal["ru", "en", "kk", "be"]
    text_file: Line
    speaker: Line


class ClaimsFile(_Strict):
    article: Article
    pair: tuple[str, str]
    vintages: dict[Line, dt.date]
    claims: list[Claim] = Field(min_length=1, max_length=MAX_CLAIMS)
    _files: list[Path] = PrivateAttr(default_factory=list)  # what it was read from (claims, article, text)
    _today: dt.date | None = PrivateAttr(default=None)  # the date "today" was read as (``turnover.run.today_for``)

    @model_validator(mode="after")
    def _consistent(self):
        dupes = sorted(i for i, n in Counter(c.id for c in self.claims).items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate claim id(s) {', '.join(dupes)}")
        latest = max(self.vintages.items(), key=lambda kv: kv[1]) if self.vintages else None
        for c in self.claims:
            unknown = [v for v in c.vintages if v not in self.vintages]
            if unknown:
                raise ValueError(f"claim {c.id}: unknown vintage(s) {', '.join(unknown)}")
            w = c.window  # a forecast may lie after the article's date, not after every vintage
            if latest and w.end > latest[1].year:
                raise ValueError(f"claim {c.id}: window {w.start}-{w.end} ends after the latest vintage "
                                 f"({latest[0]}, {latest[1]}): no data can exist for it yet")
        return self

    @property
    def resolved_today(self) -> dt.date | None:
        """The date this file's ``today`` vintages were read as (None when not read from a file)."""
        return self._today

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)


def _where(raw: dict, loc: tuple) -> str:
    """'claim <id>, field <a.b>' for an error location inside the claims list."""
    # the unions' tags: rule.<kind>.alpha -> rule.alpha; min_decline_pct.float -> min_decline_pct
    loc = tuple(p for p in loc if p not in RULE_MODELS and p not in ("float", "int"))
    if len(loc) >= 2 and loc[0] == "claims" and isinstance(loc[1], int):
        claims = raw.get("claims") or []
        cid = claims[loc[1]].get("id", f"#{loc[1]}") if loc[1] < len(claims) and isinstance(claims[loc[1]], dict) else f"#{loc[1]}"
        field = ".".join(str(p) for p in loc[2:]) or "(entry)"
        return f"claim {cid}, field {field}"
    return "field " + (".".join(str(p) for p in loc) or "(top level)")


def _message(e: dict) -> str:
    """pydantic's message, with the offending value when it is short (``alpha: abc``)."""
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "union_tag_invalid":
        return f"unknown rule kind {e['ctx']['tag']!r} (known: {', '.join(sorted(RULE_MODELS))})"
    if e["type"] == "union_tag_not_found":
        return "Field required (the rule kind)"
    if e["type"] == "extra_forbidden":
        return "unknown parameter (misspelt?)"
    value = e.get("input")
    if e["type"] not in ("missing", "value_error") and isinstance(value, (str, int, float, bool, dt.date)):
        shown = repr(value)
        if len(shown) <= 60:
            msg += f", got {shown}"
    return msg


def source_files(claims: ClaimsFile, claims_path: Path | str | None = None) -> list[Path]:
    """The files a claims file was read from: itself, its article metadata, the article text."""
    if claims._files:
        return list(claims._files)
    path = Path(claims_path) if claims_path else seeds_dir() / "claims.yaml"
    return [path, path.parent / "article.yaml", path.parent / claims.article.text_file]


def load_claims(path: Path | str | None = None, today: dt.date | None = None) -> ClaimsFile:
    """Read and validate a claims file; ``ConfigError`` names the file, claim and field on failure.

    A vintage written ``today`` becomes ``today`` (default: ``turnover.run.today_for`` the pair)."""
    path = Path(path) if path else seeds_dir() / "claims.yaml"
    raw = read_yaml(path, "claims file")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    if isinstance(raw.get("claims"), list) and len(raw["claims"]) > MAX_CLAIMS:  # before validating any
        raise ConfigError(f"{path.name}: field claims: {len(raw['claims']):,} claims, at most {MAX_CLAIMS} "
                          "(split the file)")
    doc, files = dict(raw), [path]
    art = doc.get("article")
    if isinstance(art, str):
        art_path = path.parent / art
        doc["article"] = read_yaml(art_path, "article metadata")
        files.append(art_path)
    pair = doc.get("pair")
    today = today or today_for(pair if isinstance(pair, list) and all(isinstance(p, str) for p in pair) else None)
    vint = doc.get("vintages")
    if isinstance(vint, dict):
        doc["vintages"] = {k: today if v == "today" else v for k, v in vint.items()}
    try:
        claims = ClaimsFile.model_validate(doc)
    except ValidationError as err:
        e = err.errors()[0]
        more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
        loc = tuple(e["loc"]) + (("kind",) if e["type"].startswith("union_tag") else ())
        raise ConfigError(f"{path.name}: {_where(raw, loc)}: {_message(e)}{more}") from None
    text = path.parent / claims.article.text_file
    if text.exists() or text.is_symlink():  # a stored text is optional; if named and present it must be a file
        read_bytes(text, "article text (text_file)")
    claims._files = files + [text]
    claims._today = today
    return claims
