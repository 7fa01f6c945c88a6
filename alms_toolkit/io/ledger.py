"""Load a client's billing ledger exactly: read, map columns, parse, validate, window,
and reconcile every row (see docs/ARCHITECTURE.md, "The loaded ledger")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import BillingSource, ClientConfig
from ..count_words import agree, plural
from ..errors import ColumnError, ConfigError, DataValidationError, Problem
from ..money import format_money, total
from ..setting_values import parse_date_argument
from . import read_ahead
from .aggregates import Aggregates, RowKeys, find_aggregates, label_key
from .amounts import ParsedAmounts, parse_amounts
from .book_sides import refuse_unsigned_sides
from .cells import (
    TextColumn,
    cell_text,
    combined,
    distinct_texts,
    first_cells,
    n_distinct,
    raw_texts,
    raw_texts_coded,
    spellings_read,
    text_codes_of,
    text_column,
)
from .column_choice import (
    TAX_NAMES,
    ColumnChoice,
    _tier,
    choose_columns,
    profile_column,
    repeats_per_invoice,
)
from .columns import find_header, normalise_header
from .dates import (
    DateOrder,
    date_texts,
    infer_date_order,
    parse_dates,
    reads_as_a_day,
    swapped_by_excel,
)
from .factorized import Factorized, FrameCodes, factorize, rows_of
from .layout import (
    Sections,
    continuation_lines,
    fill_down,
    fill_merged,
    find_sections,
    grouped_runs,
    names_no_client,
    trailing_notes,
)
from .ledger_headers import (
    _INVOICE_KEYS,
    CREDIT_COLUMN,
    DEBIT_COLUMN,
    REFUND_COLUMN,
    STATUS_FLAG_COLUMN,
    raw_ledger,
)
from .month_columns import refuse_other_months
from .number_format import AmbiguousNumbers, MixedNumbers, NumberFormat, infer_number_format
from .pivot_subtotals import pivot_blank, pivot_subtotals, refuse_doubled_by_subtotals
from .readers import DELIMITER_NAMES, RawTable
from .reading import Reading
from .reconciliation import REASONS, ExcludedRows, Reconciliation
from .refusals import (
    date_refusal,
    first_rows,
    hint_amounts,
    hint_dates,
    no_client_problem,
    number_refusal,
    number_setting_hint,
    number_setting_problem,
    swapped_dates_refusal,
)
from .statuses import (
    CURRENCY_NAMES,
    OWN_CURRENCY_AMOUNT,
    STATUS_NAMES,
    TYPE_NAMES,
    looks_like_stages,
    may_carry_currency,
    mixed_currencies,
    not_billing_statuses,
    positive_credits,
)
from .window import Window, twelve_month_window

__all__ = ["LoadedLedger", "load_ledger", "ledger_dates", "LEDGER_COLUMNS"]

#: columns of ``LoadedLedger.ledger`` and ``.earlier``, in order
LEDGER_COLUMNS = ("source_row", "date", "client", "client_id", "seller", "amount")
_FIRST_ROWS = 5
_FATAL_SHARE = 0.5
#: None as an array: the "elsewhere" of np.where for cells left blank (an object result)
_NO_CELL = np.array(None, dtype=object)


@dataclass(frozen=True)
class LoadedLedger:
    """The used rows (``ledger``), the valid rows before the window (``earlier``), the
    ``window`` (None for a totals ledger), the ``reconciliation``, the ``config``, and the
    window's zero-amount rows (``zero_rows``)."""

    ledger: pd.DataFrame
    earlier: pd.DataFrame
    window: Window | None
    reconciliation: Reconciliation
    config: ClientConfig
    #: window rows excluded only because their amount is exactly 0 (same columns): their
    #: clients are listed as non-spending (ALMS: "listed but not counted"), never lost
    zero_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEDGER_COLUMNS))
    #: how the file was understood (sheet, columns, number format, date order, layout)
    reading: Reading | None = None

    @property
    def is_totals(self) -> bool:
        """One row per client with a 12-month total (no date column): window skipped."""
        return self.window is None

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """:func:`ledger_dates` of this ledger's frames."""
        return ledger_dates(self.earlier, self.ledger, self.zero_rows)

    @cached_property
    def _factorized(self) -> dict[tuple[str, str], Factorized]:
        return {}

    def factorized(self, frame: str, column: str) -> Factorized:
        """:func:`.factorized.factorize` of a column of ``ledger``, ``earlier`` or
        ``zero_rows``, computed once per loaded ledger (its frames are never changed)."""
        got = self._factorized.get((frame, column))
        if got is None:
            given = self._given.pop((frame, column), None)
            got = rows_of(*given) if given is not None else None
            if got is None:
                got = factorize(getattr(self, frame)[column])
            self._factorized[(frame, column)] = got
        return got

    @cached_property
    def _given(self) -> dict[tuple[str, str], tuple[Factorized, np.ndarray]]:
        return {}

    def seed(self, frame: str, column: str, codes: Factorized, rows: np.ndarray) -> None:
        """Give :meth:`factorized` of a frame's column as the reader coded the whole column
        (``codes``, for every row read; ``rows``: the frame's rows among them), worked out when
        first asked for (after the reading's own arrays are gone)."""
        self._given[(frame, column)] = (codes, rows)

    def frame_codes(self, frame: str) -> FrameCodes:
        """The ``client`` and ``client_id`` columns of ``ledger``, ``earlier`` or ``zero_rows``
        factorized (:meth:`factorized`)."""
        has_id = "client_id" in getattr(self, frame).columns
        return FrameCodes(self.factorized(frame, "client"), self.factorized(frame, "client_id") if has_id else None)


# --------------------------------------------------------------------------- text cells


# --------------------------------------------------------------------------- helpers




def _examples(cells: pa.ChunkedArray | np.ndarray, mask: np.ndarray, n: int = _FIRST_ROWS) -> tuple[str, ...]:
    idx = np.flatnonzero(mask)
    seen: list[str] = []
    for i in idx[:200]:
        v = cells[int(i)]
        v = v.as_py() if isinstance(v, pa.Scalar) else v
        text = cell_text(v) or ""
        if text not in seen:
            seen.append(text)
        if len(seen) >= n:
            break
    return tuple(seen)


def _read_with_other_mark(cells: pa.ChunkedArray | np.ndarray, bad: np.ndarray, fmt: NumberFormat) -> np.ndarray:
    """The rows of ``bad`` (amounts not read with ``fmt``) whose amount reads as a number with
    the other decimal mark."""
    out = np.zeros(len(bad), dtype=bool)
    at = np.flatnonzero(bad)
    if not len(at):
        return out
    rows = cells.take(pa.array(at)) if isinstance(cells, (pa.ChunkedArray, pa.Array)) else cells[at]
    out[at] = parse_amounts(rows, decimal="," if fmt.decimal == "." else ".").ok
    return out


# --------------------------------------------------------------------------- columns as text


def _seed_of(col: TextColumn) -> Factorized | None:
    """A text column's codes and distinct texts as :func:`.factorized.factorize` would give
    them for its rows' texts, when no two of its distinct texts are the same once trimmed
    (else None). A blank text is never a row's code; it is kept as "" to keep the positions."""
    u = col.uniques
    blank = np.fromiter((x is None for x in u), dtype=bool, count=len(u))
    texts = u[~blank]
    if len(set(texts.tolist())) != len(texts):
        return None
    filled = u.copy()
    filled[blank] = ""
    return Factorized(col.codes, filled)


# --------------------------------------------------------------------------- sheets


# --------------------------------------------------------------------------- loading


def ledger_dates(earlier: pd.DataFrame, used: pd.DataFrame,
                 zero_rows: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """The ledger's first date (any row kept: before the window, used, or of 0) and its last
    date in the window (the used rows and the rows of 0: a row of 0 dated 27 June shows that
    the export covers 27 June); None without dates."""
    def ends(frames: tuple[pd.DataFrame, ...], which: str) -> list[pd.Timestamp]:
        # min and max skip the rows without a date (NaT when a frame has none)
        found = [getattr(f["date"], which)() for f in frames if len(f) and "date" in f.columns]
        return [d for d in found if not pd.isna(d)]

    firsts = ends((earlier, used, zero_rows), "min")
    lasts = ends((used, zero_rows), "max")
    return (pd.Timestamp(min(firsts)).date() if firsts else None,
            pd.Timestamp(max(lasts)).date() if lasts else None)


def load_ledger(config: ClientConfig, as_of: dt.date | str | None = None, *,
                spellings: Callable[[list[str]], None] | None = None) -> LoadedLedger:
    """Read ``config.billing`` and return the used rows, the earlier rows, the window, the
    reconciliation and the reading. ``as_of`` (the argument) wins over client.yml's
    ``as_of``, which wins over the ledger's last date + 1 day. ``spellings(texts)``: told the
    client column's distinct texts as soon as they are read, before the rows are sorted out
    (the rows left out may hold some of them), when the column was read as one dictionary.

    Raises MissingFileError, FileReadError, ColumnError, DataValidationError (every problem
    of the file in one message) or ConfigError (a bad ``as_of``).
    """
    as_of_arg = parse_date_argument(as_of, "as_of")
    extra: list[str] = []
    for _ in range(2):
        ahead = None if extra else read_ahead.take(config)  # read while the command imported the toolkit
        raw = ahead if ahead is not None else raw_ledger(config, extra)
        try:
            return _build(raw, config, as_of_arg, spellings)
        except _Unread as more:  # a column chosen by its content: read it too
            extra = more.headers
    raise AssertionError("unreachable: the second read holds every chosen column")


_TAX_KEYS = frozenset(normalise_header(n) for n in TAX_NAMES if n not in ("Freight", "Shipping", "Shipping Amount", "Handling"))
#: a column of tax by its name's words ('Total Tax', 'Tax Signed', 'VAT (20%)'), not a net amount
#: named after the tax it leaves out ('Amount Excl Tax', 'Untaxed Amount')
_TAX_WORD = re.compile(r"\b(?:tax(?:es)?|vat|gst|hst|mwst|tva|iva)\b", re.I)
_NET_OF_TAX = re.compile(r"\b(?:excl?(?:uding)?|before|pre|without|net of)\b[^a-z]*(?:tax|vat|gst)|untaxed|pre-?tax", re.I)
#: a column with the tax in ('Inc-Tax Total', 'Amount Incl VAT'): beside it, the amount is the net one
_GROSS_OF_TAX = re.compile(r"\binc(?:l(?:uding)?)?\.?[- ]?(?:tax|vat|gst)|\b(?:tax|vat|gst)[- ]?incl?", re.I)
#: a tax column that holds no money: a code, a rate, a type
_TAX_NOT_MONEY = re.compile(r"\b(?:code|rate|percent|id|type|exempt)\b|%", re.I)
#: an amount header that says its unit is thousands or millions: Revenue (000), Sales in k
_IN_THOUSANDS = re.compile(r"\b0{3}\b|'000|\bthousands?\b|\bin k\b|\(k\)|\btsd\b|tausend|milliers|\bmiles\b|"
                           r"\bmillions?\b|\bmio\b|\bmn\b|\bmm\b", re.I)


class _Unread(Exception):
    """A column the reading chose was not read in full (chosen by its content)."""

    def __init__(self, headers: list[str]) -> None:
        super().__init__(", ".join(headers))
        self.headers = headers


def _lines_not_subtotals(agg: Aggregates, src: np.ndarray, client_blank: np.ndarray, fills: list[str]) -> Aggregates:
    """billing.fill_down names date: a line without a date continues the line above, so an
    unlabelled, undated line equal to the one line above it, with its client (filled down),
    is a second line of the same amount, not that line's subtotal (a report or merged cells
    write the rest blank). Not in a file whose unlabelled totals also add up several rows:
    it writes subtotals, a one-line group's too."""
    unlabelled = [a for a in agg.rows if a.label == "" and "sum" in a.adds_up]
    if any(a.n_rows > 1 for a in unlabelled):
        return agg
    lines = [a for a in unlabelled if a.n_rows == 1 and not client_blank[np.searchsorted(src, a.row)]]
    if not lines:
        return agg
    mask = agg.mask.copy()
    mask[np.searchsorted(src, [a.row for a in lines])] = False
    n = len(lines)
    fills.append(f"{plural(n, 'line')} without a label or a date, equal to the one line above, "
                 f"{agree(n, 'is', 'are')} read as {agree(n, 'a line', 'lines')} of the same invoice, not as "
                 "its subtotal (billing.fill_down names date)")
    return dataclasses.replace(agg, mask=mask, rows=tuple(a for a in agg.rows if a not in lines))


def _dates_from_above(lines: np.ndarray, day: np.ndarray, date_ok: np.ndarray, date_blank: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """billing.fill_down: [date]: each line (``lines``) with a blank date takes the date of the
    line above it (:func:`~.layout.fill_down` over the lines; a cell above that is not a date
    gives none). New arrays, and how many were filled."""
    filled, _, _ = fill_down(day, date_blank | ~lines, lines & date_blank)
    take = lines & date_blank & ~np.isnat(filled)
    day, date_ok, date_blank = np.where(take, filled, day), date_ok | take, date_blank & ~take
    return day, date_ok, date_blank, int(take.sum())


#: a column of exchange rates ('Exchange rate', 'FX Rate', 'Currency Rate', 'Rate to EUR')
_RATE_COLUMN = re.compile(r"^\s*(?:exchange|fx|currency|conversion|xrate)\b.*\brate\b|^\s*rate\s+to\s+[a-z]{3}\s*$|"
                          r"^\s*(?:exchange|fx)\s*rate\b", re.I)
_NUMBER_ONLY = re.compile(r"^[\s\d,.'()$€£¥₹+\-−]*\d[\s\d,.'()$€£¥₹+\-−]*$")
#: the column of client names taken out of labelled heading rows (:func:`_labelled_headings`)
LABELLED_NAMES = "Name (A/C heading rows)"
#: a cell of a labelled heading row, as Sage 50's customer reports write one: 'A/C: CONTCARE',
#: 'Name: Continued Care Ltd', 'Contact:', 'Tel: 01632 960'
_ACCOUNT_CELL = re.compile(r"^\s*a/c\s*:\s*\S", re.I)
_NAME_CELL = re.compile(r"^\s*(?:name|customer name|account name)\s*:\s*(?P<name>\S.*?)\s*$", re.I)


def _labelled_headings(cells: Mapping[str, pa.ChunkedArray | pa.Array | np.ndarray], read: Sequence[str],
                       ) -> tuple[dict[str, pa.ChunkedArray | pa.Array | np.ndarray], int] | None:
    """Rows that name a customer in labelled cells ('A/C: CODE', 'Name: X', 'Contact:', ...;
    Sage 50's Customer Activity report): their name in a column of its own
    (:data:`LABELLED_NAMES`, blank on every other row) and their other cells blank, so that
    the section reader takes them for headings. None when fewer than two rows are written so
    (a note above the table heads nothing), or when one of them does not name its customer
    once (then none is read as a heading: the file is refused as one without a client)."""
    # Sage writes 'A/C:' in the first column, its first customer right under the header
    hit = [h for h in read[:1] if any(isinstance(t, str) and _ACCOUNT_CELL.match(t) for t in first_cells(cells[h], 200))]
    if not hit:
        return None
    texts = {h: raw_texts(cells[h]) for h in read}
    account = np.zeros(len(texts[read[0]]), dtype=bool)
    for h in hit:
        account |= np.array([t is not None and bool(_ACCOUNT_CELL.match(t)) for t in texts[h]], dtype=bool)
    names: dict[int, str] = {}
    for i in np.flatnonzero(account).tolist():
        row = [str(texts[h][i]) for h in read if texts[h][i] is not None and str(texts[h][i]).strip()]
        found = [m.group("name") for t in row if (m := _NAME_CELL.match(t))]
        if len(found) != 1:
            return None  # a row written 'A/C:' without one name: not read as headings at all
        names[i] = found[0]
    if len(names) < 2:
        return None  # one such row (a note above the table) heads nothing
    at = np.fromiter(names, dtype=np.int64)
    out: dict[str, pa.ChunkedArray | pa.Array | np.ndarray] = dict(cells)
    for h in read:
        if any(texts[h][i] is not None for i in at.tolist()):
            column = texts[h].copy()
            column[at] = None
            out[h] = column
    label = np.full(len(texts[read[0]]), None, dtype=object)
    label[at] = [names[i] for i in at.tolist()]
    out[LABELLED_NAMES] = label
    return out, len(names)


def _billed_values(config: ClientConfig, path: Path, headers: Sequence[str],
                   excluded_as: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """billing.billed by the file's headers: the values billing in this file, whatever they read
    like. A value billing.exclude also names for that column is refused (it is one or the other)."""
    b = config.billing
    billed = {header: {t.strip() for t in b.billed[col]}
              for col, header in _named_headers(b.billed, headers, path, "billing.billed").items()}
    both = [(h, t) for h, values in billed.items() for t in sorted(values) if t in excluded_as.get(h, ())]
    if both:
        raise ConfigError(config.path, "billing.billed and billing.exclude both name " + ", ".join(
            f"{t!r} of column {h!r}" for h, t in both) + ": a value is billing or left out, not both; "
            "take it out of one of the two lists")
    return billed


def _median_count(counts: np.ndarray) -> int:
    """``int(np.median(counts))`` of small non-negative integers (cells filled per row), from
    their histogram: one pass, no sort."""
    cumulative = np.cumsum(np.bincount(counts))
    n = len(counts)
    low, high = np.searchsorted(cumulative, [(n - 1) // 2, n // 2], side="right")
    return (int(low) + int(high)) // 2


def _refuse_continuations(path: Path, lines: np.ndarray, client_blank: np.ndarray, date_blank: np.ndarray,
                          invoice: tuple[str, TextColumn] | None, others: Mapping[str, np.ndarray], micros: np.ndarray,
                          src: np.ndarray, fill_fields: Sequence[str], unnamed: np.ndarray) -> None:
    """Refuse lines with an amount whose client or date is blank because they continue the line
    above (:func:`~.layout.continuation_lines`): left out, their money would be lost; the
    consultant says a blank means 'as above' (billing.fill_down), naming the fields blank on
    them (client, date, seller, client id) beside those it names already. ``unnamed``: the
    lines whose client and date are blank as the file writes them."""
    if not (lines & (client_blank | date_blank)).any():
        return  # no line without its client or date (the invoice numbers are not even looked at)
    inv = invoice[1].codes if invoice is not None else None
    blank_id = np.ones(len(lines), dtype=bool) if inv is None else inv < 0
    nothing_else = unnamed & blank_id
    if inv is not None:
        # a file that writes an invoice's number, client and date on each of its lines (two
        # lines in a row of one invoice) writes no continuation lines: a line with nothing but
        # an amount is something else there (an invoice's gross total, a note)
        named_inv = inv[lines & ~unnamed & ~blank_id]
        if len(named_inv) > 1 and (named_inv[1:] == named_inv[:-1]).any():
            nothing_else = np.zeros(len(lines), dtype=bool)
    cont = (continuation_lines(lines, client_blank, inv, nothing_else)
            | continuation_lines(lines, date_blank, inv, nothing_else))
    runs = int((cont & ~np.concatenate([[False], cont[:-1]])).sum())
    if runs < 2:
        return
    n = int(cont.sum())
    blank_fields = [f for f, b in (("client", client_blank), ("date", date_blank), *others.items())
                    if int((b & cont).sum()) * 2 >= n]
    named = [f for f in blank_fields if f in ("client", "date")]
    said = " and ".join(f"no {f}" for f in named)
    which = f" and the same invoice number ({invoice[0]!r})" if (
        invoice is not None and int((cont & ~blank_id).sum()) * 2 >= n) else ""
    raise DataValidationError(path, Problem(
        f"{plural(n, 'line')} with an amount ({format_money(total(pd.Series(micros[cont])))}) "
        f"{agree(n, 'has', 'have')} {said}, each below a line that has {agree(len(named), 'it', 'them')}"
        f"{which}: the file writes an invoice's {' and '.join(named)} on "
        "its first line only (a report that leaves repeats blank, or merged cells saved as CSV), so these lines "
        "would be left out", rows=first_rows(src, cont), n_rows=n, reason="continuation_lines"),
        hint=f"If a blank means 'as the line above', say so in client.yml: billing.fill_down: "
             f"[{', '.join(dict.fromkeys([*fill_fields, *blank_fields]))}]. "
             f"If those lines are not billing, delete them from the file (or fill in their {' and '.join(named)}).")


def _named_headers(mapping: Mapping[str, object], headers: Sequence[str], path: Path, key: str) -> dict[str, str]:
    """client.yml column names (billing.exclude, billing.credits) -> the file's headers."""
    found: dict[str, str] = {}
    problems = []
    for col in mapping:
        hit = find_header(headers, col)
        if hit is None:
            shown = ", ".join(repr(h) for h in headers)
            problems.append(Problem(f"{key} names column {col!r}, which is not in the file (headers found: {shown})", column=col))
        else:
            found[col] = hit
    if problems:
        raise ColumnError(path, problems)
    return found


def _build(raw: RawTable, config: ClientConfig, as_of_arg: dt.date | None,
           spellings: Callable[[list[str]], None] | None = None) -> LoadedLedger:
    b = config.billing
    path = raw.path
    src = raw.source_row
    n_all = raw.n_rows
    headers = list(raw.headers)
    cells: dict[str, pa.ChunkedArray | pa.Array | np.ndarray] = dict(raw.columns)
    notes: list[str] = list(raw.notes)
    fills: list[str] = []
    not_totals = tuple(b.not_totals)
    fill_fields = tuple(b.fill_down)
    twelve = b.twelve_month_totals
    hidden_setting = b.hidden_rows
    layout_info = raw.layout

    # --- workbook layout: merged cells are one value; formulas need saved values
    if layout_info is not None and layout_info.merges and n_all:
        for h in list(cells):
            pos = raw.positions.get(h)
            if pos is None or not isinstance(cells[h], np.ndarray):
                continue
            new, k = fill_merged(cells[h], pos + 1, int(src[0]), layout_info.merges)
            if k:
                cells[h] = new
                fills.append(f"{k:,} cells of {h!r} from vertically merged cells (a merged cell is one value)")

    excl = _named_headers(b.exclude, headers, path, "billing.exclude")
    sample = {h: first_cells(cells[h]) if h in cells else list(raw.head.get(h, ()))[:5000] for h in headers}
    totals_cache: dict[str, str] = {}

    def totals_of(header: str) -> str:
        if header not in totals_cache:
            got = parse_amounts(cells[header] if header in cells else sample[header], decimal=".")
            where = "over all rows" if header in cells else "over the file's first rows"
            totals_cache[header] = f"adds up to {format_money(total(pd.Series(got.micros[got.ok])))} {where}"
        return totals_cache[header]

    choices = choose_columns(headers, sample, b.columns, path=path, totals_of=totals_of)
    fields = {f: c.header for f, c in choices.items() if c.header is not None}
    unread = [h for h in fields.values() if h not in cells]
    if unread:
        raise _Unread(unread)
    for h in set(fields.values()):  # a field's column read in blocks: one dictionary (read once per pass)
        cells[h] = combined(cells[h])
    if "client" in fields and "client_id" in fields and choices["client"].how != "client.yml":
        wandering = _names_per_id(sample[fields["client_id"]], sample[fields["client"]])
        if wandering is not None:
            cid, names = wandering
            raise ColumnError(path, Problem(
                f"column {fields['client']!r} changes within one client id ({fields['client_id']!r} {cid!r}: "
                f"{', '.join(repr(n) for n in names[:3])}): it does not name the client (a product or a contact?)"),
                hint=f"Map the client's name in client.yml (billing.columns.client: <header>), or take the id as "
                     f"the client: billing.columns.client: {fields['client_id']!r}.")
    stages = {h for h in headers if h not in fields.values() and looks_like_stages(sample[h])}
    if stages - set(cells):
        raise _Unread(sorted(stages - set(cells)))
    invoice = next((h for h in headers if normalise_header(h) in _INVOICE_KEYS), None)
    if invoice is not None and "amount" in fields and repeats_per_invoice(sample[invoice], sample[fields["amount"]]):
        amount_h = fields["amount"]
        raise ColumnError(path, Problem(
            f"the amount column {amount_h!r} holds the same value on every line of an invoice ({invoice!r}): it is "
            "the invoice's total, repeated, so adding it up would count each invoice once per line"),
            hint="Map the line amount in client.yml (billing.columns.amount: <the line amount's header>). If the "
                 "file has no line amount, export one row per invoice instead.")
    if "amount" not in fields:
        # one header holding the others, split by another mark: the separator set is not the file's
        its_mark = next((d for d in DELIMITER_NAMES if len(headers) == 1 and headers[0].count(d) >= 2), None)
        if its_mark is not None and b.delimiter is not None:
            mark_name = DELIMITER_NAMES[its_mark]
            raise ColumnError(path, Problem(
                f"the file is read as one column ({headers[0]!r}): its fields are separated by {mark_name}s, "
                f"but billing.delimiter in client.yml says {b.delimiter!r}"),
                hint=f"Remove billing.delimiter from client.yml (the separator is found by itself), or set it to "
                     f"{mark_name}.")
        numeric = [h for h in headers if profile_column(h, sample[h]).amount_share >= 0.8]
        shown = ", ".join(repr(h) for h in headers)
        cand = "; ".join(f"{h!r} ({totals_of(h)})" for h in numeric[:5])
        debit_col = next((h for h in numeric if DEBIT_COLUMN.match(h)), None)
        credit_col = next((h for h in numeric if CREDIT_COLUMN.match(h)), None)
        pair = (f". The file writes debits and credits in two columns: read both, billing.columns: "
                f"{{amount: {debit_col!r}, credit: {credit_col!r}}}" if debit_col and credit_col else "")
        missing = [Problem(
            f"no column for the amount (headers found: {shown}); name it in client.yml under billing.columns "
            "(amount: <header>)" + (f". Columns holding numbers: {cand}" if cand else
                                   ", or use a recognised header such as Amount, Net Amount, Sales, Subtotal") + pair)]
        if "client" not in fields and "client_id" not in fields:
            missing.append(no_client_problem(headers))
        if raw.kind == "xlsx" and b.sheet is None and raw.sheet_reason and "other sheets were not read" in raw.sheet_reason:
            # the sheet taken may not be the ledger (a summary placed first): name the others
            missing.append(Problem(
                f"sheet {raw.sheet!r} was read: {raw.sheet_reason}. If another sheet holds the ledger, name it in "
                "client.yml: billing.sheet: <its name>"))
        raise ColumnError(path, missing)

    read = [h for h in headers if h in cells]
    labelled = _labelled_headings(cells, read) if "client" not in fields else None
    if labelled is not None:
        # the names taken out of the labelled heading rows, as a column of their own
        cells, n_labelled = labelled
        read.append(LABELLED_NAMES)
        notes.append(f"{plural(n_labelled, 'row')} written 'A/C: <code> ... Name: <name>' (Sage's customer headings): "
                     "each names the client of the lines below it")
    if spellings is not None and "client" in fields and labelled is None:
        names_read = spellings_read(cells[fields["client"]])
        if names_read is not None:
            spellings(names_read)
    cols = {h: text_column(cells[h]) for h in read}
    filtered = np.zeros(n_all, dtype=bool)  # billing.exclude
    for col_name, header in excl.items():
        values = {v.strip() for v in b.exclude[col_name]}
        filtered |= np.isin(cols[header].texts(), np.asarray(sorted(values), dtype=object))
    blank_row = np.ones(n_all, dtype=bool)
    n_filled = np.zeros(n_all, dtype=np.int64)
    for h in read:
        bl = cols[h].blank
        blank_row &= bl
        n_filled += ~bl

    # --- formulas saved without values (a workbook written by a program)
    if layout_info is not None and (layout_info.formulas_without_values or layout_info.recalc_on_open):
        unknown = set(layout_info.formulas_without_values)
        if layout_info.recalc_on_open:
            unknown |= set(layout_info.formula_cells)
        wanted = {raw.positions[fields[f]] + 1: fields[f] for f in ("amount", "date", "client") if f in fields}
        hits = [(r, wanted[c]) for r, c in unknown if c in wanted and r > raw.header_row]
        if hits:
            rows = tuple(sorted({r for r, _ in hits}))
            which = ", ".join(sorted({repr(h) for _, h in hits}))
            why = ("the workbook was written by a program and asks Excel to calculate it when opened, so the "
                   "values saved with it are placeholders" if layout_info.recalc_on_open else
                   "the workbook was written by a program and never calculated in Excel, so no value was saved")
            raise DataValidationError(path, Problem(
                f"{len(hits):,} cells of column {which} hold formulas whose results are unknown ({why})",
                rows=rows[:_FIRST_ROWS], n_rows=len(rows)),
                hint="Open the file in Excel or LibreOffice and save it (that stores each formula's value), "
                     "or export the ledger as CSV, then run again.")

    # --- amounts: one number format for the whole column
    amt_col = cells[fields["amount"]]
    amount_texts = distinct_texts(amt_col)
    fmt = infer_number_format(amount_texts, decimal=b.decimal, thousands=b.thousands)
    if isinstance(fmt, (AmbiguousNumbers, MixedNumbers)):
        raise number_refusal(path, fields["amount"], fmt, raw, cols, fields, src)
    amounts = parse_amounts(amt_col, decimal=fmt.decimal, thousands=fmt.thousands)
    if "credit" in fields:  # debits and credits in two columns: each line's amount is the one less the other
        amounts = _less_credits(amounts, parse_amounts(cells[fields["credit"]], decimal=fmt.decimal,
                                                       thousands=fmt.thousands))
        fills.append(f"each line's amount is {fields['amount']!r} less {fields['credit']!r} (billing.columns.credit)")
    else:
        _refuse_unread_credits(path, headers, fields, sample)
        _refuse_unread_refunds(path, headers, fields, cols, sample, fmt, amounts, ~filtered)
    if fmt.source == "default" and not len(amount_texts) and amounts.ok.any():
        # a workbook's number cells: nothing to read, whatever their decimals
        fmt = dataclasses.replace(fmt, evidence="the amounts are spreadsheet number cells (no decimal mark to read)")
    unit = b.amount_unit
    if unit == 1 and _IN_THOUSANDS.search(fields["amount"]):
        raise ColumnError(path, Problem(
            f"the amount column's name {fields['amount']!r} says its amounts are in thousands (or millions), "
            "so reading them as currency units would print figures 1,000 times too small"),
            hint="Say what one amount stands for in client.yml: billing.amount_unit: 1000 (thousands) or "
                 "1000000 (millions); if the amounts are in currency units after all, billing.amount_unit: 1.")
    if unit != 1:
        amounts = dataclasses.replace(amounts, micros=amounts.micros * unit)
        fills.append(f"amounts multiplied by {unit:,} (billing.amount_unit)")
    choice = choices.get("amount")
    taxes = [h for h in headers if h != fields["amount"] and (normalise_header(h) in _TAX_KEYS or (
        _TAX_WORD.search(h) and not _NET_OF_TAX.search(h) and not _GROSS_OF_TAX.search(h)
        and not _TAX_NOT_MONEY.search(h) and _holds_money(sample[h])))]
    if any(_GROSS_OF_TAX.search(h) and _holds_money(sample[h]) for h in headers if h != fields["amount"]):
        taxes = []  # the file has a column of amounts with the tax in: the amount chosen is not that one
    if choice is not None and choice.how == "header name" and _tier("amount", fields["amount"]) == 1 and taxes:
        raise ColumnError(path, Problem(
            f"the amount column {fields['amount']!r} is a gross total ({', '.join(repr(t) for t in taxes)} beside "
            "it) and the file has no net amount: the audit ranks clients on billing net of tax"),
            hint=f"Map the net amount in client.yml (billing.columns.amount: <header>), or, to audit the gross "
                 f"amounts knowingly, map this one: billing.columns.amount: {fields['amount']!r}.")

    # --- dates: one order for the whole column
    dated = "date" in fields and not twelve
    order: DateOrder | None = None
    if dated:
        date_col = cells[fields["date"]]
        if not b.date_format:
            order = infer_date_order(date_texts(date_col))
            if order.ambiguous or order.mixed:
                raise date_refusal(path, fields["date"], order, cols[fields["date"]], src)
            swapped = swapped_by_excel(date_col, order)
            if swapped is not None:
                raise swapped_dates_refusal(path, fields["date"], date_texts(date_col), swapped, src)
        dates = parse_dates(date_col, b.date_format, day_first=bool(order and order.day_first))
        date_blank, date_ok, day = dates.blank, dates.ok, dates.values
        period = dates.period if dates.period is not None else np.zeros(n_all, dtype=bool)
    else:
        date_blank = np.ones(n_all, dtype=bool)
        date_ok = np.zeros(n_all, dtype=bool)
        period = np.zeros(n_all, dtype=bool)
        day = np.full(n_all, np.datetime64("NaT"), dtype="datetime64[ns]")

    # --- layout: notes after the data, repeated headers, hidden rows
    data_like = (amounts.ok | date_ok) & ~blank_row
    notes_mask = trailing_notes(data_like, blank_row)
    rep = np.zeros(n_all, dtype=bool)
    named_headers = [h for h in read if not h.startswith("Column ")]
    if len(named_headers) >= 2:
        rep = np.ones(n_all, dtype=bool)
        for h in named_headers:
            rep &= cols[h].rows_equal(h)
    notes_mask |= rep

    hidden_mask = np.zeros(n_all, dtype=bool)
    hidden_note = None
    if layout_info is not None and layout_info.hidden_rows and n_all:
        first = int(src[0])
        idx = np.array(sorted(r - first for r in layout_info.hidden_rows if 0 <= r - first < n_all), dtype=np.int64)
        hid = np.zeros(n_all, dtype=bool)
        hid[idx] = True
        hid &= ~blank_row
        outline = np.zeros(n_all, dtype=bool)
        o_idx = np.array(sorted(r - first for r in layout_info.outline_rows if 0 <= r - first < n_all), dtype=np.int64)
        outline[o_idx] = True
        by_outline = hid & outline
        other = hid & ~outline
        if by_outline.any():
            n_outline = int(by_outline.sum())
            hidden_note = (f"{plural(n_outline, 'row')} hidden by the sheet's outline (grouped "
                           f"detail rows) {agree(n_outline, 'is', 'are')} read like the others")
        if other.any():
            how = "on a sheet with a filter on (by the filter, or by hand)" if layout_info.filtered else "by hand"
            if hidden_setting is None:
                raise DataValidationError(path, Problem(
                    f"{int(other.sum()):,} {agree(other.sum(), 'row', 'rows')} of sheet {raw.sheet!r} "
                    f"{agree(other.sum(), 'is', 'are')} hidden ({how}); the toolkit cannot tell "
                    f"whether {agree(other.sum(), 'it belongs', 'they belong')} to the ledger",
                    rows=first_rows(src, other), n_rows=int(other.sum())),
                    hint="Say it in client.yml: billing.hidden_rows: include (read them like the others) or "
                         "billing.hidden_rows: exclude (leave them out; they are counted in the reconciliation).")
            text = f"{int(other.sum()):,} {agree(other.sum(), 'row', 'rows')} hidden {how}: " + (
                "read like the others (billing.hidden_rows: include)" if hidden_setting == "include"
                else "left out (billing.hidden_rows: exclude)")
            hidden_note = f"{hidden_note}; {text}" if hidden_note else text
            if hidden_setting == "exclude":
                hidden_mask = other
    if layout_info is not None and layout_info.hidden_columns:
        names = [h for h in headers if raw.positions.get(h, -1) + 1 in layout_info.hidden_columns]
        if names:
            notes.append("Hidden columns (read like the others): " + ", ".join(repr(h) for h in names))
    if layout_info is not None and layout_info.unknown:
        notes.append(f"The sheet's merged cells and hidden rows could not be checked: {layout_info.unknown}")

    # --- the client: a column, or section headings, with fill-down where the layout says so
    sellers: frozenset[str] = frozenset()
    if "seller" in fields:
        sellers = frozenset(t for t in cols[fields["seller"]].uniques if t)
    sections = None
    label_columns = [fields["client"]] if "client" in fields else []
    if LABELLED_NAMES in cols:
        label_columns.append(LABELLED_NAMES)
    lines_named = (amounts.ok & ~cols[fields["client"]].blank).sum() if "client" in fields else 0
    if lines_named < 0.5 * max(int(amounts.ok.sum()), 1):
        # the client column (if any) leaves most lines blank: headings elsewhere may name them;
        # where it names its lines, headings in other columns are groups (product, rep, region)
        label_columns += [h for h in read if raw.positions.get(h) == 0 or h.startswith("Column ")]
    told = None  # billing.client_headings: the column the consultant says names the clients in headings
    if b.client_headings is not None:
        told = next(iter(_named_headers({b.client_headings: ()}, headers, path, "billing.client_headings").values()))
        label_columns = [told]

    def headings_in(h: str) -> tuple[Sections | None, np.ndarray]:
        """Section headings in column ``h`` and the rows whose cell there is no heading's
        label. In the date column (only where the consultant says so) the labels are its
        cells that are not dates: Xero's Receivable Invoice Detail writes each contact there."""
        label_blank, row_undated = ((date_blank | date_ok), date_blank | ~date_ok) if h == fields.get("date") else (
            cols[h].blank, date_blank)
        if not (amounts.missing & row_undated & (n_filled == 1) & ~label_blank).any():
            return None, label_blank  # no row holds only a label in this column: no headings
        return find_sections(
            labels=cols[h].texts(), label_blank=label_blank, n_filled=n_filled,
            amount_ok=amounts.ok & ~notes_mask, amount_missing=amounts.missing, date_blank=row_undated,
            blank_row=blank_row, column=h, sellers=sellers,
        ), label_blank

    label_blank = np.zeros(0, dtype=bool)
    for h in dict.fromkeys(label_columns):
        if h == fields.get("amount") or (h == fields.get("date") and h != told):
            continue
        sections, label_blank = headings_in(h)
        if sections is not None:
            break
    if sections is not None:
        named = list(dict.fromkeys(str(c) for c in sections.client[sections.client != None]))  # noqa: E711
        grouping = [c for c in named if names_no_client([c])]
        if grouping:  # a period, a status or a kind of document is no client
            grouped_rows = np.isin(sections.client, np.asarray(grouping, dtype=object))
            raise DataValidationError(path, Problem(
                f"the headings in column {sections.column!r} would make clients of "
                f"{', '.join(repr(c) for c in grouping[:5])}: a period, a status or a kind of document, not a client "
                "(a group inside a client's section, or a report grouped by something else)",
                column=sections.column, rows=first_rows(src, grouped_rows), n_rows=int(grouped_rows.sum())),
                hint="Export the report with a client column, or with each client's section closed by its own "
                     "total line ('Total <client>'), so that the groups inside it are seen as the client's.")
    if told is not None and sections is None:
        raise ColumnError(path, Problem(
            f"billing.client_headings names column {told!r}, but no client headings were found in it: a name on a "
            "row of its own (no amount, no date), above lines with an amount whose cell in that column is "
            "blank or a date", column=told),
            hint=f"Take billing.client_headings out of client.yml, or name the column whose heading rows name the "
                 f"clients (headers: {', '.join(repr(h) for h in headers)}).")
    if sections is None and "client" not in fields and "client_id" not in fields and fields.get("date") in cols:
        # no client column: the clients may be written as headings in the date column (Xero's
        # Receivable Invoice Detail); proposed, never taken by itself (periods and kinds of
        # document are written there too)
        proposed, _ = headings_in(fields["date"])
        if proposed is not None:
            labels = list(dict.fromkeys(" ".join(str(t).split()) for t in cols[fields["date"]].texts()[proposed.heading]))
            if not names_no_client(labels):
                raise ColumnError(path, Problem(
                    f"no column for the client, but the lines are grouped under {plural(len(labels), 'heading')} "
                    f"written in the date column {fields['date']!r}, as a report writes each client's name on a row "
                    "of its own above its lines", column=fields["date"],
                    examples=tuple(labels[:6])),
                    hint=f"If these headings are the clients, say so in client.yml: billing.client_headings: "
                         f"{fields['date']}. If they are something else (periods, products, regions), the file has "
                         "no client names: export a report with a client column.")
    heading_mask = np.zeros(n_all, dtype=bool)
    layout = "lines"
    client_seed: Factorized | None = None  # the spellings' codes as read (see seeds below)
    id_seed: Factorized | None = None
    client_read: np.ndarray | None = None
    id_read: np.ndarray | None = None
    if sections is not None:
        heading_mask = sections.heading & ~notes_mask
        client_raw = sections.client.copy()
        client_col = sections.column
        keep_own = ~label_blank & ~heading_mask
        own = cols[client_col].texts()
        client_raw[keep_own] = own[keep_own]
        client_blank = np.array([c is None for c in client_raw], dtype=bool)
        layout = "sections"
        fields.setdefault("client", client_col)
        if choices.get("client") is None or choices["client"].header is None:
            choices["client"] = ColumnChoice("client", client_col, "layout", "the client is named on a heading row above its lines")
    elif "client" in fields:
        client_raw, client_seed = raw_texts_coded(cells[fields["client"]], cols[fields["client"]])
        client_read = client_raw
        client_blank = cols[fields["client"]].blank | pivot_blank(cols[fields["client"]])
        client_col = fields["client"]
    elif "client_id" in fields:
        fields["client"] = fields["client_id"]
        client_col = fields["client_id"]
        client_raw, client_seed = raw_texts_coded(cells[client_col], cols[client_col])
        client_read = client_raw
        client_blank = cols[client_col].blank
        choices["client"] = ColumnChoice("client", client_col, "content", "no client name column: the client id stands for the client")
    else:
        raise ColumnError(path, no_client_problem(headers))

    # heading-like rows that are not sections: one label, no amount, no date
    lone = (n_filled == 1) & amounts.missing & date_blank & ~blank_row & ~notes_mask & ~heading_mask
    if lone.any():
        lone &= ~trailing_notes(data_like | lone, blank_row)
        heading_mask |= lone
        if sections is not None:  # sub-sections one column in: their lines are the section's client's
            inner = lone & (np.cumsum(sections.heading) > 0) & cols[sections.column].blank
            for i in np.flatnonzero(inner):  # a number alone (a total whose label is in a column not read) heads nothing
                label = next((cols[h].texts_of(cols[h].codes[i:i + 1])[0] for h in read if not cols[h].blank[i]), "")
                if _NUMBER_ONLY.match(str(label)):
                    inner[i] = False
            if inner.any():
                sections = dataclasses.replace(sections, n_inner=int(inner.sum()),
                                               inner=_labels_at(inner, read, cols, sections.column))

    data_rows = amounts.ok & ~notes_mask & ~heading_mask & ~blank_row
    # the rows a blank cell of a line may take its value from (billing.fill_down): any row of the
    # table that writes one, with an amount or not (a 'Balance Fwd' line naming its client)
    fill_from = ~notes_mask & ~blank_row & ~heading_mask
    client_filled: tuple[int, np.ndarray] | None = None  # (its note's place in fills, the rows filled)
    for f in fill_fields:
        if f not in fields and not (f == "client" and sections is not None):
            raise ConfigError(config.path, f"billing.fill_down names {f}, but the file has no {f} column")
        if f == "client":
            texts = np.where(fill_from, client_raw, _NO_CELL)
            blank = np.array([t is None or (isinstance(t, str) and not t.strip()) for t in texts], dtype=bool)
            filled, new_blank, k = fill_down(texts, blank, data_rows)
            client_raw = np.where(data_rows, filled, client_raw)
            client_blank = np.where(data_rows, new_blank, client_blank)
            # counted once the totals rows are known: a group's subtotal line takes its client too
            client_filled = (len(fills), blank & ~new_blank & data_rows)
            fills.append("")
    grouped = 0
    if sections is None and "client" not in fill_fields:
        gap = data_rows & client_blank
        if gap.any():
            keys = cols[client_col].codes if sections is None else text_codes_of(client_raw)[0]
            # a group may be named on a line without an amount ('Balance Fwd'), its lines below
            grouped = grouped_runs(keys, client_blank, data_rows | (fill_from & ~client_blank))
    seller_col = fields.get("seller")
    if seller_col is not None:
        seller_vals = cols[seller_col].texts(pd.NA)
        seller_blank = cols[seller_col].blank
        if "seller" in fill_fields:
            s_texts = np.where(fill_from, seller_vals, _NO_CELL)
            s_blank = seller_blank | ~fill_from
            filled, new_blank, k = fill_down(s_texts, s_blank, data_rows)
            seller_vals = np.where(data_rows & ~new_blank, filled, seller_vals)
            seller_blank = np.where(data_rows, new_blank, seller_blank)
            fills.append(f"{k:,} blank seller cells from the row above (billing.fill_down)")
        seller_vals = np.where(seller_blank, pd.NA, seller_vals)
        seller_codes = text_codes_of(seller_vals)[0] if "seller" in fill_fields else cols[seller_col].codes
    else:
        seller_vals, seller_blank = None, np.ones(n_all, dtype=bool)
        seller_codes = np.full(n_all, -1, dtype=np.int64)
    if "client_id" in fields:
        client_id = cols[fields["client_id"]].texts(pd.NA)
        id_blank = cols[fields["client_id"]].blank
        if "client_id" in fill_fields:
            ids = np.where(fill_from, client_id, _NO_CELL)
            filled, new_blank, k = fill_down(ids, id_blank | ~fill_from, data_rows)
            client_id = np.where(data_rows & ~new_blank, filled, client_id)
            id_blank = np.where(data_rows, new_blank, id_blank)
            fills.append(f"{k:,} blank client id cells from the row above (billing.fill_down)")
        client_id = np.where(id_blank, pd.NA, client_id)
        if "client_id" not in fill_fields:  # the ids as read
            id_read, id_seed = client_id, _seed_of(cols[fields["client_id"]])
    else:
        client_id = None
    # the parent account (or bill-to id) of each line: read only when client.yml maps it
    parent_vals = (np.where(cols[fields["parent"]].blank, pd.NA, cols[fields["parent"]].texts(pd.NA))
                   if "parent" in fields else None)

    # --- a general-ledger export writes sales as negative amounts (billing.flip_sign)
    if b.flip_sign:
        amounts = dataclasses.replace(amounts, micros=-amounts.micros)
        fills.append("every amount's sign turned (billing.flip_sign: sales are written negative in the file)")

    # --- credits written as positive amounts, marked by a type column (billing.credits)
    credit_cols = _named_headers(b.credits, headers, path, "billing.credits")
    written: np.ndarray | None = None  # the amounts as the file writes them, credits positive
    if credit_cols:
        written = amounts.micros
        credit = np.zeros(n_all, dtype=bool)
        for col_name, header in credit_cols.items():
            credit_values = {v.strip() for v in b.credits[col_name]}
            credit |= np.isin(cols[header].texts(), np.asarray(sorted(credit_values), dtype=object))
        amounts = dataclasses.replace(amounts, micros=np.where(credit, -np.abs(amounts.micros), amounts.micros))
        if credit.any():
            fills.append(f"{int(credit.sum()):,} {agree(credit.sum(), 'row', 'rows')} marked as credits "
                         "(billing.credits) subtracted")

    refuse_unsigned_sides(path, read, fields, cols, written if written is not None else amounts.micros,
                           amounts.ok & ~filtered & ~blank_row, b, src, sample)

    # --- totals and subtotals
    lines = amounts.ok & (date_ok if dated else True) & ~blank_row
    typical = _median_count(n_filled[lines]) if lines.any() else 0
    # fewer cells than an invoice line has: a quarter of them missing, and at least one
    sparse = n_filled <= typical - max(1, typical // 4)
    # each row's label: its client cell, else its first cell holding a word (codes into
    # label_texts); a dated, complete line without a client is an invoice line whatever
    # its other cells say, so its label is not looked for
    missing_label = cols[client_col].blank | heading_mask
    look = missing_label & ((~date_ok | sparse) if dated else True)
    label_codes = np.where(missing_label, -1, cols[client_col].codes)
    parts = [cols[client_col].uniques]
    offset = len(cols[client_col].uniques)
    for h in sorted(read, key=lambda x: raw.positions.get(x, 0)):
        if h in (fields.get("amount"), client_col) or not look.any():
            continue
        col = cols[h]
        # the date column's cell is a label only where it holds no date ('Summe' under the dates)
        where = look & ~date_ok if h == fields.get("date") else look
        held = np.unique(col.codes[where & (col.codes >= 0)])  # only the values these rows hold
        if not len(held):
            continue
        texts = col.texts_of(held)
        wordy = pc.fill_null(pc.match_substring_regex(pa.array(texts, type=pa.string()), r"\pL"), False)
        wordy = wordy.to_numpy(zero_copy_only=False)
        slot = np.full(int(held.max()) + 2, -1, dtype=np.int64)
        slot[held[wordy]] = np.arange(int(wordy.sum())) + offset
        take = where & (col.codes >= 0)
        take[take] = slot[col.codes[take]] >= 0
        if take.any():
            label_codes[take] = slot[col.codes[take]]
            look &= ~take
        parts.append(texts[wordy])
        offset += int(wordy.sum())
    label_texts = np.concatenate(parts) if len(parts) > 1 else parts[0]
    boundaries = blank_row | heading_mask | notes_mask
    headings: dict[str, list[int]] = {}
    if sections is not None:
        htexts = cols[sections.column].texts()
        for i in np.flatnonzero(sections.heading):
            headings.setdefault(label_key(htexts[i]) or "", []).append(int(i))

    def aggregates_of(names: np.ndarray, blank: np.ndarray, col: TextColumn | None = None) -> tuple[TextColumn, Aggregates]:
        col = col or TextColumn(*text_codes_of(names))
        keys = RowKeys(col.codes, col.uniques)
        found = find_aggregates(
            amounts=amounts.micros, written=written, amount_ok=amounts.ok & ~notes_mask & ~heading_mask,
            label_codes=label_codes, label_texts=label_texts,
            client_keys=keys, dated=dated, date_missing=~date_ok, period=period, sparse=sparse,
            client_blank=blank, boundaries=boundaries, headings=headings, source_row=src, not_totals=not_totals,
        )
        return col, found

    if grouped:
        # blank client cells under a named one: the same client, if each group's subtotal says so
        texts = np.where(fill_from, client_raw, _NO_CELL)
        filled, new_blank, k = fill_down(texts, client_blank | ~fill_from, data_rows)
        try_raw = np.where(data_rows & ~new_blank, filled, client_raw)
        try_blank = np.where(data_rows, new_blank, client_blank)
        col2, agg2 = aggregates_of(try_raw, try_blank)
        confirmed = sum(1 for a in agg2.rows if a.basis == "run")
        gap = data_rows & client_blank & ~agg2.mask  # the lines, not the groups' subtotals
        if confirmed < grouped:
            money_gap = total(pd.Series(amounts.micros[gap]))
            raise DataValidationError(path, Problem(
                f"{int(gap.sum()):,} lines with an amount ({format_money(money_gap)}) have a blank client, each "
                "under a line that names one, and each client is named once: the file looks grouped, with the "
                "client written only on the first line of its group",
                column=client_col, rows=first_rows(src, gap), n_rows=int(gap.sum())),
                hint="If a blank client means 'the same client as above', say so in client.yml: "
                     "billing.fill_down: [client]. If those lines really have no client, fill them in or "
                     "leave them out with billing.exclude.")
        client_raw, client_blank, client_text_col, agg = try_raw, try_blank, col2, agg2
        fills.append(f"{k:,} blank client cells from the line above: the client is written once per group, "
                     f"and each of the {confirmed:,} groups ends with a subtotal that names it and adds up its lines")
    else:
        same = sections is None and "client" not in fill_fields and "client" in fields and fields["client"] == client_col
        client_text_col, agg = aggregates_of(client_raw, client_blank, cols[client_col] if same else None)
    if dated and "date" in fill_fields:
        agg = _lines_not_subtotals(agg, src, client_blank, fills)
    if not dated and "date" not in fields and "seller" not in fields:  # a pivot's groups, subtotals on top
        agg = pivot_subtotals(path, agg, amounts.micros, data_rows & amounts.ok & ~agg.mask & ~filtered, src,
                              list(client_raw), client_blank, not_totals, client_col)
    if client_filled is not None:  # the lines given their client, totals rows left out of the count
        at, rows_filled = client_filled
        k = int((rows_filled & ~agg.mask).sum())
        fills[at] = f"{k:,} blank client {agree(k, 'cell', 'cells')} from the row above (billing.fill_down)"
    if not dated:
        refuse_doubled_by_subtotals(path, agg, amounts.micros, data_rows & amounts.ok & ~agg.mask & ~filtered, src)
    undecided = [a for a in agg.undecided if not filtered[np.searchsorted(src, a.row)]]
    if undecided:
        rows = tuple(a.row for a in undecided)
        ex = tuple(f"{a.label} {format_money(a.amount)}" for a in undecided[:_FIRST_ROWS])
        first_label = undecided[0].label
        raise DataValidationError(path, Problem(
            "rows are labelled like totals and dated, but their amounts are not sums of the rows around them, and "
            "they are not a client's several complete invoices either: the toolkit cannot tell whether they are "
            "totals (of a filtered or edited file) or a client's invoices", column=client_col, rows=rows[:_FIRST_ROWS], examples=ex, n_rows=len(rows)),
            hint=f"If they are totals, leave them out in client.yml: billing.exclude: {{{client_col}: [{first_label!r}]}}. "
                 f"If {first_label!r} is a client, say so: billing.not_totals: [{first_label!r}].")

    # --- lost deals, drafts, voided invoices; credits whose sign is in a type column
    # a column billing.exclude names with no values: the consultant says every row is billing
    all_billing = {header for col, header in excl.items() if not b.exclude[col]}
    codes_of = {h: (cols[h].codes, cols[h].uniques) for h in read
                if normalise_header(h) in STATUS_NAMES or normalise_header(h) in TYPE_NAMES
                or normalise_header(h) in CURRENCY_NAMES or h in stages or STATUS_FLAG_COLUMN.match(h)}
    billable = data_rows & ~agg.mask & ~hidden_mask & ~filtered
    amount_col = cols[fields["amount"]]
    # the amount cells' codes are built only when a currency may be written in them
    marked = (fields["amount"], amount_col.codes, amount_col.uniques) if may_carry_currency(amount_texts) else None
    own_currency: set[str] = set()
    if OWN_CURRENCY_AMOUNT.search(fields["amount"]):
        # the amount is the company's own currency ('Amount DC', 'Sales (LCY)'): a currency
        # column beside it tells the documents' currencies, not the amount's
        own_currency = {h for h in codes_of if normalise_header(h) in CURRENCY_NAMES}
        if own_currency:
            notes.append(f"Currency {agree(len(own_currency), 'column', 'columns')} "
                         f"{', '.join(repr(h) for h in sorted(own_currency))} not checked: the amount column "
                         f"{fields['amount']!r} is in the company's own currency")
    mix = mixed_currencies(codes_of, marked, billable, amounts.micros, all_billing | own_currency)
    excluded_as = {header: [t.strip() for t in b.exclude[col]] for col, header in excl.items()}
    billed = _billed_values(config, path, headers, excluded_as)
    for finding in not_billing_statuses(codes_of, billable, amounts.micros, all_billing, stages, billed,
                                        per_client=not dated, clients=client_text_col.codes) + positive_credits(
        codes_of, billable, amounts.micros, all_billing | set(credit_cols.values())
    ) + ([mix] if mix is not None else []):
        given = sorted(billed.get(finding.column, ()))
        in_column: set[str] = {str(t).strip() for t in cols[finding.column].uniques if t is not None} if finding.column in cols else set()
        problem, hint = finding.refusal(
            src, config.branding.currency, excluded=excluded_as.get(finding.column, []), billed=given,
            unmatched=[t for t in given if t not in in_column],
            rate_column=next((h for h in headers if _RATE_COLUMN.match(h)), None))
        raise DataValidationError(path, problem, hint=hint)
    for header, values in billed.items():
        if header in cols:
            kept = billable & np.isin(cols[header].texts(), np.asarray(sorted(values), dtype=object))
            if kept.any():
                notes.append(f"Read as billing (billing.billed): {plural(int(kept.sum()), 'row')} of column {header!r} "
                             f"({', '.join(repr(t) for t in sorted(values))}), "
                             f"{format_money(total(pd.Series(amounts.micros[kept])), config.branding.currency)}")

    # --- rows dated with a period (Q2 2024, 2024-01-01 to 2024-03-31) that are not totals
    spans = period & billable if dated else np.zeros(n_all, dtype=bool)
    if spans.any():
        texts = cols[fields["date"]].texts()
        shown_periods = list(dict.fromkeys(str(t) for t in texts[np.flatnonzero(spans)[:200]]))[:5]
        every = int(spans.sum()) >= 0.5 * int(billable.sum())
        hint = (
            "The toolkit needs each invoice's date. Export the invoices (one row per invoice, with its date)"
            + (", or, if every row is one client's total for the 12 months audited, keep only those rows "
               f"(billing.exclude: {{{fields['date']}: [...]}}) and set billing.twelve_month_totals: true."
               if every else
               f"; or leave these rows out in client.yml: billing.exclude: {{{fields['date']}: {shown_periods!r}}}.")
        )
        raise DataValidationError(path, Problem(
            f"{int(spans.sum()):,} rows are dated with a period, not a day ({', '.join(repr(t) for t in shown_periods)}), "
            "and they are not totals of other rows: their money cannot be placed in the 12-month window",
            column=fields["date"], rows=first_rows(src, spans), n_rows=int(spans.sum())), hint=hint)

    # --- lines that continue the line above: an invoice's client and date written on its first
    # line only (a report's suppressed repeats, a workbook's merged cells saved as CSV)
    if dated and "date" in fill_fields:
        day, date_ok, date_blank, k = _dates_from_above(billable, day, date_ok, date_blank)
        fills.append(f"{k:,} blank {agree(k, 'date', 'dates')} from the line above (billing.fill_down)")
    _refuse_continuations(path, billable, client_blank if sections is None and "client" not in fill_fields
                          else np.zeros(n_all, dtype=bool),
                          date_blank if dated and "date" not in fill_fields else np.zeros(n_all, dtype=bool),
                          (invoice, cols[invoice]) if invoice is not None and invoice in cols else None,
                          {f: cols[fields[f]].blank for f in ("seller", "client_id")
                           if f in fields and fields[f] in cols and f not in fill_fields},
                          amounts.micros, src, fill_fields,
                          (cols[fields["client"]].blank if fields.get("client") in cols else np.ones(n_all, dtype=bool))
                          & (date_blank if dated else True))

    # --- a date column or a file of 12-month totals
    if "date" not in fields and not twelve:
        dated_cols = [h for h in headers if h not in fields.values() and profile_column(h, sample[h]).date_share >= 0.5]
        if dated_cols:
            raise ColumnError(path, Problem(
                f"no recognised date column, but {', '.join(repr(h) for h in dated_cols)} holds dates: say which "
                f"column is the invoice date in client.yml, e.g. billing.columns.date: {dated_cols[0]!r}"))
        rows_ok = data_rows & ~agg.mask & ~client_blank
        names = client_raw[rows_ok]
        if len(set(names.tolist())) != int(rows_ok.sum()):
            dup = pd.Series(names).value_counts()
            first_dup = str(dup.index[0])
            periods = [h for h in headers if h not in fields.values()
                       and profile_column(h, sample[h]).period_share >= 0.8]
            hint = ("If every row is a 12-month total (a client may have several, e.g. one per product), say so "
                    "in client.yml: billing.twelve_month_totals: true. If the file has a date column, map it: "
                    "billing.columns.date: <header>.")
            if periods:
                years = sorted({str(v).strip() for v in sample[periods[0]] if v is not None and str(v).strip()})
                hint = (f"Column {periods[0]!r} holds periods ({', '.join(years[:4])}): keep only the 12 months "
                        f"audited in client.yml (billing.exclude: {{{periods[0]}: {years[:-1]!r}}}) and set "
                        "billing.twelve_month_totals: true.")
            raise ColumnError(path, Problem(
                f"the file has no date column, and clients appear on several rows (e.g. {first_dup!r} on "
                f"{int(dup.iloc[0])} rows), so it is not one row per client with a 12-month total"), hint=hint)
    if twelve and "date" in fields:
        notes.append(f"billing.twelve_month_totals is set: the date column {fields['date']!r} is not used")

    # --- whole-file problems: most values of a column unusable
    keep = ~blank_row
    real = keep & ~notes_mask & ~heading_mask & ~agg.mask
    n_blank = int(blank_row.sum())
    problems: list[Problem] = []
    hints: list[str] = []
    amt_bad = amounts.unparseable & real
    amt_given = (~amounts.missing) & real
    other_mark = _read_with_other_mark(amt_col, amt_bad, fmt) if fmt.source == "client.yml" else None
    if real.any() and not amt_given.any():
        problems.append(Problem("every amount is blank", column=fields["amount"]))
    elif other_mark is not None and other_mark.any():
        # amounts the setting does not read, which the other decimal mark does: the setting is
        # not how this file writes them (they are no 'amount not a number' rows to leave out)
        problems.append(number_setting_problem(fields["amount"], fmt, b.decimal, b.thousands,
                                               _examples(amt_col, other_mark), first_rows(src, other_mark),
                                               int(other_mark.sum()), int(amt_given.sum())))
        hints.append(number_setting_hint(fmt, b.decimal))
    elif amt_bad.sum() > _FATAL_SHARE * amt_given.sum():
        ex = _examples(amt_col, amt_bad)
        problems.append(Problem(f"{int(amt_bad.sum()):,} of {int(amt_given.sum()):,} amounts are not numbers",
                                column=fields["amount"], rows=first_rows(src, amt_bad), examples=ex, n_rows=int(amt_bad.sum())))
        amount_hint = hint_amounts(ex, fmt.decimal)
        if amount_hint:
            hints.append(amount_hint)
    if dated:
        d_bad = dates.unparseable & real
        d_given = (~date_blank) & real
        if real.any() and not d_given.any() and as_of_arg is None and config.as_of is None:
            problems.append(Problem("every date is blank", column=fields["date"]))
        elif d_bad.any() and b.date_format and any(reads_as_a_day(e) for e in _examples(date_col, d_bad)):
            # a format given in client.yml that some of the column's dates do not fit is not how
            # the file writes them: the dates it did read may have day and month swapped
            ex = _examples(date_col, d_bad)
            problems.append(Problem(
                f"{int(d_bad.sum()):,} of {int(d_given.sum()):,} dates do not fit billing.date_format "
                f"{b.date_format!r}: it is not how this file writes its dates, so the dates it did read may be "
                "wrong too (day and month swapped)",
                column=fields["date"], rows=first_rows(src, d_bad), examples=ex, n_rows=int(d_bad.sum())))
            told = hint_dates(ex, b.date_format)
            hints.append(told if "remove" in told.lower() else
                         f"{told} Or remove billing.date_format from client.yml: the toolkit then reads the dates' "
                         "order from the column itself, and alms validate shows it.")
        elif d_bad.sum() > _FATAL_SHARE * d_given.sum() and d_given.any():
            ex = _examples(date_col, d_bad)
            problems.append(Problem(f"{int(d_bad.sum()):,} of {int(d_given.sum()):,} dates cannot be read as dates",
                                    column=fields["date"], rows=first_rows(src, d_bad), examples=ex, n_rows=int(d_bad.sum())))
            hints.append(hint_dates(ex, b.date_format))
    if problems:
        raise DataValidationError(path, problems, hint=" ".join(hints) or None)

    if "date" not in fields and not twelve:  # a table of clients by month: its total must be the window's
        refuse_other_months(path, headers, fields["amount"], raw.header_row,
                            as_of_arg or config.as_of or dt.date.today(), sample, fmt.decimal)

    # --- as_of and window
    window: Window | None = None
    if dated:
        if as_of_arg is not None:
            window = twelve_month_window(as_of_arg, "argument")
        elif config.as_of is not None:
            window = twelve_month_window(config.as_of, "config")
        else:
            valid = day[date_ok & real]
            if not valid.size:
                raise DataValidationError(path, Problem(
                    "no row has a usable date, so the audit date cannot be taken from the ledger"
                    + (" (the file has a header but no rows)" if not n_all else "")),
                    hint="Add the invoice lines, or set as_of in client.yml.")
            last = pd.Timestamp(valid.max()).date()
            window = twelve_month_window(last + dt.timedelta(days=1), "ledger")
        start64 = np.datetime64(window.start, "ns")
        end64 = np.datetime64(window.end, "ns")
        in_window = date_ok & (day >= start64) & (day < end64)
        before = date_ok & (day < start64)
    else:
        in_window = np.ones(n_all, dtype=bool)
        before = np.zeros(n_all, dtype=bool)

    # --- reasons, in precedence order (first that applies)
    amt_ok = amounts.ok
    conditions = {
        "footer": notes_mask,
        "section_header": heading_mask,
        "aggregate": agg.mask,
        "hidden_row": hidden_mask,
        "unparseable_date": ~date_ok if dated else np.zeros(n_all, dtype=bool),
        "missing_amount": amounts.missing,
        "unparseable_amount": amounts.unparseable,
        "outside_window": ~in_window,
        "excluded_by_filter": filtered,
        "blank_client": client_blank,
        "zero_amount": amt_ok & (amounts.micros == 0),
    }
    reason = np.full(n_all, -1, dtype=np.int8)
    for code, name in enumerate(REASONS):
        reason = np.where((reason < 0) & conditions[name] & keep, code, reason).astype(np.int8)
    used = keep & (reason < 0)
    later_ok = ~filtered & ~client_blank & amt_ok & (amounts.micros != 0) & ~notes_mask & ~heading_mask & ~agg.mask & ~hidden_mask
    earlier = keep & before & later_ok

    micros = np.where(agg.mask, 0, amounts.micros)
    excluded: dict[str, ExcludedRows] = {}
    trailer_rows = tuple(r for r, _ in raw.trailer)
    for code, name in enumerate(REASONS):
        mask = reason == code
        count = int(mask.sum())
        extra = len(trailer_rows) if name == "footer" else 0
        if count or extra:
            stated = total(pd.Series(amounts.micros[mask])) if name == "aggregate" else None
            shown_rows = (first_rows(src, mask) + (trailer_rows if name == "footer" else ()))[:_FIRST_ROWS]
            excluded[name] = ExcludedRows(rows=count + extra, amount=total(pd.Series(micros[mask])),
                                          first_rows=shown_rows, stated_amount=stated)

    client_out = np.asarray(client_raw, dtype=object)
    # the spellings and ids as read (not filled down, nor taken from headings): their codes are
    # the reader's, for each frame's rows (:meth:`LoadedLedger.factorized`)
    seeds = {column: seed for column, seed, read, now in (
        ("client", client_seed, client_read, client_out), ("client_id", id_seed, id_read, client_id))
        if seed is not None and now is read}

    def frame(mask: np.ndarray) -> pd.DataFrame:
        idx = np.flatnonzero(mask)
        out = pd.DataFrame({"source_row": src[idx].astype(np.int64)})
        # one column at a time: no costly consolidation of the object columns
        out["date"] = day[idx] if dated else np.full(len(idx), np.datetime64("NaT"), dtype="datetime64[ns]")
        out["client"] = pd.Series(client_out[idx], dtype=object)
        na = np.full(len(idx), pd.NA, dtype=object) if client_id is None or seller_vals is None else None
        out["client_id"] = pd.Series(client_id[idx] if client_id is not None else na, dtype=object)
        out["seller"] = pd.Series(seller_vals[idx] if seller_vals is not None else na, dtype=object)
        out["amount"] = amounts.micros[idx].astype(np.int64)
        if parent_vals is not None:
            out["parent"] = pd.Series(parent_vals[idx], dtype=object)
        return out

    ledger = frame(used)
    earlier_df = frame(earlier)
    zero = reason == REASONS.index("zero_amount")
    zero_df = frame(zero)
    n_clients = n_distinct(client_text_col.codes, used | zero)
    n_sellers = n_distinct(seller_codes, used)

    reading = _reading(raw, choices, fields, fmt, order, b, layout, sections, fills, agg, notes_mask, heading_mask,
                       cols, hidden_note, notes, dated, twelve)
    span = day[date_ok & real & ~filtered] if dated else day[:0]
    recon = Reconciliation(
        dates_from=pd.Timestamp(span.min()).date() if span.size else None,
        dates_to=pd.Timestamp(span.max()).date() if span.size else None,
        file=path,
        rows_read=int(keep.sum()) + len(trailer_rows),
        rows_used=int(used.sum()),
        amount_read=total(pd.Series(micros[keep])),
        amount_used=total(pd.Series(micros[used])),
        excluded=excluded,
        n_rounded=int((amounts.rounded & keep).sum()),
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        as_of=window.as_of if window else (as_of_arg or config.as_of),
        as_of_source=window.as_of_source if window else None,
        n_distinct_clients=n_clients,
        n_distinct_sellers=n_sellers,
        blank_rows_skipped=n_blank,
        columns=fields,
        notes=tuple(reading_notes(raw)),
    )
    loaded = LoadedLedger(ledger=ledger, earlier=earlier_df, window=window, reconciliation=recon,
                          config=config, zero_rows=zero_df, reading=reading)
    for name, mask in (("ledger", used), ("earlier", earlier), ("zero_rows", zero)):
        for column, seed in seeds.items():
            loaded.seed(name, column, seed, mask)
    return loaded


def _names_per_id(ids: Sequence[object], names: Sequence[object]) -> tuple[str, list[str]] | None:
    """(an id, its names) when most client ids seen on several rows carry several names:
    the name column is not the client's name. None when names follow the ids."""
    seen: dict[str, list[str]] = {}
    for i, n in zip(ids, names, strict=False):
        i_t, n_t = (str(i).strip() if i is not None else ""), (str(n).strip() if n is not None else "")
        if i_t and n_t:
            group = seen.setdefault(i_t, [])
            if n_t not in group:
                group.append(n_t)
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    counted = [k for k in seen if len(seen[k]) >= 1]
    if len(repeated) >= 3 and len(repeated) > 0.5 * len(counted):
        k = next(iter(repeated))
        return k, repeated[k]
    return None


def reading_notes(raw: RawTable) -> list[str]:
    """The short notes the reconciliation text ends with (sheet and header row)."""
    notes = list(raw.notes)
    if raw.kind == "xlsx":
        notes.append(f"Read sheet {raw.sheet!r}, header in row {raw.header_row}.")
    elif raw.header_row != 1:
        notes.append(f"Header found in row {raw.header_row}.")
    return notes



_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])", re.I)


def _dates_without_order(col: TextColumn | None) -> str:
    """How a date column writes dates that leave no day-month order to decide, in words."""
    texts = [t for t in (col.uniques[:500].tolist() if col is not None else []) if isinstance(t, str) and t.strip()]
    # a month's name and a digit: not a heading or a total written in the date column ('Studio 54')
    named = next((t for t in texts if _MONTH_NAME.search(t) and re.search(r"\d", t)), None)
    if named is not None:
        return f"written with the month's name (e.g. {named.strip()!r}): no order to decide"
    year_first = next((t for t in texts if re.match(r"\s*\d{4}[-/.]\d", t)), None)
    if year_first is not None:
        return f"written year first (e.g. {year_first.strip()!r}): no order to decide"
    return "spreadsheet dates: no order to decide"


def _less_credits(debits: ParsedAmounts, credits: ParsedAmounts) -> ParsedAmounts:
    """Per row, the debit less the credit (a blank one counting 0); missing where both are."""
    micros = np.where(debits.ok, debits.micros, 0) - np.where(credits.ok, credits.micros, 0)
    missing = debits.missing & credits.missing
    return ParsedAmounts(micros=np.where(missing, 0, micros).astype(np.int64), missing=missing,
                         unparseable=debits.unparseable | credits.unparseable,
                         rounded=debits.rounded | credits.rounded)


def _refuse_unread_refunds(path: Path, headers: Sequence[str], fields: Mapping[str, str],
                           cols: Mapping[str, TextColumn], sample: Mapping[str, Sequence[object]],
                           fmt: NumberFormat, amounts: ParsedAmounts, kept: np.ndarray) -> None:
    """A column of refunds beside the amount ('Amount Refunded': Stripe's charges, Shopify's
    orders) holding refunds on lines with an amount (``kept``: not left out by billing.exclude):
    the amount counts money given back. Refused, naming the setting that takes them off."""
    amount = fields.get("amount", "")
    for h in headers:
        if h == amount or not REFUND_COLUMN.match(h) or h not in cols or not _holds_money(sample[h]):
            continue
        refunds = parse_amounts(cols[h].texts(), decimal=fmt.decimal, thousands=fmt.thousands)
        on = kept & amounts.ok & refunds.ok & (refunds.micros != 0)
        if not on.any():
            continue
        raise ColumnError(path, Problem(
            f"column {h!r} holds refunds on {plural(int(on.sum()), 'line')} with an amount "
            f"({format_money(int(refunds.micros[on].sum()))}), and {amount!r} counts the money before them",
            column=h),
            hint=f"Take them off in client.yml: billing.columns: {{amount: {amount!r}, credit: {h!r}}} (each "
                 "line's amount is then its amount less its refund; if the refunds include tax or shipping that "
                 f"{amount!r} leaves out, they take off slightly too much).")


def _holds_money(cells: Sequence[object]) -> bool:
    """Most of a column's first filled cells read as amounts (not Yes/No, a VAT number, a code),
    and not only 0 and 1 (a flag)."""
    if profile_column("", cells).amount_share < 0.8:
        return False
    arr = np.empty(len(cells), dtype=object)
    arr[:] = list(cells)
    read = [parse_amounts(arr, mark) for mark in (".", ",")]
    ok = read[0].ok | read[1].ok
    micros = np.where(read[0].ok, read[0].micros, read[1].micros)
    return bool(set(np.unique(micros[ok]).tolist()) - {0, 1_000_000})


def _refuse_unread_credits(path: Path, headers: Sequence[str], fields: Mapping[str, str],
                           sample: Mapping[str, Sequence[object]]) -> None:
    """An amount column of debits ('Debit Amt') beside a column of credits ('Credit Amt') that is
    not read: the credit memos written there would not be taken off. Refused, naming the setting
    that reads them."""
    amount = fields.get("amount", "")
    if not DEBIT_COLUMN.match(amount):
        return
    credit = next((h for h in headers if h != amount and CREDIT_COLUMN.match(h) and _holds_money(sample[h])), None)
    if credit is None:
        return
    raise ColumnError(path, Problem(
        f"the amount column {amount!r} holds debits and column {credit!r} beside it credits: credit memos "
        f"written there would not be taken off the billing"),
        hint=f"Read both in client.yml: billing.columns: {{amount: {amount!r}, credit: {credit!r}}} (each line's "
             "amount is then its debit less its credit); payments received are credits too, so leave them out "
             "by their type (billing.exclude).")


def _labels_at(rows: np.ndarray, read: Sequence[str], cols: Mapping[str, TextColumn], skip: str,
               limit: int = 2) -> tuple[tuple[str, str], ...]:
    """(label, column) of the first ``limit`` of ``rows`` that hold one label, in a column other
    than ``skip``."""
    found: list[tuple[str, str]] = []
    for i in np.flatnonzero(rows):
        column = next((h for h in read if h != skip and not cols[h].blank[i]), None)
        if column is not None:
            found.append((str(cols[column].uniques[cols[column].codes[i]]), column))
        if len(found) == limit:
            break
    return tuple(found)


def _reading(raw: RawTable, choices: Mapping[str, ColumnChoice], fields: Mapping[str, str], fmt: NumberFormat,
             order: DateOrder | None, b: BillingSource, layout: str, sections: Sections | None, fills: list[str],
             agg: Aggregates,
             notes_mask: np.ndarray, heading_mask: np.ndarray, cols: Mapping[str, TextColumn], hidden_note: str | None,
             notes: list[str], dated: bool, twelve: bool) -> Reading:
    date_format = b.date_format
    if not dated:
        dates_why = ""
    elif date_format:
        dates_why = f"billing.date_format {date_format!r} in client.yml"
    elif order is not None and order.day_first is not None:
        dates_why = ("day first (31/01/2024)" if order.day_first else "month first (01/31/2024)") + f": {order.evidence}"
        date_format = order.date_format
    else:
        dates_why = _dates_without_order(cols.get(fields.get("date", "")))
    if layout == "sections" and sections is not None:
        layout_why = (f"sections: each client is named on a heading row ({int((sections.heading & heading_mask).sum()):,} "
                      f"headings in column {sections.column!r}, e.g. {', '.join(repr(e) for e in sections.examples[:2])}) "
                      "and its lines below are filled with it")
        if sections.nested:
            layout_why += "; sub-sections are billed to the client whose heading contains them"
        if sections.n_inner:
            shown = ", ".join(f"{label!r} in column {column!r}" for label, column in sections.inner)
            where = "a client's section" if sections.n_inner == 1 else "clients' sections"
            layout_why += (f"; {plural(sections.n_inner, 'heading')} in other columns inside {where} (e.g. "
                           f"{shown}: a sub-customer, a job or a product group): the lines under each are billed "
                           "to the client whose section holds it")
    elif not dated:
        layout_why = ("one row per client with a 12-month total (billing.twelve_month_totals)" if twelve else
                      "one row per client with a 12-month total: no column holds dates and every client has one row")
        layout = "totals"
    else:
        layout_why = "one row per invoice or invoice line"
    note_rows = np.flatnonzero(notes_mask)
    note_examples = []
    for i in note_rows[:3]:
        for h in raw.headers:
            if h in cols and cols[h].codes[i] >= 0:
                note_examples.append(str(cols[h].uniques[cols[h].codes[i]]))
                break
    note_examples += [t for _, t in raw.trailer[:2]]
    return Reading(
        file=raw.path, kind=raw.kind, header_row=raw.header_row, header_reason=raw.header_reason,
        columns=tuple(choices[f] for f in ("date", "client", "amount", "seller", "client_id", "parent", "credit")
                      if f in choices),
        sheet=raw.sheet, sheet_reason=raw.sheet_reason, encoding=raw.encoding, delimiter=raw.delimiter,
        title=raw.title, decimal=fmt.decimal, thousands=fmt.thousands, numbers_why=fmt.evidence,
        decimal_decided=fmt.source != "default",
        date_format=date_format, dates_why=dates_why, layout=layout, layout_why=layout_why,
        fill_down=tuple(b.fill_down), fills=tuple(fills),
        aggregates=agg.rows,
        notes_rows=tuple(int(raw.source_row[i]) for i in note_rows) + tuple(r for r, _ in raw.trailer),
        notes_examples=tuple(note_examples), hidden_rows=hidden_note, notes=tuple(notes),
    )
