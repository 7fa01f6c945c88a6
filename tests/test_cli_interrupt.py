"""`alms audit` stopped from outside (SIGTERM, as a scheduler or `kill` sends it) cleans up
like Ctrl-C: no partial folder left behind, nothing published, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _stop_while_building(proc: subprocess.Popen[str], folder: Path, *, after: float) -> str | None:
    """Send SIGTERM to ``proc`` ``after`` seconds once ``folder`` holds the run's hidden partial
    folder; its stderr once it has ended, or None when it ended before it could be stopped."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if folder.is_dir() and any(p.name.startswith(".") for p in folder.iterdir()):
            break
        if proc.poll() is not None:
            return None
        time.sleep(0.02)
    else:
        proc.kill()
        pytest.fail(f"the run never started its folder in {folder}")
    time.sleep(after)
    proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=120)[1]


@pytest.mark.notebook
def test_sigterm_during_an_audit_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-m", "alms_toolkit.cli", "audit", str(ROOT / "client_data" / "sample-services"),
         "--out", str(out), "--formats", "html,pdf", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    client = out / "sample-services"
    err = _stop_while_building(proc, client, after=1.5)  # well inside the notebook run
    assert err is not None, ("the audit ended before it could be stopped", proc.communicate())
    assert proc.returncode == 130, err
    assert "Stopped" in err and "Traceback" not in err
    assert list(client.iterdir()) == []  # no .partial, no .failed, no published run
    os.sync()


@pytest.mark.notebook
def test_a_stop_a_library_swallowed_still_publishes_nothing(tmp_path: Path) -> None:
    """SIGTERM landing in a finalizer (WeasyPrint's __del__) raises a KeyboardInterrupt that
    Python only prints: the request is remembered and the run stops before publishing."""
    from alms_toolkit import stop
    from alms_toolkit.runs.audit_run import run_audit

    out = tmp_path / "reports"
    stop.request()  # as the signal handler does, with its exception swallowed
    try:
        with pytest.raises(KeyboardInterrupt):
            run_audit(ROOT / "client_data" / "sample-services", out=out, formats=("html",), progress=False)
    finally:
        stop.clear()
    client = out / "sample-services"
    assert not client.exists() or list(client.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_landing_where_python_cannot_raise_it_is_remembered_quietly(monkeypatch, sig) -> None:
    """A signal handled inside a weak reference's callback (Python runs them while freeing
    objects, as in the middle of WeasyPrint's layout): the KeyboardInterrupt can only be
    reported as "Exception ignored"; the stop is remembered (the run checks it before it
    publishes) and nothing is printed."""
    import weakref

    from alms_toolkit import stop

    class Thing:
        pass

    def callback(_ref: object) -> None:
        signal.raise_signal(sig)
        sum(range(10_000))  # the handler runs here, inside the callback

    reported: list[BaseException | None] = []  # what Python would print as "Exception ignored in ..."
    monkeypatch.setattr(sys, "unraisablehook", lambda info: reported.append(info.exc_value))
    try:
        with stop.signals_as_interrupt():
            thing = Thing()
            ref = weakref.ref(thing, callback)
            del thing  # the callback runs now; its KeyboardInterrupt cannot reach this frame
            assert ref() is None
            assert stop.requested()
            assert reported == []
            with pytest.raises(KeyboardInterrupt):
                stop.check()  # what RunFolder.publish calls first
        assert not stop.requested()  # forgotten on the way out: a later run in this process is not stopped
    finally:
        stop.clear()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.notebook
def test_sigterm_during_a_republish_leaves_nothing_behind(tmp_path: Path) -> None:
    """`alms republish` stopped while it writes: no hidden partial folder is left beside the
    review (SIGTERM used to end the process at once, leaving it)."""
    out = tmp_path / "reports"
    media = ROOT / "client_data" / "sample-media"
    subprocess.run([sys.executable, "-m", "alms_toolkit.cli", "audit", str(media), "--as-of", "2024-07-01",
                    "--out", str(out), "--formats", "xlsx", "-q"], check=True, capture_output=True, cwd=tmp_path)
    review = out / "sample-media" / "2024-07-01"
    proc = subprocess.Popen(
        [sys.executable, "-m", "alms_toolkit.cli", "republish", str(media), "--review", str(review),
         "--as-of", "2025-01-01"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    folder = review / "republished"
    err = _stop_while_building(proc, folder, after=0.0)  # the run writes its files for about a second
    if err is None or proc.returncode == 0:
        pytest.skip("the republish finished before it could be stopped")
    assert proc.returncode == 130, err
    assert "Stopped" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_a_stop_landing_in_generated_code_still_exits_130(tmp_path: Path) -> None:
    """A signal handled inside code exec()/eval() runs from a string (namedtuple's, dataclasses'
    generated code): a KeyboardInterrupt raised there marked the process as killed by Ctrl-C,
    and the stopped command ended by SIGINT (-2) instead of its exit status 130 (seen once in
    a CI run of the republish test). The signal comes again a moment later, outside it."""
    script = tmp_path / "stopped.py"
    script.write_text(
        "import os, signal, sys, time\n"
        "from alms_toolkit import stop\n"
        "try:\n"
        "    with stop.signals_as_interrupt():\n"
        "        eval('[os.kill(os.getpid(), signal.SIGTERM), [i for i in range(10**6)]]')  # lands in there\n"
        "        for _ in range(500):\n"
        "            time.sleep(0.01)\n"
        "except KeyboardInterrupt:\n"
        "    print('stopped', flush=True)\n"
        "    sys.exit(130)\n"
        "print('not stopped', flush=True)\n",
        encoding="utf-8")
    # run as `python -m`, as `python -m alms_toolkit.cli` is: CPython checks that mark when a
    # module run so ends (a script ending in SystemExit exits at once)
    done = subprocess.run([sys.executable, "-m", "stopped"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])})
    assert (done.returncode, done.stdout.strip()) == (130, "stopped"), done.stderr
