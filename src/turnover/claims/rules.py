"""Typed parameters of each verdict rule kind: one pydantic model per kind, unknown keys refused.

A claims file's ``rule:`` is validated by the model its ``kind`` names, so ``alpha: abc``,
``top_n: three``, ``lookback_months: 1e11`` or a misspelt ``tolerence_pct`` stop the run with
one line naming the claim and the field. To add a rule kind: write its model here (subclass
``RuleBase`` with ``kind: Literal[...]``) and add it to ``RULE_MODELS``; to add a parameter,
add a typed field with bounds to its model.

Every default a rule applies lives here, on its field: the model reads the typed rule (``claim.rule``,
e.g. ``rule.min_decline_pct``), never ``params.get(key, default)``. ``params`` is the rule as
written in the claims file (defaults left out), for showing it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, StrictInt,
                      model_validator)

from .text import Text

Year = Annotated[StrictInt, Field(ge=1900, le=2100)]
ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Frequency = Literal["annual", "half-year", "quarter", "month", "year-to-date", "other"]  # panel.FREQUENCIES
# strict: ``true``, ``"3"`` or ``"yes"`` are refused, never coerced; an int stays an int (the rule reads in
# the report as it was written), and an int is accepted where a float is expected
Number = StrictFloat | StrictInt
# a rating name (model.rating.RATINGS); YAML reads bare true/false as booleans: they name True/False
RatingName = Annotated[
    Literal["true", "mostly_true", "half_true", "mostly_false", "false", "cannot_be_checked", "not_yet_testable"],
    BeforeValidator(lambda v: ("true" if v else "false") if isinstance(v, bool) else v)]
Combine = Literal["mean", "min"]  # model.rating.COMBINE_RULES
Share = Annotated[StrictFloat, Field(ge=0, le=1)]
Lags = dict[Frequency, Annotated[StrictInt, Field(ge=0, le=3650)]]

# days after a period's end its figure is taken to be public, when a row has no publication date
PUBLICATION_LAG_DAYS = {"annual": 60, "half-year": 45, "quarter": 45, "month": 40, "year-to-date": 40}


class RuleBase(BaseModel):
    """What every rule kind accepts: its kind and the publication lags used to cut vintages."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    kind: str
    publication_lag_days: Lags = Field(default_factory=lambda: dict(PUBLICATION_LAG_DAYS))

    @property
    def params(self) -> dict[str, Any]:
        """The parameters as written in the claims file (defaults left out), ``kind`` excluded."""
        return self.model_dump(exclude={"kind"}, exclude_unset=True)


class DeclineRatings(BaseModel):
    """(a decline against the reference, b latest comparable period below a year earlier) -> rating."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    both: RatingName = "true"
    decline_only: RatingName = "half_true"
    latest_only: RatingName = "mostly_false"
    neither: RatingName = "false"
    decline_no_latest: RatingName = "mostly_true"
    no_decline_no_latest: RatingName = "mostly_false"


class KnownBreak(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    year: Year
    reporters: list[ISO3] | None = None
    why: Text = ""


class DecliningTrend(RuleBase):
    kind: Literal["declining_trend"]
    reference: Literal["peak"] = "peak"
    min_decline_pct: Number = Field(10, ge=0, le=100)
    recency_months: StrictInt = Field(15, ge=1, le=600)
    exact_only: StrictBool = True
    ratings: DeclineRatings = DeclineRatings()
    trend_downgrade: StrictInt = Field(1, ge=0, le=4)
    trend_level: StrictFloat = Field(0.95, gt=0, lt=1)
    combine: Combine = "mean"
    known_breaks: list[KnownBreak] = []
    sensitivity_windows: list[tuple[Year, Year]] = []

    @model_validator(mode="after")
    def _windows_ordered(self):
        for a, b in self.sensitivity_windows:
            if b < a:
                raise ValueError(f"sensitivity window [{a}, {b}] ends before it starts")
        return self


class PartnerRank(RuleBase):
    kind: Literal["partner_rank"]
    countries: list[ISO3] = Field(min_length=1)
    partners: list[ISO3] = Field(min_length=1)
    top_n: StrictInt = Field(3, ge=1, le=250)
    grades: dict[Annotated[StrictInt, Field(ge=0, le=250)], RatingName] = {}  # named partners in the top N -> rating
    combine: Combine = "mean"

    @property
    def grade_table(self) -> dict[int, str]:
        """The rating for each count (0 .. all) of named partners in the top N. Without ``grades``:
        all -> true, none -> false; counts below all that are not given: none -> false, others ->
        half_true; all, when ``grades`` are given without it -> false."""
        n = len(self.partners)
        table = dict(self.grades) if self.grades else {n: "true", 0: "false"}
        for k in range(n):
            table.setdefault(k, "half_true" if k else "false")
        table.setdefault(n, "false")
        return table


class MarketShock(RuleBase):
    kind: Literal["market_shock"]
    countries: list[ISO3] = Field(min_length=1)
    min_devaluation_pct: Number = Field(20, gt=0, le=100)
    lookback_months: StrictInt = Field(24, ge=1, le=600)
    definition: Literal["loss_of_value_vs_usd"] = "loss_of_value_vs_usd"
    combine: Combine = "mean"


class Recovery(RuleBase):
    kind: Literal["recovery"]
    event_date: dt.date
    trough_year: Year
    reference_year: Year
    min_points_after: StrictInt = Field(2, ge=1, le=100)
    pre_pandemic_year: Year | None = None
    tolerance_pct: Number = Field(0, ge=0, le=100)
    # share of the lost ground recovered -> rating (a share above the cut, or at a cut above 0)
    recovered_grades: dict[Share, RatingName] = {0.75: "mostly_true", 0.5: "half_true", 0.0: "mostly_false"}
    combine: Combine = "mean"


class MirrorGap(RuleBase):
    kind: Literal["mirror_gap"]
    band_pct: tuple[Number, Number] = (0, 10)  # importer's CIF over exporter's FOB, lower and upper bound in %
    data_quality_years: list[Year] = []
    # share of flow-years inside the band (at least) -> rating
    grades: dict[Share, RatingName] = {0.9: "true", 0.75: "mostly_true", 0.5: "half_true", 0.25: "mostly_false",
                                       0.0: "false"}

    @model_validator(mode="after")
    def _band_ordered(self):
        if self.band_pct[1] < self.band_pct[0]:
            raise ValueError(f"band_pct {list(self.band_pct)}: upper bound below lower bound")
        return self


class EventRecord(RuleBase):
    """The claim's event (talks held, an agreement reached, a document signed) is confirmed by the
    named context facts (``records``: fact ids) dated and public by the as-of date: ``confirmed``
    when at least one is known, Cannot be checked when none is."""

    kind: Literal["event_record"]
    records: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]] = Field(min_length=1)
    confirmed: RatingName = "true"


RULE_MODELS: dict[str, type[RuleBase]] = {
    "declining_trend": DecliningTrend,
    "partner_rank": PartnerRank,
    "market_shock": MarketShock,
    "recovery": Recovery,
    "mirror_gap": MirrorGap,
    "event_record": EventRecord,
}

Rule = Annotated[Union[tuple(RULE_MODELS.values())], Field(discriminator="kind")]  # noqa: UP007
