"""Bundle every IMF DOTS Excel export and write their manifest entries (the ``imf_dots`` collection).

    python -m turnover.ingest.dots_manifest            # copy new files, write the entries
    python -m turnover.ingest.dots_manifest --check    # only compare: exit 1 when anything differs

Reads ``--from`` (default ``../shared/data/fetched/SamLeBlanc+Direction-of-Trade-Map/``, where
the project's fetched copies of the repository's ``data/DOTS/*.xlsx`` sit), copies each export
byte for byte to ``data/raw/imf_dots/`` (a file already there must be identical) and writes one
line per file to ``data/manifest_imf_dots.csv`` with the shared provenance in the
``collections`` entry of ``data/manifest.yaml``: publisher, the IMF's page for DOTS, the route
(repository, path, commit), retrieval date, terms, loader, sha256 and size.

The reporter of each file is read from its header (``dots_excel.reporter_of``: the name printed
above the year row, mapped through ``countries/partner_names.csv``), never from the number in
the file name, which is only that repository's order. IMF groups and other areas (World, Euro
Area, Belgium-Luxembourg, SACCA …) are bundled too, with ``reporter_kind: aggregate``: the
all-pairs context reads them, the panel never holds them as reporters. When two files name the
same reporter and hold the same cells, the later one is marked ``duplicate_of`` the first and never
loaded (DOTS_144 repeats DOTS_143, Nicaragua); different cells for one reporter stop the script.

Files already listed one by one under ``files`` (DOTS_18 Belarus and DOTS_103 Kazakhstan, bundled
first, retrieved 2026-11-25) keep their entries; the script checks that their header names the
reporter the entry says and adds ``reporter``/``reporter_kind``/``reporter_name`` and the years where missing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..errors import ConfigError, TurnoverError
from ..paths import data_dir, shared_dir
from ..publish.atomic import sha256_of
from . import manifest
from .formats import dots_excel

FOLDER = "raw/imf_dots"
TABLE = "manifest_imf_dots.csv"
REPO, COMMIT = "SamLeBlanc/Direction-of-Trade-Map", "a769819d9b25a21a362d6cabfb10f150903f834d"
FETCHED = "data/fetched/SamLeBlanc+Direction-of-Trade-Map"
RETRIEVED_ON = "2026-12-04"  # when the project's shared folder received the 233 further files

COLLECTION = {
    "table": TABLE,
    "written_by": "python -m turnover.ingest.dots_manifest",
    "publisher": "International Monetary Fund (IMF), Direction of Trade Statistics (DOTS)",
    "publisher_url": "https://data.imf.org/?sk=9D6028D4-F14A-464C-A2F2-59B2CD424B85",
    "description": ("IMF DOTS Excel export, reporter {reporter_name}: sheets \"Exports, FOB to Partner Countries\" "
                    "and \"Imports, CIF from Partner Countries\", every partner (countries and aggregates incl. "
                    "World), annual {first_year}-{last_year} (years without any figure left out by the export), "
                    "US dollars millions; cells suffixed \" e\" are IMF estimates. Original file, unchanged."),
    "original_source": ("IMF Direction of Trade Statistics (data.imf.org), Excel export by reporter; DOTS was "
                        "succeeded in 2025 by IMF International Trade in Goods (by partner country), IMTS"),
    "route": (f"GitHub {REPO}, data/DOTS/{{file}} at commit {COMMIT} (files last changed 2022-02-02; "
              "via the project's shared fetched-data folder)"),
    "source_url": f"https://github.com/{REPO}/blob/{COMMIT}/data/DOTS/{{file}}",
    "retrieved_on": RETRIEVED_ON,
    "licence": ("IMF Copyright and Usage (imf.org/external/terms.htm, special terms for IMF Data incl. DOTS): "
                "download, extract, copy, create derivative works, publish and distribute with attribution "
                "(\"IMF, Direction of Trade Statistics\", retrieval date) and no misrepresentation"),
    "loader": "imf_dots_xlsx",
    "source_kind": "imf_dots",
    "coverage": "{reporter_name}-reported exports (FOB) and imports (CIF) with every partner, annual {first_year}-{last_year}",
    "unit": "USD millions",
    "update": ("download a newer DOTS export for the reporter, save it beside this one under a new name, run "
               "python -m turnover.ingest.dots_manifest (a new line with its own source_id), and declare it in "
               "data/primary_series.csv if it should be the reporter's primary series"),
}


def _number(p: Path) -> int:
    """Sort key only (the repository's order); never a meaning."""
    digits = "".join(ch for ch in p.stem if ch.isdigit())
    return int(digits) if digits else 0


def _cells(path: Path) -> list:
    return [(sh.title, sh.rows) for sh in dots_excel.sheets(path)]


def build(src: Path, root: Path, write: bool = True) -> tuple[dict, list[dict], list[str]]:
    """(manifest document, collection lines, what changed); copies files when ``write``."""
    doc = manifest._load(root)
    listed = {f["path"]: f for f in doc["files"]}
    files = sorted(src.glob("DOTS_*.xlsx"), key=_number)
    if not files:
        raise ConfigError(f"{src}: no DOTS_*.xlsx files")
    changes, rows, first_of = [], [], {}
    for f in files:
        rel = f"{FOLDER}/{f.name}"
        dest = root / rel
        if dest.exists():
            if dest.read_bytes() != f.read_bytes():
                raise ConfigError(f"data/{rel} differs from {f}: a newer export is a new file, never an edit")
        else:
            changes.append(f"copy {f.name}")
            if write:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
        head = dots_excel.reporter_of(f)
        if rel in listed:  # entries written one by one before the collection: kept, checked
            e = listed[rel]
            if e.get("reporter", head["reporter"]) != head["reporter"]:
                raise ConfigError(f"data/{rel}: the manifest says reporter {e['reporter']}, "
                                  f"the header {head['reporter_name']!r} ({head['reporter']})")
            for k in ("reporter", "reporter_kind", "reporter_name", "first_year", "last_year"):
                if k not in e:
                    e[k] = head[k]
                    changes.append(f"{rel}: add {k}")
            first_of.setdefault(head["reporter"], (rel, f))
            continue
        row = {"path": rel, "source_id": f"dots_{_number(f)}" if _number(f) else f.stem.lower(), **head,
               "duplicate_of": "", "sha256": sha256_of(f), "bytes": f.stat().st_size}
        if head["reporter"] in first_of:
            prev_rel, prev = first_of[head["reporter"]]
            if _cells(prev) != _cells(f):
                raise ConfigError(f"{f.name} and {prev.name} both report {head['reporter_name']!r} with different "
                                  "cells: say which one is current before bundling both")
            row["duplicate_of"] = prev_rel
        else:
            first_of[head["reporter"]] = (rel, f)
        rows.append(row)
    coll = next((c for c in doc.get("collections") or [] if c.get("table") == TABLE), None)
    if coll is None:
        coll = {}
        doc.setdefault("collections", []).append(coll)
    wanted = {**COLLECTION, "table_sha256": coll.get("table_sha256"), "table_bytes": coll.get("table_bytes")}
    if {k: coll.get(k) for k in wanted} != wanted:
        changes.append("collection entry")
    coll.clear()
    coll.update(wanted)
    return doc, rows, changes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m turnover.ingest.dots_manifest",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", type=Path, default=None, metavar="DIR",
                    help=f"folder of DOTS_*.xlsx (default: ../shared/{FETCHED})")
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 when the bundle or entries differ")
    args = ap.parse_args(argv)
    root = data_dir()
    src = args.src or ((shared_dir() / FETCHED) if shared_dir() else None)
    if src is None or not src.is_dir():
        print(f"turnover.ingest.dots_manifest: error: no folder {src or '../shared/' + FETCHED}", file=sys.stderr)
        return 2
    try:
        doc, rows, changes = build(src, root, write=not args.check)
        if args.check:
            old = manifest.read_table(root, next(c for c in manifest._load(root).get("collections") or []
                                                 if c.get("table") == TABLE))
            new = [{k: str(r.get(k, "")) for k in manifest.TABLE_COLUMNS} for r in rows]
            if old != new:
                changes.append("collection table")
        else:
            coll = next(c for c in doc["collections"] if c.get("table") == TABLE)
            manifest.write_table(root, coll, rows)
            manifest.write(root, doc)
    except (TurnoverError, StopIteration) as err:
        print(f"turnover.ingest.dots_manifest: error: {err or 'no imf_dots collection in the manifest'}",
              file=sys.stderr)
        return getattr(err, "exit_code", 1)
    if args.check:
        print(f"{len(rows)} collection file(s): " + ("up to date" if not changes else "differs: " + "; ".join(changes[:5])))
        return 1 if changes else 0
    kinds = sum(r["reporter_kind"] == "aggregate" for r in rows)
    dups = sum(bool(r["duplicate_of"]) for r in rows)
    print(f"{len(rows)} file(s) in the collection ({kinds} IMF groups or other areas, {dups} duplicate(s)); "
          f"{sum(c.startswith('copy') for c in changes)} copied; data/{TABLE} and data/manifest.yaml written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
