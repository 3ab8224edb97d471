"""Which statements a site already holds, recognised by their text rather than their id.

An id is made from the title or the file name, and staff change both (the sample record is the
archive's statement after a person gave it a title and a new id), so an id says nothing about
whether a statement was imported. Its body does: the fingerprint is the body's Markdown with
all whitespace runs made one space. Two records with the same body but different known dates
are different statements (a call repeated a year later); a missing date matches any.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..records import MAX_RECORD_BYTES, split_front_matter

# The two fields read here, straight from the YAML text: loading every record's front matter
# with the YAML loader would cost a full parse per record for two scalars.
_ID = re.compile(r"""^id:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9._-]*)""", re.MULTILINE)
_DATE = re.compile(r"""^date:[ \t]*["']?(\d{4}-\d{2}-\d{2})\b""", re.MULTILINE)


@lru_cache(maxsize=64)  # a planned record's body is looked up, then added: printed twice
def fingerprint(body_markdown: str) -> str:
    """The statement's text, independent of line breaks and spacing."""
    text = " ".join(unicodedata.normalize("NFC", body_markdown).split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Known:
    """A record in the site, or one written by this run (`source` set)."""

    path: Path
    id: str
    date: str | None
    source: str | None = None  # the archive file it was imported from in this run


class KnownStatements:
    """The site's records by fingerprint, read once, plus what this run writes."""

    def __init__(self, statements_dir: Path):
        self._by_print: dict[str, list[Known]] = {}
        self._print_of: dict[Path, str] = {}  # record -> its fingerprint, to replace it
        self.written: dict[Path, str] = {}  # record -> the source it came from, in this run
        for path in sorted(Path(statements_dir).glob("*.md")):
            found = _read(path)
            if found is not None:
                self._by_print.setdefault(found[0], []).append(found[1])
                self._print_of[path] = found[0]

    def find(self, body_markdown: str, date: str | None) -> Known | None:
        """The record holding this statement, preferring one written by this run."""
        matches = [k for k in self._by_print.get(fingerprint(body_markdown), ())
                   if date is None or k.date is None or k.date == date]
        matches.sort(key=lambda k: k.source is None)
        return matches[0] if matches else None

    def add(self, body_markdown: str, known: Known) -> None:
        """A record this run wrote; a record it replaced no longer holds its old text."""
        old = self._print_of.get(known.path)
        if old is not None:  # only the record's own entry: a scan of all made a batch quadratic
            entries = self._by_print[old]
            entries[:] = [k for k in entries if k.path != known.path]
        new = fingerprint(body_markdown)
        self._by_print.setdefault(new, []).append(known)
        self._print_of[known.path] = new
        if known.source is not None:
            self.written[known.path] = known.source


def _read(path: Path) -> tuple[str, Known] | None:
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            return None  # `check` refuses it; it holds no statement to match
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    front, body, _ = split_front_matter(text)
    found_id, found_date = _ID.search(front), _DATE.search(front)
    known = Known(path, found_id.group(1) if found_id else path.stem,
                  found_date.group(1) if found_date else None)
    return fingerprint(body), known
