"""The collector settings: rarer passes in the program and during a run (put back after), and the libraries'
objects set aside once imported, only when the process is the program."""

from __future__ import annotations

import gc

import pytest

from alms_toolkit import cli
from alms_toolkit.collector import THRESHOLDS, rarer_passes, restore_passes


@pytest.fixture
def collector() -> object:
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    yield
    gc.set_threshold(*thresholds)
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()


def test_as_the_program_passes_are_rarer_and_libraries_set_aside(collector: object,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = gc.get_threshold()
    monkeypatch.setattr(cli, "main", lambda: cli.libraries_imported())
    monkeypatch.setitem(cli._as_program, "on", False)
    cli.run()
    assert gc.get_threshold() == THRESHOLDS != before
    assert gc.get_freeze_count() > 0


def test_as_a_library_nothing_changes(collector: object) -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    cli.libraries_imported()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_passes_put_back_unless_changed_since(collector: object) -> None:
    gc.set_threshold(700, 10, 10)
    before = rarer_passes()
    assert before == (700, 10, 10) and gc.get_threshold() == THRESHOLDS
    restore_passes(before)
    assert gc.get_threshold() == (700, 10, 10)
    before = rarer_passes()
    gc.set_threshold(5, 5, 5)  # someone else's setting since: kept
    restore_passes(before)
    assert gc.get_threshold() == (5, 5, 5)
