"""The refusals of the ledger reading that need more than a line: each names the file,
the rows, the column, and the client.yml setting that settles it (or says what to fix in
the file when no setting can)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ..errors import DataValidationError, Problem
from .cells import TextColumn
from .dates import DateOrder, infer_date_order, is_period
from .number_format import AmbiguousNumbers, MixedNumbers, NumberFormat
from .readers import RawTable

__all__ = ["hint_amounts", "hint_dates", "no_client_problem", "number_refusal", "date_refusal", "first_rows",
           "number_setting_problem", "number_setting_hint", "swapped_dates_refusal"]

_FIRST_ROWS = 5


def first_rows(source_row: np.ndarray, mask: np.ndarray, n: int = _FIRST_ROWS) -> tuple[int, ...]:
    """The spreadsheet numbers of the first rows in ``mask``."""
    return tuple(int(r) for r in source_row[np.flatnonzero(mask)[:n]])


def hint_amounts(examples: Sequence[str], decimal: str) -> str | None:
    """What to set for amounts that could not be read (the decimal mark read from the values:
    a mark set in client.yml that the amounts contradict is :func:`number_setting_problem`)."""
    for mark, other, looks in ((".", ",", "1.234,56"), (",", ".", "1,234.56")):
        pattern = rf"[^\d]*\d+({re.escape(mark)}\d{{3}})*{re.escape(other)}\d+[^\d]*"
        if decimal == mark and any(re.fullmatch(pattern, e) for e in examples):
            return f'The amounts look like {looks}: set billing.decimal: "{other}" in client.yml.'
    return None


def number_setting_problem(header: str, fmt: NumberFormat, decimal_set: str | None, thousands_set: str | None,
                           examples: Sequence[str], rows: tuple[int, ...], n: int, n_given: int) -> Problem:
    """Amounts that client.yml's decimal mark (``billing.decimal``, or ``billing.thousands``
    that implies it) does not read, but the other mark does: the setting is not how the file
    writes them, and the amounts it did read may be 1,000 times off."""
    other = "," if fmt.decimal == "." else "."
    setting = (f'billing.decimal: "{decimal_set}"' if decimal_set is not None
               else f'billing.thousands: "{thousands_set}" (which makes {fmt.decimal!r} the decimal mark)')
    return Problem(
        f"{n:,} of {n_given:,} amounts cannot be read with {fmt.decimal!r} as the decimal mark, which {setting} in "
        f"client.yml sets, but are numbers written with {other!r} as the decimal mark: the setting is not how "
        "this file writes its amounts, so the amounts it did read may be wrong too (a thousands separator read "
        "as a decimal mark)",
        column=header, rows=rows, examples=tuple(examples), n_rows=n, reason="number_format_setting")


def number_setting_hint(fmt: NumberFormat, decimal_set: str | None) -> str:
    """What to do about :func:`number_setting_problem`."""
    other = "," if fmt.decimal == "." else "."
    # the other reading: the decimal mark, or the thousands separator that implies it
    key, instead = (("billing.decimal", other) if decimal_set is not None else ("billing.thousands", fmt.decimal))
    return (f"Remove {key} from client.yml (the toolkit reads the decimal mark from the amounts themselves, and "
            f'alms validate shows what it found), or set {key}: "{instead}" if every amount is written '
            f"with {other!r} as the decimal mark. If the column mixes both formats, fix those cells or export the file again with one "
            "number format.")


def swapped_dates_refusal(path: Path, header: str, texts: Sequence[str], cells: np.ndarray,
                          src: np.ndarray) -> DataValidationError:
    """Date cells that a month-first Excel made of a day-first file (:func:`~.dates.swapped_by_excel`,
    ``cells``), beside the dates it left as text (``texts``)."""
    day_first = [t for t in texts if re.match(r"\s*(?:1[3-9]|2\d|3[01])\D", t)][:2]
    return DataValidationError(path, Problem(
        f"the column mixes dates written as text day first ({', '.join(repr(e) for e in day_first)}) "
        f"with {int(cells.sum()):,} date cells, every one of them on a day of 12 or less: a day-first "
        "file opened in an Excel set to month-first makes that mix, turning each date it can read "
        "month-first (05/03/2024) into a date cell with day and month swapped (3 May), so the date cells "
        "cannot be trusted", column=header, rows=first_rows(src, cells), n_rows=int(cells.sum()),
        reason="dates_swapped_by_excel"),
        hint="Give the toolkit the file as the accounting system exported it (the CSV: it reads day-first "
             "dates itself), or open that CSV in Excel with Data > From Text/CSV and the file's own "
             "locale (e.g. English (United Kingdom)) before saving it as .xlsx. If the date cells are "
             "right as they are (typed as dates in this workbook), say how the text dates are written: "
             "billing.date_format: \"%d/%m/%Y\".")


def hint_dates(examples: Sequence[str], date_format: str | None = None) -> str:
    """What to set for dates that could not be read (``date_format``: client.yml's, if any)."""
    if date_format and any(re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}(?:[ T].*)?", e) for e in examples):
        return (f"The dates are written year first (2024-01-31), which the toolkit reads by itself: remove "
                f"billing.date_format ({date_format!r}) from client.yml.")
    shown = infer_date_order(examples).date_format if date_format else None
    if shown is not None and shown != date_format:  # the examples show their order and form
        return (f'The dates are written as "{shown}" reads them (e.g. {examples[0]}): set billing.date_format: '
                f'"{shown}" in client.yml, or remove it (the toolkit reads the order from the column).')
    if any(re.match(r"\s*(1[3-9]|2\d|3[01])/\d{1,2}/\d{2,4}", e) for e in examples):
        if date_format == "%d/%m/%Y":
            return ("The dates look day-first, but billing.date_format (\"%d/%m/%Y\") does not read them: "
                    "check how the column writes them, or remove billing.date_format from client.yml.")
        return 'The dates look day-first (31/01/2024): set billing.date_format: "%d/%m/%Y" in client.yml.'
    if any(re.fullmatch(r"\s*[A-Za-z]{3}[-/ ]\d{2}\s*", e) for e in examples):
        return 'The dates are months written like Jan-24: set billing.date_format: "%b-%y" in client.yml.'
    if any(re.search(r"[A-Za-zÀ-ÿ]{3,}", e) for e in examples):
        return ("The dates hold month names the toolkit does not read (English names only, e.g. 15 Jan 2024): "
                "export the dates as numbers (15/01/2024), or set billing.date_format to how they are written.")
    if any(is_period(e) for e in examples):
        return ("The date cells hold periods, not days: if each row is a client's 12-month total, set "
                "billing.twelve_month_totals: true in client.yml (and leave the date column unmapped).")
    if date_format:
        return (f"billing.date_format ({date_format!r}) in client.yml does not read these dates: set it to how they "
                "are written, or remove it to let the toolkit read them.")
    return 'Set billing.date_format in client.yml to how the dates are written (e.g. "%d/%m/%Y").'


def no_client_problem(headers: Sequence[str]) -> Problem:
    shown = ", ".join(repr(h) for h in headers)
    return Problem(
        f"no column for the client (headers found: {shown}); name it in client.yml under billing.columns "
        "(client: <header>), or use a recognised header such as Customer, Client, Account Name, Company, "
        "Reseller, Dealer, Store, Sold-to, Bill-to, Advertiser; where each client's name is written as a heading "
        "on a row of its own above its lines, name that column: billing.client_headings: <header>")


def number_refusal(path: Path, header: str, fmt: AmbiguousNumbers | MixedNumbers, raw: RawTable,
                    cols: Mapping[str, TextColumn], fields: Mapping[str, str], src: np.ndarray) -> DataValidationError:
    if isinstance(fmt, MixedNumbers):
        ex = (*fmt.dot_examples[:2], *fmt.comma_examples[:2])
        return DataValidationError(path, Problem(
            "the amounts mix two number formats: some can only be read with '.' as the decimal mark "
            f"({', '.join(repr(e) for e in fmt.dot_examples[:2])}), others only with ',' "
            f"({', '.join(repr(e) for e in fmt.comma_examples[:2])})", column=header, examples=ex),
            hint="One column must use one format: export the file again with one number format (or fix those "
                 "cells), then run again. billing.decimal in client.yml cannot make both readings right.")
    sep = fmt.separator
    other = "," if sep == "." else "."
    lean: list[tuple[str, str]] = []  # (what the file shows, the decimal mark it suggests)
    if raw.delimiter == ";":
        lean.append(("the file is ;-separated, as Excel writes where ',' is the decimal mark", ","))
    elif raw.delimiter == ",":
        lean.append(("the file is comma-separated, as Excel writes where '.' is the decimal mark", "."))
    date_h = fields.get("date")
    if date_h and any(isinstance(t, str) and re.match(r"^\d{1,2}\.\d{1,2}\.\d{2,4}", t) for t in cols[date_h].uniques[:200]):
        lean.append(("its dates are written dd.mm.yyyy", ","))
    shown = "; ".join(w for w, _ in lean)
    marks = {m for _, m in lean}
    suggestion = (f" ({shown}: that suggests billing.decimal: \"{marks.pop()}\")" if len(marks) == 1
                  else f" ({shown})" if shown else "")
    e0 = fmt.examples[0]
    whole = re.sub(r"[.,]", "", e0)
    return DataValidationError(path, Problem(
        f"every amount reads two ways: {', '.join(repr(e) for e in fmt.examples[:3])} could each be a whole "
        f"number with {sep!r} grouping thousands, or a number with three decimals after {sep!r}", column=header,
        examples=fmt.examples),
        hint=f"Say which in client.yml{suggestion}: billing.decimal: \"{other}\" if {e0!r} means {whole} "
             f"({sep!r} groups thousands), or billing.decimal: \"{sep}\" if {sep!r} is the decimal mark.")


def date_refusal(path: Path, header: str, order: DateOrder, col: TextColumn, src: np.ndarray) -> DataValidationError:
    if order.mixed:
        rows_mask = np.zeros(len(col.codes), dtype=bool)
        for e in order.examples:
            rows_mask |= col.rows_equal(e)
        return DataValidationError(path, Problem(
            "the dates mix two orders: some can only be read day-first (31/01/2024), others only month-first "
            "(01/31/2024)", column=header, rows=first_rows(src, rows_mask), examples=order.examples),
            hint="One column must use one order: fix those cells (or export the file again), then run again; "
                 "billing.date_format in client.yml cannot make both readings right.")
    e0 = order.examples[0]
    return DataValidationError(path, Problem(
        f"every date reads two ways because no day is above 12: {e0!r} could be day-first or month-first",
        column=header, examples=order.examples),
        hint='Say which in client.yml: billing.date_format: "%d/%m/%Y" (day first, 31/01/2024) or '
             'billing.date_format: "%m/%d/%Y" (month first, 01/31/2024), written with the separator the file uses.')
