"""Run every benchmark script (benchmarks/bench_*.py) in its own process and print its figures.

Benchmarks print figures against their targets; they never fail a build on time.
`python benchmarks/run_all.py [NAME ...]` runs only the named ones (e.g. `load matching`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    scripts = sorted(here.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} " + "=" * max(0, 60 - len(script.stem)), flush=True)
        start = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script)], cwd=here.parent)
        print(f"--- {script.stem}: exit {rc}, {time.perf_counter() - start:.1f} s wall", flush=True)
        if rc:
            failed.append(script.stem)
    if failed:
        print(f"\nBenchmarks that did not run to the end: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
