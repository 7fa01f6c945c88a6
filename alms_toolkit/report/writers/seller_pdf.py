"""Printable per-seller PDF: the official list, targets, extras, leads and the projection form.

One PDF per seller, built from ``templates/seller/`` (Jinja2 HTML + CSS, the report's
visual language: accent colour from client.yml, money in the client's currency) and
rendered by :func:`alms_toolkit.report.writers.pdf.html_to_pdf` (WeasyPrint, no network, no files).

Pages: a portrait list (title block, KEY/SECONDARY/targets cards, the official list KEY
then SECONDARY, targets, extras, leads) and a landscape revenue projection form (KEY and
TARGET accounts, boxes to write in for the next 12 months, last year's same-month billing
in grey under each KEY account, spare rows for new targets, a total row). Every page has
the seller and client in its header and "Page n of N" in its footer. All client text is
HTML-escaped by the template engine (autoescape), so a name like ``<img src=...>`` prints
as text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...cell_values import cell_text, is_missing
from ...money import format_money
from .xlsx import (
    FLAG_TEXT,
    SPARE_TARGET_ROWS,
    projection_form,
    seller_file_stems,
    write_seller_workbooks,
)

if TYPE_CHECKING:
    import jinja2

    from ...analysis.official_list import OfficialList

__all__ = [
    "template_dir",
    "seller_html",
    "write_seller_pdf",
    "write_seller_pdfs",
    "write_seller_files",
]

TEMPLATE_NAME = "seller"
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_DEFAULT_ACCENT = "#1f4e79"
#: accounts printed per list before the PDF points to the workbook (WeasyPrint lays out
#: roughly 100 table rows a second; a seller with thousands of accounts works in the XLSX)
MAX_ROWS = 500


def template_dir() -> Path:
    """``templates/seller``: next to the report template (source tree or shipped copy)."""
    from .html import find_template_dir

    return find_template_dir() / TEMPLATE_NAME


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )




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


def seller_html(official: OfficialList, seller: str, *, max_rows: int | None = MAX_ROWS) -> str:
    """``seller``'s printable HTML of the official list (pure: same inputs, same text).

    ``max_rows`` caps the official list and the form's KEY rows (largest billing first);
    a capped page says how many accounts it shows and that the workbook has them all.
    """
    seller_accounts, prospects, monthly = official.seller_accounts, official.prospects, official.monthly
    currency, accent_color = official.currency, official.branding.accent_color
    accent = accent_color if _HEX.fullmatch(str(accent_color or "")) else _DEFAULT_ACCENT
    mine = seller_accounts[seller_accounts["seller"] == seller]
    key = mine[mine["tier"] == "KEY"]
    sec = mine[mine["tier"] == "SECONDARY"]
    cap = len(mine) if max_rows is None else max(int(max_rows), 1)
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
            }
        )
    prospects = prospects if prospects is not None else pd.DataFrame(columns=["seller", "category"])

    def block(category: str) -> list[Mapping[str, str]]:
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

    targets, extras, leads = block("TARGET"), block("EXTRA"), block("LEAD")
    prospect_blocks = [
        ("Targets", targets, "No targets chosen yet: pick 5 to 10 non-spending prospects with the "
         "three filters (spending potential, access to the decision maker, product fit)."),
        ("Extras (targets in waiting)", extras, "No extras chosen yet."),
    ]
    if leads:
        prospect_blocks.append(("Leads (being vetted)", leads, ""))

    form = projection_form(
        seller=seller, seller_accounts=seller_accounts, prospects=prospects, monthly=monthly
    )

    def units(micros: int) -> str:
        return format_money(micros, "", cents=False)

    key_rows = [r for r in form.rows if r.tier == "KEY"]
    shown = key_rows[:cap] + [r for r in form.rows if r.tier != "KEY"]
    shown_baseline = [0] * len(form.months)
    for r in key_rows[:cap]:
        for i, v in enumerate(r.baseline or ()):
            shown_baseline[i] += int(v)
    form_rows = [
        {
            "client": r.client,
            "tier": r.tier,
            "billing": "" if r.billing is None else units(r.billing),
            "baseline": None if r.baseline is None else [units(v) if v else "-" for v in r.baseline],
            "baseline_total": "" if r.baseline is None else (units(sum(r.baseline)) if any(r.baseline) else "-"),
        }
        for r in shown
    ]
    months = [{"short": m.heading[0], "year": m.heading[1], "long": m.label} for m in form.months]
    css = (template_dir() / "seller.css").read_text(encoding="utf-8")
    billing_key = sum(int(v) for v in key["billing"])
    billing_sec = sum(int(v) for v in sec["billing"])
    flagged = official.flags_of(seller)
    act_first = [
        {"what": FLAG_TEXT.get(r.flag, r.flag), "client": str(r.client),
         "billing": format_money(int(r.billing), currency), "detail": str(r.detail)}
        for r in flagged.head(cap).itertuples(index=False)
    ]
    return _environment().get_template("seller.html.j2").render(
        css=css,
        act_first=act_first,
        act_first_hidden=len(flagged) - len(act_first),
        accent=accent,
        letter=str(official.branding.page_size).lower() == "letter",
        seller=str(seller),
        client=str(official.client),
        as_of=official.as_of.isoformat(),
        review=official.review_date.isoformat(),
        cutoff=format_money(official.cutoff, currency),
        currency_label=currency.strip() or "the client's currency",
        n_key=len(key),
        n_secondary=len(sec),
        billing_key=format_money(billing_key, currency),
        billing_secondary=format_money(billing_sec, currency),
        billing_total=format_money(billing_key + billing_sec, currency),
        official=listed_rows,
        targets=targets,
        extras=extras,
        prospect_blocks=prospect_blocks,
        months=months,
        form_span=monthly.periods.span(12, 23),
        month_note="" if form.months[0].is_calendar_month else (
            f"each month is counted from the audit date: {form.months[0].label}, {form.months[1].label}, ..."
        ),
        form_rows=form_rows,
        spare_rows=SPARE_TARGET_ROWS,
        key_billing=units(sum(int(r.billing) for r in key_rows[:cap] if r.billing is not None)),  # KEY: never None
        has_baseline=form.has_baseline,
        baseline_by_month=[units(v) if v else "-" for v in shown_baseline],
        baseline_total=units(sum(shown_baseline)),
        n_listed=len(listed),
        n_listed_shown=len(listed_rows),
        n_form_key=len(key_rows),
        n_form_key_shown=min(cap, len(key_rows)),
    )


def write_seller_pdf(official: OfficialList, seller: str, path: Path | str, *,
                     max_rows: int | None = MAX_ROWS) -> Path:
    """Render :func:`seller_html` to a PDF at ``path``."""
    from .pdf import html_to_pdf

    return Path(html_to_pdf(seller_html(official, seller, max_rows=max_rows), Path(path), base_url=template_dir()))


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
