"""Execute the jupytext notebooks: one kernel per notebook, all notebooks concurrently.

Inputs reach the kernels through ``TURNOVER_*`` environment variables (see ``inputs``).
Anything a notebook writes to stderr (warnings included) is collected and returned, so
callers and tests can insist on a clean run.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

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


def kernel_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TURNOVER_ROOT", str(project_root()))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # silences debugpy's frozen-modules note on stderr
    env.update(extra)
    return env


async def _run(path: Path, env: dict[str, str], timeout: int) -> Executed:
    nb = jupytext.read(path)
    nb.metadata["kernelspec"] = dict(KERNEL)
    with tempfile.TemporaryDirectory(prefix="turnover-kernel-") as sockets:
        # IPC sockets in a private folder: no open TCP ports, and no "unencrypted TCP" warning
        km = AsyncKernelManager(kernel_name=KERNEL["name"], transport="ipc", ip=os.path.join(sockets, "k"))
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=KERNEL["name"],
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            await client.async_execute(env=env, cleanup_kc=True)  # we own km: shut the kernel down
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            raise _failure(path, nb, err) from None
    return Executed(path.stem, nb, stderr_of(nb))


async def _run_all(paths: list[Path], env: dict[str, str], timeout: int) -> list[Executed]:
    # every notebook runs to its end (and its kernel shuts down) before the first failure is raised
    done = await asyncio.gather(*(_run(p, env, timeout) for p in paths), return_exceptions=True)
    for d in done:
        if isinstance(d, BaseException):
            raise d
    return list(done)


def execute_all(paths: list[Path], env: dict[str, str], timeout: int = TIMEOUT_S) -> list[Executed]:
    """Execute ``paths`` concurrently (one kernel each); results in the order given."""
    if not paths:
        raise NotebookError(f"no notebooks found (expected NN_name.py files in {notebooks_dir()})")
    return asyncio.run(_run_all(paths, kernel_env(env), timeout))
