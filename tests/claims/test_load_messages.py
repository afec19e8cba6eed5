"""The claims loader's one-line messages, whole: file, claim, field, pydantic's message and the value.

The messages after the field are pydantic's own (its documented error texts); the loader adds
``, got <value>`` only for a short scalar value of an error that is neither "missing" nor one of
our own checks (value_error).
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from turnover.claims import load_claims
from turnover.errors import ConfigError
from turnover.paths import seeds_dir

BASE = yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))
ARTICLE = (seeds_dir() / "article.yaml").read_text(encoding="utf-8")


def _message(tmp_path, edit) -> str:
    doc = copy.deepcopy(BASE)
    edit(doc)
    (tmp_path / "article.yaml").write_text(ARTICLE, encoding="utf-8")
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_claims(p, today=dt.date(2026, 11, 30))
    return str(err.value)


def _claim(doc, claim_id):
    return next(c for c in doc["claims"] if c["id"] == claim_id)


def _rule(claim_id, **kw):
    return lambda d: _claim(d, claim_id)["rule"].update(kw)


@pytest.mark.parametrize("edit, expected", [
    (_rule("main-partners", top_n="three"),
     "claim main-partners, field rule.top_n: Input should be a valid integer, got 'three'"),  # strict: not parsed
    (_rule("main-partners", top_n=0), "claim main-partners, field rule.top_n: Input should be greater than or equal "
                                      "to 1, got 0"),
    (_rule("difficult-markets", min_devaluation_pct=0.0),
     "claim difficult-markets, field rule.min_devaluation_pct: Input should be greater than 0, got 0.0"),
    (_rule("programme-recovery", tolerence_pct=5),
     "claim programme-recovery, field rule.tolerence_pct: unknown parameter (misspelt?)"),
    (lambda d: _claim(d, "mirror-gap")["rule"].pop("kind"),
     "claim mirror-gap, field rule.kind: Field required (the rule kind)"),
    (_rule("mirror-gap", kind="vibes"),
     "claim mirror-gap, field rule.kind: unknown rule kind 'vibes' (known: declining_trend, event_record, market_shock, "
     "mirror_gap, partner_rank, recovery)"),
    (lambda d: _claim(d, "main-partners").update(metric="gdp"),
     "claim main-partners, field metric: unknown metric 'gdp' (known: bilateral_turnover, currency_shock, event_record, "
     "mirror_gap, partner_rank)"),
    (lambda d: _claim(d, "main-partners").pop("metric"), "claim main-partners, field metric: Field required"),
    (lambda d: _claim(d, "main-partners").update(metric=["a"]),
     "claim main-partners, field metric: Input should be a valid string"),              # a list: not shown
    (lambda d: _claim(d, "main-partners").update(quote_en=True),
     "claim main-partners, field quote_en: Input should be a valid string, got True"),
    (lambda d: _claim(d, "main-partners").update(quote_en=dt.date(2016, 1, 2)),
     "claim main-partners, field quote_en: Input should be a valid string, got datetime.date(2016, 1, 2)"),
    (lambda d: _claim(d, "main-partners").update(id="X" * 58),   # repr of 60 characters: shown
     f"claim {'X' * 58}, field id: String should match pattern '^[a-z0-9][a-z0-9-]*$', got '{'X' * 58}'"),
    (lambda d: _claim(d, "main-partners").update(id="X" * 59),   # 61: not shown
     f"claim {'X' * 59}, field id: String should match pattern '^[a-z0-9][a-z0-9-]*$'"),
    (lambda d: d["claims"].append(copy.deepcopy(d["claims"][0])),
     "field (top level): duplicate claim id(s) declining-turnover"),
    (lambda d: d.update(pair=["BLR"]), "field pair.1: Field required"),
    (lambda d: _claim(d, "difficult-markets").update(window={"start": 2016, "end": 2015}),
     "claim difficult-markets, field window: end 2015 before start 2016"),
    (lambda d: _claim(d, "difficult-markets").update(window={"start": 2016, "end": 2016, "mid": 1}),
     "claim difficult-markets, field window.mid: unknown parameter (misspelt?)"),
    (lambda d: _claim(d, "difficult-markets").update(vintages=["today", "yesterday", "never"]),
     "field (top level): claim difficult-markets: unknown vintage(s) yesterday, never"),
    (lambda d: _claim(d, "difficult-markets").update(data_needed=["oil_price", "tea", "coffee"]),
     "claim difficult-markets, field data_needed: unknown data kind(s) 'tea', 'coffee'"),
    (lambda d: d["claims"].append({**copy.deepcopy(d["claims"][1]), "id": "declining-turnover"}),
     "field (top level): duplicate claim id(s) declining-turnover"),
])
def test_the_whole_message(tmp_path, edit, expected):
    assert _message(tmp_path, edit) == f"claims.yaml: {expected}"


def test_today_vintage_takes_the_given_date_and_claims_are_found_by_id(tmp_path):
    (tmp_path / "article.yaml").write_text(ARTICLE, encoding="utf-8")
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    c = load_claims(p, today=dt.date(2030, 1, 2))
    assert c.vintages == {"as_of_article": dt.date(2016, 5, 31), "today": dt.date(2030, 1, 2)}
    assert c.claim("mirror-gap").rule.kind == "mirror_gap" and c.article.date == dt.date(2016, 5, 31)
    with pytest.raises(KeyError):
        c.claim("nope")


def test_unreadable_files_are_named_with_what_they_are(tmp_path):
    p = tmp_path / "claims.yaml"
    p.write_bytes(b"\xffpair: [BLR, KAZ]\n")
    with pytest.raises(ConfigError) as err:
        load_claims(p)
    assert str(err.value) == f"{p}: claims file is not UTF-8 (byte 0: b'\\xff')"
    p.write_text(yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "article.yaml").write_bytes(b"id: x\n\xfe")
    with pytest.raises(ConfigError) as err:
        load_claims(p)
    assert str(err.value) == f"{tmp_path / 'article.yaml'}: article metadata is not UTF-8 (byte 6: b'\\xfe')"
