"""The manager's pack of a monthly republish (report/writers/manager_pack.py): the summary of
what changed since the review, then per seller; one change per client; a misspelling shown as
the client it spells; plain words only. Built from a real republish (tests/test_republish.py's
review and later ledger)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_republish import HARTLEY_LEDGER, HARTLEY_MERGES, HARTLEY_REVIEW, _client, _merge_log

from alms_toolkit.io.review import read_review
from alms_toolkit.report.writers.manager_pack import manager_pack_html, write_manager_pack
from alms_toolkit.republishing import official_list
from alms_toolkit.runs.republish_run import republish

#: a new client whose name is markup, and a seller moved by a decision
LEDGER = HARTLEY_LEDGER + "2025-03-03,<b>Evil</b> Media,250.00,Cara\n"
DECISIONS = "owners:\n  - {client: Dune, owner: Ben}\n"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pack")
    client, review = _client(tmp, decisions=DECISIONS, ledger=LEDGER)
    with open(review / "accounts.csv", "a", encoding="utf-8") as fh:
        fh.write(HARTLEY_REVIEW)
    _merge_log(review, HARTLEY_MERGES)
    result = republish(client, review)
    official = official_list(result.lists, read_review(review))
    return result, official


def _act_rows(html: str) -> list[str]:
    """The client names of the clients-to-act-on tables, in order."""
    tables = re.findall(r'<table class="act">(.*?)</table>', html, flags=re.S)
    return [name for t in tables for name in re.findall(r'<td class="name"><b>(.*?)</b>', t)]


def test_the_pack_says_what_changed_in_plain_words(pack) -> None:
    result, official = pack
    html = manager_pack_html(official, result.lists)
    assert "What changed since the review" in html and "Per seller" in html
    for seller in ("Ana", "Ben", "Cara"):
        assert f'<h2 class="seller">{seller}</h2>' in html
    # crossing clients, said plainly with the review's line
    assert "now bill above the KEY line of $1,000.00 set at the review" in html
    assert "Core GmbH ($1,050.00)" in html
    # no technical words in anything a person reads
    for word in ("client_key", "cut-off", "frozen", "NEW", "DORMANT", "tier_"):
        assert word not in re.sub(r"<style>.*?</style>", "", html, flags=re.S), word
    # markup in a client name is printed as text
    assert "&lt;b&gt;Evil&lt;/b&gt; Media" in html and "<b>Evil</b>" not in html


def test_one_change_per_client_in_the_pack(pack) -> None:
    result, official = pack
    html = manager_pack_html(official, result.lists)
    names = _act_rows(html)
    assert len(names) == len(set(names)) == len(result.lists.exceptions)
    # Dune moved from Ana to Ben by a decision and crossed nothing: one change, under Ben
    ben = html.split('<h2 class="seller">Ben</h2>')[1].split('<h2 class="seller">')[0]
    assert "Dune" in ben and "Moved to this seller" in ben
    ana = html.split('<h2 class="seller">Ana</h2>')[1].split('<h2 class="seller">')[0]
    assert "moved from this list to another seller: Dune (now Ben&#39;s)" in ana


def test_a_misspelling_is_shown_as_the_client_it_spells(pack) -> None:
    """A pending match is a question for the consultant, never a new client and never joined."""
    result, official = pack
    html = manager_pack_html(official, result.lists)
    assert "possibly a misspelling of Hartley Compass Roofing" in html
    assert "Misspelling? To decide" in html
    new = result.lists.exceptions[result.lists.exceptions["kind"] == "new_client"]
    assert sorted(new["client"]) == ["<b>Evil</b> Media", "Newco"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf(pack, tmp_path: Path) -> None:
    result, official = pack
    path = write_manager_pack(official, result.lists, tmp_path / "manager_pack.pdf")
    assert path.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ALMS MONTHLY REPUBLISH - MANAGER'S PACK" in text and "Republish Media" in text
    assert "What changed since the review" in text and "may be a misspelling" in text
    assert re.search(r"Page 1 of \d", text)
    assert "Clients to act on" in text and "Next step" in text
    for seller in ("Ana", "Ben", "Cara"):
        assert re.search(rf"^\s*{seller}\s*$", text, flags=re.M), seller  # each seller's heading
    assert "client_key" not in text and "cut-off" not in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info  # client.yml sets no page size: A4
    # the written pack is the one the republish put in its folder
    assert (result.folder / "manager" / "manager_pack.pdf").is_file()
