"""The ledger read ahead in a thread (alms_toolkit.io.read_ahead): the same ledger as read in
place, its errors raised where the file is read, a file changed since not used, and a text
file read without pandas (which is what lets the reading overlap the imports)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from alms_toolkit.config import load_config
from alms_toolkit.errors import FileReadError
from alms_toolkit.io import read_ahead
from alms_toolkit.io.ledger import load_ledger

LEDGER = ("Report: Sales by Customer\n\nDate,Customer,Amount,Rep\n2024-01-15,Acme Corp,\"1,200.50\",Dana\n"
          "2024-02-15,Total Wine & More,300.00,Lee\n2024-03-15,Acme Corp,99.50,Dana\n,Total,\"1,600.00\",\n")


def _folder(tmp_path: Path, text: str = LEDGER, name: str = "billing.csv") -> Path:
    folder = tmp_path / "client"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "client.yml").write_text(f"client: X\nas_of: 2024-07-01\nbilling:\n  file: {name}\n", encoding="utf-8")
    return folder


def test_a_ledger_read_ahead_is_the_ledger_read_in_place(tmp_path: Path) -> None:
    config = load_config(_folder(tmp_path))
    in_place = load_ledger(config)
    assert read_ahead.start(config)
    ahead = load_ledger(config)
    pd.testing.assert_frame_equal(ahead.ledger, in_place.ledger)
    assert ahead.reconciliation == in_place.reconciliation
    assert ahead.reconciliation.amount_used == 1_600_000_000
    assert read_ahead.take(config) is None  # used once


def test_a_file_changed_since_is_read_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    config = load_config(folder)
    assert read_ahead.start(config)
    read_ahead.take(config)  # waits for the reading, then puts it back by starting again
    assert read_ahead.start(config)
    (folder / "billing.csv").write_text(LEDGER.replace("99.50", "199.50"), encoding="utf-8")
    os.utime(folder / "billing.csv", ns=(1, 1))  # another time, whatever the clock's resolution
    assert load_ledger(config).reconciliation.amount_used == 1_700_000_000


def test_an_error_of_the_reading_is_raised_where_the_file_is_read(tmp_path: Path) -> None:
    bad = 'Date,Customer,Amount\n2024-01-15,"Acme Corp,12.00\n2024-02-15,Bolt,3.00\n2024-03-15,Core,4.00\n'
    config = load_config(_folder(tmp_path, bad))
    with pytest.raises(FileReadError) as in_place:
        load_ledger(config)
    assert read_ahead.start(config)
    with pytest.raises(FileReadError) as ahead:
        load_ledger(config)
    assert str(ahead.value) == str(in_place.value)


def test_a_workbook_is_not_read_ahead(tmp_path: Path) -> None:
    import openpyxl

    folder = _folder(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["Date", "Customer", "Amount"])
    book.active.append(["2024-01-15", "Acme", 5])
    book.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: X\nbilling:\n  file: billing.xlsx\n", encoding="utf-8")
    assert not read_ahead.start(load_config(folder))


def test_a_text_ledger_is_read_without_pandas(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    code = ("import sys\nfrom alms_toolkit.config import load_config\n"
            "from alms_toolkit.io.ledger_headers import raw_ledger\n"
            f"raw = raw_ledger(load_config({str(folder)!r}), ())\n"
            "print(len(raw.source_row), 'pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["4", "False"]


def test_a_large_ledger_with_a_running_invoice_number_is_read_without_pandas(tmp_path: Path) -> None:
    """Read in several blocks, a column of mostly distinct texts (the invoice number) has its
    blocks' dictionaries put end to end: that too without importing pandas, which the reading
    thread would otherwise wait for while the command imports it."""
    lines = "".join(f"INV-{i:07d},2024-{1 + i % 12:02d}-15,Client {i % 997},{i % 5000}.{i % 100:02d}\n"
                    for i in range(330_000))
    folder = _folder(tmp_path, "Invoice,Date,Customer,Amount\n" + lines)
    assert (folder / "billing.csv").stat().st_size > 3 * (1 << 22)  # more than two blocks
    code = ("import sys\nfrom alms_toolkit.config import load_config\n"
            "from alms_toolkit.io.ledger_headers import raw_ledger\n"
            f"raw = raw_ledger(load_config({str(folder)!r}), ())\n"
            "inv = raw.columns['Invoice']\n"
            "print(len(raw.source_row), inv.num_chunks, 'pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["330000", "1", "False"]
