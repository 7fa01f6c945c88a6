"""`alms validate`: the reconciliation table, JSON, and clean errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from alms_toolkit.cli import main


def _client(tmp_path: Path, ledger: str) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "billing.csv").write_text(ledger, encoding="utf-8")
    # one spending client (Bolt nets negative), and a ledger of two weeks: implausible, so
    # accepted knowingly
    (folder / "client.yml").write_text("client: Acme Media\nbilling: billing.csv\naccept: [one_client, short_window]\n")
    return folder


LEDGER = (
    "Invoice Date,Customer,Amount,Sales Rep\n"
    "2024-01-15,Acme Inc.,\"$1,000.50\",Dana\n"
    "2024-02-01,Bolt Ltd,(200.25),Eli\n"
    "2024-02-02,,5,Eli\n"
    "2022-06-01,Acme Inc.,50,Dana\n"
)


def test_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(_client(tmp_path, LEDGER)), "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["rows_read"] == 4 and d["rows_used"] == 2
    assert d["rows_excluded"] == {
        "outside_window": {"rows": 1, "amount": "50.00", "first_rows": [5]},
        "blank_client": {"rows": 1, "amount": "5.00", "first_rows": [4]},
    }
    assert (d["amount_read"], d["amount_used"]) == ("855.25", "800.25")
    assert (d["window_start"], d["window_end"], d["as_of"]) == ("2023-02-03", "2024-02-03", "2024-02-03")
    assert (d["n_distinct_clients"], d["n_distinct_sellers"]) == (2, 2)
    assert "window_skipped" not in d


def test_table_and_as_of(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(_client(tmp_path, LEDGER)), "--as-of", "2024-02-01"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Acme Media" in out and "Window: 2023-02-01 to 2024-01-31 (as of 2024-02-01, from the argument)" in out
    assert "$1,000.50" in out and "dated outside the 12-month window" in out
    assert "Reconciliation balances" in out


def test_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    folder = _client(tmp_path, "Date,Client,Amount\n" + "2024-01-01,A,abc\n" * 3)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "3 of 3 amounts are not numbers (column 'Amount'; rows 2, 3, 4)" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "does not exist" in result.output
    result = CliRunner().invoke(main, ["validate", str(folder), "--as-of", "01/02/2024"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_one_seller_is_one_name(tmp_path: Path) -> None:
    ledger = ("Invoice Date,Customer,Amount,Sales Rep\n"
              "2024-01-15,Acme Inc.,1000.50,Dana\n2024-02-01,Bolt Ltd,200.25,Dana\n")
    result = CliRunner().invoke(main, ["validate", str(_client(tmp_path, ledger))])
    assert result.exit_code == 0, result.output
    assert "'Sales Rep': recognised name; one name" in result.output and "1 different" not in result.output


def test_a_client_yml_saved_under_another_name_is_named(tmp_path: Path) -> None:
    """client.yml saved as client.yml.txt (Windows hides the '.txt') or client.yaml: the fix is
    to rename it (the message said to create one with alms new-client, which made another folder)."""
    for name in ("client.yml.txt", "client.yaml", "Client.yml"):
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / name).write_text("client: Acme\nbilling: billing.csv\n", encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", str(folder)])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"but it has '{name}'" in result.output and f"Rename '{name}' to client.yml" in result.output


def test_a_ledger_file_name_not_in_the_folder_gets_its_fix(tmp_path: Path) -> None:
    """'Billing.CSV' for billing.csv, billing.xlsx for billing.csv, and a Windows path: each
    refusal says what to write (it only listed the folder's files)."""
    folder = _client(tmp_path, LEDGER)
    for written, says in (("Billing.CSV", "Did you mean 'billing.csv'?"),
                          ("billing.xlsx", "Did you mean 'billing.csv'?"),
                          ("'C:\\Users\\ana\\Desktop\\billing.csv'", "copy the file into")):
        (folder / "client.yml").write_text(f"client: Acme Media\nbilling: {written}\n", encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", str(folder)])
        assert result.exit_code == 2 and "the file does not exist" in result.output, result.output
        assert says in result.output and "'billing.csv'" in result.output and "Traceback" not in result.output


def test_a_delimiter_that_is_not_the_files_is_named(tmp_path: Path) -> None:
    folder = _client(tmp_path, LEDGER)
    (folder / "client.yml").write_text("client: Acme Media\nbilling:\n  file: billing.csv\n  delimiter: \";\"\n",
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2 and "its fields are separated by commas" in result.output
    assert "billing.delimiter in client.yml says ';'" in result.output and "Remove billing.delimiter" in result.output
