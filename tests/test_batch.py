"""`alms batch`: finding clients, the job's statuses and kernel retry, the process pool's
isolation and stop, the summary files; then real batches (papermill) over small sample
clients, one with broken input and one whose notebook fails, and a batch stopped by SIGTERM."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import html
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import nbformat
import openpyxl
import pytest
from click.testing import CliRunner

from alms_toolkit.batch import clients, jobs, leftovers, local, summary
from alms_toolkit.batch.dask_executor import dask_address
from alms_toolkit.batch.stopping import StopRequest
from alms_toolkit.cli import main
from alms_toolkit.errors import ColumnError, ConfigError, MissingFileError, NotebookRunError
from alms_toolkit.package_files import notebook_path
from alms_toolkit.runs import audit_run as runner
from alms_toolkit.sample import generate_client

AS_OF = dt.date(2025, 7, 1)
ALMS = Path(sys.executable).with_name("alms")
HOSTILE = '<script>alert("x")</script> & =HYPERLINK("http://evil.example")'


def _client(folder: Path, name: str = "Acme") -> Path:
    folder.mkdir(parents=True)
    (folder / "client.yml").write_text(f"client: {name}\nbilling: billing.csv\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------- finding the client folders


def test_client_folders_are_subfolders_with_client_yml_sorted(tmp_path):
    for name in ("zeta", "alpha", ".hidden"):
        _client(tmp_path / name)
    (tmp_path / "notes").mkdir()
    (tmp_path / "file.txt").write_text("x")
    assert [p.name for p in clients.find_client_folders(tmp_path)] == ["alpha", "zeta"]
    assert [p.name for p in clients.find_client_folders(tmp_path, "zeta, alpha")] == ["zeta", "alpha"]


def test_only_with_an_unknown_name_lists_the_client_folders(tmp_path):
    _client(tmp_path / "alpha")
    with pytest.raises(ConfigError) as err:
        clients.find_client_folders(tmp_path, ["alpha", "alpah"])
    assert "'alpah'" in str(err.value) and "alpha" in str(err.value) and err.value.exit_code == 2


def test_no_client_folder_or_no_folder_is_an_error(tmp_path):
    with pytest.raises(MissingFileError, match="no client folder"):
        clients.find_client_folders(tmp_path)
    with pytest.raises(MissingFileError, match="does not exist"):
        clients.find_client_folders(tmp_path / "missing")


def test_parse_only():
    assert clients.parse_only(" a, b,,a ") == ("a", "b")
    assert clients.parse_only(None) == ()


def test_executor_addresses():
    assert dask_address("local") is None
    assert dask_address("dask://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert dask_address("tcp://host:8786/") == "tcp://host:8786"
    for bad in ("dask://host", "dask://:8786", "ssh://host:22", "pool"):
        with pytest.raises(ConfigError, match="dask://HOST:PORT"):
            dask_address(bad)


# ---------------------------------------------------------------- one job: statuses and retries


def _job(tmp_path: Path) -> jobs.ClientJob:
    folder = _client(tmp_path / "clients" / "acme", "Acme Media")
    return jobs.ClientJob.make(folder, tmp_path / "reports", formats=("html",))


def _run_result(job: jobs.ClientJob, *, html_written: bool = True) -> runner.RunResult:
    folder = Path(job.out) / "acme" / AS_OF.isoformat()
    files = (folder / "report.html",) if html_written else ()
    return runner.RunResult(client="Acme Media", slug="acme", as_of=AS_OF, folder=folder, files=files,
                            timings={"notebook": 1.5},
                            summary={"cutoff": "12500.50", "n_key": 7, "n_clients": 25})


class _Runner:
    """A fake run_audit: raises the given exceptions in turn, then returns a result."""

    def __init__(self, job: jobs.ClientJob, *errors: BaseException) -> None:
        self.job, self.errors, self.calls = job, list(errors), []

    def __call__(self, client_dir, **kw):
        self.calls.append((client_dir, kw))
        if self.errors:
            raise self.errors.pop(0)
        return _run_result(self.job)


def _zmq_error() -> BaseException:
    zmq = pytest.importorskip("zmq")
    return zmq.ZMQError(errno.EADDRINUSE)


def test_job_paths_are_absolute_and_passed_to_the_runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _client(tmp_path / "c" / "acme")
    job = jobs.ClientJob.make("c/acme", "out", formats=("html",), force=True)
    assert Path(job.client_dir).is_absolute() and Path(job.out).is_absolute()
    fake = _Runner(job)
    result = jobs.run_client_job(job, runner=fake)
    client_dir, kw = fake.calls[0]
    assert client_dir == job.client_dir
    assert kw == {"as_of": None, "out": job.out, "formats": ("html",), "force": True,
                  "progress": False, "notebook": None}
    assert result.status == jobs.OK and result.attempts == 1
    assert (result.cutoff, result.n_key, result.n_clients) == ("12500.50", 7, 25)
    assert result.report.endswith("report.html") and result.label == "Acme Media"


def test_without_html_the_report_is_the_run_folder(tmp_path):
    job = _job(tmp_path)
    result = jobs.run_client_job(job, runner=lambda *a, **k: _run_result(job, html_written=False))
    assert result.ok and result.report == result.folder


@pytest.mark.parametrize("make_error", [
    lambda: RuntimeError("Kernel didn't respond in 60 seconds"),
    lambda: RuntimeError("Kernel died before replying to kernel_info"),
    _zmq_error,
])
def test_a_kernel_start_race_is_retried_once(tmp_path, make_error):
    job = _job(tmp_path)
    fake = _Runner(job, make_error())
    result = jobs.run_client_job(job, runner=fake)
    assert result.status == jobs.OK and result.attempts == 2 and len(fake.calls) == 2


def test_a_kernel_that_never_starts_is_reported_after_the_retry(tmp_path):
    job = _job(tmp_path)
    fake = _Runner(job, *(RuntimeError("Kernel didn't respond in 60 seconds") for _ in range(3)))
    result = jobs.run_client_job(job, runner=fake)
    assert len(fake.calls) == 2 and result.status == jobs.FAILED and result.attempts == 2
    assert result.error_line == ("The notebook's kernel did not start (2 attempts): "
                                 "RuntimeError: Kernel didn't respond in 60 seconds")
    assert result.client == "Acme Media" and result.slug == "acme"


def test_a_runtime_error_raised_while_starting_the_kernel_is_a_start_error():
    def start_kernel():  # a frame named like jupyter_client's, in a file named like it
        raise RuntimeError("kernel process exited")

    code = compile("def start_kernel(f):\n    f()\n", "/x/jupyter_client/manager.py", "exec")
    namespace: dict = {}
    exec(code, namespace)
    try:
        namespace["start_kernel"](start_kernel)
    except RuntimeError as exc:
        assert jobs.is_kernel_start_error(exc)
    try:
        start_kernel()  # the same error raised elsewhere: not a start-up race
    except RuntimeError as exc:
        assert not jobs.is_kernel_start_error(exc)


def test_failing_cells_and_input_errors_are_never_retried(tmp_path):
    job = _job(tmp_path)
    bad = ColumnError(Path("billing.csv"), "client.yml maps amount to column 'net', which is not in the file")
    fake = _Runner(job, bad)
    result = jobs.run_client_job(job, runner=fake)
    assert len(fake.calls) == 1 and result.status == jobs.BAD_INPUT
    assert "billing.csv" in result.error_line and "'net'" in result.error_line

    kept = tmp_path / "reports" / "acme" / "2025-07-01.failed" / "audit_notebook.ipynb"
    cell = NotebookRunError("The audit notebook failed in cell [7]: ValueError: boom\nmore", kept)
    fake = _Runner(job, cell)
    result = jobs.run_client_job(job, runner=fake)
    assert len(fake.calls) == 1 and result.status == jobs.FAILED
    assert result.error_line == "The audit notebook failed in cell [7]: ValueError: boom"
    assert result.kept_notebook == str(kept)
    assert not jobs.is_kernel_start_error(NotebookRunError("Address already in use"))


def test_an_unexpected_error_keeps_its_traceback(tmp_path):
    job = _job(tmp_path)
    result = jobs.run_client_job(job, runner=_Runner(job, KeyError("sellers")))
    assert result.status == jobs.FAILED and result.error_line == "Unexpected error: KeyError: 'sellers'"
    assert "Traceback" in result.detail and "KeyError" in result.detail


def test_an_interrupt_is_not_swallowed(tmp_path):
    job = _job(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        jobs.run_client_job(job, runner=_Runner(job, KeyboardInterrupt()))


def test_results_pickle(tmp_path):
    import pickle

    job = _job(tmp_path)
    result = jobs.run_client_job(job, runner=_Runner(job))
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(job)) == job


# ---------------------------------------------------------------- leftovers of a stopped run


def test_leftovers_removes_only_this_runs_unfinished_folders(tmp_path):
    client = _client(tmp_path / "clients" / "acme")
    base = tmp_path / "reports" / "acme"
    old_partial = base / ".2025-06-01.partial-aaaa"
    old_failed = base / "2025-06-01.failed"
    done_run = base / "2025-07-01"
    for p in (old_partial, old_failed, done_run):
        p.mkdir(parents=True)
    past = time.time() - 3600
    for p in (old_partial, old_failed):
        os.utime(p, (past, past))
    since = time.time()
    new_partial = base / ".2025-07-01.partial-bbbb"
    new_failed = base / "2025-07-01.failed"
    for p in (new_partial, new_failed):
        p.mkdir()
        (p / "audit_notebook.ipynb").write_text("{}")
    removed = leftovers.remove_leftovers(client, tmp_path / "reports", since)
    assert sorted(removed) == sorted([new_partial, new_failed])
    assert old_partial.exists() and old_failed.exists() and done_run.exists()
    assert leftovers.remove_leftovers(tmp_path / "nowhere", tmp_path / "reports", since) == []


# ---------------------------------------------------------------- the process pool (fake children)


def _ok_child(job, conn, log_path):
    conn.send(jobs.JobResult(name=job.name, client_dir=job.client_dir, status=jobs.OK, client=job.name.upper()))
    conn.close()


def _crash_child(job, conn, log_path):
    if job.name == "crash":
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT)
        os.write(fd, b"Fatal Python error: Segmentation fault (simulated)\n")
        os._exit(3)
    _ok_child(job, conn, log_path)


def _slow_child(job, conn, log_path):
    import signal as sig

    sig.signal(sig.SIGINT, sig.default_int_handler)
    try:
        Path(job.out).mkdir(parents=True, exist_ok=True)
        (Path(job.out) / f"{Path(job.client_dir).name}.running").touch()  # the test stops the batch now
        time.sleep(120)
    except KeyboardInterrupt:
        conn.send(jobs.interrupted_result(job, started=True))


def _stubborn_child(job, conn, log_path):
    import signal as sig

    sig.signal(sig.SIGINT, sig.SIG_IGN)
    time.sleep(120)


def _jobs(tmp_path: Path, *names: str) -> list[jobs.ClientJob]:
    return [jobs.ClientJob.make(tmp_path / n, tmp_path / "reports") for n in names]


def test_pool_returns_results_in_job_order_and_reports_each(tmp_path):
    seen = []
    results = local.run_local(_jobs(tmp_path, "a", "b", "c"), workers=2, on_result=seen.append,
                              target=_ok_child)
    assert [r.name for r in results] == ["a", "b", "c"] and all(r.ok for r in results)
    assert sorted(r.name for r in seen) == ["a", "b", "c"]


def test_a_crashed_child_is_failed_and_the_others_are_unaffected(tmp_path):
    results = local.run_local(_jobs(tmp_path, "a", "crash", "c"), workers=2, target=_crash_child)
    assert [r.status for r in results] == [jobs.OK, jobs.FAILED, jobs.OK]
    crash = results[1]
    assert "stopped without a result (exit code 3)" in crash.error_line
    assert "Segmentation fault (simulated)" in crash.detail


def test_a_stop_interrupts_running_children_and_skips_the_rest(tmp_path):
    stop = StopRequest()
    seen = []

    def on_result(result):
        seen.append(result)

    import threading

    stopped_at: list[float] = []

    def stop_once_both_run() -> None:  # not while a child is still starting (its imports take seconds on a busy machine)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not all((tmp_path / "reports" / f"{n}.running").exists() for n in "ab"):
            time.sleep(0.1)
        stopped_at.append(time.monotonic())
        stop.request()

    threading.Thread(target=stop_once_both_run, daemon=True).start()
    results = local.run_local(_jobs(tmp_path, "a", "b", "c"), workers=2, on_result=on_result,
                              stop=stop, target=_slow_child)
    assert stopped_at and time.monotonic() - stopped_at[0] < 30  # the children stop at once, not after the grace
    assert [r.status for r in results] == [jobs.INTERRUPTED] * 3
    assert "stopped before it finished" in results[0].error and "stopped before it finished" in results[1].error
    assert results[2].error == "Interrupted: not started: the batch was stopped"


def test_a_child_that_ignores_the_stop_is_killed_after_the_grace(tmp_path):
    stop = StopRequest()
    stop.request()
    start = time.monotonic()
    # a stop requested before the first poll: nothing starts at all
    results = local.run_local(_jobs(tmp_path, "a"), workers=1, stop=stop, target=_stubborn_child)
    assert results[0].status == jobs.INTERRUPTED and "not started" in results[0].error

    import threading

    stop = StopRequest()
    threading.Timer(3.0, stop.request).start()
    results = local.run_local(_jobs(tmp_path, "b"), workers=1, stop=stop, grace=1.0, target=_stubborn_child)
    assert results[0].status == jobs.INTERRUPTED and "stopped before it finished" in results[0].error
    assert time.monotonic() - start < 60


# ---------------------------------------------------------------- the summary


def _results(tmp_path: Path) -> list[jobs.JobResult]:
    out = tmp_path / "reports"
    report = out / "acme" / "2025-07-01" / "report.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html></html>")
    return [
        jobs.JobResult(name="acme", client_dir="/c/acme", status=jobs.OK, duration=12.34, client=HOSTILE,
                       as_of="2025-07-01", cutoff="12500.5", currency="€", n_key=1234, n_clients=5000,
                       folder=str(report.parent), report=str(report)),
        jobs.JobResult(name="beta", client_dir="/c/beta", status=jobs.BAD_INPUT, duration=0.5,
                       error="/c/beta/billing.csv has 2 problems:\n  - column 'Amount' missing\n  - x"),
        jobs.JobResult(name="gamma", client_dir="/c/gamma", status=jobs.FAILED, duration=125.0,
                       client="Gamma", error="The audit notebook failed in cell [7]: ValueError: <boom>",
                       kept_notebook=str(out / "gamma" / "2025-07-01.failed" / "audit_notebook.ipynb")),
        jobs.interrupted_result(jobs.ClientJob(client_dir="/c/delta", out=str(out)), started=False),
    ]


def test_table_lists_every_client_status_cutoff_key_duration_and_report_or_error(tmp_path):
    results = _results(tmp_path)
    text = summary.format_table(results)
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["Client", "Status"]
    assert HOSTILE in lines[2] and "€12,500.50" in lines[2] and "1,234" in lines[2]
    assert "12.3 s" in lines[2] and results[0].report in lines[2]
    assert "bad input" in lines[3] and "/c/beta/billing.csv has 2 problems:" in lines[3]
    assert "2 min 05 s" in lines[4] and "ValueError: <boom>" in lines[4]
    assert "interrupted" in lines[5] and "not started" in lines[5]
    assert lines[-1] == "4 clients: 1 ok, 1 bad input, 1 failed, 1 interrupted"
    assert summary.status_counts(results) == {"ok": 1, "bad input": 1, "failed": 1, "interrupted": 1}


def test_batch_csv_has_exact_figures_full_errors_inert_text_and_never_overwrites(tmp_path):
    results = _results(tmp_path)
    first = summary.write_batch_csv(results, tmp_path / "reports", AS_OF)
    second = summary.write_batch_csv(results, tmp_path / "reports", AS_OF)
    assert first.name == "batch_2025-07-01.csv" and second.name == "batch_2025-07-01-2.csv"
    with open(first, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == summary.CSV_COLUMNS
    assert [r["status"] for r in rows] == ["ok", "bad input", "failed", "interrupted"]
    assert rows[0]["cutoff"] == "12500.5" and rows[0]["n_key"] == "1234" and rows[0]["duration_s"] == "12.3"
    assert rows[0]["client"] == HOSTILE  # starts with '<', not a formula character
    assert rows[1]["error"].endswith("  - x") and rows[1]["client"] == ""
    assert rows[2]["report"].endswith("audit_notebook.ipynb")
    danger = [jobs.JobResult(name="x", client_dir="/c/x", status=jobs.OK, client="=cmd|'/c calc'!A1")]
    with open(summary.write_batch_csv(danger, tmp_path / "other", AS_OF), encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["client"] == "'=cmd|'/c calc'!A1"


def test_index_html_is_self_contained_escaped_and_links_every_report(tmp_path):
    results = _results(tmp_path)
    out = tmp_path / "reports"
    csv_path = summary.write_batch_csv(results, out, AS_OF)
    page = summary.write_index_html(results, out, started=dt.datetime(2025, 7, 1, 9, 30),
                                    csv_path=csv_path).read_text(encoding="utf-8")
    assert "<script>" not in page and html.escape(HOSTILE) in page
    assert "&lt;boom&gt;" in page and "<boom>" not in page
    assert 'href="acme/2025-07-01/report.html"' in page
    assert 'href="gamma/2025-07-01.failed/audit_notebook.ipynb"' in page
    assert 'href="batch_2025-07-01.csv"' in page
    assert "column &#x27;Amount&#x27; missing" in page  # the full error, in the details
    for needle in ("<link", "src=", "@import", "http://", "https://"):
        assert needle not in page.replace(html.escape(HOSTILE), "")
    assert page.count('class="status status-') == 4 and "status-bad-input" in page


# ---------------------------------------------------------------- real batches (papermill)

BREAKER = "Notebook Breaker Ltd"


def _sample(folder: Path, seed: int, client: str | None = None) -> Path:
    generate_client(folder, seed=seed, clients=25, sellers=3, months=13, as_of=AS_OF, messy=False)
    if client is not None:
        yml = folder / "client.yml"
        lines = yml.read_text(encoding="utf-8").splitlines()
        lines = [f"client: '{client.replace(chr(39), chr(39) * 2)}'" if ln.startswith("client:") else ln
                 for ln in lines]
        yml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def client_data(tmp_path_factory) -> Path:
    """Four small clients: two good (one with a hostile name), one whose billing file lacks
    the mapped amount column, one the variant notebook fails on."""
    root = tmp_path_factory.mktemp("batch") / "client_data"
    _sample(root / "good-one", 1)
    _sample(root / "good-two", 2, client=HOSTILE)
    broken = _sample(root / "broken-input", 3)
    yml = broken / "client.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("amount: amount", "amount: net_total"),
                   encoding="utf-8")
    _sample(root / "breaks-notebook", 4, client=BREAKER)
    return root


@pytest.fixture(scope="module")
def variant_notebook(tmp_path_factory) -> Path:
    """The shipped notebook plus a firm's own cell that fails for one client."""
    nb = nbformat.read(str(notebook_path()), as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "CFG = " in c.source)
    cell = nbformat.v4.new_code_cell(
        f"if CFG.client == {BREAKER!r}:\n"
        "    raise ValueError('the regional split needs a region column in the billing file')",
        metadata={"tags": ["remove-cell"]},
    )
    nb.cells.insert(setup + 1, cell)
    path = tmp_path_factory.mktemp("nb") / "firm_audit.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def batch(client_data, variant_notebook, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(main, [
        "batch", str(client_data), "--out", str(out), "--workers", "2", "--formats", "html",
        "--notebook", str(variant_notebook), "--quiet",
    ], catch_exceptions=False)
    csv_path = next(out.glob("batch_*.csv"))
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = {r["client_folder"]: r for r in csv.DictReader(fh)}
    return {"out": out, "result": result, "rows": rows, "csv": csv_path}


def _hidden_or_unfinished(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.startswith(".") or ".partial-" in p.name]


@pytest.mark.notebook
def test_batch_good_clients_complete_and_the_failures_say_why(batch, client_data):
    result, rows, out = batch["result"], batch["rows"], batch["out"]
    assert result.exit_code == 1
    assert {k: r["status"] for k, r in rows.items()} == {
        "breaks-notebook": "failed", "broken-input": "bad input", "good-one": "ok", "good-two": "ok",
    }
    assert "net_total" in rows["broken-input"]["error"]
    assert str(client_data / "broken-input" / "billing.csv") in rows["broken-input"]["error"]
    failed = rows["breaks-notebook"]
    assert "The audit notebook failed in cell" in failed["error"]
    assert "the regional split needs a region column" in failed["error"]
    assert Path(failed["report"]).is_file() and Path(failed["report"]).parent.name == "2025-07-01.failed"
    for name in ("good-one", "good-two"):
        folder = out / name / "2025-07-01"
        assert rows[name]["report"] == str(folder / "report.html")
        assert (folder / "report.html").is_file() and (folder / "summary.json").is_file()
        assert int(rows[name]["n_key"]) > 0 and float(rows[name]["cutoff"]) > 0
    assert rows["good-two"]["client"] == HOSTILE
    assert not (out / "broken-input").exists() and not (out / "breaks-notebook" / "2025-07-01").exists()
    assert not _hidden_or_unfinished(out)


@pytest.mark.notebook
def test_batch_prints_the_table_and_writes_the_index(batch):
    text, out = batch["result"].output, batch["out"]
    assert "2 ok, 1 bad input, 1 failed" in text
    for line in text.splitlines():
        if line.startswith(BREAKER):
            assert "failed" in line and "The audit notebook failed in cell" in line
    assert f"Summary table: {batch['csv']}" in text and f"Index of the reports: {out / 'index.html'}" in text
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and html.escape(HOSTILE) in page
    import re

    links = [unquote(h) for h in re.findall(r'href="([^"]+)"', page)]
    reports = [h for h in links if h.endswith("report.html")]
    assert sorted(reports) == ["good-one/2025-07-01/report.html", "good-two/2025-07-01/report.html"]
    assert all((out / h).is_file() for h in links)


@pytest.mark.notebook
def test_a_second_batch_refuses_to_overwrite_then_force_replaces(batch, client_data, variant_notebook):
    out = batch["out"]
    before = (out / "good-one" / "2025-07-01" / "summary.json").stat().st_mtime_ns
    result = CliRunner().invoke(main, ["batch", str(client_data), "--out", str(out), "--only", "good-one",
                                       "--formats", "html", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 1 and "already exists" in result.output
    assert (out / "good-one" / "2025-07-01" / "summary.json").stat().st_mtime_ns == before
    assert len(list(out.glob("batch_*.csv"))) == 2  # the first summary is kept


@pytest.mark.notebook
def test_bad_usage_exits_2(client_data, tmp_path):
    def run(*args):
        return CliRunner().invoke(main, ["batch", *map(str, args), "--quiet"])

    assert run(tmp_path / "nowhere").exit_code == 2
    r = run(client_data, "--only", "good-one,nope", "--out", tmp_path)
    assert r.exit_code == 2 and "'nope'" in r.output and not list(tmp_path.glob("batch_*.csv"))
    assert run(client_data, "--executor", "ssh://x").exit_code == 2
    assert run(client_data, "--workers", "0").exit_code == 2
    assert run(client_data, "--formats", "docx").exit_code == 2
    assert run(client_data, "--as-of", "July").exit_code == 2


def _wait_for(what: str, found, proc: subprocess.Popen, deadline: float) -> list[Path]:
    """Poll (every 50 ms) until ``found()`` returns something, while the batch still runs."""
    while True:
        hits = found()
        if hits:
            return hits
        if proc.poll() is not None:
            stdout, stderr = proc.communicate()
            pytest.fail(f"the batch ended before {what}:\n{stdout}\n{stderr}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.05)


@pytest.mark.notebook
def test_sigterm_stops_cleanly_and_leaves_nothing_that_looks_complete(client_data, tmp_path):
    out = tmp_path / "reports"
    day = AS_OF.isoformat()
    # one worker, three clients: good-one runs, then good-two, and broken-input waits its turn
    proc = subprocess.Popen(
        [str(ALMS), "batch", str(client_data), "--out", str(out), "--workers", "1", "--quiet",
         "--only", "good-one,good-two,broken-input", "--formats", "html,xlsx"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 300
        _wait_for("good-one was published", lambda: list(out.glob(f"good-one/{day}/summary.json")), proc, deadline)
        # good-two is certainly running once its hidden build folder exists: the runner makes
        # it just before the notebook starts, and only a finished run renames it into place
        _wait_for("good-two started building its run folder",
                  lambda: list(out.glob(f"good-two/.{day}.partial-*")), proc, deadline)
        assert not (out / "good-two" / day).exists(), "good-two finished before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, stderr
    assert "stopped before every client finished" in stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    with open(next(out.glob("batch_*.csv")), encoding="utf-8", newline="") as fh:
        rows = {r["client_folder"]: r for r in csv.DictReader(fh)}
    assert {k: r["status"] for k, r in rows.items()} == {
        "good-one": "ok", "good-two": "interrupted", "broken-input": "interrupted"}
    assert "stopped before it finished" in rows["good-two"]["error"]  # it was running
    assert "not started" in rows["broken-input"]["error"]
    # the finished client's run folder is whole ...
    folder = out / "good-one" / day
    summary_json = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary_json["as_of"] == day and summary_json["sellers"]
    assert (folder / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (folder / runner.NOTEBOOK_NAME).is_file() and (folder / "merge_log.csv").is_file()
    workbooks = sorted((folder / "sellers").glob("*.xlsx"))
    assert len(workbooks) >= len(summary_json["sellers"])
    for path in workbooks:
        assert "Official list" in openpyxl.load_workbook(path, read_only=True).sheetnames
    assert rows["good-one"]["report"] == str(folder / "report.html")
    # ... and the stopped ones left nothing: no run folder, no file, nothing hidden,
    # partial or failed anywhere
    assert [p.relative_to(out).as_posix() for p in out.glob("*/*") if p.is_dir()] == [f"good-one/{day}"]
    stray = [p for p in out.rglob("*") if p.is_file() and p.parent != out and folder not in p.parents]
    assert not stray
    assert not (out / "broken-input").exists()
    assert not _hidden_or_unfinished(out)
    assert not list(out.rglob("*.failed"))
    assert {p.name for p in out.iterdir() if p.is_file()} == {next(out.glob("batch_*.csv")).name, "index.html"}


def test_each_client_of_a_batch_gets_its_share_of_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """With as many clients at once as cores, a client searches nothing ahead and writes its
    seller files in one worker; alone on two cores, it may do both."""
    from alms_toolkit import cores
    from alms_toolkit.analysis import candidate_search
    from alms_toolkit.runs.seller_files_pool import LONG_WORK, default_workers

    monkeypatch.delenv(cores.ENV_VAR, raising=False)
    monkeypatch.delenv(candidate_search.ENV_VAR, raising=False)
    monkeypatch.setattr(cores, "machine_cores", lambda: 4)
    with local._cores_shared(4):
        assert os.environ[cores.ENV_VAR] == "1"
        assert candidate_search.usable_cores() == 1 and default_workers(6, LONG_WORK) == 1
    assert cores.ENV_VAR not in os.environ
    with local._cores_shared(2):  # two cores each: a big client may search ahead, two seller workers
        assert candidate_search.usable_cores() == 2 and default_workers(6, LONG_WORK) == 2
    with local._cores_shared(3):  # 4 // 3: one core each
        assert candidate_search.usable_cores() == 1 and default_workers(6, LONG_WORK) == 1
    with local._cores_shared(8):  # more clients than cores: still one each
        assert os.environ[cores.ENV_VAR] == "1"
    monkeypatch.setenv(cores.ENV_VAR, "3")
    with local._cores_shared(1):
        assert os.environ[cores.ENV_VAR] == "3"  # the share given to this batch, not more
    assert os.environ[cores.ENV_VAR] == "3"
