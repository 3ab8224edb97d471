"""Statement records for property tests: hypothesis strategies, and seeded mutations.

`records()` draws whole record texts (front matter and body) from what real statements hold
and what hostile or broken files hold: every script of the region, right-to-left text,
markup of every format (`$5`, `#panic()`, `]]>`, `<w:p>`), all of Unicode including control
characters, NUL, byte-order marks and (through YAML escapes) lone surrogates, quotes, lists
and emphasis nested past the limits, headings, footnotes cited inside lists and quotes, long
words and long links, empty headings, items and notes.

`mutated_records(seed, n)` yields `n` records made by mutating the sample statement and the
script fixtures with the same ingredients, the same for the same seed, for suites that want
many inputs without hypothesis. Every record's id is its file name: `record_id(text)`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from hypothesis import strategies as st

from pressroom.render.glyphs import unshowable

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
RECORD_ID = "2024-06-01-generated"
ORGANISATIONS = tuple(re.findall(r"^([a-z0-9-]+):", (REPO / "statements" / "organisations.yaml")
                                 .read_text("utf-8"), re.M))
LANGUAGES = ("en", "en", "ar", "ur", "fa", "th", "my", "km", "hi", "ne", "bn", "si", "ta", "zh",
             "zh-Hant", "ja", "ko", "ru", "kk", "id")
TYPES = ("statement", "joint-statement", "press-release", "open-letter")

# --- words ----------------------------------------------------------------------------------


def _words_of(path: Path) -> list[str]:
    body = path.read_text("utf-8").split("\n---\n", 1)[-1]
    body = re.sub(r"\[\^[^\]]*\]:?|[<>*_`#\[\]()]", " ", body)
    return [w for w in body.split() if len(w) <= 30]


PLAIN = ("the", "authorities", "must", "release", "all", "detainees", "and", "respect",
         "freedom", "of", "expression", "Kazakhstan’s", "“fire", "without", "warning”", "–",
         "FORUM-ASIA", "2022", "UN", "rights", "defenders,", "protest.", "(ICCPR)", "e.g.")
SCRIPT_WORDS = tuple(sorted({w for p in sorted((TESTS / "fixtures" / "scripts").glob("*.md"))
                             for w in _words_of(p)}))
# Text every format has its own markup for: each must print as written.
LOOKALIKES = ("$5", "$10 and $20", "#panic()", '#read("pyproject.toml")', "]]>", "<w:p>",
              "</w:t>", "<![CDATA[x", "<script>alert(1)</script>", "&amp;", "&#0;", "{{ page }}",
              "{% raw %}", "\\", "%", "@", "~~no~~", "<b>", "\u202eevil", "a\u200db", "co\u00adop",
              "x^2", "->", "1. not a list", "+ not either", "'quoted'", '"double"')
# Characters the formats do not agree on, or no font has; check must refuse each.
HOSTILE = ("\x00", "\ufeff", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85",
           "\u2028", "\u2029", "\ufffe", "\uffff", "\ufdd0", "\ue000", "\U0001f600", "\u0378",
           "\U00020000", "a\u0651", "\u0666\u06e1", "\u1680", "\U000e0001")
URLS = ("https://www.example.org/report", "http://example.org/a%20b", "mailto:media@example.org",
        "https://example.org/search?q=rights&page=2", "www.example.org/no-scheme",
        "javascript:alert(1)", "https://exa mple.org", "https:///nohost")

GOOD_URLS = URLS[:4]
# Letters and marks of the scripts the fonts cover, at random: Latin, Greek, Cyrillic, Hebrew,
# Arabic, Devanagari, Bengali, Tamil, Sinhala, Thai, Myanmar, Khmer, Hangul, CJK.
SCRIPT_RANGES = ((0x41, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x5D0, 0x5EA),
                 (0x621, 0x64A), (0x905, 0x939), (0x985, 0x9B9), (0xB85, 0xBB9), (0xD85, 0xDC6),
                 (0xE01, 0xE30), (0x1000, 0x102A), (0x1780, 0x17B3), (0xAC00, 0xD7A3),
                 (0x4E00, 0x9FFF))


def _alphabet(low: int, high: int) -> str:
    chars = "".join(chr(c) for c in range(low, high + 1)
                    if unicodedata.category(chr(c))[0] in "LM")
    return "".join(c for c in chars if not unshowable([c], "en"))


ALPHABETS = tuple(_alphabet(*r) for r in SCRIPT_RANGES)
script_letters = st.sampled_from(ALPHABETS).flatmap(
    lambda letters: st.text(st.sampled_from(letters), min_size=1, max_size=8))
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=6)
long_word = st.builds(lambda n, c: c * n, st.integers(30, 80), st.sampled_from("xW中กم"))
long_url = st.integers(10, 1_100).map(lambda n: "https://www.example.org/" + "abc/" * n)
# Within the limits: a word of up to 50 characters, a link of up to 2,000.
fitting_word = st.one_of(
    st.builds(lambda n, c: c * n, st.integers(20, 48), st.sampled_from("xWé")),
    st.integers(2, 12).map(lambda n: "-".join(["Menschenrechts"] * n)))
fitting_url = st.one_of(st.sampled_from(GOOD_URLS), st.sampled_from(GOOD_URLS),
                        st.integers(1, 490).map(lambda n: "https://www.example.org/" + "abc/" * n))


def words(hostile: bool) -> st.SearchStrategy[str]:
    """A word: of real statements and of every script, markup of other formats; `hostile`
    adds all of Unicode, characters check must refuse, and runs past the limits."""
    fair = [st.sampled_from(PLAIN)] * 6 + [st.sampled_from(SCRIPT_WORDS)] * 3 + [
        st.sampled_from(LOOKALIKES), script_letters, fitting_word, fitting_url]
    if hostile:
        fair += [unicode_text, st.sampled_from(HOSTILE), long_word, long_url,
                 st.sampled_from(URLS)]
    return st.one_of(*fair)


def sentences(hostile: bool) -> st.SearchStrategy[str]:
    return st.lists(words(hostile), min_size=1, max_size=8).map(" ".join)


sentence = sentences(hostile=True)


def _safe(text: str) -> str:
    """Words without Markdown structure of their own (for link text and headings)."""
    return re.sub(r"[\[\]\n]", " ", text)


# --- inlines --------------------------------------------------------------------------------


@st.composite
def inline(draw, footnotes: int = 0, hostile: bool = True) -> str:
    """A run of text with emphasis, bold, links and code nested up to 20 deep (25 when
    `hostile`: the limit is 20), and footnote markers [^1]..[^footnotes]."""
    sentence = sentences(hostile)
    text = draw(sentence)
    depths = (0, 0, 0, 1, 2, 3, 8, 19, 20) + ((21, 25) if hostile else ())
    linked = False
    for _ in range(draw(st.sampled_from(depths))):
        kind = draw(st.sampled_from(("*", "**", "*", "**", "link", "code")))
        if kind == "link" and not linked:
            linked = not hostile  # a link inside a link is no link: only when hostile
            text = f"[{_safe(text)}]({draw(st.sampled_from(URLS if hostile else GOOD_URLS))})"
        elif kind == "code":
            text = f"`{draw(sentence).replace('`', '')}` {text}"
        else:
            text = f"{'**' if kind == 'link' else kind}{text}{'**' if kind == 'link' else kind}"
        if draw(st.booleans()):
            text = f"{draw(sentence)} {text} {draw(sentence)}"
    if footnotes:
        for _ in range(draw(st.integers(0, 2))):
            text += f"[^{draw(st.integers(1, footnotes))}] " + draw(sentence)
    if draw(st.integers(0, 9)) == 0:
        text += "\\\n" + draw(sentence)  # a hard line break
    return text


# --- blocks ---------------------------------------------------------------------------------


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = prefix if first is None else first
    return "\n".join([head + lines[0], *[(prefix + line).rstrip() if line else prefix.rstrip()
                                         for line in lines[1:]]])


@st.composite
def block(draw, depth: int = 0, footnotes: int = 0, max_depth: int = 8,
          hostile: bool = True, headings: bool = True) -> str:
    """One block of Markdown, holding quotes and lists nested up to `max_depth` deep; when
    `hostile`, sometimes an empty heading or list item."""
    kinds = ["para", "para", "para", "list", "quote", "code", "heading"]
    kinds = kinds if headings else kinds[:-1]
    kind = draw(st.sampled_from(kinds if depth < max_depth else kinds[:4]))
    if kind == "para":
        return draw(inline(footnotes, hostile))
    if kind == "heading":
        hashes = "#" * draw(st.integers(1, 6))
        if hostile and draw(st.integers(0, 4)) == 0:
            return hashes  # "###": a heading with no words
        return f"{hashes} {_safe(draw(inline(footnotes, hostile)))}"
    if kind == "code":
        return "```\n" + draw(sentences(hostile)).replace("`", "'") + "\n```"
    if kind == "quote":
        inner = draw(blocks(depth + 1, footnotes, max_depth, 2, hostile, headings))
        return _indent(inner, "> ")
    ordered = draw(st.booleans())
    items = []
    for n in range(draw(st.integers(1, 3))):
        marker = f"{n + 1}. " if ordered else "- "
        if hostile and draw(st.integers(0, 4)) == 0:
            items.append(marker.rstrip())  # an empty item
            continue
        item = draw(blocks(depth + 1, footnotes, max_depth, 2, hostile, headings))
        items.append(_indent(item, " " * len(marker), marker).rstrip())
    return "\n".join(items)


@st.composite
def blocks(draw, depth: int = 0, footnotes: int = 0, max_depth: int = 8,
           max_size: int = 5, hostile: bool = True, headings: bool = True) -> str:
    return "\n\n".join(draw(st.lists(block(depth, footnotes, max_depth, hostile, headings),
                                     min_size=1, max_size=max_size)))


@st.composite
def footnote(draw, number: int, hostile: bool = True) -> str:
    """A definition: a line, or several blocks (lists, quotes); when `hostile`, sometimes
    nothing at all or a heading, which check refuses."""
    shapes = ("line", "line", "line", "blocks") + (("empty", "heading") if hostile else ())
    shape = draw(st.sampled_from(shapes))
    if shape == "empty":
        return f"[^{number}]:"
    head = f"[^{number}]: {draw(inline(hostile=hostile))}"
    if shape == "line":
        return head
    rest = "## A heading" if shape == "heading" else draw(
        blocks(max_depth=3, max_size=2, hostile=hostile, headings=False))
    return head + "\n\n" + _indent(rest, "    ")


@st.composite
def body(draw, hostile: bool = True) -> str:
    """A statement body: blocks citing footnotes (inside lists and quotes too), then the
    footnotes; when `hostile`, now and then quotes or lists nested far past the limits."""
    notes = draw(st.integers(0, 4))
    text = draw(blocks(footnotes=notes, max_depth=10 if hostile else 8, hostile=hostile))
    if hostile and draw(st.integers(0, 5)) == 0:
        depth = draw(st.integers(6, 14))
        text += "\n\n" + draw(st.sampled_from(("> ", "- ", "1. "))) * depth + draw(inline())
    uncited = "".join(f"[^{n}]" for n in range(1, notes + 1) if f"[^{n}]" not in text)
    if uncited:
        text += f"\n\nSee{uncited}."
    definitions = [draw(footnote(n, hostile)) for n in range(1, notes + 1)]
    return text + ("\n\n" + "\n\n".join(definitions) if definitions else "") + "\n"


# --- front matter ---------------------------------------------------------------------------


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar: what YAML cannot hold as it is (controls,
    surrogates, quotes) is escaped, so any string at all reaches the loader."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (
                0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


surrogate = st.integers(0xD800, 0xDFFF).map(chr)


def field_texts(hostile: bool) -> st.SearchStrategy[str]:
    """A field's text; when `hostile`, with a lone surrogate or any characters at all."""
    fair = sentences(hostile=False).map(lambda t: t[:100])
    if not hostile:
        return fair
    return st.one_of(fair, sentence, st.tuples(sentence, surrogate, sentence).map("".join),
                     st.text(st.characters(), min_size=1, max_size=12))


@st.composite
def front_matter(draw, record_id: str = RECORD_ID, hostile: bool = True) -> str:
    field_text = field_texts(hostile)
    lines = [f"id: {record_id}", f"type: {draw(st.sampled_from(TYPES))}",
             f"title: {yaml_string(draw(field_text))}", "date: 2024-06-01"]
    if draw(st.booleans()):
        lines.append(f"place: {yaml_string(draw(field_text))}")
    lines.append(f"language: {draw(st.sampled_from(LANGUAGES))}")
    for key in ("countries", "topics"):
        if draw(st.booleans()):
            items = draw(st.lists(field_text, min_size=1, max_size=3))
            lines.append(f"{key}: [{', '.join(map(yaml_string, items))}]")
    lines.append(f"issued_by: {draw(st.sampled_from(ORGANISATIONS))}")
    endorsers = draw(st.lists(st.sampled_from(ORGANISATIONS), max_size=5, unique=True))
    if endorsers:
        lines.append(f"endorsers: [{', '.join(endorsers)}]")
    if draw(st.booleans()):
        label = yaml_string(draw(field_text))
        email = draw(st.sampled_from(("null", "media@example.org")))
        lines.append(f"contacts:\n  - {{label: {label}, email: {email}}}")
    lines.append(f"state: {draw(st.sampled_from(('private', 'pending', 'published')))}")
    return "\n".join(lines) + "\n"


@st.composite
def records(draw, record_id: str = RECORD_ID) -> str:
    """The text of a whole record, written to `statements/<record_id>.md`: half of them
    from what statements hold (most of those pass check), half hostile as well."""
    hostile = draw(st.booleans())
    return (f"---\n{draw(front_matter(record_id, hostile))}---\n"
            f"{draw(body(hostile))}")


# --- seeded mutations of real records ---------------------------------------------------------


def record_id(text: str) -> str:
    """The id a record's text gives itself (its file is statements/<id>.md)."""
    found = re.search(r"^id: *\"?([^\"\n]+)", text, re.M)
    return found.group(1).strip() if found else RECORD_ID


def _bases() -> list[str]:
    sample = REPO / "statements" / "2022-02-10-kazakhstan-crackdown.md"
    scripts = sorted((TESTS / "fixtures" / "scripts").glob("*.md"))
    return [p.read_text("utf-8") for p in [sample, *scripts]]


def _mutate_body(rng: random.Random, body: str) -> str:
    paragraphs = body.split("\n\n")
    at = rng.randrange(len(paragraphs))
    target = paragraphs[at]
    kind = rng.randrange(12)
    if kind == 0:  # a character the formats disagree on, anywhere
        pos = rng.randrange(len(target) + 1)
        target = target[:pos] + rng.choice(HOSTILE) + target[pos:]
    elif kind == 1:  # quotes or lists nested deep
        target = rng.choice(("> ", "- ", "1. ")) * rng.randint(2, 40) + target
    elif kind == 2:  # emphasis nested deep
        marks = [rng.choice(("*", "**")) for _ in range(rng.randint(2, 1_000))]
        target = "".join(marks) + "x" + "".join(reversed(marks)) + " " + target
    elif kind == 3:  # a long word or address
        run = rng.choice((lambda n: "x" * n, lambda n: "https://example.org/" + "a" * n))
        target += " " + run(rng.choice((40, 60, 2_100, 40_000)))
    elif kind == 4:  # an empty heading, item or note, or a heading in a note
        target = rng.choice(("###", "- ", "Text[^zz].\n\n[^zz]:", "Text[^zy].\n\n[^zy]: x\n\n"
                             "    ## Heading")) + "\n\n" + target
    elif kind == 5:  # markup of some format
        target += " " + " ".join(rng.sample(LOOKALIKES, 3))
    elif kind == 6:  # text of another script
        target += " " + " ".join(rng.sample(SCRIPT_WORDS, 6))
    elif kind == 7:  # many paragraphs
        paragraphs[at:at] = [target] * rng.choice((10, 2_500))
    elif kind == 8:  # many footnotes
        n = rng.choice((5, 1_200))
        target += "".join(f" c[^m{i}]" for i in range(n)) + "\n\n" + "\n".join(
            f"[^m{i}]: <https://example.org/{i}>" for i in range(n))
    elif kind == 9:  # a cut
        target = target[:rng.randrange(len(target) + 1)]
    elif kind == 10:  # unicode at random
        target += " " + "".join(chr(rng.randrange(0x20, 0x30000)) for _ in range(8)
                                ).encode("utf-8", "replace").decode("utf-8", "replace")
    else:  # a footnote cited inside a list and a quote
        target = f"- item[^q{at}]\n\n> quoted[^q{at}]\n\n[^q{at}]: note\n\n" + target
    paragraphs[at] = target
    return "\n\n".join(paragraphs)


def _mutate_front(rng: random.Random, front: str) -> str:
    lines = front.split("\n")
    kind = rng.randrange(5)
    if kind == 0:  # a title with an escape YAML turns into anything, surrogates included
        char = rng.choice((*HOSTILE, "\ud800", "\udfff"))
        title = "Title " + char + " here"
        lines = [f"title: {yaml_string(title)}" if line.startswith("title:") else line
                 for line in lines]
    elif kind == 1:  # a very long field
        lines = [f"place: {'Bangkok ' * rng.choice((10, 100, 5_000))}"
                 if line.startswith("place:") else line for line in lines]
    elif kind == 2:  # nesting YAML past its limit
        depth = rng.choice((5, 30, 10_000))
        lines = [line for line in lines if not line.startswith("topics:")]
        lines.append("topics: " + "[" * depth + "x" + "]" * depth)
    elif kind == 3:  # another language, another script's fonts
        lines = [f"language: {rng.choice(LANGUAGES)}" if line.startswith("language:") else line
                 for line in lines]
    else:  # a control character in a value, through a YAML escape
        place = yaml_string("Bangkok" + rng.choice(HOSTILE))
        lines = [line for line in lines if not line.startswith("place:")]
        lines.insert(1, f"place: {place}")
    return "\n".join(lines)


def mutated_records(seed: int, n: int) -> Iterator[str]:
    """`n` record texts, each a real record with one to three mutations, the same for the
    same `seed`; record i has the id `mutated-<seed>-<i>`."""
    rng = random.Random(seed)
    bases = _bases()
    for i in range(n):
        text = rng.choice(bases)
        _, front, body = text.split("---\n", 2)
        front = re.sub(r"^id: .*$", f"id: mutated-{seed}-{i}", front, count=1, flags=re.M)
        for _ in range(rng.randint(1, 3)):
            if rng.randrange(4) == 0:
                front = _mutate_front(rng, front)
            else:
                body = _mutate_body(rng, body)
        yield f"---\n{front}---\n{body}"
