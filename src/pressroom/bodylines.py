"""What a body's lines say before and beside its Markdown: characters the formats disagree on,
footnote definitions (repeated, unused, where each is), e-mail addresses the old archive
mangled, and how much of the body markdown-it may be given at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import limits
from .addresses import MANGLED_EMAIL


@dataclass(frozen=True)
class BodyProblem:
    """A problem in the body; `line` counts from `first_line` of `parse_body` (1: the
    body's first line)."""

    line: int
    message: str
    is_error: bool = True


# markdown-it keeps about 500 bytes a token, and a 512 KB body of one-word list items makes
# 786,000 tokens (416 MB). Lines that may open a block (blank lines, list markers, quotes,
# headings) and characters that may open an inline bound both counts, so past ten times each
# limit the rest of the body is not parsed: it is refused all the same, at a tenth of the cost.
_BLOCK_LINE = re.compile(r"^[ \t>]*(?:$|[-+*][ \t]|\d{1,9}[.)][ \t]|#)", re.M)
_INLINE_MARK = re.compile(r"[*_`\[<!]|\\\n")


def parse_limit(markdown: str) -> tuple[str, BodyProblem | None]:
    """The part of `markdown` to parse, and why the rest is left out (None: all of it)."""
    cut, what = len(markdown), ""
    blocks = limits.MAX_BLOCKS * 10
    inlines = limits.MAX_INLINES * 10
    for n, match in enumerate(_BLOCK_LINE.finditer(markdown), 1):
        if n > blocks:
            cut, what = match.start(), f"{limits.MAX_BLOCKS:,} paragraphs, items and quotes"
            break
    for n, match in enumerate(_INLINE_MARK.finditer(markdown, 0, cut), 1):
        if n > inlines:
            cut, what = match.start(), f"{limits.MAX_INLINES:,} emphases, links and markers"
            break
    if cut == len(markdown):
        return markdown, None
    line = markdown.count("\n", 0, cut) + 1
    return markdown[:cut], BodyProblem(line, f"from here on the statement is not checked: "
                                             f"before this line it already has ten times "
                                             f"more than the {what} a statement may have")


def characters(lines: list[str]) -> list[BodyProblem]:
    """Characters the formats do not agree on, each kind at the first line it is on (and
    how many more lines have it): markdown-it turns a NUL into U+FFFD without a word."""
    first: dict[str, tuple[int, str]] = {}
    more: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        for problem in limits.character_problems(line, allow="\t\r"):
            kind = problem.split(" (")[0]
            if kind in first:
                more[kind] = more.get(kind, 0) + 1
            else:
                first[kind] = (n, problem)
    out = []
    for kind, (n, problem) in first.items():
        also = more.get(kind, 0)
        extra = f"; {also:,} more line(s) have it too" if also else ""
        out.append(BodyProblem(n, problem + extra))
    return out


def mangled_emails(markdown: str) -> list[BodyProblem]:
    return [
        BodyProblem(n, f"e-mail address mangled by the old archive ({match.group(0)!r}): "
                    "write the real address, or remove it")
        for n, line in enumerate(markdown.split("\n"), 1)
        if (match := MANGLED_EMAIL.search(line))
    ]


_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


def repeated_definitions(markdown: str) -> list[BodyProblem]:
    """A label defined twice: the parser keeps one definition and the other's text would
    vanish from every format without a word."""
    seen: set[str] = set()
    problems = []
    for n, line in enumerate(markdown.split("\n"), 1):
        match = _DEFINITION.match(line)
        if not match:
            continue
        label = match.group(1)
        if label in seen:
            problems.append(BodyProblem(
                n, f"footnote [^{label}] is defined a second time here: merge the two "
                "definitions, or give this one its own label"))
        seen.add(label)
    return problems


def unused_definitions(markdown: str, env: dict) -> list[BodyProblem]:
    refs = env.get("footnotes", {}).get("refs", {})
    unused = [label[1:] for label, ident in refs.items() if ident == -1]
    lines = definition_lines(markdown.split("\n")) if unused else {}
    return [BodyProblem(lines.get(label, 1),
                        f"footnote [^{label}] is defined but never cited in the text")
            for label in unused]


_DEFINED = re.compile(r"^\s*\[\^([^\]\s]+)\]:")


def definition_lines(lines: list[str]) -> dict[str, int]:
    """The line of each footnote label's first definition, in one pass (looking each up in
    every line made 10,000 footnotes take seconds)."""
    found: dict[str, int] = {}
    for n, text in enumerate(lines, 1):
        if match := _DEFINED.match(text):
            found.setdefault(match.group(1), n)
    return found


def line_of_word(lines: list[str], problem: str, line: int) -> int:
    """The line at or after `line` holding the word a problem quotes (its first characters),
    so a long paragraph's diagnostic points at the right line."""
    quoted = re.search(r"\('([^']{1,30})", problem)
    if quoted:
        start = quoted.group(1).rstrip("…")
        for n in range(line, min(len(lines), line + 500) + 1):
            if start in lines[n - 1]:
                return n
    return line
