"""Build src/pressroom/templates/word/reference.docx from python-docx's default template.

The reference document carries only styles and page setup: the Word renderer picks its named
styles (Title, Body Text, Endorser, Footnote Text, ...) and never sets formatting itself, so a
staff member can restyle the statements by editing this file in Word. Run it again after
changing it here; the output is byte-identical run after run:

    .venv/bin/python scripts/make_reference_docx.py [OUTPUT]
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUTPUT = (Path(__file__).resolve().parent.parent
          / "src" / "pressroom" / "templates" / "word" / "reference.docx")
FIXED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
BODY_FONT = "Noto Serif"  # the renderer sets the record's script font over this

P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER

# name, type, based on, (size pt, bold, italic, colour), space before/after pt, extra
NEW_STYLES = [
    ("Dateline", P, "Normal", (None, False, True, None), (0, 12), {}),
    ("Endorsers Heading", P, "Normal", (None, True, False, None), (12, 6), {"keep_next": True}),
    ("Endorser", P, "Normal", (None, False, False, None), (0, 0), {}),
    ("About Heading", P, "Normal", (None, True, False, None), (12, 6), {"keep_next": True}),
    ("About", P, "Normal", (9, False, False, None), (0, 6), {}),
    ("Contacts Heading", P, "Normal", (None, True, False, None), (12, 6), {"keep_next": True}),
    ("Contact", P, "Normal", (None, False, False, None), (0, 6), {}),
    ("Footnote Text", P, "Normal", (9, False, False, None), (0, 0), {}),
    ("Draft Banner", P, "Normal", (12, True, False, RGBColor(0xC0, 0, 0)), (0, 12),
     {"center": True}),
    ("Footnote Reference", C, None, (None, False, False, None), None, {"superscript": True}),
    ("Hyperlink", C, None, (None, False, False, RGBColor(0x05, 0x63, 0xC1)), None,
     {"underline": True}),
]
BUILTIN_NAMES = {"Footnote Text": "footnote text", "Footnote Reference": "footnote reference",
                 "Hyperlink": "Hyperlink"}
# Styles python-docx's template already has; the renderer uses these too.
EXISTING = ["Normal", "Title", "Body Text", "Heading 2", "Heading 3", "Heading 4",
            "List Bullet", "List Bullet 2", "List Number", "List Number 2", "Quote",
            "Header", "Footer"]


def build() -> bytes:
    document = docx.Document()
    _page_setup(document)
    _drop_extra_parts(document)
    styles = document.styles
    _defaults(document)
    for name, kind, base, (size, bold, italic, colour), spacing, extra in NEW_STYLES:
        style = styles.add_style(name, kind)
        if base:
            style.base_style = styles[base]
        font = style.font
        if size:
            font.size = Pt(size)
        if bold:
            font.bold = True
        if italic:
            font.italic = True
        if colour is not None:
            font.color.rgb = colour
        if extra.get("superscript"):
            font.superscript = True
        if extra.get("underline"):
            font.underline = True
        if kind == P:
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(spacing[0]), Pt(spacing[1])
            if extra.get("keep_next"):
                fmt.keep_with_next = True
            if extra.get("center"):
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.quick_style = True
    for name, builtin in BUILTIN_NAMES.items():
        # Word knows these as built-ins under lower-case names; a custom style named
        # "Footnote Text" would sit beside Word's own and footnotes would not use it.
        style = styles[name].element
        style.name_val = builtin
        style.attrib.pop(qn("w:customStyle"), None)
    styles["Body Text"].paragraph_format.space_after = Pt(8)
    for name in ("Header", "Footer"):
        # The template's tab stops fit US Letter; put them at the middle and edge of A4's text.
        for tab in styles[name].element.iter(qn("w:tab")):
            tab.set(qn("w:pos"), "4535" if tab.get(qn("w:val")) == "center" else "9071")
    missing = [name for name in EXISTING if name not in styles]
    if missing:  # python-docx's template changed under us: say so rather than build half
        raise SystemExit(f"python-docx's template lacks styles: {', '.join(missing)}")
    _no_theme_fonts(document)
    _trim_table_styles(document)
    props = document.core_properties
    props.title = "Pressroom reference styles"
    props.author = props.last_modified_by = "Pressroom"
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.revision = 1
    props.comments = "Restyle the named styles in Word; the renderer only picks style names."
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not US Letter
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
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


def _defaults(document) -> None:
    # Fonts live in the document defaults, not in Normal: the renderer sets the record's
    # script font there, and a font a staff member gives a style in Word still wins.
    document.styles["Normal"].font.size = Pt(11)
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = rpr.find(qn("w:rPr")).find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), BODY_FONT)


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


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
