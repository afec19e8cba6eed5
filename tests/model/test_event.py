"""Rule ``event_record`` on hand-made context facts: the talks are recorded the day before the
statement (e1, official site), the signing 18 months later (e2); e3 is another event, never read.
As of the article only e1 is known -> True on e1 alone; today both; a record public only after the
as-of date (or none named at all) -> Cannot be checked, never False."""

from __future__ import annotations

import pandas as pd

from turnover.model import evaluate

from _claims_with import HEAD_ARTICLE, HEAD_TODAY, by_reporter, claims_with, facts
from _model_synth import build, frame, row

PANEL = build(frame([row("r1", "BLR", "BLR", "KAZ", "export", "2015-01", "2015-12", 1e6)]))


def _f(fid, date, statement, url, source_date=None):
    return {"fact_id": fid, "topic": "programme", "date": date, "country": "BLR+KAZ", "subject": "programme",
            "value": None, "unit": "event", "definition": "", "statement": statement, "source_url": url,
            "source_date": source_date or date}


FACTS = facts(
    _f("e1", "2016-05-30", "Talks: a programme will be drawn up.", "https://www.president.gov.by/en/events/x"),
    _f("e2", "2017-11-29", "Programme to 2026 signed", "https://astanatimes.com/?p=1", "2017-11-30"),
    _f("e3", "2016-05-01", "Another event", "https://example.org/"),
)


def _run(records=("e1", "e2"), f=FACTS, **params):
    cf = claims_with({"kind": "event_record", "records": list(records), **params}, window=(2016, 2017),
                     vintages=("as_of_article", "today"), metric="event_record")
    return evaluate(PANEL, cf, facts=f)


def test_confirmed_by_the_records_known_at_each_date():
    out = _run()
    then, today = by_reporter(out, "as_of_article"), by_reporter(out, "today")
    assert set(then) == set(today) == {"all"}  # an event has no reporter
    a, t = then["all"], today["all"]
    assert (a["rating"], a["rule"], a["source_row_ids"], a["statistic"]) == ("true", "event_record", ["fact:e1"],
                                                                          {"records": ["e1"]})
    assert a["sentence"] == (f"{HEAD_ARTICLE}: true — recorded 30 May 2016 (president.gov.by): Talks: a programme "
                             "will be drawn up.")
    assert t["rating"] == "true" and t["source_row_ids"] == ["fact:e1", "fact:e2"]
    assert t["sentence"] == (f"{HEAD_TODAY}: true — recorded 30 May 2016 (president.gov.by): Talks: a programme will "
                             "be drawn up; 29 November 2017 (astanatimes.com): Programme to 2026 signed.")
    assert a["data_used"] == ["records of the event: fact e1"] and a["basis"] == "dated records of the event (context facts)"


def test_no_record_known_at_the_date_cannot_be_checked_never_false():
    out = _run(records=("e2",))
    a, t = by_reporter(out, "as_of_article")["all"], by_reporter(out, "today")["all"]
    assert a["rating"] == "cannot_be_checked" and a["source_row_ids"] == []
    assert a["sentence"] == (f"{HEAD_ARTICLE}: cannot be checked — no record of the event was public by "
                             "31 May 2016 (recorded later: fact e2).")
    assert a["data_used"] == ["records of the event public by 2016-05-31: none"]
    assert t["rating"] == "true"
    gone = by_reporter(_run(records=("nope",)), "today")["all"]
    assert gone["rating"] == "cannot_be_checked"


def test_a_record_published_after_the_date_is_not_used_then():
    late = facts(_f("e1", "2016-05-30", "Talks.", "https://president.gov.by/x", source_date="2016-06-15"))
    assert by_reporter(_run(records=("e1",), f=late), "as_of_article")["all"]["rating"] == "cannot_be_checked"


def test_the_confirmed_rating_is_the_claims_files():
    assert by_reporter(_run(confirmed="mostly_true"), "as_of_article")["all"]["rating"] == "mostly_true"
