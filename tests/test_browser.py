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
    """Should JupyterLab still ask which kernel to use, take the one it proposes."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=1500)
    except PlaywrightTimeout:
        return
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()


PROMPTS = """(selector) => [...document.querySelector(selector).querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                           .map(prompt => prompt.textContent.trim())"""


def _run_all_cells(page, attempts=3, timeout_s=150):
    """Run > Run All Cells, then wait until every code cell shows its execution count, or the run
    stopped at an error (which the test then reports). On a busy machine JupyterLab can lose a run
    (a click just before it swaps in the kernel it starts): when nothing is running, no error is shown
    and nothing happened for 15 s, click again."""
    deadline = time.monotonic() + timeout_s
    for _ in range(attempts):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        last_change, previous = time.monotonic(), None
        while time.monotonic() < deadline:
            prompts = page.evaluate(PROMPTS, PANEL)
            if all(re.search(r"\[\d+\]", p) for p in prompts):
                break
            if prompts != previous:
                last_change, previous = time.monotonic(), prompts
            if not any("*" in p for p in prompts):
                if _error_shown(page.locator(PANEL)):
                    break
                if time.monotonic() - last_change > 15:
                    break  # the run was lost: click again
            page.wait_for_timeout(500)
        else:
            raise TimeoutError(f"the cells did not finish running within {timeout_s} s: prompts {prompts}")
        if all(re.search(r"\[\d+\]", p) for p in prompts) or _error_shown(page.locator(PANEL)):
            page.locator(PANEL).locator(IDLE).wait_for(timeout=30_000)
            return prompts
    return prompts


def _wait_for_widget_views(panel, timeout_s=30):
    """Widget views render a moment after their cell ran (longer on a busy machine)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not any("Loading widget..." in t for t in panel.locator(".jp-OutputArea").all_inner_texts()):
            break
        panel.page.wait_for_timeout(500)
    panel.page.wait_for_timeout(500)


def _widget_lost(panel):
    return any("Error displaying widget: model not found" in t for t in panel.locator(".jp-OutputArea").all_inner_texts())


def _error_shown(panel):
    texts = panel.locator(".jp-OutputArea").all_inner_texts()
    return panel.locator(ERROR_OUTPUT).count() > 0 or any("Traceback (most recent call last)" in t for t in texts)


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
        page.wait_for_timeout(3000)  # JupyterLab may still reconnect to the new kernel; messages sent then are lost
        prompts = _run_all_cells(page)
        _wait_for_widget_views(panel)
        if _widget_lost(panel):  # a widget model sent during such a reconnect: run once more to tell
            prompts = _run_all_cells(page)
            _wait_for_widget_views(panel)

        errors = panel.locator(ERROR_OUTPUT)
        assert errors.count() == 0, f"{lesson}: error output:\n{errors.first.inner_text()[:2000]}"
        text = panel.locator(".jp-OutputArea").all_inner_texts()
        tracebacks = [t for t in text if "Traceback (most recent call last)" in t]
        assert not tracebacks, f"{lesson}: a traceback in the outputs:\n{tracebacks[0][:2000]}"
        broken = [line for t in text for line in t.splitlines()
                  if "Error displaying widget" in line or "Loading widget..." in line]
        assert not broken, f"{lesson}: a widget did not render: {broken}"
        unrun = [i for i, prompt in enumerate(prompts) if not re.search(r"\[\d+\]", prompt)]
        assert not unrun, f"{lesson}: code cells {unrun} did not run (prompts {prompts})"
        assert panel.locator(".jupyter-widgets").count() > 0, f"{lesson}: no widget rendered"
        assert panel.locator(".widget-slider").count() > 0, f"{lesson}: no slider rendered"
        assert _figure_changes_when_slider_moves(panel), f"{lesson}: moving a slider did not change its figure"
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(lesson).stem}.png"), full_page=True)
        shutil.copy(log_path, ARTIFACTS / f"{Path(lesson).stem}-jupyterlab.log")
        if page_errors:
            (ARTIFACTS / f"{Path(lesson).stem}-page-errors.txt").write_text("\n".join(page_errors))
        raise
    finally:
        page.close()
