"""Reading client files: the billing ledger (exact, reconciled), account lists and
prospects. Names are loaded on first use (importing this package imports nothing heavy)."""

from __future__ import annotations

from ..lazy import lazy_exports

#: public name -> module (relative to this package)
_EXPORTS: dict[str, str] = {
    "load_ledger": "ledger",
    "LoadedLedger": "ledger",
    "LEDGER_COLUMNS": "ledger",
    "Reconciliation": "reconciliation",
    "ExcludedRows": "reconciliation",
    "REASONS": "reconciliation",
    "Window": "window",
    "twelve_month_window": "window",
    "months_before": "window",
    "parse_amounts": "amounts",
    "parse_amount": "amounts",
    "parse_dates": "dates",
    "read_table": "tables",
    "read_raw": "readers",
    "LEDGER_NAMES": "columns",
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
