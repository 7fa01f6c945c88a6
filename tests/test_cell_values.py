"""A table's rows as the writers read them (:mod:`alms_toolkit.cell_values`): the same tuples
and records as pandas' ``itertuples`` and ``to_dict("records")``, value for value and type for
type, for every kind of column a list can hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.cell_values import named_rows, records, rows, values

N = 7


def _every_kind() -> pd.DataFrame:
    names = ["Total Wine & More", None, "Zoë's Café", "", "  ", None, "=SUM(A1)"]
    return pd.DataFrame({
        "int": np.arange(N, dtype=np.int64),
        "float": [1.5, np.nan, 2.0, -0.0, np.inf, 3.25, 1e300],
        "bool": [True, False] * 3 + [True],
        "object": ["a", None, np.int64(5), np.float64(2.5), np.nan, pd.NA, dt.date(2025, 1, 2)],
        "arrow text": pd.array(names, dtype="string[pyarrow]"),
        "str": pd.Series(names, dtype="str"),
        "python text": pd.array(names, dtype="string[python]"),
        "Int64": pd.array([1, None, 3, 4, None, 6, 7], dtype="Int64"),
        "Float64": pd.array([1.5, None, 3, 4, None, 6, 7], dtype="Float64"),
        "boolean": pd.array([True, None, False, True, None, True, False], dtype="boolean"),
        "date": pd.to_datetime(["2025-01-01", None, "2025-03-01", "2025-04-01", None, "2025-06-01", "2025-07-01"]),
        "timedelta": pd.to_timedelta([1, None, 3, 4, 5, 6, 7], unit="D"),
        "category": pd.Categorical(["a", "b", None, "a", "b", "a", "c"]),
        "arrow date": pd.array([dt.datetime(2025, 1, 1), None] * 3 + [None], dtype="timestamp[ns][pyarrow]"),
        "arrow int": pd.array([1, None, 3, 4, None, 6, 7], dtype="int64[pyarrow]"),
        "zoned": pd.to_datetime(["2025-01-01"] * N).tz_localize("Europe/Paris"),
        "class": ["x"] * N,  # a keyword: a positional field in a named tuple
    })


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if a is None or a is pd.NA or a is pd.NaT:
        return a is b
    if isinstance(a, float) and np.isnan(a):
        return bool(np.isnan(b))
    return bool(a == b)


@pytest.mark.parametrize("frame", [_every_kind(), _every_kind().iloc[:0], _every_kind().iloc[::-1],
                                   pd.DataFrame(index=range(2))], ids=["every kind", "no row", "reversed", "no column"])
def test_rows_and_records_are_pandas_own(frame: pd.DataFrame) -> None:
    theirs = frame.to_dict("records")
    ours = records(frame)
    assert len(ours) == len(theirs)
    for a, b in zip(theirs, ours, strict=True):
        assert list(a) == list(b)
        assert all(_same(a[k], b[k]) for k in a), [(k, a[k], b[k]) for k in a if not _same(a[k], b[k])]
    for a, b in zip(frame.itertuples(index=False, name=None), rows(frame), strict=True):
        assert len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    assert len(list(rows(frame))) == len(frame)
    for a, b in zip(frame.itertuples(index=False), named_rows(frame), strict=True):
        assert a._fields == b._fields and all(_same(x, y) for x, y in zip(a, b, strict=True))
    for name in frame.columns:
        assert all(_same(x, y) for x, y in zip(list(frame[name]), values(frame[name]), strict=True))
