"""States a QA sweep found added as billing, or advised away twice: a shop's orders not yet
paid written as the status alone (WooCommerce 'wc-pending', 'wc-on-hold'; Shopify 'pending'),
Fortnox's cancelled invoices marked in a yes/no column of their own ('Makulerad: Ja'), and
sevDesk's cancelled invoices beside the documents that cancel them. Refused with the values
to leave out; the advice followed gives the true figures."""

from __future__ import annotations

from pathlib import Path

from ledger_cases import billing_per_client, refused


def _folder(tmp: Path, text: str, extra: str = "", name: str = "ledger.csv") -> Path:
    folder = tmp / "client"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "client.yml").write_text(f"client: Min\nas_of: 2025-01-01\nbilling:\n  file: {name}\n{extra}",
                                       encoding="utf-8")
    return folder


WOO = """Order Number,Order Date,Order Status,Billing Company,Order Total
1001,2024-02-01 10:12:00,wc-completed,Total Wine & More,1200.00
1002,2024-03-05 11:00:00,wc-pending,Total Wine & More,800.00
1003,2024-04-10 09:30:00,wc-processing,Pending Solutions Ltd,450.50
1004,2024-05-02 16:45:00,wc-on-hold,Pending Solutions Ltd,99.00
1005,2024-06-20 08:00:00,wc-cancelled,Balance Fitness,300.00
1006,2024-07-14 12:00:00,wc-completed,Balance Fitness,640.25
"""


def test_orders_not_yet_paid_are_refused_and_the_advice_reads_them(tmp_path: Path) -> None:
    amount = "  columns: {amount: Order Total}\n"
    refused(_folder(tmp_path, WOO, amount), "column 'Order Status' says some rows are not billing", "'wc-pending'",
            "'wc-on-hold'", "billing.exclude: {Order Status: ['wc-pending', 'wc-on-hold', 'wc-cancelled']}",
            "in a shop's orders, an order not yet paid (not billing)")
    got, _ = billing_per_client(_folder(
        tmp_path, WOO, amount + "  exclude: {Order Status: ['wc-pending', 'wc-on-hold', 'wc-cancelled']}\n"))
    assert got == {"Total Wine & More": 1_200_000_000, "Pending Solutions Ltd": 450_500_000,
                   "Balance Fitness": 640_250_000}


FORTNOX = """Fakturanr;Kundnr;Kundnamn;Fakturadatum;Belopp exkl. moms;Valuta;Makulerad;Kreditfaktura
2001;1004;Göteborgs Hamnservice AB;2024-03-28;116 967,21 kr;SEK;Nej;Nej
2002;1002;Summa Redovisning AB;2024-09-29;40 681,31 kr;SEK;Ja;Nej
2003;1002;Summa Redovisning AB;2024-10-02;40 681,31 kr;SEK;Nej;Nej
2004;1004;Göteborgs Hamnservice AB;2024-11-16;-10 287,04 kr;SEK;Nej;Ja
2005;1010;Örebro Verkstad AB;2024-12-01;33 436,16 kr;SEK;Ja;Nej
"""


def test_cancelled_invoices_marked_yes_are_refused_and_the_advice_reads_them(tmp_path: Path) -> None:
    columns = "  columns: {date: Fakturadatum, amount: 'Belopp exkl. moms', client: Kundnamn}\n"
    refused(_folder(tmp_path, FORTNOX, columns), "column 'Makulerad' says some rows are not billing",
            "'Ja': 2 rows", "billing.exclude: {Makulerad: ['Ja']}")
    got, _ = billing_per_client(_folder(tmp_path, FORTNOX, columns + "  exclude: {Makulerad: ['Ja']}\n"))
    # the credit invoice (Kreditfaktura: Ja, written negative) is billing taken off
    assert got == {"Göteborgs Hamnservice AB": 106_680_170_000, "Summa Redovisning AB": 40_681_310_000}


def test_a_column_named_like_a_state_that_holds_no_yes_or_no_is_no_flag(tmp_path: Path) -> None:
    text = ("Date,Customer,Amount,Voided\n2024-03-01,Void Studios,500.00,\n"
            "2024-04-01,Void Studios,250.00,see note 4\n")
    got, _ = billing_per_client(_folder(tmp_path, text))
    assert got == {"Void Studios": 750_000_000}


SEVDESK = """Rechnungsnummer;Rechnungsdatum;Kunde;Status;Rechnungstyp;Netto;Währung
RE-1023;06.02.2024;Bäckerei Schröder KG;Bezahlt;Rechnung;828,02 €;EUR
RE-1041;20.03.2024;Bäckerei Schröder KG;Storniert;Rechnung;5.572,44 €;EUR
SR-1041;28.03.2024;Bäckerei Schröder KG;Bezahlt;Stornorechnung;-5.572,44 €;EUR
RE-1204;21.04.2024;Storno Events GmbH;Bezahlt;Rechnung;6.789,35 €;EUR
RE-1006;22.05.2024;Storno Events GmbH;Storniert;Rechnung;6.443,60 €;EUR
SR-1006;07.06.2024;Storno Events GmbH;Bezahlt;Stornorechnung;-6.443,60 €;EUR
RE-1300;01.07.2024;Storno Events GmbH;Entwurf;Rechnung;999,00 €;EUR
"""


def test_cancelled_invoices_cancelled_by_documents_of_their_own_net_to_nothing(tmp_path: Path) -> None:
    """sevDesk writes a cancelled invoice 'Storniert' and a negative 'Stornorechnung' beside it:
    leaving out the originals only (the advice before) took each off twice. The two net to
    nothing as written; the draft is still refused."""
    columns = "  columns: {date: Rechnungsdatum, client: Kunde, amount: Netto}\n"
    message = refused(_folder(tmp_path, SEVDESK, columns), "'Entwurf': 1 row", "billing.exclude: {Status: ['Entwurf']}")
    assert "Storniert" not in message
    got, _ = billing_per_client(_folder(tmp_path, SEVDESK, columns + "  exclude: {Status: ['Entwurf']}\n"))
    assert got == {"Bäckerei Schröder KG": 828_020_000, "Storno Events GmbH": 6_789_350_000}


def test_a_clients_own_state_in_a_list_of_clients_is_no_document_state(tmp_path: Path) -> None:
    """One row per client (no dates): 'On Hold', 'Pending' or 'Cancelled: Yes' tell the client's
    state (an account paused, a client gone), not an order's: its 12-month billing is billing."""
    text = ("Account Name,Status,Cancelled,Annual Revenue\nTotal Wine & More,Active,No,50000.00\n"
            "Pending Solutions Ltd,On Hold,No,12500.50\nBalance Fitness,pending,Yes,8000.00\n"
            "Void Studios,Active,Yes,4100.25\n")
    got, _ = billing_per_client(_folder(tmp_path, text, "  columns: {amount: Annual Revenue}\n"))
    assert got == {"Total Wine & More": 50_000_000_000, "Pending Solutions Ltd": 12_500_500_000,
                   "Balance Fitness": 8_000_000_000, "Void Studios": 4_100_250_000}


def test_xeros_authorised_invoices_are_billing(tmp_path: Path) -> None:
    text = ("Date,Contact,Status,Total\n2024-02-01,Total Wine & More,PAID,1000.00\n"
            "2024-03-01,Total Wine & More,AUTHORISED,500.00\n2024-04-01,Balance Fitness,VOIDED,300.00\n")
    refused(_folder(tmp_path, text), "'VOIDED': 1 row", "billing.exclude: {Status: ['VOIDED']}")
    got, _ = billing_per_client(_folder(tmp_path, text, "  exclude: {Status: ['VOIDED']}\n"))
    assert got == {"Total Wine & More": 1_500_000_000}


def test_cancellations_are_matched_document_by_document(tmp_path: Path) -> None:
    """One more 'Stornorechnung' than cancelled invoices (it cancels an invoice from before the
    file), and an English 'Cancelled' invoice beside the credit note that cancels it: each
    cancelled invoice has its own offsetting document, so both are read as written."""
    extra = SEVDESK.replace("RE-1300;01.07.2024;Storno Events GmbH;Entwurf;Rechnung;999,00 €;EUR\n",
                            "SR-0900;03.07.2024;Storno Events GmbH;Bezahlt;Stornorechnung;-800,00 €;EUR\n")
    columns = "  columns: {date: Rechnungsdatum, client: Kunde, amount: Netto}\n"
    got, _ = billing_per_client(_folder(tmp_path / "de", extra, columns))
    assert got == {"Bäckerei Schröder KG": 828_020_000, "Storno Events GmbH": 5_989_350_000}
    text = ("Date,Customer,Type,Status,Amount\n2024-02-01,Total Wine & More,Invoice,Paid,1000.00\n"
            "2024-03-01,Total Wine & More,Invoice,Cancelled,400.00\n"
            "2024-03-04,Total Wine & More,Credit Note,Paid,-400.00\n")
    got, _ = billing_per_client(_folder(tmp_path / "en", text))
    assert got == {"Total Wine & More": 1_000_000_000}


def test_a_cancelled_column_holding_the_day_it_was_cancelled(tmp_path: Path) -> None:
    text = ("Date,Customer,Amount,Deleted\n2024-03-01,Void Studios,500.00,\n"
            "2024-04-01,Void Studios,250.00,2024-04-03\n2024-05-01,Balance Fitness,80.00,\n")
    refused(_folder(tmp_path, text), "column 'Deleted' says some rows are not billing", "'2024-04-03': 1 row")
    got, _ = billing_per_client(_folder(tmp_path, text, "  exclude: {Deleted: ['2024-04-03']}\n"))
    assert got == {"Void Studios": 500_000_000, "Balance Fitness": 80_000_000}


def test_a_voided_invoice_is_not_offset_by_a_credit_note_nor_by_another_clients(tmp_path: Path) -> None:
    """Voided (Xero, QuickBooks): gone with no document of its own, so a credit note of the same
    money is another matter; a cancellation offsets only its own client's invoice."""
    void = ("Date,Customer,Type,Status,Amount\n2024-02-01,Total Wine & More,Invoice,PAID,2000.00\n"
            "2024-03-01,Total Wine & More,Invoice,VOIDED,2000.00\n"
            "2024-05-04,Total Wine & More,Credit Note,PAID,-2000.00\n")
    refused(_folder(tmp_path / "v", void), "'VOIDED': 1 row")
    other = ("Date,Customer,Type,Status,Amount\n2024-02-01,Total Wine & More,Invoice,Paid,900.00\n"
             "2024-03-01,Total Wine & More,Invoice,Cancelled,400.00\n"
             "2024-03-04,Balance Fitness,Credit Note,Paid,-400.00\n")
    refused(_folder(tmp_path / "o", other), "'Cancelled': 1 row")
