"""Where ``audit()`` spends its time, step by step, in a fresh process (run by bench_summary).

Usage: ``python benchmarks/steps.py CLIENT_DIR`` prints one JSON line: the import time, then
for each step the seconds spent in that function itself (its own time: the steps it calls
are counted under their own names, never twice), in the order first called, and the total.
The steps add up to the total exactly: time in ``audit``/``analyse`` outside any step is their
own line.

The steps are found, not listed: every function defined at the top of ``alms_toolkit.engine``
and ``alms_toolkit.inputs``, every toolkit function those two modules import (at the top or
inside a function: ``load_ledger``, ``combine_clients_unsettled``, ``monthly_from``, ``find_insights``,
``assess_symptoms``, ...), and the ``find_*`` functions of ``alms_toolkit.analysis.insights``.
When the candidates table is settled last (no auto_accept), the fuzzy search, or the
wait for the child process searching it, is in ``analyse``'s own line, and starting that
child (``SearchAhead.prepare``/``start``) in ``load_inputs``'.
A step renamed or added in the engine is timed without changing this file. Functions called
per name or per date (``canonical_name``, ...) are left inside their callers (wrapping them
would cost more than they do).
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()

import ast  # noqa: E402
import functools  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402

SCANNED = ("alms_toolkit.engine", "alms_toolkit.inputs")
ALSO = {"alms_toolkit.analysis.insights": "find_"}
#: called once per name, date or value: timed inside their caller
PER_ITEM = {"canonical_name", "months_before", "add_months", "_json_ready", "_iso", "id_label",
            "day_text", "parse_date_argument"}

_own: defaultdict[str, float] = defaultdict(float)
_calls: Counter[str] = Counter()
_stack: list[float] = []
_first: dict[str, None] = {}  # labels in the order first called


def _timed(label: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _first.setdefault(label)
        start = time.perf_counter()
        _stack.append(0.0)
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            inner = _stack.pop()
            _own[label] += elapsed - inner
            _calls[label] += 1
            if _stack:
                _stack[-1] += elapsed

    wrapper.__wrapped_step__ = True  # type: ignore[attr-defined]
    return wrapper


def _wrap(module, name: str, label: str) -> None:
    fn = getattr(module, name, None)
    if inspect.isfunction(fn) and not getattr(fn, "__wrapped_step__", False) and name not in PER_ITEM:
        setattr(module, name, _timed(label, fn))


def instrument() -> list[str]:
    """Wrap every step (see the module docstring); returns the labels wrapped."""
    targets: dict[tuple[str, str], str] = {}
    for mod_name in SCANNED:
        module = importlib.import_module(mod_name)
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                targets[(mod_name, node.name)] = node.name
        package = mod_name.rsplit(".", 1)[0]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not (node.level or (node.module or "").startswith("alms_toolkit")):
                continue
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            for alias in node.names:
                try:
                    source = importlib.import_module(base)
                except ImportError:
                    continue
                if inspect.isfunction(getattr(source, alias.name, None)):
                    targets[(base, alias.name)] = alias.name
                    if hasattr(module, alias.asname or alias.name):  # imported at the top: the module's own name too
                        targets[(mod_name, alias.asname or alias.name)] = alias.name
    for mod_name, prefix in ALSO.items():
        module = importlib.import_module(mod_name)
        for name, fn in vars(module).items():
            if name.startswith(prefix) and inspect.isfunction(fn) and fn.__module__ == mod_name:
                targets[(mod_name, name)] = name
    for (mod_name, name), label in targets.items():
        _wrap(importlib.import_module(mod_name), name, label)
    return sorted(set(targets.values()))


def main(folder: str) -> None:
    import alms_toolkit.engine as engine

    imported = time.perf_counter()
    instrument()
    start = time.perf_counter()
    result = engine.audit(folder)
    audited = time.perf_counter()
    steps = {k: _own[k] for k in _first}
    calls = {k: _calls[k] for k in _first}
    text = json.dumps(result.summary())
    done = time.perf_counter()
    print(json.dumps({
        "imports": imported - _T0, "instrument": start - imported, "audit": audited - start,
        "summary_json": done - audited, "steps": steps, "calls": calls,
        "steps_sum": sum(steps.values()), "n_clients": json.loads(text)["n_clients"],
    }))


if __name__ == "__main__":
    main(sys.argv[1])
