"""Statement bodies: the block tree, footnote numbering, and the problems staff must fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, SAMPLE_ID
from pressroom.body import is_email, parse_body, url_problem
from pressroom.frontmatter import split_front_matter
from pressroom.model import FootnoteRef, Link, Paragraph, Text, walk_inlines


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


def test_a_footnote_defined_twice_is_an_error_on_the_second_definition():
    body, problems = parse_body("Text[^6].\n\n[^6]: Second source, <https://example.org/b>\n"
                                "[^6]: <https://example.org/a>\n")
    assert [(p.line, p.is_error) for p in problems] == [(4, True)]
    assert "defined a second time" in problems[0].message
    assert len(body.footnotes) == 1
