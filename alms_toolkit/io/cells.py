"""Cells of a column as text: each distinct value once (stripped, None when blank), each
row a code into them. Every later pass (blank rows, labels, client names, statuses) reads
these codes instead of the cells, so the text work is done once per distinct value.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .amounts import _factorize, merge_dictionaries
from .factorized import Factorized

__all__ = [
    "TextColumn", "text_column", "combined", "cells_to_text", "raw_texts", "text_codes_of", "first_cells", "n_distinct",
    "distinct_texts", "cell_text", "spellings_read",
]


def cell_text(v: object) -> str | None:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return None
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ") if (v.hour, v.minute, v.second) != (0, 0, 0) else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def cells_to_text(
    values: pa.ChunkedArray | pa.Array | np.ndarray, strip: bool, na: object = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cells -> (object array of text, ``na`` where blank; blank mask). Spreadsheet
    numbers read as text the way they show: 17850.0 -> '17850'. ``strip`` trims the text
    kept (a blank test always ignores surrounding spaces)."""
    text, blank, _ = _text_codes(values, strip, na)
    return text, blank


def _text_codes(
    values: pa.ChunkedArray | pa.Array | np.ndarray, strip: bool, na: object = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """cells_to_text plus each row's code of its distinct text (-1 when blank)."""
    codes, uniques = _factorize(values)
    if isinstance(uniques, pa.Array):
        texts = np.asarray(uniques.to_pylist(), dtype=object)
    else:
        texts = np.asarray([cell_text(v) for v in uniques], dtype=object)
    blank_u = np.array([t is None or t.strip() == "" for t in texts], dtype=bool)
    if strip:
        texts = np.asarray([t.strip() if t is not None else None for t in texts], dtype=object)
    texts[blank_u] = na
    slot = np.where(codes < 0, len(texts), codes)
    out = np.append(texts, np.array([na], dtype=object))[slot]
    blank = np.append(blank_u, True)[slot]
    return out, blank, np.where(blank, -1, codes)


def n_distinct(codes: np.ndarray, mask: np.ndarray) -> int:
    """Distinct non-blank values among the rows in ``mask`` (codes of distinct texts)."""
    sel = codes[mask]
    sel = sel[sel >= 0]
    return int(np.count_nonzero(np.bincount(sel))) if len(sel) else 0


class TextColumn:
    """One column's distinct texts (stripped, None when blank; built on first use) and
    each row's code (-1 when blank).

    A column whose blocks were left with a dictionary each (:func:`combined` merges them:
    invoice ids, which no two blocks share) finds its blank cells and the rows holding a
    text block by block; its codes are built on first use."""

    def __init__(self, codes: np.ndarray | None, uniques: np.ndarray | None = None,
                 dictionary: pa.Array | None = None, blank_u: np.ndarray | None = None,
                 chunked: pa.ChunkedArray | None = None) -> None:
        self._codes = codes
        self._chunked = chunked
        if codes is not None:
            self.blank = codes < 0
        else:
            assert chunked is not None
            self.blank = _chunked_blank(chunked)
        self._uniques = uniques
        self._dictionary = dictionary
        self._blank_u = blank_u

    @property
    def codes(self) -> np.ndarray:
        if self._codes is None:
            assert self._chunked is not None
            whole = text_column(combined(self._chunked))
            self._codes, self._dictionary, self._blank_u = whole._codes, whole._dictionary, whole._blank_u
            self._chunked = None
            assert self._codes is not None
        return self._codes

    @property
    def uniques(self) -> np.ndarray:
        if self._uniques is None:
            self.codes  # noqa: B018 - a column left in blocks merges its dictionaries first
            assert self._dictionary is not None and self._blank_u is not None
            stripped = pc.utf8_trim_whitespace(self._dictionary).to_numpy(zero_copy_only=False).astype(object)
            stripped[self._blank_u] = None
            self._uniques = stripped
        return self._uniques

    def texts_of(self, codes: np.ndarray) -> np.ndarray:
        """The texts of the given codes (without building every distinct text of the column)."""
        self.codes  # noqa: B018 - codes given are codes of the merged dictionary
        if self._uniques is None and self._dictionary is not None:
            out = pc.utf8_trim_whitespace(self._dictionary.take(pa.array(codes))).to_numpy(zero_copy_only=False)
            return np.asarray(out, dtype=object)
        return self.uniques[codes]

    def texts(self, na: object = None) -> np.ndarray:
        out = np.append(self.uniques, np.array([na], dtype=object))
        return out[np.where(self.codes < 0, len(self.uniques), self.codes)]

    def rows_equal(self, text: str) -> np.ndarray:
        if self._codes is None and self._chunked is not None:
            return np.concatenate([_rows_equal(c.dictionary, c.indices, text) for c in self._chunked.chunks]
                                  or [np.zeros(0, dtype=bool)])
        if self._uniques is None and self._dictionary is not None:
            hits = _hits(self._dictionary, text)
        else:
            hits = np.flatnonzero(self.uniques == text)
        return np.isin(self.codes, hits) if len(hits) else np.zeros(len(self.codes), dtype=bool)


def _is_dictionary_text(values: object) -> bool:
    return (isinstance(values, (pa.Array, pa.ChunkedArray)) and pa.types.is_dictionary(values.type)
            and pa.types.is_string(values.type.value_type))


def combined(values: pa.ChunkedArray | np.ndarray) -> pa.Array | np.ndarray:
    """A text column read in blocks, each with its own dictionary (or with one dictionary
    that may repeat a text) -> one array with one dictionary (each distinct text once);
    other columns as they are."""
    if isinstance(values, pa.ChunkedArray) and _is_dictionary_text(values):
        return merge_dictionaries(values)
    return values


def _blank_of(dictionary: pa.Array) -> np.ndarray:
    """Which texts of a dictionary are blank (empty once trimmed, or null)."""
    return np.asarray(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(dictionary), ""), True)
                      .to_numpy(zero_copy_only=False), dtype=bool)


def _chunked_blank(values: pa.ChunkedArray) -> np.ndarray:
    parts = []
    for chunk in values.chunks:
        blank_u = np.append(_blank_of(chunk.dictionary), True)
        indices = chunk.indices
        idx = (pc.fill_null(indices, len(blank_u) - 1) if indices.null_count else indices).to_numpy(zero_copy_only=False)
        parts.append(blank_u[idx])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _hits(dictionary: pa.Array, text: str) -> np.ndarray:
    """The positions in ``dictionary`` of the texts equal to ``text`` once trimmed."""
    return np.flatnonzero(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(dictionary), text), False)
                          .to_numpy(zero_copy_only=False))


def _rows_equal(dictionary: pa.Array, indices: pa.Array, text: str) -> np.ndarray:
    hits = _hits(dictionary, text)
    if not len(hits):
        return np.zeros(len(indices), dtype=bool)
    idx = (pc.fill_null(indices, -1) if indices.null_count else indices).to_numpy(zero_copy_only=False)
    return np.isin(idx, hits)


def text_column(values: pa.ChunkedArray | pa.Array | np.ndarray) -> TextColumn:
    if isinstance(values, pa.ChunkedArray) and _is_dictionary_text(values):
        # left in blocks by the reader: blanks now, codes (a merged dictionary) when asked
        return TextColumn(codes=None, chunked=values)
    if isinstance(values, pa.DictionaryArray) and pa.types.is_string(values.type.value_type):
        # one gather over the rows; the text work is done once per distinct value, when needed
        dictionary = values.dictionary
        blank_u = _blank_of(dictionary)
        remap = np.append(np.where(blank_u, -1, np.arange(len(blank_u), dtype=np.int64)), -1)
        indices = values.indices
        idx = (pc.fill_null(indices, len(blank_u)) if indices.null_count else indices).to_numpy(zero_copy_only=False)
        return TextColumn(codes=remap[idx], dictionary=dictionary, blank_u=blank_u)
    codes, uniques = _factorize(values)
    if isinstance(uniques, pa.Array):
        trimmed = pc.utf8_trim_whitespace(uniques.cast(pa.string()))
        blank_u = pc.fill_null(pc.equal(trimmed, ""), True).to_numpy(zero_copy_only=False)
        stripped = trimmed.to_numpy(zero_copy_only=False).astype(object)
    else:
        texts = [cell_text(v) for v in uniques]
        stripped = np.asarray([t.strip() if isinstance(t, str) else None for t in texts], dtype=object)
        blank_u = np.array([t is None or t == "" for t in stripped], dtype=bool)
    stripped[blank_u] = None
    keep = np.append(~np.asarray(blank_u, dtype=bool), False)[np.where(codes < 0, len(stripped), codes)]
    return TextColumn(codes=np.where(keep, codes, -1), uniques=stripped)


def first_cells(values: pa.ChunkedArray | np.ndarray, n: int = 5000) -> list[object]:
    if isinstance(values, (pa.ChunkedArray, pa.Array)):
        return values.slice(0, n).cast(pa.string()).to_pylist() if pa.types.is_dictionary(values.type) else values.slice(0, n).to_pylist()
    return list(values[:n])


def raw_texts(values: pa.ChunkedArray | np.ndarray) -> np.ndarray:
    """Client cells as text, not stripped (matching normalises later), None when blank."""
    return raw_texts_coded(values)[0]


def raw_texts_coded(values: pa.ChunkedArray | np.ndarray,
                    column: TextColumn | None = None) -> tuple[np.ndarray, Factorized | None]:
    """:func:`raw_texts`, and what :func:`.factorized.factorize` gives for them when the column
    is read as one dictionary holding each text once (the rows' codes into it, -1 where blank;
    its texts), else None: the clients' spellings are then hashed once, by the reader.
    ``column``: the same cells as a :class:`TextColumn`, whose codes are those codes (the same
    dictionary, the same blanks): used rather than a second array of a code per row."""
    values = combined(values)
    if isinstance(values, pa.DictionaryArray) and pa.types.is_string(values.type.value_type):
        dictionary = values.dictionary
        blank_u = _blank_of(dictionary)
        words = dictionary.to_numpy(zero_copy_only=False).astype(object)
        texts = np.append(words, np.array([None], dtype=object))
        texts[:-1][blank_u] = None
        indices = values.indices
        idx = (pc.fill_null(indices, len(blank_u)) if indices.null_count else indices).to_numpy(zero_copy_only=False)
        seed = None
        if pc.count_distinct(dictionary, mode="all").as_py() == len(dictionary):
            remap = np.append(np.where(blank_u, -1, np.arange(len(blank_u), dtype=np.intp)), -1)
            codes = column.codes if column is not None and len(column.codes) == len(idx) else None
            # the column's codes, checked against these cells' own on the first and last rows
            probe = np.r_[0:min(len(idx), 4096), max(0, len(idx) - 4096):len(idx)]
            if codes is None or not np.array_equal(codes[probe], remap[idx[probe]]):
                codes = remap[idx]
            seed = Factorized(codes, words)
        return texts[idx], seed
    text, blank = cells_to_text(values, strip=False)
    text = np.asarray(text, dtype=object)
    text[blank] = None
    return text, None


def text_codes_of(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-row codes of distinct stripped texts (-1 when blank) and the distinct texts."""
    arr = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(pd.Series(arr, dtype=object), use_na_sentinel=True)
    stripped = [u.strip() if isinstance(u, str) else (None if u is None or u is pd.NA else str(u).strip())
                for u in uniques]
    distinct: dict[str, int] = {}
    remap = np.full(len(uniques) + 1, -1, dtype=np.int64)
    for i, t in enumerate(stripped):
        if t:
            remap[i] = distinct.setdefault(t, len(distinct))
    out = remap[np.where(codes < 0, len(uniques), codes)]
    return out, np.asarray(list(distinct), dtype=object)


def spellings_read(values: pa.ChunkedArray | pa.Array | np.ndarray) -> list[str] | None:
    """The distinct texts written in a column read as one dictionary (:func:`combined`), as
    written (not trimmed), blanks left out; None for cells read otherwise (a workbook's)."""
    values = combined(values) if isinstance(values, pa.ChunkedArray) else values
    if not (isinstance(values, pa.DictionaryArray) and pa.types.is_string(values.type.value_type)):
        return None
    dictionary = values.dictionary
    return [str(t) for t in dictionary.filter(pa.array(~_blank_of(dictionary))).to_pylist()]


def distinct_texts(values: pa.ChunkedArray | np.ndarray) -> pa.Array:
    """The distinct text amounts of a column, as an Arrow string array (spreadsheet numbers
    need no reading)."""
    _, uniques = _factorize(values)
    if isinstance(uniques, pa.Array):
        text = uniques.cast(pa.string())
        return text.filter(pc.fill_null(pc.not_equal(text, ""), False))
    return pa.array([v for v in uniques if isinstance(v, str) and v.strip()], type=pa.string())
