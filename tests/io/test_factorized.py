"""Codes derived from a factorized column are the codes pd.factorize gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alms_toolkit.io.factorized import factorize, joined, rows_of


def _same(got: tuple[np.ndarray, np.ndarray] | None, values: pd.Series) -> None:
    assert got is not None
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    np.testing.assert_array_equal(got[0], codes)
    assert list(got[1]) == list(uniques)


def test_rows_and_ends_joined_as_factorized() -> None:
    a = pd.Series(["b", "a", None, "b", "c", "a"], dtype=object)
    b = pd.Series(["d", "a", None, "e", "d"], dtype=object)
    mask = np.array([False, True, True, False, True, False])
    _same(rows_of(factorize(a), mask), a[mask])
    _same(rows_of(factorize(a), np.zeros(len(a), dtype=bool)), a.iloc[:0])
    _same(joined(factorize(a), factorize(b)), pd.concat([a, b], ignore_index=True))
    _same(joined(rows_of(factorize(b), mask[:5]), factorize(a)), pd.concat([b[mask[:5]], a], ignore_index=True))


def test_other_types_are_factorized_again() -> None:
    mixed = pd.Series([1, 1.0, "x"], dtype=object)
    assert rows_of(factorize(mixed), np.array([False, True, True])) is None
    assert joined(factorize(mixed), factorize(pd.Series(["x"], dtype=object))) is None
