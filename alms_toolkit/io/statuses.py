"""What a status or type column says about a row's money: CRM and accounting exports list
lost deals, drafts and voided invoices beside the billing, and some write a credit note as
a positive amount with the sign in a *Type* column. Summing such a file as it is would
print a wrong figure, so these rows are found and the consultant decides: leave them out
(``billing.exclude``) or, for credits, subtract them (``billing.credits``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from ..money import format_money
from .columns import normalise_header
from .ledger_headers import CURRENCY_NAMES, STATUS_FLAG_COLUMN, STATUS_NAMES, TYPE_NAMES

__all__ = [
    "StatusFinding", "STATUS_NAMES", "TYPE_NAMES", "CURRENCY_NAMES", "not_billing_statuses", "positive_credits",
    "mixed_currencies", "may_carry_currency", "looks_like_stages", "OWN_CURRENCY_AMOUNT",
]

#: a currency written inside an amount: a code (USD 1,234.00, 1.234,00 EUR) or a symbol
_MARKER = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])|([$€£¥₹])")
#: how a currency finding names the rows whose currency cell is blank
BLANK_CURRENCY = "(blank)"
#: a text that may hold :data:`_MARKER`: a capital letter or a currency sign
_MAY_MARK = r"[A-Z$€£¥₹]"
_SAME = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_WON = re.compile(r"\b(?:closed ?won|won|gewonnen|gagn[ée]e?|ganad[oa])\b|closedwon", re.I)
_NOT_BILLING = re.compile(
    r"\b(?:lost|closed ?lost|void(?:ed)?|draft|cancel+ed|deleted|rejected|declined|quote|quotation|proposal|"
    r"failed|(?<!partially )(?<!partly )refunded|uncollectible|pending payment|awaiting payment|awaiting approval|"
    r"revers(?:ed|al)|unbilled|not billed|unposted|not posted|"
    r"submitted(?: for approval)?|"
    r"prospecting|qualification|negotiation|abandoned|expired|not won|storniert|entwurf|annul[ée]e?|brouillon|"
    r"borrador|anulad[oa])\b|closedlost",
    re.I,
)
#: a shop's order not yet paid, written as the status alone (WooCommerce's 'pending' and
#: 'on-hold' slugs, 'wc-pending'; Shopify's financial status 'pending'): in a file of one row per
#: client, a client's own state ('On Hold', 'Pending'), so not read there
_BARE_PENDING = re.compile(r"^\s*(?:wc-pending|wc-on-hold|pending|on-hold)\s*$", re.I)
_CREDIT = re.compile(
    r"credit|refund|\breturns?\b|gutschrift|avoir|abono|nota de cr[ée]dito|creditnota|storno|"
    r"\b(?:cn|crn|cm|rtn|sc|cr)\b", re.I
)
#: a day, as a column of the day a document was cancelled or deleted writes it
_A_DAY = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
#: a yes or a no, in the languages of the exports read
_YES = frozenset({"yes", "y", "true", "1", "x", "ja", "j", "oui", "sí", "si", "wahr", "sim", "tak", "kyllä"})
_NO = frozenset({"no", "n", "false", "0", "nej", "nein", "non", "falsch", "não", "nie", "ei"})
#: a status that is billing or not by the kind of file: an order or an invoice awaiting payment
_PENDING = re.compile(r"pending payment|awaiting payment|^\s*(?:wc-pending|wc-on-hold|pending|on-hold)\s*$", re.I)
#: an amount header that says the amount is in the company's own currency, whatever currency a
#: document was written in: 'Amount DC' (Exact Online), 'Sales (LCY)' (Business Central),
#: 'Amount (Base)', 'Local Currency Amount'
OWN_CURRENCY_AMOUNT = re.compile(
    r"\((?:lcy|base|local|home|company currency)\)|^\s*amount\s+dc\s*$|\b(?:lcy|base amount|amount base|"
    r"base currency|local currency|home currency|company currency|functional currency|reporting currency)\b", re.I)
@dataclass(frozen=True)
class _DocumentCodes:
    """One system's document codes, as a type or status column writes them: a column whose
    values are all ``codes`` (or, where ``own`` is given, a company's own codes matching it),
    an invoice code among them, is that system's. ``not_billing``: its codes that are no
    billing; ``credits``: its credits, written positive."""

    codes: frozenset[str]
    invoices: frozenset[str]
    not_billing: frozenset[str]
    credits: frozenset[str] = frozenset()
    own: str | None = None

    def holds(self, texts: Iterable[str]) -> bool:
        letters = {t.strip().upper() for t in texts}
        extra = letters - self.codes
        return bool(letters & self.invoices) and (
            not extra or (self.own is not None and all(re.fullmatch(self.own, t) for t in extra)))


_SAGE_CODES = frozenset({"SI", "SC", "SR", "SA", "SD", "SP", "PI", "PC", "PR", "PA", "PD", "PP", "JD", "JC",
                         "BP", "BR", "VP", "VR"})
_DOCUMENT_CODES = (
    # MYOB's sale status letters: I(nvoice), Q(uote), O(rder), C(losed)
    _DocumentCodes(frozenset({"I", "Q", "O", "C"}), frozenset({"I"}), frozenset({"Q", "O"})),
    # Sage 50 / Sage Accounts transaction types: SI a sales invoice, SC a credit note; receipts
    # (SR, SA), discounts, refunds, purchases (P*), journals (J*) and bank entries are no billing
    _DocumentCodes(_SAGE_CODES, frozenset({"SI"}), _SAGE_CODES - {"SI", "SC"}, frozenset({"SC"})),
    # SAP's billing types (VF05): invoices F1, F2, pro forma F5, F8 (no billing), debit memo L2,
    # credit memo G2, return RE, an invoice's cancellation S1 (credits written positive), a credit
    # memo's cancellation S2; a company's own types begin with Z ('ZF2')
    _DocumentCodes(frozenset({"F1", "F2", "F5", "F8", "FP", "L2", "G2", "RE", "S1", "S2"}), frozenset({"F1", "F2"}),
                   frozenset({"F5", "F8"}), frozenset({"G2", "RE", "S1"}), own=r"Z[A-Z0-9]{1,3}"),
)


def _document_codes(texts: Iterable[str]) -> _DocumentCodes | None:
    """The system whose document codes a column's values are, if any."""
    values = list(texts)
    return next((c for c in _DOCUMENT_CODES if c.holds(values)), None)


#: documents named like returns that are not credits: a return authorisation only allows a
#: return (the credit memo that follows is the credit)
_NOT_A_CREDIT = re.compile(r"return authori[sz]ation|\brma\b", re.I)
#: transaction types that are not sales: money received or moved, documents not posted
_NOT_SALES_TYPE = re.compile(
    r"payment|receipt|deposit|journal|transfer|estimate|quot(?:e|ation)|sales order|purchase|\bbill\b|"
    r"opportunit(?:y|ies)|return authori[sz]ation|\brma\b|finance charge|reminder|\bcrj\b|cash receipts?|"
    r"^\s*(?:back\s*)?orders?\s*$|"
    r"cheque|\bcheck\b|expense|zahlung|paiement|pago|\b(?:pmt|rct|jnl)\b", re.I
)


@dataclass(frozen=True)
class StatusFinding:
    """Rows of one column's values that need the consultant's word: the column, the values
    (with their row counts and money), the rows, and what kind (``"status"`` or ``"credit"``)."""

    column: str
    values: tuple[tuple[str, int, int], ...]  # (value, rows, micros)
    mask: np.ndarray
    kind: str
    #: a currency mix found inside the amount cells (not in a currency column)
    in_amounts: bool = False

    def refusal(self, source_row: np.ndarray, currency: str = "$", *, excluded: Sequence[str] = (),
                billed: Sequence[str] = (), unmatched: Sequence[str] = (),
                rate_column: str | None = None) -> tuple[Problem, str]:
        """The problem (with its spreadsheet rows) and the client.yml setting that settles it.
        ``excluded`` and ``billed``: the values client.yml already names for this column
        (billing.exclude, billing.billed): the lists the advice writes keep them; ``unmatched``:
        the billed values no row of the column holds (a misspelling), said first; ``rate_column``:
        a column of exchange rates beside a currency mix (the advice says how to use it)."""
        symbol = "" if self.kind == "currency" else currency
        shown = "; ".join(f"{v!r}: {n:,} row{'s' if n != 1 else ''}, {format_money(m, symbol)}"
                          for v, n, m in self.values[:5])
        names = ", ".join(repr(v) for v, _, _ in self.values)  # a list to write in client.yml: never cut
        rows = tuple(int(r) for r in source_row[np.flatnonzero(self.mask)[:5]])
        if self.kind == "status":
            what = (f"column {self.column!r} says some rows are not billing ({shown}): lost or open deals, "
                    "quotes and orders, drafts, voided or failed documents, refunded charges, payments and "
                    "journals are not revenue")

            def listed(given: Sequence[str], new: Sequence[str]) -> str:
                """The list to write: what client.yml names already, then the new values."""
                return ", ".join(repr(v) for v in dict.fromkeys([*given, *new]))

            found = [v for v, _, _ in self.values]
            hint = "".join(f"billing.billed names {v!r} for column {self.column!r}, but no row holds it (values are "
                           "matched as written: check its spelling). " for v in unmatched)
            hint += f"Leave them out in client.yml: billing.exclude: {{{self.column}: [{listed(excluded, found)}]}}. "
            if excluded:
                hint += (f"(billing.exclude already names {', '.join(repr(v) for v in excluded)} for this column: "
                         "they stay in the list.) ")
            else:
                hint += (f"If every row of the file is billing, say so with an empty list: billing.exclude: "
                         f"{{{self.column}: []}}. ")
            more = f"{listed(billed, [])}, ..." if billed else "..."
            hint += (f"If some of these values are billing in this file, name them: billing.billed: "
                     f"{{{self.column}: [{more}]}} (and leave out the others).")
            pending = [v for v in found if _PENDING.search(v)]
            if pending:
                rest = [v for v in found if not _PENDING.search(v)]
                hint += (f" {', '.join(repr(v) for v in pending)}: in a shop's orders, an order not yet paid (not "
                         "billing); in an invoice register, an invoice billed and not yet paid (billing). If these "
                         f"rows are invoices: billing.billed: {{{self.column}: [{listed(billed, pending)}]}}"
                         + (f" and billing.exclude: {{{self.column}: [{listed(excluded, rest)}]}}." if rest or excluded
                            else "."))
        elif self.kind == "currency":
            what = (f"the amounts are in several currencies ({shown}), and adding them up would mix them "
                    f"(column {self.column!r})")
            written = [v for v, _, _ in self.values if v != BLANK_CURRENCY]
            others = ", ".join(repr(v) for v, _, _ in self.values[1:] if v != BLANK_CURRENCY)
            if any(v == BLANK_CURRENCY for v, _, _ in self.values):
                what += ("; a blank currency cell most often means the company's own currency, but the file "
                         "does not say which")
                one = (f"If every amount is in one currency (the blank cells too), say so in client.yml: "
                       f"billing.exclude: {{{self.column}: []}}. ")
                hint = one + ((f"If the blank cells are the company's own currency and the others are not, keep "
                               f"the blank ones: billing.exclude: {{{self.column}: "
                               f"[{', '.join(repr(v) for v in written)}]}}. Otherwise "
                               if self.values[0][0] == BLANK_CURRENCY else
                               f"Otherwise write the currency in the blank cells of column {self.column!r} (then keep "
                               f"one with billing.exclude), or ")
                              + "convert the amounts to one currency before the audit.")
            elif not self.in_amounts:
                kept, left = self.values[0], self.values[1:]
                dropped = sum(n for _, n, _ in left)
                converted = (f"The file has an exchange-rate column ({rate_column!r}): convert the amounts into the "
                             "company's currency (amount x rate) in a column of their own before the audit, and map "
                             "that column as the amount (billing.columns.amount). " if rate_column else "")
                hint = (f"The audit adds amounts of one currency. {converted or 'Convert the amounts before the audit. '}"
                        f"Or keep one currency in client.yml: billing.exclude: {{{self.column}: [{others}]}} (that "
                        f"keeps the {kept[1]:,} {kept[0]!r} rows and leaves out {dropped:,} rows in other currencies, "
                        "and the clients billed only in them).")
            else:
                hint = ("The audit adds amounts of one currency: export the ledger in one currency (or with a "
                        "currency column, then keep one with billing.exclude).")
        else:
            what = (f"rows of column {self.column!r} marked as credits ({shown}) have positive amounts: the file "
                    "writes the sign in the type, so adding them would count credits as sales")
            hint = (f"Say which values are credits in client.yml, and they are subtracted: billing.credits: "
                    f"{{{self.column}: [{names}]}}.")
        return Problem(what, column=self.column, rows=rows, n_rows=int(self.mask.sum())), hint


def _present(codes: np.ndarray, uniques: np.ndarray, rows: np.ndarray) -> dict[int, str]:
    """The distinct values (code -> text) a column holds among ``rows``."""
    valid = codes[rows & (codes >= 0)]
    present = np.flatnonzero(np.bincount(valid)) if len(valid) else valid
    return {int(u): str(uniques[u]) for u in present}


def _marked_amounts(codes: np.ndarray, uniques: np.ndarray, rows: np.ndarray) -> dict[int, str]:
    """The distinct amount texts among ``rows`` that may carry a currency marker (a capital
    letter or a currency sign): the rest cannot match :data:`_MARKER`, and a ledger's amounts
    are mostly distinct, so they are screened in one vectorised pass."""
    valid = codes[rows & (codes >= 0)]
    present = np.flatnonzero(np.bincount(valid)) if len(valid) else valid
    if not len(present):
        return {}
    texts = pd.Series(uniques[present], dtype=object).astype("string")
    maybe = texts.str.contains(_MAY_MARK, regex=True).to_numpy(dtype=bool, na_value=False)
    return {int(u): str(t) for u, t in zip(present[maybe], texts[maybe].tolist(), strict=True)}


def _value_rows(codes: np.ndarray, uniques: np.ndarray, flagged: Sequence[int], rows: np.ndarray,
                micros: np.ndarray) -> tuple[np.ndarray, tuple[tuple[str, int, int], ...]]:
    mask = np.zeros(len(codes), dtype=bool)
    values = []
    for u in flagged:
        m = rows & (codes == u)
        if m.any():
            mask |= m
            values.append((str(uniques[u]), int(m.sum()), int(micros[m].sum())))
    return mask, tuple(sorted(values, key=lambda v: -v[1]))


def looks_like_stages(values: Sequence[object]) -> bool:
    """A column (whatever its name) whose values include a won deal and a lost one."""
    texts = {str(v).strip() for v in values if v is not None and str(v).strip()}
    if not texts or len(texts) > 40:
        return False
    return any(_WON.search(t) and not _NOT_BILLING.search(t) for t in texts) and any(
        re.search(r"\blost\b|closedlost|verloren|perdu|perdid", t, re.I) for t in texts)


#: a document that cancels another (SAP's S1/S2, sevDesk's 'Stornorechnung', a 'Reversal')
_CANCELLATION = re.compile(r"storno(?:rechnung|beleg)?|cancell?ation|\breversal\b|annulation|anulaci[oó]n|^\s*s[12]\s*$",
                           re.I)
#: a document voided: gone, with no credit note of its own (Xero, QuickBooks)
_VOID = re.compile(r"\bvoid", re.I)
#: a state of a document cancelled (by a document of its own, in some systems)
_CANCELLED = re.compile(r"cancel+ed|void(?:ed)?|storniert|makuler|annul|anulad|revers", re.I)


def _cancellation_documents(columns: Mapping[str, tuple[np.ndarray, np.ndarray]], rows: np.ndarray,
                            micros: np.ndarray, clients: np.ndarray) -> tuple[Counter[tuple[int, int]], ...]:
    """The (client, money: micros, signs aside) of each row among ``rows`` that a status or type
    column writes as a document cancelling another ('Stornorechnung', SAP's S1), and of each a
    type column writes as a credit note: what may offset a cancelled document of its client."""
    cancels = np.zeros(len(rows), dtype=bool)
    notes = np.zeros(len(rows), dtype=bool)
    for header, (codes, uniques) in columns.items():
        key = normalise_header(header)
        if key not in STATUS_NAMES and key not in TYPE_NAMES:
            continue
        present = _present(codes, uniques, rows).items()
        cancels |= rows & np.isin(codes, [u for u, t in present if _CANCELLATION.search(t)])
        if key in TYPE_NAMES:
            notes |= rows & np.isin(codes, [u for u, t in present if _CREDIT.search(t) and not _CANCELLATION.search(t)])
    return tuple(Counter(zip(clients[at].tolist(), np.abs(micros[at]).tolist(), strict=True)) for at in (cancels, notes))


def _offset(at: np.ndarray, micros: np.ndarray, clients: np.ndarray, offsets: Counter[tuple[int, int]]) -> bool:
    """Whether each cancelled document (the rows ``at``) has a document of its own offsetting it:
    its client's, the same money (each offsetting one document)."""
    need = Counter(zip(clients[at].tolist(), np.abs(micros[at]).tolist(), strict=True))
    return bool(need) and all(offsets[m] >= k for m, k in need.items())


def not_billing_statuses(
    columns: Mapping[str, tuple[np.ndarray, np.ndarray]],
    rows: np.ndarray,
    micros: np.ndarray,
    decided: set[str],
    stages: AbstractSet[str] = frozenset(),
    billed: Mapping[str, AbstractSet[str]] | None = None,
    per_client: bool = False,
    clients: np.ndarray | None = None,
) -> list[StatusFinding]:
    """Status columns (``columns``: header -> (codes, distinct texts)) holding values that
    are not billing (lost, draft, void, ...; where a *won* value exists, every other value)
    among ``rows``. Columns in ``decided`` (billing.exclude names them with no values) are
    the consultant's; so are the values ``billed`` names per column (billing.billed: billing
    in this file, as written there, spaces around them aside). ``per_client``: the file holds
    one row per client (no dates): a yes/no column ('Cancelled: Yes', a client gone) and a bare
    'pending' or 'on-hold' tell the client's state there, not a document's. ``clients``: each
    row's client (as a code), so that a cancelled document is offset only by its client's."""
    def not_billing(text: str) -> bool:
        return bool(_NOT_BILLING.search(text) or (not per_client and _BARE_PENDING.match(text)))

    out = []
    clients = np.zeros(len(rows), dtype=np.int64) if clients is None else clients
    cancels, notes = _cancellation_documents(columns, rows, micros, clients)
    for header, (codes, uniques) in columns.items():
        key = normalise_header(header)
        flag = not per_client and bool(STATUS_FLAG_COLUMN.match(header))
        if header in decided or (key not in STATUS_NAMES and key not in TYPE_NAMES and header not in stages
                                 and not flag):
            continue
        texts = _present(codes, uniques, rows)
        system = _document_codes(texts.values())
        if flag:  # yes or no to a state that is no billing: the rows that say yes (or say when)
            written = [t.strip() for t in texts.values()]
            if texts and all(v.lower() in _YES | _NO for v in written):
                flagged = [u for u, t in texts.items() if t.strip().lower() in _YES]
            elif texts and all(_A_DAY.match(v) for v in written):  # the day it was cancelled
                flagged = list(texts)
            else:
                continue
        elif system is not None:  # a system's codes (MYOB, Sage, SAP)
            flagged = [u for u, t in texts.items() if t.strip().upper() in system.not_billing]
        elif key in TYPE_NAMES and header not in stages:  # payments, receipts, journals beside the invoices
            flagged = [u for u, t in texts.items()
                       if _NOT_SALES_TYPE.search(t) and (not _CREDIT.search(t) or _NOT_A_CREDIT.search(t))]
        else:
            won = [u for u, t in texts.items() if _WON.search(t) and not _NOT_BILLING.search(t)]
            flagged = [u for u, t in texts.items() if (u not in won) if won or not_billing(t)]
        said = (billed or {}).get(header)
        if said:
            flagged = [u for u in flagged if texts[u].strip() not in said]
        cancelled = [u for u in flagged if flag or _CANCELLED.search(texts[u])]
        # cancelled documents the file also cancels with documents of their own: the two net to
        # nothing as written (leaving out the originals only would take them off twice)
        # a voided document is gone without a document of its own: only a cancellation offsets it
        offsets = cancels + notes if not any(_VOID.search(texts[u]) for u in cancelled) else cancels
        if cancelled and offsets and _offset(rows & np.isin(codes, cancelled), micros, clients, offsets):
            flagged = [u for u in flagged if u not in cancelled]
        if flagged:
            mask, values = _value_rows(codes, uniques, flagged, rows, micros)
            if mask.any():
                out.append(StatusFinding(header, values, mask, "status"))
    return out


def positive_credits(
    columns: Mapping[str, tuple[np.ndarray, np.ndarray]],
    rows: np.ndarray,
    micros: np.ndarray,
    decided: set[str],
) -> list[StatusFinding]:
    """Type columns whose credit values (Credit Note, Refund, Return, ...) carry positive
    amounts only: the sign is in the type, not in the amount."""
    out = []
    for header, (codes, uniques) in columns.items():
        if header in decided or normalise_header(header) not in TYPE_NAMES:
            continue
        present = _present(codes, uniques, rows)
        system = _document_codes(present.values())
        if system is not None:  # a system's credit codes (Sage's SC; SAP's G2, RE, S1)
            credit = [u for u, t in present.items() if t.strip().upper() in system.credits]
        else:
            credit = [u for u, t in present.items() if _CREDIT.search(t) and not _NOT_A_CREDIT.search(t)]
        if not credit or len(credit) == len(present):
            continue
        mask, values = _value_rows(codes, uniques, credit, rows, micros)
        amounts = micros[mask]
        if mask.any() and (amounts >= 0).all() and (amounts > 0).any():
            out.append(StatusFinding(header, values, mask, "credit"))
    return out


def may_carry_currency(texts: pa.Array) -> bool:
    """Whether any of an amount column's distinct texts (an Arrow string array) holds a capital
    letter or a currency sign, so may carry a currency marker (:data:`_MARKER`): when none
    does, :func:`mixed_currencies` has no amount cell to read (and the column's per-row codes
    need not be built for it)."""
    if not len(texts):
        return False
    return bool(pc.any(pc.match_substring_regex(texts, _MAY_MARK)).as_py())


def mixed_currencies(
    columns: Mapping[str, tuple[np.ndarray, np.ndarray]],
    amount: tuple[str, np.ndarray, np.ndarray] | None,
    rows: np.ndarray,
    micros: np.ndarray,
    decided: set[str],
) -> StatusFinding | None:
    """Two or more currencies among ``rows``: in a currency column (``columns``), or written
    in the amount cells themselves (``amount``: header, codes, distinct texts; None when no
    amount text may carry a marker, :func:`may_carry_currency`)."""
    for header, (codes, uniques) in columns.items():
        if header in decided or normalise_header(header) not in CURRENCY_NAMES:
            continue
        present = _present(codes, uniques, rows)
        kinds = {_SAME.get(t.strip(), t.strip().upper()) for t in present.values()}
        blank = rows & (codes < 0)
        if present and blank.any():  # a blank cell beside written currencies: not said to be one of them
            _, written = _value_rows(codes, uniques, list(present), rows, micros)
            values = tuple(sorted([*written, (BLANK_CURRENCY, int(blank.sum()), int(micros[blank].sum()))],
                                  key=lambda v: -v[1]))
            most = values[0][0]
            mask = blank.copy() if most != BLANK_CURRENCY else np.zeros(len(codes), dtype=bool)
            others = [u for u, t in present.items() if t != most]
            if others:
                mask |= _value_rows(codes, uniques, others, rows, micros)[0]
            return StatusFinding(header, values, mask, "currency")
        if len(kinds) > 1:
            _, values = _value_rows(codes, uniques, list(present), rows, micros)
            # the rows named are those of the currencies to leave out: all but the most used
            kept = next(u for u, t in present.items() if t == values[0][0])
            mask, _ = _value_rows(codes, uniques, [u for u in present if u != kept], rows, micros)
            return StatusFinding(header, values, mask, "currency")
    if amount is None:
        return None
    header, codes, uniques = amount
    marker: dict[int, str] = {}
    for u, text in _marked_amounts(codes, uniques, rows).items():
        m = _MARKER.search(text)
        if m:
            code = m.group(1) or _SAME[m.group(2)]
            marker[u] = _SAME.get(code, code)
    if len(set(marker.values())) > 1:
        mask = np.zeros(len(codes), dtype=bool)
        by: dict[str, list[int]] = {}
        for u, code in marker.items():
            by.setdefault(code, []).append(u)
        per_currency: list[tuple[str, int, int]] = []
        of_code: dict[str, np.ndarray] = {}
        for code, us in by.items():
            of_code[code] = rows & np.isin(codes, us)
            per_currency.append((code, int(of_code[code].sum()), int(micros[of_code[code]].sum())))
        ordered = tuple(sorted(per_currency, key=lambda v: -v[1]))
        for code, _, _ in ordered[1:]:  # the rows named: those of the currencies other than the most used
            mask |= of_code[code]
        return StatusFinding(header, ordered, mask, "currency", in_amounts=True)
    return None
