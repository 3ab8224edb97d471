"""Pages saved from the old web site: the article's text as lines, without the site around it.

The page is parsed with lxml.html; the article is found (`<article>`, its `.entry-content`,
else `<main>`, else `<body>`), everything that is the site rather than the statement (nav,
header, footer, scripts, share widgets, view counters) is dropped, and each block (a
paragraph, a list item, a heading, a line ended by `<br>`) becomes one `Line`, numbered by
the source line where it starts. Links stay links; `<sup>[n]</sup>` and Word's
`<a href="#_ftn1">[1]</a>` become `[n]` footnote markers.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..errors import ImportRefused
from . import vocab
from .chrome import copyright_owner
from .dates import find_date
from .scripts import main_script
from .sources import EMAIL, PHONE, Line, Source, escape_inline, escape_line_start, normalise_space

_BLOCKS = frozenset((
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
    "section", "article", "main", "table", "tr", "td", "th", "dl", "dt", "dd", "figure",
    "figcaption", "hr", "address", "center",
))
# Never text a reader sees: dropped from the whole page before anything is read from it, so
# that `<h1>A <script>x()</script>B</h1>` gives the title "A B".
_INVISIBLE = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "button",
    "select", "input", "textarea", "img", "form",
)
# The site around the article; dropped from the article only, as the page's own
# `<header class="entry-header">` holds the statement's title.
_DROP_TAGS = frozenset(("nav", "header", "footer", "aside", *_INVISIBLE))
# Links staff may keep; any other scheme (javascript:, data:, file:...) leaves only its text.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_SAFE_SCHEMES = frozenset(("http", "https", "mailto"))
# Classes and ids of the old site's widgets: sharing, counters, related posts, comments.
_CHROME = re.compile(
    r"share|sharedaddy|addtoany|social|jp-relatedposts|related|post-views|views|comment|"
    r"breadcrumb|widget|navigation|nav-links|next-prev|pager|pagination|entry-meta|"
    r"entry-footer|sidebar|print|tags|cat-links|cat-label|category|screen-reader|"
    r"visually-hidden|skip-link|article-info|node__meta|meta-info|post-meta|byline|"
    r"posted-on|submitted|featured|wp-caption|page-links|likes|subscribe|"
    r"taxonomy-term-reference|field-label-inline|"
    # A pull quote repeats the text's own words; an embedded post is another site's.
    r"pull-?quote|twitter-tweet|instagram-media|tiktok-embed|wp-block-embed|"
    r"(?:^|[\s_-])(?:date|meta|footer|header)(?:$|[\s_-])",
    re.IGNORECASE,
)
# The first column's heading in a table of signatories.
_NAME_COLUMN = re.compile(r"^(?:organi[sz]ations?|names?|signator(?:y|ies)|endorsers?|groups?|"
                          r"nama(?: organisasi| lembaga)?|organisasi|lembaga|pertubuhan|tổ chức|"
                          r"tên|ชื่อ(?:องค์กร)?|องค์กร|ឈ្មោះ|អង្គការ|အဖွဲ့အစည်း|组织|組織|团体|團體|"
                          r"名称|名稱|단체|이름|организаци[яи]|название)\b", re.IGNORECASE)
_NUMBER_COLUMN = re.compile(r"^(?:no\.?|#|s/?n|bil\.?|nr\.?|stt|ลำดับ|序号|序號|번호|№)$",
                            re.IGNORECASE)
_NOTES_LIST = re.compile(r"foot-?notes?|end-?notes?|references", re.IGNORECASE)
# (Drupal's Footnotes module adds a key to each: "footnote1_k3m9q2x".)
_NOTE_ID = re.compile(r"^(?:fn|ftn|footnote|endnote|note)[-_:]?\d+(?:_[a-z0-9]{1,16})?$",
                      re.IGNORECASE)
_LABEL_NUMBER = re.compile(r"^(\d{1,3})[.)]?$")
_SUP_MARK = re.compile(r"^\[?(\d{1,3})\]?$")
_EMAIL_PROTECTION = "/cdn-cgi/l/email-protection"
_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+")
_KIND_AT_END = re.compile(r"(?:の|\s)(?:プレスリリース|press releases?|open letters?)$",
                          re.IGNORECASE)


def read_html_source(text: str, path: str) -> Source:
    """The statement in a saved page, as lines; a page with no article text is refused."""
    # Control characters are no text of a statement, and lxml refuses them in the tree it
    # builds (a NUL from a broken export made it raise): removed, and said.
    text, controls = _CONTROLS.subn("", text)
    doc = _parse(text, path)
    _mark_scripted_addresses(doc)
    _mark_address_images(doc)
    for el in list(doc.iter(*_INVISIBLE)):
        _drop(el)
    titles = _titles(doc)
    dates = _dates(doc)
    url = _url(doc)
    site_names = _site_names(doc)
    kinds = [*_kinds(doc), *_kinds_in_address(url)]
    kicker = _kicker(doc)
    content = _content(doc)
    if content is None:
        raise ImportRefused(path, "a page with no body")
    title_texts = {text for _, text in titles}
    for heading in content.iter("h1", "h2"):
        if normalise_space(heading.text_content()) in title_texts:
            _drop(heading)
            break
    furniture = _strip_chrome(content)
    collector = _Collector()
    collector.walk(content)
    # What was dropped inside the article is said, line by line, and a date it holds (a
    # "date" or "time" line, a header table's "배포일시 2024. 5. 20.") is one of the page's.
    contacts: list[tuple[str, Line]] = []
    for k, (line, reason) in enumerate(furniture):
        collector.cut.append((line.number, line.text, reason))
        if len(line.text) <= 120 and find_date(line.text) is not None:
            dates.append(("the page's line", line.text))
        # A header table's row "문의 | Name, phone, address": a contact under its heading.
        after = furniture[k + 1][0] if k + 1 < len(furniture) else None
        if after is not None and after.number == line.number and len(line.text) <= 30 and (
                EMAIL.search(after.text) or PHONE.search(after.text)):
            from .structure import heading_of

            found = heading_of(line.text if line.text.endswith((":", "：")) else
                               f"{line.text}:")
            if found is not None and found[0] == "contact":
                contacts.append((line.text, after))
    if not collector.lines:
        raise ImportRefused(path, "a page with no body: no statement text in its article")
    around: list[tuple[int, str, str]] = []
    quote = _quoted_whole(content)
    if quote is not None:
        # A post that quotes the statement whole: the statement is the quotation, the
        # blogger's own words before and after it are the page's.
        inner = _Collector()
        inner.walk(quote)
        if inner.lines:
            keep = {(line.number, line.text) for line in inner.lines}
            around = [(line.number, line.text, "the reposting page's own words around the "
                       "statement it quotes whole") for line in collector.lines
                      if (line.number, line.text) not in keep]
            collector = inner
    lines, cut = _main_content(text, collector.lines)
    lines, other_language = _other_language_after_rule(content, lines)
    cut = list(collector.cut) + around + cut + other_language
    problems = list(collector.problems)
    if controls:
        problems.insert(0, (1, f"{controls} control character(s) in the page were removed "
                               "(they are not text): check the statement against the source"))
    return Source(path, tuple(lines), titles=tuple(titles), dates=tuple(dates),
                  url=url, site_names=tuple(site_names), kinds=tuple(kinds), kicker=kicker,
                  problems=tuple(problems), cut=tuple(cut), contacts=tuple(contacts))


def _other_language_after_rule(content, lines: list[Line]
                               ) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """A page that gives the statement again in another language after a rule (`<hr>`):
    the part after it, whose paragraphs are in another script than the part before, is that
    other version, not this record's text; cut, and said, to be imported as a translation.
    A rule before a list of names in another script is no such thing: the part after must
    hold paragraphs (two of 80 letters or more)."""
    for rule in content.iter("hr"):
        at = rule.sourceline
        if at is None:
            continue
        before = [line for line in lines if line.number < at]
        after = [line for line in lines if line.number > at]
        if not before or not after:
            continue
        mine = main_script(" ".join(line.text for line in before))
        theirs = main_script(" ".join(line.text for line in after))
        paragraphs = [line for line in after if sum(c.isalpha() for c in line.text) >= 80
                      and main_script(line.text) == theirs]
        if mine and theirs and mine != theirs and len(paragraphs) >= 2 and sum(
                len(line.text) for line in before) >= 300:
            return before, [(line.number, line.text, "the statement in another language, "
                             "after a rule: import it as a translation of this record")
                            for line in after]
    return lines, []


# Also written as character references (&#1;, &#x1F;), which the parser would decode into
# the tree after the text was cleaned.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]"
                       r"|&#0*(?:[0-8]|1[124-9]|2\d|3[01]|127);"
                       r"|&#[xX]0*(?:[0-8]|[bBcCeEfF]|1[0-9a-fA-F]|7[fF]);")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


_BACK_LINKS = frozenset(("↩", "↩︎", "↑", "^", "↵", "⏎", "back", "return to text"))
_CITED = re.compile(r"\[(\d{1,3})\]")
_NOTE_LINE = re.compile(r"^\[(\d{1,3})\]\s")


def _number_of(label: str) -> int | None:
    """The number of a note's label ("[1]", "1.", "(١)", "^2"), in any digits, else None."""
    found = _LABEL_NUMBER.fullmatch(label.strip())
    return int(found.group(1)) if found else None


_LABEL_NUMBER = re.compile(r"[\[(^]?\s*(\d{1,3})\s*[\])]?\.?")


def _key(text: str) -> str:
    return _NOT_LETTERS.sub("", text.casefold())


def _main_content(page: str, lines: list[Line]) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """The lines that trafilatura, a main-content extractor, also finds in the page.

    Our own reading keeps the page's structure (headings, list items, links, footnote
    markers); trafilatura judges which blocks are the article and which are the site's
    widgets (pop-ups, "trending" boxes, author cards) by their density and markup, which no
    list of class names covers. A line is kept when its letters are part of a block
    trafilatura kept; when trafilatura keeps too little of the page to be trusted (or is not
    installed), every line is kept."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - an optional helper
        return list(lines), []
    try:
        extracted = trafilatura.extract(page, favor_recall=True, include_comments=False,
                                        include_tables=True, deduplicate=False)
    except Exception:  # a page trafilatura cannot read: our reading stands alone
        return list(lines), []
    if not extracted:
        return list(lines), []
    blocks = [_key(b) for b in extracted.splitlines()]
    blocks = [b for b in blocks if b]
    whole = "\n".join(blocks)
    kept: list[Line] = []
    cut: list[tuple[int, str, str]] = []
    cited = {int(m.group(1)) for line in lines for m in _CITED.finditer(line.text)
             if not _NOTE_LINE.match(line.text)}  # int: "[١]" cites note 1 as "[1]" does
    for line in lines:
        key = _key(line.text.replace(_SCRIPTED, ""))
        note = _NOTE_LINE.match(line.text)
        if not key or (len(key) >= 8 and key in whole) or any(
                key == b or (len(key) >= 4 and key in b) for b in blocks) or (
                note and int(note.group(1)) in cited):
            # A note the text cites is the statement's, though extractors drop notes lists.
            kept.append(line)
        elif EMAIL.fullmatch(line.text) and kept and kept[-1].number == line.number - 1:
            kept.append(line)  # a contact's address on its own line under the contact's name
        else:
            cut.append((line.number, line.text, "outside the page's main content (the "
                        "main-content extractor left it out)"))
    ours = sum(len(_key(line.text)) for line in lines)
    if ours == 0 or sum(len(_key(line.text)) for line in kept) < 0.5 * ours:
        return list(lines), []
    # A heading between two blocks the extractor kept ("Notes to editors" over the notes)
    # is the article's own: extractors drop some headings they judge to be a widget's.
    ids = {id(line) for line in kept}
    inner = {id(line) for at, line in enumerate(lines[1:-1], 1)
             if line.md.startswith("#") and id(line) not in ids
             and id(lines[at - 1]) in ids and id(lines[at + 1]) in ids}
    if inner:
        kept = [line for line in lines if id(line) in ids or id(line) in inner]
        back = {(line.number, line.text) for line in lines if id(line) in inner}
        cut = [c for c in cut if (c[0], c[1]) not in back]
    return kept, cut


def _parse(text: str, path: str):
    """The page's tree, or `ImportRefused` when the parser could not read all of it.

    libxml2 stops at a fatal error, such as elements nested deeper than its limit (256, or
    2,048 with `huge_tree`), and drops the rest of the page while lxml still returns a tree:
    a page is taken whole or refused, never cut short in silence."""
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        # Bytes, so that a page declaring its own encoding parses (lxml refuses such str).
        doc = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"),
                                            parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ImportRefused(path, f"not a readable web page ({exc})") from None
    fatal = [e for e in parser.error_log if e.level >= etree.ErrorLevels.FATAL]
    if fatal:
        first = fatal[0]
        if first.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT and "depth" in first.message:
            raise ImportRefused(path, (
                f"the page nests its elements deeper than can be read (line {first.line}: "
                f"{first.message.strip()}); the text from there on would be lost: save the "
                "page again from a browser, or import its text as a .txt file"))
        raise ImportRefused(path, (
            f"the page cannot be read to its end (line {first.line}: "
            f"{first.message.strip()}); the text from there on would be lost: save the page "
            "again from a browser, or import its text as a .txt file"))
    return doc


def _titles(doc) -> list[tuple[str, str]]:
    """Every title the page gives its statement, as (where, text), most trusted first."""
    found: list[tuple[str, str]] = []

    def add(where: str, text: str | None) -> None:
        text = normalise_space(text or "")
        if text and (where, text) not in found:
            found.append((where, text))

    for where, xpath in (
            ("the page's heading", '//*[contains(concat(" ", normalize-space(@class), " "), '
                                   '" entry-title ")][not(ancestor::*[contains(@class, '
                                   '"related")])]'),
            ("the page's heading", '//*[@itemprop="headline"]'),
            # A document's Title-style paragraph (Word's "MsoTitle", a published Google
            # Doc's "title").
            ("the document's Title paragraph", '//p[contains(concat(" ", normalize-space('
                                               '@class), " "), " title ") or contains(concat('
                                               '" ", normalize-space(@class), " "), '
                                               '" MsoTitle ")]'),
            ("the page's heading", "//article//h1"),
            ("the page's heading", "//main//h1"),
            ("the page's heading", "//h1"),
            # A board's post (GNUBoard's "bo_v_title") or a theme's post title in an h2.
            ("the page's heading", '//*[self::h2 or self::h3][contains(@id, "v_title") or '
                                   'contains(@class, "post-title") or '
                                   'contains(@class, "article-title")]'),
            ("the page's heading", '//*[contains(concat(" ", normalize-space(@class), " "), '
                                   '" content ")]//h2')):
        # A theme's site title set in an <h1> ("<h1><a href="/">Blog name</a></h1>" in the
        # header) is the site's name, not the statement's title.
        hits = [h for h in doc.xpath(xpath) if not _site_title(h)]
        if hits:
            add(where, hits[0].text_content())
            break
    if doc.xpath('//*[@id="publish-banner"]'):
        return found  # a published Google Doc: its <title> and og:title are the file's name
    for value in doc.xpath('//meta[@property="og:title"]/@content'):
        add("og:title", value)
    head_title = doc.find(".//title")
    if head_title is not None:
        text = normalise_space(head_title.text_content())
        # "Statement title – Site name": the site's name is not the statement's.
        pieces = _TITLE_SPLIT.split(text)
        title = " – ".join(pieces[:-1]) if len(pieces) > 1 else text
        # "Title > Category": a board's path after the title.
        add("the page's <title>", re.split(r"\s+(?:>|&gt;|»)\s+", title)[0])
    return found


def _site_title(heading) -> bool:
    links = heading.xpath("./a")
    if links and len(links) == 1 and links[0].get("href", "").rstrip("/") in ("", "/") and (
            normalise_space(links[0].text_content()) == normalise_space(heading.text_content())):
        return True
    return any(_SITE_HEADER & set(f"{a.get('id', '')} {a.get('class', '')}".lower().split())
               for a in heading.iterancestors())


# The site's own header, by its id or class (not "entry-header", a post's own).
_SITE_HEADER = frozenset(("header", "site-header", "masthead", "site-branding", "branding",
                          "global-header", "blog-header"))


def _dates(doc) -> list[tuple[str, str]]:
    """Dates the page shows outside its text, as (where, text)."""
    found: list[tuple[str, str]] = []
    for value in (*doc.xpath("//article//time/@datetime"), *doc.xpath("//time/@datetime")):
        found.append(("the page's <time>", value.strip()))
    for value in doc.xpath('//meta[@property="article:published_time"]/@content'):
        found.append(("the page's published time", value.strip()))
    for el in doc.xpath('//*[contains(@class, "date") or contains(@class, "meta") or '
                        'contains(@class, "submitted") or contains(@class, "created") or '
                        'contains(@class, "published")]'):
        text = normalise_space(el.text_content())
        if text and len(text) <= 120:
            found.append(("the page's date line", text))
    return found


def _url(doc) -> str | None:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for value in doc.xpath(xpath):
            value = value.strip()
            if value.lower().startswith(("http://", "https://")):
                return value
    return None


def _site_names(doc) -> list[str]:
    names = [normalise_space(v) for v in doc.xpath('//meta[@property="og:site_name"]/@content')]
    head_title = doc.find(".//title")
    if head_title is not None:
        # "Title | Site name", "Title | by Author | Medium": the site's (or author's) name.
        pieces = _TITLE_SPLIT.split(normalise_space(head_title.text_content()))
        if len(pieces) == 2 and vocab.kind_of(pieces[1].strip()):
            names.append(pieces[0].strip())  # "SLPFA - ඒකාබද්ධ ප්‍රකාශය": the site, the kind
        elif len(pieces) > 1:
            names.append(pieces[-1].strip())
        names += [p[3:].strip() for p in pieces[1:-1] if p.lower().startswith("by ")]
    # The footer's copyright line names whose site it is ("© 2022 CABCL").
    for text in doc.xpath('//footer//text() | //*[contains(@class, "footer") or '
                          'contains(@id, "footer")]//text()'):
        if "©" in text or "copyright" in text.lower():
            owner = copyright_owner(normalise_space(text))
            if owner:
                names.append(owner)
    for el in doc.xpath('//*[contains(@class, "site-title") or contains(@class, "site-name") or'
                        ' contains(@class, "site-description")] | //*[(contains(concat(" ", '
                        'normalize-space(@class), " "), " header ") or contains(@class, '
                        '"header-outer")) and not(contains(@class, "entry-header") or '
                        'contains(@class, "post-header") or ancestor::article)]//h1'):
        names.append(normalise_space(el.text_content()))
    return [n for n in names if n]


def _kinds(doc) -> list[str]:
    """The page's category and content-type labels, which may name the statement's kind."""
    texts = [normalise_space(v) for v in doc.xpath('//meta[@property="article:section"]/@content')]
    head_title = doc.find(".//title")
    if head_title is not None:
        # "Title | <Org>のプレスリリース", "Title - <Org> press releases": the page says what
        # kind of page it is after the title.
        last = _TITLE_SPLIT.split(normalise_space(head_title.text_content()))[-1]
        found = _KIND_AT_END.search(last)
        if found:
            texts.append(re.sub(r"s$", "", found.group(0).strip(" の")))
    for el in doc.xpath('//*[contains(@class, "cat-label") or contains(@class, "category") or '
                        'contains(@class, "field--name-field-type") or contains(@class, '
                        '"td-category")]'):
        text = normalise_space(el.text_content())
        if text and len(text) <= 40:
            texts.append(text)
    return texts


def _kicker(doc) -> str | None:
    """The kicker over the headline (the last before the first h1, not those of the teaser
    cards further down the page), which names this page's kind."""
    kickers = doc.xpath('(//h1)[1]/preceding::*[contains(@class, "kicker") or '
                        'contains(@class, "eyebrow")]')
    text = normalise_space(kickers[-1].text_content()) if kickers else ""
    return text if text and len(text) <= 40 else None


def _kinds_in_address(url: str | None) -> list[str]:
    """The kind a section of the page's own address names ("/press-releases/2024/05/...",
    "/siaran-pers/..."): a slug's words are tried whole, so a title's slug that begins
    "open-letter-to-..." names none."""
    if not url:
        return []
    from urllib.parse import urlsplit

    segments = [p for p in urlsplit(url).path.split("/") if p]
    return [re.sub(r"s$", "", p.replace("-", " ").replace("_", " ")) for p in segments[:-1]
            if re.fullmatch(r"[a-z]+(?:[-_][a-z]+){0,3}", p)]


def _quoted_whole(content):
    """The <blockquote> that holds most of the content's text (at least 60%), with more
    text around it: a statement reposted in full inside someone's post."""
    whole = _text_size(content)
    for quote in content.iter("blockquote"):
        size = _text_size(quote)
        if whole and 0.6 * whole <= size < 0.97 * whole:
            return quote
    return None


def _text_size(el) -> int:
    return sum(len(t.strip()) for t in el.itertext())


def _content(doc):
    bodies = doc.xpath("//body")
    body_size = _text_size(bodies[0]) if bodies else 0
    for xpath in ('//*[@itemprop="articleBody"]',
                  '//article//*[contains(concat(" ", normalize-space(@class), " "), '
                  '" entry-content ")]',
                  '//article//*[contains(@class, "field--name-body")]',
                  "//article", '//*[contains(concat(" ", normalize-space(@class), " "), '
                  '" entry-content ")]', "//main", '//*[@id="content"]',
                  '//*[contains(concat(" ", normalize-space(@class), " "), " content ")]',
                  "//body"):
        found = doc.xpath(xpath)
        if found:
            best = max(found, key=_text_size)
            if xpath == "//body" or _text_size(best) >= 0.2 * body_size:
                return best
            # Too little of the page to be the article ("<div class='content'>" around a
            # chat export's header only): a wider container is.
    return None


def _strip_chrome(root) -> list[tuple[Line, str]]:
    """Drops the site's furniture inside the article (sharing, counters, meta lines,
    navigation); returns its lines, each with why it was dropped."""
    doomed = []
    said: list[tuple[Line, str]] = []
    whole = _text_size(root)
    # Walked with a stack, so that what is dropped is not looked into again (its lines are
    # said once, with the outermost reason).
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments and processing instructions
            continue
        if el.tag in _DROP_TAGS:
            doomed.append(el)
            if el.tag not in _INVISIBLE:
                said += _lines_of(el, f"the page's furniture (a <{el.tag}> in the article)")
            continue
        if el is not root:
            marks = f"{el.get('class', '')} {el.get('id', '')}"
            found = _CHROME.search(marks) if marks.strip() else None
            if found and el.tag == "a" and el.getparent() is not None and (
                    el.getparent().tag in _HEADING_TAGS):
                found = None  # mdBook's "<h2><a class='header'>": the heading's own anchor
            if found and not (_CONTENT_MARK.search(marks) or _text_size(el) > 0.5 * whole):
                # (Elementor calls the post's text a "widget": what holds most of the
                # text, or says it is the post's content, is not the site's furniture.)
                doomed.append(el)
                said += _lines_of(el, "the page's furniture (marked "
                                  f"{normalise_space(marks)!r} in the page)")
                continue
        stack.extend(reversed(el))
    for el in doomed:
        _drop(el)
    return said


_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _lines_of(el, reason: str) -> list[tuple[Line, str]]:
    reader = _Collector()
    reader.walk(el)
    return [(line, reason) for line in reader.lines]


_CONTENT_MARK = re.compile(r"post[-_]content|entry[-_]content|article[-_]body|post[-_]body",
                          re.IGNORECASE)


# A script that writes an e-mail address into the page where it stands (document.write of a
# "mailto:", the address put together from its parts so that no robot reads it).
_WRITES_ADDRESS = re.compile(r"document\.write|innerHTML|insertAdjacentHTML", re.IGNORECASE)
_SCRIPTED = " [email protected]"  # never in the page's own text: the extractor is not asked
_ADDRESS_PARTS = re.compile(r"mailto|&#64;|&#x40;|['\"]@['\"]|\\x40|\\u0040", re.IGNORECASE)


def _mark_scripted_addresses(doc) -> None:
    """An address a script writes inside the text: a reader sees an address there, so the
    text says one is hidden there ("[email protected]", as Cloudflare's cloaking leaves it),
    and the contact is read with its address empty and a warning, never decoded."""
    from .contacts import hidden_email

    for script in list(doc.iter("script")):
        code = script.text or ""
        parent = script.getparent()
        if parent is None or parent.tag in ("head", "html", "body") or not (
                _WRITES_ADDRESS.search(code) and _ADDRESS_PARTS.search(code)):
            continue
        block = next((a for a in script.iterancestors() if a.tag in _BLOCKS), parent)
        if hidden_email(normalise_space(_visible_text(block))):
            continue  # the site says so itself ("... protected from spambots"): that is read
        previous = script.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + _SCRIPTED
        else:
            parent.text = (parent.text or "") + _SCRIPTED


# A picture of the address ("email-cabcl.png", alt "E-mail"): a reader sees an address
# there, which no text holds.
_ADDRESS_PICTURE = re.compile(r"(?:^|[/_.-])e-?mail|(?:^|[/_.-])mailto|(?:^|\b)e-?mail\b|"
                              r"почта|surel|e-?mel", re.IGNORECASE)


def _mark_address_images(doc) -> None:
    """An address shown as a picture, in a line of text (a contact line): said to be hidden
    there, as a scripted one is, so the contact is read with its address empty and a
    warning."""
    for img in doc.iter("img"):
        src = (img.get("src") or "").rsplit("/", 1)[-1]
        if not (_ADDRESS_PICTURE.search(src) or _ADDRESS_PICTURE.search(img.get("alt") or "")):
            continue
        block = next((a for a in img.iterancestors() if a.tag in _BLOCKS), None)
        if block is None or not normalise_space(_visible_text(block)):
            continue  # a picture alone (a logo, an icon row): no contact line
        img.tail = _SCRIPTED + (img.tail or "")


def _visible_text(el) -> str:
    """The text of `el` as a reader sees it with scripts running: no script, style or
    noscript text."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript"):
            out.append(_visible_text(child))
        out.append(child.tail or "")
    return " ".join(out)


def _drop(el) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    el.drop_tree()


class _Collector:
    """Walks the article, cutting it into lines at block boundaries."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.text: list[str] = []
        self.md: list[str] = []
        self.number = 1
        self.flushes = 0
        self.bullet = ""  # a list item's mark, for the first line the item holds
        self.note_item = False  # in a list of notes' item whose own number is still to come
        self.heading = ""  # a heading's Markdown mark ("## "), kept out of the plain text
        self.problems: list[tuple[int, str]] = []
        self.items: dict = {}  # an <ol> -> the number of its last item met
        self.todo: list[tuple] = []
        self.cut: list[tuple[int, str, str]] = []  # what the reader left out, and why

    def flush(self) -> None:
        text = normalise_space("".join(self.text))
        md = escape_line_start(" ".join("".join(self.md).split()))
        if text:
            if self.bullet:
                text, md, self.bullet = self.bullet + text, self.bullet + md, ""
            if self.heading:
                md, self.heading = self.heading + md, ""
            self.lines.append(Line(self.number, text, md))
        self.text, self.md = [], []
        self.flushes += 1

    def start(self, el) -> None:
        self.flush()
        self.number = el.sourceline or self.number

    def add(self, text: str | None) -> None:
        if text:
            self.text.append(text)
            self.md.append(escape_inline(text))

    # The page is walked with a stack of things to do, not by recursion: pages nest up to
    # libxml2's 2,048 levels, past Python's recursion limit, and each level is a few frames.

    def walk(self, root) -> None:
        self.block(root)
        while self.todo:
            task, *args = self.todo.pop()
            task(*args)

    def later(self, *tasks: tuple) -> None:
        """Do `tasks` next, in this order, before anything queued already."""
        self.todo.extend(reversed(tasks))

    def children_tasks(self, el) -> list[tuple]:
        tasks: list[tuple] = [(self.add, el.text)]
        for child in el:
            tasks += [(self.node, child), (self.add, child.tail)]
        return tasks

    def children(self, el) -> None:
        self.later(*self.children_tasks(el))

    def block(self, el, *after: tuple) -> None:
        """A block element: its own lines, then `after`."""
        self.start(el)
        if el.tag == "li":
            parent = el.getparent()
            self.note_item = False
            if parent is not None and parent.tag == "ol":
                # Counted as the walk meets the items: finding each one's index in its list
                # would be quadratic in the length of the list.
                number = self.items.get(parent)
                if number is None:
                    first = parent.get("start", "1").strip()
                    ok = first.isascii() and first.isdigit() and len(first) < 10
                    number = int(first) if ok else 1
                else:
                    number += 1
                self.items[parent] = number
                marks = f"{parent.get('class', '')} {parent.get('id', '')}"
                # A list of notes ("<ol class="footnotes">", "<li id="fn1">") gives "[n]"
                # notes, not items.
                notes = _NOTES_LIST.search(marks) or _NOTE_ID.match(el.get("id", ""))
                self.bullet = f"[{number}] " if notes else f"{number}. "
            elif parent is not None and (_NOTES_LIST.search(
                    f"{parent.get('class', '')} {parent.get('id', '')}")
                    or _NOTE_ID.match(el.get("id", ""))):
                self.bullet = ""  # "<ul class="footnotes">": each note has its own "[n]" label
                self.note_item = True
            else:
                self.bullet = "- "
        elif el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = "#" * max(2, min(int(el.tag[1]), 4)) + " "
        kind = ("heading" if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else
                "list item" if el.tag == "li" else None)
        self.later(*self.children_tasks(el), (self.end_block, kind, len(self.lines),
                                              el.sourceline), *after)

    def end_block(self, kind: str | None = None, lines_before: int = 0,
                  line: int | None = None) -> None:
        self.flush()
        self.heading = ""
        if kind and len(self.lines) == lines_before:
            # It would publish as an empty heading or bullet: left out, and said.
            self.problems.append((line or self.number, f"an empty {kind} in the page was "
                                  "left out"))
            self.bullet = ""

    def name_table(self, el) -> bool:
        """A table of names, as signatories are often listed: a header row of <th> cells
        whose first names the column ("Organisation", "Name", "Tổ chức"...), then a row a
        name with other columns (a country, a sector). Each row becomes one line holding the
        first cell; the header and the other cells are cut, and said. False for any other
        table, which is read as blocks."""
        rows = list(el.iter("tr"))
        if len(rows) < 2:
            return False
        head = [c for c in rows[0] if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if len(head) < 2 or any(c.tag != "th" for c in head):
            return False
        # "No. | Organisation | Country": a number column first, then the names.
        at = 1 if _NUMBER_COLUMN.match(normalise_space(head[0].text_content())) else 0
        if at >= len(head) or not _NAME_COLUMN.match(normalise_space(head[at].text_content())):
            return False
        self.flush()
        number = el.sourceline or self.number
        self.cut.append((number, " | ".join(normalise_space(c.text_content()) for c in head),
                         "the header row of a table of names"))
        for row in rows[1:]:
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if not cells:
                continue
            text = normalise_space(cells[at].text_content()) if at < len(cells) else ""
            line = row.sourceline or number
            if text:
                self.lines.append(Line(line, text, escape_line_start(escape_inline(text))))
            rest = " | ".join(normalise_space(c.text_content())
                              for k, c in enumerate(cells) if k != at)
            if rest.strip(" |"):
                self.cut.append((line, rest, "a table's other columns beside a name (a "
                                 "country, a sector): not part of the name"))
        self.number = number
        return True

    def renumber(self, el) -> None:
        self.number = el.sourceline or self.number

    def node(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and self.name_table(el):
            return
        if tag in _BLOCKS:
            self.block(el, (self.renumber, el))
        elif tag == "br":
            self.flush()
            self.number = el.sourceline or self.number
        elif tag == "a":
            self.link(el)
        elif tag == "sup":
            mark = _SUP_MARK.match(normalise_space(el.text_content()))
            if mark:
                self.text.append(f"[{mark.group(1)}]")
                self.md.append(f"[{mark.group(1)}]")
            else:
                self.children(el)
        elif tag in ("strong", "b"):
            self.wrap(el, "**")
        elif tag in ("em", "i"):
            self.wrap(el, "*")
        elif tag:
            self.children(el)

    def link(self, el) -> None:
        href = (el.get("href") or "").strip()
        label = normalise_space(el.text_content())
        if href.startswith("#") and label in _BACK_LINKS:
            return  # a note's link back to its marker ("↩"): no text of the note
        if href.startswith("#") and self.bullet.startswith("[") and not "".join(
                self.text).strip() and _number_of(label) == _number_of(self.bullet):
            return  # "<li id="note-1"><a href="#ref-1">[١]</a> ...": the note's own number
        if href.startswith("#") and self.note_item and not "".join(self.text).strip() and (
                number := _LABEL_NUMBER.match(label)):
            # "<li class="footnote"><a class="footnote-label" href="#ref1">1.</a> ...": the
            # note's own number, written as the notes' "[n]".
            self.note_item = False
            self.text.append(f"[{number.group(1)}] ")
            self.md.append(f"[{number.group(1)}] ")
            return
        if not href or href.startswith("#") or href.startswith(_EMAIL_PROTECTION):
            # In-page anchors (Word's footnote links) and hidden e-mails are their text.
            self.children(el)
            return
        if href.startswith("mailto:"):
            self.add(label or href[len("mailto:"):])
            return
        scheme = _SCHEME.match("".join(c for c in href if c.isprintable() and not c.isspace()))
        if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
            # A browser ignores spaces and control characters inside "java script:", so the
            # scheme is read without them.
            self.problems.append((el.sourceline or self.number, (
                f"the link {href!r} was left out (only https://, http:// and mailto: links "
                f"are kept); its text {label!r} stays: check it")))
            self.children(el)
            return
        self.text.append(label or href)
        if not label or label.rstrip("/") == href.rstrip("/"):
            self.md.append(f"<{href}>")
        else:
            dest = f"<{href}>" if re.search(r"[\s()<>]", href) else href
            self.md.append(f"[{escape_inline(label)}]({dest})")

    def wrap(self, el, mark: str) -> None:
        self.later(*self.children_tasks(el),
                   (self.end_wrap, mark, len(self.md), self.flushes))

    def end_wrap(self, mark: str, at: int, flushes: int) -> None:
        if self.flushes != flushes:
            return  # a block inside the emphasis: keep its text, drop the emphasis
        inner = "".join(self.md[at:])
        core = inner.strip()
        del self.md[at:]
        if core:
            lead = inner[: len(inner) - len(inner.lstrip())]
            trail = inner[len(inner.rstrip()):]
            self.md.append(f"{lead}{mark}{core}{mark}{trail}")
        else:
            self.md.append(inner)
