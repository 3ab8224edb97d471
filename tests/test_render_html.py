"""The web page renderer: structure, metadata, escaping, drafts, determinism, errors, the
golden sample, and (slow) every page loaded in real Chromium and checked with axe-core."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import lxml.html
import pytest

from conftest import SAMPLE_ID, SCRIPT_RECORDS
from pressroom.errors import RenderError
from pressroom.fileio import atomic_write
from pressroom.model import Heading, Paragraph, inline_text
from pressroom.render import common
from pressroom.render.html import _environment, render_html
from pressroom.render.scripts import script_for

GOLDEN = Path(__file__).parent / "golden" / f"{SAMPLE_ID}.html"
UPDATE_GOLDEN = "PRESSROOM_UPDATE_GOLDEN"


def render(document, site) -> bytes:
    return render_html(document, site.templates_dir)


def parse(html: bytes):
    return lxml.html.fromstring(html)


def text(el) -> str:
    return " ".join(el.text_content().split())


def one(root, xpath: str):
    found = root.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


def meta(root, attr: str, name: str) -> str:
    return one(root, f"//head/meta[@{attr}='{name}']").get("content")


def write_record(site_root: Path, statement_id: str, front: str, body: str) -> str:
    record = f"---\nid: {statement_id}\n{textwrap.dedent(front).strip()}\n---\n{body}"
    (site_root / "statements" / f"{statement_id}.md").write_text(record, encoding="utf-8")
    return statement_id


FRONT = """\
    type: statement
    date: 2024-03-05
    place: Bangkok
    language: en
    issued_by: forum-asia
    endorsers: [forum-asia]
"""


def doc_for(site, site_root, statement_id, body, title="A test statement",
            state="published", extra=""):
    front = FRONT + f"    title: {json.dumps(title)}\n    state: {state}\n" + extra
    write_record(site_root, statement_id, front, body)
    return site.document(site.load(statement_id))


# --- the sample statement ---------------------------------------------------------------


@pytest.fixture
def sample(sample_document, site):
    return sample_document, parse(render(sample_document, site))


def test_title_language_and_heading(sample):
    document, root = sample
    s = document.statement
    assert one(root, "//head/title").text == s.title
    assert root.get("lang") == "en" and root.get("dir") == "ltr"
    assert text(one(root, "//article/header/h1")) == s.title
    time = one(root, "//article/header//time")
    assert time.get("datetime") == "2022-02-10"
    assert text(time.getparent()) == common.dateline(s) == "Bangkok, 10 February 2022"
    assert root.xpath("//meta[@name='robots']") == []
    assert root.xpath("//*[contains(@class, 'draft-banner')]") == []
    assert root.xpath("//bdi[@lang] | //*[@lang][not(self::html)]") == []  # all English


def test_body_paragraphs_with_markers(sample):
    document, root = sample
    paragraphs = root.xpath("//article/div[@class='body']/p")
    assert len(paragraphs) == 4
    expected = [inline_text(b.children, footnote_marks=True)
                for b in document.statement.body.blocks]
    assert [p.text_content() for p in paragraphs] == expected
    assert paragraphs[0].text_content().startswith("We, the undersigned organisations")


def test_footnotes_link_their_urls_and_markers_go_both_ways(sample):
    document, root = sample
    notes = one(root, "//section[@role='doc-endnotes']")
    assert text(one(notes, "h2")) == common.FOOTNOTES_HEADING
    assert one(notes, "@aria-labelledby") == one(notes, "h2").get("id")
    items = notes.xpath("ol/li")
    assert len(items) == 6
    footnotes = document.statement.footnotes
    for li, note in zip(items, footnotes, strict=True):
        assert li.get("id") == f"fn-{note.number}"
        links = [a.get("href") for a in li.xpath(".//a[not(@role='doc-backlink')]")]
        assert links == list(note.urls) and links
        # every URL is also the visible text of its link
        assert [text(a) for a in li.xpath(".//a[not(@role)]")] == list(note.urls)
    assert [len(f.urls) for f in footnotes] == [1, 1, 3, 1, 2, 1]
    assert footnotes[1].urls[0].endswith("NewsID=28019&LangID=E")

    markers = root.xpath("//div[@class='body']//sup/a[@role='doc-noteref']")
    assert [m.text for m in markers] == ["1", "2", "3", "4", "5", "6"]
    for marker in markers:
        target = one(root, f"//*[@id='{marker.get('href')[1:]}']")
        assert target.tag == "li" and target.getparent().getparent() is notes
        back = target.xpath(".//a[@role='doc-backlink']")
        assert [b.get("href") for b in back] == [f"#{marker.get('id')}"]
        assert back[0].text == "↩" and back[0].get("aria-label")
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_endorsers_about_and_contacts(sample):
    document, root = sample
    section = one(root, "//section[@aria-labelledby='endorsers-heading']")
    heading = one(section, "h2[@id='endorsers-heading']")
    assert text(heading) == "This joint statement is endorsed by:"
    names = [text(li) for li in section.xpath(".//li")]
    assert len(names) == 19
    assert names == [o.name for o in document.endorsers]
    assert names[0] == "Asian Forum for Human Rights and Development (FORUM-ASIA)"
    assert names[-1] == "Women’s Rehabilitation Centre (WOREC)"

    about = one(root, "//section[@aria-labelledby='about-heading']")
    assert text(one(about, "h2")) == "About FORUM-ASIA:"
    assert text(one(about, "p")) == " ".join(common.about_text(document).split())
    assert "network of 85 member organisations" in text(about)

    # The seed's two contact groups, each under its own heading, as the source has them.
    groups = root.xpath("//section[@class='contacts']")
    assert [text(one(g, "h2")) for g in groups] == [
        common.CONTACTS_HEADING, "For media inquiries, please contact:"]
    assert [[text(li) for li in g.xpath(".//li")] for g in groups] == [
        ["South Asia Programme, FORUM-ASIA"], ["Communications and Media Programme, FORUM-ASIA"]]
    assert root.xpath("//section[@class='contacts']//a") == []  # no e-mail addresses

    order = [el.get("id") or el.get("class") for el in
             root.xpath("//article/header | //article/div | //article/section")]
    assert order == [None, "body", "endorsers", "about", "contacts", "contacts", "footnotes"]


def test_pdf_and_word_links(sample):
    document, root = sample
    nav = one(root, "//nav[@class='formats']")
    hrefs = [a.get("href") for a in nav.xpath(".//a")]
    assert hrefs == [document.links["pdf"], document.links["docx"]]
    assert hrefs == [f"{SAMPLE_ID}.pdf", f"{SAMPLE_ID}.docx"]
    assert [text(a) for a in nav.xpath(".//a")] == ["PDF version", "Word version"]


def test_description_and_open_graph(sample):
    document, root = sample
    description = meta(root, "name", "description")
    assert description == common.description(document)
    assert description.startswith("We, the undersigned organisations")
    url = f"https://www.forum-asia.org/statements/{SAMPLE_ID}/{SAMPLE_ID}.html"
    assert meta(root, "property", "og:title") == document.statement.title
    assert meta(root, "property", "og:description") == description
    assert meta(root, "property", "og:type") == "article"
    assert meta(root, "property", "og:url") == url
    assert meta(root, "property", "article:published_time") == "2022-02-10"
    tags = [m.get("content") for m in root.xpath("//meta[@property='article:tag']")]
    assert tags == common.keywords(document) and "internet shutdowns" in tags


def test_json_ld(sample):
    document, root = sample
    scripts = root.xpath("//script")
    assert len(scripts) == 1 and scripts[0].get("type") == "application/ld+json"
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == document.statement.title
    assert data["datePublished"] == "2022-02-10"
    assert data["inLanguage"] == "en"
    assert data["url"] == meta(root, "property", "og:url")
    assert data["author"] == {"@type": "Organization", "name": common.author(document),
                              "url": "https://www.forum-asia.org"}
    assert data["publisher"]["name"] == document.settings.name
    assert data["keywords"] == common.keywords(document)
    assert [c["name"] for c in data["contributor"]] == [o.name for o in document.endorsers]
    assert "creativeWorkStatus" not in data


def test_page_stands_alone(sample):
    _, root = sample
    assert one(root, "//link[@rel='icon']").get("href") == "data:,"
    styles = root.xpath("//head/style")
    assert [s.get("media") for s in styles] == [None, "print"]
    assert '"Noto Serif", serif' in styles[0].text and "@page { size: A4" in styles[1].text
    assert root.xpath("//img | //iframe | //link[@rel='stylesheet'] | //script[@src]") == []
    assert "@import" not in styles[0].text + styles[1].text
    assert "url(" not in styles[0].text + styles[1].text


# --- hostile and unusual records ------------------------------------------------------------


HOSTILE = "<script>alert(1)</script> {{ 7*7 }} &amp; {% raw %}"


def test_markup_and_template_syntax_in_a_record_come_out_as_text(site, site_root):
    body = f"First {HOSTILE} paragraph.[^x]\n\n[^x]: Note {HOSTILE} <https://example.org/?a=1&b=2>\n"
    document = doc_for(site, site_root, "2024-03-05-hostile", body, title=f"Title {HOSTILE}")
    html = render(document, site)
    root = parse(html)
    assert b"<script>alert" not in html and b"49" not in html
    assert len(root.xpath("//script")) == 1  # only the JSON-LD
    title = document.statement.title
    assert "<script>" in title and "&amp;" in title  # YAML keeps it literally
    assert one(root, "//title").text == title
    assert text(one(root, "//h1")) == " ".join(title.split())
    assert meta(root, "property", "og:title") == title
    paragraph = document.statement.body.blocks[0]
    assert one(root, "//div[@class='body']/p").text_content() == inline_text(
        paragraph.children, footnote_marks=True)
    assert "<script>alert(1)</script> {{ 7*7 }}" in paragraph.children[0].text
    note = one(root, "//li[@id='fn-1']")
    assert "<script>alert(1)</script> {{ 7*7 }}" in text(note)
    assert [a.get("href") for a in note.xpath(".//a[not(@role)]")] == [
        "https://example.org/?a=1&b=2"]
    data = json.loads(one(root, "//script").text)
    assert data["headline"] == title  # "</script>" inside JSON-LD did not end the element


def test_one_footnote_cited_twice_gets_two_markers_and_two_back_links(site, site_root):
    body = "One[^a] and two[^b] and one again[^a].\n\n[^a]: <https://example.org/a>\n" \
           "[^b]: Plain note.\n"
    root = parse(render(doc_for(site, site_root, "2024-03-05-twice", body), site))
    markers = root.xpath("//sup/a[@role='doc-noteref']")
    assert [(m.text, m.get("href"), m.get("id")) for m in markers] == [
        ("1", "#fn-1", "fnref-1"), ("2", "#fn-2", "fnref-2"), ("1", "#fn-1", "fnref-1-2")]
    back = one(root, "//li[@id='fn-1']").xpath(".//a[@role='doc-backlink']")
    assert [b.get("href") for b in back] == ["#fnref-1", "#fnref-1-2"]
    labels = [b.get("aria-label") for b in back]
    assert len(set(labels)) == 2
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_headings_lists_quotes_and_inline_styles(site, site_root):
    body = textwrap.dedent("""\
        # Background

        Some *emphasis*, **strong**, `code` and a [link](https://example.org/x).

        ### Detail

        1. first
        2. second

        - bullet

        > quoted
        """)
    document = doc_for(site, site_root, "2024-03-05-blocks", body)
    root = parse(render(document, site))
    content = one(root, "//div[@class='body']")
    assert [(el.tag, text(el)) for el in content.xpath("h2|h3|h4")] == [
        ("h2", "Background"), ("h4", "Detail")]  # shifted under the page's h1, gaps kept
    assert [h.level for h in document.statement.body.blocks if isinstance(h, Heading)] == [1, 3]
    p = one(content, "p[em]")
    assert [(el.tag, el.text) for el in p] == [
        ("em", "emphasis"), ("strong", "strong"), ("code", "code"), ("a", "link")]
    assert one(p, "a").get("href") == "https://example.org/x" and one(p, "a").get("class") is None
    assert [text(li) for li in content.xpath("ol/li")] == ["first", "second"]
    assert [text(li) for li in content.xpath("ul/li")] == ["bullet"]
    assert text(one(content, "blockquote/p")) == "quoted"


def test_contacts_with_e_mail_are_mailto_links(site, site_root):
    extra = "    contacts:\n      - {label: Press desk, email: press@example.org}\n" \
            "      - {label: Programme}\n"
    document = doc_for(site, site_root, "2024-03-05-contacts", "Text.\n", extra=extra)
    root = parse(render(document, site))
    items = root.xpath("//section[@aria-labelledby='contacts-heading']//li")
    assert [text(li) for li in items] == ["Press desk, press@example.org", "Programme"]
    assert [a.get("href") for a in items[0].xpath("a")] == ["mailto:press@example.org"]


def test_draft_is_marked_everywhere(site, site_root):
    document = doc_for(site, site_root, "2024-03-05-draft", "Text.\n", state="pending")
    assert document.draft
    root = parse(render(document, site))
    assert one(root, "//title").text == "DRAFT: A test statement"
    assert meta(root, "property", "og:title") == "DRAFT: A test statement"
    assert meta(root, "name", "robots") == "noindex"
    banner = one(root, "//main/*[contains(@class, 'draft-banner')]")
    assert text(banner) == "DRAFT — not for publication"
    assert text(one(root, "//h1")) == "A test statement"
    assert json.loads(one(root, "//script").text)["creativeWorkStatus"] == "Draft"


def test_preview_of_a_published_statement_is_a_draft(sample_document, site):
    published = parse(render(sample_document, site))
    preview = parse(render(dataclasses.replace(sample_document, preview=True), site))
    assert one(published, "//title").text == sample_document.statement.title
    assert one(preview, "//title").text == f"DRAFT: {sample_document.statement.title}"
    assert published.xpath("//meta[@name='robots']") == []
    assert meta(preview, "name", "robots") == "noindex"
    assert len(preview.xpath("//*[contains(@class, 'draft-banner')]")) == 1


# --- determinism ---------------------------------------------------------------------------


def test_byte_identical_twice_and_across_processes(sample_document, site, site_root):
    first = render(sample_document, site)
    assert render(sample_document, site) == first
    program = textwrap.dedent(f"""\
        import sys
        from pathlib import Path
        from pressroom.site import load_site
        from pressroom.render.html import render_html
        site = load_site(Path({str(site_root)!r}))
        sys.stdout.buffer.write(render_html(site.document(site.load({SAMPLE_ID!r})),
                                            site.templates_dir))
        """)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", program], capture_output=True, check=True,
                           env=env, timeout=120).stdout
    assert other == first


def test_environment_is_built_once_per_templates_folder(site):
    html_dir = (site.templates_dir / "html").resolve()
    assert _environment(html_dir) is _environment(html_dir)


def test_golden_sample(sample_document, site):
    html = render(sample_document, site)
    if os.environ.get(UPDATE_GOLDEN) == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        atomic_write(GOLDEN, html)
    assert GOLDEN.is_file(), f"no {GOLDEN}; make it with {UPDATE_GOLDEN}=1 pytest {__file__}"
    assert html == GOLDEN.read_bytes(), (
        f"the sample's page differs from {GOLDEN}. If the change is intended, review "
        f"`git diff` after regenerating it with: {UPDATE_GOLDEN}=1 .venv/bin/python -m pytest "
        f"tests/test_render_html.py -k golden")


# --- template errors -------------------------------------------------------------------------


@pytest.fixture
def own_templates(site, tmp_path) -> Path:
    dest = tmp_path / "templates"
    for sub in ("html", "css"):
        shutil.copytree(site.templates_dir / sub, dest / sub)
    return dest


def test_template_syntax_error_names_file_and_line(sample_document, own_templates):
    partial = own_templates / "html" / "_sections.html.j2"
    lines = partial.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "{% if %}")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render_html(sample_document, own_templates)
    message = str(caught.value)
    assert f"{partial.resolve()}:4:" in message and "template error" in message


def test_template_runtime_error_names_file_and_line(sample_document, own_templates):
    partial = own_templates / "html" / "_meta.html.j2"
    lines = partial.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "{{ page.no_such_field }}")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render_html(sample_document, own_templates)
    message = str(caught.value)
    assert f"{partial.resolve()}:2:" in message and "no_such_field" in message


def test_missing_stylesheet_is_a_render_error_naming_it(sample_document, own_templates):
    (own_templates / "css" / "print.css").unlink()
    with pytest.raises(RenderError, match=r"css/print\.css: cannot read the stylesheet"):
        render_html(sample_document, own_templates)


def test_missing_templates_folder_is_a_render_error(sample_document, tmp_path):
    with pytest.raises(RenderError, match=r"statement\.html\.j2"):
        render_html(sample_document, tmp_path / "nowhere")


# --- the 13 scripts --------------------------------------------------------------------------


@pytest.fixture
def script_documents(site, site_root):
    docs = []
    for path in SCRIPT_RECORDS:
        shutil.copy2(path, site_root / "statements" / path.name)
        docs.append(site.document(site.load(path.stem)))
    return docs


def test_every_script_gets_its_language_direction_and_font(script_documents, site):
    assert len(script_documents) == 13
    for document in script_documents:
        s = document.statement
        script = script_for(s.language)
        root = parse(render(document, site))
        assert (root.get("lang"), root.get("dir")) == (s.language, script.direction)
        css = root.xpath("//head/style")[0].text
        # the script's own faces first (named, and sized beside Latin), then its family
        stack = css.split("--font-body: ", 1)[1].split(";", 1)[0]
        assert stack.startswith('"Pressroom Script", ' if script.own_faces else f'"{script.font}"')
        assert f'"{script.font}"' in stack
        assert f"--line-height: {script.line_height};" in css
        # the page's headings and labels are in its language where the site has its
        # catalog; else they are English and say so; names are isolated
        for xpath in ("//h2[@id='endorsers-heading']", "//p[@class='kind']", "//time"):
            if document.wording.language == "en":
                assert one(root, xpath + "/bdi").get("lang") == "en", xpath
            else:
                assert root.xpath(xpath + "/bdi") == [], xpath
        about = one(root, "//section[@class='about']/p")
        assert about.get("lang") == "en"
        # aligned with the page (no dir of its own), its English text isolated
        assert about.get("dir") is None
        assert [b.get("dir") for b in about.xpath("bdi")] == (
            ["ltr"] if script.direction == "rtl" else [])
        names = root.xpath("//section[@class='endorsers']//li")
        assert all(bool(li.xpath("bdi")) == (script.direction == "rtl") for li in names)
        texts = [p.text_content() for p in root.xpath("//div[@class='body']/p")]
        assert texts == [inline_text(b.children, footnote_marks=True)
                         for b in s.body.blocks if isinstance(b, Paragraph)]
    directions = {d.statement.language: script_for(d.statement.language).direction
                  for d in script_documents}
    assert {lang for lang, d in directions.items() if d == "rtl"} == {"ar", "ur"}


# --- real Chromium ------------------------------------------------------------------------------


def check_in_chromium(browser, html: bytes, path: Path, lang: str, direction: str, then=None):
    path.write_bytes(html)
    with browser.open(path.as_uri(), width=360, height=740) as loaded:
        assert loaded.errors == []
        assert loaded.requests[0] == path.as_uri()
        assert [u for u in loaded.requests if not u.startswith(("file:", "data:"))] == []
        assert loaded.evaluate(
            "[document.documentElement.lang, document.documentElement.dir]") == [lang, direction]
        widths = loaded.evaluate("[document.documentElement.scrollWidth,"
                                 " document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"horizontal overflow at 360px: {widths}"
        violations = loaded.axe()
        assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
                                  for v in violations]
        if then:
            then(loaded)


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_sample_in_chromium(chromium, sample_document, site, tmp_path):
    check_in_chromium(chromium, render(sample_document, site), tmp_path / f"{SAMPLE_ID}.html",
                      "en", "ltr")


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_draft_in_chromium(chromium, site, site_root, tmp_path):
    body = "Text with [a link](https://example.org/x)[^1].\n\n[^1]: <https://example.org/n>\n"
    document = doc_for(site, site_root, "2024-03-05-draft", body, state="private")

    def printed(loaded):
        loaded.page.emulate_media(media="print")
        styles = loaded.evaluate("""() => {
            const after = (q) => getComputedStyle(document.querySelector(q), '::after').content;
            return [getComputedStyle(document.querySelector('nav')).display,
                    after('.body a[href^="http"]'), after('.footnotes a.url'),
                    getComputedStyle(document.querySelector('.draft-banner')).display];
        }""")
        # nav hidden; a link's address printed after it, unless its text is the address
        assert styles == ["none", '" <https://example.org/x>"', "none", "block"]

    check_in_chromium(chromium, render(document, site), tmp_path / "draft.html", "en", "ltr",
                      then=printed)


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("record", SCRIPT_RECORDS, ids=lambda p: p.stem.rsplit("-", 1)[-1])
def test_script_page_in_chromium(chromium, record, site, site_root, tmp_path):
    shutil.copy2(record, site_root / "statements" / record.name)
    document = site.document(site.load(record.stem))
    s = document.statement
    check_in_chromium(chromium, render(document, site), tmp_path / f"{s.id}.html",
                      s.language, script_for(s.language).direction)


# --- records past the limits, handed to the renderer all the same --------------------------------


@pytest.mark.parametrize(
    ("title", "body", "where"),
    [("A \\ud800 title", "Text.\n", ": title: contains half of a character (U+D800)"),
     ("Limits", "Text " + "*" * 3_000 + "x" + "*" * 3_000 + ".\n", "")],
    ids=["surrogate", "emphasis-3000"],
)
def test_a_record_the_page_cannot_take_is_named_not_a_traceback(site, title, body, where):
    from pressroom.records import read_record

    path = site.statements_dir / "2024-06-01-limits.md"
    path.write_text(f'---\nid: 2024-06-01-limits\ntype: statement\ntitle: "{title}"\n'
                    f"date: 2024-06-01\nissued_by: forum-asia\n---\n{body}", encoding="utf-8")
    statement, diagnostics = read_record(path, site.organisations)
    assert any(d.is_error for d in diagnostics)  # check refuses it first
    document = site.document(statement)
    if not where:  # the parser keeps the tree within the limits: the page still renders
        assert b"<p>" in render_html(document, site.templates_dir)
        return
    with pytest.raises(RenderError) as caught:
        render_html(document, site.templates_dir)
    assert str(caught.value).startswith(f"{path}{where}")
    assert ".j2" not in str(caught.value)
