"""The audit's comparable work in polars (see README.md beside this file).

Usage: ``python polars_lazy.py SPEC`` (SPEC: a JSON object or a JSON file). Prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
import time
from fractions import Fraction
from pathlib import Path

import polars as pl

LEGAL = r"( (inc|incorporated|llc|ltd|limited|corp|corporation|co|company|plc|gmbh|sa|ag|lp|llp|pllc))+$"


def spec_from(arg: str) -> dict:
    return json.loads(arg if arg.lstrip().startswith("{") else Path(arg).read_text(encoding="utf-8"))


def _minus_12_months(day: dt.date) -> dt.date:
    import calendar

    year = day.year - 1
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def run(spec: dict) -> dict:
    t0 = time.perf_counter()
    f = {k: spec[k] for k in ("date", "client", "amount", "seller", "client_id") if spec.get(k)}
    schema = {f[k]: pl.String for k in f if k != "amount"} | {f["amount"]: pl.Float64}
    raw = pl.read_csv(spec["file"], columns=list(f.values()), schema_overrides=schema)
    df = raw.rename({v: k for k, v in f.items()}).with_columns(
        pl.col("date").str.slice(0, 10).str.to_date("%Y-%m-%d"),
        (pl.col("amount") * 1_000_000).round(0).cast(pl.Int64),
    ).filter(pl.col("client").is_not_null() & (pl.col("client").str.strip_chars() != ""))
    rows_read = raw.height
    t_load = time.perf_counter()

    as_of = dt.date.fromisoformat(spec["as_of"]) if spec.get("as_of") else df["date"].max() + dt.timedelta(days=1)
    start = _minus_12_months(as_of)
    names = df.select(pl.col("client").unique()).with_columns(
        pl.col("client").str.normalize("NFKD").str.replace_all(r"\p{Mn}", "").str.to_lowercase()
        .str.replace_all(r"['\u2019.]", "").str.replace_all(r"[&+]", " and ")
        .str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()
        .str.replace(r"^the (\S)", "$1").str.replace(LEGAL, "").alias("name_key"))
    key = pl.col("client_id").str.strip_chars() if "client_id" in f else pl.col("name_key")
    keyed = df.lazy().join(names.lazy(), on="client").with_columns(
        key.alias("key"), ((pl.col("date") >= start) & (pl.col("date") < as_of)).alias("in_window"))
    keyed = keyed.collect()
    t_combine = time.perf_counter()
    matrix = keyed.lazy().group_by("key", pl.col("date").dt.truncate("1mo")).agg(pl.col("amount").sum()).collect()
    billing = keyed.lazy().filter("in_window").group_by("key").agg(pl.col("amount").sum().alias("billing")).collect()
    t_monthly = time.perf_counter()
    spend = billing.filter(pl.col("billing") > 0).sort("billing", descending=True)
    n = spend.height
    n_key_nominal = math.ceil(n * Fraction(str(spec.get("key_share", 0.25))))
    cutoff = int(spend["billing"][n_key_nominal - 1]) if n else None
    key_rows = spend.filter(pl.col("billing") >= cutoff) if n else spend
    t_tiers = time.perf_counter()
    n_sellers, listed = 0, 0
    if "seller" in f:
        owner = (keyed.lazy().filter(pl.col("in_window") & pl.col("seller").is_not_null())
                 .group_by("key", "seller").agg(pl.col("amount").sum())
                 .sort(["key", "amount", "seller"], descending=[False, True, False])
                 .unique("key", keep="first", maintain_order=True).select("key", "seller"))
        lists = (spend.lazy().join(owner, on="key", how="left")
                 .with_columns(pl.when(pl.col("billing") >= cutoff).then(pl.lit("KEY"))
                               .otherwise(pl.lit("SECONDARY")).alias("tier"))
                 .sort(["seller", "tier", "billing"], descending=[False, False, True]).collect())
        n_sellers, listed = lists["seller"].drop_nulls().n_unique(), lists.height
    t_sellers = time.perf_counter()
    return {
        "rows_read": rows_read, "n_clients": n, "n_key_nominal": n_key_nominal, "n_key": key_rows.height,
        "cutoff": cutoff, "revenue_total": int(spend["billing"].sum()), "key_revenue": int(key_rows["billing"].sum()),
        "n_sellers": n_sellers, "n_listed": listed, "matrix_cells": matrix.height,
        "steps": {"load": t_load - t0, "combine": t_combine - t_load, "monthly": t_monthly - t_combine,
                  "tiers": t_tiers - t_monthly, "sellers": t_sellers - t_tiers},
    }


if __name__ == "__main__":
    print(json.dumps(run(spec_from(sys.argv[1]))))
