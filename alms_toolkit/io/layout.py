"""The layout of a report-style export, row by row: section headings that name the client
of the lines below them (QuickBooks' *Sales by Customer Detail*), vertically merged cells,
labels left blank under the first row of a group, notes and footers after the data, and
header lines repeated inside the table (page breaks).

Every function is pure: arrays per row in, a new array or a small frozen result out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .aggregates import label_kind, normalise_label

__all__ = [
    "Sections",
    "find_sections",
    "fill_merged",
    "fill_down",
    "trailing_notes",
    "grouped_runs",
    "continuation_lines",
    "names_no_client",
    "heading_name",
]

_MONTH = (r"(?:jan(?:uary|vier|uar)?|feb(?:ruary|rier|ruar)?|f[ée]v(?:rier)?|mar(?:ch|s|z)?|m[äa]rz|apr(?:il)?|avr(?:il)?|"
          r"may|mai|jun[ei]?|juin|jul[iy]?|juil(?:let)?|aug(?:ust)?|ao[uû]t|sep(?:t|tember|tembre)?|oct(?:ober|obre)?|"
          r"okt(?:ober)?|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember)?)\.?")
_YEAR = r"(?:(?:fy|ay)\s*)?'?\d{2}(?:\d{2})?(?:\s*[-/]\s*\d{2,4})?"
#: a heading that is, as a whole, a period ('Q1 2024', 'Qtr 1', 'January 2024', 'Jan-Mar', 'Week 3',
#: 'FY24', '2024'), a kind of document or a status ('Invoices', 'Credit Notes', 'Paid'), a
#: currency code or a bare number: such headings group lines by something other than the client
_NOT_A_CLIENT = re.compile(
    rf"^(?:{_YEAR}|\d+|"
    rf"(?:q|qtr|quarter|h|half|p|period|wk|weeks?|months?)\s*\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?(?:\s*[-/,]?\s*{_YEAR})?|"
    rf"(?:[1-4](?:st|nd|rd|th)|first|second|third|fourth)\s+(?:qtr|quarter|half)(?:\s*[-/,]?\s*{_YEAR})?|"
    rf"{_MONTH}(?:\s*[-–/]\s*{_MONTH})?(?:\s*[-/,]?\s*{_YEAR})?|"
    r"(?:prior|previous|current|this|last|next)\s+(?:periods?|years?|months?|quarters?)|opening balances?|"
    r"(?:sales\s+|tax\s+)?(?:invoices?|credit\s*notes?|debit\s*notes?|credit\s*memos?|credits?|refunds?|payments?|"
    r"receipts?|orders?|returns?|adjustments?|journals?|quotes?|estimates?)|sales|other|miscellaneous|unassigned|"
    r"paid|unpaid|overdue|draft|void(?:ed)?|awaiting\s+(?:payment|approval)|partially\s+paid|pending|open|closed|"
    r"usd|eur|gbp|cad|aud|nzd|chf|jpy|cny|inr|sek|nok|dkk|zar|sgd|hkd|mxn|brl|pln)$",
    re.I,
)


def names_no_client(labels: Sequence[object]) -> bool:
    """Whether any of these heading labels is, as a whole, a period, a kind of document, a
    status, a currency code or a number ('Q1 2024', 'January', 'Invoices', 'Paid', 'USD'):
    headings of such a report group lines by something else than the client. A name that
    only starts with a month or holds a year ('March Hare Ltd', '2020 Vision Optometry') is
    a name."""
    return any(_NOT_A_CLIENT.match(" ".join(str(t).split()).strip(" :")) for t in labels)


@dataclass(frozen=True)
class Sections:
    """Section headings found in one column: ``heading`` marks their rows, ``client``
    holds, for each row under a heading, the client that heading names (None elsewhere);
    ``nested``: headings inside headings were found (the outer one is the client)."""

    heading: np.ndarray
    client: np.ndarray
    column: str
    nested: bool
    examples: tuple[str, ...]
    #: heading rows in other columns inside a client's section (QuickBooks' sub-customers and
    #: jobs, written one column in): how many, and the first (label, column)
    n_inner: int = 0
    inner: tuple[tuple[str, str], ...] = ()


#: a page break written in the heading column: 'Continued on next page', '(continued)', or the
#: open heading again with the word ('Acme Corp (continued)', 'Acme Corp - cont'd'); group ``x``:
#: the name before it, if any ('Continued Care Ltd' is a name)
_CONTINUED = re.compile(
    r"^(?:(?P<x>.*?\S)\s*(?:[(\[]\s*|[-–—:,]\s*))?\(?(?:continued|cont(?:['’]d|\.|d)?)\.?\)?"
    r"(?:\s+(?:on|from)\s+(?:the\s+)?(?:next|previous|following|prior|last)\s+page)?\s*[)\]]?\W*$",
    re.I,
)


#: a grouped report's count after the group's name: 'Cobalt Mining Ltd (28 records)'
_COUNT_SUFFIX = re.compile(
    r"\s*\(\s*\d[\d,.]*\s+(?:records?|rows?|items?|lines?|entries|opportunities|deals|invoices?|transactions?)\s*\)\s*$",
    re.I)


def heading_name(label: str, column: str) -> str:
    """The client a heading names: its text with the spaces made single, without the column's
    own header before a colon ('Account Name: Cobalt Mining Ltd', as Salesforce writes a
    group) nor a count of the group's rows after it ('(28 records)')."""
    text = " ".join(label.split())
    head = " ".join(column.split())
    if head and text.casefold().startswith(head.casefold()):
        rest = text[len(head):].lstrip()
        if rest.startswith(":") and rest[1:].strip():
            text = rest[1:].strip()
    return _COUNT_SUFFIX.sub("", text) or text


def _outer(stack: Sequence[tuple[str, bool, int]], sellers: frozenset[str]) -> str:
    """The client of lines under these open headings: the outermost that is not a seller."""
    names = [s for s, _, _ in stack]
    return next((s for s in names if s not in sellers), names[-1])


def find_sections(
    *,
    labels: np.ndarray,
    label_blank: np.ndarray,
    n_filled: np.ndarray,
    amount_ok: np.ndarray,
    amount_missing: np.ndarray,
    date_blank: np.ndarray,
    blank_row: np.ndarray,
    column: str,
    sellers: frozenset[str] = frozenset(),
) -> Sections | None:
    """Section headings in the column ``labels``: a row holding only a label (no amount,
    no date) followed by lines with amounts whose label cell is blank, closed by a
    ``Total for X`` row or by the next heading. None when the column is not laid out so
    (most lines with an amount must sit under a heading with their own label blank)."""
    n = len(labels)
    heading = (~label_blank) & amount_missing & date_blank & (n_filled <= 1)
    kinds = [label_kind(str(labels[i]))[0] if heading[i] else None for i in range(n)] if heading.any() else []
    for h in np.flatnonzero(heading):
        if kinds[h] == "pure":  # "TOTAL" without an amount is not a heading ("Total Wine & More" is)
            heading[h] = False
    details = amount_ok & label_blank
    if not heading.any() or details.sum() < 0.5 * max(int(amount_ok.sum()), 1):
        return None
    client = np.full(n, None, dtype=object)
    # open headings, outermost first: (label, has lines directly under it, its row)
    stack: list[tuple[str, bool, int]] = []
    nested = False
    under = 0
    # headings that took the place of one with lines (taken for a sibling, a new client): the
    # stack as it was, the replacing heading's row, and the client the replaced one's lines
    # had. A 'Total for X' closing a replaced X shows the headings after X were inside X's
    # section (a group of X's lines, a job): their lines are given back to X's client
    replaced: list[tuple[list[tuple[str, bool, int]], int, object]] = []
    for i in range(n):
        if heading[i]:
            lab = heading_name(str(labels[i]), column)
            marker = _CONTINUED.match(lab)
            if marker is not None:  # a page break: the open heading goes on
                name = marker.group("x")
                if not name or (stack and normalise_label(name) == normalise_label(stack[-1][0])):
                    heading[i] = False
                    continue
                lab = name  # 'Acme Corp (continued)' under another heading: Acme's section again
            if stack and not stack[-1][1]:
                nested = True
            elif stack:
                replaced.append((list(stack), i, _outer(stack, sellers)))
                stack.pop()
            stack.append((lab, False, i))
            continue
        if blank_row[i]:
            continue
        if not label_blank[i]:
            kind, subject, _ = label_kind(str(labels[i]))
            if kind == "affix" and subject is not None and not amount_missing[i]:
                norm = [normalise_label(s) for s, _, _ in stack]
                if subject in norm:
                    at = norm.index(subject)
                    # the replaced headings inside the one closed are closed with it
                    replaced = [r for r in replaced if r[1] <= stack[at][2]]
                    del stack[at:]
                else:
                    back = [k for k, r in enumerate(replaced) if normalise_label(r[0][-1][0]) == subject]
                    if back:  # X's total after other headings: they and their lines are X's
                        before, first, owner = replaced[back[-1]]
                        inside = np.arange(first, i)
                        heading[inside] = False
                        client[inside[client[inside] != None]] = owner  # noqa: E711 - an object array
                        replaced = replaced[: back[-1]]
                        stack = before[:-1]
            continue
        if details[i] and stack:
            stack[-1] = (stack[-1][0], True, stack[-1][2])
            client[i] = _outer(stack, sellers)
            under += 1
    if under < 0.5 * details.sum():
        return None
    examples = tuple(dict.fromkeys(" ".join(str(labels[i]).split()) for i in np.flatnonzero(heading)[:5]))
    return Sections(
        heading=heading, client=client, column=column,
        nested=nested, examples=examples,
    )


def fill_merged(
    cells: np.ndarray, column: int, first_row: int, merges: Sequence[tuple[int, int, int, int]]
) -> tuple[np.ndarray, int]:
    """A column's cells with vertically merged ranges filled from their top cell.
    ``column`` is the column's spreadsheet number (1-based), ``first_row`` the spreadsheet
    row of ``cells[0]``. Returns the new cells and how many were filled."""
    out = cells.copy()
    filled = 0
    for r1, c1, r2, c2 in merges:
        if not (c1 <= column <= c2) or r2 <= r1:
            continue
        top = r1 - first_row
        if top < 0 or top >= len(out):
            continue
        value = out[top]
        lo, hi = top + 1, min(r2 - first_row + 1, len(out))
        for k in range(lo, hi):
            if out[k] is None or (isinstance(out[k], str) and not out[k].strip()):
                out[k] = value
                filled += 1
    return out, filled


def fill_down(texts: np.ndarray, blank: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Blank cells of the rows in ``rows`` take the value above them (the last non-blank
    one). Returns (texts, blank, how many were filled)."""
    idx = np.where(~blank, np.arange(len(texts)), -1)
    last = np.maximum.accumulate(idx) if len(idx) else idx
    take = blank & rows & (last >= 0)
    out = texts.copy()
    out[take] = texts[last[take]]
    new_blank = blank & ~take
    return out, new_blank, int(take.sum())


def continuation_lines(rows: np.ndarray, blank: np.ndarray, invoice: np.ndarray | None,
                       nothing_else: np.ndarray) -> np.ndarray:
    """The rows of ``rows`` (lines with an amount, in file order) whose ``blank`` field (a
    client or a date left blank) continues the line above: the same invoice number as the
    line above (``invoice``: codes, -1 blank; None: no invoice column), or nothing at all
    that says which invoice the line is of (``nothing_else``: its date, client and invoice
    number blank), under a line that has the field. A report or a workbook's merged cells
    saved as CSV write an invoice's client and date on its first line only."""
    sel = np.flatnonzero(rows)
    out = np.zeros(len(rows), dtype=bool)
    if len(sel) < 2:
        return out
    blank_sel = blank[sel]
    if not blank_sel[1:].any():
        return out  # every line but the first has the field: nothing continues
    # per line: its field blank, and of the invoice of the line above (the first line: never)
    if invoice is not None:
        inv = invoice[sel]
        same_invoice = (inv[1:] >= 0) & (inv[1:] == inv[:-1])
        link = np.concatenate([[False], blank_sel[1:] & (same_invoice | nothing_else[sel[1:]])])
    else:
        link = np.concatenate([[False], blank_sel[1:] & nothing_else[sel[1:]]])
    starts = link & ~np.concatenate([[False], link[:-1]])
    # a run of such lines counts when the line just above its first one has the field (an
    # invoice whose every line is blank, its first line included, has no field to continue)
    under_filled = starts & ~np.concatenate([blank_sel[:1], blank_sel[:-1]])
    if not under_filled.any():
        return out
    run = np.cumsum(starts)
    good = np.zeros(int(run[-1]) + 1, dtype=bool)
    good[run[under_filled]] = True
    out[sel[link & good[run]]] = True
    return out


def trailing_notes(data_like: np.ndarray, blank_row: np.ndarray) -> np.ndarray:
    """Rows after the last data-like row that are not blank: notes and footers."""
    n = len(data_like)
    hits = np.flatnonzero(data_like)
    last = int(hits[-1]) if len(hits) else -1
    out = np.zeros(n, dtype=bool)
    out[last + 1 :] = ~blank_row[last + 1 :]
    return out


def grouped_runs(keys: np.ndarray, blank: np.ndarray, rows: np.ndarray) -> int:
    """How many groups have blank labels under their name, when the blanks look like a
    grouped report's suppressed repeats: among ``rows``, every named value is written on
    one row only and every blank label sits under a named one. 0 when the pattern does
    not hold (or holds for fewer than two groups: too little to tell)."""
    sel = np.flatnonzero(rows)
    if not len(sel) or blank[sel[0]]:
        return 0
    seen: set[object] = set()
    groups_with_blanks = 0
    under_blank = False
    for i in sel:
        if blank[i]:
            if not under_blank:
                groups_with_blanks += 1
                under_blank = True
            continue
        k = keys[i]
        if k in seen:
            return 0
        seen.add(k)
        under_blank = False
    return groups_with_blanks if groups_with_blanks >= 2 else 0
