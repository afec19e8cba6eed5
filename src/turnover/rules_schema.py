"""Typed parameters of each verdict rule kind: one pydantic model per kind, unknown keys refused.

A claims file's ``rule:`` is validated by the model its ``kind`` names, so ``alpha: abc``,
``top_n: three``, ``lookback_months: 1e11`` or a misspelt ``tolerence_pct`` stop the run with
one line naming the claim and the field. To add a rule kind: write its model here (subclass
``RuleBase`` with ``kind: Literal[...]``) and add it to ``RULE_MODELS``; to add a parameter,
add a typed field with bounds to its model.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Year = Annotated[int, Field(ge=1900, le=2100)]
ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Frequency = Literal["annual", "half-year", "quarter", "month", "year-to-date", "other"]  # panel.FREQUENCIES
Number = int | float  # an int stays an int, so the rule reads in the report as it was written


class RuleBase(BaseModel):
    """What every rule kind accepts: its kind and the publication lags used to cut vintages."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    kind: str
    publication_lag_days: dict[Frequency, Annotated[int, Field(ge=0, le=3650)]] | None = None

    @property
    def params(self) -> dict[str, Any]:
        """The parameters as written in the claims file (defaults left out), ``kind`` excluded."""
        return self.model_dump(exclude={"kind"}, exclude_unset=True)


class DecliningTrend(RuleBase):
    kind: Literal["declining_trend"]
    alpha: float = Field(0.05, gt=0, lt=1)
    min_points: int = Field(3, ge=2, le=1000)
    require_negative_slope: bool = True
    require_latest_comparable_decline: bool = True
    sensitivity_windows: list[tuple[Year, Year]] | None = None

    @model_validator(mode="after")
    def _windows_ordered(self):
        for a, b in self.sensitivity_windows or []:
            if b < a:
                raise ValueError(f"sensitivity window [{a}, {b}] ends before it starts")
        return self


class PartnerRank(RuleBase):
    kind: Literal["partner_rank"]
    countries: list[ISO3] = Field(min_length=1)
    partners: list[ISO3] = Field(min_length=1)
    top_n: int = Field(3, ge=1, le=250)


class MarketShock(RuleBase):
    kind: Literal["market_shock"]
    countries: list[ISO3] = Field(min_length=1)
    min_devaluation_pct: Number = Field(20, gt=0, le=100)
    lookback_months: int = Field(24, ge=1, le=600)


class Recovery(RuleBase):
    kind: Literal["recovery"]
    event_date: dt.date
    trough_year: Year
    reference_year: Year
    min_points_after: int = Field(2, ge=1, le=100)


class MirrorGap(RuleBase):
    kind: Literal["mirror_gap"]
    tolerance_pct: Number = Field(10, ge=0, le=1000)


RULE_MODELS: dict[str, type[RuleBase]] = {
    "declining_trend": DecliningTrend,
    "partner_rank": PartnerRank,
    "market_shock": MarketShock,
    "recovery": Recovery,
    "mirror_gap": MirrorGap,
}

Rule = Annotated[Union[tuple(RULE_MODELS.values())], Field(discriminator="kind")]  # noqa: UP007
