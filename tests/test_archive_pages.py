"""The archive's own pages, built from a site of several statements: the sample, a statement
and its Thai translation, one with an old address that had a query, one withdrawn, one under
embargo and one private draft. The index by year, countries and topics, the Atom feed read by
feedparser (and byte-identical when built again), the sitemap against the sitemaps.org
schema, the search index, redirects from old addresses, updating output/ (stale files
removed, no write through a link); and (slow) every page in headless Chromium with axe-core
at desktop and phone width, and the search used offline in the browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
import xmlschema

from conftest import FIXTURES, SAMPLE_ID, copy_site
from pressroom.archive import ARCHIVE_MANIFEST, archive_pages, public_entries, update_archive
from pressroom.fileio import UnsafePathError
from pressroom.people import acting
from pressroom.site import load_site
from pressroom.workflow import Workflow
from test_workflow import CHEN, run, with_logins

THAI = "2024-05-01-thailand-lese-majeste"
THAI_TH = "2024-05-01-thailand-lese-majeste-th"
SRI_LANKA = "2021-06-30-sri-lanka-terrorism-act"
WITHDRAWN = "2023-11-20-myanmar-withdrawn"
EMBARGOED = "2025-03-01-nepal-embargoed"
DRAFT = "2024-01-15-nepal-draft"
SCHEMA = FIXTURES / "sitemap" / "sitemap.xsd"
OLD = "https://old.example.org"

RECORDS = {
    THAI: ("""\
        type: joint-statement
        title: "Thailand: Drop the lèse-majesté charges against student activists"
        date: 2024-05-01
        language: en
        countries: [Thailand]
        topics: [freedom of expression, Lèse-majesté]
        issued_by: forum-asia
        endorsers: [forum-asia, arf]
        source_url: "https://old.example.org/2024/05/thailand-lese-majeste/"
        state: published
        """, "We call for the charges under the zephyrine provisions to be dropped.\n"),
    THAI_TH: ("""\
        title: "ประเทศไทย: ยกเลิกข้อหาหมิ่นประมาทกษัตริย์ต่อนักกิจกรรมนักศึกษา"
        language: th
        translation_of: 2024-05-01-thailand-lese-majeste
        state: published
        """, "เราเรียกร้องให้ยกเลิกข้อหาทั้งหมดต่อนักกิจกรรมนักศึกษา\n"),
    SRI_LANKA: ("""\
        type: statement
        title: "Sri Lanka: Repeal the Prevention of Terrorism Act"
        date: 2021-06-30
        language: en
        countries: [Sri Lanka]
        topics: [counter-terrorism]
        issued_by: forum-asia
        endorsers: [forum-asia, awam]
        source_url: "https://old.example.org/pressrelease.php?perm=318&lang=en"
        corrections:
          - {date: 2021-07-02, text: "The date of the hearing is corrected."}
        state: published
        """, "The Act has been used to detain people for years without charge.\n"),
    WITHDRAWN: ("""\
        type: statement
        title: "Myanmar: A statement later withdrawn"
        date: 2023-11-20
        language: en
        countries: [Myanmar]
        topics: [quokkatopic]
        issued_by: forum-asia
        endorsers: [forum-asia]
        source_url: "https://old.example.org/statements/myanmar-withdrawn"
        state: published
        """, "This text mentions quokkaword, and was withdrawn.\n"),
    EMBARGOED: ("""\
        type: press-release
        title: "Nepal: A press release under embargo"
        date: 2025-03-01
        language: en
        countries: [Nepal]
        topics: [embargotopic]
        issued_by: forum-asia
        endorsers: [forum-asia]
        embargo: 2099-01-01T09:00:00+07:00
        state: published
        """, "Nothing of embargoword may be public before its time.\n"),
    DRAFT: ("""\
        type: statement
        title: "Nepal: A private draft"
        date: 2024-01-15
        language: en
        countries: [Nepal]
        topics: [drafttopic]
        issued_by: forum-asia
        endorsers: [forum-asia]
        state: private
        """, "A draft with draftonlyword in it.\n"),
}
PUBLIC = [THAI, THAI_TH, SAMPLE_ID, SRI_LANKA]  # newest first (by id on one day)
LISTED = [THAI, SAMPLE_ID, SRI_LANKA]  # a translation is listed under its original
HIDDEN_WORDS = ("quokkaword", "quokkatopic", "embargoword", "embargotopic", "draftonlyword",
                "drafttopic", WITHDRAWN, EMBARGOED, DRAFT)


def write_records(root: Path) -> None:
    for sid, (front, body) in RECORDS.items():
        text = f"---\nid: {sid}\n{textwrap.dedent(front)}---\n{body}"
        (root / "statements" / f"{sid}.md").write_text(text, encoding="utf-8")


def make_archive_site(dest: Path) -> Path:
    """The sample site with the records above: the published ones adopted (stored as
    published versions), WITHDRAWN retracted (its tombstone in output/), the sample
    published into output/."""
    root = copy_site(dest)
    write_records(root)
    site = load_site(root)
    flow = Workflow(site)
    for sid, (front, _) in RECORDS.items():
        if "state: published" in front:
            flow.perform(acting(site.settings), sid, "adopt", rules=False)
    with_logins(root)
    run(root, CHEN, "publish", SAMPLE_ID, "--direct")
    run(root, CHEN, "workflow", WITHDRAWN, "retract", "--comment", "withdrawn for a test")
    return root


@pytest.fixture
def archive_root(tmp_path) -> Path:
    root = make_archive_site(tmp_path / "site")
    update_archive(load_site(root))
    return root


def out(root: Path, rel: str) -> bytes:
    return (root / "output" / rel).read_bytes()


def page(root: Path, rel: str):
    return lxml.html.fromstring(out(root, rel))


def listed_ids(tree) -> list[str]:
    return [a.get("href").split("/")[-1].removesuffix(".html")
            for a in tree.xpath("//ul[@class='statements']/li/a")]


# --- what is public ------------------------------------------------------------------------


def test_the_public_set_is_what_the_store_serves(archive_root):
    entries, problems = public_entries(load_site(archive_root))
    assert problems == []
    assert [e.id for e in entries if not e.withdrawn] == PUBLIC
    assert [e.id for e in entries if e.withdrawn] == [WITHDRAWN]


def test_an_edit_not_yet_republished_leaves_the_published_version_listed(archive_root):
    record = archive_root / "statements" / f"{THAI}.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "Drop the lèse-majesté", "EDITED TITLE"), encoding="utf-8")
    files = archive_pages(load_site(archive_root), public_entries(load_site(archive_root))[0])
    assert b"EDITED TITLE" not in files["index.html"]
    assert "Drop the lèse-majesté".encode() in files["index.html"]


def test_kept_statements_give_the_same_pages_as_parsing_every_version(archive_root,
                                                                     monkeypatch):
    from pressroom import keptstatements as kept_module

    site = load_site(archive_root)
    kept_file = site.runs_dir / kept_module.ENTRIES_CACHE
    assert kept_file.is_file()  # the fixture's update_archive kept them
    parsed = public_entries(site, kept=False)
    files = archive_pages(site, parsed[0])
    calls = []
    real = kept_module.statement_from_bytes
    monkeypatch.setattr(kept_module, "statement_from_bytes",
                        lambda *a: calls.append(a[1]) or real(*a))
    kept = public_entries(site)
    assert calls == [] and kept == parsed and archive_pages(site, kept[0]) == files
    for damage in (b"", b"{not json", b'{"stamp": 1}',
                   kept_file.read_bytes().replace(b'"kind":"paragraph"', b'"kind":"para"')):
        kept_file.write_bytes(damage)
        assert public_entries(site) == parsed  # parsed again, without a word
        assert json.loads(kept_file.read_bytes())["statements"]  # and kept again
    # Each time, every published version again (the embargoed one's too: its embargo is
    # read from it), once.
    assert len(calls) == 4 * len(set(calls)) and len(set(calls)) > len(parsed[0])


def test_only_a_changed_version_is_parsed_again(archive_root, monkeypatch):
    from pressroom import keptstatements as kept_module

    site = load_site(archive_root)
    before = public_entries(site)[0]
    record = archive_root / "statements" / f"{THAI}.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "Drop the lèse-majesté", "A REPUBLISHED TITLE"), encoding="utf-8")
    run(archive_root, CHEN, "workflow", THAI, "publish", "--comment", "a new title")
    calls = []
    real = kept_module.statement_from_bytes
    monkeypatch.setattr(kept_module, "statement_from_bytes",
                        lambda *a: calls.append(a[1].stem) or real(*a))
    site = load_site(archive_root)
    after = public_entries(site)
    assert calls == [THAI, THAI_TH]  # and its translation: its shared fields are THAI's
    assert after == public_entries(site, kept=False)
    calls.clear()
    public_entries(load_site(archive_root))
    assert calls == []  # then kept, the translation too, while its original's version holds
    assert {e.id: e.statement.title for e in after[0]}[THAI] != \
        {e.id: e.statement.title for e in before}[THAI]


def test_a_kept_statement_whose_organisation_was_removed_is_parsed_again(archive_root):
    site = load_site(archive_root)
    public_entries(site)
    orgs = archive_root / "statements" / "organisations.yaml"
    entries = {e.id: e for e in public_entries(site)[0]}
    key = entries[THAI].statement.endorsers[-1]
    text = orgs.read_text(encoding="utf-8")
    start = text.index(f"\n{key}:")
    end = text.find("\n", text.index("\n", start + 1))
    while end != -1 and text[end + 1:end + 2] == " ":
        end = text.find("\n", end + 1)
    orgs.write_text(text[:start] + (text[end:] if end != -1 else "\n"), encoding="utf-8")
    site = load_site(archive_root)
    assert public_entries(site) == public_entries(site, kept=False)
    assert any(p.startswith(f"{THAI}:") for p in public_entries(site)[1])


def test_an_update_with_nothing_changed_makes_no_page_and_a_hand_edit_is_undone(archive_root,
                                                                                monkeypatch):
    from pressroom.archive import build as archive_build

    made = []
    real = archive_build.archive_pages
    monkeypatch.setattr(archive_build, "archive_pages", lambda *a, **k: made.append(1)
                        or real(*a, **k))
    before = update_archive(load_site(archive_root))
    assert made == [] and before.written == () and before.entries == len(PUBLIC)
    index = archive_root / "output" / "index.html"
    built = index.read_bytes()
    index.write_bytes(built.replace(b"<h1", b"<h1 data-edited"))
    again = update_archive(load_site(archive_root))
    assert made == [1] and again.written == ("index.html",) and index.read_bytes() == built


# --- the index, countries and topics ------------------------------------------------------


def test_the_index_lists_the_public_statements_newest_first_by_year(archive_root):
    tree = page(archive_root, "index.html")
    assert [h.text.strip() for h in tree.xpath("//main/section/h2")] == ["2024", "2022", "2021"]
    assert listed_ids(tree) == LISTED
    # The pair is listed once, with its languages, each named in itself.
    (item,) = tree.xpath(f"//ul[@class='statements']/li[a[@href='{THAI}/{THAI}.html']]")
    languages = [(a.get("hreflang"), a.get("lang"), a.text, a.get("href"))
                 for a in item.xpath("ul[@class='languages']/li/a")]
    assert languages == [("en", "en", "English", f"{THAI}/{THAI}.html"),
                         ("th", "th", "ไทย", f"{THAI_TH}/{THAI_TH}.html")]
    for a in tree.xpath("//ul[@class='statements']/li/a"):  # each link leads to its page
        assert a.get("href") == f"{Path(a.get('href')).stem}/{Path(a.get('href')).stem}.html"
    assert tree.xpath("//form[@role='search']/@action") == ["search.html"]


def test_a_page_per_country_and_per_topic(archive_root):
    countries = page(archive_root, "countries/index.html")
    names = [a.text for a in countries.xpath("//ul[@class='terms']/li/a")]
    assert names == ["Kazakhstan", "Sri Lanka", "Thailand"]
    assert listed_ids(page(archive_root, "countries/thailand.html")) == [THAI]
    thailand = page(archive_root, "countries/thailand.html")
    assert all(h.startswith("../") for h in thailand.xpath("//ul[@class='statements']//a/@href"))
    topics = {a.text: a.get("href")
              for a in page(archive_root, "topics/index.html").xpath("//ul[@class='terms']//a")}
    assert topics["Lèse-majesté"] == "lese-majeste.html"
    assert listed_ids(page(archive_root, "topics/freedom-of-expression.html")) == [
        THAI, SAMPLE_ID]


def test_drafts_embargoed_and_withdrawn_statements_appear_in_no_list_feed_or_search(
        archive_root):
    lists = [p for p in (archive_root / "output").rglob("*")
             if p.is_file() and p.suffix in (".html", ".json", ".atom", ".xml")
             and p.parts[-2] in ("output", "countries", "topics")]
    assert len(lists) >= 10
    for path in lists:
        text = path.read_text(encoding="utf-8")
        for word in HIDDEN_WORDS:
            assert word not in text, f"{word} in {path}"
    assert not (archive_root / "output" / "countries" / "nepal.html").exists()
    assert not (archive_root / "output" / "countries" / "myanmar.html").exists()
    # The withdrawn statement keeps its tombstone, and its old address leads there.
    assert "withdrawn on" in out(archive_root, f"{WITHDRAWN}/{WITHDRAWN}.html").decode()
    moved = page(archive_root, "statements/myanmar-withdrawn/index.html")
    assert moved.xpath("//meta[@http-equiv='refresh']/@content") == [
        f"0; url=../../{WITHDRAWN}/{WITHDRAWN}.html"]


def test_the_statement_page_links_back_to_the_archive_and_a_draft_does_not(archive_root):
    tree = page(archive_root, f"{SAMPLE_ID}/{SAMPLE_ID}.html")
    (link,) = tree.xpath("//nav[@class='archive-link']//a")
    assert link.get("href") == "../index.html" and link.text == "All statements"
    target = (archive_root / "output" / SAMPLE_ID / link.get("href")).resolve()
    assert target == (archive_root / "output" / "index.html").resolve() and target.is_file()
    tomb = page(archive_root, f"{WITHDRAWN}/{WITHDRAWN}.html")
    assert tomb.xpath("//nav[@class='archive-link']//a/@href") == ["../index.html"]
    run(archive_root, CHEN, "publish", SAMPLE_ID, "--direct", "--draft")
    draft = lxml.html.fromstring((archive_root / "drafts" / SAMPLE_ID /
                                  f"{SAMPLE_ID}.html").read_bytes())
    assert draft.xpath("//nav[@class='archive-link']") == []


# --- the feed ------------------------------------------------------------------------------


def test_the_feed_reads_in_a_feed_parser_with_times_from_the_records(archive_root):
    feed = feedparser.parse(out(archive_root, "feed.atom"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    ids = [e.link.rsplit("/", 1)[1].removesuffix(".html") for e in feed.entries]
    assert ids == [THAI_TH, THAI, SAMPLE_ID, SRI_LANKA]  # each language is an entry
    assert feed.feed.updated == "2024-05-01T00:00:00+00:00"
    sri = feed.entries[ids.index(SRI_LANKA)]
    assert sri.updated == "2021-07-02T00:00:00+00:00"  # its correction's date
    assert sri.published == "2021-06-30T00:00:00+00:00"
    assert sri.link == f"https://www.forum-asia.org/statements/{SRI_LANKA}/{SRI_LANKA}.html"
    thai = feed.entries[ids.index(THAI)]
    assert [t.label for t in thai.tags] == ["freedom of expression", "Lèse-majesté"]
    assert "zephyrine" in thai.summary
    assert feed.feed.links[0].href.endswith("/feed.atom")


def test_a_character_xml_cannot_hold_is_dropped_from_the_feed_not_fatal(archive_root):
    from dataclasses import replace

    from pressroom.archive.feed import atom_feed

    site = load_site(archive_root)
    entries = public_entries(site)[0]
    s = replace(entries[0].statement, title="Form\x0cfeed \ud800and\x00 more")
    entries[0] = replace(entries[0], document=replace(entries[0].document, statement=s))
    feed = feedparser.parse(atom_feed(site, entries))
    assert feed.bozo == 0 and "Formfeed and more" in [e.title for e in feed.entries]


BUILD_AGAIN = """
import sys
from pressroom.archive import archive_pages, public_entries
from pressroom.site import load_site
site = load_site(sys.argv[1])
files = archive_pages(site, public_entries(site)[0])
sys.stdout.buffer.write(files[sys.argv[2]])
"""


def test_the_feed_sitemap_and_pages_are_byte_identical_when_built_again(archive_root):
    site = load_site(archive_root)
    first = archive_pages(site, public_entries(site)[0])
    time.sleep(1.1)  # a clock in seconds would show
    assert archive_pages(site, public_entries(site)[0]) == first
    for name in ("feed.atom", "sitemap.xml", "index.html"):
        other = subprocess.run([sys.executable, "-c", BUILD_AGAIN, str(archive_root), name],
                               capture_output=True, check=True, timeout=120).stdout
        assert other == first[name] == out(archive_root, name), name
    again = update_archive(site)
    assert again.written == () and again.removed == ()


# --- the sitemap ---------------------------------------------------------------------------


def test_the_sitemap_is_valid_against_the_sitemaps_schema(archive_root):
    schema = xmlschema.XMLSchema(str(SCHEMA))
    data = out(archive_root, "sitemap.xml")
    schema.validate(lxml.etree.fromstring(data))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    tree = lxml.etree.fromstring(data)
    locs = tree.xpath("//s:loc/text()", namespaces=ns)
    base = "https://www.forum-asia.org/statements/"
    assert base + "index.html" in locs and base + "countries/thailand.html" in locs
    assert {f"{base}{s}/{s}.html" for s in PUBLIC} <= set(locs)
    assert not [loc for loc in locs if WITHDRAWN in loc or EMBARGOED in loc or DRAFT in loc]
    for sid in (THAI, THAI_TH):  # each of the pair names both, itself included
        url = tree.xpath(f"//s:url[s:loc='{base}{sid}/{sid}.html']", namespaces=ns)[0]
        alternates = {link.get("hreflang"): link.get("href")
                      for link in url.xpath("x:link", namespaces=ns)}
        assert alternates == {"en": f"{base}{THAI}/{THAI}.html",
                              "th": f"{base}{THAI_TH}/{THAI_TH}.html",
                              "x-default": f"{base}{THAI}/{THAI}.html"}
    sample = tree.xpath(f"//s:url[s:loc='{base}{SAMPLE_ID}/{SAMPLE_ID}.html']", namespaces=ns)
    assert sample[0].xpath("x:link", namespaces=ns) == []
    assert sample[0].xpath("s:lastmod/text()", namespaces=ns) == ["2022-02-10"]


def test_the_schema_refuses_a_broken_sitemap(archive_root):
    schema = xmlschema.XMLSchema(str(SCHEMA))
    data = out(archive_root, "sitemap.xml").replace(b"<lastmod>2022-02-10",
                                                     b"<lastmod>10 February 2022", 1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(lxml.etree.fromstring(data))
    data = out(archive_root, "sitemap.xml").replace(b'hreflang="th"', b'hreflang="th th"')
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(lxml.etree.fromstring(data))


# --- search --------------------------------------------------------------------------------


def test_the_search_index_holds_what_the_search_finds(archive_root):
    index = json.loads(out(archive_root, "search-index.json"))
    by_id = {s["id"]: s for s in index["statements"]}
    assert list(by_id) == PUBLIC
    thai = by_id[THAI]
    assert thai["url"] == f"{THAI}/{THAI}.html" and thai["date"] == "2024-05-01"
    assert thai["countries"] == ["Thailand"]
    assert thai["topics"] == ["freedom of expression", "Lèse-majesté"]
    assert thai["endorsers"][0].startswith("Asian Forum for Human Rights")
    assert "zephyrine provisions" in thai["text"]
    assert "https://www.bbc.com/news/world-asia-59907235" in by_id[SAMPLE_ID]["text"]
    assert by_id[THAI_TH]["lang"] == "th"
    search = page(archive_root, "search.html")
    assert search.xpath("//script/@src") == ["search.js"]
    assert search.xpath("//script/@data-index") == ["search-index.json"]
    assert b"fetch(indexUrl)" in out(archive_root, "search.js")


# --- redirects from old addresses ----------------------------------------------------------


def test_old_addresses_get_a_page_and_a_line_in_the_map_files(archive_root):
    rel = "2024/05/thailand-lese-majeste/index.html"
    moved = page(archive_root, rel)
    canonical = f"https://www.forum-asia.org/statements/{THAI}/{THAI}.html"
    assert moved.xpath("//link[@rel='canonical']/@href") == [canonical]
    (refresh,) = moved.xpath("//meta[@http-equiv='refresh']/@content")
    target = refresh.removeprefix("0; url=")
    assert target == f"../../../{THAI}/{THAI}.html"
    assert moved.xpath("//main//a/@href") == [target]
    assert moved.xpath("//meta[@name='robots']/@content") == ["noindex"]
    nginx = out(archive_root, "redirects/nginx.map").decode()
    assert f'"/2024/05/thailand-lese-majeste/" "/statements/{THAI}/{THAI}.html";' in nginx
    # An address with a query cannot be a file: in the maps only.
    assert (f'"/pressrelease.php?perm=318&lang=en" "/statements/{SRI_LANKA}/{SRI_LANKA}.html";'
            in nginx)
    apache = out(archive_root, "redirects/apache.map").decode()
    assert f"/2024/05/thailand-lese-majeste/ /statements/{THAI}/{THAI}.html" in apache
    assert f"/statements/myanmar-withdrawn /statements/{WITHDRAWN}/{WITHDRAWN}.html" in apache
    assert not (archive_root / "output" / "pressrelease.php").exists()


def test_an_old_address_never_leaves_output_nor_lands_in_a_statement_folder(archive_root):
    from dataclasses import replace

    from pressroom.archive.redirects import plan_redirects

    entries = public_entries(load_site(archive_root))[0]
    thai = next(e for e in entries if e.id == THAI)

    def moved(url):
        s = replace(thai.statement, source_url=url)
        return replace(thai, document=replace(thai.document, statement=s))

    for url in (f"{OLD}/../../etc/passwd", f"{OLD}/a/%2e%2e/%2e%2e/x.html", f"{OLD}/.hidden/x",
                f"{OLD}/{SAMPLE_ID}/old.html", f"{OLD}/index.html", f"{OLD}/countries/x.html",
                f"{OLD}/"):
        redirects, problems = plan_redirects([moved(url)], {SAMPLE_ID})
        assert [r.file for r in redirects] == [None], url
        assert len(problems) == 1 and "no page at its old address" in problems[0]


# --- writing into output/ ------------------------------------------------------------------


def test_the_archive_manifest_names_every_file_and_stale_ones_are_removed(archive_root):
    site = load_site(archive_root)
    manifest = json.loads(out(archive_root, ARCHIVE_MANIFEST))["files"]
    assert "countries/thailand.html" in manifest and "feed.atom" in manifest
    assert "2024/05/thailand-lese-majeste/index.html" in manifest
    entries = [e for e in public_entries(site)[0] if e.id not in (THAI, THAI_TH)]
    # A file the archive wrote and somebody changed since is left, and said so.
    (archive_root / "output" / "topics" / "lese-majeste.html").write_text("mine", "utf-8")
    done = update_archive(site, entries)
    assert "countries/thailand.html" in done.removed
    assert "2024/05/thailand-lese-majeste/index.html" in done.removed
    assert not (archive_root / "output" / "countries" / "thailand.html").exists()
    assert not (archive_root / "output" / "2024").exists()  # empty folders go too
    assert (archive_root / "output" / "topics" / "lese-majeste.html").read_text() == "mine"
    assert any("lese-majeste.html" in p and "changed since" in p for p in done.problems)
    after = json.loads(out(archive_root, ARCHIVE_MANIFEST))["files"]
    assert "countries/thailand.html" not in after
    assert listed_ids(page(archive_root, "index.html")) == [SAMPLE_ID, SRI_LANKA]
    assert (archive_root / "output" / SAMPLE_ID / f"{SAMPLE_ID}.html").is_file()  # not ours


def test_nothing_is_written_through_a_link_in_output(archive_root, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    countries = archive_root / "output" / "countries"
    for p in countries.iterdir():
        p.unlink()
    countries.rmdir()
    countries.symlink_to(elsewhere)
    with pytest.raises(UnsafePathError):
        update_archive(load_site(archive_root))
    assert list(elsewhere.iterdir()) == []


def test_a_retraction_then_an_update_takes_the_statement_out_at_once(archive_root):
    run(archive_root, CHEN, "workflow", THAI, "retract", "--comment", "legal advice")
    update_archive(load_site(archive_root))
    index = json.loads(out(archive_root, "search-index.json"))
    assert THAI not in [s["id"] for s in index["statements"]]
    assert f"{THAI}/{THAI}.html" not in out(archive_root, "feed.atom").decode()
    assert THAI not in listed_ids(page(archive_root, "index.html"))
    moved = page(archive_root, "2024/05/thailand-lese-majeste/index.html")  # to the tombstone
    assert moved.xpath("//main//a/@href") == [f"../../../{THAI}/{THAI}.html"]


# --- in the browser ------------------------------------------------------------------------

PAGES = ["index.html", "countries/index.html", "countries/thailand.html", "topics/index.html",
         "topics/lese-majeste.html", "search.html", f"{SAMPLE_ID}/{SAMPLE_ID}.html",
         f"{WITHDRAWN}/{WITHDRAWN}.html"]
MOVED = "2024/05/thailand-lese-majeste/index.html"


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("width", [1280, 360])
def test_every_archive_page_passes_axe_with_no_request_at_any_width(chromium, archive_root,
                                                                    width):
    for rel in PAGES:
        path = archive_root / "output" / rel
        with chromium.open(path.as_uri(), width=width) as loaded:
            assert loaded.errors == [], rel
            violations = loaded.axe()
            assert violations == [], (rel, [(v["id"], v["help"]) for v in violations])
            assert all(u.startswith(("file:", "data:")) for u in loaded.requests), \
                loaded.requests
            overflow = loaded.evaluate("document.documentElement.scrollWidth - "
                                       "document.documentElement.clientWidth")
            assert overflow <= 0, f"{rel} is {overflow}px wider than {width}px"


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_an_old_address_takes_the_browser_to_the_statement(chromium, archive_root, tmp_path):
    run(archive_root, CHEN, "publish", THAI, "--direct")
    moved = archive_root / "output" / MOVED
    with chromium.open(moved.as_uri()) as loaded:
        loaded.page.wait_for_url(f"**/{THAI}/{THAI}.html")
        assert loaded.page.title().startswith("Thailand: Drop the lèse-majesté")
        assert loaded.errors == []
    # The page itself, as a reader sees it for the moment before the refresh (a copy
    # without the refresh, which would leave before axe could look).
    still = tmp_path / "moved.html"
    still.write_bytes(re.sub(rb'<meta http-equiv="refresh"[^>]*>', b"", moved.read_bytes()))
    with chromium.open(still.as_uri(), width=360) as loaded:
        assert loaded.errors == [] and loaded.axe() == []


@pytest.fixture
def served(archive_root):
    from pressroom.serve import make_server

    server = make_server(load_site(archive_root), 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("width", [1280, 360])
def test_the_search_works_in_the_browser_with_no_request_leaving_the_site(chromium, served,
                                                                          width):
    with chromium.open("about:blank", width=width) as loaded:
        loaded.page.route(f"{served.url}**", lambda route: route.continue_())
        loaded.page.goto(served.url + "search.html", wait_until="load")
        box = loaded.page.get_by_label("Words to find")
        box.fill("zephyrine")
        loaded.page.wait_for_selector("#search-results li a")
        links = loaded.page.locator("#search-results li a")
        assert links.count() == 1
        assert links.first.inner_text().startswith("Thailand: Drop the lèse-majesté")
        assert links.first.get_attribute("href") == f"{served.url}{THAI}/{THAI}.html"
        assert "Statements found for “zephyrine”: 1" in loaded.page.inner_text(
            "#search-status")
        box.fill("freedom expression")  # every word, anywhere: title, topics, text
        loaded.page.wait_for_function(
            "document.querySelectorAll('#search-results li').length === 3")
        box.fill("quokkaword")  # withdrawn: not found
        loaded.page.wait_for_function(
            "document.getElementById('search-status').textContent.endsWith('”: 0')")
        assert loaded.page.locator("#search-results li").count() == 0
        box.fill("ยกเลิกข้อหา")  # Thai text
        loaded.page.wait_for_selector("#search-results li a[lang='th']")
        assert loaded.errors == []
        assert loaded.axe() == []
        asked = [u for u in loaded.requests if u != "about:blank"]
        assert asked and all(u.startswith(served.url) for u in asked), asked
        assert f"{served.url}search-index.json" in asked
    with chromium.open("about:blank", width=width) as loaded:  # from the index's form
        loaded.page.route(f"{served.url}**", lambda route: route.continue_())
        loaded.page.goto(served.url + "index.html", wait_until="load")
        loaded.page.get_by_label("Search the statements").fill("Kazakhstan")
        loaded.page.get_by_role("button", name="Search").click()
        loaded.page.wait_for_selector("#search-results li a")
        assert SAMPLE_ID in loaded.page.locator("#search-results li a").first.get_attribute(
            "href")


# --- the archive in the site's own language ---------------------------------------------------


def thai_site(root: Path) -> Path:
    """The archive site said to be in Thai, with Thai digits and the Buddhist era."""
    config = root / "pressroom.toml"
    text = config.read_text(encoding="utf-8").replace('default_language = "en"',
                                                      'default_language = "th"', 1)
    config.write_text(text + '\n[wording]\nnative_digits = ["th"]\nbuddhist_era = true\n',
                      encoding="utf-8")
    update_archive(load_site(root))
    return root


def test_the_archive_speaks_the_site_s_language(archive_root):
    root = thai_site(archive_root)
    index = page(root, "index.html")
    assert index.get("lang") == "th"
    assert index.xpath("//nav[@class='site-nav']//a/text()") == [
        "แถลงการณ์ทั้งหมด", "ประเทศ", "หัวข้อ", "ค้นหา", "ฟีด Atom"]
    assert index.xpath("//h1/text()") == ["แถลงการณ์"]
    assert index.xpath("//label[@for='q']/text()") == ["ค้นหาแถลงการณ์"]
    # 2024 in the Buddhist era, in Thai digits; the date and the kind of each statement in
    # Thai (its title stays in its own language).
    assert "๒๕๖๗" in index.xpath("//section/h2/text()")[0].strip()
    meta = " ".join(index.xpath("//li[a[contains(@href, '2024-05-01')]]/span[@class='meta']"
                                "//text()"))
    assert "๑ พฤษภาคม พ.ศ. ๒๕๖๗" in meta and "แถลงการณ์ร่วม" in meta, meta
    assert index.xpath(f"//a[contains(@href, '{THAI}.html')]/span/text()")[0].startswith(
        "Thailand: Drop")
    countries = page(root, "countries/thailand.html")
    assert countries.xpath("//p[@class='count']/text()") == ["แถลงการณ์: ๑"]
    search = page(root, "search.html")
    script = search.xpath("//script[@data-found]")[0]
    assert script.get("data-found") == "แถลงการณ์ที่พบสำหรับ “{query}”: {count}"
    index_data = json.loads(out(root, "search-index.json"))
    thai = next(s for s in index_data["statements"] if s["id"] == THAI)
    assert thai["date_text"] == "๑ พฤษภาคม พ.ศ. ๒๕๖๗" and thai["kind"] == "แถลงการณ์ร่วม"
    feed = feedparser.parse(out(root, "feed.atom"))
    assert feed.feed.subtitle.startswith("แถลงการณ์ล่าสุดที่เผยแพร่โดย ")
    # An English site's archive stays in English.
    assert "All statements" not in out(root, "index.html").decode()


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_the_search_answers_in_the_site_s_language_in_the_browser(chromium, archive_root):
    from pressroom.serve import make_server

    root = thai_site(archive_root)
    server = make_server(load_site(root), 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with chromium.open("about:blank", width=360) as loaded:
            loaded.page.route(f"{server.url}**", lambda route: route.continue_())
            loaded.page.goto(server.url + "search.html", wait_until="load")
            loaded.page.get_by_label("คำที่ต้องการค้นหา").fill("zephyrine")
            loaded.page.wait_for_selector("#search-results li a")
            status = loaded.page.inner_text("#search-status")
            assert status == "แถลงการณ์ที่พบสำหรับ “zephyrine”: 1", status
            assert "แถลงการณ์ร่วม" in loaded.page.inner_text("#search-results")
            assert loaded.errors == [] and loaded.axe() == []
    finally:
        server.shutdown()
        server.server_close()
