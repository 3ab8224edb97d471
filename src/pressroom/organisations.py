"""The organisation directory: statements/organisations.yaml, read, checked and appended to.

Records name organisations by a short key (`issued_by`, `endorsers`); this file gives each
key a name, an About text and a web site. It is edited by people and by the importer, so it
is read and written round-trip: comments, key order and quoting survive every append.
"""

from __future__ import annotations

import difflib
import io
import re
import textwrap
import unicodedata
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import FoldedScalarString

from . import limits
from .addresses import url_problem
from .errors import ConfigError
from .fileio import atomic_write
from .model import ID_PATTERN, LANGUAGE_PATTERN, Diagnostic, Organisation, Severity
from .render.glyphs import unshowable

KEY_PATTERN = ID_PATTERN  # keys name things as statement ids do
FIELDS = ("name", "short_name", "about", "url", "translations")
TRANSLATED_FIELDS = ("name", "short_name", "about")
# How long each field may be, in characters (limits.py says why).
FIELD_CHARS = {"name": limits.NAME_CHARS, "short_name": limits.NAME_CHARS,
               "about": limits.ABOUT_CHARS, "url": limits.MAX_URL_CHARS}
_HEADER = (
    "# The endorser directory: one entry per organisation, keyed by a short id that records use\n"
    "# in `issued_by` and `endorsers`.\n"
)
# Long About texts are folded at this width, as people write them in the file.
_FOLD_WIDTH = 88


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    # A wide line keeps hand-folded About texts exactly as written when the file is rewritten.
    yaml.width = 4096
    yaml.Composer = limits.DepthLimitedComposer  # deep nesting would crash the stack
    return yaml


def is_valid_url(url: str) -> bool:
    """A web address a reader can click: http(s), a full host name, no whitespace (the same
    rule the records' links follow, in body.url_problem)."""
    return (isinstance(url, str) and urlsplit(url).scheme in ("http", "https")
            and url_problem(url) is None)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_organisations(
    text: str, path: str
) -> tuple[dict[str, Organisation], list[Diagnostic]]:
    """The directory in `text`: valid entries, and every problem found, at once."""
    problems: list[Diagnostic] = []

    def report(line: int | None, field: str | None, message: str, error: bool = True) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        problems.append(Diagnostic(path, line, severity, field, message))

    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context
        report(line, None, what if what == limits.NESTED_TOO_DEEP else f"YAML syntax error: {what}")
        return {}, problems
    except ReaderError as exc:  # a character YAML refuses outright: a control character
        found = limits.character_problems(text, allow="\t\n\r")
        report(text.count("\n", 0, max(0, exc.position)) + 1, None,
               f"the file {found[0]}" if found else f"YAML error: {exc}")
        return {}, problems
    except RecursionError:  # a guard missed: still a message, never a traceback
        report(None, None, limits.NESTED_TOO_DEEP)
        return {}, problems
    except YAMLError as exc:
        report(None, None, f"YAML error: {exc}")
        return {}, problems
    if data is None:
        return {}, problems
    if not isinstance(data, CommentedMap):
        report(1, None, "the directory must be a mapping of keys to organisations")
        return {}, problems

    found: dict[str, Organisation] = {}
    for key, entry in data.items():
        org = _check_entry(key, entry, data.lc.key(key)[0] + 1, report)
        if org is not None:
            found[org.key] = org
    return found, problems


def _check_entry(key: Any, entry: Any, line: int, report) -> Organisation | None:
    """One directory entry as an Organisation, or None when it has an error (reported)."""
    key_text = str(key)
    ok = True
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        report(line, key_text, "key must be lowercase letters, digits and single hyphens "
               "(like `law-society-trust`)")
        ok = False
    if not isinstance(entry, CommentedMap):
        report(line, key_text, "must be a mapping with at least `name:`")
        return None
    for name in entry:
        if name not in FIELDS:
            report(entry.lc.key(name)[0] + 1, f"{key_text}.{name}",
                   f"unknown field{_did_you_mean(str(name), FIELDS)}; "
                   f"known fields: {', '.join(FIELDS)}", False)

    def text_field(name: str) -> str | None:
        value = entry.get(name)
        if value is None:
            return None
        where = entry.lc.key(name)[0] + 1
        if not isinstance(value, str) or not value.strip():
            report(where, f"{key_text}.{name}", "must be a non-empty text")
            return None
        problems = limits.text_problems(value, FIELD_CHARS[name])
        if name != "url":
            problems += [_unshowable(t) for t in unshowable([value], "en")]
        for problem in problems:
            report(where, f"{key_text}.{name}", problem)
        return str(value).strip() if not problems else None

    name = text_field("name")
    if name is None:
        ok = False
        if "name" not in entry:
            report(line, f"{key_text}.name", "required field missing")
    url = text_field("url")
    if url is not None and not is_valid_url(url):
        report(entry.lc.key("url")[0] + 1, f"{key_text}.url",
               f"not a web address: {url!r} (write it as https://host/...)")
        ok = False
    about = text_field("about")
    short = text_field("short_name")
    translations = _translations(key_text, entry, report)
    return (Organisation(key_text, name, about, url, short, translations)
            if ok and name else None)


def _translations(key: str, entry: CommentedMap, report) -> tuple:
    """`translations:` of an entry: per language, its name, short_name and About there,
    (language, name, short_name, about); a broken one is reported and left out."""
    value = entry.get("translations")
    if value is None:
        return ()
    where = entry.lc.key("translations")[0] + 1
    if not isinstance(value, CommentedMap):
        report(where, f"{key}.translations", "must map languages to texts, like "
               "`th: {name: ..., about: ...}`")
        return ()
    out = []
    for lang, texts in value.items():
        field = f"{key}.translations.{lang}"
        line = value.lc.key(lang)[0] + 1
        if not isinstance(lang, str) or not LANGUAGE_PATTERN.match(lang):
            report(line, field, f"{lang!r} is not a language code like th, my or zh-Hant")
            continue
        if not isinstance(texts, CommentedMap) or not texts:
            report(line, field, "must give name:, short_name: or about: in that language")
            continue
        found: dict[str, str] = {}
        for name, text in texts.items():
            if name not in TRANSLATED_FIELDS:
                hint = _did_you_mean(str(name), TRANSLATED_FIELDS)
                report(line, f"{field}.{name}", f"unknown field{hint}; known fields: "
                       f"{', '.join(TRANSLATED_FIELDS)}")
                continue
            if not isinstance(text, str) or not text.strip():
                report(line, f"{field}.{name}", "must be a non-empty text")
                continue
            problems = limits.text_problems(text, FIELD_CHARS[name])
            problems += [_unshowable(t) for t in unshowable([text], lang)]
            for problem in problems:
                report(line, f"{field}.{name}", problem)
            if not problems:
                found[name] = " ".join(str(text).split()) if name == "about" \
                    else str(text).strip()
        if found:
            out.append((lang, found.get("name"), found.get("short_name"), found.get("about")))
    return tuple(out)


def _unshowable(text: str) -> str:
    shown = " + ".join(limits.describe(c) for c in text)
    return (f"the PDF's fonts cannot show {text!r} ({shown}); remove it, or use a character "
            "they have")


def load_organisations(path: Path) -> tuple[dict[str, Organisation], list[Diagnostic]]:
    """The directory at `path` and its diagnostics; invalid entries are left out."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return {}, [Diagnostic(str(path), None, Severity.ERROR, None,
                               "organisation directory missing; every site needs one")]
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return {}, [Diagnostic(str(path), line, Severity.ERROR, None,
                               f"not UTF-8 text (first bad byte at offset {exc.start}); "
                               "save the file as UTF-8")]
    return parse_organisations(text, str(path))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # Apostrophes join their word ("People's" -> "peoples"), as people write keys.
    ascii_text = re.sub(r"['’`]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def new_key(name: str, existing: Collection[str]) -> str:
    """A short key for `name` not in `existing`: the acronym in parentheses if there is one
    ("Law and Society Trust (LST)" -> "lst"), else the name's first words, numbered when
    taken."""
    candidates: list[str] = []
    acronym = re.search(r"\(([^()]+)\)\s*$", name)
    if acronym and _slug(acronym.group(1)):
        candidates.append(_slug(acronym.group(1)))
    bare = re.sub(r"\([^()]*\)", " ", name)
    words = _slug(bare).split("-")
    candidates.append("-".join(w for w in words[:4] if w) or "organisation")
    for candidate in candidates:
        if candidate not in existing:
            return candidate
    n = 2
    while f"{candidates[0]}-{n}" in existing:
        n += 1
    return f"{candidates[0]}-{n}"


def _entry(org: Organisation) -> CommentedMap:
    entry = CommentedMap()
    entry["name"] = org.name
    if org.short_name:
        entry["short_name"] = org.short_name
    if org.url:
        entry["url"] = org.url
    if org.about:
        about = " ".join(org.about.split())
        if len(about) > _FOLD_WIDTH:
            folded = FoldedScalarString(about)
            lines = textwrap.wrap(about, _FOLD_WIDTH, break_long_words=False,
                                  break_on_hyphens=False)
            # fold_pos marks the spaces where the folded block breaks its lines.
            pos, folds = 0, []
            for piece in lines[:-1]:
                pos += len(piece)
                folds.append(pos)
                pos += 1
            folded.fold_pos = folds
            entry["about"] = folded
        else:
            entry["about"] = about
    return entry


def add_organisations(path: Path, organisations: Iterable[Organisation]) -> None:
    """Append organisations whose key is not yet in the directory at `path`, keeping its
    comments, order and quoting; written atomically. Keys already there are left alone."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    _known, problems = parse_organisations(text, str(path))
    syntax = [d for d in problems if d.is_error and d.field is None]
    if syntax:
        raise ConfigError(f"{path}: cannot add organisations to a broken directory", syntax)
    yaml = _yaml()
    loaded = yaml.load(text)
    # An empty or comment-only file loads as None: its comments are kept by writing the new
    # entries after them.
    data = loaded if loaded is not None else CommentedMap()
    added = False
    for org in organisations:
        if not KEY_PATTERN.match(org.key):
            raise ConfigError(f"{path}: {org.key!r} is not a valid organisation key")
        if org.key in data:
            continue
        data[org.key] = _entry(org)
        added = True
    if not added:
        return
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    if loaded is None and text.strip():
        new_text = text.rstrip("\n") + "\n" + new_text
    atomic_write(path, new_text)
