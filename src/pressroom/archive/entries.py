"""The public set the archive pages describe: what output/ serves, as the gate decides it.

An `Entry` is one statement as published (the stored version's bytes, resolved against the
site into the `Document` every renderer takes). A withdrawn statement is an entry too,
marked `withdrawn`: it is left out of every list, the feed, the sitemap and the search
index, and only its old address keeps pointing at the tombstone that stands at its own.

Parsing every public statement again after each change was most of a one-record rebuild, so
the statements they are made from are kept in `runs/archive-entries.json`, each under the
sha256 of the published version it was parsed from and the Pressroom version that parsed it:
only a statement whose published version changed is parsed again. A kept statement is used
only while it still loads as it did (its organisations are in the directory, its date is not
after today); a missing or damaged file is made again without a word. The pages are the
same bytes with it and without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, replace

from ..errors import PressroomError
from ..gate import Target, document_for, embargo_passed, statement_from_bytes
from ..model import Document, State, Statement, statement_from_data, to_data
from ..versions import Version, Versions

MANIFEST = "manifest.json"
ENTRIES_CACHE = "archive-entries.json"  # under runs/: the kept statements (see the module)
CACHE_FORMAT = 1  # bumped whenever what is kept, or how, changes


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


def public_entries(site, *, now: dt.datetime | None = None, kept: bool = True
                   ) -> tuple[list[Entry], list[str]]:
    """Every statement output/ serves (`gate.served`'s rule, asked of the store once for
    all of them), and every withdrawn one (its tombstone's manifest says so), sorted newest
    first; and a line for each statement that could not be read, which is left out (the
    rest go on). `kept`: use and update the kept statements (see the module); without it
    every version is parsed and nothing is written (`pressroom verify`)."""
    versions = Versions(site.runs_dir)
    published = versions.latest_published_all()
    states = versions.record_states()
    now = now or versions.store.now()
    kept = KeptStatements(site, enabled=kept)
    entries: list[Entry] = []
    problems: list[str] = []
    for statement_id in sorted(published):
        try:
            entry = _entry(site, statement_id, published[statement_id],
                           states.get(statement_id), versions, now, kept)
        except (PressroomError, KeyError, OSError) as exc:
            problems.append(f"{statement_id}: left out of the archive pages: {exc}")
            continue
        if entry is not None:
            entries.append(entry)
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


class KeptStatements:
    """The statements the archive's entries are made from, kept between runs in
    `runs/archive-entries.json` by the sha256 of the version each was parsed from."""

    def __init__(self, site, enabled: bool = True) -> None:
        from ..publish import package_version

        self.site = site
        self.enabled = enabled
        self.stamp = {"format": CACHE_FORMAT, "pressroom": package_version()}
        self.path = site.runs_dir / ENTRIES_CACHE
        self.found = self._read() if enabled else {}
        self.used: dict[str, dict] = {}
        self.parsed = 0  # statements parsed, not taken from the file

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}  # none yet, or damaged: made again
        if not isinstance(data, dict) or data.get("stamp") != self.stamp \
                or not isinstance(data.get("statements"), dict):
            return {}
        return data["statements"]

    def statement(self, statement_id: str, version: Version, versions: Versions,
                  data: bytes | None = None) -> Statement:
        """The statement of a published version: kept, or parsed (and kept). Raises
        PressroomError if it does not load."""
        path = self.site.record_path(statement_id)
        found = self._kept(statement_id, version)
        if found is not None:
            return replace(found, path=str(path))
        data = versions.data(version) if data is None else data
        statement, diagnostics = statement_from_bytes(self.site, path, data)
        if statement is None or any(d.is_error for d in diagnostics):
            errors = "; ".join(str(d) for d in diagnostics if d.is_error)
            raise PressroomError(f"its published version does not load: {errors}")
        self.parsed += 1
        self.used[statement_id] = {"sha256": version.sha256, "statement": to_data(statement)}
        return statement

    def _kept(self, statement_id: str, version: Version) -> Statement | None:
        entry = self.found.get(statement_id)
        if not isinstance(entry, dict) or entry.get("sha256") != version.sha256:
            return None
        try:
            statement = statement_from_data(entry["statement"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # damaged: parsed again
        if statement.id != statement_id or not self._loads_as_it_did(statement):
            return None
        self.used[statement_id] = entry
        return statement

    def _loads_as_it_did(self, statement: Statement) -> bool:
        """What could make a kept statement's version fail to load now: an organisation it
        names removed from the directory, a date after today (the clock moved back)."""
        orgs = self.site.organisations
        return (statement.issued_by in orgs and all(k in orgs for k in statement.endorsers)
                and not (statement.state is State.PUBLISHED
                         and statement.date > dt.date.today()))

    def save(self) -> None:
        """The kept statements, as this run used them, written atomically with the site's
        writer; never an error (a login that may only read the site, a full disk: the
        next run parses again)."""
        if not self.enabled or self.used == self.found:
            return
        from ..fileio import atomic_write

        data = {"stamp": self.stamp, "statements": dict(sorted(self.used.items()))}
        with contextlib.suppress(OSError, PressroomError, ValueError, RecursionError):
            atomic_write(self.path, json.dumps(data, ensure_ascii=False,
                                                separators=(",", ":")) + "\n")


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
