"""Date cells -> day-precision timestamps, vectorised over the distinct values.

Recognised without settings: ISO ``2024-01-31`` (with or without a time, ``T`` or space),
``2024/01/31``, ``1/31/2024`` or ``31/01/2024`` and their two-digit-year forms (the order
decided once for the whole column by :func:`infer_date_order`), ``31.01.2024``,
``20240131``, month names (``31-Jan-2024``, ``Jan 31, 2024``), Excel serial numbers
(``45322``) and spreadsheet date/datetime cells. ``date_format`` (strftime codes, e.g.
``%d/%m/%Y``) replaces the guessing. A time of day is dropped: every date is normalised
to the day. A cell holding a period (``01/01/2024 - 12/31/2024``, ``2024-01-01 to
2024-12-31``, ``FY2024``) is not a date: it is flagged as a period (the mark of a totals
row), never read as its first day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .amounts import _factorize

__all__ = [
    "swapped_by_excel",
    "ParsedDates", "parse_dates", "date_texts", "EXCEL_EPOCH", "DateOrder", "infer_date_order", "is_period",
    "reads_as_a_day",
]

#: day 0 of Excel's 1900 date system (serial 1 = 1900-01-01, counting Excel's fake 1900-02-29)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MAX_SERIAL = 2_958_465  # 9999-12-31

#: a time of day after a date: "08:26", "5:06 PM", "10:00:00Z", "00:00:00.000 +01:00"
_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"
#: day and month in either order: 1/31/2024, 31-01-24
_DMY = re.compile(r"^\s*(\d{1,2})([/\-.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + r"\s*$")
_DATE_TOKEN = r"(?:\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}[\s\-][A-Za-z]{3,9}[\s\-]\d{2,4}|[A-Za-z]{3,9}[\s\-]\d{2,4})"
_PERIOD = re.compile(
    r"^\s*(?:from\s+)?" + _DATE_TOKEN + r"\s*(?:-|–|—|to|through|thru|until|bis|au|al|a|t/m|tot)\s*" + _DATE_TOKEN + r"\s*$"
    r"|^\s*(?:FY|CY|Q[1-4]|H[12])\s*-?\s*\d{2,4}\s*$|^\s*\d{4}\s*-\s*\d{4}\s*$|^\s*(?:19|20)\d{2}\s*$"
    r"|^\s*(?:Q[1-4]|H[12])\s*(?:19|20)\d{2}\s*$",
    re.IGNORECASE,
)


def is_period(text: str) -> bool:
    """``01/01/2024 - 12/31/2024``, ``2024-01-01 to 2024-12-31``, ``FY2024``, ``Q1 2024``,
    ``2024``: a span of time, not a day."""
    return bool(_PERIOD.match(text))


def _text_formats(day_first: bool) -> tuple[tuple[str, str], ...]:
    """(pattern the text must match, strptime format) for each written form."""
    dm = ("%d", "%m") if day_first else ("%m", "%d")
    return (
        (r"^(\d{4}-\d{1,2}-\d{1,2})" + _TIME + "$", "%Y-%m-%d"),
        (r"^(\d{4}/\d{1,2}/\d{1,2})" + _TIME + "$", "%Y/%m/%d"),
        (r"^(\d{1,2}/\d{1,2}/\d{4})" + _TIME + "$", f"{dm[0]}/{dm[1]}/%Y"),
        (r"^(\d{1,2}/\d{1,2}/\d{2})" + _TIME + "$", f"{dm[0]}/{dm[1]}/%y"),
        (r"^(\d{1,2}-\d{1,2}-\d{4})" + _TIME + "$", f"{dm[0]}-{dm[1]}-%Y"),
        (r"^(\d{1,2}-\d{1,2}-\d{2})" + _TIME + "$", f"{dm[0]}-{dm[1]}-%y"),
        (r"^(\d{1,2}\.\d{1,2}\.\d{4})" + _TIME + "$", "%d.%m.%Y"),
        (r"^(\d{1,2}\.\d{1,2}\.\d{2})" + _TIME + "$", "%d.%m.%y"),
        (r"^(\d{8})$", "%Y%m%d"),
        # a "Period" column: a month, read as its first day
        (r"^(\d{4}-\d{1,2})$", "%Y-%m"),
        (r"^(\d{1,2}/\d{4})$", "%m/%Y"),
    )


_SERIAL = r"^\d{1,7}(?:\.\d+)?$"


def reads_as_a_day(text: str) -> bool:
    """Whether ``text`` is a day in one of the written forms the reader knows, in either order
    of day and month (``3/20/2024``, ``2024-01-31``): a cell a configured date format missed
    because it is not how the file writes its dates, not a typo or a word."""
    text = str(text).strip()
    for day_first in (True, False):
        for pattern, fmt in _text_formats(day_first):
            m = re.match(pattern, text)
            if m and "%d" in fmt:
                try:
                    dt.datetime.strptime(m.group(1), fmt)
                except ValueError:
                    continue
                return True
    return False


@dataclass(frozen=True)
class DateOrder:
    """How a column writes day and month: ``day_first`` True (31/01/2024), False
    (01/31/2024) or None (no value has day and month as two small numbers); the
    evidence in words; ``ambiguous``: every such value reads both ways; ``mixed``: some
    values are only valid day-first and others only month-first."""

    day_first: bool | None
    evidence: str
    ambiguous: bool = False
    mixed: bool = False
    examples: tuple[str, ...] = ()
    #: the one written form of the column's day-and-month dates, e.g. ("/", 4) for
    #: 31/01/2024; None when the column writes dates in several forms
    form: tuple[str, int] | None = None

    @property
    def date_format(self) -> str | None:
        """The client.yml ``date_format`` that pins this order (None when the column writes
        dates in several forms: one format would not read them all)."""
        if self.day_first is None or self.form is None:
            return None
        sep, digits = self.form
        year = "%Y" if digits == 4 else "%y"
        return f"%d{sep}%m{sep}{year}" if self.day_first else f"%m{sep}%d{sep}{year}"


def infer_date_order(texts: Iterable[str]) -> DateOrder:
    """Day-first or month-first, from every distinct date text of a column. Dotted dates
    (31.01.2024) are day-first by convention: no locale writes them month-first."""
    day_first: list[str] = []
    month_first: list[str] = []
    ambiguous: list[str] = []
    dotted_only = True
    forms: set[tuple[str, int]] = set()
    other_forms = False
    for t in texts:
        if t is None:
            continue
        t = str(t)
        head = t.lstrip()[:3]
        # only "d/m/..." or "dd-m..." can be day-and-month dates (ISO starts with a year)
        m = _DMY.match(t) if len(head) >= 2 and head[0].isdigit() and (head[1] in "/.-" or head[2:3] in ("/", ".", "-")) else None
        if not m:
            other_forms = True  # "" (from date_texts) marks forms not listed
            continue
        a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
        forms.add((sep, len(m.group(4))))
        if sep != ".":
            dotted_only = False
        if a > 12 and 1 <= b <= 12:
            day_first.append(t)
        elif b > 12 and 1 <= a <= 12:
            month_first.append(t)
        elif a <= 12 and b <= 12:
            ambiguous.append(t)
    if day_first and month_first:
        return DateOrder(None, "some dates are only valid day-first, others only month-first",
                         mixed=True, examples=(*day_first[:2], *month_first[:2]))
    form = forms.pop() if len(forms) == 1 and not other_forms else None
    for only, texts, group in ((True, day_first, 1), (False, month_first, 3)):
        if texts:
            first = _DMY.match(texts[0])
            assert first is not None  # these texts are ones _DMY matched
            order = "day-first" if only else "month-first"
            n = len(texts)
            return DateOrder(only, f"{n:,} distinct date{'s' if n != 1 else ''} can only be {order} (e.g. "
                                   f"{texts[0]!r}: no month {int(first.group(group))})", form=form)
    if ambiguous:
        if dotted_only:
            return DateOrder(True, "dates written with dots (dd.mm.yyyy) are day-first", form=form)
        return DateOrder(None, "every day is 12 or less, so each date reads both day-first and month-first",
                         ambiguous=True, examples=tuple(ambiguous[:3]))
    return DateOrder(None, "no date is written with the day and month as numbers")


@dataclass(frozen=True)
class ParsedDates:
    """Per row: ``values`` (datetime64[ns] at midnight, NaT unless ok), ``blank`` and
    ``unparseable`` masks, and ``period``: the cell holds a span of time (unparseable
    too: a period is not a date)."""

    values: np.ndarray
    blank: np.ndarray
    unparseable: np.ndarray
    period: np.ndarray | None = None

    @property
    def ok(self) -> np.ndarray:
        return ~(self.blank | self.unparseable)


def _to_ns(parsed: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    idx = pd.DatetimeIndex(parsed)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.normalize().as_unit("ns").to_numpy(dtype="datetime64[ns]")


def _parse_text(
    text: pa.Array, date_format: str | None, day_first: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct strings -> (datetime64[ns] with NaT, blank mask, period mask)."""
    n = len(text)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    s = pc.utf8_trim_whitespace(text.cast(pa.string()))
    blank = (pc.fill_null(pc.equal(s, ""), True)).to_numpy(zero_copy_only=False)
    s = pc.fill_null(s, "")
    period = np.zeros(n, dtype=bool)
    if n:  # a period has letters, a spaced dash, or is a bare year: test only those texts
        maybe = pc.match_substring_regex(s, r"[A-Za-z]|\s[-–—]\s|^\s*\d{4}\s*(?:-\s*\d{4}\s*)?$")
        idx = np.flatnonzero(pc.fill_null(maybe, False).to_numpy(zero_copy_only=False))
        if len(idx):
            texts = s.take(pa.array(idx)).to_pylist()
            period[idx] = [bool(_PERIOD.match(t)) for t in texts]
    todo = ~blank & ~period
    if date_format:
        idx = np.flatnonzero(todo)
        vals = pd.Series(s.take(pa.array(idx)).to_numpy(zero_copy_only=False), dtype=object)
        got = pd.to_datetime(vals, format=date_format, errors="coerce")
        # a format without a time still reads "31/01/2024 00:00:00"
        retry = got.isna().to_numpy()
        if retry.any():
            head = vals[retry].str.split(r"[T ]", n=1, regex=True).str[0]
            got[retry] = pd.to_datetime(head, format=date_format, errors="coerce")
        out[idx] = _to_ns(got)
        return out, blank, period
    for pattern, fmt in _text_formats(day_first):
        idx = np.flatnonzero(todo)
        if not len(idx):
            break
        cand = s.take(pa.array(idx))
        hit = pc.match_substring_regex(cand, pattern).to_numpy(zero_copy_only=False)
        if not hit.any():
            continue
        hidx = idx[hit]
        part = pc.extract_regex(cand.filter(pa.array(hit)), pattern.replace("(", "(?P<d>", 1)).field("d")
        got = pd.to_datetime(pd.Series(part.to_numpy(zero_copy_only=False), dtype=object), format=fmt, errors="coerce")
        out[hidx] = _to_ns(got)
        todo[hidx] = False
    idx = np.flatnonzero(todo)
    if len(idx):
        cand = s.take(pa.array(idx))
        serial = pc.match_substring_regex(cand, _SERIAL).to_numpy(zero_copy_only=False)
        if serial.any():
            nums = cand.filter(pa.array(serial)).cast(pa.float64()).to_numpy(zero_copy_only=False)
            out[idx[serial]] = _serials(nums)
        named = pc.match_substring_regex(cand, r"[A-Za-z]{3}").to_numpy(zero_copy_only=False) & ~serial
        if named.any():
            vals = pd.Series(cand.filter(pa.array(named)).to_numpy(zero_copy_only=False), dtype=object)
            got = pd.Series(pd.NaT, index=vals.index, dtype="datetime64[ns]")
            for i, v in vals.items():
                try:
                    got[i] = pd.to_datetime(v, format="mixed", dayfirst=False)
                except (ValueError, OverflowError, TypeError):
                    continue
            out[idx[named]] = _to_ns(got)
    return out, blank, period


def _serials(nums: np.ndarray) -> np.ndarray:
    """Excel 1900-system serial numbers -> datetime64[ns] (NaT out of range)."""
    nums = np.asarray(nums, dtype=np.float64)
    ok = (nums >= 1) & (nums <= _MAX_SERIAL) & np.isfinite(nums)
    days = np.where(ok, np.floor(np.where(ok, nums, 0)), 0).astype(np.int64)
    out = (EXCEL_EPOCH.to_datetime64() + days.astype("timedelta64[D]")).astype("datetime64[ns]")
    # datetime64[ns] only reaches 2262; later serials are out of range
    out = np.where(ok & (nums < 132_000), out, np.datetime64("NaT"))
    return out.astype("datetime64[ns]")


def _parse_cell(value: object) -> tuple[np.datetime64, bool] | None:
    """A non-string cell -> (day, blank); None for text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return np.datetime64("NaT"), True
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp, np.datetime64)):
        try:
            ts = pd.Timestamp(value)
        except (ValueError, OverflowError):
            return np.datetime64("NaT"), False
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        return ts.normalize().to_datetime64().astype("datetime64[ns]"), False
    if isinstance(value, (bool, np.bool_)):
        return np.datetime64("NaT"), False
    if isinstance(value, (int, float, np.integer, np.floating)):
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            return np.datetime64("NaT"), True
        return _serials(np.array([value]))[0], False
    if isinstance(value, str):
        return None
    return np.datetime64("NaT"), False


def date_texts(values: pd.Series | np.ndarray | list | pa.Array | pa.ChunkedArray) -> list[str]:
    """The distinct texts of a column of date cells that write day and month as numbers
    (``31/01/2024``, ``1-2-24``; spreadsheet date cells and ISO dates need no order), for
    :func:`infer_date_order`; when the column also writes dates in other forms, a last
    ``""`` says so (a single ``date_format`` could not pin them all)."""
    _, uniques = _factorize(values)
    if isinstance(uniques, pa.Array):
        s = pc.utf8_trim_whitespace(uniques.cast(pa.string()))
        dmy = pc.fill_null(pc.match_substring_regex(s, r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"), False)
        texts = s.filter(dmy).to_pylist()
        other = pc.sum(pc.and_(pc.invert(dmy), pc.not_equal(s, ""))).as_py()
        return texts + ([""] if other else [])
    return [v for v in uniques if isinstance(v, str)]


def swapped_by_excel(values: np.ndarray | list | pa.Array | pa.ChunkedArray, order: DateOrder) -> np.ndarray | None:
    """The date cells of a column whose text dates are written day first, when every date cell
    has a day of 12 or less (at least 3 of them): the mark of a day-first file opened in an
    Excel set to month-first, which made date cells, day and month swapped, of the dates it
    could read month-first (05/03/2024 -> 3 May) and left the others (25/03/2024) as text.
    None when the column does not show it (a CSV has no date cells)."""
    if not order.day_first or isinstance(values, (pa.Array, pa.ChunkedArray)):
        return None
    cells = np.asarray(values, dtype=object)
    native = np.fromiter((isinstance(v, dt.date) for v in cells), dtype=bool, count=len(cells))
    days = {v.day for v in cells[native]}
    # swapped, a cell's day is the true month: several of them (a ledger billed on the 1st of
    # each month, its cells all on day 1, is no sign)
    if int(native.sum()) < 3 or max(days, default=0) > 12 or len(days) < 3:
        return None
    return native


def parse_dates(
    values: pd.Series | np.ndarray | list | pa.Array | pa.ChunkedArray,
    date_format: str | None = None,
    day_first: bool = False,
) -> ParsedDates:
    """Parse a column of date cells; see the module docstring for what is recognised.
    ``day_first`` reads ``1/2/2024`` as 1 February (decide it with :func:`infer_date_order`)."""
    codes, uniques = _factorize(values)
    n_u = len(uniques)
    days = np.full(n_u, np.datetime64("NaT"), dtype="datetime64[ns]")
    blank = np.zeros(n_u, dtype=bool)
    period = np.zeros(n_u, dtype=bool)
    if isinstance(uniques, pa.Array):
        text_idx = np.arange(n_u)
        text = uniques
    else:
        pos: list[int] = []
        for i, v in enumerate(uniques):
            got = _parse_cell(v)
            if got is None:
                pos.append(i)
            else:
                days[i], blank[i] = got
        text_idx = np.asarray(pos, dtype=np.int64)
        text = pa.array([uniques[i] for i in pos], type=pa.string())
    if len(text_idx):
        d, b, p = _parse_text(text, date_format, day_first)
        days[text_idx], blank[text_idx], period[text_idx] = d, b, p
    slot = np.where(codes < 0, n_u, codes)
    row_days = np.append(days, np.datetime64("NaT", "ns"))[slot].astype("datetime64[ns]", copy=False)
    row_blank = np.append(blank, True)[slot]
    return ParsedDates(
        values=row_days,
        blank=row_blank,
        unparseable=~row_blank & np.isnat(row_days),
        period=np.append(period, False)[slot],
    )
