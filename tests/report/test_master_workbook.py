"""The manager's master list (report/writers/master_workbook.py): one row per client, each in
one category, a real Excel table, per-seller formulas whose totals equal the official list's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from official_lists import official_list

from alms_toolkit.analysis.official_list import FLAG_COLUMNS
from alms_toolkit.report.writers.master_workbook import (
    CATEGORIES,
    COLUMNS,
    SHEETS,
    TABLE_NAME,
    master_rows,
    write_master_workbook,
)

M = 1_000_000
AS_OF = dt.date(2025, 1, 1)
#: client_key, client, billing (micros), rank, tier, owner
ACCOUNTS = [
    ("acme", "Acme Inc.", 30_000_100_000, 1, "KEY", "Ann"),
    ("bolt", "Bolt Ltd", 25_000 * M, 2, "KEY", "Ben"),
    ("core", "Core GmbH", 5_000_330_000, 3, "SECONDARY", "Ann"),
    ("dune", "Dune", 1_234_560_000, 4, "SECONDARY", "Ben"),
    ("echo", "Echo", -42_040_000, None, "NON-SPENDING", "Ben"),   # credits only: not spending
    ("fox", "Fox & Co", 0, None, "NON-SPENDING", "Ann"),          # also on the lapsed page
]


def _official(page_size: str = "Letter", then: bool = False):
    accounts = pd.DataFrame(ACCOUNTS, columns=["client_key", "client", "billing", "rank", "tier", "owner"])
    accounts["rank"] = accounts["rank"].astype("Int64")
    spending = accounts[accounts["tier"].isin(["KEY", "SECONDARY"])]
    sa = spending.rename(columns={"owner": "seller"}).sort_values(["seller", "rank"], kind="stable")
    sa["share_of_seller"] = sa["billing"] / sa.groupby("seller")["billing"].transform("sum")
    sa = sa[["seller", "client_key", "client", "tier", "rank", "billing", "share_of_seller"]]
    lapsed = pd.DataFrame({
        "client": ["Fox & Co", "Gone Ltd"], "last_seller": ["Ann", "Ben"],
        "last_billed": [dt.date(2023, 5, 1), dt.date(2023, 3, 1)], "previous_billing": [900 * M, 300 * M],
        "client_key": ["fox", "gone"],
    })
    prospects = pd.DataFrame({
        "seller": ["Ann", "Ben", "Ann", "Ben", "Ben"],
        "prospect": ["ACME", "Echo", "Newco", "Newco", "=HYPERLINK(1)"],
        "category": ["TARGET", "EXTRA", "TARGET", "LEAD", "LEAD"],
        "fit_score": [4.0, 3.0, 4.5, 2.0, None],
        "notes": ["", "", "Budget in Q3", "", ""],
        "issues": ["already a client: Acme Inc. ($30,000.10, KEY)", "", "", "", ""],
    })
    if then:
        accounts["category_then"] = ["KEY", "SECONDARY", "SECONDARY", "NEW", "DORMANT", "KEY"]
        lapsed["category_then"] = ["KEY", "LAPSED"]
        prospects["category_then"] = ["TARGET", "NEW", "TARGET", "TARGET", "LEAD"]
    off = official_list(cutoff=25_000 * M, as_of=AS_OF, accounts=accounts, seller_accounts=sa,
                   prospects=prospects, lapsed=lapsed, page_size=page_size, client_name="Hart & Co")
    flags = pd.DataFrame([("at risk", "falling", "Acme Inc.", "Ann", 30_000_100_000, "down 40%", "acme")],
                         columns=list(FLAG_COLUMNS))
    return dataclasses.replace(off, flags=flags)


def test_one_row_per_client_each_in_one_category() -> None:
    rows = master_rows(_official())
    assert not rows["client"].str.casefold().duplicated().any()
    category = dict(zip(rows["client"], rows["category"], strict=True))
    assert category == {
        "Acme Inc.": "KEY", "Bolt Ltd": "KEY", "Core GmbH": "SECONDARY", "Dune": "SECONDARY",
        "Echo": "EXTRA",        # a non-spending client a seller pursues again: the prospect's category
        "Fox & Co": "LAPSED",   # NON-SPENDING and on the lapsed page: LAPSED, once
        "Gone Ltd": "LAPSED",
        "Newco": "TARGET",      # on two lists: once, in its best category
        "=HYPERLINK(1)": "LEAD",
    }
    assert set(rows["category"]) <= set(CATEGORIES)
    by = rows.set_index("client")
    assert "Also on Ann's prospect list as TARGET ('ACME')" in by.loc["Acme Inc.", "notes"]
    assert "Also on Ben's list as LEAD" in by.loc["Newco", "notes"]
    assert by.loc["Fox & Co", "seller"] == "Ann" and by.loc["Gone Ltd", "seller"] == "Ben"
    assert by.loc["Acme Inc.", "flag"] == "at risk" and by.loc["Bolt Ltd", "flag"] == ""
    assert by.loc["Gone Ltd", "last_invoice"] == dt.date(2023, 3, 1)
    # places in each seller's list, KEY then SECONDARY
    assert (by.loc["Acme Inc.", "seller_rank"], by.loc["Core GmbH", "seller_rank"]) == (1, 2)
    assert pd.isna(by.loc["Echo", "seller_rank"])
    # the spending clients' billing is the official list's, to the micro
    spending = rows[rows["category"].isin(["KEY", "SECONDARY"])]
    assert int(spending["billing"].sum()) == sum(b for _, _, b, _, t, _ in ACCOUNTS if t in ("KEY", "SECONDARY"))


def test_the_workbook(tmp_path: Path) -> None:
    path = write_master_workbook(_official(), tmp_path / "manager" / "master_list.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    ws = wb[SHEETS[0]]
    (table,) = ws.tables.values()
    assert table.name == TABLE_NAME and table.autoFilter is not None
    first, last = table.ref.split(":")
    rows = list(ws.iter_rows(values_only=True))
    header = rows[3]
    assert list(header) == [c for c in COLUMNS if c != "Category at the review"]  # no review: no column
    assert first == "A4" and last == f"{chr(ord('A') + len(header) - 1)}{4 + 9}"  # 9 clients
    assert ws.freeze_panes == "B5"
    data = [dict(zip(header, r, strict=True)) for r in rows[4:13]]
    from alms_toolkit.report.writers.safe_cells import restore_text

    assert sorted(restore_text(d["Client"]) for d in data) == sorted(master_rows(_official())["client"])
    bill = {d["Client"]: d["12-month billing"] for d in data}
    assert bill["Acme Inc."] == 30000.10 and bill["Echo"] == -42.04
    assert ws.cell(5, 4).number_format.startswith('"$"#,##0.00')
    assert "'=HYPERLINK(1)" in bill  # text, never a formula
    # the total under the table follows the filter, cached to the cent
    total = next(r for r in rows if r[0] == "Total of the rows shown")
    assert str(total[3]).startswith("=SUBTOTAL(109,D5:D13)")
    cached = openpyxl.load_workbook(path, data_only=True)[SHEETS[0]]
    foot = next(r for r in cached.iter_rows(values_only=True) if r[0] == "Total of the rows shown")
    assert foot[1] == 9 and Decimal(str(foot[3])) == Decimal("61192.95")  # 61,234.99 - 42.04
    # printing: landscape, one page wide, the client's paper, header and footer
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == "1"  # Letter
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)  # 1 is the default
    assert setup.fitToHeight == 0  # as many pages down as it takes
    assert "Hart && Co" in ws.oddHeader.left.text and "Page &P of &N" in ws.oddFooter.right.text
    assert ws.print_title_rows.replace("$", "") == "4:4"  # the header row on every page


def test_per_seller_sheet_totals_equal_the_official_list(tmp_path: Path) -> None:
    path = write_master_workbook(_official(page_size="A4"), tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(path)[SHEETS[1]]
    values = openpyxl.load_workbook(path, data_only=True)[SHEETS[1]]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Seller", "KEY (count)", "KEY billing"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in values.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["Ann"]["KEY (count)"] == 1 and rows["Ann"]["LAPSED (count)"] == 1
    assert rows["Ben"]["EXTRA (count)"] == 1 and rows["Ben"]["LEAD (count)"] == 1
    total = rows["Total"]
    assert sum(total[f"{c} (count)"] for c in CATEGORIES) == 9  # every row counted once
    assert Decimal(str(total["12-month billing (KEY + SECONDARY)"])) == Decimal("61234.99")
    assert Decimal(str(total["KEY billing"])) == Decimal("55000.10")
    assert total["Share of all billing"] == 1
    formulas = [c.value for c in ws[5]]
    assert formulas[1] == "=COUNTIFS('All clients'!$B$5:$B$13,$A5,'All clients'!$C$5:$C$13,\"KEY\")"
    assert formulas[2].startswith("=SUMIFS('All clients'!$D$5:$D$13,")
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("then", [True])
def test_the_category_at_the_review_in_plain_words(tmp_path: Path, then: bool) -> None:
    rows = master_rows(_official(then=then)).set_index("client")
    assert rows.loc["Dune", "category_then"] == "not listed"      # never the comparison's code NEW
    assert rows.loc["Fox & Co", "category_then"] == "KEY"
    assert rows.loc["Echo", "category_then"] == "NON-SPENDING"    # DORMANT in the comparison
    path = write_master_workbook(_official(then=then), tmp_path / "m.xlsx")
    header = list(openpyxl.load_workbook(path)[SHEETS[0]].iter_rows(min_row=4, max_row=4, values_only=True))[0]
    assert "Category at the review" in header and "client_key" not in header
