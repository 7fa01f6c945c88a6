"""Reports that write each client's name as a heading in the date column (Xero's *Receivable
Invoice Detail*: the contact's name on a line of its own above its invoices' dates, closed by
'Total <contact>'), and invoices awaiting payment in a status column whose other values the
consultant leaves out. Files built as the systems write them, with their true figures."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from alms_toolkit.config import load_config
from alms_toolkit.errors import AlmsError
from alms_toolkit.io.ledger import load_ledger

#: Xero's Receivable Invoice Detail as saved to CSV: a title block, contact headings in the
#: 'Invoice Date' column, a 'Total <contact>' line per contact and a grand total. Net is
#: before tax; a Draft is no invoice; 'Awaiting Payment' invoices are billed, not yet paid.
XERO_RID = """Receivable Invoice Detail
Demo Company (US)
"For the period January 1, 2024 to December 31, 2024"

Invoice Date,Invoice Number,Reference,Description,Status,Net,Tax,Gross
Total Wine & More
15 Jan 2024,INV-0101,,Wine consulting,Paid,"1,250.00",103.12,"1,353.12"
12 Apr 2024,INV-0120,,Cellar audit,Paid,"2,000.00",165.00,"2,165.00"
20 Jun 2024,CN-0004,,Credit: Cellar audit,Paid,-250.00,-20.62,-270.62
Total Total Wine & More,,,,,"3,000.00",247.50,"3,247.50"

Void Studios
8 Feb 2024,INV-0105,,Design retainer,Paid,640.00,52.80,692.80
18 Sep 2024,INV-0150,,Design retainer,Awaiting Payment,"1,900.00",156.75,"2,056.75"
3 Dec 2024,INV-0171,,Design retainer,Draft,500.00,41.25,541.25
Total Void Studios,,,,,"3,040.00",250.80,"3,290.80"

Refund Solutions Inc
27 Mar 2024,INV-0115,,Platform licence,Paid,"4,400.00",363.00,"4,763.00"
14 Nov 2024,INV-0166,,Platform licence,Awaiting Payment,"4,400.00",363.00,"4,763.00"
Total Refund Solutions Inc,,,,,"8,800.00",726.00,"9,526.00"

Bayside Club
2 Jan 2024,INV-0100,,Membership,Paid,730.00,60.22,790.22
22 Jul 2024,INV-0139,,Membership,Paid,730.00,60.22,790.22
30 Dec 2024,INV-0177,,Membership,Awaiting Payment,730.00,60.22,790.22
Total Bayside Club,,,,,"2,190.00",180.66,"2,370.66"

Total,,,,,"17,030.00","1,404.96","18,434.96"
"""
#: the true billing per contact (micros): Net, the Draft left out, the credit note taken off
TRUTH = {"Total Wine & More": 3_000_000_000, "Void Studios": 2_540_000_000,
         "Refund Solutions Inc": 8_800_000_000, "Bayside Club": 2_190_000_000}


def _folder(tmp: Path, name: str, extra: str = "") -> Path:
    folder = tmp / "client"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "client.yml").write_text(f"client: Min\nas_of: 2025-01-01\nbilling:\n  file: {name}\n{extra}",
                                       encoding="utf-8")
    return folder


def _refused(folder: Path, *needles: str) -> str:
    with pytest.raises(AlmsError) as info:
        load_ledger(load_config(folder))
    message = str(info.value)
    for needle in needles:
        assert needle in message, (needle, message)
    return message


def _per_client(folder: Path):
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.balances()
    by_client = loaded.ledger.groupby("client")["amount"].sum()
    return {str(k): int(v) for k, v in by_client.items()}, loaded


def reconciliation_text(loaded) -> str:
    """What ``alms validate`` prints: how the file was read, then the reconciliation."""
    return loaded.reading.to_text() + "\n" + loaded.reconciliation.to_text()


def _xero_csv(tmp: Path, extra: str = "") -> Path:
    folder = _folder(tmp, "Receivable_Invoice_Detail.csv", extra)
    (folder / "Receivable_Invoice_Detail.csv").write_bytes(XERO_RID.replace("\n", "\r\n").encode("utf-8"))
    return folder


def test_contact_headings_in_the_date_column_name_the_clients(tmp_path):
    # first the statuses are asked about, with advice that can be followed as written
    folder = _xero_csv(tmp_path)
    _refused(folder, "'Awaiting Payment': 3 rows", "'Draft': 1 row",
             "If these rows are invoices, leave it out of the list: billing.exclude: {Status: ['Draft']}")
    folder = _xero_csv(tmp_path / "decided", "  exclude: {Status: ['Draft']}\n")
    got, loaded = _per_client(folder)
    assert got == TRUTH
    reading = loaded.reading
    assert reading is not None and reading.layout == "sections"
    text = reconciliation_text(loaded)
    assert "4 headings in column 'Invoice Date'" in text
    assert "e.g. '15 Jan 2024'" in text  # a date, not a heading, is the dates' example
    assert ("Read as billing, invoices billed and not yet paid ('Awaiting Payment': 3 rows, $7,030.00)"
            in text)
    # the contacts' subtotals and the grand total are sums, never billing
    assert sorted(a.row for a in reading.aggregates) == [10, 16, 21, 27, 29]


def test_contact_headings_in_a_workbook_date_column(tmp_path):
    """The same report saved as a workbook: real dates on the lines, text on the headings."""
    folder = _folder(tmp_path, "rid.xlsx", "  exclude: {Status: ['Draft']}\n")
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in XERO_RID.splitlines():
        if not line:
            ws.append([])
            continue
        cells = next(csv.reader([line]))
        with contextlib.suppress(ValueError):
            cells[0] = dt.datetime.strptime(cells[0], "%d %b %Y")
        money = isinstance(cells[0], dt.datetime) or cells[0].startswith("Total")
        ws.append([float(c.replace(",", "")) if money and i >= 5 and c else c for i, c in enumerate(cells)])
    wb.save(folder / "rid.xlsx")
    got, _ = _per_client(folder)
    assert got == TRUTH


@pytest.mark.parametrize("headings", [
    ("Q1 2024", "Q2 2024"), ("2024", "2025"), ("Week 1", "Week 2"), ("Jan-24", "Feb-24"),
    ("January", "February"), ("Period 1", "Period 2"), ("Invoices", "Credit Notes"),
])
def test_periods_or_kinds_above_their_dates_are_no_clients(tmp_path, headings):
    """Lines grouped by period or by kind of document under a heading in the date column
    name no client: the file has none, and it is refused as before (never 'Q1 2024' billing)."""
    a, b = headings
    folder = _folder(tmp_path, "billing.csv")
    (folder / "billing.csv").write_text(
        f"Date,Invoice,Description,Amount\n{a}\n2024-01-05,INV-1,Consulting,100.00\n"
        f"2024-01-20,INV-2,Consulting,200.00\nTotal {a},,,300.00\n{b}\n2024-02-05,INV-3,Consulting,150.00\n"
        f"2024-02-25,INV-4,Consulting,250.00\nTotal {b},,,400.00\n", encoding="utf-8")
    _refused(folder, "no column for the client")


def test_a_status_list_settles_awaiting_payment_only(tmp_path):
    """billing.exclude naming some of a status column's values: a value awaiting payment it
    leaves out is billed (the reading says so); a void or draft it leaves out is still asked
    about; with no value awaiting payment in the file nothing is said."""
    rows = ("Date,Customer,Status,Amount\n2024-01-10,Acme Ltd,Paid,1000.00\n"
            "2024-02-10,Beta Inc,Awaiting Payment,800.00\n2024-03-10,Cyan AG,Draft,700.00\n"
            "2024-04-10,Total Wine & More,Voided,300.00\n2024-05-10,Void Studios,Paid,400.00\n")
    folder = _folder(tmp_path / "a", "billing.csv", "  exclude: {Status: [Draft]}\n")
    (folder / "billing.csv").write_text(rows, encoding="utf-8")
    message = _refused(folder, "'Voided': 1 row")
    assert "Awaiting Payment" not in message
    folder = _folder(tmp_path / "b", "billing.csv", "  exclude: {Status: [Draft, Voided]}\n")
    (folder / "billing.csv").write_text(rows, encoding="utf-8")
    got, loaded = _per_client(folder)
    assert got == {"Acme Ltd": 1_000_000_000, "Beta Inc": 800_000_000, "Void Studios": 400_000_000}
    assert "'Awaiting Payment': 1 row, $800.00" in reconciliation_text(loaded)
    # the consultant's list names it: left out
    folder = _folder(tmp_path / "c", "billing.csv", "  exclude: {Status: [Draft, Voided, Awaiting Payment]}\n")
    (folder / "billing.csv").write_text(rows, encoding="utf-8")
    got, loaded = _per_client(folder)
    assert sum(got.values()) == 1_400_000_000
    assert "not yet paid" not in reconciliation_text(loaded)
    # a shop's orders: the advice names the list without the pending orders, and with them
    folder = _folder(tmp_path / "d", "billing.csv")
    (folder / "billing.csv").write_text(
        "Date,Customer,Status,Amount\n2024-01-10,Acme Ltd,completed,100.00\n"
        "2024-02-10,Beta Inc,pending payment,80.00\n2024-03-10,Cyan AG,failed,70.00\n", encoding="utf-8")
    _refused(folder, "billing.exclude: {Status: ['pending payment', 'failed']}",
             "leave it out of the list: billing.exclude: {Status: ['failed']}")
