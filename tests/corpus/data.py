"""Deterministic invoice lines for the shapes: realistic client names (commas, accents,
hard negatives), sellers, amounts with cents and some credits, dates inside and outside
the 12-month window."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal

from corpus.model import Line, window_of

__all__ = [
    "AS_OF",
    "CLIENTS",
    "ACCENTED",
    "HARD_NEGATIVES",
    "SELLERS",
    "rng_for",
    "gen_lines",
    "sort_by_client",
    "group_by_client",
]

#: the audit date of most shapes: window 2024-01-01 .. 2024-12-31
AS_OF = dt.date(2025, 1, 1)

CLIENTS: tuple[str, ...] = (
    "Acme Corp",
    "Northwind Traders",
    "Contoso Ltd",
    "Fabrikam, Inc.",
    "Globex Corporation",
    "Initech LLC",
    "Umbrella Holdings",
    "Stark Industrial Supply",
    "Wayne Logistics",
    "Bluth Company",
    "Vandelay Industries",
    "Wonka Foods",
    "Tyrell Systems",
    "Hooli",
    "Pied Piper, Inc.",
    "Dunder Mifflin Paper",
    "Sterling Cooper",
    "Oceanic Freight",
    "Cyberdyne Robotics",
    "Massive Dynamic",
)

#: names every Western code page (cp1252) can write
ACCENTED: tuple[str, ...] = (
    "Café Noël SARL",
    "Müller & Söhne GmbH",
    "Société Générale d'Équipement",
    "Ñandú Servicios S.A.",
    "Zürcher Präzision AG",
    "Smørrebrød ApS",
    "Åkesson AB",
    "Crème Brûlée Bakery",
)

#: real clients whose names look like aggregate labels
HARD_NEGATIVES: tuple[str, ...] = (
    "Total Wine & More",
    "Grand Total Fitness",
    "TOTAL S.A.",
    "Sum Systems",
    "Count Chocula Foods",
    "Average Joe's Gym",
)

SELLERS: tuple[str, ...] = ("Dana Scott", "Eli Moreno", "Priya Nair", "Tom Becker")


def rng_for(name: str) -> random.Random:
    """A generator seeded by the shape's name (stable across runs and machines)."""
    return random.Random(zlib.crc32(name.encode()))


def _amount(rng: random.Random, lo: int = 150_00, hi: int = 24_000_00) -> Decimal:
    return Decimal(rng.randrange(lo, hi)) / 100


def gen_lines(
    rng: random.Random,
    *,
    as_of: dt.date = AS_OF,
    clients: Sequence[str] = CLIENTS[:8],
    n: int = 40,
    before: float = 0.15,
    after: float = 0.0,
    credits: float = 0.08,
    zeros: int = 0,
    sellers: Sequence[str] | None = SELLERS,
    day: Callable[[random.Random, dt.date], int] | None = None,
    every_client_in_window: bool = True,
    lo: int = 150_00,
    hi: int = 24_000_00,
) -> list[Line]:
    """``n`` invoice lines sorted by date. ``before``/``after``: share dated before the
    window / on or after ``as_of``. ``day(rng, first_of_month)`` picks the day of the
    month (default: any). ``zeros`` lines in the window have an amount of exactly 0."""
    start, end = window_of(as_of)
    lines: list[Line] = []

    def pick_date(kind: str) -> dt.date:
        if kind == "in":
            lo_d, hi_d = start, end - dt.timedelta(days=1)
        elif kind == "before":
            lo_d, hi_d = start.replace(year=start.year - 1), start - dt.timedelta(days=1)
        else:
            lo_d, hi_d = end, end + dt.timedelta(days=150)
        d = lo_d + dt.timedelta(days=rng.randrange((hi_d - lo_d).days + 1))
        if day is not None:
            first = d.replace(day=1)
            for _ in range(50):
                cand = day(rng, first)
                try:
                    d2 = first.replace(day=cand)
                except ValueError:
                    continue
                if lo_d <= d2 <= hi_d:
                    return d2
            return first if lo_d <= first <= hi_d else lo_d
        return d

    order = list(clients)
    for i in range(n):
        if every_client_in_window and i < len(order):
            client, kind = order[i], "in"
        else:
            client = rng.choice(order)
            x = rng.random()
            kind = "before" if x < before else ("after" if x < before + after else "in")
        amount = _amount(rng, lo, hi)
        if rng.random() < credits:
            amount = -_amount(rng, 50_00, max(51_00, hi // 10))
        lines.append(
            Line(
                date=pick_date(kind),
                client=client,
                amount=amount,
                seller=rng.choice(list(sellers)) if sellers else None,
            )
        )
    for _ in range(zeros):
        lines.append(Line(date=pick_date("in"), client=rng.choice(order), amount=Decimal(0), seller=rng.choice(list(sellers)) if sellers else None))
    lines.sort(key=lambda ln: (ln.date, ln.client))
    return [ln.with_(invoice=str(1001 + i)) for i, ln in enumerate(lines)]


def sort_by_client(lines: Sequence[Line]) -> list[Line]:
    """As Excel's Sort (client, then date) before Data > Subtotal."""
    return sorted(lines, key=lambda ln: (ln.client.casefold(), ln.date or dt.date.min, ln.invoice))


def group_by_client(lines: Sequence[Line]) -> list[tuple[str, list[Line]]]:
    """Runs of the same client in order of first appearance (lines sorted by client)."""
    out: list[tuple[str, list[Line]]] = []
    for ln in lines:
        if out and out[-1][0] == ln.client:
            out[-1][1].append(ln)
        else:
            out.append((ln.client, [ln]))
    return out
