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
    GAP_TO_GOAL,
    GROWTH_GOAL_LABEL,
    KEY_GROWTH,
    KEY_LAST_YEAR,
    KEY_PROJECTION,
    PROJECTION_LABEL,
    SHEETS,
    TARGET_WEIGHTED,
    YOUR_GOAL,
    YOUR_PROJECTION,
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
    assert ws.auto_filter.ref == "A5:F9"
    assert [c.value for c in ws[5]] == ["Rank", "Client", "Tier", "12-month billing", "Share of your billing", "Flag"]
    title = " ".join(str(ws.cell(r, 1).value) for r in (1, 2))
    for part in ("Ann Lee", "Northwind", "15 March 2025", "€20,000.00"):
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
    # nothing but the projection form's own totals is a formula
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert ws.title == "Projection" and re.fullmatch(r"=(SUM|SUMIF|SUMPRODUCT|IF)\(.*\)|=[A-Z]+\d+[-+*].*", c.value), c.value
    neg = wb["Official list"].cell(9, 4)
    assert neg.value == -2 and neg.data_type == "n"


def _rows(ws):
    """{first cell text: spreadsheet row} of the Projection sheet's labelled rows."""
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)}


def test_projection_sheet_layout_formulas_and_inputs(tmp_path):
    path = _write(tmp_path)
    ws = openpyxl.load_workbook(path)["Projection"]
    cached = openpyxl.load_workbook(path, data_only=True)["Projection"]
    header = [c.value for c in ws[7]]
    assert header[:4] == ["Client", "Row", "Last year (12 months)", "Probability (TARGETs)"]
    # months in threes, each quarter's total after its months, then the year
    assert header[4] == "15 Mar - 14 Apr 2025" and header[7] == "Q1 total" and header[19] == "Q4 total"
    assert header[18] == "15 Feb - 14 Mar 2026" and header[20:] == ["Year total", "Growth vs last year",
                                                                     "Weighted (× probability)"]
    assert ws.freeze_panes == "C8" and ws.protection.sheet and not ws.protection.password
    # the start month is written; the growth goal is an unlocked input of 10%
    texts = " ".join(str(ws.cell(r, 1).value) for r in range(1, 7))
    sa, pr, mo = _frames()
    form = projection_form(seller="Ann Lee", seller_accounts=sa, prospects=pr, monthly=mo)
    assert f"starts in {form.start} (the month after" in texts and "without a password" in texts
    assert form.start == form.months[0].label and form.months[0].start == AS_OF
    assert ws["A5"].value == GROWTH_GOAL_LABEL and ws["B5"].value == pytest.approx(0.10)
    assert ws["B5"].protection.locked is False
    rows = _rows(ws)
    acme = rows["Acme Inc."]
    assert ws.cell(acme, 2).value == PROJECTION_LABEL and ws.cell(acme + 1, 2).value == BASELINE_LABEL
    inp = ws.cell(acme, 5)
    assert inp.value is None and inp.protection.locked is False and inp.fill.fgColor.rgb.endswith("FFF2CC")
    base = ws.cell(acme + 1, 5)
    assert base.value == pytest.approx(1005.5) and base.protection.locked is not False
    assert ws.cell(acme, 3).value == pytest.approx(50_000.1234)  # last year = the 12-month billing
    # the quarter totals sum their own three months; the year sums the quarters
    assert ws.cell(acme, 8).value == f"=SUM(E{acme}:G{acme})"
    assert ws.cell(acme, 20).value == f"=SUM(Q{acme}:S{acme})"
    assert ws.cell(acme, 21).value == f"=H{acme}+L{acme}+P{acme}+T{acme}"
    assert ws.cell(acme, 22).value == f'=IF(OR(C{acme}<=0,U{acme}=0),"",U{acme}/C{acme}-1)'
    assert cached.cell(acme + 1, 8).value == pytest.approx(1005.5 + 2000)  # Q1 of last year
    # targets: probability typed, weighted = year x probability; totals and the goal line
    t1 = rows["Target One"]
    assert ws.cell(t1, 4).protection.locked is False and ws.cell(t1, 23).value == f"=U{t1}*D{t1}"
    kp, kl, tw, goal = rows[KEY_PROJECTION], rows[KEY_LAST_YEAR], rows[TARGET_WEIGHTED], rows[YOUR_GOAL]
    assert ws.cell(kl, 5).value.startswith(f'=SUMIF($B${acme}:$B$')
    assert ws.cell(tw, 5).value == f"=SUMPRODUCT(E{t1}:E{t1 + 3},$D${t1}:$D${t1 + 3})"  # 2 targets + 2 spare rows
    assert ws.cell(goal, 21).value == f"=U{kl}*(1+$B$5)"
    assert cached.cell(kl, 21).value == pytest.approx(form.baseline_total / M)
    assert cached.cell(goal, 21).value == pytest.approx(form.baseline_total * 1.1 / M)
    assert cached.cell(kp, 3).value == pytest.approx(form.key_billing / M)
    assert kp < rows[KEY_GROWTH] < tw < rows[YOUR_PROJECTION] < goal < rows[GAP_TO_GOAL]
    # validation: amounts >= 0 on the month cells, probabilities 0-100%, the growth goal
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    amounts = [dv for ref, dv in checks.items() if f"E{acme}:" in ref]
    assert amounts and amounts[0].type == "decimal" and amounts[0].operator == "greaterThanOrEqual"
    prob = next(dv for ref, dv in checks.items() if ref.startswith(f"D{t1}:"))
    assert prob.operator in (None, "between")  # between is the default
    assert (prob.type, float(prob.formula1), float(prob.formula2)) == ("decimal", 0, 1)
    assert "B5" in checks


def test_seller_without_accounts_or_prospects_gets_a_clear_workbook(tmp_path):
    path = write_seller_workbook(_list(prospects=None, cutoff=0, currency="$", client_name="X"), "Nobody",
                                 tmp_path / "nobody.xlsx")
    wb = openpyxl.load_workbook(path)
    assert "No KEY or SECONDARY" in wb["Official list"].cell(6, 2).value
    ws = wb["Projection"]
    rows = _rows(ws)
    assert "No KEY accounts on your list." in rows
    spare = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == PROJECTION_LABEL]
    assert len(spare) == 2 and all(ws.cell(r, 1).protection.locked is False for r in spare)  # spare rows only


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
    read as nothing billed) and says why; the year's goal still stands on the 12-month billing."""
    from alms_toolkit.analysis.monthly import MonthlyBilling
    from alms_toolkit.analysis.periods import periods_for

    sa, pr, mo = _frames()
    totals = MonthlyBilling(periods=periods_for(AS_OF), table=mo.table.iloc[0:0], dates=mo.dates.iloc[0:0])
    form = projection_form(seller="Ann Lee", seller_accounts=sa, prospects=pr, monthly=totals)
    assert not form.has_baseline and all(r.baseline is None for r in form.rows)
    path = _write(tmp_path, monthly=totals)
    ws = openpyxl.load_workbook(path)["Projection"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert BASELINE_LABEL not in values and KEY_LAST_YEAR not in values
    assert any("last year's months are not known" in v for v in values)
    goal = _rows(ws)[YOUR_GOAL]
    kp = _rows(ws)[KEY_PROJECTION]
    assert ws.cell(goal, 21).value == f"=C{kp}*(1+$B$5)" and ws.cell(goal, 5).value is None
