"""The run ledger: every publication run, by hand or by command, and the files it produced.

One SQLite file, `runs/ledger.sqlite` under the site root: outside output/, so no clean or
rebuild touches it. It answers who published what, from which version of the record, with
which templates and settings, producing which files, and whether and where it failed.

Several processes may write at once (a batch beside a notebook): see `store` for how the
database is opened, migrated and shared. Every run holds a lock of its own while it lives
(`locks`), so a row left "running" by a process that died is closed as interrupted by the
next process that opens the ledger.

Questions a person can ask the file directly, with `sqlite3 runs/ledger.sqlite`:

Which runs produced this PDF? (`Ledger.runs_producing` runs the same query)::

    SELECT r.id, r.statement_id, r.actor, r.started, r.status, o.path
    FROM outputs AS o JOIN runs AS r ON r.id = o.run_id
    WHERE o.sha256 = '<sha256 of the file>'
    ORDER BY r.started DESC;

Which runs failed this week, and in which cell?::

    SELECT id, statement_id, actor, started, failed_cell, error
    FROM runs WHERE status = 'failed' AND started >= '2024-05-06'
    ORDER BY started DESC;
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

from .errors import PressroomError, UsageError
from .locks import Lock, run_is_dead, run_lock
from .store import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    Store,
    StoreError,
    iso,
    parse_time,
)

__all__ = ["BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "Ledger", "LedgerError", "Output", "Run",
           "RunMode", "RunStatus", "new_run_id"]
LedgerError = StoreError
INTERRUPTED_MESSAGE = ("interrupted: the process running it stopped before it finished (killed, "
                       "crashed, or the machine restarted)")

class RunMode(StrEnum):
    NOTEBOOK = "notebook"  # the publication notebook, run by papermill or by hand
    DIRECT = "direct"  # rendered from the record without a kernel
    BATCH = "batch"  # one statement of a whole-archive rebuild
    BUILD = "build"  # one statement of `pressroom build`


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process died before it finished (a kill, a crash)


@dataclass(frozen=True)
class Output:
    """A file a run wrote: its path (relative to the site root), sha256 and size."""

    path: str
    sha256: str
    bytes: int
    format: str | None = None  # None: recorded before the ledger kept formats
    input_key: str | None = None  # what it was made from (inputs.py); decides a rebuild


@dataclass(frozen=True)
class Run:
    id: str
    statement_id: str
    record_sha256: str | None
    templates_sha256: str | None
    settings_sha256: str | None
    version: str
    parameters: dict[str, Any]
    actor: str
    mode: RunMode
    started: datetime
    ended: datetime | None
    duration: float | None  # seconds
    status: RunStatus
    error: str | None
    failed_cell: int | None
    notebook_path: str | None
    outputs: tuple[Output, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status in (RunStatus.FAILED, RunStatus.INTERRUPTED)


def new_run_id(when: datetime) -> str:
    """A ULID-like id: 48 bits of milliseconds then 80 random bits, in Crockford base32.

    Ids sort by start time as text, and two processes starting in the same millisecond
    still get different ids."""
    millis = int(when.timestamp() * 1000)
    value = (millis << 80) | secrets.randbits(80)
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(alphabet[(value >> shift) & 31] for shift in range(125, -1, -5))


class Ledger:
    """The run ledger of one site. `Ledger(site.root / "runs" / "ledger.sqlite")`.

    Opened where it can be written, it is created and migrated if need be, and every row
    left "running" by a process that died is closed as interrupted (`close_interrupted`).
    Where it cannot be written (a login that may only read, a read-only disk) it opens
    read-only: the log can be read, nothing can be recorded."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None,
                 readonly: bool | None = None,
                 outputs_of: Callable[[Run], Iterable[tuple]] | None = None):
        self.store = Store(path, clock=clock, readonly=readonly)
        self.path = self.store.path
        self._outputs_of = outputs_of
        self._run_locks: dict[str, Lock] = {}
        if not self.readonly and self.store.exists:
            self.close_interrupted()

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    # -- writing -------------------------------------------------------------------------

    def start_run(
        self,
        *,
        statement_id: str,
        record_sha256: str | None,
        templates_sha256: str | None,
        settings_sha256: str | None,
        version: str,
        parameters: dict[str, Any],
        actor: str,
        mode: RunMode | str,
    ) -> str:
        """Record that a run has started; returns its id, for `finish_run`."""
        mode = _enum(RunMode, mode, "mode")
        for name, digest in (("record_sha256", record_sha256),
                             ("templates_sha256", templates_sha256),
                             ("settings_sha256", settings_sha256)):
            if digest is not None:
                _check_sha256(digest, name)
        if not statement_id:
            raise ValueError("start_run: statement_id is empty")
        self.store.refuse_readonly()
        started = self.store.now()
        run_id = new_run_id(started)
        # The run's own lock first: a row is never "running" without a live holder.
        try:
            self._run_locks[run_id] = run_lock(self.path.parent, run_id)
        except OSError as exc:
            raise self.store.os_problem(exc) from exc
        with self.store.write() as db:
            db.execute(
                "INSERT INTO runs (id, statement_id, record_sha256, templates_sha256,"
                " settings_sha256, version, parameters, actor, mode, started, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, statement_id, record_sha256, templates_sha256, settings_sha256,
                 version, _dump_parameters(parameters), actor, mode.value,
                 iso(started), RunStatus.RUNNING.value),
            )
        return run_id

    def finish_run(
        self,
        run_id: str,
        *,
        status: RunStatus | str,
        error: str | None = None,
        failed_cell: int | None = None,
        notebook_path: str | PurePath | None = None,
        outputs: Iterable[tuple] = (),
    ) -> None:
        """Close a running run as succeeded or failed, with the files it wrote.

        A run is finished once: its row is the record of what happened, never rewritten."""
        status = _enum(RunStatus, status, "status")
        if status not in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            raise ValueError("finish_run: status must be 'succeeded' or 'failed'")
        self.store.refuse_readonly()
        rows: dict[str, tuple] = {}
        for output in outputs:
            path, digest, size, fmt, key = _output_row(output)
            _check_sha256(digest, f"output {path}")
            if path in rows:
                raise ValueError(f"finish_run: output {path} listed twice")
            rows[path] = (run_id, path, digest, size, fmt, key)
        ended = self.store.now()
        with self.store.write() as db:
            found = db.execute("SELECT started, status FROM runs WHERE id = ?",
                               (run_id,)).fetchone()
            if found is None:
                raise UsageError(f"No run {run_id} in the run ledger {self.path}.")
            if found[1] != RunStatus.RUNNING:
                raise UsageError(f"Run {run_id} has already finished ({found[1]}); "
                                 "a run is recorded once.")
            duration = (ended - parse_time(found[0])).total_seconds()
            db.execute(
                "UPDATE runs SET status = ?, ended = ?, duration = ?, error = ?,"
                " failed_cell = ?, notebook_path = ? WHERE id = ?",
                (status.value, iso(ended), duration, error, failed_cell,
                 None if notebook_path is None else str(notebook_path), run_id),
            )
            db.executemany(_INSERT_OUTPUT, rows.values())
        lock = self._run_locks.pop(run_id, None)
        if lock is not None:
            lock.release(remove=True)

    def start_runs(self, rows: list[dict], *, lock: str) -> list[str]:
        """Record many runs as started, in one transaction (a build's statements): each row
        takes `start_run`'s fields. Their processes are this one, holding the lock `lock`
        (the build's id) for all of them: a build killed at any moment leaves rows that the
        next command closes as interrupted, with the files each had put in place."""
        self.store.refuse_readonly()
        started = self.store.now()
        if lock not in self._run_locks:
            try:
                self._run_locks[lock] = run_lock(self.path.parent, lock)
            except OSError as exc:
                raise self.store.os_problem(exc) from exc
        ids, values = [], []
        for row in rows:
            run_id = new_run_id(started)
            ids.append(run_id)
            mode = _enum(RunMode, row["mode"], "mode")
            values.append((run_id, row["statement_id"], row["record_sha256"],
                           row["templates_sha256"], row["settings_sha256"], row["version"],
                           _dump_parameters({**row["parameters"], "lock": lock}),
                           row["actor"], mode.value, iso(started), RunStatus.RUNNING.value))
        with self.store.write() as db:
            db.executemany(
                "INSERT INTO runs (id, statement_id, record_sha256, templates_sha256,"
                " settings_sha256, version, parameters, actor, mode, started, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        return ids

    def finish_runs(self, rows: list[dict]) -> None:
        """Close many running runs in one transaction: each row has run_id, status, and
        optionally error and outputs (as `finish_run` takes them)."""
        self.store.refuse_readonly()
        ended = self.store.now()
        with self.store.write() as db:
            for row in rows:
                status = _enum(RunStatus, row["status"], "status")
                found = db.execute("SELECT started FROM runs WHERE id = ? AND status ="
                                   " 'running'", (row["run_id"],)).fetchone()
                if found is None:
                    continue  # closed meanwhile (as interrupted by a reader): recorded once
                db.execute("UPDATE runs SET status = ?, ended = ?, duration = ?, error = ?,"
                           " notebook_path = ? WHERE id = ?",
                           (status.value, iso(ended),
                            (ended - parse_time(found[0])).total_seconds(),
                            row.get("error"), row.get("notebook_path"), row["run_id"]))
                outputs = [(row["run_id"], *_output_row(o)) for o in row.get("outputs", ())]
                db.executemany(_INSERT_OUTPUT, outputs)

    def release_lock(self, lock: str) -> None:
        held = self._run_locks.pop(lock, None)
        if held is not None:
            held.release(remove=True)

    def join_run(self, run_id: str) -> Lock:
        """Take part in a run another process opened (the kernel of a command's run): its
        row stays running while either process lives. Release the lock when done."""
        try:
            return run_lock(self.path.parent, run_id)
        except OSError as exc:
            raise self.store.os_problem(exc) from exc

    def close_interrupted(self) -> list[str]:
        """Close every running row whose run lock nobody holds: its processes died (killed,
        crashed, the machine restarted). Outputs known for it (from the manifest it wrote)
        are recorded. Returns the ids closed."""
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM runs WHERE status = 'running'").fetchall()
            running = self._with_outputs(db, rows)
        closed = []
        for run in running:
            # A build's rows share its lock (their `lock` parameter); a run has its own.
            name = run.parameters.get("lock") or run.id
            if name in self._run_locks:
                continue  # ours, and alive
            lock = run_is_dead(self.path.parent, name)
            if lock is None:
                continue
            try:
                known = list(self._outputs_of(run)) if self._outputs_of else []
                if self._interrupt(run, known):
                    closed.append(run.id)
            finally:
                lock.release(remove=True)
        return closed

    def _interrupt(self, run: Run, outputs: list[tuple]) -> bool:
        ended = self.store.now()
        with self.store.write() as db:
            done = db.execute(
                "UPDATE runs SET status = 'interrupted', ended = ?, duration = ?, error = ?"
                " WHERE id = ? AND status = 'running'",
                (iso(ended), (ended - run.started).total_seconds(), INTERRUPTED_MESSAGE,
                 run.id))
            if done.rowcount != 1:
                return False  # it finished meanwhile
            have = {o.path for o in run.outputs}
            rows = [(run.id, *_output_row(o)) for o in outputs]
            db.executemany(_INSERT_OUTPUT, [r for r in rows if r[1] not in have])
        return True

    # -- reading -------------------------------------------------------------------------

    def runs(
        self,
        statement_id: str | None = None,
        failed_only: bool = False,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Run]:
        """Runs, newest first, optionally of one statement, failed only, or since a time."""
        if not self.store.exists:
            return []
        where, args = [], []
        if statement_id is not None:
            where.append("statement_id = ?")
            args.append(statement_id)
        if failed_only:
            where.append("status IN ('failed', 'interrupted', 'running')")
        if since is not None:
            where.append("started >= ?")
            args.append(iso(since))
        sql = "SELECT * FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self.store.read() as db:
            rows = db.execute(sql, args).fetchall()
            found = [self._as_seen(r) for r in self._with_outputs(db, rows)]
        return [r for r in found if r.failed] if failed_only else found

    def _as_seen(self, run: Run) -> Run:
        """A running row whose run lock is free belongs to a dead run. Opened for writing,
        the ledger has closed it already; read-only, it is shown as interrupted."""
        if run.status is not RunStatus.RUNNING or run.id in self._run_locks:
            return run
        lock = run_is_dead(self.path.parent, run.id)
        if lock is None:
            return run
        lock.release()
        return dataclasses.replace(run, status=RunStatus.INTERRUPTED,
                                   error=INTERRUPTED_MESSAGE)

    def get(self, run_id: str) -> Run:
        """One run by its id, or by an unambiguous beginning of it (as git takes commits)."""
        prefix = run_id.strip().upper()
        if not prefix:
            raise UsageError("No run id given.")
        if not self.store.exists:
            raise UsageError(f"No run {run_id} in the run ledger {self.path}.")
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM runs WHERE id >= ? AND id < ? LIMIT 2",
                              (prefix, prefix + "\U0010ffff")).fetchall()
            if not rows:
                raise UsageError(f"No run {run_id} in the run ledger {self.path}.")
            if len(rows) > 1 and rows[0]["id"] != prefix:
                raise UsageError(f"Run id {run_id} is ambiguous: give more of it.")
            return self._as_seen(self._with_outputs(db, rows[:1])[0])

    def runs_producing(self, sha256: str) -> list[Run]:
        """Which runs produced a file with this sha256? Newest first.

        The same query by hand::

            SELECT r.id, r.statement_id, r.actor, r.started, o.path
            FROM outputs AS o JOIN runs AS r ON r.id = o.run_id
            WHERE o.sha256 = :sha256 ORDER BY r.started DESC;
        """
        _check_sha256(sha256, "sha256")
        if not self.store.exists:
            return []
        with self.store.read() as db:
            rows = db.execute(
                "SELECT DISTINCT r.* FROM outputs AS o JOIN runs AS r ON r.id = o.run_id"
                " WHERE o.sha256 = ? ORDER BY r.started DESC, r.id DESC", (sha256,)).fetchall()
            return self._with_outputs(db, rows)

    # -- the database --------------------------------------------------------------------

    def _with_outputs(self, db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[Run]:
        outputs: dict[str, list[Output]] = {row["id"]: [] for row in rows}
        ids = list(outputs)
        for start in range(0, len(ids), 500):  # keep under SQLite's bound-parameter limit
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for out in db.execute(f"SELECT run_id, path, sha256, bytes, format, input_key"
                                  f" FROM outputs WHERE run_id IN ({marks}) ORDER BY path",
                                  chunk):
                outputs[out["run_id"]].append(Output(out["path"], out["sha256"], out["bytes"],
                                                     out["format"], out["input_key"]))
        return [_run(row, tuple(outputs[row["id"]])) for row in rows]



def error_message(exc: BaseException) -> str:
    """The message to keep for a failed run: ours as written for people, others typed."""
    text = _ANSI.sub("", str(exc)).strip()
    if isinstance(exc, PressroomError) and text:
        return text
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def failed_cell_of(exc: BaseException) -> int | None:
    """The notebook cell an exception names: ours (`NotebookError.cell`) or papermill's."""
    for name in ("cell", "cell_index"):
        value = getattr(exc, name, None)
        if isinstance(value, int):
            return value
    return None


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # kernel tracebacks are coloured
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _check_sha256(value: str, name: str) -> None:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise ValueError(f"{name} must be a lowercase hex sha256, got {value!r}")


def _enum(kind, value, name):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}") from None


def _json_default(value: Any) -> Any:
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"run parameter of type {type(value).__name__} cannot be recorded: "
                    f"{value!r}; pass text, numbers, lists or dicts")


def _dump_parameters(parameters: dict[str, Any]) -> str:
    return json.dumps(parameters, sort_keys=True, ensure_ascii=False, default=_json_default)


_INSERT_OUTPUT = ("INSERT INTO outputs (run_id, path, sha256, bytes, format, input_key)"
                  " VALUES (?, ?, ?, ?, ?, ?)")


def _output_row(output: tuple) -> tuple[str, str, int, str | None, str | None]:
    """(path, sha256, bytes[, format, input_key]): older callers give the first three."""
    path, digest, size, *rest = output
    fmt, key = [*rest, None, None][:2]
    return str(path), digest, int(size), fmt, key


def _run(row: sqlite3.Row, outputs: tuple[Output, ...]) -> Run:
    return Run(
        id=row["id"], statement_id=row["statement_id"], record_sha256=row["record_sha256"],
        templates_sha256=row["templates_sha256"], settings_sha256=row["settings_sha256"],
        version=row["version"], parameters=json.loads(row["parameters"]), actor=row["actor"],
        mode=RunMode(row["mode"]), started=parse_time(row["started"]),
        ended=parse_time(row["ended"]), duration=row["duration"],
        status=RunStatus(row["status"]), error=row["error"], failed_cell=row["failed_cell"],
        notebook_path=row["notebook_path"], outputs=outputs,
    )
