"""`alms summary` (the whole ``audit()`` call) on the UCI Online Retail ledger (541,909 lines)
against the bare pandas computation of the same cut-off, measured in the same run.

Target: the audit takes at most 3x the bare computation. Both read the gzip CSV from disk.
The bare computation uses exact cents (the amounts have at most 3 decimals) so that its
cut-off is the right one too; its figures are printed beside the audit's.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

import datasets
import numpy as np
import pandas as pd

DATA = datasets.ONLINE_RETAIL
TARGET_RATIO = 3.0
REPEAT = 2


def bare_pandas(ledger: Path) -> dict[str, object]:
    """The cut-off with pandas alone: read, window, per-client net, rank, ceil(n/4)-th."""
    df = pd.read_csv(
        ledger, engine="pyarrow", usecols=["InvoiceDate", "CustomerID", "Amount"],
        dtype={"CustomerID": "string", "Amount": "string"},
    )
    date = pd.to_datetime(df["InvoiceDate"]).dt.normalize()
    as_of = date.max() + pd.Timedelta(days=1)
    start = as_of - pd.DateOffset(months=12)
    df = df[(date >= start) & (date < as_of) & df["CustomerID"].notna()]
    # exact: amounts to integer thousandths via the unique strings (float sums would move the cut-off)
    uniq = df["Amount"].unique()
    milli = pd.Series(np.rint(uniq.astype(float) * 1000).astype(np.int64), index=uniq)
    totals = df["Amount"].map(milli).groupby(df["CustomerID"]).sum()
    spending = totals[totals > 0].sort_values(ascending=False, kind="mergesort")
    n = len(spending)
    n_key = math.ceil(n / 4)
    cutoff = int(spending.iloc[n_key - 1])
    key = spending[spending >= cutoff]
    return {
        "n_clients": n, "n_key": len(key), "cutoff": f"{cutoff / 1000:.3f}",
        "key_revenue_share": int(key.sum()) / int(spending.sum()),
    }



def _best(fn, repeat: int = REPEAT) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    from alms_toolkit.engine import audit

    ledger = DATA / "ledger.csv.gz"
    with tempfile.TemporaryDirectory() as tmp:
        folder = datasets.online_retail_client(Path(tmp))
        t_bare, bare = _best(lambda: bare_pandas(ledger))
        t_audit, result = _best(lambda: audit(folder))
        steps = _step_times(folder)
    s = result.summary()
    print(f"{'online_retail (541,909 lines)':34} {'seconds':>8}  n_clients  n_key  cutoff   key share")
    print(f"{'bare pandas cut-off':34} {t_bare:8.2f}  {bare['n_clients']:>9}  {bare['n_key']:>5}  "
          f"{bare['cutoff']:>8} {bare['key_revenue_share']:.5f}")
    print(f"{'audit() / alms summary':34} {t_audit:8.2f}  {s['n_clients']:>9}  {s['n_key']:>5}  "
          f"{s['cutoff']:>8} {s['key_revenue_share']:.5f}")
    ratio = t_audit / t_bare
    verdict = "OK" if ratio <= TARGET_RATIO else "over target"
    print(f"ratio audit / bare: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x: {verdict}); best of {REPEAT}")
    print("audit steps (one run): " + ", ".join(f"{k} {v:.2f}s" for k, v in steps.items()))


def _step_times(folder: Path) -> dict[str, float]:
    """Where the audit's time goes, step by step (one run)."""
    from alms_toolkit.analysis.combine import combine_clients
    from alms_toolkit.analysis.owners import assign_owners
    from alms_toolkit.analysis.tiers import assign_tiers
    from alms_toolkit.config import load_config
    from alms_toolkit.io.decisions import read_decisions
    from alms_toolkit.io.ledger import load_ledger

    times: dict[str, float] = {}
    t = time.perf_counter()
    config = load_config(folder)
    loaded = load_ledger(config)
    times["load"] = time.perf_counter() - t
    t = time.perf_counter()
    comb = combine_clients(loaded.ledger, loaded.earlier, config, read_decisions(config.decisions_file))
    times["combine"] = time.perf_counter() - t
    t = time.perf_counter()
    assign_tiers(comb.clients, config.key_share)
    times["tiers"] = time.perf_counter() - t
    t = time.perf_counter()
    assign_owners(loaded.ledger, comb.clients, comb.client_of)
    times["owners"] = time.perf_counter() - t
    return times


if __name__ == "__main__":
    main()
