"""Shared fixtures: the bundled panel and claims, read once per test session; a stub report."""

from __future__ import annotations

import hashlib
import os

import pandas as pd
import pytest

from turnover.ingest import official, panel
from turnover.claims import load_claims
from turnover.paths import data_dir

# parsed DOTS exports and the all-pairs matrix are keyed by content: tests that copy data/ into a
# temporary root share the checkout's cache (and subprocesses inherit it) instead of rebuilding it
os.environ.setdefault("TURNOVER_CACHE", str(data_dir() / "cache"))


@pytest.fixture(scope="session")
def official_csv() -> pd.DataFrame:
    return official.read_csv()


@pytest.fixture(scope="session")
def bundled_panel() -> pd.DataFrame:
    return panel.build_panel([official.load()])


@pytest.fixture(scope="session")
def claims():
    return load_claims()


def _stub_build(run, **kw):
    """A one-line page standing in for the report (which executes notebooks: ~20 s)."""
    import turnover.report as r

    digest = hashlib.sha256(run.panel_path.read_bytes() + run.verdicts_path.read_bytes()).hexdigest()
    return r.Report(html=f"<html>{digest}</html>", notebooks={}, warnings=[])


@pytest.fixture(scope="session")
def report_stub():
    """The stub ``turnover.report.build`` itself, for fixtures wider than a function to patch in."""
    return _stub_build


@pytest.fixture
def stub_report(monkeypatch):
    """For tests about publishing, not the report: a one-line page stands in for it."""
    import turnover.report as r

    monkeypatch.setattr(r, "build", _stub_build)


@pytest.fixture(scope="session")
def full_panel() -> pd.DataFrame:
    """The panel refresh builds offline: official figures plus every bundled series file."""
    from turnover.ingest import bundled

    return panel.build_panel([official.load()] + bundled.load())
