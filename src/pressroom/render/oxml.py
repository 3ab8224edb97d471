"""WordprocessingML element helpers for what python-docx cannot write: footnotes, hyperlinks,
fields, bookmarks, package properties, language and right-to-left run properties.

Each helper returns lxml elements (or part bytes); `docx.py` decides what goes where. Element
order inside `w:pPr` and `w:rPr` follows the schema, which Word enforces and LibreOffice does not.
Paragraphs, runs, styles, headers, footers, core properties and relationships go through
python-docx (`docx.py`); these helpers work on its elements. The package is zipped here
(python-docx stamps entries with the clock and recompresses unchanged parts every time).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import OxmlElement, parse_xml
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.package import Package
from docx.text.run import Run
from lxml import etree

from ..errors import RenderError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
W10_NS = "urn:schemas-microsoft-com:office:word"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"

# What python-docx's constants do not name.
REL_CUSTOM = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "custom-properties")
CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"

CT_SVG = "image/svg+xml"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
# Word 2016's SVG picture: an extension of the main (raster) blip naming the SVG part.
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"

# The format id Office gives every user-defined custom property.
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


# Characters XML 1.0 cannot carry (lxml refuses them): a vertical tab pasted from Word, a
# form feed from an old archive page. They have no printed form, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


# What docx.py puts around a left-to-right run of a right-to-left statement, for
# LibreOffice's sake: not the record's text, so the review reader leaves it out.
LRM = "\u200e"
_MARKS = str.maketrans("", "", LRM)


def unmarked(text: str) -> str:
    return text.translate(_MARKS)


def w(tag: str) -> str:
    """Clark notation for a w: name: w("p") -> "{...main}p"."""
    return f"{{{W_NS}}}{tag}"


NO_BREAK_HYPHEN = w("noBreakHyphen")
HYPERLINK = w("hyperlink")


def no_break_hyphen(r: etree._Element) -> None:
    """Word's non-breaking hyphen as a run's content: docx.py writes one for each "-" of an
    address shown as itself, so a line never breaks there (LibreOffice reads it as U+2011)."""
    sub(r, "noBreakHyphen")


def hyphen_text(el: etree._Element) -> str:
    """What a w:noBreakHyphen reads as: "-" inside a link, where only an address's own
    hyphens are written as one; U+2011 elsewhere, a record's own no-break hyphen (LibreOffice
    saves a U+2011 of the text as w:noBreakHyphen). Links survive a save in Word and
    LibreOffice, so this holds for a reviewed file too."""
    return "-" if any(a.tag == HYPERLINK for a in el.iterancestors()) else "\u2011"


W_VAL = w("val")
R_ID = f"{{{R_NS}}}id"
XML_SPACE = f"{{{XML_NS}}}space"


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """A w: child element with w: attributes."""
    el = etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        el.set(w(key), value)
    return el


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- what python-docx's run and paragraph API has no call for ------------------------------


def _run(parent: etree._Element, text: str | None = None, style_id: str | None = None,
         rtl: bool = False) -> etree._Element:
    """A bare `w:r` for field codes and note marks (runs of text go through python-docx)."""
    r = etree.SubElement(parent, w("r"))
    if style_id or rtl:
        rpr = sub(r, "rPr")
        if style_id:
            sub(rpr, "rStyle", val=style_id)
        if rtl:
            sub(rpr, "rtl")
    if text is not None:
        t = sub(r, "t")
        t.text = clean(text)
        t.set(XML_SPACE, "preserve")
    return r


def paragraph_properties(style_id: str | None, num: tuple[int, int] | None,
                         rtl: bool) -> CT_PPr | None:
    """A w:pPr set through python-docx's API: the style by its id (python-docx's style setter
    would scan every style of the document on each call), numbering (numId, level) and
    direction. None when there is nothing to set."""
    ppr = OxmlElement("w:pPr")
    ppr.style = style_id
    if num:
        num_pr = ppr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = num[1]
        num_pr.get_or_add_numId().val = num[0]
    if rtl:  # python-docx has no call for w:bidi; after pStyle and numPr, as the schema says
        ppr.append(etree.Element(w("bidi")))
    return ppr if len(ppr) else None


def run_properties(style_id: str | None, bold: bool, italic: bool, rtl: bool,
                   font: str | None) -> CT_RPr | None:
    """A w:rPr set through python-docx's Font. Bold and italic are set for complex scripts
    too (bCs, iCs), as Word does."""
    run = Run(OxmlElement("w:r"), None)  # type: ignore[arg-type]  # no story: formats only
    if style_id:
        run._r.get_or_add_rPr().style = style_id
    if font:
        run.font.name = font
    if bold:
        run.font.bold = run.font.cs_bold = True
    if italic:
        run.font.italic = run.font.cs_italic = True
    if rtl:
        run.font.rtl = True
    return run._r.rPr


def svg_blip(r: etree._Element, rel_id: str, description: str) -> None:
    """The picture in run `r` (python-docx's, a PNG) also as the SVG of `rel_id`, as Word
    writes an SVG picture; its alternative text is `description`."""
    blip = r.find(f".//{{{A_NS}}}blip")
    ext_list = blip.find(f"{{{A_NS}}}extLst")
    if ext_list is None:
        ext_list = etree.SubElement(blip, f"{{{A_NS}}}extLst")
    ext = etree.SubElement(ext_list, f"{{{A_NS}}}ext")
    ext.set("uri", _SVG_EXT)
    svg = etree.SubElement(ext, f"{{{ASVG_NS}}}svgBlip", nsmap={"asvg": ASVG_NS})
    svg.set(f"{{{R_NS}}}embed", rel_id)
    for el in r.iter("{*}docPr", "{*}cNvPr"):
        el.set("descr", clean(description))
    # No space around it, as Word writes an inline picture: without these LibreOffice puts
    # its own default (about 3 mm) on each side.
    for inline in r.iter("{*}inline"):
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")


def text_alignment(ppr: etree._Element, value: str) -> None:
    """w:textAlignment (a line's characters and pictures aligned on their middles), placed
    where the schema's sequence of w:pPr puts it: before these."""
    el = ppr.find(w("textAlignment"))
    if el is None:
        el = etree.Element(w("textAlignment"))
        later = [c for c in ppr if etree.QName(c).localname in (
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
            "pPrChange")]
        (later[0].addprevious if later else ppr.append)(el)
    el.set(W_VAL, value)


def section_rtl(sect: etree._Element) -> None:
    """Page furniture (and columns) right to left; the schema puts bidi before these."""
    if sect.find(w("bidi")) is not None:
        return
    later = [c for c in sect if etree.QName(c).localname in (
        "rtlGutter", "docGrid", "printerSettings", "sectPrChange")]
    bidi = etree.Element(w("bidi"))
    if later:
        later[0].addprevious(bidi)
    else:
        sect.append(bidi)


def hyperlink(parent: etree._Element, rel_id: str) -> etree._Element:
    """A `w:hyperlink` to an external relationship; runs go inside it."""
    link = etree.SubElement(parent, w("hyperlink"))
    link.set(R_ID, rel_id)
    link.set(w("history"), "1")
    return link


def footnote_reference(r: etree._Element, footnote_id: int) -> None:
    sub(r, "footnoteReference", id=str(footnote_id))


def bookmark(parent: etree._Element, bookmark_id: int, name: str, start: bool) -> None:
    if start:
        sub(parent, "bookmarkStart", id=str(bookmark_id), name=name)
    else:
        sub(parent, "bookmarkEnd", id=str(bookmark_id))


def field(parent: etree._Element, instruction: str, result: str, style_id: str | None = None,
          rtl: bool = False) -> None:
    """A complex field (PAGE, NUMPAGES, NOTEREF) with a cached result, which readers that do
    not update fields (and text extraction) show as is."""
    _run(parent, style_id=style_id, rtl=rtl).append(_fld_char("begin"))
    instr = sub(_run(parent, style_id=style_id, rtl=rtl), "instrText")
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    _run(parent, style_id=style_id, rtl=rtl).append(_fld_char("separate"))
    _run(parent, result, style_id=style_id, rtl=rtl)
    _run(parent, style_id=style_id, rtl=rtl).append(_fld_char("end"))


def _fld_char(kind: str) -> etree._Element:
    el = etree.Element(w("fldChar"))
    el.set(w("fldCharType"), kind)
    return el


# --- parts ---------------------------------------------------------------------------------


def footnotes_root() -> etree._Element:
    """word/footnotes.xml with the separator (-1) and continuation separator (0) that Word
    writes and that settings.xml's footnotePr points at. Parsed by python-docx, so the
    paragraphs and runs added under it take its paragraph and run API."""
    root = parse_xml(f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}"/>')
    for fid, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note = sub(root, "footnote", type=kind, id=fid)
        p = sub(note, "p")
        sub(sub(p, "pPr"), "spacing", after="0", line="240", lineRule="auto")
        sub(sub(p, "r"), kind)
    return root


def footnote(root: etree._Element, footnote_id: int) -> etree._Element:
    return sub(root, "footnote", id=str(footnote_id))


def footnote_mark(parent: etree._Element, style_id: str, rtl: bool) -> None:
    """The number at the start of a footnote's text (`w:footnoteRef`)."""
    sub(_run(parent, style_id=style_id, rtl=rtl), "footnoteRef")


def footnote_properties(settings: etree._Element) -> None:
    """Point settings.xml at the separator footnotes, replacing any footnote or endnote
    properties a template saved by Word carried (it may refer to an endnotes part we drop)."""
    for tag in ("footnotePr", "endnotePr"):
        for old in settings.findall(w(tag)):
            settings.remove(old)
    pr = etree.Element(w("footnotePr"))
    for fid in ("-1", "0"):
        sub(pr, "footnote", id=fid)
    # CT_Settings is a sequence: footnotePr goes before compat and everything after it.
    after = ("compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
             "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
             "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
             "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
    for child in settings:
        if etree.QName(child).localname in after:
            child.addprevious(pr)
            return
    settings.append(pr)


def watermark(r: etree._Element, text: str) -> None:
    """A diagonal grey text watermark behind every page, as Word's Design > Watermark writes
    it (a VML text path in a header's run); LibreOffice imports it as its own watermark."""
    pict = sub(r, "pict")
    pict.append(etree.fromstring(_TEXT_SHAPETYPE))
    shape = etree.SubElement(pict, f"{{{V_NS}}}shape")
    shape.set("id", "PowerPlusWaterMarkObject")
    shape.set(f"{{{O_NS}}}spid", "_x0000_s1025")
    shape.set("type", "#_x0000_t136")
    shape.set("style", "position:absolute;margin-left:0;margin-top:0;width:468pt;height:117pt;"
              "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
              "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
              "mso-position-vertical-relative:margin")
    shape.set(f"{{{O_NS}}}allowincell", "f")
    shape.set("fillcolor", "silver")
    shape.set("stroked", "f")
    etree.SubElement(shape, f"{{{V_NS}}}fill").set("opacity", ".5")
    path = etree.SubElement(shape, f"{{{V_NS}}}textpath")
    path.set("on", "t")
    path.set("fitshape", "t")
    path.set("style", 'font-family:"Noto Sans";font-size:1pt')
    path.set("string", text)
    wrap = etree.SubElement(shape, f"{{{W10_NS}}}wrap")
    wrap.set("anchorx", "margin")
    wrap.set("anchory", "margin")


# Word's definition of the text-path shape (o:spt 136) that its watermarks use.
_TEXT_SHAPETYPE = f"""<v:shapetype xmlns:v="{V_NS}" xmlns:o="{O_NS}" id="_x0000_t136"
 coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>"""


def set_language_and_fonts(styles: etree._Element, lang: str, slot: str, font: str,
                           latin_lang: str) -> None:
    """Put the record's language and script font in the document defaults (docDefaults), so
    every style inherits them: the font in the script's `w:rFonts` slot (ascii+hAnsi,
    eastAsia or cs) and the language in the matching `w:lang` attribute (val, eastAsia,
    bidi). `val` is the language of Latin letters: in a Japanese or Arabic statement that is
    `latin_lang` (names, URLs), or LibreOffice breaks English words like Japanese."""
    defaults = styles.find(w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(w("docDefaults"))
        styles.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(w("rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = sub(rpr_default, "rPr")
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        fonts = etree.Element(w("rFonts"))
        rpr.insert(0, fonts)
    for attr in [a for a in fonts.attrib if a.lower().endswith("theme")]:
        del fonts.attrib[attr]  # a theme font would win over the font set here
    for name in ("ascii", "hAnsi") if slot == "ascii" else (slot,):
        fonts.set(w(name), font)
    language = rpr.find(w("lang"))
    if language is None:
        language = sub(rpr, "lang")  # lang is the last of the elements docDefaults use
    language.set(W_VAL, lang if slot == "ascii" else latin_lang)
    if slot == "eastAsia":
        language.set(w("eastAsia"), lang)
    elif slot == "cs":
        language.set(w("bidi"), lang)


def scale_line_spacing(styles: etree._Element, factor: float) -> None:
    """Multiply every proportional line spacing in styles.xml by `factor`: a script with
    tall stacks (Burmese) or a sloping baseline (Nastaliq) needs more room than Latin text.
    Exact and at-least spacings (lineRule exact/atLeast) are left as the template sets them."""
    if factor == 1:
        return
    for spacing in styles.iter(w("spacing")):
        line = spacing.get(w("line"))
        if line is not None and spacing.get(w("lineRule"), "auto") == "auto":
            spacing.set(w("line"), str(round(int(line) * factor)))


def scale_complex_size(styles: etree._Element, factor: float) -> None:
    """Give every size in styles.xml a complex-script size (w:szCs) of `factor` times it:
    Arabic, Thai or Bengali letters then read as large as the Latin ones beside them, which
    keep w:sz. Where a style sets no size, the document defaults' applies."""
    if factor == 1:
        return
    for size in styles.iter(w("sz")):
        value = size.get(W_VAL, "")
        if not value.isdigit():
            continue
        rpr = size.getparent()
        complex_size = rpr.find(w("szCs"))
        if complex_size is None:
            complex_size = etree.Element(w("szCs"))
            size.addnext(complex_size)  # szCs follows sz in the schema's order
        complex_size.set(W_VAL, str(round(int(value) * factor)))


def theme_font_language(settings: etree._Element, lang: str, slot: str,
                        latin_lang: str) -> None:
    """settings.xml's themeFontLang follows the text language, and the proof state is reset
    so Word spell-checks the new text instead of trusting the template's 'clean'."""
    for old in settings.findall(w("proofState")):
        settings.remove(old)
    theme = settings.find(w("themeFontLang"))
    if theme is not None:
        theme.set(W_VAL, lang if slot == "ascii" else latin_lang)
        if slot in ("eastAsia", "cs"):
            theme.set(w("eastAsia" if slot == "eastAsia" else "bidi"), lang)


# --- package parts -------------------------------------------------------------------------


def content_types(defaults: dict[str, str], overrides: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    for ext, ctype in sorted(defaults.items()):
        el = etree.SubElement(root, f"{{{CT_NS}}}Default")
        el.set("Extension", ext)
        el.set("ContentType", ctype)
    for name, ctype in sorted(overrides.items()):
        el = etree.SubElement(root, f"{{{CT_NS}}}Override")
        el.set("PartName", name)
        el.set("ContentType", ctype)
    return to_bytes(root)


def core_text(core: etree._Element, tag: str, value: str) -> None:
    """A docProps/core.xml text property longer than python-docx accepts (255 characters,
    a limit of its own, not of the format): a title or keyword list may be longer."""
    ns = DC_NS if tag in ("title", "subject", "creator", "description", "language") else CP_NS
    el = core.find(f"{{{ns}}}{tag}")
    if el is None:
        el = etree.SubElement(core, f"{{{ns}}}{tag}")
    el.text = clean(value)


def custom_properties(values: dict[str, str]) -> bytes:
    """docProps/custom.xml: string properties Word shows under File > Properties > Custom."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})
    for pid, (name, value) in enumerate(values.items(), start=2):  # pids start at 2
        prop = etree.SubElement(root, f"{{{ns}}}property")
        prop.set("fmtid", _CUSTOM_FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{vt}}}lpwstr").text = clean(value)
    return to_bytes(root)


# --- parts of the reference -----------------------------------------------------------------


def check_parts(path: Path, data: bytes) -> None:
    """Every XML part parses, or the error names the part and line: python-docx's own
    parse error names neither."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(z.read(name))
                    except etree.XMLSyntaxError as exc:
                        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
                        raise RenderError(f"{path}: {name}: line {exc.lineno}: {message}"
                                          ) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise RenderError(f"{path}: not a Word document ({exc}); save it from Word as .docx"
                          ) from None


def copy_part(part: XmlPart, element, package=None) -> XmlPart:
    """`part` with another element (and package), keeping its own relationships."""
    new = type(part)(part.partname, part.content_type, element, package or part.package)
    for rid, rel in part.rels.items():
        new.load_rel(rel.reltype, rel.target_ref if rel.is_external else rel.target_part, rid,
                     rel.is_external)
    return new


# --- the zip, written here for fixed timestamps and parts compressed once ---------------------


@dataclass(frozen=True)
class Packed:
    crc: int
    size: int
    data: bytes  # raw deflate


def pack(raw: bytes) -> Packed:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Packed(zlib.crc32(raw), len(raw), deflate.compress(raw) + deflate.flush())


def write_package(package: Package, pack_shared: Callable[[Part], Packed],
                  date: dt.date) -> bytes:
    """A python-docx package as .docx bytes, written here rather than by its `save`: every
    entry stamped with `date`, entries in a fixed order, and the parts of another package
    (the reference's, shared by every statement) compressed by `pack_shared`, once."""
    packed = {"_rels/.rels": pack(package.rels.xml)}
    types: dict[str, str] = {}
    for part in package.iter_parts():
        types[part.partname] = part.content_type
        shared = part.package is not package
        packed[part.partname[1:]] = pack_shared(part) if shared else pack(part.blob)
        if part.rels:
            packed[part.partname.rels_uri[1:]] = pack(part.rels.xml)
    packed["[Content_Types].xml"] = pack(content_types(
        {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}, types))
    first = ["[Content_Types].xml", "_rels/.rels"]  # readers sniff the first entries
    order = first + sorted(set(packed) - set(first))
    return zip_package([(name, packed[name]) for name in order], date)


def zip_package(entries: list[tuple[str, Packed]], date: dt.date) -> bytes:
    """A zip of deflated entries, each stamped with `date` at midnight (no clock involved)."""
    dos_date = (max(date.year, 1980) - 1980) << 9 | date.month << 5 | date.day
    out, central = bytearray(), bytearray()
    for name, packed in entries:
        raw_name = name.encode("utf-8")
        offset = len(out)
        common_fields = (8, 0, dos_date, packed.crc, len(packed.data), packed.size, len(raw_name))
        out += struct.pack("<IHH" + "HHHIIIH" + "H", 0x04034B50, 20, 0x800, *common_fields, 0)
        out += raw_name + packed.data
        central += struct.pack("<IHHH" + "HHHIIIH" + "HHHHII", 0x02014B50, 0x0314, 20, 0x800,
                               *common_fields, 0, 0, 0, 0, 0o644 << 16, offset)
        central += raw_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                      len(out), 0)
    return bytes(out + central + end)


# --- a reviewers' draft: bookmarks, comment dates, tracked changes ----------------------------


def wrap_bookmark(p: etree._Element, skip: int, bookmark_id: int, name: str) -> None:
    """A bookmark around the paragraph's content after its first `skip` runs (a footnote's
    own number and the space after it are not the note's text)."""
    content = [c for c in p if c.tag != w("pPr")]
    runs = [c for c in content if c.tag == w("r")][:skip]
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), str(bookmark_id))
    start.set(w("name"), name)
    if runs:
        runs[-1].addnext(start)
    elif p.find(w("pPr")) is not None:
        p.find(w("pPr")).addnext(start)
    else:
        p.insert(0, start)
    sub(p, "bookmarkEnd", id=str(bookmark_id))


def comment_date(comments: etree._Element, comment_id: int, stamp: str) -> None:
    """A comment's w:date set to `stamp` (python-docx stamps the clock's time)."""
    for comment in comments.iter(w("comment")):
        if comment.get(w("id")) == str(comment_id):
            comment.set(w("date"), stamp)


# CT_Settings children that come after w:trackRevisions in the schema's sequence.
_AFTER_TRACK = ("doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
                "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop",
                "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
                "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
                "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
                "bookFoldPrintingSheets", "drawingGridHorizontalSpacing",
                "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
                "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
                "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData",
                "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne",
                "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore",
                "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
                "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
                "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
                "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr",
                "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
                "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
                "decimalSymbol", "listSeparator")


def track_revisions(settings: etree._Element) -> None:
    """Switch on track changes (w:trackRevisions), where the schema's sequence puts it."""
    if settings.find(w("trackRevisions")) is not None:
        return
    on = etree.Element(w("trackRevisions"))
    for child in settings:
        if etree.QName(child).localname in _AFTER_TRACK:
            child.addprevious(on)
            return
    settings.append(on)


def bookmarked_texts(root: etree._Element) -> list[tuple[str, str]]:
    """(name, text) of every bookmark in a part, in order: the text inside it as a reader of
    the file sees it (w:t, a break as a line end, a tab, a no-break hyphen), deleted text
    left out."""
    open_marks: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    done: list[tuple[str, str]] = []
    deleted = {w("del"), w("moveFrom")}
    for el in root.iter(w("bookmarkStart"), w("bookmarkEnd"), w("t"), w("br"), w("tab"),
                        w("p"), NO_BREAK_HYPHEN):
        tag = el.tag
        if tag == w("bookmarkStart"):
            names[el.get(w("id"))] = el.get(w("name"), "")
            open_marks[el.get(w("id"))] = []
        elif tag == w("bookmarkEnd"):
            pieces = open_marks.pop(el.get(w("id")), None)
            if pieces is not None:
                done.append((names[el.get(w("id"))], "".join(pieces).strip("\n")))
        elif open_marks:
            if tag == w("p"):
                piece = "\n"
            elif tag == w("tab"):
                if el.getparent().tag != w("r"):
                    continue  # a tab stop in the paragraph's properties
                piece = "\t"
            elif tag == w("br"):
                piece = "\n"
            elif tag == NO_BREAK_HYPHEN:
                piece = hyphen_text(el)
            else:
                piece = unmarked(el.text or "")
            if any(a.tag in deleted for a in el.iterancestors()):
                continue
            for pieces in open_marks.values():
                pieces.append(piece)
    return done
