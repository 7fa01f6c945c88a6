"""combine_clients: automatic merges, candidates and decisions, the merge log, exact billing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shared_data import SHARED_DATA  # noqa: E402

from alms_toolkit.analysis.combine import Combination, combine_clients
from alms_toolkit.config import BillingSource, ClientConfig, Matching
from alms_toolkit.io.decisions import Decisions
from alms_toolkit.money import SCALE, from_decimal

DATA = SHARED_DATA


def config(**matching: float | None) -> ClientConfig:
    return ClientConfig(client="Test", folder=Path("."), billing=BillingSource(file=Path("b.csv")),
                        matching=Matching(**matching))


def frame(rows: list[tuple], with_id: bool = False) -> pd.DataFrame:
    """(client, amount units[, client_id]) -> a loaded-ledger-like frame."""
    data = {
        "source_row": np.arange(2, len(rows) + 2, dtype=np.int64),
        "client": [r[0] for r in rows],
        "amount": np.asarray([int(r[1] * SCALE) for r in rows], dtype=np.int64),
    }
    if with_id:
        data["client_id"] = pd.Series([r[2] for r in rows], dtype=object)
    return pd.DataFrame(data)


NO_DECISIONS = Decisions()


def combine(ledger: pd.DataFrame, earlier: pd.DataFrame | None = None,
            decisions: Decisions = NO_DECISIONS, **matching: float | None) -> Combination:
    return combine_clients(ledger, earlier, config(**matching), decisions)


def log_of(c: Combination) -> dict[str, tuple[str, str, int]]:
    return {r.raw_name: (r.client, r.reason, r.billing) for r in c.merge_log.itertuples()}


def test_same_canonical_name_merges_and_most_billed_spelling_is_shown() -> None:
    ledger = frame([("Acme Inc.", 100), ("ACME, Inc", 300), ("Acme Inc.", 50), ("Beta Ltd", 10)])
    c = combine(ledger)
    assert c.clients[["client", "billing", "n_names"]].values.tolist() == [
        ["ACME, Inc", 450 * SCALE, 2], ["Beta Ltd", 10 * SCALE, 1]]
    assert c.clients["billing"].dtype == np.int64
    log = log_of(c)
    assert log["Acme Inc."] == ("ACME, Inc", "same canonical name", 150 * SCALE)
    assert log["ACME, Inc"] == ("ACME, Inc", "same canonical name", 300 * SCALE)
    assert log["Beta Ltd"] == ("Beta Ltd", "single", 10 * SCALE)
    assert c.client_of["Acme Inc."] == c.client_of["ACME, Inc"] == "acme"
    assert c.n_merged == 1
    assert c.candidates.empty


def test_display_name_ties_go_to_the_alphabetically_first() -> None:
    c = combine(frame([("acme inc", 100), ("Acme Inc", 100)]))
    assert c.clients["client"].tolist() == ["Acme Inc"]


def test_same_client_id_merges_different_names() -> None:
    ledger = frame([("Acme", 10, "A1"), ("Acme Holdings Group", 5, "A1"), ("Zeta", 7, None)],
                   with_id=True)
    c = combine(ledger)
    assert len(c.clients) == 2
    log = log_of(c)
    assert log["Acme Holdings Group"][1] == "same id"
    assert log["Acme Holdings Group"][0] == "Acme"
    assert log["Zeta"][1] == "single"


def test_credits_net_exactly() -> None:
    ledger = frame([("Acme", 0.1), ("Acme", 0.2), ("Acme", -0.3), ("Beta", -5), ("Beta", 2)])
    c = combine(ledger)
    billing = dict(zip(c.clients.client, c.clients.billing, strict=True))
    assert billing == {"Acme": 0, "Beta": -3 * SCALE}


def test_fuzzy_candidate_is_pending_not_merged() -> None:
    ledger = frame([("Acme Inc", 500), ("Acme Incorprated", 20), ("Zorblat Foods", 1)])
    c = combine(ledger)
    assert len(c.clients) == 3
    assert c.candidates.to_dict("records") == [{
        "name_a": "Acme Inc", "name_b": "Acme Incorprated", "score": c.candidates.score[0],
        "billing_a": 500 * SCALE, "billing_b": 20 * SCALE, "status": "pending",
        "ids_a": "", "ids_b": "", "kind": "fuzzy"}]
    assert c.candidates.score[0] >= 88
    assert c.n_pending == 1


def test_accepted_decision_on_any_spelling_merges_the_groups() -> None:
    ledger = frame([("Acme Inc", 500), ("ACME, Inc.", 5), ("Acme Incorprated", 20)])
    decisions = Decisions(merges=(("acme inc.", "Acme Incorprated", "accept"),))
    c = combine(ledger, decisions=decisions)
    assert len(c.clients) == 1
    assert c.clients.billing.tolist() == [525 * SCALE]
    assert c.candidates.status.tolist() == ["accepted"]
    log = log_of(c)
    assert log["Acme Incorprated"][1] == "accepted match"
    assert log["ACME, Inc."][1] == "same canonical name"


def test_rejected_candidate_stays_apart_even_above_auto_accept() -> None:
    ledger = frame([("Acme Inc", 500), ("Acmee Inc", 20)])
    decisions = Decisions(merges=(("Acmee Inc", "Acme Inc", "reject"),))
    c = combine(ledger, decisions=decisions, auto_accept=85)
    assert len(c.clients) == 2
    assert c.candidates.status.tolist() == ["rejected"]


def test_a_reject_wins_over_an_accept_of_other_spellings_of_the_same_clients() -> None:
    """"Acme" and "Acmee" are other spellings of the two rejected clients: the later accept
    does not silently override the reject; it is listed as a conflict to settle."""
    ledger = frame([("Acme Inc", 500), ("Acmee Inc", 20)])
    decisions = Decisions(merges=(("Acme Inc", "Acmee Inc", "reject"),
                                  ("Acmee", "Acme", "accept")))
    c = combine(ledger, decisions=decisions)
    assert len(c.clients) == 2
    assert c.conflicts[["name_a", "name_b", "rejected_a", "rejected_b"]].values.tolist() == [
        ["Acmee", "Acme", "Acme Inc", "Acmee Inc"]]
    # the same spellings decided again: the latest decision about them counts
    again = Decisions(merges=(("Acme Inc", "Acmee Inc", "reject"), ("Acme Inc", "Acmee Inc", "accept")))
    assert len(combine(ledger, decisions=again).clients) == 1


def test_auto_accept_threshold_merges_high_scores() -> None:
    ledger = frame([("Acme Inc", 500), ("Acmee Inc", 20), ("Smith & Jones Media", 3),
                    ("Jones & Smith Media", 4)])
    c = combine(ledger, auto_accept=95)
    status = {frozenset((r.name_a, r.name_b)): r.status for r in c.candidates.itertuples()}
    assert status[frozenset(("Smith & Jones Media", "Jones & Smith Media"))] == "auto-accepted"
    assert status[frozenset(("Acme Inc", "Acmee Inc"))] == "pending"
    assert log_of(c)["Smith & Jones Media"][1] == "auto-accepted match"
    assert len(c.clients) == 3


def test_manual_merge_of_names_the_matcher_did_not_propose() -> None:
    # a trading name no rule can link to the company (the matcher now reads initialisms such
    # as IBM, so the consultant's merge is shown with a name it cannot see)
    ledger = frame([("Northwind Traders", 9), ("Blue Harbor Outlet", 1), ("Other", 1)])
    c = combine(ledger, decisions=Decisions(merges=(("Blue Harbor Outlet", "Northwind Traders",
                                                     "accept"),)))
    assert len(c.clients) == 2
    assert log_of(c)["Blue Harbor Outlet"] == ("Northwind Traders", "manual", 1 * SCALE)
    assert c.candidates.empty


def test_decisions_about_unknown_names_are_ignored() -> None:
    c = combine(frame([("Acme", 1)]), decisions=Decisions(merges=(("Nope", "Acme", "accept"),)))
    assert len(c.clients) == 1


def test_earlier_names_match_but_do_not_bill() -> None:
    ledger = frame([("ACME, Inc", 100), ("Beta", 5)])
    earlier = frame([("Acme Inc.", 900), ("Gamma Lapsed", 70)])
    c = combine(ledger, earlier)
    assert c.clients[["client", "billing"]].values.tolist() == [
        ["ACME, Inc", 100 * SCALE], ["Beta", 5 * SCALE]]
    assert c.client_of["Acme Inc."] == c.client_of["ACME, Inc"]
    assert c.client_of["Gamma Lapsed"] == "gamma lapsed"  # lapsed: mapped, not a window client
    assert log_of(c)["Gamma Lapsed"] == ("Gamma Lapsed", "single", 0)


def test_inputs_are_not_changed() -> None:
    ledger = frame([("Acme Inc", 1), ("Acme", 2)], with_id=False)
    earlier = frame([("Acme Ltd", 3)])
    before_l, before_e = ledger.copy(), earlier.copy()
    combine(ledger, earlier)
    pd.testing.assert_frame_equal(ledger, before_l)
    pd.testing.assert_frame_equal(earlier, before_e)


def test_client_keys_are_unique_and_cover_every_name() -> None:
    ledger = frame([("Acme", 1), ("ACME", 1), ("Acme Media", 1), ("12345", 2), ("12346", 3)])
    c = combine(ledger, earlier=frame([("Old Co", 4)]))
    assert c.clients.client_key.is_unique
    assert set(c.client_of) == {"Acme", "ACME", "Acme Media", "12345", "12346", "Old Co"}
    assert set(c.merge_log.raw_name) == set(c.client_of)
    assert set(c.clients.client_key) <= set(c.client_of.values())


def test_empty_ledger() -> None:
    c = combine(frame([]), None)
    assert c.clients.empty and c.merge_log.empty and c.candidates.empty
    assert list(c.candidates.columns) == ["name_a", "name_b", "score", "billing_a", "billing_b",
                                          "status", "ids_a", "ids_b", "kind"]


def _ledger(path: Path, client: str, amount: str) -> pd.DataFrame:
    raw = pd.read_csv(path, usecols=[client, amount], dtype=str).dropna(subset=[client])
    return pd.DataFrame({"client": raw[client],
                         "amount": raw[amount].map(from_decimal).astype(np.int64)})


def test_northwind_has_no_merges_and_no_candidates() -> None:
    led = _ledger(DATA / "northwind" / "ledger.csv", "CompanyName", "ExtendedPrice")
    c = combine(led)
    assert len(c.clients) == 89
    assert c.n_merged == 0
    assert c.candidates.empty
    assert set(c.merge_log.reason) == {"single"}


@pytest.mark.skipif(not (DATA / "online_retail").is_dir(), reason="reference data absent")
def test_online_retail_numeric_ids_never_match() -> None:
    led = _ledger(DATA / "online_retail" / "ledger.csv.gz", "CustomerID", "Amount")
    c = combine(led, auto_accept=50, threshold=50)
    assert len(c.clients) == 4372
    assert c.n_merged == 0
    assert c.candidates.empty


# ---------------------------------------------------------------- decisions that contradict


HARLOW = [("Harlow Harbor Pet Hospital", 9000), ("Harlow Harbour Pet Hospital", 700),
          ("Harlow Harbor Pet Hoospital", 1000), ("Finch Pizza", 500)]
A, A2, B = HARLOW[0][0], HARLOW[1][0], HARLOW[2][0]


def test_a_reject_wins_over_a_chain_of_accepts() -> None:
    """Reject A~B, then accept A'~B and A~A': the second accept would put A and B in one
    client, so it is not made, and is listed as a conflict (never combined silently)."""
    decisions = Decisions(merges=((A, B, "reject"), (A2, B, "accept"), (A, A2, "accept")))
    c = combine(frame(HARLOW), decisions=decisions)
    assert c.client_of[A2] == c.client_of[B] != c.client_of[A]
    assert len(c.clients) == 3 and c.clients["billing"].sum() == 11_200 * SCALE  # nothing lost
    (conflict,) = c.conflicts.to_dict("records")
    assert (conflict["name_a"], conflict["name_b"], conflict["decision"]) == (A, A2, "accept")
    assert {conflict["rejected_a"], conflict["rejected_b"]} == {A, B}
    status = {frozenset((r.name_a, r.name_b)): r.status for r in c.candidates.itertuples()}
    assert status[frozenset((A, A2))] == "refused" and status[frozenset((A, B))] == "rejected"
    assert log_of(c)[A][1] == "single"
    # written the other way round, the other accept is the one refused: the reject still wins
    flipped = combine(frame(HARLOW), decisions=Decisions(
        merges=((A, B, "reject"), (A, A2, "accept"), (A2, B, "accept"))))
    assert flipped.client_of[A] == flipped.client_of[A2] != flipped.client_of[B]
    assert flipped.conflicts[["name_a", "name_b"]].values.tolist() == [[B, A2]]
    # an automatic accept (matching.auto_accept) gives way to a reject too
    auto = combine(frame(HARLOW), decisions=Decisions(merges=((A, B, "reject"),)), auto_accept=80)
    assert auto.client_of[A] != auto.client_of[B]
    assert set(auto.conflicts["decision"]) <= {"auto-accept"}
    # without the reject, all three are one client
    plain = combine(frame(HARLOW), decisions=Decisions(merges=((A2, B, "accept"), (A, A2, "accept"))))
    assert plain.client_of[A] == plain.client_of[A2] == plain.client_of[B] and plain.conflicts.empty


def test_the_workshop_asks_before_saving_an_accept_that_a_reject_forbids() -> None:
    from alms_toolkit.analysis.combine import rejected_pair_joined

    saved = Decisions(merges=((A, B, "reject"), (A2, B, "accept")))
    assert rejected_pair_joined(saved, A, A2) == (A, B)
    assert rejected_pair_joined(saved, A2, "Finch Pizza") is None
    # spellings with the same canonical name are one: "harlow harbor pet hospital inc" is A
    assert rejected_pair_joined(saved, "Harlow Harbor Pet Hospital, Inc.", A2) == (A, B)
    # spellings of one client by id (the audit's automatic groups) count as one too
    group = {A: "g1", "Harlow Pet Hospital (main)": "g1"}.get
    assert rejected_pair_joined(saved, "Harlow Pet Hospital (main)", A2, lambda n: group(n) or n) == (A, B)
    # the latest decision about a pair counts: the reject undone by an accept no longer forbids
    assert rejected_pair_joined(Decisions(merges=((A, B, "reject"), (A, B, "accept"))), A, A2) is None


def test_combination_tables_sorted_as_pandas_sorts_them() -> None:
    """The tables are sorted by Arrow: billing (highest first) then key, client then spelling,
    text by code point as pandas sorts it; a value that is not text is written as text."""
    from alms_toolkit.analysis.combine import combination_tables

    client_rows = [("zeta", "Zeta", 5, 1), ("Éclair", "Éclair", 7, 2), ("alpha", "Alpha", 5, 1), ("b", "b", -3, 1)]
    log_rows = [("Zeta Inc", "zeta", "Zeta", "single", 5), ("éclair", "Éclair", "Éclair", "same canonical name", 3),
                ("Éclair", "Éclair", "Éclair", "same canonical name", 4), ("Alpha", "alpha", "Alpha", "single", 5)]
    clients, log = combination_tables(client_rows, log_rows)
    assert clients["client_key"].tolist() == ["Éclair", "alpha", "zeta", "b"]
    assert log["raw_name"].tolist() == ["Alpha", "Zeta Inc", "Éclair", "éclair"]
    expected = pd.DataFrame(log_rows, columns=["raw_name", "client_key", "client", "reason", "billing"]).astype(
        {"raw_name": str, "client_key": str, "client": str, "reason": str}).sort_values(
        ["client", "raw_name"], ignore_index=True)
    pd.testing.assert_frame_equal(log, expected)
    odd, _ = combination_tables([(5, "Five", 1, 1)], [])
    assert odd["client_key"].tolist() == ["5"] and str(odd["client_key"].dtype) == "str"
