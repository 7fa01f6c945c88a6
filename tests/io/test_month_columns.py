"""A table of clients by month (a pivot table exported to CSV or Excel) has no date column: its
total column is read as each client's 12-month billing only when its month columns are the 12
months before the audit date. A pivot of 15 months, or of another year, is refused with the
months named, and following the advice reaches the true figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_cases import billing_per_client, refused

from alms_toolkit.io.month_columns import bare_month, period_of_header

CLIENTS = ("Total Wine & More", "Grand Central Bakery", "May Department Stores", "Summit Credit Union",
           "Balance Fitness", "March Hare Ltd")


def _month(i: int) -> tuple[int, int]:
    """Month i counted from October 2023."""
    return 2023 + (9 + i) // 12, (9 + i) % 12 + 1


def _cell(c: int, i: int) -> Decimal:
    return Decimal(1000 + 137 * c + 53 * i) + Decimal(c * 7 + i) / 100 if (c + i) % 4 else Decimal(0)


def _pivot(folder: Path, months: range, as_of: str, extra: str = "") -> Path:
    """Row Labels | one column per month | Grand Total, a Grand Total row, as Excel's pivot writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    heads = [dt.date(*_month(i), 1).strftime("%b-%y") for i in months]
    lines = ["Sum of Amount,Column Labels" + "," * len(heads), ",".join(["Row Labels", *heads, "Grand Total"])]
    for c, name in enumerate(CLIENTS):
        cells = [_cell(c, i) for i in months]
        lines.append(",".join([f'"{name}"', *(f"{v:.2f}" if v else "" for v in cells), f"{sum(cells):.2f}"]))
    col_totals = [sum(_cell(c, i) for c in range(len(CLIENTS))) for i in months]
    lines.append(",".join(["Grand Total", *(f"{v:.2f}" for v in col_totals), f"{sum(col_totals):.2f}"]))
    (folder / "pivot.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "client.yml").write_text(f"client: Pivot\nas_of: {as_of}\nbilling:\n  file: pivot.csv\n{extra}",
                                       encoding="utf-8")
    return folder


def _truth(months: range) -> dict[str, int]:
    return {name: int(sum(_cell(c, i) for i in months) * 1_000_000) for c, name in enumerate(CLIENTS)}


@pytest.mark.parametrize(("header", "period"), [
    ("Oct-23", (2023, 10, 1)), ("Jan 2024", (2024, 1, 1)), ("Januar 2024", (2024, 1, 1)), ("déc. 2024", (2024, 12, 1)),
    ("2024-03", (2024, 3, 1)), ("03/2024", (2024, 3, 1)), ("2024-03-01", (2024, 3, 1)),
    ("2024-03-01 00:00:00", (2024, 3, 1)), ("Sept '24", (2024, 9, 1)), ("2023-10-31", (2023, 10, 1)),
    ("10/1/2023", (2023, 10, 1)), ("31/10/2023", (2023, 10, 1)), ("01.10.2023", (2023, 10, 1)), ("2023 Oct", (2023, 10, 1)),
    ("202310", (2023, 10, 1)), ("2023M10", (2023, 10, 1)), ("Sum of Oct-23", (2023, 10, 1)), ("Q4 2023", (2023, 10, 3)),
    ("2024 Q1", (2024, 1, 3)), ("2024", (2024, 1, 12)), ("Oct - Dec 23", (2023, 10, 3)),
    ("Jan - Dec 2024", (2024, 1, 12)), ("Total 2023", (2023, 1, 12)),
])
def test_period_headers(header: str, period: tuple[int, int, int]) -> None:
    year, month, n = period
    assert period_of_header(header) == (year * 12 + month - 1, n)


@pytest.mark.parametrize("header", ["May Department Stores", "March Hare Ltd", "Grand Total", "Dec-24 Campaign",
                                   "Total 2024 Budget", "2024-03-15", "13/2024", "Amount", "Mayo 24x", "Q5 2024",
                                   "10/15/2023", "1999 Sales"])
def test_headers_that_are_no_period(header: str) -> None:
    assert period_of_header(header) is None


def test_bare_months() -> None:
    assert [bare_month(h) for h in ("Oct", "Januar", "Oct (2)", "Oct_2", "Dec.1", "Total", "Octagon")] == [
        10, 1, 10, 10, 12, None, None]


def test_a_pivot_of_15_months_is_refused_and_the_advised_export_reads_right(tmp_path: Path) -> None:
    refused(_pivot(tmp_path / "15", range(15), "2025-01-01"),
            "'Grand Total' adds up the file's table of clients by month", "15 month columns, Oct 2023 to Dec 2024",
            "the 12 months before 1 January 2025 (Jan 2024 to Dec 2024)", "Export the report for Jan 2024 to Dec 2024")
    # the advice followed: the report exported for those 12 months
    got, loaded = billing_per_client(_pivot(tmp_path / "12", range(3, 15), "2025-01-01"))
    assert got == _truth(range(3, 15))
    assert loaded.reconciliation.amount_used == sum(_truth(range(3, 15)).values())


def test_a_pivot_of_another_year_is_refused_and_the_audit_date_advised_reads_it(tmp_path: Path) -> None:
    message = refused(_pivot(tmp_path / "y", range(3, 15), "2025-03-01"),
                      "Jan 2024 to Dec 2024", "the 12 months before 1 March 2025 (Mar 2024 to Feb 2025)",
                      "as_of: 2025-01-01")
    assert "10 of those are in the file" in message
    got, _ = billing_per_client(_pivot(tmp_path / "y2", range(3, 15), "2025-01-01"))  # as_of set as advised
    assert got == _truth(range(3, 15))


def test_a_month_column_mapped_as_the_amount_is_refused(tmp_path: Path) -> None:
    refused(_pivot(tmp_path / "m", range(3, 15), "2025-01-01", "  columns: {client: Row Labels, amount: Dec-24}\n"),
            "the amount column 'Dec-24' is one period's column", "Jan 2024 to Dec 2024")


def test_twelve_month_totals_set_in_client_yml_is_the_consultants_decision(tmp_path: Path) -> None:
    got, _ = billing_per_client(_pivot(tmp_path / "t", range(15), "2025-01-01", "  twelve_month_totals: true\n"))
    assert got == _truth(range(15))


def _table(folder: Path, heads: list[str], columns: list[range], as_of: str, total: str = "Total", extra: str = "") -> Path:
    """Customer | one column per period (the months of ``columns[k]`` from October 2023 added up) | total."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [",".join(["Customer", *heads, total])]
    for c, name in enumerate(CLIENTS):
        cells = [sum((_cell(c, i) for i in months), Decimal(0)) for months in columns]
        lines.append(",".join([f'"{name}"', *(f"{v:.2f}" for v in cells), f"{sum(cells):.2f}"]))
    (folder / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "client.yml").write_text(f"client: T\nas_of: {as_of}\nbilling:\n  file: t.csv\n{extra}", encoding="utf-8")
    return folder


def test_month_end_dates_quarters_and_years_are_periods_too(tmp_path: Path) -> None:
    ends = [dt.date(*_month(i), 28).strftime("%Y-%m-") + str(__import__("calendar").monthrange(*_month(i))[1])
            for i in range(15)]
    refused(_table(tmp_path / "ends", ends, [range(i, i + 1) for i in range(15)], "2025-01-01"),
            "15 month columns, Oct 2023 to Dec 2024")
    refused(_table(tmp_path / "q", ["Q4 2023", "Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"],
                   [range(0, 3), range(3, 6), range(6, 9), range(9, 12), range(12, 15)], "2025-01-01"),
            "table of clients by quarter (5 quarter columns, Oct 2023 to Dec 2024)")
    got, _ = billing_per_client(_table(tmp_path / "q4", ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"],
                                       [range(3, 6), range(6, 9), range(9, 12), range(12, 15)], "2025-01-01"))
    assert got == _truth(range(3, 15))


def test_months_without_a_year_are_the_consultants_to_name(tmp_path: Path) -> None:
    heads = [dt.date(*_month(i), 1).strftime("%b") for i in range(3, 15)]
    folder = _table(tmp_path / "b", heads, [range(i, i + 1) for i in range(3, 15)], "2025-01-01")
    refused(folder, "name no year", "billing.twelve_month_totals: true")
    got, _ = billing_per_client(_table(tmp_path / "b2", heads, [range(i, i + 1) for i in range(3, 15)], "2025-01-01",
                                       extra="  twelve_month_totals: true\n"))
    assert got == _truth(range(3, 15))


def test_a_total_that_does_not_add_up_the_months_beside_it_is_read_as_it_is(tmp_path: Path) -> None:
    """A 12-month revenue column beside the last three months: the months are not what it adds up."""
    folder = _table(tmp_path / "r", ["Oct-24", "Nov-24", "Dec-24"], [range(12, 13), range(13, 14), range(14, 15)],
                    "2025-01-01", total="Revenue")
    text = (folder / "t.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0]] + [",".join([*row.split(",")[:-1], f"{Decimal(row.split(',')[-1]) * 4:.2f}"]) for row in text[1:]]
    (folder / "t.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    got, _ = billing_per_client(folder)
    assert got == {name: v * 4 for name, v in _truth(range(12, 15)).items()}


def test_a_month_with_no_column_inside_the_year_and_an_audit_date_mid_month(tmp_path: Path) -> None:
    months = [i for i in range(3, 15) if i != 10]  # no sales in August: no column
    heads = [dt.date(*_month(i), 1).strftime("%b-%y") for i in months]
    got, _ = billing_per_client(_table(tmp_path / "gap", heads, [range(i, i + 1) for i in months], "2025-01-01"))
    assert got == _truth(months)
    refused(_table(tmp_path / "mid", heads, [range(i, i + 1) for i in months], "2025-01-15"),
            "begin and end in the middle of a month", "as_of: 2025-01-01")


def test_subtotal_columns_rounded_units_and_one_period(tmp_path: Path) -> None:
    """A quarter's column after its months (a subtotal), amounts in whole units (each cell rounded
    on its own), and a table of one month: each total is checked against its finest periods."""
    heads, columns = [], []
    for i in range(15):
        heads.append(dt.date(*_month(i), 1).strftime("%b-%y"))
        columns.append(range(i, i + 1))
        if i % 3 == 2:
            heads.append(f"Q{(_month(i)[1] - 1) // 3 + 1} {_month(i)[0]}")
            columns.append(range(i - 2, i + 1))
    folder = _table(tmp_path / "q", heads, columns, "2025-01-01", total="Grand Total")
    text = (folder / "t.csv").read_text(encoding="utf-8").splitlines()
    # the grand total adds the months only (a pivot's subtotals are not added twice)
    fixed = [text[0]]
    for row in text[1:]:
        cells = row.split(",")
        months = [Decimal(c) for h, c in zip(heads, cells[1:-1], strict=True) if not h.startswith("Q")]
        fixed.append(",".join([*cells[:-1], f"{sum(months):.2f}"]))
    (folder / "t.csv").write_text("\n".join(fixed) + "\n", encoding="utf-8")
    refused(folder, "by month (15 month columns, Oct 2023 to Dec 2024)")
    refused(_table(tmp_path / "one", ["Dec 2024"], [range(14, 15)], "2025-01-01"), "(1 month column, Dec 2024)")
    refused(_table(tmp_path / "fy", ["FY2023", "FY2024"], [range(0, 6), range(6, 15)], "2025-01-01"),
            "by fiscal year ('FY2023', 'FY2024')")
