"""The toolkit's one exception tree. Every message is written for a consultant.

::

    AlmsError                          base: anything the toolkit reports on purpose
    ├── BadInputError (exit 2)         something the consultant can fix in the client's folder
    │   ├── ConfigError                client.yml (or a parameter) is missing, unreadable or wrong
    │   ├── InputError                 a client file cannot be used as it is
    │   │   ├── MissingFileError       a file named in client.yml (or required) does not exist
    │   │   ├── FileReadError          the file exists but cannot be read (encoding, corrupt XLSX, sheet)
    │   │   ├── ColumnError            a mapped/required column is not in the file
    │   │   ├── DataValidationError    the values are unusable (most amounts/dates unparseable, ...)
    │   │   └── ImplausibleDataError   the ledger reads, but its figures cannot be right as they are
    │   │                              (no row used, most money excluded, one client holds it all,
    │   │                              part of the window); carries check codes (--accept, accept:)
    │   ├── DecisionsError             the decisions file is malformed or contradicts itself
    │   ├── ClusterError               the Dask cluster of ``alms batch`` cannot run it (a worker with
    │   │                              another toolkit, a reports folder the workers cannot reach)
    │   └── OutputExistsError          a run folder exists and would be overwritten (use --force)
    └── RunFailedError (exit 1)        the run failed although the input is fine
        ├── ReportError                an audit run failed (notebook cell, PDF rendering, ...)
        │   └── NotebookRunError       a notebook cell failed; the executed notebook is kept
        └── FileAccessError            the disk is full, a quota is reached, permission is denied or
                                       the file system is read-only (reading inputs or writing outputs)

Every error carries a machine-readable ``reason`` (a class default, e.g. ``missing_file``,
``column``, ``implausible_data``, ``notebook_failed``; ``ImplausibleDataError`` adds its check
``codes``) and :meth:`AlmsError.details` gives its structured fields (file, problems with their
column, rows and reason, check codes, the failed cell's index and exception name): code that
must tell errors apart reads those, never the message text.

Input errors carry *problems*: one per (file, column, kind of problem), each with the
spreadsheet row numbers (header = row 1) and a few example values, so that every
problem in a file is reported at once and the message stays readable.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "AlmsError",
    "BadInputError",
    "RunFailedError",
    "ConfigError",
    "ClusterError",
    "InputError",
    "MissingFileError",
    "FileReadError",
    "ColumnError",
    "DataValidationError",
    "DecisionsError",
    "ReportError",
    "NotebookRunError",
    "OutputExistsError",
    "ImplausibleDataError",
    "FileAccessError",
    "Problem",
]

#: How many row numbers / examples a problem shows before "and N more".
MAX_EXAMPLES = 5
#: How many problems one message lists before "and N more problems".
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where (column, rows) and what (message, examples)."""

    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    examples: tuple[str, ...] = ()
    n_rows: int | None = None  # total rows affected when `rows` is a sample
    #: what kind of problem, for code (e.g. ``ambiguous_column``, ``missing_column``)
    reason: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The problem's structured fields (JSON-ready)."""
        return {"reason": self.reason, "message": self.message, "column": self.column,
                "rows": list(self.rows), "n_rows": self.n_rows if self.n_rows is not None else len(self.rows),
                "examples": list(self.examples)}

    def render(self) -> str:
        parts = []
        if self.column is not None and repr(self.column) not in self.message:
            parts.append(f"column '{self.column}'")
        total = self.n_rows if self.n_rows is not None else len(self.rows)
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:MAX_EXAMPLES])
            more = total - min(len(self.rows), MAX_EXAMPLES)
            label = "row" if total == 1 else "rows"
            parts.append(f"{label} {shown}" + (f" and {more} more" if more > 0 else ""))
        where = (" (" + "; ".join(parts) + ")") if parts else ""
        text = f"{self.message}{where}"
        if self.examples:
            ex = ", ".join(repr(e) for e in self.examples[:MAX_EXAMPLES])
            text += f"; for example {ex}"
        return text


class AlmsError(Exception):
    """Base of every error the toolkit raises on purpose."""

    exit_code = 1
    #: the machine-readable kind of error (each class sets its own)
    reason = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def details(self) -> dict[str, object]:
        """The error's structured fields, JSON-ready: ``reason``, ``exit_code``, ``message``
        and what the error knows (``file``, ``problems``, ``codes``, ``cell_index``, ...)."""
        out: dict[str, object] = {"reason": self.reason, "exit_code": self.exit_code, "message": self.message}
        path = getattr(self, "path", None)
        if path is not None:
            out["file"] = str(path)
        problems = getattr(self, "problems", None)
        if problems:
            out["problems"] = [p.to_dict() if isinstance(p, Problem) else {"message": str(p)} for p in problems]
        return out


class BadInputError(AlmsError):
    """Something the consultant can fix in the client's folder or the command: exit 2."""

    exit_code = 2
    reason = "bad_input"


class RunFailedError(AlmsError):
    """The run failed although its input is fine (a notebook cell, the renderer, the disk): exit 1."""

    exit_code = 1
    reason = "run_failed"


class ConfigError(BadInputError):
    """client.yml or a run parameter is wrong. Lists every problem at once."""

    reason = "config"

    def __init__(self, path: Path | str | None, problems: Sequence[str] | str) -> None:
        self.path = Path(path) if path is not None else None
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        where = f"{self.path}" if self.path is not None else "the run settings"
        if len(self.problems) == 1:
            message = f"{where}: {self.problems[0]}"
        else:
            shown = self.problems[:MAX_PROBLEMS]
            lines = [f"{where} has {len(self.problems)} problems:"]
            lines += [f"  - {p}" for p in shown]
            if len(self.problems) > MAX_PROBLEMS:
                lines.append(f"  ... and {len(self.problems) - MAX_PROBLEMS} more problems")
            message = "\n".join(lines)
        super().__init__(message)


class ClusterError(BadInputError):
    """A Dask cluster cannot run this batch as it is: no worker, a worker with another
    toolkit, a reports folder (or client folder) the workers cannot reach. Raised before any
    client is submitted; lists every problem, each naming the worker and what to do. Exit 2."""

    reason = "cluster"

    def __init__(self, address: str, problems: Sequence[str] | str) -> None:
        self.address = address
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        lines = [f"The Dask cluster at {address} cannot run this batch (nothing was submitted):"]
        lines += [f"  - {p}" for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - MAX_PROBLEMS} more problems")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class _FileProblems:
    path: Path
    problems: tuple[Problem, ...] = field(default_factory=tuple)


class InputError(BadInputError):
    """A client file cannot be used. Names the file and lists every problem found in it."""

    reason = "input"

    def __init__(
        self,
        path: Path | str,
        problems: Sequence[Problem] | Problem | str,
        *,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path)
        if isinstance(problems, str):
            problems = (Problem(problems),)
        elif isinstance(problems, Problem):
            problems = (problems,)
        self.problems = tuple(problems)
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        name = str(self.path)
        if len(self.problems) == 1:
            lines = [f"{name}: {self.problems[0].render()}"]
        else:
            lines = [f"{name} has {len(self.problems)} problems:"]
            lines += [f"  - {p.render()}" for p in self.problems[:MAX_PROBLEMS]]
            if len(self.problems) > MAX_PROBLEMS:
                lines.append(f"  ... and {len(self.problems) - MAX_PROBLEMS} more problems")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class MissingFileError(InputError):
    """A file named in client.yml (or required by the folder layout) does not exist."""

    reason = "missing_file"


class FileReadError(InputError):
    """The file exists but cannot be read (encoding, corrupt workbook, missing sheet)."""

    reason = "file_read"


class ColumnError(InputError):
    """A mapped or required column is not in the file."""

    reason = "column"


class DataValidationError(InputError):
    """The file reads, but its values cannot be used (e.g. most amounts unparseable)."""

    reason = "data_validation"


class DecisionsError(BadInputError):
    """The decisions file is malformed or contradicts itself."""

    reason = "decisions"


class ReportError(RunFailedError):
    """An audit run failed after the input was validated. ``reason`` (default ``report``)
    and ``path`` (the file concerned) say more when the raiser knows them."""

    reason = "report"

    def __init__(self, message: str, *, reason: str | None = None, path: Path | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason
        self.path = path


class NotebookRunError(ReportError):
    """A notebook cell failed. ``notebook_path`` is the executed notebook, kept for reading;
    ``cell_index`` (0-based) and ``exception_name`` say which cell and what it raised, as
    papermill reports them (None when unknown)."""

    reason = "notebook_failed"

    def __init__(self, message: str, notebook_path: Path | None = None, *,
                 cell_index: int | None = None, exception_name: str | None = None) -> None:
        self.notebook_path = notebook_path
        self.cell_index = cell_index
        self.exception_name = exception_name
        if notebook_path is not None:
            message = f"{message}\nThe executed notebook, with the failing cell, is kept at {notebook_path}"
        super().__init__(message)

    def details(self) -> dict[str, object]:
        out = super().details()
        out.update({"notebook": str(self.notebook_path) if self.notebook_path is not None else None,
                    "cell_index": self.cell_index, "exception_name": self.exception_name})
        return out


class OutputExistsError(BadInputError):
    """A run folder already exists; a run never silently overwrites an earlier one."""

    reason = "output_exists"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        super().__init__(
            f"{self.path} already exists: an earlier run is there. "
            "Use --force to replace it, or --out to write elsewhere."
        )


class ImplausibleDataError(InputError):
    """The ledger reads, but what it gives cannot be right as it is: nothing to report, most
    of the money left out, one client holding everything, or dates that cover only part of
    the 12-month window. ``codes`` names the checks
    that failed; each one but ``no_rows_used`` can be accepted knowingly (``--accept CODE``
    or ``accept: [CODE]`` in client.yml) when the figures are right."""

    #: every check code and what it means
    CODES: Mapping[str, str] = MappingProxyType({
        "no_rows_used": "no row of the ledger is used",
        "no_spending": "no client has a positive 12-month billing",
        "most_excluded": "most of the money (or of the rows) in the window is left out",
        "one_client": "one client holds (almost) all of the 12-month revenue",
        "short_window": "the ledger's dates do not cover the whole 12-month window",
    })
    #: the codes that can never be accepted (nothing would be left to report)
    NEVER_ACCEPTED: tuple[str, ...] = ("no_rows_used", "no_spending")
    #: the codes a consultant may accept knowingly
    ACCEPTABLE: tuple[str, ...] = ("most_excluded", "one_client", "short_window")
    reason = "implausible_data"

    def __init__(
        self,
        path: Path | str,
        problems: Sequence[Problem] | Problem | str,
        *,
        codes: Sequence[str],
        hint: str | None = None,
    ) -> None:
        self.codes = tuple(codes)
        super().__init__(path, problems, hint=hint)

    def details(self) -> dict[str, object]:
        out = super().details()
        out["codes"] = list(self.codes)
        return out

    def _render(self) -> str:
        lines = [f"{self.path}: the file reads, but its figures cannot be used as they are:"]
        lines += [f"  - {p.render()}" for p in self.problems[:MAX_PROBLEMS]]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


#: errno -> (what happened, what to do when writing, what to do when reading)
_ACCESS: Mapping[int, tuple[str, str, str]] = MappingProxyType({
    errno.ENOSPC: (
        "the disk is full",
        "Free some space on that disk, or write the reports to another disk with --out, then "
        "run the command again.",
        "Free some space on that disk, then run the command again.",
    ),
    errno.EDQUOT: (
        "your disk quota is used up",
        "Free some space in your quota, or write the reports elsewhere with --out, then run "
        "the command again.",
        "Free some space in your quota, then run the command again.",
    ),
    errno.EACCES: (
        "permission is denied",
        "Check that your user may write in that folder (its permissions, or a program such as "
        "a spreadsheet holding the file open), or write the reports elsewhere with --out.",
        "Check that your user may read that file (its permissions, or a program holding it "
        "locked), or copy the client folder somewhere you can read it.",
    ),
    errno.EPERM: (
        "the operation is not permitted",
        "Check that folder's permissions and that no other program holds the file, or write "
        "the reports elsewhere with --out.",
        "Check that file's permissions and that no other program holds it locked.",
    ),
    errno.EROFS: (
        "the file system is read-only",
        "Write the reports to a folder on a writable disk with --out, or copy the client folder "
        "to one.",
        "Copy the client folder to a writable disk and run the command there.",
    ),
})


class FileAccessError(RunFailedError):
    """Reading or writing a file failed because of the machine, not the data: disk full,
    quota reached, permission denied, read-only file system. Names the path and what to do.
    Exit code 1 (nothing is wrong with the client's files)."""

    reason = "file_access"
    #: the errno values this error explains
    ERRNOS: frozenset[int] = frozenset(_ACCESS)

    def __init__(self, path: Path | str | None, errno_value: int, *, reading: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.errno = errno_value
        self.reading = reading
        self.access = errno.errorcode.get(errno_value, str(errno_value))  # e.g. "ENOSPC"
        reason, write_advice, read_advice = _ACCESS[errno_value]
        verb = "read" if reading else "written"
        where = f"{self.path} cannot be {verb}" if self.path is not None else f"a file cannot be {verb}"
        super().__init__(f"{where}: {reason}. {read_advice if reading else write_advice}")

    def details(self) -> dict[str, object]:
        out = super().details()
        out.update({"access": self.access, "reading": self.reading})
        return out

    @staticmethod
    def explains(exc: BaseException) -> OSError | None:
        """The OSError (``exc``, or one it was raised from or wraps) with a disk, quota,
        permission or read-only errno, else None."""
        for e in exception_chain(exc, args=True):
            if isinstance(e, OSError) and e.errno in _ACCESS:
                return e
        return None

    @classmethod
    def from_os_error(cls, exc: BaseException, path: Path | str | None = None, *,
                      reading: bool = False) -> BaseException:
        """The FileAccessError for ``exc`` (naming the OSError's file, else ``path``), or
        ``exc`` itself when it is not a disk, quota, permission or read-only problem (an
        error the toolkit raised on purpose is returned as it is)."""
        os_error = None if isinstance(exc, AlmsError) else cls.explains(exc)
        if os_error is None or os_error.errno is None:  # (explains gives an errno of _ACCESS)
            return exc
        named = os_error.filename if os_error.filename not in (None, "") else path
        return cls(named, os_error.errno, reading=reading)

    @classmethod
    @contextlib.contextmanager
    def guard(cls, path: Path | str | None = None, *, reading: bool = False) -> Iterator[None]:
        """Turn a disk, quota, permission or read-only failure inside the block into a
        FileAccessError naming ``path`` (when the OSError names no file); any other
        exception passes through unchanged."""
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - libraries wrap OSError in their own types
            error = cls.from_os_error(exc, path, reading=reading)
            if error is exc:
                raise
            raise error from exc


def first_line(exc: BaseException) -> str:
    """``ExceptionName: the first line of its message`` (the name alone when it has none)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def exception_chain(exc: BaseException, *, args: bool = False) -> Iterator[BaseException]:
    """``exc`` and every exception it was raised from or during (``__cause__``,
    ``__context__``), each once; with ``args``, also exceptions a library wrapped in its own
    exception's arguments."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__]
        if args:
            todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
