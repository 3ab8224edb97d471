"""Footnote markers in the text, in the forms archives left them, made Markdown footnotes.

"[3]", "<sup>3</sup>" (read as "[3]" from a page) and superscript digits ("¹ ²") are
markers wherever they stand. A digit glued to a word or a full stop ("Mindanao3",
"detention.4"), as PDF-to-text exports leave superscripts, is a marker only when a note of
that number exists and the glued digits come in the notes' order, one after another: a
number of the text ("G7", "COVID-19", "article 19") is never eaten.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .sources import Line

# "[n]" with no backslash before its "[", the look behind written after the "[" (the same
# matches): a pattern that starts with "[" lets the engine skip to each "[", where one that
# starts with a look behind was tried at every character of every line.
MARKER_MD = re.compile(r"\[(?<!\\\[)(\d{1,3})\](?!\()")
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SUPER_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
# A digit (or two) glued to a letter of any script or to closing punctuation, ending a word
# ("мигрантов1", "detention.4"); after a capital it is the text's ("G7": see glued_markers).
_GLUED = re.compile(r"(?<=[^\W\d_]|[.,;:!?)”’\"'])(\d{1,3})(?=[\s.,;:!?)]|$)")
_LINK = re.compile(r"<[^<>\s]+>|\]\([^()\s]*\)")


# "26.3%※1": the reference mark Japanese texts number their notes with.
_KOME = re.compile(r"※\s?(\d{1,2})(?!\d)")


def superscripts_to_markers(md: str) -> str:
    if "※" in md:
        md = _KOME.sub(lambda m: f"[{m.group(1)}]", md)
    return _SUPERSCRIPT.sub(lambda m: f"[{m.group(0).translate(_SUPER_DIGITS)}]", md)


def glued_markers(lines: list[Line], defined: set[int]) -> dict[int, list[tuple[int, int]]]:
    """For each line (by index), the spans of glued digits that are footnote markers."""
    if not defined:
        return {}
    expected = min(defined)
    found: dict[int, list[tuple[int, int]]] = {}
    for index, line in enumerate(lines):
        masked = _LINK.sub(lambda m: " " * len(m.group(0)), line.md)
        for match in _GLUED.finditer(masked):
            n = int(match.group(1))
            if masked[match.start() - 1].isupper():
                continue  # "G7", "COVID19": a name's number
            if n == expected and n in defined:
                found.setdefault(index, []).append(match.span(1))
                expected = n + 1
    return found


def with_glued_markers(md: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(spans):
        after = end
        if md[end:end + 1] == ")" and "(" not in md[max(0, start - 60):start]:
            after = end + 1  # "나타났다.1)": the marker's own bracket, as its note has it
        md = f"{md[:start]}[{md[start:end]}]{md[after:]}"
    return md


# --- markers of other forms, made "[n]" before the parts are read -----------------------------
#
# Archives number notes in the script of the text ("[๑]", "(၁)", "(۱)"), with letters
# ("(අ)", "(ආ)"), roman numerals ("[i]"), circled digits ("①"), "注1" / "註1", or stars
# ("*", "**"). Such a form is taken as a footnote marker only when it is paired: the same
# keys stand in the text and, later, at the start of lines below the last of them (the notes),
# so an enumeration "(1) ... (2) ..." or an "article 14(1)" of the text is never taken.

_NATIVE_DIGIT = r"[^\W\D]"  # any Unicode decimal digit
_LETTER = r"[^\W\d_A-Za-z]"  # one letter of a script other than Latin
_ROMAN = r"(?:x{0,2}(?:ix|iv|v?i{0,3}))"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class _Form:
    name: str
    inline: re.Pattern  # in a line's text, not at its start; group "key"
    head: re.Pattern  # at the start of a note's line; group "key"; the mark ends at end(0)
    md_inline: str  # format of the same mark in Markdown, from the key as written
    numbered: bool  # the key is a number (else: numbered in the order of the notes)
    loose: re.Pattern | None = None  # also a mark, for a note nothing else cites


@cache  # made once: its patterns were compiled (found in re's cache) for every statement
def _forms() -> tuple[_Form, ...]:
    def form(name, inline, head, md, numbered, loose=None):
        return _Form(name, re.compile(inline, re.IGNORECASE), re.compile(head, re.IGNORECASE),
                     md, numbered, re.compile(loose) if loose else None)

    return (
        form("bracketed digits", rf"(?<=\S)\s?\[(?P<key>{_NATIVE_DIGIT}{{1,3}})\]",
             rf"^\[(?P<key>{_NATIVE_DIGIT}{{1,3}})\][.:]?\s*", r"\[{}\]", True),
        form("digits in parentheses",
             rf"(?<=[^\d\s(])\s?\((?P<key>{_NATIVE_DIGIT}{{1,3}})\)(?![\w(])",
             rf"^\((?P<key>{_NATIVE_DIGIT}{{1,3}})\)\s*", "({})", True,
             rf"(?<=\S)\s?\((?P<key>{_NATIVE_DIGIT}{{1,3}})\)(?![\w(])"),
        form("letters in parentheses", rf"(?<=[^\d\s(])\s?\((?P<key>{_LETTER})\)(?![\w(])",
             rf"^\((?P<key>{_LETTER})\)\s*", "({})", False),
        form("roman numerals", rf"(?<=\S)\s?\[(?P<key>{_ROMAN})\]",
             rf"^\[(?P<key>{_ROMAN})\][.:]?\s*", r"\[{}\]", False),
        form("circled digits", rf"(?<=\S)(?P<key>[{_CIRCLED}])", rf"^(?P<key>[{_CIRCLED}])\s*",
             "{}", False),
        form("注 and a number", rf"(?<=\S)[（(]?(?:注|註)\s?(?P<key>{_NATIVE_DIGIT}{{1,3}})[）)]?",
             rf"^[（(]?(?:注|註)\s?(?P<key>{_NATIVE_DIGIT}{{1,3}})[）)]?[：:.、\s]\s*", None, True),
        form("a star", r"(?<=\S)\[?(?P<key>\*{1,4})\]?(?=\s|$)",
             r"^\[?(?P<key>\*{1,4})\]?\s+", None, False),
    )


_NOTE_HEAD = re.compile(r"^\[(\d{1,3})\]")
_NUMBERED_HEAD = re.compile(rf"^(?P<key>{_NATIVE_DIGIT}{{1,3}})\\?[.)။।]\s*")


def _ascii_markers(line: Line) -> Line:
    """"[१]" (a page's <sup>१</sup>) as "[1]": notes are numbered in ASCII digits."""
    if line.md.isascii() or not MARKER_MD.search(line.md):
        return line

    def ascii_digits(m: re.Match) -> str:
        return f"[{_number(m.group(1))}]"

    return Line(line.number, MARKER_MD.sub(ascii_digits, line.text),
                MARKER_MD.sub(ascii_digits, line.md))


def _numbered_notes(lines: list[Line]) -> list[Line]:
    """Notes numbered as a list ("1. ...", "१. ...") after the text that cites "[1]", "[2]":
    the last run of such lines whose numbers are exactly the markers that have no note."""
    cited: dict[int, int] = {}
    for i, line in enumerate(lines):
        if _NOTE_HEAD.match(line.text):
            continue
        for m in MARKER_MD.finditer(line.md):
            cited.setdefault(int(m.group(1)), i)
    defined = {int(m.group(1)) for line in lines if (m := _NOTE_HEAD.match(line.text))}
    missing = set(cited) - defined
    if not missing:
        return lines
    last_cite = max(cited.values())
    runs: list[list[tuple[int, int]]] = []
    for i in range(last_cite + 1, len(lines)):
        m = _NUMBERED_HEAD.match(lines[i].text)
        n = _number(m.group("key")) if m else None
        if n is None:
            continue
        if runs and n == runs[-1][-1][1] + 1:
            runs[-1].append((i, n))
        elif n == 1:
            runs.append([(i, n)])
    for run in reversed(runs):
        if {n for _, n in run} == missing:
            out = list(lines)
            for i, n in run:
                line = out[i]
                text = _NUMBERED_HEAD.sub("", line.text, count=1)
                md = _NUMBERED_HEAD.sub("", line.md, count=1)
                out[i] = Line(line.number, f"[{n}] {text}", f"[{n}] {md}")
            return out
    return lines


_ALONE = re.compile(r"^\d{1,3}$")


def _numbers_alone(lines: list[Line]) -> list[Line]:
    """Notes as Substack's page copies them, each number alone on its line above the note's
    text ("1" / "Постановление ..."), numbered 1, 2, ... after a text that cites them with
    digits glued to a word or a full stop: each made one "[n] text" line."""
    starts = [i for i, line in enumerate(lines[:-1]) if line.text == "1"]
    for start in reversed(starts):
        run, i, n = [], start, 1
        while i + 1 < len(lines) and lines[i].text == str(n) and not _ALONE.match(
                lines[i + 1].text) and lines[i + 1].number == lines[i].number + 1:
            run.append(i)
            i, n = i + 2, n + 1
        glued = {m.group(1) for line in lines[:start] for m in _GLUED.finditer(line.text)}
        if run and all(str(k) in glued for k in range(1, len(run) + 1)):
            out = list(lines[:start])
            for k, at in enumerate(run, start=1):
                note = lines[at + 1]
                out.append(Line(lines[at].number, f"[{k}] {note.text}", f"[{k}] {note.md}"))
            return out + list(lines[run[-1] + 2:])
    return lines


def _number(key: str) -> int:
    return int("".join(str(unicodedata.digit(c)) for c in key))


def normalise_markers(lines: list[Line]) -> list[Line]:
    """`lines` with paired markers of the other forms rewritten "[n]" in text and Markdown
    (numbers follow the notes' order where the keys are letters or stars)."""
    lines = [_ascii_markers(line) for line in lines]
    lines = _numbers_alone(lines)
    lines = _numbered_notes(lines)
    taken: set[int] = {int(m.group(1)) for line in lines for m in MARKER_MD.finditer(line.md)}
    for form in _forms():
        heads = [(i, m) for i, line in enumerate(lines)
                 if (m := form.head.match(line.text)) and not MARKER_MD.match(line.md)]
        if not heads:
            continue
        first_head = heads[0][0]
        cited = [(i, m) for i, line in enumerate(lines[:first_head])
                 for m in form.inline.finditer(line.text)]
        keys = [m.group("key") for _, m in heads]
        if cited and form.loose is not None:
            # "มาตรา 7/1 (2)": a note's mark right after a number, found only for a note
            # no other mark cites (else it is the law's own sub-clause).
            uncited = set(keys) - {m.group("key") for _, m in cited}
            for i, line in enumerate(lines[:first_head]):
                for m in form.loose.finditer(line.text):
                    if m.group("key") in uncited:
                        uncited.discard(m.group("key"))
                        cited.append((i, m))
            cited.sort(key=lambda c: (c[0], c[1].start()))
        if not cited or len(set(keys)) != len(keys):
            continue
        numbers = ({k: _number(k) for k in keys} if form.numbered else
                   {k: n for n, k in enumerate(keys, start=1)})
        if form.numbered and sorted(numbers.values()) != list(range(1, len(keys) + 1)):
            continue
        if not all(m.group("key") in numbers for _, m in cited) or set(numbers.values()) & taken:
            continue
        lines = _rewrite(lines, form, numbers, cited, heads)
        taken |= set(numbers.values())
    return lines


def _rewrite(lines, form, numbers, cited, heads) -> list[Line]:
    out = list(lines)
    by_line: dict[int, list] = {}
    for i, m in cited:
        by_line.setdefault(i, []).append(m)
    for i, matches in by_line.items():
        line = out[i]
        text, md = line.text, line.md
        for m in reversed(matches):
            n = numbers[m.group("key")]
            text = f"{text[:m.start()]}[{n}]{text[m.end():]}"
        for m in matches:
            md = _md_mark(md, form, m, numbers[m.group("key")])
        out[i] = Line(line.number, text, md)
    for i, m in heads:
        line = out[i]
        n = numbers[m.group("key")]
        rest = line.text[m.end():]
        md_head = form.head.match(_unescaped(line.md))
        md_rest = line.md[_escaped_length(line.md, md_head.end()):] if md_head else rest
        out[i] = Line(line.number, f"[{n}] {rest}", f"[{n}] {md_rest}")
    return out


def _md_mark(md: str, form: _Form, match: re.Match, n: int) -> str:
    """Replace the first Markdown spelling of `match`'s mark in `md` with "[n]"."""
    key = match.group("key")
    written = match.group(0).strip()
    candidates = [written.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*"), written]
    for candidate in candidates:
        at = md.find(candidate)
        if at >= 0:
            start = at - 1 if at > 0 and md[at - 1] == " " and match.group(0)[:1] == " " else at
            return f"{md[:start]}[{n}]{md[at + len(candidate):]}"
    del key
    return md


def _unescaped(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md)


def _escaped_length(md: str, plain: int) -> int:
    """The index in `md` where the first `plain` characters of its unescaped text end."""
    count, i = 0, 0
    while i < len(md) and count < plain:
        i += 2 if md[i] == "\\" and i + 1 < len(md) else 1
        count += 1
    return i
