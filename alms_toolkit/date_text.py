"""Dates as people read them: one style for every date a report, a seller file, a workbook's
text or the workshop shows.

* a day: ``1 July 2025`` (the day without a leading zero, the month's full name, the year);
* a month: ``July 2025``;
* months: ``July 2024 - June 2025``, ``February - April 2025`` within one year;
* days: ``2 May 2013 - 1 May 2014``, ``2 February - 1 May 2014`` within one year;
* :func:`span_text`: a span of days said as months when it is whole calendar months.

The one abbreviation, for the column headings of a grid of months too narrow for the full
name (the projection forms), is the month's first three letters (:func:`month_heading`:
``("Jul", "2025")``). Month names are English, whatever the machine's locale (the reports
are in English). Files read by machines (CSV, JSON, the stored audit) keep ISO dates
(``2025-07-01``); this module is for text only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = [
    "MONTHS",
    "as_date",
    "day_text",
    "month_text",
    "month_range_text",
    "day_range_text",
    "span_text",
    "month_heading",
    "day_month_heading",
]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_NBSP = "\u00a0"


def as_date(value: Any) -> dt.date:
    """A date from a ``date``, ``datetime``, pandas ``Timestamp``, numpy datetime64 or ISO
    text (``2025-07-01``, a time after it ignored)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    to_pydatetime = getattr(value, "to_pydatetime", None)  # pandas Timestamp
    if to_pydatetime is not None:
        return as_date(to_pydatetime())
    if type(value).__name__ == "datetime64":  # numpy, without importing it
        return dt.date.fromisoformat(str(value)[:10])
    raise TypeError(f"not a date: {value!r}")


def day_text(value: Any) -> str:
    """``1 July 2025``."""
    d = as_date(value)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_text(value: Any) -> str:
    """The month of a day: ``July 2025``."""
    d = as_date(value)
    return f"{MONTHS[d.month - 1]} {d.year}"


def month_range_text(first: Any, last: Any) -> str:
    """The months of ``first`` to ``last`` (both included): ``July 2024 - June 2025``,
    ``February - April 2025``, or ``July 2025`` when they are one month."""
    a, b = as_date(first), as_date(last)
    if (a.year, a.month) == (b.year, b.month):
        return month_text(a)
    if a.year == b.year:
        return f"{MONTHS[a.month - 1]} - {month_text(b)}"
    return f"{month_text(a)} - {month_text(b)}"


def day_range_text(first: Any, last: Any) -> str:
    """The days ``first`` to ``last``: ``2 May 2013 - 1 May 2014``, ``2 February - 1 May
    2014`` within one year, ``1 July 2025`` when they are one day."""
    a, b = as_date(first), as_date(last)
    if a == b:
        return day_text(a)
    if a.year == b.year:
        return f"{a.day} {MONTHS[a.month - 1]} - {day_text(b)}"
    return f"{day_text(a)} - {day_text(b)}"


def span_text(first: Any, last: Any) -> str:
    """The days ``first`` to ``last`` (both included) as a reader says them: as months when
    they are whole calendar months (:func:`month_range_text`), else as days
    (:func:`day_range_text`)."""
    a, b = as_date(first), as_date(last)
    if a.day == 1 and (b + dt.timedelta(days=1)).day == 1:
        return month_range_text(a, b)
    return day_range_text(a, b)


def month_heading(value: Any) -> tuple[str, str]:
    """A month as a narrow column's two heading lines: ``("Jul", "2025")``."""
    d = as_date(value)
    return MONTHS[d.month - 1][:3], str(d.year)


def day_month_heading(value: Any) -> str:
    """A day without its year for a narrow heading, its space non-breaking: ``2 May``,
    ``1 Jun``."""
    d = as_date(value)
    return f"{d.day}{_NBSP}{MONTHS[d.month - 1][:3]}"
