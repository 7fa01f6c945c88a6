"""Shapes an independent review of issue 9 found printing a wrong figure or failing badly,
each with its true figures or the refusal (naming the setting) it must give. Small files
written byte for byte as the review built them; the corpus (tests/corpus) holds the rest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from alms_toolkit.analysis.sanity import check_ledger
from alms_toolkit.config import load_config
from alms_toolkit.errors import AlmsError
from alms_toolkit.io.ledger import load_ledger


def _client(tmp: Path, text: str, extra: str = "", name: str = "billing.csv") -> Path:
    folder = tmp / "client"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    _settings(folder, extra, name)
    return folder


def _settings(folder: Path, extra: str, name: str = "billing.csv") -> None:
    """client.yml of a test client: its billing file and ``extra`` lines under billing:."""
    (folder / "client.yml").write_text(f"client: Min\nas_of: 2025-01-01\nbilling:\n  file: {name}\n{extra}",
                                       encoding="utf-8")


def _refused(folder: Path, *needles: str) -> str:
    with pytest.raises(AlmsError) as info:
        load_ledger(load_config(folder))
    assert info.value.exit_code == 2
    message = str(info.value)
    for needle in needles:
        assert needle in message, (needle, message)
    return message


def _used(folder: Path) -> tuple[int, int]:
    r = load_ledger(load_config(folder)).reconciliation
    assert r.balances()
    return r.amount_used, r.n_distinct_clients


def test_a_dated_total_of_a_filtered_file_is_not_a_client(tmp_path):
    folder = _client(tmp_path, "Date,Customer,Sales Rep,Amount\n2024-02-01,Acme Corp,Ana,1000.00\n"
                               "2024-03-01,Globex Inc,Ben,2000.00\n2024-04-01,Hooli,Ana,1500.00\n"
                               "2024-05-01,Oscorp,Ben,500.00\n2024-12-31,TOTAL,,9999.00\n")
    _refused(folder, "row 6", "billing.not_totals", "billing.exclude")
    (folder / "client.yml").write_text(
        "client: Min\nas_of: 2025-01-01\nbilling: {file: billing.csv, exclude: {Customer: [TOTAL]}}\n", encoding="utf-8")
    assert _used(folder) == (5_000_000_000, 4)


def test_headings_of_another_column_are_groups_when_the_client_column_names_its_lines(tmp_path):
    folder = _client(tmp_path, ",Date,Num,Customer,Amount\nConsulting\n,01/15/2024,1001,Acme Corp,1000.00\n"
                               ",02/15/2024,1002,Globex Inc,2000.00\nTotal for Consulting,,,,3000.00\nHosting\n"
                               ",03/15/2024,1003,Hooli,500.00\n,04/15/2024,1004,Oscorp,700.00\n"
                               ",05/15/2024,1005,Acme Corp,300.00\nTotal for Hosting,,,,1500.00\nTOTAL,,,,4500.00\n",
                     "  columns: {client: Customer}\n")
    assert _used(folder) == (4_500_000_000, 4)


def test_payments_in_a_transaction_list_are_refused_even_with_credits_settled(tmp_path):
    folder = _client(tmp_path, "Date,Transaction Type,Num,Customer,Amount\n01/10/2024,Invoice,1001,Acme Corp,1000.00\n"
                               "02/09/2024,Payment,,Acme Corp,1000.00\n03/10/2024,Invoice,1002,Globex Inc,2000.00\n"
                               "04/09/2024,Payment,,Globex Inc,2000.00\n05/10/2024,Invoice,1003,Hooli,500.00\n"
                               "05/20/2024,Credit Memo,,Hooli,50.00\n",
                     "  credits: {Transaction Type: [Credit Memo]}\n")
    _refused(folder, "'Payment'", "billing.exclude: {Transaction Type: ['Payment']}")
    (folder / "client.yml").write_text(
        "client: Min\nas_of: 2025-01-01\nbilling: {file: billing.csv, credits: {Transaction Type: [Credit Memo]},"
        " exclude: {Transaction Type: [Payment]}}\n", encoding="utf-8")
    assert _used(folder) == (3_450_000_000, 3)


def test_an_invoice_total_repeated_on_every_line_is_refused(tmp_path):
    folder = _client(tmp_path, "Invoice #,Date,Customer,Product,Qty,Unit Price,Invoice Total\n"
                               "S1,2024-02-01,Acme Corp,A,1,100.00,300.00\nS1,2024-02-01,Acme Corp,B,1,200.00,300.00\n"
                               "S2,2024-03-01,Globex Inc,A,2,100.00,500.00\nS2,2024-03-01,Globex Inc,C,1,300.00,500.00\n"
                               "S3,2024-04-01,Hooli,A,1,100.00,250.00\nS3,2024-04-01,Hooli,D,1,150.00,250.00\n"
                               "S4,2024-05-01,Oscorp,B,1,200.00,200.00\n")
    _refused(folder, "'Invoice Total'", "same value on every line", "billing.columns.amount")


def test_trailing_rows_split_by_a_stray_comma_are_rows_not_notes(tmp_path):
    folder = _client(tmp_path, "Invoice Date,Customer,Sales Rep,Amount\n2024-02-01,Acme Corp,Ana,1000.00\n"
                               "2024-03-01,Globex Inc,Ben,2000.00\n2024-04-01,Hooli,Ana,1500.00\n"
                               "2024-11-05,Smith, Jones & Co,Ana,48000.00\n2024-12-12,Smith, Jones & Co,Ana,52000.00\n")
    _refused(folder, "more than the header's 4 columns", "rows 5, 6")


def test_an_unclosed_quote_is_refused_with_its_row(tmp_path):
    folder = _client(tmp_path, 'Invoice Date,Customer,Sales Rep,Amount\n2024-02-01,Acme Corp,Ana,1000.00\n'
                               '2024-03-01,Globex Inc,Ben,2000.00\n2024-04-01,"Hooli,Ana,1500.00\n'
                               '2024-05-01,Oscorp,Ben,700.00\n2024-06-01,Acme Corp,Ana,900.00\n'
                               '2024-07-01,Globex Inc,Ben,800.00\n')
    _refused(folder, "never closed", "row 4")


def test_an_unclosed_quote_in_a_long_file_is_refused_not_a_traceback(tmp_path):
    lines = ["Invoice Date,Customer,Amount"] + [f"2024-0{1 + i % 9}-1{i % 9},Client {i % 40},{100 + i}.00" for i in range(8000)]
    lines[20] = '2024-01-11,"Broken Client,123.00'
    _refused(_client(tmp_path, "\n".join(lines) + "\n"), "never closed")


def test_client_rows_dated_with_a_period_are_refused(tmp_path):
    folder = _client(tmp_path, "Date,Customer,Account Manager,Amount\n15/02/2024,Acme Corp,Ana,1000.00\n"
                               "20/03/2024,Globex Inc,Ben,2000.00\n14/04/2024,Hooli,Ana,1500.00\nQ2 2024,Oscorp,Ben,15000.00\n")
    _refused(folder, "'Q2 2024'", "billing.exclude: {Date: ['Q2 2024']}")


def test_sales_written_negative_are_refused_then_turned(tmp_path):
    folder = _client(tmp_path, "Date,Customer,Account,Amount\n2024-02-01,Acme Corp,4000 Sales,-1000.00\n"
                               "2024-03-01,Globex Inc,4000 Sales,-2000.00\n2024-04-01,Hooli,4000 Sales,-1500.00\n")
    findings = check_ledger(load_ledger(load_config(folder)))
    assert [f.code for f in findings] == ["no_spending"] and "billing.flip_sign: true" in findings[0].check
    (folder / "client.yml").write_text(
        "client: Min\nas_of: 2025-01-01\nbilling: {file: billing.csv, flip_sign: true}\n", encoding="utf-8")
    assert _used(folder) == (4_500_000_000, 3)


def test_two_currencies_are_refused(tmp_path):
    folder = _client(tmp_path, "Invoice Date,Customer,Currency,Amount\n2024-02-01,Acme Corp,USD,1000.00\n"
                               "2024-03-01,Globex Inc,EUR,2000.00\n2024-04-01,Hooli,JPY,15000\n")
    _refused(folder, "several currencies", "billing.exclude: {Currency: ['EUR', 'JPY']}")
    inside = _client(tmp_path / "b", "Date,Customer,Amount\n2024-02-01,Acme,USD 1000.00\n2024-03-01,Bolt,GBP 980.00\n")
    _refused(inside, "several currencies")


def test_a_workbook_named_csv_is_read_and_a_csv_named_xlsx_is_named(tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Invoice Date", "Customer", "Amount"])
    for i, c in enumerate(["Acme Corp", "Globex Inc", "Hooli"]):
        ws.append([dt.datetime(2024, i + 2, 1), c, 1000.0 * (i + 1)])
    wb.save(folder / "billing.csv")
    (folder / "client.yml").write_text("client: Min\nas_of: 2025-01-01\nbilling: billing.csv\n", encoding="utf-8")
    assert _used(folder) == (6_000_000_000, 3)
    renamed = _client(tmp_path / "b", "Date,Customer,Amount\n2024-02-01,Acme,10.00\n", name="billing.xlsx")
    _refused(renamed, "rename the file to .csv")


def test_a_records_count_footer_and_coded_credit_notes(tmp_path):
    folder = _client(tmp_path, "Invoice Date,Customer,Sales Rep,Amount\n2024-02-01,Acme Corp,Ana,1000.00\n"
                               "2024-03-01,Globex Inc,Ben,2000.00\n2024-04-01,Hooli,Ana,1500.00\n2024-12-31,Records:,,3\n")
    assert _used(folder) == (4_500_000_000, 3)
    crn = _client(tmp_path / "b", "Date,Doc Type,Doc No,Customer,Amount\n2024-02-01,INV,1,Acme Corp,1000.00\n"
                                  "2024-03-01,INV,2,Globex Inc,2000.00\n2024-03-05,CRN,3,Globex Inc,500.00\n"
                                  "2024-04-01,INV,4,Hooli,1500.00\n")
    _refused(crn, "billing.credits: {Doc Type: ['CRN']}")


def test_hard_negatives_named_like_totals_with_no_seller(tmp_path):
    folder = _client(tmp_path, "Date,Invoice No,Customer,Sales Rep,Product,Amount\n"
                               "2024-01-05,INV-1,Acme Corp,Ana,Licence,1200.00\n2024-01-06,,Sum Media Group,,,1200.00\n"
                               "2024-01-10,INV-2,Globex Inc,Ben,Licence,700.00\n"
                               "2024-12-01,,Total Quality Logistics,,,2500.00\n2024-12-02,INV-9,Hooli,Ana,Retainer,2500.00\n")
    assert _used(folder) == (8_100_000_000, 5)


def test_names_that_change_within_one_client_id_are_not_the_client(tmp_path):
    rows = "".join(f"2024-0{1 + i % 9}-10,C-{100 + i % 5},{['Training', 'Support', 'Hosting'][i % 3]},{100 + i}.00\n"
                   for i in range(30))
    folder = _client(tmp_path, "Date,Customer ID,Name,Amount\n" + rows)
    _refused(folder, "changes within one client id", "billing.columns.client: 'Customer ID'")


def test_amounts_in_thousands_and_gross_totals_are_refused_then_read(tmp_path):
    folder = _client(tmp_path, "Date,Customer,Revenue (USD 000)\n2024-02-01,Acme,12.5\n2024-03-01,Bolt,7.25\n")
    _refused(folder, "billing.amount_unit: 1000")
    (folder / "client.yml").write_text(
        "client: Min\nas_of: 2025-01-01\nbilling: {file: billing.csv, amount_unit: 1000}\n", encoding="utf-8")
    assert _used(folder) == (19_750_000_000, 2)
    gross = _client(tmp_path / "b", "Date,Customer,VAT,Total\n2024-02-01,Acme,20.00,120.00\n2024-03-01,Bolt,10.00,60.00\n")
    _refused(gross, "gross total", "billing.columns.amount: 'Total'")


def test_a_stage_column_found_by_its_values(tmp_path):
    folder = _client(tmp_path, "Close Date,Account Name,Phase,Amount\n2024-02-01,Acme,Closed Won,1000.00\n"
                               "2024-03-01,Bolt,Closed Lost,500.00\n2024-04-01,Cyan,Closed Won,700.00\n")
    _refused(folder, "billing.exclude: {Phase: ['Closed Lost']}")


def test_a_heading_row_that_states_its_clients_total(tmp_path):
    folder = _client(tmp_path, "Customer,Date,Amount\nAcme Corp,,300.00\n,2024-02-01,100.00\n,2024-03-01,200.00\n"
                               "Bolt Ltd,,50.00\n,2024-04-01,20.00\n,2024-05-01,30.00\nCyan AG,,70.00\n,2024-06-01,70.00\n")
    assert _used(folder) == (420_000_000, 3)


def test_swiss_apostrophes_and_a_thousands_setting(tmp_path):
    folder = _client(tmp_path, "Datum;Kunde;Betrag\n15.01.2024;Acme;1\u2019234.50\n16.01.2024;Bolt;CHF 2'000.00\n")
    assert _used(folder) == (3_234_500_000, 2)
    whole = _client(tmp_path / "b", "Date,Customer,Amount\n2024-01-15,Acme,\"1,500\"\n2024-01-16,Bolt,\"2,250\"\n",
                    '  thousands: ","\n')
    assert _used(whole) == (3_750_000_000, 2)


def test_the_rows_of_a_currency_refusal_are_those_to_leave_out(tmp_path):
    """Many USD rows and one EUR row: the refusal names the EUR row (the one the advised
    billing.exclude leaves out), not the first USD rows; in the amounts themselves too."""
    from alms_toolkit.errors import DataValidationError

    rows = "".join(f"2024-0{1 + i % 6}-1{i % 9},Client {i % 5},USD,{100 + i}.00\n" for i in range(12))
    folder = _client(tmp_path, "Invoice Date,Customer,Currency,Amount\n" + rows + "2024-05-20,Total Wine & More,EUR,500.00\n")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    assert refused.value.problems[0].rows == (14,) and refused.value.problems[0].n_rows == 1
    assert "billing.exclude: {Currency: ['EUR']}" in str(refused.value)
    marked = "".join(f"2024-0{1 + i % 6}-1{i % 9},Client {i % 5},${100 + i}.00\n" for i in range(6))
    inside = _client(tmp_path / "b", "Date,Customer,Amount\n" + marked + "2024-05-20,Bolt,EUR 980.00\n")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(inside))
    assert refused.value.problems[0].rows == (8,)


def test_amount_texts_that_may_carry_a_currency_are_screened_exactly():
    """The screen that spares building the amount cells' codes: any capital letter or currency
    sign among the distinct texts may be a marker; plain numbers (any locale) never are."""
    import pyarrow as pa

    from alms_toolkit.io.statuses import may_carry_currency

    assert not may_carry_currency(pa.array([], type=pa.string()))
    assert not may_carry_currency(pa.array(["1200.00", "-3,5", "(40.00)", "1 234,50", "7'000.00", "12-"]))
    for marked in ("USD 10.00", "10,00 €", "£5", "¥300", "₹90", "$1.00", "1e3", "10.00 CHF"):
        assert may_carry_currency(pa.array(["1.00", marked])) == (marked != "1e3"), marked


def test_payment_processor_and_shop_statuses_that_are_not_billing(tmp_path):
    """Stripe's failed and refunded charges, Shopify's voided and refunded orders (in its
    'Financial Status' column), WooCommerce's pending payments: refused, naming them; with the
    advice followed the figures are the paid ones. Clients named like statuses stay clients."""
    stripe = _client(tmp_path / "stripe", "Created (UTC),Amount,Currency,Status,Customer Description\n"
                     "2024-01-05 14:01:22,1500.00,usd,Paid,Refund Solutions Inc\n"
                     "2024-03-05 14:03:22,1500.00,usd,Failed,Refund Solutions Inc\n"
                     "2024-04-05 10:00:00,900.00,usd,Paid,Void Studios\n"
                     "2024-05-05 10:00:00,800.00,usd,Refunded,Void Studios\n"
                     "2024-06-05 10:00:00,450.00,usd,Paid,Total Wine & More\n",
                     "  columns: {client: Customer Description}\n")
    _refused(stripe, "'Failed': 1 row, $1,500.00", "'Refunded': 1 row, $800.00",
             "billing.exclude: {Status: ['Failed', 'Refunded']}", "refunded charges")
    _settings(stripe, "  columns: {client: Customer Description}\n"
        "  exclude: {Status: [Failed, Refunded]}\n")
    assert _used(stripe) == (2_850_000_000, 3)
    shop = _client(tmp_path / "shop", "Name,Created at,Financial Status,Billing Company,Subtotal\n"
                   "#1001,2024-02-01 10:00:00 -0500,paid,Acme Hospitality,825.00\n"
                   "#1003,2024-03-01 10:00:00 -0500,voided,Acme Hospitality,999.00\n"
                   "#1004,2024-04-01 10:00:00 -0500,refunded,Total Wine & More,360.00\n"
                   "#1005,2024-05-01 10:00:00 -0500,pending payment,Bluebird Cafe,120.00\n",
                   "  columns: {client: Billing Company, amount: Subtotal, date: Created at}\n")
    _refused(shop, "column 'Financial Status'", "['voided', 'refunded', 'pending payment']",
             "'pending payment': in a shop's orders, an order not yet paid")


def test_transaction_types_that_are_not_sales_nor_credits(tmp_path):
    """NetSuite's opportunities and return authorisations (the credit memo that follows is the
    credit: the authorisation is not subtracted a second time), Business Central's finance
    charge memos and reminders: refused as not sales; a return authorisation is never offered
    as a credit (billing.credits)."""
    netsuite = _client(tmp_path / "ns", "Date,Type,Document Number,Name,Amount\n"
                       "1/15/2024,Invoice,INV101,C1042 Acme Corp,3650.00\n"
                       "2/02/2024,Return Authorization,RMA12,C1042 Acme Corp,-400.00\n"
                       "2/09/2024,Credit Memo,CM33,C1042 Acme Corp,-400.00\n"
                       "3/11/2024,Opportunity,OPP7,C1133 Greenleaf Partners,25000.00\n"
                       "4/18/2024,Invoice,INV102,C1133 Greenleaf Partners,2620.00\n")
    message = _refused(netsuite, "billing.exclude: {Type: [", "'Opportunity'", "'Return Authorization'")
    assert "billing.credits" not in message
    _settings(netsuite, "  exclude: {Type: [Opportunity, Return Authorization]}\n")
    assert _used(netsuite) == (5_870_000_000, 2)
    bc = _client(tmp_path / "bc", "Posting Date,Document Type,Document No.,Customer Name,Sales (LCY)\n"
                 "2024-01-10,Invoice,103001,Adatum Corporation,6500.00\n"
                 "2024-02-10,Finance Charge Memo,FC1001,Adatum Corporation,45.00\n"
                 "2024-03-10,Reminder,R1001,Trey Research,15.00\n2024-04-10,Invoice,103002,Trey Research,6000.00\n")
    _refused(bc, "billing.exclude: {Document Type: ['Finance Charge Memo', 'Reminder']}")


def test_fill_down_takes_a_client_named_on_a_line_without_an_amount(tmp_path):
    """Sage 50's Customer Ledgers name a client on its first line only, and for a client with an
    opening balance that line is 'Balance Fwd', with no sale: the lines below are that client's,
    not the client's above (Chapman's 5,575.00 read as 15,525.00, Aldred's 9,950.00 missing)."""
    text = ('"Demo Company, Inc."\nCustomer Ledgers\n"For the Period From Jan 1, 2024 to Dec 31, 2024"\n'
            "Customer ID,Customer,Date,Trans No,Type,Debit Amt,Balance\n"
            'CHAPMAN,Chapman Kitchens,2/8/24,10309,SJ,"1,875.00","1,875.00"\n'
            ',,8/22/24,10355,SJ,"2,940.00","2,940.00"\n,,12/19/24,10401,SJ,760.00,"3,700.00"\n'
            'ALDRED,Aldred Builders,1/1/24,Balance Fwd,,,"1,200.00"\n'
            ',,1/15/24,10301,SJ,"4,250.00","5,450.00"\n,,3/12/24,10318,SJ,"2,100.00","6,350.00"\n'
            ',,11/14/24,10390,SJ,"3,600.00","3,600.00"\n'
            'TOTALWINE,Total Wine & More,5/6/24,10332,SJ,"5,500.00","5,500.00"\n,,9/6/24,10360,SJ,"5,500.00","5,500.00"\n')
    folder = _client(tmp_path, text, "  columns: {amount: Debit Amt}\n  fill_down: [client, client_id]\n")
    loaded = load_ledger(load_config(folder))
    used = loaded.ledger.groupby("client")["amount"].sum().to_dict()
    assert used == {"Chapman Kitchens": 5_575_000_000, "Aldred Builders": 9_950_000_000,
                    "Total Wine & More": 11_000_000_000}
    assert loaded.ledger.groupby("client")["client_id"].first().to_dict() == {
        "Aldred Builders": "ALDRED", "Chapman Kitchens": "CHAPMAN", "Total Wine & More": "TOTALWINE"}


def test_erp_invoice_exports_name_their_columns_or_are_refused(tmp_path):
    """Odoo: 'Invoice/Bill Date' is the invoice's date (not the due date beside it), 'Partner' a
    client column as likely as 'Company' (the seller's own companies: refused, not chosen), the
    untaxed amount the net; a date column whose name is not known beside a due date: refused.
    Dynamics 365: 'Total Amount' with 'Total Tax' beside it is a gross total: refused."""
    odoo = ("Number,Partner,Invoice/Bill Date,Due Date,Company,Untaxed Amount Signed,Tax Signed,Total Signed\n"
            "INV/2023/00112,Gemini Furniture,2023-12-11,2024-01-10,YourCompany,900.00,135.00,1035.00\n"
            "INV/2024/00001,Deco Addict,2024-01-18,2024-02-17,YourCompany,1500.00,225.00,1725.00\n"
            "INV/2024/00002,Azure Interior,2024-03-05,2024-04-04,My Company (Chicago),2400.00,360.00,2760.00\n"
            "INV/2024/00003,Gemini Furniture,2024-12-19,2025-01-18,YourCompany,700.00,105.00,805.00\n")
    folder = _client(tmp_path / "odoo", odoo)
    _refused(folder, "the client could be in column 'Partner'", "or 'Company'")
    (folder / "client.yml").write_text(
        "client: Min\nas_of: 2025-01-01\nbilling: {file: billing.csv, columns: {client: Partner}}\n", encoding="utf-8")
    loaded = load_ledger(load_config(folder))
    assert loaded.reading is not None and [c.header for c in loaded.reading.columns if c.field in ("date", "amount")] == [
        "Invoice/Bill Date", "Untaxed Amount Signed"]
    assert _used(folder) == (4_600_000_000, 3)  # the 2023-12-11 invoice is before the window
    unknown = _client(tmp_path / "unknown", odoo.replace("Invoice/Bill Date", "Facturado el"), "  columns: {client: Partner}\n")
    _refused(unknown, "the date could be in column 'Facturado el'", "or 'Due Date'")
    d365 = _client(tmp_path / "d365", "Invoice ID,Customer,Status,Total Pre-Freight Amount,Freight Amount,Total Tax,"
                   "Total Amount,Created On\nINV-1,Contoso,Paid,\"$11,500.00\",$150.00,$690.00,\"$12,340.00\",1/17/2024 9:02 AM\n"
                   "INV-2,Fabrikam,Paid,\"$8,000.00\",$0.00,$480.00,\"$8,480.00\",3/11/2024 9:01 AM\n")
    _refused(d365, "'Total Amount' is a gross total ('Total Tax' beside it)")


def test_a_blank_currency_cell_beside_written_ones_is_refused(tmp_path):
    """Business Central leaves 'Currency Code' blank on invoices in the company's own currency:
    blank beside EUR is two currencies (EUR 6,000 was added to the GBP billing); the advice keeps
    the blank ones, and followed it gives the local-currency billing."""
    text = ("Posting Date,No.,Sell-to Customer Name,Currency Code,Amount\n"
            "2024-01-10,103001,Adatum Corporation,,6500.00\n2024-02-10,103002,Trey Research,EUR,3000.00\n"
            "2024-03-10,103003,Trey Research,,4000.00\n2024-04-10,103004,Trey Research,EUR,3000.00\n"
            "2024-05-10,103005,Total Wine & More,,900.00\n")
    folder = _client(tmp_path, text)
    _refused(folder, "'(blank)': 3 rows", "'EUR': 2 rows", "the company's own currency",
             "billing.exclude: {Currency Code: ['EUR']}")
    (folder / "client.yml").write_text(
        "client: Min\nas_of: 2025-01-01\nbilling: {file: billing.csv, exclude: {Currency Code: [EUR]}}\n", encoding="utf-8")
    assert _used(folder) == (11_400_000_000, 3)


def test_order_numbers_are_not_clients(tmp_path):
    """Shopify's orders export writes the order number ('#1001') in its 'Name' column: never the
    client (each order was a client of its own); its 'Billing Company' is. A column of invoice
    numbers alone is refused, not read as clients."""
    shop = _client(tmp_path / "shop", "Name,Email,Financial Status,Subtotal,Created at,Billing Name,Billing Company\n"
                   "#1001,ana@acme.com,paid,825.00,2024-02-01 10:00:00 -0500,Ana Ruiz,Acme Hospitality\n"
                   "#1002,bo@acme.com,paid,175.00,2024-03-01 10:00:00 -0500,Bo Li,Acme Hospitality\n"
                   "#1003,cy@twm.com,paid,380.00,2024-04-01 10:00:00 -0500,Cy Park,Total Wine & More\n"
                   "#1004,di@blue.com,paid,330.00,2024-05-01 10:00:00 -0500,Di Moss,Bluebird Cafe Group\n")
    loaded = load_ledger(load_config(shop))
    assert loaded.reading is not None
    assert next(c.header for c in loaded.reading.columns if c.field == "client") == "Billing Company"
    assert _used(shop) == (1_710_000_000, 3)
    numbers = _client(tmp_path / "numbers", "Date,Name,Amount\n2024-02-01,INV-0042,100.00\n2024-03-01,INV-0043,200.00\n"
                      "2024-04-01,INV-0044,300.00\n")
    _refused(numbers, "no column for the client")


def test_a_grouped_ledger_whose_first_line_has_no_amount_is_refused_naming_fill_down(tmp_path):
    """Sage 50's Customer Ledgers: each client named on its first line only, which for a client
    with an opening balance is 'Balance Fwd' (no sale). The blank client cells are refused
    naming billing.fill_down (it was 'most of the ledger is left out', with advice about
    columns and decimals); followed, every line has its client."""
    text = ("Customer ID,Customer,Date,Trans No,Type,Debit Amt,Balance\n"
            'ALDRED,Aldred Builders,1/1/24,Balance Fwd,,,"1,200.00"\n,,1/15/24,10301,SJ,"4,250.00","5,450.00"\n'
            ',,3/12/24,10318,SJ,"2,100.00","6,350.00"\n,,11/14/24,10390,SJ,"3,600.00","3,600.00"\n'
            'CHAPMAN,Chapman Kitchens,2/8/24,10309,SJ,"1,875.00","1,875.00"\n,,8/22/24,10355,SJ,"2,940.00","2,940.00"\n'
            'TOTALWINE,Total Wine & More,5/6/24,10332,SJ,"5,500.00","5,500.00"\n,,9/6/24,10360,SJ,"5,500.00","5,500.00"\n')
    folder = _client(tmp_path, text, "  columns: {amount: Debit Amt}\n")
    _refused(folder, "the file looks grouped", "billing.fill_down: [client]")
    _settings(folder, "  columns: {amount: Debit Amt}\n  fill_down: [client]\n")
    assert _used(folder) == (25_765_000_000, 3)


SAGE_LEDGER = ("Customer ID,Customer,Date,Trans No,Type,Debit Amt,Credit Amt,Balance\n"
               'ALDRED,Aldred Builders,1/1/24,Balance Fwd,,,,"1,200.00"\n,,1/15/24,10301,SJ,"4,250.00",,"5,450.00"\n'
               ',,1/30/24,CC0012,CRJ,,"1,200.00","4,250.00"\n,,3/12/24,10318,SJ,"2,100.00",,"6,350.00"\n'
               ',,3/20/24,CM10318,SJ,,300.00,"6,050.00"\n,,4/2/24,4471,CRJ,,"6,050.00",0.00\n'
               ',,11/14/24,10390,SJ,"3,600.00",,"3,600.00"\n'
               'CHAPMAN,Chapman Kitchens,2/8/24,10309,SJ,"1,875.00",,"1,875.00"\n,,3/1/24,2231,CRJ,,"1,875.00",0.00\n'
               ',,8/22/24,10355,SJ,"2,940.00",,"2,940.00"\n'
               'TOTALWINE,Total Wine & More,5/6/24,10332,SJ,"5,500.00",,"5,500.00"\n,,9/6/24,10360,SJ,"5,500.00",,"5,500.00"\n')


def test_debits_and_credits_in_two_columns(tmp_path):
    """A customer ledger writing debits and credits in two columns (Sage 50): the amount of
    debits alone is refused (credit memo CM10318, 300.00, would not be taken off) naming
    billing.columns.credit; with it, each line is its debit less its credit, the receipts (CRJ)
    are refused as not sales, and the billing is exact: Aldred 9,650.00, Chapman 4,815.00,
    Total Wine & More 11,000.00."""
    folder = _client(tmp_path, SAGE_LEDGER)
    _refused(folder, "no column for the amount", "billing.columns: {amount: 'Debit Amt', credit: 'Credit Amt'}")
    base = "client: Min\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  fill_down: [client]\n"
    (folder / "client.yml").write_text(base + "  columns: {amount: Debit Amt}\n", encoding="utf-8")
    _refused(folder, "'Debit Amt' holds debits and column 'Credit Amt' beside it credits",
             "billing.columns: {amount: 'Debit Amt', credit: 'Credit Amt'}")
    (folder / "client.yml").write_text(base + "  columns: {amount: Debit Amt, credit: Credit Amt}\n", encoding="utf-8")
    _refused(folder, "billing.exclude: {Type: ['CRJ']}")
    (folder / "client.yml").write_text(
        base + "  columns: {amount: Debit Amt, credit: Credit Amt}\n  exclude: {Type: [CRJ]}\n", encoding="utf-8")
    loaded = load_ledger(load_config(folder))
    assert loaded.ledger.groupby("client")["amount"].sum().to_dict() == {
        "Aldred Builders": 9_650_000_000, "Chapman Kitchens": 4_815_000_000, "Total Wine & More": 11_000_000_000}
    assert loaded.reading is not None and any("less 'Credit Amt'" in n for n in loaded.reading.fills)


def test_refunds_written_beside_the_amount_are_taken_off(tmp_path):
    """Stripe's charges export writes a partial refund in 'Amount Refunded' beside the charge's
    'Amount': refused until billing.columns.credit reads it; rows left out by billing.exclude
    (failed charges) are not counted in the refusal. Refund Solutions Inc: 1,500.00 + 1,500.00
    - 500.00 refunded = 2,500.00."""
    folder = _client(tmp_path, "Created (UTC),Amount,Amount Refunded,Status,Customer\n"
                     "2024-01-05 14:01:22,1500.00,0.00,Paid,Refund Solutions Inc\n"
                     "2024-03-05 14:03:22,1500.00,0.00,Failed,Refund Solutions Inc\n"
                     "2024-07-05 14:08:22,1500.00,500.00,Paid,Refund Solutions Inc\n"
                     "2024-08-05 10:00:00,900.00,0.00,Paid,Total Wine & More\n",
                     "  exclude: {Status: [Failed]}\n")
    _refused(folder, "column 'Amount Refunded' holds refunds on 1 line with an amount ($500.00)",
             "billing.columns: {amount: 'Amount', credit: 'Amount Refunded'}")
    _settings(folder, "  exclude: {Status: [Failed]}\n"
        "  columns: {amount: Amount, credit: Amount Refunded}\n")
    loaded = load_ledger(load_config(folder))
    assert loaded.ledger.groupby("client")["amount"].sum().to_dict() == {
        "Refund Solutions Inc": 2_500_000_000, "Total Wine & More": 900_000_000}


def test_equally_named_amounts_say_which_includes_tax(tmp_path):
    """Business Central's Customer Ledger Entries: 'Amount' and 'Amount (LCY)' include VAT and
    'Sales (LCY)' is the net sale (0 on payments). The refusal says which includes tax and offers
    the net one as its example (following the first one offered counted VAT as sales)."""
    rows = "".join(f"2024-{m:02d}-10,Invoice,10{m:02d},Adatum Corporation,{v * 1.2:.2f},{v * 1.2:.2f},{v:.2f}\n"
                   for m, v in ((1, 4200), (3, 2800), (5, 1000), (7, 3500), (9, 900)))
    folder = _client(tmp_path, "Posting Date,Document Type,Document No.,Customer Name,Amount,Amount (LCY),Sales (LCY)\n"
                     + rows + "2024-02-09,Payment,2406,Adatum Corporation,-5040.00,-5040.00,0.00\n")
    message = _refused(folder, "'Amount' (", "plus about 20% on most rows: it includes tax", "net of that tax",
                       "(for example  amount: 'Sales (LCY)')")
    assert "'Sales (LCY)' plus" in message


def test_myob_item_sales_letters_and_its_net_total(tmp_path):
    """MYOB's item sales export: 'Sale Status' writes I(nvoice), Q(uote), O(rder): quotes and
    orders are refused as not billing; its 'Total' is net, since 'Inc-Tax Total' is beside it
    (not refused as a gross total); followed, the invoices alone: Bondi 1,200.00, Koala 1,430.00."""
    text = ("Co./Last Name,Date,Invoice #,Sale Status,Total,GST Amount,Inc-Tax Total,Tax Code\n"
            "Bondi Surf Co,2024-02-01,00001,I,1200.00,120.00,1320.00,GST\n"
            "Bondi Surf Co,2024-03-01,00002,Q,3000.00,300.00,3300.00,GST\n"
            "Koala Constructions,2024-04-01,00003,I,1430.00,143.00,1573.00,GST\n"
            "Koala Constructions,2024-05-01,00004,O,2250.00,225.00,2475.00,GST\n")
    folder = _client(tmp_path, text, "  columns: {client: Co./Last Name}\n")
    _refused(folder, "column 'Sale Status'", "'Q'", "'O'")
    _settings(folder, "  columns: {client: Co./Last Name}\n"
        "  exclude: {Sale Status: [Q, O]}\n")
    assert _used(folder) == (2_630_000_000, 2)


@pytest.mark.parametrize(("header", "cells"), [
    ("VAT Number", ["GB123456789"] * 4),           # a tax column that holds no money
    ("Prices Including VAT", ["Yes", "No", "Yes", "No"]),  # a flag, not a gross column
])
def test_tax_columns_that_hold_no_money(tmp_path, header, cells):
    """Found by a review of this session's wider tax words: a 'VAT Number' is no tax amount (a
    file read right was refused as gross); a Yes/No 'Prices Including VAT' flag does not make
    'Total Amount' the net (it silently switched off the gross refusal beside 'VAT')."""
    rows = "".join(f"2024-0{i + 1}-10,Client {i},{c},{1000 * (i + 1)}.00,{200 * (i + 1)}.00\n" for i, c in enumerate(cells))
    folder = _client(tmp_path, f"Date,Customer,{header},Total Amount,VAT\n" + rows)
    _refused(folder, "'Total Amount' is a gross total ('VAT' beside it)")
    plain = _client(tmp_path / "plain", f"Date,Customer,{header},Total\n" + "".join(
        f"2024-0{i + 1}-10,Client {i},{c},{1000 * (i + 1)}.00\n" for i, c in enumerate(cells)))
    if header == "VAT Number":
        assert _used(plain) == (10_000_000_000, 4)


def test_review_hard_negatives_of_the_new_reading_rules(tmp_path):
    """A note row between a client's lines is no value for fill_down; 'Credit Limit' and
    'Credit Terms' are no credit columns, nor a 0/1 'Refunded' flag a refund; a 'Partially
    Refunded' invoice is billed; customer numbers like '#1001' in a
    'Customer' column are clients; a free-text 'Customer Description' is no client name."""
    note = _client(tmp_path / "note", "Date,Customer,Invoice,Amount\n2024-01-10,Acme Ltd,1001,1000.00\n"
                   "2024-02-10,,1002,2000.00\n,Continued on next page,,\n2024-03-10,,1003,3000.00\n"
                   "2024-05-10,Gamma Co,1004,1500.00\n2024-06-10,Delta plc,1005,1200.00\n"
                   "2024-07-10,Eps GmbH,1006,900.00\n", "  fill_down: [client]\n")
    assert load_ledger(load_config(note)).ledger.groupby("client")["amount"].sum().to_dict() == {
        "Acme Ltd": 6_000_000_000, "Gamma Co": 1_500_000_000, "Delta plc": 1_200_000_000, "Eps GmbH": 900_000_000}
    terms = _client(tmp_path / "terms", "Date,Customer,Credit Limit,Credit Terms,Debit,Refunded\n"
                    "2024-01-10,Acme Ltd,5000.00,30,1000.00,0\n2024-02-10,Beta Inc,8000.00,60,2000.00,1\n"
                    "2024-03-10,Cyan AG,1000.00,14,3000.00,0\n", "  columns: {amount: Debit}\n")
    assert _used(terms) == (6_000_000_000, 3)
    billed = _client(tmp_path / "billed", "Date,Customer,Status,Amount\n2024-01-10,Acme Ltd,Paid,1000.00\n"
                     "2024-02-10,Beta Inc,Partially Refunded,800.00\n2024-03-10,Cyan AG,Paid,700.00\n")
    assert _used(billed) == (2_500_000_000, 3)
    numbers = _client(tmp_path / "numbers", "Date,Customer,Amount\n2024-01-10,#1001,1000.00\n"
                      "2024-02-10,#1002,2000.00\n2024-03-10,#1003,3000.00\n")
    assert _used(numbers) == (6_000_000_000, 3)
    described = _client(tmp_path / "described", "Date,Customer Email,Customer Description,Amount\n"
                        "2024-01-10,a@acme.com,Annual plan,1000.00\n2024-02-10,b@beta.com,Annual plan,2000.00\n")
    _refused(described, "no column for the client")
