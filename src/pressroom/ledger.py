"""The run ledger: every publication run, by hand or by command, and the files it produced.

One SQLite file, `runs/ledger.sqlite` under the site root: outside output/, so no clean or
rebuild touches it. It answers who published what, from which version of the record, with
which templates and settings, producing which files, and whether and where it failed.

Several processes may write at once (a batch beside a notebook): the database runs in WAL
mode, every connection waits up to `BUSY_TIMEOUT_MS` for a lock, and every write takes the
write lock up front (`BEGIN IMMEDIATE`), so no run is lost and none is half written.

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

import getpass
import hashlib
import json
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

from .errors import PressroomError, UsageError

BUSY_TIMEOUT_MS = 30_000

# Each entry upgrades the schema from version i to i + 1 (PRAGMA user_version). Append only:
# a published ledger is never rebuilt, so an old file must always migrate forward.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id               TEXT PRIMARY KEY,
        statement_id     TEXT NOT NULL,
        record_sha256    TEXT,
        templates_sha256 TEXT,
        settings_sha256  TEXT,
        version          TEXT NOT NULL,
        parameters       TEXT NOT NULL,
        actor            TEXT NOT NULL,
        mode             TEXT NOT NULL CHECK (mode IN ('notebook', 'direct', 'batch')),
        started          TEXT NOT NULL,
        ended            TEXT,
        duration         REAL,
        status           TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        error            TEXT,
        failed_cell      INTEGER,
        notebook_path    TEXT
    );
    CREATE INDEX runs_by_statement ON runs (statement_id, started);
    CREATE INDEX runs_by_started ON runs (started);
    CREATE TABLE outputs (
        run_id TEXT NOT NULL REFERENCES runs (id),
        path   TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes  INTEGER NOT NULL,
        PRIMARY KEY (run_id, path)
    );
    CREATE INDEX outputs_by_sha256 ON outputs (sha256);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class RunMode(StrEnum):
    NOTEBOOK = "notebook"  # the publication notebook, run by papermill or by hand
    DIRECT = "direct"  # rendered from the record without a kernel
    BATCH = "batch"  # one statement of a whole-archive rebuild


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Output:
    """A file a run wrote: its path (relative to the site root), sha256 and size."""

    path: str
    sha256: str
    bytes: int


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
        return self.status is RunStatus.FAILED


@dataclass
class Recording:
    """The run being recorded inside `Ledger.recording`: add what it writes as it goes."""

    run_id: str
    outputs: list[tuple[str, str, int]] = field(default_factory=list)
    notebook_path: str | None = None

    def add_output(self, path: str | PurePath, data: bytes) -> None:
        """Record a file by its content, as written."""
        self.outputs.append((str(path), hashlib.sha256(data).hexdigest(), len(data)))

    def add_file(self, path: Path, root: Path | None = None) -> None:
        """Record a file already on disk, named relative to `root` (the site root) if given."""
        name = path.relative_to(root) if root is not None else path
        self.add_output(name.as_posix(), Path(path).read_bytes())


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_run_id(when: datetime) -> str:
    """A ULID-like id: 48 bits of milliseconds then 80 random bits, in Crockford base32.

    Ids sort by start time as text, and two processes starting in the same millisecond
    still get different ids."""
    millis = int(when.timestamp() * 1000)
    value = (millis << 80) | secrets.randbits(80)
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(alphabet[(value >> shift) & 31] for shift in range(125, -1, -5))


class Ledger:
    """The run ledger of one site. `Ledger(site.root / "runs" / "ledger.sqlite")`."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = utc_now):
        self.path = Path(path)
        self._clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

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
        started = self._now()
        run_id = new_run_id(started)
        with self._write() as db:
            db.execute(
                "INSERT INTO runs (id, statement_id, record_sha256, templates_sha256,"
                " settings_sha256, version, parameters, actor, mode, started, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, statement_id, record_sha256, templates_sha256, settings_sha256,
                 version, _dump_parameters(parameters), actor, mode.value,
                 _iso(started), RunStatus.RUNNING.value),
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
        outputs: Iterable[tuple[str, str, int]] = (),
    ) -> None:
        """Close a running run as succeeded or failed, with the files it wrote.

        A run is finished once: its row is the record of what happened, never rewritten."""
        status = _enum(RunStatus, status, "status")
        if status is RunStatus.RUNNING:
            raise ValueError("finish_run: status must be 'succeeded' or 'failed'")
        rows: dict[str, tuple[str, str, str, int]] = {}
        for path, digest, size in outputs:
            _check_sha256(digest, f"output {path}")
            if str(path) in rows:
                raise ValueError(f"finish_run: output {path} listed twice")
            rows[str(path)] = (run_id, str(path), digest, int(size))
        ended = self._now()
        with self._write() as db:
            found = db.execute("SELECT started, status FROM runs WHERE id = ?",
                               (run_id,)).fetchone()
            if found is None:
                raise UsageError(f"No run {run_id} in the run ledger {self.path}.")
            if found[1] != RunStatus.RUNNING:
                raise UsageError(f"Run {run_id} has already finished ({found[1]}); "
                                 "a run is recorded once.")
            duration = (ended - _parse_time(found[0])).total_seconds()
            db.execute(
                "UPDATE runs SET status = ?, ended = ?, duration = ?, error = ?,"
                " failed_cell = ?, notebook_path = ? WHERE id = ?",
                (status.value, _iso(ended), duration, error, failed_cell,
                 None if notebook_path is None else str(notebook_path), run_id),
            )
            db.executemany("INSERT INTO outputs (run_id, path, sha256, bytes)"
                           " VALUES (?, ?, ?, ?)", rows.values())

    @contextmanager
    def recording(
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
    ) -> Iterator[Recording]:
        """Record the block as one run: succeeded if it ends, failed if it raises.

        On an exception the run is finished as failed with the exception's message (and the
        failing cell, when the exception names one), then the exception goes on up."""
        run_id = self.start_run(
            statement_id=statement_id, record_sha256=record_sha256,
            templates_sha256=templates_sha256, settings_sha256=settings_sha256,
            version=version, parameters=parameters, actor=actor, mode=mode)
        rec = Recording(run_id)
        try:
            yield rec
        except BaseException as exc:  # an interrupted run must not stay "running" forever
            notebook = rec.notebook_path or getattr(exc, "notebook", None)
            self.finish_run(run_id, status=RunStatus.FAILED, error=error_message(exc),
                            failed_cell=failed_cell_of(exc), notebook_path=notebook,
                            outputs=rec.outputs)
            raise
        self.finish_run(run_id, status=RunStatus.SUCCEEDED,
                        notebook_path=rec.notebook_path, outputs=rec.outputs)

    # -- reading -------------------------------------------------------------------------

    def runs(
        self,
        statement_id: str | None = None,
        failed_only: bool = False,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Run]:
        """Runs, newest first, optionally of one statement, failed only, or since a time."""
        where, args = [], []
        if statement_id is not None:
            where.append("statement_id = ?")
            args.append(statement_id)
        if failed_only:
            where.append("status = 'failed'")
        if since is not None:
            where.append("started >= ?")
            args.append(_iso(since))
        sql = "SELECT * FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self._read() as db:
            return self._with_outputs(db, db.execute(sql, args).fetchall())

    def get(self, run_id: str) -> Run:
        """One run by its id, or by an unambiguous beginning of it (as git takes commits)."""
        prefix = run_id.strip().upper()
        if not prefix:
            raise UsageError("No run id given.")
        with self._read() as db:
            rows = db.execute("SELECT * FROM runs WHERE id >= ? AND id < ? LIMIT 2",
                              (prefix, prefix + "\U0010ffff")).fetchall()
            if not rows:
                raise UsageError(f"No run {run_id} in the run ledger {self.path}.")
            if len(rows) > 1 and rows[0]["id"] != prefix:
                raise UsageError(f"Run id {run_id} is ambiguous: give more of it.")
            return self._with_outputs(db, rows[:1])[0]

    def runs_producing(self, sha256: str) -> list[Run]:
        """Which runs produced a file with this sha256? Newest first.

        The same query by hand::

            SELECT r.id, r.statement_id, r.actor, r.started, o.path
            FROM outputs AS o JOIN runs AS r ON r.id = o.run_id
            WHERE o.sha256 = :sha256 ORDER BY r.started DESC;
        """
        _check_sha256(sha256, "sha256")
        with self._read() as db:
            rows = db.execute(
                "SELECT DISTINCT r.* FROM outputs AS o JOIN runs AS r ON r.id = o.run_id"
                " WHERE o.sha256 = ? ORDER BY r.started DESC, r.id DESC", (sha256,)).fetchall()
            return self._with_outputs(db, rows)

    # -- the database --------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the ledger clock must give timezone-aware times")
        return now

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we open every transaction ourselves (BEGIN IMMEDIATE).
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = FULL")  # a finished run survives a power cut
        except sqlite3.DatabaseError as exc:
            db.close()
            raise self._unreadable(exc) from exc
        return db

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as db:
            try:
                yield db
            except sqlite3.DatabaseError as exc:
                raise self._unreadable(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as db:
            try:
                _begin_immediate(db)
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise self._unreadable(exc) from exc

    def _unreadable(self, exc: sqlite3.DatabaseError) -> PressroomError:
        return PressroomError(f"{self.path}: the run ledger cannot be used: {exc}. "
                              "It is not regenerable: restore it from a backup, do not delete it.")

    def _migrate(self) -> None:
        with closing(self._connect()) as db:
            try:
                # WAL is a property of the file, set once. Switching takes an exclusive lock
                # and SQLite does not always wait for it through busy_timeout when two
                # processes open a new ledger at once: retry until the timeout ourselves.
                mode = db.execute("PRAGMA journal_mode").fetchone()[0]
                if mode.lower() != "wal":
                    mode = _while_locked(
                        lambda: db.execute("PRAGMA journal_mode = WAL").fetchone()[0])
                if mode.lower() != "wal":
                    raise PressroomError(f"{self.path}: the run ledger could not switch to "
                                         f"WAL mode (got {mode}); is it on a network drive?")
                _begin_immediate(db)
                current = db.execute("PRAGMA user_version").fetchone()[0]
                if current > SCHEMA_VERSION:
                    db.execute("ROLLBACK")
                    raise PressroomError(
                        f"{self.path}: the run ledger has schema {current}, newer than this "
                        f"Pressroom knows ({SCHEMA_VERSION}); upgrade Pressroom.")
                for version in range(current, SCHEMA_VERSION):
                    for statement in _statements(MIGRATIONS[version]):
                        db.execute(statement)
                # PRAGMA takes no parameters; the value is our own integer.
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise self._unreadable(exc) from exc

    def _with_outputs(self, db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[Run]:
        outputs: dict[str, list[Output]] = {row["id"]: [] for row in rows}
        ids = list(outputs)
        for start in range(0, len(ids), 500):  # keep under SQLite's bound-parameter limit
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for out in db.execute(f"SELECT run_id, path, sha256, bytes FROM outputs"
                                  f" WHERE run_id IN ({marks}) ORDER BY path", chunk):
                outputs[out["run_id"]].append(Output(out["path"], out["sha256"], out["bytes"]))
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


def _while_locked(attempt: Callable[[], Any]) -> Any:
    """`attempt()`, retried while the database is locked, for up to BUSY_TIMEOUT_MS."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _check_sha256(value: str, name: str) -> None:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise ValueError(f"{name} must be a lowercase hex sha256, got {value!r}")


def _enum(kind, value, name):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}") from None


def _begin_immediate(db: sqlite3.Connection) -> None:
    # SQLite's busy handler does not cover every lock conflict at BEGIN under WAL (a
    # checkpoint or recovery in another process can return SQLITE_BUSY at once), so wait
    # here too, within the same budget.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our transaction; run the statements one by one instead.
    return [s.strip() for s in script.split(";") if s.strip()]


def _iso(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError(f"times must be timezone-aware, got {when!r}")
    # One fixed width, so ISO strings sort as the times they name.
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


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


def _run(row: sqlite3.Row, outputs: tuple[Output, ...]) -> Run:
    return Run(
        id=row["id"], statement_id=row["statement_id"], record_sha256=row["record_sha256"],
        templates_sha256=row["templates_sha256"], settings_sha256=row["settings_sha256"],
        version=row["version"], parameters=json.loads(row["parameters"]), actor=row["actor"],
        mode=RunMode(row["mode"]), started=_parse_time(row["started"]),
        ended=_parse_time(row["ended"]), duration=row["duration"],
        status=RunStatus(row["status"]), error=row["error"], failed_cell=row["failed_cell"],
        notebook_path=row["notebook_path"], outputs=outputs,
    )


def default_actor() -> str:
    """Who is running this, when the caller does not say: the login name."""
    for name in ("PRESSROOM_ACTOR", "USER", "LOGNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:  # no login variables (cron, a container): the account the process runs as
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
