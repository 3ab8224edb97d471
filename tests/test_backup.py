"""Backups: what they hold, that they are consistent under a live writer, that a damaged or
unfinished one is refused, and that a restore loses nothing that was there."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SAMPLE_ID
from pressroom import backup as backups
from pressroom.backup import backup, check_backup
from pressroom.cli import cli
from pressroom.errors import BackupError, UsageError
from pressroom.ledger import SCHEMA_VERSION, Ledger
from pressroom.restore import restore_backup

SHA = "0" * 64


def add_runs(ledger: Path, n: int, statement: str = SAMPLE_ID) -> list[str]:
    led = Ledger(ledger)
    ids = []
    for _ in range(n):
        run_id = led.start_run(statement_id=statement, record_sha256=None,
                               templates_sha256=None, settings_sha256=None, version="test",
                               parameters={}, actor="tester", mode="direct")
        led.finish_run(run_id, status="succeeded", outputs=[(f"output/{run_id}.html", SHA, 1)])
        ids.append(run_id)
    return ids


def run_ids(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM runs")}


def invoke(*args: str, cwd: Path):
    result = CliRunner().invoke(cli, ["-C", str(cwd), *args])
    assert "Traceback" not in result.output and result.exit_code != 3, result.output
    return result


@pytest.fixture
def live_site(site_root: Path) -> Path:
    """The sample site with a ledger of three runs, an executed notebook and a kept record."""
    add_runs(site_root / "runs" / "ledger.sqlite", 3)
    (site_root / "runs" / "01RUN").mkdir()
    (site_root / "runs" / "01RUN" / f"{SAMPLE_ID}.ipynb").write_text("{}", encoding="utf-8")
    (site_root / "runs" / "replaced").mkdir()
    (site_root / "runs" / "replaced" / "old.0123456789ab.md").write_text("old", "utf-8")
    # Lock files of runs and statements come and go with live processes: never backed up.
    (site_root / "runs" / "locks").mkdir(exist_ok=True)
    (site_root / "runs" / "locks" / f"statement-{SAMPLE_ID}.lock").write_text("{}", "utf-8")
    return site_root


def test_a_backup_holds_the_store_the_records_the_directory_and_the_settings(live_site,
                                                                           tmp_path):
    when = datetime(2024, 5, 1, 2, 30, tzinfo=UTC)
    made = backup(live_site, tmp_path / "backups", clock=lambda: when)
    assert made.path == tmp_path / "backups" / "pressroom-backup-20240501T023000Z"
    assert made.runs == 3 and made.files == 6
    manifest = json.loads((made.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "pressroom-backup" and manifest["format_version"] == 1
    assert manifest["created"] == "2024-05-01T02:30:00+00:00"
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["pressroom_version"] == backups.pressroom_version() != "unknown"
    assert manifest["databases"] == ["runs/ledger.sqlite"]
    assert sorted(manifest["files"]) == [
        "pressroom.toml", "runs/01RUN/2022-02-10-kazakhstan-crackdown.ipynb",
        "runs/ledger.sqlite", "runs/replaced/old.0123456789ab.md",
        f"statements/{SAMPLE_ID}.md", "statements/organisations.yaml"]
    for rel, entry in manifest["files"].items():
        data = (made.path / "site" / rel).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        if rel != "runs/ledger.sqlite":
            assert data == (live_site / rel).read_bytes()
    # The database copy is one self-contained file, with every run.
    assert not list(made.path.rglob("*-wal")) and not list(made.path.rglob("*-shm"))
    assert len(run_ids(made.path / "site" / "runs" / "ledger.sqlite")) == 3
    assert (made.path.stat().st_mode & 0o777) == 0o700  # private records: the owner's only
    assert check_backup(made.path).files == manifest["files"]


def test_a_backup_taken_while_another_process_writes_to_the_ledger_is_consistent(site_root,
                                                                                tmp_path):
    ledger = site_root / "runs" / "ledger.sqlite"
    add_runs(ledger, 1)
    # A second process records runs as fast as it can and says each one once committed.
    writer = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "sys.path.insert(0, sys.argv[2])\n"
            "from test_backup import add_runs\n"
            "end = time.monotonic() + 60\n"
            "while time.monotonic() < end:\n"
            "    print(add_runs(sys.argv[1], 1)[0], flush=True)\n"),
         str(ledger), str(REPO / "tests")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(REPO / "src"), str(REPO / "tests")])})
    committed: list[str] = []
    reader = threading.Thread(target=lambda: committed.extend(iter(writer.stdout.readline, "")),
                              daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while len(committed) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(committed) >= 20, "the writer did not start"
        taken = []  # (runs committed before, the backup): until one overlapped a commit
        for attempt in range(5):
            before = {line.strip() for line in list(committed)}
            made = backup(site_root, tmp_path / f"backups-{attempt}")
            assert writer.poll() is None, "the writer stopped before the backup ended"
            taken.append((before, made))
            if len(committed) > len(before):
                break  # the writer really wrote while this backup ran
            time.sleep(0.2)  # a backup faster than one commit on a loaded machine: again
        else:
            pytest.fail("no backup overlapped a commit of the writer in 5 tries")
    finally:
        writer.kill()
        writer.wait()
        reader.join(timeout=10)
        writer.stdout.close()
    for before, made in taken:
        copy = made.path / "site" / "runs" / "ledger.sqlite"
        with sqlite3.connect(copy) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            rows = dict(db.execute("SELECT id, status FROM runs").fetchall())
            outputs = dict(db.execute("SELECT run_id, count(*) FROM outputs GROUP BY run_id"))
        assert before <= set(rows), "a run committed before the backup is missing from it"
        # Each run is whole: finished with its output, or still running without one.
        for run_id, status in rows.items():
            assert (status, outputs.get(run_id, 0)) in {("succeeded", 1), ("running", 0)}
        check_backup(made.path)


@pytest.mark.parametrize(("damage", "said"), [
    ("record byte", f"site/statements/{SAMPLE_ID}.md: its content changed"),
    ("truncated database", "site/runs/ledger.sqlite: 4,096 bytes, the manifest says"),
    ("missing file", "site/statements/organisations.yaml: missing"),
    ("extra file", "site/runs/planted.txt: not in the manifest"),
    ("manifest not json", "manifest.json is damaged (not JSON"),
    ("manifest path out", "it lists paths a backup never holds: '../../etc/passwd'"),
    ("corrupt database", "site/runs/ledger.sqlite: "),
])
def test_a_damaged_backup_is_refused_saying_what_is_wrong(live_site, tmp_path, damage, said):
    made = backup(live_site, tmp_path / "backups")
    site = made.path / "site"
    manifest_path = made.path / "manifest.json"
    if damage == "record byte":
        path = site / "statements" / f"{SAMPLE_ID}.md"
        data = bytearray(path.read_bytes())
        data[100] ^= 0x01
        path.write_bytes(bytes(data))
    elif damage == "truncated database":
        path = site / "runs" / "ledger.sqlite"
        path.write_bytes(path.read_bytes()[:4096])
    elif damage == "missing file":
        (site / "statements" / "organisations.yaml").unlink()
    elif damage == "extra file":
        (site / "runs" / "planted.txt").write_text("x", encoding="utf-8")
    elif damage == "manifest not json":
        manifest_path.write_bytes(manifest_path.read_bytes()[:-40])
    elif damage == "manifest path out":
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["files"]["../../etc/passwd"] = {"sha256": SHA, "bytes": 1}
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    else:  # pages overwritten in place, the manifest updated to match: only SQLite can tell
        path = site / "runs" / "ledger.sqlite"
        data = bytearray(path.read_bytes())
        data[4096:4096 + 12] = b"\xff" * 12  # the header of the second page
        path.write_bytes(bytes(data))
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["files"]["runs/ledger.sqlite"]["sha256"] = hashlib.sha256(data).hexdigest()
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    record = live_site / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text(encoding="utf-8") + "\nA later edit.\n", "utf-8")
    before = {p: p.read_bytes() for p in live_site.rglob("*") if p.is_file()}
    with pytest.raises(BackupError) as caught:
        check_backup(made.path)
    assert said in str(caught.value)
    result = invoke("restore-backup", str(made.path), cwd=live_site)
    assert result.exit_code == 1 and said in result.stderr
    assert {p: p.read_bytes() for p in live_site.rglob("*") if p.is_file()} == before
    assert not list(live_site.glob("before-restore-*"))


def test_a_restore_keeps_the_current_files_aside(live_site, tmp_path):
    made = backup(live_site, tmp_path / "backups")
    backed_up = run_ids(live_site / "runs" / "ledger.sqlite")
    record = live_site / "statements" / f"{SAMPLE_ID}.md"
    original = record.read_bytes()
    record.write_bytes(original + b"\nAn edit made after the backup.\n")
    later = add_runs(live_site / "runs" / "ledger.sqlite", 2)
    newer = live_site / "statements" / "2025-01-01-newer.md"
    newer.write_text("written after the backup", encoding="utf-8")
    result = invoke("restore-backup", str(made.path), cwd=live_site)
    assert result.exit_code == 0, result.output
    (kept,) = live_site.glob("before-restore-*")
    assert f"The files it replaced are kept in {kept}, at the same paths." in result.stdout
    assert result.stdout.startswith("Restored 2 files from ")
    # The backup's state is back...
    assert record.read_bytes() == original
    assert run_ids(live_site / "runs" / "ledger.sqlite") == backed_up
    # ...and what was there is kept: the edited record, the ledger with the later runs.
    assert (kept / "statements" / f"{SAMPLE_ID}.md").read_bytes().endswith(
        b"An edit made after the backup.\n")
    assert run_ids(kept / "runs" / "ledger.sqlite") == backed_up | set(later)
    assert newer.read_text(encoding="utf-8") == "written after the backup"  # not in it: left
    # The restored ledger is a working one: Pressroom goes on recording runs in it.
    add_runs(live_site / "runs" / "ledger.sqlite", 1)
    assert len(run_ids(live_site / "runs" / "ledger.sqlite")) == len(backed_up) + 1
    # The same restore again replaces nothing more than the ledger Pressroom reopened.
    again = restore_backup(made.path, live_site)
    assert set(again.written) <= {"runs/ledger.sqlite"}


def test_a_restore_into_an_empty_folder_makes_the_site_again(live_site, tmp_path):
    made = backup(live_site, tmp_path / "backups")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    result = invoke("restore-backup", str(made.path), cwd=fresh)
    assert result.exit_code == 0, result.output
    assert "No file was replaced." in result.stdout
    assert run_ids(fresh / "runs" / "ledger.sqlite") == run_ids(
        live_site / "runs" / "ledger.sqlite")
    assert invoke("check", cwd=fresh).exit_code == 0
    assert invoke("log", cwd=fresh).stdout.count(SAMPLE_ID) == 3
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x", encoding="utf-8")
    result = invoke("restore-backup", str(made.path), cwd=tmp_path / "busy")
    assert result.exit_code == 2 and "not empty" in result.stderr


def test_restore_writes_nothing_through_a_symbolic_link(live_site, tmp_path):
    made = backup(live_site, tmp_path / "backups")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    runs = live_site / "runs"
    runs.rename(tmp_path / "old-runs")
    runs.symlink_to(elsewhere)
    with pytest.raises(BackupError, match="is a symbolic link; a restore writes nothing"):
        restore_backup(made.path, live_site)
    assert list(elsewhere.iterdir()) == []


def test_check_only_changes_nothing(live_site, tmp_path):
    made = backup(live_site, tmp_path / "backups")
    result = invoke("restore-backup", "--check", str(made.path), cwd=live_site)
    assert result.exit_code == 0
    assert "a complete backup of 6 files" in result.stdout and "every file checks" in (
        result.stdout)
    assert not list(live_site.glob("before-restore-*"))


def test_an_interrupted_backup_is_never_taken_as_complete(live_site, tmp_path):
    dest = tmp_path / "backups"
    # Killed outright (no cleanup can run) after copying two files.
    done = subprocess.run([sys.executable, "-c", (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from pressroom import backup as b\n"
        "copied = []\n"
        "real = b._copy_file\n"
        "def dying(source, target):\n"
        "    copied.append(source)\n"
        "    if len(copied) > 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(source, target)\n"
        "b._copy_file = dying\n"
        "b.backup(Path(sys.argv[1]), Path(sys.argv[2]))\n"), str(live_site), str(dest)],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")}, timeout=60)
    assert done.returncode == -9
    (partial,) = dest.iterdir()
    assert partial.name.startswith(".pressroom-backup-") and partial.name.endswith(".partial")
    with pytest.raises(BackupError, match="an interrupted backup: it was never finished"):
        check_backup(partial)
    # Even if it were renamed by hand, it has no manifest: still not a backup.
    renamed = dest / "pressroom-backup-renamed"
    partial.rename(renamed)
    with pytest.raises(BackupError, match=r"has no manifest\.json: it is not a complete backup"):
        check_backup(renamed)
    renamed.rename(partial)
    result = invoke("restore-backup", str(partial), cwd=live_site)
    assert result.exit_code == 1 and "interrupted" in result.stderr
    # The next backup says it is there, and is complete itself.
    result = invoke("backup", str(dest), cwd=live_site)
    assert result.exit_code == 0
    assert f"{partial}: an interrupted backup, never finished; delete it." in result.stderr
    assert result.stdout.startswith("Backed up 6 files (")


def test_a_backup_stopped_by_an_error_leaves_nothing_behind(live_site, tmp_path, monkeypatch):
    real = backups._copy_file
    copied = []

    def failing(source, target):
        copied.append(source)
        if len(copied) > 2:
            raise KeyboardInterrupt
        return real(source, target)

    monkeypatch.setattr(backups, "_copy_file", failing)
    with pytest.raises(KeyboardInterrupt):
        backup(live_site, tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_refuses_a_destination_it_would_copy(live_site):
    with pytest.raises(UsageError, match="inside the site's runs/"):
        backup(live_site, live_site / "runs" / "backups")
    result = invoke("backup", "statements/backups", cwd=live_site)
    assert result.exit_code == 2 and "inside the site's statements/" in result.stderr


def test_backup_names_what_it_does_not_follow(live_site, tmp_path):
    (tmp_path / "secret").write_text("not the site's", encoding="utf-8")
    (live_site / "runs" / "link").symlink_to(tmp_path / "secret")
    os.mkfifo(live_site / "runs" / "pipe")
    result = invoke("backup", str(tmp_path / "backups"), cwd=live_site)
    assert result.exit_code == 0, result.output
    assert "not backed up: runs/link: a link or special file, not followed" in result.stderr
    assert "not backed up: runs/pipe: a link or special file, not followed" in result.stderr
    (made,) = (tmp_path / "backups").iterdir()
    assert not (made / "site" / "runs" / "link").exists()
