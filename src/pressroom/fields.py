"""The fields of a record's front matter: one checking function per key.

Each takes the YAML value, its line and the report, and returns the model's value or
`INVALID` after saying why in the report, in words staff can act on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import limits
from .addresses import MANGLED_EMAIL, is_email, url_problem
from .frontmatter import item_line, key_line
from .model import (
    ID_PATTERN,
    LANGUAGE_PATTERN,
    Contact,
    Correction,
    Diagnostic,
    Severity,
    State,
    Statement,
    StatementType,
)

PLACEHOLDER_TITLE = "TITLE NEEDED: write the statement's title"
# How long each text field may be, in characters (limits.py says why).
FIELD_CHARS = {"title": limits.TITLE_CHARS, "place": limits.LINE_CHARS,
               "countries": limits.LINE_CHARS, "topics": limits.LINE_CHARS,
               "contacts": limits.LINE_CHARS, "corrections": limits.ABOUT_CHARS}
LIST_ITEMS = {"countries": limits.MAX_LIST_ITEMS, "topics": limits.MAX_LIST_ITEMS,
              "contacts": limits.MAX_LIST_ITEMS, "endorsers": limits.MAX_ENDORSERS}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INVALID = object()


class Report:
    """The diagnostics of one record, plus what the cross-record checks need."""

    def __init__(self, path: Path):
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.lines: dict[str, int | None] = {}
        self.id: str | None = None
        self.translation_of: str | None = None
        self.statement: Statement | None = None

    def error(self, line: int | None, field: str | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(str(self.path), line, Severity.ERROR, field, message))

    def warning(self, line: int | None, field: str | None, message: str) -> None:
        self.diagnostics.append(
            Diagnostic(str(self.path), line, Severity.WARNING, field, message)
        )

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: (d.line or 0))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def kind_of(value: Any) -> str:
    """What a YAML value is, in words staff know."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = str(value) if len(value) <= 60 else f"{value[:57]}..."
        return f"text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__


def strings_in(node: Any, line: int | None, seen: set[int] | None = None):
    """(line, text) of every string under a YAML value; aliases are visited once."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    if isinstance(node, str):
        yield line, node
    elif isinstance(node, list):
        seen.add(id(node))
        for n, item in enumerate(node):
            yield from strings_in(item, item_line(node, n) or line, seen)
    elif isinstance(node, dict):
        seen.add(id(node))
        for key, value in node.items():
            yield from strings_in(value, key_line(node, key) or line, seen)


def _text(value: Any, line: int | None, report: Report, key: str) -> Any:
    if value is None:
        report.error(line, key, "is empty: fill it in")
        return INVALID
    if not isinstance(value, str):
        report.error(line, key, f"expected text, got {kind_of(value)}; put it in quotes")
        return INVALID
    if not value.strip():
        report.error(line, key, "is empty")
        return INVALID
    _check_length(value, line, report, key)
    return str(value)


def _check_length(text: str, line: int | None, report: Report, key: str,
                  what: str = "") -> None:
    """The length of a text the formats print, and of its words (the characters of every
    string of the front matter are checked by `check_characters`)."""
    limit = FIELD_CHARS.get(key)
    if limit is None:
        return  # a key or a code (id, language, issued_by), checked by its own pattern
    if len(text) > limit:
        report.error(line, key, f"{what}is {len(text):,} characters long; at most {limit:,}")
    for problem in limits.word_problems(text):
        report.error(line, key, what + problem)


def _check_count(value: list, line: int | None, report: Report, key: str) -> None:
    limit = LIST_ITEMS.get(key)
    if limit is not None and len(value) > limit:
        report.error(line, key, f"has {len(value):,} entries; at most {limit:,}")


def check_characters(data: Any, report: Report) -> None:
    """Characters the formats do not agree on, in any string of the front matter (a YAML
    escape such as \\u0000 or \\ud800 makes them), each kind once per field."""
    for key in data:
        said: set[str] = set()
        for line, text in strings_in(data[key], key_line(data, key)):
            for problem in limits.character_problems(text):
                kind = problem.split(" (")[0]
                if kind not in said:
                    said.add(kind)
                    report.error(line, str(key), problem)


def _choice(allowed: tuple[str, ...]):
    def check(value: Any, line: int | None, report: Report, key: str) -> Any:
        if isinstance(value, str) and value in allowed:
            return str(value)
        got = repr(str(value)) if isinstance(value, str) else kind_of(value)
        hint = did_you_mean(str(value), allowed) if isinstance(value, str) else ""
        report.error(line, key, f"must be one of {' | '.join(allowed)}, not {got}{hint}")
        return INVALID

    return check


def _title(value: Any, line: int | None, report: Report, key: str) -> Any:
    title = _text(value, line, report, key)
    if title is not INVALID and title.strip() == PLACEHOLDER_TITLE:
        report.error(line, key, "still the importer's placeholder; write the statement's title")
    return title


def _identifier(value: Any, line: int | None, report: Report, key: str) -> Any:
    text = _text(value, line, report, key)
    if text is not INVALID and not ID_PATTERN.match(text):
        report.error(line, key, f"{text!r} may use only lowercase letters, digits and hyphens "
                     "(and start with a letter or digit), like 2022-02-10-kazakhstan-crackdown")
        return INVALID
    return text


def _date(value: Any, line: int | None, report: Report, key: str) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            report.error(line, key, f"{value!r} is not a real date")
            return INVALID
    report.error(line, key, f"expected a date like 2022-02-10, got {kind_of(value)}")
    return INVALID


def _datetime(value: Any, line: int | None, report: Report, key: str) -> Any:
    stamp = value
    if isinstance(value, str) and not _ISO_DATE.match(value.strip()):
        try:
            stamp = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            stamp = value
    if not isinstance(stamp, dt.datetime):
        report.error(line, key, f"expected a date and time like 2022-02-10T09:00:00+07:00, "
                     f"got {kind_of(value)}")
        return INVALID
    stamp = dt.datetime(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute,
                        stamp.second, stamp.microsecond, tzinfo=stamp.tzinfo)
    if stamp.tzinfo is None:
        report.warning(line, key, "no time zone: add one (like +07:00), or readers in "
                       "other time zones will see a different time")
    return stamp


def _corrections(value: Any, line: int | None, report: Report, key: str) -> Any:
    if not isinstance(value, list):
        report.error(line, key, f"expected a list of {{date: ..., text: ...}}, got "
                     f"{kind_of(value)}")
        return INVALID
    out = []
    for n, item in enumerate(value):
        where = item_line(value, n) or line
        if not isinstance(item, dict) or set(item) != {"date", "text"}:
            report.error(where, key, f"correction {n + 1}: expected {{date: YYYY-MM-DD, text: "
                         f"...}}, got {kind_of(item)}")
            return INVALID
        date = _date(item["date"], where, report, key)
        text = _text(item["text"], where, report, key)
        if date is INVALID or text is INVALID:
            return INVALID
        out.append(Correction(date, text))
    return tuple(out)


def _language(value: Any, line: int | None, report: Report, key: str) -> Any:
    text = _text(value, line, report, key)
    if text is not INVALID and not LANGUAGE_PATTERN.match(text):
        report.error(line, key, f"{text!r} is not a language code like en, th or zh-Hant")
        return INVALID
    return text


def _text_list(value: Any, line: int | None, report: Report, key: str) -> Any:
    if not isinstance(value, list):
        report.error(line, key, f"expected a list like [a, b], got {kind_of(value)}")
        return INVALID
    _check_count(value, line, report, key)
    items = []
    for n, item in enumerate(value):
        where = item_line(value, n) or line
        if not isinstance(item, str) or not item.strip():
            report.error(where, key, f"item {n + 1}: expected text, got {kind_of(item)}")
            return INVALID
        _check_length(item, where, report, key, f"item {n + 1} ")
        items.append(str(item))
    return tuple(items)


def _contacts(value: Any, line: int | None, report: Report, key: str) -> Any:
    if not isinstance(value, list):
        report.error(line, key, f"expected a list of {{label: ..., email: ...}}, "
                     f"got {kind_of(value)}")
        return INVALID
    _check_count(value, line, report, key)
    contacts = []
    ok = True
    for n, item in enumerate(value):
        where = item_line(value, n) or line
        if not isinstance(item, dict):
            report.error(where, key, f"contact {n + 1}: expected {{label: ..., email: ...}}, "
                         f"got {kind_of(item)}")
            ok = False
            continue
        for k in item:
            if k not in ("label", "email", "group"):
                report.error(where, key, f"contact {n + 1}: unknown field {str(k)!r}"
                             f"{did_you_mean(str(k), ('label', 'email', 'group'))}")
                ok = False
        label, email, group = item.get("label"), item.get("email"), item.get("group")
        if group is not None and not (isinstance(group, str) and group.strip()):
            report.error(where, key, f"contact {n + 1}: group must be a heading (text), "
                         f"got {kind_of(group)}")
            ok = False
        if not isinstance(label, str) or not label.strip():
            report.error(where, key, f"contact {n + 1}: needs a label (text), got {kind_of(label)}")
            ok = False
        else:
            _check_length(label, where, report, key, f"contact {n + 1}: label ")
        if email is not None and not (isinstance(email, str) and is_email(email)):
            if not (isinstance(email, str) and MANGLED_EMAIL.search(email)):  # said above
                report.error(where, key, f"contact {n + 1}: email {kind_of(email)} is not an "
                             "e-mail address (name@example.org), or null if unknown")
            ok = False
        if ok:
            contacts.append(Contact(str(label), None if email is None else str(email),
                                    None if group is None else str(group)))
    return tuple(contacts) if ok else INVALID


def _version_number(value: Any, line: int | None, report: Report, key: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        report.error(line, key, f"expected a version number (1, 2, ...), got {kind_of(value)}")
        return INVALID
    return value


def _source_url(value: Any, line: int | None, report: Report, key: str) -> Any:
    text = _text(value, line, report, key)
    if text is not INVALID and (why := url_problem(text)) is not None:
        report.error(line, key, why)
        return INVALID
    return text


FIELDS = {
    "id": _identifier,
    "type": _choice(tuple(t.value for t in StatementType)),
    "title": _title,
    "date": _date,
    "place": _text,
    "language": _language,
    "countries": _text_list,
    "topics": _text_list,
    "issued_by": _text,
    "endorsers": _text_list,
    "contacts": _contacts,
    "state": _choice(tuple(s.value for s in State)),
    "embargo": _datetime,
    "corrections": _corrections,
    "translation_of": _identifier,
    "translated_from_version": _version_number,
    "source_url": _source_url,
}
