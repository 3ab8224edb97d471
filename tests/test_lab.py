"""End to end, as staff publish: JupyterLab, the publication notebook, Run All, read the page.

A real JupyterLab server on 127.0.0.1 serves a copy of the site; Debian's headless Chromium
opens the notebook, waits for the "Python (Pressroom)" kernel, runs every cell and the test
reads what staff would read, then clicks the links to the files written (and the preview's
"PDF version" and "Word version") and sees each open inside JupyterLab: a tab of its own for
the web page and the PDF, a download for the Word file. Then it checks what the run left on
disk and in the ledger.
Every wait is bounded so a broken run fails with a message, never hangs; the browser is kept
on 127.0.0.1. A screenshot and the server's log are kept in tmp_path when it fails.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, SAMPLE_ID, copy_site

pytestmark = pytest.mark.slow

JUPYTER = REPO / ".venv" / "bin" / "jupyter"
NOTEBOOK = "publish_statement.ipynb"
NOTEBOOK_PATH = f"notebooks/{NOTEBOOK}"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
KERNEL = "pressroom"

# Bounds in seconds. Each step has its own, and all of them together share BUDGET, counted
# from the server's start, so the test ends (shutdown included) within about 105 s. Measured
# here: about 12 s from server start to the last assertion (the four clicks on file links
# add about 2 s), 40 s with both cores busy.
BUDGET = 90
SERVER_START = 30
PAGE_LOAD = 30
KERNEL_READY = 30
RUN_ALL = 45
SHOW = 10

# Lab settings: no "Jupyter news" pop-up over the notebook (and no request for it), and every
# cell kept in the page so the test can read outputs that are scrolled out of view.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
# Server side: nothing fetched from outside (news feed, update check, extension listings).
LAB_CONFIG = {"LabApp": {"news_url": None,
                         "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                         "extension_manager": "readonly"}}


@dataclass
class Lab:
    site: Path
    port: int
    token: str
    log: Path
    deadline: float = 0.0  # time.monotonic() by which the whole test must be done

    def seconds(self, step: float, what: str) -> float:
        """The time `what` may take: its own bound, or what is left of the budget."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"the test's {BUDGET} s ran out before waiting until {what}")
        return min(step, left)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _wait_until_up(lab: Lab, proc: subprocess.Popen) -> None:
    limit = lab.seconds(SERVER_START, "JupyterLab answers")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode} while starting:\n"
                        f"{lab.log_tail()}")
        try:
            with urllib.request.urlopen(lab.url("api/status"), timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"JupyterLab did not answer on {lab.base} within {limit:.0f} s:\n"
                f"{lab.log_tail()}")


def _stop(lab: Lab, proc: subprocess.Popen) -> None:
    """Ask the server to shut down (it stops its kernels), then end its process group."""
    if proc.poll() is None:
        try:
            request = urllib.request.Request(lab.url("api/shutdown"), method="POST", data=b"")
            urllib.request.urlopen(request, timeout=5).close()
            proc.wait(timeout=8)
        except (urllib.error.URLError, ConnectionError, TimeoutError,
                subprocess.TimeoutExpired):
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    # The group may outlive its leader (a kernel's children, say).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    site = copy_site(tmp_path / "site")
    (site / "notebooks").mkdir()
    shutil.copy2(REPO / "notebooks" / NOTEBOOK, site / "notebooks" / NOTEBOOK)

    jupyter = tmp_path / "jupyter"
    settings = jupyter / "settings"
    for name, values in LAB_SETTINGS.items():
        _write_json(settings / name, values)
    _write_json(jupyter / "config" / "jupyter_lab_config.json", LAB_CONFIG)
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_DATA_DIR": str(jupyter / "data"),  # the kernel comes from the venv's prefix
        "IPYTHONDIR": str(jupyter / "ipython"),
    }
    lab = Lab(site=site, port=_free_port(), token=secrets.token_hex(16),
              log=tmp_path / "jupyterlab.log")
    command = [
        str(JUPYTER), "lab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={lab.port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={lab.token}",
        f"--ServerApp.root_dir={site}",
        f"--LabApp.workspaces_dir={jupyter / 'workspaces'}",
        f"--LabApp.user_settings_dir={settings}",
        "--LabApp.expose_app_in_browser=True",
    ]
    lab.deadline = time.monotonic() + BUDGET
    with open(lab.log, "wb") as log:
        # A process group of its own, so the finaliser can end the server and all it started.
        proc = subprocess.Popen(command, cwd=site, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(lab, proc)
        yield lab
    finally:
        _stop(lab, proc)


# --- the browser ---------------------------------------------------------------------------

@dataclass
class Browser:
    page: Any
    refused: list[str]  # requests that tried to leave 127.0.0.1
    console_errors: list[str]


@pytest.fixture
def browser(lab: Lab, playwright_driver: Any) -> Iterator[Browser]:
    local = f"{lab.base}/"
    refused: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        # chrome:// and chrome-extension:// are the browser's own PDF viewer, not the network.
        if url.startswith((local, "data:", "blob:", "chrome://", "chrome-extension://")):
            r.continue_()
        else:
            refused.append(url)
            r.abort("blockedbyclient")

    with tempfile.TemporaryDirectory(prefix="lab-chromium-") as profile:
        context = playwright_driver.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1280, "height": 900}, service_workers="block")
        try:
            context.set_default_timeout(SHOW * 1000)
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            yield Browser(page, refused, errors)
        finally:
            context.close()


# --- what the page is asked --------------------------------------------------------------

# The notebook's panel and its kernel, as the session context sees it.
_PANEL = """
(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  return Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path)
    || null;
}
"""

_KERNEL_READY = f"""
(path) => {{
  const panel = ({_PANEL})(path);
  const ctx = panel && panel.sessionContext;
  const kernel = ctx && ctx.session && ctx.session.kernel;
  if (!kernel || ctx.kernelDisplayName === 'No Kernel') return false;
  return kernel.connectionStatus === 'connected' && kernel.status === 'idle'
    ? {{name: kernel.name, display: ctx.kernelDisplayName}} : false;
}}
"""

# Run All through the command the menu uses; it resolves when the last cell has run (or one
# failed). Bounded here as well as by playwright, so a stuck kernel gives a message.
_RUN_ALL = f"""
async ([path, ms]) => {{
  const app = window.jupyterapp;
  const panel = ({_PANEL})(path);
  app.shell.activateById(panel.id);
  await panel.sessionContext.ready;
  const timer = new Promise((_, fail) =>
    setTimeout(() => fail(new Error(`Run All did not finish within ${{ms / 1000}} s`)), ms));
  const ran = await Promise.race([app.commands.execute('notebook:run-all-cells'), timer]);
  return ran;
}}
"""

# Each code cell as the notebook model holds it after the run.
_CELLS = f"""
(path) => {{
  const panel = ({_PANEL})(path);
  return Array.from(panel.content.model.cells).filter(c => c.type === 'code').map(c => {{
    const outputs = [];
    for (let i = 0; i < c.outputs.length; i++) outputs.push(c.outputs.get(i).toJSON());
    return {{source: c.sharedModel.getSource(), count: c.executionCount, outputs}};
  }});
}}
"""


# The document widget open on `path` (a file JupyterLab opened in a tab), once it shows the
# file: the PDF viewer's frame, or the web page's heading inside the HTML viewer's frame (a
# same-origin blob of the file's text).
_OPENED = """
([path, kind]) => {
  const app = window.jupyterapp;
  const w = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  if (!w || !w.isVisible) return null;
  const pdf = w.node.querySelector('.jp-PDFContainer iframe');
  const frame = w.node.querySelector('.jp-HTMLViewer iframe, iframe.jp-HTMLViewer');
  const doc = frame && frame.contentDocument;
  const h1 = doc && doc.querySelector('h1');
  if (kind === 'pdf' ? !pdf : !h1) return null;
  return {active: app.shell.currentWidget === w, title: w.title.label,
          h1: h1 ? h1.innerText.trim() : null};
}
"""

# Back to the notebook's tab, so its outputs can be clicked again.
_ACTIVATE = f"""
(path) => {{
  const panel = ({_PANEL})(path);
  window.jupyterapp.shell.activateById(panel.id);
  return panel.isVisible;
}}
"""

# How each cell of a table in an output is aligned, and where the table starts against its
# output area (0: at the left edge).
_ALIGNMENT = """
(tables) => tables.map(t => ({
  caption: t.caption ? t.caption.innerText : '',
  cells: Array.from(t.querySelectorAll('th, td, caption'))
    .map(c => getComputedStyle(c).textAlign),
  offset: t.getBoundingClientRect().left
    - t.closest('.jp-OutputArea-output').getBoundingClientRect().left,
}))
"""


def _read_record(site: Path) -> tuple[str, int]:
    """The title and the number of footnotes, read from the record here rather than through
    the code under test, so a wrong title or count cannot agree with itself."""
    from ruamel.yaml import YAML

    text = (site / "statements" / f"{SAMPLE_ID}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    footnotes = len(re.findall(r"^\[\^[^\]]+\]:", body, flags=re.MULTILINE))
    return YAML(typ="safe").load(front)["title"], footnotes


def _cell_failures(cells: list[dict]) -> list[str]:
    """Each code cell that did not run, ran into an error, or wrote to stderr (a warning in
    pink is something staff see and ask about), as one line for the message."""
    problems = []
    for n, cell in enumerate(cells, 1):
        last = cell["source"].strip().splitlines()[-1] if cell["source"].strip() else ""
        errors = [o for o in cell["outputs"] if o.get("output_type") == "error"]
        stderr = [o for o in cell["outputs"]
                  if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        for e in errors:
            problems.append(f"code cell {n} ({last}): {e.get('ename')}: {e.get('evalue')}")
        for o in stderr:
            text = o.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            problems.append(f"code cell {n} ({last}) wrote to stderr: {text.strip()}")
        if not errors and cell["count"] is None:
            problems.append(f"code cell {n} ({last}): did not run")
    return problems


@contextlib.contextmanager
def _step(lab: Lab, what: str, bound: float) -> Iterator[float]:
    """Bound one step by its own limit and the budget; a time-out fails naming the step."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    seconds = lab.seconds(bound, what)
    try:
        yield seconds * 1000
    except PlaywrightTimeout:
        pytest.fail(f"timed out after {seconds:.1f} s waiting until {what}")


def _run_notebook(lab: Lab, browser: Browser) -> list[dict]:
    """Open the notebook as staff do, wait for its kernel, Run All; the cells afterwards."""
    with urllib.request.urlopen(lab.url("api/kernelspecs"), timeout=5) as answer:
        specs = json.load(answer)["kernelspecs"]
    assert KERNEL in specs, (f"no '{KERNEL}' kernel (have {sorted(specs)}): run "
                             f"`python -m ipykernel install --sys-prefix --name {KERNEL}`")
    page = browser.page
    with _step(lab, "JupyterLab opens the notebook", PAGE_LOAD) as ms:
        page.goto(lab.url(f"lab/tree/{NOTEBOOK_PATH}"), timeout=ms,
                  wait_until="domcontentloaded")
        page.wait_for_function(f"() => ({_PANEL})({json.dumps(NOTEBOOK_PATH)}) !== null",
                               timeout=ms)
    with _step(lab, f"the '{KERNEL}' kernel is connected and idle", KERNEL_READY) as ms:
        kernel = page.wait_for_function(_KERNEL_READY, arg=NOTEBOOK_PATH,
                                        timeout=ms).json_value()
    assert kernel == {"name": KERNEL, "display": "Python (Pressroom)"}, kernel
    with _step(lab, "Run All finishes", RUN_ALL) as ms:
        page.evaluate(_RUN_ALL, [NOTEBOOK_PATH, ms])  # the script bounds itself to `ms`
    return page.evaluate(_CELLS, NOTEBOOK_PATH)


def _shown(lab: Lab, locator: Any, what: str) -> Any:
    """`locator` once it is on the page, within SHOW seconds and the budget."""
    with _step(lab, f"the notebook shows {what}", SHOW) as ms:
        locator.page.set_default_timeout(ms)
        locator.wait_for(timeout=ms)
    return locator


def test_staff_publish_from_jupyterlab(lab: Lab, browser: Browser, tmp_path: Path) -> None:
    page = browser.page
    title, footnotes = _read_record(lab.site)
    assert footnotes == 6, "the sample record should have six footnotes"
    folder = lab.site / "output" / SAMPLE_ID
    shown_folder = f"output/{SAMPLE_ID}/"
    try:
        cells = _run_notebook(lab, browser)
        problems = _cell_failures(cells)
        assert not problems, "The notebook did not run cleanly:\n" + "\n".join(problems)
        outputs = page.locator(".jp-OutputArea-output")
        run_id = _only_run_id(lab.site / "runs" / "ledger.sqlite")

        # 1. the top: the statement's state, its last transition, where this run writes
        status = _shown(lab, outputs.locator(".pressroom-status"), "the statement's state")
        text = status.inner_text()
        assert "State: published" in text
        assert f"This run writes to: {shown_folder} (public)" in text
        transitions = status.locator("table", has=page.locator("caption",
                                                              has_text="Last transitions"))
        assert transitions.locator("tbody tr").count() == 1  # the adoption, and nothing else
        assert "adopt (version 1)" in transitions.locator("tbody tr").inner_text()

        # 2. the record has no problems: one plain sentence, not an empty table
        sentence = outputs.locator("p", has_text=f"No problems found in {SAMPLE_ID}.md.")
        _shown(lab, sentence, "that the record has no problems")
        assert outputs.locator("table caption", has_text=f"{SAMPLE_ID}.md:").count() == 0

        # 3. the preview: the web page inline, with the statement's title inside it
        frame = page.locator(f'iframe[title="Preview of {title}"]')
        _shown(lab, frame, "the preview")
        inside = frame.content_frame
        assert inside.locator("h1").inner_text().strip() == title
        assert inside.locator("title").text_content().strip() != ""

        # 4. the files written, each name a link the server resolves, never file://
        written = outputs.locator("table", has=page.locator("caption", has_text="Written to"))
        _shown(lab, written, "the files written")
        assert written.locator("caption").inner_text() == f"Written to {shown_folder} (public)"
        rows = written.locator("tbody tr")
        assert sorted(rows.locator("td:first-child").all_inner_texts()) == ["docx", "html", "pdf"]
        shown = {r[1]: r for r in (row.split("\t") for row in rows.all_inner_texts())}
        assert sorted(shown) == sorted(f"{SAMPLE_ID}.{ext}" for ext in ("html", "pdf", "docx"))
        for name, (_fmt, _name, size, sha) in shown.items():
            data = (folder / name).read_bytes()
            assert (size, sha) == (f"{len(data):,}", hashlib.sha256(data).hexdigest()[:16])
        links = page.locator(".jp-OutputArea-output a[data-href]")
        hrefs = links.evaluate_all(
            "as => as.map(a => [a.dataset.href, a.href, a.hasAttribute('download')])")
        # Three in the table; the preview's PDF, Word and archive ("All statements") links.
        assert len(hrefs) == 6, hrefs
        for written_as, resolved, download in hrefs:
            name = written_as.rsplit("/", 1)[-1]
            where = "output" if name == "index.html" else f"output/{SAMPLE_ID}"
            # Relative to notebooks/, as JupyterLab resolves a link in a notebook's output;
            # JupyterLab turns it into the server's address of the file.
            assert written_as == f"../{where}/{name}", written_as
            assert resolved.startswith(f"{lab.base}/files/{where}/{name}"), resolved
            assert download == name.endswith(".docx")

        # 5. the PDF's first page: a PNG at its printed size, with alt text naming it
        image = outputs.locator('img[src^="data:image/png;base64,"]')
        _shown(lab, image, "the PDF's first page")
        size = image.evaluate(
            "img => img.complete ? [img.naturalWidth, img.naturalHeight, img.width, img.height]"
            " : null")
        assert size is not None, "the PDF page image never loaded"
        natural_w, natural_h, shown_w, shown_h = size
        assert natural_h > natural_w, f"the first page is not a portrait page: {size}"
        # An A4 page at 96 ppi (the CSS pixel: its printed size) is 794 px wide; body text
        # was unreadable at the old 50 ppi (413 px).
        assert natural_w >= 780 and shown_w >= 780 and shown_h > shown_w, size
        png = base64.b64decode(image.get_attribute("src").split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        alt = image.get_attribute("alt")
        assert alt == f"The first page of the PDF of “{title}”, as it prints.", alt

        # 6. the Word outline, with the record's six footnotes
        outline = outputs.locator("table caption", has_text="Word outline:")
        _shown(lab, outline, "the Word outline")
        assert outline.inner_text().strip() == f"Word outline: {footnotes} footnotes"

        # 7. every table left-aligned (JupyterLab right-aligns cells and centres tables)
        tables = outputs.locator("table").evaluate_all(_ALIGNMENT)
        assert len(tables) == 3, tables  # transitions, files written, Word outline
        for table in tables:
            assert set(table["cells"]) == {"left"}, table
            assert abs(table["offset"]) < 20, table  # at the left, not centred

        # 8. the summary: state, where and why, the version, the run and how to see it, next
        summary = _shown(lab, outputs.locator(".pressroom-summary"), "the summary")
        text = summary.inner_text()
        assert f"Run: {run_id}, recorded in the run ledger: pressroom log {SAMPLE_ID}" in text
        assert "State: published" in text
        assert f"Written to: {shown_folder} (public)" in text
        assert "Version: 1, published" in text
        assert "Next: nothing: the public folder holds this version" in text

        # 9. the links open the files inside JupyterLab. What the run wrote is checked
        # first: opening a file makes JupyterLab add an (empty) .ipynb_checkpoints folder
        # beside it, which the next publication's swap of the folder drops.
        _check_outputs(folder)
        _check_ledger(lab.site / "runs" / "ledger.sqlite", lab.site, folder)
        _check_links_open(lab, page, inside, folder)
    except BaseException:
        shot = tmp_path / "jupyterlab-failure.png"
        try:
            page.screenshot(path=str(shot), timeout=SHOW * 1000)
        except Exception as exc:  # the page may be gone; the log still helps
            print(f"no screenshot: {exc}")
        print(f"screenshot: {shot}\nconsole errors: {browser.console_errors}\n"
              f"refused requests: {browser.refused}\n"
              f"JupyterLab log ({lab.log}):\n{lab.log_tail()}")
        raise

    assert browser.refused == [], f"requests that tried to leave 127.0.0.1: {browser.refused}"
    # What a browser says of a file:// link on a served page.
    assert not [e for e in browser.console_errors if "local resource" in e], \
        browser.console_errors


def _check_links_open(lab: Lab, page: Any, preview: Any, folder: Path) -> None:
    """Click as staff do: the preview's "PDF version" opens the PDF in a tab of JupyterLab,
    the table's web page opens in another, the preview's "All statements" the archive's
    index in a third, and both Word links download the Word file."""
    def opened(name: str) -> dict:
        path = f"output/{SAMPLE_ID}/{name}"
        kind = name.rsplit(".", 1)[1]
        with _step(lab, f"JupyterLab shows {path} in a tab", SHOW) as ms:
            return page.wait_for_function(_OPENED, arg=[path, kind], timeout=ms).json_value()

    def back_to_notebook() -> None:
        with _step(lab, "the notebook's tab is back", SHOW) as ms:
            page.wait_for_function(_ACTIVATE, arg=NOTEBOOK_PATH, timeout=ms)

    def downloaded(link: Any) -> bytes:
        with _step(lab, f"the Word file downloads from {link}", SHOW) as ms:
            with page.expect_download(timeout=ms) as info:
                link.click(timeout=ms)
            return Path(info.value.path()).read_bytes()

    pdf, web, word = (f"{SAMPLE_ID}.{ext}" for ext in ("pdf", "html", "docx"))
    table = page.locator(".jp-OutputArea-output table", has=page.locator(
        "caption", has_text="Written to"))

    preview.get_by_role("link", name="PDF version").click()
    shown = opened(pdf)
    assert shown["active"] and shown["title"] == pdf, shown

    back_to_notebook()
    table.get_by_role("link", name=web).click()
    shown = opened(web)
    assert shown["active"] and shown["title"] == web, shown
    # JupyterLab's HTML viewer shows the file's own text: the page this run wrote.
    assert shown["h1"] == _read_record(lab.site)[0], shown

    # The page's link to the archive's index, which this hand run brought up to date.
    back_to_notebook()
    preview.get_by_role("link", name="All statements").click()
    with _step(lab, "JupyterLab shows output/index.html in a tab", SHOW) as ms:
        shown = page.wait_for_function(_OPENED, arg=["output/index.html", "html"],
                                       timeout=ms).json_value()
    assert shown["active"] and shown["title"] == "index.html", shown

    docx = (folder / word).read_bytes()
    back_to_notebook()
    assert downloaded(table.get_by_role("link", name=word)) == docx
    back_to_notebook()
    assert downloaded(preview.get_by_role("link", name="Word version")) == docx


def _only_run_id(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        (run_id,), = db.execute("SELECT id FROM runs").fetchall()
    return run_id


def _check_outputs(folder: Path) -> None:
    names = {p.name for p in folder.iterdir()}
    expected = {f"{SAMPLE_ID}.{ext}" for ext in ("html", "pdf", "docx")}
    assert names == expected | {"manifest.json"}, names
    assert (folder / f"{SAMPLE_ID}.pdf").read_bytes().startswith(b"%PDF-")
    assert (folder / f"{SAMPLE_ID}.docx").read_bytes().startswith(b"PK\x03\x04")
    assert b"<html" in (folder / f"{SAMPLE_ID}.html").read_bytes()[:500].lower()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["statement"] == SAMPLE_ID
    assert set(manifest["outputs"]) == expected
    for name, entry in manifest["outputs"].items():
        data = (folder / name).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())


def _check_ledger(path: Path, site: Path, folder: Path) -> None:
    """One notebook run, succeeded, with each written file by its path in the site."""
    assert path.is_file(), f"no run ledger at {path}"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        runs = db.execute("SELECT id, statement_id, mode, status, error FROM runs").fetchall()
        assert len(runs) == 1, runs
        run_id, statement_id, mode, status, error = runs[0]
        assert (statement_id, mode, status, error) == (SAMPLE_ID, "notebook", "succeeded", None)
        recorded = db.execute("SELECT path, sha256, bytes FROM outputs WHERE run_id = ?",
                              (run_id,)).fetchall()
    on_disk = []
    for p in folder.iterdir():
        if p.name != "manifest.json":
            data = p.read_bytes()
            on_disk.append((p.relative_to(site).as_posix(), hashlib.sha256(data).hexdigest(),
                            len(data)))
    assert sorted(recorded) == sorted(on_disk)
