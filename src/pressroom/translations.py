"""Linked translations (after Plone's multilingual): a record that is a translation of another.

A translation names its original (`translation_of: <id>`) and has its own `language`; its id
is the original's with the language added (`<id>-th`), and so is its folder under output/.
The fields every version of a statement shares come from the original: a translation may
leave them out (they are filled in from the original when it is loaded) or repeat them, and
one that says something else is an error naming the field. Everything else is its own.

`translate` starts one: the original's structure with every text marked `[TO TRANSLATE]`
(the original's words after the marker, for the translator to replace), and the version of
the original it was made from, so `check` can say when the original has changed since.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .fields import INVALID, Report
from .frontmatter import key_line, plain_value
from .model import Statement

# The fields every language of a statement shares, as the record names them.
SHARED_KEYS = ("type", "date", "countries", "topics", "issued_by", "endorsers")
# What `translate` marks each text with, and what `check` looks for: plain ASCII, so every
# font shows it and every editor finds it.
UNTRANSLATED = "[TO TRANSLATE]"
_TRANSLATION_OF = re.compile(rb"^translation_of:[ \t]*[\"']?([a-z0-9-]+)", re.MULTILINE)


def suffix(language: str) -> str:
    """The part a translation's id adds to its original's: its language, lowercased."""
    return language.lower()


def translation_id(original_id: str, language: str) -> str:
    return f"{original_id}-{suffix(language)}"


def original_id_in(data: bytes) -> str | None:
    """The `translation_of` a record's bytes name, read without parsing them (to find the
    original before the record is checked against it); None for a record that names none."""
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from a Windows editor
    head = data[:data.find(b"\n---", 3)] if data.startswith(b"---") else b""
    found = _TRANSLATION_OF.search(head)
    return found.group(1).decode() if found else None


def language_name(language: str) -> str:
    """A language's name in itself (CLDR, through Babel), as a reader of it looks for it;
    the code itself when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return language
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:] if name[:1].islower() else name


# --- filling in and checking a translation against its original ---------------------------


def fill_shared(data: Any, original: Statement) -> set[str]:
    """Put into a translation's front matter (`data`, as loaded) every shared field it
    leaves out, from `original`; the keys filled in. Contacts it leaves out are the
    original's, labels and all."""
    filled = set()
    for key in SHARED_KEYS:
        if key not in data or data[key] is None:
            data[key] = plain_value(getattr(original, key))
            filled.add(key)
    if ("contacts" not in data or data["contacts"] is None) and original.contacts:
        data["contacts"] = plain_value(original.contacts)
        filled.add("contacts")
    return filled


def check_against(data: Any, values: Mapping[str, Any], statement: Statement | None,
                  original: Statement, report: Report, filled: set[str]) -> None:
    """What a translation says that its original does not: a shared field set to something
    else, a contact's e-mail address or a footnote's web address changed; its id and language
    as a translation's must be; and an original that is itself a translation."""
    line = lambda key: key_line(data, key) or report.lines.get(key)  # noqa: E731
    if original.translation_of is not None:
        report.error(line("translation_of"), "translation_of",
                     f"{original.id!r} is itself a translation (of {original.translation_of!r})"
                     f": name the original, translation_of: {original.translation_of}")
    language = values.get("language")
    if isinstance(language, str):
        if language.lower() == original.language.lower():
            report.error(line("language"), "language",
                         f"{language!r} is the original's language: a translation is in "
                         "another language")
        elif isinstance(values.get("id"), str) and \
                values["id"] != translation_id(original.id, language):
            report.error(line("id"), "id",
                         f"a translation's id is its original's with its language added: "
                         f"{translation_id(original.id, language)} (and the file "
                         f"{translation_id(original.id, language)}.md)")
    for key in SHARED_KEYS:
        if key in filled or values.get(key) is None or values[key] is INVALID:
            continue  # an unusable value is reported as such already
        mine, theirs = values[key], getattr(original, key)
        if mine != theirs:
            report.error(line(key), key,
                         f"differs from the original ({original.id}): {_shown(mine)} here, "
                         f"{_shown(theirs)} there; a translation shares it: remove the line "
                         "or write the original's value")
    contacts = values.get("contacts")
    if "contacts" not in filled and isinstance(contacts, tuple):
        mine = [c.email for c in contacts]
        theirs = [c.email for c in original.contacts]
        if mine != theirs:
            report.error(line("contacts"), "contacts",
                         f"the e-mail addresses differ from the original's ({original.id}): "
                         f"{_shown(tuple(mine))} here, {_shown(tuple(theirs))} there; "
                         "translate the labels only")
    if statement is not None:
        _check_footnotes(statement, original, report)


def _check_footnotes(statement: Statement, original: Statement, report: Report) -> None:
    theirs = {f.number: f.urls for f in original.footnotes}
    for note in statement.footnotes:
        if note.number not in theirs:
            report.error(note.line, "body", f"footnote {note.number} is not in the original "
                         f"({original.id} has {len(theirs)}); a translation keeps its notes")
        elif note.urls != theirs[note.number]:
            report.error(note.line, "body",
                         f"footnote {note.number}: its web addresses differ from the "
                         f"original's ({', '.join(theirs[note.number]) or 'none'}); a "
                         "translation keeps them as they are")
    missing = sorted(set(theirs) - {f.number for f in statement.footnotes})
    if missing:
        report.warning(None, "body", f"footnote(s) {', '.join(map(str, missing))} of the "
                       f"original ({original.id}) are missing here: translate them too")


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(getattr(value, "value", value))


def untranslated(data: Any, body_markdown: str, body_line: int, report: Report) -> None:
    """A warning for each field and body line still marked `[TO TRANSLATE]`."""
    for key in ("title", "place"):
        if isinstance(data.get(key), str) and UNTRANSLATED in data[key]:
            report.warning(key_line(data, key), key, f"not translated yet (still marked "
                           f"{UNTRANSLATED})")
    contacts = data.get("contacts")
    if isinstance(contacts, list) and any(UNTRANSLATED in str(c) for c in contacts):
        report.warning(key_line(data, "contacts"), "contacts",
                       f"a label not translated yet (still marked {UNTRANSLATED})")
    marked = [n for n, text in enumerate(body_markdown.split("\n")) if UNTRANSLATED in text]
    if marked:
        report.warning(body_line + marked[0], "body", f"{len(marked)} line(s) not translated "
                       f"yet (still marked {UNTRANSLATED}), the first here")


# --- finding the original -----------------------------------------------------------------


def original_bytes(site, data: bytes, published: bool = False) -> bytes | None:
    """The bytes of the original a translation's record names (None: not a translation, or
    no such record): its latest published version when `published` and it has one (what the
    public pages are made from), else its record file."""
    oid = original_id_in(data)
    if oid is None:
        return None
    if published:
        from .versions import Versions

        versions = Versions(site.runs_dir)
        version = versions.latest_published(oid) if versions.store.exists else None
        if version is not None:
            return versions.data(version)
    path = site.record_path(oid)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def original_statement(site, data: bytes | None, oid: str) -> Statement | None:
    """The original's statement from its bytes (None if they do not load)."""
    if data is None:
        return None
    from .records import read_record_bytes

    statement, _ = read_record_bytes(data, site.record_path(oid), site.organisations)
    return statement


# --- starting a translation ---------------------------------------------------------------

_BLOCK_START = re.compile(r"^(\s*(?:(?:[-*+]|\d{1,9}[.)])\s+|>\s?)*(?:#{1,6}\s+)?)(.*)$")
_FOOTNOTE_DEF = re.compile(r"^(\[\^[^\]]+\]:\s*)(.*)$")
_URL = re.compile(r"<?[a-z][a-z0-9+.-]*://[^\s>]+>?", re.IGNORECASE)


def marked_body(markdown: str) -> str:
    """The original's body with the first line of each paragraph, heading, list item, quote
    and footnote marked `[TO TRANSLATE]`: the structure and the footnote markers stay where
    they are, and a note that is only a web address is left as it is."""
    out, previous = [], ""
    for line in markdown.split("\n"):
        note = _FOOTNOTE_DEF.match(line)
        opener = _BLOCK_START.match(line)
        if not line.strip():
            out.append(line)
        elif note:
            rest = note.group(2)
            words = _URL.sub("", rest)  # a note of web addresses alone has nothing to translate
            out.append(line if not any(c.isalpha() for c in words)
                       else f"{note.group(1)}{UNTRANSLATED} {note.group(2)}")
        elif opener.group(1).strip() or not previous.strip():
            out.append(f"{opener.group(1)}{UNTRANSLATED} {opener.group(2)}")
        else:
            out.append(line)  # a paragraph's later line: its first line carries the mark
        previous = line
    return "\n".join(out)


def start_translation(site, statement_id: str, language: str, person: str):
    """Start the translation of `statement_id` into `language`: a new record, private, with
    the original's structure and every text marked untranslated, stored as its first
    version (reason "translation"). Returns (path, the original's version it was made from
    or None). Refused if it exists, if `language` is the original's, or if the original is
    itself a translation or has errors."""
    from .errors import UsageError
    from .fileio import atomic_write
    from .model import LANGUAGE_PATTERN
    from .records import record_text
    from .versions import Versions

    original = site.load(statement_id)
    if not LANGUAGE_PATTERN.match(language):
        raise UsageError(f"{language!r} is not a language code like th, my or zh-Hant.")
    if original.translation_of is not None:
        raise UsageError(f"{statement_id} is itself a translation of "
                         f"{original.translation_of}: translate the original.")
    if language.lower() == original.language.lower():
        raise UsageError(f"{statement_id} is in {original.language} already: choose another "
                         "language.")
    new_id = translation_id(statement_id, language)
    path = site.record_path(new_id)
    if path.exists():
        raise UsageError(f"{new_id} exists already ({path}): edit it, or remove it first.")
    versions = Versions(site.runs_dir)
    made_from = versions.latest(statement_id) if versions.store.exists else None
    fields = {
        "id": new_id,
        "title": f"{UNTRANSLATED} {original.title}",
        "place": f"{UNTRANSLATED} {original.place}" if original.place else None,
        "language": language,
        # Shared fields are left out: they come from the original whenever it is loaded.
        "contacts": [{"label": f"{UNTRANSLATED} {c.label}", "email": c.email,
                      **({"group": f"{UNTRANSLATED} {c.group}"} if c.group else {})}
                     for c in original.contacts] or None,
        "state": "private",
        "translation_of": statement_id,
        "translated_from_version": made_from.number if made_from else None,
    }
    data = record_text(fields, marked_body(original.body_markdown)).encode("utf-8")
    with versions.store.write() as db:  # its first version, as an import stores one
        versions.add(db, new_id, data, person, "translation")
        atomic_write(path, data)
    return path, made_from.number if made_from else None


# --- what `check` says of a translation, from the store ------------------------------------


def outdated(site, results) -> dict:
    """path -> a warning for each translation whose original has a newer version (other
    than in its `state` line) than the one it was made from."""
    from .model import Diagnostic, Severity
    from .versions import Versions

    versions = Versions(site.runs_dir)
    if not versions.store.exists:
        return {}
    out = {}
    for path, (statement, _) in results.items():
        made_from = statement.translated_from_version if statement else None
        if made_from is None or statement.translation_of is None:
            continue
        history = versions.list(statement.translation_of)
        base = next((v for v in history if v.number == made_from), None)
        newer = [v for v in history if v.number > made_from]
        if base is None or not newer or _content(versions.data(newer[-1])) == \
                _content(versions.data(base)):
            continue
        out[path] = [Diagnostic(str(path), _line_of(path, "translated_from_version"),
                                Severity.WARNING, "translated_from_version",
                                f"outdated translation: made from version {made_from}, the "
                                f"original ({statement.translation_of}) is at version "
                                f"{newer[-1].number}; `pressroom diff "
                                f"{statement.translation_of} {made_from} "
                                f"{newer[-1].number}` shows what changed")]
    return out


def organisation_texts(site, results) -> dict:
    """path -> a warning for each statement in a language other than the site's whose
    issuer has no name or About in it in the directory: the default ones are shown."""
    from .model import Diagnostic, Severity

    default = site.settings.default_language.lower().split("-")[0]
    out = {}
    for path, (statement, _) in results.items():
        if statement is None or statement.language.lower().split("-")[0] == default:
            continue
        issuer = site.organisations.get(statement.issued_by)
        if issuer is None or issuer.text_in(statement.language) is not None:
            continue
        line = _line_of(path, "issued_by") or _line_of(path, "language")
        out[path] = [Diagnostic(
            str(path), line, Severity.WARNING, "issued_by",
            f"{issuer.key} has no name or About in {statement.language} in "
            f"organisations.yaml: the default ones are shown; add them under "
            f"`translations: {{{statement.language}: {{name: ..., about: ...}}}}`")]
    return out


def _content(data: bytes) -> bytes:
    """A record's bytes without its `state` line: a transition alone changes no text."""
    return re.sub(rb"(?m)^state:.*\n", b"", data)


def _line_of(path, key: str) -> int | None:
    try:
        lines = Path(path).read_bytes().split(b"\n")
    except OSError:
        return None
    return next((n + 1 for n, line in enumerate(lines) if line.startswith(key.encode() + b":")),
                None)


# --- the groups the public pages link ------------------------------------------------------


def groups(ids, statement_of, now) -> dict[str, tuple]:
    """id -> the alternates of its group, for every public statement of `ids` that has a
    public translation or is one: the original first (with its published version), then its
    translations by language. `statement_of(id)` gives a public statement (None if it does
    not load); only ids of a translation's form and their originals are asked for.
    A translation under embargo, or whose original is not public, is linked by no page."""
    from .gate import embargo_passed
    from .model import Alternate

    ids = set(ids)
    members: dict[str, list[Statement]] = {}
    for sid in sorted(ids):
        parts = sid.split("-")
        for n in range(len(parts) - 1, 0, -1):  # the longest original first: a -zh-hant
            prefix = "-".join(parts[:n])
            if prefix not in ids:
                continue
            found = statement_of(sid)
            if found is not None and found.translation_of == prefix \
                    and translation_id(prefix, found.language) == sid \
                    and embargo_passed(found.embargo, now):
                members.setdefault(prefix, []).append(found)
            break
    out: dict[str, tuple] = {}
    for oid, translations in members.items():
        original = statement_of(oid)
        if original is None or not embargo_passed(original.embargo, now):
            continue
        group = (Alternate(original.language, oid, True),
                 *(Alternate(t.language, t.id) for t in
                   sorted(translations, key=lambda t: t.language.lower())))
        for member in group:
            out[member.statement_id] = group
    return out


def group_for(site, statement: Statement) -> tuple:
    """The alternates of `statement`'s group as the public pages have it now, `statement`
    included (empty when it has no public translation): what a single publication links.
    The other pages of the group are brought up to date after the transition (the rules'
    `_refresh_group`)."""
    from .gate import statement_from_bytes
    from .versions import Versions

    versions = Versions(site.runs_dir)
    if not versions.store.exists:
        return ()
    oid = statement.translation_of or statement.id
    published, states = versions.family(oid)
    ids = [sid for sid in published if (sid == oid or sid.startswith(f"{oid}-"))
           and states.get(sid, "published") == "published"]
    # The statement being published is public, though the store may not say so yet (a
    # publication renders before its version is stored).
    ids.append(statement.id)

    def statement_of(sid: str) -> Statement | None:
        if sid == statement.id:
            return statement
        data = versions.data(published[sid])
        return statement_from_bytes(site, site.record_path(sid), data)[0]

    found = groups(ids, statement_of, versions.store.now()).get(statement.id, ())
    return with_version(found, published) if statement.translation_of else found


def with_version(group: tuple, published) -> tuple:
    """A translation's group with its original's published version number (an input of
    the translation's output keys)."""
    from dataclasses import replace

    return tuple(replace(a, version=published[a.statement_id].number) if a.original
                 and a.statement_id in published else a for a in group)
