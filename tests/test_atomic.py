"""Atomic writes: shared like any file the user writes, the previous version kept on request."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from alms_toolkit import atomic
from alms_toolkit.atomic import dated_copies


def test_files_and_run_folders_get_the_usual_modes(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        f = atomic.write_text(tmp_path / "report.html", "<p>x</p>")
        d = atomic.partial_dir(tmp_path / "2025-07-01")
    finally:
        os.umask(old)
    assert stat.S_IMODE(f.stat().st_mode) == 0o644
    assert stat.S_IMODE(d.stat().st_mode) == 0o755
    assert d.name.startswith(".2025-07-01.partial-")


def test_keep_backup_keeps_exactly_the_previous_version(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    atomic.write_text(p, "one\n", keep_backup=True)
    assert not dated_copies(tmp_path / "decisions.yml")
    atomic.write_text(p, "two\n", keep_backup=True)
    atomic.write_text(p, "three\n", keep_backup=True)
    assert p.read_text() == "three\n"
    assert dated_copies(tmp_path / "decisions.yml")[-1].read_text() == "two\n"
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".tmp")] == []
