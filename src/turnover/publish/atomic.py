"""Atomic file writes.

``write_bytes`` replaces one file atomically (temp file in the same folder, fsync, rename).
``Transaction`` publishes several files as one unit: they are staged first, a journal is
written atomically, then files are renamed into place. A run killed before the journal
exists leaves the old outputs; a run killed after it is rolled forward by ``recover``
(called at the start of every refresh), so readers never see a mix after recovery.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

JOURNAL = ".turnover-commit.json"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
STAGING_PREFIX = ".turnover-staging-"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


class Transaction:
    """Stage files under ``root`` and publish them together on ``commit``.

    Paths given to ``write_*`` are relative to ``root``. Leaving the ``with`` block by an
    exception discards the staging area and leaves every published file untouched.
    """

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.staging = self.root / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        self._files: list[str] = []

    def __enter__(self) -> "Transaction":
        recover(self.root)
        self.staging.mkdir(parents=True)
        return self

    def path(self, rel: str) -> Path:
        """Staging path for ``rel`` (for writers that want a filename, e.g. parquet)."""
        p = self.staging / rel
        p.parent.mkdir(parents=True, exist_ok=True)
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
        return {rel: sha256_of(self.staging / rel) for rel in self._files}

    def commit(self) -> None:
        for rel in self._files:  # make sure every staged file is on disk before the journal
            with open(self.staging / rel, "rb") as fh:
                os.fsync(fh.fileno())
        write_json(self.root / JOURNAL, {"staging": self.staging.name, "files": self._files})
        _roll_forward(self.root)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            shutil.rmtree(self.staging, ignore_errors=True)


def _roll_forward(root: Path) -> None:
    journal = root / JOURNAL
    spec = json.loads(journal.read_text(encoding="utf-8"))
    staging = root / spec["staging"]
    for rel in spec["files"]:
        src = staging / rel
        if src.exists():  # already moved by an earlier, interrupted roll-forward otherwise
            dst = root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            _fsync_dir(dst.parent)
    journal.unlink()
    _fsync_dir(root)
    shutil.rmtree(staging, ignore_errors=True)


def recover(root: Path | str) -> str | None:
    """Finish or discard an interrupted transaction under ``root``; says which it did."""
    root = Path(root)
    if not root.is_dir():
        return None
    done = None
    if (root / JOURNAL).exists():
        try:
            _roll_forward(root)
            done = "rolled forward"
        except (ValueError, KeyError):  # torn journal cannot exist (atomic), but be safe
            (root / JOURNAL).unlink(missing_ok=True)
            done = "discarded"
    for leftover in root.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
        done = done or "discarded"
    return done
