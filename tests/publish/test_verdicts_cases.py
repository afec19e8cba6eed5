"""verdicts.json: one ClaimReview and the whole document, field by field, for a hand-made claims file."""

from __future__ import annotations

import datetime as dt

import numpy as np

from turnover.publish import verdicts

from _claims_with import claims_with

RULE = {"kind": "market_shock", "countries": ["BLR"]}


def _claims(url="https://caravan.kz/?p=376909"):
    c = claims_with(RULE, vintages=("as_of_article", "today"), claim_id="shock-x")
    return c.model_copy(update={"article": c.article.model_copy(update={"url": url})})


def _expected_review(rating: dict, identifier: str, description: str, url=True) -> dict:
    appearance = {"@type": "NewsArticle",
                  "headline": "Минск и Астана хотят выработать программу сотрудничества на десятилетие",
                  "alternativeHeadline": "Minsk and Astana want to draw up a cooperation programme for the decade",
                  "publisher": {"@type": "Organization", "name": "Caravan.kz, reporting RIA Novosti"},
                  "datePublished": "2016-05-31", "inLanguage": "ru"}
    if url:
        appearance["url"] = "https://caravan.kz/?p=376909"
    return {
        "@type": "ClaimReview", "identifier": identifier, "url": "turnover-report.html#shock-x", "claimReviewed": "q",
        "description": description, "datePublished": "2026-12-01", "temporalCoverage": "2013/2015",
        "author": {"@type": "Organization", "name": "turnover"}, "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim", "text": "q", "inLanguage": "ru",
            "author": {"@type": "Person", "name": "Alexander Lukashenko",
                       "description": "Alexander Lukashenko, President of Belarus, at talks with Nursultan Nazarbayev "
                                      "in Astana, 30 May 2016"},
            "datePublished": "2016-05-31", "appearance": appearance},
    }


def test_a_rated_claim_review_in_full():
    r = {"claim_id": "shock-x", "vintage": "as_of_article", "as_of": "2016-05-31", "reporter": "BLR",
         "rating": "mostly_false", "sentence": "As of 31 May 2016: mostly false — s."}
    got = verdicts.claim_review(_claims(), r, dt.date(2026, 12, 1))
    rating = {"@type": "Rating", "alternateName": "Mostly false", "name": "Mostly false",
              "ratingExplanation": "As of 31 May 2016: mostly false — s.", "bestRating": 5, "worstRating": 1,
              "ratingValue": 2}
    assert got == _expected_review(rating, "shock-x/as_of_article/BLR",
                                   "c Verdict as of 31 May 2016, Belarus's figures.")


def test_an_unrated_review_without_sentence_or_url():
    # a record without a sentence has no explanation (the legacy "summary" twin is gone)
    r = {"claim_id": "shock-x", "vintage": "today", "as_of": "2026-11-30", "reporter": "all", "rating": None,
         "summary": "only a summary"}
    got = verdicts.claim_review(_claims(url=None), r, dt.date(2026, 12, 1))
    rating = {"@type": "Rating", "alternateName": "Cannot be checked", "name": "Cannot be checked",
              "ratingExplanation": "", "bestRating": 5, "worstRating": 1}
    assert got == _expected_review(rating, "shock-x/today/all", "c Verdict today (30 November 2026), all reporters.",
                                   url=False)
    r = {"claim_id": "shock-x", "rating": "not_yet_testable"}
    got = verdicts.claim_review(_claims(), r, dt.date(2026, 12, 1))
    assert got["identifier"] == "shock-x/None/None" and got["description"] == "c Verdict as of ?, figures of unstated origin."
    assert got["reviewRating"]["ratingExplanation"] == "" and "ratingValue" not in got["reviewRating"]
    assert got["reviewRating"]["name"] == "Not yet testable"


def test_the_whole_document():
    claims = _claims()
    results = [{"claim_id": "shock-x", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR", "rating": "true",
                "sentence": "t", "p_value": np.float64(0.5), "n_obs": np.int64(2), "ids": {"a"},
                "when": dt.date(2016, 1, 2)},
               {"claim_id": "gone", "vintage": "today", "reporter": "BLR", "rating": "true"}]
    doc = verdicts.document(claims, results, reviewed_on=dt.date(2026, 12, 1))
    assert set(doc) == {"@context", "@graph", "questions", "article", "pair", "vintages", "results"}
    assert doc["@context"] == "https://schema.org"
    assert [g["identifier"] for g in doc["@graph"]] == ["shock-x/today/BLR"]
    assert doc["article"] == claims.article.model_dump(mode="json") and doc["article"]["date"] == "2016-05-31"
    assert doc["pair"] == ["BLR", "KAZ"]
    assert doc["vintages"] == {"as_of_article": "2016-05-31", "today": "2026-11-30"}
    assert doc["results"] == [{"claim_id": "shock-x", "vintage": "today", "as_of": "2026-11-30", "reporter": "BLR",
                               "rating": "true", "sentence": "t", "p_value": 0.5, "n_obs": 2, "ids": ["a"],
                               "when": "2016-01-02"},
                              {"claim_id": "gone", "vintage": "today", "reporter": "BLR", "rating": "true"}]
    assert doc["@graph"][0]["datePublished"] == "2026-12-01"
    today = verdicts.document(claims, results[:1])["@graph"][0]["datePublished"]
    assert today == dt.date.today().isoformat()


def test_plain_json_of_what_models_may_leave():
    import pandas as pd

    class Odd:
        def __str__(self):
            return "odd <&>"

    got = verdicts.jsonable([{"t": pd.Timestamp("2016-01-02 03:04"), "dt": dt.datetime(2016, 1, 2, 3, 4),
                              "f": frozenset({1}), "b": np.bool_(False), "o": Odd(), "i": np.int8(3)}])
    assert got == [{"t": "2016-01-02T03:04:00", "dt": "2016-01-02T03:04:00", "f": [1], "b": False, "o": "odd <&>",
                    "i": 3}]
