"""stable_order sorts as Python's sorted does: by code point, stable, numbers and texts."""

from __future__ import annotations

import random

import numpy as np
import pytest

from alms_toolkit.analysis.ordering import ASCENDING, DESCENDING, stable_order

TEXTS = ["Zeta", "alpha", "Alpha", "Ærø Foods", "Éclair", "eclair", "", " Acme", "Acme", "acme ", "ß",
         "\u00e9", "e\u0301", "東京", "😀 Emoji Co", "Total Wine & More", "A\u00a0B", "A B"]


def _python(rows: list[tuple[object, ...]], descending: list[bool]) -> list[int]:
    def key(i: int) -> tuple[object, ...]:
        return tuple(-v if d else v for v, d in zip(rows[i], descending, strict=True))
    return sorted(range(len(rows)), key=key)


@pytest.mark.parametrize("seed", range(20))
def test_same_order_as_python_sorted(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(0, 300)
    bills = [rng.choice([0, -5, 7, 7, 1_000_000_000_000, 3]) for _ in range(n)]
    names = [rng.choice(TEXTS) for _ in range(n)]
    keys = [rng.choice(TEXTS).lower() for _ in range(n)]
    got = stable_order([(np.asarray([b <= 0 for b in bills]), ASCENDING), (np.asarray(bills, dtype=np.int64), DESCENDING),
                        (np.asarray(names, dtype=object), ASCENDING), (keys, ASCENDING)])
    rows = [(b <= 0, b, nm, k) for b, nm, k in zip(bills, names, keys, strict=True)]
    want = sorted(range(n), key=lambda i: (rows[i][0], -rows[i][1], rows[i][2], rows[i][3]))
    assert got.tolist() == want


def test_texts_arrow_cannot_hold_are_sorted_by_python() -> None:
    names = ["b\udcff", "a", "b", "a\udc80", "a"]  # lone surrogates (a file read with errors=surrogateescape)
    got = stable_order([(np.asarray(names, dtype=object), ASCENDING), (np.arange(5), DESCENDING)])
    assert got.tolist() == sorted(range(5), key=lambda i: (names[i], -i))


def test_descending_text_and_ties_keep_their_order() -> None:
    names = ["b", "a", "b", "c", "a"]
    assert stable_order([(names, DESCENDING)]).tolist() == [3, 0, 2, 1, 4]
    assert stable_order([(np.asarray(names, dtype=object), DESCENDING)]).tolist() == [3, 0, 2, 1, 4]


def test_texts_with_nul_characters_and_other_values() -> None:
    v = ["a\x00c", "a\x00b", "a", "a\x00"]
    want = sorted(range(4), key=v.__getitem__)
    assert stable_order([(np.asarray(v, dtype=object), ASCENDING)]).tolist() == want
    assert stable_order([(v, ASCENDING)]).tolist() == want
    assert stable_order([]).tolist() == []
    with pytest.raises(TypeError):  # as sorted() refuses to compare None with a text
        stable_order([(["b", None, "a"], ASCENDING)])
