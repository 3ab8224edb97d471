"""Recognising the parts of an archived statement in its lines.

A statement from the old archive reads, top to bottom: perhaps a title, a dateline opening
the first paragraph, the body (with `[n]` footnote markers), then in some order an
endorsement list, an "About X:" block, contact lines, and the numbered footnotes; the site's
chrome ("**", "For the PDF version ... click here.", share buttons, view counters) is
scattered around. `split_parts` sorts the lines into those parts; it decides nothing about
organisations or e-mails (see `core`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .datelines import match_dateline
from .sources import Line, Source, escape, escape_inline, escape_line_start

_CHROME = re.compile(
    r"^(?:\*+|[-–—_=~]{2,}|"
    r"for (?:the |a )?pdf(?: version)?(?: of (?:the|this) \w+(?: \w+)?)?,? "
    r"(?:please )?click here\.?|"
    r"(?:download|view|read) (?:the |this )?pdf(?: version)?(?: here)?\.?|"
    r"click here for (?:the )?pdf(?: version)?\.?|"
    r"share(?: this| on \w+)?:?|like this:?|like loading\.*|tweet|print(?: this)?|e-?mail|"
    r"facebook|twitter|linkedin|whatsapp|telegram|reddit|pinterest|pocket|more|related|"
    r"click to (?:share|print|email)\b.*|\(opens in new window\)|"
    r"(?:post |page )?views?:? ?[\d,.\s]+|[\d,.]+ views?|"
    r"posted (?:on|in|by)\b.{0,80}|filed under:?.{0,80}|tags?:.{0,120}|categories:.{0,120}|"
    r"back to top|previous post|next post|leave a (?:comment|reply))$",
    re.IGNORECASE,
)
_ENDORSE = re.compile(
    r"^(?:this (?:joint |open )?(?:statement|letter|appeal|submission|declaration|call)\s+"
    r"(?:is|was|has been|are)\s+(?:endorsed|signed|supported|co-?signed)\s+by|"
    r"(?:co-?)?endorsed by|endorsing organi[sz]ations|(?:list of )?signatories|"
    r"(?:co-?)?signed by|supported by|the undersigned(?: organi[sz]ations)?)"
    r"(?:[^:]{0,60}:\s*(?P<rest>.*)|\s*)$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"^(?:for (?:further|more) (?:information|details)|for (?:media|press) "
    r"(?:inquiries|enquiries|queries|contacts?)|media (?:contacts?|inquiries|enquiries)|"
    r"press contacts?|contacts?(?: persons?| details)?|for inquiries|for enquiries)"
    r"(?:[^:]{0,60}:\s*(?P<rest>.*)|\s*)$",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"^about (?P<name>[^:]{1,120}?)\s*(?::\s*(?P<rest>.*))?$", re.IGNORECASE)
_NOTES = re.compile(r"^(?:notes?|footnotes?|endnotes?|references?|sources?)\s*:?$",
                    re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\[(\d{1,3})\]\s*(?P<rest>.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(?P<rest>.*)$")
BULLET = re.compile(r"^(?:[-•*–▪●◦·+]|\d{1,3}[.)])\s+")
_MD_BULLET = re.compile(r"^(?:\\?[-•*–▪●◦·+]|\d{1,3}\\?[.)])\s+")
_MD_FOOTNOTE = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}\\?[.)])\s*")


@dataclass
class Parts:
    title: Line | None = None
    date: dt.date | None = None
    place: str | None = None
    dateline: Line | None = None
    body: list[Line] = field(default_factory=list)
    endorsers: list[Line] = field(default_factory=list)
    about_name: Line | None = None
    about: list[Line] = field(default_factory=list)
    contacts: list[Line] = field(default_factory=list)
    footnotes: list[tuple[int, Line]] = field(default_factory=list)  # (n, line without [n])
    leftovers: list[tuple[str, Line]] = field(default_factory=list)  # (after what, line)


def is_chrome(line: Line) -> bool:
    return bool(_CHROME.match(line.text))


def strip_bullet(line: Line) -> Line:
    return Line(line.number, BULLET.sub("", line.text, count=1),
                _MD_BULLET.sub("", line.md, count=1))


def _sub_line(line: Line, text: str) -> Line:
    return Line(line.number, text, escape(text))


def _is_title(line: Line) -> bool:
    text = line.text
    return (
        len(text) <= 200
        and len(text.split()) <= 30
        and not text.endswith((".", ":", ";", ","))
        and not BULLET.match(text)
        and not _FOOTNOTE.match(text)
        and not _heading(line)
        and match_dateline(text) is None
    )


def _heading(line: Line) -> bool:
    return any(p.match(line.text) for p in (_ENDORSE, _CONTACT, _NOTES)) or _about(line)


def _about(line: Line) -> bool:
    match = _ABOUT.match(line.text)
    if not match:
        return False
    name = match.group("name")
    # "About 200 people were arrested:" is a sentence; "About FORUM-ASIA:" is a heading.
    return (
        name[:1].isupper()
        and not re.search(r"\d", name)
        and len(name.split()) <= 14
        and (match.group("rest") is not None or not name.endswith("."))
    )


def split_parts(source: Source) -> Parts:
    """Sort the source's lines into the parts of a statement."""
    parts = Parts()
    lines = [line for line in source.lines if not is_chrome(line)]
    i = 0
    if lines and _date_alone(lines[0], parts):
        i = 1
    if source.title is None and i + 1 < len(lines) and _is_title(lines[i]):
        parts.title = lines[i]
        i += 1
    if parts.date is None and i < len(lines):
        found = match_dateline(lines[i].text)
        if found is not None:
            parts.date, parts.place, parts.dateline = found.date, found.place, lines[i]
            if found.rest:
                lines[i] = _strip_dateline(lines[i], found.rest)
            else:
                i += 1
    _sections(lines[i:], parts)
    return parts


def _date_alone(line: Line, parts: Parts) -> bool:
    found = match_dateline(line.text)
    if found is None or found.rest:
        return False
    parts.date, parts.place, parts.dateline = found.date, found.place, line
    return True


def _strip_dateline(line: Line, rest: str) -> Line:
    """The first paragraph without its dateline, in text and Markdown."""
    prefix = line.text[: len(line.text) - len(rest)]
    if line.md.startswith(prefix):
        md = line.md[len(prefix) :]
    else:
        # The dateline was marked up (bold, say): cut where the rest's first words begin.
        cut = line.md.find(escape_inline(rest[:24]))
        md = line.md[cut:] if cut >= 0 else escape_inline(rest)
    return Line(line.number, rest, escape_line_start(md.lstrip()))


def _sections(lines: list[Line], parts: Parts) -> None:
    section = "body"
    for line in lines:
        text = line.text
        endorse, contact, about = _ENDORSE.match(text), _CONTACT.match(text), _about(line)
        if endorse and not parts.endorsers:
            section = "endorsers"
            if endorse.group("rest"):
                for piece in re.split(r"\s*[;,]\s*", endorse.group("rest")):
                    if piece:
                        parts.endorsers.append(_sub_line(line, piece))
        elif contact and section != "notes":
            section = "contacts"
            if contact.group("rest"):
                parts.contacts.append(_sub_line(line, contact.group("rest")))
        elif about and parts.about_name is None:
            section = "about"
            match = _ABOUT.match(text)
            assert match is not None
            parts.about_name = _sub_line(line, match.group("name").strip())
            if match.group("rest"):
                parts.about.append(_sub_line(line, match.group("rest")))
        elif _NOTES.match(text) and parts.body:
            section = "notes"
        elif (match := _FOOTNOTE.match(text)) and parts.body:
            section = "notes"
            parts.footnotes.append((int(match.group(1)), _footnote_line(line, match)))
        elif section == "notes" and (match := _NUMBERED.match(text)):
            parts.footnotes.append((int(match.group(1)), _footnote_line(line, match)))
        elif section == "body":
            parts.body.append(line)
        elif section == "endorsers" and _endorser_like(line):
            parts.endorsers.append(line)
        elif section == "about":
            parts.about.append(line)
        elif section == "contacts" and not (len(text) > 200 and text.endswith(".")):
            parts.contacts.append(line)
        elif section == "notes" and parts.footnotes and not BULLET.match(text):
            # A footnote running over two lines.
            n, previous = parts.footnotes[-1]
            parts.footnotes[-1] = (n, Line(previous.number, f"{previous.text} {text}",
                                           f"{previous.md} {line.md}"))
        else:
            parts.leftovers.append((section, line))


def _footnote_line(line: Line, match: re.Match) -> Line:
    return Line(line.number, match.group("rest"), _MD_FOOTNOTE.sub("", line.md, count=1))


def _endorser_like(line: Line) -> bool:
    """A name in a list, not a sentence that happens to follow the list."""
    text = BULLET.sub("", line.text)
    return len(text) <= 160 and not (text.endswith(".") and len(text.split()) > 12)
