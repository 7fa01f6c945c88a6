"""A wholesaler billing the branches of two buying groups (issue 15 item 3), through the whole
audit: the pattern is proposed and nothing rolled up until client.yml says so; with the rule,
each group is one account under its head office (or the name the consultant chose), every
branch is in the merge log and counted, kept branches stay accounts, and the money is kept to
the cent. The true figures are written out below (sums of the ledger's lines, by hand)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alms_toolkit.engine import audit
from alms_toolkit.money import SCALE, from_decimal

LEDGER = """Invoice Date,Customer,Rep,Net
2025-01-06,Allied Pharmacy Group (Head Office),Ana Silva,1500.00
2025-04-02,Allied Pharmacy Group (Head Office),Ana Silva,250.25
2025-01-09,"Allied Pharmacy Group (Tulsa, OK)",Ben Okoro,4200.10
2025-02-11,"Allied Pharmacy Group (Waco, TX)",Ana Silva,980.45
2025-03-15,"Allied Pharmacy Group (Waco, TX)",Ana Silva,-80.45
2025-02-20,"Allied Pharmacy Group (Austin, TX)",Ben Okoro,2750.33
2025-05-05,"Allied Pharmacy Group (El Paso, TX)",Ana Silva,125.07
2024-03-18,"Allied Pharmacy Group (Lubbock, TX)",Ana Silva,512.00
2025-01-14,"Keystone Hardware Co-op (Erie, PA)",Cara Diaz,610.50
2025-02-14,"Keystone Hardware Co-op (Reading, PA)",Cara Diaz,1999.99
2025-03-14,"Keystone Hardware Co-op (York, PA)",Ben Okoro,333.33
2025-04-14,"Keystone Hardware Co-op (Scranton, PA)",Cara Diaz,88.18
2025-01-21,Smith (John),Ana Silva,400.00
2025-02-21,Smith (Mary),Ana Silva,150.00
2025-03-21,Smith (Peter),Cara Diaz,75.50
2025-02-02,Acme (UK) Ltd,Ben Okoro,5000.00
2025-03-04,Total Wine & More,Ben Okoro,9000.00
2025-04-07,Children's Hospital (Boston),Cara Diaz,2200.40
2025-03-05,Harbour Vets,Ana Silva,640.00
"""

HEAD_OFFICE = "Allied Pharmacy Group (Head Office)"
KEYSTONE = "Keystone Hardware Co-op"
#: the true 12-month figures (window 2024-07-01 .. 2025-06-30), summed by hand
ALLIED_TOTAL = "9725.75"      # 1750.25 + 4200.10 + 900.00 + 2750.33 + 125.07
HEAD_OFFICE_OWN = "1750.25"   # 1500.00 + 250.25: less than its Tulsa branch (4200.10)
KEYSTONE_TOTAL = "3032.00"    # 610.50 + 1999.99 + 333.33 + 88.18
LEDGER_TOTAL = "30223.65"     # every line in the window (the Lubbock line is earlier)


def micros(text: str) -> int:
    return from_decimal(text)


def _client(tmp_path: Path, hierarchy: str = "") -> Path:
    folder = tmp_path / "wholesaler"
    folder.mkdir(parents=True)
    (folder / "billing.csv").write_text(LEDGER, encoding="utf-8")
    (folder / "client.yml").write_text(
        "client: Wholesaler\nas_of: 2025-07-01\nbilling:\n  file: billing.csv\n"
        "accept: [short_window]\n" + hierarchy, encoding="utf-8")
    return folder


def test_no_rule_proposes_and_rolls_up_nothing(tmp_path: Path) -> None:
    result = audit(_client(tmp_path))
    hierarchy = result.inputs.hierarchy
    assert hierarchy is not None and hierarchy.proposed and not hierarchy.applied
    assert result.summary()["hierarchy"] == {
        "rule": None, "n_groups": 2, "n_branches": 9,
        "n_kept_branches": 0, "applied": False, "proposed": True,
    }
    assert [g.parent for g in hierarchy.groups] == [HEAD_OFFICE, KEYSTONE]
    assert hierarchy.n_branches == 9  # Allied: 5 (Lubbock billed only before the window), Keystone: 4
    assert "rule: parenthesised" in hierarchy.proposal()
    assert "9 branches of 2 group(s)" in hierarchy.proposal()
    # nothing rolled up: every branch is its own client, nothing logged as a branch
    assert len(result.accounts) == 16  # the Lubbock branch billed only before the window
    assert not result.combination.merge_log["reason"].str.startswith("branch of").any()
    assert result.combination.n_merged == 0
    assert result.accounts["billing"].sum() == micros(LEDGER_TOTAL)


def test_rule_rolls_branches_up_to_the_head_office(tmp_path: Path) -> None:
    result = audit(_client(tmp_path, "hierarchy: parenthesised\n"))
    accounts = result.accounts.set_index("client")
    # the group is listed under its head office, not its biggest branch (Tulsa)
    assert accounts.loc[HEAD_OFFICE, "billing"] == micros(ALLIED_TOTAL)
    assert accounts.loc[KEYSTONE, "billing"] == micros(KEYSTONE_TOTAL)
    assert "Allied Pharmacy Group (Tulsa, OK)" not in accounts.index
    assert result.summary()["hierarchy"] == {
        "rule": "parenthesised", "n_groups": 2, "n_branches": 9, "n_kept_branches": 0,
        "applied": True, "proposed": False,
    }
    # the hard negatives are untouched
    for name in ("Smith (John)", "Smith (Mary)", "Smith (Peter)", "Acme (UK) Ltd",
                 "Total Wine & More", "Children's Hospital (Boston)", "Harbour Vets"):
        assert name in accounts.index
    assert len(accounts) == 9
    assert result.accounts["billing"].sum() == micros(LEDGER_TOTAL)
    assert accounts.loc[HEAD_OFFICE, "rank"] == 1 and accounts.loc[HEAD_OFFICE, "tier"] == "KEY"
    log = result.combination.merge_log.set_index("raw_name")
    assert log.loc["Allied Pharmacy Group (Tulsa, OK)", "reason"] == f"branch of {HEAD_OFFICE}"
    assert log.loc["Allied Pharmacy Group (Tulsa, OK)", "billing"] == micros("4200.10")
    assert log.loc["Allied Pharmacy Group (Lubbock, TX)", "billing"] == 0
    assert log.loc[HEAD_OFFICE, "billing"] == micros(HEAD_OFFICE_OWN)
    assert log.loc[HEAD_OFFICE, "reason"] == "parent account"
    assert log.loc["Keystone Hardware Co-op (York, PA)", "reason"] == f"branch of {KEYSTONE}"
    # the group name written by no line has no merge-log line of its own
    assert KEYSTONE not in log.index
    # every ledger spelling is in the log once, the billing adds up to the cent, all counted
    assert log.index.is_unique and len(log) == 17  # 16 spellings in the window, Lubbock before
    assert log["billing"].sum() == micros(LEDGER_TOTAL)
    assert result.combination.n_merged == 9 == result.summary()["n_merged"]
    branches = log["reason"].str.startswith("branch of")
    assert int(branches.sum()) == 9
    assert result.combination.client_of["Allied Pharmacy Group (Waco, TX)"] == accounts.loc[HEAD_OFFICE, "client_key"]
    # the seller lists use the group: one line, owned by the seller billing most of it
    lists = result.seller_accounts
    assert (lists["client"] == HEAD_OFFICE).sum() == 1
    assert not lists["client"].str.contains("Tulsa").any()
    assert accounts.loc[HEAD_OFFICE, "owner"] == "Ben Okoro"  # 6950.43 of 9725.75
    # the lapsed Lubbock branch is not a lapsed client of its own
    assert not result.lapsed["client"].str.contains("Lubbock").any()


def test_consultant_names_the_parent_and_keeps_a_branch(tmp_path: Path) -> None:
    result = audit(_client(tmp_path, (
        "hierarchy:\n  rule: parenthesised\n"
        "  parents: {Keystone Hardware Co-op: Keystone Hardware Cooperative}\n"
        "  keep_branches: [\"Allied Pharmacy Group (Tulsa, OK)\"]\n")))
    accounts = result.accounts.set_index("client")
    assert accounts.loc["Keystone Hardware Cooperative", "billing"] == micros(KEYSTONE_TOTAL)
    assert accounts.loc["Allied Pharmacy Group (Tulsa, OK)", "billing"] == micros("4200.10")
    assert accounts.loc[HEAD_OFFICE, "billing"] == micros("5525.65")  # 9725.75 - 4200.10
    assert result.accounts["billing"].sum() == micros(LEDGER_TOTAL)
    log = result.combination.merge_log.set_index("raw_name")
    assert log.loc["Allied Pharmacy Group (Tulsa, OK)", "reason"] == "single"
    assert log["reason"].str.startswith("branch of").sum() == 8
    assert result.combination.n_merged == 8
    group = next(g for g in result.inputs.hierarchy.groups if g.parent == HEAD_OFFICE)
    assert group.kept == (("Allied Pharmacy Group (Tulsa, OK)", micros("4200.10")),)


@pytest.mark.parametrize("hierarchy", ["hierarchy: none\n", "hierarchy: {rule: parenthesised, keep_branches: [Allied Pharmacy Group, Keystone Hardware Co-op]}\n"])
def test_branches_kept_apart_by_choice(tmp_path: Path, hierarchy: str) -> None:
    result = audit(_client(tmp_path, hierarchy))
    assert not result.inputs.hierarchy.proposed
    assert len(result.accounts) == 16 and result.combination.n_merged == 0
    assert result.accounts["billing"].sum() == micros(LEDGER_TOTAL)


BILL_TO = """Invoice Date,Customer,Customer ID,Bill-To ID,Rep,Net
2025-01-06,Allied Pharmacy Group - Head Office,C100,C100,Ana Silva,1500.00
2025-01-09,Allied Tulsa Store,C101,C100,Ben Okoro,4200.10
2025-02-11,Allied Waco Store,C102,C100,Ana Silva,900.45
2025-03-11,Allied Waco Store,C102,,Ana Silva,-0.45
2025-01-14,Keystone Erie,K201,KHC,Cara Diaz,610.50
2025-02-14,Keystone Reading,K202,KHC,Cara Diaz,1999.99
2025-03-04,Total Wine & More,T1,T1,Ben Okoro,9000.00
2025-03-05,Harbour Vets,H1,,Ana Silva,640.00
"""


def _bill_to_client(tmp_path: Path, hierarchy: str = "") -> Path:
    return _folder(tmp_path, BILL_TO, "  columns: {client: Customer, client_id: Customer ID, parent: Bill-To ID}\n"
                   "accept: [short_window]\n" + hierarchy)


def test_bill_to_id_rolls_up_to_the_head_office_it_names(tmp_path: Path) -> None:
    result = audit(_bill_to_client(tmp_path, "hierarchy:\n  rule: parent_column\n"
                                             "  parents: {KHC: Keystone Hardware Co-op}\n"))
    accounts = result.accounts.set_index("client")
    # the bill-to id C100 is the head office's own id: the group is listed under it, not
    # under its biggest branch (Allied Tulsa Store, 4200.10)
    assert accounts.loc["Allied Pharmacy Group - Head Office", "billing"] == micros("6600.10")
    assert accounts.loc["Allied Pharmacy Group - Head Office", "client_ids"] == "C100"
    assert accounts.loc["Keystone Hardware Co-op", "billing"] == micros("2610.49")
    assert accounts.loc["Total Wine & More", "billing"] == micros("9000.00")  # billed to itself
    assert len(accounts) == 4
    assert result.accounts["billing"].sum() == micros("18850.59")
    log = result.combination.merge_log.set_index("raw_name")
    assert log.loc["Allied Waco Store", "reason"] == "branch of Allied Pharmacy Group - Head Office"
    assert log.loc["Allied Waco Store", "billing"] == micros("900.00")
    assert log["billing"].sum() == micros("18850.59")
    assert result.combination.n_merged == 4
    hierarchy = result.inputs.hierarchy
    assert [g.parent_source for g in hierarchy.groups] == ["bill-to id", "client.yml"]


def test_parent_column_without_the_rule_is_a_proposal(tmp_path: Path) -> None:
    result = audit(_bill_to_client(tmp_path))
    hierarchy = result.inputs.hierarchy
    assert hierarchy.proposed and hierarchy.basis == "parent_column"
    assert "rule: parent_column" in hierarchy.client_yml_lines()
    assert len(result.accounts) == 7 and result.combination.n_merged == 0
    # the proposal names the account a bill-to id stands for, not the id
    assert "Allied Pharmacy Group - Head Office (" in hierarchy.proposal()
    assert "C100 (" not in hierarchy.proposal()


def test_parent_column_rule_needs_the_column(tmp_path: Path) -> None:
    from alms_toolkit.errors import ConfigError

    with pytest.raises(ConfigError, match="billing.columns"):
        audit(_client(tmp_path, "hierarchy: parent_column\n"))


def test_branch_ids_do_not_make_the_parent_a_shared_spelling(tmp_path: Path) -> None:
    """With a client id mapped, a branch's rows take the parent's id: no 'same name,
    different ids' split or candidate appears for the parent."""
    folder = tmp_path / "ids"
    folder.mkdir()
    lines = LEDGER.splitlines()
    rows = [lines[0].replace("Customer,", "Customer,Customer ID,")]
    id_of: dict[str, str] = {}
    for line in lines[1:]:  # each spelling its own id
        head, _, rest = line.partition(",")
        name, sep, tail = rest.rpartition(",Ana Silva") if ",Ana Silva" in rest else rest.rpartition(
            ",Ben Okoro") if ",Ben Okoro" in rest else rest.rpartition(",Cara Diaz")
        cid = id_of.setdefault(name, f"ID{len(id_of) + 1}")
        rows.append(f"{head},{name},{cid}{sep}{tail}")
    (folder / "billing.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "client.yml").write_text(
        "client: W\nas_of: 2025-07-01\nbilling:\n  file: billing.csv\n"
        "  columns: {client: Customer, client_id: Customer ID}\naccept: [short_window]\n"
        "hierarchy: parenthesised\n", encoding="utf-8")
    result = audit(folder)
    accounts = result.accounts.set_index("client")
    assert accounts.loc[HEAD_OFFICE, "billing"] == micros(ALLIED_TOTAL)
    assert len(accounts) == 9 and not result.combination.shared_spellings
    assert (result.combination.candidates.get("kind", pd.Series(dtype=str)) != "fuzzy").sum() == 0


def test_republish_lists_the_group_under_its_head_office(tmp_path: Path) -> None:
    import json

    from alms_toolkit.runs.republish_run import republish

    client = _client(tmp_path, "hierarchy: parenthesised\n")
    review = tmp_path / "reports" / "wholesaler" / "2025-01-01"
    review.mkdir(parents=True)
    (review / "accounts.csv").write_text(
        "client_key,name,tier,owner,billing_12m,rank,cutoff,as_of,review_date,last_billed,fit_score,notes\n"
        f"allied pharmacy group head office,{HEAD_OFFICE},KEY,Ana Silva,5000.00,1,4000.00,2025-01-01,2026-01-01,,,\n"
        "total wine and more,Total Wine & More,KEY,Ben Okoro,4000.00,2,4000.00,2025-01-01,2026-01-01,,,\n",
        encoding="utf-8")
    (review / "summary.json").write_text(json.dumps({
        "client": "Wholesaler", "slug": "wholesaler", "as_of": "2025-01-01",
        "review_date": "2026-01-01", "cutoff": "4000.00"}), encoding="utf-8")
    result = republish(client, review)
    accounts = result.lists.accounts.set_index("client")
    assert accounts.loc[HEAD_OFFICE, "billing"] == micros(ALLIED_TOTAL)
    assert accounts.loc[HEAD_OFFICE, "owner"] == "Ana Silva"  # the review's owner is kept
    assert accounts.loc[KEYSTONE, "billing"] == micros(KEYSTONE_TOTAL)
    assert int(result.lists.accounts["billing"].sum()) == micros(LEDGER_TOTAL)
    # the branches are in the republished merge log as branches, as in the audit's
    log = result.lists.audit.combination.merge_log.set_index("raw_name")
    assert log.loc["Allied Pharmacy Group (Tulsa, OK)", "reason"] == f"branch of {HEAD_OFFICE}"
    assert int(log["reason"].str.startswith("branch of").sum()) == 9
    assert log["billing"].sum() == micros(LEDGER_TOTAL)


def test_a_merge_decided_for_a_branch_holds_once_the_rule_rolls_it_up(tmp_path: Path) -> None:
    """The consultant combined a stray spelling with the Tulsa branch before setting the rule:
    with the rule, Tulsa is the head office's, and so is the stray spelling (not lost)."""
    folder = _client(tmp_path, "hierarchy: parenthesised\n")
    with (folder / "billing.csv").open("a", encoding="utf-8") as f:
        f.write("2025-05-20,Allied Grp - Tulsa,Ben Okoro,300.00\n")
    (folder / "decisions.yml").write_text(
        'merges:\n  - {names: ["Allied Pharmacy Group (Tulsa, OK)", "Allied Grp - Tulsa"], decision: accept}\n',
        encoding="utf-8")
    result = audit(folder)
    accounts = result.accounts.set_index("client")
    assert accounts.loc[HEAD_OFFICE, "billing"] == micros(ALLIED_TOTAL) + 300 * SCALE
    assert "Allied Grp - Tulsa" not in accounts.index
    log = result.combination.merge_log.set_index("raw_name")
    assert log.loc["Allied Grp - Tulsa", "client"] == HEAD_OFFICE
    assert result.accounts["billing"].sum() == micros(LEDGER_TOTAL) + 300 * SCALE


BILL_TO_AS_ID = """Invoice Date,Customer,Bill-To ID,Rep,Net
2025-01-06,Allied Pharmacy Group (Head Office),900,Ana Silva,1500.00
2025-01-09,"Allied Pharmacy Group (Tulsa, OK)",900,Ben Okoro,4200.10
2025-02-20,"Allied Pharmacy Group (Austin, TX)",900,Ben Okoro,2750.33
2025-02-11,"Allied Pharmacy Group (Waco, TX)",900,Ana Silva,900.00
2025-03-04,Total Wine & More,4200,Ben Okoro,9000.00
2025-03-05,Harbour Vets,4300,Ana Silva,640.00
"""


def test_a_bill_to_id_mapped_as_the_client_id_lists_the_group_under_its_head_office(tmp_path: Path) -> None:
    """The issue's case: branches combined by their bill-to id are one account, shown under the
    head office, not the biggest branch (Tulsa); the report does not call them apart."""
    from alms_toolkit.report.views import audit_tables as tables

    folder = tmp_path / "billto"
    folder.mkdir()
    (folder / "billing.csv").write_text(BILL_TO_AS_ID, encoding="utf-8")
    (folder / "client.yml").write_text(
        "client: Wholesaler\nas_of: 2025-07-01\nbilling:\n  file: billing.csv\n"
        "  columns: {client_id: Bill-To ID}\naccept: [short_window]\n", encoding="utf-8")
    result = audit(folder)
    accounts = result.accounts.set_index("client")
    assert accounts.loc[HEAD_OFFICE, "billing"] == micros("9350.43")  # 1500.00 + 4200.10 + 2750.33 + 900.00
    assert "Allied Pharmacy Group (Tulsa, OK)" not in accounts.index
    assert len(accounts) == 3
    note = tables.hierarchy_note(result)
    assert "except where the client ids already combine a group" in note
    assert f"listed as {HEAD_OFFICE}" in note


def test_accepts_with_branches_rolled_up_are_logged_as_when_searched_first(tmp_path: Path) -> None:
    """The merge log is settled (``accepted match`` for an accept the search proposed) after the
    branches are logged: the settled log keeps the branches and equals the one of an audit that
    searched first (an ``auto_accept`` no pair reaches)."""
    folder = _client(tmp_path, "hierarchy: parenthesised\n")
    with (folder / "billing.csv").open("a", encoding="utf-8") as f:
        f.write("2025-05-20,Allied Grp - Tulsa,Ben Okoro,300.00\n2025-05-21,Total Wines & More,Ana Silva,40.00\n")
    (folder / "decisions.yml").write_text(
        'merges:\n  - {names: ["Allied Pharmacy Group (Tulsa, OK)", "Allied Grp - Tulsa"], decision: accept}\n'
        '  - {names: ["Total Wine & More", "Total Wines & More"], decision: accept}\n', encoding="utf-8")
    settled_last = audit(folder).combination
    log = settled_last.merge_log.set_index("raw_name")["reason"]
    assert log["Total Wines & More"] == log["Total Wine & More"] == "accepted match"
    assert log["Allied Grp - Tulsa"] == "manual"
    assert log["Allied Pharmacy Group (Tulsa, OK)"] == f"branch of {HEAD_OFFICE}"
    yml = folder / "client.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "matching:\n  auto_accept: 100\n", encoding="utf-8")
    searched_first = audit(folder).combination
    for name in ("merge_log", "clients", "candidates", "conflicts"):
        pd.testing.assert_frame_equal(getattr(settled_last, name), getattr(searched_first, name), check_exact=True)


# A chain of bill-to ids: each store is billed to its region, each region to the head office.
CHAIN = """Invoice Date,Customer,Customer ID,Bill-To ID,Rep,Net
2025-06-23,Northwind Store Austin,S1,R1,Cara Diaz,100.00
2025-06-24,Northwind Store Dallas,S2,R1,Cara Diaz,40.25
2025-01-14,Northwind Region South,R1,HQ1,Ben Okoro,200.00
2025-01-15,Northwind Region West,R2,HQ1,Ben Okoro,75.00
2025-02-03,Northwind Store Reno,S3,R2,Ana Silva,12.50
2025-02-14,Northwind Head Office,HQ1,HQ1,Ben Okoro,300.00
2025-03-04,Total Wine & More,T1,T1,Ben Okoro,9000.00
2025-03-05,Ring One,X1,X2,Ana Silva,10.00
2025-03-06,Ring Two,X2,X1,Ana Silva,20.00
"""


def _folder(tmp_path: Path, ledger: str, yml: str) -> Path:
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "billing.csv").write_text(ledger, encoding="utf-8")
    (folder / "client.yml").write_text("client: Wholesaler\nas_of: 2025-07-01\nbilling:\n  file: billing.csv\n" + yml,
                                       encoding="utf-8")
    return folder


def _chain(tmp_path: Path, extra: str = "") -> Path:
    return _folder(tmp_path, CHAIN, "  columns: {client: Customer, client_id: Customer ID, parent: Bill-To ID}\n"
                   "accept: [short_window, one_client]\nhierarchy:\n  rule: parent_column\n" + extra)


def test_a_chain_of_bill_to_ids_rolls_up_to_its_top(tmp_path: Path) -> None:
    result = audit(_chain(tmp_path))
    accounts = result.accounts.set_index("client")
    assert accounts.loc["Northwind Head Office", "billing"] == micros("727.75")
    # two accounts billing each other: one account, under the bigger
    assert accounts.loc["Ring Two", "billing"] == micros("30.00")
    assert set(accounts.index) == {"Northwind Head Office", "Ring Two", "Total Wine & More"}
    log = result.combination.merge_log
    assert log["raw_name"].is_unique and log["billing"].sum() == micros("9757.75")
    reason = dict(zip(log["raw_name"], log["reason"], strict=True))
    assert reason["Northwind Store Reno"] == reason["Northwind Region West"] == "branch of Northwind Head Office"
    assert set(result.combination.client_of.values()) == set(result.accounts["client_key"])


def test_a_region_kept_apart_stays_apart_with_its_own_group(tmp_path: Path) -> None:
    # keep_branches naming a group's parent keeps the group apart (its stores too)
    result = audit(_chain(tmp_path, "  keep_branches: [Northwind Region South]\n"))
    accounts = result.accounts.set_index("client")
    assert accounts.loc["Northwind Region South", "billing"] == micros("200.00")
    assert accounts.loc["Northwind Store Dallas", "billing"] == micros("40.25")
    assert accounts.loc["Northwind Head Office", "billing"] == micros("387.50")  # West and Reno
    assert result.accounts["billing"].sum() == micros("9757.75")
    assert result.combination.merge_log["raw_name"].is_unique


def _one_row_per_spelling(result) -> None:  # type: ignore[no-untyped-def]
    log = result.combination.merge_log
    assert log["raw_name"].is_unique
    assert log["billing"].sum() == result.loaded.ledger["amount"].sum() == result.accounts["billing"].sum()
    assert set(result.combination.client_of.values()) == set(result.combination.clients["client_key"])


def test_a_region_billed_to_a_parent_named_in_client_yml_rolls_up_once(tmp_path: Path) -> None:
    # the region's bill-to value 900 is named Head C in client.yml; Head C's own stores are
    # billed to its id 1000: two groups under one head office, the region's store below both
    result = audit(_folder(tmp_path, (
        "Invoice Date,Customer,Customer ID,Bill-To ID,Rep,Net\n"
        "2025-04-01,Head C,1000,,Ben Okoro,600.00\n"
        "2025-02-27,Region B,B1,900,Ana Silva,200.00\n"
        "2025-05-26,Aardvark Store,S1,1000,Ana Silva,500.00\n"
        "2024-07-08,Store A,A1,B1,Ana Silva,100.00\n"
        "2025-03-04,Total Wine & More,T1,T1,Ben Okoro,9000.00\n"),
        "  columns: {date: Invoice Date, client: Customer, seller: Rep, amount: Net, client_id: Customer ID, "
        "parent: Bill-To ID}\naccept: [short_window, one_client]\n"
        "hierarchy:\n  rule: parent_column\n  parents: {\"900\": \"Head C\"}\n"))
    _one_row_per_spelling(result)
    assert dict(zip(result.accounts["client"], result.accounts["billing"], strict=True))["Head C"] == micros("1400.00")
    assert result.inputs.hierarchy.n_branches == 3


def test_a_group_whose_parent_is_another_groups_branch_rolls_up_to_that_group(tmp_path: Path) -> None:
    result = audit(_folder(tmp_path, (
        "Invoice Date,Customer,Rep,Net\n"
        '2025-01-06,"Group A (Tulsa, OK)",Ana Silva,100.00\n'
        '2025-01-07,"Group A (Waco, TX)",Ana Silva,200.00\n'
        '2025-01-08,"Group A (Erie, PA)",Ana Silva,300.00\n'
        '2025-01-09,"Group B (Boston, MA)",Ben Okoro,400.00\n'
        '2025-01-10,"Group B (Austin, TX)",Ben Okoro,500.00\n'
        '2025-01-11,"Group B (Reno, NV)",Ben Okoro,600.00\n'
        "2025-01-12,Harbour Vets,Ben Okoro,50.00\n"),
        "accept: [short_window, one_client]\nhierarchy:\n  rule: parenthesised\n"
        '  parents: {"Group A": "Group B (Boston, MA)"}\n'))
    _one_row_per_spelling(result)
    billing = dict(zip(result.accounts["client"], result.accounts["billing"], strict=True))
    assert billing == {"Group B": micros("2100.00"), "Harbour Vets": micros("50.00")}


def test_two_bill_to_values_named_one_parent_are_one_group(tmp_path: Path) -> None:
    # client.yml names one parent (not a spelling of the ledger) for two bill-to values
    result = audit(_folder(tmp_path, (
        "Invoice Date,Customer,Customer ID,Bill-To ID,Rep,Net\n"
        "2025-04-01,Acme Tulsa,S1,1000,Ben Okoro,600.00\n"
        "2025-04-02,Acme Waco,S2,1000,Ben Okoro,50.00\n"
        "2025-04-03,Acme Erie,S3,2000,Ben Okoro,25.00\n"
        "2025-04-04,Acme Reno,S4,2000,Ben Okoro,5.00\n"
        "2025-03-04,Total Wine & More,T1,T1,Ben Okoro,9000.00\n"),
        "  columns: {client: Customer, client_id: Customer ID, parent: Bill-To ID}\n"
        "accept: [short_window, one_client]\nhierarchy:\n  rule: parent_column\n"
        "  parents: {\"1000\": Acme Group, \"2000\": Acme Group}\n"))
    _one_row_per_spelling(result)
    groups = result.inputs.hierarchy.groups
    assert [g.parent for g in groups] == ["Acme Group"] and len(groups[0].branches) == 4
    clients = result.combination.clients.set_index("client")
    assert clients.loc["Acme Group", "billing"] == micros("680.00") and clients.loc["Acme Group", "n_names"] == 4


def test_validate_and_the_reading_table_show_the_parent_column(tmp_path: Path) -> None:
    """A ledger with its parent column mapped: alms validate printed a KeyError traceback and
    the report's reading table stopped the audit notebook (no topic for the field)."""
    from click.testing import CliRunner

    from alms_toolkit.cli import main
    from alms_toolkit.config import LEDGER_FIELDS
    from alms_toolkit.io.reading import _FIELD_TOPIC

    assert set(_FIELD_TOPIC) == set(LEDGER_FIELDS)
    folder = _chain(tmp_path)
    checked = CliRunner().invoke(main, ["validate", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "Parent account column: 'Bill-To ID': billing.columns.parent in client.yml" in checked.output
    # the sanity check counts the clients the audit makes: the chain is one, the ring one
    assert "among 3 spending clients" in checked.output
    reading = audit(folder).loaded.reading
    assert reading is not None
    table = reading.to_frame("$")
    assert table.loc[table["topic"] == "Parent account column", "reading"].tolist() == [
        "'Bill-To ID': billing.columns.parent in client.yml"]


#: QuickBooks Desktop's "Sales by Customer Detail" saved as CSV: customers as headings in the
#: first column, a job as a heading in the second with its own subtotal, the Name column the
#: full name QuickBooks gives a job ("Customer:Job"), a grand total; and a real client named
#: like a total. True figures: Acme Corp 2,750.00 (its job 2,250.00 and its own 500.00), Bolt
#: Ltd 1,200.00, Total Wine & More 1,000.00; 4,950.00 in all.
QUICKBOOKS_DETAIL = """,,Type,Date,Num,Memo,Name,Item,Qty,Sales Price,Amount,Balance
Acme Corp,,,,,,,,,,,
,Project Alpha,,,,,,,,,,
,,Invoice,01/15/2024,1001,,Acme Corp:Project Alpha,Consulting,10,150.00,"1,500.00","1,500.00"
,,Invoice,05/15/2024,1005,,Acme Corp:Project Alpha,Consulting,5,150.00,750.00,"2,250.00"
,Total Project Alpha,,,,,,,,,"2,250.00","2,250.00"
,,Invoice,08/01/2024,1010,,Acme Corp,Support,1,500.00,500.00,"2,750.00"
Total Acme Corp,,,,,,,,,,"2,750.00","2,750.00"
Bolt Ltd,,,,,,,,,,,
,,Invoice,06/03/2024,1011,,Bolt Ltd,Support,2,400.00,800.00,800.00
,,Invoice,10/02/2024,1015,,Bolt Ltd,Support,1,400.00,400.00,"1,200.00"
Total Bolt Ltd,,,,,,,,,,"1,200.00","1,200.00"
Total Wine & More,,,,,,,,,,,
,,Invoice,12/10/2024,1020,,Total Wine & More,Consulting,4,250.00,"1,000.00","1,000.00"
Total Total Wine & More,,,,,,,,,,"1,000.00","1,000.00"
TOTAL,,,,,,,,,,"4,950.00","4,950.00"
"""


def test_quickbooks_jobs_are_proposed_then_counted_under_their_customer(tmp_path: Path) -> None:
    """A job's lines are never silently a client of their own nor silently folded: the audit
    proposes the customer as one account (the job and the customer apart until client.yml
    says so), and with the rule the customer's account holds its job's billing, to the cent."""
    folder = tmp_path / "qb"
    folder.mkdir()
    (folder / "billing.csv").write_text(QUICKBOOKS_DETAIL, encoding="utf-8")
    # a small client invoicing a few times a year: its short window is accepted knowingly
    base = "client: QB Desktop\nas_of: 2025-01-01\nbilling: billing.csv\naccept: [short_window]\n"
    (folder / "client.yml").write_text(base, encoding="utf-8")
    proposed = audit(folder)
    billing = dict(zip(proposed.accounts["client"], proposed.accounts["billing"], strict=True))
    assert billing == {"Acme Corp:Project Alpha": micros("2250.00"), "Acme Corp": micros("500.00"),
                       "Bolt Ltd": micros("1200.00"), "Total Wine & More": micros("1000.00")}
    hierarchy = proposed.inputs.hierarchy
    assert hierarchy is not None and hierarchy.proposed
    assert "written 'Customer:Job'" in hierarchy.note() and "Acme Corp (1 branch)" in hierarchy.note()
    (folder / "client.yml").write_text(base + "hierarchy: parenthesised\n", encoding="utf-8")
    assert audit(folder).tiers.n_clients == 4  # a bracket rule folds no job
    (folder / "client.yml").write_text(base + "hierarchy: sub_customers\n", encoding="utf-8")
    rolled = audit(folder)
    billing = dict(zip(rolled.accounts["client"], rolled.accounts["billing"], strict=True))
    assert billing == {"Acme Corp": micros("2750.00"), "Bolt Ltd": micros("1200.00"),
                       "Total Wine & More": micros("1000.00")}
    assert rolled.tiers.n_clients == 3 and int(rolled.accounts["billing"].sum()) == micros("4950.00")
    log = rolled.combination.merge_log.set_index("raw_name")
    assert log.loc["Acme Corp:Project Alpha", "reason"] == "branch of Acme Corp"


def test_quickbooks_jobs_as_headings_one_column_in_are_said_where_they_go(tmp_path: Path) -> None:
    """The same report without its Name column: the customers are headings in the first column
    and the job a heading in the second. The job's lines are its customer's, and the reading
    says so, naming the job, rather than folding it in unseen."""
    import csv
    import io

    from alms_toolkit.config import load_config
    from alms_toolkit.io.ledger import load_ledger

    rows = [r[:6] + r[7:] for r in csv.reader(io.StringIO(QUICKBOOKS_DETAIL)) if r]
    folder = tmp_path / "qb"
    folder.mkdir()
    with open(folder / "billing.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    (folder / "client.yml").write_text(
        "client: QB Desktop\nas_of: 2025-01-01\nbilling: billing.csv\naccept: [short_window]\n", encoding="utf-8")
    reading = load_ledger(load_config(folder)).reading
    assert reading is not None
    assert "3 headings in column 'Column A'" in reading.layout_why
    assert "1 heading in other columns inside a client's section" in reading.layout_why
    assert "'Project Alpha' in column 'Column B'" in reading.layout_why
    result = audit(folder)
    billing = dict(zip(result.accounts["client"], result.accounts["billing"], strict=True))
    assert billing == {"Acme Corp": micros("2750.00"), "Bolt Ltd": micros("1200.00"),
                       "Total Wine & More": micros("1000.00")}
