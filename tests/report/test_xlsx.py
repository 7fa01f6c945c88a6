"""Per-seller workbooks: sheets, frozen headers, filters, money formats, safe text, projection formulas."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest
from official_lists import official_list
from period_billing import monthly_of

from alms_toolkit.report.writers.xlsx import (
    BASELINE_LABEL,
    PROJECTION_LABEL,
    SHEETS,
    money_number_format,
    projection_form,
    seller_file_stems,
    write_seller_workbook,
    write_seller_workbooks,
)

M = 1_000_000
AS_OF = dt.date(2025, 3, 15)
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\tcmd"]


def _frames():
    seller_accounts = pd.DataFrame(
        {
            "seller": ["Ann Lee"] * 4 + ["Bob Roy"] * 2,
            "client_key": ["acme", "hyper", "gamma", "delta", "eps", "zeta"],
            "client": ["Acme Inc.", HOSTILE[0], "Gamma GmbH", "+1", "Eps", "Zeta"],
            "tier": ["KEY", "KEY", "SECONDARY", "SECONDARY", "KEY", "SECONDARY"],
            "rank": pd.array([1, 3, 5, 6, 2, 4], dtype="Int64"),
            "billing": pd.array(
                [50_000 * M + 123_400, 20_000 * M, 1_000 * M, -2 * M, 40_000 * M, 5_000 * M], dtype="int64"
            ),
        }
    )
    seller_accounts["share_of_seller"] = seller_accounts["billing"] / seller_accounts.groupby("seller")[
        "billing"
    ].transform("sum")
    prospects = pd.DataFrame(
        {
            "source_row": [2, 3, 4, 5],
            "seller": ["Ann Lee", "Ann Lee", "Ann Lee", "Bob Roy"],
            "prospect": ["Target One", "@SUM(1)", "Extra Co", "-2"],
            "category": ["TARGET", "TARGET", "EXTRA", "LEAD"],
            "spending_potential": [5, 4, 3, 2],
            "decision_maker_access": [4, 3, 2, 1],
            "product_fit": [5, 5, 4, 3],
            "fit_score": [4.67, 4.0, 3.0, 2.0],
            "notes": ["big", "\tcmd", "-2", None],
            "issues": ["", "", "", ""],
        }
    )
    # the ledger's rows; periods run from the 15th (AS_OF 2025-03-15): 15 Mar - 14 Apr 2024 is
    # the window's first period, 15 Feb - 14 Mar 2025 its last
    rows = [
        ("acme", "2024-03-20", 1000 * M + 500_000), ("acme", "2024-04-14", 5 * M),  # period 0
        ("acme", "2024-04-15", 2000 * M),  # period 1
        ("acme", "2025-02-20", 3000 * M), ("acme", "2025-03-14", 1 * M),  # period 11 (its last day)
        ("acme", "2024-03-14", 99 * M), ("acme", "2023-03-20", 99 * M),  # before the window: unused
        ("hyper", "2024-05-20", 777 * M), ("eps", "2024-03-20", 9 * M),
    ]
    monthly = monthly_of(rows, AS_OF)
    return seller_accounts, prospects, monthly


def _list(**kw):
    sa, pr, mo = _frames()
    args = dict(seller_accounts=sa, prospects=pr, monthly=mo, as_of=AS_OF, cutoff=20_000 * M,
                currency="€", client_name="Northwind")
    args.update(kw)
    return official_list(**args)


def _write(tmp_path, seller="Ann Lee", **kw):
    return write_seller_workbook(_list(**kw), seller, tmp_path / "ann.xlsx")


def test_projection_form_months_are_the_periods_after_as_of():
    form = projection_form(seller="Ann Lee", seller_accounts=_frames()[0], prospects=None,
                           monthly=monthly_of([("acme", "2024-01-05", M)], dt.date(2024, 11, 30)))
    assert form.months[0].start == dt.date(2024, 11, 30) and form.months[0].end == dt.date(2024, 12, 30)
    assert form.months[2].start == dt.date(2025, 1, 30) and form.months[3].start == dt.date(2025, 2, 28)
    assert len(form.months) == 12 and form.months[-1].end == dt.date(2025, 11, 30)
    on_the_first = projection_form(seller="Ann Lee", seller_accounts=_frames()[0], prospects=None,
                                   monthly=monthly_of([("acme", "2024-01-05", M)], dt.date(2024, 11, 1)))
    assert [m.label for m in on_the_first.months[:3]] == ["November 2024", "December 2024", "January 2025"]


def test_projection_form_rows_and_baselines():
    sa, pr, mo = _frames()
    form = projection_form(seller="Ann Lee", seller_accounts=sa, prospects=pr, monthly=mo)
    assert [(r.client, r.tier) for r in form.rows] == [
        ("Acme Inc.", "KEY"), (HOSTILE[0], "KEY"), ("Target One", "TARGET"), ("@SUM(1)", "TARGET"),
    ]
    acme = form.rows[0]
    # 15 Mar - 14 Apr 2025 <- 15 Mar - 14 Apr 2024 (two rows summed), the next period <- its
    # 15 Apr 2024 row, 15 Feb - 14 Mar 2026 <- 15 Feb - 14 Mar 2025 (the window's last day
    # included); the rows before the window are not used
    assert acme.baseline[0] == 1005 * M + 500_000
    assert acme.baseline[1] == 2000 * M
    assert acme.baseline[11] == 3001 * M
    assert sum(acme.baseline) == 6006 * M + 500_000  # acme's billing in the window, exactly
    assert form.rows[1].baseline[2] == 777 * M  # 15 May - 14 Jun
    assert form.rows[2].baseline is None and form.rows[2].billing is None
    assert form.baseline_total == 6783 * M + 500_000
    assert form.key_billing == 70_000 * M + 123_400
    assert sa.equals(_frames()[0])  # input untouched


def test_workbook_sheets_frozen_headers_filters_and_money_formats(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path))
    assert wb.sheetnames == list(SHEETS)
    ws = wb["Official list"]
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref == "A5:E9"
    assert [c.value for c in ws[5]] == ["Rank", "Client", "Tier", "12-month billing", "Share of your billing"]
    title = " ".join(str(ws.cell(r, 1).value) for r in (1, 2))
    for part in ("Ann Lee", "Northwind", "2025-03-15", "€20,000.00"):
        assert part in title
    # KEY first, by billing, then SECONDARY
    assert [ws.cell(r, 3).value for r in range(6, 10)] == ["KEY", "KEY", "SECONDARY", "SECONDARY"]
    money = ws.cell(6, 4)
    assert money.value == pytest.approx(50_000.1234) and money.number_format == money_number_format("€")
    assert "€" in money.number_format
    assert ws.cell(6, 5).number_format == "0.0%"
    assert ws.cell(6, 1).value == 1 and isinstance(ws.cell(6, 1).value, int)
    # widths fitted: the client column is wider than the rank column, and not absurd
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    assert 10 < ws.column_dimensions["B"].width <= 62
    for name in ("Targets", "Extras", "Leads"):
        assert wb[name].freeze_panes == "A6" and wb[name].auto_filter.ref.startswith("A5:G")
    assert wb["Targets"].cell(6, 1).value == "Target One"
    assert wb["Targets"].cell(6, 5).value == pytest.approx(4.67)
    assert "No leads" in wb["Leads"].cell(6, 1).value


def test_hostile_text_is_inert_and_negative_amounts_stay_numbers(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path))
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for bad in HOSTILE:
        assert ("'" + bad) in texts
        assert bad not in texts
    # nothing but our own totals is a formula
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert ws.title == "Projection" and re.fullmatch(r"=SUM(IF)?\(.*\)", c.value)
    neg = wb["Official list"].cell(9, 4)
    assert neg.value == -2 and neg.data_type == "n"


def _range_cells(ws, ref):
    return [c for row in ws[ref] for c in row]


def _evaluate(ws, formula, typed):
    """Evaluate our SUM / SUMIF formulas over the sheet, with typed[(row, col)] overriding."""

    def value(c):
        v = typed.get((c.row, c.column), c.value)
        if isinstance(v, str) and v.startswith("="):
            return _evaluate(ws, v, typed)
        return v if isinstance(v, (int, float)) else 0

    m = re.fullmatch(r"=SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", formula)
    if m:
        return sum(value(c) for c in _range_cells(ws, m.group(1)))
    m = re.fullmatch(r'=SUMIF\((\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+),"([^"]+)",([A-Z]+\d+:[A-Z]+\d+)\)', formula)
    assert m, formula
    crit = _range_cells(ws, m.group(1).replace("$", ""))
    vals = _range_cells(ws, m.group(3))
    return sum(value(v) for k, v in zip(crit, vals, strict=True) if k.value == m.group(2))


def test_projection_formulas_cover_the_right_cells_and_total_correctly(tmp_path):
    path = _write(tmp_path)
    ws = openpyxl.load_workbook(path)["Projection"]
    cached = openpyxl.load_workbook(path, data_only=True)["Projection"]
    header = [c.value for c in ws[5]]
    assert header[:4] == ["Client", "Tier", "Row", "Last 12 months"]
    assert header[4] == "15 Mar - 14 Apr 2025" and header[15] == "15 Feb - 14 Mar 2026" and header[16] == "Total"
    assert ws.freeze_panes == "B6"
    assert ws.protection.sheet
    rows = {r: [c.value for c in ws[r]] for r in range(6, ws.max_row + 1)}
    labels = {r: v[2] for r, v in rows.items()}
    assert labels[6] == PROJECTION_LABEL and labels[7] == BASELINE_LABEL
    # every data row totals its own 12 months
    for r in range(6, 14):
        assert rows[r][16] == f"=SUM(E{r}:P{r})"
    # input cells are blank, unlocked and highlighted; baseline cells are locked numbers
    inp = ws.cell(6, 5)
    assert inp.value is None and inp.protection.locked is False and inp.fill.fgColor.rgb.endswith("FFF2CC")
    base = ws.cell(7, 5)
    assert base.value == pytest.approx(1005.5) and base.protection.locked is not False
    # the total rows
    total_proj = next(r for r, v in rows.items() if v[0] == "Total projection")
    total_last = next(r for r, v in rows.items() if v[0] == "Total last year (KEY)")
    first, last = 6, total_proj - 2
    for i in range(12):
        col = openpyxl.utils.get_column_letter(5 + i)
        assert rows[total_proj][4 + i] == f'=SUMIF($C${first}:$C${last},"{PROJECTION_LABEL}",{col}{first}:{col}{last})'
        assert rows[total_last][4 + i] == f'=SUMIF($C${first}:$C${last},"{BASELINE_LABEL}",{col}{first}:{col}{last})'
    # evaluated totals equal the exact baselines computed in Python
    sa, pr, mo = _frames()
    form = projection_form(seller="Ann Lee", seller_accounts=sa, prospects=pr, monthly=mo)
    for i, expected in enumerate(form.baseline_by_month):
        assert _evaluate(ws, rows[total_last][4 + i], {}) == pytest.approx(expected / M)
        assert cached.cell(total_last, 5 + i).value == pytest.approx(expected / M)
    assert _evaluate(ws, rows[total_last][16], {}) == pytest.approx(form.baseline_total / M)
    assert cached.cell(total_last, 17).value == pytest.approx(form.baseline_total / M)
    assert _evaluate(ws, rows[total_proj][3], {}) == pytest.approx(form.key_billing / M)
    # a seller types projections: the totals take them, and not the baselines
    typed = {(6, 5): 100.0, (8, 5): 50.0, (10, 6): 7.0, (total_proj - 2, 5): 1.0}
    assert _evaluate(ws, rows[total_proj][4], typed) == pytest.approx(151.0)
    assert _evaluate(ws, rows[total_proj][16], typed) == pytest.approx(158.0)
    assert _evaluate(ws, rows[6][16], typed) == pytest.approx(100.0)


def test_seller_without_accounts_or_prospects_gets_a_clear_workbook(tmp_path):
    path = write_seller_workbook(_list(prospects=None, cutoff=0, currency="$", client_name="X"), "Nobody",
                                 tmp_path / "nobody.xlsx")
    wb = openpyxl.load_workbook(path)
    assert "No KEY or SECONDARY" in wb["Official list"].cell(6, 2).value
    ws = wb["Projection"]
    assert [ws.cell(r, 2).value for r in (6, 7)] == ["TARGET", "TARGET"]  # spare rows only


def test_seller_file_stems_are_distinct_and_safe():
    stems = seller_file_stems(["Dana Scott", "Dana  Scott!", "../etc", "Dana Scott"])
    assert set(stems) == {"Dana Scott", "Dana  Scott!", "../etc"}
    assert stems["../etc"] == "seller-etc"
    # colliding slugs: each seller gets a hash of its own name, whatever the order
    assert stems["Dana Scott"] != stems["Dana  Scott!"]
    assert all(re.fullmatch(r"seller-dana-scott-[0-9a-f]{8}", stems[n]) for n in ("Dana Scott", "Dana  Scott!"))
    assert seller_file_stems(["Dana  Scott!", "Dana Scott"]) == {n: stems[n] for n in ("Dana  Scott!", "Dana Scott")}


def test_seller_file_stems_are_bounded_and_stay_distinct():
    long_a, long_b = "A" * 300, "A" * 299 + "B"
    stems = seller_file_stems([long_a, long_b, "日本", "中国"])
    assert len(set(stems.values())) == 4
    assert all(len(s) <= len("seller-") + 60 for s in stems.values())
    assert stems == seller_file_stems([long_a, long_b, "日本", "中国"])  # stable


def test_one_workbook_per_seller_of_the_list(tmp_path):
    paths = write_seller_workbooks(_list(currency="$"), tmp_path / "out")
    assert [p.name for p in paths] == ["seller-ann-lee.xlsx", "seller-bob-roy.xlsx"]
    bob = openpyxl.load_workbook(paths[1])
    assert bob["Leads"].cell(6, 1).value == "'-2"
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left


def test_a_totals_ledger_has_no_last_year_months(tmp_path):
    """One 12-month total per client: the form shows no 'last year' rows (never zeros that
    read as nothing billed) and says why."""
    from alms_toolkit.analysis.monthly import MonthlyBilling
    from alms_toolkit.analysis.periods import periods_for

    sa, pr, mo = _frames()
    totals = MonthlyBilling(periods=periods_for(AS_OF), table=mo.table.iloc[0:0], dates=mo.dates.iloc[0:0])
    form = projection_form(seller="Ann Lee", seller_accounts=sa, prospects=pr, monthly=totals)
    assert not form.has_baseline and all(r.baseline is None for r in form.rows)
    path = _write(tmp_path, monthly=totals)
    ws = openpyxl.load_workbook(path)["Projection"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert BASELINE_LABEL not in values and "Total last year (KEY)" not in values
    assert any("last year's months are not known" in v for v in values)
