"""Where each part of the Typst report goes on the page (:mod:`.report_layout` reads them
from the HTML): the widths of a table's columns and the size its text is set in, KPI cards
in rows, the breaks inside a word too wide for its line, a turned page for a table too wide
for an upright one. Each measured as the report's CSS has a browser or WeasyPrint set it
(templates/alms_report/components.css), with the shipped faces' own widths
(:mod:`.text_widths`), so a figure never wraps nor runs into its neighbour."""

from __future__ import annotations

import math
import re
from typing import Any

from .report_layout import NotInLayout
from .text_widths import text_width

__all__ = ["measured", "title_lines", "header_lines", "LINE"]

#: the text width of the page, in points: A4 and Letter less 18 mm margins each side; and of
#: the page turned (its height less the same side margins)
LINE = {False: (210 - 36) / 25.4 * 72, True: (215.9 - 36) / 25.4 * 72}
_TURNED = {False: (297 - 36) / 25.4 * 72, True: (279.4 - 36) / 25.4 * 72}
#: the share of the line a table beside a chart has, and the gap between them (14px)
_SIDE, _GAP = 0.44, 10.5
#: a table cell's padding (7px each side), a callout's (13px, and its 5px bar) and a KPI
#: card's (12px), in points
_CELL_PAD, _CALLOUT_PAD, _CARD_PAD = 10.5, 19.5 + 3.75, 18.0
#: a table's text size, in points; beside a chart; the smallest it is set in to fit the line
_TABLE_SIZE, _SIDE_SIZE, _SMALLEST = 9.0, 8.5, 6.5
#: a KPI card's value, label and note sizes, in points, the gap between cards (10px), and the
#: label's letter spacing (0.05em a letter)
_VALUE, _LABEL, _NOTE, _CARD_GAP, _TRACKING = 17.0, 8.0, 8.5, 7.5, 0.05
#: a badge's mark, no-break space and padding (8px each side), in em of its text, which is
#: 8.5/9 of its table's (8.5pt in a 9pt table, as the page sets it)
_BADGE_EXTRA = 0.9 + 16 * 0.75 / 8.5
_BADGE_SHARE = 8.5 / 9


#: where a line may break inside a word: after a hyphen, as browsers and Typst break it
_HYPHENATED = re.compile(r"[^-]*-+|[^-]+")


def _parts(text: str) -> list[str]:
    """The unbreakable parts of ``text``: its words, split after their hyphens."""
    return [p for word in text.split(" ") for p in _HYPHENATED.findall(word)]


def _cell_width(cell: dict[str, Any], bold: bool, side: bool) -> tuple[float, float]:
    """A cell's width on one line and its widest unbreakable part, in points at 1pt (times the
    table's text size: a badge is set at 8.5/9 of it), without padding. A figure never wraps
    (a figure's header neither, but beside a chart, where headers wrap); nor does a badge.
    ``bold``: the cell's row is bold (a total)."""
    parts: list[float] = []
    total = 0.0
    for run in cell["runs"]:
        if "badge" in run:
            width = (text_width(run["t"], 1.0, bold=True) + _BADGE_EXTRA) * _BADGE_SHARE
            parts.append(width)
            total += width
        elif "t" in run:
            heavy = bool(bold or run.get("b") or cell["th"])
            total += text_width(run["t"], 1.0, bold=heavy)
            parts += [text_width(p, 1.0, bold=heavy) for p in _parts(run["t"])]
    whole = cell["num"] and not (side and cell["th"])
    return total, (total if whole else max(parts, default=0.0))


def _column_width(table: dict[str, Any], i: int, side: bool) -> tuple[float, float]:
    """A column's (widest line, longest unbreakable part), in points at 1pt, without padding."""
    sizes = [_cell_width(r[i], False, side) for r in table["head"]]
    sizes += [_cell_width(r["cells"][i], r["total"], side) for r in table["rows"]]
    return (max(s[0] for s in sizes), max(s[1] for s in sizes))


def _widths(content: list[tuple[float, float]], line: float, size: float) -> tuple[list[float], float] | None:
    """The columns' widths (points) and the text size as a browser's automatic table layout
    gives them at a table width of ``line`` points: the widest lines when they fit (the slack
    shared in their proportion), else each column between its longest word and its widest
    line, in proportion to what it lacks. When even the longest words do not fit at ``size``,
    the table is set smaller, down to :data:`_SMALLEST`; None when it does not fit then."""
    pad = _CELL_PAD * len(content)
    least_at_1 = sum(lo for _, lo in content)  # a longest part is never wider than its line
    if least_at_1 * size + pad > line:
        size = math.floor((line - pad) / least_at_1 * 100) / 100 if least_at_1 else size  # as printed
        if size < _SMALLEST:
            return None
    widest = [hi * size + _CELL_PAD for hi, _ in content]
    least = [lo * size + _CELL_PAD for _, lo in content]
    if sum(widest) <= line:
        return widest, size
    span = sum(widest) - sum(least)
    room = max(0.0, min(1.0, (line - sum(least)) / span)) if span > 0 else 0.0
    return [lo + (hi - lo) * room for lo, hi in zip(least, widest, strict=True)], size


def _card_rows(cards: list[dict[str, str]], line: float) -> list[list[float]]:
    """KPI cards as the page sets them (a row of equal cards, each at least as wide as its
    value on one line and its longest word): the cards that fit side by side on each row,
    with their widths in points; the others wrap onto the next row."""
    least = []
    for card in cards:
        words = [text_width(w, _LABEL) + _TRACKING * _LABEL * len(w) for w in _parts(card["label"].upper())]
        words += [text_width(w, _NOTE) for w in _parts(card["note"])]
        least.append(max([text_width(card["value"], _VALUE, bold=True), *words]) + _CARD_PAD)
    rows: list[list[float]] = []
    for width in least:
        if rows and sum(rows[-1]) + width + _CARD_GAP * len(rows[-1]) <= line:
            rows[-1].append(width)
        else:
            rows.append([width])
    out = []
    for row in rows:
        free = line - _CARD_GAP * (len(row) - 1)
        if max(row) > free:
            raise NotInLayout("a KPI card wider than the page")
        # flex: equal shares, a card needing more keeps what it needs and the others share the rest
        fixed: dict[int, float] = {}
        while True:
            share = (free - sum(fixed.values())) / max(len(row) - len(fixed), 1)
            more = {i: w for i, w in enumerate(row) if i not in fixed and w > share}
            if not more:
                break
            fixed.update(more)
        out.append([round(fixed.get(i, share), 2) for i in range(len(row))])
    return out


def _turned_pages(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` with each turned table on its turned page together with what stays with it
    (the heading, title and narrative just before it): a ``turned`` block holding them."""
    out: list[dict[str, Any]] = []
    for b in blocks:
        if b["kind"] == "table" and b.pop("turned", False):
            held: list[dict[str, Any]] = []
            while out and _stays_with_next(out[-1]):
                held.insert(0, out.pop())
            out.append({"kind": "turned", "blocks": [*held, b]})
        else:
            out.append(b)
    return out


def _stays_with_next(b: dict[str, Any]) -> bool:
    if b["kind"] == "heading":
        return True
    return b["kind"] == "paragraph" and (bool(b.get("sticky")) or bool(
        {"narrative", "lead", "table-title"} & set(b["style"].split())))


def _set_widths(blocks: list[dict[str, Any]], line: float, page: float, *, side: bool = False,
                nested: bool = False) -> None:
    """Each table's column widths (``widths``, points) and text size (``size``) on the line it
    is on (``line`` points; ``side``: beside a chart), whether a note follows it (``noted``:
    the note sits close under it), and each KPI row's cards in rows (``rows``: their widths).
    A table too wide for the line even set small gets a page of its own, turned (``turned``;
    ``page``: the turned page's line; not inside a callout or beside a chart); one too wide
    for that too is not laid out here (:class:`NotInLayout`: the HTML's print keeps it as it is)."""
    for b, after in zip(blocks, [*blocks[1:], None], strict=False):
        if b["kind"] == "table":
            b["noted"] = bool(after and after["kind"] == "paragraph" and "table-note" in after["style"].split())
            content = [_column_width(b, i, side) for i in range(b["columns"])]
            size = _SIDE_SIZE if side else _TABLE_SIZE
            fitted = _widths(content, line, size) if content else ([], size)
            if fitted is None and not side and not nested:
                fitted, b["turned"] = _widths(content, page, size), True
            if fitted is None:
                raise NotInLayout(f"a table of {b['columns']} columns too wide for the page")
            b["widths"], b["size"] = fitted
        elif b["kind"] == "kpis":
            b["rows"] = _card_rows(b["cards"], line)
        elif b["kind"] == "beside":
            _set_widths(b["main"], (line - _GAP) * (1 - _SIDE), page, side=side, nested=True)
            _set_widths(b["side"], (line - _GAP) * _SIDE, page, side=True, nested=True)
        elif b["kind"] == "callout":
            _set_widths(b["blocks"], line - _CALLOUT_PAD, page, side=side, nested=True)


def measured(blocks: list[dict[str, Any]], letter: bool) -> list[dict[str, Any]]:
    """``blocks`` (the report's, read from its page) with their measures (:func:`_set_widths`)
    on an A4 or, ``letter``, a Letter page, and each table too wide for it on a turned page."""
    _set_widths(blocks, LINE[letter], _TURNED[letter])
    return _turned_pages(blocks)


#: the client's name on the cover and in the running header, in points, and the header's gap
_TITLE, _HEADER, _HEADER_GAP = 34.0, 8.0, 6 / 25.4 * 72


def title_lines(client: str, letter: bool) -> str:
    """The client's name as the cover prints it (:func:`_broken`)."""
    return _broken(client, _TITLE, LINE[letter], bold=True)


def header_lines(client: str, kicker: str, letter: bool) -> str:
    """The client's name as the running header prints it, beside ``kicker``."""
    return _broken(client, _HEADER, LINE[letter] - text_width(kicker, _HEADER) - _HEADER_GAP)


def _broken(text: str, size: float, line: float, *, bold: bool = False) -> str:
    """``text`` with a line break (``\\n``) inside each word wider than ``line`` points at
    ``size``, where the line is full: the page breaks such a word anywhere (overflow-wrap),
    adding no character to it."""
    words = []
    for word in text.split(" "):
        pieces, piece = [], ""
        for char in word:
            if piece and text_width(piece + char, size, bold=bold) > line:
                pieces.append(piece)
                piece = ""
            piece += char
        words.append("\n".join([*pieces, piece]))
    return " ".join(words)


