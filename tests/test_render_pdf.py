"""The archival PDF: content, footnotes, PDF/A + UA, fonts, scripts, safety, determinism.

The PDF is read back with pypdf, which does not normalise text (a soft hyphen stays a soft
hyphen), and with poppler's `pdftotext -bbox-layout` for word positions.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import typst

from conftest import FIXTURES, SAMPLE_ID, SCRIPT_RECORDS
from pressroom import model
from pressroom.errors import RenderError
from pressroom.records import read_record
from pressroom.render import common, pdf, pdfcheck
from pressroom.render.pdf import render_pdf
from pressroom.render.scripts import script_for

A4 = (595.2756, 841.8898)  # points
MARGIN_X = 2.4 / 2.54 * 72  # the template's left and right margins, in points
INJECTIONS = ("$5 and $10", "#panic()", '#read("pyproject.toml")')
SOFT_HYPHEN = "\u00ad"


# --- helpers ------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace collapsed, and a line broken after a hyphen joined again (`pent-` + `up`)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pdfcheck.reader(data).pages]


def main_text(data: bytes) -> str:
    """The text set at body size or larger, across pages: leaves out the running header, the
    footer and the footnotes (9 pt), which would split a paragraph that runs over a page."""
    pieces: list[str] = []

    def visit(text, _cm, _tm, _font, size):
        if text and size >= 10:
            pieces.append(text)

    for page in pdfcheck.reader(data).pages:
        page.extract_text(visitor_text=visit)
    return flat("".join(pieces))


def annotations(data: bytes) -> list[list[dict]]:
    """Each page's link annotations, resolved."""
    return [[a.get_object() for a in page.get("/Annots", [])]
            for page in pdfcheck.reader(data).pages]


def write_record(site, text: str) -> model.Document:
    match = re.search(r"^id: (\S+)$", text, re.M)
    assert match, "a test record needs an id"
    (site.statements_dir / f"{match.group(1)}.md").write_text(text, encoding="utf-8")
    return site.document(site.load(match.group(1)))


def load_fixture(site, path: Path) -> model.Document:
    shutil.copy(path, site.statements_dir / path.name)
    return site.document(site.load(path.stem))


INJECTION_RECORD = """\
---
id: 2024-06-01-injection
type: statement
title: 'Costs $5 and $10, #panic() and #read("pyproject.toml")'
date: 2024-06-01
place: Bangkok
language: en
issued_by: forum-asia
endorsers: [forum-asia]
state: published
---
A paragraph with $5 and $10, #panic() and #read("pyproject.toml") in it.[^a] Another
note.[^b] And the first note cited once more.[^a]

## A heading

- item *one* with `code`
- item **two** with a [link](https://example.org/a-b)

> A quoted line.

[^a]: A note with $5 and $10, #panic() and #read("pyproject.toml") and <https://example.org/x-y>.
[^b]: The second note.
"""


@pytest.fixture
def sample_pdf(sample_document, site) -> bytes:
    return render_pdf(sample_document, site.templates_dir)


@pytest.fixture
def injection(site):
    document = write_record(site, INJECTION_RECORD)
    return document, render_pdf(document, site.templates_dir)


# --- content ------------------------------------------------------------------------------


def test_sample_shows_title_dateline_paragraphs_and_endorsers(sample_document, sample_pdf):
    text = main_text(sample_pdf)
    statement = sample_document.statement
    assert flat(statement.title) in text
    assert common.dateline(statement) in text
    paragraphs = model.block_texts(statement.body.blocks, footnote_marks=True)
    assert len(paragraphs) == 4
    for paragraph in paragraphs:
        assert flat(paragraph) in text
    assert len(sample_document.endorsers) == 19
    for organisation in sample_document.endorsers:
        assert flat(organisation.name) in text
    for words in (common.endorsers_heading(statement), common.about_heading(sample_document),
                  common.CONTACTS_HEADING, common.about_text(sample_document)):
        assert flat(words) in text


def test_content_comes_in_the_shared_order(sample_document, sample_pdf):
    text = main_text(sample_pdf)
    first_paragraph = model.block_texts(sample_document.statement.body.blocks, True)[0]
    marks = [flat(sample_document.statement.title), common.dateline(sample_document.statement),
             flat(first_paragraph)[:60], common.endorsers_heading(sample_document.statement),
             common.about_heading(sample_document), common.CONTACTS_HEADING]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)


def test_footnote_urls_extract_exactly_and_are_links(sample_document, sample_pdf):
    texts = page_texts(sample_pdf)
    joined = "".join(t.replace("\n", "") for t in texts)
    assert SOFT_HYPHEN not in "".join(texts)
    assert "FORUM-ASIA" in joined
    uris = {a["/A"]["/URI"] for page in annotations(sample_pdf) for a in page if "/A" in a}
    urls = [url for note in sample_document.statement.footnotes for url in note.urls]
    assert len(urls) == 9
    for url in urls:
        assert url in joined
        assert url in uris


def test_each_footnote_sits_on_the_page_of_its_marker(sample_document, sample_pdf):
    pages = annotations(sample_pdf)
    assert len(pages) == 2
    placed: dict[int, int] = {}
    for number, annots in enumerate(pages, 1):
        # typst labels a marker's link "Footnote N" and the note's own number link "N".
        markers = {int(a["/Contents"].split()[-1]) for a in annots
                   if str(a.get("/Contents", "")).startswith("Footnote ")}
        notes = {int(a["/Contents"]) for a in annots
                 if "/Dest" in a and str(a.get("/Contents", "")).isdigit()}
        assert markers == notes, f"page {number}"
        uris = {a["/A"]["/URI"] for a in annots if "/A" in a}
        for note in markers:
            placed[note] = number
            footnote = sample_document.statement.footnotes[note - 1]
            assert footnote.number == note
            assert set(footnote.urls) <= uris, f"footnote {note} is not on page {number}"
    assert sorted(placed) == [f.number for f in sample_document.statement.footnotes]
    assert placed == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2}


def test_a_note_cited_twice_is_printed_once(injection):
    _, data = injection
    annots = [a for page in annotations(data) for a in page]
    markers = [a["/Contents"] for a in annots if str(a.get("/Contents", "")).startswith("Foot")]
    assert markers == ["Footnote 1", "Footnote 2", "Footnote 1"]
    text = "".join(page_texts(data))
    assert text.count("A note with") == 1
    assert text.count("The second note.") == 1
    assert "once more.1" in text


def test_body_tree_blocks_and_inlines(injection):
    _, data = injection
    text = "".join(page_texts(data))
    for words in ("A heading", "item one with code", "item two with a link", "A quoted line."):
        assert words in text
    uris = {a["/A"]["/URI"] for page in annotations(data) for a in page if "/A" in a}
    assert {"https://example.org/a-b", "https://example.org/x-y"} <= uris


def test_markup_in_the_record_prints_verbatim(injection):
    document, data = injection
    pages = page_texts(data)
    text = " ".join(pages)
    body, note = text.split("A paragraph with", 1)[1], text.split("A note with", 1)[1]
    for injected in INJECTIONS:
        assert injected in flat(document.statement.title)
        assert injected in flat(text.split("Bangkok")[0])  # the title, above the dateline
        assert injected in flat(body)
        assert injected in flat(note)
    assert pdfcheck.reader(data).metadata.title == document.statement.title
    # #read() ran nowhere: the file's text is not in the PDF.
    assert "build-system" not in text and "setuptools" not in text


# --- the archive format -------------------------------------------------------------------


def test_pdfa_2u_and_pdfua_1_declared(sample_pdf):
    xmp = pdfcheck.reader(sample_pdf).xmp_metadata.stream.get_data().decode("utf-8")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", xmp)
    assert re.search(r"<pdfaid:conformance>U</pdfaid:conformance>", xmp)
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp)


def test_tagged_with_structure_tree_and_language(sample_pdf):
    catalog = pdfcheck.reader(sample_pdf).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in catalog
    assert catalog["/StructTreeRoot"].get_object().get("/K") is not None
    assert catalog["/Lang"] == "en"


def test_metadata_from_the_record(sample_document, sample_pdf):
    meta = pdfcheck.reader(sample_pdf).metadata
    assert meta.title == common.document_title(sample_document)
    assert meta.author == common.author(sample_document)
    assert meta.subject == common.subject(sample_document) == "Joint statement: Kazakhstan"
    assert meta["/Keywords"] == ", ".join(common.keywords(sample_document))
    assert meta["/CreationDate"] == "D:20220210000000Z"
    assert meta["/ModDate"] == "D:20220210000000Z"


def test_fonts_embedded(sample_pdf):
    assert pdfcheck.unembedded_fonts(sample_pdf) == []
    seen = 0
    for page in pdfcheck.reader(sample_pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
                seen += 1
    assert seen >= 3  # regular, bold, italic at least


def test_unembedded_font_is_reported():
    """The check itself: a PDF naming a standard font it does not carry."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    import io

    out = io.BytesIO()
    writer.write(out)
    assert pdfcheck.unembedded_fonts(out.getvalue()) == ["/Helvetica"]


def test_a4_pages_with_header_and_footer(sample_document, sample_pdf):
    reader = pdfcheck.reader(sample_pdf)
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.01)
    texts = page_texts(sample_pdf)
    total = len(texts)
    assert total == 2
    for number, text in enumerate(texts, 1):
        assert text.rstrip().endswith(f"Page {number} of {total}")
    # The running header (short name and date) starts on page 2.
    assert texts[1].startswith("FORUM-ASIA")
    assert "10 February 2022" in texts[1].splitlines()[0]
    assert not texts[0].startswith("FORUM-ASIA")


def test_published_statement_has_no_draft_marking(sample_pdf):
    assert "DRAFT" not in "".join(page_texts(sample_pdf))


def test_drafts_are_watermarked_on_every_page(sample_document, site):
    preview = dataclasses.replace(sample_document, preview=True)
    data = render_pdf(preview, site.templates_dir)
    assert pdfcheck.reader(data).metadata.title == f"DRAFT: {sample_document.statement.title}"
    texts = page_texts(data)
    assert len(texts) == 2
    for text in texts:
        assert "DRAFT" in text.splitlines()  # the watermark, a line of its own
    big = [r for r in pdfcheck.text_runs(data) if r.text == "DRAFT"]
    assert sorted(r.page for r in big) == [1, 2]
    assert texts[0].count("DRAFT") == 2  # and the title says so


# --- determinism --------------------------------------------------------------------------


def test_same_bytes_twice_in_one_process(sample_document, site, injection):
    first = render_pdf(sample_document, site.templates_dir)
    render_pdf(injection[0], site.templates_dir)  # another document in between
    assert render_pdf(sample_document, site.templates_dir) == first


def test_one_compiler_per_template_and_fonts(sample_document, site):
    render_pdf(sample_document, site.templates_dir)
    template = site.templates_dir / "typst" / pdf.TEMPLATE_NAME
    compiler = pdf._compiler(template, pdf.FONT_DIRS)
    render_pdf(sample_document, site.templates_dir)
    assert pdf._compiler(template, pdf.FONT_DIRS) is compiler


@pytest.mark.slow
def test_same_bytes_in_another_process(site_root, site, sample_pdf):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pressroom.site import load_site\n"
        "from pressroom.render.pdf import render_pdf\n"
        "site = load_site(Path(sys.argv[1]))\n"
        "document = site.document(site.load(sys.argv[2]))\n"
        "sys.stdout.buffer.write(render_pdf(document, site.templates_dir))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(site_root), SAMPLE_ID],
                          capture_output=True, check=True, timeout=120)
    assert done.stdout[:5] == b"%PDF-"
    assert done.stdout == sample_pdf


# --- failures -----------------------------------------------------------------------------


def test_a_character_no_font_has_is_refused_by_name(site):
    text = INJECTION_RECORD.replace("A quoted line.", "A quoted \ue000 line with \u0378 in it.")
    path = site.statements_dir / "2024-06-01-injection.md"
    path.write_text(text, encoding="utf-8")
    # check refuses the record first, naming both characters and their line...
    statement, diagnostics = read_record(path, site.organisations)
    said = [str(d) for d in diagnostics if d.is_error]
    assert any("U+E000" in d for d in said) and any("U+0378" in d for d in said), said
    assert all(f"{path}:20: error: body: the PDF's fonts cannot show" in d for d in said)
    # ...and the renderer, given the statement all the same, refuses it by name too.
    document = site.document(statement)
    with pytest.raises(RenderError) as caught:
        render_pdf(document, site.templates_dir)
    message = str(caught.value)
    assert "U+E000 (a private-use character)" in message
    assert "U+0378 (an unassigned code point)" in message
    assert "2024-06-01-injection.md" in message


def test_glyph_zero_scan_finds_what_typst_drew(tmp_path):
    """Without PDF/A, typst draws glyph 0 silently: the scan must find it and name it."""
    source = tmp_path / "boxes.typ"
    source.write_text('#set text(font: "Noto Serif")\nPlain words.\n\n'
                      "A box \u0378 here, \u0379 there.\n", encoding="utf-8")
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(p) for p in pdf.FONT_DIRS])
    data = typst.Compiler(str(source), font_paths=fonts).compile(format="pdf")
    hits = pdfcheck.notdef_glyphs(data)
    assert [(h.page, h.actual_text) for h in hits] == [(1, None), (1, "\u0379")]
    assert all("NotoSerif-Regular" in h.font for h in hits)
    # The first box of a font carries no text in the PDF: it is placed by its context.
    assert hits[0].context.startswith("A box ")
    message = str(pdfcheck.missing_glyph_error(data, "boxes.typ"))
    assert message.startswith("boxes.typ: no installed font has U+0379 (an unassigned code")
    assert "page 1 near “A box" in message
    source.write_text("Plain words only.\n", encoding="utf-8")
    clean = typst.Compiler(str(source), font_paths=fonts).compile(format="pdf")
    assert pdfcheck.notdef_glyphs(clean) == []
    assert pdfcheck.missing_glyph_error(clean, "x") is None


def test_content_stream_strings_are_decoded():
    ops = list(pdfcheck._operations(
        rb"BT /F1 9 Tf [(a\(b\)\\c\000\101) 12 <00 41>] TJ (x\
y) Tj (nested (paren) here) Tj /Span<</ActualText<FEFF0378>>>BDC (\0\7) Tj EMC ET"))
    # Only the operators the checks read come out; each reads its last operand.
    assert [op for _, op in ops] == [b"Tf", b"TJ", b"Tj", b"Tj", b"BDC", b"Tj", b"EMC"]
    assert ops[0][0][-1] == "/F1"
    assert ops[1][0][-1] == [b"a(b)\\c\x00A", b"\x00A"]
    assert ops[2][0][-1] == b"xy"
    assert ops[3][0][-1] == b"nested (paren) here"
    assert ops[4][0][-1] == {"/ActualText": b"\xfe\xff\x03\x78"}
    assert ops[5][0][-1] == b"\x00\x07"


def test_template_error_names_file_and_line(site, sample_document):
    template = site.templates_dir / "typst" / pdf.TEMPLATE_NAME
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "#let broken = d.no-such-key")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render_pdf(sample_document, site.templates_dir)
    message = str(caught.value)
    assert message.startswith(f"{template.resolve()}:11: ")
    assert "no-such-key" in message


def test_missing_fonts_are_named(monkeypatch, tmp_path, sample_document, site):
    monkeypatch.setattr(pdf, "FONT_DIRS", (tmp_path / "no-fonts",))
    with pytest.raises(RenderError, match="install Debian's fonts-noto-core and fonts-noto-cjk"):
        render_pdf(sample_document, site.templates_dir)


def test_missing_template_is_named(tmp_path, sample_document):
    with pytest.raises(RenderError, match=r"typst/statement\.typ: the PDF template is missing"):
        render_pdf(sample_document, tmp_path)


# --- scripts ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Face:
    path: Path
    number: int  # the face's index in a .ttc collection; -1 for a single font file
    family: str
    style: str


@functools.cache
def font_files() -> dict[str, Face]:
    """PostScript name -> where its face is, for every font the renderer may use. Each file
    is opened, read and closed here; cmaps are read when asked for (cmap_of)."""
    from fontTools.ttLib import TTCollection, TTFont

    faces: dict[str, Face] = {}

    def add(font, path: Path, number: int) -> None:
        names = font["name"]
        faces[names.getDebugName(6)] = Face(
            path, number, names.getDebugName(16) or names.getDebugName(1),
            names.getDebugName(17) or names.getDebugName(2))

    for folder in pdf.FONT_DIRS:
        for path in sorted(folder.iterdir()):
            suffix = path.suffix.lower()
            if suffix == ".ttc":
                collection = TTCollection(str(path), lazy=True)
                try:
                    for number, font in enumerate(collection.fonts):
                        add(font, path, number)
                finally:
                    collection.close()
            elif suffix in (".ttf", ".otf"):
                with TTFont(str(path), lazy=True) as font:
                    add(font, path, -1)
    return faces


def postscript_name(base_font: str) -> str:
    """'/ABCDEF+NotoSerifCJKjp-Bold-Identity-H' -> 'NotoSerifCJKjp-Bold': no subset tag, and
    no CMap suffix (a CFF font's Type0 name carries one)."""
    name = base_font.lstrip("/").split("+", 1)[-1]
    return name.removesuffix("-Identity-H").removesuffix("-Identity-V")


@functools.cache
def cmap_of(postscript_name: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    face = font_files()[postscript_name]
    with TTFont(str(face.path), fontNumber=face.number, lazy=True) as font:
        return frozenset(font.getBestCmap())


def family_regular(family: str) -> str:
    """The PostScript name of `family`'s regular face."""
    for name, face in font_files().items():
        if face.family == family and face.style == "Regular":
            return name
    raise AssertionError(f"no regular face of {family}")


def words_outside_text_block(data: bytes, tmp_path: Path) -> list[str]:
    """Words whose box leaves the text block, from poppler's word boxes."""
    path = tmp_path / "scripts.pdf"
    path.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                          check=True, timeout=60).stdout
    tree = ElementTree.fromstring(html)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    out = []
    words = tree.findall(".//x:page", ns)
    assert words, "pdftotext found no page"
    for page in words:
        right = float(page.get("width")) - MARGIN_X
        for word in page.findall(".//x:word", ns):
            if float(word.get("xMax")) > right + 0.5 or float(word.get("xMin")) < MARGIN_X - 0.5:
                out.append(f"{word.text!r} at {word.get('xMin')}-{word.get('xMax')}")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("record", SCRIPT_RECORDS, ids=lambda p: p.stem.rsplit("-", 1)[-1])
def test_script_records(record, site, tmp_path):
    document = load_fixture(site, record)
    data = render_pdf(document, site.templates_dir)
    assert pdfcheck.notdef_glyphs(data) == []
    assert pdfcheck.unembedded_fonts(data) == []
    assert pdfcheck.reader(data).trailer["/Root"]["/Lang"] == document.statement.language

    # Every character typst drew is in the font it drew it with.
    runs = [r for r in pdfcheck.text_runs(data) if r.text.strip()]
    assert runs
    for run in runs:
        covered = cmap_of(postscript_name(run.font))
        missing = [c for c in run.text if not c.isspace() and ord(c) not in covered]
        assert not missing, f"{run.font} drew {missing} on page {run.page}"

    # The record's own script is set in the family chosen for its language, which has it.
    statement = document.statement
    script = script_for(statement.language)
    chosen = family_regular(script.font)
    own = {c for text in [statement.title, *model.block_texts(statement.body.blocks)]
           for c in text if ord(c) > 0x2FF and not 0x2000 <= ord(c) <= 0x206F}
    assert own, "a script record has non-Latin text"
    assert not {c for c in own if ord(c) not in cmap_of(chosen)}
    used = {postscript_name(r.font) for r in runs}
    assert chosen in used

    assert words_outside_text_block(data, tmp_path) == []


@pytest.mark.slow
def test_sample_lines_stay_in_the_text_block(sample_pdf, tmp_path):
    assert words_outside_text_block(sample_pdf, tmp_path) == []


def test_a_page_as_a_picture_for_the_notebook(sample_document, site):
    import struct

    from pressroom.render.pdf import render_pdf_page_png

    png = render_pdf_page_png(sample_document, site.templates_dir, page=1, ppi=72)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    # A4 at 72 ppi is 595 x 842 points.
    assert (width, height) == (595, 842)
    with pytest.raises(RenderError, match="not a page 9"):
        render_pdf_page_png(sample_document, site.templates_dir, page=9)


# --- records at and past the limits ---------------------------------------------------------------

LIMIT_RECORD = """\
---
id: 2024-06-01-limits
type: statement
title: "{title}"
date: 2024-06-01
language: en
issued_by: forum-asia
state: private
---
{body}"""


def _unchecked(site, body: str, title: str = "Limits") -> tuple[Path, model.Document]:
    """The Document of a record whatever check says of it, as a renderer could be handed."""
    path = site.statements_dir / "2024-06-01-limits.md"
    path.write_text(LIMIT_RECORD.format(title=title, body=body), encoding="utf-8")
    statement, _ = read_record(path, site.organisations)
    return path, site.document(statement)


def _nested_inlines(depth: int) -> str:
    text = "[the report](https://example.org/r)"
    for n in range(depth - 1):
        text = f"*a {text} b*" if n % 2 == 0 else f"**a {text} b**"
    return text


def test_the_deepest_record_check_accepts_renders(site):
    quotes = "> " * 8
    note = f"    {quotes}Quoted in a note, {_nested_inlines(20)}\n"
    body = f"Intro.\n\n{quotes}{_nested_inlines(20)} cited.[^1]\n\n[^1]: A note.\n\n{note}"
    path, document = _unchecked(site, body)
    assert [d for d in read_record(path, site.organisations)[1] if d.is_error] == []
    assert render_pdf(document, site.templates_dir).startswith(b"%PDF")


def test_a_body_opening_with_a_lower_heading_renders(site):
    # PDF/UA-1 wants the first heading at level 1: `##` then `#` used to fail.
    _, document = _unchecked(site, "## Background\n\nText.\n\n# Recommendations\n\nMore.\n")
    assert page_texts(render_pdf(document, site.templates_dir))[0].count("Recommendations") == 1


@pytest.mark.parametrize(
    ("body", "title", "where"),
    [("Intro.\n\n" + "> " * 16 + "Sixteen deep.\n", "Limits", ":12: body: "),
     ("Intro.\n\nA " + "x" * 40_000 + " word.\n", "Limits", ":12: body: "),
     ("Intro.\n\n###\n", "Limits", ":12: body: "),
     ("Text.\n", "A \\0 title", ": title: "),
     ("Text.\n", "x" * 40_000, ": title: ")],
    ids=["quotes-16", "word-40000", "empty-heading", "nul-title", "title-40000"],
)
def test_a_record_the_pdf_cannot_take_is_named_never_the_template(site, body, title, where):
    path, document = _unchecked(site, body, title)
    with pytest.raises(RenderError) as caught:
        render_pdf(document, site.templates_dir)
    message = str(caught.value)
    assert message.startswith(f"{path}{where}")
    assert pdf.TEMPLATE_NAME not in message


def test_a_lone_surrogate_is_named_in_the_record_not_a_traceback(site):
    _, document = _unchecked(site, "Text.\n", "A \\ud800 title")
    with pytest.raises(RenderError, match=r"title: contains half of a character \(U\+D800\)"):
        render_pdf(document, site.templates_dir)


@pytest.mark.parametrize("name", ["typst-tag-split", "typst-tag-split-2"])
def test_emphasis_around_footnotes_that_typst_could_not_tag_renders(site, name):
    """Records the property test in test_limits.py found: typst 0.15.1 broke its PDF/UA tag
    tree on them ("tags weren't properly closed") while emphasis was emph() and strong();
    the template sets italic and bold as text styles, and they render. Their notes are
    longer than check now allows (limits.FOOTNOTE_CHARS), which is all check says of them."""
    record = FIXTURES / "limits" / f"{name}.md"
    path = site.statements_dir / record.name
    shutil.copy(record, path)
    statement, diagnostics = read_record(path, site.organisations)
    assert diagnostics and all(re.fullmatch(r"footnote \[\^\d+\] is [\d,]+ characters long; .*",
                                            d.message) for d in diagnostics)
    # typst 0.15.1 still splits a tag on the second one at its place under the house
    # design's page 1: a RenderError naming the record, never a traceback.
    try:
        assert render_pdf(site.document(statement), site.templates_dir).startswith(b"%PDF")
    except RenderError as exc:
        assert name == "typst-tag-split-2", exc
        assert str(exc).startswith(f"{path}: ") and "tag would be split" in str(exc)


LONG_NOTE_IN_LIST = FIXTURES / "limits" / "typst-long-note-in-list.md"


def test_a_long_note_typst_loses_in_a_list_is_refused_at_the_note(site):
    """The property test in test_limits.py found this record: a note of 7,067 characters
    cited twice in a list item that runs over a page. typst 0.15.1 loses the note ("label
    `<fn-1>` does not exist"); check names the note's line and the limit instead."""
    path = site.statements_dir / LONG_NOTE_IN_LIST.name
    shutil.copy(LONG_NOTE_IN_LIST, path)
    _, diagnostics = site.check([path])[path]
    assert [str(d) for d in diagnostics if d.is_error] == [
        f"{path}:15: error: body: footnote [^n] is 7,067 characters long; at most 2,000: a "
        "note must fit on its page, make the rest part of the text"]


def test_without_the_note_limit_a_lost_note_is_still_a_message(site, monkeypatch):
    """Why the limit is there: typst 0.15.1 loses a long note cited twice from a list item
    running over a page ("label `<fn-1>` does not exist") at some positions on the page;
    with the house design's page 1 (masthead and type label) this record lands where it
    lays out, other records land where it does not. Lifted, the limit's record renders or
    fails with a RenderError naming the record, never a traceback."""
    from pressroom import limits

    monkeypatch.setattr(limits, "FOOTNOTE_CHARS", 10**6)
    path = site.statements_dir / LONG_NOTE_IN_LIST.name
    shutil.copy(LONG_NOTE_IN_LIST, path)
    statement, diagnostics = read_record(path, site.organisations)
    assert diagnostics == []
    try:
        assert render_pdf(site.document(statement), site.templates_dir).startswith(b"%PDF")
    except RenderError as exc:
        assert str(exc).startswith(str(path)) and "does not exist in the document" in str(exc)


def test_a_note_at_the_limit_in_a_list_item_over_a_page_renders(site):
    """The same shape with the longest note check accepts, cited twice from a list in a list
    whose item runs over two pages, at several places of the marker."""
    from pressroom import limits

    note = ("Hearing postponed, see https://www.example.org/archive/notice/"
            + "x" * 30 + " once more. ") * 40
    note = note[:limits.FOOTNOTE_CHARS - 1].rstrip() + "."
    assert len(note) <= limits.FOOTNOTE_CHARS
    for words in (700, 760, 820):
        item = " ".join(f"detainee{i % 97} https://www.example.org/cases/{i}" if i % 9 == 0
                        else f"held{i % 13}" for i in range(words))
        body = f"1. The demand.\n\n   - **{item}**[^n] again[^n] end.\n\n[^n]: {note}\n"
        path, document = _unchecked(site, body)
        _, diagnostics = read_record(path, site.organisations)
        assert [d for d in diagnostics if d.is_error] == []
        data = render_pdf(document, site.templates_dir)
        assert len(page_texts(data)) >= 3
        assert any("Hearing postponed" in text for text in page_texts(data))
