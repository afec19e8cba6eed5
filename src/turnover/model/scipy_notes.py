"""SciPy without the array-API notes it writes into its docstrings at import.

SciPy (1.15 and later) decorates about 650 functions with ``xp_capabilities`` as their modules
load, and the decorator parses each docstring with its numpydoc scraper to append a table of
the array libraries the function supports: about 0.2 s of every process that imports
``scipy.stats`` (statsmodels does), a tenth of a refresh's own work. The note is only
documentation (``help()``); the decorator's other effect, recording the capabilities for
SciPy's own test suite, is kept. ``skip_array_api_notes`` replaces the scraper it calls with
one that leaves the docstring as it is; call it before scipy's submodules are imported.
"""

from __future__ import annotations

import sys


class PlainDoc:
    """Stands in for ``scipy._lib._docscrape.FunctionDoc`` in ``xp_capabilities``: the note
    appended to its sections goes nowhere and the docstring comes back unchanged."""

    def __init__(self, func, *args, **kwargs):
        self._doc = getattr(func, "__doc__", None) or ""

    def __getitem__(self, section: str) -> list:
        return []

    def __setitem__(self, section: str, value) -> None:
        pass

    def __str__(self) -> str:
        return "\n" + self._doc  # the decorator drops the first line (the signature)


def skip_array_api_notes() -> bool:
    """Make ``xp_capabilities`` keep docstrings as they are; True if it now does. A no-op once
    ``scipy.stats`` is loaded (too late to matter), or where SciPy has no such decorator."""
    if "scipy.stats" in sys.modules:
        return False
    try:
        from scipy._lib import _array_api
    except ImportError:
        return False
    if not hasattr(_array_api, "xp_capabilities") or not hasattr(_array_api, "FunctionDoc"):
        return False
    _array_api.FunctionDoc = PlainDoc
    return True
