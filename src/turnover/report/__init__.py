"""The HTML report (placeholder: one chart of the bundled figures and the verdict table)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..claims import ClaimsFile


def build_html(panel: pd.DataFrame, results: list[dict], claims: ClaimsFile) -> str:
    t = panel[(panel["flow"] == "turnover") & panel["value_usd"].notna()]
    fig = go.Figure()
    for rep, g in t.groupby("reporter"):
        fig.add_trace(go.Scatter(
            x=g["period_end"], y=g["value_usd"] / 1e6, mode="markers", name=f"reported by {rep}",
            text=g["frequency"] + " " + g["period_start"].dt.strftime("%Y-%m") + ": " + g["source_url"],
        ))
    fig.update_layout(title="Belarus-Kazakhstan goods turnover as published (USD mn, by period end)",
                      yaxis_title="USD million", template="plotly_white")
    rows = "".join(
        f"<tr><td>{html.escape(r['claim_id'])}</td><td>{html.escape(r['vintage'])}</td>"
        f"<td>{html.escape(r['verdict'])}</td><td>{html.escape(r.get('summary', ''))}</td></tr>"
        for r in results
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>turnover report</title></head><body>"
        f"<h1>{html.escape(claims.article.title_en)}</h1>"
        + fig.to_html(full_html=False, include_plotlyjs=True)
        + "<p>Source: bundled official figures (data/official/official_figures.csv), each point's URL in its hover text.</p>"
        + f"<table><tr><th>claim</th><th>vintage</th><th>verdict</th><th>summary</th></tr>{rows}</table>"
        "</body></html>"
    )
