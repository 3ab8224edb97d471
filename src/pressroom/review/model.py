"""What a reviewed Word file holds, as the reader reports it: comments, tracked changes and
the paragraphs of each story (with every change accepted, and with every change rejected).

Plain frozen dataclasses, so ingest can keep them and `--json` can print them as they are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class StoryKind(StrEnum):
    """Where text sits in a .docx: each is its own flow of paragraphs."""

    BODY = "body"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    HEADER = "header"
    FOOTER = "footer"
    COMMENT = "comment"


class ChangeKind(StrEnum):
    INSERTION = "insertion"
    DELETION = "deletion"
    MOVE_FROM = "move-from"
    MOVE_TO = "move-to"
    MARK_INSERTION = "paragraph-mark-insertion"
    MARK_DELETION = "paragraph-mark-deletion"
    FORMATTING = "formatting"


@dataclass(frozen=True)
class Place:
    """A paragraph of a story: `note` is the footnote, endnote or comment id (None in the body),
    or the part name of a header or footer; `paragraph` counts from 0 within that note (or the
    body), tables included, in document order."""

    story: StoryKind
    note: str | None
    paragraph: int


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    initials: str
    date: str | None  # as written (ISO 8601 in every client we know); None when absent
    text: str  # its paragraphs joined by newlines, changes inside it accepted
    place: Place | None  # where its range starts (or its reference, with no range)
    anchor: str | None  # the text between commentRangeStart and End, every change accepted
    anchor_original: str | None  # the same range with every change rejected
    parent: str | None  # the id of the comment this one replies to
    resolved: bool
    thread_source: str | None  # how `parent`/`resolved` were found: see reader.py
    para_id: str | None = None  # w14:paraId of its last paragraph (Word 2010+)
    durable_id: str | None = None  # w16cid:durableId (Word 2016+)
    date_utc: str | None = None  # w16cex:dateUtc (Word 365)


@dataclass(frozen=True)
class Change:
    id: str
    kind: ChangeKind
    author: str
    date: str | None
    text: str  # what was inserted, deleted or moved; for formatting, the text it applies to
    place: Place
    move_name: str | None = None  # the w:name of the move range a move-from/move-to sits in
    properties: tuple[str, ...] = ()  # formatting: the properties changed ("b", "jc", ...)
    detail: str | None = None  # what the change applies to when not runs: "table row", ...


@dataclass(frozen=True)
class Paragraph:
    place: Place
    accepted: str  # the paragraph's text with every change accepted
    rejected: str  # ... and with every change rejected
    bookmarks: tuple[str, ...] = ()  # bookmarks that start in it


@dataclass(frozen=True)
class Review:
    path: str
    comments: tuple[Comment, ...]
    changes: tuple[Change, ...]
    paragraphs: tuple[Paragraph, ...]

    def to_json(self) -> dict[str, Any]:
        """The object `pressroom review inspect --json` prints."""
        def flat(item: Comment | Change) -> dict[str, Any]:
            # Shallow on purpose: dataclasses.asdict deep-copies every string (4x slower).
            out = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
            place = out.pop("place")
            out.update(story=place.story if place else None,
                       note=place.note if place else None,
                       paragraph=place.paragraph if place else None)
            if "properties" in out:
                out["properties"] = list(out["properties"])
            return out

        return {"path": self.path,
                "comments": [flat(c) for c in self.comments],
                "changes": [flat(c) for c in self.changes]}
