"""Versions: every state of a record that Pressroom stores, numbered per statement.

A version is the record's bytes, kept once by their sha256 in the store (plain bytes and a
hash, never a pickle: they must load in ten years), with when, who and why. Published
versions are flagged; the latest published one is what the public archive serves.
"""

from __future__ import annotations

import difflib
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import UsageError
from .store import STORE_NAME, Store, iso, parse_time

REASONS = ("import", "submit", "publish", "republish", "reject", "retract", "adopt", "restore",
           "checkout", "checkin", "review-draft", "review-applied", "translation", "edit")


@dataclass(frozen=True)
class Version:
    statement_id: str
    number: int
    sha256: str
    created: datetime
    person: str
    reason: str
    published: bool


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Versions:
    """The versions of one site's records."""

    def __init__(self, runs_dir: Path, store: Store | None = None):
        self.store = store or Store(Path(runs_dir) / STORE_NAME)

    # -- writing, inside a caller's transaction ----------------------------------------

    def add(self, db: sqlite3.Connection, statement_id: str, data: bytes, person: str,
            reason: str, published: bool = False) -> Version:
        """Store `data` as the next version of `statement_id` (its bytes once, whoever
        stores them again). Call inside `store.write()`, with what else must commit with it."""
        digest = sha256(data)
        db.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", (digest, data))
        number = db.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE"
                            " statement_id = ?", (statement_id,)).fetchone()[0]
        created = self.store.now()
        db.execute("INSERT INTO versions (statement_id, number, sha256, created, person, reason,"
                   " published) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (statement_id, number, digest, iso(created), person, reason, int(published)))
        return Version(statement_id, number, digest, created, person, reason, published)

    def add_now(self, statement_id: str, data: bytes, person: str, reason: str) -> Version:
        """Store a version in a transaction of its own (an import, a review draft)."""
        with self.store.write() as db:
            return self.add(db, statement_id, data, person, reason)

    # -- reading -------------------------------------------------------------------------

    def list(self, statement_id: str) -> list[Version]:
        if not self.store.exists:
            return []
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM versions WHERE statement_id = ? ORDER BY number",
                              (statement_id,)).fetchall()
        return [_version(r) for r in rows]

    def get(self, statement_id: str, number: int) -> Version:
        for v in self.list(statement_id):
            if v.number == number:
                return v
        raise UsageError(f"{statement_id} has no version {number}; `pressroom versions "
                         f"{statement_id}` lists them.")

    def latest(self, statement_id: str) -> Version | None:
        found = self.list(statement_id)
        return found[-1] if found else None

    def latest_published(self, statement_id: str) -> Version | None:
        found = [v for v in self.list(statement_id) if v.published]
        return found[-1] if found else None

    def data(self, version: Version) -> bytes:
        with self.store.read() as db:
            row = db.execute("SELECT data FROM blobs WHERE sha256 = ?",
                             (version.sha256,)).fetchone()
        if row is None or sha256(bytes(row[0])) != version.sha256:
            raise UsageError(f"{version.statement_id} version {version.number}: its bytes are "
                             "missing or damaged in the store; restore it from a backup.")
        return bytes(row[0])

    def published_ids(self) -> set[str]:
        if not self.store.exists:
            return set()
        with self.store.read() as db:
            return {r[0] for r in db.execute(
                "SELECT DISTINCT statement_id FROM versions WHERE published = 1")}


    def latest_published_all(self) -> dict[str, Version]:
        """Every statement's latest published version, in one query (a build of 10,000
        statements asks once, not 10,000 times)."""
        if not self.store.exists:
            return {}
        with self.store.read() as db:
            rows = db.execute(
                "SELECT v.* FROM versions AS v JOIN (SELECT statement_id, MAX(number) AS n"
                " FROM versions WHERE published = 1 GROUP BY statement_id) AS last"
                " ON v.statement_id = last.statement_id AND v.number = last.n").fetchall()
        return {row["statement_id"]: _version(row) for row in rows}

    def family(self, statement_id: str) -> tuple[dict[str, Version], dict[str, str]]:
        """The latest published version and the state its history says of `statement_id`
        and of every statement whose id begins with it and a hyphen (its translations'
        ids do): the two questions a translation group asks, for those ids only."""
        if not self.store.exists:
            return {}, {}
        like = (statement_id, f"{statement_id}-%")  # ids hold no % or _: nothing to escape
        with self.store.read() as db:
            rows = db.execute(
                "SELECT v.* FROM versions AS v JOIN (SELECT statement_id, MAX(number) AS n"
                " FROM versions WHERE published = 1 AND (statement_id = ? OR statement_id"
                " LIKE ?) GROUP BY statement_id) AS last ON v.statement_id ="
                " last.statement_id AND v.number = last.n", like).fetchall()
            states = db.execute(
                "SELECT t.statement_id, t.to_state FROM transitions AS t JOIN ("
                " SELECT statement_id, MAX(id) AS id FROM transitions"
                " WHERE (copy = 'record' OR (action = 'publish' AND copy = 'working'))"
                " AND (statement_id = ? OR statement_id LIKE ?)"
                " GROUP BY statement_id) AS last ON t.id = last.id", like).fetchall()
        return ({r["statement_id"]: _version(r) for r in rows}, {r[0]: r[1] for r in states})

    def now_public(self, statement_id: str) -> tuple[int | None, str | None]:
        """(latest published version number, state as its history says) of one statement,
        in one connection: what a build asks again as it writes each statement."""
        with self.store.read() as db:
            number = db.execute("SELECT MAX(number) FROM versions WHERE statement_id = ? AND"
                                " published = 1", (statement_id,)).fetchone()[0]
            state = db.execute(
                "SELECT to_state FROM transitions WHERE statement_id = ? AND (copy = 'record'"
                " OR (action = 'publish' AND copy = 'working')) ORDER BY id DESC LIMIT 1",
                (statement_id,)).fetchone()
        return number, state[0] if state else None

    def record_states(self) -> dict[str, str]:
        """Every statement's state as its history says (history.record_state's rule: the
        last transition of the record itself, or the publication of a working copy)."""
        if not self.store.exists:
            return {}
        with self.store.read() as db:
            rows = db.execute(
                "SELECT t.statement_id, t.to_state FROM transitions AS t JOIN ("
                " SELECT statement_id, MAX(id) AS id FROM transitions"
                " WHERE copy = 'record' OR (action = 'publish' AND copy = 'working')"
                " GROUP BY statement_id) AS last ON t.id = last.id").fetchall()
        return {r[0]: r[1] for r in rows}


def _version(row: sqlite3.Row) -> Version:
    return Version(row["statement_id"], row["number"], row["sha256"],
                   parse_time(row["created"]), row["person"], row["reason"],
                   bool(row["published"]))


def text_diff(old: bytes, new: bytes, old_name: str, new_name: str) -> Iterator[str]:
    """A readable diff of two records: the front matter line by line, the body paragraph
    by paragraph (each paragraph one line of the diff, marked with a pilcrow, so one changed
    word shows its paragraph, not a reflowed page)."""
    yield from difflib.unified_diff(_pieces(old), _pieces(new), old_name, new_name, n=1)


def _pieces(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    head, body = "", text
    if text.startswith("---\n") and "\n---\n" in text[3:]:
        end = text.index("\n---\n", 3) + len("\n---\n")
        head, body = text[:end], text[end:]
    lines = [line + "\n" for line in head.splitlines()]
    return lines + [f"\u00b6 {' '.join(p.split())}\n" for p in body.split("\n\n") if p.strip()]
