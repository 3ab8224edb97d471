"""The names in an endorser list, in every form archives print them.

One name a line (bullets, "1." "1)" "1.Name", "၁။", or nothing), names separated by <br>,
or all on one line: separated by ";", "、", "|", " - " or ",". The separator is the
strongest one the line holds, so a name with a comma of its own ("Families of the
Disappeared, Kilinochchi") survives in a list separated by semicolons.
"""

from __future__ import annotations

import re

from .sources import Line, escape
from .structure import BULLET, strip_bullet

# Strongest first: a list split by semicolons may hold commas inside its names.
_SEPARATORS = (re.compile(r"\s*[;；]\s*"), re.compile(r"\s*、\s*"), re.compile(r"\s+\|\s+"),
               re.compile(r"\s+[-–—]\s+"), re.compile(r"\s*[,，]\s*"))
_TRAILING = " ,;.。、；|"


def endorser_names(lines: list[Line]) -> list[Line]:
    """Each name of the list, with the line it is on."""
    listed = [strip_bullet(line) for line in lines]
    if len(listed) == 1 or (listed and all(not BULLET.match(line.text) for line in lines)
                            and any(_separated(line.text) for line in listed)):
        out: list[Line] = []
        for line in listed:
            out.extend(_split(line))
        return [n for n in out if n.text]
    out = []
    for line in listed:
        pieces = _split(line, strong_only=True)
        out.extend(pieces)
    return [n for n in out if n.text]


def _separated(text: str) -> bool:
    return any(len(sep.split(text)) >= 3 for sep in _SEPARATORS[:4])


def _split(line: Line, strong_only: bool = False) -> list[Line]:
    text = line.text.strip(_TRAILING)
    separators = _SEPARATORS[:2] if strong_only else _SEPARATORS
    for sep in separators:
        pieces = [p.strip(_TRAILING) for p in sep.split(text)]
        if len([p for p in pieces if p]) >= 2:
            if sep is _SEPARATORS[-1] and not _comma_list(pieces):
                continue
            return [Line(line.number, p, escape(p)) for p in pieces if p]
    return [Line(line.number, text, escape(text))]


def _comma_list(pieces: list[str]) -> bool:
    """Commas separate names, not a name from its country: most pieces are names of their
    own (several words, or an acronym)."""
    return len(pieces) >= 3 or all(len(p.split()) >= 2 or p.isupper() for p in pieces)
