"""The words of the report's first screen: the count of statements rated, the note that a later
date gives the same rating, and the Context part (the analyst's questions, findings without ratings)."""

from __future__ import annotations

from .fmt import plural

CONTEXT_TITLE = "Context"


def statements_checked(n: int) -> str:
    """'4 statements checked against official statistics' (the first screen's caption)."""
    return f"{plural(n, 'statement')} checked against official statistics"


def same_rating() -> str:
    """Beside a later date's chip when its rating is the article date's (the column names the date)."""
    return "Same rating."


def context_intro(n: int) -> str:
    return (f"{plural(n, 'question')} the fact-check asked about the same trade. These are not things anyone "
            "said, so they get findings, not ratings.")


def prompted_by(quote: str) -> str:
    return f"Prompted by “{quote}”."


def question_heading(question: str) -> str:
    return f"Question: {question}"
