"""Nothing lost: every row read is used or counted under one named reason, to the cent.

Identity, always: ``rows_read == rows_used + sum(rows excluded)`` and
``amount_read == amount_used + sum(amount excluded)`` (an unparseable or missing amount
counts 0, and so does a totals row: its amount is a sum of other rows, so adding it would
count money twice; its stated amount is kept beside it). A row is counted under the first
reason of :data:`REASONS` that applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..money import format_money, to_str

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REASONS", "REASON_LABELS", "ExcludedRows", "Reconciliation"]

#: exclusion reasons, in precedence order
REASONS: tuple[str, ...] = (
    "footer",
    "section_header",
    "aggregate",
    "hidden_row",
    "unparseable_date",
    "missing_amount",
    "unparseable_amount",
    "outside_window",
    "excluded_by_filter",
    "blank_client",
    "zero_amount",
)

#: how each reason reads in a table for the consultant
REASON_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "footer": "report notes, footers or repeated headers",
        "section_header": "section headings (a heading line above its rows)",
        "aggregate": "totals and subtotals (sums of other rows)",
        "hidden_row": "hidden in the workbook (billing.hidden_rows: exclude)",
        "unparseable_date": "date missing or not a date",
        "missing_amount": "amount blank",
        "unparseable_amount": "amount not a number",
        "outside_window": "dated outside the 12-month window",
        "excluded_by_filter": "left out by billing.exclude",
        "blank_client": "client blank",
        "zero_amount": "amount exactly 0",
    }
)


@dataclass(frozen=True)
class ExcludedRows:
    """Rows left out for one reason: how many, their amount (micros), the first few
    spreadsheet row numbers."""

    rows: int
    amount: int
    first_rows: tuple[int, ...] = ()
    #: totals rows: the amounts they state (not counted in ``amount``: they are sums)
    stated_amount: int | None = None


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


@dataclass(frozen=True)
class Reconciliation:
    """Rows and money read, used and excluded (by reason) when loading one ledger."""

    file: Path
    rows_read: int
    rows_used: int
    amount_read: int
    amount_used: int
    excluded: Mapping[str, ExcludedRows]
    n_rounded: int = 0
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    as_of: dt.date | None = None
    as_of_source: str | None = None
    n_distinct_clients: int = 0
    n_distinct_sellers: int = 0
    blank_rows_skipped: int = 0
    columns: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: the first and last dates of the ledger's usable dated rows (inside the window or not)
    dates_from: dt.date | None = None
    dates_to: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "excluded", MappingProxyType(dict(self.excluded)))
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))

    def __getstate__(self) -> dict[str, object]:
        """Picklable (the read-only mappings as plain dicts; restored read-only)."""
        state = dict(self.__dict__)
        state["excluded"], state["columns"] = dict(self.excluded), dict(self.columns)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    @property
    def window_skipped(self) -> bool:
        """True for a totals ledger (no date column): no window applies."""
        return self.window_start is None

    @property
    def rows_excluded(self) -> int:
        return sum(e.rows for e in self.excluded.values())

    @property
    def amount_excluded(self) -> int:
        return sum(e.amount for e in self.excluded.values())

    def balances(self) -> bool:
        """The identity holds for rows and for money."""
        return (
            self.rows_read == self.rows_used + self.rows_excluded
            and self.amount_read == self.amount_used + self.amount_excluded
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``alms validate --json`` (amounts as exact decimal strings)."""
        out: dict[str, Any] = {
            "file": str(self.file),
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_excluded": {
                reason: {
                    "rows": e.rows,
                    "amount": to_str(e.amount),
                    "first_rows": list(e.first_rows),
                    **({"stated_amount": to_str(e.stated_amount)} if e.stated_amount is not None else {}),
                }
                for reason, e in self.excluded.items()
            },
            "amount_read": to_str(self.amount_read),
            "amount_used": to_str(self.amount_used),
            "window_start": _iso(self.window_start),
            "window_end": _iso(self.window_end),
            "as_of": _iso(self.as_of),
            "as_of_source": self.as_of_source,
            "n_distinct_clients": self.n_distinct_clients,
            "n_distinct_sellers": self.n_distinct_sellers,
            "n_rounded": self.n_rounded,
            "blank_rows_skipped": self.blank_rows_skipped,
            "columns": dict(self.columns),
            "dates_from": _iso(self.dates_from),
            "dates_to": _iso(self.dates_to),
        }
        if self.window_skipped:
            out["window_skipped"] = True
        return out

    def to_frame(self, currency: str = "$") -> pd.DataFrame:
        """The reconciliation as a table (what, rows, amount in micros) for the report:
        read, used, and each reason set aside. Totals rows count 0 (their stated sum is
        named in the label: adding it would count the money twice)."""
        import pandas as pd

        rows = [("Read from the ledger", self.rows_read, self.amount_read),
                ("Used in this audit", self.rows_used, self.amount_used)]
        for reason, e in self.excluded.items():
            label = f"Set aside: {REASON_LABELS.get(reason, reason.replace('_', ' '))}"
            if e.stated_amount is not None:
                label += f" - they state {format_money(e.stated_amount, currency)}, not added"
            rows.append((label, e.rows, e.amount))
        return pd.DataFrame(rows, columns=["what", "rows", "amount"])

    def to_text(self, currency: str = "$") -> str:
        """A plain table for the terminal or a notebook."""
        money = lambda v: format_money(v, currency)  # noqa: E731
        width = max([len(REASON_LABELS.get(r, r)) + 4 for r in self.excluded] + [28])
        lines = [f"File: {self.file}"]
        if self.columns:
            lines.append("Columns: " + ", ".join(f"{k} = {v!r}" for k, v in self.columns.items()))
        if self.window_skipped:
            lines.append("Window: none (one row per client, no date column): the window step is skipped")
        else:
            last = self.window_end - dt.timedelta(days=1) if self.window_end else None
            lines.append(
                f"Window: {_iso(self.window_start)} to {_iso(last)} "
                f"(as of {_iso(self.as_of)}, from the {self.as_of_source})"
            )
        lines.append("")
        lines.append(f"{'':<{width}}  {'rows':>12}  {'amount':>20}")
        lines.append(f"{'Rows read':<{width}}  {self.rows_read:>12,}  {money(self.amount_read):>20}")
        for reason, e in self.excluded.items():
            label = "  - " + REASON_LABELS.get(reason, reason)
            amount = money(e.amount) if e.stated_amount is None else f"({money(e.stated_amount)})"
            lines.append(f"{label:<{width}}  {e.rows:>12,}  {amount:>20}")
        lines.append(f"{'Rows used':<{width}}  {self.rows_used:>12,}  {money(self.amount_used):>20}")
        lines.append("")
        lines.append(f"Distinct clients in the 12-month window: {self.n_distinct_clients:,}")
        lines.append(f"Distinct sellers in the rows used: {self.n_distinct_sellers:,}")
        if self.blank_rows_skipped:
            lines.append(f"Blank rows skipped (nothing in them): {self.blank_rows_skipped:,}")
        if any(e.stated_amount is not None for e in self.excluded.values()):
            lines.append("Totals rows state sums of other rows: their amounts, in brackets, are not added.")
        if self.n_rounded:
            lines.append(f"Amounts with more than 6 decimals, rounded: {self.n_rounded:,}")
        for reason, e in self.excluded.items():
            if e.first_rows and reason != "outside_window":
                shown = ", ".join(str(r) for r in e.first_rows)
                lines.append(f"First rows {REASON_LABELS.get(reason, reason)}: {shown}")
        lines.extend(self.notes)
        return "\n".join(lines)
