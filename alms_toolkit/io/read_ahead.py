"""A client's ledger file read in a thread while the ``alms`` command imports the rest of the
toolkit: the Arrow CSV parser releases the interpreter while it reads, so the reading of a
large file and the imports of the engine (pandas among them) overlap, and the audit finds
the file already read.

:func:`start` is called by a command that is about to audit one client in its own process
(``alms summary``, ``alms validate``); :func:`take` by :func:`~alms_toolkit.io.ledger.load_ledger`,
which uses what was read only when it was read with exactly the settings it would read the
file with, from the file as it is now (same size and modification time); else it reads the
file itself, as without this module. What was read is used once. A reading that failed
raises its error where the file would have been read (the same error), so reading ahead
changes when the file is read, never what is made of it. Text files only: a workbook is
read by Python code that would hold up the imports instead of overlapping them.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import ClientConfig
    from .readers import RawTable

__all__ = ["start", "take"]

_lock = threading.Lock()
#: the one reading started, if any: (its key, its result)
_started: list[tuple[tuple[object, ...], Future[RawTable]]] = []


def _key(config: ClientConfig) -> tuple[object, ...] | None:
    """What the reading depends on: the billing settings and the file's size and time."""
    path = Path(config.billing.file)
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns, repr(config.billing))


def start(config: ClientConfig) -> bool:
    """Start reading ``config``'s ledger in a thread (True), unless it is a workbook or cannot
    be looked at. A reading started before and never taken is dropped."""
    from .filetype import sniff_kind

    with _lock:
        _started.clear()
    key = _key(config)
    if key is None:
        return False
    try:
        if sniff_kind(Path(config.billing.file)) == "xlsx":
            return False
    except OSError:
        return False
    future: Future[RawTable] = Future()

    def read() -> None:
        try:
            from .ledger_headers import raw_ledger

            future.set_result(raw_ledger(config, ()))
        except BaseException as exc:  # handed over whole: raised again by take()
            future.set_exception(exc)

    with _lock:
        _started[:] = [(key, future)]
    threading.Thread(target=read, name="alms-read-ahead", daemon=True).start()
    return True


def take(config: ClientConfig) -> RawTable | None:
    """What :func:`start` read for ``config`` (waiting for it), if it read the file as
    ``config`` would now; its error raised again; None when nothing fits (then read it)."""
    with _lock:
        if not _started:
            return None
        key, future = _started.pop()
    if key != _key(config):
        return None
    return future.result()
