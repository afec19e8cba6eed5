"""A claim's header and result text: quotes, rule, badges for every vintage, model text kept literal."""

from __future__ import annotations

import datetime as dt

from turnover.report import charts, inputs, show


def _inp(panel, claims, results):
    return inputs.Inputs(panel=panel, results=results, claims=claims, facts=inputs.context_facts(),
                         today=dt.date(2026, 11, 25))


def test_header_has_both_quotes_the_rule_and_a_badge_per_vintage(bundled_panel, claims):
    claim = claims.claims[0]
    inp = _inp(bundled_panel, claims, [])
    html = show.header_html(claim, inp, charts.chart_for(claim, inp))
    assert claim.quote_ru in html and f"“{claim.quote_en}”" in html
    assert claim.rule.kind in html and f"{claim.window.start}–{claim.window.end}" in html
    for v in claim.vintages:
        assert f'data-vintage="{v}"' in html


def test_model_text_is_escaped_once_and_headline_lists_data_used(bundled_panel, claims):
    claim = claims.claims[0]
    results = [{"claim_id": claim.id, "vintage": "today", "as_of": "2026-11-25", "reporter": "all",
                "verdict": "supported", "summary": "slope -162 $ mn/yr, p_value 0.1 *weak* <b>x</b> & co",
                "p_value": 0.149, "n_obs": 4, "data_used": ["4 point(s) of $ figures", "<script>x()</script>"]}]
    out = show.results_html(claim, _inp(bundled_panel, claims, results))
    assert "slope -162 $ mn/yr, p_value 0.1 *weak* &lt;b&gt;x&lt;/b&gt; &amp; co" in out
    assert "(p = 0.149; n = 4)" in out
    assert "<li>data used: 4 point(s) of $ figures</li>" in out
    assert "<li>data used: &lt;script&gt;x()&lt;/script&gt;</li>" in out and "<script>" not in out
