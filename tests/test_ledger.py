"""The run ledger: rows round-trip, failures are kept, filters, concurrency, plain SQLite."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pressroom.errors import PressroomError, UsageError
from pressroom.ledger import (
    SCHEMA_VERSION,
    Ledger,
    Output,
    RunMode,
    RunStatus,
    new_run_id,
)

T0 = datetime(2024, 5, 6, 9, 30, 0, tzinfo=UTC)


class FakeClock:
    """Advances by `step` at every reading, so each event has its own known time."""

    def __init__(self, start: datetime = T0, step: timedelta = timedelta(seconds=1)):
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        now = self.now
        self.now += self.step
        return now


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_args(**over):
    args = dict(
        statement_id="2022-02-10-kazakhstan-crackdown",
        record_sha256=sha(b"record"),
        templates_sha256=sha(b"templates"),
        settings_sha256=sha(b"settings"),
        version="0.1.0",
        parameters={"statement_id": "2022-02-10-kazakhstan-crackdown", "formats": ["pdf"],
                    "title": "Kazakhstan: ‘Bloody January’"},
        actor="ana",
        mode="notebook",
    )
    args.update(over)
    return args


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ledger(tmp_path: Path, clock: FakeClock) -> Ledger:
    return Ledger(tmp_path / "site" / "runs" / "ledger.sqlite", clock=clock)


def test_creates_folder_and_schema_at_the_first_record_and_not_before(tmp_path: Path):
    path = tmp_path / "site" / "runs" / "ledger.sqlite"
    assert Ledger(path).runs() == []
    assert not path.parent.exists()  # opening and reading create nothing
    Ledger(path).start_run(**run_args())
    assert path.is_file()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert {"runs", "outputs"} <= tables
    Ledger(path)  # opening again migrates nothing and loses nothing


def test_row_round_trips(ledger: Ledger):
    pdf, html = b"%PDF-1.7 ...", "<html>€</html>".encode()
    run_id = ledger.start_run(**run_args())
    running = ledger.get(run_id)
    assert running.status is RunStatus.RUNNING and running.ended is None
    ledger.finish_run(run_id, status="succeeded", notebook_path=Path("runs/x/executed.ipynb"),
                      outputs=[("output/k/k.pdf", sha(pdf), len(pdf)),
                               ("output/k/k.html", sha(html), len(html))])
    run = ledger.get(run_id)
    assert run.id == run_id and len(run_id) == 26
    assert run.statement_id == "2022-02-10-kazakhstan-crackdown"
    assert (run.record_sha256, run.templates_sha256, run.settings_sha256) == (
        sha(b"record"), sha(b"templates"), sha(b"settings"))
    assert run.version == "0.1.0" and run.actor == "ana"
    assert run.parameters == run_args()["parameters"]
    assert run.mode is RunMode.NOTEBOOK and run.status is RunStatus.SUCCEEDED
    assert run.started == T0 and run.ended == T0 + timedelta(seconds=1)
    assert run.duration == 1.0
    assert run.error is None and run.failed_cell is None
    assert run.notebook_path == "runs/x/executed.ipynb"
    assert run.outputs == (Output("output/k/k.html", sha(html), len(html)),
                           Output("output/k/k.pdf", sha(pdf), len(pdf)))


def test_failed_run_keeps_error_and_cell(ledger: Ledger):
    run_id = ledger.start_run(**run_args(mode=RunMode.BATCH))
    ledger.finish_run(run_id, status=RunStatus.FAILED, error="NameError: x", failed_cell=4)
    run = ledger.get(run_id)
    assert run.failed and run.status is RunStatus.FAILED
    assert (run.error, run.failed_cell, run.mode) == ("NameError: x", 4, RunMode.BATCH)
    assert run.outputs == ()


def test_a_run_is_finished_once(ledger: Ledger):
    run_id = ledger.start_run(**run_args())
    ledger.finish_run(run_id, status="succeeded")
    with pytest.raises(UsageError, match="already finished"):
        ledger.finish_run(run_id, status="failed", error="late")
    assert ledger.get(run_id).status is RunStatus.SUCCEEDED


def test_bad_values_are_refused(ledger: Ledger):
    with pytest.raises(ValueError, match="mode must be one of notebook, direct, batch"):
        ledger.start_run(**run_args(mode="by-hand"))
    with pytest.raises(ValueError, match="record_sha256"):
        ledger.start_run(**run_args(record_sha256="abc"))
    with pytest.raises(TypeError, match="cannot be recorded"):
        ledger.start_run(**run_args(parameters={"x": object()}))
    run_id = ledger.start_run(**run_args())
    with pytest.raises(ValueError, match="succeeded' or 'failed"):
        ledger.finish_run(run_id, status="running")
    with pytest.raises(ValueError, match="listed twice"):
        ledger.finish_run(run_id, status="succeeded",
                          outputs=[("a", sha(b""), 0), ("a", sha(b""), 0)])
    assert ledger.get(run_id).status is RunStatus.RUNNING  # nothing half written
    assert len(ledger.runs()) == 1
    with pytest.raises(UsageError, match="No run"):
        ledger.finish_run("0" * 26, status="succeeded")


def test_get_by_prefix(ledger: Ledger, clock: FakeClock):
    first = ledger.start_run(**run_args())
    clock.now += timedelta(days=400)  # a different time prefix
    second = ledger.start_run(**run_args())
    assert first[:4] != second[:4]
    assert ledger.get(first[:8].lower()).id == first
    assert ledger.get(second).id == second
    with pytest.raises(UsageError, match="No run"):
        ledger.get("ZZZZ")
    ledger.start_run(**run_args())  # same day as `second`: shares its first characters
    with pytest.raises(UsageError, match="ambiguous"):
        ledger.get(second[:3])


def test_filters_newest_first(ledger: Ledger, clock: FakeClock):
    ids = {}
    for day, (statement, fail) in enumerate([("a", False), ("b", True), ("a", True),
                                              ("b", False), ("a", False)]):
        clock.now = T0 + timedelta(days=day)
        run_id = ledger.start_run(**run_args(statement_id=statement))
        ledger.finish_run(run_id, status="failed" if fail else "succeeded",
                          error="boom" if fail else None)
        ids[day] = run_id
    assert [r.id for r in ledger.runs()] == [ids[d] for d in (4, 3, 2, 1, 0)]
    assert [r.id for r in ledger.runs(statement_id="a")] == [ids[4], ids[2], ids[0]]
    assert [r.id for r in ledger.runs(failed_only=True)] == [ids[2], ids[1]]
    assert [r.id for r in ledger.runs(statement_id="b", failed_only=True)] == [ids[1]]
    assert [r.id for r in ledger.runs(since=T0 + timedelta(days=3))] == [ids[4], ids[3]]
    # `since` in another time zone names the same instant
    plus7 = (T0 + timedelta(days=3)).astimezone(datetime.fromisoformat(
        "2024-01-01T00:00+07:00").tzinfo)
    assert [r.id for r in ledger.runs(since=plus7)] == [ids[4], ids[3]]
    assert [r.id for r in ledger.runs(limit=2)] == [ids[4], ids[3]]
    assert ledger.runs(statement_id="nothing") == []


def test_outputs_attach_to_their_runs(ledger: Ledger):
    one = ledger.start_run(**run_args(statement_id="one"))
    two = ledger.start_run(**run_args(statement_id="two"))
    ledger.finish_run(one, status="succeeded", outputs=[("one.pdf", sha(b"1"), 1)])
    ledger.finish_run(two, status="succeeded",
                      outputs=[("two.pdf", sha(b"22"), 2), ("two.docx", sha(b"x"), 1)])
    by_id = {r.id: r for r in ledger.runs()}
    assert [o.path for o in by_id[one].outputs] == ["one.pdf"]
    assert [o.path for o in by_id[two].outputs] == ["two.docx", "two.pdf"]


def test_which_runs_produced_this_pdf(ledger: Ledger, tmp_path: Path):
    """The docstring's query, by API and by hand from a fresh sqlite3 connection."""
    pdf = b"%PDF same bytes"
    first = ledger.start_run(**run_args(actor="ana"))
    ledger.finish_run(first, status="succeeded", outputs=[("output/k/k.pdf", sha(pdf), 15)])
    other = ledger.start_run(**run_args(actor="bo"))
    ledger.finish_run(other, status="succeeded", outputs=[("output/k/k.pdf", sha(b"x"), 1)])
    again = ledger.start_run(**run_args(actor="chen"))
    ledger.finish_run(again, status="succeeded", outputs=[("output/k/k.pdf", sha(pdf), 15)])

    assert [r.id for r in ledger.runs_producing(sha(pdf))] == [again, first]

    db = sqlite3.connect(f"file:{ledger.path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT r.id, r.statement_id, r.actor, r.started, o.path"
            " FROM outputs AS o JOIN runs AS r ON r.id = o.run_id"
            " WHERE o.sha256 = :sha256 ORDER BY r.started DESC", {"sha256": sha(pdf)}).fetchall()
    finally:
        db.close()
    assert [(r[0], r[2], r[4]) for r in rows] == [(again, "chen", "output/k/k.pdf"),
                                                  (first, "ana", "output/k/k.pdf")]


def test_wal_is_on(ledger: Ledger):
    ledger.start_run(**run_args())
    db = sqlite3.connect(ledger.path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_fresh_connection_reads_everything(ledger: Ledger):
    run_id = ledger.start_run(**run_args())
    ledger.finish_run(run_id, status="failed", error="boom", failed_cell=2,
                      outputs=[("a.pdf", sha(b"a"), 1)])
    db = sqlite3.connect(ledger.path)
    try:
        row = db.execute("SELECT statement_id, status, error, failed_cell, parameters"
                         " FROM runs WHERE id = ?", (run_id,)).fetchone()
        outs = db.execute("SELECT path, bytes FROM outputs WHERE run_id = ?",
                          (run_id,)).fetchall()
    finally:
        db.close()
    assert row[:4] == ("2022-02-10-kazakhstan-crackdown", "failed", "boom", 2)
    assert "Bloody January" in row[4]
    assert outs == [("a.pdf", 1)]


def test_reads_kept_open_share_one_connection_and_see_every_commit(ledger: Ledger):
    """A build asks the store about each statement as it writes it, through one kept
    connection: a commit by another process after the block began is seen at the next read,
    and another thread opens its own connection."""
    import threading

    ledger.start_run(**run_args())
    store = ledger.store
    seen = []

    def count(db):
        return db.execute("SELECT count(*) FROM runs").fetchone()[0]

    with store.reads_kept_open():
        with store.read() as a:
            assert count(a) == 1
        Ledger(ledger.path).start_run(**run_args(actor="bo"))  # another writer's commit
        with store.read() as b:
            assert b is a  # the kept one
            assert count(b) == 2
        thread = threading.Thread(target=lambda: seen.append(_read_in_thread(store)))
        thread.start()
        thread.join()
    assert seen and seen[0][0] is not a and seen[0][1] == 2
    with store.read() as c:
        assert c is not a  # the block closed it
        assert count(c) == 2


def _read_in_thread(store):
    with store.read() as db:
        return db, db.execute("SELECT count(*) FROM runs").fetchone()[0]


def test_not_a_database_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "runs" / "ledger.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(PressroomError, match=r"ledger\.sqlite: the run ledger is damaged.*"
                                              r"restore it from a backup"):
        Ledger(path)


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "ledger.sqlite"
    Ledger(path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(PressroomError, match="newer than this Pressroom knows"):
        Ledger(path)


def test_naive_clock_is_refused(tmp_path: Path):
    ledger = Ledger(tmp_path / "l.sqlite", clock=lambda: datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        ledger.start_run(**run_args())


def test_run_ids_sort_by_time():
    times = [T0 + timedelta(milliseconds=ms) for ms in (0, 1, 2, 1000, 86_400_000)]
    ids = [new_run_id(t) for t in times]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert len({new_run_id(T0) for _ in range(100)}) == 100


WRITER = textwrap.dedent("""
    import hashlib, sys, time
    from pathlib import Path
    from pressroom.ledger import Ledger
    path, who, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    ledger = Ledger(path)
    (go.parent / f"ready-{who}").touch()
    while not go.exists():
        time.sleep(0.005)
    for i in range(50):
        run_id = ledger.start_run(
            statement_id=f"{who}-{i}", record_sha256=None, templates_sha256=None,
            settings_sha256=None, version="0.1.0", parameters={"i": i}, actor=who,
            mode="batch")
        data = f"{who}{i}".encode()
        ledger.finish_run(run_id, status="succeeded" if i % 7 else "failed",
                          outputs=[(f"{who}/{i}.pdf", hashlib.sha256(data).hexdigest(),
                                    len(data))])
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    path = tmp_path / "runs" / "ledger.sqlite"
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(go)],
                              stderr=subprocess.PIPE) for who in ("left", "right")]
    deadline = time.monotonic() + 120  # both import and open the ledger, then start together
    while not all((tmp_path / f"ready-{w}").exists() for w in ("left", "right")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.01)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()

    runs = Ledger(path).runs()
    assert len(runs) == 100
    for who in ("left", "right"):
        mine = [r for r in runs if r.actor == who]
        assert sorted(r.parameters["i"] for r in mine) == list(range(50))
        assert all(r.status is not RunStatus.RUNNING for r in mine)
        assert sum(r.failed for r in mine) == 8  # i = 0, 7, ..., 49
        assert all(len(r.outputs) == 1 and r.outputs[0].path == f"{who}/{r.parameters['i']}.pdf"
                   for r in mine)
    # Both writers really did overlap in time: their runs interleave.
    actors = [r.actor for r in sorted(runs, key=lambda r: r.started)]
    switches = sum(a != b for a, b in itertools.pairwise(actors))
    assert switches > 1
