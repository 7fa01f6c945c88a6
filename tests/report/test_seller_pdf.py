"""Printable per-seller PDF: pages, names, escaped client text, projection form content."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pypdf
import pytest
from official_lists import official_list
from period_billing import monthly_of

from alms_toolkit.report.writers.seller_pdf import (
    seller_html,
    write_seller_files,
    write_seller_pdf,
)

M = 1_000_000
AS_OF = dt.date(2025, 3, 15)
EVIL = '<img src="file:///etc/passwd"> Evil <script>alert(1)</script>'


def _frames():
    seller_accounts = pd.DataFrame(
        {
            "seller": ["Ann Lee", "Ann Lee", "Ann Lee", "Bob Roy"],
            "client_key": ["acme", "evil", "gamma", "eps"],
            "client": ["Acme Inc.", EVIL, "Gamma GmbH", "Eps"],
            "tier": ["KEY", "KEY", "SECONDARY", "KEY"],
            "rank": pd.array([1, 3, 5, 2], dtype="Int64"),
            "billing": pd.array([50_000 * M, 20_000 * M, 1_000 * M, 40_000 * M], dtype="int64"),
            "share_of_seller": [50 / 71, 20 / 71, 1 / 71, 1.0],
        }
    )
    prospects = pd.DataFrame(
        {
            "seller": ["Ann Lee", "Ann Lee", "Bob Roy"],
            "prospect": ["Target One", "Extra Co", "Lead Co"],
            "category": ["TARGET", "EXTRA", "LEAD"],
            "spending_potential": [5, 3, 2],
            "decision_maker_access": [4, 2, 1],
            "product_fit": [5, 4, 3],
            "fit_score": [4.67, 3.0, 2.0],
            "notes": ["met the CFO", "", None],
            "issues": ["", "", ""],
        }
    )
    monthly = monthly_of([("acme", "2024-03-15", 1234 * M), ("acme", "2024-04-15", 2000 * M)], AS_OF)
    return seller_accounts, prospects, monthly


def _list(**kw):
    sa, pr, mo = _frames()
    args = dict(seller_accounts=sa, prospects=pr, monthly=mo, as_of=AS_OF, cutoff=20_000 * M,
                client_name="Northwind Traders", currency="€")
    args.update(kw)
    return official_list(**args)


def test_html_escapes_client_text_and_holds_the_lists():
    html = seller_html(_list(), "Ann Lee")
    assert "<script>alert" not in html and '<img src="file' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for text in ("Ann Lee", "Northwind Traders", "€20,000.00", "Acme Inc.", "Gamma GmbH", "Target One",
                 "Extra Co", "met the CFO", "15\u00a0Mar\u00a0-<br>14\u00a0Apr 2025", "15\u00a0Feb\u00a0-<br>14\u00a0Mar 2026",
                 "15 March 2025 - 14 March 2026", "each month is counted from the audit date", "15 March 2026"):
        assert text in html, text
    assert "Eps" not in html and "Lead Co" not in html  # Bob's accounts and prospects
    # KEY before SECONDARY, by billing
    assert html.index("Acme Inc.") < html.index("&lt;img") < html.index("Gamma GmbH")
    # the projection form has Acme's last-year March baseline, whole units
    assert "1,234" in html and "3,234" in html


def test_html_accent_colour_is_checked():
    assert "--accent: #aa3300;" in seller_html(_list(accent_color="#aa3300"), "Ann Lee")
    html = seller_html(_list(accent_color="red;} body{display:none"), "Ann Lee")
    assert "display:none" not in html and "--accent: #1f4e79;" in html


def test_pdf_has_pages_names_and_a_landscape_projection_form(tmp_path):
    path = write_seller_pdf(_list(), "Ann Lee", tmp_path / "ann.pdf")
    reader = pypdf.PdfReader(path)
    # the focus page, the lists, then the form: KEY and TARGET blocks, each in two halves
    assert len(reader.pages) == 6
    first, last = reader.pages[0], reader.pages[-1]
    assert first.mediabox.width < first.mediabox.height  # portrait list
    assert last.mediabox.width > last.mediabox.height  # landscape form
    assert [p.mediabox.width > p.mediabox.height for p in reader.pages] == [False, False, True, True, True, True]
    text = "\n".join(p.extract_text() for p in reader.pages)
    for part in ("Ann Lee", "Northwind Traders", "Page 1 of 6", "Page 6 of 6", "Acme Inc.",
                 "Target One", "Revenue projection form".upper(), "€20,000.00"):
        assert part in text, part
    assert "<script>alert(1)</script>" in text  # printed as text, never run or fetched
    assert not list(tmp_path.glob(".*"))


def test_letter_page_size(tmp_path):
    path = write_seller_pdf(_list(page_size="Letter"), "Ann Lee", tmp_path / "ann.pdf")
    page = pypdf.PdfReader(path).pages[0]
    assert float(page.mediabox.width) == pytest.approx(612, abs=1)


def test_every_sellers_workbook_and_pdf(tmp_path):
    paths = write_seller_files(_list(currency="$", review_months=6), tmp_path)
    assert sorted(p.name for p in paths) == [
        "seller-ann-lee.pdf", "seller-ann-lee.xlsx", "seller-bob-roy.pdf", "seller-bob-roy.xlsx",
    ]
    bob = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "seller-bob-roy.pdf").pages)
    assert "Bob Roy" in bob and "Lead Co" in bob and "Acme" not in bob


def test_long_lists_are_capped_with_a_note_never_silently():
    html = seller_html(_list(), "Ann Lee", max_rows=1)
    assert "first 1 of 3 accounts" in html and "lists all 3" in html
    assert "first 1 of 2 KEY accounts" in html
    lists = html.split('id="official"')[1]  # the focus page shows the top accounts whatever the cap
    assert "Acme Inc." in lists and "Gamma GmbH" not in lists and "&lt;script&gt;" not in lists
    assert "Total (all 3 accounts)" in html and "€71,000.00" in html  # the total stays whole
    assert "Target One" in html  # targets are never capped
    full = seller_html(_list(), "Ann Lee")
    assert "capped" not in full.split("</style>")[1] and "Total (3 accounts)" in full


def test_a_totals_ledger_form_shows_no_last_year_rows():
    from alms_toolkit.analysis.monthly import MonthlyBilling
    from alms_toolkit.analysis.periods import periods_for

    mo = _frames()[2]
    totals = MonthlyBilling(periods=periods_for(AS_OF), table=mo.table.iloc[0:0], dates=mo.dates.iloc[0:0])
    html = seller_html(_list(monthly=totals), "Ann Lee")
    assert "last year, same month" not in html
    # the year's last-year total and goal stand on the 12-month billing; no quarter is guessed
    assert '<td class="label">KEY accounts last year</td><td class="num">-</td>' in html
    assert "77,000" in html  # 70,000 of KEY billing + 10%
    assert "last year&#39;s months are not known" in html or "last year's months are not known" in html


def test_a_list_over_several_pages_has_its_total_once_at_the_end(tmp_path):
    """A seller's official list spanning pages prints its total once, under its last rows
    (a repeated footer read as a subtotal on every page)."""
    from pathlib import Path

    from alms_toolkit.engine import audit

    a = audit(Path(__file__).resolve().parents[2] / "client_data" / "sample-media")
    official = a.official_list
    seller = official.seller_accounts["seller"].value_counts().index[0]  # the longest list
    pages = [p.extract_text() for p in pypdf.PdfReader(write_seller_pdf(official, seller, tmp_path / "s.pdf")).pages]
    listed = [i for i, text in enumerate(pages) if "SECONDARY" in text and "Rank" in text]
    assert len(listed) >= 2  # the list does span pages
    assert sum(text.count("Total (") for text in pages) == 1
    last = next(i for i, text in enumerate(pages) if "Total (" in text)
    assert last == max(listed)


def test_the_form_and_the_flags_have_caps_of_their_own_with_a_note(monkeypatch):
    """The printed projection form and the flagged accounts stop sooner than the list (a form
    filled in by hand; the workbook has them all), and say so."""
    from alms_toolkit.report.writers import seller_pdf

    monkeypatch.setattr(seller_pdf, "MAX_FORM_KEY", 1)
    html = seller_html(_list(), "Ann Lee")
    assert "first 1 of 2 KEY accounts" in html and "Projection sheet" in html
    assert "capped" not in html.split('id="official"')[1].split('id="targets"')[0]  # the list is whole
    assert "Total (3 accounts)" in html
    uncapped = seller_html(_list(), "Ann Lee", max_rows=None)
    assert "first 1 of 2 KEY accounts" not in uncapped


def test_seller_pdfs_render_in_worker_processes_as_in_this_one(tmp_path):
    """The run's worker processes write the same files, with the same pages, as rendering
    in this process; and a worker's failure is raised, naming the file."""
    from alms_toolkit.errors import ReportError
    from alms_toolkit.runs.seller_pdf_pool import SellerPdfs

    official = _list()
    pooled = SellerPdfs(official, tmp_path / "pool", workers=2).wait()
    here = SellerPdfs(official, tmp_path / "here", workers=0).wait()
    assert [p.name for p in pooled] == [p.name for p in here] == ["seller-ann-lee.pdf", "seller-bob-roy.pdf"]
    for a, b in zip(pooled, here, strict=True):
        assert a.parent == tmp_path / "pool" and a.is_file()
        ta = [p.extract_text() for p in pypdf.PdfReader(a).pages]
        tb = [p.extract_text() for p in pypdf.PdfReader(b).pages]
        assert ta == tb
    assert not list((tmp_path / "pool").glob(".*")) and not list(tmp_path.glob(".*"))  # nothing left behind

    # a folder where Ann Lee's PDF should go: the worker cannot write it, and the run says so
    (tmp_path / "failing" / "seller-ann-lee.pdf" / "in-the-way").mkdir(parents=True)
    with pytest.raises((ReportError, OSError)) as raised:
        SellerPdfs(official, tmp_path / "failing", workers=1).wait()
    assert "seller-ann-lee.pdf" in str(raised.value)
