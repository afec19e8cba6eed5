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
# # Main partners
#
# Each partner's share of the country's goods trade, ranked, with the partners the statement names in
# colour. Where the data hold no partner-by-partner statistics, the shares officials stated are shown.

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
