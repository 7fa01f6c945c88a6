"""The candidates table settled last: with no accept among the decisions and no auto_accept,
the merges are made without the fuzzy search and the table is made when settled (the search
may still be running in a child process); with an accept or auto_accept the search is made
first, since it decides merges. Either way the combination is the one made all at once."""

from __future__ import annotations

import pandas as pd
import pytest
from test_candidate_cache import Counting
from test_combine import config, frame

from alms_toolkit.analysis.combine import combine_clients_unsettled
from alms_toolkit.io.decisions import Decisions

ROWS = [("Acme Inc", 500), ("Acmee Inc", 20), ("ACME, Inc.", 5), ("Kastelor International", 300),
        ("Kastelor Intl", 40), ("Zorblat Foods", 70), ("First National Bank of Dallas", 90),
        ("First National Bank of Austin", 60), ("Velmora Bros.", 10), ("Velmora Brothers", 15)]


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMS_CACHE_DIR", "off")


def test_without_accepts_the_search_waits_for_the_table() -> None:
    rejects = Decisions(merges=(("Kastelor International", "Kastelor Intl", "reject"),))
    for decisions in (Decisions(), rejects):
        find = Counting()
        unsettled = combine_clients_unsettled(frame(ROWS), None, config(), decisions, find=find)
        assert find.calls == 0 and unsettled.later is not None
        assert unsettled.combination.candidates.empty  # until settled
        settled = unsettled.settle()
        assert find.calls == 1
        table = settled.candidates.set_index(["name_a", "name_b"])["status"].to_dict()
        assert table[("Acme Inc", "Acmee Inc")] == "pending"
        assert table[("Kastelor International", "Kastelor Intl")] == (
            "rejected" if decisions.merges else "pending")
        assert ("First National Bank of Dallas", "First National Bank of Austin") not in table
        # the merges made without the search are those of a combination searched first
        eager = combine_clients_unsettled(frame(ROWS), None, config(auto_accept=100.0), decisions,
                                          find=Counting())  # an auto_accept no pair reaches: searched first
        assert eager.later is None
        assert settled.client_of == eager.combination.client_of
        pd.testing.assert_frame_equal(settled.merge_log, eager.combination.merge_log)


@pytest.mark.parametrize("decisions, matching", [
    (Decisions(merges=(("Acme Inc", "Acmee Inc", "accept"),)), {}),
    (Decisions(), {"auto_accept": 95.0}),
])
def test_an_accept_or_auto_accept_searches_first(decisions: Decisions, matching: dict) -> None:
    find = Counting()
    unsettled = combine_clients_unsettled(frame(ROWS), None, config(**matching), decisions, find=find)
    assert find.calls == 1 and unsettled.later is None
    assert not unsettled.combination.candidates.empty
    assert unsettled.settle() is unsettled.combination


def test_a_settled_table_is_the_one_made_at_once() -> None:
    """The deferred table equals the one a search made first gives (statuses, order, scores):
    an auto_accept no pair reaches makes the search come first without changing anything else."""
    rejects = Decisions(merges=(("Kastelor International", "Kastelor Intl", "reject"),))
    later = combine_clients_unsettled(frame(ROWS), None, config(), rejects, find=Counting())
    assert later.later is not None
    now = combine_clients_unsettled(frame(ROWS), None, config(auto_accept=100.0), rejects, find=Counting())
    assert now.later is None
    pd.testing.assert_frame_equal(later.settle().candidates, now.combination.candidates, check_exact=True)
