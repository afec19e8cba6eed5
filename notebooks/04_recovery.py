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
# # After the ten-year programme
#
# The article reports that the sides agreed to draft a cooperation programme for a decade; it was
# signed later and runs for ten years. Did turnover recover afterwards? The chart marks the signing
# date, the trough year and the pre-decline reference year named in the rule; triangles are values
# printed only as bounds ("more than a billion"), which can support "at least" but never "at most".

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
for claim in show.claims_of(inp, "recovery"):
    show.claim_section(claim, inp)
