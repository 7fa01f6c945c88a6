"""Per-seller lists and figures on small hand-written frames."""

from __future__ import annotations

import pandas as pd

from alms_toolkit.analysis.sellers import build_seller_lists

M = 1_000_000


def _accounts() -> pd.DataFrame:
    rows = [
        # client_key, client, billing, rank, tier, owner
        ("a", "Acme", 500, 1, "KEY", "Dana"),
        ("b", "Bolt", 300, 2, "KEY", "Lee"),
        ("c", "Core", 100, 3, "SECONDARY", "Dana"),
        ("d", "Dune", 80, 4, "SECONDARY", "Dana"),
        ("e", "Echo", 80, 5, "SECONDARY", "Unassigned"),
        ("f", "Fizz", 0, None, "NON-SPENDING", "Lee"),
        ("g", "Gale", -20, None, "NON-SPENDING", "Kim"),
    ]
    return pd.DataFrame(
        {
            "client_key": [r[0] for r in rows],
            "client": [r[1] for r in rows],
            "billing": pd.array([r[2] * M for r in rows], dtype="int64"),
            "rank": pd.array([r[3] for r in rows], dtype="Int64"),
            "tier": [r[4] for r in rows],
            "owner": [r[5] for r in rows],
        }
    )


def test_seller_figures_and_list_order() -> None:
    prospects = pd.DataFrame(
        {
            "seller": ["Dana", "Dana", "Lee", "Max", "Dana"],
            "category": ["TARGET", "EXTRA", "LEAD", "TARGET", "target"],
        }
    )
    result = build_seller_lists(_accounts(), prospects, known_sellers=["Ola"])
    sellers = result.sellers.set_index("seller")
    # name order, Unassigned last; Kim owns only a non-spending client and has no row
    assert result.sellers["seller"].tolist() == ["Dana", "Lee", "Max", "Ola", "Unassigned"]
    dana = sellers.loc["Dana"]
    assert (dana["n_key"], dana["n_secondary"]) == (1, 2)
    assert dana["billing_key"] == 500 * M and dana["billing_secondary"] == 180 * M
    assert dana["billing"] == 680 * M
    assert abs(dana["secondary_share"] - 2 / 3) < 1e-12
    assert (dana["n_targets"], dana["n_extras"], dana["n_leads"]) == (2, 1, 0)
    assert sellers.loc["Lee", "secondary_share"] == 0.0
    assert sellers.loc["Lee", "n_leads"] == 1
    assert sellers.loc["Max"].tolist()[:2] == [0, 0] and sellers.loc["Max", "n_targets"] == 1
    assert sellers.loc["Ola", "billing"] == 0
    assert sellers.loc["Unassigned", "n_secondary"] == 1

    accounts = result.seller_accounts
    dana_list = accounts[accounts["seller"] == "Dana"]
    assert dana_list["client"].tolist() == ["Acme", "Core", "Dune"]
    assert dana_list["rank"].tolist() == [1, 3, 4]
    assert abs(dana_list["share_of_seller"].sum() - 1.0) < 1e-12
    assert set(accounts["tier"]) == {"KEY", "SECONDARY"}
    assert accounts["seller"].tolist()[-1] == "Unassigned"


def test_key_before_secondary_even_when_secondary_bills_more_for_the_seller() -> None:
    acc = _accounts()
    acc.loc[acc["client_key"] == "b", "owner"] = "Dana"
    lists = build_seller_lists(acc).seller_accounts
    dana = lists[lists["seller"] == "Dana"]
    assert dana["tier"].tolist() == ["KEY", "KEY", "SECONDARY", "SECONDARY"]


def test_no_spending_accounts() -> None:
    acc = _accounts()
    acc = acc[acc["tier"] == "NON-SPENDING"]
    result = build_seller_lists(acc)
    assert result.sellers.empty and result.seller_accounts.empty
    assert list(result.sellers.columns)[:3] == ["seller", "n_key", "n_secondary"]
