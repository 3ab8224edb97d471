"""Font faces with their true weights, for the PDF, where a script's files misreport theirs.

Noto Serif Myanmar's Regular and Bold files both say weight 400 (fontconfig: 80), so typst
cannot tell them apart and sets a bold title with the Regular file. For each script whose
faces scripts.py names, this writes copies of its two files that say 400 and 700, under a
family name of their own (`family()`) so that typst sees nothing to choose between: the
template asks for that family first. Glyphs, metrics and PostScript names are the files'
own; the head table's date is kept, so the same fonts give the same copies and PDFs.

The copies are kept in the user's cache folder (see usercache.py), made again when a font
file changes; without a cache folder, in a temporary folder for the process.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .glyphs import FONT_DIRS
from .scripts import SCRIPTS, Script

SUFFIX = "Weighted"
_FORMAT = 1  # of the copies: a change to how they are made names a new cache folder
_lock = threading.Lock()
_made: dict[tuple[str, ...], Path | None] = {}


def family(script: Script) -> str | None:
    """The family name of the script's copies with true weights, or None when its files
    need none."""
    return f"{script.font} {SUFFIX}" if script.faces else None


def weighted_dir(font_dirs: tuple[Path, ...] = FONT_DIRS) -> Path | None:
    """The folder of copies for every script that needs them (made once per process), or
    None when no such font is installed."""
    key = tuple(str(p) for p in font_dirs)
    with _lock:
        if key not in _made:
            _made[key] = _make(font_dirs)
        return _made[key]


def _make(font_dirs: tuple[Path, ...]) -> Path | None:
    sources = []
    for script in SCRIPTS.values():
        if script.faces:
            for weight, name in zip((400, 700), script.faces, strict=True):
                path = _file_named(name, font_dirs)
                if path is not None:
                    sources.append((script, weight, path))
    if not sources:
        return None
    digest = hashlib.sha256(f"{_FORMAT}\0{SUFFIX}\0".encode())
    for _, weight, path in sources:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{weight}\0".encode())
    from ..usercache import cache_dir

    base = cache_dir("fonts-weighted")
    folder = base / digest.hexdigest()[:16] if base is not None else None
    if folder is not None and all((folder / p.name).is_file() for _, _, p in sources):
        return folder
    try:
        if folder is None:
            raise OSError("no cache folder")
        folder.mkdir(parents=True, exist_ok=True)
        _write(sources, folder)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="pressroom-fonts-"))
        atexit.register(shutil.rmtree, folder, True)
        _write(sources, folder)
    return folder


def _write(sources: list[tuple[Script, int, Path]], folder: Path) -> None:
    from fontTools.ttLib import TTFont

    for script, weight, path in sources:
        target = folder / path.name
        if target.is_file():
            continue
        with TTFont(str(path), recalcTimestamp=False, lazy=True) as font:
            font["OS/2"].usWeightClass = weight
            names = font["name"]
            new_family = family(script)
            style = "Bold" if weight == 700 else "Regular"
            for record in list(names.names):
                if record.nameID in (1, 16):
                    names.setName(new_family, record.nameID, record.platformID,
                                  record.platEncID, record.langID)
                elif record.nameID == 4:
                    names.setName(f"{new_family} {style}", 4, record.platformID,
                                  record.platEncID, record.langID)
            partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
            font.save(str(partial))
        partial.replace(target)  # whole or not at all: other workers may read or write it


def _file_named(full_name: str, font_dirs: tuple[Path, ...]) -> Path | None:
    """The font file whose face has this full name: Noto's files are named for it
    ('Noto Serif Myanmar Bold' -> NotoSerifMyanmar-Bold.ttf)."""
    words = full_name.split()
    stem = f"{''.join(words[:-1])}-{words[-1]}"
    for folder in font_dirs:
        for suffix in (".ttf", ".otf"):
            path = folder / f"{stem}{suffix}"
            if path.is_file():
                return path
    return None
