"""Number and period wording for titles and narrative (no "$": Markdown reads it as maths)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

QUALIFIER_SIGN = {"exact": "", "approx": "≈", "at_least": "≥", "at_most": "≤", None: ""}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def usd(value: float | None, qualifier: str | None = "exact") -> str:
    """'USD 953 mn', '≥USD 1.2 bn'; '?' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    sign = QUALIFIER_SIGN.get(qualifier if isinstance(qualifier, str) else None, "")
    mn = value / 1e6
    body = f"USD {mn / 1e3:.1f} bn" if abs(mn) >= 1000 else f"USD {mn:,.0f} mn" if mn >= 10 else f"USD {mn:.1f} mn"
    return f"{sign}{body}"


def pct(value: float | None, signed: bool = True, qualifier: str | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    sign = QUALIFIER_SIGN.get(qualifier if isinstance(qualifier, str) else None, "")
    text = (f"{value:+.2f}" if signed else f"{value:.2f}").rstrip("0").rstrip(".")
    return sign + text.replace("-", "−") + "%"


def signed_pct(value: float, digits: int = 0) -> str:
    """A change in %, signed, for verdict sentences: '+57%', '-13%'.

    Rule: ``digits`` decimals; a change that rounds to zero there but is not zero gets one
    decimal more (-0.3 -> '-0.3%', never '-0%'); what still rounds to zero, or is zero, is '0%'
    (no sign: neither a rise nor a fall)."""
    for d in (digits, digits + 1):
        text = f"{value:+.{d}f}"
        if float(text) != 0:
            return text + "%"
    return "0%"


def abs_pct(value: float, digits: int = 0) -> str:
    """The size of a change in %, unsigned, after a verb that gives its direction ('fell 41%'):
    as ``signed_pct`` without the sign ('0.3%' rather than '0%' for a small change)."""
    return signed_pct(abs(value), digits).lstrip("+")


def against(value: float, what) -> str:
    """A change as a position against a level: '13% below 2013', '57% above 2013', 'level with 2013'
    (what rounds to 0% is level: neither a rise nor a fall)."""
    size = signed_pct(value)
    if size == "0%":
        return f"level with {what}"
    return f"{size.lstrip('+-')} {'below' if value < 0 else 'above'} {what}"


def years(first: int, last: int) -> str:
    """'2013-2015', or '2015' for one year."""
    return f"{first}" if first == last else f"{first}-{last}"


def band(low: float, high: float) -> str:
    """A band of differences before 'than': '0-10% more', 'between 5% less and 10% more'."""
    if low < 0:
        return f"between {-low:g}% less and {high:g}% more"
    return f"{low:g}-{high:g}% more"


def moved(value: float) -> str:
    """A change after its subject: 'fell 27%', 'rose 5%', 'was unchanged' (what rounds to 0%)."""
    size = abs_pct(value)
    if signed_pct(value) == "0%":
        return "was unchanged"
    return f"{'fell' if value < 0 else 'rose'} {size}"


def musd(value_musd: float) -> str:
    """An amount given in USD million: 'USD 967 mn', 'USD 1,190 mn'; below 10 mn one decimal ('USD 4.5 mn')."""
    return f"USD {value_musd:,.0f} mn" if value_musd >= 10 else f"USD {value_musd:.1f} mn"


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '9th', '11th', '22nd'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, singular: str, plural_: str | None = None) -> str:
    """'1 event', '2 events', '0 years', '3 partner countries' (``plural_`` when not singular + 's')."""
    return f"{n} {singular if n == 1 else plural_ or singular + 's'}"


def plural_word(n: int, singular: str, plural_: str | None = None) -> str:
    """The word alone: 'country' for 1, 'countries' otherwise."""
    return singular if n == 1 else plural_ or singular + "s"


def period(frequency: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'2013', 'H1 2016', 'Q2 2019', 'Jan–Sep 2017', 'Mar 2019'."""
    if frequency == "annual":
        return f"{start.year}"
    if frequency == "half-year":
        return f"H{1 if start.month == 1 else 2} {start.year}"
    if frequency == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if frequency == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if start.year == end.year:
        return f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {start.year}"
    return f"{start:%Y-%m}–{end:%Y-%m}"


def row_period(row) -> str:
    return period(row["frequency"], pd.Timestamp(row["period_start"]), pd.Timestamp(row["period_end"]))


def date(d: dt.date | pd.Timestamp | str | None) -> str:
    if d is None or (isinstance(d, float) and math.isnan(d)) or d is pd.NaT:
        return "?"
    return pd.Timestamp(d).date().isoformat()


def reporter(code: str | None) -> str:
    """Legend wording: whose statistics a figure is."""
    if code in (None, "", "unknown"):
        return "reporter not stated"
    if code == "all":
        return "all reporters"
    return f"reported by {code}"


def join(parts: list[str], last: str = "and") -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]
