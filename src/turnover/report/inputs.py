"""What a notebook reads: the panel, the results, the claims and the context facts.

``python -m turnover.refresh`` passes its staged outputs through environment variables
(``TURNOVER_PANEL``, ``TURNOVER_VERDICTS``, ``TURNOVER_CLAIMS``, ``TURNOVER_TODAY``). In
JupyterLab they are unset, so the published ``data/processed/panel.parquet`` and
``reports/verdicts.json`` are read; if a refresh has not run yet, the panel and results are
computed in-process from the bundled data.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..claims import Claim, ClaimsFile, load_claims
from ..errors import ConfigError
from ..paths import official_dir, project_root

ENV_PANEL = "TURNOVER_PANEL"
ENV_VERDICTS = "TURNOVER_VERDICTS"
ENV_CLAIMS = "TURNOVER_CLAIMS"
ENV_TODAY = "TURNOVER_TODAY"
CONTEXT_FILE = "context_facts.csv"


@dataclass
class Inputs:
    panel: pd.DataFrame
    results: list[dict]
    claims: ClaimsFile
    facts: pd.DataFrame
    today: dt.date
    notes: list[str] = field(default_factory=list)
    # the files these inputs were read from (path, inode, size, mtime) and the date: equal keys
    # mean equal inputs, so charts drawn once can be reused within the process; None = not from files
    key: tuple | None = None

    def claims_with_rule(self, kind: str) -> list[Claim]:
        return [c for c in self.claims.claims if c.rule.kind == kind]

    def results_for(self, claim_id: str) -> list[dict]:
        return [r for r in self.results if r.get("claim_id") == claim_id]

    def as_of(self, vintage: str) -> dt.date:
        return self.claims.vintages[vintage]

    @property
    def article_date(self) -> dt.date:
        """The ``as_of_article`` vintage, else the article's own date."""
        return self.claims.vintages.get("as_of_article", self.claims.article.date)


# Files read once per process and handed out as copies: the in-process executor runs every
# notebook in the refreshing process, and each notebook would otherwise parse the same
# staged parquet file and context facts again. Keyed by path, size and mtime, so a changed
# file is read afresh.
#
# A data frame is handed out as a shallow copy: with pandas' copy-on-write (the only mode since
# pandas 3) writing to it, by column, .loc/.iloc or in place, copies what it writes first, and
# its NumPy arrays are read-only, so one notebook cannot change what the next one reads; the
# cells hold no mutable objects (text, numbers, dates). A deep copy of the panel cost about
# 12 ms per notebook. Anything else (the results: lists of dicts) is deep-copied (about 2 ms),
# and so is a data frame under pandas 2.
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


def _copy(obj):
    if isinstance(obj, pd.DataFrame) and _COPY_ON_WRITE:
        return obj.copy(deep=False)  # copy-on-write: see above
    return copy.deepcopy(obj)


def _read_panel(path: Path) -> pd.DataFrame:
    from ..model.series import object_text  # the charts filter it as often as the models do

    return object_text(pd.read_parquet(path))


def _read_results(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


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


def _today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{ENV_TODAY}={value!r}: not an ISO date") from None


def load(panel_path: str | Path | None = None, verdicts_path: str | Path | None = None,
         claims_path: str | Path | None = None, today: str | dt.date | None = None) -> Inputs:
    """Load everything a notebook needs; arguments override the environment variables."""
    env = os.environ
    root = project_root()
    panel_path = Path(panel_path or env.get(ENV_PANEL) or root / "data/processed/panel.parquet")
    verdicts_path = Path(verdicts_path or env.get(ENV_VERDICTS) or root / "reports/verdicts.json")
    claims_path = claims_path or env.get(ENV_CLAIMS) or None
    if not isinstance(today, dt.date):
        today = _today(today or env.get(ENV_TODAY))
    claims = load_claims(claims_path, today=today)
    today = today or dt.date.today()
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
    else:
        from .. import model

        results = model.evaluate(panel, claims, today=today)
        notes.append(f"{verdicts_path} not found: results computed in-process")
    key = None
    if not notes:  # both read from files (nothing computed in-process)
        from ..claims import source_files

        files = [panel_path, verdicts_path, *source_files(claims, claims_path)]
        key = (*(_file_key(Path(f)) for f in files if Path(f).exists()), today)
    return Inputs(panel=panel, results=results, claims=claims, facts=context_facts(),
                  today=today, notes=notes, key=key)
