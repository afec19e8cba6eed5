"""The rated record every rule returns, and how per-reporter ratings combine.

``make_result`` builds the JSON-ready dict of the verdict-record contract (CONTRACTS.md).
``combine`` turns per-reporter ratings into the claim-level ``reporter="all"`` rating with the
claims file's ``combine`` rule (see ``rating``): named reporters first; figures whose reporter is
not stated decide only when no named reporter's figures can be rated, flagged and weak.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..claims import Claim, ClaimsFile
from . import rating as rating_mod
from ..text.names import name_of

VERDICTS = ("supported", "not_supported", "mixed", "insufficient_data", "not_yet_testable")
TESTABLE = ("supported", "not_supported", "mixed")
DIMENSIONS = ("reporters", "sources", "windows", "deflation")


@dataclass
class Context:
    """Everything a rule needs for one claim and one vintage."""

    panel: pd.DataFrame
    claims: ClaimsFile
    claim: Claim
    vintage: str
    as_of: pd.Timestamp
    facts: pd.DataFrame
    deflator: pd.Series | None = None
    lags: Mapping[str, int] = field(default_factory=dict)

    _cache: dict = field(default_factory=dict, repr=False)

    def points(self, reporter: str, source_kind: str | None = None) -> pd.DataFrame:
        """``series.bilateral_turnover`` for this vintage, computed once per reporter and source."""
        from .series import bilateral_turnover, pair_rows
        from .vintage import cut

        if "known" not in self._cache:
            self._cache["known"] = cut(pair_rows(self.panel, self.pair), self.as_of, self.lags)
        key = ("points", reporter, source_kind)
        if key not in self._cache:
            if source_kind is None:
                self._cache[key] = bilateral_turnover(self._cache["known"], reporter, lags=self.lags, pair=self.pair)
            else:  # points never merge across sources, so one source's points are a filter
                allp = self.points(reporter)
                self._cache[key] = allp[allp["source_kind"] == source_kind].reset_index(drop=True)
        return self._cache[key]

    def implied(self, reporter: str, source_kind: str | None = None) -> pd.DataFrame:
        """``points`` plus prior-year values implied by printed y/y changes (cached)."""
        from .series import with_implied_prior

        key = ("implied", reporter, source_kind)
        if key not in self._cache:
            self._cache[key] = with_implied_prior(self.points(reporter, source_kind))
        return self._cache[key]

    def yoy(self, reporter: str, source_kind: str | None = None) -> pd.DataFrame:
        """The comparable-period y/y table of ``implied`` points (cached)."""
        from .comparable import yoy_points

        key = ("yoy", reporter, source_kind)
        if key not in self._cache:
            self._cache[key] = yoy_points(self.implied(reporter, source_kind))
        return self._cache[key]

    @property
    def pair(self) -> tuple[str, str]:
        return tuple(self.claims.pair)

    @property
    def reporters(self) -> tuple[str, ...]:
        """Each country of the pair as reporter, then figures whose reporter is not stated."""
        return (*self.pair, "unknown")

    @property
    def anchor(self) -> pd.Timestamp:
        """The date the claim speaks about: the article date (never later than as_of)."""
        return min(pd.Timestamp(self.claims.article.date), self.as_of)

    @property
    def params(self) -> dict:
        return self.claim.rule.params


def jsonable(x):
    """Plain Python types; NaN and inf become None."""
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set)):
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


def make_result(ctx: Context, reporter: str, rating: str, *, statistic: dict | None = None,
                p_value: float | None = None, n_obs: int = 0, window: tuple[int, int] | None = None,
                data_used: list[str] | None = None, source_row_ids=(), robustness: list[dict] | None = None,
                summary: str = "", sentence: str = "", strength: str = "none", basis: str = "",
                not_checked: list[str] | None = None) -> dict:
    """One rated record (claim x vintage x reporter) in the shape of CONTRACTS.md.

    ``verdict`` is the legacy reading of the rating, kept during the transition.
    """
    rating_mod.check(rating)
    assert strength in rating_mod.STRENGTHS, strength
    w = window or (ctx.claim.window.start, ctx.claim.window.end)
    return jsonable({
        "claim_id": ctx.claim.id, "vintage": ctx.vintage, "as_of": ctx.as_of.date().isoformat(),
        "reporter": reporter, "rating": rating, "rating_label": rating_mod.label(rating),
        "rating_value": rating_mod.value(rating), "verdict": rating_mod.LEGACY[rating],
        "rule": ctx.claim.rule.kind, "window": [int(w[0]), int(w[1])],
        "statistic": {k: v for k, v in (statistic or {}).items() if v is not None},
        "p_value": p_value, "n_obs": int(n_obs), "data_used": list(data_used or []),
        "source_row_ids": sorted(set(source_row_ids)), "robustness": list(robustness or []),
        "summary": summary or sentence, "sentence": sentence or summary, "strength": strength,
        "basis": basis, "not_checked": list(not_checked or []),
    })


def robust_entry(dimension: str, agrees: bool | None, detail: str) -> dict:
    assert dimension in DIMENSIONS, dimension
    return {"dimension": dimension, "agrees": agrees, "detail": detail}


def same_side(a: str, b: str) -> bool | None:
    """Do two ratings say the same thing (both towards True, both Half true, both towards False)?"""
    va, vb = rating_mod.value(a), rating_mod.value(b)
    if va is None or vb is None:
        return None
    side = lambda v: (v > 3) - (v < 3)
    return side(va) == side(vb)


VALUED = ("reported", "estimate", "true_zero")


def coverage_note(ctx: Context, reporter: str, partner: str | None = None) -> str | None:
    """Why ``reporter``'s figures for trade with ``partner`` (the other country of the pair) are
    missing at the as-of date, else None. Three reasons that must not read alike: no statistics of
    the reporter were bundled or fetched; they were not yet published at the date (its bundled IMF
    DOTS export begins with a year first public after the date); or the statistics known then hold
    no figure for this partner. Also when every figure known starts after the statement.

    Only rows known at the as-of date and the manifest (which exports are bundled, their first
    year, the first-release rules) are used: a figure published later never changes an as-of
    result (``tests/model/test_vintage.py``)."""
    if reporter not in ctx.pair and partner is None:
        return None
    other = partner or (ctx.pair[1] if reporter == ctx.pair[0] else ctx.pair[0])
    key = ("coverage", reporter, other, ctx.as_of)
    if key in ctx._cache:
        return ctx._cache[key]
    from ..ingest.bundled import export_of
    from ..text.names import possessive
    from .vintage import cut

    p = ctx.panel
    own = cut(p[(p["reporter"] == reporter) & p["status"].isin(VALUED)], ctx.as_of, ctx.lags)
    pair = own[((own["country"] == reporter) & (own["partner"] == other))
               | ((own["country"] == other) & (own["partner"] == reporter))]
    export = export_of(reporter)
    who, day = name_of(reporter), ctx.as_of.date()
    if len(pair):
        if (pair["period_end"] <= ctx.anchor).any():
            note = None
        else:
            note = (f"{possessive(who)} figures for trade with {name_of(other)} start with "
                    f"{pair['period_end'].min().year}, after the statement ({ctx.anchor.date()})")
    elif export is None and own.empty:
        note = (f"no statistics of {who} are bundled or fetched (no IMF DOTS export for {who} among the bundled "
                f"files, no live snapshot known at {day}; --online asks UN Comtrade, the IMF and WITS)")
    elif export is not None and export["first_public"] is not None and export["first_public"] > ctx.as_of:
        note = (f"not yet published at {day}: {possessive(who)} IMF DOTS figures begin with {export['first_year']}, "
                f"first public by about {export['first_public'].date()}")
    else:
        kinds = sorted(set(own["source_kind"])) or ["imf_dots"]
        note = f"{possessive(who)} statistics known at {day} ({', '.join(kinds)}) hold no figure for trade with {name_of(other)}"
    ctx._cache[key] = note
    return note


def vintage_phrase(ctx: Context) -> str:
    """'As of 31 May 2016' or 'With data known today (30 November 2026)'."""
    d = ctx.as_of
    when = f"{d.day} {d:%B %Y}"
    return f"With data known today ({when})" if ctx.vintage == "today" else f"As of {when}"


def rating_sentence(ctx: Context, rating: str, body: str) -> str:
    """'As of 31 May 2016: true — <body>.' (one sentence; body holds the decisive numbers)."""
    text = f"{vintage_phrase(ctx)}: {rating_mod.label(rating).lower()} — {body.strip().rstrip('.')}."
    return text


def sentence_body_of(res: dict) -> str:
    """A record's sentence without its 'As of ...: rating — ' head."""
    return res["sentence"].split(" — ", 1)[-1].rstrip(".")


def combine(ctx: Context, per: dict[str, dict], *, sentence_body: str | None = None,
            named: tuple[str, ...] | None = None, what: str = "reporter") -> dict:
    """The claim-level (``reporter="all"``) record from per-reporter (or per-country) records.

    The claims file's ``combine`` rule (``rating.combine_ratings``) applies to the *named*
    reporters' rated results (default: the pair). A named reporter that cannot be checked is
    left out and listed in ``not_checked``. Figures whose reporter is not stated decide only
    when no named reporter's figures can be rated, and then the strength is at most weak.
    """
    how = str(ctx.params.get("combine", "mean"))
    named = tuple(named or ctx.pair)
    rated = {r: res for r, res in per.items() if r in named and res["rating"] in rating_mod.RATED}
    not_checked = [f"{name_of(r)}: {res['rating_label'].lower()}" for r, res in per.items()
                   if r in named and r not in rated]
    for r, res in per.items():
        if r in named:
            not_checked += [f"{name_of(r)}: {x}" for x in res.get("not_checked", []) if x not in not_checked]
    if rated:
        rating = rating_mod.combine_ratings([res["rating"] for res in rated.values()], how)
        basis_rs = rated
        strength = rating_mod.weakest(res["strength"] for res in rated.values())
        if len(rated) < len(named) and strength == "strong":
            strength = "moderate"
        basis = " and ".join(res["basis"] for res in rated.values())
        if len(rated) > 1:
            basis += f" ({how} of {len(rated)} {what}s' ratings: " + ", ".join(
                f"{name_of(r)} {res['rating_label']}" for r, res in rated.items()) + ")"
    elif "unknown" in per and per["unknown"]["rating"] in rating_mod.RATED:
        basis_rs = {"unknown": per["unknown"]}
        rating = per["unknown"]["rating"]
        strength = "weak" if per["unknown"]["strength"] != "none" else "none"
        basis = f"FLAGGED: only figures whose reporter is not stated ({per['unknown']['basis']}); no named {what}'s figures could be rated"
    else:
        basis_rs = {}
        rating = rating_mod.combine_ratings([res["rating"] for res in per.values()], how)
        strength, basis = "none", f"no {what}'s figures could be rated"
    rob = _combined_robustness(per, rated, what)
    basis_list = list(basis_rs.values())
    body = sentence_body if sentence_body is not None else "; ".join(
        sentence_body_of(res) for res in basis_list) or basis
    ids = {i for res in basis_list for i in res["source_row_ids"]}
    stat = {f"{r}": {"rating": res["rating"], "strength": res["strength"], **res["statistic"]} for r, res in per.items()}
    return make_result(
        ctx, "all", rating, statistic=stat,
        p_value=basis_list[0]["p_value"] if len(basis_list) == 1 else None,
        n_obs=sum(res["n_obs"] for res in basis_list),
        window=tuple(basis_list[0]["window"]) if basis_list else None,
        data_used=[d for res in basis_list for d in res["data_used"]], source_row_ids=ids, robustness=rob,
        sentence=rating_sentence(ctx, rating, body), strength=strength, basis=basis, not_checked=not_checked,
        summary=rating_sentence(ctx, rating, body) + " Per " + what + ": " + "; ".join(
            f"{name_of(r)} {res['rating_label']}" for r, res in per.items()) + ".")


def _combined_robustness(per: dict[str, dict], rated: dict[str, dict], what: str) -> list[dict]:
    out = []
    ratings = {r: res["rating"] for r, res in rated.items()}
    if len(ratings) >= 2:
        vals = list(ratings.values())
        agrees = all(same_side(vals[0], v) for v in vals[1:])
        out.append(robust_entry("reporters", agrees, ", ".join(
            f"{name_of(r)} {rating_mod.label(v)} ({rated[r]['strength']})" for r, v in ratings.items())))
    else:
        out.append(robust_entry("reporters", None, f"only {len(ratings)} named {what} rated: "
                                + (", ".join(f"{name_of(r)} {rating_mod.label(v)}" for r, v in ratings.items()) or "none")))
    for dim in DIMENSIONS[1:]:
        entries = [(r, e) for r, res in rated.items() for e in res["robustness"] if e["dimension"] == dim]
        if not entries:
            continue
        known = [e["agrees"] for _, e in entries if e["agrees"] is not None]
        agrees = None if not known else all(known)
        out.append(robust_entry(dim, agrees, "; ".join(f"{name_of(r)}: {e['detail']}" for r, e in entries)))
    return out
