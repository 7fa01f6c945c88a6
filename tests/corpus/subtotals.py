"""Excel's Data > Subtotal, computed the way Excel does it (for the shapes and the
property test): after each run of one client a row ``<label>`` holding the run's
SUM/COUNT/AVERAGE, and a grand row at the end over every detail row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from corpus.data import group_by_client
from corpus.model import Line

__all__ = ["Item", "subtotal_items", "FUNCTIONS"]

#: Excel's SUBTOTAL function numbers
FUNCTIONS = {"sum": 9, "count": 2, "average": 1}


@dataclass(frozen=True)
class Item:
    """One output row: a detail line, or a subtotal/grand row with its value and the
    0-based detail indexes it covers (first, last) within the detail list."""

    kind: str  # "detail", "sub", "grand"
    line: Line | None = None
    label: str = ""
    value: Decimal = Decimal(0)
    first: int = 0
    last: int = 0


def _agg(values: Sequence[Decimal], func: str) -> Decimal:
    if func == "sum":
        return sum(values, Decimal(0))
    if func == "count":
        return Decimal(len(values))
    mean = sum(values, Decimal(0)) / len(values)
    return mean.quantize(Decimal("0.0000001"), rounding=ROUND_HALF_UP)


def subtotal_items(
    lines: Sequence[Line],
    *,
    label: Callable[[str], str] = lambda c: f"{c} Total",
    grand: str = "Grand Total",
    func: str = "sum",
) -> list[Item]:
    """``lines`` must already be sorted by client (Excel's rule before Subtotal)."""
    items: list[Item] = []
    i = 0
    for client, run in group_by_client(lines):
        first = i
        for ln in run:
            items.append(Item("detail", line=ln))
            i += 1
        items.append(Item("sub", label=label(client), value=_agg([ln.amount for ln in run], func), first=first, last=i - 1))
    items.append(Item("grand", label=grand, value=_agg([ln.amount for ln in lines], func), first=0, last=len(lines) - 1))
    return items
