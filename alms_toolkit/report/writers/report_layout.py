"""The report's HTML read back as a layout: the cover, then blocks (headings, paragraphs,
tables, KPI cards, callouts, charts...), for the Typst report (:mod:`.report_typst`).

The HTML is the one :func:`~.html.export_html` makes: the ``alms_report`` template's cover
and contents, then the notebook's cells, whose outputs use the display helpers' class
vocabulary (templates/README.md) and whose markdown is what nbconvert renders. Everything
in it is read: an element or a class outside that vocabulary (a ``<blockquote>``, a
``<style>``, a table cell spanning two columns, an image loaded from a file, a class the
template does not know) raises :class:`NotInLayout`, naming it, and the report is then
printed from the HTML itself by WeasyPrint, the way every report was before. So a firm's
own markdown or helper is never printed in a guessed layout.

Text stays text: every string in the layout is what the page shows (entities decoded), and
the template prints it as text, never as Typst markup. Where each part goes (a table's column
widths, KPI cards in rows, a turned page for a table too wide for an upright one) is
measured by :mod:`.report_measures`.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

__all__ = ["NotInLayout", "ReportLayout", "report_layout"]

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
#: wrappers nbconvert's lab template and the display helpers put around content: read through
_WRAPPERS = frozenset({
    "jp-Cell", "jp-MarkdownCell", "jp-CodeCell", "jp-Notebook-cell", "jp-mod-noInput", "jp-mod-noOutputs",
    "jp-Cell-inputWrapper", "jp-Cell-outputWrapper", "jp-InputArea", "jp-Cell-inputArea", "jp-OutputArea",
    "jp-Cell-outputArea", "jp-OutputArea-child", "jp-RenderedHTMLCommon", "jp-RenderedHTML",
    "jp-RenderedMarkdown", "jp-MarkdownOutput", "jp-OutputArea-output", "jp-RenderedText",
    "alms-output", "tex2jax_ignore", "mathjax_ignore", "jp-RenderedImage",
})
#: a cell tag's class (``celltag_<tag>``): only new-page changes the print
_TAG_CLASS = re.compile(r"^celltag_[\w-]+$")
_PARAGRAPH_CLASSES = frozenset({"narrative", "lead", "small", "muted", "table-title", "table-note", "empty-note"})
_BADGES = {"status-pass": "pass", "status-fail": "fail", "status-na": "na"}
_INLINE_SPANS = frozenset({"value", "label", "note", "num", "muted", "small", "cover-consultant", "cover-firm"})
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|svg\+xml|webp);base64,(.*)$", re.S)
_SPACE = re.compile(r"[ \t\n\r\f]+")
#: the spaces HTML collapses and trims (never the no-break space, which the page keeps)
_BLANK = " \t\n\r\f"
#: attributes that change how an element looks
_STYLING = frozenset({"style", "align", "width", "height", "bgcolor", "color", "face", "size", "valign", "border"})
#: a table cell's alignment, the one style read from a page (markdown tables write it)
_CELL_ALIGN = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*", re.I)
#: links printed as links (others, a link to a part of the page, print as their text)
_LINK = re.compile(r"^(https?://|mailto:)", re.I)


def _collapse(text: str) -> str:
    """``text`` as a page shows it: runs of spaces one space, none at the ends."""
    return _SPACE.sub(" ", text).strip(_BLANK)


class NotInLayout(ValueError):
    """The HTML holds something the Typst report does not lay out (the message names it)."""

    def __str__(self) -> str:
        return f"the page holds {super().__str__()}"


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)
    #: a table cell's own alignment (read from its ``style``/``align``), never from the page
    align: str | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def elements(self) -> list[_Node]:
        return [c for c in self.children if isinstance(c, _Node)]

    def find(self, tag: str, cls: str | None = None) -> _Node | None:
        for child in self.elements():
            if child.tag == tag and (cls is None or cls in child.classes):
                return child
            found = child.find(tag, cls)
            if found is not None:
                return found
        return None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def only_elements(self, what: str) -> list[_Node]:
        """The child elements, refusing text between them (the layout reads only those)."""
        if any(isinstance(c, str) and c.strip(_BLANK) for c in self.children):
            raise NotInLayout(f"text directly inside {what}")
        return self.elements()

    def plain_text(self, what: str) -> str:
        """The text of an element holding only text (a KPI's value, label or note)."""
        if self.elements():
            raise NotInLayout(f"markup inside {what}")
        return _collapse(self.text())


def _node(tag: str, attrs: list[tuple[str, str | None]]) -> _Node:
    """An element; one styled in the page itself (``style``, ``align``, ``width``...) is
    not laid out here: the HTML's own look is then kept by printing it from the HTML. A
    table cell's own alignment (markdown's ``|:--|--:|``) is read (:attr:`_Node.align`)."""
    given = {k: v or "" for k, v in attrs}
    aligned = None
    if tag in ("td", "th"):
        align = _CELL_ALIGN.fullmatch(given.get("style", "")) or _CELL_ALIGN.fullmatch(f"text-align: {given.get('align', '')}")
        if align is not None and ("style" in given or "align" in given):
            given.pop("style", None)
            given.pop("align", None)
            aligned = align.group(1).lower()
    styled = sorted(k for k in given if k in _STYLING)
    if styled and tag not in ("html", "head", "meta", "body", "script", "link"):
        raise NotInLayout(f"<{tag}> styled by its own {styled[0]} attribute")
    return _Node(tag, given, align=aligned)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # a hidden element is not on the page, nor what it holds: read, never attached
        hidden = any(k == "hidden" for k, _ in attrs)
        node = _Node(tag, {}) if hidden else _node(tag, attrs)
        if not hidden:
            self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass(frozen=True)
class ReportLayout:
    """The report as the Typst template lays it out: ``data`` (plain JSON: the cover and the
    blocks, images named by file) and ``images`` (file name -> bytes)."""

    data: dict[str, Any]
    images: dict[str, bytes]


def _inline(node: _Node, style: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """A run of inline content as text pieces ``{"t": text, "b": bold, "i": italic, ...}``."""
    style = dict(style or {})
    out: list[dict[str, Any]] = []
    for child in node.children:
        if isinstance(child, str):
            text = _SPACE.sub(" ", child)
            if text:
                out.append({"t": text, **style})
            continue
        tag, classes = child.tag, child.classes
        if tag in ("strong", "b"):
            out += _inline(child, {**style, "b": True})
        elif tag in ("em", "i"):
            out += _inline(child, {**style, "i": True})
        elif tag == "code":
            out += _inline(child, {**style, "code": True})
        elif tag == "a":
            href = child.attrs.get("href", "").strip()
            out += _inline(child, {**style, "link": href} if _LINK.match(href) else style)
        elif tag == "br":
            out.append({"br": True})
        elif tag == "span" and "badge" in classes:
            kind = next((_BADGES[c] for c in classes if c in _BADGES), None)
            if kind is None or classes - {"badge", *_BADGES}:
                raise NotInLayout(f"a badge of classes {' '.join(sorted(classes))}")
            out.append({"badge": kind, "t": child.plain_text("a badge")})
        elif tag == "span" and classes <= _INLINE_SPANS:
            extra: dict[str, Any] = {k: True for k in ("muted", "small") if k in classes}
            out += _inline(child, {**style, **extra})
        else:
            raise NotInLayout(f"<{tag} class=\"{' '.join(sorted(classes))}\"> inside a line of text")
    return out


def _trimmed(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs without the spaces HTML's layout drops at the start and the end of a block."""
    runs = [dict(r) for r in runs]
    after_break: list[dict[str, Any]] = []  # a line starts without the spaces after a <br>
    for run in runs:
        if after_break and after_break[-1].get("br") and "t" in run and "badge" not in run:
            run["t"] = run["t"].lstrip(_BLANK)
            if not run["t"]:
                continue
        after_break.append(run)
    runs = after_break
    while runs and "t" in runs[0] and "badge" not in runs[0] and not runs[0]["t"].strip(_BLANK):
        runs.pop(0)
    while runs and "t" in runs[-1] and "badge" not in runs[-1] and not runs[-1]["t"].strip(_BLANK):
        runs.pop()
    if runs and "badge" not in runs[0] and "t" in runs[0]:
        runs[0]["t"] = runs[0]["t"].lstrip(_BLANK)
    if runs and "badge" not in runs[-1] and "t" in runs[-1]:
        runs[-1]["t"] = runs[-1]["t"].rstrip(_BLANK)
    return runs


def _keep(row: _Node) -> str:
    """Which neighbour a row is kept on the page with (``keep-next``, ``keep-previous``)."""
    return "next" if "keep-next" in row.classes else "previous" if "keep-previous" in row.classes else ""


def _raster_width(data: bytes) -> float:
    """A raster image's width as a page shows it, in points (a pixel is a CSS pixel, 0.75pt),
    once its data is read whole: an image that cannot be is not laid out here."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return round(image.width * 0.75, 2)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise NotInLayout("an image whose data cannot be read") from exc


class _Reader:
    def __init__(self) -> None:
        self.images: dict[str, bytes] = {}
        self.widths: dict[str, float | None] = {}  # a raster image's natural width (points)

    def image(self, src: str) -> str:
        """The embedded image ``src`` (a data: URI) as a file of the layout; its name."""
        match = _DATA_IMAGE.match(src.strip())
        if match is None:
            raise NotInLayout("an image that is not embedded in the page (a data: URI)")
        kind = match.group(1)
        if kind not in ("png", "jpeg", "jpg", "gif", "svg+xml"):
            raise NotInLayout(f"an image of type {kind}")
        try:
            data = base64.b64decode(match.group(2), validate=False)
        except (binascii.Error, ValueError) as exc:
            raise NotInLayout("an image whose data cannot be read") from exc
        name = f"image-{len(self.images) + 1}.{'svg' if kind == 'svg+xml' else kind}"
        self.widths[name] = None if kind == "svg+xml" else _raster_width(data)
        self.images[name] = data
        return name

    def image_block(self, img: _Node, *, chart: bool) -> dict[str, Any]:
        """An image as a block: a chart as wide as the text, another image at its own width."""
        name = self.image(img.attrs.get("src", ""))
        return {"kind": "image", "file": name, "chart": chart, "width": self.widths[name]}

    def blocks(self, node: _Node) -> list[dict[str, Any]]:
        """The blocks of a container's children."""
        out: list[dict[str, Any]] = []
        loose: list[_Node | str] = []

        def flush() -> None:
            if loose:
                runs = _trimmed(_inline(_Node("p", {}, list(loose))))
                loose.clear()
                if runs:
                    out.append({"kind": "paragraph", "style": "", "runs": runs})

        for child in node.children:
            if isinstance(child, str) or child.tag in ("strong", "b", "em", "i", "a", "span", "code", "br"):
                loose.append(child)
                continue
            flush()
            out += self.block(child)
        flush()
        return out

    def block(self, node: _Node) -> list[dict[str, Any]]:
        tag, classes = node.tag, node.classes
        if "no-print" in classes:  # left out of the print
            return []
        head = [{"kind": "pagebreak"}] if "celltag_new-page" in classes else []
        if tag == "div" and not (classes - _WRAPPERS - {c for c in classes if _TAG_CLASS.match(c)}):
            inner = self.blocks(node)
            if "jp-MarkdownCell" in classes:  # a step's heading and its opening line stay with what follows
                for b in inner:
                    b["sticky"] = True
            return head + inner
        if tag == "div" and "jp-Collapser" in classes:
            return head
        return head + self._element(node, tag, classes)

    def _element(self, node: _Node, tag: str, classes: set[str]) -> list[dict[str, Any]]:
        if re.fullmatch(r"h[1-6]", tag) and not classes:
            runs = _trimmed(_inline(_Node("span", {}, [c for c in node.children
                                                       if not (isinstance(c, _Node) and c.tag == "a" and "anchor-link" in c.classes)])))
            return [{"kind": "heading", "level": int(tag[1]), "runs": runs}]
        if tag == "p":
            if classes - _PARAGRAPH_CLASSES:
                raise NotInLayout(f"a paragraph of class {' '.join(sorted(classes - _PARAGRAPH_CLASSES))}")
            runs = _trimmed(_inline(node))
            if not runs:
                return []
            return [{"kind": "paragraph", "style": " ".join(sorted(classes)), "runs": runs}]
        if tag in ("ul", "ol") and not classes:
            items = []
            for li in node.only_elements("a list"):
                if li.tag != "li" or li.classes or set(li.attrs) - {"id"}:
                    raise NotInLayout(f"<{li.tag}> in a list")
                items.append(_trimmed(_inline(li)))
            start = node.attrs.get("start", "1").strip()
            if "reversed" in node.attrs or "type" in node.attrs or not start.isdigit():
                raise NotInLayout(f"a numbered list with its own numbering ({' '.join(sorted(node.attrs))})")
            return [{"kind": "list", "ordered": tag == "ol", "start": int(start), "items": items}]
        if tag == "table":
            return [self.table(node)]
        if tag == "div" and classes == {"kpi-row"}:
            return [self.kpis(node)]
        if tag == "div" and "callout" in classes and classes <= {"callout", "warning", "good"}:
            tone = "warning" if "warning" in classes else "good" if "good" in classes else ""
            return [{"kind": "callout", "tone": tone, "blocks": self.blocks(node)}]
        if tag == "div" and classes == {"beside"}:
            children = node.only_elements("a side-by-side block")
            parts = {c.attrs.get("class", ""): c for c in children}
            if len(children) != 2 or set(parts) != {"beside-main", "beside-side"}:
                raise NotInLayout("a side-by-side block that is not its two parts")
            return [{"kind": "beside", "main": self.blocks(parts["beside-main"]), "side": self.blocks(parts["beside-side"])}]
        if tag == "figure" and classes <= {"alms-chart"}:
            images = [c for c in node.only_elements("a figure") if c.tag == "img"]
            if len(images) != 1 or len(node.elements()) != 1 or images[0].classes:
                raise NotInLayout("a figure that is not one image")
            return [self.image_block(images[0], chart="alms-chart" in classes)]
        if tag == "img" and not classes:
            return [self.image_block(node, chart=False)]
        if tag == "hr" and not classes:
            return [{"kind": "rule"}]
        if tag == "pre" and not classes:
            return [{"kind": "pre", "text": node.text().strip("\n")}]
        raise NotInLayout(f"<{tag} class=\"{' '.join(sorted(classes))}\">")

    def table(self, node: _Node) -> dict[str, Any]:
        classes = node.classes
        if classes - {"alms-table", "keep-together", "dataframe"}:
            raise NotInLayout(f"a table of class {' '.join(sorted(classes))}")
        caption: list[dict[str, Any]] = []
        head: list[list[dict[str, Any]]] = []
        body: list[dict[str, Any]] = []
        foot: list[dict[str, Any]] = []  # a table's footer prints under its body, wherever it is written
        for part in node.only_elements("a table"):
            if part.tag == "caption":
                caption = _trimmed(_inline(part))
            elif part.tag in ("thead", "tbody", "tfoot"):
                for row in part.only_elements(f"a <{part.tag}>"):
                    cells = self.row(row)
                    if part.tag == "thead":
                        head.append(cells)
                    else:
                        (foot if part.tag == "tfoot" else body).append(
                            {"cells": cells, "total": part.tag == "tfoot" or "total" in row.classes, "keep": _keep(row)})
            elif part.tag == "tr":
                body.append({"cells": self.row(part), "total": "total" in part.classes, "keep": _keep(part)})
            else:
                raise NotInLayout(f"<{part.tag}> in a table")
        body += foot
        widths = {len(r) for r in head} | {len(r["cells"]) for r in body}
        if len(widths) > 1:
            raise NotInLayout("a table whose rows have different numbers of cells")
        n = widths.pop() if widths else 0
        keeps = [r.pop("keep") for r in body]
        first = next((i for i, k in enumerate(keeps) if k != "next"), len(keeps))
        last = next((i for i, k in enumerate(reversed(keeps)) if k != "previous"), len(keeps))
        return {"kind": "table", "caption": caption, "head": head, "rows": body,
                # the first and last rows kept on one page (no row or two left alone)
                "keep_first": first + 1 if first else 0, "keep_last": last + 1 if last else 0,
                "together": "keep-together" in classes and len(body) <= _KEEP_AT_MOST, "columns": n}

    def row(self, row: _Node) -> list[dict[str, Any]]:
        if row.tag != "tr" or row.classes - {"keep-next", "keep-previous", "total"}:
            raise NotInLayout(f"<{row.tag}> as a table row")
        cells = []
        for cell in row.only_elements("a table row"):
            if cell.tag not in ("td", "th") or cell.classes - {"num"}:
                raise NotInLayout(f"<{cell.tag} class=\"{cell.attrs.get('class', '')}\"> in a table row")
            if cell.attrs.get("colspan", "1").strip() != "1" or cell.attrs.get("rowspan", "1").strip() != "1":
                raise NotInLayout("a table cell spanning several columns or rows")
            num = "num" in cell.classes
            align = cell.align or ("right" if num else "left")
            cells.append({"runs": _trimmed(_inline(cell)), "num": num, "th": cell.tag == "th", "align": align})
        return cells

    def kpis(self, node: _Node) -> dict[str, Any]:
        cards = []
        for card in node.only_elements("a KPI row"):
            if card.tag != "div" or card.classes != {"kpi"}:
                raise NotInLayout("a KPI row holding something else than KPI cards")
            parts: dict[str, str] = {}
            for span in card.only_elements("a KPI card"):
                cls = span.attrs.get("class", "")
                if span.tag != "span" or cls not in ("value", "label", "note") or cls in parts:
                    raise NotInLayout("a KPI card holding something else than a value, a label and a note")
                parts[cls] = span.plain_text("a KPI card")
            cards.append({"value": parts.get("value", ""), "label": parts.get("label", ""), "note": parts.get("note", "")})
        return {"kind": "kpis", "cards": cards}


#: a table printed on one page (keep-together) at most this long: a longer one would not fit
_KEEP_AT_MOST = 40

#: the page's own settings, in its head's last style sheet (the template writes them)
_ACCENT = re.compile(r":root\s*\{\s*--accent:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*;\s*\}")
_PAGE = re.compile(r"@page\s*\{\s*size:\s*(A4|Letter)\s*;\s*\}")


def report_layout(page: str) -> ReportLayout:
    """The report page (:func:`~.html.export_html`'s HTML) as a layout; raises
    :class:`NotInLayout` when it holds anything the Typst report does not lay out."""
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    root = builder.root
    main = root.find("main", "report")
    head = root.find("head")
    if main is None or head is None:
        raise NotInLayout("no <main class=\"report\">: not a page made by the report's template")
    styles = [c.text() for c in head.elements() if c.tag == "style"]
    accents = _ACCENT.findall(styles[-1]) if styles else []
    sizes = _PAGE.findall(styles[-1]) if styles else []
    letter = bool(sizes) and sizes[-1] == "Letter"
    reader = _Reader()
    cover: dict[str, Any] = {}
    blocks: list[dict[str, Any]] = []
    toc = False
    for child in main.children:
        if isinstance(child, str):
            if child.strip(_BLANK):
                raise NotInLayout("text outside the report's cells")
            continue
        if child.tag == "section" and "cover" in child.classes:
            cover = _cover(child, reader, letter)
        elif child.tag == "nav" and "toc" in child.classes:
            toc = True
        else:
            blocks += reader.block(child)
    from .report_measures import measured

    blocks = measured(blocks, letter)
    data = {
        "accent": accents[-1] if accents else "#1f4e79",
        "letter": letter,
        "cover": cover,
        "contents": toc,
        "blocks": blocks,
    }
    return ReportLayout(data, dict(reader.images))


def _cover(section: _Node, reader: _Reader, letter: bool) -> dict[str, Any]:
    def text(tag: str, cls: str) -> str:
        node = section.find(tag, cls)
        return _collapse(node.text()) if node is not None else ""

    logo = section.find("img", "cover-logo")
    firm_logo = section.find("img", "cover-consultant-logo")
    consultant, firm = text("span", "cover-consultant"), text("span", "cover-firm")
    client, kicker = text("h1", "cover-client"), text("p", "cover-kicker")
    from .report_measures import header_lines, title_lines

    return {
        "kicker": kicker,
        "client": client,
        "client_lines": title_lines(client, letter),
        "header_lines": header_lines(client, kicker, letter),
        "date": text("p", "cover-date"),
        "label": text("p", "cover-label"),
        "consultant": consultant,
        "firm": firm,
        "prepared": text("p", "cover-prepared"),
        "logo": reader.image(logo.attrs.get("src", "")) if logo is not None else "",
        "consultant_logo": reader.image(firm_logo.attrs.get("src", "")) if firm_logo is not None else "",
    }
