"""Which sheet of a workbook holds the ledger: the one with a date, a client and an
amount column among its first rows, not a pivot table or a summary placed first."""

from __future__ import annotations

from collections.abc import Sequence

from .aggregates import label_kind
from .column_choice import _tier, all_ledger_names
from .dates import is_period

__all__ = ["rank_sheet"]


def rank_sheet(name: str, rows: Sequence[Sequence[object]]) -> tuple[float, str]:
    """How much a workbook sheet looks like a billing ledger (score, what it holds)."""
    from .readers import _find_header

    if not rows:
        return 0.0, "empty"
    hidx, _ = _find_header(rows, all_ledger_names())
    header = [str(c) for c in rows[hidx] if c is not None and str(c).strip()]
    found = {f: next((h for h in header if _tier(f, h) is not None), None) for f in ("date", "client", "amount")}
    texts = [str(c).strip().casefold() for r in rows[:60] for c in r if isinstance(c, str)]
    # a 'Grand Total' line ends a pivot table, but also a ledger with Excel's Data > Subtotal:
    # it marks a pivot only on a sheet whose rows have no date
    pivot = any(t in ("row labels", "column labels") or t.startswith(("sum of ", "count of ", "average of "))
                or (t == "grand total" and found["date"] is None) for t in texts)
    periods = sum(1 for c in rows[hidx] if c is not None and (hasattr(c, "year") or is_period(str(c)) or label_kind(f"total {c}")[0] == "pure"))
    body = max(len(rows) - hidx - 1, 0)
    score = 10.0 * sum(v is not None for v in found.values()) + min(body, 300) / 30.0
    if pivot or periods >= 3:
        score -= 25.0
        what = "a pivot table or summary" + (f" ({body} rows)" if body else "")
    else:
        named = ", ".join(f"{f} {h!r}" for f, h in found.items() if h)
        what = f"{body}{'+' if body >= 299 else ''} rows" + (f"; columns {named}" if named else "; no recognised columns")
    return score, what
