"""The review reader (review/reader.py over review/safezip.py) and `pressroom review inspect`.

Fixtures: the shapes Word 2010, Word 365 (Windows and Mac) and Google Docs write, built from
templates in tests/review_fixtures.py; LibreOffice as a real reviewer through UNO
(tests/uno_reviewer.py); hostile files; generated documents whose counts are known.
"""

from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import review_fixtures as fx
from libreoffice import libreoffice_review
from pressroom.cli import cli
from pressroom.errors import ReviewFileError
from pressroom.review import ChangeKind, StoryKind, read_review, safezip
from pressroom.review import ooxml as ox

TESTS = Path(__file__).resolve().parent


def read(tmp_path: Path, data: bytes, name: str = "reviewed.docx"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_review(path)


def by_id(items):
    return {i.id: i for i in items}


# --- the shapes of each client ------------------------------------------------------------


def test_word_2010_changes_and_comments(tmp_path):
    review = read(tmp_path, fx.word_2010())
    c1, c2 = review.comments
    assert (c1.id, c1.author, c1.initials, c1.date) == ("1", "Amara Okafor", "AO",
                                                       "2024-05-02T09:00:00Z")
    # The range holds an insertion and a deletion: each view of it is given.
    assert c1.anchor == "We call on the authorities immediately to release the detainees."
    assert c1.anchor_original == "We call on the authorities to release all the detainees."
    assert c1.text == "Say which authorities." and c1.parent is None and not c1.resolved
    assert c1.thread_source is None and c1.para_id == "1A2B3C01"
    # A comment with only a reference: no anchor, placed at its reference.
    assert c2.anchor is None and c2.place.paragraph == 2 and c2.parent is None
    kinds = [(c.id, c.kind, c.text, c.place.paragraph) for c in review.changes]
    assert kinds == [("10", ChangeKind.INSERTION, "immediately ", 0),
                     ("11", ChangeKind.DELETION, " all", 0),
                     ("12", ChangeKind.MARK_DELETION, "", 1),
                     ("13", ChangeKind.FORMATTING, "Bold now", 2)]
    fmt = review.changes[-1]
    assert fmt.properties == ("b",) and fmt.author == "Amara Okafor"
    assert fmt.date == "2024-05-02T10:03:00Z"


@pytest.mark.parametrize("mac", [False, True], ids=["windows", "mac"])
def test_word_365_threads_resolved_and_ids(tmp_path, mac):
    review = read(tmp_path, fx.word_365(mac=mac))
    c = by_id(review.comments)
    assert c["1"].parent == "0" and c["1"].thread_source == "commentsExtended"
    # Keyed by the LAST paragraph's paraId: the reply's first paragraph has another one.
    assert c["1"].text == "Agreed.\nArticle 21 of the ICCPR." and c["1"].para_id == "2B000003"
    # Same range as 0 and 1, but Word says it is its own thread.
    assert c["2"].parent is None and c["2"].anchor == "Freedom of assembly"
    assert c["0"].parent is None and not c["0"].resolved
    assert c["3"].resolved and c["3"].anchor == "every peaceful"
    assert c["3"].anchor_original == "every"
    assert [c[i].durable_id for i in "0123"] == ["5A1B0001", "5A1B0002", "5A1B0003",
                                                 "5A1B0004"]
    assert c["2"].date_utc == "2024-06-11T12:20:00Z"
    if not mac:
        assert [(x.kind, x.text) for x in review.changes] == [(ChangeKind.INSERTION,
                                                               " peaceful")]
        return
    ch = by_id(review.changes)
    assert (ch["31"].kind, ch["31"].text, ch["31"].move_name) == (ChangeKind.MOVE_FROM,
                                                                  "Moved sentence.", "move1")
    assert (ch["38"].kind, ch["38"].text, ch["38"].move_name) == (ChangeKind.MOVE_TO,
                                                                  "Moved sentence.", "move1")
    assert ch["31"].place.paragraph == 2 and ch["38"].place.paragraph == 5
    # Inside a table: a cell's edit, and a whole row inserted (reported on its paragraph).
    assert (ch["32"].kind, ch["32"].text, ch["33"].text) == (ChangeKind.DELETION, "old", "new")
    assert (ch["34"].kind, ch["34"].detail, ch["34"].place.paragraph) == (
        ChangeKind.INSERTION, "table row", 4)
    assert ch["36"].text == "the report"  # inside a hyperlink
    paragraphs = [p for p in review.paragraphs if p.place.story is StoryKind.BODY]
    assert paragraphs[2].accepted == " Stays here."
    assert paragraphs[2].rejected == "Moved sentence. Stays here."
    assert paragraphs[3].accepted == "Cell new" and paragraphs[3].rejected == "Cell old"
    # The row and the moved text were not in what was sent.
    assert paragraphs[4].rejected == "" and paragraphs[5].rejected == ""


def test_google_docs_replies_share_the_range(tmp_path):
    review = read(tmp_path, fx.google_docs())
    c = by_id(review.comments)
    assert c["1"].parent == "0" and c["2"].parent == "0"
    assert c["1"].thread_source == c["2"].thread_source == "shared-range"
    # Same start, another end: not a reply.
    assert c["3"].parent is None and c["3"].anchor == "The dateline and more"
    # In a footnote: the comment and the suggestion it sits on.
    assert (c["4"].place.story, c["4"].place.note) == (StoryKind.FOOTNOTE, "1")
    assert c["4"].anchor == "the 2023 report" and c["4"].anchor_original == ""
    ch = by_id(review.changes)
    assert (ch["6"].place.story, ch["6"].place.note, ch["6"].text) == (
        StoryKind.FOOTNOTE, "1", "the 2023 report")
    assert ch["5"].kind is ChangeKind.DELETION and ch["5"].place.story is StoryKind.BODY
    # Word's separator notes are not notes of the statement.
    assert {p.place.note for p in review.paragraphs
            if p.place.story is StoryKind.FOOTNOTE} == {"1"}


def test_overlapping_and_nested_ranges_header_endnote_and_field_codes(tmp_path):
    body = ("<w:p>" + fx.start(0) + fx.t("one ") + fx.start(1) + fx.t("two ") + fx.start(2)
            + fx.t("three") + fx.end(2) + fx.end(0) + fx.t(" four") + fx.end(1) + "</w:p>"
            + "<w:p>" + fx.start(3) + fx.t("across") + "</w:p><w:p>" + fx.t("paragraphs")
            + fx.end(3)
            # A deleted field: its code (delInstrText) is not text, its result is.
            + '<w:del w:id="40" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
            '<w:fldChar w:fldCharType="begin"/></w:r><w:r><w:delInstrText> PAGE '
            '</w:delInstrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>'
            '<w:delText>7</w:delText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "</w:del></w:p>"
            '<w:p><w:pPr><w:jc w:val="center"/><w:pPrChange w:id="41" w:author="A" '
            'w:date="2024-01-01T00:00:00Z"><w:pPr><w:jc w:val="left"/></w:pPr></w:pPrChange>'
            '<w:rPr><w:ins w:id="42" w:author="A" w:date="2024-01-01T00:00:00Z"/></w:rPr>'
            "</w:pPr>" + fx.t("centred") + "</w:p>")
    comments = "".join(fx.comment(i, f"note {i}", "A", "A", "2024-01-01T00:00:00Z")
                       for i in range(4))
    endnotes = ('<w:endnote w:id="1"><w:p>' + fx.dele(43, "gone") + "</w:p></w:endnote>")
    header = "<w:p>" + fx.ins(44, "DRAFT") + "</w:p>"
    review = read(tmp_path, fx.docx_bytes(body, comments=comments, endnotes=endnotes,
                                          header=header))
    anchors = {c.id: c.anchor for c in review.comments}
    assert anchors == {"0": "one two three", "1": "two three four", "2": "three",
                       "3": "across\nparagraphs"}
    ch = by_id(review.changes)
    assert ch["40"].text == "7"
    assert (ch["41"].kind, ch["41"].properties, ch["41"].text) == (ChangeKind.FORMATTING,
                                                                   ("jc",), "centred")
    assert ch["42"].kind is ChangeKind.MARK_INSERTION and ch["42"].place.paragraph == 3
    assert (ch["43"].place.story, ch["43"].place.note) == (StoryKind.ENDNOTE, "1")
    assert (ch["44"].place.story, ch["44"].place.note) == (StoryKind.HEADER,
                                                           "word/header1.xml")


def test_changes_inside_a_comment_are_in_the_comment_story(tmp_path):
    comments = ('<w:comment w:id="0" w:author="A" w:date="2024-01-01T00:00:00Z"><w:p>'
                + fx.t("Keep") + fx.ins(50, " this") + fx.dele(51, " that") + "</w:p>"
                "</w:comment>")
    review = read(tmp_path, fx.docx_bytes("<w:p>" + fx.start(0) + fx.t("x") + fx.end(0)
                                          + "</w:p>", comments=comments))
    assert review.comments[0].text == "Keep this"
    assert {(c.id, c.place.story, c.place.note) for c in review.changes} == {
        ("50", StoryKind.COMMENT, "0"), ("51", StoryKind.COMMENT, "0")}


# --- accept and reject ---------------------------------------------------------------------


def _paragraphs(xml: str) -> list[etree._Element]:
    root = etree.fromstring(f"<w:body {fx.NS}>{xml}</w:body>")
    return root.findall(ox.P)


def test_accept_and_reject_follow_the_revision_rules():
    (p,) = _paragraphs("<w:p>" + fx.t("a") + fx.ins(1, "b") + fx.dele(2, "c")
                       + '<w:ins w:id="3" w:author="A">' + fx.dele(4, "d") + "</w:ins>"
                       + '<w:moveFrom w:id="5">' + fx.t("e") + "</w:moveFrom>"
                       + '<w:moveTo w:id="6">' + fx.t("f") + "</w:moveTo></w:p>")
    # An insertion deleted again is in neither text.
    assert ox.accepted_text(p) == "abf" and ox.rejected_text(p) == "ace"
    paras = _paragraphs(
        '<w:p><w:pPr><w:rPr><w:del w:id="7" w:author="A"/></w:rPr></w:pPr>' + fx.t("one")
        + "</w:p><w:p>" + fx.t(" two") + "</w:p>"
        '<w:p><w:pPr><w:rPr><w:ins w:id="8" w:author="A"/></w:rPr></w:pPr>' + fx.t("three")
        + "</w:p><w:p>" + fx.t(" four") + "</w:p>")
    # Accept: a deleted mark joins its paragraph to the next; reject: an inserted one does.
    assert ox.view_paragraphs(paras, "accepted") == ["one two", "three", " four"]
    assert ox.view_paragraphs(paras, "rejected") == ["one", " two", "three four"]


# --- LibreOffice as a real reviewer -------------------------------------------------------

DRAFT = ["The authorities must release the detainees.",
         "Freedom of assembly is protected by law.",
         "This sentence will move.",
         "Final paragraph with a footnote."]
FOOTNOTE = "Source: the annual report of the network."


def _target(story: str, paragraph: int, find: str) -> dict:
    return {"story": story, "paragraph": paragraph, "find": find}


PLAN = {
    "author": ["Rita", "Reviewer"],
    "comments": [
        {"at": _target("body", 0, "authorities"), "author": "Rita Reviewer",
         "initials": "RR", "text": "Which authorities?"},
        {"at": _target("body", 0, "authorities"), "author": "Omar Legal", "initials": "OL",
         "text": "The courts as well.", "reply_to": 0},
        {"at": _target("body", 1, "assembly"), "author": "Omar Legal", "initials": "OL",
         "text": "Settled: keep it.", "resolved": True},
        {"at": _target("footnote", 0, "annual report"), "author": "Rita Reviewer",
         "initials": "RR", "text": "Which year?"}],
    "edits": [
        {"do": "insert", "at": _target("body", 0, "release"), "text": " immediately"},
        {"do": "delete", "at": _target("body", 1, " by law")},
        {"do": "bold", "at": _target("body", 1, "Freedom")},
        {"do": "move", "at": _target("body", 2, "This sentence will move."),
         "to": _target("body", 3, "footnote.")},
        {"do": "insert", "at": _target("footnote", 0, "Source:"), "text": " see"},
        {"do": "delete", "at": _target("footnote", 0, " of the network")}],
}




@pytest.mark.slow
def test_libreoffice_reviewer_round_trip(tmp_path):
    draft, reviewed = tmp_path / "draft.docx", tmp_path / "reviewed.docx"
    fx.python_docx_draft(draft, DRAFT, FOOTNOTE)
    libreoffice_review(draft, reviewed, PLAN)
    review = read_review(reviewed)
    comments = {c.text: c for c in review.comments}
    first, reply = comments["Which authorities?"], comments["The courts as well."]
    assert (first.author, first.initials, first.date) == ("Rita Reviewer", "RR",
                                                          "2024-09-03T12:00:00Z")
    assert first.anchor == reply.anchor == "authorities"
    assert first.place.paragraph == 0 and first.parent is None
    # LibreOffice 7.4 keeps no reply link: the reply shares its parent's range.
    assert reply.parent == first.id and reply.thread_source == "shared-range"
    settled = comments["Settled: keep it."]
    assert settled.resolved and settled.anchor == "assembly" and settled.place.paragraph == 1
    # LibreOffice 7.4 keeps a comment made in a footnote (its .odt has it) but its .docx
    # export drops it: the reader reports what the file holds, every w:comment there is.
    with zipfile.ZipFile(reviewed) as z:
        saved = etree.fromstring(z.read("word/comments.xml")).findall(ox.w("comment"))
        notes = [n for n in etree.fromstring(z.read("word/footnotes.xml"))
                 if ox.attr(n, "type") is None]
    assert len(review.comments) == len(saved)
    if "Which year?" in comments:
        assert comments["Which year?"].place.story is StoryKind.FOOTNOTE

    changes = [(c.kind, c.text, c.place.story, c.place.paragraph, c.author)
               for c in review.changes if c.kind is not ChangeKind.FORMATTING]
    who = "Rita Reviewer"
    assert (ChangeKind.INSERTION, " immediately", StoryKind.BODY, 0, who) in changes
    assert (ChangeKind.DELETION, " by law", StoryKind.BODY, 1, who) in changes
    # A cut and paste through UNO is saved as a deletion and an insertion.
    assert (ChangeKind.DELETION, "This sentence will move.", StoryKind.BODY, 2, who) in changes
    assert (ChangeKind.INSERTION, "This sentence will move.", StoryKind.BODY, 3, who) in changes
    assert (ChangeKind.INSERTION, " see", StoryKind.FOOTNOTE, 0, who) in changes
    assert (ChangeKind.DELETION, " of the network", StoryKind.FOOTNOTE, 0, who) in changes
    assert {c.place.note for c in review.changes if c.place.story is StoryKind.FOOTNOTE} == {
        ox.attr(notes[0], "id")}
    (bold,) = [c for c in review.changes if c.kind is ChangeKind.FORMATTING]
    assert bold.text == "Freedom" and "b" in bold.properties and bold.place.paragraph == 1
    # Every change rejected gives back what was sent; accepted, what the reviewer wants.
    body = [p for p in review.paragraphs if p.place.story is StoryKind.BODY]
    assert [p.rejected for p in body] == DRAFT
    assert [p.accepted for p in body] == [
        "The authorities must release immediately the detainees.",
        "Freedom of assembly is protected.", "",
        "Final paragraph with a footnote.This sentence will move."]
    (note,) = [p for p in review.paragraphs if p.place.story is StoryKind.FOOTNOTE]
    assert note.rejected == FOOTNOTE and note.accepted == "Source: see the annual report."


# --- hostile files --------------------------------------------------------------------------

HOSTILE = fx.hostile(bomb=False)  # the bomb is made only when its test runs


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_with_file_and_part(tmp_path, name):
    data, words, part = HOSTILE[name]
    data = fx.zip_bomb() if name == "zip-bomb" else data
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    tracemalloc.start()
    began = time.monotonic()
    try:
        with pytest.raises(ReviewFileError) as refused:
            read_review(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    elapsed = time.monotonic() - began
    message = str(refused.value)
    assert str(path) in message and words in message
    assert refused.value.part == part and (part is None or f"({part})" in message)
    assert "root:" not in message  # /etc/passwd never shows
    # Bounds that only a guard that failed would pass: the 30 MB bomb is stopped after about
    # 1 MB, so memory stays far below the part; 20 s is a hang, not a speed.
    assert peak < 16 * 1024 * 1024, peak
    assert elapsed < 20


def test_hostile_file_through_the_command_line(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(HOSTILE["billion-laughs"][0])
    done = CliRunner().invoke(cli, ["review", "inspect", str(path)])
    assert done.exit_code == 1
    assert "not read: the XML declares a DTD" in done.output and "Traceback" not in done.output
    missing = CliRunner().invoke(cli, ["review", "inspect", str(tmp_path / "nothing.docx")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_part_and_total_limits_hold_while_inflating(tmp_path, monkeypatch):
    # Random text deflates poorly, so only the size limits can stop it, not the ratio.
    noise = os.urandom(300_000).hex()
    data = fx.docx_bytes("<w:p>" + fx.t(noise) + "</w:p>",
                         footnotes=fx.footnotes('<w:footnote w:id="1"><w:p>' + fx.t(noise)
                                                + "</w:p></w:footnote>"))
    monkeypatch.setattr(safezip, "MAX_PART_BYTES", 1_000_000)
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 1_000_000)
    with pytest.raises(ReviewFileError, match="over 1,000,000 bytes in all") as refused:
        read(tmp_path, data)
    assert refused.value.part == "word/footnotes.xml"
    monkeypatch.setattr(safezip, "MAX_PART_BYTES", 500_000)
    with pytest.raises(ReviewFileError, match="over the limit of 500,000"):
        read(tmp_path, data)


# --- many comments ---------------------------------------------------------------------------


def test_ten_thousand_comments_are_read(tmp_path):
    review = read(tmp_path, fx.many_comments(10_000, changes=1_000))
    assert len(review.comments) == 10_000 and len(review.changes) == 1_000
    c = by_id(review.comments)
    assert c["9999"].anchor == "point 9999 of the statement"
    assert c["9999"].text == "Reviewer note 9999: check the wording of point 9999."
    assert c["9998"].parent == "9997" and c["9997"].parent is None
    assert sum(x.parent is not None for x in review.comments) == 3_333
    assert sum(x.resolved for x in review.comments) == 2_000
    assert Counter(x.kind for x in review.changes) == {ChangeKind.INSERTION: 500,
                                                       ChangeKind.DELETION: 500}


def test_inspect_json_has_every_field(tmp_path):
    path = tmp_path / "w.docx"
    path.write_bytes(fx.word_365(mac=True))
    done = CliRunner().invoke(cli, ["review", "inspect", str(path), "--json"])
    assert done.exit_code == 0, done.output
    found = json.loads(done.output)
    assert set(found) >= {"comments", "changes"}
    assert {"id", "author", "initials", "date", "text", "anchor", "parent", "resolved",
            "story", "paragraph"} <= set(found["comments"][0])
    assert {"id", "kind", "author", "date", "text", "story", "note", "paragraph"} <= set(
        found["changes"][0])
    kinds = {c["kind"] for c in found["changes"]}
    assert kinds == {"insertion", "deletion", "move-from", "move-to"}
    table = CliRunner().invoke(cli, ["review", "inspect", str(path)])
    assert table.exit_code == 0 and "move-from" in table.output
    assert "Comments (4)" in table.output and "reply to 0" in table.output


# --- never loses a comment or a change ------------------------------------------------------

WORDS = st.text(alphabet="ab &<>\"'ñ", min_size=1, max_size=6)
SEGMENT = st.tuples(st.sampled_from(["plain", "ins", "del", "move", "format", "comment",
                                     "comment-on-ins", "reply", "reference-only"]), WORDS)
PARAGRAPH = st.tuples(st.lists(SEGMENT, min_size=1, max_size=5),
                      st.sampled_from([None, "ins", "del"]),  # the paragraph mark
                      st.sampled_from(["plain", "table", "hyperlink"]))


class _Generated:
    """A document built from drawn paragraphs, counting what it puts in."""

    def __init__(self):
        self.ids = iter(range(1, 1_000_000))
        self.changes: Counter = Counter()  # (story, kind) -> count
        self.comments: list[str] = []  # comment XML
        self.anchors: dict[str, str] = {}
        self.replies: dict[str, str] = {}
        self.unanchored: set[str] = set()
        self.texts: list[tuple[str, str, str]] = []  # (story, accepted, rejected) in order

    def change(self, story: str, kind: ChangeKind) -> int:
        self.changes[(story, kind)] += 1
        return next(self.ids)

    def comment(self, anchor: str | None) -> str:
        cid = str(next(self.ids))
        n = len(self.comments)  # dates in the order made: a reply comes after its parent
        self.comments.append(fx.comment(int(cid), f"c{cid}", "Gen", "G",
                                        f"2024-01-01T00:{n // 60:02d}:{n % 60:02d}Z"))
        if anchor is None:
            self.unanchored.add(cid)
        else:
            self.anchors[cid] = anchor
        return cid

    def paragraph(self, story: str, spec) -> str:
        segments, mark, wrap = spec
        runs = []
        accepted, rejected = [], []
        for kind, words in segments:
            text = escape(words, {'"': "&quot;"})
            # What each view of the paragraph holds of this segment.
            accepted.append("" if kind in ("del", "reference-only") else words)
            rejected.append("" if kind in ("ins", "comment-on-ins", "reference-only")
                            else words)
            if kind == "plain":
                runs.append(fx.t(text))
            elif kind == "ins":
                runs.append(fx.ins(self.change(story, ChangeKind.INSERTION), text))
            elif kind == "del":
                runs.append(fx.dele(self.change(story, ChangeKind.DELETION), text))
            elif kind == "move":
                a, b = (self.change(story, ChangeKind.MOVE_FROM),
                        self.change(story, ChangeKind.MOVE_TO))
                runs.append(f'<w:moveFromRangeStart w:id="{a}" w:name="m{a}"/>'
                            f'<w:moveFrom w:id="{a}" w:author="Gen">{fx.t(text)}</w:moveFrom>'
                            f'<w:moveFromRangeEnd w:id="{a}"/>'
                            f'<w:moveToRangeStart w:id="{b}" w:name="m{a}"/>'
                            f'<w:moveTo w:id="{b}" w:author="Gen">{fx.t(text)}</w:moveTo>'
                            f'<w:moveToRangeEnd w:id="{b}"/>')
            elif kind == "format":
                cid = self.change(story, ChangeKind.FORMATTING)
                runs.append(f'<w:r><w:rPr><w:i/><w:rPrChange w:id="{cid}" w:author="Gen">'
                            f"<w:rPr/></w:rPrChange></w:rPr><w:t>{text}</w:t></w:r>")
            elif kind == "comment":
                cid = int(self.comment(words))
                runs.append(fx.start(cid) + fx.t(text) + fx.end(cid))
            elif kind == "comment-on-ins":
                cid = int(self.comment(words))
                runs.append(fx.start(cid) + fx.ins(self.change(story, ChangeKind.INSERTION),
                                                   text) + fx.end(cid))
            elif kind == "reply":
                first = self.comment(words)
                second = self.comment(words)
                self.replies[second] = first
                runs.append(fx.start(int(first)) + fx.start(int(second)) + fx.t(text)
                            + fx.end(int(first)) + fx.end(int(second)))
            else:
                runs.append(fx.ref(int(self.comment(None))))
        body = "".join(runs)
        if wrap == "hyperlink":
            body = f'<w:hyperlink r:id="rId99">{body}</w:hyperlink>'
        ppr = ""
        if mark:
            kind = ChangeKind.MARK_INSERTION if mark == "ins" else ChangeKind.MARK_DELETION
            ppr = (f'<w:pPr><w:rPr><w:{mark} w:id="{self.change(story, kind)}" '
                   'w:author="Gen"/></w:rPr></w:pPr>')
        p = f"<w:p>{ppr}{body}</w:p>"
        self.texts.append((story, "".join(accepted), "".join(rejected)))
        return f"<w:tbl><w:tr><w:tc>{p}</w:tc></w:tr></w:tbl>" if wrap == "table" else p


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=st.lists(PARAGRAPH, min_size=1, max_size=5),
       note=st.lists(PARAGRAPH, max_size=3))
def test_the_reader_never_loses_a_comment_or_a_change(tmp_path, body, note):
    gen = _Generated()
    body_xml = "".join(gen.paragraph("body", p) for p in body)
    notes_xml = fx.footnotes('<w:footnote w:id="1">' + "".join(
        gen.paragraph("footnote", p) for p in note) + "</w:footnote>") if note else None
    data = fx.docx_bytes(body_xml, footnotes=notes_xml,
                         comments="".join(gen.comments) if gen.comments else None)
    review = read(tmp_path, data)
    out = Counter((c.place.story.value, c.kind) for c in review.changes)
    assert out == gen.changes
    assert len(review.comments) == len(gen.anchors) + len(gen.unanchored)
    got = by_id(review.comments)
    for cid, words in gen.anchors.items():
        assert got[cid].anchor == words
    for cid in gen.unanchored:
        assert got[cid].anchor is None
    assert {c.id: c.parent for c in review.comments if c.parent} == gen.replies
    assert [(p.place.story.value, p.accepted, p.rejected) for p in review.paragraphs
            if p.place.story is not StoryKind.COMMENT] == gen.texts
    # The helpers ingest will use give the same texts as the reader's walk.
    root = etree.fromstring(body_xml.join([f"<w:body {fx.NS}>", "</w:body>"]))
    assert [(ox.accepted_text(p), ox.rejected_text(p)) for p in root.iter(ox.P)] == [
        (a, r) for story, a, r in gen.texts if story == "body"]


if __name__ == "__main__":  # a fixture to look at in Word or LibreOffice
    Path(sys.argv[1]).write_bytes(getattr(fx, sys.argv[2])())


def test_documents_that_are_not_transitional_wordprocessingml(tmp_path):
    strict = fx.with_document(b'<?xml version="1.0"?><w:document xmlns:w="http://purl.oclc'
                              b'.org/ooxml/wordprocessingml/main"><w:body/></w:document>')
    with pytest.raises(ReviewFileError, match="Strict Open XML is not read"):
        read(tmp_path, strict)
    no_id = fx.docx_bytes("<w:p/>", comments='<w:comment w:author="A"><w:p/></w:comment>')
    with pytest.raises(ReviewFileError, match=r"a comment \(line 2\) has no w:id") as refused:
        read(tmp_path, no_id)
    assert refused.value.part == "word/comments.xml"


def test_a_utf16_part_is_read_and_still_checked_for_a_dtd(tmp_path):
    text = (f'<?xml version="1.0" encoding="UTF-16"?><w:document {fx.NS}><w:body><w:p>'
            + fx.ins(1, "ürün") + "</w:p></w:body></w:document>")
    review = read(tmp_path, fx.with_document(text.encode("utf-16")))
    assert [(c.kind, c.text) for c in review.changes] == [(ChangeKind.INSERTION, "ürün")]
    hostile = text.replace("?><w:document", '?><!DOCTYPE w:document [<!ENTITY a "b">]>'
                           "<w:document", 1)
    with pytest.raises(ReviewFileError, match="DTD"):
        read(tmp_path, fx.with_document(hostile.encode("utf-16")))


def test_numbering_added_is_formatting_not_text(tmp_path):
    body = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/><w:ins w:id="60" '
            'w:author="A" w:date="2024-01-01T00:00:00Z"/></w:numPr></w:pPr>' + fx.t("item")
            + "</w:p>")
    (change,) = read(tmp_path, fx.docx_bytes(body)).changes
    assert (change.kind, change.properties, change.detail, change.text) == (
        ChangeKind.FORMATTING, ("numPr",), "numbering", "item")
