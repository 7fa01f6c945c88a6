"""Date cells -> day-precision timestamps, vectorised over the distinct values.

Recognised without settings: ISO ``2024-01-31`` (with or without a time, ``T`` or space),
``2024/01/31``, US ``1/31/2024`` and ``1/31/24``, ``31.01.2024``, ``20240131``, month
names (``31-Jan-2024``, ``Jan 31, 2024``), Excel serial numbers (``45322``) and
spreadsheet date/datetime cells. ``date_format`` (strftime codes, e.g. ``%d/%m/%Y``)
replaces the guessing. A time of day is dropped: every date is normalised to the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .amounts import _factorize

__all__ = ["ParsedDates", "parse_dates", "EXCEL_EPOCH"]

#: day 0 of Excel's 1900 date system (serial 1 = 1900-01-01, counting Excel's fake 1900-02-29)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MAX_SERIAL = 2_958_465  # 9999-12-31

# (pattern the text must match, regex extracting the date part, strptime format)
_TEXT_FORMATS: tuple[tuple[str, str], ...] = (
    (r"^(\d{4}-\d{1,2}-\d{1,2})(?:[T ].*)?$", "%Y-%m-%d"),
    (r"^(\d{4}/\d{1,2}/\d{1,2})(?:[T ].*)?$", "%Y/%m/%d"),
    (r"^(\d{1,2}/\d{1,2}/\d{4})(?: .*)?$", "%m/%d/%Y"),
    (r"^(\d{1,2}/\d{1,2}/\d{2})(?: .*)?$", "%m/%d/%y"),
    (r"^(\d{1,2}\.\d{1,2}\.\d{4})(?: .*)?$", "%d.%m.%Y"),
    (r"^(\d{8})$", "%Y%m%d"),
    # a "Period" column: a month, read as its first day
    (r"^(\d{4}-\d{1,2})$", "%Y-%m"),
    (r"^(\d{1,2}/\d{4})$", "%m/%Y"),
)
_SERIAL = r"^\d{1,7}(?:\.\d+)?$"


@dataclass(frozen=True)
class ParsedDates:
    """Per row: ``values`` (datetime64[ns] at midnight, NaT unless ok), ``blank`` and
    ``unparseable`` masks."""

    values: np.ndarray
    blank: np.ndarray
    unparseable: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        return ~(self.blank | self.unparseable)


def _to_ns(parsed: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    idx = pd.DatetimeIndex(parsed)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.normalize().as_unit("ns").to_numpy(dtype="datetime64[ns]")


def _parse_text(text: pa.Array, date_format: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct strings -> (datetime64[ns] with NaT, blank mask)."""
    n = len(text)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    s = pc.utf8_trim_whitespace(text.cast(pa.string()))
    blank = (pc.fill_null(pc.equal(s, ""), True)).to_numpy(zero_copy_only=False)
    s = pc.fill_null(s, "")
    todo = ~blank
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
        return out, blank
    for pattern, fmt in _TEXT_FORMATS:
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
    return out, blank


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


def parse_dates(
    values: pd.Series | np.ndarray | list | pa.Array | pa.ChunkedArray,
    date_format: str | None = None,
) -> ParsedDates:
    """Parse a column of date cells; see the module docstring for what is recognised."""
    codes, uniques = _factorize(values)
    n_u = len(uniques)
    days = np.full(n_u, np.datetime64("NaT"), dtype="datetime64[ns]")
    blank = np.zeros(n_u, dtype=bool)
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
        d, b = _parse_text(text, date_format)
        days[text_idx], blank[text_idx] = d, b
    slot = np.where(codes < 0, n_u, codes)
    row_days = np.append(days, np.datetime64("NaT", "ns"))[slot].astype("datetime64[ns]")
    row_blank = np.append(blank, True)[slot]
    return ParsedDates(
        values=row_days,
        blank=row_blank,
        unparseable=~row_blank & np.isnat(row_days),
    )
