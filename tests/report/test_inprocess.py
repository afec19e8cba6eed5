"""In-process notebook execution: fresh namespaces, outputs in order, named failures, a
restored environment, and the same notebooks and report as the kernel path."""

from __future__ import annotations

import json
import os
import sys

import pytest
from _kernels import child_kernels

from turnover.report import execute, inprocess


def _nb(folder, name, *cells):
    p = folder / f"{name}.py"
    p.write_text("".join(f"# %%\n{c}\n\n" for c in cells), encoding="utf-8")
    return p


def _outputs(ex):
    return [o for c in ex.notebook.cells for o in c.get("outputs", [])]


def test_each_notebook_gets_the_inputs_a_fresh_namespace_and_counts_from_one(tmp_path):
    paths = [
        _nb(tmp_path, "01_sets", "import os\nleak = 1\nprint(os.environ['TURNOVER_PANEL'])", "leak + 1"),
        _nb(tmp_path, "02_reads", "print('leak' in dir(), 'os' in dir())"),
    ]
    done = inprocess.execute_all(paths, {"TURNOVER_PANEL": "/staged/panel.parquet"})
    assert [d.name for d in done] == ["01_sets", "02_reads"]
    first, second = _outputs(done[0]), _outputs(done[1])
    assert first[0].text == "/staged/panel.parquet\n"
    assert first[1].output_type == "execute_result" and first[1].data["text/plain"] == "2"
    assert first[1].execution_count == 2
    assert [c.execution_count for c in done[0].notebook.cells] == [1, 2]
    assert second[0].text == "False False\n"
    assert done[1].notebook.cells[0].execution_count == 1


def test_outputs_are_captured_as_nbformat_outputs_in_order(tmp_path):
    code = (
        "import sys, warnings\n"
        "import plotly.graph_objects as go\n"
        "from IPython.display import HTML, display\n"
        "print('before')\n"
        "display(HTML('<b>x</b>'), metadata={'turnover': {'section': 'c1'}})\n"
        "go.Figure(go.Bar(x=[1], y=[2])).show(renderer='plotly_mimetype')\n"
        "warnings.warn('careful', UserWarning)\n"
        "print('after')\n"
        "{'k': (1, 2)}"
    )
    (done,) = inprocess.execute_all([_nb(tmp_path, "01_out", code)], {})
    outs = _outputs(done)
    assert [(o.output_type, o.get("name")) for o in outs] == [
        ("stream", "stdout"), ("display_data", None), ("display_data", None), ("stream", "stderr"),
        ("stream", "stdout"), ("execute_result", None)]
    assert outs[1].metadata == {"turnover": {"section": "c1"}} and outs[1].data["text/html"] == "<b>x</b>"
    fig = outs[2].data["application/vnd.plotly.v1+json"]
    assert fig["data"][0]["type"] == "bar" and fig["data"][0]["y"] == [2]
    assert "UserWarning: careful" in outs[3].text
    assert done.warnings == [outs[3].text]
    assert outs[5].data["text/plain"] == "{'k': (1, 2)}"
    json.dumps(done.notebook)  # everything in it is plain JSON, as from a kernel


def test_a_failing_cell_is_named_and_every_notebook_still_runs(tmp_path):
    marker = tmp_path / "ran"
    paths = [
        _nb(tmp_path, "01_fine", "print('ok')"),
        _nb(tmp_path, "02_broken", "x = 1", "raise ValueError('chart data missing')", "print('never')"),
        _nb(tmp_path, "03_after", f"open({str(marker)!r}, 'w').write('yes')"),
    ]
    with pytest.raises(execute.NotebookError,
                       match=r"notebook 02_broken\.py, cell 1: ValueError: chart data missing"):
        inprocess.execute_all(paths, {})
    assert marker.read_text() == "yes"


def test_a_cell_past_its_timeout_is_stopped_and_named(tmp_path):
    paths = [_nb(tmp_path, "01_slow", "x = 1", "import time\nwhile True: time.sleep(0.01)")]
    with pytest.raises(execute.NotebookError, match=r"notebook 01_slow\.py, cell 1: cell timed out after 0\.3 s"):
        inprocess.execute_all(paths, {}, timeout=0.3)


def test_the_environment_is_restored_afterwards(tmp_path):
    import plotly.io as pio
    from IPython.core.interactiveshell import InteractiveShell

    code = ("import os, sys, warnings\nimport plotly.io as pio\n"
            "os.environ['TURNOVER_LEAK'] = '1'\nos.chdir('/')\nsys.argv.append('--x')\n"
            "pio.renderers.default = 'json'\nwarnings.simplefilter('ignore')")
    before = (dict(os.environ), os.getcwd(), list(sys.argv), sys.displayhook, sys.excepthook,
              sys.modules.get("__main__"), list(__import__("warnings").filters), pio.renderers.default)
    inprocess.execute_all([_nb(tmp_path, "01_meddles", code)], {"TURNOVER_PANEL": "/p.parquet"})
    after = (dict(os.environ), os.getcwd(), list(sys.argv), sys.displayhook, sys.excepthook,
             sys.modules.get("__main__"), list(__import__("warnings").filters), pio.renderers.default)
    assert after == before
    assert not InteractiveShell.initialized()  # the private shell is gone


@pytest.mark.slow
def test_outputs_and_report_are_identical_to_the_kernel_path(tmp_path, claims):
    """On the bundled data: the same outputs in every notebook and the same HTML page."""
    from turnover import refresh, report

    out = tmp_path / "out"
    refresh.run(out=out, quiet=True)  # stages panel and verdicts (notebooks in-process)
    from turnover import run

    the_run = run.build(out=out)
    here, kern = report.build(the_run), report.build(the_run, kernel=True)
    assert here.html == kern.html
    assert here.notebooks.keys() == kern.notebooks.keys()

    def outputs(text):
        nb = json.loads(text)
        return nb["metadata"], [(c["cell_type"], c["source"], c.get("outputs")) for c in nb["cells"]]

    for name in here.notebooks:
        assert outputs(here.notebooks[name]) == outputs(kern.notebooks[name]), name
    assert here.warnings == kern.warnings == []
    assert child_kernels() == []  # the kernel path shut its kernels down


def test_parameters_are_injected_after_the_parameters_cell_and_dropped_from_the_record(tmp_path):
    p = tmp_path / "01_params.py"
    p.write_text('# %%\nprint("first")\n\n# %% tags=["parameters"]\nrun_file = None\n\n# %%\nprint(run_file)\n',
                 encoding="utf-8")
    (done,) = inprocess.execute_all([p], {}, parameters={"run_file": "/x/run.json"})
    assert [o.text for o in _outputs(done)] == ["first\n", "/x/run.json\n"]
    assert [c.source for c in done.notebook.cells] == ['print("first")', "run_file = None", "print(run_file)"]
    (plain,) = inprocess.execute_all([p], {})  # no parameters: the notebook's own defaults
    assert [o.text for o in _outputs(plain)] == ["first\n", "None\n"]
