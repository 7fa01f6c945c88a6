"""Rows that add other rows up are not invoices: totals, grand totals, subtotals, counts
and averages, found by their label, their place and above all their arithmetic.

A row is a *candidate* when its label reads as an aggregate (``Total``, ``Grand Total``,
``Total for Acme``, ``Acme Total`` from Excel's Data > Subtotal, ``Summe``, ``Sous-total``,
``Count``, ``Average``, ...) or when it has an amount but no date (or a period such as
``01/01/2024 - 12/31/2024`` in the date cell) and looks unlike the invoice lines around it
(no client, fewer cells filled). A candidate is an aggregate when its amount is the sum
(or the count, or the mean) of the rows it closes: the rows since the last total or blank
line, the run of the client it names, the section under that client's heading, every row
above, or every row of the file. A label alone decides only where the row has no date;
a row labelled like a total that has a date and no arithmetic behind it is either a real
client (``Total Wine & More``, a client called ``TOTAL`` with its own dated invoices) or,
when it is also missing what invoice lines have, a question for the consultant.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["AggregateRow", "Aggregates", "RowKeys", "find_aggregates", "label_key", "label_kind", "normalise_label"]

#: amounts match when they differ by at most half a cent (exports round totals to cents)
_TOLERANCE = 5_000

_TOTAL_WORDS = (
    r"grand\s+totals?|totals?|sub[\s-]?totals?|overall\s+totals?|report\s+totals?|total\s+general|"
    r"total\s+g[ée]n[ée]ral|totale(?:\s+generale)?|subtotale|sous[\s-]total|gesamt(?:summe|ergebnis|betrag)?|"
    r"summe|zwischensumme|ergebnis|endsumme|totaal|subtotaal|eindtotaal|suma(?:\s+total)?|summa|totalt|"
    r"i\s+alt|yhteens[äa]|razem|celkem|sum|合计|合計|总计|総計|小计|小計"
)
_STAT_WORDS = (r"count|record\s+count|number\s+of\s+records|total\s+records|records|rows|entries|lines|average|avg|"
               r"mean|anzahl|durchschnitt|moyenne|promedio|media")
_PURE = re.compile(rf"^(?:{_TOTAL_WORDS}|{_STAT_WORDS})$")
_PREFIX = re.compile(rf"^(?P<w>{_TOTAL_WORDS}|{_STAT_WORDS})(?:\s+(?:for|of|von|pour|de|del|van|voor|für))?\s*[:\-–]?\s+(?P<x>.+)$")
_SUFFIX = re.compile(rf"^(?P<x>.+?)\s*[:\-–]?\s+(?P<w>{_TOTAL_WORDS}|{_STAT_WORDS})$")
#: a fast pre-test: every aggregate label holds one of these
_STEMS = (r"total|sum|count|record|average|avg|mean|gesamt|ergebnis|totaal|suma|summa|totalt|i alt|yhteens|"
          r"razem|celkem|anzahl|durchschnitt|moyenne|promedio|media|合|总|総|小")
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    "september|october|november|december|januar|februar|märz|maerz|mai|juni|juli|oktober|dezember|janvier|"
    "février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|"
    "febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|"
    "aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus"
)
_PERIOD_X = re.compile(
    rf"^(?:(?:{_MONTHS})\.?(?:[\s\-/']*\d{{2,4}})?|q[1-4](?:\s*\d{{2,4}})?|h[12](?:\s*\d{{4}})?|fy\s*\d{{2,4}}|"
    rf"(?:19|20)\d{{2}}(?:[\-/]\d{{1,2}})?|\d{{1,2}}[/\-.]\d{{1,2}}[/\-.]\d{{2,4}}.*|week\s*\d+|"
    rf"all|all\s+(?:clients|customers|accounts|rows|invoices|records)|for\s+the\s+period.*|period|year|month|ytd|mtd)$"
)


class RowKeys(Sequence[str | None]):
    """Each row's client, normalised (:func:`normalise_label`; None when blank), worked out
    only for the rows asked about, once per distinct client: ``codes`` per row into
    ``texts`` (-1: blank)."""

    def __init__(self, codes: np.ndarray, texts: np.ndarray) -> None:
        self._codes = codes
        self._texts = texts
        self._keys: dict[int, str | None] = {}

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, i: int) -> str | None:  # type: ignore[override]  # rows only, never slices
        code = int(self._codes[i])
        if code < 0:
            return None
        if code not in self._keys:
            text = self._texts[code]
            self._keys[code] = label_key(text if isinstance(text, str) else None)
        return self._keys[code]


def normalise_label(text: str) -> str:
    """How labels and client names are compared: case, spacing and edge punctuation
    ignored ('Acme Corp.' ~ 'ACME  CORP')."""
    return " ".join(text.casefold().replace("\u00a0", " ").split()).strip(" :.-–*")


_norm = normalise_label


def label_key(text: str | None) -> str | None:
    """:func:`normalise_label` of a text, None when the text is blank or normalises to nothing."""
    return normalise_label(text) or None if text else None


def label_kind(label: str | None) -> tuple[str | None, str | None, bool]:
    """A row label -> (kind, subject, statistic): kind ``"pure"`` (``Total``, ``Total
    March``: nothing but an aggregate word, or one over a period) or ``"affix"`` (``Total
    for Acme``, ``Acme Total``: an aggregate of a named subject) or None; the subject (the
    named client, normalised); whether it is a count or an average rather than a sum."""
    if not label:
        return None, None, False
    s = _norm(label)
    if not s:
        return None, None, False
    if _PURE.match(s):
        return "pure", None, bool(re.match(_STAT_WORDS, s))
    subjects: list[tuple[str, str]] = []
    m = _PREFIX.match(s)
    if m:
        subjects.append((m.group("x"), m.group("w")))
    m = _SUFFIX.match(s)
    if m:
        subjects.append((m.group("x"), m.group("w")))
    for x, w in subjects:
        stat = bool(re.fullmatch(_STAT_WORDS, w))
        if _PERIOD_X.match(_norm(x)):
            return "pure", None, stat
    if subjects:
        x, w = subjects[-1] if len(subjects) > 1 and _SUFFIX.match(s) else subjects[0]
        return "affix", _norm(x), bool(re.fullmatch(_STAT_WORDS, w))
    return None, None, False


@dataclass(frozen=True)
class AggregateRow:
    """One row left out as an aggregate: where, its label, its stated amount (micros),
    and what it adds up (in words)."""

    row: int
    label: str
    amount: int
    adds_up: str
    #: what decided it: "run" (the named client's rows above), "section" (the rows under
    #: its heading), "block", "above", "file", "below" (arithmetic), "label" (no date)
    basis: str = "label"
    #: how many rows it adds up (0: decided by its label, not by arithmetic)
    n_rows: int = 0


@dataclass(frozen=True)
class Aggregates:
    """The aggregate rows (mask over the table's rows and their details), and the rows
    that look like totals but cannot be decided (a date, no arithmetic, missing what the
    invoice lines have): the consultant says which they are."""

    mask: np.ndarray
    rows: tuple[AggregateRow, ...]
    undecided: tuple[AggregateRow, ...] = ()


class _Detail:
    """Sums and counts of the detail rows (amounts read, aggregates taken out as found)."""

    def __init__(self, amounts: np.ndarray, ok: np.ndarray) -> None:
        a = np.where(ok, amounts, 0).astype(np.int64)
        self.csum = np.concatenate([[0], np.cumsum(a)])
        self.ccount = np.concatenate([[0], np.cumsum(ok.astype(np.int64))])
        self.agg_pos: list[int] = []
        self.agg_sum: list[int] = [0]
        self.amounts = amounts

    def take_out(self, i: int) -> None:
        self.agg_pos.append(i)
        self.agg_sum.append(self.agg_sum[-1] + int(self.amounts[i]))

    def _aggs(self, lo: int, hi: int) -> tuple[int, int]:
        a = bisect.bisect_left(self.agg_pos, lo)
        b = bisect.bisect_left(self.agg_pos, hi)
        return self.agg_sum[b] - self.agg_sum[a], b - a

    def block(self, lo: int, hi: int) -> tuple[int, int]:
        """(sum, count) of detail rows in [lo, hi)."""
        if hi <= lo:
            return 0, 0
        s, n = self._aggs(lo, hi)
        return int(self.csum[hi] - self.csum[lo]) - s, int(self.ccount[hi] - self.ccount[lo]) - n


def _matches(amount: int, total: int, count: int, stat: bool) -> str | None:
    if count < 1:
        return None
    if not stat:
        if abs(amount - total) <= _TOLERANCE:
            return "sum"
        return None
    if amount == count * 1_000_000:
        return "count"
    if abs(amount * count - total) <= _TOLERANCE * count:
        return "average"
    return None


def find_aggregates(
    *,
    amounts: np.ndarray,
    written: np.ndarray | None = None,
    amount_ok: np.ndarray,
    label_codes: np.ndarray,
    label_texts: np.ndarray,
    client_keys: Sequence[str | None],
    dated: bool,
    date_missing: np.ndarray,
    period: np.ndarray,
    sparse: np.ndarray,
    client_blank: np.ndarray,
    boundaries: np.ndarray,
    headings: Mapping[str, Sequence[int]],
    source_row: np.ndarray,
    not_totals: Sequence[str] = (),
) -> Aggregates:
    """Find the aggregate rows of a table (arrays are per row, in file order).

    ``label_codes``: each row's label (the client cell, else the row's first cell with a word)
    as a code into ``label_texts`` (-1: none); ``client_keys``:
    the row's client, normalised (None when blank), for runs; ``date_missing``: blank or not
    a date; ``period``: the date cell holds a period; ``sparse``: the row has fewer cells
    filled than the invoice lines; ``boundaries``: rows that start a new block (blank
    lines, section headings); ``headings``: a section heading's normalised label -> its rows.
    ``not_totals``: labels client.yml says are clients. ``written``: the amounts as the file
    writes them when they differ from ``amounts`` (credits written positive, subtracted by
    billing.credits): a total of every row above may add them up as written (Sage's day books).
    """
    n = len(amounts)
    keep = {_norm(t) for t in not_totals}
    mask = np.zeros(n, dtype=bool)
    found: list[AggregateRow] = []
    undecided: list[AggregateRow] = []
    codes = label_codes
    none: tuple[str | None, str | None, bool] = (None, None, False)
    kind_u: dict[int, tuple[str | None, str | None, bool]] = {}
    valid = codes[codes >= 0]
    present = np.flatnonzero(np.bincount(valid)) if len(valid) else valid
    if len(present):
        # only labels holding an aggregate word can be aggregates: a fast test first
        texts = pa.array([str(label_texts[u]) for u in present], type=pa.string())
        maybe = pc.fill_null(pc.match_substring_regex(texts, _STEMS, ignore_case=True), False)
        for u in present[maybe.to_numpy(zero_copy_only=False)].tolist():
            text = str(label_texts[u])
            kind_u[u] = label_kind(text) if _norm(text) not in keep else none
    label_rows = np.bincount(valid, minlength=len(label_texts) + 1) if len(valid) else np.zeros(len(label_texts) + 1, int)
    cue_u = np.zeros(len(label_texts) + 1, dtype=bool)
    for u, k in kind_u.items():
        cue_u[u] = k[0] is not None
    label_cue = cue_u[np.where(codes < 0, len(label_texts), codes)]

    def kind_of(i: int) -> tuple[str | None, str | None, bool]:
        return kind_u.get(int(codes[i]), none) if codes[i] >= 0 else none

    no_date = (date_missing | period) if dated else np.zeros(n, dtype=bool)
    # an undated row is left out either way (a total, or a date missing): only what it is called changes
    cue = amount_ok & (label_cue | no_date | ((not dated) & client_blank))
    cand = np.flatnonzero(cue)
    if not len(cand):
        return Aggregates(mask=mask, rows=())
    detail = _Detail(amounts, amount_ok)
    detail_written = _Detail(written, amount_ok) if written is not None else None
    bpos = np.flatnonzero(boundaries).tolist()
    keys = client_keys
    for i in cand.tolist():
        lab = label_texts[codes[i]] if codes[i] >= 0 else None
        kind, subject, stat = kind_of(i)
        a = int(amounts[i])
        b = bisect.bisect_right(bpos, i - 1)
        start = bpos[b - 1] + 1 if b else 0
        prev_agg = detail.agg_pos[-1] + 1 if detail.agg_pos else 0
        start = max(start, prev_agg)
        checks: list[tuple[str, str, int, int]] = []
        named: list[tuple[str, str, int, int]] = []
        # the run of the named client (or of the row's own client, for an unlabelled row)
        x = subject if kind == "affix" else (None if kind == "pure" else (keys[i] if keys[i] else None))
        if x is not None:
            j = i - 1
            while j >= 0 and (keys[j] == x or (keys[j] is None and not amount_ok[j])) and not mask[j]:
                j -= 1
            if j < i - 1:
                s, c = detail.block(j + 1, i)
                named.append(("run", "its client's rows above it", s, c))
            for h in reversed(headings.get(x, ())):
                if h < i:
                    s, c = detail.block(h + 1, i)
                    named.append(("section", "the rows under its client's heading", s, c))
                    break
            if no_date[i] and kind is None:  # a heading row that states its client's total
                j = i + 1
                while j < n and keys[j] == x:
                    j += 1
                if j > i + 1:
                    s, c = detail.block(i + 1, j)
                    named.append(("run", "its client's rows below it", s, c))
        s, c = detail.block(start, i)
        first_row = int(source_row[start]) if start < n else None
        last_row = int(source_row[i - 1]) if i else None
        span = (f"row {first_row}" if first_row is not None and first_row == last_row else
                f"rows {first_row if first_row is not None else '?'}-{last_row if last_row is not None else '?'}")
        checks.append(("block", span, s, c))
        s, c = detail.block(0, i)
        checks.append(("above", "every row above it", s, c))
        if detail_written is not None:
            s, c = detail_written.block(0, i)
            checks.append(("above", "every row above it, credits counted as the file writes them", s, c))
        s_all, c_all = detail.block(0, n)
        checks.append(("file", "every other row of the file", s_all - a, c_all - 1))
        if lab is not None and no_date[i]:  # a heading that states its rows' total
            nb = bisect.bisect_right(bpos, i)
            end = bpos[nb] if nb < len(bpos) else n
            s, c = detail.block(i + 1, end)
            checks.append(("below", "the rows below it", s, c))
        hit = next(((b_, w, m, c) for b_, w, s, c in named if (m := _matches(a, s, c, stat))), None)
        # a dated row named like a client's total ("Total Quality Logistics") must add up that
        # client's rows; only undated rows, bare totals and unlabelled rows may add up a block
        if hit is None and (kind == "pure" or kind is None or no_date[i]):
            hit = next(((b_, w, m, c) for b_, w, s, c in checks if (m := _matches(a, s, c, stat))), None)
        is_agg = False
        adds_up = ""
        basis = "label"
        n_rows = 0
        if hit is not None:
            basis, what, how, n_rows = hit
            adds_up = {"sum": "the sum of ", "count": "the count of ", "average": "the average of "}[how] + what
            is_agg = True
        elif kind == "pure":
            if no_date[i] or (not dated and (sparse[i] or client_blank[i])):
                is_agg, adds_up = True, "labelled as a total, with no date"
            elif sparse[i] or label_rows[codes[i]] < 2:
                # a dated "TOTAL" that adds nothing up: a client called TOTAL has its own
                # invoices (several, complete); a lone or bare one is the consultant's call
                undecided.append(AggregateRow(int(source_row[i]), str(lab), a, "labelled as a total, but dated"))
        elif kind == "affix" and no_date[i] and (sparse[i] or client_blank[i] or x in headings):
            is_agg, adds_up = True, "labelled as a total, with no date"
        if is_agg:
            mask[i] = True
            detail.take_out(i)
            if detail_written is not None:
                detail_written.take_out(i)
            found.append(AggregateRow(int(source_row[i]), str(lab) if lab is not None else "", a, adds_up, basis,
                                      int(n_rows)))
    return Aggregates(mask=mask, rows=tuple(found), undecided=tuple(undecided))
