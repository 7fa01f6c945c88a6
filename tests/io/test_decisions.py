"""decisions.yml: read (missing = empty, malformed = every problem named), atomic write."""

from __future__ import annotations

from pathlib import Path

import pytest

from alms_toolkit import atomic as atomic_mod
from alms_toolkit.atomic import dated_copies
from alms_toolkit.errors import DecisionsError
from alms_toolkit.io.decisions import (
    Decisions,
    read_decisions,
    with_merge,
    with_owner,
    write_decisions,
)

SAMPLE = """\
merges:      # fuzzy candidates the consultant decided
  - {names: ["Acme Inc.", "Acme Incorprated"], decision: accept}
  - {names: ["Beta", "Betta"], decision: reject}
owners:
  - {client: "Acme Inc.", owner: "Dana Scott"}
"""


def test_missing_file_is_empty(tmp_path: Path) -> None:
    assert read_decisions(tmp_path / "decisions.yml") == Decisions()


def test_empty_file_is_empty(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text("# nothing decided yet\n")
    assert read_decisions(p) == Decisions()


def test_reads_the_documented_format(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text(SAMPLE)
    d = read_decisions(p)
    assert d.merges == (("Acme Inc.", "Acme Incorprated", "accept"), ("Beta", "Betta", "reject"))
    assert d.owners == (("Acme Inc.", "Dana Scott"),)
    assert d.merge_decision("Acme Incorprated", "Acme Inc.") == "accept"
    assert d.merge_decision("Acme", "Beta") is None
    assert d.owner_of("Acme Inc.") == "Dana Scott"


def test_every_malformed_entry_is_named_with_its_line(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text(
        "merges:\n"
        "  - {names: [\"A\", \"B\"], decision: maybe}\n"
        "  - {names: [\"A\"], decision: accept}\n"
        "  - just text\n"
        "owners:\n"
        "  - {client: \"A\"}\n"
        "colour: blue\n"
    )
    with pytest.raises(DecisionsError) as info:
        read_decisions(p)
    msg = str(info.value)
    assert str(p) in msg
    assert "5 problems" in msg
    assert "merges entry 1 (line 2): 'decision' must be accept or reject, not 'maybe'" in msg
    assert "merges entry 2 (line 3): 'names' must list exactly two client names" in msg
    assert "merges entry 3 (line 4)" in msg
    assert "owners entry 1 (line 6): 'owner' is missing or empty" in msg
    assert "'colour' is not a known section" in msg


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text("merges:\n  - {names: [A, B\n")
    with pytest.raises(DecisionsError, match=r"decisions\.yml: is not valid YAML near line"):
        read_decisions(p)


def test_not_a_mapping(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text("- a\n- b\n")
    with pytest.raises(DecisionsError, match="must hold 'merges:' and 'owners:'"):
        read_decisions(p)


def test_write_then_read_round_trips_awkward_names(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    d = Decisions(
        merges=(("O'Brien & Sons, Inc.", 'The "Best" Co: #1', "accept"), ("Café Zoë", "12345", "reject")),
        owners=(("Königlich Essen", "Anne Dodsworth"), ("- dash", "yes")),
    )
    write_decisions(p, d)
    assert read_decisions(p) == d
    write_decisions(p, Decisions())
    assert read_decisions(p) == Decisions()


def test_write_keeps_the_previous_file_as_bak(tmp_path: Path) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text(SAMPLE)
    new = with_owner(read_decisions(p), "Beta", "Nancy Davolio")
    write_decisions(p, new)
    assert dated_copies(tmp_path / "decisions.yml")[-1].read_text() == SAMPLE
    assert read_decisions(p) == new
    assert [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")] == []


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "decisions.yml"
    p.write_text(SAMPLE)

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic_mod.os, "replace", boom)  # where the rename happens
    with pytest.raises(OSError):
        write_decisions(p, Decisions())
    assert p.read_text() == SAMPLE
    assert [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")] == []


def test_with_merge_replaces_the_same_pair_and_keeps_the_rest() -> None:
    d = Decisions(merges=(("A", "B", "accept"), ("C", "D", "reject")), owners=(("A", "x"),))
    d2 = with_merge(d, "B", "A", "reject")
    assert d2.merges == (("C", "D", "reject"), ("B", "A", "reject"))
    assert d2.owners == d.owners
    assert d.merges == (("A", "B", "accept"), ("C", "D", "reject"))  # unchanged
    with pytest.raises(DecisionsError):
        with_merge(d, "A", "B", "perhaps")
    with pytest.raises(DecisionsError):
        with_merge(d, "A", "A", "accept")


def test_with_owner_replaces_the_same_client() -> None:
    d = Decisions(merges=(("A", "B", "accept"),), owners=(("A", "x"), ("B", "y")))
    d2 = with_owner(d, "A", "z")
    assert d2.owners == (("B", "y"), ("A", "z"))
    assert d2.merges == d.merges
    assert d2.owner_of("A") == "z"
