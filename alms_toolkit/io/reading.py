"""How a ledger file was understood: the sheet, the header row, the separator and the
encoding, the columns chosen (and the runners-up), the number format, the date order,
the layout (sections filled down, merged cells, labels filled down), and the rows left out
as totals, headings or notes. ``alms validate`` prints it, the report's reconciliation
appendix shows it, and :meth:`Reading.settings` gives the client.yml settings that pin it
so every later run reads the file the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..money import format_money, to_str
from .aggregates import AggregateRow
from .column_choice import ColumnChoice

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Reading"]

_DELIMS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
#: each of LEDGER_FIELDS as the reading's table names it
_FIELD_TOPIC = {"date": "Date column", "client": "Client column", "amount": "Amount column",
                "seller": "Seller column", "client_id": "Client id column", "parent": "Parent account column",
                "credit": "Credit column"}


@dataclass(frozen=True)
class Reading:
    """The reading of one ledger file (see the module docstring)."""

    file: Path
    kind: str  # "csv" or "xlsx"
    header_row: int
    header_reason: str
    columns: tuple[ColumnChoice, ...]
    sheet: str | None = None
    sheet_reason: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    title: tuple[str, ...] = ()
    #: the decimal mark and thousands separator used, and why
    decimal: str = "."
    thousands: str | None = None
    numbers_why: str = ""
    #: the decimal mark was decided (by the values or client.yml), not a default
    decimal_decided: bool = False
    #: the date order: date_format to pin ("%d/%m/%Y"), or None when nothing to pin
    date_format: str | None = None
    dates_why: str = ""
    #: "lines" (one row per invoice or line), "sections" (client on heading rows) or
    #: "totals" (one row per client with a 12-month total)
    layout: str = "lines"
    layout_why: str = ""
    fill_down: tuple[str, ...] = ()
    fills: tuple[str, ...] = ()
    aggregates: tuple[AggregateRow, ...] = ()
    notes_rows: tuple[int, ...] = ()
    notes_examples: tuple[str, ...] = ()
    hidden_rows: str | None = None
    notes: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnChoice | None:
        return next((c for c in self.columns if c.field == name), None)

    def settings(self) -> dict[str, Any]:
        """The ``billing`` settings of client.yml that pin this reading (sheet, header row,
        encoding, delimiter, columns, decimal, date format, fill-down, totals layout)."""
        out: dict[str, Any] = {}
        if self.kind == "xlsx" and self.sheet is not None:
            out["sheet"] = self.sheet
        out["header_row"] = self.header_row
        if self.kind == "csv":
            if self.encoding:
                out["encoding"] = self.encoding
            if self.delimiter:
                out["delimiter"] = _DELIMS.get(self.delimiter, self.delimiter)
        out["columns"] = {c.field: c.header for c in self.columns if c.header is not None and c.how != "none"}
        if self.decimal_decided:
            out["decimal"] = self.decimal
        if self.date_format:
            out["date_format"] = self.date_format
        if self.fill_down:
            out["fill_down"] = list(self.fill_down)
        if self.layout == "totals":
            out["twelve_month_totals"] = True
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "kind": self.kind,
            "sheet": self.sheet,
            "sheet_reason": self.sheet_reason,
            "header_row": self.header_row,
            "header_reason": self.header_reason,
            "title": list(self.title),
            "encoding": self.encoding,
            "delimiter": _DELIMS.get(self.delimiter or "", self.delimiter),
            "columns": {
                c.field: {
                    "header": c.header,
                    "how": c.how,
                    "why": c.why,
                    "runners_up": [{"header": r.header, "why": r.why} for r in c.runners_up],
                }
                for c in self.columns
            },
            "decimal": self.decimal,
            "thousands": self.thousands,
            "numbers_why": self.numbers_why,
            "date_format": self.date_format,
            "dates_why": self.dates_why,
            "layout": self.layout,
            "layout_why": self.layout_why,
            "fill_down": list(self.fill_down),
            "fills": list(self.fills),
            "aggregates": [
                {"row": a.row, "label": a.label, "amount": to_str(a.amount), "adds_up": a.adds_up}
                for a in self.aggregates
            ],
            "notes_rows": list(self.notes_rows),
            "hidden_rows": self.hidden_rows,
            "notes": list(self.notes),
            "settings": self.settings(),
        }

    def lines(self, currency: str = "$", max_rows: int = 5) -> list[tuple[str, str]]:
        """(topic, what was read) pairs, in the order a consultant checks them."""
        out: list[tuple[str, str]] = []
        if self.kind == "xlsx":
            out.append(("Sheet", f"{self.sheet!r}: {self.sheet_reason}"))
        else:
            enc = self.encoding or "utf-8"
            out.append(("File", f"text, {enc}, {_DELIMS.get(self.delimiter or ',', self.delimiter)}-separated"))
        head = f"row {self.header_row} ({self.header_reason})"
        if self.title:
            shown = " / ".join(t[:60] for t in self.title[:3])
            head += f"; above it: {shown}" + (" ..." if len(self.title) > 3 else "")
        out.append(("Header", head))
        for c in self.columns:
            if c.header is None:
                if c.field in ("date", "amount", "client"):
                    out.append((_FIELD_TOPIC[c.field], f"none ({c.why})"))
                continue
            how = {"header name": "", "client.yml": "", "content": "by content: ", "evidence": "by evidence: ",
                   "layout": "by layout: "}.get(c.how, "")
            text = f"{c.header!r}: {how}{c.why}"
            others = [r for r in c.runners_up if r.header != c.header]
            if others and c.how not in ("header name",):
                text += "; not " + "; ".join(f"{r.header!r} ({r.why})" for r in others[:3])
            out.append((_FIELD_TOPIC[c.field], text))
        mark = "1,234.56" if self.decimal == "." else "1.234,56"
        out.append(("Numbers", f"decimal {self.decimal!r} ({mark}): {self.numbers_why}"))
        if self.dates_why:
            out.append(("Dates", self.dates_why))
        out.append(("Layout", self.layout_why or self.layout))
        for f in self.fills:
            out.append(("Adjusted", f))
        if self.aggregates:
            shown = "; ".join(
                f"row {a.row} {a.label!r} {format_money(a.amount, currency)} ({a.adds_up})"
                for a in self.aggregates[:max_rows]
            )
            more = len(self.aggregates) - max_rows
            out.append(("Totals rows", f"{len(self.aggregates):,} left out: {shown}" + (f"; and {more:,} more" if more > 0 else "")))
        if self.notes_rows:
            shown = ", ".join(str(r) for r in self.notes_rows[:max_rows])
            ex = "; ".join(repr(e[:60]) for e in self.notes_examples[:2])
            out.append(("Notes rows", f"{len(self.notes_rows):,} left out (rows {shown}" + (" ..." if len(self.notes_rows) > max_rows else "") + f"), e.g. {ex}"))
        if self.hidden_rows:
            out.append(("Hidden rows", self.hidden_rows))
        for note in self.notes:
            out.append(("Note", note))
        return out

    def to_frame(self, currency: str = "$") -> pd.DataFrame:
        """The reading as a two-column table (topic, what was read) for the report."""
        import pandas as pd

        return pd.DataFrame(self.lines(currency), columns=["topic", "reading"])

    def to_text(self, currency: str = "$") -> str:
        rows = self.lines(currency)
        width = max(len(t) for t, _ in rows) + 2
        return "\n".join(f"{t + ':':<{width}}{v}" for t, v in rows)
