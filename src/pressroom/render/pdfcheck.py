"""Checks on a rendered PDF: missing glyphs (glyph 0) and unembedded fonts.

typst does not warn when no font has a character: it draws glyph 0 (.notdef, an empty box).
`notdef_glyphs` finds every such glyph by reading the text-showing operators of each content
stream against the font in use, so the renderer can refuse the PDF and the tests can prove it.
Also used by the tests to read which characters each embedded font shows.
"""

from __future__ import annotations

import codecs
import functools
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from ..errors import RenderError

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class Run:
    """One string shown by a text operator: the page, the font and its glyph codes."""

    page: int  # 1-based
    font: str  # BaseFont, subset tag included
    codes: tuple[int, ...]
    text: str  # through the font's ToUnicode map; "" for codes it does not map
    actual_text: str | None  # the /ActualText of the enclosing marked content, if any


@dataclass(frozen=True)
class Notdef:
    page: int
    font: str
    context: str  # what the surrounding run reads as, to find the spot in the record
    actual_text: str | None


class _Font:
    def __init__(self, font: DictionaryObject, name: str, two_byte: bool,
                 cid_to_gid: bytes | None, checkable: bool):
        self.font = font
        self.name = name
        self.two_byte = two_byte  # Type0 with a 2-byte CMap (Identity-H/V): codes are CIDs
        self.cid_to_gid = cid_to_gid  # None: identity
        self.checkable = checkable  # Type3 fonts have no glyph 0 to draw

    @functools.cached_property
    def to_unicode(self) -> dict[int, str]:
        """Read only when text is wanted: the glyph-0 check does without it."""
        return _to_unicode(self.font)

    def codes(self, raw: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        return list(raw)

    def glyph_id(self, code: int) -> int:
        if self.cid_to_gid is None:
            return code
        pair = self.cid_to_gid[2 * code : 2 * code + 2]
        return int.from_bytes(pair, "big") if len(pair) == 2 else 0

    def draws_glyph_zero(self, raw: bytes) -> bool:
        if not self.checkable:
            return False
        if self.two_byte and self.cid_to_gid is None:
            # Identity: glyph 0 is the code 0x0000 at an even offset; find it at C speed.
            at = raw.find(b"\0\0")
            while at != -1:
                if at % 2 == 0:
                    return True
                at = raw.find(b"\0\0", at + 1)
            return False
        return any(self.glyph_id(c) == 0 for c in self.codes(raw))


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_runs(pdf: bytes | PdfReader) -> Iterator[Run]:
    """Every string shown on every page (forms included), in content-stream order."""
    doc = pdf if isinstance(pdf, PdfReader) else reader(pdf)
    fonts: dict[str, _Font] = {}
    for number, page in enumerate(doc.pages, 1):
        yield from _runs(page.get_contents(), page.get("/Resources"), number, fonts)


def notdef_glyphs(pdf: bytes | PdfReader) -> list[Notdef]:
    """Every glyph 0 drawn in the PDF: a character no font in use has."""
    doc = pdf if isinstance(pdf, PdfReader) else reader(pdf)
    fonts: dict[str, _Font] = {}
    hits: list[Notdef] = []
    for number, page in enumerate(doc.pages, 1):
        for font, raw, actual in _text_ops(page.get_contents(), page.get("/Resources"),
                                           set(), fonts):
            if font.draws_glyph_zero(raw):
                context = "".join(font.to_unicode.get(c, "") for c in font.codes(raw))
                hits.append(Notdef(number, font.name, context, actual))
    return hits


def missing_glyph_error(pdf: bytes, where: str, known: str = "") -> RenderError | None:
    """A RenderError naming the characters drawn as glyph 0 (plus `known` ones already named
    elsewhere), with the page and surrounding text of any it cannot name; None if none."""
    hits = notdef_glyphs(pdf) if pdf else []
    if not hits and not known:
        return None
    chars = "".join(dict.fromkeys(known + "".join(h.actual_text or "" for h in hits)))
    # typst's PDF writer gives the first glyph 0 of each font no text (later ones carry an
    # /ActualText): say where that one is.
    unnamed = [f"page {h.page} near “{h.context.strip()}”" for h in hits if not h.actual_text]
    what = describe_chars(chars) if chars else "a character"
    places = f" (an empty box at {'; '.join(dict.fromkeys(unnamed))})" if unnamed else ""
    return RenderError(
        f"{where}: no installed font has {what}{places}. Remove or replace it in the record."
    )


def describe_chars(chars: str) -> str:
    """'U+0E01 THAI CHARACTER KO KAI'-style names for staff, one per distinct character."""
    unnamed = {"Co": "a private-use character", "Cn": "an unassigned code point"}
    names = []
    for ch in dict.fromkeys(chars):
        category = unicodedata.category(ch)
        name = unicodedata.name(ch, unnamed.get(category, "an unnamed character"))
        names.append(f"U+{ord(ch):04X} ({name})")
    return ", ".join(names)


def unembedded_fonts(pdf: bytes | PdfReader) -> list[str]:
    """BaseFont of every font (on any page) whose program is not in the file."""
    doc = pdf if isinstance(pdf, PdfReader) else reader(pdf)
    missing: list[str] = []
    seen: set[int] = set()
    for page in doc.pages:
        for font in _page_fonts(page.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs are drawn by content streams in the file
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor")
                            for d in font.get("/DescendantFonts", [])]
            embedded = any(
                d is not None and any(k in d.get_object() for k in FONT_FILES)
                for d in descriptors
            )
            if not embedded:
                missing.append(str(font.get("/BaseFont")))
    return missing


# --- content stream walking -------------------------------------------------------------


def _page_fonts(resources, seen: set[int]) -> Iterator[DictionaryObject]:
    """Fonts of a resource dictionary and of the forms it holds, each once."""
    if resources is None:
        return
    resources = resources.get_object()
    for ref in (resources.get("/Font") or {}).values():
        key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
        if key not in seen:
            seen.add(key)
            yield ref.get_object()
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        key = ref.idnum if isinstance(ref, IndirectObject) else id(xobject)
        if xobject.get("/Subtype") == "/Form" and ("x", key) not in seen:
            seen.add(("x", key))  # type: ignore[arg-type]
            yield from _page_fonts(xobject.get("/Resources"), seen)


def _runs(contents, resources, page: int, fonts: dict[str, _Font]) -> Iterator[Run]:
    for font, raw, actual in _text_ops(contents, resources, set(), fonts):
        codes = tuple(font.codes(raw))
        text = "".join(font.to_unicode.get(c, "") for c in codes)
        yield Run(page, font.name, codes, text, actual)


def _text_ops(contents, resources, forms: set[int], fonts: dict[str, _Font]
              ) -> Iterator[tuple[_Font, bytes, str | None]]:
    """(font, the shown bytes, the enclosing /ActualText) for each text-showing operator."""
    if contents is None:
        return
    resources = resources.get_object() if resources is not None else DictionaryObject()
    font_dict = (resources.get("/Font") or DictionaryObject()).get_object()
    current: _Font | None = None
    actual: list[str | None] = []
    for operands, operator in _operations(_stream_bytes(contents)):
        if operator == b"Tf" and operands:
            ref = font_dict.get(operands[-1])
            current = _load_font(ref, fonts) if ref is not None else None
        elif operator in (b"BDC", b"BMC"):
            props = operands[-1] if operator == b"BDC" and operands else None
            text = None
            if isinstance(props, dict) and isinstance(props.get("/ActualText"), bytes):
                text = _pdf_text(props["/ActualText"])
            actual.append(text if text is not None else (actual[-1] if actual else None))
        elif operator == b"EMC":
            if actual:
                actual.pop()
        elif operator in (b"Tj", b"TJ", b"'", b'"') and current is not None and operands:
            last = operands[-1]
            items = [s for s in last if isinstance(s, bytes)] if isinstance(last, list) else [last]
            raw = b"".join(s for s in items if isinstance(s, bytes))
            yield current, raw, actual[-1] if actual else None
        elif operator == b"Do" and operands:
            xobject = (resources.get("/XObject") or {}).get(operands[-1])
            if xobject is None:
                continue
            key = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
            form = xobject.get_object()
            if form.get("/Subtype") == "/Form" and key not in forms:
                forms.add(key)
                yield from _text_ops(form, form.get("/Resources"), forms, fonts)


def _stream_bytes(contents) -> bytes:
    if isinstance(contents, ArrayObject):
        return b"\n".join(part.get_object().get_data() for part in contents)
    return contents.get_object().get_data()


def _pdf_text(raw: bytes) -> str:
    """A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding (as Latin-1)."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


# A small content-stream tokenizer: pypdf's ContentStream takes about 40 ms on the sample
# statement and the check runs on every render. Numbers, whitespace and the operators no check
# needs are skipped inside the regex engine, so Python sees only strings, names and the text,
# marked-content and form operators. Skipped operators leave their operands on the stack:
# every check reads its operator's LAST operand, which is always its own.
_TOKEN = re.compile(
    rb"""(?P<str>\((?:[^\\()]|\\[\s\S])*\))
    |(?P<lit>\()
    |(?P<dopen><<)|(?P<dclose>>>)
    |(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
    |(?P<aopen>\[)|(?P<aclose>\])
    |(?P<name>/[^\x00\t\n\x0c\r /\[\]()<>{}%]*)
    |(?P<comment>%[^\r\n]*)
    |(?P<op>(?<![A-Za-z0-9*'"])(?:Tf|Tj|TJ|'|"|BDC|BMC|EMC|Do|BI)(?![A-Za-z0-9*'"]))""",
    re.X,
)
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
            ord("f"): b"\f", ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}
_END_OF_IMAGE = re.compile(rb"\sEI(?=\s|$)")


def _operations(data: bytes) -> Iterator[tuple[list[Any], bytes]]:
    """(operands, operator) pairs; operands leave out numbers; strings come out as their raw
    bytes, names as str, arrays as lists and dictionaries as dicts (see `_as_dict`)."""
    stack: list[list[Any]] = [[]]
    pos, end = 0, len(data)
    while pos < end:
        match = _TOKEN.search(data, pos)
        if match is None:
            break
        kind = match.lastgroup
        pos = match.end()
        if kind == "str":  # a literal string without nested parentheses: the usual case
            body = match.group()[1:-1]
            stack[-1].append(_unescape(body) if b"\\" in body else body)
        elif kind == "op":
            operator = match.group()
            if operator == b"BI":  # an inline image: skip its binary data
                found = _END_OF_IMAGE.search(data, pos)
                pos = found.end() if found else end
            else:
                yield stack[0], operator
            stack = [[]]
        elif kind == "name":
            stack[-1].append(match.group().decode("latin-1"))
        elif kind == "lit":
            value, pos = _literal(data, pos)
            stack[-1].append(value)
        elif kind == "hex":
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", match.group()[1:-1])
            stack[-1].append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif kind in ("aopen", "dopen"):
            stack.append([])
        elif kind == "aclose" and len(stack) > 1:
            items = stack.pop()
            stack[-1].append(items)
        elif kind == "dclose" and len(stack) > 1:
            items = stack.pop()
            stack[-1].append(_as_dict(items))


def _as_dict(items: list[Any]) -> dict[str, Any]:
    """A dictionary's string, array and dictionary values by key. Numbers were skipped, so a
    name followed by a name is not read as key and value."""
    return {
        key: value
        for key, value in itertools.pairwise(items)
        if isinstance(key, str) and not isinstance(value, str)
    }


# Every escape a literal string can hold, decoded once: a dict lookup per piece is about ten
# times faster than a regex callback, and typst writes every glyph code as two octal escapes.
_PIECE = re.compile(rb"\\(?:[0-7]{1,3}|\r\n|[\s\S])|[^\\]+")
_UNESCAPED: dict[bytes, bytes] = {
    **{b"\\" + bytes([c]): _ESCAPES.get(c, bytes([c])) for c in range(256)},
    **{b"\\" + f"{n:o}".zfill(w).encode(): bytes([n & 0xFF])
       for w in (1, 2, 3) for n in range(8**w)},
    b"\\\r\n": b"", b"\\\r": b"", b"\\\n": b"",  # line continuations
}


# Escapes that mean the same in Python's bytes literals as in PDF strings: three-digit octal
# up to \\377 and \\n \\r \\t \\b \\f \\\\. A string holding only these is decoded in C.
_NOT_PYTHON_ESCAPE = re.compile(rb"\\(?![0-3][0-7][0-7]|[nrtbf\\])")


def _unescape(body: bytes) -> bytes:
    if _NOT_PYTHON_ESCAPE.search(body) is None:
        return codecs.escape_decode(body)[0]  # type: ignore[attr-defined]
    return b"".join([_UNESCAPED.get(piece, piece) for piece in _PIECE.findall(body)])


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string from just after its "(": nested parentheses and escapes."""
    out = bytearray()
    depth = 1
    end = len(data)
    while pos < end:
        byte = data[pos]
        pos += 1
        if byte == 0x5C:  # backslash
            if pos >= end:
                break
            nxt = data[pos]
            if 0x30 <= nxt <= 0x37:
                digits = data[pos : pos + 3]
                count = 1
                while count < len(digits) and 0x30 <= digits[count] <= 0x37:
                    count += 1
                out.append(int(digits[:count], 8) & 0xFF)
                pos += count
            elif nxt in (0x0A, 0x0D):  # a line continuation
                pos += 2 if data[pos : pos + 2] == b"\r\n" else 1
            else:
                out += _ESCAPES.get(nxt, bytes([nxt]))
                pos += 1
        elif byte == 0x28:
            depth += 1
            out.append(byte)
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), pos
            out.append(byte)
        else:
            out.append(byte)
    return bytes(out), pos


def _load_font(ref, cache: dict[str, _Font]) -> _Font:
    font = ref.get_object()
    key = str(ref.idnum) if isinstance(ref, IndirectObject) else str(id(font))
    if key in cache:
        return cache[key]
    subtype = font.get("/Subtype")
    name = str(font.get("/BaseFont", "?"))
    two_byte = subtype == "/Type0" and str(font.get("/Encoding")) in ("/Identity-H", "/Identity-V")
    cid_to_gid = None
    if subtype == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        mapping = descendant.get("/CIDToGIDMap")
        if mapping is not None and not isinstance(mapping, NameObject):
            cid_to_gid = mapping.get_object().get_data()
    loaded = _Font(font, name, two_byte, cid_to_gid, subtype != "/Type3")
    cache[key] = loaded
    return loaded


def _to_unicode(font) -> dict[int, str]:
    """The font's ToUnicode CMap (bfchar and bfrange entries) as code -> text."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    out: dict[int, str] = {}
    section = None
    for line in stream.get_object().get_data().decode("latin-1").splitlines():
        words = line.split()
        if not words:
            continue
        if words[-1] in ("beginbfchar", "beginbfrange"):
            section = words[-1]
            continue
        if words[0] in ("endbfchar", "endbfrange"):
            section = None
            continue
        if section == "beginbfchar" and len(words) >= 2:
            out[_hex(words[0])] = _utf16(words[1])
        elif section == "beginbfrange" and len(words) >= 3 and words[2].startswith("<"):
            start, end, first = _hex(words[0]), _hex(words[1]), _hex(words[2])
            for offset in range(end - start + 1):
                out[start + offset] = chr(first + offset)
    return out


def _hex(token: str) -> int:
    return int(token.strip("<>"), 16)


def _utf16(token: str) -> str:
    return bytes.fromhex(token.strip("<>")).decode("utf-16-be", "replace")
