"""Open a .docx from outside as what it may be: a hostile zip of hostile XML.

    package = open_docx(path)          # checks the zip's directory; reads nothing yet
    root = package.xml("word/document.xml")   # an lxml element, or None if the part is absent

Every refusal is a `ReviewFileError` naming the file and the part. The limits below are set
well above what a real review holds (a statement with 10,000 comments is read; see the
README's "Reviews"), and each is enforced on the bytes actually inflated, never on the sizes
the zip's headers claim, which an attacker writes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import ReviewFileError

# The file itself: a statement draft is tens of KB; pictures make a real one a few MB.
MAX_FILE_BYTES = 100 * 1024 * 1024
# Parts listed in the zip: Word writes about 15, pictures add one each.
MAX_PARTS = 5_000
# One XML part once inflated. 10,000 comments make a comments.xml of about 3 MB; lxml's tree
# costs about ten times its text, so this keeps one part under about 400 MB.
MAX_PART_BYTES = 40 * 1024 * 1024
# Everything this reader inflates from one file.
MAX_TOTAL_BYTES = 120 * 1024 * 1024
# Inflated over deflated. Word's XML deflates 5-20 times (10,000 generated comments: 20);
# deflate's ceiling, a bomb, is about 1,030.
MAX_RATIO = 250
# Small parts may compress far better than that (an empty header: 60 times); below this
# size a high ratio is harmless.
RATIO_FLOOR_BYTES = 1024 * 1024
# libxml2's own ceiling without XML_PARSE_HUGE (huge_tree=False), said here so that the
# message can say it.
MAX_DEPTH = 256
_CHUNK = 64 * 1024

REQUIRED = ("[Content_Types].xml", "word/document.xml")
# A DTD is where every entity attack starts (billion laughs, XXE); no part of a .docx has one.
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, remove_blank_text=False)


class Package:
    """The parts of one .docx, inflated and parsed only when asked for, each once."""

    def __init__(self, path: Path, archive: zipfile.ZipFile):
        self.path = path
        self._zip = archive
        self._infos = {i.filename: i for i in archive.infolist()}
        self._inflated = 0

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def refuse(self, reason: str, part: str | None = None) -> ReviewFileError:
        return ReviewFileError(str(self.path), reason, part)

    def read(self, name: str) -> bytes:
        """The part's bytes, inflated under the limits, counting what was inflated."""
        info = self._infos[name]
        if info.flag_bits & 0x1:
            raise self.refuse("the part is encrypted", name)
        if info.file_size > MAX_PART_BYTES:
            raise self.refuse(f"the part says it unpacks to {info.file_size:,} bytes, over "
                              f"the limit of {MAX_PART_BYTES:,}", name)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self._check(name, size, info.compress_size)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                NotImplementedError) as exc:
            raise self.refuse(f"the part is damaged ({exc})", name) from exc
        except RuntimeError as exc:  # zipfile's "password required", "compression method"
            raise self.refuse(f"the part cannot be unpacked ({exc})", name) from exc
        self._inflated += size
        return b"".join(chunks)

    def _check(self, name: str, size: int, packed: int) -> None:
        if size > MAX_PART_BYTES:
            raise self.refuse(f"the part unpacks to over {MAX_PART_BYTES:,} bytes "
                              "(a zip bomb, or not a review)", name)
        if self._inflated + size > MAX_TOTAL_BYTES:
            raise self.refuse(f"the file unpacks to over {MAX_TOTAL_BYTES:,} bytes in all "
                              "(a zip bomb, or not a review)", name)
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(packed, 1):
            raise self.refuse(f"the part unpacks to over {MAX_RATIO} times its packed size "
                              "(a zip bomb)", name)

    def xml(self, name: str) -> etree._Element | None:
        """The part parsed with entities, DTDs and the network off; None when absent."""
        if name not in self._infos:
            return None
        data = self.read(name)
        if _DOCTYPE.search(data[:4096] if not data.startswith((b"\xff\xfe", b"\xfe\xff"))
                           else data[:8192].decode("utf-16", "replace").encode()):
            raise self.refuse("the XML declares a DTD or entities, which no Word file "
                              "needs (an XML entity attack?)", name)
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            if "depth" in str(exc).lower():
                raise self.refuse(f"the XML is nested over {MAX_DEPTH} levels deep",
                                  name) from exc
            raise self.refuse(f"the XML is not well-formed ({exc})", name) from exc
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            # A DOCTYPE after a long prolog of comments escapes the scan above.
            raise self.refuse("the XML declares a DTD or entities, which no Word file "
                              "needs (an XML entity attack?)", name)
        return root

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_docx(source: str | Path | bytes, name: str | None = None) -> Package:
    """Open `source` (a path, or a file's bytes named `name` in messages) as a .docx: a zip
    of bounded size, without duplicate part names (which readers resolve differently: one
    reviewer's text shown, another's read), holding the parts every Word document has.
    Parts are inflated later, each under the limits."""
    if isinstance(source, bytes):
        path, size = Path(name or "the Word file"), len(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ReviewFileError(str(path), f"cannot be opened ({exc.strerror})") from exc
    if size > MAX_FILE_BYTES:
        raise ReviewFileError(str(path), f"the file is {size:,} bytes, over the limit of "
                              f"{MAX_FILE_BYTES:,} for a review")
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ReviewFileError(str(path), "not a Word file (.docx): it is not a zip "
                              "archive") from exc
    try:
        _check_directory(path, archive)
    except ReviewFileError:
        archive.close()
        raise
    return Package(path, archive)


def _check_directory(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise ReviewFileError(str(path), f"the zip lists {len(infos):,} parts, over the "
                              f"limit of {MAX_PARTS:,}")
    seen: dict[str, str] = {}
    for info in infos:
        # Part names compare without case in a package (ECMA-376 Part 2, 6.2.2.3).
        key = info.filename.lower()
        if key in seen:
            raise ReviewFileError(str(path), "the zip holds this part twice", info.filename)
        seen[key] = info.filename
    for name in REQUIRED:
        if name not in archive.NameToInfo:
            raise ReviewFileError(str(path), "a part every Word file has is missing (not a "
                                  "Word document, or damaged)", name)
