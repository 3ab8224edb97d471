"""Footnote markers in the text, in the forms archives left them, made Markdown footnotes.

"[3]", "<sup>3</sup>" (read as "[3]" from a page) and superscript digits ("¹ ²") are
markers wherever they stand. A digit glued to a word or a full stop ("Mindanao3",
"detention.4"), as PDF-to-text exports leave superscripts, is a marker only when a note of
that number exists and the glued digits come in the notes' order, one after another: a
number of the text ("G7", "COVID-19", "article 19") is never eaten.
"""

from __future__ import annotations

import re

from .sources import Line

MARKER_MD = re.compile(r"(?<!\\)\[(\d{1,3})\](?!\()")
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SUPER_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
# A digit (or two) glued to a lowercase letter or to closing punctuation, ending a word.
_GLUED = re.compile(r"(?<=[a-zà-ÿ.,;:!?)”’\"'])(\d{1,3})(?=[\s.,;:!?)]|$)")
_LINK = re.compile(r"<[^<>\s]+>|\]\([^()\s]*\)")


def superscripts_to_markers(md: str) -> str:
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
            if n == expected and n in defined:
                found.setdefault(index, []).append(match.span(1))
                expected = n + 1
    return found


def with_glued_markers(md: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(spans):
        md = f"{md[:start]}[{md[start:end]}]{md[end:]}"
    return md
