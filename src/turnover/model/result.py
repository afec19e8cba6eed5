"""The verdict record every rule returns, and how per-reporter verdicts combine.

``make_result`` builds the JSON-ready dict of the contract with ``refresh.py``.
``combine`` turns per-reporter verdicts into the claim-level ``reporter="all"`` verdict:
identified reporters (the pair's two countries) first; only when neither can be tested does it fall back,
flagged as fragile, to figures whose reporter is not stated, then to the pooled reading.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..claims import Claim, ClaimsFile

VERDICTS = ("supported", "not_supported", "mixed", "insufficient_data", "not_yet_testable")
TESTABLE = ("supported", "not_supported", "mixed")


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
    if isinstance(x, (pd.Timestamp, dt.date)):
        return x.date().isoformat() if isinstance(x, pd.Timestamp) else x.isoformat()
    if x is pd.NaT or (x is not None and not isinstance(x, (str, bool, int)) and pd.isna(x)):
        return None
    return x


def make_result(ctx: Context, reporter: str, verdict: str, *, statistic: dict | None = None,
                p_value: float | None = None, n_obs: int = 0, window: tuple[int, int] | None = None,
                data_used: list[str] | None = None, source_row_ids=(), robustness: dict | None = None,
                summary: str = "") -> dict:
    """One verdict record (claim x vintage x reporter) in the shape refresh.py publishes."""
    assert verdict in VERDICTS, verdict
    w = window or (ctx.claim.window.start, ctx.claim.window.end)
    return jsonable({
        "claim_id": ctx.claim.id, "vintage": ctx.vintage, "as_of": ctx.as_of.date().isoformat(),
        "reporter": reporter, "verdict": verdict, "rule": ctx.claim.rule.kind, "window": [int(w[0]), int(w[1])],
        "statistic": {k: v for k, v in (statistic or {}).items() if v is not None},
        "p_value": p_value, "n_obs": int(n_obs), "data_used": list(data_used or []),
        "source_row_ids": sorted(set(source_row_ids)), "robustness": robustness or {"label": "untested"},
        "summary": summary,
    })


def robustness_label(main: str, variants: Mapping[str, str]) -> str:
    """'robust' if every testable variant agrees with the main verdict, 'fragile' if one
    does not, 'untested' if the main verdict or all variants are untestable."""
    if main not in TESTABLE:
        return "untested"
    tested = [v for v in variants.values() if v in TESTABLE]
    if not tested:
        return "untested"
    return "robust" if all(v == main for v in tested) else "fragile"


def combine(ctx: Context, per_reporter: dict[str, dict], pooled: dict | None = None,
            what: str = "reporters") -> dict:
    """The claim-level ("all") verdict from per-reporter results (see module doc)."""
    named = {r: res for r, res in per_reporter.items() if r in ctx.pair}
    testable = {r: res for r, res in named.items() if res["verdict"] in TESTABLE}
    verdicts = {r: res["verdict"] for r, res in per_reporter.items()}
    rob = {"by_reporter": verdicts}
    if pooled is not None:
        rob["pooled_reading"] = f"{pooled['verdict']} (all reporters as one series; flagged, not used when a named reporter is testable)"
    if testable:
        vs = set(res["verdict"] for res in testable.values())
        verdict = vs.pop() if len(vs) == 1 else "mixed"
        basis = list(testable.values())
        labels = [res["robustness"].get("label") for res in basis]
        if len(testable) < len(named):
            rob["label"] = "fragile"
            rob["why"] = f"rests on {', '.join(testable)} only; {', '.join(sorted(set(named) - set(testable)))} not testable"
        elif verdict == "mixed":
            rob["label"], rob["why"] = "fragile", f"{what} disagree"
        else:
            rob["label"] = "robust" if all(l == "robust" for l in labels) else "fragile"
            rob["why"] = f"{what} agree; per-{what[:-1]} robustness: {', '.join(map(str, labels))}"
        basis_text = "; ".join(f"{r}: {res['summary']}" for r, res in testable.items())
    else:
        fallback = [res for r, res in per_reporter.items() if r == "unknown" and res["verdict"] in TESTABLE]
        if not fallback and pooled is not None and pooled["verdict"] in TESTABLE:
            fallback = [pooled]
        if fallback:
            basis = fallback
            verdict = fallback[0]["verdict"]
            src = "figures whose reporter is not stated" if fallback[0] is not pooled else "all reporters pooled"
            rob["label"] = "fragile"
            rob["why"] = f"no named {what[:-1]} testable; verdict rests on {src} (flagged)"
            named_txt = "; ".join(res["summary"] for res in named.values())
            basis_text = (f"FLAGGED (no named reporter testable) — {fallback[0]['summary']}"
                          + (f"; for comparison, {named_txt}" if named_txt else ""))
        else:
            basis = list(per_reporter.values())
            waiting = all(res["verdict"] == "not_yet_testable" for res in basis)
            verdict = "not_yet_testable" if waiting else "insufficient_data"
            rob["label"], rob["why"] = "untested", f"no {what[:-1]} testable"
            basis_text = "; ".join(f"{r}: {res['summary']}" for r, res in per_reporter.items())
    first = basis[0] if basis else {}
    ids = {i for res in basis for i in res["source_row_ids"]}
    data_used = [d for res in basis for d in res["data_used"]]
    res = make_result(ctx, "all", verdict, statistic=dict(first.get("statistic", {})),
                      p_value=first.get("p_value") if len(basis) == 1 else None,
                      n_obs=sum(r["n_obs"] for r in basis), window=tuple(first.get("window") or ()) or None,
                      data_used=data_used, source_row_ids=ids, robustness=rob,
                      summary=f"Overall {verdict.replace('_', ' ')} — {basis_text}")
    return res
