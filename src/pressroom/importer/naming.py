"""Ids, slugs and the countries a statement is about."""

from __future__ import annotations

import re
import unicodedata

from .datelines import ISO_DATE

# Asian countries and territories the network writes about: the name a record uses, then
# other ways the archive spells it.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "Afghanistan": (), "Bangladesh": (), "Bhutan": (), "Brunei": ("Brunei Darussalam",),
    "Cambodia": (), "China": (), "Hong Kong": (), "Macau": ("Macao",), "India": (),
    "Indonesia": (), "Japan": (), "Kazakhstan": (), "Kyrgyzstan": ("Kyrgyz Republic",),
    "Laos": ("Lao PDR",), "Malaysia": (), "Maldives": (), "Mongolia": (),
    "Myanmar": ("Burma",), "Nepal": (), "North Korea": ("DPRK",),
    "South Korea": ("Republic of Korea",), "Pakistan": (), "Philippines": (),
    "Singapore": (), "Sri Lanka": (), "Taiwan": (), "Tajikistan": (), "Thailand": (),
    "Timor-Leste": ("East Timor",), "Turkmenistan": (), "Uzbekistan": (),
    "Vietnam": ("Viet Nam",), "Iran": (), "Iraq": (), "Syria": (), "Lebanon": (),
    "Jordan": (), "Palestine": (), "Yemen": (), "Saudi Arabia": (), "Bahrain": (),
    "Kuwait": (), "Oman": (), "Qatar": (), "United Arab Emirates": ("UAE",),
    "Armenia": (), "Azerbaijan": (),
}
_SPELLINGS = sorted(
    ((spelling, name) for name, others in _COUNTRIES.items() for spelling in (name, *others)),
    key=lambda pair: -len(pair[0]),
)
_COUNTRY = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(s) for s, _ in _SPELLINGS) + r")(?![\w-])"
)
_CANONICAL = {spelling: name for spelling, name in _SPELLINGS}
_LOWER = {spelling.lower(): name for spelling, name in _SPELLINGS}
_COUNTRY_LOWER = re.compile(_COUNTRY.pattern, re.IGNORECASE)


_TRAILING_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)


def countries_in(title: str | None, file_stem: str, first_paragraph: str) -> list[str]:
    """Asian countries named in the title, the file name or the first paragraph, in order of
    first mention. Capitalised names only in text (a proper noun), any case in file names."""
    found: list[str] = []
    for text in (title or "", first_paragraph):
        for match in _COUNTRY.finditer(text):
            name = _CANONICAL[match.group(1)]
            if name not in found:
                found.append(name)
    for match in _COUNTRY_LOWER.finditer(re.sub(r"[-_.]+", " ", file_stem)):
        name = _LOWER[match.group(1).lower()]
        if name not in found:
            found.append(name)
    return found


def slug(text: str, limit: int = 60) -> str:
    """Lowercase letters, digits and hyphens, cut at a word near `limit`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’`]", "", ascii_text.lower())
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]
    out: list[str] = []
    for word in words:
        if out and len("-".join([*out, word])) > limit:
            break
        out.append(word)
    # A slug cut short should not end on "and" or "the".
    while len(out) > 1 and out[-1] in _TRAILING_WORDS and len(out) < len(words):
        out.pop()
    return "-".join(out)[:limit].strip("-")


def stem_slug(file_stem: str) -> str:
    """A file name as a slug, without the date it may carry (the id gets the date anyway)."""
    return slug(ISO_DATE.sub(" ", file_stem)) or "statement"
