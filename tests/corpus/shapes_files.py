"""Encodings and containers (UTF-16 "Unicode Text", cp1252, UTF-8 with BOM, Mac Roman
with CR line ends, gzip, quoted newlines, blank lines, other delimiters), and files that
are not a readable ledger at all (ODS, old XLS, zip, PDF, HTML or XML saved as .xls,
random bytes): those are refused with a message saying what the file is and what to do."""

from __future__ import annotations

import zipfile
from pathlib import Path

from corpus.data import ACCENTED, AS_OF, CLIENTS, gen_lines, rng_for
from corpus.model import Refusal, Truth, shape, truth_of, write_client_yml
from corpus.writers import (
    csv_text,
    iso,
    num,
    us_date,
    us_date0,
    write_csv,
    write_ods,
    write_ole2_xls,
    write_pdf,
)

FAMILY = "encodings"
NOT_LEDGER = "not_a_ledger"
FIX = r"\bcsv\b|xlsx"


def _rows(lines, date=us_date):
    rows = [["Date", "Customer", "Invoice", "Amount", "Sales Rep"]]
    rows += [[date(ln.date), ln.client, ln.invoice, num(ln.amount), ln.seller] for ln in lines]
    return rows


@shape(FAMILY)
def utf16_unicode_text_txt(folder: Path) -> Truth:
    """Excel "Save As > Unicode Text (*.txt)": UTF-16 LE with BOM, tab-separated, CRLF, values as displayed, non-Latin names (日本, Łódź)."""
    lines = gen_lines(rng_for("utf16_unicode_text_txt"),
                      clients=CLIENTS[:5] + ACCENTED[:2] + ("株式会社サンプル商事", "Łódź Logistyka Sp. z o.o."))
    write_csv(folder / "billing.txt", _rows(lines), delimiter="\t", encoding="utf-16-le", bom=True)
    write_client_yml(folder, "billing.txt", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def cp1252_accented_csv(folder: Path) -> Truth:
    """Windows Excel "CSV (Comma delimited)": cp1252 (ANSI) bytes for Café Noël, Müller & Söhne, Société Générale, Ñandú..."""
    lines = gen_lines(rng_for("cp1252_accented_csv"), clients=CLIENTS[:3] + ACCENTED)
    write_csv(folder / "billing.csv", _rows(lines), encoding="cp1252")
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def utf8_bom_csv(folder: Path) -> Truth:
    """Excel "CSV UTF-8 (Comma delimited)": a UTF-8 byte-order mark before the header, CRLF, accented and CJK names."""
    lines = gen_lines(rng_for("utf8_bom_csv"), clients=CLIENTS[:4] + ACCENTED[2:6] + ("北京贸易有限公司",))
    write_csv(folder / "billing.csv", _rows(lines), encoding="utf-8", bom=True)
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def csv_gz_warehouse_export(folder: Path) -> Truth:
    """A data-warehouse export (BigQuery/Redshift UNLOAD) delivered as billing.csv.gz: gzip, UTF-8, LF, ISO dates, plain decimals."""
    lines = gen_lines(rng_for("csv_gz_warehouse_export"), clients=CLIENTS[:10], n=60)
    rows = [["invoice_date", "customer_name", "seller", "amount"]]
    rows += [[iso(ln.date), ln.client, ln.seller, str(ln.amount)] for ln in lines]
    write_csv(folder / "billing.csv.gz", rows, newline="\n", gz=True)
    write_client_yml(folder, "billing.csv.gz", as_of=AS_OF, columns={"client": "customer_name", "date": "invoice_date"})
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def mac_roman_cr_csv(folder: Path) -> Truth:
    """Excel for Mac "CSV (Macintosh)": Mac Roman bytes and bare CR line ends, read with billing.encoding: mac_roman."""
    lines = gen_lines(rng_for("mac_roman_cr_csv"), clients=CLIENTS[:5] + ACCENTED[:3])
    write_csv(folder / "billing.csv", _rows(lines), encoding="mac_roman", newline="\r")
    write_client_yml(folder, "billing.csv", as_of=AS_OF, encoding="mac_roman")
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def quoted_newlines_memo_csv(folder: Path) -> Truth:
    """A CRM/accounting export with a multi-line quoted Memo column (line breaks, embedded "quotes" and commas inside)."""
    lines = gen_lines(rng_for("quoted_newlines_memo_csv"), clients=CLIENTS[:8])
    rows = [["Date", "Customer", "Memo", "Amount"]]
    for i, ln in enumerate(lines):
        memo = f'PO 4471-{i}\nShip to: "Dock 3", Building B\r\nNet 30' if i % 3 == 0 else "Monthly fee"
        rows.append([us_date0(ln.date), ln.client, memo, num(ln.amount)])
    write_csv(folder / "invoices.csv", rows)
    write_client_yml(folder, "invoices.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def blank_lines_between_rows_csv(folder: Path) -> Truth:
    """A hand-edited CSV with empty lines and ",,,," lines between groups of rows (and at the end)."""
    lines = gen_lines(rng_for("blank_lines_between_rows_csv"), clients=CLIENTS[:8])
    rows = [["Date", "Customer", "Amount", "Rep"]]
    for i, ln in enumerate(lines):
        rows.append([us_date0(ln.date), ln.client, num(ln.amount), ln.seller])
        if i % 7 == 6:
            rows.append([] if i % 2 else [None, None, None, None])
    rows += [[], [None, None, None, None]]
    write_csv(folder / "billing.csv", rows)
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def pipe_delimited_txt(folder: Path) -> Truth:
    """A legacy ERP flat file: pipe-delimited .txt, fields padded to fixed widths, LF line ends, yyyymmdd dates, credits with a trailing minus."""
    lines = gen_lines(rng_for("pipe_delimited_txt"), clients=CLIENTS[:9])
    rows = [["INV_DATE", "CUSTOMER                      ", "INVOICE", "  NET_AMOUNT"]]
    rows += [[ln.date.strftime("%Y%m%d"), ln.client.upper().ljust(30), ln.invoice.rjust(7),
              num(ln.amount, thou=None, neg="trailing").rjust(12)] for ln in lines]
    write_csv(folder / "INVOICES.TXT", rows, delimiter="|", newline="\n")
    write_client_yml(folder, "INVOICES.TXT", as_of=AS_OF,
                     columns={"date": "INV_DATE", "client": "CUSTOMER", "amount": "NET_AMOUNT"})
    # names are compared trimmed (the padding is not part of the name)
    return truth_of([ln.with_(client=ln.client.upper()) for ln in lines], AS_OF)


@shape(FAMILY)
def excel_sep_hint_line_csv(folder: Path) -> Truth:
    """A European tool's CSV starting with Excel's "sep=;" hint line before the header (;-separated, 1234,56)."""
    lines = gen_lines(rng_for("excel_sep_hint_line_csv"), clients=CLIENTS[:8])
    rows = [["sep=;"], ["Date", "Customer", "Amount", "Rep"]]
    rows += [[iso(ln.date), ln.client, num(ln.amount, dec=",", thou=None), ln.seller] for ln in lines]
    write_csv(folder / "export.csv", rows, delimiter=";")
    write_client_yml(folder, "export.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def trailing_delimiter_csv(folder: Path) -> Truth:
    """A system export whose every line (header included) ends with a stray delimiter: "Date,Customer,Amount,"."""
    lines = gen_lines(rng_for("trailing_delimiter_csv"), clients=CLIENTS[2:10])
    rows = [["Date", "Customer", "Amount", None]]
    rows += [[us_date0(ln.date), ln.client, str(ln.amount), None] for ln in lines]
    write_csv(folder / "export.csv", rows)
    write_client_yml(folder, "export.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def tab_separated_named_csv(folder: Path) -> Truth:
    """Excel "Text (Tab delimited)" saved under a .csv name: tabs, cp1252, CRLF, commas inside amounts and names."""
    lines = gen_lines(rng_for("tab_separated_named_csv"), clients=CLIENTS[:5] + ACCENTED[:3])
    write_csv(folder / "billing.csv", _rows(lines), delimiter="\t", encoding="cp1252")
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def clean_reference_csv(folder: Path) -> Truth:
    """The control: a tidy export (Date, Customer, Amount, Rep; ISO dates; plain decimals) that must stay exact."""
    lines = gen_lines(rng_for("clean_reference_csv"), clients=CLIENTS[:12], n=80, zeros=2)
    rows = [["Date", "Customer", "Amount", "Rep"]]
    rows += [[iso(ln.date), ln.client, str(ln.amount), ln.seller] for ln in lines]
    write_csv(folder / "billing.csv", rows, newline="\n")
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=0, footer=0, section_header=0)


# ------------------------------------------------------------------ not a ledger


def _ledger_rows(name: str) -> list[list]:
    lines = gen_lines(rng_for(name), clients=CLIENTS[:6], n=20)
    return [["Date", "Customer", "Amount"]] + [[ln.date.isoformat(), ln.client, float(ln.amount)] for ln in lines]


@shape(NOT_LEDGER)
def ods_refused(folder: Path) -> Refusal:
    """A LibreOffice Calc .ods spreadsheet: refused, saying it is an OpenDocument spreadsheet and to save it as .xlsx or .csv."""
    write_ods(folder / "billing.ods", _ledger_rows("ods"))
    write_client_yml(folder, "billing.ods", as_of=AS_OF)
    return Refusal((r"\bods\b|opendocument|libreoffice|calc", FIX), why="says ODS and what to do")


@shape(NOT_LEDGER)
def xls_ole2_refused(folder: Path) -> Refusal:
    """An Excel 97-2003 .xls workbook (OLE2 compound file, BIFF8): refused, saying it is an old Excel file and to save it as .xlsx or .csv."""
    write_ole2_xls(folder / "billing.xls", _ledger_rows("xls"))
    write_client_yml(folder, "billing.xls", as_of=AS_OF)
    return Refusal((r"\.xls\b|excel 97|97-2003|old excel|ole2?\b|compound", FIX), why="says old XLS and what to do")


@shape(NOT_LEDGER)
def xls_content_named_csv_refused(folder: Path) -> Refusal:
    """An Excel 97-2003 workbook someone renamed to billing.csv: refused, saying it is really an old Excel file."""
    write_ole2_xls(folder / "billing.csv", _ledger_rows("xls_csv"))
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return Refusal((r"\.xls\b|excel 97|97-2003|old excel|ole2?\b|compound", FIX), why="says old XLS and what to do")


@shape(NOT_LEDGER)
def zip_refused(folder: Path) -> Refusal:
    """A .zip download (a system's export bundle holding the CSV) named as the ledger: refused, saying it is a zip archive to extract."""
    text = csv_text([[str(c) for c in r] for r in _ledger_rows("zip")])
    with zipfile.ZipFile(folder / "export.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("export/billing.csv", text)
    write_client_yml(folder, "export.zip", as_of=AS_OF)
    return Refusal((r"\bzip\b", r"extract|unzip|unpack|" + FIX), why="says zip and what to do")


@shape(NOT_LEDGER)
def pdf_refused(folder: Path) -> Refusal:
    """A "Sales by Customer" report exported to PDF instead of CSV: refused, saying it is a PDF and to export CSV/XLSX."""
    write_pdf(folder / "Sales by Customer.pdf", ["Sales by Customer Summary", "January - December 2024", "",
                                                  "Acme Corp                12,345.00", "Northwind Traders         8,100.50",
                                                  "TOTAL                    20,445.50"])
    write_client_yml(folder, "Sales by Customer.pdf", as_of=AS_OF)
    return Refusal((r"\bpdf\b", FIX + r"|export"), why="says PDF and what to do")


@shape(NOT_LEDGER)
def html_named_xls_refused(folder: Path) -> Refusal:
    """A web app's "Export to Excel" that is really an HTML table saved as report.xls: refused, saying it is a web page (HTML)."""
    lines = gen_lines(rng_for("html_xls"), clients=CLIENTS[:6], n=15)
    cells = "".join(f"<tr><td>{us_date0(ln.date)}</td><td>{ln.client}</td><td>{num(ln.amount)}</td></tr>\n" for ln in lines)
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" '
            'xmlns="http://www.w3.org/TR/REC-html40">\n<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            "<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>Report</x:Name>"
            "</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head>\n<body>\n<table border=\"1\">\n"
            f"<tr><th>Date</th><th>Customer</th><th>Amount</th></tr>\n{cells}</table>\n</body></html>\n")
    (folder / "report.xls").write_text(html, encoding="utf-8")
    write_client_yml(folder, "report.xls", as_of=AS_OF)
    return Refusal((r"html|web page", FIX), why="says HTML and what to do")


@shape(NOT_LEDGER)
def spreadsheetml_2003_named_xls_refused(folder: Path) -> Refusal:
    """An "XML Spreadsheet 2003" (SpreadsheetML, as older ERP/.NET exports write) saved with a .xls name: refused, saying it is XML and to save as .xlsx."""
    rows = "".join(
        "<Row>" + "".join(f'<Cell><Data ss:Type="{"Number" if isinstance(v, float) else "String"}">{v}</Data></Cell>' for v in r)
        + "</Row>\n" for r in _ledger_rows("spreadsheetml"))
    xml = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
           f'<Worksheet ss:Name="Sales"><Table>\n{rows}</Table></Worksheet>\n</Workbook>\n')
    (folder / "SalesExport.xls").write_text(xml, encoding="utf-8")
    write_client_yml(folder, "SalesExport.xls", as_of=AS_OF)
    return Refusal((r"\bxml\b|spreadsheetml|xml spreadsheet", FIX), why="says XML spreadsheet and what to do")


@shape(NOT_LEDGER)
def random_binary_refused(folder: Path) -> Refusal:
    """A corrupted download: random bytes (with NULs) named billing.csv: refused, saying it is not a text/CSV file."""
    rng = rng_for("random_binary_refused")
    (folder / "billing.csv").write_bytes(bytes(rng.getrandbits(8) for _ in range(6000)))
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return Refusal((r"binary|not (a )?(readable )?(text|csv|spreadsheet|workbook|ledger)|unrecogni[sz]ed|unknown (file|format)|corrupt", FIX),
                   why="says it is not text and what to do")

