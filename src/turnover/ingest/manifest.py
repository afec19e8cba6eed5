"""The manifest of bundled data files: publisher, contents, retrieval date, sha256.

``python -m turnover.ingest.manifest --check`` verifies every checksum (a missing, changed or
unlisted file, or a broken manifest, is bundled data failing validation: exit 3); ``--update`` rewrites the
sha256 and byte counts after a deliberate edit of a bundled file.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from functools import lru_cache
from pathlib import Path

import yaml

from ..publish import atomic
from ..publish.atomic import sha256_of
from ..errors import DataValidationError, TurnoverError
from ..paths import data_dir
from ..readers import MAX_BYTES, read_bytes, read_yaml

MANIFEST = "manifest.yaml"
REQUIRED = ["path", "publisher", "description", "retrieved_on", "sha256", "bytes", "licence"]


def _load(root: Path) -> dict:
    path = root / MANIFEST
    doc = read_yaml(path, "manifest", DataValidationError)
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise DataValidationError(f"{path}: expected a mapping with a 'files' list")
    for i, f in enumerate(doc["files"]):
        if not isinstance(f, dict):
            raise DataValidationError(f"{path}: files[{i}] is not a mapping")
        missing = [k for k in REQUIRED if k not in f]
        if missing:
            raise DataValidationError(f"{path}: files[{i}] lacks {', '.join(missing)}")
        rel = f["path"]
        if (not isinstance(rel, str) or rel.startswith("/") or "\\" in rel or "\0" in rel
                or any(p in ("", ".", "..") for p in rel.split("/"))):
            raise DataValidationError(f"{path}: files[{i}].path {rel!r} is not a plain relative path inside data/")
    return doc


@lru_cache(maxsize=8)
def _cached(root: str) -> dict:
    return _load(Path(root))


def entries(root: Path | None = None) -> list[dict]:
    return _cached(str(root or data_dir()))["files"]


def entry(rel: str, root: Path | None = None) -> dict:
    """The manifest record of a bundled file, after checking its sha256."""
    root = root or data_dir()
    for f in entries(root):
        if f["path"] == rel:
            actual = hashlib.sha256(read_bytes(root / rel, "bundled file", DataValidationError)).hexdigest()
            if actual != f["sha256"]:
                raise DataValidationError(f"data/{rel}: sha256 {actual[:12]}… differs from the manifest "
                                          f"({f['sha256'][:12]}…); run python -m turnover.ingest.manifest --update "
                                          "after a deliberate edit")
            return f
    raise DataValidationError(f"data/{rel}: not listed in data/{MANIFEST}")


def check(root: Path | None = None) -> int:
    root = root or data_dir()
    for f in entries(root):
        entry(f["path"], root)
    return len(entries(root))


def update(root: Path | None = None) -> int:
    root = root or data_dir()
    doc = _load(root)
    for f in doc["files"]:
        p = root / f["path"]
        f["sha256"] = sha256_of(p, "bundled file", DataValidationError, max_bytes=MAX_BYTES)
        f["bytes"] = p.stat().st_size
    atomic.write_text(root / MANIFEST, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))
    _cached.cache_clear()
    return len(doc["files"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m turnover.ingest.manifest", description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--check", action="store_true", help="verify every bundled file's sha256")
    g.add_argument("--update", action="store_true", help="recompute sha256 and sizes")
    args = ap.parse_args(argv)
    try:
        n = check() if args.check else update()
    except TurnoverError as err:
        print(f"turnover.ingest.manifest: error: {err}", file=sys.stderr)
        return err.exit_code
    print(f"{n} file(s) {'verified' if args.check else 'updated'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
