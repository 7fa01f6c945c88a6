"""One table cell's value: missing or not, and its text; a table's rows as the writers read
them (for CSV, XLSX and HTML writers)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["is_missing", "cell_text", "values", "rows", "named_rows", "records"]


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


def values(series: pd.Series) -> list[Any]:
    """``list(series)``: the values as iterating it gives them (and ``itertuples``,
    ``to_dict``), made at once where that is the same: pandas iterates an Arrow-backed text
    column one cell at a time, about 4 microseconds each (a second for a 50,000-client list's
    few text columns)."""
    if isinstance(series.dtype, (np.dtype, pd.StringDtype)):
        return series.tolist()
    return list(series)


def _column(frame: pd.DataFrame, k: int) -> list[Any]:
    return values(frame.iloc[:, k])


def rows(frame: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """``frame.itertuples(index=False, name=None)``: the same tuples, the same values."""
    if not frame.shape[1]:
        return iter([()] * len(frame))
    return zip(*(_column(frame, k) for k in range(frame.shape[1])), strict=True)


def named_rows(frame: pd.DataFrame) -> Iterator[Any]:
    """``frame.itertuples(index=False)``: the same named tuples (a column whose name is no
    identifier is a positional ``_N`` field, as there), the same values (:func:`rows`)."""
    import collections

    row = collections.namedtuple("Pandas", [str(c) for c in frame.columns], rename=True)  # type: ignore[misc]
    return map(row._make, rows(frame))


def _native(value: Any) -> Any:
    """A cell as ``DataFrame.to_dict`` gives it: numpy's scalars as Python's, ``pd.NA`` as None."""
    if type(value) is str:
        return value
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value) if not np.isnat(value) else pd.NaT
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value) if not np.isnat(value) else pd.NaT
    if value is pd.NA:
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[Any, Any]]:
    """``frame.to_dict("records")``: the same rows, the same values (numpy's scalars as Python's,
    ``pd.NA`` as None in object and extension columns), made a column at a time (:func:`rows`)."""
    columns = frame.columns.tolist()
    if not columns:
        return [{} for _ in range(len(frame))]
    lists = []
    for k, dtype in enumerate(frame.dtypes.values):
        column = _column(frame, k)
        if isinstance(dtype, pd.StringDtype):  # texts, and the dtype's missing value
            if dtype.na_value is pd.NA:
                column = [None if v is pd.NA else v for v in column]
        elif dtype == np.dtype(object) or isinstance(dtype, pd.api.extensions.ExtensionDtype):
            column = [_native(v) for v in column]
        lists.append(column)
    return [dict(zip(columns, row, strict=True)) for row in zip(*lists, strict=True)]
