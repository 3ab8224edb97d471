"""The offline search: an index built with the pages, and a small script that reads it.

`search-index.json` holds, for each public statement, its title, date, countries, topics,
endorsers and full text; `search.js` (from templates/archive/) fetches it from the same
folder when the reader first searches, and matches in the browser. No request leaves the
site.
"""

from __future__ import annotations

import json

from ..model import block_texts
from ..render import common
from ..render.scripts import script_for
from .entries import Entry
from .pages import asset, listed

INDEX = "search-index.json"
SCRIPT = "search.js"


def search_index(entries: list[Entry]) -> bytes:
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
            "date_text": common.long_date(s),
            "kind": s.type.label,
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
