"""Front matter: splitting, loading with line numbers, writing, and rewriting by lines."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressroom.frontmatter import (
    FrontMatterError,
    front_matter_text,
    key_line,
    key_text,
    load_front_matter,
    split_parts,
    update_front_matter,
)


def test_split_parts():
    parts = split_parts("---\nid: x\n---\nText.\n")
    assert (parts.head_open, parts.front, parts.head_close) == ("---\n", "id: x\n", "---\n")
    assert (parts.body, parts.body_line) == ("Text.\n", 4)
    # Trailing spaces and CRLF on the fences; a final fence with no newline.
    parts = split_parts("--- \r\nid: x\r\n---\r\nT\r\n")
    assert (parts.front, parts.body, parts.body_line) == ("id: x\r\n", "T\r\n", 4)
    parts = split_parts("---\nid: x\n---")
    assert (parts.front, parts.body, parts.body_line) == ("id: x\n", "", 4)


def test_only_newline_ends_a_line():
    # U+2028 inside a value must not shift the body's line number.
    parts = split_parts("---\ntitle: \"a\u2028b\"\n---\nText.\n")
    assert parts.body_line == 4


@pytest.mark.parametrize(
    ("text", "words"),
    [("id: x\n---\nText\n", "no front matter"), ("---\nid: x\nText\n", "not closed"),
     ("", "no front matter")],
)
def test_split_parts_refuses(text, words):
    with pytest.raises(FrontMatterError) as caught:
        split_parts(text)
    assert caught.value.line == 1 and words in caught.value.message


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("id: x\ntitle: [a\n", 3, "never closed"),
        ("id: x\ntitle: a\ntitle: b\n", 4, "duplicate key"),
        ("id: x\n  bad: indent\n", 3, "YAML syntax error"),
        ("id: x\ntitle: \"a\n", 3, "never closed"),
    ],
)
def test_syntax_errors_have_file_lines(front, line, words):
    with pytest.raises(FrontMatterError) as caught:
        load_front_matter(front, first_line=2)
    assert caught.value.line == line
    assert words in caught.value.message


def test_loading_keeps_lines_and_impossible_dates():
    data = load_front_matter("id: x\n\n# note\ndate: 2022-02-30\nday: 2022-02-10\n")
    assert key_line(data, "date") == 5
    assert data["date"] == "2022-02-30"  # left as text for the date check to explain
    assert data["day"] == dt.date(2022, 2, 10)


def test_key_text_styles():
    assert key_text("title", "A: b") == 'title: "A: b"\n'
    assert key_text("state", "published") == "state: published\n"
    assert key_text("date", dt.date(2022, 2, 10)) == "date: 2022-02-10\n"
    assert key_text("topics", []) == "topics: []\n"
    assert key_text("place", "yes") == "place: yes\n"  # YAML 1.2: a string, left bare
    assert key_text("place", "null") == "place: 'null'\n"
    assert key_text("countries", ["a, b", ": x", "2022-01-01"]) == (
        "countries: ['a, b', \": x\", '2022-01-01']\n")
    assert key_text("contacts", [{"label": "A, B", "email": "a@b.org"}]) == (
        'contacts:\n  - {label: "A, B", email: a@b.org}\n')
    wrapped = key_text("endorsers", [f"organisation-{n}" for n in range(12)])
    lines = wrapped.splitlines()
    assert len(lines) == 3 and all(len(line) <= 100 for line in lines)
    assert lines[2] == "  organisation-11]" and lines[1].startswith("  organisation-5,")
    assert load_front_matter(wrapped)["endorsers"] == [f"organisation-{n}" for n in range(12)]


def test_front_matter_text_order_and_comments():
    text = front_matter_text(
        {"state": "private", "title": "T", "id": "x", "place": None},
        {"title": "No title in the source:\nwrite one.", "state": "set by the workflow"},
    )
    assert text == ('id: x\n# No title in the source:\n# write one.\ntitle: "T"\n'
                    "# set by the workflow\nstate: private\n")


FRONT = (
    "# Written by hand.\n"
    "id: x\n"
    "title: \"A # not a comment\"   # the title\n"
    "date: 2022-02-10\n"
    "\n"
    "# About the issuer.\n"
    "issued_by: forum-asia\n"
    "endorsers: [a,\n"
    "  b]\n"
    "# trailing note\n"
)


def test_update_keeps_end_of_line_comment_after_a_quoted_hash():
    out = update_front_matter(FRONT, {"title": "New"})
    assert out == FRONT.replace('"A # not a comment"', '"New"')


def test_update_inserts_in_canonical_order():
    out = update_front_matter(FRONT, {"state": "pending", "type": "statement",
                                      "place": "Bangkok", "language": "en"})
    assert out.splitlines() == [
        "# Written by hand.",
        "id: x",
        "type: statement",
        "title: \"A # not a comment\"   # the title",
        "date: 2022-02-10",
        "place: Bangkok",
        "language: en",
        "",
        "# About the issuer.",
        "issued_by: forum-asia",
        "endorsers: [a,",
        "  b]",
        "state: pending",
        "# trailing note",
    ]


def test_update_removes_a_key_with_its_comment():
    out = update_front_matter(FRONT, {"issued_by": None, "endorsers": ["c"]})
    assert out == ("# Written by hand.\nid: x\ntitle: \"A # not a comment\"   # the title\n"
                   "date: 2022-02-10\n\nendorsers: [c]\n# trailing note\n")


def test_update_refuses_a_flow_mapping():
    with pytest.raises(FrontMatterError, match="one field a line"):
        update_front_matter("{id: x, title: y}\n", {"state": "pending"})


def test_update_of_empty_front_matter():
    assert update_front_matter("", {"id": "x", "title": "T"}) == 'id: x\ntitle: "T"\n'


@given(st.text(max_size=200), st.text(max_size=200), st.sampled_from(["\n", "\r\n"]))
def test_parts_join_back_exactly(front, body, newline):
    text = f"---{newline}{front.replace('---', '- -')}{newline}---{newline}{body}"
    parts = split_parts(text)
    assert parts.head_open + parts.front + parts.head_close + parts.body == text


@given(st.one_of(st.text(max_size=60),
                 st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,5}){0,3}", fullmatch=True)),
       st.booleans(), st.booleans())
def test_strings_written_without_the_emitter_are_what_the_emitter_writes(text, flow, quoted):
    from pressroom.frontmatter import _emitted_text, _fast_string_text

    fast = _fast_string_text(text, flow, quoted)
    if fast is not None:
        assert fast == _emitted_text(text, flow, quoted)


def test_a_value_is_double_quoted_for_every_control_format_and_separator_character():
    # `_needs_escapes` asks `str.isprintable`; it must refuse exactly the characters of the
    # categories C and Z but the ASCII space, in this interpreter's Unicode data.
    import sys
    import unicodedata

    from pressroom.frontmatter import _needs_escapes, scalar_text

    differ = [c for c in range(sys.maxunicode + 1)
              if _needs_escapes(chr(c)) != (unicodedata.category(chr(c))[0] in "CZ"
                                           and chr(c) != " ")]
    assert differ == []
    assert scalar_text("a\u2028b").startswith('"') and scalar_text("a b") == "a b"
