"""The public set the archive pages describe: what output/ serves, as the gate decides it.

An `Entry` is one statement as published (the stored version's bytes, resolved against the
site into the `Document` every renderer takes). A withdrawn statement is an entry too,
marked `withdrawn`: it is left out of every list, the feed, the sitemap and the search
index, and only its old address keeps pointing at the tombstone that stands at its own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from ..errors import PressroomError
from ..gate import Target, document_for, served, statement_from_bytes
from ..model import Document, Statement
from ..versions import Versions

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    document: Document  # as published: the stored version's bytes
    withdrawn: bool = False  # a tombstone stands at its address
    version: int | None = None  # the stored version it is

    @property
    def statement(self) -> Statement:
        return self.document.statement

    @property
    def id(self) -> str:
        return self.statement.id

    @property
    def page(self) -> str:
        """Its web page, relative to output/."""
        return f"{self.id}/{self.id}.html"


def entry_for(site, target: Target, statement: Statement, withdrawn: bool = False) -> Entry:
    """The entry of a statement the gate says is public (`target`), as a build has it."""
    document = replace(document_for(site, target, statement), embargoed_until=None)
    return Entry(document, withdrawn, target.version.number if target.version else None)


def public_entries(site, *, now: dt.datetime | None = None
                   ) -> tuple[list[Entry], list[str]]:
    """Every statement output/ serves (`gate.served`), and every withdrawn one (its
    tombstone's manifest says so), sorted newest first; and a line for each statement that
    could not be read, which is left out (the rest go on)."""
    versions = Versions(site.runs_dir)
    entries: list[Entry] = []
    problems: list[str] = []
    for statement_id in sorted(versions.published_ids()):
        try:
            entry = _entry(site, statement_id, versions, now)
        except (PressroomError, KeyError, OSError) as exc:
            problems.append(f"{statement_id}: left out of the archive pages: {exc}")
            continue
        if entry is not None:
            entries.append(entry)
    return sort_newest_first(entries), problems


def _entry(site, statement_id: str, versions: Versions, now) -> Entry | None:
    target = served(site, statement_id, now=now, versions=versions)
    withdrawn = False
    if target is None:
        number = _withdrawn_version(site, statement_id)
        if number is None:
            return None
        version = versions.get(statement_id, number)
        target = Target(True, versions.data(version), version, "withdrawn")
        withdrawn = True
    statement, diagnostics = statement_from_bytes(site, site.record_path(statement_id),
                                                  target.data)
    if statement is None or any(d.is_error for d in diagnostics):
        errors = "; ".join(str(d) for d in diagnostics if d.is_error)
        raise PressroomError(f"its published version does not load: {errors}")
    return entry_for(site, target, statement, withdrawn)


def _withdrawn_version(site, statement_id: str) -> int | None:
    """The version a tombstone in output/ stands for, if one does."""
    try:
        manifest = json.loads((site.output_dir / statement_id / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if isinstance(manifest, dict) and manifest.get("withdrawn") is True \
            and isinstance(manifest.get("version"), int):
        return manifest["version"]
    return None


def sort_newest_first(entries: list[Entry]) -> list[Entry]:
    """Newest first; on one day, by id, so the order never depends on the caller's."""
    by_id = sorted(entries, key=lambda e: e.id)
    return sorted(by_id, key=lambda e: e.statement.date, reverse=True)
