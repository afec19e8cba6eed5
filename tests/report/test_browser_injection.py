"""No script from the inputs runs in the report (issue 13, item 2), checked in headless Chromium.

Every free-text field of a claims and article file, and the model's summaries and data-used lines,
carry payloads that would set ``window.__pwned`` if they reached the page as markup. The report
must show them as text and leave the marker unset. A control page proves the payloads do fire
when inserted raw, so the check can fail. Skipped when Chromium is absent.
"""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

import turnover.model
from _browser import _chromium, launch
from turnover import refresh
from turnover.paths import seeds_dir

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAYLOADS = ['<img src=x onerror="window.__pwned=1">', "<script>window.__pwned=2</script>",
            '"><svg onload="window.__pwned=3">', "</script><script>window.__pwned=4</script>",
            "<iframe srcdoc=\"<script>parent.__pwned=5</script>\"></iframe>"]
P = " ".join(PAYLOADS)


def _hostile_claims(tmp_path):
    doc = yaml.safe_load((seeds_dir() / "claims.yaml").read_text(encoding="utf-8"))
    art = yaml.safe_load((seeds_dir() / "article.yaml").read_text(encoding="utf-8"))
    for k in ("outlet", "title_ru", "title_en", "speaker", "url_note"):
        art[k] = f"{art[k]} {P}"
    art["url"] = "https://example.org/a?b=1&c=2"
    doc["claims"] = copy.deepcopy(doc["claims"][:2])
    for c in doc["claims"]:
        for k in ("quote_ru", "quote_en", "claim"):
            c[k] = f"{c[k]} {P}"
    d = tmp_path / "in"
    d.mkdir()
    (d / "article.yaml").write_text(yaml.safe_dump(art, allow_unicode=True), encoding="utf-8")
    (d / "claims.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(seeds_dir() / art["text_file"], d / art["text_file"])
    return d / "claims.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of a run on hostile claims whose model text carries the payloads too.

    Built before Chromium starts: nbclient and playwright's sync API each want the event loop."""
    _chromium()
    tmp = tmp_path_factory.mktemp("injection")
    real = turnover.model.evaluate

    def hostile(*a, **k):  # model text is what issue 13 saw reach the page raw
        out = real(*a, **k)
        for r in out:
            r["summary"] = f"{r.get('summary') or ''} {P}"
            r["data_used"] = list(r.get("data_used") or []) + [P]
        return out

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(turnover.model, "evaluate", hostile)
        refresh.run(tmp / "out", claims_path=_hostile_claims(tmp), quiet=True, force=True)
    return tmp / "out" / refresh.REPORT


@pytest.fixture(scope="module")
def browser(report):
    with launch() as b:
        yield b


def _open(browser, url: str | None = None, content: str | None = None):
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
               else route.abort())
    if url:
        page.goto(url, wait_until="load")
    else:
        page.set_content(content, wait_until="load")
    page.wait_for_timeout(300)  # let onerror/onload handlers fire
    return page


def test_the_payloads_fire_when_inserted_raw(browser):
    for i, p in enumerate(PAYLOADS[:4], 1):
        page = _open(browser, content=f"<html><body><div>{p}</div></body></html>")
        assert page.evaluate("window.__pwned") is not None, p
        page.close()


def test_no_payload_runs_in_the_report(browser, report):
    html = report.read_text(encoding="utf-8")
    assert html.count("window.__pwned") >= 5  # the payloads are there, as text
    page = _open(browser, url=report.as_uri())
    assert page.evaluate("window.__pwned") is None
    assert page.locator("iframe").count() == 0 and page.locator("img[src=x]").count() == 0
    text = page.inner_text("body")
    assert '<img src=x onerror="window.__pwned=1">' in text and "<script>window.__pwned=2</script>" in text
    links = page.eval_on_selector_all("a[href]:not(.csv-link)", "els => els.map(e => e.getAttribute('href'))")
    assert all(h.startswith(("#", "http://", "https://")) for h in links), links
    # the one other kind: each chart's data download, a CSV data: URI (text, never run)
    csv = page.eval_on_selector_all("a.csv-link", "els => els.map(e => e.getAttribute('href'))")
    assert csv and all(h.startswith("data:text/csv;charset=utf-8,") for h in csv), csv
    page.close()
