"""Word-level edits of a reviewer applied to a record's Markdown source, so that emphasis,
links and footnote markers survive an edit of the words around them.

`text_blocks(body)` finds each paragraph, heading and list item of a body (and of each
footnote) in the order the Word draft numbers them (pr_body_1, ...; pr_fn_2, pr_fn_2_2), with
its text as the draft shows it and, for every character of that text, its offset in the
Markdown source. `edit_span(body, block, ops)` turns the edit of the plain text (from
segments.apply_ops) into the block's new source: deleted characters are cut one by one (the
markup between them stays), inserted text goes in after the character before it, escaped so
it stays text; markup left wrapping nothing (`**`, `[](url)`) goes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..body import markdown_parser

# What inserted text must not be read as: emphasis, links, notes, code, raw angle brackets.
_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


@dataclass
class Block:
    name: str  # the draft's bookmark: pr_body_3, pr_fn_2, pr_fn_2_2
    start: int  # the source span of its inline content, in the body string
    end: int
    plain: str
    offsets: list[int | None]  # offsets[i]: where plain[i] is in the body (None: nowhere)
    # (open start, open end, close start, close end, first plain index, end plain index)
    marks: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)
    notes: list[tuple[int, int]] = field(default_factory=list)  # footnote markers' spans


class Unmappable(ValueError):
    """The edit touches text whose source cannot be found (an entity, an image)."""


def text_blocks(body: str) -> dict[str, Block]:
    tokens = markdown_parser().parse(body, {})
    starts = [0]
    for line in body.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    lines = body.split("\n")
    out: dict[str, Block] = {}
    count = 0
    note: int | None = None
    note_paragraphs = 0
    for i, tok in enumerate(tokens):
        if tok.type == "footnote_open":
            note, note_paragraphs = int(tok.meta["id"]) + 1, 0
        elif tok.type == "footnote_close":
            note = None
        elif tok.type == "inline" and i and tokens[i - 1].type in ("paragraph_open",
                                                                     "heading_open"):
            if note is None:
                count += 1
                name = f"pr_body_{count}"
            else:
                note_paragraphs += 1
                name = f"pr_fn_{note}" + (f"_{note_paragraphs}" if note_paragraphs > 1
                                          else "")
            block = _block(name, tok, lines, starts)
            if block is not None:
                out[name] = block
    return out


def _block(name: str, tok, lines: list[str], starts: list[int]) -> Block | None:
    """The block's plain text and source offsets, from markdown-it's inline children."""
    if not tok.map:
        return None
    content = tok.content
    cmap: list[int] = []  # content index -> body offset
    for k, piece in enumerate(content.split("\n")):
        n = tok.map[0] + k
        if n >= len(lines):
            return None
        source = lines[n]
        col = len(source) - len(piece) if source.endswith(piece) else source.find(piece)
        if col < 0:
            return None
        if k:
            cmap.append(starts[n] - 1)  # the newline before this line
        cmap.extend(starts[n] + col + j for j in range(len(piece)))
    plain: list[str] = []
    offsets: list[int | None] = []
    marks: list[tuple[int, int, int, int, int, int]] = []
    notes: list[tuple[int, int]] = []
    opened: list[tuple[int, int, int]] = []
    pos = 0

    def find(what: str) -> int:
        j = content.find(what, pos)
        return j if j >= 0 else pos

    def chars(text: str) -> None:
        """Text written as it reads is mapped character by character; text the source
        writes another way (an escape, an entity: `\\*`, `&amp;`) is not mapped, so an
        edit touching it is refused rather than leaving half an entity behind."""
        nonlocal pos
        first = True
        for ch in text:
            j = content.find(ch, pos)
            plain.append(ch)
            if j < 0:
                offsets.append(None)
                continue
            if j > pos:
                # Source characters skipped inside one text: an entity's tail (`&amp;`) or
                # an escape's backslash (`\\*`): neither side is mapped.
                if not first:
                    offsets[-1] = None
                offsets.append(None)
            else:
                offsets.append(cmap[j])
            pos = j + 1
            first = False

    for child in tok.children or []:
        t = child.type
        if t == "text":
            chars(child.content)
        elif t == "code_inline":
            j = find(child.markup)
            pos = j + len(child.markup)
            chars(child.content)
            pos = find(child.markup) + len(child.markup)
        elif t in ("softbreak", "hardbreak"):
            j = find("\n")
            plain.append(" " if t == "softbreak" else "\n")
            offsets.append(cmap[j] if j < len(cmap) else None)
            pos = j + 1
        elif t == "footnote_ref":
            j = find("[^")
            e = content.find("]", j)
            e = e + 1 if e >= 0 else j
            notes.append((cmap[j], cmap[e - 1] + 1))
            pos = e
        elif t in ("em_open", "strong_open", "link_open"):
            mark = "<" if child.markup == "autolink" else "[" if t == "link_open" \
                else child.markup
            j = find(mark)
            opened.append((j, j + len(mark), len(plain)))
            pos = j + len(mark)
        elif t in ("em_close", "strong_close", "link_close"):
            if not opened:
                continue
            o_start, o_end, first = opened.pop()
            if t == "link_close" and child.markup == "autolink":
                j = find(">")
                e = j + 1
            elif t == "link_close":
                j = find("]")
                e = _after_destination(content, j + 1)
            else:
                j = find(child.markup)
                e = j + len(child.markup)
            pos = e
            if o_end <= len(cmap) and e <= len(cmap) and o_start < len(cmap) and j < len(cmap):
                marks.append((cmap[o_start], cmap[o_end - 1] + 1, cmap[j], cmap[e - 1] + 1,
                              first, len(plain)))
        else:  # an image's alt text, anything else: its text, found if it can be
            chars(child.content)
    if not cmap:
        return None
    return Block(name, cmap[0], cmap[-1] + 1, "".join(plain), offsets, marks, notes)


def _after_destination(content: str, j: int) -> int:
    """The index after a link's `(destination "title")` or `[label]` starting at j."""
    if j < len(content) and content[j] == "(":
        depth = 0
        for k in range(j, len(content)):
            if content[k] == "\\":
                continue
            if content[k] == "(":
                depth += 1
            elif content[k] == ")":
                depth -= 1
                if depth == 0:
                    return k + 1
    if j < len(content) and content[j] == "[":
        k = content.find("]", j)
        return k + 1 if k >= 0 else j
    return j


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def edit_span(body: str, block: Block, ops: list[tuple[str, str]]) -> str:
    """The block's source span (body[block.start:block.end]) with `ops` applied. `ops`
    covers block.plain exactly (old_text(ops) == block.plain). Raises Unmappable."""
    cut: set[int] = set()
    inserts: dict[int, list[str]] = {}
    inserted_at: set[int] = set()  # plain indexes an insertion comes before
    deleted_plain: set[int] = set()
    i = 0
    for kind, text in ops:
        if kind == "ins":
            if i > 0:
                before = block.offsets[i - 1]
                if before is None:
                    raise Unmappable(text)
                at = before + 1
            else:
                at = block.offsets[0] if block.offsets and block.offsets[0] is not None \
                    else block.start
            inserts.setdefault(at, []).append(escape(text))
            inserted_at.add(i)
            continue
        if kind == "del":
            for k in range(i, i + len(text)):
                offset = block.offsets[k]
                if offset is None:
                    raise Unmappable(text)
                cut.add(offset)
                deleted_plain.add(k)
        i += len(text)
    for o_start, o_end, c_start, c_end, first, last in block.marks:
        inside = set(range(first, last))
        if inside and inside <= deleted_plain and not any(first < k < last or k == last
                                                          for k in inserted_at):
            cut.update(range(o_start, o_end))
            cut.update(range(c_start, c_end))
    out: list[str] = []
    for k in range(block.start, block.end + 1):
        if k in inserts:
            out.append("".join(inserts[k]))
        if k < block.end and k not in cut:
            out.append(body[k])
    return "".join(out)
