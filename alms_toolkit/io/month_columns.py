"""A table of clients by month (a pivot table: ``Row Labels | Oct-23 | Nov-23 | ... | Grand
Total``) has no date column, so it reads as one row per client with a total. That total is the
12-month billing of the audit only when the month columns are the 12 months before the audit
date: a pivot of 15 months, or of another year, would print a wrong figure for every client.
:func:`refuse_other_months` refuses those, naming the months and what to export instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..date_text import day_text
from ..errors import DataValidationError, Problem
from .window import months_before

__all__ = ["month_of_header", "refuse_other_months"]

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

_NAMED = re.compile(r"^(?P<name>[^\W\d_]{3,9})\.?[\s\-/'’]*(?P<year>\d{4}|\d{2})$")
_YEAR_MONTH = re.compile(r"^(?P<year>(?:19|20)\d{2})[\-/.](?P<month>\d{1,2})(?:[\-/.]0?1(?:[ T]00:00(?::00)?)?)?$")
_MONTH_YEAR = re.compile(r"^(?P<month>\d{1,2})[\-/.](?P<year>(?:19|20)\d{2})$")


def month_of_header(header: str) -> tuple[int, int] | None:
    """The (year, month) a column header names as a whole: ``Oct-23``, ``Jan 2024``,
    ``Januar 2024``, ``2024-01``, ``01/2024``, ``2024-01-01`` (a month's first day, as a
    pivot writes a month heading); None for anything else."""
    text = str(header).strip()
    m = _NAMED.match(text)
    if m:
        month = _MONTH_NAMES.get(m["name"].lower())
        year = int(m["year"])
        return None if month is None else (year + 2000 if year < 100 else year, month)
    m = _YEAR_MONTH.match(text) or _MONTH_YEAR.match(text)
    if m and 1 <= int(m["month"]) <= 12:
        return int(m["year"]), int(m["month"])
    return None


def _label(month: tuple[int, int]) -> str:
    return dt.date(month[0], month[1], 1).strftime("%b %Y")


def refuse_other_months(path: Path, headers: Sequence[str], amount: str, header_row: int,
                        as_of: dt.date) -> None:
    """Refuse a table of clients by month whose amount column is not the total of exactly the
    12 months before ``as_of`` (the audit date): it is one month's column, or the total of
    other months or of more or fewer months. Two month columns make such a table; fewer are
    left alone."""
    months: Mapping[str, tuple[int, int]] = {h: m for h in headers if (m := month_of_header(h)) is not None}
    if len(set(months.values())) < 2:
        return
    first_day = months_before(dt.date(as_of.year, as_of.month, 1), 12)
    wanted = [((first_day.month - 1 + i) // 12 + first_day.year, (first_day.month - 1 + i) % 12 + 1) for i in range(12)]
    have = sorted(set(months.values()))
    span = f"{_label(have[0])} to {_label(have[-1])}" if len(have) > 1 else _label(have[0])
    window = f"{_label(wanted[0])} to {_label(wanted[-1])}"
    where = f"the file's table of clients by month ({len(have)} month columns, {span})"
    if amount in months:
        raise DataValidationError(path, Problem(
            f"the amount column {amount!r} is one month's column of {where}, not a 12-month total",
            column=amount, rows=(header_row,)),
            hint=f"Map the column that adds up the 12 months before the audit date ({window}) as the amount "
                 "(billing.columns.amount: <its header>), or export the ledger as one row per invoice with its date.")
    if have == wanted:
        return
    inside = [h for h, m in months.items() if m in wanted]
    if len(have) == 12 and have[-1] == (have[0][0] + (have[0][1] + 10) // 12, (have[0][1] + 10) % 12 + 1):
        last_day = dt.date(have[-1][0] + have[-1][1] // 12, have[-1][1] % 12 + 1, 1)
        other = (f"To audit the 12 months the file holds, set the audit date to the day after them in client.yml: "
                 f"as_of: {last_day.isoformat()}; or export")
    else:
        other = "Export"
    raise DataValidationError(path, Problem(
        f"{amount!r} adds up the months of {where}, but the audit counts the 12 months before "
        f"{day_text(as_of)} ({window}); {len(inside)} of those are in the file",
        column=amount, rows=(header_row,)),
        hint=f"{other} the report for {window} (a column for each of those months and their total), "
             "or the ledger as one row per invoice with its date, and run again.")
