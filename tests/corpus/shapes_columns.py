"""Column choice with evidence: general-ledger account columns beside the customer,
invoice totals repeated on every line, ERP net/tax/freight/total columns, two equally
plausible amounts, files with and without a date column; and exports of real systems
(Xero, Sage, NetSuite, Stripe, HubSpot, Shopify) whose headers say which column is
which only to someone who knows them."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from corpus.data import ACCENTED, AS_OF, CLIENTS, SELLERS, gen_lines, rng_for
from corpus.model import Line, Refusal, Truth, shape, totals_truth, truth_of, write_client_yml
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

FAMILY = "columns"
SYSTEMS = "systems"


def _sum(lines) -> Decimal:
    return sum((ln.amount for ln in lines), Decimal(0))


def _q(v: Decimal, places: str = "0.01") -> Decimal:
    return v.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@shape(FAMILY)
def gl_account_beside_name_qbo_csv(folder: Path) -> Truth:
    """QuickBooks Online "Transaction List by Date" CSV: title block, Name (the customer) beside Account ("4000 Sales", "4010 Services Revenue"), Split, Amount."""
    rng = rng_for("gl_account_beside_name_qbo_csv")
    lines = gen_lines(rng, clients=CLIENTS[:9], n=40)
    rows: list[list] = [["Craig's Design and Landscaping Services"], ["Transaction List by Date"], ["January 1, 2023 - December 31, 2024"], []]
    rows.append([None, "Date", "Transaction Type", "Num", "Posting", "Name", "Memo/Description", "Account", "Split", "Amount"])
    for ln in lines:
        account = rng.choice(["4000 Sales", "4010 Services Revenue", "4020 Consulting Income"])
        rows.append([None, us_date0(ln.date), "Credit Memo" if ln.amount < 0 else "Invoice", ln.invoice, "Yes", ln.client,
                     "Monthly services", account, "1200 Accounts Receivable (A/R)", num(ln.amount)])
    write_csv(folder / "Transaction List by Date.csv", rows)
    write_client_yml(folder, "Transaction List by Date.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def gl_account_dot_qbd_csv(folder: Path) -> Truth:
    """QuickBooks Desktop "Custom Transaction Detail" CSV: Account "4000 · Sales Income" (middle dot) beside Name and Rep."""
    rng = rng_for("gl_account_dot_qbd_csv")
    lines = gen_lines(rng, clients=CLIENTS[4:12], n=40)
    rows: list[list] = [[None, "Type", "Date", "Num", "Name", "Memo", "Account", "Rep", "Amount"]]
    for ln in lines:
        account = rng.choice(["4000 · Sales Income", "4100 · Service Income"])
        rows.append([None, "Invoice", us_date0(ln.date), ln.invoice, ln.client, "Services", account,
                     "".join(p[0] for p in ln.seller.split()), num(ln.amount)])
    write_csv(folder / "custom_transaction_detail.csv", rows, encoding="cp1252")
    write_client_yml(folder, "custom_transaction_detail.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def gl_detail_customer_intacct_csv(folder: Path) -> Truth:
    """A Sage Intacct general-ledger detail CSV: Account ("4000 - Sales Revenue"), Posting date, Doc, Customer ID, Customer name, Amount."""
    rng = rng_for("gl_detail_customer_intacct_csv")
    lines = gen_lines(rng, clients=CLIENTS[:8] + ACCENTED[:1], n=40)
    ids = {c: f"C-{zlib.crc32(c.encode()) % 10000:04d}" for c in {ln.client for ln in lines}}
    rows: list[list] = [["Account", "Posting date", "Doc", "Memo", "Customer ID", "Customer name", "Amount"]]
    rows += [[rng.choice(["4000 - Sales Revenue", "4050 - Subscription Revenue"]), us_date0(ln.date), f"INV-{ln.invoice}",
              "Sales invoice", ids[ln.client], ln.client, num(ln.amount, thou=None)] for ln in lines]
    write_csv(folder / "gl_detail.csv", rows, encoding="utf-8", bom=True)
    write_client_yml(folder, "gl_detail.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY)
def invoice_total_repeated_csv(folder: Path) -> Truth:
    """An invoice-details export (Zoho/FreshBooks style): one row per line with the line Amount, and the invoice Total repeated on each of its lines."""
    rng = rng_for("invoice_total_repeated_csv")
    invoices = gen_lines(rng, clients=CLIENTS[:8], n=24, credits=0)
    lines: list[Line] = []
    rows: list[list] = [["Invoice Date", "Invoice Number", "Customer Name", "Item Name", "Quantity", "Item Price", "Amount", "Total"]]
    for inv in invoices:
        parts = []
        for _ in range(rng.randrange(1, 4)):
            qty = rng.randrange(1, 6)
            price = Decimal(rng.randrange(50_00, 2_000_00)) / 100
            parts.append((qty, price, qty * price))
        total = sum((p[2] for p in parts), Decimal(0))
        for j, (qty, price, amount) in enumerate(parts):
            rows.append([iso(inv.date), f"INV-{inv.invoice}", inv.client, f"Item {j + 1}", str(qty), str(price), str(amount), str(total)])
            lines.append(inv.with_(amount=amount))
    write_csv(folder / "invoice_details.csv", rows, newline="\n")
    write_client_yml(folder, "invoice_details.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


def _aw_orders(name: str) -> list[tuple[Line, Decimal, Decimal]]:
    """AdventureWorks-style orders: SubTotal with 4 decimals, TaxAmt 8%, Freight 2.5%."""
    rng = rng_for(name)
    resellers = ("Bike World", "Metro Sports Equipment", "Fitness Hotel", "Rural Cycle Emporium", "Vigorous Sports Store",
                 "Sporting Goods Mart", "Wholesale Bikes, Inc.", "Grand Bicycle Store")
    reps = ("Linda Mitchell", "Jillian Carson", "Michael Blythe", "Shu Ito")
    base = gen_lines(rng, clients=resellers, n=36, credits=0, sellers=reps, lo=500_0000, hi=90_000_0000)
    out = []
    for ln in base:
        sub = Decimal(rng.randrange(500_0000, 90_000_0000)) / 10000
        out.append((ln.with_(amount=sub, invoice=f"SO{43659 + len(out)}"), _q(sub * Decimal("0.08"), "0.0001"),
                    _q(sub * Decimal("0.025"), "0.0001")))
    return out


@shape(FAMILY)
def erp_adventureworks_xlsx(folder: Path) -> Truth:
    """An ERP (AdventureWorks-style) reseller sales workbook: title block, SalesOrderNumber, OrderDate, Reseller, Sales Representative, SubTotal, TaxAmt, Freight, TotalDue, Grand Total."""
    orders = _aw_orders("erp_adventureworks_xlsx")
    rows: list[list] = [[Fmt("Adventure Works Cycles", bold=True)], ["Reseller Sales Orders"], ["Fiscal Years 2023-2024"], []]
    rows.append([Fmt(h, bold=True) for h in ("SalesOrderNumber", "OrderDate", "Reseller", "Sales Representative",
                                              "SubTotal", "TaxAmt", "Freight", "TotalDue")])
    first = len(rows) + 1
    for ln, tax, freight in orders:
        rows.append([ln.invoice, ln.date, ln.client, ln.seller, Fmt(ln.amount, "#,##0.0000"), Fmt(tax, "#,##0.0000"),
                     Fmt(freight, "#,##0.0000"), Fmt(ln.amount + tax + freight, "#,##0.0000")])
    last = len(rows)
    sums = [sum(x, Decimal(0)) for x in zip(*[(ln.amount, t, f, ln.amount + t + f) for ln, t, f in orders], strict=True)]
    rows.append([Fmt("Grand Total", bold=True), None, None, None]
                + [F(f"=SUM({c}{first}:{c}{last})", v, "#,##0.0000") for c, v in zip("EFGH", sums, strict=True)])
    write_xlsx(folder / "Reseller Sales.xlsx", [Sheet("Reseller Sales", rows)])
    write_client_yml(folder, "Reseller Sales.xlsx", as_of=AS_OF)
    return truth_of([o[0] for o in orders], AS_OF, aggregate=1)


@shape(FAMILY)
def erp_subtotal_tax_freight_csv(folder: Path) -> Truth:
    """An ERP order export to CSV: title lines, Order Date, Order No, Reseller, Sales Representative, Subtotal, Tax, Freight, Total Due, and a Grand Total row."""
    orders = _aw_orders("erp_subtotal_tax_freight_csv")
    rows: list[list] = [["Adventure Works Cycles"], ["Sales Orders by Reseller"], ["Run date: 01/07/2025"], []]
    rows.append(["Order Date", "Order No", "Reseller", "Sales Representative", "Subtotal", "Tax", "Freight", "Total Due"])
    for ln, tax, freight in orders:
        rows.append([us_date(ln.date), ln.invoice, ln.client, ln.seller, num(ln.amount, places=4), num(tax, places=4),
                     num(freight, places=4), num(ln.amount + tax + freight, places=4)])
    sums = [sum(x, Decimal(0)) for x in zip(*[(ln.amount, t, f, ln.amount + t + f) for ln, t, f in orders], strict=True)]
    rows.append(["Grand Total", None, None, None] + [num(v, places=4) for v in sums])
    write_csv(folder / "sales_orders.csv", rows)
    write_client_yml(folder, "sales_orders.csv", as_of=AS_OF)
    return truth_of([o[0] for o in orders], AS_OF, aggregate=1)


@shape(FAMILY)
def two_amount_columns_refused(folder: Path) -> Refusal:
    """A CRM account export with both "Sales" (booked) and "Revenue" (recognised) per invoice and nothing saying which to use: refused, listing both."""
    rng = rng_for("two_amount_columns_refused")
    lines = gen_lines(rng, clients=CLIENTS[:8], credits=0)
    rows = [["Date", "Customer", "Sales", "Revenue"]]
    rows += [[iso(ln.date), ln.client, num(ln.amount, thou=None), num(_q(ln.amount * Decimal(rng.randrange(70, 100)) / 100), thou=None)]
             for ln in lines]
    write_csv(folder / "crm_export.csv", rows)
    write_client_yml(folder, "crm_export.csv", as_of=AS_OF)
    return Refusal((r"\bSales\b", r"\bRevenue\b", r"amount"), why="presents both as the amount's candidates",
                   ignore=r"\(headers found:[^)]*\)|such as [^.;\n]*")


def _by_product_line(name: str) -> list[Line]:
    rng = rng_for(name)
    return [Line(None, c, Decimal(rng.randrange(1_000_00, 40_000_00)) / 100, memo=p)
            for c in CLIENTS[:7] for p in ("Hardware", "Software", "Services") if rng.random() < 0.8]


@shape(FAMILY)
def no_date_several_rows_refused(folder: Path) -> Refusal:
    """A "Sales by Customer and Product Line" summary (no date column; clients on several rows): refused, naming twelve_month_totals (or columns.date)."""
    lines = _by_product_line("no_date_several_rows")
    rows = [["Customer", "Product Line", "Sales"]] + [[ln.client, ln.memo, num(ln.amount)] for ln in lines]
    write_csv(folder / "sales_by_customer_product.csv", rows)
    write_client_yml(folder, "sales_by_customer_product.csv", as_of=AS_OF)
    return Refusal.setting("twelve_month_totals")


@shape(FAMILY)
def twelve_month_totals_setting_summed_csv(folder: Path) -> Truth:
    """The same customer-by-product-line summary with billing.twelve_month_totals: true: each client's rows summed."""
    lines = _by_product_line("no_date_several_rows")
    rows = [["Customer", "Product Line", "Sales"]] + [[ln.client, ln.memo, num(ln.amount)] for ln in lines]
    write_csv(folder / "sales_by_customer_product.csv", rows)
    write_client_yml(folder, "sales_by_customer_product.csv", as_of=AS_OF, twelve_month_totals=True)
    return totals_truth(lines)


@shape(FAMILY)
def no_date_one_row_per_client_csv(folder: Path) -> Truth:
    """A CRM "Accounts" export with one row per account and its last-12-months revenue, no date column: a 12-month totals file."""
    rng = rng_for("no_date_one_row_per_client_csv")
    lines = [Line(None, c, Decimal(rng.randrange(0, 80_000_00)) / 100, seller=rng.choice(SELLERS)) for c in CLIENTS[:14]]
    rows = [["Account Name", "Account Owner", "Industry", "Revenue (Last 12 Months)"]]
    rows += [[ln.client, ln.seller, "Manufacturing", num(ln.amount)] for ln in lines]
    write_csv(folder / "accounts.csv", rows)
    write_client_yml(folder, "accounts.csv", as_of=AS_OF, columns={"amount": "Revenue (Last 12 Months)"})
    return totals_truth(lines)


# ------------------------------------------------------------------ real systems


@shape(SYSTEMS)
def xero_invoices_export_csv(folder: Path) -> Truth:
    """Xero Sales > Invoices > Export CSV (UK org): ContactName, InvoiceDate dd/mm/yyyy, invoice Total/TaxTotal repeated per line, LineAmount (net), TaxAmount.

    Chosen: the client is ContactName and the amount the net LineAmount; Total and
    TaxTotal are invoice-level gross figures repeated on every line, TaxAmount is VAT."""
    rng = rng_for("xero_invoices_export_csv")
    invoices = gen_lines(rng, clients=CLIENTS[:8], n=26, credits=0)
    header = ["ContactName", "EmailAddress", "POAddressLine1", "POCity", "POPostalCode", "POCountry", "InvoiceNumber",
              "Reference", "InvoiceDate", "DueDate", "Total", "TaxTotal", "InvoiceAmountPaid", "InvoiceAmountDue",
              "InventoryItemCode", "Description", "Quantity", "UnitAmount", "Discount", "LineAmount", "AccountCode",
              "TaxType", "TaxAmount", "TrackingName1", "TrackingOption1", "Currency", "Type", "Sent", "Status"]
    rows: list[list] = [header]
    lines: list[Line] = []
    for inv in invoices:
        parts = []
        for _ in range(rng.randrange(1, 4)):
            qty = rng.randrange(1, 5)
            unit = Decimal(rng.randrange(100_00, 3_000_00)) / 100
            parts.append((qty, unit, qty * unit, _q(qty * unit * Decimal("0.2"))))
        net = sum((p[2] for p in parts), Decimal(0))
        tax = sum((p[3] for p in parts), Decimal(0))
        due = inv.date + dt.timedelta(days=30)
        slug = inv.client.split()[0].strip(",").lower()
        for qty, unit, line_amount, line_tax in parts:
            rows.append([inv.client, f"accounts@{slug}.example", "1 High Street", "London", "EC1A 1BB", "United Kingdom",
                         f"INV-{inv.invoice}", "", uk_date(inv.date), uk_date(due), str(net + tax), str(tax),
                         str(net + tax), "0.00", "", "Consulting services", f"{qty}.0000", f"{unit}", "",
                         str(line_amount), "200", "20% (VAT on Income)", str(line_tax), "", "", "GBP", "Sales invoice",
                         "Sent", "Paid"])
            lines.append(inv.with_(amount=line_amount))
    write_csv(folder / "Invoices_Export.csv", rows, encoding="utf-8", bom=True)
    write_client_yml(folder, "Invoices_Export.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(SYSTEMS)
def sage50_net_tax_gross_csv(folder: Path) -> Truth:
    """Sage 50 Accounts (UK) customer invoice list to CSV: Type, Account (Sage's customer reference), Name, Date dd/mm/yyyy, Ref, Details, Net, Tax, Gross.

    client.yml maps the client (Name) and its id (Account, references like ACME001), as
    the consultant would; the amount must be Net (Tax is VAT, Gross = Net + Tax)."""
    rng = rng_for("sage50_net_tax_gross_csv")
    lines = gen_lines(rng, clients=CLIENTS[:8] + ACCENTED[:1], n=40, credits=0)
    rows = [["Type", "Account", "Name", "Date", "Ref", "Details", "Net", "Tax", "Gross"]]
    for ln in lines:
        ref = "".join(ch for ch in ln.client.upper() if ch.isalpha())[:5] + "001"
        tax = _q(ln.amount * Decimal("0.2"))
        rows.append(["SI", ref, ln.client, uk_date(ln.date), ln.invoice, "Consultancy", num(ln.amount, thou=None),
                     num(tax, thou=None), num(ln.amount + tax, thou=None)])
    write_csv(folder / "customer_invoices.csv", rows, encoding="cp1252")
    write_client_yml(folder, "customer_invoices.csv", as_of=AS_OF, columns={"client": "Name", "client_id": "Account"})
    return truth_of(lines, AS_OF)


@shape(SYSTEMS)
def netsuite_saved_search_csv(folder: Path) -> Truth:
    """A NetSuite transaction saved search exported to CSV: Internal ID, Date, Type, Document Number, Name ("C1042 Acme Corp"), Account ("4000 Sales : Product"), Amount, Sales Rep."""
    rng = rng_for("netsuite_saved_search_csv")
    base = gen_lines(rng, clients=CLIENTS[:9], n=40)
    ids = {c: f"C{1000 + zlib.crc32(c.encode()) % 900}" for c in CLIENTS[:9]}
    lines = [ln.with_(client=f"{ids[ln.client]} {ln.client}") for ln in base]
    rows = [["Internal ID", "Date", "Type", "Document Number", "Name", "Memo", "Account", "Amount", "Sales Rep"]]
    rows += [[str(20000 + i), us_date(ln.date), "Credit Memo" if ln.amount < 0 else "Invoice", f"INV{ln.invoice}", ln.client,
              "", rng.choice(["4000 Sales : Product Sales", "4100 Sales : Service Revenue"]), str(ln.amount), ln.seller]
             for i, ln in enumerate(lines)]
    write_csv(folder / "TransactionSearchResults.csv", rows)
    write_client_yml(folder, "TransactionSearchResults.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(SYSTEMS)
def stripe_invoices_export_csv(folder: Path) -> Truth:
    """Stripe Dashboard > Invoices > Export (CSV): id, Amount Due/Paid/Remaining, Customer (cus_ id), Customer Name, Date (UTC), Status, Subtotal, Tax, Total.

    client.yml maps client/amount/date and excludes void and draft invoices, as a
    consultant would: Subtotal is the net invoiced amount."""
    rng = rng_for("stripe_invoices_export_csv")
    base = gen_lines(rng, clients=CLIENTS[:8], n=40, credits=0, lo=20_00, hi=2_000_00)
    header = ["id", "Amount Due", "Amount Paid", "Amount Remaining", "Attempt Count", "Attempted", "Auto Advance",
              "Billing", "Currency", "Customer", "Customer Email", "Customer Name", "Date (UTC)", "Description",
              "Number", "Paid", "Status", "Subscription", "Subtotal", "Tax", "Total"]
    rows: list[list] = [header]
    kept: list[Line] = []
    for i, ln in enumerate(base):
        status = "paid" if i % 9 else rng.choice(["void", "draft", "open", "uncollectible"])
        tax = _q(ln.amount * Decimal("0.0825"))
        total = ln.amount + tax
        paid = total if status == "paid" else Decimal(0)
        cus = f"cus_{zlib.crc32(ln.client.encode()):08X}"
        rows.append([f"in_1O{i:04d}abcdEFGH", str(total), str(paid), str(total - paid), "1" if status == "paid" else "0",
                     "true" if status == "paid" else "false", "true", "charge_automatically", "usd", cus,
                     f"billing@{ln.client.split()[0].strip(',').lower()}.example", ln.client,
                     f"{ln.date} {rng.randrange(24):02d}:{rng.randrange(60):02d}", "Subscription update",
                     f"{cus[4:12]}-{i + 1:04d}", "true" if status == "paid" else "false", status, f"sub_{i:06d}",
                     str(ln.amount), str(tax), str(total)])
        if status not in ("void", "draft"):
            kept.append(ln)
    write_csv(folder / "invoices.csv", rows, newline="\n")
    write_client_yml(folder, "invoices.csv", as_of=AS_OF,
                     columns={"client": "Customer Name", "amount": "Subtotal", "date": "Date (UTC)", "client_id": "Customer"},
                     exclude={"Status": ["void", "draft"]})
    return truth_of(kept, AS_OF)


@shape(SYSTEMS)
def hubspot_deals_export_xlsx(folder: Path) -> Truth:
    """A HubSpot deals export (XLSX): Record ID, Deal Name, Deal Stage, Close Date as text "2024-03-15 14:30", Deal owner, Amount, Associated Company; only Closed Won counted.

    client.yml maps the client (Associated Company) and excludes every stage but Closed Won."""
    rng = rng_for("hubspot_deals_export_xlsx")
    base = gen_lines(rng, clients=CLIENTS[:9], n=40, credits=0, lo=1_000_00, hi=60_000_00)
    stages = ["Closed Won"] * 6 + ["Closed Lost", "Contract Sent", "Decision Maker Bought-In"]
    header = ["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount", "Pipeline", "Associated Company",
              "Create Date"]
    rows: list[list] = [[Fmt(h, bold=True) for h in header]]
    won: list[Line] = []
    for i, ln in enumerate(base):
        stage = rng.choice(stages)
        rows.append([9_000_000_000 + i, f"{ln.client} - {ln.date:%b %Y}", stage, f"{ln.date} {rng.randrange(8, 19):02d}:30",
                     ln.seller, ln.amount, "Sales Pipeline", ln.client, f"{ln.date - dt.timedelta(days=45)} 09:00"])
        if stage == "Closed Won":
            won.append(ln)
    write_xlsx(folder / "hubspot-crm-exports-all-deals-2025-01-07.xlsx", [Sheet("All deals", rows)])
    write_client_yml(folder, "hubspot-crm-exports-all-deals-2025-01-07.xlsx", as_of=AS_OF,
                     columns={"client": "Associated Company", "date": "Close Date", "seller": "Deal owner"},
                     exclude={"Deal Stage": ["Closed Lost", "Contract Sent", "Decision Maker Bought-In"]})
    return truth_of(won, AS_OF)


@shape(SYSTEMS)
def shopify_orders_export_csv(folder: Path) -> Truth:
    """A Shopify Orders export: one row per line item; order fields (Financial Status, Subtotal, Billing Company...) only on an order's first row.

    client.yml maps Billing Company and Subtotal (net of shipping and taxes); the other
    line-item rows of an order have no amount and count nothing."""
    rng = rng_for("shopify_orders_export_csv")
    orders = gen_lines(rng, clients=CLIENTS[:8], n=30, credits=0, lo=40_00, hi=3_000_00)
    header = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
              "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
              "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
              "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
              "Billing Name", "Billing Street", "Billing Company", "Billing City", "Billing Zip", "Billing Country"]
    rows: list[list] = [header]
    truth_lines: list[Line] = []
    for k, order in enumerate(orders):
        items = []
        for _ in range(rng.randrange(1, 4)):
            qty = rng.randrange(1, 4)
            price = Decimal(rng.randrange(10_00, 500_00)) / 100
            items.append((qty, price))
        subtotal = sum((q * p for q, p in items), Decimal(0))
        shipping = Decimal("12.00")
        taxes = _q(subtotal * Decimal("0.07"))
        created = f"{order.date} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} -0500"
        for j, (qty, price) in enumerate(items):
            first = j == 0
            rows.append([f"#{1001 + k}", "buyer@example.com", "paid" if first else None, created if first else None,
                         "fulfilled" if first else None, created if first else None, "no" if first else None,
                         "USD" if first else None, str(subtotal) if first else None, str(shipping) if first else None,
                         str(taxes) if first else None, str(subtotal + shipping + taxes) if first else None, None,
                         "0.00" if first else None, "Standard" if first else None, created, str(qty), f"Widget {j + 1}",
                         str(price), None, f"W-{j + 1}", "true", "true", "fulfilled", "Jordan Buyer" if first else None,
                         "1 Main St" if first else None, order.client if first else None, "Springfield" if first else None,
                         "'01101" if first else None, "US" if first else None])
        truth_lines.append(order.with_(amount=subtotal))
    write_csv(folder / "orders_export_1.csv", rows, newline="\n")
    write_client_yml(folder, "orders_export_1.csv", as_of=AS_OF,
                     columns={"client": "Billing Company", "amount": "Subtotal", "date": "Created at"})
    return truth_of(truth_lines, AS_OF)


@shape(SYSTEMS)
def us_invoice_register_accounting_csv(folder: Path) -> Truth:
    """A mid-market ERP "Invoice Register" CSV (Sage 100 style): Invoice No., Invoice Date m/d/yy, Customer No., Customer Name, Salesperson, Net Sales, Sales Tax, Freight, Invoice Total.

    Chosen: Net Sales is the amount (net of tax and freight), Customer Name the client
    (Customer No. its id)."""
    rng = rng_for("us_invoice_register_accounting_csv")
    lines = gen_lines(rng, clients=CLIENTS[:9], n=36, credits=0.05)
    rows = [["Invoice No.", "Invoice Date", "Customer No.", "Customer Name", "Salesperson", "Net Sales", "Sales Tax", "Freight",
             "Invoice Total"]]
    for ln in lines:
        tax = _q(ln.amount * Decimal("0.06"))
        freight = Decimal("25.00") if ln.amount > 0 else Decimal(0)
        rows.append([ln.invoice.zfill(7), ln.date.strftime("%m/%d/%y"), f"01-{zlib.crc32(ln.client.encode()) % 9000 + 1000}",
                     ln.client, "".join(p[0] for p in ln.seller.split()), num(ln.amount), num(tax), num(freight),
                     num(ln.amount + tax + freight)])
    write_csv(folder / "invoice_register.csv", rows)
    write_client_yml(folder, "invoice_register.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)

