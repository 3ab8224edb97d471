"""The Word file: a statement as a .docx built on the site's reference document.

`templates/word/reference.docx` carries the page setup and the named styles; this module only
picks style names (STYLES), so staff restyle statements in Word without touching code. The
body is written as WordprocessingML with lxml (helpers in `oxml.py`): native footnotes, real
hyperlinks, PAGE/NUMPAGES fields, core and custom properties, the record's language and script
font in the style defaults, right-to-left paragraphs for Arabic and Urdu.

Speed and reproducibility: the reference document is read, checked and its unchanging parts
compressed once per process (per file version); the zip is written here with the record's date
on every entry and a fixed entry order, so one Document always gives the same bytes.

A footnote cited twice: Word has no shared footnote, so the first citation is the footnote and
each later one is a NOTEREF cross-reference field to a bookmark on it, which is what Word's
Insert > Cross-reference > Footnote writes; it shows the same number in Word and LibreOffice.
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from unicodedata import bidirectional

from lxml import etree

from ..errors import RenderError
from ..model import (
    Block,
    Code,
    Document,
    Emphasis,
    FootnoteRef,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
    inline_text,
    walk_inlines,
)
from . import common
from . import oxml as ox
from .scripts import LATIN, script_for

TEMPLATE = PurePosixPath("word") / "reference.docx"
DRAFT_BANNER = common.DRAFT_BANNER
CODE_FONT = "Noto Sans Mono"

# The named styles every reference document must have (what staff restyle in Word).
STYLES = ("Title", "Dateline", "Body Text", "Heading 2", "List Bullet", "List Number", "Quote",
          "Endorsers Heading", "Endorser", "About Heading", "About", "Contacts Heading",
          "Contact", "Footnote Text", "Footnote Reference", "Draft Banner", "Hyperlink")
# Styles used when present, else the fallback named beside them.
OPTIONAL_STYLES = {"Heading 3": "Heading 2", "Heading 4": "Heading 2",
                   "List Bullet 2": "List Bullet", "List Number 2": "List Number",
                   "Header": None, "Footer": None}
# Relationships of document.xml kept from the reference; the rest (its headers, footers,
# notes, comments, custom XML) belong to the reference's own content, not to a statement.
_KEPT_REL_TYPES = {ox.REL + t for t in
                   ("styles", "settings", "webSettings", "fontTable", "theme", "numbering")}
# Regions Word's proofing tools expect when a record gives a bare language: a record's own
# region (zh-TW, ta-LK) wins.
_REGIONS = {"en": "GB", "fr": "FR", "id": "ID", "ms": "MY", "tl": "PH", "vi": "VN", "ru": "RU",
            "kk": "KZ", "ky": "KG", "mn": "MN", "tg": "TJ", "th": "TH", "my": "MM", "km": "KH",
            "bn": "BD", "hi": "IN", "ne": "NP", "si": "LK", "ta": "IN", "zh": "CN", "ja": "JP",
            "ko": "KR", "ar": "SA", "fa": "IR", "ps": "AF", "ur": "PK"}


def word_language(tag: str) -> str:
    """A BCP 47 tag as Word's w:lang wants it: language-REGION ('en' -> 'en-GB',
    'zh-Hant' -> 'zh-TW', 'ta-LK' stays)."""
    parts = tag.replace("_", "-").split("-")
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
    if region is None and any(p.title() == "Hant" for p in parts[1:]):
        region = "TW"
    region = region or _REGIONS.get(lang)
    return f"{lang}-{region}" if region else lang


# --- the reference document, read once per process -------------------------------------------


@dataclass
class _Template:
    path: Path
    parts: dict[str, bytes]  # name -> bytes, only the parts a statement keeps
    content_types: dict[str, str]  # "/name" -> content type, for kept parts
    defaults: dict[str, str]  # extension -> content type
    rels: list[tuple[str, str, str, bool]]  # document.xml relationships kept
    styles: dict[str, str]  # style name (ours) -> styleId
    sect_pr: etree._Element
    numbering: etree._Element | None
    packed: dict[str, ox.Packed] = field(default_factory=dict)
    by_language: dict[tuple[str, str, str, str], tuple[ox.Packed, ox.Packed]] = field(
        default_factory=dict)

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.parts[name])
        except KeyError:
            raise RenderError(f"{self.path}: {name} is missing; rebuild the reference document "
                              "with scripts/make_reference_docx.py") from None
        except etree.XMLSyntaxError as exc:
            message = re.sub(r", line \d+, column \d+$", "", exc.msg)
            raise RenderError(f"{self.path}: {name}: line {exc.lineno}: {message}") from None

    def static(self, name: str) -> ox.Packed:
        if name not in self.packed:
            self.packed[name] = ox.pack(self.parts[name])
        return self.packed[name]

    def language_parts(self, lang: str, slot: str, font: str, latin_lang: str,
                       line_factor: float = 1.0) -> tuple[ox.Packed, ox.Packed]:
        """styles.xml and settings.xml with the language, script font and line spacing set:
        one of each per language in a process."""
        key = (lang, slot, font, latin_lang, line_factor)
        if key not in self.by_language:
            styles = self.xml("word/styles.xml")
            ox.set_language_and_fonts(styles, lang, slot, font, latin_lang)
            ox.scale_line_spacing(styles, line_factor)
            settings = self.xml("word/settings.xml")
            ox.theme_font_language(settings, lang, slot, latin_lang)
            ox.footnote_properties(settings)
            self.by_language[key] = (ox.pack(ox.to_bytes(styles)), ox.pack(ox.to_bytes(settings)))
        return self.by_language[key]


_TEMPLATES: dict[tuple[str, int, int], _Template] = {}


def _template(templates_dir: Path) -> _Template:
    path = Path(templates_dir) / TEMPLATE
    try:
        stat = path.stat()
    except OSError:
        raise RenderError(f"{path}: the Word reference document is missing; copy it from "
                          "the package's templates/word/ or run scripts/make_reference_docx.py"
                          ) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = _read_template(path)
    return _TEMPLATES[key]


def _read_template(path: Path) -> _Template:
    try:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist() if not name.endswith("/")}
    except (zipfile.BadZipFile, OSError) as exc:
        raise RenderError(f"{path}: not a Word document ({exc}); save it from Word as .docx"
                          ) from None
    tpl = _Template(path, parts, {}, {}, [], {}, etree.Element("none"), None)
    types = tpl.xml("[Content_Types].xml")
    for el in types:
        tag = etree.QName(el).localname
        if tag == "Default":
            tpl.defaults[el.get("Extension").lower()] = el.get("ContentType")
        elif tag == "Override":
            tpl.content_types[el.get("PartName")] = el.get("ContentType")
    dropped = {"[Content_Types].xml", "_rels/.rels", "word/document.xml",
               "word/_rels/document.xml.rels"}
    for rel in tpl.xml("word/_rels/document.xml.rels"):
        target, rtype = rel.get("Target"), rel.get("Type")
        name = str(PurePosixPath("word") / target) if not target.startswith("/") else target[1:]
        if rtype in _KEPT_REL_TYPES:
            tpl.rels.append((rel.get("Id"), rtype, target, False))
        elif rel.get("TargetMode") != "External":
            dropped |= {name, str(PurePosixPath(name).parent / "_rels"
                                  / (PurePosixPath(name).name + ".rels"))}
    body = tpl.xml("word/document.xml").find(ox.w("body"))
    sect_pr = body.find(ox.w("sectPr")) if body is not None else None
    tpl.sect_pr = sect_pr if sect_pr is not None else etree.Element(ox.w("sectPr"))
    for ref in tpl.sect_pr.findall(ox.w("headerReference")) + tpl.sect_pr.findall(
            ox.w("footerReference")):
        tpl.sect_pr.remove(ref)
    tpl.parts = {n: b for n, b in parts.items()
                 if n not in dropped and not n.startswith(("docProps/", "customXml/"))}
    tpl.content_types = {n: t for n, t in tpl.content_types.items() if n[1:] in tpl.parts}
    tpl.styles = _style_ids(tpl)
    if "word/numbering.xml" in tpl.parts:
        tpl.numbering = tpl.xml("word/numbering.xml")
    tpl.xml("word/settings.xml")  # fails here, naming the part and line, if it is broken
    return tpl


def _style_ids(tpl: _Template) -> dict[str, str]:
    """Style name -> styleId. Word stores built-in names in lower case ('heading 2',
    'footnote text') and shows them capitalised, so names match case-insensitively."""
    found: dict[str, str] = {}
    for style in tpl.xml("word/styles.xml").iter(ox.w("style")):
        name = style.find(ox.w("name"))
        if name is not None and style.get(ox.w("styleId")):
            found.setdefault(name.get(ox.W_VAL, "").lower(), style.get(ox.w("styleId")))
    missing = [s for s in STYLES if s.lower() not in found]
    if missing:
        raise RenderError(f"{tpl.path}: word/styles.xml: missing style(s) "
                          f"{', '.join(missing)}; add them in Word (Styles pane > New Style) "
                          "or rebuild with scripts/make_reference_docx.py")
    ids = {s: found[s.lower()] for s in STYLES}
    for name, fallback in OPTIONAL_STYLES.items():
        style_id = found.get(name.lower()) or (ids[fallback] if fallback else None)
        if style_id:
            ids[name] = style_id
    return ids


# --- the statement ----------------------------------------------------------------------------


def render_docx(document: Document, templates_dir: Path) -> bytes:
    """The statement as a .docx (bytes), styled by `templates_dir/word/reference.docx`."""
    tpl = _template(templates_dir)
    return _Writer(tpl, document).build()


class _Writer:
    def __init__(self, tpl: _Template, document: Document):
        self.tpl = tpl
        self.doc = document
        self.st = tpl.styles
        statement = document.statement
        self.script = script_for(statement.language)
        self.rtl = self.script.direction == "rtl"
        self.lang = word_language(statement.language)
        # The language of Latin letters in a non-Latin statement: the site's, if it writes
        # in Latin letters, else English (organisation names, URLs).
        site_lang = document.settings.default_language
        self.latin_lang = word_language(
            site_lang if script_for(site_lang).word_slot == "ascii" else "en")
        self.rels = list(tpl.rels)
        self.next_rid = 1 + max((int(r[0][3:]) for r in tpl.rels
                                 if r[0].startswith("rId") and r[0][3:].isdigit()), default=0)
        self.note_rels: list[tuple[str, str, str, bool]] = []
        self.cited = Counter(n.number for n in walk_inlines(statement.body.blocks)
                             if isinstance(n, FootnoteRef))
        self.seen: set[int] = set()
        self.numbering: etree._Element | None = None
        self.numbered_lists = 0

    def rel(self, rels: list, rtype: str, target: str, external: bool = False) -> str:
        for rid, t, tgt, _ in rels:
            if t == rtype and tgt == target:
                return rid  # one relationship per URL and part
        rid = f"rId{self.next_rid}"
        self.next_rid += 1
        rels.append((rid, rtype, target, external))
        return rid

    # -- parts

    def build(self) -> bytes:
        doc, tpl = self.doc, self.tpl
        root = etree.Element(ox.w("document"), nsmap=ox.NSMAP)
        body = ox.sub(root, "body")
        self.body_content(body)
        sect = copy.deepcopy(tpl.sect_pr)
        header_rid = self.rel(self.rels, ox.REL_HEADER, "header1.xml")
        footer_rid = self.rel(self.rels, ox.REL_FOOTER, "footer1.xml")
        self.rel(self.rels, ox.REL_FOOTNOTES, "footnotes.xml")  # found by type, not by id
        for kind, rid in (("footer", footer_rid), ("header", header_rid)):
            ref = etree.Element(ox.w(f"{kind}Reference"))
            ref.set(ox.w("type"), "default")
            ref.set(ox.R_ID, rid)
            sect.insert(0, ref)
        if self.rtl and sect.find(ox.w("bidi")) is None:
            # page furniture (and columns) right to left; the schema puts bidi before these
            later = [c for c in sect if etree.QName(c).localname in (
                "rtlGutter", "docGrid", "printerSettings", "sectPrChange")]
            bidi = etree.Element(ox.w("bidi"))
            if later:
                later[0].addprevious(bidi)
            else:
                sect.append(bidi)
        body.append(sect)

        footnotes = self.footnotes()
        # Line height relative to Latin text, as the page and the PDF use (scripts.py).
        factor = round(self.script.line_height / LATIN.line_height, 2)
        styles, settings = tpl.language_parts(self.lang, self.script.word_slot,
                                              self.script.font, self.latin_lang, factor)
        s = doc.statement
        core = ox.core_properties(
            title=common.document_title(doc), author=common.author(doc),
            subject=common.subject(doc), keywords="; ".join(common.keywords(doc)),
            description=common.description(doc), language=s.language,
            category=s.type.label, last_modified_by=common.author(doc), date=s.date)
        custom = ox.custom_properties({"statement_id": s.id,
                                       "record_sha256": doc.record_sha256})
        fresh: dict[str, bytes] = {
            "docProps/core.xml": core,
            "docProps/custom.xml": custom,
            "word/document.xml": ox.to_bytes(root),
            "word/_rels/document.xml.rels": ox.relationships(self.rels),
            "word/footnotes.xml": ox.to_bytes(footnotes),
            "word/header1.xml": ox.to_bytes(self.header()),
            "word/footer1.xml": ox.to_bytes(self.footer()),
        }
        if self.note_rels:
            fresh["word/_rels/footnotes.xml.rels"] = ox.relationships(self.note_rels)
        if self.numbering is not None:
            fresh["word/numbering.xml"] = ox.to_bytes(self.numbering)
        overrides = dict(tpl.content_types)
        overrides.update({
            "/word/document.xml": ox.CT_DOCUMENT, "/word/footnotes.xml": ox.CT_FOOTNOTES,
            "/word/header1.xml": ox.CT_HEADER, "/word/footer1.xml": ox.CT_FOOTER,
            "/docProps/core.xml": ox.CT_CORE, "/docProps/custom.xml": ox.CT_CUSTOM})
        defaults = {**tpl.defaults, "rels": ox.CT_RELS, "xml": "application/xml"}
        fresh["[Content_Types].xml"] = ox.content_types(defaults, overrides)
        fresh["_rels/.rels"] = ox.relationships([
            ("rId1", ox.REL_OFFICE_DOCUMENT, "word/document.xml", False),
            ("rId2", ox.REL_CORE, "docProps/core.xml", False),
            ("rId3", ox.REL_CUSTOM, "docProps/custom.xml", False)])

        packed = {name: tpl.static(name) for name in tpl.parts}
        packed.update({name: ox.pack(data) for name, data in fresh.items()})
        packed["word/styles.xml"], packed["word/settings.xml"] = styles, settings
        first = ["[Content_Types].xml", "_rels/.rels"]  # readers sniff the first entries
        order = first + sorted(set(packed) - set(first))
        return ox.zip_package([(name, packed[name]) for name in order], s.date)

    def body_content(self, body: etree._Element) -> None:
        doc, s = self.doc, self.doc.statement
        if doc.draft:
            self.text_paragraph(body, "Draft Banner", DRAFT_BANNER)
        self.text_paragraph(body, "Title", s.title)
        self.text_paragraph(body, "Dateline", common.dateline(s))
        for block in s.body.blocks:
            self.block(body, block, "Body Text", 0)
        if doc.endorsers:
            self.text_paragraph(body, "Endorsers Heading", common.endorsers_heading(s))
            for org in doc.endorsers:
                self.text_paragraph(body, "Endorser", org.name)
        about = common.about_text(doc)
        if about:
            self.text_paragraph(body, "About Heading", common.about_heading(doc))
            self.text_paragraph(body, "About", " ".join(about.split()))
        contacts = s.contacts or doc.settings.contacts
        if contacts:
            self.text_paragraph(body, "Contacts Heading", common.CONTACTS_HEADING)
            for contact in contacts:
                p = self.paragraph(body, "Contact", contact.label)
                ox.run(p, contact.label, rtl=self.run_rtl(contact.label))
                if contact.email:
                    ox.line_break(ox.run(p))
                    self.inlines(p, (Link(f"mailto:{contact.email}", (Text(contact.email),)),),
                                 self.rels)

    def header(self) -> etree._Element:
        hdr = ox.header_footer("header")
        if self.doc.draft:
            ox.watermark(hdr, common.DRAFT_LABEL, self.st.get("Header"))
        name = common.short_name(self.doc.issuer.name)
        ox.run(self.paragraph(hdr, "Header", name), name, rtl=self.run_rtl(name))
        return hdr

    def footer(self) -> etree._Element:
        ftr = ox.header_footer("footer")
        p = self.paragraph(ftr, "Footer", "Page")
        ox.run(p, "Page ")
        ox.field(p, "PAGE", "1")
        ox.run(p, " of ")
        ox.field(p, "NUMPAGES", "1")
        return ftr

    def footnotes(self) -> etree._Element:
        root = ox.footnotes_root()
        for note in self.doc.statement.footnotes:
            el = ox.footnote(root, note.number)
            blocks = note.children or (Paragraph(()),)
            for i, block in enumerate(blocks):
                texts = [block] if isinstance(block, Paragraph | Heading) else list(
                    _flatten(block))
                for j, para in enumerate(texts):
                    text = inline_text(para.children)
                    p = self.paragraph(el, "Footnote Text", text)
                    if i == 0 and j == 0:
                        ox.footnote_mark(p, self.st["Footnote Reference"], self.run_rtl(text))
                        ox.run(p, " ")
                    self.inlines(p, para.children, self.note_rels)
        return root

    # -- blocks and inlines

    def paragraph(self, parent, style: str, text: str, num: tuple[int, int] | None = None):
        """A paragraph, right to left when the record's script is and its own text starts
        right to left (as HTML's dir=auto): English names and URLs in an Arabic statement
        stay left to right."""
        rtl = self.rtl and _first_strong_rtl(text) is not False
        return ox.paragraph(parent, self.st.get(style), rtl, num)

    def run_rtl(self, text: str) -> bool:
        """w:rtl only on runs with right-to-left letters: it makes Word shape the whole run
        with the complex-script font, which has no Latin letters."""
        return self.rtl and any(bidirectional(c) in ("R", "AL") for c in text)

    def text_paragraph(self, parent, style: str, text: str) -> None:
        ox.run(self.paragraph(parent, style, text), text, rtl=self.run_rtl(text))

    def block(self, parent, block: Block, style: str, depth: int) -> None:
        if isinstance(block, Paragraph):
            p = self.paragraph(parent, style, inline_text(block.children))
            self.inlines(p, block.children, self.rels)
        elif isinstance(block, Heading):
            name = "Heading 2" if block.level <= 2 else f"Heading {min(block.level, 4)}"
            p = self.paragraph(parent, name, inline_text(block.children))
            self.inlines(p, block.children, self.rels)
        elif isinstance(block, Quote):
            for child in block.children:
                self.block(parent, child, "Quote", depth)
        else:
            self.list_block(parent, block, depth)

    def list_block(self, parent, block: ListBlock, depth: int) -> None:
        kind = "List Number" if block.ordered else "List Bullet"
        style = kind if depth == 0 else f"{kind} 2"
        num = self.restart(style, block.start) if block.ordered else None
        for item in block.items:
            for i, child in enumerate(item):
                if isinstance(child, ListBlock):
                    self.list_block(parent, child, depth + 1)
                elif i == 0 and isinstance(child, Paragraph):
                    p = self.paragraph(parent, style, inline_text(child.children), num)
                    self.inlines(p, child.children, self.rels)
                else:  # a later paragraph of the item: no number of its own
                    self.block(parent, child, "Body Text", depth)

    def restart(self, style: str, start: int) -> tuple[int, int] | None:
        """Word continues one numbering across every List Number paragraph of a document;
        each numbered list after the first (or not starting at 1) gets its own w:num that
        restarts the style's list."""
        self.numbered_lists += 1
        if self.numbered_lists == 1 and start == 1:
            return None
        found = _style_numbering(self.tpl, self.st[style])
        if found is None:
            return None
        level, abstract = found
        if self.numbering is None:
            self.numbering = copy.deepcopy(self.tpl.numbering)
        ids = [int(n.get(ox.w("numId"))) for n in self.numbering.findall(ox.w("num"))]
        new_id = max(ids, default=0) + 1
        num = etree.Element(ox.w("num"))
        num.set(ox.w("numId"), str(new_id))
        nums = self.numbering.findall(ox.w("num"))  # w:num elements come last but one kind
        if nums:
            nums[-1].addnext(num)
        else:
            self.numbering.append(num)
        ox.sub(num, "abstractNumId", val=abstract)
        override = ox.sub(num, "lvlOverride", ilvl=str(level))
        ox.sub(override, "startOverride", val=str(start))
        return new_id, level

    def inlines(self, p, nodes: tuple[Inline, ...], rels: list, *, bold: bool = False,
                italic: bool = False, link: str | None = None) -> None:
        parent = p
        for node in nodes:
            if isinstance(node, Text | Code):
                ox.run(parent, node.text, bold=bold, italic=italic, rtl=self.run_rtl(node.text),
                       style_id=self.st["Hyperlink"] if link else None,
                       font=CODE_FONT if isinstance(node, Code) else None)
            elif isinstance(node, LineBreak):
                ox.line_break(ox.run(parent))
            elif isinstance(node, Emphasis | Strong):
                self.inlines(parent, node.children, rels, link=link,
                             bold=bold or isinstance(node, Strong),
                             italic=italic or isinstance(node, Emphasis))
            elif isinstance(node, Link):
                rid = self.rel(rels, ox.REL_HYPERLINK, node.href, external=True)
                self.inlines(ox.hyperlink(parent, rid), node.children, rels, bold=bold,
                             italic=italic, link=node.href)
            elif isinstance(node, FootnoteRef):
                self.footnote_ref(parent, node.number)

    def footnote_ref(self, parent, number: int) -> None:
        style = self.st["Footnote Reference"]
        mark = f"_RefNote{number}"
        if number in self.seen:
            ox.field(parent, f"NOTEREF {mark} \\f \\h", str(number), style)
            return
        self.seen.add(number)
        shared = self.cited[number] > 1
        if shared:
            ox.bookmark(parent, number, mark, start=True)
        ox.footnote_reference(ox.run(parent, style_id=style), number)
        if shared:
            ox.bookmark(parent, number, mark, start=False)


def _first_strong_rtl(text: str) -> bool | None:
    """Whether the first letter with a strong direction is right to left (None: no such
    letter, as in a paragraph of digits)."""
    for char in text:
        kind = bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


def _flatten(block: Block):
    """The paragraphs under a block, for footnotes (whose text is plain Footnote Text)."""
    if isinstance(block, Paragraph | Heading):
        yield block
    elif isinstance(block, Quote):
        for child in block.children:
            yield from _flatten(child)
    else:
        for item in block.items:
            for child in item:
                yield from _flatten(child)


def _style_numbering(tpl: _Template, style_id: str) -> tuple[int, str] | None:
    """(level, abstractNumId) of a list style in the reference, if it has numbering."""
    if tpl.numbering is None:
        return None
    for style in tpl.xml("word/styles.xml").iter(ox.w("style")):
        if style.get(ox.w("styleId")) == style_id:
            num_id = style.find(f"{ox.w('pPr')}/{ox.w('numPr')}/{ox.w('numId')}")
            ilvl = style.find(f"{ox.w('pPr')}/{ox.w('numPr')}/{ox.w('ilvl')}")
            if num_id is None:
                return None
            for num in tpl.numbering.findall(ox.w("num")):
                if num.get(ox.w("numId")) == num_id.get(ox.W_VAL):
                    abstract = num.find(ox.w("abstractNumId")).get(ox.W_VAL)
                    level = int(ilvl.get(ox.W_VAL)) if ilvl is not None else 0
                    return level, abstract
    return None
