"""A run's folder, built aside and published whole: the one way ``alms audit`` and
``alms republish`` (and so every client of ``alms batch``) put their files in place.

Files are written into a hidden sibling ``.<name>.partial-XXXX``; :meth:`RunFolder.publish`
renames it into place (with ``force``, the old folder is moved aside first and deleted
after); :meth:`RunFolder.keep_failed` keeps it as ``<name>.failed`` for a consultant to look
at; anything else (an error, a stop) removes it. A reader never sees half a run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from .. import atomic, stop

__all__ = ["RunFolder"]


class RunFolder:
    """The folder one run builds. ``exists`` makes the error for a folder that is already
    there without ``force`` (raised at once, before anything is written, and again if another
    run publishes the same folder meanwhile).

    Use it as a context manager (leaving the block unpublished removes the unfinished
    folder) or call :meth:`discard` in a ``finally``."""

    def __init__(self, final: Path, *, force: bool, exists: Callable[[Path], Exception]) -> None:
        self.final = Path(final)
        self.force = force
        self._exists = exists
        if self.final.exists() and not force:
            raise exists(self.final)
        #: the hidden folder the files are written into
        self.work = atomic.partial_dir(self.final)
        self._open = True

    def publish(self) -> Path:
        """Rename the finished folder into place (nothing is published after a stop)."""
        stop.check()  # a stop asked while a library swallowed it: publish nothing
        try:
            atomic.publish_dir(self.work, self.final, replace=self.force)
        except FileExistsError as exc:  # another run published the same folder meanwhile
            raise self._exists(self.final) from exc
        self._open = False
        return self.final

    def keep_failed(self) -> Path:
        """Keep the unfinished folder as ``<name>.failed`` (an older one is replaced)."""
        failed = self.final.with_name(self.final.name + ".failed")
        if failed.exists():
            shutil.rmtree(atomic.set_aside(failed, "old"), ignore_errors=True)
        atomic.publish_dir(self.work, failed)
        self._open = False
        return failed

    def discard(self) -> None:
        """Remove the unfinished folder (nothing to do once published or kept)."""
        if self._open and self.work.exists():
            shutil.rmtree(self.work, ignore_errors=True)
        self._open = False

    def files(self, written: Iterable[Path]) -> tuple[Path, ...]:
        """The published paths of files written into :attr:`work`, sorted."""
        return tuple(sorted(self.final / Path(p).relative_to(self.work) for p in written))

    def __enter__(self) -> RunFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.discard()
