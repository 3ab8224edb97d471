"""Datelines, date lines and sign-offs: where a statement says where and when it was issued.

"(Bangkok, 10 February 2022) – We ...", "Jakarta, 12 Agustus 2021 – Kami ...",
"（2021年6月4日 香港）我们...", "အောက်တိုဘာ ၂၊ ၂၀၂၀၊ ရန်ကုန် – ..." open the first paragraph; a
line holding only a date, perhaps with a place ("Hà Nội, ngày 4 tháng 3 năm 2021",
"ณ กรุงเทพมหานคร วันที่ ๔ มีนาคม ๒๕๖๔", "جاری کردہ: ۱۲ مارچ ۲۰۲۲") is a date line above the
text or a sign-off below it; "GENEVA —" or "New York, NY –" is a dateline with a place and no
date. A date inside a sentence is none of these: it must be in parentheses, followed by a
dash or a colon, or alone on its line with at most a place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocab
from .dates import ISO_DATE, find_date

_DASH = r"[–—-]"
_OPEN = "([（【"
_CLOSE = ")]）】"
# What may stand between a place and its date, or around the date.
# ("香港．2021年7月15日": a full-width stop, or a middle dot, parts them too.)
_PLACE_END = re.compile(r"[\s,،၊，、:：．・·]+$")  # "اسلام آباد: 3 مارچ 2024"
_PLACE_START = re.compile(r"^[\s,،၊，、]+")
_TRAILING_CODE = re.compile(r",\s*[A-Z]{2}$")  # "New York, NY"
_MARKER = re.compile(r"\s*\([^()]{1,12}\)\s*$")  # "لاہور (پ ر)": a press-release mark
_PLACE_ONLY = re.compile(rf"^(?P<place>[^\W\d_][^\d()\[\]:;.!?–—]{{0,40}}?(?:,\s*[A-Z]{{2}})?"
                         rf"(?:\s*\([^()\d]{{1,12}}\))?)\s*{_DASH}\s+(?P<rest>\S.*)$")


# "(Beirut) – ...", "(بيروت) – ...": the place alone in brackets, as a news agency writes it.
_PAREN_PLACE = re.compile(rf"^[(（](?P<place>[^\W\d_][^\d()（）\[\]:;.!?–—]{{0,40}})[)）]\s*"
                          rf"{_DASH}\s+(?P<rest>\S.*)$")
_SAME_DATE_AFTER = re.compile(r"^\s*[(（]([^()（）]{6,40})[)）]")
_ERA_AFTER = re.compile(r"^\s*(?:م|ء|AD|CE|A\.D\.|C\.E\.)(?=\s|$|[,.،])\.?")
_DUAL = re.compile(r"(?:^|[,،၊，:：])\s*[^,،၊，/:：]*\d[^,،၊，/:：]*(?:/|[,،]\s*(?:الموافق|"
                   r"corresponding to|that is)|\s(?:برابر با|مطابق با|الموافق|بمطابق|=))\s*$")


def other_calendar_date(text: str) -> bool:
    """"১২ আষাঢ় ১৪৩১", "۱۵ شهریور ۱۴۰۲": a day in another calendar than the Gregorian (a day,
    a month's name, a year of three or four digits in any script), which no reader knows."""
    words = text.split()
    return 2 <= len(words) <= 5 and any(re.fullmatch(r"\d{3,4}", w) for w in words) and any(
        any(c.isalpha() for c in w) and not any(c.isdigit() for c in w)
        for w in words)  # (neither isalpha() nor \w takes "আষাঢ়" whole: its vowel signs)


@dataclass(frozen=True)
class Dateline:
    date: dt.date | None
    place: str | None
    rest: str  # the paragraph's text after the dateline; "" when the line was only that
    buddhist_era: bool = False


@lru_cache(maxsize=8192)  # pure, and asked of the same line several times
def match_dateline(text: str, language: str | None = None) -> Dateline | None:
    """The dateline at the start of `text`, or None when it does not start with one."""
    head = text[:200]
    found = find_date(head, language)
    if found is None:
        return None
    end = found.end
    while end < len(text) and text[end].isalpha() and text[end - 1].isalpha() and not (
            "\u3400" <= text[end] <= "\u9fff"):  # (a Chinese "日于香港" has no case ending)
        end += 1  # "14-марты": the month's case ending, past what the date reader matched
    before, after = head[:found.start], text[end:]
    issued = vocab.words_pattern(vocab.ISSUED_WORDS).match(head)
    if issued and issued.end() > found.start:
        before = ""  # "แถลงเมื่อวันที่ ๑๒ ...": the date reader began inside "issued on"
    era = _ERA_AFTER.match(after)
    if era:  # "٢٤ آذار/مارس ٢٠٢٤ م", "24 March 2024 AD": the era's mark
        after = after[era.end():]
    other = _SAME_DATE_AFTER.match(after)
    if other and (find_date(other.group(1), language) or other_calendar_date(other.group(1))):
        after = after[other.end():]  # "२०८० भदौ १ गते (१८ अगस्ट २०२३)", "(১২ আষাঢ় ১৪৩১)"
    opened = bool(before.strip()) and before.lstrip()[0] in _OPEN
    before = before.strip().lstrip(_OPEN).strip().rstrip("«")  # "«14» марта": the day quoted
    if before and before[-1] in _OPEN:  # "Medan, Senin (12/4/2021) –": the date in parentheses
        before, opened = before[:-1].strip(), True
    dual = _DUAL.search(before)
    if dual:  # "ঢাকা, ৮ চৈত্র ১৪২৯ বঙ্গাব্দ / ২২ মার্চ ২০২৩": another calendar's date first
        before = before[:dual.start()]
    before = _strip_weekday(_strip_issued(before))
    place = _place(_PLACE_END.sub("", before))
    if before and place is None:
        return None
    # After the date: perhaps the place (date first, as in Chinese and Burmese datelines).
    after_place = None
    closing = re.match(rf"^[\s,،၊，、]*(?P<p>[^\d{re.escape(_CLOSE)}–—:：\-]{{1,40}}?)?\s*"
                       rf"(?P<close>[{re.escape(_CLOSE)}])", after) if opened else None
    if closing:
        after_place = _place(closing.group("p") or "")
        after = after[closing.end():]
    elif not opened and place is None and (at := _AT_PLACE.match(after)):
        after_place, after = _place(at.group("p")), ""  # "二〇二二年三月四日于香港": "at Hong Kong"
    elif not opened:
        loose = re.match(rf"^[\s,،၊]+(?P<p>[^\d,،၊–—:\-]{{1,30}}?)\s*(?={_DASH}|[:：]|$)", after)
        if loose and place is None and not _BYLINE.search(loose.group("p")):
            after_place = _place(loose.group("p"))
            if after_place is not None:
                after = after[loose.end():]
    sep = re.match(rf"^\s*(?:{_DASH}|[:：;])?\s*", after)
    joined = sep.group(0).strip() if sep else ""
    rest = after[sep.end():] if sep else after
    if rest and not (opened or joined or closing):
        return None  # a date inside a sentence
    if rest and joined == ";" and not before:
        rest = ""  # "ចេញផ្សាយ <date>; <issuer>": a published line, not a paragraph
    return Dateline(found.date, place or after_place, rest.strip(), found.buddhist_era)


# The place is bounded: an unbounded lazy repeat keeps a frame a character in the regex
# engine's stack, half a gigabyte on a saved page's one 2 MB line of words.
_CAPS_PLACE = re.compile(r"^(?P<place>[^\W\d_](?:[^\W\d_]|[ .'-]){0,60}?)(?:,?\s+\d{1,2}\s+"
                         r"[^\W\d_]{3,12}\.?)?\s*(?:[:：]|[–—]|--?)\s+(?P<rest>\S.*)$")


_PLACE_DASH_ALONE = re.compile(r"^(?P<place>[^\W\d_][^\W\d_.'-]*(?:[ .'-]+[^\W\d_]+){0,3})"
                               r"\s*(?:[–—]|--?)\s*$")


def place_dash_alone(text: str) -> str | None:
    """"YANGON —" alone on its line, the text in the next paragraph: the dateline's place."""
    match = _PLACE_DASH_ALONE.match(text.strip())
    if not match or not match.group("place").isupper():
        return None
    return _place(match.group("place"))


def match_place_dateline(text: str) -> Dateline | None:
    """"GENEVA — States must ...": a dateline with a place and no date; "KUALA LUMPUR 13
    Ogos: ...": a newspaper's dateline, the place in capitals, a day and month, a colon."""
    caps = _CAPS_PLACE.match(text)
    if caps and caps.group("place").isupper() and len(caps.group("place").split()) <= 4 and (
            len(caps.group("rest")) >= 40):
        place = _place(caps.group("place"))
        if place:
            return Dateline(None, place, caps.group("rest").strip())
    paren = _PAREN_PLACE.match(text)
    words = paren.group("place").split() if paren else []
    if paren and len(words) <= 4 and len(paren.group("rest")) >= 40 and all(
            w[:1].isupper() for w in words if w[:1].upper() != w[:1].lower()):
        place = _place(paren.group("place"))
        if place:
            return Dateline(None, place, paren.group("rest").strip())
    match = _PLACE_ONLY.match(text)
    if not match:
        return None
    raw = match.group("place").strip()
    words = _MARKER.sub("", raw).split()
    if not words or len(words) > 4 or len(match.group("rest")) < 40:
        return None
    cased = [w for w in words if w[:1].isalpha() and w[:1].upper() != w[:1].lower()]
    if cased and not all(w[:1].isupper() for w in cased if w.isalpha() or "," in w):
        return None
    if cased and not (raw.isupper() or _TRAILING_CODE.search(_MARKER.sub("", raw))
                      or len(words) <= 2):
        return None
    place = _place(raw)
    return Dateline(None, place, match.group("rest").strip()) if place else None


def _strip_weekday(text: str) -> str:
    """"Medan, Senin" -> "Medan": a weekday (CLDR's names) after the place."""
    from .dates import weekday_names

    head, sep, last = text.rpartition(",")
    if sep and last.strip().casefold() in weekday_names():
        return head.strip()
    # "ថ្ងៃអង្គារ ទី" ("Tuesday, the" before the day's number): a weekday alone, no place.
    bare = re.sub(r"^ថ្ងៃ", "", re.sub(r"\s*(?:ទី|ថ្ងៃទី)$", "", text.strip()))
    if bare and bare.casefold() in weekday_names():
        return ""
    return text


def _strip_issued(text: str) -> str:
    pattern = vocab.words_pattern(vocab.ISSUED_WORDS)
    match = pattern.match(text)
    if match and (len(text) == match.end() or not text[match.end()].isalpha()):
        return text[match.end():].lstrip(" :：៖-–—")
    return text


# "15 October 2024 by <author>", "15 अक्टूबर 2024 द्वारा <author>": a byline, not a place.
_BYLINE = re.compile(r"^\s*(?:by|oleh|bởi|โดย|द्वारा|কর্তৃক|توسط|بواسطة)\s|\sद्वारा\s*$",
                     re.IGNORECASE)
# A Chinese sign-off's date, then "于" (at) and the place, alone on its line.
_AT_PLACE = re.compile(r"^\s*[于於]\s*(?P<p>[^\W\d_]{2,12})\s*$")
# The word a dateline puts between its place and its day: Arabic "في", Persian "در".
_ON_THE_DAY = frozenset({"في", "فى", "در"})
# "Done at", glued to the place in a Khmer sign-off (a script with no spaces between words).
_DONE_AT = ("ធ្វើនៅ",)


def _place(text: str) -> str | None:
    """A place as a record writes it: "GENEVA" -> "Geneva", "New York, NY" -> "New York"."""
    text = _MARKER.sub("", text.strip(" ,،၊，、«»．・·"))
    text = _TRAILING_CODE.sub("", text).strip(" ,")
    head, comma, tail = text.partition(",")
    if comma and head.strip() and (head.isupper() or len(tail.split()) <= 2):
        text = head.strip()  # "PHNOM PENH, Cambodia": the city, not its country
    words = text.split()
    if words and words[0].casefold() in vocab.PLACE_WORDS and len(words) > 1:
        text = " ".join(words[1:])
    for done_at in _DONE_AT:
        if text.startswith(done_at) and text[len(done_at):].strip():
            text = text[len(done_at):].strip()  # "ធ្វើនៅរាជធានីភ្នំពេញ": done at Phnom Penh
    words = text.split()
    if len(words) > 1 and words[-1] in _ON_THE_DAY:
        text = " ".join(words[:-1]).rstrip(" ,،")  # "بيروت في ١٠ كانون الأول", "تونس، في ١٨"
    if not text:
        return None
    from .structure import kind_label

    if kind_label(text):
        return None  # "Press Statement 10th September 2012": a label, not a place
    if len(text) > 60 or len(text.split()) > 6 or re.search(r"[\d()\[\]:;.!?]", text):
        return None
    if text.isupper() and any(c.isalpha() for c in text):
        text = place_case(text)
    return text


# Words a place's name keeps in lower case after its first ("Lungsod ng Davao", "City of
# San Fernando", "Dar es Salaam") when it was written in capitals.
_PARTICLES = frozenset(("ng", "of", "de", "del", "la", "di", "da", "du", "des", "es", "and"))


def place_case(text: str) -> str:
    """A place written in capitals ("LUNGSOD NG DAVAO", "COX'S BAZAR") as it is written in
    a sentence; str.title() would make "Ng" and "Cox'S"."""
    words = []
    for i, word in enumerate(text.split()):
        if i and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


def date_in_name(name: str) -> dt.date | None:
    """An ISO date in a file name, like forum-asia-kazakhstan-2022-02-10.txt."""
    return _ymd(ISO_DATE.search(name))


_PERMALINK_DATE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")


def date_in_address(url: str) -> dt.date | None:
    """The date of a dated permalink (WordPress and Blogger's /2023/08/30/slug/)."""
    return _ymd(_PERMALINK_DATE.search(url.split("?")[0]))


def _ymd(match: re.Match | None) -> dt.date | None:
    """The date of a match's (year, month, day) groups; None for none, or a day that is not
    in the calendar (2023-02-30)."""
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """A date anywhere in `text` (page metadata: "2022-02-10T09:12", "Published: ...")."""
    found = find_date(text)
    return found.date if found else None
