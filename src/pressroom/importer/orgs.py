"""Matching the organisations an archived statement names to the directory.

A name is matched exactly by its full name, its name without the acronym, its key, the
acronym in parentheses in its name or its `short_name` (ignoring case, curly quotes,
full-width forms and "&"/"and"); a name that carries a known acronym in parentheses is that
organisation whatever script the rest is in ("香港劳工团结中心（HKLSC）"). Failing that, a
close spelling of a directory name (rapidfuzz) is taken and said, so a person sees the
match. Names the directory does not know become new entries (keys from
`organisations.new_key`), reported for a person to check.

The index is built once per import run (`Directory`) and each statement looks through it
with its own `Lookup`, which holds the organisations that statement adds: building the
index per statement made a large import quadratic in the size of the directory.
"""

from __future__ import annotations

import re
import unicodedata
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..model import Organisation
from ..organisations import new_key

_ACRONYM = re.compile(r"\(([^()]+)\)\s*$")
_ANY_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,14})\s*\)")
# A name followed by where the group is: "Suara Rakyat Semenanjung (SURAS), Malaysia".
_WHERE = re.compile(r",\s*[^,()]{2,40}$")
_DIGITS = re.compile(r"\d+")
_LEADING_ARTICLE = re.compile(r"^(?:the|la|le|el)\s+", re.IGNORECASE)
# What a name's words and normal form are made with (compiled once: asked of every name).
_NOT_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"[’‘`´]")
_QUOTES = re.compile(r"[“”\"«»「」『』]")
_SPACING = re.compile(r"[\s,.;:]+")
# How close a spelling must be to count as the same organisation (rapidfuzz ratio, 0-100),
# and how far ahead of the next candidate: "Center for Civic ..." is "Centre for Civic ...",
# "Asian Women's Rights Council" is not "Asian Women's Rights Collective".
FUZZY_CUTOFF = 90
_FUZZY_MARGIN = 4
_FUZZY_MIN_LENGTH = 10


def _words(name: str) -> list[str]:
    return [w for w in _NOT_WORD.split(name) if len(w) >= 3 or w.isdigit()]


@lru_cache(maxsize=65536)  # a directory's names are normalised for every statement
def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _APOSTROPHES.sub("'", text).replace("&", " and ")
    text = _QUOTES.sub("", text)
    return " ".join(_SPACING.sub(" ", text).split())


@lru_cache(maxsize=65536)
def acronym(name: str) -> str | None:
    match = _ACRONYM.search(unicodedata.normalize("NFKC", name))
    return match.group(1).strip() if match else None


@lru_cache(maxsize=65536)
def bare_name(name: str) -> str:
    return _ACRONYM.sub("", unicodedata.normalize("NFKC", name)).strip()


@dataclass(frozen=True)
class Match:
    key: str
    how: str  # "exact", "acronym", "fuzzy"
    score: float = 100.0


class Directory:
    """The organisation directory as a lookup index, shared by every statement of a run."""

    def __init__(self, organisations: Mapping[str, Organisation]):
        self.known: dict[str, Organisation] = dict(organisations)
        self._index: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        self._fuzzy: dict[str, str] = {}  # normalised bare name -> key
        # Its names by the words in them: a close spelling shares a rare word with the name
        # it means, and comparing with those few names, not the whole directory, keeps a
        # large import fast.
        self._by_word: dict[str, list[str]] = {}
        self._spaceless: dict[str, str] = {}  # made when first asked, again when it grew
        self._spaceless_size = -1
        for org in self.known.values():
            self._add_to_index(org)

    def learn(self, org: Organisation) -> None:
        """An organisation another statement of this run added."""
        if org.key not in self.known:
            self.known[org.key] = org
            self._add_to_index(org)

    def _add_to_index(self, org: Organisation) -> None:
        before = len(self._fuzzy)
        add_to_index(org, self._index, self._acronyms, self._fuzzy)
        if len(self._fuzzy) > before:
            name = next(reversed(self._fuzzy))
            for word in set(_words(name)):
                self._by_word.setdefault(word, []).append(name)

    def near(self, name: str) -> list[str]:
        """Directory names sharing one of the two rarest words of `name` with it."""
        counts = sorted((len(self._by_word[w]), w) for w in set(_words(name))
                        if w in self._by_word)
        found: set[str] = set()
        for _, word in counts[:2]:
            found.update(self._by_word[word])
        return list(found)

    def lookup(self) -> Lookup:
        return Lookup(self)

    def by_spaceless(self, name: str) -> str | None:
        """The directory name that `name` spells with its spaces left out
        ("공익인권법센터바로"), or None. (Made once for the run, again when it grew.)"""
        if self._spaceless_size != len(self.known):
            self._spaceless = {_spaceless(o.name): o.name for o in self.known.values()
                               if o.name}
            self._spaceless_size = len(self.known)
        return self._spaceless.get(_spaceless(name))


def _spaceless(name: str) -> str:
    return "".join(normalise(bare_name(name)).split())


def add_to_index(org: Organisation, index: dict, acronyms: dict, fuzzy: dict) -> None:
    for form in (org.name, bare_name(org.name), org.key):
        index.setdefault(normalise(form), org.key)
    for short in (acronym(org.name), org.short_name):
        if short:
            acronyms.setdefault(normalise(short), org.key)
    fuzzy.setdefault(normalise(bare_name(org.name)), org.key)


class Lookup:
    """One statement's view of the directory: the run's index plus what it adds."""

    def __init__(self, directory: Directory):
        self.directory = directory
        self.new: dict[str, Organisation] = {}
        self._index: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        self._fuzzy: dict[str, str] = {}

    @property
    def known(self) -> Mapping[str, Organisation]:
        return ChainMap(self.new, self.directory.known)

    def _get(self, table: str, form: str) -> str | None:
        return getattr(self, table).get(form) or getattr(self.directory, table).get(form)

    def by_spaceless(self, name: str) -> str | None:
        found = self.directory.by_spaceless(name)
        if found is None:
            found = next((o.name for o in self.new.values()
                          if o.name and _spaceless(o.name) == _spaceless(name)), None)
        return found

    def find(self, name: str) -> str | None:
        """The key of the organisation called `name` (exactly, or by its acronym), or None."""
        match = self.match(name, fuzzy=False)
        return match.key if match else None

    def match(self, name: str, fuzzy: bool = True) -> Match | None:
        """How `name` matches the directory: exactly, by acronym, or by a close spelling."""
        name = unicodedata.normalize("NFKC", name).strip()
        forms = [name, bare_name(name), _LEADING_ARTICLE.sub("", name)]
        where = _WHERE.search(name)
        if where and "(" not in name[where.start():]:
            forms += [name[: where.start()], bare_name(name[: where.start()])]
        for form in forms:
            key = self._get("_index", normalise(form))
            if key:
                return Match(key, "exact")
        for form in (acronym(name), *_ANY_ACRONYM.findall(name), name):
            if form:
                key = self._get("_acronyms", normalise(form))
                if key:
                    return Match(key, "acronym")
        if fuzzy:
            return self._fuzzy_match(bare_name(_LEADING_ARTICLE.sub("", name)))
        return None

    def _fuzzy_match(self, name: str) -> Match | None:
        from rapidfuzz import fuzz, process

        target = normalise(name)
        if len(target) < _FUZZY_MIN_LENGTH:
            return None
        found: list[tuple[str, float, str]] = []
        for table, names in ((self.directory._fuzzy, self.directory.near(target)),
                             (self._fuzzy, list(self._fuzzy))):
            for choice, score, _ in process.extract(
                    target, names, scorer=fuzz.ratio, limit=2,
                    score_cutoff=FUZZY_CUTOFF - _FUZZY_MARGIN):
                # "Committee 117" is never "Committee 179": a close spelling with other
                # numbers in it names another group (a branch, a union local, a year).
                if _DIGITS.findall(choice) == _DIGITS.findall(target):
                    found.append((choice, score, table[choice]))
        found.sort(key=lambda f: -f[1])
        if not found or found[0][1] < FUZZY_CUTOFF:
            return None
        if len(found) > 1 and found[1][2] != found[0][2] and (
                found[0][1] - found[1][1] < _FUZZY_MARGIN):
            return None  # two directory names are about as close: not for a guess
        return Match(found[0][2], "fuzzy", found[0][1])

    def add(self, name: str, about: str | None = None, url: str | None = None) -> str:
        """A new organisation; its key. (Its name without what the PDF's fonts cannot show:
        the site refuses a directory that holds such a name.)"""
        shown = showable(name)
        name = shown if has_letters(shown) else name
        key = new_key(name, ChainMap(self.directory.known, self.new))
        org = Organisation(key, name, about, url)
        self.new[key] = org
        add_to_index(org, self._index, self._acronyms, self._fuzzy)
        return key

    def get(self, key: str) -> Organisation | None:
        return self.new.get(key) or self.directory.known.get(key)

    def update_new(self, org: Organisation) -> None:
        self.new[org.key] = org


def has_letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def showable(name: str) -> str:
    """`name` without the characters the PDF's fonts cannot show (as the directory's check
    reads a name), its spaces made plain again."""
    from ..render.glyphs import unshowable

    missing = unshowable([name], "en")
    if not missing:
        return name
    for text in sorted(missing, key=len, reverse=True):
        name = name.replace(text, " ")
    # (A variation selector or joiner left beside a removed emoji is nothing on its own.)
    name = re.sub("[\ufe0e\ufe0f\u200d]", "", name)
    return " ".join(name.split())
