"""Imported by the fork server of an import's worker processes, and by nothing else: the
importer's parsers are loaded and their patterns built (CLDR's month names of every language,
the language model, the main-content extractor) once, in the server, so that each worker
forked from it starts ready instead of spending its first second on them."""

from __future__ import annotations

from .write import read_one

_NAMES = ("Pressroom", "Pressroom")
_TEXT = """Statement: a text to warm the parsers on

(Geneva, 4 March 2021) – The parsers of the import are made ready on this text, which is
never written anywhere. It has a dateline, a paragraph and a list of endorsers.

Signed by:
1. A first organisation
2. A second organisation
"""
_PAGE = f"""<html><head><title>A page to warm the parsers on</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>A page to warm the parsers on</h1>
{"".join(f"<p>{line}</p>" for line in _TEXT.splitlines()[2:] if line)}</article>
<footer>Share</footer></body></html>"""

read_one(_TEXT.encode("utf-8"), "warm.txt", _NAMES)
read_one(_PAGE.encode("utf-8"), "warm.html", _NAMES)
