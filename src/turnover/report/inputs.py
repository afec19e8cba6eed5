"""What a notebook reads: the run, the panel, the verdicts and the context facts.

``load(run_file)`` is the notebooks' one call: ``python -m turnover.refresh`` injects
``run_file`` naming its ``Run`` (claims, dates, the staged panel and verdicts). In JupyterLab
``run_file`` is None and the run is ``turnover.run.build()``'s defaults: the published
``data/processed/panel.parquet`` and ``reports/verdicts.json`` are read; if a refresh has not
run yet, the panel and results are computed in-process from the bundled data.

The verdicts come back typed (``model.results.from_evidence`` on the file's ``evidence``), so the
report's sentences are the text layer's rendering of the same facts, and its charts plot the
tables the rules used. A verdicts file without evidence (written by an older version) has its
verdicts recomputed in-process for the charts, with a note.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import run as run_mod
from ..claims import Claim, ClaimsFile
from ..errors import ConfigError
from ..model.results import Verdict
from ..paths import official_dir
from ..run import Run

CONTEXT_FILE = "context_facts.csv"


@dataclass
class Inputs:
    run: Run
    panel: pd.DataFrame
    results: list[dict]
    facts: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    # the typed verdicts the results were rendered from (read-only: shared between notebooks)
    verdicts: list[Verdict] = field(default_factory=list)
    # the files these inputs were read from (path, inode, size, mtime) and the date: equal keys
    # mean equal inputs, so charts drawn once can be reused within the process; None = not from files
    key: tuple | None = None
    # the central banks' official exchange rates (``ingest.rates.load``, the table ``model.rates`` reads);
    # None: not read (the charts then show no rate series)
    rates: pd.DataFrame | None = None

    @classmethod
    def of(cls, panel: pd.DataFrame, results: list[dict], claims: ClaimsFile, facts: pd.DataFrame,
           today: dt.date, notes: list[str] | None = None, key: tuple | None = None,
           verdicts: list[Verdict] | None = None, rates: pd.DataFrame | None = None) -> "Inputs":
        """Inputs held in memory (no files): a run of these claims on ``today``; ``results``
        default to the records of ``verdicts``."""
        run = Run(claims=claims, claims_path=Path("claims.yaml"), today=today, out=Path("."))
        if verdicts and not results:
            from ..text.render import records

            results = records(verdicts)
        return cls(run=run, panel=panel, results=results, facts=facts, notes=list(notes or []), key=key,
                   verdicts=list(verdicts or []), rates=rates)

    def claims_with_rule(self, kind: str) -> list[Claim]:
        return [c for c in self.claims.claims if c.rule.kind == kind]

    def results_for(self, claim_id: str) -> list[dict]:
        return [r for r in self.results if r.get("claim_id") == claim_id]

    def verdicts_for(self, claim_id: str) -> list[Verdict]:
        return [v for v in self.verdicts if v.claim_id == claim_id]

    def verdict(self, claim_id: str, vintage: str, reporter: str = "all") -> Verdict | None:
        """The typed verdict of one claim, vintage and reporter (None when there is none)."""
        for v in self.verdicts:
            if (v.claim_id, v.vintage, v.reporter) == (claim_id, vintage, reporter):
                return v
        return None
    @property
    def claims(self) -> ClaimsFile:
        return self.run.claims

    @property
    def today(self) -> dt.date:
        return self.run.today

    def as_of(self, vintage: str) -> dt.date:
        return self.run.as_of(vintage)

    @property
    def article_date(self) -> dt.date:
        return self.run.article_date


# Files read once per process and handed out as copies: the in-process executor runs every
# notebook in the refreshing process, and each notebook would otherwise parse the same
# staged parquet file and context facts again. Keyed by path, size and mtime, so a changed
# file is read afresh.
#
# A data frame is handed out as a shallow copy: with pandas' copy-on-write (the only mode since
# pandas 3) writing to it, by column, .loc/.iloc or in place, copies what it writes first, and
# its NumPy arrays are read-only, so one notebook cannot change what the next one reads; the
# cells hold no mutable objects (text, numbers, dates). A deep copy of the panel cost about
# 12 ms per notebook. The results are kept as JSON text and parsed afresh for each notebook
# (a third of a deep copy's time: 13 ms against 38 ms for 80 claims' 480 records). Anything
# else is deep-copied, and so is a data frame under pandas 2.
_READ: dict[tuple, object] = {}


def _file_key(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)


def _once(path: Path, read):
    key = (*_file_key(path), read)
    if key not in _READ:
        if len(_READ) > 16:
            _READ.clear()
        _READ[key] = read(path)
    return _copy(_READ[key])


# pyproject allows pandas 2.2, where copy-on-write is off unless asked for: a deep copy there
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


class _JSONText(str):
    """Data read once as JSON, kept as its text: each copy handed out is parsed afresh."""


def _copy(obj):
    if isinstance(obj, pd.DataFrame) and _COPY_ON_WRITE:
        return obj.copy(deep=False)  # copy-on-write: see above
    if isinstance(obj, _JSONText):
        return json.loads(obj)
    return copy.deepcopy(obj)


def _read_panel(path: Path) -> pd.DataFrame:
    from ..model.series import object_text  # the charts filter it as often as the models do

    return object_text(pd.read_parquet(path))


def _read_results(path: Path) -> _JSONText:
    """The results of a verdicts file, as JSON text (``_copy`` parses it: a list of dicts)."""
    return _JSONText(json.dumps(json.loads(path.read_text(encoding="utf-8")).get("results", [])))


# Typed verdicts read once per process and shared, not copied: nothing changes them.
_TYPED: dict[tuple, list[Verdict] | None] = {}


def _read_verdicts(path: Path) -> list[Verdict] | None:
    """The typed verdicts of a verdicts file, None when it carries no evidence."""
    key = _file_key(path)
    if key not in _TYPED:
        if len(_TYPED) > 8:
            _TYPED.clear()
        from ..model.results import from_evidence

        doc = json.loads(path.read_text(encoding="utf-8"))
        _TYPED[key] = from_evidence(doc.get("results", []), doc["evidence"]) if "evidence" in doc else None
    return _TYPED[key]


def context_facts(path: Path | None = None) -> pd.DataFrame:
    """The bundled context facts (partner shares, currency shocks, programme events)."""
    if path is None:
        from ..ingest.manifest import entry

        entry(f"official/{CONTEXT_FILE}")  # checks the sha256 against the manifest
        path = official_dir() / CONTEXT_FILE
    from ..ingest import facts  # one reader and one schema for the file (checked row by row)

    if not Path(path).exists():
        raise ConfigError(f"{path}: context facts file not found")
    df = _once(Path(path), facts.load)
    df["date"] = pd.to_datetime(df["date"], errors="coerce")
    df["file"] = f"official/{CONTEXT_FILE}"
    return df


def official_rates() -> pd.DataFrame:
    """The bundled official exchange rates (``ingest.rates.load``: one reader and one schema for the
    rates files), read once per process for each version of the files."""
    from ..ingest import rates

    return _copy(rates.load_once())


def load(run: Run | str | Path | None = None) -> Inputs:
    """Everything a notebook needs for ``run``: a ``Run``, the run file the refresh injects as
    ``run_file``, or None for ``turnover.run.build()``'s defaults (the notebook opened by hand)."""
    if run is None:
        run = run_mod.build()
    elif not isinstance(run, Run):
        run = run_mod.load(run)
    panel_path, verdicts_path = Path(run.panel_path), Path(run.verdicts_path)
    notes = []
    if panel_path.exists():
        panel = _once(panel_path, _read_panel)
    else:
        from ..ingest import official, panel as panel_mod

        panel = panel_mod.build_panel([official.load()])
        notes.append(f"{panel_path} not found: panel built in-process from the bundled data "
                     "(run `make refresh` to publish it)")
    if verdicts_path.exists():
        results = _once(verdicts_path, _read_results)
        typed = _read_verdicts(verdicts_path)
        if typed is None:
            from .. import model

            typed = model.verdicts(panel, run.claims, today=run.today)
            notes.append(f"{verdicts_path} carries no evidence (an older version wrote it): the charts use "
                         "verdicts recomputed in-process")
    else:
        from .. import model

        results = model.evaluate(panel, run.claims, today=run.today)
        typed = getattr(results, "verdicts", [])
        notes.append(f"{verdicts_path} not found: results computed in-process")
    key = None
    if not notes:  # both read from files (nothing computed in-process)
        files = [panel_path, verdicts_path, *run.source_files()]
        key = (*(_file_key(Path(f)) for f in files if Path(f).exists()), run.today)
    return Inputs(run=run, panel=panel, results=results, facts=context_facts(), notes=notes, key=key,
                  verdicts=typed, rates=official_rates())
