"""Headless Debian Chromium driven by Playwright, shared by the browser tests (skipped where either is missing)."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        pytest.skip("Debian's chromium is not installed (make test installs it as root: apt-get install chromium)")
    return path


@contextlib.contextmanager
def launch():
    """Headless Debian Chromium driven by Playwright (the test skips where either is missing)."""
    exe = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=ARGS)
        try:
            yield b
        finally:
            b.close()
