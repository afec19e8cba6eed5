"""The one place where text becomes HTML in the report.

Every value that reaches the page (quotes, claim text, rule parameters, model summaries,
data-used lines, URLs, file names) goes through ``html`` (a template whose arguments are
escaped: ``markupsafe``) or ``text``; only ``Markup`` built here passes through unescaped.
Links are live only for http(s) URLs: ``javascript:``, ``data:`` and the like are shown as
plain text. Modules that build HTML use these helpers instead of f-strings with values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

__all__ = ["Markup", "html", "text", "join", "safe_url", "link"]

_BAD_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


def html(template: str, *args, **kwargs) -> Markup:
    """``template`` (trusted markup) with every argument escaped unless it is ``Markup`` itself."""
    return Markup(template).format(*args, **kwargs)


def text(value) -> Markup:
    """Any value as escaped text ('' for None)."""
    return escape("" if value is None else str(value))


def join(parts: Iterable, sep: str = "") -> Markup:
    """Join markup and text (text parts escaped) with the trusted separator ``sep``."""
    return Markup(sep).join(text(p) if not isinstance(p, Markup) else p for p in parts)


def safe_url(value) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host and no odd characters, else None."""
    if not isinstance(value, str) or _BAD_URL_CHARS.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def link(url, label=None, **attrs: str) -> Markup:
    """An <a> to an http(s) URL; any other URL is shown as text, never as a live link."""
    label = url if label is None else label
    href = safe_url(url)
    if href is None:
        return text(label)
    extra = join(html(' {}="{}"', k.rstrip("_").replace("_", "-"), v) for k, v in attrs.items())
    return html('<a href="{}" rel="noreferrer noopener"{}>{}</a>', href, extra, label)
