"""`pressroom import DRAFT.docx`: a staff member's Word draft becomes a record, read from
Word's own structure (Title, headings, numbered and bulleted lists, emphasis, links,
footnotes), through the same diagnostics as a text export; hostile files are refused."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from click.testing import CliRunner

import staff_drafts as sd
from conftest import SAMPLE_ID
from libreoffice import convert
from pressroom.body import parse_body
from pressroom.cli import cli
from pressroom.frontmatter import split_parts
from pressroom.importer import import_paths
from pressroom.model import block_texts
from pressroom.records import read_record
from pressroom.site import load_site


def _record(site, report):
    assert not report.refused, [str(r) for r in report.refused]
    (path,) = report.imported
    text = path.read_text("utf-8")
    statement, _ = read_record(path, site.organisations)
    return text, statement


def test_a_staff_draft_becomes_a_record(site, tmp_path):
    draft = sd.staff_draft(tmp_path / "sulawesi-draft.docx")
    report = import_paths(site, [draft])
    text, statement = _record(site, report)
    body = split_parts(text).body
    assert statement is not None, [str(d) for d in report.diagnostics]
    assert statement.title == sd.TITLE
    assert str(statement.date) == "2023-05-05" and statement.place == "Jakarta"
    assert statement.language == "en"
    # Word's emphasis, link and footnote, as Markdown.
    assert f"**{sd.BOLD}**" in body and f"*{sd.ITALIC}*" in body
    assert f"[{sd.LINK_TEXT}]({sd.LINK})" in body
    assert [" ".join(block_texts(f.children)) for f in statement.footnotes] == [sd.NOTE]
    # The heading and the numbered list keep their shape.
    assert f"## {sd.HEADING}" in body
    assert f"1. {sd.DEMANDS[0]}" in body and f"2. {sd.DEMANDS[1]}" in body
    texts = block_texts(statement.body.blocks)
    assert texts[0].startswith(sd.FIRST.split(",")[0])  # the dateline is cut from the text
    assert not any(sd.DATELINE.strip(" –") in t for t in texts)
    directory = load_site(site.root).organisations  # with the endorsers the import added
    names = [directory[k].name for k in statement.endorsers]
    assert len(statement.endorsers) == 3 and not any(n in body for n in sd.ENDORSERS)
    assert names == list(sd.ENDORSERS)
    assert not [d for d in report.diagnostics if d.is_error]


def test_a_reviewed_draft_is_read_with_its_changes_accepted_and_said(site, tmp_path):
    draft = sd.staff_draft(tmp_path / "reviewed.docx", reviewed=True)
    report = import_paths(site, [draft])
    text, _statement = _record(site, report)
    body = split_parts(text).body
    assert "The police have since released two of them on bail." in body
    assert "already" not in body
    said = [d.message for d in report.diagnostics]
    assert any("2 tracked change" in m and "accepted" in m for m in said)
    assert any("1 comment" in m and "review inspect" in m for m in said)
    assert "Check the number" not in text


@pytest.mark.slow
def test_a_draft_libreoffice_saved_again_reads_the_same(site, tmp_path):
    """LibreOffice writes its own styles.xml, numbering and footnotes: the same record."""
    (tmp_path / "src").mkdir()
    draft = sd.staff_draft(tmp_path / "src" / "sulawesi.docx")
    (again,) = convert([draft], "docx", tmp_path / "lo")
    ours, theirs = (_record(site, import_paths(site, [p], force=True)) for p in (draft, again))
    mine, lo = ours[1], theirs[1]
    assert lo is not None
    assert (lo.title, lo.date, lo.place, lo.endorsers) == (
        mine.title, mine.date, mine.place, mine.endorsers)
    assert block_texts(lo.body.blocks) == block_texts(mine.body.blocks)
    assert [block_texts(f.children) for f in lo.footnotes] == [
        block_texts(f.children) for f in mine.footnotes]
    lo_body = split_parts(theirs[0]).body
    assert f"**{sd.BOLD}**" in lo_body and f"[{sd.LINK_TEXT}]({sd.LINK})" in lo_body


def test_the_cli_imports_a_folder_of_drafts_and_text_alike(site, tmp_path, monkeypatch):
    folder = tmp_path / "incoming"
    folder.mkdir()
    sd.staff_draft(folder / "one.docx")
    (folder / "two.txt").write_text("Laos: Free them\n(Vientiane, 3 March 2022) – We call on "
                                    "the authorities to release the three detained "
                                    "activists at once.\n", "utf-8")
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(cli, ["import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "imported 2" in result.output


def test_our_own_word_file_is_not_imported_as_a_new_statement(site, sample_document,
                                                              tmp_path):
    from pressroom.render.docx import render_docx

    path = tmp_path / "back-from-legal.docx"
    path.write_bytes(render_docx(sample_document, site.templates_dir))
    report = import_paths(site, [path])
    assert not report.imported
    assert SAMPLE_ID in str(report.refused[0]) and "review ingest" in str(report.refused[0])


# --- hostile files ----------------------------------------------------------------------------


def _zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _document(body: str) -> bytes:
    return (f'<?xml version="1.0"?><w:document xmlns:w="{sd.W}"><w:body>{body}</w:body>'
            "</w:document>").encode()


_P = "<w:p><w:r><w:t>Laos: Free them</w:t></w:r></w:p>"
_CT = b'<?xml version="1.0"?><Types xmlns="x"/>'


def _bomb() -> bytes:
    """30 MB of spaces that deflate to some 30 kB (a real bomb nests such zips)."""
    return _zip({"[Content_Types].xml": _CT,
                 "word/document.xml": b"<w:document>" + b" " * (30 << 20) + b"</w:document>"})


HOSTILE = {
    "not a zip": (lambda: b"PK\x03\x04 this was renamed from .doc", "not a Word file"),
    "a zip bomb": (_bomb, "zip bomb"),
    "entities": (lambda: _zip({"[Content_Types].xml": _CT, "word/document.xml": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
        b'&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="' + sd.W.encode()
        + b'"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')}),
        "entities"),
    "an external entity": (lambda: _zip({"[Content_Types].xml": _CT, "word/document.xml": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="' + sd.W.encode() + b'"><w:body><w:p><w:r><w:t>&x;</w:t>'
        b"</w:r></w:p></w:body></w:document>")}), "entities"),
    "no document part": (lambda: _zip({"[Content_Types].xml": _CT, "word/other.xml": b"<a/>"}),
                         "missing (not a Word document, or damaged) (word/document.xml)"),
    "deep nesting": (lambda: _zip({"[Content_Types].xml": _CT, "word/document.xml": _document(
        "<w:sdt><w:sdtContent>" * 5_000 + _P + "</w:sdtContent></w:sdt>" * 5_000)}),
        "nested over 256 levels"),
    "no text": (lambda: _zip({"[Content_Types].xml": _CT, "word/document.xml": _document(
        "<w:p/>")}), "no text"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_word_files_are_refused_with_a_message(site, tmp_path, case):
    make, says = HOSTILE[case]
    path = tmp_path / "incoming" / "draft.docx"
    path.parent.mkdir()
    path.write_bytes(make())
    started = time.monotonic()
    report = import_paths(site, [path])
    assert time.monotonic() - started < 20
    assert not report.imported
    (refused,) = report.refused
    assert says in str(refused) and "draft.docx" in str(refused)
    assert "root:" not in str(refused)  # /etc/passwd was never read into anything


def test_a_duplicate_part_is_refused(site, tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("word/document.xml", _document(_P))
        with pytest.warns(UserWarning):
            z.writestr("word/document.xml", _document("<w:p><w:r><w:t>Other</w:t></w:r></w:p>"))
    path = tmp_path / "dup.docx"
    path.write_bytes(out.getvalue())
    report = import_paths(site, [path])
    assert not report.imported and "holds this part twice" in str(report.refused[0])


def test_the_body_of_a_draft_parses_without_problems(site, tmp_path):
    report = import_paths(site, [sd.staff_draft(tmp_path / "d.docx")])
    text, _ = _record(site, report)
    _body, problems = parse_body(split_parts(text).body)
    assert problems == []
