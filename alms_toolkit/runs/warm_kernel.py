"""The audit notebook's kernel, started while the runner reads the client's files.

A kernel takes about a second to start and the notebook's first cell another second or more
to import the report's libraries (pandas, matplotlib, the toolkit's views): work that needs
nothing from the client's files. :class:`WarmKernel` starts the kernel in the background as
the run begins and has it import the modules the notebook's own code cells import (read from
the notebook: its top-level ``import`` and ``from ... import`` statements, modules only, no
name is bound in the kernel); the notebook then runs in that kernel
(:meth:`WarmKernel.manager`), so the read of the files and the kernel's start overlap. Once
the runner has stored the audit, the kernel also imports the modules of the stored audit's
types (:meth:`WarmKernel.also_import`), which the notebook's first cell reads back.

The kernel is the one papermill would start (the same kernel name, working folder and
arguments), and nothing else runs in it: the notebook finds a fresh namespace, its first
cell's execution count is 1. A kernel that cannot be started or warmed here is not an error:
:meth:`WarmKernel.manager` returns None and papermill starts its own, the way the run always
did (a start-up failure is then reported as before). :meth:`WarmKernel.close` shuts the
kernel down, whatever happened.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["WarmKernel", "imported_modules", "close_thread_event_loop"]

#: seconds the kernel gets to start and import; beyond them papermill starts its own
_READY_TIMEOUT = 60.0
#: seconds a kernel shutting down gracefully gets before it is killed
_GRACE = 10.0
#: the client papermill's nbclient is handed: asynchronous, so its loop notices a kernel that
#: dies; its readiness check is jupyter_client's own, which ends by waiting for 0.2 s of IOPub
#: silence (a check without that wait, tried for 0.2 s of every audit, lost a first cell's
#: output once under load: tests/test_warm_kernel.py)
_ASYNC_CLIENT = "jupyter_client.asynchronous.AsyncKernelClient"


@functools.cache
def _manager_class() -> type:
    """jupyter_client's KernelManager, recording the clients made from it once it is handed
    over (``alms_clients``): nbclient does not close the client it makes from a kernel it was
    handed, :meth:`WarmKernel.release` does (the warm-up's own client is closed by the thread
    that made it)."""
    from jupyter_client.manager import KernelManager

    class TrackedKernelManager(KernelManager):
        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            if "alms_clients" in self.__dict__:
                self.__dict__["alms_clients"].append(made)
            return made

    return TrackedKernelManager


def imported_modules(cells: Sequence[str]) -> tuple[str, ...]:
    """The modules the code cells import at their top level, in order, each once
    (``from a.b import c`` gives ``a.b``, then ``a.b.c``, which the warm-up imports only if it
    is a module: ``c`` may as well be a name ``a.b`` defines; relative imports and cells that do
    not parse, such as ones holding IPython magics, are left out)."""
    out: dict[str, None] = {}
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                out.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                out[node.module] = None
                out.update(dict.fromkeys(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"))
    return tuple(out)


def _warm_up_code(modules: Sequence[str]) -> str:
    """Code importing ``modules`` without binding a name in the kernel's namespace. As
    ``from a.b import c`` does, ``a.b.c`` is imported only when ``a.b`` has no ``c`` of its
    own (it may be a name ``a.b`` defines, not a module); a module not found (the name, or a
    package above it) is passed over: the notebook's own import reports it, in its words."""
    return (f"for __alms_module in {list(modules)!r}:\n"
            "    __alms_parent, _, __alms_name = __alms_module.rpartition('.')\n"
            "    if __alms_parent in __import__('sys').modules and hasattr(__import__('sys').modules[__alms_parent], __alms_name):\n"
            "        continue\n"
            "    try:\n"
            "        __import__('importlib').import_module(__alms_module)\n"
            "    except ModuleNotFoundError as __alms_missing:\n"
            "        if not (__alms_module + '.').startswith((__alms_missing.name or '?') + '.'):\n"
            "            raise\n"
            "del __alms_module, __alms_parent, __alms_name\n")


class WarmKernel:
    """A kernel started in the background and made to import ``modules``."""

    def __init__(self, *, kernel_name: str, cwd: Path, extra_arguments: Sequence[str],
                 modules: Sequence[str]) -> None:
        import queue

        self._km: Any = None
        self._failed = False
        self._lock = threading.Lock()
        self._closed = False
        #: more modules to import (:meth:`also_import`); None: hand the kernel over
        self._more: queue.Queue[tuple[str, ...] | None] = queue.Queue()
        self._stopping: threading.Thread | None = None
        self._thread = threading.Thread(
            target=self._start, args=(kernel_name, cwd, list(extra_arguments), tuple(modules)),
            daemon=True, name="alms-kernel")
        self._thread.start()

    def _start(self, kernel_name: str, cwd: Path, extra_arguments: list[str], modules: tuple[str, ...]) -> None:
        try:
            km = _manager_class()(kernel_name=kernel_name)
            with self._lock:
                if self._closed:
                    return
                self._km = km
                # the kernel's own log lines (a ZMQ socket closed under it while a stop ends the
                # run prints a traceback) are no output of the audit's: cells report through messages
                km.start_kernel(extra_arguments=extra_arguments, cwd=str(cwd),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            client = km.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=_READY_TIMEOUT)
                batch: tuple[str, ...] | None = modules
                while batch is not None:  # an import failing here fails in the notebook too, reported there
                    if batch:
                        msg_id = client.execute(_warm_up_code(batch), silent=True, store_history=False)
                        while client.get_shell_msg(timeout=_READY_TIMEOUT).get("parent_header", {}).get("msg_id") != msg_id:
                            pass
                    batch = self._more.get()
            finally:
                client.stop_channels()
        except Exception:  # noqa: BLE001 - papermill starts its own kernel and reports any failure
            self._failed = True
        finally:
            close_thread_event_loop()

    def also_import(self, modules: Sequence[str]) -> None:
        """Have the kernel import ``modules`` too (after the first ones), before it is handed
        over: what the runner learns once the files are read (the stored audit's types)."""
        self._more.put(tuple(modules))

    def manager(self) -> Any | None:
        """The started kernel's manager (after its imports), or None when it could not be
        started: then papermill starts a kernel itself."""
        self._more.put(None)
        self._thread.join(_READY_TIMEOUT + 5.0)
        if self._thread.is_alive() or self._failed or self._km is None or not self._km.has_kernel:
            self.close()
            return None
        self._km.client_class = _ASYNC_CLIENT  # the warm-up's own client was a blocking one
        self._km.__dict__["alms_clients"] = []
        return self._km

    def release(self) -> None:
        """The notebook has run (call it from the thread that ran it): close the clients made
        from the kernel (their channels, heartbeat thread and sockets) and shut the kernel down
        gracefully, so its exit handlers run, in the background while the run writes the
        report; :meth:`close` waits for it."""
        with self._lock:
            km, self._km = self._km, None
        if km is None:
            return
        for client in km.__dict__.get("alms_clients", ()):
            with contextlib.suppress(Exception):
                client.stop_channels()
        self._stopping = threading.Thread(target=_shut_down_in_background, args=(km,), daemon=True,
                                          name="alms-kernel-stop")
        self._stopping.start()

    def close(self) -> None:
        """Shut the kernel down: after :meth:`release`, its graceful shutdown is waited for (and
        ended); otherwise (the run stopped before or during the notebook) it is killed at once.
        Clients another thread may still hold are left to it."""
        self._more.put(None)
        with self._lock:
            self._closed = True
            km, self._km = self._km, None
        if self._stopping is not None:
            self._stopping.join(_GRACE)
        if km is not None:
            _shut_down(km, True)


def _shut_down(km: Any, now: bool) -> None:
    """Shut ``km``'s kernel down (``now``: killed; else asked to exit, killed after a grace period)."""
    with contextlib.suppress(Exception):  # the kernel is already gone
        if km.has_kernel:
            km.shutdown_kernel(now=now)


def _shut_down_in_background(km: Any) -> None:
    """:func:`_shut_down` gracefully, in the thread :meth:`WarmKernel.release` starts for it."""
    try:
        _shut_down(km, False)
    finally:
        close_thread_event_loop()


def close_thread_event_loop() -> None:
    """Close the asyncio loop of this thread (not the main thread's), if it has one.
    jupyter_client's and nbclient's blocking calls run their coroutines in a loop they make
    for the calling thread (jupyter_core's ``run_sync``) and never close; the thread ends and
    leaves it to the garbage collector, whose clean-up then fails on the loop's own socket,
    already closed ("Exception ignored in BaseEventLoop.__del__ ... Invalid file descriptor").
    Each thread the run starts for such calls (the warm-up, the notebook, the kernel's
    shutdown) closes its loop when it is done; a caller's thread is never passed here, and
    the main thread's loop is left alone in any case (it may be a notebook's own)."""
    import asyncio
    import warnings

    if threading.current_thread() is threading.main_thread():
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:  # this thread has no loop
            return
    if not loop.is_running() and not loop.is_closed():
        loop.close()
    asyncio.set_event_loop(None)
