"""One table cell's value: missing or not, and its text (for CSV, XLSX and HTML writers)."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["is_missing", "cell_text"]


def is_missing(value: Any) -> bool:
    """None, NaN, ``pd.NA`` and ``pd.NaT`` are missing; any other scalar is a value."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: not a single missing scalar
        return False


def cell_text(value: Any) -> str:
    """The cell as text; "" when missing."""
    return "" if is_missing(value) else str(value)
