"""Content rules: a publication or withdrawal on a transition, the site's own commands run
once from a queue, retried when they fail, and a failing required action stopping the
transition before anything changes."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import SAMPLE_ID, copy_site
from pressroom.history import History
from test_workflow import ANA, CHEN, DIR, run, with_logins

NOTE = """
import os, pathlib, sys
log = pathlib.Path(sys.argv[1])
if pathlib.Path(sys.argv[2]).exists():
    sys.exit("the press list is down")
with log.open("a") as f:
    f.write(" ".join(os.environ[k] for k in ("PRESSROOM_STATEMENT", "PRESSROOM_TRANSITION",
                                             "PRESSROOM_PERSON")) + "\\n")
"""


@pytest.fixture
def rules_site(tmp_path):
    root = with_logins(copy_site(tmp_path / "site", adopt=False))
    script = tmp_path / "note.py"
    script.write_text(NOTE, encoding="utf-8")
    log, down = tmp_path / "notified.txt", tmp_path / "down"
    command = json.dumps([sys.executable, str(script), str(log), str(down)])
    with (root / "pressroom.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[[rules]]\non = ["publish", "republish"]\ndo = "command"\n'
                f'command = {command}\ntimeout = 30\n')
    record = root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text(encoding="utf-8").replace("state: published",
                                                                  "state: pending"), "utf-8")
    return root, log, down


def test_a_command_runs_once_after_the_transition_with_its_environment(rules_site):
    root, log, _ = rules_site
    out = run(root, CHEN, "workflow", SAMPLE_ID, "publish")
    assert "published into output/" in out and "done" in out
    assert log.read_text().splitlines() == [
        f"{SAMPLE_ID} publish South Asia Programme Lead"]
    run(root, DIR, "rules", "retry")  # nothing failed: nothing runs again
    assert len(log.read_text().splitlines()) == 1


def test_a_failing_command_is_recorded_and_retried_never_run_twice(rules_site):
    root, log, down = rules_site
    down.touch()
    out = run(root, CHEN, "workflow", SAMPLE_ID, "publish")
    assert "failed" in out and "the press list is down" in out
    assert History(root / "runs").entries(SAMPLE_ID)[-1].action == "publish"  # it happened
    assert not log.exists()
    out = run(root, DIR, "rules", "retry", code=1)  # still down
    assert "failed" in out
    down.unlink()
    out = run(root, DIR, "rules", "retry")
    assert "done" in out and len(log.read_text().splitlines()) == 1
    assert run(root, DIR, "rules", "retry").strip() == "No failed command to retry."
    assert len(log.read_text().splitlines()) == 1


def test_a_failing_publication_stops_the_transition_and_changes_nothing(rules_site):
    root, _, _ = rules_site
    typst = root / "templates" / "typst" / "statement.typ"
    typst.write_text(typst.read_text(encoding="utf-8") + "\n#panic(\"broken on purpose\")\n",
                     encoding="utf-8")
    record = root / "statements" / f"{SAMPLE_ID}.md"
    before = record.read_bytes()
    out = run(root, CHEN, "workflow", SAMPLE_ID, "publish", code=1)
    assert "PDF" in out and "broken on purpose" in out
    assert record.read_bytes() == before
    assert [e.action for e in History(root / "runs").entries(SAMPLE_ID)] == []
    assert not (root / "output" / SAMPLE_ID).exists()


def test_retracting_a_submission_withdraws_nothing(rules_site):
    root, _, _ = rules_site
    out = run(root, ANA, "workflow", SAMPLE_ID, "retract", code=1)  # not hers to retract
    assert "only a submission they made" in out
    out = run(root, CHEN, "workflow", SAMPLE_ID, "retract")
    assert "withdrawn" not in out and not (root / "output").exists()

