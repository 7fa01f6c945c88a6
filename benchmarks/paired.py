"""Paired, interleaved runs of commands, each in a fresh process: wall time, CPU time and peak
memory of every run, and the median of each variant.

Rounds alternate the variants (bare, toolkit, duckdb, polars, bare, toolkit, ...), so load from
other work on the machine falls on all of them alike; the median of the rounds is printed.
Each child gets ``PYTHONPATH`` pointing at this checkout first: the toolkit measured is the
code checked out here, whatever is installed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
REPEAT = int(os.environ.get("ALMS_BENCH_REPEAT", "3"))
#: seconds after which a long run (the 50k-client audit) is stopped and reported as such
TIMEOUT = float(os.environ.get("ALMS_BENCH_TIMEOUT", "1800"))


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    wall: float
    cpu: float
    peak_mb: float
    rc: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.rc == 0

    def json(self) -> dict:
        """The last line of stdout that is a JSON object, else the whole stdout as JSON."""
        for line in reversed(self.out.strip().splitlines()):
            if line.startswith("{") and line.endswith("}"):
                return json.loads(line)
        return json.loads(self.out)

    def error_line(self) -> str:
        lines = [x for x in self.err.strip().splitlines() if x.strip()]
        return lines[-1] if lines else f"exit {self.rc}"


@dataclass
class Series:
    """The runs of one variant."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def good(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.good) if self.good else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.good) if self.good else float("nan")

    @property
    def peak_mb(self) -> float:
        return max((r.peak_mb for r in self.good), default=float("nan"))

    @property
    def failed(self) -> Run | None:
        return next((r for r in self.runs if not r.ok), None)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("PYTHONHASHSEED", "0")
    # every timed run does all of its work: the toolkit's candidate cache would let a repeated
    # run read its fuzzy candidates instead of searching (ALMS_BENCH_CACHE_WARM=1 keeps it on)
    if os.environ.get("ALMS_BENCH_CACHE_WARM") != "1":
        env["ALMS_CACHE_DIR"] = "off"
    return env


def run_child(cmd: Sequence[str], cwd: Path | None = None, timeout: float | None = None) -> Run:
    """Run ``cmd`` to the end; wall time, CPU time (user + system) and peak RSS of the child
    (its own ``rusage`` from ``wait4``: the largest process of the run, waited children
    included)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(map(str, cmd)), stdout=out, stderr=err, cwd=cwd or ROOT, env=child_env())
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if time.perf_counter() > deadline:  # type: ignore[operator]
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                err.write(f"\nstopped after {timeout:.0f} s (ALMS_BENCH_TIMEOUT)\n".encode())
                break
            time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_mb=usage.ru_maxrss / 1024,
                   rc=proc.returncode, out=out.read().decode("utf-8", "replace"),
                   err=err.read().decode("utf-8", "replace"))


def compile_toolkit() -> None:
    """The toolkit's bytecode, written beside its sources as ``pip install`` writes it for an
    installed package: the checkout is installed editable (its modules are not compiled at
    install), and with PYTHONDONTWRITEBYTECODE set every fresh process would compile them
    again, a cost no installed toolkit (nor pandas, the baseline) pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "alms_toolkit")], check=True,
                   stdout=subprocess.DEVNULL)


def paired(variants: Sequence[tuple[str, Sequence[str]]], repeat: int = REPEAT,
           progress: str = "", timeout: float | None = None) -> dict[str, Series]:
    """``repeat`` rounds; each round runs every variant once, each in a fresh process, the
    order turned by one each round (no variant always runs first, on a cold disk cache).
    The toolkit's bytecode is compiled first (:func:`compile_toolkit`)."""
    compile_toolkit()
    series = {name: Series(name) for name, _ in variants}
    for round_no in range(repeat):
        turn = round_no % len(variants) if variants else 0
        for name, cmd in [*variants[turn:], *variants[:turn]]:
            if progress and sys.stderr.isatty():
                print(f"  {progress}: round {round_no + 1}/{repeat}, {name} ...", end="\r", flush=True, file=sys.stderr)
            series[name].runs.append(run_child(cmd, timeout=timeout))
    if progress and sys.stderr.isatty():
        print(" " * 78, end="\r", file=sys.stderr)
    return series


def python(*args: object) -> list[str]:
    return [sys.executable, *map(str, args)]


def alms(*args: object) -> list[str]:
    """The ``alms`` command of this checkout (python -m alms_toolkit.cli)."""
    return python("-m", "alms_toolkit.cli", *args)


def baseline(name: str, spec_file: Path) -> list[str]:
    return python(HERE / "baselines" / f"{name}.py", spec_file)


def cell(s: Series, reference: Series | None = None) -> str:
    """``2.31 s, 512 MB (2.6x)``: median wall, peak memory, ratio to ``reference``."""
    if s.failed and not s.good:
        return f"FAILED: {s.failed.error_line()[:60]}"
    ratio = f" ({s.wall / reference.wall:.2f}x)" if reference is not None and reference.good else ""
    return f"{s.wall:.2f} s, {s.peak_mb:,.0f} MB{ratio}"


def record_goal(goal: str, value: str, met: bool | None) -> str:
    """Print-ready goal line, also appended to ``$ALMS_BENCH_GOALS`` (run_all.py collects them)."""
    verdict = "not measured" if met is None else ("met" if met else "NOT MET")
    line = f"{goal:<58} {value:<30} {verdict}"
    target = os.environ.get("ALMS_BENCH_GOALS")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return line


def load_note() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
