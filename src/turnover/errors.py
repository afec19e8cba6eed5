"""The project's own error types: each carries a one-line message for the user."""


class TurnoverError(Exception):
    """Base class; ``exit_code`` is what ``python -m turnover.refresh`` exits with."""

    exit_code = 1

    def __str__(self) -> str:  # one line, always
        return " ".join(super().__str__().split())


class ConfigError(TurnoverError):
    """Broken configuration or claims file."""

    exit_code = 2


class OutputError(ConfigError):
    """The output folder cannot be written (a file, read-only, disk full); outputs left as they were."""


class StateError(TurnoverError):
    """A file this program wrote and reads back (a run record, a published output, a snapshot
    manifest) is damaged or names something it must not (a path outside its folder, a link, a
    device). Never fatal: the caller warns in one line and rebuilds what it described."""


class DataValidationError(TurnoverError):
    """A table failed its schema."""

    exit_code = 3


class SourceError(TurnoverError):
    """A remote source failed (HTTP error, malformed or changed response, unknown code)."""

    exit_code = 4


class OfflineError(SourceError):
    """Network needed but not reachable; the last snapshot was used or nothing could be done."""

    exit_code = 5


class BusyError(TurnoverError):
    """Another refresh holds the output folder."""

    exit_code = 6


def warn(message: str) -> None:
    """One line on stderr (``turnover: warning: ...``); for damaged state that is rebuilt, not fatal."""
    import sys

    print(f"turnover: warning: {' '.join(str(message).split())}", file=sys.stderr, flush=True)
