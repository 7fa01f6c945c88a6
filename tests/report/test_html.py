"""export_html: finished work only (no code, prompts, params, stderr), cover, TOC, offline."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from alms_toolkit.errors import ReportError
from alms_toolkit.report.writers.html import (
    clean_report_metadata,
    export_html,
    find_template_dir,
    logo_data_uri,
)

HOSTILE = 'Acme <img src="file:///etc/passwd"> & Co'
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def build_notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["alms"] = {"client": "Northwind Traders", "consultant": "Jo Adviser",
                           "firm": "Adviser & Partners", "as_of": "2025-01-15"}
    nb.cells = [
        new_code_cell("client_dir = 'PARAM_DEFAULT'", metadata={"tags": ["parameters"]}),
        new_code_cell("client_dir = 'INJECTED_SECRET'", metadata={"tags": ["injected-parameters"]}),
        new_code_cell("import alms_toolkit  # SETUP_CODE", metadata={"tags": ["remove-cell"]},
                      outputs=[new_output("stream", name="stdout", text="SETUP_OUTPUT\n")]),
        new_markdown_cell("## Executive summary\n\nThe **cut-off** is here."),
        new_code_cell(
            "show_table(A)  # DISPLAY_CODE",
            metadata={"tags": ["remove-input"]},
            execution_count=4,
            outputs=[
                new_output("display_data", data={
                    "text/html": '<table><thead><tr><th>Client</th><th class="num">Billing</th></tr></thead>'
                                 '<tbody><tr><td>Acme</td><td class="num">$1,200.00</td></tr></tbody></table>',
                    "text/plain": "TABLE_PLAIN"}),
                new_output("stream", name="stderr", text="UserWarning: STDERR_NOISE\n"),
            ],
        ),
        new_markdown_cell("### Detail of the cut-off"),
        new_code_cell("fig", execution_count=5, outputs=[new_output(
            "execute_result", data={"text/plain": "<Figure size 640x480 with 1 Axes>"}, execution_count=5)]),
        new_code_cell("x = 1  # NO_OUTPUT_CODE", execution_count=6),
        new_markdown_cell("## Next steps"),
        new_code_cell("print('hello')", execution_count=7,
                      outputs=[new_output("stream", name="stdout", text="STDOUT_KEPT\n")]),
    ]
    return nb


@pytest.fixture(scope="module")
def page() -> str:
    return export_html(build_notebook())


def test_no_code_no_prompts_no_params_no_stderr(page):
    for text in ("<code", "PARAM_DEFAULT", "INJECTED_SECRET", "SETUP_CODE", "SETUP_OUTPUT",
                 "DISPLAY_CODE", "NO_OUTPUT_CODE", "STDERR_NOISE", "Figure size", "In&nbsp;[",
                 "Out[", "jp-InputArea-editor", "print('hello')", "TABLE_PLAIN"):
        assert text not in page, text
    assert "$1,200.00" in page
    assert "STDOUT_KEPT" in page
    assert "The <strong>cut-off</strong> is here." in page


def test_cover_page(page):
    assert '<h1 class="cover-client">Northwind Traders</h1>' in page
    assert "ALMS Challenge - account list audit" in page
    assert "Jo Adviser" in page and "Adviser &amp; Partners" in page
    assert "As of 15 January 2025" in page
    assert "<title>Northwind Traders - ALMS Challenge account list audit</title>" in page


def test_table_of_contents_links_every_h2_and_h3(page):
    start = page.index('class="toc"')
    toc = page[start:page.index("</nav>", start)]
    assert 'class="toc"' in toc
    entries = re.findall(r'<li class="toc-(h[23])"><a href="#([^"]+)">([^<]+)</a>', toc)
    assert [(lvl, text) for lvl, _, text in entries] == [
        ("h2", "Executive summary"), ("h3", "Detail of the cut-off"), ("h2", "Next steps"),
    ]
    for _, anchor, _ in entries:
        assert page.count(f'id="{anchor}"') == 1


def test_self_contained(page):
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}/", page, re.IGNORECASE)  # no URL at all
    assert "<link" not in page.lower()
    assert "@page { size: A4; }" in page
    # one script, the template's own, written into the page: nothing loaded, nothing fetched
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.IGNORECASE | re.DOTALL)
    assert len(scripts) == 1
    attrs, code = scripts[0]
    assert attrs.strip() == ""
    for call in ("fetch(", "XMLHttpRequest", "import(", "eval(", "document.write", "localStorage"):
        assert call not in code, call
    assert "IntersectionObserver" in code and "aria-sort" in code


def _menu(page: str) -> str:
    return page[page.index('<nav class="alms-menu"'):page.index("</nav>", page.index('<nav class="alms-menu"'))]


def test_screen_menu_lists_every_h2_in_order(page):
    body = page[page.index('<p class="toc-title">'):]
    h2 = re.findall(r'<h2[^>]*\sid="([^"]+)"[^>]*>(.*?)</h2>', body, re.DOTALL)
    assert [text for _, text in h2] == ["Executive summary", "Next steps"]
    menu = _menu(page)
    assert page.index('<nav class="alms-menu"') < page.index('<main class="report">')
    # the phone's bar (details: opens without script) and the laptop's column: the same list
    bar = menu[menu.index("<details"):menu.index("</details>")]
    side = menu[menu.index('<div class="alms-menu-side">'):]
    assert "<summary>" in bar and "Contents" in bar
    for part in (bar, side):
        links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', part)
        assert links == h2  # every h2, in order, and nothing else (no h3)
    assert "Detail of the cut-off" not in menu


def test_screen_menu_is_escaped_and_absent_without_sections():
    nb = build_notebook()
    nb.cells.append(new_markdown_cell("## Risks & <b>gains</b>"))
    menu = _menu(export_html(nb))
    assert '<a href="#risks-gains">Risks &amp; gains</a>' in menu
    nb.cells = [c for c in nb.cells if not c.source.startswith("## ")]
    page = export_html(nb)
    assert '<nav class="alms-menu"' not in page  # no h2: no menu
    assert "alms:menu" not in page


def _css_blocks(css: str) -> list[tuple[str, str]]:
    """The top-level ``(prelude, body)`` blocks of a style sheet without comments."""
    blocks, depth, prelude, body = [], 0, "", ""
    for char in css:
        if char == "{":
            depth += 1
            if depth == 1:
                continue
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((prelude.strip(), body.strip()))
                prelude, body = "", ""
                continue
        if depth == 0:
            prelude += char
        else:
            body += char
    assert depth == 0 and not prelude.strip()
    return blocks


def test_screen_css_never_reaches_print():
    """screen.css: the menu's rules are for a screen (elsewhere it is hidden), the rest style
    the sort buttons only the page's script makes (WeasyPrint runs none): nothing here can
    change the PDF."""
    css = (find_template_dir() / "alms_report" / "screen.css").read_text(encoding="utf-8")
    blocks = _css_blocks(re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL))
    screen = [body for prelude, body in blocks if re.fullmatch(r"@media screen(?: and \(.*\))?", prelude)]
    assert len(screen) == 3 and all(".alms-menu" in body for body in screen)
    rules = [(p, b) for p, b in blocks if not p.startswith("@media screen")]
    for prelude, body in list(rules):
        if prelude == "@media print":
            rules += _css_blocks(body)
    assert (".alms-menu", "display: none;") in rules
    for prelude, body in rules:
        if prelude == "@media print" or (prelude, body) == (".alms-menu", "display: none;"):
            continue
        assert all("alms-sort" in selector for selector in prelude.split(",")), prelude
    assert "print" not in " ".join(body for body in screen)


def test_input_notebook_not_modified():
    nb = build_notebook()
    before = copy.deepcopy(nb)
    export_html(nb, metadata={"client": "Other", "page_size": "Letter"})
    assert nb == before


def test_metadata_argument_overrides_and_is_escaped(tmp_path):
    nb = build_notebook()
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    page = export_html(path, metadata={
        "client": HOSTILE, "page_size": "letter", "accent_color": "red; } body { display:none",
        "logo_data_uri": f"data:image/png;base64,{PNG_1PX}",
        "consultant_logo_data_uri": f"data:image/png;base64,{PNG_1PX}",
    })
    assert "Acme &lt;img src=" in page
    assert '<img src="file:' not in page
    assert "@page { size: Letter; }" in page
    assert "--accent: #1f4e79;" in page  # an unusable colour falls back to the default
    logo = re.search(r"<img[^>]*cover-logo[^>]*>", page).group(0)
    assert f'src="data:image/png;base64,{PNG_1PX}"' in logo
    # the consultant's firm's logo sits with "Prepared by"
    firm_logo = re.search(r'<img[^>]*cover-consultant-logo[^>]*>', page).group(0)
    assert f'src="data:image/png;base64,{PNG_1PX}"' in firm_logo


def test_metadata_checks():
    assert "logo_data_uri" not in clean_report_metadata({"logo_data_uri": "file:///etc/passwd"})
    assert "logo_data_uri" not in clean_report_metadata({"logo_data_uri": "http://x/logo.png"})
    assert "consultant_logo_data_uri" not in clean_report_metadata({"consultant_logo_data_uri": "file:///x.png"})
    assert clean_report_metadata({"accent_color": "#a1B2c3"})["accent_color"] == "#a1B2c3"
    assert clean_report_metadata({})["page_size"] == "A4"
    assert "colour" not in clean_report_metadata({"colour": "red"})
    with pytest.raises(ReportError, match="Unknown report setting.*colour"):
        export_html(build_notebook(), metadata={"colour": "red"})


def test_logo_data_uri(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    assert logo_data_uri(logo).startswith("data:image/png;base64,iVBORw0KGg")
    with pytest.raises(ReportError, match="PNG, JPEG"):
        logo_data_uri(tmp_path / "logo.exe")
    with pytest.raises(ReportError, match="cannot be read"):
        logo_data_uri(tmp_path / "missing.png")


def test_failed_cell_is_refused():
    nb = build_notebook()
    nb.cells.append(new_code_cell("1/0", outputs=[new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["tb"])]))
    with pytest.raises(ReportError, match="cell 11 failed.*ZeroDivisionError"):
        export_html(nb)


def test_missing_notebook_and_template(tmp_path):
    with pytest.raises(ReportError, match="does not exist"):
        export_html(tmp_path / "nope.ipynb")
    with pytest.raises(ReportError, match="no 'alms_report' template"):
        export_html(build_notebook(), template_dir=tmp_path)
    with pytest.raises(ReportError, match="notebook or its path"):
        export_html(42)


def test_template_is_found():
    assert (find_template_dir() / "alms_report" / "index.html.j2").is_file()


def test_one_exporter_serves_every_report_without_carrying_anything_over() -> None:
    """The exporter (its compiled template) is made once per process and warmed while the
    notebook runs: a report exported after another, or after the warm-up, is the one a fresh
    exporter gives."""
    from alms_toolkit.report.writers.html import warm_up

    nb = build_notebook()
    first = export_html(nb)
    other = build_notebook()
    other.metadata["alms"] = {"client": "Contoso Pharmaceuticals", "as_of": "2024-06-30"}
    other.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    other.cells = [new_markdown_cell("## Only section\n\nOTHER_REPORT_TEXT")]
    between = export_html(other)
    warm_up()
    again = export_html(nb)
    assert again == first
    assert "OTHER_REPORT_TEXT" in between and "Contoso" in between
    assert "OTHER_REPORT_TEXT" not in again and "Contoso" not in again
    assert "Northwind Traders" not in between
    from alms_toolkit.report.writers.html import _exporter

    exporter = _exporter(str(find_template_dir().resolve()))
    assert exporter._nb_metadata == {}  # no notebook's metadata kept after its export
