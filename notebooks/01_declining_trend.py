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
# # Declining mutual turnover
#
# The statement: the sides have not yet reversed the decline in mutual turnover. The chart shows every
# published turnover figure in the claim's window, one colour per reporter (Belarus's statistics,
# Kazakhstan's, or a source that does not say). Filled markers were public when the article appeared,
# open markers came later; the rating "as of" the article uses only the former. Annual values are on
# top; year-on-year changes of any period (a quarter, a half-year, January–September) below, because a
# part-year value is not comparable with an annual total but its change on a year earlier is.

# %% tags=["parameters"]
# None = what `python -m turnover.refresh` passes (TURNOVER_* variables), else the published
# data/processed/panel.parquet and reports/verdicts.json.
panel_path = verdicts_path = claims_path = today = None

# %%
from turnover.report import inputs, show

inp = inputs.load(panel_path, verdicts_path, claims_path, today)

# %%
for claim in show.claims_of(inp, "declining_trend"):
    show.claim_section(claim, inp)
