"""`alms batch --executor tcp://HOST:PORT` on a real cluster: a `dask scheduler` and `dask worker`
processes started here (free ports, torn down after), as docs/CLUSTER.md sets them up.

- the shipped sample clients run on the cluster into a reports folder the workers share;
- a worker killed in the middle of a client (a variant of the audit notebook whose cell kills
  the worker process running it): the client runs again on another worker and is ok, or,
  when its worker dies every time, it is `failed` with the reason `worker_lost`; never a
  half-written run folder, and the summary counts it;
- before anything is submitted, a worker with another toolkit, or one that does not see the
  reports folder, refuses the batch with a message naming the worker and the fix.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from alms_toolkit.batch import cluster_checks, dask_executor, summary
from alms_toolkit.batch.jobs import FAILED, OK, JobResult
from alms_toolkit.cli import main
from alms_toolkit.errors import ClusterError
from alms_toolkit.sample import generate_client

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
AS_OF = dt.date(2025, 7, 1)
#: how long a cluster may take to come up (a loaded 2-core machine)
START_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra: str) -> dict[str, str]:
    """This environment, with this checkout first on the path (or ``PYTHONPATH`` given)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


@contextlib.contextmanager
def _process(args: list[str], log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A process in its own session (so its children end with it), ended on exit."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True, cwd=log.parent)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@contextlib.contextmanager
def _scheduler(folder: Path) -> Iterator[str]:
    """`dask scheduler` on a free port, set up as docs/CLUSTER.md says: it gives up on a client
    after 2 workers died under it, and gives a worker a client only when it is free."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = _env(DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
               DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0")
    with _process([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                   "--no-dashboard"], folder / "scheduler.log", env):
        yield address


def _worker_args(address: str, folder: Path, n: int) -> list[str]:
    return [str(DASK), "worker", address, "--nworkers", str(n), "--nthreads", "1", "--no-dashboard",
            "--memory-limit", "0", "--host", "127.0.0.1", "--local-directory", str(folder),
            "--death-timeout", "60"]


def _wait_for_workers(address: str, n: int) -> None:
    with distributed.Client(address, timeout=START_TIMEOUT, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=START_TIMEOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-thread worker processes (with nannies, which restart a
    worker that dies), the toolkit of this checkout on the workers."""
    folder = tmp_path_factory.mktemp("cluster")
    with _scheduler(folder) as address, \
            _process(_worker_args(address, folder, 2), folder / "workers.log", _env()):
        _wait_for_workers(address, 2)
        yield address


def _batch(address: str, client_data: Path, out: Path, *extra: str) -> tuple[int, str, dict[str, dict]]:
    result = CliRunner().invoke(main, ["batch", str(client_data), "--out", str(out), "--executor",
                                       address, "--formats", "html", "--quiet", *extra])
    rows: dict[str, dict] = {}
    for path in out.glob("batch_*.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = {r["client_folder"]: r for r in csv.DictReader(fh)}
    return result.exit_code, result.output, rows


def _hidden(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.startswith(".")]


def _killing_notebook(path: Path, markers: Path) -> Path:
    """The shipped audit notebook with one more cell, right after its parameters: for the
    client folder `dies-once` it kills the worker process running it the first time, for
    `dies-always` every time (a worker dying in the middle of a client, as when out of memory).
    Before dying it writes down the unfinished run folders it sees."""
    nb = json.loads((ROOT / "notebooks" / "alms_audit.ipynb").read_text(encoding="utf-8"))
    code = (
        "import os, pathlib, signal\n"
        f"_markers = pathlib.Path({str(markers)!r})\n"
        "_name = pathlib.Path(client_dir).name\n"
        "_marker = _markers / f'{_name}-{len(list(_markers.glob(_name + \"-*\")))}'\n"
        "if _name == 'dies-always' or (_name == 'dies-once' and not list(_markers.glob('dies-once-*'))):\n"
        "    _final = pathlib.Path(output_dir)\n"
        "    _marker.write_text('\\n'.join(str(p) for p in _final.parent.glob(f'.{_final.name}.partial-*')))\n"
        "    os.kill(os.getppid(), signal.SIGKILL)  # the worker process that runs this kernel\n"
    )
    cell = {"cell_type": "code", "execution_count": None, "id": "kill-the-worker",
            "metadata": {"tags": ["remove-cell"]}, "outputs": [], "source": code.splitlines(True)}
    index = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c["metadata"].get("tags", []))
    nb["cells"].insert(index + 1, cell)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.mark.notebook
def test_the_samples_run_on_the_cluster_and_a_worker_dying_mid_client_is_counted(cluster, tmp_path):
    """One batch on the cluster: the two shipped sample clients, a client whose worker dies
    once (it runs again on a worker and is ok) and one whose worker dies every time (failed,
    worker_lost); the reports folder is shared by this machine and the workers."""
    shared = tmp_path / "shared"
    client_data = shared / "client_data"
    for sample in ("sample-media", "sample-services"):
        shutil.copytree(ROOT / "client_data" / sample, client_data / sample)
    for name, seed in (("dies-once", 2), ("dies-always", 3)):
        generate_client(client_data / name, seed=seed, clients=20, sellers=2, months=13, as_of=AS_OF,
                        messy=False)
    markers = shared / "markers"
    markers.mkdir()
    notebook = _killing_notebook(shared / "audit_killing.ipynb", markers)
    out = shared / "reports"
    code, output, rows = _batch(cluster, client_data, out, "--notebook", str(notebook))

    assert code == 1, output
    # the worker of dies-once died once; dies-always's twice (the scheduler's allowed-failures: 1)
    assert sorted(p.name for p in markers.iterdir()) == ["dies-always-0", "dies-always-1", "dies-once-0"]
    for marker in markers.iterdir():  # each died with an unfinished run folder, since removed
        partials = [Path(line) for line in marker.read_text(encoding="utf-8").splitlines()]
        assert partials and all(p.is_relative_to(out) and not p.exists() for p in partials), marker
    assert ("4 clients: 3 ok, 1 failed; a Dask worker died under 2 clients (3 times): "
            "1 ran again elsewhere and is ok, 1 failed") in output

    for sample in ("sample-media", "sample-services"):
        assert rows[sample]["status"] == OK and rows[sample]["lost_workers"] == ""
        assert rows[sample]["attempts"] == "1" and Path(rows[sample]["report"]).is_file()
    once, always = rows["dies-once"], rows["dies-always"]
    assert once["status"] == OK and once["attempts"] == "2"
    assert once["lost_workers"].startswith("tcp://127.0.0.1:") and ";" not in once["lost_workers"]
    assert Path(once["report"]) == out / "dies-once" / "2025-07-01" / "report.html"
    assert Path(once["report"]).is_file()
    assert always["status"] == FAILED and always["reason"] == "worker_lost"
    assert always["attempts"] == "2" and always["lost_workers"].count("tcp://") == 2
    assert always["error"].startswith("The Dask worker running this client died 2 times (tcp://")
    assert "Nothing of this run was published" in always["error"]
    assert not (out / "dies-always").exists() or not any((out / "dies-always").iterdir())
    assert not _hidden(out)  # no unfinished run folder, no check file or attempt marker left
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "a Dask worker died under 2 clients" in index and "run again after its Dask worker died" in index


def _fake_toolkit(folder: Path, version: str) -> Path:
    """A copy of this toolkit that says it is another version (what a worker with an older
    wheel has)."""
    target = folder / "alms_toolkit"
    shutil.copytree(ROOT / "alms_toolkit", target, ignore=shutil.ignore_patterns("__pycache__"))
    init = target / "__init__.py"
    text = init.read_text(encoding="utf-8")
    assert '__version__ = "' in text
    init.write_text(text.replace('__version__ = "', f'__version__ = "{version}+', 1), encoding="utf-8")
    return folder


def _one_client(root: Path) -> Path:
    generate_client(root / "acme", seed=4, clients=20, sellers=2, months=13, as_of=AS_OF, messy=False)
    return root


def test_workers_with_another_toolkit_refuse_the_batch(tmp_path):
    """Two workers: one with a copy of this toolkit that says it is another version, one with
    an old toolkit that lacks the check (a bare package): both named, nothing submitted."""
    import alms_toolkit

    fake = _fake_toolkit(tmp_path / "other-wheel", "0.0.9")
    bare = tmp_path / "old-wheel" / "alms_toolkit"
    bare.mkdir(parents=True)
    (bare / "__init__.py").write_text('__version__ = "0.0.1"\n', encoding="utf-8")
    with _scheduler(tmp_path) as address, \
            _process(_worker_args(address, tmp_path, 1), tmp_path / "w1.log", _env(PYTHONPATH=str(fake))), \
            _process(_worker_args(address, tmp_path, 1), tmp_path / "w2.log", _env(PYTHONPATH=str(bare.parent))):
        _wait_for_workers(address, 2)
        out = tmp_path / "reports"
        code, output, rows = _batch(address, _one_client(tmp_path / "client_data"), out)
    assert code == 2 and not rows
    assert f"The Dask cluster at {address} cannot run this batch (nothing was submitted)" in output
    version = alms_toolkit.__version__
    assert f"runs alms-toolkit 0.0.9+{version}, this machine runs alms-toolkit {version}" in output
    assert "runs alms-toolkit 0.0.1, this machine runs alms-toolkit" in output  # the old one
    assert output.count("- worker tcp://127.0.0.1:") == 2
    assert output.count(f"pip install --force-reinstall --no-deps alms_toolkit-{version}-py3-none-any.whl") == 2
    assert not (out / "acme").exists() and not _hidden(out)


def _unshare() -> list[str] | None:
    """The unshare command that gives a process its own mount table here (None: none does)."""
    if shutil.which("unshare") is None:
        return None
    for args in (["unshare", "--mount"], ["unshare", "--mount", "--map-root-user"]):
        try:
            if subprocess.run([*args, "true"], capture_output=True, timeout=10).returncode == 0:
                return args
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def test_a_worker_that_does_not_see_the_shared_folder_refuses_the_batch(tmp_path):
    """The worker runs in its own mount namespace with an empty folder mounted over the shared
    one: the same path, another folder (a worker whose share is not mounted)."""
    unshare = _unshare()
    if unshare is None:
        pytest.skip("needs unshare --mount (Linux mount namespaces)")
    shared = tmp_path / "shared"
    client_data = _one_client(shared / "client_data")
    out = shared / "reports"
    worker = " ".join(_worker_args("ADDRESS", tmp_path, 1))
    with _scheduler(tmp_path) as address:
        script = f"mount -t tmpfs none {shared} && exec {worker.replace('ADDRESS', address)}"
        with _process([*unshare, "sh", "-c", script],
                      tmp_path / "worker.log", _env()):
            _wait_for_workers(address, 1)
            code, output, rows = _batch(address, client_data, out)
    assert code == 2 and not rows, output
    assert f"cannot use the reports folder {out}: it cannot read {out}" in output
    assert "mounts at the same path" in output
    assert f"cannot see {client_data / 'acme' / 'client.yml'}" in output
    assert not (out / "acme").exists() and not _hidden(out)


# the checks and the summary without a cluster ------------------------------------------------

def _facts(**changes):
    facts = {"version": "1.2.0", "fingerprint": "abc", "host": "node7", "location": "/opt/x",
             "missing": []}
    facts.update(changes)
    return facts


def test_compare_facts_names_the_worker_both_versions_and_the_fix(tmp_path):
    mine = _facts()
    same = cluster_checks.compare_facts("tcp://w:1", mine, _facts(), out=tmp_path, check_dir=tmp_path,
                                        token="t")
    assert same == []
    problem = cluster_checks._toolkit_problem("tcp://w:1", mine, _facts(version="1.1.0"))
    assert problem is not None
    assert problem.startswith("worker tcp://w:1 (host node7) runs alms-toolkit 1.1.0, this machine "
                              "runs alms-toolkit 1.2.0: install this machine's wheel, "
                              "alms_toolkit-1.2.0-py3-none-any.whl, on every worker")
    assert "alms_toolkit-1.2.0-py3-none-any.whl" in problem
    (problem,) = cluster_checks.compare_facts("tcp://w:1", mine, _facts(fingerprint="def"),
                                              out=tmp_path, check_dir=tmp_path, token="t")
    assert "like this machine, but its toolkit files differ (fingerprint def there, abc here" in problem


def test_compare_facts_sees_a_folder_of_the_same_path_that_is_not_shared(tmp_path):
    (tmp_path / "worker-1.txt").write_text("another-token host 1\n", encoding="utf-8")
    (problem,) = cluster_checks.compare_facts("tcp://w:1", _facts(), _facts(wrote="worker-1.txt"),
                                              out=tmp_path / "r", check_dir=tmp_path, token="t")
    assert "wrote a check file in" in problem and "this machine does not see it" in problem
    (tmp_path / "worker-1.txt").write_text("t host 1\n", encoding="utf-8")
    assert cluster_checks.compare_facts("tcp://w:1", _facts(), _facts(wrote="worker-1.txt"),
                                        out=tmp_path / "r", check_dir=tmp_path, token="t") == []


def test_worker_facts_reads_the_token_and_reports_what_it_cannot_see(tmp_path):
    (tmp_path / cluster_checks.TOKEN_FILE).write_text("tok", encoding="utf-8")
    facts = cluster_checks.worker_facts(str(tmp_path), "tok", [str(tmp_path / "nope.yml")])
    assert "folder_problem" not in facts and (tmp_path / facts["wrote"]).is_file()
    assert facts["missing"] == [str(tmp_path / "nope.yml")]
    assert facts["fingerprint"] == cluster_checks.toolkit_fingerprint()
    other = cluster_checks.worker_facts(str(tmp_path), "another", [])
    assert "another folder of the same path" in other["folder_problem"]


def test_an_attempt_leaves_a_marker_only_when_its_process_dies(tmp_path, monkeypatch):
    def fake_job(job):
        assert [p.name for p in tmp_path.glob("attempt-7-*")]  # the marker exists while it runs
        return JobResult(name="x", client_dir="/x", status=OK)

    monkeypatch.setattr(dask_executor, "run_client_job", fake_job)
    result, marker = dask_executor.run_on_worker(object(), str(tmp_path), 7)  # type: ignore[arg-type]
    assert result.status == OK and marker.startswith("attempt-7-") and not list(tmp_path.iterdir())
    (tmp_path / "attempt-7-aaa.txt").write_text("tcp://a:1\n", encoding="utf-8")
    time.sleep(0.01)
    (tmp_path / "attempt-7-bbb.txt").write_text("tcp://b:2\n", encoding="utf-8")
    (tmp_path / "attempt-8-ccc.txt").write_text("tcp://c:3\n", encoding="utf-8")
    assert dask_executor.lost_attempts(tmp_path, 7, finished="attempt-7-bbb.txt") == ("tcp://a:1",)
    assert dask_executor.lost_attempts(tmp_path, 7) == ("tcp://a:1", "tcp://b:2")


def test_the_counts_line_says_when_workers_died():
    results = [JobResult(name="a", client_dir="/a", status=OK),
               JobResult(name="b", client_dir="/b", status=OK, lost_workers=("tcp://x:1",)),
               JobResult(name="c", client_dir="/c", status=FAILED, lost_workers=("tcp://x:1", "tcp://y:2"))]
    assert summary.format_table(results).splitlines()[-1] == (
        "3 clients: 2 ok, 1 failed; a Dask worker died under 2 clients (3 times): "
        "1 ran again elsewhere and is ok, 1 failed")
    assert summary.lost_workers_text(results[:1]) == ""


def test_no_worker_is_a_clear_refusal(tmp_path):
    with _scheduler(tmp_path) as address, \
            distributed.Client(address, timeout=START_TIMEOUT, set_as_default=False) as client, \
            pytest.raises(ClusterError, match="no worker is connected to the scheduler") as err:
        cluster_checks.check_workers(client, address, out=tmp_path, check_dir=tmp_path / ".c",
                                     needed=[], wait=1)
    assert err.value.exit_code == 2 and err.value.reason == "cluster"
    assert f"dask worker {address} --nthreads 1" in str(err.value)


def test_a_worker_without_the_toolkit_is_named_with_the_fix():
    import alms_toolkit
    from alms_toolkit.batch import worker_probe

    here = worker_probe.installed_toolkit()
    assert here["version"] == alms_toolkit.__version__ and "error" not in here
    problem = cluster_checks._toolkit_problem(
        "tcp://w:1", _facts(), {"host": "node7", "version": None,
                                "error": "ModuleNotFoundError: No module named 'alms_toolkit'"})
    assert problem.startswith("worker tcp://w:1 (host node7) cannot import alms_toolkit "
                              "(ModuleNotFoundError: No module named 'alms_toolkit'): it needs this "
                              "machine's alms-toolkit 1.2.0; install this machine's wheel")
    assert cluster_checks._toolkit_problem("tcp://w:1", _facts(), _facts()) is None


def test_a_client_the_scheduler_gave_up_on_is_sent_again_unless_it_killed_its_workers():
    killed = distributed.KilledWorker("alms-batch-x-0", "tcp://a:1", 1)
    send_again = dask_executor._send_again
    assert send_again(killed, (), 0)  # only queued on workers that died: not its fault
    assert send_again(killed, ("tcp://a:1",), 0)
    assert not send_again(killed, ("tcp://a:1", "tcp://b:2"), 0)  # died twice while running it
    assert not send_again(killed, (), dask_executor.MAX_RESUBMITS)
    assert not send_again(RuntimeError("scheduler gone"), (), 0)
