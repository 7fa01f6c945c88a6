"""A table of clients by period (a pivot table: ``Row Labels | Oct-23 | Nov-23 | ... | Grand
Total``; or by quarter, or by year) has no date column, so it reads as one row per client with
a total. That total is the 12-month billing of the audit only when the period columns it adds
up are the 12 months before the audit date: a pivot of 15 months, of two years, or of another
year would print a wrong figure for every client. :func:`refuse_other_months` refuses those,
naming the periods and what to export instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..count_words import plural
from ..date_text import day_text
from ..errors import DataValidationError, Problem
from .amounts import parse_amounts

__all__ = ["period_of_header", "bare_month", "refuse_other_months"]

#: month names and their common abbreviations (English, German, French, Spanish, Italian,
#: Dutch, Scandinavian), lower case, without a final dot
_MONTH_NAMES: dict[str, int] = {}
for _n, _names in enumerate((
    "jan january januar janvier janv ene enero gen gennaio januari",
    "feb february februar fév fev févr fevr février fevrier febrero febbraio februari",
    "mar march mär mrz märz maerz mars marzo maart",
    "apr april avr avril abr abril aprile",
    "may mai mayo mag maggio mei maj",
    "jun june juni juin junio giu giugno",
    "jul july juli juil juillet julio lug luglio",
    "aug august août aout ago agosto augustus",
    "sep sept september septembre septiembre set settembre",
    "oct october okt oktober octobre octubre ott ottobre",
    "nov november novembre noviembre",
    "dec december dez dezember déc dec décembre decembre dic diciembre dicembre",
), start=1):
    _MONTH_NAMES.update(dict.fromkeys(_names.split(), _n))

#: a pivot's value field written before the period ('Sum of Oct-23')
_VALUE_FIELD = re.compile(r"^(?:sum of|total|summe von|somme de|suma de|somma di)\s+", re.I)
_NAME_YEAR = re.compile(r"^(?P<name>[^\W\d_]{3,9})\.?[\s\-/'’]*(?P<year>\d{4}|\d{2})$")
_YEAR_NAME = re.compile(r"^(?P<year>(?:19|20)\d{2})[\s\-/]+(?P<name>[^\W\d_]{3,9})\.?$")
_NUMERIC = (
    re.compile(r"^(?P<year>(?:19|20)\d{2})[\-/.](?P<month>\d{1,2})$"),
    re.compile(r"^(?P<month>\d{1,2})[\-/.](?P<year>(?:19|20)\d{2})$"),
    re.compile(r"^(?P<year>(?:19|20)\d{2})(?P<month>0[1-9]|1[0-2])$"),
    re.compile(r"^(?P<year>(?:19|20)\d{2})\s*M(?P<month>\d{1,2})$", re.I),
)
_TIME = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_ISO_DAY = re.compile(r"^(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME + "$")
_DOTTED_DAY = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d{2})" + _TIME + "$")
_SLASHED_DAY = re.compile(r"^(?P<a>\d{1,2})[/\-](?P<b>\d{1,2})[/\-](?P<year>(?:19|20)\d{2})" + _TIME + "$")
_QUARTER = (
    re.compile(r"^Q(?P<q>[1-4])[\s\-/'’]*(?P<year>\d{4}|\d{2})$", re.I),
    re.compile(r"^(?P<year>(?:19|20)\d{2})[\s\-/]*Q(?P<q>[1-4])$", re.I),
)
_YEAR = re.compile(r"^(?P<year>(?:19|20)\d{2})$")
#: a span of months of one year, as QuickBooks writes its columns ('Oct - Dec 23', 'Jan - Dec 2024')
_MONTH_SPAN = re.compile(r"^(?P<first>[^\W\d_]{3,9})\.?\s*[-–]\s*(?P<last>[^\W\d_]{3,9})\.?[\s,'’]*(?P<year>\d{4}|\d{2})$")
#: a fiscal year, whose months the header does not say ('FY2024', 'FY 23/24')
_FISCAL_YEAR = re.compile(r"^\s*(?:FY|F\.Y\.|GJ|Fiscal\s+Year)\s*'?\d{2,4}(?:\s*[-/]\s*\d{2,4})?\s*$", re.I)


def _index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _edge_of_month(year: int, month: int, day: int) -> bool:
    """A month's first or last day: how a table writes a month as a date."""
    return 1 <= month <= 12 and (day == 1 or day == calendar.monthrange(year, month)[1])


def period_of_header(header: str) -> tuple[int, int] | None:
    """The period a column header names as a whole, as (its first month, counted ``year * 12 +
    month - 1``, and its number of months): ``Oct-23``, ``Jan 2024``, ``2023 Oct``, ``Januar
    2024``, ``2024-01``, ``01/2024``, ``202401``, ``2024M01``, a month's first or last day
    (``2024-01-01``, ``2024-01-31``, ``31.01.2024``, ``1/31/2024``: a pivot's date heading),
    ``Q1 2024`` and ``2024``; after a pivot's value field (``Sum of Oct-23``). None for anything
    else."""
    text = _VALUE_FIELD.sub("", str(header).strip())
    for named in (_NAME_YEAR, _YEAR_NAME):
        m = named.match(text)
        if m:
            month = _MONTH_NAMES.get(m["name"].lower())
            return None if month is None else (_index(_year(m["year"]), month), 1)
    for numeric in _NUMERIC:
        m = numeric.match(text)
        if m and 1 <= int(m["month"]) <= 12:
            return _index(int(m["year"]), int(m["month"])), 1
    for dated in (_ISO_DAY, _DOTTED_DAY):
        m = dated.match(text)
        if m and _edge_of_month(int(m["year"]), int(m["month"]), int(m["day"])):
            return _index(int(m["year"]), int(m["month"])), 1
    m = _SLASHED_DAY.match(text)
    if m:  # month or day first: the reading that makes it a month's edge (both: the same month)
        year, a, b = int(m["year"]), int(m["a"]), int(m["b"])
        months = {month for month, day in ((a, b), (b, a)) if _edge_of_month(year, month, day)}
        return (_index(year, months.pop()), 1) if len(months) == 1 else None
    m = _MONTH_SPAN.match(text)
    if m:
        first, last = _MONTH_NAMES.get(m["first"].lower()), _MONTH_NAMES.get(m["last"].lower())
        if first is not None and last is not None and first <= last:
            return _index(_year(m["year"]), first), last - first + 1
        return None
    for quarter in _QUARTER:
        m = quarter.match(text)
        if m:
            return _index(_year(m["year"]), 3 * int(m["q"]) - 2), 3
    m = _YEAR.match(text)
    return (_index(int(m["year"]), 1), 12) if m else None


def bare_month(header: str) -> int | None:
    """The month a header names without a year (``Oct``, ``Januar``; a repeated one as the
    reader renames it, ``Oct (2)``), else None."""
    text = re.sub(r"\s*\(\d+\)$|[\s_.]*\d+$", "", _VALUE_FIELD.sub("", str(header).strip())).rstrip(".").lower()
    return _MONTH_NAMES.get(text)


def _label(index: int) -> str:
    return dt.date(index // 12, index % 12 + 1, 1).strftime("%b %Y")


def _adds_up(amount: str, columns: Sequence[str], sample: Mapping[str, Sequence[object]], decimal: str) -> bool:
    """Whether ``amount`` is, on nine in ten of the file's first rows that hold one, the sum of
    ``columns``, as an export rounds it: to a cent a column, or to a unit a column when the file
    writes whole units."""
    total = parse_amounts(list(sample[amount]), decimal=decimal)
    parts = [parse_amounts(list(sample[c]), decimal=decimal) for c in columns]
    rows = [i for i in range(len(total.micros)) if total.ok[i]]
    if not rows:
        return False
    whole = all(int(total.micros[i]) % 1_000_000 == 0 for i in rows)
    step = (1_000_000 if whole else 10_000) * (len(columns) + 1)
    hits = sum(1 for i in rows if abs(int(total.micros[i]) - sum(int(p.micros[i]) for p in parts if p.ok[i])) <= step)
    return hits >= 0.9 * len(rows)


def refuse_other_months(path: Path, headers: Sequence[str], amount: str, header_row: int, as_of: dt.date,
                        sample: Mapping[str, Sequence[object]], decimal: str) -> None:
    """Refuse a table of clients by period whose amount column is one period's column, or adds
    up periods other than exactly the 12 months before ``as_of`` (the audit date; on the 1st of
    a month, as the periods are), or months without a year. Two period columns make such a
    table; an amount that does not add them up (a 12-month total beside the last few months)
    is left alone. ``sample``: the file's first rows per column; ``decimal``: its decimal mark."""
    found = {h: p for h in headers if h != amount and (p := period_of_header(h)) is not None}
    # the finest periods are what a total adds up: a quarter's or a year's column beside its
    # months ('Q4 2023', 'Total 2023') is a subtotal
    finest = min((n for _, n in found.values()), default=0)
    periods = {h: p for h, p in found.items() if p[1] == finest}
    bare = {h: m for h in headers if h != amount and h not in found and (m := bare_month(h)) is not None}
    fiscal = [h for h in headers if h != amount and _FISCAL_YEAR.match(h)]
    mine = period_of_header(amount)
    if not periods and not bare and not fiscal:
        return
    start = _index(as_of.year, as_of.month) - 12
    window = f"{_label(start)} to {_label(start + 11)}"
    export = ("the report for {window} (a column for each of those months and their total), or the ledger as one "
              "row per invoice with its date, and run again.")
    if (mine is not None and mine[1] < 12) or bare_month(amount) is not None:  # a year's total may be the window
        raise DataValidationError(path, Problem(
            f"the amount column {amount!r} is one period's column of a table of clients by period, not a 12-month "
            "total", column=amount, rows=(header_row,)),
            hint=f"Map the column that adds up the 12 months before the audit date ({window}) as the amount "
                 "(billing.columns.amount: <its header>), or export " + export.format(window=window))
    if not _adds_up(amount, [*periods, *bare, *fiscal], sample, decimal):
        return
    if fiscal and not periods and not bare:
        raise DataValidationError(path, Problem(
            f"{amount!r} adds up the file's table of clients by fiscal year ({', '.join(repr(h) for h in fiscal)}), "
            f"whose months the headers do not say: the audit counts the 12 months before {day_text(as_of)} "
            f"({window})", column=amount, rows=(header_row,)),
            hint=(f"If {fiscal[0]!r} is exactly those 12 months and the only column, say so in client.yml: "
                  "billing.columns.amount: " + repr(fiscal[0]) + " and billing.twelve_month_totals: true. Else export "
                  if len(fiscal) == 1 else "Export ") + export.format(window=window))
    if bare:
        raise DataValidationError(path, Problem(
            f"{amount!r} adds up the file's table of clients by month, whose {len(bare)} month columns "
            f"({', '.join(repr(h) for h in list(bare)[:3])}, ...) name no year: the audit cannot tell whether they "
            f"are the 12 months before {day_text(as_of)} ({window})", column=amount, rows=(header_row,)),
            hint=("If they are exactly those 12 months, say so in client.yml: billing.twelve_month_totals: true. Else "
                  "export " if len(bare) == 12 and len(set(bare.values())) == 12 else "Export ")
            + export.format(window=window))
    months = sorted({first + k for first, n in periods.values() for k in range(n)})
    span = f"{_label(months[0])} to {_label(months[-1])}" if len(months) > 1 else _label(months[0])
    kinds = {n for _, n in periods.values()}
    what = "month" if kinds == {1} else "quarter" if kinds == {3} else "year" if kinds == {12} else "period"
    if months[0] == start and months[-1] == start + 11:
        if as_of.day == 1:
            return  # the 12 months before the audit date (a month with no sales may have no column)
        after = dt.date(as_of.year, as_of.month, 1)
        raise DataValidationError(path, Problem(
            f"{amount!r} adds up the months {span} of the file's table of clients by {what}, but the audit counts "
            f"the 12 months before {day_text(as_of)}, which begin and end in the middle of a month",
            column=amount, rows=(header_row,)),
            hint=f"Set the audit date to the day after those months in client.yml: as_of: {after.isoformat()}.")
    inside = sum(1 for m in months if start <= m <= start + 11)
    twelve = len(months) == 12 and months[-1] - months[0] == 11
    other = (f"To audit the 12 months the file holds, set the audit date to the day after them in client.yml: "
             f"as_of: {dt.date((months[-1] + 1) // 12, (months[-1] + 1) % 12 + 1, 1).isoformat()}; or export"
             if twelve else "Export")
    raise DataValidationError(path, Problem(
        f"{amount!r} adds up the file's table of clients by {what} ({plural(len(periods), what + ' column')}, {span}), but "
        f"the audit counts the 12 months before {day_text(as_of)} ({window}); {inside} of those are in the file",
        column=amount, rows=(header_row,)),
        hint=f"{other} " + export.format(window=window))
