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

from alms_toolkit.io.month_columns import month_of_header

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


@pytest.mark.parametrize(("header", "month"), [
    ("Oct-23", (2023, 10)), ("Jan 2024", (2024, 1)), ("Januar 2024", (2024, 1)), ("déc. 2024", (2024, 12)),
    ("2024-03", (2024, 3)), ("03/2024", (2024, 3)), ("2024-03-01", (2024, 3)), ("2024-03-01 00:00:00", (2024, 3)),
    ("Sept '24", (2024, 9)),
])
def test_month_headers(header: str, month: tuple[int, int]) -> None:
    assert month_of_header(header) == month


@pytest.mark.parametrize("header", ["May Department Stores", "March Hare Ltd", "Grand Total", "Dec-24 Campaign",
                                   "2024", "Q1 2024", "Total 2024", "2024-03-15", "13/2024", "Amount", "Mayo 24x"])
def test_headers_that_are_no_month(header: str) -> None:
    assert month_of_header(header) is None


def test_a_pivot_of_15_months_is_refused_and_the_advised_export_reads_right(tmp_path: Path) -> None:
    refused(_pivot(tmp_path / "15", range(15), "2025-01-01"),
            "'Grand Total' adds up the months", "15 month columns, Oct 2023 to Dec 2024",
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
            "the amount column 'Dec-24' is one month's column", "Jan 2024 to Dec 2024")


def test_twelve_month_totals_set_in_client_yml_is_the_consultants_decision(tmp_path: Path) -> None:
    got, _ = billing_per_client(_pivot(tmp_path / "t", range(15), "2025-01-01", "  twelve_month_totals: true\n"))
    assert got == _truth(range(15))
