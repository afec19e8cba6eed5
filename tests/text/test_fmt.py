"""Number, period and reporter wording: missing values, qualifiers, signs and rounding, spelled out."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from turnover.text import fmt


def test_missing_numbers_read_as_a_question_mark():
    for f in (fmt.usd, fmt.pct):
        assert f(None) == "?" and f(math.nan) == "?" and f(float("nan")) == "?"
    assert fmt.date(None) == "?" and fmt.date(math.nan) == "?" and fmt.date(pd.NaT) == "?"


def test_qualifiers_prefix_the_figure_and_unknown_ones_add_nothing():
    assert fmt.usd(1.2e9, "approx") == "≈USD 1.2 bn" and fmt.usd(5e6, "at_most") == "≤USD 5.0 mn"
    assert fmt.usd(1.2e9, "made_up") == "USD 1.2 bn" and fmt.usd(1.2e9, math.nan) == "USD 1.2 bn"
    assert fmt.usd(1.2e9, None) == "USD 1.2 bn"
    assert fmt.pct(5, qualifier="approx") == "≈+5%" and fmt.pct(-5, qualifier="at_least") == "≥−5%"
    assert fmt.pct(5, qualifier="made_up") == "+5%"


def test_magnitudes_switch_units_at_a_billion_and_keep_a_decimal_below_ten_million():
    assert fmt.usd(999.4e6) == "USD 999 mn" and fmt.usd(1000e6) == "USD 1.0 bn"
    assert fmt.usd(10e6) == "USD 10 mn" and fmt.usd(9.94e6) == "USD 9.9 mn"
    assert fmt.usd(-2.5e9) == "USD -2.5 bn" and fmt.usd(1234.5e6 * 1000) == "USD 1234.5 bn"
    assert fmt.pct(0) == "+0%" and fmt.pct(12.345) == "+12.35%" and fmt.pct(-0.5, signed=False) == "−0.5%"


def test_periods_and_dates():
    ts = pd.Timestamp
    assert fmt.period("annual", ts("2013-01-01"), ts("2013-12-31")) == "2013"
    assert fmt.period("half-year", ts("2016-07-01"), ts("2016-12-31")) == "H2 2016"
    assert fmt.period("quarter", ts("2019-10-01"), ts("2019-12-31")) == "Q4 2019"
    assert fmt.period("month", ts("2019-03-01"), ts("2019-03-31")) == "Mar 2019"
    assert fmt.period("year-to-date", ts("2017-01-01"), ts("2017-12-31")) == "Jan–Dec 2017"
    assert fmt.period("other", ts("2016-11-01"), ts("2017-02-28")) == "2016-11–2017-02"
    assert fmt.row_period({"frequency": "quarter", "period_start": "2019-04-01", "period_end": "2019-06-30"}) == "Q2 2019"
    assert fmt.date(dt.date(2016, 5, 31)) == "2016-05-31" and fmt.date("2016-05-31T10:00") == "2016-05-31"


def test_reporter_wording_and_lists():
    assert [fmt.reporter(r) for r in (None, "", "unknown", "all", "KAZ")] == [
        "reporter not stated", "reporter not stated", "reporter not stated", "all reporters", "reported by KAZ"]
    assert fmt.join([]) == "" and fmt.join(["a", ""]) == "a" and fmt.join(["a", "b"]) == "a and b"
    assert fmt.join(["a", None, "b", "c"], "or") == "a, b or c"


def test_signed_percent_never_reads_minus_zero():
    """Whole percent; a change that rounds to zero but is not zero gets one decimal; what still
    rounds to zero, or is zero, is '0%' without a sign."""
    assert fmt.signed_pct(-13.2) == "-13%" and fmt.signed_pct(57.4) == "+57%" and fmt.signed_pct(-0.5) == "-0.5%"
    assert fmt.signed_pct(-0.3) == "-0.3%" and fmt.signed_pct(0.26) == "+0.3%"
    assert fmt.signed_pct(-0.04) == "0%" and fmt.signed_pct(0.0) == "0%" and fmt.signed_pct(-0.0) == "0%"
    assert fmt.signed_pct(-2.345, 1) == "-2.3%" and fmt.signed_pct(0.04, 1) == "+0.04%"
    assert fmt.abs_pct(-40.6) == "41%" and fmt.abs_pct(-0.3) == "0.3%" and fmt.abs_pct(0.0) == "0%"


def test_plurals():
    assert fmt.plural(1, "event") == "1 event" and fmt.plural(2, "event") == "2 events"
    assert fmt.plural(0, "exact annual value") == "0 exact annual values"
    assert fmt.plural(146, "partner country", "partner countries") == "146 partner countries"
    assert fmt.plural(1, "partner country", "partner countries") == "1 partner country"
    assert fmt.plural_word(2, "country", "countries") == "countries" and fmt.plural_word(1, "reporter") == "reporter"
    assert fmt.musd(966.85) == "USD 967 mn" and fmt.musd(1190.2) == "USD 1,190 mn" and fmt.musd(4.53) == "USD 4.5 mn"


def test_changes_in_words_never_print_a_signed_zero():
    assert fmt.against(-13.2, 2013) == "13% below 2013" and fmt.against(57.4, 2013) == "57% above 2013"
    assert fmt.against(0.04, 2013) == "level with 2013" and fmt.against(-0.3, "a year earlier") == "0.3% below a year earlier"
    assert fmt.moved(-27.2) == "fell 27%" and fmt.moved(5) == "rose 5%" and fmt.moved(-0.01) == "was unchanged"
    assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert fmt.years(2015, 2015) == "2015" and fmt.years(2013, 2016) == "2013-2016"
    assert fmt.band(0, 10) == "0-10% more" and fmt.band(-5, 15) == "between 5% less and 15% more"
