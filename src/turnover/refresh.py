"""Refresh everything: load -> panel -> models -> verdicts -> report.

Outputs (under --out, default the project folder), published together or not at all:
  data/processed/panel.parquet   the tidy panel, every row with its source URL
  reports/verdicts.json          one verdict per claim, vintage and reporter
  reports/turnover-report.html   the report, self-contained
  reports/notebooks/*.ipynb      the executed notebooks the report was exported from
  reports/run.json               what this run did and what changed since the last one
Each is a link into .turnover/current/, the run's own folder, switched to in one rename.

Exit codes: 0 done (a damaged previous run record or output is rebuilt, with a warning);
1 unexpected error; 2 configuration, claims file or setting broken, or --out or the raw folder
cannot be written (a file, read-only, disk full, a folder on the way that is a symbolic link;
previous outputs unchanged); 3 bundled data failed validation (a bad row, a missing, changed or
unlisted file); 4 a source failed (HTTP error, malformed or changed response);
5 network unreachable in --online mode: the outputs were still published from the bundled data
and the last raw snapshots (data/raw/), and the message says which call failed (when a source
also failed in another way the exit code is 4 and nothing is published; the message names every
source that failed);
6 another refresh is running on the same output folder.

A re-run whose inputs (panel content, claims, bundled data, code, notebooks, library versions,
date) are unchanged and whose published files are intact does nothing and says so (--force
rebuilds anyway).

--online fetches only what is missing or stale: a snapshot retrieved 24 months or more after the
end of its last period is final; others are fetched again when older than 7 days
(TURNOVER_SETTLE_MONTHS, TURNOVER_TTL_DAYS). An interrupted pull resumes where it stopped.
A source's "no data" answer (Comtrade's empty 200, WITS's 404 NoRecordsFound) is recorded and
final like any other answer; it is not an error.
COMTRADE_API_KEY switches UN Comtrade from the public preview to the keyed API.
"""

from __future__ import annotations

if __name__ == "__main__":  # the command line: no cyclic gc during the imports (see _tune_gc)
    import gc

    gc.disable()

import argparse
import datetime as dt
import gc
import io
import json
import sys
import time
from pathlib import Path

import pandas as pd

from filelock import FileLock, Timeout

from . import run as run_mod
from .errors import BusyError, OutputError, StateError, TurnoverError, warn
from .ingest import bundled, official, panel as panel_mod
from .paths import project_root
from .publish import atomic, changes, runkey, verdicts
from .run import NOTEBOOKS, PANEL, REPORT, RUN_RECORD as RUN, VERDICTS, Run

LOCK = ".turnover.lock"
STAGES = ["load", "panel", "models", "verdicts", "report"]


class _Progress:
    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.t0 = time.perf_counter()

    def stage(self, i: int, name: str, detail: str = "") -> None:
        if not self.quiet:
            t = time.perf_counter() - self.t0
            print(f"[{i}/{len(STAGES)}] {name:<8} {detail} ({t:.1f}s)", file=sys.stderr, flush=True)


def _read_previous(out: Path) -> tuple[pd.DataFrame | None, list[dict] | None, list[str]]:
    """The last published panel and verdicts, for the change summary, and what was wrong with them.

    Read through ``atomic.read_published`` (inside ``out``, the publisher's links only, regular
    files, bounded). Absent means None; damaged or unsafe means None and a warning: this run
    replaces them, so they are never a reason to stop."""
    old_panel = old_verdicts = None
    warnings = []
    try:
        data = atomic.read_published(out, PANEL, "previous panel")
        if data is not None:
            try:
                old_panel = pd.read_parquet(io.BytesIO(data))
            except Exception as err:  # pyarrow raises its own types for a damaged file
                raise StateError(f"{out / PANEL} is not a readable panel ({type(err).__name__})") from None
            if "row_id" not in old_panel.columns or not old_panel["row_id"].is_unique:
                old_panel = None
                raise StateError(f"{out / PANEL} has no unique row_id column")
    except StateError as err:
        warnings.append(f"{err}; the change summary counts every row as added")
    try:
        data = atomic.read_published(out, VERDICTS, "previous verdicts")
        if data is not None:
            try:
                doc = json.loads(data)
            except ValueError:
                raise StateError(f"{out / VERDICTS} is not valid JSON") from None
            results = doc.get("results") if isinstance(doc, dict) else None
            if not isinstance(doc, dict) or not (results is None or (isinstance(results, list) and all(
                    isinstance(r, dict) and all(isinstance(r.get(k), (str, type(None)))
                                                for k in ("claim_id", "vintage", "reporter")) for r in results))):
                raise StateError(f"{out / VERDICTS} is damaged ('results' is not a list of results)")
            old_verdicts = results
    except StateError as err:
        warnings.append(f"{err}; no verdict is reported as flipped")
    return old_panel, old_verdicts, warnings


def run(out: Path, online: bool = False, plan_only: bool = False, claims_path: Path | None = None,
        quiet: bool = False, today: dt.date | None = None, force: bool = False, kernel: bool = False,
        tune_gc: bool = False) -> dict:
    """Run every stage and publish the outputs atomically; returns the run summary.

    The settings become one ``Run`` (``turnover.run.build``: claims parsed and "today" resolved
    once) that every stage reads. The notebooks execute in this process, or on Jupyter kernels
    with ``kernel``; ``tune_gc`` (the command line) tunes the garbage collector for a one-run process."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write the outputs to {out}: it is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with FileLock(out / LOCK, timeout=0):
            the_run = run_mod.build(claims_path, out, today=today, online=online)
            return _run(the_run, plan_only, quiet, force, kernel, tune_gc)
    except Timeout:
        raise BusyError(f"another refresh is running on {out} (lock {out / LOCK})") from None
    except OSError as err:  # --out is a file, read-only, or the disk is full: nothing was published
        where = f" ({err.filename})" if err.filename and str(err.filename) != str(out) else ""
        raise OutputError(f"cannot write the outputs to {out}: {err.strerror or type(err).__name__}{where}; "
                          "the previous outputs are unchanged") from None


def _tune_gc(kernel: bool) -> None:
    """For the command line only (a process that ends after one run): the collector, off
    while importing (top of this file) and during the models, is switched on after them and
    the report's imports (done here rather than mid-report); the ~1M objects made so far go
    to the permanent generation, so a full collection never walks them, and young
    collections run less often. Saves about 0.5 s of CPU per refresh (from 700 collections to about 10)."""
    from .report import charts, export, show  # noqa: F401  (plotly, markdown-it, IPython)

    if not kernel:
        from .report import inprocess  # noqa: F401  (jupytext, nbformat)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    gc.enable()


def _all_pairs(quiet: bool) -> None:
    """The all-pairs matrix behind the report's context (``ingest.allpairs``): built here, with a
    progress bar, the first time (about 30 s), read in milliseconds later. An export whose sha256
    differs from the manifest stops the run (exit 3), as for any bundled file it reads; when the
    cache cannot be written (a read-only checkout) the report says so under the statement."""
    from .ingest import allpairs

    try:
        allpairs.build(progress=not quiet)
    except OSError:
        pass


def _run(the_run: Run, plan_only: bool, quiet: bool, force: bool, kernel: bool = False,
         tune_gc: bool = False) -> dict:
    from .ingest import live

    out, online, claims, today = the_run.out, the_run.online, the_run.claims, the_run.today
    progress = _Progress(quiet)
    recovered = atomic.recover(out)
    atomic.check(out, [PANEL, VERDICTS, REPORT, f"{NOTEBOOKS}/-", RUN])  # no folder on the way is a link
    reporters = claims.reporters()
    bundled.check(reporters)  # every bundled table the run reads, in full, before anything is computed

    network_error = None
    try:
        # online: the claims file's pair, named partners and window years (see Config.for_claims)
        config = live.Config.from_env(today=today).for_claims(claims) if online or plan_only else None
        src_frames = live.collect(online=online, plan_only=plan_only, progress=not quiet, config=config, today=today)
    except live.SnapshotFallback as err:  # publish from the last snapshots, then exit 5
        src_frames, network_error = err.frames, str(err)
    frames = [official.load()] + bundled.load(reporters=reporters) + src_frames
    progress.stage(1, "load", f"{sum(len(f) for f in frames)} rows from {len(frames)} source(s)")

    panel = panel_mod.build_panel(frames)
    progress.stage(2, "panel", f"{len(panel)} rows validated")

    key = runkey.input_key(panel, the_run.source_files(), today)
    if not force and network_error is None and runkey.up_to_date(out, RUN, key):
        progress.stage(len(STAGES), "skip", "inputs unchanged since the last run; outputs left as they are")
        return {"up_to_date": True, "network_error": None,
                "panel": {"added": 0, "removed": 0, "changed": 0, "changed_rows": []}, "verdicts_flipped": []}

    from . import model, report  # heavy (statsmodels, plotly): only when there is work to do

    # the models run with the collector still off, as during the imports (measured: ~0.1 s less,
    # 4 MB more at peak); the report's imports and the tuning for the report stage come after
    results = model.evaluate(panel, claims, today=today)
    if any(c.rule.kind == "declining_trend" for c in claims.claims):
        _all_pairs(quiet)
    if tune_gc:
        _tune_gc(kernel)
    progress.stage(3, "models", f"{len(results)} results")

    old_panel, old_verdicts, warnings = _read_previous(out)
    summary = {
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "mode": "online" if online else "offline",
        "input_key": key,
        "recovered_interrupted_run": recovered,
        "network_error": network_error,
        "panel": changes.diff_panels(old_panel, panel),
        "verdicts_flipped": changes.diff_verdicts(old_verdicts, results),
        "warnings": warnings,
    }
    verdicts_doc = verdicts.document(claims, results, reviewed_on=today)
    progress.stage(4, "verdicts", f"{len(summary['verdicts_flipped'])} flipped")

    buf = io.BytesIO()
    panel.to_parquet(buf, index=False)
    with atomic.Transaction(out) as tx:
        tx.write_bytes(PANEL, buf.getvalue())
        tx.write_json(VERDICTS, verdicts_doc)
        # the notebooks read this run's staged panel and verdicts, not the published ones
        built = report.build(the_run.staged(tx.path(PANEL), tx.path(VERDICTS)), kernel=kernel)
        tx.write_text(REPORT, built.html)
        for name, text in built.notebooks.items():
            tx.write_text(f"{NOTEBOOKS}/{name}", text)
        summary["report_warnings"] = built.warnings
        # written last: the hashes let anyone check that the published files belong together
        tx.write_json(RUN, {**summary, "outputs": tx.hashes()})
    progress.stage(5, "report", f"{out / REPORT}")
    return summary


def _print_summary(s: dict, out: Path) -> None:
    if s.get("up_to_date"):
        print(f"nothing changed since the last run: outputs in {out} are up to date (--force rebuilds)")
        return
    p = s["panel"]
    print(f"panel: {p['added']} row(s) added, {p['changed']} changed, {p['removed']} removed")
    flips = s["verdicts_flipped"]
    print(f"verdicts flipped: {len(flips)}")
    for f in flips:
        print(f"  {f['claim_id']} [{f['vintage']}, {f['reporter']}]: {f['from']} -> {f['to']}")
    print(f"outputs: {out / PANEL}, {out / VERDICTS}, {out / REPORT}")


def main(argv: list[str] | None = None, prog: str = "python -m turnover.refresh") -> int:
    ap = argparse.ArgumentParser(
        prog=prog,
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--offline", action="store_true", default=True,
                      help="bundled data and saved snapshots only, no network (default)")
    mode.add_argument("--online", action="store_true",
                      help="fetch new data from the live sources first (UN Comtrade, IMF, WITS)")
    mode.add_argument("--plan", action="store_true",
                      help="print the HTTP calls --online would make for the claims file (its pair, named "
                           "partners and window years), make none, write nothing")
    ap.add_argument("--out", type=Path, default=None, metavar="DIR",
                    help="where data/processed/ and reports/ go (default: the project folder)")
    ap.add_argument("--claims", type=Path, default=None, metavar="FILE",
                    help="claims file (default: seeds/claims.yaml)")
    ap.add_argument("--force", action="store_true", help="rebuild even when no input changed")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    ap.add_argument("--kernel", action="store_true",
                    help="execute the notebooks on Jupyter kernels, as JupyterLab does (default: in this process)")
    args = ap.parse_args(argv)
    out = (args.out or project_root()).resolve()
    try:
        if args.plan:  # the calls --online would make for this claims file: its pair, partners, years
            from .ingest import live

            the_run = run_mod.build(args.claims, out)
            live.collect(online=True, plan_only=True, today=the_run.today,
                         config=live.Config.from_env(today=the_run.today).for_claims(the_run.claims))
            return 0
        summary = run(out, online=args.online, claims_path=args.claims, quiet=args.quiet, force=args.force,
                      kernel=args.kernel, tune_gc=True)
    except TurnoverError as err:
        print(f"turnover: error: {err}", file=sys.stderr)
        return err.exit_code
    _print_summary(summary, out)
    for w in summary.get("warnings") or []:
        warn(w)
    if summary.get("network_error"):
        print(f"turnover: offline: {summary['network_error']}", file=sys.stderr)
        return 5
    return 0


if __name__ == "__main__":
    sys.exit(main())
