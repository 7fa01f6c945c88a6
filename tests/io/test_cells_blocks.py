"""A text column left in blocks (each with its own dictionary) reads as the same column merged."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alms_toolkit.io.cells import combined, text_column
from alms_toolkit.io.readers import (
    _PARALLEL_ROWS,
    _one_dictionary,
    _one_dictionary_each,
    end_to_end,
)


def _blocks(*blocks: list[str | None]) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(b, type=pa.string()).dictionary_encode() for b in blocks])


def test_blocks_read_as_the_merged_column() -> None:
    chunked = _blocks(["INV-1", " ", "INV-2", "Invoice"], ["INV-3", "", None, " INV-2"], ["Invoice", "INV-9"])
    lazy, whole = text_column(chunked), text_column(combined(chunked))
    merged = chunked.unify_dictionaries().combine_chunks()
    assert combined(chunked).equals(merged) and combined(chunked).dictionary.equals(merged.dictionary)
    np.testing.assert_array_equal(lazy.blank, whole.blank)
    for text in ("Invoice", "INV-2", "absent"):
        np.testing.assert_array_equal(lazy.rows_equal(text), whole.rows_equal(text))
    assert lazy._codes is None  # blanks and equal rows need no merged dictionary
    held = np.array([0, 2], dtype=np.int64)
    assert list(lazy.texts_of(held)) == list(whole.texts_of(held))
    np.testing.assert_array_equal(lazy.codes, whole.codes)
    assert list(lazy.uniques) == list(whole.uniques)
    assert list(lazy.texts("-")) == list(whole.texts("-"))


def test_only_blocks_sharing_no_text_stay_apart() -> None:
    ids = _blocks(*[[f"INV-{b}-{i}" for i in range(5)] for b in range(5)], ["INV-4-4", "INV-5-0"])
    apart = _one_dictionary(ids)
    assert isinstance(apart, pa.ChunkedArray) and apart.num_chunks == 1  # end to end, "INV-4-4" twice
    merged = ids.unify_dictionaries().combine_chunks()
    assert combined(apart).equals(merged) and combined(apart).dictionary.equals(merged.dictionary)
    lazy, whole = text_column(apart), text_column(merged)
    np.testing.assert_array_equal(lazy.blank, whole.blank)
    np.testing.assert_array_equal(lazy.rows_equal("INV-4-4"), whole.rows_equal("INV-4-4"))
    np.testing.assert_array_equal(lazy.codes, whole.codes)
    shared = _blocks(*[[f"{i}.00" for i in range(b, b + 5)] for b in range(6)])
    one = _one_dictionary(shared)
    assert isinstance(one, pa.DictionaryArray) and len(one.dictionary) == 10
    assert isinstance(_one_dictionary(_blocks(["a", "b"], ["c", "d"])), pa.DictionaryArray)


def _shifted_by_arrow(arr: pa.ChunkedArray) -> pa.DictionaryArray:
    """end_to_end as Arrow's own kernels write it: each block's codes shifted past the
    dictionaries before it."""
    offsets = np.cumsum([0] + [len(c.dictionary) for c in arr.chunks[:-1]])
    t = arr.type.index_type
    indices = pa.concat_arrays([pc.add(c.indices, pa.scalar(int(o), t)) for c, o in zip(arr.chunks, offsets, strict=True)])
    return pa.DictionaryArray.from_arrays(indices, pa.concat_arrays([c.dictionary for c in arr.chunks]))


def test_blocks_end_to_end_are_their_codes_shifted() -> None:
    whole = pa.array([f"INV-{i % 37}" for i in range(400)], type=pa.string()).dictionary_encode()
    sliced = pa.chunked_array([whole.slice(0, 90), whole.slice(90, 150), whole.slice(240, 160)])  # offsets
    narrow = pa.chunked_array([pa.DictionaryArray.from_arrays(c.indices.cast(pa.int8()), c.dictionary)
                               for c in sliced.chunks])
    with_null = _blocks(["a", None, "b"], ["b", "c"], [None, "d", "a"])
    for arr in (sliced, narrow, with_null):
        got, want = end_to_end(arr), _shifted_by_arrow(arr)
        assert got.indices.equals(want.indices) and got.dictionary.equals(want.dictionary)
        assert got.to_pylist() == arr.to_pylist()


def test_a_large_tables_columns_merged_two_at_a_time_are_each_merged_alone() -> None:
    n, block = 250_000, 50_000
    ids = [f"INV-{i}" for i in range(n)]  # mostly distinct: blocks put end to end
    amounts = [f"{i % 7919}.{i % 100:02d}" for i in range(n)]  # repeated across blocks: merged
    reps = [["Ana", "Ben", "Cy"][i % 3] for i in range(n)]

    def chunked(values: list[str]) -> pa.ChunkedArray:
        return pa.chunked_array([pa.array(values[i:i + block]).dictionary_encode() for i in range(0, n, block)])

    table = pa.table({"Invoice": chunked(ids), "Amount": chunked(amounts), "Rep": chunked(reps)})
    assert table.num_rows >= _PARALLEL_ROWS
    both = _one_dictionary_each(table, ["Rep", "Invoice", "Amount"])
    assert list(both) == ["Rep", "Invoice", "Amount"]
    for h, got in both.items():
        alone = _one_dictionary(table.column(h))
        assert type(got) is type(alone) and got.equals(alone)
