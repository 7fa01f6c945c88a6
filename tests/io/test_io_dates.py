"""Date parsing and the 12-month window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alms_toolkit.io.dates import parse_dates
from alms_toolkit.io.window import months_before, twelve_month_window


def _days(values: list, date_format: str | None = None) -> list:
    got = parse_dates(values, date_format)
    return [None if np.isnat(v) else pd.Timestamp(v).date() for v in got.values]


JAN31 = dt.date(2024, 1, 31)


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-31",
        "2024-01-31 08:26:00",
        "2024-01-31T10:00:00Z",
        "2024-01-31 00:00:00.000",
        "2024/01/31",
        "1/31/2024",
        "01/31/2024 5:06 PM",
        "1/31/24",
        "31.01.2024",
        "20240131",
        "45322",
        "45322.75",
        "31-Jan-2024",
        "Jan 31, 2024",
    ],
)
def test_text_dates(text: str) -> None:
    assert _days([text]) == [JAN31]


def test_cells() -> None:
    cells = [dt.datetime(2024, 1, 31, 17, 5), dt.date(2024, 1, 31), 45322, 45322.5, pd.Timestamp("2024-01-31 23:59")]
    assert _days(cells) == [JAN31] * 5


def test_blank_and_unparseable() -> None:
    got = parse_dates(["", "  ", None, float("nan"), "garbage", "13/31/2024", "2024-02-30", True])
    assert got.blank.tolist() == [True, True, True, True, False, False, False, False]
    assert got.unparseable.tolist() == [False] * 4 + [True] * 4
    assert not got.ok.any()


def test_date_format_overrides_guessing() -> None:
    assert _days(["31/01/2024", "01/02/2024 00:00:00", "2024-01-31"], "%d/%m/%Y") == [
        JAN31,
        dt.date(2024, 2, 1),
        None,
    ]


def test_us_default_is_month_first() -> None:
    assert _days(["02/01/2024"]) == [dt.date(2024, 2, 1)]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
@settings(max_examples=100, deadline=None)
def test_every_format_round_trips(d: dt.date) -> None:
    serial = (d - dt.date(1899, 12, 30)).days
    texts = [d.isoformat(), f"{d.month}/{d.day}/{d.year}", d.strftime("%d.%m.%Y"), d.strftime("%Y%m%d"), str(serial)]
    assert _days(texts) == [d] * len(texts)


def test_window_is_twelve_calendar_months() -> None:
    w = twelve_month_window(dt.date(1998, 5, 7), "ledger")
    assert (w.start, w.end, w.as_of, w.as_of_source) == (dt.date(1997, 5, 7), dt.date(1998, 5, 7), dt.date(1998, 5, 7), "ledger")
    assert "1997-05-07 to 1998-05-06" in str(w)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 1, 15), 1, dt.date(2023, 12, 15)),
        (dt.date(2024, 1, 1), 24, dt.date(2022, 1, 1)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_a_period_column_reads_each_month_as_its_first_day() -> None:
    parsed = parse_dates(pd.Series(["2024-01", "02/2024", "Mar 2024", "2024-13"], dtype=object))
    got = [str(v)[:10] if not pd.isna(v) else None for v in parsed.values]
    assert got == ["2024-01-01", "2024-02-01", "2024-03-01", None]
    assert parsed.unparseable.tolist() == [False, False, False, True]
