"""The all-pairs matrix: every DOTS reporter's trade with every partner, every year, in one table.

Built once from the bundled IMF DOTS exports (every country reporter, each parsed through the
per-file cache of ``bundled.dots_long``, plus the IMF's World aggregate for world trade) into
``data/cache/allpairs/<key>.parquet`` (``paths.cache_dir``; git-ignored, written atomically under a lock, a tqdm bar
while it builds): columns ``reporter``, ``partner``, ``year``, ``export``, ``import`` (USD, as the
reporter reports them; IMF estimates included), one row per reporter, partner (a country or the
World ``WLD``) and year, sorted by year with one Parquet row group per year, so a reader asks for
the years it needs and reads only those (``read(years=[2014, 2015])``: a few hundredths of a second).

``key`` hashes the inputs' sha256 (from the manifest), the parser and this module, so a new
export or a parser change builds a new matrix. Each input's sha256 is checked when the matrix is
built; a later read re-checks a file only when its size or modification time differs from what
was recorded at the build (``<key>.stamp.json``), and a file whose sha256 no longer matches the
manifest stops the run (exit 3) as everywhere else. ``python -m turnover.ingest.manifest --check``
checks them all.

First build on the 2-core development machine (shared with other jobs): see README (Context
from all pairs); a re-read of two years is well under a second.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from pathlib import Path

import pandas as pd

from ..paths import cache_dir, data_dir
from ..publish import atomic
from . import manifest

WORLD = "WLD"
COLUMNS = ["reporter", "partner", "year", "export", "import"]


def inputs(root: Path | None = None) -> list[dict]:
    """The DOTS exports the matrix reads: every country reporter (no repeat) and the World aggregate."""
    from .bundled import series_entries

    root = root or data_dir()
    countries = [e for e in series_entries(root, "all") if e.get("source_kind") == "imf_dots"]
    world = [e for e in manifest.entries(root) if e.get("source_kind") == "imf_dots" and e.get("reporter") == WORLD
             and not e.get("duplicate_of")]
    return sorted(countries + world, key=lambda e: e["path"])


def key(entries: list[dict]) -> str:
    from .bundled import _parser_key

    h = hashlib.sha256(json.dumps([(e["path"], e["sha256"]) for e in entries]).encode())
    h.update(_parser_key().encode())
    h.update(Path(__file__).read_bytes())
    h.update(pd.__version__.encode())
    return h.hexdigest()[:24]


def _stamp(root: Path, entries: list[dict]) -> dict[str, list[int]]:
    out = {}
    for e in entries:
        st = (root / e["path"]).stat()
        out[e["path"]] = [st.st_size, st.st_mtime_ns]
    return out


def _one(root: Path, e: dict) -> pd.DataFrame:
    from .bundled import dots_long

    long = dots_long(root / e["path"], e, root=root)
    keep = (long["partner_kind"] == "country") | (long["partner"] == WORLD)
    long = long.loc[keep, ["reporter", "partner", "flow", "period_end", "value_usd"]]
    return long.assign(year=long["period_end"].dt.year.astype("int16")).drop(columns="period_end")


def build(root: Path | None = None, progress: bool = True) -> Path:
    """Build the matrix (when its key has no file yet) and return its path."""
    from filelock import FileLock
    from tqdm import tqdm

    root = root or data_dir()
    entries = inputs(root)
    folder = cache_dir(root) / "allpairs"
    path = folder / f"{key(entries)}.parquet"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".build.lock"):
        if path.exists():  # built by another process meanwhile
            return path
        t0 = time.perf_counter()
        parts = []
        for e in tqdm(entries, desc="all-pairs matrix (first build)", unit="export", disable=not progress, leave=False):
            manifest.entry(e["path"], root)  # sha256 of every input, as when a run reads a file
            parts.append(_one(root, e))
        long = pd.concat(parts, ignore_index=True)
        wide = (long.pivot_table(index=["year", "reporter", "partner"], columns="flow", values="value_usd",
                                 aggfunc="first", observed=True)
                .reindex(columns=["export", "import"]).reset_index())
        wide = wide.sort_values(["year", "reporter", "partner"], kind="stable")[COLUMNS]
        for c in ("reporter", "partner"):
            wide[c] = wide[c].astype("category")
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(wide, preserve_index=False)
        buf = io.BytesIO()
        groups = wide.groupby("year", sort=True).size().tolist()
        writer = pq.ParquetWriter(buf, table.schema)
        start = 0
        for n in groups:  # one row group per year: a reader of two years reads two groups
            writer.write_table(table.slice(start, n))
            start += n
        writer.close()
        atomic.write_bytes(path, buf.getvalue())
        atomic.write_text(path.with_suffix(".stamp.json"), json.dumps(
            {"built_in_s": round(time.perf_counter() - t0, 1), "rows": len(wide), "files": _stamp(root, entries)}))
    return path


def verify(root: Path, entries: list[dict], path: Path) -> None:
    """Re-check the sha256 of every input whose size or time changed since the build."""
    stamp_path = path.with_suffix(".stamp.json")
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        stamp = {}
    now = _stamp(root, entries)
    changed = [p for p, s in now.items() if stamp.get(p) != s]
    for p in changed:
        manifest.entry(p, root)  # DataValidationError (exit 3) when the file is not what the manifest says
    if changed:
        try:
            doc = json.loads(stamp_path.read_text(encoding="utf-8")) if stamp_path.exists() else {}
            doc["files"] = now
            atomic.write_text(stamp_path, json.dumps(doc))
        except (OSError, ValueError):
            pass


def read(years=None, root: Path | None = None, progress: bool = True) -> pd.DataFrame:
    """The matrix (only ``years`` when given), built first if needed."""
    root = root or data_dir()
    entries = inputs(root)
    path = build(root, progress=progress)
    verify(root, entries, path)
    filters = [("year", "in", [int(y) for y in years])] if years is not None else None
    if path.is_symlink() or not path.is_file():  # state this program wrote: a planted link or FIFO is refused
        from ..errors import StateError

        raise StateError(f"{path}: not a regular file; delete it and the matrix is built again")
    return pd.read_parquet(path, filters=filters).reset_index(drop=True)  # reporter, partner: categories


def main(argv=None) -> int:
    """``python -m turnover.ingest.allpairs``: build the matrix now and say how long it took."""
    import sys

    t0 = time.perf_counter()
    path = build()
    stamp = json.loads(path.with_suffix(".stamp.json").read_text(encoding="utf-8"))
    print(f"{path}: {stamp['rows']} rows (built in {stamp['built_in_s']} s; this call {time.perf_counter() - t0:.1f} s)",
          file=sys.stdout)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
