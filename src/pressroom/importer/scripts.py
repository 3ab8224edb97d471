"""Which writing system a text's letters are in, by Unicode's names for them ("THAI
CHARACTER KO KAI", "ARABIC LETTER ALEF"): what the importer asks of a line to tell a
version in another language, a script that breaks only between phrases, or the comma a
name's script writes."""

from __future__ import annotations

import unicodedata

# Written without spaces between words: lines break only between phrases.
PHRASED = ("THAI", "LAO", "MYANMAR", "KHMER")


def _scripts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in text:
        if c.isalpha():
            script = unicodedata.name(c, "").split(" ")[0]
            counts[script] = counts.get(script, 0) + 1
    return counts


def main_script(text: str) -> str | None:
    """The script most of `text`'s letters are in (LATIN, MYANMAR, ...), or None without
    letters."""
    counts = _scripts(text)
    return max(counts, key=counts.__getitem__) if counts else None


def share_of(text: str, scripts: tuple[str, ...]) -> float:
    """The share of `text`'s letters in `scripts` (0 without letters)."""
    counts = _scripts(text)
    total = sum(counts.values())
    return sum(counts.get(s, 0) for s in scripts) / total if total else 0.0
