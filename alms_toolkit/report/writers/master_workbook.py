"""The master list: one workbook for the sales manager with every seller's clients and
prospects, one row per client, ready for pivot tables.

Written by ``alms audit`` (into ``<run>/manager/``) and ``alms republish`` (into
``<review>/republished/<as_of>/manager/``) from the official list alone
(:class:`~alms_toolkit.analysis.official_list.OfficialList`), so both are written by the
same code. Sheets:

* **All clients** — an Excel table (:data:`TABLE_NAME`, :data:`COLUMNS`): every client and
  prospect once, in exactly one category (:data:`CATEGORIES`): a spending client is KEY or
  SECONDARY (a TARGET that already spends is that client, the prospect row noted on it); a
  client that does not spend is LAPSED when it is on the lapsed page, else NON-SPENDING,
  unless a seller lists it as a prospect (then TARGET, EXTRA or LEAD, the client noted); a
  prospect on two lists is listed once, in its best category. Money is a number in the
  client's currency format; the table has its filter buttons and a frozen header, and under
  it a total of the rows shown (``SUBTOTAL`` of plain ranges, so it follows the filter). "Category at the review" is there when the
  list carries it (``category_then``: a republish, or an audit with an earlier review).
* **By seller** — per seller, the count and 12-month billing of each category, with live
  ``COUNTIFS`` / ``SUMIFS`` formulas over the table's columns and a total row of ``SUM``
  formulas; cached values are computed from the exact integer micros, so the file shows the
  right figures before a spreadsheet recalculates it, and the total equals the official
  list's revenue to the cent.

Both sheets print landscape, one page wide, on the client's paper (``branding.page_size``),
with the header row repeated and a header/footer naming the client, the date and the page.
Text goes through :func:`~.safe_cells.safe_text` (a client called ``=HYPERLINK(...)`` stays
text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...atomic import atomic_path
from ...cell_values import cell_text, is_missing, records
from ...date_text import day_text
from ...money import format_money, to_decimal
from .safe_cells import WORKBOOK_OPTIONS, safe_text
from .xlsx import money_number_format

if TYPE_CHECKING:
    from ...analysis.official_list import OfficialList

__all__ = [
    "MANAGER_DIR",
    "MASTER_FILE",
    "TABLE_NAME",
    "SHEETS",
    "COLUMNS",
    "CATEGORIES",
    "master_rows",
    "seller_summary",
    "write_master_workbook",
]

#: the run folder's subfolder for the sales manager's files
MANAGER_DIR = "manager"
MASTER_FILE = "master_list.xlsx"
TABLE_NAME = "MasterList"
SHEETS: tuple[str, ...] = ("All clients", "By seller")
#: every category, in the table's order; each client is in exactly one
CATEGORIES: tuple[str, ...] = ("KEY", "SECONDARY", "NON-SPENDING", "LAPSED", "TARGET", "EXTRA", "LEAD")
#: the table's columns; the review's column only when the list carries it
COLUMNS: tuple[str, ...] = (
    "Client", "Seller", "Category", "12-month billing", "Share of seller's billing",
    "Rank in seller's list", "Rank in client base", "Flag", "Flag detail", "Last invoice",
    "Category at the review", "Notes",
)
REVIEW_COLUMN = "Category at the review"
NO_SELLER = "(no seller)"
_PROSPECTS = ("TARGET", "EXTRA", "LEAD")
_SPENDING = ("KEY", "SECONDARY")
_PAPER = {"a4": 9, "letter": 1}  # xlsxwriter set_paper codes
#: long texts wrap in narrow columns, so the printed page (one page wide) stays readable
_WRAPPED = ("Flag detail", "Notes")
_REVIEW_WORDS = {"NEW": "not listed", "DORMANT": "NON-SPENDING", "DROPPED": "dropped"}
#: master_rows' columns
_ROW_COLUMNS = ("client", "seller", "category", "billing", "share", "seller_rank", "rank", "flag",
                "flag_detail", "last_invoice", "category_then", "notes")


def _canon(name: str) -> str:
    from ...analysis.names import canonical_name

    return canonical_name(name) or name.strip().casefold()


def _date(value: Any) -> dt.date | None:
    if is_missing(value):
        return None
    return pd.Timestamp(value).date()


def _then(value: Any) -> str:
    text = cell_text(value)
    return _REVIEW_WORDS.get(text, text)


def master_rows(official: OfficialList) -> pd.DataFrame:
    """One row per client and prospect of ``official``, each in one category (see the module
    docstring); pure. Columns: ``client``, ``seller`` (:data:`NO_SELLER` when none),
    ``category``, ``billing`` (int micros; 0 for a prospect), ``share`` (of the seller's
    billing, KEY and SECONDARY only, else NaN), ``seller_rank`` (place in the seller's list,
    KEY then SECONDARY by billing), ``rank`` (in the whole client base), ``flag``,
    ``flag_detail``, ``last_invoice`` (date or None), ``category_then`` (the review's, in
    plain words; empty without one), ``notes``. Ordered by seller (the list's order), then
    category, then billing, largest first."""
    accounts, lapsed, prospects = official.accounts, official.lapsed, official.prospects
    sa = official.seller_accounts
    share = dict(zip(sa["client_key"].astype(str), sa["share_of_seller"], strict=True)) if len(sa) else {}
    place = (sa.groupby("seller", sort=False).cumcount() + 1) if len(sa) else pd.Series(dtype="int64")
    seller_rank = dict(zip(sa["client_key"].astype(str), place, strict=True)) if len(sa) else {}
    flags = official.flags
    flag = {str(k): (str(f), str(d)) for k, f, d in zip(flags["client_key"], flags["flag"], flags["detail"],
                                                          strict=True) if str(k)}
    monthly = official.monthly
    dates = getattr(monthly, "dates", None)
    last_billed: dict[str, Any] = {}
    if dates is not None and len(dates) and "last_billed" in dates.columns:
        last_billed = {str(k): v for k, v in dates["last_billed"].items()}
    lapsed_rows = {} if lapsed is None else {
        str(rec.get("client_key", "") or "") or _canon(str(rec["client"])): rec
        for rec in records(lapsed)}

    rows: list[dict[str, Any]] = []
    by_name: dict[str, int] = {}  # canonical name -> row, to find a prospect's client

    def add(row: dict[str, Any]) -> None:
        by_name.setdefault(_canon(str(row["client"])), len(rows))
        rows.append(row)

    used_lapsed: set[str] = set()
    for rec in (records(accounts) if len(accounts) else []):
        key = str(rec.get("client_key", "") or "")
        tier = str(rec["tier"])
        seller = cell_text(rec.get("owner"))
        last = last_billed.get(key)
        notes = ""
        gone = lapsed_rows.get(key) or lapsed_rows.get(_canon(str(rec["client"])))
        if tier not in _SPENDING and gone is not None:
            tier = "LAPSED"
            seller = cell_text(gone.get("last_seller")) or seller
            last = gone.get("last_billed", last)
            used_lapsed.add(str(gone.get("client_key", "") or "") or _canon(str(gone["client"])))
        elif tier not in _SPENDING:
            notes = "No net billing in the 12 months (credits and charges net to 0 or less)."
        f, d = flag.get(key, ("", ""))
        rows_rank: Any = rec.get("rank")
        add({
            "client": cell_text(rec["client"]), "seller": seller, "category": tier,
            "billing": int(rec["billing"]), "share": share.get(key, np.nan) if tier in _SPENDING else np.nan,
            "seller_rank": seller_rank.get(key) if tier in _SPENDING else None,
            "rank": None if is_missing(rows_rank) else int(rows_rank),
            "flag": f, "flag_detail": d, "last_invoice": _date(last),
            "category_then": _then(rec.get("category_then", "")), "notes": notes,
        })
    for ident, rec in lapsed_rows.items():
        if ident in used_lapsed:
            continue
        key = str(rec.get("client_key", "") or "")
        f, d = flag.get(key, ("lapsed", ""))
        add({
            "client": cell_text(rec["client"]), "seller": cell_text(rec.get("last_seller")), "category": "LAPSED",
            "billing": 0, "share": np.nan, "seller_rank": None, "rank": None, "flag": f, "flag_detail": d,
            "last_invoice": _date(rec.get("last_billed")), "category_then": _then(rec.get("category_then", "")),
            "notes": "",
        })

    if prospects is not None and len(prospects):
        order = {c: i for i, c in enumerate(_PROSPECTS)}
        ranked = prospects[prospects["category"].isin(_PROSPECTS)]
        ranked = ranked.assign(_c=ranked["category"].map(order)).sort_values("_c", kind="stable")
        for rec in records(ranked):
            name, category, seller = cell_text(rec["prospect"]), str(rec["category"]), cell_text(rec["seller"])
            if not name:
                continue
            at = by_name.get(_canon(name))
            if at is not None:
                row = rows[at]
                if row["category"] in _SPENDING:
                    row["notes"] = _join(row["notes"], f"Also on {seller or 'no seller'}'s prospect list as "
                                                       f"{category} ('{name}'): {'an' if category == 'EXTRA' else 'a'} {category} must be "
                                                       "new business.")
                    continue
                if row["category"] in _PROSPECTS:  # the same prospect twice: listed once
                    row["notes"] = _join(row["notes"], f"Also on {seller or 'no seller'}'s list as {category}.")
                    continue
                was = row["category"]  # a client that does not spend, pursued again
                row.update(category=category, seller=seller, notes=_join(
                    f"{was} client: a seller lists it as {category}.", _prospect_note(rec)),
                    category_then=row["category_then"] or _then(rec.get("category_then", "")))
                continue
            add({
                "client": name, "seller": seller, "category": category, "billing": 0, "share": np.nan,
                "seller_rank": None, "rank": None, "flag": "", "flag_detail": "", "last_invoice": None,
                "category_then": _then(rec.get("category_then", "")), "notes": _prospect_note(rec),
            })

    table = pd.DataFrame(rows, columns=list(_ROW_COLUMNS))
    table["seller"] = table["seller"].where(table["seller"] != "", NO_SELLER)
    seller_order = {s: i for i, s in enumerate(official.sellers)}
    cat_order = {c: i for i, c in enumerate(CATEGORIES)}
    table = table.assign(
        _s=table["seller"].map(lambda s: seller_order.get(s, len(seller_order))),
        _n=table["seller"].str.casefold(),
        _c=table["category"].map(cat_order),
        _b=-table["billing"].astype("int64"),
        _k=table["client"].str.casefold(),
    ).sort_values(["_s", "_n", "_c", "_b", "_k"], kind="stable").drop(columns=["_s", "_n", "_c", "_b", "_k"])
    table = table.astype({"billing": "int64"}).reset_index(drop=True)
    table["seller_rank"] = table["seller_rank"].astype("Int64")
    table["rank"] = table["rank"].astype("Int64")
    table["share"] = table["share"].astype(float)
    return table


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _prospect_note(rec: Mapping[str, Any]) -> str:
    parts = []
    fit = rec.get("fit_score")
    if fit is not None and not is_missing(fit):
        parts.append(f"Fit score {float(fit):.1f}.")
    notes = cell_text(rec.get("notes"))
    if notes:
        parts.append(notes if notes.endswith(".") else notes + ".")
    issues = cell_text(rec.get("issues"))
    if issues:
        parts.append(f"Check: {issues}.")
    return " ".join(parts)


def seller_summary(rows: pd.DataFrame, sellers: Sequence[str] = ()) -> pd.DataFrame:
    """Per seller (``sellers`` first, in order, then any other of ``rows``): ``n_<CATEGORY>``
    for every category, ``billing_KEY``, ``billing_SECONDARY`` and ``billing`` (KEY +
    SECONDARY, exact micros). Pure."""
    names = list(dict.fromkeys([*sellers, *rows["seller"]]))
    names = [s for s in names if (rows["seller"] == s).any()]
    out = []
    for seller in names:
        mine = rows[rows["seller"] == seller]
        rec: dict[str, Any] = {"seller": seller}
        for cat in CATEGORIES:
            rec[f"n_{cat}"] = int((mine["category"] == cat).sum())
        for cat in _SPENDING:
            rec[f"billing_{cat}"] = int(mine.loc[mine["category"] == cat, "billing"].sum())
        rec["billing"] = rec["billing_KEY"] + rec["billing_SECONDARY"]
        out.append(rec)
    columns = ["seller", *(f"n_{c}" for c in CATEGORIES), "billing_KEY", "billing_SECONDARY", "billing"]
    return pd.DataFrame(out, columns=columns)


# ---------------------------------------------------------------------------- writing


def _col(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(index))


def _float(micros: int) -> float:
    return float(to_decimal(int(micros)))


def _header_text(text: str) -> str:
    """Text for an Excel page header/footer: ``&`` doubled (it starts a code there)."""
    return text.replace("&", "&&")


def _print_setup(ws: Any, official: OfficialList, header_row: int, title: str) -> None:
    ws.set_landscape()
    ws.set_paper(_PAPER.get(str(official.branding.page_size).lower(), 9))
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header(f"&L&8{_header_text(official.client)}&R&8{_header_text(title)}")
    ws.set_footer(f"&L&8List as of {day_text(official.as_of)}&R&8Page &P of &N")


class _Widths:
    def __init__(self) -> None:
        self.widths: dict[int, int] = {}

    def fit(self, col: int, text: str) -> None:
        self.widths[col] = max(self.widths.get(col, 0), len(text))

    def apply(self, ws: Any, minimum: int = 8, maximum: int = 48, fixed: dict[int, int] | None = None) -> None:
        fixed = fixed or {}
        for col in sorted(set(self.widths) | set(fixed)):
            ws.set_column(col, col, fixed.get(col, min(max(self.widths.get(col, 0) + 2, minimum), maximum)))


def write_master_workbook(official: OfficialList, path: Path | str) -> Path:
    """Write the master list of ``official`` (sheets :data:`SHEETS`) to ``path``; return the
    path. Written to a temporary name, then renamed."""
    import xlsxwriter

    path = Path(path)
    rows = master_rows(official)
    currency = official.currency
    with_review = any(
        frame is not None and "category_then" in frame.columns
        for frame in (official.accounts, official.prospects, official.lapsed))
    columns = [c for c in COLUMNS if with_review or c != REVIEW_COLUMN]
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({"title": f"Master list - {official.client}", "subject": "ALMS master list",
                           "comments": "One row per client; the table MasterList feeds pivot tables."})
        fmt = _formats(wb, currency, official.branding.accent_color)
        first, last = _write_clients(wb.add_worksheet(SHEETS[0]), official, rows, columns, fmt)
        _write_sellers(wb.add_worksheet(SHEETS[1]), official, rows, columns, fmt, first, last)
        wb.close()
    return path


def _formats(wb: Any, currency: str, accent: Any) -> dict[str, Any]:
    import re

    colour = str(accent) if re.fullmatch(r"#[0-9a-fA-F]{6}", str(accent or "")) else "#1f4e79"
    money = money_number_format(currency)
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "font_color": colour}),
        "subtitle": wb.add_format({"font_color": "#555555"}),
        "text": wb.add_format({"valign": "top"}),
        "wrap": wb.add_format({"valign": "top", "text_wrap": True}),
        "money": wb.add_format({"num_format": money, "valign": "top"}),
        "share": wb.add_format({"num_format": "0.0%", "valign": "top"}),
        "int": wb.add_format({"num_format": "0", "valign": "top"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd", "align": "left", "valign": "top"}),
        "header": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": colour, "text_wrap": True,
                                 "valign": "bottom", "border": 1, "border_color": colour}),
        "total": wb.add_format({"bold": True, "top": 1}),
        "total_money": wb.add_format({"bold": True, "top": 1, "num_format": money}),
        "total_int": wb.add_format({"bold": True, "top": 1, "num_format": "0"}),
        "total_share": wb.add_format({"bold": True, "top": 1, "num_format": "0.0%"}),
        "count": wb.add_format({"num_format": "#,##0"}),
    }


def _title(ws: Any, official: OfficialList, title: str, fmt: dict[str, Any]) -> None:
    cut = format_money(official.cutoff, official.currency)
    ws.write_string(0, 0, safe_text(f"{title} - {official.client}"), fmt["title"])
    ws.write_string(1, 0, safe_text(
        f"List as of {day_text(official.as_of)} - KEY cut-off {cut} (the same for every seller) - "
        f"next review {day_text(official.review_date)}"), fmt["subtitle"])


_HEADER_ROW = 3


def _lines(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide (words kept whole)."""
    if not text:
        return 1
    lines, used = 1, 0
    room = max(int(width * 1.2), 8)  # characters of an average text font per width unit
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _write_clients(ws: Any, official: OfficialList, rows: pd.DataFrame, columns: list[str],
                   fmt: dict[str, Any]) -> tuple[int, int]:
    """The table; returns its first and last data rows (0-based)."""
    _title(ws, official, "Master list", fmt)
    ws.write_string(2, 0, "One row per client and prospect, each in one category. Use the filter buttons, "
                          "or Insert > PivotTable on the table 'MasterList'.", fmt["subtitle"])
    widths = _Widths()
    first = _HEADER_ROW + 1
    n = max(len(rows), 1)  # a table needs a data row; an empty list shows one blank row
    last = first + n - 1
    col = {c: i for i, c in enumerate(columns)}
    for r, rec in enumerate(records(rows)):
        row = first + r

        def text(name: str, value: Any, row: int = row) -> None:
            s = safe_text(value)
            if s:
                ws.write_string(row, col[name], s, fmt["wrap"] if name in _WRAPPED else fmt["text"])
                widths.fit(col[name], s)

        text("Client", rec["client"])
        text("Seller", rec["seller"])
        text("Category", rec["category"])
        ws.write_number(row, col["12-month billing"], _float(rec["billing"]), fmt["money"])
        widths.fit(col["12-month billing"], format_money(int(rec["billing"]), official.currency))
        if not is_missing(rec["share"]):
            ws.write_number(row, col["Share of seller's billing"], float(rec["share"]), fmt["share"])
        for name, key in (("Rank in seller's list", "seller_rank"), ("Rank in client base", "rank")):
            if not is_missing(rec[key]):
                ws.write_number(row, col[name], int(rec[key]), fmt["int"])
        text("Flag", rec["flag"])
        text("Flag detail", rec["flag_detail"])
        if rec["last_invoice"] is not None:
            ws.write_datetime(row, col["Last invoice"], dt.datetime.combine(rec["last_invoice"], dt.time()), fmt["date"])
        if REVIEW_COLUMN in col:
            text(REVIEW_COLUMN, rec["category_then"])
        text("Notes", rec["notes"])
    spec = [{"header": name, "header_format": fmt["header"]} for name in columns]
    ws.add_table(_HEADER_ROW, 0, last, len(columns) - 1, {
        "name": TABLE_NAME, "columns": spec, "style": "Table Style Medium 2", "autofilter": True,
    })
    # the total under the table, outside it (a pivot table reads the table alone): SUBTOTAL
    # of plain ranges, so it follows the filter in every spreadsheet program
    total = int(rows["billing"].sum()) if len(rows) else 0
    foot = last + 2
    seller_col, bill_col = _col(col["Seller"]), _col(col["12-month billing"])
    ws.write_string(foot, col["Client"], "Total of the rows shown", fmt["total"])
    ws.write_formula(foot, col["Seller"], f"=SUBTOTAL(103,{seller_col}{first + 1}:{seller_col}{last + 1})",
                     fmt["total_int"], len(rows))
    ws.write_formula(foot, col["12-month billing"], f"=SUBTOTAL(109,{bill_col}{first + 1}:{bill_col}{last + 1})",
                     fmt["total_money"], _float(total))
    ws.write_string(foot + 1, col["Client"], "Seller: the number of rows; 12-month billing: their sum (net: a "
                    "NON-SPENDING client's credits count).", fmt["subtitle"])
    ws.set_row(_HEADER_ROW, 30)
    for name in columns:
        widths.fit(col[name], name if len(name) < 14 else name[: len(name) // 2 + 2])
    wrapped = {name: min(max(widths.widths.get(col[name], 0) + 2, 12), 40 if name == "Flag detail" else 32)
               for name in _WRAPPED}
    widths.apply(ws, fixed={col["Share of seller's billing"]: 11, col["Rank in seller's list"]: 10,
                            col["Rank in client base"]: 10, col["Last invoice"]: 12,
                            **{col[name]: width for name, width in wrapped.items()}})
    # a spreadsheet does not always grow a row for its wrapped text: the height is set
    for r, rec in enumerate(records(rows)):
        lines = max(_lines(str(rec["flag_detail"]), wrapped["Flag detail"]),
                    _lines(str(rec["notes"]), wrapped["Notes"]))
        if lines > 1:
            ws.set_row(first + r, 15 * lines)
    ws.freeze_panes(_HEADER_ROW + 1, 1)
    _print_setup(ws, official, _HEADER_ROW, f"Master list as of {day_text(official.as_of)}")
    return first, last


def _write_sellers(ws: Any, official: OfficialList, rows: pd.DataFrame, columns: list[str],
                   fmt: dict[str, Any], first: int, last: int) -> None:
    """Per seller: counts and billing per category, live formulas over the table's columns."""
    _title(ws, official, "Per seller", fmt)
    ws.write_string(2, 0, "Counts and 12-month billing per category, from the sheet 'All clients' "
                          "(formulas: they follow any change made there).", fmt["subtitle"])
    summary = seller_summary(rows, official.sellers)
    col = {c: i for i, c in enumerate(columns)}
    sheet = f"'{SHEETS[0]}'!"

    def rng(name: str) -> str:
        c = _col(col[name])
        return f"{sheet}${c}${first + 1}:${c}${last + 1}"

    seller_rng, cat_rng, bill_rng = rng("Seller"), rng("Category"), rng("12-month billing")
    layout: list[tuple[str, str, str | None]] = [("Seller", "seller", None)]
    for cat in CATEGORIES:
        layout.append((f"{cat} (count)", f"n_{cat}", cat))
        if cat in _SPENDING:
            layout.append((f"{cat} billing", f"billing_{cat}", cat))
    layout += [("12-month billing (KEY + SECONDARY)", "billing", None), ("Share of all billing", "share", None)]
    widths = _Widths()
    for c, (head, _, _) in enumerate(layout):
        ws.write_string(_HEADER_ROW, c, head, fmt["header"])
    ws.set_row(_HEADER_ROW, 30)
    grand = int(summary["billing"].sum()) if len(summary) else 0
    top = _HEADER_ROW + 1
    bottom = top + len(summary)  # the total row
    at = {key: i for i, (_, key, _) in enumerate(layout)}
    bill_col = _col(at["billing"])
    for r, rec in enumerate(records(summary)):
        row = top + r
        crit = f"$A{row + 1}"
        for c, (_head, key, category) in enumerate(layout):
            if key == "seller":
                ws.write_string(row, c, safe_text(rec["seller"]), fmt["text"])
                widths.fit(c, str(rec["seller"]))
            elif key.startswith("n_"):
                ws.write_formula(row, c, f'=COUNTIFS({seller_rng},{crit},{cat_rng},"{category}")', fmt["count"],
                                 int(rec[key]))
            elif key.startswith("billing_"):
                ws.write_formula(row, c, f'=SUMIFS({bill_rng},{seller_rng},{crit},{cat_rng},"{category}")',
                                 fmt["money"], _float(rec[key]))
                widths.fit(c, format_money(int(rec[key]), official.currency))
            elif key == "billing":
                k, s = _col(at["billing_KEY"]), _col(at["billing_SECONDARY"])
                ws.write_formula(row, c, f"={k}{row + 1}+{s}{row + 1}", fmt["money"], _float(rec["billing"]))
                widths.fit(c, format_money(int(rec["billing"]), official.currency))
            elif key == "share":
                share = float(rec["billing"]) / grand if grand else 0.0
                ws.write_formula(row, c, f"=IF(${bill_col}${bottom + 1}=0,0,{bill_col}{row + 1}/${bill_col}${bottom + 1})",
                                 fmt["share"], share)
    # the total row: SUM of each column above (exact cached values from the micros)
    ws.write_string(bottom, 0, "Total", fmt["total"])
    for c, (_head, key, _cat) in enumerate(layout[1:], start=1):
        letter = _col(c)
        formula = f"=SUM({letter}{top + 1}:{letter}{bottom})"
        if key.startswith("n_"):
            ws.write_formula(bottom, c, formula, fmt["total_int"], int(summary[key].sum()) if len(summary) else 0)
        elif key == "share":
            ws.write_formula(bottom, c, formula, fmt["total_share"], 1.0 if grand else 0.0)
        else:
            value = int(summary[key].sum()) if len(summary) else 0
            ws.write_formula(bottom, c, formula, fmt["total_money"], _float(value))
            widths.fit(c, format_money(value, official.currency))
    ws.write_string(bottom + 2, 0, safe_text(
        f"The 12-month billing of the spending clients: {format_money(grand, official.currency)}, "
        "the official list's total."), fmt["subtitle"])
    fixed = {c: 11 for c, (_, key, _) in enumerate(layout) if key.startswith("n_") or key == "share"}
    widths.apply(ws, minimum=12, fixed=fixed)
    ws.freeze_panes(_HEADER_ROW + 1, 1)
    _print_setup(ws, official, _HEADER_ROW, f"Master list per seller as of {day_text(official.as_of)}")
