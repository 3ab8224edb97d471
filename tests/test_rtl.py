"""Right-to-left and complex scripts, right in all three formats: runs of the other direction
isolated (render/bidi.py), blocks aligned with the statement, Burmese weights chosen
explicitly, per-script sizes (render/scripts.py); checked in real Chromium, in the PDF's
text positions and in the Word file's XML."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, SCRIPT_RECORDS
from pressroom.render.bidi import direction, isolate_tree, segments
from pressroom.render.html import render_html
from pressroom.render.scripts import LATIN, SCRIPTS, script_for

RTL_RECORDS = sorted((FIXTURES / "rtl").glob("*.md"))
AR, UR, MY = (FIXTURES / "rtl" / f"2024-06-10-rtl-{lang}.md" for lang in ("ar", "ur", "my"))


def load(site, record: Path):
    shutil.copy2(record, site.statements_dir / record.name)
    return site.document(site.load(record.stem))


# --- the runs: render/bidi.py ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "isolated"), [
    ("نص https://www.forum-asia.org/ نص", ["https://www.forum-asia.org/"]),
    ("اكتبوا إلى press@example.org اليوم", ["press@example.org"]),
    ("المادة Article 19(2) من العهد", ["Article 19(2)"]),
    ("منظمة FORUM-ASIA (2024) وشركاؤها", ["FORUM-ASIA (2024)"]),
    ("على الرقم +66 2 123 4567 أو", ["+66 2 123 4567"]),
    ("عدد 9,900 شخص", []),  # one number: the bidi algorithm keeps it whole
    ("بين 2023 2024 فقط", []),  # two numbers, in the paragraph's order
    ("الهاتف 02 123 4567 الآن", ["02 123 4567"]),
    ("عربي فقط", []),
])
def test_runs_of_the_other_direction_in_right_to_left_text(text, isolated):
    pieces = segments(text, "rtl")
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, d in pieces if d] == isolated
    assert all(d == "ltr" for _, d in pieces if d)


def test_runs_in_left_to_right_text():
    assert segments("The group «حقوق» said (on 3 May).", "ltr") == [
        ("The group «", None), ("حقوق", "rtl"), ("» said (on 3 May).", None)]
    assert segments("See https://example.org/a/ now.", "ltr") == [
        ("See https://example.org/a/ now.", None)]
    assert segments("+66 2 123 4567", "ltr") == [("+66 2 123 4567", None)]


def test_first_strong_direction():
    assert direction("  (FORUM-ASIA)") == "ltr"
    assert direction("«فريق» team") == "rtl"
    assert direction("12/05") is None


def test_isolate_tree_cuts_text_and_marks_address_links():
    tree = [{"kind": "paragraph", "children": [
        {"kind": "text", "text": "نص Article 5 نص"},
        {"kind": "link", "href": "https://x.org/", "children": [{"kind": "text",
                                                               "text": "https://x.org/"}]},
        {"kind": "link", "href": "https://x.org/", "children": [{"kind": "text",
                                                               "text": "رابط"}]}]}]
    isolate_tree(tree, "rtl")
    children = tree[0]["children"]
    assert [c["kind"] for c in children] == ["text", "isolate", "text", "link", "link"]
    assert children[1] == {"kind": "isolate", "dir": "ltr", "text": "Article 5"}
    assert children[3]["dir"] == "ltr" and "dir" not in children[4]


def test_one_size_table():
    assert script_for("ar").size > 1.15 and script_for("th").size > 1
    assert LATIN.size == 1.0 and script_for("ru").size == 1.0
    assert script_for("my").faces == ("Noto Serif Myanmar Regular", "Noto Serif Myanmar Bold")
    assert all(0.8 <= s.size <= 1.5 for s in SCRIPTS.values())


# --- the web page -----------------------------------------------------------------------------


def test_page_isolates_addresses_contacts_and_names(site):
    import lxml.html

    root = lxml.html.fromstring(render_html(load(site, AR), site.templates_dir))
    assert root.get("dir") == "rtl"
    for a in root.xpath("//a[starts-with(@href, 'mailto:')] | //a[@class='url']"):
        assert a.get("dir") == "ltr", a.get("href")
    assert [b.text for b in root.xpath("//div[@class='body']//bdi[@dir='ltr']")] == [
        "Article 19(2)", "+66 2 123 4567", "https://www.example.org/press/",
        "FORUM-ASIA (2024)"]
    labels = root.xpath("//section[@class='contacts']//li/bdi")
    assert [b.text for b in labels] == ["Communications Team, FORUM-ASIA", "فريق الإعلام"]


def test_css_names_the_faces_and_sizes_them(site):
    import lxml.html

    for record, size, faces in ((MY, "100%", ("Noto Serif Myanmar Regular",
                                              "Noto Serif Myanmar Bold")),
                                (AR, "125%", ("Noto Naskh Arabic Regular",
                                              "Noto Naskh Arabic Bold"))):
        css = lxml.html.fromstring(render_html(load(site, record), site.templates_dir)
                                   ).xpath("//head/style")[0].text
        for weight, face in zip((400, 700), faces, strict=True):
            rule = css.split(f'src: local("{face}");')[1].split("}")[0]
            assert f"font-weight: {weight};" in rule and f"size-adjust: {size};" in rule
        assert '--font-body: "Pressroom Script", ' in css
    latin = lxml.html.fromstring(render_html(site.document(site.load(
        "2022-02-10-kazakhstan-crackdown")), site.templates_dir)).xpath("//head/style")[0].text
    assert "@font-face" not in latin


# --- real Chromium ----------------------------------------------------------------------------

# For every address on the page (footnote URLs, body URLs, e-mail links) and every isolated
# run: the x position of each character, line by line, in logical order. Left to right text
# is right when, on each of its lines, x grows with the character's index: the first visible
# character is the address's first, the last its last (no slash jumped to the front).
ADDRESS_ORDER = """() => {
  const found = [];
  const els = document.querySelectorAll('a.url, a[href^="mailto:"], bdi[dir="ltr"]');
  for (const el of els) {
    // every text node inside (an address may be cut by <wbr> and spans for breaking)
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '', node;
    const chars = [];
    while ((node = walker.nextNode())) {
      for (let j = 0; j < node.data.length; j++) {
        const i = text.length + j;
        if (node.data[j] === ' ') continue;
        const range = document.createRange();
        range.setStart(node, j); range.setEnd(node, j + 1);
        const box = range.getClientRects()[0];
        if (box) chars.push({i, x: box.left, y: Math.round(box.top)});
      }
      text += node.data;
    }
    if (!text) continue;
    const lines = {};
    for (const c of chars) (lines[c.y] = lines[c.y] || []).push(c);
    const tops = Object.keys(lines).map(Number).sort((a, b) => a - b);
    const visual = tops.map(t => lines[t].sort((a, b) => a.x - b.x).map(c => c.i));
    found.push({text, visual});
  }
  return found;
}"""


def _page(chromium, html: bytes, path: Path, width: int = 360):
    path.write_bytes(html)
    return chromium.open(path.as_uri(), width=width, height=740)


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("record", [AR, UR], ids=["ar", "ur"])
def test_addresses_read_whole_on_right_to_left_pages(chromium, record, site, tmp_path):
    document = load(site, record)
    with _page(chromium, render_html(document, site.templates_dir),
               tmp_path / "page.html") as loaded:
        found = loaded.evaluate(ADDRESS_ORDER)
        urls = {u for f in document.statement.footnotes for u in f.urls}
        assert urls <= {f["text"] for f in found}
        assert any("@" in f["text"] for f in found)
        for f in found:
            order = [i for line in f["visual"] for i in line]
            assert order == sorted(order), f"{f['text']!r} drawn out of order: {f['visual']}"
            assert f["visual"][0][0] == 0 and f["visual"][-1][-1] == len(f["text"]) - 1
        # A contact reads label, then address: on a right-to-left page the label is on
        # the right and the address on its left, the comma between them.
        # (or, wrapped at 360 px, the label on a line above it).
        placed = loaded.evaluate("""() => [...document.querySelectorAll('.contacts li')].map(
            li => {
              const label = li.querySelector('bdi').getClientRects();
              const address = li.querySelector('a').getClientRects()[0];
              const last = label[label.length - 1];
              return Math.abs(last.top - address.top) < 2 ? last.left >= address.right
                                                          : last.top < address.top;
            })""")
        assert placed and all(placed), placed
        # Every block is aligned with the statement: right to left; and so is the dateline
        # in the page's own words (its catalog's), though it starts with a Latin place name.
        aligned = loaded.evaluate("""() => [...document.querySelectorAll(
            'h1, .dateline, .dateline bdi, h2, .body p, .endorsers li, .contacts li,'
            + ' .footnotes li')].map(el => getComputedStyle(el).direction)""")
        assert set(aligned) == {"rtl"}


def platform_fonts(loaded, selector: str) -> list[dict]:
    """The fonts Chromium drew an element's own text with (DevTools' CSS domain), each with
    its PostScript name and glyph count."""
    cdp = loaded.page.context.new_cdp_session(loaded.page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element {selector}"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_burmese_body_is_drawn_with_the_regular_file(chromium, site, tmp_path):
    with _page(chromium, render_html(load(site, MY), site.templates_dir),
               tmp_path / "my.html") as loaded:
        body = {f["postScriptName"] for f in platform_fonts(loaded, ".body p")}
        assert "NotoSerifMyanmar-Regular" in body and "NotoSerifMyanmar-Bold" not in body
        strong = {f["postScriptName"] for f in platform_fonts(loaded, ".body p strong")}
        assert "NotoSerifMyanmar-Bold" in strong
        title = {f["postScriptName"] for f in platform_fonts(loaded, "h1")}
        assert "NotoSerifMyanmar-Bold" in title and "NotoSerifMyanmar-Regular" not in title
        # and so for the page's other regular and bold text (labels, dateline, headings)
        for selector, weight in ((".kind bdi, .kind", "Regular"), (".dateline", "Regular"),
                                 (".endorsers li", "Regular"), ("h2", "Bold")):
            drawn = {f["postScriptName"] for f in platform_fonts(loaded, selector)
                     if "Myanmar" in f["postScriptName"]}
            assert drawn and all(name.endswith(f"-{weight}") for name in drawn), (selector,
                                                                                 drawn)
        # The ink of the title's tall stacks clears the ink of the label above it: the
        # glyphs' extent from the canvas' measure, placed on the DOM's line boxes.
        kind_bottom, title_top = loaded.evaluate(INK)
        assert title_top - kind_bottom >= 4, (kind_bottom, title_top)


INK = """() => {
  const ink = (el, last) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = range.getClientRects();
    const box = rects[last ? rects.length - 1 : 0];
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = getComputedStyle(el).font;
    const m = ctx.measureText(el.textContent);
    const baseline = box.top + m.fontBoundingBoxAscent;
    return last ? baseline + m.actualBoundingBoxDescent : baseline - m.actualBoundingBoxAscent;
  };
  return [ink(document.querySelector('.kind'), true), ink(document.querySelector('h1'), false)];
}"""


@functools.cache
def cmap_of_postscript(name: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    found = subprocess.run(["fc-list", f":postscriptname={name}", "file"], capture_output=True,
                           text=True, check=True).stdout.split(":")[0].strip()
    assert found, f"fontconfig knows no {name}"
    if found.lower().endswith((".ttc", ".otc")):
        collection = TTCollection(found, lazy=True)
        try:
            font = next(f for f in collection.fonts if f["name"].getDebugName(6) == name)
            return frozenset(font.getBestCmap())
        finally:
            collection.close()
    with TTFont(found, lazy=True) as font:
        return frozenset(font.getBestCmap())


GLYPH_SELECTORS = ("h1", ".body p", ".footnotes li p", ".endorsers li bdi, .endorsers li",
                   ".contacts li")


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("record", [*SCRIPT_RECORDS, *RTL_RECORDS],
                         ids=lambda p: p.stem.removeprefix("2024-"))
def test_every_script_has_its_glyphs_fits_360px_and_passes_axe(chromium, record, site,
                                                                tmp_path):
    document = load(site, record)
    lang = document.statement.language
    with _page(chromium, render_html(document, site.templates_dir),
               tmp_path / "page.html") as loaded:
        assert loaded.errors == []
        assert loaded.evaluate("document.documentElement.lang") == lang
        widths = loaded.evaluate("[document.documentElement.scrollWidth,"
                                 " document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"horizontal overflow at 360px: {widths}"
        for selector in GLYPH_SELECTORS:
            text = loaded.evaluate(f"""() => {{ const el = document.querySelector('{selector}');
                return el ? [...el.childNodes].filter(n => n.nodeType === 3)
                                               .map(n => n.data).join('') : null; }}""")
            if not text:
                continue
            fonts = platform_fonts(loaded, selector)
            covered = frozenset().union(*(cmap_of_postscript(f["postScriptName"])
                                          for f in fonts))
            missing = {c for c in text if not c.isspace() and ord(c) not in covered
                       and not 0x200B <= ord(c) <= 0x200F}
            assert not missing, f"{selector}: no glyph for {sorted(missing)} in {fonts}"
        violations = loaded.axe()
        assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
                                  for v in violations]


# --- the PDF ---------------------------------------------------------------------------------

MARGIN_X = 2.4 / 2.54 * 72  # the template's left and right margins, in points
MARGIN_TOP = 2.6 / 2.54 * 72  # and the bottom one
_CONTROLS = dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def pdf_lines(data: bytes, tmp_path: Path) -> list[tuple[str, float, float]]:
    """(text, space on the left, space on the right) of every line poppler finds between
    the top and bottom margins (which hold the running header and the page number)."""
    from xml.etree import ElementTree

    path = tmp_path / "statement.pdf"
    path.write_bytes(data)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         check=True, timeout=60).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    lines = []
    for page in ElementTree.fromstring(xml).findall(".//x:page", ns):
        width, height = float(page.get("width")), float(page.get("height"))
        for line in page.findall(".//x:line", ns):
            words = line.findall("x:word", ns)
            text = " ".join(w.text or "" for w in words)
            if MARGIN_TOP < float(line.get("yMin")) < height - MARGIN_TOP:
                lines.append((text, float(line.get("xMin")), width - float(line.get("xMax"))))
    return lines


@pytest.mark.slow
def test_pdf_aligns_every_block_with_the_statement(site, tmp_path):
    from pressroom.render.pdf import render_pdf

    arabic = pdf_lines(render_pdf(load(site, AR), site.templates_dir), tmp_path)
    texts = " ".join(t for t, _, _ in arabic)
    for seen in ("Bangkok", "Asian Resource Foundation (ARF)", "Kathmandu",
                 "Communications Team, FORUM-ASIA", "press@example.org", "reports/2024/"):
        assert seen in texts
    # The dateline, headings, endorsers, About, contacts and notes end at the right margin,
    # under the right-aligned title: within a note's indent (1em of 9 pt) and a glyph's
    # overhang; a left-aligned line ends hundreds of points short. (Not the single words
    # poppler cuts off as lines of their own: a footnote's raised number, a mark above a
    # letter.)
    def ragged(lines, side):
        return [(t, round(gap, 1)) for t, *gaps in lines for gap in [gaps[side]]
                if " " in t and not MARGIN_X - 3 < gap
                < MARGIN_X + 10]

    assert ragged(arabic, 1) == []
    english = site.document(site.load("2022-02-10-kazakhstan-crackdown"))
    assert ragged(pdf_lines(render_pdf(english, site.templates_dir), tmp_path), 0) == []


@pytest.mark.slow
@pytest.mark.parametrize("record", [AR, UR], ids=["ar", "ur"])
def test_pdf_addresses_extract_whole_and_in_order(record, site):
    from pressroom.render import pdfcheck
    from pressroom.render.pdf import render_pdf

    document = load(site, record)
    data = render_pdf(document, site.templates_dir)
    assert pdfcheck.notdef_glyphs(data) == []
    text = "".join(page.extract_text() for page in pdfcheck.reader(data).pages)
    flat = "".join(text.split()).translate(_CONTROLS)
    s = document.statement
    texts = [*_body_texts(s), *(c.email or "" for c in s.contacts)]
    addresses = [piece for text in texts for piece, d in segments(text, "rtl")
                 if d and ("/" in piece or "@" in piece)]
    addresses += [u for note in s.footnotes for u in note.urls]
    assert addresses
    at = 0
    for address in addresses:
        found = flat.find(address, at)
        assert found >= 0, f"{address} not whole, or out of order, in {flat[at:at + 300]!r}"
        at = found + len(address)


def _body_texts(statement):
    from pressroom.model import block_texts

    return block_texts(statement.body.blocks)


def drawn_sizes(data: bytes) -> dict[tuple[str, float], str]:
    """(PostScript name, size in points) -> the text drawn so, in the PDF's order."""
    from pressroom.render import pdfcheck

    drawn: dict[tuple[str, float], str] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            key = (font["/BaseFont"].split("+")[-1], round(size * tm[0], 2))
            drawn[key] = drawn.get(key, "") + text

    for page in pdfcheck.reader(data).pages:
        page.extract_text(visitor_text=visit)
    return drawn


@pytest.mark.slow
def test_pdf_burmese_title_bold_body_regular(site):
    from pressroom.render.pdf import render_pdf

    document = load(site, MY)
    drawn = drawn_sizes(render_pdf(document, site.templates_dir))
    by_font: dict[str, set[float]] = {}
    for font, size in drawn:
        by_font.setdefault(font, set()).add(size)
    assert 11.0 in by_font["NotoSerifMyanmar-Regular"]  # the body
    title = max(by_font["NotoSerifMyanmar-Bold"])  # the title: the largest type
    assert title > 14 and title not in by_font["NotoSerifMyanmar-Regular"]
    # **...** in the body is bold too (Burmese extracts scrambled: its first letter will do)
    assert drawn[("NotoSerifMyanmar-Bold", 11.0)].startswith("ဤ")


@pytest.mark.slow
def test_pdf_sets_arabic_letters_larger_than_latin_ones(site):
    from pressroom.render.pdf import render_pdf

    drawn = drawn_sizes(render_pdf(load(site, AR), site.templates_dir))
    factor = script_for("ar").size
    arabic = drawn[("NotoNaskhArabic-Regular", round(11 * factor, 2))]
    assert len(arabic) > 200 and all(not c.isascii() or c.isspace() for c in arabic)
    latin = drawn[("NotoSerif-Regular", 11.0)]
    assert "Article" in latin and "FORUM-ASIA" in latin


# --- the Word file ---------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LRM = "\u200e"


def docx_parts(data: bytes) -> dict[str, object]:
    import io
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def test_word_paragraphs_are_right_to_left_and_addresses_left_to_right(site):
    from pressroom.render.docx import render_docx

    document = load(site, AR)
    parts = docx_parts(render_docx(document, site.templates_dir))
    stories = [parts[n] for n in ("word/document.xml", "word/footnotes.xml")]
    stories += [x for n, x in parts.items() if n.startswith(("word/header", "word/footer"))]
    paragraphs = [p for story in stories for p in story.iter(f"{W}p")
                  if "".join(p.itertext()).strip()]
    assert len(paragraphs) > 15
    # Every block follows the statement: body, title, dateline, endorsers, About, contacts,
    # notes, header and footer.
    assert [p for p in paragraphs if p.find(f"{W}pPr/{W}bidi") is None] == []
    # A run's text; a link's runs as one (an address's hyphens are runs of their own).
    runs = [(r.findtext(f"{W}t"), r.find(f"{W}rPr/{W}rtl") is not None)
            for p in paragraphs for r in p.iter(f"{W}r") if r.findtext(f"{W}t")
            and r.getparent().tag != f"{W}hyperlink"]
    runs += [("".join(t.text or "-" for t in link.iter(f"{W}t", f"{W}noBreakHyphen")),
              any(r.find(f"{W}rPr/{W}rtl") is not None for r in link.iter(f"{W}r")))
             for p in paragraphs for link in p.iter(f"{W}hyperlink")]
    # A left-to-right run stands between two LEFT-TO-RIGHT MARKs, for LibreOffice
    texts = {t.strip(LRM): rtl for t, rtl in runs if t.startswith(LRM) and t.endswith(LRM)}
    assert all(not rtl for rtl in texts.values())
    s = document.statement
    addresses = ([u for note in s.footnotes for u in note.urls]
                 + [c.email for c in s.contacts if c.email]
                 + ["https://www.example.org/press/", "+66 2 123 4567", "Article 19(2)",
                    "FORUM-ASIA (2024)", "Communications Team, FORUM-ASIA"])
    for address in addresses:  # each a run of its own, left to right
        assert texts.get(address) is False, (address, [r for r in runs if address in r[0]])
    arabic = [(t, rtl) for t, rtl in runs if direction(t) == "rtl"]
    assert arabic and all(rtl for _, rtl in arabic)
    # Arabic letters sized beside Latin ones: every complex-script size is 1.25 times the
    # Latin size of its style.
    sizes = [(rpr.find(f"{W}sz").get(f"{W}val"), rpr.find(f"{W}szCs").get(f"{W}val"))
             for rpr in parts["word/styles.xml"].iter(f"{W}rPr") if rpr.find(f"{W}sz") is not None]
    assert sizes and all(int(cs) == round(int(sz) * script_for("ar").size) for sz, cs in sizes)


def test_word_keeps_sizes_of_scripts_that_read_as_latin_does(site):
    import zipfile

    from lxml import etree

    from conftest import REPO
    from pressroom.render.docx import render_docx

    def complex_sizes(styles) -> list[str]:
        return [e.get(f"{W}val") for e in styles.iter(f"{W}szCs")]

    with zipfile.ZipFile(REPO / "templates" / "word" / "reference.docx") as z:
        reference = complex_sizes(etree.fromstring(z.read("word/styles.xml")))
    assert script_for("my").size == 1.0
    parts = docx_parts(render_docx(load(site, MY), site.templates_dir))
    assert complex_sizes(parts["word/styles.xml"]) == reference


# Where each line of an element's first text starts, and the word boundaries of the
# language's dictionary (Intl.Segmenter: ICU, as Chromium's line breaker).
LINE_STARTS = """(lang) => {
  const node = document.querySelector('.body p').firstChild;
  const starts = [];
  let top = null;
  for (let i = 0; i < node.data.length; i++) {
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    const box = range.getClientRects()[0];
    if (!box || /\\s/.test(node.data[i])) continue;
    if (top !== null && box.top > top + 2) starts.push(i);
    top = box.top;
  }
  const words = [...new Intl.Segmenter(lang, {granularity: 'word'}).segment(node.data)]
    .map(s => s.index);
  return [starts, words, document.querySelector('.body p').lang ||
          document.documentElement.lang];
}"""


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
@pytest.mark.parametrize("lang", ["th", "km"])
def test_thai_and_khmer_lines_break_between_words(chromium, lang, site, tmp_path):
    record = next(p for p in SCRIPT_RECORDS if p.stem.endswith(f"-{lang}"))
    with _page(chromium, render_html(load(site, record), site.templates_dir),
               tmp_path / "page.html") as loaded:
        starts, words, declared = loaded.evaluate(f"() => ({LINE_STARTS})('{lang}')")
        assert declared == lang
        assert len(starts) >= 3, "the paragraph should wrap at 360 px"
        # every line starts where the dictionary says a word starts, never inside one
        assert set(starts) <= set(words), sorted(set(starts) - set(words))


def test_weighted_copies_say_their_weights_and_come_out_the_same(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    from pressroom.render import weights
    from pressroom.render.glyphs import FONT_DIRS

    made = []
    for run in ("one", "two"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / run))
        folder = weights._make(FONT_DIRS)
        assert folder is not None and folder.is_relative_to(tmp_path / run)
        made.append({p.name: p.read_bytes() for p in folder.glob("*.ttf")})
    assert made[0] == made[1]  # the same fonts give the same copies: PDFs stay the same
    assert sorted(made[0]) == ["NotoSerifMyanmar-Bold.ttf", "NotoSerifMyanmar-Regular.ttf"]
    for name, weight in (("NotoSerifMyanmar-Regular.ttf", 400), ("NotoSerifMyanmar-Bold.ttf",
                                                                 700)):
        with TTFont(str(folder / name)) as font:
            assert font["OS/2"].usWeightClass == weight
            assert font["name"].getDebugName(1) == weights.family(script_for("my"))
            assert font["name"].getDebugName(6) == name.removesuffix(".ttf")
    assert weights.family(script_for("ar")) is None
    monkeypatch.setenv("PRESSROOM_NO_CACHE", "1")  # no cache folder: a temporary one
    assert weights._make(FONT_DIRS).name.startswith("pressroom-fonts-")


LONG_URLS = [
    "https://www.example.org/ar/news/2024/06/statement-on-the-detention-of-river-defenders-"
    "in-the-northern-provinces-and-the-closure-of-local-radio/",
    "https://monitor.example.net/reports/annual-report-on-freedom-of-expression-and-assembly-"
    "in-the-region-2023-2024.pdf",
    "https://short-name.example.org/a-b/",
]


@pytest.mark.slow
def test_pdf_right_to_left_urls_never_break_at_a_hyphen(site, tmp_path):
    """In an Arabic statement too, a URL breaks after a slash or a dot (or, in a stretch too
    long for a line, before a hyphen), its pieces stay in order, and it extracts exactly."""
    from pressroom.render import pdfcheck
    from pressroom.render.pdf import render_pdf

    text = AR.read_text(encoding="utf-8")
    label = "تقرير المراقبين الميدانيين عن الأحداث الأخيرة في المنطقة الشمالية"
    marks = "".join(f" النص[^x{i}]" for i in range(len(LONG_URLS)))
    notes = "".join(f"\n[^x{i}]: {label}: <{url}>\n" for i, url in enumerate(LONG_URLS))
    record = tmp_path / AR.name
    record.write_text(text.replace("\n[^1]:", marks + "\n\n[^1]:", 1) + notes, "utf-8")
    document = load(site, record)
    data = render_pdf(document, site.templates_dir)
    assert pdfcheck.notdef_glyphs(data) == []
    lines = [line for page in pdfcheck.reader(data).pages
             for line in page.extract_text().splitlines()]
    urls = [u for note in document.statement.footnotes for u in note.urls]
    assert any("-" in u and len(u) > 90 for u in urls)  # the fixture's own and the long ones
    flat = "".join(lines)
    for url in urls:
        assert url in flat, url  # whole, its pieces in order
    for line in lines:
        if "://" in line or "example" in line or line.endswith(("-rights", "radio/")):
            assert not line.rstrip().endswith("-"), line
    assert not any(c in flat for c in "\u200b\u200e\u2060\u00ad\u2011")


def test_the_quick_skip_for_left_to_right_text_misses_no_right_to_left_letter():
    """bidi skips its walk over a text with no character of the right-to-left blocks: every
    character whose bidi class is R or AL must be in them."""
    import sys
    import unicodedata

    from pressroom.render import bidi

    missing = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.bidirectional(chr(c)) in ("R", "AL")
               and not bidi._MAY_BE_RTL.match(chr(c))]
    assert missing == []
    assert segments("Latin only, no run here", "ltr") == [("Latin only, no run here", None)]
    assert ("عربي", "rtl") in segments("A name عربي in Latin text", "ltr")
