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
the search is asked again for them (:meth:`SearchAhead.restart`).
A search still running when the audit ends (a refused ledger, a stop) is ended.

It is used only where it pays: at least :data:`MIN_NAMES` distinct spellings and two usable
cores. For a ledger file of :data:`MIN_BYTES` or more the child is started before the ledger
is read (:meth:`SearchAhead.prepare`), so that its start-up overlaps the reading, and it is
given the client column's spellings as soon as the reading has them
(:meth:`SearchAhead.names_read`), while the rows are still being sorted out; when the
spellings the audit matches turn out to be others (rows left out named some), it is asked
again for those and gives up the first search.

The child reads requests, one JSON object a line, ``{"id": n, "names": [...], "threshold": t}``,
on its standard input and writes, on its standard output, for each request it does not give
up: first ``{"id": n, "keys": [...]}`` on one line (each name's canonical key, which the
audit's combine step takes rather than working them out again: :meth:`SearchAhead.share_keys`),
then ``{"id": n, "digest": ..., "pairs": [[a, b, score], ...]}``. A request is given up when
another one comes while it is searched; the child ends when its input is closed.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
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
        texts = [name for name in loaded.factorized(frame, "client").uniques.tolist() if isinstance(name, str)]
        seen.update(dict.fromkeys(map(spelling_of.get, texts, texts) if spelling_of else texts))
    return list(seen)


class SearchAhead:
    """The candidate search of one audit, started ahead in a child process (see the module
    docstring). Use as a context manager: leaving it ends a search still running."""

    def __init__(self, *, min_names: int | None = None, min_bytes: int | None = None) -> None:
        self._min_names = MIN_NAMES if min_names is None else min_names
        self._min_bytes = MIN_BYTES if min_bytes is None else min_bytes
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None  # reads the child's answers
        self._writer: threading.Thread | None = None  # writes the requests to the child
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._threshold: float | None = None
        self._changed = threading.Condition()  # guards what follows; notified on each change
        self._ready = False  # the child's imports are done
        self._gone = False  # the child said all it will say (ended, failed, never ready)
        self._sent: list[list[str]] = []  # the names of each request, in order (its id: place + 1)
        self._keys: dict[int, list[str]] = {}  # a request's canonical keys, as the child worked them out
        self._answers: dict[int, tuple[str, list[Any]]] = {}  # a request's digest and pairs

    @property
    def _names(self) -> list[str]:
        """The names of the request the audit waits for (the last one sent)."""
        return self._sent[-1] if self._sent else []

    # -------------------------------------------------------------------- starting
    def prepare(self, config: ClientConfig) -> None:
        """Start the child before the ledger is read when the ledger's file is large
        (:data:`MIN_BYTES`), so that its start-up and imports overlap the reading; it waits
        for the names (:meth:`names_read`, :meth:`start`)."""
        if self._process is not None or usable_cores() < 2:
            return
        try:
            size = Path(config.billing.file).stat().st_size
        except OSError:
            return
        if size >= self._min_bytes:
            self._spawn()

    def names_read(self, names: Sequence[str], threshold: float) -> None:
        """The client column's spellings as soon as the reading has them, before the rows are
        sorted out: the child prepared for a large file (:meth:`prepare`) starts on them while
        the reading goes on. :meth:`start` then checks them against the spellings the audit
        matches (the rows left out may name others: a 'Grand Total', a client billed after
        ``as_of``) and asks for those instead when they differ."""
        if self._process is None or self._sent or len(names) < self._min_names:
            return
        self._send(list(names), float(threshold))

    def start(self, loaded: LoadedLedger, spelling_of: Mapping[str, str] | None = None) -> bool:
        """Search the loaded ledger's spellings ahead when it pays (enough names, a second
        core); True when the search was started (or the one started on the names read is for
        these very spellings). A child started by :meth:`prepare` for a ledger with fewer names
        is ended. ``spelling_of``: a label -> the spelling it stands for."""
        names = _spellings(loaded, spelling_of or {}) if usable_cores() >= 2 else []
        if len(names) < self._min_names:
            self.close()
            return False
        threshold = float(loaded.config.matching.threshold)
        if self._sent and self._threshold == threshold and set(self._sent[-1]) == set(names):
            return True  # the names read are these: the search is on already
        if self._process is None and self._spawn() is None:
            return False
        self._send(names, threshold)
        return True

    def restart(self, loaded: LoadedLedger, shared: Mapping[str, Sequence[str]]) -> bool:
        """Search again, for ``loaded``'s spellings (the ledger with its branches rolled up to
        their parents: other names than those sent): the child gives up the search it is on.
        ``shared``: each spelling split by client id -> its labels (``Name (ID 1001)``), which
        are matched as the spelling itself."""
        if self._gone:  # a child that ended answers nothing more: another one
            self.close()
            self._process = self._thread = self._writer = None
            self._outbox, self._ready, self._gone = queue.Queue(), False, False
            self._sent, self._keys, self._answers = [], {}, {}
        return self.start(loaded, {label: name for name, labels in shared.items() for label in labels})

    def _send(self, names: list[str], threshold: float) -> None:
        """Ask the child for ``names``' candidates (it gives up a search still running for
        names asked before)."""
        process = self._process
        if process is None:
            return
        with self._changed:
            self._sent.append(names)
            self._threshold = threshold
            number = len(self._sent)
        # ASCII JSON on one line: any text goes through the pipe, a lone surrogate included
        self._outbox.put(json.dumps({"id": number, "names": names, "threshold": threshold}).encode("ascii") + b"\n")
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, args=(process,),
                                            name="alms-candidate-search", daemon=True)
            self._writer = threading.Thread(target=self._write, args=(process,),
                                            name="alms-candidate-requests", daemon=True)
            self._thread.start()
            self._writer.start()

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
                f"code = _main({me!r}, {os.getpid()})\n"
                # no tidying up at the end (the audit waits for this process to end)
                "sys.stdout.flush()\nos._exit(code)\n")
        try:
            self._process = subprocess.Popen(
                [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-c", code],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError, TypeError):
            return None
        return self._process

    def _write(self, process: subprocess.Popen[bytes]) -> None:
        """Write each request as it comes; None (or a child gone): close the child's input."""
        stdin = process.stdin
        assert stdin is not None
        with contextlib.suppress(OSError, ValueError), stdin:
            while (request := self._outbox.get()) is not None:
                stdin.write(request)
                stdin.flush()

    def _listen(self, process: subprocess.Popen[bytes]) -> None:
        """Read what the child says: that it is ready, then each request's keys and answer."""
        stdout = process.stdout
        assert stdout is not None
        try:
            if stdout.readline() != _READY:
                return
            with self._changed:
                self._ready = True
                self._changed.notify_all()
            for line in stdout:
                self._take(line)
        except (OSError, ValueError):
            return
        finally:
            with contextlib.suppress(OSError):
                stdout.close()
            with self._changed:
                self._ready = self._gone = True  # ready or gone: nothing more to wait for
                self._changed.notify_all()

    def _take(self, line: bytes) -> None:
        """One line of the child: ``{"id", "keys"}`` (the canonical key of each name of that
        request, in order) or ``{"id", "digest", "pairs"}``."""
        try:
            data = json.loads(line)
            number = int(data["id"])
        except (ValueError, KeyError, TypeError):
            return
        with self._changed:
            if not 0 < number <= len(self._sent):
                return
            keys = data.get("keys")
            if isinstance(keys, list) and len(keys) == len(self._sent[number - 1]) and all(
                    isinstance(k, str) for k in keys):
                self._keys[number] = keys
            elif isinstance(data.get("digest"), str) and isinstance(data.get("pairs"), list):
                self._answers[number] = (data["digest"], data["pairs"])
            self._changed.notify_all()

    def share_keys(self, wait: float = KEYS_SECONDS) -> bool:
        """Let this process know the canonical keys the child worked out for the names sent
        (:func:`~.names.remember_keys`: the combine step then finds them known), waiting for
        them at most ``wait`` seconds; False when they were not there (nothing changes: the
        keys are worked out where they are needed, the same keys)."""
        with self._changed:
            number = len(self._sent)
            if not number or not self._changed.wait_for(lambda: number in self._keys or self._gone, wait):
                return False
            keys, names = self._keys.get(number), self._sent[number - 1]
        if keys is None:
            return False
        from .names import remember_keys

        remember_keys(names, keys)
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
        if not self._sent or self._threshold != float(threshold):
            return None
        number = len(self._sent)
        with self._changed:
            if not self._changed.wait_for(lambda: self._ready, READY_SECONDS):  # not a Python of ours
                ready = False
            else:
                ready = True
                self._changed.wait_for(lambda: number in self._answers or self._gone)
                answer = self._answers.get(number)
        if not ready:
            self.close()  # search here
            return None
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
        """End the child: one that answered all it was asked ends by itself when its input is
        closed; one still searching (or still waiting for names) is ended."""
        process = self._process
        if process is None:
            return
        with self._changed:
            answered = bool(self._sent) and len(self._sent) in self._answers
        self._outbox.put(None)
        if not answered and process.poll() is None:
            process.kill()
        for thread in (self._writer, self._thread):
            if thread is not None:
                thread.join()
        if self._thread is None:
            process.communicate()  # closes its pipes
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        process.wait()  # reaped, also when a stop cut a wait short

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


class _Superseded(Exception):
    """Other names were asked for while a search ran: it is given up."""


def _main(expected: str | None = None, parent: int | None = None) -> int:
    """The child: requests in, candidates out (see the module docstring). ``expected``: the
    path of the parent's copy of this module; another copy found here answers nothing (exit 3).
    ``parent``: the parent's process id, watched. Each request is a line of JSON (``id``,
    ``names``, ``threshold``); one still being searched when another comes is given up (between
    the search's steps). Candidates the user's cache holds for a request's names are read from
    it (:mod:`.candidate_cache`), not searched again."""
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

    inbox: queue.Queue[bytes | None] = queue.Queue()

    def read() -> None:
        for line in sys.stdin.buffer:
            inbox.put(line)
        inbox.put(None)  # the audit is done asking

    threading.Thread(target=read, daemon=True).start()

    def between() -> None:
        if not inbox.empty():
            raise _Superseded

    def say(message: dict[str, Any]) -> None:
        sys.stdout.buffer.write(json.dumps(message, allow_nan=False).encode("ascii") + b"\n")
        sys.stdout.buffer.flush()

    sys.stdout.buffer.write(_READY)  # the imports are done (while the parent read the ledger)
    sys.stdout.buffer.flush()
    while (given := inbox.get()) is not None:
        if not inbox.empty():
            continue  # asked again already: the later request is the one
        data = json.loads(given)
        number, threshold = int(data["id"]), float(data["threshold"])
        per_name = canonical_keys([str(n) for n in data["names"]])
        # the keys first: the audit is about to need them (SearchAhead.share_keys)
        say({"id": number, "keys": per_name})
        keys = list(dict.fromkeys(per_name))
        try:
            found = cached_candidates(keys, threshold, functools.partial(find_candidates, workers=1,
                                                                         between=between))
        except _Superseded:
            continue
        pairs = [[str(a), str(b), float(s)] for a, b, s in
                 zip(found["key_a"], found["key_b"], found["score"], strict=True)]
        say({"id": number, "digest": names_digest(keys, threshold), "pairs": pairs})
    return 0
