"""A staff member's Word draft (.docx, not one of ours) read into lines, like a saved page.

The draft's structure comes from Word itself, not from guessing: a paragraph styled Title is
the title, Heading 1-3 are headings, numbered and bulleted paragraphs (Word's numbering, or
the List Number / List Bullet styles) are list items, bold and italic runs are emphasis,
hyperlinks are links and Word's own footnotes become the record's footnotes. Everything else
(dateline, endorsers, contacts, About block) is recognised by the same rules as a text
export, so a Word draft gets the same diagnostics.

A .docx is a zip of XML from outside: it is opened through `review.safezip`, as a reviewer's
file is, so a zip bomb or an entity bomb is refused, never expanded.

Line numbers in messages are the paragraph's number in the document (1 for its first
paragraph), which is what a person can find by scrolling in Word.

A draft someone reviewed with tracked changes is read as it would print with every change
accepted (insertions kept, deletions dropped), and the changes and comments are counted in a
warning: they are not lost from the file, but the record holds only the accepted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ImportRefused, ReviewFileError
from ..review.safezip import open_docx
from .sources import Line, Source, escape_inline, escape_line_start

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK = R + "/hyperlink"
_W = f"{{{W}}}"


def _w(name: str) -> str:
    return _W + name


# Word's built-in style names, as Word writes them in styles.xml (lowercase "heading 1"),
# with the names LibreOffice and Google Docs write for the same styles.
_TITLE_STYLES = {"title"}
_HEADING = re.compile(r"^(?:heading|überschrift|titre)\s*([1-9])$", re.IGNORECASE)
_BULLET_STYLES = re.compile(r"^list bullet(?: \d)?$", re.IGNORECASE)
_NUMBER_STYLES = re.compile(r"^list number(?: \d)?$", re.IGNORECASE)
_FALSE = {"0", "false", "off", "none"}


def is_docx(path: str) -> bool:
    return path.lower().endswith(".docx")


@dataclass
class _Package:
    document: object
    styles: dict[str, str]  # style id -> lowercase style name
    style_numbering: dict[str, str]  # style id -> numId its paragraph properties give
    numbering: dict[tuple[str, int], str]  # (numId, level) -> numFmt ("decimal", "bullet")
    links: dict[str, str]  # relationship id -> external address
    footnotes: dict[str, object]  # footnote id -> its <w:footnote>
    comments: int


def read_docx_source(data: bytes, path: str) -> Source:
    """The statement in a Word draft, as lines; a draft with no text is refused."""
    try:
        with open_docx(data, path) as package:
            pkg = _read_package(package, path)
    except ReviewFileError as exc:
        raise ImportRefused(path, f"{exc.reason} ({exc.part})" if exc.part else exc.reason
                            ) from None
    reader = _Reader(pkg)
    reader.read()
    if not reader.lines:
        raise ImportRefused(path, "a Word file with no text")
    problems = []
    if reader.changes:
        problems.append((1, (
            f"the draft has {reader.changes} tracked change(s); it was read with every change "
            "accepted: check the record against the draft, or review it with "
            "`pressroom review inspect`")))
    if pkg.comments:
        problems.append((1, (
            f"the draft has {pkg.comments} comment(s); comments are not part of the "
            "statement and were not imported: `pressroom review inspect` lists them")))
    problems.extend(reader.problems)
    return Source(path, tuple(reader.lines), titles=tuple(reader.titles),
                  problems=tuple(problems))


def _read_package(package, path: str) -> _Package:
    ours = _our_statement(package.xml("docProps/custom.xml"))
    if ours:
        raise ImportRefused(path, (
            f"this is Pressroom's own Word file of statement {ours!r}, not a new draft: a "
            "reviewer's comments and changes on it come back with `pressroom review ingest`"))
    pkg = _Package(document=package.xml("word/document.xml"), styles={}, style_numbering={},
                   numbering={}, links={}, footnotes={}, comments=0)
    _read_styles(package.xml("word/styles.xml"), pkg)
    _read_numbering(package.xml("word/numbering.xml"), pkg)
    _read_links(package.xml("word/_rels/document.xml.rels"), pkg)
    notes = package.xml("word/footnotes.xml")
    if notes is not None:
        for note in notes.iter(_w("footnote")):
            if note.get(_w("type")) in (None, "normal"):
                pkg.footnotes[note.get(_w("id"), "")] = note
    comments = package.xml("word/comments.xml")
    if comments is not None:
        pkg.comments = sum(1 for _ in comments.iter(_w("comment")))
    return pkg


def _our_statement(custom) -> str | None:
    """The statement id our renderer writes into a Word file's custom properties."""
    if custom is None:
        return None
    for prop in custom:
        if prop.get("name") == "statement_id" and len(prop):
            return (prop[0].text or "").strip() or None
    return None


def _read_styles(root, pkg: _Package) -> None:
    if root is None:
        return
    for style in root.iter(_w("style")):
        sid = style.get(_w("styleId"))
        name = style.find(_w("name"))
        if sid and name is not None:
            pkg.styles[sid] = (name.get(_w("val")) or "").strip().lower()
        num = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        if sid and num is not None:
            pkg.style_numbering[sid] = num.get(_w("val"), "")


def _read_numbering(root, pkg: _Package) -> None:
    if root is None:
        return
    abstract: dict[str, dict[int, str]] = {}
    for node in root.iter(_w("abstractNum")):
        levels = abstract.setdefault(node.get(_w("abstractNumId"), ""), {})
        for lvl in node.iter(_w("lvl")):
            fmt = lvl.find(_w("numFmt"))
            levels[_int(lvl.get(_w("ilvl")))] = fmt.get(_w("val"), "") if fmt is not None \
                else "decimal"
    for num in root.iter(_w("num")):
        ref = num.find(_w("abstractNumId"))
        if ref is None:
            continue
        for level, fmt in abstract.get(ref.get(_w("val"), ""), {}).items():
            pkg.numbering[(num.get(_w("numId"), ""), level)] = fmt


def _read_links(root, pkg: _Package) -> None:
    if root is None:
        return
    for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
        if rel.get("Type") == HYPERLINK and rel.get("TargetMode") == "External":
            pkg.links[rel.get("Id", "")] = rel.get("Target", "")


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@dataclass
class _Run:
    """Text gathered for one paragraph: plain, Markdown, and the emphasis now open."""

    text: list[str] = field(default_factory=list)
    md: list[str] = field(default_factory=list)


_CHANGES = frozenset(_w(t) for t in ("ins", "del", "moveTo", "moveFrom"))
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Reader:
    def __init__(self, pkg: _Package):
        self.pkg = pkg
        self.lines: list[Line] = []
        self.titles: list[tuple[str, str]] = []
        self.problems: list[tuple[int, str]] = []
        self.changes = 0
        self.paragraph = 0
        self.note_numbers: dict[str, int] = {}  # Word footnote id -> number in the record
        self.counters: dict[tuple[str, int], int] = {}

    def read(self) -> None:
        body = self.pkg.document.find(_w("body"))
        if body is None:
            return
        for p in _paragraphs(body):
            self.paragraph += 1
            self._paragraph(p)
        if self.note_numbers:
            for wid, number in sorted(self.note_numbers.items(), key=lambda kv: kv[1]):
                text, md = self._inline_of(_paragraphs(self.pkg.footnotes[wid]))
                text, md = text.strip(), md.strip()
                if not text:
                    self.problems.append((self.paragraph, (
                        f"footnote {number} of the draft has no text; its marker was kept: "
                        "write the note")))
                self.lines.append(Line(self.paragraph, f"[{number}] {text}",
                                       f"[{number}] {md}"))

    def _paragraph(self, p) -> None:
        style = self._style(p)
        text, md = self._inline_of([p])
        text, md = " ".join(text.split()), " ".join(md.split())
        if not text:
            return
        if style in _TITLE_STYLES and not self.titles:
            self.titles.append(("the Word draft's Title paragraph", text))
            return
        heading = _HEADING.match(style)
        if heading:
            mark = "#" * max(2, min(int(heading.group(1)) + 1, 4)) + " "
            self.lines.append(Line(self.paragraph, text, mark + md))
            return
        bullet = self._list_mark(p, style)
        md = escape_line_start(md)
        self.lines.append(Line(self.paragraph, bullet + text, bullet + md))

    def _style(self, p) -> str:
        sid = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        return self.pkg.styles.get(sid.get(_w("val"), ""), "") if sid is not None else ""

    def _list_mark(self, p, style: str) -> str:
        numpr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        num_id, level = None, 0
        if numpr is not None:
            nid, lvl = numpr.find(_w("numId")), numpr.find(_w("ilvl"))
            num_id = nid.get(_w("val")) if nid is not None else None
            level = _int(lvl.get(_w("val"))) if lvl is not None else 0
        else:
            sid = p.find(f"{_w('pPr')}/{_w('pStyle')}")
            if sid is not None:
                num_id = self.pkg.style_numbering.get(sid.get(_w("val"), ""))
        if num_id and num_id != "0":
            fmt = self.pkg.numbering.get((num_id, level), "decimal")
        elif _BULLET_STYLES.match(style):
            fmt, num_id = "bullet", "style"
        elif _NUMBER_STYLES.match(style):
            fmt, num_id = "decimal", "style"
        else:
            return ""
        if fmt in ("bullet", "none"):
            return "- "
        key = (num_id, level)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{self.counters[key]}. "

    def _inline_of(self, paragraphs) -> tuple[str, str]:
        """The plain text and Markdown of `paragraphs`' runs, joined by spaces."""
        out = _Run()
        for n, p in enumerate(paragraphs):
            if n:
                out.text.append(" ")
                out.md.append(" ")
            self._runs(p, out)
        return "".join(out.text), "".join(out.md)

    def _runs(self, parent, out: _Run) -> None:
        # Runs of the same emphasis are joined first, so "**a** **b**" never comes of one
        # bold phrase that Word split into runs.
        pending: list[tuple[str, str, str]] = []  # (mark, text, md) of plain-text pieces

        def flush() -> None:
            while pending:
                mark = pending[0][0]
                group = []
                while pending and pending[0][0] == mark:
                    group.append(pending.pop(0))
                text = "".join(g[1] for g in group)
                md = "".join(g[2] for g in group)
                out.text.append(text)
                core = md.strip()
                if mark and core:
                    lead, trail = md[: len(md) - len(md.lstrip())], md[len(md.rstrip()):]
                    out.md.append(f"{lead}{mark}{core}{mark}{trail}")
                else:
                    out.md.append(md)

        for node in _inline_nodes(parent):
            tag = node.tag
            if tag == _w("r"):
                mark = _emphasis(node)
                for child in node:
                    ctag = child.tag
                    if ctag == _w("t"):
                        pending.append((mark, child.text or "", escape_inline(child.text or "")))
                    elif ctag in (_w("tab"), _w("br"), _w("cr")):
                        pending.append((mark, " ", " "))
                    elif ctag == _w("noBreakHyphen"):
                        pending.append((mark, "-", "-"))
                    elif ctag == _w("footnoteReference"):
                        flush()
                        wid = child.get(_w("id"), "")
                        if wid in self.pkg.footnotes:
                            number = self.note_numbers.setdefault(
                                wid, len(self.note_numbers) + 1)
                            out.text.append(f"[{number}]")
                            out.md.append(f"[{number}]")
            elif tag == _w("hyperlink"):
                flush()
                self._link(node, out)
            elif tag in _CHANGES:
                self.changes += 1
        flush()

    def _link(self, node, out: _Run) -> None:
        inner = _Run()
        self._runs(node, inner)
        label_text, label_md = "".join(inner.text), "".join(inner.md)
        href = self.pkg.links.get(node.get(f"{{{R}}}id", ""), "")
        if not href or not href.lower().startswith(_SAFE_SCHEMES):
            if href:
                self.problems.append((self.paragraph, (
                    f"the link {href!r} was left out (only https://, http:// and mailto: links "
                    f"are kept); its text {label_text!r} stays: check it")))
            out.text.append(label_text)
            out.md.append(label_md)
            return
        if href.lower().startswith("mailto:"):
            out.text.append(label_text or href[7:])
            out.md.append(label_md or escape_inline(href[7:]))
            return
        out.text.append(label_text or href)
        if not label_text.strip() or label_text.strip().rstrip("/") == href.rstrip("/"):
            out.md.append(f"<{href}>")
        else:
            dest = f"<{href}>" if re.search(r"[\s()<>]", href) else href
            out.md.append(f"[{label_md.strip()}]({dest})")


def _paragraphs(container):
    """The paragraphs of a body, a table cell or a footnote, in reading order: tables and
    content controls are opened, deleted paragraphs (a tracked deletion of the whole
    paragraph's text) are read like any other and give no text."""
    stack = list(reversed(list(container)))
    while stack:
        node = stack.pop()
        if node.tag == _w("p"):
            yield node
        elif node.tag in (_w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent"),
                          _w("customXml"), _w("ins"), _w("moveTo")):
            stack.extend(reversed(list(node)))


def _inline_nodes(parent):
    """The runs and hyperlinks of a paragraph in order, inside insertions, moves-to, smart
    tags, fields and content controls; deleted and moved-away runs are counted by the caller
    and their text left out."""
    stack = list(reversed(list(parent)))
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag in (_w("r"), _w("hyperlink")):
            yield node
        elif tag in (_w("ins"), _w("moveTo")):
            yield node  # counted
            stack.extend(reversed(list(node)))
        elif tag in (_w("del"), _w("moveFrom")):
            yield node  # counted, its text dropped
        elif tag in (_w("smartTag"), _w("customXml"), _w("sdt"), _w("sdtContent"),
                     _w("fldSimple"), _w("bdo"), _w("dir")):
            stack.extend(reversed(list(node)))


def _emphasis(run) -> str:
    props = run.find(_w("rPr"))
    if props is None:
        return ""
    bold = _on(props.find(_w("b")))
    italic = _on(props.find(_w("i")))
    return "***" if bold and italic else "**" if bold else "*" if italic else ""


def _on(el) -> bool:
    return el is not None and (el.get(_w("val")) or "true").lower() not in _FALSE
