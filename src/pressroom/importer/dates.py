"""Finding and reading dates in the languages and calendars of the region.

A date is first found in a line by a pattern built from CLDR's month and weekday names (through
Babel: `get_month_names` and `get_day_names` of each locale, wide and abbreviated, in format
and stand-alone forms) and CLDR's words for day, month and year (its duration units:
Khmer "ថ្ងៃ ... ខែ ... ឆ្នាំ", Burmese "ရက် ... လ ... နှစ်"), with digits of any script read by
`unicodedata.digit`; no month table is typed here. The text found is then read by dateparser;
where dateparser reads nothing (Burmese and Khmer forms, Chinese numerals, two month names
joined by "/"), the pattern's own groups give the date. Thai Buddhist-era years are
converted (2564 -> 2021; a two-digit "63" is 2563, that is 2020, where dateparser reads
2063).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

# The locales whose month names are searched: every language of the region the archive
# holds statements in, and the regional forms of Arabic that name months differently
# (the Levantine "أيار", "كانون الأول").
LOCALES = ("en", "id", "ms", "fil", "vi", "th", "lo", "km", "my", "zh", "zh_Hant", "ja", "ko",
           "ru", "kk", "ky", "uz", "mn", "ne", "hi", "bn", "si", "ta", "ur", "ar", "ar_SY",
           "ar_IQ", "ar_LB", "ar_JO", "fa")
# Scripts whose calendars count years in the Buddhist era when a year is past this.
_BUDDHIST_SCRIPTS = ("THAI", "LAO", "KHMER", "MYANMAR")
_BUDDHIST_OFFSET = 543
_MINGUO_OFFSET = 1911  # 民國1年 is 1912
_JAPANESE_ERAS = {"令和": 2018, "平成": 1988}  # 令和元年 (its first year) is 2019
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_CJK_DIGITS = dict(zip("〇零一二三四五六七八九", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int  # where the date's text starts and ends in the line searched
    end: int
    buddhist_era: bool = False  # the source counted the year in the Buddhist era


# A decimal digit of another script than ASCII's (what `str.isdecimal` reads, as `\d` does).
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script as an ASCII digit, same length (so that
    a position in one is a position in the other)."""
    if text.isascii() or not _OTHER_DIGIT.search(text):
        return text
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text)


def _cjk_number(text: str) -> int | None:
    """"二〇二二" -> 2022 (digit by digit), "十二" -> 12, "二十一" -> 21."""
    if "十" not in text:
        digits = [_CJK_DIGITS.get(c) for c in text]
        return None if None in digits else int("".join(map(str, digits)))
    tens, _, units = text.partition("十")
    t = _CJK_DIGITS.get(tens) if tens else 1
    u = _CJK_DIGITS.get(units) if units else 0
    return None if t is None or u is None else t * 10 + u


@cache
def _names() -> tuple[dict[str, int], list[str], dict[str, tuple[str, ...]]]:
    """CLDR's month names (-> number), weekday names, and unit words for day/month/year."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_day_names, get_month_names
    from babel.units import get_unit_name

    months: dict[str, int] = {}
    weekdays: set[str] = set()
    units: dict[str, set[str]] = {"day": set(), "month": set(), "year": set()}
    for name in LOCALES:
        try:
            locale = Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, month in get_month_names(width, context, locale).items():
                    for form in {month, month.rstrip(".")}:
                        key = _fold(form)
                        if len(key) >= 2 and not key.isdigit():
                            months.setdefault(key, number)
                for day in get_day_names(width, context, locale).values():
                    if len(day) >= 2:
                        weekdays.add(day)
        for number, names in _dateparser_months(name).items():
            for form in names:
                key = _fold(form)
                if len(key) >= 2 and not key.isdigit():
                    months.setdefault(key, number)
        for field in units:
            for length in ("long", "short"):
                word = get_unit_name(f"duration-{field}", length=length, locale=locale)
                if word and len(word) <= 8 and " " not in word:
                    units[field].add(word)
    return months, sorted(weekdays, key=len, reverse=True), {
        k: tuple(sorted(v, key=len, reverse=True)) for k, v in units.items()}


_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")


def _dateparser_months(locale: str) -> dict[int, list[str]]:
    """The month names dateparser's language data gives `locale`, which has the names the
    press uses where CLDR gives another calendar's (Sinhala "ජූලි" beside CLDR's "ඇසළ")."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(locale.replace("_", "-")).info
    except Exception:  # a locale dateparser does not know: CLDR's names stand alone
        return {}
    return {n: [w for w in info.get(key, []) if isinstance(w, str)]
            for n, key in enumerate(_MONTH_KEYS, start=1)}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _alternation(words) -> str:
    """A regular expression matching any of `words` (the longest where several do), as a
    trie: Python's engine tries an alternation's branches one by one, and a flat list of a
    thousand month names made every search slow."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items())
                if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


@cache
def _pattern() -> re.Pattern:
    months, weekdays, units = _names()
    month = rf"(?:{_alternation(months)})\.?"
    both = rf"{month}(?:\s*/\s*{month})?"  # "أيار/مايو": two names of one month
    # A unit word may carry a mark of its own: "ថ្ងៃទី" (day + ordinal), "ခုနှစ်", "မတ်လ".
    day_w = rf"(?:[^\s\w]{{0,3}}(?<![^\W\d_])(?:{_alternation(units['day'])})[^\s\d]{{0,3}}\s*)?"
    mon_w = rf"(?:[^\s\d]{{0,3}}(?:{_alternation(units['month'])})\s*)?"
    mon_after = rf"(?:(?:{_alternation(units['month'])})\b)?"
    year_w = rf"(?:[^\s\d]{{0,3}}(?:{_alternation(units['year'])})[^\s\d]{{0,3}}\s*)?"
    year_after = r"(?:\s*(?:года|году|г\.|ж\.|жылы|жыл|y\.|ঈসায়ী|সাল|म\.|ई\.|ค\.ศ\.|พ\.ศ\.|ព\.ស\.))?"
    # The era's mark before the year: "๔ มีนาคม พ.ศ. ๒๕๖๔", "໒໘ ສິງຫາ ພ.ສ. ໒໕໖໗".
    era_before = r"(?:(?:พ\.\s?ศ\.|ค\.\s?ศ\.|ພ\.\s?ສ\.|ຄ\.\s?ສ\.|ព\.ស\.|B\.E\.|A\.D\.)\s*)?"
    weekday = rf"(?:(?<![^\W\d_])(?:{_alternation(weekdays)})\s*[,،၊]?\s*)?"
    ordinal = r"(?:st|nd|rd|th|er|\.)?"
    day = rf"(?P<day>\d{{1,2}}){ordinal}"
    dmy = (rf"{weekday}(?:[^\W\d_]{{2,4}}-)?{day_w}{day}\s*(?:[a-z]{{2,3}}\s+)?{mon_w}"
           rf"(?P<month>{both}){mon_after}[\s,،]*{year_w}{era_before}(?P<year>\d{{4}}|\d{{2}}(?!\d))"
           rf"{year_after}")
    mdy = (rf"{weekday}(?P<month2>{both})\s+(?P<day2>\d{{1,2}}){ordinal}\s*[,،၊]\s*{year_w}"
           rf"(?P<year2>\d{{4}}){year_after}")
    ymd = (rf"(?P<year3>\d{{4}})\s*{year_w}[,၊\s]*{mon_w}(?P<month3>{month}){mon_after}"
           rf"[\s,၊]*{day_w}(?P<day3>\d{{1,2}})\s*{day_w}")
    # Kazakh, Kyrgyz, Mongolian: "2022 жылғы 10 қаңтар" (year, day, then the month).
    ydm = (rf"(?P<year5>\d{{4}})\s*{year_w}[,\s]*(?P<day5>\d{{1,2}})\s*{day_w}[-\s]*"
           rf"(?P<month5>{month})")
    # A numbered month, as Mongolian writes it: "2023 оны 3 дугаар сарын 15" (year, the
    # month's number, an ordinal word and CLDR's word for month, then the day).
    ynd = (rf"(?P<year6>\d{{4}})\s*[^\s\d]{{0,4}}\s+(?P<month6>\d{{1,2}})\s*(?:[^\s\d]{{1,8}}\s+)?"
           rf"(?:{_alternation(units['month'])})[^\s\d]{{0,4}}\s*(?P<day6>\d{{1,2}})(?!\d)")
    # The Republic of China's calendar, as Taiwan writes dates: "中華民國111年5月17日".
    minguo = (r"(?:中華)?民國\s*(?P<year7>\d{2,3})\s*年\s*(?P<month7>\d{1,2})\s*月\s*"
              r"(?P<day7>\d{1,2})\s*日")
    # Japan's era names, as official documents date: "令和6年3月8日", "平成31年4月1日".
    era = (r"(?P<era>令和|平成)\s*(?P<year8>\d{1,2}|元)\s*年\s*(?P<month8>\d{1,2})\s*月\s*"
           r"(?P<day8>\d{1,2})\s*日")
    cjk = (r"(?P<year4>\d{4})\s*[年년]\s*(?P<month4>\d{1,2})\s*[月월]\s*(?P<day4>\d{1,2})"
           r"\s*[日일号號]?")
    numeric = (r"(?<![\d/.-])(?P<n1>\d{1,2})(?P<sep>[/.-])(?P<n2>\d{1,2})(?P=sep)"
               r"(?P<n3>\d{4})(?![\d/.-])")
    iso = r"(?<![\d/.-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?![\d/])"
    return re.compile(rf"{minguo}|{era}|{cjk}|{iso}|{numeric}|{ynd}|{ymd}|{ydm}|{dmy}|{mdy}",
                      re.IGNORECASE)


@cache
def weekday_names() -> frozenset[str]:
    return frozenset(_fold(d) for d in _names()[1])


@cache
def unit_words() -> tuple[tuple[str, ...], ...]:
    """CLDR's words for day, month and year in the region's languages, longer than one
    letter and not Latin (Latin words like "d" or "mo" are in ordinary text): for telling a
    date of another calendar from a line of text."""
    units = _names()[2]
    return tuple(tuple(w for w in units[k] if len(w) >= 2 and not w.isascii())
                 for k in ("day", "month", "year"))


_CJK_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
                       r"([一二三四五六七八九十]{1,3})日")


_CJK_NUMERAL = re.compile("[〇零一二三四五六七八九十][年月日]")
_YEAR = re.compile(r"\d{4}")
_ERA_WORDS = re.compile(r"民國|令和|平成")


@lru_cache(maxsize=8192)  # pure, and asked of the same line several times
def find_date(text: str, language: str | None = None) -> FoundDate | None:
    """The first date written in `text`, or None."""
    if "«" in text:  # "«14» марта 2024 г.": the day in guillemets, the same length unquoted
        text = _QUOTED_DAY.sub(lambda m: f" {m.group(1)} ", text)
    digits = ascii_digits(text)
    # Bikram Sambat and dotted dates have a year of four digits: without one, not looked for.
    year = _YEAR.search(digits) is not None
    sambat = _bikram_sambat(text) if year else None
    if sambat is not None:
        return sambat
    dotted = _DOTTED.search(text) if year and _DOTTED_YEAR.search(text) else None
    if dotted:  # "2023. 11. 7.", "2023.11.07": the year first, full stops between
        y, m, d = (int(g) for g in dotted.groups() if g is not None)
        try:
            return FoundDate(dt.date(y, m, d), dotted.start(), dotted.end())
        except ValueError:
            pass
    if _CJK_NUMERAL.search(text):
        found = _cjk_numeral_date(text)
        if found:
            return found
    if not year and not _buddhist_script(text) and not _ERA_WORDS.search(text):
        return None  # every form but a Buddhist-era "63" has a year of four digits
    match = _pattern().search(digits)
    if match is None:
        return None
    date, buddhist = _read(match, text[match.start():match.end()], language)
    if date is None:
        return None
    end = match.end()
    while end > match.start() and text[end - 1].isspace():
        end -= 1
    return FoundDate(date, match.start(), end, buddhist)


# Nepal's Bikram Sambat calendar runs 56-57 years ahead: a year of 2060 or later is one of
# its years (no statement is dated in the 2060s of ours). Its months, as Nepali writes them.
_BS_MONTHS = {name: n for n, names in enumerate((
    ("बैशाख", "वैशाख"), ("जेठ", "जेष्ठ"), ("असार", "आषाढ"), ("साउन", "श्रावण"), ("भदौ", "भाद्र"),
    ("असोज", "आश्विन"), ("कात्तिक", "कार्तिक"), ("मंसिर", "मङ्सिर", "मार्ग"), ("पुस", "पौष"),
    ("माघ",), ("फागुन", "फाल्गुन"), ("चैत", "चैत्र")), 1) for name in names}
_BS_NUMERIC = re.compile(r"(?<!\d)(2[01]\d\d)\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\d)")
_BS_YEAR = re.compile(r"2(?:0[6-9]|1\d)\d")  # 2060 to 2199
_BS_MONTH = "|".join(sorted(_BS_MONTHS, key=len, reverse=True))
_BS_WORDED = re.compile(rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_BS_MONTH})\s*,?\s*(?P<y1>2[01]\d\d)|"
                        rf"(?P<y2>2[01]\d\d)\s*(?:साल\s*)?(?P<m2>{_BS_MONTH})\s*(?P<d2>\d{{1,2}})|"
                        rf"(?P<m3>{_BS_MONTH})\s+(?P<d3>\d{{1,2}})\s*,\s*(?P<y3>2[01]\d\d))"
                        r"(?:\s*गते)?")


# Korean writes "2023. 11. 7." (spaces, and a full stop after the day); "2024.03.08" on a
# Japanese page's meta line is left to the page's other dates.
_QUOTED_DAY = re.compile(r"«(\d{1,2})»")
_DOTTED_YEAR = re.compile(r"(?:19|20)\d\d\.")  # in every dotted date: found faster alone
_DOTTED = re.compile(r"(?<![\d.])((?:19|20)\d\d)\.(?:\s(\d{1,2})\.\s(\d{1,2})\.?|(\d{1,2})\."
                     r"(\d{1,2})\.)(?![\d.])")


_BS_YEARLESS = re.compile(rf"^(?:(?P<m1>{_BS_MONTH})\s*(?P<d1>\d{{1,2}})|"
                         rf"(?P<d2>\d{{1,2}})\s*(?P<m2>{_BS_MONTH}))(?:\s*गते)?$")


@dataclass(frozen=True)
class MonthDay:
    """A day and month without a year, in a calendar ("bs": Bikram Sambat)."""
    calendar: str
    month: int
    day: int


@cache
def _yearless_pattern() -> re.Pattern:
    """A day and a month of CLDR's names, no year: "October 2", "2 Mei", "အောက်တိုဘာ ၂"."""
    month = rf"(?:{_alternation(_names()[0])})\.?"
    return re.compile(rf"^(?:(?P<m1>{month})\s*(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s*"
                      rf"(?P<m2>{month}))(?:st|nd|rd|th)?$", re.IGNORECASE)


def yearless_date(text: str) -> MonthDay | None:
    """"साउन १२", "१२ साउन गते": a day of a Bikram Sambat month, no year written (a Nepali
    dateline leaves it to the page's date); "October 2", "အောက်တိုဘာ ၂": a day of a month
    of the Gregorian calendar, by CLDR's names."""
    digits = ascii_digits(text.strip())
    match = _BS_YEARLESS.match(digits)
    if match:
        g = match.groupdict()
        n = "1" if g["m1"] else "2"
        return MonthDay("bs", _BS_MONTHS[g[f"m{n}"]], int(g[f"d{n}"]))
    match = _yearless_pattern().match(_fold(digits))
    if not match:
        return None
    n = "1" if match.group("m1") else "2"
    month = _month_number(match.group(f"m{n}"))
    day = int(match.group(f"d{n}"))
    return MonthDay("gregorian", month, day) if month and 1 <= day <= 31 else None


def on_or_before(month_day: MonthDay, limit: dt.date) -> dt.date | None:
    """The last date on or before `limit` that falls on `month_day`, in the Gregorian
    calendar; None when the calendar has no such day near it."""
    if month_day.calendar == "gregorian":
        for year in (limit.year, limit.year - 1):
            try:
                date = dt.date(year, month_day.month, month_day.day)
            except ValueError:
                continue
            if date <= limit:
                return date
        return None
    import nepali_datetime

    year = nepali_datetime.date.from_datetime_date(limit).year
    for candidate in (year, year - 1):
        try:
            date = nepali_datetime.date(candidate, month_day.month,
                                        month_day.day).to_datetime_date()
        except (ValueError, OverflowError):
            continue
        if date <= limit:
            return date
    return None


def _bikram_sambat(text: str) -> FoundDate | None:
    """"२०७९/०८/२४", "२४ मंसिर २०७९": a date of the Bikram Sambat, in the Gregorian
    calendar (nepali-datetime's tables)."""
    digits = ascii_digits(text)
    if not _BS_YEAR.search(digits):
        return None  # (what either pattern finds is taken only with such a year)
    found = None
    match = _BS_NUMERIC.search(digits)
    if match and int(match.group(1)) >= 2060:
        found = match, (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    worded = _BS_WORDED.search(digits)
    if worded and (found is None or worded.start() < found[0].start()):
        g = worded.groupdict()
        n = next(k for k in "123" if g[f"y{k}"])
        if int(g[f"y{n}"]) >= 2060:
            found = worded, (int(g[f"y{n}"]), _BS_MONTHS[g[f"m{n}"]], int(g[f"d{n}"]))
    if found is None:
        return None
    import nepali_datetime

    match, (year, month, day) = found
    try:
        date = nepali_datetime.date(year, month, day).to_datetime_date()
    except (ValueError, OverflowError):
        return None
    return FoundDate(date, match.start(), match.end())


def _cjk_numeral_date(text: str) -> FoundDate | None:
    match = _CJK_DATE.search(text)
    if not match:
        return None
    year, month, day = (_cjk_number(g) for g in match.groups())
    try:
        return FoundDate(dt.date(year, month, day), match.start(), match.end())
    except (TypeError, ValueError):
        return None


def _read(match: re.Match, original: str, language: str | None) -> tuple[dt.date | None, bool]:
    g = match.groupdict()
    try:
        if g["year4"]:
            return dt.date(int(g["year4"]), int(g["month4"]), int(g["day4"])), False
        if g["iy"]:
            return dt.date(int(g["iy"]), int(g["im"]), int(g["id"])), False
        if g["year8"]:
            year = 1 if g["year8"] == "元" else int(g["year8"])
            return dt.date(year + _JAPANESE_ERAS[g["era"]], int(g["month8"]),
                           int(g["day8"])), False
        if g["year7"]:
            return dt.date(int(g["year7"]) + _MINGUO_OFFSET, int(g["month7"]),
                           int(g["day7"])), False
        if g["year6"]:
            return dt.date(int(g["year6"]), int(g["month6"]), int(g["day6"])), False
        if g["n1"]:
            a, b, year = int(g["n1"]), int(g["n2"]), int(g["n3"])
            # Day first, as the region writes it, unless only the other way is a date.
            day, month = (a, b) if b <= 12 else (b, a)
            return _dated(year, month, day, original)
    except ValueError:
        return None, False
    if g["year3"]:
        year, month, day = g["year3"], g["month3"], g["day3"]
    elif g["year5"]:
        year, month, day = g["year5"], g["month5"], g["day5"]
    elif g["year2"]:
        year, month, day = g["year2"], g["month2"], g["day2"]
    else:
        year, month, day = g["year"], g["month"], g["day"]
    number = _month_read(month, language) if len(year) == 4 else None
    if number is not None:
        return _dated(int(year), number, int(day), original)
    number = _month_number(month)
    if number is None:
        return None, False
    if len(year) == 2:
        if not _buddhist_script(original):
            return None, False  # "10 May 22": no century to guess
        return _dated(2500 + int(year), number, int(day), original, force_era=True)
    return _dated(int(year), number, int(day), original)


def _dated(year: int, month: int, day: int, original: str,
           force_era: bool = False) -> tuple[dt.date | None, bool]:
    buddhist = force_era or (year > 2400 and (_buddhist_script(original) or re.search(
        r"พ\.\s?ศ\.|ພ\.\s?ສ\.|B\.E\.|ព\.ស\.", original)))
    if buddhist:
        year -= _BUDDHIST_OFFSET
    try:
        return dt.date(year, month, day), bool(buddhist)
    except ValueError:
        return None, False


def _buddhist_script(text: str) -> bool:
    # Only the characters from the Thai block on are named (a Python loop over every
    # character of a paragraph was most of the time of a line without a date).
    for found in _FROM_THAI.finditer(text):
        if unicodedata.name(found.group(), "").startswith(_BUDDHIST_SCRIPTS):
            return True
    return False


_FROM_THAI = re.compile("[\u0e01-\U0010ffff]")


def _month_number(text: str) -> int | None:
    months = _names()[0]
    for part in re.split(r"\s*/\s*", text):
        number = months.get(_fold(part)) or months.get(_fold(part).rstrip("."))
        if number:
            return number
    return None


@lru_cache(maxsize=4096)
def _month_read(month: str, language: str | None) -> int | None:
    """The month `month` names, as dateparser reads it: the pattern has found the day and
    the year (digits), and dateparser reads the month's name in the statement's language.
    Asked once for each name and language (a date of that month in a year and on a day that
    exist in every calendar it knows), not once for each date: it takes milliseconds a call."""
    parsed = _dateparser(f"15 {month} 2000", language)
    return parsed.month if parsed is not None and parsed.year == 2000 else None


_DATEPARSER_LANGUAGES = {"zh-Hans": "zh", "zh-Hant": "zh", "tl": "tl", "fil": "tl"}


def _dateparser(text: str, language: str | None) -> dt.date | None:
    """dateparser's reading of a date already found, or None where it reads none."""
    lang = _DATEPARSER_LANGUAGES.get(language or "", (language or "en").split("-")[0])
    parser = _date_parser(lang)
    if parser is None:
        return None
    try:
        parsed = parser.get_date_data(text).date_obj
    except Exception:  # a form it chokes on: the pattern decides
        return None
    if parsed is None or not 1900 <= parsed.year <= 2700:
        return None
    return parsed.date()


@lru_cache(maxsize=64)
def _date_parser(lang: str):
    """One dateparser parser per language, made once: `dateparser.parse` with languages or
    settings builds a new one, with its locale loading, on every call (most of its time)."""
    from dateparser.date import DateDataParser

    # Absolute dates only: the relative-date parser ("2 days ago") is most of its time.
    settings = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
                "PREFER_LOCALE_DATE_ORDER": False, "STRICT_PARSING": True,
                "PARSERS": ["absolute-time"]}
    try:
        return DateDataParser(languages=[lang], settings=settings)
    except Exception:  # a language dateparser does not know: the pattern decides
        return None
