"""The clients' spellings and ids are hashed once, by the reader: each frame's column is given
the codes the reader found, exactly what hashing the column again would give, and only when
the column holds what was read."""

from __future__ import annotations

from pathlib import Path

import yaml

from alms_toolkit.config import load_config
from alms_toolkit.io.factorized import factorize
from alms_toolkit.io.ledger import load_ledger


def _client(folder: Path, lines: list[str], **billing: object) -> Path:
    folder.mkdir()
    (folder / "billing.csv").write_text("\n".join(["date,client,client_id,amount", *lines]) + "\n", encoding="utf-8")
    cfg = {"client": "Codes", "as_of": "2026-06-30",
           "billing": {"file": "billing.csv", **billing}}
    (folder / "client.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return folder


LINES = [
    "2026-01-05,Acme Inc,C1,100.00",
    "2026-02-05,Acme Inc ,C1,50.00",          # a trailing space: another spelling as written
    "2024-03-05,Total Wine & More,C2,70.00",  # earlier than the window
    "2026-03-05,Beta GmbH,C2 ,0.00",          # zero amount; its id trimmed is C2
    "2026-04-05,Total Wine & More,C2,20.00",
    "2026-05-05,Acme Inc,,30.00",             # no id
]


def _same_as_hashing(loaded, frame: str, column: str) -> None:
    assert (frame, column) in loaded._given  # given by the reader, worked out when asked for
    seeded = loaded.factorized(frame, column)
    assert (frame, column) not in loaded._given
    again = factorize(getattr(loaded, frame)[column])
    assert seeded.codes.tolist() == again.codes.tolist()
    assert seeded.uniques.tolist() == again.uniques.tolist()


def test_each_frame_gets_the_readers_codes(tmp_path: Path) -> None:
    loaded = load_ledger(load_config(_client(tmp_path / "c", LINES)))
    assert loaded.ledger["client"].tolist() == ["Acme Inc", "Acme Inc ", "Total Wine & More", "Acme Inc"]
    for frame in ("ledger", "earlier", "zero_rows"):
        _same_as_hashing(loaded, frame, "client")
    # "C2" and "C2 " are one id once trimmed: hashing the trimmed ids decides, not the reader
    assert ("ledger", "client_id") not in loaded._given
    assert loaded.factorized("ledger", "client_id").uniques.tolist() == ["C1", "C2"]


def test_distinct_ids_are_given_too(tmp_path: Path) -> None:
    lines = [line.replace("C2 ", "C3") for line in LINES]
    loaded = load_ledger(load_config(_client(tmp_path / "c", lines)))
    for frame in ("ledger", "earlier", "zero_rows"):
        _same_as_hashing(loaded, frame, "client_id")


def test_a_column_filled_down_is_hashed_as_it_now_is(tmp_path: Path) -> None:
    lines = ["2026-01-05,Acme Inc,C1,100.00", "2026-02-05,,C1,50.00", "2026-03-05,Beta,C2,20.00"]
    loaded = load_ledger(load_config(_client(tmp_path / "c", lines, fill_down=["client"])))
    assert ("ledger", "client") not in loaded._given
    assert loaded.ledger["client"].tolist() == ["Acme Inc", "Acme Inc", "Beta"]
    assert loaded.factorized("ledger", "client").codes.tolist() == [0, 0, 1]
