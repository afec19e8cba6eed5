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
# # Mirror statistics
#
# One country's exports should match the other's imports of the same goods, up to the usual margin for
# freight and insurance (imports are valued CIF, exports FOB). The grey band is that margin; a year
# outside it means the two countries' figures do not describe the same trade.

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
