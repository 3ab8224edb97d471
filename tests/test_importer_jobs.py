"""An import read by worker processes makes what one process makes: the same records, byte for
byte, the same directory, report and import records, even when a worker is killed."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest

import archive_shapes
from pressroom.importer import ImportReport, import_paths, write
from pressroom.importer.write import POOL_MIN_FILES
from pressroom.site import load_site
from pressroom.store import STORE_NAME

PART = "tuned"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The tuned corpus's inputs and, among them, files the import refuses."""
    folder = tmp_path_factory.mktemp("archive")
    for source in archive_shapes.inputs(PART):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "m-empty.txt").write_bytes(b"")
    (folder / "m-scan.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    (folder / "m-nav-only.html").write_text(
        "<html><body><header><nav><a href='/'>Home</a></nav></header>"
        "<footer>(c) 2022</footer></body></html>", encoding="utf-8")
    return folder


def imported(archive: Path, dest: Path, jobs: int
             ) -> tuple[ImportReport, dict[str, bytes], list[tuple]]:
    """The archive imported in one call into a fresh site under `dest`: the report, every
    file of statements/ and the store's import records."""
    root = archive_shapes.make_site(PART, dest)
    site = load_site(root)
    report = import_paths(site, [archive], jobs=jobs)
    files = {p.relative_to(site.statements_dir).as_posix(): p.read_bytes()
             for p in sorted(site.statements_dir.rglob("*")) if p.is_file()}
    with sqlite3.connect(Path(site.runs_dir) / STORE_NAME) as db:
        rows = db.execute("SELECT record, statement_id, source, source_sha256, fields, "
                          "body_sha256, warnings FROM imports ORDER BY id").fetchall()
    return report, files, rows


def shown(report: ImportReport, root: Path) -> dict[str, list[str]]:
    """The report with the site's own folder taken out of its paths, to compare two sites."""
    def rel(path) -> str:
        return str(path).replace(str(root), "SITE")

    return {"imported": [rel(p) for p in report.imported],
            "with_errors": [rel(p) for p in report.with_errors],
            "warned": [rel(p) for p in report.warned],
            "skipped": [rel(p) for p in report.skipped],
            "refused": [f"{r.path}: {r.reason}" for r in report.refused],
            "diagnostics": [str(d) for d in report.diagnostics]}


@pytest.fixture(scope="module")
def one_process(archive, tmp_path_factory):
    dest = tmp_path_factory.mktemp("one")
    return dest / "site", imported(archive, dest, jobs=1)


def test_the_corpus_is_big_enough_for_the_pool():
    assert len(archive_shapes.inputs(PART)) >= POOL_MIN_FILES


def test_two_workers_make_what_one_process_makes(archive, one_process, tmp_path):
    root1, (report1, files1, rows1) = one_process
    report2, files2, rows2 = imported(archive, tmp_path, jobs=2)
    assert len(report1.imported) > 300
    assert sorted(Path(r.path).name for r in report1.refused) == [
        "m-empty.txt", "m-nav-only.html", "m-scan.txt"]
    assert shown(report2, tmp_path / "site") == shown(report1, root1)
    assert files2.keys() == files1.keys()
    assert [k for k in files1 if files1[k] != files2[k]] == []
    assert "organisations.yaml" in files1
    assert rows2 == rows1 and len(rows1) == len(report1.imported)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def pool_workers(pid: int) -> list[int]:
    """The import pool's workers under process `pid`: the children of its fork server (whose
    command line they share), and no other grandchild (a browser a test fixture started)."""
    workers = []
    for child in _children(pid):
        try:
            line = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"forkserver" in line:
            workers += _children(child)
    return workers


def test_a_killed_worker_loses_nothing(archive, one_process, tmp_path, monkeypatch):
    """A worker killed (as the kernel's out-of-memory killer would) breaks the pool; the files
    it and the others had not read are read by the importing process instead."""
    root1, (report1, files1, rows1) = one_process
    here: list = []  # the readings this process made itself
    by_workers = threading.Semaphore(0)  # one release for each worker's reading finished
    read, finish = write.read_statement, write.finish_reading

    def counted_read(raw, source, site_names):
        here.append(read(raw, source, site_names))
        return here[-1]

    theirs = [0]  # the workers' readings finished here

    def counted_finish(reading, *args, **kw):
        if not any(reading is mine for mine in here):
            theirs[0] += 1
            by_workers.release()
        return finish(reading, *args, **kw)

    monkeypatch.setattr(write, "read_statement", counted_read)
    monkeypatch.setattr(write, "finish_reading", counted_finish)
    killed: list[int] = []

    def kill_a_worker() -> None:
        # Once ten of the workers' readings are finished: they have read those and at most a
        # window ahead, and this process reads the rest.
        for _ in range(10):
            if not by_workers.acquire(timeout=120):
                return
        workers = pool_workers(os.getpid())
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    try:
        report2, files2, rows2 = imported(archive, tmp_path, jobs=2)
    finally:
        for _ in range(10):
            by_workers.release()  # the killer is not left waiting if the import failed
        killer.join()
    assert killed, "no worker was seen to kill"
    # The workers read some (ten at least before the kill), this process the rest. (How many
    # each read depends on how fast the pool started: on a loaded machine this process reads
    # most of the files before a worker is up.)
    assert theirs[0] >= 10 and len(here) > 0
    assert theirs[0] + len(here) >= len(report1.imported)
    assert shown(report2, tmp_path / "site") == shown(report1, root1)
    assert files2 == files1
    assert rows2 == rows1
