"""An Excel pivot table in compact form writes each seller's row with the total of its clients,
indented below it, at the top of the group; its Grand Total adds up the clients only; '(blank)'
is its word for an empty cell. Read as one row per client, the sellers were clients (QA: the
billing doubled, the three sellers KEY). The subtotals on top are found by their arithmetic,
over the whole file only; a list of clients that merely holds equal neighbours is read as it is."""

from __future__ import annotations

from pathlib import Path

from ledger_cases import billing_per_client

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
