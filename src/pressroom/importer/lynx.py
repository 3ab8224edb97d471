"""A page as a text browser dumps it (`lynx -dump`, `links -dump`): every link's text behind
a bracketed number ("[4]Home"), the page's links listed by number under "References" at the
end, paragraphs set in from the margin and hard-wrapped to the screen's width, list items
under "*" bullets or the browser's own numbers, and a form's fields drawn as underscores.

The numbers and the list are the browser's, not the statement's notes: they are cut (and
said), and the wrapped lines are joined, so that the rest of the importer reads the page's
text as any other text export.
"""

from __future__ import annotations

import re

from .pages import _width
from .sources import Line, escape, normalise_space

_REFERENCES = re.compile(r"^(?:References|Visible links:?|Hidden links:?)$")
# (Each an address alone: a statement's own list of sources names more than an address.)
_REFERENCE = re.compile(r"^\s*(\d{1,5})\.\s+([a-zA-Z][a-zA-Z0-9+.-]*:\S+)\s*$")
# A link's number glued to its text; an image's or a button's placeholder.
# (A note's "[1]" stands after a word, before a space or a full stop.)
_MARKER = re.compile(r"\[(\d{1,5})\](?=[^\s,.;:!?)\]])")
_PLACEHOLDER = re.compile(r"\[(?:IMG|INLINE|BUTTON|LINK|EMBED|OBJECT)\]")
_HEAD_LINKS = re.compile(r"^\s*#\s*\[\d{1,5}\]")  # the page head's <link rel> list
_FIELD = re.compile(r"^\s*_{5,}")  # a text field (a search box), its button after it
_ITEM = re.compile(r"^(?P<indent>\s*)(?P<mark>[*+o#@]|\d{1,3}\.)\s+(?P<text>\S.*)$")
_LABEL_ENDS = (":", "៖", "：")
_LABEL = re.compile(r"^\S{1,20}[:៖：](?:\s|$)")
_REASON_LIST = "the text browser's list of the page's link addresses, not notes"
_REASON_HEAD = "the page head's links (feeds), as the text browser prints them"
_REASON_FIELD = "a form's field and button, as the text browser draws them"


def _references(raws: list[str]) -> tuple[int, dict[int, str]] | None:
    """(where the list of links starts, number -> address), if the text ends with one."""
    for at in range(len(raws) - 1, -1, -1):
        if _REFERENCES.match(raws[at]):
            break
    else:
        return None
    links: dict[int, str] = {}
    for raw in raws[at + 1:]:
        if not raw.strip() or _REFERENCES.match(raw.strip()):
            continue
        match = _REFERENCE.match(raw)
        if match is None:
            return None  # something else follows: not the browser's list
        links[int(match.group(1))] = match.group(2)
    return (at, links) if len(links) >= 3 else None


def is_dump(text: str) -> bool:
    return _dump(text.split("\n")) is not None


def _dump(raws: list[str]) -> tuple[int, dict[int, str]] | None:
    found = _references(raws)
    if found is None:
        return None
    at, links = found
    # Most of the numbers listed appear above, glued to their links' text.
    seen = {int(n) for raw in raws[:at] for n in _MARKER.findall(raw)}
    return found if len(seen & set(links)) >= 0.6 * len(links) else None


def read_dump(text: str) -> tuple[list[Line], list[tuple[int, str, str]]] | None:
    """(the page's logical lines, what was cut: (line, text, reason)), or None when the text
    is no text browser's dump."""
    raws = text.split("\n")
    found = _dump(raws)
    if found is None:
        return None
    at, links = found
    cut = [(n, normalise_space(raw), _REASON_LIST)
           for n, raw in enumerate(raws[at:], at + 1) if raw.strip()]
    # The screen's width, as its paragraphs fill it (a line set far in is right-aligned: a
    # sign-off, a date).
    widest = max((_width(raw.rstrip()) for raw in raws[:at]
                  if len(raw) - len(raw.lstrip()) <= 8), default=0)
    lines: list[Line] = []
    # The logical line being gathered: its first line's number, its text, the column its
    # wrapped lines start at, and the width of its last raw line.
    open_: list | None = None

    def close() -> None:
        nonlocal open_
        if open_ is not None:
            text = normalise_space(open_[1])
            if text:
                lines.append(Line(open_[0], text, escape(text)))
        open_ = None

    for number, raw in enumerate(raws[:at], 1):
        if not raw.strip():
            close()
            continue
        if _HEAD_LINKS.match(raw) or _FIELD.match(raw):
            close()
            cut.append((number, normalise_space(raw),
                        _REASON_HEAD if _HEAD_LINKS.match(raw) else _REASON_FIELD))
            continue
        clean = _PLACEHOLDER.sub("", _MARKER.sub(
            lambda m: "" if int(m.group(1)) in links else m.group(0), raw.rstrip()))
        item = _ITEM.match(clean)
        indent = len(clean) - len(clean.lstrip())
        if item is not None:
            close()
            column = len(item.group("indent")) + len(item.group("mark")) + 1
            mark = item.group("mark")
            head = f"{mark} " if mark.endswith(".") else "* "
            open_ = [number, head + item.group("text"), column, _width(raw.rstrip())]
            continue
        words = clean.split()
        # A wrapped line: set in as the line above's text is, the line above long (or its
        # first word would not have fitted there), and neither a heading's end above nor a
        # label ("E-mail:") starting it, which are lines of their own.
        if open_ is not None and indent == open_[2] and words and not (
                open_[1].rstrip().endswith(_LABEL_ENDS) or _LABEL.match(clean.strip())) and (
                open_[3] + 1 + _width(words[0]) > widest - 2 or open_[3] >= 0.6 * widest):
            open_[1] += " " + clean.strip()
            open_[3] = _width(raw.rstrip())
            continue
        close()
        open_ = [number, clean.strip(), indent, _width(raw.rstrip())]
    close()
    return lines, cut
