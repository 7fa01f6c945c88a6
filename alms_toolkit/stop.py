"""A stop asked from outside (SIGTERM from a scheduler or ``kill``) is honoured even when a
library swallows the KeyboardInterrupt it raises (an exception raised inside a finalizer,
``__del__``, is only printed): the request is remembered, and a run checks it at its last
safe point, before it publishes anything."""

from __future__ import annotations

__all__ = ["request", "clear", "requested", "check"]

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
