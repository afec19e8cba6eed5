"""The one escaping helper: values are escaped once, markup built by it is not, links are http(s) only."""

from __future__ import annotations

import pytest

from turnover.report import safe


def test_values_are_escaped_and_markup_passes_once():
    inner = safe.html("<b>{}</b>", "<i>x</i> & 'q' \"d\"")
    assert inner == "<b>&lt;i&gt;x&lt;/i&gt; &amp; &#39;q&#39; &#34;d&#34;</b>"
    assert safe.html("<p>{}</p>", inner) == f"<p>{inner}</p>"  # not escaped twice
    assert safe.join(["<a>", inner], " ") == f"&lt;a&gt; {inner}"


@pytest.mark.parametrize("url, live", [
    ("https://example.org/a?b=1&c=2", True), ("http://law.by/news/", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,<b>", False),
    ("//example.org/x", False), ("https://x.example/\"onmouseover=alert(1)", False),
    ("https://x.example/ a", False), ("vbscript:msgbox", False), (None, False),
])
def test_only_http_urls_become_links(url, live):
    out = safe.link(url, "label")
    assert out.startswith("<a href=") == live
    if live:
        assert 'rel="noreferrer noopener"' in out
        assert ("&amp;c=2" in out) == ("&c=2" in url)  # the href is escaped too
    else:
        assert out == "label"
