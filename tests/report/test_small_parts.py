"""The report's small helpers pinned whole: legacy labels, the escaping helpers, the rating scale and
chips, plotted tables, source-line order, the citation of an unknown source kind, inputs, notebook
execution helpers (without kernels) and ``build`` with its notebook runner stubbed."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
from pathlib import Path

import nbformat
import pandas as pd
from _runs import run_for
from _where import ROOT
import plotly.graph_objects as go
import pytest
from markupsafe import Markup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import turnover.report as report
import turnover.run as turnover_run
from turnover.text import render
from turnover.text import badges
from turnover.report import charts, citation, execute, inprocess, inputs, plotted, provenance, rating, safe


# ---------------------------------------------------------------- badges

def test_reporter_and_vintage_labels():
    assert badges.reporter_label("KAZ") == "Kazakhstan's figures" and badges.reporter_label(None) == \
        "figures of unstated origin"
    # the one vintage wording (text.render.vintage_phrase), dates spelled out as in the sentences
    assert badges.vintage_label("today", dt.date(2026, 11, 25)) == "today (25 November 2026)"
    assert badges.vintage_label("as_of_article", "2016-05-31") == "as of 31 May 2016"
    assert badges.vintage_label("as_of_article", None) == "as of ?" and badges.vintage_label("today", "") == "today (?)"


# ---------------------------------------------------------------- safe

def test_safe_helpers():
    assert safe.text(None) == Markup("") and safe.text(0) == Markup("0") and safe.text("<&>") == "&lt;&amp;&gt;"
    assert isinstance(safe.text("x"), Markup)
    assert safe.join(["a", "<b>", Markup("<i>")]) == "a&lt;b&gt;<i>"  # no separator by default
    assert safe.join([]) == ""
    assert safe.link("https://e.example/x", "L", class_="c", data_row_id="3", aria_label='a"b') == (
        '<a href="https://e.example/x" rel="noreferrer noopener" class="c" data-row-id="3" aria-label="a&#34;b">L</a>')
    assert safe.link("https://e.example/x") == ('<a href="https://e.example/x" rel="noreferrer noopener">'
                                                "https://e.example/x</a>")
    assert safe.link("ftp://e.example/x", "<L>") == "&lt;L&gt;"
    assert safe.link("https://e.example/x", "") == '<a href="https://e.example/x" rel="noreferrer noopener"></a>'
    for bad in ("https://", "http:///path", "https://e.example/\x00", "https://e.example/`", "https://e\\x", 5, b"x",
                "http://[::1", "mailto:a@b.c"):
        assert safe.safe_url(bad) is None, bad
    assert safe.safe_url("HTTPS://E.example") == "HTTPS://E.example"  # the scheme in any case
    assert safe.safe_url("http://e.example") == "http://e.example"


# ---------------------------------------------------------------- rating

def test_rating_scale_labels_and_chips():
    assert [rating.label(k) for k in rating.SCALE] == ["True", "Mostly true", "Half true", "Mostly false", "False",
                                                       "Cannot be checked", "Not yet testable"]
    assert [v[1] for v in rating.SCALE.values()] == [5, 4, 3, 2, 1, None, None]
    assert rating.label(None) == "Not evaluated" and rating.label("bogus") == "Not evaluated"
    assert rating.chip("cannot_be_checked") == ('<span class="rating rating-cannot_be_checked" '
                                                'data-rating="cannot_be_checked" style="background:#fff;'
                                                'color:#1f2328">Cannot be checked</span>')
    assert rating.chip("bogus<x>", "T <t>", small=True) == (
        '<span class="rating rating-bogus&lt;x&gt; small" data-rating="bogus&lt;x&gt;" '
        'style="background:#fff;color:#1f2328">T &lt;t&gt;</span>')


def _verdict(rating_: str, text: str):
    from turnover.claims import load_claims
    from turnover.model.result import Context, verdict
    from turnover.model.results import Finding, phrase

    claims = load_claims(today=dt.date(2026, 11, 25))
    ctx = Context(panel=pd.DataFrame(), claims=claims, claim=claims.claims[0], vintage="today",
                  as_of=pd.Timestamp("2026-11-25"), facts=pd.DataFrame())
    return verdict(ctx, "all", rating_, facts=Finding(phrase("text", text=text)), basis=phrase("text", text=""))


def test_normalise_and_shown_sentence():
    assert rating.normalise({"rating": "true", "rating_label": "Yes", "sentence": None, "x": 1}) == {
        "rating": "true", "rating_label": "Yes", "sentence": "", "x": 1}
    assert rating.normalise({"rating": "made_up", "rating_label": "Made", "sentence": "s"}) == {
        "rating": None, "rating_label": "Not evaluated", "sentence": "s"}
    # the finding beside a chip is rendered from the typed verdict (text.render.shown_finding), never cut out of
    # the record's sentence (rating.shown_sentence matched a lead with a regular expression and is gone)
    def shown(text, rating_="true"):
        return render.shown_finding(_verdict(rating_, text))

    assert shown("it fell.", "mostly_true") == "It fell."
    assert shown("no data\nat all", "cannot_be_checked") == "No data\nat all."
    assert shown("true — x") == "True — x."  # a dash inside the finding stays: nothing splits on it
    assert shown("A" * 81 + ": true — x") == "A" * 81 + ": true — x."
    assert shown("a" * 80 + ": true — x").startswith("A" * 1 + "a" * 79 + ": true — x")
    assert shown("") == "."
    assert not hasattr(rating, "shown_sentence")
    recs = [{"claim_id": "c", "vintage": "today", "reporter": "BLR", "rating": "false"},
            {"claim_id": "c", "vintage": "today", "reporter": "all", "rating": "true", "sentence": None},
            {"claim_id": "c", "vintage": "today", "reporter": "all", "rating": "false"}]
    assert rating.headline(recs, "c", "today") == {"claim_id": "c", "vintage": "today", "reporter": "all",
                                                   "rating": "true", "rating_label": None, "sentence": ""}
    assert rating.headline(recs, "c", "as_of_article") is None and rating.headline(recs, "d", "today") is None


# ---------------------------------------------------------------- plotted

def test_plotted_table_and_traces():
    fig, p = go.Figure(), plotted.Plotted()
    assert p.empty and list(p.table().columns) == plotted.CSV_COLUMNS and p.table().empty
    p.add(fig, go.Scatter(), pd.DataFrame({"x": ["2013", "2014"], "y": [1, None], "reporter": "BLR"}, index=[7, 9]),
          "first", "USD")
    p.add(fig, go.Scatter(), pd.DataFrame({"x": [], "y": []}), "none", "USD")
    p.add(fig, go.Bar(), pd.DataFrame({"x": [2.5], "y": ["#1 A"], "source": ["s"]}, index=[3]), "second", "%")
    assert not p.empty and len(p.frames) == 3
    t = p.table()
    assert list(t.index) == [0, 1, 2] and list(t.columns) == plotted.CSV_COLUMNS
    assert t["series"].tolist() == ["first", "first", "second"] and t["unit"].tolist() == ["USD", "USD", "%"]
    assert t["x"].tolist() == ["2013", "2014", 2.5] and t["reporter"].tolist()[:2] == ["BLR", "BLR"]
    assert fig.data[0].x == ("2013", "2014") and fig.data[0].y == (1.0, None) and fig.data[0].meta == {"csv": "first"}
    assert fig.data[2].x == (2.5,) and fig.data[2].y == ("#1 A",) and fig.data[2].meta == {"csv": "second"}
    assert plotted.csv_text(t.iloc[:1]) == "series,reporter,x,y,unit,period,qualifier,source_kind,source\n" \
                                          "first,BLR,2013,1.0,USD,,,,\n"
    assert plotted.data_uri(pd.DataFrame({"a b": ["é&%"]})) == "data:text/csv;charset=utf-8,a%20b%0A%C3%A9%26%25%0A"
    assert plotted.from_uri("data:text/csv;charset=utf-8,a%20b%0A") == "a b\n"
    with pytest.raises(AssertionError):
        plotted.from_uri("data:text/html,x")


def test_plotted_into_subplots():
    from plotly.subplots import make_subplots

    fig, p = make_subplots(rows=2, cols=1), plotted.Plotted()
    p.add(fig, go.Scatter(), pd.DataFrame({"x": [1], "y": [2]}), "low", "u", row=2, col=1)
    assert fig.data[0].yaxis == "y2" and fig.data[0].xaxis == "x2"


# ---------------------------------------------------------------- provenance and citation

def test_api_sources_without_an_entry_are_ordered_by_kind():
    rows = pd.DataFrame({"source_kind": ["wb_wits", "imf_imts", "un_comtrade"], "source_id": ["a", "b", "c"],
                         "source_url": ["https://w.example/", "https://i.example/", "https://c.example/"]})
    line = str(provenance.source_line(rows, entries=[]))
    heads = [x.split(";")[0] for x in line.split("Source: ")[1:]]
    assert heads == ["IMF International Trade in Goods (IMTS), API snapshot",
                     "UN Comtrade (United Nations Statistics Division), API snapshot", "World Bank WITS, API snapshot"]


def test_an_unknown_source_kind_is_cited_by_its_code():
    rows = pd.DataFrame({"row_id": ["n:1"], "source_kind": ["new_kind"], "source_id": ["q"],
                         "source_url": ["https://n.example/"], "retrieved_on": [pd.Timestamp("2026-05-06")]})
    (r,) = citation.source_records([charts.Chart("a", None, "t", [], rows=rows)], entries=[])
    assert r == {"name": "new_kind", "publisher": "new_kind", "retrieved": "2026-05-06",
                 "terms": "see the publisher's terms of use", "sha256": "", "urls": ["https://n.example/"], "count": 1,
                 "route": ""}


# ---------------------------------------------------------------- inputs

def test_inputs_accessors(claims):
    results = [{"claim_id": "a", "n": 1}, {"claim_id": "b"}, {"claim_id": "a", "n": 2}, {"n": 3}]
    inp = inputs.Inputs.of(panel=pd.DataFrame(), results=results, claims=claims, facts=pd.DataFrame(),
                        today=dt.date(2026, 11, 25))
    assert inp.results_for("a") == [results[0], results[2]] and inp.results_for("z") == []
    assert [c.id for c in inp.claims_with_rule("recovery")] == ["programme-recovery"]
    assert inp.as_of("as_of_article") == dt.date(2016, 5, 31) and inp.article_date == dt.date(2016, 5, 31)
    assert inp.notes == [] and inp.key is None
    other = claims.model_copy(update={"vintages": {"today": dt.date(2026, 1, 1)},
                                      "article": claims.article.model_copy(update={"date": dt.date(2016, 6, 1)})})
    assert inputs.Inputs.of(pd.DataFrame(), [], other, pd.DataFrame(), dt.date(2026, 1, 1)).article_date == \
        dt.date(2016, 6, 1)


def test_context_facts_file(tmp_path):
    from turnover.errors import ConfigError

    f = inputs.context_facts()
    raw = pd.read_csv(ROOT / "data/official/context_facts.csv")
    assert f["fact_id"].tolist() == raw["fact_id"].tolist()
    assert set(f["file"]) == {"official/context_facts.csv"}
    assert f.loc[f["fact_id"] == "ctx-020", "date"].iloc[0] == pd.Timestamp("2015-01-31")
    with pytest.raises(ConfigError, match="context facts file not found"):
        inputs.context_facts(tmp_path / "none.csv")


def test_load_reads_the_claims_file_it_is_given_and_keys_the_files(tmp_path, monkeypatch, bundled_panel):
    import shutil

    from turnover.claims import load_claims

    seeds = ROOT / "seeds"
    for f in seeds.iterdir():
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "claims.yaml").read_text(encoding="utf-8").replace("min_decline_pct: 10", "min_decline_pct: 33")
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.head(2).to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x"}], "evidence": {}}), encoding="utf-8")
    inp = inputs.load(run_for(panel_path, verdicts_path, tmp_path / "claims.yaml", today=dt.date(2026, 11, 25)))
    assert inp.claims.claims[0].rule.params["min_decline_pct"] == 33
    assert inp.today == dt.date(2026, 11, 25) and inp.claims.vintages["today"] == dt.date(2026, 11, 25)
    assert inp.key[-1] == dt.date(2026, 11, 25) and inp.key[0][0] == str(panel_path.resolve())
    assert len(inp.key) == 2 + len(load_claims(tmp_path / "claims.yaml")._files) + 1
    saved = run_for(panel_path, verdicts_path, tmp_path / "claims.yaml").save(tmp_path / "run.json")
    turnover_run._LIVE.clear()  # as a kernel would: the run file read afresh, its claims file with it
    assert inputs.load(saved).claims.claims[0].rule.params["min_decline_pct"] == 33


def test_results_computed_in_process_use_the_date_given(tmp_path, monkeypatch, bundled_panel):
    from turnover import model

    seen = []
    monkeypatch.setattr(model, "evaluate", lambda panel, claims, today=None: seen.append(today) or [])
    panel_path = tmp_path / "p.parquet"
    bundled_panel.head(2).to_parquet(panel_path, index=False)
    inp = inputs.load(run_for(panel_path, tmp_path / "none.json", today="2026-11-25"))
    assert seen == [dt.date(2026, 11, 25)] and inp.key is None
    assert inp.notes == [f"{tmp_path / 'none.json'} not found: results computed in-process"]
    assert len(inp.panel) == 2


# ---------------------------------------------------------------- execute helpers (no kernel)

def test_notebook_paths(tmp_path):
    for name in ("02_b.py", "01_a.py", "1_c.py", "x_01.py", "03_d.ipynb", "10_e.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in execute.notebook_paths(tmp_path)] == ["01_a.py", "02_b.py", "10_e.py"]
    default = execute.notebook_paths()
    assert default and all(p.parent.name == "notebooks" for p in default)
    assert [p.name for p in default] == sorted(p.name for p in default)


def test_stderr_and_failures():
    c = new_code_cell("x")
    c.outputs = [new_output("stream", name="stderr", text="w1"), new_output("stream", name="stdout", text="o")]
    md = new_markdown_cell("m")
    nb = nbformat.from_dict(new_notebook(cells=[md, c]))
    nb.cells[1].outputs.append(nbformat.NotebookNode({"output_type": "stream", "name": "stderr"}))
    assert execute.stderr_of(nb) == ["w1", ""]
    p = Path("/x/07_n.py")
    assert str(execute._failure(p, nb, RuntimeError("first\nsecond\n  last line  \n"))) == "notebook 07_n.py: last line"
    assert str(execute._failure(p, nb, RuntimeError("  "))) == "notebook 07_n.py: RuntimeError"
    e = new_code_cell("y")
    e.outputs = [new_output("error", ename="KeyError", evalue="'k'", traceback=[])]
    nb2 = nbformat.from_dict(new_notebook(cells=[md, c, e]))
    err = execute._failure(p, nb2, RuntimeError("ignored"))
    assert isinstance(err, execute.NotebookError) and str(err) == "notebook 07_n.py, cell 2: KeyError: 'k'"
    assert execute.NotebookError.exit_code == 1


def test_kernel_env(monkeypatch):
    monkeypatch.setenv("TURNOVER_ROOT", "/elsewhere")
    env = execute.kernel_env({"TURNOVER_PANEL": "/p", "PYDEVD_DISABLE_FILE_VALIDATION": "0"})
    assert env["TURNOVER_ROOT"] == "/elsewhere" and env["TURNOVER_PANEL"] == "/p"
    assert env["PYDEVD_DISABLE_FILE_VALIDATION"] == "0"  # the caller's value wins
    monkeypatch.delenv("TURNOVER_ROOT")
    env = execute.kernel_env({})
    from turnover.paths import project_root

    assert env["TURNOVER_ROOT"] == str(project_root()) and env["PYDEVD_DISABLE_FILE_VALIDATION"] == "1"
    assert "TURNOVER_ROOT" not in os.environ  # the process's own environment is left alone


def test_client_prepares_the_notebook(tmp_path):
    p = tmp_path / "01_a.py"
    p.write_text("# %%\nx = 1\n", encoding="utf-8")
    nb, client = execute._client(p, None, 17)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                         "language": "python"}
    assert nb.cells[0].source == "%reset -f" and nb.cells[0].metadata == {"turnover_reset": True}
    assert nb.cells[1].source == "x = 1" and len(nb.cells) == 2
    assert client.timeout == 17 and client.kernel_name == "python3" and client.nb is nb
    assert client.resources == {"metadata": {"path": str(tmp_path)}}


def test_kernels_listen_on_sockets_in_a_private_folder(monkeypatch):
    import jupyter_client.manager

    seen = []

    class FakeKM:
        def __init__(self, **kw):
            seen.append(kw)

        async def start_kernel(self, env):
            seen.append(env)

        async def shutdown_kernel(self, now):
            seen.append(("shutdown", now))

    monkeypatch.setattr(jupyter_client.manager, "AsyncKernelManager", FakeKM)
    assert asyncio.run(execute._run_batch([], {"E": "1"}, 5)) == []
    kw, env, down = seen
    assert kw["kernel_name"] == "python3" and kw["transport"] == "ipc"
    folder, name = os.path.split(kw["ip"])
    assert name == "k" and os.path.basename(folder).startswith("turnover-kernel-")
    assert env == {"E": "1"} and down == ("shutdown", False)


def test_run_all_deals_notebooks_round_robin_and_raises_after_all_ran(monkeypatch):
    batches = []

    async def fake(paths, env, timeout, parameters=None):
        batches.append([p.name for p in paths])
        return [execute.NotebookError(f"bad {p.name}") if "bad" in p.name else
                execute.Executed(p.stem, None, []) for p in paths]

    monkeypatch.setattr(execute, "_run_batch", fake)
    paths = [Path(f"0{i}_n{i}.py") for i in range(1, 6)]
    done = asyncio.run(execute._run_all(paths, {}, 5))
    assert batches == [["01_n1.py", "03_n3.py", "05_n5.py"], ["02_n2.py", "04_n4.py"]]
    assert [d.name for d in done] == ["01_n1", "02_n2", "03_n3", "04_n4", "05_n5"]
    batches.clear()
    assert [d.name for d in asyncio.run(execute._run_all(paths[:1], {}, 5))] == ["01_n1"] and batches == [["01_n1.py"]]
    batches.clear()
    with pytest.raises(execute.NotebookError, match="bad 03_bad.py"):  # the first failure of the first batch
        asyncio.run(execute._run_all([Path("01_ok.py"), Path("02_bad.py"), Path("03_bad.py")], {}, 5))
    assert batches == [["01_ok.py", "03_bad.py"], ["02_bad.py"]]
    assert execute.KERNELS == 2 and execute.TIMEOUT_S == 180


def test_execute_all_needs_notebooks(monkeypatch):
    for run in (execute.execute_all, inprocess.execute_all):
        with pytest.raises(execute.NotebookError, match=r"no notebooks found \(expected NN_name\.py files in .+\)"):
            run([], {})
    seen = []

    async def fake(paths, env, timeout, parameters=None):
        seen.append((paths, env["X"], env["PYDEVD_DISABLE_FILE_VALIDATION"], timeout, parameters))
        return ["done"]

    monkeypatch.setattr(execute, "_run_all", fake)
    assert execute.execute_all([Path("01_a.py")], {"X": "1"}) == ["done"]
    assert execute.execute_all([Path("01_a.py")], {"X": "1"}, parameters={"run_file": "r"}) == ["done"]
    assert seen == [([Path("01_a.py")], "1", "1", 180, None), ([Path("01_a.py")], "1", "1", 180, {"run_file": "r"})]


# ---------------------------------------------------------------- in-process helpers

def test_json_default_as_a_kernel_message():
    import numpy as np

    assert inprocess._jsonable({"d": dt.date(2020, 1, 2), "t": dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.timezone.utc),
                                "b": b"\x00\xff", "i": np.int64(7), "f": np.float32(0.5), "s": {3},
                                "a": np.array([1, 2]), "tu": (1, 2)}) == {
        "d": "2020-01-02", "t": "2020-01-02T03:04:00Z", "b": "AP8=", "i": 7, "f": 0.5, "s": [3], "a": [1, 2],
        "tu": [1, 2]}
    assert isinstance(inprocess._json_default(np.int64(7)), int) and isinstance(inprocess._json_default(np.float32(1)),
                                                                                   float)
    assert inprocess._json_default(frozenset()) == []
    with pytest.raises(TypeError, match="object in a display output is not JSON serializable"):
        inprocess._json_default(object())


def test_sink_joins_consecutive_writes_of_one_stream():
    s = inprocess._Sink()
    s.stream("stdout", "")
    assert s.outputs == []
    s.stream("stdout", "a")
    s.stream("stdout", "b")
    s.stream("stderr", "c")
    s.stream("stdout", "d")
    assert [(o.name, o.text) for o in s.outputs] == [("stdout", "ab"), ("stderr", "c"), ("stdout", "d")]
    st = inprocess._Stream(s, "stderr")
    assert st.writable() and st.encoding == "utf-8" and st.write("xy") == 2
    assert s.outputs[-1].text == "xy"


def test_in_process_notebooks_carry_the_kernels_metadata_and_tracebacks(tmp_path):
    p = tmp_path / "01_a.py"
    p.write_text("# %%\nx = 1\n\n# %%\n1/0\n", encoding="utf-8")
    with pytest.raises(execute.NotebookError, match=r"notebook 01_a\.py, cell 1: ZeroDivisionError: division by zero"):
        inprocess.execute_all([p], {})
    q = tmp_path / "02_b.py"
    q.write_text("# %%\nx = 1\n", encoding="utf-8")
    (done,) = inprocess.execute_all([q], {})
    assert done.notebook.metadata["kernelspec"] == {"display_name": "Python 3 (ipykernel)", "language": "python",
                                                    "name": "python3"}
    assert done.notebook.metadata["language_info"]["name"] == "python"
    assert done.notebook.metadata["language_info"]["pygments_lexer"] == "ipython3"
    assert set(done.notebook.cells[0].metadata["execution"]) == {"iopub.status.busy", "iopub.execute_input",
                                                                  "shell.execute_reply", "iopub.status.idle"}


def test_show_traceback_keeps_the_traceback_lines():
    sink = inprocess._Sink()
    shell = type("S", (), {"sink": sink})()
    inprocess._Shell._showtraceback(shell, KeyError, KeyError("k"), ("line 1", "line 2"))
    (o,) = sink.outputs
    assert (o.output_type, o.ename, o.evalue, o.traceback) == ("error", "KeyError", "'k'", ["line 1", "line 2"])
    inprocess._Shell._showtraceback(shell, "odd", "v", [])
    assert sink.outputs[-1].ename == "odd"


# ---------------------------------------------------------------- build

def test_rfc3987_syntax_is_kept_out_only_before_jsonschema(monkeypatch):
    monkeypatch.delitem(sys.modules, "rfc3987_syntax", raising=False)
    monkeypatch.setitem(sys.modules, "jsonschema", sys.modules.get("jsonschema") or object())
    report.keep_rfc3987_syntax_out()
    assert "rfc3987_syntax" not in sys.modules
    monkeypatch.delitem(sys.modules, "jsonschema")
    report.keep_rfc3987_syntax_out()
    assert "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None


def test_jupytext_server_parts_are_kept_out_only_while_jupytext_is_imported(monkeypatch):
    import subprocess

    # in a fresh process: the report's notebook modules load jupytext without its server parts
    code = ("import sys, turnover.report.inprocess, jupytext\n"
            "print(sorted(m for m in ('jupyter_server', 'jupyter_client', 'tornado', 'zmq') if m in sys.modules))\n"
            "print([m in sys.modules for m in ('jupytext.sync_contentsmanager', 'jupytext.async_contentsmanager')])\n"
            "import jupytext.sync_contentsmanager\nprint('later by name:', 'jupyter_server' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n[False, False]\nlater by name: True\n"
    # the block restores only what it put in, and leaves parts already loaded as they are
    loaded = object()
    monkeypatch.setitem(sys.modules, report.JUPYTEXT_SERVER_PARTS[0], loaded)
    monkeypatch.delitem(sys.modules, report.JUPYTEXT_SERVER_PARTS[1], raising=False)
    with report.jupytext_server_parts_out():
        assert sys.modules[report.JUPYTEXT_SERVER_PARTS[0]] is loaded
        assert sys.modules[report.JUPYTEXT_SERVER_PARTS[1]] is None
    assert sys.modules[report.JUPYTEXT_SERVER_PARTS[0]] is loaded and report.JUPYTEXT_SERVER_PARTS[1] not in sys.modules
    with pytest.raises(RuntimeError), report.jupytext_server_parts_out():
        raise RuntimeError("restored all the same")
    assert report.JUPYTEXT_SERVER_PARTS[1] not in sys.modules


def _executed(name, text):
    c = new_code_cell("x")
    c.outputs = [new_output("stream", name="stderr", text=text)] if text else []
    nb = nbformat.from_dict(new_notebook(cells=[new_markdown_cell(f"# {name}"), c]))
    return execute.Executed(name, nb, execute.stderr_of(nb))


def test_build_runs_the_notebooks_on_the_staged_files(claims, monkeypatch, tmp_path):
    calls = []

    def run(paths, env, parameters=None):
        # the run file the notebooks are given names this very run (same object in this process)
        calls.append((paths, env, turnover_run.load(parameters["run_file"])))
        return [_executed("01_a", "  warn one \n"), _executed("02_b", None)]

    monkeypatch.setattr(inprocess, "execute_all", run)
    monkeypatch.setattr(execute, "execute_all", lambda *a, **k: pytest.fail("kernel path used"))
    the_run = run_for(tmp_path / "p.parquet", tmp_path / "v.json", today=dt.date(2026, 11, 25))
    r = report.build(the_run, notebooks=[Path("01_a.py")])
    assert calls == [([Path("01_a.py")], {}, the_run)] and calls[0][2] is the_run
    assert the_run.panel_path == tmp_path / "p.parquet" and the_run.verdicts_path == tmp_path / "v.json"
    assert r.warnings == ["01_a: warn one"]
    assert list(r.notebooks) == ["01_a.ipynb", "02_b.ipynb"]
    assert "".join(json.loads(r.notebooks["02_b.ipynb"])["cells"][0]["source"]) == "# 02_b"
    from turnover.report import export

    assert r.html == export.to_html([_executed("01_a", "  warn one \n"), _executed("02_b", None)], claims,
                                    dt.date(2026, 11, 25))
    assert "report generated 2026-11-25" in r.html


def test_build_defaults_and_the_kernel_path(claims, monkeypatch, tmp_path):
    calls = []

    def record(kind):
        def call(paths, env, parameters=None):
            doc = json.loads(Path(parameters["run_file"]).read_text(encoding="utf-8"))
            calls.append((kind, paths, env, doc))
            return []
        return call

    monkeypatch.setattr(execute, "execute_all", record("kernel"))
    monkeypatch.setattr(inprocess, "execute_all", record("inprocess"))
    the_run = run_for(tmp_path / "p", tmp_path / "v", today=dt.date(2026, 11, 26))
    r = report.build(the_run, kernel=True)
    (kind, paths, env, doc), = calls
    assert kind == "kernel" and paths == execute.notebook_paths() and env == {}
    assert doc == {"claims_path": str(the_run.claims_path), "today": "2026-11-26", "out": str(the_run.out),
                   "online": False, "panel_path": str(tmp_path / "p"), "verdicts_path": str(tmp_path / "v")}
    assert r.notebooks == {} and r.warnings == [] and "report generated 2026-11-26" in r.html
    calls.clear()
    report.build(the_run, notebooks=[])
    assert [(k, p, e) for k, p, e, _ in calls] == [("inprocess", [], {})]


def test_files_read_once_are_forgotten_past_sixteen(tmp_path, monkeypatch):
    f = tmp_path / "x.json"
    f.write_text("[1]", encoding="utf-8")
    reads = []

    def read(path):
        reads.append(path)
        return json.loads(path.read_text(encoding="utf-8"))

    monkeypatch.setattr(inputs, "_READ", {("old", i): i for i in range(16)})
    assert inputs._once(f, read) == [1] and len(inputs._READ) == 17  # sixteen kept, one added
    got = inputs._once(f, read)
    assert got == [1] and len(reads) == 1 and len(inputs._READ) == 17  # read once
    got.append(2)
    assert inputs._once(f, read) == [1]  # each caller gets its own copy
    monkeypatch.setattr(inputs, "_READ", {("old", i): i for i in range(17)})
    assert inputs._once(f, read) == [1] and len(inputs._READ) == 1 and len(reads) == 2
    key = inputs._file_key(f)
    assert key[0] == str(f.resolve()) and key[2] == 3 and key[1] == f.stat().st_ino
    assert key[3] == f.stat().st_mtime_ns


def test_in_process_cells_see_a_fresh_interpreters_warning_filters_and_kernel_metadata(tmp_path):
    import platform
    import re

    code = ("import warnings\n"
            "for cat in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):\n"
            "    warnings.warn_explicit('hidden ' + cat.__name__, cat, 'lib.py', 1, module='somelib')\n"
            "warnings.warn_explicit('shown', DeprecationWarning, 'nb.py', 2, module='__main__')\n"
            "warnings.warn_explicit('user', UserWarning, 'lib.py', 3, module='somelib')")
    p = tmp_path / "01_w.py"
    p.write_text("# %%\n\n# %%\n" + code + "\n", encoding="utf-8")
    (done,) = inprocess.execute_all([p], {})
    empty, cell = done.notebook.cells
    assert empty.execution_count is None and empty.outputs == []  # a blank cell is not run
    assert cell.execution_count == 1
    (err,) = [o for o in cell.outputs if o.get("name") == "stderr"]
    assert "DeprecationWarning: shown" in err.text and "UserWarning: user" in err.text
    assert "hidden" not in err.text
    assert done.warnings == [err.text]
    assert done.notebook.metadata["language_info"] == {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
        "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
        "version": platform.python_version()}
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
    assert all(stamp.match(v) for v in cell.metadata["execution"].values())


def test_in_process_run_puts_back_plotly_settings_argv_and_environment(tmp_path, monkeypatch):
    import plotly.io as pio

    monkeypatch.setenv("TURNOVER_KEEP", "kept")
    monkeypatch.delenv("TURNOVER_PANEL", raising=False)
    code = ("import os, sys\nimport plotly.io as pio\n"
            "print(os.environ['TURNOVER_PANEL'], os.environ['PYDEVD_DISABLE_FILE_VALIDATION'], sys.argv, os.getcwd())\n"
            "pio.templates.default = 'plotly_dark'\npio.renderers.render_on_display = not pio.renderers.render_on_display\n"
            "os.environ.pop('TURNOVER_KEEP')")
    p = tmp_path / "01_env.py"
    p.write_text("# %%\n" + code + "\n", encoding="utf-8")
    before = (pio.templates.default, pio.renderers.render_on_display, sys.stdout, sys.stderr, os.getcwd())
    (done,) = inprocess.execute_all([p], {"TURNOVER_PANEL": "/p.parquet"})
    assert done.notebook.cells[0].outputs[0].text == f"/p.parquet 1 [''] {tmp_path}\n"  # the notebook's folder
    assert (pio.templates.default, pio.renderers.render_on_display, sys.stdout, sys.stderr, os.getcwd()) == before
    assert os.environ["TURNOVER_KEEP"] == "kept" and "TURNOVER_PANEL" not in os.environ
