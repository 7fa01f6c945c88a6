"""Row orders of whole tables, sorted by Arrow: the order Python's ``sorted`` gives, in C++.

:func:`stable_order` sorts rows by several columns in turn (numbers and texts, each ascending
or descending), stable (rows equal on every column keep their order), texts by code point,
as Python compares ``str``: Arrow compares UTF-8 bytes, whose order is the code points'.
Texts Arrow cannot hold (a lone surrogate) and values that are not ``str`` are sorted by
Python instead (``sorted``'s result, or its ``TypeError``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["stable_order", "ASCENDING", "DESCENDING"]

ASCENDING = "ascending"
DESCENDING = "descending"


def stable_order(columns: Sequence[tuple[Sequence[object] | np.ndarray | pa.Array, str]]) -> np.ndarray:
    """The row positions (int64) that sort the rows by ``columns``, each ``(values,
    ASCENDING | DESCENDING)``: a numpy array of integers or booleans as numbers, an Arrow
    array as it is, texts (``str``) as text; values of other kinds are sorted by Python (which
    refuses to compare ``None`` with a text, as ``sorted`` does)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not columns:
        return np.empty(0, dtype=np.int64)
    n = len(columns[0][0])
    arrays: dict[str, pa.Array] = {}
    try:
        for k, (values, _direction) in enumerate(columns):
            if isinstance(values, pa.Array):
                arrays[f"c{k}"] = values
                continue
            if isinstance(values, np.ndarray) and values.dtype.kind in "biu":
                arrays[f"c{k}"] = pa.array(values)
                continue
            # texts as Python gives them (a numpy text array would cut them at a NUL)
            texts = values.tolist() if isinstance(values, np.ndarray) else list(values)
            if not all(type(t) is str for t in texts):  # None, numbers: Python compares them (or refuses)
                return _python_order(columns, n)
            arrays[f"c{k}"] = pa.array(texts, type=pa.string())
    except (pa.ArrowException, TypeError, ValueError, OverflowError, UnicodeEncodeError):
        return _python_order(columns, n)
    keys = [(f"c{k}", direction) for k, (_values, direction) in enumerate(columns)]
    return pc.sort_indices(pa.table(arrays), sort_keys=keys).to_numpy().astype(np.int64, copy=False)


def _python_order(columns: Sequence[tuple[Sequence[object] | np.ndarray | pa.Array, str]], n: int) -> np.ndarray:
    values = [v.tolist() if hasattr(v, "tolist") else list(v) for v, _d in columns]  # numpy and Arrow arrays
    directions = [d == DESCENDING for _v, d in columns]

    def compare(i: int, j: int) -> int:
        for col, descending in zip(values, directions, strict=True):
            a, b = col[i], col[j]
            if a != b:
                before = (a > b) if descending else (a < b)
                return -1 if before else 1
        return 0

    return np.asarray(sorted(range(n), key=functools.cmp_to_key(compare)), dtype=np.int64)
