"""Matching the organisations an archived statement names to the directory.

A name is matched by its full name, its name without the acronym, its acronym or its key,
ignoring case, curly quotes and "&"/"and". Names the directory does not know become new
entries (keys from `organisations.new_key`), reported for a person to check.
"""

from __future__ import annotations

import re
import unicodedata
from collections import ChainMap
from collections.abc import Mapping

from ..model import Organisation
from ..organisations import new_key

_ACRONYM = re.compile(r"\(([^()]+)\)\s*$")


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[’‘`´]", "'", text).replace("&", " and ")
    text = re.sub(r"[“”\"]", "", text)
    return " ".join(re.sub(r"[\s,.;:]+", " ", text).split())


def acronym(name: str) -> str | None:
    match = _ACRONYM.search(name)
    return match.group(1).strip() if match else None


def bare_name(name: str) -> str:
    return _ACRONYM.sub("", name).strip()


class Directory:
    """The organisation directory as a lookup, growing as a statement names new ones."""

    def __init__(self, organisations: Mapping[str, Organisation]):
        self.known: dict[str, Organisation] = dict(organisations)
        self.new: dict[str, Organisation] = {}
        self._index: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        for org in self.known.values():
            self._add_to_index(org)

    def _add_to_index(self, org: Organisation) -> None:
        for form in (org.name, bare_name(org.name), org.key):
            self._index.setdefault(normalise(form), org.key)
        short = acronym(org.name)
        if short:
            self._acronyms.setdefault(normalise(short), org.key)

    def find(self, name: str) -> str | None:
        """The key of the organisation called `name`, or None."""
        for form in (name, bare_name(name)):
            key = self._index.get(normalise(form))
            if key:
                return key
        for form in (acronym(name), name):
            if form:
                key = self._acronyms.get(normalise(form))
                if key:
                    return key
        return None

    def add(self, name: str, about: str | None = None, url: str | None = None) -> str:
        """A new organisation; its key."""
        # A view of both, not a new set per call: a list of thousands of new endorsers made
        # the import quadratic.
        key = new_key(name, ChainMap(self.known, self.new))
        org = Organisation(key, name, about, url)
        self.new[key] = org
        self._add_to_index(org)
        return key

    def get(self, key: str) -> Organisation | None:
        return self.new.get(key) or self.known.get(key)

    def update_new(self, org: Organisation) -> None:
        self.new[org.key] = org
