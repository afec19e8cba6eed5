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
# # Mirror statistics: one turnover or two?
#
# "Mutual turnover" is one number only if both countries' statistics agree. Belarus's exports to
# Kazakhstan should match Kazakhstan's imports from Belarus, up to the usual CIF/FOB margin (imports
# include freight and insurance). The chart puts each side's figures for the same flow next to each
# other, and turnover as each country reports it below. A gap can only be measured for a period both
# sides published.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
for claim in show.claims_of(inp, "mirror_gap"):
    show.claim_section(claim, inp)
