"""html_to_pdf: a real PDF, written atomically, that fetches only data: URIs and template files."""

from __future__ import annotations

import logging

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from alms_toolkit.errors import ReportError
from alms_toolkit.report.writers.html import export_html
from alms_toolkit.report.writers.pdf import FetchRefused, SafeFetcher, default_base_dir, html_to_pdf

HOSTILE = 'Acme <img src="file:///etc/passwd"> Ltd'
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def report_html(client: str) -> str:
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("## Executive summary\n\nYour top 2 clients bring 71% of revenue."),
        new_code_cell("t", metadata={"tags": ["remove-input"]}, outputs=[new_output(
            "display_data", data={"text/html": '<div class="kpi-row"><div class="kpi">'
                                  '<span class="value">$5,812.40</span><span class="label">KEY cut-off'
                                  "</span></div></div>", "text/plain": "kpi"})]),
        new_markdown_cell("## Next steps\n\nPublish the lists."),
    ]
    return export_html(nb, metadata={"client": client, "consultant": "Jo Adviser", "as_of": "2025-01-15"})


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_report_pdf_has_pages_names_and_page_numbers(tmp_path):
    out = html_to_pdf(report_html("Northwind Traders"), tmp_path / "report.pdf")
    assert out == tmp_path / "report.pdf"
    reader = PdfReader(out)
    assert len(reader.pages) == 3  # cover, contents, then the sections flow on one page
    text = pdf_text(out)
    assert "Northwind Traders" in text
    assert "$5,812.40" in text
    assert "Page 3 of 3" in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left


def test_hostile_markup_is_not_fetched_and_escaped_text_stays_text(tmp_path, caplog, capfd):
    html = report_html(HOSTILE)
    html = html.replace(
        "<main", '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="https://example.invalid/x.css">'
        f'<img src="data:image/png;base64,{PNG_1PX}"><main', 1,
    )
    fetcher = SafeFetcher.create(default_base_dir())
    with caplog.at_level(logging.INFO, logger="alms_toolkit.report.writers.pdf"):
        out = html_to_pdf(html, tmp_path / "r.pdf", fetcher=fetcher)
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x.png" in fetcher.refused
    assert "https://example.invalid/x.css" in fetcher.refused
    assert not any(u.startswith("data:") for u in fetcher.refused)
    assert any("file:///etc/passwd" in r.getMessage() for r in caplog.records)
    text = pdf_text(out)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")  # the client name, as text
    assert "root:" not in text
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # WeasyPrint kept quiet


def test_fetcher_allows_only_data_and_template_files():
    base = default_base_dir()
    fetcher = SafeFetcher.create(base)
    fetcher.check("data:text/plain;base64,aGk=")
    fetcher.check((base / "report.css").resolve().as_uri())
    for url in (
        "file:///etc/passwd",
        (base / ".." / ".." / "pyproject.toml").as_uri(),
        (base / "missing.css").as_uri(),
        "file://otherhost/share/x.png",
        "http://example.com/a.png",
        "https://example.com/a.css",
        "ftp://example.com/a",
        "relative/path.png",
    ):
        with pytest.raises(FetchRefused):
            fetcher.check(url)
    assert len(fetcher.refused) == 8
    response = fetcher.fetch((base / "report.css").resolve().as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()
    with pytest.raises(FetchRefused):
        fetcher.fetch("file:///etc/passwd")


def test_failure_leaves_no_file(tmp_path):
    with pytest.raises(ReportError, match="base folder does not exist"):
        html_to_pdf("<p>x</p>", tmp_path / "r.pdf", base_url=tmp_path / "nope")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("page", ["report", "no faces of its own"])
def test_weasyprint_font_folder_is_removed_without_garbage_collection(tmp_path, monkeypatch, page):
    """WeasyPrint copies a page's fonts into a temporary folder it removes only when its font
    configuration is collected; the `alms` command ends without that collection
    (cli.run freezes the garbage collector), so the writer removes the folder itself."""
    import gc
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    html = (report_html("Northwind Traders") if page == "report"
            else '<p style="font-family: \'ALMS Sans\'">Plain page, 12 accounts</p>')
    gc.disable()
    try:
        html_to_pdf(html, tmp_path / "out.pdf")
        assert list(scratch.iterdir()) == []  # not even an empty folder left for a collection to remove
    finally:
        gc.enable()
    assert any(name.split("+")[-1].startswith("ALMS-Sans") for name in _font_names(tmp_path / "out.pdf"))


def _font_names(path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get("/Font", {})
        names.update(str(fonts[k].get_object()["/BaseFont"]).lstrip("/") for k in fonts)
    return names
