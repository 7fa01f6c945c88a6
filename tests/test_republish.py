"""Monthly republishing with the review's frozen cut-off (``alms republish``)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alms_toolkit.errors import ConfigError, OutputExistsError
from alms_toolkit.republishing import republish

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


def _client(tmp_path: Path, decisions: str | None = None) -> tuple[Path, Path]:
    client = tmp_path / "republish-media"
    client.mkdir()
    (client / "client.yml").write_text(CLIENT_YML, encoding="utf-8")
    (client / "billing.csv").write_text(LEDGER, encoding="utf-8")
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
    assert "below the cut-off $1,000.00" in bolt["detail"]
    assert result.lists.counts() == {"now_key": 2, "fell_below": 1, "new_client": 1, "conversion": 1}
    written = _rows(result.folder / "exceptions.csv")
    assert [r["client"] for r in written] == ["Core GmbH", "Echo", "Bolt Ltd", "Newco", "Tango Travel"]
    assert written[2]["billing_now"] == "900.00"
    assert written[0]["exception"].startswith("Now KEY")


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
    assert {"accounts.csv", "salesforce_accounts.csv", "hubspot_companies.csv", "exceptions.csv",
            "republish.json"} <= names
    assert {"sellers/seller-ana.xlsx", "sellers/seller-ben.xlsx", "sellers/seller-cara.xlsx"} <= names
    assert all(p.is_file() for p in result.files)
    assert not [p for p in result.folder.parent.iterdir() if p.name.startswith(".")]
    saved = json.loads((result.folder / "republish.json").read_text())
    assert saved["exceptions"]["now_key"] == 2 and saved["review_as_of"] == "2025-01-01"


def test_overwrite_policy(tmp_path: Path) -> None:
    client, review = _client(tmp_path)
    first = republish(client, review, as_of="2025-07-01")
    with pytest.raises(OutputExistsError):
        republish(client, review, as_of=dt.date(2025, 7, 1))
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
    assert "KEY cut-off $1,000.00 (frozen), 3 KEY and 4 SECONDARY" in res.output
    assert "Now KEY: crossed the frozen cut-off: 2" in res.output
    assert "- Bolt Ltd (Ben): 12-month billing $900.00, below the cut-off" in res.output
    assert "New client, on no list yet: 1" in res.output and "Tango Travel (Ana)" in res.output
    res = CliRunner().invoke(main, ["republish", str(client), "--review", str(review)])
    assert res.exit_code == 2 and "already exists" in res.output
    res = CliRunner().invoke(main, ["republish", str(client), "--review", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "does not exist" in res.output


@pytest.mark.notebook
def test_two_cuts_give_a_comparison(tmp_path: Path) -> None:
    """alms audit --as-of a year back, then alms audit: the second run finds the first,
    puts a comparison block in summary.json and the section in the report."""
    from alms_toolkit.report.runner import run_audit

    client, _ = _client(tmp_path)
    out = tmp_path / "out"
    first = run_audit(client, as_of=dt.date(2024, 7, 1), out=out, formats=("crm",), progress=False)
    assert "comparison" not in json.loads((first.folder / "summary.json").read_text())
    second = run_audit(client, out=out, formats=("html", "crm"), progress=False)
    block = json.loads((second.folder / "summary.json").read_text())["comparison"]
    assert block["as_of_then"] == "2024-07-01" and block["as_of_now"] == "2025-07-01"
    assert block["cutoff_then"] == "700.00"  # Oldco, the only client spending then
    assert block["matrix"]["KEY"]["LAPSED"] == 1  # Oldco lapsed
    assert block["overall"]["n_key_lost"] == 1
    assert second.summary["comparison"] == block
    html = (second.folder / "report.html").read_text(encoding="utf-8")
    assert "What moved since the last review" in html
    import nbformat

    nb = nbformat.read(str(first.folder / "audit_notebook.ipynb"), as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "Where each account moved" not in outputs and "<h2>What moved" not in outputs
