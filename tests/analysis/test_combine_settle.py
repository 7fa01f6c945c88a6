"""The candidates table settled last: with no auto_accept the merges are made without the
fuzzy search (a consultant's accept merges its pair, proposed or not) and the table is made
when settled (the search may still be running in a child process), with the reason of the
accepted merges the search proposed (``accepted match``, not ``manual``); with an auto_accept
the search is made first, since it decides merges. Either way the combination is the one
made all at once."""

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


def test_an_auto_accept_searches_first() -> None:
    find = Counting()
    unsettled = combine_clients_unsettled(frame(ROWS), None, config(auto_accept=95.0), Decisions(), find=find)
    assert find.calls == 1 and unsettled.later is None
    assert not unsettled.combination.candidates.empty
    assert unsettled.settle() is unsettled.combination


#: an accept the search proposes (Acme ~ Acmee), one it does not (Zorblat ~ Velmora Bros.),
#: and one a reject refuses (Velmora Bros. ~ Velmora Brothers would put Zorblat Foods and
#: Velmora Brothers, a rejected pair, in one client)
DECIDED = Decisions(merges=(
    ("Acme Inc", "Acmee Inc", "accept"),
    ("Zorblat Foods", "Velmora Bros.", "accept"),
    ("Zorblat Foods", "Velmora Brothers", "reject"),
    ("Velmora Bros.", "Velmora Brothers", "accept"),
))


def test_accepts_are_merged_before_the_search_and_logged_as_it_found_them() -> None:
    find = Counting()
    unsettled = combine_clients_unsettled(frame(ROWS), None, config(), DECIDED, find=find)
    assert find.calls == 0 and unsettled.later is not None
    made = unsettled.combination
    assert made.client_of["Acmee Inc"] == made.client_of["Acme Inc"]
    assert made.client_of["Zorblat Foods"] == made.client_of["Velmora Bros."]
    before = made.merge_log.set_index("raw_name")["reason"]
    assert before["Acmee Inc"] == "manual"  # until the search says the pair was proposed
    settled = unsettled.settle()
    assert find.calls == 1
    reason = settled.merge_log.set_index("raw_name")["reason"]
    assert reason["Acmee Inc"] == "accepted match" and reason["Zorblat Foods"] == "manual"
    assert reason["ACME, Inc."] == "same canonical name"  # a stronger reason is kept
    assert settled.conflicts[["name_a", "name_b"]].values.tolist() == [["Velmora Bros.", "Velmora Brothers"]]
    status = settled.candidates.set_index(["name_a", "name_b"])["status"].to_dict()
    assert status[("Velmora Brothers", "Velmora Bros.")] == "refused"
    # the same combination as one searched first, every table
    eager = combine_clients_unsettled(frame(ROWS), None, config(auto_accept=100.0), DECIDED, find=Counting())
    assert eager.later is None
    assert settled.client_of == eager.combination.client_of
    for name in ("merge_log", "clients", "candidates", "conflicts"):
        pd.testing.assert_frame_equal(getattr(settled, name), getattr(eager.combination, name), check_exact=True)


def test_a_settled_table_is_the_one_made_at_once() -> None:
    """The deferred table equals the one a search made first gives (statuses, order, scores):
    an auto_accept no pair reaches makes the search come first without changing anything else."""
    rejects = Decisions(merges=(("Kastelor International", "Kastelor Intl", "reject"),))
    later = combine_clients_unsettled(frame(ROWS), None, config(), rejects, find=Counting())
    assert later.later is not None
    now = combine_clients_unsettled(frame(ROWS), None, config(auto_accept=100.0), rejects, find=Counting())
    assert now.later is None
    pd.testing.assert_frame_equal(later.settle().candidates, now.combination.candidates, check_exact=True)
