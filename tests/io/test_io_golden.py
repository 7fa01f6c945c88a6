"""Golden tests: the loader against the reference computations in shared/data beside this repository."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

from shared_data import SHARED_DATA  # noqa: E402

from alms_toolkit.config import load_config
from alms_toolkit.io import load_ledger

DATA = SHARED_DATA


def _client(tmp: Path, dataset: str, ledger: str, columns: dict[str, str]) -> Path:
    folder = tmp / dataset
    folder.mkdir()
    shutil.copy(DATA / dataset / ledger, folder / ledger)
    cols = ", ".join(f"{k}: {v}" for k, v in columns.items())
    (folder / "client.yml").write_text(f"client: {dataset}\nbilling:\n  file: {ledger}\n  columns: {{{cols}}}\n")
    return folder


def _expected(dataset: str) -> dict:
    return json.loads((DATA / dataset / "expected.json").read_text())


def _check_window(loaded, exp: dict) -> None:
    r = loaded.reconciliation
    assert loaded.window.as_of == dt.date.fromisoformat(exp["as_of"])
    assert loaded.window.as_of_source == "ledger"
    assert loaded.window.start == dt.date.fromisoformat(exp["window_start_inclusive"])
    assert loaded.window.end == dt.date.fromisoformat(exp["window_end_exclusive"])
    assert r.rows_read == exp["n_rows"]
    assert r.excluded["outside_window"].rows == exp["rows_outside_window"]
    assert r.rows_read - r.excluded["outside_window"].rows == exp["rows_in_window"]
    assert r.balances()


def test_northwind(tmp_path: Path) -> None:
    exp = _expected("northwind")
    cols = {k: v for k, v in exp["columns"].items() if v}
    loaded = load_ledger(load_config(_client(tmp_path, "northwind", "ledger.csv", cols)))
    _check_window(loaded, exp)
    r = loaded.reconciliation
    assert r.rows_used == exp["rows_in_window"]  # no blank clients, no zero amounts
    assert r.n_distinct_clients == exp["n_distinct_clients_in_window"]
    assert r.n_distinct_sellers == exp["n_distinct_sellers_in_ledger"]
    assert r.amount_used == 856_885_232_000  # window_net_amount_all_rows, exact
    assert r.amount_read == 1_265_793_039_500  # the well-known Northwind total
    # the exact client totals of the reference
    totals = loaded.ledger.groupby("client")["amount"].sum()
    for row in exp["clients"]:
        assert totals[row["client"]] == int(Decimal(row["total_exact"]) * 1_000_000)
    assert "Wolski  Zajazd" in set(loaded.ledger["client"])  # written as in the file


def test_online_retail(tmp_path: Path) -> None:
    exp = _expected("online_retail")
    cols = {k: v for k, v in exp["columns"].items() if v}
    loaded = load_ledger(load_config(_client(tmp_path, "online_retail", "ledger.csv.gz", cols)))
    _check_window(loaded, exp)
    r = loaded.reconciliation
    led = loaded.ledger
    assert r.excluded["blank_client"].rows == exp["rows_blank_client_in_window"]
    assert r.excluded["blank_client"].amount == 1_374_817_020_000  # window_net_amount_blank_client
    assert r.amount_used + r.excluded["blank_client"].amount == 9_370_259_484_000  # window net, all rows
    assert "17850" in set(led["client"]) and not led["client"].str.contains(r"\.0$").any()
    # distinct clients in the window, including the one whose window rows are all 0 (13256)
    assert r.n_distinct_clients == exp["n_distinct_clients_in_window"]
    totals = led.groupby("client")["amount"].sum()
    positive = totals[totals > 0]
    assert len(positive) == exp["n_clients"]  # exact sums: zero-net clients stay at 0
    assert sorted(totals[totals <= 0].index) == sorted(c for c, _ in exp["nonpositive_total_clients"] if c in totals.index)
    zero_only = set(loaded.zero_rows["client"]) - set(led["client"])
    assert zero_only == {c for c, _ in exp["nonpositive_total_clients"]} - set(totals.index)
    assert loaded.zero_rows["amount"].eq(0).all()
    assert len(loaded.zero_rows) == r.excluded["zero_amount"].rows
    assert r.n_distinct_sellers == 0
