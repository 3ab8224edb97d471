"""The reviewers' Word draft: the statement's Word rendering, marked for a review.

`render_docx(document, templates, review=Review(...))` lays the statement out as always
(DRAFT banner and watermark included: a review draft is never the public file), then:

1. every field's paragraph gets a bookmark named for the field (`pr_title`, `pr_dateline`,
   `pr_body_3`, `pr_fn_2`, `pr_endorser_5`, `pr_contact_1`, `pr_correction_1`), wrapping
   exactly the field's text: Word, LibreOffice and Google Docs keep bookmarks through a save
   where they drop paragraph ids and content controls, so a returned file maps by them;
2. each warning of `pressroom check` becomes a comment by "Pressroom" on the text it is
   about, through python-docx's comment API;
3. with `since` (an earlier version's Document), every difference, paragraph by paragraph
   and word by word (`trackdiff.py`), is a tracked change by "Pressroom";
4. track changes is switched on in word/settings.xml, so the reviewer's edits are tracked.

Every date written (comments, changes) is the version's time: the same inputs give the same
file. Bookmark names follow Word's rule (ECMA-376 says only ST_String; Word keeps at most 40
characters, a letter first, no spaces), checked by `bookmark_name`.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from ..model import Diagnostic, Document
from . import oxml as ox
from . import trackdiff

AUTHOR = "Pressroom"
INITIALS = "PR"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
# Which anchor a warning about a front-matter field is placed on.
_FIELD_ANCHORS = {"title": "pr_title", "date": "pr_dateline", "place": "pr_dateline",
                  "embargo": "pr_dateline", "corrections": "pr_correction_1"}


@dataclass(frozen=True)
class Review:
    """What makes a Word rendering a reviewers' draft."""

    version: int  # the record version the draft shows
    when: dt.datetime  # that version's time: the date of every comment and change
    warnings: tuple[Diagnostic, ...] = ()  # placed as comments
    since: Document | None = None  # an earlier version: its differences become changes
    since_version: int | None = None
    person: str = "reviewers"


@dataclass(frozen=True)
class Anchor:
    """A field's text as the draft sends it, found by its bookmark."""

    bookmark: str
    part: str  # word/document.xml or word/footnotes.xml
    text: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def bookmark_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a Word bookmark name (a letter first, then "
                         "letters, digits or _, at most 40 characters)")
    return name


def normalised(text: str) -> str:
    """The text a fingerprint is of: NFC, runs of white space as one space, trimmed (a
    client that re-wraps or re-normalises the text does not change it)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()


def mark(writer, review: Review, since_writer=None) -> dict[str, str]:
    """Mark the laid-out `writer` (docx._Writer) as the draft; the custom properties to add."""
    stamp = review.when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = _BookmarkIds(writer)
    for name, p, skip, _line in writer.anchors:
        ox.wrap_bookmark(p, skip, ids.next(), bookmark_name(name))
    for name, text in placed_warnings(writer, review.warnings):
        _comment(writer, name, text, stamp)
    if since_writer is not None:
        trackdiff.track(writer.anchors, since_writer.anchors, AUTHOR, stamp)
    _track_revisions(writer)
    properties = {"record_version": str(review.version), "review_for": review.person}
    if review.since_version is not None:
        properties["changes_since_version"] = str(review.since_version)
    return properties


class _BookmarkIds:
    """Bookmark ids after those the rendering has (cross-references to shared footnotes)."""

    def __init__(self, writer):
        taken = [int(b.get(ox.w("id"))) for root in (writer.document.element,
                                                     writer.notes.element)
                 for b in root.iter(ox.w("bookmarkStart"))]
        self.n = max(taken, default=0)

    def next(self) -> int:
        self.n += 1
        return self.n


def placed_warnings(writer, warnings) -> list[tuple[str, str]]:
    """(bookmark, comment text) of each warning: on the field or paragraph it is about; a
    warning about the record as a whole (or a field the draft does not show) on the title,
    naming its field."""
    names = [a[0] for a in writer.anchors]
    lined = [(a[3], a[0]) for a in writer.anchors if a[3] is not None]
    out = []
    for d in warnings:
        if d.is_error:
            continue
        name = _FIELD_ANCHORS.get(d.field or "")
        if d.field == "endorsers":
            name = _listed(d.message, [o.key for o in writer.doc.endorsers], "pr_endorser")
        elif d.field == "contacts":
            contacts = writer.doc.statement.contacts or writer.doc.settings.contacts
            name = _listed(d.message, [c.label for c in contacts], "pr_contact")
        elif d.field in (None, "body") and d.line is not None and lined:
            before = [n for line, n in lined if line <= d.line]
            name = before[-1] if before else lined[0][1]
        if name not in names:
            name = "pr_title"
        where = f"{d.field}: " if d.field else ""
        line = f" (line {d.line} of the record)" if d.line else ""
        out.append((name, f"{AUTHOR} check, {d.severity.value}{line}: {where}{d.message}"))
    return out


def _listed(message: str, items: list[str], prefix: str) -> str:
    """The item a message names ('arf' is listed twice: the last 'arf'), else the first."""
    named = [n for n, item in enumerate(items, 1) if item and f"'{item}'" in message]
    return f"{prefix}_{named[-1] if named else 1}"


def _comment(writer, name: str, text: str, stamp: str) -> None:
    """A comment by Pressroom on the field's runs, through python-docx's comment API."""
    from .docx import _Note

    _, p, skip, _ = next(a for a in writer.anchors if a[0] == name)
    runs = list(p.iter(ox.w("r")))[skip:]
    if not runs:
        return
    in_note = p.getroottree().getroot() is writer.notes.element
    parent = DocxParagraph(p, _Note(p.getparent(), writer.notes) if in_note
                           else writer.document)
    comment = writer.document.add_comment([Run(runs[0], parent), Run(runs[-1], parent)],
                                          text=text, author=AUTHOR, initials=INITIALS)
    comments = writer.part.part_related_by(RT.COMMENTS)
    ox.comment_date(comments.element, comment.comment_id, stamp)


def _track_revisions(writer) -> None:
    """w:trackRevisions in this draft's own copy of settings.xml (the rendering shares the
    reference's with every statement)."""
    rel = next(r for r in writer.part.rels.values() if r.reltype == RT.SETTINGS)
    shared = rel.target_part
    settings = ox.copy_part(shared, copy.deepcopy(shared.element), writer.package)
    ox.track_revisions(settings.element)
    writer.part.load_rel(RT.SETTINGS, settings, rel.rId)


# --- reading the anchors back from the draft's bytes ------------------------------------------


def anchors(data: bytes) -> list[Anchor]:
    """Every pr_ bookmark of a draft and the text it wraps as the draft shows it (deleted
    text left out): what the store keeps as the fingerprint of each field."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in ("word/document.xml", "word/footnotes.xml"):
            if part not in z.namelist():
                continue
            root = etree.fromstring(z.read(part), etree.XMLParser(resolve_entities=False))
            found.extend(Anchor(name, part, text) for name, text in ox.bookmarked_texts(root)
                         if name.startswith("pr_"))
    return found
