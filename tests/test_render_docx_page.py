"""The Word file's page furniture and addresses, looked at inside the .docx and as LibreOffice
lays it out: no line break at a hyphen of a URL or an e-mail address, the house logo beside
the organisation's name on page 1, and the digits of "Page x of y"."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from lxml import etree

from conftest import copy_site
from libreoffice import convert, pdf_text
from pressroom.render.docx import render_docx
from pressroom.render.reviewdocx import Review, anchors
from pressroom.site import load_site

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NO_BREAK = f"{W}noBreakHyphen"

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
