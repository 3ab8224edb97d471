"""Publication runs through papermill with a real kernel, and the ledger row each one leaves."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_ID
from pressroom.errors import NotebookError
from pressroom.runner import NOTEBOOK_NAME, ledger_for, notebook_path, run_publication
from pressroom.site import load_site

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernels")]


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def add_notebook_cell(site, source: str) -> None:
    """Give the site its own publication notebook with one more cell after the record's."""
    target = site.root / "notebooks" / NOTEBOOK_NAME
    target.parent.mkdir(exist_ok=True)
    nb = json.loads(notebook_path(site).read_text())
    start = next(i for i, c in enumerate(nb["cells"]) if "PublicationRun.start" in
                 "".join(c["source"]))
    nb["cells"].insert(start + 1, {"cell_type": "code", "execution_count": None, "id": "extra",
                                   "metadata": {}, "outputs": [], "source": source})
    target.write_text(json.dumps(nb))


def test_publish_runs_the_notebook_and_the_ledger_row_has_the_right_hashes(site):
    result = run_publication(site, SAMPLE_ID, actor="comms-officer")
    assert result.status == "succeeded"
    run = ledger_for(site).get(result.run_id)
    assert run.status == "succeeded" and run.mode == "notebook"
    assert run.actor == "comms-officer"
    assert run.record_sha256 == sha(site.record_path(SAMPLE_ID))
    manifest = json.loads((site.output_dir / SAMPLE_ID / "manifest.json").read_text())
    assert run.templates_sha256 == manifest["templates"]["sha256"]
    assert run.settings_sha256 == manifest["settings"]["sha256"]
    assert sorted(Path(o.path).name for o in run.outputs) == sorted(manifest["outputs"])
    for output in run.outputs:
        assert not Path(output.path).is_absolute()
        assert output.sha256 == sha(site.root / output.path)
        assert output.bytes == (site.root / output.path).stat().st_size
    # The executed notebook is the run's evidence, outside output/.
    assert not Path(run.notebook_path).is_absolute()  # relative to the site, like outputs
    executed = site.root / run.notebook_path
    assert executed.is_file() and site.runs_dir in executed.parents
    nb = json.loads(executed.read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in nb["cells"])
    assert all(c.get("outputs") is not None for c in nb["cells"] if c["cell_type"] == "code")
    # The committed notebook stays without outputs.
    committed = json.loads(notebook_path(site).read_text())
    assert not any(c.get("outputs") for c in committed["cells"] if c["cell_type"] == "code")


def test_nbconvert_renders_the_statement_an_executed_notebook_carries(site, tmp_path):
    result = run_publication(site, SAMPLE_ID)
    out = tmp_path / "converted"
    for fmt in ("html", "pdf", "docx"):
        subprocess.run(
            [str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to",
             f"pressroom_{fmt}", str(result.notebook), "--output-dir", str(out)],
            check=True, capture_output=True, text=True)
    published = site.output_dir / SAMPLE_ID
    converted = sorted(out.iterdir())
    assert [p.suffix for p in converted] == [".docx", ".html", ".pdf"]
    for path in converted:
        assert path.read_bytes() == (published / f"{SAMPLE_ID}{path.suffix}").read_bytes()


def _assert_failed_run_left_evidence(site, err, cell_source: str, reason: str):
    runs = ledger_for(site).runs(statement_id=SAMPLE_ID, failed_only=True)
    assert len(runs) == 1
    run = runs[0]
    assert run.status == "failed" and reason in run.error
    executed = site.root / run.notebook_path
    assert executed.is_file() and str(executed) == err.notebook
    nb = json.loads(executed.read_text())
    assert run.failed_cell is not None and err.cell == run.failed_cell
    assert cell_source in "".join(nb["cells"][run.failed_cell]["source"])
    # The cell is named once: its index and its code, not also its execution count.
    assert f"in cell {run.failed_cell} (`" in str(err) and "In [" not in str(err)


def test_a_bad_record_fails_in_the_record_cell_with_a_plain_message(site):
    path = site.record_path(SAMPLE_ID)
    path.write_text(path.read_text().replace("issued_by: forum-asia", "issued_by: nobody"))
    with pytest.raises(NotebookError) as err:
        run_publication(site, SAMPLE_ID)
    _assert_failed_run_left_evidence(site, err.value, "PublicationRun.start", "RecordError")
    assert "issued_by" in str(err.value)
    nb = json.loads(Path(err.value.notebook).read_text())
    shown = json.dumps(nb["cells"][err.value.cell]["outputs"])
    assert "issued_by" in shown and "Traceback" not in shown
    assert not (site.output_dir / SAMPLE_ID).exists()


def test_an_exception_in_a_cell_names_the_cell_and_keeps_previous_outputs(site):
    run_publication(site, SAMPLE_ID, direct=True)
    before = {p.name: p.read_bytes() for p in (site.output_dir / SAMPLE_ID).iterdir()}
    add_notebook_cell(site, "raise ValueError('the printer is on fire')")
    with pytest.raises(NotebookError) as err:
        run_publication(site, SAMPLE_ID)
    _assert_failed_run_left_evidence(site, err.value, "the printer is on fire", "ValueError")
    after = {p.name: p.read_bytes() for p in (site.output_dir / SAMPLE_ID).iterdir()}
    assert after == before


def test_a_kernel_that_dies_is_a_failed_run_with_evidence(site):
    add_notebook_cell(site, "import os\nos._exit(1)")
    with pytest.raises(NotebookError) as err:
        run_publication(site, SAMPLE_ID)
    _assert_failed_run_left_evidence(site, err.value, "os._exit(1)", "Dead")


def test_a_cell_that_runs_past_its_timeout_is_a_failed_run(site):
    add_notebook_cell(site, "import time\ntime.sleep(60)")
    with pytest.raises(NotebookError) as err:
        # The bound is every cell's: the first (imports, the record, the state) took 1.5 s
        # alone and over 4 s with both cores busy, so 3 s timed out in the wrong cell.
        run_publication(site, SAMPLE_ID, cell_timeout=10)
    _assert_failed_run_left_evidence(site, err.value, "time.sleep(60)", "Timeout")


def test_two_publishes_at_once_are_both_recorded(site):
    other = "2022-02-11-kazakhstan-copy"
    text = site.record_path(SAMPLE_ID).read_text().replace(SAMPLE_ID, other)
    site.record_path(other).write_text(text.replace("date: 2022-02-10", "date: 2022-02-11"))
    code = ("import sys\nfrom pressroom.site import load_site\n"
            "from pressroom.runner import run_publication\n"
            "run_publication(load_site(sys.argv[1]), sys.argv[2], actor='t')\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(site.root), sid])
             for sid in (SAMPLE_ID, other)]
    assert [p.wait(timeout=240) for p in procs] == [0, 0]
    runs = ledger_for(load_site(site.root)).runs()
    assert sorted(r.statement_id for r in runs) == sorted([SAMPLE_ID, other])
    assert all(r.status == "succeeded" and len(r.outputs) == 3 for r in runs)
    with sqlite3.connect(site.runs_dir / "ledger.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_warm_engine_gives_the_bytes_a_cold_run_gives(site_root, tmp_path):
    from pressroom.engine import WarmEngine

    cold_site = load_site(site_root)
    run_publication(cold_site, SAMPLE_ID)
    cold = _folder_without_run_ids(cold_site.output_dir / SAMPLE_ID)
    shutil.rmtree(cold_site.output_dir)
    try:
        for _ in range(2):  # the second run reuses the live kernel
            result = run_publication(cold_site, SAMPLE_ID, engine_name="pressroom_warm")
            warm = _folder_without_run_ids(cold_site.output_dir / SAMPLE_ID)
            assert warm == cold
            assert result.status == "succeeded"
            manifest = json.loads((cold_site.output_dir / SAMPLE_ID / "manifest.json").read_text())
            assert manifest["run"] == result.run_id
    finally:
        WarmEngine.shutdown()


def _folder_without_run_ids(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the manifest names the run that wrote it, and only that differs."""
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    manifest = json.loads(files.pop("manifest.json"))
    run = manifest.pop("run")
    assert run and all(o.pop("run") == run for o in manifest["outputs"].values())
    return {**files, "manifest.json": json.dumps(manifest).encode()}


def test_papermill_by_hand_does_what_publish_does_and_records_itself(site, tmp_path):
    """`papermill notebooks/publish_statement.ipynb out.ipynb -p statement <id>` by hand:
    no run id is given, so the notebook records its own run in the ledger."""
    import papermill

    nb_dir = site.root / "notebooks"
    nb_dir.mkdir(exist_ok=True)
    shutil.copyfile(notebook_path(site), nb_dir / NOTEBOOK_NAME)
    papermill.execute_notebook(str(nb_dir / NOTEBOOK_NAME), str(tmp_path / "out.ipynb"),
                               parameters={"statement": SAMPLE_ID},
                               cwd=str(nb_dir), progress_bar=False, kernel_name="pressroom")
    runs = ledger_for(site).runs()
    assert len(runs) == 1
    run = runs[0]
    # Run by hand, the person is whoever is logged in: here any login is the Manager.
    assert (run.mode, run.status, run.actor) == ("notebook", "succeeded", "Executive Director")
    assert run.record_sha256 == sha(site.record_path(SAMPLE_ID))
    assert sorted(Path(o.path).name for o in run.outputs) == sorted(
        f"{SAMPLE_ID}.{s}" for s in ("docx", "html", "pdf"))
    for output in run.outputs:
        assert output.sha256 == sha(site.root / output.path)
    # Its links are relative to notebooks/, where it ran; its summary names its own run.
    executed = json.loads((tmp_path / "out.ipynb").read_text())
    _check_links(executed, nb_dir, site.output_dir / SAMPLE_ID)
    (summary,) = [t for src, _h, t in _shown(executed) if "run.summary()" in src]
    assert f"Run: {run.id}, recorded in the run ledger" in summary
    by_command = run_publication(site, SAMPLE_ID, actor="cmd")
    assert {Path(p).name: h for p, h, *_ in by_command.outputs} == {
        Path(o.path).name: o.sha256 for o in run.outputs}


def test_a_failing_run_by_hand_is_recorded_too(site, tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = site.record_path(SAMPLE_ID)
    path.write_text(path.read_text().replace("issued_by: forum-asia", "issued_by: nobody"))
    nb_dir = site.root / "notebooks"
    nb_dir.mkdir(exist_ok=True)
    shutil.copyfile(notebook_path(site), nb_dir / NOTEBOOK_NAME)
    with pytest.raises(PapermillExecutionError) as err:
        papermill.execute_notebook(str(nb_dir / NOTEBOOK_NAME), str(tmp_path / "out.ipynb"),
                                   parameters={"statement": SAMPLE_ID},
                                   cwd=str(nb_dir), progress_bar=False, kernel_name="pressroom")
    assert err.value.ename == "RecordError"
    (run,) = ledger_for(site).runs()
    assert (run.mode, run.status, run.actor) == ("notebook", "failed", "Executive Director")
    assert run.error.startswith("record: ") and "issued_by" in run.error
    assert run.record_sha256 == sha(path)


# --- what the executed notebook shows staff -------------------------------------------------

def _shown(nb: dict) -> list[tuple[str, str, str]]:
    """(the cell's code, HTML, plain text) of every output of every code cell."""
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            out.append(("".join(cell["source"]), "".join(data.get("text/html", "")),
                        "".join(data.get("text/plain", ""))))
    return out


def _html_of(shown, call: str) -> list:
    """The HTML outputs of the cell that makes `call`, parsed."""
    from lxml import html as lhtml

    return [lhtml.fragment_fromstring(h, create_parent="div") for src, h, _ in shown
            if call in src and h]


def _links(nb: dict) -> tuple[list[tuple[str, bool]], list[str]]:
    """The notebook's links to files in its outputs, as (href, whether it downloads), and
    the links to files of the web page inside the preview's frame, as written."""
    from lxml import html as lhtml

    ours, page = [], []
    for _src, h, _text in _shown(nb):
        if not h:
            continue
        tree = lhtml.fragment_fromstring(h, create_parent="div")
        ours += [(a.get("href"), a.get("download") is not None) for a in tree.iter("a")]
        for frame in tree.iter("iframe"):
            page += [a.get("href") for a in lhtml.document_fromstring(frame.get("srcdoc"))
                     .iter("a") if not a.get("href", "#").startswith(("#", "https:"))]
    return ours, page


def _check_links(nb: dict, notebook_folder: Path, folder: Path) -> None:
    """Each link to a file is relative to the notebook's folder and leads to the file (so
    JupyterLab opens it through its server); the Word file's downloads. Each of the preview
    page's links (relative to the page's folder, as the page is written) is handed to one."""
    ours, page = _links(nb)
    written = {p.name for p in folder.iterdir()} - {"manifest.json"}
    public = folder.parent.name == "output"
    for href, download in ours:
        assert "://" not in href and not href.startswith("/"), href
        target = (notebook_folder / href).resolve()
        # The files written, or the archive's index (there once the archive is built).
        assert (target.parent == folder.resolve() and target.is_file()) or (
            public and target == (folder.parent / "index.html").resolve()), href
        assert download == href.endswith(".docx"), href
    # The table's three, and the preview's PDF, Word and (when public) archive links.
    names = sorted(Path(h).name for h, _ in ours)
    assert names == sorted([*written, *written - {f"{folder.name}.html"}]
                           + (["index.html"] if public else [])), names
    handed = {(notebook_folder / h).resolve() for h, _ in ours}
    assert len(page) == len(written) - 1 + public, page
    for href in page:
        assert (folder / href).resolve() in handed, href


def test_the_executed_notebook_shows_staff_the_state_the_files_and_a_summary(site):
    result = run_publication(site, SAMPLE_ID, actor="comms-officer")
    nb = json.loads(result.notebook.read_text())
    shown = _shown(nb)
    folder = site.output_dir / SAMPLE_ID
    title = site.load(SAMPLE_ID).title

    # The top: the state, the last transition (the adoption), where this run writes and why.
    started = [t for src, _h, t in shown if "PublicationRun.start" in src]
    assert len(started) == 2, started
    status, no_problems = started
    assert "State: published" in status
    assert f"This run writes to: `output/{SAMPLE_ID}/` (public)" in status
    assert "Why: it is the latest published version" in status
    assert "| adopt (version 1) | Executive Director | published |" in status
    # No problems: one sentence, not an empty table.
    assert no_problems == f"No problems found in {SAMPLE_ID}.md."
    (start_html,) = [h for src, h, _t in shown if "PublicationRun.start" in src and "<p>No" in h]
    assert start_html == f"<p>No problems found in {SAMPLE_ID}.md.</p>"

    _check_links(nb, result.notebook.parent, folder)

    # Tables: every cell left-aligned, the table at the left (JupyterLab's are right-aligned
    # and centred).
    tables = [t for call in ("PublicationRun.start", "run.publish()", "run.word_outline()")
              for tree in _html_of(shown, call) for t in tree.iter("table")]
    assert len(tables) == 3
    for table in tables:
        assert "margin-left:0" in table.get("style")
        for cell in table.iter("th", "td", "caption"):
            assert "text-align:left" in cell.get("style"), cell.text_content()

    # The PDF's first page: at its printed size (A4 at 96 ppi, the CSS pixel), with alt text.
    (page,) = [img for tree in _html_of(shown, "run.pdf_first_page()") for img in tree.iter("img")]
    assert page.get("alt") == f"The first page of the PDF of “{title}”, as it prints."
    assert (page.get("width"), page.get("height")) == ("794", "1123")

    # The summary: the run, its state, where and why, the version, and what next.
    (summary,) = [t for src, _h, t in shown if "run.summary()" in src]
    heading, *rest = summary.splitlines()
    assert heading == f"Summary: {SAMPLE_ID}"
    lines = dict(line.split(": ", 1) for line in rest)
    assert list(lines) == ["Run", "State", "Written to", "Why", "Version", "Next"]
    assert lines["Run"] == (f"{result.run_id}, recorded in the run ledger: "
                            f"`pressroom log {SAMPLE_ID}`")
    assert ledger_for(site).get(result.run_id).status == "succeeded"  # as the summary says
    assert lines["State"] == "published"
    assert lines["Written to"] == f"`output/{SAMPLE_ID}/` (public)"
    assert lines["Why"] == "it is the latest published version, and no embargo holds it"
    assert lines["Version"].startswith("1, published ")
    assert lines["Next"].startswith("nothing: the public folder holds this version.")


def test_a_private_statement_runs_into_drafts_and_the_summary_says_why(site):
    other = "2022-02-11-kazakhstan-draft"
    text = site.record_path(SAMPLE_ID).read_text().replace(SAMPLE_ID, other)
    site.record_path(other).write_text(text.replace("state: published", "state: private"))
    result = run_publication(site, other, actor="comms-officer")
    nb = json.loads(result.notebook.read_text())
    shown = _shown(nb)
    status = next(t for src, _h, t in shown if "PublicationRun.start" in src)
    assert "State: private" in status and "Published version: none yet" in status
    assert f"No transitions of {other} are recorded yet." in status
    _check_links(nb, result.notebook.parent, site.drafts_dir / other)
    (summary,) = [t for src, _h, t in shown if "run.summary()" in src]
    lines = dict(line.split(": ", 1) for line in summary.splitlines()[1:])
    assert lines["Run"].startswith(result.run_id)
    assert lines["Written to"] == f"`drafts/{other}/` (not served)"
    assert lines["Why"].startswith("it is private: only published versions are served")
    assert lines["Version"].startswith("none: the record as its file is now")
    assert lines["Next"].startswith(f"to send it for review: `pressroom workflow {other} "
                                    "submit`")
    assert not (site.output_dir / other).exists()
