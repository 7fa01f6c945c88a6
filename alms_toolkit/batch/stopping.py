"""Stop a batch cleanly: SIGINT (Ctrl-C) and SIGTERM set a flag the executors poll."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["StopRequest", "handle_signals"]


class StopRequest:
    """Level 1: stop cleanly (no new client; running ones asked to stop). Level 2: kill now."""

    def __init__(self) -> None:
        self.level = 0
        self.reason: str | None = None

    def request(self, reason: str = "stop") -> None:
        self.level = min(self.level + 1, 2)
        self.reason = self.reason or reason

    def __bool__(self) -> bool:
        return self.level > 0


@contextlib.contextmanager
def handle_signals(stop: StopRequest) -> Iterator[StopRequest]:
    """While inside, SIGINT and SIGTERM call ``stop.request`` instead of ending the process
    (a second one asks to kill now). Outside the main thread nothing is installed."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: Any) -> None:
        stop.request(signal.Signals(signum).name)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
