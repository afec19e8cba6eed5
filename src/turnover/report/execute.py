"""Execute the jupytext notebooks on a small pool of kernels (``refresh --kernel``).

The default is ``inprocess`` (no kernels, same notebooks and outputs). Kernels are how
JupyterLab (``make lab``) runs the notebooks; this path stays to run them that way in a
refresh and to check that both agree. nbclient and jupyter_client load only when it is used.

Starting a kernel and importing pandas, plotly and statsmodels costs more than running one of
these thin notebooks, so each kernel runs several notebooks in turn, its namespace reset
(``%reset -f``) before each one: imports are reused, variables are not.

Inputs reach the notebooks as an injected ``run_file`` parameter (see ``turnover.run``).
Anything a notebook writes to stderr (warnings included) is collected and returned, so
callers and tests can insist on a clean run.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


from . import jupytext_server_parts_out, keep_rfc3987_syntax_out

keep_rfc3987_syntax_out()

with jupytext_server_parts_out():
    import jupytext  # noqa: E402  (after the line above; a no-op when the package did it)
import nbformat  # noqa: E402

from ..errors import TurnoverError
from ..paths import notebooks_dir, project_root

KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TIMEOUT_S = 180  # per cell; the whole report normally runs in well under a minute


class NotebookError(TurnoverError):
    """A notebook failed to execute."""

    exit_code = 1


@dataclass
class Executed:
    name: str                     # file stem, e.g. "01_declining_trend"
    notebook: nbformat.NotebookNode
    warnings: list[str]           # stderr text, one entry per stream output


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The report's notebooks in order: ``NN_name.py`` jupytext files."""
    return sorted((folder or notebooks_dir()).glob("[0-9][0-9]_*.py"))


def stderr_of(nb: nbformat.NotebookNode) -> list[str]:
    return [o.get("text", "") for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]


def _failure(path: Path, nb: nbformat.NotebookNode, err: Exception) -> NotebookError:
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                return NotebookError(f"notebook {path.name}, cell {i}: {o.get('ename')}: {o.get('evalue')}")
    first = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
    return NotebookError(f"notebook {path.name}: {first}")


def inject(nb: nbformat.NotebookNode, parameters: dict | None) -> None:
    """Set ``parameters`` in a cell tagged ``injected-parameters`` right after the cell tagged
    ``parameters`` (papermill's convention), or first when no cell is tagged."""
    if not parameters:
        return
    source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(at, cell)


def drop_injected(nb: nbformat.NotebookNode) -> None:
    """Remove the injected cell once run: it names a run file that is gone after the run, and the
    published notebook reads like its source (``reports/run.json`` records the run)."""
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]


def kernel_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TURNOVER_ROOT", str(project_root()))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # silences debugpy's frozen-modules note on stderr
    env.update(extra)
    return env


KERNELS = 2  # one per core on the machines this runs on; more only adds start-up and imports


def _client(path: Path, km: AsyncKernelManager, timeout: int,
            parameters: dict | None = None) -> tuple[nbformat.NotebookNode, NotebookClient]:
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    inject(nb, parameters)
    nb.metadata["kernelspec"] = dict(KERNEL)
    # a fresh namespace for every notebook on a shared kernel (removed again before export)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f", metadata={"turnover_reset": True}))
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=KERNEL["name"],
                            resources={"metadata": {"path": str(path.parent)}})
    return nb, client


async def _run_batch(paths: list[Path], env: dict[str, str], timeout: int,
                     parameters: dict | None = None) -> list[Executed | BaseException]:
    """Run ``paths`` one after another on one kernel; every notebook is tried, failures returned."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    out: list[Executed | BaseException] = []
    with tempfile.TemporaryDirectory(prefix="turnover-kernel-") as sockets:
        # IPC sockets in a private folder: no open TCP ports, and no "unencrypted TCP" warning
        km = AsyncKernelManager(kernel_name=KERNEL["name"], transport="ipc", ip=os.path.join(sockets, "k"))
        await km.start_kernel(env=env)
        try:
            for path in paths:
                nb, client = _client(path, km, timeout, parameters)
                try:
                    await client.async_execute(cleanup_kc=False)
                    nb.cells = [c for c in nb.cells if not c.metadata.get("turnover_reset")]
                    drop_injected(nb)
                    out.append(Executed(path.stem, nb, stderr_of(nb)))
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
                    nb.cells = [c for c in nb.cells if not c.metadata.get("turnover_reset")]
                    out.append(_failure(path, nb, err))
                    if isinstance(err, DeadKernelError) or not await km.is_alive():
                        await km.restart_kernel(now=True)
                finally:
                    if client.kc is not None:
                        client.kc.stop_channels()
        finally:
            await km.shutdown_kernel(now=False)
    return out


async def _run_all(paths: list[Path], env: dict[str, str], timeout: int,
                   parameters: dict | None = None) -> list[Executed]:
    # notebooks dealt round-robin to the kernels; every notebook runs before the first failure is raised
    batches = [paths[i::KERNELS] for i in range(min(KERNELS, len(paths)))]
    done = await asyncio.gather(*(_run_batch(b, env, timeout, parameters) for b in batches))
    by_name = {(d.name if isinstance(d, Executed) else None): d for batch in done for d in batch}
    results = [d for batch in done for d in batch]
    for d in results:
        if isinstance(d, BaseException):
            raise d
    return [by_name[p.stem] for p in paths]


def execute_all(paths: list[Path], env: dict[str, str], timeout: int = TIMEOUT_S,
                parameters: dict | None = None) -> list[Executed]:
    """Execute ``paths`` on a pool of kernels (``env`` added to their environment, ``parameters``
    injected into each notebook); results in the order given."""
    if not paths:
        raise NotebookError(f"no notebooks found (expected NN_name.py files in {notebooks_dir()})")
    return asyncio.run(_run_all(paths, kernel_env(env), timeout, parameters))
