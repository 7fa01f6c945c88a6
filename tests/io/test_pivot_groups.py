"""An Excel pivot table in compact form writes each seller's row with the total of its clients,
indented below it, at the top of the group; its Grand Total adds up the clients only; '(blank)'
is its word for an empty cell. Read as one row per client, the sellers were clients (QA: the
billing doubled, the three sellers KEY). The subtotals on top are found by their arithmetic,
over the whole file only; a list of clients that merely holds equal neighbours is read as it is."""

from __future__ import annotations

from pathlib import Path

from ledger_cases import billing_per_client, refused

GROUPS = {
    "Dana Scott": [("Balance Fitness", "50591.07"), ("Grand Central Bakery", "71485.85"),
                   ("Subtotal Analytics Ltd", "52906.01"), ("Total Wine & More", "89574.36")],
    "Luis Ortega": [("Bluewater Marine Supply", "112961.66"), ("Cedar Ridge Hospital", "20482.12")],
    "Priya Raman": [("Crescent Moon Cafe", "43759.01")],
}


def _micros(text: str) -> int:
    whole, cents = text.split(".")
    return int(whole) * 1_000_000 + int(cents) * 10_000


def _fmt(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000 // 10_000:02d}"


def _folder(tmp: Path, lines: list[str]) -> Path:
    folder = tmp / "client"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pivot.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "client.yml").write_text("client: Min\nas_of: 2025-01-01\nbilling:\n  file: pivot.csv\n", encoding="utf-8")
    return folder


def test_a_compact_pivots_subtotals_on_top_are_left_out(tmp_path: Path) -> None:
    lines = ["Invoice Year,2024", "", "Row Labels,Sum of Net Sales"]
    truth: dict[str, int] = {}
    for seller, clients in GROUPS.items():
        lines.append(f"{seller},{_fmt(sum(_micros(a) for _, a in clients))}")
        for name, amount in clients:
            lines.append(f'"{name}",{amount}')
            truth[name] = _micros(amount)
    blank = _micros("3120.50")
    lines += ["(blank),3120.50", f"Grand Total,{_fmt(sum(truth.values()) + blank)}"]
    got, loaded = billing_per_client(_folder(tmp_path, lines))
    assert got == truth
    excluded = {r.label: r.amount for r in loaded.reading.aggregates} if loaded.reading else {}
    assert set(excluded) == {*GROUPS, "Grand Total"}
    assert loaded.reconciliation.amount_used == sum(truth.values())


def test_equal_neighbours_in_a_list_of_clients_are_clients(tmp_path: Path) -> None:
    rows = [("Acme Corp", "100.00"), ("Beta Ltd", "100.00"), ("Gamma LLC", "250.00"), ("Delta Inc", "250.00"),
            ("Total Wine & More", "75.50"), ("Summit Credit Union", "75.50")]
    got, _ = billing_per_client(_folder(tmp_path, ["Customer,Sales"] + [f"{n},{a}" for n, a in rows]))
    assert got == {n: _micros(a) for n, a in rows}


def test_one_client_the_sum_of_the_next_is_a_client(tmp_path: Path) -> None:
    rows = [("Acme Corp", "300.00"), ("Beta Ltd", "100.00"), ("Gamma LLC", "200.00"), ("Delta Inc", "75.25")]
    got, _ = billing_per_client(_folder(tmp_path, ["Customer,Sales"] + [f"{n},{a}" for n, a in rows]))
    assert got == {n: _micros(a) for n, a in rows}


def test_flat_fees_that_split_like_groups_are_clients(tmp_path: Path) -> None:
    """24,000 above two clients of 12,000: arithmetic alone would make it a seller's subtotal.
    With no pivot's grand total (or with a total of every row) the list is read as it is."""
    fees = [("Acme Corp", "24000.00"), ("Beta Ltd", "12000.00"), ("Gamma LLC", "12000.00"), ("Delta Inc", "6000.00"),
            ("Echo Media", "6000.00"), ("Foxglove Inc", "36000.00"), ("Grand Central Bakery", "24000.00"),
            ("Hotel Lux", "12000.00")]
    truth = {n: _micros(a) for n, a in fees}
    rows = ["Client,Revenue"] + [f"{n},{a}" for n, a in fees]
    got, _ = billing_per_client(_folder(tmp_path / "plain", rows))
    assert got == truth
    got, _ = billing_per_client(_folder(tmp_path / "total", [*rows, "Total,132000.00"]))
    assert got == truth


def test_pivot_groups_ending_with_a_client_at_zero_and_a_blank_seller(tmp_path: Path) -> None:
    lines = ["Row Labels,Sum of Net Sales", "Dana Scott,300.00", "Acme Corp,100.00", "Beta Ltd,200.00", "Gamma LLC,0.00",
             "(blank),75.25", "Delta Inc,75.25", "Luis Ortega,50.00", "Echo Media,20.00", "Foxglove Inc,30.00",
             "Grand Total,425.25"]
    got, _ = billing_per_client(_folder(tmp_path, lines))
    assert got == {"Acme Corp": 100_000_000, "Beta Ltd": 200_000_000, "Delta Inc": 75_250_000,
                   "Echo Media": 20_000_000, "Foxglove Inc": 30_000_000}  # Gamma LLC billed 0: not spending


def test_a_grand_total_half_of_the_rows_above_is_refused_also_when_left_out(tmp_path: Path) -> None:
    """Amounts rounded to whole units: the subtotals no longer add up to the cent, yet the rows
    above the grand total add up to twice it. Leaving the grand total out would count every
    client twice: refused, naming the export without subtotals."""
    lines = ["Row Labels,Sum of Net Sales", "Dana Scott,301", "Acme Corp,100", "Beta Ltd,200", "Luis Ortega,50",
             "Echo Media,20", "Foxglove Inc,30", "Grand Total,351"]
    for extra in ("", "  exclude: {Row Labels: ['Grand Total']}\n"):
        folder = _folder(tmp_path / str(len(extra)), lines)
        (folder / "client.yml").write_text((folder / "client.yml").read_text(encoding="utf-8") + extra, encoding="utf-8")
        refused(folder, "'Grand Total' ($351.00) is half of what the rows above it add up to ($701.00)",
                "Do Not Show Subtotals")


def test_a_pivot_without_its_grand_total_is_refused_and_not_totals_reads_rows_as_clients(tmp_path: Path) -> None:
    lines = ["Row Labels,Sum of Net Sales"]
    for seller, clients in GROUPS.items():
        lines.append(f"{seller},{_fmt(sum(_micros(a) for _, a in clients))}")
        lines += [f'"{name}",{amount}' for name, amount in clients]
    folder = _folder(tmp_path, lines)
    refused(folder, "3 rows of the file each add up the rows below them", "'Dana Scott'", "Do Not Show Subtotals",
            "billing.not_totals: ['Dana Scott', 'Luis Ortega', 'Priya Raman']")
    (folder / "client.yml").write_text((folder / "client.yml").read_text(encoding="utf-8")
                                       + "  not_totals: ['Dana Scott', 'Luis Ortega', 'Priya Raman']\n", encoding="utf-8")
    got, _ = billing_per_client(folder)
    assert set(got) == {*GROUPS, *(n for clients in GROUPS.values() for n, _ in clients)}
