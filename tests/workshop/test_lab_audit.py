"""The audit notebook in a real JupyterLab (Chromium driven by Playwright), as a consultant
opens it on a shared screen: every output Lab-safe (no dollar amounts typeset as maths),
the report's look (KPI cards as cards, text columns left-aligned, numbers right-aligned),
code folded. A control output without the toolkit's wrapper shows MathJax is active in this
Lab, so "no MathJax" means something. Screenshots at 1024 px and 1440 px are kept in the
test's tmp dir.

Run it alone: ``.venv/bin/pytest tests/workshop/test_lab_audit.py -m browser -v``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, jupyter_lab, open_and_run_all

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks" / "alms_audit.ipynb"
CONTROL = "from IPython.display import HTML\nHTML('<p class=\"alms-test-control\">control: $1,000 and $2,000</p>')"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def _prepare(root: Path) -> Path:
    """notebooks/alms_audit.ipynb on a copy of the services sample, plus the control cell."""
    shutil.copytree(ROOT / "client_data" / "sample-services", root / "client_data" / "services")
    nb = nbformat.read(str(NB), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    lines[0] = 'client_dir = "../client_data/services"'
    cell.source = "\n".join(lines)
    nb.cells.append(nbformat.v4.new_code_cell(CONTROL))
    (root / "notebooks").mkdir()
    path = root / "notebooks" / NB.name
    nbformat.write(nb, str(path))
    return path


def test_the_audit_notebook_reads_as_the_report_in_jupyterlab(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    root = tmp_path / "root"
    _prepare(root)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with jupyter_lab(root, tmp_path / "jupyterlab.log") as server, sync_playwright() as pw:
        base, token = server.split("|")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        try:
            def folded() -> None:  # only the parameters cell (and the test's control cell) show code
                assert page.locator(".jp-CodeCell:not(.jp-mod-hiddenInput) .jp-InputArea-editor").count() == 2

            open_and_run_all(page, base, token, f"notebooks/{NB.name}", folded)
            page.locator(".alms-test-control").wait_for(state="attached", timeout=120_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            page.wait_for_timeout(1_500)  # MathJax typesets after rendering

            # MathJax is active in this Lab: the control (two dollar amounts, no wrapper) is typeset ...
            control = page.locator(".jp-OutputArea-output").filter(has=page.locator(".alms-test-control"))
            assert control.locator("mjx-container, .MathJax").count() > 0
            # ... and no output of the toolkit is
            outputs = page.locator(".jp-OutputArea-output:has(.alms-output)")
            assert outputs.count() > 30
            assert page.locator(".alms-output mjx-container, .alms-output .MathJax").count() == 0
            assert page.locator(".jp-OutputArea-output:not(:has(.alms-test-control)) mjx-container").count() == 0
            # no error output, no empty output area
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            assert page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type*='error']").count() == 0

            cards = page.locator(".alms-output .kpi-row").first
            cards.scroll_into_view_if_needed()
            assert "$" in (cards.text_content() or "")
            assert cards.evaluate("e => getComputedStyle(e).display") == "flex"
            tops = [round(b["y"]) for b in (k.bounding_box() for k in cards.locator(".kpi").all()) if b]
            assert len(tops) >= 3 and len(set(tops)) == 1, tops  # side by side, as cards
            value = cards.locator(".kpi .value").first
            assert value.evaluate("e => getComputedStyle(e).display") == "block"

            table = page.locator(".alms-output table.alms-table:has(tbody td.num)").first
            text_cell = table.locator("tbody td:not(.num)").first
            number_cell = table.locator("tbody td.num").first
            assert text_cell.evaluate("e => getComputedStyle(e).textAlign") in ("left", "start")
            assert number_cell.evaluate("e => getComputedStyle(e).textAlign") == "right"
            head = table.locator("thead th").first
            assert head.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"  # on the accent

            page.locator(".jp-NotebookPanel .jp-Cell").nth(3).scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "audit_1440.png"))
            page.set_viewport_size({"width": 1024, "height": 768})
            page.wait_for_timeout(500)
            cards.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "audit_1024.png"))
            tops = [round(b["y"]) for b in (k.bounding_box() for k in cards.locator(".kpi").all()) if b]
            assert len(tops) >= 3  # still cards at 1024 px (they may wrap onto two rows)
            # ... and no figure is broken across lines or runs out of its card
            for value in page.locator(".alms-output .kpi .value").all():
                value.scroll_into_view_if_needed()
                assert value.evaluate(
                    "e => e.offsetHeight < 2 * parseFloat(getComputedStyle(e).fontSize)"
                    " && e.scrollWidth <= e.parentElement.clientWidth"), value.text_content()
        except BaseException:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
    for name in ("audit_1440", "audit_1024"):
        assert (shots / f"{name}.png").stat().st_size > 20_000
