"""Every bundled data file checked in full before any stage of a refresh runs.

First the manifest (each file's sha256), then each table's rows against its typed schema, so
a bad cell (``about 537``, ``952,8``, month ``2008-13``, ``published_on=soon``) stops the run
with exit 3 and one line naming the file, line and column, before anything is computed or
published. A new bundled table adds its check to ``CHECKS``.
"""

from __future__ import annotations

from collections.abc import Callable

from . import manifest, official
from .model import facts

CHECKS: list[Callable[[], object]] = [official.validate, facts.validate]


def check() -> None:
    """Raise ``ConfigError`` (manifest) or ``DataValidationError`` (a table) on the first problem."""
    manifest.check()
    for fn in CHECKS:
        fn()
