"""The audit's comparable work in tuned bare pandas (see README.md beside this file).

Usage: ``python bare_pandas.py SPEC`` (SPEC: a JSON object or a JSON file). Prints one JSON
line. Tuned: the pyarrow CSV reader with only the needed columns, names handled once per
distinct value, clients as integer codes from the first groupby on.
"""

from __future__ import annotations

import json
import math
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

LEGAL = r"(?: (?:inc|incorporated|llc|ltd|limited|corp|corporation|co|company|plc|gmbh|sa|ag|lp|llp|pllc))+$"


def spec_from(arg: str) -> dict:
    return json.loads(arg if arg.lstrip().startswith("{") else Path(arg).read_text(encoding="utf-8"))


def normalise(names: pd.Series) -> pd.Series:
    """Folded name per distinct name: case, accents, punctuation, '&', 'The', legal form."""
    s = names.astype(str).str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    s = s.str.lower().str.replace(r"['\u2019.]", "", regex=True)
    s = s.str.replace(r"[&+]", " and ", regex=True).str.replace(r"[\W_]+", " ", regex=True).str.strip()
    s = s.str.replace(r"^the (?=\S)", "", regex=True)
    return s.str.replace(LEGAL, "", regex=True)


def run(spec: dict) -> dict:
    t0 = time.perf_counter()
    fields = {k: spec[k] for k in ("date", "client", "amount", "seller", "client_id") if spec.get(k)}
    df = pd.read_csv(
        spec["file"], engine="pyarrow", usecols=list(fields.values()),
        dtype={fields[k]: "string[pyarrow]" for k in ("client", "seller", "client_id") if k in fields}
        | {fields["amount"]: "float64"},
    )
    df.columns = [next(k for k, v in fields.items() if v == c) for c in df.columns]
    if pd.api.types.is_datetime64_any_dtype(df["date"]):  # pyarrow parsed the ISO dates
        df["date"] = df["date"].dt.floor("D")
    else:
        df["date"] = pd.to_datetime(df["date"].astype("string[pyarrow]").str.slice(0, 10), format="%Y-%m-%d")
    df["amount"] = np.rint(df["amount"].to_numpy() * 1_000_000).astype(np.int64)
    rows_read = len(df)
    df = df[df["client"].notna() & (df["client"].str.strip() != "")]
    t_load = time.perf_counter()

    as_of = pd.Timestamp(spec["as_of"]) if spec.get("as_of") else df["date"].max() + pd.Timedelta(days=1)
    start = as_of - pd.DateOffset(months=12)
    if spec.get("load_only"):  # bench_load: the loader's work only (read, parse, window)
        window = df[(df["date"] >= start) & (df["date"] < as_of)]
        return {"rows_read": rows_read, "rows_in_window": len(window), "steps": {"load": time.perf_counter() - t0}}
    # clients combined: by id when there is one, else by normalised name (once per distinct name)
    names, uniques = pd.factorize(df["client"])
    key_of_name = normalise(pd.Series(uniques))
    if "client_id" in df.columns:
        keys, _ = pd.factorize(df["client_id"].str.strip())
    else:
        keys = pd.factorize(key_of_name)[0][names]
    month = (df["date"].dt.year.to_numpy() * 12 + df["date"].dt.month.to_numpy()).astype(np.int64)
    in_window = ((df["date"] >= start) & (df["date"] < as_of)).to_numpy()
    t_combine = time.perf_counter()

    # monthly matrix (client x month, every month of the ledger) and 12-month billing
    by_month = pd.Series(df["amount"].to_numpy()).groupby([keys, month - month.min()]).sum()
    matrix = np.zeros((keys.max() + 1, month.max() - month.min() + 1), dtype=np.int64)
    matrix[by_month.index.get_level_values(0), by_month.index.get_level_values(1)] = by_month.to_numpy()
    wkeys = keys[in_window]
    billing = pd.Series(df["amount"].to_numpy()[in_window]).groupby(wkeys).sum()
    t_monthly = time.perf_counter()

    # the KEY cut-off (ties by name: the name of a client is its first spelling here)
    spend = billing[billing > 0].sort_values(ascending=False, kind="stable")
    n = len(spend)
    n_key_nominal = math.ceil(n * Fraction(str(spec.get("key_share", 0.25))))
    cutoff = int(spend.iloc[n_key_nominal - 1]) if n else None
    key = spend[spend >= cutoff] if n else spend
    t_tiers = time.perf_counter()

    n_sellers, listed = 0, 0
    if "seller" in df.columns:
        w = df.loc[in_window, ["seller", "amount"]].assign(key=wkeys)
        w = w[w["seller"].notna()]
        per = w.groupby(["key", "seller"], observed=True, sort=False)["amount"].sum().reset_index()
        per = per.sort_values(["key", "amount", "seller"], ascending=[True, False, True])
        owner = per.drop_duplicates("key").set_index("key")["seller"]
        lists = pd.DataFrame({"billing": spend, "seller": owner.reindex(spend.index)})
        lists["tier"] = np.where(lists["billing"] >= cutoff, "KEY", "SECONDARY")
        lists = lists.sort_values(["seller", "tier", "billing"], ascending=[True, True, False])
        n_sellers, listed = int(lists["seller"].nunique()), len(lists)
    t_sellers = time.perf_counter()
    return {
        "rows_read": rows_read, "rows_in_window": int(in_window.sum()), "n_clients": n,
        "n_key_nominal": n_key_nominal, "n_key": len(key), "cutoff": cutoff,
        "revenue_total": int(spend.sum()), "key_revenue": int(key.sum()),
        "n_sellers": n_sellers, "n_listed": listed, "matrix": list(matrix.shape),
        "steps": {"load": t_load - t0, "combine": t_combine - t_load, "monthly": t_monthly - t_combine,
                  "tiers": t_tiers - t_monthly, "sellers": t_sellers - t_tiers},
    }


if __name__ == "__main__":
    print(json.dumps(run(spec_from(sys.argv[1]))))
