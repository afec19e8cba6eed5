"""Fuzz the response parsers (UN Comtrade JSON, IMF SDMX-JSON, WITS SDMX-JSON) with hypothesis.

Random bytes, random JSON, and mutations of the real-format success fixtures (keys dropped or
renamed, values replaced or retyped, the body truncated) must either parse into rows that pass
the panel schema with finite, non-negative values, or raise the project's ``SourceError`` with
one line naming where the body came from. Nothing else may escape (KeyError, TypeError,
IndexError, ValueError, OverflowError, RecursionError...).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from turnover.ingest import panel
from turnover.errors import SourceError
from turnover.ingest.live import comtrade, imf, wits
from turnover.ingest.live.fake import FIXTURES
from turnover.ingest.live.request import Cells
from turnover.ingest.live.rows import to_frame

FIX = FIXTURES  # the API bodies, beside the fake APIs that serve them
MODULES = {"comtrade": comtrade, "imf": imf, "wits": wits}
REPORTERS, PARTNERS = ("BLR", "KAZ"), ("BLR", "KAZ", "RUS", "UKR", "WLD")
CELLS = {
    "comtrade": Cells("M", REPORTERS, PARTNERS, ("2016-01",)),
    "imf": Cells("M", REPORTERS, PARTNERS, ("2016-01", "2016-02")),
    "wits": Cells("A", REPORTERS, PARTNERS, ("2016",)),
}
SUCCESS = {name: json.loads((FIX / name / "success.json").read_bytes()) for name in MODULES}
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _paths(node, prefix=()):
    """Every location in a JSON document, root first."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


PATHS = {name: list(_paths(doc))[1:] for name, doc in SUCCESS.items()}

# tokens the parsers look at, so that mutations reach past the first validation
TOKENS = ["", "0", "1", "-1", " 1", "1_0", "99", "0:0:0:0", "0:0:0:0:0", "-1:0:0:0", "0:-1:0:0:0", "9:9:9:9",
          "112", "398", "0", "BLR", "KAZ", "WLD", "G001", "XYZ", "blr", "X", "M", "XG_FOB_USD", "MPRT-TRD-VL",
          "2016", "201601", "2016-01", "2016-M01", "2016-M13", "TOTAL", "C00", "M", "A", "NaN", "inf", "-inf",
          "1e400", "-5", "12.5", "TIME_PERIOD", "COUNTRY", "REPORTER", "PARTNER", "INDICATOR", "FREQUENCY"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.sampled_from([10**400, -(10**30)]),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.sampled_from(TOKENS))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.one_of(st.text(max_size=6),
                                                                                 st.sampled_from(TOKENS)),
                                                                       inner, max_size=4)),
                      max_leaves=10)
keys = st.one_of(st.text(max_size=10), st.sampled_from(TOKENS))


def _retype(v):
    """The same information in another JSON type (a typical schema drift)."""
    if isinstance(v, bool) or v is None:
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return [v]
    if isinstance(v, list):
        return {str(i): x for i, x in enumerate(v)}
    return list(v.values())


@st.composite
def mutated(draw, source: str) -> bytes:
    doc = copy.deepcopy(SUCCESS[source])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[source]))
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):  # an earlier mutation removed or changed it
            continue
        op = draw(st.sampled_from(["drop", "rename", "replace", "retype"]))
        last = path[-1]
        if op == "drop":
            del parent[last]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(last)
        elif op == "replace":
            parent[last] = draw(values)
        else:
            parent[last] = _retype(parent[last])
    body = json.dumps(doc).encode()
    if draw(st.integers(0, 3)) == 0:  # a quarter of the bodies cut short
        body = body[: draw(st.integers(0, len(body)))]
    return body


def _check(source: str, body: bytes) -> None:
    mod, cells = MODULES[source], CELLS[source]
    where = f"{source}: fuzz"
    try:
        parsed = mod.parse(200, body, cells, where)
        entry = {"source": source, "path": f"{source}/fuzz.json", "url": "http://127.0.0.1/fuzz",
                 "retrieved_at": "2026-11-25T08:00:00+00:00"}
        df = to_frame(parsed.obs, cells, entry, mod.KIND, mod.INDICATOR, settle_months=24)
    except SourceError as err:
        msg = str(err)
        assert "\n" not in msg and msg.startswith(f"{source}: "), msg
        return
    assert isinstance(parsed.rows, int) and parsed.rows >= len(parsed.obs)
    assert len(df) == len(cells)
    panel.validate(df)  # raises DataValidationError on any row the schema refuses
    assert all(math.isfinite(v) and v >= 0 for v in df["value_usd"].dropna())


@pytest.mark.parametrize("source", MODULES)
@FUZZ
@given(body=st.binary(max_size=300))
@example(body=b"")
@example(body=b"<!DOCTYPE html><html><body>Service Unavailable</body></html>")
@example(body=b"[" * 100_000)                         # RecursionError escaped load_json
@example(body=b"[" + b"1" * 5000 + b"]")             # so did ValueError (int longer than 4300 digits)
@example(body=b"\xff\xfe{")
def test_random_bytes(source, body):
    _check(source, body)


@pytest.mark.parametrize("source", MODULES)
@FUZZ
@given(doc=values)
def test_random_json(source, doc):
    _check(source, json.dumps(doc).encode())


@pytest.mark.parametrize("source", MODULES)
@settings(FUZZ, max_examples=300)
@given(data=st.data())
def test_mutated_fixtures(source, data):
    _check(source, data.draw(mutated(source)))


def _swap(source: str, old: bytes, new: bytes) -> bytes:
    body = (FIX / source / "success.json").read_bytes()
    assert old in body
    return body.replace(old, new, 1)


# the parser bugs this fuzzing found, pinned: each of these escaped or slipped into the panel before
REGRESSIONS = [
    ("comtrade", _swap("comtrade", b"\"primaryValue\": 31245678.0", b"\"primaryValue\": 1e400")),  # inf passed
    ("imf", _swap("imf", b'"31245678.0"', b'"inf"')),                          # inf from a string
    ("wits", _swap("wits", b"412345.678", b"1" + b"0" * 400)),                 # OverflowError in float()
    ("wits", _swap("wits", b"412345.678", b"1e306")),                          # inf after * 1000
    ("wits", _swap("wits", b'"0:0:0:0:0"', b'"0:0:0:0:-1"')),                  # -1 took the last indicator
    ("imf", _swap("imf", b'"0:0:0:0"', b'"0:-1:0:0"')),                        # -1 took the last indicator
    ("comtrade", b'{"count": 1, "data": [' + b"1" * 5000 + b"]}"),             # ValueError from json.loads
]


@pytest.mark.parametrize("source,body", REGRESSIONS)
def test_found_bugs_are_source_errors(source, body):
    with pytest.raises(SourceError):
        MODULES[source].parse(200, body, CELLS[source], f"{source}: fuzz")


@pytest.mark.parametrize("source", MODULES)
def test_the_unmutated_fixture_passes_the_check(source):
    _check(source, (FIX / source / "success.json").read_bytes())  # the oracle accepts good data
