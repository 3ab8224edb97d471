"""The record stage: load, check (every diagnostic, with its line), write and rewrite."""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import FIXTURES, REPO, SAMPLE_ID, SCRIPT_RECORDS
from pressroom import fileio
from pressroom.errors import RecordError
from pressroom.fields import strings_in
from pressroom.limits import character_problems
from pressroom.model import Contact, Organisation, Severity, State, StatementType
from pressroom.records import (
    MAX_RECORD_BYTES,
    PLACEHOLDER_TITLE,
    check_records,
    load_record,
    read_record,
    record_text,
    split_front_matter,
    statement_fields,
    update_record,
)
from pressroom.render.glyphs import unshowable

RECORDS = FIXTURES / "records"
SAMPLE = REPO / "statements" / f"{SAMPLE_ID}.md"
TODAY = dt.date(2024, 6, 1)
E, W = Severity.ERROR, Severity.WARNING


def _organisations() -> dict[str, Organisation]:
    data = YAML(typ="safe").load((REPO / "statements" / "organisations.yaml").read_text("utf-8"))
    return {k: Organisation(k, v["name"], v.get("about"), v.get("url")) for k, v in data.items()}


ORGS = _organisations()

# fixture -> (field, line, severity, words in the message): each fixture has this one problem.
EXPECTED = {
    "yaml-syntax": (None, 4, E, "YAML syntax error"),
    "no-front-matter": (None, 1, E, "no front matter"),
    "unclosed-front-matter": (None, 1, E, "not closed"),
    "unknown-key": ("endorser", 10, E, "did you mean 'endorsers'?"),
    "countries-not-list": ("countries", 10, E, "expected a list"),
    "date-not-date": ("date", 5, E, "expected a date like 2022-02-10"),
    "date-impossible": ("date", 5, E, "not a real date"),
    "type-invalid": ("type", 3, E, "did you mean 'joint-statement'?"),
    "state-invalid": ("state", 9, E, "must be one of private | pending | published"),
    "language-invalid": ("language", 6, E, "not a language code"),
    "title-missing": ("title", 1, E, "missing"),
    "id-mismatch": ("id", 2, E, "does not match the file name"),
    "id-unsafe": ("id", 2, E, "only lowercase letters, digits and hyphens"),
    "issuer-unknown": ("issued_by", 7, E, "did you mean 'forum-asia'?"),
    "endorser-unknown": ("endorsers", 8, E, "unknown organisation 'arff'; did you mean 'arf'?"),
    "endorser-duplicate": ("endorsers", 9, W, "'arf' is listed twice"),
    "footnote-undefined": ("body", 11, E, "[^2] is cited but never defined"),
    "footnote-unused": ("body", 14, E, "[^2] is defined but never cited"),
    "footnote-inline": ("body", 13, E, "an inline footnote `^[Report of 3 March 2022.]`"),
    "url-no-scheme": ("body", 13, E, "malformed URL 'www.example.org/report'"),
    "url-space": ("body", 14, E, "contains a space"),
    "url-no-host": ("body", 13, E, "no host name"),
    "mangled-email-body": ("body", 13, E, "mangled by the old archive ('[email protected]')"),
    "mangled-email-link": ("body", 13, E, "'/cdn-cgi/l/email-protection'"),
    "mangled-email-contact": ("contacts", 12, E, "'[email&#160;protected]'"),
    "contact-email-invalid": ("contacts", 11, E, "is not an e-mail address"),
    "future-published": ("date", 5, E, "published but dated 2031-01-01"),
    "body-empty": ("body", 11, E, "no text"),
    "embargo-not-datetime": ("embargo", 10, E, "expected a date and time"),
    "not-utf8": (None, 8, E, "not UTF-8 text: byte 0xe9 at offset 114"),
    "placeholder-title": (
        "title", 4, E, "still the importer's placeholder; write the statement's title"),
    # What the formats cannot print (limits.py): each a diagnostic with its line and field.
    "quotes-nested-too-deep": ("body", 13, E, "nested more than 8 deep"),
    "lists-nested-too-deep": ("body", 21, E, "nested more than 8 deep"),
    "emphasis-nested-too-deep": ("body", 13, E, "nested 100 deep here; at most 20"),
    "nul-in-title": ("title", 4, E, "a NUL character"),
    "surrogate-in-title": ("title", 4, E, "half of a character (U+D800)"),
    "bom-in-body": ("body", 11, E, "byte-order mark (U+FEFF)"),
    "control-in-body": ("body", 11, E, "control character U+0001"),
    "word-too-long": ("body", 11, E, "a word of 40,000 characters with no space"),
    "title-too-long": ("title", 4, E, "is 630 characters long; at most 400"),
    "heading-in-footnote": ("body", 15, E, "a heading inside footnote [^1]"),
    "heading-empty": ("body", 13, E, "a heading with no words"),
    "list-item-empty": ("body", 14, E, "an empty list item"),
    "footnote-empty": ("body", 13, E, "footnote [^1] has no text"),
    "emoji-in-title": ("title", 4, E, "cannot show '😀' (U+1F600 GRINNING FACE)"),
}


def test_every_fixture_is_listed():
    on_disk = {p.stem for p in RECORDS.glob("*.md")} - {"many-problems"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_its_one_diagnostic(name):
    path = RECORDS / f"{name}.md"
    field, line, severity, words = EXPECTED[name]
    _statement, diagnostics = read_record(path, ORGS, TODAY)
    assert [(d.field, d.line, d.severity) for d in diagnostics] == [(field, line, severity)]
    assert words in diagnostics[0].message
    assert diagnostics[0].path == str(path)
    shown = str(diagnostics[0])
    assert shown.startswith(f"{path}:{line}: {severity.value}: ")
    if severity is W:
        assert load_record(path, ORGS, TODAY).id == name  # warnings do not block loading
    else:
        with pytest.raises(RecordError) as caught:
            load_record(path, ORGS, TODAY)
        assert caught.value.diagnostics == tuple(diagnostics)
        assert shown in str(caught.value)


def test_a_syntax_error_stops_the_other_checks():
    # The fixture also has `place: [Bangkok` unclosed and no language problem: one report.
    _, diagnostics = read_record(RECORDS / "yaml-syntax.md", ORGS, TODAY)
    assert len(diagnostics) == 1
    assert "never closed" in diagnostics[0].message


def test_all_problems_are_reported_at_once():
    statement, diagnostics = read_record(RECORDS / "many-problems.md", ORGS, TODAY)
    assert statement is None  # the type is unusable
    assert [(d.line, d.field, d.severity) for d in diagnostics] == [
        (3, "type", E),
        (7, "issued_by", E),
        (8, "endorsers", W),
        (10, "countrys", E),
        (12, "body", E),
        (14, "body", E),
    ]
    assert "did you mean 'countries'?" in diagnostics[3].message
    assert "'report.html'" in diagnostics[5].message


def test_directory_checks_are_skipped_without_organisations():
    _, diagnostics = read_record(RECORDS / "issuer-unknown.md", None, TODAY)
    assert diagnostics == []


def test_today_defaults_to_the_real_date(tmp_path):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    text = (RECORDS / "future-published.md").read_text("utf-8")
    path = tmp_path / "future-published.md"
    path.write_text(text.replace("2031-01-01", tomorrow.isoformat()), "utf-8")
    _, diagnostics = read_record(path)
    assert [d.field for d in diagnostics] == ["date"]
    path.write_text(text.replace("2031-01-01", dt.date.today().isoformat()), "utf-8")
    assert read_record(path)[1] == []


def test_oversize_file_is_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.md"
    head = (RECORDS / "body-empty.md").read_bytes()
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(MAX_RECORD_BYTES + 1)  # sparse: cheap to make, NULs if it were read

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", no_open)
    statement, diagnostics = read_record(path, ORGS, TODAY)
    assert statement is None
    assert [(d.field, d.line, d.severity) for d in diagnostics] == [(None, None, E)]
    assert "512 KB" in diagnostics[0].message
    assert f"{MAX_RECORD_BYTES + 1:,}" in diagnostics[0].message


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "body-empty.md"
    head = (RECORDS / "body-empty.md").read_text("utf-8")
    words = "Release every detainee. " * MAX_RECORD_BYTES  # words a line can hold
    path.write_text(head + words[:MAX_RECORD_BYTES - len(head.encode())], "utf-8")
    assert path.stat().st_size == MAX_RECORD_BYTES
    assert read_record(path, ORGS, TODAY)[1] == []


@pytest.mark.parametrize("make", ["missing", "folder", "binary", "empty", "bom", "crlf"])
def test_odd_files_never_raise(tmp_path, make):
    path = tmp_path / "body-empty.md"
    text = (RECORDS / "footnote-unused.md").read_text("utf-8").replace(
        "footnote-unused", "body-empty")
    if make == "folder":
        path.mkdir()
    elif make == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    elif make == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode())
    statement, diagnostics = read_record(path, ORGS, TODAY)
    if make in ("bom", "crlf"):  # both read as the same record, same line numbers
        assert statement is not None and statement.title == "Test record: body-empty"
        assert [(d.field, d.line) for d in diagnostics] == [("body", 14)]
    else:
        assert statement is None and len(diagnostics) == 1 and diagnostics[0].is_error


def test_no_exception_escapes_for_any_fixture():
    for path in sorted(RECORDS.rglob("*.md")):
        statement, diagnostics = read_record(path, ORGS, TODAY)
        assert statement is not None or any(d.is_error for d in diagnostics), path


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_no_exception_escapes_for_any_front_matter(front):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.md"
        path.write_text(f"---\n{front}\n---\nText.\n", "utf-8")
        statement, diagnostics = read_record(path, ORGS, TODAY)
        assert statement is not None or any(d.is_error for d in diagnostics)


def test_hostile_yaml_is_reported_not_run(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\nid: x\ntitle: !!python/object/apply:os.system [echo hi]\n"
                    "a: &a [*a]\n---\nText.\n", "utf-8")
    statement, diagnostics = read_record(path, ORGS, TODAY)
    assert statement is None
    assert any(d.field == "title" and d.line == 3 for d in diagnostics)
    assert any(d.field == "a" and "unknown field" in d.message for d in diagnostics)


# --- the sample statement ---------------------------------------------------------------


def test_sample_record_loads_without_problems():
    statement, diagnostics = read_record(SAMPLE, ORGS, TODAY)
    assert diagnostics == []
    assert statement.id == SAMPLE_ID
    assert statement.type is StatementType.JOINT_STATEMENT
    assert statement.title.startswith("Kazakhstan: End the crackdown")
    assert statement.date == dt.date(2022, 2, 10)
    assert (statement.place, statement.language) == ("Bangkok", "en")
    assert statement.state is State.PUBLISHED
    assert statement.countries == ("Kazakhstan",)
    assert len(statement.footnotes) == 6
    assert [f.number for f in statement.footnotes] == [1, 2, 3, 4, 5, 6]
    assert statement.footnotes[2].urls == (
        "https://www.bbc.com/news/world-asia-60058972",
        "https://www.bbc.com/news/world-asia-59880166",
        "https://www.rferl.org/a/kazakhstan-protests-livestreaming-mother/31681880.html",
    )
    assert len(statement.endorsers) == 19
    assert statement.endorsers[:3] == ("forum-asia", "arf", "awam")
    assert statement.endorsers[-1] == "worec"
    assert statement.contacts == (
        Contact("South Asia Programme, FORUM-ASIA", None,
                "For further information, please contact:"),
        Contact("Communications and Media Programme, FORUM-ASIA", None,
                "For media inquiries, please contact:"),
    )
    assert statement.embargo is None and statement.translation_of is None


@pytest.mark.parametrize("path", SCRIPT_RECORDS, ids=lambda p: p.stem)
def test_script_records_load(path):
    statement = load_record(path, ORGS, TODAY)
    assert statement.language == path.stem.rsplit("-", 1)[1]


def test_split_front_matter():
    front, body, line = split_front_matter("---\na: 1\nb: 2\n---\nText\n")
    assert (front, body, line) == ("a: 1\nb: 2\n", "Text\n", 5)
    assert split_front_matter("Text only\n") == ("", "Text only\n", 1)
    # An indented `---` belongs to the YAML; only one at the start of a line closes it.
    front, body, line = split_front_matter("---\na: |\n  ---\n---\nT\n")
    assert (front, body, line) == ("a: |\n  ---\n", "T\n", 5)


# --- cross-record checks ----------------------------------------------------------------


def test_check_records_finds_duplicate_ids_and_missing_translations():
    paths = sorted((RECORDS / "cross").rglob("*.md"))
    results = check_records(paths, ORGS, TODAY)
    assert set(results) == set(paths)
    a = RECORDS / "cross" / "a" / "2022-02-10-same-id.md"
    b = RECORDS / "cross" / "b" / "2022-02-10-same-id.md"
    for this, other in ((a, b), (b, a)):
        statement, diagnostics = results[this]
        assert [(d.field, d.line, d.severity) for d in diagnostics] == [("id", 2, E)]
        assert str(other) in diagnostics[0].message
        assert statement is not None
    translation = RECORDS / "cross" / "a" / "2022-02-11-translation.md"
    (d,) = results[translation][1]
    assert (d.field, d.line, d.severity) == ("translation_of", 8, W)
    assert "'2022-02-09-missing'" in d.message


BBC = "https://www.bbc.com/news/world-asia-59907235"


def test_translation_of_a_record_present_is_fine(tmp_path):
    # Named as a translation must be (the original's id and its language), and leaving out
    # the fields it shares with the original: they are filled in from it.
    (tmp_path / f"{SAMPLE_ID}-th.md").write_text(
        f"---\nid: {SAMPLE_ID}-th\ntitle: \"ประกาศ\"\nlanguage: th\n"
        f"translation_of: {SAMPLE_ID}\n---\nเราเรียกร้อง[^1]\n\n[^1]: <{BBC}>\n", "utf-8")
    (tmp_path / SAMPLE.name).write_bytes(SAMPLE.read_bytes().split(b"[^2]")[0]
                                         .replace(b"\n[^1]:", b"\n\n[^1]:")
                                         + f"\n\n[^1]: <{BBC}>\n".encode())
    results = check_records(sorted(tmp_path.glob("*.md")), ORGS, TODAY)
    assert all(diagnostics == [] for _, diagnostics in results.values())
    translation = results[tmp_path / f"{SAMPLE_ID}-th.md"][0]
    original = results[tmp_path / SAMPLE.name][0]
    assert (translation.date, translation.endorsers, translation.issued_by) == (
        original.date, original.endorsers, original.issued_by)


def test_a_translation_named_otherwise_than_its_original_is_an_error(tmp_path):
    src = (RECORDS / "cross" / "a" / "2022-02-11-translation.md").read_text("utf-8")
    (tmp_path / "2022-02-11-translation.md").write_text(
        src.replace("2022-02-09-missing", SAMPLE_ID), "utf-8")
    (tmp_path / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    results = check_records(sorted(tmp_path.glob("*.md")), ORGS, TODAY)
    found = {(d.field, d.line, d.severity): d.message
             for d in results[tmp_path / "2022-02-11-translation.md"][1]}
    assert f"{SAMPLE_ID}-th" in found[("id", 2, E)]
    assert "2022-02-11 here, 2022-02-10 there" in found[("date", 5, E)]
    assert "statement here, joint-statement there" in found[("type", 3, E)]


# --- writing new records ----------------------------------------------------------------


def test_record_text_of_the_sample_matches_its_style():
    statement = load_record(SAMPLE, ORGS, TODAY)
    text = record_text(statement_fields(statement), statement.body_markdown,
                       {"title": "Imported from the old archive, which had no title: "
                                 "written by hand.",
                        "contacts": "e-mail hidden by the old archive"})
    lines = text.split("\n")
    assert lines[:4] == ["---", f"id: {SAMPLE_ID}", "type: joint-statement",
                         "# Imported from the old archive, which had no title: written by hand."]
    assert lines[4] == ('title: "Kazakhstan: End the crackdown on peaceful protesters and '
                        'respect fundamental freedoms"')
    assert "countries: [Kazakhstan]" in lines
    assert lines[lines.index("# e-mail hidden by the old archive") + 1:][:3] == [
        "contacts:",
        '  - {label: "South Asia Programme, FORUM-ASIA", email: null, group: "For further '
        'information, please contact:"}',
        '  - {label: "Communications and Media Programme, FORUM-ASIA", email: null, group: '
        '"For media inquiries, please contact:"}',
    ]
    # A contact is one flow mapping a line, however long its group makes it.
    assert all(len(line) <= 100 for line in lines[:lines.index("---", 1)]
               if not line.startswith("  - {"))
    assert text.endswith(statement.body_markdown)
    again = _load_text(text, SAMPLE_ID)
    assert again == statement


def test_record_text_with_placeholder_and_empty_commented_field():
    fields = {"id": "x", "type": "statement", "title": PLACEHOLDER_TITLE,
              "date": dt.date(2020, 1, 2), "issued_by": "forum-asia", "topics": [],
              "place": None}
    text = record_text(fields, "Text.\n", {"topics": "The old archive has no topics: add them.",
                                           "place": "No dateline in the source."})
    assert "# No dateline in the source.\nplace:\n" in text
    assert "# The old archive has no topics: add them.\ntopics: []\n" in text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.md"
        path.write_text(text, "utf-8")
        statement, diagnostics = read_record(path, ORGS, TODAY)
    assert [(d.field, d.line) for d in diagnostics] == [("title", 4)]
    assert statement.place is None and statement.topics == ()


def test_record_text_refuses_unknown_fields():
    with pytest.raises(ValueError, match="colour"):
        record_text({"id": "x", "colour": "red"}, "Text.\n")


def _load_text(text: str, ident: str, values=(), language="en"):
    """The statement `text` loads as. Errors only for characters the formats cannot carry
    (a control character, an emoji no font has), and only when a value holds one."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{ident}.md"
        path.write_bytes(text.encode("utf-8"))
        statement, diagnostics = read_record(path, ORGS, TODAY)
    errors = [d for d in diagnostics if d.is_error]
    refused = [v for v in values if character_problems(v) or unshowable([v], language)]
    if not refused:
        assert errors == [], "\n".join(map(str, diagnostics))
    else:
        assert errors, refused
        assert all(d.message.startswith(("contains ", "the PDF's fonts cannot show"))
                   for d in errors), "\n".join(map(str, diagnostics))
    return statement


# Strings YAML would read as something else if written bare.
TRICKY = ["yes", "no", "null", "~", "true", "1.0", "0x1F", "2022-01-01", "- x", "#x", "x #y",
          ": x", "x: y", "'", '"', "[a]", "{a}", "&a", "*a", "!x", "%x", "@x", "`x", "a, b",
          "---", "...", "?", "|", ">", "\\", "é ü ß", "ကချ", "中文", "a\u2028b", "tab\there"]
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
).filter(lambda s: s.strip() and s.strip() != PLACEHOLDER_TITLE)
idents = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,4}\Z")
emails = st.builds(lambda a, b: f"{a}@{b}.org", st.from_regex(r"\A[a-z0-9._+-]{1,12}\Z"),
                   st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\Z"))
zones = st.integers(-12 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
words = st.text(string.ascii_letters + string.digits + " .,;!?'()-", min_size=1, max_size=80)
# A bare list marker ("-", "1.") is an empty list item, which check refuses since the limits.
bodies = st.lists(words.filter(lambda w: w.strip() and not re.fullmatch(r"[-+*]|\d+[.)]",
                                                                        w.strip())),
                  min_size=1, max_size=4).map(
    lambda paras: "\n\n".join(p.strip() for p in paras) + "\n")

fields_strategy = st.fixed_dictionaries(
    {
        "id": idents,
        "type": st.sampled_from(list(StatementType)),
        "title": texts,
        "date": st.dates(dt.date(1990, 1, 1), TODAY),
        "language": st.sampled_from(["en", "th", "zh-Hant", "my", "ar"]),
        "issued_by": st.sampled_from(sorted(ORGS)),
        "state": st.sampled_from(list(State)),
    },
    optional={
        "place": texts,
        "countries": st.lists(texts, min_size=1, max_size=5),
        "topics": st.lists(texts, min_size=1, max_size=5),
        "endorsers": st.lists(st.sampled_from(sorted(ORGS)), min_size=1, max_size=19,
                              unique=True),
        "contacts": st.lists(st.builds(Contact, texts, st.none() | emails), min_size=1,
                             max_size=3),
        "embargo": st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1),
                                timezones=zones),
        "translation_of": idents,
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields_strategy, bodies)
def test_round_trip_record_text_read_record(fields, body):
    if fields.get("translation_of") == fields["id"]:
        fields["translation_of"] = None
    text = record_text(fields, body)
    values = [v for _, v in strings_in(statement_values(fields), None)]
    statement = _load_text(text, fields["id"], values, fields["language"])
    expected = {k: v for k, v in fields.items() if v is not None}
    got = statement_fields(statement)
    assert got == {k: v.value if hasattr(v, "value") else
                   [c if isinstance(c, str) else {"label": c.label, "email": c.email}
                    for c in v] if isinstance(v, list) else v
                   for k, v in expected.items()} | {"language": expected["language"]}
    assert statement.body_markdown == body
    # and the model itself survives a second trip unchanged
    assert _load_text(record_text(statement_fields(statement), body), fields["id"], values,
                      fields["language"]) == statement


def statement_values(fields):
    """The fields as plain data, contacts as mappings, for `strings_in`."""
    return {k: [vars(c) if isinstance(c, Contact) else c for c in v] if isinstance(v, list)
            else v for k, v in fields.items()}


# --- rewriting old records --------------------------------------------------------------


def test_update_state_changes_only_that_line(tmp_path):
    path = tmp_path / SAMPLE.name
    path.write_bytes(SAMPLE.read_bytes())
    before = path.read_bytes().split(b"\n")
    update_record(path, {"state": "pending"})
    after = path.read_bytes().split(b"\n")
    assert len(after) == len(before)
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [before.index(b"state: published")]
    assert after[changed[0]] == b"state: pending"
    statement = load_record(path, ORGS, TODAY)
    assert statement.state is State.PENDING
    assert statement.endorsers == load_record(SAMPLE, ORGS, TODAY).endorsers


def test_update_keeps_comments_quoting_and_order(tmp_path):
    path = tmp_path / "x.md"
    original = (
        "---\n"
        "# Written by hand.\n"
        "id: x\n"
        "type: statement     # statement | joint-statement\n"
        "title: 'It''s done'\n"
        "date: 2022-02-10\n"
        "place: \"Bangkok\"\n"
        "issued_by: forum-asia\n"
        "# Ask the programme before adding more.\n"
        "endorsers: [forum-asia,\n"
        "  arf]  # two for now\n"
        "state: private  # private | pending | published\n"
        "---\n"
        "Text.\n"
    )
    path.write_text(original, "utf-8")
    update_record(path, {"state": State.PUBLISHED, "title": "It's published",
                         "embargo": dt.datetime(2022, 2, 10, 9, tzinfo=dt.UTC),
                         "language": "en", "place": None})
    assert path.read_text("utf-8") == (
        "---\n"
        "# Written by hand.\n"
        "id: x\n"
        "type: statement     # statement | joint-statement\n"
        "title: 'It''s published'\n"
        "date: 2022-02-10\n"
        "language: en\n"
        "issued_by: forum-asia\n"
        "# Ask the programme before adding more.\n"
        "endorsers: [forum-asia,\n"
        "  arf]  # two for now\n"
        "state: published  # private | pending | published\n"
        "embargo: 2022-02-10T09:00:00+00:00\n"
        "---\n"
        "Text.\n"
    )
    statement = load_record(path, ORGS, TODAY)
    assert statement.embargo == dt.datetime(2022, 2, 10, 9, tzinfo=dt.UTC)
    assert statement.place is None and statement.title == "It's published"


def test_update_replaces_the_body_and_a_list(tmp_path):
    path = tmp_path / SAMPLE.name
    path.write_bytes(SAMPLE.read_bytes())
    update_record(path, {"contacts": [Contact("Media", "media@forum-asia.org")],
                         "endorsers": ["forum-asia"]}, body_markdown="New text.\n")
    statement = load_record(path, ORGS, TODAY)
    assert statement.contacts == (Contact("Media", "media@forum-asia.org"),)
    assert statement.endorsers == ("forum-asia",)
    assert statement.body_markdown == "New text.\n"
    text = path.read_text("utf-8")
    assert "# Imported from the old archive, which had no title: written by hand.\n" in text
    assert "# The old archive hid both" not in text  # it was inside the replaced value


def test_update_keeps_crlf_line_endings(tmp_path):
    path = tmp_path / SAMPLE.name
    path.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    update_record(path, {"state": "pending", "embargo": "2022-02-10T09:00:00+07:00"})
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b"state: pending\r\nembargo: 2022-02-10T09:00:00+07:00\r\n---\r\n" in raw


def test_update_of_a_broken_record_raises_and_keeps_it(tmp_path):
    path = tmp_path / "yaml-syntax.md"
    path.write_bytes((RECORDS / "yaml-syntax.md").read_bytes())
    with pytest.raises(RecordError) as caught:
        update_record(path, {"state": "pending"})
    assert caught.value.diagnostics[0].line == 4
    assert path.read_bytes() == (RECORDS / "yaml-syntax.md").read_bytes()
    with pytest.raises(ValueError, match="colour"):
        update_record(path, {"colour": "red"})


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch, where):
    path = tmp_path / SAMPLE.name
    path.write_bytes(SAMPLE.read_bytes())

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, where, fail)
    with pytest.raises(OSError, match="No space left"):
        update_record(path, {"state": "pending"})
    monkeypatch.undo()
    assert path.read_bytes() == SAMPLE.read_bytes()
    assert os.listdir(tmp_path) == [SAMPLE.name]  # no temporary file left behind


# --- single fields, written inline --------------------------------------------------------


def _read_fields(tmp_path, lines: str, name: str = "x"):
    path = tmp_path / f"{name}.md"
    path.write_text(f"---\nid: {name}\ntype: statement\ntitle: \"T\"\ndate: 2022-02-10\n"
                    f"issued_by: forum-asia\n{lines}---\nText.\n", "utf-8")
    return read_record(path, ORGS, TODAY)


@pytest.mark.parametrize(
    "ident", ["../x", "..", ".hidden", "a/b", "a\\\\b", "A-upper", "-lead", "a b", "é", "a.md",
              "x" * 151, "trail-", "a--b"],
)
def test_unsafe_ids_are_refused(tmp_path, ident):
    path = tmp_path / "x.md"
    path.write_text(f'---\nid: "{ident}"\ntype: statement\ntitle: T\ndate: 2022-02-10\n'
                    "issued_by: forum-asia\n---\nText.\n", "utf-8")
    statement, diagnostics = read_record(path, ORGS, TODAY)
    assert statement is None
    assert [(d.field, d.line, d.severity) for d in diagnostics] == [("id", 2, E)]


@pytest.mark.parametrize(
    ("lines", "expected", "value"),
    [
        ("embargo: 2022-02-10T09:00:00\n", [("embargo", 7, W)], dt.datetime(2022, 2, 10, 9)),
        ("embargo: '2022-02-10T09:00+07:00'\n", [],
         dt.datetime(2022, 2, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))),
        ("translation_of: x\n", [("translation_of", 7, E)], "x"),
        ("place:\ncountries:\n", [], None),
        ("language:\n", [], "en"),
        ("contacts: [{label: A, mail: a@b.org}]\n", [("contacts", 7, E)], None),
        ("endorsers: [forum-asia, 3]\n", [("endorsers", 7, E)], None),
        ("countries: [Kazakhstan,\n  Kyrgyzstan]\n", [], ("Kazakhstan", "Kyrgyzstan")),
    ],
)
def test_single_fields(tmp_path, lines, expected, value):
    statement, diagnostics = _read_fields(tmp_path, lines)
    assert [(d.field, d.line, d.severity) for d in diagnostics] == expected
    key = lines.split(":")[0]
    if value is not None:
        assert getattr(statement, key) == value
    if key == "contacts":
        assert "unknown field 'mail'; did you mean 'email'?" in diagnostics[0].message


def test_quoted_iso_date_is_a_date(tmp_path):
    path = tmp_path / "x.md"
    path.write_text('---\nid: x\ntype: statement\ntitle: T\ndate: "2022-02-10"\n'
                    "issued_by: forum-asia\n---\nText.\n", "utf-8")
    assert load_record(path, ORGS, TODAY).date == dt.date(2022, 2, 10)


def test_an_empty_required_field(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\nid: x\ntype: statement\ntitle:\ndate: 2022-02-10\n"
                    "issued_by: forum-asia\n---\nText.\n", "utf-8")
    statement, diagnostics = read_record(path, ORGS, TODAY)
    assert statement is None
    assert [(d.field, d.line, d.severity) for d in diagnostics] == [("title", 4, E)]
    assert "is empty" in diagnostics[0].message


# --- what the formats cannot print (limits.py) ---------------------------------------------------


@pytest.mark.parametrize("value", ["[" * 10_000 + "]" * 10_000, "- " * 10_000 + "x",
                                   "{a: " * 5_000 + "x" + "}" * 5_000])
def test_front_matter_nested_thousands_deep_is_a_diagnostic_with_its_line(tmp_path, value):
    statement, diagnostics = _read_fields(tmp_path, f"place: ok\ntopics:\n  {value}\n")
    assert statement is None
    assert [(d.field, d.line, d.severity) for d in diagnostics] == [(None, 9, E)]
    assert "nested more than 20 deep" in diagnostics[0].message


def test_a_raw_control_character_in_the_front_matter_is_a_diagnostic_with_its_line(tmp_path):
    _, diagnostics = _read_fields(tmp_path, "place: Bang\x01kok\n")
    assert [(d.field, d.line, d.severity) for d in diagnostics] == [(None, 7, E)]
    assert "control character U+0001" in diagnostics[0].message


@pytest.mark.parametrize(
    ("lines", "field", "words"),
    [('place: "Bang\\u2028kok"\n', "place", "line separator (U+2028"),
     ('countries: ["Kaz\\x00akhstan"]\n', "countries", "a NUL character"),
     ('contacts:\n  - {label: "Desk\\e", email: null}\n', "contacts", "U+001B"),
     ('topics: ["\\udfff"]\n', "topics", "half of a character"),
     (f"topics: [{'x' * 60}]\n", "topics", "item 1 has a word of 60 characters"),
     (f"countries: [{', '.join(['Laos'] * 51)}]\n", "countries", "has 51 entries; at most 50"),
     (f"place: {'Bangkok ' * 30}\n", "place", "is 239 characters long; at most 200")],
)
def test_every_field_is_held_to_what_the_formats_can_print(tmp_path, lines, field, words):
    _, diagnostics = _read_fields(tmp_path, lines)
    (d,) = [d for d in diagnostics if d.is_error]
    assert (d.field, d.line) == (field, 8 if field == "contacts" else 7) and words in d.message


def test_a_published_record_within_every_limit_has_no_diagnostics(tmp_path):
    body = ("We call for *the **release** of [every](https://www.example.org/r) detainee*.[^1]"
            "\n\n> - quoted\n>   - and listed[^1]\n\n[^1]: <https://www.example.org/source>\n")
    path = tmp_path / "x.md"
    path.write_text("---\nid: x\ntype: statement\ntitle: \"T\"\ndate: 2022-02-10\n"
                    f"issued_by: forum-asia\nstate: published\n---\n{body}", "utf-8")
    assert read_record(path, ORGS, TODAY)[1] == []
