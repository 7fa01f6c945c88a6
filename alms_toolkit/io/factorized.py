"""A column's values as integer codes and its distinct values, as ``pd.factorize`` gives them
(codes -1 where missing, the distinct values in order of first appearance): the steps that
group one ledger's clients (the id split, the combination, every row's client key) hash the
names once, and the codes of a frame's rows or of two frames end to end are derived from them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

__all__ = ["Factorized", "FrameCodes", "factorize", "rows_of", "joined"]


class Factorized(NamedTuple):
    codes: np.ndarray
    uniques: np.ndarray


class FrameCodes(NamedTuple):
    """A frame's ``client`` and ``client_id`` columns factorized (None: not given, the step
    factorizes the column itself; always None for ``client_id`` when the frame has none)."""

    client: Factorized | None
    client_id: Factorized | None


def factorize(values: pd.Series) -> Factorized:
    """``pd.factorize(values, sort=False, use_na_sentinel=True)``, the distinct values as an
    object array."""
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    return Factorized(codes, np.asarray(uniques, dtype=object))


def _all_text(f: Factorized) -> bool:
    """Every distinct value is a ``str`` (true of none)."""
    return not len(f.uniques) or infer_dtype(f.uniques, skipna=False) == "string"


def rows_of(f: Factorized | None, rows: np.ndarray) -> Factorized | None:
    """What :func:`factorize` gives for the rows in the boolean mask ``rows`` (None when
    ``f`` is, or when a distinct value is not text: equal values of other types, 1 and 1.0,
    are told apart by which one comes first)."""
    if f is None or not _all_text(f):
        return None
    codes = f.codes[rows]
    # the codes present, in order of first appearance (hashed as integers)
    order = pd.unique(codes[codes >= 0])
    remap = np.full(len(f.uniques) + 1, -1, dtype=np.intp)  # the codes pd.factorize gives
    remap[order] = np.arange(len(order), dtype=codes.dtype)
    return Factorized(remap[codes], f.uniques[order])


def joined(a: Factorized | None, b: Factorized | None) -> Factorized | None:
    """What :func:`factorize` gives for two columns end to end (None when either is None or
    holds a distinct value that is not text, see :func:`rows_of`)."""
    if a is None or b is None or not _all_text(a) or not _all_text(b):
        return None
    at = pd.Index(a.uniques, dtype=object).get_indexer(pd.Index(b.uniques, dtype=object))
    new = at < 0
    at[new] = len(a.uniques) + np.arange(int(new.sum()))
    remap = np.append(at, -1).astype(a.codes.dtype)
    codes = np.concatenate([a.codes, remap[b.codes]])
    return Factorized(codes, np.concatenate([a.uniques, b.uniques[new]]))
