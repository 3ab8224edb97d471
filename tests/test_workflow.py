"""The workflow through the real command line, acting as different people by their logins:
the whole life of a statement, every refusal, adoption, bulk transitions, two at once, a
kill between commit and file, history surviving a wipe of output/."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, REPO, SAMPLE_ID, copy_site
from pressroom import workflow
from pressroom.cli import cli
from pressroom.history import History
from pressroom.model import Role, State
from pressroom.versions import Versions

EXAMPLE = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.txt"
ANA, CHEN, DIR = "ana", "chen", "dir"  # Contributor; Contributor + Reviewer; Manager


def with_logins(root: Path) -> Path:
    """The sample site's people, each with a login of their own (no "*")."""
    toml = root / "pressroom.toml"
    text = toml.read_text(encoding="utf-8").replace('logins = ["*"]\n', "")
    for pid, login in (("comms-officer", ANA), ("programme-lead", CHEN),
                       ("executive-director", DIR)):
        text = text.replace(f'id = "{pid}"\n', f'id = "{pid}"\nlogins = ["{login}"]\n')
    toml.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def people_site(tmp_path) -> Path:
    return with_logins(copy_site(tmp_path / "site", adopt=False))


def run(root: Path, login: str, *args: str, code: int | None = 0):
    done = CliRunner().invoke(cli, ["-C", str(root), *args], env={"JUPYTERHUB_USER": login})
    assert "Traceback" not in done.output and done.exit_code != 3, done.output
    if code is not None:
        assert done.exit_code == code, done.output
    return done.output


def manifest(root: Path, sid: str, where: str = "output") -> dict:
    return json.loads((root / where / sid / "manifest.json").read_text())


def imported_id(root: Path) -> str:
    source = root.parent / "archive" / EXAMPLE.name
    source.parent.mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, source)
    (root / "statements" / f"{SAMPLE_ID}.md").unlink()
    out = run(root, DIR, "import", str(source))
    assert "imported 1" in out
    (record,) = (root / "statements").glob("2022-*.md")
    text = record.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    record.write_text(text.replace(title, 'title: "Kazakhstan: end the crackdown"'),
                      encoding="utf-8")
    return record.stem


def test_the_whole_life_of_a_statement(people_site):
    root = people_site
    sid = imported_id(root)
    # Imported private: a contributor submits; the reviewer sends it back; again; published.
    run(root, ANA, "workflow", sid, "submit", "--comment", "ready for legal")
    out = run(root, CHEN, "workflow", sid, "reject", "--comment", "check the dates")
    assert "pending -> private" in out
    run(root, ANA, "workflow", sid, "submit")
    assert not (root / "output" / sid).exists()  # pending: nothing public
    run(root, CHEN, "publish", sid, "--direct")  # a run of a pending statement: drafts/ only
    assert manifest(root, sid, "drafts")["public"] is False and not (root / "output" / sid).exists()
    out = run(root, CHEN, "workflow", sid, "publish")
    assert "published into output/" in out
    first = manifest(root, sid)
    assert first["public"] is True and first["version"] >= 1
    # An edit after publication is not served until it is republished.
    record = root / "statements" / f"{sid}.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "We, the undersigned", "We, the undersigned organisations of the region,"), "utf-8")
    assert "changed since it was published" in run(root, ANA, "check")
    out = run(root, ANA, "publish", sid, "--direct")
    assert "drafts/" in out and "changed since it was published" in out
    assert manifest(root, sid)["version"] == first["version"]  # output/ untouched
    out = run(root, CHEN, "workflow", sid, "publish", "--correction", "The first line "
              "now names the region.")
    assert "republish" in out
    page = (root / "output" / sid / f"{sid}.html").read_text(encoding="utf-8")
    assert "Corrected on" in page and "names the region" in page
    assert "organisations of the region" in page
    # A working copy, corrected while the published version stays online.
    run(root, ANA, "checkout", sid)
    working = root / "working" / f"{sid}.md"
    working.write_text(working.read_text(encoding="utf-8").replace(
        "deeply alarmed", "gravely alarmed"), encoding="utf-8")
    run(root, ANA, "workflow", sid, "submit")
    assert "gravely" not in (root / "output" / sid / f"{sid}.html").read_text("utf-8")
    run(root, CHEN, "workflow", sid, "publish")
    assert not working.exists()
    assert "gravely alarmed" in record.read_text(encoding="utf-8")
    assert "gravely alarmed" in (root / "output" / sid / f"{sid}.html").read_text("utf-8")
    # Retracted: a tombstone at its address; its PDF and Word file kept in the store.
    run(root, CHEN, "workflow", sid, "retract", "--comment", "withdrawn at the request of a "
        "partner")
    folder = root / "output" / sid
    assert sorted(p.name for p in folder.iterdir()) == [f"{sid}.html", "manifest.json"]
    tomb = (folder / f"{sid}.html").read_text(encoding="utf-8")
    assert "withdrawn on" in tomb and "request of a partner" in tomb
    assert manifest(root, sid)["withdrawn"] is True
    assert {f"{sid}.pdf", f"{sid}.docx"} <= set(manifest(root, sid)["kept_in_store"])
    # The history says all of it, oldest first, and survives a wipe of output/.
    shutil.rmtree(root / "output")
    history = json.loads(run(root, ANA, "history", sid, "--json"))
    actions = [e["action"] for e in history if e["kind"] == "transition"]
    assert actions == ["submit", "reject", "submit", "publish", "republish", "checkout",
                       "submit", "publish", "retract"]
    assert all(e["actor"] for e in history if e["kind"] == "run")
    versions = run(root, ANA, "versions", sid)
    assert versions.count("published") == 3
    assert "gravely alarmed" in run(root, ANA, "diff", sid, "1")


def test_illegal_transitions_and_missing_roles_say_what_is_possible(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    out = run(root, ANA, "workflow", SAMPLE_ID, "publish", code=1)
    assert "published" in out and "You may:" in out
    out = run(root, ANA, "workflow", SAMPLE_ID, "retract", code=1)
    assert "needs the role Reviewer" in out and "South Asia Programme Lead" in out
    out = run(root, CHEN, "workflow", SAMPLE_ID, "submit", code=1)
    assert "is published: submit is not possible" in out
    out = run(root, CHEN, "workflow", SAMPLE_ID, "frobnicate", code=1)
    assert "Unknown transition 'frobnicate'" in out
    # A login nobody has may read, and is told who the people are.
    out = run(root, "zed", "workflow", SAMPLE_ID, "retract", code=1)
    assert "not one of this site's people" in out and "comms-officer" in out
    assert "published" in run(root, "zed", "list")
    run(root, "zed", "publish", SAMPLE_ID, "--direct", code=1)
    # --as: a Manager acting for someone, and nobody else.
    out = run(root, CHEN, "workflow", SAMPLE_ID, "retract", "--as", "comms-officer", code=1)
    assert "--as is for a Manager" in out
    run(root, DIR, "workflow", SAMPLE_ID, "retract", "--as", "programme-lead")
    history = History(root / "runs").entries(SAMPLE_ID)
    assert (history[-1].action, history[-1].who) == (
        "retract", "Executive Director for South Asia Programme Lead")
    # A contributor retracts a submission of their own, not somebody else's.
    run(root, ANA, "workflow", SAMPLE_ID, "submit")
    run(root, ANA, "workflow", SAMPLE_ID, "retract")
    run(root, CHEN, "workflow", SAMPLE_ID, "submit")
    out = run(root, ANA, "workflow", SAMPLE_ID, "retract", code=1)
    assert "only a submission they made" in out


def test_a_fresh_clone_adopts_its_sample_and_serves_it(tmp_path):
    root = copy_site(tmp_path / "site", adopt=False)
    out = run(root, "anyone", "check")
    assert "no published version is stored" in out and "adopt" in out
    assert "drafts/" in run(root, "anyone", "publish", SAMPLE_ID, "--direct")
    assert not (root / "output" / SAMPLE_ID).exists()
    out = run(root, "anyone", "workflow", SAMPLE_ID, "adopt", "--if-open")
    assert "adopt: published -> published" in out
    assert manifest(root, SAMPLE_ID)["public"] is True
    assert "nothing done" in run(root, "anyone", "workflow", SAMPLE_ID, "adopt", "--if-open")
    assert "no published version" not in run(root, "anyone", "check")


def test_private_records_never_reach_output(people_site):
    root = people_site
    record = root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text(encoding="utf-8").replace("state: published",
                                                                  "state: private"), "utf-8")
    for args in (["--direct"], [], ["--direct", "--draft"]):
        run(root, ANA, "publish", SAMPLE_ID, *args)
    assert not (root / "output").exists() or not list((root / "output").iterdir())
    assert manifest(root, SAMPLE_ID, "drafts")["draft"] is True


@pytest.mark.slow
def test_each_publishes_two_hundred_imported_records_together(people_site, tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import importer as bench

    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(200):
        (archive / f"s-{n:03d}.txt").write_text(bench.generated(n), encoding="utf-8")
    run(people_site, DIR, "import", str(archive))
    out = run(people_site, CHEN, "workflow", "--each", "publish", "--state", "private")
    assert out.strip().splitlines()[-1].startswith("publish: 200 done, 0 refused")
    published = [p for p in (people_site / "output").iterdir() if p.name.startswith("20")]
    assert len(published) == 200
    assert all(manifest(people_site, p.name)["public"] for p in published)


TRANSITION = """
import os, sys
os.environ["JUPYTERHUB_USER"] = "chen"
from pressroom.cli import main
sys.argv = ["pressroom", "-C", sys.argv[1], "workflow", sys.argv[2], "retract"]
main()
"""


def test_two_transitions_at_once_one_wins_and_the_other_is_told(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    procs = [subprocess.Popen([sys.executable, "-c", TRANSITION, str(root), SAMPLE_ID],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 1], outs
    loser = outs[[p.returncode for p in procs].index(1)]
    assert "Traceback" not in loser and (
        "Another publication of" in loser or "is private: retract is not possible" in loser)
    retracts = [e for e in History(root / "runs").entries(SAMPLE_ID) if e.action == "retract"]
    assert len(retracts) == 1


KILLED_AFTER_COMMIT = """
import os, signal, sys
os.environ["JUPYTERHUB_USER"] = "chen"
from pressroom import workflow
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
workflow.atomic_write = die  # the transition is committed; the file is never written
from pressroom.cli import main
sys.argv = ["pressroom", "-C", sys.argv[1], "workflow", sys.argv[2], "retract"]
main()
"""


def test_a_kill_between_the_commit_and_the_file_is_finished_by_the_next_command(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT, str(root), SAMPLE_ID],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    record = root / "statements" / f"{SAMPLE_ID}.md"
    assert "state: published" in record.read_text(encoding="utf-8")  # not written yet
    out = run(root, ANA, "workflow", SAMPLE_ID)  # the next command finishes it
    assert "private" in out
    assert "state: private" in record.read_text(encoding="utf-8")
    history = History(root / "runs")
    last = history.entries(SAMPLE_ID)[-1]
    assert last.action == "retract"
    version = Versions(root / "runs").get(SAMPLE_ID, last.version_after)
    assert Versions(root / "runs").data(version) == record.read_bytes()  # both, not one


def test_history_and_versions_survive_clean_and_a_wipe_of_output(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    before = run(root, ANA, "history", SAMPLE_ID)
    shutil.rmtree(root / "output")
    shutil.rmtree(root / "drafts", ignore_errors=True)
    assert run(root, ANA, "history", SAMPLE_ID) == before
    assert "published" in run(root, ANA, "versions", SAMPLE_ID)
    run(root, DIR, "publish", SAMPLE_ID, "--direct")  # output/ is regenerable from the store
    assert manifest(root, SAMPLE_ID)["public"] is True


def test_a_restore_makes_an_old_version_the_working_record(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    record = root / "statements" / f"{SAMPLE_ID}.md"
    original = record.read_bytes()
    record.write_text(record.read_text("utf-8").replace("We, the undersigned", "Someone"),
                      "utf-8")
    run(root, CHEN, "workflow", SAMPLE_ID, "publish")
    run(root, CHEN, "restore", SAMPLE_ID, "1", code=1)  # a Manager's
    run(root, DIR, "restore", SAMPLE_ID, "1")
    assert record.read_bytes() == original
    assert "restore" in run(root, ANA, "versions", SAMPLE_ID)


def test_check_reports_a_state_edited_by_hand_against_the_history(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    run(root, CHEN, "workflow", SAMPLE_ID, "retract")
    record = root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text("utf-8").replace("state: private", "state: published"),
                      "utf-8")
    out = run(root, ANA, "check")
    assert "says published, but its history says private (the retract of" in out
    listed = json.loads(run(root, ANA, "list", "--json"))
    assert listed[0]["warnings"] >= 1
    out = run(root, CHEN, "publish", SAMPLE_ID, "--direct")  # and it is not served
    assert "drafts/" in out


def test_an_edit_to_the_record_while_a_working_copy_exists_is_reported(people_site):
    root = people_site
    run(root, DIR, "workflow", SAMPLE_ID, "adopt")
    run(root, ANA, "checkout", SAMPLE_ID)
    record = root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text("utf-8").replace("We, the undersigned", "We"), "utf-8")
    assert "edited while a working copy exists" in run(root, ANA, "check")
    run(root, ANA, "cancel-checkout", SAMPLE_ID)
    assert not (root / "working" / f"{SAMPLE_ID}.md").exists()
    assert "cancel-checkout" in run(root, ANA, "versions", SAMPLE_ID)


def test_for_me_lists_what_each_person_can_act_on(people_site):
    root = people_site
    record = root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text("utf-8").replace("state: published", "state: private"),
                      "utf-8")
    assert SAMPLE_ID in run(root, ANA, "list", "--for-me")  # a new private one to submit
    run(root, ANA, "workflow", SAMPLE_ID, "submit")
    assert SAMPLE_ID in run(root, CHEN, "list", "--for-me")  # pending: for the reviewer
    assert SAMPLE_ID not in run(root, ANA, "list", "--for-me")  # hers is with the reviewer
    assert SAMPLE_ID not in run(root, "zed", "list", "--for-me")


def _documented_transitions() -> list[tuple[str, frozenset, State, frozenset, frozenset]]:
    """The rows of "Who may do what" in docs/configuration.md, read as data: (transition,
    from, to, roles, roles allowed it only in a special case after a ";")."""
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = doc.split("### Who may do what", 1)[1].split("\n#", 1)[0]
    table = re.search(r"^\|.*(?:\n\|.*)*", section, flags=re.M)  # the first table in it
    assert table, "no table under “Who may do what”"
    header, rule, *body = ([c.strip() for c in row.strip("|").split("|")]
                           for row in table.group(0).splitlines())
    assert header == ["transition", "from", "to", "who"] and set("".join(rule)) == {"-"}

    def roles(text: str) -> frozenset:
        return frozenset(Role(w) for w in re.findall(r"[A-Z][a-z]+", text))

    found = []
    for name, sources, target, who in body:
        sources = re.sub(r"\s*\([^)]*\)", "", sources)  # "published (its record changed)"
        allowed, *special = who.split(";")
        assert {w.strip() for w in allowed.split(",")} == {r.value for r in roles(allowed)}
        found.append((name.strip("`"), frozenset(State(s.strip()) for s in sources.split(",")),
                      State(target), roles(allowed), roles(";".join(special))))
    return found


def test_the_documented_table_of_who_may_do_what_is_the_codes():
    # Special cases beside the table (a Contributor's own retraction) are Transitions too.
    special = [t for t in vars(workflow).values()
               if isinstance(t, workflow.Transition) and t not in workflow.TRANSITIONS]
    assert special, "the special cases are found"
    in_code = [(t.name, frozenset(t.sources), t.target, frozenset(t.roles),
                frozenset(r for s in special if s.name == t.name for r in s.roles))
               for t in workflow.TRANSITIONS]
    assert _documented_transitions() == in_code
