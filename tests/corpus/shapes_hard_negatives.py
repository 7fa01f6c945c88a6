"""Real clients that look like aggregates: names starting with Total/Sum/Count/Average,
rows placed where a total would be, amounts that happen to equal other rows or sums.
Expected: every such row stays an invoice of its client, with its revenue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from corpus.data import AS_OF, CLIENTS, HARD_NEGATIVES, gen_lines, rng_for, sort_by_client
from corpus.model import Line, Truth, shape, totals_truth, truth_of, write_client_yml
from corpus.subtotals import subtotal_items
from corpus.writers import (
    F,
    Fmt,
    Sheet,
    iso,
    num,
    uk_date,
    us_date,
    us_date0,
    write_csv,
    write_xlsx,
)

FAMILY = "hard_negatives"


def _move_last(lines: list[Line], client: str) -> list[Line]:
    """Put the client's latest in-window line at the very end of the file."""
    mine = [ln for ln in lines if ln.client == client and ln.date < AS_OF]
    last = mine[-1]
    return [ln for ln in lines if ln is not last] + [last]


@shape(FAMILY)
def hn_total_wine_last_row_csv(folder: Path) -> Truth:
    """A wine distributor's invoice CSV where the client "Total Wine & More" has several invoices, one of them the file's last row."""
    lines = gen_lines(rng_for("hn_total_wine_last_row_csv"), clients=CLIENTS[:6] + ("Total Wine & More",), n=36)
    lines += [Line(dt.date(2024, m, 20), "Total Wine & More", Decimal(f"{1800 + 37 * m}.45"), "Dana Scott", invoice=f"9{m:02d}")
              for m in (2, 6, 11)]
    lines = _move_last(sorted(lines, key=lambda ln: ln.date), "Total Wine & More")
    rows = [["Date", "Customer", "Invoice", "Amount", "Rep"]]
    rows += [[us_date(ln.date), ln.client, ln.invoice, num(ln.amount), ln.seller] for ln in lines]
    write_csv(folder / "wine_invoices.csv", rows)
    write_client_yml(folder, "wine_invoices.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=0)


@shape(FAMILY)
def hn_grand_total_fitness_last_row_xlsx(folder: Path) -> Truth:
    """An Excel invoice list whose last row belongs to the gym chain "Grand Total Fitness" (bold like everything in that row's style)."""
    lines = gen_lines(rng_for("hn_grand_total_fitness_last_row_xlsx"), clients=CLIENTS[3:9] + ("Grand Total Fitness",))
    lines += [Line(dt.date(2024, 4, 2), "Grand Total Fitness", Decimal("2450.00"), "Eli Moreno", invoice="7001"),
              Line(dt.date(2024, 12, 18), "Grand Total Fitness", Decimal("3120.75"), "Eli Moreno", invoice="7002")]
    lines = _move_last(sorted(lines, key=lambda ln: ln.date), "Grand Total Fitness")
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Invoice Date", "Customer", "Invoice No.", "Salesperson", "Amount")]]
    rows += [[ln.date, ln.client, ln.invoice, ln.seller, ln.amount] for ln in lines]
    write_xlsx(folder / "invoices.xlsx", [Sheet("Invoices", rows)])
    write_client_yml(folder, "invoices.xlsx", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=0)


@shape(FAMILY)
def hn_total_sa_several_invoices_csv(folder: Path) -> Truth:
    """A French export (;, 1 234,56, dd/mm/yyyy) where the oil company "TOTAL S.A." has dated invoices all year, including the last row."""
    rng = rng_for("hn_total_sa_several_invoices_csv")
    lines = gen_lines(rng, clients=CLIENTS[:5] + ("TOTAL S.A.",), n=30)
    lines += [Line(dt.date(2024, m, 28), "TOTAL S.A.", Decimal(rng.randrange(5_000_00, 40_000_00)) / 100, "Priya Nair", invoice=f"8{m:02d}")
              for m in range(1, 13, 2)]
    lines = _move_last(sorted(lines, key=lambda ln: ln.date), "TOTAL S.A.")
    rows = [["Date", "Client", "Facture", "Montant HT", "Commercial"]]
    rows += [[uk_date(ln.date), ln.client, ln.invoice, num(ln.amount, dec=",", thou=" "), ln.seller] for ln in lines]
    write_csv(folder / "factures.csv", rows, delimiter=";", encoding="utf-8", bom=True)
    write_client_yml(folder, "factures.csv", as_of=AS_OF, columns={"amount": "Montant HT", "seller": "Commercial"})
    return truth_of(lines, AS_OF, aggregate=0)


@shape(FAMILY)
def hn_sum_count_average_clients_csv(folder: Path) -> Truth:
    """An invoice CSV whose last three rows are the clients "Sum Systems", "Count Chocula Foods", "Average Joe's Gym" (dated, invoiced)."""
    lines = gen_lines(rng_for("hn_sum_count_average_clients_csv"), clients=CLIENTS[:6] + HARD_NEGATIVES[3:], n=36)
    tail = [Line(dt.date(2024, 12, 30), c, Decimal(a), "Tom Becker", invoice=f"99{i}") for i, (c, a) in
            enumerate((("Sum Systems", "4210.00"), ("Count Chocula Foods", "37.00"), ("Average Joe's Gym", "1305.50")))]
    lines = sorted(lines, key=lambda ln: ln.date) + tail
    rows = [["Date", "Customer", "Invoice", "Amount", "Sales Rep"]]
    rows += [[iso(ln.date), ln.client, ln.invoice, num(ln.amount, thou=None), ln.seller] for ln in lines]
    write_csv(folder / "invoices.csv", rows, newline="\n")
    write_client_yml(folder, "invoices.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=0)


@shape(FAMILY)
def hn_equal_amount_after_other_client_csv(folder: Path) -> Truth:
    """Invoices sorted by client where single invoices equal the rows above them (another client's run, the row above, every row above).

    Chosen: all stay invoices. Each row has its own date, invoice number, seller and an
    ordinary client name; a totals row carries none of these, so equal arithmetic alone
    is no evidence of a total."""
    lines = [
        Line(dt.date(2024, 2, 1), "Bluth Company", Decimal("1500.00"), "Dana Scott", invoice="2001"),
        Line(dt.date(2024, 3, 1), "Bluth Company", Decimal("1500.00"), "Dana Scott", invoice="2002"),
        Line(dt.date(2024, 5, 14), "Hooli", Decimal("3000.00"), "Eli Moreno", invoice="2003"),  # = Bluth's two rows
        Line(dt.date(2024, 6, 3), "Initech LLC", Decimal("750.00"), "Eli Moreno", invoice="2004"),
        Line(dt.date(2024, 6, 9), "Massive Dynamic", Decimal("750.00"), "Priya Nair", invoice="2005"),  # = the row above
        Line(dt.date(2024, 7, 22), "Oceanic Freight", Decimal("980.10"), "Priya Nair", invoice="2006"),
        Line(dt.date(2024, 9, 30), "Tyrell Systems", Decimal("5230.10"), "Tom Becker", invoice="2007"),
        Line(dt.date(2024, 10, 2), "Wonka Foods", Decimal("13710.20"), "Tom Becker", invoice="2008"),  # = all rows above
    ]
    rows = [["Customer", "Invoice Date", "Invoice", "Amount", "Salesperson"]]
    rows += [[ln.client, us_date0(ln.date), ln.invoice, num(ln.amount), ln.seller] for ln in lines]
    write_csv(folder / "billing.csv", rows)
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=0)


@shape(FAMILY)
def hn_running_sum_and_retainers_csv(folder: Path) -> Truth:
    """Monthly retainer invoices of equal amounts, and a client whose third invoice equals the sum of its first two (all real invoices)."""
    lines = [Line(dt.date(2024, m, 1), "Sterling Cooper", Decimal("2500.00"), "Dana Scott", invoice=f"R{m:02d}") for m in range(1, 13)]
    lines += [
        Line(dt.date(2024, 3, 5), "Cyberdyne Robotics", Decimal("1000.00"), "Eli Moreno", invoice="C1"),
        Line(dt.date(2024, 4, 9), "Cyberdyne Robotics", Decimal("500.00"), "Eli Moreno", invoice="C2"),
        Line(dt.date(2024, 8, 19), "Cyberdyne Robotics", Decimal("1500.00"), "Eli Moreno", invoice="C3"),
        Line(dt.date(2024, 11, 27), "Globex Corporation", Decimal("33000.00"), "Priya Nair", invoice="G1"),  # = every row above
    ]
    rows = [["Customer", "Date", "Invoice No", "Net Amount", "Account Manager"]]
    rows += [[ln.client, us_date0(ln.date), ln.invoice, num(ln.amount), ln.seller] for ln in lines]
    write_csv(folder / "retainers.csv", rows)
    write_client_yml(folder, "retainers.csv", as_of=AS_OF, columns={"seller": "Account Manager"})
    return truth_of(lines, AS_OF, aggregate=0)


@shape(FAMILY)
def hn_subtotals_of_lookalike_clients_csv(folder: Path) -> Truth:
    """Excel Data > Subtotal over a ledger with "Total Wine & More" and "Grand Total Fitness": rows "Total Wine & More Total", "Grand Total Fitness Total", "Grand Total"."""
    lines = sort_by_client(gen_lines(rng_for("hn_subtotals_of_lookalike_clients_csv"),
                                     clients=CLIENTS[:4] + HARD_NEGATIVES, n=44))
    items = subtotal_items(lines)
    rows = [["Date", "Customer", "Rep", "Amount"]]
    for it in items:
        if it.kind == "detail":
            rows.append([us_date(it.line.date), it.line.client, it.line.seller, num(it.line.amount)])
        else:
            rows.append([None, it.label, None, num(it.value)])
    write_csv(folder / "subtotals.csv", rows, encoding="cp1252")
    write_client_yml(folder, "subtotals.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF, aggregate=sum(it.kind != "detail" for it in items))


@shape(FAMILY)
def hn_client_named_total_with_setting_xlsx(folder: Path) -> Truth:
    """A client billed under the bare name "TOTAL" (the energy group), declared real with billing.not_totals: ["TOTAL"], plus a real Grand Total row."""
    rng = rng_for("hn_client_named_total_with_setting_xlsx")
    lines = gen_lines(rng, clients=CLIENTS[:6], n=30)
    lines += [Line(dt.date(2024, m, 15), "TOTAL", Decimal(rng.randrange(3_000_00, 9_000_00)) / 100, "Tom Becker", invoice=f"T{m}")
              for m in (1, 4, 7, 10)]
    lines.sort(key=lambda ln: ln.date)
    rows: list[list] = [[Fmt(h, bold=True) for h in ("Date", "Customer", "Invoice", "Sales Rep", "Amount")]]
    rows += [[ln.date, ln.client, ln.invoice, ln.seller, ln.amount] for ln in lines]
    n = len(rows)
    total = sum((ln.amount for ln in lines), Decimal(0))
    rows.append([None, Fmt("Grand Total", bold=True), None, None, F(f"=SUM(E2:E{n})", total)])
    write_xlsx(folder / "billing.xlsx", [Sheet("Billing", rows)])
    write_client_yml(folder, "billing.xlsx", as_of=AS_OF, not_totals=["TOTAL"])
    return truth_of(lines, AS_OF, aggregate=1)


@shape(FAMILY)
def hn_totals_ledger_lookalike_last_rows_csv(folder: Path) -> Truth:
    """A 12-month totals list (one row per customer, no dates, no total row) ending with "Total Wine & More" and "Grand Total Fitness"."""
    rng = rng_for("hn_totals_ledger_lookalike_last_rows_csv")
    names = CLIENTS[:8] + ("Total Wine & More", "Grand Total Fitness")
    lines = [Line(None, c, Decimal(rng.randrange(500_00, 60_000_00)) / 100) for c in names]
    rows = [["Customer", "12 Month Sales"]]
    rows += [[ln.client, num(ln.amount)] for ln in lines]
    write_csv(folder / "customer_sales_12m.csv", rows)
    write_client_yml(folder, "customer_sales_12m.csv", as_of=AS_OF, columns={"amount": "12 Month Sales"})
    return totals_truth(lines, aggregate=0)
