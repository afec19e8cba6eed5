"""The claims registry: the seeded file is complete; a malformed file fails in one line naming claim and field."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from turnover.claims import METRICS, RULE_KINDS, load_claims
from turnover.errors import ConfigError
from turnover.paths import seeds_dir

BASE = yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))
ARTICLE = (seeds_dir() / "article.yaml").read_text(encoding="utf-8")


def _write(tmp_path, doc) -> object:
    (tmp_path / "article.yaml").write_text(ARTICLE, encoding="utf-8")
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_seeded_claims_cover_the_four_statements_and_two_questions(claims):
    kinds = {c.rule.kind for c in claims.claims}
    assert kinds == {"declining_trend", "partner_rank", "market_shock", "recovery", "mirror_gap", "event_record"}
    # issue 21: only what was said is rated; the mirror comparison and the recovery are questions
    assert [c.id for c in claims.statements] == ["declining-turnover", "main-partners", "difficult-markets",
                                                 "programme-agreed"]
    assert [c.id for c in claims.questions] == ["programme-recovery", "mirror-gap"]
    assert all(q.question and q.question.endswith("?") for q in claims.questions)
    assert claims.pair == ("BLR", "KAZ")
    assert claims.vintages["as_of_article"] == dt.date(2016, 5, 31)
    for c in claims.claims:
        assert c.quote_ru and c.quote_en and c.claim and c.data_needed
        assert set(c.vintages) == {"as_of_article", "today"}
        assert c.metric in METRICS and c.rule.kind in RULE_KINDS


def test_quotes_are_verbatim_from_the_stored_article(claims):
    text = " ".join((seeds_dir() / claims.article.text_file).read_text(encoding="utf-8").split())
    for c in claims.claims:
        for piece in c.quote_ru.split(" ... "):
            assert piece in text, f"{c.id}: quote not in the article text: {piece!r}"


def test_article_metadata(claims):
    a = claims.article
    assert a.date == dt.date(2016, 5, 31) and a.language == "ru" and a.outlet
    assert a.url or a.url_note  # the URL as printed, or why there is none


def test_today_vintage_resolves_to_the_run_date():
    c = load_claims(today=dt.date(2030, 1, 2))
    assert c.vintages["today"] == dt.date(2030, 1, 2)


def _claim(doc, claim_id):
    return next(c for c in doc["claims"] if c["id"] == claim_id)


@pytest.mark.parametrize("claim_id, edit, field, words", [
    ("declining-turnover", lambda c: c.pop("rule"), "rule", "required"),
    ("main-partners", lambda c: c.update(metric="gdp_growth"), "metric", "unknown metric 'gdp_growth'"),
    ("programme-recovery", lambda c: c["rule"].update(event_date="2017-13-29"), "rule.event_date",
     "field rule.event_date: Input should be a valid date"),
    ("mirror-gap", lambda c: c["rule"].update(kind="vibes"), "rule.kind", "unknown rule kind 'vibes'"),
    ("difficult-markets", lambda c: c.update(window={"start": 2016, "end": 2014}), "window",
     "end 2014 before start 2016"),
    ("difficult-markets", lambda c: c.update(vintages=["as_of_article", "yesterday"]), "(entry)",
     "unknown vintage(s) yesterday"),
    ("declining-turnover", lambda c: c.update(data_needed=["tea_leaves"]), "data_needed", "'tea_leaves'"),
])
def test_malformed_claim_gives_one_line_naming_claim_and_field(tmp_path, claim_id, edit, field, words):
    doc = copy.deepcopy(BASE)
    edit(_claim(doc, claim_id))
    with pytest.raises(ConfigError) as err:
        load_claims(_write(tmp_path, doc))
    msg = str(err.value)
    assert "\n" not in msg
    assert words in msg
    if field == "(entry)":  # a cross-field check names the claim in its message
        assert f"claim {claim_id}" in msg
    else:
        assert f"claim {claim_id}, field {field}" in msg


def test_bad_vintage_date_names_the_field(tmp_path):
    doc = copy.deepcopy(BASE)
    doc["vintages"]["as_of_article"] = "2016-02-30"
    with pytest.raises(ConfigError, match=r"field vintages\.as_of_article: .*date") as err:
        load_claims(_write(tmp_path, doc))
    assert "\n" not in str(err.value)


def test_duplicate_ids_are_rejected(tmp_path):
    doc = copy.deepcopy(BASE)
    doc["claims"].append(copy.deepcopy(doc["claims"][0]))
    with pytest.raises(ConfigError, match="duplicate claim id"):
        load_claims(_write(tmp_path, doc))


def test_cli_exits_2_with_the_one_line_message(tmp_path, capsys):
    from turnover import refresh

    doc = copy.deepcopy(BASE)
    _claim(doc, "main-partners")["metric"] = "gdp_growth"
    code = refresh.main(["--out", str(tmp_path / "out"), "--claims", str(_write(tmp_path, doc)), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and "claim main-partners, field metric" in err
    assert not (tmp_path / "out" / "reports").exists()  # nothing published


# --- the loader's edges: unreadable files, locations of errors, the 'today' vintage, lookups ------------

def _put(path, content):
    """Nothing (None), a folder ("dir") or the text at ``path``."""
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize("content, words", [
    (None, "claims.yaml"),                      # no such file
    ("dir", "claims.yaml"),                     # a folder where the file should be
    ("claims: [\n  - {id: x\n", "claims.yaml"),  # not YAML
    ("- just\n- a list\n", "mapping"),          # YAML, but not a mapping
])
def test_an_unreadable_claims_file_fails_in_one_line_naming_it(tmp_path, content, words):
    p = tmp_path / "claims.yaml"
    _put(p, content)
    with pytest.raises(ConfigError) as err:
        load_claims(p)
    msg = str(err.value)
    assert "\n" not in msg and words in msg and "claims.yaml" in msg


@pytest.mark.parametrize("article", [None, "id: [unclosed\n", "dir"])
def test_an_unreadable_article_file_is_named(tmp_path, article):
    p = _write(tmp_path, copy.deepcopy(BASE))
    a = tmp_path / "article.yaml"
    a.unlink()
    _put(a, article)
    with pytest.raises(ConfigError) as err:
        load_claims(p)
    assert "\n" not in str(err.value) and "article.yaml" in str(err.value)


def test_several_errors_name_the_first_and_count_the_rest(tmp_path):
    doc = copy.deepcopy(BASE)
    _claim(doc, "main-partners")["metric"] = "gdp_growth"
    _claim(doc, "mirror-gap")["metric"] = "vibes"
    with pytest.raises(ConfigError) as err:
        load_claims(_write(tmp_path, doc))
    msg = str(err.value)
    assert msg.startswith("claims.yaml: claim main-partners, field metric: unknown metric 'gdp_growth'")
    assert msg.endswith("(+1 more)") and "known: " + ", ".join(sorted(METRICS)) in msg


def test_errors_outside_the_claims_list_and_in_entries_without_an_id_are_located(tmp_path):
    doc = copy.deepcopy(BASE)
    doc["pair"] = ["BLR"]
    with pytest.raises(ConfigError, match=r"^claims\.yaml: field pair\.1: "):
        load_claims(_write(tmp_path, doc))
    doc = copy.deepcopy(BASE)
    doc["claims"].append("not a claim")
    with pytest.raises(ConfigError, match=rf"^claims\.yaml: claim #{len(BASE['claims'])}, field \(entry\): "):
        load_claims(_write(tmp_path, doc))
    doc = copy.deepcopy(BASE)
    del doc["claims"][1]["id"]
    with pytest.raises(ConfigError, match=r"^claims\.yaml: claim #1, field id: "):
        load_claims(_write(tmp_path, doc))
    doc = copy.deepcopy(BASE)
    doc["claims"] = []
    with pytest.raises(ConfigError, match=r"^claims\.yaml: field claims: "):
        load_claims(_write(tmp_path, doc))


@pytest.mark.parametrize("edit, field", [
    (lambda c: c.update(id="Bad_Id"), "id"),
    (lambda c: c.update(window={"start": 1989, "end": 2016}), "window.start"),
    (lambda c: c.update(window={"start": 2012, "end": 2101}), "window.end"),
    (lambda c: c.update(quote_en=""), "quote_en"),
    (lambda c: c.update(vintages=[]), "vintages"),
    (lambda c: c.update(data_needed=[]), "data_needed"),
    (lambda c: c.update(colour="red"), "colour"),
])
def test_each_claim_field_is_checked(tmp_path, edit, field):
    doc = copy.deepcopy(BASE)
    edit(doc["claims"][0])
    with pytest.raises(ConfigError, match=rf"claim {doc['claims'][0].get('id')}, field {field}: "):
        load_claims(_write(tmp_path, doc))


def test_article_language_and_date_are_checked(tmp_path):
    p = _write(tmp_path, copy.deepcopy(BASE))
    art = yaml.safe_load(ARTICLE)
    for key, bad in (("language", "fr"), ("date", "2016-02-30")):
        (tmp_path / "article.yaml").write_text(yaml.safe_dump({**art, key: bad}, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"field article\.{key}: "):
            load_claims(p)


def test_today_vintage_defaults_to_the_calendar_date_and_fixed_ones_stay(tmp_path):
    c = load_claims(_write(tmp_path, copy.deepcopy(BASE)))
    assert c.vintages["today"] == dt.date.today()
    assert c.vintages["as_of_article"] == BASE["vintages"]["as_of_article"]


def test_claim_lookup_and_source_files(tmp_path):
    from turnover.claims import source_files

    p = _write(tmp_path, copy.deepcopy(BASE))
    c = load_claims(p, today=dt.date(2026, 1, 1))
    assert c.claim("mirror-gap").id == "mirror-gap"
    with pytest.raises(KeyError):
        c.claim("no-such-claim")
    text = yaml.safe_load(ARTICLE)["text_file"]
    assert [Path(f).name for f in source_files(c, p)] == ["claims.yaml", "article.yaml", text]
    assert all(Path(f).parent == tmp_path for f in source_files(c, p))
    seeded = load_claims(today=dt.date(2026, 1, 1))
    assert [Path(f) for f in source_files(seeded)] == [seeds_dir() / "claims.yaml", seeds_dir() / "article.yaml",
                                                      seeds_dir() / text]


def _one_claim(**extra) -> dict:
    return {"article": "article.yaml", "pair": ["BLR", "KAZ"], "vintages": {"as_of_article": "2016-05-31"},
            "claims": [{"id": "q", "quote_en": "mutual turnover", "claim": "c", "metric": "mirror_gap",
                        "data_needed": ["bilateral_flows"], "window": {"start": 2013, "end": 2015},
                        "vintages": ["as_of_article"], "rule": {"kind": "mirror_gap"}, **extra}]}


def test_kind_defaults_to_statement_and_a_question_needs_its_words(tmp_path):
    from turnover.claims import load_claims
    from turnover.errors import ConfigError

    assert load_claims(_write(tmp_path, _one_claim())).claims[0].kind == "statement"
    q = load_claims(_write(tmp_path, _one_claim(kind="question", question="Do the figures agree?")))
    assert q.claims[0].kind == "question" and q.questions == q.claims and q.statements == []
    with pytest.raises(ConfigError, match="claim q.*question in plain words"):
        load_claims(_write(tmp_path, _one_claim(kind="question")))
    with pytest.raises(ConfigError, match="claim q.*for kind: question"):
        load_claims(_write(tmp_path, _one_claim(question="Why?")))
    with pytest.raises(ConfigError, match="claim q, field kind"):
        load_claims(_write(tmp_path, _one_claim(kind="quote")))
