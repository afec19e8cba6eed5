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
# # Mirror statistics
#
# One country's exports should match the other's imports of the same goods, up to the usual margin for
# freight and insurance (imports are valued CIF, exports FOB). The grey band is that margin; a year
# outside it means the two countries' figures do not describe the same trade.

# %% tags=["parameters"]
# `python -m turnover.refresh` injects the run it is making; None (opened by hand) = the bundled
# claims with the published data/processed/panel.parquet and reports/verdicts.json.
run_file = None

# %%
from turnover.report import inputs, show

inp = inputs.load(run_file)

# %%
for claim in show.claims_of(inp, "mirror_gap"):
    show.claim_section(claim, inp)
