"""Which characters the PDF's fonts can show, known before anything is rendered.

The archival PDF refuses a character no font has (PDF/A forbids the empty box typst would
draw), so `check` asks here first. Each font file's character map (its `cmap` table) is read
once per machine: reading the 298 Noto faces Debian installs takes 1.4-2.7 s, so each file's
coverage (its faces' families and merged code point ranges) is kept in a small file under
the user's cache folder, keyed by the font file's path, size and modification time, and a
process loads all of them in milliseconds (a damaged or missing one is read again from the
font). A character is
showable when some face has it, as typst falls back through every font it was given. A
letter with combining marks (a cluster) is shaped with one font; when none of the record's
own families has the whole cluster, typst itself is asked, once for all such clusters.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import struct
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .scripts import script_for

# Only these folders, never system or typst's bundled fonts: the same fonts on every machine
# give the same bytes, and a character they lack is an error rather than a silent fallback.
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
FALLBACK_FONTS = ("Noto Serif", "Noto Serif CJK SC")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties): shapers hide these when a
# font lacks them (joiners, direction marks, variation selectors, the soft hyphen).
_IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
              (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
              (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
              (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF))


def _ignorable(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _IGNORABLE)


@cache  # asked for every character of every record: the answers are few
def needs_glyph(char: str) -> bool:
    """Whether the PDF must draw `char`: not for what limits.py refuses before fonts are asked
    (controls, surrogates, separators, noncharacters), nor for the hidden characters."""
    code = ord(char)
    return (unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp")
            and not _ignorable(code) and (code & 0xFFFE) != 0xFFFE
            and not 0xFDD0 <= code <= 0xFDEF)


# Latin letters, digits, punctuation, dashes and quotes: every face of Noto Serif (one of the
# fallback families of every record) has them all, so text made only of them is showable
# without reading any font file; most records, pressroom.toml and the directory are.
_COMMON = re.compile("[\t\n\r\x20-\x7e\xa0-\u024f\u2010-\u2027\u2030-\u205e\u20ac]*")


# --- reading character maps ---------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    family: str
    ranges: tuple[tuple[int, int], ...]  # sorted, inclusive

    def has(self, code: int) -> bool:
        i = bisect.bisect_right(self.ranges, (code, 0x110000)) - 1
        return i >= 0 and self.ranges[i][0] <= code <= self.ranges[i][1]


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from(">H", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from(">I", data, at)[0]


def read_faces(path: Path) -> list[Face]:
    """The faces of one font file (a collection has several), or [] if it cannot be read."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if head[:4] == b"ttcf":
                count = _u32(head, 8)
                offsets = struct.unpack(f">{count}I", f.read(4 * count))
            else:
                offsets = (0,)
            faces = []
            for offset in offsets:
                f.seek(offset)
                directory = f.read(12)
                n = _u16(directory, 4)
                records = f.read(16 * n)
                tables = {records[i * 16:i * 16 + 4]: (_u32(records, i * 16 + 8),
                                                       _u32(records, i * 16 + 12))
                          for i in range(n)}
                family = _family(_table(f, tables, b"name"))
                ranges = _merged(_cmap(_table(f, tables, b"cmap")))
                if family and ranges:
                    faces.append(Face(family, ranges))
            return faces
    except (OSError, struct.error, IndexError, ValueError):
        return []  # not a font we can read: typst will not use it either


def _table(f, tables: dict[bytes, tuple[int, int]], tag: bytes) -> bytes:
    if tag not in tables:
        return b""
    offset, length = tables[tag]
    f.seek(offset)
    return f.read(length)


def _family(data: bytes) -> str | None:
    """The typographic family (name 16), else the family (name 1), as Windows names it."""
    if not data:
        return None
    count, strings = _u16(data, 2), _u16(data, 4)
    found: dict[int, str] = {}
    for i in range(count):
        platform, _enc, lang, name_id, length, offset = struct.unpack_from(
            ">6H", data, 6 + 12 * i)
        if name_id in (1, 16) and platform == 3 and lang == 0x409:
            raw = data[strings + offset:strings + offset + length]
            found[name_id] = raw.decode("utf-16-be", "replace")
    return found.get(16) or found.get(1)


def _cmap(data: bytes) -> list[tuple[int, int]]:
    if not data:
        return []
    subtables = {}
    for i in range(_u16(data, 2)):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subtables[(platform, encoding)] = offset
    for key in ((3, 10), (0, 6), (0, 4)):
        if key in subtables and _u16(data, subtables[key]) == 12:
            return _format12(data, subtables[key])
    for key in ((3, 1), (0, 3), (0, 4), (3, 10)):
        if key in subtables and _u16(data, subtables[key]) == 4:
            return _format4(data, subtables[key])
    return []


def _format12(data: bytes, at: int) -> list[tuple[int, int]]:
    out = []
    for i in range(_u32(data, at + 12)):
        start, end, glyph = struct.unpack_from(">3I", data, at + 16 + 12 * i)
        start += glyph == 0  # a group starting at glyph 0 maps its first code to nothing
        if start <= end:
            out.append((start, end))
    return out


def _format4(data: bytes, at: int) -> list[tuple[int, int]]:
    segments = _u16(data, at + 6) // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    offsets_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, offsets_at)
    out: list[tuple[int, int]] = []
    for i in range(segments):
        start, end, delta, offset = starts[i], ends[i], deltas[i], offsets[i]
        if start == 0xFFFF:
            continue
        if offset == 0:  # glyph = code + delta; only the code that wraps to 0 is missing
            zero = -delta & 0xFFFF
            out.extend(r for r in ((start, min(end, zero - 1)), (max(start, zero + 1), end))
                       if r[0] <= r[1])
            continue
        base = offsets_at + 2 * i + offset
        for code in range(start, end + 1):
            pos = base + 2 * (code - start)
            glyph = _u16(data, pos) if pos + 2 <= len(data) else 0
            if glyph and (glyph + delta) & 0xFFFF:
                if out and out[-1][1] == code - 1:
                    out[-1] = (out[-1][0], code)
                else:
                    out.append((code, code))
    return sorted(out)


def _merged(ranges: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted ranges with overlapping and adjacent ones joined: the same code points, in a
    fifth as many ranges for the Noto faces (a cmap splits ranges wherever glyph ids jump)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


# --- the coverage kept per font file --------------------------------------------------------

COVERAGE_FORMAT = 1  # bumped whenever what read_faces finds in a font could change


def coverage_dir() -> Path | None:
    """Where each font file's coverage is kept (`usercache`: ~/.cache/pressroom/glyphs by
    default). A machine's fonts, not a site's: nothing here is needed."""
    from ..usercache import cache_dir

    return cache_dir("glyphs")


def _coverage_key(path: Path) -> str | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    what = f"{COVERAGE_FORMAT}\0{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}"
    return hashlib.sha256(what.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def _load_coverage(file: Path) -> list[Face] | None:
    try:
        data = json.loads(file.read_bytes())
        return [Face(str(family), tuple(zip(flat[::2], flat[1::2], strict=True)))
                for family, flat in data["faces"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: read from the font again


def _store_coverage(folder: Path, file: Path, found: list[Face]) -> None:
    data = json.dumps({"faces": [[f.family, [c for r in f.ranges for c in r]] for f in found]},
                      ensure_ascii=False, separators=(",", ":"))
    tmp = folder / f".{file.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, file)  # whole or not at all; another process may write the same
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()  # a read-only cache folder: read the font next time too


def font_faces(path: Path, cache_dir: Path | None = None) -> list[Face]:
    """The faces of one font file, from its kept coverage when the file is unchanged."""
    key = _coverage_key(path)
    if key is None:
        return []
    folder = cache_dir or coverage_dir()
    if folder is None:  # PRESSROOM_NO_CACHE: read from the font, keep nothing
        return read_faces(path)
    file = folder / f"{key}.json"
    found = _load_coverage(file)
    if found is None:
        found = read_faces(path)
        _store_coverage(folder, file, found)
    return found


def _font_files(font_dirs: tuple[Path, ...]) -> list[Path]:
    return [path for directory in font_dirs if directory.is_dir()
            for path in sorted(directory.rglob("*")) if path.suffix.lower() in FONT_SUFFIXES]


@cache
def faces(font_dirs: tuple[Path, ...] = FONT_DIRS) -> tuple[Face, ...]:
    """Every face in `font_dirs`, read once per process (see the module: from each font
    file's kept coverage)."""
    folder = coverage_dir()
    return tuple(face for path in _font_files(font_dirs) for face in font_faces(path, folder))


@cache
def _union(font_dirs: tuple[Path, ...]) -> tuple[tuple[int, int], ...]:
    """Every code point some face has: kept too, keyed by every font file's key."""
    keys = [_coverage_key(path) or "" for path in _font_files(font_dirs)]
    folder = coverage_dir()
    if folder is None:
        return _merged(r for face in faces(font_dirs) for r in face.ranges)
    file = folder / f"union-{hashlib.sha256(' '.join(keys).encode()).hexdigest()[:40]}.json"
    kept = _load_coverage(file)
    if kept is not None and len(kept) == 1:
        return kept[0].ranges
    union = _merged(r for face in faces(font_dirs) for r in face.ranges)
    _store_coverage(folder, file, [Face("", union)])
    return union


# --- what a record cannot show -----------------------------------------------------------------


def _clusters(text: str) -> Iterable[str]:
    """Letters with their combining marks (two characters or more), hidden ones left out."""
    cluster = ""
    for char in text:
        if not needs_glyph(char):
            continue
        if cluster and unicodedata.category(char)[0] == "M":
            cluster += char
            continue
        if len(cluster) > 1:
            yield cluster
        cluster = char
    if len(cluster) > 1:
        yield cluster


def unshowable(texts: Iterable[str], language: str,
               font_dirs: tuple[Path, ...] = FONT_DIRS) -> list[str]:
    """The characters, and letters with marks, of `texts` that the PDF cannot show with the
    fonts in `font_dirs` for a record in `language`; [] when no fonts are installed (the PDF
    renderer then says to install them)."""
    texts = [t for t in texts if not _COMMON.fullmatch(t)]
    if not texts or not faces(font_dirs):
        return []
    union = Face("", _union(font_dirs))
    missing: dict[str, None] = {}
    for char in sorted(set().union(*map(set, texts)) if texts else ()):
        if needs_glyph(char) and not union.has(ord(char)):
            missing[char] = None
    own = {script_for(language).font, *FALLBACK_FONTS}
    own_faces = [f for f in faces(font_dirs) if f.family in own]
    clusters = {cluster for text in texts for cluster in _clusters(text)}
    doubtful = sorted(
        cluster for cluster in clusters
        if not any(c in missing for c in cluster)
        and not any(all(f.has(ord(c)) for c in cluster) for f in own_faces))
    if doubtful:
        missing.update(dict.fromkeys(_typst_refuses(doubtful, language, font_dirs)))
    return list(missing)


# --- asking typst, for clusters no family of the record has whole -------------------------------

_PROBE = """#let d = json(bytes(sys.inputs.probe))
#set text(font: d.fonts, lang: d.lang, hyphenate: false)
#for t in d.texts { par(t) }
"""
_probe_lock = threading.Lock()


@cache
def _probe_compiler(font_dirs: tuple[Path, ...]):
    import typst  # only here: checking a record otherwise never loads the PDF engine

    folder = Path(tempfile.mkdtemp(prefix="pressroom-glyphs-"))
    template = folder / "probe.typ"
    template.write_text(_PROBE, encoding="utf-8")
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(p) for p in font_dirs if p.is_dir()])
    return typst, typst.Compiler(str(template), root=str(folder), font_paths=fonts)


def _typst_refuses(clusters: list[str], language: str,
                   font_dirs: tuple[Path, ...]) -> list[str]:
    """The clusters typst cannot draw, halving the list until each failure is found."""
    typst, compiler = _probe_compiler(font_dirs)
    fonts = list(dict.fromkeys([script_for(language).font, *FALLBACK_FONTS]))
    lang = re.split(r"[-_]", language)[0].lower() or "en"

    def draws(group: list[str]) -> bool:
        probe = json.dumps({"fonts": fonts, "lang": lang, "texts": group}, ensure_ascii=False)
        try:
            with _probe_lock:
                compiler.compile(format="pdf", sys_inputs={"probe": probe},
                                 pdf_standards=["a-2u"],  # refuses a missing glyph
                                 timestamp=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        except typst.TypstError:
            return False
        return True

    refused: list[str] = []
    pending = [clusters]
    while pending:
        group = pending.pop()
        if draws(group):
            continue
        if len(group) == 1:
            refused.extend(group)
        else:
            pending += [group[len(group) // 2:], group[:len(group) // 2]]
    return sorted(refused)
