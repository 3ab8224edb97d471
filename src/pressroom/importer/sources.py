"""Reading archive files into numbered lines, and refusing what is not a statement.

Both readers give the same thing: a list of `Line`s, each the plain `text` the structure
recogniser reads and the `md` (escaped Markdown, links kept) that ends up in the record, plus
what the HTML page knew beyond its text (its title, its date). Footnote markers `[n]` are left
unescaped in `md`, so that the recogniser can turn them into Markdown footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ImportRefused

SUFFIXES = (".txt", ".html", ".htm", ".docx")

# A bare web address; trailing punctuation belongs to the sentence, not the address.
URL = re.compile(r"https?://[^\s<>\"\]]+")
_URL_TRAIL = ".,;:!?)'’”"
MARKER = re.compile(r"\[(\d{1,3})\]")
# Markdown syntax in running text; brackets are handled apart, to keep `[n]` markers.
_INLINE_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_<"})
_INLINE_SPECIAL = re.compile(r"[\\`*_<]")
_BRACKET_ESCAPES = str.maketrans({c: "\\" + c for c in "[]"})
_LINE_START = re.compile(r"^(\s*)([#>+-](?=\s|$)|\d+[.)](?=\s|$))")
_ENTITY = re.compile(r"&(?=#?\w+;)")


@dataclass(frozen=True)
class Line:
    """One logical line (a paragraph, a list item) and where it starts in the source."""

    number: int
    text: str
    md: str


@dataclass(frozen=True)
class Source:
    path: str
    lines: tuple[Line, ...]
    # Titles the page marked as one, as (where, text): its <h1>, og:title, <title>...
    titles: tuple[tuple[str, str], ...] = ()
    # Dates the page carried outside the text (<time datetime>, a "Posted on" line), as
    # (where, text): a fallback, said with a warning.
    dates: tuple[tuple[str, str], ...] = ()
    url: str | None = None  # the page's own address (canonical link, og:url)
    site_names: tuple[str, ...] = ()  # the name the page gives its site (og:site_name...)
    kinds: tuple[str, ...] = ()  # the page's category or content-type labels ("Siaran Pers")
    kicker: str | None = None  # the line over the headline ("Заявление"): this page's kind
    # What the reader left out and a person should know: (line, message), as warnings.
    problems: tuple[tuple[int, str], ...] = field(default=())
    # What the reader cut as the site's, not the statement's: (line, text, reason).
    cut: tuple[tuple[int, str, str], ...] = ()
    # The organisations a UN document says submitted it (undocs.py): the endorsers, the
    # first the issuer.
    submitters: tuple[Line, ...] = ()
    # Contacts the reader found in the page's furniture (a press release's header table:
    # "문의 | Name, phone, address"), as (heading, line).
    contacts: tuple[tuple[str, Line], ...] = ()
    # The organisation a UPR submission's cover names as coordinating it: the issuer.
    coordinator: Line | None = None

    @property
    def title(self) -> str | None:
        return self.titles[0][1] if self.titles else None

    @property
    def date(self) -> str | None:
        """The first ISO date the page carried outside its text (YYYY-MM-DD), or None."""
        for _where, text in self.dates:
            match = re.match(r"\d{4}-\d{2}-\d{2}", text)
            if match:
                return match.group(0)
        return None


def decode(data: bytes, path: str) -> str:
    """The text of a file: UTF-16 (Windows' "Unicode" exports), UTF-8 (with or without a
    byte-order mark), else Windows-1252 (what the old site's exports used). Binary files and
    empty ones are refused."""
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise ImportRefused(path, "not text: it starts like UTF-16 but does not decode "
                                "as UTF-16") from None
    elif b"\x00" in data:
        raise ImportRefused(path, "binary file (it contains NUL bytes); import text or HTML")
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportRefused(path, "not text: neither UTF-8 nor Windows-1252")
    if _looks_binary(text):
        raise ImportRefused(path, "binary file (control characters); import text or HTML")
    if not text.strip():
        raise ImportRefused(path, "empty file")
    return text


def _utf16(data: bytes) -> str | None:
    """The codec for UTF-16 data, by its byte-order mark, or (without one) by the NUL byte
    every ASCII character brings at the same side; None for anything else."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None  # UTF-32: refused as binary
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the codec reads the mark and drops it
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    # Mostly ASCII text: one side nearly all NULs, the other side none.
    if odd.count(0) > 0.7 * len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and not odd.count(0):
        return "utf-16-be"
    return None


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    return _CONTROL.search(text, 0, 4096) is not None


def is_html(text: str, path: str) -> bool:
    if path.lower().endswith((".html", ".htm")):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def escape(text: str) -> str:
    """A line of plain text as Markdown that shows exactly that text, with bare web
    addresses as autolinks and `[n]` footnote markers left as they are."""
    return escape_line_start(escape_inline(text))


def escape_line_start(md: str) -> str:
    """Escape what would make a paragraph a heading, quote or list item."""
    # "1." is escaped as "1\.": a backslash before a digit would show.
    return _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]), md, count=1
    )


def escape_inline(text: str) -> str:
    """Like `escape`, for a piece of a line."""
    if "://" not in text:
        return _escape_plain(text)  # no web address in it
    out: list[str] = []
    pos = 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAIL)
        # A closing parenthesis belongs to the address when it opened one inside it.
        while match.group(0)[len(url):].startswith(")") and url.count("(") > url.count(")"):
            url += ")"
        out.append(_escape_plain(text[pos : match.start()]))
        out.append(f"<{url}>")
        pos = match.start() + len(url)
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    # str.translate, not re.sub with a template: a line of a million specials took seconds.
    # (Each step only where its characters are: most lines have none, and translate looks
    # every character up.)
    if _INLINE_SPECIAL.search(text):
        text = text.translate(_INLINE_ESCAPES)
    if "&" in text:
        text = _ENTITY.sub("\\&", text)
    if "[" not in text and "]" not in text:
        return text
    pieces = MARKER.split(text)
    # split() alternates text and marker numbers: escape brackets only in the text.
    for i in range(0, len(pieces), 2):
        pieces[i] = _escape_brackets(pieces[i])
    for i in range(1, len(pieces), 2):
        pieces[i] = f"[{pieces[i]}]"
    return "".join(pieces)


def _escape_brackets(text: str) -> str:
    """Escape `[` and `]`, except one that a backslash of the text stands before."""
    if "[" not in text and "]" not in text:
        return text
    out = text.translate(_BRACKET_ESCAPES)
    # Every backslash added stands right before its bracket, so two backslashes before a
    # bracket are the text's own and the one added: take the added one back.
    return out.replace("\\\\[", "\\[").replace("\\\\]", "\\]")


def text_lines(text: str) -> tuple[Line, ...]:
    """A text export: one paragraph or list item a line, blank lines between them or not."""
    lines = []
    raws = text.splitlines()
    rows = _table_rows(raws)
    columns = two_columns(raws)
    for number, raw in enumerate(raws, 1):
        if number in rows:
            if rows[number]:
                lines.append(Line(number, rows[number], escape(rows[number])))
            continue
        if number in columns:
            lines.extend(Line(number, cell, escape(cell)) for cell in columns[number])
            continue
        clean = normalise_space(raw)
        stripped = raw.strip()
        # A menu bar's first link is short: a line with no gap near its start is none (and
        # is not split, which took a paragraph's time).
        items = [p for p in _GAP.split(stripped) if p] if _GAP.search(stripped, 0, 28) else []
        if not items and _MENU_GAP.search(stripped, 0, 28):
            # (Two spaces between one-word links: "Beranda  Pilihan  Terpopuler  Topik".)
            items = [p for p in _MENU_GAP.split(stripped) if p]
            if not all(len(p.split()) == 1 for p in items):
                items = []
        if len(items) >= 4 and all(len(p) <= 25 and len(p.split()) <= 3 for p in items):
            clean = " | ".join(normalise_space(p) for p in items)  # a menu bar's links
        if _MAILCHIMP_HEADING.match(clean) and not clean.endswith(_ENDS):
            clean = clean[3:]  # (a "** note." with its full stop is a starred footnote)
        if clean:
            lines.append(Line(number, clean, escape(clean)))
    return tuple(lines)


# An e-mail address. It starts where a word does: tried inside a long word, at each of its
# letters, the name's part would be read again to the word's end (quadratic; the fuzzer
# found a 28 KB word that took seconds).
# (Dots part its name's pieces one at a time: "rina.vi...@" is an address an archive cut
# short, hidden, not one to write.)
EMAIL = re.compile(r"(?<![\w.+'-])[\w+'-]+(?:\.[\w+'-]+)*@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\d[\s().\-–]?){7,}")  # a phone number, in a contact's line
_GAP = re.compile(r"\s{3,}|\t+")  # between a text export's menu links
_MENU_GAP = re.compile(r" {2}")
# A table saved as text (Word's "Save as text"): its cells parted by tabs, a row a line.
_NUMBER_CELL = re.compile(r"^\d{1,3}[.)]?$")
_NUMBER_HEAD = re.compile(r"^(?:№|no\.?|#|s/?n|sl\.?|stt|ลำดับ|序号|序號|번호|क्र\.?\s?सं\.?|"
                          r"क्रम सं(?:ख्या|\.)|क्रमांक|ক্রমিক নং|ক্র\.? ?নং)$", re.IGNORECASE)


_TWO_CELLS = re.compile(r"^(?P<left>[^\t]*?\S)(?: {4,}|\s*\t+\s*)(?P<right>\S[^\t]*?)\s*$")


def two_columns(raws: list[str]) -> dict[int, tuple[str, str]]:
    """Line number -> its two names, for a list set in two columns and flattened to text
    ("Name A        Name B", a row a line): two lines or more right under a heading that
    ends in a colon (or in how many and in what order: "... 단체 (총 10개, 가나다순)"), each
    two short cells parted by four spaces or more, or a tab. Read row by row, left then
    right, as the eye reads it."""
    out: dict[int, tuple[str, str]] = {}
    run: list[tuple[int, tuple[str, str]]] = []
    above = ""  # the last line with text before the run

    def close() -> None:
        if len(run) >= 2 and (above.endswith((":", "：")) or (
                above.endswith((")", "）")) and len(above) <= 80)):
            out.update(run)

    for number, raw in enumerate(raws, 1):
        text = raw.strip()
        # (Two cells of 80 characters at most and the gap: a longer line is none, and is
        # not matched, which on a line of many gaps and tabs took time by its square.)
        match = _TWO_CELLS.match(text) if text and len(text) <= 300 else None
        if match and not any(len(c) > 80 or c.endswith((".", "。", "!", "?"))
                             or len(c.split()) > 10 for c in match.groups()):
            run.append((number, (normalise_space(match["left"]),
                                 normalise_space(match["right"]))))
            continue
        close()
        if run:
            above = run[-1][1][1]
            run = []
        if text:
            above = text
    close()
    return out


def _table_rows(raws: list[str]) -> dict[int, str]:
    """Line number -> its text, for the rows of a numbered table saved as text (three rows
    or more, each "number <tab> name [<tab> more cells]"): each becomes "1. Name", a list
    item, its other cells (a country, a sector) left out as a signatory table's are; the
    header row above them ("№ <tab> Organisation <tab> Country") becomes nothing."""
    out: dict[int, str] = {}
    run: list[tuple[int, list[str]]] = []

    def close() -> None:
        if len(run) >= 3:
            first = run[0][0]
            head = raws[first - 2].split("\t") if first >= 2 else []
            if len(head) >= 2 and _NUMBER_HEAD.match(head[0].strip()):
                out[first - 1] = ""
            for number, cells in run:
                out[number] = f"{cells[0].strip().rstrip('.)')}. {normalise_space(cells[1])}"
        run.clear()

    for number, raw in enumerate(raws, 1):
        cells = raw.split("\t")
        if len(cells) >= 2 and _NUMBER_CELL.match(cells[0].strip()) and cells[1].strip():
            run.append((number, cells))
        else:
            close()
    close()
    return out
_MAILCHIMP_HEADING = re.compile(r"^\*\* (?=\S)")  # a newsletter's plain-text heading
_ENDS = (".", "。", "။", "।", "!", "?", "]", ")")


def normalise_space(text: str) -> str:
    # No-break spaces (the old site's `&#160;`), ideographic spaces and tabs read as plain
    # spaces; zero-width spaces are dropped.
    return " ".join(text.replace("\u00a0", " ").replace("\u3000", " ").replace(
        "\u200b", "").split())


def read_text_source(text: str, path: str, heading=lambda _text: False) -> Source:
    """A text export; a PDF's export (pages, wrapped lines) is put back together first."""
    from .pages import is_paged, is_wrapped, unpage
    from .undocs import un_statement

    un = un_statement(text)
    if un is not None:
        lines, cut, submitters = un
        if lines:
            return Source(path, tuple(lines), cut=tuple(cut), submitters=tuple(submitters))
    from .captures import (
        cover_note,
        newsletter_sections,
        opens_as_newsletter,
        sender,
        strip_capture,
        strip_channel_posts,
        strip_email_headers,
        strip_web_channel,
    )
    from .lynx import read_dump
    from .printout import read_printout

    cut: list[tuple[int, str, str]] = []
    printout = read_printout(text)
    if printout is not None:
        text = printout.text
    dump = read_dump(text)
    if dump is not None:
        lines, cut = tuple(dump[0]), dump[1]
    elif is_paged(text) or is_wrapped(text):
        if "\t" in text:  # a numbered table of signatories, as in a text export
            raws = text.split("\n")
            rows = _table_rows(raws)
            if rows:
                text = "\n".join(rows.get(n, raw) for n, raw in enumerate(raws, 1))
        joined, cut = unpage(text, heading)
        lines = tuple(joined)
    else:
        lines = text_lines(text)
    if printout is not None:
        cut = [*printout.cut, *cut]
    from .undocs import upr_submission

    cover = upr_submission(list(lines))
    if cover is not None:
        return Source(path, tuple(cover.lines), cut=(*cut, *cover.cut),
                      submitters=tuple(cover.submitters), contacts=tuple(cover.contacts),
                      coordinator=cover.coordinator)
    kept, toolbar, url = strip_capture(list(lines))
    if kept:
        lines, cut = tuple(kept), toolbar + list(cut)
    kept, headers = strip_email_headers(list(lines))
    if kept:
        lines, cut = tuple(kept), headers + list(cut)
    if headers:
        from .structure import kind_label

        kept, note = cover_note(list(lines), kind_label)
        lines, cut = tuple(kept), list(cut) + note
    from .chrome import SOURCE_LINE

    kept, posts, channel, posted = strip_channel_posts(list(lines), SOURCE_LINE.match)
    if posts:
        lines, cut = tuple(kept), posts + list(cut)
    kept, around, owner = strip_web_channel(list(lines))
    if around:
        lines, cut, channel = tuple(kept), around + list(cut), channel or owner
    masthead: list[str] = []
    if headers or opens_as_newsletter(list(lines)):  # perhaps inside a newsletter's issue
        kept, around = newsletter_sections(list(lines))
        if around and kept:
            first = kept[0].number
            # The masthead above the statement names whose newsletter it is, as a site's
            # name names a page's owner.
            masthead = [text for number, text, _ in around if number < first
                        and len(text) <= 100 and "://" not in text]
            lines, cut = tuple(kept), list(cut) + around
    if not lines:
        raise ImportRefused(path, "empty file")
    # Who sent an e-mailed statement is whose it is, as a site's name is a page's owner.
    sent_by = sender(headers) or channel or (printout.sender if printout else None)
    dates = (("the post's time", posted),) if posted else ()
    if printout is not None and printout.sent:
        dates += (("the e-mail's sending date", printout.sent),)
    return Source(path, lines, cut=tuple(cut), url=url,
                  site_names=((sent_by,) if sent_by else ()) + tuple(masthead), dates=dates)
