"""File names built from data stay short and distinct; a full disk, a denied permission or a
read-only folder is a one-paragraph message naming the path and what to do (no traceback)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from alms_toolkit import atomic
from alms_toolkit.batch import jobs
from alms_toolkit.cli import main
from alms_toolkit.errors import FileAccessError, InputError
from alms_toolkit.runs import audit_run as runner
from alms_toolkit.slugs import MAX_SLUG, slugify, unique_stems

LONG_SELLER = "Alexandra " + "Montgomery-" * 26 + "Smythe"  # about 300 characters
assert len(LONG_SELLER) > 290
SELLERS = [LONG_SELLER, LONG_SELLER + " Jr", "Dana Scott", "Dana-Scott", "Eli"]
LEDGER = "Date,Customer,Amount,Rep\n2023-01-02,Client 0,1,Eli\n" + "".join(
    f"2024-0{1 + i % 6}-1{i % 9},Client {i % 9},{1000 + 37 * i},{SELLERS[i % len(SELLERS)]}\n"
    for i in range(45)
)


def _client(root: Path, ledger: str = LEDGER) -> Path:
    folder = root / "long-names"
    folder.mkdir(parents=True)
    (folder / "billing.csv").write_text(ledger, encoding="utf-8")
    (folder / "client.yml").write_text("client: Long Names\nbilling: billing.csv\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------- names from data


def test_slugs_are_bounded_stable_and_distinct() -> None:
    a, b = slugify(LONG_SELLER), slugify(LONG_SELLER + " Jr")
    assert len(a) <= MAX_SLUG and len(b) <= MAX_SLUG and a != b
    assert a == slugify(LONG_SELLER) and a.startswith("alexandra-montgomery-")
    assert slugify("Northwind Traders, Inc.") == "northwind-traders-inc"  # short names unchanged
    assert slugify("***") == "client" and slugify("日本", default="") != slugify("中国", default="")


def test_unique_stems_whatever_the_order() -> None:
    stems = unique_stems(SELLERS, prefix="seller-")
    assert len(set(stems.values())) == len(SELLERS)
    assert stems["Eli"] == "seller-eli"
    assert stems == unique_stems(list(reversed(SELLERS)), prefix="seller-")
    assert all(len(s.encode()) + len(".xlsx") < 255 for s in stems.values())


@pytest.mark.notebook
def test_a_300_character_seller_name_does_not_crash_alms_audit(tmp_path: Path) -> None:
    folder = _client(tmp_path)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(out), "--quiet",
                                       "--formats", "html,pdf,xlsx"])
    assert result.exit_code == 0, result.output
    sellers_dir = next(out.glob("*/*/sellers"))
    for ext in ("xlsx", "pdf"):
        files = sorted(sellers_dir.glob(f"*.{ext}"))
        assert len(files) == len(SELLERS), files
        assert all(len(p.name) <= len("seller-") + MAX_SLUG + len(".xlsx") for p in files)
    expected = {f"{stem}.xlsx" for stem in unique_stems(SELLERS, prefix="seller-").values()}
    assert {p.name for p in sellers_dir.glob("*.xlsx")} == expected


# ---------------------------------------------------------------------------- disk and permissions


@pytest.mark.parametrize("code,words", [
    (errno.ENOSPC, "the disk is full"), (errno.EDQUOT, "quota"), (errno.EACCES, "permission is denied"),
    (errno.EPERM, "not permitted"), (errno.EROFS, "read-only"),
])
def test_file_access_error_explains_each_errno(code: int, words: str) -> None:
    exc = OSError(code, os.strerror(code), "/data/reports/x.xlsx")
    err = FileAccessError.from_os_error(exc)
    assert isinstance(err, FileAccessError) and err.exit_code == 1
    assert str(err).startswith("/data/reports/x.xlsx cannot be written: ") and words in str(err)
    wrapped = RuntimeError(OSError(code, "boom"))  # e.g. XlsxWriter's FileCreateError(OSError)
    assert isinstance(FileAccessError.from_os_error(wrapped, "/out"), FileAccessError)
    other = OSError(errno.EIO, "I/O error")
    assert FileAccessError.from_os_error(other) is other
    reading = FileAccessError.from_os_error(exc, reading=True)
    assert "cannot be read" in str(reading) and "--out" not in str(reading)


def _disk_full(*args: object, **kwargs: object) -> Path:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_writing_the_run_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _client(tmp_path)
    monkeypatch.setattr(atomic, "partial_dir", _disk_full)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert f"{out / 'long-names'}" in result.output and "cannot be written: the disk is full" in result.output
    assert "--out" in result.output
    assert not list(out.rglob("*partial*"))


def test_a_read_only_reports_folder_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _client(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):  # root ignores the mode: make the file system say it
            def read_only(*args: object, **kwargs: object) -> str:
                raise OSError(errno.EROFS, "Read-only file system", str(ro))

            monkeypatch.setattr(atomic.tempfile, "mkdtemp", read_only)
        result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(ro / "reports"), "--quiet"])
    finally:
        ro.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "cannot be written" in result.output and str(ro) in result.output
    assert ("read-only" in result.output) or ("permission is denied" in result.output)


def test_an_unreadable_input_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _client(tmp_path)
    billing = folder / "billing.csv"

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(billing))

    monkeypatch.setattr(runner, "_compute_audit", denied)
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(tmp_path / "r"), "--quiet"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{billing} cannot be read: permission is denied" in result.output


def test_any_command_turns_a_full_disk_into_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "mkdir", full)
    result = CliRunner().invoke(main, ["new-client", "Acme", "--dir", str(tmp_path / "clients")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot be written: the disk is full" in result.output


def test_a_batch_client_on_a_full_disk_fails_with_the_message(tmp_path: Path) -> None:
    job = jobs.ClientJob.make(tmp_path, tmp_path / "out")

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    result = jobs.run_client_job(job, runner=full)
    assert result.status == jobs.FAILED and result.detail is None
    assert result.error.startswith(f"{tmp_path / 'out'} cannot be written: the disk is full")


def test_toolkit_errors_that_wrap_an_os_error_stay_as_they_are() -> None:
    err = InputError("billing.csv", "cannot be read")
    err.__cause__ = PermissionError(errno.EACCES, "denied")
    assert FileAccessError.from_os_error(err) is err


@pytest.mark.notebook
def test_a_full_disk_in_the_middle_of_a_run_leaves_nothing_half_written(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _client(tmp_path)
    calls = []
    real_write_text = atomic.write_text

    def write_text(path: Path, *args: object, **kwargs: object) -> Path:
        calls.append(Path(path).name)
        if Path(path).name == "summary.json":  # written while the notebook runs
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(path, *args, **kwargs)

    monkeypatch.setattr(atomic, "write_text", write_text)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["audit", str(folder), "--out", str(out), "--quiet", "--formats", "xlsx"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "cannot be written: the disk is full" in result.output
    assert "summary.json" in calls
    assert not [p for p in out.rglob("*") if p.is_dir() and p.parent.name == "long-names"]  # no run folder
