"""Before a batch goes to a Dask cluster: every worker runs the same toolkit as this machine
and sees the same folders. Checked once, before any client is submitted; a problem refuses
the batch with :class:`~alms_toolkit.errors.ClusterError`, naming the worker and what to do.

- **The same toolkit**: the worker's ``alms_toolkit.__version__`` (asked by
  :mod:`.worker_probe`, which runs where the toolkit is missing or older) and then a
  fingerprint of the toolkit's files (its Python modules, the shipped notebooks and
  templates) equal this machine's. The fix is always the same: install the wheel of this
  machine's toolkit on every worker.
- **The shared folder**: this machine writes a token into a hidden check folder under the
  reports folder; each worker must read that very token (a folder of the same path that is
  not the shared one has no such file), write a file of its own there, and this machine must
  then see that file. Each worker must also see every client's ``client.yml`` (and the
  ``--notebook`` variant), at the same paths as this machine.

:func:`worker_facts` is what runs on each worker (``Client.run``); :func:`compare_facts` is
pure (the facts of this machine and of one worker in, the problems out).
"""

from __future__ import annotations

import hashlib
import os
import platform
import socket
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import first_line

__all__ = [
    "TOKEN_FILE",
    "toolkit_fingerprint",
    "local_facts",
    "worker_facts",
    "compare_facts",
    "check_workers",
    "WHEEL_HINT",
]

#: the file of the check folder this machine writes and every worker must read
TOKEN_FILE = "client-token.txt"
#: the suffixes of the shipped files that count in the fingerprint (what the wheel holds)
_SHIPPED_SUFFIXES = {"notebooks": (".ipynb",), "templates": (".j2", ".css", ".json")}
#: seconds to wait for a first worker when the scheduler has none yet
WORKER_WAIT = 10.0

WHEEL_HINT = (
    "install this machine's wheel, alms_toolkit-{version}-py3-none-any.whl, on every worker "
    "(pip install --force-reinstall --no-deps alms_toolkit-{version}-py3-none-any.whl; from a "
    "source checkout, build it first with: python -m pip wheel --no-deps -w dist .), then "
    "restart the workers (docs/CLUSTER.md)"
)


def toolkit_fingerprint() -> str:
    """12 hex digits of a SHA-256 over the toolkit's Python files and its shipped notebooks
    and templates (relative path and bytes of each), the same for a source checkout and the
    wheel built from it."""
    from ..package_files import shipped_folder

    package = Path(__file__).resolve().parents[1]
    files: list[tuple[str, Path]] = [
        ("alms_toolkit/" + p.relative_to(package).as_posix(), p)
        for p in package.rglob("*.py")
        if p.relative_to(package).parts[0] not in _SHIPPED_SUFFIXES
    ]
    for name, suffixes in _SHIPPED_SUFFIXES.items():
        folder = shipped_folder(name)
        if folder is not None:
            files += [(f"{name}/{p.relative_to(folder).as_posix()}", p)
                      for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes
                      and ".ipynb_checkpoints" not in p.parts]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def local_facts() -> dict[str, Any]:
    """This machine's toolkit: version, fingerprint, Python version, host name."""
    import alms_toolkit

    return {
        "version": str(alms_toolkit.__version__),
        "fingerprint": toolkit_fingerprint(),
        "python": platform.python_version(),
        "host": socket.gethostname(),
        "location": str(Path(alms_toolkit.__file__).resolve().parent),
    }


def worker_facts(check_dir: str, token: str, needed: Sequence[str]) -> dict[str, Any]:
    """Run on a worker: its toolkit (as :func:`local_facts`), what it sees of the check
    folder (``folder_problem``, else ``wrote``: the file it wrote there) and which of the
    ``needed`` files it cannot see (``missing``). Never raises for what it checks."""
    facts = local_facts()
    facts["pid"] = os.getpid()
    folder = Path(check_dir)
    try:
        seen = (folder / TOKEN_FILE).read_text(encoding="utf-8")
    except OSError as exc:
        facts["folder_problem"] = f"it cannot read {folder / TOKEN_FILE} ({exc.strerror or exc})"
    else:
        if seen != token:
            facts["folder_problem"] = (f"its {folder} is another folder of the same path (it holds "
                                       "another batch's check file)")
        else:
            mine = folder / f"worker-{uuid.uuid4().hex[:12]}.txt"
            try:
                mine.write_text(f"{token} {facts['host']} {facts['pid']}\n", encoding="utf-8")
            except OSError as exc:
                facts["folder_problem"] = f"it cannot write in {folder} ({exc.strerror or exc})"
            else:
                facts["wrote"] = mine.name
    facts["missing"] = [p for p in needed if not Path(p).is_file()]
    return facts


def _who(worker: str, facts: Mapping[str, Any]) -> str:
    host = facts.get("host")
    return f"worker {worker}" + (f" (host {host})" if host else "")


def compare_facts(worker: str, mine: Mapping[str, Any], theirs: Mapping[str, Any], *,
                  out: Path | str, check_dir: Path | str, token: str) -> list[str]:
    """The problems of one worker (``theirs``, from :func:`worker_facts`) for a batch sent
    from this machine (``mine``, from :func:`local_facts`); reads the file the worker wrote
    in ``check_dir``. Empty when the worker can run the batch. The worker runs this machine's
    toolkit version (:func:`check_workers` asks that first, :func:`_toolkit_problem`)."""
    problems: list[str] = []
    who = _who(worker, theirs)
    hint = WHEEL_HINT.format(version=mine["version"])
    if theirs.get("fingerprint") != mine["fingerprint"]:
        problems.append(
            f"{who} runs alms-toolkit {mine['version']} like this machine, but its toolkit files "
            f"differ (fingerprint {theirs.get('fingerprint')} there, {mine['fingerprint']} here; "
            f"installed at {theirs.get('location')}): {hint}.")
    share = ("the reports folder must be one shared folder that every worker mounts at the same "
             "path as this machine (e.g. an NFS or SMB share at /srv/alms): mount it there, or "
             "give --out a folder on the share")
    problem = theirs.get("folder_problem")
    if problem:
        problems.append(f"{who} cannot use the reports folder {out}: {problem}. {share}.")
    elif theirs.get("wrote"):
        path = Path(check_dir) / str(theirs["wrote"])
        try:
            ok = path.read_text(encoding="utf-8").split(" ", 1)[0] == token
        except OSError:
            ok = False
        if not ok:
            problems.append(f"{who} wrote a check file in {out}, but this machine does not see it: "
                            f"the worker's folder of that path is not this machine's. {share}.")
    missing = list(theirs.get("missing") or [])
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        problems.append(f"{who} cannot see {missing[0]}{more}: the client folders (and a --notebook "
                        "variant) must be on the shared folder too, at the same path on every "
                        "machine.")
    return problems


def _probe(client: Any) -> dict[str, Any]:
    """:func:`~.worker_probe.installed_toolkit` on every worker, sent by value (it runs
    where the toolkit is missing or older)."""
    import cloudpickle

    from . import worker_probe

    cloudpickle.register_pickle_by_value(worker_probe)
    try:
        return dict(client.run(worker_probe.installed_toolkit, on_error="return"))
    finally:
        cloudpickle.unregister_pickle_by_value(worker_probe)


def _toolkit_problem(worker: str, mine: Mapping[str, Any], probe: Any) -> str | None:
    """The problem of a worker whose toolkit is not this machine's version (None: same)."""
    hint = WHEEL_HINT.format(version=mine["version"])
    if isinstance(probe, BaseException):
        return f"worker {worker} could not be asked which toolkit it has ({first_line(probe)}); {hint}."
    who = _who(worker, probe)
    if probe.get("version") is None:
        return (f"{who} cannot import alms_toolkit ({probe.get('error')}): it needs this "
                f"machine's alms-toolkit {mine['version']}; {hint}.")
    if probe["version"] != mine["version"]:
        return (f"{who} runs alms-toolkit {probe['version']}, this machine runs alms-toolkit "
                f"{mine['version']}: {hint}.")
    return None


def check_workers(client: Any, address: str, *, out: Path | str, check_dir: Path,
                  needed: Sequence[str], wait: float = WORKER_WAIT) -> dict[str, dict[str, Any]]:
    """Check every worker of ``client``'s cluster (see the module doc); return their facts by
    worker address, or raise :class:`~alms_toolkit.errors.ClusterError` listing every
    problem. ``check_dir`` (a new folder under ``out``) is written here and by the workers;
    the caller removes it."""
    from ..errors import ClusterError

    try:
        client.wait_for_workers(1, timeout=wait)
    except (TimeoutError, OSError):
        raise ClusterError(address, (
            f"no worker is connected to the scheduler (waited {wait:g} s). Start the workers on "
            f"each machine with: dask worker {address} --nthreads 1")) from None
    mine = local_facts()
    problems: list[str] = []
    same: list[str] = []
    for worker, probe in sorted(_probe(client).items()):
        problem = _toolkit_problem(worker, mine, probe)
        if problem is None:
            same.append(worker)
        else:
            problems.append(problem)
    facts: dict[str, dict[str, Any]] = {}
    if same:  # the same version: the same files, and the shared folders
        token = uuid.uuid4().hex
        check_dir.mkdir(parents=True, exist_ok=True)
        (check_dir / TOKEN_FILE).write_text(token, encoding="utf-8")
        replies = client.run(worker_facts, str(check_dir), token, list(needed), workers=same,
                             on_error="return")
        for worker in sorted(replies):
            reply = replies[worker]
            if isinstance(reply, BaseException):
                problems.append(f"worker {worker} cannot run this toolkit's check "
                                f"({first_line(reply)}): "
                                f"{WHEEL_HINT.format(version=mine['version'])}.")
                continue
            facts[worker] = dict(reply)
            problems += compare_facts(worker, mine, reply, out=out, check_dir=check_dir, token=token)
    if problems:
        raise ClusterError(address, problems)
    return facts
