"""Two stores written the same way under different client ids (issue 15 item 2), through the
whole audit: each id is its own client, the pair is proposed with both ids, the account list's
owner and the seller lists still work, and the consultant's "merge" rule combines them logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alms_toolkit.cli import main
from alms_toolkit.engine import audit
from alms_toolkit.money import from_decimal

LEDGER = """Invoice Date,Store,Store ID,Rep,Net
2025-01-06,Main Street Pharmacy,1001,Ana Silva,1200.50
2025-02-03,Main Street Pharmacy,1001,Ana Silva,980.00
2025-03-10,Main Street Pharmacy,1001,Ana Silva,-120.25
2025-01-20,Main Street Pharmacy,2044,Ben Okoro,310.00
2025-04-14,Main Street Pharmacy,2044,Ben Okoro,295.10
2025-02-11,Oak Hill Drugs Inc,3001,Ana Silva,4500.00
2025-05-02,"Oak Hill Drugs, Inc.",3001,Ana Silva,1500.00
2025-03-03,Riverside Chemists,4100,Ben Okoro,75.00
2025-03-04,Total Wine & More,4200,Ben Okoro,9000.00
2025-03-05,Harbour Vets,4300,Ana Silva,640.00
"""

ACCOUNT_LIST = """Client,Seller,Category
Main Street Pharmacy,Ben Okoro,KEY
Oak Hill Drugs Inc,Ana Silva,KEY
"""


def _client(tmp_path: Path, rule: str | None = None) -> Path:
    folder = tmp_path / "reseller"
    folder.mkdir()
    (folder / "billing.csv").write_text(LEDGER, encoding="utf-8")
    (folder / "accounts.csv").write_text(ACCOUNT_LIST, encoding="utf-8")
    matching = f"matching:\n  same_name_different_ids: {rule}\n" if rule else ""
    (folder / "client.yml").write_text(
        "client: Reseller\nas_of: 2025-07-01\nbilling:\n  file: billing.csv\n"
        "  columns: {date: Invoice Date, client: Store, client_id: Store ID, seller: Rep, amount: Net}\n"
        "account_list:\n  file: accounts.csv\naccept: [short_window]\n" + matching,
        encoding="utf-8",
    )
    return folder


def micros(text: str) -> int:
    return from_decimal(text)


def test_one_spelling_under_two_ids_is_two_clients_and_a_proposal(tmp_path: Path) -> None:
    result = audit(_client(tmp_path))
    accounts = result.accounts.set_index("client")
    assert accounts.loc["Main Street Pharmacy (ID 1001)", "billing"] == micros("2060.25")
    assert accounts.loc["Main Street Pharmacy (ID 2044)", "billing"] == micros("605.10")
    assert accounts.loc["Oak Hill Drugs Inc", "billing"] == micros("6000.00")
    assert len(accounts) == 6 and result.accounts["client_key"].is_unique
    assert result.accounts["billing"].sum() == micros("18380.35")
    pending = result.combination.candidates
    pair = pending[pending["kind"] != "fuzzy"]
    assert len(pair) == 1 and pair.iloc[0]["status"] == "pending"
    assert {pair.iloc[0]["ids_a"], pair.iloc[0]["ids_b"]} == {"1001", "2044"}
    # the list names the shared spelling without an id: it is not guessed onto either store
    assert "Ben Okoro" in set(result.accounts["owner"])
    log = result.combination.merge_log.set_index("raw_name")
    assert log.loc["Oak Hill Drugs, Inc.", "client"] == "Oak Hill Drugs Inc"
    assert result.summary()["n_merged"] == result.combination.n_merged == 1


def test_the_merge_rule_combines_them_and_logs_it(tmp_path: Path) -> None:
    result = audit(_client(tmp_path, "merge"))
    accounts = result.accounts.set_index("client")
    assert accounts.loc["Main Street Pharmacy", "billing"] == micros("2665.35")
    assert len(accounts) == 5
    log = result.combination.merge_log
    reasons = set(log.loc[log["raw_name"] == "Main Street Pharmacy", "reason"])
    assert reasons and reasons != {"single"}
    assert result.summary()["n_merged"] == 2  # Oak Hill's second spelling + the second id


@pytest.mark.parametrize("rule", [None, "keep_apart"])
def test_nothing_is_lost_between_the_ledger_and_the_clients(tmp_path: Path, rule: str | None) -> None:
    result = audit(_client(tmp_path, rule))
    assert result.combination.clients["billing"].sum() == result.loaded.ledger["amount"].sum()


def _symptom(result, symptom_id: str) -> str:  # type: ignore[no-untyped-def]
    return next(s.evidence for s in result.symptoms if s.id == symptom_id)


def test_a_list_naming_the_shared_spelling_names_both_stores_in_words(tmp_path: Path) -> None:
    result = audit(_client(tmp_path))
    evidence = _symptom(result, "out_of_date")
    # both stores count as on the list; the name is not called a client that billed nothing
    assert "billed nothing" not in evidence
    assert "3 of your 6 spending clients are not on the list" in evidence
    assert ("Main Street Pharmacy stands for Main Street Pharmacy (ID 1001) and Main Street Pharmacy "
            "(ID 2044), and its seller on the list, Ben Okoro, was given to neither") in evidence
    # the list's seller is not guessed onto either store: each keeps its own ledger seller
    owners = result.accounts.set_index("client")
    assert owners.loc["Main Street Pharmacy (ID 1001)", "owner"] == "Ana Silva"
    assert owners.loc["Main Street Pharmacy (ID 1001)", "owner_source"] != "account list"
    assert owners.loc["Main Street Pharmacy (ID 2044)", "owner_source"] != "account list"
    assert owners.loc["Oak Hill Drugs Inc", "owner_source"] == "account list"


def _audit_with(tmp_path: Path, file_name: str, text: str):  # type: ignore[no-untyped-def]
    """The audit of the reseller's folder with one of its files written as ``text``."""
    folder = _client(tmp_path)
    (folder / file_name).write_text(text, encoding="utf-8")
    return audit(folder)


def test_a_list_with_client_ids_names_each_store(tmp_path: Path) -> None:
    result = _audit_with(
        tmp_path, "accounts.csv",
        "Client,Client ID,Seller\nMain Street Pharmacy,1001,Ben Okoro\nMain Street Pharmacy,9999,Ana Silva\n"
        "Oak Hill Drugs Inc,3001,Ana Silva\n",
    )
    owners = result.accounts.set_index("client")
    # 1001 is named by its id: the list's seller applies to it (over the ledger's only seller)
    assert owners.loc["Main Street Pharmacy (ID 1001)", "owner"] == "Ben Okoro"
    assert owners.loc["Main Street Pharmacy (ID 1001)", "owner_source"] == "account list"
    # 9999 is no id of that spelling: the line still stands for both stores, and says so
    assert owners.loc["Main Street Pharmacy (ID 2044)", "owner_source"] != "account list"
    evidence = _symptom(result, "out_of_date")
    assert "billed nothing" not in evidence and "stands for" in evidence


def test_once_combined_the_bare_spelling_is_their_one_client(tmp_path: Path) -> None:
    result = audit(_client(tmp_path, "merge"))
    owners = result.accounts.set_index("client")
    assert owners.loc["Main Street Pharmacy", "owner"] == "Ben Okoro"
    assert owners.loc["Main Street Pharmacy", "owner_source"] == "account list"
    assert "stands for" not in _symptom(result, "out_of_date")


def test_once_the_consultant_accepts_the_pair_the_bare_spelling_is_their_one_client(tmp_path: Path) -> None:
    result = _audit_with(
        tmp_path, "decisions.yml",
        'merges:\n  - {names: ["Main Street Pharmacy (ID 1001)", "Main Street Pharmacy (ID 2044)"], '
        "decision: accept}\n",
    )
    merged = result.accounts[result.accounts["client"].str.startswith("Main Street Pharmacy")]
    assert len(merged) == 1 and int(merged["billing"].iloc[0]) == micros("2665.35")
    assert merged["owner"].iloc[0] == "Ben Okoro" and merged["owner_source"].iloc[0] == "account list"
    assert "stands for" not in _symptom(result, "out_of_date")


def test_a_merge_naming_the_shared_spelling_is_not_guessed_onto_one_store(tmp_path: Path) -> None:
    from alms_toolkit.report.views import narrative

    result = _audit_with(
        tmp_path, "decisions.yml",
        'merges:\n  - {names: ["Main Street Pharmacy", "Riverside Chemists"], decision: accept}\n',
    )
    accounts = result.accounts.set_index("client")
    # neither store took Riverside Chemists: which one was meant would be a guess
    assert accounts.loc["Main Street Pharmacy (ID 1001)", "billing"] == micros("2060.25")
    assert accounts.loc["Main Street Pharmacy (ID 2044)", "billing"] == micros("605.10")
    assert accounts.loc["Riverside Chemists", "billing"] == micros("75.00")
    assert result.unresolved_merge_decisions == (("Main Street Pharmacy", "Riverside Chemists"),)
    assert result.summary()["unresolved_merge_decisions"] == [["Main Street Pharmacy", "Riverside Chemists"]]
    text = narrative.unresolved_decisions(result.unresolved_owner_decisions, result.unresolved_merge_decisions)
    assert "1 merge names a spelling the ledger writes under several client IDs" in text
    assert "Main Street Pharmacy with Riverside Chemists" in text


def test_a_spelling_like_the_shared_one_is_proposed_with_each_store_never_auto_combined(tmp_path: Path) -> None:
    folder = _client(tmp_path)
    with (folder / "billing.csv").open("a", encoding="utf-8") as f:
        f.write("2025-02-11,Main Street Pharmacys,,Ana Silva,450.00\n")
    yml = (folder / "client.yml").read_text(encoding="utf-8")
    (folder / "client.yml").write_text(yml + "matching:\n  auto_accept: 95\n", encoding="utf-8")
    result = audit(folder)
    candidates = result.combination.candidates
    like = candidates[candidates["kind"] == "like a name under several ids"]
    sides = {frozenset((a, b)) for a, b in zip(like["name_a"], like["name_b"], strict=True)}
    assert sides == {frozenset(("Main Street Pharmacys", "Main Street Pharmacy (ID 1001)")),
                     frozenset(("Main Street Pharmacys", "Main Street Pharmacy (ID 2044)"))}
    assert set(like["status"]) == {"pending"}  # a score over auto_accept, but which store is a guess
    accounts = result.accounts.set_index("client")
    assert accounts.loc["Main Street Pharmacys", "billing"] == micros("450.00")
    assert accounts.loc["Main Street Pharmacy (ID 1001)", "billing"] == micros("2060.25")


# Two franchise groups' head offices typed the same way under different ids, each id also
# billed under its legal name (which sorts first): the head office spelling is shown for each
# group, so each needs its ids in its key. Before, both groups got the key
# "harbor foods head office" and the audit stopped on a merge error.
FRANCHISE = """Invoice Date,Customer,Customer ID,Rep,Net
2025-01-06,Harbor Foods (Head Office),1001,Ana Silva,4200.00
2025-02-03,Abbott Harbor Foods Ltd,1001,Ana Silva,310.40
2025-01-20,Harbor Foods - Head Office,2002,Ben Okoro,1800.00
2025-03-14,Atlas Harbor Foods Inc,2002,Ben Okoro,95.05
2025-04-02,Harbor Foods (Head Office),,Ana Silva,12.00
2025-03-04,Total Wine & More,4200,Ben Okoro,9000.00
2025-03-05,Beta Id 1000,,Ana Silva,640.00
2025-03-06,Beta,1000,Ana Silva,500.00
2025-03-07,Beta,1001,Ana Silva,70.00
"""


def _folder(tmp_path: Path, ledger: str, settings: str = "", columns: str = "") -> Path:
    """A client folder of ``ledger`` (billing.csv, its ``columns`` mapping), as_of 2025-07-01,
    the short window and one big client accepted, and ``settings`` added to client.yml."""
    folder = tmp_path / "client"
    folder.mkdir(exist_ok=True)
    (folder / "billing.csv").write_text(ledger, encoding="utf-8")
    mapping = f"  columns: {{{columns}}}\n" if columns else ""
    (folder / "client.yml").write_text("client: Franchise\nas_of: 2025-07-01\nbilling:\n  file: billing.csv\n"
                                       + mapping + "accept: [short_window, one_client]\n" + settings, encoding="utf-8")
    return folder


def _franchise(tmp_path: Path) -> Path:
    return _folder(tmp_path, FRANCHISE,
                   columns="date: Invoice Date, client: Customer, client_id: Customer ID, seller: Rep, amount: Net")


def test_groups_shown_under_one_head_office_name_with_different_ids_are_two_clients(tmp_path: Path) -> None:
    result = audit(_franchise(tmp_path))
    accounts = result.accounts
    assert accounts["client_key"].is_unique
    # every client's spellings, exactly as the ledger bills them; each client once
    spellings = result.combination.merge_log.groupby("client_key")["raw_name"].apply(frozenset)
    billing = dict(zip(accounts["client_key"], accounts["billing"], strict=True))
    by_spellings = {s: billing[k] for k, s in spellings.items()}
    assert by_spellings[frozenset({"Abbott Harbor Foods Ltd", "Harbor Foods (Head Office)",
                                   "Beta (ID 1001)"})] == micros("4592.40")
    assert by_spellings[frozenset({"Atlas Harbor Foods Inc", "Harbor Foods - Head Office"})] == micros("1895.05")
    # the literal spelling "Beta Id 1000" and the store labelled "Beta (ID 1000)" are two clients
    assert by_spellings[frozenset({"Beta Id 1000"})] == micros("640.00")
    assert by_spellings[frozenset({"Beta (ID 1000)"})] == micros("500.00")
    assert accounts["billing"].sum() == result.loaded.ledger["amount"].sum() == micros("16627.45")


def test_a_spelling_written_like_the_label_of_another_store_is_refused_by_row(tmp_path: Path) -> None:
    from alms_toolkit.errors import DataValidationError

    ledger = ("Invoice Date,Customer,Customer ID,Rep,Net\n"
              "2025-01-06,Beta,1000,Ana Silva,100.00\n"
              "2025-01-07,Beta,3001,Ana Silva,200.00\n"            # Beta under two ids: two clients
              "2025-01-08,Beta (ID 1000),2044,Ben Okoro,300.00\n"  # another store, typed like the label
              "2025-01-09,Total Wine & More,5000,Ben Okoro,50.00\n")
    with pytest.raises(DataValidationError) as caught:
        audit(_folder(tmp_path, ledger))
    # alms validate refuses it too, with the same message (it passed such a ledger before)
    checked = CliRunner().invoke(main, ["validate", str(tmp_path / "client")])
    assert checked.exit_code == 2 and str(caught.value) in checked.output and "Traceback" not in checked.output
    problem = caught.value.problems[0]
    assert problem.rows == (4,) and problem.column == "Customer" and problem.reason == "label_written"
    assert "same_name_different_ids: merge" in str(caught.value) and "client id 1000" in str(caught.value)
    # the setting it names makes the audit run, each id's money where it belongs
    result = audit(_folder(tmp_path, ledger, "matching:\n  same_name_different_ids: merge\n"))
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "client")]).exit_code == 0
    billing = dict(zip(result.accounts["client"], result.accounts["billing"], strict=True))
    assert billing["Beta"] == micros("300.00") and billing["Beta (ID 1000)"] == micros("300.00")
    assert result.accounts["billing"].sum() == micros("650.00")


def test_a_spelling_written_like_its_own_label_with_that_id_is_that_client(tmp_path: Path) -> None:
    result = audit(_folder(tmp_path, "Invoice Date,Customer,Customer ID,Rep,Net\n"
                                     "2025-01-06,Beta,1000,Ana Silva,100.00\n"
                                     "2025-01-07,Beta,3001,Ana Silva,200.00\n"
                                     "2025-01-08,Beta (ID 1000),1000,Ana Silva,300.00\n"  # the id-1000 store, labelled
                                     "2025-01-09,Total Wine & More,5000,Ben Okoro,50.00\n"))
    billing = dict(zip(result.accounts["client"], result.accounts["billing"], strict=True))
    assert billing == {"Beta (ID 1000)": micros("400.00"), "Beta (ID 3001)": micros("200.00"),
                       "Total Wine & More": micros("50.00")}
