"""Report layouts: section headers with the client above its detail rows (QuickBooks),
merged or blank repeated client cells, pivot tables pasted as values, title blocks,
report-filter lines, footers and notes after the data, repeated page headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from corpus.data import (
    ACCENTED,
    AS_OF,
    CLIENTS,
    SELLERS,
    gen_lines,
    group_by_client,
    rng_for,
    sort_by_client,
)
from corpus.model import Line, Refusal, Truth, shape, totals_truth, truth_of, write_client_yml
from corpus.writers import F, Fmt, Sheet, iso, num, us_date, us_date0, write_csv, write_xlsx

FAMILY = "layouts"
QB_COMPANY = "Craig's Design and Landscaping Services"
QB_FOOTER = "Accrual Basis Tuesday, January 7, 2025 09:41 AM GMT-08:00"


def _sum(lines) -> Decimal:
    return sum((ln.amount for ln in lines), Decimal(0))


def _qb_amount(v: Decimal, dollar: bool = False) -> str:
    """QuickBooks Online writes amounts with two trailing spaces; totals with a $."""
    return num(v, cur="$" if dollar else "") + "  "


def _pad(cells: list, width: int) -> list:
    return list(cells) + [None] * (width - len(cells))


@shape(FAMILY)
def qbo_sales_by_customer_detail_csv(folder: Path) -> Truth:
    """QuickBooks Online "Sales by Customer Detail" exported to CSV: title block, client on a section row, detail rows below, "Total for X", "TOTAL", "Accrual Basis" footer."""
    lines = sort_by_client(gen_lines(rng_for("qbo_sales_by_customer_detail_csv"), clients=CLIENTS[:8] + ACCENTED[:1], n=44))
    width = 10
    rows: list[list] = [_pad([QB_COMPANY], width), _pad(["Sales by Customer Detail"], width),
                        _pad(["January 1, 2023 - December 31, 2024"], width), _pad([], width)]
    rows.append([None, "Date", "Transaction Type", "Num", "Product/Service", "Memo/Description", "Qty", "Sales Price", "Amount", "Balance"])
    groups = group_by_client(lines)
    for client, run in groups:
        rows.append(_pad([client], width))
        balance = Decimal(0)
        for ln in run:
            balance += ln.amount
            kind = "Credit Memo" if ln.amount < 0 else "Invoice"
            rows.append([None, us_date0(ln.date), kind, ln.invoice, "Services", "Design services", "1",
                         num(abs(ln.amount)), _qb_amount(ln.amount), _qb_amount(balance)])
        rows.append(_pad([f"Total for {client}"], 8) + [_qb_amount(_sum(run), True), None])
    rows.append(_pad(["TOTAL"], 8) + [_qb_amount(_sum(lines), True), None])
    rows += [_pad([], width), _pad([], width), _pad([QB_FOOTER], width)]
    write_csv(folder / "Sales by Customer Detail.csv", rows)
    write_client_yml(folder, "Sales by Customer Detail.csv", as_of=AS_OF)
    n = len(groups)
    return truth_of(lines, AS_OF, aggregate=n + 1, section_header=n, footer=1)


@shape(FAMILY)
def qb_detail_with_page_breaks_csv(folder: Path) -> Truth:
    """A QuickBooks "Sales by Customer Detail" printed to file: where a page breaks inside a customer's section, a row "Continued on next page" or "<Customer> (continued)" stands alone in the heading column before the rest of its lines; "Total for X" closes the whole section."""
    lines = sort_by_client(gen_lines(rng_for("qb_detail_with_page_breaks_csv"), clients=CLIENTS[:6], n=48))
    width = 6
    rows: list[list] = [_pad(["Sales by Customer Detail"], width), _pad([], width)]
    rows.append([None, "Date", "Transaction Type", "Num", "Memo/Description", "Amount"])
    groups = group_by_client(lines)
    breaks = 0
    for g, (client, run) in enumerate(groups):
        rows.append(_pad([client], width))
        for k, ln in enumerate(run):
            if k == 2 and len(run) > 3:  # a page ends after a section's second line
                rows.append(_pad(["Continued on next page" if g % 2 else f"{client} (continued)"], width))
                breaks += 1
            rows.append([None, us_date0(ln.date), "Invoice", ln.invoice, "Design services", num(ln.amount)])
        rows.append(_pad([f"Total for {client}"], 5) + [num(_sum(run), cur="$")])
    rows.append(_pad(["TOTAL"], 5) + [num(_sum(lines), cur="$")])
    assert breaks >= 3
    write_csv(folder / "Sales by Customer Detail.csv", rows)
    write_client_yml(folder, "Sales by Customer Detail.csv", as_of=AS_OF)
    n = len(groups)
    return truth_of(lines, AS_OF, aggregate=n + 1, section_header=n + breaks)


@shape(FAMILY)
def qbo_detail_with_lookalike_clients_csv(folder: Path) -> Truth:
    """QuickBooks Online "Sales by Customer Detail" CSV whose customers include "Total Wine & More" and "Grand Total Fitness" (so "Total for Total Wine & More")."""
    lines = sort_by_client(gen_lines(rng_for("qbo_detail_with_lookalike_clients_csv"),
                                     clients=CLIENTS[:4] + ("Total Wine & More", "Grand Total Fitness", "Sum Systems"), n=36))
    width = 6
    rows: list[list] = [_pad([QB_COMPANY], width), _pad(["Sales by Customer Detail"], width),
                        _pad(["January 1, 2023 - December 31, 2024"], width), _pad([], width)]
    rows.append([None, "Date", "Transaction Type", "Num", "Amount", "Balance"])
    groups = group_by_client(lines)
    for client, run in groups:
        rows.append(_pad([client], width))
        balance = Decimal(0)
        for ln in run:
            balance += ln.amount
            rows.append([None, us_date0(ln.date), "Credit Memo" if ln.amount < 0 else "Invoice", ln.invoice,
                         _qb_amount(ln.amount), _qb_amount(balance)])
        rows.append(_pad([f"Total for {client}"], 4) + [_qb_amount(_sum(run), True), None])
    rows.append(_pad(["TOTAL"], 4) + [_qb_amount(_sum(lines), True), None])
    rows += [_pad([], width), _pad([], width), _pad([QB_FOOTER], width)]
    write_csv(folder / "Sales by Customer Detail.csv", rows)
    write_client_yml(folder, "Sales by Customer Detail.csv", as_of=AS_OF)
    n = len(groups)
    return truth_of(lines, AS_OF, aggregate=n + 1, section_header=n, footer=1)


@shape(FAMILY)
def qbo_summary_by_month_csv(folder: Path) -> Truth:
    """QuickBooks Online "Sales by Customer Summary" with columns by month (Jan 2024 ... Dec 2024, Total), read with twelve_month_totals: true and amount: Total."""
    lines = gen_lines(rng_for("qbo_summary_by_month_csv"), clients=CLIENTS[:10], n=60, before=0)
    months = [dt.date(2024, m, 1) for m in range(1, 13)]
    per: dict[str, list[Decimal]] = {}
    for ln in lines:
        per.setdefault(ln.client, [Decimal(0)] * 12)[ln.date.month - 1] += ln.amount
    totals = [Line(None, c, sum(v, Decimal(0))) for c, v in sorted(per.items(), key=lambda kv: kv[0].casefold())]
    width = 14
    rows: list[list] = [_pad([QB_COMPANY], width), _pad(["Sales by Customer Summary"], width),
                        _pad(["January - December 2024"], width), _pad([], width)]
    rows.append([None] + [f"{m:%b %Y}" for m in months] + ["Total"])
    for c, v in sorted(per.items(), key=lambda kv: kv[0].casefold()):
        rows.append([c] + [_qb_amount(x) if x else None for x in v] + [_qb_amount(sum(v, Decimal(0)))])
    col_totals = [sum((v[i] for v in per.values()), Decimal(0)) for i in range(12)]
    rows.append(["TOTAL"] + [_qb_amount(x, True) for x in col_totals] + [_qb_amount(_sum(totals), True)])
    rows += [_pad([], width), _pad([], width), _pad([QB_FOOTER], width)]
    write_csv(folder / "Sales by Customer Summary.csv", rows)
    write_client_yml(folder, "Sales by Customer Summary.csv", as_of=AS_OF, twelve_month_totals=True,
                     columns={"amount": "Total"})
    return totals_truth(totals, aggregate=1, footer=1)


@shape(FAMILY)
def qbo_sales_by_customer_detail_xlsx(folder: Path) -> Truth:
    """QuickBooks Online "Sales by Customer Detail" exported to Excel: merged title rows, blank-headed client column, section rows, SUM totals, footer."""
    lines = sort_by_client(gen_lines(rng_for("qbo_sales_by_customer_detail_xlsx"), clients=CLIENTS[4:12], n=40))
    rows: list[list] = [[Fmt(QB_COMPANY, bold=True)], [Fmt("Sales by Customer Detail", bold=True)],
                        ["January 1, 2023 - December 31, 2024"], []]
    rows.append([None] + [Fmt(h, bold=True) for h in ("Date", "Transaction Type", "Num", "Product/Service",
                                                       "Memo/Description", "Qty", "Sales Price", "Amount", "Balance")])
    groups = group_by_client(lines)
    for client, run in groups:
        rows.append([client])
        first = len(rows) + 1
        balance = Decimal(0)
        for ln in run:
            balance += ln.amount
            rows.append([None, ln.date, "Credit Memo" if ln.amount < 0 else "Invoice", ln.invoice, "Services",
                         "Landscaping", 1, abs(ln.amount), ln.amount, balance])
        last = len(rows)
        rows.append([Fmt(f"Total for {client}", bold=True)] + [None] * 7
                    + [F(f"=SUM(I{first}:I{last})", _sum(run), "$#,##0.00"), None])
    rows.append([Fmt("TOTAL", bold=True)] + [None] * 7 + [F("=" + "+".join(
        f"I{i + 1}" for i, r in enumerate(rows) if r and isinstance(r[0], Fmt) and str(r[0].value).startswith("Total for")),
        _sum(lines), "$#,##0.00"), None])
    rows += [[], [], [QB_FOOTER]]
    sheet = Sheet("Sales by Customer Detail", rows, merges=[(0, 0, 0, 9, QB_COMPANY), (1, 0, 1, 9, "Sales by Customer Detail"),
                                                             (2, 0, 2, 9, "January 1, 2023 - December 31, 2024")])
    write_xlsx(folder / "Sales by Customer Detail.xlsx", [sheet])
    write_client_yml(folder, "Sales by Customer Detail.xlsx", as_of=AS_OF)
    n = len(groups)
    return truth_of(lines, AS_OF, aggregate=n + 1, section_header=n, footer=1)


@shape(FAMILY)
def qbd_sales_by_customer_detail_csv(folder: Path) -> Truth:
    """QuickBooks Desktop "Sales by Customer Detail" exported to CSV: blank outline columns, client on section rows and in Name, "Total X" rows, "TOTAL"."""
    lines = sort_by_client(gen_lines(rng_for("qbd_sales_by_customer_detail_csv"), clients=CLIENTS[:9], n=40))
    rows: list[list] = [[None, None, "Type", "Date", "Num", "Memo", "Name", "Item", "Qty", "Sales Price", "Amount", "Balance"]]
    groups = group_by_client(lines)
    for client, run in groups:
        rows.append([None, client] + [None] * 10)
        balance = Decimal(0)
        for ln in run:
            balance += ln.amount
            rows.append([None, None, "Credit Memo" if ln.amount < 0 else "Invoice", us_date0(ln.date), ln.invoice,
                         "Consulting", client, "Consulting", "1", num(abs(ln.amount)), num(ln.amount), num(balance)])
        rows.append([None, f"Total {client}"] + [None] * 8 + [num(_sum(run)), num(_sum(run))])
    rows.append(["TOTAL"] + [None] * 9 + [num(_sum(lines)), num(_sum(lines))])
    write_csv(folder / "sales_by_customer_detail.csv", rows, encoding="cp1252")
    write_client_yml(folder, "sales_by_customer_detail.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=len(groups) + 1)


@shape(FAMILY)
def qbo_sales_by_customer_summary_csv(folder: Path) -> Truth:
    """QuickBooks Online "Sales by Customer Summary" (January - December 2024) to CSV: a 12-month totals report, blank client header, "TOTAL", footer.

    Chosen: read as a 12-month totals file (one row per customer, no date column)."""
    lines = gen_lines(rng_for("qbo_sales_by_customer_summary_csv"), clients=CLIENTS[:10] + ACCENTED[:2], n=60, before=0)
    per: dict[str, Decimal] = {}
    for ln in lines:
        per[ln.client] = per.get(ln.client, Decimal(0)) + ln.amount
    totals = [Line(None, c, v) for c, v in sorted(per.items(), key=lambda kv: kv[0].casefold())]
    rows: list[list] = [[QB_COMPANY, None], ["Sales by Customer Summary", None], ["January - December 2024", None], [None, None]]
    rows.append([None, "Total"])
    rows += [[t.client, _qb_amount(t.amount)] for t in totals]
    rows.append(["TOTAL", _qb_amount(_sum(totals), True)])
    rows += [[None, None], [None, None], [QB_FOOTER, None]]
    write_csv(folder / "Sales by Customer Summary.csv", rows)
    write_client_yml(folder, "Sales by Customer Summary.csv", as_of=AS_OF)
    return totals_truth(totals, aggregate=1, footer=1)


@shape(FAMILY)
def qbo_sales_by_customer_summary_xlsx(folder: Path) -> Truth:
    """QuickBooks Online "Sales by Customer Summary" exported to Excel: merged title rows, blank client header, "Total" column, bold "TOTAL", "Accrual Basis" footer.

    Chosen: read as a 12-month totals file (one row per customer, no date column)."""
    lines = gen_lines(rng_for("qbo_sales_by_customer_summary_xlsx"), clients=CLIENTS[6:16], n=50, before=0)
    per: dict[str, Decimal] = {}
    for ln in lines:
        per[ln.client] = per.get(ln.client, Decimal(0)) + ln.amount
    totals = [Line(None, c, v) for c, v in sorted(per.items(), key=lambda kv: kv[0].casefold())]
    rows: list[list] = [[Fmt(QB_COMPANY, bold=True)], [Fmt("Sales by Customer Summary", bold=True)], ["January - December 2024"], [],
                        [None, Fmt("Total", bold=True)]]
    first = len(rows) + 1
    rows += [[t.client, t.amount] for t in totals]
    rows.append([Fmt("TOTAL", bold=True), F(f"=SUM(B{first}:B{len(rows)})", _sum(totals), "$#,##0.00")])
    rows += [[], [], [QB_FOOTER]]
    sheet = Sheet("Sales by Customer Summary", rows, merges=[(0, 0, 0, 1, QB_COMPANY), (1, 0, 1, 1, "Sales by Customer Summary"),
                                                             (2, 0, 2, 1, "January - December 2024")])
    write_xlsx(folder / "Sales by Customer Summary.xlsx", [sheet])
    write_client_yml(folder, "Sales by Customer Summary.xlsx", as_of=AS_OF)
    return totals_truth(totals, aggregate=1, footer=1)


@shape(FAMILY)
def merged_client_cells_xlsx(folder: Path) -> Truth:
    """A formatted Excel sales list where each client's cell is merged vertically over its invoices (merge = same value)."""
    lines = sort_by_client(gen_lines(rng_for("merged_client_cells_xlsx"), clients=CLIENTS[2:10], n=36))
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Customer", "Invoice Date", "Invoice #", "Amount", "Sales Rep")]]
    merges = []
    for client, run in group_by_client(lines):
        first = len(rows)
        for ln in run:
            rows.append([ln.client, ln.date, ln.invoice, ln.amount, ln.seller])
        if len(run) > 1:
            merges.append((first, 0, first + len(run) - 1, 0, client))
    write_xlsx(folder / "sales_by_client.xlsx", [Sheet("Sales", rows, merges=merges)])
    write_client_yml(folder, "sales_by_client.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF)


def _blank_repeats(name: str) -> tuple[list[Line], list[list]]:
    lines = sort_by_client(gen_lines(rng_for(name), clients=CLIENTS[:8], n=36))
    rows: list[list] = [["Customer", "Date", "Invoice", "Amount"]]
    for client, run in group_by_client(lines):
        for i, ln in enumerate(run):
            rows.append([client if i == 0 else None, us_date0(ln.date), ln.invoice, num(ln.amount)])
    return lines, rows


@shape(FAMILY)
def blank_repeated_labels_csv_refused(folder: Path) -> Refusal:
    """A report saved as CSV that prints each client only on its first row (later rows blank), with no totals or other evidence: refused, naming fill_down."""
    _, rows = _blank_repeats("blank_repeated_labels")
    write_csv(folder / "customer_report.csv", rows)
    write_client_yml(folder, "customer_report.csv", as_of=AS_OF)
    return Refusal.setting("fill_down")


@shape(FAMILY)
def blank_repeated_labels_csv_fill_down(folder: Path) -> Truth:
    """The same client-on-first-row-only CSV with billing.fill_down: [client] in client.yml: every row gets the client above it."""
    lines, rows = _blank_repeats("blank_repeated_labels")
    write_csv(folder / "customer_report.csv", rows)
    write_client_yml(folder, "customer_report.csv", as_of=AS_OF, fill_down=["client"])
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def pivot_tabular_with_subtotals_csv(folder: Path) -> Truth:
    """An Excel PivotTable (tabular form, item labels not repeated: client, invoice date, "Sum of Amount", "X Total", "Grand Total") pasted to CSV.

    Chosen: read with the client filled down: each run of blank client cells is closed by
    a "<client> Total" row naming it, so the blanks are evidenced repeats; "Sum of Amount"
    (Excel's name for a pivot's summed field) is the only numeric column, the amount."""
    raw = gen_lines(rng_for("pivot_tabular_with_subtotals_csv"), clients=CLIENTS[:7], n=34)
    agg: dict[tuple[str, dt.date], Decimal] = {}
    for ln in raw:
        agg[(ln.client, ln.date)] = agg.get((ln.client, ln.date), Decimal(0)) + ln.amount
    lines = sort_by_client([Line(d, c, v) for (c, d), v in agg.items()])
    rows: list[list] = [["Customer", "Invoice Date", "Sum of Amount"]]
    groups = group_by_client(lines)
    for client, run in groups:
        for i, ln in enumerate(run):
            rows.append([client if i == 0 else None, us_date(ln.date), num(ln.amount)])
        rows.append([f"{client} Total", None, num(_sum(run))])
    rows.append(["Grand Total", None, num(_sum(lines))])
    write_csv(folder / "pivot.csv", rows)
    write_client_yml(folder, "pivot.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=len(groups) + 1)


@shape(FAMILY)
def pivot_values_totals_xlsx(folder: Path) -> Truth:
    """A PivotTable of 2024 sales by customer pasted as values: report filter "Sales Rep (All)" on top, "Row Labels"/"Sum of Amount", "Grand Total".

    Chosen: read as a 12-month totals file (one row per customer, no date column)."""
    lines = gen_lines(rng_for("pivot_values_totals_xlsx"), clients=CLIENTS[:11], n=50, before=0)
    per: dict[str, Decimal] = {}
    for ln in lines:
        per[ln.client] = per.get(ln.client, Decimal(0)) + ln.amount
    totals = [Line(None, c, v) for c, v in sorted(per.items(), key=lambda kv: kv[0].casefold())]
    rows: list[list] = [[Fmt("Sales Rep", bold=True), "(All)"], [], [Fmt("Row Labels", bold=True), Fmt("Sum of Amount", bold=True)]]
    rows += [[t.client, t.amount] for t in totals]
    rows.append([Fmt("Grand Total", bold=True), Fmt(_sum(totals), "#,##0.00", bold=True)])
    write_xlsx(folder / "pivot_2024.xlsx", [Sheet("Sheet2", rows)])
    write_client_yml(folder, "pivot_2024.xlsx", as_of=AS_OF)
    return totals_truth(totals, aggregate=1)


@shape(FAMILY)
def title_block_long_csv(folder: Path) -> Truth:
    """An ERP "Invoice Register" text export with a seven-line title block (company, report, period, currency, basis, printed by, page) and blank lines above the header."""
    lines = gen_lines(rng_for("title_block_long_csv"), clients=CLIENTS[5:14])
    rows: list[list] = [["Fabrikam Manufacturing Ltd."], ["Invoice Register"], ["Period: 01/01/2023 to 12/31/2024"],
                        ["Currency: USD"], ["Basis: Accrual"], ["Printed by: jsmith on 01/07/2025 08:15"], ["Page 1"], [], []]
    rows.append(["Invoice Date", "Invoice No", "Customer", "Salesperson", "Net Amount"])
    rows += [[us_date0(ln.date), ln.invoice, ln.client, ln.seller, num(ln.amount)] for ln in lines]
    write_csv(folder / "invoice_register.csv", rows)
    write_client_yml(folder, "invoice_register.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


def _opportunities(name: str, n: int = 30) -> list[Line]:
    lines = gen_lines(rng_for(name), clients=CLIENTS[:9], n=n, credits=0, lo=2_000_00, hi=90_000_00)
    # one deal closed in 2022: history, outside the window
    lines.append(Line(dt.date(2022, 9, 30), CLIENTS[0], Decimal("48000.00"), SELLERS[0]))
    lines.sort(key=lambda ln: ln.date)
    return [ln.with_(invoice=f"{ln.client} - {ln.date.year} Renewal") for ln in lines]


@shape(FAMILY)
def salesforce_classic_csv_footer(folder: Path) -> Truth:
    """A Salesforce Classic report "Export Details" CSV (all fields quoted) ending with blank lines, report name, copyright, confidential, "Generated By" and org name."""
    lines = _opportunities("salesforce_classic_csv_footer")
    rows: list[list | None] = [["Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Close Date", "Amount",
                                "Probability (%)", "Type", "Lead Source"]]
    rows += [[ln.seller, ln.client, ln.invoice, "Closed Won", us_date(ln.date), num(ln.amount), "100", "Existing Business", "Web"]
             for ln in lines]
    footer = ["Closed Won Opportunities", "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.",
              "Confidential Information - Do Not Distribute", "Generated By:  Dana Scott  1/7/2025 9:41 AM",
              "Craig's Design and Landscaping Services"]
    rows += [[""], [""]] + [[f] for f in footer]
    write_csv(folder / "report1736242871000.csv", rows, quote_all=True, newline="\n")
    write_client_yml(folder, "report1736242871000.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, footer=len(footer))


@shape(FAMILY)
def salesforce_classic_summary_csv_grand_totals(folder: Path) -> Truth:
    """A Salesforce Classic summary report exported as CSV: the detail rows, then "Grand Totals (N records)" with the summed Amount, then the confidential/copyright footer."""
    lines = _opportunities("salesforce_classic_summary_csv_grand_totals")
    rows: list[list] = [["Account Name", "Opportunity Name", "Opportunity Owner", "Close Date", "Amount"]]
    rows += [[ln.client, ln.invoice, ln.seller, us_date(ln.date), num(ln.amount)] for ln in lines]
    rows += [[""], [f"Grand Totals ({len(lines)} records)", "", "", "", num(_sum(lines))], [""],
             ["Confidential Information - Do Not Distribute"],
             ["Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."]]
    write_csv(folder / "report1736242871456.csv", rows, quote_all=True, newline="\n")
    write_client_yml(folder, "report1736242871456.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1, footer=2)


@shape(FAMILY)
def salesforce_summary_report_xlsx(folder: Path) -> Truth:
    """A Salesforce Lightning summary report (grouped by Account Name) as "Formatted Report" XLSX: title, filters, group cells merged down their rows, "Subtotal" rows, "Total", footer."""
    lines = sort_by_client(_opportunities("salesforce_summary_report_xlsx", n=28))
    rows: list[list] = [[Fmt("Closed Won by Account", bold=True)], ["As of Jan 7, 2025 9:41 AM·Generated by Dana Scott"], [],
                        ["Filtered By:"], ["    Stage equals Closed Won"], ["    Close Date: 1/1/2022 to 12/31/2024"], []]
    rows.append([Fmt(h, bold=True) for h in ("Account Name", "Opportunity Owner", "Opportunity Name", "Close Date", "Amount")])
    merges = []
    sub_rows = []
    groups = group_by_client(lines)
    for client, run in groups:
        first = len(rows)
        for ln in run:
            rows.append([ln.client, ln.seller, ln.invoice, ln.date, ln.amount])
        if len(run) > 1:
            merges.append((first, 0, first + len(run) - 1, 0, client))
        rows.append([None, Fmt("Subtotal", bold=True), None, None, F(f"=SUM(E{first + 1}:E{first + len(run)})", _sum(run), "$#,##0.00")])
        sub_rows.append(len(rows))
    rows.append([Fmt("Total", bold=True), None, None, None, F("=" + "+".join(f"E{r}" for r in sub_rows), _sum(lines), "$#,##0.00")])
    rows += [[], ["Confidential Information - Do Not Distribute"], ["Copyright © 2000-2025 salesforce.com, inc. All rights reserved."]]
    write_xlsx(folder / "Closed Won by Account-2025-01-07-09-41-12.xlsx", [Sheet("Closed Won by Account", rows, merges=merges)])
    write_client_yml(folder, "Closed Won by Account-2025-01-07-09-41-12.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=len(groups) + 1, footer=2)


@shape(FAMILY)
def salesforce_lightning_details_only_csv(folder: Path) -> Truth:
    """A Salesforce Lightning "Details Only" CSV (no footer): Opportunity Owner, Account Name, Close Date, Amount Currency, Amount; one deal closed in 2022."""
    lines = _opportunities("salesforce_lightning_details_only_csv")
    rows = [["Opportunity Owner", "Account Name", "Opportunity Name", "Close Date", "Stage", "Amount Currency", "Amount", "Fiscal Period"]]
    rows += [[ln.seller, ln.client, ln.invoice, us_date(ln.date), "Closed Won", "USD", str(ln.amount),
              f"Q{(ln.date.month - 1) // 3 + 1}-{ln.date.year}"] for ln in lines]
    write_csv(folder / "report1736242871123.csv", rows, quote_all=True, newline="\n")
    write_client_yml(folder, "report1736242871123.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def salesforce_formatted_xlsx(folder: Path) -> Truth:
    """A Salesforce Lightning "Formatted Report" XLSX: report title, "As of" line, "Filtered By:" lines, the table, a "Total" row, confidential and copyright lines."""
    lines = _opportunities("salesforce_formatted_xlsx", n=26)
    rows: list[list] = [[Fmt("Closed Won Opportunities", bold=True)], ["As of Jan 7, 2025 9:41 AM·Generated by Dana Scott"], [],
                        ["Filtered By:"], ["    Show Me: All opportunities"], ["    Stage equals Closed Won"],
                        ["    Close Date: 1/1/2022 to 12/31/2024"], []]
    rows.append([Fmt(h, bold=True) for h in ("Opportunity Owner", "Account Name", "Opportunity Name", "Close Date", "Amount")])
    first = len(rows) + 1
    rows += [[ln.seller, ln.client, ln.invoice, ln.date, ln.amount] for ln in lines]
    last = len(rows)
    rows.append([Fmt("Total", bold=True), None, None, None, F(f"=SUM(E{first}:E{last})", _sum(lines), "$#,##0.00")])
    rows += [[], ["Confidential Information - Do Not Distribute"], ["Copyright © 2000-2025 salesforce.com, inc. All rights reserved."]]
    write_xlsx(folder / "Closed Won Opportunities-2025-01-07-09-41-12.xlsx", [Sheet("Closed Won Opportunities", rows)])
    write_client_yml(folder, "Closed Won Opportunities-2025-01-07-09-41-12.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=1, footer=2)


@shape(FAMILY)
def footer_generated_on_csv(folder: Path) -> Truth:
    """A web app's invoice export ending with a blank line, "Generated on 2025-01-07 09:12:33 UTC by jdoe" and "Page 1 of 1"."""
    lines = gen_lines(rng_for("footer_generated_on_csv"), clients=CLIENTS[:8])
    rows: list[list] = [["Invoice Date", "Customer", "Invoice Number", "Amount", "Sales Rep"]]
    rows += [[iso(ln.date), ln.client, f"INV-{ln.invoice}", str(ln.amount), ln.seller] for ln in lines]
    rows += [[], ["Generated on 2025-01-07 09:12:33 UTC by jdoe"], ["Page 1 of 1"]]
    write_csv(folder / "invoices_export.csv", rows, newline="\n")
    write_client_yml(folder, "invoices_export.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, footer=2)


@shape(FAMILY)
def notes_after_data_xlsx(folder: Path) -> Truth:
    """A hand-kept workbook with notes typed under the data ("Notes:", "* March credit agreed with client", "Source: Sage export 07/01/2025")."""
    lines = gen_lines(rng_for("notes_after_data_xlsx"), clients=CLIENTS[6:14])
    rows: list[list] = [["Date", "Customer", "Amount", "Seller"]]
    rows += [[ln.date, ln.client, ln.amount, ln.seller] for ln in lines]
    rows += [[], ["Notes:"], ["* March credit agreed with client by phone"], ["Source: Sage export 07/01/2025"]]
    write_xlsx(folder / "billing.xlsx", [Sheet("Billing", rows)])
    write_client_yml(folder, "billing.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, footer=3)


@shape(FAMILY)
def repeated_page_headers_csv(folder: Path) -> Truth:
    """A legacy system's report printed to file: every 15 rows a blank line, "Page N" and the column header repeated."""
    lines = gen_lines(rng_for("repeated_page_headers_csv"), clients=CLIENTS[:8], n=42)
    header = ["Date", "Customer", "Invoice", "Amount"]
    rows: list[list] = []
    for i, ln in enumerate(lines):
        if i % 15 == 0:
            if i:
                rows.append([])
            rows += [[f"Page {i // 15 + 1}"], header]
        rows.append([us_date0(ln.date), ln.client, ln.invoice, num(ln.amount)])
    write_csv(folder / "sales_report.csv", rows)
    write_client_yml(folder, "sales_report.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)
