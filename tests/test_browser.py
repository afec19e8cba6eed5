"""Open the exported report in headless Chromium from disk, with the network blocked.

Needs Debian's ``chromium`` (``make test`` installs it when run as root); skipped otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from turnover import refresh

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        pytest.skip("Debian's chromium is not installed (make test installs it as root: apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def page_report(tmp_path_factory):
    exe = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path_factory.mktemp("report")
    refresh.run(out=out, quiet=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems, requests = [], []
        page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))

        def only_local(route):  # the report must work offline: every non-file request is refused
            requests.append(route.request.url)
            return route.continue_() if route.request.url.startswith("file://") else route.abort()

        page.route("**/*", only_local)
        page.goto((out / refresh.REPORT).as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length > 0")
        yield page, problems, requests, out
        browser.close()


def test_no_console_errors_and_no_network(page_report):
    page, problems, requests, _ = page_report
    assert problems == []
    assert [u for u in requests if not u.startswith("file://")] == []


def test_every_claim_has_a_drawn_chart_and_visible_verdicts(page_report, claims, tmp_path):
    page, _, _, _ = page_report
    for claim in claims.claims:
        section = page.locator(f"section#{claim.id}")
        assert section.count() == 1, claim.id
        chart = section.locator(".plotly-graph-div .main-svg").first
        chart.scroll_into_view_if_needed()
        assert chart.is_visible(), claim.id
        assert section.locator(".plotly-graph-div .gtitle").first.text_content().strip(), claim.id  # finding title
        for vintage in claim.vintages:
            badge = section.locator(f'.verdict-badge[data-vintage="{vintage}"]').first
            assert badge.is_visible(), (claim.id, vintage)
            assert ":" in badge.inner_text()
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
