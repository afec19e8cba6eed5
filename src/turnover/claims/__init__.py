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
    "event_record": "a dated event (talks, an agreement, a signing) in official records",
}
RULE_KINDS = set(RULE_MODELS)
DATA_KINDS = {
    "bilateral_turnover", "bilateral_flows", "partner_turnover", "partner_share", "partner_rank",
    "currency_devaluation", "oil_price", "event_records",
}
KINDS = ("statement", "question")  # what a claims entry is: words someone said (rated), or an analyst's question


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
    """One entry of the claims file. ``kind: statement`` (the default): words someone said or wrote,
    quoted whole in ``quote_en``, rated on the fact-checkers' scale (a ClaimReview). ``kind: question``:
    an analyst's question (``question``, in plain words) about the same trade, answered with a finding
    in the report's Context part and never rated beside a quote; ``quote_en`` is the quote that
    prompted it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["statement", "question"] = "statement"
    question: Text | None = Field(None, min_length=1)  # a question's question in plain words (questions only)
    quote_en: Text = Field(min_length=1)           # the statement in English (shown and reviewed)
    quote_ru: Text | None = Field(None, min_length=1)  # as printed, when the article is not in English
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

    @model_validator(mode="after")
    def _question_words(self):
        if self.kind == "question" and not self.question:
            raise ValueError("a question needs its question in plain words (field question)")
        if self.kind == "statement" and self.question is not None:
            raise ValueError("field question is for kind: question (a statement is rated as quoted)")
        return self

    @property
    def is_statement(self) -> bool:
        return self.kind == "statement"


class Article(_Strict):
    """The article file (``article.yaml``). Required: ``outlet``, ``title_en`` (the English title, or
    the title itself for an English article), ``date``, ``url`` (``http(s)``, or ``null`` with
    ``url_note``), ``language``, ``speaker`` (before the first comma: the ClaimReview author).
    Optional: ``id`` (a label of your own), ``title_ru`` (the title as printed, for an article
    in Russian, Kazakh or Belarusian), ``url_note``, ``text_file`` (a stored copy of the text)."""

    id: Line | None = None
    outlet: Line
    title_en: Line
    title_ru: Line | None = None
    date: dt.date
    url: Line | None = Field(pattern=r"^https?://[^\s<>\"']+$")  # a live link in the report: http(s) only
    url_note: Text | None = None
    language: Literal["ru", "en", "kk", "be"]
    text_file: Line | None = None
    speaker: Line

    @property
    def title_as_printed(self) -> str:
        """The title in the article's own language (the English one for an English article)."""
        return self.title_ru or self.title_en


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

    def reporters(self) -> list[str]:
        """Whose own statistics the rules read: the pair, then every country a rule names in
        ``countries`` (partner ranks, currency shocks). A partner named in a rule is read from
        these countries' statistics (each DOTS export holds every partner), not from its own."""
        out = list(self.pair)
        for c in self.claims:
            out += list(getattr(c.rule, "countries", None) or [])
        return list(dict.fromkeys(out))

    def partners(self) -> list[str]:
        """Every partner a rule names (e.g. Russia and Ukraine in a partner rank)."""
        out: list[str] = []
        for c in self.claims:
            out += list(getattr(c.rule, "partners", None) or [])
        return list(dict.fromkeys(p for p in out if p not in self.pair))

    @property
    def resolved_today(self) -> dt.date | None:
        """The date this file's ``today`` vintages were read as (None when not read from a file)."""
        return self._today

    @property
    def statements(self) -> list[Claim]:
        """The entries rated on the fact-checkers' scale (words someone said), in file order."""
        return [c for c in self.claims if c.kind == "statement"]

    @property
    def questions(self) -> list[Claim]:
        """The analyst's questions (findings in the report's Context part, never rated), in file order."""
        return [c for c in self.claims if c.kind == "question"]

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
    out = [path, path.parent / "article.yaml"]
    return out + ([path.parent / claims.article.text_file] if claims.article.text_file else [])


def _check_codes(raw: dict, path: Path) -> None:
    """Every country code (the pair, a rule's ``countries``, ``partners`` and known breaks'
    ``reporters``) must be one the country table knows: ``ConfigError`` with the nearest match,
    e.g. "claims.yaml: pair: KZ: not an ISO3 code — did you mean KAZ?"."""
    from ..countries.codes import country_problem

    def bad(codes, where: str, indexed: bool = False) -> None:
        if not isinstance(codes, (list, tuple)):
            return  # the schema says what is wrong with the shape
        for k, code in enumerate(codes):
            # in a rule, only what looks like a code or a name gets the hint; anything else (markup,
            # digits) is left to the schema's ISO3 pattern error
            if indexed and not (isinstance(code, str) and code.replace(" ", "").isalpha()):
                continue
            why = country_problem(code)
            if why:
                raise ConfigError(f"{path.name}: {where}{f'.{k}' if indexed else ''}: {why}")

    pair = raw.get("pair")
    bad(pair, "pair")
    if isinstance(pair, (list, tuple)) and len(pair) == 2 and pair[0] == pair[1]:
        raise ConfigError(f"{path.name}: pair: {pair[0]} twice (a pair is two different countries)")
    def listed(value) -> list:
        return value if isinstance(value, list) else []  # any other shape is the schema's to name

    for i, c in enumerate(listed(raw.get("claims"))):
        if not isinstance(c, dict) or not isinstance(c.get("rule"), dict):
            continue
        cid = c.get("id", f"#{i}")
        for field in ("countries", "partners"):
            bad(c["rule"].get(field), f"claim {cid}, field rule.{field}", indexed=True)
        for j, b in enumerate(listed(c["rule"].get("known_breaks"))):
            if isinstance(b, dict):
                bad(b.get("reporters"), f"claim {cid}, field rule.known_breaks.{j}.reporters", indexed=True)


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
    _check_codes(raw, path)
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
    if claims.article.text_file:
        text = path.parent / claims.article.text_file
        if text.exists() or text.is_symlink():  # a stored text is optional; if named and present it must be a file
            read_bytes(text, "article text (text_file)")
        files.append(text)
    claims._files = files
    claims._today = today
    return claims
