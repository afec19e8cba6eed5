"""Claims files and context facts for the rule tests of tests/test_mut_rules_*.py (not collected).

The vintages are fixed dates (not "today"), so every generated sentence is known in advance:
the article is dated 31 May 2016 (the bundled article.yaml), ``today`` is 30 November 2026.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from turnover.claims import ClaimsFile, load_claims

TODAY = dt.date(2026, 11, 30)
AS_OF_ARTICLE = dt.date(2016, 5, 31)
HEAD_TODAY = "With data known today (30 November 2026)"
HEAD_ARTICLE = "As of 31 May 2016"
FACT_COLUMNS = ["fact_id", "topic", "date", "country", "subject", "value", "unit", "definition", "statement",
                "source_url", "source_date"]


def claims_with(rule: dict, *, window=(2013, 2015), vintages=("today",), claim_id: str = "c-test",
                metric: str = "partner_rank", pair=("BLR", "KAZ")) -> ClaimsFile:
    """A one-claim file with ``rule`` as written (parameters left out take the code's defaults)."""
    base = load_claims(today=TODAY)
    return ClaimsFile.model_validate({
        "article": base.article.model_dump(), "pair": list(pair),
        "vintages": {"as_of_article": AS_OF_ARTICLE, "today": TODAY},
        "claims": [{"id": claim_id, "quote_ru": "q", "quote_en": "q", "claim": "c", "metric": metric,
                    "data_needed": ["bilateral_turnover"], "window": {"start": window[0], "end": window[1]},
                    "vintages": list(vintages), "rule": rule}],
    })


def facts(*rows: dict) -> pd.DataFrame:
    """Context facts; each row gives fact_id, topic, date, country, subject, value, unit (+ optional)."""
    out = []
    for r in rows:
        d = {"definition": "", "statement": "s", "source_url": "https://example.org/f", "source_date": r["date"]}
        d.update(r)
        out.append(d)
    return pd.DataFrame(out, columns=FACT_COLUMNS)


NO_FACTS = pd.DataFrame(columns=FACT_COLUMNS)


def by_reporter(results: list[dict], vintage: str = "today") -> dict[str, dict]:
    out = {}
    for r in results:
        if r["vintage"] == vintage:
            assert r["reporter"] not in out
            out[r["reporter"]] = r
    return out


def legacy(rating: str) -> str:
    return {"true": "supported", "mostly_true": "supported", "half_true": "mixed", "mostly_false": "not_supported",
            "false": "not_supported", "cannot_be_checked": "insufficient_data",
            "not_yet_testable": "not_yet_testable"}[rating]
