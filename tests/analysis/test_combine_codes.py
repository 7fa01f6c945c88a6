"""combine reads spellings as integer codes (each hashed once): the billing per spelling and
the distinct (spelling, client id) pairs are the same as through the text conversion, in the
same order, with missing, padded, numeric and repeated ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.analysis.combine import (
    _billing_by_name,
    _coded,
    _coded_pairs,
    _id_pairs,
    _IdPairs,
)


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


def _pairs_text(p: _IdPairs) -> list[tuple[str, str]]:
    return list(zip(p.spellings[p.spelling].tolist(), p.ids[p.cid].tolist(), strict=True))


@pytest.mark.parametrize("seed", range(6))
def test_pairs_as_codes_are_the_pairs_as_text(seed: int) -> None:
    window, earlier = _frame(seed), _frame(seed + 100)
    no_ids = _frame(seed + 200).drop(columns="client_id")
    frames = [window, no_ids, earlier]
    coded = [_coded(f) for f in frames]
    fast = _coded_pairs(frames, coded, [None, None, None])
    assert fast is not None
    as_text = _id_pairs(frames)
    assert _pairs_text(fast) == as_text  # the same pairs, in the same order
    slow = _IdPairs.listed(as_text)
    assert fast.shared() == slow.shared() == _shared_by_hand(as_text) != {}
    for name in ["Acme", "Acme ", "ACME", "Client 3", "Nobody"]:
        assert fast.of(name) == slow.of(name) == tuple(c for x, c in as_text if x == name)
    assert fast.has(["Acme", "Nobody", "Client 7"]) == [any(x == n for x, _ in as_text) for n in ("Acme", "Nobody", "Client 7")]
    by_id = {c: sorted({x for x, d in as_text if d == c}) for _, c in as_text}
    assert sorted(map(sorted, fast.sharing_an_id())) == sorted(v for v in by_id.values() if len(v) > 1) != []


def _shared_by_hand(pairs: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for x, c in pairs:
        out[x] = (*out.get(x, ()), c)
    return {x: v for x, v in out.items() if len(v) > 1}


def test_ids_not_all_text_are_paired_as_text() -> None:
    f = pd.DataFrame({"client": ["Acme", "Acme", "Bolt"], "client_id": pd.Series([7, "7", None], dtype=object),
                      "amount": np.asarray([1, 2, 3], dtype=np.int64)})
    assert _coded_pairs([f], [_coded(f)], [None]) is None
    assert _pairs_text(_IdPairs.of_frames([f], [_coded(f)], [None])) == [("Acme", "7")]


def test_frames_without_ids_have_no_pairs() -> None:
    f = pd.DataFrame({"client": ["Acme", "Bolt"], "client_id": pd.Series([None, "  "], dtype=object),
                      "amount": np.asarray([1, 2], dtype=np.int64)})
    for pairs in (_IdPairs.of_frames([f], [_coded(f)], [None]), _IdPairs.of_frames([f.drop(columns="client_id")], [None], [None])):
        assert _pairs_text(pairs) == [] and pairs.shared() == {} and pairs.of("Acme") == ()
        assert pairs.has(["Acme"]) == [False] and pairs.sharing_an_id() == []
