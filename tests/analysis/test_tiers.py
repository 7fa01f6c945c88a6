"""Key cut-off and tiers on small hand-written frames (ALMS steps 3-6)."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from alms_toolkit.analysis.tiers import assign_tiers, n_key_for
from alms_toolkit.errors import ConfigError
from alms_toolkit.money import SCALE


def _clients(pairs: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_key": [name.lower() for name, _ in pairs],
            "client": [name for name, _ in pairs],
            "billing": pd.array([round(v * SCALE) for _, v in pairs], dtype="int64"),
        }
    )


def test_n_key_is_exact_ceiling() -> None:
    assert n_key_for(500, 0.25) == 125
    assert n_key_for(100, 0.07) == 7  # float 0.07 * 100 = 7.000000000000001
    assert n_key_for(3, 0.29) == 1  # 0.87 -> 1
    assert n_key_for(7, 0.25) == 2
    assert n_key_for(8, 0.25) == 2
    assert n_key_for(9, 0.25) == 3
    assert n_key_for(10, "0.2") == 2
    assert n_key_for(3, Fraction(1, 3)) == 1


def test_alms_example_500_clients_125_key() -> None:
    pairs = [(f"Client {i:03d}", 1000 - i) for i in range(500)]
    tiers = assign_tiers(_clients(pairs), 0.25)
    assert tiers.n_clients == 500
    assert tiers.n_key_nominal == 125
    assert tiers.n_key == 125
    assert tiers.cutoff == (1000 - 124) * SCALE  # the 125th client's billing
    assert tiers.n_ties_at_cutoff == 0
    key = tiers.table[tiers.table["tier"] == "KEY"]
    assert len(key) == 125 and key["billing"].min() == tiers.cutoff


def test_n_not_divisible_by_four_and_order() -> None:
    clients = _clients([("E", 10), ("A", 50), ("C", 30), ("B", 40), ("D", 20), ("F", 5), ("G", 1)])
    tiers = assign_tiers(clients, 0.25)
    assert tiers.n_clients == 7
    assert tiers.n_key_nominal == 2  # ceil(1.75)
    assert tiers.cutoff == 40 * SCALE
    assert list(tiers.table["client"]) == ["A", "B", "C", "D", "E", "F", "G"]
    assert list(tiers.table["tier"]) == ["KEY"] * 2 + ["SECONDARY"] * 5
    assert list(tiers.table["rank"]) == [1, 2, 3, 4, 5, 6, 7]
    assert tiers.revenue_total == 156 * SCALE
    assert tiers.key_revenue == 90 * SCALE
    assert tiers.key_revenue_share == pytest.approx(90 / 156)
    assert tiers.table["cum_share"].iloc[-1] == pytest.approx(1.0)


def test_ties_at_cutoff_widen_key_and_are_counted() -> None:
    clients = _clients(
        [("Zeta", 100), ("Alpha", 80), ("Beta", 80), ("Gamma", 80), ("Delta", 10),
         ("Eps", 9), ("Eta", 8), ("Theta", 7)]
    )
    tiers = assign_tiers(clients, 0.25)
    assert tiers.n_key_nominal == 2
    assert tiers.cutoff == 80 * SCALE
    assert tiers.n_key == 4  # Zeta + the three tied at 80
    assert tiers.n_ties_at_cutoff == 2
    assert tiers.n_at_cutoff == 3
    # ties ranked by client name ascending
    assert list(tiers.table["client"][:4]) == ["Zeta", "Alpha", "Beta", "Gamma"]
    assert tiers.n_secondary == 4


def test_tie_order_is_python_str_order() -> None:
    clients = _clients([("beta", 5), ("Beta", 5), ("Älpha", 5), ("alpha", 5)])
    table = assign_tiers(clients, 0.5).table
    assert list(table["client"]) == sorted(["beta", "Beta", "Älpha", "alpha"])


def test_one_client() -> None:
    tiers = assign_tiers(_clients([("Only", 12.5)]), 0.25)
    assert (tiers.n_clients, tiers.n_key, tiers.n_secondary) == (1, 1, 0)
    assert tiers.cutoff == 12_500_000
    assert tiers.key_revenue_share == 1.0


def test_zero_and_negative_clients_are_listed_not_counted() -> None:
    clients = _clients([("Credit", -30), ("Zero", 0), ("Small", 0.000001), ("Big", 100), ("Mid", 50)])
    tiers = assign_tiers(clients, 0.25)
    assert tiers.n_clients == 3
    assert tiers.n_nonpositive == 2
    assert tiers.revenue_total == 150_000_001
    table = tiers.table
    non = table[table["tier"] == "NON-SPENDING"]
    assert set(non["client"]) == {"Credit", "Zero"}
    assert non["rank"].isna().all()
    assert non["share"].isna().all()
    assert list(table["client"]) == ["Big", "Mid", "Small", "Zero", "Credit"]
    assert str(table["rank"].dtype) == "Int64"


def test_all_credits_gives_clear_empty_result() -> None:
    tiers = assign_tiers(_clients([("A", -1), ("B", -2), ("C", 0)]), 0.25)
    assert tiers.n_clients == 0
    assert tiers.n_key == 0 and tiers.n_key_nominal == 0
    assert tiers.cutoff is None
    assert tiers.key_revenue_share == 0.0
    assert (tiers.table["tier"] == "NON-SPENDING").all()
    assert tiers.concentration["n_clients"].tolist() == [0, 0, 0]


def test_no_clients_at_all() -> None:
    empty = pd.DataFrame({"client_key": [], "client": [], "billing": pd.array([], dtype="int64")})
    tiers = assign_tiers(empty, 0.25)
    assert tiers.n_clients == 0 and tiers.cutoff is None and tiers.table.empty


def test_pareto_and_concentration() -> None:
    pairs = [(f"C{i}", v) for i, v in enumerate([60, 20, 8, 4, 3, 2, 1, 1, 0.5, 0.5])]
    tiers = assign_tiers(_clients(pairs), 0.25)
    pareto = tiers.pareto
    assert pareto.iloc[0].tolist() == [0, 0.0, 0.0]
    assert pareto["client_share"].iloc[-1] == 1.0
    assert pareto["revenue_share"].iloc[-1] == pytest.approx(1.0)
    assert pareto["revenue_share"].iloc[1] == pytest.approx(0.6)
    conc = tiers.concentration.set_index("top")
    assert conc.loc[0.1, "n_clients"] == 1 and conc.loc[0.1, "revenue_share"] == pytest.approx(0.6)
    assert conc.loc[0.2, "revenue_share"] == pytest.approx(0.8)
    assert conc.loc[0.25, "n_clients"] == 3 and conc.loc[0.25, "revenue_share"] == pytest.approx(0.88)


def test_input_not_mutated_and_bad_share() -> None:
    clients = _clients([("B", 1), ("A", 2)])
    before = clients.copy()
    assign_tiers(clients, 0.25)
    pd.testing.assert_frame_equal(clients, before)
    with pytest.raises(ConfigError):
        assign_tiers(clients, 0)
    with pytest.raises(ConfigError):
        assign_tiers(clients, 1.5)
    with pytest.raises(ValueError, match="billing"):
        assign_tiers(clients.drop(columns="billing"), 0.25)
