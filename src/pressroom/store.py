"""The store: one SQLite file under runs/ that is not regenerable (the run ledger today).

WAL mode, so several processes may write at once; every connection waits up to
`BUSY_TIMEOUT_MS` for a lock and every write takes the write lock up front (`BEGIN
IMMEDIATE`), so nothing is lost and nothing is half written. The schema grows by append-only
migrations (`PRAGMA user_version`): an old file always migrates forward.

Where the file cannot be written (a login that may only read, a read-only disk), the store
opens read-only. Every database error is said for staff: read-only, disk full, busy,
damaged, with whether the file is intact.
"""

from __future__ import annotations

import errno
import getpass
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import PressroomError
from .fileio import adopt_group_of, make_dirs

BUSY_TIMEOUT_MS = 30_000
STORE_NAME = "ledger.sqlite"  # under runs/: the run ledger, import records, and what follows

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
    # 2: a run whose process died is closed as 'interrupted'; builds get their own mode.
    # SQLite cannot change a CHECK constraint: the table is rebuilt (foreign keys are off
    # while migrating, so the outputs keep pointing at their runs).
    """
    CREATE TABLE runs_new (
        id               TEXT PRIMARY KEY,
        statement_id     TEXT NOT NULL,
        record_sha256    TEXT,
        templates_sha256 TEXT,
        settings_sha256  TEXT,
        version          TEXT NOT NULL,
        parameters       TEXT NOT NULL,
        actor            TEXT NOT NULL,
        mode             TEXT NOT NULL CHECK (mode IN ('notebook', 'direct', 'batch', 'build')),
        started          TEXT NOT NULL,
        ended            TEXT,
        duration         REAL,
        status           TEXT NOT NULL
                         CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
        error            TEXT,
        failed_cell      INTEGER,
        notebook_path    TEXT
    );
    INSERT INTO runs_new SELECT * FROM runs;
    DROP TABLE runs;
    ALTER TABLE runs_new RENAME TO runs;
    CREATE INDEX runs_by_statement ON runs (statement_id, started);
    CREATE INDEX runs_by_started ON runs (started);
    CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
    """,
    # 3: what each import wrote, so that `import --update` changes only what nobody edited.
    """
    CREATE TABLE imports (
        id            INTEGER PRIMARY KEY,
        record        TEXT NOT NULL,
        statement_id  TEXT NOT NULL,
        source        TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        imported      TEXT NOT NULL,
        fields        TEXT NOT NULL,
        body_sha256   TEXT NOT NULL,
        version       TEXT NOT NULL
    );
    CREATE INDEX imports_by_source ON imports (source, id);
    CREATE INDEX imports_by_record ON imports (record, id);
    """,
    # 4: the workflow. Every stored state of a record is a numbered version whose bytes are
    # kept once by their sha256 (plain bytes: they must load in ten years); every transition
    # is a row of the history, written in the same transaction as the version it makes.
    """
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        data   BLOB NOT NULL
    );
    CREATE TABLE versions (
        statement_id TEXT NOT NULL,
        number       INTEGER NOT NULL,
        sha256       TEXT NOT NULL REFERENCES blobs (sha256),
        created      TEXT NOT NULL,
        person       TEXT NOT NULL,
        reason       TEXT NOT NULL,
        published    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (statement_id, number)
    );
    CREATE TABLE transitions (
        id             INTEGER PRIMARY KEY,
        statement_id   TEXT NOT NULL,
        action         TEXT NOT NULL,
        person         TEXT NOT NULL,
        acting_for     TEXT,
        from_state     TEXT NOT NULL,
        to_state       TEXT NOT NULL,
        time           TEXT NOT NULL,
        comment        TEXT,
        correction     TEXT,
        version_before INTEGER,
        version_after  INTEGER,
        copy           TEXT NOT NULL DEFAULT 'record' CHECK (copy IN ('record', 'working')),
        file_written   INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX transitions_by_statement ON transitions (statement_id, id);
    CREATE TABLE withdrawn (
        statement_id TEXT NOT NULL,
        version      INTEGER NOT NULL,
        name         TEXT NOT NULL,
        sha256       TEXT NOT NULL REFERENCES blobs (sha256),
        time         TEXT NOT NULL,
        PRIMARY KEY (statement_id, version, name)
    );
    CREATE TABLE rule_queue (
        id            INTEGER PRIMARY KEY,
        transition_id INTEGER NOT NULL REFERENCES transitions (id),
        rule          INTEGER NOT NULL,
        action        TEXT NOT NULL,
        status        TEXT NOT NULL
                      CHECK (status IN ('queued', 'running', 'done', 'failed')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        updated       TEXT NOT NULL
    );
    """,
    # 5: each output's format and input key (inputs.py): which run made which format from
    # which inputs, so a build redoes exactly what changed.
    """
    ALTER TABLE outputs ADD COLUMN format TEXT;
    ALTER TABLE outputs ADD COLUMN input_key TEXT;
    CREATE INDEX outputs_by_key ON outputs (input_key);
    """,
    # 6: reviewers' Word drafts. Each draft sent (which version, for whom, since which), and
    # the text of every field it anchors with a bookmark, kept with the version: a returned
    # file maps by bookmark, else by this fingerprint (sha256 of the normalised text).
    """
    CREATE TABLE review_drafts (
        id           INTEGER PRIMARY KEY,
        statement_id TEXT NOT NULL,
        version      INTEGER NOT NULL,
        person       TEXT NOT NULL,
        since        INTEGER,
        path         TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        created      TEXT NOT NULL,
        made_by      TEXT NOT NULL,
        FOREIGN KEY (statement_id, version) REFERENCES versions (statement_id, number)
    );
    CREATE INDEX review_drafts_by_statement ON review_drafts (statement_id, version);
    CREATE TABLE draft_anchors (
        statement_id TEXT NOT NULL,
        version      INTEGER NOT NULL,
        bookmark     TEXT NOT NULL,
        part         TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        text         TEXT NOT NULL,
        PRIMARY KEY (statement_id, version, bookmark),
        FOREIGN KEY (statement_id, version) REFERENCES versions (statement_id, number)
    );
    CREATE INDEX draft_anchors_by_fingerprint ON draft_anchors (sha256);
    """,
    # 7: reviews handed back. The reviewed file's bytes are kept as a blob (apply reads its
    # changes again from them, whatever happened to the file), once per file: its sha256 is
    # unique, so ingesting the same file twice finds the first review. Each comment and
    # change is an item, placed on a field (a draft's bookmark) or not (field NULL); `move`
    # names the move a move-from or move-to belongs to (both ends are applied together).
    """
    CREATE TABLE reviews (
        id           INTEGER PRIMARY KEY,
        statement_id TEXT NOT NULL,
        version      INTEGER NOT NULL,
        sha256       TEXT NOT NULL UNIQUE REFERENCES blobs (sha256),
        file_name    TEXT NOT NULL,
        ingested     TEXT NOT NULL,
        person       TEXT NOT NULL,
        reviewers    TEXT NOT NULL,
        FOREIGN KEY (statement_id, version) REFERENCES versions (statement_id, number)
    );
    CREATE INDEX reviews_by_statement ON reviews (statement_id, id);
    CREATE TABLE review_items (
        review_id  INTEGER NOT NULL REFERENCES reviews (id),
        number     INTEGER NOT NULL,
        ref        TEXT NOT NULL,
        kind       TEXT NOT NULL,
        field      TEXT,
        placed_by  TEXT,
        story      TEXT,
        note       TEXT,
        paragraph  INTEGER,
        author     TEXT NOT NULL,
        date       TEXT,
        text       TEXT NOT NULL,
        anchor     TEXT,
        parent     INTEGER,
        move       TEXT,
        state      TEXT NOT NULL DEFAULT 'open'
                   CHECK (state IN ('open', 'accepted', 'rejected', 'resolved')),
        decided    TEXT,
        decided_by TEXT,
        PRIMARY KEY (review_id, number)
    );
    """,
    # 8: the warnings an import gave each record (JSON: [[field, message], ...]), so that a
    # reviewers' draft can put those still standing (the field as the import wrote it) on
    # the text they concern: an unverified endorser match, a hidden e-mail, a guessed date.
    """
    ALTER TABLE imports ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)




def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The SQLite store at `path`. An existing one that can be written is migrated at once;
    a missing one is made by the first write (reading, checking and listing create nothing)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None,
                 readonly: bool | None = None):
        self.path = Path(path)
        self._clock = clock
        self.readonly = not _writable(self.path) if readonly is None else readonly
        self._ready = False
        self._kept: dict[int, sqlite3.Connection] | None = None  # see reads_kept_open
        if not self.readonly and self.path.exists():
            self._make()

    def _make(self) -> None:
        """Create (if missing) and migrate the store: before its first write."""
        if self._ready:
            return
        try:
            make_dirs(self.path.parent)
            if not self.path.exists():
                _create_file(self.path)
        except OSError as exc:
            raise self.os_problem(exc) from exc
        self._migrate()
        self._ready = True

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def refuse_readonly(self, what: str = "record a run") -> None:
        if self.readonly:
            raise StoreError(f"{self.path}: the store is read-only for you (login {_login()}): "
                             f"you can read it, but not {what}. Ask the site's maintainer for "
                             "write access to runs/.")

    def now(self) -> datetime:
        # Looked up at each call: the one clock of the program (tests set it).
        now = (self._clock or utc_now)()
        if now.tzinfo is None:
            raise ValueError("the ledger clock must give timezone-aware times")
        return now

    def _connect(self, kept: bool = False) -> sqlite3.Connection:
        """A connection; `kept`: one thread's for a block (`reads_kept_open`), which the
        block's owner closes from its own thread."""
        if self.readonly:
            return self._connect_readonly(kept)
        # isolation_level=None: we open every transaction ourselves (BEGIN IMMEDIATE).
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                 isolation_level=None, check_same_thread=not kept)
        except sqlite3.DatabaseError as exc:
            raise self.problem(exc) from exc
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = FULL")  # a finished run survives a power cut
        except sqlite3.DatabaseError as exc:
            db.close()
            raise self.problem(exc) from exc
        return db

    def _connect_readonly(self, kept: bool = False) -> sqlite3.Connection:
        """A read-only connection. A WAL database needs its -shm file to be read; a login
        that may not create it reads the database file as it stands (`immutable`), which is
        everything but the transactions of processes that are still running."""
        base = f"file:{quote(str(self.path))}?mode=ro"
        last: sqlite3.DatabaseError | None = None
        for target in (base, f"{base}&immutable=1"):
            try:
                db = sqlite3.connect(target, uri=True, isolation_level=None,
                                     timeout=BUSY_TIMEOUT_MS / 1000,
                                     check_same_thread=not kept)
            except sqlite3.DatabaseError as exc:
                last = exc
                continue
            try:
                db.row_factory = sqlite3.Row
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return db
            except sqlite3.DatabaseError as exc:
                db.close()
                last = exc
        assert last is not None
        raise self.problem(last) from last

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        kept = self._kept
        if kept is not None:
            db = kept.get(threading.get_ident())
            if db is None:
                db = kept[threading.get_ident()] = self._connect(kept=True)
            try:
                yield db
            except sqlite3.DatabaseError as exc:
                raise self.problem(exc) from exc
            return
        with closing(self._connect()) as db:
            try:
                yield db
            except sqlite3.DatabaseError as exc:
                raise self.problem(exc) from exc

    @contextmanager
    def reads_kept_open(self) -> Iterator[None]:
        """Reads inside the block keep one connection per thread, open until the block
        ends (a build asks about each statement as it writes it: a connection and its
        pragmas each time was most of that question's cost). Each read still sees every
        commit made before it, as the connections are in autocommit mode; writes open
        their own. The block's owner ends it after the threads that read in it."""
        if self._kept is not None:
            yield
            return
        self._kept = {}
        try:
            yield
        finally:
            kept, self._kept = self._kept, None
            for db in kept.values():
                db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        self.refuse_readonly("change it")
        self._make()
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
                raise self.problem(exc) from exc
            finally:
                self._share_side_files()

    def _share_side_files(self) -> None:
        # SQLite makes -wal and -shm with the database's mode but the creator's group; in a
        # shared site the next login must be able to open them.
        for suffix in ("-wal", "-shm"):
            adopt_group_of(Path(f"{self.path}{suffix}"), self.path)

    def problem(self, exc: sqlite3.DatabaseError) -> PressroomError:
        """What is really wrong, said so that staff know what to do (and that the ledger
        is intact when it is)."""
        text = str(exc)
        low = text.lower()
        where = f"{self.path}: the run ledger"
        if "readonly" in low or "read-only" in low:
            return StoreError(f"{where} is read-only for you (login {_login()}): it is "
                               "intact; reading the log works, recording a run needs write "
                               "access to runs/ and the files in it.")
        if "disk is full" in low or "disk full" in low or self._disk_full():
            return StoreError(f"{where} could not be written: the disk is full. It is "
                               "intact: free some space, then run again.")
        if "locked" in low or "busy" in low:
            return StoreError(f"{where} is busy: another process has held it for over "
                               f"{BUSY_TIMEOUT_MS // 1000} s. It is intact: run again, or look "
                               "for a stuck `pressroom` process.")
        if "unable to open" in low or "disk i/o" in low:
            return StoreError(f"{where} cannot be opened ({text}): check that runs/ exists "
                               "and that you may read and write it, and that the disk is "
                               "mounted.")
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return StoreError(f"{where} is damaged ({text}). It is not regenerable: restore "
                               "it from a backup (`pressroom restore-backup`), do not delete it.")
        return StoreError(f"{where} cannot be used: {text}.")

    def _disk_full(self) -> bool:
        """SQLite says "disk I/O error" when its -wal or -shm file cannot grow: look."""
        try:
            stats = os.statvfs(self.path.parent)
        except OSError:
            return False
        return stats.f_bavail * stats.f_frsize < 256 * 1024

    def os_problem(self, exc: OSError) -> PressroomError:
        where = f"{self.path.parent}: the run ledger's folder"
        if exc.errno == errno.ENOSPC:
            return StoreError(f"{where} cannot be written: the disk is full. Free some "
                               "space, then run again.")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreError(f"{where} is read-only for you (login {_login()}): recording "
                               "a run needs write access to runs/.")
        if isinstance(exc, PressroomError):
            return exc
        return StoreError(f"{where} cannot be used: {exc.strerror or exc}.")

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
                    raise StoreError(f"{self.path}: the run ledger could not switch to "
                                      f"WAL mode (got {mode}); is it on a network drive?")
                if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                    return  # the common case: no write lock taken
                # A migration rebuilds tables; foreign keys can only be switched outside a
                # transaction, and are checked again before committing.
                db.execute("PRAGMA foreign_keys = OFF")
                _begin_immediate(db)
                current = db.execute("PRAGMA user_version").fetchone()[0]
                if current > SCHEMA_VERSION:
                    db.execute("ROLLBACK")
                    raise StoreError(
                        f"{self.path}: the run ledger has schema {current}, newer than this "
                        f"Pressroom knows ({SCHEMA_VERSION}); upgrade Pressroom.")
                for version in range(current, SCHEMA_VERSION):
                    for statement in _statements(MIGRATIONS[version]):
                        db.execute(statement)
                if db.execute("PRAGMA foreign_key_check").fetchall():
                    db.execute("ROLLBACK")
                    raise StoreError(f"{self.path}: the run ledger's outputs do not match "
                                      "its runs; it was left as it was. Restore it from a "
                                      "backup.")
                # PRAGMA takes no parameters; the value is our own integer.
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise self.problem(exc) from exc
            finally:
                self._share_side_files()

class StoreError(PressroomError):
    """The store cannot be used; the message says why and whether it is intact."""


def _writable(path: Path) -> bool:
    """Whether this login may write the ledger (and make it, if it is missing)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return os.access(folder, os.W_OK)


def _create_file(path: Path) -> None:
    """Make the empty database file ourselves, with the umask and the folder's group
    (SQLite would make it 0644 whatever the umask, and shut the site's group out)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o666)
    except FileExistsError:
        return
    os.close(fd)
    adopt_group_of(path, path.parent)


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


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


def iso(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError(f"times must be timezone-aware, got {when!r}")
    # One fixed width, so ISO strings sort as the times they name.
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


