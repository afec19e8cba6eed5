"""The bench's own pieces: generated claims files, the report with plotly.js put back in the
head, and the comparison of outputs with the speed-ups off (the figures themselves are never tested)."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from turnover import bench
from turnover.claims import load_claims
from turnover.report import export
from turnover.report.execute import Executed


def test_generated_claims_files_hold_n_distinct_valid_claims_of_every_rule_kind(tmp_path):
    bundled = load_claims()
    kinds = [c.rule.kind for c in bundled.claims]
    for n in (5, 20, 80):
        cf = load_claims(bench.claims_file(n, tmp_path / str(n)))
        assert len(cf.claims) == n and len({c.id for c in cf.claims}) == n
        assert len({(c.rule.model_dump_json(), c.window.start) for c in cf.claims}) == n  # distinct, not copies
        assert [c.rule.kind for c in cf.claims] == (kinds * n)[:n]
        assert cf.article == bundled.article and cf.pair == bundled.pair
    cf = load_claims(tmp_path / "80" / "claims.yaml")
    first, later = cf.claims[0], cf.claims[len(kinds) * 6]  # the declining-trend claim and its 7th copy
    assert first.rule.params == bundled.claims[0].rule.params and first.window == bundled.claims[0].window
    assert later.id == f"{bundled.claims[0].id}-07" and later.window.start == bundled.claims[0].window.start - 2
    assert later.rule.params["min_decline_pct"] == bundled.claims[0].rule.params["min_decline_pct"] + 6


def test_bundle_in_head_puts_plotly_js_back_before_the_body(claims, monkeypatch):
    monkeypatch.setattr(export, "plotly_bundle", lambda traces: ("basic", "/* plotly.js */ var Plotly = {};"))
    cell = new_code_cell("x")
    cell.outputs = [new_output("display_data", data={export.PLOTLY_MIME: {"data": [{"type": "bar"}], "layout": {}}})]
    page = export.to_html([Executed("01_a", nbformat.from_dict(new_notebook(cells=[cell])), [])], claims,
                          dt.date(2026, 11, 25))
    old = bench.bundle_in_head(page)
    head, body = old.split("</head>")
    assert head.endswith(export.DRAW_QUEUE + '<script type="text/javascript">/* plotly.js */ var Plotly = {};</script>'
                         '<script type="text/javascript">window.TURNOVER_TEMPLATES = {};' + export.DRAW_QUEUED + "</script>")
    assert body.endswith("</article>\n</body></html>\n") and 'turnoverDraw(function () {Plotly.newPlot("fig-' in body
    assert "/* plotly.js */" not in body and export.RUN_BUNDLE not in old and export.BUNDLE_ID not in old
    assert old.replace(head, "") == page[page.index("</head>"):].replace(page[page.index('<script type="text/plain"'):
                                                                           page.index("</body>")], "")


def test_outputs_compared_without_cell_ids_and_timings(tmp_path):
    for name, cell_id, when in (("a", "x1", "2026-01-01T00:00:00Z"), ("b", "y2", "2026-12-31T23:59:59Z")):
        nbs = tmp_path / name / "reports" / "notebooks"
        nbs.mkdir(parents=True)
        (tmp_path / name / "data" / "processed").mkdir(parents=True)
        for f in ("reports/verdicts.json", "reports/turnover-report.html", "data/processed/panel.parquet"):
            (tmp_path / name / f).write_bytes(b"same")
        cell = {"id": cell_id, "cell_type": "code", "metadata": {"execution": {"shell.execute_reply": when}, "k": 1},
                "outputs": [], "source": "x"}
        (nbs / "01_a.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    a, b = bench._comparable_outputs(tmp_path / "a"), bench._comparable_outputs(tmp_path / "b")
    assert a == b and len(a) == 4
    (tmp_path / "b" / "reports" / "verdicts.json").write_bytes(b"other")
    assert bench._comparable_outputs(tmp_path / "b")["reports/verdicts.json"] != a["reports/verdicts.json"]


def test_the_plain_run_switches_every_speed_up_off(tmp_path):
    """P1o's refresh: one BLAS thread, fit and input reuse and the SciPy notes' skip all undone."""
    import subprocess
    import sys

    (tmp_path / "v.json").write_text('{"results": [{"claim_id": "x"}]}', encoding="utf-8")
    code = f"""
import contextlib, copy, json
from pathlib import Path
import turnover.refresh as r
def report(argv):
    import scipy._lib._array_api as xa
    from turnover.model import decline, structural
    from turnover.report import inputs
    print(json.dumps({{"argv": argv, "doc": xa.FunctionDoc.__name__, "blas": structural.one_blas_thread is contextlib.nullcontext,
                      "copy": inputs._copy is copy.deepcopy, "results": inputs._read_results(Path({str(tmp_path / "v.json")!r})),
                      "assess": decline.assess.__name__}}))
    return 3
r.main = report
from turnover import bench
raise SystemExit(bench.refresh_without_speedups(Path("OUT"), Path("C.yaml")))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 3, done.stderr  # the refresh's exit code comes back
    got = json.loads(done.stdout)
    assert got == {"argv": ["--offline", "--quiet", "--out", "OUT", "--claims", "C.yaml"], "doc": "FunctionDoc",
                   "blas": True, "copy": True, "results": [{"claim_id": "x"}], "assess": "<lambda>"}
