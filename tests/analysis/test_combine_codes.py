"""combine reads spellings as integer codes (each hashed once): the billing per spelling and
the distinct (spelling, client id) pairs are the same as through the text conversion, in the
same order, with missing, padded, numeric and repeated ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.analysis.combine import _billing_by_name, _coded, _id_pairs


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 400
    names = np.asarray([f"Client {i}" for i in range(40)] + ["Acme", "Acme ", "ACME"], dtype=object)
    ids = np.asarray(["1001", " 1001", "1002 ", "", "  ", None, np.nan, "A-9", "7"], dtype=object)
    return pd.DataFrame({
        "client": names[rng.integers(0, len(names), n)],
        "client_id": ids[rng.integers(0, len(ids), n)],
        "amount": rng.integers(-5_000_000, 90_000_000, n).astype(np.int64),
    })


@pytest.mark.parametrize("seed", range(6))
def test_codes_give_the_text_answers(seed: int) -> None:
    window, earlier = _frame(seed), _frame(seed + 100)
    coded = [_coded(window), _coded(earlier)]
    assert all(c is not None for c in coded)
    for f, c in zip((window, earlier), coded, strict=True):
        by_text, by_code = _billing_by_name(f), _billing_by_name(f, c)
        assert by_text.index.tolist() == by_code.index.tolist()
        assert by_text.tolist() == by_code.tolist()
        assert by_code.dtype == np.int64
    by_text = _id_pairs([window, earlier])
    by_code = _id_pairs([window, earlier], coded)
    assert len(by_code) > 10
    assert by_text == by_code
    assert all(cid == cid.strip() != "" for _, cid in by_code)


def test_ids_of_other_types_are_converted_first() -> None:
    f = pd.DataFrame({"client": ["Acme", "Acme", "Acme"], "client_id": pd.Series([7, 7.0, None], dtype=object),
                      "amount": np.asarray([1, 2, 3], dtype=np.int64)})
    ids = _id_pairs([f], [_coded(f)])
    assert [cid for _, cid in ids] == ["7", "7.0"]


def test_a_missing_spelling_takes_the_text_path() -> None:
    f = pd.DataFrame({"client": ["Acme", None], "amount": np.asarray([1, 2], dtype=np.int64)})
    assert _coded(f) is None
    expected = f.groupby(f["client"].astype(str), sort=False)["amount"].sum()
    assert _billing_by_name(f).to_dict() == expected.to_dict()
