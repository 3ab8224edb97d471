"""The text of each paragraph as pieces, each knowing which tracked changes enclose it, so
that any chosen set of changes can be accepted (the reader's Paragraph has only "all
accepted" and "all rejected").

    pieces = paragraph_segments(package)   # {Place: [Segment, ...]} for body and footnotes
    apply_ops(pieces[place], accepted_ids)  # [("same"|"del"|"ins", text), ...]

"Sent" is the text with every reviewer's change rejected and the draft's own changes (a
--since draft's, by Pressroom: `baseline`) accepted: what the reviewer received.

Places count paragraphs as the reader does (every w:p of a story, in document order), so a
Change's `place` and `id` find its pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from . import ooxml as ox
from .model import Place, StoryKind
from .safezip import Package

_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}


@dataclass(frozen=True)
class Segment:
    text: str
    inserted: frozenset[str]  # ids of the w:ins / w:moveTo around it
    removed: frozenset[str]  # ids of the w:del / w:moveFrom around it

    def kept(self, accepted: set[str]) -> bool:
        """In the text once `accepted` changes are accepted and every other one rejected."""
        return self.inserted <= accepted and not (self.removed & accepted)


def paragraph_segments(package: Package) -> dict[Place, list[Segment]]:
    out: dict[Place, list[Segment]] = {}
    document = package.xml("word/document.xml")
    body = document.find(ox.w("body")) if document is not None else None
    if body is not None:
        for i, p in enumerate(body.iter(ox.P)):
            out[Place(StoryKind.BODY, None, i)] = _pieces(p)
    notes = package.xml("word/footnotes.xml") if package.has("word/footnotes.xml") else None
    if notes is not None:
        for note in notes:
            if note.tag == ox.w("footnote") and ox.attr(note, "type") not in _SEPARATORS:
                for i, p in enumerate(note.iter(ox.P)):
                    out[Place(StoryKind.FOOTNOTE, ox.attr(note, "id"), i)] = _pieces(p)
    return out


def _pieces(p: etree._Element) -> list[Segment]:
    out: list[Segment] = []

    def walk(node: etree._Element, ins: frozenset[str], rem: frozenset[str]) -> None:
        for child in node:
            tag = child.tag
            if tag in ox.INSERTED:
                walk(child, ins | {ox.attr(child, "id") or ""}, rem)
            elif tag in ox.REMOVED:
                walk(child, ins, rem | {ox.attr(child, "id") or ""})
            elif tag in ox.TEXT:
                _add(out, child.text or "", ins, rem)
            elif tag in ox.CHARACTERS:
                _add(out, ox.character(child), ins, rem)
            elif tag == ox.P:
                continue  # a paragraph inside this one (a text box) is its own place
            elif isinstance(tag, str) and tag not in (ox.PPR, ox.RPR):
                walk(child, ins, rem)

    walk(p, frozenset(), frozenset())
    return out


def _add(out: list[Segment], text: str, ins: frozenset[str], rem: frozenset[str]) -> None:
    if out and out[-1].inserted == ins and out[-1].removed == rem:
        out[-1] = Segment(out[-1].text + text, ins, rem)
    elif text:
        out.append(Segment(text, ins, rem))


def sent_text(pieces: list[Segment], baseline: set[str] = frozenset()) -> str:
    """The paragraph as it was sent: every reviewer's change rejected, the draft's own
    (`baseline`: Pressroom's changes of a --since draft, already in the version) accepted."""
    return "".join(s.text for s in pieces if s.kept(set(baseline)))


def apply_ops(pieces: list[Segment], accepted: set[str],
              baseline: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The edit from the sent text to the text with `accepted` changes: ("same", text),
    ("del", text) over the sent text in order, and ("ins", text) where text comes in."""
    ops: list[tuple[str, str]] = []
    for s in pieces:
        was, now = s.kept(set(baseline)), s.kept(set(baseline) | set(accepted))
        kind = "same" if was and now else "del" if was else "ins" if now else None
        if kind is None:
            continue
        if ops and ops[-1][0] == kind:
            ops[-1] = (kind, ops[-1][1] + s.text)
        else:
            ops.append((kind, s.text))
    return ops


def trimmed(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`ops` without the white space before and after the field's text (a note's number is
    followed by a space outside its bookmark)."""
    ops = list(ops)
    while ops and ops[0][0] != "ins" and not ops[0][1].strip():
        ops.pop(0)
    if ops and ops[0][0] != "ins":
        ops[0] = (ops[0][0], ops[0][1].lstrip())
    while ops and ops[-1][0] != "ins" and not ops[-1][1].strip():
        ops.pop()
    if ops and ops[-1][0] != "ins":
        ops[-1] = (ops[-1][0], ops[-1][1].rstrip())
    return [op for op in ops if op[1]]


def old_text(ops: list[tuple[str, str]]) -> str:
    return "".join(t for k, t in ops if k != "ins")


def new_text(ops: list[tuple[str, str]]) -> str:
    return "".join(t for k, t in ops if k != "del")
