"""Per-seller workbooks: the official list, targets, extras, leads and the revenue projection form.

One XLSX per seller (xlsxwriter), sheets:

* **Official list** — the seller's KEY then SECONDARY accounts: rank in the whole client
  base, client, tier, 12-month billing, share of the seller's billing;
* **Targets**, **Extras**, **Leads** — the seller's prospects with the three filter scores,
  the fit score, notes and any issue found in them;
* **Projection** — the revenue projection form (ALMS step 12): the seller's KEY and TARGET
  accounts, last-12-month billing and the next 12 months from ``as_of`` (calendar months
  when ``as_of`` is the 1st, else months counted from ``as_of``: 2 May - 1 Jun, ...).
  Each KEY account has a yellow *Projection* row to type into and a grey *Last year* row
  under it with the billing of the same month a year earlier (its 12 months sum to its
  12-month billing); TARGET accounts (and two
  spare rows for new targets) have yellow rows only. Row totals are ``=SUM`` formulas; the
  month columns are totalled with ``=SUMIF`` over the *Row* column (projection and last
  year separately), so the totals stay right when the seller types. The sheet is protected
  without a password: only the yellow cells take input.

Every sheet has a title block (client, seller, as_of, KEY cut-off), a frozen header row,
money in the client's currency, and columns sized to their content; the lists have an
autofilter. Text goes through :func:`~.safe_cells.safe_text` and ``write_string`` only, so
a client called ``=HYPERLINK(...)`` stays text; amounts are numbers (float of the exact
micros at write time; totals are spreadsheet formulas, their cached values computed from
the integer micros).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...atomic import atomic_path
from ...cell_values import is_missing
from ...money import format_money, to_decimal
from ...slugs import unique_stems
from .safe_cells import WORKBOOK_OPTIONS, safe_text

if TYPE_CHECKING:
    from ...analysis.monthly import MonthlyBilling
    from ...analysis.official_list import OfficialList
    from ...analysis.periods import Period

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
]

#: sheet names, in order
SHEETS: tuple[str, ...] = ("Act first", "Official list", "Targets", "Extras", "Leads", "Projection")
#: the *Row* column's value on rows a seller types into / on last year's rows
PROJECTION_LABEL = "Projection"
BASELINE_LABEL = "Last year"
#: blank TARGET rows at the end of the form, for targets chosen after the list was printed
SPARE_TARGET_ROWS = 2

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


# ---------------------------------------------------------------------------- the form's data


@dataclass(frozen=True)
class ProjectionRow:
    """One account on the projection form."""

    client: str
    tier: str  # "KEY" or "TARGET"
    billing: int | None  # last-12-month billing in micros; None for a target
    baseline: tuple[int, ...] | None  # last year's billing per form month (KEY only)


@dataclass(frozen=True)
class ProjectionForm:
    """A seller's revenue projection form: the 12 months from ``as_of`` (month-long
    periods counted from the audit date, :mod:`alms_toolkit.analysis.periods`), KEY then
    TARGET rows. Each KEY row's baseline is its billing in the same period a year
    earlier, so its 12 baselines sum to its 12-month billing exactly."""

    seller: str
    months: tuple[Period, ...]
    rows: tuple[ProjectionRow, ...]

    @property
    def has_baseline(self) -> bool:
        """False for a ledger without dates (one total per client): last year's months are unknown."""
        return any(r.baseline is not None for r in self.rows)

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


def projection_form(
    *,
    seller: str,
    seller_accounts: pd.DataFrame,
    prospects: pd.DataFrame | None,
    monthly: MonthlyBilling,
) -> ProjectionForm:
    """Build the projection form's rows for one seller (inputs are not modified).

    ``seller_accounts``: ``seller``, ``client_key``, ``client``, ``tier``, ``billing``
    (ordered KEY first, by billing); ``prospects``: ``seller``, ``prospect``, ``category``;
    ``monthly``: the audit's billing per period. The form's months are the 12 periods
    from the audit date; the baseline of each is the KEY account's billing in the period
    12 months earlier (the window's periods, which hold exactly its 12-month billing).
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
    if prospects is not None and len(prospects):
        targets = prospects[(prospects["seller"] == seller) & (prospects["category"] == "TARGET")]
        rows += [
            ProjectionRow(client=str(name), tier="TARGET", billing=None, baseline=None)
            for name in targets["prospect"]
        ]
    return ProjectionForm(seller=seller, months=monthly.periods.next_year, rows=tuple(rows))


# ---------------------------------------------------------------------------- formats


def money_number_format(currency: str) -> str:
    """Excel number format for amounts in ``currency`` (e.g. ``"$"#,##0.00;-"$"#,##0.00``)."""
    symbol = currency.replace('"', "").strip()
    if not symbol:
        return "#,##0.00;-#,##0.00"
    return f'"{symbol}"#,##0.00;-"{symbol}"#,##0.00'


def _cell_float(micros: int) -> float:
    """A cell's number: the float nearest the exact amount (never summed in Python)."""
    return float(to_decimal(int(micros)))



class _Sheet:
    """A worksheet that writes cells by type and remembers each column's widest content."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.widths: dict[int, int] = {}

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

    def formula(self, row: int, col: int, formula: str, fmt: Any, cached: float, shown: str) -> None:
        self.ws.write_formula(row, col, formula, fmt, cached)
        self._fit(col, shown)

    def set_widths(self, minimum: int = 8, maximum: int = 60, fixed: dict[int, int] | None = None) -> None:
        fixed = fixed or {}
        for col in sorted(set(self.widths) | set(fixed)):
            width = fixed.get(col, min(max(self.widths.get(col, 0) + 2, minimum), maximum))
            self.ws.set_column(col, col, width)


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


def _formats(wb: Any, currency: str, accent: str) -> _Formats:
    money = money_number_format(currency)
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
        input_money=wb.add_format(
            {"num_format": money, "bg_color": _INPUT_FILL, "border": 1, "border_color": "#BFBFBF", "locked": False}
        ),
        input_text=wb.add_format(
            {"bg_color": _INPUT_FILL, "border": 1, "border_color": "#BFBFBF", "locked": False}
        ),
        baseline_text=wb.add_format({"font_color": _GREY, "italic": True, "bg_color": _BASELINE_FILL}),
        baseline_money=wb.add_format({"num_format": money, "font_color": _GREY, "bg_color": _BASELINE_FILL}),
        total_text=wb.add_format({"bold": True, "top": 1}),
        total_money=wb.add_format({"bold": True, "top": 1, "num_format": money}),
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


def _official_list(
    wb: Any, f: _Formats, *, seller: str, accounts: pd.DataFrame, subtitle: str, currency: str
) -> None:
    sheet = _Sheet(wb.add_worksheet("Official list"))
    key = accounts[accounts["tier"] == "KEY"]
    sec = accounts[accounts["tier"] == "SECONDARY"]
    note = (
        f"KEY: {len(key)} accounts, {format_money(_sum(key['billing']), currency)} · "
        f"SECONDARY: {len(sec)} accounts, {format_money(_sum(sec['billing']), currency)}"
    )
    _title_block(sheet, f, f"Official account list — {seller}", subtitle, note)
    hdr = 4
    headers = ("Rank", "Client", "Tier", "12-month billing", "Share of your billing")
    _headers(sheet, hdr, headers, f.header)
    ordered = pd.concat([key, sec])
    row = hdr
    for rec in ordered.itertuples(index=False):
        row += 1
        sheet.number(row, 0, rec.rank, None, shown=str(rec.rank))
        sheet.text(row, 1, rec.client)
        sheet.text(row, 2, rec.tier)
        sheet.money(row, 3, rec.billing, f.money, currency)
        sheet.number(row, 4, rec.share_of_seller, f.share, shown="100.0%")
    _finish_list(sheet, hdr, row, len(headers), empty=(1, "No KEY or SECONDARY accounts for this seller."),
                 widths={0: 7}, landscape=False)


def _finish_list(sheet: _Sheet, hdr: int, row: int, n_columns: int, *, empty: tuple[int, str],
                 widths: dict[int, int], landscape: bool) -> None:
    """A list sheet's end: the ``empty`` sentence (column, text) when no row was written,
    frozen headers, a filter, column widths and the print setup."""
    if row == hdr:
        row += 1
        sheet.text(row, empty[0], empty[1], fit=False)
    sheet.ws.freeze_panes(hdr + 1, 0)
    sheet.ws.autofilter(hdr, 0, row, n_columns - 1)
    sheet.set_widths(fixed=widths)
    _print_setup(sheet.ws, hdr, landscape=landscape)


#: how each flag reads on a seller's "Act first" sheet
FLAG_TEXT = {"at risk": "KEY account at risk", "growth potential": "SECONDARY account with growth potential",
             "lapsed": "Lapsed client to win back"}


def _act_first(wb: Any, f: _Formats, *, seller: str, flags: pd.DataFrame, subtitle: str, currency: str) -> None:
    """The seller's flagged clients: KEY accounts at risk, SECONDARY accounts with growth
    potential, lapsed clients to win back (each with the figures behind the flag)."""
    sheet = _Sheet(wb.add_worksheet("Act first"))
    counts = {flag: int((flags["flag"] == flag).sum()) for flag in FLAG_TEXT}
    note = " · ".join(f"{FLAG_TEXT[k]}: {n}" for k, n in counts.items())
    _title_block(sheet, f, f"Act first — {seller}", subtitle, note)
    hdr = 4
    headers = ("What", "Client", "12-month billing", "Why")
    _headers(sheet, hdr, headers, f.header)
    row = hdr
    for rec in flags.itertuples(index=False):
        row += 1
        sheet.text(row, 0, FLAG_TEXT.get(rec.flag, rec.flag))
        sheet.text(row, 1, rec.client)
        sheet.money(row, 2, rec.billing, f.money, currency)
        sheet.text(row, 3, rec.detail, fit=False)
    _finish_list(sheet, hdr, row, len(headers), empty=(1, "No account of yours is at risk, growing or lapsed: work the official list."),
                 widths={3: 90}, landscape=True)


def _prospect_sheet(
    wb: Any, f: _Formats, *, name: str, category: str, seller: str, prospects: pd.DataFrame, subtitle: str
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
                 widths={1: 11, 2: 11, 3: 9, 4: 8}, landscape=True)


def _col(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def _projection_sheet(
    wb: Any, f: _Formats, *, form: ProjectionForm, subtitle: str, currency: str
) -> None:
    sheet = _Sheet(wb.add_worksheet("Projection"))
    ws = sheet.ws
    _title_block(
        sheet,
        f,
        f"Revenue projection — {form.seller}",
        subtitle,
        "Type your projection for each month in the yellow cells. "
        + ("Grey rows show last year's billing in the same month (KEY accounts). " if form.has_baseline else
           "The ledger gives one 12-month total per client, so last year's months are not known. ")
        + "Totals update by themselves.",
    )
    hdr = 4
    first_month, n_months = 4, len(form.months)
    total_col = first_month + n_months
    headers = ["Client", "Tier", "Row", "Last 12 months"]
    headers += [" ".join(m.heading).replace("\u00a0", " ") for m in form.months] + ["Total"]
    _headers(sheet, hdr, headers, f.header)
    m_first, m_last = _col(first_month), _col(total_col - 1)

    row = hdr
    blank_months = [None] * n_months

    def account_row(client: str | None, tier: str, label: str, billing: int | None,
                    values: Sequence[int | None], baseline: bool) -> None:
        nonlocal row
        row += 1
        text_fmt = f.baseline_text if baseline else None
        if client is None:
            sheet.text(row, 0, "", f.input_text)
        else:
            sheet.text(row, 0, client, text_fmt)
        sheet.text(row, 1, tier, text_fmt)
        sheet.text(row, 2, label, text_fmt)
        sheet.money(row, 3, billing, f.baseline_money if baseline else f.money, currency)
        for i, value in enumerate(values):
            if baseline:
                sheet.money(row, first_month + i, value, f.baseline_money, currency)
            else:
                ws.write_blank(row, first_month + i, None, f.input_money)
        cached = sum(int(v) for v in values if v is not None)
        excel_row = row + 1
        sheet.formula(
            row,
            total_col,
            f"=SUM({m_first}{excel_row}:{m_last}{excel_row})",
            f.baseline_money if baseline else f.money,
            _cell_float(cached),
            format_money(cached, currency),
        )

    for r in form.rows:
        account_row(r.client, r.tier, PROJECTION_LABEL, r.billing, blank_months, baseline=False)
        if r.baseline is not None:
            account_row("", "", BASELINE_LABEL, None, r.baseline, baseline=True)
    for _ in range(SPARE_TARGET_ROWS):
        account_row(None, "TARGET", PROJECTION_LABEL, None, blank_months, baseline=False)
    first_data, last_data = hdr + 2, row + 1  # spreadsheet row numbers

    row += 1
    labels: tuple[tuple[str, str, list[int], int | None], ...] = (
        ("Total projection", PROJECTION_LABEL, [0] * n_months, form.key_billing),
    )
    if form.has_baseline:
        labels += (("Total last year (KEY)", BASELINE_LABEL, list(form.baseline_by_month), None),)
    for title, label, cached_months, billing_total in labels:
        row += 1
        sheet.text(row, 0, title, f.total_text)
        sheet.text(row, 1, "", f.total_text)
        sheet.text(row, 2, label, f.total_text)
        crit = f"$C${first_data}:$C${last_data}"
        if billing_total is None:
            ws.write_blank(row, 3, None, f.total_money)
        else:
            sheet.formula(
                row, 3, f"=SUM(D{first_data}:D{last_data})", f.total_money,
                _cell_float(billing_total), format_money(billing_total, currency),
            )
        for i in range(n_months):
            c = _col(first_month + i)
            sheet.formula(
                row,
                first_month + i,
                f'=SUMIF({crit},"{label}",{c}{first_data}:{c}{last_data})',
                f.total_money,
                _cell_float(cached_months[i]),
                format_money(cached_months[i], currency),
            )
        grand = sum(cached_months)
        sheet.formula(
            row, total_col, f"=SUM({m_first}{row + 1}:{m_last}{row + 1})", f.total_money,
            _cell_float(grand), format_money(grand, currency),
        )

    ws.freeze_panes(hdr + 1, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})
    month_width = max(11, *(sheet.widths.get(first_month + i, 0) + 2 for i in range(n_months)))
    fixed = {1: 9, 2: 11} | {first_month + i: month_width for i in range(n_months)}
    sheet.set_widths(fixed=fixed)
    _print_setup(ws, hdr, landscape=True)


def _print_setup(ws: Any, header_row: int, *, landscape: bool) -> None:
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)


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
        f"{client_name} · seller: {seller} · list as of {official.as_of.isoformat()} · "
        f"KEY cut-off {format_money(official.cutoff, currency)}"
    )
    form = projection_form(
        seller=seller, seller_accounts=official.seller_accounts, prospects=prospects, monthly=official.monthly
    )
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), dict(WORKBOOK_OPTIONS))
        try:
            wb.set_properties({"title": f"ALMS account list — {seller}", "company": client_name})
            f = _formats(wb, currency, official.branding.accent_color)
            _act_first(wb, f, seller=seller, flags=official.flags_of(seller), subtitle=subtitle, currency=currency)
            _official_list(wb, f, seller=seller, accounts=accounts, subtitle=subtitle, currency=currency)
            for name, category in _PROSPECT_SHEETS:
                _prospect_sheet(
                    wb, f, name=name, category=category, seller=seller, prospects=prospects, subtitle=subtitle
                )
            _projection_sheet(wb, f, form=form, subtitle=subtitle, currency=currency)
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
