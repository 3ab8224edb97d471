"""What a record, pressroom.toml and organisations.yaml may hold, and the words that say so.

Each limit is there because a format can go no further (a PDF string, typst's nesting, a line
of the page, a link Word keeps) or because publishing one record must fit in memory; each is
set well above any real statement, so only a broken or hostile file meets it. `check` reports
every one as a diagnostic, so a record that passes renders in all three formats.

Memory, measured on the 2-core machine (peak RSS of a process that checks a record and
renders all three formats; typst's layout is nearly all of it and cannot be streamed):
  4.9 MB of plain paragraphs: 1,172 MB; 1 MB: 342 MB.
  0.25 MB of one-word paragraphs (83,000): 884 MB; of list items (50,000): 1,206 MB;
  of emphasis (50,000): 480 MB; 10,000 footnotes (0.66 MB): 795 MB and 12.5 s.
  Checking alone, 1 MB of `***a***`: 514 MB (markdown-it's tokens), of one-word
  paragraphs: 657 MB.
So the size of a record and the number of its elements are both limited; the figures after
these limits are in benchmarks/memory.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ruamel.yaml.composer import Composer, ComposerError

# --- sizes ----------------------------------------------------------------------------------

# A file over this is not read. Checking the worst 512 KB files we could write (a one-word
# list item or paragraph on every line, `***a***` all along) peaks at 127-149 MB, as the body
# is parsed only up to ten times the limits below (bodylines.py); the sample statement is
# 8 KB and a 20,000-word statement about 130 KB.
MAX_RECORD_BYTES = 512 * 1024
# Paragraphs, headings, list items and quotes, in the body and its footnotes: each costs
# typst up to 25 KB (a list item), so 2,000 cost at most 50 MB. The long statement of the
# benchmarks has 30 paragraphs.
MAX_BLOCKS = 2_000
# Emphasis, bold, links, code, line breaks and footnote markers: up to 14 KB each in typst
# (a link), so 10,000 cost at most 140 MB. The sample has 19.
MAX_INLINES = 10_000
# typst lays out every note on its page: about 70 KB each (10,000 took 795 MB and 12.5 s).
# The long statement of the benchmarks has 60.
MAX_FOOTNOTES = 1_000
# Each endorser is a list item of the PDF; the long statement of the benchmarks has 150.
MAX_ENDORSERS = 1_000

# --- nesting --------------------------------------------------------------------------------

# Quotes and lists inside each other. typst's show rules run out at 10 quotes deep around a
# paragraph of 20 nested inlines; a real statement nests a list in a list, two deep.
MAX_BLOCK_DEPTH = 8
# Emphasis inside bold inside a link...: typst reads its data with a JSON parser that stops
# at 128 levels (each inline is two), and runs out of show rules near 60. Real text nests
# bold inside italic, two deep.
MAX_INLINE_DEPTH = 20
# YAML and TOML lists and fields inside each other: a record nests three deep (contacts),
# the directory two, pressroom.toml three. The parsers recurse, so thousands would crash.
MAX_DATA_DEPTH = 20

# --- lengths --------------------------------------------------------------------------------

# A run with no place to break the line: typst does not break inside a word (hyphenation is
# off, see the template), so a word wider than the text block runs off the page. The text
# block holds about 80 average characters at body size and 54 at title size.
MAX_WORD_CHARS = 50
# Links and addresses break at their slashes. Browsers and Word stop at about 2,083
# characters, typst refuses a link over 8,000 and a PDF string over 32,767.
MAX_URL_CHARS = 2_000
# One-line fields, in characters. Every field is also a PDF string (metadata, text), which
# may not pass 32,767 characters, and the metadata joins countries and topics.
TITLE_CHARS = 400
LINE_CHARS = 200  # a place, a country, a topic, a contact, a person's name
NAME_CHARS = 300  # an organisation's name, which is also the PDF's author
SHORT_NAME_CHARS = 50
ABOUT_CHARS = 5_000  # an About block: one paragraph under every statement
# A heading is a line or two. typst cannot tag one that runs over a page: a heading of 3,200
# characters in a quote, before a footnote, failed.
HEADING_CHARS = 300
# A footnote is a note. typst 0.15.1 loses a long note cited in a list item whose text runs
# on to the next page ("label `<fn-4>` does not exist", or a PDF/UA tag tree left open): the
# note of a generated record failed cut to 4,000 characters at one of 40 places of its
# marker, never at 3,500 or 3,000 (150 places). 2,000 is a third of a page of notes.
FOOTNOTE_CHARS = 2_000
MAX_LIST_ITEMS = 50  # countries, topics, contacts


# --- characters -----------------------------------------------------------------------------

_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")


def describe(char: str) -> str:
    """'U+0001 START OF HEADING', as a person can look it up."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


def _before(text: str, index: int) -> str:
    """Where in `text` position `index` is, in words: after the few characters before it."""
    shown = "".join(c if c.isprintable() else " " for c in text[max(0, index - 24):index])
    shown = " ".join(shown.split())
    return f"after {shown!r}" if shown else "at the start"


def _kind(char: str, allow: str) -> str | None:
    """Why `char` may not be in a record's text, or None."""
    if char in allow:
        return None
    code = ord(char)
    if code == 0:
        return ("a NUL character (an empty byte left by a broken conversion); retype the "
                "text around it")
    if code == 0xFEFF:
        return ("an invisible byte-order mark (U+FEFF), often pasted from Windows programs; "
                "delete it")
    if 0xD800 <= code <= 0xDFFF:
        return (f"half of a character ({describe(char)}): a \\u escape of a surrogate cannot "
                "stand alone; write the character itself")
    if code in (0x2028, 0x2029):
        return (f"an invisible line separator ({describe(char)}) that the formats do not agree "
                "on; use a space, or a blank line for a new paragraph")
    if unicodedata.category(char) == "Cc":
        return (f"the invisible control character {describe(char)}, which the web page keeps, "
                "the PDF turns into a line break and Word drops; delete it")
    if _NONCHARACTER.match(char) or (code & 0xFFFE) == 0xFFFE:
        return f"{describe(char)}, which is not a character; delete it"
    return None


_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufdd0-\ufdef"
                      "\ufeff\ufffe\uffff\U0001fffe-\U0001ffff\U0002fffe-\U0002ffff"
                      "\U0003fffe-\U0010ffff]")


def character_problems(text: str, allow: str = "\t\n") -> list[str]:
    """What is wrong with the characters of `text`, each kind once, with where it is."""
    found: dict[str, str] = {}
    for match in _SUSPECT.finditer(text):
        kind = _kind(match.group(), allow)
        if kind is not None and kind not in found:
            found[kind] = f"contains {kind} ({_before(text, match.start())})"
    return list(found.values())


# --- words ----------------------------------------------------------------------------------

# Where a line may break inside a run without spaces: after a hyphen, a dash or a slash (as
# typst breaks), and anywhere in the scripts it breaks between characters or by dictionary:
# Chinese, Japanese, Korean, Thai, Lao, Myanmar, Khmer, Tai scripts; the Tibetan tsheg.
_BREAK_AFTER = "-/\u2010\u2012\u2013\u2014\u0f0b\u1361"
_BREAK_ANYWHERE = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1950-\u1aaf\u19e0-\u19ff"
                   "\u2e80-\u2fff\u3000-\u9fff\ua960-\ua97f\ua9e0-\ua9ff\uaa60-\uaadf"
                   "\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                   "\U00016fe0-\U00018aff\U0001b000-\U0001b16f\U00020000-\U0003ffff")
_PIECES = re.compile(f"[^\\s{_BREAK_ANYWHERE}{re.escape(_BREAK_AFTER)}]+"
                     f"[{re.escape(_BREAK_AFTER)}]?")
_ADDRESS = re.compile(r"^\W*(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:)|@", re.IGNORECASE)


def word_problems(text: str) -> list[str]:
    """Runs of `text` no line can hold: a word over MAX_WORD_CHARS with nowhere to break,
    or an address (a URL, an e-mail) over MAX_URL_CHARS. Each once."""
    problems: list[str] = []
    for word in text.split():
        if _ADDRESS.search(word):
            if len(word) > MAX_URL_CHARS:
                problems.append(f"has an address of {len(word):,} characters "
                                f"({_shorten(word)}); links may have at most "
                                f"{MAX_URL_CHARS:,}: use a shorter link to the same page")
            continue
        if len(word) <= MAX_WORD_CHARS:
            continue
        longest = max((m.group() for m in _PIECES.finditer(word)), key=len, default="")
        if len(longest) > MAX_WORD_CHARS:
            problems.append(f"has a word of {len(longest):,} characters with no space "
                            f"({_shorten(longest)}): no line of the PDF can hold more than "
                            f"about {MAX_WORD_CHARS}; add spaces or shorten it")
    return list(dict.fromkeys(problems))


def _shorten(text: str) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in text[:30])
    return repr(shown + "…") if len(text) > 30 else repr(shown)


def text_problems(text: str, max_chars: int | None, allow: str = "\t\n") -> list[str]:
    """Everything wrong with one text field: its characters, its length, its words."""
    problems = character_problems(text, allow)
    if max_chars is not None and len(text) > max_chars:
        problems.append(f"is {len(text):,} characters long; at most {max_chars:,}")
    if not any("half of a character" in p for p in problems):
        problems.extend(word_problems(text))
    return problems


# --- nesting in YAML and TOML ------------------------------------------------------------------

NESTED_TOO_DEEP = (f"lists or fields are nested more than {MAX_DATA_DEPTH} deep here; "
                   "nothing in this file nests more than three: is this the right file?")


class DepthLimitedComposer(Composer):
    """ruamel.yaml's composer, refusing data nested over MAX_DATA_DEPTH: composing and
    constructing recurse once per level, and ten thousand levels crash the process's stack."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DATA_DEPTH:
                mark = self.parser.peek_event().start_mark
                raise ComposerError(None, None, NESTED_TOO_DEEP, mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def toml_nesting(text: str) -> int | None:
    """The line where arrays and inline tables of TOML `text` nest over MAX_DATA_DEPTH, or
    None. tomllib recurses once per level, so this is looked at before it parses."""
    depth = 0
    line = 1
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
        elif char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif char in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else char
            end = i + len(quote)
            while True:
                end = text.find(quote, end)
                if end < 0:
                    return None  # unclosed: tomllib says so, with its line
                if quote[0] == '"' and _escaped(text, end):
                    end += 1
                    continue
                break
            line += text.count("\n", i, end)
            i = end + len(quote)
            continue
        elif char in "[{":
            depth += 1
            if depth > MAX_DATA_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _escaped(text: str, at: int) -> bool:
    """Whether the quote at `at` is escaped by an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def data_strings(node, seen: set[int] | None = None) -> Iterator[tuple[str, str]]:
    """(path, text) of every string in parsed TOML or YAML data, keys included."""
    seen = set() if seen is None else seen
    stack = [("", node)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict) and id(value) not in seen:
            seen.add(id(value))
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str):
                    yield where, key
                stack.append((where, item))
        elif isinstance(value, list) and id(value) not in seen:
            seen.add(id(value))
            stack.extend((f"{path}[{n}]", item) for n, item in enumerate(value, 1))
