"""Printable per-seller PDF: the seller's action pack.

One PDF per seller, laid out by Typst (the ``typst`` package, in this process) from
``templates/seller/seller.typ`` in the report's visual language (accent colour from
client.yml, money in the client's currency, the shipped "ALMS Sans" faces only: no system
font, none of Typst's own, so a pack looks the same on every machine). The pack's content is
:func:`seller_context`, a pure function giving plain JSON data with every amount, date and
percentage already written out; the template reads it from its one input (``sys.inputs``,
a JSON text decoded with ``json(bytes(...))``) and only lays it out.

Pages: the one-page focus sheet ("Act first", :mod:`.seller_focus`: the largest KEY accounts,
KEY accounts at risk, SECONDARY accounts with growth potential, best-fit targets and extras,
lapsed clients to win back, the seller's concentration; each block points to the page
holding the rest), then the official list (KEY then SECONDARY, flags marked, the total
once under its last rows; the first and last rows of a long list stay together so no page
holds one or two of them alone), targets, extras, leads, the flagged accounts with the
figures behind each flag, and the landscape revenue projection form: the KEY block and the
TARGET block, each over two pages (months 1-6 with Q1 and Q2; months 7-12 with Q3, Q4, the
year and the growth or the weighted total), boxes to write in, last year's same month in
grey under each KEY account, a probability box per target, and the seller's year against
the goal (last year's KEY billing + :data:`~.xlsx.GROWTH_GOAL`). Every page has the seller
and client in its header and "Page n of N" in its footer.

Client text is never Typst markup: it reaches the template as JSON strings, which Typst
prints as text, so a name like ``#set page(fill: red)``, ``*bold*`` or ``<img src=...>``
prints as written (the template evaluates nothing it is given).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...analysis.periods import span_label
from ...atomic import write_bytes
from ...cell_values import cell_text, is_missing
from ...count_words import agree
from ...date_text import day_text
from ...errors import ReportError
from ...money import format_money
from .page_templates import pack_template_dir
from .seller_focus import FocusCell, seller_focus
from .typst_faces import typst_fonts
from .xlsx import (
    FLAG_TEXT,
    GROWTH_GOAL,
    SPARE_TARGET_ROWS,
    goal_of,
    projection_form,
    seller_file_stems,
    write_seller_workbooks,
)

if TYPE_CHECKING:

    from ...analysis.official_list import OfficialList

__all__ = [
    "template_dir",
    "seller_context",
    "seller_pdf_bytes",
    "write_seller_pdf",
    "write_seller_pdfs",
    "write_seller_files",
]

TEMPLATE_NAME = "seller"
TEMPLATE_FILE = "seller.typ"
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_DEFAULT_ACCENT = "#1f4e79"
#: accounts printed in the official list before the PDF points to the workbook, which lists
#: them all: about 13 pages. Typst lays out about 1,000 list rows a second (measured: a seller
#: with 2,000 accounts, 0.4 s of CPU for the whole pack at 200 rows, 0.6 s at 500, 1.2 s at
#: 1,000, 2.4 s at 2,000); 500 keeps such a pack near half a second, so a large client's
#: sellers (issue 16: a 50,000-client audit in a minute) do not spend it on pages nobody
#: reads (WeasyPrint, before: 200 rows, 3.9 s)
MAX_ROWS = 500
#: flagged accounts printed with the figures behind each (the largest; the workbook's Flagged
#: sheet lists them all): each takes two to four lines
MAX_FLAGS = 50
#: KEY accounts on the printed projection form, a form filled in by hand (the largest; the
#: workbook's Projection sheet has them all): each takes two rows on four landscape pages
MAX_FORM_KEY = 60
#: the last rows of a long list printed together, so no page holds only one or two of them
_TAIL = 3


def template_dir() -> Path:
    """``templates/seller``: next to the report template (source tree or shipped copy)."""
    return pack_template_dir(TEMPLATE_NAME)




def _score(value: Any) -> str:
    if is_missing(value):
        return ""
    number = float(value)
    return f"{number:.1f}" if math.isfinite(number) else ""


def _int(value: Any) -> str:
    if is_missing(value):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


#: the focus cells holding a figure (aligned right, never wrapped)
_FIGURES = frozenset({"money", "share", "score", "int", "date"})


def _focus_cell(cell: FocusCell, currency: str) -> dict[str, str]:
    """A focus-sheet cell as the template prints it: its ``text`` and its ``kind`` (how it is set)."""
    value = cell.value
    if cell.kind == "money":
        text = "" if value is None else format_money(int(value), currency)
    elif cell.kind == "share":
        text = "" if is_missing(value) else f"{float(value):.1%}"
    elif cell.kind == "score":
        text = "" if is_missing(value) else f"{float(value):.2f}"
    elif cell.kind == "int":
        text = _int(value)
    elif cell.kind == "date":
        text = "" if value is None else day_text(value)
    else:
        text = cell_text(value)
    return {"text": text, "kind": cell.kind}


def _focus(official: OfficialList, seller: str) -> dict[str, Any]:
    focus = seller_focus(official, seller)
    currency = official.currency
    blocks = {
        b.key: {
            "key": b.key, "title": b.title, "headers": list(b.headers), "total": f"{b.total:,}", "more": b.more, "more_text": f"{b.more:,}",
            "where": b.where, "anchor": b.anchor, "empty": b.empty,
            # a column of figures is aligned right, its heading too
            "num": [bool(b.rows) and b.rows[0][i].kind in _FIGURES for i in range(len(b.headers))],
            "rows": [[_focus_cell(c, currency) for c in cells] for cells in b.rows],
        }
        for b in focus.blocks
    }
    return {
        "blocks": blocks, "concentration": focus.concentration, "top_n": f"{focus.top_n:,}",
        "top_label": focus.top_label, "lead": focus.lead,
        "top_share": "" if focus.top_share is None else f"{focus.top_share:.0%}",
        "key_share": "" if focus.key_share is None else f"{focus.key_share:.0%}",
        "n_targets": f"{focus.n_targets:,}", "n_extras": f"{focus.n_extras:,}",
    }


def _units(micros: int) -> str:
    return format_money(micros, "", cents=False)


def _form_context(official: OfficialList, seller: str, cap: int) -> dict[str, Any]:
    """The projection form's pages: the KEY block and the TARGET block, each printed in
    two halves (months 1-6 with Q1 and Q2; months 7-12 with Q3, Q4 and the year), then the
    seller's year against the goal."""
    form = projection_form(
        seller=seller, seller_accounts=official.seller_accounts, prospects=official.prospects,
        monthly=official.monthly, already_clients=official.already_clients(),
    )
    key_rows = list(form.key_rows)
    shown = key_rows[:cap]
    months = [{"short": m.heading[0], "year": m.heading[1], "long": m.label} for m in form.months]

    def quarter_values(values: tuple[int, ...] | list[int]) -> list[int]:
        return [sum(int(v) for v in values[3 * q: 3 * q + 3]) for q in range(len(form.months) // 3)]

    def cells(values: tuple[int, ...] | list[int] | None) -> list[list[str]] | None:
        """Per half: the three months and the quarter, twice (amounts in whole units, "-" for 0)."""
        if values is None:
            return None
        quarters = quarter_values(values)
        out: list[list[str]] = []
        for half in (0, 1):
            row: list[str] = []
            for q in (2 * half, 2 * half + 1):
                row += [_units(int(v)) if v else "-" for v in values[3 * q: 3 * q + 3]]
                row.append(_units(quarters[q]) if quarters[q] else "-")
            out.append(row)
        return out

    by_month = [0] * len(form.months)
    for r in shown:
        for i, v in enumerate(r.baseline or ()):
            by_month[i] += int(v)
    baseline_total = sum(by_month)
    billing_shown = sum(int(r.billing or 0) for r in shown)
    quarters = [
        {"label": f"Q{q + 1}", "span": span_label(form.months[3 * q].start, form.months[3 * q + 2].last)}
        for q in range(len(form.months) // 3)
    ]
    halves = [
        {"months": [months[i] for i in range(6 * h, 6 * h + 6)], "quarters": quarters[2 * h: 2 * h + 2],
         "span": official.monthly.periods.span(12 + 6 * h, 17 + 6 * h), "n": h + 1}
        for h in (0, 1)
    ]
    last_year_quarters = quarter_values(by_month)
    return {
        "form_span": official.monthly.periods.span(12, 23),
        "start": form.start,
        "month_note": "" if form.months[0].is_calendar_month else (
            f"each month is counted from the audit date: {form.months[0].label}, {form.months[1].label}, ..."
        ),
        "halves": halves,
        "quarters": quarters,
        "key_rows": [
            {"client": r.client, "billing": _units(int(r.billing or 0)), "baseline": cells(r.baseline),
             "baseline_total": "" if r.baseline is None else (_units(sum(r.baseline)) if any(r.baseline) else "-")}
            for r in shown
        ],
        "target_rows": [{"client": r.client} for r in form.target_rows],
        "set_aside": [a.sentence(seller) for a in form.set_aside],
        "spare_rows": SPARE_TARGET_ROWS,
        "has_baseline": form.has_baseline,
        "dated": form.dated,
        "key_billing": _units(billing_shown),
        "baseline_cells": cells(by_month) if form.has_baseline else None,
        "baseline_total": _units(baseline_total),
        "growth_goal": f"{GROWTH_GOAL:.0%}",
        "goal_quarters": [_units(goal_of(v)) for v in last_year_quarters] if form.has_baseline else None,
        "last_year_quarters": [_units(v) for v in last_year_quarters] if form.has_baseline else None,
        "goal_total": _units(goal_of(baseline_total if form.has_baseline else billing_shown)),
        "last_year_total": _units(baseline_total if form.has_baseline else billing_shown),
        "n_form_key": len(key_rows),
        "n_form_key_shown": len(shown),
        "n_form_key_text": f"{len(key_rows):,}",
        "n_form_key_shown_text": f"{len(shown):,}",
    }


def seller_context(official: OfficialList, seller: str, *, max_rows: int | None = MAX_ROWS) -> dict[str, Any]:
    """``seller``'s pack as plain data (JSON-serialisable: text, numbers, booleans, lists and
    dicts; every amount, date and percentage already written out): the one-page focus sheet,
    the official list, the prospects, the flagged accounts and the projection form (pure: same
    inputs, same value). :func:`write_seller_pdf` hands it to ``seller.typ``.

    ``max_rows`` caps the official list, and with it the flagged accounts (at most
    :data:`MAX_FLAGS`) and the form's KEY rows (at most :data:`MAX_FORM_KEY`), largest
    billing first; ``None``: nothing is capped. A capped page says how many it shows and
    that the workbook has them all.
    """
    seller_accounts, prospects = official.seller_accounts, official.prospects
    currency, accent_color = official.currency, official.branding.accent_color
    accent = accent_color if _HEX.fullmatch(str(accent_color or "")) else _DEFAULT_ACCENT
    mine = seller_accounts[seller_accounts["seller"] == seller]
    key = mine[mine["tier"] == "KEY"]
    sec = mine[mine["tier"] == "SECONDARY"]
    cap = len(mine) if max_rows is None else max(int(max_rows), 1)
    form_cap = len(mine) if max_rows is None else min(cap, MAX_FORM_KEY)
    flagged = official.flags_of(seller)
    flag_cap = len(flagged) if max_rows is None else min(cap, MAX_FLAGS)
    flag_of = {k: f for k, f in zip(flagged["client_key"], flagged["flag"], strict=True) if f != "lapsed"}
    listed = pd.concat([key, sec])
    listed_rows: list[dict[str, Any]] = []
    for i, rec in enumerate(listed.head(cap).itertuples(index=False)):
        listed_rows.append(
            {
                "rank": _int(rec.rank),
                "client": str(rec.client),
                "tier": str(rec.tier),
                "billing": format_money(int(rec.billing), currency),
                "share": "" if is_missing(rec.share_of_seller) else f"{float(rec.share_of_seller):.1%}",
                "first_secondary": i == len(key) and len(key) > 0,
                "flag": flag_of.get(str(rec.client_key), ""),
            }
        )
    prospects = prospects if prospects is not None else pd.DataFrame(columns=["seller", "category"])

    def block(category: str) -> list[dict[str, str]]:
        rows = prospects[(prospects["seller"] == seller) & (prospects["category"] == category)]
        return [
            {
                "prospect": cell_text(getattr(r, "prospect", "")),
                "spending_potential": _int(getattr(r, "spending_potential", None)),
                "decision_maker_access": _int(getattr(r, "decision_maker_access", None)),
                "product_fit": _int(getattr(r, "product_fit", None)),
                "fit_score": _score(getattr(r, "fit_score", None)),
                "notes": cell_text(getattr(r, "notes", None)),
                "issues": cell_text(getattr(r, "issues", None)),
            }
            for r in rows.itertuples(index=False)
        ]

    leads = block("LEAD")
    prospect_blocks = [
        {"anchor": "targets", "title": "Targets", "rows": block("TARGET"),
         "empty": "No targets chosen yet: pick 5 to 10 non-spending prospects with the three filters "
                  "(spending potential, access to the decision maker, product fit)."},
        {"anchor": "extras", "title": "Extras (targets in waiting)", "rows": block("EXTRA"),
         "empty": "No extras chosen yet."},
    ]
    if leads:
        prospect_blocks.append({"anchor": "leads", "title": "Leads (being vetted)", "rows": leads, "empty": ""})

    billing_key = sum(int(v) for v in key["billing"])
    billing_sec = sum(int(v) for v in sec["billing"])
    flag_rows = [
        {"what": FLAG_TEXT.get(r.flag, r.flag), "client": str(r.client),
         "billing": format_money(int(r.billing), currency), "detail": str(r.detail)}
        for r in flagged.head(flag_cap).itertuples(index=False)
    ]
    return {
        "accent": accent,
        "letter": str(official.branding.page_size).lower() == "letter",
        "seller": str(seller),
        "client": str(official.client),
        "as_of": day_text(official.as_of),
        "review": day_text(official.review_date),
        "cutoff": format_money(official.cutoff, currency),
        "currency_label": currency.strip() or "the client's currency",
        "n_key": f"{len(key):,}",
        "n_secondary": f"{len(sec):,}",
        "billing_key": format_money(billing_key, currency),
        "billing_secondary": format_money(billing_sec, currency),
        "billing_total": format_money(billing_key + billing_sec, currency),
        "official": listed_rows,
        "n_listed": f"{len(listed):,}",
        "accounts_word": agree(len(listed), "account", "accounts"),
        "n_listed_shown": f"{len(listed_rows):,}",
        "listed_capped": len(listed_rows) < len(listed),
        "tail": _TAIL,
        "prospect_blocks": prospect_blocks,
        "flag_rows": flag_rows,
        "n_flags": f"{len(flagged):,}",
        "n_flag_rows": f"{len(flag_rows):,}",
        "flags_capped": len(flag_rows) < len(flagged),
        "focus": _focus(official, seller),
        "form": _form_context(official, seller, form_cap),
    }


def seller_pdf_bytes(official: OfficialList, seller: str, *, max_rows: int | None = MAX_ROWS) -> bytes:
    """``seller``'s pack as PDF bytes: ``seller.typ`` compiled by Typst with
    :func:`seller_context` as its one input (a JSON text, read by the template with
    ``json(bytes(...))`` and printed as text: no client value is ever Typst markup)."""
    import typst

    context = json.dumps(seller_context(official, seller, max_rows=max_rows), ensure_ascii=False)
    folder = template_dir()
    try:
        pdf = typst.compile(str(folder / TEMPLATE_FILE), root=str(folder), font_paths=typst_fonts(),
                            sys_inputs={"data": context})
    except typst.TypstError as exc:
        raise ReportError(f"{folder / TEMPLATE_FILE}: the seller's pack could not be laid out ({exc.message})") from exc
    return bytes(pdf)


def write_seller_pdf(official: OfficialList, seller: str, path: Path | str, *,
                     max_rows: int | None = MAX_ROWS) -> Path:
    """Write :func:`seller_pdf_bytes` to a PDF at ``path`` (atomically)."""
    return write_bytes(Path(path), seller_pdf_bytes(official, seller, max_rows=max_rows))


def write_seller_pdfs(official: OfficialList, out_dir: Path | str) -> list[Path]:
    """One printable PDF per seller of the official list, in ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [write_seller_pdf(official, seller, out / f"{stem}.pdf")
            for seller, stem in seller_file_stems(official.sellers).items()]


def write_seller_files(official: OfficialList, out_dir: Path | str, *, pdf: bool = True) -> list[Path]:
    """Every seller's workbook (and, with ``pdf``, printable PDF) in ``out_dir``."""
    paths = write_seller_workbooks(official, out_dir)
    if pdf:
        paths += write_seller_pdfs(official, out_dir)
    return paths
