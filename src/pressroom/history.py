"""The history of each statement: every transition, in the store beside the run ledger.

A transition's row and the version it makes are written in one transaction; the record's
file is rewritten after the commit, and the row says when that is done. If a process dies
between the two, the next workflow command finishes the file write (`finish_file_writes`),
so the file and its history always end up agreeing, and nothing a person wrote meanwhile is
overwritten (such a file is left alone and named).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .fileio import atomic_write
from .model import State
from .store import STORE_NAME, Store, iso, parse_time
from .versions import Versions, sha256


@dataclass(frozen=True)
class Entry:
    id: int
    statement_id: str
    action: str
    person: str
    acting_for: str | None
    from_state: State
    to_state: State
    time: datetime
    comment: str | None
    correction: str | None
    version_before: int | None
    version_after: int | None
    copy: str  # "record" (statements/<id>.md) or "working" (working/<id>.md)

    @property
    def who(self) -> str:
        return f"{self.person} for {self.acting_for}" if self.acting_for else self.person


class History:
    def __init__(self, runs_dir: Path, store: Store | None = None):
        self.store = store or Store(Path(runs_dir) / STORE_NAME)
        self.versions = Versions(runs_dir, self.store)

    def add(self, db: sqlite3.Connection, *, statement_id: str, action: str, person: str,
            acting_for: str | None, from_state: State, to_state: State,
            comment: str | None, correction: str | None, version_before: int | None,
            version_after: int | None, copy: str = "record") -> int:
        """Record a transition inside the caller's transaction; its id."""
        cursor = db.execute(
            "INSERT INTO transitions (statement_id, action, person, acting_for, from_state,"
            " to_state, time, comment, correction, version_before, version_after, copy)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (statement_id, action, person, acting_for, from_state.value, to_state.value,
             iso(self.store.now()), comment, correction, version_before, version_after, copy))
        return int(cursor.lastrowid)

    def mark_written(self, transition_id: int) -> None:
        with self.store.write() as db:
            db.execute("UPDATE transitions SET file_written = 1 WHERE id = ?", (transition_id,))

    def entries(self, statement_id: str | None = None) -> list[Entry]:
        """Transitions, oldest first, of one statement or all."""
        if not self.store.exists:
            return []
        sql, args = "SELECT * FROM transitions", []
        if statement_id is not None:
            sql += " WHERE statement_id = ?"
            args.append(statement_id)
        with self.store.read() as db:
            rows = db.execute(sql + " ORDER BY id", args).fetchall()
        return [_entry(r) for r in rows]

    def state(self, statement_id: str, copy: str = "record") -> State | None:
        """The state the history says the record (or its working copy) is in; None if it
        has no history."""
        found = [e for e in self.entries(statement_id) if e.copy == copy]
        return found[-1].to_state if found else None

    def last(self, statement_id: str, action: str | None = None) -> Entry | None:
        found = [e for e in self.entries(statement_id) if action is None or e.action == action]
        return found[-1] if found else None

    def unwritten(self) -> list[tuple[Entry, Path | None]]:
        if not self.store.exists:
            return []
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM transitions WHERE file_written = 0 ORDER BY id"
                              ).fetchall()
        return [(_entry(r), None) for r in rows]


# Transitions that write no record file of their own (the working copy is removed, the
# record stays as it is).
FILE_LESS = frozenset({"cancel-checkout", "release"})


def finish_file_writes(site, history: History) -> list[str]:
    """Write the record files of transitions whose process died after their commit. A file
    changed since (by a person) is left alone and named. Returns what was done."""
    if history.store.readonly:
        return []
    said = []
    for entry, _ in history.unwritten():
        into_record = entry.copy == "record" or entry.to_state is State.PUBLISHED
        path = (site.statements_dir if into_record else site.working_dir) / (
            f"{entry.statement_id}.md")
        after = history.versions.get(entry.statement_id, entry.version_after)
        data = history.versions.data(after)
        now = path.read_bytes() if path.is_file() else None
        before = (history.versions.data(history.versions.get(entry.statement_id,
                                                              entry.version_before))
                  if entry.version_before else None)
        if entry.action in FILE_LESS:
            pass  # nothing of the record's file to finish
        elif now is None:
            atomic_write(path, data)
            said.append(f"{path}: written as the {entry.action} left it (version "
                        f"{after.number})")
        elif sha256(now) == after.sha256:
            pass
        elif before is not None and sha256(now) == sha256(before):
            atomic_write(path, data)
            said.append(f"{path}: finished the {entry.action} of {entry.time:%Y-%m-%d %H:%M} "
                        f"(version {after.number})")
        else:
            said.append(f"{path}: changed by hand after the {entry.action} of "
                        f"{entry.time:%Y-%m-%d %H:%M}; left as it is (`pressroom check` "
                        "reports the difference)")
        history.mark_written(entry.id)
    return said


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(row["id"], row["statement_id"], row["action"], row["person"],
                 row["acting_for"], State(row["from_state"]), State(row["to_state"]),
                 parse_time(row["time"]), row["comment"], row["correction"],
                 row["version_before"], row["version_after"], row["copy"])


def record_state(entries: list) -> tuple[State, object] | None:
    """The record's state as its history says: transitions of the record itself, and the
    publication of a working copy (which becomes the record)."""
    for entry in reversed(entries):
        if entry.copy == "record" or (entry.action == "publish" and entry.copy == "working"):
            return entry.to_state, entry
    return None
