"""``alms crm-owners CLIENT_DIR``: the owner map's skeleton written into client.yml."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from alms_toolkit.cli import main
from alms_toolkit.config import load_config

LEDGER = """\
Date,Customer,Amount,Rep
2025-06-30,Acme Inc.,3500.00,Ana
2025-03-10,Bolt Ltd,900.00,Ben
2025-02-01,Core GmbH,1050.00,Ana
2025-01-20,Dune,500.00,Ben
2024-12-01,Echo,1010.00,Ben
2024-03-01,Oldco,700.00,Dora
"""
PROSPECTS = """\
Seller,Prospect,Category,Spending potential,Decision maker access,Product fit
Cara,Umbra Labs,TARGET,3,3,3
"""
CLIENT_YML = """\
# Owner Media's settings (a comment the consultant wrote)
client: Owner Media
billing:
  file: billing.csv   # the export of 1 July
prospects:
  file: prospects.csv
accept: [short_window]

crm:
  owners:
    # Ana is done already
    Ana: ana@client.com
    Ex Seller:
      email: ex@client.com
"""


def _client(tmp_path: Path) -> Path:
    folder = tmp_path / "owner-media"
    folder.mkdir()
    (folder / "client.yml").write_text(CLIENT_YML, encoding="utf-8")
    (folder / "billing.csv").write_text(LEDGER, encoding="utf-8")
    (folder / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    return folder


def test_the_skeleton_keeps_comments_and_filled_entries(tmp_path: Path) -> None:
    folder = _client(tmp_path)
    res = CliRunner().invoke(main, ["crm-owners", str(folder)])
    assert res.exit_code == 0, res.output
    # every seller of the lists: owners of clients, a prospect's seller, a lapsed client's last seller
    assert "Added 3 sellers" in res.output and "crm.owners: Ben, Cara, Dora" in res.output
    assert "Already there, left as written: Ana" in res.output
    assert "Entries for no seller of the lists (kept; remove them if they are not needed): Ex Seller" in res.output
    assert "To fill in (3): Ben, Cara, Dora" in res.output
    text = (folder / "client.yml").read_text(encoding="utf-8")
    for kept in ("# Owner Media's settings (a comment the consultant wrote)", "file: billing.csv   # the export of 1 July",
                 "# Ana is done already", "Ana: ana@client.com", "email: ex@client.com"):
        assert kept in text, kept
    assert "    Ben:" in text and "      user_id:\n" in text
    owners = load_config(folder).crm.owners  # the file still loads: empty values are "not yet"
    assert owners["Ana"].email == "ana@client.com" and owners["Ben"].email is None
    assert set(owners) == {"Ana", "Ex Seller", "Ben", "Cara", "Dora"}
    assert (folder / ".history").is_dir()  # the consultant's previous file is kept

    # filled in by hand (and Ben's name written in another case), a second run changes nothing
    filled = text.replace("    Ben:", "    BEN: ben@client.com\n    Ben_old:", 1)
    (folder / "client.yml").write_text(filled, encoding="utf-8")
    res = CliRunner().invoke(main, ["crm-owners", str(folder)])
    assert res.exit_code == 0, res.output
    assert "Added" not in res.output and (folder / "client.yml").read_text(encoding="utf-8") == filled
    assert "To fill in (2): Cara, Dora" in res.output


def test_a_client_yml_it_cannot_write_into_is_refused(tmp_path: Path) -> None:
    folder = _client(tmp_path)
    (folder / "client.yml").write_text(CLIENT_YML.split("crm:")[0] + "crm: hubspot\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["crm-owners", str(folder)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "'crm' must hold settings written 'key: value'" in res.output  # refused before any writing
