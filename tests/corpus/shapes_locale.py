"""Number locale and date order, decided from the whole column (and the file's other
evidence), one reading for every row; refused, naming the setting, when both readings
fit every value."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal
from pathlib import Path

from corpus.data import ACCENTED, AS_OF, CLIENTS, gen_lines, rng_for
from corpus.model import Line, Refusal, Truth, shape, truth_of, write_client_yml
from corpus.writers import de_date, iso, num, uk_date, us_date, us_date0, write_csv

FAMILY_N = "number_locale"
FAMILY_D = "date_order"


# ------------------------------------------------------------------ number locale


@shape(FAMILY_N)
def de_semicolon_decimal_comma_csv(folder: Path) -> Truth:
    """A German DATEV-style export (;, dd.mm.yyyy, cp1252) with amounts like 1.234,56 and round ones like 1.500 (= one thousand five hundred)."""
    rng = rng_for("de_semicolon_decimal_comma_csv")
    lines = gen_lines(rng, clients=CLIENTS[:6] + ACCENTED[:3])
    lines = [ln.with_(amount=Decimal(rng.choice([1500, 2250, 12000, 3000]))) if i % 4 == 0 else ln for i, ln in enumerate(lines)]
    rows = [["Belegdatum", "Kunde", "Belegnummer", "Umsatz", "Vertreter"]]
    for ln in lines:
        shown = num(ln.amount, dec=",", thou=".", places=0 if ln.amount == ln.amount.to_integral_value() else 2)
        rows.append([de_date(ln.date), ln.client, ln.invoice, shown, ln.seller])
    write_csv(folder / "umsatz.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "umsatz.csv", as_of=AS_OF, columns={"amount": "Umsatz", "client": "Kunde", "date": "Belegdatum"})
    return truth_of(lines, AS_OF)


def _three_decimals(name: str) -> list[Line]:
    """Every amount a whole number of thousands-and-some, written with exactly three
    digits after the separator (1.500, 2.250, 12.000): both readings fit every value."""
    rng = rng_for(name)
    lines = gen_lines(rng, clients=CLIENTS[:7], n=30, credits=0)
    return [ln.with_(amount=Decimal(rng.randrange(1, 40)) * 250 + 1000) for ln in lines]


@shape(FAMILY_N)
def decimal_ambiguous_refused(folder: Path) -> Refusal:
    """A comma-separated export with ISO dates whose every amount reads both ways (1.500, 2.250, 12.000): refused, naming billing.decimal."""
    lines = _three_decimals("decimal_ambiguous")
    rows = [["date", "customer", "amount"]]
    rows += [[iso(ln.date), ln.client, num(ln.amount / 1000, places=3, thou=None)] for ln in lines]
    write_csv(folder / "export.csv", rows, newline="\n")
    write_client_yml(folder, "export.csv", as_of=AS_OF)
    return Refusal.setting("decimal")


@shape(FAMILY_N)
def decimal_ambiguous_set_comma(folder: Path) -> Truth:
    """A ;-separated German export (dd.mm.yyyy) whose amounts are all like 1.500 / 12.000, with billing.decimal: "," set: thousands."""
    lines = _three_decimals("decimal_ambiguous_comma")
    rows = [["Datum", "Kunde", "Betrag"]]
    rows += [[de_date(ln.date), ln.client, num(ln.amount, dec=",", thou=".", places=0)] for ln in lines]
    write_csv(folder / "export.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "export.csv", as_of=AS_OF, decimal=",", columns={"date": "Datum", "client": "Kunde", "amount": "Betrag"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def decimal_ambiguous_set_dot(folder: Path) -> Truth:
    """A comma-separated export (ISO dates) of amounts like 1.500 (three decimals: a per-unit price list), with billing.decimal: "." set."""
    lines = [ln.with_(amount=ln.amount / 1000) for ln in _three_decimals("decimal_ambiguous_dot")]
    rows = [["date", "customer", "amount"]]
    rows += [[iso(ln.date), ln.client, num(ln.amount, places=3, thou=None)] for ln in lines]
    write_csv(folder / "export.csv", rows, newline="\n")
    write_client_yml(folder, "export.csv", as_of=AS_OF, decimal=".")
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def ch_apostrophe_thousands_csv(folder: Path) -> Truth:
    """A Swiss export (;, dd.mm.yyyy) with amounts like 1'234.50 and CHF suffix-free negatives -1'000.00."""
    lines = gen_lines(rng_for("ch_apostrophe_thousands_csv"), clients=CLIENTS[:5] + ACCENTED[4:5] + ACCENTED[1:2])
    rows = [["Datum", "Kunde", "Rechnung", "Betrag CHF"]]
    rows += [[de_date(ln.date), ln.client, ln.invoice, num(ln.amount, thou="'")] for ln in lines]
    write_csv(folder / "debitoren.csv", rows, delimiter=";", encoding="utf-8", bom=True)
    write_client_yml(folder, "debitoren.csv", as_of=AS_OF, columns={"amount": "Betrag CHF", "client": "Kunde", "date": "Datum"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def fr_space_thousands_csv(folder: Path) -> Truth:
    """A French export (;, dd/mm/yyyy) with amounts like 1 234,56 (ordinary spaces, as typed or exported by Sage FR)."""
    lines = gen_lines(rng_for("fr_space_thousands_csv"), clients=CLIENTS[:6] + ACCENTED[:3])
    rows = [["Date", "Client", "N° pièce", "Montant HT"]]
    rows += [[uk_date(ln.date), ln.client, ln.invoice, num(ln.amount, dec=",", thou=" ")] for ln in lines]
    write_csv(folder / "ventes.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "ventes.csv", as_of=AS_OF, columns={"amount": "Montant HT"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def fr_nbsp_thousands_csv(folder: Path) -> Truth:
    """French Excel "CSV UTF-8": 1 234,56 with no-break spaces (U+00A0) and narrow no-break spaces (U+202F, Windows 10+ French locale)."""
    lines = gen_lines(rng_for("fr_nbsp_thousands_csv"), clients=CLIENTS[2:8] + ACCENTED[:2])
    rows = [["Date", "Client", "Montant"]]
    rows += [[uk_date(ln.date), ln.client, num(ln.amount, dec=",", thou="\u202f" if i % 2 else "\u00a0") + "\u00a0€"]
             for i, ln in enumerate(lines)]
    write_csv(folder / "ventes.csv", rows, delimiter=";", encoding="utf-8", bom=True)
    write_client_yml(folder, "ventes.csv", as_of=AS_OF, columns={"amount": "Montant"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def mixed_decimal_styles_refused(folder: Path) -> Refusal:
    """A sheet pasted together from two offices: some amounts 1,234.56, others 1.234,56 in the same column: refused, naming billing.decimal."""
    lines = gen_lines(rng_for("mixed_decimal_styles"), clients=CLIENTS[:8], lo=1_000_00, hi=90_000_00, credits=0)
    rows = [["Date", "Customer", "Amount"]]
    rows += [[iso(ln.date), ln.client, num(ln.amount) if i % 3 else num(ln.amount, dec=",", thou=".")]
             for i, ln in enumerate(lines)]
    write_csv(folder / "combined.csv", rows, delimiter=";")
    write_client_yml(folder, "combined.csv", as_of=AS_OF)
    return Refusal.setting("decimal")


@shape(FAMILY_N)
def us_currency_parentheses_csv(folder: Path) -> Truth:
    """A US accounting export with $1,234.56 amounts and credits in parentheses ($200.00)."""
    lines = gen_lines(rng_for("us_currency_parentheses_csv"), clients=CLIENTS[:9], credits=0.2)
    rows = [["Date", "Customer", "Invoice", "Amount"]]
    rows += [[us_date0(ln.date), ln.client, ln.invoice, num(ln.amount, cur="$", neg="()")] for ln in lines]
    write_csv(folder / "ar_invoices.csv", rows)
    write_client_yml(folder, "ar_invoices.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def unicode_minus_pasted_csv(folder: Path) -> Truth:
    """A list pasted from a PDF statement into a sheet and saved as CSV UTF-8: credits with the Unicode minus sign "−1,234.56" (U+2212)."""
    lines = gen_lines(rng_for("unicode_minus_pasted_csv"), clients=CLIENTS[:8], credits=0.25)
    rows = [["Date", "Customer", "Amount"]]
    rows += [[us_date0(ln.date), ln.client, num(ln.amount).replace("-", "\u2212")] for ln in lines]
    write_csv(folder / "statement.csv", rows, encoding="utf-8", bom=True)
    write_client_yml(folder, "statement.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def excel_accounting_format_csv(folder: Path) -> Truth:
    """US Excel "CSV" of an Accounting-formatted column: padded " $1,234.56 " and " $(200.00)" with the spaces Excel's format adds."""
    lines = gen_lines(rng_for("excel_accounting_format_csv"), clients=CLIENTS[3:11], credits=0.15)
    rows = [["Date", "Customer", "Amount"]]
    rows += [[us_date(ln.date), ln.client, f" ${num(ln.amount)} " if ln.amount >= 0 else f" $({num(-ln.amount)})"]
             for ln in lines]
    write_csv(folder / "billing.csv", rows, encoding="cp1252")
    write_client_yml(folder, "billing.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def sap_trailing_minus_csv(folder: Path) -> Truth:
    """An SAP billing-document list (VF05-style) downloaded as text: ;, dd.mm.yyyy, 1.234,56 and credit memos written 1.234,56- (trailing minus)."""
    lines = gen_lines(rng_for("sap_trailing_minus_csv"), clients=CLIENTS[:5] + ACCENTED[1:3], credits=0.2)
    rows = [["Billing Doc.", "Billing Date", "Sold-To Party", "Name of sold-to party", "Net Value", "Curr."]]
    rows += [[f"90{ln.invoice}", de_date(ln.date), f"10{zlib.crc32(ln.client.encode()) % 1000:04d}", ln.client,
              num(ln.amount, dec=",", thou=".", neg="trailing"), "EUR"] for ln in lines]
    write_csv(folder / "billing_docs.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "billing_docs.csv", as_of=AS_OF,
                     columns={"date": "Billing Date", "client": "Name of sold-to party", "amount": "Net Value"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def decimal_comma_no_thousands_csv(folder: Path) -> Truth:
    """A Scandinavian/Dutch system export (;, yyyy-mm-dd) with plain decimal-comma amounts 1234,56 and -80,5."""
    lines = gen_lines(rng_for("decimal_comma_no_thousands_csv"), clients=CLIENTS[:6] + ACCENTED[5:7])
    rows = [["Fakturadatum", "Kund", "Belopp"]]
    rows += [[iso(ln.date), ln.client, num(ln.amount, dec=",", thou=None)] for ln in lines]
    write_csv(folder / "fakturor.csv", rows, delimiter=";", encoding="utf-8")
    write_client_yml(folder, "fakturor.csv", as_of=AS_OF, columns={"date": "Fakturadatum", "client": "Kund", "amount": "Belopp"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def euro_suffix_cp1252_csv(folder: Path) -> Truth:
    """A Spanish/Italian export in cp1252 with the euro sign after the number: "1.234,56 €" (€ is byte 0x80)."""
    lines = gen_lines(rng_for("euro_suffix_cp1252_csv"), clients=CLIENTS[:6] + ACCENTED[3:4])
    rows = [["Fecha", "Cliente", "Factura", "Importe"]]
    rows += [[uk_date(ln.date), ln.client, ln.invoice, num(ln.amount, dec=",", thou=".", cur_after=" €")] for ln in lines]
    write_csv(folder / "facturas.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "facturas.csv", as_of=AS_OF, columns={"date": "Fecha", "client": "Cliente", "amount": "Importe"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_N)
def in_lakh_grouping_tally_csv(folder: Path) -> Truth:
    """An Indian Tally/Zoho Books export with lakh grouping: 1,23,456.78 and 12,34,567.00 (dd-mm-yyyy dates).

    Chosen: read as written (123456.78): groups of two digits before the last three have
    no other sensible reading, and India writes every amount this way."""
    lines = gen_lines(rng_for("in_lakh_grouping_tally_csv"), clients=CLIENTS[:8], lo=500_00, hi=4_000_000_00)

    def lakh(v: Decimal) -> str:
        whole, frac = f"{abs(v):.2f}".split(".")
        head, tail = whole[:-3], whole[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        s = ",".join(groups + [tail]) + "." + frac
        return "-" + s if v < 0 else s

    rows = [["Date", "Particulars", "Voucher No.", "Amount"]]
    rows += [[ln.date.strftime("%d-%m-%Y"), ln.client, ln.invoice, lakh(ln.amount)] for ln in lines]
    write_csv(folder / "sales_register.csv", rows)
    write_client_yml(folder, "sales_register.csv", as_of=AS_OF, columns={"client": "Particulars"})
    return truth_of(lines, AS_OF)


# ------------------------------------------------------------------ date order


def _day_over_12(rng: random.Random, first: dt.date) -> int:
    return rng.randrange(1, 29)


def _first_of_month(rng: random.Random, first: dt.date) -> int:
    return 1


@shape(FAMILY_D)
def dmy_days_over_12_csv(folder: Path) -> Truth:
    """A UK Excel CSV (dd/mm/yyyy, £-free 1,234.56) where some days exceed 12: every row day-first."""
    lines = gen_lines(rng_for("dmy_days_over_12_csv"), clients=CLIENTS[:8], n=40)
    rows = [["Invoice Date", "Customer", "Invoice No", "Net"]]
    rows += [[uk_date(ln.date), ln.client, ln.invoice, num(ln.amount)] for ln in lines]
    write_csv(folder / "sales.csv", rows, encoding="cp1252")
    write_client_yml(folder, "sales.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


def _first_of_month_lines(name: str) -> list[Line]:
    return gen_lines(rng_for(name), clients=CLIENTS[:8], n=36, day=_first_of_month)


@shape(FAMILY_D)
def dmy_first_of_month_refused(folder: Path) -> Refusal:
    """A UK subscription biller's CSV: every invoice on the 1st (01/03/2024 ...), so day-first and month-first both fit: refused, naming date_format."""
    lines = _first_of_month_lines("dmy_first_of_month")
    rows = [["Date", "Customer", "Amount"]]
    rows += [[uk_date(ln.date), ln.client, num(ln.amount)] for ln in lines]
    write_csv(folder / "subscriptions.csv", rows)
    write_client_yml(folder, "subscriptions.csv", as_of=AS_OF)
    return Refusal.setting("date_format")


@shape(FAMILY_D)
def dmy_first_of_month_date_format(folder: Path) -> Truth:
    """The same first-of-month UK CSV with billing.date_format: "%d/%m/%Y": read day-first."""
    lines = _first_of_month_lines("dmy_first_of_month")
    rows = [["Date", "Customer", "Amount"]]
    rows += [[uk_date(ln.date), ln.client, num(ln.amount)] for ln in lines]
    write_csv(folder / "subscriptions.csv", rows)
    write_client_yml(folder, "subscriptions.csv", as_of=AS_OF, date_format="%d/%m/%Y")
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def mdy_days_over_12_csv(folder: Path) -> Truth:
    """A US export (m/d/yyyy unpadded, as US Excel saves) with days over 12: read month-first."""
    lines = gen_lines(rng_for("mdy_days_over_12_csv"), clients=CLIENTS[:8], n=40)
    rows = [["Date", "Customer", "Amount"]]
    rows += [[us_date(ln.date), ln.client, num(ln.amount)] for ln in lines]
    write_csv(folder / "sales.csv", rows)
    write_client_yml(folder, "sales.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def mdy_first_of_month_refused(folder: Path) -> Refusal:
    """A US subscription biller's CSV with every invoice on the 1st (03/01/2024 ...): both orders fit every date: refused, naming date_format."""
    lines = _first_of_month_lines("mdy_first_of_month")
    rows = [["Invoice Date", "Customer", "Amount"]]
    rows += [[us_date0(ln.date), ln.client, num(ln.amount, cur="$")] for ln in lines]
    write_csv(folder / "subscriptions.csv", rows)
    write_client_yml(folder, "subscriptions.csv", as_of=AS_OF)
    return Refusal.setting("date_format")


@shape(FAMILY_D)
def mdy_first_of_month_date_format(folder: Path) -> Truth:
    """The same US first-of-month CSV with billing.date_format: "%m/%d/%Y": read month-first."""
    lines = _first_of_month_lines("mdy_first_of_month")
    rows = [["Invoice Date", "Customer", "Amount"]]
    rows += [[us_date0(ln.date), ln.client, num(ln.amount, cur="$")] for ln in lines]
    write_csv(folder / "subscriptions.csv", rows)
    write_client_yml(folder, "subscriptions.csv", as_of=AS_OF, date_format="%m/%d/%Y")
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def mixed_date_order_refused(folder: Path) -> Refusal:
    """Two offices' lists pasted together: some dates only valid day-first (25/03/2024), others only month-first (03/25/2024): refused, naming date_format."""
    lines = gen_lines(rng_for("mixed_date_order"), clients=CLIENTS[:8], n=36, day=lambda r, f: r.randrange(13, 29))
    rows = [["Date", "Customer", "Amount"]]
    rows += [[uk_date(ln.date) if i % 2 else us_date0(ln.date), ln.client, num(ln.amount)] for i, ln in enumerate(lines)]
    write_csv(folder / "combined.csv", rows)
    write_client_yml(folder, "combined.csv", as_of=AS_OF)
    return Refusal.setting("date_format")


@shape(FAMILY_D)
def dmy_two_digit_year_csv(folder: Path) -> Truth:
    """A UK Excel CSV with short dates dd/mm/yy (15/01/24) and some days over 12: day-first, 20yy."""
    lines = gen_lines(rng_for("dmy_two_digit_year_csv"), clients=CLIENTS[:8], n=40)
    rows = [["Date", "Customer", "Amount"]]
    rows += [[ln.date.strftime("%d/%m/%y"), ln.client, num(ln.amount)] for ln in lines]
    write_csv(folder / "sales.csv", rows)
    write_client_yml(folder, "sales.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def dd_mon_yyyy_netsuite_csv(folder: Path) -> Truth:
    """An Oracle/NetSuite-style export with dates 15-Jan-2024 and 5-Feb-2024."""
    lines = gen_lines(rng_for("dd_mon_yyyy_netsuite_csv"), clients=CLIENTS[:8])
    rows = [["Date", "Customer", "Amount"]]
    rows += [[f"{ln.date.day}-{ln.date:%b}-{ln.date.year}", ln.client, num(ln.amount, thou=None)] for ln in lines]
    write_csv(folder / "transactions.csv", rows)
    write_client_yml(folder, "transactions.csv", as_of=AS_OF)
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def d_mmm_yyyy_xero_csv(folder: Path) -> Truth:
    """Xero's report CSV date style "15 Jan 2024" (day, short month name, year)."""
    lines = gen_lines(rng_for("d_mmm_yyyy_xero_csv"), clients=CLIENTS[:8])
    rows = [["Date", "Contact", "Reference", "Net"]]
    rows += [[f"{ln.date.day} {ln.date:%b %Y}", ln.client, f"INV-{ln.invoice}", num(ln.amount)] for ln in lines]
    write_csv(folder / "sales.csv", rows)
    write_client_yml(folder, "sales.csv", as_of=AS_OF, columns={"client": "Contact", "amount": "Net"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def nl_d_m_yyyy_dashes_csv(folder: Path) -> Truth:
    """A Dutch Excel CSV (;, 1.234,56) with dates d-m-yyyy (15-1-2024), some days over 12: day-first."""
    lines = gen_lines(rng_for("nl_d_m_yyyy_dashes_csv"), clients=CLIENTS[:8])
    rows = [["Datum", "Klant", "Bedrag"]]
    rows += [[f"{ln.date.day}-{ln.date.month}-{ln.date.year}", ln.client, num(ln.amount, dec=",", thou=".")] for ln in lines]
    write_csv(folder / "omzet.csv", rows, delimiter=";", encoding="cp1252")
    write_client_yml(folder, "omzet.csv", as_of=AS_OF, columns={"date": "Datum", "client": "Klant", "amount": "Bedrag"})
    return truth_of(lines, AS_OF)


@shape(FAMILY_D)
def iso_datetime_with_offset_csv(folder: Path) -> Truth:
    """A SaaS billing export with timestamps "2024-01-15 14:03:27 -0500" (local time and offset): the date as written."""
    rng = rng_for("iso_datetime_with_offset_csv")
    lines = gen_lines(rng, clients=CLIENTS[:8])
    rows = [["Created at", "Customer", "Total"]]
    rows += [[f"{ln.date} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} -0500", ln.client, str(ln.amount)]
             for ln in lines]
    write_csv(folder / "charges.csv", rows, newline="\n")
    write_client_yml(folder, "charges.csv", as_of=AS_OF, columns={"date": "Created at"})
    return truth_of(lines, AS_OF)
