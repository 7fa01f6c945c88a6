"""A seller's action pack (issue 13, item 5): the one-page focus sheet, a target that is
already a client, the projection form's formulas (recalculated by LibreOffice when it is
installed), its print setup, and the PDF's pagination (focus on one page, no orphan rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pypdf
import pytest
from official_lists import official_list
from period_billing import monthly_of

from alms_toolkit.analysis.official_list import FLAG_COLUMNS
from alms_toolkit.report.writers.seller_focus import seller_focus
from alms_toolkit.report.writers.seller_pdf import seller_context, write_seller_pdf
from alms_toolkit.report.writers.xlsx import (
    GAP_TO_GOAL,
    KEY_GROWTH,
    KEY_LAST_YEAR,
    KEY_PROJECTION,
    TARGET_PROJECTION,
    TARGET_WEIGHTED,
    YOUR_GOAL,
    YOUR_PROJECTION,
    month_col,
    projection_form,
    quarter_col,
    write_seller_workbook,
)

M = 1_000_000
AS_OF = dt.date(2025, 7, 1)  # calendar months: the projection year is July 2025 - June 2026
SELLER = "Ann Lee"


def _pack(n_key: int = 10, n_sec: int = 3, *, name_len: int = 0, n_lapsed: int = 7, page_size: str = "A4"):
    """Ann Lee's list: ``n_key`` KEY accounts (K01 the largest), ``n_sec`` SECONDARY, two KEY at
    risk (K02 among the largest, K09 not), one SECONDARY with growth potential, ``n_lapsed``
    lapsed clients, six targets (one of them, "Kappa Five", already her KEY client K05) and
    two extras; Bob Roy has one KEY account."""
    pad = "x" * name_len

    def name(prefix: str, i: int) -> str:
        return f"{prefix}{i:02d}{' ' + pad if pad else ''}"

    rows = [(SELLER, f"k{i}", name("K", i), "KEY", (100 - i) * 1_000 * M) for i in range(1, n_key + 1)]
    rows += [(SELLER, f"s{i}", name("S", i), "SECONDARY", (10 - i % 10) * 100 * M + M) for i in range(1, n_sec + 1)]
    rows += [("Bob Roy", "b1", "Bob's client", "KEY", 500_000 * M)]
    sa = pd.DataFrame(rows, columns=["seller", "client_key", "client", "tier", "billing"])
    sa["billing"] = sa["billing"].astype("int64")
    sa["rank"] = pd.array(sa["billing"].rank(ascending=False, method="first").astype(int), dtype="Int64")
    sa["share_of_seller"] = sa["billing"] / sa.groupby("seller")["billing"].transform("sum")
    accounts = sa.assign(owner=sa["seller"])[["client_key", "client", "billing", "rank", "tier", "owner"]]
    k05 = sa.loc[sa["client_key"] == "k5", "client"].iloc[0]
    prospects = pd.DataFrame({
        "seller": [SELLER] * 8,
        "prospect": ["T One", "T Two", "Kappa Five", "T Four", "T Five", "T Six", "E One", "E Two"],
        "category": ["TARGET"] * 6 + ["EXTRA"] * 2,
        "fit_score": [4.67, 4.33, 4.0, 3.67, 3.33, 3.0, 3.67, 2.0],
        "notes": ["met the CFO", "", "", "", "", "", "", ""],
        "issues": ["", "", f"already a client: {k05} ($95,000.00, KEY)", "", "", "", "", ""],
    })
    lapsed = pd.DataFrame({
        "client_key": [f"l{i}" for i in range(n_lapsed)], "client": [f"Lapsed {i}" for i in range(n_lapsed)],
        "last_seller": [SELLER] * n_lapsed, "last_billed": [dt.date(2024, 3, 1 + i) for i in range(n_lapsed)],
        "previous_billing": pd.array([(i + 1) * 1_000 * M for i in range(n_lapsed)], dtype="int64"),
    })
    flags = pd.DataFrame({
        "flag": ["at risk", "at risk", "growth potential"],
        "reason": ["falling", "no recent billing", "seasonal"],
        "client": [name("K", 2), name("K", 9), name("S", 1)],
        "seller": [SELLER] * 3, "billing": pd.array([98_000 * M, 91_000 * M, 901 * M], dtype="int64"),
        "detail": ["down 60%", "nothing in 3 months", "billing packed in 2 months"],
        "client_key": ["k2", "k9", "s1"],
    }, columns=list(FLAG_COLUMNS))
    # K01 billed 1,000 in each month of the window (July 2024 - June 2025), K02 only in July 2024
    ledger = [("k1", f"{2024 if m >= 7 else 2025}-{m:02d}-10", 1_000 * M) for m in range(1, 13)]
    ledger += [("k2", "2024-07-15", 5_000 * M)]
    official = official_list(seller_accounts=sa, accounts=accounts, prospects=prospects, lapsed=lapsed,
                             monthly=monthly_of(ledger, AS_OF), as_of=AS_OF, cutoff=91_000 * M,
                             client_name="Northwind & Co", currency="$", page_size=page_size)
    return dataclasses.replace(official, flags=flags)


# ---------------------------------------------------------------------------- the focus sheet


def test_focus_sheet_holds_the_top_of_each_list_and_says_where_the_rest_are():
    focus = seller_focus(_pack(), SELLER)
    call = focus.block("call first")
    assert [r[0].value for r in call.rows] == [f"K{i:02d}" for i in range(1, 9)] and call.more == 2
    assert [r[4].value for r in call.rows] == ["", "at risk"] + [""] * 6  # K02 marked, K09 not shown
    assert [r[0].value for r in focus.block("at risk").rows] == ["K02", "K09"]
    assert [r[0].value for r in focus.block("growth").rows] == ["S01"]
    lapsed = focus.block("lapsed")
    assert [r[0].value for r in lapsed.rows] == ["Lapsed 6", "Lapsed 5", "Lapsed 4", "Lapsed 3", "Lapsed 2"]
    assert lapsed.rows[0][1].value == 7_000 * M and lapsed.rows[0][2].value == dt.date(2024, 3, 7)
    assert lapsed.more == 2 and "Flagged" in lapsed.where
    targets = focus.block("target")
    assert targets.total == 6 and targets.more == 1
    kappa = next(r for r in targets.rows if r[0].value == "Kappa Five")
    assert kappa[2].kind == "issue" and kappa[2].value == "already your KEY client"
    # concentration: the five largest of 13 accounts, exactly
    billing = sorted([(100 - i) * 1_000 for i in range(1, 11)] + [901, 801, 701], reverse=True)
    assert focus.top_n == 5 and focus.top_share == pytest.approx(sum(billing[:5]) / sum(billing))
    assert focus.concentration == f"Your top 5 accounts are {sum(billing[:5]) / sum(billing):.0%} of your billing."
    # six targets listed, one of them (Kappa Five) already her client: 5 are new business (the card)
    assert (focus.n_key, focus.n_secondary, focus.n_targets, focus.n_extras) == (10, 3, 5, 2)


def test_focus_sheet_in_the_workbook_is_first_and_prints_on_one_page(tmp_path):
    path = write_seller_workbook(_pack(), SELLER, tmp_path / "ann.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.title == "Act first"
    values = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Call first: your largest KEY accounts (10)" in values and "KEY accounts at risk (2)" in values
    assert "Lapsed clients to win back (you were their seller) (7)" in values
    assert any(v.startswith("… and 2 more on your official list") for v in values)
    assert any("Your top 5 accounts are" in v for v in values) and "already your KEY client" in values
    links = {c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert "'Official list'!A1" in links and "'Flagged'!A1" in links
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # one page wide and high (1 is the default, omitted)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)
    # the official list marks the flags
    flags = {r[1]: r[5] for r in wb["Official list"].iter_rows(min_row=6, values_only=True)}
    assert flags["K02"] == "at risk" and flags["S01"] == "growth potential" and flags["K03"] is None


# ---------------------------------------------------------------------------- a target that is a client


def test_a_target_that_is_already_a_client_is_the_client_not_a_target(tmp_path):
    official = _pack()
    clients = official.already_clients()
    assert list(clients["client"]) == ["K05"] and list(clients["tier"]) == ["KEY"]
    form = projection_form(seller=SELLER, seller_accounts=official.seller_accounts, prospects=official.prospects,
                           monthly=official.monthly, already_clients=clients)
    assert [r.client for r in form.target_rows] == ["T One", "T Two", "T Four", "T Five", "T Six"]
    assert "K05" in [r.client for r in form.key_rows]
    assert [a.client for a in form.set_aside] == ["K05"]
    ws = openpyxl.load_workbook(write_seller_workbook(official, SELLER, tmp_path / "a.xlsx"))["Projection"]
    names = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Kappa Five" not in names
    assert any(isinstance(n, str) and n == "Kappa Five is not a target: it is already your KEY client K05; it is on this form as one of your KEY accounts."
               for n in names)
    form = seller_context(official, SELLER)["form"]
    assert any(t.startswith("Kappa Five is not a target") for t in form["set_aside"])
    assert "Kappa Five" not in [r["client"] for r in form["target_rows"]]
    assert "K05" in [r["client"] for r in form["key_rows"]]


# ---------------------------------------------------------------------------- the projection form


def _labelled(ws):
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)}


def test_projection_print_setup(tmp_path):
    for size, paper in (("A4", 9), ("Letter", 1)):
        ws = openpyxl.load_workbook(write_seller_workbook(_pack(page_size=size), SELLER, tmp_path / f"{size}.xlsx"))["Projection"]
        ps = ws.page_setup
        assert ps.orientation == "landscape" and int(ps.paperSize) == paper
        assert int(ps.scale) >= 75, ps.scale  # each half one page wide at a readable size
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$7:$7" and ws.print_title_cols == "$A:$A"
        assert [b.id for b in ws.col_breaks.brk] == [12]  # the second half starts at month 7 (column M)
        target_head = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("TARGET accounts ("))
        assert [b.id for b in ws.row_breaks.brk] == [target_head - 1]  # the TARGET block on a page of its own
        assert ps.pageOrder == "overThenDown"
        header, footer = ws.oddHeader, ws.oddFooter
        assert "Northwind && Co" in header.left.text and SELLER in header.center.text
        assert header.right.text == "Page &P of &N" and "1 July 2025" in footer.left.text
    for name in ("Act first", "Official list", "Flagged", "Targets"):
        sheet = openpyxl.load_workbook(tmp_path / "A4.xlsx")[name]
        assert int(sheet.page_setup.paperSize) == 9 and sheet.oddHeader.right.text == "Page &P of &N"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _recalculated(path: Path, out: Path, fmt: str = "xlsx") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{out / 'profile'}",
                    "--convert-to", fmt, "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    return out / f"{path.stem}.{fmt}"


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_projection_formulas_compute_in_a_spreadsheet(tmp_path):
    """A seller types projections, probabilities and a growth goal; LibreOffice recalculates the
    sheet: quarters, year, growth, weighted totals, the goal and the gap come out right."""
    path = write_seller_workbook(_pack(), SELLER, tmp_path / "ann.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Projection"]
    rows = _labelled(ws)
    k1, t1, t2 = rows["K01"], rows["T One"], rows["T Two"]
    for i in range(12):  # K01: 1,100 a month (+10% on its 1,000 a month last year)
        ws.cell(k1, month_col(i) + 1).value = 1100
    ws.cell(t1, month_col(0) + 1).value = 4000  # T One: 4,000 in July, 6,000 in January, 50%
    ws.cell(t1, month_col(6) + 1).value = 6000
    ws.cell(t1, 4).value = 0.5
    ws.cell(t2, month_col(3) + 1).value = 1000  # T Two: 1,000 in October, 20%
    ws.cell(t2, 4).value = 0.2
    ws["B5"].value = 0.2  # the seller's growth goal: 20%
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    calc = openpyxl.load_workbook(_recalculated(typed, tmp_path / "calc"), data_only=True)["Projection"]

    def v(row: int, col: int) -> float:
        return float(calc.cell(row, col + 1).value or 0)

    assert v(k1, quarter_col(0)) == 3300 and v(k1, 20) == 13200  # Q1 and the year
    assert v(k1 + 1, quarter_col(0)) == 3000 and v(k1 + 1, 20) == 12000  # last year, same months
    assert v(k1, 21) == pytest.approx(13200 / (100 - 1) / 1000 - 1)  # growth vs its 12-month billing
    assert v(t1, 20) == 10000 and v(t1, 22) == 5000 and v(t2, 22) == 200  # weighted = year x probability
    kp, kl, kg = rows[KEY_PROJECTION], rows[KEY_LAST_YEAR], rows[KEY_GROWTH]
    tp, tw = rows[TARGET_PROJECTION], rows[TARGET_WEIGHTED]
    yp, goal, gap = rows[YOUR_PROJECTION], rows[YOUR_GOAL], rows[GAP_TO_GOAL]
    assert v(kp, month_col(0)) == 1100 and v(kp, 20) == 13200
    # last year's KEY months: K01's 1,000 a month and K02's 5,000 in July 2024
    assert v(kl, month_col(0)) == 6000 and v(kl, quarter_col(0)) == 8000 and v(kl, 20) == 17000
    assert v(kg, month_col(1)) == pytest.approx(0.1) and v(kg, 20) == pytest.approx(13200 / 17000 - 1)
    assert v(tp, month_col(0)) == 4000 and v(tp, quarter_col(0)) == 4000 and v(tp, quarter_col(1)) == 1000
    assert v(tw, month_col(0)) == 2000 and v(tw, quarter_col(1)) == 200 and v(tw, 20) == 5200 and v(tw, 22) == 5200
    assert v(yp, quarter_col(0)) == 3300 + 2000 and v(yp, 20) == 13200 + 5200
    assert v(goal, month_col(0)) == pytest.approx(6000 * 1.2) and v(goal, 20) == pytest.approx(17000 * 1.2)
    assert v(gap, 20) == pytest.approx(13200 + 5200 - 17000 * 1.2)


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_projection_prints_each_half_on_one_page_width(tmp_path):
    """Printed (LibreOffice's PDF of the workbook): the KEY block and the TARGET block each
    take one page per half of the year, and no page holds only a stray column."""
    path = write_seller_workbook(_pack(), SELLER, tmp_path / "ann.xlsx")
    pages = [p.extract_text() for p in pypdf.PdfReader(_recalculated(path, tmp_path / "pdf", "pdf")).pages]
    form = [t for t in pages if "Revenue projection - Ann Lee" in t]
    assert len(form) == 4, [t[:80] for t in form]
    assert "Jul 2025" in form[0] and "Q2 total" in form[0] and "Jan 2026" not in form[0]
    assert "Jan 2026" in form[1] and "Weighted" in form[1] and "K01" in form[1]
    assert "T One" in form[2] and "T One" in form[3] and "Your goal" in form[3]


# ---------------------------------------------------------------------------- the PDF's pages


def _pages(official, tmp_path: Path) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(write_seller_pdf(official, SELLER, tmp_path / "s.pdf")).pages]


def test_pdf_focus_sheet_is_one_page_even_with_long_names(tmp_path):
    pages = _pages(_pack(n_key=40, n_sec=40, name_len=70, n_lapsed=30), tmp_path)
    assert "Call first" in pages[0] and "Lapsed clients to win back" in pages[0]
    assert "Official list: KEY then SECONDARY" not in pages[0] and "Official list: KEY then SECONDARY" in pages[1]
    assert re.search(r"and 32 more on your official list \(page 2\)", pages[0])
    flagged = next(i for i, t in enumerate(pages) if "Flagged accounts: the figures" in t)
    assert f"under Flagged accounts (page {flagged + 1})" in pages[0]


@pytest.mark.parametrize("n_sec", [28, 29, 30])  # without the rule: 40 + the total alone, 40 + 1, 40 + 2 rows
def test_no_page_holds_only_one_or_two_rows_of_the_list(tmp_path, n_sec):
    """Lists long enough to leave one or two rows for a last page keep at least three
    together (the first rows stay with the heading too)."""
    pages = _pages(_pack(n_key=12, n_sec=n_sec, n_lapsed=0), tmp_path)
    listed = [len(re.findall(r"\b(?:KEY|SECONDARY)\b\s+\$", t)) for t in pages[1:]]
    counts = [n for n in listed if n]
    assert sum(counts) == 12 + n_sec and len(counts) >= 2
    assert min(counts) >= 3, counts


def test_flagged_accounts_are_capped_with_a_note(monkeypatch, tmp_path):
    """The printed Flagged accounts stop at MAX_FLAGS, the largest first, and say the
    workbook lists them all."""
    from alms_toolkit.report.writers import seller_pdf

    monkeypatch.setattr(seller_pdf, "MAX_FLAGS", 1)
    assert [r["client"] for r in seller_context(_pack(), SELLER)["flag_rows"]] == ["K02"]
    text = " ".join(" ".join(_pages(_pack(), tmp_path)).split())
    assert "(the 1 largest; your workbook's Flagged sheet lists all 3)" in text
    assert "K09" in text  # still on the focus page, among the KEY accounts at risk


def test_counts_print_with_thousands_separators(tmp_path):
    """A seller with thousands of accounts reads 1,200, not 1200, on the cards, the focus
    blocks' counts and their '... and N more' links (the list itself is capped)."""
    official = _pack(n_key=1_200, n_sec=1_100, n_lapsed=0)
    context = seller_context(official, SELLER)
    assert (context["n_key"], context["n_secondary"]) == ("1,200", "1,100")
    call_first = context["focus"]["blocks"]["call first"]
    assert call_first["total"] == "1,200" and call_first["more_text"] == f"{1_200 - len(call_first['rows']):,}"
    first = " ".join(_pages(official, tmp_path)[0].split())
    assert "1,200" in first and "1,100" in first and "1200" not in first.replace("1,200", "")
    assert f"and {1_200 - len(call_first['rows']):,} more on your official list" in first
