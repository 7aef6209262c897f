"""A real browser runs every lesson in JupyterLab, as a learner would.

JupyterLab is started on 127.0.0.1 (a free port, a token, its own config/runtime/data/settings folders) on a
copy of lessons/ (so nothing it autosaves touches the repository). Debian's Chromium, driven by Playwright for
Python, opens each lesson, runs all cells from the Run menu and waits until every cell has run. Then: no error
output, every widget rendered, and pressing ArrowRight on a focused slider changes the figure next to it.
On failure a screenshot is saved in test-artifacts/.

Playwright cannot download its own browsers here, so it launches the system Chromium (``apt-get install
chromium``; .ci/run installs it). The test skips, saying why, where Chromium or Playwright is missing.
"""
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright
except ImportError:
    sync_playwright = None

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sync_playwright is None, reason="needs Playwright for Python (pip install -e '.[dev]')"),
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's Chromium (apt-get install chromium)"),
]
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type*='error']"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in view
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
SETTINGS = {  # render every cell (JupyterLab 4 otherwise only renders the cells in view)
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                    "autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(url, process, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"JupyterLab exited while starting:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of lessons/; yields its base URL, token and log file."""
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "lessons", home / "lessons", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = home / "settings"
    for name, values in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTER_DATA_DIR=str(home / "data"), IPYTHONDIR=str(home / "ipython"),
               MPLCONFIGDIR=str(home / "matplotlib"), JUPYTER_PLATFORM_DIRS="1")
    port, token = _free_port(), secrets.token_hex(16)
    log_path = home / "jupyterlab.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}", "--ServerApp.port_retries=0",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI containers often run as root
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", process, log_path)
        yield base, token, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _accept_kernel_dialog(page):
    """Older JupyterLabs ask which kernel to start even when the notebook names one: take the proposed one."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=3000)
    except PlaywrightTimeout:
        return
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()


def _run_all_cells(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def _wait_until_every_cell_ran(page, timeout_s=120):
    """Every code cell's prompt shows an execution count ('[7]:'), and the kernel is idle."""
    page.wait_for_function(
        """(selector) => {
            const panel = document.querySelector(selector);
            const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", arg=PANEL, timeout=timeout_s * 1000)
    page.locator(PANEL).locator(IDLE).wait_for(timeout=timeout_s * 1000)


def _figure_changes_when_slider_moves(panel):
    """Press ArrowRight (then ArrowLeft, in case it was at its maximum) on the first slider's handle and
    compare screenshots of that cell's outputs, with the sliders themselves masked out."""
    cell = panel.locator(".jp-CodeCell").filter(has=panel.page.locator(".widget-slider")).first
    slider = cell.locator(".widget-slider").first
    outputs = cell.locator(".jp-OutputArea").first
    outputs.scroll_into_view_if_needed()
    panel.page.wait_for_timeout(500)
    masks = [panel.locator(".widget-slider"), panel.locator(".widget-readout")]
    before = outputs.screenshot(mask=masks, animations="disabled")
    handle = slider.locator(".noUi-handle").first
    for key in ("ArrowRight", "ArrowLeft", "ArrowLeft"):
        handle.focus()
        panel.page.keyboard.press(key)
        for _ in range(20):
            panel.page.wait_for_timeout(250)
            if outputs.screenshot(mask=masks, animations="disabled") != before:
                return True
    return False


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_lesson_runs_in_a_real_browser(lab, browser, lesson):
    base, token, log_path = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    panel = page.locator(PANEL)
    try:
        # a workspace of its own per lesson, so no notebook from an earlier test is restored beside it
        page.goto(f"{base}/lab/workspaces/{Path(lesson).stem}/tree/lessons/{lesson}?token={token}", timeout=60_000)
        panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
        _accept_kernel_dialog(page)
        panel.locator(IDLE).wait_for(timeout=60_000)
        _run_all_cells(page)
        _wait_until_every_cell_ran(page)
        page.wait_for_timeout(1000)  # let the widget views render

        errors = panel.locator(ERROR_OUTPUT)
        assert errors.count() == 0, f"{lesson}: error output:\n{errors.first.inner_text()[:2000]}"
        text = panel.locator(".jp-OutputArea").all_inner_texts()
        tracebacks = [t for t in text if "Traceback (most recent call last)" in t]
        assert not tracebacks, f"{lesson}: a traceback in the outputs:\n{tracebacks[0][:2000]}"
        broken = [t for t in text if "Error displaying widget" in t or "Loading widget..." in t]
        assert not broken, f"{lesson}: a widget did not render: {broken[0][:300]}"
        assert panel.locator(".jupyter-widgets").count() > 0, f"{lesson}: no widget rendered"
        assert panel.locator(".widget-slider").count() > 0, f"{lesson}: no slider rendered"
        assert _figure_changes_when_slider_moves(panel), f"{lesson}: moving a slider did not change its figure"
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(lesson).stem}.png"), full_page=True)
        shutil.copy(log_path, ARTIFACTS / "jupyterlab.log")
        if page_errors:
            (ARTIFACTS / f"{Path(lesson).stem}-page-errors.txt").write_text("\n".join(page_errors))
        raise
    finally:
        page.close()
