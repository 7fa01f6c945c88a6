"""Which column of a ledger holds the date, the client, the amount, the seller and the
client id: client.yml's mapping first, then the headers and the content, with evidence.

Each field has names in tiers (a line's net amount before an invoice's gross total; an
invoice date before a due date). A header must also hold what the field needs (amounts
that read as numbers, dates that read as dates, client names that are not general-ledger
account codes like ``4000 Sales``). Where two columns stay equally good, evidence
decides: an invoice-level total repeated on every line of an invoice loses to the line
amount; a gross ``Total`` equal to ``Subtotal + Tax + Freight`` loses to the net
``Subtotal``. Where nothing decides, the choice is refused with what each candidate would
give, so the consultant picks with the figures in front of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..count_words import plural
from ..errors import ColumnError, Problem
from .aggregates import label_key, label_kind
from .amounts import parse_amounts
from .columns import normalise_header
from .dates import infer_date_order, is_period, parse_dates
from .ledger_headers import INVOICE_NAMES, LEDGER_TIERS, TAX_NAMES, _loose, _tier, all_ledger_names

__all__ = [
    "LEDGER_TIERS",
    "ColumnChoice",
    "Candidate",
    "ColumnProfile",
    "profile_column",
    "choose_columns",
    "all_ledger_names",
    "INVOICE_NAMES",
    "TAX_NAMES",
    "repeats_per_invoice",
]

_GROSS_WORDS = re.compile(r"gross|incl|inc\b|with tax|total ?due|brutto|ttc|grand", re.I)
_NET_WORDS = re.compile(r"\bnet|excl|ex\b|sub ?total|netto|\bht\b|line", re.I)
_GL_CODE = re.compile(r"^\s*\d{3,6}(?:[.\-]\d{1,4})?\s*(?:[·:\-–—|]\s*)?[A-Za-z]")
_GL_WORDS = re.compile(
    r"sales|revenue|income|service|product|discount|freight|shipping|tax|fees?\b|interest|other|"
    r"returns|allowance|cost|expense|receivable|payable|umsatz|erl[öo]se|ventes|ingresos|ricavi|omzet", re.I)
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_YYYYMMDD = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9\-_/.#]{1,19}$")
#: an order or invoice number as shops and ERPs write them in a 'Name' column
_DOC_NUMBER = re.compile(r"^#\s?\d{2,}$|^(?:inv|invoice|ord|order|so|si|po|qt|quote|cn|cm|bill)[-/ #.]?\d{3,}$", re.I)
#: the share of document numbers that makes a column no client column
_DOCUMENTS = 0.8
_SAMPLE = 5000
_SHARE = 0.8

@dataclass(frozen=True)
class ColumnProfile:
    """What a column holds, from a sample of its rows."""

    header: str
    n: int  # non-blank cells in the sample
    n_distinct: int
    #: distinct texts less the totals labels among them ('Total', 'Acme Corp Total' beside 'Acme Corp')
    n_names: int
    amount_share: float
    date_share: float
    text_share: float
    gl_share: float
    period_share: float
    #: numbers that could be spreadsheet date serials (1954-2119)
    serial_share: float = 0.0
    #: short codes without spaces or small letters (ABC001, C-1042): references, not names
    code_share: float = 0.0
    #: order or invoice numbers ('#1001', 'INV-0042', 'SO10233'): documents, not clients
    doc_share: float = 0.0


def _texts(cells: Iterable[object]) -> list[str | None]:
    out: list[str | None] = []
    for c in cells:
        if c is None or (isinstance(c, float) and np.isnan(c)):
            out.append(None)
        elif isinstance(c, str):
            out.append(c.strip() or None)
        else:
            out.append(str(c))
    return out


def _names_without_totals(texts: set[str]) -> int:
    """How many of the distinct texts are names, not the labels of totals rows: 'Total' or
    'Grand Total', and 'Acme Corp Total' where 'Acme Corp' is among them too (a client called
    'Total Wine & More' stays a name)."""
    keys = {label_key(t) for t in texts}
    totals = 0
    for t in texts:
        kind, subject, _ = label_kind(t)
        totals += kind == "pure" or (kind == "affix" and subject in keys)
    return len(texts) - totals


def profile_column(header: str, cells: Sequence[object]) -> ColumnProfile:
    """Profile a sample of a column's cells (text or spreadsheet values)."""
    arr = np.empty(len(cells), dtype=object)
    arr[:] = list(cells)
    texts = _texts(arr)
    filled = [t for t in texts if t is not None]
    n = len(filled)
    if not n:
        return ColumnProfile(header, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    serial = sum(1 for t in filled if re.fullmatch(r"\d{5}(?:\.\d+)?", t) and 20_000 <= float(t) < 80_000)
    a1 = parse_amounts(arr, ".")
    a2 = parse_amounts(arr, ",")
    amount_ok = (a1.ok | a2.ok) & ~a1.missing
    is_text_cell = np.array([isinstance(c, str) for c in arr], dtype=bool)
    d = parse_dates(arr, None, day_first=bool(infer_date_order(t for t in filled).day_first))
    # numbers are amounts, not serial dates, unless the cell is a date cell
    date_ok = d.ok & ~d.blank & (is_text_cell | np.array([hasattr(c, "year") for c in arr], dtype=bool))
    date_ok &= ~np.array([bool(t and _PLAIN_NUMBER.fullmatch(t) and not _YYYYMMDD.fullmatch(t)) for t in texts],
                         dtype=bool)
    words = np.array([t is not None and any(ch.isalpha() for ch in t) for t in texts], dtype=bool)
    gl_cells = [t for t in filled if _GL_CODE.match(t)]
    # a chart of accounts is short, and its names say what money it books; customer numbers
    # written before names ("10045 Acme Corp") are many and say nothing of the kind
    distinct_gl = set(gl_cells)
    booky = sum(1 for t in distinct_gl if _GL_WORDS.search(t))
    few = len(distinct_gl) <= 5 and n >= 20 * len(distinct_gl)
    gl = len(gl_cells) if distinct_gl and (booky > 0.5 * len(distinct_gl) or few) else 0
    period = sum(1 for t in filled if is_period(t))
    return ColumnProfile(
        header=header,
        n=n,
        n_distinct=len(set(filled)),
        n_names=_names_without_totals(set(filled)),
        amount_share=float((amount_ok & ~date_ok).sum()) / n,
        date_share=float(date_ok.sum()) / n,
        text_share=float((words & ~date_ok).sum()) / n,
        gl_share=gl / n,
        period_share=period / n,
        serial_share=serial / n,
        code_share=sum(1 for t in filled if _CODE.match(t)) / n,
        doc_share=sum(1 for t in filled if _DOC_NUMBER.match(t)) / n,
    )


@dataclass(frozen=True)
class Candidate:
    """A column that could hold a field, and why it was not taken."""

    header: str
    why: str


@dataclass(frozen=True)
class ColumnChoice:
    """The column chosen for a field (None: the file has none), how and why, and the
    columns that came close."""

    field: str
    header: str | None
    how: str  # "client.yml", "header name", "content", "evidence", "none"
    why: str
    runners_up: tuple[Candidate, ...] = ()


@dataclass
class _Context:
    headers: Sequence[str]
    sample: Mapping[str, Sequence[object]]
    profiles: dict[str, ColumnProfile] = field(default_factory=dict)

    def profile(self, header: str) -> ColumnProfile:
        if header not in self.profiles:
            self.profiles[header] = profile_column(header, self.sample.get(header, ()))
        return self.profiles[header]


def _fits(field: str, p: ColumnProfile) -> tuple[bool, str]:
    """Does the column's content suit the field? (yes/no, in words)"""
    if p.n == 0:
        return False, "it is empty"
    if field == "amount":
        if p.amount_share >= _SHARE:
            return True, f"{p.amount_share:.0%} of its cells are amounts"
        return False, f"only {p.amount_share:.0%} of its cells read as amounts"
    if field == "date":
        share = p.date_share + p.serial_share
        if share >= _SHARE:
            return True, f"{share:.0%} of its cells are dates"
        return False, f"only {share:.0%} of its cells read as dates"
    if field in ("client", "seller"):
        if p.gl_share > 0.5:
            return False, f"{p.gl_share:.0%} of its cells look like general-ledger accounts (e.g. '4000 Sales')"
        if p.date_share > 0.5:
            return False, "it holds dates"
        if field == "client" and p.text_share < 0.5 and p.amount_share > 0.9 and p.n_distinct <= 3:
            return False, "it holds numbers"
        names = "one name" if p.n_names == 1 else f"{p.n_names:,} different names"
        return True, f"{names} in the first {_SAMPLE:,} rows" if p.n >= _SAMPLE else names
    if field == "client_id":
        if p.gl_share > 0.5:
            return False, "it looks like general-ledger account codes"
        return True, "one id" if p.n_distinct == 1 else f"{p.n_distinct:,} different ids"
    return True, ""


def _hard_reject(field: str, p: ColumnProfile) -> bool:
    """The content is plainly of another kind (general-ledger accounts as clients, names
    as amounts): the name alone does not make it the field."""
    if field in ("client", "seller", "client_id"):
        return p.gl_share > 0.5 or p.date_share > 0.5
    return False  # a named amount or date column with bad values: its rows say what is wrong


def _mapped(field: str, wanted: str, headers: Sequence[str]) -> str | None:
    if wanted in headers:
        return wanted
    key = normalise_header(wanted)
    hits = [h for h in headers if normalise_header(h) == key]
    return hits[0] if len(hits) == 1 else None


def choose_columns(
    headers: Sequence[str],
    sample: Mapping[str, Sequence[object]],
    mapping: Mapping[str, str],
    *,
    path: object,
    evidence: Mapping[str, object] | None = None,
    totals_of: object = None,
) -> dict[str, ColumnChoice]:
    """field -> ColumnChoice for date, amount, client, seller, client_id.

    ``sample``: header -> the first cells of the column (every header). ``mapping``:
    client.yml's ``billing.columns``. ``totals_of(header)`` gives, for a refusal, what a
    candidate amount column would add up to (a short text). Raises ColumnError listing
    every problem (a mapped header that is absent, two columns equally plausible for a
    field, no amount column)."""
    from .columns import _closest

    ctx = _Context(headers, sample)
    problems: list[Problem] = []
    out: dict[str, ColumnChoice] = {}
    used: set[str] = set()
    shown = ", ".join(repr(h) for h in headers) or "none"
    for f, wanted in mapping.items():
        hit = _mapped(f, wanted, headers)
        if hit is None:
            near = _closest(headers, wanted)
            problems.append(
                Problem(
                    f"client.yml maps {f} to column {wanted!r}, which is not in the file (headers found: "
                    f"{shown})" + (f"; the closest header is {near!r}" if near else ""),
                    column=wanted,
                )
            )
            continue
        out[f] = ColumnChoice(f, hit, "client.yml", f"billing.columns.{f} in client.yml")
        used.add(hit)
    for f in ("amount", "date", "client", "seller", "client_id"):
        if f in mapping:
            continue
        choice, problem = _choose_field(f, ctx, used, totals_of)
        if problem is not None:
            problems.append(problem)
        if choice is not None:
            out[f] = choice
            if choice.header is not None:
                used.add(choice.header)
    if problems:
        raise ColumnError(path, problems)  # type: ignore[arg-type]
    return out


def _choose_field(
    f: str, ctx: _Context, used: set[str], totals_of: object
) -> tuple[ColumnChoice | None, Problem | None]:
    by_tier: dict[int, list[str]] = {}
    rejected: list[Candidate] = []
    documents: set[str] = set()  # columns of order numbers: never the client, even for want of another
    for h in ctx.headers:
        if h in used:
            continue
        t = _tier(f, h)
        if t is None:
            continue
        ok, why = _fits(f, ctx.profile(h))
        if ok and f == "client" and t > 0 and ctx.profile(h).doc_share > _DOCUMENTS:
            # a less likely name ('Name') holding order numbers ('#1001'): documents, not clients
            ok, why = False, f"{ctx.profile(h).doc_share:.0%} of its cells are order or invoice numbers (e.g. '#1001'), not names"
            documents.add(h)
        if ok:
            by_tier.setdefault(t, []).append(h)
        else:
            rejected.append(Candidate(h, why))
    if not by_tier:
        soft = [c for c in rejected if not _hard_reject(f, ctx.profile(c.header)) and c.header not in documents]
        if len(soft) == 1 or (soft and len({_tier(f, c.header) for c in soft}) > 1):
            best = min(soft, key=lambda c: _tier(f, c.header) or 0)
            h = best.header
            return ColumnChoice(f, h, "header name", f"recognised name (its values are checked row by row: {best.why})",
                                tuple(c for c in rejected if c.header != h)), None
        return _no_named_column(f, ctx, used, rejected)
    best_tier = min(by_tier)
    hits = by_tier[best_tier]
    if f == "date" and best_tier > 0:
        # a less likely name (a due, ship or payment date) beside a column of dates whose name is
        # not known ('Invoice/Bill Date'): which date bills the line is the consultant's to say
        unnamed = [h for h in ctx.headers if h not in used and _tier(f, h) is None
                   and ctx.profile(h).n > 0 and ctx.profile(h).date_share >= 0.9]
        if unnamed:
            return None, _ambiguous(f, [*unnamed, *hits], ctx, totals_of)
    lower = tuple(Candidate(h, f"a less likely name for the {f}") for t in sorted(by_tier) if t != best_tier for h in by_tier[t])
    if len(hits) == 1:
        h = hits[0]
        why = _why_named(f, h, ctx, lower, rejected)
        return ColumnChoice(f, h, "header name", why, lower + tuple(rejected)), None
    decided = _evidence(f, hits, ctx)
    if decided is not None:
        h, (reason, others_why) = decided
        others = tuple(Candidate(o, w) for o, w in others_why.items())
        return ColumnChoice(f, h, "evidence", reason, others + lower + tuple(rejected)), None
    return None, _ambiguous(f, hits, ctx, totals_of)


def _why_named(f: str, h: str, ctx: _Context, lower: Sequence[Candidate], rejected: Sequence[Candidate]) -> str:
    p = ctx.profile(h)
    _, fit = _fits(f, p)
    why = f"recognised name; {fit}"
    if f == "amount" and lower:
        gross = [c.header for c in lower]
        why += "; preferred to " + ", ".join(repr(g) for g in gross) + " (the net amount before totals)"
        taxes = [t for t in ctx.headers if _is_named(t, TAX_NAMES)]
        if taxes:
            share = max(_adds_up(ctx, h, taxes, g) for g in gross)
            if share >= 0.9:
                why += (f": net of {' and '.join(repr(t) for t in taxes)}, since "
                        f"{gross[0]!r} = {h!r} + {' + '.join(repr(t) for t in taxes)} on {share:.0%} of the first rows")
    if rejected:
        why += "; not " + "; not ".join(f"{c.header!r}: {c.why}" for c in rejected)
    return why


def _no_named_column(
    f: str, ctx: _Context, used: set[str], rejected: list[Candidate]
) -> tuple[ColumnChoice | None, Problem | None]:
    """No recognised header: a date column found by its content; none for the others
    (the layout step may still find the client in section headings)."""
    if f == "date":
        dated = [h for h in ctx.headers if h not in used and ctx.profile(h).date_share >= 0.9 and ctx.profile(h).n > 0]
        if len(dated) == 1:
            h = dated[0]
            return ColumnChoice(f, h, "content", f"the only column whose cells are dates ({ctx.profile(h).date_share:.0%})",
                                tuple(rejected)), None
        if len(dated) > 1:
            both = ", ".join(repr(h) for h in dated)
            return None, Problem(
                f"several columns hold dates ({both}) and none has a recognised name: say which is the "
                f"invoice date in client.yml, e.g. billing.columns.date: {dated[0]!r}"
            )
    if f == "client" and ctx.headers:
        first = ctx.headers[0]
        p = ctx.profile(first)
        if (first not in used and first.startswith("Column ") and p.n_distinct > 1 and p.text_share >= 0.8
                and p.code_share < 0.5 and p.gl_share <= 0.5):
            return ColumnChoice(f, first, "content", "the file's first column has no name and holds names "
                                f"({p.n_distinct:,} different ones in the first rows)", tuple(rejected)), None
    return ColumnChoice(f, None, "none", "; ".join(f"{c.header!r}: {c.why}" for c in rejected) or "no column has a recognised name",
                        tuple(rejected)), None


def _evidence(f: str, hits: list[str], ctx: _Context) -> tuple[str, tuple[str, dict[str, str]]] | None:
    """Decide between equally named candidates from what they hold."""
    if f == "amount":
        return _amount_evidence(hits, ctx)
    if f == "date":
        order = {n: i for i, n in enumerate(normalise_header(n) for n in LEDGER_TIERS["date"][0])}

        def rank(h: str) -> int:
            return order.get(normalise_header(h), order.get(_loose(h), len(order)))

        ranked = sorted(hits, key=rank)
        if rank(ranked[0]) == rank(ranked[1]):
            return None
        return ranked[0], (
            f"recognised name, preferred to {', '.join(repr(h) for h in ranked[1:])} "
            "(the invoice date first, then transaction, posting, document, order and close dates)",
            {h: "a later choice among date columns" for h in ranked[1:]},
        )
    if f in ("client", "seller", "client_id"):
        filled = [h for h in hits if ctx.profile(h).n > 0]
        if len(filled) == 1:
            return filled[0], (f"the only recognised {f} column with values", {h: "empty" for h in hits if h != filled[0]})
        same = _identical(hits, ctx)
        if same:
            return hits[0], (f"recognised name; {', '.join(repr(h) for h in hits[1:])} holds the same values", {h: "same values" for h in hits[1:]})
        if f == "client":
            # a column with a handful of values beside one with many: the handful is an entity,
            # a region or a channel, not the clients
            sizes = {h: ctx.profile(h).n_distinct for h in hits}
            richest = max(sizes, key=lambda h: sizes[h])
            if all(v <= 3 and sizes[richest] >= 5 * v for h, v in sizes.items() if h != richest):
                return richest, (f"recognised name; {sizes[richest]:,} different names, where "
                                 + ", ".join(f"{h!r} has {v}" for h, v in sizes.items() if h != richest)
                                 + " (too few to be the clients)",
                                 {h: f"only {v} different values" for h, v in sizes.items() if h != richest})
            # a reference column (ABC001) beside a name column: the name is the client
            words = [h for h in hits if ctx.profile(h).text_share >= 0.5 and ctx.profile(h).code_share < 0.5]
            if len(words) == 1:
                return words[0], ("the recognised client column that holds names",
                                  {h: "holds codes or numbers (account references), not names" for h in hits if h != words[0]})
    return None


def _identical(hits: Sequence[str], ctx: _Context) -> bool:
    base = _texts(ctx.sample.get(hits[0], ()))
    return all(_texts(ctx.sample.get(h, ())) == base for h in hits[1:])


def _amount_evidence(hits: list[str], ctx: _Context) -> tuple[str, tuple[str, dict[str, str]]] | None:
    if _identical(hits, ctx):
        return hits[0], (f"recognised name; {', '.join(repr(h) for h in hits[1:])} holds the same amounts",
                         {h: "same amounts" for h in hits[1:]})
    # a line amount beside an invoice total repeated on each line of the invoice
    invoice = next((h for h in ctx.headers if _is_named(h, INVOICE_NAMES)), None)
    if invoice is not None:
        constant = [h for h in hits if repeats_per_invoice(ctx.sample[invoice], ctx.sample[h])]
        varying = [h for h in hits if h not in constant]
        if constant and len(varying) == 1:
            line = varying[0]
            return line, (
                f"the line amount: {', '.join(repr(h) for h in constant)} repeats the invoice's total on every "
                f"line of an invoice ({invoice!r}), so summing it would count invoices once per line",
                {h: "an invoice total repeated on every line" for h in constant},
            )
    # net vs gross by the words of the header
    net = [h for h in hits if _NET_WORDS.search(h) and not _GROSS_WORDS.search(h)]
    gross = [h for h in hits if _GROSS_WORDS.search(h)]
    if len(net) == 1 and gross and len(net) + len(gross) == len(hits):
        return net[0], (f"the net amount (before tax), preferred to {', '.join(repr(h) for h in gross)}",
                        {h: "gross (with tax)" for h in gross})
    return None


def _adds_up(ctx: _Context, net: str, parts: Sequence[str], gross: str) -> float:
    """Share of sample rows where ``gross`` = ``net`` + the ``parts`` (to the cent)."""
    g, g_ok = _sample_amounts(ctx, gross)
    total, ok = _sample_amounts(ctx, net)
    for p in parts:
        v, v_ok = _sample_amounts(ctx, p)
        total = total + v
        ok &= v_ok | (ctx.profile(p).n == 0)
    both = ok & g_ok
    if not both.any():
        return 0.0
    return float((np.abs(g[both] - total[both]) <= 10_000).sum()) / float(both.sum())


def _is_named(header: str, names: Sequence[str]) -> bool:
    key = normalise_header(header)
    return key in {normalise_header(n) for n in names} or _loose(header) in {normalise_header(n) for n in names}


def repeats_per_invoice(invoices: Sequence[object], amounts: Sequence[object]) -> bool:
    """True when, in most invoices with several lines, the column holds the same value on
    every line (an invoice-level figure)."""
    groups: dict[str, set[str]] = {}
    sizes: dict[str, int] = {}
    for inv, amt in zip(_texts(invoices), _texts(amounts), strict=False):
        if inv is None or amt is None:
            continue
        groups.setdefault(inv, set()).add(amt)
        sizes[inv] = sizes.get(inv, 0) + 1
    multi = [k for k, n in sizes.items() if n > 1]
    if len(multi) < 3:
        return False
    same = sum(1 for k in multi if len(groups[k]) == 1)
    return same >= 0.9 * len(multi)


def _ambiguous(f: str, hits: list[str], ctx: _Context, totals_of: object) -> Problem:
    parts = []
    said = _amount_relations(hits, ctx) if f == "amount" else {}
    for h in hits:
        p = ctx.profile(h)
        what = totals_of(h) if (f == "amount" and callable(totals_of)) else f"{p.n_distinct:,} different values in the first rows"
        parts.append(f"{h!r} ({what}{'; ' + said[h] if h in said else ''})")
    net = next((h for h in hits if said.get(h, "").startswith("net")), hits[0])
    return Problem(
        f"the {f} could be in column " + " or ".join(parts)
        + f": say which one in client.yml under billing.columns (for example  {f}: {net!r})"
    )


def _sample_amounts(ctx: _Context, h: str) -> tuple[np.ndarray, np.ndarray]:
    """A column's first cells as micros (read with either decimal mark; 0 where unread), and
    which were read."""
    cells = np.empty(len(ctx.sample.get(h, ())), dtype=object)
    cells[:] = list(ctx.sample.get(h, ()))
    a, b = parse_amounts(cells, "."), parse_amounts(cells, ",")
    return np.where(a.ok, a.micros, np.where(b.ok, b.micros, 0)), (a.ok | b.ok)


def _amount_relations(hits: Sequence[str], ctx: _Context) -> dict[str, str]:
    """What tells equally named amount columns apart, in words, from the first rows: a column
    that is another plus a tax rate on most rows (it includes tax), the other then the net one;
    a column that is 0 where the others are not (payments or receipts in a customer ledger)."""
    values = {h: _sample_amounts(ctx, h) for h in hits}
    said: dict[str, str] = {}
    for gross in hits:
        for net in hits:
            if gross == net or gross in said:
                continue
            g, g_ok = values[gross]
            n, n_ok = values[net]
            both = g_ok & n_ok & (n != 0) & (g != 0)
            if both.sum() < 3:
                continue
            ratio = np.round(g[both] / n[both], 3)
            taxed = (ratio >= 1.04) & (ratio <= 1.30)
            if taxed.mean() >= 0.8:
                rates, counts = np.unique(ratio[taxed], return_counts=True)
                rate = float(rates[int(np.argmax(counts))]) - 1
                said[gross] = f"{net!r} plus about {rate:.0%} on most rows: it includes tax (or another rate)"
                said.setdefault(net, "net of that tax")
    for h in hits:
        if h in said:
            continue
        v, ok = values[h]
        others = [values[o] for o in hits if o != h]
        busy = np.zeros(len(v), dtype=bool)
        for o, o_ok in others:
            busy |= o_ok & (o != 0)
        zero = ok & (v == 0) & busy
        if zero.sum() >= 1 and zero.sum() >= 0.1 * max(int(busy.sum()), 1):
            said[h] = f"0 on {plural(int(zero.sum()), 'row')} where the others are not (payments or receipts?)"
    return said
