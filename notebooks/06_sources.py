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
# # How to cite and sources
#
# How to cite this report, and every source its charts show, with publisher, retrieval date and terms.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
show.sources(inp);
