"""Per-seller workbooks: the seller's focus sheet, the official list, the flagged accounts,
targets, extras, leads and the revenue projection form.

One XLSX per seller (xlsxwriter), sheets (:data:`SHEETS`):

* **Act first** — the one-page focus sheet (:mod:`.seller_focus`): the seller's largest KEY
  accounts (at-risk ones marked), KEY accounts at risk, SECONDARY accounts with growth
  potential, best-fit targets and extras, lapsed clients to win back and the seller's
  concentration; each block shows its top rows and says how many more there are and on
  which sheet;
* **Official list** — the seller's KEY then SECONDARY accounts: rank in the whole client
  base, client, tier, 12-month billing, share of the seller's billing, flag;
* **Flagged** — every flagged account of the seller with the figures behind the flag;
* **Targets**, **Extras**, **Leads** — the seller's prospects with the three filter scores,
  the fit score, notes and any issue found in them;
* **Projection** — the revenue projection form (ALMS step 12), see :func:`_projection_sheet`:
  the 12 months from the start month (the audit date's month-long periods, calendar months
  when ``as_of`` is the 1st), quarter subtotals, last year's same month in grey for each
  KEY account, growth against last year, a probability and a weighted total for each
  TARGET, and the seller's goal (last year's KEY billing plus a growth goal the seller
  types) with the gap to it. Every total is a spreadsheet formula; input cells are yellow,
  unlocked and validated; the sheet is protected without a password.

Every sheet has a title block (client, seller, as_of, KEY cut-off), a frozen header row,
money in the client's currency, columns sized to their content, and a print setup (paper
size from client.yml's branding, header and footer with the client, the seller and "Page n
of N"). Text goes through :func:`~.safe_cells.safe_text` and ``write_string`` only, so a
client called ``=HYPERLINK(...)`` stays text; amounts are numbers (float of the exact micros
at write time; totals are spreadsheet formulas, their cached values computed from the
integer micros).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...analysis.periods import span_label
from ...atomic import atomic_path
from ...cell_values import is_missing
from ...count_words import agree
from ...date_text import day_text
from ...money import format_money, to_decimal
from ...slugs import unique_stems
from .safe_cells import WORKBOOK_OPTIONS, safe_text
from .seller_focus import seller_focus

if TYPE_CHECKING:
    from ...analysis.monthly import MonthlyBilling
    from ...analysis.official_list import OfficialList
    from ...analysis.periods import Period
    from .seller_focus import FocusCell, SellerFocus

__all__ = [
    "ProjectionRow",
    "ProjectionForm",
    "projection_form",
    "seller_file_stems",
    "money_number_format",
    "write_seller_workbook",
    "write_seller_workbooks",
    "SHEETS",
    "PROJECTION_LABEL",
    "BASELINE_LABEL",
    "FLAG_TEXT",
    "GROWTH_GOAL",
    "SPARE_TARGET_ROWS",
    "SetAside",
    "goal_of",
    "month_col",
    "KEY_PROJECTION",
    "KEY_LAST_YEAR",
    "KEY_GROWTH",
    "TARGET_PROJECTION",
    "TARGET_WEIGHTED",
    "YOUR_PROJECTION",
    "YOUR_GOAL",
    "GAP_TO_GOAL",
    "GROWTH_GOAL_LABEL",
    "quarter_col",
]

#: sheet names, in order
SHEETS: tuple[str, ...] = ("Act first", "Official list", "Flagged", "Targets", "Extras", "Leads", "Projection")
#: the *Row* column's value on rows a seller types into / on last year's rows
PROJECTION_LABEL = "Projection"
BASELINE_LABEL = "Last year"
#: blank TARGET rows at the end of the form, for targets chosen after the list was printed
SPARE_TARGET_ROWS = 2
#: the growth goal on last year the form starts with (the seller types their own)
GROWTH_GOAL = 0.10

_PROSPECT_SHEETS = (("Targets", "TARGET"), ("Extras", "EXTRA"), ("Leads", "LEAD"))
_PROSPECT_HEADERS = (
    "Prospect",
    "Spending potential",
    "Decision maker access",
    "Product fit",
    "Fit score",
    "Notes",
    "Issues",
)
_GREY = "#808080"
_INPUT_FILL = "#FFF2CC"
_BASELINE_FILL = "#EDEDED"
_RED = "#A33333"


# ---------------------------------------------------------------------------- the form's data


@dataclass(frozen=True)
class ProjectionRow:
    """One account on the projection form."""

    client: str
    tier: str  # "KEY" or "TARGET"
    billing: int | None  # last-12-month billing in micros; None for a target
    baseline: tuple[int, ...] | None  # last year's billing per form month (KEY only)


@dataclass(frozen=True)
class SetAside:
    """A TARGET of the seller's prospects kept off the form: it is already a client."""

    prospect: str
    client: str
    tier: str
    owner: str

    def sentence(self, seller: str) -> str:
        """Why the row is not on the form, and where the client is, in one sentence."""
        named = "" if self.client.casefold() == self.prospect.casefold() else f" {self.client}"
        tier = self.tier or "spending"
        if self.owner == seller:
            where = ("it is on this form as one of your KEY accounts" if self.tier == "KEY"
                     else "it is on your official list, not on this form")
            return f"{self.prospect} is not a target: it is already your {tier} client{named}; {where}."
        whose = f"{self.owner}'s" if self.owner else "a"
        return (f"{self.prospect} is not a target: it is already {whose} {tier} client{named}; "
                f"agree with {self.owner or 'the sales manager'} who sells to it.")


@dataclass(frozen=True)
class ProjectionForm:
    """A seller's revenue projection form: the 12 months from ``as_of`` (month-long
    periods counted from the audit date, :mod:`alms_toolkit.analysis.periods`), KEY then
    TARGET rows. Each KEY row's baseline is its billing in the same period a year
    earlier, so its 12 baselines sum to its 12-month billing exactly. ``set_aside``: the
    seller's TARGETs that are already clients (never on the form as targets)."""

    seller: str
    months: tuple[Period, ...]
    rows: tuple[ProjectionRow, ...]
    set_aside: tuple[SetAside, ...] = ()
    #: False for a ledger without dates (one total per client): last year's months are unknown
    dated: bool = True

    @property
    def has_baseline(self) -> bool:
        """Whether a row shows last year's months: a KEY row of a dated ledger."""
        return any(r.baseline is not None for r in self.rows)

    @property
    def key_rows(self) -> tuple[ProjectionRow, ...]:
        return tuple(r for r in self.rows if r.tier == "KEY")

    @property
    def target_rows(self) -> tuple[ProjectionRow, ...]:
        return tuple(r for r in self.rows if r.tier == "TARGET")

    @property
    def start(self) -> str:
        """The projection year's first month, as a reader says it (``July 2025``, or
        ``15 Mar - 14 Apr 2025`` when the audit date is not the 1st)."""
        return self.months[0].label

    @property
    def quarters(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """``(label, month indexes)`` of the projection year's four quarters: Q1 is the
        first three months from the start month (not a calendar quarter)."""
        return tuple((f"Q{q + 1}", tuple(range(3 * q, 3 * q + 3))) for q in range(len(self.months) // 3))

    def quarter_label(self, q: int) -> str:
        """``Q1 (Jul - Sep 2025)``: the quarter and its months."""
        first, last = self.months[3 * q], self.months[3 * q + 2]
        return f"Q{q + 1} ({span_label(first.start, last.last)})"

    @property
    def baseline_by_month(self) -> tuple[int, ...]:
        """Last year's billing of the KEY accounts, per form month (exact micros)."""
        totals = [0] * len(self.months)
        for row in self.rows:
            for i, value in enumerate(row.baseline or ()):
                totals[i] += int(value)
        return tuple(totals)

    @property
    def baseline_total(self) -> int:
        return sum(self.baseline_by_month)

    @property
    def key_billing(self) -> int:
        """Last-12-month billing of the form's KEY accounts (exact micros)."""
        return sum(int(r.billing) for r in self.rows if r.billing is not None)


def goal_of(micros: int, growth: float = GROWTH_GOAL) -> int:
    """``micros`` grown by ``growth`` (0.10 = 10%), rounded half-even to whole micros."""
    from decimal import ROUND_HALF_EVEN, Decimal

    return int((Decimal(int(micros)) * (1 + Decimal(str(growth)))).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def projection_form(
    *,
    seller: str,
    seller_accounts: pd.DataFrame,
    prospects: pd.DataFrame | None,
    monthly: MonthlyBilling,
    already_clients: pd.DataFrame | None = None,
) -> ProjectionForm:
    """Build the projection form's rows for one seller (inputs are not modified).

    ``seller_accounts``: ``seller``, ``client_key``, ``client``, ``tier``, ``billing``
    (ordered KEY first, by billing); ``prospects``: ``seller``, ``prospect``, ``category``;
    ``monthly``: the audit's billing per period; ``already_clients``: the prospects that
    are spending clients already (:func:`~alms_toolkit.analysis.official_list.prospects_already_clients`,
    indexed like ``prospects``): such a TARGET is the client, so it is set aside, never a
    target row. The form's months are the 12 periods from the audit date; the baseline of
    each is the KEY account's billing in the period 12 months earlier (the window's
    periods, which hold exactly its 12-month billing).
    """
    mine = seller_accounts[(seller_accounts["seller"] == seller) & (seller_accounts["tier"] == "KEY")]
    mine = mine.sort_values("billing", ascending=False, kind="stable")
    baselines = monthly.matrix(pd.Index(mine["client_key"]), 0, 11)
    dated = monthly.periods.history_start is not None  # a totals ledger has no months
    rows = [
        ProjectionRow(
            client=str(rec.client),
            tier="KEY",
            billing=int(rec.billing),
            baseline=tuple(int(v) for v in baselines[i]) if dated else None,
        )
        for i, rec in enumerate(mine.itertuples(index=False))
    ]
    set_aside: list[SetAside] = []
    if prospects is not None and len(prospects):
        targets = prospects[(prospects["seller"] == seller) & (prospects["category"] == "TARGET")]
        clients = already_clients if already_clients is not None else pd.DataFrame()
        for index, name in targets["prospect"].items():
            if index in clients.index:
                c = clients.loc[index]
                set_aside.append(SetAside(prospect=str(name), client=str(c["client"]), tier=str(c["tier"]),
                                          owner=str(c["owner"])))
            else:
                rows.append(ProjectionRow(client=str(name), tier="TARGET", billing=None, baseline=None))
    return ProjectionForm(seller=seller, months=monthly.periods.next_year, rows=tuple(rows),
                          set_aside=tuple(set_aside), dated=dated)


# ---------------------------------------------------------------------------- formats


def money_number_format(currency: str, *, cents: bool = True) -> str:
    """Excel number format for amounts in ``currency`` (e.g. ``"$"#,##0.00;-"$"#,##0.00``;
    whole units without ``cents``: ``"$"#,##0;-"$"#,##0``)."""
    body = "#,##0.00" if cents else "#,##0"
    symbol = currency.replace('"', "").strip()
    if not symbol:
        return f"{body};-{body}"
    return f'"{symbol}"{body};-"{symbol}"{body}'


def _cell_float(micros: int) -> float:
    """A cell's number: the float nearest the exact amount (never summed in Python)."""
    return float(to_decimal(int(micros)))



class _Sheet:
    """A worksheet that writes cells by type and remembers each column's widest content."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.widths: dict[int, int] = {}
        #: the widths set by :meth:`set_widths` (what prints)
        self.widths_set: dict[int, float] = {}

    def _fit(self, col: int, text: str) -> None:
        longest = max((len(line) for line in text.split("\n")), default=0)
        self.widths[col] = max(self.widths.get(col, 0), longest)

    def text(self, row: int, col: int, value: Any, fmt: Any = None, *, fit: bool = True) -> None:
        if is_missing(value) or str(value) == "":
            self.ws.write_blank(row, col, None, fmt)
            return
        text = safe_text(value)
        self.ws.write_string(row, col, text, fmt)
        if fit:
            self._fit(col, text)

    def number(self, row: int, col: int, value: Any, fmt: Any = None, *, shown: str = "") -> None:
        if is_missing(value):
            self.ws.write_blank(row, col, None, fmt)
            return
        number = float(value)
        if not math.isfinite(number):
            self.ws.write_blank(row, col, None, fmt)
            return
        self.ws.write_number(row, col, number, fmt)
        self._fit(col, shown or f"{number:,.2f}")

    def money(self, row: int, col: int, micros: Any, fmt: Any, currency: str) -> None:
        if is_missing(micros):
            self.ws.write_blank(row, col, None, fmt)
            return
        self.number(row, col, _cell_float(micros), fmt, shown=format_money(int(micros), currency))

    def formula(self, row: int, col: int, formula: str, fmt: Any, cached: float | str, shown: str) -> None:
        self.ws.write_formula(row, col, formula, fmt, cached)
        self._fit(col, shown)

    def set_widths(self, minimum: float = 8, maximum: float = 60, fixed: Mapping[int, float] | None = None) -> None:
        fixed = fixed or {}
        for col in sorted(set(self.widths) | set(fixed)):
            width = fixed.get(col, min(max(self.widths.get(col, 0) + 2, minimum), maximum))
            self.ws.set_column(col, col, width)
            self.widths_set[col] = width


@dataclass(frozen=True)
class _Formats:
    title: Any
    subtitle: Any
    header: Any
    text: Any
    money: Any
    share: Any
    score: Any
    input_money: Any
    input_text: Any
    baseline_text: Any
    baseline_money: Any
    total_text: Any
    total_money: Any
    block: Any
    flag: Any
    link: Any
    date: Any
    whole: Any
    input_whole: Any
    baseline_whole: Any
    total_whole: Any
    goal_whole: Any
    goal_text: Any
    growth: Any
    total_growth: Any
    input_share: Any
    note: Any
    wrap: Any
    name: Any
    whole_or_blank: Any
    baseline_label: Any
    score2: Any
    indented: Any


def _formats(wb: Any, currency: str, accent: str) -> _Formats:
    money = money_number_format(currency)
    whole = money_number_format(currency, cents=False)
    growth = "+0.0%;-0.0%;0.0%"
    inp = {"bg_color": _INPUT_FILL, "border": 1, "border_color": "#BFBFBF", "locked": False}
    base = {"font_color": _GREY, "bg_color": _BASELINE_FILL}
    total = {"bold": True, "top": 1}
    goal = {"bold": True, "font_color": accent, "top": 1, "bottom": 1}
    return _Formats(
        title=wb.add_format({"bold": True, "font_size": 14, "font_color": accent}),
        subtitle=wb.add_format({"font_color": _GREY}),
        header=wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": accent,
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        text=wb.add_format({"valign": "top"}),
        money=wb.add_format({"num_format": money}),
        share=wb.add_format({"num_format": "0.0%"}),
        score=wb.add_format({"num_format": "0.0#"}),
        input_money=wb.add_format({"num_format": money, **inp}),
        input_text=wb.add_format(inp),
        baseline_text=wb.add_format({**base, "italic": True}),
        baseline_money=wb.add_format({"num_format": money, **base}),
        total_text=wb.add_format(total),
        total_money=wb.add_format({**total, "num_format": money}),
        block=wb.add_format({"bold": True, "font_size": 12, "font_color": accent}),
        flag=wb.add_format({"bold": True, "font_color": _RED}),
        link=wb.add_format({"font_color": accent, "underline": 1}),
        date=wb.add_format({"num_format": "yyyy-mm-dd", "align": "left"}),
        whole=wb.add_format({"num_format": whole}),
        input_whole=wb.add_format({"num_format": whole, **inp}),
        baseline_whole=wb.add_format({"num_format": whole, **base}),
        total_whole=wb.add_format({**total, "num_format": whole}),
        goal_whole=wb.add_format({**goal, "num_format": whole}),
        goal_text=wb.add_format(goal),
        growth=wb.add_format({"num_format": growth}),
        total_growth=wb.add_format({**total, "num_format": growth}),
        input_share=wb.add_format({"num_format": "0%", **inp}),
        note=wb.add_format({"font_color": _GREY, "italic": True}),
        wrap=wb.add_format({"valign": "top", "text_wrap": True}),
        name=wb.add_format({"shrink": True}),
        whole_or_blank=wb.add_format({"num_format": whole + ";"}),  # a zero shows nothing until typed
        score2=wb.add_format({"num_format": "0.00"}),
        indented=wb.add_format({"indent": 1}),
        baseline_label=wb.add_format({**base, "italic": True, "align": "right", "font_size": 9}),
    )


def _title_block(sheet: _Sheet, f: _Formats, title: str, subtitle: str, note: str | None = None) -> None:
    sheet.text(0, 0, title, f.title, fit=False)
    sheet.text(1, 0, subtitle, f.subtitle, fit=False)
    if note:
        sheet.text(2, 0, note, f.subtitle, fit=False)


def _headers(sheet: _Sheet, row: int, headers: Sequence[str], fmt: Any) -> None:
    for col, name in enumerate(headers):
        sheet.text(row, col, name, fmt, fit=False)
        # headers wrap: fit the longest word, and at most two lines
        sheet._fit(col, max([*name.split(), " " * math.ceil(len(name) / 2)], key=len))
    sheet.ws.set_row(row, 30)


# ---------------------------------------------------------------------------- sheets


@dataclass(frozen=True)
class _Page:
    """What every printed page of a seller's workbook says (header, footer, paper)."""

    client: str
    seller: str
    as_of: str
    paper: int  # xlsxwriter's paper index: 9 A4, 1 Letter


def _page_of(official: OfficialList, seller: str) -> _Page:
    letter = str(official.branding.page_size).strip().lower() == "letter"
    return _Page(client=official.client, seller=seller, as_of=day_text(official.as_of), paper=1 if letter else 9)


def _header_text(text: str, limit: int = 50) -> str:
    """Text for an Excel header or footer: ``&`` doubled (a single one starts a code), cut
    to ``limit`` characters (a header holds at most 255)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("&", "&&")


def _print_setup(ws: Any, page: _Page, header_row: int | None, *, landscape: bool, title: str,
                 fit: bool = True) -> None:
    """Paper size, orientation, margins, the header (client, sheet and seller, page n of N)
    and footer (list date), the header row repeated on every page, one page wide."""
    ws.set_paper(page.paper)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=_MARGIN, right=_MARGIN, top=0.75, bottom=0.6)
    ws.set_header(
        f"&L&8{_header_text(page.client)}&C&8&\"-,Bold\"{_header_text(title, 30)} - {_header_text(page.seller)}"
        "&R&8Page &P of &N",
        {"margin": 0.3},
    )
    ws.set_footer(f"&L&8List as of {page.as_of}&R&8ALMS account list", {"margin": 0.3})
    if header_row is not None:
        ws.repeat_rows(header_row)
    if fit:
        ws.fit_to_pages(1, 0)


def _official_list(
    wb: Any, f: _Formats, *, seller: str, accounts: pd.DataFrame, flags: pd.DataFrame, subtitle: str,
    currency: str, page: _Page,
) -> None:
    sheet = _Sheet(wb.add_worksheet("Official list"))
    key = accounts[accounts["tier"] == "KEY"]
    sec = accounts[accounts["tier"] == "SECONDARY"]
    note = (
        f"KEY: {len(key)} {agree(len(key), 'account', 'accounts')}, {format_money(_sum(key['billing']), currency)} · "
        f"SECONDARY: {len(sec)} {agree(len(sec), 'account', 'accounts')}, "
        f"{format_money(_sum(sec['billing']), currency)} · "
        "Flag: see the Flagged sheet for the figures behind it"
    )
    _title_block(sheet, f, f"Official account list — {seller}", subtitle, note)
    hdr = 4
    headers = ("Rank", "Client", "Tier", "12-month billing", "Share of your billing", "Flag")
    _headers(sheet, hdr, headers, f.header)
    flag_of = dict(zip(flags["client_key"], flags["flag"], strict=True))
    ordered = pd.concat([key, sec])
    row = hdr
    for rec in ordered.itertuples(index=False):
        row += 1
        sheet.number(row, 0, rec.rank, None, shown=str(rec.rank))
        sheet.text(row, 1, rec.client)
        sheet.text(row, 2, rec.tier)
        sheet.money(row, 3, rec.billing, f.money, currency)
        sheet.number(row, 4, rec.share_of_seller, f.share, shown="100.0%")
        sheet.text(row, 5, flag_of.get(rec.client_key, ""), f.flag)
    _finish_list(sheet, hdr, row, len(headers), empty=(1, "No KEY or SECONDARY accounts for this seller."),
                 widths={0: 7}, landscape=False, page=page, title="Official list")


def _finish_list(sheet: _Sheet, hdr: int, row: int, n_columns: int, *, empty: tuple[int, str],
                 widths: Mapping[int, float], landscape: bool, page: _Page, title: str) -> None:
    """A list sheet's end: the ``empty`` sentence (column, text) when no row was written,
    frozen headers, a filter, column widths and the print setup."""
    if row == hdr:
        row += 1
        sheet.text(row, empty[0], empty[1], fit=False)
    sheet.ws.freeze_panes(hdr + 1, 0)
    sheet.ws.autofilter(hdr, 0, row, n_columns - 1)
    sheet.set_widths(fixed=widths)
    _print_setup(sheet.ws, page, hdr, landscape=landscape, title=title)


#: how each flag reads on a seller's "Flagged" sheet
FLAG_TEXT = {"at risk": "KEY account at risk", "growth potential": "SECONDARY account with growth potential",
             "lapsed": "Lapsed client to win back"}
_WHY_WIDTH = 90
_FOCUS_WIDTHS = {1: 16, 2: 42, 3: 12, 4: 10}
#: the sheet each focus block's "and N more" points to
_FOCUS_SHEET = {"official": "Official list", "flagged": "Flagged", "targets": "Targets", "extras": "Extras"}


def _flagged(wb: Any, f: _Formats, *, seller: str, flags: pd.DataFrame, subtitle: str, currency: str,
             page: _Page) -> None:
    """Every flagged client of the seller: KEY accounts at risk, SECONDARY accounts with
    growth potential, lapsed clients to win back (each with the figures behind the flag)."""
    sheet = _Sheet(wb.add_worksheet("Flagged"))
    counts = {flag: int((flags["flag"] == flag).sum()) for flag in FLAG_TEXT}
    note = " · ".join(f"{FLAG_TEXT[k]}: {n}" for k, n in counts.items())
    _title_block(sheet, f, f"Flagged accounts — {seller}", subtitle, note)
    hdr = 4
    headers = ("What", "Client", "12-month billing", "Why")
    _headers(sheet, hdr, headers, f.header)
    row = hdr
    for rec in flags.itertuples(index=False):
        row += 1
        sheet.text(row, 0, FLAG_TEXT.get(rec.flag, rec.flag), f.text)
        sheet.text(row, 1, rec.client, f.text)
        sheet.money(row, 2, rec.billing, f.money, currency)
        sheet.text(row, 3, rec.detail, f.wrap, fit=False)
        lines = math.ceil(len(str(rec.detail)) / (_WHY_WIDTH * 1.1))  # the row's height: its Why, wrapped
        if lines > 1:
            sheet.ws.set_row(row, 15 * lines)
    _finish_list(sheet, hdr, row, len(headers),
                 empty=(1, "No account of yours is at risk, growing or lapsed: work the official list."),
                 widths={0: 24, 3: _WHY_WIDTH}, landscape=True, page=page, title="Flagged")


def _focus_cell(sheet: _Sheet, f: _Formats, row: int, col: int, cell: FocusCell, currency: str) -> None:
    value = cell.value
    if cell.kind == "money":
        sheet.money(row, col, value, f.money, currency)
    elif cell.kind == "share":
        sheet.number(row, col, value, f.share, shown="100.0%")
    elif cell.kind == "score":
        sheet.number(row, col, value, f.score2, shown="4.67")
    elif cell.kind == "int":
        sheet.number(row, col, value, None, shown="" if is_missing(value) else str(value))
    elif cell.kind == "date":
        if value is None:
            sheet.text(row, col, "")
        else:
            sheet.ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), f.date)
    elif cell.kind in ("flag", "issue"):
        sheet.text(row, col, value, f.flag)
    else:
        sheet.text(row, col, value, None if col == 0 else f.indented, fit=col == 0)


def _act_first(wb: Any, f: _Formats, *, focus: SellerFocus, subtitle: str, currency: str, page: _Page) -> None:
    """The one-page focus sheet (:mod:`.seller_focus`): each block's top rows, and where the
    rest are (a link to that sheet)."""
    sheet = _Sheet(wb.add_worksheet("Act first"))
    ws = sheet.ws
    note = (
        f"Your list: {focus.n_key} KEY {agree(focus.n_key, 'account', 'accounts')} "
        f"({format_money(focus.billing_key, currency)}) and "
        f"{focus.n_secondary} SECONDARY ({format_money(focus.billing_secondary, currency)}). "
        f"{focus.concentration}"
        + (f" {agree(focus.n_key, 'Your KEY account brings', 'KEY accounts bring')} {focus.key_share:.0%} of it."
           if focus.key_share is not None else "")
        + f" Targets: {focus.n_targets}, extras: {focus.n_extras}."
    )
    _title_block(sheet, f, f"Act first — {focus.seller}", subtitle, note)
    row = 3
    for block in focus.blocks:
        row += 2
        sheet.text(row, 0, f"{block.title} ({block.total})", f.block, fit=False)
        if not block.rows:
            row += 1
            sheet.text(row, 0, block.empty, f.note, fit=False)
            continue
        row += 1
        for col, name in enumerate(block.headers):
            sheet.text(row, col, name, f.header, fit=False)
        if any(len(name) > _FOCUS_WIDTHS.get(col, 10) for col, name in enumerate(block.headers)):
            ws.set_row(row, 30)
        for cells in block.rows:
            row += 1
            for col, cell in enumerate(cells):
                _focus_cell(sheet, f, row, col, cell, currency)
        if block.more > 0:
            row += 1
            target = _FOCUS_SHEET.get(block.anchor, "Official list")
            ws.write_url(row, 0, f"internal:'{target}'!A1", f.link,
                         string=f"… and {block.more} {block.where}: the {target} sheet")
    sheet.set_widths(fixed={0: max(30, min(sheet.widths.get(0, 0) + 2, 44))} | _FOCUS_WIDTHS)
    _print_setup(ws, page, None, landscape=False, title="Act first", fit=False)
    ws.fit_to_pages(1, 1)  # the focus sheet prints on one page


def _prospect_sheet(
    wb: Any, f: _Formats, *, name: str, category: str, seller: str, prospects: pd.DataFrame, subtitle: str,
    page: _Page,
) -> None:
    sheet = _Sheet(wb.add_worksheet(name))
    _title_block(sheet, f, f"{name} — {seller}", subtitle)
    hdr = 4
    _headers(sheet, hdr, _PROSPECT_HEADERS, f.header)
    mine = prospects[(prospects["seller"] == seller) & (prospects["category"] == category)] if len(prospects) else prospects
    row = hdr
    for rec in mine.itertuples(index=False):
        row += 1
        sheet.text(row, 0, rec.prospect, f.text)
        for col, field in enumerate(("spending_potential", "decision_maker_access", "product_fit"), start=1):
            value = getattr(rec, field, None)
            sheet.number(row, col, value, f.text, shown="" if is_missing(value) else str(value))
        score = getattr(rec, "fit_score", None)
        sheet.number(row, 4, score, f.score, shown="0.00")
        sheet.text(row, 5, getattr(rec, "notes", None), f.text)
        sheet.text(row, 6, getattr(rec, "issues", None), f.text)
    _finish_list(sheet, hdr, row, len(_PROSPECT_HEADERS), empty=(0, f"No {name.lower()} listed for this seller yet."),
                 widths={1: 11, 2: 11, 3: 9, 4: 8}, landscape=True, page=page, title=name)


def _col(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


# ---------------------------------------------------------------------------- the projection sheet

# columns: A client, B row label, C last year (KEY), D probability (TARGET), then per
# quarter three months and the quarter's total (E F G H = months 1-3 and Q1, ... Q4 in T),
# U the year, V growth (KEY), W weighted (TARGET). Printed in two halves, column A on both:
# months 1-6 (A:L), then months 7-12 and the year's columns (M:W).
_C_CLIENT, _C_ROW, _C_LAST, _C_PROB = 0, 1, 2, 3
_C_TOTAL, _C_GROWTH, _C_WEIGHTED = 20, 21, 22
_HALF_BREAK = 12
_MARGIN = 0.3  # inches, left and right
_PAPER_WIDTH = {9: 11.69, 1: 11.0}  # landscape width in inches (A4, Letter)
#: the rows of the form's summary, as their first cell reads
KEY_PROJECTION = "KEY accounts: projection"
KEY_LAST_YEAR = "KEY accounts: last year"
KEY_GROWTH = "KEY accounts: growth"
TARGET_PROJECTION = "TARGETs: projection"
TARGET_WEIGHTED = "TARGETs: weighted"
YOUR_PROJECTION = "Your projection"
YOUR_GOAL = "Your goal"
GAP_TO_GOAL = "Gap to goal"
GROWTH_GOAL_LABEL = "Your growth goal on last year:"


def month_col(i: int) -> int:
    """The form's column (0-based) of month ``i`` (0..11)."""
    return 4 + (i // 3) * 4 + i % 3


def quarter_col(q: int) -> int:
    """The form's column (0-based) of quarter ``q``'s total (0..3)."""
    return 7 + 4 * q


def _scale(sheet: _Sheet, paper: int) -> int:
    """The print scale (%) at which each half of the form fits one landscape page width.

    A column ``w`` characters wide is ``7w + 5`` pixels (1/96 in) in Excel with Calibri 11;
    LibreOffice (Carlito) draws it about 6% wider, so the estimate counts 7.5 pixels a
    character and keeps 3% to spare: each half then prints on one page in both."""
    def px(col: int) -> float:
        return sheet.widths_set.get(col, 8.43) * 7.5 + 5

    repeated = px(_C_CLIENT)  # the client's column prints on both halves
    halves = (sum(px(c) for c in range(1, _HALF_BREAK)), sum(px(c) for c in range(_HALF_BREAK, _C_WEIGHTED + 1)))
    printable = (_PAPER_WIDTH[paper] - 2 * _MARGIN) * 96
    return int(min(100.0, 100 * 0.97 * printable / (repeated + max(halves))))


def _projection_sheet(
    wb: Any, f: _Formats, *, form: ProjectionForm, subtitle: str, currency: str, page: _Page
) -> None:
    """The revenue projection form.

    KEY block: per account a yellow *Projection* row (12 months to type; quarter and year
    totals, last year's 12-month billing and the growth are formulas) and, when the ledger
    has dates, a grey *Last year* row (the same months a year earlier). TARGET block (a new
    printed page): per target a *Projection* row and its probability (0-100%, typed); the
    weighted total is projection × probability; spare rows for new targets. Then the
    totals (``SUMIF`` over the *Row* column, ``SUMPRODUCT`` for the weighted months), the
    seller's projection (KEY + weighted TARGETs), the goal (last year's KEY billing × (1 +
    the growth goal typed in B5)) and the gap to it. Amounts in whole units.
    """
    sheet = _Sheet(wb.add_worksheet("Projection"))
    ws = sheet.ws
    n_months = len(form.months)
    has_baseline = form.has_baseline
    _title_block(
        sheet, f, f"Revenue projection — {form.seller}", subtitle,
        "Type your projection for each month in the yellow cells, and each target's chance of being won (0-100%). "
        + ("Grey rows: last year's billing in the same month. " if has_baseline else
           "" if form.dated else "The ledger gives one 12-month total per client, so last year's months are not known. ")
        + "Totals, quarters, growth and the goal are formulas; the sheet is protected without a password so "
          "they are not overwritten by mistake (Review > Unprotect Sheet lifts it).",
    )
    sheet.text(
        3, 0,
        f"The projection year starts in {form.start} (the month after the audit's 12 months) and ends in "
        f"{form.months[-1].label}; Q1 to Q4 are its quarters, three months each from the start month.",
        f.subtitle, fit=False,
    )
    goal_row = 4
    sheet.text(goal_row, _C_CLIENT, GROWTH_GOAL_LABEL, f.total_text, fit=False)
    ws.write_number(goal_row, _C_ROW, GROWTH_GOAL, f.input_share)
    sheet.text(goal_row, 3, "type your own goal; the goal line is last year's KEY billing × (1 + this)",
               f.note, fit=False)
    ws.data_validation(goal_row, _C_ROW, goal_row, _C_ROW, {
        "validate": "decimal", "criteria": "between", "minimum": -1, "maximum": 10,
        "input_title": "Your growth goal", "input_message": "Growth on last year's KEY billing, e.g. 10%.",
        "error_title": "Growth goal", "error_message": "Type a percentage between -100% and 1000%.",
    })
    goal_ref = f"$B${goal_row + 1}"

    hdr = 6
    headers = ["Client", "Row"] + [""] * (_C_WEIGHTED - 1)
    for i, m in enumerate(form.months):
        headers[month_col(i)] = " ".join(m.heading).replace("\u00a0", " ")
    for q in range(n_months // 3):
        headers[quarter_col(q)] = f"Q{q + 1} total"
    headers[_C_TOTAL], headers[_C_LAST], headers[_C_GROWTH] = "Year total", "Last year (12 months)", "Growth vs last year"
    headers[_C_PROB], headers[_C_WEIGHTED] = "Probability (TARGETs)", "Weighted (× probability)"
    _headers(sheet, hdr, headers, f.header)
    amount_cols = list(range(4, _C_TOTAL + 1))  # months, quarters and the year

    def whole(micros: int) -> str:
        return format_money(micros, currency, cents=False)

    def quarters_and_total(row: int, values: Sequence[int], fmt: Any) -> None:
        r = row + 1
        for q in range(n_months // 3):
            first, last = _col(month_col(3 * q)), _col(month_col(3 * q + 2))
            cached = sum(int(v) for v in values[3 * q: 3 * q + 3])
            sheet.formula(row, quarter_col(q), f"=SUM({first}{r}:{last}{r})", fmt, _cell_float(cached), whole(cached))
        total = sum(int(v) for v in values)
        cells = "+".join(f"{_col(quarter_col(q))}{r}" for q in range(n_months // 3))
        sheet.formula(row, _C_TOTAL, f"={cells}", fmt, _cell_float(total), whole(total))

    def growth(row: int, fmt: Any) -> None:
        s, t = f"{_col(_C_TOTAL)}{row + 1}", f"{_col(_C_LAST)}{row + 1}"
        sheet.formula(row, _C_GROWTH, f'=IF(OR({t}<=0,{s}=0),"",{s}/{t}-1)', fmt, "", "+100.0%")

    zeros = [0] * n_months
    row = hdr + 1
    sheet.text(row, 0, f"KEY accounts ({len(form.key_rows)}): your projection in the yellow rows"
               + ("; grey rows: the same month last year" if has_baseline else ""), f.block, fit=False)
    key_first = row + 1
    if not form.key_rows:
        row += 1
        sheet.text(row, 0, "No KEY accounts on your list.", f.note, fit=False)
    for r in form.key_rows:
        row += 1
        sheet.text(row, _C_CLIENT, r.client, f.name)
        sheet.text(row, _C_ROW, PROJECTION_LABEL)
        for i in range(n_months):
            ws.write_blank(row, month_col(i), None, f.input_whole)
        quarters_and_total(row, zeros, f.whole_or_blank)
        sheet.money(row, _C_LAST, r.billing, f.whole, currency)
        sheet._fit(_C_LAST, whole(int(r.billing or 0)))
        growth(row, f.growth)
        if r.baseline is not None:
            row += 1
            sheet.text(row, _C_CLIENT, "last year, same month", f.baseline_label, fit=False)
            sheet.text(row, _C_ROW, BASELINE_LABEL, f.baseline_text)
            for i, value in enumerate(r.baseline):
                sheet.number(row, month_col(i), _cell_float(value), f.baseline_whole, shown=whole(value))
            quarters_and_total(row, r.baseline, f.baseline_whole)
    key_last = max(row, key_first)

    def sumif(label: str, col: int, first: int, last: int) -> str:
        c = _col(col)
        return f'=SUMIF($B${first + 1}:$B${last + 1},"{label}",{c}{first + 1}:{c}{last + 1})'

    def total_label(row: int, text: str, fmt: Any) -> None:
        sheet.text(row, _C_CLIENT, text, fmt, fit=False)

    # KEY totals
    row += 1
    kp = row
    total_label(kp, KEY_PROJECTION, f.total_text)
    for c in amount_cols:
        sheet.formula(kp, c, sumif(PROJECTION_LABEL, c, key_first, key_last), f.total_whole, 0.0, "")
    sheet.formula(kp, _C_LAST, sumif(PROJECTION_LABEL, _C_LAST, key_first, key_last), f.total_whole,
                  _cell_float(form.key_billing), whole(form.key_billing))
    growth(kp, f.total_growth)
    kl = None
    if has_baseline:
        row += 1
        kl = row
        total_label(kl, KEY_LAST_YEAR, f.baseline_text)
        sheet.text(kl, _C_ROW, "", f.baseline_text)
        by_month = form.baseline_by_month
        cached = {month_col(i): by_month[i] for i in range(n_months)}
        cached |= {quarter_col(q): sum(by_month[3 * q: 3 * q + 3]) for q in range(n_months // 3)}
        cached[_C_TOTAL] = form.baseline_total
        for c in amount_cols:
            sheet.formula(kl, c, sumif(BASELINE_LABEL, c, key_first, key_last), f.baseline_whole,
                          _cell_float(cached[c]), whole(cached[c]))
        row += 1
        total_label(row, KEY_GROWTH, f.total_text)
        for c in amount_cols:
            p_ref, l_ref = f"{_col(c)}{kp + 1}", f"{_col(c)}{kl + 1}"
            sheet.formula(row, c, f'=IF(OR({l_ref}<=0,{p_ref}=0),"",{p_ref}/{l_ref}-1)', f.total_growth, "", "")

    # TARGET block, on a page of its own
    row += 2
    target_head = row
    sheet.text(row, 0, f"TARGET accounts ({len(form.target_rows)}): your projection, and the chance of "
               "winning each (probability)", f.block, fit=False)
    t_first = row + 1
    target_names: list[str | None] = [r.client for r in form.target_rows] + [None] * SPARE_TARGET_ROWS
    for name in target_names:
        row += 1
        if name is None:  # a spare row: the seller types the new target's name
            ws.write_blank(row, _C_CLIENT, None, f.input_text)
        else:
            sheet.text(row, _C_CLIENT, name, f.name)
        sheet.text(row, _C_ROW, PROJECTION_LABEL)
        for i in range(n_months):
            ws.write_blank(row, month_col(i), None, f.input_whole)
        quarters_and_total(row, zeros, f.whole_or_blank)
        ws.write_blank(row, _C_PROB, None, f.input_share)
        s, v = f"{_col(_C_TOTAL)}{row + 1}", f"{_col(_C_PROB)}{row + 1}"
        sheet.formula(row, _C_WEIGHTED, f"={s}*{v}", f.whole_or_blank, 0.0, "")
    t_last = row
    for aside in form.set_aside:
        row += 1
        sheet.text(row, _C_CLIENT, aside.sentence(form.seller), f.note, fit=False)
    row += 1
    tp = row
    total_label(tp, TARGET_PROJECTION, f.total_text)
    for c in amount_cols:
        sheet.formula(tp, c, sumif(PROJECTION_LABEL, c, t_first, t_last), f.total_whole, 0.0, "")
    row += 1
    tw = row
    total_label(tw, TARGET_WEIGHTED, f.total_text)
    prob = f"${_col(_C_PROB)}${t_first + 1}:${_col(_C_PROB)}${t_last + 1}"
    for c in amount_cols:
        cc = _col(c)
        sheet.formula(tw, c, f"=SUMPRODUCT({cc}{t_first + 1}:{cc}{t_last + 1},{prob})", f.total_whole, 0.0, "")
    w = _col(_C_WEIGHTED)
    sheet.formula(tw, _C_WEIGHTED, f"=SUM({w}{t_first + 1}:{w}{t_last + 1})", f.total_whole, 0.0, "")

    # the seller's year: projection, goal, gap
    row += 2
    sheet.text(row, 0, "Your year: KEY projection plus weighted TARGETs, against your goal", f.block, fit=False)
    row += 1
    yp = row
    total_label(yp, YOUR_PROJECTION, f.total_text)
    sheet.text(yp, _C_ROW, "KEY + TARGET", f.total_text, fit=False)
    for c in amount_cols:
        sheet.formula(yp, c, f"={_col(c)}{kp + 1}+{_col(c)}{tw + 1}", f.total_whole, 0.0, "")
    row += 1
    yg = row
    total_label(yg, YOUR_GOAL, f.goal_text)
    sheet.text(yg, _C_ROW, "last year +", f.goal_text, fit=False)
    if kl is not None:
        by_month = form.baseline_by_month
        last_year = {month_col(i): by_month[i] for i in range(n_months)}
        last_year |= {quarter_col(q): sum(by_month[3 * q: 3 * q + 3]) for q in range(n_months // 3)}
        last_year[_C_TOTAL] = form.baseline_total
        goals = {c: (f"{_col(c)}{kl + 1}", goal_of(last_year[c])) for c in amount_cols}
    else:  # last year's months unknown: the year's goal only, from the 12-month billing
        goals = {_C_TOTAL: (f"{_col(_C_LAST)}{kp + 1}", goal_of(form.key_billing))}
    for c, (base, cached_goal) in goals.items():
        sheet.formula(yg, c, f"={base}*(1+{goal_ref})", f.goal_whole, _cell_float(cached_goal), whole(cached_goal))
    row += 1
    gap = row
    total_label(gap, GAP_TO_GOAL, f.total_text)
    sheet.text(gap, _C_ROW, "+ ahead, - short", f.total_text, fit=False)
    for c, (_, cached_goal) in goals.items():
        sheet.formula(gap, c, f"={_col(c)}{yp + 1}-{_col(c)}{yg + 1}", f.total_whole, -_cell_float(cached_goal),
                      whole(-cached_goal))
    last_row = row

    # input checks: amounts of 0 or more, probabilities 0-100%
    amounts = {"validate": "decimal", "criteria": ">=", "value": 0,
               "input_title": "Projection", "input_message": "Type the amount you expect in this month (0 or more).",
               "error_title": "Projection", "error_message": "Type an amount of 0 or more."}
    ws.data_validation(key_first, 4, key_last, _C_TOTAL - 1, amounts)
    ws.data_validation(t_first, 4, t_last, _C_TOTAL - 1, amounts)
    ws.data_validation(t_first, _C_PROB, t_last, _C_PROB, {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
        "input_title": "Probability", "input_message": "The chance of winning this target this year: 0% to 100%.",
        "error_title": "Probability", "error_message": "Type a probability between 0% and 100%."})

    ws.freeze_panes(hdr + 1, 2)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})
    client_width = max(22, min(sheet.widths.get(_C_CLIENT, 0) + 1, 28))  # longer names shrink to fit
    fixed = {_C_CLIENT: client_width, _C_ROW: 10, _C_GROWTH: 8.5, _C_PROB: 11}
    for c in amount_cols:
        fixed[c] = max(9.5 if c != _C_TOTAL else 11, sheet.widths.get(c, 0) + 1.5)
    for c in (_C_LAST, _C_WEIGHTED):
        fixed[c] = max(11, sheet.widths.get(c, 0) + 1.5)
    if not form.months[0].is_calendar_month:  # "15 Mar - 14 Apr 2025" takes three lines
        ws.set_row(hdr, 45)
    sheet.set_widths(fixed=fixed)
    _print_setup(ws, page, hdr, landscape=True, title="Revenue projection", fit=False)
    ws.repeat_columns(_C_CLIENT, _C_CLIENT)
    ws.print_area(0, 0, last_row, _C_WEIGHTED)
    ws.set_v_pagebreaks([_HALF_BREAK])
    ws.set_h_pagebreaks([target_head])
    ws.print_across()
    ws.set_print_scale(_scale(sheet, page.paper))


def _sum(values: Iterable[Any]) -> int:
    return sum(int(v) for v in values)


# ---------------------------------------------------------------------------- public


def write_seller_workbook(official: OfficialList, seller: str, path: Path | str) -> Path:
    """Write ``seller``'s workbook of the official list (sheets :data:`SHEETS`) to ``path``;
    return the path. Written to a temporary name, then renamed."""
    path = Path(path)
    import xlsxwriter

    currency, client_name = official.currency, official.client
    prospects = official.prospects if official.prospects is not None else pd.DataFrame(
        columns=["seller", "prospect", "category"]
    )
    accounts = official.seller_accounts[official.seller_accounts["seller"] == seller]
    subtitle = (
        f"{client_name} · seller: {seller} · list as of {day_text(official.as_of)} · "
        f"KEY cut-off {format_money(official.cutoff, currency)}"
    )
    form = projection_form(
        seller=seller, seller_accounts=official.seller_accounts, prospects=prospects, monthly=official.monthly,
        already_clients=official.already_clients(),
    )
    focus = seller_focus(official, seller)
    page = _page_of(official, seller)
    flags = official.flags_of(seller)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), dict(WORKBOOK_OPTIONS))
        try:
            wb.set_properties({"title": f"ALMS account list — {seller}", "company": client_name})
            f = _formats(wb, currency, official.branding.accent_color)
            _act_first(wb, f, focus=focus, subtitle=subtitle, currency=currency, page=page)
            _official_list(wb, f, seller=seller, accounts=accounts, flags=flags, subtitle=subtitle,
                           currency=currency, page=page)
            _flagged(wb, f, seller=seller, flags=flags, subtitle=subtitle, currency=currency, page=page)
            for name, category in _PROSPECT_SHEETS:
                _prospect_sheet(wb, f, name=name, category=category, seller=seller, prospects=prospects,
                                subtitle=subtitle, page=page)
            _projection_sheet(wb, f, form=form, subtitle=subtitle, currency=currency, page=page)
        finally:
            wb.close()
    return path


def seller_file_stems(sellers: Iterable[str]) -> dict[str, str]:
    """A distinct, file-name-safe stem per seller: ``"Dana Scott"`` -> ``"seller-dana-scott"``.

    Bounded in length (a long name is cut and ends with a hash of the whole name); sellers
    whose names give the same stem each get a short hash of their own name, so a seller
    keeps the same file name whatever the order (see :mod:`alms_toolkit.slugs`)."""
    return unique_stems(sellers, prefix="seller-")


def write_seller_workbooks(official: OfficialList, out_dir: Path | str) -> list[Path]:
    """One workbook per seller of the official list, in ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [write_seller_workbook(official, seller, out / f"{stem}.xlsx")
            for seller, stem in seller_file_stems(official.sellers).items()]
