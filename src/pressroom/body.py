"""Statement bodies: Markdown with footnotes, parsed once into the model's block tree.

markdown-it-py (CommonMark) with the footnote plugin does the parsing; this module only
maps its tokens onto `model` types and reports what a person must fix: a footnote cited but
not defined, defined but never cited, a malformed URL in a link or autolink, an e-mail
address mangled by the old archive's obfuscation. Footnotes are numbered by first citation,
and that number is the one every renderer shows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

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
)

_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")
# What the old archive's e-mail obfuscation left behind, in text, HTML-escaped or as a link.
MANGLED_EMAIL = re.compile(
    r"\[\s*email(?:\s|&#160;|&#xa0;|&nbsp;|\u00a0)*protected\s*\]|/cdn-cgi/l/email-protection"
    r"|__cf_email__|data-cfemail",
    re.IGNORECASE,
)
_LOCAL_FORBIDDEN = frozenset('<>()[]\\,;:"')
# Link syntax markdown-it left as text: an autolink it refused (a space, an unsafe scheme)
# or an inline link whose destination it refused. A valid one would have become a link.
_FAILED_LINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>]*)>"
    r"|\]\(\s*<?((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|www\.)[^)]*?)>?\s*\)"
)


def is_email(text: str) -> bool:
    """Whether `text` looks like one e-mail address (name@host.tld); scripts other than
    Latin are allowed in both parts, as they are in real addresses."""
    local, at, domain = text.rpartition("@")
    if not (at and local and domain) or "@" in local:
        return False
    if any(ch.isspace() or ch in _LOCAL_FORBIDDEN for ch in local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    return all(
        label and label[0] != "-" and label[-1] != "-"
        and all(ch.isalnum() or ch == "-" or unicodedata.category(ch)[0] == "M" for ch in label)
        for label in labels
    )


def url_problem(url: str) -> str | None:
    """Why `url` is not a link a reader can follow, or None: http, https or mailto only,
    with a host (or an address), and no spaces."""
    if MANGLED_EMAIL.search(url):
        return None  # reported once, as a mangled e-mail address
    if any(ch.isspace() for ch in url):
        return f"malformed URL {url!r}: it contains a space (write it as %20, or fix the URL)"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return f"malformed URL {url!r}: it cannot be read as a URL"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not host:
            return f"malformed URL {url!r}: no host name (like https://www.example.org/...)"
        if not ("." in host or ":" in host):
            return f"malformed URL {url!r}: {host!r} is not a full host name (like www.example.org)"
        return None
    if scheme == "mailto":
        if not is_email(parts.path.split("?")[0]):
            return f"malformed URL {url!r}: not an e-mail address after mailto:"
        return None
    if not scheme:
        return (f"malformed URL {url!r}: no scheme; links must start with https://, http:// "
                "or mailto:")
    return f"malformed URL {url!r}: only https://, http:// and mailto: links are allowed"


@dataclass(frozen=True)
class BodyProblem:
    """A problem in the body; `line` counts from 1 at the body's first line."""

    line: int
    message: str
    is_error: bool = True


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


def parse_body(markdown: str) -> tuple[Body, list[BodyProblem]]:
    """Parse a statement body. Never raises on content; problems come back as a list."""
    env: dict = {}
    tokens = _parser().parse(markdown, env)
    problems: list[BodyProblem] = []
    builder = _Builder(problems)
    blocks, footnotes = builder.document(tokens)
    problems.extend(_unused_definitions(markdown, env))
    problems.extend(_repeated_definitions(markdown))
    problems.extend(_mangled_emails(markdown))
    problems.sort(key=lambda p: p.line)
    return Body(blocks=blocks, footnotes=footnotes), problems


def _mangled_emails(markdown: str) -> list[BodyProblem]:
    return [
        BodyProblem(n, f"e-mail address mangled by the old archive ({match.group(0)!r}): "
                    "write the real address, or remove it")
        for n, line in enumerate(markdown.split("\n"), 1)
        if (match := MANGLED_EMAIL.search(line))
    ]


_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


def _repeated_definitions(markdown: str) -> list[BodyProblem]:
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


def _unused_definitions(markdown: str, env: dict) -> list[BodyProblem]:
    refs = env.get("footnotes", {}).get("refs", {})
    unused = [label[1:] for label, ident in refs.items() if ident == -1]
    problems = []
    lines = markdown.split("\n")
    for label in unused:
        line = next(
            (n for n, text in enumerate(lines, 1) if text.lstrip().startswith(f"[^{label}]:")), 1
        )
        problems.append(
            BodyProblem(line, f"footnote [^{label}] is defined but never cited in the text")
        )
    return problems


class _Builder:
    """Walks markdown-it's flat token stream, building nested blocks with a cursor."""

    def __init__(self, problems: list[BodyProblem]):
        self.problems = problems

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
        return tuple(blocks), tuple(footnotes)

    def _footnotes(self) -> list[Footnote]:
        out = []
        while self.tokens[self.pos].type != "footnote_block_close":
            tok = self.tokens[self.pos]
            assert tok.type == "footnote_open", tok.type
            ident, label = tok.meta["id"], tok.meta["label"]
            self.pos += 1
            children = self._blocks_until("footnote_close")
            out.append(Footnote(number=ident + 1, label=label, children=children))
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
        if t == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 2
            # footnote_anchor tokens (back-references) sit before paragraph_close
            while self.tokens[self.pos].type != "paragraph_close":
                self.pos += 1
            self.pos += 1
            return Paragraph(self._inlines(inline))
        if t == "heading_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 3
            return Heading(int(tok.tag[1]), self._inlines(inline))
        if t in ("bullet_list_open", "ordered_list_open"):
            ordered = t == "ordered_list_open"
            start = int(tok.attrs.get("start", 1)) if ordered else 1
            closing = t.replace("_open", "_close")
            self.pos += 1
            items = []
            while self.tokens[self.pos].type != closing:
                assert self.tokens[self.pos].type == "list_item_open"
                self.pos += 1
                items.append(self._blocks_until("list_item_close"))
            self.pos += 1
            return ListBlock(ordered=ordered, start=start, items=tuple(items))
        if t == "blockquote_open":
            self.pos += 1
            return Quote(self._blocks_until("blockquote_close"))
        if t in ("fence", "code_block"):
            self.pos += 1
            return Paragraph((Code(tok.content.rstrip("\n")),))
        if t == "hr":
            self.pos += 1
            return None
        if t == "html_block":  # html is off, but keep the text if a plugin ever emits it
            self.pos += 1
            return Paragraph((Text(tok.content.strip()),))
        self.pos += 1  # an unknown token: skip it rather than lose the whole body
        return None

    def _inlines(self, inline: Token) -> tuple[Inline, ...]:
        line = (inline.map[0] + 1) if inline.map else 1
        stack: list[list[Inline]] = [[]]
        opened: list[Token] = []
        for child in inline.children or []:
            t = child.type
            if t == "text":
                self._check_undefined(child.content, line)
                self._check_failed_links(child.content, line)
                _append_text(stack[-1], child.content)
            elif t == "code_inline":
                stack[-1].append(Code(child.content))
            elif t == "softbreak":
                line += 1
                _append_text(stack[-1], " ")
            elif t == "hardbreak":
                line += 1
                stack[-1].append(LineBreak())
            elif t == "footnote_ref":
                stack[-1].append(FootnoteRef(child.meta["id"] + 1, child.meta["label"]))
            elif t in ("em_open", "strong_open", "link_open"):
                opened.append(child)
                stack.append([])
            elif t in ("em_close", "strong_close", "link_close"):
                children = tuple(stack.pop())
                start = opened.pop()
                if t == "em_close":
                    node: Inline = Emphasis(children)
                elif t == "strong_close":
                    node = Strong(children)
                else:
                    href = str(start.attrs.get("href", ""))
                    if (why := url_problem(href)) is not None:
                        self.problems.append(BodyProblem(line, why))
                    node = Link(href, children)
                stack[-1].append(node)
            elif t == "image":
                _append_text(stack[-1], child.content)
            else:
                _append_text(stack[-1], child.content)
        return tuple(stack[0])

    def _check_failed_links(self, text: str, line: int) -> None:
        for match in _FAILED_LINK.finditer(text):
            url = match.group(1) or match.group(2)
            why = url_problem(url) or f"malformed URL {url!r}: it is not a link as written"
            self.problems.append(BodyProblem(line, why))

    def _check_undefined(self, text: str, line: int) -> None:
        for match in _UNDEFINED_REF.finditer(text):
            self.problems.append(
                BodyProblem(line, f"footnote [^{match.group(1)}] is cited but never defined")
            )


def _append_text(into: list[Inline], text: str) -> None:
    # Adjacent text runs merge, so the tree does not depend on how the parser split them.
    if into and isinstance(into[-1], Text):
        into[-1] = Text(into[-1].text + text)
    elif text:
        into.append(Text(text))
