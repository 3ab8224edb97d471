"""The one rule of what is public, decided in one place.

`output/` holds, for each statement, the rendering of its latest *published version* (the
bytes a reviewer approved, as stored, not whatever the file says now), and only once its
embargo has passed. Every publication run asks `decide` where it writes and what it renders:
anything else (a private or pending statement, a published one whose record has changed
since, one under embargo, a draft copy) goes to `drafts/<id>/`, which is never served.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import UsageError
from .history import History, record_state
from .model import Document, State, Statement
from .records import read_record_bytes
from .versions import Version, Versions, sha256


@dataclass(frozen=True)
class Target:
    """Where a run writes, and what it renders."""

    public: bool  # output/<id>/; else drafts/<id>/ (embargoed copies: drafts/<id>/embargoed/)
    data: bytes  # the record's bytes to render
    version: Version | None  # the stored version those bytes are, if any
    reason: str  # why, in words for staff
    embargoed: dt.datetime | None = None  # set for journalists' copies under embargo

    @property
    def where(self) -> str:
        return "output/" if self.public else "drafts/"


def decide(site, statement_id: str, *, draft: bool = False, embargoed: bool = False,
           now: dt.datetime | None = None) -> Target:
    """Where a publication run of `statement_id` writes, and from which bytes."""
    path = site.existing_record(statement_id)
    working = path.read_bytes()
    versions = Versions(site.runs_dir)
    published = versions.latest_published(statement_id)
    now = now or versions.store.now()
    if draft:
        return Target(False, working, None, "a draft copy for reviewers (--draft)")
    statement = _statement(site, path, working)
    if embargoed:
        embargo = statement.embargo if statement else None
        if embargo is None:
            raise UsageError(f"{statement_id} has no embargo: --embargoed copies are for "
                             "journalists before a statement's embargo time.")
        data = versions.data(published) if published else working
        return Target(False, data, published, "a copy for journalists under embargo",
                      embargoed=embargo)
    state = statement.state if statement else None
    if state is not State.PUBLISHED:
        what = state.value if state else "not readable"
        return Target(False, working, None, f"it is {what}: only published versions are "
                      "served; a Reviewer publishes it with `pressroom workflow "
                      f"{statement_id} publish`")
    if published is None:
        return Target(False, working, None, "its file says published, but no published "
                      "version is stored: a Manager takes it in with `pressroom workflow "
                      f"{statement_id} adopt`")
    said = record_state(History(site.runs_dir, versions.store).entries(statement_id))
    if said is not None and said[0] is not State.PUBLISHED:
        return Target(False, working, None, f"its file says published, but its history says "
                      f"{said[0].value} (the {said[1].action} of {said[1].time:%Y-%m-%d}): "
                      "only a transition publishes, not an edit of the file")
    data = versions.data(published)
    if sha256(working) != published.sha256:
        when = f" on {published.created:%Y-%m-%d} by {published.person}"
        return Target(False, working, None, f"its record changed since it was published{when}"
                      ": republish it to serve the change, or check out a working copy")
    public = public_target(site, statement_id, published, data, now)
    if public is not None:
        return public
    embargo = _statement(site, path, data).embargo  # parsed once: the site keeps it
    return Target(False, data, published, f"under embargo until {embargo.isoformat()}: "
                  "`pressroom release` puts it in output/ once that time has passed")


def public_target(site, statement_id: str, published: Version, data: bytes,
                  now: dt.datetime) -> Target | None:
    """What the public tree holds for a statement whose history says published: its latest
    published version (`data`), once its embargo has passed; None while it has not. The
    same rule as `decide`, for a build: the stored bytes, whatever the working file says."""
    # Only a record that names an embargo can have one: the rest need no parse here (a
    # build asks this of every statement it renders, and the worker parses it anyway).
    if b"embargo" in data:
        served = _statement(site, site.record_path(statement_id), data)
        if not embargo_passed(served.embargo if served else None, now):
            return None
    return Target(True, data, published, f"version {published.number}, published "
                  f"{published.created:%Y-%m-%d} by {published.person}")


def embargo_passed(embargo: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a statement with this embargo (None: none) may be served at `now`."""
    return embargo is None or _aware(embargo) <= now


def served(site, statement_id: str, *, now: dt.datetime | None = None,
           versions: Versions | None = None) -> Target | None:
    """What output/ serves for `statement_id`, or None: its latest published version, while
    its history says published and once its embargo has passed (`public_target`). Unlike
    `decide`, the working file does not matter: an edit not yet republished leaves that
    version online (the archive's pages list it, `verify` expects it)."""
    versions = versions or Versions(site.runs_dir)
    published = versions.latest_published(statement_id)
    if published is None:
        return None
    said = record_state(History(site.runs_dir, versions.store).entries(statement_id))
    if said is not None and said[0] is not State.PUBLISHED:
        return None
    return public_target(site, statement_id, published, versions.data(published),
                         now or versions.store.now())


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _statement(site, path: Path, data: bytes) -> Statement | None:
    statement, _ = statement_from_bytes(site, path, data)
    return statement


def statement_from_bytes(site, path: Path, data: bytes, original: bytes | None = None):
    """(statement, diagnostics) of a record's bytes as if they were the file at `path`. A
    translation is read against its original: `original`'s bytes when given (a build's
    worker has no store), else the original's latest published version or its file."""
    from .translations import original_bytes

    cache = getattr(site, "parsed", None)
    if original is None and b"translation_of" in data:
        original = original_bytes(site, data, published=True)
    key = (str(path), sha256(data), original and sha256(original))
    if cache is not None and key in cache:
        return cache[key]
    found = _from_bytes(site, path, data, original)
    if cache is not None:
        if len(cache) > 64:  # a build reads thousands: keep only the last few
            cache.clear()
        cache[key] = found
    return found


def _from_bytes(site, path: Path, data: bytes, original: bytes | None = None):
    from .translations import original_id_in, original_statement

    first = (original_statement(site, original, original_id_in(data) or "")
             if original is not None else None)
    return read_record_bytes(data, path, site.organisations, original=first)


def document_for(site, target: Target, statement: Statement) -> Document:
    """The Document a run renders: the record's bytes hashed as the bytes rendered."""
    from .translations import group_for

    document = site.document(statement)
    # Only public pages link their group's other languages (themselves public).
    alternates = group_for(site, statement) if target.public else ()
    # Whatever is not public is marked: DRAFT, or EMBARGOED UNTIL for journalists' copies.
    return replace(document, record_sha256=sha256(target.data),
                   preview=not target.public and target.embargoed is None,
                   alternates=alternates)
