"""The report: execute the notebooks on a run's staged outputs, export one HTML page.

``build`` is the report stage of ``python -m turnover.refresh``. Modules: ``inputs`` (what a
notebook reads: the run, the panel, the typed verdicts), ``charts`` (one chart per claim, by rule
kind, from the verdicts' tables), ``plotted`` (what a chart plots, as its CSV), ``rating`` (the
rating scale as chips), ``provenance`` (source lines), ``citation`` (how to cite, every source),
``show`` (the page's parts in a notebook), ``style`` (CSS), ``inprocess`` (runs the notebooks in
this process, the default), ``execute`` (on kernels, with ``kernel=True``), ``export`` (HTML).
Names, labels and sentences come from ``turnover.text``. A re-run with unchanged inputs is
skipped as a whole by ``refresh``.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path


def keep_rfc3987_syntax_out() -> None:
    """Stop jsonschema (imported by nbformat, under jupytext) from loading
    rfc3987_syntax, which builds ~35 Lark grammars at import (1.3 s of a 1.5 s import chain;
    jsonschema issues #1428, #1521). The only thing lost is jsonschema's "iri" and
    "iri-reference" format checks, which no notebook schema uses (and nbformat does not
    check formats). Done here, before any report module can import nbformat; a no-op
    once jsonschema is loaded."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: import raises ImportError


keep_rfc3987_syntax_out()

# jupytext's package __init__ imports its Jupyter server contents managers (jupyter_server,
# jupyter_client, tornado, zmq, ...: about 0.15 s of a refresh) for ``make lab``'s server; the
# report only reads and writes notebooks (jupytext.read, jupytext.writes).
JUPYTEXT_SERVER_PARTS = ("jupytext.sync_contentsmanager", "jupytext.async_contentsmanager")


@contextlib.contextmanager
def jupytext_server_parts_out():
    """While jupytext is imported in this block, its contents managers are not: jupytext
    catches their ImportError and leaves a stand-in that raises it if used. They can still be
    imported afterwards by name (JupyterLab's server is another process and imports its own)."""
    blocked = [m for m in JUPYTEXT_SERVER_PARTS if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # None in sys.modules: import raises ImportError
    try:
        yield
    finally:
        for m in blocked:
            if m in sys.modules and sys.modules[m] is None:
                del sys.modules[m]


from ..run import RUN_FILE_PARAMETER, Run  # noqa: E402
from . import inputs  # light; execute/export (nbclient, markdown-it) load only when building


@dataclass
class Report:
    html: str
    notebooks: dict[str, str]   # "NN_name.ipynb" -> executed notebook JSON
    warnings: list[str]         # "<notebook>: <stderr text>"


def build(run: Run, notebooks: list[Path] | None = None, kernel: bool = False) -> Report:
    """Execute every notebook for ``run`` (its panel and verdicts files); return the report.

    Each notebook gets the run through its ``run_file`` parameter (a cell injected after the
    one tagged ``parameters``, as papermill does). The notebooks run in this process
    (``inprocess``, where they get the very ``Run`` object), or on Jupyter kernels with ``kernel``."""
    import tempfile

    from . import execute

    if kernel:
        run_notebooks = execute.execute_all
    else:
        from .inprocess import execute_all as run_notebooks
    import nbformat

    from . import export

    with tempfile.TemporaryDirectory(prefix="turnover-run-") as tmp:
        run_file = run.save(Path(tmp) / "run.json")
        done = run_notebooks(notebooks if notebooks is not None else execute.notebook_paths(), {},
                             parameters={RUN_FILE_PARAMETER: str(run_file)})
    warnings = [f"{ex.name}: {w.strip()}" for ex in done for w in ex.warnings]
    html = export.to_html(done, run.claims, run.today)
    return Report(html=html, notebooks={f"{ex.name}.ipynb": nbformat.writes(ex.notebook) for ex in done},
                  warnings=warnings)
