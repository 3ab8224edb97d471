"""The pure core of the importer: an archived statement's text in, a record's parts out.

`import_text` reads no file and writes none. It reads the source (`sources`, `html`,
`pages`), sorts its lines into the parts of a statement and cuts the site's chrome
(`structure`, `chrome`), chooses the title and kind (`titles`), the date and place
(`datelines`, `dates`), the language (`language`), matches the organisations it names to the
directory (`orgs`, `endorsers`), reads the contacts (`contacts`) and builds the body with
real footnotes (`body_md`). Every doubt becomes a diagnostic saying what a person must do;
every line cut is kept in `removed` for `pressroom import --explain`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from ..errors import ImportRefused
from ..model import Diagnostic, Organisation, Severity, StatementType
from ..records import PLACEHOLDER_TITLE
from . import vocab
from .body_md import build_body
from .captures import NEWSLETTER_REASON, original_url
from .chrome import chrome_reason, copyright_owner
from .contacts import read_contacts
from .datelines import date_in_address, date_in_name, parse_date, place_case
from .docx import is_docx, read_docx_source
from .endorsers import (
    count_after_name,
    endorser_names,
    is_person,
    others_named_by_count,
    split_where,
    with_where_after_comma,
)
from .html import read_html_source
from .language import Detected, detect_language
from .mailarchive import is_archived_message, read_archived_message
from .naming import countries_in, slug, stem_slug
from .orgs import (
    Directory,
    Lookup,
    Match,
    acronym,
    bare_name,
    has_letters,
    normalise,
    showable,
)
from .sources import Source, decode, is_html, read_text_source
from .structure import (
    BULLET,
    Parts,
    Removed,
    about_of,
    heading_of,
    place_alone,
    read_parts,
    strip_bullet,
    tail_signature,
)
from .structure import LETTER_OPENING as _LETTER_OPENING
from .titles import Choice, choose_title, clean_title, fold

_WEB_TAIL = re.compile(r"\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
# "Released by the Campaign to ..., a coalition of ...": a closing sentence naming the issuer.
_RELEASED_BY = re.compile(r"^(?i:this statement (?:is|was) )?(?i:released|issued|published|"
                          r"dikeluarkan|diterbitkan) (?i:by|oleh) (?i:the )?"
                          r"(?P<name>[A-Z][^,.;]{3,90}?)(?:\s*[,.;]|$)")
_PUBLISHED_ON = re.compile(r"^Published on (.{2,80}?) \(https?://[^()\s]+\)$", re.IGNORECASE)
_ACRONYM_IN_HEAD = re.compile(r"[(（]\s*([A-Z][A-Za-z0-9&.\-]{1,14})\s*[)）]")
_PIECES = re.compile(r"\s+[|•·]\s+")  # a letterhead's parts: "Name | Name in English"
# A short line wholly in brackets among a list's names: a label grouping them, never a name.
_GROUP_LABEL = re.compile(r"^\s*(?:\[[^\[\]\d]{1,40}\]|【[^【】\d]{1,40}】|"
                          r"〔[^〔〕\d]{1,40}〕)\s*$")
_NAME_DASH_ACRONYM = re.compile(r"^\S.{2,70}\s[-–—]\s[A-Z][A-Z0-9&]{1,11}$")
# A WeChat article's byline: "原创 <author> <account> 2023-06-05 18:20 发表于香港".
_WECHAT_BYLINE = re.compile(r"^原创\s+(?:\S+\s+)?(?P<account>\S+)\s+\d{4}-\d{1,2}-\d{1,2}"
                            r"(?:\s+\d{1,2}:\d{2})?(?:\s+发表于\S+)?$")
# A press release's first sentence that ends with who says it.
_SAID_TODAY = re.compile(r"(?:,|\bthe)\s+(?P<name>[A-Z][^,;()]{3,90}?\s*\((?P<acronym>[A-Z]"
                         r"[A-Za-z0-9&.\-]{1,14})\))\s+(?:said|says|stated|warned|urged)\b")
_ACRONYM_TOKEN = re.compile(r"\b[A-Z][A-Z0-9&-]{2,14}\b")
_OFFICE_COMMA = re.compile(r"\s*[,،，]\s*")
# A meta line's category above the text, in a page copied as text.
_CATEGORY = re.compile(r"(?:^|[|•·]\s*)(?:categor(?:y|ies)|kategori|chuyên mục|danh mục|"
                       r"หมวดหมู่|分类|分類|카테고리|рубрика|категория)\s*[:：]\s*([^|•·]{2,40})",
                       re.IGNORECASE)
_STRONG = ("joint-statement", "press-release", "open-letter")


@dataclass(frozen=True)
class Imported:
    """A statement read from the archive, ready for `records.record_text`."""

    source: str
    fields: dict[str, Any]
    body_markdown: str
    comments: dict[str, str] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    new_organisations: tuple[Organisation, ...] = ()
    removed: tuple[Removed, ...] = ()  # what was cut from the source, and why (`--explain`)

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
    site_names: Sequence[str] = (),
) -> Imported:
    """The record for one archived statement (text, or HTML when `source` ends in .html or
    the text is a web page). `issuer_hint` is the site's own organisation, taken (and said)
    only when nothing in the source names the issuer; `site_names` are the names the site
    goes by, cut where they stand above a statement. Raises ImportRefused when there is no
    statement in it."""
    return finish_reading(read_statement(text, source, site_names), organisations,
                          issuer_hint, language=language)


def import_file(
    raw: bytes,
    source: str,
    organisations: Mapping[str, Organisation] | Directory,
    issuer_hint: str | None = None,
    *,
    language: str = "en",
    site_names: Sequence[str] = (),
) -> Imported:
    """`import_text` for a file's bytes: a Word draft (.docx) is read from its package,
    anything else decoded as text or a saved page."""
    return finish_reading(read_statement(raw, source, site_names), organisations,
                          issuer_hint, language=language)


@dataclass
class Reading:
    """What a source says before the organisation directory is asked: its lines, its title's
    candidates, its language and its parts, all but a signature at the foot (which is told
    by the directory). It asks nothing of the directory, so an import of many files reads
    them in worker processes (`read_statement`) and finishes them in order in one
    (`finish_reading`), with the records one process would write; it is pickled between."""

    src: Source
    site_names: frozenset[str]  # folded
    choice: Choice
    detected: Detected
    parts: Parts


def read_statement(raw: bytes | str, source: str, site_names: Sequence[str] = ()) -> Reading:
    """The first half of an import: the file's bytes (or text) read into a `Reading`. Raises
    ImportRefused when the file holds nothing to read."""
    if isinstance(raw, bytes) and is_docx(source):
        src = read_docx_source(raw, source)
    else:
        text = decode(raw, source) if isinstance(raw, bytes) else raw
        if not text.strip():
            raise ImportRefused(source, "empty file")
        if is_html(text, source) and is_archived_message(text):
            src = read_archived_message(text, source, heading=_is_heading)
        elif is_html(text, source):
            src = read_html_source(text, source)
        else:
            src = read_text_source(text, source, heading=_is_heading)
    names = frozenset(fold(n) for n in (*site_names, *src.site_names) if n)
    choice = choose_title(list(src.titles), names)
    # The language is told from the paragraphs (long lines), before the parts are known:
    # dates are read in it.
    detected = detect_language(" ".join(
        line.text for line in src.lines if len(line.text) > 60) or " ".join(
        line.text for line in src.lines))
    parts = read_parts(src, names, choice.title, detected.language)
    return Reading(src, names, choice, detected, parts)


def finish_reading(reading: Reading, organisations: Mapping[str, Organisation] | Directory,
                   issuer_hint: str | None = None, *, language: str = "en") -> Imported:
    """The second half: the reading's organisations matched to the directory, its record
    made. Raises ImportRefused when there is no statement in it."""
    return _Build(reading, organisations, issuer_hint, language).imported()


def _is_heading(text: str) -> bool:
    return bool(heading_of(text) or about_of(text))


class _Build:
    def __init__(self, reading: Reading, organisations: Mapping[str, Organisation] | Directory,
                 issuer_hint: str | None, language: str):
        self.reading = reading
        self.src = src = reading.src
        base = organisations if isinstance(organisations, Directory) else Directory(
            organisations)
        self.directory: Lookup = base.lookup()
        self.issuer_hint = issuer_hint
        self._contacts_read = None  # read_contacts' result, once per source
        self.default_language = language
        self.site_names = reading.site_names
        # Lines naming an organisation with its acronym, wherever they stand on the page.
        # (Without a list's mark: "۱۔ <name> (PCDR)" prints "<name>".)
        self.printed = [BULLET.sub("", line.text, count=1) for line in src.lines
                        if "(" in line.text and len(line.text) <= 120][:300]
        self.diagnostics: list[Diagnostic] = []
        self.comments: dict[str, str] = {}
        self.stem = PurePath(src.path).stem
        self.issued_line = None

    def report(self, line: int | None, field_name: str | None, message: str,
               error: bool = False) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        self.diagnostics.append(Diagnostic(self.src.path, line, severity, field_name, message))

    def imported(self) -> Imported:
        src, choice, parts = self.src, self.reading.choice, self.reading.parts
        self.detected = self.reading.detected
        tail_signature(parts, self._is_org)
        for line, message in src.problems:
            self.report(line, "body", message)
        if not parts.body:
            raise ImportRefused(src.path, "no statement text found (only a title, "
                                "lists or the site's navigation)")
        title, title_kind = self._title(parts, choice)
        date = self._date(parts)
        language = self._language(parts)
        endorsers = self._endorsers(parts, language)
        issued_by = self._issuer(parts, endorsers)
        self._place_under_signature(parts)
        contacts = self._contacts(parts)
        body = build_body(parts, self.report, html=bool(src.titles))
        kind = self._type(title_kind, parts, endorsers)
        first = parts.body[0].text
        fields: dict[str, Any] = {
            "id": self._id(title, date),
            "type": kind.value,
            "title": title or PLACEHOLDER_TITLE,
            "date": date,
            "place": parts.place,
            "language": language,
            "countries": countries_in(title, self.stem, first),
            "topics": [],
            "issued_by": issued_by,
            "endorsers": endorsers,
            "contacts": contacts,
            "state": "private",
        }
        url = original_url(src.url or parts.source_url)  # never the web archive's own
        if url:
            fields["source_url"] = url
        self.comments.setdefault("topics", "The old archive has no topics: add them.")
        removed = [Removed(n, t, r) for n, t, r in src.cut] + parts.removed
        return Imported(
            source=src.path,
            fields=fields,
            body_markdown=body,
            comments=self.comments,
            diagnostics=tuple(self.diagnostics),
            new_organisations=tuple(self.directory.new.values()),
            removed=tuple(sorted(removed, key=lambda r: r.line)),
        )

    # --- front matter -------------------------------------------------------------------

    def _title(self, parts: Parts, choice) -> tuple[str | None, str | None]:
        if parts.own_title is not None:
            title = clean_title(parts.own_title.text)
            if choice.title and fold(choice.title) != fold(title.text):
                self.report(parts.own_title.number, "title", f"the page's headline "
                            f"({choice.title!r}) is the reposting site's; the statement's own "
                            f"title below its introduction, {title.text!r}, was taken: check "
                            "it")
            return title.text, title.kind or choice.kind
        if choice.title is None and choice.kind and self.src.titles and parts.title is None:
            self.report(1, "title", "the page's only title is a label naming its kind ("
                        f"{self.src.titles[0][1]!r}); the placeholder {PLACEHOLDER_TITLE!r} was "
                        "written: write the title", error=True)
            self.comments["title"] = "The old page's title was only a label: write one."
            return None, choice.kind
        if choice.title:
            if choice.others:
                self.report(1, "title", "the page gives other titles too ("
                            + "; ".join(repr(o) for o in choice.others[:3])
                            + f"); {choice.title!r} was taken: check it")
            return choice.title, choice.kind
        if parts.title is not None:
            title = clean_title(parts.title.text)
            others = [line.text for line in parts.titles if fold(line.text) != fold(
                parts.title.text)]
            if others:
                self.report(parts.title.line if hasattr(parts.title, "line") else
                            parts.title.number, "title",
                            f"{title.text!r} was taken as the title; the lines above it ("
                            + "; ".join(repr(o) for o in others[:3])
                            + ") were left out: check them")
            return title.text, title.kind
        self.report(1, "title", f"the source has no title; the placeholder "
                    f"{PLACEHOLDER_TITLE!r} was written: write the title", error=True)
        self.comments["title"] = "Imported from the old archive, which had no title: write one."
        self.comments["id"] = ("Made from the file name, as the source has no title; to change "
                               "it, rename the file too.")
        return None, None

    def _date(self, parts: Parts) -> dt.date | None:
        if parts.date is None and parts.signoffs:
            _line, found = parts.signoffs[0]
            parts.date, parts.buddhist_era = found.date, found.buddhist_era
            if found.place and parts.place is None:
                parts.place = found.place
        if parts.date is not None and parts.place is None and parts.signoffs and (
                parts.signoffs[0][1].date == parts.date and parts.signoffs[0][1].place
                and place_alone(parts.signoffs[0][1].place)):
            # The page's posted date above, the statement's "Jakarta, 14 Agustus 2023" at its
            # foot, the same day: the sign-off says where.
            parts.place = parts.signoffs[0][1].place
        if parts.date is not None:
            if parts.yearless is not None:
                self.report(parts.yearless.number, "date", f"the dateline "
                            f"{parts.yearless.text!r} gives no year; {parts.date.isoformat()} "
                            "takes the year of the page's date: check it")
            if parts.later_dates:
                self.report(parts.dateline.number if parts.dateline else 1, "date",
                            "the page gives more than one date above the text; the earliest, "
                            f"{parts.date.isoformat()}, was taken (the others are when it was "
                            "posted or updated): check it")
            return parts.date
        fallbacks = [(f"the page's line {line.text!r}", date) for line, date in
                     parts.meta_dates]
        for where, text in self.src.dates:
            date = parse_date(text)
            if date is not None:
                fallbacks.append((f"{where} ({text})", date))
        name_date = date_in_name(self.stem)
        if name_date:
            fallbacks.append(("the file name", name_date))
        url = original_url(self.src.url or parts.source_url)
        url_date = date_in_address(url) if url else None
        if url_date:  # a dated permalink (/2023/08/30/): the day it was posted
            fallbacks.append((f"the page's address ({url})", url_date))
        if fallbacks:
            where, date = fallbacks[0]
            self.report(1, "date", f"no dateline or sign-off date; the date was taken from "
                        f"{where}: check it")
            return date
        self.report(1, "date", "no dateline, sign-off or page date, and no date in the file "
                    "name: write the date (YYYY-MM-DD)", error=True)
        return None

    def _language(self, parts: Parts) -> str:
        found = self.detected
        if found.why:
            chosen = found.language or self.default_language
            self.report(parts.body[0].number, "language", f"{found.why}; {chosen!r} was "
                        "written: check it")
            return chosen
        return found.language or self.default_language

    def _id(self, title: str | None, date: dt.date | None) -> str:
        name = (title and slug(title)) or stem_slug(self.stem)
        return f"{date.isoformat()}-{name}" if date else name

    def _type(self, title_kind: str | None, parts: Parts,
              endorsers: list[str]) -> StatementType:
        from .structure import kind_label

        labels = [kind_label(text) for text in parts.labels]
        for kind in (title_kind, *[k for k in labels if k in _STRONG]):
            if kind:
                return StatementType(kind)
        kicked = kind_label(self.src.kicker) if self.src.kicker else None
        if kicked:  # the line over the headline says what this page is, whoever endorses it
            return StatementType(kicked)
        for text in self.src.kinds:
            kind = kind_label(text)
            if kind in ("press-release", "open-letter"):
                return StatementType(kind)
        if any(r.reason == "a for-release line" for r in parts.removed):
            return StatementType.PRESS_RELEASE  # "FOR IMMEDIATE RELEASE": a newsroom's form
        top = parts.body[0].number if parts.body else 0
        for removed in parts.removed:  # "Kategori: Siaran Pers | 2 September 2024 | ..."
            category = _CATEGORY.search(removed.text) if removed.line < top else None
            kind = kind_label(category.group(1).strip()) if category else None
            if kind in ("press-release", "open-letter"):
                return StatementType(kind)
        first = parts.body[0].text
        if parts.valediction or _LETTER_OPENING.match(first) or any(
                _LETTER_OPENING.match(line.text) for line in parts.body[:3]):
            return StatementType.OPEN_LETTER
        if len(endorsers) > 1:
            return StatementType.JOINT_STATEMENT
        return StatementType.STATEMENT

    # --- organisations ------------------------------------------------------------------

    def _is_org(self, text: str) -> bool:
        return self._match_signature(text) is not None

    def _match_signature(self, text: str) -> Match | None:
        match = self.directory.match(text)
        if match:
            return match
        for token in _ACRONYM_TOKEN.findall(text):
            found = self.directory.match(token, fuzzy=False)
            if found:
                return found
        # The same name with its acronym elsewhere on the page (the masthead's "<name>
        # (SLPFA)"), the directory knowing the organisation by another language's name.
        folded = normalise(text)
        for line in self.printed:
            if normalise(bare_name(line)) == folded and acronym(line):
                found = self.directory.match(acronym(line), fuzzy=False)
                if found:
                    return found
        # "سیکرٹری جنرل، <organisation>", "Secretary General, <organisation>": the office,
        # then the organisation the signer holds it in.
        pieces = _OFFICE_COMMA.split(text)
        if len(pieces) == 2 and pieces[0].casefold() in vocab.OFFICE_WORDS:
            return self._match_signature(pieces[1])
        return None

    def _endorsers(self, parts: Parts, language: str | None = None) -> list[str]:
        keys: list[str] = []
        names = []
        if parts.valediction:
            for block in parts.signatures:
                # "1. Forum of ...": a numbered signature's number is the list's, not its name's.
                block = [strip_bullet(line) if BULLET.match(line.text) else line
                         for line in block]
                orgs = [self._signature_org(line.text) for line in block]
                # A long run of signatures that mostly name organisations (a table of
                # them): the rest are organisations too, unless a person's or a sentence.
                mostly = len(block) >= 5 and sum(orgs) >= 0.6 * len(block)
                kept = len(names)
                for line, org in zip(block, orgs, strict=True):
                    if org or (mostly and not is_person(line.text) and len(line.text) <= 100
                               and not line.text.rstrip().endswith((".", "。"))):
                        names.append(line)
                if len(names) == kept and block:
                    # "Maria Santos / Lawyer, Quezon City": a person signs, for no
                    # organisation named; left out, and said, as a list's people are.
                    parts.people += [line for at, line in enumerate(block)
                                     if at == 0 or line.number > block[at - 1].number + 1]
                    for removed in parts.removed:
                        if any(removed.line == line.number for line in block):
                            removed.reason = ("a person's signature (no organisation named, "
                                              "so not an endorser)")
        signed = {id(line) for line in names}  # the letter's own signatures
        self.signed_keys: list[str] = []
        self.endorsers_printed: list[tuple[str, str]] = []  # (the name as printed, its key)
        listed = endorser_names(parts.endorsers, language,
                                lambda name: self.directory.match(name, fuzzy=False) is not None)
        if listed and others_named_by_count(listed[-1].text, language):
            # "and 31 other organisations": endorsers the list counts without naming.
            self.report(listed[-1].number, "endorsers", f"the list ends {listed[-1].text!r}: "
                        "those organisations are not named, so they are not endorsers of "
                        "the record; add them by name if they should be shown")
            listed = listed[:-1]
        elif listed and (glued := count_after_name(listed[-1].text, language)) is not None:
            last = listed[-1]
            self.report(last.number, "endorsers", f"the list ends {glued[1]!r}: those "
                        "organisations are not named, so they are not endorsers of the "
                        "record; add them by name if they should be shown")
            listed = [*listed[:-1], replace(last, text=glued[0])]
        labels = [line for line in listed if _GROUP_LABEL.match(line.text)]
        for line in labels:
            # "[서울]", "【海外】": the list's names grouped by region or kind, under labels.
            parts.cut(line, "a label grouping the list's names (a region or kind), not a name")
        listed = [line for line in listed if line not in labels]
        people = [line for line in listed if is_person(line.text)]
        for line in people:
            # "Dr. ..., pensyarah": a person among the organisations; not an endorser.
            parts.people.append(line)
            parts.cut(line, "a person who signed (not an organisation, so not an endorser)")
        listed = [line for line in listed if line not in people]
        names += listed
        names += list(self.src.submitters)
        self.issued_line = None
        heading = parts.endorse_heading
        if heading is not None and len(names) == 1 and vocab.words_pattern(
                vocab.ISSUER_HEADINGS).match(heading.text):
            # "Dikeluarkan oleh: <one name>": who issued it, not a list of endorsers.
            self.issued_line = names.pop()
        elif heading is not None and 2 <= len(names) <= 4 and names == listed and (
                vocab.words_pattern(vocab.ISSUER_HEADINGS).match(heading.text)):
            # "Dikeluarkan oleh: / Tan Mei Ling / Pengerusi / PEKHAM": a person signs for
            # the one organisation named, its issuer; none of them endorses it.
            named = [line for line in names if self._signature_org(line.text)]
            if len(named) == 1:
                self.issued_line, names = named[0], []
        if parts.issuer_lines:
            # "Dikeluarkan oleh: / Sekretariat SURAS / Kuala Lumpur" below the list.
            self.issued_line = parts.issuer_lines[0]
            last = parts.issuer_lines[-1]
            if len(parts.issuer_lines) > 1 and parts.place is None and place_alone(last.text):
                parts.place = last.text
        if parts.people:
            count = (f"{len(parts.people)} people signed as individuals; they were"
                     if len(parts.people) > 1 else "1 person signed as an individual, and was")
            self.report(parts.people[0].number, "endorsers", f"{count} left out of the "
                        "endorsers, which are organisations: add them to the text if they "
                        "should be shown")
        for line in names:
            printed = line.text.strip(" ,;.")
            name, base = split_where(printed)
            if base and self.directory.match(base) is not None:
                name = base  # "Name (Regional)": a directory's organisation, without its place
            if not name:
                continue
            shown = showable(name)
            if shown != name:
                # An emoji in a name would make the directory one the site refuses.
                self.report(line.number, "endorsers", f"{name!r} holds characters the PDF's "
                            "fonts cannot show (an emoji, say): "
                            + (f"read as {shown!r}" if has_letters(shown) else "left out"))
                if not has_letters(shown):
                    continue
                name = shown
            if not has_letters(name):
                self.report(line.number, "endorsers", f"{name!r} has no letter, so it names "
                            "no organisation (a count, a number): left out")
                continue
            if name.endswith(":"):
                self.report(line.number, "endorsers", f"{name!r} reads as a heading inside the "
                            "list of endorsers; left out: check the list")
                continue
            key = self._match_or_add(line.number, name)
            self.endorsers_printed.append((name, key))
            if id(line) in signed:
                self.signed_keys.append(key)
            if key in keys:
                self.report(line.number, "endorsers", f"{name!r} is listed twice; kept once")
                continue
            keys.append(key)
        return keys

    def _signature_org(self, text: str) -> bool:
        from .structure import _ACRONYM_IN, _org_words

        return bool(_ACRONYM_IN.search(text) or self.directory.match(text) or _org_words(text))

    def _match_or_add(self, line: int, name: str) -> str:
        match = self.directory.match(name)
        if match is None:
            key = self.directory.add(name)
            self.report(line, "endorsers", f"{name!r} is not in the organisation directory; "
                        f"added as {key!r}: check its name and key")
            return key
        if match.how == "fuzzy":
            org = self.directory.get(match.key)
            self.report(line, "endorsers", f"{name!r} is not in the organisation directory as "
                        f"written; taken as {match.key!r} ({org.name if org else match.key}, "
                        f"{match.score:.0f}% alike): check it")
        return match.key

    def _issuer(self, parts: Parts, endorsers: list[str]) -> str | None:
        if parts.about_name is not None:
            return self._about_issuer(parts)
        if self.issued_line is not None:
            line = self.issued_line
            match = self._match_signature(line.text)
            if match is not None:
                return match.key  # "Jawatankuasa Eksekutif SURAS": SURAS's committee
            return self._match_or_add(line.number, line.text.strip(" ,;."))
        if not parts.valediction:
            for block in parts.signatures:
                for line in block:
                    match = self._match_signature(line.text)
                    if match:
                        self._signature_place(parts, block, line)
                        return match.key
            unknown = self._unknown_signature(parts)
            if unknown is not None:
                return unknown
        speaker = self._speaker(parts)
        if speaker is not None:
            return speaker
        coordinator = self._coordinator(parts, endorsers)
        if coordinator is not None:
            return coordinator
        if self.src.coordinator is not None:
            line = self.src.coordinator
            match = self._match_signature(line.text)
            key = match.key if match else self._match_or_add(line.number, line.text)
            self.report(line.number, "issued_by", f"{key!r}, which the cover names as the "
                        "submission's coordinating organisation, taken as its issuer: check it")
            return key
        if self.src.submitters and endorsers:
            self.report(self.src.submitters[0].number, "issued_by", f"{endorsers[0]!r}, the "
                        "first of the organisations that submitted it, taken as its issuer: "
                        "check it")
            return endorsers[0]
        signed = self.signed_keys  # set by _endorsers, which runs first
        if parts.valediction and len(signed) == 1:
            self.report(None, "issued_by", f"no About block names the issuer; the letter is "
                        f"signed by one organisation, {signed[0]!r}, taken as its issuer: "
                        "check it")
            return signed[0]
        for where, line, name in self._page_owners(parts):
            key = self._owner_key(name, parts, endorsers)
            if key:
                self.report(line, "issued_by", f"no About block or signature names the "
                            f"issuer; {key!r} was taken from {where} ({name!r}), a guess: check it")
                return key
        named = self._contacts_org(parts)
        if named is not None:
            return named
        hint = self.issuer_hint
        if hint and hint in endorsers:
            self.report(None, "issued_by", f"no About block or signature names the issuer; "
                        f"issued_by set to {hint!r}, the site's organisation, which endorses "
                        "it (a guess): check it")
            return hint
        if hint and endorsers:
            # The site's organisation does not sign it: the first that does is a better guess.
            self.report(None, "issued_by", f"no About block or signature names the issuer, "
                        f"and the site's organisation ({hint!r}) does not endorse it; "
                        f"{endorsers[0]!r}, the first that does, was taken (a guess): check it")
            return endorsers[0]
        if hint:
            self.report(None, "issued_by", f"no About block or signature names the issuer; "
                        f"issued_by set to {hint!r}, the site's organisation (a guess): check it")
            return hint
        self.report(None, "issued_by", "no About block, so the issuing organisation is "
                    "unknown: write issued_by", error=True)
        return None

    def _coordinator(self, parts: Parts, endorsers: list[str]) -> str | None:
        """"This statement was coordinated by <Name> (ACR)." at the end of the text, naming
        one of the endorsers by its acronym: the one that issued it, said as a guess."""
        coordinated = vocab.words_pattern(vocab.COORDINATED_WORDS)
        closing = [*parts.body[-3:], *(line for _, line in parts.leftovers[:3])]
        for line in closing:
            if len(line.text) > 400 or not coordinated.search(line.text):
                continue
            for found in _ACRONYM_IN_HEAD.finditer(line.text):
                for key in endorsers:
                    org = self.directory.get(key)
                    if org and org.name and f"({found.group(1)})" in org.name:
                        self.report(line.number, "issued_by", f"no About block or signature "
                                    f"names the issuer; {key!r}, which the text says "
                                    "coordinated the statement, was taken: check it")
                        return key
        return None

    def _contacts_org(self, parts: Parts) -> str | None:
        """The one endorser the contacts speak for ("<name> 事務局（電話…）", "Name, Officer,
        <organisation>"): where nothing else names the issuer, the organisation that takes
        the press's questions is the one that put the statement out; said as a guess."""
        raw = [c["label"] for c in self._found_contacts(parts).contacts]
        labels = [normalise(label) for label in raw]
        if not labels:
            return None
        named: set[str] = set()
        for printed, key in self.endorsers_printed:
            org = self.directory.get(key)
            names = [name for name in (printed, org.name if org else "") if name]
            forms = {normalise(bare_name(name)) for name in names}
            # "Andi Rahmat (JPTS) – 0812 ...": the organisation by its acronym, as printed.
            acronyms = {a for a in map(acronym, names) if a and len(a) >= 3}
            if any(len(form) >= 6 and form in label for form in forms for label in labels) or (
                    any(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", label)
                        for a in acronyms for label in raw)):
                named.add(key)
        if len(named) != 1:
            return None  # no endorser, or several: the contacts do not say which
        key = next(iter(named))
        self.report(None, "issued_by", f"no About block or signature names the issuer; "
                    f"{key!r}, the endorser its contacts speak for, was taken: check it")
        return key

    def _page_owners(self, parts: Parts):
        """Whose site the statement was saved from, as (where, line, name): the page's
        site name (og:site_name, its <title>'s last part), then its copyright line."""
        for name in self.src.site_names:
            yield "the site's name", None, name
        for removed in parts.removed:
            if removed.reason == "a copyright line":
                name = copyright_owner(removed.text)
                if name:
                    yield "the page's copyright line", removed.line, name
        for number, text, reason in self.src.cut:  # a newsletter's footer, cut with its section
            if reason == NEWSLETTER_REASON and chrome_reason(text) == "a copyright line":
                name = copyright_owner(text)
                if name:
                    yield "the newsletter's copyright line", number, name
        for removed in parts.removed:  # a text copy of a page: its masthead, the site's name
            if removed.reason == "the site's name or motto, above its menu" and (
                    len(removed.text) <= 80):
                yield "the site's name above its menu", removed.line, removed.text
        for removed in parts.removed[:3]:  # "Name in Burmese | Name in English" at the top
            pieces = _PIECES.split(removed.text)
            if removed.reason == "a menu, breadcrumb trail or meta line" and len(pieces) == 2:
                for piece in pieces:
                    yield "the letterhead above the title", removed.line, piece
        for removed in parts.removed:  # "原创 阿雯 香港劳工团结中心 2023-06-05 18:20": the account
            byline = _WECHAT_BYLINE.match(removed.text)
            if byline:
                yield "the account that posted it", removed.line, byline.group("account")
        for removed in parts.removed:  # Drupal's print view: "Published on <site> (<url>)"
            published = _PUBLISHED_ON.match(removed.text)
            if published:
                yield "the print view's 'Published on' line", removed.line, published.group(1)
        for removed in parts.removed:  # a mailing list's web view: who sent the message
            if removed.reason.startswith("the message's sender"):
                yield "the message's sender", removed.line, removed.text
        for number, text, reason in self.src.cut:  # a PDF's letterhead, on each page
            if reason == "a running header of the PDF's pages":
                for piece in _PIECES.split(text):
                    if 3 <= len(piece) <= 80:
                        yield "the running header of its pages", number, piece
                break
        for removed in parts.removed:  # a page's name by the post: "Name - TLCR"
            if parts.body and removed.line < parts.body[0].number and len(removed.text) <= 80 and (
                    _NAME_DASH_ACRONYM.match(removed.text)):
                yield "the page's name above the post", removed.line, removed.text
        # A blog's or an account's name by the post, above the title ("공익인권법센터바로"),
        # that names, spaces aside, a directory organisation: the one that posted it.
        top = parts.body[0].number if parts.body else 0
        for removed in parts.removed:
            if removed.line < top and len(removed.text) <= 60:
                name = self.directory.by_spaceless(removed.text)
                if name:
                    yield "the poster's name above the title", removed.line, name

    def _owner_key(self, name: str, parts: Parts, endorsers: list[str]) -> str | None:
        """The directory key of a site's owner named `name`: by name or acronym, by the
        endorser line of the statement it is (a name in the site's own language beside the
        acronym the directory knows), by a word of it written as an acronym ("Caeda
        Network"), or by a directory name ending in it ("... «Открытый голос»")."""
        match = self.directory.match(name)
        if match:
            return match.key
        folded = normalise(name)
        del endorsers  # read again from the lines: the printed name is what is compared
        for printed, key in self.endorsers_printed:
            # "香港勞工團結中心（HKLSC）、...": one of a line's names, the acronym beside it.
            if normalise(bare_name(printed)) == folded and key not in self.directory.new:
                return key
        for line in parts.endorsers:
            printed = strip_bullet(line).text  # "1. ", "١- ": in any digits
            printed = re.sub(r"^\d{1,3}\s*、\s*", "", printed)  # "1、": Chinese numbering
            placed = with_where_after_comma(printed)  # "Name (ACR) (Thailand)"
            base = placed.rpartition(", ")[0] if placed != printed else printed
            names = (normalise(bare_name(printed)), normalise(bare_name(base)))
            # "공익인권법센터 바로 BARO": the listed name and the acronym it goes by.
            tail = folded.rpartition(" ")
            if folded in names or (tail[0] in names and name.split()[-1].isupper()):
                found = self.directory.match(printed)
                if found:
                    return found.key
        for word in re.findall(r"[^\W\d_]{3,10}", name):
            if word[:1].isupper() and not word.isupper():
                key = self.directory.find(word.upper())
                if key and acronym(self.directory.get(key).name or "") == word.upper():
                    return key
            elif word.isupper() and len(name.split()) > 1:
                # "UFLR Matbuot xizmati" (its press service): the acronym the directory has.
                key = self.directory.find(word)
                if key and acronym(self.directory.get(key).name or "") == word:
                    return key
        if len(folded.split()) >= 2:
            for org in self.directory.known.values():
                if normalise(org.name).endswith(folded):
                    return org.key
        return None

    def _unknown_signature(self, parts: Parts) -> str | None:
        """A statement signed at its foot by one organisation the directory does not hold
        (its name alone, with an organisation's word in it): added, and said."""
        from .structure import _org_words

        if len(parts.signatures) != 1 or len(parts.signatures[0]) > 3:
            return None
        block = parts.signatures[0]
        named = [line for line in block if _org_words(line.text)]
        if len(named) != 1:
            return None
        line = named[0]
        key = self.directory.add(line.text.strip(" ,;."))
        self.report(line.number, "issued_by", f"the statement is signed by {line.text!r}, which "
                    f"is not in the organisation directory; added as {key!r} and taken as the "
                    "issuer: check it")
        return key

    def _speaker(self, parts: Parts) -> str | None:
        """The organisation the statement's first sentence speaks as ("The Centre ... (CCPL)
        calls on ...", "LBHN mendesak ..."), else one the page names alone above the text
        (an aggregator's "Source" line): a directory organisation, said as a guess."""
        # A letter's subject line and salutation come before its first sentence.
        opening = [line for line in parts.body[:4] if not _LETTER_OPENING.match(line.text)
                   and not (len(line.text) < 80 and line.text.endswith(","))]
        first = opening[0].text if opening else parts.body[0].text if parts.body else ""
        sentence = re.split(r"(?<=[.!?。！？।])\s", first, maxsplit=1)[0][:400]
        head = sentence[:160]
        candidates: list[tuple[int, str]] = []
        bracket = _ACRONYM_IN_HEAD.search(head)
        if bracket:
            candidates.append((bracket.start(), head[:bracket.end()]))
            candidates.append((bracket.start(), bracket.group(1)))
        said = _SAID_TODAY.search(sentence)
        if said:  # "..., the Regional Refugee Rights Initiative (RRRI) said today."
            candidates.append((said.start(), said.group("name")))
            candidates.append((said.start(), said.group("acronym")))
        lead = re.match(r"^(?:the\s+)?([A-Z][A-Za-z0-9&.\-]{1,14})\b", head)
        if lead and lead.group(1).isupper():
            candidates.append((0, lead.group(1)))
        if head and head[:1].upper() == head[:1].lower():
            # Scripts without spaces ("移住者の権利を守る法律家ネットワークおよび下記の..."):
            # the longest directory name the sentence begins with.
            stripped = head.lstrip("\u3000 ")
            names = [(len(bare_name(o.name)), bare_name(o.name)) for o in
                     self.directory.known.values() if o.name and len(bare_name(o.name)) >= 4
                     and stripped.startswith(bare_name(o.name))]
            if names:
                candidates.append((0, max(names)[1]))
        # Further into the sentence, an acronym in brackets of an organisation the list names
        # ("... වගවීම සඳහා ශ්‍රී ලංකා ජනතා සංසදය (SLPFA) සහ පහත අත්සන් කළ සංවිධාන ... ඉල්ලා
        # සිටී.": the object first, then "<the forum> and the undersigned", then the verb).
        listed = {key for _, key in self.endorsers_printed}  # (_endorsers ran first)
        for bracket in _ACRONYM_IN_HEAD.finditer(sentence, len(head) - 20 if head else 0):
            found = self.directory.match(bracket.group(1), fuzzy=False)
            if found is not None and found.key in listed:
                candidates.append((bracket.start(), bracket.group(1)))
        for _at, text in candidates:
            match = self.directory.match(text, fuzzy=False)
            if match is None:
                match = self.directory.match(text)
                if match is not None and match.score < 90:
                    match = None
            if match is not None:
                self.report(parts.body[0].number, "issued_by", f"no About block or signature "
                            f"names the issuer; {match.key!r} was taken from the first "
                            "sentence, which speaks as it: check it")
                return match.key
        last = parts.body[-1] if parts.body else None
        closing = _RELEASED_BY.match(last.text) if last is not None else None
        if closing is not None:
            name = closing.group("name").strip()
            match = self._match_signature(name)
            key = match.key if match else self.directory.add(name)
            self.report(last.number, "issued_by", f"the closing sentence says who released "
                        f"it ({name!r}); taken as the issuer" + ("" if match else
                        f", added to the organisation directory as {key!r}") + ": check it")
            return key
        front = [r for r in parts.removed if parts.body and r.line < parts.body[0].number]
        for removed in front:
            text = removed.text.strip()
            if len(text) > 90 or fold(text) in self.site_names:
                continue
            match = self.directory.match(text, fuzzy=False)
            if match is not None and match.how == "exact":
                self.report(removed.line, "issued_by", f"no About block or signature names "
                            f"the issuer; {match.key!r} was taken from the line {text!r} above "
                            "the text: check it")
                return match.key
        return None

    def _place_under_signature(self, parts: Parts) -> None:
        """"<the issuer's name> / කොළඹ" at the foot: the place, whatever named the issuer."""
        if parts.place is not None or parts.valediction or not parts.signatures:
            return
        block = parts.signatures[-1]
        last = block[-1]
        if len(block) >= 2 and place_alone(last.text) and not self._match_signature(last.text):
            parts.place = place_case(last.text) if last.text.isupper() else last.text

    def _signature_place(self, parts: Parts, block, org_line) -> None:
        last = block[-1]
        if parts.place is None and last is not org_line and len(block) >= 2 and (
                len(last.text.split()) <= 3) and not self._match_signature(last.text) and (
                not any(c.isdigit() for c in last.text)):  # "۱۰ دی ۱۴۰۲": a date, no place
            parts.place = place_case(last.text) if last.text.isupper() else last.text

    def _about_issuer(self, parts: Parts) -> str:
        name_line = parts.about_name
        assert name_line is not None
        text = " ".join(line.text for line in parts.about).strip()
        web = _WEB_TAIL.search(text)
        url = web.group(0).strip() if web else None
        if url and not url.lower().startswith("http"):
            url = f"https://{url}"
        name = re.sub(r"^(?:the|la|le)\s+", "", name_line.text, flags=re.IGNORECASE)
        match = self.directory.match(name)
        if match is None:
            forms = _about_subjects(name, text)
            for form in forms:
                match = self.directory.match(form)
                if match is not None:
                    break
            if match is None and _generic(name) and len(forms) > 1:
                name = forms[-1]  # "О фонде:": the text names the organisation
        if match is None and _generic(name):
            # "เกี่ยวกับเรา" over "มูลนิธิ...ทำงาน...": the text opens with the name of one
            # of its endorsers, as printed in the list (where its acronym stands beside it).
            for printed, key in self.endorsers_printed:  # (_endorsers runs first)
                bare = bare_name(printed)
                if len(bare) >= 4 and text.startswith(bare) and key not in self.directory.new:
                    self.report(name_line.number, "issued_by", f"the About block opens with "
                                f"{bare!r}, listed as {key!r}; taken as the issuer: check it")
                    return key
        if match is None and re.fullmatch(r"[A-Z][A-Z0-9&\-]{1,11}", name):
            # "Tungkol sa AMME" over "Ang Alyansa ... (AMME) ay ...": the text spells out
            # the acronym the heading gives; the organisation is added by its whole name.
            spelled = re.search(rf"^[^.。]{{0,40}}?(?:^|\s)(?P<full>[^\W\d_][^().。]{{3,120}}?)"
                                rf"\s*[(（]\s*{re.escape(name)}\s*[)）]", text[:240])
            if spelled:
                full = re.sub(r"^(?:the|la|le|ang|si)\s+", "", spelled.group("full"),
                              flags=re.IGNORECASE)
                name = f"{full} ({name})"
        if match is None:
            key = self.directory.add(name, text or None, url)
            self.report(name_line.number, "issued_by", f"{name!r} (the About block) is not in "
                        f"the organisation directory; added as {key!r} with its About text: "
                        "check it")
            return key
        key = match.key
        if match.how == "fuzzy":
            self.report(name_line.number, "issued_by", f"the About block's {name!r} is taken as "
                        f"{key!r} ({match.score:.0f}% alike): check it")
        org = self.directory.get(key)
        assert org is not None
        about = _WEB_TAIL.sub("", text).strip() if web else text
        if key in self.directory.new and not org.about:
            self.directory.update_new(Organisation(key, org.name, text or None, url))
        elif about and org.about and normalise(about) != normalise(
                _WEB_TAIL.sub("", org.about).strip()):
            self.report(name_line.number, "issued_by", f"the About text differs from the one "
                        f"for {key!r} in the organisation directory, which is the one printed: "
                        "check which is right")
        elif about and not org.about and key not in self.directory.new:
            self.report(name_line.number, "issued_by", f"{key!r} has no About text in the "
                        "organisation directory; the source has one: add it there")
        if url and not org.url and key not in self.directory.new:
            self.report(name_line.number, "issued_by", f"{key!r} has no web address in the "
                        f"organisation directory; the About block gives {url}: add it there")
        return key

    def _found_contacts(self, parts: Parts):
        """The contacts read from the source, once (the issuer's last guess asks too)."""
        if self._contacts_read is None:
            self._contacts_read = read_contacts([*self.src.contacts, *parts.contacts])
        return self._contacts_read

    def _contacts(self, parts: Parts) -> list[dict[str, Any]]:
        found = self._found_contacts(parts)
        for line, label, form in found.hidden:
            self.report(line.number, "contacts", f"the old site hid the e-mail address of "
                        f"{label!r} ({form[:60]}); left empty: find the address and fill it in")
        for line in found.unnamed:
            self.report(line.number, "contacts", f"{line.text[:80]!r}: the old site hid an "
                        "e-mail address here, with no name beside it; no contact was made: "
                        "find whose it is and add the contact")
        if found.hidden:
            n = len(found.hidden)
            what = {1: "an e-mail address", 2: "both e-mail addresses"}.get(
                n, f"{n} e-mail addresses")
            self.comments["contacts"] = (
                f"The old archive hid {what}; find them before filling them in.")
        out = []
        for contact in found.contacts:
            item = {"label": contact["label"], "email": contact["email"]}
            if contact.get("group"):
                item["group"] = contact["group"]
            out.append(item)
        return out


def _about_subjects(name: str, text: str) -> list[str]:
    """Other names an About block gives its organisation: the heading without "the", the
    acronym in the text's first words, the text's subject before "is"/"–"."""
    forms = [re.sub(r"^(?:the|la|le)\s+", "", name, flags=re.IGNORECASE)]
    head = text[:200]
    acronym = re.search(r"^[^.。]{0,120}?[(（]\s*([A-Z][A-Za-z0-9&.\-]{1,14})\s*[)）]", head)
    if acronym:
        forms.append(acronym.group(1))
        forms.append(head[:acronym.end()].strip())
    subject = re.match(r"^(.{3,100}?)\s+(?:[–—-]|is|ist|adalah|ialah|là|是|คือ|เป็น|គឺជា)\s",
                       head)
    if subject:
        forms.append(subject.group(1).strip())
    return [f for f in forms if f]


def _generic(name: str) -> bool:
    """"фонде", "us": an About heading naming no organisation (a common noun, lowercase)."""
    first = name.split()[0] if name.split() else ""
    return bool(first) and (first[:1].islower() or " ".join(name.split()).casefold() in _US)


# "About us" in the region's languages, capitalised in a menu ("Tentang Kami").
_US = frozenset({"us", "amin", "kami", "chúng tôi", "เรา", "យើង", "我们", "我們", "нас",
                 "हमारे", "আমাদের", "biz", "бидний"})
