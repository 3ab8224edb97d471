"""Runs of text whose direction differs from the statement's, found once for all formats.

Unicode's bidi algorithm orders a Latin word inside Arabic text well enough on its own, but
not the neutral characters at its edges: a URL's trailing slash, the brackets of "Article
19(2)", the spaces of a telephone number take the paragraph's direction and jump to the far
side. Each such run is isolated instead: `<bdi dir>` on the page, `text(dir:)` in the PDF, a
run without `w:rtl` in Word. `segments` says where the runs are; each renderer isolates them
in its own way.
"""

from __future__ import annotations

import re
from unicodedata import bidirectional

_RTL = frozenset(("R", "AL"))
# What a run of the other direction may end on: a strong letter of that direction, a digit
# (European or Arabic-Indic), or a closing bracket or quote that belongs to it.
_LTR_END = frozenset(("L", "EN"))
_RTL_END = frozenset(("R", "AL", "AN"))
# Addresses are one run whatever letters they hold: their slashes, dots and @ are neutral.
_ADDRESS = re.compile(r"(?:https?|ftp)://[^\s<>\"]+[^\s<>\".,;:!?،؛)\]]|"
                      r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
# A telephone number (a plus, or three groups or more joined by spaces): the spaces are
# neutral, so its groups would be laid out in the paragraph's order. Two numbers side by
# side ("2023 2024") are two numbers, and keep it.
_NUMBER = re.compile(r"\(?\d[\d().\-]*(?: [\d().\-]*\d){2,}|\+\d[\d().\- ]*\d")
# Every character whose bidi class is R or AL lies in these blocks (Hebrew to NKo and
# Samaritan, Arabic's extensions and presentation forms, the RTL planes of SMP): a text with
# none of them holds no right-to-left run, and the per-character walk is skipped.
_MAY_BE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff"
                         "\U00010800-\U00010fff\U0001e800-\U0001efff]")
_CLOSERS = {"(": ")", "[": "]", "{": "}", "«": "»", "\u201c": "\u201d"}


def direction(text: str) -> str | None:
    """'rtl' or 'ltr' by the first letter with a strong direction (HTML's dir=auto); None
    when there is none (digits, punctuation)."""
    for char in text:
        kind = bidirectional(char)
        if kind in _RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def segments(text: str, base: str) -> list[tuple[str, str | None]]:
    """`text` cut into (piece, dir) in order: dir is 'ltr' or 'rtl' for a run to isolate
    (a URL, an e-mail address, a telephone number, a run of the direction opposite to
    `base`), None for text that keeps the paragraph's direction. ''.join of the pieces is
    `text`."""
    spans = []
    if base == "rtl":  # in left-to-right text, addresses and numbers are in order already
        spans = _merge([(m.start(), m.end(), "ltr") for pattern in (_ADDRESS, _NUMBER)
                        for m in pattern.finditer(text)])
    out: list[tuple[str, str | None]] = []
    at = 0
    for start, end, dir_ in spans:
        out += _opposite_runs(text[at:start], base)
        out.append((text[start:end], dir_))
        at = end
    out += _opposite_runs(text[at:], base)
    return [(piece, d) for piece, d in out if piece]


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, dir_ in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, dir_))
    return merged


def _opposite_runs(text: str, base: str) -> list[tuple[str, str | None]]:
    """Runs of the direction opposite to `base`: from a strong letter of that direction to
    the last letter or digit of it before a strong letter of `base`'s direction, with a
    closing bracket the run opened."""
    other = "ltr" if base == "rtl" else "rtl"
    if other == "rtl" and not _MAY_BE_RTL.search(text):
        return [(text, None)]  # most text of most statements: no letter to look at
    starts = ("L",) if other == "ltr" else ("R", "AL")
    ends = _LTR_END if other == "ltr" else _RTL_END
    stops = _RTL if other == "ltr" else frozenset(("L",))
    out: list[tuple[str, str | None]] = []
    at = i = 0
    n = len(text)
    while i < n:
        if bidirectional(text[i]) not in starts:
            i += 1
            continue
        start, last, j = i, i, i
        while j < n and bidirectional(text[j]) not in stops:
            if bidirectional(text[j]) in ends:
                last = j
            j += 1
        end = _close_brackets(text, start, last + 1, j)
        out += [(text[at:start], None), (text[start:end], other)]
        at = i = end
    out.append((text[at:], None))
    return out


def _close_brackets(text: str, start: int, end: int, limit: int) -> int:
    """Extend a run past the closing brackets of brackets it opened (up to `limit`)."""
    pending = []
    for char in text[start:end]:
        if char in _CLOSERS:
            pending.append(_CLOSERS[char])
        elif pending and char == pending[-1]:
            pending.pop()
    while pending and end < limit and text[end] == pending[-1]:
        pending.pop()
        end += 1
    return end


def isolate_tree(nodes: list, base: str) -> list:
    """The body tree as model.to_data writes it, with each text node cut by `segments`: a
    run to isolate becomes {"kind": "isolate", "dir", "text"}. A link whose text is an
    address, and code, of the other direction get a "dir" of their own and are not cut.
    Changes the tree in place (and returns it); walked without recursion."""
    pending = [nodes]
    while pending:
        children = pending.pop()
        out = []
        for node in children:
            kind = node.get("kind")
            if kind == "text":
                out += [{"kind": "text", "text": piece} if d is None else
                        {"kind": "isolate", "dir": d, "text": piece}
                        for piece, d in segments(node["text"], base)]
                continue
            if kind == "code" or (kind == "link" and _shows_address(node)):
                own = direction(_plain(node))  # one run: never cut
                if own is not None and own != base:
                    node["dir"] = own
                out.append(node)
                continue
            if kind == "list":
                pending += node["items"]
            elif isinstance(node.get("children"), list):
                pending.append(node["children"])
            out.append(node)
        children[:] = out
    return nodes


def _plain(node: dict) -> str:
    if node.get("kind") in ("text", "code"):
        return node["text"]
    return "".join(_plain(c) for c in node.get("children", ()))


def _shows_address(link: dict) -> bool:
    text = _plain(link)
    return bool(text) and text in (link["href"], link["href"].removeprefix("mailto:"))
