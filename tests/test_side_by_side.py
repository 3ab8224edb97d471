"""The three formats side by side: page 1 of the PDF, of the Word file (as LibreOffice lays it
out) and of the web page (as Chromium does) show the same elements in the same order, at
the same relative sizes. The three pictures are kept in test-artifacts/page-1/ (not in
git) for a person to look at after `make test`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import REPO
from libreoffice import convert
from pressroom.render import common
from pressroom.render.docx import render_docx
from pressroom.render.html import render_html
from pressroom.render.pdf import render_pdf

ARTIFACTS = REPO / "test-artifacts" / "page-1"
# What page 1 shows, top to bottom, and where the page has each.
ELEMENTS = ("organisation", "type", "title", "dateline", "first paragraph")
SELECTORS = (".organisation", ".kind", "h1", ".dateline", ".body p")


def _words(text: str) -> list[str]:
    return text.split()


def element_texts(document) -> list[str]:
    s = document.statement
    first = re.sub(r"\s+", " ", common.description(document, limit=80)).rstrip("…")
    org = common.author(document)
    return [org, common.type_label(document), s.title, common.dateline(s, document.wording),
            first]


def pdf_positions(pdf: Path, texts: list[str]) -> list[tuple[float, float]]:
    """(top, height) of each text's first words on page 1, found in reading order, from
    poppler's word boxes."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                         capture_output=True, check=True, timeout=60).stdout
    tree = ElementTree.fromstring(out)
    words = [(w.text or "", float(w.get("yMin")), float(w.get("yMax")))
             for w in tree.iter("{http://www.w3.org/1999/xhtml}word")]
    found, at = [], 0
    for text in texts:
        wanted = [w.upper() for w in _words(text)[:2]]
        for i in range(at, len(words) - len(wanted) + 1):
            if [w[0].upper() for w in words[i:i + len(wanted)]] == wanted:
                found.append((words[i][1], words[i][2] - words[i][1]))
                at = i + len(wanted)
                break
        else:
            raise AssertionError(f"{pdf.name}: {text[:40]!r} not found on page 1 after "
                                 f"{len(found)} element(s)")
    return found


def pdf_text_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         check=True, timeout=60).stdout.decode("utf-8")
    return [page for page in out.split("\f") if page.strip()]


def picture(pdf: Path, name: str) -> Path:
    target = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", "-singlefile",
                    str(pdf), str(target)], check=True, timeout=60)
    return target.with_suffix(".png")


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_page_1_of_each_format_shows_the_same_elements_in_the_same_order(
        chromium, site, sample_document, tmp_path):
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    texts = element_texts(sample_document)
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(render_pdf(sample_document, site.templates_dir))
    word = tmp_path / "statement-word.docx"
    word.write_bytes(render_docx(sample_document, site.templates_dir))
    word_pdf = convert([word], "pdf", tmp_path / "word")[0]
    page = tmp_path / "statement.html"
    page.write_bytes(render_html(sample_document, site.templates_dir))

    positions = {"pdf": pdf_positions(pdf, texts), "docx": pdf_positions(word_pdf, texts)}
    shots = [picture(pdf, "pdf"), picture(word_pdf, "docx")]
    with chromium.open(page.as_uri(), width=794, height=1123) as loaded:  # A4 at 96 dpi
        boxes = loaded.page.evaluate("(selectors) => selectors.map(s => {"
                                " const r = document.querySelector(s).getBoundingClientRect();"
                                " const size = parseFloat(getComputedStyle("
                                "  document.querySelector(s)).fontSize);"
                                " return [r.top, size]; })", list(SELECTORS))
        texts_on_page = loaded.page.evaluate("(selectors) => selectors.map(s =>"
                                        " document.querySelector(s).textContent)",
                                        list(SELECTORS))
        shots.append(ARTIFACTS / "html.png")
        loaded.page.screenshot(path=str(shots[-1]))
    positions["html"] = [tuple(b) for b in boxes]

    for fmt, found in positions.items():
        tops = [top for top, _ in found]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), (fmt, dict(zip(
            ELEMENTS, tops, strict=True)))
    # The page shows the same texts there (its type label in capitals by CSS).
    for text, shown in zip(texts, texts_on_page, strict=True):
        assert " ".join(_words(shown)).startswith(" ".join(_words(text)[:3])), (text, shown)
    # The same relative sizes: the title larger than the body, the type label smaller, the
    # organisation between them, in each format (the PDFs by word height, the page by font
    # size).
    for fmt, found in positions.items():
        size = dict(zip(ELEMENTS, (h for _, h in found), strict=True))
        assert size["title"] > 1.2 * size["first paragraph"] > size["type"], (fmt, size)
        assert size["type"] < size["organisation"] < size["title"], (fmt, size)
    assert all(shot.is_file() and shot.stat().st_size > 1000 for shot in shots)
    # And the whole statement as long in Word as in the PDF: nothing stranded on a page of
    # its own (About set small once left its last lines and the contacts on a third page).
    import pypdf

    pages = [len(pypdf.PdfReader(str(p)).pages) for p in (pdf, word_pdf)]
    assert pages == [2, 2], pages
    last = pdf_text_pages(word_pdf)[-1]
    assert common.about_heading(sample_document) in last or "For media inquiries" in last
