"""Amounts written without a sign beside a column saying which side of the book each is on:
DATEV's posting batch ('Umsatz (ohne Soll/Haben-Kz)' with 'Soll/Haben-Kennzeichen' S/H, the
customer's account against revenue 8400 or the bank 1200), and an English ledger's 'Dr/Cr'.
Added up as written, credit notes and payments received were counted as sales (QA: +54%,
exit 0). Refused, with the settings that read them; the advice followed gives the true figures."""

from __future__ import annotations

from pathlib import Path

from ledger_cases import billing_per_client, refused

HEADER = ("Umsatz (ohne Soll/Haben-Kz);Soll/Haben-Kennzeichen;WKZ Umsatz;Konto;Gegenkonto (ohne BU-Schlüssel);"
          "BU-Schlüssel;Belegdatum;Belegfeld 1;Buchungstext;Kundenname")
#: (amount, S/H, counter-account, day, client): invoices S/8400, credit notes H/8400, payments H/1200
ENTRIES = [
    ("10.012,70", "S", "8400", "01.10.2024", "Haben & Soll Steuerberatung"),
    ("6.563,07", "S", "8400", "08.10.2024", "Summe Logistik GmbH"),
    ("1.250,00", "H", "8400", "12.10.2024", "Haben & Soll Steuerberatung"),  # credit note
    ("10.012,70", "H", "1200", "30.10.2024", "Haben & Soll Steuerberatung"),  # payment
    ("2.400,50", "S", "8400", "03.11.2024", "Müller Maschinenbau GmbH"),
    ("6.563,07", "H", "1200", "20.11.2024", "Summe Logistik GmbH"),  # payment
    ("980,00", "S", "8400", "02.12.2024", "Summe Logistik GmbH"),
    ("120,00", "H", "8400", "05.12.2024", "Müller Maschinenbau GmbH"),  # credit note
]
TRUTH = {"Haben & Soll Steuerberatung": 8_762_700_000, "Summe Logistik GmbH": 7_543_070_000,
         "Müller Maschinenbau GmbH": 2_280_500_000}


def _folder(tmp: Path, text: str, name: str, encoding: str, extra: str = "") -> Path:
    folder = tmp / "client"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    (folder / "client.yml").write_text(f"client: Min\nas_of: 2025-01-01\nbilling:\n  file: {name}\n{extra}",
                                       encoding="utf-8")
    return folder


def _datev(tmp: Path, extra: str = "") -> Path:
    def text(s: str, c: str, n: str) -> str:
        return f"Zahlungseingang {n}" if c == "1200" else f"{'Rechnung' if s == 'S' else 'Gutschrift'} {n}"

    lines = [HEADER] + [f"{a};{s};EUR;{10000 + i};{c};;{d};RE{i:04d};{text(s, c, n)};{n}" for i, (a, s, c, d, n) in
                        enumerate(ENTRIES)]
    return _folder(tmp, "\r\n".join(lines) + "\r\n", "EXTF_Buchungsstapel.csv", "cp1252", extra)


def test_datev_postings_are_refused_and_the_advice_reads_them(tmp_path: Path) -> None:
    refused(_datev(tmp_path), "column 'Soll/Haben-Kennzeichen' says which side of the book",
            "(S: debit; H: credit)", "the 4 rows marked H", "billing.credits: {'Soll/Haben-Kennzeichen': [H]}",
            "counter-account 1200 (2 rows", "their booking texts in 'Buchungstext' say so",
            "billing.exclude: {'Gegenkonto (ohne BU-Schlüssel)': [1200]}")
    advised = _datev(tmp_path, "  credits: {'Soll/Haben-Kennzeichen': [H]}\n"
                               "  exclude: {'Gegenkonto (ohne BU-Schlüssel)': [1200]}\n")
    got, loaded = billing_per_client(advised)
    assert got == TRUTH
    assert loaded.reconciliation.amount_used == sum(TRUTH.values())


def test_a_dr_cr_column_without_counter_accounts_is_refused(tmp_path: Path) -> None:
    text = ("Date,Customer,Dr/Cr,Amount\n2024-03-01,Total Wine & More,Dr,500.00\n"
            "2024-03-09,Total Wine & More,Cr,50.00\n2024-04-01,Balance Fitness,DR,200.00\n")
    refused(_folder(tmp_path, text, "ledger.csv", "utf-8"), "column 'Dr/Cr'", "the 1 row marked Cr ($50.00)",
            "billing.credits: {'Dr/Cr': [Cr]}", "Payments received are credits too")
    got, _ = billing_per_client(_folder(tmp_path, text, "ledger.csv", "utf-8", "  credits: {Dr/Cr: [Cr]}\n"))
    assert got == {"Total Wine & More": 450_000_000, "Balance Fitness": 200_000_000}


def test_signed_amounts_beside_a_side_column_are_read_as_written(tmp_path: Path) -> None:
    text = ("Date,Customer,Debit/Credit,Amount\n2024-03-01,Total Wine & More,Debit,500.00\n"
            "2024-03-09,Total Wine & More,Credit,-50.00\n")
    got, _ = billing_per_client(_folder(tmp_path, text, "ledger.csv", "utf-8"))
    assert got == {"Total Wine & More": 450_000_000}


def test_without_payment_texts_the_counter_accounts_are_listed_for_the_consultant(tmp_path: Path) -> None:
    """Credit notes posted to their own account (8720, on credits only) are no payments: with no
    booking text saying payment, no account is proposed; the credits' accounts are listed."""
    lines = [HEADER] + [f"{a};{s};EUR;{10000 + i};{'8720' if (s, c) == ('H', '8400') else c};;{d};RE{i:04d};"
                        f"Buchung {i};{n}" for i, (a, s, c, d, n) in enumerate(ENTRIES)]
    folder = _folder(tmp_path, "\r\n".join(lines) + "\r\n", "EXTF_Buchungsstapel.csv", "cp1252")
    message = refused(folder, "the credits go to counter-accounts 8720 (2 rows", "1200 (2 rows",
                      "[<those accounts>]")
    assert "are payments received" not in message


def test_one_correction_written_negative_does_not_sign_the_file(tmp_path: Path) -> None:
    text = ("Date,Customer,Dr/Cr,Amount\n2024-03-01,Total Wine & More,Dr,500.00\n"
            "2024-03-05,Total Wine & More,Dr,-20.00\n2024-03-09,Total Wine & More,Cr,50.00\n")
    refused(_folder(tmp_path, text, "ledger.csv", "utf-8"), "the 1 row marked Cr ($50.00)")


def test_a_card_type_column_is_no_side_of_the_book(tmp_path: Path) -> None:
    text = ("Date,Customer,Payment Card (Debit/Credit),Amount\n2024-03-01,Total Wine & More,Debit,500.00\n"
            "2024-03-09,Balance Fitness,Credit,50.00\n")
    got, _ = billing_per_client(_folder(tmp_path, text, "ledger.csv", "utf-8"))
    assert got == {"Total Wine & More": 500_000_000, "Balance Fitness": 50_000_000}


def test_credits_partly_signed_are_refused_and_a_signed_revenue_listing_is_read(tmp_path: Path) -> None:
    mixed = ("Date,Customer,Dr/Cr,Amount\n2024-03-01,Total Wine & More,Dr,500.00\n"
             "2024-03-09,Total Wine & More,Cr,-50.00\n2024-03-20,Total Wine & More,Cr,-30.00\n"
             "2024-04-09,Total Wine & More,Cr,400.00\n")
    refused(_folder(tmp_path / "m", mixed, "ledger.csv", "utf-8"), "billing.credits: {'Dr/Cr': [Cr]}")
    revenue = ("Date,Customer,Dr/Cr,Amount\n2024-03-01,Total Wine & More,Cr,500.00\n"
               "2024-03-09,Total Wine & More,Dr,-50.00\n2024-04-01,Balance Fitness,Cr,200.00\n")
    got, _ = billing_per_client(_folder(tmp_path / "r", revenue, "ledger.csv", "utf-8"))
    assert got == {"Total Wine & More": 450_000_000, "Balance Fitness": 200_000_000}


def test_a_discount_booked_against_a_payment_text_is_no_payment(tmp_path: Path) -> None:
    text = ("Date,Customer,Dr/Cr,Contra Account,Description,Amount\n"
            "2024-03-01,Total Wine & More,Dr,4000,Invoice 1,500.00\n"
            "2024-03-09,Total Wine & More,Cr,1200,Payment received,490.00\n"
            "2024-03-09,Total Wine & More,Cr,4010,Early payment discount,10.00\n")
    message = refused(_folder(tmp_path, text, "ledger.csv", "utf-8"), "counter-account 1200 (1 row",
                      "billing.exclude: {'Contra Account': [1200]}")
    assert "4010" not in message.split("are payments received")[0]
