"""HTML pieces for the audit report: tables, KPI cards, status badges, narrative paragraphs.

Every piece is a :class:`Html` string (Jupyter shows it through ``_repr_html_``). Client
text (names, sellers, notes) is always HTML-escaped here, so a client called
``<script>...`` shows as text. Money columns hold int64 micros and are formatted exactly
(:func:`~alms_toolkit.money.format_money`); number cells carry ``class="num"`` so the
template right-aligns them. CSS classes are the template's (templates/README.md).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import SupportsFloat, SupportsInt, cast

import pandas as pd

from ...date_text import day_text
from ...money import format_money

__all__ = [
    "Html",
    "OUTPUT_CLASS",
    "wrap_output",
    "styles",
    "paragraph",
    "subheading",
    "beside",
    "strong_line",
    "callout",
    "bullet_list",
    "status_badge",
    "kpi_cards",
    "table",
    "DEFAULT_MAX_ROWS",
]

#: rows shown by :func:`table` before "and N more"
DEFAULT_MAX_ROWS = 25

_NUMERIC = ("money", "percent", "int", "decimal")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_STATUS_CLASS = {"pass": "status-pass", "fail": "status-fail", "not assessed": "status-na"}
_STATUS_LABEL = {"pass": "Pass", "fail": "Fail", "not assessed": "Not assessed"}


#: the classes of the wrapper of every output: the components' scope (templates/alms_report/
#: components.css) and the classes MathJax skips (2 and 3), so JupyterLab never reads two
#: dollar amounts in one output as maths
OUTPUT_CLASS = "alms-output tex2jax_ignore mathjax_ignore"


def wrap_output(body: str) -> str:
    """``body`` in the wrapper every displayed output has (:data:`OUTPUT_CLASS`)."""
    return f'<div class="{OUTPUT_CLASS}">{body}</div>'


class Html(str):
    """A string of trusted HTML built by this module; Jupyter renders it as HTML, wrapped
    (:func:`wrap_output`): styled the same in JupyterLab as in the report, never typeset
    as maths."""

    def _repr_html_(self) -> str:
        return wrap_output(str(self))

    def _ipython_display_(self) -> None:
        """Shown as HTML (and plain text for a console); nothing at all when empty, so a
        step with nothing to say leaves no empty output behind."""
        if not self.strip():
            return
        from IPython.display import publish_display_data

        text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(self)))).strip()
        publish_display_data({"text/html": self._repr_html_(), "text/plain": text})

    def __add__(self, other: str) -> Html:
        return Html(str(self) + str(other))


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def styles(accent_color: str = "#1f4e79") -> Html:
    """The report's component styles for JupyterLab (shown once, by the notebook's setup
    cell, which the report leaves out: the report has them in its template). The rules are
    templates/alms_report/components.css, made to win over JupyterLab's own output styles
    (Lab right-aligns every table cell; the report's text columns are left-aligned), with
    the toolkit's font faces (ALMS Sans, as ``@font-face`` data URIs), so the notebook's
    outputs are set in the report's font on any machine."""
    from ...fonts import font_face_css
    from ...package_files import shipped_folder

    folder = shipped_folder("templates")
    css = (folder / "alms_report" / "components.css").read_text(encoding="utf-8") if folder else ""
    css = css.replace(":root {", ".alms-output {").replace(".alms-output ", ".jp-RenderedHTMLCommon .alms-output ")
    accent = accent_color if _COLOUR.fullmatch(str(accent_color)) else "#1f4e79"
    # the client's accent, scoped as the rules are (a plain .alms-output would lose to them)
    return Html(f"<style>{font_face_css()}\n{css}\n"
                f".jp-RenderedHTMLCommon .alms-output {{ --accent: {accent}; }}</style>")


def beside(main: object, side: object) -> Html:
    """A chart (or any displayable with HTML) and a small table side by side: the chart takes
    about three fifths of the width, the table the rest; on a phone they stack."""
    def inner(part: object) -> str:
        if isinstance(part, Html):
            return str(part)
        body = part._repr_html_()  # type: ignore[attr-defined]
        prefix, suffix = f'<div class="{OUTPUT_CLASS}">', "</div>"
        return body[len(prefix):-len(suffix)] if body.startswith(prefix) and body.endswith(suffix) else body

    return Html(f'<div class="beside"><div class="beside-main">{inner(main)}</div>'
                f'<div class="beside-side">{inner(side)}</div></div>')


def paragraph(text: str, css_class: str = "narrative") -> Html:
    """One paragraph of plain text (escaped); no text, no paragraph."""
    if not str(text).strip():
        return Html("")
    return Html(f'<p class="{_esc(css_class)}">{_esc(text)}</p>')


def subheading(text: str, level: int = 3) -> Html:
    """A sub-heading inside a section (``<h3>`` by default; listed in the table of contents)."""
    level = min(max(int(level), 3), 6)
    return Html(f"<h{level}>{_esc(text)}</h{level}>")


def strong_line(text: str) -> Html:
    """A short bold line introducing a table (not a heading: kept out of the contents)."""
    return Html(f'<p class="table-title"><strong>{_esc(text)}</strong></p>')


def callout(text: str, title: str | None = None) -> Html:
    """A highlighted box: an optional bold title, then plain text (both escaped)."""
    head = f"<strong>{_esc(title)}</strong> " if title else ""
    return Html(f'<div class="callout"><p>{head}{_esc(text)}</p></div>')


def bullet_list(items: Iterable[str], ordered: bool = False) -> Html:
    """A list of plain-text items (escaped); an empty input gives an empty string."""
    items = [i for i in items if str(i).strip()]
    if not items:
        return Html("")
    tag = "ol" if ordered else "ul"
    body = "".join(f"<li>{_esc(i)}</li>" for i in items)
    return Html(f"<{tag}>{body}</{tag}>")


def status_badge(status: str) -> Html:
    """``pass`` / ``fail`` / ``not assessed`` as a coloured badge whose text also says it
    (readable in grey print)."""
    key = str(status).strip().lower()
    cls = _STATUS_CLASS.get(key, "status-na")
    label = _STATUS_LABEL.get(key, str(status))
    return Html(f'<span class="badge {cls}">{_esc(label)}</span>')


def kpi_cards(cards: Sequence[tuple[str, str] | tuple[str, str, str]]) -> Html:
    """A row of KPI cards: ``(label, value)`` or ``(label, value, note)``, all escaped."""
    parts = []
    for card in cards:
        label, value = card[0], card[1]
        note = card[2] if len(card) > 2 else ""
        note_html = f'<span class="note">{_esc(note)}</span>' if note else ""
        parts.append(
            f'<div class="kpi"><span class="value">{_esc(value)}</span>'
            f'<span class="label">{_esc(label)}</span>{note_html}</div>'
        )
    return Html(f'<div class="kpi-row">{"".join(parts)}</div>')


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _cell(value: object, kind: str, currency: str) -> tuple[str, bool]:
    """Return (escaped text, is_number) for one cell (a numeric kind's column holds numbers)."""
    if _is_missing(value):
        return ("", kind in _NUMERIC)
    if kind == "money":
        return (_esc(format_money(int(cast(SupportsInt, value)), currency)), True)
    if kind == "percent":
        return (_esc(f"{float(cast(SupportsFloat, value)) * 100:.1f}%"), True)
    if kind == "int":
        return (_esc(f"{int(cast(SupportsInt, value)):,}"), True)
    if kind == "decimal":
        return (_esc(f"{float(cast(SupportsFloat, value)):,.1f}"), True)
    if kind == "date":
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            value = value.date()
        return (_esc(day_text(value) if isinstance(value, dt.date) else value), False)
    if kind == "status":
        return (str(status_badge(str(value))), False)
    return (_esc(value), False)


def _sort_value(value: object, kind: str) -> str:
    """A number cell's raw value for the report's table sorting (``data-sort``): money in
    micros, a share as a fraction, empty when missing (sorted last)."""
    if _is_missing(value):
        return ""
    if kind in ("money", "int"):
        return str(int(cast(SupportsInt, value)))
    number = float(cast(SupportsFloat, value))
    return repr(number) if math.isfinite(number) else ""


#: a printed table of at most KEEP_ROWS rows is never split across pages; a longer one keeps
#: its first and last KEEP_EDGE rows on the page of their neighbours (no orphan rows)
KEEP_ROWS = 12
KEEP_EDGE = 3
#: ... and only when its text is short enough to fit on part of a page (rows of long text are not)
KEEP_CHARACTERS = 1500
_TAGS = re.compile(r"<[^>]+>")


def table(
    df: pd.DataFrame,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    *,
    money: Iterable[str] = (),
    percent: Iterable[str] = (),
    integer: Iterable[str] = (),
    decimal: Iterable[str] = (),
    dates: Iterable[str] = (),
    status: Iterable[str] = (),
    max_rows: int | None = DEFAULT_MAX_ROWS,
    more: str = "",
    currency: str = "$",
    caption: str | None = None,
    empty: str = "Nothing to show.",
    keep_together: bool = False,
    title: str | None = None,
    heading: bool = False,
) -> Html:
    """An HTML table of ``df``.

    ``columns`` selects (and, as a mapping ``source -> heading``, renames) the columns.
    ``money`` columns hold micros; ``percent`` hold shares (0.25 -> ``25.0%``); ``decimal``
    are shown with one decimal (scores); ``status`` become badges. Only the first ``max_rows`` rows are shown, followed by a note
    ``"and N more rows"`` plus ``more`` (e.g. ``"see accounts.csv"``). An empty frame
    gives the ``empty`` sentence instead of a table. ``keep_together``: a table that is not
    split across printed pages (e.g. one whose last row is its totals); a table of at most
    ``KEEP_ROWS`` rows never is, and a longer one keeps ``KEEP_EDGE`` rows at each end together.
    ``title``: a bold line (``heading``: a sub-heading listed in the contents) printed with the
    table, in the same output, so a page never ends on a title whose table is on the next.
    """
    if columns is None:
        columns = {c: str(c) for c in df.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: str(c) for c in columns}
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"table(): no column {', '.join(map(str, missing))} in the frame")
    kinds: dict[str, str] = {}
    for names, kind in (
        (money, "money"), (percent, "percent"), (integer, "int"), (decimal, "decimal"),
        (dates, "date"), (status, "status")
    ):
        for name in names:
            kinds[name] = kind
    top = "" if title is None else str(subheading(title) if heading else strong_line(title))
    if df.empty:
        return Html(top + paragraph(empty, "empty-note"))

    shown = df if max_rows is None else df.head(max_rows)
    head = "".join(
        f'<th class="num">{_esc(h)}</th>' if kinds.get(c) in _NUMERIC else f"<th>{_esc(h)}</th>"
        for c, h in columns.items()
    )
    rows = []
    for rec in shown[list(columns)].itertuples(index=False, name=None):
        cells = []
        for col, value in zip(columns, rec, strict=True):
            text, is_num = _cell(value, kinds.get(col, "text"), currency)
            cells.append(
                f'<td class="num" data-sort="{_sort_value(value, kinds[col])}">{text}</td>'
                if is_num else f"<td>{text}</td>"
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    n_text = sum(len(_TAGS.sub("", r)) for r in rows)  # the rows' visible text: long text makes tall rows
    tall_rows = n_text > KEEP_CHARACTERS / KEEP_ROWS * len(rows)
    short = len(rows) <= KEEP_ROWS and n_text <= KEEP_CHARACTERS
    together = keep_together or short
    if not together and len(rows) > 4:  # split over pages, it never leaves a row or two alone
        edge = min(2 if tall_rows else KEEP_EDGE, len(rows) // 2)
        for i in range(edge):
            rows[i] = '<tr class="keep-next">' + rows[i][4:]
            rows[-1 - i] = '<tr class="keep-previous">' + rows[-1 - i][4:]
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    css = "alms-table keep-together" if together else "alms-table"
    out = top + f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    hidden = len(df) - len(shown)
    if hidden > 0:
        word = "row" if hidden == 1 else "rows"
        note = f"… and {hidden:,} more {word}" + (f", {more}" if more else "") + "."
        out += f'<p class="table-note">{_esc(note)}</p>'
    return Html(out)
