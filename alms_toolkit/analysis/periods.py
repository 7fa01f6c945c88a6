"""The audit's months: month-long periods anchored at the 12-month window.

Every period figure of an audit (recent against earlier months, the year against the
year before, seasons, new accounts, the projection forms' "last year" baseline) is
measured on these periods, never on calendar months, so that the 12 periods of the
window hold exactly the window's billing: a client's 12 periods sum to its 12-month
billing, to the cent, whatever day of the month the audit date falls on.

Period ``i`` runs from ``as_of - (12 - i)`` months (inclusive) to ``as_of - (11 - i)``
months (exclusive), months counted as calendar months and clamped to the month's end
(:func:`alms_toolkit.io.window.months_before`): periods 0..11 are the window
(``as_of - 12 months <= date < as_of``), -12..-1 the 12 months before it, 12..23 the
12 months after ``as_of`` (the projection forms). With ``as_of`` on the 1st of a month
the periods are calendar months (``as_of`` 2014-05-01: period 11 is April 2014); with
``as_of`` 2014-05-02 period 11 is 2 April - 1 May 2014. Labels are in the one date style of
:mod:`alms_toolkit.date_text`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..date_text import day_month_heading, month_heading, month_text, span_text
from ..io.window import months_before

__all__ = ["Period", "Periods", "periods_for", "HISTORY_GRACE_DAYS"]

#: a period counts as covered by the ledger when the ledger's first row is at most this
#: many days after the period's start (an export starts at its first invoice, which need
#: not fall on the period's first day); the notes say so whenever it is used
HISTORY_GRACE_DAYS = 14


@dataclass(frozen=True)
class Period:
    """One month-long period: ``start <= date < end``."""

    index: int
    start: dt.date
    end: dt.date

    @property
    def last(self) -> dt.date:
        """The period's last day."""
        return self.end - dt.timedelta(days=1)

    @property
    def is_calendar_month(self) -> bool:
        return self.start.day == 1

    @property
    def label(self) -> str:
        """``May 2013`` (a calendar month) or ``2 May - 1 June 2013``."""
        if self.is_calendar_month:
            return month_text(self.start)
        return span_text(self.start, self.last)

    @property
    def heading(self) -> tuple[str, str]:
        """Two short lines for a narrow column: ``("May", "2014")`` or ``("2 May -", "1 Jun 2014")``
        (non-breaking spaces inside "2 May -" and "1 Jun", so a narrow column wraps every
        heading the same way)."""
        if self.is_calendar_month:
            return month_heading(self.start)
        nb = "\u00a0"
        return f"{day_month_heading(self.start)}{nb}-", f"{day_month_heading(self.last)} {self.last.year}"


def span_label(first: dt.date, last: dt.date) -> str:
    """The days ``first`` to ``last`` (both included), as a reader says them:
    ``May 2013 - April 2014`` when they are whole calendar months, else
    ``2 May 2013 - 1 May 2014`` (``2 February - 1 May 2014`` within one year): the one date
    style, :func:`alms_toolkit.date_text.span_text`."""
    return span_text(first, last)


@dataclass(frozen=True)
class Periods:
    """The periods of one audit (see the module docstring).

    ``history_start``: the ledger's first date (any row, any client); ``None`` when the
    ledger has no dates (a totals ledger), then no period is covered. ``history_end``: its
    last date in the window.
    """

    as_of: dt.date
    history_start: dt.date | None = None
    #: the ledger's last date in the window (None: no dated row in it)
    history_end: dt.date | None = None

    def start(self, index: int) -> dt.date:
        """The first day of period ``index``."""
        return months_before(self.as_of, 12 - index)

    def period(self, index: int) -> Period:
        return Period(index=index, start=self.start(index), end=self.start(index + 1))

    def periods(self, first: int, last: int) -> tuple[Period, ...]:
        """Periods ``first`` .. ``last`` (both included), oldest first."""
        return tuple(self.period(i) for i in range(first, last + 1))

    @property
    def year(self) -> tuple[Period, ...]:
        """The window's 12 periods (0..11)."""
        return self.periods(0, 11)

    @property
    def previous_year(self) -> tuple[Period, ...]:
        """The 12 periods before the window (-12..-1)."""
        return self.periods(-12, -1)

    @property
    def next_year(self) -> tuple[Period, ...]:
        """The 12 periods from ``as_of`` on (12..23): the projection forms' columns."""
        return self.periods(12, 23)

    def span(self, first: int, last: int) -> str:
        """Periods ``first`` .. ``last`` as one span of days (:func:`span_label`)."""
        return _span(self, first, last)

    def covered(self, index: int) -> bool:
        """Whether the ledger reaches back to period ``index`` (its first row at most
        :data:`HISTORY_GRACE_DAYS` days after the period's start)."""
        if self.history_start is None:
            return False
        return self.history_start <= self.start(index) + dt.timedelta(days=HISTORY_GRACE_DAYS)

    def first_covered(self, first: int, last: int) -> int | None:
        """The first of periods ``first`` .. ``last`` the ledger covers (None: none)."""
        return next((i for i in range(first, last + 1) if self.covered(i)), None)

    def late_start(self, index: int) -> int:
        """Days of period ``index`` before the ledger's first row (0 when it covers them all)."""
        if self.history_start is None:
            return 0
        return max((self.history_start - self.start(index)).days, 0)

    def early_end(self) -> int:
        """Days between the ledger's last date and the window's last day (0: none missing)."""
        if self.history_end is None:
            return 0
        return max((self.as_of - dt.timedelta(days=1) - self.history_end).days, 0)

    def index_of(self, dates: pd.Series | pd.DatetimeIndex | np.ndarray) -> np.ndarray:
        """The period index (int64) of each date; dates must not be missing."""
        values = np.asarray(pd.DatetimeIndex(dates).values.astype("datetime64[D]"))
        if not len(values):
            return np.zeros(0, dtype=np.int64)
        lowest = pd.Timestamp(values.min()).date()
        highest = pd.Timestamp(values.max()).date()
        # the index of the period holding each end, by calendar months (exact below)
        lo = 12 - ((self.as_of.year - lowest.year) * 12 + self.as_of.month - lowest.month) - 1
        hi = 12 - ((self.as_of.year - highest.year) * 12 + self.as_of.month - highest.month) + 1
        bounds = np.array([self.start(i) for i in range(lo, hi + 2)], dtype="datetime64[D]")
        return np.searchsorted(bounds, values, side="right").astype(np.int64) - 1 + lo


@functools.lru_cache(maxsize=4096)
def _span(periods: Periods, first: int, last: int) -> str:
    """:meth:`Periods.span`, worked out once per audit and span (the insights' detail
    texts name the same few spans for thousands of accounts)."""
    return span_label(periods.start(first), periods.start(last + 1) - dt.timedelta(days=1))


def periods_for(
    as_of: dt.date, history_start: dt.date | None = None, history_end: dt.date | None = None
) -> Periods:
    """The periods of an audit as of ``as_of`` over a ledger from ``history_start`` to
    ``history_end`` (its last date in the window)."""
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if isinstance(history_start, dt.datetime):
        history_start = history_start.date()
    if isinstance(history_end, dt.datetime):
        history_end = history_end.date()
    return Periods(as_of=as_of, history_start=history_start, history_end=history_end)
