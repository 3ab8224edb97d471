"""`pressroom publish` and `pressroom log` through the real entry point."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_ID

PRESSROOM = str(Path(sys.executable).parent / "pressroom")


def pressroom(site_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PRESSROOM, "-C", str(site_root), *args], capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin"})


def test_publish_direct_writes_prints_and_records(site_root):
    done = pressroom(site_root, "publish", SAMPLE_ID, "--direct")
    assert done.returncode == 0, done.stderr
    folder = site_root / "output" / SAMPLE_ID
    for suffix in ("html", "pdf", "docx"):
        assert f"{folder / SAMPLE_ID}.{suffix}" in done.stdout
    log = pressroom(site_root, "log", "--json")
    runs = json.loads(log.stdout)
    # The person is who is logged in (the sample site maps any login to its Manager).
    assert len(runs) == 1 and runs[0]["mode"] == "direct"
    assert runs[0]["actor"] == "Executive Director"
    assert {Path(o["path"]).name for o in runs[0]["outputs"]} == {
        f"{SAMPLE_ID}.html", f"{SAMPLE_ID}.pdf", f"{SAMPLE_ID}.docx"}
    for output in runs[0]["outputs"]:
        data = (site_root / output["path"]).read_bytes()
        assert output["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_broken_record_exits_1_with_its_diagnostics_and_no_traceback(site_root):
    record = site_root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text().replace("[^6]: <https", "[^7]: <https"))
    done = pressroom(site_root, "publish", SAMPLE_ID, "--direct")
    assert done.returncode == 1
    assert "[^6]" in done.stderr and "Traceback" not in done.stderr + done.stdout
    failed = pressroom(site_root, "log", "--failed")
    assert failed.returncode == 0 and SAMPLE_ID in failed.stdout and "failed" in failed.stdout


def test_an_unknown_format_or_id_is_a_usage_error(site_root):
    done = pressroom(site_root, "publish", SAMPLE_ID, "--formats", "html,pfd", "--direct")
    assert done.returncode == 2 and 'Did you mean "pdf"?' in done.stderr
    done = pressroom(site_root, "publish", "2022-02-10-kazakhstan-crackdwn", "--direct")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.xdist_group("kernels")
def test_publish_through_the_notebook_keeps_the_executed_notebook(site_root):
    done = pressroom(site_root, "publish", SAMPLE_ID, "--formats", "html,docx")
    assert done.returncode == 0, done.stderr
    executed = Path(done.stdout.split("executed notebook: ")[1].splitlines()[0])
    assert executed.is_file() and (site_root / "runs") in executed.parents
    runs = json.loads(pressroom(site_root, "log", SAMPLE_ID, "--json").stdout)
    assert runs[0]["mode"] == "notebook"
    assert site_root / runs[0]["notebook_path"] == executed
    assert runs[0]["parameters"]["formats"] == "html,docx"


def test_log_filters(bare_site_root):
    site_root = bare_site_root
    assert pressroom(site_root, "log").stdout.strip() == "No runs recorded."
    assert not (site_root / "runs").exists()  # reading the log created nothing
    pressroom(site_root, "publish", SAMPLE_ID, "--direct", "--formats", "html")
    assert "No runs recorded for other-id." in pressroom(site_root, "log", "other-id").stdout
    assert pressroom(site_root, "log", "--since", "2999-01-01").stdout.strip() == \
        "No runs recorded."
    assert SAMPLE_ID in pressroom(site_root, "log", "--since", "2000-01-01").stdout
    assert pressroom(site_root, "log", "--failed").stdout.strip() == "No runs recorded."


def test_an_id_that_is_not_a_plain_name_goes_nowhere(bare_site_root, tmp_path):
    site_root = bare_site_root
    for bad in ("../../escaped", str(tmp_path / "escaped")):
        done = pressroom(site_root, "publish", bad)
        assert done.returncode == 2 and "No statement" in done.stderr
    assert not list(site_root.parent.rglob("escaped*")) and not list(tmp_path.glob("escaped*"))
    assert not (site_root / "runs" / "ledger.sqlite").exists()
    done = pressroom(site_root, "publish", "2022-02-10-kazakhstan-crackdow")
    assert done.returncode == 2 and "Did you mean 2022-02-10-kazakhstan-crackdown" in done.stderr


def test_a_notebook_closed_half_way_by_hand_still_records_what_it_wrote(site_root):
    code = ("from pressroom.notebook import PublicationRun\n"
            f"run = PublicationRun.start({SAMPLE_ID!r}, site={str(site_root)!r})\n"
            "run.publish()\n")  # and the kernel stops here: no later cell runs
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
    (run,) = json.loads(pressroom(site_root, "log", "--json").stdout)
    assert run["status"] == "failed" and "stopped before its last cell" in run["error"]
    assert len(run["outputs"]) == 3 and run["actor"] == "Executive Director"
