"""Local wording: the words a statement's renderers supply, in the statement's language.

Every heading, label and banner the templates and renderers print is a msgid of a gettext
catalog, `templates/locale/<locale>/LC_MESSAGES/pressroom.po` (the msgid is the English
text, so English is the fallback), read through Babel once per process for each file
version. Dates and lists are Babel's (CLDR), each language in its own long form; digits in
a script's own numerals, and Thai years in the Buddhist era, are ours (Babel does neither)
and only where pressroom.toml's `[wording]` asks for them.

`wording_for` resolves one language into a `model.Wording`, which goes to the renderers with
the Document; the formatting functions below are pure functions of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import get_date_format
from babel.lists import format_list as _babel_list
from babel.messages.pofile import PoFileError, read_po

from .errors import ConfigError
from .model import Diagnostic, Settings, Severity, Wording

DOMAIN = "pressroom"
LOCALE_DIR = "locale"
ENGLISH = Wording()

# A script's own digits, by primary language (Babel's numbering systems do not give these).
DIGITS: dict[str, str] = {
    "th": "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "lo": "໐໑໒໓໔໕໖໗໘໙",  # Lao
    "my": "၀၁၂၃၄၅၆၇၈၉",  # Burmese
    "km": "០១២៣៤៥៦៧៨៩",  # Khmer
    "bn": "০১২৩৪৫৬৭৮৯",  # Bengali
    "ne": "०१२३४५६७८९",  # Devanagari
    "hi": "०१२३४५६७८९",
    "ar": "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "ur": "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic
    "fa": "۰۱۲۳۴۵۶۷۸۹",
}
BUDDHIST_ERA = 543  # the Thai solar calendar's year is the Gregorian year plus this
BUDDHIST_ERA_LABEL = "พ.ศ."
# A bare language whose catalog is named with its usual script (CLDR's likely subtags).
_LIKELY = {"zh": "zh_Hans", "zh_CN": "zh_Hans", "zh_SG": "zh_Hans", "zh_TW": "zh_Hant",
           "zh_HK": "zh_Hant", "zh_MO": "zh_Hant"}
# Babel locale for a catalog whose bare language CLDR spells in another region's way: the
# network writes British English ("10 February 2022").
_DATE_LOCALES = {"en": "en_GB"}


def primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def candidates(tag: str) -> list[str]:
    """The catalog names a BCP 47 tag may use, most specific first: 'zh-Hant-TW' ->
    zh_Hant_TW, zh_Hant, zh; 'zh' -> zh, zh_Hans."""
    parts = [p for p in tag.replace("_", "-").split("-") if p]
    if not parts:
        return []
    parts[0] = parts[0].lower()
    for i, p in enumerate(parts[1:], 1):  # zh-hant -> zh_Hant, pt-br -> pt_BR
        parts[i] = p.title() if len(p) == 4 else p.upper() if len(p) in (2, 3) else p
    names = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
    for name in list(names):
        if name in _LIKELY and _LIKELY[name] not in names:
            names.insert(names.index(name) + 1, _LIKELY[name])
    return names


def catalog_path(templates_dir: Path, name: str) -> Path:
    return Path(templates_dir) / LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"


PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


def find_catalog(templates_dir: Path, tag: str) -> tuple[str, Path] | None:
    """(catalog name, path) of the catalog for `tag`, falling back from xx-YY to xx: the
    site's own, else (a site made before catalogs were shipped has no templates/locale/)
    the package's; None when neither has one (English is then the fallback)."""
    folders = [Path(templates_dir)]
    if not (folders[0] / LOCALE_DIR).is_dir():
        folders.append(PACKAGE_TEMPLATES)
    for folder in folders:
        for name in candidates(tag):
            path = catalog_path(folder, name)
            if path.is_file():
                return name, path
    return None


# --- reading catalogs, once per file version ---------------------------------------------


@dataclass(frozen=True)
class Catalog:
    name: str  # the locale folder's name: th, zh_Hans
    path: Path
    messages: dict[str, str]  # msgid -> translated text (untranslated and fuzzy left out)


_catalogs: dict[tuple[str, int, int], Catalog] = {}
_catalogs_lock = threading.Lock()


def read_catalog(name: str, path: Path) -> Catalog:
    """The catalog at `path`, read once per file version in a process (a build renders
    thousands of statements from a handful of catalogs). A malformed file raises
    ConfigError naming the file and the line."""
    try:
        st = path.stat()
    except OSError as exc:
        raise _bad(path, None, f"cannot read the message catalog: {exc.strerror}") from None
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _catalogs_lock:
        found = _catalogs.get(key)
    if found is None:
        found = Catalog(name, path, _parse(path))
        with _catalogs_lock:
            if len(_catalogs) > 256:  # edits in a long-lived kernel: keep memory flat
                _catalogs.clear()
            _catalogs[key] = found
    return found


def _parse(path: Path) -> dict[str, str]:
    try:
        raw = path.read_bytes()
        found = _lint(raw.decode("utf-8"))
        if found is not None:  # Babel reads some of these silently, as other words
            raise _bad(path, found[0], f"not a valid message catalog: {found[1]}")
        catalog = read_po(io.BytesIO(raw), abort_invalid=True)
    except PoFileError as exc:
        raise _bad(path, exc.lineno or None, f"not a valid message catalog: {exc}") from None
    except (UnicodeDecodeError, LookupError) as exc:
        raise _bad(path, None, f"not a valid message catalog ({exc}); save it as UTF-8 "
                   "with `charset=UTF-8` in its header") from None
    except (ValueError, OSError) as exc:  # a header Babel cannot read, an unreadable file
        raise _bad(path, None, f"not a valid message catalog: {exc}") from None
    messages: dict[str, str] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or message.fuzzy:
            continue  # the header, plural forms (none of ours), a translator's guess
        text = message.string if isinstance(message.string, str) else ""
        if not text:
            continue
        line = message.lineno
        wanted, given = _fields(message.id), _fields(text)
        if given is None or given != wanted:
            raise _bad(path, line, f"msgstr of {message.id!r} must keep the placeholders "
                       f"{', '.join('{' + f + '}' for f in sorted(wanted or ())) or '(none)'}"
                       " as they are, and write a literal brace as {{ or }}")
        messages[message.id] = text
    return messages


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)$')
_CLOSED = re.compile(r'^(?:[^"\\]|\\.)*"\s*$')


def _lint(text: str) -> tuple[int, str] | None:
    """(line, problem) of the first line that is not gettext's syntax, else None: each line
    a comment, a keyword with a quoted text, or a quoted text continuing the one above."""
    pending = None  # the line of a msgid still waiting for its msgstr
    seen_keyword = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, rest = match.group(1), match.group(2)
        elif line.startswith('"') and seen_keyword:
            keyword, rest = None, line[1:]
        else:
            return number, (f"{raw.strip()[:40]!r}: a line starts with msgid, msgstr or a "
                            "text in double quotes continuing the one above")
        if not _CLOSED.match(rest):
            return number, ("the text in quotes does not end with a closing quote (a quote "
                            'inside it is written \\")')
        seen_keyword = seen_keyword or keyword is not None
        if keyword == "msgid":
            if pending is not None:
                return pending, "a msgid without its msgstr"
            pending = number
        elif keyword is not None and keyword.startswith("msgstr"):
            pending = None
    if pending is not None:
        return pending, "a msgid without its msgstr"
    return None


def _fields(text: str) -> set[str] | None:
    """The {placeholders} of a message, or None when its braces are not well formed."""
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return None


def _bad(path: Path, line: int | None, message: str) -> ConfigError:
    diagnostic = Diagnostic(str(path), line, Severity.ERROR, "catalog", message)
    return ConfigError(f"{path}: the message catalog has an error; fix it and run again.",
                       [diagnostic])


# --- one language's wording ------------------------------------------------------------------


_held_words: ContextVar[dict | None] = ContextVar("pressroom_held_words", default=None)


@contextmanager
def words_held() -> Iterator[None]:
    """Inside, each language's wording is looked up once: the archive's pages make every
    public statement's document at once, and finding a language's catalog on disk (its
    folders and files asked for, then Babel's locale) takes 0.1 ms a statement."""
    token = _held_words.set({})
    try:
        yield
    finally:
        _held_words.reset(token)


def wording_for(templates_dir: Path, tag: str, settings: Settings) -> Wording:
    """The words, date forms and digits of a statement in language `tag`: its catalog's
    (xx-YY falling back to xx), else English."""
    held = _held_words.get()
    if held is None:
        return _wording_for(templates_dir, tag, settings)
    key = (str(templates_dir), tag, settings.native_digits, settings.buddhist_era)
    found = held.get(key)
    if found is None:
        found = held[key] = _wording_for(templates_dir, tag, settings)
    return found


def _wording_for(templates_dir: Path, tag: str, settings: Settings) -> Wording:
    found = find_catalog(templates_dir, tag)
    if found is None:
        name, messages = "en", {}
    else:
        catalog = read_catalog(*found)
        name, messages = catalog.name, catalog.messages
    language = name.replace("_", "-")
    lang = primary(language)
    # Dates in the record's own region where it names one of the catalog's language
    # (en-US: "February 10, 2022"), else in the catalog's.
    regional = next((c for c in candidates(tag) if c == name or c.startswith(name + "_")),
                    name)
    return Wording(
        language=language,
        locale=babel_locale(regional),
        messages=messages,
        digits=DIGITS.get(lang, "") if lang in settings.native_digits else "",
        buddhist_era=settings.buddhist_era and lang == "th",
    )


def babel_locale(name: str) -> str:
    """The Babel locale of a catalog name, its nearest that Babel knows, else English."""
    name = _DATE_LOCALES.get(name, name)
    parts = name.split("_")
    for n in range(len(parts), 0, -1):
        try:
            return str(Locale.parse("_".join(parts[:n])))
        except (UnknownLocaleError, ValueError):
            continue
    return "en_GB"


def missing_catalog(templates_dir: Path, tag: str) -> str | None:
    """check's warning for a language without a catalog, or None when it has one."""
    if find_catalog(templates_dir, tag) is not None or primary(tag) == "en":
        return None
    looked = catalog_path(templates_dir, (candidates(tag) or [tag])[-1])
    return (f"no message catalog for language {tag!r} (looked for {looked}); its headings, "
            "labels and dates will be in English")


def catalog_problem(templates_dir: Path, tag: str) -> Diagnostic | None:
    """The error of a malformed catalog for `tag`, as a diagnostic, or None."""
    found = find_catalog(templates_dir, tag)
    if found is None:
        return None
    try:
        read_catalog(*found)
    except ConfigError as exc:
        return exc.diagnostics[0]
    return None


def check_language(templates_dir: Path, tag: str, path: Path | str,
                   reported: set[Path]) -> list[Diagnostic]:
    """What `check` says of a record in language `tag`: a warning when the site has no
    catalog for it, an error (once for each catalog, in `reported`) when its catalog is
    malformed."""
    warning = missing_catalog(templates_dir, tag)
    if warning is not None:
        return [Diagnostic(str(path), _field_line(path, "language"), Severity.WARNING,
                           "language", warning)]
    found = find_catalog(templates_dir, tag)
    if found is None or found[1] in reported:
        return []
    reported.add(found[1])
    problem = catalog_problem(templates_dir, tag)
    if problem is not None:
        return [problem]
    return _coverage(templates_dir, read_catalog(*found))


def _coverage(templates_dir: Path, catalog: Catalog) -> list[Diagnostic]:
    """Warnings for a catalog that leaves words of the template (pressroom.pot) untranslated
    (they print in English on a page said to be in the catalog's language)."""
    template = Path(templates_dir) / LOCALE_DIR / f"{DOMAIN}.pot"
    if catalog.name == "en" or not template.is_file():
        return []
    try:
        read_catalog("", template)  # well formed, or its error with the line
        wanted = _msgids(template)
    except ConfigError as exc:
        return list(exc.diagnostics)
    missing = sorted(wanted - catalog.messages.keys())
    if not missing:
        return []
    shown = ", ".join(repr(m) for m in missing[:3]) + (", ..." if len(missing) > 3 else "")
    return [Diagnostic(str(catalog.path), None, Severity.WARNING, "catalog",
                       f"{len(missing)} of {len(wanted)} words have no translation and "
                       f"print in English: {shown}")]


def _msgids(path: Path) -> set[str]:
    """Every msgid of a catalog file, translated or not (the template's are all empty)."""
    with path.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}


def _field_line(path: Path | str, name: str) -> int | None:
    """The line of a front-matter field in a record (None if it cannot be read)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            break
        if line.startswith(f"{name}:"):
            return number
    return None


# --- formatting ------------------------------------------------------------------------------


def native(wording: Wording, text: str) -> str:
    """`text` with its digits in the script's own numerals, when the site asks for them."""
    if not wording.digits:
        return text
    return text.translate(str.maketrans("0123456789", wording.digits))


def long_date(wording: Wording, date: dt.date) -> str:
    """The language's own long date (CLDR's), in the Buddhist era and native digits when
    asked: '10 February 2022', '10 กุมภาพันธ์ พ.ศ. 2565'."""
    return _long_date(wording.locale, wording.buddhist_era, wording.digits, date)


@functools.lru_cache(maxsize=8192)
def _long_date(locale: str, buddhist_era: bool, digits: str, date: dt.date) -> str:
    # Kept: the archive's pages print each statement's date five times or more (its year,
    # country and topic lists), and Babel takes 50 µs a date.
    if buddhist_era:
        pattern = get_date_format("long", locale=locale).pattern
        text = _babel_date(date, _buddhist(pattern, date.year + BUDDHIST_ERA), locale=locale)
    else:
        text = _babel_date(date, "long", locale=locale)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


_PATTERN_PART = re.compile(r"'(?:[^']|'')*'|G+|y+|[^'Gy]+")


def _buddhist(pattern: str, year: int) -> str:
    """CLDR's own date pattern with the era and the year as literals of the Buddhist era
    (Babel formats the Gregorian calendar only)."""
    out = []
    for part in _PATTERN_PART.findall(pattern):
        if part.startswith("G"):
            out.append(f"'{BUDDHIST_ERA_LABEL}'")
        elif part.startswith("y"):
            out.append(f"'{year}'")
        else:
            out.append(part)
    return "".join(out)


def load_locale_data(names: tuple[str, ...] = ("en",)) -> None:
    """Load CLDR's data for the catalogs `names` (Babel keeps it per process). A build's fork
    server loads English's, the fallback of every language without a catalog, and with it
    the root data every locale inherits (26 ms and 5 MB, the most of any locale's first
    use); each other language's is loaded by the workers that meet it (1-2 MB each)."""
    for name in names:
        locale = babel_locale(name)
        get_date_format("long", locale=locale)
        _babel_list(["a", "b"], locale=locale)


def format_list(wording: Wording, items: list[str]) -> str:
    """Items joined as the language joins them ('A, B and C', 'A、B和C')."""
    return _babel_list(items, locale=wording.locale) if items else ""


def number(wording: Wording, value: int) -> str:
    return native(wording, str(value))
