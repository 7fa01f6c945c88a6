"""Money printed and rounded in integer arithmetic equals Decimal's half-even quantize."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_EVEN, Decimal

from alms_toolkit import money


def _values() -> list[int]:
    rng = random.Random(7)
    ties = [k * 5_000 + d for k in range(-300, 300) for d in (-1, 0, 1)]  # half a cent and either side
    unit_ties = [k * 500_000 + d for k in range(-50, 50) for d in (-1, 0, 1)]
    return [rng.randint(-10**13, 10**13) for _ in range(5_000)] + ties + unit_ties + [0, 1, -1]


def test_format_money_and_round_half_even_agree_with_decimal() -> None:
    for v in _values():
        d = Decimal(v) / money.SCALE
        cents = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        units = d.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        assert money.format_money(v) == (f"-${abs(cents):,.2f}" if cents < 0 else f"${abs(cents):,.2f}")
        assert money.format_money(v, "EUR", cents=False) == (
            f"-EUR {abs(units):,.0f}" if units < 0 else f"EUR {abs(units):,.0f}")
        assert money.round_half_even(v, money.SCALE // 100) * (money.SCALE // 100) == money.from_decimal(cents)
