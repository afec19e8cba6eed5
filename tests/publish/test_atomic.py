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


def _seen(root) -> tuple[str | None, str | None]:
    """What a reader opening the two published paths gets (None: absent)."""
    return tuple((root / rel).read_text() if (root / rel).exists() else None for rel in ("x/one.txt", "y/two.txt"))


@pytest.mark.parametrize("legacy", [False, True], ids=["releases", "plain-files-before"])
def test_an_interrupted_publish_leaves_one_whole_version_at_every_step(tmp_path, monkeypatch, legacy):
    """The publish is killed at each of its file-system steps in turn (a rename, a new link, a hard
    link, a deletion): readers see the old version or the new one, whole, at every point, and
    ``recover`` leaves nothing to finish (no journal: there is nothing to roll forward)."""
    real = {name: getattr(atomic.os, name) for name in ("replace", "symlink", "link", "unlink")}
    step = 0
    while True:
        root = tmp_path / f"run{step}"
        if legacy:  # a folder published by the former (journal) publisher: plain files
            for rel, text in {"x/one.txt": "old1", "y/two.txt": "old2"}.items():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text)
        else:
            with atomic.Transaction(root) as tx:
                tx.write_text("x/one.txt", "old1")
                tx.write_text("y/two.txt", "old2")
        calls = {"n": 0}

        def dying(name):
            def op(*a, **k):
                calls["n"] += 1
                if calls["n"] == step + 1:
                    raise KeyboardInterrupt  # the process is "killed" before this step
                return real[name](*a, **k)
            return op

        for name in real:
            monkeypatch.setattr(atomic.os, name, dying(name))
        try:
            with atomic.Transaction(root) as tx:
                tx.write_text("x/one.txt", "new1")
                tx.write_text("y/two.txt", "new2")
            finished = True
        except KeyboardInterrupt:
            finished = False
        for name, fn in real.items():
            monkeypatch.setattr(atomic.os, name, fn)
        assert _seen(root) in {("old1", "old2"), ("new1", "new2")}, (step, _seen(root))
        atomic.recover(root)  # what the next refresh does first: deletes, never completes
        assert _seen(root) in {("old1", "old2"), ("new1", "new2")}, (step, _seen(root))
        assert not list(root.glob(f"{atomic.STAGING_PREFIX}*")) and not (root / atomic.JOURNAL).exists()
        if atomic._current(root):  # the current release only (without one, nothing is known to be garbage)
            assert {p.name for p in (root / atomic.STATE / atomic.RELEASES).iterdir()} == {atomic._current(root)}
        with atomic.Transaction(root) as tx:  # and the next publish works, and leaves its release only
            tx.write_text("x/one.txt", "next1")
            tx.write_text("y/two.txt", "next2")
        assert _seen(root) == ("next1", "next2")
        assert {p.name for p in (root / atomic.STATE / atomic.RELEASES).iterdir()} == {atomic._current(root)}
        if finished:
            assert _seen(root) == ("next1", "next2") and step > 3, step
            break
        step += 1


def test_published_paths_are_links_through_current_and_work_after_a_move(tmp_path):
    with atomic.Transaction(tmp_path / "a") as tx:
        tx.write_text("x/one.txt", "1")
        tx.write_text("x/deep/two.txt", "2")
    a = tmp_path / "a"
    assert (a / "x/one.txt").is_symlink() and (a / "x").is_dir() and not (a / "x").is_symlink()
    assert atomic.os.readlink(a / "x/deep/two.txt") == "../../.turnover/current/x/deep/two.txt"
    (a).rename(tmp_path / "b")  # relative links: a moved or copied folder still opens
    assert (tmp_path / "b/x/deep/two.txt").read_text() == "2"
    with atomic.Transaction(tmp_path / "b") as tx:  # a file no longer published disappears with its version
        tx.write_text("x/one.txt", "1b")
    assert (tmp_path / "b/x/one.txt").read_text() == "1b" and not atomic.os.path.lexists(tmp_path / "b/x/deep/two.txt")


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


@pytest.mark.parametrize("links", [True, False], ids=["links-kept", "links-followed"])
def test_a_copied_output_folder_opens_and_publishes_again(tmp_path, links):
    import shutil

    with atomic.Transaction(tmp_path / "a") as tx:
        tx.write_text("x/one.txt", "1")
        tx.write_text("y/two.txt", "2")
    shutil.copytree(tmp_path / "a", tmp_path / "b", symlinks=links)  # like cp -r, or cp -rL / zip
    b = tmp_path / "b"
    assert _seen(b) == ("1", "2")
    assert atomic.recover(b) is None and _seen(b) == ("1", "2")  # nothing taken for garbage
    with atomic.Transaction(b) as tx:
        tx.write_text("x/one.txt", "1b")
        tx.write_text("y/two.txt", "2b")
    assert _seen(b) == ("1b", "2b") and _seen(tmp_path / "a") == ("1", "2")
    assert {p.name for p in (b / atomic.STATE / atomic.RELEASES).iterdir()} == {atomic._current(b)}
