"""The names in an endorser list, in every form archives print them.

One name a line (bullets, "1." "1)" "1.Name", "၁။", or nothing), names separated by <br>,
or all on one line: separated by ";", "、", "|", " - " or ",". The separator is the
strongest one the line holds, so a name with a comma of its own ("Families of the
Disappeared, Kilinochchi") survives in a list separated by semicolons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from . import vocab
from .orgs import acronym, bare_name
from .scripts import share_of
from .sources import Line, escape
from .structure import _ACRONYM_IN, BULLET, _org_words, strip_bullet

# Strongest first: a list split by semicolons may hold commas inside its names.
_SEPARATORS = (re.compile(r"\s*[;；]\s*"), re.compile(r"\s*[、၊]\s*"), re.compile(r"\s+\|\s+"),
               re.compile(r"\s+[·•]\s+"), re.compile(r"\s+/\s+"), re.compile(r"\s+[-–—]\s+"),
               re.compile(r"\s*[,，،]\s*"))
# The marks each separator cannot match without: a name with none of them is not split by it.
_MARKS = dict(zip(_SEPARATORS, map(re.compile, ("[;；]", "[、၊]", r"\|", "[·•]", "/", "[-–—]",
                                                "[,，،]")),
                  strict=True))
_TRAILING = " ,;.。、；|"
_SPACED_COMMA = re.compile(r"\s+[,，]\s+")


def endorser_names(lines: list[Line], language: str | None = None,
                   known: Callable[[str], bool] | None = None) -> list[Line]:
    """Each name of the list, with the line it is on. `known`: whether a name is the
    directory's (a run-in list's last piece that is one is not parted at its "and")."""
    listed = [strip_bullet(line) for line in lines]
    if len(listed) == 1 or (listed and all(not BULLET.match(line.text) for line in lines)
                            and any(_separated(line.text) for line in listed)):
        out: list[Line] = []
        for line in listed:
            pieces = _split(line)
            if len(pieces) >= 2:
                pieces[-1:] = _last_and(pieces[-1], language, known)
            out.extend(pieces)
        return [n for n in out if n.text]
    out = []
    for line in listed:
        pieces = _split(line, strong_only=True)
        if len(pieces) == 1 and len(line.text) > 100:
            # The list's names all on one long line among others: parted by commas.
            by_comma = [p.strip(_TRAILING) for p in _SEPARATORS[-1].split(line.text)]
            if len(by_comma) >= 3 and _comma_list(by_comma) and all(
                    len(p) <= 100 for p in by_comma):
                pieces = [Line(line.number, p, escape(p)) for p in by_comma if p]
        out.extend(pieces)
    return [n for n in out if n.text]


def _last_and(line: Line, language: str | None, known: Callable[[str], bool] | None
              ) -> list[Line]:
    """"B and C", "B at C", "B dan C": a run-in list's last two names, joined by the
    language's "and" (CLDR's list pattern): parted where each side is a name of two words
    or more, so that "Centre for Peace and Justice" stays whole, as does a name the
    directory knows or whose acronym spans both sides ("... Civic and Political Liberties
    (CCPL)")."""
    text = line.text
    short = acronym(text)
    initials = "".join(w[0] for w in bare_name(text).split() if w[:1].isupper())
    if (short and initials and short.replace("-", "").upper() == initials.upper()) or (
            known is not None and known(text)):
        return [line]
    for word in _and_words(language or "en"):
        if word in vocab.PLUS_WORDS:
            continue
        at = text.lower().rfind(f" {word} ")
        if at <= 0:
            continue
        left, right = text[:at].strip(" ,،"), text[at + len(word) + 2:].strip()
        if len(left.split()) >= 2 and len(right.split()) >= 2 and (
                not right[:1].islower()) and not others_named_by_count(f"{word} {right}",
                                                                        language):
            return [Line(line.number, left, escape(left)), Line(line.number, right, escape(right))]
    return [line]


def _separated(text: str) -> bool:
    return any(_marked(text, sep) and len(sep.split(text)) >= 3 for sep in _SEPARATORS[:-1])


def _marked(text: str, sep: re.Pattern) -> bool:
    return _MARKS[sep].search(text) is not None


def _split(line: Line, strong_only: bool = False) -> list[Line]:
    text = line.text.strip(_TRAILING)
    separators = _SEPARATORS[:2] if strong_only else _SEPARATORS
    for sep in separators:
        if not _marked(text, sep):
            continue
        pieces = [p.strip(_TRAILING) for p in _split_outside_quotes(text, sep)]
        if len([p for p in pieces if p]) >= 2:
            if sep is _SEPARATORS[-1] and not _comma_list(pieces):
                continue
            # "A / B , C , D": a comma with a space on both sides parts names too (no name
            # writes one so), whatever separator the list began with.
            pieces = [q for p in pieces for q in _SPACED_COMMA.split(p)]
            # "(၁) A၊ (၂) B": each name without the number it is listed with
            pieces = [BULLET.sub("", p, count=1).strip(_TRAILING) for p in pieces]
            return [Line(line.number, p, escape(p)) for p in pieces if p]
    return [Line(line.number, text, escape(text))]


_QUOTES = {"«": "»", "“": "”", "„": "“", "「": "」", "『": "』", "‹": "›"}


def _split_outside_quotes(text: str, sep: re.Pattern) -> list[str]:
    """`text` parted by `sep`, but not inside quotation marks: "«Укук, мыйзам жана
    адилеттик» коомдук фонду" is one name, its comma its own."""
    if not any(mark in text for mark in _QUOTES):
        return sep.split(text)
    inside: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for at, char in enumerate(text):
        if stack and char == stack[-1][0]:
            inside.append((stack.pop()[1], at))
        elif char in _QUOTES:
            stack.append((_QUOTES[char], at))
    pieces, start = [], 0
    for match in sep.finditer(text):
        if any(a < match.start() < b for a, b in inside):
            continue
        pieces.append(text[start:match.start()])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def _comma_list(pieces: list[str]) -> bool:
    """Commas separate names, not a name from its country: most pieces are names of their
    own (several words, or an acronym)."""
    return len(pieces) >= 3 or all(len(p.split()) >= 2 or p.isupper() for p in pieces)


# "Name (Thailand)", "Name (CAEDA) (Regional)", "Name [Malaysia]", "Name – Nepal": where the
# group is, printed after its name. A record writes it after a comma ("Name, Thailand"), as
# most lists do.
_PAREN_WHERE = re.compile(r"^(?P<base>.+?\S)\s*(?:\((?P<where>[^()]{2,40})\)"
                          r"|\[(?P<bracketed>[^\[\]]{2,40})\])$")
_DASH_WHERE = re.compile(r"^(?P<base>.+?\S)\s+[–—-]\s+(?P<where>[^–—()\-,]{2,40})$")


def with_where_after_comma(name: str) -> str:
    match = _PAREN_WHERE.match(name)
    base = match.group("base") if match else ""
    where = _where_of(match)
    if match and where and (len(base.split()) >= 2 or (
            len(base) >= 6 and base[:1].upper() == base[:1].lower())):  # Thai: no spaces
        return f"{match.group('base')}{_comma(base)}{where}"
    match = _DASH_WHERE.match(name)
    if match and match.group("where").strip() in _country_names():
        return f"{match.group('base')}{_comma(match.group('base'))}{match.group('where').strip()}"
    return name


def split_where(name: str) -> tuple[str, str | None]:
    """(`with_where_after_comma(name)`, the name without that place) — ("Name, Regional",
    "Name") for "Name (Regional)"; the base is None when no place is moved: a directory
    name is matched and printed without it."""
    moved = with_where_after_comma(name)
    if moved == name:
        return name, None
    match = _PAREN_WHERE.match(name) or _DASH_WHERE.match(name)
    return moved, match.group("base").strip() if match else None


def _where_of(match: re.Match | None) -> str | None:
    """The place a name's brackets hold: in round ones, anything that reads as a place; in
    square ones (which PDF exports also leave around note numbers), a country's name only."""
    if match is None:
        return None
    if match.group("where") is not None:
        where = match.group("where").strip()
        return where if _is_where(where) else None
    where = match.group("bracketed").strip()
    return where if where in _country_names() else None


def _comma(base: str) -> str:
    """The comma of the name's own script: Arabic script's "،" after an Arabic, Persian or
    Urdu name, as those lists print it."""
    return "، " if share_of(base, ("ARABIC",)) > 0.5 else ", "


def _is_where(text: str) -> bool:
    """A place, not an acronym: a few words, capitalised where the script has capitals,
    never all capitals, no dots (abbreviations in scripts without capitals have them)."""
    words = text.split()
    if not words or len(words) > 3 or "." in text or any(c.isdigit() for c in text):
        return False
    cased = [w for w in words if w[:1].upper() != w[:1].lower()]
    return not cased or not (text.isupper() or not all(
        w[:1].isupper() for w in cased if w.lower() not in ("of", "and", "the")))


def _country_names() -> frozenset[str]:
    global _COUNTRY_NAMES
    if _COUNTRY_NAMES is None:
        from babel import Locale

        _COUNTRY_NAMES = frozenset(Locale("en").territories.values()) | {"Regional",
                                                                          "International"}
    return _COUNTRY_NAMES


_COUNTRY_NAMES: frozenset[str] | None = None


def others_named_by_count(text: str, language: str | None) -> bool:
    """Whether a list's last item only counts the rest ("and 31 other organisations",
    "និងអង្គការ ... ចំនួន ២៣ ផ្សេងទៀត", "و ۱۱ گروه دیگر"): it begins with the language's
    "and" (CLDR's list pattern, through Babel; English's too, which many lists mix in) or
    an "in addition to" (vocab.PLUS_WORDS, which CLDR has not), and holds a number in any
    script's digits."""
    text = text.strip().lstrip(".…· ")  # "... dan 14 lagi": the list's ellipsis first
    if not re.search(r"\d", text) or len(text) > 160:
        return False
    unspaced = (language or "").split("-")[0] in _UNSPACED  # "និងអង្គការ": no space after
    for word in _and_words(language or "en"):
        rest = text[len(word):]
        if text.lower().startswith(word) and rest and (
                not rest[0].isalpha() or (unspaced and not word.isascii())):
            return True
    return False


_UNSPACED = frozenset(("th", "lo", "km", "my", "zh", "ja"))  # scripts written without spaces

def is_person(text: str) -> bool:
    """A person in a list of organisations ("Dr. Farah Nadia Kamarudin, pensyarah
    undang-undang", "Ramesh a/l Subramaniam, peguam", "Name, jurnalist, Toshkent"): a title
    before the name, a patronymic inside it, or a profession after a comma."""
    folded = " ".join(text.casefold().split())
    if len(folded) > 120 or _ACRONYM_IN.search(text):
        return False  # an organisation's name with its acronym
    words = folded.split()
    if any(folded.startswith(t + " ") for t in vocab.PERSON_TITLES) or any(
            p in words[1:-1] for p in vocab.PATRONYMICS):
        return True
    # "Name, profession" or "Name, profession, City": a profession after a comma.
    head, *tails = folded.split(",")
    return bool(tails) and bool(head.strip()) and not _org_words(head) and any(
        tail.strip() == p or tail.strip().startswith(p + " ")
        for tail in tails for p in vocab.PROFESSIONS)


# A Chinese list's count of the rest glued to its last name: "高雄漁工服務站……等31個團體".
_COUNT_AFTER_NAME = re.compile(r"^(?P<name>.+?)\s*(?:…+|\.{3,})?\s*等\s*[\d０-９]+\s*[個个家]?\s*"
                               r"(?:團體|团体|組織|组织|單位|单位|機構|机构)\s*$")


def count_after_name(text: str, language: str | None = None) -> tuple[str, str] | None:
    """(the name, the count after it) of a last item that also counts the rest: "A 等 12 个
    团体", "A و ۱۱ نهاد دیگر", "A and 11 other organisations" (a run-in list's last name)."""
    text = text.strip()
    match = _COUNT_AFTER_NAME.match(text)
    if match is not None:
        return match.group("name"), text[match.end("name"):].strip()
    folded = text.lower()
    for word in _and_words(language or "en"):
        at = folded.rfind(f" {word} ")
        tail = text[at:].strip()
        # The count right after the "and" ("and 11 other ...", "and over 30 ..."), short.
        if at > 0 and len(tail.split()) <= 7 and re.match(
                rf"{re.escape(word)}\s+(?:\S+\s+)?\d", tail, re.IGNORECASE) and (
                others_named_by_count(tail, language)):
            return text[:at].strip(" ,،;"), text[at:].strip()
    return None


@lru_cache(maxsize=64)
def _and_words(language: str) -> tuple[str, ...]:
    from babel import Locale, UnknownLocaleError

    words = {"and", *vocab.PLUS_WORDS}
    try:
        patterns = Locale.parse(language.replace("-", "_")).list_patterns["standard"]
        # The last two of a list's, and two alone ("{0} және {1}": Kazakh's list ends in a
        # comma, its pair has the word).
        forms = [patterns.get("end") or "", patterns.get("2") or ""]
    except (UnknownLocaleError, ValueError, KeyError, TypeError):
        forms = []
    for pattern in forms:
        word = pattern.replace("{0}", "").replace("{1}", "").strip(" ,،、，\u200b").lower()
        if word:
            words.add(word)
    return tuple(sorted(words, key=len, reverse=True))
