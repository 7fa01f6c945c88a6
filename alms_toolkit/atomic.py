"""Write files and folders so that an interrupted run never leaves one that looks complete.

A file is written under a hidden temporary name in the same folder, flushed to disk, then
renamed over its final name (a rename within one folder is atomic on POSIX and Windows).
A run folder is built under a hidden ``.<name>.partial-XXXX`` sibling and renamed at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "atomic_path",
    "write_bytes",
    "write_text",
    "partial_dir",
    "publish_dir",
    "set_aside",
]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _shareable(path: Path, *, folder: bool = False) -> None:
    """mkstemp/mkdtemp make owner-only files (0600/0700); a report is shared like any file
    the user writes, so give it the usual mode under the user's umask."""
    os.chmod(path, (0o777 if folder else 0o666) & ~_umask())


@contextlib.contextmanager
def atomic_path(path: Path | str, *, keep_backup: bool = False) -> Iterator[Path]:
    """Yield a hidden temporary path next to ``path``; on success rename it to ``path``.

    For libraries that write to a file name themselves (XlsxWriter, WeasyPrint, pandas).
    On an exception the temporary file is removed and ``path`` is left untouched. With
    ``keep_backup`` the previous version is kept, dated, in the folder's
    ``.history/<name>/`` (:func:`keep_dated_copy`: every version, not only the last).
    """
    path = Path(path).absolute()  # a relative path would follow a later chdir
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _fsync(tmp_path)
        _shareable(tmp_path)
        if keep_backup and path.exists():
            keep_dated_copy(path)
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise
    _fsync_folder(path.parent)


#: the folder of dated earlier versions, beside the file; how many are kept per file
HISTORY_DIR = ".history"
HISTORY_KEEP = 500


def keep_dated_copy(path: Path) -> Path:
    """Copy ``path`` (about to be replaced) to ``.history/<name>/<date time>-<name>`` beside
    it; the oldest copies beyond :data:`HISTORY_KEEP` are removed. Returns the copy."""
    import datetime as dt

    folder = path.parent / HISTORY_DIR / path.name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H-%M-%S.%f")
    copy = folder / f"{stamp}-{path.name}"
    n = 1
    while copy.exists():  # two saves in the same microsecond
        n += 1
        copy = folder / f"{stamp}.{n}-{path.name}"
    shutil.copy2(path, copy)
    for old in sorted(folder.iterdir())[:-HISTORY_KEEP]:
        old.unlink(missing_ok=True)
    return copy


def dated_copies(path: Path | str) -> list[Path]:
    """The dated earlier versions of ``path`` (:func:`keep_dated_copy`), oldest first."""
    folder = Path(path).parent / HISTORY_DIR / Path(path).name
    return sorted(folder.iterdir()) if folder.is_dir() else []


def write_bytes(path: Path | str, data: bytes, *, keep_backup: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_path(path, keep_backup=keep_backup) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(
    path: Path | str, text: str, encoding: str = "utf-8", *, keep_backup: bool = False
) -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8, ``\\n`` line ends); return the path."""
    return write_bytes(path, text.encode(encoding), keep_backup=keep_backup)


def partial_dir(final: Path | str) -> Path:
    """Create and return an empty hidden sibling ``.<final name>.partial-XXXX`` to build in."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=final.parent))
    _shareable(folder, folder=True)
    return folder


def set_aside(folder: Path | str, label: str) -> Path:
    """Rename ``folder`` to a hidden sibling ``.<name>.<label>-XXXX`` and return the new path."""
    folder = Path(folder)
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{label}-", dir=folder.parent))
    aside.rmdir()
    os.replace(folder, aside)
    return aside


def publish_dir(partial: Path | str, final: Path | str, *, replace: bool = False) -> Path:
    """Rename the finished ``partial`` folder to ``final``.

    With ``replace``, an existing ``final`` is first moved aside, then deleted once the new
    folder is in place; without it an existing ``final`` raises :class:`FileExistsError`.
    """
    partial, final = Path(partial), Path(final)
    old: Path | None = None
    if final.exists():
        if not replace:
            raise FileExistsError(final)
        old = set_aside(final, "old")
    try:
        os.replace(partial, final)
    except BaseException:
        if old is not None and not final.exists():
            os.replace(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (best effort: not every platform can fsync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
