"""The Word file: a statement as a .docx built on the site's reference document.

`templates/word/reference.docx` carries the page setup and the named styles; this module only
picks style names (STYLES), so staff restyle statements in Word without touching code. The
document is built with python-docx: the reference opened by `docx.Document`, paragraphs and
runs, header and footer parts, core properties. lxml (helpers in `oxml.py`) writes only what
python-docx has no API for: native footnotes, hyperlinks, PAGE/NUMPAGES and NOTEREF fields,
custom properties, the record's language and script font in the style defaults, right-to-left
paragraphs for Arabic and Urdu, the draft watermark, numbering restarts.
A reviewers' draft is this rendering, marked afterwards by `reviewdocx.py` (bookmarks on
each field's paragraph, which the writer notes as `anchors`, comments, tracked changes).

Speed and reproducibility: python-docx opens and checks the reference once per process (per
file version); each statement starts from a copy of its document element and shares the other
parts, compressed once, and style ids are looked up once (python-docx's style setter scans
every style on each call). The zip is written here, not by python-docx's `save`, with the
record's date on every entry and a fixed entry order, so one Document always gives the same
bytes.

A footnote cited twice: Word has no shared footnote, so the first citation is the footnote and
each later one is a NOTEREF cross-reference field to a bookmark on it, which is what Word's
Insert > Cross-reference > Footnote writes; it shows the same number in Word and LibreOffice.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from unicodedata import bidirectional

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.document import CT_Document
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.package import Package
from docx.parts.document import DocumentPart
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from .. import design as house
from .. import wording
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
from .bidi import direction, segments
from .logo import word_logo
from .scripts import LATIN, script_for

TEMPLATE = PurePosixPath("word") / "reference.docx"
DRAFT_BANNER = common.DRAFT_BANNER
CODE_FONT = "Noto Sans Mono"

# The named styles every reference document must have (what staff restyle in Word).
STYLES = ("Title", "Dateline", "Body Text", "Heading 2", "List Bullet", "List Number", "Quote",
          "Endorsers Heading", "Endorser", "About Heading", "About", "Contacts Heading",
          "Contact", "Footnote Text", "Footnote Reference", "Draft Banner", "Hyperlink")
# Styles used when present, else the fallback named beside them.
OPTIONAL_STYLES = {"Organisation": "Endorsers Heading", "Statement Type": "Dateline",
                   "Footnote Number": "Footnote Reference",
                   "Heading 3": "Heading 2", "Heading 4": "Heading 2",
                   "List Bullet 2": "List Bullet", "List Number 2": "List Number",
                   "Header": None, "Footer": None}
_KEPT_REL_TYPES = {RT.STYLES, RT.SETTINGS, RT.WEB_SETTINGS, RT.FONT_TABLE, RT.THEME,
                   RT.NUMBERING}
# docProps/core.xml element of each python-docx core property (for values over its limit).
_CORE_TAGS = {"title": "title", "subject": "subject", "author": "creator",
              "keywords": "keywords", "comments": "description",
              "last_modified_by": "lastModifiedBy", "category": "category",
              "language": "language"}
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


# --- the reference document, opened by python-docx once per process --------------------------


@dataclass
class _Template:
    """The reference, opened once and emptied of its own content. Each statement starts from
    a copy of its document element and shares every other part (styles, settings per
    language, theme, fonts, numbering), which is parsed and compressed once."""

    path: Path
    element: CT_Document  # w:document whose body holds only the section properties
    rels: list[tuple[str, str, Part]]  # document.xml relationships kept: (rId, type, part)
    styles: dict[str, str]  # style name (ours) -> styleId
    numbering: dict[str, tuple[int, int]]  # list styleId -> (level, abstractNumId)
    packed: dict[Part, ox.Packed] = field(default_factory=dict)
    formats: dict[tuple, CT_PPr | CT_RPr | None] = field(default_factory=dict)
    by_language: dict[tuple[str, str, str, str, float, float], dict[str, Part]] = field(
        default_factory=dict)

    def part(self, reltype: str) -> Part | None:
        return next((part for _, rtype, part in self.rels if rtype == reltype), None)

    def pack(self, part: Part) -> ox.Packed:
        """A part shared by every statement, compressed once."""
        if part not in self.packed:
            self.packed[part] = ox.pack(part.blob)
        return self.packed[part]

    def paragraph_properties(self, style_id: str | None, num: tuple[int, int] | None,
                             rtl: bool) -> CT_PPr | None:
        """A paragraph's w:pPr, made once per kind and copied into each paragraph."""
        key = ("p", style_id, num, rtl)
        if key not in self.formats:
            self.formats[key] = ox.paragraph_properties(style_id, num, rtl)
        return self.formats[key]

    def run_properties(self, style_id: str | None, bold: bool, italic: bool, rtl: bool,
                       font: str | None) -> CT_RPr | None:
        """A run's w:rPr, made once per kind and copied into each run."""
        key = ("r", style_id, bold, italic, rtl, font)
        if key not in self.formats:
            self.formats[key] = ox.run_properties(style_id, bold, italic, rtl, font)
        return self.formats[key]

    def language_parts(self, lang: str, slot: str, font: str, latin_lang: str,
                       line_factor: float = 1.0, size_factor: float = 1.0) -> dict[str, Part]:
        """styles.xml and settings.xml with the language, script font and line spacing set
        (relationship type -> part): one of each per language in a process."""
        key = (lang, slot, font, latin_lang, line_factor, size_factor)
        if key not in self.by_language:
            styles_part, settings_part = self.part(RT.STYLES), self.part(RT.SETTINGS)
            styles = copy.deepcopy(styles_part.element)
            ox.set_language_and_fonts(styles, lang, slot, font, latin_lang)
            ox.scale_line_spacing(styles, line_factor)
            if slot == "cs":  # Word sizes complex-script letters on their own (w:szCs)
                ox.scale_complex_size(styles, size_factor)
            settings = copy.deepcopy(settings_part.element)
            ox.theme_font_language(settings, lang, slot, latin_lang)
            ox.footnote_properties(settings)
            self.by_language[key] = {RT.STYLES: ox.copy_part(styles_part, styles),
                                     RT.SETTINGS: ox.copy_part(settings_part, settings)}
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
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError(f"{path}: cannot read the Word reference document ({exc})") from None
    ox.check_parts(path, data)
    try:
        opened = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, PackageNotFoundError) as exc:
        raise RenderError(f"{path}: not a Word document ({exc}); save it from Word as .docx"
                          ) from None
    # Relationships of document.xml kept from the reference; the rest (its headers, footers,
    # notes, comments, custom XML) belong to the reference's own content, not to a statement.
    rels = [(rid, rel.reltype, rel.target_part) for rid, rel in opened.part.rels.items()
            if rel.reltype in _KEPT_REL_TYPES and not rel.is_external]
    for reltype, name in ((RT.STYLES, "word/styles.xml"), (RT.SETTINGS, "word/settings.xml")):
        if not any(rtype == reltype for _, rtype, _ in rels):
            raise RenderError(f"{path}: {name} is missing; rebuild the reference document "
                              "with scripts/make_reference_docx.py")
    element = opened.element
    element.body.clear_content()
    sect = element.body.get_or_add_sectPr()
    for ref in sect.findall(ox.w("headerReference")) + sect.findall(ox.w("footerReference")):
        sect.remove(ref)
    tpl = _Template(path, element, rels, {}, {})
    tpl.styles = _style_ids(tpl, opened)
    tpl.numbering = _list_numbering(tpl, opened)
    return tpl


def _style_ids(tpl: _Template, opened: DocxDocument) -> dict[str, str]:
    """Style name -> styleId, looked up once: python-docx's style setter would scan every
    style on each paragraph. Word stores built-in names in lower case ('heading 2') and
    python-docx shows them capitalised, so names match case-insensitively."""
    found: dict[str, str] = {}
    for style in opened.styles:
        if style.name and style.style_id:
            found.setdefault(style.name.lower(), style.style_id)
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


def _list_numbering(tpl: _Template, opened: DocxDocument) -> dict[str, tuple[int, int]]:
    """(level, abstractNumId) of each numbered list style whose numbering the reference
    defines: what a restarted list points its own w:num at."""
    numbering = tpl.part(RT.NUMBERING)
    found: dict[str, tuple[int, int]] = {}
    if numbering is None:
        return found
    for name in ("List Number", "List Number 2"):
        style = opened.styles.element.get_by_id(tpl.styles[name])
        num_pr = style.pPr.numPr if style is not None and style.pPr is not None else None
        if num_pr is None or num_pr.numId is None:
            continue
        try:
            num = numbering.element.num_having_numId(num_pr.numId.val)
        except KeyError:
            continue
        level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        found[tpl.styles[name]] = (level, num.abstractNumId.val)
    return found


# --- the statement ----------------------------------------------------------------------------


def render_docx(document: Document, templates_dir: Path, review=None) -> bytes:
    """The statement as a .docx (bytes), styled by `templates_dir/word/reference.docx`.
    With `review` (a `reviewdocx.Review`), the reviewers' draft: every field in a bookmark,
    track changes on, warnings as comments, changes since an earlier version tracked."""
    tpl = _template(templates_dir)
    try:
        if review is None:
            return _Writer(tpl, document).build()
        from . import reviewdocx

        since = None
        if review.since is not None:  # the earlier version, laid out the same way
            since = _Writer(tpl, review.since)
            since.layout()
        writer = _Writer(tpl, document)
        return writer.build(lambda: reviewdocx.mark(writer, review, since))
    except common.RECORD_FAULTS as exc:  # lxml refusing a character, a tree too deep
        raise common.record_error(document, "Word file", exc) from None


class _Note:
    """A footnote as python-docx's Paragraph sees its parent: a story in the footnotes part."""

    def __init__(self, element, part: Part):
        self.element, self.part = element, part

    def add_paragraph(self) -> DocxParagraph:
        return DocxParagraph(etree.SubElement(self.element, ox.w("p")), self)


class _Writer:
    def __init__(self, tpl: _Template, document: Document):
        self.tpl = tpl
        self.doc = document
        self.st = tpl.styles
        statement = document.statement
        # The site's design (templates/design.toml, beside word/): the organisation's name,
        # and the script's font, size and line height as the page and the PDF take them.
        self.design = house.load_design(tpl.path.parent.parent)
        self.script = house.adjusted(self.design, script_for(statement.language))
        self.rtl = self.script.direction == "rtl"
        self.lang = word_language(statement.language)
        # The language of Latin letters in a non-Latin statement: the site's, if it writes
        # in Latin letters, else English (organisation names, URLs).
        site_lang = document.settings.default_language
        self.latin_lang = word_language(
            site_lang if script_for(site_lang).word_slot == "ascii" else "en")
        # Line height relative to Latin text, as the page and the PDF use (scripts.py).
        factor = round(self.script.line_height / LATIN.line_height, 2)
        language_parts = tpl.language_parts(self.lang, self.script.word_slot,
                                            self.script.font, self.latin_lang, factor,
                                            self.script.size)
        # A new package around a copy of the reference's document element; every other part
        # is the reference's (or its per-language styles and settings), shared.
        self.package = Package()
        self.part = DocumentPart(PackURI("/word/document.xml"), CT.WML_DOCUMENT_MAIN,
                                 copy.deepcopy(tpl.element), self.package)
        self.package.relate_to(self.part, RT.OFFICE_DOCUMENT)
        for rid, reltype, target in tpl.rels:
            self.part.load_rel(reltype, language_parts.get(reltype, target), rid)
        core = CorePropertiesPart(PackURI("/docProps/core.xml"), CT.OPC_CORE_PROPERTIES,
                                  CT_CoreProperties.new(), self.package)
        self.package.relate_to(core, RT.CORE_PROPERTIES)
        self.document: DocxDocument = self.part.document
        self.notes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                             ox.footnotes_root(), self.package)
        self.cited = Counter(n.number for n in walk_inlines(statement.body.blocks)
                             if isinstance(n, FootnoteRef))
        self.seen: set[int] = set()
        self.numbering: XmlPart | None = None
        self.numbered_lists = 0
        self.links: dict[tuple[str, str], str] = {}
        self.next_rid: dict[str, int] = {}
        # Each field's paragraph, for a reviewers' draft: (bookmark name, w:p, runs before
        # the field's text, source line), in reading order.
        self.anchors: list[tuple[str, etree._Element, int, int | None]] = []
        self.counts: Counter[str] = Counter()

    # -- the package

    def layout(self) -> None:
        """The body and the footnotes (what a reviewers' draft compares)."""
        self.body_content()
        self.part.relate_to(self.notes, RT.FOOTNOTES)  # found by type, not by id
        self.footnotes()

    def build(self, finish=None) -> bytes:
        doc, s = self.doc, self.doc.statement
        self.layout()
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        self.header(section.header)
        self.footer(section.footer)
        self.header(section.first_page_header, first=True)
        self.footer(section.first_page_footer)
        if self.rtl:
            ox.section_rtl(self.document.element.body.sectPr)
        self.core_properties()
        properties = {"statement_id": s.id, "record_sha256": doc.record_sha256}
        if finish is not None:  # a reviewers' draft marks the laid-out document
            properties.update(finish())
        custom = Part(PackURI("/docProps/custom.xml"), ox.CT_CUSTOM,
                      ox.custom_properties(properties), self.package)
        self.package.relate_to(custom, ox.REL_CUSTOM)
        return self.zip()

    def core_properties(self) -> None:
        doc, s = self.doc, self.doc.statement
        props = self.document.core_properties
        author = common.author(doc)
        for name, value in (
            ("title", common.document_title(doc)), ("subject", common.subject(doc)),
            ("author", author), ("keywords", "; ".join(common.keywords(doc))),
            ("comments", common.description(doc)), ("last_modified_by", author),
            ("category", common.type_label(doc)), ("language", s.language),
        ):
            value = ox.clean(value)
            if len(value) <= 255:
                setattr(props, name, value)
            else:
                ox.core_text(self.package.core_properties._element, _CORE_TAGS[name], value)
        props.revision = 1
        # created and modified are the record's date, never the clock
        props.created = props.modified = dt.datetime.combine(s.date, dt.time())

    def zip(self) -> bytes:
        """The package with the record's date on every entry and a fixed entry order, so one
        Document always gives the same bytes; the reference's parts are compressed once."""
        return ox.write_package(self.package, self.tpl.pack, self.doc.statement.date)

    def body_content(self) -> None:
        doc, s, body = self.doc, self.doc.statement, self.document
        mark = common.marking(doc)
        if mark:  # the first line of all
            self.text_paragraph(body, "Draft Banner", mark[1])
        # Page 1 as in the PDF and on the page: who publishes (beside the house logo, if
        # any), then what kind of document.
        name = house.organisation_name(self.design, doc.settings)
        self.logo(self.text_paragraph(body, "Organisation", name, name=True), name)
        self.text_paragraph(body, "Statement Type", common.type_label(doc))
        self.anchor(self.text_paragraph(body, "Title", s.title), "pr_title")
        words = doc.wording
        self.anchor(self.text_paragraph(body, "Dateline", common.dateline(s, words)),
                    "pr_dateline")
        for correction in common.corrections(s, words):
            self.anchor(self.text_paragraph(body, "Dateline", correction),
                        self.numbered("pr_correction"))
        for block in s.body.blocks:
            self.block(block, "Body Text", 0)
        if doc.endorsers:
            self.text_paragraph(body, "Endorsers Heading", common.endorsers_heading(s, words))
            for org in doc.endorsers:
                self.anchor(self.text_paragraph(body, "Endorser", org.name, name=True),
                            self.numbered("pr_endorser"))
        about = common.about_text(doc)
        if about:
            self.text_paragraph(body, "About Heading", common.about_heading(doc))
            self.text_paragraph(body, "About", " ".join(about.split()), name=True)
        for heading, contacts in common.contact_groups(doc):
            self.text_paragraph(body, "Contacts Heading", heading)
            for contact in contacts:
                p = self.paragraph(body, "Contact", contact.label)
                self.anchor(p, self.numbered("pr_contact"))
                self.directed_runs(p, contact.label, name=True)
                if contact.email:
                    self.run(p, p._p).add_break()
                    self.inlines(p, p._p, (Link(f"mailto:{contact.email}",
                                                (Text(contact.email),)),), self.part)

    def logo(self, p: DocxParagraph, name: str) -> None:
        """The house logo before the organisation's name, as tall as the PDF's and centred
        on the name's line (w:textAlignment): a picture whose main blip is a PNG drawn by
        typst, for LibreOffice and Word before 2016, with the SVG itself in Word's
        asvg:svgBlip extension, which Word draws instead."""
        found = word_logo(self.design, self.tpl.path.parent.parent)
        if found is None:
            return
        first = p._p.r_lst[0] if p._p.r_lst else None
        run = self.run(p, p._p)
        if first is not None:
            first.addprevious(run._r)
        run.add_picture(io.BytesIO(found.png), width=Pt(found.width), height=Pt(found.height))
        svg = Part(PackURI("/word/media/logo.svg"), ox.CT_SVG, found.svg, self.package)
        ox.svg_blip(run._r, self.part.relate_to(svg, RT.IMAGE), name)
        # The gap the PDF leaves between them (0.6em there; an en space is 0.5em).
        gap = self.run(p, p._p, "\u2002")
        run._r.addnext(gap._r)
        ox.text_alignment(p._p.get_or_add_pPr(), "center")

    def header(self, header, first: bool = False) -> None:
        """The running header: the short name, from page 2 on (page 1 has the masthead, as
        the PDF's); a draft's watermark on every page."""
        header.is_linked_to_previous = False  # python-docx adds header1.xml, one paragraph
        name = "" if first else common.short_name(self.doc.issuer.name)
        p = self.style(header.paragraphs[0], "Header", name)
        if name:
            self.run(p, p._p, name)
        label = common.marking(self.doc)
        if label:
            mark = self.style(p.insert_paragraph_before(), "Header", "")
            ox.watermark(mark.add_run()._r, label[0])

    def footer(self, footer) -> None:
        footer.is_linked_to_previous = False
        words = self.doc.wording
        parts = common.page_label(words)
        p = self.style(footer.paragraphs[0], "Footer", "".join(parts))
        # The fields' cached results are in the digits the site asks for; Word and
        # LibreOffice write their own when they update the fields, in Western digits. No
        # OOXML asks LibreOffice (7.4) for a script's digits: it lays out w:pgNumType's
        # thaiNumbers and hindiNumbers as 1, 2, 3, the \* ThaiArabic switch as Thai
        # letters and \* HindiArabic as 1, 2, 3, and ST_NumberFormat has no Bengali,
        # Burmese or Khmer digits at all; its own native numbering is written to .docx as
        # a plain PAGE field. So none is written (tests/test_render_docx_page.py tries
        # them).
        fields = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
        for part in parts:
            if part in fields:
                ox.field(p._p, fields[part], wording.number(words, 1))
            else:
                self.run(p, p._p, part)

    def footnotes(self) -> None:
        root = self.notes.element
        for note in self.doc.statement.footnotes:
            story = _Note(ox.footnote(root, note.number), self.notes)
            blocks = note.children or (Paragraph(()),)
            for i, block in enumerate(blocks):
                texts = [block] if isinstance(block, Paragraph | Heading) else list(
                    _flatten(block))
                for j, para in enumerate(texts):
                    text = inline_text(para.children)
                    p = self.paragraph(story, "Footnote Text", text)
                    first = i == 0 and j == 0
                    name = f"pr_fn_{note.number}"  # a note's later paragraphs: pr_fn_3_2, ...
                    self.anchor(p, name if first else self.numbered(name, start=2),
                                skip=2 if first else 0, line=note.line)
                    if first:
                        ox.footnote_mark(p._p, self.st["Footnote Number"],
                                         self.run_rtl(text))
                        # A tab to Footnote Text's hanging indent: the number in a column
                        # of its own, wrapped lines under the text, as in the PDF.
                        self.run(p, p._p).add_tab()
                    self.inlines(p, p._p, para.children, self.notes)

    # -- paragraphs and runs, through python-docx

    def paragraph(self, container, style: str, text: str,
                  num: tuple[int, int] | None = None) -> DocxParagraph:
        return self.style(container.add_paragraph(), style, text, num)

    def style(self, p: DocxParagraph, style: str, text: str,
              num: tuple[int, int] | None = None) -> DocxParagraph:
        """The paragraph's style, list numbering (numId, level) and direction: every
        paragraph of a right-to-left statement is (w:bidi), so each block is aligned with the
        statement as on the page and in the PDF; English names and URLs in it keep their own
        direction in runs without w:rtl (`run`, `text_runs`)."""
        rtl = self.rtl
        ppr = self.tpl.paragraph_properties(self.st.get(style), num, rtl)
        if p._p.pPr is not None:  # python-docx's new header or footer paragraph has one
            p._p.remove(p._p.pPr)
        if ppr is not None:
            p._p.insert(0, copy.deepcopy(ppr))
        return p

    def run(self, p: DocxParagraph, parent, text: str | None = None, *,
            style_id: str | None = None, bold: bool = False, italic: bool = False,
            font: str | None = None, marked: bool = False) -> Run:
        """A run at the end of `parent` (the paragraph's w:p, or a w:hyperlink in it);
        `marked`: `text` has its direction marks already."""
        r = parent.add_r()
        rpr = self.tpl.run_properties(style_id, bold, italic,
                                      bool(text) and self.run_rtl(text), font)
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        run = Run(r, p)
        if text:
            run.add_text(ox.clean(text if marked else self.marked(text)))
        return run

    def marked(self, text: str) -> str:
        """A left-to-right run of a right-to-left statement between two LEFT-TO-RIGHT MARKs:
        Word lays out a run without w:rtl left to right, but LibreOffice orders the
        paragraph's characters by Unicode's algorithm alone, where a URL's trailing slash
        or a name's closing bracket would jump to its other end. The review reader leaves
        the marks out (ox.unmarked)."""
        if self.rtl and not self.run_rtl(text) and any(
                bidirectional(c) in ("L", "EN") for c in text):
            return f"{ox.LRM}{text}{ox.LRM}"
        return text

    def run_rtl(self, text: str) -> bool:
        """w:rtl only on runs with right-to-left letters: it makes Word shape the whole run
        with the complex-script font, which has no Latin letters."""
        return self.rtl and any(bidirectional(c) in ("R", "AL") for c in text)

    def text_paragraph(self, container, style: str, text: str,
                       name: bool = False) -> DocxParagraph:
        p = self.paragraph(container, style, text)
        self.directed_runs(p, text, name)
        return p

    def directed_runs(self, p: DocxParagraph, text: str, name: bool = False) -> None:
        """`text` at the end of `p`, a run for each stretch of one direction (bidi.py): a
        Latin name in an Arabic heading is set left to right in the Latin font. A `name`
        (an endorser, a contact, About) is one run in the direction of its first letter,
        as the page's <bdi> and the PDF's isolates take it."""
        own = direction(text)
        if name and own is not None and own != self.script.direction:
            self.run(p, p._p, text)
            return
        for piece, _ in segments(text, self.script.direction):
            self.run(p, p._p, piece)

    def anchor(self, p: DocxParagraph, name: str, skip: int = 0,
               line: int | None = None) -> None:
        """Note a field's paragraph (its first `skip` runs are not the field's text)."""
        self.anchors.append((name, p._p, skip, line))

    def numbered(self, prefix: str, start: int = 1) -> str:
        """The next bookmark name of a numbered field: pr_body_1, pr_body_2, ..."""
        self.counts[prefix] += 1
        return f"{prefix}_{self.counts[prefix] + start - 1}"

    def body_anchor(self, p: DocxParagraph, line: int | None) -> None:
        self.anchor(p, self.numbered("pr_body"), line=line)

    # -- blocks and inlines

    def block(self, block: Block, style: str, depth: int) -> None:
        body = self.document
        if isinstance(block, Paragraph):
            p = self.paragraph(body, style, inline_text(block.children))
            self.body_anchor(p, block.line)
            self.inlines(p, p._p, block.children, self.part)
        elif isinstance(block, Heading):
            name = "Heading 2" if block.level <= 2 else f"Heading {min(block.level, 4)}"
            p = self.paragraph(body, name, inline_text(block.children))
            self.body_anchor(p, block.line)
            self.inlines(p, p._p, block.children, self.part)
        elif isinstance(block, Quote):
            for child in block.children:
                self.block(child, "Quote", depth)
        else:
            self.list_block(block, depth)

    def list_block(self, block: ListBlock, depth: int) -> None:
        kind = "List Number" if block.ordered else "List Bullet"
        style = kind if depth == 0 else f"{kind} 2"
        num = self.restart(style, block.start) if block.ordered else None
        for item in block.items:
            for i, child in enumerate(item):
                if isinstance(child, ListBlock):
                    self.list_block(child, depth + 1)
                elif i == 0 and isinstance(child, Paragraph):
                    p = self.paragraph(self.document, style, inline_text(child.children), num)
                    self.body_anchor(p, child.line or block.line)
                    self.inlines(p, p._p, child.children, self.part)
                else:  # a later paragraph of the item: no number of its own
                    self.block(child, "Body Text", depth)

    def restart(self, style: str, start: int) -> tuple[int, int] | None:
        """Word continues one numbering across every List Number paragraph of a document;
        each numbered list after the first (or not starting at 1) gets its own w:num that
        restarts the style's list, in this statement's own copy of numbering.xml."""
        self.numbered_lists += 1
        if self.numbered_lists == 1 and start == 1:
            return None
        found = self.tpl.numbering.get(self.st[style])
        if found is None:
            return None
        level, abstract = found
        if self.numbering is None:
            rid, reltype, shared = next(r for r in self.tpl.rels if r[1] == RT.NUMBERING)
            self.numbering = ox.copy_part(shared, copy.deepcopy(shared.element), self.package)
            self.part.load_rel(reltype, self.numbering, rid)  # replaces the shared part
        num = self.numbering.element.add_num(abstract)
        num.add_lvlOverride(ilvl=level).add_startOverride(start)
        return num.numId, level

    def inlines(self, p: DocxParagraph, parent, nodes: tuple[Inline, ...], part: Part, *,
                bold: bool = False, italic: bool = False, link: str | None = None,
                address: bool = False) -> None:
        for node in nodes:
            if isinstance(node, Text) and not link:
                # Runs of the other direction (bidi.py) each in a run of their own, so
                # Word lays out their neutral characters in their direction.
                for piece, _ in segments(node.text, self.script.direction):
                    self.run(p, parent, piece, bold=bold, italic=italic)
            elif isinstance(node, Text | Code):
                style = dict(bold=bold, italic=italic,
                             style_id=self.st["Hyperlink"] if link else None,
                             font=CODE_FONT if isinstance(node, Code) else None)
                if address:
                    self.address_runs(p, parent, node.text, **style)
                else:
                    self.run(p, parent, node.text, **style)
            elif isinstance(node, LineBreak):
                self.run(p, parent).add_break()
            elif isinstance(node, Emphasis | Strong):
                self.inlines(p, parent, node.children, part, link=link, address=address,
                             bold=bold or isinstance(node, Strong),
                             italic=italic or isinstance(node, Emphasis))
            elif isinstance(node, Link):
                rid = self.link(part, ox.clean(node.href))
                self.inlines(p, ox.hyperlink(parent, rid), node.children, part, bold=bold,
                             italic=italic, link=node.href,
                             address=common.shows_address(node.href,
                                                          inline_text(node.children)))
            elif isinstance(node, FootnoteRef):
                self.footnote_ref(p, parent, node.number)

    def address_runs(self, p: DocxParagraph, parent, text: str, **style) -> None:
        """An address shown as itself (a URL, an e-mail address), with Word's no-break
        hyphen for each "-", so that no line ends in a hyphen that reads as a word broken
        by hyphenation (the PDF and the page break such a URL after a slash or a dot only).
        The hyphen gets a run of its own: the text runs beside it stay plain runs, which a
        reviewers' draft's word diff can cut (trackdiff.py). The link's target is the
        address as it is, and every reader of the file reads "-" back (oxml.hyphen_text).
        In a right-to-left statement the address as a whole stands between two direction
        marks (`marked`), as any other left-to-right run."""
        for i, piece in enumerate(self.marked(text).split("-")):
            if i:
                ox.no_break_hyphen(self.run(p, parent, **style)._r)
            if piece:
                self.run(p, parent, piece, marked=True, **style)

    def link(self, part: Part, url: str) -> str:
        """The id of `part`'s relationship to `url`, one per URL. Kept here because
        python-docx's relate_to scans every relationship of the part on each call, and a
        statement with many linked notes has hundreds."""
        key = (part.partname, url)
        if key not in self.links:
            taken = self.next_rid.get(part.partname) or 1 + max(
                (int(rid[3:]) for rid in part.rels if rid[3:].isdigit()), default=0)
            while f"rId{taken}" in part.rels:  # python-docx may have added one since
                taken += 1
            self.next_rid[part.partname] = taken + 1
            self.links[key] = f"rId{taken}"
            part.load_rel(RT.HYPERLINK, url, self.links[key], is_external=True)
        return self.links[key]

    def footnote_ref(self, p: DocxParagraph, parent, number: int) -> None:
        style = self.st["Footnote Reference"]
        mark = f"_RefNote{number}"
        if number in self.seen:
            ox.field(parent, f"NOTEREF {mark} \\f \\h", str(number), style)
            return
        self.seen.add(number)
        shared = self.cited[number] > 1
        if shared:
            ox.bookmark(parent, number, mark, start=True)
        ox.footnote_reference(self.run(p, parent, style_id=style)._r, number)
        if shared:
            ox.bookmark(parent, number, mark, start=False)


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
