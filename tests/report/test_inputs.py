"""What a notebook reads: refresh's environment variables, else the published files, else in-process."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from turnover.errors import ConfigError
from turnover.report import inputs


def test_without_published_outputs_the_notebook_computes_them(tmp_path, monkeypatch):
    for var in (inputs.ENV_PANEL, inputs.ENV_VERDICTS, inputs.ENV_CLAIMS, inputs.ENV_TODAY):
        monkeypatch.delenv(var, raising=False)
    inp = inputs.load(tmp_path / "none.parquet", tmp_path / "none.json", today="2026-11-25")
    assert len(inp.notes) == 2 and "not found" in inp.notes[0]
    assert len(inp.panel) > 0 and inp.results
    assert {r["claim_id"] for r in inp.results} == {c.id for c in inp.claims.claims}
    assert inp.claims.vintages["today"] == dt.date(2026, 11, 25)


def test_environment_variables_point_at_the_staged_files(tmp_path, monkeypatch, bundled_panel):
    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.head(3).to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x", "verdict": "mixed"}]}))
    monkeypatch.setenv(inputs.ENV_PANEL, str(panel_path))
    monkeypatch.setenv(inputs.ENV_VERDICTS, str(verdicts_path))
    monkeypatch.setenv(inputs.ENV_TODAY, "2030-01-02")
    inp = inputs.load()
    assert len(inp.panel) == 3 and inp.results == [{"claim_id": "x", "verdict": "mixed"}]
    assert inp.today == dt.date(2030, 1, 2) and inp.notes == []
    monkeypatch.setenv(inputs.ENV_TODAY, "soon")
    with pytest.raises(ConfigError, match="TURNOVER_TODAY='soon': not an ISO date"):
        inputs.load()


def test_files_are_read_once_per_process_and_every_notebook_gets_its_own_copy(tmp_path, bundled_panel):
    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": [{"claim_id": "x", "verdict": "mixed"}]}), encoding="utf-8")
    first = inputs.load(panel_path, verdicts_path, today="2026-11-25")
    first.panel["value_usd"] = -1.0  # one notebook changing what it got ...
    first.results[0]["verdict"] = "changed"
    second = inputs.load(panel_path, verdicts_path, today="2026-11-25")
    assert (second.panel["value_usd"] != -1.0).any() and second.results[0]["verdict"] == "mixed"  # ... not the next
    tmp = tmp_path / "v2.json"
    tmp.write_text(json.dumps({"results": []}), encoding="utf-8")
    tmp.replace(verdicts_path)  # a new file at the same path is read afresh
    assert inputs.load(panel_path, verdicts_path, today="2026-11-25").results == []


def test_the_sources_section_reuses_the_charts_the_claim_sections_drew(tmp_path, monkeypatch, bundled_panel):
    from turnover.report import charts, show

    panel_path, verdicts_path = tmp_path / "p.parquet", tmp_path / "v.json"
    bundled_panel.to_parquet(panel_path, index=False)
    verdicts_path.write_text(json.dumps({"results": []}), encoding="utf-8")
    drawn = []
    real = charts.chart_for
    monkeypatch.setattr(charts, "chart_for", lambda claim, inp: drawn.append(claim.id) or real(claim, inp))
    monkeypatch.setattr(show, "display", lambda *a, **k: None)
    inp = inputs.load(panel_path, verdicts_path, today="2026-11-25")
    ids = [c.id for c in inp.claims.claims]
    for claim in inp.claims.claims:
        show.claim_section(claim, inputs.load(panel_path, verdicts_path, today="2026-11-25"))
    assert drawn == ids
    show.sources(inputs.load(panel_path, verdicts_path, today="2026-11-25"))
    assert drawn == ids  # nothing drawn twice for the same files
    show.sources(inputs.load(panel_path, verdicts_path, today="2026-11-26"))
    assert drawn == ids + ids  # another date: drawn afresh
    tmp = tmp_path / "v2.json"
    tmp.write_text(json.dumps({"results": []}), encoding="utf-8")
    tmp.replace(verdicts_path)  # a new file at the same path: drawn afresh
    show.sources(inputs.load(panel_path, verdicts_path, today="2026-11-25"))
    assert drawn == ids * 3
