"""Plain text exported from a PDF: pages, running headers, notes at the foot of each page,
and lines wrapped inside paragraphs.

A PDF-to-text export separates pages with a form feed (or prints "Page N of M" at each
foot), repeats the document's header on every page, prints each page's footnotes at its
foot ("1 https://..."), and breaks every paragraph into lines of the page's width. Such a
text is put back together before its parts are recognised: the header and page numbers are
cut (and said), the notes moved to the end as "[n] ..." lines, and wrapped lines joined.
Other text exports (one paragraph a line) are left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .hyphens import join_broken
from .scripts import PHRASED, share_of
from .sources import EMAIL, Line, escape, normalise_space

# "Page 2 of 5", "Halaman 1 dari 2", "पृष्ठ १ / २", "- 3 -": in any script's digits.
_PAGE_NUMBER = re.compile(r"^(?:muka surat\s+\d+$)|"
                          r"^第\s*\d+\s*[页頁](?:\s*[，,]?\s*共\s*\d+\s*[页頁])?$|"
                          r"^(?:(?:page|halaman|trang|หน้า|पृष्ठ|পৃষ্ঠা|страница|стр\.|"
                          r"pahina|ទំព័រ|စာမျက်နှာ|صفحہ|صفحة|页|頁|ページ|페이지|ໜ້າ)\s*)?\d+\s*"
                          r"(?:of|/|daripada|dari|sa|ng|из|من|از|की|के|จาก|ຈາກ|នៃ)\s*\d+$|"
                          r"^[-–—]\s*\d+\s*[-–—]$",
                          re.IGNORECASE)
# A running footer: the document's short name, a wide gap, then the page's number.
_FOOTER = re.compile(r"^\S.{2,100}?\s{3,}(?:page|halaman)\s+\d+\s+(?:of|dari)\s+\d+$",
                     re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def _page_mark(raw: str) -> bool:
    if not _DIGIT.search(raw):
        return False  # every form has a number (and most lines none)
    text = normalise_space(raw)
    if _PAGE_NUMBER.match(text) or _FOOTER.match(raw.strip()):
        return True
    # "Address | www.org.org | পৃষ্ঠা ১/২": a running footer ending in the page's number.
    _head, bar, last = text.rpartition(" | ")
    return bool(bar) and len(text) <= 200 and bool(_PAGE_NUMBER.match(last.strip()))
_NOTE = re.compile(r"^(\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})\s*(?<=\s|[¹²³⁴⁵⁶⁷⁸⁹⁰])(\S.*)$")
# "1) ...": a note numbered as a Korean or Japanese word processor sets it, taken only
# under the rule that parts a page's notes from its text (else it is a list's item).
_PAREN_NOTE = re.compile(r"^(\d{1,3})\)\s+(\S.*)$")
_NOTES_RULE = re.compile(r"^[-–—_─━═]{5,}$")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")


def _ends_with_address(text: str) -> bool:
    words = text.split()
    return bool(words) and EMAIL.fullmatch(words[-1]) is not None


def _note_number(match: re.Match) -> int:
    """A note's number: "3", "३" (any script's digits), "³"."""
    return int(match.group(1).translate(_SUPERSCRIPT_DIGITS))


_ITEM = re.compile(r"^(?:[-•*–▪●◦·+]|\(?\d{1,3}[.)။]|[a-z][.)]|\[\d{1,3}\])\s+")
# A line this much shorter than the page's width ends its paragraph.
_FULL = 0.8
# Scripts written without spaces between words (Thai, Lao, Khmer, Burmese) break only at
# the spaces between phrases, so their wrapped lines end further from the margin.
_PHRASED = 0.7


def _phrased(text: str, share: float = 0.5) -> bool:
    """Whether more than `share` of the line's letters are of a phrased script."""
    return share_of(text, PHRASED) > share


def _width(text: str) -> int:
    """How wide a line is on the page, in characters: the marks a letter carries (Lao,
    Thai, Khmer, Burmese vowels and tones above and below it) take no width of their own."""
    return sum(1 for c in text if not unicodedata.combining(c)
               and unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def is_paged(text: str) -> bool:
    return "\f" in text or any(_page_mark(line) for line in text.splitlines())


def is_wrapped(text: str) -> bool:
    """A text whose paragraphs are broken into lines of a fixed width (an e-mail at 72-80
    characters, a PDF's text without page marks): most lines end near the widest, and blank
    lines part the paragraphs. Its lines are joined as a paged export's are."""
    # (Characters, not _width: that costs a call a character, and marks only matter to
    # scripts that do not break words with spaces.)
    widths = [len(line.strip()) for line in text.splitlines()[:2000] if line.strip()]
    if len(widths) < 8 or "\n\n" not in text:
        return False
    widest = sorted(widths)[int(len(widths) * 0.9)]
    if not 50 <= widest <= 100:
        return False
    full = sum(1 for w in widths if w >= _FULL * widest)
    return full >= 0.4 * len(widths)


_LATER_HEADER = re.compile(r"^(?=.{10,100}$)[^.!?।۔。]+\s[–—|-]\s[^.!?।۔。]+,?\s"
                           r"(?:\d{1,2}\s\S+\s|\S+\s\d{1,2},?\s)(?:19|20)\d\d$")


def unpage(text: str, heading) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """The lines of a paged export, rejoined; and what was cut: (line, text, reason).
    `heading(text)` says whether a line is a heading of a statement's part."""
    pages: list[list[tuple[int, str]]] = [[]]
    blank: set[int] = set()  # numbers of the lines that are blank
    # Lines of a phrased script set in from the margin (centred: a letterhead, a title, a
    # label): each a line of its own; a wrapped line of those scripts starts at the margin.
    centred: set[int] = set()
    footers = {normalise_space(raw) for raw in text.split("\n") if _FOOTER.match(raw.strip())}
    for number, raw in columns_read(text.split("\n")):
        if not raw.strip():
            blank.add(number)
        for k, piece in enumerate(raw.split("\f")):
            if k:
                pages.append([])
            clean = normalise_space(piece)
            if clean:
                pages[-1].append((number, clean))
                if len(piece) - len(piece.lstrip(" ")) >= 4 and _phrased(clean, 0.3):
                    centred.add(number)
            if clean and _page_mark(piece):
                pages.append([])
    pages = [p for p in pages if p]
    cut: list[tuple[int, str, str]] = []
    firsts = Counter(p[0][1] for p in pages if p)
    headers = {t for t, n in firsts.items() if n > 1}
    # A header printed from the second page on only ("<Org> – Letter to the Chief Minister,
    # 14 August 2024"): the document's name and its date, parted by a dash or a bar.
    headers |= {p[0][1] for p in pages[1:] if _LATER_HEADER.match(p[0][1])}
    # The line above each page's number, the same on two pages or more: a running footer.
    lasts = Counter(p[-2][1] for p in pages if len(p) >= 2 and _PAGE_NUMBER.match(p[-1][1]))
    running = {t for t, n in lasts.items() if n > 1}
    kept_pages = []
    for page in pages:
        kept = []
        for number, line in page:
            if line in headers:
                cut.append((number, line, "a running header of the PDF's pages"))
            elif line in running:
                cut.append((number, line, "a running footer of the PDF's pages"))
            elif _page_mark(line) or line in footers:
                cut.append((number, line, "a page number"))
            else:
                kept.append((number, line))
        kept_pages.append(kept)
    body: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    expected = 1
    for page in kept_pages:
        start = _notes_start(page, expected)
        body.extend(page[:start])
        paren = start < len(page) and _NOTE.match(page[start][1]) is None
        for number, line in page[start:]:
            match = (_PAREN_NOTE if paren else _NOTE).match(line)
            if match and _note_number(match) == expected:
                notes.append((number, f"[{expected}] {match.group(2)}"))
                expected += 1
            elif notes:
                notes[-1] = (notes[-1][0], join_broken(notes[-1][1], line))
    width = max((_width(t) for _, t in body), default=0)
    lines: list[Line] = []
    previous_full = False
    previous_number = 0
    for number, line in body:
        # A blank line between is a paragraph's end, however full the line above it was
        # (a page break is not: its header and footer lines were cut, not blank).
        # (A line above as wide as the page goes on, a heading's words at its start or not:
        # "This statement is endorsed by: A; B; C ..." wrapped.)
        joins = (lines and previous_full and not _ITEM.match(line) and not heading(line)
                 and not lines[-1].text.endswith(":")
                 and not _ends_with_address(lines[-1].text)  # a contact a line
                 and not blank.intersection(range(previous_number + 1, number))
                 and number not in centred and previous_number not in centred)
        previous_number = number
        if joins:
            last = lines[-1]
            merged = join_broken(last.text, line)
            lines[-1] = Line(last.number, merged, escape(merged))
        else:
            lines.append(Line(number, line, escape(line)))
        previous_full = _width(line) >= (_PHRASED if _phrased(line) else _FULL) * width
    lines.extend(Line(n, t, escape(t)) for n, t in notes)
    return lines, cut


# A numbered list set in two columns by `pdftotext -layout`: "1. Name            7. Name",
# each column's names wrapped onto lines of their own, the right column's text starting at
# one place (its numbers right-aligned before it).
_RIGHT_ITEM = re.compile(r"(?<!\s)\s{3,}(\d{1,3})\.\s+(?=\S)")  # each gap tried once
_ITEM_START = re.compile(r"^\s*(\d{1,3})\.\s+(?P<text>\S.*)$")


def columns_read(raws: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of every raw line, in reading order: a numbered list set in two
    columns is read down the left column, then down the right, one item a line (its
    wrapped lines joined), each item numbered by its first line; a list of names in two
    columns under its heading (no numbers: `sources.two_columns`) is read row by row, left
    name then right, each name a line."""
    from .sources import two_columns

    pairs = two_columns(raws)
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(raws):
        j = i
        while j < len(raws) and raws[j].strip() and "\f" not in raws[j]:
            j += 1
        # (A row of two columns is a line of a page: a longer one is none, and is not
        # searched, which on a run of spaces took time by its square.)
        items = _two_column_items(raws, i, j) if j - i >= 2 and all(
            len(raws[k]) <= 300 for k in range(i, j)) else None
        if items:
            out.extend(items)
        else:
            for k in range(i, max(j, i + 1)):
                cells = pairs.get(k + 1)
                if cells:
                    out.extend((k + 1, cell) for cell in cells)
                else:
                    out.append((k + 1, raws[k]))
        i = max(j, i + 1)
    return out


def _two_column_items(raws: list[str], start: int, end: int) -> list[tuple[int, str]] | None:
    starts = Counter(m.end() for k in range(start, end)
                     if (m := _RIGHT_ITEM.search(raws[k], 12)))
    if not starts:
        return None
    column, count = starts.most_common(1)[0]
    if count < 2:
        return None
    left: list[list] = []
    right: list[list] = []
    for k in range(start, end):
        raw = raws[k]
        m = _RIGHT_ITEM.search(raw, 12)
        if m and m.end() == column:
            cells = (raw[:m.start()], raw[m.start():])
        elif len(raw) > column and raw[column - 3:column].isspace() and not raw[column].isspace():
            cells = (raw[:column], raw[column:])  # a right-hand name wrapped
        else:
            cells = (raw, "")
        for side, cell in zip((left, right), cells, strict=True):
            cell = cell.strip()
            if not cell:
                continue
            item = _ITEM_START.match(cell)
            if item:
                side.append([k + 1, int(item.group(1)), item.group("text")])
            elif side:
                side[-1][2] += " " + cell
            else:
                return None  # text before the first number: no list of this shape
    numbers = [n for _, n, _ in left + right]
    if not left or not right or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None
    return [(number, f"{n}. {' '.join(text.split())}") for number, n, text in left + right]


def _notes_start(page: list[tuple[int, str]], expected: int) -> int:
    """Where the page's footnotes begin: the first line from which on every line is a note
    numbered in sequence from `expected`, or its continuation."""
    for i, (_, line) in enumerate(page):
        note = _NOTE
        match = _NOTE.match(line)
        if match is None and i > 0 and _NOTES_RULE.match(page[i - 1][1].strip()):
            note, match = _PAREN_NOTE, _PAREN_NOTE.match(line)
        if not match or _note_number(match) != expected:
            continue
        n = expected + 1
        ok = True
        for _, later in page[i + 1:]:
            m = note.match(later)
            if m and _note_number(m) == n:
                n += 1
            elif _ITEM.match(later) or (len(later) > 120 and later.endswith(":")):
                ok = False
                break
        if ok:
            return i
    return len(page)
