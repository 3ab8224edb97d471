"""The reviewers' Word draft (`pressroom draft`, the "review-draft" content rule): looked at
inside the .docx (bookmarks wrapping each field's text, track changes on, custom properties,
comments by Pressroom on the text they are about, tracked changes equal to the difference),
in the store (the version and each field's fingerprint), and in real LibreOffice (converted
to text; through UNO: bookmarks by name, tracked changes, and a save as .docx again)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import sqlite3
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import SAMPLE_ID, copy_site
from libreoffice import convert
from libreoffice_uno import read_with_uno
from pressroom.body import parse_body
from pressroom.model import Diagnostic, Severity, inline_text
from pressroom.render.docx import render_docx
from pressroom.render.reviewdocx import Review
from pressroom.site import load_site
from pressroom.versions import Versions
from test_workflow import ANA, CHEN, DIR, run, with_logins

SID = "2024-05-01-river-defenders"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
# A record of our own: a heading, a list, emphasis, a link, two notes, and three warnings:
# an endorser listed twice, an embargo without a time zone (about the date), and a
# translation of a record that is not there (about no field the draft shows).
RECORD = """---
id: 2024-05-01-river-defenders
type: joint-statement
title: "Mekong: Protect the river defenders"
date: 2024-05-01
place: Bangkok
language: en
issued_by: forum-asia
endorsers: [forum-asia, arf, awam, arf]
contacts:
  - {label: "Environment Desk, FORUM-ASIA", email: "desk@example.org"}
embargo: 2030-01-01T09:00:00
translation_of: 2019-01-01-no-such-statement
state: private
---
We, the undersigned organisations, call on the authorities to *release* the three river
defenders held since March.[^1]

## What happened

The defenders were detained after a peaceful vigil on the river bank.[^2]

- Stop the prosecutions.
- Lift the travel bans.

[^1]: Reported by local monitors, see [their note](https://example.org/monitors).
[^2]: Witness accounts collected in April.
"""
FIELDS = {
    "pr_title": "Mekong: Protect the river defenders",
    "pr_dateline": "Bangkok, 1 May 2024",
    "pr_body_1": "We, the undersigned organisations, call on the authorities to release the "
                 "three river defenders held since March.",
    "pr_body_2": "What happened",
    "pr_body_3": "The defenders were detained after a peaceful vigil on the river bank.",
    "pr_body_4": "Stop the prosecutions.",
    "pr_body_5": "Lift the travel bans.",
    "pr_endorser_1": "Asian Forum for Human Rights and Development (FORUM-ASIA)",
    "pr_endorser_2": "Asian Resource Foundation (ARF)",
    "pr_endorser_3": "Association of Women for Awareness & Motivation (AWAM)",
    "pr_endorser_4": "Asian Resource Foundation (ARF)",
    "pr_contact_1": "Environment Desk, FORUM-ASIA\ndesk@example.org",
    "pr_fn_1": "Reported by local monitors, see their note.",
    "pr_fn_2": "Witness accounts collected in April.",
}


@pytest.fixture
def draft_site(tmp_path) -> Path:
    root = with_logins(copy_site(tmp_path / "site", adopt=False))
    (root / "statements" / f"{SID}.md").write_text(RECORD, encoding="utf-8")
    return root


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist()
                if name.endswith(".xml")}


def bookmarked(root: etree._Element) -> dict[str, str]:
    """Each bookmark's text, read here on its own: every w:t (and break) between a
    bookmarkStart and the bookmarkEnd of the same id, in document order, except deleted."""
    texts: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    open_ids: set[str] = set()
    for el in root.iter():
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag == "bookmarkStart":
            names[el.get(f"{{{W}}}id")] = el.get(f"{{{W}}}name")
            open_ids.add(el.get(f"{{{W}}}id"))
            texts[el.get(f"{{{W}}}name")] = []
        elif tag == "bookmarkEnd":
            open_ids.discard(el.get(f"{{{W}}}id"))
        elif tag in ("t", "br") and open_ids:
            if any(etree.QName(a).localname == "del" for a in el.iterancestors()):
                continue
            for i in open_ids:
                texts[names[i]].append(el.text or "" if tag == "t" else "\n")
    return {name: "".join(pieces) for name, pieces in texts.items()}


def the_draft(root: Path, version: int, person: str = "reviewers") -> Path:
    return root / "drafts" / SID / f"{SID}-v{version}-review-{person}.docx"


def test_the_draft_bookmarks_every_field_on_exactly_its_text(draft_site):
    out = run(draft_site, ANA, "draft", SID)
    assert "version 1" in out and "14 fields bookmarked" in out
    xml = parts(the_draft(draft_site, 1))
    body, notes = bookmarked(xml["word/document.xml"]), bookmarked(xml["word/footnotes.xml"])
    ours = {k: v for k, v in {**body, **notes}.items() if k.startswith("pr_")}
    assert ours == FIELDS
    for name in ours:  # Word's rule for bookmark names
        assert len(name) <= 40 and re.fullmatch(r"[A-Za-z]\w*", name)
    # A note's own number is not inside its bookmark: the bookmark starts after it.
    note = xml["word/footnotes.xml"].find(".//w:footnote[@w:id='1']/w:p", NS)
    children = [etree.QName(c).localname for c in note]
    assert children.index("bookmarkStart") > next(
        i for i, c in enumerate(note) if c.find("w:footnoteRef", NS) is not None)
    assert children[-1] == "bookmarkEnd"


def test_the_draft_is_marked_tracks_changes_and_names_its_version(draft_site):
    run(draft_site, ANA, "draft", SID, "--for", "programme-lead")
    path = the_draft(draft_site, 1, "programme-lead")
    xml = parts(path)
    settings = xml["word/settings.xml"]
    assert settings.find("w:trackRevisions", NS) is not None
    # In the schema's order: before w:defaultTabStop (Word refuses a file out of order).
    names = [etree.QName(c).localname for c in settings]
    if "defaultTabStop" in names:
        assert names.index("trackRevisions") < names.index("defaultTabStop")
    custom = {p.get("name"): p[0].text for p in xml["docProps/custom.xml"]}
    record = (draft_site / "statements" / f"{SID}.md").read_bytes()
    assert custom["statement_id"] == SID
    assert custom["record_version"] == "1"
    assert custom["record_sha256"] == hashlib.sha256(record).hexdigest()
    assert custom["review_for"] == "programme-lead"
    # DRAFT: the first line of the body, and the watermark in the header.
    first = xml["word/document.xml"].find(".//w:body/w:p", NS)
    assert "".join(first.itertext()).startswith("DRAFT")
    header = next(v for k, v in xml.items() if k.startswith("word/header"))
    assert any(el.get("string") == "DRAFT" for el in header.iter(
        "{urn:schemas-microsoft-com:vml}textpath"))
    # The statement's own Word file, rendered after a draft in the same process, has none
    # of it: the reference's shared settings were copied, not changed.
    site = load_site(draft_site)
    plain = render_docx(site.document(site.load(SID)), site.templates_dir)
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        assert b"trackRevisions" not in z.read("word/settings.xml")
        assert b"pr_title" not in z.read("word/document.xml")
        assert "word/comments.xml" not in z.namelist()


def test_the_records_warnings_are_comments_by_pressroom_on_their_text(draft_site):
    run(draft_site, ANA, "draft", SID)
    xml = parts(the_draft(draft_site, 1))
    comments = {c.get(f"{{{W}}}id"): c for c in xml["word/comments.xml"]}
    assert comments and {c.get(f"{{{W}}}author") for c in comments.values()} == {"Pressroom"}
    doc = xml["word/document.xml"]
    anchored = {}
    for cid, comment in comments.items():
        text = "".join(comment.itertext())
        start = doc.find(f".//w:commentRangeStart[@w:id='{cid}']", NS)
        end = doc.find(f".//w:commentRangeEnd[@w:id='{cid}']", NS)
        assert start is not None and end is not None
        p = start.getparent()
        inside, on = [], False
        for el in p.iter():
            if el is start:
                on = True
            elif el is end:
                break
            elif on and etree.QName(el).localname == "t":
                inside.append(el.text)
        anchored[text] = "".join(inside)
    twice = next(t for t in anchored if "'arf' is listed twice" in t)
    assert anchored[twice] == FIELDS["pr_endorser_4"]  # the second 'arf', not the first
    zone = next(t for t in anchored if "no time zone" in t)
    assert anchored[zone] == FIELDS["pr_dateline"]
    original = next(t for t in anchored if "translation_of: no record has the id" in t)
    assert anchored[original] == FIELDS["pr_title"]
    assert len(anchored) == 3
    assert all(c.get(f"{{{W}}}date") for c in comments.values())


def test_the_version_and_each_fields_fingerprint_are_stored(draft_site):
    run(draft_site, ANA, "draft", SID)
    run(draft_site, ANA, "draft", SID, "--for", "executive-director")  # same record: v1
    db = sqlite3.connect(draft_site / "runs" / "ledger.sqlite")
    versions = db.execute("SELECT number, reason FROM versions WHERE statement_id = ?",
                          (SID,)).fetchall()
    assert versions == [(1, "review-draft")]
    stored = {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT bookmark, sha256, text FROM draft_anchors WHERE statement_id = ? AND "
        "version = 1", (SID,))}
    assert {k: v[1] for k, v in stored.items()} == FIELDS
    for name, (digest, text) in stored.items():
        norm = " ".join(unicodedata.normalize("NFC", text).split())
        assert digest == hashlib.sha256(norm.encode()).hexdigest(), name
    sent = db.execute("SELECT person, path FROM review_drafts ORDER BY id").fetchall()
    assert sent == [("reviewers", f"drafts/{SID}/{SID}-v1-review-reviewers.docx"),
                    ("executive-director",
                     f"drafts/{SID}/{SID}-v1-review-executive-director.docx")]
    # The record changes: the next draft is the next version.
    record = draft_site / "statements" / f"{SID}.md"
    record.write_text(RECORD.replace("three", "four"), encoding="utf-8")
    assert "version 2" in run(draft_site, ANA, "draft", SID)
    assert the_draft(draft_site, 2).is_file()


def test_bad_input_is_a_message_and_writes_nothing(draft_site):
    out = run(draft_site, ANA, "draft", "2024-05-01-no-such", code=2)
    assert "No statement '2024-05-01-no-such'" in out
    out = run(draft_site, ANA, "draft", SID, "--for", "programme-leed", code=2)
    assert "not a person of pressroom.toml" in out and "'programme-lead'" in out
    out = run(draft_site, ANA, "draft", SID, "--since", "3", code=2)
    assert "has no version 3" in out
    record = draft_site / "statements" / f"{SID}.md"
    record.write_text(RECORD.replace("issued_by: forum-asia", "issued_by: forum-asai"),
                      encoding="utf-8")
    out = run(draft_site, ANA, "draft", SID, code=1)
    assert "issued_by" in out and "forum-asia" in out
    assert not (draft_site / "drafts").exists()
    assert Versions(draft_site / "runs").list(SID) == []



def test_a_version_the_site_cannot_read_now_is_refused_for_since(draft_site):
    run(draft_site, ANA, "draft", SID)
    record = draft_site / "statements" / f"{SID}.md"
    record.write_text(RECORD.replace("awam, ", ""), encoding="utf-8")
    directory = draft_site / "statements" / "organisations.yaml"
    text = directory.read_text(encoding="utf-8")
    directory.write_text(re.sub(r"(?m)^awam:\n(  .*\n)+", "", text), encoding="utf-8")
    out = run(draft_site, ANA, "draft", SID, "--since", "1", code=2)
    assert "version 1" in out and "'awam'" in out
    assert [v.number for v in Versions(draft_site / "runs").list(SID)] == [1]


def test_a_link_where_the_drafts_folder_goes_is_refused_and_nothing_is_stored(draft_site,
                                                                             tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (draft_site / "drafts").mkdir()
    (draft_site / "drafts" / SID).symlink_to(elsewhere)
    out = run(draft_site, ANA, "draft", SID, code=1)
    assert "a link" in out and "never through a link" in out
    assert list(elsewhere.iterdir()) == []
    assert Versions(draft_site / "runs").list(SID) == []  # the version went with the file


EDITED = (RECORD.replace("title: \"Mekong: Protect the river defenders\"",
                         "title: \"Mekong: Free the river defenders\"")
          .replace("the three river", "the four river")
          .replace("- Lift the travel bans.\n", "")
          .replace("collected in April", "collected in early May")
          .replace("## What happened\n", "## What happened\n\nThe vigil was the third this "
                   "year.\n"))


def changes(p: etree._Element, kind: str) -> str:
    tag = "delText" if kind == "del" else "t"
    return "".join(t.text for c in p.iter(f"{{{W}}}{kind}") for t in c.iter(f"{{{W}}}{tag}"))


def as_accepted(p: etree._Element) -> str:
    return "".join(t.text for t in p.iter(f"{{{W}}}t")
                   if not any(etree.QName(a).localname == "del" for a in t.iterancestors()))


def as_rejected(p: etree._Element) -> str:
    return "".join(t.text for t in p.iter(f"{{{W}}}t", f"{{{W}}}delText")
                   if not any(etree.QName(a).localname == "ins" for a in t.iterancestors()))


def paragraph_of(doc: etree._Element, bookmark: str) -> etree._Element:
    return doc.find(f".//w:bookmarkStart[@w:name='{bookmark}']", NS).getparent()


@pytest.fixture
def since_draft(draft_site) -> Path:
    run(draft_site, ANA, "draft", SID)
    (draft_site / "statements" / f"{SID}.md").write_text(EDITED, encoding="utf-8")
    out = run(draft_site, ANA, "draft", SID, "--since", "1")
    assert "version 2" in out and "since version 1" in out
    return the_draft(draft_site, 2)


def test_since_a_version_every_difference_is_a_tracked_change(since_draft):
    doc = parts(since_draft)["word/document.xml"]
    title = paragraph_of(doc, "pr_title")
    assert (changes(title, "del"), changes(title, "ins")) == ("Protect", "Free")
    assert as_rejected(title) == FIELDS["pr_title"]
    assert as_accepted(title) == "Mekong: Free the river defenders"
    first = paragraph_of(doc, "pr_body_1")
    assert (changes(first, "del"), changes(first, "ins")) == ("three", "four")
    assert as_rejected(first) == FIELDS["pr_body_1"]
    # A new paragraph: all its text inserted, and its paragraph mark.
    new = paragraph_of(doc, "pr_body_3")
    assert changes(new, "ins") == as_accepted(new) == "The vigil was the third this year."
    assert new.find("w:pPr/w:rPr/w:ins", NS) is not None
    # A removed list item: its text deleted where it stood, its paragraph mark too.
    gone = [p for p in doc.iter(f"{{{W}}}p") if changes(p, "del") == "Lift the travel bans."]
    assert len(gone) == 1 and gone[0].find("w:pPr/w:rPr/w:del", NS) is not None
    assert as_accepted(gone[0]) == ""
    before = gone[0].getprevious()
    assert before is paragraph_of(doc, "pr_body_5")  # after "Stop the prosecutions."
    # Every unchanged field carries no change; every change is Pressroom's, dated, its id
    # its own.
    assert not changes(paragraph_of(doc, "pr_body_4"), "ins")
    # Inside a note too, after its number.
    note = paragraph_of(parts(since_draft)["word/footnotes.xml"], "pr_fn_2")
    assert (changes(note, "del"), changes(note, "ins")) == ("April", "early May")
    assert as_rejected(note).endswith(FIELDS["pr_fn_2"])
    marks = [el for el in doc.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    assert {m.get(f"{{{W}}}author") for m in marks} == {"Pressroom"}
    ids = [m.get(f"{{{W}}}id") for m in marks]
    assert len(ids) == len(set(ids))
    assert len({m.get(f"{{{W}}}date") for m in marks}) == 1


def test_since_dates_come_from_the_version_not_the_clock(draft_site, since_draft):
    doc = parts(since_draft)["word/document.xml"]
    stamp = next(doc.iter(f"{{{W}}}ins")).get(f"{{{W}}}date")
    db = sqlite3.connect(draft_site / "runs" / "ledger.sqlite")
    created = db.execute("SELECT created FROM versions WHERE statement_id = ? AND number = 2",
                         (SID,)).fetchone()[0]
    assert stamp == created[:19] + "Z"
    again = since_draft.read_bytes()
    run(draft_site, ANA, "draft", SID, "--since", "1")  # the same version drafted again
    assert since_draft.read_bytes() == again


def test_libreoffice_opens_the_draft_and_shows_it_marked(draft_site, tmp_path):
    run(draft_site, ANA, "draft", SID)
    text = convert([the_draft(draft_site, 1)], "txt:Text (encoded):UTF8", tmp_path)[0]
    lines = [line.strip(" •\ufeff") for line in text.read_text("utf-8").splitlines()]
    assert lines[0] == "DRAFT — not for publication"
    # Each field as the record says it (a note's number follows the text it stands in).
    for name in ("pr_title", "pr_dateline", "pr_body_2", "pr_body_4", "pr_body_5",
                 "pr_endorser_3"):
        assert FIELDS[name] in lines, name
    assert FIELDS["pr_body_1"] + "1" in lines and FIELDS["pr_body_3"] + "2" in lines


def test_libreoffice_sees_the_bookmarks_changes_and_comments_and_keeps_them(since_draft,
                                                                           tmp_path):
    resaved = tmp_path / "resaved.docx"
    seen = read_with_uno(since_draft, resaved)
    # LibreOffice 7.4 renames a bookmark inside any note after the first ("pr_fn_2 Copy 1")
    # as it imports it: a reader of returned files strips that suffix.
    names = {re.sub(r"[ _]Copy[ _]\d+$", "", n) for n in seen["bookmarks"]}
    expected = set(FIELDS)  # the edit added one body paragraph and removed another
    assert {n for n in names if n.startswith("pr_")} == expected
    # LibreOffice counts a note's number as a character of the text it stands in.
    assert seen["bookmarks"]["pr_body_4"] == FIELDS["pr_body_3"] + "2"
    assert seen["record_changes"] is True
    redlines = seen["redlines"]
    assert {r["author"] for r in redlines} == {"Pressroom"}
    texts = {(r["type"], r["text"].strip()) for r in redlines}
    assert {("Delete", "three"), ("Insert", "four"), ("Delete", "Protect"),
            ("Insert", "Free")} <= texts
    assert any(t == "Delete" and "Lift the travel bans." in s for t, s in texts)
    assert any(t == "Insert" and "The vigil was the third this year." in s for t, s in texts)
    assert {c["author"] for c in seen["comments"]} == {"Pressroom"}
    assert {c["anchor"] for c in seen["comments"]} >= {FIELDS["pr_dateline"],
                                                       FIELDS["pr_endorser_4"]}
    # Saved again by LibreOffice as .docx: the bookmarks are still there, by name.
    xml = parts(resaved)
    again = {**bookmarked(xml["word/document.xml"]), **bookmarked(xml["word/footnotes.xml"])}
    kept = {re.sub(r"_Copy_\d+$", "", n) for n in again if n.startswith("pr_")}
    assert kept == expected
    assert again["pr_body_1"] == ("We, the undersigned organisations, call on the "
                                  "authorities to release the four river defenders held "
                                  "since March.")


def test_the_submit_rule_writes_the_draft_of_the_submitted_version(draft_site):
    with (draft_site / "pressroom.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[rules]]\non = ["submit"]\ndo = "review-draft"\n')
    out = run(draft_site, ANA, "workflow", SID, "submit")
    assert "Word draft for reviewers" in out and "version 1" in out
    path = the_draft(draft_site, 1)
    custom = {p.get("name"): p[0].text for p in parts(path)["docProps/custom.xml"]}
    record = (draft_site / "statements" / f"{SID}.md").read_bytes()
    assert b"state: pending" in record
    assert custom["record_sha256"] == hashlib.sha256(record).hexdigest()
    db = sqlite3.connect(draft_site / "runs" / "ledger.sqlite")
    assert db.execute("SELECT number, reason FROM versions WHERE statement_id = ?",
                      (SID,)).fetchall() == [(1, "submit")]  # the submitted version itself
    assert db.execute("SELECT COUNT(*) FROM draft_anchors WHERE version = 1").fetchone()[0] \
        == len(FIELDS)
    run(draft_site, CHEN, "workflow", SID, "reject")
    assert "rules[1]" not in run(draft_site, DIR, "check", code=None)  # valid now
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        assert "word/comments.xml" in z.namelist()


# --- the tracked changes, for any edit: accept them all and the new text is there; reject
# them all and the old one is ---------------------------------------------------------------

WORDS = ("rights", "river", "defenders", "free", "the", "all", "vigil", "now", "call", "on",
         "*urgent*", "**bold**", "assembly", "2024", "peaceful")
paragraphs = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)
                      .map(" ".join), min_size=1, max_size=6)


def body_paragraphs(doc: etree._Element) -> list[etree._Element]:
    """The body's paragraphs in the draft, deleted ones included."""
    out = []
    for p in doc.iter(f"{{{W}}}p"):
        names = [b.get(f"{{{W}}}name") for b in p.iter(f"{{{W}}}bookmarkStart")]
        if any(n.startswith("pr_body_") for n in names) or p.find(
                "w:pPr/w:rPr/w:del", NS) is not None:
            out.append(p)
    return out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=paragraphs, new=paragraphs)
def test_accepting_every_change_gives_the_new_text_and_rejecting_the_old(site, old, new):
    statement = site.load(SAMPLE_ID)

    def document(texts: list[str]):
        body, _ = parse_body("\n\n".join(texts) + "\n")
        return replace(site.document(replace(statement, body=body)), preview=True)

    before, after = document(old), document(new)
    review = Review(2, dt.datetime(2024, 5, 1, tzinfo=dt.UTC), since=before, since_version=1)
    data = render_docx(after, site.templates_dir, review)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    shown = body_paragraphs(doc)
    plain = [inline_text(b.children) for b in after.statement.body.blocks]
    was = [inline_text(b.children) for b in before.statement.body.blocks]
    accepted = [as_accepted(p) for p in shown
                if p.find("w:pPr/w:rPr/w:del", NS) is None]
    rejected = [as_rejected(p) for p in shown if p.find("w:pPr/w:rPr/w:ins", NS) is None]
    assert accepted == plain
    assert rejected == was
    if old == new:
        assert doc.find(".//w:ins", NS) is None and doc.find(".//w:del", NS) is None


def test_a_draft_publication_of_the_statement_keeps_the_reviewers_draft(draft_site):
    run(draft_site, ANA, "draft", SID)
    sent = the_draft(draft_site, 1).read_bytes()
    out = run(draft_site, ANA, "publish", SID, "--direct", "--formats", "html")
    assert "drafts/" in out  # drafts/ID/ replaced as one set, with what else it holds
    assert the_draft(draft_site, 1).read_bytes() == sent
    assert (draft_site / "drafts" / SID / f"{SID}.html").is_file()


def test_a_warning_about_a_line_of_a_note_is_a_comment_on_that_note(draft_site):
    site = load_site(draft_site)
    statement = site.load(SID)
    note = statement.footnotes[1]
    warning = Diagnostic(str(statement.path), note.line, Severity.WARNING, "body",
                         "a note written by a test")
    review = Review(1, dt.datetime(2024, 5, 1, tzinfo=dt.UTC), (warning,))
    data = render_docx(replace(site.document(statement), preview=True), site.templates_dir,
                       review)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        comments = etree.fromstring(z.read("word/comments.xml"))
    (comment,) = comments
    assert "a note written by a test" in "".join(comment.itertext())
    cid = comment.get(f"{{{W}}}id")
    start = notes.find(f".//w:commentRangeStart[@w:id='{cid}']", NS)
    p = start.getparent()
    assert p is paragraph_of(notes, "pr_fn_2")
    assert p.find(f".//w:commentRangeEnd[@w:id='{cid}']", NS) is not None
    assert notes.find(f".//w:commentReference[@w:id='{cid}']", NS) is not None


IMPORTED = """Mekong: Free the fishing families' advocates

(Bangkok, 2 June 2024) – We, the undersigned organisations, call on the authorities to free
the four advocates of the fishing families, held since May without charge.

They were detained after they spoke at a public hearing on the new dam.

Signed by:
Asian Forum for Human Rights and Development (FORUM-ASIA)
Asian Resourse Foundation

For media inquiries, please contact:
River Desk, FORUM-ASIA, river [at] forum-asia [dot] org
"""


def test_the_import_s_warnings_still_standing_are_comments_too(tmp_path):
    root = with_logins(copy_site(tmp_path / "site", adopt=False))
    source = tmp_path / "archive" / "free-the-advocates.txt"
    source.parent.mkdir()
    source.write_text(IMPORTED, encoding="utf-8")
    out = run(root, DIR, "import", str(source))
    assert "imported 1" in out
    (record,) = (root / "statements").glob("2024-06-02-*.md")
    sid = record.stem

    def import_comments(version: int) -> dict[str, str]:
        xml = parts(root / "drafts" / sid / f"{sid}-v{version}-review-reviewers.docx")
        doc, out = xml["word/document.xml"], {}
        for c in xml["word/comments.xml"]:
            text = "".join(c.itertext())
            if "the import of free-the-advocates.txt said so" in text:
                start = doc.find(f".//w:commentRangeStart[@w:id='{c.get(f'{{{W}}}id')}']", NS)
                names = [b.get(f"{{{W}}}name") for b in start.getparent().iter(
                    f"{{{W}}}bookmarkStart")]
                out[text] = names[0]
        return out

    run(root, ANA, "draft", sid)
    first = import_comments(1)  # the version the import stored
    on = {anchor for anchor in first.values()}
    # The close spelling on the endorser; the hidden e-mail on the contact; the issuer the
    # draft does not show, on the title.
    assert on == {"pr_endorser_2", "pr_contact_1", "pr_title"}, first
    # Someone sees to the contact: its warning no longer stands; the endorser's does.
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("email: null", "email: river@forum-asia.org")
                      if "email: null" in text else text.replace(
                          "River Desk, FORUM-ASIA\"}", "River Desk, FORUM-ASIA\", email: "
                          "river@forum-asia.org}"), encoding="utf-8")
    assert record.read_text(encoding="utf-8") != text
    run(root, ANA, "draft", sid)
    assert set(import_comments(2).values()) == {"pr_endorser_2", "pr_title"}
