"""The statement's body as Markdown: paragraphs, subheadings, lists and real footnotes.

Lines become blocks: list items (bullets, "1." "1)" "(1)" "၁။" "一、") are gathered into
lists that keep their numbers, headings of a page stay headings, and in a text export a
short line standing alone between paragraphs is a subheading, while a run of short lines
(an addressee's block) is one paragraph with line breaks. Footnote markers become `[^n]`,
their notes `[^n]: ...`. What would not publish (an empty heading or list item, a note with
no text) is repaired here and said.
"""

from __future__ import annotations

import re

from .footnotes import MARKER_MD, glued_markers, superscripts_to_markers, with_glued_markers
from .sources import Line
from .structure import BULLET, Parts, strip_bullet

_LINK_MARKS = re.compile(r"[<>();]")
_SENTENCE_END = re.compile(r"[.!?。！？।۔,，:：;；]$")
_SECTION_NAMES = {
    "body": "body", "endorsers": "list of endorsers", "about": "About block",
    "contacts": "contacts", "notes": "footnotes", "signatures": "signatures",
    "after the list": "list", "people": "people who signed",
}
_EMPTY = re.compile(r"^[\s#*_\\>\-]*$")


def build_body(parts: Parts, report, html: bool) -> str:
    """The body's Markdown; `report(line, field, message, error=False)` says each problem."""
    defined: dict[int, str] = {}
    for n, line in parts.footnotes:
        if n in defined:
            report(line.number, "footnotes", f"footnote [{n}] appears twice; the second was "
                   "kept as text at the end of the body: merge them")
            parts.leftovers.append(("notes", line))
            continue
        text = footnote_md(superscripts_to_markers(line.md))
        if not text.strip():
            report(line.number, "footnotes", f"footnote [{n}] has no text; it was left out "
                   "with its marker: check the source")
            continue
        defined[n] = text
    for line in parts.short_cut:
        report(line.number, "body", f"{line.text!r}, a short line after the lists, was taken "
               "for the site's and left out of the body: put it back if it is the "
               "statement's")
    lines = parts.body + [line for _, line in parts.leftovers]
    for section, line in parts.leftovers:
        report(line.number, "body", f"text after the {_SECTION_NAMES.get(section, section)} "
               "that is none of the known parts; kept at the end of the body: move or "
               "delete it")
    lines = [Line(line.number, line.text, superscripts_to_markers(line.md)) for line in lines]
    explicit = {int(m.group(1)) for line in lines for m in MARKER_MD.finditer(line.md)}
    if defined and not explicit & set(defined):
        spans = glued_markers(lines, set(defined))
        lines = [Line(line.number, line.text, with_glued_markers(line.md, spans[i]))
                 if i in spans else line for i, line in enumerate(lines)]
    empty_notes = {n for n, line in parts.footnotes if n not in defined and not any(
        d == n for d in defined)}
    blocks = _blocks(lines, html, report)
    cited: dict[int, int] = {}
    out: list[str] = []
    for number, md in blocks:
        for match in MARKER_MD.finditer(md):
            n = int(match.group(1))
            if n in empty_notes:
                continue
            cited.setdefault(n, number)
        md = MARKER_MD.sub(lambda m: "" if int(m.group(1)) in empty_notes
                           else f"[^{m.group(1)}]", md)
        out.append(md)
    for n, number in cited.items():
        if n not in defined:
            report(number, "footnotes", f"footnote marker [{n}] has no footnote in the source: "
                   "add the footnote's text or remove the marker", error=True)
    for n, line in parts.footnotes:
        if n not in cited and defined.get(n) is not None:
            report(line.number, "footnotes", f"footnote [{n}] is never cited in the text: add "
                   f"its marker [^{n}] where it belongs, or delete it", error=True)
    notes = "\n".join(f"[^{n}]: {md}" for n, md in defined.items())
    return "\n\n".join(out) + ("\n\n" + notes if notes else "") + "\n"


def _blocks(lines: list[Line], html: bool, report) -> list[tuple[int, str]]:
    blocks: list[tuple[int, str]] = []
    previous_bullet: str | None = None
    shorts: list[Line] = []

    def flush_shorts(next_long: bool) -> None:
        if not shorts:
            return
        if len(shorts) > 1 and shorts[-1].text.endswith((":", "：")):
            last = shorts.pop()
            flush_shorts(next_long=True)
            blocks.append((last.number, last.md))
            return
        if len(shorts) == 1 and next_long and blocks and not _SENTENCE_END.search(
                shorts[0].text) and blocks[-1][1][:1] not in "-0123456789#":
            blocks.append((shorts[0].number, "### " + shorts[0].md))
        else:
            blocks.append((shorts[0].number, "\\\n".join(line.md for line in shorts)))
        shorts.clear()

    for line in lines:
        md = line.md
        if md.startswith("#") and _EMPTY.match(md):
            report(line.number, "body", "an empty heading was left out")
            continue
        bullet = BULLET.match(line.text)
        if bullet:
            item = strip_bullet(line)
            if not item.text.strip():
                report(line.number, "body", "an empty list item was left out")
                continue
            number = re.match(r"\d+", bullet.group(0).strip("( "))
            value = int(number.group(0)) if number else _chinese_number(bullet.group(0))
            mark = f"{value}. " if value else "- "
            md = mark + item.md
            kind = "1" if value else "-"
        else:
            kind = None
        if not html and not kind and not md.startswith("#") and _short(line.text):
            if line.text.endswith((",", "，")):  # "Dear Minister,": a paragraph of its own
                flush_shorts(next_long=False)
                blocks.append((line.number, md))
                previous_bullet = None
                continue
            shorts.append(Line(line.number, line.text, md))
            continue
        flush_shorts(next_long=not kind)
        if blocks and kind and kind == previous_bullet:
            number_line, text = blocks[-1]
            blocks[-1] = (number_line, text + "\n" + md)
        else:
            blocks.append((line.number, md))
        previous_bullet = kind
    flush_shorts(next_long=False)
    return blocks


def _short(text: str) -> bool:
    """A line of a text export too short to be a paragraph: a subheading, an address."""
    words = text.split()
    if " " not in text.strip() and not text.isascii():
        return False  # scripts written without spaces: length says nothing
    return len(words) <= 8 and len(text) <= 70 and not text.endswith((".", "。"))


def footnote_md(md: str) -> str:
    """A footnote's Markdown: web addresses as autolinks, several separated by "; "."""
    return "; ".join(p.strip() for p in _split_outside_links(md) if p.strip())


def _split_outside_links(md: str) -> list[str]:
    """Split at ";" except inside <autolinks> and (link destinations)."""
    pieces, depth, start = [], 0, 0
    for match in _LINK_MARKS.finditer(md):  # only the marks: a footnote may be megabytes
        char = match.group(0)
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth = max(depth - 1, 0)
        elif depth == 0:
            pieces.append(md[start:match.start()])
            start = match.end()
    pieces.append(md[start:])
    return pieces


_CHINESE_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", 1)}


def _chinese_number(mark: str) -> int | None:
    """"三、" -> 3, "十二、" -> 12: a Chinese-numbered item keeps its number in the list."""
    text = mark.strip().rstrip("、").strip()
    if not text or any(c not in _CHINESE_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CHINESE_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGITS.get(ones, 0))
