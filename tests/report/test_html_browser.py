"""The HTML report in a real browser (Chromium through Playwright: the system's
/usr/bin/chromium, never a downloaded browser) on a laptop (1280 px) and a phone (390 px):
the sticky contents menu, the sortable long tables, no sideways scrolling, no script
errors, the page without JavaScript; and the PDF (WeasyPrint) without any of it.

The report is exported from a small notebook (six sections, a long money table ending in a
Total row, a hand-written table with a ``tr.total`` and a ``tfoot``), so the test runs in
seconds. Run it alone: ``.venv/bin/pytest tests/report/test_html_browser.py -v``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from alms_toolkit.report.views import display
from alms_toolkit.report.writers.html import export_html, find_template_dir

CHROMIUM = Path("/usr/bin/chromium")
SECTIONS = ["Executive summary", "The list today", "Duplicates combined", "The KEY cut-off",
            "Lapsed accounts", "Appendix: data reconciliation"]
#: 14 clients' billing in micros: the text order ("$1,234.56" < "$100.00" < "$9.99") is not the value order
BILLING = [9_990_000, 1_234_560_000, 100_000_000, -42_040_000, 546_910_730_000, 0, 28_590_290_000,
           75_000_000, 1_000_000_000_000, 12_500_000, 3_000_000, 88_475_400_000, 999_990_000, 5_000_000]
#: a hand-written table's cells, parsed from their text (no data-sort)
TEXT_MONEY = ["$1,234.56", "-$42.04", "$9.99", "—", "$100.00", "$12,000.00", "$0.00", "$75.50",
              "-$1,000.00", "$2.00", "$350.25", "$18.00"]
TEXT_SHARE = ["12.5%", "3.0%", "100.0%", "0.5%", "—", "45.2%", "7.7%", "9.1%", "2.2%", "60.0%",
              "1.0%", "33.3%"]


def _money(micros: int) -> str:
    from alms_toolkit.money import format_money

    return format_money(micros, "$")


def _html_output(html: str) -> object:
    return new_output("display_data", data={"text/html": display.wrap_output(html), "text/plain": ""})


def _notebook():
    words = ("The KEY accounts hold most of the revenue; each seller keeps the clients they "
             "billed most, and the list is republished every month. ")
    clients = pd.DataFrame({
        "rank": range(1, len(BILLING) + 1),
        "client": [f"Client {chr(ord('A') + i)}" for i in range(len(BILLING))],
        "billing": pd.array(BILLING, dtype="int64"),
    })
    total = pd.DataFrame({"rank": [pd.NA], "client": ["Total"], "billing": [sum(BILLING)]})
    long_table = display.table(
        pd.concat([clients, total], ignore_index=True).astype({"rank": "Int64", "billing": "int64"}),
        {"rank": "Rank", "client": "Client", "billing": "12-month billing"},
        money=["billing"], integer=["rank"], max_rows=None,
    )
    short_table = display.table(clients.head(5), {"client": "Client", "billing": "Billing"},
                                money=["billing"])
    rows = "".join(
        f"<tr><td>Seller {chr(ord('a') + i)}</td><td class=\"num\">{m}</td><td class=\"num\">{s}</td></tr>"
        for i, (m, s) in enumerate(zip(TEXT_MONEY, TEXT_SHARE, strict=True))
    )
    text_table = (
        '<table class="alms-table"><thead><tr><th>Seller</th><th class="num">Billing</th>'
        '<th class="num">Share</th></tr></thead><tbody>' + rows
        + '<tr class="total"><td>All sellers</td><td class="num">$13,647.32</td><td class="num">100.0%</td></tr>'
        "</tbody><tfoot><tr><td>Checked</td><td class=\"num\">yes</td><td></td></tr></tfoot></table>"
    )
    nb = new_notebook()
    nb.metadata["alms"] = {"client": "Harborlight Media Group", "as_of": "2025-07-01"}
    for number, title in enumerate(SECTIONS):
        if number == len(SECTIONS) - 1:  # a short last section: it never reaches the window's top
            nb.cells.append(new_markdown_cell(f"## {title}\n\n" + words * 2))
            break
        nb.cells.append(new_markdown_cell(f"## {title}\n\n" + words * 12))
        if number == 0:
            nb.cells.append(new_markdown_cell("### Top actions\n\n" + words * 4))
        if number == 1:
            nb.cells.append(new_code_cell("", outputs=[_html_output(long_table)]))
            nb.cells.append(new_code_cell("", outputs=[_html_output(short_table)]))
        if number == 2:
            nb.cells.append(new_code_cell("", outputs=[_html_output(text_table)]))
        nb.cells.append(new_markdown_cell(words * 20))
    return nb


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(export_html(_notebook()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


class Page:
    """A page of the report at one width, with the script errors it logged."""

    def __init__(self, browser, report: Path, width: int, *, javascript: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800},
                                           java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(report.as_uri())

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def top(self, selector: str) -> float:
        return float(self.page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top"))

    def settle(self) -> None:
        self.page.wait_for_timeout(250)  # the script marks the section on the next frame

    def current(self) -> list[str]:
        return self.page.locator("nav.alms-menu a[aria-current=true]").evaluate_all(
            "links => links.filter(a => a.offsetParent !== null).map(a => a.textContent)")

    def close(self) -> None:
        assert self.errors == []
        self.context.close()


@pytest.fixture
def laptop(browser, report) -> Iterator[Page]:
    page = Page(browser, report, 1280)
    yield page
    page.close()


@pytest.fixture
def phone(browser, report) -> Iterator[Page]:
    page = Page(browser, report, 390)
    yield page
    page.close()


def _table(page: Page, header: str):
    """The sortable table with a column headed ``header``."""
    return page.page.locator("table.alms-sortable-table").filter(
        has=page.page.locator("th", has_text=header))


def _column(table, col: int) -> list[str]:
    return table.locator("tbody tr").evaluate_all(
        "(rows, col) => rows.map(r => r.cells[col].textContent.trim())", col)


@pytest.mark.browser
def test_laptop_menu_is_sticky_and_marks_the_section(laptop):
    side = laptop.page.locator("nav.alms-menu .alms-menu-side")
    assert side.is_visible() and not laptop.page.locator("nav.alms-menu summary").is_visible()
    assert side.locator("a").all_inner_texts() == SECTIONS
    assert laptop.js("document.documentElement.scrollWidth") <= 1280
    menu_box = laptop.page.locator("nav.alms-menu").bounding_box()
    main_box = laptop.page.locator("main.report").bounding_box()
    assert menu_box["x"] + menu_box["width"] <= main_box["x"]  # a column left of the page

    side.locator("a", has_text="Lapsed accounts").click()
    laptop.settle()
    assert laptop.js("window.scrollY") > 3000
    assert 0 <= laptop.top("#lapsed-accounts") < 80  # the section is at the top of the window
    assert side.is_visible() and laptop.top("nav.alms-menu") == 0  # stuck, not scrolled away
    assert laptop.current() == ["Lapsed accounts"]

    laptop.js("window.scrollTo(0, document.getElementById('the-list-today').offsetTop + 300)")
    laptop.settle()
    assert laptop.current() == ["The list today"]  # reading on: the menu follows
    laptop.js("window.scrollTo(0, document.documentElement.scrollHeight)")
    laptop.settle()
    assert laptop.current() == ["Appendix: data reconciliation"]  # a short last section too
    laptop.js("window.scrollTo(0, 0)")
    laptop.settle()
    assert laptop.current() == []  # the cover: no section yet


@pytest.mark.browser
def test_phone_menu_is_a_collapsed_bar(phone):
    assert phone.js("document.documentElement.scrollWidth") <= 390  # nothing runs off the edge
    bar = phone.page.locator("details.alms-menu-bar")
    assert bar.is_visible() and not phone.page.locator(".alms-menu-side").is_visible()
    assert bar.get_attribute("open") is None
    assert not bar.locator("a").first.is_visible()
    assert bar.bounding_box()["height"] <= 60  # one compact bar
    phone.js("window.scrollTo(0, document.getElementById('the-list-today').offsetTop + 300)")
    phone.settle()
    assert phone.top("nav.alms-menu") == 0 and bar.is_visible()  # stays at the top
    assert phone.page.locator(".alms-menu-current").inner_text().endswith("The list today")

    bar.locator("summary").click()
    links = bar.locator("a")
    assert links.all_inner_texts() == SECTIONS and links.first.is_visible()
    links.filter(has_text="The KEY cut-off").click()
    phone.settle()
    assert bar.get_attribute("open") is None  # choosing closes the list
    bottom = bar.bounding_box()["height"]
    assert bottom <= phone.top("#the-key-cut-off") < bottom + 60  # below the bar, not under it
    assert phone.page.locator(".alms-menu-current").inner_text().endswith("The KEY cut-off")
    bar.locator("summary").focus()
    phone.page.keyboard.press("Enter")
    assert bar.get_attribute("open") is not None
    phone.page.keyboard.press("Escape")
    assert bar.get_attribute("open") is None


@pytest.mark.browser
def test_long_table_sorts_by_value_and_keeps_its_total_last(laptop):
    table = _table(laptop, "Rank")
    assert laptop.page.locator("table.alms-sortable-table").count() == 2  # the 5-row table is not
    header = table.locator("th", has_text="12-month billing")
    button = header.locator("button.alms-sort")
    assert header.get_attribute("aria-sort") is None
    pairs = dict(zip(_column(table, 1), _column(table, 0), strict=True))  # client -> rank
    total = _money(sum(BILLING))

    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _column(table, 2) == [_money(m) for m in sorted(BILLING)] + [total]
    assert _column(table, 1)[-1] == "Total"
    # a rank stays with its client: sorting moves rows, it never renumbers them
    assert dict(zip(_column(table, 1), _column(table, 0), strict=True)) == pairs

    button.focus()
    laptop.page.keyboard.press("Enter")  # the keyboard sorts too
    assert header.get_attribute("aria-sort") == "descending"
    assert _column(table, 2) == [_money(m) for m in sorted(BILLING, reverse=True)] + [total]

    client = table.locator("th", has_text="Client")
    client.locator("button").click()
    assert client.get_attribute("aria-sort") == "ascending" and header.get_attribute("aria-sort") is None
    names = _column(table, 1)
    assert names[:-1] == sorted(names[:-1], key=str.lower) and names[-1] == "Total"
    table.locator("th", has_text="Rank").locator("button").click()
    assert _column(table, 0) == [str(r) for r in range(1, len(BILLING) + 1)] + [""]


@pytest.mark.browser
def test_table_without_raw_values_sorts_its_text_by_value(laptop):
    table = _table(laptop, "Seller")
    table.locator("th", has_text="Billing").locator("button").click()
    money = _column(table, 1)

    def value(text: str) -> float:
        return float(text.replace("$", "").replace(",", ""))

    filled = [m for m in TEXT_MONEY if m != "—"]
    assert money == sorted(filled, key=value) + ["—", "$13,647.32"]  # empty last, tr.total after
    assert table.locator("tfoot td").first.inner_text() == "Checked"
    table.locator("th", has_text="Share").locator("button").click()
    table.locator("th", has_text="Share").locator("button").click()
    shares = _column(table, 2)
    filled = [s for s in TEXT_SHARE if s != "—"]
    assert shares == sorted(filled, key=lambda s: -float(s[:-1])) + ["—", "100.0%"]


@pytest.mark.browser
def test_without_javascript_everything_reads(browser, report):
    page = Page(browser, report, 390, javascript=False)
    try:
        assert page.page.locator("button.alms-sort").count() == 0
        assert page.page.locator("table").count() == 3
        assert page.page.locator("tbody tr").count() == 15 + 5 + 13
        bar = page.page.locator("details.alms-menu-bar")
        bar.locator("summary").click()  # details/summary: opens without a script
        assert bar.locator("a").first.is_visible()
        assert page.js("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()
    page = Page(browser, report, 1280, javascript=False)
    try:
        assert page.page.locator(".alms-menu-side a").all_inner_texts() == SECTIONS
    finally:
        page.close()


def _pdf(html: str, path: Path) -> tuple[str, list[bytes]]:
    from alms_toolkit.report.writers.pdf import html_to_pdf

    html_to_pdf(html, path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(path.with_suffix(""))], check=True)
    images = [p.read_bytes() for p in sorted(path.parent.glob(f"{path.stem}-*.png"))]
    return text, images


@pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
                    reason="needs poppler-utils (pdftotext, pdftoppm)")
def test_pdf_has_none_of_the_screen_parts(report, tmp_path):
    """The same PDF, page for page and pixel for pixel, with and without the menu, the
    script and screen.css: the printed report is what it was."""
    page = report.read_text(encoding="utf-8")
    css = (find_template_dir() / "alms_report" / "screen.css").read_text(encoding="utf-8").strip()
    assert css in page and '<nav class="alms-menu"' in page and "<script>" in page
    bare = page.replace(css, "")
    bare = re.sub(r'<nav class="alms-menu".*?</nav>', "", bare, flags=re.DOTALL)
    bare = re.sub(r"<script>.*?</script>", "", bare, flags=re.DOTALL)
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    text, images = _pdf(page, tmp_path / "with" / "report.pdf")
    bare_text, bare_images = _pdf(bare, tmp_path / "without" / "report.pdf")
    assert text == bare_text
    assert len(images) == len(bare_images) > 1
    assert images == bare_images
    assert text.count("Contents") == 1  # the printed contents page's title, not the menu's
