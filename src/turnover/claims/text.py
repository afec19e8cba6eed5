"""Free-text fields of a claims or article file: control and bidirectional-formatting characters refused.

Quotes, titles, the speaker, the claim, notes and the URL reach the report (HTML, escaped) and the
verdicts file. Characters that are invisible there but change what a reader sees -- U+202E
RIGHT-TO-LEFT OVERRIDE, the isolates U+2066..U+2069, U+200E/U+200F marks, zero-width space,
NUL, BEL and the other C0/C1 controls, lone surrogates -- are refused (exit 2, one line naming the
claim, field, code point and position) rather than stripped: a quote is checked as written, so it
must not be silently changed. ``Text`` keeps line breaks and tabs (quotes, notes); ``Line``
(titles, names, the URL) refuses them too. Zero-width (non-)joiners U+200C/U+200D are allowed:
some scripts need them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

# C0 and C1 controls but \t and \n; ALM; zero-width space, LRM, RLM; LRE..RLO; word joiner, invisible
# operators, isolates LRI..PDI and deprecated format controls; line/paragraph separators; BOM;
# interlinear annotation; lone surrogates (YAML "\ud800" escapes make them)
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
                      "\u2028\u2029\ufeff\ufff9-\ufffb\ud800-\udfff]")
_BREAKS = re.compile("[\t\n]")


def _name(ch: str) -> str:
    if "\ud800" <= ch <= "\udfff":
        return "a lone surrogate"
    return unicodedata.name(ch, {"\t": "TAB", "\n": "LINE FEED"}.get(ch, "a control character"))


def _check(value: str, pattern: re.Pattern) -> str:
    m = pattern.search(value)
    if m:
        ch = m.group()
        raise ValueError(f"contains U+{ord(ch):04X} ({_name(ch)}) at character {m.start() + 1}: control and "
                         "bidirectional-formatting characters are refused (they hide or reorder text)")
    return value


def check_text(value: str) -> str:
    """``value`` unchanged, or ``ValueError`` naming the first refused character (tabs, line breaks kept)."""
    return _check(value, _REFUSED)


def check_line(value: str) -> str:
    """As ``check_text``, and no tab or line break either."""
    _check(value, _BREAKS)
    return _check(value, _REFUSED)


Text = Annotated[str, AfterValidator(check_text)]
Line = Annotated[str, AfterValidator(check_line)]
