"""Datelines and dates as the old archive wrote them.

"(Bangkok, 10 February 2022) – We ..." with an en dash, em dash or hyphen; "Bangkok,
10 February 2022: We ..."; a line holding only a date ("10 February 2022", "February 10,
2022", "Bangkok, 10 February 2022"). A date inside a sentence is not a dateline: it must be
in parentheses, followed by a dash or colon, or alone on its line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
DATE = rf"{_WEEKDAY}(?:{_DAY}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}})"
# The place: words before the date, no digits or brackets ("Geneva, Switzerland" is fine).
_PLACE = r"[^\d()\[\]:;.–—]{1,60}?"
_DASH = r"[–—-]"
_DATELINE = re.compile(
    rf"^(?:\(\s*(?:(?P<pplace>{_PLACE}),?\s+)?(?P<pdate>{DATE})\s*\)\s*(?:{_DASH}|:)?"
    rf"|(?:(?P<place>{_PLACE}),?\s+)?(?P<date>{DATE})\s*(?:{_DASH}|:|$))\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TRAILING_WEEKDAY = re.compile(
    r"(?:^|,)\s*(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.IGNORECASE
)
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
_MDY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class Dateline:
    date: dt.date
    place: str | None
    rest: str  # the paragraph's text after the dateline; "" when the line was only that


def parse_date(text: str) -> dt.date | None:
    """A date written as "10 February 2022", "February 10, 2022" or "2022-02-10"."""
    text = text.strip()
    for pattern, order in ((_DMY, "dmy"), (_MDY, "mdy")):
        match = pattern.search(text)
        if match:
            a, b, year = match.groups()
            day, month = (a, b) if order == "dmy" else (b, a)
            number = _MONTHS.get(month.lower())
            if number is None:
                continue
            try:
                return dt.date(int(year), number, int(day))
            except ValueError:
                return None
    match = ISO_DATE.search(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


def match_dateline(text: str) -> Dateline | None:
    """The dateline at the start of `text`, or None when it does not start with one."""
    match = _DATELINE.match(text)
    if not match:
        return None
    date = parse_date(match.group("pdate") or match.group("date"))
    if date is None:
        return None
    place = (match.group("pplace") or match.group("place") or "").strip(" ,")
    # "Bangkok, Thursday, 10 February 2022": the weekday is part of the date, not the place.
    place = _TRAILING_WEEKDAY.sub("", place).strip(" ,")
    return Dateline(date, place or None, match.group("rest").strip())


def date_in_name(name: str) -> dt.date | None:
    """An ISO date in a file name, like forum-asia-kazakhstan-2022-02-10.txt."""
    match = ISO_DATE.search(name)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
