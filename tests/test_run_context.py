"""One run context for every publication: its row always ends, one publication of a
statement at a time, a killed run is closed as interrupted by the next command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_ID
from pressroom.cli import cli
from pressroom.errors import NotebookError
from pressroom.ledger import RunStatus
from pressroom.locks import LockedError, statement_lock
from pressroom.runner import RunContext, ledger_for, run_publication

PARAMS = {"statement": SAMPLE_ID}


def test_a_run_context_closes_its_row_however_the_block_ends(site):
    with RunContext.open(site, SAMPLE_ID, PARAMS, "ana", "direct") as run:
        pass
    assert ledger_for(site).get(run.run_id).status is RunStatus.SUCCEEDED

    with pytest.raises(KeyError), RunContext.open(site, SAMPLE_ID, PARAMS, "ana",
                                                  "direct") as run:
        {}["missing"]
    failed = ledger_for(site).get(run.run_id)
    assert (failed.status, failed.error) == (RunStatus.FAILED, "KeyError: 'missing'")

    with pytest.raises(NotebookError), RunContext.open(site, SAMPLE_ID, PARAMS, "ana",
                                                       "notebook") as run:
        raise NotebookError("cell 3 failed: NameError", cell=3, notebook="runs/x.ipynb")
    failed = ledger_for(site).get(run.run_id)
    assert (failed.error, failed.failed_cell, failed.notebook_path) == (
        "cell 3 failed: NameError", 3, "runs/x.ipynb")


def test_a_run_records_the_files_it_put_in_place(site):
    result = run_publication(site, SAMPLE_ID, "pdf", direct=True, actor="ana")
    run = ledger_for(site).get(result.run_id)
    assert [o.path for o in run.outputs] == [f"output/{SAMPLE_ID}/{SAMPLE_ID}.pdf"]
    manifest = json.loads((site.output_dir / SAMPLE_ID / "manifest.json").read_text())
    assert manifest["run"] == result.run_id


HOLDER = """
import sys, time
from pressroom.locks import statement_lock
statement_lock(sys.argv[1], sys.argv[2], holder={"run": "01HOLDER", "actor": "chen"})
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
"""


def _hold(site, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(site.runs_dir), SAMPLE_ID,
                             str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_publication_of_a_statement_is_told_who_holds_it(site):
    holder = _hold(site, 30)
    try:
        with pytest.raises(LockedError, match=r"Another publication of .* is running \(run "
                                              r"01HOLDER, by chen, started .*--wait"):
            run_publication(site, SAMPLE_ID, direct=True, actor="ana")
        run = ledger_for(site).runs()[0]
        assert run.status is RunStatus.FAILED and "Another publication" in run.error
        assert not (site.output_dir / SAMPLE_ID).exists()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_the_holder_named_is_the_one_now_not_a_longer_one_before(site):
    """The lock file is written over in place: what a longer description of an earlier
    holder leaves past the new one's end is cut, so the new one is still read."""
    earlier = statement_lock(site.runs_dir, SAMPLE_ID, holder={
        "run": "01EARLIER", "actor": "a reviewer whose name is much longer than chen's"})
    earlier.release()
    holder = _hold(site, 30)
    try:
        with pytest.raises(LockedError, match=r"\(run 01HOLDER, by chen, started "):
            statement_lock(site.runs_dir, SAMPLE_ID)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_wait_waits_for_the_other_publication(site):
    holder = _hold(site, 1.5)
    try:
        started = time.monotonic()
        result = run_publication(site, SAMPLE_ID, direct=True, actor="ana", wait=True)
        assert result.status == "succeeded" and time.monotonic() - started > 1.0
    finally:
        holder.wait()
        holder.stdout.close()


def test_the_command_line_says_who_holds_the_statement(site_root):
    from pressroom.site import load_site

    holder = _hold(load_site(site_root), 30)
    try:
        done = CliRunner().invoke(cli, ["-C", str(site_root), "publish", SAMPLE_ID, "--direct"])
        assert done.exit_code == 1, done.output
        assert "Another publication of" in done.output and "Traceback" not in done.output
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_lock_is_free_again_once_its_holder_dies(site):
    holder = _hold(site, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    lock = statement_lock(site.runs_dir, SAMPLE_ID)
    lock.release()


KILLED_RUN = """
import sys, time
from pressroom.site import load_site
from pressroom.runner import RunContext
from pressroom.publish import publish
site = load_site(sys.argv[1])
run = RunContext.open(site, sys.argv[2], {}, "ana", "direct")
if sys.argv[3] == "after-writing":
    run.lock_statement()
    publish(site, sys.argv[2], run_id=run.run_id)
print(run.run_id, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("moment", ["before-writing", "after-writing"])
def test_a_killed_run_is_closed_as_interrupted_by_the_next_command(site_root, moment):
    from pressroom.site import load_site

    site = load_site(site_root)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(site_root), SAMPLE_ID,
                             moment], stdout=subprocess.PIPE, text=True)
    run_id = proc.stdout.readline().strip()
    # Alive: another process opening the ledger leaves its row alone.
    assert ledger_for(site).get(run_id).status is RunStatus.RUNNING
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    done = CliRunner().invoke(cli, ["-C", str(site_root), "log", "--failed"])
    assert done.exit_code == 0 and run_id in done.output and "interrupted" in done.output
    run = ledger_for(site).get(run_id)
    assert run.status is RunStatus.INTERRUPTED and run.ended is not None
    expected = ({f"output/{SAMPLE_ID}/{SAMPLE_ID}.{f}" for f in ("html", "pdf", "docx")}
                if moment == "after-writing" else set())
    assert {o.path for o in run.outputs} == expected
    assert not (site.runs_dir / "locks" / f"run-{run_id}.lock").exists()


def test_the_kernel_of_a_command_run_holds_the_run_open(site):
    """Joined by a second process (as the notebook's kernel joins the command's run), the
    row stays running while either lives."""
    run = RunContext.open(site, SAMPLE_ID, PARAMS, "ana", "notebook")
    kernel = RunContext.join(site, SAMPLE_ID, run.run_id)
    run._joined_by_test = kernel  # keep it alive
    # The opener's own lock dropped (as if its process died): the kernel still holds it.
    run.ledger._run_locks.pop(run.run_id).release()
    assert ledger_for(site).get(run.run_id).status is RunStatus.RUNNING
    kernel.succeed()  # the kernel leaves; nothing holds the run now
    assert ledger_for(site).get(run.run_id).status is RunStatus.INTERRUPTED


def test_four_publishes_of_one_statement_with_different_formats_agree(site_root):
    """Four processes publishing one statement at once, with different formats, wait for
    each other (--wait) and leave a folder its manifest describes."""
    code = ("import sys\nfrom pressroom.site import load_site\n"
            "from pressroom.runner import run_publication\n"
            "run_publication(load_site(sys.argv[1]), sys.argv[2], sys.argv[3], direct=True,"
            " actor='t', wait=True)\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(site_root), SAMPLE_ID, fmts])
             for fmts in ("html", "pdf", "docx,html", "html,pdf,docx")]
    assert [p.wait(timeout=240) for p in procs] == [0, 0, 0, 0]
    folder = site_root / "output" / SAMPLE_ID
    manifest = json.loads((folder / "manifest.json").read_text())
    import hashlib

    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
               if p.name != "manifest.json"}
    assert on_disk == {n: o["sha256"] for n, o in manifest["outputs"].items()}
    from pressroom.site import load_site

    runs = ledger_for(load_site(site_root)).runs()
    assert len(runs) == 4 and all(r.status is RunStatus.SUCCEEDED for r in runs)
    # One statement folder (beside the archive's own pages), and no stray of any run.
    out = site_root / "output"
    assert [p.name for p in out.iterdir() if (p / "manifest.json").is_file()] == [SAMPLE_ID]
    assert not [n for n in os.listdir(out) if n.startswith(".")]
    assert (out / "index.html").is_file() and (out / "archive-manifest.json").is_file()
