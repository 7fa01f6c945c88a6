"""Quicker forms of three row-by-row computations of the loader and the sanity gate, each
checked against the plain form it replaced on many generated inputs (the same answer, not
just a plausible one)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from alms_toolkit.analysis.sanity import _distinct_days
from alms_toolkit.io.layout import continuation_lines
from alms_toolkit.io.ledger import _median_count


def _continuation_lines_plain(rows, blank, invoice, nothing_else):
    """The rule as first written (every array gathered per use, no early exit)."""
    sel = np.flatnonzero(rows)
    out = np.zeros(len(rows), dtype=bool)
    if len(sel) < 2:
        return out
    here, above = sel[1:], sel[:-1]
    same_invoice = (invoice[here] >= 0) & (invoice[here] == invoice[above]) if invoice is not None else False
    link = np.concatenate([[False], blank[here] & (same_invoice | nothing_else[here])])
    starts = link & ~np.concatenate([[False], link[:-1]])
    run = np.cumsum(starts)
    under_filled = starts & ~blank[sel[np.maximum(np.arange(len(sel)) - 1, 0)]]
    good = np.zeros(int(run[-1]) + 1, dtype=bool)
    good[run[under_filled]] = True
    out[sel[link & good[run]]] = True
    return out


@st.composite
def _lines(draw):
    n = draw(st.integers(0, 40))
    flags = hnp.arrays(bool, n)
    invoice = draw(st.none() | hnp.arrays(np.int64, n, elements=st.integers(-1, 4)))
    return draw(flags), draw(flags), invoice, draw(flags)


@settings(max_examples=600, deadline=None)
@given(_lines())
def test_continuation_lines_as_the_plain_rule(case):
    rows, blank, invoice, nothing_else = case
    got = continuation_lines(rows, blank, invoice, nothing_else)
    assert (got == _continuation_lines_plain(rows, blank, invoice, nothing_else)).all()


@settings(max_examples=600, deadline=None)
@given(hnp.arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 12)))
def test_median_count_is_numpys_median_truncated(counts):
    assert _median_count(counts) == int(np.median(counts))


@settings(max_examples=600, deadline=None)
@given(hnp.arrays(np.int64, st.integers(0, 60), elements=st.integers(-40_000, 40_000) | st.just(-(2**63))),
       st.sampled_from([1, 3, 400, 10**6]))
def test_distinct_days_as_numpys_unique(offsets, spread):
    # -(2**63) is NaT; the others days around 1970, close together or scattered
    days = np.where(offsets == -(2**63), offsets, offsets * spread // 1000).view("datetime64[D]")
    got = _distinct_days(days)
    want = np.unique(days[~np.isnat(days)])
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
