"""The run's input key: every input it names changes it; nothing else does; the skip check is strict."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import shutil

import pandas as pd
import pytest

from turnover import refresh
from turnover.publish import runkey
from turnover.claims import load_claims, source_files
from turnover.paths import project_root

DAY = dt.date(2026, 11, 25)


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A copy of the bundled data and notebooks the key reads, under TURNOVER_ROOT."""
    real = project_root()
    shutil.copytree(real / "data" / "official", tmp_path / "data" / "official")
    shutil.copy(real / "data" / "manifest.yaml", tmp_path / "data" / "manifest.yaml")
    shutil.copytree(real / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copytree(real / "seeds", tmp_path / "seeds")
    monkeypatch.setenv("TURNOVER_ROOT", str(tmp_path))
    return tmp_path


def _panel(value=1e8, column="value_usd"):
    return pd.DataFrame({"row_id": ["a", "b"], column: [value, 2e8]})


def _key(root, panel=None, today=DAY):
    claims = load_claims(root / "seeds" / "claims.yaml", today=today)
    files = source_files(claims, root / "seeds" / "claims.yaml")
    return runkey.input_key(_panel() if panel is None else panel, files, today)


def test_the_key_is_a_sha256_and_repeats_for_the_same_inputs(root):
    k = _key(root)
    assert len(k) == 64 and int(k, 16) >= 0
    assert _key(root) == k


@pytest.mark.parametrize("path, edit", [
    ("seeds/claims.yaml", lambda t: t.replace("min_devaluation_pct: 20", "min_devaluation_pct: 21", 1)),
    ("seeds/article.yaml", lambda t: t + "\n# edited\n"),
    ("seeds/article-caravan-2016-05-31.ru.txt", lambda t: t + "."),
    ("data/official/official_figures.csv", lambda t: t.replace("2016", "2017", 1)),
    ("data/official/context_facts.csv", lambda t: t + "\n"),
    ("data/manifest.yaml", lambda t: t + "\n# edited\n"),
    ("notebooks/01_declining_trend.py", lambda t: t + "\n# edited\n"),
])
def test_editing_any_input_file_changes_the_key(root, path, edit):
    before = _key(root)
    f = root / path
    f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    assert _key(root) != before, path


def test_a_missing_claims_input_differs_from_an_empty_one(root):
    claims = load_claims(root / "seeds" / "claims.yaml", today=DAY)
    files = source_files(claims, root / "seeds" / "claims.yaml")
    (root / "seeds" / "article-caravan-2016-05-31.ru.txt").write_bytes(b"")
    empty = runkey.input_key(_panel(), files, DAY)
    (root / "seeds" / "article-caravan-2016-05-31.ru.txt").unlink()
    assert runkey.input_key(_panel(), files, DAY) != empty


def test_a_renamed_input_with_the_same_bytes_changes_the_key(root):
    a, b = root / "seeds" / "a.yaml", root / "seeds" / "b.yaml"
    a.write_text("x: 1\n"), b.write_text("x: 2\n")
    k = runkey.input_key(_panel(), [a, b], DAY)
    a.write_text("x: 2\n"), b.write_text("x: 1\n")  # same bytes in the same order, other names
    assert runkey.input_key(_panel(), [b, a], DAY) != k


def test_the_panel_content_columns_and_date_are_in_the_key(root):
    k = _key(root)
    assert _key(root, panel=_panel(value=1e8 + 1)) != k
    assert _key(root, panel=_panel(column="value_eur")) != k  # same numbers, other meaning
    assert _key(root, today=DAY + dt.timedelta(days=1)) != k
    # the row labels are not content: a panel read back or filtered with another index is the same input
    assert _key(root, panel=_panel().set_axis([7, 9])) == k


def test_a_library_version_change_changes_the_key(root, monkeypatch):
    k = _key(root)
    real = importlib.metadata.version

    def fake(name):
        return "0.0.0" if name == runkey.LIBRARIES[-1] else real(name)

    monkeypatch.setattr(importlib.metadata, "version", fake)
    bumped = _key(root)
    assert bumped != k

    def missing(name):
        if name == runkey.LIBRARIES[-1]:
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert _key(root) not in {k, bumped}


def test_every_library_the_model_and_report_use_is_versioned():
    assert {"pandas", "numpy", "statsmodels", "plotly", "pymannkendall", "ruptures"} <= set(runkey.LIBRARIES)


def test_the_package_code_and_notebooks_are_hashed():
    names = {p.name for p in runkey._code_files()}
    assert {"runkey.py", "rules.py", "verdicts.py", "vintage.py", "badges.py", "countries.csv"} <= names
    assert {"00_overview.py", "05_mirror_gap.py"} <= names


# --- up_to_date: the published run must carry the key and every file must still match ------------

def _publish(out, key, files):
    out.mkdir(exist_ok=True)
    outputs = {}
    for rel, data in files.items():
        (out / rel).write_bytes(data)
        outputs[rel] = hashlib.sha256(data).hexdigest()
    (out / "run.json").write_text(json.dumps({"input_key": key, "outputs": outputs}))


def test_up_to_date_only_when_key_and_every_output_match(tmp_path):
    out = tmp_path / "out"
    assert not runkey.up_to_date(out, "run.json", "k1")  # nothing published yet
    _publish(out, "k1", {"a.json": b"{}", "b.html": b"<html></html>"})
    assert runkey.up_to_date(out, "run.json", "k1")
    assert not runkey.up_to_date(out, "run.json", "k2")  # another input
    (out / "b.html").write_bytes(b"<html>edited</html>")
    assert not runkey.up_to_date(out, "run.json", "k1")  # a published file changed by hand
    (out / "b.html").unlink()
    assert not runkey.up_to_date(out, "run.json", "k1")  # or removed


def test_a_run_record_without_outputs_or_unreadable_is_not_up_to_date(tmp_path):
    out = tmp_path / "out"
    _publish(out, "k1", {})
    assert not runkey.up_to_date(out, "run.json", "k1")  # lists nothing: cannot vouch for anything
    (out / "run.json").write_text("{not json")
    assert not runkey.up_to_date(out, "run.json", "k1")


# --- end to end: an edited claims or article file is re-run, an unchanged one is skipped -----------

@pytest.mark.usefixtures("stub_report")
@pytest.mark.parametrize("edit", ["claims", "article", "text"])
def test_an_edited_claims_or_article_file_is_rerun(tmp_path, edit):
    seeds = tmp_path / "seeds"
    shutil.copytree(project_root() / "seeds", seeds)
    out = tmp_path / "out"
    refresh.run(out, quiet=True, claims_path=seeds / "claims.yaml", today=DAY)
    assert refresh.run(out, quiet=True, claims_path=seeds / "claims.yaml", today=DAY).get("up_to_date") is True
    target = {"claims": seeds / "claims.yaml", "article": seeds / "article.yaml",
              "text": seeds / "article-caravan-2016-05-31.ru.txt"}[edit]
    text = target.read_text(encoding="utf-8")
    if edit == "claims":  # a threshold written in the file, as a reader might tune it
        assert "min_devaluation_pct: 20" in text
        text = text.replace("min_devaluation_pct: 20", "min_devaluation_pct: 21", 1)
    else:
        text += "\n# edited\n"
    target.write_text(text, encoding="utf-8")
    again = refresh.run(out, quiet=True, claims_path=seeds / "claims.yaml", today=DAY)
    assert not again.get("up_to_date")
