"""Printable per-seller PDF: pages, names, escaped client text, projection form content."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pypdf
import pytest
from official_lists import official_list
from period_billing import monthly_of

from alms_toolkit.report.writers.seller_pdf import (
    seller_context,
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


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def _strings(value) -> list[str]:
    """Every text of a seller's context, in order (the context is plain JSON data)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_context_is_plain_data_and_holds_the_lists():
    context = seller_context(_list(), "Ann Lee")
    assert json.loads(json.dumps(context)) == context  # what the template is handed: JSON
    texts = "\n".join(_strings(context))
    assert EVIL in texts  # the client's text as it is: the template prints it as text
    for text in ("Ann Lee", "Northwind Traders", "€20,000.00", "Acme Inc.", "Gamma GmbH", "Target One",
                 "Extra Co", "met the CFO", "15 March 2025 - 14 March 2026", "each month is counted from the audit date",
                 "15 March 2026"):
        assert text in texts, text
    halves = context["form"]["halves"]
    assert (halves[0]["months"][0]["short"], halves[0]["months"][0]["year"]) == ("15\u00a0Mar\u00a0-", "14\u00a0Apr 2025")
    assert (halves[1]["months"][-1]["short"], halves[1]["months"][-1]["year"]) == ("15\u00a0Feb\u00a0-", "14\u00a0Mar 2026")
    assert "Eps" not in texts and "Lead Co" not in texts  # Bob's accounts and prospects
    # KEY before SECONDARY, by billing
    assert [r["client"] for r in context["official"]] == ["Acme Inc.", EVIL, "Gamma GmbH"]
    # the projection form has Acme's last-year March baseline, whole units
    acme = context["form"]["key_rows"][0]
    assert acme["client"] == "Acme Inc." and acme["baseline"][0][0] == "1,234" and acme["baseline_total"] == "3,234"


def test_accent_colour_is_checked():
    assert seller_context(_list(accent_color="#aa3300"), "Ann Lee")["accent"] == "#aa3300"
    assert seller_context(_list(accent_color='red") #set page(fill: red) #("'), "Ann Lee")["accent"] == "#1f4e79"


#: client text written in Typst's own syntax, and HTML: each must print as written
TYPST_EVIL = ["#set page(fill: red)", "*bold*", "_x_", "$x$", "@ref", "<label>", "`raw`", "back\\slash",
              "close ] bracket", "a //comment", "= heading", '#eval("1 + 1")', EVIL]


def test_client_text_in_typst_syntax_prints_as_written(tmp_path):
    """No client value is ever read as Typst markup: every name, note and seller prints as
    it is (and no page is filled red, no heading made, nothing evaluated)."""
    sa, pr, mo = _frames()
    names = TYPST_EVIL[: len(sa) - 1]
    sa = sa.assign(client=[*names, "Eps"])
    pr = pr.assign(prospect=[TYPST_EVIL[3], TYPST_EVIL[4], "Lead Co"], notes=[TYPST_EVIL[5], TYPST_EVIL[6], None])
    weird_seller = "Ann *Lee* #pagebreak()"
    sa["seller"] = sa["seller"].replace("Ann Lee", weird_seller)
    pr["seller"] = pr["seller"].replace("Ann Lee", weird_seller)
    official = _list(seller_accounts=sa, prospects=pr, client_name="= Northwind $x$ <b>",
                     currency="`€`")
    text = _text(write_seller_pdf(official, weird_seller, tmp_path / "evil.pdf"))
    for name in [*names, TYPST_EVIL[3], TYPST_EVIL[4], TYPST_EVIL[5], TYPST_EVIL[6], weird_seller, "= Northwind $x$ <b>"]:
        assert name in text, name
    assert "`€`20,000.00" in text
    reader = pypdf.PdfReader(tmp_path / "evil.pdf")
    assert len(reader.pages) == 6  # no page break slipped in
    # every name in Typst's syntax, as a client of its own
    for chunk in (TYPST_EVIL[:7], TYPST_EVIL[7:]):
        sa2 = pd.DataFrame({"seller": ["Ann Lee"] * len(chunk), "client_key": [f"k{i}" for i in range(len(chunk))],
                            "client": chunk, "tier": ["KEY"] * len(chunk),
                            "rank": pd.array(range(1, len(chunk) + 1), dtype="Int64"),
                            "billing": pd.array([(50 - i) * 1_000 * M for i in range(len(chunk))], dtype="int64"),
                            "share_of_seller": [1 / len(chunk)] * len(chunk)})
        text = _text(write_seller_pdf(_list(seller_accounts=sa2), "Ann Lee", tmp_path / "chunk.pdf"))
        for name in chunk:
            assert name in text, name


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
    pages = pypdf.PdfReader(path).pages
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == pytest.approx((612, 792), abs=1)
    assert (float(pages[-1].mediabox.width), float(pages[-1].mediabox.height)) == pytest.approx((792, 612), abs=1)


def test_every_sellers_workbook_and_pdf(tmp_path):
    paths = write_seller_files(_list(currency="$", review_months=6), tmp_path)
    assert sorted(p.name for p in paths) == [
        "seller-ann-lee.pdf", "seller-ann-lee.xlsx", "seller-bob-roy.pdf", "seller-bob-roy.xlsx",
    ]
    bob = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "seller-bob-roy.pdf").pages)
    assert "Bob Roy" in bob and "Lead Co" in bob and "Acme" not in bob


def _flat(path) -> str:
    """A PDF's text, every run of white space one space (a line may wrap anywhere)."""
    return " ".join(_text(path).split())


def test_long_lists_are_capped_with_a_note_never_silently(tmp_path):
    capped = seller_context(_list(), "Ann Lee", max_rows=1)
    # the focus page shows the top accounts whatever the cap; the list, its first rows
    assert [r["client"] for r in capped["official"]] == ["Acme Inc."]
    text = _flat(write_seller_pdf(_list(), "Ann Lee", tmp_path / "capped.pdf", max_rows=1))
    assert "This page lists the first 1 of 3 accounts" in text and "The seller's workbook lists all 3." in text
    assert "first 1 of 2 KEY accounts" in text
    assert "Total (all 3 accounts)" in text and "€71,000.00" in text  # the total stays whole
    assert "Target One" in text  # targets are never capped
    full = _flat(write_seller_pdf(_list(), "Ann Lee", tmp_path / "full.pdf"))
    assert "This page lists the first" not in full and "This form lists the first" not in full
    assert "Total (3 accounts)" in full
    assert not seller_context(_list(), "Ann Lee")["listed_capped"]


def test_a_totals_ledger_form_shows_no_last_year_rows(tmp_path):
    from alms_toolkit.analysis.monthly import MonthlyBilling
    from alms_toolkit.analysis.periods import periods_for

    mo = _frames()[2]
    totals = MonthlyBilling(periods=periods_for(AS_OF), table=mo.table.iloc[0:0], dates=mo.dates.iloc[0:0])
    form = seller_context(_list(monthly=totals), "Ann Lee")["form"]
    assert not form["has_baseline"] and all(r["baseline"] is None for r in form["key_rows"])
    text = _flat(write_seller_pdf(_list(monthly=totals), "Ann Lee", tmp_path / "t.pdf"))
    assert "last year, same month" not in text
    assert "Ordered by billing in the 12-month totals the ledger gives." in text
    assert "Ordered by billing over the 12 months before" in _flat(write_seller_pdf(_list(), "Ann Lee", tmp_path / "d.pdf"))
    # the year's last-year total and goal stand on the 12-month billing; no quarter is guessed
    assert "KEY accounts last year - - - - 70,000" in text
    assert "Goal: last year + 10% - - - - 77,000" in text  # 70,000 of KEY billing + 10%
    assert "last year's months are not known" in text


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


def test_the_form_and_the_flags_have_caps_of_their_own_with_a_note(monkeypatch, tmp_path):
    """The printed projection form and the flagged accounts stop sooner than the list (a form
    filled in by hand; the workbook has them all), and say so."""
    from alms_toolkit.report.writers import seller_pdf

    monkeypatch.setattr(seller_pdf, "MAX_FORM_KEY", 1)
    context = seller_context(_list(), "Ann Lee")
    assert not context["listed_capped"] and len(context["official"]) == 3  # the list is whole
    assert [r["client"] for r in context["form"]["key_rows"]] == ["Acme Inc."]
    text = _flat(write_seller_pdf(_list(), "Ann Lee", tmp_path / "f.pdf"))
    assert "This form lists the first 1 of 2 KEY accounts" in text and "Projection sheet" in text
    assert "This page lists the first" not in text and "Total (3 accounts)" in text
    uncapped = seller_context(_list(), "Ann Lee", max_rows=None)
    assert len(uncapped["form"]["key_rows"]) == 2


def test_seller_files_are_written_in_worker_processes_as_in_this_one(tmp_path):
    """The run's worker processes write the same files (PDFs with the same pages, workbooks
    with the same cells) as writing them in this process; and a worker's failure is raised,
    naming the file."""
    import openpyxl

    from alms_toolkit.errors import ReportError
    from alms_toolkit.runs.seller_files_pool import SellerFiles

    official = _list()
    pooled = SellerFiles(official, tmp_path / "pool", workers=2).wait()
    here = SellerFiles(official, tmp_path / "here", workers=0).wait()
    assert [p.name for p in pooled] == [p.name for p in here] == [
        "seller-ann-lee.pdf", "seller-ann-lee.xlsx", "seller-bob-roy.pdf", "seller-bob-roy.xlsx"]
    for a, b in zip(pooled, here, strict=True):
        assert a.parent == tmp_path / "pool" and a.is_file()
        if a.suffix == ".pdf":
            assert [p.extract_text() for p in pypdf.PdfReader(a).pages] == [p.extract_text() for p in pypdf.PdfReader(b).pages]
        else:
            wa, wb = openpyxl.load_workbook(a), openpyxl.load_workbook(b)
            assert wa.sheetnames == wb.sheetnames
            for name in wa.sheetnames:
                assert [[c.value for c in r] for r in wa[name].iter_rows()] == [[c.value for c in r] for r in wb[name].iter_rows()]
    assert not list((tmp_path / "pool").glob(".*")) and not list(tmp_path.glob(".*"))  # nothing left behind
    only_pdfs = SellerFiles(official, tmp_path / "pdfs", kinds=("pdf",), workers=1).wait()
    assert [p.name for p in only_pdfs] == ["seller-ann-lee.pdf", "seller-bob-roy.pdf"]

    # a folder where Ann Lee's PDF should go: the worker cannot write it, and the run says so
    (tmp_path / "failing" / "seller-ann-lee.pdf" / "in-the-way").mkdir(parents=True)
    with pytest.raises((ReportError, OSError)) as raised:
        SellerFiles(official, tmp_path / "failing", workers=1).wait()
    assert "seller-ann-lee.pdf" in str(raised.value)
    # and a workbook's
    (tmp_path / "failing-xlsx" / "seller-bob-roy.xlsx" / "in-the-way").mkdir(parents=True)
    with pytest.raises((ReportError, OSError)) as raised:
        SellerFiles(official, tmp_path / "failing-xlsx", workers=1).wait()
    assert "seller-bob-roy.xlsx" in str(raised.value)


def test_names_and_currencies_beyond_the_shipped_font_are_printed(tmp_path):
    """The shipped font draws Latin text; a Cyrillic, Greek or Hebrew client and the rupee
    sign are drawn with another font, never dropped."""
    names = {"acme": "ООО Москва Трейд", "evil": "Ελλάς Εμπορική", "gamma": "שלום בע\"מ"}
    sa, pr, mo = _frames()
    sa = sa.assign(client=[names.get(k, c) for k, c in zip(sa["client_key"], sa["client"], strict=True)])
    official = official_list(seller_accounts=sa, prospects=pr, monthly=mo, as_of=AS_OF, cutoff=20_000 * M,
                             client_name="Northwind Traders", currency="₹")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(write_seller_pdf(official, "Ann Lee", tmp_path / "s.pdf")).pages)
    squeezed = "".join(text.split())
    for name in ("ООО Москва Трейд", "Ελλάς Εμπορική"):
        assert "".join(name.split()) in squeezed, name
    assert "שלום" in text or "םולש" in text  # right to left: either order in the extracted text
    assert "₹20,000.00" in squeezed and "₹50,000.00" in squeezed


@pytest.mark.parametrize("cores, work, n_sellers, share, expected", [
    (2, 1_500, 6, None, 1),       # a small client: one worker, the other core left to the runner and kernel
    (2, 4_999, 6, None, 1),
    (2, 5_000, 6, None, 2),       # long work: the last core too (the workers run at a lower priority)
    (4, 500_000, 2, None, 2),     # never more than there are sellers
    (2, 500_000, 6, "1", 1),      # a batch client with one core of its own
    (64, 500_000, 40, "4", 4),    # a batch client with four
    (1, 500_000, 6, None, 1),     # one core: one worker
])
def test_the_last_core_gets_a_seller_worker_for_long_work(monkeypatch: pytest.MonkeyPatch, cores: int, work: int,
                                                            n_sellers: int, share: str | None, expected: int) -> None:
    from alms_toolkit import cores as client_cores
    from alms_toolkit.runs import seller_files_pool

    monkeypatch.setattr(client_cores, "machine_cores", lambda: cores)
    if share is None:
        monkeypatch.delenv(client_cores.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(client_cores.ENV_VAR, share)
    assert seller_files_pool.default_workers(n_sellers, work) == expected


def test_the_seller_files_count_their_whole_work(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    """The workers are chosen on every seller's share of the work together."""
    from alms_toolkit.runs import seller_files_pool

    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(seller_files_pool, "default_workers", lambda n, work=0: asked.append((n, work)) or 0)
    official = _list()
    files = seller_files_pool.SellerFiles(official, tmp_path)
    counts = official.seller_accounts["seller"].value_counts()
    assert asked == [(2, sum(seller_files_pool._weight(int(counts.get(s, 0)), ("pdf", "xlsx")) for s in official.sellers))]
    assert asked[0][1] > 2 * 130  # two PDFs' fixed pages at least
    files.close()


def test_a_dated_ledger_seller_without_key_accounts_is_not_told_the_ledger_has_totals(tmp_path):
    """A seller with no KEY account, on a ledger with dates: no row shows last year's months,
    and the form does not say the ledger gives one 12-month total per client (it said so,
    because no row had last year's months)."""
    from alms_toolkit.report.writers.xlsx import write_seller_workbook

    sa, _, _ = _frames()
    sa = sa.assign(tier=sa["tier"].where(sa["seller"] != "Bob Roy", "SECONDARY"))
    listing = _list(seller_accounts=sa)
    form = seller_context(listing, "Bob Roy")["form"]
    assert form["dated"] and not form["has_baseline"] and not form["key_rows"]
    assert "12-month total per client" not in _flat(write_seller_pdf(listing, "Bob Roy", tmp_path / "b.pdf"))
    book = openpyxl.load_workbook(write_seller_workbook(listing, "Bob Roy", tmp_path / "b.xlsx"))
    texts = [c.value for row in book["Projection"].iter_rows() for c in row if isinstance(c.value, str)]
    assert texts and not any("12-month total per client" in t for t in texts)


def test_a_seller_with_no_account_or_a_short_list_reads_right(tmp_path):
    """A seller named only in the prospects file: no 'Your top 0', no 'call the accounts below',
    no stray mark in the projection form's legend; a list of 3 accounts: 'all of your billing',
    never 'your top 3 are 100%'."""
    from alms_toolkit.report.writers.seller_focus import seller_focus

    sa, pr, mo = _frames()
    pr = pd.concat([pr, pr.iloc[[0]].assign(seller="Zoe New", prospect="Zeta Target")], ignore_index=True)
    listing = _list(prospects=pr)
    zoe = seller_focus(listing, "Zoe New")
    assert (zoe.n_accounts, zoe.top_label) == (0, "Your top accounts")
    assert zoe.lead.startswith("No account is on your list yet. Your prospects are below")
    text = _flat(write_seller_pdf(listing, "Zoe New", tmp_path / "z.pdf"))
    assert "Your top 0" not in text and "Call the accounts below" not in text
    assert "their totals. Q1 to Q4" in text and "their totals ." not in text
    ann = seller_focus(listing, "Ann Lee")  # three accounts, all within the top 5
    assert ann.top_label == "Your 3 accounts" and ann.concentration == "Your 3 accounts are all of your billing."
    assert seller_focus(listing, "Bob Roy").concentration == "Your one account is all of your billing."


def test_lapsed_clients_not_looked_for_are_not_said_to_be_none():
    """Without billing before the window the lapsed clients are not known: the pack says so
    (it said 'No lapsed client was yours.' while the report said 'not assessed')."""
    import dataclasses

    from alms_toolkit.report.writers.seller_focus import seller_focus

    listing = _list()
    assert seller_focus(listing, "Ann Lee").block("lapsed").empty == "No lapsed client was yours."
    unknown = seller_focus(dataclasses.replace(listing, lapsed_assessed=False), "Ann Lee").block("lapsed")
    assert unknown.empty == "Not assessed: the ledger does not show the billing of the 12 months before the window."


def test_the_projection_form_names_its_year_once(tmp_path):
    """The form's header names the projection year as a span (it read 'starts in 31 December
    2024 - 30 January 2025: 31 December 2024 - 30 December 2025' for an audit date not on the 1st)."""
    text = _flat(write_seller_pdf(_list(), "Ann Lee", tmp_path / "a.pdf"))
    assert "the projection year: " in text and "starts in" not in text
