"""Notebook execution on shared kernels: inputs arrive, namespaces are fresh, failures are named."""

from __future__ import annotations

import pytest

from turnover.report import execute


def _nb(folder, name, code):
    p = folder / f"{name}.py"
    p.write_text("# %%\n" + code + "\n", encoding="utf-8")
    return p


def _outputs(ex):
    return [o.get("text", "") for c in ex.notebook.cells for o in c.get("outputs", [])]


def test_each_notebook_gets_the_inputs_and_a_fresh_namespace(tmp_path):
    paths = [
        _nb(tmp_path, "01_sets", "import os\nleak = 1\nprint(os.environ['TURNOVER_PANEL'])"),
        _nb(tmp_path, "02_other", "print('two')"),
        _nb(tmp_path, "03_reads", "print('leak' in dir())"),  # same kernel as 01 (round-robin over 2)
    ]
    done = execute.execute_all(paths, {"TURNOVER_PANEL": "/staged/panel.parquet"})
    assert [d.name for d in done] == ["01_sets", "02_other", "03_reads"]
    assert _outputs(done[0]) == ["/staged/panel.parquet\n"]
    assert _outputs(done[2]) == ["False\n"]
    # the reset cell is an execution detail, not part of the exported notebook
    assert all(len(d.notebook.cells) == 1 for d in done)


def test_a_failing_notebook_is_named_with_its_cell(tmp_path):
    paths = [
        _nb(tmp_path, "01_fine", "print('ok')"),
        _nb(tmp_path, "02_broken", "raise ValueError('chart data missing')"),
        _nb(tmp_path, "03_after", "print('still runs')"),
    ]
    with pytest.raises(execute.NotebookError, match=r"notebook 02_broken\.py, cell 0: ValueError: chart data missing"):
        execute.execute_all(paths, {})


def test_parameters_reach_the_kernel_through_an_injected_cell(tmp_path):
    p = tmp_path / "01_params.py"
    p.write_text('# %% tags=["parameters"]\nrun_file = None\n\n# %%\nprint(run_file)\n', encoding="utf-8")
    (done,) = execute.execute_all([p], {}, parameters={"run_file": "/x/run.json"})
    assert _outputs(done) == ["/x/run.json\n"]
    assert [c.source for c in done.notebook.cells] == ["run_file = None", "print(run_file)"]


def test_inject_puts_the_cell_after_the_tagged_one_or_first():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a = 1"),
                                         nbformat.v4.new_code_cell("b = None", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell("c = 3")])
    execute.inject(nb, {"b": "x", "n": 2})
    assert [c.source for c in nb.cells] == ["a = 1", "b = None", "b = 'x'\nn = 2", "c = 3"]
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a = 1")])
    execute.inject(bare, {"b": "x"})
    execute.inject(bare, {})  # nothing to inject: nothing added
    assert [c.source for c in bare.cells] == ["b = 'x'", "a = 1"]
    execute.drop_injected(nb)
    assert [c.source for c in nb.cells] == ["a = 1", "b = None", "c = 3"]
