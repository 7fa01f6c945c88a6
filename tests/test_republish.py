"""Monthly republishing with the review's frozen cut-off (``alms republish``)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alms_toolkit.errors import ConfigError, DataValidationError, OutputExistsError
from alms_toolkit.republishing import RepublishExistsError, kept_client_of
from alms_toolkit.runs.republish_run import republish

M = 1_000_000

# Window 2024-07-01 .. 2025-06-30 (as_of 2025-07-01, the day after the last date).
# A fresh cut-off would be 1050 (7 spending clients, ceil(7 * 0.25) = 2nd = Core 1050):
# with the review's frozen 1000, Echo (1010) is KEY too.
LEDGER = """\
Date,Customer,Amount,Rep
2025-06-30,Acme Inc.,3500.00,Ana
2025-03-10,Bolt Ltd,900.00,Ben
2025-02-01,Core GmbH,1050.00,Ana
2025-01-20,Dune,500.00,Ben
2024-12-01,Echo,1010.00,Ben
2025-05-05,Tango Travel,200.00,Ana
2025-04-04,Newco,300.00,Cara
2024-03-01,Oldco,700.00,Ben
"""
CLIENT_YML = """\
client: Republish Media
billing:
  file: billing.csv
prospects:
  file: prospects.csv
"""
PROSPECTS = """\
Seller,Prospect,Category,Spending potential,Decision maker access,Product fit
Ana,Tango Travel,TARGET,4,4,4
Ben,Umbra Labs,TARGET,3,3,3
"""
# The review of 2025-01-01 (cut-off 1000.00): Dune listed with Ana although Ben bills it.
REVIEW = """\
client_key,name,tier,owner,billing_12m,rank,cutoff,as_of,review_date,last_billed,fit_score,notes
acme,Acme Inc.,KEY,Ana,3000.00,1,1000.00,2025-01-01,2026-01-01,,,
bolt,Bolt Ltd,KEY,Ben,1200.00,2,1000.00,2025-01-01,2026-01-01,,,
core,Core GmbH,SECONDARY,Ana,800.00,3,1000.00,2025-01-01,2026-01-01,,,
dune,Dune,SECONDARY,Ana,500.00,4,1000.00,2025-01-01,2026-01-01,,,
echo,Echo,SECONDARY,Ben,400.00,5,1000.00,2025-01-01,2026-01-01,,,
,Tango Travel,TARGET,Ana,,,1000.00,2025-01-01,2026-01-01,,4,
,Umbra Labs,TARGET,Ben,,,1000.00,2025-01-01,2026-01-01,,3,
"""


def _client(tmp_path: Path, decisions: str | None = None, ledger: str = LEDGER) -> tuple[Path, Path]:
    client = tmp_path / "republish-media"
    client.mkdir()
    (client / "client.yml").write_text(CLIENT_YML, encoding="utf-8")
    (client / "billing.csv").write_text(ledger, encoding="utf-8")
    (client / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    if decisions is not None:
        (client / "decisions.yml").write_text(decisions, encoding="utf-8")
    review = tmp_path / "reports" / "republish-media" / "2025-01-01"
    review.mkdir(parents=True)
    (review / "accounts.csv").write_text(REVIEW, encoding="utf-8")
    (review / "summary.json").write_text(json.dumps({
        "client": "Republish Media", "slug": "republish-media", "as_of": "2025-01-01",
        "review_date": "2026-01-01", "cutoff": "1000.00",
    }), encoding="utf-8")
    return client, review


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("republish")
    client, review = _client(tmp, decisions="owners:\n  - {client: Bolt Ltd, owner: Cara}\n")
    return review, republish(client, review)


def test_frozen_cutoff_makes_a_crossing_client_key(done) -> None:
    review, result = done
    lists = result.lists
    assert lists.as_of == dt.date(2025, 7, 1)  # the day after the ledger's last date
    assert lists.cutoff == 1000 * M
    tiers = dict(zip(lists.accounts["client"], lists.accounts["tier"], strict=True))
    # a fresh cut-off would be 1050 and leave Echo SECONDARY; frozen at 1000 it is KEY
    assert tiers == {"Acme Inc.": "KEY", "Core GmbH": "KEY", "Echo": "KEY", "Bolt Ltd": "SECONDARY",
                     "Dune": "SECONDARY", "Newco": "SECONDARY", "Tango Travel": "SECONDARY"}
    rows = _rows(result.folder / "accounts.csv")
    assert {r["cutoff"] for r in rows} == {"1000.00"}
    assert {r["review_date"] for r in rows} == {"2026-01-01"}  # the next review does not move
    assert {r["as_of"] for r in rows} == {"2025-07-01"}
    assert result.summary["cutoff"] == "1000.00" and result.summary["n_key"] == 3


def test_exceptions(done) -> None:
    _, result = done
    ex = result.lists.exceptions
    found = {(k, c) for k, c in zip(ex["kind"], ex["client"], strict=True)}
    assert found == {
        ("now_key", "Core GmbH"), ("now_key", "Echo"),          # crossed the frozen cut-off
        ("fell_below", "Bolt Ltd"),                             # KEY 1200 -> 900
        ("new_client", "Newco"),                                # on no list
        ("conversion", "Tango Travel"),                         # the target started spending
    }
    bolt = ex[ex["client"] == "Bolt Ltd"].iloc[0]
    assert (bolt["billing_then"], bolt["billing_now"]) == (1200 * M, 900 * M)
    assert "below the KEY line of $1,000.00 set at the review" in bolt["detail"]
    assert "Now with Cara (Ben's at the review)" in bolt["detail"]  # the decisions file moved it
    assert (bolt["owner"], bolt["owner_then"]) == ("Cara", "Ben")
    assert result.lists.counts() == {"now_key": 2, "fell_below": 1, "went_quiet": 0, "new_client": 1,
                                     "possible_spelling": 0,
                                     "conversion": 1, "owner_change": 0}
    written = _rows(result.folder / "exceptions.csv")
    assert [r["Client"] for r in written] == ["Core GmbH", "Echo", "Bolt Ltd", "Newco", "Tango Travel"]
    assert written[2]["12-month billing now"] == "900.00"
    assert written[2]["Seller"] == "Cara" and written[2]["Seller at the review"] == "Ben"
    assert written[0]["What changed"].startswith("Now KEY")
    assert written[3]["Category at the review"] == "not listed"  # never the comparison's code NEW


def test_owners_kept_from_the_review_unless_decided(done) -> None:
    _, result = done
    acc = result.lists.accounts.set_index("client")
    assert acc.loc["Dune", "owner"] == "Ana"          # the review's owner, though Ben bills it
    assert acc.loc["Dune", "owner_source"] == "review"
    assert acc.loc["Bolt Ltd", "owner"] == "Cara"     # the decisions file wins
    assert acc.loc["Tango Travel", "owner"] == "Ana"  # the seller who had the target
    assert acc.loc["Newco", "owner"] == "Cara"        # a new client: the seller who billed it


def test_files_written(done) -> None:
    review, result = done
    assert result.folder == review / "republished" / "2025-07-01"
    names = {p.relative_to(result.folder).as_posix() for p in result.files}
    assert {"accounts.csv", "exceptions.csv",
            "republish.json"} <= names
    assert {"sellers/seller-ana.xlsx", "sellers/seller-ben.xlsx", "sellers/seller-cara.xlsx"} <= names
    assert all(p.is_file() for p in result.files)
    assert not [p for p in result.folder.parent.iterdir() if p.name.startswith(".")]
    saved = json.loads((result.folder / "republish.json").read_text())
    assert saved["exceptions"]["now_key"] == 2 and saved["review_as_of"] == "2025-01-01"


def test_overwrite_policy(tmp_path: Path) -> None:
    client, review = _client(tmp_path)
    first = republish(client, review, as_of="2025-07-01")
    with pytest.raises(OutputExistsError) as caught:
        republish(client, review, as_of=dt.date(2025, 7, 1))
    assert isinstance(caught.value, RepublishExistsError)
    message = str(caught.value)
    assert str(first.folder) in message and "already republished" in message
    assert "--force" in message and "--as-of" in message and "--out" not in message
    again = republish(client, review, as_of=dt.date(2025, 7, 1), force=True)
    assert again.folder == first.folder and (again.folder / "accounts.csv").is_file()


def test_refusals(tmp_path: Path) -> None:
    client, review = _client(tmp_path)
    with pytest.raises(ConfigError, match="before the review's"):
        republish(client, review, as_of="2024-12-01")
    other = json.loads((review / "summary.json").read_text())
    other.update(slug="someone-else", client="Someone Else")
    (review / "summary.json").write_text(json.dumps(other))
    with pytest.raises(ConfigError, match="this review is of Someone Else"):
        republish(client, review)
    assert not (review / "republished").exists()


def test_cli(tmp_path: Path) -> None:
    from alms_toolkit.cli import main

    client, review = _client(tmp_path)
    res = CliRunner().invoke(main, ["republish", str(client), "--review", str(review)])
    assert res.exit_code == 0, res.output
    assert "KEY line $1,000.00 (set at the review), 3 KEY and 4 SECONDARY" in res.output
    assert "Now KEY: bills above the KEY line set at the review: 2" in res.output
    assert "- Bolt Ltd (Ben): Now bills $900.00 over 12 months, below the KEY line" in res.output
    assert "frozen" not in res.output and "cut-off" not in res.output
    assert "Moved to another seller" not in res.output  # a kind with no client is not printed
    assert "New client, on no list yet: 1" in res.output and "Tango Travel (Ana)" in res.output
    res = CliRunner().invoke(main, ["republish", str(client), "--review", str(review)])
    assert res.exit_code == 2 and "already exists" in res.output
    assert "--as-of for another date" in res.output and "--out" not in res.output
    res = CliRunner().invoke(main, ["republish", str(client), "--review", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "does not exist" in res.output


def test_relative_folders_as_make_demo_gives_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client and the review named relative to the current folder (``make demo``): every
    file written, the sellers' workbooks (written in worker processes) among them, is listed
    under the published folder."""
    client, review = _client(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = republish(client.relative_to(tmp_path), review.relative_to(tmp_path))
    sellers = sorted(p.name for p in result.files if p.parent.name == "sellers")
    assert sellers == ["seller-ana.xlsx", "seller-ben.xlsx", "seller-cara.xlsx"]
    assert all(p.is_file() for p in result.files)
    assert not [p for p in result.folder.parent.iterdir() if p.name.startswith(".")]  # nothing left aside


@pytest.mark.notebook
def test_two_cuts_give_a_comparison(tmp_path: Path) -> None:
    """alms audit --as-of a year back, then alms audit: the second run finds the first,
    puts a comparison block in summary.json and the section in the report."""
    from alms_toolkit.runs.audit_run import run_audit

    client, _ = _client(tmp_path)
    out = tmp_path / "out"
    # a year back only Oldco spends, and the ledger starts inside that window: implausible
    # (one_client, short_window), accepted knowingly for this test
    first = run_audit(client, as_of=dt.date(2024, 7, 1), out=out, formats=("crm",), progress=False,
                      accept=("one_client", "short_window"))
    assert json.loads((first.folder / "summary.json").read_text())["accepted_checks"][0]["code"] == "one_client"
    assert "comparison" not in json.loads((first.folder / "summary.json").read_text())
    second = run_audit(client, out=out, formats=("html", "crm"), progress=False)
    block = json.loads((second.folder / "summary.json").read_text())["comparison"]
    assert block["as_of_then"] == "2024-07-01" and block["as_of_now"] == "2025-07-01"
    assert block["cutoff_then"] == "700.00"  # Oldco, the only client spending then
    assert block["matrix"]["KEY"]["LAPSED"] == 1  # Oldco lapsed
    # the LAPSED column is the lapsed page (Oldco billed 2024-03-01, in the year before the window)
    assert block["n_lapsed"] == block["now_totals"]["LAPSED"] == second.summary["n_lapsed"] == 1
    assert block["overall"]["n_key_lost"] == 1
    assert second.summary["comparison"] == block
    html = (second.folder / "report.html").read_text(encoding="utf-8")
    assert "What moved since the last review" in html
    assert "LAPSED: billed in the 12 months from 1 July 2023 to 30 June 2024" in html
    assert "DORMANT: billed nothing (net) in the 24 months" in html
    assert "1 client lapsed since the review" in html
    import nbformat

    nb = nbformat.read(str(first.folder / "audit_notebook.ipynb"), as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "Where each account moved" not in outputs and "<h2>What moved" not in outputs


# ---------------------------------------------------------------------------- the review's merges

#: the review's merge log: every spelling apart, as alms audit combined them on 2025-01-01
MERGES = [
    ("Acme Inc.", "acme", "Acme Inc.", "single"),
    ("Bolt Ltd", "bolt", "Bolt Ltd", "single"),
    ("Core GmbH", "core", "Core GmbH", "single"),
    ("Dune", "dune", "Dune", "single"),
    ("Echo", "echo", "Echo", "single"),
    ("Oldco", "oldco", "Oldco", "single"),
]
ACCEPT_CORE_ECHO = "merges:\n  - {names: [Core GmbH, Echo], decision: accept}\n"


def _merge_log(review: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """merge_log.csv as the runner writes it (text cells neutralised, billing as decimals)."""
    import pandas as pd

    from alms_toolkit.report.writers.safe_cells import write_safe_csv

    log = pd.DataFrame(rows, columns=["raw_name", "client_key", "client", "reason"])
    log["billing"] = "0.00"
    return write_safe_csv(log, review / "merge_log.csv",
                          text_columns=("raw_name", "client_key", "client", "reason"))


def _republished(tmp_path: Path, name: str, decisions: str | None, ledger: str = LEDGER,
                 merges: list[tuple[str, str, str, str]] | None = MERGES):
    folder = tmp_path / name
    folder.mkdir()
    client, review = _client(folder, decisions=decisions, ledger=ledger)
    if merges is not None:
        _merge_log(review, merges)
    return client, republish(client, review)


def _table(result) -> dict[str, tuple[str, int, str, str]]:
    acc = result.lists.accounts
    return {k: (c, int(b), t, o) for k, c, b, t, o in zip(
        acc["client_key"], acc["client"], acc["billing"], acc["tier"], acc["owner"], strict=True)}


def test_a_merge_accepted_after_the_review_waits_for_the_next_review(tmp_path: Path) -> None:
    from alms_toolkit.engine import audit

    client, decided = _republished(tmp_path, "decided", ACCEPT_CORE_ECHO)
    combined = audit(client).combination.client_of
    assert combined["Core GmbH"] == combined["Echo"]  # today's audit merges them
    _, plain = _republished(tmp_path, "plain", None)
    assert _table(decided) == _table(plain)
    table = _table(decided)
    assert table["core"] == ("Core GmbH", 1050 * M, "KEY", "Ana")
    assert table["echo"] == ("Echo", 1010 * M, "KEY", "Ben")
    assert decided.lists.counts() == plain.lists.counts()
    rows = {r["client_key"]: r for r in _rows(decided.folder / "accounts.csv")}
    assert rows["core"]["billing_12m"] == "1050.00" and rows["echo"]["billing_12m"] == "1010.00"
    assert decided.summary["merges"] == "kept from the review" and decided.lists.notes == ()


def test_a_merge_of_the_review_stays_when_the_decisions_file_lost_it(tmp_path: Path) -> None:
    from alms_toolkit.engine import audit

    ledger = LEDGER + "2025-02-02,Dune Media,600.00,Ben\n"
    merges = [*MERGES, ("Dune Media", "dune", "Dune", "manual")]
    client, result = _republished(tmp_path, "kept", None, ledger=ledger, merges=merges)
    today = audit(client).combination.client_of
    assert today["Dune"] != today["Dune Media"]  # no decision any more: apart today
    table = _table(result)
    assert "dune media" not in table and len(table) == 7
    # 500 + 600: the combined client crosses the frozen cut-off, with the review's owner
    assert table["dune"] == ("Dune Media", 1100 * M, "KEY", "Ana")
    assert result.lists.accounts.set_index("client_key").loc["dune", "owner_source"] == "review"
    ex = result.lists.exceptions
    assert set(ex.loc[ex["kind"] == "now_key", "client_key"]) == {"core", "dune", "echo"}
    assert "dune" not in set(ex.loc[ex["kind"] == "new_client", "client_key"])
    monthly = result.lists.accounts  # the seller workbooks read the regrouped billing too
    assert int(monthly.loc[monthly["client_key"] == "dune", "billing"].iloc[0]) == 1100 * M
    # ... month by month: Ana's projection form shows both spellings' billing under Dune Media
    import openpyxl

    rows = list(openpyxl.load_workbook(result.folder / "sellers" / "seller-ana.xlsx")["Projection"]
                .iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "Dune Media")
    last_year = next(r for r in rows[at:] if "Last year" in r)
    assert sorted(v for v in last_year if isinstance(v, (int, float)) and v in (500, 600)) == [500, 600]


def test_a_new_spelling_of_a_reviewed_client_joins_it(tmp_path: Path) -> None:
    # after the review Core and Echo were merged in the workshop, and the ledger now spells
    # Echo "ECHO" too: the canonical name picks Echo's client, not Core's
    ledger = LEDGER + "2025-06-01,ECHO,100.00,Ben\n"
    _, result = _republished(tmp_path, "new", ACCEPT_CORE_ECHO, ledger=ledger)
    table = _table(result)
    assert table["echo"][1:3] == (1110 * M, "KEY")
    assert table["core"][1:3] == (1050 * M, "KEY")
    assert table["newco"][1:3] == (300 * M, "SECONDARY")  # a new client stays a new client
    assert result.lists.comparison.movements.set_index("client_key").loc["echo", "before"] == "SECONDARY"


def test_kept_client_of_rule() -> None:
    reviewed = {"Acme Inc.": "acme", "Acme Holdings": "acme", "Bolt": "bolt", "Core": "core",
                "Gone Ltd": "gone"}
    current = {
        "Acme Inc.": "acme", "Acme Holdings": "acme holdings",  # split today: kept together
        "ACME INC": "acme",                                      # new, same canonical name
        "Bolt": "bolt", "Core": "bolt", "Bolt Systems": "bolt",  # merged after the review
        "Bolt Sys": "bolt",
        "GONE": "gone",                                          # its reviewed spelling is gone
        "Newco": "newco", "Newco Labs": "newco",                 # new client, matched today
    }
    kept = kept_client_of(current, reviewed)
    assert kept == {
        "Acme Inc.": "acme", "Acme Holdings": "acme", "ACME INC": "acme",
        "Bolt": "bolt", "Core": "core",
        "Bolt Systems": "bolt", "Bolt Sys": "bolt",  # no canonical match: the first key (tie)
        "GONE": "gone", "Newco": "newco", "Newco Labs": "newco",
    }
    # the majority of the reviewed spellings wins over the alphabetical order
    assert kept_client_of({"X1": "x", "X2": "x", "Y": "x", "Q": "x"},
                          {"X1": "zz", "X2": "zz", "Y": "aa"})["Q"] == "zz"
    assert kept_client_of(current, {}) == current  # nothing reviewed: today's matching


def test_merge_log_read_back_exactly(tmp_path: Path) -> None:
    from alms_toolkit.io.review import read_review

    _, review = _client(tmp_path)
    _merge_log(review, [("=Hack Ltd", "hack", "=Hack Ltd", "single"),
                        ("Echo ", "echo", "Echo", "same canonical name"),
                        ("Echo", "echo", "Echo", "same canonical name")])
    read = read_review(review)
    assert read.notes == ()
    assert read.merge_log["raw_name"].tolist() == ["=Hack Ltd", "Echo ", "Echo"]
    assert read.merge_log["client"].tolist()[0] == "=Hack Ltd"
    assert read.client_of() == {"=Hack Ltd": "hack", "Echo ": "echo", "Echo": "echo"}


def test_a_bad_merge_log_lists_every_problem(tmp_path: Path) -> None:
    from alms_toolkit.io.review import read_review

    _, review = _client(tmp_path)
    (review / "merge_log.csv").write_text(
        "raw_name,client_key,client,reason,billing\n"
        "Acme Inc.,acme,Acme Inc.,single,3000.00\n"
        "Bolt Ltd,,Bolt Ltd,single,1200.00\n"
        "Acme Inc.,bolt,Bolt Ltd,manual,0.00\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        read_review(review)
    text = str(caught.value)
    assert "merge_log.csv has 2 problems" in text
    assert "without the client_key" in text and "row 3" in text
    assert "combined into two clients (first on row 2)" in text and "row 4" in text


def test_an_older_review_without_merge_log_matches_afresh(tmp_path: Path) -> None:
    from alms_toolkit.cli import main
    from alms_toolkit.io.review import read_review

    client, review = _client(tmp_path, decisions=ACCEPT_CORE_ECHO)
    read = read_review(review)
    assert read.merge_log is None and read.client_of() == {}
    assert "no merge_log.csv" in read.notes[0]
    res = CliRunner().invoke(main, ["republish", str(client), "--review", str(review)])
    assert res.exit_code == 0, res.output
    assert "Note: " in res.output and "matched afresh" in res.output
    saved = json.loads((review / "republished" / "2025-07-01" / "republish.json").read_text())
    assert saved["merges"] == "matched afresh" and "no merge_log.csv" in saved["notes"][0]
    rows = {r["name"]: r for r in _rows(review / "republished" / "2025-07-01" / "accounts.csv")}
    assert rows["Core GmbH"]["billing_12m"] == "2060.00" and "Echo" not in rows  # today's merge


def test_a_totals_ledger_is_republished_as_of_its_client_yml_date(tmp_path: Path) -> None:
    """A ledger of 12-month totals has no dates: without --as-of, client.yml's as_of is the
    republish date (not today's)."""
    client, review = _client(tmp_path, ledger=(
        "Customer,Total,Rep\nAcme Inc.,3100.00,Ana\nBolt Ltd,1300.00,Ben\nCore GmbH,700.00,Ana\n"
        "Dune,450.00,Ana\nEcho,300.00,Ben\n"))
    (client / "client.yml").write_text(CLIENT_YML.replace("billing:\n  file: billing.csv\n",
                                                          "as_of: 2025-04-01\nbilling:\n  file: billing.csv\n"
                                                          "  twelve_month_totals: true\n"), encoding="utf-8")
    result = republish(client, review)
    assert result.folder.name == "2025-04-01"


# ---------------------------------------------------------------------------- one change per client, spellings

#: the review's list and merge log also held Hartley Compass Roofing (KEY, Ana's)
HARTLEY_REVIEW = "hartley compass roofing,Hartley Compass Roofing,KEY,Ana,2500.00,1,1000.00,2025-01-01,2026-01-01,,,\n"
HARTLEY_MERGES = [*MERGES, ("Hartley Compass Roofing", "hartley compass roofing", "Hartley Compass Roofing", "single")]
#: billed since under a misspelling too ("Compas"), which the matcher proposes (pending)
HARTLEY_LEDGER = LEDGER + "2024-11-01,Hartley Compass Roofing,2000.00,Ana\n2025-05-01,Hartley Compas Roofing,300.00,Ben\n"


def _hartley(tmp_path: Path, decisions: str | None = None):
    client, review = _client(tmp_path, decisions=decisions, ledger=HARTLEY_LEDGER)
    with open(review / "accounts.csv", "a", encoding="utf-8") as fh:
        fh.write(HARTLEY_REVIEW)
    _merge_log(review, HARTLEY_MERGES)
    return client, review, republish(client, review)


def test_a_misspelt_client_is_proposed_as_the_reviewed_client_never_joined(tmp_path: Path) -> None:
    """A name new since the review that the matcher only proposes (pending) as a misspelling
    of a reviewed client is listed as a possible misspelling of it, not as a new client; its
    billing is counted apart until the consultant decides, as in an audit (a guess that can be
    wrong never moves money between clients). Once accepted in decisions.yml, it joins."""
    from alms_toolkit.engine import audit
    from alms_toolkit.report.writers.master_workbook import master_rows

    client, review, result = _hartley(tmp_path)
    cands = audit(client).combination.candidates
    pair = cands[cands["name_b"].str.contains("Compas ") | cands["name_a"].str.contains("Compas ")]
    assert pair["status"].tolist() == ["pending"]  # today's audit would only propose the match
    table = _table(result)
    assert table["hartley compass roofing"] == ("Hartley Compass Roofing", 2000 * M, "KEY", "Ana")
    lists = result.lists
    ex = lists.exceptions.set_index("client")
    assert ex.loc["Hartley Compas Roofing", "kind"] == "possible_spelling"
    assert "possibly a misspelling of Hartley Compass Roofing" in ex.loc["Hartley Compas Roofing", "detail"]
    assert lists.counts()["new_client"] == 1  # Newco only
    assert lists.spellings.empty
    rows = master_rows(official_list_of(result, review))
    assert (rows["client"] == "Hartley Compass Roofing").sum() == 1
    # accepted: the spelling joins the reviewed client, and the manager sees it billed under it
    accept = "merges:\n  - {names: [Hartley Compass Roofing, Hartley Compas Roofing], decision: accept}\n"
    (tmp_path / "accepted").mkdir()
    _, _, joined = _hartley(tmp_path / "accepted", decisions=accept)
    assert _table(joined)["hartley compass roofing"][1] == 2300 * M
    assert "Hartley Compas Roofing" not in set(joined.lists.exceptions["client"])
    assert joined.lists.spellings["spelling"].tolist() == ["Hartley Compas Roofing"]


def official_list_of(result, review_folder: Path):
    from alms_toolkit.io.review import read_review
    from alms_toolkit.republishing import official_list

    return official_list(result.lists, read_review(review_folder))


def test_a_rejected_match_stays_a_new_client(tmp_path: Path) -> None:
    reject = "merges:\n  - {names: [Hartley Compass Roofing, Hartley Compas Roofing], decision: reject}\n"
    _, _, result = _hartley(tmp_path, decisions=reject)
    table = _table(result)
    assert table["hartley compass roofing"][1] == 2000 * M
    assert result.lists.spellings.empty
    ex = result.lists.exceptions.set_index("client")
    assert ex.loc["Hartley Compas Roofing", "kind"] == "new_client"


def test_one_change_per_client(tmp_path: Path) -> None:
    """A new client already above the KEY line is one new client (not also 'now KEY'); a
    target that became KEY is one conversion; a KEY account gone quiet is one change."""
    ledger = LEDGER.replace("2025-04-04,Newco,300.00,Cara", "2025-04-04,Newco,1300.00,Cara").replace(
        "2025-05-05,Tango Travel,200.00,Ana", "2025-05-05,Tango Travel,1200.00,Ana").replace(
        "2025-06-30,Acme Inc.,3500.00,Ana", "2024-03-15,Acme Inc.,3500.00,Ana\n2025-06-30,Dune,1.00,Ben")
    client, review = _client(tmp_path, ledger=ledger)
    result = republish(client, review, as_of="2025-07-01")
    ex = result.lists.exceptions
    assert not ex["client"].duplicated().any()
    kinds = dict(zip(ex["client"], ex["kind"], strict=True))
    assert kinds["Newco"] == "new_client" and kinds["Tango Travel"] == "conversion"
    assert kinds["Acme Inc."] == "went_quiet"
    newco = ex.set_index("client").loc["Newco"]
    assert newco["tier_now"] == "KEY" and "Already above the KEY line of $1,000.00 set at the review" in newco["detail"]
    written = _rows(result.folder / "exceptions.csv")
    assert len({r["Client"] for r in written}) == len(written) == len(ex)


def test_files_for_people_have_plain_headers(done) -> None:
    import openpyxl

    review, result = done
    folder = result.folder
    names = {p.relative_to(folder).as_posix() for p in result.files}
    assert {"manager/master_list.xlsx", "manager/manager_pack.pdf", "README.txt"} <= names
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "For people" in readme and "accounts.csv" in readme.split("For the next run")[1]
    header = (folder / "exceptions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "client_key" not in header and "tier_" not in header and "billing_" not in header
    for book in [folder / "manager" / "master_list.xlsx", *sorted((folder / "sellers").glob("*.xlsx"))]:
        wb = openpyxl.load_workbook(book)
        for ws in wb:
            cells = {str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
            assert not {c for c in cells if "client_key" in c or "frozen" in c}, (book.name, ws.title)
    assert "client_key" in _rows(folder / "accounts.csv")[0]  # the machine file keeps its key


# ---------------------------------------------------------------------------- CRM keys and changes


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_client_key_is_stable_across_a_republish_and_the_next_review(tmp_path: Path) -> None:
    """Republish against a review without keys (derived), then a review whose accounts.csv
    holds keys: its next audit and its republish keep each company's key."""
    from alms_toolkit.analysis.crm_records import derived_key, with_alms_keys
    from alms_toolkit.engine import audit
    from alms_toolkit.io.review import read_review
    from alms_toolkit.report.writers.crm import accounts_table

    client, review = _client(tmp_path)
    first = _rows(republish(client, review, as_of="2025-07-01").folder / "accounts.csv")
    keys = {r["name"]: r["alms_key"] for r in first}
    assert keys["Acme Inc."] == derived_key("name:acme") and keys["Umbra Labs"] == derived_key("name:umbra labs")
    assert len(set(keys.values())) == len(keys)  # one key per company

    # the review of 2025-07-01: its accounts.csv with keys of its own (as an earlier export left them)
    second = tmp_path / "reports" / "republish-media" / "2025-07-01"
    second.mkdir()
    own = {name: f"ALMS-{n:012d}" for n, name in enumerate(dict.fromkeys(r["name"] for r in first))}
    for row in first:  # one key per company (a client also listed as a TARGET: one company)
        row["alms_key"] = own[row["name"]]
    _write_rows(second / "accounts.csv", first)
    (second / "summary.json").write_text(json.dumps({
        "client": "Republish Media", "slug": "republish-media", "as_of": "2025-07-01",
        "review_date": "2026-07-01", "cutoff": "1000.00"}), encoding="utf-8")
    kept = {r["name"]: r["alms_key"] for r in first}
    (client / "billing.csv").write_text(LEDGER + "2025-08-15,Umbra Labs,250.00,Ben\n2025-08-20,Acme Inc.,10.00,Ana\n",
                                        encoding="utf-8")

    # the next audit: every company it lists keeps its key (Umbra Labs, a TARGET then, now a client)
    later = audit(client, as_of="2025-09-01")
    official = with_alms_keys(later.official_list, read_review(second).accounts,
                              client_of=later.combination.client_of)
    table = accounts_table(official)
    now = dict(zip(table["name"], table["alms_key"], strict=True))
    assert now["Umbra Labs"] == kept["Umbra Labs"]
    assert {n: now[n] for n in kept if n in now} == {n: kept[n] for n in kept if n in now}
    assert len(set(now) & set(kept)) >= 7

    # and the republish against that review
    again = _rows(republish(client, second, as_of="2025-09-01").folder / "accounts.csv")
    assert {r["name"]: r["alms_key"] for r in again if r["name"] in kept} == {
        r["name"]: kept[r["name"]] for r in again if r["name"] in kept}


def test_republish_writes_the_changes_since_the_review(done) -> None:
    review, result = done
    assert "accounts_changes.csv" in {p.name for p in result.files}
    full = _rows(result.folder / "accounts.csv")
    changes = _rows(result.folder / "accounts_changes.csv")
    with open(result.folder / "accounts.csv", encoding="utf-8") as fh:
        header = fh.readline()
    with open(result.folder / "accounts_changes.csv", encoding="utf-8") as fh:
        assert fh.readline() == header  # the same columns as accounts.csv
    then = {(r["name"], r["tier"] in ("TARGET", "EXTRA", "LEAD")): r for r in _rows(review / "accounts.csv")}
    changed = {r["name"] for r in changes}
    changed_rows = {(r["name"], r["tier"] in ("TARGET", "EXTRA", "LEAD")) for r in changes}
    # tier moved (now KEY, fell below, a target that started spending), a new client, a moved owner
    assert {"Core GmbH", "Echo", "Bolt Ltd", "Tango Travel", "Newco"} <= changed
    assert "Umbra Labs" not in changed  # still Ben's TARGET
    for row in full:  # every row left out is the same as at the review; every row in changed or is new
        before = then.get((row["name"], row["tier"] in ("TARGET", "EXTRA", "LEAD"))) or then.get((row["name"], True))
        same = before is not None and (before["tier"], before["owner"], before.get("flag", "")) == (
            row["tier"], row["owner"], row["flag"])
        assert ((row["name"], row["tier"] in ("TARGET", "EXTRA", "LEAD")) in changed_rows) != same, row["name"]
    assert "accounts_changes.csv" in (result.folder / "README.txt").read_text(encoding="utf-8")
