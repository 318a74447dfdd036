"""Every notebook, opened and run in JupyterLab in a real (headless) browser.

nbval runs the notebooks in a bare kernel; this checks what a reader gets: one
JupyterLab server for the session (127.0.0.1, free port, no token, root = the
repo so notebooks resolve project paths), each ``notebooks/*.ipynb`` opened at
``/lab/tree/notebooks/<name>`` in Debian's Chromium through Playwright, its
outputs cleared, ``notebook:run-all-cells`` executed, and then

* every non-empty code cell has an execution count (nothing hung or was skipped),
* no cell has an error output, nor a traceback printed on stderr (warnings are fine),
* the notebook file's bytes are unchanged: autosave is off, checkpoints go to a
  temp folder and nothing is ever saved, so kernel outputs never reach the repo.

A screenshot of each run notebook goes to ``reports/browser/<name>.png``.

JupyterLab's settings, workspaces and runtime files live in a temp folder, so the
user's own JupyterLab set-up is neither used nor touched. Chinese text in the
page is drawn with the font the package bundles (``paperang-p2-fonts-cjk``), made
visible to Chromium through a private fontconfig file, so no system CJK font is
needed.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; Playwright's own browser
download does not work here) and the ``playwright`` package; skips otherwise.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, sync_playwright
    from playwright.sync_api import Error as PlaywrightError
except ImportError:
    pytest.skip("playwright not importable (pip install playwright)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "reports" / "browser"

SERVER_START_TIMEOUT = 60  # s, until the HTTP API answers
PAGE_LOAD_TIMEOUT = 60  # s, until the notebook is open and its kernel idle
RUN_TIMEOUT = 120  # s, for all cells of one notebook
POLL = 0.25  # s

CHROMIUM_ARGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
MAX_SCREENSHOT_HEIGHT = 12_000  # px; longer notebooks are cut off

# JupyterLab user settings for the test server: no news or update toasts over the
# page, no autosave (outputs must never be written back), every cell attached to
# the page (windowing off) so the screenshot shows the whole notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

PYTHON_TRACEBACK = "Traceback (most recent call last)"
# Cells expected to fail, as nbval and JupyterLab read this tag (JupyterLab runs on past them).
RAISES_TAG = "raises-exception"
DEFAULT_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# Browser-side helpers, evaluated in the page. `findPanel` finds the open
# notebook by its server path through the app exposed by `expose_app_in_browser`.
JS_FIND = """
const findPanel = (path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.content.model) return w;
  }
  return null;
};
"""

JS_IS_READY = JS_FIND + """
(path) => {
  const w = findPanel(path);
  if (!w || !w.context.isReady || !w.sessionContext.isReady) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}
"""

JS_START_RUN = JS_FIND + """
async (path) => {
  const app = window.jupyterapp;
  const w = findPanel(path);
  app.shell.activateById(w.id);
  if (!app.shell.leftCollapsed) app.shell.collapseLeft();
  if (!app.shell.rightCollapsed) app.shell.collapseRight();
  // Cleared first, so counts and errors seen afterwards are from this run only.
  await app.commands.execute('notebook:clear-all-cell-outputs');
  // Not awaited: the state is polled from Python with a bounded wait.
  app.commands.execute('notebook:run-all-cells');
  return true;
}
"""

JS_STATE = JS_FIND + """
(path) => {
  const w = findPanel(path);
  if (!w) return null;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const stderr = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';
  const cells = [];
  const model = w.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = [];
    for (let j = 0; j < cell.outputs.length; j++) outputs.push(cell.outputs.get(j).toJSON());
    // What the page shows: error outputs are rendered as stderr too.
    const widget = w.content.widgets[i];
    const rendered = widget ? [...widget.node.querySelectorAll(stderr)] : [];
    cells.push({
      index: i,
      empty: cell.sharedModel.getSource().trim() === '',
      count: cell.executionCount,
      state: cell.executionState || 'idle',
      tags: cell.sharedModel.getMetadata().tags || [],
      outputs: outputs,
      renderedTracebacks: rendered.map((n) => n.textContent).filter((t) => t.includes('Traceback')),
    });
  }
  return {kernel: kernel ? kernel.status : 'none', cells};
}
"""

JS_DIALOGS = "() => [...document.querySelectorAll('.jp-Dialog')].map((d) => d.innerText.slice(0, 300))"

JS_CONTENT_HEIGHT = JS_FIND + """
(path) => {
  const w = findPanel(path);
  const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
  scroller.scrollTop = 0;
  return window.innerHeight - scroller.clientHeight + scroller.scrollHeight;
}
"""

JS_SHUTDOWN = JS_FIND + """
async (path) => {
  const w = findPanel(path);
  if (w) await w.sessionContext.shutdown();
  return true;
}
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_lab_settings(settings_dir: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def wait_for_server(url: str, proc: subprocess.Popen, log: Path, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(POLL)
    raise TimeoutError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def fontconfig_with_bundled_font(folder: Path) -> dict[str, str]:
    """Environment for Chromium: the system fonts plus the package's CJK font."""
    try:
        font_dir = importlib.resources.files("paperang_p2_fonts_cjk") / "fonts"
    except ModuleNotFoundError:
        return {}
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(font_dir))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'fontconfig-cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server rooted at the repo; yields its base URL."""
    home = tmp_path_factory.mktemp("jupyterlab")
    write_lab_settings(home / "settings")
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={ROOT}",
        "--IdentityProvider.token=",
        "--PasswordIdentityProvider.hashed_password=",
        "--ServerApp.terminals_enabled=False",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ] + (["--allow-root"] if os.geteuid() == 0 else [])
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_server(url, proc, log, timeout=SERVER_START_TIMEOUT)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    args = (["--no-sandbox"] if os.geteuid() == 0 else []) + CHROMIUM_ARGS
    env = {**os.environ, **fontconfig_with_bundled_font(tmp_path_factory.mktemp("chromium"))}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, env=env)
        try:
            yield chromium
        finally:
            chromium.close()


class DialogShown(RuntimeError):
    """JupyterLab put up a dialog (kernel choice, kernel died, ...) a reader would have to answer."""


def kernel_names(base_url: str) -> list[str]:
    with urllib.request.urlopen(f"{base_url}/api/kernelspecs", timeout=5) as response:
        return sorted(json.load(response)["kernelspecs"])


def wait_until(page: Page, predicate: Callable[[Page], object], *, timeout: float, what: str):
    """Poll ``predicate(page)`` until it returns something truthy.

    Raises ``DialogShown`` as soon as a dialog covers the page and
    ``TimeoutError`` after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            dialogs = page.evaluate(JS_DIALOGS)
            if dialogs:
                raise DialogShown(f"{what}: JupyterLab shows a dialog: {dialogs[0]!r}")
            result = predicate(page)
        except PlaywrightError as exc:
            # The page is still loading or navigating: try again on the next poll.
            if "context was destroyed" not in str(exc):
                raise
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not done within {timeout} s")
        page.wait_for_timeout(POLL * 1000)


def cell_errors(state: dict) -> list[str]:
    """Error outputs and stderr tracebacks, one line each.

    Cells are named as JupyterLab's status bar counts them (from 1, all cell
    types) with their prompt: ``cell 3 (In [2]): ValueError: ...``.
    """
    errors = []
    for cell in state["cells"]:
        if RAISES_TAG in cell["tags"]:
            continue
        where = f"cell {cell['index'] + 1} (In [{cell['count'] or ' '}])"
        found = len(errors)
        for out in cell["outputs"]:
            if out.get("output_type") == "error":
                errors.append(f"{where}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
                if PYTHON_TRACEBACK in text:
                    last = text.strip().splitlines()[-1]
                    errors.append(f"{where}: traceback on stderr: {last}")
        if len(errors) == found and cell["renderedTracebacks"]:
            # The model shows no error but the page does: report what the page shows.
            last = cell["renderedTracebacks"][0].strip().splitlines()[-1]
            errors.append(f"{where}: traceback on the page: {last}")
    return errors


def run_finished(state: dict | None) -> bool:
    if not state or state["kernel"] != "idle":
        return False
    code = [c for c in state["cells"] if not c["empty"]]
    if any(c["state"] != "idle" for c in code):
        return False
    # After an error the kernel aborts the queued cells, which get no count.
    return all(c["count"] for c in code) or bool(cell_errors(state))


def run_notebook_in_browser(
    browser: Browser,
    base_url: str,
    path: str,
    *,
    screenshot: Path | None = None,
    timeout: float = RUN_TIMEOUT,
) -> list[str]:
    """Open ``path`` (relative to the server root) in JupyterLab, run all cells, return the errors.

    Nothing is saved. Raises ``DialogShown`` when JupyterLab asks something
    (which kernel to use, a kernel that died) and ``TimeoutError`` when the
    page, the kernel or the run does not finish in time.
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        # `reset`: a fresh workspace, so the tabs of earlier runs are not reopened.
        page.goto(
            f"{base_url}/lab/tree/{path}?reset",
            wait_until="domcontentloaded",
            timeout=PAGE_LOAD_TIMEOUT * 1000,
        )
        try:
            wait_until(
                page,
                lambda p: p.evaluate(JS_IS_READY, path),
                timeout=PAGE_LOAD_TIMEOUT,
                what=f"{path}: opening the notebook and starting its kernel",
            )
        except DialogShown as exc:
            if "Select Kernel" not in str(exc):
                raise
            raise DialogShown(
                f"{exc}\nThe notebook's metadata.kernelspec is missing or names a kernel this "
                f"environment does not have ({', '.join(kernel_names(base_url))}); JupyterLab asks "
                f"every reader to pick one. Set it to the default: {json.dumps(DEFAULT_KERNELSPEC)}."
            ) from None
        page.evaluate(JS_START_RUN, path)
        seen_finished = []

        def settled(p: Page) -> dict | None:
            # Between two cells the kernel is idle for an instant: require the
            # finished state on two polls in a row.
            state = p.evaluate(JS_STATE, path)
            seen_finished.append(run_finished(state))
            return state if seen_finished[-2:] == [True, True] else None

        try:
            state = wait_until(page, settled, timeout=timeout, what=f"{path}: running all cells")
        except TimeoutError as exc:
            state = page.evaluate(JS_STATE, path) or {}
            cells = state.get("cells", [])
            pending = [c["index"] + 1 for c in cells if not c["empty"] and not c["count"]]
            raise TimeoutError(
                f"{exc}; kernel {state.get('kernel')}, cells without a count: {pending}"
            ) from None
        if screenshot is not None:
            height = page.evaluate(JS_CONTENT_HEIGHT, path)
            height = min(max(height, VIEWPORT["height"]), MAX_SCREENSHOT_HEIGHT)
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            page.wait_for_timeout(300)  # let the layout and images settle at the new size
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
        return cell_errors(state)
    finally:
        try:
            page.evaluate(JS_SHUTDOWN, path)
        except PlaywrightError:  # the page is gone; the server stops the kernel when it ends
            pass
        context.close()


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(notebook: Path, lab: str, browser: Browser) -> None:
    before = sha256(notebook)
    path = notebook.relative_to(ROOT).as_posix()
    screenshot = SCREENSHOTS / f"{notebook.stem}.png"
    errors = run_notebook_in_browser(browser, lab, path, screenshot=screenshot)
    assert sha256(notebook) == before, f"{path} was written during the browser run"
    assert not errors, f"{path} has errors in JupyterLab:\n" + "\n".join(errors)


def write_notebook(path: Path, sources: list[str], *, tags: dict[int, list[str]] | None = None) -> None:
    """A notebook of code cells, without outputs, with the default kernelspec."""
    tags = tags or {}
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"cell-{i}",
            "metadata": {"tags": tags[i]} if i in tags else {},
            "outputs": [],
            "source": source,
        }
        for i, source in enumerate(sources)
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": DEFAULT_KERNELSPEC}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.slow
def test_failing_cell_is_reported(lab: str, browser: Browser) -> None:
    """The check itself: an error is reported (unless tagged as expected), the file unsaved."""
    # Under the server root to be reachable; in git-ignored reports/ should it outlive the test.
    folder = ROOT / "reports" / f"tmp-browser-check-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    try:
        notebook = folder / "fails.ipynb"
        sources = ["x = 1", "{}['expected']", "1 / 0", "print('not reached')"]
        write_notebook(notebook, sources, tags={1: [RAISES_TAG]})
        before = sha256(notebook)
        errors = run_notebook_in_browser(browser, lab, notebook.relative_to(ROOT).as_posix(), timeout=60)
        assert errors == ["cell 3 (In [3]): ZeroDivisionError: division by zero"]
        assert sha256(notebook) == before
    finally:
        shutil.rmtree(folder)


WARNING = {"output_type": "stream", "name": "stderr", "text": "UserWarning: 提醒\n"}
ERROR = {"output_type": "error", "ename": "ValueError", "evalue": "坏了", "traceback": []}
PRINTED = {"output_type": "stream", "name": "stderr", "text": f"{PYTHON_TRACEBACK}:\n  ...\nKeyError: 'x'\n"}


@pytest.mark.parametrize(
    "outputs, rendered, tags, expected",
    [
        ([WARNING], [], [], []),
        ([ERROR], ["Traceback ...\nValueError: 坏了"], [], ["cell 2 (In [1]): ValueError: 坏了"]),
        ([ERROR], [], [RAISES_TAG], []),
        ([PRINTED], [], [], ["cell 2 (In [1]): traceback on stderr: KeyError: 'x'"]),
        ([WARNING], ["Traceback ...\nOSError: x"], [], ["cell 2 (In [1]): traceback on the page: OSError: x"]),
    ],
)
def test_cell_errors(outputs: list[dict], rendered: list[str], tags: list[str], expected: list[str]) -> None:
    cell = {"index": 1, "count": 1, "outputs": outputs, "renderedTracebacks": rendered, "tags": tags}
    assert cell_errors({"cells": [cell]}) == expected
