"""A command stopped from outside (Ctrl-C, or SIGTERM from a scheduler or `kill`) stops the
same clean way: the run's own clean-up runs (nothing half-written is published).

The signal raises KeyboardInterrupt in the main thread, wherever it is. Where Python cannot
raise it (a finalizer, ``__del__``, or a weak reference's callback, which Python runs while
freeing objects, for example in the middle of WeasyPrint's layout), it only reports it as
"Exception ignored in ..." and carries on. So the handler first remembers the request
(:mod:`alms_toolkit.stop`; the run checks it before it publishes anything), does not raise in
a ``__del__`` at all, and such a report of the interrupt is kept off the console
(``sys.unraisablehook``): the run stops at its next check, with the one clean message."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

from .. import stop

__all__ = ["stop_signals_as_interrupt"]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    stop.request()  # honoured before publishing, whatever happens to the exception below
    if _in_finalizer(frame):
        return  # the finalizer finishes its clean-up: the run stops at its next check
    raise KeyboardInterrupt


def _in_finalizer(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def stop_signals_as_interrupt() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise KeyboardInterrupt in the main thread (SIGTERM
    like Ctrl-C), and the request is remembered even where Python only reports it."""
    stop.clear()
    unraisable = sys.unraisablehook

    def hook(info: Any) -> None:
        if isinstance(info.exc_value, KeyboardInterrupt) and stop.requested():
            return  # the stop is remembered: the run honours it at its next check
        unraisable(info)

    previous = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = unraisable
        for s, handler in previous.items():
            signal.signal(s, handler)
