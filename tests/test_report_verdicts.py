"""verdicts.json: schema.org ClaimReview per result, raw results kept for the change summary."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from turnover import verdicts


def _results(claims):
    out = []
    for c in claims.claims:
        for v in c.vintages:
            out.append({"claim_id": c.id, "vintage": v, "as_of": claims.vintages[v].isoformat(),
                        "reporter": "all", "verdict": "mixed", "summary": f"{c.id} {v}",
                        "p_value": np.float64(0.12), "n_obs": np.int64(4), "window": [2012, 2016]})
    return out


def test_one_claim_review_per_result_with_the_verdict_as_alternate_name(claims):
    results = _results(claims)
    doc = verdicts.document(claims, results, reviewed_on=dt.date(2026, 11, 25))
    reviews = doc["@graph"]
    assert doc["@context"] == "https://schema.org" and len(reviews) == len(results)
    for review, r in zip(reviews, results):
        c = claims.claim(r["claim_id"])
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == c.quote_en
        assert review["datePublished"] == "2026-11-25"
        assert review["reviewRating"]["alternateName"] == r["verdict"]
        assert review["reviewRating"]["ratingExplanation"] == r["summary"]
        assert review["url"].endswith(f"#{c.id}")
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["text"] == c.quote_ru
        assert item["author"]["name"] == "Alexander Lukashenko"
        assert item["appearance"]["datePublished"] == claims.article.date.isoformat()
        assert item["appearance"]["publisher"]["name"] == claims.article.outlet


def test_raw_results_stay_at_the_top_level_and_serialise(claims):
    results = _results(claims)
    doc = verdicts.document(claims, results, reviewed_on=dt.date(2026, 11, 25))
    back = json.loads(json.dumps(doc))  # numpy scalars from models must not break the file
    assert [r["verdict"] for r in back["results"]] == [r["verdict"] for r in results]
    assert back["results"][0]["p_value"] == 0.12 and back["results"][0]["n_obs"] == 4
    assert back["article"]["date"] == "2016-05-31" and back["pair"] == ["BLR", "KAZ"]


def test_unrated_verdicts_carry_no_rating_value(claims):
    r = dict(_results(claims)[0], verdict="insufficient_data")
    review = verdicts.claim_review(claims, r, dt.date(2026, 11, 25))
    assert "ratingValue" not in review["reviewRating"]
    r["verdict"] = "supported"
    assert verdicts.claim_review(claims, r, dt.date(2026, 11, 25))["reviewRating"]["ratingValue"] == 5
