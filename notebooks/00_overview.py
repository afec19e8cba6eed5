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
# # The verdicts

# %% tags=["parameters"]
# `python -m turnover.refresh` injects the run it is making; None (opened by hand) = the bundled
# claims with the published data/processed/panel.parquet and reports/verdicts.json.
run_file = None

# %%
from turnover.report import inputs, show

inp = inputs.load(run_file)

# %%
show.overview(inp);
