"""Read every comment and tracked change of a .docx, whichever client wrote it.

    review = read_review("draft-reviewed.docx")   # a Review (model.py); reads, writes nothing

Each story (the body, each footnote and endnote, headers, footers, each comment) is walked
once in document order. Threads are read the way each client writes them:

- Word 2013 and later: `word/commentsExtended.xml`, one `w15:commentEx` per comment, keyed by
  the `w14:paraId` of the comment's LAST paragraph; `w15:paraIdParent` names the parent's,
  `w15:done="1"` marks it resolved ([MS-DOCX] 2.5.3.1 CT_CommentEx). Word 2016 and later add
  `commentsIds.xml` (`w16cid:durableId`) and Word 365 `commentsExtensible.xml` (`dateUtc`),
  reported as they are.
- Google Docs writes no commentsExtended: a reply is a comment whose range has exactly the same
  start and end as an earlier one. So a comment without a `commentEx` entry whose range equals
  an earlier comment's (by date) replies to the first such comment
  (`thread_source="shared-range"`).
- LibreOffice writes commentsExtended only for resolved comments and loses reply links: what
  is there is reported, and the shared-range rule applies to the rest.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..render.oxml import unmarked
from . import ooxml as ox
from .model import Change, ChangeKind, Comment, Paragraph, Place, Review, StoryKind
from .safezip import Package, open_docx

_REL_TYPES = {"footnotes": StoryKind.FOOTNOTE, "endnotes": StoryKind.ENDNOTE,
              "header": StoryKind.HEADER, "footer": StoryKind.FOOTER}
_COMMENT_PARTS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_RUN_CHANGES = {ox.INS: ChangeKind.INSERTION, ox.DEL: ChangeKind.DELETION,
                ox.MOVE_FROM: ChangeKind.MOVE_FROM, ox.MOVE_TO: ChangeKind.MOVE_TO}
_MARK_CHANGES = {ox.INS: ChangeKind.MARK_INSERTION, ox.DEL: ChangeKind.MARK_DELETION,
                 ox.MOVE_FROM: ChangeKind.MOVE_FROM, ox.MOVE_TO: ChangeKind.MOVE_TO}
# Formatting records hold the old properties; they never change the text.
_FORMAT_CHANGES = {ox.w(n) for n in ("rPrChange", "pPrChange", "tblPrChange", "trPrChange",
                                     "tcPrChange", "sectPrChange", "tblPrExChange",
                                     "tblGridChange", "numberingChange")}
_DETAIL = {"tbl": "table", "tr": "table row", "tc": "table cell"}
_SECT_PR, _NUM_PR = ox.w("sectPr"), ox.w("numPr")
# Properties that sit inside pPr without being the paragraph's own formatting.
_NOT_COMPARED = {ox.RPR, ox.w("sectPr"), ox.w("pPrChange"), ox.w("rPrChange")}


def read_review(path: str | Path | bytes, name: str | None = None) -> Review:
    """Every comment, tracked change and paragraph of the .docx at `path` (or of a file's
    bytes, named `name` in messages). Raises ReviewFileError (file and part named) for a
    file that is not a readable Word file."""
    if isinstance(path, bytes):
        data, path = path, Path(name or "the Word file")
    else:
        data = None
    with open_docx(data if data is not None else path, str(path)) as package:
        stories, comment_parts = _parts(package)
        document = package.xml("word/document.xml")
        body = document.find(ox.w("body")) if document is not None else None
        if body is None:
            strict = document is not None and etree.QName(document).namespace == _STRICT_W
            raise package.refuse("Strict Open XML is not read: save it from Word as a Word "
                                 "Document (.docx)" if strict else
                                 "it holds no document body (not a Word document)",
                                 "word/document.xml")
        walker = _Walker()
        walker.story(StoryKind.BODY, None, body)
        for kind, name in stories:
            root = package.xml(name)
            if root is None:
                continue
            if kind in (StoryKind.FOOTNOTE, StoryKind.ENDNOTE):
                for note in root:
                    if note.tag in (ox.w("footnote"), ox.w("endnote")) and \
                            ox.attr(note, "type") not in _SEPARATORS:
                        walker.story(kind, ox.attr(note, "id"), note)
            else:
                walker.story(kind, name, root)
        extra = {key: package.xml(name) for key, name in comment_parts.items()}
        comments_root = extra.pop("comments", None)
        comments = (_comments(walker, comments_root, extra, package)
                    if comments_root is not None else ())
        return Review(path=str(path), comments=comments, changes=tuple(walker.changes),
                      paragraphs=tuple(walker.paragraphs))


def _parts(package: Package) -> tuple[list[tuple[StoryKind, str]], dict[str, str]]:
    """The stories and comment parts the main document relates to, by relationship type as
    Word resolves them (the usual names when the document has no relationships part)."""
    stories: list[tuple[StoryKind, str]] = []
    comments: dict[str, str] = {}
    rels = package.xml("word/_rels/document.xml.rels")
    if rels is None:
        stories = [(StoryKind.FOOTNOTE, "word/footnotes.xml"),
                   (StoryKind.ENDNOTE, "word/endnotes.xml")]
        comments = {key: f"word/{key}.xml" for key in _COMMENT_PARTS}
    else:
        for rel in rels.iter(f"{{{ox.REL}}}Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            name = (target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join("word", target)))
            if kind in _REL_TYPES:
                stories.append((_REL_TYPES[kind], name))
            elif kind in _COMMENT_PARTS:
                comments.setdefault(kind, name)
    order = list(StoryKind)
    stories = sorted({s for s in stories if package.has(s[1])},
                     key=lambda s: (order.index(s[0]), s[1]))
    return stories, {k: v for k, v in comments.items() if package.has(v)}


@dataclass
class _Range:
    place: Place
    start: tuple
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    end: tuple | None = None


@dataclass
class _Walker:
    """One pass over each story: changes, paragraphs, comment ranges and references."""

    changes: list[Change] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    ranges: dict[str, _Range] = field(default_factory=dict)  # closed and open, by comment id
    references: dict[str, Place] = field(default_factory=dict)

    def story(self, kind: StoryKind, note: str | None, root: etree._Element) -> None:
        self.kind, self.note = kind, note
        self.count = 0  # paragraphs started in this story
        self.current: list[int] = []  # the paragraph being walked (a stack: text boxes nest)
        self.offset = 0  # characters so far in the current paragraph, changes or not
        self.open: dict[str, _Range] = {}
        self.moves: dict[str, dict[str, str]] = {"from": {}, "to": {}}
        self.inserted = self.removed = 0
        self.pending_bookmarks: list[str] = []
        self.texts: list[tuple[list[str], list[str]]] = []  # the paragraphs being read
        self._walk(root)

    def place(self) -> Place:
        index = self.current[-1] if self.current else max(self.count - 1, 0)
        return Place(self.kind, self.note, index)

    def _walk(self, node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            handler = _HANDLERS.get(tag)
            if handler is not None:
                handler(self, node, child)
            elif type(tag) is str:  # not an XML comment or processing instruction
                self._walk(child)

    def _on_properties(self, _parent: etree._Element, pr: etree._Element) -> None:
        """rPr and pPr: only their change records matter, one level down (a paragraph
        mark's rPr and a section's sectPr one more); their many plain properties are not
        walked."""
        for child in pr:
            tag = child.tag
            if tag in _FORMAT_CHANGES:
                self._on_format_change(pr, child)
            elif tag in _RUN_CHANGES:
                self._on_change(pr, child)
            elif tag == ox.RPR or tag == _SECT_PR:
                self._on_properties(pr, child)
            elif tag == _NUM_PR:
                # Numbering added (w:ins, ECMA-376 17.13.5.19) or changed (numberingChange):
                # the list formatting of the paragraph, not its text.
                for mark in child:
                    if mark.tag == ox.INS or mark.tag in _FORMAT_CHANGES:
                        p = pr.getparent()
                        self._add(mark, ChangeKind.FORMATTING,
                                  ox.run_text(p) if p is not None else "",
                                  properties=("numPr",), detail="numbering")

    # --- text and paragraphs ---------------------------------------------------------------

    def _on_text(self, _parent: etree._Element, el: etree._Element) -> None:
        self._text(unmarked(el.text or ""))  # not the marks the renderer adds

    def _on_character(self, _parent: etree._Element, el: etree._Element) -> None:
        self._text(ox.character(el))

    def _text(self, text: str) -> None:
        self.offset += len(text)
        if self.texts:
            accepted, rejected = self.texts[-1]
            if not self.removed:
                accepted.append(text)
            if not self.inserted:
                rejected.append(text)
        for r in self.open.values():
            if not self.removed:
                r.accepted.append(text)
            if not self.inserted:
                r.rejected.append(text)

    def _on_p(self, _parent: etree._Element, p: etree._Element) -> None:
        index = self.count
        self.count += 1
        self.current.append(index)
        saved, self.offset = self.offset, 0
        at = len(self.paragraphs)
        self.paragraphs.append(None)  # type: ignore[arg-type]  # filled below, in order
        self.texts.append(([], []))
        self._walk(p)
        accepted, rejected = self.texts.pop()
        for r in self.open.values():  # a range that goes on past this paragraph's mark
            r.accepted.append("\n")
            r.rejected.append("\n")
        self.paragraphs[at] = Paragraph(Place(self.kind, self.note, index), "".join(accepted),
                                        "".join(rejected), tuple(self.pending_bookmarks))
        self.pending_bookmarks = []
        self.current.pop()
        self.offset = saved

    def _on_bookmarkStart(self, _parent: etree._Element, el: etree._Element) -> None:
        name = ox.attr(el, "name")
        if name and name != "_GoBack":  # Word's own "last edit" mark
            self.pending_bookmarks.append(name)

    # --- comments ---------------------------------------------------------------------------

    def _position(self) -> tuple:
        if self.current:
            return (self.kind, self.note, self.current[-1], self.offset)
        return (self.kind, self.note, self.count, 0)  # between paragraphs: the next one

    def _on_commentRangeStart(self, _parent: etree._Element, el: etree._Element) -> None:
        cid = ox.attr(el, "id")
        if cid is not None and cid not in self.ranges:
            position = self._position()
            r = _Range(Place(self.kind, self.note, position[2]), position)
            self.ranges[cid] = self.open[cid] = r

    def _on_commentRangeEnd(self, _parent: etree._Element, el: etree._Element) -> None:
        r = self.open.pop(ox.attr(el, "id") or "", None)
        if r is not None:
            r.end = self._position()

    def _on_commentReference(self, _parent: etree._Element, el: etree._Element) -> None:
        cid = ox.attr(el, "id")
        if cid is not None:
            self.references.setdefault(cid, self.place())

    # --- moves ----------------------------------------------------------------------------

    def _on_moveFromRangeStart(self, _parent: etree._Element, el: etree._Element) -> None:
        self.moves["from"][ox.attr(el, "id") or ""] = ox.attr(el, "name") or ""

    def _on_moveToRangeStart(self, _parent: etree._Element, el: etree._Element) -> None:
        self.moves["to"][ox.attr(el, "id") or ""] = ox.attr(el, "name") or ""

    def _on_moveFromRangeEnd(self, _parent: etree._Element, el: etree._Element) -> None:
        self.moves["from"].pop(ox.attr(el, "id") or "", None)

    def _on_moveToRangeEnd(self, _parent: etree._Element, el: etree._Element) -> None:
        self.moves["to"].pop(ox.attr(el, "id") or "", None)

    def _move_name(self, kind: ChangeKind) -> str | None:
        if kind is ChangeKind.MOVE_FROM:
            names = list(self.moves["from"].values())
        elif kind is ChangeKind.MOVE_TO:
            names = list(self.moves["to"].values())
        else:
            return None
        return names[-1] if names else None

    # --- changes ----------------------------------------------------------------------------

    def _add(self, el: etree._Element, kind: ChangeKind, text: str, **extra) -> None:
        self.changes.append(Change(id=ox.attr(el, "id") or "", kind=kind,
                                   author=ox.attr(el, "author") or "",
                                   date=ox.attr(el, "date"), text=text, place=self.place(),
                                   **extra))

    def _on_change(self, parent: etree._Element, el: etree._Element) -> None:
        if parent.tag in (ox.RPR, ox.TRPR):
            self._mark_or_row_change(parent, el)
            return
        kind = _RUN_CHANGES[el.tag]
        self._add(el, kind, ox.run_text(el), move_name=self._move_name(kind))
        inserted = el.tag in ox.INSERTED
        if inserted:
            self.inserted += 1
        else:
            self.removed += 1
        self._walk(el)
        if inserted:
            self.inserted -= 1
        else:
            self.removed -= 1

    def _mark_or_row_change(self, parent: etree._Element, el: etree._Element) -> None:
        if parent.tag == ox.TRPR:
            row = parent.getparent()
            kind = ChangeKind.INSERTION if el.tag == ox.INS else ChangeKind.DELETION
            self._add(el, kind, ox.run_text(row) if row is not None else "",
                      detail="table row")
            # trPr comes before the row's first paragraph: the change is at that paragraph.
            self.changes[-1] = dataclasses.replace(self.changes[-1], place=Place(
                self.kind, self.note, self.count))
            return
        kind = _MARK_CHANGES[el.tag]
        self._add(el, kind, "", move_name=self._move_name(kind), detail="paragraph mark")

    def _on_format_change(self, parent: etree._Element, el: etree._Element) -> None:
        old = el[0] if len(el) and isinstance(el[0].tag, str) else None
        props = _changed(parent, old, el.tag)
        holder = parent.getparent()
        if parent.tag == ox.RPR and holder is not None and holder.tag == ox.R:
            text, detail = ox.run_text(holder), None
        elif parent.tag == ox.RPR:
            text, detail = "", "paragraph mark"
        elif parent.tag == ox.PPR:
            text, detail = ox.run_text(holder) if holder is not None else "", "paragraph"
        elif parent.tag == ox.w("sectPr"):
            text, detail = "", "section"
        else:  # tblPr, tblGrid, trPr, tblPrEx, tcPr: the table, row or cell they format
            text = ox.run_text(holder) if holder is not None else ""
            detail = _DETAIL.get(etree.QName(holder).localname if holder is not None else "",
                                 etree.QName(parent).localname)
        self._add(el, ChangeKind.FORMATTING, text, properties=props, detail=detail)


_HANDLERS = {
    **{tag: _Walker._on_text for tag in ox.TEXT},
    **{tag: _Walker._on_character for tag in ox.CHARACTERS},
    **{tag: _Walker._on_change for tag in _RUN_CHANGES},
    **{tag: _Walker._on_format_change for tag in _FORMAT_CHANGES},
    ox.P: _Walker._on_p,
    ox.RPR: _Walker._on_properties,
    ox.PPR: _Walker._on_properties,
    **{ox.w(name): getattr(_Walker, f"_on_{name}") for name in (
        "bookmarkStart", "commentRangeStart", "commentRangeEnd", "commentReference",
        "moveFromRangeStart", "moveToRangeStart", "moveFromRangeEnd", "moveToRangeEnd")},
}


def _changed(current: etree._Element, old: etree._Element | None,
             change_tag: str) -> tuple[str, ...]:
    """The property names whose value differs between the current properties and the old
    ones a formatting record keeps (added, removed or changed)."""
    if change_tag == ox.w("tblGridChange"):
        return ("tblGrid",)

    def props(el: etree._Element | None) -> dict[str, bytes]:
        if el is None:
            return {}
        return {etree.QName(c).localname: etree.tostring(c) for c in el
                if isinstance(c.tag, str) and c.tag not in _NOT_COMPARED
                and c.tag not in _FORMAT_CHANGES}

    now, before = props(current), props(old)
    return tuple(sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k)))


def _comments(walker: _Walker, root: etree._Element, extra: dict[str, etree._Element | None],
              package: Package) -> tuple[Comment, ...]:
    """The comments of comments.xml in its order, with anchors from the walk and threads
    from whichever parts the client wrote."""
    threads: dict[str, tuple[str | None, bool]] = {}
    if extra.get("commentsExtended") is not None:
        for ex in extra["commentsExtended"].iter(f"{{{ox.W15}}}commentEx"):
            pid = ox.attr(ex, "paraId", ox.W15)
            if pid:
                threads[pid.upper()] = (ox.attr(ex, "paraIdParent", ox.W15),
                                        ox.attr(ex, "done", ox.W15) in ("1", "true", "on"))
    durable: dict[str, str] = {}
    if extra.get("commentsIds") is not None:
        for cid in extra["commentsIds"].iter(f"{{{ox.W16CID}}}commentId"):
            pid, did = ox.attr(cid, "paraId", ox.W16CID), ox.attr(cid, "durableId", ox.W16CID)
            if pid and did:
                durable[pid.upper()] = did
    utc: dict[str, str] = {}
    if extra.get("commentsExtensible") is not None:
        for cex in extra["commentsExtensible"].iter(f"{{{ox.W16CEX}}}commentExtensible"):
            did, date = ox.attr(cex, "durableId", ox.W16CEX), ox.attr(cex, "dateUtc", ox.W16CEX)
            if did and date:
                utc[did.upper()] = date

    rows = []
    by_para: dict[str, str] = {}
    for c in root.iter(ox.w("comment")):
        cid = ox.attr(c, "id")
        if cid is None:
            raise package.refuse(f"a comment (line {c.sourceline}) has no w:id",
                                 "word/comments.xml")
        paras = c.findall(f".//{ox.P}")
        para_id = ox.attr(paras[-1], "paraId", ox.W14) if paras else None
        if para_id:
            by_para.setdefault(para_id.upper(), cid)
        first = len(walker.paragraphs)
        walker.story(StoryKind.COMMENT, cid, c)  # changes made inside the comment's text
        text = "\n".join(p.accepted for p in walker.paragraphs[first:])
        rows.append((c, cid, text, para_id.upper() if para_id else None))

    # Google Docs (and LibreOffice 7.4) keep no reply links: the first comment on a range,
    # by date and then by place in comments.xml (LibreOffice writes a reply before its
    # parent), heads the comments that share the range exactly.
    first_of_range: dict[tuple, tuple[str, int, str]] = {}
    for order, (c, cid, _text, _pid) in enumerate(rows):
        r = walker.ranges.get(cid)
        if r is not None and r.end is not None:
            mark = (ox.attr(c, "date") or "", order, cid)
            key = (r.start, r.end)
            first_of_range[key] = min(first_of_range.get(key, mark), mark)

    out: list[Comment] = []
    for c, cid, text, para_id in rows:
        r = walker.ranges.get(cid)
        parent, resolved, source = None, False, None
        if para_id and para_id in threads:
            parent_para, resolved = threads[para_id]
            parent = by_para.get(parent_para.upper()) if parent_para else None
            source = "commentsExtended"
        if source is None and r is not None and r.end is not None:
            first = first_of_range[(r.start, r.end)][2]
            if first != cid:
                parent, source = first, "shared-range"
        did = durable.get(para_id) if para_id else None
        out.append(Comment(
            id=cid, author=ox.attr(c, "author") or "", initials=ox.attr(c, "initials") or "",
            date=ox.attr(c, "date"),
            text=text,
            place=r.place if r is not None else walker.references.get(cid),
            anchor="".join(r.accepted).rstrip("\n") if r is not None else None,
            anchor_original="".join(r.rejected).rstrip("\n") if r is not None else None,
            parent=parent, resolved=resolved, thread_source=source, para_id=para_id,
            durable_id=did, date_utc=utc.get(did.upper()) if did else None))
    return tuple(out)
