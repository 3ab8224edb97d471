"""`pressroom review apply ID [--accept all|IDS] [--reject IDS]`: accepted changes into the
record, as a new version with a history entry.

`apply_review(site, review_id, who=..., accept=..., reject=...)`:

1. a published statement is changed in its working copy (checked out first when there is
   none): applying a review never changes what is served;
2. the reviewed file's changes are read again from its bytes in the store, and each field's
   edit is computed from the draft's version: the text with every change accepted so far
   (the "expected" text) and with the newly accepted ones too;
3. merge: a field is changed only where the record still holds the expected text (a body
   paragraph or note is found by its source, wherever it moved); anywhere else it is a
   conflict, reported with the field, and its changes stay open: never overwritten;
4. body text is edited in its Markdown source (mdedit.py: emphasis, links and footnote
   markers survive), front-matter fields through the round-trip writer
   (frontmatter.update_front_matter); the result must load without errors;
5. in one transaction: the version ("review-applied"), the history entry naming the reviewers
   and the changes applied, the items' states; then the file is written (atomically).
Comments are not touched: they stay open until resolved.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RecordError, UsageError
from ..fileio import atomic_write
from ..folders import statement_lock_held
from ..frontmatter import FrontMatterError, load_front_matter, split_parts, update_front_matter
from ..model import State
from ..render.reviewdocx import AUTHOR
from ..store import iso
from . import mdedit
from .ingest import Item, label, split_marks
from .model import ChangeKind
from .reader import read_review
from .safezip import open_docx
from .segments import Segment, apply_ops, new_text, old_text, paragraph_segments, trimmed
from .stored import COMMENT, load

_TEXT_KINDS = {ChangeKind.INSERTION.value, ChangeKind.DELETION.value,
               ChangeKind.MOVE_FROM.value, ChangeKind.MOVE_TO.value}


@dataclass
class Applied:
    review_id: int
    statement_id: str
    path: Path
    version: int | None  # the new version; None when the text did not change
    applied: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    checked_out: bool = False

    def summary(self) -> str:
        lines = []
        if self.checked_out:
            lines.append(f"{self.statement_id} is published: checked out a working copy, "
                         f"{self.path}, so what is served stays as it is.")
        done = (f"version {self.version}" if self.version else "no new version (the text is "
                "unchanged)")
        lines.append(f"review {self.review_id} applied to {self.path}: {done}; "
                     f"{len(self.applied)} change(s) applied, {len(self.rejected)} rejected.")
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflict(s), left open (the record changed "
                         "since the draft):")
            lines.extend(f"  {c}" for c in self.conflicts)
        if self.skipped:
            lines.append("Not applied, left open:")
            lines.extend(f"  {s}" for s in self.skipped)
        return "\n".join(lines)


def apply_review(site, review_id: int, *, who, accept: list[int] | str | None,
                 reject: list[int] | None) -> Applied:
    from ..workflow import Workflow
    from ..working import checkout, with_state

    person = who.require_person(site.settings, "apply reviews")
    flow = Workflow(site)
    store = flow.history.store
    review = load(store, review_id)
    sid = review.statement_id
    changes = {i.number: i for i in review.items if i.kind != COMMENT}
    wanted = ([n for n, i in changes.items() if i.state == "open"] if accept == "all"
              else list(accept or []))
    refused = list(reject or [])
    wrong = [n for n in wanted + refused if n not in changes]
    if wrong:
        raise UsageError(f"review {review_id} has no change {', '.join(map(str, wrong))} "
                         f"(its changes: {_ranges(sorted(changes)) or 'none'}; comments are "
                         "resolved with `pressroom review resolve`).")
    wanted, refused = _with_moves(changes, wanted), _with_moves(changes, refused)
    both = set(wanted) & set(refused)
    if both:
        raise UsageError(f"change {', '.join(map(str, sorted(both)))} is both accepted and "
                         "rejected: say one.")
    if not wanted and not refused:
        raise UsageError("say what to apply: --accept all, --accept 3,5 or --reject 4.")
    site.existing_record(sid)
    with statement_lock_held(site, sid):
        published = flow.published_version(sid)
        checked_out = (flow.copy_of(sid)[1] == "record" and published is not None
                       and flow.state_of(sid) is State.PUBLISHED)
        if checked_out:
            # The working copy a checkout will make, merged into before it is made: a
            # review that cannot be applied leaves no working copy behind.
            path, copy = site.working_path(sid), "working"
            current = with_state(flow.versions.data(published), State.PRIVATE)
        else:
            path, copy = flow.copy_of(sid)
            current = path.read_bytes()
        base = flow.versions.data(flow.versions.get(sid, review.version))
        docx = _blob(store, review.sha256)
        outcome = Applied(review_id, sid, path, None, checked_out=checked_out)
        new, applied = _merge(review, changes, set(wanted), base, current, docx, outcome,
                              path)
        outcome.rejected = [n for n in refused if changes[n].state == "open"]
        if new != current:
            statement, diagnostics = _check(site, path, new)
            if statement is None or any(d.is_error for d in diagnostics):
                raise RecordError(f"{path} (with the review applied; nothing was written)",
                                  diagnostics)
        if checked_out and new != current:
            checkout(flow, who, sid)
        elif checked_out:  # nothing to change: no working copy for nothing
            path, copy = flow.copy_of(sid)
            current = new = path.read_bytes()
            outcome.path, outcome.checked_out = path, False
        state = flow.state_of(sid)
        with store.write() as db:
            before = flow.versions.latest(sid)
            version = (flow.versions.add(db, sid, new, who.name, "review-applied")
                       if new != current else None)
            now = iso(store.now())
            db.executemany("UPDATE review_items SET state = ?, decided = ?, decided_by = ? "
                           "WHERE review_id = ? AND number = ?",
                           [("accepted", now, person.name, review_id, n) for n in applied] +
                           [("rejected", now, person.name, review_id, n)
                            for n in outcome.rejected])
            named = ", ".join(review.reviewers) or "no reviewer named"
            tid = flow.history.add(
                db, statement_id=sid, action="review-apply", person=person.name,
                acting_for=who.on_behalf_of.name if who.on_behalf_of else None,
                from_state=state, to_state=state,
                comment=(f"review {review_id} by {named}: applied {_ranges(applied) or 'none'}"
                         f"; rejected {_ranges(outcome.rejected) or 'none'}"
                         + (f"; {len(outcome.conflicts)} conflict(s)" if outcome.conflicts
                            else "")),
                correction=None, version_before=before.number if before else None,
                version_after=version.number if version else
                (before.number if before else None), copy=copy)
            if version is None:
                db.execute("UPDATE transitions SET file_written = 1 WHERE id = ?", (tid,))
        if version is not None:
            atomic_write(path, new)
            flow.history.mark_written(tid)
        outcome.version = version.number if version else None
        outcome.applied = applied
    return outcome


def _with_moves(changes: dict[int, Item], numbers: list[int]) -> list[int]:
    """`numbers` and the other end of every move among them: a move is applied or
    rejected whole (half of one would lose the text, or say it twice)."""
    moves = {(changes[n].move, changes[n].author) for n in numbers
             if n in changes and changes[n].move}
    more = [n for n, i in changes.items() if i.move and (i.move, i.author) in moves
            and n not in numbers]
    return sorted({*numbers, *more})


def _ranges(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _blob(store, digest: str) -> bytes:
    with store.read() as db:
        row = db.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
    if row is None:
        raise UsageError("the reviewed file's bytes are missing from the store; restore it "
                         "from a backup, or ingest the file again.")
    return bytes(row[0])


def _check(site, path: Path, data: bytes):
    from ..gate import statement_from_bytes

    return statement_from_bytes(site, path, data)


# --- the merge ---------------------------------------------------------------------------------


def _read_file(docx: bytes, name: str):
    """The reviewed file read again: its paragraphs' segments, and the ids of the changes
    Pressroom itself wrote (a `--since` draft's), by place. A paragraph a reviewer split
    is one field over several paragraphs: its pieces are theirs together, with the
    inserted mark between them as a piece of its own (SPLIT), so that accepting the mark
    splits the field's text and rejecting it joins the parts again."""
    found = read_review(docx, name)
    with open_docx(docx, name) as package:
        pieces = paragraph_segments(package)
    ours: dict = {}
    for c in found.changes:
        if c.author == AUTHOR:
            ours.setdefault(c.place, set()).add(c.id)
    split = split_marks(found)
    order = [p.place for p in found.paragraphs]
    chained = dict(pieces)
    for i, place in enumerate(order):
        if i and order[i - 1] in split:
            continue  # a part after a split: in the chain of the paragraph it goes on from
        run, at = list(pieces.get(place, [])), i
        while order[at] in split and at + 1 < len(order):
            run.append(Segment(SPLIT, frozenset({split[order[at]]}), frozenset()))
            at += 1
            run.extend(pieces.get(order[at], []))
            chained[order[at]] = run
        chained[place] = run
    heads = {}
    for i, place in enumerate(order):
        heads[place] = heads[order[i - 1]] if i and order[i - 1] in split else place
    by_head: dict = {}
    for place, ids in ours.items():
        by_head.setdefault(heads.get(place, place), set()).update(ids)
    return chained, by_head, heads


SPLIT = "\u2029"  # Unicode's paragraph separator: where an accepted split cuts a field


def _merge(review, changes: dict[int, Item], wanted: set[int], base: bytes, current: bytes,
           docx: bytes, outcome: Applied, path: Path) -> tuple[bytes, list[int]]:
    """The record's new bytes and the changes applied."""
    pieces, ours, heads = _read_file(docx, review.file_name)
    prior = {n for n, i in changes.items() if i.state == "accepted" and i.author != AUTHOR}
    fields: dict[str, list[Item]] = {}
    joins: list[Item] = []
    for n in sorted(wanted):
        item = changes[n]
        if item.state != "open":
            continue
        body = (item.field or "").startswith("pr_body_")
        if item.field is None:
            outcome.skipped.append(f"change {n} ({item.kind} {_q(item.text)}): unplaced, "
                                   "apply it by hand")
        elif item.kind == ChangeKind.FORMATTING.value:
            outcome.skipped.append(f"change {n} ({label(item.field)}): formatting, never "
                                   "applied as text")
        elif item.kind == ChangeKind.MARK_DELETION.value and body:
            joins.append(item)
        elif item.kind in _TEXT_KINDS or (item.kind == ChangeKind.MARK_INSERTION.value
                                          and body):
            fields.setdefault(item.field, []).append(item)
        else:
            outcome.skipped.append(f"change {n} ({label(item.field)}): a paragraph split or "
                                   "join outside the body's paragraphs; edit the record by "
                                   "hand")

    base_text, cur_text = base.decode("utf-8"), current.decode("utf-8")
    bom = "\ufeff" if cur_text.startswith("\ufeff") else ""
    base_parts = split_parts(base_text.removeprefix("\ufeff"))
    cur_parts = split_parts(cur_text.removeprefix("\ufeff"))
    try:
        base_front = load_front_matter(base_parts.front) or {}
        cur_front = load_front_matter(cur_parts.front) or {}
    except FrontMatterError as exc:
        raise UsageError(f"{path}: its front matter does not load ({exc.message}); fix it "
                         "first.") from None
    base_blocks = mdedit.text_blocks(base_parts.body)
    cur_blocks = mdedit.text_blocks(cur_parts.body)
    front_changes: dict = {}
    spans: list[tuple[int, int, str]] = []
    applied: list[int] = []
    for name, group in fields.items():
        place = heads.get(group[0].place, group[0].place)
        refs = {i.ref for i in group}
        before = {changes[n].ref for n in prior
                  if heads.get(changes[n].place, changes[n].place) == place}
        base_ids = ours.get(place, set())
        plist = pieces.get(place, [])
        then = trimmed(apply_ops(plist, before, base_ids))
        after = trimmed(apply_ops(plist, before | refs, base_ids))
        numbers = [i.number for i in group]
        where = f"{label(name)} (change {_ranges(numbers)})"
        try:
            done = _field(name, then, after, base_parts.body, cur_parts.body, base_blocks,
                          cur_blocks, base_front, cur_front, front_changes, spans)
        except mdedit.Unmappable:
            done = "its text holds a character the Markdown writes another way (an entity?)"
        if done is None:
            applied.extend(numbers)
        elif done.startswith("conflict:"):
            outcome.conflicts.append(f"{where}: {done.removeprefix('conflict: ')}")
        else:
            outcome.skipped.append(f"{where}: {done}")
    for item in joins:
        done = _join(item, base_blocks, cur_blocks, base_parts.body, cur_parts.body, spans)
        where = f"{label(item.field)} (change {item.number})"
        if done is None:
            applied.append(item.number)
        elif done.startswith("conflict:"):
            outcome.conflicts.append(f"{where}: {done.removeprefix('conflict: ')}")
        else:
            outcome.skipped.append(f"{where}: {done}")
    applied.sort()
    if "endorsers" in front_changes:
        front_changes["endorsers"] = [e for e in front_changes["endorsers"] if e is not None]
    body = cur_parts.body
    for start, end, text in sorted(spans, reverse=True):
        body = body[:start] + text + body[end:]
    front = cur_parts.front
    if front_changes:
        try:
            front = update_front_matter(front, front_changes)
        except FrontMatterError as exc:
            raise UsageError(f"{path}: cannot rewrite its front matter ({exc.message})"
                             ) from None
    new = bom + cur_parts.head_open + front + cur_parts.head_close + body
    return new.encode("utf-8"), sorted(applied)


def _field(name, then, after, base_body, cur_body, base_blocks, cur_blocks, base_front,
           cur_front, front_changes, spans) -> str | None:
    """Apply one field's edit; None when done, else why not ("conflict: ..." for a
    record changed since the draft)."""
    sent = old_text(then)
    if name.startswith(("pr_body_", "pr_fn_")):
        block = base_blocks.get(name)
        if block is None or " ".join(block.plain.split()) != " ".join(sent.split()):
            return "the draft's text of it is not the version's (was the draft edited?)"
        plain_then = _on_plain(block.plain, then)
        plain_after = _on_plain(block.plain, after)
        expected = mdedit.edit_span(base_body, block, plain_then)
        replaced = mdedit.edit_span(base_body, block, plain_after)
        same_name = cur_blocks.get(name)
        if same_name is not None and cur_body[same_name.start:same_name.end] == expected:
            target = same_name
        else:
            hits = [b for b in cur_blocks.values() if cur_body[b.start:b.end] == expected]
            if len(hits) != 1:
                return ("conflict: the paragraph was changed in the record since the draft"
                        if not hits else "conflict: the paragraph is in the record twice now")
            target = hits[0]
        if SPLIT in replaced:
            replaced = _split(replaced, block, plain_after, base_body)
            if replaced is None:
                return ("a split inside a heading, a list item, a note, emphasis or a link; "
                        "edit the record by hand")
        spans.append((target.start, target.end, replaced))
        return None
    if name == "pr_title":
        if str(base_front.get("title", "")) != sent:
            return "the draft's title is not the version's"
        if str(cur_front.get("title", "")) != new_text(then):
            return "conflict: the title was changed in the record since the draft"
        front_changes["title"] = _like(cur_front.get("title"), new_text(after))
        return None
    if name.startswith("pr_contact_"):
        index = int(name.rsplit("_", 1)[1]) - 1
        contacts = cur_front.get("contacts")
        if not isinstance(contacts, list) or index >= len(contacts):
            return "the contacts come from pressroom.toml, not the record: change them there"
        label_then, _, mail_then = new_text(then).partition("\n")
        label_now, _, mail_now = new_text(after).partition("\n")
        entry = contacts[index]
        if str(entry.get("label") or "") != label_then or (
                str(entry.get("email") or "") != mail_then):
            return "conflict: the contact was changed in the record since the draft"
        edited = copy.deepcopy(front_changes.get("contacts", contacts))
        edited[index]["label"] = _like(entry.get("label"), label_now.strip())
        if mail_now.strip() or entry.get("email") is not None:
            edited[index]["email"] = _like(entry.get("email"), mail_now.strip()) or None
        front_changes["contacts"] = edited
        return None
    if name.startswith("pr_endorser_"):
        index = int(name.rsplit("_", 1)[1]) - 1
        if new_text(after).strip():
            return ("an endorser's name comes from organisations.yaml: change the directory, "
                    "or the record's endorsers")
        was, now = list(base_front.get("endorsers") or []), list(
            front_changes.get("endorsers", cur_front.get("endorsers") or []))
        if index >= len(was) or was != list(cur_front.get("endorsers") or []):
            return "conflict: the endorsers were changed in the record since the draft"
        now[index] = None  # taken out below, so later indexes still point right
        front_changes["endorsers"] = now
        return None
    if name == "pr_dateline":
        place = str(base_front.get("place") or "")
        old = new_text(then)
        if not place or not old.startswith(place + ", "):
            return "the dateline is made from the record's place and date: edit them"
        tail = old[len(place):]
        now = new_text(after)
        if not now.endswith(tail) or str(cur_front.get("place") or "") != place:
            return ("conflict: the place was changed since the draft" if now.endswith(tail)
                    else "the date changed: edit the record's date")
        front_changes["place"] = _like(cur_front.get("place"), now[: -len(tail)].strip())
        return None
    return "this field is not changed from a review; edit the record by hand"


def _paragraph(body: str, block: mdedit.Block) -> bool:
    """A plain paragraph of the body (not a heading, list item, quote or note): its text
    starts a line and the line before it is blank."""
    return block.name.startswith("pr_body_") and (
        block.start == 0 or body[max(0, block.start - 2):block.start] == "\n\n")


def _split(replaced: str, block: mdedit.Block, ops, body: str) -> str | None:
    """The block's new source with each accepted split made a paragraph break; None where
    a break cannot go (not a plain paragraph, or inside emphasis or a link)."""
    if not _paragraph(body, block):
        return None
    at = 0
    for kind, text in ops:
        if kind == "ins" and SPLIT in text and any(
                first < at < last for *_, first, last in block.marks):
            return None
        if kind != "ins":
            at += len(text)
    parts = [part.strip() for part in re.split(f"[ \t]*{SPLIT}[ \t]*", replaced)]
    return "\n\n".join(part for part in parts if part)


def _join(item: Item, base_blocks, cur_blocks, base_body: str, cur_body: str,
          spans) -> str | None:
    """A deleted paragraph mark accepted: the paragraph and the next one become one."""
    index = int(item.field.rsplit("_", 1)[1])
    first, second = item.field, f"pr_body_{index + 1}"
    was = [base_blocks.get(first), base_blocks.get(second)]
    now = [cur_blocks.get(first), cur_blocks.get(second)]
    if None in was or None in now:
        return "the paragraph joined to the next has no next paragraph in the record now"
    if not all(_paragraph(base_body, b) for b in was):
        return "a join of a heading or a list item; edit the record by hand"
    if any(" ".join(a.plain.split()) != " ".join(b.plain.split()) for a, b in zip(
            was, now, strict=True)) or cur_body[now[0].end:now[1].start] != "\n\n":
        return ("conflict: the paragraphs were changed in the record since the draft; "
                "join them by hand")
    spans.append((now[0].end, now[1].start, " "))
    return None


def _like(old, new: str):
    """`new` written as `old` was (a quoted string stays quoted: ruamel's scalar types)."""
    if isinstance(old, str) and type(old) is not str:
        return type(old)(new)
    return new


def _on_plain(plain: str, ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`ops` over the draft's text laid on the record's plain text (the same words; white
    space may differ where the Markdown wraps a line)."""
    if old_text(ops) == plain:
        return ops
    out, i = [], 0
    for kind, text in ops:
        if kind == "ins":
            out.append((kind, text))
            continue
        size = len(text)
        out.append((kind, plain[i:i + size]))
        i += size
    if i != len(plain):
        raise mdedit.Unmappable(plain)
    return out


def _q(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def field_edits(store, review) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each field with open text changes: the edit from its text now (the changes accepted
    so far applied) to its text with every open change accepted too."""
    from .stored import _order

    docx = _blob(store, review.sha256)
    pieces, ours, heads = _read_file(docx, review.file_name)
    accepted: dict = {}
    pending: dict[str, list[Item]] = {}
    for i in review.items:
        if i.field is None or not (i.kind in _TEXT_KINDS or (
                i.kind == ChangeKind.MARK_INSERTION.value and i.field.startswith("pr_body_"))):
            continue
        if i.state == "accepted" and i.author != AUTHOR:
            accepted.setdefault(heads.get(i.place, i.place), set()).add(i.ref)
        elif i.state == "open":
            pending.setdefault(i.field, []).append(i)
    out = []
    for name in sorted(pending, key=_order):
        place = heads.get(pending[name][0].place, pending[name][0].place)
        ops = trimmed(apply_ops(pieces.get(place, []), {i.ref for i in pending[name]},
                                ours.get(place, set()) | accepted.get(place, set())))
        out.append((name, ops))
    return out
