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
# # Russia and Ukraine, the main partners
#
# The statement: Russia and Ukraine are the main partners of both countries. The rule asks whether
# each is among each country's top partners. Partner-by-partner statistics come with the online
# sources; the bundled data hold what officials stated (ranks, shares of total trade, trade values),
# each with its source. Bars in colour are the partners the claim names; grey bars are other partners
# mentioned in the same sources, for comparison.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
for claim in show.claims_of(inp, "partner_rank"):
    show.claim_section(claim, inp)
