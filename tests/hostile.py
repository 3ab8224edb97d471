"""Hostile files for `pressroom import`: what bad luck and attackers leave in an archive.

Each generator takes a seed and a count and returns that many `(file name, bytes)` pairs,
the same ones for the same seed, so a failure can be replayed. A reliability suite can run
any number of them; `tests/test_cli.py` runs a few of each through the command line.
Names may hold what a file system allows and a terminal does not expect (newlines, bytes that
are not UTF-8, given as surrogate escapes as `os.fsdecode` gives them); write them with
`Path(folder, name).write_bytes(data)`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Files = list[tuple[str, bytes]]

STATEMENT = ("Kazakhstan: End the crackdown\n10 February 2022 - We, the undersigned "
             "organisations, call on the authorities to release everyone held.[1]\n"
             "[1] https://example.org/report\n")
# Under the importer's 10 MB limit for a file, over the record's 5 MB: the biggest inputs
# that are read at all.
_BIG = 6 * 1024 * 1024


def binary(seed: int, count: int) -> Files:
    """Random bytes, and real formats' headers (PDF, PNG, ZIP, ELF) under a text name."""
    rng = random.Random(seed)
    heads = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\x7fELF\x02\x01\x01"]
    out = []
    for i in range(count):
        size = rng.choice([1, 7, 4096, 65_536, 1_000_000])
        data = rng.choice(heads) + rng.randbytes(size) if i % 2 else rng.randbytes(size)
        out.append((f"binary-{i}.{rng.choice(['txt', 'html', 'htm'])}", data))
    return out


def huge_lines(seed: int, count: int) -> Files:
    """One line of megabytes: words, one unbroken word, brackets, markers, e-mail-like
    runs and dateline-like starts, in text and in HTML."""
    rng = random.Random(seed)
    pieces = [b"word ", b"a", b"[", b"[1]", b"x@", b"@", b"-", b"*", b"10 May 2022 ",
              b"About ", b"Endorsed by: ", b"http://", b"&amp;", b"<", b"\\", b"a    ", b"* "]
    out = []
    for i in range(count):
        piece = rng.choice(pieces)
        size = rng.choice([200_000, 1_000_000, _BIG])
        line = piece * (size // len(piece))
        if piece == b"a    ":
            line += b"\tb\tc"  # gaps, then tabs: what a reader of table rows must not retry
        if i % 2:
            out.append((f"huge-line-{i}.html",
                        b"<html><body><article><p>" + line + b"</p></article></body></html>"))
        else:
            out.append((f"huge-line-{i}.txt", STATEMENT.encode() + line + b"\n"))
    return out


def broken_encodings(seed: int, count: int) -> Files:
    """Text cut inside a UTF-8 or UTF-16 sequence, byte-order marks that lie, bytes that
    Windows-1252 does not define, UTF-32, and a page declaring a charset it is not in."""
    rng = random.Random(seed)
    text = STATEMENT.replace("undersigned", "undersigned\u2014\u00e9\u0938\u0924\u094d "
                             "\U0001f600")
    makers: list[Callable[[], bytes]] = [
        lambda: text.encode("utf-8")[: rng.randrange(1, 200)] + b"\xe2\x80",
        lambda: b"\xff\xfe" + text.encode("utf-16-le")[:-1],
        lambda: b"\xfe\xff" + text.encode("utf-8"),
        lambda: b"\xef\xbb\xbf" + text.encode("cp1252", "replace") + b"\x81\x8d\x8f\x90\x9d",
        lambda: text.encode("utf-32"),
        lambda: text.encode("utf-16-le")[1:],
        lambda: (b'<html><head><meta charset="shift_jis"></head><body><p>'
                 + text.encode("utf-8") + b"\xff\xfe\xfd</p></body></html>"),
        lambda: bytes(rng.choice([0xC0, 0xC1, 0xF5, 0xFF, 0xED]) for _ in range(300)),
    ]
    return [(f"encoding-{i}.{'html' if i % 3 == 0 else 'txt'}", makers[i % len(makers)]())
            for i in range(count)]


def deeply_nested(seed: int, count: int) -> Files:
    """HTML elements nested 256, 1,000, 2,047 and 100,000 deep (blocks, inline, lists,
    tables, unclosed), and text whose lines nest Markdown quotes, lists and brackets."""
    rng = random.Random(seed)
    tags = ["div", "span", "b", "em", "li", "ol", "table", "blockquote", "a", "sup"]
    out = []
    for i in range(count):
        depth = rng.choice([256, 1000, 2047, 100_000])
        if i % 3 == 2:
            mark = rng.choice(["> ", "- ", "1. ", "[", "*", "("])
            body = (mark * depth + "text").encode()
            out.append((f"nested-{i}.txt", STATEMENT.encode() + body + b"\n"))
            continue
        tag = rng.choice(tags)
        closing = f"</{tag}>" * depth if i % 2 else ""  # unclosed, as broken pages are
        page = (f"<html><body><article><p>10 May 2022 - We call for this.</p>"
                f"{f'<{tag}>' * depth}Deep text.{closing}<p>After.</p></article></body>"
                f"</html>")
        out.append((f"nested-{i}.html", page.encode()))
    return out


def zero_bytes(seed: int, count: int) -> Files:
    """Empty files, and files of only spaces, newlines or a byte-order mark."""
    rng = random.Random(seed)
    contents = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b" " * 10, b"\n" * 1000, b"\r\n\t "]
    return [(f"empty-{i}.{rng.choice(['txt', 'html'])}", contents[i % len(contents)])
            for i in range(count)]


def nul_bytes(seed: int, count: int) -> Files:
    """NUL bytes at the start, in the middle, past the first 4 KB, or alternating with
    ASCII as UTF-16 without a byte-order mark would."""
    rng = random.Random(seed)
    text = STATEMENT.encode()
    out = []
    for i in range(count):
        cut = rng.randrange(len(text))
        data = [
            b"\x00" + text,
            text[:cut] + b"\x00" + text[cut:],
            text + b"word " * 2000 + b"\x00\x00" + text,
            b"\x00".join(text[j:j + 1] for j in range(len(text))),
            b"<html><body><p>" + b"\x00" * 100 + b"</p></body></html>",
        ][i % 5]
        out.append((f"nul-{i}.{'html' if i % 5 == 4 else 'txt'}", data))
    return out


def lone_surrogates(seed: int, count: int) -> Files:
    """Surrogates that stand alone: as HTML character references, as UTF-8-encoded
    surrogates (which UTF-8 forbids), as backslash escapes, in UTF-16, and in file names."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        code = rng.randrange(0xD800, 0xE000)
        kind = i % 5
        if kind == 0:
            data = (f"<html><body><h1>T &#x{code:X};</h1><p>10 May 2022 - We &#{code}; "
                    f"call &#x110000; for &#0; this &#x1b;.</p></body></html>").encode()
            name = f"surrogate-{i}.html"
        elif kind == 1:
            data = STATEMENT.encode() + chr(code).encode("utf-8", "surrogatepass") + b"\n"
            name = f"surrogate-{i}.txt"
        elif kind == 2:
            data = STATEMENT.encode() + f"\\u{code:04x} \\x{code:x}\n".encode()
            name = f"surrogate-{i}.txt"
        elif kind == 3:
            data = b"\xff\xfe" + STATEMENT.encode("utf-16-le") + code.to_bytes(2, "little")
            name = f"surrogate-{i}.txt"
        else:
            data = STATEMENT.encode()
            # A name that is not UTF-8 on disk: os.fsdecode gives it as a surrogate escape.
            name = f"name-\udcff\udce9-{i}.txt"
        out.append((name, data))
    return out


def entity_bombs(seed: int, count: int) -> Files:
    """Entity expansion: a billion-laughs internal subset, megabytes of references, and
    references to entities that do not exist or to code points out of range."""
    rng = random.Random(seed)
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    out = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            page = (f'<!DOCTYPE html [<!ENTITY l0 "lol">{laughs}]><html><body><p>10 May 2022 '
                    f"- We call.</p><p>&l9;</p></body></html>")
        elif kind == 1:
            refs = rng.choice(["&amp;", "&nbsp;", "&#160;", "&#x1F600;", "&lt;"])
            page = f"<html><body><p>10 May 2022 - We call. {refs * 500_000}</p></body></html>"
        elif kind == 2:
            page = ("<html><body><p>10 May 2022 - We call. "
                    + "&nosuchentity;&#99999999999;&#x;&#;" * 20_000 + "</p></body></html>")
        else:
            page = ('<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd">'
                    '<!DOCTYPE y [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
                    "<html><body><p>10 May 2022 - We call &ext;.</p></body></html>")
        out.append((f"entities-{i}.html", page.encode()))
    return out


def odd_names(seed: int, count: int) -> Files:
    """A real statement under names a terminal does not expect: a newline, a leading dash,
    a name of 255 bytes, control characters, right-to-left marks."""
    rng = random.Random(seed)
    names = ["line\nbreak.txt", "-rf.txt", None, "tab\tbell\a.txt", "\u202etxt.exe.txt",
             "spaces   .html", "dots...txt"]
    out = []
    for i in range(count):
        prefix = f"odd-{i}-"
        name = names[i % len(names)] or "x" * (255 - len(prefix) - 4) + ".txt"  # the longest
        date = f"{rng.randrange(1, 28)} February"
        out.append((prefix + name, STATEMENT.replace("10 February", date).encode()))
    return out


def mail_archives(seed: int, count: int) -> Files:
    """Pages shaped as a mailing list's archived message (pipermail's markers) with
    megabytes of what its reader looks for: "<" with no ">", headings never closed, "&",
    the markers the wrong way round or nested."""
    rng = random.Random(seed)
    fills = ["<", "<h1>", "</h1><b>", "<!--", "&amp;", "<head>", "_" * 79 + "\n", "\n"]
    out = []
    for i in range(count):
        fill = rng.choice(fills) * (rng.choice([10_000, 1_000_000]) // 8)
        shape = i % 4
        if shape == 0:
            page = f"<html><body>{fill}<!--beginarticle--><pre>{STATEMENT}</pre><!--endarticle-->"
        elif shape == 1:
            page = f"<html><body><!--beginarticle--><pre>{STATEMENT}{fill}</pre><!--endarticle-->"
        elif shape == 2:
            page = f"<html><body><!--endarticle-->{fill}<!--beginarticle--><pre>{STATEMENT}"
        else:
            page = (f"<html><h1>[L] {fill}</h1><!--beginarticle--><!--beginarticle--><pre>"
                    f"{STATEMENT}</pre><!--endarticle-->{fill}<!--endarticle-->")
        out.append((f"mail-archive-{i}.html", page.encode()))
    return out


def wide_pages(seed: int, count: int) -> Files:
    """A PDF's text export (form feeds, page numbers) whose lines are runs of spaces between
    words and numbers, thousands of them with no blank line: what a reader of lists set in
    two columns must read once, not once a line."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        gap = " " * rng.choice([3, 40, 250])
        rows = "".join(f"{n}. a{gap}{n + 7}. b\n" if i % 2 else f"a{gap}b{gap}c\n"
                       for n in range(rng.choice([50, 4000])))
        page = f"{STATEMENT}\n{rows}\n- 1 -\f{STATEMENT}\n- 2 -\n"
        out.append((f"wide-pages-{i}.txt", page.encode()))
    return out


GENERATORS: dict[str, Callable[[int, int], Files]] = {
    "binary": binary,
    "huge_lines": huge_lines,
    "broken_encodings": broken_encodings,
    "deeply_nested": deeply_nested,
    "zero_bytes": zero_bytes,
    "nul_bytes": nul_bytes,
    "lone_surrogates": lone_surrogates,
    "entity_bombs": entity_bombs,
    "odd_names": odd_names,
    "mail_archives": mail_archives,
    "wide_pages": wide_pages,
}


def every_kind(seed: int, count: int) -> Files:
    """`count` files of every kind (each kind's names are its own)."""
    return [file for make in GENERATORS.values() for file in make(seed, count)]
