"""Statement bodies: the block tree, footnote numbering, and the problems staff must fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, SAMPLE_ID
from pressroom import limits
from pressroom.body import is_email, parse_body, url_problem
from pressroom.frontmatter import split_front_matter
from pressroom.model import FootnoteRef, Link, Paragraph, Text, to_data, walk_inlines


def _links(body):
    nodes = [*walk_inlines(body.blocks)]
    for footnote in body.footnotes:
        nodes += walk_inlines(footnote.children)
    return [n.href for n in nodes if isinstance(n, Link)]


def test_sample_body():
    text = (REPO / "statements" / f"{SAMPLE_ID}.md").read_text("utf-8")
    _, markdown, _ = split_front_matter(text)
    body, problems = parse_body(markdown)
    assert problems == []
    assert len(body.blocks) == 4 and all(isinstance(b, Paragraph) for b in body.blocks)
    refs = [n.number for n in walk_inlines(body.blocks) if isinstance(n, FootnoteRef)]
    assert refs == [1, 2, 3, 4, 5, 6]
    assert [len(f.urls) for f in body.footnotes] == [1, 1, 3, 1, 2, 1]


def test_footnotes_are_numbered_by_first_citation():
    body, problems = parse_body("B first[^b], then a[^a], b again[^b].\n\n"
                                "[^a]: A.\n[^b]: B.\n")
    assert problems == []
    refs = [(n.label, n.number) for n in walk_inlines(body.blocks) if isinstance(n, FootnoteRef)]
    assert refs == [("b", 1), ("a", 2), ("b", 1)]
    assert [(f.number, f.label) for f in body.footnotes] == [(1, "b"), (2, "a")]


def test_footnote_problems_with_their_lines():
    body, problems = parse_body("One[^1]\nand two[^2].\n\n`[^3]` is code.\n\n"
                                "[^1]: Note.\n[^4]: Never cited.\n")
    assert [(p.line, p.is_error) for p in problems] == [(2, True), (7, True)]
    assert "[^2] is cited but never defined" in problems[0].message
    assert "[^4] is defined but never cited" in problems[1].message
    assert len(body.footnotes) == 1


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://www.bbc.com/news/world-asia-59907235", None),
        ("http://example.org", None),
        ("https://example.org/My%20File.pdf", None),  # an encoded space is fine
        ("https://[2001:db8::1]/x", None),
        ("mailto:media@forum-asia.org", None),
        ("mailto:media@forum-asia.org?subject=Kazakhstan", None),
        ("www.example.org/report", "no scheme"),
        ("/about", "no scheme"),
        ("report.html", "no scheme"),
        ("https://www.example.org/a report.pdf", "contains a space"),
        ("https:///path", "no host name"),
        ("http://localhost/x", "not a full host name"),
        ("javascript:alert(1)", "only https://, http:// and mailto:"),
        ("ftp://example.org/file", "only https://, http:// and mailto:"),
        ("file:///etc/passwd", "only https://, http:// and mailto:"),
        ("mailto:someone", "not an e-mail address"),
        ("https://exa[mple.org", "cannot be read as a URL"),
    ],
)
def test_url_problem(url, words):
    why = url_problem(url)
    if words is None:
        assert why is None
    else:
        assert why is not None and words in why and repr(url) in why


@pytest.mark.parametrize(
    ("markdown", "line", "words"),
    [
        ("Text.\n\nSee [the report](www.example.org/r).\n", 3, "no scheme"),
        ("Text\nsee <https://example.org/a b> now.\n", 2, "contains a space"),
        ("Text [x](<https://example.org/a b>).\n", 1, "contains a space"),
        ("Text <javascript:alert(1)>.\n", 1, "only https://"),
        ("Text [x](javascript:alert(1)).\n", 1, "only https://"),
        ("Text.[^1]\n\n[^1]: <https:///news>\n", 3, "no host name"),
        ("Text.[^1]\n\n[^1]: First,\n    then [here](http://x).\n", 4, "not a full host name"),
    ],
)
def test_malformed_urls_in_body_and_footnotes(markdown, line, words):
    _, problems = parse_body(markdown)
    assert [(p.line, p.is_error) for p in problems] == [(line, True)]
    assert words in problems[0].message


def test_refused_links_stay_text():
    body, _ = parse_body("Text <javascript:alert(1)> and [x](javascript:alert(1)).\n")
    assert _links(body) == []
    assert "javascript:alert(1)" in body.blocks[0].children[0].text


@pytest.mark.parametrize(
    "mangled",
    ["[email protected]", "[email&#160;protected]", "[email\u00a0protected]",
     "[Email Protected]", "[mail us](/cdn-cgi/l/email-protection#4f2a372e223f)",
     "<https://www.forum-asia.org/cdn-cgi/l/email-protection>"],
)
def test_mangled_emails_are_reported_once(mangled):
    _, problems = parse_body(f"Text.\n\nWrite to {mangled} today.\n")
    assert [(p.line, p.is_error) for p in problems] == [(3, True)]
    assert "mangled by the old archive" in problems[0].message


@pytest.mark.parametrize(
    ("text", "ok"),
    [("media@forum-asia.org", True), ("a.b+c@sub.example.co.th", True),
     ("ผู้ใช้@ตัวอย่าง.ไทย", True), ("sasia at forum-asia.org", False), ("a@b", False),
     ("@example.org", False), ("a@@example.org", False), ("a b@example.org", False),
     ("a@-example.org", False), ("[email protected]", False)],
)
def test_is_email(text, ok):
    assert is_email(text) is ok


def test_raw_html_stays_text():
    body, problems = parse_body("<script>alert(1)</script>\n\nText <b>bold</b>.\n")
    assert problems == []
    texts = [n.text for n in walk_inlines(body.blocks) if isinstance(n, Text)]
    assert "<script>alert(1)</script>" in texts[0] and "<b>bold</b>" in texts[1]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parse_never_raises(markdown):
    body, problems = parse_body(markdown)
    assert all(p.line >= 1 for p in problems)
    assert isinstance(body.blocks, tuple)


@pytest.mark.parametrize(("markdown", "line", "note"), [
    ("We call for release.^[A note.]\n", 1, "^[A note.]"),
    ("We call.[^1]\n\n[^1]: A source ^[and a note] here.\n", 3, "^[and a note]"),
    ("[1\n^[]^1]: x\n", 2, "^[]"),  # the shape fuzzing found: an empty one
    ("Text ^[a ^[b] c].\n", 1, "^[a ^[b] c]"),  # one inside another: said once
])
def test_an_inline_footnote_is_a_diagnostic_not_a_traceback(markdown, line, note):
    # markdown-it's `^[...]` note has no label; the formats print only labelled notes.
    body, problems = parse_body(markdown)
    assert [(p.line, p.is_error) for p in problems] == [(line, True)]
    assert f"an inline footnote `{note}`" in problems[0].message
    assert "[^1]:" in problems[0].message
    assert all(f.label for f in body.footnotes)


def test_an_escaped_caret_bracket_is_text():
    body, problems = parse_body("Escaped ^\\[not a note] here.\n")
    assert problems == [] and body.footnotes == ()
    assert body.blocks[0].children == (Text("Escaped ^[not a note] here."),)


def test_a_footnote_defined_twice_is_an_error_on_the_second_definition():
    body, problems = parse_body("Text[^6].\n\n[^6]: Second source, <https://example.org/b>\n"
                                "[^6]: <https://example.org/a>\n")
    assert [(p.line, p.is_error) for p in problems] == [(4, True)]
    assert "defined a second time" in problems[0].message
    assert len(body.footnotes) == 1


# --- what the formats cannot print (limits.py) -------------------------------------------------


def _messages(markdown: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in parse_body(markdown)[1] if p.is_error]


def _depth(nodes) -> int:
    """How deep inlines nest under `nodes`, without recursion."""
    deepest, pending = 0, [(n, 1) for n in nodes]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        pending += [(c, depth + 1) for c in getattr(node, "children", ())]
    return deepest


def test_nested_emphasis_is_a_diagnostic_not_a_traceback():
    markdown = "Text.\n\n" + "*" * 1_000 + "x" + "*" * 1_000 + "\n"
    body, problems = parse_body(markdown)
    assert [(p.line, p.is_error) for p in problems] == [(3, True)]
    assert "nested 500 deep here; at most 20" in problems[0].message
    # the tree stops at the limit, so nothing after the parser runs out of stack
    assert _depth(body.blocks[1].children) <= 21
    assert to_data(body)["blocks"][1]["kind"] == "paragraph"


def test_emphasis_up_to_the_limit_is_kept_as_written():
    text = "x"
    for n in range(20):
        text = f"*a {text} b*" if n % 2 else f"**a {text} b**"
    body, problems = parse_body(text + "\n")
    assert problems == []
    assert _depth(body.blocks[0].children) == 21  # 20 marks and the text inside them


def _nested(kind: str, depth: int) -> str:
    if kind == "quote":
        return "> " * depth + "deep\n"
    marker = {"bullets": "- ", "numbers": "1. "}.get(kind, "> - ")
    if kind == "mixed":  # a quote holding a list holding a quote...
        return "".join("> - " if n % 2 == 0 else "" for n in range(depth)) + "deep\n"
    return "".join(" " * len(marker) * n + marker + "level\n" for n in range(depth))


@pytest.mark.parametrize("kind", ["quote", "bullets", "numbers", "mixed"])
def test_quotes_and_lists_nested_past_the_limit_are_a_diagnostic(kind):
    deep = _messages("Text.\n\n" + _nested(kind, 9 if kind != "mixed" else 10))
    assert len(deep) == 1 and "nested more than 8 deep" in deep[0][1]
    assert _messages("Text.\n\n" + _nested(kind, 8)) == []


def test_markdown_it_stopping_at_twenty_levels_is_still_reported():
    assert [m for _, m in _messages("> " * 25 + "deep\n\nAfter.\n") if "nested more" in m]


@pytest.mark.parametrize(
    ("char", "words"),
    [("\x00", "a NUL character"), ("\ufeff", "byte-order mark"), ("\x01", "U+0001"),
     ("\x0b", "U+000B"), ("\x1f", "U+001F"), ("\x85", "U+0085"), ("\u2028", "line separator")],
)
def test_control_characters_nul_and_bom_in_the_body_are_diagnostics(char, words):
    problems = _messages(f"First line.\n\nSecond{char} line.\nThird{char}.\n")
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 3 and words in message and "1 more line(s) have it too" in message


def test_tabs_newlines_and_carriage_returns_are_text():
    assert _messages("A\ttab.\r\nA CRLF line.\r\n") == []


def test_a_word_no_line_can_hold_is_a_diagnostic_and_links_stay_allowed():
    url = "https://www.example.org/" + "reports/" * 200  # 1,624 characters
    assert _messages(f"See <{url}> and [the report]({url}).[^1]\n\n[^1]: {url}\n") == []
    (problem,) = _messages("Text.\n\nA " + "x" * 40_000 + " word.\n")
    assert problem[0] == 3 and "a word of 40,000 characters" in problem[1]
    (problem,) = _messages("Text <https://example.org/" + "a" * 2_000 + ">.\n")
    assert "links may have at most 2,000" in problem[1]


def test_a_heading_inside_a_footnote_is_a_diagnostic():
    (problem,) = _messages("Text.[^1]\n\n[^1]: A note.\n\n    ## Heading\n\n    More.\n")
    assert problem[0] == 5 and "a heading inside footnote [^1]" in problem[1]


@pytest.mark.parametrize(
    ("markdown", "line", "words"),
    [("Text.\n\n###\n", 3, "a heading with no words"),
     ("Text.\n\n## [^1]\n\n[^1]: Note.\n", 3, "a heading with no words"),
     ("Text.\n\n- one\n-\n- three\n", 4, "an empty list item"),
     ("Text.\n\n1. one\n2.\n", 4, "an empty list item"),
     ("Text.[^1]\n\n[^1]:\n", 3, "footnote [^1] has no text"),
     ("Text [](https://example.org).\n", 1, "has no words to click"),
     ("Text.\n\n# " + "word " * 80 + "\n", 3, "a heading of 399 characters; at most 300"),
     ("Text.[^a]\n\n[^a]: " + "note " * 400 + "x\n", 3,
      "footnote [^a] is 2,001 characters long; at most 2,000"),
     ("Text.[^a]\n\n[^a]: One.\n\n    " + "note " * 400 + "\n", 3,
      "footnote [^a] is 2,003 characters long")],
)
def test_empty_headings_items_notes_and_links_are_diagnostics(markdown, line, words):
    (problem,) = _messages(markdown)
    assert problem[0] == line and words in problem[1]


def test_a_note_at_the_length_limit_is_accepted():
    assert _messages("Text.[^a]\n\n[^a]: " + "note " * 399 + "notes\n") == []


def test_counts_past_the_limits_are_diagnostics_at_the_first_line_over(monkeypatch):
    monkeypatch.setattr(limits, "MAX_BLOCKS", 3)
    monkeypatch.setattr(limits, "MAX_INLINES", 2)
    monkeypatch.setattr(limits, "MAX_FOOTNOTES", 1)
    markdown = "One *a*.\n\nTwo **b**.\n\nThree[^1].\n\nFour[^2].\n\n[^1]: x\n[^2]: y\n"
    problems = _messages(markdown)
    assert [line for line, _ in problems] == [5, 7, 10]  # the 3rd inline, 4th block, 2nd note
    assert "more than 2 emphases, links, code spans, line breaks and footnote markers (4)" in (
        problems[0][1])
    assert "more than 3 paragraphs, headings, list items and quotes (6)" in problems[1][1]
    assert "more than 1 footnotes" in problems[2][1]
    assert all("split it into several statements" in m for _, m in problems)


def test_blocks_carry_the_line_they_start_on():
    body, _ = parse_body("One.\n\n> Two.\n\n- Three\n\n## Four[^1]\n\n[^1]: Note.\n", 11)
    assert [b.line for b in body.blocks] == [11, 13, 15, 17]
    assert body.blocks[1].children[0].line == 13 and body.footnotes[0].line == 19


def test_a_body_ten_times_past_a_limit_is_not_parsed_any_further(monkeypatch):
    monkeypatch.setattr(limits, "MAX_BLOCKS", 2)
    markdown = "".join(f"- item {n}\n" for n in range(100))
    body, problems = parse_body(markdown)
    (stop,) = [p for p in problems if "not checked" in p.message]
    assert stop.line == 21 and "ten times more than the 2 paragraphs" in stop.message
    assert len(body.blocks[0].items) == 20  # markdown-it saw the first 20 lines only
    assert any("more than 2 paragraphs" in p.message for p in problems)
    monkeypatch.setattr(limits, "MAX_INLINES", 3)
    _, problems = parse_body("*a* " * 100 + "\n")
    assert [p.line for p in problems if "not checked" in p.message] == [1]
