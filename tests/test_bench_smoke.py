"""The benchmarks' baselines compute what the toolkit computes (benchmarks/baselines/).

On a small generated ledger, each baseline script, run as `make bench` runs it (a fresh
process, a spec written from client.yml), must print the toolkit's figures: spending
clients, KEY count, cut-off, revenue and KEY revenue, to the micro. A baseline that drifted
from the toolkit's rules would make every ratio printed beside it meaningless. No timing is
asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from alms_toolkit.engine import audit
from alms_toolkit.sample import generate_client

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
FIGURES = ("n_clients", "n_key", "cutoff", "revenue_total", "key_revenue")


def _micros(text: str) -> int:
    return int(Decimal(text) * 1_000_000)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_client(tmp_path_factory.mktemp("bench") / "client", seed=11, clients=150, sellers=4,
                           months=24, messy=False, overwrite=True)


def _spec(folder: Path) -> dict:
    sys.path.insert(0, str(BENCH))
    try:
        from cases import spec_of
    finally:
        sys.path.remove(str(BENCH))
    return spec_of(folder)


def _baseline(name: str, spec: dict) -> dict:
    out = subprocess.run([sys.executable, str(BENCH / "baselines" / f"{name}.py"), json.dumps(spec)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _toolkit(folder: Path) -> dict:
    s = audit(folder).summary()
    return {"n_merged": s["n_merged"], "n_clients": s["n_clients"], "n_key": s["n_key"], "cutoff": _micros(s["cutoff"]),
            "revenue_total": _micros(s["revenue_total"]), "key_revenue": _micros(s["key_revenue"])}


def _without_ids(folder: Path, dest: Path) -> Path:
    """The same client without the client id column (the toolkit recognises one even when
    client.yml does not map it): spellings combine by name."""
    import shutil

    import pandas as pd

    shutil.copytree(folder, dest)
    cfg = yaml.safe_load((dest / "client.yml").read_text(encoding="utf-8"))
    column = cfg["billing"]["columns"].pop("client_id")
    (dest / "client.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    ledger = dest / cfg["billing"]["file"]
    pd.read_csv(ledger, dtype=str, keep_default_na=False).drop(columns=[column]).to_csv(ledger, index=False)
    return dest


@pytest.fixture(scope="module")
def with_ids(client: Path) -> tuple[Path, dict]:
    return client, _toolkit(client)


@pytest.fixture(scope="module")
def without_ids(client: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = _without_ids(client, tmp_path_factory.mktemp("bench") / "no-ids")
    return folder, _toolkit(folder)


def _same_figures(name: str, case: tuple[Path, dict]) -> dict:
    """The baseline ``name`` run on the case's folder gives the toolkit's figures; those figures."""
    if name != "bare_pandas":
        pytest.importorskip(name.split("_")[0])
    folder, expected = case
    got = _baseline(name, _spec(folder))
    assert {k: got[k] for k in FIGURES} == {k: expected[k] for k in FIGURES}
    return expected


@pytest.mark.parametrize("name", ["bare_pandas", "duckdb_sql", "polars_lazy"])
def test_baseline_prints_the_toolkit_figures(with_ids: tuple[Path, dict], name: str) -> None:
    expected = _same_figures(name, with_ids)
    assert expected["n_key"] > 10  # a real cut-off, not an empty ledger


@pytest.mark.parametrize("name", ["bare_pandas", "duckdb_sql", "polars_lazy"])
def test_baseline_combines_by_name_as_the_toolkit(without_ids: tuple[Path, dict], name: str) -> None:
    expected = _same_figures(name, without_ids)
    assert expected["n_merged"] > 0  # spellings of one company were combined by name


def test_the_step_timer_covers_every_engine_step(client: Path) -> None:
    out = subprocess.run([sys.executable, str(BENCH / "steps.py"), str(client)], capture_output=True,
                         text=True, check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    d = json.loads(out.stdout.strip().splitlines()[-1])
    steps = set(d["steps"])
    assert {"load_inputs", "load_ledger", "combine_clients_unsettled", "assign_tiers", "assign_owners"} <= steps
    # own times: every second of audit() is in exactly one step
    assert d["steps_sum"] == pytest.approx(d["audit"], rel=0.05, abs=0.05)
