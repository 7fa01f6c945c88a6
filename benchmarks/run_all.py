"""Run every benchmark script (benchmarks/bench_*.py) in its own process and print its figures,
then the goals of issue 16 and whether each is met.

Benchmarks print figures against their targets; they never fail a build on time.
`python benchmarks/run_all.py [NAME ...]` runs only the named ones (e.g. `load matching`).
Environment: ``ALMS_BENCH_REPEAT`` (rounds, default 3), ``ALMS_BENCH_10M=1`` (the 10M-line
case), ``ALMS_BENCH_TIMEOUT`` (seconds for the 50k audit, default 1800), ``ALMS_BENCH_CACHE`` (where generated ledgers are kept; default the temp folder).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: the goals every run reports, in this order, "not run" when their benchmark was not
GOALS = (
    ("summary", "alms summary online_retail: <= 1.5x bare pandas"),
    ("summary", "alms summary 50k clients, 1M lines: <= 2.0x bare pandas"),
    ("audit", "alms audit sample-services: overhead <= 6 s"),
    ("audit", "alms audit 50k clients, 1M lines: <= 60 s"),
)


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    scripts = sorted(here.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    failed = []
    with tempfile.TemporaryDirectory(prefix="bench-goals-") as tmp:
        goals_file = Path(tmp) / "goals.txt"
        goals_file.touch()
        env = dict(os.environ, ALMS_BENCH_GOALS=str(goals_file))
        for script in scripts:
            print(f"\n=== {script.stem} " + "=" * max(0, 60 - len(script.stem)), flush=True)
            start = time.perf_counter()
            rc = subprocess.call([sys.executable, str(script)], cwd=here.parent, env=env)
            print(f"--- {script.stem}: exit {rc}, {time.perf_counter() - start:.1f} s wall", flush=True)
            if rc:
                failed.append(script.stem)
        lines = goals_file.read_text(encoding="utf-8").splitlines()
    ran = {s.stem.removeprefix("bench_") for s in scripts}
    print("\n=== goals (issue 16) " + "=" * 40)
    for bench, goal in GOALS:
        if not any(line.startswith(goal) for line in lines):
            print(f"  {goal:<58} {'':<30} {'not measured' if bench in ran else 'not run'}")
    for line in lines:
        print(f"  {line}")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times on a busy machine "
          "are slower; the ratios come from paired, interleaved runs)")
    if failed:
        print(f"\nBenchmarks that did not run to the end: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
