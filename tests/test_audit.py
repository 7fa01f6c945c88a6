"""The audit entry point, Audit.summary() and `alms summary` on a small client folder."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from alms_toolkit.engine import add_months, audit

LEDGER = """\
Date,Customer,Amount,Rep
2024-06-10,Acme Inc.,1000.00,Dana
2024-05-10,"ACME, Inc",500.00,Lee
2024-04-01,Bolt Ltd,800.00,Lee
2024-03-01,Core GmbH,300.00,Dana
2024-02-01,Dune,200.00,Kim
2024-01-15,Echo,100.00,Kim
2023-12-01,Fizz,50.00,Dana
2023-11-01,Fizz,-50.00,Dana
2023-10-01,Gale,40.00,Lee
2023-09-01,Gale,-90.00,Lee
2023-08-01,Hale,40.00,
2023-03-01,Oldco,700.00,Kim
"""

CLIENT_YML = """\
client: Test Media
as_of: 2024-07-01
# the ledger's last invoice is dated 2024-06-10, 20 days before the audit date
accept: [short_window]
billing:
  file: billing.csv
  columns: {date: Date, client: Customer, amount: Amount, seller: Rep}
account_list:
  file: account_list.csv
  date: 2024-01-15
"""

ACCOUNT_LIST = """\
Seller,Account
Dana,Bolt Ltd
Dana,Core GmbH
Kim,Zed Corp
"""

DECISIONS = """\
owners:
  - {client: "ACME, Inc", owner: "Kim"}
  - {client: "Nobody Ltd", owner: "Kim"}
  - {client: "acme inc", owner: "Lee"}
"""


def _folder(tmp_path: Path, *, account_list: bool = True, decisions: bool = True) -> Path:
    folder = tmp_path / "test-media"
    folder.mkdir()
    (folder / "billing.csv").write_text(LEDGER, encoding="utf-8")
    yml = CLIENT_YML if account_list else CLIENT_YML.split("account_list:")[0]
    (folder / "client.yml").write_text(yml, encoding="utf-8")
    if account_list:
        (folder / "account_list.csv").write_text(ACCOUNT_LIST, encoding="utf-8")
    if decisions:
        (folder / "decisions.yml").write_text(DECISIONS, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def deps() -> None:
    for module in ("alms_toolkit.io.ledger", "alms_toolkit.io.tables", "alms_toolkit.io.decisions",
                   "alms_toolkit.analysis.combine"):
        pytest.importorskip(module)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 7, 1), 12) == dt.date(2025, 7, 1)
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)


def test_audit_runs_every_step(tmp_path: Path, deps: None) -> None:
    from alms_toolkit import audit

    result = audit(_folder(tmp_path))
    t = result.tiers
    assert result.as_of == dt.date(2024, 7, 1)
    # Acme 1500 (two spellings combined), Bolt 800, Core 300, Dune 200, Echo 100, Hale 40
    assert (t.n_clients, t.n_key_nominal, t.n_key) == (6, 2, 2)
    assert t.cutoff == 800_000_000
    assert t.n_nonpositive == 2  # Fizz nets to exactly 0, Gale's credits exceed its charges

    acc = result.accounts.set_index("client")
    assert acc.loc["Acme Inc.", "billing"] == 1_500_000_000
    assert acc.loc["Acme Inc.", ["owner", "owner_source"]].tolist() == ["Lee", "decision"]
    assert acc.loc["Bolt Ltd", ["owner", "owner_source"]].tolist() == ["Dana", "account list"]
    assert acc.loc["Dune", ["owner", "owner_source"]].tolist() == ["Kim", "only seller"]
    assert acc.loc["Hale", ["owner", "owner_source"]].tolist() == ["Unassigned", "no seller"]
    assert acc.loc["Fizz", "tier"] == "NON-SPENDING" and acc.loc["Gale", "billing"] == -50_000_000

    sellers = result.sellers.set_index("seller")
    assert sellers.loc["Dana", ["n_key", "n_secondary"]].tolist() == [1, 1]
    assert sellers.loc["Lee", ["n_key", "n_secondary"]].tolist() == [1, 0]
    assert sellers.loc["Kim", ["n_key", "n_secondary"]].tolist() == [0, 2]
    assert sellers.loc["Unassigned", "n_secondary"] == 1
    assert result.sellers["seller"].iloc[-1] == "Unassigned"

    split = result.split_clients
    assert split["client"].unique().tolist() == ["Acme Inc."]
    assert split["confirmed"].all()
    # decisions resolve through any spelling (later wins); an unknown client is reported
    assert result.unresolved_owner_decisions == ("Nobody Ltd",)
    assert set(result.monthly.table["client_key"]) >= set(result.accounts["client_key"])
    # the window's 12 periods hold each client's 12-month billing exactly
    window = result.monthly.matrix(pd.Index(result.accounts["client_key"]), 0, 11).sum(axis=1)
    assert window.tolist() == result.accounts["billing"].tolist()
    assert "Oldco" in result.lapsed["client"].tolist()
    assert [s.id for s in result.symptoms] == ["out_of_date", "alphabetical", "no_billing_level", "no_targets"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.as_of = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_summary_is_json_ready_with_exact_money(tmp_path: Path, deps: None) -> None:
    from alms_toolkit import audit

    s = audit(_folder(tmp_path)).summary()
    json.dumps(s)
    for key in (
        "client", "as_of", "window_start", "window_end", "n_clients", "n_key", "n_secondary",
        "cutoff", "key_revenue_share", "n_ties_at_cutoff", "revenue_total", "key_revenue",
        "n_nonpositive_clients", "n_merged", "n_match_candidates", "sellers", "n_split_clients",
        "symptoms", "n_growth_potential", "n_key_at_risk", "n_lapsed", "reconciliation",
        "key_share", "n_key_nominal", "review_date",
    ):
        assert key in s, key
    assert s["client"] == "Test Media"
    assert (s["window_start"], s["window_end"]) == ("2023-07-01", "2024-07-01")
    assert s["review_date"] == "2025-07-01"
    assert s["cutoff"] == "800.00"
    assert s["revenue_total"] == "2940.00" and s["key_revenue"] == "2300.00"
    assert s["key_revenue_share"] == pytest.approx(2300 / 2940)
    assert s["n_merged"] == 1  # "ACME, Inc" combined into "Acme Inc."
    assert s["n_split_clients"] == 1
    assert s["unresolved_owner_decisions"] == ["Nobody Ltd"]
    assert s["n_lapsed"] >= 1
    statuses = {"assessed", "partial", "not enough history"}
    assert set(s["insight_status"]) == {"growth_potential", "key_at_risk", "lapsed"}
    assert set(s["insight_status"].values()) <= statuses
    dana = next(x for x in s["sellers"] if x["seller"] == "Dana")
    assert dana["billing"] == "1100.00" and dana["secondary_share"] == 0.5
    assert {x["status"] for x in s["symptoms"]} <= {"pass", "fail", "not assessed"}
    recon = s["reconciliation"]
    assert recon["rows_read"] == 12
    assert Decimal(recon["amount_read"]) == Decimal("3590.00")


def test_key_share_and_as_of_overrides(tmp_path: Path, deps: None) -> None:
    from alms_toolkit import audit

    folder = _folder(tmp_path, account_list=False, decisions=False)
    half = audit(folder, key_share=0.5)
    assert half.tiers.n_key == 3 and half.summary()["key_share"] == 0.5
    # a month earlier: Acme's June invoice (Dana) falls outside the window
    later = audit(folder, as_of="2024-06-01")
    assert later.summary()["window_end"] == "2024-06-01"
    # only "ACME, Inc" (Lee) is left in the window: it names the client and owns it
    assert later.accounts.set_index("client").loc["ACME, Inc", "owner_source"] == "only seller"
    assert later.accounts.set_index("client").loc["ACME, Inc", "owner"] == "Lee"
    # without the account list and decisions, Bolt goes to Lee (its only seller)
    acc = half.accounts.set_index("client")
    assert acc.loc["Bolt Ltd", "owner"] == "Lee"
    assert acc.loc["Acme Inc.", ["owner", "owner_source"]].tolist() == ["Dana", "largest billing"]
    assert not half.split_clients["confirmed"].any()


def test_bad_arguments_are_clear(tmp_path: Path, deps: None) -> None:
    from alms_toolkit import audit
    from alms_toolkit.errors import AlmsError, ConfigError

    folder = _folder(tmp_path)
    with pytest.raises(ConfigError, match="as_of"):
        audit(folder, as_of="July 1st")
    with pytest.raises(ConfigError, match="key_share"):
        audit(folder, key_share=0)
    with pytest.raises(AlmsError, match="does not exist"):
        audit(tmp_path / "nowhere")


def test_cli_summary_prints_json_on_stdout(tmp_path: Path, deps: None) -> None:
    from alms_toolkit.cli import main

    folder = _folder(tmp_path)
    result = CliRunner().invoke(main, ["summary", str(folder), "--key-share", "0.5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["n_key"] == 3 and data["key_share"] == 0.5
    assert "KEY" in result.stderr and "Auditing" in result.stderr


def test_cli_summary_errors_exit_2_without_traceback(tmp_path: Path, deps: None) -> None:
    from alms_toolkit.cli import main

    runner = CliRunner()
    missing = runner.invoke(main, ["summary", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    bad_date = runner.invoke(main, ["summary", str(tmp_path), "--as-of", "1/7/2024"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr
    bad_share = runner.invoke(main, ["summary", str(tmp_path), "--key-share", "2"])
    assert bad_share.exit_code == 2


def test_all_credits_ledger_gives_clear_empty_result(tmp_path: Path, deps: None) -> None:
    from alms_toolkit import audit

    folder = tmp_path / "credits"
    folder.mkdir()
    (folder / "billing.csv").write_text(
        "Date,Customer,Amount,Rep\n2024-05-01,Acme,-10.00,Dana\n2024-05-02,Bolt,-5.50,Lee\n",
        encoding="utf-8",
    )
    (folder / "client.yml").write_text("client: Credits\nbilling: billing.csv\n", encoding="utf-8")
    # the audit refuses it: no client spends, so there is nothing to rank (never acceptable),
    # and the message names the setting for a ledger that writes sales negative ...
    from alms_toolkit.config import load_config
    from alms_toolkit.engine import _analyse_combined, combine
    from alms_toolkit.errors import ImplausibleDataError
    from alms_toolkit.inputs import inputs_for
    from alms_toolkit.io.ledger import load_ledger

    with pytest.raises(ImplausibleDataError) as info:
        audit(folder)
    assert info.value.codes == ("no_spending",) and "billing.flip_sign: true" in str(info.value)
    # ... and the engine itself still gives a clear empty result, not a crash
    loaded = load_ledger(load_config(folder))
    inputs = inputs_for(loaded)  # the steps after the gate, on what it refused
    s = _analyse_combined(inputs, combine(loaded, inputs.decisions), 0.25).summary()
    assert (s["n_clients"], s["n_key"], s["n_key_nominal"]) == (0, 0, 0)
    assert s["cutoff"] is None and s["key_revenue_share"] == 0.0
    assert s["n_nonpositive_clients"] == 2
    assert {x["seller"]: (x["n_key"], x["n_secondary"]) for x in s["sellers"]} == {
        "Dana": (0, 0), "Lee": (0, 0),
    }
    json.dumps(s)


def test_totals_ledger_skips_the_window(tmp_path: Path, deps: None) -> None:
    from alms_toolkit import audit

    folder = tmp_path / "totals"
    folder.mkdir()
    (folder / "billing.csv").write_text(
        "Customer,Total,Rep\nAcme,900,Dana\nBolt,300,Lee\nCore,200,Dana\nDune,100,Lee\nEcho,0,Lee\n",
        encoding="utf-8",
    )
    (folder / "client.yml").write_text(
        "client: Totals\nas_of: 2024-07-01\nbilling: billing.csv\n", encoding="utf-8"
    )
    result = audit(folder)
    s = result.summary()
    assert s["window_skipped"] is True and s["window_start"] is None
    assert s["as_of"] == "2024-07-01"
    assert (s["n_clients"], s["n_key"], s["cutoff"]) == (4, 1, "900.00")
    assert result.monthly.empty
    # nothing could be followed month by month: not assessed (null), never 0 found
    assert (s["n_growth_potential"], s["n_key_at_risk"], s["n_lapsed"]) == (None, None, None)
    assert set(s["insight_status"].values()) == {"not enough history"}
    json.dumps(s)


@pytest.mark.parametrize("case", ["window before the ledger", "every amount zero"])
def test_an_empty_window_gives_a_summary_not_a_crash(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    if case == "every amount zero":
        rows, as_of = "2024-03-01,Acme,0,Dana\n2024-04-01,Bolt,0.00,Eli\n", ""
    else:
        rows, as_of = "2024-03-01,Acme,100,Dana\n", "as_of: 2020-01-01\n"
    (folder / "billing.csv").write_text("Date,Customer,Amount,Rep\n" + rows, encoding="utf-8")
    (folder / "client.yml").write_text(f"client: Empty Co\n{as_of}billing: {{file: billing.csv}}\n")
    # the audit refuses it (nothing to report, never acceptable), naming why ...
    from alms_toolkit.errors import ImplausibleDataError

    with pytest.raises(ImplausibleDataError) as info:
        audit(folder, accept=["one_client", "most_excluded"])
    assert info.value.codes == ("no_rows_used",) and info.value.exit_code == 2
    assert ("as_of is 2020-01-01" if as_of else "amount exactly 0") in str(info.value)
    # ... and the engine itself still gives a summary, not a crash
    from alms_toolkit.config import load_config
    from alms_toolkit.engine import _analyse_combined, combine
    from alms_toolkit.inputs import inputs_for
    from alms_toolkit.io.ledger import load_ledger

    loaded = load_ledger(load_config(folder))
    inputs = inputs_for(loaded)  # the steps after the gate, on what it refused
    summary = _analyse_combined(inputs, combine(loaded, inputs.decisions), 0.25).summary()
    assert summary["n_clients"] == 0 and summary["n_key"] == 0 and summary["cutoff"] is None
    assert summary["revenue_total"] == "0.00"
    rec = summary["reconciliation"]
    assert rec["rows_used"] == 0 and rec["rows_read"] == sum(r["rows"] for r in rec["rows_excluded"].values())


def test_each_account_lists_the_client_ids_billed_in_the_window(tmp_path: Path, deps: None) -> None:
    """A client billed under two ids (one spelling, merged by client.yml; the same id written
    twice, a second id written with spaces around it) lists both, sorted and joined; a client with one id lists
    it; a client without any id lists none; an id billed only before the window is not
    listed."""
    folder = tmp_path / "ids"
    folder.mkdir()
    (folder / "billing.csv").write_text(
        "Date,Customer,Customer ID,Amount\n"
        "2024-06-10,Acme Inc,C20,100.00\n"
        "2024-05-10,Acme Inc, C03 ,200.00\n"
        "2024-04-10,Acme Inc,C20,300.00\n"
        "2024-04-01,Bolt Ltd,B7,800.00\n"
        "2024-03-01,Core GmbH,,300.00\n"
        "2023-03-01,Bolt Ltd,B1,50.00\n",
        encoding="utf-8",
    )
    (folder / "client.yml").write_text(
        "client: Ids\nas_of: 2024-07-01\naccept: [short_window]\n"
        "billing:\n  file: billing.csv\n  columns: {date: Date, client: Customer, amount: Amount, "
        "client_id: Customer ID}\nmatching: {same_name_different_ids: merge}\n",
        encoding="utf-8",
    )
    accounts = audit(folder).accounts.set_index("client")
    assert accounts.loc["Acme Inc", "client_ids"] == "C03, C20"
    assert accounts.loc["Acme Inc", "billing"] == 600_000_000
    assert accounts.loc["Bolt Ltd", "client_ids"] == "B7"
    assert accounts.loc["Core GmbH", "client_ids"] == ""


def test_the_accounts_owners_are_those_a_left_merge_gives() -> None:
    """engine._with_owners: the same frame (values, column types, NaN for a client the owners
    table lacks) as the left merge it replaces, the owners in the same order or another, and
    for an empty window (both tables empty)."""
    import pandas as pd

    from alms_toolkit.engine import _with_owners

    table = pd.DataFrame({"client_key": ["b", "a", "c"], "billing": [3, 2, 1]}).astype({"client_key": "str"})
    for owners in (
        pd.DataFrame({"client_key": ["b", "a", "c"], "owner": ["X", "Y", "Z"], "owner_source": ["s", "t", "u"]}, dtype=object),
        pd.DataFrame({"client_key": ["c", "b", "a"], "owner": ["Z", "X", "Y"], "owner_source": ["u", "s", "t"]}, dtype=object),
        pd.DataFrame({"client_key": ["c", "b"], "owner": ["Z", "X"], "owner_source": ["u", "s"]}, dtype=object),
    ):
        expected = table.merge(owners, on="client_key", how="left", validate="one_to_one")
        pd.testing.assert_frame_equal(_with_owners(table, owners), expected)
        empty = owners.iloc[:0]
        pd.testing.assert_frame_equal(_with_owners(table.iloc[:0], empty), table.iloc[:0].merge(empty, on="client_key", how="left"))
