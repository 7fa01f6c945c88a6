"""A text column read as plain text (a column of mostly distinct cells) gives the same blank
rows, texts and codes as the same column read as a dictionary of distinct texts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alms_toolkit.io.cells import text_column

CELLS = ["INV-1", " INV-2 ", "", " ", "\t", "\u00a0", "\u3000", "\u2028", "\x0b", "\x1f", "\ufeff", None,
         "INV-1", "Total", "  Total", "\u00a0Total\u00a0", "x\u200by"]


def test_plain_and_dictionary_columns_read_the_same() -> None:
    plain = text_column(pa.array(CELLS, type=pa.string()))
    coded = text_column(pc.dictionary_encode(pa.array(CELLS, type=pa.string())))
    assert plain.blank.tolist() == coded.blank.tolist()
    # blank: white space only, as pyarrow's trim reads it (the BOM and a zero-width space are text)
    expected = [c is None or pc.utf8_trim_whitespace(pa.scalar(c)).as_py() == "" for c in CELLS]
    assert plain.blank.tolist() == expected
    assert plain.rows_equal("Total").tolist() == coded.rows_equal("Total").tolist() == [
        c is not None and c.strip() == "Total" for c in CELLS]
    assert plain.texts().tolist() == coded.texts().tolist()
    # blanks are -1, and the codes group the rows the same way (equal cells, equal codes)
    assert np.array_equal(plain.codes < 0, plain.blank)
    pairs = set(zip(plain.codes.tolist(), coded.codes.tolist(), strict=True))
    assert len(pairs) == len(set(plain.codes.tolist())) == len(set(coded.codes.tolist()))
    assert plain.codes[0] == plain.codes[12] >= 0  # INV-1 twice
