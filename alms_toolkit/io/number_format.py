"""Which character is the decimal mark of an amount column, decided from every value.

``1,234.56`` and ``1.234,56`` say it themselves; so do ``12,5``, ``0.250`` and
``1,234,567``. ``1.500`` or ``2,250`` alone do not: both readings (one and a half, or
fifteen hundred) are valid, and a European export of whole amounts holds nothing else.
The column gets one reading for all its rows, never one per row: evidence both ways is a
mix of formats (refused), no evidence at all is refused unless client.yml's
``billing.decimal`` decides it, with the file's other evidence (its delimiter, its date
style) named in the message so the consultant can choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["NumberFormat", "infer_number_format", "AmbiguousNumbers", "MixedNumbers"]

_SEPS = re.compile(r"[.,]")
#: a value with one separator and 1-2 or 4+ digits after it: that separator is the decimal mark
_SIMPLE_DOT = r"^[^\d,.]*\d+\.(?:\d{1,2}|\d{4,})[^\d,.]*$"
_SIMPLE_COMMA = r"^[^\d,.]*\d+,(?:\d{1,2}|\d{4,})[^\d,.]*$"
_NUMERIC = re.compile(r"^[\d.,\s\u00a0\u202f\u2009'\u2019]+$")
_STRIP = re.compile(r"[^\d.,\s\u00a0\u202f\u2009'\u2019]")


@dataclass(frozen=True)
class NumberFormat:
    """The column's decimal mark and thousands separator, and why."""

    decimal: str
    thousands: str | None
    #: "client.yml", "values" or "default" (no value has a separator that matters)
    source: str
    evidence: str

    @property
    def label(self) -> str:
        sample = "1,234.56" if self.decimal == "." else "1.234,56"
        return f"decimal {self.decimal!r} ({sample})"


@dataclass(frozen=True)
class AmbiguousNumbers:
    """Every value reads both ways (e.g. only ``1.500`` and ``2.250``)."""

    examples: tuple[str, ...]
    separator: str  # the one separator the values use


@dataclass(frozen=True)
class MixedNumbers:
    """Some values are only valid with ``.`` as the decimal mark, others only with ``,``."""

    dot_examples: tuple[str, ...]
    comma_examples: tuple[str, ...]


class _Proof:
    """How many distinct values prove one decimal mark, and the first three."""

    def __init__(self) -> None:
        self.n = 0
        self.examples: list[str] = []

    def add(self, found: pa.Array | list[str]) -> None:
        self.n += len(found)
        if len(self.examples) < 3:
            more = found[: 3 - len(self.examples)]
            self.examples.extend(more.to_pylist() if isinstance(more, pa.Array) else more)


def _vote(text: str) -> tuple[str | None, bool]:
    """One value -> (decimal mark it proves or None, ambiguous?)."""
    core = _STRIP.sub("", text).strip()
    if not core or not _NUMERIC.match(core):
        return None, False
    core = re.sub(r"[\s\u00a0\u202f\u2009'\u2019]", "", core)
    seps = _SEPS.findall(core)
    if not seps:
        return None, False
    if "." in seps and "," in seps:
        return seps[-1], False
    sep = seps[0]
    other = "," if sep == "." else "."
    parts = core.split(sep)
    if len(parts) > 2:
        # repeated: only a thousands separator repeats
        return other, False
    lead, tail = parts
    if len(tail) != 3:
        return sep, False  # 12,5 / 1.50 / 1234.5678: a decimal mark
    if lead in ("", "0") or len(lead) > 3 or lead.startswith("0"):
        return sep, False  # 0.250 / ,250 / 1234.567: cannot be grouping
    return None, True  # 1.500: both readings valid


def infer_number_format(
    texts: Iterable[str] | pa.Array,
    *,
    decimal: str | None = None,
    thousands: str | None = None,
) -> NumberFormat | AmbiguousNumbers | MixedNumbers:
    """The reading of a column from its distinct texts (spreadsheet number cells need no
    reading and are not passed), as a list or an Arrow string array. ``decimal``/``thousands``
    from client.yml decide."""
    if decimal is not None:
        th = thousands if thousands is not None else ("," if decimal == "." else ".")
        return NumberFormat(decimal, th, "client.yml", f"billing.decimal: {decimal!r} in client.yml")
    if thousands in (",", "."):  # the thousands separator decides the decimal mark
        mark = "." if thousands == "," else ","
        return NumberFormat(mark, thousands, "client.yml", f"billing.thousands: {thousands!r} in client.yml")
    dot = _Proof()
    comma = _Proof()
    ambiguous: list[str] = []
    arr = texts.drop_null() if isinstance(texts, pa.Array) else pa.array(
        [str(t) for t in texts if t is not None], type=pa.string())
    if len(arr) > 200:
        # the common case first, vectorised: one separator followed by 1-2 or 4+ digits
        for proof, pattern in ((dot, _SIMPLE_DOT), (comma, _SIMPLE_COMMA)):
            hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
            proof.add(arr.filter(hit))
            arr = arr.filter(pc.invert(hit))
    values: list[str] = arr.to_pylist()
    for t in values:
        proved, amb = _vote(str(t))
        if proved == ".":
            dot.add([t])
        elif proved == ",":
            comma.add([t])
        elif amb:
            ambiguous.append(t)
    if dot.n and comma.n:
        return MixedNumbers(tuple(dot.examples), tuple(comma.examples))
    if dot.n or comma.n:
        mark, proof = (".", dot) if dot.n else (",", comma)
        n = proof.n
        shown = ", ".join(repr(p) for p in proof.examples)
        return NumberFormat(
            mark,
            "," if mark == "." else ".",
            "values",
            f"{n:,} distinct value{'s' if n != 1 else ''} can only be read with {mark!r} as the decimal mark "
            f"(e.g. {shown})",
        )
    if ambiguous:
        seps = {s for t in ambiguous for s in _SEPS.findall(t)}
        return AmbiguousNumbers(tuple(ambiguous[:5]), seps.pop() if len(seps) == 1 else ".")
    return NumberFormat(".", ",", "default", "no value has a decimal part or a thousands separator")
