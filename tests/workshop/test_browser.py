"""End to end in a real browser: JupyterLab on 127.0.0.1 with a token, Chromium driven by
Playwright (the system's /usr/bin/chromium, never a downloaded browser). Opens the
workshop notebook on a small client, runs all cells, clicks Accept on a duplicate pair and
marks a prospect TARGET, then checks decisions.yml and prospects.csv on disk. Screenshots
(the page and each widget) are kept in the test's tmp dir.

Run it alone: ``.venv/bin/pytest tests/workshop/test_browser.py -m browser -v``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from alms_toolkit.atomic import dated_copies

CHROMIUM = Path("/usr/bin/chromium")
NB = Path(__file__).resolve().parents[2] / "notebooks" / "alms_workshop.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDGETS = {  # widget title -> screenshot name
    "Duplicate review": "duplicates", "Owner confirmation": "owners",
    "Cut-off explorer": "cutoff", "Seller workshop": "sellers",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def prepare_root(root: Path, client_dir: Path) -> Path:
    """A server root holding notebooks/alms_workshop.ipynb (parameter pointing at the client)
    and client_data/<client>; returns the notebook's path."""
    clients = root / "client_data"
    clients.mkdir(parents=True)
    target = clients / client_dir.name
    shutil.copytree(client_dir, target)
    nb = nbformat.read(str(NB), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    lines[0] = f'client_dir = "../client_data/{client_dir.name}"  # the client\'s folder'
    cell.source = "\n".join(lines)
    (root / "notebooks").mkdir()
    path = root / "notebooks" / NB.name
    nbformat.write(nb, str(path))
    return path


@contextmanager
def jupyter_lab(root: Path, log: Path) -> Iterator[str]:
    """Start JupyterLab on ``root``; yield its base URL (token in ``?token=``); stop it after."""
    port, token = _free_port(), os.urandom(12).hex()
    settings = root.parent / "lab-settings"
    notify = settings / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True)
    (notify / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(root.parent / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(root.parent / "workspaces")}
    env.pop("JPY_SESSION_NAME", None)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"JupyterLab exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        _wait_for(up, 60, "JupyterLab to start")
        yield f"{base}|{token}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def _accept_kernel_dialog(page, timeout: float = 8_000) -> None:
    """JupyterLab may ask which kernel to start: take the notebook's own (Python 3)."""
    button = page.locator(".jp-Dialog .jp-mod-accept", has_text="Select")
    try:
        button.wait_for(state="visible", timeout=timeout)
    except Exception:  # no dialog: the kernel started by itself
        return
    button.click()


def open_and_run_all(page, base: str, token: str, path: str, check: Callable[[], None] | None = None) -> None:
    """Open the notebook at ``path`` (from the server's root) in JupyterLab, wait for its
    kernel, call ``check`` (the notebook as opened), then Run > Run All Cells."""
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{path}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    _accept_kernel_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    if check is not None:
        check()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    _accept_kernel_dialog(page)


def run_workshop_in_browser(client_dir: Path, work: Path, shots: Path, *, prospect: str,
                            seller: str | None = None) -> dict[str, Path]:
    """Open the workshop notebook on (a copy of) ``client_dir`` in Chromium, run all cells,
    accept the first duplicate pair and mark ``prospect`` TARGET. Returns the copied
    client folder and the screenshots taken."""
    from playwright.sync_api import sync_playwright

    root = work / "root"
    prepare_root(root, client_dir)
    client = root / "client_data" / client_dir.name
    shots.mkdir(parents=True, exist_ok=True)
    taken: dict[str, Path] = {"client": client}
    with jupyter_lab(root, work / "jupyterlab.log") as server, sync_playwright() as pw:
        base, token = server.split("|")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, base, token, f"notebooks/{NB.name}")

            accept = page.locator("button", has_text="Accept: same client")
            accept.wait_for(state="visible", timeout=60_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            page.screenshot(path=str(shots / "page.png"))
            taken["page"] = shots / "page.png"
            for title, name in WIDGETS.items():
                box = page.locator(".jp-OutputArea-output").filter(has_text=title).last
                box.scroll_into_view_if_needed()
                box.screenshot(path=str(shots / f"{name}.png"))
                taken[name] = shots / f"{name}.png"

            decisions = client / "decisions.yml"
            accept.click()
            _wait_for(lambda: decisions.exists() and "decision: accept" in decisions.read_text(),
                      20, "the accepted merge in decisions.yml")
            page.locator("text=1 of").first.wait_for(timeout=10_000)

            if seller is not None:
                page.locator("select").filter(has_text=seller).first.select_option(seller)
            row = (page.locator(".widget-hbox").filter(has_text=prospect)
                   .filter(has=page.locator(".widget-toggle-buttons")).last)
            row.scroll_into_view_if_needed()
            row.locator("button", has_text="TARGET").first.click()
            prospects = client / "prospects.csv"
            _wait_for(lambda: f"{prospect},TARGET" in prospects.read_text(), 20,
                      f"{prospect} marked TARGET in prospects.csv")
            page.locator("text=is now a TARGET").first.wait_for(timeout=10_000)
            sellers = page.locator(".jp-OutputArea-output").filter(has_text="Seller workshop").last
            sellers.screenshot(path=str(shots / "sellers_after.png"))
            taken["sellers_after"] = shots / "sellers_after.png"
            cutoff = page.locator(".jp-OutputArea-output").filter(has_text="Cut-off explorer").last
            handle = cutoff.locator(".noUi-handle").first
            handle.scroll_into_view_if_needed()
            handle.click()
            for _ in range(5):  # 25% -> 30%
                handle.press("ArrowRight")
            cutoff.locator("button", has_text="Save 30% to client.yml").click()
            cutoff.locator("text=Write key_share: 0.30").wait_for(timeout=10_000)
            cutoff.screenshot(path=str(shots / "cutoff_confirm.png"))
            taken["cutoff_confirm"] = shots / "cutoff_confirm.png"
            cutoff.locator("button", has_text="Yes, write it").click()
            yml = client / "client.yml"
            _wait_for(lambda: "\nkey_share: 0.30\n" in yml.read_text(), 20, "key_share in client.yml")
            page.screenshot(path=str(shots / "page_after.png"), full_page=True)
            taken["page_after"] = shots / "page_after.png"
        except BaseException:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)  # to see why
            raise
        finally:
            browser.close()
    return taken


def test_workshop_in_jupyterlab(client: Path, tmp_path: Path):
    taken = run_workshop_in_browser(client, tmp_path / "work", tmp_path / "screenshots",
                                    prospect="Red Rock Ltd")
    saved = taken["client"]
    decisions = (saved / "decisions.yml").read_text()
    assert '["Harlow Harbor Pet Hospital", "Harlow Harbor Pet Hoospital"], decision: accept' in decisions
    text = (saved / "prospects.csv").read_text()
    assert "Ann Lee,Red Rock Ltd,TARGET,,,,," in text
    assert "Ann Lee,Blue Lake Co,EXTRA,3,3,3,,South" in text  # the rest untouched
    assert dated_copies(saved / "prospects.csv")
    assert "\nkey_share: 0.30\n" in (saved / "client.yml").read_text()
    assert "key_share" not in dated_copies(saved / "client.yml")[-1].read_text().replace("# key_share", "")
    for name in ("page", "duplicates", "owners", "cutoff", "sellers", "sellers_after", "cutoff_confirm"):
        assert taken[name].stat().st_size > 5_000, name
