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
                        "reporter": "all", "verdict": "mixed", "rating": "half_true", "summary": f"{c.id} {v}",
                        "sentence": f"As of {v}: half true — {c.id}.",
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
        rating = review["reviewRating"]
        assert rating["alternateName"] == "Half true" and rating["ratingValue"] == 3
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert rating["ratingExplanation"] == r["sentence"]
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


def test_unrated_results_carry_no_rating_value(claims):
    for unrated in ("cannot_be_checked", "not_yet_testable"):
        r = dict(_results(claims)[0], rating=unrated)
        review = verdicts.claim_review(claims, r, dt.date(2026, 11, 25))
        assert "ratingValue" not in review["reviewRating"]
    r["rating"] = "true"
    assert verdicts.claim_review(claims, r, dt.date(2026, 11, 25))["reviewRating"]["ratingValue"] == 5


def _schema_org_loader(url, options=None):
    """Offline stand-in for the schema.org context: every term in the schema.org vocabulary."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}}}


def test_claim_reviews_expand_as_json_ld_with_the_rating_fields(claims, bundled_panel):
    from pyld import jsonld

    from turnover.model import evaluate

    doc = verdicts.document(claims, evaluate(bundled_panel, claims), reviewed_on=dt.date(2026, 11, 25))
    graph = {"@context": doc["@context"], "@graph": doc["@graph"]}
    expanded = jsonld.expand(json.loads(json.dumps(graph)), {"documentLoader": _schema_org_loader})
    s = "https://schema.org/"
    reviews = [n for n in expanded if n.get("@type") == [s + "ClaimReview"]]
    assert len(reviews) == len(doc["results"])
    for node, r in zip(reviews, doc["results"]):
        rating = node[s + "reviewRating"][0]
        assert rating["@type"] == [s + "Rating"]
        assert rating[s + "bestRating"][0]["@value"] == 5 and rating[s + "worstRating"][0]["@value"] == 1
        assert rating[s + "alternateName"][0]["@value"] == r["rating_label"]
        if r["rating_value"] is None:
            assert s + "ratingValue" not in rating
        else:
            assert rating[s + "ratingValue"][0]["@value"] == r["rating_value"]
