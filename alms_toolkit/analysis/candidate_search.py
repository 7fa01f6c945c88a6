"""The fuzzy candidates of a large ledger, searched in a second process while the audit goes on.

The search for near-duplicate names (:func:`~alms_toolkit.analysis.matching.find_candidates`)
is the longest single step of a big audit (about 2 s for 50,000 names) and runs in Python,
one core. On a machine with a second core, :class:`SearchAhead` starts it in a child process
as soon as the ledger is loaded, given the loaded spellings. Meanwhile the audit splits the
shared spellings, rolls up branches, makes the merges and, when there is no ``auto_accept``
(the candidates then merge nothing by themselves; a consultant's accept merges its pair
either way), every later step; the candidates table is made last (:class:`~.combine.Unsettled`).

An answer is taken only when it is for exactly what the audit asks: it is made by the same
module (:func:`_main` checks it is the parent's copy) and comes with a digest of the
canonical names searched and the threshold, which :meth:`SearchAhead.find` compares with
the names at hand. A different set (a label that reads like a name), a child that failed or
could not be started: the audit does the work itself, as before. Searching ahead can make an
audit faster, never different. Branches rolled up to their parent account are other names:
the search is started again for them (:meth:`SearchAhead.restart`).
A search still running when the audit ends (a refused ledger, a stop) is ended.

It is used only where it pays: at least :data:`MIN_NAMES` distinct spellings and two usable
cores. For a ledger file of :data:`MIN_BYTES` or more the child is started before the ledger
is read (:meth:`SearchAhead.prepare`), so that its start-up overlaps the reading. The child
reads ``{"names": [...], "threshold": t}`` as JSON on its standard input and writes, on its
standard output, first ``{"keys": [...]}`` on one line (each name's canonical key, which the
audit's combine step takes rather than working them out again: :meth:`SearchAhead.share_keys`),
then ``{"digest": ..., "pairs": [[a, b, score], ...]}``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pandas as pd

from .candidate_cache import names_digest

if TYPE_CHECKING:
    from ..config import ClientConfig
    from ..io.ledger import LoadedLedger

__all__ = ["SearchAhead", "Finder", "MIN_NAMES", "MIN_BYTES", "READY_SECONDS", "KEYS_SECONDS", "ENV_VAR",
           "usable_cores"]

#: fewer distinct spellings than this: the search is short, the audit does it itself
MIN_NAMES = 10_000
#: a ledger file this large: the child is started before the ledger is read
MIN_BYTES = 16_000_000
#: seconds the audit waits for the child to be ready (its imports; under a second when it is a
#: Python of this toolkit) before it searches itself
READY_SECONDS = 30.0
#: seconds the audit waits for the child's canonical keys of the names sent (it works them out
#: first, in about the time the audit takes to reach the step that needs them) before it
#: works them out itself: at most about what working them out costs the audit
KEYS_SECONDS = 0.25
#: ``ALMS_SEARCH_AHEAD=off`` (or 0, no, false): never start a child
ENV_VAR = "ALMS_SEARCH_AHEAD"
_READY = b"ready\n"
_FRAMES = ("ledger", "zero_rows", "earlier")

Finder = Callable[[Sequence[str], float], pd.DataFrame]


def usable_cores() -> int:
    """The cores this audit may keep busy (:func:`alms_toolkit.cores.client_cores`: fewer in a
    batch); 1 when searching ahead is switched off (:data:`ENV_VAR`)."""
    if os.environ.get(ENV_VAR, "").strip().lower() in ("off", "0", "no", "false"):
        return 1  # switched off: as on one core
    from ..cores import client_cores

    return client_cores()


def _spellings(loaded: LoadedLedger, spelling_of: Mapping[str, str]) -> list[str]:
    """The distinct client spellings of the loaded ledger's frames, a label given for a client
    id read as its spelling (``spelling_of``): what combine_clients matches."""
    seen: dict[str, None] = {}
    for frame in _FRAMES:
        table = getattr(loaded, frame, None)
        if table is None or table.empty or "client" not in table.columns:
            continue
        for name in loaded.factorized(frame, "client").uniques:
            if isinstance(name, str):
                seen[spelling_of.get(name, name)] = None
    return list(seen)


class SearchAhead:
    """The candidate search of one audit, started ahead in a child process (see the module
    docstring). Use as a context manager: leaving it ends a search still running."""

    def __init__(self, *, min_names: int | None = None, min_bytes: int | None = None) -> None:
        self._min_names = MIN_NAMES if min_names is None else min_names
        self._min_bytes = MIN_BYTES if min_bytes is None else min_bytes
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._threshold: float | None = None
        self._answer: tuple[str, list[Any]] | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()  # the child's imports are done (or the child is gone)
        self._names: list[str] = []  # the names sent
        self._keys: list[str] | None = None  # their canonical keys, as the child worked them out
        self._keys_told = threading.Event()  # the child said them (or is gone)

    # -------------------------------------------------------------------- starting
    def prepare(self, config: ClientConfig) -> None:
        """Start the child before the ledger is read when the ledger's file is large
        (:data:`MIN_BYTES`), so that its start-up and imports overlap the reading; it waits
        for :meth:`start`'s names."""
        if self._process is not None or usable_cores() < 2:
            return
        try:
            size = Path(config.billing.file).stat().st_size
        except OSError:
            return
        if size >= self._min_bytes:
            self._spawn()

    def start(self, loaded: LoadedLedger, spelling_of: Mapping[str, str] | None = None) -> bool:
        """Search the loaded ledger's spellings ahead when it pays (enough names, a second
        core); True when the search was started. A child started by :meth:`prepare` for a
        ledger with fewer names is ended. ``spelling_of``: a label -> the spelling it stands for."""
        names = _spellings(loaded, spelling_of or {}) if usable_cores() >= 2 else []
        if len(names) < self._min_names:
            self.close()
            return False
        threshold = float(loaded.config.matching.threshold)
        process = self._process or self._spawn()
        if process is None or self._thread is not None:
            return False
        # ASCII JSON: any text goes through the pipe, a lone surrogate included
        payload = json.dumps({"names": names, "threshold": threshold}).encode("ascii")
        self._threshold, self._names = threshold, names
        self._thread = threading.Thread(target=self._talk, args=(process, payload),
                                        name="alms-candidate-search", daemon=True)
        self._thread.start()
        return True

    def restart(self, loaded: LoadedLedger, shared: Mapping[str, Sequence[str]]) -> bool:
        """Search again, for ``loaded``'s spellings (the ledger with its branches rolled up to
        their parents: other names than those sent), ending the search started for the others.
        ``shared``: each spelling split by client id -> its labels (``Name (ID 1001)``), which
        are matched as the spelling itself."""
        self.close()
        self._process, self._thread, self._threshold = None, None, None
        self._ready, self._keys_told = threading.Event(), threading.Event()
        with self._lock:
            self._answer, self._keys = None, None
        return self.start(loaded, {label: name for name, labels in shared.items() for label in labels})

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        # a Python to run: not in a frozen program, nor where sys.executable is another program
        # (an embedding server): the child must say it is ready (:data:`READY_SECONDS`)
        if not sys.executable or getattr(sys, "frozen", False):
            return None
        # this very module in the child: its folder on the path when it is not there already
        # (a checkout put on the path at run time), never the current folder (-P, and removed by
        # hand for Python 3.10); the child answers nothing when it imported another copy
        me = str(Path(__file__).resolve())
        here = str(Path(me).parents[2])
        # the search gives way to the audit's own process (its reading threads) from its first
        # import on: its start-up overlaps the reading of the ledger (:meth:`prepare`)
        code = ("import os, sys\n"
                "try:\n    os.nice(10)\nexcept (OSError, AttributeError):\n    pass\n"
                "if sys.path and sys.path[0] == '': del sys.path[0]\n"
                f"if {here!r} not in sys.path: sys.path.insert(0, {here!r})\n"
                "from alms_toolkit.analysis.candidate_search import _main\n"
                f"sys.exit(_main({me!r}, {os.getpid()}))\n")
        try:
            self._process = subprocess.Popen(
                [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-c", code],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError, TypeError):
            return None
        return self._process

    def _talk(self, process: subprocess.Popen[bytes], payload: bytes) -> None:
        stdin, stdout = process.stdin, process.stdout
        assert stdin is not None and stdout is not None
        try:
            if stdout.readline() != _READY:
                return
            self._ready.set()
            with stdin:
                stdin.write(payload)
            self._take_keys(stdout.readline())
            rest = stdout.read()
            stdout.close()
            if process.wait() != 0:
                return
            data = json.loads(rest)
            answer = (str(data["digest"]), list(data["pairs"]))
        except (OSError, ValueError, KeyError, TypeError):
            return
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for pipe in (stdin, stdout):  # also when the child never said it was ready
                with contextlib.suppress(OSError):
                    pipe.close()
            self._ready.set()  # ready or gone: nothing more to wait for
            self._keys_told.set()
        with self._lock:
            self._answer = answer

    def _take_keys(self, line: bytes) -> None:
        """The child's first line: the canonical key of each name sent, in order."""
        try:
            keys = json.loads(line)["keys"]
        except (ValueError, KeyError, TypeError):
            keys = None
        if isinstance(keys, list) and len(keys) == len(self._names) and all(isinstance(k, str) for k in keys):
            with self._lock:
                self._keys = keys
        self._keys_told.set()

    def share_keys(self, wait: float = KEYS_SECONDS) -> bool:
        """Let this process know the canonical keys the child worked out for the names sent
        (:func:`~.names.remember_keys`: the combine step then finds them known), waiting for
        them at most ``wait`` seconds; False when they were not there (nothing changes: the
        keys are worked out where they are needed, the same keys)."""
        if self._thread is None or not self._keys_told.wait(wait):
            return False
        with self._lock:
            keys = self._keys
        if keys is None:
            return False
        from .names import remember_keys

        remember_keys(self._names, keys)
        return True

    # -------------------------------------------------------------------- answering
    def find(self, fallback: Finder) -> Finder:
        """A finder for ``combine_clients``: the child's candidates when they are for these
        names and this threshold, else ``fallback(keys, threshold)``."""

        def finder(keys: Sequence[str], threshold: float) -> pd.DataFrame:
            found = self._result(keys, threshold)
            return fallback(keys, threshold) if found is None else found

        return finder

    def _result(self, keys: Sequence[str], threshold: float) -> pd.DataFrame | None:
        if self._thread is None or self._threshold != float(threshold):
            return None
        if not self._ready.wait(READY_SECONDS):  # not a Python of ours: search here
            self.close()
            return None
        self._thread.join()
        with self._lock:
            answer = self._answer
        if answer is None or answer[0] != names_digest(keys, threshold):
            return None
        from .candidate_cache import frame_of

        rows = answer[1]
        if not all(isinstance(r, list) and len(r) == 3 and isinstance(r[0], str) and isinstance(r[1], str)
                   and isinstance(r[2], float) for r in rows):
            return None
        return frame_of([(str(r[0]), str(r[1]), float(r[2])) for r in rows])

    # -------------------------------------------------------------------- ending
    def close(self) -> None:
        """End a search still running (or a child still waiting for names) and wait for it."""
        process, thread = self._process, self._thread
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        if thread is not None:
            thread.join()
        else:
            process.communicate()  # closes its pipes
        process.wait()  # reaped, also when a stop cut the thread's own wait short

    def __enter__(self) -> SearchAhead:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _watch_parent(parent: int) -> None:
    """End this process as soon as its parent is gone (killed, say, by a batch's time limit):
    a search nobody will read is not finished."""
    import time

    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(1)


def _main(expected: str | None = None, parent: int | None = None) -> int:
    """The child: names in, candidates out (see the module docstring). ``expected``: the path of
    the parent's copy of this module; another copy found here answers nothing (exit 3).
    ``parent``: the parent's process id, watched. Candidates the user's cache holds for these
    names are read from it (:mod:`.candidate_cache`), not searched again."""
    if expected is not None and str(Path(__file__).resolve()) != expected:
        return 3
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from ..collector import rarer_passes

    rarer_passes()  # this process only searches
    # the audit's own process is the one waited for: this search gives way to it (niced by
    # :meth:`SearchAhead._spawn` before its imports) and keeps to one thread
    from .candidate_cache import cached_candidates
    from .matching import find_candidates
    from .names import canonical_keys

    sys.stdout.buffer.write(_READY)  # the imports are done (while the parent read the ledger)
    sys.stdout.buffer.flush()
    given = sys.stdin.buffer.read()
    if not given:
        return 0
    data = json.loads(given)
    threshold = float(data["threshold"])
    per_name = canonical_keys([str(n) for n in data["names"]])
    # the keys first, on a line of their own: the audit is about to need them (SearchAhead.share_keys)
    sys.stdout.buffer.write(json.dumps({"keys": per_name}).encode("ascii") + b"\n")
    sys.stdout.buffer.flush()
    keys = list(dict.fromkeys(per_name))
    found = cached_candidates(keys, threshold, functools.partial(find_candidates, workers=1))
    pairs = [[str(a), str(b), float(s)] for a, b, s in
             zip(found["key_a"], found["key_b"], found["score"], strict=True)]
    answer = json.dumps({"digest": names_digest(keys, threshold), "pairs": pairs}, allow_nan=False)
    sys.stdout.buffer.write(answer.encode("ascii"))
    sys.stdout.buffer.flush()
    return 0
