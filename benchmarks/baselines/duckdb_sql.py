"""The audit's comparable work in DuckDB (see README.md beside this file).

Usage: ``python duckdb_sql.py SPEC`` (SPEC: a JSON object or a JSON file). Prints one JSON line.
"""

from __future__ import annotations

import json
import math
import sys
import time
from fractions import Fraction
from pathlib import Path

import duckdb

LEGAL = r"( (inc|incorporated|llc|ltd|limited|corp|corporation|co|company|plc|gmbh|sa|ag|lp|llp|pllc))+$"


def spec_from(arg: str) -> dict:
    return json.loads(arg if arg.lstrip().startswith("{") else Path(arg).read_text(encoding="utf-8"))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def run(spec: dict) -> dict:
    t0 = time.perf_counter()
    con = duckdb.connect()
    f = {k: spec[k] for k in ("date", "client", "amount", "seller", "client_id") if spec.get(k)}
    types = {f["client"]: "VARCHAR", f["amount"]: "DOUBLE", f["date"]: "VARCHAR"}
    types |= {f[k]: "VARCHAR" for k in ("seller", "client_id") if k in f}
    seller = f"{_q(f['seller'])}" if "seller" in f else "NULL"
    cid = f"trim({_q(f['client_id'])})" if "client_id" in f else "NULL"
    con.execute(f"""
        CREATE TEMP TABLE ledger AS
        SELECT CAST(substr({_q(f['date'])}, 1, 10) AS DATE) AS date, {_q(f['client'])} AS client,
               CAST(round({_q(f['amount'])} * 1000000) AS BIGINT) AS amount,
               {seller} AS seller, {cid} AS client_id
        FROM read_csv(?, header = true, types = {json.dumps(types)})
        WHERE {_q(f['client'])} IS NOT NULL AND trim({_q(f['client'])}) <> ''
    """, [str(spec["file"])])
    t_load = time.perf_counter()
    as_of = spec.get("as_of") or con.execute("SELECT max(date) + 1 FROM ledger").fetchone()[0].isoformat()
    # names normalised once per distinct name; clients by id when there is one
    con.execute(f"""
        CREATE TEMP TABLE names AS
        SELECT client, regexp_replace(regexp_replace(trim(regexp_replace(regexp_replace(
                   regexp_replace(lower(strip_accents(client)), '[''\u2019.]', '', 'g'),
                   '[&+]', ' and ', 'g'), '[^a-z0-9]+', ' ', 'g')), '^the (\\S)', '\\1'),
                   '{LEGAL}', '') AS name_key
        FROM (SELECT DISTINCT client FROM ledger)
    """)
    key = "l.client_id" if "client_id" in f else "n.name_key"
    con.execute(f"""
        CREATE TEMP TABLE keyed AS
        SELECT {key} AS key, l.date, l.amount, l.seller,
               (l.date >= DATE '{as_of}' - INTERVAL 12 MONTH AND l.date < DATE '{as_of}') AS in_window
        FROM ledger l JOIN names n USING (client)
    """)
    t_combine = time.perf_counter()
    matrix = con.execute("""
        SELECT key, date_trunc('month', date) AS month, sum(amount) AS amount
        FROM keyed GROUP BY ALL
    """).fetchnumpy()
    con.execute("""
        CREATE TEMP TABLE billing AS
        SELECT key, sum(amount) AS billing FROM keyed WHERE in_window GROUP BY key
    """)
    t_monthly = time.perf_counter()
    n = con.execute("SELECT count(*) FROM billing WHERE billing > 0").fetchone()[0]
    n_key_nominal = math.ceil(n * Fraction(str(spec.get("key_share", 0.25))))
    cutoff = con.execute("SELECT billing FROM billing WHERE billing > 0 ORDER BY billing DESC "
                         "LIMIT 1 OFFSET ?", [n_key_nominal - 1]).fetchone()[0] if n else None
    n_key, key_revenue, total = con.execute(
        "SELECT count(*) FILTER (WHERE billing >= ?), sum(billing) FILTER (WHERE billing >= ?), sum(billing) "
        "FROM billing WHERE billing > 0", [cutoff, cutoff]).fetchone()
    t_tiers = time.perf_counter()
    n_sellers, listed = 0, 0
    if "seller" in f:
        lists = con.execute("""
            WITH per AS (SELECT key, seller, sum(amount) AS amount FROM keyed
                         WHERE in_window AND seller IS NOT NULL GROUP BY ALL),
                 owner AS (SELECT key, seller FROM (
                     SELECT key, seller, row_number() OVER (
                         PARTITION BY key ORDER BY amount DESC, seller) AS r FROM per) WHERE r = 1)
            SELECT o.seller, CASE WHEN b.billing >= ? THEN 'KEY' ELSE 'SECONDARY' END AS tier, b.key, b.billing
            FROM billing b LEFT JOIN owner o USING (key) WHERE b.billing > 0
            ORDER BY o.seller, tier, b.billing DESC
        """, [cutoff]).fetchnumpy()
        n_sellers, listed = len(set(lists["seller"].tolist()) - {None}), len(lists["key"])
    t_sellers = time.perf_counter()
    return {
        "n_clients": n, "n_key_nominal": n_key_nominal, "n_key": n_key,
        "cutoff": cutoff, "revenue_total": int(total or 0), "key_revenue": int(key_revenue or 0),
        "n_sellers": n_sellers, "n_listed": listed, "matrix_cells": len(matrix["key"]),
        "steps": {"load": t_load - t0, "combine": t_combine - t_load, "monthly": t_monthly - t_combine,
                  "tiers": t_tiers - t_monthly, "sellers": t_sellers - t_tiers},
    }


if __name__ == "__main__":
    print(json.dumps(run(spec_from(sys.argv[1]))))
