"""Loading: the toolkit's ``load_ledger`` beside a tuned bare pandas load doing the same reading.

Both in fresh processes, paired and interleaved, median of ``ALMS_BENCH_REPEAT`` (default 3)
rounds, peak RSS printed. The bare load (benchmarks/baselines/bare_pandas.py with
``load_only``) reads every column the toolkit reads (date, client, amount, and seller and
client id when mapped), parses the dates, turns amounts into integer micros, leaves out rows
without a client and cuts the 12-month window; the toolkit's ``load_ledger`` does that and
more (column recognition, amount formats, reconciliation of every row).

Cases: online_retail, 50k clients / 1M lines, and opt-in 10M lines (``ALMS_BENCH_10M=1``).
Run: ``python benchmarks/bench_load.py`` (prints a table; asserts nothing).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import cases
from paired import baseline, cell, load_note, paired, python

HERE = Path(__file__).resolve().parent


def _child(folder: str) -> None:
    """Run in a fresh process: load one client's ledger with the toolkit, print JSON figures."""
    from alms_toolkit.config import load_config
    from alms_toolkit.io import load_ledger

    loaded = load_ledger(load_config(folder))
    r = loaded.reconciliation
    print(json.dumps({"rows_read": r.rows_read, "rows_used": r.rows_used, "balances": r.balances()}))


def main(argv: list[str]) -> None:
    print(__doc__.split("\n\n")[0])
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        todo = [c for c in (cases.online_retail(Path(tmp)),) if c is not None]
        todo.append(cases.sample_case(50_000, 1_000_000))
        if cases.BIG or "--10m" in argv:
            todo.append(cases.sample_case(50_000, 10_000_000))
        for case in todo:
            spec = json.loads(case.spec_file.read_text(encoding="utf-8")) | {"load_only": True}
            spec_file = Path(tmp) / f"{case.folder.name}.load.json"
            spec_file.write_text(json.dumps(spec), encoding="utf-8")
            series = paired([("bare pandas", baseline("bare_pandas", spec_file)),
                             ("load_ledger", python(__file__, "--child", case.folder))], progress=case.name)
            bare, tool = series["bare pandas"], series["load_ledger"]
            print(f"{case.name} ({case.lines:,} lines), median of {len(bare.runs)} paired fresh-process runs:")
            print(f"  bare pandas   {cell(bare)}   CPU {bare.cpu:.2f} s")
            print(f"  load_ledger   {cell(tool, bare)}   CPU {tool.cpu:.2f} s")
            if bare.good and tool.good:
                b, t = bare.good[0].json(), tool.good[0].json()
                print(f"  rows read {t['rows_read']:,} (bare {b['rows_read']:,}); in the window: toolkit "
                      f"{t['rows_used']:,} used, bare {b['rows_in_window']:,} with a client; "
                      f"reconciliation balances: {t['balances']}")
    if not (cases.BIG or "--10m" in argv):
        print(f"10M-line case not run: {cases.HOW_TO_BIG}")
    print(load_note())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main(sys.argv[1:])
