"""One look on every machine (issue 13, item 2): the toolkit ships its font family ("ALMS
Sans", Liberation Sans 2.x renamed, SIL OFL 1.1) and every deliverable uses it - the HTML
report embeds it, the report and seller PDFs embed only it, the charts draw with it - and a
card's money figure is never broken across lines, in the PDF or on a phone."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from official_lists import official_list
from period_billing import monthly_of

from alms_toolkit.fonts import FACES, FAMILY, FONT_DIR, LICENCE_FILE, font_face_css, font_files
from alms_toolkit.report.charts import figures
from alms_toolkit.report.charts.style import chart_style
from alms_toolkit.report.views.display import kpi_cards, status_badge, styles, table, wrap_output
from alms_toolkit.report.writers.html import export_html
from alms_toolkit.report.writers.pdf import html_to_pdf
from alms_toolkit.report.writers.seller_pdf import write_seller_pdf

M = 1_000_000
#: the PDF names of the shipped faces, after WeasyPrint's subset tag ("ABCDEF+")
PDF_FONT = re.compile(r"^[A-Z]{6}\+ALMS-Sans(?:-Bold|-Italic|-Bold-Italic)?$")
#: the same faces as Typst names them in a seller's PDF (their PostScript names, subset tagged)
TYPST_PDF_FONT = re.compile(r"^[A-Z]{6}\+ALMSSans-(?:Regular|Bold|Italic|BoldItalic)$")
#: wide card figures: a money figure, a count with spaces (breakable without nowrap), a loss
CARDS = [("Revenue, 12 months", "$98,765,432.10", "from 4,936 spending clients"),
         ("KEY accounts", "1,234 of 4,936", "25% of spending clients"),
         ("KEY billing lost", "-$12,345,678.90", "12 KEY accounts lapsed"),
         ("KEY cut-off", "$28,590.29", "12-month billing or more")]
#: characters a report shows besides ASCII: currency, dashes, quotes, bullet, ellipsis, names
SHOWN = "€ £ ¥ – — ‘ ’ “ ” • … × · Łódź Dvořák Ærø Şişli"

needs_pdffonts = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler's pdffonts")


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """``pdffonts``' (name, emb) rows, columns cut where its ruler line says."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    return [(row[slice(*spans[0])].strip(), row[slice(*spans[4])].strip()) for row in lines[2:] if row.strip()]


def report_notebook() -> object:
    money = pd.DataFrame({"client": ["Łódź Logistics Sp. z o.o.", "Café “Noir” – Ltd"],
                          "billing": pd.array([9_439_045_030_000, 42_040_000], dtype="int64")})
    cells = [
        new_markdown_cell("## Executive summary\n\nThe **cut-off** is *here*; ***both*** too."),
        new_code_cell("cards", metadata={"tags": ["remove-input"]}, outputs=[new_output(
            "display_data", data={"text/html": wrap_output(kpi_cards(CARDS)), "text/plain": "cards"})]),
        new_code_cell("table", metadata={"tags": ["remove-input"]}, outputs=[new_output(
            "display_data", data={"text/html": wrap_output(
                table(money, {"client": "Client", "billing": "12-month billing"}, money=["billing"])
                + status_badge("pass") + status_badge("fail") + status_badge("not assessed")
                + f"<p>{SHOWN}</p>"), "text/plain": "table"})]),
        new_markdown_cell("## Next steps\n\nPublish the lists."),
    ]
    nb = new_notebook()
    nb.cells = cells
    return nb


@pytest.fixture(scope="module")
def report_html() -> str:
    return export_html(report_notebook(), metadata={"client": "Łódź “Northwind” Traders",
                                                    "consultant": "Jo Adviser", "as_of": "2025-07-01"})


@pytest.fixture(scope="module")
def report_pdf(report_html: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return html_to_pdf(report_html, tmp_path_factory.mktemp("pdf") / "report.pdf")


# ------------------------------------------------------------------------------ the faces


def test_the_shipped_faces_are_the_private_family_with_their_licence():
    assert [p.name for p in font_files()] == [f.ttf for f in FACES]
    for face in FACES:
        for file in (face.ttf, face.woff2):
            font = TTFont(FONT_DIR / file)
            names = font["name"]
            assert names.getDebugName(1) == FAMILY and names.getDebugName(2) == face.style
            assert "Liberation" not in (names.getDebugName(4) or "")  # an OFL reserved name
            assert "Open Font License" in (names.getDebugName(13) or "")
            cmap = font.getBestCmap()
            assert all(ord(c) in cmap for c in SHOWN + "\u2713\u2717\u2212\u00a0\u202f"), file
            assert font["OS/2"].usWeightClass == face.weight
            assert bool(font["head"].macStyle & 2) == face.italic
    licence = (FONT_DIR / LICENCE_FILE).read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name Liberation" in licence


# ------------------------------------------------------------------------------ HTML


def test_the_html_report_embeds_the_family_and_loads_nothing(report_html: str):
    assert report_html.count("@font-face") == len(FACES)
    assert font_face_css() in report_html
    urls = re.findall(r"""url\(\s*["']?([^"')\s]+)""", report_html)
    assert urls and all(u.startswith("data:") for u in urls)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", report_html)
    # every family the page names is the shipped one (or the variable holding it)
    families = re.findall(r"(?:font-family|--font)\s*:\s*([^;}]+)", report_html)
    assert families and all(f.strip() in ('"ALMS Sans"', '"ALMS Sans", sans-serif', "var(--font)", "inherit")
                            for f in families), families
    shorthands = re.findall(r"(?<![-\w])font\s*:\s*([^;}]+)", report_html)
    assert all(s.strip() == "inherit" or s.strip().endswith("var(--font)") for s in shorthands), shorthands


def test_jupyterlab_gets_the_faces_with_the_components():
    css = str(styles("#aa3300"))
    assert font_face_css() in css and '"ALMS Sans", sans-serif' in css


# ------------------------------------------------------------------------------ PDFs


@needs_pdffonts
def test_the_report_pdf_embeds_only_the_shipped_family(report_pdf: Path):
    fonts = pdf_fonts(report_pdf)
    assert {name.split("+")[1] for name, _ in fonts} >= {"ALMS-Sans", "ALMS-Sans-Bold", "ALMS-Sans-Italic",
                                                         "ALMS-Sans-Bold-Italic"}
    for name, emb in fonts:
        assert PDF_FONT.match(name) and emb == "yes", (name, emb)


@needs_pdffonts
def test_a_seller_pdf_embeds_only_the_shipped_family(tmp_path: Path):
    as_of = dt.date(2025, 7, 1)
    accounts = pd.DataFrame({
        "seller": ["Ann Lee", "Ann Lee"], "client_key": ["lodz", "cafe"],
        "client": ["Łódź Logistics Sp. z o.o.", "Café “Noir” – Ltd"], "tier": ["KEY", "SECONDARY"],
        "rank": pd.array([1, 2], dtype="Int64"), "billing": pd.array([50_000 * M, 1_000 * M], dtype="int64"),
        "share_of_seller": [50 / 51, 1 / 51]})
    monthly = monthly_of([("lodz", "2024-09-15", 50_000 * M), ("cafe", "2024-10-15", 1_000 * M)], as_of)
    official = official_list(seller_accounts=accounts, monthly=monthly, as_of=as_of, cutoff=20_000 * M,
                             client_name="Northwind “Traders”", currency="€")
    fonts = pdf_fonts(write_seller_pdf(official, "Ann Lee", tmp_path / "ann.pdf"))
    assert fonts
    for name, emb in fonts:
        assert TYPST_PDF_FONT.match(name) and emb == "yes", (name, emb)


@needs_pdffonts
def test_no_card_figure_is_split_across_lines_in_the_pdf(report_pdf: Path):
    """The executive summary's cards, read back in layout order: each figure whole on one line."""
    text = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "3", str(report_pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Executive summary" in text
    lines = text.splitlines()
    for _label, figure, _note in CARDS:
        assert any(figure in line for line in lines), (figure, text)


# ------------------------------------------------------------------------------ a phone


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
def test_cards_and_money_cells_stay_on_one_line_on_a_phone_in_the_shipped_font(report_html, tmp_path):
    """Headless Chromium at 390 px: every card figure and every money cell is one line, and
    the text is drawn with the embedded family (Chromium's own account of the font used)."""
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(report_html, encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})
            page.goto(page_file.as_uri())
            page.evaluate("() => document.fonts.ready")
            figures_ = page.locator(".kpi .value, td.num").all()
            assert len(figures_) == len(CARDS) + 2
            for element in figures_:
                lines = element.evaluate(
                    "e => { const r = document.createRange(); r.selectNodeContents(e);"
                    " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")
                assert lines == 1, element.inner_text()
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            for selector in (".kpi .value", "td.num", ".alms-output p", "h2", ".badge"):
                node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
                used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                assert {f["familyName"] for f in used} == {FAMILY}, (selector, used)
        finally:
            browser.close()


# ------------------------------------------------------------------------------ charts


def _charts() -> list:
    accounts = pd.DataFrame({"tier": ["KEY", "SECONDARY", "SECONDARY"],
                             "billing": pd.array([700 * M, 200 * M, 100 * M], dtype="int64")})
    sellers = pd.DataFrame({"seller": ["Łukasz Nowak", "Ann Lee"], "n_key": [2, 1], "n_secondary": [3, 0],
                            "billing_key": pd.array([900 * M, 400 * M], dtype="int64"),
                            "billing_secondary": pd.array([90 * M, 0], dtype="int64")})
    flagged = pd.DataFrame({"billing": pd.array([5_000 * M], dtype="int64"), "reason": ["falling"]})
    pareto = pd.DataFrame({"client_share": [1 / 3, 2 / 3, 1.0], "revenue_share": [0.7, 0.9, 1.0]})
    return [figures.pareto_chart(pareto, 1 / 3, 1, 0.7, cutoff=700 * M, currency="€"),
            figures.tier_revenue_chart(accounts), figures.seller_mix_chart(sellers),
            figures.growth_risk_chart(flagged.assign(reason="new"), flagged),
            figures.migration_chart({"KEY": 3}, {"KEY": 2, "LAPSED": 1})]


def test_chart_text_is_drawn_with_the_shipped_family():
    shipped = {str(p) for p in font_files()}
    for fig in _charts():
        with chart_style():
            used = {font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
                    for t in fig.findobj(lambda a: hasattr(a, "get_fontproperties") and hasattr(a, "get_text"))
                    if t.get_text().strip()}
        assert used and {str(u) for u in used} <= shipped, (fig.get_label(), used)
        # the SVG draws each glyph as a path named after the face it comes from
        faces = set(re.findall(r'<path id="([A-Za-z]+-[A-Za-z]+)-[0-9a-f]+"', figures.figure_to_svg(fig)))
        assert faces and faces <= {"ALMSSans-Regular", "ALMSSans-Bold"}, (fig.get_label(), faces)
