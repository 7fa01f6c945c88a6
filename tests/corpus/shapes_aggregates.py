"""Totals, grand totals and subtotals that real exports and hand-kept sheets carry: they
are sums (counts, averages) of other rows, never invoices. Expected: excluded as
``aggregate`` (counting 0 in the money identity), every true figure unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from corpus.data import ACCENTED, AS_OF, CLIENTS, gen_lines, rng_for, sort_by_client
from corpus.model import Line, Truth, shape, totals_truth, truth_of, write_client_yml
from corpus.subtotals import FUNCTIONS, subtotal_items
from corpus.writers import (
    F,
    Fmt,
    Sheet,
    de_date,
    iso,
    num,
    uk_date,
    us_date,
    us_date0,
    write_csv,
    write_xlsx,
)

FAMILY = "aggregates"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _sum(lines: list[Line]) -> Decimal:
    return sum((ln.amount for ln in lines), Decimal(0))


@shape(FAMILY)
def total_row_plain_csv(folder: Path) -> Truth:
    """A hand-kept invoice list saved from US Excel as "CSV (Comma delimited)" (cp1252, CRLF) with a TOTAL row under the data."""
    lines = gen_lines(rng_for("total_row_plain_csv"), clients=CLIENTS[:7] + ACCENTED[:2])
    rows = [["Date", "Customer", "Invoice", "Amount", "Sales Rep"]]
    rows += [[us_date(ln.date), ln.client, ln.invoice, num(ln.amount), ln.seller] for ln in lines]
    rows.append([None, "TOTAL", None, num(_sum(lines)), None])
    write_csv(folder / "invoices.csv", rows, encoding="cp1252")
    write_client_yml(folder, "invoices.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def grand_total_row_xlsx(folder: Path) -> Truth:
    """An Excel workbook of invoices with a bold "Grand Total" row holding =SUM() (value cached by Excel's save)."""
    lines = gen_lines(rng_for("grand_total_row_xlsx"), clients=CLIENTS[2:10])
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Invoice Date", "Invoice No.", "Customer", "Salesperson", "Amount")]]
    rows += [[ln.date, ln.invoice, ln.client, ln.seller, ln.amount] for ln in lines]
    n = len(rows)
    rows.append([None, None, Fmt("Grand Total", bold=True), None, F(f"=SUM(E2:E{n})", _sum(lines))])
    write_xlsx(folder / "Invoices 2024.xlsx", [Sheet("Invoices", rows)])
    write_client_yml(folder, "Invoices 2024.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def total_row_first_csv(folder: Path) -> Truth:
    """A BI/analytics export (Looker Studio, GA style) whose grand "Total" row comes first, right under the header."""
    lines = gen_lines(rng_for("total_row_first_csv"), clients=CLIENTS[:9])
    rows = [["Date", "Customer", "Revenue"], [None, "Total", str(_sum(lines))]]
    rows += [[iso(ln.date), ln.client, str(ln.amount)] for ln in lines]
    write_csv(folder / "revenue.csv", rows, newline="\n")
    write_client_yml(folder, "revenue.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def excel_subtotal_by_rep_csv(folder: Path) -> Truth:
    """Excel Data > Subtotal at each change in Sales Rep saved as CSV: "Dana Scott Total" rows in the rep column (client cell blank), "Grand Total"."""
    lines = sorted(gen_lines(rng_for("excel_subtotal_by_rep_csv"), clients=CLIENTS[:8]), key=lambda ln: (ln.seller, ln.date))
    rows = [["Date", "Customer", "Sales Rep", "Amount"]]
    n_agg = 0
    for rep in sorted({ln.seller for ln in lines}):
        run = [ln for ln in lines if ln.seller == rep]
        rows += [[us_date(ln.date), ln.client, ln.seller, num(ln.amount)] for ln in run]
        rows.append([None, None, f"{rep} Total", num(_sum(run))])
        n_agg += 1
    rows.append([None, None, "Grand Total", num(_sum(lines))])
    write_csv(folder / "sales_by_rep.csv", rows, encoding="cp1252")
    write_client_yml(folder, "sales_by_rep.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=n_agg + 1)


@shape(FAMILY)
def excel_nested_subtotals_xlsx(folder: Path) -> Truth:
    """Excel Data > Subtotal applied twice (by Sales Rep, then by Customer within it): "Acme Corp Total" and "Dana Scott Total" rows, outline levels 1-3, one "Grand Total"."""
    lines = sorted(gen_lines(rng_for("excel_nested_subtotals_xlsx"), clients=CLIENTS[:7], n=44),
                   key=lambda ln: (ln.seller, ln.client.casefold(), ln.date))
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Sales Rep", "Customer", "Date", "Amount")]]
    sheet = Sheet("Sales", rows)
    n_agg = 0
    for rep in sorted({ln.seller for ln in lines}):
        rep_first = len(rows) + 1
        for client in sorted({ln.client for ln in lines if ln.seller == rep}, key=str.casefold):
            run = [ln for ln in lines if ln.seller == rep and ln.client == client]
            first = len(rows) + 1
            for ln in run:
                sheet.outline[len(rows)] = (3, False, False)
                rows.append([ln.seller, ln.client, ln.date, ln.amount])
            sheet.outline[len(rows)] = (2, False, False)
            rows.append([None, Fmt(f"{client} Total", bold=True), None, F(f"=SUBTOTAL(9,D{first}:D{len(rows)})", _sum(run))])
            n_agg += 1
        sheet.outline[len(rows)] = (1, False, False)
        rows.append([Fmt(f"{rep} Total", bold=True), None, None,
                     F(f"=SUBTOTAL(9,D{rep_first}:D{len(rows)})", _sum([ln for ln in lines if ln.seller == rep]))])
        n_agg += 1
    rows.append([Fmt("Grand Total", bold=True), None, None, F(f"=SUBTOTAL(9,D2:D{len(rows)})", _sum(lines))])
    write_xlsx(folder / "sales_by_rep_and_customer.xlsx", [sheet])
    write_client_yml(folder, "sales_by_rep_and_customer.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=n_agg + 1)


@shape(FAMILY)
def total_label_in_date_column_csv(folder: Path) -> Truth:
    """An invoice list whose closing "Total" label sits in the first (Date) column, the sum under Amount, as people type it in Excel."""
    lines = gen_lines(rng_for("total_label_in_date_column_csv"), clients=CLIENTS[:6])
    rows = [["Date", "Client", "Reference", "Amount"]]
    rows += [[us_date0(ln.date), ln.client, f"INV-{ln.invoice}", num(ln.amount, thou=None)] for ln in lines]
    rows.append(["Total", None, None, num(_sum(lines), thou=None)])
    write_csv(folder / "billing.csv", rows)
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def period_total_row_us_csv(folder: Path) -> Truth:
    """An invoice register for 2024 whose totals row holds the period "01/01/2024 - 12/31/2024" in its date cell and "All customers" as client."""
    lines = gen_lines(rng_for("period_total_row_us_csv"), clients=CLIENTS[3:11], before=0)
    rows = [["Invoice Date", "Customer", "Invoice #", "Amount"]]
    rows += [[us_date0(ln.date), ln.client, ln.invoice, num(ln.amount)] for ln in lines]
    rows.append(["01/01/2024 - 12/31/2024", "All customers", None, num(_sum(lines))])
    write_csv(folder / "invoice_register.csv", rows)
    write_client_yml(folder, "invoice_register.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def period_total_row_iso_csv(folder: Path) -> Truth:
    """A system export whose last row is a total over "2024-01-01 to 2024-12-31" (ISO period in the date cell, blank client, seller "All")."""
    lines = gen_lines(rng_for("period_total_row_iso_csv"), clients=CLIENTS[:8], before=0)
    rows = [["date", "customer", "seller", "net_amount"]]
    rows += [[iso(ln.date), ln.client, ln.seller, str(ln.amount)] for ln in lines]
    rows.append(["2024-01-01 to 2024-12-31", None, "All", str(_sum(lines))])
    write_csv(folder / "sales_2024.csv", rows, newline="\n")
    write_client_yml(folder, "sales_2024.csv", as_of=AS_OF, columns={"amount": "net_amount"})
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def monthly_total_rows_with_date_csv(folder: Path) -> Truth:
    """A sales journal kept month by month: after each month a dated row "Total March" (month-end date) with the month's sum."""
    lines = gen_lines(rng_for("monthly_total_rows_with_date_csv"), clients=CLIENTS[:9], n=48, before=0)
    rows = [["Date", "Customer", "Description", "Amount"]]
    n_totals = 0
    for m in range(1, 13):
        month = [ln for ln in lines if ln.date.month == m]
        if not month:
            continue
        rows += [[us_date0(ln.date), ln.client, "Consulting services", num(ln.amount)] for ln in month]
        end = (dt.date(2024, m % 12 + 1, 1) if m < 12 else dt.date(2025, 1, 1)) - dt.timedelta(days=1)
        rows.append([us_date0(end), f"Total {MONTHS[m - 1]}", None, num(_sum(month))])
        n_totals += 1
    write_csv(folder / "sales_journal.csv", rows)
    write_client_yml(folder, "sales_journal.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=n_totals)


def _subtotal_csv(folder: Path, name: str, *, func: str, label, grand: str) -> Truth:
    lines = sort_by_client(gen_lines(rng_for(name), clients=CLIENTS[:8]))
    items = subtotal_items(lines, label=label, grand=grand, func=func)
    rows = [["Invoice Date", "Invoice #", "Customer", "Sales Rep", "Amount"]]
    for it in items:
        if it.kind == "detail":
            ln = it.line
            rows.append([us_date(ln.date), ln.invoice, ln.client, ln.seller, num(ln.amount)])
        else:
            shown = num(it.value, places=0 if func == "count" else 2)
            rows.append([None, None, it.label, None, shown])
    write_csv(folder / "sales_by_customer.csv", rows, encoding="cp1252")
    write_client_yml(folder, "sales_by_customer.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=sum(it.kind != "detail" for it in items))


@shape(FAMILY)
def excel_subtotal_sum_csv(folder: Path) -> Truth:
    """Excel Data > Subtotal (at each change in Customer, Sum of Amount) saved as CSV: "Acme Corp Total" rows and a "Grand Total"."""
    return _subtotal_csv(folder, "excel_subtotal_sum_csv", func="sum", label=lambda c: f"{c} Total", grand="Grand Total")


@shape(FAMILY)
def excel_subtotal_count_csv(folder: Path) -> Truth:
    """Excel Data > Subtotal with the Count function saved as CSV: "Acme Corp Count" rows holding invoice counts and a "Grand Count"."""
    return _subtotal_csv(folder, "excel_subtotal_count_csv", func="count", label=lambda c: f"{c} Count", grand="Grand Count")


def _subtotal_xlsx(folder: Path, name: str, *, func: str, collapsed: bool, label, grand: str, outline: bool = True) -> Truth:
    lines = sort_by_client(gen_lines(rng_for(name), clients=CLIENTS[1:9]))
    items = subtotal_items(lines, label=label, grand=grand, func=func)
    code = FUNCTIONS[func]
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Date", "Invoice", "Customer", "Rep", "Amount")]]
    sheet = Sheet("Sales", rows)
    detail_row: list[int] = []  # spreadsheet row number of each detail
    for it in items:
        r = len(rows)  # 0-based index of the row being added
        if it.kind == "detail":
            ln = it.line
            rows.append([ln.date, ln.invoice, ln.client, ln.seller, ln.amount])
            detail_row.append(r + 1)
            if outline:
                sheet.outline[r] = (2, collapsed, False)
        else:
            first, last = detail_row[it.first], detail_row[it.last]
            if it.kind == "grand":
                first, last = 2, r
            fmt = "0" if func == "count" else "#,##0.00"
            rows.append([None, None, Fmt(it.label, bold=True), None, F(f"=SUBTOTAL({code},E{first}:E{last})", it.value, fmt)])
            if outline and it.kind == "sub":
                sheet.outline[r] = (1, False, collapsed)
    write_xlsx(folder / "Sales by customer.xlsx", [sheet])
    write_client_yml(folder, "Sales by customer.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=sum(it.kind != "detail" for it in items))


@shape(FAMILY)
def excel_subtotal_outline_collapsed_xlsx(folder: Path) -> Truth:
    """Excel Data > Subtotal (SUBTOTAL(9,...) formulas, outline) collapsed to level 2: detail rows hidden by the outline, which are still the data."""
    return _subtotal_xlsx(folder, "excel_subtotal_outline_collapsed_xlsx", func="sum", collapsed=True,
                          label=lambda c: f"{c} Total", grand="Grand Total")


@shape(FAMILY)
def excel_subtotal_outline_expanded_xlsx(folder: Path) -> Truth:
    """Excel Data > Subtotal workbook fully expanded (outline levels present, nothing hidden)."""
    return _subtotal_xlsx(folder, "excel_subtotal_outline_expanded_xlsx", func="sum", collapsed=False,
                          label=lambda c: f"{c} Total", grand="Grand Total")


@shape(FAMILY)
def excel_subtotal_average_xlsx(folder: Path) -> Truth:
    """Excel Data > Subtotal with the Average function: "Acme Corp Average" rows (SUBTOTAL(1,...)) and a "Grand Average"."""
    return _subtotal_xlsx(folder, "excel_subtotal_average_xlsx", func="average", collapsed=False,
                          label=lambda c: f"{c} Average", grand="Grand Average")


@shape(FAMILY)
def excel_table_total_row_xlsx(folder: Path) -> Truth:
    """An Excel Table (Insert > Table) with its Total Row on: "Total" in the first column, =SUBTOTAL(109,[Amount]) under Amount."""
    import xlsxwriter

    lines = gen_lines(rng_for("excel_table_total_row_xlsx"), clients=CLIENTS[4:12])
    path = folder / "billing.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Billing")
    date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
    money_f = wb.add_format({"num_format": "#,##0.00"})
    data = [[dt.datetime(ln.date.year, ln.date.month, ln.date.day), ln.client, ln.seller, float(ln.amount)] for ln in lines]
    n = len(data)
    ws.add_table(0, 0, n + 1, 3, {
        "name": "Billing",
        "data": data,
        "total_row": True,
        "columns": [
            {"header": "Date", "format": date_f, "total_string": "Total"},
            {"header": "Customer"},
            {"header": "Account Manager"},
            {"header": "Amount", "format": money_f, "total_function": "sum", "total_value": float(_sum(lines))},
        ],
    })
    wb.close()
    from corpus.writers import _as_saved_by_excel

    _as_saved_by_excel(path)
    write_client_yml(folder, "billing.xlsx", as_of=AS_OF, columns={"seller": "Account Manager"})
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def sum_count_average_rows_csv(folder: Path) -> Truth:
    """A BI tool's table export ending with summary rows "Sum", "Count" and "Average" in the customer column."""
    lines = gen_lines(rng_for("sum_count_average_rows_csv"), clients=CLIENTS[5:13])
    rows = [["Order Date", "Customer", "Sales Rep", "Revenue"]]
    rows += [[iso(ln.date), ln.client, ln.seller, num(ln.amount, thou=None)] for ln in lines]
    total = _sum(lines)
    rows.append([None, "Sum", None, num(total, thou=None)])
    rows.append([None, "Count", None, str(len(lines))])
    rows.append([None, "Average", None, num(total / len(lines), thou=None)])
    write_csv(folder / "revenue_export.csv", rows, newline="\n")
    write_client_yml(folder, "revenue_export.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=3)


@shape(FAMILY)
def subtotal_rows_by_month_hand_made_csv(folder: Path) -> Truth:
    """A hand-kept ledger with a "Subtotal" line after each month (date blank) and a final "Total" line."""
    lines = gen_lines(rng_for("subtotal_rows_by_month_hand_made_csv"), clients=CLIENTS[:7], n=36, before=0)
    rows = [["Date", "Customer", "Amount", "Seller"]]
    n_agg = 0
    for m in range(1, 13):
        month = [ln for ln in lines if ln.date.month == m]
        if not month:
            continue
        rows += [[us_date0(ln.date), ln.client, num(ln.amount, cur="$"), ln.seller] for ln in month]
        rows.append([None, "Subtotal", num(_sum(month), cur="$"), None])
        rows.append([])
        n_agg += 1
    rows.append([None, "Total", num(_sum(lines), cur="$"), None])
    write_csv(folder / "ledger.csv", rows)
    write_client_yml(folder, "ledger.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=n_agg + 1)


# ------------------------------------------------------------------ non-English Excel


def _intl_subtotal(folder: Path, name: str, *, label, grand: str, headers, date_fmt, dec: str, thou: str,
                   encoding: str = "cp1252", clients=CLIENTS[:6] + ACCENTED[:2]) -> Truth:
    lines = sort_by_client(gen_lines(rng_for(name), clients=clients))
    items = subtotal_items(lines, label=label, grand=grand)
    rows = [list(headers)]
    for it in items:
        if it.kind == "detail":
            ln = it.line
            rows.append([date_fmt(ln.date), ln.client, ln.invoice, num(ln.amount, dec=dec, thou=thou)])
        else:
            rows.append([None, it.label, None, num(it.value, dec=dec, thou=thou)])
    write_csv(folder / f"{name}.csv", rows, delimiter=";", encoding=encoding)
    # the consultant maps the local-language headers (and names a code page other than
    # Western, which no reader can tell from cp1252 by the bytes); the subtotal rows are the test
    write_client_yml(folder, f"{name}.csv", as_of=AS_OF, encoding=None if encoding == "cp1252" else encoding,
                     columns={"date": headers[0], "client": headers[1], "amount": headers[3]})
    return truth_of(lines, AS_OF, aggregate=sum(it.kind != "detail" for it in items))


@shape(FAMILY)
def de_teilergebnis_csv(folder: Path) -> Truth:
    """German Excel Daten > Teilergebnis saved as CSV (;, cp1252, 1.234,56, dd.mm.yyyy): "Müller Ergebnis" rows and "Gesamtergebnis"."""
    return _intl_subtotal(folder, "umsatz_kunden", label=lambda c: f"{c} Ergebnis", grand="Gesamtergebnis",
                          headers=("Rechnungsdatum", "Kunde", "Rechnungsnr.", "Betrag"), date_fmt=de_date, dec=",", thou=".")


@shape(FAMILY)
def fr_sous_total_csv(folder: Path) -> Truth:
    """French Excel Données > Sous-total saved as CSV (;, cp1252, 1 234,56 with no-break spaces, dd/mm/yyyy): "Total X" rows and "Total général"."""
    return _intl_subtotal(folder, "ventes_clients", label=lambda c: f"Total {c}", grand="Total général",
                          headers=("Date", "Client", "N° facture", "Montant HT"), date_fmt=uk_date, dec=",", thou="\u00a0")


@shape(FAMILY)
def es_subtotal_csv(folder: Path) -> Truth:
    """Spanish Excel Datos > Subtotal saved as CSV (;, 1.234,56, dd/mm/yyyy): "Total X" rows and "Total general"."""
    return _intl_subtotal(folder, "ventas_clientes", label=lambda c: f"Total {c}", grand="Total general",
                          headers=("Fecha", "Cliente", "Factura", "Importe"), date_fmt=uk_date, dec=",", thou=".")


@shape(FAMILY)
def it_subtotali_csv(folder: Path) -> Truth:
    """Italian Excel Dati > Subtotali saved as CSV (;, 1.234,56, dd/mm/yyyy): "Totale X" rows and "Totale complessivo"."""
    return _intl_subtotal(folder, "vendite_clienti", label=lambda c: f"Totale {c}", grand="Totale complessivo",
                          headers=("Data", "Cliente", "Fattura", "Importo"), date_fmt=uk_date, dec=",", thou=".")


@shape(FAMILY)
def nl_subtotaal_csv(folder: Path) -> Truth:
    """Dutch Excel Gegevens > Subtotaal saved as CSV (;, 1.234,56, d-m-yyyy): "Totaal X" rows and "Eindtotaal"."""
    return _intl_subtotal(folder, "omzet_klanten", label=lambda c: f"Totaal {c}", grand="Eindtotaal",
                          headers=("Datum", "Klant", "Factuurnr", "Bedrag"),
                          date_fmt=lambda d: f"{d.day}-{d.month}-{d.year}", dec=",", thou=".")


@shape(FAMILY)
def sv_delsumma_csv(folder: Path) -> Truth:
    """Swedish Excel Data > Delsumma saved as CSV (;, 1 234,56 with spaces, yyyy-mm-dd): "X Summa" rows and "Totalsumma"."""
    return _intl_subtotal(folder, "forsaljning_kunder", label=lambda c: f"{c} Summa", grand="Totalsumma",
                          headers=("Fakturadatum", "Kund", "Fakturanr", "Belopp"), date_fmt=iso, dec=",", thou=" ")


@shape(FAMILY)
def pl_sumy_czesciowe_csv(folder: Path) -> Truth:
    """Polish Excel Dane > Sumy częściowe saved as CSV (;, cp1250 named in billing.encoding, 1 234,56, dd.mm.yyyy): "X Suma" rows and "Suma końcowa"."""
    return _intl_subtotal(folder, "sprzedaz_klienci", label=lambda c: f"{c} Suma", grand="Suma końcowa",
                          headers=("Data", "Klient", "Nr faktury", "Kwota"), date_fmt=de_date, dec=",", thou=" ",
                          encoding="cp1250", clients=CLIENTS[:6] + ("Łódzkie Zakłady Sp. z o.o.", "Gdańska Stocznia S.A."))


@shape(FAMILY)
def de_zwischensumme_summe_csv(folder: Path) -> Truth:
    """A German hand-kept Umsatzliste: "Zwischensumme" after each quarter, "Summe" and "Gesamt" at the end (;, 1.234,56 €, dd.mm.yyyy)."""
    lines = gen_lines(rng_for("de_zwischensumme_summe_csv"), clients=CLIENTS[:5] + ACCENTED[:3], n=40, before=0)
    rows = [["Datum", "Kunde", "Betrag"]]
    for q in range(4):
        part = [ln for ln in lines if (ln.date.month - 1) // 3 == q]
        rows += [[de_date(ln.date), ln.client, num(ln.amount, dec=",", thou=".", cur_after=" €")] for ln in part]
        rows.append([None, "Zwischensumme", num(_sum(part), dec=",", thou=".", cur_after=" €")])
    rows.append([None, "Summe", num(_sum(lines), dec=",", thou=".", cur_after=" €")])
    rows.append([None, "Gesamt", num(_sum(lines), dec=",", thou=".", cur_after=" €")])
    write_csv(folder / "umsatzliste.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "umsatzliste.csv", as_of=AS_OF, columns={"date": "Datum", "client": "Kunde", "amount": "Betrag"})
    return truth_of(lines, AS_OF, aggregate=6)


@shape(FAMILY)
def totals_ledger_total_count_average_csv(folder: Path) -> Truth:
    """A 12-month totals sheet (one row per customer, no dates) with "Total", "Count" and "Average" rows under it."""
    rng = rng_for("totals_ledger_total_count_average_csv")
    lines = [Line(None, c, Decimal(rng.randrange(1_000_00, 90_000_00)) / 100) for c in CLIENTS[:12]]
    rows = [["Customer", "Sales Last 12 Months"]]
    rows += [[ln.client, num(ln.amount, cur="$")] for ln in lines]
    total = _sum(lines)
    rows.append(["Total", num(total, cur="$")])
    rows.append(["Count", str(len(lines))])
    rows.append(["Average", num(total / len(lines), cur="$")])
    write_csv(folder / "customer_totals.csv", rows)
    write_client_yml(folder, "customer_totals.csv", as_of=AS_OF, columns={"amount": "Sales Last 12 Months"})
    return totals_truth(lines, aggregate=3)
