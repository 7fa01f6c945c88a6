"""An Excel pivot table saved as a ledger: its subtotals for an outer field (a seller's row above
the clients it adds up, compact form), its grand total of the clients only, its '(blank)' for
an empty cell. :func:`pivot_subtotals` leaves the subtotals out on the pivot's whole evidence,
or refuses; :func:`refuse_doubled_by_subtotals` refuses a total that is a half (a third) of
the rows above it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..count_words import agree, plural
from ..errors import DataValidationError, Problem
from ..money import format_money
from .aggregates import AggregateRow, Aggregates
from .cells import TextColumn

__all__ = ["pivot_blank", "pivot_subtotals", "refuse_doubled_by_subtotals"]

#: rows named in a refusal
_FIRST_ROWS = 5
#: how to export a pivot table that its arithmetic does not settle
_EXPORT = ("Export the table without its subtotals (in Excel: PivotTable Design > Subtotals > Do Not Show Subtotals, "
           "and Report Layout > Show in Tabular Form), or export the ledger itself, one row per invoice with its "
           "date, and run again.")


def pivot_subtotals(path: Path, agg: Aggregates, amounts: np.ndarray, lines: np.ndarray, source_row: np.ndarray,
                    labels: Sequence[str | None], blank: np.ndarray, not_totals: Sequence[str],
                    column: str) -> Aggregates:
    """``agg`` with a compact pivot's subtotals on top of its groups, and its grand total, left
    out (:func:`_top_subtotals`); groups found without the grand total's proof are refused,
    unless client.yml's ``not_totals`` names their heads (clients after all)."""
    agg, heads = _top_subtotals(agg, amounts, lines, source_row, labels, blank)
    said = {t.strip().casefold() for t in not_totals}
    if heads and not any(h.label.strip().casefold() in said for h in heads):
        shown = "; ".join(f"row {h.row} {h.label!r} {format_money(h.amount)}" for h in heads[:_FIRST_ROWS])
        raise DataValidationError(path, Problem(
            f"{plural(len(heads), 'row')} of the file each add up the rows below {agree(len(heads), 'it', 'them')} "
            f"up to the next, and the rows split whole so ({shown}): a pivot table's subtotals for an outer field, "
            "such as the seller, written at the top of each group; adding them up would count every client twice",
            column=column, rows=tuple(h.row for h in heads[:_FIRST_ROWS]), n_rows=len(heads)),
            hint=f"{_EXPORT} If each of these rows is a client after all, say so in client.yml: "
                 f"billing.not_totals: [{', '.join(repr(h.label) for h in heads)}].")
    return agg


def _top_subtotals(agg: Aggregates, amounts: np.ndarray, lines: np.ndarray, source_row: np.ndarray,
                  labels: Sequence[str | None], blank: np.ndarray) -> tuple[Aggregates, tuple[AggregateRow, ...]]:
    """``agg`` with the subtotals a pivot table writes at the top of each group (Excel's compact
    form: a seller's row with the total of the clients indented below it) left out too, and its
    grand total. ``lines``: the rows with an amount not yet left out, in order (a client's, or
    a '(blank)' one's); ``labels``: each row's label. Found only on the pivot's whole evidence:
    the lines split whole into groups, each headed by the sum of the lines after it up to the
    next head (a group closes after its last matching line: a client billing 0 may end it), two
    groups at least and one of two lines or more; and a grand total below them, left undecided,
    that adds up every line but the heads. A list of clients that merely splits so (flat fees:
    24,000 above two of 12,000) has no such grand total, or one that adds up the heads too.
    ``blank``: the lines naming no one ('(blank)'), which may also stand alone, outside any group.
    Also returned: the heads of such groups found without the grand total (a pivot's grand
    total may be turned off), when a head holds cents (flat fees are whole): the caller refuses."""
    undecided = {u.row for u in agg.undecided}
    at = np.array([r for r in np.flatnonzero(lines).tolist() if int(source_row[r]) not in undecided], dtype=np.int64)
    a = amounts[at].astype(np.int64)
    n = len(at)
    if n < 3:
        return agg, ()
    heads: list[tuple[int, int]] = []  # (position of the head, its group's last position)
    i = 0
    while i < n:
        total, j = 0, i + 1
        while j < n:
            total += int(a[j])
            j += 1
            if total == a[i]:
                break
        if j == i + 1 or total != a[i]:
            if blank[at[i]]:  # a line naming no one, on its own
                i += 1
                continue
            return agg, ()
        while j < n and a[j] == 0:  # lines billing nothing at the end of the group stay in it
            j += 1
        heads.append((i, j - 1))
        i = j
    if len(heads) < 2 or all(last == head + 1 for head, last in heads):
        return agg, ()
    head_rows = {int(at[h]) for h, _ in heads}
    grand = []
    for u in agg.undecided:
        r = int(np.searchsorted(source_row, u.row))
        above = [k for k in at.tolist() if k < r and k not in head_rows]  # the lone blank lines too
        if r > int(at[-1]) and u.amount == int(amounts[above].astype(np.int64).sum()):
            grand.append((u, len(above)))
    rows_of_heads = []
    for head, last in heads:
        r = int(at[head])
        span = f"rows {int(source_row[at[head + 1]])}-{int(source_row[at[last]])}" if last > head + 1 else \
            f"row {int(source_row[at[last]])}"
        rows_of_heads.append(AggregateRow(int(source_row[r]), str(labels[r] or ""), int(a[head]),
                                          f"the sum of {span}, below it: a subtotal at the top of its group",
                                          "below", last - head))
    if not grand:
        return agg, tuple(rows_of_heads) if any(int(a[h]) % 1_000_000 for h, _ in heads) else ()
    mask = agg.mask.copy()
    found = list(agg.rows)
    for head_row in rows_of_heads:
        mask[int(np.searchsorted(source_row, head_row.row))] = True
        found.append(head_row)
    for u, k in grand:  # the pivot's grand total: every line but the groups' subtotals
        mask[int(np.searchsorted(source_row, u.row))] = True
        found.append(dataclasses.replace(u, adds_up="the sum of every row above it but the groups' subtotals",
                                         basis="above", n_rows=k))
    found.sort(key=lambda x: x.row)
    taken = {u.row for u, _ in grand}
    return Aggregates(mask=mask, rows=tuple(found), undecided=tuple(u for u in agg.undecided if u.row not in taken)), ()


def refuse_doubled_by_subtotals(path: Path, agg: Aggregates, micros: np.ndarray, lines: np.ndarray,
                                 src: np.ndarray) -> None:
    """A file without dates whose total (labelled so, not a sum of the rows) is a half (a third,
    a quarter) of what the rows above it add up to: those rows hold subtotals beside the clients
    they add up (a pivot table's rows for outer fields, which the arithmetic did not place, its
    amounts rounded). Refused, also when client.yml leaves the total out: every client would
    count twice (three times). ``lines``: the rows with an amount, not left out (by client.yml
    either: the subtotal rows the consultant left out are not counted)."""
    for a in agg.undecided:
        r = int(np.searchsorted(src, a.row))
        above = int(micros[:r][lines[:r]].sum())
        times = round(above / a.amount) if a.amount > 0 else 0
        if times in (2, 3, 4) and abs(above - times * a.amount) <= 0.05 * a.amount * times:
            raise DataValidationError(path, Problem(
                f"row {a.row} {a.label!r} ({format_money(a.amount)}) is {('half', 'a third', 'a quarter')[times - 2]} "
                f"of what the rows above it add up to ({format_money(above)}): those rows hold subtotals beside the "
                "clients they add up (a pivot table's rows for outer fields, such as the region or the seller, above "
                f"or below its clients), so adding them all up would count every client {times} times", rows=(a.row,)),
                hint=_EXPORT)


#: the label an Excel pivot table gives the rows whose field is empty, in Excel's languages
_PIVOT_BLANK = frozenset({"(blank)", "(leer)", "(vide)", "(vacío)", "(vacio)", "(vuoto)", "(leeg)", "(tom)", "(tyhjä)",
                          "(em branco)", "(puste)"})


def pivot_blank(col: TextColumn) -> np.ndarray:
    """The rows whose client cell is a pivot table's word for an empty cell ('(blank)'): no
    client is named there."""
    hits = [i for i, t in enumerate(col.uniques.tolist()) if t is not None and t.lower() in _PIVOT_BLANK]
    return np.isin(col.codes, hits) if hits else np.zeros(len(col.codes), dtype=bool)
