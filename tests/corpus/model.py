"""The corpus's vocabulary: invoice lines, the true figures computed from them, the
expected refusal, and the registry of shapes.

A shape's ``build(folder)`` writes the export (and ``client.yml``) into ``folder`` and
returns what a careful analyst would get from it: a :class:`Truth` (figures computed
here, with Decimal arithmetic on the generated lines, never by calling the toolkit) or a
:class:`Refusal` (the patterns the error message must contain).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import yaml

__all__ = [
    "Line",
    "Truth",
    "Refusal",
    "Shape",
    "SHAPES",
    "shape",
    "truth_of",
    "totals_truth",
    "window_of",
    "micros",
    "write_client_yml",
    "SETTING",
]


@dataclass(frozen=True)
class Line:
    """One invoice (or invoice line) as the accounting system holds it."""

    date: dt.date | None
    client: str
    amount: Decimal
    seller: str | None = None
    client_id: str | None = None
    invoice: str = ""
    memo: str = ""
    qty: int = 1

    def with_(self, **kw) -> Line:
        return replace(self, **kw)


def micros(value: Decimal) -> int:
    """Exact Decimal -> int micros (the toolkit's money unit)."""
    scaled = value * 10**6
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than 6 decimals")
    return int(scaled)


def months_before(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_of(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """``as_of - 12 calendar months <= date < as_of``."""
    return months_before(as_of, 12), as_of


@dataclass(frozen=True)
class Truth:
    """The figures a careful analyst gets from the export."""

    amount: Decimal  # net revenue of the rows used
    rows_used: int
    n_clients: int
    per_client: Mapping[str, Decimal]  # client (trimmed) -> net revenue in the window
    window: tuple[dt.date, dt.date] | None  # (start, end); None for a 12-month totals file
    #: exact row counts of these exclusion reasons (others are not checked)
    reasons: Mapping[str, int] = field(default_factory=dict)
    #: exact row counts of a group of reasons taken together (when a row may fairly be
    #: counted under either, e.g. Salesforce's amount-less "Grand Totals (12 records)")
    reason_groups: Mapping[tuple[str, ...], int] = field(default_factory=dict)

    def expect(self, **reasons: int) -> Truth:
        """The same figures, also checking these reason counts."""
        return replace(self, reasons={**self.reasons, **{k: v for k, v in reasons.items() if v is not None}})

    def expect_group(self, names: tuple[str, ...], rows: int) -> Truth:
        return replace(self, reason_groups={**self.reason_groups, names: rows})


#: how a refusal message names each setting of client.yml (regex, case-insensitive)
SETTING: dict[str, str] = {
    "fill_down": r"fill_down",
    "hidden_rows": r"hidden_rows",
    "decimal": r"billing\.decimal|\bdecimal\s*:",
    "date_format": r"date_format",
    "twelve_month_totals": r"twelve_month_totals|columns\.date|columns \(date:|columns:\s*\{?\s*date:",
}


@dataclass(frozen=True)
class Refusal:
    """The load must raise an AlmsError with exit code 2 whose message names the file
    and matches every pattern (case-insensitive)."""

    patterns: tuple[str, ...]
    why: str = ""
    #: parts of the message removed before matching (e.g. a list of every header found,
    #: which would name any column without presenting it as a candidate)
    ignore: str | None = None

    @classmethod
    def setting(cls, *names: str, also: Sequence[str] = ()) -> Refusal:
        return cls(tuple(SETTING[n] for n in names) + tuple(also), why="names " + ", ".join(names))


Outcome = Truth | Refusal


@dataclass(frozen=True)
class Shape:
    name: str
    family: str
    build: Callable[[Path], Outcome]

    @property
    def doc(self) -> str:
        return (self.build.__doc__ or "").strip().splitlines()[0]

    def __str__(self) -> str:
        return self.name


SHAPES: list[Shape] = []


def shape(family: str) -> Callable[[Callable[[Path], Outcome]], Callable[[Path], Outcome]]:
    """Register a builder; its name is the shape's name, its docstring's first line says
    which real export it imitates."""

    def register(fn: Callable[[Path], Outcome]) -> Callable[[Path], Outcome]:
        if not (fn.__doc__ or "").strip():
            raise ValueError(f"shape {fn.__name__} needs a docstring")
        if any(s.name == fn.__name__ for s in SHAPES):
            raise ValueError(f"shape {fn.__name__} registered twice")
        SHAPES.append(Shape(fn.__name__, family, fn))
        return fn

    return register


def _key(client: str) -> str:
    return client.strip()


def truth_of(lines: Iterable[Line], as_of: dt.date, **reasons: int) -> Truth:
    """True figures of dated lines: the window's lines with a client and a non-zero
    amount are used; zero-amount window lines still count their client."""
    start, end = window_of(as_of)
    used: list[Line] = []
    clients: set[str] = set()
    for ln in lines:
        if ln.date is None or not (start <= ln.date < end) or not _key(ln.client):
            continue
        clients.add(_key(ln.client))
        if ln.amount != 0:
            used.append(ln)
    per: dict[str, Decimal] = {}
    for ln in used:
        per[_key(ln.client)] = per.get(_key(ln.client), Decimal(0)) + ln.amount
    return Truth(
        amount=sum((ln.amount for ln in used), Decimal(0)),
        rows_used=len(used),
        n_clients=len(clients),
        per_client=per,
        window=(start, end),
        reasons={k: v for k, v in reasons.items() if v is not None},
    )


def totals_truth(lines: Iterable[Line], **reasons: int) -> Truth:
    """True figures of a 12-month totals file (no window): every row with a client."""
    used = [ln for ln in lines if _key(ln.client) and ln.amount != 0]
    clients = {_key(ln.client) for ln in lines if _key(ln.client)}
    per: dict[str, Decimal] = {}
    for ln in used:
        per[_key(ln.client)] = per.get(_key(ln.client), Decimal(0)) + ln.amount
    return Truth(
        amount=sum((ln.amount for ln in used), Decimal(0)),
        rows_used=len(used),
        n_clients=len(clients),
        per_client=per,
        window=None,
        reasons={k: v for k, v in reasons.items() if v is not None},
    )


def write_client_yml(folder: Path, file: str, *, as_of: dt.date | None, name: str = "Corpus Client", top: Mapping | None = None, **billing) -> None:
    """client.yml with ``billing: {file: ..., **billing}`` and ``as_of``."""
    cfg: dict = {"client": name}
    if as_of is not None:
        cfg["as_of"] = as_of.isoformat()
    cfg["billing"] = {"file": file, **{k: v for k, v in billing.items() if v is not None}}
    cfg.update(top or {})
    (folder / "client.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")


def sanitize(message: str, *paths: Path) -> str:
    """The message with the test's folders replaced (tmp_path holds the test's name,
    which would otherwise match a setting's name)."""
    out = message
    for text in sorted({str(x) for p in paths for x in (p, p.resolve())}, key=len, reverse=True):
        out = out.replace(text, "<folder>")
    return out


def matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, flags=re.IGNORECASE | re.DOTALL) is not None
