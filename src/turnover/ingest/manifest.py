"""The manifest of bundled data files: publisher, contents, retrieval date, sha256.

``data/manifest.yaml`` lists each file under ``files`` (one entry each). A set of files of one
origin and format (the 235 IMF DOTS exports) is a *collection*: one entry under
``collections`` holds what they share (publisher, publisher's page, route, retrieval date,
terms, loader; ``{file}`` and ``{reporter_name}`` … in a text are filled per file) and names
a table (``manifest_imf_dots.csv`` beside the manifest, its sha256 in ``table_sha256``) with one line per
file: path, source_id, reporter, sha256, bytes … ``entries()`` gives one dict per file either
way, so every reader of the manifest sees the same shape. Collections are written by a script
(``python -m turnover.ingest.dots_manifest``), never by hand.

``python -m turnover.ingest.manifest --check`` verifies every checksum (a missing, changed or
unlisted file, or a broken manifest, is bundled data failing validation: exit 3); ``--update`` rewrites the
sha256 and byte counts after a deliberate edit of a bundled file. A run checks the files it
reads (``check(paths=...)``; ``turnover.ingest.bundled``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
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
TABLE_COLUMNS = ["path", "source_id", "reporter", "reporter_kind", "reporter_name", "first_year", "last_year",
                 "duplicate_of", "sha256", "bytes"]
SHARED_ONLY = {"table", "table_sha256", "table_bytes", "written_by"}


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
    if not isinstance(doc.get("collections", []), list):
        raise DataValidationError(f"{path}: 'collections' must be a list")
    return doc


def read_table(root: Path, coll: dict) -> list[dict]:
    """The per-file lines of a collection, after checking the table's own sha256."""
    rel = coll.get("table")
    if not rel:
        raise DataValidationError(f"data/{MANIFEST}: a collection lacks its 'table'")
    if (not isinstance(rel, str) or rel.startswith("/") or "\\" in rel or "\0" in rel
            or any(x in ("", ".", "..") for x in rel.split("/"))):
        raise DataValidationError(f"data/{MANIFEST}: collection table {rel!r} is not a plain relative path inside data/")
    body = read_bytes(root / rel, "manifest table", DataValidationError)
    actual = hashlib.sha256(body).hexdigest()
    if actual != coll.get("table_sha256"):
        raise DataValidationError(f"data/{rel}: sha256 {actual[:12]}… differs from the manifest "
                          f"({str(coll.get('table_sha256'))[:12]}…); rewrite it with {coll.get('written_by', 'its script')}")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    for i, r in enumerate(rows):
        f = r.get("path") or ""
        if f.startswith("/") or "\\" in f or "\0" in f or any(x in ("", ".", "..") for x in f.split("/")):
            raise DataValidationError(f"data/{rel} line {i + 2}: path {f!r} is not a plain relative path inside data/")
    if rows and list(rows[0]) != TABLE_COLUMNS:
        raise DataValidationError(f"data/{rel}: columns {list(rows[0])}, expected {TABLE_COLUMNS}")
    return rows


def expand(coll: dict, row: dict) -> dict:
    """One file's entry: the collection's shared fields (``{…}`` filled from the line) + the line."""
    fill = {**row, "file": Path(row["path"]).name}
    shared = {k: (v.format(**fill) if isinstance(v, str) and "{" in v else v)
              for k, v in coll.items() if k not in SHARED_ONLY}
    e = {**shared, **{k: v for k, v in row.items() if v != ""}}
    e["bytes"] = int(e["bytes"])
    for k in ("first_year", "last_year"):
        if k in e:
            e[k] = int(e[k])
    e["collection"] = coll["table"]
    return e


@lru_cache(maxsize=8)
def _cached(root: str) -> tuple[list[dict], dict[str, dict]]:
    """Every file's entry, and the same by path."""
    r = Path(root)
    doc = _load(r)
    out = list(doc["files"])
    for coll in doc.get("collections") or []:
        out += [expand(coll, row) for row in read_table(r, coll)]
    paths = [e["path"] for e in out]
    if len(set(paths)) != len(paths):
        dup = sorted({p for p in paths if paths.count(p) > 1})
        raise DataValidationError(f"data/{MANIFEST}: listed twice: {', '.join(dup)}")
    return out, {e["path"]: e for e in out}


def entries(root: Path | None = None) -> list[dict]:
    return _cached(str(root or data_dir()))[0]


def entry(rel: str, root: Path | None = None) -> dict:
    """The manifest record of a bundled file, after checking its sha256."""
    root = root or data_dir()
    f = _cached(str(root))[1].get(rel)
    if f is None:
        raise DataValidationError(f"data/{rel}: not listed in data/{MANIFEST}")
    actual = hashlib.sha256(read_bytes(root / rel, "bundled file", DataValidationError)).hexdigest()
    if actual != f["sha256"]:
        raise DataValidationError(f"data/{rel}: sha256 {actual[:12]}… differs from the manifest "
                                  f"({f['sha256'][:12]}…); run python -m turnover.ingest.manifest --update "
                                  "after a deliberate edit")
    return f


def check(root: Path | None = None, paths=None) -> int:
    """Verify the sha256 of ``paths`` (manifest paths), or of every listed file."""
    root = root or data_dir()
    todo = [f["path"] for f in entries(root)] if paths is None else list(paths)
    for rel in todo:
        entry(rel, root)
    return len(todo)


def write_table(root: Path, coll: dict, rows: list[dict]) -> None:
    """Write a collection's table and record its sha256 and size in ``coll`` (the caller writes
    the manifest)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=TABLE_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows({k: r.get(k, "") for k in TABLE_COLUMNS} for r in rows)
    body = buf.getvalue().encode("utf-8")
    atomic.write_bytes(root / coll["table"], body)
    coll["table_sha256"] = hashlib.sha256(body).hexdigest()
    coll["table_bytes"] = len(body)


def write(root: Path, doc: dict) -> None:
    atomic.write_text(root / MANIFEST, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))
    _cached.cache_clear()


def update(root: Path | None = None) -> int:
    root = root or data_dir()
    doc = _load(root)
    n = 0
    for f in doc["files"]:
        p = root / f["path"]
        f["sha256"] = sha256_of(p, "bundled file", DataValidationError, max_bytes=MAX_BYTES)
        f["bytes"] = p.stat().st_size
        n += 1
    for coll in doc.get("collections") or []:
        rows = list(csv.DictReader(io.StringIO(
            read_bytes(root / coll["table"], "manifest table", DataValidationError).decode("utf-8"))))
        for r in rows:
            p = root / r["path"]
            r["sha256"] = sha256_of(p, "bundled file", DataValidationError, max_bytes=MAX_BYTES)
            r["bytes"] = str(p.stat().st_size)
        write_table(root, coll, rows)
        n += len(rows)
    write(root, doc)
    return n


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
