"""Adding an import's new organisations to statements/organisations.yaml, fast.

`organisations.add_organisations` reads the whole directory round-trip and writes it back:
right for a person's edit, but an import of a thousand statements naming thousands of new
endorsers spent minutes re-reading a file that grew with every batch. The importer only ever
appends entries, so when the file is a plain block mapping (as people and Pressroom write
it) the new entries are written as text after the last line, the file replaced atomically;
anything unusual in the file (flow style, tabs, several documents, anchors) goes the
round-trip way instead. Either way the comments, order and quoting of what is there stay.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .. import organisations as directory
from ..fileio import atomic_write
from ..frontmatter import scalar_text
from ..model import Organisation

# Long About texts are folded at this width, as organisations.add_organisations folds them.
FOLD_WIDTH = 88
_TOP_KEY = re.compile(r"""^("[^"]*"|'[^']*'|[^\s#'"][^:#]*?):(?:\s|$)""")
_UNUSUAL = re.compile(r"^(?:---|\.\.\.|%|[{\[&*!])|\t", re.MULTILINE)
_SPECIAL = frozenset(("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"))


def append_organisations(path: Path, organisations: Iterable[Organisation]) -> None:
    """Add organisations whose key is not yet in the directory at `path`."""
    path = Path(path)
    orgs = list(organisations)
    if not orgs:
        return
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text.strip() or _UNUSUAL.search(text) or not _block_mapping(text):
        directory.add_organisations(path, orgs)
        return
    keys = {m.group(1).strip().strip("\"'")
            for m in map(_TOP_KEY.match, text.splitlines()) if m}
    new = [org for org in _unique(orgs) if org.key not in keys]
    if not new:
        return
    for org in new:
        if not directory.KEY_PATTERN.match(org.key):
            directory.add_organisations(path, orgs)  # refuses it, with the reason
            return
    out = text if text.endswith("\n") else text + "\n"
    atomic_write(path, out + "".join(entry_text(org) for org in new))


def _unique(orgs: list[Organisation]) -> list[Organisation]:
    seen: dict[str, Organisation] = {}
    for org in orgs:
        seen.setdefault(org.key, org)
    return list(seen.values())


def _block_mapping(text: str) -> bool:
    """The first line that is not a comment is a top-level `key:`."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return bool(_TOP_KEY.match(line))
    return False


def entry_text(org: Organisation) -> str:
    """One directory entry as YAML text, in the directory's house style."""
    # A key of digits ("2021") or a YAML word ("null") would not read back as text: quoted.
    key = org.key if org.key[0].isalpha() and org.key not in _SPECIAL else (
        scalar_text(org.key, quoted=True))
    lines = [f"{key}:\n", f"  name: {plain_or_quoted(org.name)}\n"]
    if org.short_name:
        lines.append(f"  short_name: {plain_or_quoted(org.short_name)}\n")
    if org.url:
        lines.append(f"  url: {plain_or_quoted(org.url)}\n")
    if org.about:
        lines.append(_about_text(" ".join(org.about.split())))
    return "".join(lines)


def plain_or_quoted(text: str) -> str:
    """A name as YAML: bare when that reads back as the same text, else double-quoted."""
    if _plain_safe(text):
        return text
    return scalar_text(text, quoted=True)


def _plain_safe(text: str) -> bool:
    return (bool(text) and text[0].isalpha() and text == text.strip()
            and ": " not in text and not text.endswith(":") and " #" not in text
            and text.casefold() not in _SPECIAL and _no_controls_or_odd_spaces(text))


def _no_controls_or_odd_spaces(text: str) -> bool:
    """No control, format or separator character but the plain space."""
    if text.isascii() and text.isprintable():
        return True  # (printable ASCII: letters, digits, punctuation, symbols, the space)
    return all(c == " " or unicodedata.category(c)[0] not in "CZ" for c in text)


def _about_text(about: str) -> str:
    if len(about) <= FOLD_WIDTH or not _no_controls_or_odd_spaces(about):
        return f"  about: {plain_or_quoted(about)}\n"
    lines = textwrap.wrap(about, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False)
    return "  about: >-\n" + "".join(f"    {line}\n" for line in lines)
