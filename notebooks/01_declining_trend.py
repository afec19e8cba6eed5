# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Turnover over time
#
# One line per country's own official series, figures quoted in releases as dots, the article's date as a
# rule with the years then published shaded. Each country records the trade differently, so the lines are
# never merged; below, where the data hold each country's total trade, the pair's share of it, and how
# the pair's change compares with every reporter–partner pair's that year.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
for claim in show.claims_of(inp, "declining_trend"):
    show.claim_section(claim, inp)
    show.context_block(claim, inp)  # the pair's change against every pair's that year (IMF DOTS)
