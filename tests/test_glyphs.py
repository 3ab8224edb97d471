"""The fonts' coverage kept per font file (render/glyphs.py): the same answers as reading
the fonts, read again whenever a font file or its kept coverage changes."""

from __future__ import annotations

import os
import shutil

import pytest

from pressroom.render import glyphs

FONTS = glyphs._font_files(glyphs.FONT_DIRS)
pytestmark = pytest.mark.skipif(not FONTS, reason="the Noto fonts are not installed")


def _font(name: str):
    return next(p for p in FONTS if p.name.startswith(name))


def test_kept_coverage_is_what_the_font_says(tmp_path, monkeypatch):
    font = _font("NotoSansMyanmar-Regular")
    read = glyphs.read_faces(font)
    assert read and glyphs.font_faces(font, tmp_path) == read
    assert len(list(tmp_path.glob("*.json"))) == 1

    def refused(path):
        raise AssertionError("the font was read again")

    monkeypatch.setattr(glyphs, "read_faces", refused)
    assert glyphs.font_faces(font, tmp_path) == read  # from the kept file


def test_merged_ranges_cover_the_same_code_points():
    ranges = [(5, 9), (1, 3), (4, 4), (20, 30), (25, 26), (31, 31), (40, 41)]
    merged = glyphs._merged(ranges)
    assert merged == ((1, 9), (20, 31), (40, 41))
    face, raw = glyphs.Face("x", merged), set()
    for lo, hi in ranges:
        raw.update(range(lo, hi + 1))
    assert {c for c in range(50) if face.has(c)} == raw


def test_a_damaged_or_stale_coverage_is_read_again(tmp_path):
    font = tmp_path / "font" / "NotoSansKhmer-Regular.ttf"
    font.parent.mkdir()
    shutil.copy2(_font("NotoSansKhmer-Regular"), font)
    kept = tmp_path / "kept"
    first = glyphs.font_faces(font, kept)
    (file,) = kept.glob("*.json")
    file.write_text('{"faces": [["Noto Sans Khmer", [1, 2, 3')  # cut short
    assert glyphs.font_faces(font, kept) == first
    file.write_text('{"faces": [["Wrong", [65, 90]]]}')  # a file whose key no longer holds
    info = font.stat()
    os.utime(font, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    assert glyphs.font_faces(font, kept) == first
    assert len(list(kept.glob("*.json"))) == 2


def test_unshowable_is_the_same_with_a_cold_and_a_warm_cache(tmp_path, monkeypatch):
    texts = ["မြန်မာ ဘာသာ", "ភាសាខ្មែរ", "中文 \U0001f600 \u0378"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    answers = []
    for _ in range(2):
        glyphs.faces.cache_clear()
        glyphs._union.cache_clear()
        answers.append(glyphs.unshowable(texts, "my"))
    glyphs.faces.cache_clear()
    glyphs._union.cache_clear()
    assert answers[0] == answers[1] and "\u0378" in answers[0]
    assert (tmp_path / "pressroom" / "glyphs").is_dir()



def test_with_no_cache_nothing_is_kept_and_the_answer_is_the_same(tmp_path, monkeypatch):
    texts = ["မြန်မာ ဘာသာ", "中文 \u0378"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    glyphs.faces.cache_clear()
    glyphs._union.cache_clear()
    kept = glyphs.unshowable(texts, "my")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    monkeypatch.setenv("PRESSROOM_NO_CACHE", "1")
    glyphs.faces.cache_clear()
    glyphs._union.cache_clear()
    assert glyphs.unshowable(texts, "my") == kept
    glyphs.faces.cache_clear()
    glyphs._union.cache_clear()
    assert not (tmp_path / "other").exists()
