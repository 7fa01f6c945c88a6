"""Deep equality of the toolkit's records, for tests: every field, every table's dtypes,
index and cell types."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any

import pandas as pd


def assert_same(a: Any, b: Any, where: str = "audit") -> None:
    """``a`` and ``b`` hold the same values, down to every table's dtypes and index."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        for column in a.columns:  # cell by cell: the same Python types in object columns
            if a[column].dtype == object:
                assert [type(v) for v in a[column]] == [type(v) for v in b[column]], f"{where}[{column}]"
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, (dict, MappingProxyType)):
        assert list(a) == list(b), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"
