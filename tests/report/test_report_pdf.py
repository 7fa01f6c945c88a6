"""The client report's PDF: laid out by Typst from the report's HTML (every part of the display
helpers' vocabulary), and printed from the HTML by WeasyPrint when the page holds anything
else, never in a guessed layout."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

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
from alms_toolkit.report.writers.text_widths import text_width

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


def _page(*cells) -> str:
    nb = new_notebook()
    nb.cells = list(cells)
    return export_html(nb, metadata={"client": "Northwind Traders", "as_of": "2025-01-15"})


def _tables(page: str) -> list[dict]:
    return [b for b in report_layout(page).data["blocks"] if b["kind"] == "table"]


def test_columns_share_the_line_as_a_browser_shares_it():
    largest = next(t for t in _tables(every_part()) if len(t["rows"]) == 25)
    client, billing, share, status = largest["widths"]
    # every column fits at its widest: each gets its widest line (the slack shared in proportion)
    assert billing > share and client > share
    assert billing >= text_width("12-month billing", 9, bold=True) + 10.5
    long = pd.DataFrame({"what": ["a long explanation of the figures behind this flag " * 6] * 3,
                         "billing": [123_456_789_000_000] * 3})
    table = _tables(_page(_cell(show.table(long, money=["billing"]))))[0]
    what, money = table["widths"]
    assert money >= text_width("$123,456,789.00", 9) + 10.5  # a figure is never wrapped
    assert what + money == pytest.approx((210 - 36) / 25.4 * 72, abs=0.1)  # the text takes the rest of the A4 line
    assert table["size"] == 9


def test_a_wide_table_of_figures_is_set_smaller_never_broken(tmp_path):
    months = {f"m{i}": [(-45_120_000 if i == 3 else 1_234_567_890_000) for _ in range(3)] for i in range(8)}
    frame = pd.DataFrame({"client": ["Acme", "Bolt", "Coil"], **months})
    page = _page(_cell(show.table(frame, money=list(months))))
    table = _tables(page)[0]
    assert 6.5 <= table["size"] < 9
    for width, (name, _) in zip(table["widths"][1:], months.items(), strict=True):
        widest = "-$45.12" if name == "m3" else "$1,234,567.89"
        assert width >= text_width(widest, table["size"]) + 10.5, name
    out = write_report_pdf(page, tmp_path / "report.pdf")
    assert "Typst" in _made_by(out)
    text = " ".join(_pages(out))
    assert text.count("-$45.12") == 3 and text.count("$1,234,567.89") == 21


def test_a_table_too_wide_even_set_small_is_printed_from_the_html(tmp_path, caplog):
    frame = pd.DataFrame({f"m{i}": [123_456_789_012_000_000] for i in range(16)})
    page = _page(_cell(show.table(frame, money=list(frame.columns))))
    with pytest.raises(NotInLayout, match="too wide"):
        report_layout(page)
    with caplog.at_level(logging.INFO, logger="alms_toolkit.report.writers.report_typst"):
        out = write_report_pdf(page, tmp_path / "report.pdf")
    assert "WeasyPrint" in _made_by(out)


def test_kpi_cards_wrap_as_the_page_wraps_them_and_keep_their_figures_whole(tmp_path):
    cards = [("Revenue", "-$1,234,567.89", "12 months"), ("KEY billing", "$98,765,432.10"),
             ("Attrition", "-$1,234,567.89"), ("Clients", "1,234 of 5,678")]
    page = _page(_cell(show.kpi_cards(cards)))
    block = next(b for b in report_layout(page).data["blocks"] if b["kind"] == "kpis")
    assert [len(r) for r in block["rows"]] == [3, 1]  # three cards' values fit side by side, not four
    line = (210 - 36) / 25.4 * 72
    assert all(sum(r) + 7.5 * (len(r) - 1) == pytest.approx(line, abs=0.1) for r in block["rows"])
    out = write_report_pdf(page, tmp_path / "report.pdf")
    text = " ".join(_pages(out))
    assert text.count("-$1,234,567.89") == 2 and "$98,765,432.10" in text
    few = next(b for b in report_layout(_page(_cell(show.kpi_cards(cards[3:] * 3)))).data["blocks"] if b["kind"] == "kpis")
    assert [len(r) for r in few["rows"]] == [3]


@pytest.mark.parametrize("cell", [
    _cell(show.callout("")), _cell(show.callout("   ")), _cell(show.Html('<div class="callout"></div>')),
    _cell(show.Html('<div class="beside"><div class="beside-main"></div><div class="beside-side"></div></div>')),
])
def test_empty_blocks_are_laid_out(tmp_path, cell):
    out = write_report_pdf(_page(cell), tmp_path / "report.pdf")
    assert "Typst" in _made_by(out)


def test_a_report_without_cells_is_laid_out(tmp_path):
    out = write_report_pdf(_page(), tmp_path / "report.pdf")
    assert "Typst" in _made_by(out) and "Northwind Traders" in _pages(out)[0]


@pytest.mark.parametrize("html", [
    '<div class="kpi-row"><div class="kpi"><span class="value">$5</span> of $10 total</div></div>',
    '<div class="kpi-row">BETWEEN<div class="kpi"><span class="value">$5</span></div></div>',
    '<div class="kpi-row"><div class="kpi"><span class="note">A</span><span class="note">B</span></div></div>',
    '<div class="kpi-row"><div class="kpi"><span class="value">$5<br>million</span></div></div>',
    '<div class="beside"><div class="beside-main">A</div><div class="beside-main">B</div><div class="beside-side"></div></div>',
    '<div class="beside">LOOSE<div class="beside-main">A</div><div class="beside-side">B</div></div>',
    "<table><tr><td>1</td></tr>STRAY</table>",
    "<table><tr><td>1</td>TAIL</tr></table>",
    "<ul>INTRO<li>a</li></ul>",
    '<figure class="alms-chart">CHART NOTE<img src="data:image/png;base64,"></figure>',
    '<ol reversed><li>a</li></ol>',
    '<hr class="thick">',
    '<p><span class="firm">x</span></p>',
])
def test_what_the_layout_would_drop_is_left_to_the_html(html):
    with pytest.raises(NotInLayout):
        report_layout(_page(_cell(show.Html(html))))


def test_the_page_as_it_shows_it(tmp_path):
    page = _page(
        _cell(show.Html('<p>Shown</p><p hidden>SECRET HIDDEN</p>')),
        _cell(show.Html("<table><tfoot><tr><td>Total</td><td>3</td></tr></tfoot>"
                        "<tbody><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></tbody></table>")),
        _cell(show.Html('<ol start="3"><li>third</li><li>fourth</li></ol>')),
        _cell(show.Html("<table><tbody><tr><td>Revenue</td></tr><tr><td>&nbsp;&nbsp;of which KEY</td></tr></tbody></table>")),
        _cell(show.Html("<p>first line<br>\n  second line</p>")),
        new_markdown_cell("Inline code: `:root { --accent: #ff0000; }` and `@page { size: Letter; }`"),
    )
    layout = report_layout(page)
    assert layout.data["accent"] == "#1f4e79" and layout.data["letter"] is False
    blocks = layout.data["blocks"]
    tables = [b for b in blocks if b["kind"] == "table"]
    assert [r["cells"][0]["runs"][0]["t"] for r in tables[0]["rows"]] == ["a", "b", "Total"]
    assert tables[1]["rows"][1]["cells"][0]["runs"][0]["t"] == "\u00a0\u00a0of which KEY"
    assert next(b for b in blocks if b["kind"] == "list")["start"] == 3
    broken = next(b for b in blocks if b["kind"] == "paragraph" and any(r.get("br") for r in b["runs"]))
    assert broken["runs"][-1]["t"] == "second line"
    out = write_report_pdf(page, tmp_path / "report.pdf")
    text = " ".join(_pages(out))
    assert "SECRET HIDDEN" not in text and "Shown" in text
    assert "3. third" in text and "4. fourth" in text
    assert [round(float(x)) for x in PdfReader(out).pages[0].mediabox[2:]] == [595, 842]


def test_an_image_typst_cannot_read_is_printed_from_the_html(tmp_path, caplog):
    import base64

    broken_png = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\nnot a png").decode()
    with pytest.raises(NotInLayout, match="cannot be read"):
        report_layout(_page(_cell(show.Html(f'<figure class="alms-chart"><img src="{broken_png}"></figure>'))))
    bad_svg = "data:image/svg+xml;base64," + base64.b64encode(b"<svg><not closed").decode()
    page = _page(_cell(show.Html(f'<figure class="alms-chart"><img src="{bad_svg}"></figure>')))
    with caplog.at_level(logging.INFO, logger="alms_toolkit.report.writers.report_typst"):
        out = write_report_pdf(page, tmp_path / "report.pdf")
    assert "WeasyPrint" in _made_by(out)
    assert any("Typst could not lay the page out" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_a_long_unbroken_client_name_stays_on_the_page(tmp_path):
    name = "Abcdefghijklmnopqrstuvwxyz" * 4
    out = write_report_pdf(every_part(client=name), tmp_path / "report.pdf")
    cover = _pages(out)[0]
    assert "\u200b" not in cover and name in cover.replace(" ", "")  # broken where the line is full, nothing added
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "2", str(out), str(tmp_path / "p")], check=True)
    from PIL import Image

    for png in sorted(tmp_path.glob("p-*.pgm")):
        with Image.open(png) as page:
            margin = page.crop((page.width - round(page.width * 17 / 210), 0, page.width, page.height))
            assert margin.getextrema()[0] >= 250, png.name  # nothing printed in the right margin


def test_a_total_row_is_measured_bold(tmp_path):
    frame = pd.DataFrame({"what": ["Acme", "Summarisationofeverythingsupplementary"],
                          **{f"m{i}": [1_234_567_890_000_000] * 2 for i in range(4)}})
    html = str(show.table(frame, money=[f"m{i}" for i in range(4)]))
    html = html.replace("<tr><td>Summ", '<tr class="total"><td>Summ')
    table = _tables(_page(_cell(show.Html(html))))[0]
    assert table["rows"][-1]["total"] and table["size"] < 9  # set small: each column at its least
    word = text_width("Summarisationofeverythingsupplementary", table["size"], bold=True)
    assert table["widths"][0] >= word + 10.5  # the bold word fits its column: it runs into no figure


def test_what_the_page_hides_is_not_printed(tmp_path):
    page = _page(_cell(show.Html(
        '<table><caption hidden>SECRET CAPTION</caption><tbody><tr><td>kept</td></tr>'
        '<tr hidden><td>SECRET ROW</td></tr></tbody><tbody hidden><tr><td>SECRET BODY</td></tr></tbody></table>'
        '<div class="kpi-row"><div class="kpi"><span class="value">$5</span><span class="note" hidden>SECRET NOTE</span></div>'
        '<div class="kpi" hidden><span class="value">SECRET CARD</span></div></div>')))
    out = write_report_pdf(page, tmp_path / "report.pdf")
    text = " ".join(_pages(out))
    assert "Typst" in _made_by(out) and "kept" in text and "$5" in text
    assert "SECRET" not in text


def test_a_twelve_month_table_gets_a_turned_page(tmp_path):
    months = {m: [1_234_567_890_000] * 3 for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}
    frame = pd.DataFrame({"client": ["Acme", "Bolt", "Coil"], **months})
    page = _page(new_markdown_cell("## Billing by month"), _cell(show.table(frame, money=list(months))),
                 new_markdown_cell("## After"))
    turned = [b for b in report_layout(page).data["blocks"] if b["kind"] == "turned"]
    assert [[x["kind"] for x in b["blocks"]] for b in turned] == [["heading", "table"]]  # with its heading
    table = turned[0]["blocks"][1]
    assert 6.5 <= table["size"] < 9 and not _tables(page)
    out = write_report_pdf(page, tmp_path / "report.pdf")
    reader = PdfReader(out)
    turned = [i for i, p in enumerate(reader.pages) if float(p.mediabox.width) > float(p.mediabox.height)]
    assert len(turned) == 1
    text = _pages(out)[turned[0]]
    assert text.count("$1,234,567.89") == 36 and "Dec" in text  # every column on the page
    assert "Billing by month" in text  # the heading with its table


def test_what_a_browser_breaks_is_broken_here_too():
    names = ["Maddox-Canyon-Hardware-Supply-Company-Limited"] * 3
    frame = pd.DataFrame({"client": names, **{f"m{i}": [1_234_567_890_000] * 3 for i in range(5)}})
    table = _tables(_page(_cell(show.table(frame, money=[f"m{i}" for i in range(5)]))))[0]
    assert table["size"] == 9  # the name wraps after its hyphens
    side = pd.DataFrame({"top": [0.1, 0.2], "n": [11, 22], "revenue": [1_795_010_360_000, 2_352_044_990_000],
                         "share": [0.492, 0.645]})
    beside = show.beside(charts_for_display(_chart("Concentration")), show.table(
        side, {"top": "Top clients", "n": "Clients", "revenue": "Revenue", "share": "Revenue share"},
        percent=["top", "share"], integer=["n"], money=["revenue"]))
    block = next(b for b in report_layout(_page(_cell(beside))).data["blocks"] if b["kind"] == "beside")
    assert block["side"][0]["size"] == 8.5  # the side table's headers wrap, as the page lets them


def test_badges_are_measured_at_their_table_size():
    frame = pd.DataFrame({"client": [f"Client {i}" for i in range(3)], "status": ["not assessed"] * 3,
                          **{f"m{i}": [1_234_567_890_000] * 3 for i in range(6)}})
    table = _tables(_page(_cell(show.table(frame, status=["status"], money=[f"m{i}" for i in range(6)]))))[0]
    assert table["size"] < 9
    badge = text_width("Not assessed", table["size"] * 8.5 / 9, bold=True) + (0.9 + 16 * 0.75 / 8.5) * table["size"] * 8.5 / 9
    assert table["widths"][1] >= badge + 10.5


def test_a_figure_without_the_chart_class_is_laid_out_at_its_own_width(tmp_path):
    from alms_toolkit.report.charts.figures import figure_to_png_data_uri

    page = _page(_cell(show.Html(f'<figure><img src="{figure_to_png_data_uri(_chart("Plain"))}"></figure>')))
    block = next(b for b in report_layout(page).data["blocks"] if b["kind"] == "image")
    assert block["chart"] is False and block["width"] > 0
    assert "Typst" in _made_by(write_report_pdf(page, tmp_path / "report.pdf"))
