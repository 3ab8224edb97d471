"""The Word file's page furniture and addresses, looked at inside the .docx and as LibreOffice
lays it out: no line break at a hyphen of a URL or an e-mail address, the house logo beside
the organisation's name on page 1, and the digits of "Page x of y"."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES, SAMPLE_ID, copy_site
from libreoffice import convert, pdf_text
from pressroom.cli import cli
from pressroom.errors import RenderError
from pressroom.inputs import Inputs
from pressroom.records import load_record
from pressroom.render.docx import render_docx
from pressroom.render.reviewdocx import Review, anchors
from pressroom.site import load_site

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NO_BREAK = f"{W}noBreakHyphen"
SCRIPTS = FIXTURES / "scripts"

# --- addresses ---------------------------------------------------------------------------------

URL_ID = "2024-06-01-hyphenated-addresses"
# Longer than a line of the notes, with a hyphen in most of its pieces; the prose has hyphens
# of its own, which stay ordinary ones.
URL = ("https://www.example-network.org/news-and-statements/2024/06/"
       "joint-call-on-the-release-of-detained-defenders/full-text-of-the-joint-statement/")
EMAIL = "east-asia-desk@example-network.org"
URL_RECORD = f"""---
id: {URL_ID}
type: statement
title: "A long-standing call for a follow-up visit"
date: 2024-06-01
place: Bangkok
language: en
issued_by: forum-asia
endorsers: [forum-asia]
contacts:
  - {{label: "East Asia desk", email: "{EMAIL}"}}
state: published
---
The well-known defenders remain held, a year-long wait for their families.[^1] Read the
[full-text statement](https://example.org/a-b) too.

[^1]: See <{URL}>.
"""


@pytest.fixture
def url_site(tmp_path):
    root = copy_site(tmp_path / "site", adopt=False)
    (root / "statements" / f"{URL_ID}.md").write_text(URL_RECORD, encoding="utf-8")
    return load_site(root)


def _parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.endswith((".xml", ".rels"))}


def _link_text(link: etree._Element) -> str:
    return "".join(el.text or "" if el.tag == f"{W}t" else "\u2011"
                   for el in link.iter(f"{W}t", NO_BREAK))


def test_an_address_s_hyphens_are_word_s_no_break_hyphens_and_prose_keeps_its_own(url_site):
    document = url_site.document(url_site.load(URL_ID))
    data = render_docx(document, url_site.templates_dir)
    parts = _parts(data)
    notes, body = parts["word/footnotes.xml"], parts["word/document.xml"]
    # The note's URL: each of its hyphens a w:noBreakHyphen inside the hyperlink, its target
    # the URL as it is.
    (link,) = notes.iter(f"{W}hyperlink")
    assert _link_text(link) == URL.replace("-", "\u2011")
    assert len(list(link.iter(NO_BREAK))) == URL.count("-") == 15
    targets = {r.get("Id"): r.get("Target") for r in parts["word/_rels/footnotes.xml.rels"]}
    assert targets[link.get(f"{REL}id")] == URL
    # The contact's e-mail address too; a link whose text is prose keeps its hyphen as text.
    links = {_link_text(a): a for a in body.iter(f"{W}hyperlink")}
    assert set(links) == {EMAIL.replace("-", "\u2011"), "full-text statement"}
    # Never outside an address: every no-break hyphen of the file is in a link showing its
    # address, and the prose's hyphens are ordinary text.
    for root in (body, notes):
        for hyphen in root.iter(NO_BREAK):
            assert any(a.tag == f"{W}hyperlink" for a in hyphen.iterancestors())
    prose = "".join(t.text or "" for p in body.iter(f"{W}p") for t in p.iter(f"{W}t"))
    for word in ("long-standing", "well-known", "year-long", "full-text statement"):
        assert word in prose, word
    # Readers see "-": python-docx's text, and a reviewers' draft's stored anchors.
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert f"East Asia desk\n{EMAIL}" in texts
    review = Review(1, dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    fields = {a.bookmark: a.text for a in anchors(
        render_docx(document, url_site.templates_dir, review=review))}
    assert fields["pr_fn_1"] == f"See {URL}."
    assert fields["pr_contact_1"] == f"East Asia desk\n{EMAIL}"


@pytest.mark.slow
def test_libreoffice_never_ends_a_line_of_the_url_at_a_hyphen(url_site, tmp_path):
    """pdftotext drops a hyphen where a line ends in one (FIELD-NOTES), so the URL reads back
    whole only if LibreOffice broke it elsewhere. Measured: with plain hyphens LibreOffice
    broke it after "release-of-" and the text read "ofdetained"."""
    document = url_site.document(url_site.load(URL_ID))
    source = tmp_path / "addresses.docx"
    source.write_bytes(render_docx(document, url_site.templates_dir))
    text = pdf_text(convert([source], "pdf", tmp_path / "pdf")[0]).replace("\u2011", "-")
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if "https://" in line)
    url_lines = []
    for line in lines[start:]:
        url_lines.append(line)
        if line.endswith("/."):
            break
    assert len(url_lines) > 1  # it does wrap
    assert not any(line.endswith("-") for line in url_lines), url_lines
    assert "".join(url_lines) == f"See {URL}." or "".join(url_lines) == f"{URL}."
    assert EMAIL in text
    for word in ("long-standing", "well-known"):
        assert word in text


# --- the logo ----------------------------------------------------------------------------------

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
EMU_PER_PT = 12700
# Twice as wide as tall, so its width in the file shows the ratio was kept.
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40" viewBox="0 0 80 40">'
        '<rect width="80" height="40" fill="#1a4f8b"/>'
        '<circle cx="20" cy="20" r="18" fill="#ff00ff"/></svg>')


def _with_design(root: Path, text: str, logo: str | None = LOGO) -> None:
    templates = root / "templates"
    if logo is not None:
        (templates / "logo.svg").write_text(logo, encoding="utf-8")
    (templates / "design.toml").unlink()  # a copy of the package's: never write through it
    (templates / "design.toml").write_text(text, encoding="utf-8")


def _organisation_paragraph(body: etree._Element) -> etree._Element:
    return next(p for p in body.iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Organisation")


def test_the_logo_is_beside_the_name_on_page_1_as_svg_and_png(tmp_path):
    root = copy_site(tmp_path / "site", adopt=False)
    _with_design(root, '[organisation]\nname = "The Network"\nlogo = "logo.svg"\n')
    site = load_site(root)
    document = site.document(site.load(SAMPLE_ID))
    data = render_docx(document, site.templates_dir)
    parts = _parts(data)
    body = parts["word/document.xml"]
    first = body.find(f"{W}body/{W}p")
    assert first is _organisation_paragraph(body)  # page 1's first paragraph
    drawings = list(body.iter(f"{W}drawing"))
    assert len(drawings) == 1 and drawings[0].getparent().getparent() is first
    texts = [t.text for t in first.iter(f"{W}t")]
    assert texts[-1] == "The Network"
    # Two blips: the main one a PNG typst drew, the SVG in Word's extension.
    blip = drawings[0].find(f".//{A}blip")
    rels = {r.get("Id"): r.get("Target") for r in parts["word/_rels/document.xml.rels"]}
    png_target = rels[blip.get(f"{REL}embed")]
    (svg_blip,) = blip.iter(f"{ASVG}svgBlip")
    assert svg_blip.getparent().get("uri") == "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
    svg_target = rels[svg_blip.get(f"{REL}embed")]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        png = z.read(f"word/{png_target}")
        assert z.read(f"word/{svg_target}").decode() == LOGO
        types = etree.fromstring(z.read("[Content_Types].xml"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides[f"/word/{svg_target}"] == "image/svg+xml"
    assert overrides[f"/word/{png_target}"] == "image/png"
    # As tall as the PDF's (2.4 times the organisation's 12 points), twice as wide.
    extent = drawings[0].find(".//{*}extent")
    assert int(extent.get("cy")) == round(28.8 * EMU_PER_PT)
    assert int(extent.get("cx")) == 2 * int(extent.get("cy"))
    assert drawings[0].find(".//{*}docPr").get("descr") == "The Network"
    # LibreOffice shows it: page 1 of its PDF has a picture, and the name.
    source = tmp_path / "logo.docx"
    source.write_bytes(data)
    pdf = convert([source], "pdf", tmp_path / "pdf")[0]
    images = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1", str(pdf)],
                            capture_output=True, text=True, check=True, timeout=60).stdout
    rows = [line.split() for line in images.splitlines()[2:] if line.strip()]
    assert [r[0] for r in rows if r[2] == "image"] == ["1"], images
    page1 = pdf_text(pdf).split("\f")[0]
    assert [line.strip() for line in page1.splitlines() if line.strip()][:2] == [
        "The Network", "JOINT STATEMENT"]


def test_without_a_logo_there_is_no_drawing(site, sample_document):
    body = _parts(render_docx(sample_document, site.templates_dir))["word/document.xml"]
    assert not list(body.iter(f"{W}drawing"))
    assert not _organisation_paragraph(body).findall(f"{W}pPr/{W}textAlignment")


def test_a_logo_typst_cannot_draw_is_named_for_staff(tmp_path):
    root = copy_site(tmp_path / "site", adopt=False)
    # An SVG to design.py's checks (UTF-8 text with an <svg> element), but cut off.
    _with_design(root, '[organisation]\nlogo = "logo.svg"\n',
                 logo='<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"')
    site = load_site(root)
    document = site.document(site.load(SAMPLE_ID))
    with pytest.raises(RenderError) as raised:
        render_docx(document, site.templates_dir)
    message = str(raised.value)
    assert message.startswith(f"{site.templates_dir / 'logo.svg'}: the logo cannot be drawn")
    assert "failed to parse SVG" in message and "design.toml" in message
    # A publication stops on it without a traceback (the PDF, rendered first, says it too).
    result = CliRunner().invoke(cli, ["-C", str(root), "publish", SAMPLE_ID, "--direct"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "failed to parse SVG" in result.output


def test_a_changed_logo_changes_the_key_of_every_format_that_draws_it(tmp_path):
    root = copy_site(tmp_path / "site", adopt=False)
    _with_design(root, '[organisation]\nlogo = "logo.svg"\n')

    def keys() -> dict[str, str]:
        site = load_site(root)
        document = site.document(site.load(SAMPLE_ID))
        inputs = Inputs(site)
        return {f: inputs.key(document, f) for f in ("html", "pdf", "docx")}

    before = keys()
    (root / "templates" / "logo.svg").write_text(LOGO.replace("#ff00ff", "#00aa00"),
                                                 encoding="utf-8")
    after = keys()
    assert all(before[f] != after[f] for f in before)
    # The logo's height in Word follows the organisation's size, a [type] value.
    (root / "templates" / "design.toml").write_text(
        '[organisation]\nlogo = "logo.svg"\n\n[type]\norganisation = 14\n', encoding="utf-8")
    assert keys()["docx"] != after["docx"]


# --- page numbers in a script's own digits -------------------------------------------------------

# What OOXML offers for each language's digits in a page number, tried in LibreOffice 7.4:
# w:pgNumType's w:fmt (ST_NumberFormat) and the PAGE field's \* switch. ST_NumberFormat has
# thaiNumbers and hindiNumbers (Word's "Hindi" digits); nothing for Bengali, Burmese or
# Khmer digits. LibreOffice lays every one of these out in Western digits (\* ThaiArabic as
# Thai letters), so the Word file writes none of them, and its footer reads "1" where the
# PDF and the page read "๑": see docx.py's footer.
TRIED = {"th": ('<w:pgNumType w:fmt="thaiNumbers"/>', "ThaiArabic"),
         "ar": ('<w:pgNumType w:fmt="hindiNumbers"/>', "HindiArabic"),
         "ne": ('<w:pgNumType w:fmt="hindiNumbers"/>', "HindiArabic")}
NATIVE = ("th", "ar", "bn", "my", "km", "ne")
# A Nepali statement of our own (the fixtures have Hindi, in the same script).
NEPALI = """---
id: 2024-05-01-scripts-ne
type: statement
title: "नेपाल: मानव अधिकार रक्षकहरूमाथिको दमन रोक्नुहोस्"
date: 2024-05-01
place: Kathmandu
language: ne
issued_by: forum-asia
endorsers: [forum-asia]
state: published
---
हामी तल हस्ताक्षर गर्ने संस्थाहरू सरकारसँग मानव अधिकार रक्षकहरूमाथिको दमन तुरुन्त रोक्न र
मनपरी ढङ्गले थुनिएका सबैलाई बिनासर्त रिहा गर्न आग्रह गर्छौं।
"""


def _footer_digits(pdf: Path) -> str:
    """The digits of page 1's footer: its lowest line of words (poppler's word boxes; the
    footer's height on the page differs by script)."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                         capture_output=True, check=True, timeout=60).stdout
    words = [(float(w.get("yMin")), float(w.get("xMin")), w.text or "")
             for w in etree.fromstring(out).iter("{http://www.w3.org/1999/xhtml}word")]
    lowest = max(y for y, _, _ in words)
    line = sorted((x, text) for y, x, text in words if y > lowest - 8)
    return "".join(c for _, text in line for c in text if c.isdigit())


def _with_footer(data: bytes, section: str | None, switch: str | None) -> bytes:
    """`data` with a number format on its section or a \\* switch on its fields."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(out, "w") as new:
        for name in z.namelist():
            part = z.read(name)
            if section and name == "word/document.xml":
                part = part.replace(b"<w:cols ", section.encode() + b"<w:cols ")
            if switch and name.startswith("word/footer"):
                for field in (b" PAGE ", b" NUMPAGES "):
                    part = part.replace(field, field + f"\\* {switch} ".encode())
            new.writestr(name, part)
    return out.getvalue()


@pytest.mark.slow
def test_libreoffice_numbers_word_pages_in_western_digits_whatever_ooxml_asks(tmp_path):
    root = copy_site(tmp_path / "site", adopt=False)
    config = root / "pressroom.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f"\n[wording]\nnative_digits = {list(NATIVE)!r}\n".replace("'", '"'),
                      encoding="utf-8")
    for lang in NATIVE[:-1]:
        (root / "statements" / f"2024-05-01-scripts-{lang}.md").write_bytes(
            (SCRIPTS / f"2024-05-01-scripts-{lang}.md").read_bytes())
    (root / "statements" / "2024-05-01-scripts-ne.md").write_text(NEPALI, encoding="utf-8")
    site = load_site(root)
    files = []
    for lang in NATIVE:
        document = site.document(load_record(
            root / "statements" / f"2024-05-01-scripts-{lang}.md", site.organisations))
        assert document.wording.digits  # the PDF and the page print its own digits
        data = render_docx(document, site.templates_dir)
        footer = _parts(data)["word/footer1.xml"]
        assert [t.text.strip() for t in footer.iter(f"{W}instrText")] == ["PAGE", "NUMPAGES"]
        # No number format for LibreOffice to drop.
        assert _parts(data)["word/document.xml"].find(f".//{W}pgNumType") is None
        files.append(tmp_path / f"{lang}.docx")
        files[-1].write_bytes(data)
        section, switch = TRIED.get(lang, (None, None))
        if section:
            files.append(tmp_path / f"{lang}-format.docx")
            files[-1].write_bytes(_with_footer(data, section, None))
            files.append(tmp_path / f"{lang}-switch.docx")
            files[-1].write_bytes(_with_footer(data, None, switch))
    pdfs = convert(files, "pdf", tmp_path / "pdf")
    for source, pdf in zip(files, pdfs, strict=True):
        digits = _footer_digits(pdf)
        if source.stem == "th-switch":
            assert digits == "", source.stem  # Thai letters (ก), no digits at all
        else:
            # If this fails, LibreOffice has learnt the format: write it in docx.py.
            assert digits and set(digits) <= set("0123456789"), (source.stem, digits)
