"""Published statements parsed once, kept by the sha256 of the version they were parsed from.

Parsing a record (the round-trip YAML loader, every check) costs milliseconds; rebuilding
from the kept form costs a twentieth of that. The archive pages are made from every public
statement after each change, and a build renders thousands whose versions have not changed
since they were last parsed (a template or an organisation changed), so both take the
statements from `runs/archive-entries.json`: each under the sha256 of the published version
it was parsed from and the Pressroom version that parsed it. Only a statement whose
published version changed is parsed again. A kept statement is used only while it still
loads as it did (its organisations are in the directory, its date is not after today); a
missing or damaged file is made again without a word. What is rendered and listed is the
same with it and without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import replace
from typing import Any

from .errors import PressroomError
from .gate import statement_from_bytes
from .model import State, Statement, statement_from_data, to_data
from .versions import Version, Versions

ENTRIES_CACHE = "archive-entries.json"  # under runs/
CACHE_FORMAT = 1  # bumped whenever what is kept, or how, changes


def loads_as_it_did(site, statement: Statement) -> bool:
    """What could make a kept statement's version fail to load now: an organisation it
    names removed from the directory, a date after today (the clock moved back)."""
    orgs = site.organisations
    return (statement.issued_by in orgs and all(k in orgs for k in statement.endorsers)
            and not (statement.state is State.PUBLISHED
                     and statement.date > dt.date.today()))


def from_kept(site, statement_id: str, data: Any) -> Statement | None:
    """The statement of a kept form (`to_data`), or None if it is damaged or would not load
    as it did: then the caller parses the version's bytes."""
    try:
        statement = statement_from_data(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if statement.id != statement_id or not loads_as_it_did(site, statement):
        return None
    return statement


class NotKept(Exception):
    """A version that is not kept, asked of kept statements told not to parse."""


class KeptStatements:
    """The kept statements of a site (see the module). `parse`: parse a version that is
    not kept (else `NotKept`: the archive's pages made ahead of a build's end, in the
    coordinator, would otherwise parse what the build's workers are parsing)."""

    def __init__(self, site, enabled: bool = True, parse: bool = True) -> None:
        from .publish import package_version

        self.site = site
        self.enabled = enabled
        self.may_parse = parse
        self.stamp = {"format": CACHE_FORMAT, "pressroom": package_version()}
        self.path = site.runs_dir / ENTRIES_CACHE
        self.found = self._read() if enabled else {}
        self.used: dict[str, dict] = {}
        self.parsed = 0  # statements parsed, not taken from the file
        self._made: dict[tuple[str, str], Statement] = {}  # (id, sha256): built already
        self._published: dict[str, Version] | None = None  # asked once, when needed

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}  # none yet, or damaged: made again
        if not isinstance(data, dict) or data.get("stamp") != self.stamp \
                or not isinstance(data.get("statements"), dict):
            return {}
        return data["statements"]

    def kept_form(self, statement_id: str, version: Version) -> Any | None:
        """The kept form of this version, unchecked (a build's worker checks it with
        `from_kept`), or None."""
        entry = self._entry(statement_id)
        if not isinstance(entry, dict) or entry.get("sha256") != version.sha256:
            return None
        return entry.get("statement")

    def _entry(self, statement_id: str) -> Any:
        """Its entry as this run has it (learnt from a worker), or as the file had it."""
        learnt = self.used.get(statement_id)
        return learnt if learnt is not None else self.found.get(statement_id)

    def learn(self, statement_id: str, sha256: str, data: Any = None,
              statement: Statement | None = None) -> None:
        """What a build's worker had of this version: its kept form if it parsed the bytes
        (`data`), and the statement it rendered (so that the archive pages need not make
        it again from the kept form)."""
        if not self.enabled:
            return
        if data is not None:
            self.used[statement_id] = {"sha256": sha256, "statement": data}
        if statement is not None and statement.id == statement_id \
                and (self._entry(statement_id) or {}).get("sha256") == sha256:
            self._made[(statement_id, sha256)] = statement

    def statement(self, statement_id: str, version: Version, versions: Versions,
                  data: bytes | None = None) -> Statement:
        """The statement of a published version: kept, or parsed (and kept). Raises
        PressroomError if it does not load."""
        path = self.site.record_path(statement_id)
        found = self._kept(statement_id, version)
        if found is not None and found.translation_of is not None \
                and (statement_id, version.sha256) not in self._made \
                and (self._entry(statement_id) or {}).get("original") != \
                self._original_sha(found.translation_of, versions):
            found = None  # its shared fields are its original's, published again since
        if found is not None:
            return replace(found, path=str(path))
        if not self.may_parse:
            raise NotKept(statement_id)
        data = versions.data(version) if data is None else data
        statement, diagnostics = statement_from_bytes(self.site, path, data)
        if statement is None or any(d.is_error for d in diagnostics):
            errors = "; ".join(str(d) for d in diagnostics if d.is_error)
            raise PressroomError(f"its published version does not load: {errors}")
        self.parsed += 1
        self.used[statement_id] = {"sha256": version.sha256, "statement": to_data(statement)}
        if statement.translation_of is not None:  # kept while its original's version holds
            self.used[statement_id]["original"] = self._original_sha(statement.translation_of,
                                                                     versions)
        return statement

    def _original_sha(self, original_id: str, versions: Versions) -> str | None:
        """The sha256 of the latest published version of a translation's original."""
        if self._published is None:
            self._published = versions.latest_published_all()
        found = self._published.get(original_id)
        return found.sha256 if found else None

    def _kept(self, statement_id: str, version: Version) -> Statement | None:
        form = self.kept_form(statement_id, version)
        if form is None:
            return None
        made = self._made.get((statement_id, version.sha256))
        if made is not None and loads_as_it_did(self.site, made):
            statement = made
        else:
            statement = from_kept(self.site, statement_id, form)
        if statement is None:
            return None  # damaged, or it would not load as it did: parsed again
        self.used[statement_id] = self._entry(statement_id)
        return statement

    def save(self) -> None:
        """The kept statements, as this run used them, written atomically with the site's
        writer; never an error (a login that may only read the site, a full disk: the
        next run parses again)."""
        if not self.enabled or self.used == self.found:
            return
        from .fileio import atomic_write

        data = {"stamp": self.stamp, "statements": dict(sorted(self.used.items()))}
        with contextlib.suppress(OSError, PressroomError, ValueError, RecursionError):
            atomic_write(self.path, json.dumps(data, ensure_ascii=False,
                                                separators=(",", ":")) + "\n")
