"""Bundled data: every file checked before any stage runs; official series (``data/raw/``) -> panel frames.

``check``: first the manifest (each file's sha256), then each table's rows against its typed
schema, so a bad cell (``about 537``, ``952,8``, month ``2008-13``, ``published_on=soon``) stops
the run with exit 3 and one line naming the file, line and column, before anything is computed
or published. A new bundled table adds its check to ``CHECKS``; the raw series files are checked
by parsing them (``load``: a bad cell names file, sheet and row, exit 3).

``load``: bundled official series (``data/raw/``) -> panel frames, one per file.

Which files, and how each is read, is declared in ``data/manifest.yaml``: an entry with a
``loader`` is a series file; its ``source_id``/``source_kind`` name the rows, and its
``source_url`` (where the copy came from) and ``retrieved_on`` go on every row. Each file
is checked against its sha256 first, parsed by the loader of its format, dated by the
first-release rules and returned in the panel's columns. Adding a file is a manifest entry,
not code (as long as its format has a loader).

Parsing the Excel exports costs about a second, so the parsed rows are kept in
``data/cache/bundled/<key>.parquet`` (git-ignored), ``key`` hashing the manifest entries (with
each file's sha256), the first-release rules, the loaders' code and the pandas version. The
raw files' checksums are verified on every run, cache or not; a stale or unreadable cache
entry is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..publish import atomic
from . import manifest, official, publishers, rates, releases
from ..errors import DataValidationError, StateError
from ..paths import cache_dir, data_dir
from ..readers import MAX_STATE_BYTES, read_bytes
from .formats import belstat_json, dots_excel, extracts
from .frame import to_panel


def _facts_validate():
    from . import facts  # the model package is heavy; only its facts table is needed here

    return facts.validate()


CHECKS: list[Callable[[], object]] = [official.validate, _facts_validate, publishers.validate, rates.validate]


def check(reporters=None) -> None:  # None: the bundled claims' reporters
    """Raise ``DataValidationError`` (exit 3) on the first problem: the manifest, a file's sha256, a table.

    Checks the sha256 of every file listed one by one in the manifest and, of a collection
    (the 235 DOTS exports), the files of ``reporters`` (all with ``None``): what the run reads.
    ``python -m turnover.ingest.manifest --check`` checks every file."""
    root = data_dir()
    reporters = default_reporters() if reporters is None else reporters
    paths = [e["path"] for e in manifest.entries(root) if "collection" not in e]
    paths += [e["path"] for e in series_entries(root, reporters) if "collection" in e]
    manifest.check(root, paths=dict.fromkeys(paths))
    for fn in CHECKS:
        fn()


def _belstat(path, e):
    return belstat_json.read(path, period=e["period"], reporter=e["reporter"], unit=e.get("unit", "thousand USD"))


def _dots(path, e):
    return dots_long(path, e, root=Path(path).parents[len(Path(e["path"]).parts) - 1])


LOADERS = {
    "imf_dots_xlsx": _dots,
    "csv_extract": lambda path, e: extracts.read(path),
    "belstat_json": _belstat,
}


ALL = "all"  # every reporter, instead of a list


def default_reporters() -> list[str]:
    """The reporters the bundled claims file (``seeds/claims.yaml``) reads."""
    from ..claims import load_claims

    return load_claims().reporters()


def series_entries(root=None, reporters=ALL) -> list[dict]:
    """Manifest entries of the bundled series files a run reads: those with a ``loader``, whose
    reporter is a country (IMF groups and other areas feed only the all-pairs context) and that
    repeat no other file (``duplicate_of``); with a list of ``reporters``, only theirs (an entry
    that names no reporter is always read)."""
    want = None if reporters == ALL else set(reporters)
    return [e for e in manifest.entries(root)
            if e.get("loader") and e.get("reporter_kind", "country") == "country" and not e.get("duplicate_of")
            and (want is None or e.get("reporter") is None or e["reporter"] in want)]


def reporter_files(root=None) -> dict[str, str]:
    """Reporter -> the bundled DOTS export of its own statistics (countries only)."""
    return {e["reporter"]: e["path"] for e in series_entries(root, ALL)
            if e.get("source_kind") == "imf_dots" and e.get("reporter")}


def export_of(reporter: str, root=None) -> dict | None:
    """The bundled IMF DOTS export of ``reporter``'s own statistics, from the manifest alone (no
    row is read): path, source_id, first and last year, and when its first year's figures were
    public by the first-release rules (``first_public``); None when no export is bundled."""
    root = root or data_dir()
    path = reporter_files(root).get(reporter)
    if path is None:
        return None
    e = next(x for x in manifest.entries(root) if x["path"] == path)
    out = {"path": path, "source_id": e["source_id"], "first_year": e.get("first_year"), "last_year": e.get("last_year"),
           "first_public": None}
    rule = releases.rule_for(e["source_id"], "annual", releases.read(root / releases.FILE))
    if rule is not None and out["first_year"]:
        end = pd.Series([pd.Timestamp(int(out["first_year"]), 12, 31)])
        frame = pd.DataFrame({"source_id": [e["source_id"]], "frequency": ["annual"], "period_end": end})
        out["first_public"] = releases.date_rows(frame, releases.read(root / releases.FILE))["published_on"].iloc[0]
    return out


# the code a parsed DOTS table depends on (the per-file cache key, beside the file's sha256)
_PARSER = ["ingest/formats/dots_excel.py", "countries/partner_names.py", "countries/partner_names.csv"]


def _parser_key() -> str:
    pkg = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(pd.__version__.encode())
    for c in _PARSER:
        h.update((pkg / c).read_bytes())
    return h.hexdigest()[:16]


def dots_long(path: Path, e: dict, root=None, aggregates: bool = False) -> pd.DataFrame:
    """``dots_excel.read`` of a DOTS export whose sha256 was checked, through a per-file cache:
    ``data/cache/dots/<sha256>-<parser>.parquet`` (git-ignored, written atomically), so each
    export is parsed once per parser version whatever run or pair needs it (``paths.cache_dir``)."""
    root = root or data_dir()
    cache = cache_dir(root) / "dots" / f"{e['sha256']}-{_parser_key()}.parquet"
    if os.path.lexists(cache):
        try:  # the bounded reader: a FIFO, device or link planted as the cache entry is refused, not read
            return pd.read_parquet(io.BytesIO(read_bytes(cache, "DOTS cache", StateError, MAX_STATE_BYTES, follow=False)))
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            pass
    long = dots_excel.read(path, aggregates=aggregates or e.get("reporter_kind") == "aggregate")
    buf = io.BytesIO()
    long.to_parquet(buf, index=False)
    try:
        atomic.write_bytes(cache, buf.getvalue())
    except OSError:  # a read-only checkout still runs, only slower
        pass
    return long


def load_one(e: dict, root=None) -> pd.DataFrame:
    root = root or data_dir()
    manifest.entry(e["path"], root)  # sha256 first: never parse a file that changed silently
    loader = LOADERS.get(e["loader"])
    if loader is None:
        raise DataValidationError(f"data/manifest.yaml: {e['path']}: unknown loader {e['loader']!r} "
                                  f"(known: {', '.join(LOADERS)})")
    long = loader(root / e["path"], e)
    return releases.date_rows(to_panel(long, e), releases.read(root / releases.FILE))


# the code a parsed bundled table depends on, relative to the turnover package; a missing file is
# an error here (a file moved without updating this list would otherwise leave the cache stale)
_CODE = ["ingest/bundled.py", "ingest/releases.py", "ingest/panel.py", "ingest/frame.py",
         "countries/partner_names.py", "countries/partner_names.csv", "ingest/formats/dots_excel.py",
         "ingest/formats/extracts.py", "ingest/formats/belstat_json.py"]


def cache_key(entries: list[dict], root: Path) -> str:
    h = hashlib.sha256(json.dumps(entries, sort_keys=True, default=str).encode())
    pkg = Path(__file__).resolve().parents[1]
    h.update(read_bytes(root / releases.FILE) if (root / releases.FILE).exists() else b"<missing>")
    for c in _CODE:
        h.update((pkg / c).read_bytes())
    h.update(pd.__version__.encode())
    return h.hexdigest()[:32]


def load(root=None, use_cache: bool = True, reporters=None) -> list[pd.DataFrame]:
    """Panel frames of the bundled series files of ``reporters`` (``None``: the bundled claims'
    reporters, Belarus and Kazakhstan; ``ALL``: every country; one frame when read from the cache)."""
    root = root or data_dir()
    entries = series_entries(root, default_reporters() if reporters is None else reporters)
    if not entries:
        return []
    for e in entries:  # checksums first, always
        manifest.entry(e["path"], root)
    cache = root / "cache" / "bundled" / f"{cache_key(entries, root)}.parquet"
    if use_cache and os.path.lexists(cache):
        try:  # the bounded reader: a FIFO, device or link planted as the cache entry is refused, not read
            return [pd.read_parquet(io.BytesIO(read_bytes(cache, "bundled cache", StateError, MAX_STATE_BYTES,
                                                          follow=False)))]
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            pass
    frames = [load_one(e, root) for e in entries]
    if use_cache:
        buf = io.BytesIO()
        pd.concat(frames, ignore_index=True).to_parquet(buf, index=False)
        try:
            atomic.write_bytes(cache, buf.getvalue())
        except OSError:  # a read-only checkout still runs, only slower
            pass
    return frames
