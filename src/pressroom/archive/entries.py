"""The public set the archive pages describe: what output/ serves, as the gate decides it.

An `Entry` is one statement as published (the stored version's bytes, resolved against the
site into the `Document` every renderer takes). A withdrawn statement is an entry too,
marked `withdrawn`: it is left out of every list, the feed, the sitemap and the search
index, and only its old address keeps pointing at the tombstone that stands at its own.

The statements are taken from those kept by their published version's sha256
(`keptstatements.py`): only a statement whose published version changed is parsed again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from ..errors import PressroomError
from ..gate import Target, document_for, embargo_passed
from ..keptstatements import KeptStatements
from ..model import Document, State, Statement
from ..versions import Version, Versions
from ..wording import words_held

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


def public_entries(site, *, now: dt.datetime | None = None, kept: bool = True,
                   statements: KeptStatements | None = None, save: bool = True
                   ) -> tuple[list[Entry], list[str]]:
    """Every statement output/ serves (`gate.served`'s rule, asked of the store once for
    all of them), and every withdrawn one (its tombstone's manifest says so), sorted newest
    first; and a line for each statement that could not be read, which is left out (the
    rest go on). `kept`: use and update the kept statements (see the module); without it
    every version is parsed and nothing is written (`pressroom verify`); `statements`: the
    kept statements a build already has in hand (what its workers parsed among them);
    `save`: write what was parsed into the kept statements' file (not by pages made ahead
    of a build's end, which saves its own)."""
    versions = Versions(site.runs_dir)
    published = versions.latest_published_all()
    states = versions.record_states()
    now = now or versions.store.now()
    kept = statements if statements is not None else KeptStatements(site, enabled=kept)
    entries: list[Entry] = []
    problems: list[str] = []
    with words_held():
        for statement_id in sorted(published):
            try:
                entry = _entry(site, statement_id, published[statement_id],
                               states.get(statement_id), versions, now, kept)
            except (PressroomError, KeyError, OSError) as exc:
                problems.append(f"{statement_id}: left out of the archive pages: {exc}")
                continue
            if entry is not None:
                entries.append(entry)
    if save:
        kept.save()
    return sort_newest_first(entries), problems


def _entry(site, statement_id: str, version: Version, state: str | None,
           versions: Versions, now: dt.datetime, kept: KeptStatements) -> Entry | None:
    """A served statement's entry (`gate.served`: its history says published and its
    embargo has passed), a withdrawn one's, or None."""
    if state is None or state == State.PUBLISHED.value:
        statement = kept.statement(statement_id, version, versions)
        if embargo_passed(statement.embargo, now):
            document = site.document(replace(statement, path=None))  # no file to read
            document = replace(document, statement=statement, record_sha256=version.sha256)
            return Entry(document, False, version.number)
    number = _withdrawn_version(site, statement_id)
    if number is None:
        return None
    version = versions.get(statement_id, number)
    target = Target(True, versions.data(version), version, "withdrawn")
    return entry_for(site, target, kept.statement(statement_id, version, versions,
                                                  target.data), True)


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
