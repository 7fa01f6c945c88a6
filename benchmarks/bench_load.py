"""Loading speed and memory.

1. online_retail (541,909 rows, gzip CSV): ``load_ledger`` (read + map + parse + validate +
   window + reconcile) against a bare ``pd.read_csv(engine="pyarrow")`` + groupby-sum on the
   same file, same run. Target: ratio <= 2.
2. A 10M-line ledger from the sample generator (`generate_client`, the messy export;
   benchmarks/.data/, written once): load time and peak RSS
   of a fresh process. Targets: 60 s, 4 GB.

Run: ``.venv/bin/python benchmarks/bench_load.py`` (prints a table; asserts nothing).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import datasets

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / ".data"
ONLINE_RETAIL = datasets.ONLINE_RETAIL / "ledger.csv.gz"
BIG_ROWS = 10_000_000
BIG_CLIENT = DATA_DIR / f"client-{BIG_ROWS // 1_000_000}m"


def _client(folder: Path, ledger: Path, columns: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cols = ", ".join(f"{k}: {v}" for k, v in columns.items())
    (folder / "client.yml").write_text(f"client: bench\nbilling:\n  file: {ledger}\n  columns: {{{cols}}}\n")
    return folder


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_online_retail() -> list[tuple[str, str]]:
    import pandas as pd

    from alms_toolkit.config import load_config
    from alms_toolkit.io import load_ledger

    if not ONLINE_RETAIL.is_file():
        return [("online_retail", "skipped: reference data not found")]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(datasets.online_retail_client(Path(tmp)))

        def bare() -> None:
            df = pd.read_csv(ONLINE_RETAIL, engine="pyarrow")
            df.groupby("CustomerID")["Amount"].sum()

        def ours() -> None:
            loaded = load_ledger(cfg)
            loaded.ledger.groupby("client")["amount"].sum()

        bare()  # warm the page cache and imports
        t_bare = _best(bare)
        t_ours = _best(ours)
    return [
        ("online_retail rows", "541,909"),
        ("bare read_csv(pyarrow) + groupby-sum", f"{t_bare:.2f} s"),
        ("load_ledger + groupby-sum", f"{t_ours:.2f} s"),
        ("ratio (target <= 2.0)", f"{t_ours / t_bare:.2f}"),
    ]


def generate_big(folder: Path = BIG_CLIENT, rows: int = BIG_ROWS, seed: int = 7) -> Path:
    """Write the big client folder once with the toolkit's own sample generator (the messy
    export: cp1252, US dates, $1,234.56 and (credits), blank clients, n/a amounts): 50,000
    clients, 10 sellers, 24 months, ``rows`` invoice lines. Returns the ledger file."""
    ledger = folder / "billing.csv"
    if not ledger.is_file():
        from alms_toolkit.sample import generate_client

        generate_client(folder, seed=seed, clients=50_000, sellers=10, months=24, lines=rows,
                        messy=True, overwrite=True)
    return ledger


def _child(folder: str) -> None:
    """Run in a fresh process: load the big client's ledger, print JSON figures."""
    t = time.perf_counter()
    from alms_toolkit.config import load_config
    from alms_toolkit.io import load_ledger

    loaded = load_ledger(load_config(folder))
    elapsed = time.perf_counter() - t
    r = loaded.reconciliation
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024, "rows_read": r.rows_read, "rows_used": r.rows_used, "balances": r.balances()}))


def bench_big() -> list[tuple[str, str]]:
    t = time.perf_counter()
    existed = (BIG_CLIENT / "billing.csv").is_file()
    path = generate_big()
    gen = time.perf_counter() - t
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path.parent)], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        return [("10M ledger", f"FAILED: {out.stderr.strip().splitlines()[-1] if out.stderr else out.returncode}")]
    d = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        ("10M ledger file", f"{path.stat().st_size / 1e6:,.0f} MB" + ("" if existed else f" (generated in {gen:.0f} s)")),
        ("10M rows read / used", f"{d['rows_read']:,} / {d['rows_used']:,} (balances: {d['balances']})"),
        ("10M load time (target 60 s)", f"{d['seconds']:.1f} s"),
        ("10M peak RSS (target 4096 MB)", f"{d['peak_mb']:,.0f} MB"),
    ]


def main() -> None:
    rows = bench_online_retail() + bench_big()
    width = max(len(k) for k, _ in rows)
    print("bench_load")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main()
