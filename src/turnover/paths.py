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


def confined(root: Path, rel: str, error: type | None = None, what: str = "", make_dirs: bool = False) -> Path:
    """``root / rel`` for a relative path read from a state file (a run record, a manifest), checked.

    ``rel`` must be a plain relative POSIX path (no leading '/', no '..', '.', empty part, NUL or
    backslash), and every folder between ``root`` and the last part must be a real folder, never a
    symbolic link, so the path cannot leave ``root`` (resolving it changes nothing). ``make_dirs``
    creates missing folders. The last part itself is left to the caller, who opens it without
    following a link (``readers.read_bytes(..., follow=False)``). Anything else is ``error``
    (default ``ConfigError``) naming the path.
    """
    import stat

    from .errors import ConfigError

    error = error or ConfigError
    label = f"{what} {rel!r}" if what else repr(rel)
    parts = rel.split("/") if isinstance(rel, str) else None
    if (not parts or rel.startswith("/") or "\\" in rel or "\0" in rel
            or any(p in ("", ".", "..") for p in parts)):
        raise error(f"{label} is not a plain relative path inside {root}")
    here = Path(root)
    for part in parts[:-1]:
        here = here / part
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            if not make_dirs:
                return Path(root).joinpath(*parts)  # nothing there to follow: the open will say so
            try:
                os.mkdir(here)
            except FileExistsError:  # made meanwhile by another process: checked below like any other
                pass
            st = os.lstat(here)
        if stat.S_ISLNK(st.st_mode):
            raise error(f"{here} is a symbolic link (to {os.readlink(here)}), not followed ({label})")
        if not stat.S_ISDIR(st.st_mode):
            raise error(f"{here} is not a folder ({label})")
    return Path(root).joinpath(*parts)
