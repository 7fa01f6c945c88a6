"""A new client folder: ``client_data/<slug>/client.yml`` with every setting explained.

:func:`client_yml` writes the commented file (also used by the sample generator, with the
sample's values filled in); :func:`new_client` makes the folder and refuses to overwrite one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_FILE, slugify
from .errors import AlmsError, OutputExistsError

__all__ = ["client_yml", "new_client", "new_client_from", "Proposal", "ClientExistsError"]


class ClientExistsError(OutputExistsError):
    """The client folder already exists: ``alms new-client`` never overwrites one."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        AlmsError.__init__(
            self,
            f"{self.path} already exists: a client folder is there. "
            "Choose another name, or edit its client.yml.",
        )


def _q(text: str) -> str:
    """A YAML scalar that stays a string (quoted when it needs to be)."""
    plain = text and text.strip() == text and all(c.isalnum() or c in " ._-/" for c in text)
    if plain and not text[0].isdigit() and text.lower() not in {"yes", "no", "true", "false", "null", "on", "off"}:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _opt(active: bool, line: str) -> str:
    """The line as is, or commented out at its own indentation."""
    if active:
        return line
    body = line.lstrip(" ")
    return line[: len(line) - len(body)] + "# " + body


def client_yml(
    client: str,
    *,
    as_of: dt.date | None = None,
    billing_file: str = "billing.csv",
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    account_list: tuple[str, dt.date | None] | None = None,
    prospects: str | None = None,
    consultant: str | None = None,
    firm: str | None = None,
    page_size: str = "A4",
    currency: str = "$",
    key_share: float | None = None,
    crm: bool = False,
) -> str:
    """The text of a commented ``client.yml``. Settings given here are written active;
    every other setting is written commented out, with its default and what it means
    (``crm``: also the CRM owner map's example, as ``alms new-client`` writes it)."""
    cols = dict(columns or {})
    ex_cols = {"date": "Invoice Date", "client": "Customer", "amount": "Net Amount",
               "seller": "Sales Rep", "client_id": "Customer ID"}
    lines = [
        "# This file (client.yml) holds the settings of one client's ALMS Challenge audit.",
        "# A line starting with '#' is a comment. To use a setting shown commented out, remove",
        "# the '# ' in front of it (keep the indentation); left commented, it takes the default shown.",
        "",
        "# The client's name, as the report cover shows it.",
        f"client: {_q(client)}",
        "",
        "# The audit date. The audit covers the 12 calendar months before it",
        "# (as_of - 12 months <= invoice date < as_of). Written YYYY-MM-DD.",
        "# Left out, it is the day after the last date in the billing file.",
        _opt(as_of is not None, f"as_of: {(as_of or dt.date(2025, 1, 1)).isoformat()}"),
        "",
        "# Share of the spending clients that are KEY accounts (0.25 = the top 25% by billing).",
        _opt(key_share is not None, f"key_share: {key_share if key_share is not None else 0.25}"),
        "",
        "# Months between two reviews of the list (6 or 12): the cut-off is frozen in between.",
        "# review_months: 12",
        "",
        "# A short name used for the report folders (reports/<slug>/...). Default: this folder's name.",
        f"# slug: {slugify(client)}",
        "",
        "# The billing ledger: one row per invoice or invoice line (date, client, amount, seller,",
        "# optionally a client id), or one row per client with a 12-month total (no date column).",
        "billing:",
        f"  file: {_q(billing_file)}    # .csv, .txt or .xlsx, in this folder",
        _opt(sheet is not None, f"  sheet: {_q(sheet or 'Sheet1')}    # .xlsx only: sheet name or number; default: the first sheet"),
        "  # Which column holds what. Without it, common headers are recognised (any case):",
        "  # - the client: Customer, Client, Account, Account Name, Company, Advertiser",
        "  # - the amount: Amount, Total, Sales, Revenue, Net, Net Amount, Billing",
        "  # - the seller: Rep, Sales Rep, Salesperson, Seller, Owner, AE, Account Executive",
        "  # - the date: Date, Invoice Date, Order Date, Period",
        "  # - the client id (optional): Customer ID, Client ID, Account ID",
        _opt(bool(cols), "  columns:"),
    ]
    for field in ("date", "client", "amount", "seller", "client_id"):
        if cols:
            if field in cols:
                lines.append(f"    {field}: {_q(cols[field])}")
        else:
            lines.append(f"  #   {field}: {_q(ex_cols[field])}")
    if cols and "credit" in cols:
        lines.append(f"    credit: {_q(cols['credit'])}")
    else:
        lines.append("  #   credit: Credit Amt    # debits and credits in two columns: each line is the one less the other")
    lines += [
        "  # Text encoding of a CSV file. Default: detected (UTF-8, UTF-8 with BOM, cp1252, UTF-16).",
        _opt(encoding is not None, f"  encoding: {encoding or 'cp1252'}"),
        "  # Decimal mark of the amounts: \".\" (1,234.56) or \",\" (1.234,56). Default: read",
        "  # from the amounts themselves (alms validate says which it found).",
        '  # decimal: "."',
        "  # Thousands separator. Default: recognised from the decimal mark.",
        '  # thousands: ","',
        "  # Date format (Python strftime codes). Default: ISO (2025-01-31) or US (1/31/2025).",
        '  # date_format: "%d/%m/%Y"',
        "  # Spreadsheet row number of the header row. Default: detected.",
        "  # header_row: 1",
        "  # The field separator of a CSV file: \",\" \";\" \"\\t\" (tab) or \"|\" (or the words comma,",
        "  # semicolon, tab, pipe). Default: detected.",
        '  # delimiter: ";"',
        "  # true when the file holds one row per client with its 12-month total (no dates).",
        "  # Default false: one row per invoice or line, with its date.",
        "  # twelve_month_totals: false",
        "  # Client names that look like totals or subtotals but are real clients: their rows are",
        "  # kept as billing (rows such as 'Total', 'Grand Total', 'Acme Corp Total' are left out).",
        '  # not_totals: ["Total Wine & More"]',
        "  # Report layouts write a client (or seller, client id, date) on the first row of its",
        "  # group or invoice only, the rows below left blank: list those fields to take the",
        "  # value from the row above.",
        "  # fill_down: [client, seller]",
        "  # A report with no client column that writes each client's name as a heading on a row",
        "  # of its own above its lines (Xero's Receivable Invoice Detail writes it in the date",
        "  # column), name that column here; alms validate proposes it when it sees such headings.",
        "  # client_headings: Invoice Date",
        "  # Spreadsheet rows hidden by a filter or by hand (.xlsx): include or exclude them.",
        "  # Left out, the reading decides and alms validate shows what it did.",
        "  # hidden_rows: exclude",
        "  # Credit notes that the file writes as positive amounts, the sign being in a type column:",
        "  # name the column and its credit values, and their amounts are subtracted.",
        '  # credits: {Type: ["Credit Note"]}',
        "  # true when the file writes sales as negative amounts (a general-ledger export): every",
        "  # amount's sign is turned. Default false.",
        "  # flip_sign: false",
        "  # What one amount stands for when the file writes thousands ('Revenue (000)'): 1000, or",
        "  # 1000000 for millions. Default 1 (amounts in currency units).",
        "  # amount_unit: 1000",
        "  # Rows to leave out, by the value of a column (they are counted in the reconciliation).",
        "  # A status column with lost deals, drafts or voided invoices must be settled here.",
        "  # exclude:",
        "  #   Product: [Internal, Barter]",
        "  # Values of a status column that read as not billing but are billing in this file",
        "  # (invoices billed and awaiting payment): named here, their rows count.",
        "  # billed:",
        "  #   Status: [Awaiting Payment]",
        "",
        "# The account list as the sellers have it today (columns Seller and Account), and the",
        "# date it was last published. Optional: without it, the list's symptoms are 'not assessed'.",
    ]
    if account_list is not None:
        file, date = account_list
        lines += ["account_list:", f"  file: {_q(file)}"]
        lines.append(_opt(date is not None, f"  date: {(date or dt.date(2025, 1, 15)).isoformat()}"))
    else:
        lines += ["# account_list:", "#   file: account_list.csv", "#   date: 2025-01-15"]
    lines += [
        "",
        "# The sellers' prospects: Seller, Prospect, Category (TARGET / EXTRA / LEAD),",
        "# Spending potential, Decision maker access, Product fit (scores 1-5), Notes. Optional.",
    ]
    if prospects is not None:
        lines += ["prospects:", f"  file: {_q(prospects)}"]
    else:
        lines += ["# prospects:", "#   file: prospects.csv"]
    lines += [
        "",
        "# The consultant's decisions (accepted or rejected merges, confirmed owners), written by",
        "# the workshop and re-used by every later run. Default: decisions.yml in this folder.",
        "# decisions: decisions.yml",
        "",
        "# Checks you accept knowingly. The audit refuses a ledger where most of the money in the",
        "# window is left out (most_excluded), where one client holds 90% or more of the",
        "# revenue (one_client), or whose dates cover only part of the 12-month window",
        "# (short_window). Check the figures alms validate prints first; if they are right",
        "# for this client, list the check here (or pass --accept CODE to one command).",
        "# accept: [one_client]",
        "",
        "# How the report looks.",
        "branding:",
        _opt(consultant is not None, f"  consultant: {_q(consultant or 'Your Name')}    # shown on the cover"),
        _opt(firm is not None, f"  firm: {_q(firm or 'Your Firm')}"),
        "  # logo: logo.png            # the client's logo (an image in this folder), on the cover",
        "  # consultant_logo: firm.png # your firm's logo, on the cover beside your name",
        f"  page_size: {page_size}             # A4 or Letter; default A4",
        f"  currency: {_q(currency)}               # symbol in front of amounts; default $",
        '  # accent_color: "#1f4e79"   # headings and charts',
        "",
        "# How many prospects each seller should hold, as [min, max]. Defaults from the Challenge.",
        "# limits:",
        "#   target: [5, 10]",
        "#   extra: [5, 10]",
        "#   lead: [0, 10]",
        "",
        "# Duplicate client names written differently: pairs scoring at least `threshold` (0-100)",
        "# are proposed for the consultant to accept or reject; at or above `auto_accept` they are",
        "# merged without asking (default: never).",
        "# matching:",
        "#   threshold: 88",
        "#   auto_accept: 97",
        "",
        "# Branches billed as 'Group (Town, ST)': with rule parenthesised each group is one account,",
        "# listed under its head office ('Group (Head Office)') when the ledger has one; none keeps",
        "# every branch its own account. Not set, the report proposes it when the ledger shows them.",
        "# QuickBooks' jobs billed as 'Customer:Job': rule sub_customers counts them under the customer.",
        "# hierarchy:",
        "#   rule: parenthesised",
        '#   keep_branches: ["Group (Town, ST)"]   # branches that stay accounts of their own',
        '#   parents: {"Group": "Group Holdings"}   # the name a group is listed under',
        "# With rule parent_column, each line is rolled up to the account billing.columns.parent",
        "# names (a parent name or a bill-to id: the account whose client id it is); map that",
        "# column under billing.columns as parent: Bill-To ID",
        "",
        "# Weights of the three target filters in a prospect's fit score.",
        "# fit_weights:",
        "#   spending_potential: 1",
        "#   decision_maker_access: 1",
        "#   product_fit: 1",
        "",
    ]
    if crm:
        lines += [
            "# Who each seller is in the client's CRM, for the CRM import files (format crm): each",
            "# account's owner is written as the seller's CRM user, never as a display name. Write",
            "# one entry per seller of the lists with: alms crm-owners <this folder>, then fill in",
            "# email (HubSpot, Pipedrive, Dynamics 365), username (Salesforce Data Loader:",
            "# Owner.Username), user_id (Salesforce user ID, 15 or 18 characters starting 005:",
            "# OwnerId) and full_name (the user's name in the CRM). An entry may be just the email.",
            "# crm:",
            "#   owners:",
            "#     Okafor:",
            "#       email: kwame.okafor@client.com",
            "#       username: kwame.okafor@client.com",
            "#       user_id: 005Dn000001AbCd",
            "#       full_name: Kwame Okafor",
            "",
        ]
    return "\n".join(lines)


def new_client(name: str, directory: Path | str = "client_data", billing_file: str = "billing.csv") -> Path:
    """Create ``<directory>/<slug of name>/client.yml`` (commented) and return the folder.
    Refuses to touch a folder that already exists."""
    if not name or not name.strip():
        raise ValueError("the client's name is empty")
    folder = Path(directory) / slugify(name)
    if folder.exists():
        raise ClientExistsError(folder)
    folder.mkdir(parents=True)
    text = client_yml(
        name.strip(),
        billing_file=billing_file,
        account_list=None,
        prospects=None,
        crm=True,
    )
    (folder / CONFIG_FILE).write_text(text, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Proposal:
    """What ``alms new-client --from`` proposes: the folder, the settings written into its
    client.yml with their reasons, and the problem still to settle (None when the file
    reads through)."""

    folder: Path
    settings: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]
    problem: str | None = None


def new_client_from(name: str, export: Path | str, directory: Path | str = "client_data") -> Proposal:
    """Start a client folder from a ledger export: copy the file in, read it, and write the
    reading (columns with their reasons, sheet, header row, number format, date order)
    into a commented client.yml for the consultant to confirm. A file that cannot be read
    as it is still gets its folder; the problem says which setting to decide."""
    import shutil

    from .config import load_config
    from .errors import InputError
    from .io.ledger import load_ledger
    from .pin_reading import pin_settings

    source = Path(export)
    if not source.is_file():
        raise InputError(source, "the export to start from does not exist (give the path of the ledger file)")
    folder = new_client(name, directory, billing_file=source.name)
    shutil.copy2(source, folder / source.name)
    try:
        loaded = load_ledger(load_config(folder))
    except AlmsError as exc:
        return Proposal(folder=folder, settings=(), reasons=(), problem=str(exc))
    reading = loaded.reading
    if reading is None:
        return Proposal(folder=folder, settings=(), reasons=())
    notes = {f"columns.{c.field}": f"proposed: {c.why}" for c in reading.columns if c.header}
    if reading.decimal:
        notes["decimal"] = f"proposed: {reading.numbers_why}"
    if reading.date_format:
        notes["date_format"] = f"proposed: {reading.dates_why}"
    if reading.sheet_reason:
        notes["sheet"] = f"proposed: {reading.sheet_reason}"
    notes["header_row"] = f"proposed: {reading.header_reason}"
    added = pin_settings(folder / CONFIG_FILE, reading.settings(), notes=notes,
                         stamp="proposed by alms new-client --from: check it")
    reasons = tuple((f"{c.field}: {c.header!r}", c.why) for c in reading.columns if c.header)
    return Proposal(folder=folder, settings=tuple(added), reasons=reasons)
