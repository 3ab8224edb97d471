"""Recognising the parts of an archived statement in its lines.

A statement from an old archive reads, top to bottom: the site's furniture and labels, a
title, perhaps a date line, then the body (its first paragraph perhaps opened by a
dateline), then in some order an endorser list, an "About X" block, contacts, notes,
a sign-off with place and date, signatures; the site's chrome is scattered around.
`split_parts` sorts the lines into those parts, and lists every line it cut with the reason;
it decides nothing about organisations or e-mails (see `core`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from . import vocab
from .chrome import COMMENTS_HEADING, RECIPIENTS, SOURCE_LINE, SOURCE_NAMED, chrome_reason
from .datelines import (
    Dateline,
    match_dateline,
    match_place_dateline,
    other_calendar_date,
    place_dash_alone,
)
from .dates import find_date
from .footnotes import normalise_markers
from .sources import EMAIL, PHONE, Line, Source, escape, escape_inline, escape_line_start

_FOOTNOTE = re.compile(r"^\[(\d{1,3})\]\s*(?P<rest>.*)$")
_SUPER_NOTE = re.compile(r"^(?P<n>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*(?P<rest>\S.*)$")
_KOME_NOTE = re.compile(r"^※\s?(\d{1,2})[\s:：.)）]\s*(?P<rest>\S.*)$")  # "※1 「...」"
_KOME_MD = re.compile(r"^(?:※\s?|\\?\[)\d{1,2}\\?\]?[\s:：.)）]\s*")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]?\s+(?P<rest>.*)$")
# List marks: bullets, "1." "1)" "(1)" "1.Name" (no space), "١- " (Arabic), in any script's
# digits, and the Burmese "၁။".
BULLET = re.compile(r"^(?:[-•*–▪●◦·+]\s+|[・･]\s*(?=\S)|\(?\d{1,3}[.)۔](?:\s+|(?=[^\W\d_]))|"
                    r"\(\d{1,3}\)\s*|\d{1,3}\s?[-–]\s+|"
                    r"\d{1,3}။\s*|[一二三四五六七八九十]{1,3}、\s*)")
_MD_BULLET = re.compile(r"^(?:\\?[-•*–▪●◦·+]\s+|[・･]\s*(?=\S)|"
                        r"\\?\(?\d{1,3}\\?[.)](?:\s+|(?=[^\W\d_]))|"
                        r"\\?\(\d{1,3}\\?\)\s*|\d{1,3}\s?\\?[-–]\s+|\d{1,3}။\s*|[一二三四五六七八九十]{1,3}、\s*)")
_MD_FOOTNOTE = re.compile(r"^(?:\\?\[\d{1,3}\\?\]|\d{1,3}\\?[.)]?|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*")
# (One superscript digit at a time: "(...|[¹²]+)*$" backtracks exponentially on a run of them.)
_SENTENCE_END = re.compile(r"(?:[.!?。！？।۔॥។။]|[.!?]['\"’”)])(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰])*$")
_ACRONYM_IN = re.compile(r"[(（]\s*[A-Z][A-Za-z0-9&.\-]{1,14}\s*[)）]")
# The first words of a letter: its addressee block or salutation ("To:", "H.E.", "Dear",
# "Your Excellencies", "致：", "尊敬的"). The front of a statement ends where a letter begins.
LETTER_OPENING = re.compile(r"^(?:dear\b|to:|to\s+h\.\s?e\.|h\.\s?e\.|your excellenc|excellenc|"
                            r"yth\.|kepada\b|kính gửi|เรียน|ជូនចំពោះ|致\s*[:：]|尊敬的|敬啟者|"
                            r"уважаем|hurmatli\b|құрметті|урматтуу|эрхэм хүндэт|عزيزي|السيد|"
                            r"महोदय|জনাব|محترم|re\s*:|subject\s*:|අතිගරු\s|ගරු\s|"
                            r"เรื่อง\s|ເລື່ອງ\s|កម្មវត្ថុ|perihal\s*:|事由\s*[:：]|v/v\s)",
                            re.IGNORECASE)
_KIND_ALONE = re.compile(r"^[\[【(（]?\s*(?P<label>.+?)\s*[\]】)）]?\s*[:：៖]?$")
# The most characters, not counting spaces, a line that is only a label can have: the longest
# label (its case folded, which never shortens it) and a bracket either side and a colon.
_LABEL_CHARS = max(len("".join(w.casefold().split())) for ws in vocab.LABELS.values()
                   for w in ws) + 3


@dataclass
class Removed:
    """A line cut from the statement, and why (shown by `import --explain`)."""

    line: int
    text: str
    reason: str


@dataclass
class Parts:
    title: Line | None = None
    titles: list[Line] = field(default_factory=list)  # every title candidate in the text
    labels: list[str] = field(default_factory=list)  # kind labels on lines of their own
    date: dt.date | None = None
    place: str | None = None
    dateline: Line | None = None
    buddhist_era: bool = False
    body: list[Line] = field(default_factory=list)
    endorse_heading: Line | None = None
    issuer_lines: list[Line] = field(default_factory=list)  # under "Issued by:" after a list
    endorsers: list[Line] = field(default_factory=list)
    about_name: Line | None = None
    about: list[Line] = field(default_factory=list)
    contacts: list[tuple[str | None, Line]] = field(default_factory=list)  # (group, line)
    footnotes: list[tuple[int, Line]] = field(default_factory=list)  # (n, line without [n])
    leftovers: list[tuple[str, Line]] = field(default_factory=list)  # (after what, line)
    short_cut: list[Line] = field(default_factory=list)  # short lines cut after the lists
    signatures: list[list[Line]] = field(default_factory=list)  # blocks of lines
    signoffs: list[tuple[Line, Dateline]] = field(default_factory=list)
    meta_dates: list[tuple[Line, dt.date]] = field(default_factory=list)  # from chrome lines
    yearless: Line | None = None  # a dateline with no year, given the page's date's
    own_title: Line | None = None  # the statement's title below a reposting site's intro
    source_url: str | None = None
    removed: list[Removed] = field(default_factory=list)
    valediction: bool = False  # the letter closes with "Yours sincerely," and signatures
    later_dates: int = 0  # other dates above the text than the one taken
    people: list[Line] = field(default_factory=list)  # individual signatories

    def cut(self, line: Line, reason: str) -> None:
        self.removed.append(Removed(line.number, line.text, reason))


def strip_bullet(line: Line) -> Line:
    return Line(line.number, BULLET.sub("", line.text, count=1),
                _MD_BULLET.sub("", line.md, count=1))


def _sub_line(line: Line, text: str) -> Line:
    return Line(line.number, text, escape(text))


_BRACKETED_HEAD = re.compile(r"^[【\[〔［]\s*(?P<head>[^】\]〕］]{2,40}?)\s*[】\]〕］]\s*[:：]?\s*"
                            r"(?P<rest>.*)$")
_ABOUT_US = re.compile(r"^(?:about us|who we are|tentang kami|mengenai kami|về chúng tôi|"
                       r"เกี่ยวกับเรา|关于我们|關於我們|о нас|हमारे बारे में|ہمارے بارے میں|"
                       r"tungkol sa amin)$", re.IGNORECASE)
# A heading's colon; Burmese writes " -" ("ပူးတွဲထုတ်ပြန်သည့် အဖွဲ့အစည်းများ -") at its end.
_HEAD_COLON = re.compile(r"^(?P<head>[^:：៖]{2,70}?)\s*(?:[:：៖]\s*(?P<rest>.*)|"
                         r"\s[-–]\s*(?P<dash>)$)$")


@lru_cache(maxsize=8192)  # pure, and asked of the same line several times
def heading_of(text: str) -> tuple[str, re.Match] | None:
    """The kind of part a heading line opens ("endorse", "contact", "notes", "people"), or
    None. A heading begins with one of the genre's words; a short line ending in a colon is
    one too when it holds such a word elsewhere ("媒体联络：", "รายนามองค์กรที่ลงชื่อ...:") or
    a close spelling of one ("Подписавшиеся организации:")."""
    found = _heading_at_start(text)
    if found is None:
        found = _heading_by_word(text)
    if found is not None and found[0] == "endorse" and _DEMANDS.search(text):
        return None  # "The organisations ... call on the Council to:": demands follow
    if found is None:
        bracketed = _BRACKETED_HEAD.match(text)  # "【本件に関するお問い合わせ】"
        if bracketed:
            inner, rest = bracketed.group("head"), bracketed.group("rest")
            found = heading_of(f"{inner}: {rest}" if rest else f"{inner}:")
    if found is None and _ORDERED_LIST_HEAD.match(text):
        found = "endorse", _HEAD_COLON.match(f"{text}:")
    return found


# "...를 촉구하는 단체 (총 10개, 가나다순)", "...に賛同する団体（50音順）": a heading that ends
# with its noun (the organisations), then how many and in what order, with no colon.
_ORGANISATIONS = "|".join(re.escape(w) for w in vocab.ORGANISATIONS_WORDS)
_ORDERED_LIST_HEAD = re.compile(rf"^(?=.{{4,80}}$).+?(?:{_ORGANISATIONS})\s*[(（][^()（）]{{1,30}}"
                                rf"[)）]$")


def _heading_by_word(text: str) -> tuple[str, re.Match] | None:
    match = _HEAD_COLON.match(text)
    if not match or match.group("rest") or len(text) > 70:
        return None
    head = match.group("head").casefold()
    if _SENTENCE_END.search(head):
        return None
    spaced = " " in head and not _UNSPACED.search(head)
    for kind in ("people", "endorse", "contact", "notes"):
        for word in vocab.heading_words(kind):
            if len(word) >= 2 and word in head and (len(word) >= 4 or not head.isascii()) and (
                    not spaced or re.search(rf"(?<!\w){re.escape(word)}(?!\w)", head)):
                # (In a script with spaces, a whole word: "सन्दर्भमा", "in this context",
                # is no "सन्दर्भ", "references".)
                return kind, match
    if " ".join(head.split()) in vocab.ORGANISATIONS_WORDS:
        return "endorse", match
    words = head.split()
    if 2 <= len(words) <= 7 and words[-1] in vocab.ORGANISATIONS_WORDS and not _DEMANDS.search(
            head):
        # "ऐक्यबद्धता जनाउने संस्थाहरू:" ("organisations expressing solidarity:"), "Supporting
        # organisations:", "මෙම නිවේදනයට එකඟතාව පළ කළ සංවිධාන:" ("organisations that agreed
        # with this release"): a heading that ends with its noun, the organisations.
        return "endorse", match
    from rapidfuzz import fuzz, process

    for kind in ("people", "endorse", "contact"):
        best = process.extractOne(head, vocab.heading_words(kind), scorer=fuzz.ratio,
                                  score_cutoff=84)
        if best is not None:
            return kind, match
    return None


_DEMANDS = re.compile(r"\b(?:call(?:s|ing)?\s+(?:on|upon|for)|urges?|demands?|recommends?|"
                      r"requests?|ask)\b", re.IGNORECASE)


def _heading_at_start(text: str) -> tuple[str, re.Match] | None:
    for kind in ("people", "endorse", "contact", "notes"):
        match = vocab.heading_pattern(kind).match(text)
        if match is None:
            continue  # (before the substitutions below: most lines are no heading)
        if kind == "people" and match.group("rest") and text[len(match.group("head")):][
                :1] in (":", "："):
            return kind, match  # "Individuals: Name, role; Name, ...": the heading, then them
        if kind == "people" and (match.group("rest") or re.sub(  # "Individuals (...)"
                r"\s*[(（][^()（）]{1,80}[)）]\s*$", "", text).strip(
                " :：").casefold() not in vocab.heading_words("people")):
            continue  # "Individuals must ...": a sentence; only the bare heading is one
        if kind == "endorse" and match.group("rest") is None and re.search(
                r"\d", re.sub(r"[(（][^()（）]*[)）]", "", text)):  # "（50音順）": an order
            continue  # "Endorsed by 6 organisations": a count above the text, not the list
        if len(match.group("head")) <= 90 and (
                match.group("rest") is not None or len(text) <= 90):
            if kind == "notes" and match.group("rest"):
                continue  # "Note: the police said ..." is a sentence
            return kind, match
    return None


def about_of(text: str, generic: bool = False) -> tuple[str, str | None] | None:
    """"About FORUM-ASIA:" -> ("FORUM-ASIA", rest after the colon), or None. With
    `generic`, "About us" too (said where a paragraph about the organisation follows)."""
    if len(text) > 400:
        return None
    head, colon, rest = _split_colon(text)
    if len(head) > 140 or (not colon and len(head.split()) > 12):
        return None
    name = None
    match = vocab.words_pattern(vocab.ABOUT_BEFORE).match(head)
    if match:
        tail = head[match.end():]
        if tail[:1].isspace():
            name = tail.strip()
        elif tail and _uncased(tail) and not head[:match.end()].isascii():
            name = tail.strip()  # "关于香港…", "เกี่ยวกับศูนย์…": scripts that glue words
    if name is None:
        for m in vocab.words_pattern(vocab.ABOUT_AFTER).finditer(head):
            if m.end() == len(head) and m.start() > 0:
                name = head[:m.start()].strip()
    if not name or re.search(r"\d", name) or len(name.split()) > 14:
        return None
    if name.casefold() in _AUTHOR_WORDS:
        return None  # a blog's profile box (chrome), never an organisation's About block
    if not colon and _uncased(name) and any(vocab.kind_of(name[-n:]) for n in range(2, 6)):
        return None  # "关于废止…制度的公开信": "an open letter concerning ...", a title
    first = re.sub(r"^(?:the|la|le)\s+", "", name, flags=re.IGNORECASE)
    if generic and _ABOUT_US.match(text.strip(" :：")):
        return name, (rest if colon else None)
    if first[:1].isascii() and first[:1].isalpha() and not first[:1].isupper():
        return None  # "about two hundred people", "About us": not an About block
    if not first[:1].isupper() and not _uncased(first) and not colon:
        return None
    if not colon and text.endswith((".", ",", ";")):
        return None
    return name, (rest if colon else None)


# "About the author" in the languages of the corpus: "लेखक के बारे में", "Tentang Penulis".
_AUTHOR_WORDS = frozenset(("me", "the author", "the blogger", "author", "the writer", "penulis",
                           "pengarang", "tác giả", "ผู้เขียน", "作者", "著者", "автор", "автора",
                           "लेखक", "লেখক", "مصنف", "نویسنده", "الكاتب", "글쓴이", "필자"))


def _split_colon(text: str) -> tuple[str, bool, str]:
    # The first colon: the spaces around it go with the strip of either side (a pattern
    # that takes them too is tried at every character before it).
    match = _COLON.search(text)
    if not match:
        return text.strip(), False, ""
    return text[:match.start()].strip(), True, text[match.end():].strip()


_COLON = re.compile(r"[:：៖]")


def _uncased(text: str) -> bool:
    return bool(text) and text[:1].upper() == text[:1].lower()


def kind_label(text: str) -> str | None:
    """The kind a line names when it is only a label ("PRESS RELEASE", "【聯合聲明】")."""
    text = text.strip()
    if len(text) > _LABEL_CHARS and len("".join(text.split())) > _LABEL_CHARS:
        return None  # longer than any label with its brackets (the pattern took a paragraph's time)
    if _SPACED_OUT.fullmatch(text):
        text = text.replace(" ", "")  # "보 도 자 료", a heading spaced out letter by letter
    match = _KIND_ALONE.match(text)
    if not match:
        return None
    return vocab.kind_of(match.group("label"))


_SPACED_OUT = re.compile(r"(?:[^\W\d_] ){2,9}[^\W\d_]")


def valediction(text: str) -> bool:
    pattern = vocab.words_pattern(vocab.VALEDICTIONS)
    match = pattern.match(text)
    return bool(match) and len(text) - match.end() <= 2 and len(text) <= 60


_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff"
                       r"\uac00-\ud7af\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words in `text`; in scripts written without spaces between words (Chinese, Japanese,
    Thai, Khmer, Burmese, Lao), about one word for every six characters."""
    words = len(text.split())
    if _UNSPACED.search(text):
        return max(words, len(text) // 6)
    return words


def is_title_like(text: str) -> bool:
    words = word_count(text)
    return (len(text) <= 320 and words <= 45 and not text.endswith((":", ";", ",", "：", "；"))
            and not BULLET.match(text) and not _FOOTNOTE.match(text)
            and (not _SENTENCE_END.search(text) or words <= 3))


def split_parts(source: Source, site_names: frozenset[str] = frozenset(),
                meta_title: str | None = None, language: str | None = None,
                is_org=lambda _text: False) -> Parts:
    """Sort the source's lines into the parts of a statement. `is_org(text)` says whether a
    line names an organisation the directory knows (for a signature at the foot)."""
    parts = read_parts(source, site_names, meta_title, language)
    tail_signature(parts, is_org)
    return parts


def read_parts(source: Source, site_names: frozenset[str] = frozenset(),
               meta_title: str | None = None, language: str | None = None) -> Parts:
    """`split_parts` but the signature at the foot: all that needs no directory."""
    parts = Parts()
    lines = _without_author_cards(normalise_markers(list(source.lines)), parts)
    # The day the page says it was sent or posted, outside its text (an e-mail's): what a
    # dateline without its year is dated by, as by a date above the title.
    sent = dt.date.fromisoformat(source.date) if source.date else None
    start = _front(lines, parts, site_names, meta_title, language, sent)
    _sections(lines[start:], parts, language)
    return parts


# --- above the text ---------------------------------------------------------------------


_CARD_ABOVE = "the author's card above the text (who posted it, not the text)"
_FOLLOW = re.compile(r"^(?:\+\s*)?(?:follow|ikuti|theo dõi|ติดตาม|フォロー(?:する)?|팔로우|"
                     r"关注|關注|подписаться|жазылу|seguir)$", re.IGNORECASE)


def _without_author_cards(lines: list[Line], parts: Parts) -> list[Line]:
    """An author's card above the text ("Name" / "words about them" / "Follow"), as blog
    platforms print it: its lines cut, and said, before the title is looked for."""
    drop: set[int] = set()
    for i, line in enumerate(lines[:40]):
        if not _FOLLOW.match(line.text) or i == 0:
            continue
        card = [i]
        for j in range(i - 1, max(i - 3, -1), -1):
            if lines[j].number != lines[card[-1]].number - 1 or len(lines[j].text) > 120 or (
                    _SENTENCE_END.search(lines[j].text)):
                break
            card.append(j)
        if len(card) >= 2:
            drop.update(card)
    for i in sorted(drop):
        parts.cut(lines[i], _CARD_ABOVE)
    return [line for i, line in enumerate(lines) if i not in drop]


def _front(lines: list[Line], parts: Parts, site_names: frozenset[str],
           meta_title: str | None, language: str | None, sent: dt.date | None = None) -> int:
    """Read the lines above the body; the index of the body's first line."""
    folded_title = _fold(meta_title) if meta_title else None
    start = len(lines)
    menu_until = -1
    under_name = -1  # the line right under the issuer's name (or an officer's) above the text
    label_at = -1  # the kind's label line ("PRESS RELEASE") alone above the text
    joined_upto = -1  # a line already joined to the title above it
    for i, line in enumerate(lines):
        text = line.text
        if line.number <= joined_upto:
            continue
        reason = chrome_reason(text)
        if not reason and not parts.titles and meta_title is None and _colon_wrapped_title(
                lines, i):
            # "The right to the truth:" / "an open letter to the President", then a blank:
            # one title, broken after its colon (a PDF's or a narrow page's line).
            after = lines[i + 1]
            parts.titles.append(Line(line.number, f"{text} {after.text}",
                                     f"{line.md} {after.md}"))
            joined_upto = after.number
            continue
        if not reason and i + 1 < len(lines) and lines[i + 1].number == line.number + 1 and (
                _FOLLOWERS.match(lines[i + 1].text)) and len(text) <= 200:
            parts.cut(line, "the poster's headline, above their followers' count")
            continue
        if not reason and i + 1 < len(lines) and len(text) <= 60 and (
                chrome_reason(lines[i + 1].text) == RECIPIENTS):
            parts.cut(line, "the message's sender, above its recipients (a mailing list's "
                      "web view)")
            continue
        if reason and reason != "the name of a section of the site":
            if reason == _MENU_REASON and parts.date is None and not _dated(text, language):
                _masthead(lines, parts)  # "Site name" above "Home | News | Contact"
            _chrome(parts, line, reason, language)
            continue
        if i > menu_until and parts.date is None:
            menu_until = i + _menu_run(lines, i, language) - 1
            if i <= menu_until:
                _masthead(lines, parts)
        if i <= menu_until:
            parts.cut(line, "a site menu (short links, one a line, above the statement)")
            continue
        if reason:
            _chrome(parts, line, reason, language)
            continue
        if _fold(text) in site_names:
            parts.cut(line, "the site's or an organisation's name, above the statement")
            under_name = i + 1
            continue
        if i == under_name and (parts.titles or meta_title) and _officer_line(text):
            parts.cut(line, "an officer of the issuer signing under its name, above the text "
                      "(a person, not an endorser)")
            under_name = i + 1
            continue
        if (parts.titles or meta_title) and len(text) <= 160 and _REPOST_NOTE.search(text):
            parts.cut(line, "a reposting site's note that it publishes the statement")
            continue
        label = kind_label(text)
        if label:
            parts.labels.append(text)
            parts.cut(line, "a label naming the statement's kind (kept as its type)")
            label_at = line.number
            continue
        ref = _REF_THEN_DATE.match(text)
        if ref:
            # "Nomor : 112/SK/III/2023    Jakarta, 17 Maret 2023": a letterhead's two columns.
            dated = match_dateline(ref.group("rest"), language)
            if dated is not None and dated.date is not None and not dated.rest:
                _take_date_line(parts, line, dated)
                continue
        found = match_dateline(text, language)
        if found is not None and found.date is not None:
            if found.rest:
                if parts.date is None or found.date < parts.date:
                    _take_dateline(parts, line, found)
                elif found.date == parts.date and parts.place is None and found.place:
                    # The page's "posted" line, then the text's own dateline of the same
                    # day: the dateline says where.
                    parts.place = found.place
                lines[i] = _strip_dateline(line, found.rest)
                start = i
                _join_wrapped_title(parts)
                break
            _take_date_line(parts, line, found)
            if meta_title is None and _letterhead(parts.titles):
                # "NAME IN CAPITALS / (ACRONYM) / address", then the date: the sender's
                # letterhead; the title comes after the date.
                name = next(t for t in parts.titles if not _contact_bit(t.text))
                parts.issuer_lines.append(name)
                for title in parts.titles:
                    parts.cut(title, "the letterhead above the text (its sender's name kept as "
                              "the issuer)")
                parts.titles.clear()
            continue
        worded = _worded_date_line(text, language)
        if worded is not None:
            found, label = worded
            if label:
                parts.labels.append(label)
            _take_date_line(parts, line, found)
            continue
        if parts.titles and _title_goes_on(parts.titles[-1], line):
            first = parts.titles[-1]  # "Open letter to the Minister" / "on the trial of ..."
            parts.titles[-1] = Line(first.number, f"{first.text} {text}", f"{first.md} {line.md}")
            continue
        if LETTER_OPENING.match(text) and (parts.titles or meta_title):
            start = i  # the addressee block or the salutation: the letter begins
            break
        if (meta_title or (parts.titles and len(parts.titles[-1].text) > len(text))) and (
                _addressee_above_salutation(lines, i)):
            start = i  # "Генеральному прокурору ..." and then "Уважаемый ...!"
            break
        if folded_title and (_fold(text) == folded_title or (_fold(text).endswith(
                folded_title) and len(text) < 2 * len(meta_title))):
            parts.cut(line, "the title again, above the text")
            continue
        if parts.date is not None and (parts.titles or meta_title) and not (
                is_title_like(text) and _front_worthy(lines, i, language)
                and (_paragraph_follows(lines, i) or word_count(text) <= 3
                     or _addressee_above_salutation(lines, i + 1))):
            start = i  # title, then date line: the text begins
            break
        if parts.titles and _caps_title_wraps(parts.titles[-1], line):
            first = parts.titles[-1]  # "... MESTI DIJALANKAN" / "SEGERA": one title
            parts.titles[-1] = Line(first.number, f"{first.text} {text}", f"{first.md} {line.md}")
            continue
        if _lead_in(lines, i, language):
            parts.cut(line, "a lead-in line before the text (\"full text:\")")
            continue
        if calendar_line(text):
            parts.cut(line, "a date in another calendar (the Gregorian date is kept)")
            continue
        alone = place_dash_alone(text) if parts.titles or meta_title else None
        if alone and _paragraph_follows(lines, i):
            if parts.place is None:
                parts.place = alone
            parts.cut(line, "the dateline's place, alone on its line (kept as place)")
            start = i + 1
            break
        if (parts.titles or meta_title) and _place_line(lines, i):
            if parts.place is None:
                parts.place = _place_text(text)
            parts.cut(line, "the place, alone above the text (kept as place)")
            continue
        if not is_title_like(text) or (meta_title and not _front_worthy(lines, i, language)):
            start = i
            break
        if parts.titles and _heads_numbered_text(lines, i):
            start = i  # "Introduction" over "1. This submission ...": the text's first section
            break
        if _section_label(lines, i, parts):
            parts.cut(line, "a section or category label above the title")
            continue
        heads = heading_of(text)
        if _notes_label(text, heads):
            # "Notes" above everything (Facebook's Notes, a site's section): not footnotes.
            parts.cut(line, "a section's name above the statement (\"Notes\")")
            continue
        if (meta_title is None and not _front_worthy(lines, i, language)) or heads or (
                parts.titles and _month_day_dateline(text) is not None):
            start = i
            break
        parts.titles.append(line)
    if meta_title is not None:
        for line in parts.titles:  # the page's own title is the title: these are the page's
            parts.cut(line, "a line above the text, beside the page's own title")
    if meta_title is None and parts.titles and label_at >= 0 and len(parts.titles) >= 2 and (
            all(line.number < label_at for line in parts.titles)) and start + 1 < len(
            lines) and lines[start].number > label_at and is_title_like(lines[start].text) and (
            not _SENTENCE_END.search(lines[start].text)) and (
            lines[start + 1].number > lines[start].number + 1):
        # A letterhead of two lines or more, the kind's label, then a line alone: the title
        # (the text runs on below it).
        parts.titles.append(lines[start])
        start += 1
    if meta_title is None and parts.titles:
        below = [line for line in parts.titles if line.number > label_at]
        # A letterhead (its name in two languages, a name and a motto), then the kind's
        # label ("प्रेस विज्ञप्ति"), then the title: the lines above the label are the
        # letterhead's. (One line above the label is the title: "Title / Press Statement".)
        # (A letterhead's line cut as the page's, "Name • Name in English", counts too.)
        above = len(parts.titles) - len(below) + sum(1 for r in parts.removed
                                                      if r.line < label_at)
        parts.title = _best_title(below if below and above >= 2 else parts.titles)
        for line in parts.titles:
            if line is not parts.title:
                if _fold(line.text) == _fold(parts.title.text):
                    parts.cut(line, "the title again")
                else:  # (a date it holds, "Posted: ...", is one of the page's)
                    _chrome(parts, line, "a line above the title, taken as part of the page",
                            language)
    labelled = start + 3 < len(lines) and kind_label(lines[start + 1].text) is not None
    own = start + 2 if labelled else start + 1  # "مشترکہ اعلامیہ" between the two: its kind
    if own + 1 < len(lines) and len(lines[start].text) <= 400 and _FULL_TEXT.search(
            lines[start].text) and is_title_like(lines[own].text) and not (
            _SENTENCE_END.search(lines[own].text)):
        # A news site's words introducing the statement ("... released today; its full text
        # follows"), then the statement's own title: the site's headline was the site's.
        parts.cut(lines[start], "the reposting site's words introducing the statement's "
                  "full text")
        if labelled:
            parts.labels.append(lines[start + 1].text)
            parts.cut(lines[start + 1], "a label naming the statement's kind (kept as its "
                      "type)")
            start += 1
        parts.own_title = lines[start + 1]
        parts.cut(lines[start + 1], "the statement's own title, below the site's "
                  "introduction (kept as the title)")
        start += 2
        found = match_dateline(lines[start].text, language) if start < len(lines) else None
        if found is not None and found.date is not None and not found.rest:
            _take_date_line(parts, lines[start], found)  # the statement's own date line
            start += 1
    elif start + 1 < len(lines) and len(lines[start].text) <= 200 and _FULL_TEXT.search(
            lines[start].text) and _POINTS_BELOW.search(lines[start].text):
        # "The full text of the statement follows:" alone before the text: the site's.
        parts.cut(lines[start], "the reposting site's words introducing the statement's "
                  "full text")
        start += 1
    page_date = parts.date or (parts.meta_dates[0][1] if parts.meta_dates else None) or sent
    if start < len(lines) and page_date is not None:
        # (The page's date, above the title or in its chrome, says when it was posted; the
        # dateline, when the statement was issued: it is the statement's date.)
        yearless = _yearless_dateline(lines[start].text, page_date)
        if yearless:
            parts.place, parts.date = yearless
            parts.yearless = lines[start]
            parts.cut(lines[start], "the dateline, without its year (kept as date and place; "
                      "the year is the page's date's)")
            start += 1
    if start < len(lines) and parts.date is None:
        place_only = match_place_dateline(lines[start].text)
        if place_only and parts.place is None:
            parts.place, parts.dateline = place_only.place, lines[start]
            lines[start] = _strip_dateline(lines[start], place_only.rest)
    elif start < len(lines) and parts.place is None:
        place_only = match_place_dateline(lines[start].text)
        if place_only:
            parts.place, parts.dateline = place_only.place, lines[start]
            lines[start] = _strip_dateline(lines[start], place_only.rest)
    return start


def _contact_bit(text: str) -> bool:
    return bool(EMAIL.search(text) or _WEB_ADDRESS.fullmatch(text.strip())
                or chrome_reason(text) in ("a letterhead's telephone line",
                                           "a letterhead's address") or _street_address(text))


def _street_address(text: str) -> bool:
    """"4/F Rights House, 112 Kalayaan Avenue, Quezon City 1101, Philippines": a building
    and street with its number, a city, a country last; no sentence."""
    parts = [p.strip() for p in text.split(",")]
    return len(parts) >= 3 and len(text) <= 140 and any(c.isdigit() for c in text) and (
        not _SENTENCE_END.search(text)) and parts[-1].casefold() in _territories("en")


_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")


def _letterhead(titles: list[Line]) -> bool:
    """The lines above a date line are a letterhead: one organisation's name in capitals
    with its acronym, and its addresses (e-mail, web, telephone, street)."""
    names = [t for t in titles if not _contact_bit(t.text)]
    if len(names) != 1 or len(titles) < 2:
        return False
    name = names[0].text
    bare = _ACRONYM_IN.sub("", name).strip()
    # (Its acronym beside it, or a street address among its lines: a sender, not a title.)
    return bool(_ACRONYM_IN.search(name) or any(_street_address(t.text) for t in titles)) and (
        bare.isupper() and len(bare.split()) >= 2)


def _officer_line(text: str) -> bool:
    """"共同代表　弁護士　山田 花子", "Chairperson: Tan Mei Ling": an office, then a name, a
    short line with no sentence in it."""
    words = text.replace("\u3000", " ").split()
    if not 2 <= len(words) <= 6 or len(text) > 60 or _SENTENCE_END.search(text):
        return False
    return _OFFICE.match(" ".join(words)) is not None


_OFFICES = "|".join(re.escape(w) for w in sorted(vocab.OFFICE_WORDS, key=len, reverse=True))
_OFFICE = re.compile(rf"^(?:{_OFFICES})(?:\s*[:：]\s*|\s+)\S", re.IGNORECASE)


def _take_date_line(parts: Parts, line: Line, found: Dateline) -> None:
    """A line above the text that holds a date: the earliest such date is the statement's
    (a page prints when it was posted, updated or reposted after the day it was issued)."""
    if parts.date is None:
        _take_dateline(parts, line, found)
        parts.cut(line, "the date line (kept as date and place)")
    elif found.date < parts.date:
        parts.date, parts.buddhist_era = found.date, found.buddhist_era
        parts.place = found.place or parts.place
        parts.later_dates += 1
        parts.cut(line, "an earlier date line above the statement (kept as the date)")
    else:
        if found.date != parts.date:
            parts.later_dates += 1
        elif parts.place is None and found.place:
            # The page's "posted" date, then the statement's own "Jayapura, 22 Agustus
            # 2022": the same day, and this one says where.
            parts.place = found.place
            parts.cut(line, "a second date line above the statement (its place kept)")
            return
        parts.cut(line, "a second date line above the statement")


_DATE_LINE_WORDS = 8


def _worded_date_line(text: str, language: str | None) -> tuple[Dateline, str | None] | None:
    """A short line of a few words around a full date, above the text: "Press Statement
    10th September 2012", "Опубликовано 12 июня 2012 года", "-Name, Director, October 4,
    2012.", "Submitted by admin on Tue, 02/08/2022 - 14:35". Not a sentence: the words
    around the date are few. Returns the date and the kind label among the words, if any."""
    if len(text) > 120:
        return None
    found = find_date(text, language)
    if found is None:
        return None
    words = f"{text[:found.start]} {text[found.end:]}".strip()
    # Punctuation and symbols are no words; a vowel sign is part of its word (Devanagari,
    # Thai: "[^\w\s]" would cut "प्रकाशित" into five).
    plain = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in words)
    after = text[found.end:].strip()
    if len(plain.split()) > _DATE_LINE_WORDS or len(words) > 64 or re.search(
            r"[。！？!?]|[.;]\s+\S", words) or (
            len(after.split()) >= 2 and _SENTENCE_END.search(after)):
        return None  # a sentence that holds a date
    head = text[:found.start].strip(" :：-–—,")
    label = head if head and kind_label(head) else None
    return Dateline(found.date, None, "", found.buddhist_era), label


# A site's menu as a text export keeps it: "Home", "About us", "Statements", "Contact", one
# link a line. Three such lines in a row, above the title, are the site's.
_MENU_ITEMS = 3
_MENU_ITEM_CHARS = 32
_MASTHEAD_LINES = 2


_MENU_REASON = "a menu, breadcrumb trail or meta line"


def _masthead(lines: list[Line], parts: Parts) -> None:
    """At the top of a page, above its menu, stand the site's name and motto, not the
    statement's title: the title candidates so far, if they are the page's first lines."""
    # By number: a title wrapped over two lines is one new Line, in no list of lines.
    first = {line.number for line in lines[:_MASTHEAD_LINES]}
    if parts.titles and all(t.number in first for t in parts.titles):
        for above in parts.titles:
            parts.cut(above, "the site's name or motto, above its menu")
        parts.titles.clear()


def _menu_item(text: str, language: str | None) -> bool:
    if len(text) > _MENU_ITEM_CHARS or (_UNSPACED.search(text) and _letters(text) > 14):
        return False
    if len(text.split()) > 4 or (_SENTENCE_END.search(text.rstrip(".…")) and not text.endswith(
            ("...", "…"))):
        return False
    if match_dateline(text, language) is not None or EMAIL.search(text):
        return False  # (an address: a letterhead's, never a menu's link)
    return not text.endswith((":", "：")) and not _FOOTNOTE.match(text)


def _letters(text: str) -> int:
    """Letters without the vowel signs and tone marks that Burmese, Thai or Khmer write as
    characters of their own: "ကျွန်ုပ်တို့အကြောင်း" is 9 letters, not 20 characters."""
    return sum(1 for c in text if not unicodedata.category(c).startswith("M"))


def _menu_run(lines: list[Line], i: int, language: str | None) -> int:
    """How many lines from `i` are a site menu: at least three short items in a row (the
    page's chrome between them counts with them). The last short line before a paragraph or
    a dateline is left out: it may be a short title."""
    n, items = i, []
    while n < len(lines):
        text = lines[n].text
        reason = chrome_reason(text)
        if reason == "the name of a section of the site":
            items.append(n)  # "Home", "News": a menu's own links
            n += 1
            continue
        if reason:
            n += 1
            continue
        if not _menu_item(text, language):
            break
        items.append(n)
        n += 1
    if items and n < len(lines) and not _title_ahead(lines, n, language) and (
            _paragraph(lines[n].text, lines[items[-1]].text) or (
            match_dateline(lines[n].text, language) is not None) or match_place_dateline(
            lines[n].text)):
        items.pop()
    # A menu names the site's sections ("Statements"); a kind label right above the title
    # ("JOINT STATEMENT") is the statement's own, and left to be read as its type.
    while items and kind_label(lines[items[-1]].text):
        items.pop()
    return items[-1] - i + 1 if len(items) >= _MENU_ITEMS else 0


def _in_menu(lines: list[Line], j: int, language: str | None) -> bool:
    """`lines[j]` is a short item with another beside it: a link of a menu."""
    return _menu_item(lines[j].text, language) and any(
        0 <= k < len(lines) and _menu_item(lines[k].text, language) for k in (j - 1, j + 1))


def _title_ahead(lines: list[Line], n: int, language: str | None) -> bool:
    """A line that can be the title comes from `n` on, past dates alone, labels and the
    page's furniture, before the text begins."""
    for later in lines[n:n + 8]:
        text = later.text
        if chrome_reason(text) or kind_label(text):
            continue
        found = match_dateline(text, language)
        if found is not None and found.date is not None and not found.rest:
            continue
        return found is None and is_title_like(text) and not _menu_item(text, language)
    return False


_SUBJECT_LINE = re.compile(r"^(?:to:|re\s*:|subject\s*:|perihal\s*:|موضوع\s*:|विषय\s*:|"
                           r"বিষয়\s*:|тема\s*:|事由\s*[:：]|เรื่อง\s)", re.IGNORECASE)


_REF_THEN_DATE = re.compile(r"^(?:our ref|ref|reference|nomor|no\.?|số)\s*[:：]\s*[\w./\-]{3,40}"
                            r"\s+(?P<rest>\S.{5,60})$", re.IGNORECASE)


_COUNTRY_WORDS = re.compile(r"^(?:ประเทศ)|(?:နိုင်ငံ|देश|দেশ|国|國)$")


def _country_heading(text: str, language: str | None) -> bool:
    """A country's or region's name alone on its line (a colon after it allowed)."""
    name = BULLET.sub("", text).strip(" :：")
    if not name or len(name) > 40:
        return False
    names = _territories(language)
    if name.casefold() in names or _COUNTRY_WORDS.sub("", name).casefold() in names:
        return True
    # "Regional and international", "Malaysia & Singapore": regions joined.
    joined = [p for p in _JOINED_REGIONS.split(name.casefold()) if p]
    return len(joined) >= 2 and all(p in names for p in joined)


_JOINED_REGIONS = re.compile(r"\s+(?:and|&)\s+|\s*[/,]\s*")


def _territories(language: str | None) -> frozenset[str]:
    key = (language or "en").replace("-", "_")  # zh_Hant: 台灣, not zh's 台湾
    if key not in _TERRITORIES:
        from babel import Locale, UnknownLocaleError

        found = {"regional", "international", "global", "asia", "south asia",
                 "southeast asia", "south-east asia", "central asia", *vocab.REGION_WORDS}
        for code in {"en", key}:
            try:
                names = {n.casefold() for n in Locale.parse(code).territories.values()}
            except (UnknownLocaleError, ValueError):
                continue
            # CLDR's "中國香港特別行政區" is printed "香港".
            found |= names | {_SAR.sub("", n) for n in names}
        _TERRITORIES[key] = frozenset(found)
    return _TERRITORIES[key]


_SAR = re.compile(r"^中[國国]|特別行政區$|特别行政区$")


_TERRITORIES: dict[str, frozenset[str]] = {}


_YEARLESS = re.compile(r"^(?P<place>[^\W\d][^,،၊\d]{1,30})[,،၊]\s*(?P<date>[^,،၊]{3,24}?)\s*"
                       r"[।|.:—–-]?$")


def _month_day_dateline(text: str):
    """"काठमाडौं, साउन १२ ।": a dateline alone on its line, its date without a year; the
    place and the day (a `MonthDay`), or None."""
    if len(text) > 60 or not any(comma in text for comma in ",،၊"):
        return None
    match = _YEARLESS.match(text)
    if not match or len(match.group("place").split()) > 3:
        return None
    from .dates import yearless_date

    month_day = yearless_date(match.group("date"))
    return (match.group("place").strip(), month_day) if month_day else None


def _yearless_dateline(text: str, page_date: dt.date) -> tuple[str, dt.date] | None:
    """A dateline without its year, on a page that gives a date: the year is the one that
    puts the day on or before the page's date (a statement is not posted before it is
    issued)."""
    found = _month_day_dateline(text)
    if found is None:
        return None
    from .dates import on_or_before

    date = on_or_before(found[1], page_date)
    return (found[0], date) if date else None


# "【団体概要】 / 団体名：... / 所在地：... / URL：...": an organisation's profile, as press-release
# platforms print it under the release.
_PROFILE_HEAD = re.compile(r"^[【\[■●]?\s*(?:団体概要|団体について|法人概要|組織概要|会社概要|"
                           r"단체 소개|기관 소개|机构简介|单位简介|機構簡介|organisation profile|"
                           r"organization profile|profil organisasi)\s*[】\]]?\s*[:：]?$",
                           re.IGNORECASE)
_PROFILE_ITEM = re.compile(r"^(?P<label>[^:：]{1,12})\s*[:：]\s*(?P<value>\S.{0,150})$")
_PROFILE_NAME = re.compile(r"^(?:団体名|法人名|名称|組織名|단체명|机构名称|名稱|name)$",
                           re.IGNORECASE)
# A social network's card of the poster: "4,812 followers" under their name and headline.
_FOLLOWERS = re.compile(r"^[\d,.]+\s*[KkMm]?\s+(?:followers|connections|подписчик\w*|"
                        r"位关注者|位追蹤者|フォロワー|팔로워|pengikut|người theo dõi|"
                        r"ผู้ติดตาม)$", re.IGNORECASE)
# A reposting site's sentence that announces the statement's full text below it.
_FULL_TEXT = re.compile(r"full text|full statement|statement in full|reproduced (?:below|in "
                        r"full)|အပြည့်အစုံ|pernyataan (?:lengkap|selengkapnya)|"
                        r"kenyataan penuh|toàn văn|ฉบับเต็ม|полный текст|全文如下|声明全文|"
                        r"聲明全文|전문(?:을|은|이다)|متن کامل|مکمل متن|نص البيان|النص الكامل",
                        re.IGNORECASE)
# ... and ends by pointing below: "... follows:", "... به شرح زیر است:", "全文如下："
_POINTS_BELOW = re.compile(r"(?:[:：]|\b(?:follows|below)\.?|ذیل میں (?:دیا جا رہا|درج) ہے[۔.]?)"
                           r"\s*$", re.IGNORECASE)
# "English version below", "(English translation follows)", "Versi bahasa Inggris di bawah".
_VERSION_BELOW = re.compile(
    r"^[(\[*_\s]*(?:(?:english|filipino|tagalog|bahasa indonesia|bahasa melayu|thai|"
    r"burmese|khmer|vietnamese|chinese)\s+(?:version|translation|text)\s+(?:below|follows)|"
    r"(?:scroll down|see below) for (?:the )?english(?: version| translation)?|"
    r"english below|versi bahasa (?:inggris|indonesia|melayu) (?:di bawah|berikut)|"
    r"bản tiếng anh (?:ở )?bên dưới|ฉบับภาษาอังกฤษ(?:ด้านล่าง|อยู่ด้านล่าง))[\s.:)\]*_]*$",
    re.IGNORECASE)


def _people_in(text: str) -> list[str]:
    """"Name, role; Name, role.": the people a line names, parted by semicolons."""
    return [w.strip(" .;；") for w in re.split(r"[;；]", text) if w.strip(" .;；")]


def _people_line(text: str) -> list[str] | None:
    """"<heading>: Name, role; Name, role; ...", most of them people (a title, a
    profession): the people, or None."""
    head, colon, rest = text.partition(":")
    if not colon or not rest.strip() or len(head) > 60 or len(text) > 1_000:
        return None
    who = _people_in(rest)
    if len(who) < 2:
        return None
    from .endorsers import is_person

    return who if sum(is_person(w) for w in who) * 3 >= len(who) * 2 else None


def _group_head(text: str) -> bool:
    """A short line ending in a colon, with no address, number or sentence in it: the
    heading of the contacts under it."""
    return (text.endswith((":", "：")) and len(text) <= 60 and not _DIGITS.search(text)
            and "@" not in text and not _SENTENCE_END.search(text[:-1]))


def _dated(text: str, language: str | None) -> bool:
    """A meta line ("Posted: 9 Feb 2024 | Category: ..."), not a menu: it holds a date."""
    return find_date(text, language) is not None


def _join_wrapped_title(parts: Parts) -> None:
    """The title a PDF's text wraps over two lines right above the dateline ("...cartoonist
    Zul" / "Rahim before Thursday's hearing"): one title."""
    titles = parts.titles
    if len(titles) < 2:
        return
    first, second = titles[-2], titles[-1]
    if second.number != first.number + 1 or _SENTENCE_END.search(first.text) or (
            first.text.endswith((":", "：")) or len(first.text) < 30 or kind_label(first.text)):
        return
    titles[-2:] = [Line(first.number, f"{first.text} {second.text}", f"{first.md} {second.md}")]


_DIGITS = re.compile(r"\d")


def _colon_wrapped_title(lines: list[Line], i: int) -> bool:
    """The first line ends with a colon and the next, right under it, ends the title: a
    blank after them, the next short, no heading, label, list or letter's line."""
    text = lines[i].text
    if i + 1 >= len(lines) or not text.endswith((":", "：")) or len(text) > 200:
        return False
    after = lines[i + 1]
    if after.number != lines[i].number + 1 or not is_title_like(after.text) or len(
            after.text) > 120 or (i + 2 < len(lines) and lines[i + 2].number == after.number + 1):
        return False
    return not (heading_of(text) or about_of(text) or kind_label(text.rstrip(":： "))
                or LETTER_OPENING.match(text) or LETTER_OPENING.match(after.text)
                or chrome_reason(after.text) or word_count(text) < 4)


def _title_goes_on(first: Line, line: Line) -> bool:
    """A title wrapped onto the next line, no blank between, the next line going on in
    small letters ("Thư ngỏ gửi Bộ trưởng ..." / "về dự thảo Thông tư ...")."""
    head = line.text[:1]
    last = first.text.split()[-1] if first.text.split() else ""
    # A long line broken after a word in small letters ("... civilians in northern" / "Shan
    # State must ..."): the page's width broke it, not the end of a title.
    broken = len(first.text) >= 50 and last.isalpha() and last.islower() and not (
        _DIGITS.search(line.text)) and len(line.text.split()) >= 3  # (not "Posted", nor
    # "Released in January 2016": the page's lines under a title)
    from .titles import clean_title

    return line.number == first.number + 1 and head.isalpha() and (
        head.islower() or (broken and clean_title(line.text).kind is None)) and (
        not _SENTENCE_END.search(first.text) and not first.text.endswith((":", "："))
        and len(first.text) + len(line.text) <= 250 and not kind_label(first.text))
    # (A subtitle naming the kind, "Заявление правозащитного центра ...", under a long
    # title: the title ended.)


def _caps_title_wraps(first: Line, line: Line) -> bool:
    """A title in capitals that a PDF's text wraps onto the next line, no blank between."""
    return line.number == first.number + 1 and first.text.isupper() and line.text.isupper() and (
        len(first.text) >= 30 and len(line.text) <= 60 and not _SENTENCE_END.search(first.text)
        and not first.text.endswith((":", "：")) and not kind_label(first.text)
        and not kind_label(line.text))


def _notes_label(text: str, heads) -> bool:
    """"Notes" alone above the statement: a site's section (Facebook's Notes)."""
    return bool(heads) and heads[0] == "notes" and not heads[1].group("rest") and (
        len(text) <= 30)


def _addressee_above_salutation(lines: list[Line], i: int) -> bool:
    """A short line or two, no sentence, right above a letter's salutation: whom the letter
    is to ("Генеральному прокурору Российской Федерации", "Ketua DPR RI")."""
    subject = False
    for j in range(i, min(i + 8, len(lines))):
        text = lines[j].text
        if j > i and (LETTER_OPENING.match(text) or _CJK_SALUTATION.match(text)) and not (
                _SUBJECT_LINE.match(text)):
            return True
        if j > i and _SUBJECT_LINE.match(text):
            subject = True  # "Re: ...", "موضوع: ...": between the address and the salutation
            continue
        if j > i and _CC_LINE.match(text):
            continue  # "cc: ...", "副本：...": who else receives it
        if subject or (j > i and _POSTAL_LINE.match(text)):
            continue  # the subject wrapped onto a second line; "Bangkok 10300"
        if len(text) > 80 or word_count(text) > 10 or _SENTENCE_END.search(text) or (
                re.search(r"[\[\]【】:：|/\d]", text)):
            return False  # a reference number, a label, the site's buttons: not whom to
    return False


# A Chinese letter's salutation: "部長您好：", "部長鈞鑒：" (the addressee, then the greeting).
_CJK_SALUTATION = re.compile(r"^[^\s，,。]{1,20}?(?:您好|你好|鈞鑒|钧鉴|台鑒|台鉴|道鑒|道鉴)"
                             r"\s*[:：，,!！]?$")
# A letter's copy line, under its addressee: "cc: ...", "副本：...", "Tembusan: ...".
_CC_LINE = re.compile(r"^(?:cc|c\.c\.|copy to|copies to|副本|抄送|tembusan|копия|sao gửi|"
                      r"สำเนาถึง|참조)\s*[:：]", re.IGNORECASE)


# An address's last line: a place and its postal code ("Bangkok 10300", "10110 Bangkok").
_POSTAL_LINE = re.compile(r"^(?:[^\W\d_][^\d,]{1,30},?\s+\d{4,6}|\d{4,6}\s+[^\W\d_][^\d]{1,30})$")


def _front_worthy(lines: list[Line], i: int, language: str | None) -> bool:
    """A short line above the statement's first paragraph, not a paragraph of its own: a
    paragraph, a dateline or a letter's opening follows before long, with only short lines
    (the page's furniture, a label, a place, a date) between."""
    here = lines[i].text
    for j in range(i + 1, min(i + 16, len(lines))):
        there = lines[j].text
        if place_dash_alone(there):
            return True  # "YANGON —" alone: the dateline, its text below
        if _notes_label(there, heading_of(there)):
            continue
        if kind_label(there) and len(here) <= 120 and not _SENTENCE_END.search(here):
            return True  # above the kind's label ("प्रेस विज्ञप्ति"): a letterhead's, or a title
        if chrome_reason(there) or kind_label(there) or _same_title(there, here) or (
                _menu_item(there, language) and not LETTER_OPENING.match(there) and (
                    not heading_of(there) or _in_menu(lines, j, language))):
            # The page's furniture; a short "About us" or "Contact" a menu's link (but "Your
            # Excellencies," is a letter's salutation, short as it is).
            continue
        if _paragraph(there, here) or LETTER_OPENING.match(there) or (
                match_dateline(there, language) is not None) or match_place_dateline(there):
            return True
        if heading_of(there) or about_of(there) or (
                len(here) > 60 and len(there) > 60 and len(there) >= 0.6 * len(here) and not (
                    here.isupper() and len(there) <= 200 and not _SENTENCE_END.search(there))):
            # A heading, or a line like this one: paragraphs in a row. (Not a newsletter's
            # item heading in capitals over the statement's own title.)
            return False
    return False


def _same_title(there: str, here: str) -> bool:
    """`there` is `here` again, or `here` is `there` with the site's name after a bar (a
    page's <title> copied above its heading: "Title | Site")."""
    if _fold(there) == _fold(here):
        return True
    page, bar, _site = here.rpartition(" | ")
    return bool(bar) and _fold(page) == _fold(there)


def _paragraph_follows(lines: list[Line], i: int) -> bool:
    """The next line that is not the page's is a paragraph (so `lines[i]` stands above the
    text, like a title after a coalition's name and a date line)."""
    for later in lines[i + 1:i + 4]:
        if chrome_reason(later.text):
            continue
        return _paragraph(later.text, lines[i].text) or bool(LETTER_OPENING.match(later.text))
    return False


# "We publish the statement unchanged.", "Публикуем заявление без изменений.", "以下是声明
# 全文：": a reposting site's words, one short sentence above the statement it reposts.
_REPOST_NOTE = re.compile(
    r"^(?:we (?:re)?(?:publish|post|share|reproduce)\b.{0,60}\b(?:statement|letter|release|"
    r"text)\b|(?:the )?(?:full )?text of the (?:statement|letter) (?:follows|is below)|"
    r"(?:публикуем|приводим|размещаем)\b.{0,60}(?:заявлени|обращени|письм|текст)|"
    r"(?:berikut|di bawah ini)\b.{0,30}(?:pernyataan|siaran pers|surat|teks)|"
    r".{0,100}(?:以下(?:是|為|为)|下面(?:是|為|为))(?:.{0,6})(?:声明|聲明|公开信|公開信)"
    r"(?:原文|全文)?).{0,80}$", re.IGNORECASE)


def _lead_in(lines: list[Line], i: int, language: str | None) -> bool:
    """"声明全文：", "Full text:": a short line ending in a colon right before a dateline."""
    text = lines[i].text
    if not text.endswith((":", "：")) or word_count(text) > 4 or heading_of(text):
        return False
    if LETTER_OPENING.match(text) or i + 1 >= len(lines):
        return False
    found = match_dateline(lines[i + 1].text, language)
    return found is not None and bool(found.rest)


def calendar_line(text: str) -> bool:
    """A line giving a date in another calendar than the Gregorian one (the lunar date of a
    Khmer sign-off, the Myanmar-era year above a Burmese statement): short, with digits and
    at least two of CLDR's words for day, month and year, and no date found in it."""
    if len(text) > 90 or not any(c.isdigit() for c in text) or _SENTENCE_END.search(text):
        return False
    from .dates import unit_words

    if find_date(text) is not None:
        return False
    hits = sum(1 for words in unit_words() if any(w in text for w in words))
    return hits >= 2


_PLACE_LEAD = re.compile(r"^(?:ณ|at|tại|di|sa|в|在|于|於|في)\s*\S", re.IGNORECASE)


def _place_line(lines: list[Line], i: int) -> bool:
    """A place alone on its line above the text: "БИШКЕК", "ณ จังหวัดเชียงใหม่"."""
    text = lines[i].text
    words = text.split()
    if not words or len(words) > 3 or len(text) > 40 or any(c.isdigit() for c in text):
        return False
    if sum(len(w) < 2 for w in words) > 1:
        return False  # "F T M": share buttons reduced to letters
    if re.search(r"[.!?:;,。：៖،؛]", text):
        return False
    cased = any(c.isalpha() and c.upper() != c.lower() for c in text)
    # "**Улаанбаатар**": a page's place set in bold as its own paragraph, each word capitalised.
    bold = lines[i].md.startswith("**") and lines[i].md.endswith("**") and all(
        w[:1].isupper() for w in words)
    if cased and not (text.isupper() or bold):
        return False
    if cased and any(c.isalpha() and c.upper() == c.lower() for c in text):
        return False  # "BRWC বার্তা": an acronym beside another script, a newsletter's name
    nxt = next((later for later in lines[i + 1:i + 4] if not chrome_reason(later.text)), None)
    if nxt is None:
        return False
    if not cased and not _PLACE_LEAD.match(text):
        # A script without capitals: a word or two right above a date alone ("කොළඹ" /
        # "2024 ඔක්තෝබර් 03"), else no telling a place from any short line.
        found = match_dateline(nxt.text)
        return len(words) <= 2 and nxt.number == lines[i].number + 1 and found is not None \
            and not kind_label(text) and not heading_of(text) \
            and found.date is not None and not found.rest and found.place is None
    return _paragraph(nxt.text, text) or bool(match_dateline(nxt.text)) or bool(
        _worded_date_line(nxt.text, None))


def _place_text(text: str) -> str:
    from .datelines import _place

    return _place(text) or text


def _paragraph(text: str, above: str) -> bool:
    """A line that reads as a paragraph of the text rather than a title or furniture."""
    words = word_count(text)
    if len(text) > max(1.5 * len(above), 120):
        return True
    return bool(_SENTENCE_END.search(text)) and (words > 12 or len(text) > 1.2 * len(above)) \
        and not _SENTENCE_END.search(above)


def _section_label(lines: list[Line], i: int, parts: Parts) -> bool:
    """"Statements", "Resources": one or two words above a longer title."""
    text = lines[i].text
    if vocab.is_section_label(text):
        return True
    short = len(text.split()) <= 2 and len(text) <= 24 if " " in text or text.isascii() else (
        len(text) <= 16)
    if not short:
        return False
    for later in lines[i + 1:i + 4]:
        if chrome_reason(later.text):
            continue
        return is_title_like(later.text) and len(later.text) > 2 * len(text)
    return False


def _best_title(candidates: list[Line]) -> Line:
    """The repeated line, else the fullest line (menus, labels, places and a site's name
    are a few words; a title says what happened), the later one on a tie."""
    seen: dict[str, int] = {}
    for line in candidates:
        seen[_fold(line.text)] = seen.get(_fold(line.text), 0) + 1
    from .titles import clean_title

    repeated = [line for line in candidates if seen[_fold(line.text)] > 1]
    labelled = [line for line in candidates if clean_title(line.text).label]
    if repeated and labelled and word_count(repeated[0].text) <= 5 and len(
            clean_title(labelled[0].text).text) > len(repeated[0].text):
        return labelled[0]  # "بیانیه: <title>" above its author's name, shown twice
    if repeated:
        return repeated[0]
    if labelled:
        return labelled[0]  # "【声明】...", "OPEN LETTER: ...": the statement names itself
    # A line of a few words around a date ("Published: Friday, ...") is the page's, not a
    # title, however many words its date takes.
    undated = [line for line in candidates if _worded_date_line(line.text, None) is None]
    return max(reversed(undated or candidates), key=_fullness)


def _fullness(line: Line) -> int:
    if _UNSPACED.search(line.text):
        # Names are spaced in Japanese or Thai ("共同代表 山本 直子"), words are not.
        return len("".join(line.text.split())) // 3
    words = word_count(line.text)
    return words if words > 2 else len(line.text) // 4


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _chrome(parts: Parts, line: Line, reason: str, language: str | None) -> None:
    parts.cut(line, reason)
    source = SOURCE_LINE.match(line.text)
    if source and parts.source_url is None:
        parts.source_url = source.group("url").rstrip(".,;")
    from .chrome import EDITORS_NOTE, UPDATED

    if reason in (UPDATED, EDITORS_NOTE):
        return  # when the page was last touched or corrected: no date of the statement's
    found = match_dateline(line.text, language)
    date = found.date if found else None
    if date is None:
        got = find_date(line.text, language)
        date = got.date if got else None
    if date is not None:
        parts.meta_dates.append((line, date))


def _take_dateline(parts: Parts, line: Line, found: Dateline) -> None:
    parts.date, parts.dateline, parts.buddhist_era = found.date, line, found.buddhist_era
    if found.place and parts.place is None:
        parts.place = found.place


def _strip_dateline(line: Line, rest: str) -> Line:
    """The first paragraph without its dateline, in text and Markdown."""
    prefix = line.text[: len(line.text) - len(rest)]
    if line.md.startswith(prefix):
        md = line.md[len(prefix):]
    else:
        # The dateline was marked up (bold, say): cut where the rest's first words begin.
        cut = line.md.find(escape_inline(rest[:24]))
        md = line.md[cut:] if cut >= 0 else escape_inline(rest)
    return Line(line.number, rest, escape_line_start(md.lstrip()))


# --- the body and after -----------------------------------------------------------------


_SIGNOFF_CUT = "the sign-off's place and date (kept as date and place)"


def _sections(lines: list[Line], parts: Parts, language: str | None) -> None:
    section = "body"
    notes_at: tuple[Line, int] | None = None  # a notes heading, and the notes read before it
    signed_at: list[int] = []  # for each sign-off, the body's length when it was read
    group: str | None = None
    ended = False  # past an end marker: only the known parts follow
    related = False  # under "Related news": other statements' titles
    comments = False  # under "2 comments:": readers' comments
    translated = False  # below "English version below": the statement in another language
    profile = False  # under "【団体概要】": the organisation's profile, a "label：value" a line
    author_card = False  # under "Written by <name>" after the text, until "Follow"
    signature: list[Line] = []
    group_at = 0  # the line of the last contacts heading
    list_from = 0  # the line of a second endorsers' heading
    endorse_at = [(j, len(line.text)) for j, line in enumerate(lines)
                  if (found := heading_of(line.text)) and found[0] == "endorse"]
    for at, line in enumerate(lines):
        text = line.text
        heading = heading_of(text)
        if heading and heading[0] == "endorse" and any(
                j > at + 1 and length < len(text) for j, length in endorse_at) and not (
                vocab.words_pattern(vocab.ISSUER_HEADINGS).search(text)):
            # "The signing organisations call for the following:" above a list of demands,
            # and the list of names under its own heading later: this one is the text's.
            # (Right above "Organisations:", "Signatories of the statement" is the lists'.)
            heading = None
        # (Whether a paragraph follows is asked only of an "About us": it decides nothing else.)
        about = None if heading else about_of(text, generic=bool(
            _ABOUT_US.match(text.strip(" :："))) and parts.about_name is None and bool(
            parts.body) and at + 1 < len(lines) and _paragraph(lines[at + 1].text, text))
        in_list = section == "endorsers"
        reason = None if heading or about else chrome_reason(text, in_list=in_list)
        if reason:
            if reason == "an end marker":
                ended = True
            if reason == "a related-posts or sidebar heading":
                related = True
            if parts.body and (reason == COMMENTS_HEADING or (
                    reason == "a comment counter or prompt" and re.search(r"\(\d+\)$", text)
                    and (parts.endorsers or len(parts.body) > 2))):
                comments = True  # ("Komentar (2)" under the post: its comments follow)
            # "Written by <name>" under the post: its author's card, a bio then "Follow".
            author_card = (reason == "an author or posting line" and bool(parts.body)
                           and text.casefold().startswith("written by")) or (
                author_card and reason != "a share or like button")
            _chrome(parts, line, reason, language)
            continue
        if author_card and len(text) <= 200:
            parts.cut(line, "the author's card under the post (who wrote it, not the text)")
            continue
        people = _people_line(text) if parts.endorsers and section != "contacts" else None
        if people:
            # "Также письмо поддержали: Name, journalist; Name, lawyer; ...": people.
            parts.people.extend(Line(line.number, who, who) for who in people)
            parts.cut(line, "the people who signed (not organisations), after their heading")
            continue
        named = SOURCE_NAMED.match(text) if parts.body and len(text) <= 120 else None
        if named and (_ACRONYM_IN.search(named["name"]) or _org_words(named["name"])):
            parts.issuer_lines.append(_sub_line(line, named["name"].strip()))
            parts.cut(line, "the line naming whose statement this is (kept as the issuer)")
            continue
        if heading:
            kind, match = heading
            related = False
            signature = _close_signature(parts, signature)
            if kind == "endorse" and parts.endorsers and section == "endorsers" and (
                    vocab.words_pattern(vocab.ISSUER_HEADINGS).match(text)):
                # "Disokong oleh:" (a list), then "Dikeluarkan oleh:": who issued it.
                section = "issuer"
                if match.group("rest"):
                    parts.issuer_lines.append(_sub_line(line, match.group("rest")))
                continue
            issuing = vocab.words_pattern(vocab.ISSUER_HEADINGS)
            if kind == "endorse" and section == "endorsers" and len(parts.endorsers) == 1 and (
                    parts.endorse_heading is not None and issuing.search(
                        parts.endorse_heading.text) and vocab.words_pattern(
                        vocab.MEMBERS_HEADINGS).match(text)):
                # "Kenyataan ini dikeluarkan oleh: / <coalition> / Ahli-ahli gabungan: /
                # <members>": the coalition issued it, its members endorse it.
                coalition = parts.endorsers.pop()
                parts.issuer_lines.append(coalition)
                parts.cut(coalition, "the coalition that issued it, above its members (kept "
                          "as the issuer)")
                parts.endorse_heading = line
                continue
            if kind == "endorse" and section == "endorsers" and parts.endorsers:
                list_from = line.number  # a second list ("呼びかけ団体", "賛同団体"): endorsers
                continue
            if kind == "endorse" and (not parts.endorsers or section == "signatures"):
                section = "endorsers"
                parts.endorse_heading = line
                if parts.body and vocab.words_pattern(vocab.MEMBERS_HEADINGS).match(text) and (
                        _names_coalition(parts.body[-1], line)):
                    coalition = parts.body.pop()
                    parts.issuer_lines.append(coalition)
                    parts.cut(coalition, "the coalition that issued it, above its members "
                              "(kept as the issuer)")
                rest = match.group("rest")
                if rest:
                    parts.endorsers.append(_sub_line(line, rest))
                continue
            if kind == "contact":
                section, group_at = "contacts", line.number
                group = text[: len(text) - len(match.group("rest") or "")].strip()
                if match.group("rest"):
                    parts.contacts.append((group, _sub_line(line, match.group("rest"))))
                continue
            if kind == "notes" and (parts.body or parts.endorsers):
                section = "notes"
                notes_at = (line, len(parts.footnotes))
                if _TO_EDITORS.match(text):
                    ended = False  # a release's notes to editors, after its "ENDS": its own
                continue
            if kind == "people" and (parts.body or parts.endorsers):
                section = "people"
                rest = match.group("rest")
                if rest:  # the people on the heading's line, parted by semicolons
                    parts.people.extend(Line(line.number, who, who) for who in _people_in(rest))
                    parts.cut(line, "the people who signed (not organisations), after their "
                              "heading")
                else:
                    parts.cut(line, "the heading of the people who signed (not "
                              "organisations)")
                continue
        if about and parts.about_name is None:
            signature = _close_signature(parts, signature)
            section = "about"
            related = False
            name, rest = about
            parts.about_name = _sub_line(line, name)
            if rest:
                parts.about.append(_sub_line(line, rest))
            continue
        if related:
            parts.cut(line, "under a related-posts or sidebar heading: the site's, not the "
                      "statement's")
            continue
        if comments:
            parts.cut(line, "under the comments' heading: a reader's comment, not the "
                      "statement")
            continue
        if translated:
            parts.cut(line, "the statement again in another language, after the line that "
                      "says so (a translation: import it as one)")
            continue
        if parts.body and _PROFILE_HEAD.match(text):
            profile = True
            parts.cut(line, "the heading of the organisation's profile (its name, address, "
                      "web address)")
            continue
        if profile and _PROFILE_ITEM.match(text):
            item = _PROFILE_ITEM.match(text)
            if _PROFILE_NAME.match(item.group("label")) and not parts.issuer_lines:
                parts.issuer_lines.append(_sub_line(line, item.group("value").strip()))
            parts.cut(line, "the organisation's profile, under its heading (its name kept as "
                      "the issuer)")
            continue
        profile = False
        if parts.body and _VERSION_BELOW.match(text):
            translated = True
            parts.cut(line, "the line announcing the statement in another language below")
            continue
        if valediction(text) and section in ("body", "endorsers"):
            parts.valediction = True
            parts.cut(line, "the letter's closing formula, before its signatures")
            section = "signatures"
            continue
        if section in ("body", "signatures", "endorsers", "about", "people", "after the list"
                       ) and parts.body and len(text) <= 120:
            # (A sign-off is short; a paragraph with a date is not one.)
            found = match_dateline(text, language)
            if found is not None and found.date is not None and not found.rest:
                parts.signoffs.append((line, found))
                signed_at.append(len(parts.body))
                parts.cut(line, _SIGNOFF_CUT)
                if section == "after the list" and parts.leftovers and _signs_above(
                        parts.leftovers[-1][1], line):
                    # "Mindanao Solidarity Coalition for Peace" / "Cotabato City, 9 November
                    # 2015" below the list: who signs it, then where and when.
                    signer = parts.leftovers.pop()[1]
                    parts.signatures.append([signer])
                    parts.cut(signer, "the issuer's signature at the foot of the statement")
                continue
        if parts.body and section in ("body", "signatures") and len(text) <= 60:
            place, comma, rest = text.partition("،") if "،" in text else text.partition(",")
            if comma and place_alone(place.strip()) and other_calendar_date(rest) and (
                    find_date(rest, language) is None):
                # "مشهد، ۱۵ شهریور ۱۴۰۲": the sign-off's place, its date in another calendar.
                if parts.place is None:
                    parts.place = place.strip()
                parts.cut(line, "the sign-off's place and a date in another calendar (the "
                          "place kept)")
                continue
        if parts.body and section in ("body", "signatures") and calendar_line(text):
            parts.cut(line, "a date in another calendar (the Gregorian date is kept)")
            continue
        note = _note_line(line, section, parts)
        if note:
            if not (section == "body" and _KOME_NOTE.match(text)):
                section = "notes"  # ("※1 ..." notes stand under what they explain: the text
                # goes on below them)
            signature = _close_signature(parts, signature)
            parts.footnotes.append(note)
            continue
        if section == "body":
            if ended:
                parts.cut(line, "after the end marker")
                continue
            parts.body.append(line)
        elif section == "signatures":
            signature.append(line)
        elif section == "issuer":
            parts.issuer_lines.append(line)
        elif section == "endorsers" and _country_heading(text, language):
            # "Regional", "Bangladesh", "မြန်မာနိုင်ငံ": the list's names grouped by country.
            parts.cut(line, "a country's heading inside the list of endorsers")
            list_from = line.number + 1
        elif section == "endorsers" and _group_heading(lines, at, parts.endorsers):
            parts.cut(line, "a group's heading inside the list of endorsers")
        elif section == "endorsers" and _text_group_heading(lines, at, parts.endorsers):
            # "Aceh" / "Sumatera Utara": a province's, a city's or a sector's name after a
            # blank line, organisations right under it.
            parts.cut(line, "a group's heading inside the list of endorsers")
            list_from = line.number + 1
        elif section == "endorsers" and line.number > list_from + 1 and _list_ended(
                parts.endorsers, line):
            # A text export's list ends at a blank line; what stands alone below it, short,
            # is the sign-off's place ("Вильнюс", "Kuala Lumpur"), else not a name.
            section = "after the list"
            if parts.place is None and place_alone(text):
                parts.place = text
                parts.cut(line, "the sign-off's place, alone below the list (kept as place)")
            else:
                parts.leftovers.append((section, line))
        elif section == "endorsers" and parts.endorsers and text.endswith((".", "。")) and (
                word_count(text) > 8) and not _ACRONYM_IN.search(text) and (
                len(text.split(",")) < 3):
            # "This statement remains open for endorsement until ...": a sentence of the
            # text's after the names (a name is no sentence of nine words and a full stop).
            section = "after the list"
            parts.leftovers.append((section, line))
        elif section == "endorsers" and _endorser_like(line, language):
            parts.endorsers.append(line)
        elif section == "about":
            parts.about.append(line)
        elif section == "people" and text.endswith((".", "。")) and word_count(text) > 6:
            # A sentence after the names ("This letter was coordinated by ..."): the text's.
            section = "after the list"
            parts.leftovers.append((section, line))
        elif section == "people":
            parts.people.append(line)
            parts.cut(line, "a person who signed (not an organisation, so not an endorser)")
        elif section == "contacts" and parts.contacts and line.number > max(
                parts.contacts[-1][1].number, group_at) + 1 and not _contact_like(lines, at):
            # Past a blank line, what reaches no address or number is not a contact: the
            # site's hashtags, counters and comment prompts under the post.
            section = "after the list"
            parts.leftovers.append((section, line))
        elif section == "contacts" and parts.contacts and _group_head(text):
            # "For international media:" under the first group's contact: a second group.
            group, group_at = text, line.number
        elif section == "contacts" and not (len(text) > 200 and text.endswith(".")):
            parts.contacts.append((group, line))
        elif section == "notes" and parts.footnotes and not BULLET.match(text) and not (
                _SENTENCE_END.search(parts.footnotes[-1][1].text)
                or SOURCE_LINE.match(text)):
            # A footnote running over two lines (a note that ended its sentence has ended).
            n, previous = parts.footnotes[-1]
            parts.footnotes[-1] = (n, Line(previous.number, f"{previous.text} {text}",
                                           f"{previous.md} {line.md}"))
        elif ended:
            parts.cut(line, "after the end marker")
        else:
            parts.leftovers.append((section, line))
    if len(parts.signoffs) >= 3 and len(signed_at) == len(
            parts.signoffs) and signed_at[0] < len(parts.body):
        # Three dates or more, each alone or at a row's start, with the text going on after
        # them: a timeline (a table's first column: "17 January 2024 | Four members stopped
        # ..."), not sign-offs. They go back into the text where they stood.
        dated = [line for line, _ in parts.signoffs]
        for shift, (line, at) in enumerate(zip(dated, signed_at, strict=True)):
            parts.body.insert(at + shift, line)
        parts.removed = [r for r in parts.removed if not (
            r.reason == _SIGNOFF_CUT and any(
                r.line == line.number and r.text == line.text for line in dated))]
        parts.signoffs = []
    if notes_at is not None and len(parts.footnotes) == notes_at[1]:
        # A "Notes:" heading over no note ("Notes to editors" over a list of facts): the
        # heading is the text's, with what it stands over, never lost.
        heading = notes_at[0]
        at = next((k for k, (_, kept) in enumerate(parts.leftovers)
                   if kept.number > heading.number), len(parts.leftovers))
        parts.leftovers.insert(at, ("notes", heading))
    _close_signature(parts, signature)
    _cut_short_leftovers(parts)


# "Notes to editors", "Catatan untuk editor": a release's last section, which newsrooms put
# after the "ENDS" line (the text's, not the site's).
_TO_EDITORS = re.compile(r"^(?:notes?|catatan|nota|ghi chú)\s+(?:to|for|untuk|kepada|cho)\s+"
                         r"(?:the\s+)?(?:editors?|redaksi|pengarang|biên tập(?: viên)?)\s*[:：]?$",
                         re.IGNORECASE)


def _signs_above(line: Line, signoff: Line) -> bool:
    """`line`, right above a sign-off, is a name signing (short, no sentence)."""
    return line.number == signoff.number - 1 and len(line.text) <= 100 and (
        word_count(line.text) <= 10 and not _SENTENCE_END.search(line.text))


def _cut_short_leftovers(parts: Parts) -> None:
    """After the lists, a short line that is not a sentence ("Print", "Tags: Myanmar",
    "Previous post") is the site's, not the statement's: the statement's own closing words
    are sentences. A short line with a sentence right under it is a subheading, and stays."""
    kept: list[tuple[str, Line]] = []
    leftovers = parts.leftovers
    # The poster's name, shown above the title: under the post it opens the author's card.
    posters = {_fold(r.text) for r in parts.removed if parts.body and r.line < (
        parts.body[0].number) and r.reason in ("a line above the title, taken as part of the page",
                                              _CARD_ABOVE)}
    card_until = -1
    for i, (section, line) in enumerate(leftovers):
        text = line.text
        if _fold(text) in posters and len(text) <= 80:
            card_until = line.number + 2
        if line.number <= card_until:
            parts.cut(line, "the author's card under the post (the name shown above the "
                      "title, and the words under it)")
            continue
        if _TO_EDITORS.match(text) and i + 1 < len(leftovers):
            kept.append((section, line))  # the heading of what follows it, however far
            continue
        if len(text) <= 60 and word_count(text) <= 8 and not _SENTENCE_END.search(text):
            following = leftovers[i + 1][1] if i + 1 < len(leftovers) else None
            heads = following is not None and following.number <= line.number + 2 and (
                _SENTENCE_END.search(following.text) and word_count(following.text) > 8)
            if not heads:
                parts.cut(line, "a short line after the lists that is no sentence: the "
                          "site's, not the statement's")
                parts.short_cut.append(line)
                continue
        kept.append((section, line))
    parts.leftovers = kept


def _contact_like(lines: list[Line], at: int) -> bool:
    """The line, or the lines right under it, give an e-mail address (shown or hidden) or
    a phone number: a contact's card."""
    from .contacts import _has_address

    card = [lines[at]]
    heads = lines[at].text.endswith((":", "："))  # a group's heading: its card is below
    for line in lines[at + 1:at + 3]:
        if line.number > card[-1].number + 1 and not heads:
            break
        card.append(line)
    return any(_has_address(line.text) or PHONE.search(line.text) for line in card)


def _close_signature(parts: Parts, block: list[Line]) -> list[Line]:
    if block:
        parts.signatures.append(block)
        for line in block:
            parts.cut(line, "a signature (its organisation kept as an endorser)")
    return []


def _note_line(line: Line, section: str, parts: Parts) -> tuple[int, Line] | None:
    text = line.text
    if not (parts.body or parts.endorsers):
        return None
    match = _FOOTNOTE.match(text)
    if match:
        return int(match.group(1)), _footnote_line(line, match.group("rest"))
    match = _KOME_NOTE.match(text)
    if match:
        md = _KOME_MD.sub("", line.md, count=1)
        return int(match.group(1)), Line(line.number, match.group("rest"), md)
    match = _SUPER_NOTE.match(text)
    if match:
        n = int(match.group("n").translate(str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")))
        return n, _footnote_line(line, match.group("rest"))
    if section == "notes":
        match = _NUMBERED.match(text)
        if match:
            return int(match.group(1)), _footnote_line(line, match.group("rest"))
    return None


def _footnote_line(line: Line, rest: str) -> Line:
    return Line(line.number, rest, _MD_FOOTNOTE.sub("", line.md, count=1))


def _names_coalition(line: Line, heading: Line) -> bool:
    """The line right above "yang terdiri atas:" names one organisation (the coalition)."""
    text = line.text.strip("*_ ")
    return heading.number - line.number <= 2 and len(text) <= 100 and not (
        _SENTENCE_END.search(text)) and word_count(text) <= 10


def _text_group_heading(lines: list[Line], at: int, endorsers: list[Line]) -> bool:
    line = lines[at]
    text = line.text
    if len(text) > 40 or len(text.split()) > 3 or _DIGITS.search(text) or _org_words(text) or (
            _ACRONYM_IN.search(text) or _SENTENCE_END.search(text) or text.endswith(":")):
        return False
    if BULLET.match(text) or (endorsers and line.number <= endorsers[-1].number + 1) or (
            at > 0 and lines[at - 1].number >= line.number - 1):
        return False  # an item, or in a run of names: a name (a group's heading follows a gap)
    group = []  # the names right under it, no blank between
    for later in lines[at + 1:at + 3]:
        if later.number != (group[-1].number if group else line.number) + 1:
            break
        group.append(later)
    return any(_org_words(g.text) or _ACRONYM_IN.search(g.text) for g in group)


def _group_heading(lines: list[Line], at: int, endorsers: list[Line]) -> bool:
    """A line that is no item between a list's items (a saved page's bullets): the heading
    of a group of them ("Lembaga bantuan hukum", "Organisasi lingkungan hidup")."""
    line = lines[at]
    if _MD_BULLET.match(line.md) or len(line.text) > 80 or line.text.endswith((".", "。")):
        return False
    after = lines[at + 1] if at + 1 < len(lines) else None
    return after is not None and bool(_MD_BULLET.match(after.md)) and (
        not endorsers or bool(_MD_BULLET.match(endorsers[-1].md)))


def _list_ended(endorsers: list[Line], line: Line) -> bool:
    """A blank line (a gap in the line numbers) after a list of two or more names, then a
    line that is not an item of it."""
    if len(endorsers) == 1:  # a whole list on one line ("A; B; C; and 23 others.")
        return line.number > endorsers[0].number + 1 and not BULLET.match(line.text) and len(
            _INLINE_SPLIT.split(endorsers[0].text)) >= 3
    return len(endorsers) >= 2 and line.number > endorsers[-1].number + 1 and not (
        BULLET.match(line.text)) and endorsers[-1].number - endorsers[-2].number <= 1


_INLINE_SPLIT = re.compile(r"\s*[;；]\s*")


def place_alone(text: str) -> bool:
    """A place's name alone: a few words of letters (marks too: "කොළඹ", "काठमाडौं")."""
    words = text.split()
    return bool(words) and len(words) <= 3 and len(text) <= 30 and (
        text[:1].isupper() or _uncased(text[:1])) and text[:1].isalpha() and all(
        unicodedata.category(c)[0] in "LM" or c in " .'-" for c in text)


def _endorser_like(line: Line, language: str | None = None) -> bool:
    """A name in a list, not a sentence that happens to follow the list; or a whole list
    on one line, its names parted by commas (or "|"); or the list's count of the rest."""
    from .endorsers import others_named_by_count

    text = BULLET.sub("", line.text)
    if others_named_by_count(text, language):
        return True  # "... dan 14 lagi organisasi serta individu.": the list's, said later
    names = [n for n in re.split(r"\s*[,，、;；၊،]\s*|\s+[|/·•–—-]\s+", text.rstrip(".。။"))
             if n]
    if len(names) >= 3 and all(len(n) <= 100 and len(n.split()) <= 12 for n in names):
        return True
    words = text.rstrip(".").split()
    if text.endswith(".") and len(words) >= 4 and words[-1].islower() and len(words[-1]) > 3:
        return False  # "This statement was coordinated by CABCL.": a sentence (not "Inc.")
    if vocab.words_pattern(vocab.COORDINATED_WORDS).search(text):
        return False  # "แถลงการณ์ฉบับนี้ประสานงานโดย...": no full stop, still a sentence
    return len(text) <= 160 and not (text.endswith(".") and len(text.split()) > 12)


def _heads_numbered_text(lines: list[Line], i: int) -> bool:
    """A short line right over the text's first numbered paragraph ("1. This joint
    submission is made by ..."): a section heading of a report's numbered text."""
    if i + 1 >= len(lines) or word_count(lines[i].text) > 6 or _SENTENCE_END.search(
            lines[i].text):
        return False
    below = lines[i + 1].text
    return re.match(r"^1[.)]\s", below) is not None and word_count(below) > 12


def tail_signature(parts: Parts, is_org) -> None:
    """A statement signed at its foot by its issuer ("BANTAY KARAPATAN NETWORK / National
    Secretariat / Quezon City", "(MCSF)" alone): the last short lines of the body, when one of
    them names an organisation (an acronym in parentheses, or the About block's name)."""
    body = parts.body
    if len(body) < 2:
        return
    about = _fold(parts.about_name.text) if parts.about_name else None
    block: list[Line] = []
    for line in reversed(body[-4:]):
        text = line.text
        dash_signed = not block and _DASH_SIGNATURE.match(text) is not None
        if not dash_signed and (len(text) > 90 or _SENTENCE_END.search(text) or BULLET.match(
                text) or line.md.startswith("#") or word_count(text) > 12):
            break
        block.insert(0, line)
        if dash_signed:
            break
    def names_org(line: Line) -> bool:
        return bool(_ACRONYM_IN.search(line.text) or (about and _fold(line.text) == about)
                    or (line.text.isupper() and len(line.text.split()) >= 2)
                    or _org_words(line.text) or is_org(line.text))

    first_org = next((i for i, line in enumerate(block) if names_org(line)), None)
    if first_org is None:
        return
    # Above the name, a signer's name and office are short; a longer line is the text's
    # last sentence (Thai and Lao end theirs with no stop).
    long_above = [i for i in range(first_org) if word_count(block[i].text) > 6]
    if long_above:
        block = block[long_above[-1] + 1:]
    if not block or len(block) == len(body):
        return
    del body[len(body) - len(block):]
    parts.signatures.append(block)
    for line in block:
        parts.cut(line, "the issuer's signature at the foot of the statement")


# "– Name, Executive Director, SURAS": a signature led by a dash, as the last line.
_DASH_SIGNATURE = re.compile(r"^[-–—]\s*[^\W\d_][^.!?]{2,100},\s*[^.!?]{2,100}$")
_ORG_WORDS = re.compile(r"\b(?:network|forum|centre|center|council|alliance|coalition|"
                        r"federation|union|association|foundation|commission|institute|"
                        r"committee|organi[sz]ation|society|collective|movement|league|"
                        r"lembaga|yayasan|pertubuhan|persatuan|jaringan|samahan|koalisi|aliansi|"
                        r"perhimpunan|perkumpulan|serikat|gerakan|ikatan|organisasi|kilusan|"
                        r"alyansa|koalisyon|hội|liên đoàn|liên minh|mạng lưới|trung tâm)\b|"
                        r"ศูนย์|เครือข่าย|มูลนิธิ|สมาคม|สมาพันธ์|สหพันธ์|សម្ព័ន្ធ|អង្គការ|"
                        r"ဖိုရမ်|အဖွဲ့|网络|網絡|中心|协会|協會|联盟|聯盟|मञ्च|संस्था|সংগঠন|"
                        r"কাউন্সিল|تنظیم|منظمة|شبكة|مرصد|مرکز|انجمن|کمیٹی|کونسل|اتحاد|"
                        r"сеть|фонд|центр|союз|коалиция|"
                        r"සංසදය|සංවිධානය|ජාලය|පදනම|මධ්‍යස්ථානය|அமைப்பு|மன்றம்|சங்கம்|"
                        r"வலையமைப்பு",
                        re.IGNORECASE)


def _org_words(text: str) -> bool:
    return bool(_ORG_WORDS.search(text)) and len(text) <= 80
