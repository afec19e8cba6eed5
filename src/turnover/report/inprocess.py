"""Execute the jupytext notebooks in this process, on a private IPython shell (the default).

A kernel per run costs start-up, a second import of pandas, plotly and statsmodels, a
``%reset`` (a full gc) per notebook and a graceful shutdown -- more than the notebooks
themselves. Here the notebooks run in the refreshing process, whose imports are already
done, one after another on one ``InteractiveShell``:

- history is kept in memory (no SQLite file), every notebook gets a brand-new user
  namespace (``__main__`` module) and execution counts from 1, as on a fresh kernel;
- outputs are captured as nbformat outputs in the order they happen: ``display_data``
  (plotly's mimebundle included), ``stream`` (stdout/stderr, warnings too),
  ``execute_result`` and ``error``; the first failing cell stops its notebook, every
  notebook is still tried, and the first failure is raised naming notebook and cell;
- each cell has a timeout (SIGALRM, so only when running on the main thread);
- what a notebook could change in this process is put back afterwards: environment
  variables, working directory, ``sys.argv``, ``sys.displayhook``/``excepthook``,
  ``sys.modules['__main__']``, warning filters and plotly's renderer settings.

The executed notebooks are what the kernel path (``execute``, ``refresh --kernel``, and
what ``make lab`` users run) writes; ``tests/report/test_inprocess.py`` compares them.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import datetime as dt
import io
import json
import numbers
import os
import platform
import signal
import sys
import threading
import warnings
from pathlib import Path

from .execute import TIMEOUT_S, Executed, NotebookError, _failure, drop_injected, inject, kernel_env, stderr_of  # keeps rfc3987_syntax out

import jupytext
import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from ..paths import notebooks_dir

# what ipykernel reports as the notebook's language, so the .ipynb files match the kernel path's
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": platform.python_version(),
}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


class CellTimeout(BaseException):
    """Raised inside a cell that ran past its timeout (BaseException: user code's ``except
    Exception`` must not swallow it)."""


# CPython's default filters (no -W options); a kernel starts with these
FRESH_FILTERS = [("default", DeprecationWarning, "__main__"), ("ignore", DeprecationWarning, ""),
                 ("ignore", PendingDeprecationWarning, ""), ("ignore", ImportWarning, ""),
                 ("ignore", ResourceWarning, "")]


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_default(obj):
    # as jupyter_client's json_default (not imported: it pulls in zmq)
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat().replace("+00:00", "Z")
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if isinstance(obj, (set, frozenset)) or hasattr(obj, "__iter__"):
        return list(obj)
    raise TypeError(f"{type(obj).__name__} in a display output is not JSON serializable")


def _jsonable(obj):
    # what the kernel's JSON messages would carry (tuples -> lists, dates -> ISO strings)
    return json.loads(json.dumps(obj, default=_json_default))


class _Sink:
    """The current cell's output list; display, displayhook, streams and errors append to it."""

    def __init__(self):
        self.outputs: list = []

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text  # ipykernel buffers consecutive writes into one message too
        else:
            self.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))


class _Stream(io.TextIOBase):
    def __init__(self, sink: _Sink, name: str):
        self.sink, self.name = sink, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.sink.stream(self.name, text)
        return len(text)

    @property
    def encoding(self) -> str:
        return "utf-8"


class _Publisher(DisplayPublisher):
    sink: _Sink | None = None

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        self.sink.outputs.append(nbformat.v4.new_output(
            "display_data", data=_jsonable(data), metadata=_jsonable(metadata or {})))

    def clear_output(self, wait=False) -> None:
        self.sink.outputs.clear()


class _DisplayHook(DisplayHook):
    """``execute_result`` outputs instead of printing ``Out[n]``."""

    sink: _Sink | None = None

    def start_displayhook(self):
        super().start_displayhook()
        self._pending = None

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self._pending = nbformat.v4.new_output(
            "execute_result", data=_jsonable(format_dict), metadata=_jsonable(md_dict or {}),
            execution_count=self.prompt_count)

    def finish_displayhook(self):
        if self._pending is not None:
            self.sink.outputs.append(self._pending)
        self._is_active = False

    def flush(self):
        # the base class ends with gc.collect(), ~0.1 s per notebook on a warm process;
        # the namespace it would free is dropped whole by _fresh_namespace anyway
        self._, self.__, self.___ = "", "", ""


class _Shell(InteractiveShell):
    displayhook_class = _DisplayHook
    display_pub_class = _Publisher
    sink: _Sink | None = None

    def _showtraceback(self, etype, evalue, stb):
        self.sink.outputs.append(nbformat.v4.new_output(
            "error", ename=getattr(etype, "__name__", str(etype)), evalue=str(evalue), traceback=list(stb)))

    def init_virtualenv(self):
        pass  # the shell runs inside this interpreter; no virtualenv warning on stderr

    def enable_gui(self, gui=None):
        pass

    def set_sink(self, sink: _Sink) -> None:
        self.sink = self.display_pub.sink = self.displayhook.sink = sink

    def fresh_namespace(self) -> None:
        """A new ``__main__`` for the next notebook, as a new kernel would have."""
        self.history_manager.reset(new_session=False)
        self.execution_count = 1
        self.last_execution_succeeded, self.last_execution_result = True, None
        self.displayhook.flush()
        self.init_create_namespaces()
        self.init_sys_modules()
        self.init_user_ns()


@contextlib.contextmanager
def _restored(env: dict[str, str]):
    """Run with ``env`` set; afterwards put back everything a notebook or the shell can change."""
    import plotly.io as pio

    saved_env, cwd, argv = dict(os.environ), os.getcwd(), list(sys.argv)
    hooks = (sys.displayhook, sys.excepthook, sys.stdout, sys.stderr)
    main_mod = sys.modules.get("__main__")
    renderer = (pio.renderers.default, pio.renderers.render_on_display)
    template = pio.templates.default
    os.environ.update(env)
    sys.argv = [""]
    try:
        with warnings.catch_warnings():  # puts filters and showwarning back
            # a fresh interpreter's filters, and warnings printed to the cell's stderr even
            # when a caller (pytest) records or escalates them
            warnings.resetwarnings()
            for action, category, module in FRESH_FILTERS:
                warnings.filterwarnings(action, category=category, module=module, append=True)
            warnings.showwarning = _show_warning
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(cwd)
        sys.argv = argv
        sys.displayhook, sys.excepthook, sys.stdout, sys.stderr = hooks
        if main_mod is not None:
            sys.modules["__main__"] = main_mod
        pio.renderers.default, pio.renderers.render_on_display = renderer
        pio.templates.default = template


@contextlib.contextmanager
def _private_shell():
    """A shell that is ``InteractiveShell.instance()`` while it runs (``IPython.display``
    looks it up there), with whatever instance existed before put back afterwards."""
    before = InteractiveShell._instance if InteractiveShell.initialized() else None
    if before is not None:
        for cls in type(before)._walk_mro():
            cls._instance = None
    cfg = Config()
    cfg.HistoryManager.hist_file = ":memory:"
    cfg.InteractiveShell.colors = "nocolor"
    cfg.InteractiveShell.autocall = 0
    shell = _Shell.instance(config=cfg)
    try:
        yield shell
    finally:
        atexit.unregister(shell.atexit_operations)
        shell.restore_sys_module_state()
        _Shell.clear_instance()
        if before is not None:
            for cls in type(before)._walk_mro():
                cls._instance = before


@contextlib.contextmanager
def _deadline(seconds: float | None):
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield  # SIGALRM only reaches the main thread; elsewhere cells run without a timeout
        return

    def _expired(signum, frame):
        raise CellTimeout(f"cell timed out after {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _run_cell(shell: _Shell, cell, timeout: float | None) -> bool:
    """Execute one code cell into its outputs; False if it raised."""
    sink = _Sink()
    shell.set_sink(sink)
    timing = {"iopub.status.busy": _now()}
    timing["iopub.execute_input"] = _now()
    with contextlib.redirect_stdout(_Stream(sink, "stdout")), contextlib.redirect_stderr(_Stream(sink, "stderr")):
        try:
            with _deadline(timeout):
                result = shell.run_cell(cell.source, store_history=True)
        except CellTimeout as err:  # the alarm went off in IPython's own code, not the cell's
            shell._showtraceback(CellTimeout, err, [])
            result = None
    if result is None:
        cell.outputs = sink.outputs
        return False
    timing["shell.execute_reply"] = timing["iopub.status.idle"] = _now()
    cell.outputs = sink.outputs
    cell.execution_count = result.execution_count
    cell.metadata["execution"] = timing
    return result.success


def _notebook(shell: _Shell, path: Path, timeout: float | None,
              parameters: dict | None = None) -> Executed | NotebookError:
    nb = jupytext.read(path)
    inject(nb, parameters)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    shell.fresh_namespace()
    os.chdir(path.parent)  # a kernel started by nbclient runs in the notebook's folder
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if not _run_cell(shell, cell, timeout):
            err = next((o for o in cell.outputs if o.output_type == "error"), None)
            if err is None or err.ename == "CellTimeout":
                return NotebookError(f"notebook {path.name}, cell {i}: "
                                     + (err.evalue if err is not None else "failed without a traceback"))
            return _failure(path, nb, RuntimeError(err.evalue))
    drop_injected(nb)
    return Executed(path.stem, nb, stderr_of(nb))


def execute_all(paths: list[Path], env: dict[str, str], timeout: float | None = TIMEOUT_S,
                parameters: dict | None = None) -> list[Executed]:
    """Execute ``paths`` in order in this process (``env`` set meanwhile, ``parameters`` injected
    into each notebook); every notebook is tried, then the first failure is raised as
    ``NotebookError`` naming notebook and cell."""
    if not paths:
        raise NotebookError(f"no notebooks found (expected NN_name.py files in {notebooks_dir()})")
    with _restored(kernel_env(env)), _private_shell() as shell:
        done = [_notebook(shell, p, timeout, parameters) for p in paths]
    for d in done:
        if isinstance(d, NotebookError):
            raise d
    return done
