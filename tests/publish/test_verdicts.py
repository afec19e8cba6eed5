"""verdicts.json: schema.org ClaimReview per result, raw results kept for the change summary."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from turnover.publish import verdicts


def _results(claims):
    out = []
    for c in claims.claims:
        for v in c.vintages:
            out.append({"claim_id": c.id, "vintage": v, "as_of": claims.vintages[v].isoformat(),
                        "reporter": "all", "rating": "half_true",
                        "sentence": f"As of {v}: half true — {c.id}.",
                        "p_value": np.float64(0.12), "n_obs": np.int64(4), "window": [2012, 2016]})
    return out


def test_one_claim_review_per_result_with_the_verdict_as_alternate_name(claims):
    results = _results(claims)
    doc = verdicts.document(claims, results, reviewed_on=dt.date(2026, 11, 25))
    reviews = doc["@graph"]
    said = [r for r in results if claims.claim(r["claim_id"]).kind == "statement"]  # issue 21: statements only
    assert doc["@context"] == "https://schema.org" and len(reviews) == len(said) < len(results)
    for review, r in zip(reviews, said):
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
    assert [r["rating"] for r in back["results"]] == [r["rating"] for r in results]
    assert back["results"][0]["p_value"] == 0.12 and back["results"][0]["n_obs"] == 4
    assert back["article"]["date"] == "2016-05-31" and back["pair"] == ["BLR", "KAZ"]


def test_unrated_results_carry_no_rating_value(claims):
    for unrated in ("cannot_be_checked", "not_yet_testable"):
        r = dict(_results(claims)[0], rating=unrated)
        review = verdicts.claim_review(claims, r, dt.date(2026, 11, 25))
        assert "ratingValue" not in review["reviewRating"]
    r["rating"] = "true"
    assert verdicts.claim_review(claims, r, dt.date(2026, 11, 25))["reviewRating"]["ratingValue"] == 5


# --- ClaimReview against the schema.org definitions (https://schema.org/ClaimReview, /Claim, /Rating,
# /NewsArticle): only properties those types define, with the value types they expect; expected values
# read from the raw seeds files and pyproject.toml, not from the objects the code builds. ---------------

import tomllib  # noqa: E402

import yaml  # noqa: E402

from turnover.paths import project_root, seeds_dir  # noqa: E402

# Properties each type defines (own or inherited from CreativeWork / Thing / Rating), as used here.
SCHEMA_PROPERTIES = {
    "ClaimReview": {"@type", "claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url",
                    "identifier", "description", "temporalCoverage", "name", "reviewBody", "inLanguage"},
    "Rating": {"@type", "ratingValue", "bestRating", "worstRating", "alternateName", "name", "ratingExplanation",
               "reviewAspect", "author", "description"},
    "Claim": {"@type", "text", "author", "datePublished", "appearance", "firstAppearance", "inLanguage", "name",
              "url", "claimInterpreter"},
    "NewsArticle": {"@type", "headline", "alternativeHeadline", "publisher", "datePublished", "inLanguage", "url",
                    "name", "author"},
    "Organization": {"@type", "name", "url", "description"},
    "Person": {"@type", "name", "description", "jobTitle", "url"},
}


def _check_types(obj, where="ClaimReview"):
    t = obj["@type"]
    assert t in SCHEMA_PROPERTIES, f"{where}: unknown type {t}"
    assert set(obj) <= SCHEMA_PROPERTIES[t], f"{where}: not schema.org {t} properties: {set(obj) - SCHEMA_PROPERTIES[t]}"
    for k, v in obj.items():
        if isinstance(v, dict):
            _check_types(v, f"{where}.{k}")


def test_claim_reviews_use_only_schema_org_properties_with_the_expected_value_types(claims):
    raw_article = yaml.safe_load((seeds_dir() / "article.yaml").read_text(encoding="utf-8"))
    raw_claims = {c["id"]: c for c in yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))["claims"]}
    project = tomllib.loads((project_root() / "pyproject.toml").read_text())["project"]["name"]
    doc = verdicts.document(claims, _results(claims), reviewed_on=dt.date(2026, 11, 25))
    assert doc["@context"] == "https://schema.org"
    for review in doc["@graph"]:
        _check_types(review)
        assert review["@type"] == "ClaimReview"
        cid = review["url"].split("#", 1)[1]
        assert review["url"] == f"turnover-report.html#{cid}" and cid in raw_claims
        assert review["claimReviewed"] == raw_claims[cid]["quote_en"]
        assert dt.date.fromisoformat(review["datePublished"]) == dt.date(2026, 11, 25)  # ISO 8601 Date
        w = raw_claims[cid]["window"]
        assert review["temporalCoverage"] == f"{w['start']}/{w['end']}"  # ISO 8601 interval
        # the review's author is this project, an Organization (required by fact-check consumers)
        assert review["author"] == {"@type": "Organization", "name": project}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["text"] == raw_claims[cid]["quote_ru"]
        assert item["inLanguage"] == raw_article["language"]
        assert item["author"] == {"@type": "Person", "name": raw_article["speaker"].split(",")[0].strip(),
                                  "description": raw_article["speaker"]}
        assert item["datePublished"] == raw_article["date"].isoformat()
        app = item["appearance"]
        assert app == {"@type": "NewsArticle", "headline": raw_article["title_ru"],
                       "alternativeHeadline": raw_article["title_en"],
                       "publisher": {"@type": "Organization", "name": raw_article["outlet"]},
                       "datePublished": raw_article["date"].isoformat(), "inLanguage": raw_article["language"],
                       "url": raw_article["url"]}
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and isinstance(rating["alternateName"], str) and rating["alternateName"]
        if "ratingValue" in rating:  # a number between the worst and best rating (schema.org Rating)
            assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        parts = review["identifier"].split("/")
        assert parts[0] == cid and parts[1] in raw_claims[cid]["vintages"] and parts[2] == "all"


def test_an_article_without_a_printed_url_has_no_appearance_url(claims):
    art = claims.article.model_copy(update={"url": None})
    review = verdicts.claim_review(claims.model_copy(update={"article": art}), _results(claims)[0], dt.date(2026, 1, 2))
    assert "url" not in review["itemReviewed"]["appearance"]
    assert review["datePublished"] == "2026-01-02"


def test_results_for_unknown_claims_get_no_review_but_stay_in_the_raw_results(claims):
    results = _results(claims) + [{"claim_id": "not-a-claim", "vintage": "today", "reporter": "all"}]
    doc = verdicts.document(claims, results, reviewed_on=dt.date(2026, 11, 25))
    said = [r for r in results[:-1] if claims.claim(r["claim_id"]).kind == "statement"]
    assert len(doc["@graph"]) == len(said)
    assert doc["results"][-1]["claim_id"] == "not-a-claim" and len(doc["results"]) == len(results)
    assert doc["vintages"] == {k: v.isoformat() for k, v in claims.vintages.items()}


def test_values_models_leave_in_results_become_plain_json():
    import pandas as pd

    out = verdicts.jsonable([{"d": dt.date(2016, 5, 31), "t": pd.Timestamp("2016-05-31"), "s": {3},
                              "dt": dt.datetime(2016, 5, 31, 10, 30),
                              "tup": (1, 2), "n": np.int64(7), "f": np.float64(0.5), "o": object}])
    assert out == [{"d": "2016-05-31", "t": "2016-05-31T00:00:00", "s": [3], "dt": "2016-05-31T10:30:00",
                    "tup": [1, 2], "n": 7, "f": 0.5,
                    "o": str(object)}]


def test_the_description_names_the_vintage_and_whose_figures(claims):
    raw = {c["id"]: c for c in yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))["claims"]}
    r = dict(_results(claims)[0], vintage="as_of_article", as_of="2016-05-31", reporter="BLR")
    d = verdicts.claim_review(claims, r, dt.date(2026, 11, 25))["description"]
    assert d == f"{raw[r['claim_id']]['claim']} Verdict as of 31 May 2016, Belarus's figures."  # one date style
    r.update(vintage="today", as_of="2026-11-25", reporter="KAZ")
    d = verdicts.claim_review(claims, r, dt.date(2026, 11, 25))["description"]
    assert d.endswith(" Verdict today (25 November 2026), Kazakhstan's figures.")


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
    said = [r for r in doc["results"] if claims.claim(r["claim_id"]).kind == "statement"]
    assert len(reviews) == len(said) and {r["claim_id"] for r in said} == {c.id for c in claims.statements}
    for node, r in zip(reviews, said):
        rating = node[s + "reviewRating"][0]
        assert rating["@type"] == [s + "Rating"]
        assert rating[s + "bestRating"][0]["@value"] == 5 and rating[s + "worstRating"][0]["@value"] == 1
        assert rating[s + "alternateName"][0]["@value"] == r["rating_label"]
        if r["rating_value"] is None:
            assert s + "ratingValue" not in rating
        else:
            assert rating[s + "ratingValue"][0]["@value"] == r["rating_value"]


def test_questions_get_no_claim_review_but_their_findings_in_their_own_list(claims):
    results = _results(claims)
    doc = verdicts.document(claims, results, reviewed_on=dt.date(2026, 11, 25))
    reviewed = {rev["identifier"].split("/")[0] for rev in doc["@graph"]}
    assert reviewed == {c.id for c in claims.statements}
    assert not reviewed & {"mirror-gap", "programme-recovery"}
    assert [q["id"] for q in doc["questions"]] == [c.id for c in claims.questions] == ["programme-recovery", "mirror-gap"]
    for q in doc["questions"]:
        c = claims.claim(q["id"])
        assert q["question"] == c.question and q["prompted_by"] == c.quote_en and q["url"].endswith(f"#{c.id}")
        assert [f["vintage"] for f in q["findings"]] == list(c.vintages)
        assert all(f["finding"] == f"As of {f['vintage']}: half true — {c.id}." for f in q["findings"])
        assert all(set(f) == {"vintage", "as_of", "finding"} for f in q["findings"])  # no grade: nobody said it
    assert len(doc["results"]) == len(results)  # the raw results stay
    # a record rendered from a typed verdict carries its finding without the rating lead: that is what is listed
    worded = [dict(r, finding=f"Found for {r['claim_id']}.") for r in results]
    doc = verdicts.document(claims, worded, reviewed_on=dt.date(2026, 11, 25))
    assert {f["finding"] for q in doc["questions"] for f in q["findings"]} == \
        {f"Found for {c.id}." for c in claims.questions}
