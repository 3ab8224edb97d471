"""Finding and reading the files an import is given, without being led out of them.

A folder from an old web archive is not to be trusted: it may hold symbolic links to files
elsewhere on the machine (a link to a system file would become a record), named pipes that
block whoever opens them, sockets and devices. So nothing is followed or opened blindly: each
entry is looked at with lstat first, only regular files are opened, with O_NOFOLLOW and
O_NONBLOCK, and the file opened must be the one looked at. Whatever is not taken is named,
with the reason, in the report.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportRefused
from .sources import SUFFIXES

# The longest statements in the archive are a few hundred kilobytes, and a saved page a few
# times its text; a bigger file is the wrong file (a database dump, a video), and would make a
# record over records.MAX_RECORD_BYTES anyway. Refused before it is read.
MAX_SOURCE_BYTES = 10 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass
class Sources:
    """What `find_sources` found: files to read, and those it did not take."""

    files: list[Path] = field(default_factory=list)
    refused: list[ImportRefused] = field(default_factory=list)
    # Links inside the folder to files of the same folder: harmless, and not taken twice.
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def find_sources(paths: Sequence[Path]) -> Sources:
    """The files to import from `paths`: each file given, and in each folder given every
    .txt, .html and .htm file (recursively, hidden ones left out), sorted. No symbolic link
    is followed, whether given or found."""
    found = Sources()
    for given in paths:
        path = Path(given)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            found.refused.append(ImportRefused(shown(path), "no such file or folder"))
            continue
        except OSError as exc:
            found.refused.append(ImportRefused(shown(path), _cannot(exc)))
            continue
        if stat.S_ISLNK(st.st_mode):
            found.refused.append(ImportRefused(shown(path), (
                f"a symbolic link (to {_target(path)}); links are not followed: give the path "
                "it points to, if that is what you mean to import")))
        elif stat.S_ISDIR(st.st_mode):
            _walk(path, found)
        elif stat.S_ISREG(st.st_mode):
            found.files.append(path)
        else:
            found.refused.append(ImportRefused(shown(path), _not_regular(st.st_mode)))
    return found


def _walk(top: Path, found: Sources) -> None:
    files: list[Path] = []
    folders = [top]  # a stack, not recursion: an archive may nest deeper than Python does
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            found.refused.append(ImportRefused(shown(folder), f"folder {_cannot(exc)}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # .git, editors' backups, a saved page's hidden files
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                found.refused.append(ImportRefused(shown(path), _cannot(exc)))
                continue
            takes = path.suffix.lower() in SUFFIXES
            if stat.S_ISDIR(mode):
                folders.append(path)
            elif stat.S_ISREG(mode):
                if takes:
                    files.append(path)
            elif stat.S_ISLNK(mode):
                if takes or _points_to_folder(path):
                    _link(path, top, found)
                # A link to an image or a style sheet of a saved page is no statement.
            else:
                found.refused.append(ImportRefused(shown(path), _not_regular(mode)))
    found.files.extend(sorted(files))


def _link(path: Path, top: Path, found: Sources) -> None:
    target = _target(path)
    try:
        inside = path.resolve(strict=True).is_relative_to(top.resolve())
    except (OSError, RuntimeError):  # dangling, or a loop
        inside = False
    if inside:
        found.skipped.append((path, f"a symbolic link to {target}, inside the folder; links "
                                    "are not followed: the file it points to is imported "
                                    "by its own name"))
    else:
        found.refused.append(ImportRefused(shown(path), (
            f"a symbolic link to {target}, outside the folder given; links are not "
            "followed: import that file by its own path if it belongs in the site")))


def read_source(path: Path) -> bytes:
    """The bytes of one source file; `ImportRefused` for anything but a readable regular
    file of at most MAX_SOURCE_BYTES. Never blocks: a named pipe is never opened."""
    name = shown(path)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise ImportRefused(name, _cannot(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ImportRefused(name, _not_regular(st.st_mode))
    if st.st_size > MAX_SOURCE_BYTES:
        raise ImportRefused(name, f"the file is {st.st_size:,} bytes; files over "
                            f"{MAX_SOURCE_BYTES:,} bytes ({mb(MAX_SOURCE_BYTES)}) are not "
                            "imported: is this the right file?")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ImportRefused(name, _cannot(exc)) from None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(
                opened.st_mode):
            raise ImportRefused(name, "the file was replaced while it was being read; "
                                "run the import again")
        chunks, size = [], 0
        while size <= MAX_SOURCE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_SOURCE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ImportRefused(name, _cannot(exc)) from None
    finally:
        os.close(fd)
    if size > MAX_SOURCE_BYTES:  # it grew after the size check
        raise ImportRefused(name, f"the file is over {MAX_SOURCE_BYTES:,} bytes "
                            f"({mb(MAX_SOURCE_BYTES)}); not imported")
    return b"".join(chunks)


def shown(path: Path | str) -> str:
    """A path as the report prints it: bytes that are not UTF-8 as `\\xff`, control and
    direction-changing characters escaped, so that a file's name can neither break the
    one-problem-a-line report nor make the terminal show another name."""
    text = os.fsdecode(path)
    if text.isprintable() and text.isascii():
        return text
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(_escaped(c) if unicodedata.category(c) in _UNSHOWN or c in _BIDI else c
                   for c in raw)


# Control characters and line or paragraph separators; joiners (U+200D, in Indic and Persian
# names) and spaces are shown as they are.
_UNSHOWN = frozenset(("Cc", "Zl", "Zp", "Cs", "Co", "Cn"))


# Characters that reorder what follows them on screen ("\u202e" shows "txt.exe" as "exe.txt").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                  "\u2066\u2067\u2068\u2069")


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def _not_regular(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISLNK(mode):
        kind = "a symbolic link"
    elif stat.S_ISDIR(mode):
        kind = "a folder"
    else:
        kind = "a special file"
    return f"{kind}, not a regular file; not opened: import text or HTML files"


def _cannot(exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, PermissionError):
        return f"cannot be read ({reason}): ask for read access, or copy it somewhere readable"
    return f"cannot be read ({reason})"


def _target(path: Path) -> str:
    try:
        return repr(os.readlink(path))
    except OSError:
        return "an unreadable target"


def _points_to_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"
