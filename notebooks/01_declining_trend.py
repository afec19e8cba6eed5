# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version,-jupytext.text_representation.format_version
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
# `python -m turnover.refresh` injects the run it is making; None (opened by hand) = the bundled
# claims with the published data/processed/panel.parquet and reports/verdicts.json.
run_file = None

# %%
from turnover.report import inputs, show

inp = inputs.load(run_file)

# %%
for claim in show.claims_of(inp, "declining_trend"):
    show.claim_section(claim, inp)
    show.context_block(claim, inp)  # the pair's change against every pair's that year (IMF DOTS)
