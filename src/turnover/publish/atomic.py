"""Atomic file writes, and publishing a run's outputs as one version without a journal.

``write_bytes`` replaces one file atomically (temp file in the same folder, fsync, rename).

``Transaction`` publishes several files as one version, the releases/current pattern of deploy
tools and Nix profiles. Under the output folder ``root``::

    .turnover/releases/<id>/<rel>        one run's files, written in full before anything changes
    .turnover/current -> releases/<id>   the one name a publish switches (a rename over it: atomic)
    <rel> -> ../.turnover/current/<rel>  what users open (reports/turnover-report.html, ...): a
                                         relative link per published file, through ``current``

A reader opening a published path gets the version ``current`` names at that moment. A run
killed at any point leaves the old or the new version whole and nothing to finish: ``recover``
only deletes releases that are not current, when one is (and, unread, a journal or staging folder left by
the journal-based publisher this replaced). No path is ever taken from a file in the output
folder: the links are replaced, never written through; a folder on the way that is a symbolic
link stops the run before anything is written (``OutputError``, exit 2); reading back what was
published (``published``) follows only the links this module makes. See docs/reliability.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

from .. import readers
from ..errors import OutputError, StateError, TurnoverError
from ..paths import confined

STATE = ".turnover"
RELEASES = "releases"
CURRENT = "current"
JOURNAL = ".turnover-commit.json"      # the former publisher's journal: removed unread when found
STAGING_PREFIX = ".turnover-staging-"  # the former publisher's staging folders: removed when found
_RELEASE_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{12}")
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class _Unsafe(TurnoverError):
    """A path on the way to an output is a link or not a folder (turned into ``OutputError``)."""


def sha256_of(path: Path | str, what: str = "", error: type[TurnoverError] = StateError,
              max_bytes: int = readers.MAX_STATE_BYTES, follow: bool = True) -> str:
    """Hex sha256 of a file's bytes, read through ``readers`` (regular file, bounded)."""
    return readers.sha256_file(path, what, error, max_bytes, follow)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; the old file stays intact on any failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; published files are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return path


def write_text(path: Path | str, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: Path | str, obj) -> Path:
    return write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


# --- the layout -------------------------------------------------------------------------------------

def _new_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:12]}"


def _link_target(rel: str) -> str:
    """What the published path ``rel`` links to: relative, so a copied or moved folder still works."""
    return "../" * rel.count("/") + f"{STATE}/{CURRENT}/{rel}"


def _inside(root: Path, rel: str, make_dirs: bool = False) -> Path:
    """``root/rel`` with every folder on the way a real folder; ``OutputError`` otherwise."""
    try:
        return confined(root, rel, _Unsafe, make_dirs=make_dirs)
    except _Unsafe as err:
        raise OutputError(f"cannot write the outputs to {root}: {err} (outputs are never written "
                          "through a link: remove it); the previous outputs are unchanged") from None


def _real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _current(root: Path) -> str | None:
    """The id of the release ``current`` names, when the whole chain is this module's own."""
    state = root / STATE
    if not (_real_dir(state) and _real_dir(state / RELEASES)):
        return None
    try:
        target = os.readlink(state / CURRENT)
    except OSError:  # absent, or not a link
        return None
    rid = target.removeprefix(f"{RELEASES}/")
    if target != f"{RELEASES}/{rid}" or not _RELEASE_ID.fullmatch(rid) or not _real_dir(state / RELEASES / rid):
        return None
    return rid


def _files_in(folder: Path) -> set[str]:
    """Relative paths of everything but folders under ``folder`` (links are listed, not followed)."""
    out = set()
    for dirpath, _dirs, files in os.walk(folder):  # os.walk never descends into a linked folder
        base = Path(dirpath).relative_to(folder)
        out.update((base / f).as_posix() for f in files)
    return out


def _remove(path: Path) -> None:
    """Delete a file, link or folder found at ``path`` (a link is removed, never followed)."""
    if _real_dir(path):
        shutil.rmtree(path, ignore_errors=True)  # rmtree does not follow links inside either
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _unlink_ours(root: Path, rel: str) -> None:
    """Remove the published link ``rel`` if it is this module's link (for a file no longer published)."""
    try:
        p = confined(root, rel, _Unsafe)
        if os.readlink(p) == _link_target(rel):
            os.unlink(p)
    except (_Unsafe, OSError):
        pass


def _prune(root: Path) -> bool:
    """Delete every release but the current one (and links to files only they had); True if any.

    Without a valid ``current`` (none published yet, or a copy of the folder that turned the link
    into a folder) nothing is deleted: what is what is not known; the next publish prunes."""
    releases = root / STATE / RELEASES
    keep = _current(root)
    if keep is None:
        return False
    kept = _files_in(releases / keep)
    removed = False
    for entry in sorted(os.scandir(releases), key=lambda e: e.name):
        if entry.name == keep:
            continue
        if entry.is_dir(follow_symlinks=False):
            for rel in _files_in(Path(entry.path)) - kept:
                _unlink_ours(root, rel)
        _remove(Path(entry.path))
        removed = True
    return removed


def _switch(root: Path, rid: str) -> None:
    """Point ``current`` at release ``rid``: a new link renamed over the old one (atomic)."""
    state = root / STATE
    link = state / CURRENT
    if _real_dir(link):  # a folder planted in our place cannot be renamed over: it goes
        shutil.rmtree(link)
    tmp = state / f".{CURRENT}.{uuid.uuid4().hex[:12]}"
    os.symlink(f"{RELEASES}/{rid}", tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(state)


def _link(root: Path, rel: str) -> None:
    """Make the published path ``rel`` this module's link (replacing whatever is there, never through it)."""
    dst = _inside(root, rel, make_dirs=True)
    target = _link_target(rel)
    try:
        st = os.lstat(dst)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode) and os.readlink(dst) == target:
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write the outputs to {root}: {dst} is a folder where a file is published; "
                          "the previous outputs are unchanged")
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:12]}.link")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(dst.parent)


def _adopt(root: Path, files: list[str]) -> None:
    """A folder published before releases existed holds the outputs as plain files: make them a
    release first (hard links: no copy), so replacing them by links never shows a mix."""
    legacy = []
    for rel in files:
        try:
            p = confined(root, rel, _Unsafe)
            if stat.S_ISREG(os.lstat(p).st_mode):
                legacy.append(rel)
        except (_Unsafe, OSError):
            pass
    if not legacy:
        return
    rid = _new_id()
    release = _inside(root, f"{STATE}/{RELEASES}/{rid}/-", make_dirs=True).parent
    for rel in legacy:
        dst = _inside(release, rel, make_dirs=True)
        try:
            os.link(root / rel, dst, follow_symlinks=False)
        except OSError:  # a file system without hard links
            shutil.copyfile(root / rel, dst, follow_symlinks=False)
    _sync_tree(release)
    _switch(root, rid)


def _sync_tree(folder: Path) -> None:
    """fsync every file and folder under ``folder`` (before ``current`` may name it)."""
    for dirpath, _dirs, files in os.walk(folder):
        for f in files:
            fd = os.open(Path(dirpath) / f, os.O_RDONLY | _NOFOLLOW)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))
    _fsync_dir(folder.parent)


def check(root: Path | str, files: list[str]) -> None:
    """``OutputError`` now, before any work, when a folder on the way to a published file or to
    the releases is a symbolic link or not a folder (``out/reports`` linked elsewhere, say)."""
    root = Path(root)
    for rel in [*files, f"{STATE}/{RELEASES}/{CURRENT}"]:
        _inside(root, rel)


def published(root: Path | str, rel: str) -> Path | None:
    """Where the bytes of the published file ``rel`` are (None when nothing is published there).

    Follows only this module's own links (``rel`` -> ``current`` -> a release); ``StateError``
    when ``rel`` is not a plain relative path, a folder on the way is a link, or ``rel`` is a link
    this module did not make. Read the result with ``follow=False`` (a last-part link is refused)."""
    root = Path(root)
    p = confined(root, rel, StateError, "published file")
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return None
    if not stat.S_ISLNK(st.st_mode):
        return p  # a plain file (a folder published before releases): the reader checks its kind
    if os.readlink(p) != _link_target(rel):
        raise StateError(f"{p} is a symbolic link this program did not make (to {os.readlink(p)}); not followed")
    rid = _current(root)
    if rid is None:
        return None
    return confined(root / STATE / RELEASES / rid, rel, StateError, "published file")


def read_published(root: Path | str, rel: str, what: str = "") -> bytes | None:
    """The bytes of the published file ``rel`` (None when absent); ``StateError`` as ``published``
    says, or when it is not a regular file or over ``readers.MAX_STATE_BYTES``."""
    path = published(root, rel)
    if path is None:
        return None
    try:
        return readers.read_bytes(path, what, StateError, readers.MAX_STATE_BYTES, follow=False)
    except StateError as err:
        if not os.path.lexists(path):  # a dangling link or a file removed meanwhile: nothing published
            return None
        raise err from None


class Transaction:
    """Stage files in a new release under ``root`` and publish them together on ``commit``.

    Paths given to ``write_*`` are relative to ``root``. Leaving the ``with`` block by an
    exception deletes the release and leaves every published file untouched.
    """

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.id = _new_id()
        self.staging = self.root / STATE / RELEASES / self.id  # the release being written
        self._files: list[str] = []

    def __enter__(self) -> "Transaction":
        self.root.mkdir(parents=True, exist_ok=True)  # the output folder itself is the caller's choice
        recover(self.root)
        _inside(self.root, f"{STATE}/{RELEASES}/{self.id}/-", make_dirs=True)
        return self

    def path(self, rel: str) -> Path:
        """Staging path for ``rel`` (for writers that want a filename, e.g. parquet)."""
        p = _inside(self.staging, rel, make_dirs=True)
        if rel not in self._files:
            self._files.append(rel)
        return p

    def write_bytes(self, rel: str, data: bytes) -> None:
        write_bytes(self.path(rel), data)

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def write_json(self, rel: str, obj) -> None:
        write_json(self.path(rel), obj)

    def hashes(self) -> dict[str, str]:
        """sha256 of every file staged so far (written into a run record to prove no mix)."""
        return {rel: sha256_of(self.staging / rel, follow=False) for rel in self._files}

    def commit(self) -> None:
        _sync_tree(self.staging)  # every staged byte on disk before anything can name it
        if _current(self.root) is None:
            _adopt(self.root, self._files)
        for rel in self._files:  # new links point at files the old release may lack: absent until the switch
            _link(self.root, rel)
        _switch(self.root, self.id)  # the one step that publishes
        _prune(self.root)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            shutil.rmtree(self.staging, ignore_errors=True)


def recover(root: Path | str) -> str | None:
    """Delete what an interrupted publish left (releases that are not current; a former journal
    or staging folder, unread); says "discarded" when there was any. ``OutputError`` when the
    state folder is a link (it is not followed)."""
    root = Path(root)
    if not root.is_dir():
        return None
    found = False
    for entry in os.scandir(root):
        if entry.name == JOURNAL or entry.name.startswith(STAGING_PREFIX):
            _remove(Path(entry.path))
            found = True
    if os.path.lexists(root / STATE):
        _inside(root, f"{STATE}/{RELEASES}/{CURRENT}")  # .turnover and .turnover/releases: real folders
        found = _prune(root) or found
    return "discarded" if found else None
