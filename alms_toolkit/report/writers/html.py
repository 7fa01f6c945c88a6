"""Executed notebook -> one self-contained, client-ready HTML file.

The nbconvert template ``alms_report`` (``templates/alms_report``) adds a cover page and a
table of contents and the print CSS; this module configures the exporter so the client
sees finished work only:

* no code, no prompts (``exclude_input`` and the prompt options);
* cells tagged ``remove-cell``, ``parameters`` and papermill's ``injected-parameters`` are
  dropped, ``remove-input`` cells show their output only, ``remove-output`` their code only
  (and code is never shown anyway);
* no stderr (warnings, progress bars), no ``<Figure size ...>`` texts, no empty cells;
* nothing loaded from the network: the template emits no require.js, MathJax, Mermaid or
  widget scripts, markdown images are embedded, and the table of contents is built here
  from the h2/h3 headings;
* the toolkit's font family ("ALMS Sans", :mod:`alms_toolkit.fonts`) embedded as
  ``@font-face`` data URIs at the template's ``alms:fonts`` marker, so the page looks the
  same on every machine and stays one file.

A notebook with an error output is refused (:class:`~alms_toolkit.errors.ReportError`):
a client report never shows a traceback, and hiding the failure would hide a missing section.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import html as html_lib
import mimetypes
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...date_text import day_text
from ...errors import ReportError
from ...fonts import font_face_css
from ...notebook_libraries import notebook_modules

__all__ = [
    "export_html",
    "find_template_dir",
    "logo_data_uri",
    "clean_report_metadata",
    "TEMPLATE_NAME",
    "REMOVE_CELL_TAGS",
    "REMOVE_INPUT_TAGS",
]

TEMPLATE_NAME = "alms_report"
#: cells with one of these tags never reach the report
REMOVE_CELL_TAGS = frozenset({"remove-cell", "parameters", "injected-parameters"})
#: cells with one of these tags show their output only (code is never shown anyway)
REMOVE_INPUT_TAGS = frozenset({"remove-input"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output"})
_METADATA_KEYS = (
    "client", "consultant", "firm", "as_of", "date_label", "logo_data_uri", "consultant_logo_data_uri", "page_size",
    "accent_color",
)
_FIGURE_REPR = re.compile(r"^\s*<(?:Figure|matplotlib\.[\w.]+|Axes\w*)\b[^>]*>\s*$")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LOGO_URI = re.compile(r"^data:image/(?:png|jpeg|gif|svg\+xml|webp);base64,[A-Za-z0-9+/=\s]+$")
#: the logo files the cover page shows, by suffix
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}


# ------------------------------------------------------------------------------ templates


def find_template_dir() -> Path:
    """The folder holding ``alms_report/``: the source tree's ``templates/`` or the copy
    shipped inside the package (``alms_toolkit/templates``)."""
    from ...package_files import looked_in, shipped_folder

    folder = shipped_folder("templates")
    if folder is None:
        raise ReportError(
            f"The report template 'alms_report' was not found (looked in {looked_in('templates')}). "
            "Reinstall the toolkit, or pass template_dir=."
        )
    return folder


# ------------------------------------------------------------------------------ metadata


def logo_data_uri(path: Path | str) -> str:
    """A logo file (PNG, JPEG, GIF, SVG, WebP) as a ``data:`` URI for the cover page."""
    p = Path(path)
    mime = LOGO_TYPES.get(p.suffix.lower()) or mimetypes.guess_type(p.name)[0]
    if mime not in LOGO_TYPES.values():
        raise ReportError(f"{p}: the logo must be a PNG, JPEG, GIF, SVG or WebP image")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReportError(f"{p}: the logo cannot be read ({exc.strerror or exc})") from exc
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _date_label(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value.strip()
    if isinstance(value, dt.date):
        return day_text(value)
    return "" if value is None else str(value)


def _check_keys(meta: Mapping[str, Any]) -> None:
    unknown = sorted(set(meta) - set(_METADATA_KEYS))
    if unknown:
        raise ReportError(
            f"Unknown report setting(s) {', '.join(unknown)}; known: {', '.join(_METADATA_KEYS)}"
        )


def clean_report_metadata(meta: Mapping[str, Any] | None) -> dict[str, str]:
    """The cover-page settings as safe strings: other keys left out, the page size one of
    A4/Letter, the accent a hex colour, the logo a base64 image data: URI (else no logo).
    Text (client, consultant, firm) is kept as text: the template escapes it."""
    meta = dict(meta or {})
    out: dict[str, str] = {}
    for key in ("client", "consultant", "firm"):
        value = meta.get(key)
        if value is not None and str(value).strip():
            out[key] = str(value).strip()
    if meta.get("as_of") is not None:
        out["as_of"] = (
            meta["as_of"].isoformat() if isinstance(meta["as_of"], dt.date) else str(meta["as_of"])
        )
    label = meta.get("date_label") or _date_label(meta.get("as_of"))
    if label:
        out["date_label"] = str(label)
    page = str(meta.get("page_size") or "A4").strip().lower()
    out["page_size"] = "Letter" if page == "letter" else "A4"
    accent = str(meta.get("accent_color") or "").strip()
    out["accent_color"] = accent if _HEX.match(accent) else "#1f4e79"
    for key in ("logo_data_uri", "consultant_logo_data_uri"):
        logo = str(meta.get(key) or "").strip()
        if logo and _LOGO_URI.match(logo):
            out[key] = logo
    return out


# ------------------------------------------------------------------------------ cleaning


def _is_figure_repr(output: Mapping[str, Any]) -> bool:
    if output.get("output_type") not in ("execute_result", "display_data"):
        return False
    data = output.get("data", {})
    if set(data) - {"text/plain"}:
        return False
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return bool(_FIGURE_REPR.match(text))


def _clean_outputs(outputs: list[Any]) -> list[Any]:
    kept = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            continue
        if _is_figure_repr(out):
            continue
        kept.append(out)
    return kept


def _prepare(nb: Any, source: str) -> Any:
    """A cleaned deep copy: tagged cells removed, stderr and figure reprs dropped, empty
    code cells dropped; errors refused."""
    nb = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []) or [])
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    ename = out.get("ename", "Error")
                    raise ReportError(
                        f"{source}: cell {index + 1} failed ({ename}: {out.get('evalue', '')}); "
                        "a report is not exported from a notebook with a failed cell"
                    )
            cell.outputs = [] if tags & REMOVE_OUTPUT_TAGS else _clean_outputs(cell.get("outputs", []))
            if not cell.outputs:
                continue
        elif cell.cell_type == "raw":
            continue
        cells.append(cell)
    nb.cells = cells
    return nb


# ------------------------------------------------------------------------------ TOC

_HEADING = re.compile(r"<(h[23])((?:\s[^>]*)?)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


#: where the template wants the screen menu (before ``<main>``): filled by :func:`_add_toc`
MENU_MARKER = "<!-- alms:menu -->"


def _toc_list(entries: list[tuple[str, str, str]]) -> str:
    """The printed table of contents: every h2 and h3 as ``(level, anchor, text)``."""
    items = (
        f'<li class="toc-{level}"><a href="#{html_lib.escape(anchor, quote=True)}">'
        f"{html_lib.escape(text)}</a></li>"
        for level, anchor, text in entries
    )
    return '<ol class="toc-list">\n' + "\n".join(items) + "\n</ol>"


def _menu(entries: list[tuple[str, str, str]]) -> str:
    """The screen-only contents menu (templates/alms_report/screen.css): the report's sections
    (its h2 headings), as a sticky side column on a laptop and, on a phone, a "Contents" bar
    that opens the list (``<details>``: works without JavaScript). The same list twice, one
    shown per width; hidden in print (the printed contents page is ``nav.toc``)."""
    links = "".join(
        f'<li><a href="#{html_lib.escape(anchor, quote=True)}">{html_lib.escape(text)}</a></li>'
        for level, anchor, text in entries
        if level == "h2"
    )
    if not links:
        return ""
    return (
        '<nav class="alms-menu" aria-label="Sections">\n'
        '<details class="alms-menu-bar">\n'
        '<summary><span class="alms-menu-label">Contents</span>'
        '<span class="alms-menu-current"></span></summary>\n'
        f'<ol class="alms-menu-list">{links}</ol>\n'
        "</details>\n"
        '<div class="alms-menu-side">\n'
        '<p class="alms-menu-title">Contents</p>\n'
        f'<ol class="alms-menu-list">{links}</ol>\n'
        "</div>\n"
        "</nav>"
    )


def _add_toc(body: str) -> str:
    """Give every h2/h3 after the contents page an id, list them in the printed table of
    contents (``alms:toc-start`` ... ``alms:toc-end``) and the h2 in the screen menu (at
    :data:`MENU_MARKER`)."""
    start, end = "<!-- alms:toc-start -->", "<!-- alms:toc-end -->"
    i, j = body.find(start), body.find(end)
    if i < 0 or j < 0:
        return body.replace(MENU_MARKER, "")
    before, nav, after = body[:i], body[i + len(start) : j], body[j + len(end) :]
    entries: list[tuple[str, str, str]] = []
    used: set[str] = set(m.group(1) or m.group(2) for m in _ID.finditer(after))
    counter = 0

    def visit(match: re.Match[str]) -> str:
        nonlocal counter
        level, attrs, inner = match.group(1).lower(), match.group(2) or "", match.group(3)
        text = html_lib.unescape(_TAG.sub("", inner)).replace("\u00b6", "").strip()
        if not text:
            return match.group(0)
        found = _ID.search(attrs)
        if found:
            anchor = found.group(1) or found.group(2)
        else:
            slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"
            anchor = slug
            while anchor in used:
                counter += 1
                anchor = f"{slug}-{counter}"
            used.add(anchor)
            attrs = f'{attrs} id="{anchor}"'
        entries.append((level, anchor, text))
        return f"<{match.group(1)}{attrs}>{inner}</{match.group(1)}>"

    after = _HEADING.sub(visit, after)
    before = before.replace(MENU_MARKER, _menu(entries))
    if not entries:
        return before + after
    nav = nav.replace("<!-- alms:toc -->", _toc_list(entries))
    return before + nav + after


# ------------------------------------------------------------------------------ fonts

_FONTS_MARKER = "<!-- alms:fonts -->"


def _add_fonts(page: str) -> str:
    """The shipped faces as a ``<style>`` of ``@font-face`` data URIs: at the template's
    marker, else (another template) just before ``</head>``."""
    style = f'<style type="text/css">\n{font_face_css()}\n</style>'
    if _FONTS_MARKER in page:
        return page.replace(_FONTS_MARKER, style, 1)
    head_end = page.lower().find("</head>")
    return page if head_end < 0 else page[:head_end] + style + "\n" + page[head_end:]


# ------------------------------------------------------------------------------ export


def _read_notebook(notebook: Any) -> tuple[Any, str, Path | None]:
    (nbformat,) = notebook_modules("nbformat")

    if isinstance(notebook, (str, Path)):
        path = Path(notebook)
        try:
            nb = nbformat.read(path, as_version=4)
        except FileNotFoundError as exc:
            raise ReportError(f"{path}: the executed notebook does not exist") from exc
        except Exception as exc:  # nbformat raises several unrelated types
            raise ReportError(f"{path}: the notebook cannot be read ({exc})") from exc
        return nb, str(path), path.parent
    if hasattr(notebook, "cells") and hasattr(notebook, "metadata"):
        return notebook, "the notebook", None
    raise ReportError(f"export_html needs a notebook or its path, not {type(notebook).__name__}")


def export_html(
    notebook: Any,
    *,
    template_dir: Path | str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> str:
    """The executed notebook (path or ``NotebookNode``, not modified) as one self-contained
    HTML page with the ``alms_report`` template.

    ``metadata`` (client, consultant, firm, as_of, logo_data_uri, page_size, accent_color)
    completes or overrides the notebook's ``alms`` metadata for the cover page and the page
    settings (an unknown key here is an error; other keys in the notebook are ignored). ``template_dir`` is the folder holding ``alms_report/`` (default: found by
    :func:`find_template_dir`).
    """
    nb, source, folder = _read_notebook(notebook)
    tdir = Path(template_dir) if template_dir is not None else find_template_dir()
    if not (tdir / TEMPLATE_NAME / "conf.json").is_file():
        raise ReportError(f"{tdir}: no '{TEMPLATE_NAME}' template in this folder")

    nb = _prepare(nb, source)
    _check_keys(metadata or {})
    merged = dict(nb.metadata.get("alms", {}) or {})
    merged.update(dict(metadata or {}))
    nb.metadata["alms"] = clean_report_metadata(merged)
    nb.metadata.pop("widgets", None)  # widget state would make the page load scripts

    exporter = _exporter(str(tdir.resolve()))
    resources: dict[str, Any] = {"metadata": {"name": nb.metadata["alms"].get("client", "Report")}}
    if folder is not None:
        resources["metadata"]["path"] = str(folder)
    with _EXPORTING:  # one report at a time per exporter (each export sets its filters)
        try:
            body, _ = exporter.from_notebook_node(nb, resources=resources)
        except ReportError:
            raise
        except Exception as exc:
            raise ReportError(f"{source}: the HTML report could not be built ({exc})") from exc
        finally:
            # nbconvert keeps each notebook's metadata on the exporter; a process exporting
            # many clients' reports (a batch worker, a kernel) must not keep them all
            kept = getattr(exporter, "_nb_metadata", None)
            if isinstance(kept, dict):
                kept.clear()
    return _add_fonts(_add_toc(body))


def warm_up() -> None:
    """Export a one-cell notebook now: nbconvert imported, the report's template compiled and
    the selectors nbconvert's clean-up uses compiled, so the report's HTML, exported after the
    notebook has run, starts at once (the audit runner calls it while the notebook runs)."""
    (nbformat,) = notebook_modules("nbformat")
    v4 = nbformat.v4
    cell = v4.new_code_cell("", metadata={"tags": ["remove-input"]}, outputs=[
        v4.new_output("display_data", data={"text/html": "<table><tr><td>1</td></tr></table>"})])
    export_html(v4.new_notebook(cells=[v4.new_markdown_cell("## Warm-up"), cell]))


#: held while the shared exporter exports
_EXPORTING = threading.Lock()


@functools.cache
def _exporter(template_dir: str) -> Any:
    """The HTML exporter of the ``alms_report`` template in ``template_dir``, made once per
    process: its templates are compiled once (a fifth of a second), then every report reuses
    them."""
    notebook_modules("nbformat")  # before nbconvert imports it (no grammar compiled at start-up)
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.mathjax_url = ""
    c.HTMLExporter.require_js_url = ""
    return HTMLExporter(config=c, template_name=TEMPLATE_NAME, extra_template_basedirs=[template_dir])
