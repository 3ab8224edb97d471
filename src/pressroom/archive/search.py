"""The offline search: an index built with the pages, and a small script that reads it.

`search-index.json` holds, for each public statement, its title, date, countries, topics,
endorsers and full text; `search.js` (from templates/archive/) fetches it from the same
folder when the reader first searches, and matches in the browser. No request leaves the
site.
"""

from __future__ import annotations

import json

from .. import wording
from ..model import block_texts
from ..render.scripts import script_for
from .entries import Entry
from .pages import asset, listed

INDEX = "search-index.json"
SCRIPT = "search.js"


def search_index(entries: list[Entry], words: wording.Wording) -> bytes:
    """`words`: the site's (pages.site_words), for each statement's date and kind."""
    statements = []
    for entry in listed(entries):
        s = entry.statement
        text = block_texts(s.body.blocks) + [t for f in s.footnotes
                                             for t in block_texts(f.children)]
        statements.append({
            "id": s.id,
            "url": entry.page,
            "title": s.title,
            "date": s.date.isoformat(),
            "date_text": wording.long_date(words, s.date),
            "kind": words.text(s.type.label),
            "lang": s.language,
            "dir": script_for(s.language).direction,
            "countries": list(s.countries),
            "topics": list(s.topics),
            "endorsers": [o.name for o in entry.document.endorsers],
            "text": "\n".join(" ".join(t.split()) for t in text),
        })
    data = {"version": 1, "statements": statements}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def search_script(site) -> bytes:
    return asset(site.templates_dir, f"archive/{SCRIPT}")
