"""The Word draft reviewers receive: `pressroom draft ID [--for PERSON] [--since VERSION]`,
and the workflow's "review-draft" content rule.

`make_draft`, under the statement's lock:

1. read the copy the workflow acts on (the working copy while one exists, else the record)
   and check it as `pressroom check` does: a record with errors is refused, its warnings go
   into the draft as comments, with the warnings of the import that made the record where
   the field they concern is still as the import wrote it (nobody has seen to it yet);
2. with `since`, read that stored version: its differences become tracked changes;
3. in one transaction of the store: the record as a version (the latest one when its bytes
   are the same, else a new "review-draft" version), the draft rendered in memory with that
   version's number and time, the text and fingerprint of every field it anchors, a row
   saying which draft went to whom, and the file `drafts/<id>/<id>-v<N>-review-<person>.docx`
   written through a temporary file inside the site (never through a link, never half a
   file): a file that cannot be written leaves no version or anchors behind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from .errors import PressroomError, RecordError, UsageError
from .fields import did_you_mean
from .fileio import open_folder, site_relative, write_in
from .folders import statement_lock_held
from .gate import statement_from_bytes
from .render.docx import render_docx
from .render.reviewdocx import Review, anchors
from .store import iso
from .versions import Version, Versions, sha256

EVERYONE = "reviewers"  # the file name's person when the draft is for no one in particular


@dataclass(frozen=True)
class Draft:
    """A reviewers' draft written."""

    statement_id: str
    version: Version
    new_version: bool  # False: the record was already stored as this version
    person: str
    path: Path
    since: int | None
    comments: int
    anchors: int

    def summary(self) -> str:
        stored = "stored as" if self.new_version else "unchanged since"
        since = f", changes since version {self.since} tracked" if self.since else ""
        notes = f", {self.comments} warning(s) as comments" if self.comments else ""
        return (f"{self.path}: the Word draft for {self.person} ({stored} version "
                f"{self.version.number}; {self.anchors} fields bookmarked{notes}{since})")


def import_warnings(site, statement_id: str, path: Path, data: bytes) -> tuple:
    """The last import's warnings about fields still as it wrote them, as Diagnostics."""
    from .frontmatter import FrontMatterError, load_front_matter, split_parts
    from .importer.provenance import ImportLog, body_sha256, normal
    from .model import Diagnostic, Severity

    row = ImportLog(site).latest_of(statement_id)
    if row is None or not row.warnings:
        return ()
    parts = split_parts(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))
    try:
        front = load_front_matter(parts.front) or {}
    except FrontMatterError:
        return ()
    source = PurePosixPath(row.source).name
    out = []
    for field, message in row.warnings:
        if field in ("body", "footnotes", None):
            standing = body_sha256(parts.body) == row.body_sha256
        else:
            standing = field in row.fields and normal(front.get(field)) == normal(
                row.fields[field])
        if standing:
            out.append(Diagnostic(path, None, Severity.WARNING, field,
                                  f"{message} (the import of {source} said so)"))
    return tuple(out)


def draft_name(statement_id: str, number: int, person: str) -> str:
    return f"{statement_id}-v{number}-review-{person}.docx"


def check_person(site, person: str | None) -> str:
    """A people id of pressroom.toml, or "reviewers" when the draft is for no one named."""
    if person is None:
        return EVERYONE
    ids = [p.id for p in site.settings.people]
    if person not in ids:
        raise UsageError(f"--for {person!r} is not a person of pressroom.toml (people: "
                         f"{', '.join(ids) or 'none'}){did_you_mean(person, ids)}")
    return person


def make_draft(site, statement_id: str, *, actor: str, person: str | None = None,
               since: int | None = None) -> Draft:
    """Store the record as a version and write its reviewers' draft (see the module)."""
    from .workflow import Workflow

    who = check_person(site, person)
    workflow = Workflow(site)
    versions: Versions = workflow.versions
    with statement_lock_held(site, statement_id):
        path, _copy = workflow.copy_of(statement_id)
        data = path.read_bytes()
        statement, diagnostics = site.check([path])[path]
        if statement is None or any(d.is_error for d in diagnostics):
            raise RecordError(str(path), diagnostics)
        latest = versions.latest(statement_id)
        earlier = _earlier(site, versions, statement_id, path, since, latest)
        document = replace(site.document(statement), record_sha256=sha256(data), preview=True)
        warnings = tuple(d for d in diagnostics if not d.is_error) + import_warnings(
            site, statement_id, path, data)
        with versions.store.write() as db:
            fresh = latest is None or latest.sha256 != sha256(data)
            version = (versions.add(db, statement_id, data, actor, "review-draft") if fresh
                       else latest)
            review = Review(version.number, version.created, warnings, earlier, since, who)
            docx = render_docx(document, site.templates_dir, review)
            found = anchors(docx)
            db.executemany(
                "INSERT OR IGNORE INTO draft_anchors (statement_id, version, bookmark, part,"
                " sha256, text) VALUES (?, ?, ?, ?, ?, ?)",
                [(statement_id, version.number, a.bookmark, a.part, a.fingerprint, a.text)
                 for a in found])
            folder = site.drafts_dir / statement_id
            target = folder / draft_name(statement_id, version.number, who)
            db.execute(
                "INSERT INTO review_drafts (statement_id, version, person, since, path, sha256,"
                " created, made_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (statement_id, version.number, who, since,
                 str(site_relative(site.root, target)), sha256(docx),
                 iso(versions.store.now()), actor))
            _write(site, folder, target.name, docx)
    return Draft(statement_id, version, fresh, who, target, since,
                 len(warnings), len(found))


def _earlier(site, versions: Versions, statement_id: str, path: Path, since: int | None,
             latest: Version | None):
    """The Document of version `since`, to show what changed from it; None without one."""
    if since is None:
        return None
    known = [v.number for v in versions.list(statement_id)]
    if since not in known:
        have = f"it has versions 1 to {known[-1]}" if known else "it has no stored version"
        raise UsageError(f"--since {since}: {statement_id} has no version {since}; {have} "
                         f"(`pressroom versions {statement_id}` lists them).")
    old = versions.data(versions.get(statement_id, since))
    statement, diagnostics = statement_from_bytes(site, path, old)
    errors = [d for d in diagnostics if d.is_error]
    if statement is None or errors:  # say, an endorser since taken out of the directory
        why = f" ({errors[0].field}: {errors[0].message})" if errors else ""
        raise UsageError(f"--since {since}: version {since} of {statement_id} cannot be read "
                         f"as a record of this site now{why}, so its differences cannot be "
                         "shown; choose another version.")
    return replace(site.document(statement), record_sha256=sha256(old), preview=True)


def _write(site, folder: Path, name: str, data: bytes) -> None:
    try:
        with open_folder(site.root, PurePosixPath(site_relative(site.root, folder))) as fd:
            write_in(fd, name, data)
    except OSError as exc:
        raise PressroomError(f"{folder / name}: cannot write it: {exc.strerror or exc}. "
                             "Check the folder's permissions and free space.") from exc


def draft_for_rule(site, statement_id: str, who) -> str:
    """The "review-draft" content rule, after a transition: a note for the person acting."""
    try:
        made = make_draft(site, statement_id, actor=who.name)
    except PressroomError as exc:
        return f"Word draft for reviewers: not made ({exc})"
    return f"Word draft for reviewers: {made.summary()}"
