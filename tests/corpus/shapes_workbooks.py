"""Workbook structure: which sheet holds the ledger, hidden rows (by hand, by a filter,
by an outline), hidden columns, and formulas with or without the values Excel caches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from corpus.data import AS_OF, CLIENTS, SELLERS, gen_lines, rng_for
from corpus.model import Refusal, Truth, shape, truth_of, write_client_yml
from corpus.writers import F, Fmt, Sheet, num, uk_date, write_xlsx, write_xlsx_openpyxl

FAMILY = "workbooks"
HEADER = ("Invoice Date", "Customer", "Invoice #", "Sales Rep", "Amount")


def _data_rows(lines) -> list[list]:
    rows: list[list] = [[Fmt(h, bold=True) for h in HEADER]]
    rows += [[ln.date, ln.client, ln.invoice, ln.seller, ln.amount] for ln in lines]
    return rows


def _summary_rows(lines) -> list[list]:
    per: dict[str, Decimal] = {}
    for ln in lines:
        per[ln.client] = per.get(ln.client, Decimal(0)) + ln.amount
    rows: list[list] = [[Fmt("Row Labels", bold=True), Fmt("Sum of Amount", bold=True)]]
    rows += [[c, v] for c, v in sorted(per.items())]
    rows.append([Fmt("Grand Total", bold=True), sum(per.values(), Decimal(0))])
    return rows


@shape(FAMILY)
def summary_sheet_first_xlsx(folder: Path) -> Truth:
    """A workbook whose first sheet is a "Summary" pivot (Row Labels / Sum of Amount / Grand Total) and whose second sheet "Data" holds the invoices."""
    lines = gen_lines(rng_for("summary_sheet_first_xlsx"), clients=CLIENTS[:9])
    write_xlsx(folder / "sales_2024.xlsx", [Sheet("Summary", _summary_rows(lines)), Sheet("Data", _data_rows(lines))])
    write_client_yml(folder, "sales_2024.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def sheet_setting_overrides_xlsx(folder: Path) -> Truth:
    """A workbook with a pivot, an older "Invoices 2022" ledger and the current "Invoices" ledger; client.yml says sheet: "Invoices"."""
    lines = gen_lines(rng_for("sheet_setting_overrides_xlsx"), clients=CLIENTS[3:11])
    old = [ln.with_(date=ln.date.replace(year=2022)) for ln in lines[:20]]
    write_xlsx(folder / "billing.xlsx", [Sheet("Pivot", _summary_rows(lines)), Sheet("Invoices 2022", _data_rows(old)),
                                         Sheet("Invoices", _data_rows(lines))])
    write_client_yml(folder, "billing.xlsx", as_of=AS_OF, sheet="Invoices")
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def chartsheet_first_xlsx(folder: Path) -> Truth:
    """A workbook whose first tab is a chart sheet ("Chart1", Insert > Chart > Move to new sheet) before the "Sales" data sheet."""
    lines = gen_lines(rng_for("chartsheet_first_xlsx"), clients=CLIENTS[:8])
    write_xlsx(folder / "sales.xlsx", [Sheet("Chart1", chartsheet=True), Sheet("Sales", _data_rows(lines))])
    write_client_yml(folder, "sales.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def hidden_lookup_sheet_first_xlsx(folder: Path) -> Truth:
    """A template workbook whose first sheet "Lists" (sellers and client codes for drop-downs) is hidden; the invoices are on "Invoices"."""
    lines = gen_lines(rng_for("hidden_lookup_sheet_first_xlsx"), clients=CLIENTS[:8])
    lists = [["Sellers", "Client codes"]] + [[s, f"C{i:03d}"] for i, s in enumerate(SELLERS)]
    write_xlsx(folder / "invoices.xlsx", [Sheet("Lists", lists, hidden=True), Sheet("Invoices", _data_rows(lines))])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


def _hidden_by_hand(name: str):
    lines = gen_lines(rng_for(name), clients=CLIENTS[:8], n=36, before=0)
    rows = _data_rows(lines)
    # rows 5, 9, 10 and 20 (sheet rows 6, 10, 11, 21) hidden with Format > Hide
    hidden = {5, 9, 10, 20}
    visible = [ln for i, ln in enumerate(lines, start=1) if i not in hidden]
    return lines, visible, Sheet("Invoices", rows, hidden_rows=hidden), len(hidden)


@shape(FAMILY)
def hidden_rows_by_hand_refused(folder: Path) -> Refusal:
    """A workbook with four invoice rows hidden by hand (Format > Hide, no filter, no outline): refused, naming hidden_rows."""
    _, _, sheet, _ = _hidden_by_hand("hidden_rows_by_hand")
    write_xlsx(folder / "invoices.xlsx", [sheet])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF)
    return Refusal.setting("hidden_rows")


@shape(FAMILY)
def hidden_rows_by_hand_exclude(folder: Path) -> Truth:
    """The same hand-hidden rows with billing.hidden_rows: exclude: only the visible invoices count."""
    _, visible, sheet, n_hidden = _hidden_by_hand("hidden_rows_by_hand")
    write_xlsx(folder / "invoices.xlsx", [sheet])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF, hidden_rows="exclude")
    return truth_of(visible, AS_OF, hidden_row=n_hidden)


@shape(FAMILY)
def hidden_rows_by_hand_include(folder: Path) -> Truth:
    """The same hand-hidden rows with billing.hidden_rows: include: every invoice counts."""
    lines, _, sheet, _ = _hidden_by_hand("hidden_rows_by_hand")
    write_xlsx(folder / "invoices.xlsx", [sheet])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF, hidden_rows="include")
    return truth_of(lines, AS_OF, hidden_row=0)


def _filtered(name: str, hide: bool = True):
    lines = gen_lines(rng_for(name), clients=CLIENTS[:8], n=36, before=0)
    rows = _data_rows(lines)
    seller = SELLERS[0]
    hidden = {i for i, ln in enumerate(lines, start=1) if ln.seller != seller} if hide else set()
    sheet = Sheet("Invoices", rows, hidden_rows=hidden, autofilter=(0, 0, len(lines), len(HEADER) - 1),
                  filter_column=(3, [seller]) if hide else None)
    visible = [ln for ln in lines if ln.seller == seller] if hide else lines
    return lines, visible, sheet, len(hidden)


@shape(FAMILY)
def autofilter_hidden_rows_refused(folder: Path) -> Refusal:
    """A workbook saved while an AutoFilter showed one sales rep's invoices (the other rows hidden by the filter): refused, naming hidden_rows."""
    _, _, sheet, _ = _filtered("autofilter_hidden_rows")
    write_xlsx(folder / "invoices_filtered.xlsx", [sheet])
    write_client_yml(folder, "invoices_filtered.xlsx", as_of=AS_OF)
    return Refusal.setting("hidden_rows")


@shape(FAMILY)
def autofilter_hidden_rows_exclude(folder: Path) -> Truth:
    """The same filtered workbook with billing.hidden_rows: exclude: only the rows the filter shows."""
    _, visible, sheet, n_hidden = _filtered("autofilter_hidden_rows")
    write_xlsx(folder / "invoices_filtered.xlsx", [sheet])
    write_client_yml(folder, "invoices_filtered.xlsx", as_of=AS_OF, hidden_rows="exclude")
    return truth_of(visible, AS_OF, hidden_row=n_hidden)


@shape(FAMILY)
def autofilter_hidden_rows_include(folder: Path) -> Truth:
    """The same filtered workbook with billing.hidden_rows: include: every invoice, filtered out or not."""
    lines, _, sheet, _ = _filtered("autofilter_hidden_rows")
    write_xlsx(folder / "invoices_filtered.xlsx", [sheet])
    write_client_yml(folder, "invoices_filtered.xlsx", as_of=AS_OF, hidden_rows="include")
    return truth_of(lines, AS_OF, hidden_row=0)


@shape(FAMILY)
def autofilter_nothing_hidden_xlsx(folder: Path) -> Truth:
    """A workbook with AutoFilter buttons on the header but no filter applied (nothing hidden): read as is."""
    lines, _, sheet, _ = _filtered("autofilter_nothing_hidden_xlsx", hide=False)
    write_xlsx(folder / "invoices.xlsx", [sheet])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def dynamics365_hidden_columns_xlsx(folder: Path) -> Truth:
    """A Dynamics 365 "Export to Excel" of won opportunities: hidden columns "(Do Not Modify) Opportunity", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On".

    client.yml maps the client (Potential Customer), as a D365 user would. Chosen: the
    date is the visible Actual Close Date; the hidden technical columns (a GUID, a
    checksum, a modified-on timestamp) are not what the user sees nor the ledger."""
    rng = rng_for("dynamics365_hidden_columns_xlsx")
    lines = gen_lines(rng, clients=CLIENTS[:9], n=32, credits=0, lo=5_000_00, hi=120_000_00)
    header = ["(Do Not Modify) Opportunity", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On",
              "Topic", "Potential Customer", "Status", "Actual Close Date", "Actual Revenue", "Owner"]
    rows: list[list] = [[Fmt(h, bold=True) for h in header]]
    for ln in lines:
        guid = "-".join(f"{rng.getrandbits(4 * w):0{w}x}" for w in (8, 4, 4, 4, 12))
        checksum = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(40)) + "=="
        modified = dt.datetime(2025, 1, 6, rng.randrange(24), rng.randrange(60))
        rows.append([guid, checksum, Fmt(modified, "m/d/yyyy h:mm"), f"{ln.client} expansion", ln.client, "Won",
                     ln.date, Fmt(ln.amount, "$#,##0.00"), ln.seller])
    write_xlsx(folder / "My Won Opportunities 1-7-2025 9-41-12 AM.xlsx",
               [Sheet("My Won Opportunities", rows, hidden_cols=[(0, 2)])])
    write_client_yml(folder, "My Won Opportunities 1-7-2025 9-41-12 AM.xlsx", as_of=AS_OF,
                     columns={"client": "Potential Customer"})
    return truth_of(lines, AS_OF)


def _qty_price_lines(name: str):
    rng = rng_for(name)
    lines = gen_lines(rng, clients=CLIENTS[:8], n=30, credits=0)
    out = []
    for ln in lines:
        qty = rng.randrange(1, 12)
        price = Decimal(rng.randrange(20_00, 900_00)) / 100
        out.append(ln.with_(qty=qty, amount=qty * price))
    return out


@shape(FAMILY)
def formulas_uncached_openpyxl_refused(folder: Path) -> Refusal:
    """A workbook generated by a script with openpyxl: Amount is =Qty*Price in every row and no value was ever cached (never opened in Excel): refused, naming the fix."""
    lines = _qty_price_lines("formulas_uncached_openpyxl")
    rows: list[list] = [["Date", "Customer", "Qty", "Unit Price", "Amount"]]
    for i, ln in enumerate(lines, start=2):
        rows.append([ln.date, ln.client, ln.qty, ln.amount / ln.qty, f"=C{i}*D{i}"])
    write_xlsx_openpyxl(folder / "generated_invoices.xlsx", "Invoices", rows)
    write_client_yml(folder, "generated_invoices.xlsx", as_of=AS_OF)
    return Refusal((r"excel|libreoffice", r"\bsave|csv"), why="names the fix: open and save in Excel/LibreOffice or export CSV")


@shape(FAMILY)
def formulas_xlsxwriter_zero_cache_refused(folder: Path) -> Refusal:
    """A workbook written by XlsxWriter: Amount formulas carry its placeholder value 0 and the "recalculate on load" flag (never opened in Excel): refused, naming the fix."""
    lines = _qty_price_lines("formulas_xlsxwriter_zero_cache")
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Date", "Customer", "Qty", "Unit Price", "Amount")]]
    for i, ln in enumerate(lines, start=2):
        rows.append([ln.date, ln.client, ln.qty, ln.amount / ln.qty, F(f"=C{i}*D{i}")])
    write_xlsx(folder / "generated_invoices.xlsx", [Sheet("Invoices", rows)], excel_saved=False)
    write_client_yml(folder, "generated_invoices.xlsx", as_of=AS_OF)
    return Refusal((r"excel|libreoffice", r"\bsave|csv"), why="names the fix: open and save in Excel/LibreOffice or export CSV")


@shape(FAMILY)
def formulas_uncached_other_columns_xlsx(folder: Path) -> Truth:
    """A script-written workbook (openpyxl) whose Net amounts are values while VAT and Gross are uncached formulas: the amount column has no formula, so it reads."""
    lines = gen_lines(rng_for("formulas_uncached_other_columns_xlsx"), clients=CLIENTS[:8])
    rows: list[list] = [["Invoice Date", "Customer", "Net", "VAT", "Gross"]]
    for i, ln in enumerate(lines, start=2):
        rows.append([ln.date, ln.client, ln.amount, f"=C{i}*0.2", f"=C{i}+D{i}"])
    write_xlsx_openpyxl(folder / "invoices.xlsx", "Invoices", rows)
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF, columns={"amount": "Net"})
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def formulas_cached_excel_saved_xlsx(folder: Path) -> Truth:
    """An invoice-line workbook saved by Excel: Amount is =Qty*Price with the computed values cached, as every Excel save stores them."""
    lines = _qty_price_lines("formulas_cached_excel_saved")
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Date", "Customer", "Qty", "Unit Price", "Amount")]]
    for i, ln in enumerate(lines, start=2):
        rows.append([ln.date, ln.client, ln.qty, ln.amount / ln.qty, F(f"=C{i}*D{i}", ln.amount)])
    write_xlsx(folder / "invoice_lines.xlsx", [Sheet("Lines", rows)])
    write_client_yml(folder, "invoice_lines.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def xlsx_text_numbers_and_dates_uk(folder: Path) -> Truth:
    """A UK workbook filled by pasting from a web portal: amounts stored as text "1,234.56" (Excel's green triangles) and dates as text dd/mm/yyyy, mixed with real date and number cells."""
    lines = gen_lines(rng_for("xlsx_text_numbers_and_dates_uk"), clients=CLIENTS[:8], n=36)
    rows: list[list] = [[Fmt(h, bold=True) for h in HEADER]]
    for i, ln in enumerate(lines):
        pasted = i % 3 != 0
        rows.append([uk_date(ln.date) if pasted else ln.date, ln.client, ln.invoice, ln.seller,
                     num(ln.amount) if pasted else ln.amount])
    write_xlsx(folder / "portal_invoices.xlsx", [Sheet("Invoices", rows, date_format="dd/mm/yyyy")])
    write_client_yml(folder, "portal_invoices.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def xlsx_wrapped_header_cells(folder: Path) -> Truth:
    """An ERP's Excel export with wrapped two-line header cells ("Invoice\nDate", "Customer\nName", "Net\nAmount", "Sales\nRep") above the data."""
    lines = gen_lines(rng_for("xlsx_wrapped_header_cells"), clients=CLIENTS[3:11])
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Invoice\nDate", "Invoice\nNumber", "Customer\nName", "Sales\nRep", "Net\nAmount")]]
    rows += [[ln.date, ln.invoice, ln.client, ln.seller, ln.amount] for ln in lines]
    write_xlsx(folder / "invoices.xlsx", [Sheet("Export", rows)])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)
