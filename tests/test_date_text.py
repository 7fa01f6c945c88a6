"""One date style for what people read (alms_toolkit.date_text; issue 13, item 2)."""

from __future__ import annotations

import datetime as dt
import locale

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.analysis.periods import Periods
from alms_toolkit.date_text import (
    as_date,
    day_range_text,
    day_text,
    month_heading,
    month_range_text,
    month_text,
    span_text,
)


@pytest.mark.parametrize("value", [dt.date(2025, 7, 1), dt.datetime(2025, 7, 1, 17, 30), pd.Timestamp("2025-07-01"),
                                   np.datetime64("2025-07-01"), "2025-07-01", "2025-07-01T09:00:00"])
def test_a_day_is_written_one_way_whatever_it_comes_as(value):
    assert as_date(value) == dt.date(2025, 7, 1)
    assert day_text(value) == "1 July 2025"  # no leading zero, the month in full


def test_days_months_and_spans():
    assert day_text(dt.date(2024, 12, 31)) == "31 December 2024"
    assert month_text(dt.date(2024, 2, 29)) == "February 2024"
    assert month_range_text(dt.date(2024, 7, 1), dt.date(2025, 6, 30)) == "July 2024 - June 2025"
    assert month_range_text(dt.date(2025, 2, 1), dt.date(2025, 4, 30)) == "February - April 2025"
    assert month_range_text(dt.date(2025, 7, 3), dt.date(2025, 7, 20)) == "July 2025"
    assert day_range_text(dt.date(2013, 5, 2), dt.date(2014, 5, 1)) == "2 May 2013 - 1 May 2014"
    assert day_range_text(dt.date(2014, 2, 2), dt.date(2014, 5, 1)) == "2 February - 1 May 2014"
    assert day_range_text(dt.date(2014, 2, 2), dt.date(2014, 2, 2)) == "2 February 2014"
    # a span said as months only when it is whole calendar months
    assert span_text(dt.date(2024, 4, 1), dt.date(2025, 3, 31)) == "April 2024 - March 2025"
    assert span_text(dt.date(2024, 4, 2), dt.date(2025, 4, 1)) == "2 April 2024 - 1 April 2025"
    assert month_heading(dt.date(2025, 9, 1)) == ("Sep", "2025")
    with pytest.raises(TypeError):
        as_date(20250701)


def test_month_names_do_not_follow_the_machines_locale():
    saved = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert day_text(dt.date(2025, 3, 1)) == "1 March 2025"
    finally:
        locale.setlocale(locale.LC_TIME, saved)


def test_the_audit_periods_are_labelled_in_the_one_style():
    calendar = Periods(as_of=dt.date(2014, 5, 1))
    assert calendar.period(11).label == "April 2014"
    assert calendar.span(0, 11) == "May 2013 - April 2014"
    assert calendar.period(12).heading == ("May", "2014")
    shifted = Periods(as_of=dt.date(2014, 5, 2))
    assert shifted.period(11).label == "2 April - 1 May 2014"
    assert shifted.span(0, 11) == "2 May 2013 - 1 May 2014"
    assert shifted.period(12).heading == ("2\u00a0May\u00a0-", "1\u00a0Jun 2014")
