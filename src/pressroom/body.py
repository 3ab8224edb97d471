"""Statement bodies: Markdown with footnotes, parsed once into the model's block tree.

markdown-it-py (CommonMark) with the footnote plugin does the parsing; this module only
maps its tokens onto `model` types and reports what a person must fix: a footnote cited but
not defined, defined but never cited, a malformed URL in a link or autolink, an e-mail
address mangled by the old archive's obfuscation. Footnotes are numbered by first citation,
and that number is the one every renderer shows.

It also holds the body to what the formats can print (see `limits`): nesting, the number of
paragraphs, inlines and footnotes, characters no format agrees on, words no line can hold,
and headings, list items, links and footnotes with no words. The tree it returns is never
nested deeper than the limits, whatever the text, so nothing downstream runs out of stack.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from . import bodylines, limits
from .addresses import MANGLED_EMAIL, is_email, url_problem
from .bodylines import BodyProblem
from .model import (
    Block,
    Body,
    Code,
    Emphasis,
    Footnote,
    FootnoteRef,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
    block_texts,
    inline_text,
    walk_inlines,
)
from .render.glyphs import needs_glyph

__all__ = ["MANGLED_EMAIL", "BodyProblem", "is_email", "parse_body", "url_problem"]

_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")
# Link syntax markdown-it left as text: an autolink it refused (a space, an unsafe scheme)
# or an inline link whose destination it refused. A valid one would have become a link.
_FAILED_LINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>]*)>"
    r"|\]\(\s*<?((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|www\.)[^)]*?)>?\s*\)"
)


class _Parser(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        # A destination written with spaces (`[x](<a b>)`) keeps them, so the URL check
        # sees what the author wrote instead of a silently %20-encoded link.
        if any(ch.isspace() for ch in url):
            return url
        return super().normalizeLink(url)


@cache
def _parser() -> MarkdownIt:
    # Raw HTML stays text: a record is data, never markup that reaches a page unescaped.
    return _Parser("commonmark", {"html": False}).use(footnote_plugin)


def markdown_parser() -> MarkdownIt:
    """The parser records' bodies are read with (review apply maps text back to it)."""
    return _parser()


def parse_body(markdown: str, first_line: int = 1) -> tuple[Body, list[BodyProblem]]:
    """Parse a statement body. Never raises on content; problems come back as a list. Lines,
    of problems and of blocks, count from `first_line` (the body's line in its file)."""
    env: dict = {}
    parsed, left_out = bodylines.parse_limit(markdown)
    tokens = _parser().parse(parsed, env)
    problems: list[BodyProblem] = [] if left_out is None else [left_out]
    lines = markdown.split("\n")
    builder = _Builder(problems, lines, env)
    blocks, footnotes = builder.document(tokens)
    del tokens  # the tree is built: markdown-it's tokens are most of the memory
    problems.extend(bodylines.unused_definitions(parsed, env))
    problems.extend(bodylines.repeated_definitions(markdown))
    problems.extend(bodylines.mangled_emails(markdown))
    problems.extend(bodylines.characters(lines))
    problems.extend(builder.counted())
    if first_line != 1:
        problems = [BodyProblem(p.line + first_line - 1, p.message, p.is_error)
                    for p in problems]
        blocks, footnotes = _shift_lines(blocks, first_line - 1), _shift_lines(
            footnotes, first_line - 1)
    problems.sort(key=lambda p: p.line)
    return Body(blocks=blocks, footnotes=footnotes), problems


def _shift_lines(nodes: tuple, by: int) -> tuple:
    """`nodes` with every block's line moved down by `by` lines."""
    def shift(node):
        if isinstance(node, ListBlock):
            items = tuple(tuple(shift(b) for b in item) for item in node.items)
            return replace(node, items=items, line=_plus(node.line, by))
        if isinstance(node, Quote | Footnote):
            return replace(node, children=tuple(shift(b) for b in node.children),
                           line=_plus(node.line, by))
        return replace(node, line=_plus(node.line, by))

    return tuple(shift(n) for n in nodes)


def _plus(line: int | None, by: int) -> int | None:
    return None if line is None else line + by


class _Builder:
    """Walks markdown-it's flat token stream, building nested blocks with a cursor, and
    notes what the formats cannot print: nesting, counts, empty headings, items and notes."""

    def __init__(self, problems: list[BodyProblem], lines: list[str], env: dict):
        self.problems = problems
        self.lines = lines
        # markdown-it's footnote list (id -> note); an inline note `^[...]` keeps its text here
        self.notes: dict = env.get("footnotes", {}).get("list", {})
        self.definitions = bodylines.definition_lines(lines)
        self.depth = 0  # quotes and lists around the current block
        self.in_footnote: str | None = None  # the label of the note being built
        self.blocks = 0
        self.inlines = 0
        self.over: dict[str, int] = {}  # what went over its limit -> the first line there

    def document(self, tokens: list[Token]) -> tuple[tuple[Block, ...], tuple[Footnote, ...]]:
        self.tokens = tokens
        self.pos = 0
        blocks: list[Block] = []
        footnotes: list[Footnote] = []
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            if tok.type == "footnote_block_open":
                self.pos += 1
                footnotes.extend(self._footnotes())
            else:
                block = self._block()
                if block is not None:
                    blocks.append(block)
        if len(footnotes) > limits.MAX_FOOTNOTES:
            self._over("footnotes", footnotes[limits.MAX_FOOTNOTES].line)
        return tuple(blocks), tuple(footnotes)

    def counted(self) -> list[BodyProblem]:
        """The limits on how much a body holds, each said once, at the first line over it."""
        words = {
            "blocks": (f"more than {limits.MAX_BLOCKS:,} paragraphs, headings, list items and "
                       f"quotes ({self.blocks:,})"),
            "inlines": (f"more than {limits.MAX_INLINES:,} emphases, links, code spans, line "
                        f"breaks and footnote markers ({self.inlines:,})"),
            "footnotes": f"more than {limits.MAX_FOOTNOTES:,} footnotes",
        }
        return [BodyProblem(line or 1, f"the statement has {words[what]}; a PDF of it would "
                            "need more memory than publishing may take: split it into "
                            "several statements")
                for what, line in self.over.items()]

    def _over(self, what: str, line: int | None) -> None:
        self.over.setdefault(what, line or 1)

    def _problem(self, line: int | None, message: str) -> None:
        self.problems.append(BodyProblem(line or 1, message))

    def _count_block(self, line: int | None) -> None:
        self.blocks += 1
        if self.blocks > limits.MAX_BLOCKS:
            self._over("blocks", line)

    def _footnotes(self) -> list[Footnote]:
        out = []
        while self.tokens[self.pos].type != "footnote_block_close":
            tok = self.tokens[self.pos]
            assert tok.type == "footnote_open", tok.type
            ident, label = tok.meta["id"], tok.meta["label"]
            self.pos += 1
            if label is None:  # an inline note `^[...]`, reported where it is cited
                while self.tokens[self.pos].type != "footnote_close":
                    self.pos += 1
                self.pos += 1
                continue
            line = self.definitions.get(label)
            self.in_footnote = label
            children = self._blocks_until("footnote_close")
            self.in_footnote = None
            if not _has_words_in(children):
                self._problem(line, f"footnote [^{label}] has no text: write the note, or "
                              "remove it and its markers")
            elif (size := sum(map(len, block_texts(children)))) > limits.FOOTNOTE_CHARS:
                self._problem(line, f"footnote [^{label}] is {size:,} characters long; at "
                              f"most {limits.FOOTNOTE_CHARS:,}: a note must fit on its page, "
                              "make the rest part of the text")
            out.append(Footnote(number=ident + 1, label=label, children=children, line=line))
        self.pos += 1
        return sorted(out, key=lambda f: f.number)

    def _blocks_until(self, closing: str) -> tuple[Block, ...]:
        blocks: list[Block] = []
        while self.tokens[self.pos].type != closing:
            block = self._block()
            if block is not None:
                blocks.append(block)
        self.pos += 1
        return tuple(blocks)

    def _block(self) -> Block | None:
        tok = self.tokens[self.pos]
        t = tok.type
        line = (tok.map[0] + 1) if tok.map else None
        if t == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 2
            # footnote_anchor tokens (back-references) sit before paragraph_close
            while self.tokens[self.pos].type != "paragraph_close":
                self.pos += 1
            self.pos += 1
            self._count_block(line)
            return Paragraph(self._inlines(inline), line=line)
        if t == "heading_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 3
            self._count_block(line)
            children = self._inlines(inline)
            if self.in_footnote is not None:
                self._problem(line, f"a heading inside footnote [^{self.in_footnote}]: a "
                              "footnote is a note, not a section; write the heading as text")
            elif not _has_words(children):
                self._problem(line, "a heading with no words (`#` marks with nothing to read "
                              "after them): write the heading, or delete the line")
            elif len(text := inline_text(children)) > limits.HEADING_CHARS:
                self._problem(line, f"a heading of {len(text):,} characters; at most "
                              f"{limits.HEADING_CHARS}: a heading is a line or two, make the "
                              "rest a paragraph")
            return Heading(int(tok.tag[1]), children, line=line)
        if t in ("bullet_list_open", "ordered_list_open"):
            ordered = t == "ordered_list_open"
            start = int(tok.attrs.get("start", 1)) if ordered else 1
            closing = t.replace("_open", "_close")
            self.pos += 1
            self._enter(line)
            items = []
            while self.tokens[self.pos].type != closing:
                assert self.tokens[self.pos].type == "list_item_open"
                item_tok = self.tokens[self.pos]
                item_line = (item_tok.map[0] + 1) if item_tok.map else line
                self.pos += 1
                self._count_block(item_line)
                item = self._blocks_until("list_item_close")
                if not _has_words_in(item):
                    self._problem(item_line, "an empty list item (a `-` or number with "
                                  "nothing after it): write the item, or delete the line")
                items.append(item)
            self.pos += 1
            self.depth -= 1
            return ListBlock(ordered=ordered, start=start, items=tuple(items), line=line)
        if t == "blockquote_open":
            self.pos += 1
            self._enter(line)
            children = self._blocks_until("blockquote_close")
            self.depth -= 1
            return Quote(children, line=line)
        if t in ("fence", "code_block"):
            self.pos += 1
            self._count_block(line)
            return Paragraph((Code(tok.content.rstrip("\n")),), line=line)
        if t == "hr":
            self.pos += 1
            return None
        if t == "html_block":  # html is off, but keep the text if a plugin ever emits it
            self.pos += 1
            self._count_block(line)
            return Paragraph((Text(tok.content.strip()),), line=line)
        self.pos += 1  # an unknown token: skip it rather than lose the whole body
        return None

    def _enter(self, line: int | None) -> None:
        """One more quote or list around what follows; said once each time the nesting first
        goes past the limit (markdown-it itself stops nesting at 20, so this stays shallow)."""
        self._count_block(line)
        self.depth += 1
        if self.depth == limits.MAX_BLOCK_DEPTH + 1:
            self._problem(line, f"quotes and lists are nested more than "
                          f"{limits.MAX_BLOCK_DEPTH} deep here: the PDF cannot lay them out; "
                          "take out the extra `>` marks or indented list levels")

    def _inlines(self, inline: Token) -> tuple[Inline, ...]:
        line = (inline.map[0] + 1) if inline.map else 1
        first_line = line
        stack: list[list[Inline]] = [[]]
        opened: list[Token] = []
        deepest = 0
        for child in inline.children or []:
            t = child.type
            if t == "text":
                self._check_undefined(child.content, line)
                self._check_failed_links(child.content, line)
                _append_text(stack[-1], child.content)
            elif t == "code_inline":
                self._count_inline(line)
                stack[-1].append(Code(child.content))
            elif t == "softbreak":
                line += 1
                _append_text(stack[-1], " ")
            elif t == "hardbreak":
                line += 1
                self._count_inline(line)
                stack[-1].append(LineBreak())
            elif t == "footnote_ref":
                self._count_inline(line)
                if "label" not in child.meta:  # `^[...]`: markdown-it's inline note
                    self._inline_note(child.meta["id"], line)
                    continue
                stack[-1].append(FootnoteRef(child.meta["id"] + 1, child.meta["label"]))
            elif t in ("em_open", "strong_open", "link_open"):
                opened.append(child)
                stack.append([])
                deepest = max(deepest, len(opened))
            elif t in ("em_close", "strong_close", "link_close"):
                children = tuple(stack.pop())
                start = opened.pop()
                if len(opened) >= limits.MAX_INLINE_DEPTH:
                    # Past the limit (reported below) the marks are dropped, not nested, so
                    # the tree stays shallow for every stage after this one.
                    for node in children:
                        if isinstance(node, Text):
                            _append_text(stack[-1], node.text)
                        else:
                            stack[-1].append(node)
                    continue
                self._count_inline(line)
                if t == "em_close":
                    node: Inline = Emphasis(children)
                elif t == "strong_close":
                    node = Strong(children)
                else:
                    href = str(start.attrs.get("href", ""))
                    if (why := url_problem(href)) is not None:
                        self.problems.append(BodyProblem(line, why))
                    elif not _has_words(children):
                        self._problem(line, f"the link to {href!r} has no words to click: "
                                      f"write them between the [ ], or show the address "
                                      f"itself as <{href}>")
                    node = Link(href, children)
                stack[-1].append(node)
            elif t == "image":
                _append_text(stack[-1], child.content)
            else:
                _append_text(stack[-1], child.content)
        if deepest > limits.MAX_INLINE_DEPTH:
            self._problem(first_line, f"emphasis, bold and links are nested {deepest} deep "
                          f"here; at most {limits.MAX_INLINE_DEPTH}: take out the extra `*` "
                          "or `_` marks")
        nodes = tuple(stack[0])
        self._check_words(nodes, first_line)
        return nodes

    def _count_inline(self, line: int) -> None:
        self.inlines += 1
        if self.inlines > limits.MAX_INLINES:
            self._over("inlines", line)

    def _check_words(self, nodes: tuple[Inline, ...], line: int) -> None:
        text = inline_text(nodes)
        for problem in limits.word_problems(text):
            self._problem(bodylines.line_of_word(self.lines, problem, line), problem)
        for node in walk_inlines(nodes):  # a link's address, unless its words show it
            if (isinstance(node, Link) and len(node.href) > limits.MAX_URL_CHARS
                    and node.href.removeprefix("mailto:") not in text):
                self._problem(line, f"a link of {len(node.href):,} characters; links may "
                              f"have at most {limits.MAX_URL_CHARS:,}: use a shorter link "
                              "to the same page")

    def _check_failed_links(self, text: str, line: int) -> None:
        for match in _FAILED_LINK.finditer(text):
            url = match.group(1) or match.group(2)
            why = url_problem(url) or f"malformed URL {url!r}: it is not a link as written"
            self.problems.append(BodyProblem(line, why))

    def _inline_note(self, ident: int, line: int) -> None:
        """An inline note `^[...]`: the formats number and print only notes with a label,
        so it is an error that says how to write it as one."""
        text = " ".join(str(self.notes.get(ident, {}).get("content", "")).split())
        if len(text) > 60:
            text = text[:57] + "..."
        self._problem(line, f"an inline footnote `^[{text}]`: notes are written as a "
                      "marker and a definition; put a marker such as [^1] here and the note "
                      f"on a line of its own at the end, `[^1]: {text or '...'}`")

    def _check_undefined(self, text: str, line: int) -> None:
        for match in _UNDEFINED_REF.finditer(text):
            self.problems.append(
                BodyProblem(line, f"footnote [^{match.group(1)}] is cited but never defined")
            )


def _has_words(nodes: tuple[Inline, ...]) -> bool:
    """Whether a run of inlines shows anything to read (footnote markers do not count)."""
    return any(needs_glyph(c) and not c.isspace() for c in inline_text(nodes))


def _has_words_in(blocks: tuple[Block, ...]) -> bool:
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            if _has_words(block.children):
                return True
        elif isinstance(block, Quote):
            if _has_words_in(block.children):
                return True
        elif any(_has_words_in(item) for item in block.items):
            return True
    return False


def _append_text(into: list[Inline], text: str) -> None:
    # Adjacent text runs merge, so the tree does not depend on how the parser split them.
    if into and isinstance(into[-1], Text):
        into[-1] = Text(into[-1].text + text)
    elif text:
        into.append(Text(text))
