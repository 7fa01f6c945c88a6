"""`alms batch --executor dask://HOST:PORT`: the same jobs on a Dask cluster (a LocalCluster
with two worker processes started here), the same isolation and summary; clear messages
when Dask is missing or the scheduler cannot be reached."""

from __future__ import annotations

import csv
import datetime as dt
import socket
import sys

import pytest
from click.testing import CliRunner

from alms_toolkit.batch import dask_executor
from alms_toolkit.cli import main
from alms_toolkit.errors import ConfigError
from alms_toolkit.sample import generate_client

AS_OF = dt.date(2025, 7, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_missing_dask_is_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ConfigError) as err:
        dask_executor.run_dask([], "tcp://127.0.0.1:8786")
    assert "pip install 'alms-toolkit[dask]'" in str(err.value) and err.value.exit_code == 2


def test_an_unreachable_scheduler_is_a_clear_message(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2)
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler at " + address):
        dask_executor.run_dask([], address)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as lc:
        yield lc


@pytest.mark.notebook
def test_batch_on_a_dask_cluster_isolates_each_client(cluster, tmp_path):
    root = tmp_path / "client_data"
    generate_client(root / "good", seed=5, clients=25, sellers=3, months=13, as_of=AS_OF, messy=False)
    broken = generate_client(root / "broken", seed=6, clients=25, sellers=3, months=13, as_of=AS_OF,
                             messy=False)
    (broken / "billing.csv").unlink()
    out = tmp_path / "reports"
    address = cluster.scheduler_address.replace("tcp://", "dask://")
    result = CliRunner().invoke(main, ["batch", str(root), "--out", str(out), "--executor", address,
                                       "--formats", "html", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "1 ok, 1 bad input" in result.output
    with open(next(out.glob("batch_*.csv")), encoding="utf-8", newline="") as fh:
        rows = {r["client_folder"]: r for r in csv.DictReader(fh)}
    assert rows["good"]["status"] == "ok" and rows["broken"]["status"] == "bad input"
    assert "billing.csv" in rows["broken"]["error"]
    assert (out / "good" / "2025-07-01" / "report.html").is_file()
    assert rows["good"]["report"] == str(out / "good" / "2025-07-01" / "report.html")
    assert 'href="good/2025-07-01/report.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]
