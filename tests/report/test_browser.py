"""Open the exported report in headless Chromium from disk, with the network blocked, as a reader would.

Two reports: the bundled case and a claims file for a second pair (``tests/fixtures/other_pair``).
Checks: no console errors or warnings; every statement's rating and sentence in the top table,
all within the first 1366×768 screen, questions in the Context part without ratings; every chart titled, with a source line
and a CSV link whose file holds exactly the plotted values; empty charts as one-line notes; no
horizontal scrolling at 125% zoom. Screenshots go to ``<out>/reports/screenshots/`` (and to
``$TURNOVER_SCREENSHOTS`` when set, for a person to look at).

Needs Debian's ``chromium`` (``make test`` installs it when run as root); skipped otherwise.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _browser import _chromium, launch
from _where import FIXTURES

import pytest

from turnover import refresh
from turnover.claims import load_claims
from turnover.report import plotted, rating

OTHER_PAIR = FIXTURES / "other_pair" / "claims.yaml"
LABELS = {v[0] for v in rating.SCALE.values()} | {"Not evaluated"}

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


def _open(browser, path: Path, width=1366, height=768):
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    problems, requests = [], []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning", "assert") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))

    def only_local(route):  # the report must work offline: every non-file request is refused
        requests.append(route.request.url)
        return route.continue_() if route.request.url.startswith(("file://", "data:")) else route.abort()

    page.route("**/*", only_local)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    return page, problems, requests


@pytest.fixture(scope="module", params=["bundled", "other_pair"])
def report(request, tmp_path_factory, browser):
    out = tmp_path_factory.mktemp(request.param)
    claims_path = OTHER_PAIR if request.param == "other_pair" else None
    # playwright's sync API keeps an event loop on this thread; the refresh runs its own on another
    with ThreadPoolExecutor(1) as pool:
        pool.submit(refresh.run, out=out, claims_path=claims_path, quiet=True).result()
    claims = load_claims(claims_path)
    page, problems, requests = _open(browser, out / refresh.REPORT)
    shots = out / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    yield request.param, claims, page, problems, requests, shots
    page.close()
    keep = os.environ.get("TURNOVER_SCREENSHOTS")
    if keep:
        shutil.copytree(shots, Path(keep) / request.param, dirs_exist_ok=True)


def test_no_console_errors_or_warnings_and_no_network(report):
    _, _, page, problems, requests, _ = report
    assert problems == []
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []


def test_plotly_js_at_the_end_draws_every_queued_figure(report):
    """plotly.js comes last in the page as text the parser skips, run from a blob: URL after the
    text has painted; by the load event each figure, queued until then, has been drawn and the
    queue is closed (the page is checked just after its load event)."""
    name, _, page, _, _, _ = report
    state = page.evaluate("""() => {
        const scripts = Array.from(document.scripts), divs = document.querySelectorAll('.plotly-graph-div');
        const bundle = document.getElementById('turnover-plotly-js');
        return {queue: window.TURNOVER_QUEUE, plotly: typeof window.Plotly, divs: divs.length,
                drawn: document.querySelectorAll('.plotly-graph-div.js-plotly-plot').length,
                scripts: scripts.length, bundleType: bundle && bundle.type,
                bundleLast: !!bundle && bundle.parentNode === document.body && divs.length > 0
                    && !!(divs[divs.length - 1].compareDocumentPosition(bundle) & Node.DOCUMENT_POSITION_FOLLOWING),
                blobs: scripts.filter(s => s.src.startsWith('blob:')).length,
                inline: scripts.filter(s => !s.src && s.parentNode === document.head && s.text.indexOf('* plotly.js') >= 0).length};
    }""")
    if name == "other_pair" and state["divs"] == 0:  # no chart at all: neither plotly.js nor the queue
        assert state["plotly"] == "undefined" and state["bundleType"] is None and state["scripts"] == 0, state
        return
    assert state["queue"] is None and state["plotly"] == "object"
    assert state["divs"] > 0 and state["drawn"] == state["divs"]
    assert state["bundleType"] == "text/plain" and state["bundleLast"], state
    assert (state["blobs"], state["inline"]) == (1, 0), state  # run from the blob, not the inline fallback


def test_a_browser_refusing_the_blob_runs_plotly_js_inline_and_draws_every_figure(report, browser):
    name, _, page, _, _, _ = report
    other = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        other.add_init_script("URL.createObjectURL = () => 'blob:null/refused';")  # as a browser that refuses it
        other.goto(page.url, wait_until="load")
        state = other.evaluate("""() => ({queue: window.TURNOVER_QUEUE, divs: document.querySelectorAll('.plotly-graph-div').length,
            drawn: document.querySelectorAll('.plotly-graph-div.js-plotly-plot').length,
            inline: Array.from(document.head.querySelectorAll('script')).filter(s => s.text.indexOf('* plotly.js') >= 0).length})""")
    finally:
        other.close()
    if state["divs"] == 0:
        assert name == "other_pair" and state["inline"] == 0
        return
    assert state["queue"] is None and state["drawn"] == state["divs"] and state["inline"] == 1, state


def test_every_statement_rating_and_sentence_is_on_the_first_screen_questions_in_context(report):
    """Issue 21: the first 1366×768 screen is the answer: every rated statement's row (chip and
    sentence per date) inside it, the count stated; questions only in the Context part, without chips."""
    name, claims, page, _, _, shots = report
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"{name}-first-screen.png"))
    n = len(claims.statements)
    assert page.locator("table.verdicts caption").inner_text().startswith(
        f"{n} statement{'s' if n != 1 else ''} checked")
    assert page.locator("table.verdicts tbody tr").count() == n
    for claim in claims.statements:
        row = page.locator(f'table.verdicts tr[data-claim="{claim.id}"]')
        assert row.count() == 1, claim.id
        box = row.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768, (claim.id, box)
        for vintage in claim.vintages:
            cell = row.locator(f'td[data-vintage="{vintage}"]')
            chip, sentence = cell.locator(".rating"), cell.locator(".sentence")
            assert chip.inner_text().strip() in LABELS, (claim.id, vintage)
            assert sentence.inner_text().strip(), (claim.id, vintage)
            for el in (chip, sentence):  # readable without scrolling
                box = el.bounding_box()
                assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768, (claim.id, vintage, box)
    context = page.locator(".context-part")
    assert context.count() == (1 if claims.questions else 0)
    for claim in claims.questions:
        assert page.locator(f'table.verdicts tr[data-claim="{claim.id}"]').count() == 0
        item = context.locator(f'li[data-question="{claim.id}"]')
        assert item.count() == 1 and item.locator(".rating").count() == 0, claim.id
        assert claim.question in item.inner_text()


SOURCE_IDS = re.compile(r"(?<![\w/.-])(imf_dots|imf_imts|wb_wits|un_comtrade|official_release|national_statistics|"
                        r"central_bank_rates|declining_trend|partner_rank|market_shock|mirror_gap|event_record)(?![\w/.-])")
NOT_WORDS = ("-0%", "−0%", "+0%", "(s)", "{'", "['", "']", "'}", "None", "nan%", "flow-year")


def test_reader_text_has_no_source_ids_signed_zeros_or_python_reprs(report):
    """Issue 21: plain words everywhere a reader looks, the collapsed details and the charts' own text
    included; file names and paths (``<code>``) are addresses, not words."""
    name, _, page, _, _, _ = report
    text = page.evaluate("""() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('code, script, style').forEach(e => e.remove());
        return b.textContent; }""")
    assert len(text) > 1000
    found = sorted(set(SOURCE_IDS.findall(text)))
    assert found == [], (name, found)
    for bad in NOT_WORDS:
        at = text.find(bad)
        assert at < 0, (name, bad, text[max(0, at - 80):at + 80])


def _csv_rows(href: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(plotted.from_uri(href))))


def _same(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    except (TypeError, ValueError):
        return str(a) == str(b)


def test_every_chart_has_a_title_a_source_line_and_a_csv_of_exactly_its_values(report):
    name, claims, page, _, _, shots = report
    charts_seen = 0
    drawn = [c for c in claims.claims if c.rule.kind != "event_record"]  # an event record has no chart
    for claim in drawn:
        section = page.locator(f"section#{claim.id}")
        assert section.count() == 1, claim.id
        figure = section.locator("figure.chart")
        if figure.count() == 0:  # nothing to plot: a one-line note, no empty axis
            note = section.locator("p.empty-chart")
            assert note.count() == 1 and note.inner_text().strip(), claim.id
            assert section.locator(".plotly-graph-div").count() == 0
            continue
        charts_seen += 1
        assert figure.get_attribute("aria-label"), claim.id
        graph = figure.locator(".plotly-graph-div")
        graph.scroll_into_view_if_needed()
        assert graph.locator(".gtitle").first.text_content().strip(), claim.id
        assert section.locator(".source-line").inner_text().startswith("Source: "), claim.id
        link = section.locator("a.csv-link")
        href = link.get_attribute("href")
        rows = _csv_rows(href)
        traces = page.evaluate("""id => document.getElementById(id).data.map(t => (
            {series: t.meta && t.meta.csv, x: Array.from(t.x || []), y: Array.from(t.y || [])}))""",
                               graph.get_attribute("id"))
        assert traces and all(t["series"] for t in traces)
        plotted_values = [(t["series"], x, y) for t in traces for x, y in zip(t["x"], t["y"])]
        assert len(plotted_values) == len(rows), claim.id
        for (series, x, y), row in zip(plotted_values, rows):
            assert row["series"] == series and _same(x, row["x"]) and _same(y, row["y"]), (claim.id, row)
            assert row["source"], (claim.id, row)
        with page.expect_download() as dl:  # the link works: the browser saves the same file
            link.click()
        saved = Path(dl.value.path()).read_text(encoding="utf-8")
        assert saved == plotted.from_uri(href) and dl.value.suggested_filename == f"{claim.id}.csv"
        section.screenshot(path=str(shots / f"{name}-{claim.id}.png"))
    if name == "bundled":
        assert charts_seen == len(drawn)


def test_readable_at_125_percent_zoom(report, browser):
    name, _, page, _, _, shots = report
    # 125% zoom on a 1366-pixel screen leaves 1093 CSS pixels: the page must not scroll sideways
    page.set_viewport_size({"width": 1093, "height": 614})
    page.wait_for_timeout(300)
    try:
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
        page.screenshot(path=str(shots / f"{name}-zoom125.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1366, "height": 768})



def test_no_two_text_labels_of_a_chart_overlap(report):
    """Issue 21 part 5: every text label plotly draws in a chart (data labels, bar labels, annotations:
    line-end labels, reference-line and break notes, subplot titles; the legend aside) has a box that
    overlaps no other label's box of the same chart, on both reports, at 1366×768."""
    name, _, page, _, _, _ = report
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(200)
    charts_boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(div => {
        const sel = '.main-svg .textpoint text, .main-svg text.bartext, .main-svg .annotation-text';
        const boxes = Array.from(div.querySelectorAll(sel)).map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
        }).filter(b => b.text.trim() && b.x1 > b.x0 && b.y1 > b.y0);
        return {id: div.closest('section') ? div.closest('section').id : div.id, boxes: boxes};
    })""")
    if name == "bundled":
        assert len(charts_boxes) >= 5
    tol = 1.0
    overlaps = []
    for chart in charts_boxes:
        b = chart["boxes"]
        assert b, chart["id"]  # every chart has labels (at least its line-end or subplot labels)
        for i in range(len(b)):
            for j in range(i + 1, len(b)):
                p, q = b[i], b[j]
                if (min(p["x1"], q["x1"]) - max(p["x0"], q["x0"]) > tol
                        and min(p["y1"], q["y1"]) - max(p["y0"], q["y0"]) > tol):
                    overlaps.append((chart["id"], p["text"], q["text"]))
    assert overlaps == []
