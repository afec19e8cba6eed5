"""The report: execute the notebooks on a run's staged outputs, export one HTML page.

``build`` is the report stage of ``python -m turnover.refresh``. Modules: ``inputs`` (what a
notebook reads), ``charts`` (one chart per claim, by rule kind), ``plotted`` (what a chart plots,
as its CSV), ``names`` (country and reporter names), ``rating`` (the rating scale as chips),
``provenance`` (source lines), ``citation`` (how to cite, every source), ``show`` (the page's
parts in a notebook), ``style`` (CSS), ``badges`` (labels for verdicts.json), ``execute``
(nbclient), ``export`` (HTML). A re-run with unchanged inputs is skipped as a whole by ``refresh``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..claims import ClaimsFile
from . import inputs  # light; execute/export (nbclient, nbconvert) load only when building


@dataclass
class Report:
    html: str
    notebooks: dict[str, str]   # "NN_name.ipynb" -> executed notebook JSON
    warnings: list[str]         # "<notebook>: <stderr text>"


def build(panel_path: Path, verdicts_path: Path, claims: ClaimsFile, claims_path: Path | None = None,
          today: dt.date | None = None, notebooks: list[Path] | None = None) -> Report:
    """Execute every notebook against the given panel and verdicts files; return the report."""
    import nbformat

    from . import execute, export

    today = today or dt.date.today()
    env = {inputs.ENV_PANEL: str(panel_path), inputs.ENV_VERDICTS: str(verdicts_path),
           inputs.ENV_TODAY: today.isoformat()}
    if claims_path:
        env[inputs.ENV_CLAIMS] = str(Path(claims_path).resolve())
    done = execute.execute_all(notebooks if notebooks is not None else execute.notebook_paths(), env)
    warnings = [f"{ex.name}: {w.strip()}" for ex in done for w in ex.warnings]
    html = export.to_html(done, claims, today)
    return Report(html=html, notebooks={f"{ex.name}.ipynb": nbformat.writes(ex.notebook) for ex in done},
                  warnings=warnings)
