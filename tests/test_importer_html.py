"""The archive importer on pages saved from the old web site."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest

from conftest import FIXTURES, SAMPLE_ID
from pressroom.body import parse_body
from pressroom.errors import ImportRefused
from pressroom.importer import import_paths, import_text
from pressroom.importer.html import read_html_source
from pressroom.model import Link, Paragraph, Severity, inline_text, walk_inlines
from pressroom.records import read_record
from pressroom.site import load_site

EXAMPLE = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.txt"
PAGE = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.html"
TITLE = "Kazakhstan: End the crackdown on peaceful protesters and respect fundamental freedoms"


@pytest.fixture
def page(site):
    return import_text(PAGE.read_text("utf-8"), str(PAGE), site.organisations, "forum-asia")


@pytest.fixture
def text(site):
    return import_text(EXAMPLE.read_text("utf-8"), str(EXAMPLE), site.organisations,
                       "forum-asia")


def page_of(article: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><title>T</title>{head}</head><body>"
            f"<header><nav><a href='/'>Home</a></nav></header>"
            f"<article>{article}</article><footer>Footer text</footer></body></html>")


def test_page_gives_the_same_body_and_footnotes_as_the_text(page, text):
    assert page.body_markdown == text.body_markdown
    page_body, problems = parse_body(page.body_markdown)
    assert problems == []
    text_body, _ = parse_body(text.body_markdown)
    assert page_body == text_body
    assert [n.urls for n in page_body.footnotes] == [n.urls for n in text_body.footnotes]
    assert len(page_body.blocks) == 4 and len(page_body.footnotes) == 6


def test_page_front_matter_takes_the_title_from_the_page(page, text):
    assert page.fields["title"] == TITLE
    assert page.fields["id"] == "2022-02-10-kazakhstan-end-the-crackdown-on-peaceful-protesters"
    assert not any(d.field == "title" for d in page.diagnostics)
    for key in ("date", "place", "type", "issued_by", "endorsers", "contacts", "countries",
                "state", "language"):
        assert page.fields[key] == text.fields[key], key
    assert page.fields["date"] == dt.date(2022, 2, 10)
    assert page.new_organisations == ()


def test_page_hidden_emails_are_left_empty_and_named(page):
    hidden = [d for d in page.diagnostics if d.field == "contacts"]
    assert len(hidden) == 2 and all(d.severity is Severity.WARNING for d in hidden)
    lines = PAGE.read_text("utf-8").splitlines()
    for d in hidden:
        assert "/cdn-cgi/l/email-protection#" in lines[d.line - 1]
    assert [c["email"] for c in page.fields["contacts"]] == [None, None]
    assert sorted((d.severity.value, d.field) for d in page.diagnostics) == [
        ("warning", "contacts"), ("warning", "contacts")]


def test_site_around_the_article_is_left_out():
    source = read_html_source(PAGE.read_text("utf-8"), str(PAGE))
    everything = "\n".join(line.text for line in source.lines)
    for chrome in ("Skip to content", "Programmes", "Posted on", "Views:", "1,234", "Tweet",
                   "Share this", "Click to share", "Post navigation", "Myanmar: One year",
                   "Search for", "SPI Building", "forumAsia", "clip:rect", TITLE):
        assert chrome not in everything, chrome
    assert source.title == TITLE and source.date == "2022-02-10"
    # Lines are numbered where they start in the page, for diagnostics.
    page_lines = PAGE.read_text("utf-8").splitlines()
    first = source.lines[0]
    assert first.text.startswith("(Bangkok, 10 February 2022)")
    assert "(Bangkok, 10 February 2022)" in page_lines[first.number - 1]


def test_links_and_sup_markers_in_the_body():
    html = page_of(
        "<h1>Cambodia: Free the land defenders</h1>"
        "<p>(Phnom Penh, 3 March 2023) &#8211; The court<sup>1</sup> jailed "
        "<a href='https://example.org/report?id=4&amp;x=1'>eleven activists</a> "
        "on <em>spurious</em> charges<sup>[2]</sup>, says "
        "<a href='https://example.org/a'>https://example.org/a</a>.</p>"
        "<p><strong>Endorsed by:</strong></p><ul><li>Odhikar</li><li>LST</li></ul>"
        "<p>[1] <a href='https://example.org/one'>Court record</a>; see also "
        "https://example.org/two</p><p>[2] https://example.org/three</p>")
    result = import_text(html, "page.html", {}, "forum-asia")
    assert result.fields["title"] == "Cambodia: Free the land defenders"
    assert result.fields["place"] == "Phnom Penh"
    assert result.fields["countries"] == ["Cambodia"]
    body, problems = parse_body(result.body_markdown)
    assert problems == []
    (para,) = body.blocks
    assert isinstance(para, Paragraph)
    assert inline_text(para.children) == (
        "The court jailed eleven activists on spurious charges, says https://example.org/a.")
    links = [n for n in walk_inlines(para.children) if isinstance(n, Link)]
    assert [n.href for n in links] == ["https://example.org/report?id=4&x=1",
                                       "https://example.org/a"]
    assert "*spurious*" in result.body_markdown
    assert [n.urls for n in body.footnotes] == [
        ("https://example.org/one", "https://example.org/two"), ("https://example.org/three",)]


def test_lists_in_the_article_body_stay_lists():
    html = page_of("<p>10 February 2022</p><p>We call on the government to:</p>"
                   "<ol><li>release the detainees;</li><li>lift the ban.</li></ol>"
                   "<h3>Background</h3><p>The ban began in 2021.</p>")
    body, problems = parse_body(import_text(html, "p.html", {}, "x").body_markdown)
    assert problems == []
    assert [type(b).__name__ for b in body.blocks] == [
        "Paragraph", "ListBlock", "Heading", "Paragraph"]
    assert [inline_text(i[0].children) for i in body.blocks[1].items] == [
        "release the detainees;", "lift the ban."]
    assert inline_text(body.blocks[2].children) == "Background"


@pytest.mark.parametrize("hidden", [
    "<script>alert(1)</script>", "<style>h1 {color: red}</style>",
    "<noscript>Enable JavaScript</noscript>", "<template><b>Draft</b></template>",
    "<button>Share</button>", "<textarea>Comment</textarea>",
])
def test_what_a_reader_never_sees_is_not_in_the_title_or_id(hidden):
    html = page_of(f"<h1>Myanmar: {hidden}Stop the killings</h1><p>10 March 2023</p>"
                   f"<p>The army {hidden}fired on the crowd.</p>")
    result = import_text(html, "page.html", {}, "forum-asia")
    assert result.fields["title"] == "Myanmar: Stop the killings"
    assert result.id == "2023-03-10-myanmar-stop-the-killings"
    assert result.body_markdown == "The army fired on the crowd.\n"


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", " JavaScript:alert(document.cookie)", "java\tscript:void(0)",
    "data:text/html,<b>hi</b>", "vbscript:msgbox(1)", "file:///etc/passwd",
])
def test_a_link_that_is_not_a_web_or_mail_address_keeps_only_its_text(href):
    html = page_of("<h1>Laos: Find Od Sayavong</h1>\n<p>10 March 2023</p>\n"
                   f"<p>Read <a href='{escape(href, quote=True)}'>the appeal (in full)</a> "
                   "and <a href='https://example.org/x_(y)'>the report</a>.</p>")
    result = import_text(html, "page.html", {}, "forum-asia")
    assert result.body_markdown == (
        "Read the appeal (in full) and [the report](<https://example.org/x_(y)>).\n")
    body, problems = parse_body(result.body_markdown)
    assert problems == []
    links = [n.href for n in walk_inlines(body.blocks[0].children) if isinstance(n, Link)]
    assert links == ["https://example.org/x_(y)"]
    assert inline_text(body.blocks[0].children) == "Read the appeal (in full) and the report."
    assert href.strip().split(":")[0].lower() not in result.body_markdown.lower()
    (dropped,) = [d for d in result.diagnostics if d.field == "body"]
    assert dropped.severity is Severity.WARNING and dropped.line == 3
    # The whole address, parentheses and all, as the page has it.
    assert dropped.message.startswith(f"the link {href.strip()!r} was left out")
    assert "'the appeal (in full)'" in dropped.message


@pytest.mark.parametrize("html", [
    "<html><head><title>Statements</title></head><body><header><nav>"
    "<a href='/'>Home</a></nav></header><footer>(c) 2022</footer></body></html>",
    page_of("<div class='sharedaddy'><h3>Share this:</h3><a href='?share=twitter'>Tweet</a>"
            "</div>"),
    "<html><body></body></html>",
    "<!DOCTYPE html><html><head><title>Only a head</title>",
])
def test_a_page_with_no_body_is_refused(html):
    with pytest.raises(ImportRefused) as caught:
        import_text(html, "archive/page.html", {}, "forum-asia")
    assert caught.value.path == "archive/page.html"
    assert "no body" in caught.value.reason or "no statement text" in caught.value.reason


def test_page_imports_into_a_record_that_loads(site_root):
    # Without the sample record, which holds this statement already.
    (site_root / "statements" / f"{SAMPLE_ID}.md").unlink()
    site = load_site(site_root)
    report = import_paths(site, [PAGE])
    (record,) = report.imported
    assert report.warned == [record] and report.with_errors == [] and report.refused == []
    statement, diagnostics = read_record(record, site.organisations)
    assert statement is not None and statement.title == TITLE
    assert [d for d in diagnostics if d.is_error] == []
    assert len(statement.footnotes) == 6 and statement.state.value == "private"


# --- pages nested deeper than a parser's limits ---------------------------------------------


def nested(depth: int, tag: str = "div") -> str:
    """A page whose statement text sits `depth` elements deep, with a paragraph after."""
    return page_of(f"<p>10 May 2022 - We, the undersigned, open.</p>{f'<{tag}>' * depth}"
                   f"The deepest words.{f'</{tag}>' * depth}<p>The words after.</p>")


@pytest.mark.parametrize("tag", ["div", "span", "b"])
@pytest.mark.parametrize("depth", [256, 1000])
def test_deeply_nested_html_is_read_whole(depth, tag):
    # libxml2's HTML parser stops at 256 levels by default and drops the rest of the page
    # while lxml returns what it had; the importer once reported such a page as imported.
    imported = import_text(nested(depth, tag), "archive/deep.html", {}, "forum-asia")
    body = imported.body_markdown
    assert "The deepest words." in body and "The words after." in body
    assert body.index("The deepest words.") < body.index("The words after.")


@pytest.mark.parametrize("tag", ["div", "b"])
def test_html_nested_past_the_parsers_limit_is_refused_not_cut_short(tag):
    with pytest.raises(ImportRefused) as caught:
        import_text(nested(100_000, tag), "archive/deep.html", {}, "forum-asia")
    assert caught.value.path == "archive/deep.html"
    assert caught.value.reason.startswith("the page nests its elements deeper than can be read")
    assert "would be lost" in caught.value.reason and ".txt" in caught.value.reason


def test_a_long_numbered_list_keeps_its_numbers():
    items = "".join(f"<li>Item {n}.</li>" for n in range(1, 3001))
    imported = import_text(page_of(f"<p>10 May 2022 - We call for this.</p><ol start='7'>"
                                   f"{items}</ol>"), "archive/list.html", {}, "forum-asia")
    body = imported.body_markdown
    assert "7. Item 1.\n8. Item 2." in body and "3006. Item 3000." in body


@pytest.mark.parametrize("start", ["9" * 5000, "\u00b2", "-3", ""])
def test_a_list_start_that_is_no_number_counts_from_one(start):
    imported = import_text(page_of(f"<p>10 May 2022 - We call for this.</p>"
                                   f"<ol start='{start}'><li>First.</li><li>Second.</li></ol>"),
                           "archive/list.html", {}, "forum-asia")
    assert "1. First.\n2. Second." in imported.body_markdown


def test_control_characters_in_a_page_are_removed_and_said_not_a_traceback(site):
    """Found by fuzzing: a NUL beside an element the chrome filter drops made lxml raise."""
    page = ("<html><body><article><h1>Release them</h1><p>We, the undersigned, call for "
            "their release.\x00\x01</p><div class='share'>Share\x00 this</div>\x00tail "
            "text\x1f</article></body></html>")
    imported = import_text(page, "control.html", site.organisations, "forum-asia")
    assert "\x00" not in imported.body_markdown and "\x1f" not in imported.body_markdown
    said = [d for d in imported.diagnostics if "control character" in d.message]
    assert said and said[0].severity is Severity.WARNING


@pytest.mark.parametrize("reference", ["&#1;", "&#x1F;", "&#127;", "&#0011;"])
def test_control_characters_written_as_references_are_removed_too(site, reference):
    """Found by fuzzing: the parser decodes `&#1;` into the tree after the text was cleaned,
    and dropping the share buttons beside it made lxml raise."""
    page = ("<html><body><article><h1>Release them</h1><p>We, the undersigned, call for "
            f"their release.</p><div class='share'>Share this</div>{reference}tail "
            "text</article></body></html>")
    imported = import_text(page, "control.html", site.organisations, "forum-asia")
    assert "tail text" in imported.body_markdown
    assert not any((ord(c) < 32 and c not in "\n\t") or c == "\x7f"
                   for c in imported.body_markdown)
    said = [d for d in imported.diagnostics if "control character" in d.message]
    assert said and said[0].severity is Severity.WARNING


MAIL_ARCHIVE = (FIXTURES / "archive-shapes" / "tuned" / "inputs" /
                "K3-en-pipermail-archive-open-letter-individual-signatories-at-obfuscated-email"
                ".html")


def test_a_mailing_list_archive_message_is_read_as_its_email_and_the_archive_page_said(site):
    imported = import_text(MAIL_ARCHIVE.read_text("utf-8"), str(MAIL_ARCHIVE), site.organisations)
    assert imported.fields["title"] == ("Open Letter to the Prime Minister of Thailand: Do not "
                                        "deport Uyghur detainees")  # the list's tag cut
    removed = {r.text: r.reason for r in imported.removed}
    assert "archive page around the message" in removed[
        "Messages sorted by: [ date ] [ thread ] [ subject ] [ author ]"]
    assert "footer" in removed["Seasia-rights mailing list"]
    assert "More information about the Seasia-rights mailing list" in removed
    assert "mailing list" not in imported.body_markdown
    assert imported.body_markdown.startswith("The Prime Minister")


@pytest.mark.parametrize("page", [
    "<html><body><!--endarticle--><pre>text</pre><!--beginarticle--></body></html>",
    "<html><body><!--beginarticle--><pre></pre><!--endarticle--></body></html>",
    "<html><body><h1>[List] </h1><!--beginarticle--><pre>\n\n</pre><!--endarticle--></html>",
])
def test_a_broken_mailing_list_page_is_refused_or_read_never_a_traceback(site, page):
    try:
        imported = import_text(page, "archive/message.html", site.organisations)
    except ImportRefused as exc:
        assert "archive/message.html" in str(exc)
    else:
        assert imported.fields["id"]


@pytest.mark.parametrize("kicker, kind", [("Press release", "press-release"),
                                          ("Open letter", "open-letter")])
def test_the_kicker_over_the_headline_names_the_kind_and_teasers_kickers_do_not(kicker, kind):
    para = ("<p>The river communities of the delta have waited eleven years for the ruling "
            "that the court gave this week, and they ask that it be carried out.</p>") * 3
    teasers = ("<aside><ul><li><span class='card__kicker'>Joint statement</span>"
               "<a href='/x'>Another piece</a></li><li><span class='card__kicker'>Open "
               "letter</span><a href='/y'>A third piece</a></li></ul></aside>")
    # In the article's header, which the main-content extractor leaves out with the byline.
    html = page_of(f"<header class='post-header'><p class='post-kicker'>{kicker}</p><h1>The "
                   "ruling must be carried out</h1><p class='post-meta'><time datetime="
                   f"'2024-03-12'>12/03/2024</time></p></header><div>{para}</div>"
                   ).replace("</article>", "</article>" + teasers)
    got = import_text(html, "kicker.html", {})
    assert got.fields["type"] == kind and got.fields["title"] == "The ruling must be carried out"
    # Without the kicker, the teasers' kickers name nothing.
    bare = import_text(html.replace(f"<p class='post-kicker'>{kicker}</p>", ""), "bare.html", {})
    assert bare.fields["type"] == "statement"


def test_a_statement_s_kicker_decides_its_kind_though_others_join_it():
    para = ("<p>The river communities of the delta have waited eleven years for the ruling "
            "that the court gave this week, and they ask that it be carried out.</p>") * 3
    html = page_of("<header><div class='article__kicker'>Statement</div><h1>The ruling must "
                   "be carried out</h1></header>" + para + "<p><strong>Endorsed by:</strong></p>"
                   "<ul><li>Delta Farmers Forum</li><li>River Lawyers Collective</li>"
                   "<li>Mangrove Watch Network</li></ul>")
    got = import_text(html, "kicker.html", {})
    assert len(got.fields["endorsers"]) == 3
    assert got.fields["type"] == "statement"
    bare = import_text(html.replace("<div class='article__kicker'>Statement</div>", ""),
                       "bare.html", {})
    assert bare.fields["type"] == "joint-statement"
