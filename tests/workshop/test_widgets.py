"""The workshop's widgets driven headless: set values, click buttons, check the files, and
check that the next audit run (and a reopened workshop) shows each decision."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from alms_toolkit.atomic import dated_copies
from alms_toolkit.engine import audit
from alms_toolkit.io.decisions import read_decisions
from alms_toolkit.report.views.display import Html
from alms_toolkit.workshop import Workshop, has_live_frontend
from alms_toolkit.workshop.sellers import fit_score


def text(widget) -> str:
    """A widget's HTML as the consultant reads it (entities decoded)."""
    return html.unescape(widget.value)


def words(widget) -> str:
    """A widget's text as read on screen: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", widget.value))


def live(client: Path) -> Workshop:
    return Workshop(client, interactive=True)


# ------------------------------------------------------------------ duplicate review


def test_accept_reject_skip_with_progress_and_reopen(client: Path):
    review = live(client).duplicates()
    assert review.progress_label == "0 of 2 reviewed"
    assert "Harlow Harbor Pet Hospital" in review.pair_html.value and "$9,000.00" in review.pair_html.value
    assert "$1,000.00" in review.pair_html.value and "98.6" in review.heading.value
    review.skip_button.click()
    assert review.current.name_a == "Maddox Canyon Hardware"
    assert not (client / "decisions.yml").exists()  # a skip saves nothing
    review.reject_button.click()
    assert review.progress_label == "1 of 2 reviewed"
    assert review.current.name_a == "Harlow Harbor Pet Hospital"  # back to the skipped pair
    review.accept_button.click()
    assert review.progress_label == "2 of 2 reviewed" and "all pairs decided" in review.progress_text.value
    d = read_decisions(client / "decisions.yml")
    assert d.merge_decision("Harlow Harbor Pet Hospital", "Harlow Harbor Pet Hoospital") == "accept"
    assert d.merge_decision("Maddox Canyon Hardware", "Maddox Canyon Hardwware") == "reject"
    again = live(client).duplicates()  # reopening shows the saved state
    assert again.progress_label == "2 of 2 reviewed"
    assert {p.status for p in again.pairs} == {"accepted", "rejected"}


def test_undo_makes_a_pair_pending_again(client: Path):
    review = live(client).duplicates()
    review.accept_button.click()
    review.back_button.click()
    assert review.current.status == "accepted" and not review.undo_button.disabled
    review.undo_button.click()
    assert review.progress_label == "0 of 2 reviewed"
    assert read_decisions(client / "decisions.yml").merges == ()


def test_an_accepted_merge_leaves_one_client_fewer_in_the_next_audit(client: Path):
    before = audit(client)
    review = live(client).duplicates()
    review.accept_button.click()  # Harlow Harbor Pet Hospital + Hoospital
    after = audit(client)
    assert len(after.accounts) == len(before.accounts) - 1
    merged = after.accounts.set_index("client").loc["Harlow Harbor Pet Hospital", "billing"]
    assert merged == 10_000_000_000
    assert after.combination.candidates["status"].tolist().count("accepted") == 1


def test_no_candidates_says_so(client: Path):
    text = (client / "client.yml").read_text() + "matching:\n  threshold: 99.5\n"
    (client / "client.yml").write_text(text)
    review = live(client).duplicates()
    assert review.pairs == [] and "No possible duplicates" in review.box.children[1].value
    review.decide("accept")  # nothing to decide: no file written
    assert not (client / "decisions.yml").exists()


# ------------------------------------------------------------------ owners


def test_owner_buttons_show_who_billed_what_and_save_the_choice(client: Path):
    owners = live(client).owners()
    [c] = owners.clients
    assert c.client == "Stone Bridge Dealership" and c.source == "largest billing"
    ann, ben = owners.buttons[c.client_key]
    assert ann.description == "Ann Lee \u00b7 $6,000 (67%)" and ben.description == "Ben Ode \u00b7 $3,000 (33%)"
    assert ann.button_style == "info" and "not confirmed" in owners.status[c.client_key].value
    assert "0 of 1 confirmed" in owners.progress_text.value
    ben.click()
    assert read_decisions(client / "decisions.yml").owners == (("Stone Bridge Dealership", "Ben Ode"),)
    assert ben.button_style == "success" and ann.button_style == ""
    assert "1 of 1 confirmed" in owners.progress_text.value
    a = audit(client)
    row = a.accounts.set_index("client").loc["Stone Bridge Dealership"]
    assert (row["owner"], row["owner_source"]) == ("Ben Ode", "decision")
    again = live(client).owners()
    assert again.clients[0].confirmed and again.clients[0].owner == "Ben Ode"


def test_an_owner_confirmation_can_be_taken_back(client: Path):
    owners = live(client).owners()
    [c] = owners.clients
    undo = owners.undo_buttons[c.client_key]
    assert undo.disabled  # nothing confirmed yet
    owners.buttons[c.client_key][1].click()  # Ben Ode
    assert not undo.disabled and "1 of 1 confirmed" in owners.progress_text.value
    undo.click()
    assert read_decisions(client / "decisions.yml").owners == ()
    assert (c.owner, c.source) == ("Ann Lee", "largest billing") and undo.disabled
    assert "0 of 1 confirmed" in owners.progress_text.value and "1 to confirm" in owners.progress_text.value
    assert "Confirmation taken back" in owners.message.value
    row = audit(client).accounts.set_index("client").loc["Stone Bridge Dealership"]
    assert (row["owner"], row["owner_source"]) == ("Ann Lee", "largest billing")
    # the report's sentence counts the same state as the widget
    from alms_toolkit.report.views import audit_tables, narrative

    text = narrative.split_clients(audit_tables.split_owner_counts(audit(client)))
    assert "not confirmed yet. Please confirm the owner of 1 client." in text


def test_owner_and_merge_decisions_from_two_widgets_both_kept(client: Path):
    w = live(client)
    review, owners = w.duplicates(), w.owners()
    review.accept_button.click()
    owners.buttons[owners.clients[0].client_key][0].click()
    review.reject_button.click()
    d = read_decisions(client / "decisions.yml")
    assert len(d.merges) == 2 and d.owners == (("Stone Bridge Dealership", "Ann Lee"),)


# ------------------------------------------------------------------ cut-off explorer


def test_slider_redraws_and_saves_only_on_confirmation(client: Path):
    explorer = live(client).cutoff()
    assert explorer.share == 0.25 and explorer.tiers.n_key == 3  # ceil(11 * 0.25)
    assert "3 of 11" in explorer.figures.value and "$8,000" in explorer.figures.value
    first_png = bytes(explorer.chart.value)
    assert first_png.startswith(b"\x89PNG") and explorer.save_button.disabled
    explorer.slider.value = 0.4
    assert explorer.tiers.n_key == 5 and "5 of 11" in explorer.figures.value
    assert "$4,000" in explorer.figures.value and bytes(explorer.chart.value) != first_png
    before = (client / "client.yml").read_text()
    explorer.save_button.click()
    assert explorer.confirm_box.layout.display == "flex" and "key_share: 0.40" in explorer.confirm_text.value
    assert (client / "client.yml").read_text() == before  # not yet
    explorer.cancel_button.click()
    assert explorer.confirm_box.layout.display == "none" and (client / "client.yml").read_text() == before
    explorer.save_button.click()
    explorer.yes_button.click()
    assert "key_share: 0.40" in (client / "client.yml").read_text()
    assert dated_copies(client / "client.yml")[-1].read_text() == before
    assert audit(client).tiers.n_key == 5
    assert live(client).cutoff().share == 0.4  # reopened at the saved share
    # undone: the share before the save is written back
    assert explorer.undo_button.description == "Undo: back to 25%" and explorer.undo_button.layout.display == ""
    explorer.undo_button.click()
    assert "key_share: 0.25" in (client / "client.yml").read_text() and audit(client).tiers.n_key == 3
    assert explorer.undo_button.layout.display == "none" and "Undone" in explorer.message.value


def test_slider_is_clamped_to_its_range(client: Path):
    (client / "client.yml").write_text((client / "client.yml").read_text() + "key_share: 0.05\n")
    explorer = live(client).cutoff()
    assert explorer.share == 0.10 and explorer.saved_share == 0.05
    assert not explorer.save_button.disabled


# ------------------------------------------------------------------ seller workshop


def test_seller_lists_counts_and_scores(client: Path):
    s = live(client).sellers()
    assert s.sellers == ["Ann Lee", "Ben Ode"] and s.seller == "Ann Lee"
    assert "Harlow Harbor Pet Hospital" in s.accounts_html.value and "KEY" in s.accounts_html.value
    assert "Sunset Pharmacy" not in s.accounts_html.value  # Ben's
    assert [r.prospect for r in s.mine()] == ["New Horizon Labs", "Blue Lake Co", "Red Rock Ltd"]
    assert "TARGETs: 1 (range 1\u20132)" in s.counts.value
    key = ("ann lee", "red rock ltd")
    s.score_pickers[key][0].value = 4
    s.score_pickers[key][1].value = 2
    s.score_pickers[key][2].value = 3
    assert "3.0" in s.fit_labels[key].value
    assert "Ann Lee,Red Rock Ltd,LEAD,4,2,3,," in (client / "prospects.csv").read_text()
    s.picker.value = "Ben Ode"
    assert [r.prospect for r in s.mine()] == ["Oak Tree Inc"] and "Sunset Pharmacy" in s.accounts_html.value


def test_marking_a_prospect_target_saves_it(client: Path):
    s = live(client).sellers()
    toggle = s.category_buttons[("ann lee", "blue lake co")]
    toggle.value = "TARGET"
    assert "Ann Lee,Blue Lake Co,TARGET,3,3,3,,South" in (client / "prospects.csv").read_text()
    assert "TARGETs: 2 (range 1\u20132)" in s.counts.value and "Saved" in text(s.message)
    assert audit(client).sellers.set_index("seller").loc["Ann Lee", "n_targets"] == 2


def test_a_third_target_is_refused_and_the_toggle_reverts(client: Path):
    s = live(client).sellers()
    s.category_buttons[("ann lee", "blue lake co")].value = "TARGET"
    before = (client / "prospects.csv").read_text()
    toggle = s.category_buttons[("ann lee", "red rock ltd")]
    toggle.value = "TARGET"
    assert toggle.value == "LEAD"
    assert "Refused" in text(s.message) and "already has 2 TARGETs" in text(s.message)
    assert (client / "prospects.csv").read_text() == before


def test_a_spending_client_is_refused_as_target_with_the_reason(client: Path):
    s = live(client).sellers()
    assert not s.add("Sunset  Pharmacy", "TARGET")
    assert "already a spending client" in text(s.message) and "$2,000.00" in text(s.message)
    assert "SECONDARY" in text(s.message)
    assert "Sunset" not in (client / "prospects.csv").read_text()
    assert s.add("Sunset Pharmacy", "LEAD")  # a LEAD may still be vetted


def test_add_new_prospect_by_name_and_refusals(client: Path):
    s = live(client).sellers()
    s.new_name.value = "  Quartz   Analytics "
    s.new_category.value = "EXTRA"
    s.add_button.click()
    assert "Ann Lee,Quartz Analytics,EXTRA," in (client / "prospects.csv").read_text()
    assert s.new_name.value == "" and ("ann lee", "quartz analytics") in s.category_buttons
    assert not s.add("", "LEAD") and "Type the prospect's name" in text(s.message)
    assert not s.add("oak tree inc", "LEAD") and "Ben Ode's list" in text(s.message)
    assert not s.add("Third Extra", "EXTRA") and "already has 2 EXTRAs" in text(s.message)


def test_drop_takes_it_off_the_list_keeps_it_and_restore_puts_it_back(client: Path):
    from alms_toolkit.engine import audit

    s = live(client).sellers()
    s.category_buttons[("ann lee", "new horizon labs")].value = "drop"
    # off the list, not deleted: the row keeps its scores and notes, marked dropped
    text = (client / "prospects.csv").read_text()
    assert "Ann Lee,New Horizon Labs,TARGET,4,5,3,Met the CMO,North," in text and "Dropped" in text.splitlines()[0]
    assert ("ann lee", "new horizon labs") not in s.category_buttons
    assert "TARGETs: 0 (range 1\u20132) \u00b7 too few" in s.counts.value
    assert "Restore below" in s.message.value and "New Horizon Labs" in s.dropped_box.children[1].children[0].value
    again = live(client).sellers()
    assert [r.prospect for r in again.mine()] == ["Blue Lake Co", "Red Rock Ltd"]
    # the audit lists it nowhere, and counts it as dropped
    check = audit(client).prospect_check
    assert "New Horizon Labs" not in set(check.prospects["prospect"])
    assert list(check.dropped["prospect"]) == ["New Horizon Labs"]
    # Restore: back on the list as the TARGET it was
    again.dropped_box.children[1].children[1].click()
    assert [r.prospect for r in again.mine()][0] == "New Horizon Labs" and again.dropped_box.children == ()
    assert "Restored" in again.message.value
    assert "New Horizon Labs" in set(audit(client).prospect_check.prospects["prospect"])


def test_fit_score_uses_the_weights():
    from alms_toolkit.config import FitWeights

    assert fit_score((4, 2, 3), FitWeights()) == 3.0
    assert fit_score((4, None, 3), FitWeights(decision_maker_access=0)) == 3.5
    assert fit_score((4, None, 3), FitWeights()) is None


# ------------------------------------------------------------------ static and detection


def test_static_summaries_list_what_is_pending(client: Path):
    w = Workshop(client, interactive=False)
    dup = w.duplicates()
    assert isinstance(dup, Html) and "0 of 2 reviewed; 2 pending" in dup and "$9,000.00" in dup
    assert "At stake" in dup and dup.index("Harlow") < dup.index("Maddox")  # $1,000 at stake before $500
    live(client).duplicates().accept_button.click()
    assert "1 of 2 reviewed; 1 pending" in w.duplicates()  # the file counts, not the old audit
    assert "0 of 1 clients" in w.owners() and "Ann Lee $6,000 (67%)" in w.owners()
    assert "3 KEY accounts of 11" in w.cutoff()
    sellers = w.sellers()
    assert "Ann Lee" in sellers and "within the limits" in sellers
    assert "Workshop" not in w.header() and "Static summary" in w.header()


def test_live_frontend_detection():
    assert has_live_frontend({"JPY_SESSION_NAME": "/x/alms_workshop.ipynb"})
    assert not has_live_frontend({})


@pytest.mark.parametrize("part", ["duplicates", "owners", "cutoff", "sellers"])
def test_widgets_display_as_widget_views(client: Path, part: str):
    bundle = getattr(live(client), part)()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_todays_decisions_and_the_seller_picker_kept_across_runs(client: Path):
    w = Workshop(client, interactive=True, by="Dana")
    w.duplicates().accept_button.click()
    w.owners().buttons[w.owners().clients[0].client_key][0].click()
    s = w.sellers()
    s.picker.value = "Ben Ode"
    s.category_buttons[("ben ode", "oak tree inc")].value = "drop"
    summary = w.store.today()
    assert (summary.merges, summary.owners, summary.prospects, summary.dropped, summary.by) == (1, 1, 1, 1, ("Dana",))
    assert "1 merge decision, 1 owner confirmed, 1 prospect changed (1 dropped) by Dana." in summary.text()
    assert summary.text() in str(w.header())
    # the next run of the workshop shows the seller last shown, and no lock file is left
    assert Workshop(client, interactive=True).sellers().seller == "Ben Ode"
    assert not list(client.glob("*.lock")) and not list(client.glob(".*.lock"))


def test_a_pair_shows_each_spellings_context_side_by_side(client: Path):
    review = live(client).duplicates()
    shown = review.pair_html.value
    for head in ("Last billed", "Sellers", "Client id", "Rows"):
        assert head in shown
    first = review.current
    # the conftest ledger: Harlow Harbor Pet Hospital billed on 2025-01-10 by Ann Lee, one row
    assert first is not None and first.name_a == "Harlow Harbor Pet Hospital"
    assert "10 January 2025" in shown and "10 February 2025" in shown and "Ann Lee" in shown


def test_accept_all_above_a_score_after_a_preview(client: Path):
    review = live(client).duplicates()
    review.bulk_score.value = 99.5
    assert review.preview() == [] and review.bulk_button.disabled  # nothing scores that much
    review.bulk_score.value = 90
    previewed = review.preview()
    assert len(previewed) == 2 and review.bulk_button.description == "Accept these 2"
    assert all(p.name_a in review.bulk_list.value for p in previewed)
    assert "2 pairs will be accepted." in text(review.bulk_list)
    # one of them is rejected meanwhile (another window): the batch keeps that reject
    review.store.decide_merge(previewed[1].name_a, previewed[1].name_b, "reject")
    saved, refused = review.accept_previewed()
    d = read_decisions(client / "decisions.yml")
    assert saved == 1 and len(refused) == 1 and "rejected meanwhile" in refused[0]
    assert d.merge_decision(previewed[0].name_a, previewed[0].name_b) == "accept"
    assert d.merge_decision(previewed[1].name_a, previewed[1].name_b) == "reject"
    assert "1 pair accepted" in review.message.value and review.bulk_button.disabled
    assert [p.status for p in review.pairs] == ["accepted", "rejected"]
    assert review.progress_label == "2 of 2 reviewed"


def test_batch_accept_counts_only_what_it_will_accept_and_never_breaks_a_reject(client: Path):
    with open(client / "billing.csv", "a", encoding="utf-8") as fh:  # a third spelling of Harlow
        fh.write("2025-03-20,Harlow Harbour Pet Hospital,Ann Lee,700.00\n")
    a, a2, b = "Harlow Harbor Pet Hospital", "Harlow Harbour Pet Hospital", "Harlow Harbor Pet Hoospital"
    review = live(client).duplicates()
    assert len(review.pairs) == 4
    review.decide("reject")  # the first pair: A / B, different clients
    assert read_decisions(client / "decisions.yml").merge_decision(a, b) == "reject"
    review.bulk_score.value = 90
    previewed = review.preview()
    # A~A' is accepted; then A'~B would put A and B in one client: left, and not counted
    assert [{p.name_a, p.name_b} for p in previewed] == [{a, a2}, {"Maddox Canyon Hardware", "Maddox Canyon Hardwware"}]
    assert review.bulk_button.description == "Accept these 2"
    shown = text(review.bulk_list)
    assert "2 pairs will be accepted; 1 left as it is:" in shown and "rejected as different clients" in shown
    saved, refused = review.accept_previewed()
    d = read_decisions(client / "decisions.yml")
    assert saved == 2 and refused == []
    assert d.merge_decision(a, b) == "reject" and d.merge_decision(a, a2) == "accept"
    assert d.merge_decision(b, a2) is None  # never written
    assert len(audit(client).combination.conflicts) == 0  # nothing the audit would refuse
    review.undo_last()  # the batch is one step
    d = read_decisions(client / "decisions.yml")
    assert d.merges == ((a, b, "reject"),) or [m[2] for m in d.merges] == ["reject"]
    assert review.progress_label == "1 of 4 reviewed"


def test_pairs_come_largest_value_at_stake_first(client: Path):
    with open(client / "billing.csv", "a", encoding="utf-8") as fh:  # Maddox's smaller side: $500 -> $2,000
        fh.write("2025-03-13,Maddox Canyon Hardwware,Ben Ode,1500.00\n")
    review = live(client).duplicates()
    assert [p.name_a for p in review.pairs] == ["Maddox Canyon Hardware", "Harlow Harbor Pet Hospital"]
    assert [p.at_stake for p in review.pairs] == [2_000_000_000, 1_000_000_000]
    assert review.current is not None and review.current.name_a == "Maddox Canyon Hardware"
    assert "at stake $2,000.00" in text(review.heading)
    assert "At stake (the smaller billing)" in text(review.pair_html)
    overview = text(review.overview)
    assert overview.index("Maddox") < overview.index("Harlow") and "$1,000.00" in overview
    static = Workshop(client, interactive=False).duplicates()  # the static summary: the same order
    assert static.index("Maddox") < static.index("Harlow") and "$2,000.00" in static


def test_value_at_stake_order_breaks_ties_by_score():
    from alms_toolkit.workshop.duplicates import Pair, by_value_at_stake

    pairs = [Pair("a", "b", 91.0, 10, 5, "pending"), Pair("c", "d", 99.0, 3, 50, "pending"),
             Pair("e", "f", 97.0, 5, 900, "pending"), Pair("g", "h", 99.0, -40, 900, "pending")]
    assert [p.name_a for p in by_value_at_stake(pairs)] == ["e", "a", "c", "g"]


def test_undo_last_decision_takes_back_this_sessions_decisions_latest_first(client: Path):
    path = client / "decisions.yml"
    review = live(client).duplicates()
    assert review.undo_last_button.disabled  # nothing decided in this session yet
    first, second = review.pairs
    review.accept_button.click()  # first pair
    review.reject_button.click()  # second pair
    assert [(m[0], m[2]) for m in read_decisions(path).merges] == [(first.name_a, "accept"), (second.name_a, "reject")]
    assert not review.undo_last_button.disabled and "the reject of" in review.undo_last_button.tooltip
    review.undo_last_button.click()
    d = read_decisions(path)
    assert d.merge_decision(second.name_a, second.name_b) is None  # pending again
    assert d.merge_decision(first.name_a, first.name_b) == "accept"  # the earlier one stays
    assert second.status == "pending" and review.current is second and review.progress_label == "1 of 2 reviewed"
    assert "Taken back: the reject of" in text(review.message)
    review.undo_last_button.click()  # further back
    assert read_decisions(path).merges == () and review.progress_label == "0 of 2 reviewed"
    assert review.current is first and review.undo_last_button.disabled
    review.undo_last()  # nothing left to take back: nothing changes
    assert read_decisions(path).merges == ()


def test_undo_last_puts_back_the_decision_a_change_replaced_with_its_stamp(client: Path):
    path = client / "decisions.yml"
    from alms_toolkit.io.decisions import Decisions, with_merge, write_decisions

    write_decisions(path, with_merge(Decisions(), "Harlow Harbor Pet Hospital", "Harlow Harbor Pet Hoospital",
                                     "reject", ("2025-05-01 09:30", "Ann")))
    before = path.read_text(encoding="utf-8")
    review = live(client).duplicates()
    first = review.pairs[0]
    assert first.status == "rejected"
    review.position = 0
    review.decide("accept")  # changes her mind
    assert read_decisions(path).merge_decision(first.name_a, first.name_b) == "accept"
    review.undo_last()
    d = read_decisions(path)
    assert d.merge_decision(first.name_a, first.name_b) == "reject" and first.status == "rejected"
    assert "2025-05-01 09:30" in path.read_text(encoding="utf-8") and "Ann" in path.read_text(encoding="utf-8")
    assert len(d.merges) == len(read_decisions_text(before).merges)
    # a clear is a step too: undo puts the cleared decision back
    review.position = 0
    review.undo_button.click()
    assert read_decisions(path).merges == () and first.status == "pending"
    review.undo_last_button.click()
    assert read_decisions(path).merge_decision(first.name_a, first.name_b) == "reject"


def test_undo_last_keeps_a_decision_made_again_elsewhere(client: Path):
    path = client / "decisions.yml"
    review = live(client).duplicates()
    first = review.pairs[0]
    review.accept_button.click()
    review.store.decide_merge(first.name_a, first.name_b, "reject")  # another window, since
    review.undo_last()
    assert read_decisions(path).merge_decision(first.name_a, first.name_b) == "reject"
    assert "Decided again since, so kept as it is now" in text(review.message)
    assert first.status == "rejected" and review.undo_last_button.disabled


def read_decisions_text(yaml_text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "decisions.yml"
        f.write_text(yaml_text, encoding="utf-8")
        return read_decisions(f)


def test_find_narrows_the_pairs_to_a_spelling(client: Path):
    review = live(client).duplicates()
    review.find.value = "  hardwware "  # extra spaces and capital letters ignored
    assert review.current is not None and review.current.name_b == "Maddox Canyon Hardwware"
    assert "1 of 2 pairs has a spelling with" in text(review.find_note)
    assert "Harlow" not in text(review.overview) and "Maddox" in text(review.overview)
    review.skip_button.click()  # stays on the only pair found
    assert review.current.name_a == "Maddox Canyon Hardware"
    review.reject_button.click()
    assert read_decisions(client / "decisions.yml").merge_decision(
        "Maddox Canyon Hardware", "Maddox Canyon Hardwware") == "reject"
    review.find.value = "nothing like it"
    assert "No pair has a spelling with" in text(review.find_note) and "Harlow" in text(review.overview)
    review.find.value = ""
    assert review.find_note.value == "" and len(review._order()) == 2


def test_differences_nobody_sees_are_marked_in_words(client: Path):
    import pandas as pd

    from alms_toolkit.workshop.duplicates import DuplicateReview

    rows = [("Hartley Travel ", "Hartley Travel"), ("ACME Supply", "Acme Supply"), ("Café Luna", "CAFE LUNA"),
            ("Zoe\u00a0Co", "Zoe Co"), ("Acme Ltd", "Acme Limited")]
    candidates = pd.DataFrame([{"name_a": a, "name_b": b, "score": 99.0, "billing_a": 5_000_000_000 - i,
                                "billing_b": 4_000_000_000 - i, "status": "pending"} for i, (a, b) in enumerate(rows)])
    review = DuplicateReview(candidates, live(client).store)
    seen = []
    for i in range(len(rows)):
        review.position = i
        review._render()
        seen.append((words(review.pair_html), words(review.heading)))
    assert "Hartley Travel (with a trailing space)" in seen[0][0]
    assert "the two spellings differ only in spaces or hidden characters" in seen[0][1]
    assert "differ only in capital letters" in seen[1][1] and "(with" not in seen[1][0]
    assert "differ only in capital letters and accents" in seen[2][1]
    assert "Zoe Co (with a hidden character such as a non-breaking space)" in seen[3][0]
    assert "differ only" not in seen[4][1]  # a difference anyone can see is not marked
    overview = words(review.overview)
    assert "Hartley Travel (with a trailing space)" in overview and "capital letters and accents" in overview


def test_find_filters_long_lists_and_a_prospect_on_two_lists_is_flagged(client: Path):
    w = live(client)
    s = w.sellers()
    s.find.value = "  blue "
    assert set(s.category_buttons) == {("ann lee", "blue lake co")}
    s.find.value = "nothing like it"
    assert not s.category_buttons and "No prospect of this seller matches" in s.grid.children[0].value
    s.find.value = ""
    assert len(s.category_buttons) == 3
    # the same prospect added to Ben's list: flagged on Ann's row without a click
    w.store.add_prospect("Ben Ode", "Red Rock Ltd", "LEAD")
    again = live(client).sellers()
    row = again.grid.children[[r.prospect for r in again.mine()].index("Red Rock Ltd")]
    assert "also on Ben Ode&#x27;s list" in row.children[0].children[0].value
    owners = live(client).owners()
    owners.find.value = "stone"
    assert owners.rows[owners.clients[0].client_key].layout.display == ""
    owners.find.value = "zzz"
    assert owners.rows[owners.clients[0].client_key].layout.display == "none"


def test_unconfirm_takes_back_a_confirmation_saved_under_another_spelling(client: Path):
    (client / "decisions.yml").write_text(
        'owners:\n  - {client: "Stone Bridge Dealership, Inc.", owner: "Ben Ode"}\n', encoding="utf-8")
    owners = live(client).owners()
    [c] = owners.clients
    assert c.confirmed and c.owner == "Ben Ode"
    owners.undo_buttons[c.client_key].click()
    assert read_decisions(client / "decisions.yml").owners == ()
    row = audit(client).accounts.set_index("client").loc["Stone Bridge Dealership"]
    assert row["owner_source"] == "largest billing" and (c.owner, c.source) == (row["owner"], row["owner_source"])


def test_unconfirm_falls_back_to_the_account_lists_owner_as_the_audit_does(client: Path):
    (client / "account_list.csv").write_text("Seller,Account\nBen Ode,Stone Bridge Dealership\n", encoding="utf-8")
    text = (client / "client.yml").read_text(encoding="utf-8")
    (client / "client.yml").write_text(text + "account_list:\n  file: account_list.csv\n  date: 2025-06-01\n",
                                       encoding="utf-8")
    live(client).owners().buttons[live(client).owners().clients[0].client_key][0].click()  # Ann Lee, confirmed
    owners = live(client).owners()
    [c] = owners.clients
    assert (c.owner, c.source) == ("Ann Lee", "decision")
    owners.undo_buttons[c.client_key].click()
    row = audit(client).accounts.set_index("client").loc["Stone Bridge Dealership"]
    assert (row["owner"], row["owner_source"]) == ("Ben Ode", "account list") == (c.owner, c.source)
    assert "0 of 1 confirmed" in owners.progress_text.value and "0 to confirm" in owners.progress_text.value


def test_a_reject_that_cancels_saved_accepts_says_so(client: Path):
    with open(client / "billing.csv", "a", encoding="utf-8") as fh:
        fh.write("2025-03-20,Harlow Harbour Pet Hospital,Ann Lee,700.00\n")
    a, a2, b = "Harlow Harbor Pet Hospital", "Harlow Harbour Pet Hospital", "Harlow Harbor Pet Hoospital"
    review = live(client).duplicates()
    review.store.decide_merge(a, a2, "accept")
    review.store.decide_merge(a2, b, "accept")
    review.position = next(i for i, p in enumerate(review.pairs) if {p.name_a, p.name_b} == {a, b})
    review.decide("reject")
    assert "A reject wins, so the accept of" in review.message.value and "will not be made" in review.message.value
    assert [p.status for p in review.pairs if {p.name_a, p.name_b} == {a2, b}] == ["refused"]
    assert len(audit(client).combination.conflicts) == 1


def test_one_name_under_two_ids_is_labelled_and_never_batch_accepted(client: Path):
    """A pair the audit keeps apart because the ids differ reads so, and a batch accept of
    high scores leaves it for the consultant to decide on its own."""
    import pandas as pd

    from alms_toolkit.analysis.combine import SAME_NAME_DIFFERENT_IDS
    from alms_toolkit.workshop.duplicates import DuplicateReview

    store = live(client).store
    candidates = pd.DataFrame({
        "name_a": ["Main Street Pharmacy (ID 1001)", "Oak Hill Drugs Inc"],
        "name_b": ["Main Street Pharmacy (ID 2044)", "Oak Hill Drugs Inc."],
        "score": [100.0, 97.0], "billing_a": [2_060_250_000, 4_500_000_000],
        "billing_b": [605_100_000, 1_500_000_000], "status": ["pending", "pending"],
        "ids_a": ["1001", ""], "ids_b": ["2044", ""], "kind": [SAME_NAME_DIFFERENT_IDS, "fuzzy"],
    })
    review = DuplicateReview(candidates, store, "$")
    first = review.pairs[0]  # the larger value at stake: Oak Hill ($1,500.00 > $605.10)
    assert first.name_a == "Oak Hill Drugs Inc" and not first.different_ids
    review.position = 1
    review._render()
    assert "client IDs 1001 and 2044: two clients unless you combine them" in words(review.heading)
    assert "match score" not in words(review.heading)
    assert "client IDs 1001 and 2044" in words(review.overview)
    review.bulk_score.value = 90
    previewed = review.preview()
    assert [p.name_a for p in previewed] == ["Oak Hill Drugs Inc"]
    assert "decide it on its own" in words(review.bulk_list)
    saved, _refused = review.accept_previewed()
    d = read_decisions(client / "decisions.yml")
    assert saved == 1 and d.merge_decision("Main Street Pharmacy (ID 1001)", "Main Street Pharmacy (ID 2044)") is None


def test_a_name_like_one_of_several_by_id_is_never_batch_accepted(client: Path):
    """Accepting a spelling with each store of one name would combine the stores: a batch
    accept leaves those pairs to be decided one by one."""
    import pandas as pd

    from alms_toolkit.analysis.combine import LIKE_ONE_OF_SEVERAL
    from alms_toolkit.workshop.duplicates import DuplicateReview

    candidates = pd.DataFrame({
        "name_a": ["Main Street Pharmacy (ID 1001)", "Main Street Pharmacys", "Oak Hill Drugs Inc"],
        "name_b": ["Main Street Pharmacys", "Main Street Pharmacy (ID 2044)", "Oak Hill Drugs Inc."],
        "score": [98.1, 98.1, 97.0], "billing_a": [2_060_250_000, 450_000_000, 4_500_000_000],
        "billing_b": [450_000_000, 305_100_000, 1_500_000_000], "status": ["pending"] * 3,
        "ids_a": ["1001", "", ""], "ids_b": ["", "2044", ""],
        "kind": [LIKE_ONE_OF_SEVERAL, LIKE_ONE_OF_SEVERAL, "fuzzy"],
    })
    review = DuplicateReview(candidates, live(client).store, "$")
    review.bulk_score.value = 90
    assert [p.name_a for p in review.preview()] == ["Oak Hill Drugs Inc"]
    assert "like a name under several client ids: decide it on its own" in words(review.bulk_list)
