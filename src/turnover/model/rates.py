"""A devaluation measured on the official exchange-rate series (``turnover.ingest.rates``).

One definition, the project's (``model.shock``): the loss of value against the USD,
100 * (1 - old rate / new rate), rates in national currency per USD. The rise of the rate is
handed to ``shock.loss_of_value(rise, "rate_rise")``, the project's one conversion, so a figure
printed as a rate rise and a loss computed here from two rates agree by construction.

``devaluation(rates, currency, when, months_after=6)``, ``when`` a month ``YYYY-MM`` or a day
``YYYY-MM-DD`` (its month M):

- **monthly averages** (``kind`` monthly_average): the average of month M mixes the rates before
  and after a move within it, so *before* is the average of M-1 and *after* that of M+1;
- **daily rates** (``kind`` daily, the rate in force on a day): for a month, *before* is the rate in
  force on its first day (the last one dated on or before it) and *after* the rate in force on the
  first day of M+1 (the first one dated on or after it); for a day, *before* is the last rate dated
  before it and *after* the first dated on or after it;
- **peak to trough**: the largest loss from a rate to any later one in the window from *before*
  to the end of month M + ``months_after`` (the currency's strongest point to its weakest after it),
  with both points; 0 when the currency only gained.

The result (``Devaluation``) carries the numbers, the points and the rows of the window, each with
its ``row_id`` and source URL. Missing *before* or *after* rates are a ``LookupError`` naming what
is missing (no interpolation, no other source filled in).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .shock import DEFINITION, loss_of_value

MONTH, DAY = "month", "day"


@dataclass(frozen=True)
class RatePoint:
    """One official rate of the series: what it covers, its value and where it comes from."""

    label: str                  # '2015-07' (a month's average) or '2015-01-01' (a day's rate)
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    rate_per_usd: float
    row_id: str
    source_url: str

    @classmethod
    def of(cls, row) -> "RatePoint":
        start, end = pd.Timestamp(row["period_start"]), pd.Timestamp(row["period_end"])
        label = start.strftime("%Y-%m") if row["kind"] == "monthly_average" else start.strftime("%Y-%m-%d")
        return cls(label, start, end, float(row["rate_per_usd"]), str(row["row_id"]), str(row["source_url"]))


@dataclass(frozen=True, eq=False)
class Devaluation:
    """A devaluation on the official series: before/after loss and peak-to-trough loss, in %."""

    currency: str
    kind: str                   # the series used: monthly_average or daily
    event: str                  # as asked: 'YYYY-MM' or 'YYYY-MM-DD'
    before: RatePoint
    after: RatePoint
    loss_pct: float             # 100 * (1 - before / after)
    months_after: int
    peak: RatePoint             # the strongest point of the currency in the window ...
    trough: RatePoint           # ... and its weakest point after it
    peak_to_trough_pct: float   # 100 * (1 - peak / trough)
    window: tuple[pd.Timestamp, pd.Timestamp]
    rows: pd.DataFrame          # the rows of the window (ingest.rates.COLUMNS), by date
    definition: str = DEFINITION

    @property
    def source_ids(self) -> list[str]:
        return sorted(set(self.rows["source_id"]))

    @property
    def row_ids(self) -> list[str]:
        return list(self.rows["row_id"])

    def to_dict(self) -> dict:
        """JSON-ready numbers and provenance (no DataFrame)."""
        point = lambda p: {"label": p.label, "rate_per_usd": p.rate_per_usd, "row_id": p.row_id,  # noqa: E731
                           "source_url": p.source_url}
        return {"currency": self.currency, "kind": self.kind, "event": self.event, "definition": self.definition,
                "before": point(self.before), "after": point(self.after), "loss_pct": self.loss_pct,
                "months_after": self.months_after, "peak": point(self.peak), "trough": point(self.trough),
                "peak_to_trough_pct": self.peak_to_trough_pct,
                "window": [d.strftime("%Y-%m-%d") for d in self.window], "row_ids": self.row_ids,
                "source_ids": self.source_ids}


def loss_between(old_rate: float, new_rate: float) -> float:
    """Loss of value in % when the rate (national currency per USD) goes from ``old_rate`` to ``new_rate``."""
    if not (old_rate > 0 and new_rate > 0):
        raise ValueError(f"rates must be positive, got {old_rate!r} and {new_rate!r}")
    # rounded like model.shock's compounding: 1 - 1/(1 + r) in floating point is not exact
    return round(loss_of_value(100 * (new_rate / old_rate - 1), "rate_rise"), 9)


def _parse(when: str) -> tuple[str, pd.Timestamp]:
    text = str(when).strip()
    try:
        if len(text) == 7:
            return MONTH, pd.Timestamp(pd.to_datetime(text, format="%Y-%m"))
        if len(text) == 10:
            return DAY, pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except ValueError:
        pass
    raise ValueError(f"when {when!r}: expected a month YYYY-MM or a day YYYY-MM-DD")


def _series(rates: pd.DataFrame, currency: str, kind: str | None) -> tuple[str, pd.DataFrame]:
    r = rates[rates["currency"] == currency]
    if r.empty:
        raise LookupError(f"no official rates for {currency}")
    if kind is None:
        kinds = [k for k in ("monthly_average", "daily") if (r["kind"] == k).any()]
        if not kinds:
            raise LookupError(f"no monthly or daily official rates for {currency}")
        kind = kinds[0]
    s = r[r["kind"] == kind].sort_values(["period_start", "row_id"]).reset_index(drop=True)
    if s.empty:
        raise LookupError(f"no {kind} official rates for {currency}")
    if s["period_start"].duplicated().any():
        d = s.loc[s["period_start"].duplicated(keep=False), "row_id"].tolist()
        raise LookupError(f"{currency} {kind}: more than one rate for the same period ({', '.join(d)}); "
                          "choose a source first")
    return kind, s


def _one(s: pd.DataFrame, mask, what: str, currency: str, pick: str):
    hit = s[mask]
    if hit.empty:
        raise LookupError(f"{currency}: no official rate {what}")
    return hit.iloc[-1] if pick == "last" else hit.iloc[0]


def devaluation(rates: pd.DataFrame, currency: str, when: str, months_after: int = 6,
                kind: str | None = None) -> Devaluation:
    """The devaluation of ``currency`` at ``when`` on its official series (see the module's doc).

    ``kind`` None uses the monthly averages where the currency has them, else its daily rates."""
    if int(months_after) != months_after or months_after < 0:
        raise ValueError(f"months_after must be a whole number >= 0, got {months_after!r}")
    months_after = int(months_after)
    unit, at = _parse(when)
    month = at.to_period("M")
    kind, s = _series(rates, currency, kind)
    start = s["period_start"]
    if kind == "monthly_average":
        prev, nxt = (month - 1).to_timestamp(), (month + 1).to_timestamp()
        before = _one(s, start == prev, f"for {prev:%Y-%m} (the month before)", currency, "first")
        after = _one(s, start == nxt, f"for {nxt:%Y-%m} (the month after)", currency, "first")
    elif unit == MONTH:
        first, first_next = month.to_timestamp(), (month + 1).to_timestamp()
        before = _one(s, start <= first, f"in force on {first:%Y-%m-%d}", currency, "last")
        after = _one(s, start >= first_next, f"on or after {first_next:%Y-%m-%d}", currency, "first")
    else:
        before = _one(s, start < at, f"before {at:%Y-%m-%d}", currency, "last")
        after = _one(s, start >= at, f"on or after {at:%Y-%m-%d}", currency, "first")
    end = (month + months_after).to_timestamp(how="end").normalize()
    lo = pd.Timestamp(before["period_start"])
    window = s[(start >= lo) & (s["period_end"] <= end)].reset_index(drop=True)
    if pd.Timestamp(after["period_end"]) > end:  # a window shorter than the after point still shows it
        window = s[(start >= lo) & (start <= pd.Timestamp(after["period_start"]))].reset_index(drop=True)
        end = pd.Timestamp(after["period_end"])
    peak_i = trough_i = best_peak = 0
    best = 0.0
    for j in range(len(window)):
        if window.at[j, "rate_per_usd"] < window.at[best_peak, "rate_per_usd"]:
            best_peak = j
        loss = loss_between(window.at[best_peak, "rate_per_usd"], window.at[j, "rate_per_usd"])
        if loss > best:
            best, peak_i, trough_i = loss, best_peak, j
    return Devaluation(
        currency=currency, kind=kind, event=str(when).strip(),
        before=RatePoint.of(before), after=RatePoint.of(after),
        loss_pct=loss_between(float(before["rate_per_usd"]), float(after["rate_per_usd"])),
        months_after=months_after, peak=RatePoint.of(window.iloc[peak_i]), trough=RatePoint.of(window.iloc[trough_i]),
        peak_to_trough_pct=best, window=(lo, end), rows=window)
