"""`pressroom styles`: the Word reference document's styles, made from templates/design.toml.

The Word renderer only picks named styles (render/docx.py); their look lives in
templates/word/reference.docx, which this module builds from python-docx's default
template and the site's design, so that the Word file looks like the PDF and the page:
the organisation and the statement type over the title, the same type scale, colours and
spacing, bulleted endorsers, About at body size, "Page x of y" centred, footnotes with a
hanging number.

Staff may still restyle reference.docx in Word. Each write keeps a record beside it
(`styles-written.json`: the file's sha256 and a fingerprint of each style), and a later
write refuses to overwrite a reference document changed since, naming the styles that
differ, unless forced. The same design always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .design import load_design
from .errors import PressroomError
from .fileio import atomic_write
from .model import Design

REFERENCE = Path("word") / "reference.docx"
RECORD = Path("word") / "styles-written.json"
FIXED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
# Parts of the file that are no style but change its look, compared like styles.
DEFAULTS, PAGE = "(document defaults)", "(page setup)"
LATIN_LINE = 1.4  # render/scripts.py's Latin line height, in ems
NOTO_SERIF_LINE = 1.362  # Noto Serif's own line (ascender + descender), in ems

BUILTIN_NAMES = {"Footnote Text": "footnote text", "Footnote Reference": "footnote reference",
                 "Hyperlink": "Hyperlink"}
# Styles python-docx's template already has; the renderer uses these too.
EXISTING = ["Normal", "Title", "Body Text", "Heading 2", "Heading 3", "Heading 4",
            "List Bullet", "List Bullet 2", "List Number", "List Number 2", "Quote",
            "Header", "Footer"]


class StylesChanged(PressroomError):
    """The reference document was restyled since `pressroom styles` wrote it."""


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def build(design: Design) -> bytes:
    """reference.docx for `design`, byte-identical for the same design."""
    document = docx.Document()
    _page_setup(document, design)
    _drop_extra_parts(document)
    styles = document.styles
    _defaults(document, design)
    body, muted, accent = _rgb(design.colour_text), _rgb(design.colour_muted), \
        _rgb(design.colour_accent)
    heading = dict(size=design.size_heading, bold=True, colour=body,
                   space=(design.space_heading_above, design.space_heading_below),
                   keep_next=True)
    # name: (type, based on, look). The headings of the closing parts look like the body's.
    looks = {
        "Title": (P, "Normal", dict(size=design.size_title, bold=True, colour=body,
                                    space=(0, design.space_title_below), keep_next=True)),
        "Organisation": (P, "Normal", dict(size=design.size_organisation, bold=True,
                                           colour=accent, font=design.font_label,
                                           space=(0, 12), rule=design.colour_accent)),
        "Statement Type": (P, "Normal", dict(size=design.size_label, colour=muted,
                                             font=design.font_label, caps=True,
                                             space=(0, 3), keep_next=True)),
        "Dateline": (P, "Normal", dict(italic=True, colour=muted, space=(0, 12))),
        "Body Text": (P, "Normal", dict(space=(0, design.space_paragraph))),
        "Heading 2": (P, "Normal", heading),
        "Heading 3": (P, "Normal", heading),
        "Heading 4": (P, "Normal", heading),
        "Endorsers Heading": (P, "Normal", heading),
        "Endorser": (P, "List Bullet", dict(space=(0, 0))),
        "About Heading": (P, "Normal", heading),
        "About": (P, "Normal", dict(space=(0, design.space_paragraph))),
        "Contacts Heading": (P, "Normal", heading),
        "Contact": (P, "Normal", dict(space=(0, design.space_paragraph))),
        "Footnote Text": (P, "Normal", dict(size=design.size_note, space=(0, 2),
                                            hanging=Mm(6))),
        "Draft Banner": (P, "Normal", dict(size=12, bold=True, colour=RGBColor(0x8A, 0x11,
                                                                               0x11),
                                           space=(0, 12), center=True)),
        "Footer": (P, "Normal", dict(size=design.size_label, colour=muted,
                                     font=design.font_label, center=True)),
        "Header": (P, "Normal", dict(size=design.size_label, colour=muted,
                                     font=design.font_label)),
        "Footnote Reference": (C, None, dict(superscript=True)),
        # A note's own number, at the note's size in its column, as the PDF and the page
        # set it (the marker in the text stays superscript).
        "Footnote Number": (C, None, dict(size=design.size_note)),
        "Hyperlink": (C, None, dict(colour=_rgb(design.colour_link), underline=True)),
    }
    missing = [name for name in EXISTING if name not in styles]
    if missing:  # python-docx's template changed under us: say so rather than build half
        raise PressroomError(f"python-docx's template lacks styles: {', '.join(missing)}")
    for name, (kind, base, look) in looks.items():
        if name in styles:
            style = styles[name]
            _reset(style)
        else:
            style = styles.add_style(name, kind)
        if base:
            style.base_style = styles[base]
        _apply(style, kind, look)
        style.quick_style = True
    for name, builtin in BUILTIN_NAMES.items():
        # Word knows these as built-ins under lower-case names; a custom style named
        # "Footnote Text" would sit beside Word's own and footnotes would not use it.
        style = styles[name].element
        style.name_val = builtin
        style.attrib.pop(qn("w:customStyle"), None)
    for name in ("Header", "Footer"):
        # The template's tab stops fit US Letter; put them at the middle and edge of A4's text.
        width = round((210 - 2 * design.word_margin_x) / 25.4 * 1440)
        for tab in styles[name].element.iter(qn("w:tab")):
            tab.set(qn("w:pos"), str(width // 2 if tab.get(qn("w:val")) == "center" else width))
    _no_theme_fonts(document)
    _trim_table_styles(document)
    props = document.core_properties
    props.title = "Pressroom reference styles"
    props.author = props.last_modified_by = "Pressroom"
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.revision = 1
    props.comments = ("Made by `pressroom styles` from templates/design.toml. Restyle the "
                      "named styles in Word; the renderer only picks style names.")
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _reset(style) -> None:
    """A built-in style emptied of its stock look (the navy, 26 pt, ruled Title)."""
    for tag in ("w:pPr", "w:rPr"):
        found = style.element.find(qn(tag))
        if found is not None:
            style.element.remove(found)


def _apply(style, kind, look: dict) -> None:
    font = style.font
    if look.get("size"):
        font.size = Pt(look["size"])
    if look.get("bold"):
        font.bold = True
    if look.get("italic"):
        font.italic = True
    if look.get("colour") is not None:
        font.color.rgb = look["colour"]
    if look.get("font"):
        font.name = look["font"]
    if look.get("caps"):
        font.all_caps = True
    if look.get("superscript"):
        font.superscript = True
    if look.get("underline"):
        font.underline = True
    if kind != P:
        return
    fmt = style.paragraph_format
    if "space" in look:
        fmt.space_before, fmt.space_after = Pt(look["space"][0]), Pt(look["space"][1])
    if look.get("keep_next"):
        fmt.keep_with_next = True
    if look.get("center"):
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if look.get("hanging"):
        fmt.left_indent, fmt.first_line_indent = look["hanging"], -look["hanging"]
        fmt.tab_stops.add_tab_stop(look["hanging"])
    if look.get("rule"):
        ppr = style.element.get_or_add_pPr()
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for attr, value in (("val", "single"), ("sz", "6"), ("space", "4"),
                            ("color", look["rule"].lstrip("#").upper())):
            bottom.set(qn(f"w:{attr}"), value)
        border.append(bottom)
        ppr.insert(0, border)


def _page_setup(document, design: Design) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not US Letter
    section.left_margin = section.right_margin = Mm(design.word_margin_x)
    section.top_margin = section.bottom_margin = Mm(design.word_margin_y)
    section.header_distance = section.footer_distance = Mm(12)


def _drop_extra_parts(document) -> None:
    """stylesWithEffects (a 438 KB Word 2010 copy of styles.xml), customXml and the thumbnail
    are not needed; python-docx writes only the parts still related."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rid)
    pkg_rels = part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype.endswith(("/thumbnail", "/extended-properties")):
            del pkg_rels[rid]


def _defaults(document, design: Design) -> None:
    # Fonts live in the document defaults, not in Normal: the renderer sets the record's
    # script font there, and a font a staff member gives a style in Word still wins.
    normal = document.styles["Normal"]
    normal.font.size = Pt(design.size_body)
    normal.font.color.rgb = _rgb(design.colour_text)
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = rpr.find(qn("w:rPr")).find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), design.font_body)
    # Lines as tall as the PDF's and the page's (1.4 em for Latin; "auto" counts in the
    # font's own line, 1.362 em for Noto Serif), and the design's space after a paragraph,
    # not the template's 1.15 lines and 10 pt.
    spacing = document.styles.element.find(qn("w:docDefaults")).find(
        qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:line"), str(round(240 * LATIN_LINE / NOTO_SERIF_LINE)))
    spacing.set(qn("w:after"), str(round(design.space_paragraph * 20)))


def _no_theme_fonts(document) -> None:
    """Theme font attributes win over the fonts the renderer sets for a record's script (an
    Arabic title would come out in the theme's Latin face): drop them from every style."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attr in [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]:
            del fonts.attrib[attr]
        if not fonts.attrib:
            fonts.getparent().remove(fonts)


def _trim_table_styles(document) -> None:
    """The template's 130 table styles are Word built-ins Word offers anyway; dropping them
    makes styles.xml a tenth of its size, which every render parses."""
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in (
                "TableNormal", "TableGrid"):
            root.remove(style)


def _fixed_zip(data: bytes) -> bytes:
    """python-docx stamps zip entries with the current time; restamp them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# --- what was written, and what differs since -----------------------------------------------


_IGNORED = {qn("w:rsid"), qn("w:uiPriority"), qn("w:qFormat"), qn("w:semiHidden"),
            qn("w:unhideWhenUsed")}  # bookkeeping Word rewrites on any save


def fingerprints(data: bytes) -> dict[str, str]:
    """A fingerprint of each style of a reference document (by its name as Word shows it),
    of its document defaults and of its page setup. Word's bookkeeping (rsids, the styles
    gallery) is left out, so a file merely opened and saved again matches."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            styles = etree.fromstring(z.read("word/styles.xml"))
            body = etree.fromstring(z.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise PressroomError(f"not a Word document ({exc})") from None
    found: dict[str, str] = {}

    def digest(element) -> str:
        element = etree.fromstring(etree.tostring(element))
        for child in list(element.iter()):
            if child.tag in _IGNORED and child.getparent() is not None:
                child.getparent().remove(child)
        return hashlib.sha256(etree.tostring(element, method="c14n")).hexdigest()[:16]

    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        key = name.get(qn("w:val")) if name is not None else style.get(qn("w:styleId"))
        found[key] = digest(style)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        found[DEFAULTS] = digest(defaults)
    sect = body.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    if sect is not None:
        found[PAGE] = digest(sect)
    return found


def differences(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """The names of the styles changed, added or removed between two fingerprints."""
    return sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))


@dataclass(frozen=True)
class Written:
    path: Path
    changed: bool  # False: the file already held exactly these styles
    overwritten: tuple[str, ...] = ()  # with force: the hand-made styles replaced


def write_styles(templates_dir: Path, force: bool = False) -> Written:
    """Write templates/word/reference.docx from templates/design.toml. Refuses (StylesChanged,
    naming the styles) when the file there was changed since it was last written here,
    unless `force`."""
    templates_dir = Path(templates_dir)
    design = load_design(templates_dir)
    target, record_path = templates_dir / REFERENCE, templates_dir / RECORD
    data = build(design)
    overwritten: tuple[str, ...] = ()
    if target.is_file():
        current = target.read_bytes()
        if current == data:
            return Written(target, False)
        record = _record(record_path)
        if record is None or record.get("sha256") != hashlib.sha256(current).hexdigest():
            try:
                now = fingerprints(current)
            except PressroomError as exc:
                if not force:
                    raise StylesChanged(f"{target}: {exc}; --force replaces it") from None
                now = {}
            if record is None:
                differ: tuple[str, ...] = ("all of them (there is no record of what "
                                           f"`pressroom styles` wrote: {record_path})",)
            else:
                differ = tuple(differences(record.get("styles") or {}, now))
            if differ and not force:
                raise StylesChanged(
                    f"{target} was changed since `pressroom styles` wrote it; these styles "
                    f"differ: {', '.join(differ)}. Make the same change in "
                    f"{templates_dir / 'design.toml'} if it should last, or run "
                    "`pressroom styles --force` to replace them.")
            overwritten = differ
    atomic_write(target, data)
    atomic_write(record_path, (json.dumps(
        {"sha256": hashlib.sha256(data).hexdigest(), "styles": fingerprints(data)},
        indent=1, sort_keys=True) + "\n").encode())
    return Written(target, True, overwritten)


def _record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
