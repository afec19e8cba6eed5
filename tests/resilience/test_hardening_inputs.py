"""Attacks on the inputs (issue 13, items 5, 6, 7, 9, 10): each must end in one line naming the
file and field, the right exit code, the previous outputs byte-identical, in bounded time and memory.

Every case goes through ``python -m turnover.refresh``'s ``main`` with a previous output folder in
place; bad inputs are caught before the model or report stage, so these runs take well under a second.
"""

from __future__ import annotations

import copy
import errno
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

import turnover.model
from turnover.publish import atomic
from turnover.ingest import manifest
from turnover import refresh
from turnover.paths import project_root, seeds_dir

BASE = yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))
ARTICLE = yaml.safe_load((seeds_dir() / "article.yaml").read_text(encoding="utf-8"))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != refresh.LOCK}


@pytest.fixture
def no_model(monkeypatch):
    """What is under test is loading and publishing; the model stage (seconds) is stubbed."""
    monkeypatch.setattr(turnover.model, "evaluate", lambda *a, **k: [])


@pytest.fixture
def out(tmp_path) -> Path:
    """An output folder holding a previous run's files (stand-ins: only their bytes matter)."""
    o = tmp_path / "out"
    for rel, text in {refresh.PANEL: "old panel", refresh.VERDICTS: '{"results": []}',
                      refresh.REPORT: "<html>old</html>", refresh.RUN: "{}"}.items():
        (o / rel).parent.mkdir(parents=True, exist_ok=True)
        (o / rel).write_text(text)
    return o


def _run(capsys, *args) -> tuple[int, list[str]]:
    code = refresh.main(["--quiet", *map(str, args)])
    return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def _claims_dir(tmp_path: Path, doc=None, article=None, text: str | None = None) -> Path:
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    art = copy.deepcopy(ARTICLE) if article is None else article
    (d / "article.yaml").write_text(yaml.safe_dump(art, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(seeds_dir() / ARTICLE["text_file"], d / ARTICLE["text_file"])
    if text is None:
        text = yaml.safe_dump(BASE if doc is None else doc, allow_unicode=True, sort_keys=False)
    (d / "claims.yaml").write_text(text, encoding="utf-8")
    return d / "claims.yaml"


def _rule(doc, claim_id: str) -> dict:
    return next(c for c in doc["claims"] if c["id"] == claim_id)["rule"]


# --- item 6 (rule parameters) and the script payload of item 2 -------------------------------------

RULE_ATTACKS = {
    "decline-abc": ("declining-turnover", {"min_decline_pct": "abc"}, "field rule.min_decline_pct"),
    "rating-unknown": ("declining-turnover", {"ratings": {"both": "pants_on_fire"}}, "field rule.ratings.both"),
    "combine-unknown": ("main-partners", {"combine": "median"}, "field rule.combine"),
    "top-n-three": ("main-partners", {"top_n": "three"}, "field rule.top_n: Input should be a valid integer"),
    "lookback-1e11": ("difficult-markets", {"lookback_months": "1e11"}, "field rule.lookback_months"),
    "lookback-huge": ("difficult-markets", {"lookback_months": 10**11}, "less than or equal to 600"),
    "misspelt": ("mirror-gap", {"tolerence_pct": 5}, "field rule.tolerence_pct: unknown parameter"),
    "decline-nan": ("declining-turnover", {"min_decline_pct": float("nan")}, "field rule.min_decline_pct"),
    "band-reversed": ("mirror-gap", {"band_pct": [10, 0]}, "upper bound below lower bound"),
    "script-partner": ("main-partners", {"partners": ["RUS", "UKR", "<img src=x onerror=alert(1)>"]},
                       "field rule.partners.2: String should match pattern"),
    "bad-lag": ("declining-turnover", {"publication_lag_days": {"annual": -5}}, "field rule.publication_lag_days"),
}


def _refused(tmp_path, out, capsys, claim_id: str, edit: dict, words: str) -> None:
    """The claim's rule edited as given: exit 2, one line naming claim, field and ``words``; outputs unchanged."""
    doc = copy.deepcopy(BASE)
    _rule(doc, claim_id).update(edit)
    before = _files(out)
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, doc), "--out", out)
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"turnover: error: claims.yaml: claim {claim_id}, ") and words in err[0], err[0]
    assert _files(out) == before


@pytest.mark.parametrize("case", sorted(RULE_ATTACKS))
def test_a_bad_rule_parameter_is_one_line_naming_claim_and_field(tmp_path, out, capsys, case):
    _refused(tmp_path, out, capsys, *RULE_ATTACKS[case])


# --- items 5 and 6: the YAML itself ------------------------------------------------------------------

def test_a_yaml_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path, out, capsys):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]  # 10**9 leaves
    text = "\n".join(lines) + "\n" + yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False)
    before = _files(out)
    tracemalloc.start()
    t0 = time.monotonic()
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, text=text), "--out", out)
    elapsed, peak = time.monotonic() - t0, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and len(err) == 1
    assert "claims.yaml: claims file: not valid YAML (" in err[0] and "alias" in err[0]
    assert elapsed < 20 and peak < 100_000_000, (elapsed, peak)
    assert _files(out) == before


@pytest.mark.parametrize("case, bytes_, words", [
    ("invalid-date", None, "not valid YAML (ValueError: day is out of range for month)"),
    ("not-utf8", b"pair: [BLR, KAZ]\nname: \xff\xfe caf\xe9\n", "is not UTF-8 (byte"),
    ("bad-yaml", b"claims: [unclosed\n", "not valid YAML ("),
    ("empty", b"", "expected a mapping at the top level"),
])
def test_an_unreadable_claims_file_is_one_line(tmp_path, out, capsys, case, bytes_, words):
    path = _claims_dir(tmp_path)
    if bytes_ is None:  # PyYAML raises ValueError (not YAMLError) building this date
        text = path.read_text(encoding="utf-8").replace("event_date: 2017-11-29", "event_date: 2017-11-31")
        assert "2017-11-31" in text
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(bytes_)
    before = _files(out)
    code, err = _run(capsys, "--claims", path, "--out", out)
    assert code == 2 and len(err) == 1, err
    assert str(path.name) in err[0] and words in err[0]
    assert _files(out) == before


@pytest.mark.parametrize("field, target, words", [
    ("article", "/dev/zero", "article metadata is not a regular file"),
    ("article", ".", "article metadata is not a regular file"),
    ("text_file", "/dev/zero", "article text (text_file) is not a regular file"),
    ("text_file", "subdir", "article text (text_file) is not a regular file"),
])
def test_article_or_text_pointing_at_a_device_or_folder_is_one_line(tmp_path, out, capsys, field, target, words):
    doc, art = copy.deepcopy(BASE), copy.deepcopy(ARTICLE)
    if field == "article":
        doc["article"] = target
    else:
        art["text_file"] = target
    path = _claims_dir(tmp_path, doc, art)
    (path.parent / "subdir").mkdir()
    before = _files(out)
    t0 = time.monotonic()
    code, err = _run(capsys, "--claims", path, "--out", out)
    assert code == 2 and len(err) == 1, err
    assert words in err[0] and time.monotonic() - t0 < 20
    assert _files(out) == before


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "data:text/html,<script>x()</script>",
                                 'https://ok.example/"><script>x()</script>'])
def test_an_article_url_that_is_not_http_is_a_config_error(tmp_path, out, capsys, url):
    art = copy.deepcopy(ARTICLE)
    art["url"] = url
    before = _files(out)
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, article=art), "--out", out)
    assert code == 2 and len(err) == 1 and "field article.url" in err[0]
    assert _files(out) == before


# --- item 6: settings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, value", [("TURNOVER_START_YEAR", "0"), ("TURNOVER_START_YEAR", "99999"),
                                         ("TURNOVER_TTL_DAYS", "nan"), ("TURNOVER_TTL_DAYS", "inf"),
                                         ("TURNOVER_HTTP_TIMEOUT", "-1"), ("TURNOVER_PACE", "1e400"),
                                         ("TURNOVER_COMTRADE_URL", "file:///etc/passwd")])
def test_an_out_of_range_setting_is_one_line_naming_it(monkeypatch, tmp_path, out, capsys, name, value):
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("TURNOVER_RAW_DIR", str(tmp_path / "raw"))
    before = _files(out)
    code, err = _run(capsys, "--out", out)
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"turnover: error: environment variable {name}=")
    assert _files(out) == before


# --- item 7: bundled data after a manifest update --------------------------------------------------------

@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A copy of the project's data and seeds, used through TURNOVER_ROOT."""
    r = tmp_path / "root"
    # data/raw holds the bundled series (kept) and, on a developer's machine, live snapshots (left out)
    shutil.copytree(project_root() / "data", r / "data", ignore=shutil.ignore_patterns(
        "processed", "cache", "manifest.jsonl", "comtrade", "imf", "wits"))
    shutil.copytree(project_root() / "seeds", r / "seeds")
    monkeypatch.setenv("TURNOVER_ROOT", str(r))
    monkeypatch.setenv("TURNOVER_RAW_DIR", str(r / "data/raw"))
    manifest._cached.cache_clear()
    yield r
    manifest._cached.cache_clear()


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("file, column, value, words", [
    ("official_figures.csv", "value_musd", "about 537", "line 2 (row dossier-001), column value_musd: 'about 537'"),
    ("official_figures.csv", "value_musd", "952,8", "column value_musd: '952,8'"),
    ("official_figures.csv", "period_start", "2008-13", "column period_start: '2008-13'"),
    ("official_figures.csv", "published_on", "soon", "column published_on: 'soon'"),
    ("official_figures.csv", "yoy_pct", "inf", "column yoy_pct: 'inf'"),
    ("official_figures.csv", "source_url", "javascript:alert(1)", "column source_url"),
    ("official_figures.csv", None, "", "official_figures.csv is empty"),
    ("context_facts.csv", "value", "forty", "context_facts.csv line 2 (row ctx-001), column value: 'forty'"),
    ("context_facts.csv", "date", "2013-02-30", "column date: '2013-02-30'"),
    ("context_facts.csv", None, "", "context_facts.csv is empty"),
])
def test_bad_bundled_data_after_a_manifest_update_is_exit_3_before_any_stage(root, out, capsys, file, column,
                                                                              value, words):
    path = root / "data/official" / file
    if column is None:
        path.write_text(value)
    else:
        _edit_csv(path, 1, column, value)
    manifest.update(root / "data")
    before = _files(out)
    code, err = _run(capsys, "--out", out)
    assert code == 3 and len(err) == 1, err
    assert err[0].startswith("turnover: error: ") and file in err[0] and words in err[0]
    assert _files(out) == before


def test_a_bundled_file_that_fails_its_checksum_is_exit_3(root, out, capsys):
    # bundled data failing validation (README's exit table): 3, like a bad row (issue 23 item 11; it was 2)
    with open(root / "data/official/context_facts.csv", "a", encoding="utf-8") as fh:
        fh.write("ctx-999,currency,2016-01-01,BLR,BYN,99,pct_devaluation,x,https://x.example/,2016,manual\n")
    code, err = _run(capsys, "--out", out)
    assert code == 3 and len(err) == 1 and "context_facts.csv: sha256" in err[0]


def test_a_missing_bundled_file_is_exit_3(root, out, capsys):
    (root / "data/official/context_facts.csv").unlink()
    before = _files(out)
    code, err = _run(capsys, "--out", out)
    assert code == 3 and len(err) == 1, err
    assert err[0].startswith("turnover: error: ") and "context_facts.csv: bundled file not found" in err[0]
    assert _files(out) == before


# --- item 9: --out a file, read-only, disk full ---------------------------------------------------------

def test_out_that_is_a_file_is_one_line_exit_2(tmp_path, capsys):
    f = tmp_path / "a-file"
    f.write_text("keep me")
    code, err = _run(capsys, "--out", f)
    assert code == 2 and len(err) == 1 and "cannot write the outputs to" in err[0] and str(f) in err[0]
    code, err = _run(capsys, "--out", f / "below")
    assert code == 2 and len(err) == 1 and "Not a directory" in err[0]
    assert f.read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes (the fault-injection case covers it)")
def test_out_read_only_is_one_line_exit_2(out, capsys):
    before = _files(out)
    out.chmod(0o555)
    try:
        code, err = _run(capsys, "--out", out, "--force")
    finally:
        out.chmod(0o755)
    assert code == 2 and len(err) == 1 and "Permission denied" in err[0]
    assert _files(out) == before


@pytest.mark.parametrize("fault", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_full_or_read_only_disk_while_publishing_is_one_line_and_outputs_intact(out, capsys, monkeypatch,
                                                                                  stub_report, no_model, fault):
    before = _files(out)
    real = atomic.write_bytes
    calls = []

    def failing(path, data):  # the third staged file hits the fault
        calls.append(path)
        if len(calls) == 3:
            raise OSError(fault, os.strerror(fault), str(path))
        return real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", failing)
    code, err = _run(capsys, "--out", out, "--force")
    assert code == 2 and len(err) == 1, err
    assert "cannot write the outputs to" in err[0] and os.strerror(fault) in err[0]
    assert "previous outputs are unchanged" in err[0]
    assert _files(out) == before
    assert not list(out.glob(".turnover-staging-*"))


# --- item 10: an article file not named article.yaml is part of the up-to-date check --------------------

def test_editing_an_article_file_with_another_name_is_seen(tmp_path, capsys, stub_report, no_model):
    d = tmp_path / "in"
    d.mkdir()
    (d / "meta.yaml").write_text(yaml.safe_dump(ARTICLE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(seeds_dir() / ARTICLE["text_file"], d / ARTICLE["text_file"])
    doc = copy.deepcopy(BASE)
    doc["article"] = "meta.yaml"
    (d / "claims.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    o = tmp_path / "o"
    first = refresh.run(o, claims_path=d / "claims.yaml", quiet=True)
    again = refresh.run(o, claims_path=d / "claims.yaml", quiet=True)
    assert not first.get("up_to_date") and again.get("up_to_date")
    art = copy.deepcopy(ARTICLE)
    art["title_en"] = "A corrected title"
    (d / "meta.yaml").write_text(yaml.safe_dump(art, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert not refresh.run(o, claims_path=d / "claims.yaml", quiet=True).get("up_to_date")
    (d / ARTICLE["text_file"]).write_text("edited text", encoding="utf-8")
    assert not refresh.run(o, claims_path=d / "claims.yaml", quiet=True).get("up_to_date")


# --- issue 23: claims count, strict parameters, windows, control and bidi characters ------------------

def test_a_claims_file_of_100k_claims_fails_fast_in_one_line(tmp_path, out, capsys):
    """100,000 claims never reached stage 1 (a quadratic duplicate check; minutes of YAML composing):
    the parser's events are counted first, so the file is refused in about a second."""
    head = yaml.safe_dump({k: v for k, v in BASE.items() if k != "claims"}, allow_unicode=True, sort_keys=False)
    claim = ("- {id: c%d, quote_ru: x, quote_en: x, claim: x, metric: mirror_gap, data_needed: [bilateral_flows], "
             "window: {start: 2013, end: 2015}, vintages: [as_of_article], rule: {kind: mirror_gap}}\n")
    text = head + "claims:\n" + "".join(claim % i for i in range(100_000))
    assert len(text) < 20_000_000  # under the byte limit: the count is what refuses it
    before = _files(out)
    tracemalloc.start()
    t0 = time.monotonic()
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, text=text), "--out", out)
    elapsed, peak = time.monotonic() - t0, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and len(err) == 1, err
    assert err[0].endswith("claims.yaml: claims file: too large (more than 100,000 YAML nodes)")
    assert elapsed < 20 and peak < 200_000_000, (elapsed, peak)
    assert _files(out) == before


def _many(n: int) -> dict:
    doc = copy.deepcopy(BASE)
    doc["claims"] = [{**copy.deepcopy(BASE["claims"][i % len(BASE["claims"])]), "id": f"c{i}"} for i in range(n)]
    return doc


def test_one_claim_over_the_maximum_is_one_line_naming_the_limit(tmp_path, out, capsys):
    from turnover.claims import MAX_CLAIMS

    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, _many(MAX_CLAIMS + 1)), "--out", out)
    assert code == 2 and len(err) == 1, err
    assert err[0] == f"turnover: error: claims.yaml: field claims: {MAX_CLAIMS + 1:,} claims, at most {MAX_CLAIMS} (split the file)"


def test_the_maximum_number_of_claims_loads_in_reasonable_time(tmp_path):
    from turnover.claims import MAX_CLAIMS, load_claims

    path = _claims_dir(tmp_path, _many(MAX_CLAIMS))
    t0 = time.monotonic()
    claims = load_claims(path)
    assert len(claims.claims) == MAX_CLAIMS and time.monotonic() - t0 < 20


STRICT_ATTACKS = {  # issue 23: YAML's booleans and quoted numbers are refused, never coerced
    "decline-true": ("declining-turnover", {"min_decline_pct": True}, "field rule.min_decline_pct: Input should be a valid number, got True"),
    "top-n-string": ("main-partners", {"top_n": "3"}, "field rule.top_n: Input should be a valid integer, got '3'"),
    "exact-only-yes": ("declining-turnover", {"exact_only": "yes"}, "field rule.exact_only: Input should be a valid boolean, got 'yes'"),
    "exact-only-1": ("declining-turnover", {"exact_only": 1}, "field rule.exact_only: Input should be a valid boolean, got 1"),
    "trend-level-string": ("declining-turnover", {"trend_level": "0.9"}, "field rule.trend_level: Input should be a valid number"),
    "lookback-float": ("difficult-markets", {"lookback_months": 24.0}, "field rule.lookback_months: Input should be a valid integer"),
    "band-bool": ("mirror-gap", {"band_pct": [True, 10]}, "field rule.band_pct.0: Input should be a valid number"),
    "lag-string": ("declining-turnover", {"publication_lag_days": {"annual": "60"}}, "field rule.publication_lag_days.annual"),
    "break-year-string": ("declining-turnover", {"known_breaks": [{"year": "2014"}]}, "field rule.known_breaks.0.year"),
}


@pytest.mark.parametrize("case", sorted(STRICT_ATTACKS))
def test_a_rule_parameter_of_the_wrong_type_is_refused_not_coerced(tmp_path, out, capsys, case):
    _refused(tmp_path, out, capsys, *STRICT_ATTACKS[case])


def test_ints_are_accepted_where_numbers_are_expected_and_stay_ints(tmp_path):
    from turnover.claims import load_claims

    doc = copy.deepcopy(BASE)
    _rule(doc, "declining-turnover").update(min_decline_pct=12)
    _rule(doc, "mirror-gap").update(band_pct=[0, 12.5])
    claims = load_claims(_claims_dir(tmp_path, doc))
    assert claims.claim("declining-turnover").rule.params["min_decline_pct"] == 12
    assert type(claims.claim("declining-turnover").rule.params["min_decline_pct"]) is int
    assert claims.claim("mirror-gap").rule.band_pct == (0, 12.5)


@pytest.mark.parametrize("window, words", [
    ({"start": 2099, "end": 2100}, "claim declining-turnover: window 2099-2100 ends after the latest vintage (today, "),
    ({"start": 2012, "end": 2027}, "window 2012-2027 ends after the latest vintage"),
    ({"start": "2012", "end": 2016}, "claim declining-turnover, field window.start: Input should be a valid integer"),
    ({"start": 2012.0, "end": 2016}, "field window.start: Input should be a valid integer"),
    ({"start": 2016, "end": 2012}, "end 2012 before start 2016"),
])
def test_a_window_outside_the_possible_years_is_refused(tmp_path, out, capsys, monkeypatch, window, words):
    import datetime as dt

    class Day(dt.date):  # "today" resolves to 25 November 2026
        @classmethod
        def today(cls):
            return cls(2026, 11, 25)

    monkeypatch.setattr("turnover.claims.dt.date", Day)
    doc = copy.deepcopy(BASE)
    next(c for c in doc["claims"] if c["id"] == "declining-turnover")["window"] = window
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, doc), "--out", out)
    assert code == 2 and len(err) == 1, err
    assert words in err[0], err[0]


BIDI = {"U+202E": "\u202e", "U+2066": "\u2066", "U+2069": "\u2069", "U+200E": "\u200e", "U+200F": "\u200f",
        "U+0000": "\x00", "U+0007": "\x07", "U+001B": "\x1b", "U+0085": "\x85", "U+2028": "\u2028",
        "U+FEFF": "\ufeff", "U+200B": "\u200b", "U+D800": "\ud800"}


@pytest.mark.parametrize("code_point", sorted(BIDI))
@pytest.mark.parametrize("where", ["claim.quote_en", "claim.quote_ru", "claim.claim", "article.title_en",
                                   "article.speaker", "article.url_note", "article.url", "rule.known_breaks.0.why"])
def test_control_and_bidi_characters_in_text_fields_are_refused(tmp_path, out, capsys, where, code_point):
    class Escaped(str):  # written double-quoted, so the character survives as an escape ("\N", "\0", ...)
        pass

    yaml.SafeDumper.add_representer(Escaped, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))
    ch = Escaped(BIDI[code_point])
    doc, art = copy.deepcopy(BASE), copy.deepcopy(ARTICLE)
    part, field = where.split(".", 1)
    if part == "claim":
        c = next(c for c in doc["claims"] if c["id"] == "declining-turnover")
        c[field] = Escaped(f"{c[field][:5]}{ch}{c[field][5:]}")
        expected = f"claim declining-turnover, field {field}: contains {code_point} ("
    elif part == "article":
        art[field] = Escaped(f"{art[field][:5]}{ch}{art[field][5:]}")
        expected = f"field article.{field}: "
    else:
        _rule(doc, "declining-turnover")["known_breaks"][0]["why"] = Escaped(f"ok{ch}")
        expected = f"claim declining-turnover, field {where}: contains {code_point} ("
    before = _files(out)
    # written with escapes ("\u202e" in a double-quoted YAML string): a raw NUL is not even valid YAML
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, doc, art), "--out", out)
    assert code == 2 and len(err) == 1, err
    if code_point == "U+D800":  # libyaml refuses a lone surrogate escape itself
        assert expected in err[0] or "not valid YAML (while parsing a quoted scalar)" in err[0], err[0]
    else:
        assert expected in err[0] and (part != "article" or f"contains {code_point} (" in err[0]), err[0]
    assert _files(out) == before


def test_line_breaks_and_tabs_stay_allowed_in_quotes_but_not_in_titles(tmp_path, out, capsys):
    from turnover.claims import load_claims

    doc, art = copy.deepcopy(BASE), copy.deepcopy(ARTICLE)
    c = next(c for c in doc["claims"] if c["id"] == "declining-turnover")
    c["quote_en"] = "first line\n\tsecond line"
    assert load_claims(_claims_dir(tmp_path, doc)).claim("declining-turnover").quote_en == c["quote_en"]
    art["title_en"] = "a title\nwith a break"
    code, err = _run(capsys, "--claims", _claims_dir(tmp_path, doc, art), "--out", out)
    assert code == 2 and len(err) == 1 and "field article.title_en: contains U+000A (LINE FEED)" in err[0], err
