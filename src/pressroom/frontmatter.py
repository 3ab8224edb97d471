"""The YAML front matter of a record: split it off, load it with line numbers, write it.

Loading uses ruamel.yaml round-trip mode, which keeps line numbers (`.lc`) for diagnostics.
Writing is done one top-level key at a time, as text, so that changing a record
(`update_front_matter`) touches only the lines of the keys that change: every other byte,
comments, key order and quoting included, stays as the author left it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .limits import NESTED_TOO_DEEP, DepthLimitedComposer, character_problems

# The order keys are written in, in new records and when a key is added to an old one.
CANONICAL_KEYS = (
    "id",
    "type",
    "title",
    "date",
    "place",
    "language",
    "countries",
    "topics",
    "issued_by",
    "endorsers",
    "contacts",
    "state",
    "embargo",
    "corrections",
    "translation_of",
    "translated_from_version",
    "source_url",
)
# Strings always written in double quotes, as in the sample record: they often hold ": ".
_QUOTED_KEYS = frozenset({"title"})
_WIDTH = 100
_FENCE = "---"


class FrontMatterError(Exception):
    """The front matter cannot be read; `line` is the line in the file (1-based) or None."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


# --- splitting ------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    # Only "\n" ends a line: str.splitlines would also split at U+2028, \x0c, \x85...,
    # which YAML and markdown-it do not, and every line number after it would be wrong.
    return text.split("\n")


@dataclass(frozen=True)
class Parts:
    """A record's text cut up: the opening fence line, the YAML, the closing fence line,
    and the body; joined again they give the text back exactly."""

    head_open: str
    front: str
    head_close: str
    body: str
    body_line: int

    @property
    def front_line(self) -> int:
        """Line in the file of the front matter's first line."""
        return 2


def split_parts(text: str) -> Parts:
    """Cut a record into fences, front matter and body. Raises FrontMatterError when the
    record does not start with a `---` line or the front matter is never closed."""
    lines = _lines(text)
    if lines[0].rstrip("\r").rstrip(" \t") != _FENCE:
        raise FrontMatterError(
            1, f"no front matter: a record starts with a line `{_FENCE}`, then its fields "
            f"(id, type, title, ...), then another `{_FENCE}` line, then the text"
        )
    for n in range(1, len(lines)):
        # The closing fence is `---` at the start of a line; an indented one is YAML content.
        if lines[n].rstrip("\r").rstrip(" \t") == _FENCE:
            last = n == len(lines) - 1  # `---` ends the file with no newline: empty body
            return Parts(
                head_open=lines[0] + "\n",
                front="".join(line + "\n" for line in lines[1:n]),
                head_close=lines[n] + ("" if last else "\n"),
                body="\n".join(lines[n + 1 :]),
                body_line=n + 2,
            )
    raise FrontMatterError(
        1, f"the front matter is not closed: add a line `{_FENCE}` after the last field"
    )


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number of the body's first line).

    A text without front matter gives ("", text, 1); one never closed gives all of it as
    front matter and an empty body."""
    try:
        parts = split_parts(text)
    except FrontMatterError as e:
        if e.message.startswith("no front matter"):
            return "", text, 1
        lines = _lines(text)
        return "".join(line + "\n" for line in lines[1:]), "", len(lines) + 1
    return parts.front, parts.body, parts.body_line


# --- loading --------------------------------------------------------------------------


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date (2022-02-30) as text, so the
    date check can say what is wrong instead of the loader failing without a line."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _loader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Composer = DepthLimitedComposer  # thousands of nested lists would crash the stack
    yaml.preserve_quotes = True  # so a rewritten value can keep the author's quotes
    return yaml


def load_front_matter(front: str, first_line: int = 2) -> Any:
    """The front matter as ruamel round-trip data. A syntax error raises FrontMatterError
    with the line in the file (`first_line` is the file line of the YAML's first line)."""
    try:
        with warnings.catch_warnings():
            # ruamel warns about odd but loadable input; the checks report what matters.
            warnings.simplefilter("ignore")
            return _loader().load(front)
    except ReaderError as e:  # a character YAML refuses outright (a control character)
        problems = character_problems(front, allow="\t\n\r")
        line = first_line + front.count("\n", 0, max(0, e.position))
        what = problems[0] if problems else f"a character YAML cannot read ({e.reason})"
        raise FrontMatterError(line, f"the front matter {what}") from None
    except Exception as e:  # ruamel raises several unrelated types on bad input
        mark = getattr(e, "problem_mark", None)
        context_mark = getattr(e, "context_mark", None)
        if context_mark is not None and (mark is None or _at_end(e)):
            mark = context_mark  # an unclosed quote or bracket: where it was opened
        line = first_line + mark.line if mark is not None else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if problem == NESTED_TOO_DEEP:
            raise FrontMatterError(line, f"the front matter: {problem}") from None
        context = getattr(e, "context", None)
        what = f"{context}: {problem}" if context else str(problem)
        if _at_end(e):
            what += "; a quote or bracket opened on this line is never closed"
        raise FrontMatterError(line, f"YAML syntax error: {what}") from None


def _at_end(error: Exception) -> bool:
    """Whether the YAML ran out before something opened was closed."""
    text = str(error)
    return "end of stream" in text or "<stream end>" in text


def key_line(data: CommentedMap, key: Any, first_line: int = 2) -> int | None:
    """The line in the file of `key` in a loaded mapping."""
    try:
        return first_line + data.lc.key(key)[0]
    except (AttributeError, KeyError, TypeError):
        return None


def item_line(data: Any, index: int, first_line: int = 2) -> int | None:
    """The line in the file of item `index` of a loaded sequence."""
    try:
        return first_line + data.lc.item(index)[0]
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


# --- writing --------------------------------------------------------------------------


@cache
def _dumper() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 10**6  # one scalar, one line: wrapping is done here, for lists only
    yaml.allow_unicode = True
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _dumper().dump(data, out)
    return out.getvalue()


def _needs_escapes(text: str) -> bool:
    # Line and paragraph separators, controls and format characters: plain or single-quoted
    # YAML would break or hide them; double quotes escape them. (Exactly the characters
    # `str.isprintable` refuses: categories C and Z but the ASCII space; in C, a tenth of
    # the time of asking each character's category.)
    return not text.isprintable()


def scalar_text(value: Any, flow: bool = False, quoted: bool = False) -> str:
    """One value as YAML text on one line, quoted only when YAML needs it (or `quoted`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, int | float):
        return str(value)
    return _string_text(str(value), flow, quoted or _needs_escapes(str(value)))


# Strings that are their own YAML text: a key like `forum-asia` (a letter first, so never a
# number; not a word YAML reads as a boolean or null), an id like `2022-02-10-kazakhstan` (a
# word of letters in it, so never a number or a date), and printable text in double quotes.
# Writing these without ruamel's emitter keeps a batch import of thousands of new
# organisations fast; `tests/test_frontmatter.py` checks them against the emitter.
_PLAIN_KEY = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[0-9]+(?:-[a-z0-9]+)*-[a-z]{2,}"
                        r"(?:-[a-z0-9]+)*")
_NOT_PLAIN = frozenset(("true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan",
                        "inf"))


def _fast_string_text(text: str, flow: bool, quoted: bool) -> str | None:
    if not quoted:
        if _PLAIN_KEY.fullmatch(text) and text not in _NOT_PLAIN:
            return text
        return None
    if len(text) < 4096 and not _needs_escapes(text) and text.isprintable():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return None


def _string_text(text: str, flow: bool, quoted: bool) -> str:
    fast = _fast_string_text(text, flow, quoted)
    return fast if fast is not None else _emitted_text(text, flow, quoted)


@lru_cache(maxsize=4096)
def _emitted_text(text: str, flow: bool, quoted: bool) -> str:
    as_yaml = DoubleQuotedScalarString(text) if quoted else text
    if flow:
        seq = CommentedSeq([as_yaml])
        seq.fa.set_flow_style()
        out = _dump(seq).rstrip("\n")[1:-1]
        back = f"[{out}]"
    else:
        out = _dump({"k": as_yaml}).rstrip("\n")[3:]
        back = f"k: {out}"
    if not quoted:
        # ruamel's emitter leaves some strings bare that do not read back (`[: x]` in a flow
        # list): check, and fall back to double quotes, which always do.
        try:
            loaded = _loader().load(back)
            same = (loaded[0] if flow else loaded["k"]) == text
        except Exception:
            same = False
        if not same:
            return _emitted_text(text, flow, True)
    return out


def _wrap_flow(key: str, items: Sequence[str]) -> str:
    """`key: [a, b, c]`, wrapped before `_WIDTH` columns with a two-space indent."""
    if not items:
        return f"{key}: []\n"
    pieces = [item + "," for item in items[:-1]] + [items[-1] + "]"]
    lines: list[str] = []
    current = f"{key}: [{pieces[0]}"
    for piece in pieces[1:]:
        if len(current) + 1 + len(piece) > _WIDTH:
            lines.append(current)
            current = "  " + piece
        else:
            current += " " + piece
    lines.append(current)
    return "\n".join(lines) + "\n"


def _contact_text(contact: Any) -> str:
    if hasattr(contact, "label"):
        label, email = contact.label, getattr(contact, "email", None)
        group = getattr(contact, "group", None)
        extra: dict[str, Any] = {"group": group} if group else {}
    else:
        contact = dict(contact)
        label, email = contact.pop("label", None), contact.pop("email", None)
        extra = contact
    parts = [f"label: {scalar_text(label, flow=True, quoted=True)}",
             f"email: {scalar_text(email, flow=True)}"]
    # A group is a heading, which ends in a colon: always quoted.
    parts += [f"{scalar_text(k, flow=True)}: "
              f"{scalar_text(v, flow=True, quoted=k == 'group' and v is not None)}"
              for k, v in extra.items()]
    return "  - {" + ", ".join(parts) + "}\n"


def _correction_text(correction: Any) -> str:
    item = plain_value(correction)
    return (f"  - {{date: {scalar_text(item['date'], flow=True)}, "
            f"text: {scalar_text(item['text'], flow=True, quoted=True)}}}\n")


def key_text(key: str, value: Any) -> str:
    """The YAML lines of one top-level key, in the house style: scalars on one line, lists
    of scalars in flow style (as the sample record), contacts as flow mappings."""
    if isinstance(value, list | tuple):
        if key == "contacts":
            if not value:
                return f"{key}: []\n"
            return f"{key}:\n" + "".join(_contact_text(c) for c in value)
        if key == "corrections":
            return f"{key}:\n" + "".join(_correction_text(c) for c in value) if value else (
                f"{key}: []\n")
        return _wrap_flow(key, [scalar_text(v, flow=True) for v in value])
    return f"{key}: {scalar_text(value, quoted=key in _QUOTED_KEYS)}\n"


def comment_text(comment: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines() or [""])


def front_matter_text(fields: Mapping[str, Any], comments: Mapping[str, str]) -> str:
    """The front matter of a new record, keys in canonical order (the fences excluded)."""
    out = []
    for key in CANONICAL_KEYS:
        value = fields.get(key)
        if key in comments and (value is not None or key in fields):
            out.append(comment_text(comments[key]))
            out.append(f"{key}:\n" if value is None else key_text(key, value))
        elif value is not None:
            out.append(key_text(key, value))
    return "".join(out)


# --- values -----------------------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """A field value as plain data (what YAML holds): enums as values, contacts as dicts."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # a Contact
        # An unset group is left out: a contact with none is written as it always was.
        return {k: plain_value(v) for k, v in dataclasses.asdict(value).items()
                if not (k == "group" and v is None)}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute,
                           value.second, value.microsecond, tzinfo=value.tzinfo)
    if isinstance(value, str):
        return str(value)
    return value


def field_value(key: str, value: Any) -> Any:
    """`_plain`, and a date or date-time given as ISO text written as one (not as a
    quoted string)."""
    if isinstance(value, str) and key in ("date", "embargo"):
        try:
            parsed = (dt.date.fromisoformat(value) if key == "date"
                      else dt.datetime.fromisoformat(value))
        except ValueError:
            return value
        return parsed if parsed.isoformat() == value else value
    return plain_value(value)


# --- changing ---------------------------------------------------------------------------


def _spans(front: str, data: CommentedMap) -> dict[Any, tuple[int, int, int]]:
    """For each top-level key: (first line of the comments right above it, its own first
    line, the line after its value), 0-based lines of `front`."""
    lines = _lines(front)
    starts = sorted((data.lc.key(k)[0], k) for k in data)
    spans: dict[Any, tuple[int, int, int]] = {}
    for n, (start, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        # Comment and blank lines before the next key belong to it (or to nobody), not here.
        while end - 1 > start and (not lines[end - 1].strip() or
                                   lines[end - 1].lstrip().startswith("#")):
            end -= 1
        lead = start
        while lead > 0 and lines[lead - 1].startswith("#"):
            lead -= 1
        spans[key] = (lead, start, end)
    return spans


def _eol_comment(line: str) -> str:
    """The end-of-line comment of a one-line `key: scalar` (with the spaces before it)."""
    for match in re.finditer(r"\s+#", line):
        # A '#' inside quotes is text: what comes before a real comment loads on its own.
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _loader().load(line[: match.start()])
        except Exception:
            continue
        return line[match.start() :]
    return ""


def _value_text(key: str, value: Any, old: Any) -> str:
    """A changed key's lines; a new string keeps the quoting of the one it replaces."""
    if isinstance(value, Enum):
        value = value.value
    style = getattr(old, "style", None)
    if isinstance(value, str) and style == '"':
        return f"{key}: {scalar_text(value, quoted=True)}\n"
    if isinstance(value, str) and style == "'" and not _needs_escapes(value):
        return f"{key}: '" + value.replace("'", "''") + "'\n"
    return key_text(key, value)


def update_front_matter(front: str, changes: Mapping[str, Any]) -> str:
    """`front` with `changes` applied, by lines: a changed key's lines are rewritten (a
    one-line value keeps its end-of-line comment), a new key goes in canonical order, a key
    set to None is removed with the comment lines right above it. All else stays byte for
    byte. Raises FrontMatterError if the front matter does not load or is not a block
    mapping with one key a line."""
    data = load_front_matter(front) if front.strip() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise FrontMatterError(2, "the front matter is not a mapping of fields")
    positions = [data.lc.key(k) for k in data]
    if any(col != 0 for _, col in positions) or len({ln for ln, _ in positions}) < len(data):
        raise FrontMatterError(2, "the front matter is not written one field a line; "
                               "put each field at the start of its own line")
    lines = _lines(front)
    if lines[-1] == "":
        lines.pop()
    crlf = "\r\n" in front
    spans = _spans(front, data)
    replaced: list[tuple[int, int, str]] = []
    inserted: dict[int, list[tuple[int, str]]] = {}
    rank = {k: n for n, k in enumerate(CANONICAL_KEYS)}
    for key, value in changes.items():
        if key in spans:
            lead, start, end = spans[key]
            if value is None:
                replaced.append((lead, end, ""))
                continue
            text = _value_text(key, value, data[key])
            if end - start == 1 and text.count("\n") == 1:
                text = text.rstrip("\n") + _eol_comment(lines[start].rstrip("\r")) + "\n"
            replaced.append((start, end, text))
        elif value is not None:
            at = _insertion_line(key, spans, len(lines))
            inserted.setdefault(at, []).append((rank.get(key, len(rank)), key_text(key, value)))
    edits = replaced + [(at, at, "".join(t for _, t in sorted(texts)))
                        for at, texts in inserted.items()]
    # Bottom-up, so earlier line numbers stay valid; at one line, replace before inserting.
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        new = _lines(text)[:-1]
        if crlf:
            new = [line + "\r" for line in new]
        lines[start:end] = new
    return "".join(line + "\n" for line in lines)


def _insertion_line(key: str, spans: Mapping[Any, tuple[int, int, int]], n_lines: int) -> int:
    """Where a new key goes: after the last present key that comes before it in canonical
    order; else before the first key (and its comments)."""
    rank = {k: n for n, k in enumerate(CANONICAL_KEYS)}
    mine = rank.get(key, len(rank))
    before = [k for k in spans if rank.get(k, len(rank)) < mine]
    if before:
        return max(spans[k][2] for k in before)
    if spans:
        return min(lead for lead, _, _ in spans.values())
    return n_lines
