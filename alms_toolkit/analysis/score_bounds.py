"""Which blocked name pairs can still reach the threshold: a vectorised upper bound of
:func:`~alms_toolkit.analysis.matching.match_score`, so the exact (per-pair, Python) score is
computed only for pairs that might pass. Pruning never changes a result: a pair is dropped
only when its bound is below the threshold.

The bound follows the score's rules (see :mod:`.matching`):

- equal words align first (their weights count in full); what is left on each side
  (the *left* words) may align inexactly, with a similarity of at most 1;
- an inexact alignment of two unequal words needs them to start with the same letter
  (a lone initial, a shortened word, an initialism's first word) or to be a typo apart
  (both 4+ letters, lengths within 2, no digit, at most 2 edits);
- when both names keep a left word that nothing on the other side can align with, the
  score is capped at the different-words cap; otherwise one side is aligned in full and
  the other side's unalignable words are lost: the bound is
  ``100 * (total - lost weight) / total``;
- when one side has no left word at all, nothing more aligns: the score is the share of
  the equal words.

Pairs a bound cannot judge safely are kept (scored exactly): names with a repeated word or
more than :data:`MAX_WORDS` words, names whose run of initials spells a left word of the
other (an initialism), and names equal once spaces are removed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["reachable", "MAX_WORDS"]

#: Names with more words than this are always scored exactly.
MAX_WORDS = 8
#: Pairs bounded in one go (the boolean cubes are ``chunk x MAX_WORDS x MAX_WORDS``).
_CHUNK = 65_536
#: Slack for the score's rounding to one decimal (and float sums).
_SLACK = 0.1


class _Names:
    """The names' words as padded integer matrices (word ids, weights, first letters)."""

    def __init__(self, words: Sequence[tuple[str, ...]], weights: Sequence[tuple[float, ...]],
                 runs: Mapping[str, Sequence[int]]):
        n = len(words)
        lens = np.fromiter(map(len, words), dtype=np.int64, count=n)
        width = max(1, min(MAX_WORDS, int(lens.max(initial=1))))
        flat = np.asarray([w for ws in words for w in ws], dtype=object)
        codes, uniques = pd.factorize(flat) if len(flat) else (np.empty(0, dtype=np.int64), flat)
        codes = np.asarray(codes, dtype=np.int64)
        gs = np.fromiter((g for g_ in weights for g in g_), dtype=np.float64, count=len(flat))
        owner = np.repeat(np.arange(n, dtype=np.int64), lens)
        pos = np.arange(len(flat), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
        # scored exactly, never pruned: too many words, or a word repeated
        exact_only = lens > width
        order = np.lexsort((codes, owner))
        twice = (owner[order][1:] == owner[order][:-1]) & (codes[order][1:] == codes[order][:-1])
        exact_only[owner[order][1:][twice]] = True
        keep = ~exact_only[owner]
        ids = np.full((n, width), -1, dtype=np.int64)
        wts = np.zeros((n, width), dtype=np.float64)
        ids[owner[keep], pos[keep]] = codes[keep]
        wts[owner[keep], pos[keep]] = gs[keep]
        vocab = {str(w): k for k, w in enumerate(uniques)}
        self.vocab = list(vocab)
        self.ids, self.weights, self.exact_only = ids, wts, exact_only
        self.first = np.asarray([ord(w[0]) for w in self.vocab] + [0], dtype=np.int64)
        self.length = np.asarray([len(w) for w in self.vocab] + [0], dtype=np.int64)
        self.digit = np.asarray([any(c.isdigit() for c in w) for w in self.vocab] + [True],
                                dtype=bool)
        self.width = (ids >= 0).sum(axis=1)
        # codes ``name * V + word`` of each word that spells the initials of a run of the name
        size = len(vocab)
        run_codes = [j * size + vocab[t] for t, names in runs.items() if t in vocab for j in names]
        self.runs = np.unique(np.asarray(run_codes, dtype=np.int64))


def _typo_apart(names: _Names, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For word-id pairs (a, b), unequal and both real words: a typo apart (a superset of
    what the score forgives: 4+ letters, lengths within 2, no digit, at most 2 edits)."""
    la, lb = names.length[a], names.length[b]
    cand = ((np.minimum(la, lb) >= 4) & (np.abs(la - lb) <= 2)
            & ~names.digit[a] & ~names.digit[b])
    out = np.zeros(len(a), dtype=bool)
    if not cand.any():
        return out
    size = len(names.vocab)
    code = np.minimum(a[cand], b[cand]) * size + np.maximum(a[cand], b[cand])
    uniq, back = np.unique(code, return_inverse=True)
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    vocab = np.asarray(names.vocab, dtype=object)
    dist = process.cpdist(vocab[uniq // size].tolist(), vocab[uniq % size].tolist(),
                          scorer=OSA.distance, score_cutoff=2, workers=1)
    out[np.flatnonzero(cand)] = np.asarray(dist)[back] <= 2
    return out


def _bound_chunk(names: _Names, ia: np.ndarray, ib: np.ndarray, cap: float, width: int
                 ) -> np.ndarray:
    """Upper bound (0-100) of the score of each pair (ia, ib), whose names have at most
    ``width`` words; +inf when not judged."""
    A, B = names.ids[ia, :width], names.ids[ib, :width]
    wa, wb = names.weights[ia, :width], names.weights[ib, :width]
    va, vb = A >= 0, B >= 0
    eq = (A[:, :, None] == B[:, None, :]) & va[:, :, None]
    exact_a, exact_b = eq.any(axis=2), eq.any(axis=1)
    left_a, left_b = va & ~exact_a, vb & ~exact_b
    cells = left_a[:, :, None] & left_b[:, None, :]
    same_first = names.first[A][:, :, None] == names.first[B][:, None, :]
    compat = cells & same_first
    p, x, y = np.nonzero(cells & ~same_first)
    if len(p):
        compat[p, x, y] = _typo_apart(names, A[p, x], B[p, y])
    lost_a = left_a & ~compat.any(axis=2)
    lost_b = left_b & ~compat.any(axis=1)
    total = wa.sum(axis=1) + wb.sum(axis=1)
    equal = (wa * exact_a).sum(axis=1) + (wb * exact_b).sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    one_side = ~left_a.any(axis=1) | ~left_b.any(axis=1)
    all_a, all_b = ~lost_a.any(axis=1), ~lost_b.any(axis=1)
    bound_a = np.where(all_a, 100.0 * (total - (wb * lost_b).sum(axis=1)) / safe, -np.inf)
    bound_b = np.where(all_b, 100.0 * (total - (wa * lost_a).sum(axis=1)) / safe, -np.inf)
    bound = np.where(one_side, 100.0 * equal / safe, np.maximum(cap, np.maximum(bound_a, bound_b)))
    bound = np.where(total > 0, bound, 0.0)
    # an initialism: a left word of one side spells a run of the other's initials
    size = len(names.vocab)
    if len(names.runs):
        init_a = left_a & np.isin(ib[:, None] * size + A, names.runs)
        init_b = left_b & np.isin(ia[:, None] * size + B, names.runs)
        bound[init_a.any(axis=1) | init_b.any(axis=1)] = np.inf
    return bound


def reachable(words: Sequence[tuple[str, ...]], weights: Sequence[tuple[float, ...]],
              ia: np.ndarray, ib: np.ndarray, threshold: float, cap: float,
              runs: Mapping[str, Sequence[int]]) -> np.ndarray:
    """A mask over the pairs (``ia[k]``, ``ib[k]``: indexes of ``words``/``weights``, the
    compared words and their weights of each name) true where the pair's score may reach
    ``threshold``; ``cap`` is the score ceiling of two names that each keep a word the other
    lacks; ``runs``: the initials of every run of 2-6 consecutive words of a name -> the
    names (indexes) with it. Pairs with a name equal once spaces are removed are not judged
    here (the caller keeps them)."""
    keep = np.ones(len(ia), dtype=bool)
    if len(ia) == 0:
        return keep
    names = _Names(words, weights, runs)
    judged = ~(names.exact_only[ia] | names.exact_only[ib])
    wide = np.maximum(names.width[ia], names.width[ib])
    # pairs of short names are bounded on narrow matrices (most names have few words)
    low = 0
    for high in (2, 4, MAX_WORDS):
        at = np.flatnonzero(judged & (wide > low) & (wide <= high))
        low = high
        for start in range(0, len(at), _CHUNK):
            part = at[start : start + _CHUNK]
            bound = _bound_chunk(names, ia[part], ib[part], cap, high)
            keep[part] = bound >= threshold - _SLACK
    return keep
