"""Exact money: amounts are int64 counts of millionths of the currency unit ("micros").

Every amount in a DataFrame of the toolkit is an ``int64`` column of micros, so sums are
exact integer sums (never summed binary floats) and a client that nets to 0 is exactly 0.
Six decimal places hold any ledger seen in practice (Northwind has 4); an amount written
with more is rounded half-even to 6 places and the loader counts it.

Convert to :class:`~decimal.Decimal` (:func:`to_decimal`) for exact output, to ``float``
only for display and ratios.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

__all__ = [
    "SCALE",
    "DECIMALS",
    "to_decimal",
    "round_half_even",
    "from_decimal",
    "to_str",
    "to_float",
    "total",
    "ratio",
    "format_money",
    "format_money_short",
]

#: micros per currency unit
SCALE = 1_000_000
DECIMALS = 6
_QUANT = Decimal(1).scaleb(-DECIMALS)


def to_decimal(units: int | np.integer) -> Decimal:
    """Micros -> exact Decimal (``1_500_000`` -> ``Decimal('1.5')``)."""
    return (Decimal(int(units)) / SCALE).quantize(_QUANT).normalize() if units else Decimal(0)


def from_decimal(value: Decimal | str | int) -> int:
    """Exact Decimal (or decimal string) -> micros, rounding half-even past 6 places."""
    d = Decimal(value) if not isinstance(value, Decimal) else value
    return int((d * SCALE).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def to_str(units: int | np.integer) -> str:
    """Exact decimal string with at least 2 decimals: 11672600000 -> '11672.60',
    582256715500 -> '582256.7155', -2_000_000 -> '-2.00'."""
    d = to_decimal(units)
    sign, digits, exp = d.as_tuple()
    if not isinstance(exp, int) or exp > -2:
        d = d.quantize(Decimal("0.01"))
    return format(d, "f")


def to_float(units: int | np.integer) -> float:
    """Micros -> float, for charts and ratios only (never sum the result)."""
    return int(units) / SCALE


def total(values: pd.Series | Iterable[int]) -> int:
    """Exact sum of micros as a Python int (no int64 overflow, no floats)."""
    if isinstance(values, pd.Series):
        if values.empty:
            return 0
        arr = values.to_numpy(dtype=np.int64)
        # int64 is exact while |sum| < 9.2e18 micros (9.2 trillion units)
        if len(arr) and int(np.abs(arr).max()) < (2**62) // max(len(arr), 1):
            return int(arr.sum())
        return sum(int(v) for v in arr)
    return sum(int(v) for v in values)


def ratio(part: int, whole: int) -> float:
    """part / whole as a float share; 0.0 when whole is 0."""
    return (int(part) / int(whole)) if whole else 0.0


def round_half_even(units: int | np.integer, step: int) -> int:
    """``units`` (micros) rounded half-even to a whole number of ``step`` micros (``SCALE // 100``:
    cents), that number, signed. Integer arithmetic, exact: what Decimal's quantize gives."""
    value = int(units)
    n, rest = divmod(abs(value), step)
    if rest * 2 > step or (rest * 2 == step and n % 2):
        n += 1
    return -n if value < 0 else n


def format_money(units: int | np.integer, symbol: str = "$", cents: bool = True) -> str:
    """Display form: ``$1,234.56`` / ``-$1,234.56`` / ``EUR 1,234.56`` (rounded half-even to
    cents, or units). A symbol that ends in a letter ("EUR", "CHF") is followed by a space."""
    if symbol and symbol[-1].isalpha():
        symbol += " "
    n = round_half_even(units, SCALE // 100 if cents else SCALE)  # an amount rounding to 0 has no sign
    whole = abs(n)
    body = f"{whole // 100:,}.{whole % 100:02d}" if cents else f"{whole:,}"
    return f"-{symbol}{body}" if n < 0 else f"{symbol}{body}"


_SHORT_UNITS = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k"))


def format_money_short(units: int | np.integer, symbol: str = "$") -> str:
    """The one abbreviation rule of cards and charts: three significant figures, rounded
    half-even from the exact amount, with k / M / B: ``$850``, ``$8.45k``, ``$28.6k``,
    ``$286k``, ``$7.13M``, ``$1.20B``; below 1,000 whole units (``$42``, ``-$42``)."""
    if symbol and symbol[-1].isalpha():
        symbol += " "
    d = to_decimal(units)
    sign, v = ("-" if d < 0 else ""), abs(d)
    for size, suffix in _SHORT_UNITS:  # the largest unit the amount rounds to at least 1 of
        q = v / size
        if q >= Decimal("0.9995"):  # 999,500 reads $1.00M; 999,400 reads $999k
            places = 2 if q < Decimal("9.995") else 1 if q < Decimal("99.95") else 0
            body = q.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
            return f"{sign}{symbol}{body}{suffix}"
    whole = v.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return f"{sign if whole else ''}{symbol}{whole:,}"
