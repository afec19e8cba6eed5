"""Fuzz the claims loader: any document either loads or fails with the project's ConfigError."""

from __future__ import annotations

import copy

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from turnover.claims import load_claims
from turnover.errors import ConfigError
from turnover.paths import seeds_dir

BASE = yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20), st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
FIELDS = ["id", "quote_ru", "quote_en", "claim", "metric", "data_needed", "window", "vintages", "rule"]


def _load(tmp_path, doc) -> None:
    (tmp_path / "article.yaml").write_text((seeds_dir() / "article.yaml").read_text(encoding="utf-8"))
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        load_claims(p)
    except ConfigError as err:
        assert "\n" not in str(err)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_index=st.integers(0, len(BASE["claims"]) - 1), field=st.sampled_from(FIELDS), value=values)
def test_any_field_value_loads_or_raises_config_error(tmp_path, claim_index, field, value):
    doc = copy.deepcopy(BASE)
    doc["claims"][claim_index][field] = value
    _load(tmp_path, doc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(top=st.dictionaries(st.sampled_from(["article", "pair", "vintages", "claims", "extra"]), values, max_size=4))
@example(top={"article": None, "claims": True})  # found by this test: the code check iterated over a bool
@example(top={"pair": ["BLR", "KAZ"], "claims": [{"id": "x", "rule": {"kind": "declining_trend", "known_breaks": True}}]})
def test_any_top_level_document_loads_or_raises_config_error(tmp_path, top):
    _load(tmp_path, top)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_loads_or_raises_config_error(tmp_path, text):
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    try:
        load_claims(tmp_path / "claims.yaml")
    except ConfigError as err:
        assert "\n" not in str(err)
