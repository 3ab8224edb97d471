"""Word drafts as staff write them, made with python-docx (Word's own styles: Title,
Heading 1, List Bullet, List Number) plus the lxml python-docx lacks for footnotes, links
and tracked changes. The text is written for these tests.

    path = staff_draft(tmp_path / "draft.docx")            # the full draft, see DRAFT
    path = staff_draft(tmp_path / "d.docx", reviewed=True) # + a tracked change and a comment
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from lxml import etree

from pressroom.render import oxml as ox

W = ox.W_NS

TITLE = "Indonesia: Stop the criminalisation of land defenders in Central Sulawesi"
DATELINE = "(Jakarta, 5 May 2023) – "
FIRST = ("We, the undersigned organisations, condemn the arrest of eleven farmers of Sigi "
         "district, who were detained while they ")
BOLD = "peacefully protested"
AFTER_BOLD = " the fencing of their fields by a plantation company."
SECOND = ("The farmers have farmed the land for three generations, and the company's permit "
          "was issued without ")
ITALIC = "free, prior and informed consent"
AFTER_ITALIC = ", as the regional ombudsman found in its report"
LINK_TEXT = "published last year"
LINK = "https://ombudsman.example.org/reports/sigi-2022"
NOTE = "Regional Ombudsman, Report on land permits in Sigi, 2022, pp. 14-19."
HEADING = "Our demands"
DEMANDS = ("Release the eleven farmers at once and drop the charges against them.",
           "Suspend the plantation permit until an independent review is complete.")
ENDORSERS = ("Lembaga Bantuan Hukum Nusantara", "Asian Women's Rights Collective (AWRC)",
             "Sulawesi Farmers' Union")


def staff_draft(path: Path, reviewed: bool = False) -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    first = document.add_paragraph(DATELINE + FIRST)
    first.add_run(BOLD).bold = True
    first.add_run(AFTER_BOLD)
    second = document.add_paragraph(SECOND)
    second.add_run(ITALIC).italic = True
    second.add_run(AFTER_ITALIC + " ")
    _link(document, second, LINK_TEXT, LINK)
    second.add_run(".")
    _footnote(document, second, NOTE)
    if reviewed:
        third = document.add_paragraph("The police have ")
        _change(third, "del", "already ")
        _change(third, "ins", "since ")
        third.add_run("released two of them on bail.")
        document.add_comment(third.runs, text="Check the number with the lawyers.",
                             author="Legal Adviser", initials="LA")
    document.add_heading(HEADING, level=1)
    for demand in DEMANDS:
        document.add_paragraph(demand, style="List Number")
    document.add_paragraph("Endorsed by:")
    for name in ENDORSERS:
        document.add_paragraph(name, style="List Bullet")
    document.save(path)
    return path


def _link(document, paragraph, text: str, url: str) -> None:
    rid = document.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = ox.hyperlink(paragraph._p, rid)
    run = etree.SubElement(link, ox.w("r"))
    etree.SubElement(run, ox.w("t")).text = text


def _footnote(document, paragraph, text: str) -> None:
    part = document.part
    notes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, ox.footnotes_root(),
                    part.package)
    part.relate_to(notes, RT.FOOTNOTES)
    note = ox.footnote(notes.element, 1)
    p = etree.SubElement(note, ox.w("p"))
    etree.SubElement(etree.SubElement(p, ox.w("r")), ox.w("footnoteRef"))
    run = etree.SubElement(p, ox.w("r"))
    t = etree.SubElement(run, ox.w("t"))
    t.text = " " + text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    ref = paragraph.add_run()
    ox.footnote_reference(ref._r, 1)


def _change(paragraph, kind: str, text: str) -> None:
    change = etree.SubElement(paragraph._p, ox.w(kind))
    change.set(ox.w("id"), "90" if kind == "del" else "91")
    change.set(ox.w("author"), "Legal Adviser")
    change.set(ox.w("date"), "2023-05-04T10:00:00Z")
    run = etree.SubElement(change, ox.w("r"))
    t = etree.SubElement(run, ox.w("delText" if kind == "del" else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
