"""templates/design.toml and `pressroom styles`: validated like pressroom.toml, read by the
PDF and the page, and turned into the Word reference document's styles, which staff may
restyle in Word without `styles` overwriting their work unnoticed."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner
from docx.shared import Pt
from lxml import etree

from libreoffice import convert, pdf_text
from pressroom import design as house
from pressroom import wordstyles
from pressroom.cli import cli
from pressroom.errors import ConfigError
from pressroom.render.docx import render_docx
from pressroom.render.html import render_html
from pressroom.render.pdf import render_pdf
from pressroom.site import load_site

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def set_design(site_root: Path, text: str) -> Path:
    path = site_root / "templates" / "design.toml"
    path.unlink()  # templates/ may be a copy of a symlink; never write through to the package
    path.write_text(text, encoding="utf-8")
    return path


def cli_run(site_root: Path, *args: str):
    return CliRunner().invoke(cli, ["-C", str(site_root), *args], catch_exceptions=False)


def style_xml(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    return next(s for s in root.findall(f"{W}style")
                if s.find(f"{W}name").get(f"{W}val").lower() == name.lower())


# --- the file ------------------------------------------------------------------------------


def test_the_package_s_design_reads_clean_and_documents_every_key():
    path = Path(house.__file__).parent / "templates" / house.DESIGN_NAME
    _, problems = house.read_design(path)
    assert problems == []
    text = path.read_text(encoding="utf-8")
    for key in house.schema_keys():
        table, *_, name = key.split(".")
        assert f"[{table}" in text and name in text, key


def test_a_bad_design_is_reported_with_file_line_and_key(site_root):
    path = set_design(site_root, '[colours]\naccent = "blue"\n\n[type]\ntitle = 200\n'
                                 'bdy = 11\n\n[scripts.Arbc]\nsize = 1.1\n')
    result = cli_run(site_root, "check")
    assert result.exit_code == 1
    out = result.output
    assert f"{path}:2: error: colours.accent: must be a colour written \"#rrggbb\"" in out
    assert f"{path}:5: error: type.title: must be a number from 4 to 72 (points)" in out
    assert f"{path}:6: warning: type.bdy: unknown key; did you mean 'body'?" in out
    assert f"{path}:8: error: scripts.Arbc: 'Arbc' is not a script" in out
    assert "Traceback" not in out
    # A renderer refuses it the same way, never with a traceback.
    site = load_site(site_root)
    document = site.document(site.load("2022-02-10-kazakhstan-crackdown"))
    with pytest.raises(ConfigError, match=rf"{path}:2: error: colours.accent"):
        render_pdf(document, site.templates_dir)


def test_a_toml_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "design.toml"
    path.write_text('[colours]\naccent = "#1a4f8b\n', encoding="utf-8")
    _, problems = house.read_design(path)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(2, "TOML syntax error")]


def test_the_design_reaches_the_pdf_and_the_page(site_root):
    set_design(site_root, '[organisation]\nname = "The Network"\n\n[colours]\n'
                          'accent = "#aa3300"\n\n[web]\nwidth = 50\n')
    site = load_site(site_root)
    document = site.document(site.load("2022-02-10-kazakhstan-crackdown"))
    page = render_html(document, site.templates_dir).decode()
    assert "--colour-accent: #aa3300;" in page and "--width: 50rem;" in page
    assert '<p class="organisation">The Network</p>' in page
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(document, site.templates_dir)))
    first = pdf.pages[0].extract_text().splitlines()
    assert first[:2] == ["The Network", "JOINT STATEMENT"]


def test_a_url_never_breaks_at_a_hyphen_in_the_pdf(site, sample_document):
    """A URL breaks after its slashes and dots: no line of a note ends in a hyphen, and the
    URL extracts exactly, without any character added."""
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(sample_document, site.templates_dir)))
    text = "".join(page.extract_text() for page in pdf.pages)
    urls = [u for note in sample_document.statement.footnotes for u in note.urls]
    lines = text.splitlines()
    for url in urls:
        assert url in text.replace("\n", "")
    for line in lines:
        if "://" in line or line.startswith(("www", "kazakhstan")):
            assert not line.rstrip().endswith("-"), line
    assert not any(c in text for c in "\u200b\u2060\u00ad")


# --- pressroom styles ------------------------------------------------------------------------


def test_styles_writes_the_design_into_reference_docx_and_libreoffice_shows_it(site_root,
                                                                              tmp_path):
    set_design(site_root, '[organisation]\nname = "The Network"\n\n[colours]\n'
                          'text = "#202020"\naccent = "#aa3300"\n\n[type]\ntitle = 20\n'
                          'body = 10.5\n')
    result = cli_run(site_root, "styles")
    assert result.exit_code == 0, result.output
    assert "templates/word/reference.docx: written from templates/design.toml" in result.output
    reference = (site_root / "templates" / "word" / "reference.docx").read_bytes()
    title = style_xml(reference, "Title")
    assert title.find(f"{W}rPr/{W}sz").get(f"{W}val") == "40"  # half points
    assert title.find(f"{W}rPr/{W}color").get(f"{W}val") == "202020"
    assert title.find(f"{W}pPr/{W}pBdr") is None  # not the stock Title's blue rule
    organisation = style_xml(reference, "Organisation")
    assert organisation.find(f"{W}rPr/{W}color").get(f"{W}val") == "AA3300"
    assert style_xml(reference, "About").find(f"{W}rPr/{W}sz") is None  # body size
    assert style_xml(reference, "Endorser").find(f"{W}basedOn").get(f"{W}val") == "ListBullet"
    assert style_xml(reference, "footer").find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    # Run again: nothing to do.
    assert "already holds" in cli_run(site_root, "styles").output

    site = load_site(site_root)
    document = site.document(site.load("2022-02-10-kazakhstan-crackdown"))
    statement = tmp_path / "statement.docx"
    statement.write_bytes(render_docx(document, site.templates_dir))
    # LibreOffice opens it: its PDF shows page 1 in the design's order ...
    pdf = convert([statement], "pdf", tmp_path / "pdf")[0]
    page1 = [line.strip() for line in pdf_text(pdf).split("\f")[0].splitlines() if line.strip()]
    assert page1[:2] == ["The Network", "JOINT STATEMENT"]
    assert page1[2].startswith("Kazakhstan: End the")
    # ... and the file it saves keeps the design's styles.
    saved = convert([statement], "docx:MS Word 2007 XML", tmp_path / "saved")[0].read_bytes()
    title = style_xml(saved, "Title")
    assert title.find(f"{W}rPr/{W}sz").get(f"{W}val") == "40"
    assert style_xml(saved, "Organisation").find(f"{W}rPr/{W}color").get(f"{W}val") \
        .upper() == "AA3300"


def test_styles_refuses_a_reference_restyled_by_hand_and_names_the_styles(site_root):
    path = site_root / "templates" / "word" / "reference.docx"
    assert cli_run(site_root, "styles").exit_code == 0
    restyled = docx.Document(str(path))
    restyled.styles["Title"].font.size = Pt(30)
    restyled.styles["Endorser"].font.italic = True
    path.unlink()
    restyled.save(str(path))
    by_hand = path.read_bytes()
    set_design(site_root, '[colours]\naccent = "#aa3300"\n')
    result = cli_run(site_root, "styles")
    assert result.exit_code == 1
    assert "these styles differ: Endorser, Title." in result.output
    assert path.read_bytes() == by_hand  # left as staff made it
    forced = cli_run(site_root, "styles", "--force")
    assert forced.exit_code == 0
    assert "replaced the styles changed by hand: Endorser, Title" in forced.output
    design = house.load_design(site_root / "templates")
    assert path.read_bytes() == wordstyles.build(design)
    record = json.loads((site_root / "templates" / "word" / "styles-written.json").read_text())
    assert record["styles"] == wordstyles.fingerprints(path.read_bytes())


def test_styles_refuses_a_site_using_the_package_s_templates(bare_site_root):
    shutil.rmtree(bare_site_root / "templates")  # its statements use the package's
    result = cli_run(bare_site_root, "styles")
    assert result.exit_code == 2 and "no templates/ folder of its own" in result.output


def test_a_reference_only_opened_and_saved_again_matches_its_fingerprints(site_root):
    """Word's bookkeeping (rsids, the styles gallery) is not a restyling."""
    path = site_root / "templates" / "word" / "reference.docx"
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b'<w:qFormat/>', b'<w:qFormat/><w:rsid w:val="00ABCDEF"/>', 3)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, value in parts.items():
            z.writestr(name, value)
    assert wordstyles.differences(wordstyles.fingerprints(data),
                                  wordstyles.fingerprints(out.getvalue())) == []


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
        '<circle cx="20" cy="20" r="18" fill="#ff00ff"/></svg>')


def test_the_logo_is_drawn_beside_the_name_in_the_pdf_and_on_the_page(site_root):
    (site_root / "templates" / "logo.svg").write_text(LOGO, encoding="utf-8")
    set_design(site_root, '[organisation]\nname = "The Network"\nlogo = "logo.svg"\n')
    site = load_site(site_root)
    document = site.document(site.load("2022-02-10-kazakhstan-crackdown"))
    page = render_html(document, site.templates_dir).decode()
    assert '<img class="logo" src="data:image/svg+xml;base64,' in page
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(document, site.templates_dir)))
    assert pdf.pages[0].extract_text().splitlines()[0] == "The Network"
    # typst draws the SVG as paths: its magenta fill is on page 1, and nowhere without it
    assert b" 1 0 1 scn" in pdf.pages[0].get_contents().get_data()


def test_a_logo_that_is_no_svg_is_named(site_root):
    (site_root / "templates" / "logo.svg").write_bytes(b"\x89PNG\r\n")
    path = set_design(site_root, '[organisation]\nlogo = "logo.svg"\n')
    _, problems = house.read_design(path)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (2, "organisation.logo", "'logo.svg': not an SVG file (not UTF-8 text)")]
    _, problems = house.parse_design('[organisation]\nlogo = "../x.png"\n', "d.toml")
    assert "name an .svg file under templates/" in problems[0].message
