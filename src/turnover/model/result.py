"""What a rule sees (``Context``), the verdict it returns, and how per-reporter verdicts combine.

``verdict`` builds one typed ``results.Verdict`` (no English: ``turnover.text`` renders it).
``combine`` turns per-reporter verdicts into the claim-level ``reporter="all"`` verdict with the
claims file's ``combine`` rule (see ``rating``): named reporters first; figures whose reporter is
not stated decide only when no named reporter's figures can be rated, flagged and weak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping

import pandas as pd

from ..claims import Claim, ClaimsFile
from . import rating as rating_mod
from .results import DIMENSIONS, Check, CombinedFacts, Phrase, Verdict, jsonable, phrase  # noqa: F401


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
    rates: pd.DataFrame | None = None  # the central banks' official exchange rates (``ingest.rates.load``)

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
    def rule(self):
        """The claim's typed rule (``turnover.claims.rules``): every parameter with its default."""
        return self.claim.rule


def verdict(ctx: Context, reporter: str, rating: str, *, facts, basis: Phrase, statistic: dict | None = None,
            p_value: float | None = None, n_obs: int = 0, window: tuple[int, int] | None = None,
            data_used: list[Phrase] | None = None, source_row_ids=(), robustness: list[Check] | None = None,
            strength: str = "none", not_checked: list[Phrase] | None = None,
            tables: dict[str, pd.DataFrame] | None = None) -> Verdict:
    """One typed verdict (claim x vintage x reporter); ``statistic`` drops its missing values."""
    rating_mod.check(rating)
    assert strength in rating_mod.STRENGTHS, strength
    w = window or (ctx.claim.window.start, ctx.claim.window.end)
    return Verdict(
        claim_id=ctx.claim.id, vintage=ctx.vintage, as_of=ctx.as_of, anchor=ctx.anchor, reporter=reporter,
        rule=ctx.claim.rule.kind, rating=rating, strength=strength, window=(int(w[0]), int(w[1])), facts=facts,
        basis=basis, statistic=jsonable({k: v for k, v in (statistic or {}).items() if v is not None}),
        p_value=jsonable(p_value), n_obs=int(n_obs), source_row_ids=tuple(sorted(set(source_row_ids))),
        robustness=list(robustness or []), not_checked=list(not_checked or []), data_used=list(data_used or []),
        tables=dict(tables or {}))


VALUED = ("reported", "estimate", "true_zero")


def coverage_note(ctx: Context, reporter: str, partner: str | None = None) -> Phrase | None:
    """Why ``reporter``'s figures for trade with ``partner`` (the other country of the pair) are
    missing at the as-of date, else None. Three reasons that must not read alike: no statistics of
    the reporter were bundled or fetched (``not_bundled``); they were not yet published at the date
    (``not_yet_published``: its bundled IMF DOTS export begins with a year first public after the
    date); or the statistics known then hold no figure for this partner (``no_partner_figures``).
    Also when every figure known starts after the statement (``figures_start_after``).

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
    from .vintage import cut

    p = ctx.panel
    own = cut(p[(p["reporter"] == reporter) & p["status"].isin(VALUED)], ctx.as_of, ctx.lags)
    pair = own[((own["country"] == reporter) & (own["partner"] == other))
               | ((own["country"] == other) & (own["partner"] == reporter))]
    export = export_of(reporter)
    day = ctx.as_of.date().isoformat()
    if len(pair):
        if (pair["period_end"] <= ctx.anchor).any():
            note = None
        else:
            note = phrase("figures_start_after", reporter=reporter, other=other,
                          first_year=int(pair["period_end"].min().year), anchor=ctx.anchor.date().isoformat())
    elif export is None and own.empty:
        note = phrase("not_bundled", reporter=reporter, day=day)
    elif export is not None and export["first_public"] is not None and export["first_public"] > ctx.as_of:
        note = phrase("not_yet_published", reporter=reporter, day=day, first_year=int(export["first_year"]),
                      first_public=pd.Timestamp(export["first_public"]).date().isoformat())
    else:
        note = phrase("no_partner_figures", reporter=reporter, other=other, day=day,
                      kinds=sorted(set(own["source_kind"])) or ["imf_dots"])
    ctx._cache[key] = note
    return note


def robust_entry(dimension: str, agrees: bool | None, detail: Phrase) -> Check:
    return Check(dimension, agrees, detail)


def same_side(a: str, b: str) -> bool | None:
    """Do two ratings say the same thing (both towards True, both Half true, both towards False)?"""
    va, vb = rating_mod.value(a), rating_mod.value(b)
    if va is None or vb is None:
        return None
    side = lambda v: (v > 3) - (v < 3)
    return side(va) == side(vb)


def combine(ctx: Context, per: dict[str, Verdict], *, named: tuple[str, ...] | None = None,
            what: str = "reporter", joined: str = "basis") -> Verdict:
    """The claim-level (``reporter="all"``) verdict from per-reporter (or per-country) verdicts.

    The claims file's ``combine`` rule (``rating.combine_ratings``) applies to the *named*
    reporters' rated results (default: the pair). A named reporter that cannot be checked is
    left out and listed in ``not_checked``. Figures whose reporter is not stated decide only
    when no named reporter's figures can be rated, and then the strength is at most weak.
    ``joined`` says how ``turnover.text`` words the claim's finding (``results.CombinedFacts``).
    """
    how = ctx.rule.combine
    named = tuple(named or ctx.pair)
    rated = {r: v for r, v in per.items() if r in named and v.rating in rating_mod.RATED}
    not_checked = [phrase("about", who=r, what=phrase("rating_lower", rating=v.rating)) for r, v in per.items()
                   if r in named and r not in rated]
    for r, v in per.items():
        if r in named:
            not_checked += [phrase("about", who=r, what=n) for n in v.not_checked]
    flagged = False
    if rated:
        rating = rating_mod.combine_ratings([v.rating for v in rated.values()], how)
        basis_rs = rated
        strength = rating_mod.weakest(v.strength for v in rated.values())
        if len(rated) < len(named) and strength == "strong":
            strength = "moderate"
        basis = phrase("combined_basis", parts=[v.basis for v in rated.values()], how=how, what=what,
                       ratings=[[r, v.rating] for r, v in rated.items()])
    elif "unknown" in per and per["unknown"].rating in rating_mod.RATED:
        basis_rs = {"unknown": per["unknown"]}
        rating = per["unknown"].rating
        strength = "weak" if per["unknown"].strength != "none" else "none"
        basis = phrase("flagged_basis", basis=per["unknown"].basis, what=what)
        flagged = True
    else:
        basis_rs = {}
        rating = rating_mod.combine_ratings([v.rating for v in per.values()], how)
        strength, basis = "none", phrase("none_rated", what=what)
    basis_list = list(basis_rs.values())
    stat = {r: {"rating": v.rating, "strength": v.strength, **v.statistic} for r, v in per.items()}
    out = verdict(
        ctx, "all", rating, statistic=stat,
        facts=CombinedFacts(how=how, what=what, named=list(named), rated=list(rated), basis_of=list(basis_rs),
                            flagged=flagged, joined=joined),
        p_value=basis_list[0].p_value if len(basis_list) == 1 else None,
        n_obs=sum(v.n_obs for v in basis_list),
        window=tuple(basis_list[0].window) if basis_list else None,
        data_used=[d for v in basis_list for d in v.data_used],
        source_row_ids={i for v in basis_list for i in v.source_row_ids},
        robustness=_combined_robustness(rated, what), strength=strength, basis=basis, not_checked=not_checked)
    out.parts = dict(per)
    return out


def _combined_robustness(rated: dict[str, Verdict], what: str) -> list[Check]:
    out = []
    ratings = {r: v.rating for r, v in rated.items()}
    if len(ratings) >= 2:
        vals = list(ratings.values())
        agrees = all(same_side(vals[0], v) for v in vals[1:])
        out.append(robust_entry("reporters", agrees, phrase(
            "reporters_agree", ratings=[[r, v, rated[r].strength] for r, v in ratings.items()])))
    else:
        out.append(robust_entry("reporters", None, phrase(
            "only_rated", n=len(ratings), what=what, ratings=[[r, v] for r, v in ratings.items()])))
    for dim in DIMENSIONS[1:]:
        entries = [(r, e) for r, v in rated.items() for e in v.robustness if e.dimension == dim]
        if not entries:
            continue
        known = [e.agrees for _, e in entries if e.agrees is not None]
        agrees = None if not known else all(known)
        out.append(robust_entry(dim, agrees, phrase("per_reporter", items=[[r, e.detail] for r, e in entries])))
    return out
