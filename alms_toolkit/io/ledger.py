"""Load a client's billing ledger exactly: read, map columns, parse, validate, window,
and reconcile every row (see docs/ARCHITECTURE.md, "The loaded ledger")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from ..config import ClientConfig
from ..errors import ColumnError, ConfigError, DataValidationError, Problem
from ..money import total
from .amounts import _factorize, parse_amounts
from .columns import LEDGER_NAMES, find_header, match_columns
from .dates import parse_dates
from .readers import RawTable, read_raw
from .reconciliation import REASONS, ExcludedRows, Reconciliation
from .window import Window, twelve_month_window

__all__ = ["LoadedLedger", "load_ledger", "LEDGER_COLUMNS", "cells_to_text"]

#: columns of ``LoadedLedger.ledger`` and ``.earlier``, in order
LEDGER_COLUMNS = ("source_row", "date", "client", "client_id", "seller", "amount")
_FIRST_ROWS = 5
_FATAL_SHARE = 0.5


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

    @property
    def is_totals(self) -> bool:
        """One row per client with a 12-month total (no date column): window skipped."""
        return self.window is None


# --------------------------------------------------------------------------- text cells


def _cell_text(v: object) -> str | None:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return None
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ") if (v.hour, v.minute, v.second) != (0, 0, 0) else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def cells_to_text(
    values: pa.ChunkedArray | pa.Array | np.ndarray, strip: bool, na: object = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cells -> (object array of text, ``na`` where blank; blank mask). Spreadsheet
    numbers read as text the way they show: 17850.0 -> '17850'. ``strip`` trims the text
    kept (a blank test always ignores surrounding spaces)."""
    text, blank, _ = _text_codes(values, strip, na)
    return text, blank


def _text_codes(
    values: pa.ChunkedArray | pa.Array | np.ndarray, strip: bool, na: object = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """cells_to_text plus each row's code of its distinct text (-1 when blank)."""
    codes, uniques = _factorize(values)
    if isinstance(uniques, pa.Array):
        texts = np.asarray(uniques.to_pylist(), dtype=object)
    else:
        texts = np.asarray([_cell_text(v) for v in uniques], dtype=object)
    blank_u = np.array([t is None or t.strip() == "" for t in texts], dtype=bool)
    if strip:
        texts = np.asarray([t.strip() if t is not None else None for t in texts], dtype=object)
    texts[blank_u] = na
    slot = np.where(codes < 0, len(texts), codes)
    out = np.append(texts, np.array([na], dtype=object))[slot]
    blank = np.append(blank_u, True)[slot]
    return out, blank, np.where(blank, -1, codes)


def _n_distinct(texts: np.ndarray, codes: np.ndarray, mask: np.ndarray) -> int:
    """Distinct non-blank texts among the rows in ``mask`` (via their codes: fast)."""
    sel = codes[mask]
    sel = sel[sel >= 0]
    if not len(sel):
        return 0
    present = np.flatnonzero(np.bincount(sel))
    # the first row holding each present code gives its text
    first = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    rows = np.flatnonzero(mask & (codes >= 0))
    first[codes[rows[::-1]]] = rows[::-1]
    return len({texts[first[c]] for c in present})


# --------------------------------------------------------------------------- helpers


def _first_rows(source_row: np.ndarray, mask: np.ndarray, n: int = _FIRST_ROWS) -> tuple[int, ...]:
    return tuple(int(r) for r in source_row[np.flatnonzero(mask)[:n]])


def _examples(cells: pa.ChunkedArray | np.ndarray, mask: np.ndarray, n: int = _FIRST_ROWS) -> tuple[str, ...]:
    idx = np.flatnonzero(mask)
    seen: list[str] = []
    for i in idx[:200]:
        v = cells[int(i)]
        v = v.as_py() if isinstance(v, pa.Scalar) else v
        text = _cell_text(v) or ""
        if text not in seen:
            seen.append(text)
        if len(seen) >= n:
            break
    return tuple(seen)


def _as_date(value: dt.date | str | None, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ConfigError(None, f"{what} must be a date written YYYY-MM-DD, not {value!r}") from exc


def _select_columns(config: ClientConfig) -> tuple[dict[str, str], dict[str, str], Callable[[Sequence[str]], list[str]]]:
    """A header selector for read_raw that resolves fields and exclude columns,
    collecting every column problem into one ColumnError."""
    b = config.billing
    fields: dict[str, str] = {}
    excl: dict[str, str] = {}

    def select(headers: Sequence[str]) -> list[str]:
        found, problems = match_columns(headers, b.columns, required=("amount",), names=LEDGER_NAMES)
        ambiguous = any(p.message.startswith("the client could be") for p in problems)
        if "client" not in found and "client" not in b.columns and not ambiguous:
            if "client_id" in found:
                found["client"] = found["client_id"]
            else:
                shown = ", ".join(repr(h) for h in headers)
                problems.append(
                    Problem(
                        f"no column for the client (headers found: {shown}); name it in client.yml "
                        "under billing.columns (client: <header>), or use a recognised header such "
                        "as Customer, Client, Account Name, Company"
                    )
                )
        for col in b.exclude:
            hit = find_header(headers, col)
            if hit is None:
                shown = ", ".join(repr(h) for h in headers)
                problems.append(
                    Problem(f"billing.exclude names column {col!r}, which is not in the file (headers found: {shown})", column=col)
                )
            else:
                excl[col] = hit
        if problems:
            raise ColumnError(b.file, problems)
        fields.update(found)
        return list(dict.fromkeys(list(found.values()) + list(excl.values())))

    return fields, excl, select


def _hint_amounts(examples: Sequence[str], decimal: str) -> str | None:
    if decimal == "." and any(re.fullmatch(r"[^\d]*\d{1,3}(\.\d{3})*,\d+[^\d]*", e) for e in examples):
        return "The amounts look like 1.234,56: set billing.decimal: \",\" in client.yml."
    if decimal == "," and any(re.fullmatch(r"[^\d]*\d{1,3}(,\d{3})*\.\d+[^\d]*", e) for e in examples):
        return "The amounts look like 1,234.56: remove billing.decimal from client.yml."
    return None


def _hint_dates(examples: Sequence[str]) -> str:
    if any(re.match(r"\s*(1[3-9]|2\d|3[01])/\d{1,2}/\d{2,4}", e) for e in examples):
        return 'The dates look day-first (31/01/2024): set billing.date_format: "%d/%m/%Y" in client.yml.'
    return 'Set billing.date_format in client.yml to how the dates are written (e.g. "%d/%m/%Y").'


# --------------------------------------------------------------------------- loading


def load_ledger(config: ClientConfig, as_of: dt.date | str | None = None) -> LoadedLedger:
    """Read ``config.billing`` and return the used rows, the earlier rows, the window and
    the reconciliation. ``as_of`` (the argument) wins over client.yml's ``as_of``, which
    wins over the ledger's last date + 1 day.

    Raises MissingFileError, FileReadError, ColumnError, DataValidationError (every problem
    of the file in one message) or ConfigError (a bad ``as_of``).
    """
    b = config.billing
    as_of_arg = _as_date(as_of, "as_of")
    fields, excl, select = _select_columns(config)
    known = [n for names in LEDGER_NAMES.values() for n in names] + list(b.columns.values())
    raw = read_raw(
        b.file, sheet=b.sheet, encoding=b.encoding, header_row=b.header_row, known=known, select=select
    )
    return _build(raw, config, fields, excl, as_of_arg)


def _build(
    raw: RawTable,
    config: ClientConfig,
    fields: dict[str, str],
    excl: dict[str, str],
    as_of_arg: dt.date | None,
) -> LoadedLedger:
    b = config.billing
    path = raw.path
    src = raw.source_row
    n_all = raw.n_rows

    amt_col = raw.columns[fields["amount"]]
    amounts = parse_amounts(amt_col, decimal=b.decimal, thousands=b.thousands)
    client, client_blank, client_codes = _text_codes(raw.columns[fields["client"]], strip=False)
    if "client_id" in fields:
        client_id, id_blank = cells_to_text(raw.columns[fields["client_id"]], strip=True, na=pd.NA)
    else:
        client_id, id_blank = np.full(n_all, pd.NA, dtype=object), np.ones(n_all, dtype=bool)
    if "seller" in fields:
        seller, seller_blank, seller_codes = _text_codes(raw.columns[fields["seller"]], strip=True, na=pd.NA)
    else:
        seller, seller_blank = np.full(n_all, pd.NA, dtype=object), np.ones(n_all, dtype=bool)
        seller_codes = np.full(n_all, -1, dtype=np.int64)
    dated = "date" in fields
    if dated:
        dates = parse_dates(raw.columns[fields["date"]], b.date_format)
        date_blank, date_ok, day = dates.blank, dates.ok, dates.values
    else:
        date_blank = np.ones(n_all, dtype=bool)
        date_ok = np.zeros(n_all, dtype=bool)
        day = np.full(n_all, np.datetime64("NaT"), dtype="datetime64[ns]")

    # a row with nothing in any field used is a blank line, not a row
    blank_row = amounts.missing & client_blank & id_blank & seller_blank & date_blank
    keep = ~blank_row
    n_blank = int(blank_row.sum())

    # --- whole-file problems: most values of a column unusable
    problems: list[Problem] = []
    hints: list[str] = []
    amt_bad = amounts.unparseable & keep
    amt_given = (~amounts.missing) & keep
    if keep.any() and not amt_given.any():
        problems.append(Problem("every amount is blank", column=fields["amount"]))
    elif amt_bad.sum() > _FATAL_SHARE * amt_given.sum():
        ex = _examples(amt_col, amt_bad)
        problems.append(
            Problem(
                f"{int(amt_bad.sum()):,} of {int(amt_given.sum()):,} amounts are not numbers",
                column=fields["amount"],
                rows=_first_rows(src, amt_bad),
                examples=ex,
                n_rows=int(amt_bad.sum()),
            )
        )
        hint = _hint_amounts(ex, b.decimal)
        if hint:
            hints.append(hint)
    if dated:
        date_col = raw.columns[fields["date"]]
        d_bad = dates.unparseable & keep
        d_given = (~date_blank) & keep
        if keep.any() and not d_given.any() and as_of_arg is None and config.as_of is None:
            problems.append(Problem("every date is blank", column=fields["date"]))
        elif d_bad.sum() > _FATAL_SHARE * d_given.sum() and d_given.any():
            ex = _examples(date_col, d_bad)
            problems.append(
                Problem(
                    f"{int(d_bad.sum()):,} of {int(d_given.sum()):,} dates cannot be read as dates",
                    column=fields["date"],
                    rows=_first_rows(src, d_bad),
                    examples=ex,
                    n_rows=int(d_bad.sum()),
                )
            )
            hints.append(_hint_dates(ex))
    if problems:
        raise DataValidationError(path, problems, hint=" ".join(hints) or None)

    # --- as_of and window
    window: Window | None = None
    if dated:
        if as_of_arg is not None:
            window = twelve_month_window(as_of_arg, "argument")
        elif config.as_of is not None:
            window = twelve_month_window(config.as_of, "config")
        else:
            valid = day[date_ok & keep]
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

    filtered = np.zeros(n_all, dtype=bool)
    for col, header in excl.items():
        values = {v.strip() for v in b.exclude[col]}
        text, _ = cells_to_text(raw.columns[header], strip=True)
        filtered |= np.isin(text, np.asarray(sorted(values), dtype=object))

    # --- reasons, in precedence order (first that applies)
    amt_ok = amounts.ok
    conditions = {
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
    # earlier: rows that would be used but for being dated before the window
    later_ok = ~filtered & ~client_blank & amt_ok & (amounts.micros != 0)
    earlier = keep & before & later_ok

    micros = amounts.micros
    excluded: dict[str, ExcludedRows] = {}
    for code, name in enumerate(REASONS):
        mask = reason == code
        count = int(mask.sum())
        if count:
            excluded[name] = ExcludedRows(
                rows=count, amount=total(pd.Series(micros[mask])), first_rows=_first_rows(src, mask)
            )

    def frame(mask: np.ndarray) -> pd.DataFrame:
        idx = np.flatnonzero(mask)
        out = pd.DataFrame({"source_row": src[idx].astype(np.int64)})
        # one column at a time: no costly consolidation of the object columns
        out["date"] = day[idx] if dated else np.full(len(idx), np.datetime64("NaT"), dtype="datetime64[ns]")
        out["client"] = pd.Series(client[idx], dtype=object)
        out["client_id"] = pd.Series(client_id[idx], dtype=object)
        out["seller"] = pd.Series(seller[idx], dtype=object)
        out["amount"] = micros[idx].astype(np.int64)
        return out

    ledger = frame(used)
    earlier_df = frame(earlier)
    zero = reason == REASONS.index("zero_amount")
    zero_df = frame(zero)
    n_clients = _n_distinct(client, client_codes, used | zero)  # every client seen in the window
    n_sellers = _n_distinct(seller, seller_codes, used)

    notes = list(raw.notes)
    if raw.kind == "xlsx":
        notes.append(f"Read sheet {raw.sheet!r}, header in row {raw.header_row}.")
    elif raw.header_row != 1:
        notes.append(f"Header found in row {raw.header_row}.")
    recon = Reconciliation(
        file=path,
        rows_read=int(keep.sum()),
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
        notes=tuple(notes),
    )
    return LoadedLedger(ledger=ledger, earlier=earlier_df, window=window, reconciliation=recon,
                        config=config, zero_rows=zero_df)

