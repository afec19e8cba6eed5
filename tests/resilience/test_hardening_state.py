"""Attacks on the state a refresh leaves behind and reads back (issue 23): planted journals, run
records and published files naming paths outside the output folder, devices and FIFOs, links,
damaged records. Each must touch nothing outside the output (or raw) folder, end in the documented
exit code with at most one line, and leave the outputs unchanged or rebuilt, in bounded time.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

import pytest

import turnover.model
from turnover import refresh
from turnover.publish import atomic, runkey

DAY = "2026-11-25"


@pytest.fixture
def quick(monkeypatch, stub_report):
    """Publishing is under test: the model stage is stubbed (the report is, by ``stub_report``)."""
    monkeypatch.setattr(turnover.model, "evaluate", lambda *a, **k: [])


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root`` without following links: file bytes, or 'link -> target'."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = f"link -> {os.readlink(p)}"
            elif p.is_file():
                out[rel] = p.read_bytes()
    return out


def _victim(tmp_path: Path) -> Path:
    v = tmp_path / "victim"
    (v / "sub").mkdir(parents=True)
    (v / "x").write_text("precious")
    (v / "sub" / "y").write_text("precious too")
    (v / "verdicts.json").write_text('{"mine": true}')
    return v


def _run(capsys, *args) -> tuple[int, list[str]]:
    code = refresh.main(["--quiet", *map(str, args)])
    return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def _published(out: Path) -> dict[str, str]:
    """The run record's outputs, each checked against the bytes a reader gets at its path."""
    run = json.loads((out / refresh.RUN).read_text())
    for rel, digest in run["outputs"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, rel
    return run["outputs"]


# --- item 1: a planted commit journal (or staging folder) names nothing that is acted on -------------

@pytest.mark.parametrize("files", [[], ["x"], ["sub/y"], ["../victim/x"], ["/etc/hostname"]])
def test_a_planted_journal_touches_nothing_outside_the_output_folder(tmp_path, capsys, quick, files):
    victim = _victim(tmp_path)
    before = _tree(victim)
    out = tmp_path / "out"
    out.mkdir()
    (out / atomic.JOURNAL).write_text(json.dumps({"staging": "../victim", "files": files}))
    code, err = _run(capsys, "--out", out)
    assert code == 0, err
    assert _tree(victim) == before
    assert not (out / "x").exists() and not (out / "sub").exists()
    assert not (out / atomic.JOURNAL).exists()  # a journal is never read, only removed
    _published(out)


def test_a_planted_staging_folder_link_is_removed_not_followed(tmp_path, capsys, quick):
    victim = _victim(tmp_path)
    before = _tree(victim)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{atomic.STAGING_PREFIX}0123").symlink_to(victim)
    (out / atomic.JOURNAL).symlink_to(victim / "x")
    code, err = _run(capsys, "--out", out)
    assert code == 0, err
    assert _tree(victim) == before
    assert not list(out.glob(f"{atomic.STAGING_PREFIX}*")) and not (out / atomic.JOURNAL).is_symlink()


def _in_thread(fn, limit: float = 120.0):
    """``fn()`` in a daemon thread; fails instead of hanging the suite when it does not return."""
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as err:  # noqa: BLE001 - handed back to the test
            box["error"] = err

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(limit)
    assert not t.is_alive(), f"still running after {limit} s (hangs)"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _first_run(tmp_path, capsys) -> Path:
    out = tmp_path / "out"
    code, err = _run(capsys, "--out", out)
    assert code == 0 and err == [], err
    return out


def _edit_run_record(out: Path, edit) -> None:
    run = json.loads((out / refresh.RUN).read_text())
    (out / refresh.RUN).write_text(json.dumps(edit(run)))


# --- item 2: paths read from the run record stay inside the output folder, regular files, bounded -----

@pytest.mark.parametrize("entry", ["/dev/zero", "../victim/x", "reports/../../victim/x", "data//processed",
                                   "", "reports/\0"])
def test_a_run_record_naming_a_path_outside_or_a_device_is_rebuilt_with_one_warning(tmp_path, capsys, quick,
                                                                                 entry):
    out = _first_run(tmp_path, capsys)
    victim = _victim(tmp_path)
    before = _tree(victim)
    _edit_run_record(out, lambda r: {**r, "outputs": {**r["outputs"], entry: "0" * 64}})
    code = _in_thread(lambda: refresh.main(["--quiet", "--out", str(out)]))
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 0 and len(err) == 1 and err[0].startswith("turnover: warning: "), err
    assert "is not a plain relative path inside" in err[0] and err[0].endswith("; rebuilding")
    assert _tree(victim) == before
    assert entry not in _published(out)  # rebuilt: the new record lists what was published


@pytest.mark.parametrize("entry", ["/dev/zero", "data/processed/panel.parquet"])
def test_the_up_to_date_check_reads_no_device_and_in_bounded_memory(tmp_path, entry):
    """``/dev/zero`` named in a run record was read until MemoryError (1.4 GB); a published file
    that became a link to it, or a FIFO, hung. Now: refused, without reading, in a few MB."""
    import tracemalloc

    out = tmp_path / "out"
    with atomic.Transaction(out) as tx:
        tx.write_bytes(refresh.PANEL, b"panel")
        tx.write_json(refresh.RUN, {"input_key": "k", "outputs": {**tx.hashes(), entry: "0" * 64}})
    target = atomic.published(out, refresh.PANEL)
    target.unlink()
    target.symlink_to("/dev/zero")
    tracemalloc.start()
    assert _in_thread(lambda: runkey.up_to_date(out, refresh.RUN, "k"), 60) is False
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000, peak
    os.unlink(target)
    os.mkfifo(target)
    assert _in_thread(lambda: runkey.up_to_date(out, refresh.RUN, "k"), 60) is False


@pytest.mark.parametrize("where", ["published path", "inside the release"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "foreign-link"])
def test_a_published_file_replaced_by_a_fifo_device_or_link_neither_hangs_nor_is_followed(tmp_path, capsys,
                                                                                          quick, where, kind):
    out = _first_run(tmp_path, capsys)
    victim = _victim(tmp_path)
    before = _tree(victim)
    target = out / refresh.PANEL
    if where == "inside the release":
        target = atomic.published(out, refresh.PANEL)
        assert atomic.STATE in str(target)
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero" if kind == "dev-zero-link" else victim / "x")
    code = _in_thread(lambda: refresh.main(["--quiet", "--out", str(out)]))
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 0 and err and all(e.startswith("turnover: warning: ") for e in err), err
    assert _tree(victim) == before
    _published(out)
    assert (out / refresh.PANEL).is_symlink() and (out / refresh.PANEL).read_bytes()[:4] == b"PAR1"


# --- item 3: damaged state files mean "rebuild", with a one-line warning, never a traceback -------------

@pytest.mark.parametrize("rel, content, words", [
    (refresh.RUN, "[1, 2, 3]", "is not a JSON object"),
    (refresh.RUN, '{"input_key": null, "outputs": 5}', None),  # another key: nothing listed is read
    (refresh.RUN, "{not json", "is not valid JSON"),
    (refresh.VERDICTS, '{"results": 5}', "'results' is not a list"),
    (refresh.VERDICTS, '{"results": [1, 2]}', "'results' is not a list"),
    (refresh.VERDICTS, '[]', "'results' is not a list"),
    (refresh.PANEL, "not a parquet file", "is not a readable panel"),
])
def test_a_damaged_state_file_is_rebuilt_with_one_warning(tmp_path, capsys, quick, rel, content, words):
    out = _first_run(tmp_path, capsys)
    (out / rel).write_text(content)
    code, err = _run(capsys, "--out", out)  # not --force: the up-to-date check reads the record
    assert code == 0, err
    if words is None:
        assert err == []
    else:
        assert len(err) == 1 and err[0].startswith("turnover: warning: ") and words in err[0], err
    _published(out)


def test_a_run_record_with_the_right_key_and_damaged_outputs_is_rebuilt(tmp_path, capsys, quick):
    out = _first_run(tmp_path, capsys)
    _edit_run_record(out, lambda r: {**r, "outputs": [1, 2, 3]})
    code, err = _run(capsys, "--out", out)
    assert code == 0 and len(err) == 1 and "'outputs' is not a mapping" in err[0], err
    _published(out)


# --- item 8: a folder on the way linked elsewhere is never written through ------------------------------

@pytest.mark.parametrize("link", ["reports", "data", "data/processed", atomic.STATE,
                                  f"{atomic.STATE}/{atomic.RELEASES}", "reports/notebooks"])
def test_an_output_folder_linked_elsewhere_is_refused_exit_2_and_nothing_is_written_through_it(
        tmp_path, capsys, quick, link):
    victim = _victim(tmp_path)
    before = _tree(victim)
    out = tmp_path / "out"
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(victim, target_is_directory=True)
    code, err = _run(capsys, "--out", out)
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"turnover: error: cannot write the outputs to {out}: {out / link} is a symbolic link")
    assert "remove it" in err[0]
    assert _tree(victim) == before


def test_a_linked_output_folder_is_refused_after_a_publish_too(tmp_path, capsys, quick):
    out = _first_run(tmp_path, capsys)
    victim = _victim(tmp_path)
    before = _tree(victim)
    (out / "reports").rename(tmp_path / "moved")
    (out / "reports").symlink_to(victim, target_is_directory=True)
    code, err = _run(capsys, "--out", out, "--force")
    assert code == 2 and len(err) == 1 and "is a symbolic link" in err[0], err
    assert _tree(victim) == before


@pytest.mark.parametrize("planted", ["file-link", "current-link", "current-folder", "release-link"])
def test_links_planted_among_the_publisher_s_own_are_replaced_not_followed(tmp_path, capsys, quick, planted):
    out = _first_run(tmp_path, capsys)
    victim = _victim(tmp_path)
    before = _tree(victim)
    state = out / atomic.STATE
    if planted == "file-link":  # a published path pointing at someone else's file
        (out / refresh.VERDICTS).unlink()
        (out / refresh.VERDICTS).symlink_to(victim / "verdicts.json")
    elif planted == "current-link":
        (state / atomic.CURRENT).unlink()
        (state / atomic.CURRENT).symlink_to(victim, target_is_directory=True)
    elif planted == "current-folder":
        (state / atomic.CURRENT).unlink()
        (state / atomic.CURRENT / "reports").mkdir(parents=True)
    else:  # a "release" that is a link to another folder: removed as a link, never emptied
        (state / atomic.RELEASES / "20990101T000000Z-0123456789ab").symlink_to(victim, target_is_directory=True)
    code, err = _run(capsys, "--out", out, "--force")
    assert code == 0, err
    assert _tree(victim) == before
    _published(out)
    assert {p.name for p in (state / atomic.RELEASES).iterdir()} == {atomic._current(out)}


# --- item 4 (and 2, 3, 11 for the raw folder): the snapshot manifest -----------------------------------

_SAVER = r"""
import datetime as dt, sys
from turnover.ingest.live.request import Cells, Request
from turnover.ingest.live.snapshots import SnapshotStore

raw, worker, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = SnapshotStore(raw)
cells = Cells("A", ("BLR",), ("KAZ",), ("2015",))
print("ready", flush=True)
sys.stdin.readline()  # both start saving together
for i in range(n):
    req = Request("comtrade", "get", f"http://127.0.0.1/x?w={worker}&i={i}", cells)
    store.save(req, status=200, body=f"{worker}-{i}".encode(), content_type="application/json",
               retrieved_at=dt.datetime.now(dt.timezone.utc), outcome="ok", licence="test", rows=1)
"""


def test_two_processes_saving_snapshots_into_one_raw_folder_lose_no_record(tmp_path):
    import subprocess
    import sys

    from turnover.ingest.live.snapshots import SnapshotStore

    raw, n = tmp_path / "raw", 40
    procs = [subprocess.Popen([sys.executable, "-c", _SAVER, str(raw), w, str(n)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for w in ("a", "b")]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        assert p.wait(timeout=120) == 0
    entries = SnapshotStore(raw).entries
    assert len(entries) == 2 * n  # every retrieval recorded: none overwritten by the other process
    assert sorted(e["url"] for e in entries) == sorted(f"http://127.0.0.1/x?w={w}&i={i}"
                                                       for w in "ab" for i in range(n))
    assert len(list(raw.glob("comtrade/*/*.json"))) == 2 * n


def _raw_with_snapshots(tmp_path, url: str) -> tuple[Path, "object"]:
    import datetime as dt

    from turnover.ingest.live import collect
    from turnover.ingest.live.config import Config
    from turnover.ingest.live.fetch import Fetcher

    raw = tmp_path / "raw"
    cfg = Config(raw_dir=raw, today=dt.date(2017, 2, 15), start_year=2016, comtrade_url=url, imf_url=url,
                 wits_url=url, pace={}, attempts=1, backoff=0.001)
    collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=lambda s: None))
    return raw, cfg


@pytest.mark.parametrize("line, why", [
    ('{"source": "comtrade"}', "no valid 'key'"),
    ("{torn", "not valid JSON"),
    ("[1, 2]", "not a JSON object"),
    ("PATH:../../victim/x", "is not a plain relative path"),
    ("PATH:/etc/passwd", "is not a plain relative path"),
    ("PATH:comtrade/../x", "is not a plain relative path"),
    ("PATH:victim.json", "is not <source>/<request key>/<file>"),
    ("PATH:linked/k/x.json", "is a symbolic link"),
    ("TIME:2016-01-01T00:00:00", "has no time zone"),
])
def test_a_damaged_or_escaping_raw_manifest_line_is_ignored_with_one_warning(tmp_path, capsys, line, why):
    from turnover.ingest.live.fake import FakeAPIs
    from turnover.ingest.live import collect
    from turnover.ingest.live.snapshots import SnapshotStore

    victim = _victim(tmp_path)
    before = _tree(victim)
    with FakeAPIs() as api:
        raw, cfg = _raw_with_snapshots(tmp_path, api.url)
    (raw / "linked").symlink_to(victim, target_is_directory=True)
    good = (raw / "manifest.jsonl").read_text().splitlines()
    if line.startswith(("PATH:", "TIME:")):  # a whole, valid line but for one field
        e = json.loads(good[0])
        if line.startswith("PATH:"):
            e.update(path=line[5:], outcome="ok", key="planted")
        else:
            e.update(retrieved_at=line[5:])
        line = json.dumps(e)
    (raw / "manifest.jsonl").write_text("\n".join([*good, line]) + "\n")
    capsys.readouterr()
    frames = collect(online=False, progress=False, config=cfg)  # offline: the good snapshots still load
    err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert len(err) == 1 and err[0].startswith("turnover: warning: snapshots: ") and why in err[0], err
    assert f"line {len(good) + 1} is damaged" in err[0] and "ignored" in err[0]
    assert frames and all(len(f) for f in frames)
    assert len(SnapshotStore(raw).entries) == len(good)
    assert _tree(victim) == before


def test_a_planted_failed_line_naming_a_file_outside_is_never_pruned(tmp_path):
    """Pruning deletes the older failed bodies of a request: a line naming '../victim/x' must not
    make it delete that file (the line is ignored; the newest failed body is still the only one kept)."""
    import datetime as dt

    from turnover.ingest.live.request import Cells, Request
    from turnover.ingest.live.snapshots import SnapshotStore

    victim = _victim(tmp_path)
    before = _tree(victim)
    raw = tmp_path / "raw"
    req = Request("comtrade", "get", "http://127.0.0.1/x", Cells("A", ("BLR",), ("KAZ",), ("2015",)))
    store = SnapshotStore(raw)
    first = store.save(req, status=400, body=b"no", content_type="text/plain", outcome="http_error",
                       retrieved_at=dt.datetime.now(dt.timezone.utc), licence="t")
    planted = {**first, "path": "../victim/x"}
    planted2 = {**first, "path": "comtrade/../../victim/x"}
    with open(raw / "manifest.jsonl", "a") as fh:
        fh.write(json.dumps(planted) + "\n" + json.dumps(planted2) + "\n")
    store = SnapshotStore(raw)
    store.save(req, status=400, body=b"no again", content_type="text/plain", outcome="http_error",
               retrieved_at=dt.datetime.now(dt.timezone.utc), licence="t")
    assert _tree(victim) == before
    lines = (raw / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == 4 and json.loads(lines[1])["path"] == "../victim/x"  # kept as it was, unused
    assert [bool(e.get("pruned")) for e in SnapshotStore(raw).entries] == [True, False]


def test_a_snapshot_file_replaced_by_a_fifo_or_link_is_refused_not_read(tmp_path):
    from turnover.ingest.live.fake import FakeAPIs
    from turnover.errors import SourceError
    from turnover.ingest.live import collect
    from turnover.ingest.live.snapshots import SnapshotStore

    with FakeAPIs() as api:
        raw, cfg = _raw_with_snapshots(tmp_path, api.url)
    body = raw / SnapshotStore(raw).current_entries()[0]["path"]
    body.unlink()
    os.mkfifo(body)
    with pytest.raises(SourceError, match="is not a regular file"):
        _in_thread(lambda: collect(online=False, progress=False, config=cfg), 60)
    body.unlink()
    body.symlink_to("/dev/zero")
    with pytest.raises(SourceError, match="is a symbolic link"):
        _in_thread(lambda: collect(online=False, progress=False, config=cfg), 60)


@pytest.mark.parametrize("fault", ["ENOSPC", "link"])
def test_a_full_raw_folder_is_reported_as_such_exit_2(tmp_path, capsys, monkeypatch, quick, fault):
    import errno

    from turnover.ingest.live.fake import FakeAPIs

    raw, out = tmp_path / "raw", tmp_path / "out"
    victim = _victim(tmp_path)
    before = _tree(victim)
    real = atomic.write_bytes

    def full(path, data):
        if str(path).startswith(str(raw)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)

    if fault == "ENOSPC":
        monkeypatch.setattr(atomic, "write_bytes", full)
    else:  # the source's folder in the raw folder is a link elsewhere: nothing written through it
        raw.mkdir()
        (raw / "comtrade").symlink_to(victim, target_is_directory=True)
    with FakeAPIs() as api:
        for k, v in {"TURNOVER_RAW_DIR": raw, "TURNOVER_COMTRADE_URL": api.url, "TURNOVER_IMF_URL": api.url,
                     "TURNOVER_WITS_URL": api.url, "TURNOVER_PACE": "0", "TURNOVER_START_YEAR": "2025",
                     "TURNOVER_HTTP_ATTEMPTS": "1"}.items():
            monkeypatch.setenv(k, str(v))
        code, err = _run(capsys, "--online", "--out", out)
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"turnover: error: cannot write the raw snapshots to {raw}: ")
    assert (os.strerror(errno.ENOSPC) if fault == "ENOSPC" else "is a symbolic link") in err[0]
    assert "cannot write the outputs" not in err[0]
    assert not (out / refresh.RUN).exists()
    assert _tree(victim) == before


def test_a_bundled_cache_entry_replaced_by_a_fifo_is_rebuilt_not_read(tmp_path, monkeypatch):
    import shutil

    from turnover.ingest import bundled
    from turnover.paths import project_root

    root = tmp_path / "data"
    shutil.copytree(project_root() / "data", root, ignore=shutil.ignore_patterns(
        "processed", "cache", "manifest.jsonl", "comtrade", "imf", "wits"))
    first = bundled.load(root)
    (cache,) = (root / "cache" / "bundled").glob("*.parquet")
    cache.unlink()
    os.mkfifo(cache)
    again = _in_thread(lambda: bundled.load(root), 120)
    assert sum(len(f) for f in again) == sum(len(f) for f in first)


def test_published_paths_open_directly_and_in_jupyterlab(tmp_path, capsys, quick):
    """The paths users open stay where they were: read directly, through pandas, and through
    JupyterLab's contents manager (which lists them as files and hides .turnover/)."""
    import pandas as pd
    from jupyter_server.services.contents.filemanager import FileContentsManager

    out = _first_run(tmp_path, capsys)
    assert pd.read_parquet(out / refresh.PANEL)["row_id"].is_unique
    assert json.loads((out / refresh.VERDICTS).read_text())["results"] == []
    lab = FileContentsManager(root_dir=str(out))
    assert {c["name"] for c in lab.get("", content=True)["content"]} == {"data", "reports"}
    listed = {c["name"]: c["type"] for c in lab.get("reports", content=True)["content"]}
    assert listed["turnover-report.html"] == "file" and listed["verdicts.json"] == "file"
    page = lab.get(refresh.REPORT, content=True)
    assert page["type"] == "file" and page["content"] == (out / refresh.REPORT).read_text()


@pytest.mark.parametrize("kind", ["fifo", "link", "folder"])
def test_an_unreadable_raw_manifest_is_warned_about_never_read_through_or_overwritten(tmp_path, capsys, kind):
    import datetime as dt

    from turnover.errors import OutputError
    from turnover.ingest.live.request import Cells, Request
    from turnover.ingest.live.snapshots import SnapshotStore

    victim = _victim(tmp_path)
    before = _tree(victim)
    raw = tmp_path / "raw"
    raw.mkdir()
    manifest = raw / "manifest.jsonl"
    {"fifo": lambda: os.mkfifo(manifest), "link": lambda: manifest.symlink_to(victim / "x"),
     "folder": manifest.mkdir}[kind]()
    store = _in_thread(lambda: SnapshotStore(raw), 60)
    err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert store.entries == [] and len(err) == 1 and err[0].startswith("turnover: warning: "), err
    req = Request("comtrade", "get", "http://127.0.0.1/x", Cells("A", ("BLR",), ("KAZ",), ("2015",)))
    with pytest.raises(OutputError, match="it is not overwritten"):
        store.save(req, status=200, body=b"{}", content_type="application/json", outcome="ok",
                   retrieved_at=dt.datetime.now(dt.timezone.utc), licence="t")
    assert _tree(victim) == before  # the link's target neither read into the store nor written
    assert {"fifo": manifest.is_fifo, "link": manifest.is_symlink, "folder": manifest.is_dir}[kind]()  # left as found
