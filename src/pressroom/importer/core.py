"""The pure core of the importer: an archived statement's text in, a record's parts out.

`import_text` reads no file and writes none. It finds the parts of the statement
(`structure`), matches the organisations it names to the directory (`orgs`), and turns
everything into front-matter fields, a Markdown body with real footnotes, comments for the
record and diagnostics saying what a person must still do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..body import MANGLED_EMAIL  # what the old site's e-mail obfuscation left
from ..errors import ImportRefused
from ..model import Diagnostic, Organisation, Severity, StatementType
from ..records import PLACEHOLDER_TITLE
from .datelines import date_in_name, parse_date
from .html import read_html_source
from .naming import countries_in, slug, stem_slug
from .orgs import Directory, normalise
from .sources import Line, Source, is_html, read_text_source
from .structure import BULLET, Parts, split_parts, strip_bullet

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_MARKER_MD = re.compile(r"(?<!\\)\[(\d{1,3})\]")
_LINK_MARKS = re.compile(r"[<>();]")
_WEB_TAIL = re.compile(r"\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)



@dataclass(frozen=True)
class Imported:
    """A statement read from the archive, ready for `records.record_text`."""

    source: str
    fields: dict[str, Any]
    body_markdown: str
    comments: dict[str, str] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    new_organisations: tuple[Organisation, ...] = ()
    removed: tuple = ()  # what was cut from the source, and why (`pressroom import --explain`)

    @property
    def id(self) -> str:
        return str(self.fields["id"])


def import_text(
    text: str,
    source: str,
    organisations: Mapping[str, Organisation] | Directory,
    issuer_hint: str | None = None,
    *,
    language: str = "en",
    site_name: str | None = None,
) -> Imported:
    """The record for one archived statement (text, or HTML when `source` ends in .html or
    the text is a web page). Raises ImportRefused when there is no statement in it."""
    if not text.strip():
        raise ImportRefused(source, "empty file")
    src = read_html_source(text, source) if is_html(text, source) else read_text_source(
        text, source)
    return _Build(src, organisations, issuer_hint, language).imported()


class _Build:
    def __init__(self, src: Source, organisations: Mapping[str, Organisation] | Directory,
                 issuer_hint: str | None, language: str):
        self.src = src
        base = organisations if isinstance(organisations, Directory) else Directory(
            organisations)
        self.directory = base.lookup()
        self.issuer_hint = issuer_hint
        self.language = language
        self.diagnostics: list[Diagnostic] = []
        self.comments: dict[str, str] = {}
        self.stem = PurePath(src.path).stem

    def report(self, line: int | None, field_name: str | None, message: str,
               error: bool = False) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        self.diagnostics.append(Diagnostic(self.src.path, line, severity, field_name, message))

    def imported(self) -> Imported:
        parts = split_parts(self.src)
        for line, message in self.src.problems:
            self.report(line, "body", message)
        if not parts.body:
            raise ImportRefused(self.src.path, "no statement text found (only a title, "
                                "lists or the site's navigation)")
        title = self._title(parts)
        date = self._date(parts)
        endorsers = self._endorsers(parts)
        issued_by = self._issuer(parts)
        contacts = self._contacts(parts)
        body = self._body(parts)
        first = parts.body[0].text
        fields: dict[str, Any] = {
            "id": self._id(title, date),
            "type": self._type(title, first, endorsers).value,
            "title": title or PLACEHOLDER_TITLE,
            "date": date,
            "place": parts.place,
            "language": self.language,
            "countries": countries_in(title, self.stem, first),
            "topics": [],
            "issued_by": issued_by,
            "endorsers": endorsers,
            "contacts": contacts,
            "state": "private",
        }
        self.comments.setdefault("topics", "The old archive has no topics: add them.")
        return Imported(
            source=self.src.path,
            fields=fields,
            body_markdown=body,
            comments=self.comments,
            diagnostics=tuple(self.diagnostics),
            new_organisations=tuple(self.directory.new.values()),
        )

    # --- front matter -------------------------------------------------------------------

    def _title(self, parts: Parts) -> str | None:
        if self.src.title:
            return self.src.title
        if parts.title is not None:
            return parts.title.text
        self.report(1, "title", f"the source has no title; the placeholder "
                    f"{PLACEHOLDER_TITLE!r} was written: write the title", error=True)
        self.comments["title"] = "Imported from the old archive, which had no title: write one."
        self.comments["id"] = ("Made from the file name, as the source has no title; to change "
                               "it, rename the file too.")
        return None

    def _date(self, parts: Parts) -> dt.date | None:
        if parts.date is not None:
            return parts.date
        for fallback, where in ((self.src.date and parse_date(self.src.date), "the page's date"),
                                (date_in_name(self.stem), "the file name")):
            if fallback:
                self.report(1, "date", f"no dateline; the date was taken from {where}: "
                            "check it")
                return fallback
        self.report(1, "date", "no dateline and no date in the file name: write the date "
                    "(YYYY-MM-DD)", error=True)
        return None

    def _id(self, title: str | None, date: dt.date | None) -> str:
        name = (title and slug(title)) or stem_slug(self.stem)
        return f"{date.isoformat()}-{name}" if date else name

    def _type(self, title: str | None, first: str, endorsers: list[str]) -> StatementType:
        said = f"{title or ''} {first[:300]}".lower()
        if "open letter" in said or first.lower().startswith("dear "):
            return StatementType.OPEN_LETTER
        if "press release" in said:
            return StatementType.PRESS_RELEASE
        return StatementType.JOINT_STATEMENT if len(endorsers) > 1 else StatementType.STATEMENT

    def _endorsers(self, parts: Parts) -> list[str]:
        keys: list[str] = []
        for raw in parts.endorsers:
            line = strip_bullet(raw)
            name = line.text.strip(" ,;.")
            if not name:
                continue
            if name.endswith(":"):
                self.report(line.number, "endorsers", f"{name!r} reads as a heading inside the "
                            "list of endorsers; left out: check the list")
                continue
            key = self.directory.find(name)
            if key is None:
                key = self.directory.add(name)
                self.report(line.number, "endorsers", f"{name!r} is not in the organisation "
                            f"directory; added as {key!r}: check its name and key")
            if key in keys:
                self.report(line.number, "endorsers", f"{name!r} is listed twice; kept once")
                continue
            keys.append(key)
        return keys

    def _issuer(self, parts: Parts) -> str | None:
        if parts.about_name is None:
            if self.issuer_hint:
                self.report(None, "issued_by", f"no About block; issued_by set to "
                            f"{self.issuer_hint!r}: check it")
                return self.issuer_hint
            self.report(None, "issued_by", "no About block, so the issuing organisation is "
                        "unknown: write issued_by", error=True)
            return None
        name_line = parts.about_name
        text = " ".join(line.text for line in parts.about).strip()
        web = _WEB_TAIL.search(text)
        about = _WEB_TAIL.sub("", text).strip() if web else text
        url = web.group(0).strip() if web else None
        if url and not url.lower().startswith("http"):
            url = f"https://{url}"
        key = self.directory.find(name_line.text)
        if key is None:
            key = self.directory.add(name_line.text, about or None, url)
            self.report(name_line.number, "issued_by", f"{name_line.text!r} (the About block) is "
                        f"not in the organisation directory; added as {key!r} with its About "
                        "text: check it")
            return key
        org = self.directory.get(key)
        assert org is not None
        if key in self.directory.new and not org.about:
            self.directory.update_new(Organisation(key, org.name, about or None, url))
        elif about and org.about and normalise(about) != normalise(org.about):
            self.report(name_line.number, "issued_by", f"the About text differs from the one "
                        f"for {key!r} in the organisation directory, which is the one printed: "
                        "check which is right")
        elif about and not org.about and key not in self.directory.new:
            self.report(name_line.number, "issued_by", f"{key!r} has no About text in the "
                        "organisation directory; the source has one: add it there")
        return key

    def _contacts(self, parts: Parts) -> list[dict[str, Any]]:
        contacts: list[dict[str, Any]] = []
        hidden = 0
        for raw in parts.contacts:
            line = strip_bullet(raw)
            text = line.text
            mangled = MANGLED_EMAIL.search(text)
            found = EMAIL.search(text)
            rest = text
            for match in (mangled, found):
                if match:
                    rest = rest.replace(match.group(0), " ")
            label = re.sub(r"^(?:e-?mail|email address)\s*:?\s*$", "", rest.strip(),
                           flags=re.IGNORECASE)
            label = re.sub(r"[\s,;:–—-]*(?:e-?mail\s*:?)?[\s,;:–—-]*$", "", label,
                           flags=re.IGNORECASE).strip()
            email = found.group(0) if found and not mangled else None
            if not label and contacts and contacts[-1]["email"] is None and (found or mangled):
                # "Email: ..." on its own line belongs to the contact above it.
                contact = contacts[-1]
                contact["email"] = email
            elif not label:
                continue
            else:
                contact = {"label": label, "email": email}
                contacts.append(contact)
            if mangled:
                hidden += 1
                self.report(line.number, "contacts", f"the old site hid the e-mail address of "
                            f"{contact['label']!r} ({mangled.group(0)}); left empty: find the "
                            "address and fill it in")
        if hidden:
            what = {1: "an e-mail address", 2: "both e-mail addresses"}.get(
                hidden, f"{hidden} e-mail addresses")
            self.comments["contacts"] = (
                f"The old archive hid {what}; find them before filling them in.")
        return contacts

    # --- the body -----------------------------------------------------------------------

    def _body(self, parts: Parts) -> str:
        defined: dict[int, str] = {}
        for n, line in parts.footnotes:
            if n in defined:
                self.report(line.number, "footnotes", f"footnote [{n}] appears twice; the "
                            "second was kept as text at the end of the body: merge them")
                parts.leftovers.append(("notes", line))
                continue
            defined[n] = _footnote_md(line.md)
        cited: dict[int, int] = {}
        blocks: list[str] = []
        lines = parts.body + [line for _, line in parts.leftovers]
        for section, line in parts.leftovers:
            self.report(line.number, "body", f"text after the {_SECTION_NAMES[section]} that "
                        "is none of the known parts; kept at the end of the body: move or "
                        "delete it")
        previous_bullet: str | None = None
        for line in lines:
            for match in _MARKER_MD.finditer(line.md):
                cited.setdefault(int(match.group(1)), line.number)
            md = _MARKER_MD.sub(lambda m: f"[^{m.group(1)}]", line.md)
            bullet = BULLET.match(line.text)
            if bullet:
                # Numbered items keep their numbers; any other bullet becomes "- ".
                number = re.match(r"\d+", bullet.group(0))
                mark = f"{number.group(0)}. " if number else "- "
                md = mark + strip_bullet(Line(line.number, line.text, md)).md
                bullet = mark[-2]
            if blocks and bullet and bullet == previous_bullet:
                blocks[-1] += "\n" + md
            else:
                blocks.append(md)
            previous_bullet = bullet or None
        for n, number in cited.items():
            if n not in defined:
                self.report(number, "footnotes", f"footnote marker [{n}] has no footnote in "
                            "the source: add the footnote's text or remove the marker",
                            error=True)
        for n, line in parts.footnotes:
            if n not in cited and defined.get(n) is not None:
                self.report(line.number, "footnotes", f"footnote [{n}] is never cited in the "
                            f"text: add its marker [^{n}] where it belongs, or delete it",
                            error=True)
        notes = "\n".join(f"[^{n}]: {md}" for n, md in defined.items())
        return "\n\n".join(blocks) + ("\n\n" + notes if notes else "") + "\n"


_SECTION_NAMES = {
    "body": "body", "endorsers": "list of endorsers", "about": "About block",
    "contacts": "contacts", "notes": "footnotes",
}


def _footnote_md(md: str) -> str:
    """A footnote's Markdown: web addresses as autolinks, several separated by "; "."""
    return "; ".join(p.strip() for p in _split_outside_links(md) if p.strip())


def _split_outside_links(md: str) -> list[str]:
    """Split at ";" except inside <autolinks> and (link destinations)."""
    pieces, depth, start = [], 0, 0
    for match in _LINK_MARKS.finditer(md):  # only the marks: a footnote may be megabytes
        char = match.group(0)
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth = max(depth - 1, 0)
        elif depth == 0:
            pieces.append(md[start:match.start()])
            start = match.end()
    pieces.append(md[start:])
    return pieces
