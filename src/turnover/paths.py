"""Where things live. The project root can be overridden with TURNOVER_ROOT (tests, installed use)."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("TURNOVER_ROOT")
    if env:
        return Path(env).resolve()
    # src/turnover/paths.py -> repository root
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


def cache_dir(root: Path | None = None) -> Path:
    """Where parsed DOTS exports and the all-pairs matrix are cached: ``TURNOVER_CACHE`` when set
    (the tests share one across their copied data folders: the keys are content hashes), else
    ``<data>/cache`` (git-ignored)."""
    env = os.environ.get("TURNOVER_CACHE")
    return Path(env) if env else (root or data_dir()) / "cache"


def official_dir() -> Path:
    return data_dir() / "official"


def raw_dir() -> Path:
    return data_dir() / "raw"


def seeds_dir() -> Path:
    return project_root() / "seeds"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def shared_dir() -> Path | None:
    """``../shared`` beside the checkout (CI has it); None when absent."""
    env = os.environ.get("TURNOVER_SHARED")
    p = Path(env) if env else project_root().parent / "shared"
    return p if p.is_dir() else None
