"""The Word renderer: open the .docx it writes and look inside, then have LibreOffice read it."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from conftest import REPO, SAMPLE_ID, SCRIPT_RECORDS, copy_site
from libreoffice import convert, pdf_fonts, pdf_text
from pressroom import wordstyles
from pressroom.design import load_design
from pressroom.design import organisation_name as design_organisation
from pressroom.errors import RenderError
from pressroom.model import (
    FootnoteRef,
    ListBlock,
    Paragraph,
    Quote,
    State,
    block_texts,
    inline_text,
)
from pressroom.records import load_record
from pressroom.render import common
from pressroom.render.docx import STYLES, render_docx, word_language
from pressroom.render.scripts import LATIN, script_for
from pressroom.site import load_site

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS = {"w": W[1:-1], "v": "urn:schemas-microsoft-com:vml"}
FEATURES_ID = "2024-06-01-word-features"
FEATURES = f"""---
id: {FEATURES_ID}
type: statement
title: "Word features: links, lists and a note cited twice"
date: 2024-06-01
place: Geneva
language: en
issued_by: forum-asia
endorsers: [forum-asia, arf]
contacts:
  - {{label: "Press office", email: press@example.org}}
state: published
---
A paragraph with *emphasis*, **strong**, `code` and a [link](https://example.org/a?b=1&c=2).[^a]

## A heading

1. first
2. second

Between the lists the same note is cited again.[^a] And another.[^b]

3. third
4. fourth

- bullet

> A quoted line.

[^a]: See <https://example.org/note-a>.
[^b]: A plain note.
"""


# --- helpers ----------------------------------------------------------------------------------


class Docx:
    """A rendered .docx opened for inspection: parts parsed on demand, relationships resolved."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def rels(self, part: str) -> dict[str, tuple[str, str, str | None]]:
        """id -> (type, target, target mode) of a part's relationships ("" for the package)."""
        folder, _, leaf = part.rpartition("/")
        root = self.xml(f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels")
        return {r.get("Id"): (r.get("Type").rsplit("/", 1)[-1], r.get("Target"),
                              r.get("TargetMode")) for r in root}

    def style_ids(self) -> dict[str, str]:
        """styleId -> style name."""
        return {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val")
                for s in self.xml("word/styles.xml").iter(f"{W}style")}

    def paragraphs(self, part: str = "word/document.xml") -> list[tuple[str | None, Any]]:
        """(style name, w:p) for each paragraph of a part, in order."""
        names = self.style_ids()
        out = []
        for p in self.xml(part).iter(f"{W}p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            out.append((names[style.get(f"{W}val")] if style is not None else None, p))
        return out

    def lang(self) -> etree._Element:
        return self.xml("word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")

    def fonts(self) -> etree._Element:
        return self.xml("word/styles.xml").find(
            f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")


def text_of(p: etree._Element) -> str:
    """A paragraph's visible text: w:t, w:br as a newline, a no-break hyphen (an address's)
    as "-", field results without their code."""
    shown = {f"{W}br": "\n", f"{W}noBreakHyphen": "-"}
    return "".join(t.text or "" if t.tag == f"{W}t" else shown[t.tag]
                   for t in p.iter(f"{W}t", *shown))


def wa(el: etree._Element, name: str) -> str | None:
    return el.get(f"{W}{name}")


@pytest.fixture
def sample(sample_document, site) -> Docx:
    return Docx(render_docx(sample_document, site.templates_dir))


@pytest.fixture
def features(site_root, site):
    (site_root / "statements" / f"{FEATURES_ID}.md").write_text(FEATURES, encoding="utf-8")
    document = site.document(site.load(FEATURES_ID))
    return document, Docx(render_docx(document, site.templates_dir))


def as_draft(document):
    return dataclasses.replace(
        document, statement=dataclasses.replace(document.statement, state=State.PENDING))


# --- the sample statement -----------------------------------------------------------------------


def test_body_paragraphs_are_the_record_s_in_order(sample, sample_document):
    paras = sample.paragraphs()
    s = sample_document.statement
    assert [(n, text_of(p)) for n, p in paras[:4]] == [
        ("Organisation", organisation_name(sample_document)),
        ("Statement Type", common.type_label(sample_document)),
        ("Title", s.title), ("Dateline", "Bangkok, 10 February 2022")]
    body = [text_of(p) for n, p in paras if n == "Body Text"]
    assert len(body) == 4
    assert body == block_texts(s.body.blocks, footnote_marks=False)


def test_footnote_references_sit_in_the_right_paragraphs(sample, sample_document):
    expected = [[n.number for n in block.children if isinstance(n, FootnoteRef)]
                for block in sample_document.statement.body.blocks
                if isinstance(block, Paragraph)]
    found = [[int(wa(ref, "id")) for ref in p.iter(f"{W}footnoteReference")]
             for name, p in sample.paragraphs() if name == "Body Text"]
    assert found == expected == [[1, 2], [3, 4], [5], [6]]
    all_refs = sample.xml("word/document.xml").findall(f".//{W}footnoteReference")
    assert len(all_refs) == 6
    names = sample.style_ids()
    for ref in all_refs:  # the reference mark is in the Footnote Reference character style
        assert names[wa(ref.getparent().find(f"{W}rPr/{W}rStyle"), "val")].lower() == \
            "footnote reference"
    # a note's own number is in Footnote Number: at the note's size, not superscript
    marks = sample.xml("word/footnotes.xml").findall(f".//{W}footnoteRef")
    assert len(marks) == 6 and {names[wa(m.getparent().find(f"{W}rPr/{W}rStyle"), "val")]
                                for m in marks} == {"Footnote Number"}


def test_footnotes_part_has_six_notes_with_their_urls_as_hyperlinks(sample, sample_document):
    root = sample.xml("word/footnotes.xml")
    notes = root.findall(f"{W}footnote")
    special = [(wa(n, "id"), wa(n, "type")) for n in notes if wa(n, "type")]
    assert special == [("-1", "separator"), ("0", "continuationSeparator")]
    real = [n for n in notes if not wa(n, "type")]
    assert [int(wa(n, "id")) for n in real] == [1, 2, 3, 4, 5, 6]
    rels = sample.rels("word/footnotes.xml")
    for note, model in zip(real, sample_document.statement.footnotes, strict=True):
        links = note.findall(f".//{W}hyperlink")
        targets = [rels[link.get(R_ID)] for link in links]
        assert [t[1] for t in targets] == list(model.urls)
        assert all(t[0] == "hyperlink" and t[2] == "External" for t in targets)
        assert note.find(f".//{W}footnoteRef") is not None  # the note's own number
        # the link text is the URL, in the Hyperlink character style
        assert [text_of(link) for link in links] == list(model.urls)
    assert sum(len(f.urls) for f in sample_document.statement.footnotes) == 9
    # related from document.xml with the footnotes content type
    doc_rels = sample.rels("word/document.xml")
    assert ("footnotes", "footnotes.xml", None) in doc_rels.values()
    types = sample.xml("[Content_Types].xml")
    assert any(o.get("PartName") == "/word/footnotes.xml" and o.get("ContentType").endswith(
        "wordprocessingml.footnotes+xml") for o in types)
    settings = sample.xml("word/settings.xml")
    assert [wa(f, "id") for f in settings.findall(f"{W}footnotePr/{W}footnote")] == ["-1", "0"]


def test_endorsers_about_and_contacts(sample, sample_document):
    paras = [(n, text_of(p)) for n, p in sample.paragraphs()]
    endorsers = [t for n, t in paras if n == "Endorser"]
    assert len(endorsers) == 19
    assert endorsers == [o.name for o in sample_document.endorsers]
    names = [n for n, _ in paras]
    assert ("Endorsers Heading", "This joint statement is endorsed by:") in paras
    assert names.index("Endorsers Heading") == names.index("Endorser") - 1
    assert ("About Heading", "About FORUM-ASIA:") in paras
    about = [t for n, t in paras if n == "About"]
    assert about and about[0].startswith("The Asian Forum for Human Rights and Development")
    assert ("Contacts Heading", common.CONTACTS_HEADING) in paras
    assert [t for n, t in paras if n == "Contact"] == [
        "South Asia Programme, FORUM-ASIA", "Communications and Media Programme, FORUM-ASIA"]
    assert names[-1] == "Contact"


def test_named_styles_exist_and_every_used_style_is_defined(sample):
    names = {n.lower() for n in sample.style_ids().values()}
    assert {s.lower() for s in STYLES} <= names
    ids = sample.style_ids()
    for part in ("word/document.xml", "word/footnotes.xml", "word/header1.xml"):
        for el in sample.xml(part).iter(f"{W}pStyle", f"{W}rStyle"):
            assert wa(el, "val") in ids, (part, wa(el, "val"))


def test_core_and_custom_properties_come_from_the_record(sample, sample_document):
    core = sample.xml("docProps/core.xml")
    values = {etree.QName(el).localname: el.text for el in core}
    s = sample_document.statement
    assert values["title"] == s.title
    assert values["creator"] == "Asian Forum for Human Rights and Development (FORUM-ASIA)"
    assert values["lastModifiedBy"] == values["creator"]
    assert values["created"] == values["modified"] == "2022-02-10T00:00:00Z"
    assert values["revision"] == "1"
    assert values["subject"] == "Joint statement: Kazakhstan"
    assert values["keywords"] == (
        "Kazakhstan; freedom of assembly; freedom of expression; internet shutdowns")
    assert values["language"] == "en"
    custom = sample.xml("docProps/custom.xml")
    props = {p.get("name"): p[0].text for p in custom}
    assert props == {"statement_id": SAMPLE_ID,
                     "record_sha256": sample_document.record_sha256}
    assert len(sample_document.record_sha256) == 64
    pkg = sample.rels("")
    assert {t for t, _, _ in pkg.values()} == {"officeDocument", "core-properties",
                                                "custom-properties"}


def test_python_docx_opens_it(sample, sample_document):
    opened = docx.Document(io.BytesIO(sample.data))
    assert opened.core_properties.title == sample_document.statement.title
    assert opened.core_properties.revision == 1
    assert opened.core_properties.created.date().isoformat() == "2022-02-10"
    assert [p.style.name for p in opened.paragraphs[:5]] == [
        "Organisation", "Statement Type", "Title", "Dateline", "Body Text"]
    section = opened.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert "FORUM-ASIA" in section.header.paragraphs[-1].text


def test_header_and_footer(sample):
    header = sample.xml("word/header1.xml")
    assert text_of(header.find(f"{W}p")) == "FORUM-ASIA"
    footer = sample.xml("word/footer1.xml")
    codes = [t.text.strip() for t in footer.iter(f"{W}instrText")]
    assert codes == ["PAGE", "NUMPAGES"]
    assert text_of(footer.find(f"{W}p")) == "Page 1 of 1"  # cached field results
    sect = sample.xml("word/document.xml").find(f"{W}body/{W}sectPr")
    rels = sample.rels("word/document.xml")
    # page 1 has its own header (no running header under the masthead), as the PDF's
    assert sect.find(f"{W}titlePg") is not None
    headers = {r.get(f"{W}type"): rels[r.get(R_ID)][1] for r in sect
               if etree.QName(r).localname == "headerReference"}
    footers = {r.get(f"{W}type"): rels[r.get(R_ID)][1] for r in sect
               if etree.QName(r).localname == "footerReference"}
    assert (headers["default"], footers["default"]) == ("header1.xml", "footer1.xml")
    first = headers["first"]
    assert text_of(sample.xml(f"word/{footers['first']}").find(f"{W}p")) == "Page 1 of 1"
    assert text_of(sample.xml(f"word/{first}").find(f"{W}p")) == ""


def test_package_is_complete_and_stamped_with_the_record_date(sample):
    z = sample.zip
    assert z.testzip() is None
    names = z.namelist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {i.date_time for i in z.infolist()} == {(2022, 2, 10, 0, 0, 0)}
    types = sample.xml("[Content_Types].xml")
    overrides = {o.get("PartName")[1:] for o in types if o.get("PartName")}
    defaults = {d.get("Extension") for d in types if d.get("Extension")}
    for name in names:  # every part has a content type
        assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    assert overrides <= set(names)
    for rels_name in [n for n in names if n.endswith(".rels")]:  # every internal target exists
        source = rels_name.replace("_rels/", "").removesuffix(".rels")
        folder = source.rpartition("/")[0]
        for _, target, mode in sample.rels(source).values():
            if mode != "External":
                path = f"{folder}/{target}" if folder else target
                assert path in names, (rels_name, target)
    assert "word/stylesWithEffects.xml" not in names and not any(
        n.startswith("customXml/") for n in names)


# --- language, fonts, direction -----------------------------------------------------------------


def test_word_language_tags():
    assert word_language("en") == "en-GB"
    assert word_language("zh-Hant") == "zh-TW"
    assert word_language("ta-LK") == "ta-LK"


def test_sample_sets_language_and_latin_font(sample):
    lang, fonts = sample.lang(), sample.fonts()
    assert wa(lang, "val") == "en-GB"
    assert (wa(fonts, "ascii"), wa(fonts, "hAnsi")) == ("Noto Serif", "Noto Serif")
    assert not [a for a in fonts.attrib if a.lower().endswith("theme")]
    assert sample.xml("word/document.xml").find(f".//{W}bidi") is None
    assert sample.xml("word/settings.xml").find(f"{W}proofState") is None


def body_text_line(styles: etree._Element) -> int:
    """Body Text's proportional line spacing (in 240ths of a line): its own, else the one of
    the style it is based on, else the document default's."""
    by_id = {st.get(f"{W}styleId"): st for st in styles.iter(f"{W}style")}
    style = next(st for st in by_id.values() if wa(st.find(f"{W}name"), "val") == "Body Text")
    while style is not None:
        spacing = style.find(f"{W}pPr/{W}spacing")
        if spacing is not None and wa(spacing, "line") is not None:
            return int(wa(spacing, "line"))
        based = style.find(f"{W}basedOn")
        style = by_id.get(wa(based, "val")) if based is not None else None
    return int(wa(styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}spacing"), "line"))


@pytest.mark.parametrize("path", SCRIPT_RECORDS, ids=lambda p: p.stem.rsplit("-", 1)[-1])
def test_script_records_language_font_slot_and_direction(path, site):
    document = site.document(load_record(path))
    out = Docx(render_docx(document, site.templates_dir))
    language = document.statement.language
    script = script_for(language)
    tag = word_language(language)
    lang, fonts = out.lang(), out.fonts()
    slot = script.word_slot
    if slot == "ascii":
        assert wa(lang, "val") == tag
        assert wa(fonts, "ascii") == wa(fonts, "hAnsi") == script.font
    else:
        # Latin letters in the statement (names, URLs) stay in the site's language
        assert wa(lang, "val") == "en-GB"
        assert wa(lang, "eastAsia" if slot == "eastAsia" else "bidi") == tag
        assert wa(fonts, slot) == script.font
        assert wa(fonts, "ascii") == "Noto Serif"
    if language in ("zh", "ja", "ko"):
        assert slot == "eastAsia" and wa(lang, "eastAsia") == tag
    body = [p for n, p in out.paragraphs() if n == "Body Text"]
    assert [text_of(p) for p in body] == block_texts(document.statement.body.blocks)
    rtl = language in ("ar", "ur")
    for p in body:
        assert (p.find(f"{W}pPr/{W}bidi") is not None) is rtl
        runs = [r for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]
        assert runs and all((r.find(f"{W}rPr/{W}rtl") is not None) is rtl for r in runs)
    opened = docx.Document(io.BytesIO(out.data))  # python-docx reads it too
    assert opened.paragraphs[2].text == document.statement.title
    title = next(p for n, p in out.paragraphs() if n == "Title")
    assert (title.find(f"{W}pPr/{W}bidi") is not None) is rtl
    # English words from the site (endorser names) stay left to right in any statement, in
    # paragraphs aligned with it (right to left in Arabic and Urdu)
    endorser = next(p for n, p in out.paragraphs() if n == "Endorser")
    assert (endorser.find(f"{W}pPr/{W}bidi") is not None) is rtl
    assert endorser.find(f".//{W}rtl") is None
    sect = out.xml("word/document.xml").find(f"{W}body/{W}sectPr")
    assert (sect.find(f"{W}bidi") is not None) is rtl
    # Line spacing per script, relative to Latin text, as on the page and in the PDF.
    with zipfile.ZipFile(REPO / "templates" / "word" / "reference.docx") as z:
        reference = body_text_line(etree.fromstring(z.read("word/styles.xml")))
    factor = round(script.line_height / LATIN.line_height, 2)
    assert body_text_line(out.xml("word/styles.xml")) == round(reference * factor)
    if language in ("my", "ur"):
        assert factor > 1.4
    if rtl:  # in schema order, which Word enforces: before docGrid
        order = [etree.QName(c).localname for c in sect]
        assert order.index("bidi") < order.index("docGrid")


# --- links, lists, notes cited twice --------------------------------------------------------------


def test_body_hyperlinks_lists_and_inline_formatting(features):
    _, out = features
    rels = out.rels("word/document.xml")
    paras = out.paragraphs()
    first = next(p for n, p in paras if n == "Body Text")
    link = first.find(f"{W}hyperlink")
    assert rels[link.get(R_ID)] == ("hyperlink", "https://example.org/a?b=1&c=2", "External")
    assert text_of(link) == "link"
    runs = {text_of(r): r for r in first.iter(f"{W}r")}
    assert runs["emphasis"].find(f"{W}rPr/{W}i") is not None
    assert runs["strong"].find(f"{W}rPr/{W}b") is not None
    assert wa(runs["code"].find(f"{W}rPr/{W}rFonts"), "ascii") == "Noto Sans Mono"
    assert [(n, text_of(p)) for n, p in paras if n in ("heading 2", "Quote")] == [
        ("heading 2", "A heading"), ("Quote", "A quoted line.")]
    numbered = [(text_of(p), p.find(f"{W}pPr/{W}numPr/{W}numId")) for n, p in paras
                if n == "List Number"]
    assert [t for t, _ in numbered] == ["first", "second", "third", "fourth"]
    # the first list follows the style's numbering; the second restarts at 3 with its own num
    assert numbered[0][1] is None and numbered[1][1] is None
    num_id = wa(numbered[2][1], "val")
    assert wa(numbered[3][1], "val") == num_id
    num = next(n for n in out.xml("word/numbering.xml").iter(f"{W}num")
               if wa(n, "numId") == num_id)
    assert wa(num.find(f"{W}lvlOverride/{W}startOverride"), "val") == "3"
    assert [text_of(p) for n, p in paras if n == "List Bullet"] == ["bullet"]
    contact = next(p for n, p in paras if n == "Contact")
    assert text_of(contact) == "Press office\npress@example.org"
    assert rels[contact.find(f"{W}hyperlink").get(R_ID)][1] == "mailto:press@example.org"


def test_a_note_cited_twice_is_one_footnote_and_a_noteref_field(features):
    _, out = features
    body = out.xml("word/document.xml")
    refs = [int(wa(r, "id")) for r in body.iter(f"{W}footnoteReference")]
    assert refs == [1, 2]  # one footnote per note, in citation order
    starts = list(body.iter(f"{W}bookmarkStart"))
    assert [wa(b, "name") for b in starts] == ["_RefNote1"]
    first_ref = next(body.iter(f"{W}footnoteReference")).getparent()
    assert first_ref.getprevious() is starts[0]  # the bookmark wraps the first reference
    codes = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert codes == ["NOTEREF _RefNote1 \\f \\h"]
    second = next(p for n, p in out.paragraphs() if text_of(p).startswith("Between"))
    assert text_of(second) == "Between the lists the same note is cited again.1 And another."
    notes = [n for n in out.xml("word/footnotes.xml").findall(f"{W}footnote")
             if not wa(n, "type")]
    # the number, a tab to the hanging indent, the text
    assert [text_of(n.find(f"{W}p")) for n in notes] == [
        "See https://example.org/note-a.", "A plain note."]
    assert all(n.find(f"{W}p/{W}r/{W}tab") is not None for n in notes)


def test_characters_xml_cannot_carry_are_dropped(sample_document, site):
    s = sample_document.statement
    odd = dataclasses.replace(sample_document, statement=dataclasses.replace(
        s, title="Kazakhstan:\x0bEnd\x0c the crackdown\x00"))
    out = Docx(render_docx(odd, site.templates_dir))
    assert text_of(out.paragraphs()[2][1]) == "Kazakhstan:End the crackdown"
    assert out.xml("docProps/core.xml").find(
        "{http://purl.org/dc/elements/1.1/}title").text == "Kazakhstan:End the crackdown"


# --- drafts ------------------------------------------------------------------------------------


def test_draft_has_banner_watermark_and_draft_title(sample_document, site, sample):
    out = Docx(render_docx(as_draft(sample_document), site.templates_dir))
    paras = out.paragraphs()
    assert (paras[0][0], text_of(paras[0][1])) == ("Draft Banner", "DRAFT — not for publication")
    assert [n for n, _ in paras[:4]] == ["Draft Banner", "Organisation", "Statement Type", "Title"]
    core = {etree.QName(el).localname: el.text for el in out.xml("docProps/core.xml")}
    assert core["title"] == f"DRAFT: {sample_document.statement.title}"
    marks = out.xml("word/header1.xml").findall(".//v:shape/v:textpath", NS)
    assert [m.get("string") for m in marks] == ["DRAFT"]
    # the published statement has neither
    assert "Draft Banner" not in [n for n, _ in sample.paragraphs()]
    assert sample.xml("word/header1.xml").find(".//v:textpath", NS) is None


# --- reproducibility ---------------------------------------------------------------------------


def test_byte_identical_twice_and_in_another_process(sample_document, site, sample):
    assert render_docx(sample_document, site.templates_dir) == sample.data
    code = (
        "import hashlib, sys; from pathlib import Path\n"
        "from pressroom.site import load_site\n"
        "from pressroom.render.docx import render_docx\n"
        f"site = load_site(Path({str(site.root)!r}))\n"
        f"doc = site.document(site.load({SAMPLE_ID!r}))\n"
        "sys.stdout.write(hashlib.sha256(render_docx(doc, site.templates_dir)).hexdigest())\n"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, timeout=120)
    assert other.stdout == hashlib.sha256(sample.data).hexdigest()


def test_reference_docx_is_what_the_package_s_design_builds():
    """The committed reference document is `pressroom styles` of the package's design.toml
    (scripts/make_reference_docx.py writes it), and its record says so."""
    templates = REPO / "src" / "pressroom" / "templates"
    committed = (templates / "word" / "reference.docx").read_bytes()
    assert wordstyles.build(load_design(templates)) == committed
    record = json.loads((templates / "word" / "styles-written.json").read_text())
    assert record["sha256"] == hashlib.sha256(committed).hexdigest()


# --- a broken reference document -----------------------------------------------------------------


def _rewrite_reference(site_root: Path, edit) -> None:
    path = site_root / "templates" / "word" / "reference.docx"
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    path.unlink()  # templates/ may be a copy of a symlink; never write through to the package
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_missing_style_names_the_file_and_the_style(site_root, site, sample_document):
    def drop_endorser(parts):
        parts["word/styles.xml"] = parts["word/styles.xml"].replace(
            b'w:val="Endorser"/>', b'w:val="Signatory"/>')
    _rewrite_reference(site_root, drop_endorser)
    with pytest.raises(RenderError, match=r"reference\.docx: word/styles\.xml: missing "
                                          r"style\(s\) Endorser;"):
        render_docx(sample_document, site.templates_dir)


def test_broken_styles_xml_names_the_part_and_line(site_root, site, sample_document):
    def break_xml(parts):
        parts["word/styles.xml"] = b"<?xml version='1.0'?>\n<styles>\n<oops></styles>"
    _rewrite_reference(site_root, break_xml)
    with pytest.raises(RenderError, match=r"reference\.docx: word/styles\.xml: line 3: "
                                          r"Opening and ending tag mismatch: oops"):
        render_docx(sample_document, site.templates_dir)


def test_not_a_docx_and_missing_reference(site_root, site, sample_document):
    path = site_root / "templates" / "word" / "reference.docx"
    path.unlink()
    with pytest.raises(RenderError, match="reference document is missing"):
        render_docx(sample_document, site.templates_dir)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RenderError, match=r"reference\.docx: not a Word document"):
        render_docx(sample_document, site.templates_dir)


# --- LibreOffice reads every file -------------------------------------------------------------


def _squash(text: str) -> str:
    """Text without whitespace, nor the bidi marks pdftotext puts around right-to-left runs,
    nor hyphens: pdftotext joins a word broken after a hyphen and drops the hyphen
    ("FORUM-" + "ASIA" -> "FORUMASIA"; the PDF itself is right), wherever About or a note's
    URL happens to wrap."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069-]+", "", text)


def organisation_name(document) -> str:
    return design_organisation(load_design(REPO / "templates"), document.settings)


def _expected_body(document) -> list[str]:
    s = document.statement
    # Page 1 opens with the masthead and the type label, as the PDF's and the page's do;
    # the endorsers are a bulleted list.
    # (the type label is set in capitals, which LibreOffice's PDF carries as such)
    out = [organisation_name(document), common.type_label(document).upper(), s.title,
           common.dateline(s, document.wording), *_marked_texts(s.body.blocks)]
    out += [common.endorsers_heading(s, document.wording)]
    out += [t for o in document.endorsers for t in ("\uf0b7", o.name)]
    about = common.about_text(document)
    if about:
        out += [common.about_heading(document), about]
    for heading, contacts in common.contact_groups(document):
        out.append(heading)
        for c in contacts:
            out += [c.label, c.email] if c.email else [c.label]
    return out


def _marked_texts(blocks) -> list[str]:
    """block_texts with list markers as the PDF shows them: "3." for numbered items, and for
    bullets the reference's Symbol-font bullet, which PDF text carries as U+F0B7."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for n, item in enumerate(block.items, start=block.start):
                texts = _marked_texts(item)
                out += [f"{n}." if block.ordered else "\uf0b7", *texts]
        elif isinstance(block, Quote):
            out += _marked_texts(block.children)
        else:
            out.append(inline_text(block.children, footnote_marks=True))
    return out


def _body_from_pdf(text: str, document) -> tuple[str, list[str]]:
    """The PDF's running text with header, footer and footnotes taken out (whitespace dropped,
    since line breaks differ), and the footnotes found, in order."""
    notes = [_squash(f"{n.number}{' '.join(block_texts(n.children))}")
             for n in document.statement.footnotes]
    found: list[tuple[int, str]] = []
    pages = []
    head = _squash(common.short_name(document.issuer.name))
    printed = [p for p in (_squash(page) for page in text.split("\f")) if p]
    for number, page in enumerate(printed, 1):
        if number > 1:  # the running header starts on page 2, as the PDF's
            assert page.startswith(head), page[:80]
            page = page[len(head):]
        numbers = {"{page}": number, "{pages}": len(printed)}
        page = re.sub(_footer_pattern(document, numbers) + "$", "", page)
        for i, note in enumerate(notes):
            # Right to left, pdftotext puts a note's number after its (Latin) text.
            number = str(document.statement.footnotes[i].number)
            rest = note[len(number):]
            for form in (note, rest + number):
                at = page.rfind(form)
                if at >= 0:
                    found.append((i, note))
                    page = page[:at] + page[at + len(form):]
                    break
        pages.append(page)
    return "".join(pages), [n for _, n in sorted(found)]


def _footer_pattern(document, numbers: dict[str, int] | None = None) -> str:
    """"Page 1 of 2" in the document's words, as a pattern of its squashed text: in reading
    order, or with its pieces reversed, as pdftotext gives a right-to-left footer (where a
    note's number may come just before it: give the page's `numbers` then)."""
    parts = [(str(numbers[part]) if numbers else r"\d+") if part in ("{page}", "{pages}")
             else re.escape(_squash(part)) for part in common.page_label(document.wording)]
    return f"(?:{''.join(parts)}|{''.join(reversed(parts))})"


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory):
    """Every kind of .docx these tests write, converted to PDF in one soffice run."""
    root = copy_site(tmp_path_factory.mktemp("lo-site") / "site")
    (root / "statements" / f"{FEATURES_ID}.md").write_text(FEATURES, encoding="utf-8")
    site = load_site(root)
    sample = site.document(site.load(SAMPLE_ID))
    documents = {"sample": sample, "draft": as_draft(sample),
                 "features": site.document(site.load(FEATURES_ID))}
    for path in SCRIPT_RECORDS:
        documents[path.stem.rsplit("-", 1)[-1]] = site.document(load_record(path))
    out = tmp_path_factory.mktemp("lo-docx")
    files = []
    for name, document in documents.items():
        files.append(out / f"{name}.docx")
        files[-1].write_bytes(render_docx(document, site.templates_dir))
    pdfs = convert(files, "pdf", out)
    return {name: (documents[name], pdf) for name, pdf in zip(documents, pdfs, strict=True)}


# Scripts whose text poppler extracts in logical order from LibreOffice's PDFs. The others
# (Thai, Burmese, Khmer, Sinhala, Tamil, Arabic, Urdu) come out reordered or split into
# clusters by every extractor (FIELD-NOTES): those are checked by their embedded font and
# their Latin paragraphs instead.
EXTRACTABLE = ("sample", "draft", "features", "ru", "zh", "ja", "ko", "bn", "hi")


@pytest.mark.slow
@pytest.mark.parametrize("name", [*EXTRACTABLE, "th", "my", "km", "si", "ta", "ar", "ur"])
def test_libreoffice_shows_the_paragraphs_and_notes_in_order(libreoffice_pdfs, name):
    document, pdf = libreoffice_pdfs[name]
    text = pdf_text(pdf)
    expected = _expected_body(document)
    if document.draft:
        expected.insert(0, "DRAFT — not for publication")
    if name in EXTRACTABLE:
        body, notes = _body_from_pdf(text, document)
        # pdftotext may read a list's bullets as a column of their own, before the items:
        # the bullets are counted, the text compared without them.
        want = _squash("".join(expected))
        assert body.count("\uf0b7") == want.count("\uf0b7")
        assert body.replace("\uf0b7", "") == want.replace("\uf0b7", "")
        assert notes == [_squash(f"{n.number}{' '.join(block_texts(n.children))}")
                         for n in document.statement.footnotes]
    else:
        # The running text without page furniture and notes, so that a paragraph broken
        # across pages reads whole; the notes' URLs are looked for in the whole text.
        running, _ = _body_from_pdf(text, document)
        latin = [t for t in expected if t.isascii()]
        # Right to left, pdftotext mirrors the brackets of an embedded Latin name.
        running = running.replace("(", "").replace(")", "")
        # A note pdftotext scrambles stays in the running text: its URL is taken out, so a
        # paragraph running over the page's notes reads whole.
        for url in (u for n in document.statement.footnotes for u in n.urls):
            running = running.replace(_squash(url).replace("(", "").replace(")", ""), "")
        # Each in turn after the one before (the issuer's name is the masthead's and an
        # endorser's), by its first 60 characters: a paragraph running over a page break
        # has the page's furniture inside it, which pdftotext lays out right to left.
        positions, at = [], 0
        for t in latin:
            at = running.find(_squash(t).replace("(", "").replace(")", "")[:60], at)
            positions.append(at)
            at = max(at, 0)
        assert -1 not in positions, [t for t, p in zip(latin, positions, strict=True) if p < 0]
        urls = [u for n in document.statement.footnotes for u in n.urls]
        assert all(_squash(u) in _squash(text) for u in urls), urls
    # the script's own face did the work (a CJK collection embeds under its first face name)
    family = script_for(document.statement.language).font.replace(" ", "")
    family = family.split("CJK")[0] + "CJK" if "CJK" in family else family
    assert any(font.startswith(family) for font in pdf_fonts(pdf)), pdf_fonts(pdf)


# --- built through python-docx from a shared reference ------------------------------------------


def test_a_title_longer_than_python_docx_s_property_limit_is_kept_whole(sample_document, site):
    title = "Kazakhstan: " + "end the crackdown and release the detained, " * 7
    assert len(title) > 255  # python-docx refuses core properties over 255 characters
    s = sample_document.statement
    long = dataclasses.replace(sample_document, statement=dataclasses.replace(s, title=title))
    out = Docx(render_docx(long, site.templates_dir))
    assert out.xml("docProps/core.xml").find(
        "{http://purl.org/dc/elements/1.1/}title").text == title
    assert docx.Document(io.BytesIO(out.data)).core_properties.title == title
    assert text_of(out.paragraphs()[2][1]) == title


def test_renders_share_the_reference_without_changing_it(features, sample_document, site):
    document, first = features
    render_docx(as_draft(sample_document), site.templates_dir)  # another statement between
    assert render_docx(document, site.templates_dir) == first.data
    with zipfile.ZipFile(REPO / "templates" / "word" / "reference.docx") as z:
        reference = etree.fromstring(z.read("word/numbering.xml"))
    # one w:num more than the reference: the restarted list, in this statement's copy only
    assert len(first.xml("word/numbering.xml").findall(f"{W}num")) == \
        len(reference.findall(f"{W}num")) + 1
    sample = Docx(render_docx(sample_document, site.templates_dir))
    assert sample.zip.read("word/numbering.xml") == etree.tostring(
        reference, xml_declaration=True, encoding="UTF-8", standalone=True)


def test_a_reference_s_own_text_header_and_footer_stay_out(site_root, sample_document):
    path = site_root / "templates" / "word" / "reference.docx"
    reference = docx.Document(str(path))
    reference.add_paragraph("Type the statement here.")
    section = reference.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Letterhead of the reference"
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "Footer of the reference"
    path.unlink()  # templates/ may be a copy of a symlink; never write through to the package
    reference.save(str(path))
    site = load_site(site_root)
    out = Docx(render_docx(sample_document, site.templates_dir))
    texts = [text_of(p) for _, p in out.paragraphs()]
    assert "Type the statement here." not in texts
    assert texts[2] == sample_document.statement.title
    headers = sorted(n for n in out.zip.namelist() if n.startswith(("word/header", "word/footer")))
    assert headers == ["word/footer1.xml", "word/footer2.xml", "word/header1.xml",
                       "word/header2.xml"]  # the running ones and page 1's
    assert text_of(out.xml("word/header1.xml").find(f"{W}p")) == "FORUM-ASIA"
    assert "reference" not in text_of(out.xml("word/footer1.xml").find(f"{W}p"))
    sect = out.xml("word/document.xml").find(f"{W}body/{W}sectPr")
    assert len(sect.findall(f"{W}headerReference")) == len(sect.findall(
        f"{W}footerReference")) == 2  # page 1's and the running one


# --- records past the limits, handed to the renderer all the same --------------------------------


def test_a_lone_surrogate_is_named_in_the_record_not_a_traceback(site):
    from pressroom.records import read_record

    path = site.statements_dir / "2024-06-01-limits.md"
    path.write_text('---\nid: 2024-06-01-limits\ntype: statement\ntitle: "A \\ud800 title"\n'
                    "date: 2024-06-01\nissued_by: forum-asia\n---\nText.\n", encoding="utf-8")
    statement, diagnostics = read_record(path, site.organisations)
    assert [d.field for d in diagnostics if d.is_error] == ["title"]  # check refuses it first
    with pytest.raises(RenderError) as caught:
        render_docx(site.document(statement), site.templates_dir)
    assert str(caught.value).startswith(f"{path}: title: contains half of a character")


def test_control_characters_are_refused_by_check_not_dropped_from_the_word_file(site):
    from pressroom.records import read_record

    path = site.statements_dir / "2024-06-01-limits.md"
    path.write_text('---\nid: 2024-06-01-limits\ntype: statement\ntitle: "T"\n'
                    "date: 2024-06-01\nissued_by: forum-asia\n---\nA bell\x07 rang.\n",
                    encoding="utf-8")
    _, diagnostics = read_record(path, site.organisations)
    assert [(d.line, d.field) for d in diagnostics if d.is_error] == [(8, "body")]
    assert "U+0007" in diagnostics[0].message and "Word drops" in diagnostics[0].message
