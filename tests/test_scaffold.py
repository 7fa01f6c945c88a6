"""`alms new-client`: a commented client.yml that parses, and no overwriting."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from alms_toolkit import config
from alms_toolkit.cli import main
from alms_toolkit.config import load_config, parse_config
from alms_toolkit.errors import AlmsError, OutputExistsError
from alms_toolkit.scaffold import ClientExistsError, client_yml, new_client


def test_new_client_folder_parses_with_defaults(tmp_path):
    folder = new_client("Acme Media, Inc.", tmp_path)
    assert folder == tmp_path / "acme-media-inc"
    cfg = load_config(folder)
    assert cfg.client == "Acme Media, Inc."
    assert cfg.billing.file == folder.resolve() / "billing.csv"
    assert cfg.as_of is None and cfg.key_share == 0.25 and cfg.billing.columns == {}
    assert cfg.account_list is None and cfg.prospects is None
    assert cfg.limits == config.Limits() and cfg.matching == config.Matching()


@pytest.mark.parametrize("name", ['Café "Lumière": Media', "yes", "2024 Media", "  Spaced Name  ", "#1 Radio"])
def test_awkward_names_stay_the_same_string(tmp_path, name):
    cfg = load_config(new_client(name, tmp_path))
    assert cfg.client == name.strip()


def test_every_setting_is_explained(tmp_path):
    text = (new_client("Acme", tmp_path) / "client.yml").read_text(encoding="utf-8")
    for key in config._TOP_KEYS | config._BILLING_KEYS | set(config.LEDGER_FIELDS):
        assert f"{key}:" in text, key
    for key in ("consultant", "firm", "logo", "page_size", "currency", "accent_color", "target",
                "extra", "lead", "threshold", "auto_accept", "spending_potential",
                "decision_maker_access", "product_fit", "date"):
        assert f"{key}:" in text, key
    # every commented-out setting line is preceded by an explanation or another setting
    assert text.count("\n#") > 40


def test_uncommenting_the_examples_gives_a_valid_config(tmp_path):
    """A consultant who removes the '# ' in front of example settings gets a working file."""
    text = client_yml("Acme")
    settings = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        candidate = body[2:] if body.startswith("# ") else None
        if candidate and ":" in candidate.split("#")[0] and " " not in candidate.split(":")[0].strip():
            settings.append(indent + candidate)
        else:
            settings.append(line)
    data = yaml.safe_load("\n".join(settings))
    cfg = parse_config(data, tmp_path)
    assert cfg.as_of == dt.date(2025, 1, 1)
    assert cfg.billing.columns["client"] == "Customer"
    assert cfg.billing.encoding == "cp1252" and cfg.billing.header_row == 1
    assert cfg.billing.exclude == {"Product": ("Internal", "Barter")}
    assert cfg.account_list is not None and cfg.account_list.date == dt.date(2025, 1, 15)
    assert cfg.matching.auto_accept == 97 and cfg.limits.target == (5, 10)


def test_values_given_are_written_active(tmp_path):
    text = client_yml(
        "Acme", as_of=dt.date(2025, 7, 1), columns={"date": "Day", "client": "Who", "amount": "How much"},
        encoding="utf-16", account_list=("list.csv", dt.date(2025, 3, 1)), prospects="p.csv",
        consultant="Jordan Avery", firm="Northstar", page_size="Letter", currency="€", key_share=0.2,
    )
    (tmp_path / "client.yml").write_text(text, encoding="utf-8")
    cfg = load_config(tmp_path)
    assert cfg.as_of == dt.date(2025, 7, 1) and cfg.key_share == 0.2
    assert cfg.billing.columns == {"date": "Day", "client": "Who", "amount": "How much"}
    assert cfg.billing.encoding == "utf-16"
    assert cfg.account_list.file.name == "list.csv" and cfg.account_list.date == dt.date(2025, 3, 1)
    assert cfg.prospects.file.name == "p.csv"
    assert cfg.branding.consultant == "Jordan Avery" and cfg.branding.page_size == "Letter"
    assert cfg.branding.currency == "€"


def test_refuses_to_overwrite_an_existing_folder(tmp_path):
    folder = new_client("Acme", tmp_path)
    (folder / "client.yml").write_text("client: Edited\nbilling: {file: b.csv}\n", encoding="utf-8")
    with pytest.raises(ClientExistsError) as err:
        new_client("ACME", tmp_path)
    assert isinstance(err.value, OutputExistsError) and isinstance(err.value, AlmsError)
    assert err.value.exit_code == 2 and "already exists" in str(err.value)
    assert (folder / "client.yml").read_text(encoding="utf-8").startswith("client: Edited")


def test_empty_name_is_refused(tmp_path):
    with pytest.raises(ValueError):
        new_client("   ", tmp_path)


def test_cli_new_client(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["new-client", "Bluewater Radio", "--dir", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "bluewater-radio" / "client.yml").is_file()
    assert "alms validate" in res.output
    again = runner.invoke(main, ["new-client", "Bluewater Radio", "--dir", str(tmp_path)])
    assert again.exit_code == 2
    assert "already exists" in again.output and "Traceback" not in again.output
    empty = runner.invoke(main, ["new-client", " ", "--dir", str(tmp_path)])
    assert empty.exit_code == 2
