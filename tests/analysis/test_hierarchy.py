"""The account hierarchy's rules on small spelling lists: what is a branch, what is a group,
who is the parent, what client.yml changes, and the hard negatives never proposed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alms_toolkit.analysis.combine import combine_clients
from alms_toolkit.analysis.hierarchy import (
    Hierarchy,
    branch_groups,
    branch_parts,
    find_hierarchy,
    log_branches,
    roll_up,
    sub_customer_groups,
    sub_customer_parts,
)
from alms_toolkit.config import AccountHierarchy, parse_config
from alms_toolkit.io.decisions import Decisions
from alms_toolkit.money import SCALE


def settings(**kw: object) -> AccountHierarchy:
    return AccountHierarchy(**kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "parts"), [
    ("Allied Pharmacy Group (Tulsa, OK)", ("Allied Pharmacy Group", "Tulsa, OK")),
    ("Allied Pharmacy Group(Head Office) ", ("Allied Pharmacy Group", "Head Office")),
    ("Keystone [Store 12]", ("Keystone", "Store 12")),
    ("Acme (UK) Ltd", None),                      # a bracket inside the name
    ("Total Wine & More", None),
    ("Main Street Pharmacy (ID 1001)", None),     # the id split's label
    ("Bayside Dental (formerly Smile Co)", None),  # a former name
    ("Harbour Vets ()", None),
    ("(Tulsa)", None),
    ("Acme Corp:Project Alpha", None),            # QuickBooks' job: not a bracket branch
])
def test_branch_parts(name: str, parts: tuple[str, str] | None) -> None:
    assert branch_parts(name) == parts


WHOLESALER = {
    "Allied Pharmacy Group (Head Office)": 1_750_250_000,
    "Allied Pharmacy Group (Tulsa, OK)": 4_200_100_000,   # bills more than the head office
    "ALLIED PHARMACY GROUP (WACO, TX)": 900_000_000,      # written in capitals: the same group
    "Allied Pharmacy Group Inc. (Austin, TX)": 2_750_330_000,  # a legal form: the same group
    "Keystone Hardware Co-op (Erie, PA)": 610_500_000,
    "Keystone Hardware Co-op (Reading, PA)": 1_999_990_000,
    "Keystone Hardware Co-op (York, PA)": 333_330_000,
    "Children's Hospital (Boston)": 2_200_400_000,
    "Smith (John)": 400_000_000,
    "Smith (Mary)": 150_000_000,
    "Smith (Peter)": 75_500_000,
    "Acme (UK) Ltd": 5_000_000_000,
    "Acme (UK) Ltd (Leeds)": 10_000_000,
    "Total Wine & More": 9_000_000_000,
    "Main Street Pharmacy (ID 1001)": 100_000_000,
    "Main Street Pharmacy (ID 2044)": 200_000_000,
    "Main Street Pharmacy (ID 3050)": 300_000_000,
}


def test_groups_found_and_parents_named() -> None:
    groups = branch_groups(WHOLESALER)
    assert [(g.parent, g.parent_source) for g in groups] == [
        ("Allied Pharmacy Group (Head Office)", "head office"),
        ("Keystone Hardware Co-op", "group name"),
    ]
    allied = groups[0]
    assert allied.biggest_branch == ("Allied Pharmacy Group (Tulsa, OK)", 4_200_100_000)
    assert allied.parent_billing == 1_750_250_000 and allied.parent_in_ledger
    assert allied.billing == 9_600_680_000  # 1750.25 + 4200.10 + 900.00 + 2750.33
    assert not groups[1].parent_in_ledger and groups[1].parent_billing == 0


def test_hard_negatives_are_never_a_group() -> None:
    """One bracketed spelling alone, a bracket inside a name, people (Surname (First name)),
    the id split's labels, a name with no bracket: none is proposed."""
    names = {n: b for n, b in WHOLESALER.items() if not n.startswith(("Allied", "ALLIED", "Keystone"))}
    assert branch_groups(names) == ()
    assert not find_hierarchy(names).proposed


def test_the_group_written_alone_is_its_parent() -> None:
    billing = {"Bayview Foods": 50 * SCALE, "Bayview Foods (Dock 1)": 10 * SCALE,
               "Bayview Foods (Dock 2)": 20 * SCALE}
    (group,) = branch_groups(billing)
    assert (group.parent, group.parent_source) == ("Bayview Foods", "group name in the ledger")
    # two branches without a parent spelling are not enough to see a group
    assert branch_groups({k: v for k, v in billing.items() if k != "Bayview Foods"}) == ()


def test_a_chain_of_one_word_towns_is_a_group_but_people_are_not() -> None:
    """One word before the bracket and one in it: towns are branches, given names are people."""
    chain = {"Walmart (Dallas)": 3 * SCALE, "Walmart (Austin)": 2 * SCALE, "Walmart (Madison)": SCALE}
    assert [g.parent for g in branch_groups(chain)] == ["Walmart"]
    people = {"Jones (Mary)": 3 * SCALE, "Jones (Robert)": 2 * SCALE, "Jones (Austin)": SCALE}
    assert branch_groups(people) == ()


def test_people_with_a_head_office_are_a_group() -> None:
    """The person guard only applies when no parent is written."""
    billing = {"Smith (Head Office)": 1, "Smith (John)": 2, "Smith (Mary)": 3}
    assert [g.parent for g in branch_groups(billing)] == ["Smith (Head Office)"]


def test_consultant_names_the_parent_by_the_group_or_a_spelling() -> None:
    by_group = branch_groups(WHOLESALER, settings(parents={"allied pharmacy group": "Allied Pharmacy"}))
    by_spelling = branch_groups(WHOLESALER, settings(parents={"Keystone Hardware Co-op (York, PA)": "Keystone"}))
    assert by_group[0].parent == "Allied Pharmacy" and by_group[0].parent_source == "client.yml"
    # the head office is then a branch of the chosen parent, with its billing
    assert ("Allied Pharmacy Group (Head Office)", 1_750_250_000) in by_group[0].branches
    assert by_spelling[1].parent == "Keystone"


def test_rule_decides_what_is_applied() -> None:
    unset = find_hierarchy(WHOLESALER, settings())
    assert unset.proposed and not unset.parent_of and unset.n_branches == 6
    assert "hierarchy:\n  rule: parenthesised" in unset.proposal()
    none = find_hierarchy(WHOLESALER, settings(rule="none"))
    assert not none.proposed and not none.parent_of and none.proposal() == ""
    applied = find_hierarchy(WHOLESALER, settings(rule="parenthesised",
                                                  keep_branches=["Allied Pharmacy Group (Tulsa, OK)"]))
    assert applied.applied and "Allied Pharmacy Group (Tulsa, OK)" not in applied.parent_of
    assert applied.parent_of["ALLIED PHARMACY GROUP (WACO, TX)"] == "Allied Pharmacy Group (Head Office)"
    assert applied.n_branches == 5 and applied.n_kept == 1


def test_proposal_lines_are_a_valid_client_yml(tmp_path: Path) -> None:
    import yaml

    lines = find_hierarchy(WHOLESALER).client_yml_lines()
    uncommented = "\n".join(line.replace("# ", "", 1) if line.lstrip().startswith("#") else line
                            for line in lines.splitlines())
    data = {"client": "W", "billing": "b.csv", **yaml.safe_load(_strip_comments(uncommented))}
    cfg = parse_config(data, tmp_path)
    assert cfg.hierarchy.rule == "parenthesised"
    assert cfg.hierarchy.keep_branches == ("Allied Pharmacy Group (Tulsa, OK)",)


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("   #")[0] for line in text.splitlines())


def _frame(rows: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame({"client": [r[0] for r in rows], "amount": [r[1] for r in rows]}).astype({"amount": "int64"})


def test_roll_up_then_log_keeps_every_spelling_and_the_money(tmp_path: Path) -> None:
    rows = [("Grp (HQ)", 100), ("Grp (A)", 300), ("Grp (A)", -50), ("Grp (B)", 70), ("Other", 5)]
    ledger = _frame(rows)
    hierarchy = find_hierarchy({"Grp (HQ)": 100, "Grp (A)": 250, "Grp (B)": 70, "Other": 5},
                               settings(rule="parenthesised"))
    rolled = roll_up(ledger, hierarchy.parent_of)
    assert rolled is not None and list(rolled["client"]) == ["Grp (HQ)"] * 4 + ["Other"]
    assert list(ledger["client"]) == [r[0] for r in rows]  # the input is not changed
    assert roll_up(ledger, {}) is ledger
    config = parse_config({"client": "W", "billing": "b.csv"}, tmp_path)
    combination = log_branches(combine_clients(rolled, None, config, Decisions()), hierarchy)
    log = combination.merge_log.set_index("raw_name")
    assert dict(log["billing"]) == {"Grp (HQ)": 100, "Grp (A)": 250, "Grp (B)": 70, "Other": 5}
    assert log.loc["Grp (A)", "reason"] == "branch of Grp (HQ)"
    assert log.loc["Grp (HQ)", "reason"] == "parent account"
    assert combination.n_merged == 2
    assert combination.clients.set_index("client").loc["Grp (HQ)", "n_names"] == 3
    assert log_branches(combination, Hierarchy()) is combination


def test_a_parent_the_ledger_does_not_write_has_no_log_line(tmp_path: Path) -> None:
    billing = {"Big Grp (A)": 30, "Big Grp (B)": 20, "Big Grp (C)": 10}
    hierarchy = find_hierarchy(billing, settings(rule="parenthesised"))
    ledger = _frame(list(billing.items()))
    rolled = roll_up(ledger, hierarchy.parent_of)
    config = parse_config({"client": "W", "billing": "b.csv"}, tmp_path)
    combination = log_branches(combine_clients(rolled, None, config, Decisions()), hierarchy)
    log = combination.merge_log
    assert sorted(log["raw_name"]) == ["Big Grp (A)", "Big Grp (B)", "Big Grp (C)"]
    assert set(log["client"]) == {"Big Grp"} and int(log["billing"].sum()) == 60
    assert combination.n_merged == 3  # three branches rolled up, each counted
    assert combination.clients.set_index("client").loc["Big Grp", "n_names"] == 3


def test_parent_column_groups_read_bill_to_ids() -> None:
    from alms_toolkit.analysis.hierarchy import parent_column_groups

    rows = pd.DataFrame({
        "client": ["HQ", "Store 1", "Store 2", "Store 2", "Solo"],
        "client_id": ["100", "101", "102", "102", "200"],
        "parent": ["100", "100", "100", None, "200"],
    })
    billing = {"HQ": 5, "Store 1": 50, "Store 2": 7, "Solo": 9}
    (group,) = parent_column_groups(rows, billing)
    assert (group.parent, group.parent_source) == ("HQ", "bill-to id")
    assert group.branches == (("Store 1", 50), ("Store 2", 7))


def test_parenthesised_rule_reads_the_spellings_even_with_a_parent_column() -> None:
    rows = pd.DataFrame({"client": ["Big Grp (HQ)", "Big Grp (A, TX)", "Big Grp (B, TX)"],
                         "parent": [None, None, None]})
    billing = {"Big Grp (HQ)": 1, "Big Grp (A, TX)": 2, "Big Grp (B, TX)": 3}
    applied = find_hierarchy(billing, settings(rule="parenthesised"), rows)
    assert applied.basis == "parenthesised" and len(applied.parent_of) == 2
    by_column = find_hierarchy(billing, settings(), rows)
    assert by_column.basis == "parent_column" and by_column.groups == ()


@pytest.mark.parametrize(("name", "parts"), [
    ("Acme Corp:Project Alpha", ("Acme Corp", "Project Alpha")),
    ("Acme Corp:West Region:Store 9", ("Acme Corp", "West Region:Store 9")),
    ("Cobalt Inc:Kitchen (Phase 2)", ("Cobalt Inc", "Kitchen (Phase 2)")),
    ("HP:Printing", ("HP", "Printing")),
    ("Acme Corp: invoice 7", None),               # a colon in a sentence, not a full name
    ("Acme Corp :Job", None),
    ("10:30 Club", None),                         # a time
    ("Club 10:30", None),
    ("The 9:30 Club", None),
    ("John 3:16 Ministries", None),               # a verse
    ("http://acme.com", None),                    # a web address
    ("https:acme", None),
    ("Studio:", None),
    (":Job", None),
    ("Total Wine & More", None),
])
def test_sub_customer_parts(name: str, parts: tuple[str, str] | None) -> None:
    assert sub_customer_parts(name) == parts


def test_quickbooks_jobs_are_a_group_beside_their_customer_and_brands_are_not() -> None:
    """One job written 'Customer:Job' beside the customer's own spelling (the same text) is a
    group; without it two jobs of one customer named with three letters or more; a job named
    like a head office never becomes the account; brands that share a short prefix, a name
    whose part before the colon only looks like another client's (Time Inc. / Time:Out Group),
    web addresses: never a group."""
    billing = {"Acme Corp": 500 * SCALE, "Acme Corp:Project Alpha": 2250 * SCALE, "Acme Corp:Main Office": 100 * SCALE,
               "Bolt Ltd:Warehouse": 300 * SCALE, "Bolt Ltd:Office": 200 * SCALE,
               "Echo Co:North": 20 * SCALE, "Echo Co:North:Store 1": 10 * SCALE,
               "Re:Source Partners": 300 * SCALE, "Re:Think Design": 90 * SCALE, "Re:Build Manufacturing": 50 * SCALE,
               "http://cobalt.net": 30 * SCALE, "http://bolt.io": 20 * SCALE,
               "Time Inc.": 1000 * SCALE, "Time:Out Group": 400 * SCALE, "E:ON UK": 70 * SCALE, "Q:Park": 60 * SCALE,
               "Total Wine & More": 1000 * SCALE}
    groups = {g.parent: g for g in sub_customer_groups(billing)}
    assert set(groups) == {"Acme Corp", "Bolt Ltd", "Echo Co"}
    assert groups["Acme Corp"].branches == (("Acme Corp:Project Alpha", 2250 * SCALE), ("Acme Corp:Main Office", 100 * SCALE))
    assert groups["Acme Corp"].billing == 2850 * SCALE and groups["Acme Corp"].parent_source == "customer in the ledger"
    assert groups["Bolt Ltd"].billing == 500 * SCALE and groups["Bolt Ltd"].parent_source == "customer name"
    assert groups["Echo Co"].billing == 30 * SCALE
    assert branch_groups(billing) == ()  # no bracket: a bracket rule folds none of these
    hierarchy = find_hierarchy(billing)
    assert hierarchy.proposed and hierarchy.basis == "sub_customers" and not hierarchy.parent_of
    assert "written 'Customer:Job'" in hierarchy.proposal() and "rule: sub_customers" in hierarchy.proposal()
    applied = find_hierarchy(billing, settings(rule="sub_customers"))
    assert applied.applied and applied.parent_of["Bolt Ltd:Office"] == "Bolt Ltd"
    assert applied.parent_of["Acme Corp:Main Office"] == "Acme Corp" and "Acme Corp" not in applied.parent_of
    assert find_hierarchy(billing, settings(rule="parenthesised")).parent_of == {}


def test_a_bracket_rule_leaves_colon_names_as_they_are() -> None:
    """client.yml's hierarchy: parenthesised rolls up bracket branches only: a ledger with brands
    written with a colon keeps them (the figures it gave before QuickBooks' jobs were read)."""
    billing = {"Keystone (Erie, PA)": 610 * SCALE, "Keystone (Reading, PA)": 1999 * SCALE, "Keystone (York, PA)": 333 * SCALE,
               "Re:Source Partners": 300 * SCALE, "Re:Think Design": 90 * SCALE, "Re:Build Manufacturing": 50 * SCALE,
               "Time Inc.": 1000 * SCALE, "Time:Out Group": 400 * SCALE}
    hierarchy = find_hierarchy(billing, settings(rule="parenthesised"))
    assert set(hierarchy.parent_of) == {"Keystone (Erie, PA)", "Keystone (Reading, PA)", "Keystone (York, PA)"}
    jobs = find_hierarchy(billing, settings(rule="sub_customers"))
    assert jobs.parent_of == {}  # and a job rule rolls up no bracket branch
