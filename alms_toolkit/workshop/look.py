"""The workshop's look: small HTML pieces with inline styles (JupyterLab does not load the
report's CSS), shared by every widget so they read alike on a shared screen.

Client text is always escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["esc", "note", "message", "chip", "title", "card", "kv_table", "OK", "WARN", "BAD", "INFO",
           "BOX_CLASS", "STYLE"]

OK, WARN, BAD, INFO = "ok", "warn", "bad", "info"
_COLORS = {
    OK: ("#1b5e20", "#e8f5e9"),
    WARN: ("#7a4f01", "#fff4e0"),
    BAD: ("#b71c1c", "#fdecea"),
    INFO: ("#1f4e79", "#e8f0f8"),
}
FONT = "font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; line-height: 1.45;"
#: the class of every workshop widget's box, the scope of :data:`STYLE`
BOX_CLASS = "alms-workshop"
#: the few rules inline styles cannot carry (shown once by the workshop's header): the chosen
#: category is plainly the chosen one on a projector, not a shade of grey
STYLE = f"""<style>
.{BOX_CLASS} .widget-toggle-button.mod-active {{
  background-color: #1f4e79; color: #fff; box-shadow: inset 0 -3px 0 #0b2a4a;
}}
.{BOX_CLASS} .widget-toggle-button {{ border: 1px solid #c8ced6; }}
</style>"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def title(text: str, sub: str = "") -> str:
    """A widget's heading line, with an optional muted line under it."""
    extra = f'<div style="color:#5f6368;font-size:12px">{esc(sub)}</div>' if sub else ""
    return f'<div style="{FONT}"><div style="font-size:15px;font-weight:600">{esc(text)}</div>{extra}</div>'


def note(text: str) -> str:
    """A muted sentence."""
    return f'<div style="{FONT}color:#5f6368">{esc(text)}</div>'


def message(text: str, kind: str = INFO) -> str:
    """A coloured feedback line (saved / refused / warning); empty text gives nothing."""
    if not text:
        return ""
    ink, bg = _COLORS.get(kind, _COLORS[INFO])
    return (f'<div style="{FONT}color:{ink};background:{bg};border-left:4px solid {ink};'
            f'padding:4px 10px;margin:4px 0">{esc(text)}</div>')


def chip(text: str, kind: str = INFO) -> str:
    """A small rounded label (a status, a count against its range)."""
    ink, bg = _COLORS.get(kind, _COLORS[INFO])
    return (f'<span style="{FONT}display:inline-block;color:{ink};background:{bg};border:1px solid {ink}33;'
            f'border-radius:10px;padding:1px 9px;margin-right:6px;white-space:nowrap">{esc(text)}</span>')


def card(items: Sequence[tuple[str, str]]) -> str:
    """KPI-style figures side by side: ``(label, value)``."""
    cells = "".join(
        f'<div style="border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;min-width:120px">'
        f'<div style="font-size:18px;font-weight:600;white-space:nowrap">{esc(v)}</div>'
        f'<div style="color:#5f6368;font-size:12px">{esc(k)}</div></div>'
        for k, v in items
    )
    return f'<div style="{FONT}display:flex;flex-wrap:wrap;gap:10px;margin:4px 0">{cells}</div>'


def kv_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),
    max_height: int | None = None, raw_columns: Sequence[int] = (),
) -> str:
    """A compact table; ``numeric`` column indexes are right-aligned; ``raw_columns`` hold
    trusted HTML (e.g. a chip) and are not escaped."""
    num = set(numeric)
    raw = set(raw_columns)

    def cell(i: int, v: str, tag: str) -> str:
        align = "right" if i in num else "left"
        body = v if (i in raw and tag == "td") else esc(v)
        return (f'<{tag} style="text-align:{align};padding:3px 10px;border-bottom:1px solid #e5e7eb;'
                f'white-space:nowrap">{body}</{tag}>')

    head = "".join(cell(i, h, "th") for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell(i, v, "td") for i, v in enumerate(r)) + "</tr>" for r in rows)
    table = (f'<table style="{FONT}border-collapse:collapse;font-variant-numeric:tabular-nums">'
             f'<thead style="position:sticky;top:0;background:#f6f8fa"><tr>{head}</tr></thead>'
             f"<tbody>{body}</tbody></table>")
    if max_height:
        return (f'<div style="max-height:{max_height}px;overflow:auto;border:1px solid #e5e7eb;'
                f'width:fit-content;max-width:100%">{table}</div>')
    return table
