"""Every list the report names is somewhere a seller can act on it: each KEY account at risk,
SECONDARY account with growth potential and lapsed client is in its seller's files (the
workbook's "Flagged" sheet and the PDF's Flagged accounts section, the largest on the "Act
first" sheet and page) and flagged in accounts.csv (issue 13, items 4 and 5)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from alms_toolkit.engine import audit
from alms_toolkit.report.writers.crm import write_crm_files
from alms_toolkit.report.writers.seller_pdf import seller_context
from alms_toolkit.report.writers.xlsx import seller_file_stems, write_seller_workbooks

ROOT = Path(__file__).resolve().parents[2]


def test_every_flag_is_in_the_sellers_files_and_accounts_csv(tmp_path: Path) -> None:
    a = audit(ROOT / "client_data" / "sample-services")
    expected = ({(k, "at risk") for k in a.at_risk["client_key"]} | {(k, "growth potential") for k in a.growth["client_key"]}
                | {(k, "lapsed") for k in a.lapsed["client_key"]})
    assert len(a.at_risk) and len(a.growth) and len(a.lapsed)  # the sample has each kind
    official = a.official_list
    write_crm_files(official, tmp_path)
    with open(tmp_path / "accounts.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["client_key"], r["flag"]) for r in rows if r["flag"] and r["client_key"]} == expected
    assert all(r["flag_detail"] for r in rows if r["flag"])
    # a prospect that is already a client, or on two lists, is flagged on its own row
    issues = {str(p): str(i) for p, i in zip(a.prospects["prospect"], a.prospects["issues"], strict=True)
              if str(i).startswith(("already a client", "also on the list of"))}
    checked = {r["name"]: r["flag_detail"] for r in rows if r["flag"] == "check prospect"}
    assert checked == issues
    # each seller's workbook: its Flagged sheet lists exactly the flags it acts on, and its Act
    # first sheet (the workbook's first) counts them
    write_seller_workbooks(official, tmp_path / "sellers")
    owner = {**dict(zip(a.at_risk["client_key"], a.at_risk["owner"], strict=True)),
             **dict(zip(a.growth["client_key"], a.growth["owner"], strict=True)),
             **dict(zip(a.lapsed["client_key"], a.lapsed["last_seller"], strict=True))}
    name = dict(zip(official.flags["client_key"], official.flags["client"], strict=True))
    for seller, stem in seller_file_stems(official.sellers).items():
        book = openpyxl.load_workbook(tmp_path / "sellers" / f"{stem}.xlsx")
        assert book.sheetnames[0] == "Act first"
        listed = [row[1] for row in book["Flagged"].iter_rows(min_row=6, values_only=True) if row[0]]
        mine = sorted(name[k] for k, s in owner.items() if s == seller)
        assert sorted(listed) == mine, seller
        first = [str(c) for row in book["Act first"].iter_rows(values_only=True) for c in row if c is not None]
        for flag, title in (("at risk", "KEY accounts at risk"), ("growth potential", "SECONDARY accounts with growth potential"),
                            ("lapsed", "Lapsed clients to win back")):
            n = sum(1 for k, s in owner.items() if s == seller and (k, flag) in expected)
            assert any(t.startswith(title) and t.endswith(f"({n})") for t in first), (seller, flag, n)
        # the PDF's Flagged accounts section: every one of them (none is capped here)
        flagged = [r["client"] for r in seller_context(official, seller)["flag_rows"]]
        assert sorted(flagged) == mine, seller
