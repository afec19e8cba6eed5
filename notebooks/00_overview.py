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
# # The verdicts
#
# Each statement's rating as of the article's date and today; charts, reasoning and sources follow.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
show.overview(inp);
