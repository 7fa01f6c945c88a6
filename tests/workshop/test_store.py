"""The workshop's saves: atomic, every earlier version kept (dated), one change at a time on a fresh read of the
file (nothing saved earlier or elsewhere is lost), client.yml edited on one line only."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import yaml

from alms_toolkit.atomic import dated_copies
from alms_toolkit.config import load_config
from alms_toolkit.errors import ConfigError, DecisionsError, FileReadError, InputError
from alms_toolkit.io.decisions import Decisions, read_decisions, write_decisions
from alms_toolkit.workshop.store import WorkshopStore, rows_of, set_key_share_text, without_merge


@pytest.fixture
def store(client: Path) -> WorkshopStore:
    return WorkshopStore(load_config(client), by="Dana")


#: a "Changed" / "Dropped" cell and a decision's "at": when (to the minute) and by whom
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d by Dana"


# ------------------------------------------------------------------ client.yml key_share


def test_key_share_replaces_the_line_and_keeps_its_comment():
    text = "client: A\nkey_share: 0.2   # agreed with Dana\nbilling: b.csv\n"
    assert set_key_share_text(text, 0.3) == "client: A\nkey_share: 0.30  # agreed with Dana\nbilling: b.csv\n"


def test_key_share_goes_under_the_commented_example():
    text = "client: A\n# Share of KEY clients.\n# key_share: 0.25\n\nbilling: b.csv\n"
    out = set_key_share_text(text, 0.125)
    assert out == "client: A\n# Share of KEY clients.\n# key_share: 0.25\nkey_share: 0.125\n\nbilling: b.csv\n"


def test_key_share_appended_when_absent_and_nested_keys_untouched():
    text = "client: A\nbilling:\n  key_share: 9\n  file: b.csv"
    out = set_key_share_text(text, 0.1)
    assert out.endswith("b.csv\nkey_share: 0.10\n") and "  key_share: 9\n" in out


def test_save_key_share_keeps_every_comment_and_a_backup(store: WorkshopStore, client: Path):
    before = (client / "client.yml").read_text()
    store.save_key_share(0.3)
    after = (client / "client.yml").read_text()
    assert dated_copies(client / "client.yml")[-1].read_text() == before
    added = [ln for ln in after.splitlines() if ln not in before.splitlines()]
    assert added == ["key_share: 0.30"]
    assert set(before.splitlines()) <= set(after.splitlines())
    assert load_config(client).key_share == 0.3 and store.saved_key_share() == 0.3
    store.save_key_share(0.35)  # second time: the line is replaced, not added again
    assert (client / "client.yml").read_text().count("\nkey_share:") == 1
    assert load_config(client).key_share == 0.35


def test_save_key_share_keeps_crlf_and_bom(store: WorkshopStore, client: Path):
    path = client / "client.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text().replace("\n", "\r\n").encode())
    store.save_key_share(0.2)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"key_share: 0.20\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_save_key_share_refuses_a_share_out_of_range(store: WorkshopStore, client: Path):
    before = (client / "client.yml").read_text()
    with pytest.raises(ConfigError, match="between 0.01 and 0.99"):
        store.save_key_share(1.5)
    assert (client / "client.yml").read_text() == before and not dated_copies(client / "client.yml")


def test_save_key_share_refuses_to_write_a_broken_client_yml(store: WorkshopStore, client: Path):
    path = client / "client.yml"
    path.write_text(path.read_text() + "colour: blue\n")  # unknown setting: not a valid client.yml
    before = path.read_text()
    with pytest.raises(ConfigError, match="colour"):
        store.save_key_share(0.3)
    assert path.read_text() == before


# ------------------------------------------------------------------ decisions.yml


def test_decisions_are_merged_with_what_another_writer_saved(store: WorkshopStore, client: Path):
    store.decide_merge("A Co", "A Corp", "accept")
    other = WorkshopStore(load_config(client))  # another widget / notebook
    other.confirm_owner("Stone Bridge Dealership", "Ben Ode")
    store.decide_merge("B Co", "B Corp", "reject")  # must not lose the owner saved by `other`
    d = read_decisions(client / "decisions.yml")
    assert d.merges == (("A Co", "A Corp", "accept"), ("B Co", "B Corp", "reject"))
    assert d.owners == (("Stone Bridge Dealership", "Ben Ode"),)
    assert read_decisions(dated_copies(client / "decisions.yml")[-1]).owners == (("Stone Bridge Dealership", "Ben Ode"),)


def test_a_later_decision_about_the_same_pair_replaces_it_and_undo_removes_it(store: WorkshopStore, client: Path):
    store.decide_merge("A Co", "A Corp", "accept")
    store.decide_merge("A Corp", "A Co", "reject")
    assert store.decisions().merges == (("A Corp", "A Co", "reject"),)
    store.undo_merge("A Co", "A Corp")
    assert store.decisions().merges == ()


def test_without_merge_leaves_the_rest():
    d = Decisions((("a", "b", "accept"), ("c", "d", "reject")), (("x", "y"),))
    assert without_merge(d, "b", "a") == Decisions((("c", "d", "reject"),), (("x", "y"),))


def test_concurrent_saves_lose_nothing(store: WorkshopStore, client: Path):
    stores = [WorkshopStore(load_config(client)) for _ in range(4)]

    def work(k: int) -> None:
        for i in range(10):
            stores[k].decide_merge(f"N{k}-{i}", f"M{k}-{i}", "accept")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.decisions().merges) == 40


def test_a_malformed_decisions_file_is_not_overwritten(store: WorkshopStore, client: Path):
    (client / "decisions.yml").write_text("merges: {oops\n")
    with pytest.raises(Exception, match="decisions.yml"):
        store.decide_merge("A", "B", "accept")
    assert (client / "decisions.yml").read_text() == "merges: {oops\n"


# ------------------------------------------------------------------ prospects.csv


def test_category_change_keeps_other_columns_rows_and_a_backup(store: WorkshopStore, client: Path):
    before = (client / "prospects.csv").read_text()
    store.set_category("Ann Lee", "Blue Lake Co", "target")
    after = (client / "prospects.csv").read_text()
    assert dated_copies(client / "prospects.csv")[-1].read_text() == before
    # every other cell as it was; the changed row stamped in a new Changed column
    old, new = before.splitlines(), after.splitlines()
    assert new[0] == old[0] + ",Changed"
    for was, now in zip(old[1:], new[1:], strict=True):
        if "Blue Lake Co" in was:
            assert re.fullmatch(re.escape(was.replace("Blue Lake Co,EXTRA", "Blue Lake Co,TARGET")) + "," + STAMP, now)
        else:
            assert now == was + ","
    # every earlier version is kept, dated (not only the last)
    store.set_category("Ann Lee", "Blue Lake Co", "extra")
    history = dated_copies(client / "prospects.csv")
    assert [p.read_text() for p in history] == [before, after]


def test_scores_add_and_drop(store: WorkshopStore, client: Path):
    store.set_score("ann lee", "red rock  ltd", "product_fit", 4)  # any case and spacing
    rows = {r.prospect: r for r in store.prospects()}
    assert rows["Red Rock Ltd"].scores == (None, None, 4)
    store.set_score("Ann Lee", "Red Rock Ltd", "product_fit", None)
    assert {r.prospect: r for r in store.prospects()}["Red Rock Ltd"].scores == (None, None, None)
    store.add_prospect("Ben Ode", "  Delta   Works ", "EXTRA", scores=(2, None, 5))
    rows = {r.prospect: r for r in store.prospects()}
    assert rows["Delta Works"].category == "EXTRA" and rows["Delta Works"].scores == (2, None, 5)
    assert "Ben Ode,Delta Works,EXTRA,2,,5,," in (client / "prospects.csv").read_text()
    store.drop_prospect("Ann Lee", "New Horizon Labs")
    rows = store.prospects()
    names = [r.prospect for r in rows if not r.dropped]
    assert "New Horizon Labs" not in names and len(names) == 4
    # dropped, not deleted: the row stays with its scores and notes, marked, and comes back
    gone = next(r for r in rows if r.prospect == "New Horizon Labs")
    assert re.fullmatch(STAMP, gone.dropped) and gone.category == "TARGET" and gone.notes == "Met the CMO"
    assert [r.prospect for r in rows_of(rows, "Ann Lee", dropped=True)] == ["New Horizon Labs"]
    restored = {r.prospect: r for r in store.restore_prospect("Ann Lee", "New Horizon Labs")}["New Horizon Labs"]
    assert restored.dropped == "" and restored.category == "TARGET" and restored.scores == gone.scores
    assert 'Ben Ode,Oak Tree Inc,TARGET,5,5,5,"Budget in Q3, ask again",East' in (client / "prospects.csv").read_text()


def test_bad_changes_are_refused_and_nothing_is_written(store: WorkshopStore, client: Path):
    before = (client / "prospects.csv").read_text()
    with pytest.raises(InputError, match="not one of TARGET, EXTRA, LEAD"):
        store.set_category("Ann Lee", "Blue Lake Co", "VIP")
    with pytest.raises(InputError, match="not on Ann Lee's list"):
        store.set_category("Ann Lee", "Nobody Inc", "LEAD")
    with pytest.raises(ValueError, match="from 1 to 5"):
        store.set_score("Ann Lee", "Blue Lake Co", "product_fit", 7)
    with pytest.raises(InputError, match="needs a seller and a name"):
        store.add_prospect("Ann Lee", "   ", "LEAD")
    assert (client / "prospects.csv").read_text() == before


def test_a_new_prospects_file_is_created_with_the_standard_headers(client: Path):
    (client / "prospects.csv").unlink()
    cfg_text = (client / "client.yml").read_text().replace("prospects:\n  file: prospects.csv\n", "")
    (client / "client.yml").write_text(cfg_text)
    store = WorkshopStore(load_config(client), by="Dana")
    assert store.prospects() == []
    store.add_prospect("Ann Lee", "Zed Ltd", "LEAD")
    header, row = (client / "prospects.csv").read_text().splitlines()
    assert header == "Seller,Prospect,Category,Spending potential,Decision maker access,Product fit,Notes,Changed"
    assert re.fullmatch(re.escape("Ann Lee,Zed Ltd,LEAD,,,,,") + STAMP, row)
    assert load_config(client).prospects is not None  # found by name on the next run


def test_mapped_headers_semicolons_and_missing_score_columns(client: Path):
    (client / "prospects.csv").write_text("Rep;Company name;Kind\nAnn Lee;Zed Ltd;lead\n", encoding="cp1252")
    text = (client / "client.yml").read_text().replace(
        "prospects:\n  file: prospects.csv\n",
        "prospects:\n  file: prospects.csv\n  columns: {prospect: Company name, category: Kind}\n")
    (client / "client.yml").write_text(text)
    store = WorkshopStore(load_config(client), by="Dana")
    store.set_score("Ann Lee", "Zed Ltd", "spending_potential", 3)
    header, row = (client / "prospects.csv").read_text().splitlines()
    assert header == "Rep;Company name;Kind;Spending potential;Changed"
    assert re.fullmatch(re.escape("Ann Lee;Zed Ltd;lead;3;") + STAMP, row)


def test_an_xlsx_prospects_file_is_refused_with_what_to_do(client: Path):
    text = (client / "client.yml").read_text().replace("file: prospects.csv", "file: prospects.xlsx")
    (client / "client.yml").write_text(text)
    (client / "prospects.xlsx").write_bytes(b"not really")
    store = WorkshopStore(load_config(client))
    with pytest.raises(FileReadError, match="Save As > CSV"):
        store.prospects()


def test_decisions_written_are_readable_yaml(store: WorkshopStore, client: Path):
    store.confirm_owner('Quote "Q" Ltd', "Ann Lee")
    data = yaml.safe_load((client / "decisions.yml").read_text())
    (entry,) = data["owners"]
    assert (entry["client"], entry["owner"], entry["by"]) == ('Quote "Q" Ltd', "Ann Lee", "Dana")
    assert re.fullmatch(STAMP, f"{entry['at']} by {entry['by']}")  # when and by whom
    assert store.decisions().stamps[("owner", 'Quote "Q" Ltd')] == (entry["at"], "Dana")
    # ... and taken back: unconfirmed again
    store.unconfirm_owner('Quote "Q" Ltd')
    assert store.decisions().owners == () and not store.decisions().stamps
    write_decisions(client / "decisions.yml", Decisions())  # the io writer stays compatible
    assert store.decisions() == Decisions()


def test_an_accept_a_reject_forbids_is_refused_and_nothing_is_written(store: WorkshopStore, client: Path):
    """Reject A~B, accept A'~B: accepting A~A' would combine A and B, so it is refused with
    the reason (a reject wins), and the file keeps the two decisions."""
    a, a2, b = "Harlow Harbor Pet Hospital", "Harlow Harbour Pet Hospital", "Harlow Harbor Pet Hoospital"
    store.decide_merge(a, b, "reject")
    store.decide_merge(a2, b, "accept")
    before = (client / "decisions.yml").read_text()
    with pytest.raises(DecisionsError, match="were rejected as different clients.*Undo that reject"):
        store.decide_merge(a, a2, "accept")
    assert (client / "decisions.yml").read_text() == before
    store.decide_merge(a, a2, "reject")  # a reject is always allowed
    store.undo_merge(a, b)
    store.decide_merge(a, a2, "accept")  # the reject undone: allowed now
    assert store.decisions().merge_decision(a, a2) == "accept"


def test_no_lock_file_is_left_in_the_client_folder(store: WorkshopStore, client: Path):
    store.decide_merge("A Co", "A Corp", "accept")
    store.set_category("Ann Lee", "Blue Lake Co", "target")
    store.save_key_share(0.3)
    assert not [p.name for p in client.iterdir() if p.name.endswith(".lock")]
