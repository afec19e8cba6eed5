"""turnover: check what is said about bilateral trade against the official statistics."""

__version__ = "0.1.0"
