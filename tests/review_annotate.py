"""A reviewer made of lxml: annotates one of our drafts with exactly the comments and tracked
changes it is told to, and says what it put where, so a test knows the count "in" without
asking the reader under test. The shapes are those of ECMA-376 Part 1, 17.13 (w:ins, w:del
with w:delText, w:rPrChange, commentRangeStart/End with a commentReference run).

    data, made = annotate(draft_bytes, [("insert", "pr_body_3"), ("comment", "about"), ...])
    made  # [("insertion", "pr_body_3"), ("comment", None), ...]: kind, the field expected

Targets: a bookmark name (the field's paragraph), "free N" (the N-th body paragraph with
text and no bookmark of ours: banner, headings, the About text: unplaced), "header" (the
header's text: unplaced). Kinds: insert, delete (the paragraph's last plain run becomes
deleted text; an insertion when none is left), format (bold, with the old properties kept),
comment (a range over the paragraph's runs), note (a comment with no range: only its
reference), reply (a second comment on the same range as the paragraph's last one).
"""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
KINDS = ("insert", "delete", "format", "comment", "note", "reply")
DATE = "2024-09-04T08:00:00Z"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def annotate(data: bytes, plan: list[tuple[str, str]], author: str = "Lena Legal"
             ) -> tuple[bytes, list[tuple[str, str | None]]]:
    parts = _unzip(data)
    trees = {name: etree.fromstring(parts[name]) for name in parts
             if name.startswith("word/") and name.endswith(".xml")}
    header = next((n for n in sorted(trees) if n.startswith("word/header")), None)
    if "word/comments.xml" not in trees:
        trees["word/comments.xml"] = etree.Element(w("comments"), nsmap={"w": W})
        _relate_comments(parts)
    comments = trees["word/comments.xml"]
    state = {"id": 9000, "comment": 1 + max((int(c.get(w("id"))) for c in comments),
                                            default=-1), "ranges": []}
    made: list[tuple[str, str | None]] = []
    free = _free(trees["word/document.xml"])  # before any edit takes a paragraph's text
    for kind, target in plan:
        p, field = _paragraph(trees, header, target, free)
        made.append(_do(kind, p, field, comments, state, author))
    for name, root in trees.items():
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            # A fixed time: the same plan gives the same bytes, whatever second it runs in.
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 9, 4, 8, 0, 0)), blob,
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue(), made


def _relate_comments(parts: dict[str, bytes]) -> None:
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/word/comments.xml",
                     ContentType="application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.comments+xml")
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    etree.SubElement(rels, f"{{{REL}}}Relationship", Id="rIdReview1", Type=COMMENTS_TYPE,
                     Target="comments.xml")
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                           encoding="UTF-8", standalone=True)


def fields(data: bytes) -> list[str]:
    """The bookmarks of our fields in a draft (what a plan may target)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = []
        for part in ("word/document.xml", "word/footnotes.xml"):
            root = etree.fromstring(z.read(part))
            names += [b.get(w("name")) for b in root.iter(w("bookmarkStart"))
                      if (b.get(w("name")) or "").startswith("pr_")]
    return names


def free_paragraphs(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return len(_free(etree.fromstring(z.read("word/document.xml"))))


def _free(document: etree._Element) -> list[etree._Element]:
    out = []
    for p in document.find(w("body")).iter(w("p")):
        ours = [b for b in p.iter(w("bookmarkStart"))
                if (b.get(w("name")) or "").startswith("pr_")]
        if not ours and "".join(t.text or "" for t in p.iter(w("t"))).strip():
            out.append(p)
    return out


def _paragraph(trees, header, target: str, free) -> tuple[etree._Element, str | None]:
    if target == "header":
        # Its text may be deleted already by an earlier edit of the plan: w:delText counts.
        p = next(p for p in trees[header].iter(w("p")) if "".join(
            t.text or "" for t in p.iter(w("t"), w("delText"))).strip())
        return p, None
    if target.startswith("free "):
        return free[int(target.split()[1])], None
    for part in ("word/document.xml", "word/footnotes.xml"):
        for b in trees[part].iter(w("bookmarkStart")):
            if b.get(w("name")) == target:
                return b.getparent(), target
    raise LookupError(target)


def _plain_runs(p: etree._Element) -> list[etree._Element]:
    return [r for r in p if r.tag == w("r") and r.find(w("t")) is not None]


def _stamp(el: etree._Element, state, author: str) -> etree._Element:
    el.set(w("id"), str(state["id"]))
    el.set(w("author"), author)
    el.set(w("date"), DATE)
    state["id"] += 1
    return el


def _do(kind: str, p, field, comments, state, author) -> tuple[str, str | None]:
    runs = _plain_runs(p)
    if kind == "delete" and runs:
        run = runs[-1]
        deleted = _stamp(etree.Element(w("del")), state, author)
        run.addprevious(deleted)
        deleted.append(run)
        for t in run.iter(w("t")):
            t.tag = w("delText")
        return "deletion", field
    if kind == "format" and runs:
        run = runs[0]
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        old = copy.deepcopy(rpr)
        for child in list(old):
            if child.tag == w("rPrChange"):
                old.remove(child)
        etree.SubElement(rpr, w("b"))
        change = _stamp(etree.SubElement(rpr, w("rPrChange")), state, author)
        change.append(old)
        return "formatting", field
    if kind in ("comment", "note", "reply"):
        cid = str(state["comment"])
        state["comment"] += 1
        # Keyed by the element itself (kept alive here): an lxml proxy's id() is reused.
        ranges = next((r for q, r in state["ranges"] if q is p), None)
        if ranges is None:
            ranges = []
            state["ranges"].append((p, ranges))
        if kind == "reply" and not ranges:
            kind = "comment"
        if kind == "comment":
            start = etree.Element(w("commentRangeStart"))
            start.set(w("id"), cid)
            end = etree.Element(w("commentRangeEnd"))
            end.set(w("id"), cid)
            first = next((c for c in p if c.tag != w("pPr")), None)
            if first is not None:
                first.addprevious(start)
            else:
                p.append(start)
            p.append(end)
            ranges.append((start, end))
        elif kind == "reply":
            start0, end0 = ranges[-1]
            start = etree.Element(w("commentRangeStart"))
            start.set(w("id"), cid)
            end = etree.Element(w("commentRangeEnd"))
            end.set(w("id"), cid)
            start0.addnext(start)
            end0.addprevious(end)
        ref = etree.SubElement(p, w("r"))
        etree.SubElement(ref, w("commentReference")).set(w("id"), cid)
        c = etree.SubElement(comments, w("comment"))
        c.set(w("id"), cid)
        c.set(w("author"), author)
        c.set(w("initials"), "LL")
        c.set(w("date"), DATE)
        cp = etree.SubElement(c, w("p"))
        etree.SubElement(etree.SubElement(cp, w("r")), w("t")).text = f"Note {cid} on this."
        return "comment", field
    # insert (and a delete or format with no plain run left)
    inserted = _stamp(etree.Element(w("ins")), state, author)
    r = etree.SubElement(inserted, w("r"))
    t = etree.SubElement(r, w("t"))
    t.text = f" added {state['id']}"
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    end = [c for c in p if c.tag == w("bookmarkEnd")]
    (end[-1].addprevious if end else p.append)(inserted)
    return "insertion", field


def track(data: bytes, field: str, find: str, *, insert: str | None = None,
          delete: bool = False, author: str = "Lena Legal", change_id: int = 8000) -> bytes:
    """One word-level tracked edit in a field's paragraph: the run holding `find` is split
    so that `find` is its own run, which is deleted (`delete`) or followed by an insertion."""
    parts = _unzip(data)
    for part in ("word/document.xml", "word/footnotes.xml"):
        root = etree.fromstring(parts[part])
        start = next((b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == field),
                     None)
        if start is None:
            continue
        p = start.getparent()
        run = next(r for r in p.iter(w("r")) if r.find(w("t")) is not None
                   and find in (r.find(w("t")).text or "")
                   and not any(a.tag in (w("ins"), w("del")) for a in r.iterancestors()))
        text = run.find(w("t")).text
        at = text.index(find)
        pieces = [text[:at], find, text[at + len(find):]]
        made = []
        for piece in pieces:
            r = copy.deepcopy(run)
            r.find(w("t")).text = piece
            r.find(w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            made.append(r)
        for r in made:
            run.addprevious(r)
        run.getparent().remove(run)
        for r in (made[0], made[2]):
            if not r.find(w("t")).text:
                r.getparent().remove(r)
        middle = made[1]
        if delete:
            d = etree.Element(w("del"))
            for k, v in ((w("id"), str(change_id)), (w("author"), author), (w("date"), DATE)):
                d.set(k, v)
            middle.addprevious(d)
            d.append(middle)
            middle.find(w("t")).tag = w("delText")
        if insert is not None:
            i = etree.Element(w("ins"))
            for k, v in ((w("id"), str(change_id + 1)), (w("author"), author),
                         (w("date"), DATE)):
                i.set(k, v)
            r = copy.deepcopy(run)
            r.find(w("t")).text = insert
            r.find(w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            i.append(r)
            (d if delete else middle).addnext(i)
        parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
        break
    else:
        raise LookupError(field)
    return _zip(parts)


def untracked(data: bytes, old: str, new: str) -> bytes:
    """The file with `old` replaced by `new` in the body's text, no change tracked: what a
    reviewer with Track Changes off sends back."""
    parts = _unzip(data)
    root = etree.fromstring(parts["word/document.xml"])
    t = next(t for t in root.iter(w("t")) if old in (t.text or ""))
    t.text = t.text.replace(old, new, 1)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return _zip(parts)


def untracked_paragraph(data: bytes, after: str, text: str) -> bytes:
    """A paragraph typed in after a field's with Track Changes off."""
    parts = _unzip(data)
    root = etree.fromstring(parts["word/document.xml"])
    start = next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == after)
    p = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
    start.getparent().addnext(p)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return _zip(parts)


def renamed_bookmarks(data: bytes) -> bytes:
    """Every bookmark of ours renamed, as Google Docs renames bookmarks ("id.5x1..."): the
    names Docs writes are its own; these are made up here in that shape."""
    parts = _unzip(data)
    for part in ("word/document.xml", "word/footnotes.xml"):
        root = etree.fromstring(parts[part])
        for n, b in enumerate(root.iter(w("bookmarkStart"))):
            if (b.get(w("name")) or "").startswith("pr_"):
                b.set(w("name"), f"id.{n:04x}kq9")
        parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    return _zip(parts)


def move(data: bytes, source: str, find: str, target: str, after: str,
         author: str = "Lena Legal") -> bytes:
    """Word's tracked move (ECMA-376 17.13.5.22-25): `find` cut from the field `source`
    (inside w:moveFrom, within a moveFromRange named "move1") and put after `after` in the
    field `target` (w:moveTo within the moveToRange of the same name)."""
    data = track(data, source, find, change_id=7000)
    data = track(data, target, after, change_id=7100)
    parts = _unzip(data)
    root = etree.fromstring(parts["word/document.xml"])

    def field_run(field: str, text: str) -> etree._Element:
        start = next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == field)
        return next(r for r in start.getparent().iter(w("r"))
                    if r.find(w("t")) is not None and r.find(w("t")).text == text)

    def stamp(el, n):
        for k, v in ((w("id"), str(n)), (w("author"), author), (w("date"), DATE)):
            el.set(k, v)
        return el

    def ranged(run, kind: str, first: int) -> None:
        start = stamp(etree.Element(w(f"{kind}RangeStart")), first)
        start.set(w("name"), "move1")
        change = stamp(etree.Element(w(kind)), first + 1)
        end = etree.Element(w(f"{kind}RangeEnd"))
        end.set(w("id"), str(first))
        run.addprevious(start)
        start.addnext(change)
        change.append(run)
        change.addnext(end)
        return change

    ranged(field_run(source, find), "moveFrom", 7200)
    anchor = field_run(target, after)
    moved = copy.deepcopy(anchor)
    moved.find(w("t")).text = find
    anchor.addnext(moved)
    ranged(moved, "moveTo", 7300)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return _zip(parts)


def split(data: bytes, field: str, after: str, author: str = "Lena Legal",
          change_id: int = 8500) -> bytes:
    """Enter pressed, tracked, after `after` in a body field's paragraph, as Word writes it
    (ECMA-376 17.13.5.16: the first paragraph's mark, in its pPr's rPr, is a w:ins; the
    text after the break is a new w:p with the same paragraph properties)."""
    parts = _unzip(data)
    root = etree.fromstring(parts["word/document.xml"])
    start = next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == field)
    p = start.getparent()
    run = next(r for r in p.iter(w("r")) if after in "".join(t.text or "" for t in
                                                             r.iter(w("t"))))
    t = run.find(w("t"))
    at = t.text.index(after) + len(after)
    rest = copy.deepcopy(run)
    t.text, rest.find(w("t")).text = t.text[:at], t.text[at:]
    for el in (t, rest.find(w("t"))):
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    second = etree.Element(w("p"))
    ppr = p.find(w("pPr"))
    if ppr is not None:
        kept = copy.deepcopy(ppr)  # the second part ends with the paragraph's own mark
        for mark in kept.findall(f"{w('rPr')}/{w('ins')}"):
            mark.getparent().remove(mark)
        second.append(kept)
    second.append(rest)
    for sibling in list(run.itersiblings()):
        second.append(sibling)
    p.addnext(second)
    _track_mark(p, "ins", change_id, author)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return _zip(parts)


def join(data: bytes, field: str, author: str = "Lena Legal", change_id: int = 8700) -> bytes:
    """The mark of a field's last paragraph deleted, tracked: that paragraph and the next
    become one on accept (ECMA-376 17.13.5.15, w:del in the mark's run properties)."""
    parts = _unzip(data)
    root = etree.fromstring(parts["word/document.xml"])
    start = next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == field)
    end = next(b for b in root.iter(w("bookmarkEnd")) if b.get(w("id")) == start.get(w("id")))
    p = end.getparent() if end.getparent().tag == w("p") else start.getparent()
    _track_mark(p, "del", change_id, author)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return _zip(parts)


def _track_mark(p: etree._Element, kind: str, change_id: int, author: str) -> None:
    """The paragraph's mark inserted or deleted, tracked: a w:ins or w:del in the run
    properties of its pPr (ECMA-376 17.13.5.16 and .15)."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))
    mark = etree.SubElement(rpr, w(kind))
    for k, v in ((w("id"), str(change_id)), (w("author"), author), (w("date"), DATE)):
        mark.set(k, v)


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 9, 4, 8, 0, 0)), blob,
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
