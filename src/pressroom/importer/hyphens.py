"""A word broken at a line's end by a hyphen, as a PDF's text keeps it: joined again.

"short-" / "ages" is "shortages", but "undang-" / "undang" is "undang-undang" and "self-" /
"determination" is "self-determination": whether the hyphen is the line's or the word's is
told by wordfreq's word lists (which ship in its wheel): the two halves run together are a
word people write, so the hyphen was only the line's.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The Latin-script languages of the archive (a PDF's text of them breaks words with hyphens).
_LANGUAGES = ("en", "id", "ms", "fil", "vi", "fr", "es", "pt", "de", "nl")
_KNOWN = 2.5  # Zipf frequency: written about once in three million words, or more
_TAIL = re.compile(r"([^\W\d_]+)-$")
_HEAD = re.compile(r"^([^\W\d_]+)")


def join_broken(before: str, after: str) -> str:
    """`before` and the next line `after` as one text: a hyphen at the end of `before`
    dropped when it only broke a word, kept when it is the word's own."""
    if not (before.endswith("-") and after[:1].islower()):
        return f"{before} {after}"
    tail, head = _TAIL.search(before), _HEAD.match(after)
    if tail is not None and head is not None and _written(tail.group(1) + head.group(1)):
        return before[:-1] + after
    return before + after  # the word's own hyphen ("undang-undang", an address's)


@lru_cache(maxsize=4096)
def _written(word: str) -> bool:
    from wordfreq import zipf_frequency

    folded = word.casefold()
    return any(zipf_frequency(folded, lang) >= _KNOWN for lang in _LANGUAGES)
