"""One load, one analysis (issue 11, item 1): every file of the client folder is read once,
by load_inputs, and analyse reads nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from alms_toolkit.engine import analyse, audit
from alms_toolkit.errors import ConfigError
from alms_toolkit.inputs import load_inputs, parse_as_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def services(tmp_path: Path) -> Path:
    folder = tmp_path / "services"
    shutil.copytree(ROOT / "client_data" / "sample-services", folder)
    (folder / "decisions.yml").write_text("owners:\n  - {client: Wild Olive Instruments, owner: Quinn Morales}\n",
                                          encoding="utf-8")
    return folder


def test_analyse_reads_no_file(services: Path) -> None:
    """The inputs hold everything: with the client folder gone, analyse gives the same audit."""
    inputs = load_inputs(services)
    expected = audit(services).summary()
    shutil.rmtree(services)
    result = analyse(inputs)
    assert result.summary() == expected
    assert result.accounts.set_index("client").loc["Wild Olive Instruments", "owner"] == "Quinn Morales"
    assert result.inputs is inputs and result.config is inputs.config and result.loaded is inputs.loaded


def test_each_file_is_read_once_per_audit(services: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import alms_toolkit.config as config_module
    import alms_toolkit.io.decisions as decisions_module
    import alms_toolkit.io.ledger as ledger_module
    import alms_toolkit.io.tables as tables_module

    calls: dict[str, int] = {}

    def counted(module: object, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for module, name in ((config_module, "load_config"), (decisions_module, "read_decisions"),
                         (ledger_module, "load_ledger"), (tables_module, "read_table")):
        counted(module, name)
    audit(services)
    # client.yml, the ledger, decisions.yml once each; the account list and the prospects once each
    assert calls == {"load_config": 1, "load_ledger": 1, "read_decisions": 1, "read_table": 2}


def test_the_audit_date_is_decided_once(services: Path) -> None:
    assert parse_as_of("2025-01-01") == dt.date(2025, 1, 1) and parse_as_of(None) is None
    assert parse_as_of(dt.datetime(2025, 1, 1, 9, 30)) == dt.date(2025, 1, 1)
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        parse_as_of("01/02/2025")
    inputs = load_inputs(services, "2025-01-01", accept=["one_client"])
    assert inputs.as_of == dt.date(2025, 1, 1) == inputs.loaded.window.as_of
    assert "one_client" in inputs.accepted
    assert load_inputs(services).as_of == dt.date(2025, 4, 1)  # client.yml's as_of
    assert isinstance(inputs.prospects, pd.DataFrame) and len(inputs.prospects)
