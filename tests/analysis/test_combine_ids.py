"""IDs are evidence (issue 15 item 2): with a client id mapped, one name under different ids
is proposed, not combined silently; every combination is in the merge log and counted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.analysis.combine import (
    SAME_NAME_DIFFERENT_IDS,
    Combination,
    combine_clients,
    id_label,
    split_shared_spellings,
)
from alms_toolkit.config import BillingSource, ClientConfig, Matching, parse_config
from alms_toolkit.errors import ConfigError
from alms_toolkit.io.decisions import Decisions
from alms_toolkit.money import SCALE

NO_DECISIONS = Decisions()


def config(**matching: object) -> ClientConfig:
    return ClientConfig(client="Reseller", folder=Path("."), billing=BillingSource(file=Path("b.csv")),
                        matching=Matching(**matching))  # type: ignore[arg-type]


def reseller_ledger() -> pd.DataFrame:
    """A pharmacy wholesaler's invoices: store name as typed by the order desk, store id
    from the ERP. Two different stores trade as "Main Street Pharmacy" (ids 1001, 2044);
    store 3001 is typed two ways; store 4100 has one spelling."""
    rows = [
        ("2025-01-06", "Main Street Pharmacy", "1001", "Ana", "1200.50"),
        ("2025-02-03", "Main Street Pharmacy", "1001", "Ana", "980.00"),
        ("2025-03-10", "Main Street Pharmacy", "1001", "Ana", "-120.25"),  # a credit note
        ("2025-01-20", "Main Street Pharmacy", "2044", "Ben", "310.00"),
        ("2025-04-14", "Main Street Pharmacy", "2044", "Ben", "295.10"),
        ("2025-02-11", "Oak Hill Drugs Inc", "3001", "Ana", "4500.00"),
        ("2025-05-02", "Oak Hill Drugs, Inc.", "3001", "Ana", "1500.00"),
        ("2025-03-03", "Riverside Chemists", "4100", "Ben", "75.00"),
    ]
    return pd.DataFrame({
        "source_row": np.arange(2, len(rows) + 2, dtype=np.int64),
        "date": pd.to_datetime([r[0] for r in rows]),
        "client": [r[1] for r in rows],
        "client_id": pd.Series([r[2] for r in rows], dtype=object),
        "seller": [r[3] for r in rows],
        "amount": np.asarray([int(round(float(r[4]) * SCALE)) for r in rows], dtype=np.int64),
    })


def combined(ledger: pd.DataFrame, decisions: Decisions = NO_DECISIONS, **matching: object
             ) -> tuple[Combination, pd.DataFrame]:
    """What the audit does: split spellings shared by several ids, then combine."""
    cfg = config(**matching)
    (window, _earlier), _labels = split_shared_spellings([ledger, None], cfg)
    assert window is not None
    return combine_clients(window, None, cfg, decisions), window


def log_of(c: Combination) -> dict[str, tuple[str, str]]:
    return {r.raw_name: (r.client, r.reason) for r in c.merge_log.itertuples()}


STORE_1001 = id_label("Main Street Pharmacy", "1001")
STORE_2044 = id_label("Main Street Pharmacy", "2044")


def test_two_stores_with_one_name_are_kept_apart_and_proposed_with_both_ids() -> None:
    ledger = reseller_ledger()
    c, window = combined(ledger)
    billing = dict(zip(c.clients["client"], c.clients["billing"], strict=True))
    assert billing[STORE_1001] == from_units("2060.25")
    assert billing[STORE_2044] == from_units("605.10")
    assert len(c.clients) == 4  # 1001, 2044, Oak Hill (3001, two spellings), Riverside
    assert c.client_of[STORE_1001] != c.client_of[STORE_2044]
    same = c.candidates[c.candidates["kind"] == SAME_NAME_DIFFERENT_IDS]
    assert same[["name_a", "name_b", "ids_a", "ids_b", "status"]].values.tolist() == [
        [STORE_1001, STORE_2044, "1001", "2044", "pending"]]
    assert same["billing_a"].tolist() == [from_units("2060.25")]
    assert same["billing_b"].tolist() == [from_units("605.10")]
    assert c.n_pending == 1
    # the rows are relabelled per id, nothing else changes; the input is untouched
    assert (window["client"] == STORE_2044).sum() == 2
    pd.testing.assert_frame_equal(ledger, reseller_ledger())
    assert int(window["amount"].sum()) == int(ledger["amount"].sum())


def test_one_store_typed_two_ways_is_combined_and_logged() -> None:
    c, _ = combined(reseller_ledger())
    log = log_of(c)
    assert log["Oak Hill Drugs Inc"][1] == "same id"
    assert log["Oak Hill Drugs, Inc."][1] == "same id"
    assert log["Oak Hill Drugs Inc"][0] == log["Oak Hill Drugs, Inc."][0] == "Oak Hill Drugs Inc"
    assert log["Riverside Chemists"][1] == "single"
    assert log[STORE_1001][1] == log[STORE_2044][1] == "single"  # kept apart
    assert c.n_merged == 1


def test_different_spellings_of_one_name_under_different_ids_are_a_candidate() -> None:
    ledger = reseller_ledger()
    ledger.loc[ledger["client_id"] == "2044", "client"] = "MAIN STREET PHARMACY"
    c, _ = combined(ledger)
    assert len(c.clients) == 4
    same = c.candidates[c.candidates["kind"] == SAME_NAME_DIFFERENT_IDS]
    assert same[["name_a", "name_b", "ids_a", "ids_b", "score", "status"]].values.tolist() == [
        ["Main Street Pharmacy", "MAIN STREET PHARMACY", "1001", "2044", 100.0, "pending"]]
    # an auto-accept threshold does not overrule an id
    c2, _ = combined(ledger, auto_accept=90)
    assert len(c2.clients) == 4
    assert c2.candidates.loc[c2.candidates["kind"] == SAME_NAME_DIFFERENT_IDS, "status"].tolist() == [
        "pending"]


def test_spelling_without_id_next_to_two_ids_is_proposed_not_given_to_either() -> None:
    ledger = reseller_ledger()
    ledger.loc[ledger["client_id"] == "2044", "client"] = "MAIN STREET PHARMACY"
    extra = ledger.iloc[[0]].assign(client="Main Street Pharmacy Inc", client_id=None,
                                    amount=np.int64(10 * SCALE))
    c, _ = combined(pd.concat([ledger, extra], ignore_index=True))
    assert len(c.clients) == 5
    same = c.candidates[c.candidates["kind"] == SAME_NAME_DIFFERENT_IDS]
    assert len(same) == 3  # every pair of the three sides
    assert sorted(map(sorted, same[["ids_a", "ids_b"]].values.tolist())) == [
        ["", "1001"], ["", "2044"], ["1001", "2044"]]


def test_consultant_rule_merge_combines_and_logs_every_id() -> None:
    c, window = combined(reseller_ledger(), same_name_different_ids="merge")
    assert (window["client"] == "Main Street Pharmacy").sum() == 5  # not split
    log = log_of(c)
    assert log["Main Street Pharmacy"][1] == SAME_NAME_DIFFERENT_IDS
    assert dict(c.shared_spellings) == {"Main Street Pharmacy": ("1001", "2044")}
    assert c.n_merged == 2  # the two ids under one name, and Oak Hill's two spellings
    assert c.candidates.empty or SAME_NAME_DIFFERENT_IDS not in set(c.candidates["kind"])
    billing = dict(zip(c.clients["client"], c.clients["billing"], strict=True))
    assert billing["Main Street Pharmacy"] == from_units("2665.35")


def test_consultant_rule_merge_on_two_spellings() -> None:
    ledger = reseller_ledger()
    ledger.loc[ledger["client_id"] == "2044", "client"] = "MAIN STREET PHARMACY"
    c, _ = combined(ledger, same_name_different_ids="merge")
    log = log_of(c)
    assert log["Main Street Pharmacy"] == ("Main Street Pharmacy", SAME_NAME_DIFFERENT_IDS)
    assert log["MAIN STREET PHARMACY"] == ("Main Street Pharmacy", SAME_NAME_DIFFERENT_IDS)
    assert len(c.clients) == 3
    assert c.n_merged == 2


def test_unsplit_shared_spelling_is_still_logged_and_counted() -> None:
    """A caller that did not split: the combination of two ids under one spelling shows."""
    c = combine_clients(reseller_ledger(), None, config(), Decisions())
    assert log_of(c)["Main Street Pharmacy"][1] == SAME_NAME_DIFFERENT_IDS
    assert c.n_merged == 2
    assert c.shared_spellings["Main Street Pharmacy"] == ("1001", "2044")


def test_decision_accepting_the_pair_merges_it() -> None:
    decisions = Decisions(merges=((STORE_2044, STORE_1001, "accept"),))
    c, _ = combined(reseller_ledger(), decisions)
    assert len(c.clients) == 3
    assert c.client_of[STORE_1001] == c.client_of[STORE_2044]
    log = log_of(c)
    assert log[STORE_1001] == (STORE_1001, "accepted match")
    assert log[STORE_2044] == (STORE_1001, "accepted match")
    same = c.candidates[c.candidates["kind"] == SAME_NAME_DIFFERENT_IDS]
    assert same["status"].tolist() == ["accepted"]
    assert c.n_merged == 2
    rejected, _ = combined(reseller_ledger(), Decisions(merges=((STORE_1001, STORE_2044, "reject"),)))
    assert len(rejected.clients) == 4
    assert rejected.n_pending == 0


def test_ids_across_window_and_earlier_rows() -> None:
    ledger = reseller_ledger()
    earlier = ledger.iloc[[3]].assign(date=pd.Timestamp("2023-06-01"), client_id="5555")
    cfg = config()
    (window, before), labels = split_shared_spellings([ledger, earlier], cfg)
    assert before is not None
    assert before["client"].tolist() == [id_label("Main Street Pharmacy", "5555")]
    # each spelling split -> its ids' labels, in the order the ids first appear
    assert labels == {"Main Street Pharmacy": tuple(
        id_label("Main Street Pharmacy", i) for i in dict.fromkeys(
            [*ledger.loc[ledger["client"] == "Main Street Pharmacy", "client_id"].str.strip(), "5555"]))}
    c = combine_clients(window, before, cfg, Decisions())
    same = c.candidates[c.candidates["kind"] == SAME_NAME_DIFFERENT_IDS]
    assert len(same) == 3


def test_setting_is_checked() -> None:
    assert Matching().same_name_different_ids == "keep_apart"
    assert Matching(same_name_different_ids="Merge").same_name_different_ids == "merge"
    with pytest.raises(Exception, match="keep_apart"):
        Matching(same_name_different_ids="sometimes")
    with pytest.raises(ConfigError, match="same_name_different_ids"):
        parse_config({"client": "X", "billing": {"file": "b.csv"},
                      "matching": {"same_name_different_ids": "yes"}}, Path("."))


def test_without_ids_nothing_changes() -> None:
    ledger = reseller_ledger().drop(columns="client_id")
    cfg = config()
    out, labels = split_shared_spellings([ledger, None], cfg)
    assert out[0] is ledger and labels == {}
    c = combine_clients(ledger, None, cfg, Decisions())
    assert log_of(c)["Main Street Pharmacy"][1] == "single"
    assert c.n_merged == 1  # Oak Hill's two spellings, by name


def from_units(text: str) -> int:
    from decimal import Decimal

    from alms_toolkit.money import from_decimal

    return from_decimal(Decimal(text))


def test_stores_kept_apart_are_two_automatic_groups_for_the_workshop() -> None:
    from alms_toolkit.analysis.combine import rejected_pair_joined

    c, _ = combined(reseller_ledger())
    group = c.auto_group
    assert group[STORE_1001] != group[STORE_2044]
    assert group["Oak Hill Drugs Inc"] == group["Oak Hill Drugs, Inc."]
    # the workshop's check before saving an accept sees the two stores as two clients
    decisions = Decisions(merges=((STORE_1001, STORE_2044, "reject"),
                                  ("Riverside Chemists", STORE_1001, "accept")))
    assert rejected_pair_joined(decisions, "Riverside Chemists", STORE_2044,
                                group_of=group.__getitem__) == (STORE_1001, STORE_2044)
