"""The archive importer on text exports: the real example statement, each dateline form,
what the source lacks, refusals, and importing twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import stat
import sys
from pathlib import Path

import hypothesis
import pytest
from ruamel.yaml import YAML

from conftest import FIXTURES, REPO, SAMPLE_ID
from pressroom.body import parse_body
from pressroom.errors import ImportRefused
from pressroom.importer import ImportReport, import_paths, import_text
from pressroom.importer.datelines import match_dateline
from pressroom.model import Paragraph, Severity, inline_text
from pressroom.records import MAX_RECORD_BYTES, PLACEHOLDER_TITLE, read_record
from pressroom.site import load_site

EXAMPLE = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.txt"
EXAMPLE_HTML = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.html"
SOURCE = EXAMPLE.read_text(encoding="utf-8")
SOURCE_LINES = SOURCE.splitlines()


def imp(text: str, source: str = "archive/statement.txt", site=None, **kw):
    organisations = site.organisations if site is not None else {}
    return import_text(text, source, organisations, "forum-asia", **kw)


@pytest.fixture
def fresh_site(site_root):
    """The sample site without its record of the example statement, which is that statement
    already imported (then given a title and a new id by a person)."""
    (site_root / "statements" / f"{SAMPLE_ID}.md").unlink()
    return load_site(site_root)


@pytest.fixture
def example(site):
    return import_text(SOURCE, str(EXAMPLE), site.organisations, site.settings.organisation)


def source_footnotes() -> dict[int, list[str]]:
    """The footnotes as the source lists them, read here independently of the importer."""
    out = {}
    for line in SOURCE_LINES:
        match = re.match(r"^\[(\d+)\] (.*)$", line)
        if match:
            out[int(match.group(1))] = [u.strip() for u in match.group(2).split(";")]
    return out


# --- the example statement ------------------------------------------------------------


def test_example_front_matter(example):
    f = example.fields
    assert f["date"] == dt.date(2022, 2, 10)
    assert f["place"] == "Bangkok"
    assert f["type"] == "joint-statement"
    assert f["issued_by"] == "forum-asia"
    assert f["state"] == "private"
    assert f["language"] == "en"
    assert f["countries"] == ["Kazakhstan"]
    assert f["title"] == PLACEHOLDER_TITLE
    # No title in the source: the id comes from the file name, without its date twice.
    assert f["id"] == "2022-02-10-forum-asia-kazakhstan"
    assert re.fullmatch(r"[a-z0-9-]+", f["id"])


def test_example_body_has_four_paragraphs_without_dateline_or_chrome(example):
    body, problems = parse_body(example.body_markdown)
    assert problems == []
    assert len(body.blocks) == 4
    assert all(isinstance(b, Paragraph) for b in body.blocks)
    first = inline_text(body.blocks[0].children)
    assert first.startswith("We, the undersigned organisations, deeply alarmed")
    assert "Bangkok, 10 February 2022" not in example.body_markdown
    # Each paragraph is the source's line, word for word (markers aside).
    for block, n in zip(body.blocks, range(4), strict=True):
        expected = re.sub(r"\[\d\]", "", SOURCE_LINES[n].split(") – ", 1)[-1])
        assert inline_text(block.children) == expected
    for chrome in ("**", "click here", "PDF", "endorsed by", "About FORUM-ASIA", "contact",
                   "email protected", "[1]"):
        assert chrome not in example.body_markdown


def test_example_footnotes_match_the_source(example):
    body, _ = parse_body(example.body_markdown)
    expected = source_footnotes()
    assert len(body.footnotes) == 6 == len(expected)
    for note in body.footnotes:
        assert list(note.urls) == expected[note.number], note.number
    assert len(body.footnotes[2].urls) == 3
    assert len(body.footnotes[4].urls) == 2
    assert ("[^3]: <https://www.bbc.com/news/world-asia-60058972>; "
            "<https://www.bbc.com/news/world-asia-59880166>; ") in example.body_markdown
    markers = [int(m) for m in re.findall(r"\[\^(\d)\](?!:)", example.body_markdown)]
    assert markers == [1, 2, 3, 4, 5, 6]


def test_example_endorsers_in_source_order_all_known(example, site):
    listed = [line[2:] for line in SOURCE_LINES[SOURCE_LINES.index(
        "This joint statement is endorsed by:") + 1:] if line.startswith("- ")][:19]
    keys = example.fields["endorsers"]
    assert len(keys) == 19
    assert [site.organisations[k].name for k in keys] == listed
    assert example.new_organisations == ()
    assert not [d for d in example.diagnostics if d.field == "endorsers"]


def test_example_contacts_left_empty_with_warnings(example):
    # Each contact keeps the heading it stands under.
    assert example.fields["contacts"] == [
        {"label": "South Asia Programme, FORUM-ASIA", "email": None,
         "group": "For further information, please contact:"},
        {"label": "Communications and Media Programme, FORUM-ASIA", "email": None,
         "group": "For media inquiries, please contact:"},
    ]
    hidden = [d for d in example.diagnostics if d.field == "contacts"]
    assert [d.severity for d in hidden] == [Severity.WARNING, Severity.WARNING]
    assert [SOURCE_LINES[d.line - 1] for d in hidden] == [
        "- South Asia Programme, FORUM-ASIA, [email protected]",
        "- Communications and Media Programme, FORUM-ASIA, [email protected]",
    ]
    assert all("left empty" in d.message for d in hidden)
    assert "hid both e-mail addresses" in example.comments["contacts"]


def test_example_diagnostics_are_exactly_title_and_two_emails(example):
    found = sorted((d.severity.value, d.field, d.line) for d in example.diagnostics)
    assert found == [("error", "title", 1), ("warning", "contacts", 28),
                     ("warning", "contacts", 30)]
    assert all(d.path == str(EXAMPLE) for d in example.diagnostics)
    title = next(d for d in example.diagnostics if d.field == "title")
    assert "write the title" in title.message


def test_example_record_loads_and_equals_the_committed_one(fresh_site):
    site = fresh_site
    report = import_paths(site, [EXAMPLE])
    assert report.refused == [] and len(report.imported) == 1
    record = report.imported[0]
    assert record.parent == site.statements_dir
    statement, diagnostics = read_record(record, site.organisations)
    assert statement is not None
    errors = [d for d in diagnostics if d.is_error]
    assert [(d.field, d.line) for d in errors] == [("title", _line_of(record, "title:"))]
    assert not [d for d in diagnostics if not d.is_error]
    committed, committed_diags = read_record(REPO / "statements" / f"{SAMPLE_ID}.md",
                                             site.organisations)
    assert committed is not None and not committed_diags
    # A person then wrote the title (and the id to match), the topics, and published it.
    assert statement.state.value == "private" and committed.state.value == "published"
    assert statement.topics == ()
    for f in dataclasses.fields(committed):
        if f.name in ("id", "title", "topics", "state", "path"):
            continue
        assert getattr(statement, f.name) == getattr(committed, f.name), f.name


def _line_of(path: Path, prefix: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(prefix))


def test_example_record_keeps_comments_for_the_person(fresh_site):
    record = import_paths(fresh_site, [EXAMPLE]).imported[0]
    text = record.read_text(encoding="utf-8")
    assert "# Imported from the old archive, which had no title: write one.\ntitle:" in text
    assert "# The old archive hid both e-mail addresses" in text


# --- datelines ------------------------------------------------------------------------

BODY = "We, the undersigned organisations, call on the authorities to act."


@pytest.mark.parametrize(
    ("lines", "place"),
    [
        (["(Bangkok, 10 February 2022) – " + BODY], "Bangkok"),
        (["(Bangkok, 10 February 2022) — " + BODY], "Bangkok"),
        (["(Bangkok, 10 February 2022) - " + BODY], "Bangkok"),
        (["Bangkok, 10 February 2022: " + BODY], "Bangkok"),
        (["(Geneva, February 10, 2022) – " + BODY], "Geneva"),
        (["Bangkok, 10 February 2022", BODY], "Bangkok"),
        (["10 February 2022", BODY], None),
        (["February 10, 2022", BODY], None),
        (["A title for the statement", "10 February 2022", BODY], None),
        (["A title for the statement", "(Kathmandu, 10th Feb. 2022) – " + BODY], "Kathmandu"),
    ],
)
def test_dateline_forms(lines, place):
    result = imp("\n".join(lines))
    assert result.fields["date"] == dt.date(2022, 2, 10)
    assert result.fields["place"] == place
    body, _ = parse_body(result.body_markdown)
    assert [inline_text(b.children) for b in body.blocks] == [BODY]


@pytest.mark.parametrize("text", [
    "On 10 February 2022 the police arrested forty people.",
    "10 February 2022 marks a year since the coup.",
])
def test_a_date_inside_a_sentence_is_not_a_dateline(text):
    assert match_dateline(text) is None
    result = imp(text, source="archive/no-date.txt")
    assert result.fields["date"] is None
    assert any(d.field == "date" and d.is_error for d in result.diagnostics)
    body, _ = parse_body(result.body_markdown)
    assert inline_text(body.blocks[0].children) == text


def test_date_falls_back_to_the_file_name_with_a_warning():
    result = imp(BODY, source="old/statement-2021-12-03.txt")
    assert result.fields["date"] == dt.date(2021, 12, 3)
    (d,) = [d for d in result.diagnostics if d.field == "date"]
    assert d.severity is Severity.WARNING and "file name" in d.message


# --- title, id, type, countries ---------------------------------------------------------


def test_a_title_line_gives_title_and_id():
    result = imp("Myanmar: Release all political prisoners now\n"
                 "(Bangkok, 1 February 2022) – " + BODY)
    assert result.fields["title"] == "Myanmar: Release all political prisoners now"
    assert result.fields["id"] == "2022-02-01-myanmar-release-all-political-prisoners-now"
    assert result.fields["countries"] == ["Myanmar"]
    assert not any(d.field == "title" for d in result.diagnostics)
    assert "title" not in result.comments


def test_a_first_line_ending_in_a_full_stop_is_not_a_title():
    result = imp("The police arrested forty people in Dhaka.\nMore text follows.")
    assert result.fields["title"] == PLACEHOLDER_TITLE
    assert any(d.field == "title" and d.is_error for d in result.diagnostics)


@pytest.mark.parametrize(("text", "kind"), [
    ("Open letter to the Prime Minister\n10 February 2022\n" + BODY, "open-letter"),
    ("Press release: Court frees activists\n10 February 2022\n" + BODY, "press-release"),
    ("10 February 2022\nDear Minister, we write to you about the protests.", "open-letter"),
    ("10 February 2022\n" + BODY, "statement"),
])
def test_type(text, kind):
    assert imp(text).fields["type"] == kind


def test_countries_from_title_file_name_and_first_paragraph_only():
    text = ("Sri Lanka: Repeal the Prevention of Terrorism Act\n"
            "(Colombo, 2 March 2022) – Groups in Sri Lanka and Burma call for change.\n"
            "Later paragraphs mention India and Nepal, which are not the subject.")
    result = imp(text, source="archive/pta-pakistan-2022.txt")
    assert result.fields["countries"] == ["Sri Lanka", "Myanmar", "Pakistan"]


# --- footnotes, chrome, escaping ---------------------------------------------------------


def test_a_marker_without_footnote_and_a_footnote_without_marker_are_reported():
    text = ("10 February 2022\nThe first claim[1] and a second claim[2].\n"
            "[1] https://example.org/one\n[3] https://example.org/three")
    result = imp(text)
    problems = {(d.line, d.severity): d.message for d in result.diagnostics
                if d.field == "footnotes"}
    assert set(problems) == {(2, Severity.ERROR), (4, Severity.ERROR)}
    assert "marker [2] has no footnote" in problems[2, Severity.ERROR]
    assert "[3] is never cited" in problems[4, Severity.ERROR]
    # Both are kept for the person to fix, so the record checker flags them too.
    _, body_problems = parse_body(result.body_markdown)
    assert sorted(p.message for p in body_problems) == [
        "footnote [^2] is cited but never defined",
        "footnote [^3] is defined but never cited in the text",
    ]


def test_chrome_lines_do_not_become_content():
    chrome = ["**", "Share this:", "Tweet", "Print", "Views: 1,234", "Post Views: 87",
              "For the PDF version of the statement, click here.", "Like this:", "Facebook"]
    text = "\n".join(["10 February 2022", chrome[0], BODY, *chrome[1:], "Second paragraph."])
    result = imp(text)
    body, _ = parse_body(result.body_markdown)
    assert [inline_text(b.children) for b in body.blocks] == [BODY, "Second paragraph."]


def test_markdown_characters_in_the_source_stay_text():
    tricky = [
        "2022. A year that starts a line like a numbered list item.",
        "# Not a heading, and *not emphasis*, nor _this_, nor `code`, nor <b>html</b>.",
        "> Nor this [see note] with a [link](https://example.org) & an &amp; entity.",
    ]
    result = imp("\n".join(["10 February 2022", BODY, *tricky]))
    body, problems = parse_body(result.body_markdown)
    assert problems == []
    assert all(isinstance(b, Paragraph) for b in body.blocks)
    assert [inline_text(b.children) for b in body.blocks] == [BODY, *tricky]


def test_list_items_in_the_body_become_lists():
    lines = ["10 February 2022", "We call on the government to:", "1. release the detainees;",
             "2. lift the ban;", "- and protect the press.", "We stand ready."]
    body, problems = parse_body(imp("\n".join(lines)).body_markdown)
    assert problems == []
    kinds = [type(b).__name__ for b in body.blocks]
    assert kinds == ["Paragraph", "ListBlock", "ListBlock", "Paragraph"]
    numbered, bullets = body.blocks[1], body.blocks[2]
    assert numbered.ordered and numbered.start == 1 and not bullets.ordered
    assert [inline_text(i[0].children) for i in numbered.items] == [
        "release the detainees;", "lift the ban;"]
    assert [inline_text(i[0].children) for i in bullets.items] == ["and protect the press."]


def test_windows_1252_text_is_read(site, tmp_path):
    path = tmp_path / "old-export.txt"
    path.write_bytes(("Bangladesh: Stop the raids\n10 February 2022\nPeople\u2019s Watch said "
                      "the arrests were unlawful.\n").encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    report = import_paths(site, [path])
    (record,) = report.imported
    statement, _ = read_record(record, site.organisations)
    assert statement is not None
    assert "People\u2019s Watch said" in statement.body_markdown


# --- organisations ---------------------------------------------------------------------


def test_unknown_endorser_is_added_once_with_a_warning(site):
    text = ("10 February 2022\n" + BODY + "\nEndorsed by:\n- Odhikar\n"
            "- Human Rights Alliance of Nowhere (HRAN)\n- LST\n- think-centre")
    result = import_text(text, "a.txt", site.organisations, "forum-asia")
    assert result.fields["endorsers"] == ["odhikar", "hran", "lst", "think-centre"]
    assert [o.key for o in result.new_organisations] == ["hran"]
    (warning,) = [d for d in result.diagnostics if d.field == "endorsers"]
    assert warning.line == 5 and "not in the organisation directory" in warning.message


def test_organisations_are_never_added_twice(site, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"s{n}.txt").write_text(
            f"Statement number {n}\n{n} March 2022\n{BODY}\nSignatories:\n"
            "- Human Rights Alliance of Nowhere (HRAN)\n- Odhikar\n", encoding="utf-8")
    directory = site.statements_dir / "organisations.yaml"
    report = import_paths(site, [folder])
    assert len(report.imported) == 2
    assert YAML().load(directory.read_text(encoding="utf-8"))["hran"]["name"] == (
        "Human Rights Alliance of Nowhere (HRAN)")
    before = directory.read_text(encoding="utf-8")
    assert before.count("hran:") == 1
    again = import_paths(site, [folder], force=True)
    assert len(again.imported) == 2
    assert directory.read_text(encoding="utf-8") == before


def test_about_text_differing_from_the_directory_is_a_warning(site):
    text = (f"10 February 2022\n{BODY}\nAbout FORUM-ASIA:\n"
            "FORUM-ASIA is a network of 90 member organisations. www.forum-asia.org")
    result = import_text(text, "a.txt", site.organisations, None)
    assert result.fields["issued_by"] == "forum-asia"
    (d,) = [d for d in result.diagnostics if d.field == "issued_by"]
    assert d.severity is Severity.WARNING and d.line == 3 and "differs" in d.message


def test_no_about_block_uses_the_hint_and_says_so(site):
    result = import_text(f"10 February 2022\n{BODY}", "a.txt", site.organisations,
                         "forum-asia")
    assert result.fields["issued_by"] == "forum-asia"
    assert any(d.field == "issued_by" and not d.is_error for d in result.diagnostics)


# --- refusals, twice, folders ------------------------------------------------------------


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 \x81\x8d\x8f\x90 \xff\xfe", "not text"),
    (b"", "empty"),
    (b"  \n\n\t\n", "empty"),
])
def test_non_statements_are_refused_naming_the_file(site, tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    report = import_paths(site, [path])
    (refused,) = report.refused
    assert isinstance(refused, ImportRefused)
    assert refused.path == str(path) and reason in refused.reason
    assert str(path) in str(refused)
    assert report.imported == []


def test_only_chrome_is_refused():
    with pytest.raises(ImportRefused, match="no statement text"):
        imp("**\nShare this:\nTweet\nFor the PDF version of the statement, click here.")


def test_twice_is_skipped_and_force_overwrites(fresh_site):
    site = fresh_site
    first = import_paths(site, [EXAMPLE])
    (record,) = first.imported
    original = record.read_text(encoding="utf-8")
    record.write_text(original.replace("place: Bangkok", "place: Somewhere"), "utf-8")
    again = import_paths(site, [EXAMPLE])
    assert again.imported == [] and again.skipped == [EXAMPLE]
    (message,) = again.diagnostics
    assert "--force" in message.message and message.path == str(EXAMPLE)
    assert f"already imported as {record}" in message.message
    assert "Somewhere" in record.read_text(encoding="utf-8")
    forced = import_paths(site, [EXAMPLE], force=True)
    assert forced.imported == [record] and forced.skipped == []
    assert record.read_text(encoding="utf-8") == original
    # What was written by hand in the replaced record is kept, and the report says where.
    (kept,) = (site.root / "runs" / "replaced").iterdir()
    assert "place: Somewhere" in kept.read_text(encoding="utf-8")
    assert any(str(kept) in d.message and "replaced" in d.message
               for d in forced.diagnostics)
    assert [p.name for p in site.statements_dir.glob("*.md")] == [record.name]


def test_the_sites_own_record_of_the_statement_is_recognised(site):
    # The sample record is the example after a person gave it a title, topics and a new id.
    before = sorted(site.statements_dir.iterdir())
    committed = site.record_path(SAMPLE_ID)
    for source in (EXAMPLE, EXAMPLE_HTML):
        report = import_paths(site, [source])
        assert report.imported == [] and report.skipped == [source]
        (message,) = report.diagnostics
        assert message.message.startswith(f"already imported as {committed} (id {SAMPLE_ID!r})")
    assert sorted(site.statements_dir.iterdir()) == before


def test_force_replaces_the_matching_record_keeping_its_file_and_id(site):
    committed = site.record_path(SAMPLE_ID)
    by_hand = committed.read_text(encoding="utf-8")
    report = import_paths(site, [EXAMPLE], force=True)
    assert report.imported == [committed] and report.with_errors == [committed]
    assert [p.name for p in site.statements_dir.glob("*.md")] == [committed.name]
    statement, _ = read_record(committed, site.organisations)
    assert statement is not None and statement.id == SAMPLE_ID
    assert statement.title == PLACEHOLDER_TITLE and statement.state.value == "private"
    (kept,) = (site.root / "runs" / "replaced").iterdir()
    assert kept.read_text(encoding="utf-8") == by_hand
    assert kept.name.startswith(f"{SAMPLE_ID}.")


def test_a_renamed_and_reflowed_record_is_still_recognised(fresh_site):
    site = fresh_site
    (record,) = import_paths(site, [EXAMPLE]).imported
    text = record.read_text(encoding="utf-8")
    renamed = site.statements_dir / "2022-02-10-kazakhstan-protests.md"
    # Staff rename the record (file and id) and their editor re-wraps the paragraphs.
    text = text.replace("id: 2022-02-10-forum-asia-kazakhstan",
                        "id: 2022-02-10-kazakhstan-protests")
    head, body = text.split("\n---\n", 1)
    renamed.write_text(head + "\n---\n\n" + body.replace(", ", ",\n  ").replace(
        "\n\n", "\n\n\n"), encoding="utf-8")
    record.unlink()
    report = import_paths(site, [EXAMPLE])
    assert report.imported == [] and report.skipped == [EXAMPLE]
    assert str(renamed) in report.diagnostics[0].message
    forced = import_paths(site, [EXAMPLE], force=True)
    assert forced.imported == [renamed]
    assert [p.name for p in site.statements_dir.glob("*.md")] == [renamed.name]
    statement, _ = read_record(renamed, site.organisations)
    assert statement is not None and statement.id == "2022-02-10-kazakhstan-protests"


def test_the_text_and_the_page_of_one_statement_give_one_record(fresh_site, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for source in (EXAMPLE, EXAMPLE_HTML):
        (folder / source.name).write_bytes(source.read_bytes())
    page, text = folder / EXAMPLE_HTML.name, folder / EXAMPLE.name  # in this order
    for force in (False, True):
        report = import_paths(fresh_site, [folder], force=force)
        (record,) = report.imported
        assert record.name == "2022-02-10-kazakhstan-end-the-crackdown-on-peaceful-protesters.md"
        assert report.skipped == [text]
        (same,) = [d for d in report.diagnostics if d.path == str(text)]
        assert same.message == (f"the same statement as {page}, imported just before as "
                                f"{record}; not written again")
        assert [p.name for p in fresh_site.statements_dir.glob("*.md")] == [record.name]


def test_same_text_on_another_date_is_another_statement(fresh_site, tmp_path):
    for n, date in enumerate(("10 March 2022", "10 March 2023", None)):
        path = tmp_path / f"call-{n}.txt"
        path.write_text(f"Release them {n}\n" + (f"{date}\n" if date else "") + BODY,
                        encoding="utf-8")
        report = import_paths(fresh_site, [path])
        # A dated call repeated a year later is new; the undated one matches the first.
        assert len(report.imported) == (1 if date else 0), date
    assert len(list(fresh_site.statements_dir.glob("*.md"))) == 2


def test_folder_with_good_and_bad_files(fresh_site, tmp_path):
    site = fresh_site
    folder = tmp_path / "archive"
    (folder / "2022").mkdir(parents=True)
    (folder / "2022" / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
    (folder / EXAMPLE_HTML.name).write_bytes(EXAMPLE_HTML.read_bytes())
    (folder / "nepal.txt").write_text(f"Nepal: Free the journalists\n3 March 2022\n{BODY}\n",
                                      encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nav-only.html").write_text(
        "<html><body><header><nav><a href='/'>Home</a></nav></header>"
        "<footer>(c) 2022</footer></body></html>", encoding="utf-8")
    (folder / "notes.md").write_text("not an archive format", encoding="utf-8")
    report = import_paths(site, [folder])
    assert isinstance(report, ImportReport)
    # The text of the page imported first (sorted: 2022/ comes before the page) is skipped.
    assert report.skipped == [folder / EXAMPLE_HTML.name]
    assert len(report.imported) == 2 and len(report.refused) == 3
    text_record, nepal_record = report.imported
    assert report.with_errors == [text_record]  # no title: the placeholder is an error
    assert report.warned == [nepal_record]  # issued_by taken from the settings: a warning
    assert sorted(Path(r.path).name for r in report.refused) == [
        "empty.txt", "nav-only.html", "scan.txt"]
    for refused in report.refused:
        assert Path(refused.path).exists() and refused.reason
    assert all(p.exists() and p.parent == site.statements_dir for p in report.imported)
    sources = {d.path for d in report.diagnostics}
    assert sources == {str(folder / "2022" / EXAMPLE.name), str(folder / EXAMPLE_HTML.name),
                       str(folder / "nepal.txt")}
    assert report.summary() == "imported 2 (1 with errors, 1 with warnings), skipped 1, refused 3"


def test_summary_leaves_out_what_is_none():
    assert ImportReport().summary() == "imported 0, skipped 0, refused 0"
    report = ImportReport(imported=[Path("a.md"), Path("b.md")], warned=[Path("b.md")])
    assert report.summary() == "imported 2 (1 with warnings), skipped 0, refused 0"
    report = ImportReport(imported=[Path("a.md")], with_errors=[Path("a.md")],
                          skipped=[Path("a.txt")])
    assert report.summary() == "imported 1 (1 with errors), skipped 1, refused 0"


# --- sizes and encodings --------------------------------------------------------------------


def test_a_huge_file_is_refused_before_it_is_read(site, tmp_path, monkeypatch):
    path = tmp_path / "dump.txt"
    with open(path, "wb") as f:
        f.truncate(26 * 1024 * 1024)  # sparse: 26 MB of NULs that cost no disk
    opened = []
    real_open = open

    def watching_open(file, *args, **kwargs):
        opened.append(Path(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    report = import_paths(site, [path])
    monkeypatch.undo()
    (refused,) = report.refused
    assert refused.path == str(path)
    assert refused.reason.startswith("the file is 27,262,976 bytes; files over 10,485,760 "
                                     "bytes (10 MB) are not imported")
    assert path not in opened and report.imported == []


def test_a_statement_too_big_for_a_record_is_refused(fresh_site, tmp_path):
    path = tmp_path / "long.txt"
    paragraph = "The authorities must release every detainee and end the crackdown. " * 30
    path.write_text("A very long statement\n10 February 2022\n" + "\n".join(
        f"{n}: {paragraph}" for n in range(2800)), encoding="utf-8")
    assert path.stat().st_size > MAX_RECORD_BYTES
    report = import_paths(fresh_site, [path])
    (refused,) = report.refused
    assert refused.path == str(path) and "the record would be" in refused.reason
    assert f"records over {MAX_RECORD_BYTES:,} bytes (0.5 MB)" in refused.reason
    assert report.imported == [] and list(fresh_site.statements_dir.glob("*.md")) == []


STATEMENT = ("Sri Lanka: Stop the arrests\n10 March 2022\n"
             "People\u2019s Watch: \u0938\u0924\u094d\u092f.\n")


@pytest.mark.parametrize(("name", "data"), [
    ("utf-16-le-bom", b"\xff\xfe" + STATEMENT.replace("\n", "\r\n").encode("utf-16-le")),
    ("utf-16-be-bom", b"\xfe\xff" + STATEMENT.encode("utf-16-be")),
    ("utf-16-le-no-bom", STATEMENT.encode("utf-16-le")),
    ("utf-8-bom", b"\xef\xbb\xbf" + STATEMENT.encode("utf-8")),
])
def test_unicode_text_files_are_read(fresh_site, tmp_path, name, data):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    report = import_paths(fresh_site, [path])
    assert report.refused == []
    (record,) = report.imported
    statement, _ = read_record(record, fresh_site.organisations)
    assert statement is not None and statement.title == "Sri Lanka: Stop the arrests"
    assert statement.body_markdown.strip() == "People\u2019s Watch: \u0938\u0924\u094d\u092f."
    assert record.name == "2022-03-10-sri-lanka-stop-the-arrests.md"


def test_utf_16_that_does_not_decode_is_refused(site, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe" + "Text".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    (refused,) = import_paths(site, [path]).refused
    assert "UTF-16" in refused.reason


def test_no_progress_bar_when_stderr_is_not_a_terminal(site, tmp_path, capsys):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 8):
        (folder / f"s{n}.txt").write_text(f"Statement {n}\n{n} May 2022\n{BODY}\n", "utf-8")
    assert not sys.stderr.isatty()
    report = import_paths(site, [folder])
    assert len(report.imported) == 7
    assert capsys.readouterr().err == ""


def test_progress_bar_on_a_terminal_for_a_batch(site, tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 8):
        (folder / f"s{n}.txt").write_text(f"Statement {n}\n{n} May 2022\n{BODY}\n", "utf-8")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert len(import_paths(site, [folder]).imported) == 7
    assert "7/7" in terminal.getvalue()
    few = Terminal()
    monkeypatch.setattr(sys, "stderr", few)
    import_paths(site, sorted(folder.glob("*.txt"))[:3], force=True)
    assert few.getvalue() == ""


# --- what a folder may hold besides statements: links, pipes, sockets, devices ------------


def statement(n: int) -> str:
    return f"Statement {n}\n{n} May 2022\n{BODY} ({n})\n"


def refusals(report: ImportReport) -> dict[str, str]:
    return {Path(r.path).name: r.reason for r in report.refused}


def test_import_does_not_follow_a_symlink_out_of_the_folder(fresh_site, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(statement(9), encoding="utf-8")
    (outside / "more").mkdir()
    (outside / "more" / "other.txt").write_text(statement(8), encoding="utf-8")
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.txt").write_text(statement(1), encoding="utf-8")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "linked-folder").symlink_to(outside / "more")
    (folder / "dangling.html").symlink_to(tmp_path / "nothing-here.html")
    report = import_paths(fresh_site, [folder])
    assert [p.name for p in report.imported] == ["2022-05-01-statement-1.md"]
    reasons = refusals(report)
    assert set(reasons) == {"secret.txt", "passwd.txt", "linked-folder", "dangling.html"}
    for reason in reasons.values():
        assert "symbolic link" in reason and "not followed" in reason
    assert "'/etc/passwd'" in reasons["passwd.txt"]
    assert not report.ok
    written = "".join(p.read_text(encoding="utf-8") for p in fresh_site.record_paths())
    assert "(9)" not in written and "(8)" not in written and "root:" not in written


def test_import_does_not_follow_a_symlink_given_as_the_file(fresh_site, tmp_path):
    (tmp_path / "real.txt").write_text(statement(2), encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "real.txt")
    report = import_paths(fresh_site, [link])
    (refused,) = report.refused
    assert refused.path == str(link) and "symbolic link" in refused.reason
    assert report.imported == []
    assert len(import_paths(fresh_site, [tmp_path / "real.txt"]).imported) == 1


def test_a_symlink_inside_the_folder_is_skipped_and_its_target_imported_once(fresh_site,
                                                                            tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "real.txt").write_text(statement(3), encoding="utf-8")
    (folder / "alias.txt").symlink_to("real.txt")
    report = import_paths(fresh_site, [folder])
    assert len(report.imported) == 1 and report.refused == [] and report.ok
    assert report.skipped == [folder / "alias.txt"]
    (said,) = [d for d in report.diagnostics if d.path == str(folder / "alias.txt")]
    assert "symbolic link" in said.message and "inside the folder" in said.message


def test_import_never_blocks_on_a_named_pipe(fresh_site, tmp_path):
    import threading

    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.txt").write_text(statement(4), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe-no-suffix")
    os.mkfifo(tmp_path / "given.html")
    result: list[ImportReport] = []
    worker = threading.Thread(target=lambda: result.append(import_paths(
        fresh_site, [folder, tmp_path / "given.html"])), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the import blocked on a named pipe"
    (report,) = result
    assert len(report.imported) == 1
    reasons = refusals(report)
    assert set(reasons) == {"pipe.txt", "pipe-no-suffix", "given.html"}
    assert all(r.startswith("a named pipe (FIFO), not a regular file; not opened")
               for r in reasons.values())


def test_import_names_sockets_and_devices_and_goes_on(fresh_site, tmp_path):
    import socket

    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "good.txt").write_text(statement(5), encoding="utf-8")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "s.html"))
        kinds = {"s.html": "a socket"}
        try:
            os.mknod(folder / "null.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
            kinds["null.txt"] = "a device"
        except PermissionError:
            pass  # only root makes devices; the socket still stands for the rest
        report = import_paths(fresh_site, [folder])
    assert len(report.imported) == 1 and not report.ok
    reasons = refusals(report)
    assert set(reasons) == set(kinds)
    for name, kind in kinds.items():
        assert reasons[name].startswith(f"{kind}, not a regular file")


def test_an_unreadable_file_is_named_and_the_batch_goes_on(fresh_site, tmp_path, monkeypatch):
    from pressroom.importer import files

    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a-good.txt").write_text(statement(6), encoding="utf-8")
    locked = folder / "b-locked.txt"
    locked.write_text(statement(7), encoding="utf-8")
    locked.chmod(0)
    real_open = os.open

    def denying_open(path, flags, *args, **kwargs):
        if Path(path) == locked:  # as root, chmod alone does not keep a file from us
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", denying_open)
    report = import_paths(fresh_site, [folder])
    assert [p.name for p in report.imported] == ["2022-05-06-statement-6.md"]
    (refused,) = report.refused
    assert refused.path == str(locked)
    assert refused.reason.startswith("cannot be read (Permission denied): ask for read access")


def test_a_file_swapped_for_a_link_after_it_was_found_is_not_followed(fresh_site, tmp_path):
    from pressroom.importer.files import find_sources, read_source

    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "s.txt").write_text(statement(1), encoding="utf-8")
    (found,) = find_sources([folder]).files
    found.unlink()
    found.symlink_to("/etc/passwd")
    with pytest.raises(ImportRefused, match="symbolic link, not a regular file"):
        read_source(found)


def test_a_file_name_that_is_not_utf8_or_holds_controls_is_shown_escaped(fresh_site, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    bad = folder / "caf\udce9\nnext.txt"  # on disk: b"caf\xe9\nnext.txt"
    bad.write_bytes(b"")
    spoof = folder / "\u202etxt.exe.txt"
    spoof.write_bytes(b"\x00")
    report = import_paths(fresh_site, [folder])
    assert sorted(r.path for r in report.refused) == [
        f"{folder}/\\u202etxt.exe.txt", f"{folder}/caf\\xe9\\nnext.txt"]
    for refused in report.refused:
        str(refused).encode("utf-8")  # printable as it is, on one line
        assert "\n" not in str(refused)


@hypothesis.given(hypothesis.strategies.text(alphabet="ab\\[]*_<&`;", max_size=40))
def test_escaping_brackets_keeps_its_rule(text):
    # The rule as a regular expression states it; the importer does it with str.translate,
    # linear in the line where re.sub with a template took seconds on a line of brackets.
    from pressroom.importer.sources import _escape_brackets

    assert _escape_brackets(text) == re.sub(r"(?<!\\)([\[\]])", r"\\\1", text)


# --- the directory, appended to a batch at a time -----------------------------------------


@hypothesis.given(hypothesis.strategies.text(min_size=1, max_size=40))
def test_a_directory_name_written_bare_reads_back_as_itself(name):
    from pressroom.importer.directory import plain_or_quoted

    assert YAML(typ="safe").load(f"k: {plain_or_quoted(name)}\n") == {"k": name}


def test_new_organisations_are_appended_keeping_the_file_and_reading_back(site, tmp_path):
    from pressroom.importer.directory import append_organisations
    from pressroom.model import Organisation
    from pressroom.organisations import load_organisations

    path = site.statements_dir / "organisations.yaml"
    before = path.read_text(encoding="utf-8")
    about = "A network of groups that " + "defend the rights of people at risk " * 5 + "."
    new = [Organisation("hran", "Human Rights Alliance of Nowhere (HRAN)", about,
                        "https://hran.example.org"),
           Organisation("yes", "Yes: a group # with odd characters"),
           Organisation("odhikar", "Odhikar, written again")]  # already there: left alone
    append_organisations(path, new)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    loaded, problems = load_organisations(path)
    assert problems == []
    assert loaded["hran"].about == " ".join(about.split())
    assert loaded["hran"].url == "https://hran.example.org"
    assert loaded["yes"].name == "Yes: a group # with odd characters"
    assert loaded["odhikar"].name == "Odhikar"
    assert len(loaded) == len(site.organisations) + 2
