"""A command stopped from outside (Ctrl-C, or SIGTERM from a scheduler or `kill`) stops the
same clean way: the run's own clean-up runs (nothing half-written is published)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

from .. import stop

__all__ = ["sigterm_as_interrupt"]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    stop.request()  # honoured before publishing, whatever happens to the exception below
    if _in_finalizer(frame):
        return  # an exception raised in __del__ is only printed (a traceback): the run stops at its next check
    raise KeyboardInterrupt


def _in_finalizer(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises KeyboardInterrupt in the main thread, like Ctrl-C."""
    stop.clear()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
