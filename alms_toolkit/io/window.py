"""The 12-month billing window: ``start <= date < end``, ``end == as_of``,
``start = as_of - 12 calendar months`` (ALMS method, step 1)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = ["Window", "AsOfSource", "months_before", "twelve_month_window"]

AsOfSource = Literal["config", "argument", "ledger"]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (later for a negative ``months``),
    clamped to the month's end (2024-03-31 minus 1 month -> 2024-02-29; 2024-02-29 minus 12
    -> 2023-02-28). The one month arithmetic of the toolkit."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Window:
    """The billing window ``start <= date < end`` (``end == as_of``)."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    as_of_source: AsOfSource

    def __str__(self) -> str:
        last = self.end - dt.timedelta(days=1)
        return f"{self.start.isoformat()} to {last.isoformat()} (as of {self.as_of.isoformat()})"


def twelve_month_window(as_of: dt.date, as_of_source: AsOfSource = "argument") -> Window:
    """The 12 calendar months ending the day before ``as_of``."""
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return Window(start=months_before(as_of, 12), end=as_of, as_of=as_of, as_of_source=as_of_source)
