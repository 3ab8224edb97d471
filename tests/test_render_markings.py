"""What every format says besides the statement: a copy under embargo says until when,
corrections made after publication, contacts under their own headings. Looked for inside the
web page, the PDF's text and the Word file's paragraphs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import docx
from lxml import html as lxml_html
from pypdf import PdfReader

from pressroom.model import Contact, Correction
from pressroom.render.docx import render_docx
from pressroom.render.html import render_html
from pressroom.render.pdf import render_pdf

WHEN = dt.datetime(2022, 2, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CORRECTION = "The number of people detained was 9,900, not 7,900."


def marked(document):
    statement = dataclasses.replace(
        document.statement,
        corrections=(Correction(dt.date(2022, 2, 14), CORRECTION),),
        contacts=(Contact("South Asia Programme, FORUM-ASIA", "sasia@example.org"),
                  Contact("Media team, FORUM-ASIA", None,
                          "For media inquiries, please contact:")))
    return dataclasses.replace(document, statement=statement, embargoed_until=WHEN)


def formats(document, templates):
    page = lxml_html.fromstring(render_html(document, templates))
    pdf_text = "".join(p.extract_text() or "" for p in PdfReader(
        io.BytesIO(render_pdf(document, templates))).pages)
    word = [p.text for p in docx.Document(io.BytesIO(render_docx(document, templates))).paragraphs]
    return page, " ".join(pdf_text.split()), word


def test_an_embargoed_copy_says_until_when_with_its_zone_in_all_three_formats(
        sample_document, site):
    page, pdf_text, word = formats(marked(sample_document), site.templates_dir)
    banner = "EMBARGOED UNTIL 10 February 2022, 09:00 UTC+07:00"
    assert banner in page.xpath("string(//p[@class='draft-banner'])")
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert banner in pdf_text
    assert any(banner in p for p in word)
    assert "DRAFT" not in " ".join(word)  # an approved text under embargo, not a draft


def test_corrections_are_shown_after_the_dateline_in_all_three_formats(sample_document, site):
    page, pdf_text, word = formats(marked(sample_document), site.templates_dir)
    said = f"Corrected on 14 February 2022: {CORRECTION}"
    assert page.xpath("string(//p[@class='correction'])") == said
    assert said in pdf_text
    dateline = next(n for n, p in enumerate(word) if p.startswith("Bangkok, 10 February"))
    assert word[dateline + 1] == said


def test_contacts_stand_under_their_own_headings_in_all_three_formats(sample_document, site):
    page, pdf_text, word = formats(marked(sample_document), site.templates_dir)
    headings = page.xpath("//section[@class='contacts']/h2/text()")
    assert headings == ["For further information, please contact:",
                        "For media inquiries, please contact:"]
    assert page.xpath("string(//section[@class='contacts'][2]//li)") == "Media team, FORUM-ASIA"
    at = pdf_text.index("For media inquiries, please contact:")
    assert pdf_text.index("For further information, please contact:") < at
    assert pdf_text.index("Media team, FORUM-ASIA") > at
    assert word.index("For media inquiries, please contact:") < word.index(
        "Media team, FORUM-ASIA")
