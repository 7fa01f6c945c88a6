"""Amounts written without a sign beside a column saying which side of the book each is on
(DATEV's posting batch: 'Umsatz (ohne Soll/Haben-Kz)' and 'Soll/Haben-Kennzeichen' S/H; 'Dr/Cr';
'Debit/Credit'): added up as written, credit notes and payments received would count as sales.
:func:`refuse_unsigned_sides` refuses them with the settings that read them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ..config import BillingSource
from ..count_words import plural
from ..errors import ColumnError, Problem
from ..money import format_money
from .cells import TextColumn
from .columns import normalise_header
from .ledger_headers import COUNTER_ACCOUNT_COLUMN, SIDE_FLAG_COLUMN
from .refusals import first_rows

__all__ = ["refuse_unsigned_sides"]

#: a side-of-the-book flag's codes for a debit and for a credit, lower case
_DEBIT_CODES = frozenset({"s", "soll", "d", "dr", "debit", "+"})
_CREDIT_CODES = frozenset({"h", "haben", "c", "cr", "credit", "-"})


#: a booking text saying the entry is a payment received
_PAYMENT_TEXT = re.compile(r"zahlung|payment|paid|receipt|bank|überweisung|ueberweisung|einzahlung|lastschrift|"
                           r"paiement|règlement|reglement|pago|cobro|betaling|inbetalning|cash", re.I)
#: a booking text of a discount or a rebate granted: taken off the billing, not a payment
_DISCOUNT_TEXT = re.compile(r"discount|skonto|rabatt|nachlass|escompte|remise|descuento|bonus|rebate", re.I)
#: a column of booking texts ('Buchungstext', 'Description', 'Memo')
_TEXT_COLUMN = re.compile(r"buchungstext|booking text|posting text|description|memo|narration|libell|texto|^\s*text\s*$",
                          re.I)


def refuse_unsigned_sides(path: Path, read: Sequence[str], fields: Mapping[str, str], cols: Mapping[str, TextColumn],
                           micros: np.ndarray, rows: np.ndarray, b: BillingSource, src: np.ndarray,
                           sample: Mapping[str, Sequence[object]]) -> None:
    """Amounts written without a sign beside a column that says which side of the book each is
    on (DATEV's 'Umsatz (ohne Soll/Haben-Kz)' and 'Soll/Haben-Kennzeichen' S/H; 'Dr/Cr';
    'Debit/Credit'): adding them all would count credit notes and payments received as sales.
    Refused, unless client.yml already names the column (billing.credits, exclude or billed),
    or each side is written with its own sign; the advice subtracts the credits, and leaves out
    the payments among them: by their counter-account when the booking texts of the file's first
    rows say payment for it, else the consultant names them. ``rows``: the rows with an amount,
    not excluded; ``sample``: the file's first rows per column."""
    named = {normalise_header(c) for c in (*b.credits, *b.exclude, *b.billed)}
    for h in read:
        if not SIDE_FLAG_COLUMN.match(h) or h in fields.values() or normalise_header(h) in named:
            continue
        col = cols[h]
        use = rows & ~col.blank
        held = np.unique(col.codes[use])
        texts = [str(t) for t in col.texts_of(held)]
        side = {t: "credit" if t.lower().rstrip(".") in _CREDIT_CODES else
                "debit" if t.lower().rstrip(".") in _DEBIT_CODES else "" for t in texts}
        if "" in side.values() or set(side.values()) != {"debit", "credit"}:
            continue  # not a flag of two sides, or one side only
        credits = sorted(t for t in texts if side[t] == "credit")
        debits = sorted(t for t in texts if side[t] == "debit")
        on_credit = use & np.isin(col.texts(), np.asarray(credits, dtype=object))
        on_debit = use & ~on_credit
        if ((micros[on_credit] <= 0).all() and (micros[on_debit] >= 0).all()) or (
                (micros[on_credit] >= 0).all() and (micros[on_debit] <= 0).all() and (micros[on_debit] < 0).any()):
            continue  # each side written with its own sign (a revenue account's: its debits negative)
        n_credit = int(on_credit.sum())
        money = format_money(int(micros[on_credit].sum()))
        flag = f"{{{h!r}: [{', '.join(credits)}]}}"
        hint = (f"Say how to read them in client.yml: billing.credits: {flag} subtracts the credits. It reads the "
                f"file as the client's account ({'/'.join(debits)}: invoices); if it lists a revenue account's "
                f"entries instead (the sales on the credit side), write billing.credits: {{{h!r}: "
                f"[{', '.join(debits)}]}}.")
        counter = next((c for c in read if COUNTER_ACCOUNT_COLUMN.search(c) and c != h), None)
        hint += " " + (_payments_advice(counter, cols[counter], on_credit, micros, sample) if counter is not None else
                       "Payments received are credits too: leave them out by a column that tells them "
                       "(billing.exclude: {<column>: [<values>]}).")
        raise ColumnError(path, Problem(
            f"column {h!r} says which side of the book each amount is on ({', '.join(debits)}: debit; "
            f"{', '.join(credits)}: credit), and the amounts in {fields['amount']!r} carry no sign: the "
            f"{plural(n_credit, 'row')} marked {' or '.join(credits)} ({money}) would be added as sales, though on "
            "a client's account a credit is a credit note or a payment received",
            column=h, rows=first_rows(src, on_credit), n_rows=n_credit), hint=hint)


def _payments_advice(counter: str, accounts: TextColumn, on_credit: np.ndarray, micros: np.ndarray,
                     sample: Mapping[str, Sequence[object]]) -> str:
    """Which counter-accounts of the credits are payments received: those whose booking texts,
    in the file's first rows, say payment (a bank's 'Zahlungseingang'); else the accounts with
    their credits, for the consultant to name the bank's."""
    codes = np.unique(accounts.codes[on_credit & ~accounts.blank])
    names = {int(c): str(t) for c, t in zip(codes.tolist(), accounts.texts_of(codes).tolist(), strict=True)}
    text_col = next((c for c in sample if _TEXT_COLUMN.search(c)), None)
    paid: list[int] = []
    if text_col is not None:
        first = list(sample[text_col])
        for code in names:
            at = np.flatnonzero(on_credit[:len(first)] & (accounts.codes[:len(first)] == code))
            said = [str(first[i]) for i in at.tolist() if first[i] is not None]
            if said and sum(bool(_PAYMENT_TEXT.search(t)) and not _DISCOUNT_TEXT.search(t)
                            for t in said) >= 0.8 * len(said):
                paid.append(code)
    def listed(chosen: Sequence[int]) -> str:
        return ", ".join(f"{names[c]} ({plural(int((on_credit & (accounts.codes == c)).sum()), 'row')}, "
                         f"{format_money(int(micros[on_credit & (accounts.codes == c)].sum()))})" for c in chosen)

    if paid:
        values = ", ".join(names[c] for c in paid)
        return (f"The credits to counter-account {listed(paid)} are payments received (their booking texts in "
                f"{text_col!r} say so): leave them out with billing.exclude: {{{counter!r}: [{values}]}}.")
    return (f"Payments received are credits too: the credits go to counter-accounts {listed(sorted(names))}; leave "
            f"out those that are payments (the bank's or the cash account's) with billing.exclude: {{{counter!r}: "
            "[<those accounts>]}.")
