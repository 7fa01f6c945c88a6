"""Reports that write each client's name as a heading in the date column (Xero's *Receivable
Invoice Detail*: the contact's name on a line of its own above its invoices' dates, closed by
'Total <contact>'): proposed, and read once client.yml says so (billing.client_headings); never
taken by themselves, since periods, statuses and kinds of document are written there too. And
status values that are billing in one file (billing.billed: invoices awaiting payment). Files
built as the systems write them, with their true figures."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from ledger_cases import billing_per_client, refused

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


_refused = refused


def _per_client(folder: Path):
    return billing_per_client(folder)


def reconciliation_text(loaded) -> str:
    """What ``alms validate`` prints: how the file was read, then the reconciliation."""
    return loaded.reading.to_text() + "\n" + loaded.reconciliation.to_text()


def _xero_csv(tmp: Path, extra: str = "") -> Path:
    folder = _folder(tmp, "Receivable_Invoice_Detail.csv", extra)
    (folder / "Receivable_Invoice_Detail.csv").write_bytes(XERO_RID.replace("\n", "\r\n").encode("utf-8"))
    return folder


XERO_SETTINGS = ("  client_headings: Invoice Date\n  billed: {Status: ['Awaiting Payment']}\n"
                 "  exclude: {Status: ['Draft']}\n")


def test_contact_headings_in_the_date_column_are_proposed_then_read(tmp_path):
    # the headings are proposed, named, with the setting that reads them
    _refused(_xero_csv(tmp_path), "4 headings written in the date column 'Invoice Date'",
             "'Total Wine & More', 'Void Studios', 'Refund Solutions Inc', 'Bayside Club'",
             "billing.client_headings: Invoice Date")
    # then the statuses are asked about, with advice that can be followed as written
    _refused(_xero_csv(tmp_path / "headings", "  client_headings: Invoice Date\n"),
             "'Awaiting Payment': 3 rows", "'Draft': 1 row",
             "If these rows are invoices: billing.billed: {Status: ['Awaiting Payment']} and "
             "billing.exclude: {Status: ['Draft']}")
    folder = _xero_csv(tmp_path / "decided", XERO_SETTINGS)
    got, loaded = _per_client(folder)
    assert got == TRUTH
    reading = loaded.reading
    assert reading is not None and reading.layout == "sections"
    text = reconciliation_text(loaded)
    assert "4 headings in column 'Invoice Date'" in text
    assert "e.g. '15 Jan 2024'" in text  # a date, not a heading, is the dates' example
    assert "Read as billing (billing.billed): 3 rows of column 'Status' ('Awaiting Payment'), $7,030.00" in text
    # the contacts' subtotals and the grand total are sums, never billing
    assert sorted(a.row for a in reading.aggregates) == [10, 16, 21, 27, 29]


def test_contact_headings_in_a_workbook_date_column(tmp_path):
    """The same report saved as a workbook: real dates on the lines, text on the headings."""
    folder = _folder(tmp_path, "rid.xlsx", XERO_SETTINGS)
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


def _grouped(headings, client: str = "") -> str:
    """Lines under headings in the date column, each closed by 'Total <heading>'; ``client``:
    a Customer column naming the first line of each heading's run (the rest left blank)."""
    lines = ["Date,Invoice,Customer,Amount"]
    customers = ["Acme Corp", "Bayside Club", "Harbour Dental"]
    for n, heading in enumerate(headings):
        lines.append(heading)
        for j in range(3):
            who = customers[j] if client and j == 0 else ""
            lines.append(f"2024-{n * 3 + j + 1:02d}-10,INV-{n}{j},{who},{100 * (n + 1) + j}.00")
        lines.append(f"Total {heading},,,{300 * (n + 1) + 3}.00")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("headings", [
    ("Q1 2024", "Q2 2024"), ("2024", "2025"), ("Week 1", "Week 2"), ("Jan-24", "Feb-24"),
    ("January", "February"), ("Period 1", "Period 2"), ("Invoices", "Credit Notes"), ("Qtr 1", "Qtr 2"),
    ("1st Qtr", "2nd Qtr"), ("First Quarter", "Second Quarter"), ("Janvier", "Avril"), ("Paid", "Overdue"),
    ("USD", "EUR"), ("Tax Invoices", "Debit Notes"), ("Prior Periods", "Current Period"),
])
def test_periods_statuses_or_kinds_above_their_dates_are_no_clients(tmp_path, headings):
    """Headings in the date column that are periods, statuses, currencies or kinds of document
    name no client: the file is refused as one without clients (never 'Q1 2024' billing), and
    the headings are not offered as clients."""
    folder = _folder(tmp_path, "billing.csv")
    (folder / "billing.csv").write_text(_grouped(headings).replace(",Customer,", ",Memo,"), encoding="utf-8")
    message = _refused(folder, "no column for the client")
    assert "headings written in the date column" not in message


def test_names_that_look_like_dates_are_offered_as_clients(tmp_path):
    """A contact whose name starts with a month or holds a year is a name: the headings are
    offered, and read once client.yml says so."""
    names = ("2020 Vision Optometry", "March Hare Ltd", "May & Co", "Studio 54")
    folder = _folder(tmp_path, "billing.csv")
    (folder / "billing.csv").write_text(_grouped(names).replace(",Customer,", ",Memo,"), encoding="utf-8")
    _refused(folder, "4 headings written in the date column 'Date'", "billing.client_headings: Date")
    folder = _folder(tmp_path / "told", "billing.csv", "  client_headings: Date\n")
    (folder / "billing.csv").write_text(_grouped(names).replace(",Customer,", ",Memo,"), encoding="utf-8")
    got, _ = _per_client(folder)
    assert got == {name: (300 * (n + 1) + 3) * 1_000_000 for n, name in enumerate(names)}


def test_headings_in_the_date_column_never_replace_a_client_column(tmp_path):
    """Quarter headings in the date column above runs of lines whose Customer is written on the
    first line only (billing.fill_down: [client]): the customers are the clients."""
    folder = _folder(tmp_path, "billing.csv", "  fill_down: [client]\n")
    (folder / "billing.csv").write_text(_grouped(("Qtr 1", "Qtr 2", "Qtr 3"), client="runs"), encoding="utf-8")
    got, _ = _per_client(folder)
    assert got == {"Acme Corp": 1_809_000_000}  # every line under its run's customer; the quarters' totals are sums


def test_client_headings_naming_a_column_without_headings_is_refused(tmp_path):
    folder = _folder(tmp_path, "billing.csv", "  client_headings: Memo\n")
    (folder / "billing.csv").write_text("Date,Memo,Customer,Amount\n2024-01-10,x,Acme Ltd,100.00\n", encoding="utf-8")
    _refused(folder, "billing.client_headings names column 'Memo', but no client headings were found in it")
    folder = _folder(tmp_path / "missing", "billing.csv", "  client_headings: Contact\n")
    (folder / "billing.csv").write_text("Date,Memo,Customer,Amount\n2024-01-10,x,Acme Ltd,100.00\n", encoding="utf-8")
    _refused(folder, "billing.client_headings")


def test_billed_names_the_values_that_are_billing(tmp_path):
    """billing.billed: values read as not billing that are billing in this file (exact, as
    written); every other value not billing is still asked about; the reading says what was
    read as billing."""
    rows = ("Date,Customer,Status,Amount\n2024-01-10,Acme Ltd,Paid,1000.00\n"
            "2024-02-10,Beta Inc,Awaiting Payment,800.00\n2024-03-10,Cyan AG,Draft,700.00\n"
            "2024-04-10,Total Wine & More,Voided,300.00\n2024-05-10,Void Studios,Paid,400.00\n")
    folder = _folder(tmp_path / "a", "billing.csv", "  billed: {Status: [Awaiting Payment]}\n")
    (folder / "billing.csv").write_text(rows, encoding="utf-8")
    message = _refused(folder, "'Draft': 1 row", "'Voided': 1 row", "billing.billed: {Status: ['Awaiting Payment', ...]}")
    assert "'Awaiting Payment': 1 row" not in message
    folder = _folder(tmp_path / "b", "billing.csv",
                     "  billed: {Status: [Awaiting Payment]}\n  exclude: {Status: [Draft, Voided]}\n")
    (folder / "billing.csv").write_text(rows, encoding="utf-8")
    got, loaded = _per_client(folder)
    assert got == {"Acme Ltd": 1_000_000_000, "Beta Inc": 800_000_000, "Void Studios": 400_000_000}
    assert "Read as billing (billing.billed): 1 row of column 'Status' ('Awaiting Payment'), $800.00" in (
        reconciliation_text(loaded))
    # an exclude list that leaves out a value awaiting payment does not make it billing; a
    # billed value written in another case is no match: both are still asked about
    for extra in ("  exclude: {Status: [Draft, Voided]}\n",
                  "  billed: {Status: [awaiting payment]}\n  exclude: {Status: [Draft, Voided]}\n"):
        folder = _folder(tmp_path / str(len(extra)), "billing.csv", extra)
        (folder / "billing.csv").write_text(rows, encoding="utf-8")
        _refused(folder, "'Awaiting Payment': 1 row")


def test_the_advice_lists_every_value(tmp_path):
    """A shop's orders with six statuses that are not billing: the exclude list the refusal
    writes holds all six (the pending orders among them), and followed it gives the truth."""
    statuses = ["Completed", "Failed", "Cancelled", "Refunded", "Draft", "Declined", "Pending payment", "Processing"]
    rows = ["Date,Customer,Status,Amount"] + [
        f"2024-{i + 1:02d}-10,Client {i % 3},{st},{100 * (i + 1)}.00" for i, st in enumerate(statuses)]
    folder = _folder(tmp_path, "billing.csv")
    (folder / "billing.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    advice = ("billing.exclude: {Status: ['Failed', 'Cancelled', 'Refunded', 'Draft', 'Declined', "
              "'Pending payment']}")
    _refused(folder, advice)
    folder = _folder(tmp_path / "followed", "billing.csv", "  " + advice[len("billing."):] + "\n")
    (folder / "billing.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    got, _ = _per_client(folder)
    assert got == {"Client 0": 100_000_000, "Client 1": 800_000_000}


def test_the_advice_keeps_the_values_client_yml_names(tmp_path):
    """A column client.yml already settles in part: the lists the refusal writes keep what is
    there (followed, the advice converges), the empty list is not offered as a way out, a
    billed value no row holds is said, and a value both billed and left out is refused."""
    rows = ("Date,Customer,Status,Amount\n2024-01-10,Acme Ltd,Paid,1000.00\n"
            "2024-02-10,Beta Inc,Awaiting Payment,800.00\n2024-03-10,Cyan AG,Draft,700.00\n"
            "2024-04-10,Dune BV,Voided,300.00\n2024-05-10,Echo SA,Awaiting Approval,250.00\n")

    def client(name: str, extra: str) -> Path:
        folder = _folder(tmp_path / name, "billing.csv", extra)
        (folder / "billing.csv").write_text(rows, encoding="utf-8")
        return folder

    message = _refused(client("a", "  exclude: {Status: ['Draft', 'Voided']}\n"),
                       "billing.exclude: {Status: ['Draft', 'Voided', 'Awaiting Payment', 'Awaiting Approval']}",
                       "billing.billed: {Status: ['Awaiting Payment']} and billing.exclude: "
                       "{Status: ['Draft', 'Voided', 'Awaiting Approval']}")
    assert "{Status: []}" not in message  # it would bring back the drafts already left out
    got, _ = _per_client(client("b", "  exclude: {Status: ['Draft', 'Voided', 'Awaiting Approval']}\n"
                                     "  billed: {Status: ['Awaiting Payment']}\n"))
    assert got == {"Acme Ltd": 1_000_000_000, "Beta Inc": 800_000_000}  # an invoice awaiting approval is not billed
    _refused(client("c", "  billed: {Status: ['Awaiting Paymnet']}\n"),
             "billing.billed names 'Awaiting Paymnet' for column 'Status', but no row holds it")
    _refused(client("d", "  billed: {Status: ['Awaiting Payment', 'Draft']}\n  exclude: {Status: ['Draft', 'Voided']}\n"),
             "billing.billed and billing.exclude both name 'Draft' of column 'Status'")


def _qb(items) -> str:
    """A QuickBooks 'Sales by Customer Detail' (headings in the first, unnamed column):
    ("H", label) a heading, ("L", amount) a line, ("T", label, amount) a total line."""
    out = [",Date,Num,Memo,Amount"]
    for n, item in enumerate(items):
        if item[0] == "H":
            out.append(item[1])
        elif item[0] == "L":
            out.append(f",{1 + n % 12:02d}/15/2024,{1000 + n},Services,{item[1]:.2f}")
        else:
            out.append(f"{item[1]},,,,{item[2]:.2f}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(("items", "truth"), [
    # a page break inside a job, jobs with totals, the customer closed by its own total
    ([("H", "Freeman Sporting Goods"), ("H", "0969 Ocean View Road"), ("L", 300), ("H", "Continued on next page"),
      ("L", 120), ("T", "Total for 0969 Ocean View Road", 420), ("H", "55 Twin Lane"), ("L", 700),
      ("T", "Total for 55 Twin Lane", 700), ("L", 750), ("T", "Total for Freeman Sporting Goods", 1870),
      ("H", "Bayside Club"), ("L", 980), ("T", "Total for Bayside Club", 980)],
     {"Freeman Sporting Goods": 1870, "Bayside Club": 980}),
    # the customer's own lines, then jobs with their own totals, then the customer's total
    ([("H", "Freeman Sporting Goods"), ("L", 500), ("L", 250), ("H", "0969 Ocean View Road"), ("L", 420),
      ("T", "Total for 0969 Ocean View Road", 420), ("H", "55 Twin Lane"), ("L", 700),
      ("T", "Total for 55 Twin Lane", 700), ("T", "Total for Freeman Sporting Goods", 1870),
      ("H", "Cool Cars"), ("L", 715), ("T", "Total for Cool Cars", 715)],
     {"Freeman Sporting Goods": 1870, "Cool Cars": 715}),
    # page breaks in a report without section totals; a real 'Continued Care Ltd'
    ([("H", "Acme Corp"), ("L", 500), ("H", "Continued on next page"), ("L", 300), ("H", "Acme Corp (continued)"),
      ("L", 250), ("H", "Continued Care Ltd"), ("L", 90)],
     {"Acme Corp": 1050, "Continued Care Ltd": 90}),
])
def test_page_breaks_and_groups_inside_a_customers_section(tmp_path, items, truth):
    folder = _folder(tmp_path, "billing.csv", "  date_format: '%m/%d/%Y'\n")
    (folder / "billing.csv").write_text(_qb(items), encoding="utf-8")
    got, _ = _per_client(folder)
    assert got == {k: v * 1_000_000 for k, v in truth.items()}


def test_a_heading_that_is_no_client_is_refused(tmp_path):
    """Contacts named in the date column with a 'Credit Notes' group and no contact total to
    show it is inside the contact: 'Credit Notes' would be a client; refused."""
    folder = _folder(tmp_path, "rid.csv", "  client_headings: Date\n")
    (folder / "rid.csv").write_text(
        "Date,Number,Amount\nAcme Corp\n2024-01-10,INV-1,1000.00\n2024-02-10,INV-2,750.00\nCredit Notes\n"
        "2024-03-10,CN-1,-101.00\nBayside Club\n2024-04-10,INV-3,2150.00\n", encoding="utf-8")
    _refused(folder, "would make clients of 'Credit Notes'")
