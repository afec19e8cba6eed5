"""Atomic outputs: a failed run leaves the previous outputs byte-identical."""

from __future__ import annotations

import json

import pytest

from turnover.publish import atomic
from turnover import refresh


pytestmark = pytest.mark.usefixtures("stub_report")  # about publishing, not the report (conftest)


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_write_bytes_replaces_and_keeps_old_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "a" / "f.txt"
    atomic.write_text(target, "old")
    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError):
        atomic.write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]  # no temp file left behind


def test_transaction_rolls_back_on_exception(tmp_path):
    with atomic.Transaction(tmp_path) as tx:
        tx.write_text("x/one.txt", "1")
        tx.write_text("y/two.txt", "2")
    before = _snapshot(tmp_path)
    with pytest.raises(RuntimeError):
        with atomic.Transaction(tmp_path) as tx:
            tx.write_text("x/one.txt", "changed")
            raise RuntimeError("stage failed")
    assert _snapshot(tmp_path) == before


def test_recover_rolls_forward_an_interrupted_commit(tmp_path, monkeypatch):
    with atomic.Transaction(tmp_path) as tx:
        tx.write_text("x/one.txt", "old1")
        tx.write_text("y/two.txt", "old2")
    real_replace = atomic.os.replace
    calls = {"n": 0}

    def die_after_first_publish(src, dst):
        real_replace(src, dst)
        publishing = atomic.STAGING_PREFIX in str(src) and atomic.STAGING_PREFIX not in str(dst)
        if publishing and str(dst).endswith("one.txt"):
            calls["n"] += 1
            raise KeyboardInterrupt  # the process is "killed" between the two renames

    monkeypatch.setattr(atomic.os, "replace", die_after_first_publish)
    with pytest.raises(KeyboardInterrupt):
        with atomic.Transaction(tmp_path) as tx:
            tx.write_text("x/one.txt", "new1")
            tx.write_text("y/two.txt", "new2")
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert calls["n"] == 1
    assert (tmp_path / atomic.JOURNAL).exists()
    assert atomic.recover(tmp_path) == "rolled forward"
    assert (tmp_path / "x/one.txt").read_text() == "new1"
    assert (tmp_path / "y/two.txt").read_text() == "new2"
    assert not list(tmp_path.glob(f"{atomic.STAGING_PREFIX}*"))


@pytest.mark.parametrize("stage", ["model", "report", "panel"])
def test_a_failing_stage_leaves_previous_outputs_byte_identical(tmp_path, monkeypatch, stage):
    refresh.run(tmp_path, quiet=True)
    before = _snapshot(tmp_path)
    assert refresh.PANEL in before and refresh.VERDICTS in before and refresh.REPORT in before

    def boom(*a, **k):
        raise RuntimeError(f"{stage} exploded")

    if stage == "model":
        import turnover.model as m
        monkeypatch.setattr(m, "evaluate", boom)
    elif stage == "report":
        import turnover.report as r
        monkeypatch.setattr(r, "build", boom)
    else:
        monkeypatch.setattr(refresh.panel_mod, "build_panel", boom)
    with pytest.raises(RuntimeError, match="exploded"):
        refresh.run(tmp_path, quiet=True, force=True)
    assert _snapshot(tmp_path) == before


def test_forced_second_run_reports_no_changes(tmp_path):
    first = refresh.run(tmp_path, quiet=True)
    assert first["panel"]["added"] > 0
    second = refresh.run(tmp_path, quiet=True, force=True)
    assert second["panel"] == {"added": 0, "removed": 0, "changed": 0, "changed_rows": []}
    assert second["verdicts_flipped"] == []
    run = json.loads((tmp_path / refresh.RUN).read_text())
    assert run["panel"]["added"] == 0


def test_unchanged_inputs_skip_the_run_and_changed_ones_do_not(tmp_path):
    import datetime as dt

    day = dt.date(2026, 11, 25)
    refresh.run(tmp_path, quiet=True, today=day)
    before = _snapshot(tmp_path)
    again = refresh.run(tmp_path, quiet=True, today=day)
    assert again.get("up_to_date") is True
    assert _snapshot(tmp_path) == before
    # a published file damaged by hand is not "up to date"
    (tmp_path / refresh.VERDICTS).write_text("{}")
    repaired = refresh.run(tmp_path, quiet=True, today=day)
    assert not repaired.get("up_to_date")
    assert json.loads((tmp_path / refresh.VERDICTS).read_text())["results"]
    # another day is another input: the "today" vintage is re-judged
    later = refresh.run(tmp_path, quiet=True, today=day + dt.timedelta(days=1))
    assert not later.get("up_to_date")


def test_a_second_refresh_on_the_same_folder_is_refused(tmp_path):
    from filelock import FileLock

    from turnover.errors import BusyError

    with FileLock(tmp_path / refresh.LOCK):
        with pytest.raises(BusyError, match="another refresh is running"):
            refresh.run(tmp_path, quiet=True)
