"""The client report's PDF: laid out by Typst from the report's HTML (every part of the display
helpers' vocabulary), and printed from the HTML by WeasyPrint when the page holds anything
else, never in a guessed layout."""

from __future__ import annotations

import logging
import re

import pandas as pd
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from alms_toolkit.report.charts.figures import charts_for_display
from alms_toolkit.report.views import display as show
from alms_toolkit.report.writers.html import export_html
from alms_toolkit.report.writers.report_layout import NotInLayout, report_layout
from alms_toolkit.report.writers.report_typst import write_report_pdf

#: client text that is Typst markup, HTML and a line of code at once: printed as written
HOSTILE = 'Acme #set page(fill: red) *bold* $x$ <lbl> @ref [a] \\ `c` Ltd'


def _shown(obj: object):
    bundle = obj._repr_mimebundle_() if hasattr(obj, "_repr_mimebundle_") else {"text/html": obj._repr_html_()}
    return new_output("display_data", data=bundle)


def _cell(*objects: object, tags: tuple[str, ...] = ("remove-input",)):
    return new_code_cell("x", metadata={"tags": list(tags)}, outputs=[_shown(o) for o in objects])


def _chart(title: str) -> Figure:
    fig = Figure(figsize=(6.85, 2.5))
    ax = fig.add_subplot()
    ax.bar(["KEY", "SECONDARY"], [3, 5])
    ax.set_title(title)
    fig.set_label(title)
    return fig


def _frame(n: int, client: str = "Client") -> pd.DataFrame:
    return pd.DataFrame({
        "client": [f"{client} {i}" for i in range(n)],
        "billing": [1_000_000 * (1000 - i) + 400_000 for i in range(n)],
        "share": [0.1] * n,
        "status": ["pass" if i % 3 == 0 else "fail" if i % 3 == 1 else "not assessed" for i in range(n)],
    })


def every_part(client: str = "Northwind Traders", cell_text: str = "Acme Ltd", page_size: str = "A4") -> str:
    """A report page holding every part the display helpers make, and markdown as nbconvert renders it."""
    frame = _frame(30, cell_text)
    columns = {"client": "Client", "billing": "12-month billing", "share": "Share", "status": "Status"}
    nb = new_notebook()
    nb.cells = [
        new_code_cell("import x", metadata={"tags": ["remove-cell"]}, outputs=[_shown(show.styles())]),
        new_markdown_cell("## Executive summary\n\n*Step 1: the **cut-off**, `set once`, see "
                          "[the method](https://example.com/alms).*"),
        _cell(show.paragraph("Your top 28 clients bring 71% of revenue.", "lead"),
              show.kpi_cards([("KEY cut-off", "$5,812.40", "12-month billing"), ("KEY accounts", "28 of 110")]),
              show.callout("Decide on 5 possible duplicates.", title="First")),
        _cell(show.Html('<div class="callout warning"><p>A warning.</p></div>'),
              show.Html('<div class="callout good"><p>Good news.</p></div>')),
        new_markdown_cell("### Top actions"),
        _cell(show.bullet_list(["Publish the list.", "Meet weekly."], ordered=True),
              show.bullet_list(["A point.", "Another point."]),
              show.paragraph("A small note.", "small"), show.paragraph("A muted note.", "muted")),
        _cell(show.table(frame, columns, money=["billing"], percent=["share"], status=["status"],
                         max_rows=25, more="see accounts.csv", title="Largest clients", currency="$")),
        _cell(show.beside(charts_for_display(_chart("Revenue concentration")),
                          show.table(frame.head(3), {"client": "Top", "billing": "Revenue"}, money=["billing"]))),
        _cell(charts_for_display(_chart("KEY and SECONDARY"))),
        _cell(show.subheading("A fourth-level heading", 4), show.strong_line("A bold line"),
              show.status_badge("pass")),
        new_markdown_cell("## Appendix: the words\n\n- KEY: the top clients\n- SECONDARY: the rest",
                          metadata={"tags": ["new-page"]}),
        new_code_cell("print('x')", outputs=[new_output("stream", name="stdout", text="Printed by a cell\n")]),
    ]
    return export_html(nb, metadata={"client": client, "consultant": "Jo Adviser", "firm": "Adviser & Partners",
                                     "as_of": "2025-01-15", "page_size": page_size})


def _made_by(path) -> str:
    meta = PdfReader(path).metadata
    return f"{meta.creator or ''} {meta.producer or ''}"


def _lines(path, page: int) -> list[str]:
    return [line.strip() for line in (PdfReader(path).pages[page].extract_text() or "").splitlines()]


def _pages(path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    return write_report_pdf(every_part(), out)


def test_every_part_is_laid_out_by_typst(report):
    assert "Typst" in _made_by(report)
    text = " ".join(_pages(report))
    for shown in ("Northwind Traders", "As of 15 January 2025", "Jo Adviser, Adviser & Partners",
                  "Executive summary", "set once", "the method", "71% of revenue", "$5,812.40",
                  "KEY CUT-OFF", "12-month billing", "Decide on 5 possible duplicates", "A warning.",
                  "Good news.", "Publish the list.", "Another point.", "A small note.", "Largest clients",
                  "$1,000.40", "10.0%", "Pass", "Fail", "Not assessed", "and 5 more rows, see accounts.csv",
                  "A fourth-level heading", "A bold line", "KEY: the top clients", "Printed by a cell"):
        assert shown in text, shown
    reader = PdfReader(report)
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2  # both charts


def test_contents_page_numbers_and_footers(report):
    pages = _pages(report)
    assert "Page" not in pages[0] and "Contents" not in pages[0]  # the cover has no running text
    n = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {n}" in text
        assert text.startswith("Northwind Traders")
    listed = [m.groups() for line in _lines(report, 1) if (m := re.fullmatch(r"(.+?) ?\.{3,} ?(\d+)", line))]
    assert [h for h, _ in listed] == ["Executive summary", "Top actions", "Appendix: the words"]
    for heading, number in listed:  # each heading is on the page the contents give
        assert heading in pages[int(number) - 1], heading
    appendix = int(listed[-1][1])
    assert "Largest clients" not in pages[appendix - 1]  # the new-page tag starts a page


def test_page_size_follows_the_report(tmp_path):
    letter = write_report_pdf(every_part(page_size="Letter"), tmp_path / "letter.pdf")
    a4 = write_report_pdf(every_part(page_size="A4"), tmp_path / "a4.pdf")
    assert [round(float(x)) for x in PdfReader(letter).pages[0].mediabox[2:]] == [612, 792]
    assert [round(float(x)) for x in PdfReader(a4).pages[0].mediabox[2:]] == [595, 842]


def test_client_text_is_printed_as_written_never_read_as_markup(tmp_path):
    out = write_report_pdf(every_part(client=HOSTILE, cell_text=HOSTILE), tmp_path / "r.pdf")
    assert "Typst" in _made_by(out)
    text = " ".join(_pages(out))
    assert text.count(HOSTILE) >= 3  # the cover, the running header, the table's cells


@pytest.mark.parametrize(("markdown", "named"), [
    ("> A quote from the client.", "<blockquote"),
    ('<p style="color: red">Red text</p>', "style attribute"),
    ('<div class="firm-box">Our own box</div>', 'class="firm-box"'),
    ('<table><tr><td style="color: red">1</td></tr></table>', "style attribute"),
    ('<table><tr><td colspan="2">1</td></tr></table>', "spanning"),
])
def test_what_the_layout_does_not_know_is_printed_from_the_html(tmp_path, caplog, markdown, named):
    nb = new_notebook()
    nb.cells = [new_markdown_cell("## Section\n\n" + markdown)]
    page = export_html(nb, metadata={"client": "Northwind Traders", "as_of": "2025-01-15"})
    with pytest.raises(NotInLayout, match=re.escape(named)):
        report_layout(page)
    with caplog.at_level(logging.INFO, logger="alms_toolkit.report.writers.report_typst"):
        out = write_report_pdf(page, tmp_path / "report.pdf")
    assert "WeasyPrint" in _made_by(out)
    assert any("printed from the HTML" in r.getMessage() for r in caplog.records)
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_markdown_table_keeps_its_alignment(tmp_path):
    nb = new_notebook()
    nb.cells = [new_markdown_cell("## Section\n\n| Region | Billing |\n|:--|--:|\n| North | $1,200.00 |")]
    page = export_html(nb, metadata={"client": "Northwind Traders", "as_of": "2025-01-15"})
    table = next(b for b in report_layout(page).data["blocks"] if b["kind"] == "table")
    assert [c["align"] for c in table["head"][0]] == ["left", "right"]
    assert [c["align"] for c in table["rows"][0]["cells"]] == ["left", "right"]
    out = write_report_pdf(page, tmp_path / "report.pdf")
    assert "Typst" in _made_by(out) and "$1,200.00" in " ".join(_pages(out))


def test_an_image_from_a_file_is_left_to_the_html(tmp_path):
    nb = new_notebook()
    nb.cells = [_cell(show.Html('<img src="file:///etc/passwd">'))]
    page = export_html(nb, metadata={"client": "Northwind Traders", "as_of": "2025-01-15"})
    with pytest.raises(NotInLayout, match="not embedded"):
        report_layout(page)


def test_columns_share_the_line_as_a_browser_shares_it():
    page = every_part()
    tables = [b for b in report_layout(page).data["blocks"] if b["kind"] == "table"]
    largest = next(t for t in tables if len(t["rows"]) == 25)
    client, billing, share, status = largest["widths"]
    # every column fits at its widest: each gets its widest line, the slack in proportion
    assert billing > share and client > share
    assert billing >= len("$1,000.40")
    long = pd.DataFrame({"what": ["a long explanation of the figures behind this flag " * 6] * 3,
                         "billing": [123_456_789_000_000] * 3})
    nb = new_notebook()
    nb.cells = [_cell(show.table(long, money=["billing"]))]
    wide = next(b for b in report_layout(export_html(nb, metadata={"client": "N", "as_of": "2025-01-15"}))
                .data["blocks"] if b["kind"] == "table")
    what, money = wide["widths"]
    assert money >= len("$123,456,789.00")  # a figure is never wrapped
    assert what + money == pytest.approx(104.0, abs=0.5)  # the long text takes the rest of the line
