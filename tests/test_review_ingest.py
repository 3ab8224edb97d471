"""Reviews coming back: `pressroom review ingest`, `show`, `resolve`, `apply`. The round trip
through real LibreOffice (tests/uno_reviewer.py) into a published version; a reviewer's
untracked edit; a file not ours; a generator's known counts against what ingest stores; a
merge with a conflict; Markdown kept through word-level edits."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import review_annotate as ra
import review_fixtures as fx
from conftest import copy_site
from libreoffice import libreoffice_review
from pressroom.frontmatter import split_parts
from pressroom.review.mdedit import edit_span, text_blocks
from pressroom.versions import sha256
from test_draft import FIELDS, RECORD, SID, the_draft
from test_workflow import ANA, CHEN, run, with_logins

TESTS = Path(__file__).resolve().parent
WARNINGS = 3  # RECORD's warnings, placed in the draft as Pressroom's comments


@pytest.fixture
def draft_site(tmp_path) -> Path:
    root = with_logins(copy_site(tmp_path / "site", adopt=False))
    (root / "statements" / f"{SID}.md").write_text(RECORD, encoding="utf-8")
    return root


def record(root: Path) -> str:
    return (root / "statements" / f"{SID}.md").read_text(encoding="utf-8")


def db(root: Path) -> sqlite3.Connection:
    con = sqlite3.connect(root / "runs" / "ledger.sqlite")
    con.row_factory = sqlite3.Row
    return con




# In LibreOffice's paragraph count of the draft: 0 the DRAFT banner, 1 the organisation, 2
# the type label, 3 title, 4 dateline, 5 the first body paragraph, 7 the third; footnotes are
# counted from their own start.
LO_PLAN = {
    "author": ["Rita", "Reviewer"],
    "comments": [{"at": {"story": "body", "paragraph": 5, "find": "authorities"},
                  "author": "Rita Reviewer", "initials": "RR", "text": "Which authorities?"}],
    "edits": [
        {"do": "insert", "at": {"story": "body", "paragraph": 5, "find": "three"},
         "text": " jailed"},
        {"do": "delete", "at": {"story": "body", "paragraph": 7, "find": " peaceful"}},
        {"do": "insert", "at": {"story": "footnote", "paragraph": 0, "find": "monitors"},
         "text": " and lawyers"},
    ],
}


@pytest.mark.slow
def test_round_trip_draft_libreoffice_ingest_apply_publish(draft_site, tmp_path):
    root = draft_site
    # No embargo: this one is served as soon as it is published.
    (root / "statements" / f"{SID}.md").write_text(
        RECORD.replace("embargo: 2030-01-01T09:00:00\n", ""), encoding="utf-8")
    run(root, CHEN, "workflow", SID, "publish")  # published: a review goes to a working copy
    served = (root / "output" / SID / f"{SID}.html").read_text(encoding="utf-8")
    run(root, ANA, "draft", SID)
    draft = the_draft(root, 1)  # the published version, unchanged
    reviewed = tmp_path / "reviewed.docx"
    libreoffice_review(draft, reviewed, LO_PLAN)

    out = run(root, ANA, "review", "ingest", str(reviewed))
    assert f"review 1 of {SID} version 1" in out and "unplaced" not in out
    with db(root) as con:
        items = {r["number"]: dict(r) for r in con.execute("SELECT * FROM review_items")}
        entry = con.execute("SELECT * FROM transitions WHERE action = 'review-ingest'"
                            ).fetchone()
    fields = Counter((i["kind"], i["field"]) for i in items.values())
    assert fields[("comment", "pr_body_1")] == 1
    assert fields[("deletion", "pr_body_3")] == 1
    # LibreOffice renames the bookmark of every note after the first; ours is the first,
    # and the second note is placed as pr_fn_2 all the same (LibreOffice's " Copy 1").
    assert fields[("insertion", "pr_fn_1")] == 1
    assert any(i["kind"] == "insertion" and i["field"] == "pr_body_1" and "jailed" in i["text"]
               for i in items.values())
    assert "Rita Reviewer" in entry["comment"] and entry["file_written"] == 1
    # Twice: the same review, nothing new.
    again = run(root, ANA, "review", "ingest", str(reviewed))
    assert "ingested before" in again
    with db(root) as con:
        assert con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1

    shown = json.loads(run(root, ANA, "review", "show", "1", "--json"))
    assert "body paragraph 1" in shown["fields"] and shown["reviewers"] == ["Rita Reviewer"]

    out = run(root, ANA, "review", "apply", "1", "--accept", "all")
    assert "checked out a working copy" in out and "conflict" not in out
    working = (root / "working" / f"{SID}.md").read_text(encoding="utf-8")
    assert "to *release* the three jailed river\ndefenders" in working
    assert "after a vigil on the river bank.[^2]" in working
    assert "local monitors and lawyers, see [their note](https://example.org/monitors)." in (
        working)
    # What is served has not changed.
    assert (root / "output" / SID / f"{SID}.html").read_text(encoding="utf-8") == served
    assert "jailed" not in record(root)
    # Comments stay open after apply; the changes are accepted.
    shown = json.loads(run(root, ANA, "review", "show", "1", "--json"))
    assert [i["kind"] for f in shown["fields"].values() for i in f] == ["comment"] * 3

    run(root, CHEN, "workflow", SID, "publish")
    page = (root / "output" / SID / f"{SID}.html").read_text(encoding="utf-8")
    assert "three jailed river defenders" in " ".join(page.split())
    assert "peaceful vigil" not in page and "monitors and lawyers" in page
    history = run(root, ANA, "history", SID)
    assert "review-ingest" in history and "review-apply" in history
    assert "Rita Reviewer" in history


# A note whose URL has hyphens: the draft writes each as Word's no-break hyphen, which
# LibreOffice shows as U+2011 and saves as w:noBreakHyphen again; the reviewer edits the
# prose beside the URL and the URL itself.
HYPHENATED = "https://example.org/river-defenders/monitor-notes-2024"
URL_PLAN = {
    "author": ["Rita", "Reviewer"],
    "comments": [],
    "edits": [
        {"do": "insert", "at": {"story": "footnote", "paragraph": 0, "find": "see"},
         "text": " the archive at"},
        {"do": "delete", "at": {"story": "footnote", "paragraph": 0,
                                "find": "\u2011notes"}},
    ],
}


@pytest.mark.slow
def test_a_url_s_no_break_hyphens_come_back_as_hyphens_through_libreoffice(draft_site,
                                                                            tmp_path):
    root = draft_site
    (root / "statements" / f"{SID}.md").write_text(RECORD.replace(
        "see [their note](https://example.org/monitors)", f"see <{HYPHENATED}>"),
        encoding="utf-8")
    run(root, ANA, "draft", SID)
    reviewed = tmp_path / "reviewed.docx"
    done = libreoffice_review(the_draft(root, 1), reviewed, URL_PLAN)
    assert done  # LibreOffice found "\u2011notes": it reads the hyphens as U+2011
    with zipfile.ZipFile(reviewed) as z:
        assert b"<w:noBreakHyphen/>" in z.read("word/footnotes.xml")
    # Sent text and fingerprints agree: no "edited without tracking".
    out = run(root, ANA, "review", "ingest", str(reviewed))
    assert "unplaced" not in out
    with db(root) as con:
        texts = {r["kind"]: r["text"] for r in con.execute(
            "SELECT kind, text FROM review_items WHERE field = 'pr_fn_1'")}
    assert texts["deletion"] == "-notes"
    run(root, ANA, "review", "apply", "1", "--accept", "all")
    assert ("Reported by local monitors, see the archive at "
            "<https://example.org/river-defenders/monitor-2024>." in record(root))


INGEST = """
import os, sys
os.environ["JUPYTERHUB_USER"] = "ana"
from pressroom.cli import main
sys.argv = ["pressroom", "-C", sys.argv[1], "review", "ingest", sys.argv[2]]
main()
"""


def test_one_file_ingested_twice_at_once_is_stored_once(draft_site, tmp_path):
    import sys

    root = draft_site
    run(root, ANA, "draft", SID)
    data, _ = ra.annotate(the_draft(root, 1).read_bytes(), [("insert", "pr_body_1")])
    path = tmp_path / "reviewed.docx"
    path.write_bytes(data)
    procs = [subprocess.Popen([sys.executable, "-c", INGEST, str(root), str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sum("ingested before" in out for out in outs) == 1, outs
    with db(root) as con:
        assert con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM transitions WHERE action = 'review-ingest'"
                           ).fetchone()[0] == 1


def test_an_untracked_edit_stops_ingest_and_says_where(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = the_draft(root, 1).read_bytes()
    tracked, _ = ra.annotate(data, [("insert", "pr_body_1")])
    sneaky = ra.untracked(tracked, "peaceful vigil", "quiet vigil")
    path = tmp_path / "edited.docx"
    path.write_bytes(sneaky)
    out = run(root, ANA, "review", "ingest", str(path), code=1)
    assert "edited without tracking" in out and "body paragraph 3" in out
    assert '"The defenders were detained after a quiet vigil' in out
    assert "body paragraph 1" not in out  # its edit was tracked
    with db(root) as con:
        assert con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM transitions WHERE action LIKE 'review%'"
                           ).fetchone()[0] == 0


def test_without_our_bookmarks_fields_are_found_by_their_stored_text(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data, made = ra.annotate(the_draft(root, 1).read_bytes(),
                             [("insert", "pr_body_3"), ("delete", "pr_fn_2"),
                              ("comment", "pr_contact_1")])
    _ingested(root, tmp_path, ra.renamed_bookmarks(data))
    with db(root) as con:
        rows = con.execute("SELECT kind, field, placed_by FROM review_items WHERE author ="
                           " 'Lena Legal'").fetchall()
    assert sorted((r["kind"], r["field"], r["placed_by"]) for r in rows) == sorted(
        (kind, field, "fingerprint") for kind, field in made)
    # An untracked edit of such a field is still said with its field: by similar text.
    sneaky = ra.untracked(ra.renamed_bookmarks(the_draft(root, 1).read_bytes()),
                          "peaceful vigil", "peaceful night vigil")
    path = tmp_path / "edited.docx"
    path.write_bytes(sneaky)
    out = run(root, ANA, "review", "ingest", str(path), code=1)
    assert "body paragraph 3: sent" in out and "peaceful night vigil" in out


def test_a_paragraph_typed_in_without_tracking_stops_ingest(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = ra.untracked_paragraph(the_draft(root, 1).read_bytes(), "pr_body_2",
                                  "A sentence nobody tracked.")
    path = tmp_path / "added.docx"
    path.write_bytes(data)
    out = run(root, ANA, "review", "ingest", str(path), code=1)
    assert "edited without tracking" in out
    assert 'after body paragraph 2: "A sentence nobody tracked."' in out
    # Typed with tracking, the same paragraph is a change like any other.
    tracked, _ = ra.annotate(the_draft(root, 1).read_bytes(), [("insert", "pr_body_2")])
    path.write_bytes(tracked)
    assert "1 change(s) stored" in run(root, ANA, "review", "ingest", str(path))


def test_a_file_not_ours_is_named_as_such_with_the_statement_it_is_like(draft_site,
                                                                         tmp_path):
    root = draft_site
    path = tmp_path / "from-partner.docx"
    paragraphs = [FIELDS["pr_title"], FIELDS["pr_body_1"], FIELDS["pr_body_3"]]
    fx.python_docx_draft(path, paragraphs, FIELDS["pr_fn_2"])
    out = run(root, ANA, "review", "ingest", str(path), code=1)
    assert "not one of our review drafts" in out
    assert f"most like {SID}" in out and "Protect the river defenders" in out
    # A hostile file is refused as the reader refuses it, without a traceback.
    bad = tmp_path / "bomb.docx"
    bad.write_bytes(fx.hostile(bomb=False)["dtd"][0])
    assert "DTD" in run(root, ANA, "review", "ingest", str(bad), code=1)


# --- the generator's counts against the store's ------------------------------------------------


class _Generated(tuple):
    def __repr__(self) -> str:  # hypothesis prints its arguments: not the draft's bytes
        return f"generated site at {self[0]}"


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory):
    root = with_logins(copy_site(tmp_path_factory.mktemp("gen") / "site", adopt=False))
    (root / "statements" / f"{SID}.md").write_text(RECORD, encoding="utf-8")
    run(root, ANA, "draft", SID)
    return _Generated((root, the_draft(root, 1).read_bytes()))


def _targets(data: bytes) -> list[str]:
    return ra.fields(data) + [f"free {i}" for i in range(ra.free_paragraphs(data))] + [
        "header"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_ingest_never_loses_a_comment_or_a_change(generated_site, data, tmp_path_factory):
    root, draft = generated_site
    targets = _targets(draft)
    plan = data.draw(st.lists(st.tuples(st.sampled_from(ra.KINDS), st.sampled_from(targets)),
                              min_size=1, max_size=30))
    annotated, made = ra.annotate(draft, plan)
    path = tmp_path_factory.mktemp("in") / "reviewed.docx"
    path.write_bytes(annotated)
    run(root, ANA, "review", "ingest", str(path))
    with db(root) as con:
        # This file's review: an example hypothesis repeats is "ingested before", and the
        # latest review is then another example's.
        review = con.execute("SELECT id FROM reviews WHERE sha256 = ?",
                             (sha256(annotated),)).fetchone()[0]
        rows = con.execute("SELECT kind, field FROM review_items WHERE review_id = ?",
                           (review,)).fetchall()
    stored = [(r["kind"], r["field"]) for r in rows]
    placed = sum(1 for r in rows if r["field"])
    unplaced = len(rows) - placed
    # The count in is the generator's (plus the draft's own warnings), never the reader's.
    assert placed + unplaced == len(made) + WARNINGS
    expected = Counter(made) + Counter({("comment", "pr_title"): 1,
                                        ("comment", "pr_dateline"): 1,
                                        ("comment", "pr_endorser_4"): 1})
    assert Counter(stored) == expected


# --- apply: merge, conflicts, Markdown kept -----------------------------------------------------


def _ingested(root: Path, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "reviewed.docx"
    path.write_bytes(data)
    run(root, ANA, "review", "ingest", str(path))


def _items(root: Path) -> dict[str, list[int]]:
    with db(root) as con:
        out: dict[str, list[int]] = {}
        for r in con.execute("SELECT number, field, state FROM review_items WHERE kind !="
                             " 'comment' ORDER BY number"):
            out.setdefault(r["field"], []).append(r["number"])
        return out


def test_apply_with_a_conflict_applies_the_rest_and_leaves_it_open(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = the_draft(root, 1).read_bytes()
    data = ra.track(data, "pr_body_1", "three", insert=" jailed", change_id=8000)
    data = ra.track(data, "pr_body_3", "peaceful", delete=True, insert="silent",
                    change_id=8100)
    _ingested(root, tmp_path, data)
    # Meanwhile, by hand: a new first paragraph, and paragraph 3 reworded.
    text = record(root)
    text = text.replace("---\nWe, the undersigned", "---\nA new opening line.\n\nWe, the "
                        "undersigned")
    text = text.replace("after a peaceful vigil", "after a peaceful evening vigil")
    (root / "statements" / f"{SID}.md").write_text(text, encoding="utf-8")

    out = run(root, ANA, "review", "apply", "1", "--accept", "all")
    assert "1 conflict(s)" in out and "body paragraph 3" in out
    now = record(root)
    assert "A new opening line." in now  # the hand edit kept
    assert "three jailed river" in now  # found where it moved
    assert "after a peaceful evening vigil" in now and "silent" not in now
    with db(root) as con:
        states = dict(con.execute("SELECT field, state FROM review_items WHERE kind !="
                                  " 'comment'").fetchall())
        entry = con.execute("SELECT comment, version_after FROM transitions WHERE action ="
                            " 'review-apply'").fetchone()
    assert states["pr_body_1"] == "accepted" and states["pr_body_3"] == "open"
    assert "Lena Legal" in entry["comment"] and entry["version_after"] == 2
    versions = run(root, ANA, "versions", SID)
    assert "review-applied" in versions


def test_apply_keeps_emphasis_links_and_footnote_markers(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = the_draft(root, 1).read_bytes()
    # Words around the emphasis, before the note marker, inside the link's words.
    data = ra.track(data, "pr_body_1", "the authorities to ", delete=True, insert="them to ",
                    change_id=8000)
    data = ra.track(data, "pr_body_1", " held since March.", insert=" this year",
                    change_id=8100)
    data = ra.track(data, "pr_fn_1", "their note", insert=" of May", change_id=8200)
    data = ra.track(data, "pr_title", "river", delete=True, insert="Mekong", change_id=8300)
    _ingested(root, tmp_path, data)
    numbers = _items(root)
    accept = ",".join(str(n) for f in ("pr_body_1", "pr_fn_1") for n in numbers[f])
    run(root, ANA, "review", "apply", "1", "--accept", accept,
        "--reject", ",".join(map(str, numbers["pr_title"])))
    now = record(root)
    assert ("We, the undersigned organisations, call on them to *release* the three river\n"
            "defenders held since March. this year[^1]") in now
    assert "see [their note of May](https://example.org/monitors)." in now
    assert 'title: "Mekong: Protect the river defenders"' in now  # rejected: unchanged
    run(root, ANA, "check")
    # A second apply of the same review changes nothing more.
    out = run(root, ANA, "review", "apply", "1", "--accept", accept)
    assert "no new version" in out


def test_apply_to_front_matter_fields_rewrites_only_their_lines(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = the_draft(root, 1).read_bytes()
    data = ra.track(data, "pr_dateline", "Bangkok", delete=True, insert="Chiang Mai",
                    change_id=8000)
    data = ra.track(data, "pr_contact_1", "Environment Desk", delete=True,
                    insert="Rivers Desk", change_id=8100)
    data = ra.track(data, "pr_endorser_3", FIELDS["pr_endorser_3"], delete=True,
                    change_id=8200)
    data = ra.track(data, "pr_endorser_2", "Resource", delete=True, insert="Rice",
                    change_id=8300)
    _ingested(root, tmp_path, data)
    out = run(root, ANA, "review", "apply", "1", "--accept", "all")
    assert "endorser 2" in out and "organisations.yaml" in out  # a name: left open
    before, now = RECORD.splitlines(), record(root).splitlines()
    changed = {i for i, (a, b) in enumerate(zip(before, now, strict=True)) if a != b}
    # The changed keys' lines, as the round-trip writer writes a key it rewrites.
    assert [now[i] for i in sorted(changed)] == [
        "place: Chiang Mai",
        "endorsers: [forum-asia, arf, arf]",
        '  - {label: "Rivers Desk, FORUM-ASIA", email: desk@example.org}']
    with db(root) as con:
        states = dict(con.execute("SELECT field, state FROM review_items WHERE kind ="
                                  " 'deletion'").fetchall())
    assert states["pr_endorser_2"] == "open" and states["pr_endorser_3"] == "accepted"


def test_a_move_is_applied_whole(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = ra.move(the_draft(root, 1).read_bytes(), "pr_body_3", "peaceful ", "pr_body_1",
                   "We, the ")
    _ingested(root, tmp_path, data)
    numbers = _items(root)
    with db(root) as con:
        kinds = dict(con.execute("SELECT field, kind FROM review_items WHERE move = 'move1'"
                                 ).fetchall())
    assert kinds == {"pr_body_3": "move-from", "pr_body_1": "move-to"}
    # Accepting one end accepts the other.
    run(root, ANA, "review", "apply", "1", "--accept", str(numbers["pr_body_1"][0]))
    now = record(root)
    assert "We, the peaceful undersigned organisations" in now
    assert "after a vigil on the river bank." in now


def test_a_since_draft_s_own_changes_are_what_was_sent(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    path = root / "statements" / f"{SID}.md"
    path.write_text(record(root).replace("peaceful vigil", "calm vigil"), encoding="utf-8")
    run(root, ANA, "draft", SID, "--since", "1")
    data, _ = ra.annotate(the_draft(root, 2).read_bytes(), [("insert", "pr_body_3")])
    _ingested(root, tmp_path, data)
    with db(root) as con:
        rows = [dict(r) for r in con.execute("SELECT author, kind, state FROM review_items"
                                             " WHERE kind != 'comment'")]
    ours = [r for r in rows if r["author"] == "Pressroom"]
    assert ours and all(r["state"] == "accepted" for r in ours)  # already in version 2
    (mine,) = [r for r in rows if r["author"] == "Lena Legal"]
    assert mine["state"] == "open"
    run(root, ANA, "review", "apply", "1", "--accept", "all")
    now = record(root)
    assert "after a calm vigil on the river bank. added" in now and "peaceful" not in now


def test_a_review_that_breaks_the_record_writes_nothing(draft_site, tmp_path):
    root = draft_site
    run(root, CHEN, "workflow", SID, "publish")
    run(root, ANA, "draft", SID)
    data = ra.track(the_draft(root, 1).read_bytes(), "pr_title", FIELDS["pr_title"],
                    delete=True, change_id=8000)
    _ingested(root, tmp_path, data)
    versions = run(root, ANA, "versions", SID)
    out = run(root, ANA, "review", "apply", "1", "--accept", "all", code=1)
    assert "nothing was written" in out and "title" in out
    # Not even the working copy the review would have gone into.
    assert not (root / "working" / f"{SID}.md").exists()
    assert run(root, ANA, "versions", SID) == versions
    assert record(root).count("title:") == 1 and "state: published" in record(root)


def test_show_and_resolve(draft_site, tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data, _ = ra.annotate(the_draft(root, 1).read_bytes(),
                          [("comment", "pr_body_3"), ("reply", "pr_body_3"),
                           ("insert", "free 0")])
    _ingested(root, tmp_path, data)
    listed = run(root, ANA, "review", "list", SID)
    assert "reviewed.docx" in listed and "Lena Legal" in listed
    out = run(root, ANA, "review", "show", "1")
    assert "body paragraph 3" in out and "unplaced" in out and "reply to 4" in out
    run(root, ANA, "review", "resolve", "1", "4")
    shown = json.loads(run(root, ANA, "review", "show", "1", "--json"))
    numbers = [i["id"] for f in shown["fields"].values() for i in f]
    assert 4 not in numbers and 5 in numbers
    assert "no comment 6" in run(root, ANA, "review", "resolve", "1", "6", code=2)
    run(root, ANA, "review", "resolve", "1", "--all")
    shown = json.loads(run(root, ANA, "review", "show", "1", "--json"))
    assert [i["kind"] for f in shown["fields"].values() for i in f] == ["insertion"]
    assert "unplaced" in run(root, ANA, "review", "apply", "1", "--accept", "all")


# --- the Markdown mapping on its own --------------------------------------------------------------

WORDS = st.sampled_from(["river", "defenders", "held", "since", "March", "vigil", "bank"])


@settings(max_examples=60, deadline=None)
@given(words=st.lists(WORDS, min_size=3, max_size=12), marked=st.data())
def test_deleting_any_word_keeps_every_marker(words, marked):
    """A paragraph of words, some emphasised or linked, one followed by a note marker: cut
    any one plain word, and the source loses exactly that word."""
    i = marked.draw(st.integers(0, len(words) - 1))
    styled = []
    for k, word in enumerate(words):
        style = marked.draw(st.sampled_from(["", "*", "**", "link", "note"]))
        styled.append(f"{style}{word}{style}" if style in ("*", "**") else
                      f"[{word}](https://example.org/{k})" if style == "link" else
                      f"{word}[^1]" if style == "note" else word)
    body = " ".join(styled) + "\n\n[^1]: A note.\n"
    block = text_blocks(body)["pr_body_1"]
    assert block.plain == " ".join(words)
    start = sum(len(w) + 1 for w in words[:i])
    ops = [("same", block.plain[:start]), ("del", words[i]),
           ("same", block.plain[start + len(words[i]):])]
    new = edit_span(body, block, [op for op in ops if op[1]])
    kept = styled[i].replace(words[i], "", 1)
    if kept in ("**", "****", f"[](https://example.org/{i})"):
        kept = ""  # markup around nothing goes with the word
    assert new == " ".join([*styled[:i], kept, *styled[i + 1:]])
    assert new.count("[^1]") == body[block.start:block.end].count("[^1]")


def test_the_blocks_follow_the_drafts_bookmarks():
    body = split_parts(RECORD).body
    blocks = text_blocks(body)
    assert {name: b.plain for name, b in blocks.items()} == {
        k: v for k, v in FIELDS.items() if k.startswith(("pr_body", "pr_fn"))}


@pytest.mark.slow
@pytest.mark.xdist_group("kernels")
def test_the_review_notebook_shows_the_items_and_the_proposed_text(draft_site, tmp_path,
                                                                   monkeypatch):
    import papermill

    root = draft_site
    run(root, ANA, "draft", SID)
    data = ra.track(the_draft(root, 1).read_bytes(), "pr_body_3", "peaceful", delete=True,
                    insert="silent", change_id=8000)
    data, _ = ra.annotate(data, [("comment", "pr_body_3")])
    reviewed = root / "drafts" / "back-from-legal.docx"
    reviewed.write_bytes(data)
    monkeypatch.setenv("JUPYTERHUB_USER", ANA)  # the kernel's login: a person of the site
    notebook = TESTS.parent / "notebooks" / "review_draft.ipynb"
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), parameters={"site": str(root), "statement": SID,
                                             "reviewed": "drafts/back-from-legal.docx"},
        cwd=str(root), progress_bar=False, kernel_name="pressroom")
    cells = json.loads(out.read_text())["cells"]

    def shown(call: str) -> str:
        (cell,) = [c for c in cells if call in "".join(c["source"])]
        return json.dumps(cell["outputs"])

    assert "Lena Legal" in shown("sheet.summary()")
    items = shown("sheet.items()")
    assert "body paragraph 3" in items and "Note " in items and "deletion" in items
    proposed = shown("sheet.proposed()")
    assert "<del>peaceful</del><ins>silent</ins>" in proposed
    assert "after a peaceful vigil" in proposed  # the text as sent, beside it
    with db(root) as con:
        assert con.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_text_the_source_writes_another_way_is_not_cut_in_half():
    from pressroom.review.mdedit import Unmappable

    body = "Rights &amp; wrongs of the river \\*now\\* and `code x` here[^1].\n\n[^1]: A note.\n"
    block = text_blocks(body)["pr_body_1"]
    assert block.plain == "Rights & wrongs of the river *now* and code x here."
    # Words around them are edited as any other; code keeps its backticks.
    same, tail = block.plain[:-5], "."
    assert edit_span(body, block, [("same", same), ("del", "here"), ("ins", "there"),
                                   ("same", tail)]) == (
        "Rights &amp; wrongs of the river \\*now\\* and `code x` there[^1].")
    assert edit_span(body, block, [("same", "Rights & wrongs of the river *now* and "),
                                   ("del", "code"), ("ins", "plain"),
                                   ("same", " x here.")]) == (
        "Rights &amp; wrongs of the river \\*now\\* and `plain x` here[^1].")
    # The entity and the escaped stars themselves are refused, not left in pieces.
    for cut in ("&", "*"):
        at = block.plain.index(cut)
        with pytest.raises(Unmappable):
            edit_span(body, block, [("same", block.plain[:at]), ("del", cut),
                                    ("same", block.plain[at + 1:])])


# Two plain paragraphs side by side, so that one can be joined to the next.
JOINABLE = RECORD.replace("## What happened\n\n", "The river has been dammed twice in ten "
                          "years. Fishing families lost their income.\n\n")
SPLIT_JOIN_PLAN = {
    "author": ["Rita", "Reviewer"],
    "comments": [],
    "edits": [
        # Enter after "ten years." in body paragraph 2 (LibreOffice's paragraph 4), then
        # words typed into the new paragraph it makes, then paragraph 1's mark deleted.
        {"do": "split", "at": {"story": "body", "paragraph": 6, "find": "ten years."}},
        {"do": "insert", "at": {"story": "body", "paragraph": 7, "find": "income."},
         "text": " Their boats were seized."},
        {"do": "join", "at": {"story": "body", "paragraph": 5, "find": "March."}},
    ],
}


def _by_kind(root: Path) -> dict[str, int]:
    with db(root) as con:
        return dict(con.execute("SELECT kind, number FROM review_items WHERE kind != "
                                "'comment'").fetchall())


@pytest.mark.slow
def test_paragraphs_split_and_joined_in_libreoffice_are_split_and_joined(draft_site, tmp_path):
    root = draft_site
    (root / "statements" / f"{SID}.md").write_text(JOINABLE, encoding="utf-8")
    run(root, ANA, "draft", SID)
    reviewed = tmp_path / "reviewed.docx"
    libreoffice_review(the_draft(root, 1), reviewed, SPLIT_JOIN_PLAN)
    out = run(root, ANA, "review", "ingest", str(reviewed))
    assert "unplaced" not in out
    with db(root) as con:
        placed = dict(con.execute("SELECT kind, field FROM review_items WHERE kind != "
                                  "'comment'").fetchall())
    # The words typed after the split are placed on the paragraph that was split.
    assert placed == {"paragraph-mark-insertion": "pr_body_2", "insertion": "pr_body_2",
                      "paragraph-mark-deletion": "pr_body_1"}
    before = record(root)
    kinds = _by_kind(root)
    # The split rejected, the rest accepted: one paragraph, as it was, with the words added.
    out = run(root, ANA, "review", "apply", "1", "--accept",
              f"{kinds['insertion']},{kinds['paragraph-mark-deletion']}",
              "--reject", str(kinds["paragraph-mark-insertion"]))
    assert "2 change(s) applied, 1 rejected" in out
    now = record(root)
    assert ("defenders held since March.[^1] The river has been dammed twice in ten years. "
            "Fishing families lost their income. Their boats were seized.\n\nThe defenders "
            "were detained") in now
    # Again from the start, everything accepted: joined, then split where the reviewer did.
    (root / "statements" / f"{SID}.md").write_text(before, encoding="utf-8")
    with db(root) as con:
        con.execute("UPDATE review_items SET state = 'open' WHERE kind != 'comment'")
    out = run(root, ANA, "review", "apply", "1", "--accept", "all")
    assert "3 change(s) applied" in out and "Not applied" not in out
    now = record(root)
    assert ("defenders held since March.[^1] The river has been dammed twice in ten years."
            "\n\nFishing families lost their income. Their boats were seized.\n\n"
            "The defenders were detained") in now


def test_a_split_in_word_s_shape_is_applied_and_one_inside_emphasis_is_left(draft_site,
                                                                            tmp_path):
    root = draft_site
    run(root, ANA, "draft", SID)
    data = ra.split(the_draft(root, 1).read_bytes(), "pr_body_3", "detained")
    data = ra.split(data, "pr_body_1", "rel", change_id=8600)  # inside *release*
    _ingested(root, tmp_path, data)
    out = run(root, ANA, "review", "apply", "1", "--accept", "all")
    assert "1 change(s) applied" in out
    assert "body paragraph 1 (change 4): a split inside" in out
    now = record(root)
    assert ("The defenders were detained\n\nafter a peaceful vigil on the river bank.[^2]"
            in now)
    assert "to *release* the three river" in now  # left as it was, for a person


def test_a_split_shows_as_a_pilcrow_in_the_proposed_text():
    from pressroom.review.apply import SPLIT
    from pressroom.reviewview import marked

    assert marked([("same", "ten years."), ("ins", SPLIT), ("same", " Fishing")]) == (
        "ten years.<ins>¶<br></ins> Fishing")
