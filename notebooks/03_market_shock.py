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
# # Currency shocks
#
# Devaluations of each country's currency against the US dollar, at their dates, with the rule's
# look-back window before the article shaded. A devaluation cuts the dollar value of trade priced in
# national currency.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
for claim in show.claims_of(inp, "market_shock"):
    show.claim_section(claim, inp)
