"""`alms summary` beside the same work in tuned bare pandas, DuckDB and polars.

Cases (benchmarks/cases.py): online_retail (541,909 lines), a generated 50k-client / 1M-line
ledger, and opt-in a 50k-client / 10M-line one (``ALMS_BENCH_10M=1``). Each variant runs as its
own process (interpreter start, imports, reading the file, the work, printing), in paired,
interleaved rounds (bare, toolkit, DuckDB, polars, bare, toolkit, ...); the median of the rounds
(``ALMS_BENCH_SUMMARY_REPEAT``, default 7 for the two goal cases: a run's wall time on this
machine swings by a fifth from one run to the next; ``ALMS_BENCH_REPEAT``, default 3, for the
10M-line case) and the peak RSS are printed, with the toolkit's ratio to bare pandas: the
median of each round's ratio (the two ran side by side), with the lowest and highest. The baselines (benchmarks/baselines/) compute the comparable part of the work;
their figures are checked against the toolkit's on every run.

Then one instrumented run of ``audit()`` (benchmarks/steps.py) splits the toolkit's time into
every engine step; the steps add up to the audit's total.

Goals (issue 16): online_retail within 1.5x of tuned bare pandas; 50k clients within 2x.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import cases
from paired import (
    REPEAT,
    Series,
    alms,
    baseline,
    cell,
    load_note,
    paired,
    python,
    record_goal,
    run_child,
)

HERE = Path(__file__).resolve().parent
GOALS = {"online_retail": 1.5, "50k clients, 1M lines": 2.0}
#: issue 16: memory at 10M lines no higher than when it was filed: 2.1 GB against bare pandas'
#: 2.0 GB then, on the generated file of that day. The generated file has changed since (bare
#: pandas peaks at about 3.1 GB on today's), so the goal is the ratio on the same file.
MEMORY_10M_RATIO = 2.1 / 2.0
VARIANTS = ("bare pandas", "toolkit", "DuckDB", "polars")
#: rounds of the two goal cases (the 10M-line one: ALMS_BENCH_REPEAT)
GOAL_REPEAT = int(os.environ.get("ALMS_BENCH_SUMMARY_REPEAT", "7"))
FIGURES = ("n_clients", "n_key", "cutoff", "revenue_total", "key_revenue")
#: steps shorter than this are summed into one "other steps" entry of the step line
SHOWN_STEP = 0.01


def _micros(text: str | None) -> int | None:
    return None if text is None else int(Decimal(text) * 1_000_000)


def _toolkit_figures(summary: dict) -> dict:
    return {"n_clients": summary["n_clients"], "n_key": summary["n_key"],
            "cutoff": _micros(summary["cutoff"]), "revenue_total": _micros(summary["revenue_total"]),
            "key_revenue": _micros(summary["key_revenue"])}


def _agreement(series: dict[str, Series]) -> str:
    """Whether each baseline's figures equal the toolkit's (n_clients, n_key, cut-off, totals)."""
    tool = series["toolkit"].good
    if not tool:
        return "toolkit failed: no figures to compare"
    ref = _toolkit_figures(tool[0].json())
    out = []
    for name in ("bare pandas", "DuckDB", "polars"):
        runs = series[name].good if name in series else []
        if not runs:
            continue
        got = {k: runs[0].json().get(k) for k in FIGURES}
        diff = [k for k in FIGURES if got[k] != ref[k]]
        out.append(f"{name} {'same' if not diff else 'DIFFERENT ' + ', '.join(f'{k} {got[k]} vs {ref[k]}' for k in diff)}")
    return (f"figures (n_clients {ref['n_clients']:,}, n_key {ref['n_key']:,}, cut-off "
            f"{ref['cutoff'] / 1e6:,.2f}): " + "; ".join(out))


def _available(module: str) -> bool:
    return run_child(python("-c", f"import {module}")).ok


def measure(case: cases.Case) -> dict[str, Series]:
    variants = [("bare pandas", baseline("bare_pandas", case.spec_file)), ("toolkit", alms("summary", case.folder))]
    if _available("duckdb"):
        variants.append(("DuckDB", baseline("duckdb_sql", case.spec_file)))
    if _available("polars"):
        variants.append(("polars", baseline("polars_lazy", case.spec_file)))
    return paired(variants, repeat=GOAL_REPEAT if case.name in GOALS else REPEAT, progress=case.name)


def round_ratios(tool: Series, bare: Series) -> list[float]:
    """The toolkit's wall time over bare pandas', round by round (both runs of a round done)."""
    return [t.wall / b.wall for t, b in zip(tool.runs, bare.runs, strict=True) if t.ok and b.ok]


def step_line(case: cases.Case) -> str:
    run = run_child(python(HERE / "steps.py", case.folder))
    if not run.ok:
        return f"  steps: FAILED ({run.error_line()})"
    d = run.json()
    steps = d["steps"]
    shown = {k: v for k, v in steps.items() if v >= SHOWN_STEP}
    rest = {k: v for k, v in steps.items() if v < SHOWN_STEP}
    parts = [f"{k}{'' if d['calls'][k] == 1 else ' x' + str(d['calls'][k])} {v:.2f}" for k, v in shown.items()]
    if rest:
        parts.append(f"{len(rest)} other steps {sum(rest.values()):.2f}")
    lines = [f"  audit() steps, one instrumented run, own seconds in call order (sum {d['steps_sum']:.2f} s"
             f" = audit {d['audit']:.2f} s; process start + imports {d['imports'] + d['instrument']:.2f} s,"
             f" summary JSON {d['summary_json']:.2f} s, wall {run.wall:.2f} s):"]
    line = "   "
    for p in parts:
        if len(line) + len(p) > 110:
            lines.append(line.rstrip(","))
            line = "   "
        line += f" {p},"
    lines.append(line.rstrip(","))
    return "\n".join(lines)


def report(case: cases.Case, series: dict[str, Series]) -> list[str]:
    bare = series["bare pandas"]
    out = [f"{case.name} ({case.lines:,} lines): median of {len(bare.runs)} paired runs, each in a fresh process"]
    for name in VARIANTS:
        if name in series:
            cpu_ratio = (f", {series[name].cpu / bare.cpu:.2f}x" if name != "bare pandas" and bare.good
                         and series[name].good else "")
            out.append(f"  {name:<12} {cell(series[name], bare if name != 'bare pandas' else None):<34}"
                       f" CPU {series[name].cpu:.2f} s{cpu_ratio}")
    out.append("  " + _agreement(series))
    return out


def main(argv: list[str]) -> None:
    print(__doc__.split("\n\n")[0])
    with tempfile.TemporaryDirectory(prefix="bench-summary-") as tmp:
        todo: list[cases.Case] = []
        retail = cases.online_retail(Path(tmp))
        if retail is None:
            print(f"(online_retail skipped: {cases.datasets.ONLINE_RETAIL} not found)")
        else:
            todo.append(retail)
        todo.append(cases.sample_case(50_000, 1_000_000))
        if cases.BIG or "--10m" in argv:
            todo.append(cases.sample_case(50_000, 10_000_000))
        goals = []
        for case in todo:
            series = measure(case)
            print("\n".join(report(case, series)))
            print(step_line(case), flush=True)
            tool, bare = series["toolkit"], series["bare pandas"]
            ratios = round_ratios(tool, bare)
            ratio = statistics.median(ratios) if ratios else None
            if case.name in GOALS:
                goal = GOALS[case.name]
                spread = f" ({min(ratios):.2f}-{max(ratios):.2f}, {len(ratios)} rounds)" if ratios else ""
                cpu = f", CPU {tool.cpu / bare.cpu:.2f}x" if ratio else ""
                print(f"  toolkit / bare pandas, round by round: {', '.join(f'{r:.2f}' for r in ratios)}")
                goals.append(record_goal(
                    f"alms summary {case.name}: <= {goal}x bare pandas",
                    f"{ratio:.2f}x{spread}{cpu}" if ratio else "failed", None if ratio is None else ratio <= goal))
            else:  # the 10M case: memory no higher, against bare pandas, than when the issue was filed
                memory = tool.peak_mb / bare.peak_mb if ratio else None
                goals.append(record_goal(
                    f"alms summary {case.name}: peak <= {MEMORY_10M_RATIO:.2f}x bare pandas'",
                    f"{tool.peak_mb:,.0f} MB vs {bare.peak_mb:,.0f} MB ({memory:.2f}x; time {ratio:.2f}x)"
                    if memory else "failed", None if memory is None else memory <= MEMORY_10M_RATIO))
    if not (cases.BIG or "--10m" in argv):
        print(f"\n10M-line case not run (minutes, ~1 GB of CSV): {cases.HOW_TO_BIG}")
    print(f"\nGoals ({load_note()} at the end):")
    print("\n".join(f"  {g}" for g in goals))


if __name__ == "__main__":
    main(sys.argv[1:])
