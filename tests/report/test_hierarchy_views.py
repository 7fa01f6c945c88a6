"""The report's parent accounts and branches (issue 15 item 3): the proposal when client.yml
says nothing, what was rolled up when it does, nothing for a ledger without branches; and the
hierarchy survives the stored audit the report is made from."""

from __future__ import annotations

import sys
from pathlib import Path

from alms_toolkit.engine import audit
from alms_toolkit.report.views import audit_tables as tables
from alms_toolkit.stored_audit import load_audit, store_audit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_hierarchy_audit import HEAD_OFFICE, KEYSTONE, _client, micros  # noqa: E402


def test_proposal_shown_with_the_line_to_apply_it(tmp_path: Path) -> None:
    result = audit(_client(tmp_path))
    note = tables.hierarchy_note(result)
    assert "9 branches of 2 groups" in note and "'hierarchy: parenthesised'" in note
    assert "kept its own account for now" in note
    table = tables.parent_accounts(result)
    assert list(table["parent"]) == [HEAD_OFFICE, KEYSTONE]
    assert list(table["named_by"]) == ["its head office", "the branches' name: no head office is billed"]
    assert list(table["n_branches"]) == [5, 4]
    allied = table.iloc[0]
    assert allied["billing"] == micros("9725.75") and allied["parent_billing"] == micros("1750.25")
    assert allied["biggest_branch"] == "Allied Pharmacy Group (Tulsa, OK)"
    assert allied["branches"].endswith("and 2 more")


def test_applied_hierarchy_is_said_and_survives_the_stored_audit(tmp_path: Path) -> None:
    result = audit(_client(tmp_path, "hierarchy: parenthesised\n"))
    note = tables.hierarchy_note(result)
    assert note.startswith("9 branches of 2 groups are counted under their parent account")
    back, _comparison = load_audit(store_audit(result, None, tmp_path / "run"))
    assert back.inputs.hierarchy == result.inputs.hierarchy
    assert tables.hierarchy_note(back) == note
    assert tables.parent_accounts(back).equals(tables.parent_accounts(result))
    log = back.combination.merge_log
    assert int(log["reason"].str.startswith("branch of").sum()) == 9


def test_nothing_said_without_branches(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "billing.csv").write_text("Date,Client,Amount\n2025-01-02,Acme (UK) Ltd,10\n"
                                        "2025-02-02,Children's Hospital (Boston),20\n", encoding="utf-8")
    (folder / "client.yml").write_text("client: P\nas_of: 2025-07-01\nbilling: billing.csv\n"
                                       "accept: [short_window]\n", encoding="utf-8")
    result = audit(folder)
    assert tables.hierarchy_note(result) == ""
    assert tables.parent_accounts(result).empty


def test_executive_summary_names_the_proposal_first(tmp_path: Path) -> None:
    from alms_toolkit.report.views.executive_summary import executive_summary

    proposed = executive_summary(audit(_client(tmp_path / "a")), None)
    applied = executive_summary(audit(_client(tmp_path / "b", "hierarchy: parenthesised\n")), None)
    assert any("Branches of a group" in str(getattr(o, "data", o)) for o in proposed)
    assert not any("Branches of a group" in str(getattr(o, "data", o)) for o in applied)
