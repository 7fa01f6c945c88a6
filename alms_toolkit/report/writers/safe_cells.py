"""Make text cells inert in CSV and XLSX files (OWASP "CSV injection").

A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return, which some programs skip before such a character) as a formula, so a
client called ``=HYPERLINK("http://x","y")`` would become a live link in the seller's
workbook. OWASP's advice, followed here: prefix such text with a single quote, so that it
is shown, never evaluated (https://owasp.org/www-community/attacks/CSV_Injection).

Only *text* is touched. Amounts are numbers, written as numbers: ``-2.00`` in a money
column stays ``-2.00`` (a negative number is not a formula). XLSX files are opened with
:data:`WORKBOOK_OPTIONS` so that xlsxwriter never turns a string into a formula, a URL or
a number, and every text cell goes through :func:`safe_text` and ``write_string``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ...atomic import atomic_path
from ...cell_values import is_missing, rows, values

__all__ = [
    "DANGEROUS_PREFIXES",
    "WORKBOOK_OPTIONS",
    "is_dangerous",
    "safe_text",
    "restore_text",
    "safe_frame",
    "write_safe_csv",
]

#: first characters that make a spreadsheet evaluate a cell (OWASP's list)
DANGEROUS_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: xlsxwriter ``Workbook`` options: strings stay strings (no formulas, URLs or numbers)
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return bool(text) and text.startswith(DANGEROUS_PREFIXES)


def _needs_quote(text: str) -> bool:
    # text that is dangerous once its leading quotes are removed: quoting it again keeps
    # safe_text reversible ("'=x" -> "''=x" -> restore_text -> "'=x")
    return is_dangerous(text.lstrip("'"))


def safe_text(value: Any) -> str:
    """Text for a cell: ``str(value)``, prefixed with ``'`` when it could run as a formula.

    ``None`` and missing values (``pd.NA``, NaN) give ``""``. Reversed by :func:`restore_text`.
    """
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    text = str(value)
    return "'" + text if _needs_quote(text) else text


def restore_text(text: str) -> str:
    """The original of a :func:`safe_text` cell (for readers of files this toolkit wrote)."""
    text = "" if text is None else str(text)
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def safe_frame(frame: pd.DataFrame, text_columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` with the named text columns made safe (other columns untouched)."""
    out = frame.copy()
    for col in text_columns:
        out[col] = [safe_text(v) for v in values(out[col])]
    return out


def write_safe_csv(
    frame: pd.DataFrame,
    path: Path | str,
    *,
    text_columns: Sequence[str],
) -> Path:
    """Write ``frame`` as UTF-8 CSV with the text columns made safe.

    Every column must already hold strings (amounts as exact decimal strings, e.g. from
    :func:`alms_toolkit.money.to_str`); only ``text_columns`` are neutralised, so a
    negative amount stays a number. Written to a temporary name, then renamed.
    """
    path = Path(path)
    unknown = [c for c in text_columns if c not in frame.columns]
    if unknown:
        raise KeyError(f"text columns not in the table: {', '.join(unknown)}")
    safe = safe_frame(frame, text_columns)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(list(safe.columns))
        for row in rows(safe):
            writer.writerow(["" if is_missing(v) else str(v) for v in row])
    return path

