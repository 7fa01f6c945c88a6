"""ERP exports a QA sweep found read wrong (exit 0) or refused with advice that, followed,
gave a wrong figure: Dynamics GP's sales transactions (SOP Type, Void Status), SAP's billing
documents (VF05: billing types written positive, the payer's number beside its name), Exact
Online's invoices (an amount in the company's currency beside the documents' currencies)
and Invoice Ninja's reversed invoices. Small files as the systems write them, with their
true figures, and each refusal's advice followed as written."""

from __future__ import annotations

from pathlib import Path

from ledger_cases import billing_per_client, refused

from alms_toolkit.config import load_config
from alms_toolkit.io.ledger import load_ledger


def _folder(tmp: Path, text: str, extra: str = "") -> Path:
    folder = tmp / "client"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "billing.csv").write_text(text, encoding="utf-8")
    (folder / "client.yml").write_text(f"client: Min\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n{extra}",
                                       encoding="utf-8")
    return folder


_refused = refused


def _per_client(folder: Path) -> dict[str, int]:
    return billing_per_client(folder)[0]


GP = """SOP Type,SOP Number,Document Date,Customer Number,Customer Name,Subtotal,Void Status
Quote,QTE1001,2024-01-10,TOTAL001,Total Wine & More,5000.00,Normal
Order,ORD1001,2024-01-20,TOTAL001,Total Wine & More,4000.00,Normal
Invoice,INV1001,2024-02-01,TOTAL001,Total Wine & More,4000.00,Normal
Invoice,INV1002,2024-03-01,VOID0001,Void Studios,2500.00,Normal
Invoice,INV1003,2024-04-01,VOID0001,Void Studios,900.00,Voided
Return,RTN1001,2024-05-01,TOTAL001,Total Wine & More,600.00,Normal
Back Order,BCK1001,2024-06-01,VOID0001,Void Studios,300.00,Normal
"""


def test_dynamics_gp_quotes_orders_voids_and_returns(tmp_path):
    folder = _folder(tmp_path / "a", GP)
    _refused(folder, "column 'SOP Type'", "billing.exclude: {SOP Type: ['Quote', 'Order', 'Back Order']}")
    folder = _folder(tmp_path / "b", GP, "  exclude: {SOP Type: ['Quote', 'Order', 'Back Order']}\n")
    _refused(folder, "column 'Void Status'", "billing.exclude: {Void Status: ['Voided']}")
    extra = "  exclude: {SOP Type: ['Quote', 'Order', 'Back Order'], Void Status: ['Voided']}\n"
    _refused(_folder(tmp_path / "c", GP, extra), "billing.credits: {SOP Type: ['Return']}")
    got = _per_client(_folder(tmp_path / "d", GP, extra + "  credits: {SOP Type: ['Return']}\n"))
    assert got == {"Total Wine & More": 3_400_000_000, "Void Studios": 2_500_000_000}


VF05 = """Billing Document,Billing Type,Billing Date,Payer,Name of payer,Net value,Currency,Cancelled
90000001,F2,15.01.2024,100045,TOTAL WINE & MORE,"1,000.00",USD,
90000002,F2,15.02.2024,100045,TOTAL WINE & MORE,"2,000.00",USD,X
90000003,S1,16.02.2024,100045,TOTAL WINE & MORE,"2,000.00",USD,
90000004,G2,01.03.2024,100045,TOTAL WINE & MORE,150.00,USD,
90000005,F2,01.04.2024,100047,VOID STUDIOS,"3,000.00",USD,
90000006,RE,01.05.2024,100047,VOID STUDIOS,400.00,USD,
90000007,L2,01.06.2024,100047,VOID STUDIOS,50.00,USD,
"""


def test_sap_billing_types_written_positive_are_credits(tmp_path):
    _refused(_folder(tmp_path / "a", VF05), "billing.credits: {Billing Type: [", "'G2'", "'RE'", "'S1'")
    got = _per_client(_folder(tmp_path / "b", VF05, "  credits: {Billing Type: ['G2', 'RE', 'S1']}\n"))
    # the cancelled invoice and its cancellation (S1) net to nothing; names, not payer numbers
    assert got == {"TOTAL WINE & MORE": 850_000_000, "VOID STUDIOS": 2_650_000_000}


EXACT = """Invoice,Date,Customer,Currency,Amount FC,Exchange rate,Amount DC
INV-1,2024-01-10,Paid Media Ltd,GBP,1000.00,1.17,1170.00
INV-2,2024-02-10,Credit Suisse,CHF,2000.00,1.05,2100.00
INV-3,2024-03-10,Void Studios,EUR,500.00,1.00,500.00
INV-4,2024-04-10,Paid Media Ltd,EUR,300.00,1.00,300.00
"""


def test_an_amount_in_the_companys_currency_is_not_a_currency_mix(tmp_path):
    """'Amount DC' is in the company's own currency whatever the document's: the currency
    column beside it is not a mix to settle (the advice used to drop two of three currencies);
    the foreign amount beside it still is."""
    folder = _folder(tmp_path / "dc", EXACT, "  columns: {amount: Amount DC}\n")
    assert _per_client(folder) == {"Paid Media Ltd": 1_470_000_000, "Credit Suisse": 2_100_000_000,
                                   "Void Studios": 500_000_000}
    loaded = load_ledger(load_config(folder))
    assert "is in the company's own currency" in loaded.reading.to_text()
    _refused(_folder(tmp_path / "fc", EXACT, "  columns: {amount: Amount FC}\n"), "several currencies")


def test_reversed_invoices_are_not_billing(tmp_path):
    rows = ("Invoice Number,Client,Date,Status,Amount\nINV-1,Continued Care Ltd,2024-01-10,Paid,1000.00\n"
            "INV-2,Continued Care Ltd,2024-02-10,Reversed,400.00\nINV-3,Juniper & Co,2024-03-10,Sent,700.00\n")
    _refused(_folder(tmp_path / "a", rows), "'Reversed': 1 row")
    got = _per_client(_folder(tmp_path / "b", rows, "  exclude: {Status: [Reversed]}\n"))
    assert got == {"Continued Care Ltd": 1_000_000_000, "Juniper & Co": 700_000_000}


PASTEL = """Date,Customer Code,Customer Name,Type,Reference,Amount Excl,VAT,Amount Incl
2024/01/04,KAR001,Karoo Farming Co-op,Invoice,IN10001,R 6 854.55,R 1 028.18,R 7 882.73
2024/02/09,CAP001,Cape Point Marine,Invoice,IN10003,R 13 393.60,R 2 009.04,R 15 402.64
2024/02/28,CAP001,Cape Point Marine,Receipt,RC10003,-R 15 402.64,R 0.00,-R 15 402.64
2024/03/31,KAR001,Karoo Farming Co-op,Credit Note,CR10008,-R 1 251.00,-R 187.65,-R 1 438.65
"""


def test_rand_amounts_with_spaces_between_thousands(tmp_path):
    """Sage Pastel (South Africa) writes 'R 6 854.55' and '-R 15 402.64': the rand's R is a
    currency sign, the spaces group thousands (the file was refused: no amount read)."""
    extra = "  columns: {amount: Amount Excl}\n"
    _refused(_folder(tmp_path / "a", PASTEL, extra), "billing.exclude: {Type: ['Receipt']}")
    got = _per_client(_folder(tmp_path / "b", PASTEL, extra + "  exclude: {Type: ['Receipt']}\n"))
    assert got == {"Karoo Farming Co-op": 5_603_550_000, "Cape Point Marine": 13_393_600_000}


def test_salesforce_group_headings_name_the_account(tmp_path):
    """A Salesforce report grouped by account, saved from its printable view: each group's
    heading reads 'Account Name: Cobalt Mining Ltd (28 records)'; the client is the account."""
    rows = ("Account Name,Opportunity Name,Stage,Close Date,Amount\n"
            "Account Name: Cobalt Mining Ltd (2 records)\n,Cobalt - 1,Closed Won,2024-01-16,36329.30\n"
            ",Cobalt - 2,Closed Won,2024-02-16,1000.00\n"
            "Account Name: Continued Care Ltd (1 record)\n,Care - 1,Closed Won,2024-03-16,500.00\n")
    got = _per_client(_folder(tmp_path, rows))
    assert got == {"Cobalt Mining Ltd": 37_329_300_000, "Continued Care Ltd": 500_000_000}


SAGE_ACTIVITY = """Date: 02/01/2025,,Harbourside Consulting Ltd,,,,,,Page: 1
Time: 09:41:17,,Customer Activity (Detailed),,,,,,

Tran No.,Type,Date,Ref,Details,Value,O/S,Debit,Credit
A/C: CONTCARE,,Name: Continued Care Ltd,,,,Contact:,,Tel: 01632 960
1,SI,21/01/2024,10003,Consultancy services,13034.50,,13034.50,
2,SC,31/01/2024,10022,Credit - pricing adj.,271.40,,,271.40
3,SR,07/02/2024,BACS,Sales Receipt,12763.10,,,12763.10
,,,,Totals:,,0.00,13034.50,13034.50

A/C: TOTALWIN,,Name: Total Wine & More,,,,Contact: Ann Lee,,Tel: 01632 961
4,SI,15/03/2024,10016,Consultancy services,3246.80,,3246.80,
5,SA,04/04/2024,BACS,Payment on Account,500.00,,,500.00
6,SI,11/05/2024,10028,Consultancy services,9507.10,,9507.10,
,,,,Totals:,,12253.90,12753.90,500.00


,,,,Grand Totals:,,,,
"""


def test_sage_customer_activity(tmp_path):
    """Sage 50's 'Customer Activity (Detailed)': each customer on a row of labelled cells
    ('A/C: CODE', 'Name: X', 'Contact:', 'Tel:'), its transactions below typed SI (invoice),
    SC (credit note, written positive), SR/SA (receipts), then a 'Totals:' row."""
    _refused(_folder(tmp_path / "a", SAGE_ACTIVITY), "billing.exclude: {Type: ['SR', 'SA']}")
    _refused(_folder(tmp_path / "b", SAGE_ACTIVITY, "  exclude: {Type: ['SR', 'SA']}\n"),
             "billing.credits: {Type: ['SC']}")
    folder = _folder(tmp_path / "c", SAGE_ACTIVITY, "  exclude: {Type: ['SR', 'SA']}\n  credits: {Type: ['SC']}\n")
    assert _per_client(folder) == {"Continued Care Ltd": 12_763_100_000, "Total Wine & More": 12_753_900_000}
    text = load_ledger(load_config(folder)).reading.to_text()
    assert "2 rows written 'A/C: <code> ... Name: <name>'" in text


def test_hard_negatives_of_the_erp_rules(tmp_path):
    """SAP's pro forma invoices (F5, F8) are not billing and a company's own Z types keep
    the SAP rules; 'Amount in DC' (SAP: the document's currency) is still checked for a mix
    of currencies; 'Unbilled' and 'Unposted' are not billing; a general-ledger report grouped
    'Account: 4000 | Name: Consulting Revenue' and one such note above a ledger are no
    customer headings (Sage writes 'A/C:'); a Sage heading with the contact in a cell of its
    own is one."""
    sap = ("Billing Type,Billing Date,Name of payer,Net value\nF2,2024-01-10,Order of Malta,1000.00\n"
           "F8,2024-02-10,Order of Malta,500.00\nZF2,2024-03-10,R Group Ltd,700.00\nG2,2024-04-10,R Group Ltd,200.00\n")
    _refused(_folder(tmp_path / "sap", sap), "'F8': 1 row")
    got = _per_client(_folder(tmp_path / "sap2", sap, "  exclude: {Billing Type: [F8]}\n"
                                                      "  credits: {Billing Type: [G2]}\n"))
    assert got == {"Order of Malta": 1_000_000_000, "R Group Ltd": 500_000_000}
    dc = ("Date,Name of payer,Document Currency,Amount in DC\n2024-01-10,Alpha,EUR,1000.00\n"
          "2024-02-10,Beta,JPY,90000.00\n")
    _refused(_folder(tmp_path / "dc", dc, "  columns: {amount: Amount in DC}\n"), "several currencies")
    unbilled = "Date,Customer,Billing Status,Amount\n2024-01-10,Alpha,Billed,1000.00\n2024-02-10,Beta,Unbilled,500.00\n"
    _refused(_folder(tmp_path / "unbilled", unbilled), "'Unbilled': 1 row")
    gl = ("Ref,Date,Bill party,Amount\nAccount: 4000,Name: Consulting Revenue,,\nJ1,2024-01-10,Alpha,1000.00\n"
          "Account: 4100,Name: Licence Revenue,,\nJ2,2024-02-10,Beta,500.00\n")
    _refused(_folder(tmp_path / "gl", gl), "no column for the client")
    note = "Ref,Date,Bill party,Amount\nA/C: 1100,Name: Debtors Control,,\nJ1,2024-01-10,Alpha,1000.00\n"
    _refused(_folder(tmp_path / "note", note), "no column for the client")
    contact = SAGE_ACTIVITY.replace("Contact: Ann Lee,,Tel", "Contact:,Ann Lee,Tel")
    folder = _folder(tmp_path / "contact", contact, "  exclude: {Type: ['SR', 'SA']}\n  credits: {Type: ['SC']}\n")
    assert _per_client(folder) == {"Continued Care Ltd": 12_763_100_000, "Total Wine & More": 12_753_900_000}


def test_a_summary_sheet_read_first_names_the_other_sheets(tmp_path):
    """An accountant's workbook whose first sheet is a two-line summary: the refusal names the
    other sheets and billing.sheet; followed (with the total column), the figures are right."""
    import datetime as dt

    import openpyxl

    folder = tmp_path / "client"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Billing summary FY2024"])
    wb.active.append(["Clients", 2])
    ws = wb.create_sheet("Billing 2024")
    ws.append(["Client", "Account manager", *[dt.datetime(2024, m, 1) for m in range(1, 13)], "Total 2024"])
    ws.append(["Void Studios", "Tom", 100.0, 200.0, *[None] * 10, 300.0])
    ws.append(["Refund Solutions Inc", "Priya", 50.0, None, 25.0, *[None] * 9, 75.0])
    wb.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: Min\nas_of: 2025-01-01\nbilling:\n  file: billing.xlsx\n", encoding="utf-8")
    _refused(folder, "sheet 'Summary' was read", "'Billing 2024'", "billing.sheet: <its name>")
    (folder / "client.yml").write_text("client: Min\nas_of: 2025-01-01\nbilling:\n  file: billing.xlsx\n"
                                       "  sheet: Billing 2024\n  columns: {amount: Total 2024}\n", encoding="utf-8")
    assert _per_client(folder) == {"Void Studios": 300_000_000, "Refund Solutions Inc": 75_000_000}


def test_a_monthly_summary_dated_on_the_first_covers_its_last_month(tmp_path):
    """Billing kept per month, each month's row dated its first day ('Dec-24'): December's
    row stands for all of December, so the window is whole; a summary that stops in October
    still ends early."""
    from alms_toolkit.analysis.sanity import check_ledger

    def monthly(last: int) -> Path:
        rows = ["Month,Client,Amount"] + [f"{dt_text},{c},{100 + m}.00" for m in range(1, last + 1)
                                          for dt_text in [f"2024-{m:02d}-01"] for c in ("Acme Ltd", "Beta Inc")]
        return _folder(tmp_path / str(last), "\n".join(rows) + "\n", "  columns: {date: Month}\n")

    codes = {f.code for f in check_ledger(load_ledger(load_config(monthly(12))))}
    assert "short_window" not in codes
    codes = {f.code for f in check_ledger(load_ledger(load_config(monthly(10))))}
    assert "short_window" in codes


def test_a_currency_mix_beside_exchange_rates_says_how_to_use_them(tmp_path):
    """Invoices in several currencies with an exchange-rate column and no amount in the
    company's currency: the advice says to convert with the rates, and what keeping one
    currency would leave out."""
    rows = ("Date,Customer,Currency,Net,Exchange Rate to GBP\n2024-01-10,Atlas Freight,EUR,1000.00,0.85\n"
            "2024-02-10,Nordic Pulse,USD,500.00,0.79\n2024-03-10,Continued Care Ltd,GBP,700.00,1\n"
            "2024-04-10,Continued Care Ltd,GBP,300.00,1\n")
    _refused(_folder(tmp_path, rows), "exchange-rate column ('Exchange Rate to GBP')", "amount x rate",
             "keeps the 2 'GBP' rows and leaves out 2 rows in other currencies")


def test_a_day_book_total_that_counts_credit_notes_as_written(tmp_path):
    """Sage 50's Day Books: credit notes (SC) written positive, subtracted by billing.credits,
    and a last 'Totals:' row (its label in a column not read) that adds every amount as the
    file writes it: a total, not a row without a date (which made most of the money
    'excluded' and the audit refuse)."""
    rows = ("No,Type,Date,A/C,Details,Net Amt\n1,SI,05/01/2024,TOTALWIN,Retainer,1000.00\n"
            "2,SC,22/02/2024,TOTALWIN,Credit note,200.00\n3,SI,23/03/2024,VOIDSTUD,Retainer,3000.00\n"
            ",,,,Totals:,4200.00\n")
    folder = _folder(tmp_path, rows, "  columns: {amount: Net Amt, client: A/C}\n  credits: {Type: ['SC']}\n"
                                     "  exclude: {Type: []}\n")
    got, loaded = billing_per_client(folder)
    assert got == {"TOTALWIN": 800_000_000, "VOIDSTUD": 3_000_000_000}
    assert loaded.reconciliation.excluded["aggregate"].rows == 1
