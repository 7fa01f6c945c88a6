"""The workshop as a consultant runs it: ``alms lab CLIENT_DIR``'s working copy opened in a
real JupyterLab (Chromium driven by Playwright), decisions that contradict each other,
undo and restore, checked on disk; no MathJax in any output; the toolkit's own files
untouched (git status); screenshots at 1024 px (a projector, file browser open) and 1440 px.

Run it alone: ``.venv/bin/pytest tests/workshop/test_lab_workshop.py -m browser -v``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import write_client
from test_browser import CHROMIUM, CHROMIUM_ARGS, _wait_for, jupyter_lab, open_and_run_all

from alms_toolkit.io.decisions import read_decisions
from alms_toolkit.workshop.working_copies import write_working_copies

ROOT = Path(__file__).resolve().parents[2]
A, A2, B = "Harlow Harbor Pet Hospital", "Harlow Harbour Pet Hospital", "Harlow Harbor Pet Hoospital"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_the_workshop_in_jupyterlab_contradictions_undo_and_restore(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    before = _git_status()
    client = write_client(tmp_path / "tiny-media")
    with open(client / "billing.csv", "a", encoding="utf-8") as fh:  # a third spelling: A' (A~A', A'~B)
        fh.write(f"2025-03-20,{A2},Ann Lee,700.00\n")
    copy = write_working_copies(client)["workshop"]  # what `alms lab CLIENT_DIR` opens
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with jupyter_lab(client, tmp_path / "jupyterlab.log") as server, sync_playwright() as pw:
        base, token = server.split("|")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        try:
            open_and_run_all(page, base, token, f"{copy.parent.name}/{copy.name}")
            review = page.locator(".jp-OutputArea-output").filter(has_text="Duplicate review").last
            review.locator("button", has_text="Accept: same client").wait_for(state="visible", timeout=90_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            page.screenshot(path=str(shots / "workshop_1024.png"))

            def show_pair(x: str, y: str) -> None:
                for _ in range(8):
                    shown = review.locator("table").first.inner_text()
                    if x in shown and y in shown and shown.count("Harlow") == 2:
                        return
                    review.locator("button", has_text="Skip").click()
                    page.wait_for_timeout(300)
                raise AssertionError(f"the pair {x} / {y} was never shown")

            decisions = client / "decisions.yml"
            show_pair(A, B)
            review.locator("button", has_text="Reject: different").click()
            _wait_for(lambda: decisions.exists() and "reject" in decisions.read_text(), 20, "the reject")
            show_pair(A2, B)
            review.locator("button", has_text="Accept: same client").click()
            _wait_for(lambda: "accept" in decisions.read_text(), 20, "the accept of A'~B")
            show_pair(A, A2)
            review.locator("button", has_text="Accept: same client").click()
            review.locator("text=were rejected as different clients").wait_for(timeout=20_000)
            review.screenshot(path=str(shots / "refused_1024.png"))
            saved = read_decisions(decisions)
            assert saved.merge_decision(A, B) == "reject" and saved.merge_decision(A2, B) == "accept"
            assert saved.merge_decision(A, A2) is None  # refused: nothing written

            owners = page.locator(".jp-OutputArea-output").filter(has_text="Owner confirmation").last
            owners.scroll_into_view_if_needed()
            owners.locator("button", has_text="Ben Ode").click()
            _wait_for(lambda: "Ben Ode" in decisions.read_text(), 20, "the owner confirmation")
            owners.locator("button", has_text="Unconfirm").click()
            _wait_for(lambda: "owners: []" in decisions.read_text(), 20, "the confirmation taken back")
            owners.locator("text=Confirmation taken back").wait_for(timeout=10_000)
            owners.screenshot(path=str(shots / "owners_1024.png"))

            sellers = page.locator(".jp-OutputArea-output").filter(has_text="Seller workshop").last
            row = (sellers.locator(".widget-hbox").filter(has_text="Blue Lake Co")
                   .filter(has=page.locator(".widget-toggle-buttons")).last)
            row.scroll_into_view_if_needed()
            row.locator("button", has_text="drop").click()
            prospects = client / "prospects.csv"
            _wait_for(lambda: " by " in next(x for x in prospects.read_text().splitlines() if "Blue Lake Co" in x),
                      20, "Blue Lake Co marked dropped")
            restore = sellers.locator("button", has_text="Restore")
            restore.scroll_into_view_if_needed()
            sellers.screenshot(path=str(shots / "sellers_dropped_1024.png"))
            restore.click()
            sellers.locator("text=is back on").wait_for(timeout=10_000)
            line = next(x for x in prospects.read_text().splitlines() if "Blue Lake Co" in x)
            assert line.startswith("Ann Lee,Blue Lake Co,EXTRA,3,3,3,,South,,")  # back, not dropped

            # no output of the workshop is typeset as maths
            assert page.locator(".jp-OutputArea-output mjx-container, .jp-OutputArea-output .MathJax").count() == 0
            page.set_viewport_size({"width": 1440, "height": 1000})
            page.wait_for_timeout(500)
            sellers.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "workshop_1440.png"))
        except BaseException:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    # the next audit shows the same state: A and B apart, A' with B, the owner unconfirmed
    from alms_toolkit.engine import audit

    result = audit(client)
    client_of = result.combination.client_of
    assert client_of[A2] == client_of[B] != client_of[A] and result.combination.conflicts.empty
    row = result.accounts.set_index("client").loc["Stone Bridge Dealership"]
    assert row["owner_source"] == "largest billing"
    assert not list(client.glob("*.lock")) and not list(client.glob(".*.lock"))  # no lock file left
    assert (client / ".history" / "decisions.yml").is_dir()  # every earlier version kept, dated
    assert _git_status() == before  # the toolkit's own notebooks and files untouched
    for name in ("workshop_1024", "refused_1024", "owners_1024", "sellers_dropped_1024", "workshop_1440"):
        assert (shots / f"{name}.png").stat().st_size > 5_000, name
