"""pressroom.toml: a declarative schema, validated as strictly as a statement record.

Every key is declared once below (kind, default, help). Reading the file reports every
problem at once, each with the file, the line of the key and the key; tomllib gives no line
numbers, so `key_lines` finds them in the text.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import limits
from .addresses import is_email
from .errors import ConfigError
from .model import (
    LANGUAGE_PATTERN,
    Contact,
    Diagnostic,
    Organisation,
    Person,
    Role,
    Rule,
    Settings,
    Severity,
)
from .organisations import KEY_PATTERN, is_valid_url
from .render.glyphs import unshowable

CONFIG_NAME = "pressroom.toml"

# --- kinds of value: each checks and converts, or says what is wrong ----------------------

Check = Callable[[Any], tuple[Any, str | None]]


@dataclass(frozen=True)
class Kind:
    label: str  # shown in messages and in docs/configuration.md
    check: Check


def _text(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, f"must be a text in quotes, not {_toml_type(value)}"
    if not value.strip():
        return None, "must not be empty"
    return value.strip(), None


def _url(value: Any) -> tuple[Any, str | None]:
    text, problem = _text(value)
    if problem:
        return None, problem
    if not is_valid_url(text):
        return None, f"not a web address: {text!r} (write it as https://host/...)"
    return text, None




def _email(value: Any) -> tuple[Any, str | None]:
    text, problem = _text(value)
    if problem:
        return None, problem
    if not is_email(text):
        return None, f"not an e-mail address: {text!r}"
    return text, None




def _language(value: Any) -> tuple[Any, str | None]:
    text, problem = _text(value)
    if problem:
        return None, problem
    if not LANGUAGE_PATTERN.match(text):
        return None, f"not a language code: {text!r} (like en, th, zh-Hant)"
    return text, None


def _key(value: Any) -> tuple[Any, str | None]:
    text, problem = _text(value)
    if problem:
        return None, problem
    if not KEY_PATTERN.match(text):
        return None, f"{text!r}: only lowercase letters, digits and single hyphens"
    return text, None


ROLE_NAMES = tuple(r.value for r in Role)


def _roles(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list) or not value:
        return None, f"must be a list of roles, like [\"Contributor\"] ({', '.join(ROLE_NAMES)})"
    roles: list[Role] = []
    for item in value:
        if not isinstance(item, str) or item not in ROLE_NAMES:
            hint = ""
            if isinstance(item, str):
                lower = {r.lower(): r for r in ROLE_NAMES}
                close = lower.get(item.strip().lower()) or next(
                    iter(difflib.get_close_matches(item, ROLE_NAMES, n=1)), None)
                hint = f" (did you mean {close!r}?)" if close else ""
            return None, (f"{item!r} is not a role{hint}; roles are "
                          f"{', '.join(ROLE_NAMES)}")
        if Role(item) not in roles:
            roles.append(Role(item))
    return tuple(roles), None


def _logins(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, 'must be a list of logins, like ["ana", "chen"] (or ["*"]: any login)'
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip() or any(c.isspace() for c in item):
            return None, (f"{item!r} is not a login: a login is the user name you log in with, "
                          "without spaces (or \"*\" for any login)")
        if item not in out:
            out.append(item)
    return tuple(out), None


RULE_EVENTS = ("submit", "publish", "republish", "reject", "retract", "adopt", "release")
RULE_ACTIONS = ("publication", "withdraw", "command", "review-draft")
TYPE_NAMES = ("statement", "joint-statement", "press-release", "open-letter")


def _choices(allowed: tuple[str, ...], what: str) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if not isinstance(item, str) or item not in allowed:
                near = difflib.get_close_matches(str(item), allowed, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                return None, f"{item!r} is not {what}{hint}; use {', '.join(allowed)}"
            out.append(item)
        return tuple(out), None
    return check


def _choice(allowed: tuple[str, ...], what: str) -> Check:
    many = _choices(allowed, what)

    def check(value: Any) -> tuple[Any, str | None]:
        if not isinstance(value, str):
            return None, f"must be one of {', '.join(allowed)}"
        found, problem = many(value)
        return (found[0] if found else None), problem
    return check


def _command(value: Any) -> tuple[Any, str | None]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and v for v in value)):
        return None, ('must be the program and its arguments as a list of texts, like '
                      '["/usr/local/bin/notify", "--channel", "press"] (no shell)')
    return tuple(value), None


def _seconds(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3600:
        return None, "must be a whole number of seconds from 1 to 3600"
    return value, None


def _digit_languages(value: Any) -> tuple[Any, str | None]:
    from .wording import DIGITS

    known = sorted(DIGITS)
    if not isinstance(value, list):
        return None, (f"must be a list of languages, like [\"th\", \"my\"] (any of "
                      f"{', '.join(known)})")
    out: list[str] = []
    for item in value:
        lang = item.strip().lower() if isinstance(item, str) else None
        if lang not in DIGITS:
            near = difflib.get_close_matches(str(item), known, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            return None, (f"{item!r} has no digits of its own that Pressroom knows{hint}; "
                          f"use any of {', '.join(known)}")
        if lang not in out:
            out.append(lang)
    return tuple(out), None


def _flag(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, bool):
        return None, "must be true or false"
    return value, None


TEXT = Kind("text", _text)
URL = Kind("web address", _url)
EMAIL = Kind("e-mail address", _email)
LANGUAGE = Kind("language code", _language)
KEY = Kind("key", _key)
ROLES = Kind("list of roles", _roles)
LOGINS = Kind("list of logins", _logins)
EVENTS = Kind("list of transitions", _choices(RULE_EVENTS, "a transition"))
ACTION = Kind("action", _choice(RULE_ACTIONS, "an action"))
TYPES = Kind("list of types", _choices(TYPE_NAMES, "a statement type"))
COMMAND = Kind("command", _command)
SECONDS = Kind("seconds", _seconds)
FLAG = Kind("true or false", _flag)
DIGIT_LANGUAGES = Kind("list of languages", _digit_languages)


# --- the schema ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    name: str
    kind: Kind
    help: str
    required: bool = False
    default: Any = None
    max_chars: int | None = None  # for text: its length (limits.py says why)
    printed: bool = False  # shown in the PDF, so its fonts must have every character


@dataclass(frozen=True)
class Table:
    name: str
    keys: tuple[Key, ...]
    help: str
    array: bool = False  # [[name]]: a list of entries
    required: bool = False

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)


SCHEMA: tuple[Table, ...] = (
    Table("site", help="Who publishes, and where.", required=True, keys=(
        Key("name", TEXT, "The organisation's full name, shown in page titles and metadata.",
            required=True, max_chars=limits.NAME_CHARS),
        Key("short_name", TEXT, "A short name or acronym, for narrow places (feed, tab title).",
            required=True, max_chars=limits.SHORT_NAME_CHARS),
        Key("organisation", KEY, "The key in statements/organisations.yaml of the organisation "
            "running the site.", required=True),
        Key("base_url", URL, "Where the public archive is served; page links start here.",
            required=True),
        Key("about", TEXT, "The About block under every statement; defaults to the "
            "organisation's `about` in organisations.yaml.", max_chars=limits.ABOUT_CHARS,
            printed=True),
        Key("default_language", LANGUAGE, "Language of new records when none is given, "
            "and of the archive's own pages (their words, dates and digits).", default="en"),
        Key("default_place", TEXT, "Place in the dateline of new records when none is given.",
            max_chars=limits.LINE_CHARS, printed=True),
    )),
    Table("contacts", array=True, help="Shown under \"For further information, please "
          "contact:\" when a statement names none.", keys=(
        Key("label", TEXT, "Who to contact (a programme, a desk).", required=True,
            max_chars=limits.LINE_CHARS, printed=True),
        Key("email", EMAIL, "Their e-mail address."),
    )),
    Table("wording", help="How statements print numbers and dates in their own language "
          "(the words come from templates/locale/).", keys=(
        Key("native_digits", DIGIT_LANGUAGES, "Languages whose dates and page numbers are "
            "printed in their script's own digits (th, lo, my, km, bn, ne, hi, ar, ur, fa); "
            "the others print 0-9.", default=()),
        Key("buddhist_era", FLAG, "Thai dates in the Buddhist era (2022 is printed 2565).",
            default=False),
    )),
    Table("people", array=True, help="People and their workflow roles.", keys=(
        Key("id", KEY, "A short id, used as the actor in the run log and workflow history.",
            required=True),
        Key("name", TEXT, "The person's name or title.", required=True,
            max_chars=limits.LINE_CHARS),
        Key("roles", ROLES, "Any of Contributor (writes, submits), Reviewer (publishes, "
            "rejects), Manager (everything, including retract).", required=True),
        Key("logins", LOGINS, "The logins that act as this person (the user name of the "
            "machine or JupyterHub); \"*\" maps every login not listed elsewhere to them.",
            default=()),
        Key("email", EMAIL, "Their e-mail address."),
    )),
    Table("rules", array=True, help="Content rules: actions run on workflow transitions, in "
          "order, after the built-in ones (publish, republish, adopt and release run a "
          "publication; retract withdraws).", keys=(
        Key("on", EVENTS, "The transitions it runs on.", required=True),
        Key("do", ACTION, "publication (a publication run), withdraw (out of the public "
            "tree, a tombstone in its place), command (a program of the site's own), "
            "review-draft (the Word draft for reviewers, in drafts/ID/).",
            required=True),
        Key("types", TYPES, "Only for statements of these types (default: all)."),
        Key("command", COMMAND, "For do = \"command\": the program and its arguments; it "
            "gets the statement's id, the transition and the person in PRESSROOM_STATEMENT, "
            "PRESSROOM_TRANSITION and PRESSROOM_PERSON."),
        Key("timeout", SECONDS, "For a command: seconds it may run.", default=60),
        Key("required", FLAG, "A required publication or withdrawal that fails stops the "
            "transition; a command runs after the transition is committed, whatever.",
            default=True),
    )),
)


def schema_keys() -> list[str]:
    """Every documented key, as `table.key` (docs/configuration.md must name each one)."""
    return [f"{t.name}.{k.name}" for t in SCHEMA for k in t.keys]


# --- lines of keys --------------------------------------------------------------------------

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY_LINE = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
                       r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _dotted(raw: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+", raw)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def key_lines(text: str) -> dict[str, int]:
    """Line of each key and table in TOML `text`, by path: `site`, `site.name`, `people[2]`,
    `people[2].roles` (entries of an array of tables count from 1)."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:
            # Inside a multi-line string nothing is a key; wait for its closing quotes.
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if m := _ARRAY_HEADER.match(line):
            name = ".".join(_dotted(m.group(1)))
            counts[name] = counts.get(name, 0) + 1
            prefix = f"{name}[{counts[name]}]"
            lines.setdefault(name, number)
            lines[prefix] = number
        elif m := _TABLE_HEADER.match(line):
            prefix = ".".join(_dotted(m.group(1)))
            lines.setdefault(prefix, number)
        elif m := _KEY_LINE.match(line):
            path = ".".join([*([prefix] if prefix else []), *_dotted(m.group(1))])
            lines.setdefault(path, number)
            rest = line[m.end():]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2 == 1:
                    in_string = quotes
    return lines


def _line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of `path`, else of the nearest enclosing key or table that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""
    return None


line_of = _line_of  # design.toml reports its lines the same way


def _toml_type(value: Any) -> str:
    return {str: "a text", bool: "true/false", int: "a number", float: "a number",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"known: {', '.join(choices)}"


# --- reading --------------------------------------------------------------------------------


def read_settings(
    path: Path, organisations: Mapping[str, Organisation] | None = None
) -> tuple[Settings | None, list[Diagnostic]]:
    """pressroom.toml at `path` as Settings, and every problem in it. Never raises for what
    the file holds. With `organisations`, `site.organisation` must be one of its keys."""
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None, [Diagnostic(where, None, Severity.ERROR, None, "file missing")]
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(where, line, Severity.ERROR, None,
                                 f"not UTF-8 text (first bad byte at offset {exc.start}); "
                                 "save the file as UTF-8")]
    return parse_settings(text, where, organisations)


def parse_settings(
    text: str, where: str, organisations: Mapping[str, Organisation] | None = None
) -> tuple[Settings | None, list[Diagnostic]]:
    """The Settings in TOML `text` (named `where` in diagnostics) and every problem."""
    problems: list[Diagnostic] = []
    deep = limits.toml_nesting(text)
    if deep is not None:  # tomllib recurses once per level: refused before it parses
        return None, [Diagnostic(where, deep, Severity.ERROR, None, limits.NESTED_TOO_DEEP)]
    try:
        raw = tomllib.loads(text)
    except RecursionError:  # a guard missed: still a message, never a traceback
        return None, [Diagnostic(where, None, Severity.ERROR, None, limits.NESTED_TOO_DEEP)]
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        problems.append(Diagnostic(where, int(m.group(1)) if m else None, Severity.ERROR,
                                   None, f"TOML syntax error: {message}"))
        return None, problems
    lines = key_lines(text)

    def report(path: str, message: str, error: bool = True) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        problems.append(Diagnostic(where, _line_of(lines, path), severity, path, message))

    for path, value in limits.data_strings(raw):  # \u escapes make NULs and controls
        for problem in limits.character_problems(value):
            report(path, problem)
    tables = {t.name: t for t in SCHEMA}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        table = tables.get(name)
        if table is None:
            report(name, f"unknown key; {_did_you_mean(name, list(tables))}", error=False)
            continue
        if table.array:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                report(name, f"must be entries written [[{name}]]")
                continue
            values[name] = [_check_table(table, f"{name}[{i}]", entry, report)
                            for i, entry in enumerate(value, 1)]
        elif not isinstance(value, dict):
            report(name, f"must be a table written [{name}]")
        else:
            values[name] = _check_table(table, name, value, report)
    for table in SCHEMA:
        if table.required and table.name not in raw:
            report(table.name, f"required table [{table.name}] missing")

    site = values.get("site")
    people = values.get("people", [])
    _check_people(people, report)
    _check_rules(values.get("rules", []), report)
    if site and organisations is not None and site.get("organisation"):
        key = site["organisation"]
        if key not in organisations:
            report("site.organisation",
                   f"{key!r} is not in statements/organisations.yaml; "
                   f"{_did_you_mean(key, sorted(organisations))}")

    if any(d.is_error for d in problems) or site is None:
        return None, problems
    about = site.get("about")
    if about is None and organisations is not None and site["organisation"] in organisations:
        about = organisations[site["organisation"]].about
    settings = Settings(
        name=site["name"],
        short_name=site["short_name"],
        organisation=site["organisation"],
        base_url=site["base_url"],
        about=about,
        contacts=tuple(Contact(c["label"], c.get("email")) for c in values.get("contacts", [])),
        people=tuple(Person(p["id"], p["name"], p["roles"], p.get("email"),
                            tuple(p.get("logins") or ())) for p in people),
        rules=tuple(_rule(r) for r in values.get("rules", []) if "on" in r and "do" in r),
        default_language=site.get("default_language") or "en",
        default_place=site.get("default_place"),
        native_digits=values.get("wording", {}).get("native_digits", ()),
        buddhist_era=values.get("wording", {}).get("buddhist_era", False),
    )
    return settings, problems


def _check_table(table: Table, path: str, data: dict, report) -> dict[str, Any]:
    """Checked values of one table (or one entry of an array of tables)."""
    out: dict[str, Any] = {}
    names = [k.name for k in table.keys]
    for name, value in data.items():
        key = table.key(name)
        if key is None:
            report(f"{path}.{name}", f"unknown key; {_did_you_mean(name, names)}", error=False)
            continue
        converted, problem = key.kind.check(value)
        if problem:
            report(f"{path}.{name}", problem)
        else:
            out[name] = converted
        if isinstance(converted, str) and not problem:
            _check_text(key, converted, f"{path}.{name}", report)
    for key in table.keys:
        if key.required and key.name not in data:
            report(f"{path}.{key.name}", f"required key missing ({key.help})")
        elif key.name not in data and key.default is not None:
            out[key.name] = key.default
    return out


def _check_text(key: Key, text: str, path: str, report) -> None:
    """A text's length and words, and for what the PDF prints, that its fonts have it."""
    if key.max_chars is None:
        return
    if len(text) > key.max_chars:
        report(path, f"is {len(text):,} characters long; at most {key.max_chars:,}")
    for problem in limits.word_problems(text):
        report(path, problem)
    if key.printed:
        for missing in unshowable([text], "en"):
            shown = " + ".join(limits.describe(c) for c in missing)
            report(path, f"the PDF's fonts cannot show {missing!r} ({shown}); remove it, or "
                   "use a character they have")


def _rule(entry: dict[str, Any]) -> Rule:
    return Rule(on=entry["on"], do=entry["do"], types=tuple(entry.get("types") or ()),
                command=tuple(entry.get("command") or ()), timeout=entry.get("timeout", 60),
                required=entry.get("required", True))


def _check_rules(rules: list[dict[str, Any]], report) -> None:
    for n, rule in enumerate(rules, 1):
        if rule.get("do") == "command" and not rule.get("command"):
            report(f"rules[{n}].command", "a rule that runs a command needs the command")
        if rule.get("do") != "command" and rule.get("command"):
            report(f"rules[{n}].command", f"only a rule with do = \"command\" runs one (this "
                   f"one does {rule.get('do')!r})")


def _check_people(people: list[dict[str, Any]], report) -> None:
    """Ids are unique, and the workflow has someone for each role."""
    seen: dict[str, int] = {}
    for n, person in enumerate(people, 1):
        pid = person.get("id")
        if pid is None:
            continue
        if pid in seen:
            report(f"people[{n}].id", f"{pid!r} is already the id of people[{seen[pid]}]")
        seen.setdefault(pid, n)
    logins: dict[str, int] = {}
    for n, person in enumerate(people, 1):
        for login in person.get("logins") or ():
            if login in logins:
                what = "any login (\"*\")" if login == "*" else f"the login {login!r}"
                report(f"people[{n}].logins", f"{what} is already given to people"
                       f"[{logins[login]}]: a login acts as one person")
            logins.setdefault(login, n)
    if any("roles" not in person for person in people):
        return  # a broken roles list is reported already; counting roles would mislead
    held = {role for person in people for role in person["roles"]}
    for role in Role:
        if role not in held:
            report("people", f"no person has the role {role.value}; the workflow needs at "
                   "least one (add it to someone's roles)")


def load_settings(path: Path, organisations: Mapping[str, Organisation] | None = None
                  ) -> Settings:
    """pressroom.toml as Settings; `ConfigError` with every diagnostic if any is an error."""
    settings, problems = read_settings(path, organisations)
    if settings is None:
        raise ConfigError(f"{path}: the site's settings have errors; fix them and run again.",
                          [d for d in problems if d.is_error])
    return settings
