"""The score bound that spares exact scoring: it never drops a pair that reaches the
threshold, on every pair of the labelled names, and it drops most pairs that do not."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_cases import all_names
from name_variants import labelled_set

from alms_toolkit.analysis import matching
from alms_toolkit.analysis.abbreviations import looks_like_person
from alms_toolkit.analysis.names import canonical_name
from alms_toolkit.analysis.score_bounds import reachable


def _scores_and_mask(keys: list[str], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    prep = matching._prepare(keys)
    pairs = np.asarray(list(itertools.combinations(range(len(keys)), 2)), dtype=np.int64)
    ia, ib = pairs[:, 0], pairs[:, 1]
    mask = reachable(prep.words, prep.weights, ia, ib, threshold, matching.DIFFERENT_WORDS_CAP,
                     matching._initial_runs(prep.words))
    scores = np.asarray([
        matching._score_words(prep.words[i], prep.weights[i], prep.words[j], prep.weights[j],
                              looks_like_person(prep.words[i]) or looks_like_person(prep.words[j]))
        for i, j in zip(ia.tolist(), ib.tolist(), strict=True)])
    return scores, mask


@pytest.fixture(scope="module")
def labelled_keys() -> list[str]:
    names = [*labelled_set(n_families=40, seed=2).names, *all_names()]
    return sorted({canonical_name(n) for n in names})


@pytest.mark.parametrize("threshold", [95.0, 88.0, 80.0, 60.0, 41.0, 30.0])
def test_no_pair_reaching_the_threshold_is_dropped(labelled_keys: list[str], threshold: float) -> None:
    scores, mask = _scores_and_mask(labelled_keys, threshold)
    assert (scores >= threshold).any()
    dropped = np.flatnonzero(~mask & (scores >= threshold))
    assert len(dropped) == 0


def test_most_pairs_below_the_threshold_are_dropped(labelled_keys: list[str]) -> None:
    scores, mask = _scores_and_mask(labelled_keys, 88.0)
    below = scores < 88.0
    assert (~mask[below]).mean() > 0.9


def test_a_typo_in_the_first_letter_is_kept() -> None:
    keys = ["castelor media", "kastelor media", "evlmora trading", "velmora trading", "zeta media"]
    prep = matching._prepare(keys)
    ia, ib = np.asarray([0, 2, 0], dtype=np.int64), np.asarray([1, 3, 4], dtype=np.int64)
    mask = reachable(prep.words, prep.weights, ia, ib, 88.0, matching.DIFFERENT_WORDS_CAP,
                     matching._initial_runs(prep.words))
    assert mask.tolist() == [True, True, False]


_WORDS = ["acme", "acmee", "acne", "intl", "international", "ibm", "business", "machines",
          "phys", "physical", "therapy", "smith", "smyth", "jones", "dr", "ann", "a", "c",
          "heating", "air", "holdings", "media", "medical", "bank", "dallas", "austin",
          "brightwater", "brightwatre", "logistics", "12", "mark", "johnson", "johnston",
          "kastelor", "castelor", "velmora", "evlmora", "morvane", "morvnae", "co"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), min_size=2, max_size=12),
       st.sampled_from([88.0, 70.0, 50.0]))
def test_the_bound_holds_on_generated_names(word_lists: list[list[str]], threshold: float) -> None:
    keys = sorted({" ".join(ws) for ws in word_lists})
    if len(keys) < 2:
        return
    scores, mask = _scores_and_mask(keys, threshold)
    assert not (~mask & (scores >= threshold)).any()
