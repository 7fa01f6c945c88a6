"""A stop asked from outside (Ctrl-C, or SIGTERM from a scheduler or ``kill``) stops a run the
same clean way, and is honoured even when the interrupt it raises never arrives.

:func:`signals_as_interrupt` makes SIGINT and SIGTERM raise KeyboardInterrupt in the main
thread, wherever it is, so the run's own clean-up runs (nothing half-written is published).
Where Python cannot raise it (a finalizer, ``__del__``, or a weak reference's callback, which
Python runs while freeing objects, for example in the middle of WeasyPrint's layout) it would
only report it as "Exception ignored in ..." and carry on. So the handler first remembers the
request (:func:`request`), which a run checks at its last safe point, before it publishes
anything (:func:`check`); such a report of the interrupt is kept off the console
(``sys.unraisablehook``): the run stops at its next check, with its one clean message.

Two places get no KeyboardInterrupt at all; the signal is sent again a moment later instead:
a ``__del__`` (its clean-up finishes), and code that ``exec()``/``eval()`` runs from a string
(namedtuple's and dataclasses' generated methods): an interrupt leaving such code marks the
process, in CPython, as killed by Ctrl-C, and a stopped command then ended by SIGINT instead
of exiting with its status 130."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["request", "clear", "requested", "check", "signals_as_interrupt"]

_state = {"requested": False}


def request() -> None:
    """Remember that a stop was asked."""
    _state["requested"] = True


def clear() -> None:
    """Forget any earlier request (a new command starts)."""
    _state["requested"] = False


def requested() -> bool:
    return _state["requested"]


def check() -> None:
    """Raise KeyboardInterrupt when a stop was asked (call before publishing a result)."""
    if _state["requested"]:
        raise KeyboardInterrupt


#: seconds after which a signal that could not be raised where it landed is sent again
_AGAIN = 0.05


def _interrupt(signum: int, frame: FrameType | None) -> None:
    request()  # honoured before publishing, whatever happens to the exception below
    if _in_finalizer(frame) or _in_string_code(frame):
        # not here: the finalizer finishes its clean-up, the generated code its few lines;
        # the signal comes again a moment later, where it can be raised
        threading.Timer(_AGAIN, _again, (signum,)).start()
        return
    raise KeyboardInterrupt


def _again(signum: int) -> None:
    """Send ``signum`` to this process again, if :func:`_interrupt` still handles it."""
    if signal.getsignal(signum) is _interrupt:
        os.kill(os.getpid(), signum)


def _in_string_code(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs inside code that ``exec()`` or ``eval()`` runs from a string
    (``collections.namedtuple`` and ``dataclasses`` make their methods so; pandas' itertuples
    makes a namedtuple): a KeyboardInterrupt leaving that code marks the process, in CPython,
    as ended by an unhandled Ctrl-C, however it is caught later, and the command's exit status
    130 became death by SIGINT."""
    while frame is not None and frame.f_code.co_filename == "<string>":
        if frame.f_code.co_name == "<module>":
            return True
        frame = frame.f_back
    return False


def _in_finalizer(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def signals_as_interrupt() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise KeyboardInterrupt, SIGTERM like Ctrl-C, and the
    request is remembered even where Python only reports it; on the way out, the handlers and
    the hook are put back and the request is forgotten (it was checked inside). Only the main
    thread receives signals: called from another thread, nothing is installed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    clear()
    unraisable = sys.unraisablehook

    def hook(info: Any) -> None:
        if isinstance(info.exc_value, KeyboardInterrupt) and requested():
            return  # the stop is remembered: the run honours it at its next check
        unraisable(info)

    previous = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    sys.unraisablehook = hook
    try:
        yield
    finally:
        if sys.unraisablehook is hook:  # not if something else has replaced it meanwhile
            sys.unraisablehook = unraisable
        for s, handler in previous.items():
            signal.signal(s, handler)
        clear()
