"""What a live source module provides (``comtrade``, ``imf``, ``wits``): the one contract
``pull`` relies on. A new API is a new module with these names, added to ``pull.SOURCES``."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from .config import Config
from .request import Cells, Request
from .rows import Parsed


@runtime_checkable
class Source(Protocol):
    NAME: str       # short name: manifest lines, messages, data/raw/<NAME>/
    KIND: str       # the panel's source_kind for its rows
    LICENCE: str    # the terms, recorded with every snapshot

    def headers(self, cfg: Config, endpoint: str) -> dict:
        """HTTP headers for a call (a key travels here, never in the URL)."""

    def plan(self, cfg: Config) -> list[Request]:
        """Every call that covers the configured scope, fewest first."""

    def build(self, cells: Cells, cfg: Config, endpoint: str) -> Request:
        """The request for these cells."""

    def parse(self, status: int, body: bytes, cells: Cells, where: str) -> Parsed:
        """Observations of a response body; ``SourceError`` naming ``where`` when it is not one."""

    def no_records(self, status: int, body: bytes) -> bool:
        """True for the source's documented "no data" answer on a non-2xx status."""
