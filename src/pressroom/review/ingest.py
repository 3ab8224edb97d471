"""`pressroom review ingest FILE.docx`: a reviewed draft comes back into the store.

`ingest(site, path, actor=...)`:

1. read the file as any review (reader.py, under safezip's limits) and its custom
   properties: statement, version and the record's sha256 name the draft it was made from;
   a file without them is not one of our drafts, and the error names the statement its
   text is most like;
2. place every comment and change on a field: by the bookmark of its paragraph (LibreOffice's
   " Copy 1" suffixes stripped), else by the stored fingerprint of the field's text, else by
   the most similar stored text (rapidfuzz), else it is kept as unplaced, never dropped;
3. refuse a file edited without tracking: each field's text with every reviewer's change
   rejected must be what was sent (the anchors stored with the version); the error says
   which fields differ, and nothing is stored;
4. in one transaction: the file's bytes (a blob), the review, its items, and an entry in the
   statement's history. The same file again finds the review already stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import PressroomError, ReviewFileError
from ..render.reviewdocx import AUTHOR, fingerprint, normalised
from ..store import iso
from ..versions import sha256
from .model import ChangeKind, Place, Review, StoryKind
from .reader import read_review
from .safezip import Package, open_docx
from .segments import Segment, paragraph_segments, sent_text

CUSTOM = "docProps/custom.xml"
# LibreOffice 7.4 renames a bookmark inside every footnote after the first on save
# ("pr_fn_2 Copy 1", saved as "pr_fn_2_Copy_1").
_COPY = re.compile(r"(?:[ _]Copy[ _]\d+)+$")
# How similar a paragraph must be to a stored field's text to be placed on it (0-100).
SIMILAR = 85
_FIELD_STORIES = (StoryKind.BODY, StoryKind.FOOTNOTE)


class ReviewError(PressroomError):
    """A reviewed file that cannot be taken in as it is: not one of our drafts, a draft of
    a version this site does not have, or edited without tracking."""


@dataclass(frozen=True)
class Item:
    """A comment or tracked change of a review, placed on a field or not (`field` None)."""

    number: int
    ref: str  # its w:id in the file
    kind: str  # "comment", or a ChangeKind value
    field: str | None  # the draft's bookmark: pr_title, pr_body_3, ...
    placed_by: str | None  # "bookmark", "fingerprint", "similar text"; None: unplaced
    place: Place | None
    author: str
    date: str | None
    text: str
    anchor: str | None  # a comment's anchored text
    parent: int | None  # the item number of the comment it replies to
    state: str = "open"
    move: str | None = None  # a move's name: its two ends go together


@dataclass(frozen=True)
class Ingested:
    review_id: int
    statement_id: str
    version: int
    new: bool  # False: this file was ingested before
    items: tuple[Item, ...]
    path: Path

    def summary(self) -> str:
        placed = sum(1 for i in self.items if i.field)
        comments = sum(1 for i in self.items if i.kind == "comment")
        head = (f"{self.path}: review {self.review_id} of {self.statement_id} version "
                f"{self.version}")
        if not self.new:
            return f"{head}: this file was ingested before; nothing new stored."
        unplaced = len(self.items) - placed
        tail = (f"; {unplaced} unplaced (`pressroom review show {self.review_id}` lists them)"
                if unplaced else "")
        return (f"{head}: {comments} comment(s) and {len(self.items) - comments} change(s) "
                f"stored, {placed} placed on their field{tail}.")


def label(field: str | None) -> str:
    """A bookmark as staff say it: pr_body_3 -> "body paragraph 3"."""
    if not field:
        return "unplaced"
    name = field.removeprefix("pr_")
    if name in ("title", "dateline"):
        return name
    kind, _, rest = name.partition("_")
    if kind == "fn":
        note, _, para = rest.partition("_")
        return f"footnote {note}" + (f", paragraph {para}" if para else "")
    return {"body": "body paragraph", "endorser": "endorser", "contact": "contact",
            "correction": "correction"}.get(kind, kind) + f" {rest}"


def bookmark_field(name: str) -> str | None:
    name = _COPY.sub("", name)
    return name if name.startswith("pr_") else None


def draft_properties(package: Package) -> dict[str, str]:
    root = package.xml(CUSTOM)
    if root is None:
        return {}
    out = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop) and prop[0].text is not None:
            out[name] = prop[0].text
    return out


def ingest(site, path: Path, *, actor: str, person: str,
           acting_for: str | None = None) -> Ingested:
    """Take a reviewed draft into the store (see the module)."""
    from ..workflow import Workflow

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewFileError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    review = read_review(data, str(path))
    with open_docx(data, str(path)) as package:
        props = draft_properties(package)
        pieces = paragraph_segments(package)
    workflow = Workflow(site)
    store = workflow.history.store
    digest = sha256(data)
    known = find_review(store, digest)
    if known is not None:
        return Ingested(known[0], known[1], known[2], False, items(store, known[0]), path)
    statement_id, version = recognise(site, workflow, props, review, path)
    anchors = stored_anchors(store, statement_id, version)
    places = place_fields(review, pieces, anchors)
    baseline = _baseline(review)
    edits = untracked(review, pieces, anchors, places, baseline)
    if edits:
        raise ReviewError(
            f"{path}: edited without tracking changes, so its edits cannot be told apart "
            "from what was sent; nothing was stored. Where the text differs from the draft "
            f"of version {version}:\n" + "\n".join(f"  {e}" for e in edits) +
            "\nAsk the reviewer to make the edits again with Track Changes on (Word: Review "
            "> Track Changes; LibreOffice: Edit > Track Changes > Record).")
    found = collect(review, places)
    reviewers = sorted({i.author for i in found if i.author and i.author != AUTHOR})
    _path, copy = workflow.copy_of(statement_id)
    state = workflow.state_of(statement_id)
    with store.write() as db:
        # Asked again inside the transaction: two ingests of one file at once store it once.
        row = db.execute("SELECT id FROM reviews WHERE sha256 = ?", (digest,)).fetchone()
        if row is not None:
            known = (row[0], statement_id, version)
        else:
            db.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", (digest, data))
            cursor = db.execute(
                "INSERT INTO reviews (statement_id, version, sha256, file_name, ingested, person,"
                " reviewers) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (statement_id, version, digest, path.name, iso(store.now()), actor,
                 json.dumps(reviewers, ensure_ascii=False)))
            review_id = int(cursor.lastrowid)
            db.executemany(
                "INSERT INTO review_items (review_id, number, ref, kind, field, placed_by, story,"
                " note, paragraph, author, date, text, anchor, parent, state, decided,"
                " decided_by, move) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(review_id, i.number, i.ref, i.kind, i.field, i.placed_by,
                  i.place.story.value if i.place else None, i.place.note if i.place else None,
                  i.place.paragraph if i.place else None, i.author, i.date, i.text, i.anchor,
                  i.parent, i.state, None if i.state == "open" else iso(store.now()),
                  _decided_by(i, version), i.move)
                 for i in found])
            comments = sum(1 for i in found if i.kind == "comment")
            tid = workflow.history.add(
                db, statement_id=statement_id, action="review-ingest", person=person,
                acting_for=acting_for, from_state=state, to_state=state,
                comment=(f"review {review_id} ({path.name}) of version {version} by "
                         f"{', '.join(reviewers) or 'no reviewer named'}: {comments} comment(s), "
                         f"{len(found) - comments} change(s)"),
                correction=None, version_before=version, version_after=version, copy=copy)
            db.execute("UPDATE transitions SET file_written = 1 WHERE id = ?", (tid,))
    if known is not None:
        return Ingested(known[0], known[1], known[2], False, items(store, known[0]), path)
    return Ingested(review_id, statement_id, version, True, tuple(found), path)


def _decided_by(item: Item, version: int) -> str | None:
    if item.state == "resolved":
        return f"{item.author or 'the reviewer'} (resolved in the file)"
    if item.state == "accepted":
        return f"{AUTHOR} (in version {version})"
    return None


def find_review(store, digest: str) -> tuple[int, str, int] | None:
    if not store.exists:
        return None
    with store.read() as db:
        row = db.execute("SELECT id, statement_id, version FROM reviews WHERE sha256 = ?",
                         (digest,)).fetchone()
    return (row[0], row[1], row[2]) if row else None


def items(store, review_id: int) -> tuple[Item, ...]:
    with store.read() as db:
        rows = db.execute("SELECT * FROM review_items WHERE review_id = ? ORDER BY number",
                          (review_id,)).fetchall()
    return tuple(Item(r["number"], r["ref"], r["kind"], r["field"], r["placed_by"],
                      Place(StoryKind(r["story"]), r["note"], r["paragraph"])
                      if r["story"] else None, r["author"], r["date"], r["text"],
                      r["anchor"], r["parent"], r["state"], r["move"]) for r in rows)


# --- 1. which draft is it ---------------------------------------------------------------------


def recognise(site, workflow, props: dict[str, str], review: Review,
              path: Path) -> tuple[str, int]:
    sid, number, digest = (props.get("statement_id"), props.get("record_version"),
                           props.get("record_sha256"))
    if not sid or not number or not number.isdigit():
        raise ReviewError(f"{path}: not one of our review drafts (it has no statement_id and "
                          "record_version properties, which `pressroom draft` writes)"
                          f"{likely_statement(site, review)}. A staff member's own Word draft "
                          "becomes a record with `pressroom import`.")
    if not site.record_path(sid).is_file():
        raise ReviewError(f"{path}: a review draft of {sid}, which this site has no record "
                          f"of{likely_statement(site, review)}.")
    known = {v.number: v for v in workflow.versions.list(sid)}
    version = known.get(int(number))
    if version is None or (digest and version.sha256 != digest):
        why = ("this site stores no such version" if version is None else
               "this site's version of that number has other text")
        raise ReviewError(f"{path}: a review draft of {sid} version {number}, but {why} (a "
                          "draft made on another copy of the site?); nothing was stored.")
    return sid, version.number


def likely_statement(site, review: Review) -> str:
    """", which by its text is most like <id> ("title", 92% alike)", or a note that none is."""
    from rapidfuzz import fuzz

    text = " ".join(p.accepted for p in review.paragraphs
                    if p.place.story in _FIELD_STORIES)[:20_000]
    if not text.strip():
        return "; it holds no text to compare with the records"
    best: tuple[float, str, str] | None = None
    for record in site.record_paths():
        try:
            raw = record.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        title = _title_of(raw)
        score = max(fuzz.token_set_ratio(text, raw[:20_000]),
                    max((fuzz.ratio(p.accepted, title) for p in review.paragraphs[:40]),
                        default=0) if title else 0)
        if best is None or score > best[0]:
            best = (score, record.stem, title)
    if best is None or best[0] < 50:
        return "; its text is like none of this site's records"
    score, sid, title = best
    named = f' ("{title}")' if title else ""
    return f"; by its text it is most like {sid}{named}, {score:.0f}% alike"


def _title_of(raw: str) -> str:
    m = re.search(r"^title:\s*(.+)$", raw, re.M)
    return m.group(1).strip().strip("\"'") if m else ""


def stored_anchors(store, statement_id: str, version: int) -> dict[str, str]:
    with store.read() as db:
        rows = db.execute("SELECT bookmark, text FROM draft_anchors WHERE statement_id = ? AND"
                          " version = ?", (statement_id, version)).fetchall()
    return {r[0]: r[1] for r in rows}


# --- 2. which field is each paragraph --------------------------------------------------------


def place_fields(review: Review, pieces: dict[Place, list[Segment]],
                 anchors: dict[str, str]) -> dict[Place, tuple[str, str]]:
    """{paragraph: (field, how)} for the paragraphs of the body and footnotes."""
    out: dict[Place, tuple[str, str]] = {}
    for p in review.paragraphs:
        if p.place.story not in _FIELD_STORIES:
            continue
        for name in p.bookmarks:
            field = bookmark_field(name)
            if field in anchors and field not in {f for f, _ in out.values()}:
                out[p.place] = (field, "bookmark")
                break
    missing = [f for f in anchors if f not in {f for f, _ in out.values()}]
    if missing:
        _by_text(review, pieces, anchors, out, missing)
    return _with_splits(review, out)


def _with_splits(review: Review, out: dict[Place, tuple[str, str]]
                 ) -> dict[Place, tuple[str, str]]:
    """A paragraph split by a reviewer (Enter pressed, tracked: its mark is an insertion)
    goes on in the next paragraph, which is the same field: what is typed there is placed
    on it."""
    split = split_marks(review)
    ordered = [p.place for p in review.paragraphs]
    for i, place in enumerate(ordered[:-1]):
        if place in out and place in split and ordered[i + 1] not in out:
            out[ordered[i + 1]] = (out[place][0], "split")
    return out


def split_marks(review: Review) -> dict[Place, str]:
    """{paragraph: the id of its inserted mark} for paragraphs a reviewer split."""
    return {c.place: c.id for c in review.changes
            if c.kind is ChangeKind.MARK_INSERTION and c.detail == "paragraph mark"
            and c.author != AUTHOR}


def _by_text(review: Review, pieces, anchors, out, missing: list[str]) -> None:
    """Fields whose bookmark is gone, found by their stored text."""
    from rapidfuzz import fuzz

    baseline = _baseline(review)
    free = [p for p in review.paragraphs if p.place.story in _FIELD_STORIES
            and p.place not in out]
    texts = {p.place: normalised(sent_text(pieces.get(p.place, []),
                                           baseline.get(p.place, set())) or p.rejected)
             for p in free}
    by_print: dict[str, list[Place]] = {}
    for place, text in texts.items():
        by_print.setdefault(fingerprint(text), []).append(place)
    for field in list(missing):
        matches = [pl for pl in by_print.get(fingerprint(anchors[field]), []) if pl not in out]
        if matches:
            out[matches[0]] = (field, "fingerprint")
            missing.remove(field)
    for field in missing:
        want = normalised(anchors[field])
        scored = [(fuzz.ratio(want, text), place) for place, text in texts.items()
                  if place not in out and text]
        if scored:
            score, place = max(scored, key=lambda s: s[0])
            if score >= SIMILAR:
                out[place] = (field, "similar text")


def _baseline(review: Review) -> dict[Place, set[str]]:
    """Pressroom's own tracked changes (a --since draft), per paragraph: part of what was
    sent."""
    out: dict[Place, set[str]] = {}
    for c in review.changes:
        if c.author == AUTHOR:
            out.setdefault(c.place, set()).add(c.id)
    return out


# --- 3. edits made without tracking ----------------------------------------------------------


def untracked(review: Review, pieces: dict[Place, list[Segment]], anchors: dict[str, str],
              places: dict[Place, tuple[str, str]],
              baseline: dict[Place, set[str]]) -> list[str]:
    """Where the file's text, every reviewer's change rejected, is not what was sent."""
    split = {c.place for c in review.changes
             if c.kind in (ChangeKind.MARK_INSERTION, ChangeKind.MOVE_TO) and
             c.detail == "paragraph mark" and c.author != AUTHOR}
    ordered = [p.place for p in review.paragraphs]
    index = {place: i for i, place in enumerate(ordered)}
    out = []
    joined: set[Place] = set()
    for place, (field, how) in places.items():
        if how == "split":  # compared with the paragraph it goes on from, below
            continue
        text = sent_text(pieces.get(place, []), baseline.get(place, set()))
        at = index[place]
        while place in split and at + 1 < len(ordered):  # a split made with tracking
            at += 1
            place = ordered[at]
            joined.add(place)
            text += sent_text(pieces.get(place, []), baseline.get(place, set()))
        if normalised(text) != normalised(anchors[field]):
            out.append(f"{label(field)}: sent {_quote(anchors[field])}, "
                       f"now {_quote(text)}")
    placed = {f for f, _ in places.values()}
    for field in anchors:
        if field not in placed:
            out.append(f"{label(field)}: {_quote(anchors[field])} is no longer in the file")
    out.extend(_added(review, pieces, places, baseline, joined, index))
    return out


def _added(review: Review, pieces, places, baseline, joined: set[Place],
           index: dict[Place, int]) -> list[str]:
    """Paragraphs typed in without tracking where the draft has only fields: from the
    title to the last body paragraph, and in the notes. (The draft's own unbookmarked
    paragraphs, the DRAFT line and what follows the body, are not stored: text added
    there is not seen.)"""
    fields_at = sorted((index[pl], f) for pl, (f, _) in places.items()
                       if pl.story is StoryKind.BODY and f.startswith(
                           ("pr_title", "pr_dateline", "pr_correction", "pr_body")))
    first = fields_at[0][0] if fields_at else None
    last = fields_at[-1][0] if fields_at else None
    out = []
    previous: str | None = None
    for p in review.paragraphs:
        place = p.place
        if place in places:
            previous = places[place][0]
            continue
        inside = (place.story is StoryKind.FOOTNOTE or (
            place.story is StoryKind.BODY and first is not None and
            first < index[place] < last))
        if not inside or place in joined:
            continue
        text = sent_text(pieces.get(place, []), baseline.get(place, set()))
        if normalised(text):
            where = f"after {label(previous)}" if previous else "before the title"
            out.append(f"a paragraph the draft did not have, {where}: {_quote(text)}")
    return out


def _quote(text: str, width: int = 70) -> str:
    text = normalised(text)
    return f'"{text}"' if len(text) <= width else f'"{text[:width - 1]}…"'


# --- 4. the items -------------------------------------------------------------------------------


def collect(review: Review, places: dict[Place, tuple[str, str]]) -> list[Item]:
    out: list[Item] = []
    numbers: dict[str, int] = {}
    for c in review.comments:
        number = len(out) + 1
        numbers[c.id] = number
        field, how = places.get(c.place, (None, None)) if c.place else (None, None)
        out.append(Item(number, c.id, "comment", field, how, c.place, c.author, c.date,
                        c.text, c.anchor, None, "resolved" if c.resolved else "open"))
    out = [_with_parent(i, c, numbers) for i, c in zip(out, review.comments, strict=True)]
    for c in review.changes:
        field, how = places.get(c.place, (None, None))
        ours = c.author == AUTHOR  # a --since draft's change: already in the version
        text = c.text + (f" [{', '.join(c.properties)}]" if c.properties else "")
        out.append(Item(len(out) + 1, c.id, c.kind.value, field, how, c.place, c.author,
                        c.date, text, None, None, "accepted" if ours else "open",
                        c.move_name))
    return out


def _with_parent(item: Item, comment, numbers: dict[str, int]) -> Item:
    if comment.parent is None or comment.parent not in numbers:
        return item
    from dataclasses import replace

    return replace(item, parent=numbers[comment.parent])
