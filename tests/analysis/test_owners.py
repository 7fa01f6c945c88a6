"""Owners of clients (ALMS step 7) on small hand-written ledgers."""

from __future__ import annotations

import pandas as pd

from alms_toolkit.analysis.owners import UNASSIGNED, assign_owners, seller_billing

M = 1_000_000


def _ledger(rows: list[tuple[str, str | None, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_row": range(2, len(rows) + 2),
            "date": pd.Timestamp("2024-03-01"),
            "client": [c for c, _, _ in rows],
            "client_id": pd.NA,
            "seller": pd.array([s for _, s, _ in rows], dtype="string"),
            "amount": pd.array([round(a * M) for _, _, a in rows], dtype="int64"),
        }
    )


def _clients(pairs: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_key": [k for k, _, _ in pairs],
            "client": [n for _, n, _ in pairs],
            "billing": pd.array([round(b * M) for _, _, b in pairs], dtype="int64"),
        }
    )


CLIENT_OF = {"Acme": "acme", "ACME Inc": "acme", "Bolt": "bolt", "Core": "core", "Dune": "dune"}


def test_largest_billing_only_seller_and_unassigned() -> None:
    ledger = _ledger(
        [
            ("Acme", "Dana", 100), ("ACME Inc", "Lee", 60), ("Acme", "Lee", 50),  # Lee 110 > Dana 100
            ("Bolt", "Dana", 40), ("Bolt", "Dana", -5),
            ("Core", None, 30), ("Core", "  ", 1),  # no seller at all (blank counts as none)
        ]
    )
    clients = _clients([("acme", "Acme", 210), ("bolt", "Bolt", 35), ("core", "Core", 31)])
    result = assign_owners(ledger, clients, CLIENT_OF)
    owners = result.owners.set_index("client_key")
    assert owners.loc["acme"].tolist() == ["Lee", "largest billing"]
    assert owners.loc["bolt"].tolist() == ["Dana", "only seller"]
    assert owners.loc["core"].tolist() == [UNASSIGNED, "no seller"]
    assert result.sellers == ("Dana", "Lee")
    split = result.split_clients
    assert split["client_key"].tolist() == ["acme", "acme"]
    assert split["seller"].tolist() == ["Lee", "Dana"]
    assert split["billing"].tolist() == [110 * M, 100 * M]
    assert abs(split["share"].iloc[0] - 110 / 210) < 1e-12
    assert not split["confirmed"].any()
    assert (split["owner"] == "Lee").all()


def test_two_sellers_tied_on_a_client_take_name_order() -> None:
    ledger = _ledger([("Acme", "Zoe", 50), ("Acme", "Adam", 50), ("Acme", "adam", 50)])
    clients = _clients([("acme", "Acme", 150)])
    result = assign_owners(ledger, clients, CLIENT_OF)
    # "Adam" < "Zoe" < "adam" in Python str order
    assert result.owners["owner"].tolist() == ["Adam"]
    assert result.split_clients["seller"].tolist() == ["Adam", "Zoe", "adam"]


def test_decision_then_account_list_take_precedence() -> None:
    ledger = _ledger([("Acme", "Dana", 100), ("Acme", "Lee", 60), ("Bolt", "Dana", 10), ("Bolt", "Lee", 5)])
    clients = _clients([("acme", "Acme", 160), ("bolt", "Bolt", 15), ("dune", "Dune", 0)])
    result = assign_owners(
        ledger, clients, CLIENT_OF,
        listed={"acme": "Lee", "bolt": "Lee", "dune": "Kim"},
        decided={"acme": "Pat"},
    )
    owners = result.owners.set_index("client_key")
    assert owners.loc["acme"].tolist() == ["Pat", "decision"]
    assert owners.loc["bolt"].tolist() == ["Lee", "account list"]
    assert owners.loc["dune"].tolist() == ["Kim", "account list"]
    split = result.split_clients
    assert split["confirmed"].all()
    assert split.groupby("client_key")["owner"].first().to_dict() == {"acme": "Pat", "bolt": "Lee"}
    # split clients ordered by the client's billing, largest first
    assert split["client_key"].tolist() == ["acme", "acme", "bolt", "bolt"]


def test_ledger_without_sellers_everyone_unassigned() -> None:
    ledger = _ledger([("Acme", None, 10), ("Bolt", None, 20)])
    result = assign_owners(ledger, _clients([("acme", "Acme", 10), ("bolt", "Bolt", 20)]), CLIENT_OF)
    assert result.owners["owner"].tolist() == [UNASSIGNED, UNASSIGNED]
    assert result.split_clients.empty
    assert result.sellers == ()


def test_credits_count_in_the_seller_net() -> None:
    ledger = _ledger([("Acme", "Dana", 100), ("Acme", "Dana", -80), ("Acme", "Lee", 30)])
    result = assign_owners(ledger, _clients([("acme", "Acme", 50)]), CLIENT_OF)
    assert result.owners["owner"].tolist() == ["Lee"]
    by = seller_billing(ledger, CLIENT_OF)
    assert by["seller"].tolist() == ["Lee", "Dana"] and by["billing"].tolist() == [30 * M, 20 * M]


def test_inputs_not_mutated() -> None:
    ledger = _ledger([("Acme", "Dana", 100), ("Acme", "Lee", 60)])
    clients = _clients([("acme", "Acme", 160)])
    before = (ledger.copy(), clients.copy())
    assign_owners(ledger, clients, CLIENT_OF, listed={"acme": "Lee"})
    pd.testing.assert_frame_equal(ledger, before[0])
    pd.testing.assert_frame_equal(clients, before[1])
