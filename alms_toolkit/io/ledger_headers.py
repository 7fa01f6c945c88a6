"""The headers a ledger's fields go by, in tiers (:data:`LEDGER_TIERS`), the status, type and
currency columns' headers, and which columns of a ledger file are read in full
(:func:`raw_ledger`). Nothing here imports pandas: the file is read by :func:`raw_ledger`
while the toolkit's other modules are imported (:mod:`.read_ahead`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from .columns import find_header, normalise_header

if TYPE_CHECKING:
    from ..config import ClientConfig
    from .readers import RawTable

__all__ = [
    "LEDGER_TIERS", "INVOICE_NAMES", "TAX_NAMES", "STATUS_NAMES", "TYPE_NAMES", "CURRENCY_NAMES",
    "all_ledger_names", "raw_ledger",
]

#: field -> header names in tiers (first tier best); case, spaces, ``_-.`` ignored
LEDGER_TIERS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "date": (
        (
            "Invoice Date", "InvoiceDate", "Inv Date", "Billing Date", "Bill Date", "Transaction Date",
            "Txn Date", "Trans Date", "Posting Date", "Post Date", "Document Date", "Doc Date", "Date",
            "Order Date", "Sale Date", "Sales Date", "Close Date", "Closed Date", "Date Closed",
            "Closed Won Date", "Actual Close Date", "Actual Close", "Accounting Date", "GL Date", "Entry Date", "Booking Date", "Invoice Month",
            "Billing Month", "Billing Period", "Period", "Month", "Datum", "Rechnungsdatum", "Belegdatum",
            "Fecha", "Fecha Factura", "Date Facture", "Date de facture", "Data", "Data Fattura",
            "Factuurdatum", "Invoice/Bill Date", "Invoice Posting Date",
        ),
        (
            "Created Date", "Created", "Create Date", "Date Created", "Ship Date", "Shipped Date", "ShipDate",
            "Delivery Date", "Due Date", "DueDate", "Payment Date", "Paid Date", "Last Modified Date",
            "Modified Date", "Start Date", "End Date", "Service Date", "Est. Close Date", "Estimated Close Date",
            "Expected Close Date", "Modified On", "Created On",
        ),
    ),
    "amount": (
        (
            "Amount", "Net Amount", "Net", "Net Sales", "Net Revenue", "Line Amount", "LineAmount",
            "Line Total", "LineTotal", "Line Net", "Extended Price", "ExtendedPrice", "Extended Amount",
            "Ext Price", "Ext Amount", "Sales", "Sales Amount", "Revenue", "Billing", "Billed Amount",
            "Subtotal", "Sub Total", "Line Subtotal", "Net Value", "Turnover", "Umsatz", "Betrag",
            "Nettobetrag", "Netto", "Montant", "Montant HT", "Importe", "Importo", "Bedrag",
            "Amount Excl Tax", "Amount Excl VAT", "Sale Amount", "Total Revenue", "Amount (net)",
            "Net Total", "Total Net", "Net Amount (USD)", "Actual Revenue", "Won Amount", "Deal Amount",
            "Booking Amount", "Bookings", "Contract Value", "Untaxed Amount", "Untaxed Amount Signed",
            "Amount Untaxed",
        ),
        (
            "Total", "Total Amount", "Gross", "Gross Amount", "Total Due", "TotalDue", "Invoice Total",
            "Grand Total", "Amount Incl Tax", "Amount Incl VAT", "Amount Due", "Total Incl Tax",
            "Invoice Amount", "Total Price", "Gross Sales", "Brutto", "Bruttobetrag", "Montant TTC",
            "Amount (gross)", "Value",
        ),
    ),
    "client": (
        (
            "Customer", "Customer Name", "Client", "Client Name", "Company", "Company Name",
            "Account Name", "Reseller", "Reseller Name", "Dealer", "Dealer Name", "Store", "Store Name",
            "Sold-to", "Sold-to Name", "Sold To", "Sold To Name", "Sold-to Party", "Bill-to", "Bill-to Name",
            "Bill To", "Bill To Name", "Bill-to Customer", "Advertiser", "Advertiser Name", "Buyer",
            "Buyer Name", "ContactName", "Contact Name", "Organisation", "Organization",
            "Organization Name", "Debtor", "Debtor Name", "Customer:Job", "Customer Full Name", "Potential Customer",
            "Associated Company", "Associated Company Name", "Debitor", "Debitorname", "Party Name", "Party",
            "Kunde", "Kundenname", "Cliente", "Nom du client", "Klant", "Klantnaam", "Payer", "Partner",
            "Partner Name", "Customer/Vendor", "Invoice Partner Display Name", "Sell-to Customer Name",
            "Bill-to Customer Name", "Billing Company", "Customer Company", "Name of payer", "Payer Name",
            "Name of sold-to party", "Sold-to Party Name",
        ),
        ("Account", "Name", "Agency", "Agency Name", "Contact", "Ship-to", "Ship To Name", "Brand", "Row Labels",
         "Billing Name"),
    ),
    "seller": (
        (
            "Rep", "Sales Rep", "Sales Rep Name", "Salesperson", "Sales Person", "Salesman",
            "Sales Representative", "Seller", "Owner", "Account Owner", "Opportunity Owner", "Deal Owner",
            "Record Owner", "AE", "Account Executive", "Account Manager", "Sales Agent", "Sales Employee",
            "Representative", "Rep Name", "Sales Owner", "Salesperson Name", "Vendedor", "Verkäufer",
            "Commercial", "Sales Manager",
        ),
        ("Employee", "Agent", "Assigned To", "Employee Name", "User"),
    ),
    "client_id": (
        (
            "Customer ID", "CustomerID", "Customer No", "Customer Number", "Customer #", "Customer Code",
            "Cust ID", "Cust No", "Cust #", "Client ID", "Client Code", "Client No", "Account ID",
            "Account Number", "Account No", "Acct No", "Reseller Key", "ResellerKey", "Reseller ID",
            "Store ID", "Store Key", "StoreKey", "Sold-to ID", "Sold-to Number", "Bill-to ID",
            "Bill-to Number", "Debtor No", "Debtor Number", "Kundennummer", "Kunden-Nr", "Customer Key",
            "CustomerKey", "Dealer ID", "Dealer Code", "Advertiser ID", "Company ID", "Organization ID",
            "Contact ID", "BP Number", "Cust Ref", "Customer Ref", "Customer Reference", "Client Ref",
            "Client Reference", "Account Ref", "A/C Ref", "Acct Ref", "Sell-to Customer No.", "Bill-to Customer No.",
        ),
    ),
}

#: headers that are never the amount although they hold money or numbers
_NEVER_AMOUNT = {
    normalise_header(h)
    for h in (
        "Balance", "Open Balance", "Running Balance", "Qty", "Quantity", "Units", "Unit Price", "UnitPrice",
        "Price", "Sales Price", "Rate", "Unit Cost", "Cost", "Tax", "Tax Amount", "TaxAmt", "Tax Total",
        "TaxTotal", "VAT", "GST", "Freight", "Shipping", "Discount", "Margin", "Profit", "Probability",
        "Probability (%)", "Commission", "Weight", "Amount Paid", "Payment", "Paid", "Amount Due",
        "Expected Revenue", "Unit Amount", "UnitAmount", "List Price", "Invoice Amount Paid",
        "InvoiceAmountPaid", "Invoice Amount Due", "InvoiceAmountDue", "Order Qty", "OrderQty",
        "Est. Revenue", "Estimated Revenue", "Weighted Revenue", "Weighted Amount",
    )
}

#: invoice number headers (for the line-amount vs invoice-total evidence)
INVOICE_NAMES = (
    "Invoice", "Invoice No", "Invoice Number", "Invoice #", "InvoiceNo", "InvoiceNumber", "Inv No", "Invoice ID",
    "Inv #", "Invoice Ref", "Document ID",
    "Num", "No", "Document No", "Document Number", "Doc No", "Order ID", "Order No", "Order Number",
    "SalesOrderNumber", "Sales Order Number", "SalesOrderID", "Transaction ID", "Reference", "Ref",
    "Rechnungsnummer", "Belegnummer", "Factuurnummer", "Numéro de facture",
)
#: tax and freight headers (for the net vs gross evidence)
TAX_NAMES = (
    "Tax", "Tax Amount", "TaxAmt", "Tax Total", "TaxTotal", "VAT", "GST", "Sales Tax", "Taxes",
    "Freight", "Shipping", "Shipping Amount", "Handling",
)
_NOT_AMOUNT_WORDS = re.compile(
    r"\b(?:tax|vat|gst|freight|shipping|discount|cost|qty|quantity|price|rate|balance|paid|margin|profit|"
    r"commission|weight|probability|weighted|estimated|est)\b", re.I)

_TIER_OF: dict[str, dict[str, int]] = {
    f: {normalise_header(n): t for t, names in enumerate(tiers) for n in names}
    for f, tiers in LEDGER_TIERS.items()
}


def all_ledger_names() -> list[str]:
    """Every recognised ledger header (finds the header row below a title block)."""
    names = [n for tiers in LEDGER_TIERS.values() for tier in tiers for n in tier]
    return names + list(INVOICE_NAMES) + list(TAX_NAMES) + ["Qty", "Quantity", "Unit Price", "Description", "Memo"]


def _loose(header: str) -> str:
    """'Amount (USD)' -> 'amount'; '$ Net Amount' -> 'netamount'; 'Sum of Amount' (a
    pivot table's value field) -> 'amount'."""
    text = re.sub(r"^\s*(?:sum|total)\s+of\s+", "", header, flags=re.I)
    return normalise_header(re.sub(r"\(.*?\)|\[.*?\]|[$€£#:]", " ", text))


def _tier(field: str, header: str) -> int | None:
    tiers = _TIER_OF[field]
    key = normalise_header(header)
    if key in tiers:
        return tiers[key]
    if field == "amount" and (key in _NEVER_AMOUNT or _NOT_AMOUNT_WORDS.search(header)):
        return None  # "Amount (Tax)", "Sales Price": a name close to the amount's, not the amount
    loose = _loose(header)
    return tiers.get(loose)


STATUS_NAMES = tuple(
    normalise_header(n)
    for n in (
        "Stage", "Status", "Deal Stage", "Opportunity Stage", "Stage Name", "Sales Stage", "Invoice Status",
        "Order Status", "Document Status", "Doc Status", "State", "Deal Status", "Opportunity Status",
        "Pipeline Stage", "Belegstatus", "Statut", "Estado", "Financial Status", "Payment Status", "Sale Status",
        "Charge Status", "Transaction Status", "Order State", "Invoice State", "Void Status", "Approval Status",
        "Posting Status", "Billing Status", "Document State",
    )
)
#: a column whose header is a state that is no billing, holding yes or no ('Makulerad: Ja/Nej',
#: Fortnox's cancelled invoices; 'Voided: True/False'; 'Cancelled? Y/N')
STATUS_FLAG_COLUMN = re.compile(
    r"^\s*(?:is\s+)?(?:makulerad|makulerat|annullerad|cancel+ed|void(?:ed)?|storniert|deleted|gelöscht|annul[ée]e?|"
    r"anulad[oa]|cancelad[oa]|reversed|draft|entwurf|utkast)\s*\??\s*$", re.I)
TYPE_NAMES = tuple(
    normalise_header(n)
    for n in (
        "Type", "Transaction Type", "Txn Type", "Trans Type", "Document Type", "Doc Type", "Invoice Type",
        "Voucher Type", "Entry Type", "Belegart", "Rechnungstyp", "Belegtyp", "Dokumenttyp", "Type de pièce", "Tipo", "Tipo de documento", "SOP Type",
        "Billing Type", "Billing Doc Type", "Billing Document Type", "Sales Document Type", "Sales Doc Type",
        "Record Type",
    )
)
CURRENCY_NAMES = tuple(
    normalise_header(n)
    for n in (
        "Currency", "Currency Code", "Curr", "CCY", "Cur", "Currency ISO Code", "Opportunity Currency",
        "Amount Currency", "Invoice Currency", "Document Currency", "Währung", "Devise", "Moneda", "Valuta",
    )
)
_INVOICE_KEYS = frozenset(normalise_header(n) for n in INVOICE_NAMES)


#: a column of credits beside a column of debits ('Credit Amt', 'Credit', 'Cr'): read in full, so
#: that an amount of debits alone is refused (:func:`alms_toolkit.io.ledger.load_ledger`)
def _side_column(word: str, short: str) -> re.Pattern[str]:
    """A header naming one side of the book and nothing else ('Credit', 'Credit Amt', 'Cr (LCY)';
    not 'Credit Limit', 'Credit Terms')."""
    return re.compile(rf"^\s*(?:{word}s?|{short})\.?(?:\s*(?:amt|amount|amounts|value))?\.?\s*(?:\([^)]*\))?\s*$", re.I)


CREDIT_COLUMN = _side_column("credit", "cr")
DEBIT_COLUMN = _side_column("debit", "dr")
#: a column saying which side of the book each unsigned amount is on ('Soll/Haben-Kennzeichen',
#: 'S/H', 'Debit/Credit', 'Dr/Cr', 'D/C', 'Debit/Credit Indicator'): read in full
SIDE_FLAG_COLUMN = re.compile(
    r"^\s*(?:soll\s*/?\s*haben(?:[\s-]*(?:kennzeichen|kz))?|s\s*/\s*h|debit\s*/\s*credit|dr\s*/\s*cr|d\s*/\s*c)"
    r"(?:\s*(?:ind\.?|indicator|flag|code|key|sign))?\s*$", re.I)
#: the account on the other side of each entry ('Gegenkonto', 'Contra Account'): read in full, so
#: that the payments among a client account's credits can be named
COUNTER_ACCOUNT_COLUMN = re.compile(r"gegenkonto|contra\s*(?:account|acct|a/c)|offset\s*account|counter\s*account"
                                    r"|balancing\s*account", re.I)
#: refunds written beside the amount they take off ('Amount Refunded', 'Refunded Amount')
REFUND_COLUMN = re.compile(r"^\s*(?:(?:total |amount )?refund(?:ed|s)?(?: amount| total)?)\s*$", re.I)


def _useful_columns(config: ClientConfig, extra: Sequence[str]) -> Callable[[Sequence[str]], list[str]]:
    """The columns worth reading in full: every header a ledger field could be (by name), the
    ones client.yml names, status and type columns, and the first and unnamed columns
    (section headings, labels). The others are judged from the file's first rows only."""
    b = config.billing
    named = [*b.columns.values(), *b.exclude, *b.credits, *b.billed,
             *([b.client_headings] if b.client_headings is not None else [])]

    def select(headers: Sequence[str]) -> list[str]:
        keep = set(extra)
        for want in named:
            hit = find_header(headers, want)
            if hit is not None:
                keep.add(hit)
        for i, h in enumerate(headers):
            key = normalise_header(h)
            if (i == 0 or h.startswith("Column ") or key in STATUS_NAMES or key in TYPE_NAMES or key in CURRENCY_NAMES
                    or key in _INVOICE_KEYS or any(_tier(f, h) is not None for f in LEDGER_TIERS)
                    or CREDIT_COLUMN.match(h) or REFUND_COLUMN.match(h) or SIDE_FLAG_COLUMN.match(h)
                    or STATUS_FLAG_COLUMN.match(h)
                    or COUNTER_ACCOUNT_COLUMN.search(h)):
                keep.add(h)
        return [h for h in headers if h in keep]

    return select


def raw_ledger(config: ClientConfig, extra: Sequence[str]) -> RawTable:
    """The billing file as read for :func:`load_ledger`: the columns worth reading in full
    (:func:`_useful_columns`) and ``extra`` ones. Imports neither pandas nor the
    loader's other modules for a text file (:mod:`.read_ahead` reads it while they are imported)."""
    from .readers import read_raw

    b = config.billing
    return read_raw(
        b.file, sheet=b.sheet, encoding=b.encoding, delimiter=b.delimiter, header_row=b.header_row,
        known=all_ledger_names() + list(b.columns.values()), rank=_rank_sheet, select=_useful_columns(config, extra),
    )


def _rank_sheet(name: str, rows: Sequence[Sequence[object]]) -> tuple[float, str]:
    """:func:`~.sheet_rank.rank_sheet`, imported when a workbook's sheets are ranked (it needs
    pandas, which reading a text file does not)."""
    from .sheet_rank import rank_sheet

    return rank_sheet(name, rows)
