"""Every notebook executes cleanly on the bundled data, and the report it makes is complete.

One refresh (module scope) executes all notebooks; the tests read its outputs. A second
refresh runs a claims file for another country pair, to show no code change is needed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from _where import FIXTURES

import jupytext
import nbformat
import pytest
from _kernels import child_kernels
from markupsafe import escape
from plotly.offline import get_plotlyjs

from turnover import refresh
from turnover.claims import load_claims
from turnover.report import export
from turnover.report.execute import notebook_paths

pytestmark = pytest.mark.slow
OTHER_PAIR = FIXTURES / "other_pair"
RATING_LABELS = {"True", "Mostly true", "Half true", "Mostly false", "False", "Cannot be checked", "Not yet testable"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("refresh")
    summary = refresh.run(out=out, quiet=True)
    return out, summary


def _section(html: str, claim_id: str) -> str:
    m = re.search(rf'<section class="claim" id="{re.escape(claim_id)}">(.*?)</section>', html, flags=re.S)
    assert m, f"no section for {claim_id}"
    return m.group(1)


def test_every_notebook_executes_without_errors_or_warnings(run):
    out, summary = run
    assert summary["report_warnings"] == []
    sources = notebook_paths()
    assert [p.stem for p in sources][:1] == ["00_overview"] and len(sources) >= 6
    for src in sources:
        nb = nbformat.read(out / refresh.NOTEBOOKS / f"{src.stem}.ipynb", as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs, src.name
        assert not [o for o in outputs if o.output_type == "error"], src.name
        assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], src.name


def test_each_claim_group_has_a_notebook_and_each_claim_a_chart_and_both_ratings(run, claims):
    out, _ = run
    html = (out / refresh.REPORT).read_text(encoding="utf-8")
    top = html[html.index('<table class="verdicts">'):html.index("</table>", html.index('<table class="verdicts">'))]
    for claim in claims.claims:
        if claim.is_statement:  # issue 21: the top table rates statements only
            assert f'<tr data-claim="{claim.id}">' in top
        else:
            assert f'data-claim="{claim.id}"' not in top and f'<li data-question="{claim.id}">' in html
        if claim.rule.kind == "event_record":  # no chart: rated on the first screen, its records named there
            continue
        body = _section(html, claim.id)
        assert body.count('class="plotly-graph-div"') == 1, claim.id
        for vintage in claim.vintages:
            assert f'data-vintage="{vintage}"' in body, (claim.id, vintage)
        assert str(escape(claim.quote_en)) in body
        assert "Source: " in body and "<code>data/" in body
        assert 'class="csv-link"' in body and "<details" in body
        assert ('class="rating' in body) == claim.is_statement, claim.id  # a question: findings, no chips
        if not claim.is_statement:  # ... and no grades in its details either
            assert "<th>Robustness</th>" not in body and "strength:</i>" not in body and "<th>Finding</th>" in body
    assert html.index('<table class="verdicts">') < html.index('<section class="claim"')  # verdicts first
    assert '<section class="sources" id="sources">' in html and "How to cite" in html


def test_report_is_one_offline_file_with_plotly_inlined_once(run):
    out, _ = run
    path = out / refresh.REPORT
    html = path.read_text(encoding="utf-8")
    # every chart is scatter or bar: plotly's basic partial bundle, not the full one
    assert html.count(export.plotly_bundle({"scatter", "bar"})[1][:2000]) == 1
    assert get_plotlyjs()[:2000] not in html
    assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)="(https?:)?//', html)
    assert path.stat().st_size <= 5 * 1024 * 1024


def test_verdicts_json_holds_claim_reviews_and_the_raw_results(run, claims):
    out, _ = run
    doc = json.loads((out / refresh.VERDICTS).read_text(encoding="utf-8"))
    assert doc["@context"] == "https://schema.org"
    said = [r for r in doc["results"] if claims.claim(r["claim_id"]).is_statement]
    assert len(doc["@graph"]) == len(said) > 0 and len(said) < len(doc["results"])  # statements only
    assert {r["claim_id"] for r in doc["results"]} == {c.id for c in claims.claims}
    assert [q["id"] for q in doc["questions"]] == [c.id for c in claims.questions]
    for review in doc["@graph"]:
        assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] in RATING_LABELS


def test_notebook_prose_types_no_numbers():
    # numbers in the narrative are computed in the package; markdown cells explain the method only
    for src in notebook_paths():
        nb = jupytext.read(src)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\d", cell.source), f"{src.name}: typed number in {cell.source[:60]!r}"


def test_a_claims_file_for_another_pair_needs_no_code_change_and_leaks_nothing(tmp_path):
    path = OTHER_PAIR / "claims.yaml"
    claims = load_claims(path)
    out = tmp_path / "out"
    summary = refresh.run(out=out, claims_path=path, quiet=True)
    assert summary["report_warnings"] == []
    html = (out / refresh.REPORT).read_text(encoding="utf-8")
    for claim in claims.claims:
        assert ('class="rating' in _section(html, claim.id)) == claim.is_statement, claim.id
    results = json.loads((out / refresh.VERDICTS).read_text(encoding="utf-8"))["results"]
    assert {r["claim_id"] for r in results} == {c.id for c in claims.claims}
    # nothing of the bundled case unless the second pair's own files say it
    own = "".join(p.read_text(encoding="utf-8") for p in OTHER_PAIR.iterdir())
    for word in ("Belarus", "Kazakhstan", "BLR", "KAZ", "2016-05-31"):
        if word not in own:
            assert word not in html, word
    assert "Armenia" in html and claims.article.outlet in html



@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_kernels_are_shut_down_after_the_run(run):
    assert child_kernels() == []
