"""What a notebook reads: the run refresh injects (a run file), else the published files, else in-process."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from turnover.errors import ConfigError
from _runs import run_for

from turnover.report import inputs


def test_without_published_outputs_the_notebook_computes_them(tmp_path, monkeypatch):
    inp = inputs.load(run_for(tmp_path / "none.parquet", tmp_path / "none.json", today="2026-11-25"))
    assert len(inp.notes) == 2 and "not found" in inp.notes[0]
    assert len(inp.panel) > 0 and inp.results
    assert {r["claim_id"] for r in inp.results} == {c.id for c in inp.claims.claims}
    assert inp.claims.vintages["today"] == dt.date(2026, 11, 25)


def test_the_run_file_points_at_the_staged_files(tmp_path, bundled_panel):
    from turnover import run

    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.head(3).to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x", "verdict": "mixed"}], "evidence": {}}))
    saved = run_for(panel_path, verdicts_path, today="2030-01-02").save(tmp_path / "run.json")
    run._LIVE.clear()  # read as a kernel reads it: from the file
    inp = inputs.load(str(saved))
    assert len(inp.panel) == 3 and inp.results == [{"claim_id": "x", "verdict": "mixed"}]
    assert inp.today == dt.date(2030, 1, 2) and inp.notes == [] and inp.verdicts == []
    assert inp.claims.vintages["today"] == dt.date(2030, 1, 2) and inp.as_of("today") == dt.date(2030, 1, 2)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    saved.write_text(json.dumps({**doc, "today": "soon"}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"run\.json: run file: not a run \(ValueError: Invalid isoformat string: 'soon'\)"):
        inputs.load(saved)
    saved.write_text("[1]", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"run\.json: run file: not a run \(TypeError"):
        inputs.load(saved)


def test_files_are_read_once_per_process_and_every_notebook_gets_its_own_copy(tmp_path, bundled_panel):
    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x", "verdict": "mixed"}], "evidence": {}}), encoding="utf-8")
    first = inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25"))
    first.panel["value_usd"] = -1.0  # one notebook changing what it got ...
    first.results[0]["verdict"] = "changed"
    second = inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25"))
    assert (second.panel["value_usd"] != -1.0).any() and second.results[0]["verdict"] == "mixed"  # ... not the next
    tmp = tmp_path / "v2.json"
    tmp.write_text(json.dumps({"results": [], "evidence": {}}), encoding="utf-8")
    tmp.replace(verdicts_path)  # a new file at the same path is read afresh
    assert inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25")).results == []


def test_the_sources_section_reuses_the_charts_the_claim_sections_drew(tmp_path, monkeypatch, bundled_panel):
    from turnover.report import charts, show

    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [], "evidence": {}}), encoding="utf-8")
    drawn = []
    real = charts.chart_for
    monkeypatch.setattr(charts, "chart_for", lambda claim, inp: drawn.append(claim.id) or real(claim, inp))
    monkeypatch.setattr(show, "display", lambda *a, **k: None)
    inp = inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25"))
    ids = [c.id for c in inp.claims.claims if show.has_section(c)]  # an event record has no chart
    assert ids and len(ids) < len(inp.claims.claims)
    for claim in [c for c in inp.claims.claims if show.has_section(c)]:
        show.claim_section(claim, inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25")))
    assert drawn == ids
    show.sources(inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25")))
    assert drawn == ids  # nothing drawn twice for the same files
    show.sources(inputs.load(run_for(panel_path, verdicts_path, today="2026-11-26")))
    assert drawn == ids + ids  # another date: drawn afresh
    tmp = tmp_path / "v2.json"
    tmp.write_text(json.dumps({"results": [], "evidence": {}}), encoding="utf-8")
    tmp.replace(verdicts_path)  # a new file at the same path: drawn afresh
    show.sources(inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25")))
    assert drawn == ids * 3


def test_a_notebook_changing_its_inputs_in_any_way_cannot_change_what_another_reads(tmp_path, bundled_panel):
    """Frames are handed out as copy-on-write copies (no deep copy of the panel per notebook):
    every way a notebook can write to them, by column, .loc/.iloc, deletion, renaming, the index,
    attrs or a NumPy array, leaves the file read once and every other notebook's copy as read."""
    import numpy as np
    import pandas as pd

    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x", "statistic": {"trend": {"n": 3}},
                                                      "robustness": [{"agrees": True}]}]}), encoding="utf-8")
    pristine = inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25"))
    want_panel, want_facts = pristine.panel.copy(deep=True), pristine.facts.copy(deep=True)
    want_results = json.loads(json.dumps(pristine.results))

    def vandal(inp):
        p, f = inp.panel, inp.facts
        p["value_usd"] = -1.0
        p.loc[p.index[0], "reporter"] = "XXX"
        p.iloc[1, 0] = "changed"
        del p["source_url"]
        p.rename(columns={"partner": "other"})  # returns a copy: nothing to undo
        p.index.name = "changed"
        p.attrs["changed"] = True
        with pytest.raises(ValueError, match="read-only"):  # NumPy arrays of a shared frame are read-only
            p["period_end"].values[0] = np.datetime64("1900-01-01")
        f.loc[f.index[0], "value"] = -1.0
        f["statement"] = "changed"
        f.drop(index=f.index[:2])
        inp.results[0]["statistic"]["trend"]["n"] = -1
        inp.results[0]["robustness"].append({"agrees": False})
        inp.results.append({"claim_id": "y"})

    for _ in range(2):
        vandal(inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25")))
        again = inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25"))
        pd.testing.assert_frame_equal(again.panel, want_panel)
        pd.testing.assert_frame_equal(again.facts, want_facts)
        assert again.results == want_results and again.panel.attrs == {} and again.panel.index.name is None
    pd.testing.assert_frame_equal(pristine.panel, want_panel)  # the first copy handed out too
    assert pristine.results == want_results


def test_two_notebooks_run_in_one_process_and_the_second_reads_what_the_first_changed_as_it_was(tmp_path, bundled_panel):
    from turnover.report import inprocess

    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x", "statistic": {"n": 3}}]}), encoding="utf-8")
    run_file = run_for(panel_path, verdicts_path, today="2026-11-25").save(tmp_path / "run.json")
    load = "from turnover.report import inputs\ninp = inputs.load(run_file)"
    first = tmp_path / "01_changes.py"
    first.write_text(f"# %% tags=[\"parameters\"]\nrun_file = None\n\n# %%\n{load}\n\n"
                     "# %%\ninp.panel.loc[:, 'value_usd'] = -1.0\ninp.panel['reporter'] = 'XXX'\n"
                     "inp.facts.loc[:, 'value'] = -1.0\ninp.results[0]['statistic']['n'] = -1\n", encoding="utf-8")
    second = tmp_path / "02_reads.py"
    second.write_text(f"# %% tags=[\"parameters\"]\nrun_file = None\n\n# %%\n{load}\n\n"
                      "# %%\nprint((inp.panel['value_usd'] == -1).sum(), (inp.panel['reporter'] == 'XXX').sum(),"
                      " (inp.facts['value'] == -1).sum(), inp.results[0]['statistic']['n'])\n", encoding="utf-8")
    done = inprocess.execute_all([first, second], {}, parameters={"run_file": str(run_file)})
    printed = [o for c in done[1].notebook.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    assert printed[0].text == "0 0 0 3\n"
    assert done[0].warnings == [] and done[1].warnings == []


def test_results_are_kept_as_json_text_and_handed_out_parsed_as_the_file_has_them(tmp_path, bundled_panel):
    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.head(3).to_parquet(panel_path, index=False)
    results = [{"claim_id": "é–ü", "p": 0.1, "tiny": 1e-300, "big": 2**70, "none": None, "ok": True,
                "nested": {"list": [1, 2.5, "x", [None]], "empty": {}}}, {"claim_id": "y"}]
    verdicts_path.write_text(json.dumps({"@graph": [], "results": results}, ensure_ascii=False), encoding="utf-8")
    got = inputs.load(run_for(panel_path, verdicts_path)).results
    assert got == results and type(got[0]["big"]) is int and type(got[0]["p"]) is float
    cached = [v for k, v in inputs._READ.items() if k[0] == str(verdicts_path.resolve())]
    assert len(cached) == 1 and isinstance(cached[0], str)  # text: nothing a notebook can change
    got[0]["nested"]["list"].append("changed")
    assert inputs.load(run_for(panel_path, verdicts_path)).results == results


def test_a_verdicts_file_without_evidence_gets_its_verdicts_recomputed_and_says_so(tmp_path, bundled_panel):
    """A verdicts.json of an older version carries no evidence: the charts need the typed verdicts,
    so they are computed in-process, with a note (and no reuse key)."""
    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x"}]}), encoding="utf-8")
    inp = inputs.load(run_for(panel_path, verdicts_path, today="2026-11-25"))
    assert inp.results == [{"claim_id": "x"}] and inp.key is None
    assert inp.notes == [f"{verdicts_path} carries no evidence (an older version wrote it): the charts use "
                         "verdicts recomputed in-process"]
    assert {v.claim_id for v in inp.verdicts} == {c.id for c in inp.claims.claims}
