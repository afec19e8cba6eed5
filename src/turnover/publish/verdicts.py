"""``reports/verdicts.json``: the results as schema.org ClaimReview objects, plus the raw results.

One ClaimReview per result of a *statement* (claim x vintage x reporter), in a JSON-LD ``@graph``; its
``reviewRating`` carries the rating (ratingValue 5 True .. 1 False, bestRating 5, worstRating 1,
alternateName the label; no ratingValue for Cannot be checked / Not yet testable). The raw
``results`` list stays at the top level: ``refresh`` reads it to find flipped verdicts.
The claims file's *questions* (``kind: question``) are no ClaimReviews: ``questions`` lists each with
its question, the quote that prompted it and its findings per vintage (the claim-level result's
finding in words, no rating); their raw results (with the rule's grade) stay in ``results``.
``evidence`` holds, per result ("claim/vintage/reporter"), the typed part of the verdict it was
rendered from (facts, phrases, the tables the rule used): the report's notebooks rebuild the
verdicts from it (``model.results.from_evidence``) and chart those tables.
The speaker's name is the part of ``article.speaker`` before the first comma.
"""

from __future__ import annotations

import datetime as dt
import json

from ..claims import ClaimsFile
from ..run import today_for
from ..model import rating as rating_mod
from ..text.badges import reporter_label, vintage_label

REPORT_FILE = "turnover-report.html"


def _appearance(claims: ClaimsFile) -> dict:
    a = claims.article
    doc = {"@type": "NewsArticle", "headline": a.title_as_printed, "alternativeHeadline": a.title_en,
           "publisher": {"@type": "Organization", "name": a.outlet},
           "datePublished": a.date.isoformat(), "inLanguage": a.language}
    if a.url:
        doc["url"] = a.url
    return doc


def claim_review(claims: ClaimsFile, result: dict, reviewed_on: dt.date) -> dict:
    c = claims.claim(result["claim_id"])
    a = claims.article
    r = result.get("rating") or "cannot_be_checked"
    rating = {"@type": "Rating", "alternateName": rating_mod.label(r), "name": rating_mod.label(r),
              "ratingExplanation": result.get("sentence") or "",
              "bestRating": rating_mod.BEST, "worstRating": rating_mod.WORST}
    if rating_mod.value(r) is not None:  # Cannot be checked / Not yet testable rate nothing
        rating["ratingValue"] = rating_mod.value(r)
    return {
        "@type": "ClaimReview",
        "identifier": f"{c.id}/{result.get('vintage')}/{result.get('reporter')}",
        "url": f"{REPORT_FILE}#{c.id}",
        "claimReviewed": c.quote_en,
        "description": (f"{c.claim} Verdict {vintage_label(result.get('vintage', '?'), result.get('as_of'))}, "
                        f"{reporter_label(result.get('reporter'))}."),
        "datePublished": reviewed_on.isoformat(),
        "temporalCoverage": f"{c.window.start}/{c.window.end}",
        "author": {"@type": "Organization", "name": "turnover"},
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "text": c.quote_ru or c.quote_en,
            "inLanguage": a.language,
            "author": {"@type": "Person", "name": a.speaker.split(",")[0].strip(), "description": a.speaker},
            "datePublished": a.date.isoformat(),
            "appearance": _appearance(claims),
        },
    }


def _plain(obj):
    """json.dumps fallback for numpy scalars, dates and sets that models may leave in results."""
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, (dt.date, dt.datetime)) or type(obj).__name__ == "Timestamp":
        return obj.isoformat()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


def jsonable(results: list[dict]) -> list[dict]:
    return json.loads(json.dumps(results, default=_plain))


def questions(claims: ClaimsFile, results: list[dict]) -> list[dict]:
    """The claims file's questions with their findings: per vintage, the claim-level result's
    finding in words (no rating and no ClaimReview: nobody said it)."""
    out = []
    for c in claims.questions:
        found = [{"vintage": r.get("vintage"), "as_of": r.get("as_of"), "finding": r.get("finding") or r.get("sentence") or ""}
                 for r in results if r.get("claim_id") == c.id and r.get("reporter") == "all"]
        out.append({"id": c.id, "question": c.question, "prompted_by": c.quote_en, "tested_as": c.claim,
                    "url": f"{REPORT_FILE}#{c.id}", "findings": jsonable(found)})
    return out


def document(claims: ClaimsFile, results: list, reviewed_on: dt.date | None = None) -> dict:
    """The whole ``verdicts.json``: JSON-LD graph of ClaimReviews, article, pair, vintages, results
    and, when ``results`` were rendered from typed verdicts (``model.evaluate``, or the verdicts
    themselves), their evidence."""
    from ..model.results import Verdict, evidence
    from ..text.render import records

    if results and all(isinstance(r, Verdict) for r in results):
        results = records(results)
    reviewed_on = reviewed_on or claims.resolved_today or today_for(claims.pair)
    rated = {c.id for c in claims.statements}
    doc = {
        "@context": "https://schema.org",
        "@graph": [claim_review(claims, r, reviewed_on) for r in results if r.get("claim_id") in rated],
        "questions": questions(claims, results),
        "article": claims.article.model_dump(mode="json"),
        "pair": list(claims.pair),
        "vintages": {k: v.isoformat() for k, v in claims.vintages.items()},
        "results": jsonable(results),
    }
    typed = getattr(results, "verdicts", None)
    if typed is not None:
        doc["evidence"] = {v.key: evidence(v) for v in typed}
    return doc
