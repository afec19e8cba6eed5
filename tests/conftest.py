"""Shared fixtures: the bundled panel and claims, read once per test session."""

from __future__ import annotations

import pandas as pd
import pytest

from turnover import official, panel
from turnover.claims import load_claims


@pytest.fixture(scope="session")
def official_csv() -> pd.DataFrame:
    return official.read_csv()


@pytest.fixture(scope="session")
def bundled_panel() -> pd.DataFrame:
    return panel.build_panel([official.load()])


@pytest.fixture(scope="session")
def claims():
    return load_claims()
