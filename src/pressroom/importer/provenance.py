"""What each import wrote, kept in the store under runs/: the source's path and sha256, and
the value the importer gave every field and the body.

`import --update` re-reads a source with a better importer and changes a field only where
the record still holds what the importer wrote last time: a field a person edited since is
theirs, and stays.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

from ..fileio import site_relative
from ..frontmatter import plain_value
from ..people import acting
from ..store import STORE_NAME, Store, iso
from ..versions import Versions


@dataclass(frozen=True)
class ImportRow:
    record: str  # the record's path, relative to the site
    statement_id: str
    source: str
    source_sha256: str
    fields: dict[str, Any]  # as plain JSON data
    body_sha256: str
    warnings: tuple[tuple[str | None, str], ...] = ()  # (field, message) the import gave


@dataclass(frozen=True)
class Written:
    """One record an import wrote: what to keep about it."""

    record: Path
    statement_id: str
    source: Path
    source_sha256: str
    fields: dict[str, Any]
    body: str
    body_sha256: str | None = None  # given when the body kept is not the one imported
    warnings: tuple[tuple[str | None, str], ...] = ()  # (field, message)


def normal(value: Any) -> str:
    """A field value as comparable text: what the importer wrote and what the file holds
    now compare equal when a person has not changed it."""
    return json.dumps(plain_value(value), sort_keys=True, ensure_ascii=False, default=str)


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


class ImportLog:
    """The import records of one site."""

    def __init__(self, site):
        self.site = site
        self.store = Store(Path(site.runs_dir) / STORE_NAME)

    def add(self, written: Iterable[Written]) -> None:
        """Record imports, all in one transaction (a batch of a thousand files pays for one
        commit, not a thousand)."""
        written = list(written)
        version = _version("pressroom")  # once: importlib.metadata reads files each call
        rows = [(site_relative(self.site.root, w.record).as_posix(), w.statement_id,
                 str(w.source), w.source_sha256, iso(self.store.now()),
                 json.dumps({k: json.loads(normal(v)) for k, v in w.fields.items()},
                            sort_keys=True, ensure_ascii=False),
                 w.body_sha256 or body_sha256(w.body), version,
                 json.dumps([list(x) for x in w.warnings], ensure_ascii=False))
                for w in written]
        if not rows:
            return
        self.store.refuse_readonly("record an import")
        versions = Versions(self.site.runs_dir, self.store)
        person = acting(self.site.settings).name
        with self.store.write() as db:
            db.executemany(
                "INSERT INTO imports (record, statement_id, source, source_sha256, imported,"
                " fields, body_sha256, version, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows)
            # Every stored state of a record is a version: the record as the import wrote it.
            for w in written:
                if w.record.is_file():
                    versions.add(db, w.statement_id, w.record.read_bytes(), person, "import")

    def latest(self, source: Path) -> ImportRow | None:
        """The last import of `source` (its path as given to the import, made absolute)."""
        if not self.store.exists:
            return None
        with self.store.read() as db:
            row = db.execute("SELECT * FROM imports WHERE source = ? ORDER BY id DESC LIMIT 1",
                             (str(source),)).fetchone()
        return _row(row)

    def latest_of(self, statement_id: str) -> ImportRow | None:
        """The last import that wrote the statement's record."""
        if not self.store.exists:
            return None
        with self.store.read() as db:
            row = db.execute("SELECT * FROM imports WHERE statement_id = ? ORDER BY id DESC "
                             "LIMIT 1", (statement_id,)).fetchone()
        return _row(row)


def _row(row) -> ImportRow | None:
    if row is None:
        return None
    return ImportRow(row["record"], row["statement_id"], row["source"], row["source_sha256"],
                     json.loads(row["fields"]), row["body_sha256"],
                     tuple((f, m) for f, m in json.loads(row["warnings"])))


def warnings_of(diagnostics) -> tuple[tuple[str | None, str], ...]:
    """What an import keeps of its diagnostics for a record: the warnings."""
    return tuple((d.field, d.message) for d in diagnostics if not d.is_error)
