"""Errors raised by the models (subclasses of the project's ``TurnoverError``)."""

from ..errors import TurnoverError


class ModelInputError(TurnoverError):
    """A series cannot be modelled as given (e.g. gaps too large to fill honestly)."""
