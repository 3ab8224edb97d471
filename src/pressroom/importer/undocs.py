"""A statement NGOs submit to a UN body, as the UN's document prints it and a PDF-to-text
export keeps it: the document symbol ("A/HRC/55/NGO/187") and "Distr.: General" masthead,
the session and agenda item, "Joint written statement submitted by A, B, C,
non-governmental organizations in special consultative status", the Secretary-General's
note on its circulation, the date of receipt in brackets, the title, then the text, with
the symbol and the job number ("GE.24-01936(E)") at every page break.

`un_statement(text)` reads that shape, or gives None for any other text: the masthead,
circulation note and page furniture are cut (and said), the date of receipt is a date line,
wrapped lines are joined into paragraphs, and the organisations that submitted it are
returned apart: they are the statement's endorsers, the first its issuer.
"""

from __future__ import annotations

import re

from .hyphens import join_broken
from .sources import Line, escape, normalise_space

_SYMBOL = re.compile(r"^[A-Z]{1,2}(?:/[A-Z0-9.]+){2,6}(?:\*)?$")  # A/HRC/55/NGO/187
_DISTRIBUTION = re.compile(r"\bDistr\.?:\s*(?:General|Limited|Restricted)\b")
_JOB = re.compile(r"^GE\.\d{2}-\d{4,6}\s*\([A-Z]\)(?:\s*\*\d+\*)?$")  # GE.24-01936(E)
_SUBMITTED = re.compile(r"^(?:joint\s+)?(?:written|oral)\s+statement\s+submitted\s+by\s+"
                        r"(?P<by>.+)$", re.IGNORECASE)
_STATUS = re.compile(r",?\s*(?:an?\s+)?non-governmental organi[sz]ations?\s+(?:in|on)\s+"
                     r"(?:general|special)?\s*consultative\s+status.*$|,?\s*(?:an?\s+)?"
                     r"non-governmental organi[sz]ations?\s+on\s+the\s+roster.*$",
                     re.IGNORECASE)
_CIRCULATED = re.compile(r"^The Secretary-General has received the following", re.IGNORECASE)
_RECEIVED = re.compile(r"^\[(?P<date>[^\[\]]{6,40})\]$")
_MASTHEAD = "the UN document's masthead (symbol, distribution, session, agenda item)"


def un_statement(text: str) -> tuple[list[Line], list[tuple[int, str, str]], list[Line]] | None:
    """(lines, cut, submitters) of a UN NGO statement's text export, or None."""
    split = text.replace("\f", "\n").split("\n")
    if not any(_SYMBOL.match(t) for t in _first_lines(split, 3)):
        return None  # (told from its first lines, before every line is made plain)
    raw = [(n, normalise_space(line)) for n, line in enumerate(split, 1)]
    head = [t for _, t in raw[:40] if t]
    if not (head and any(_SYMBOL.match(t) for t in head[:3]) and any(
            _DISTRIBUTION.search(t) for t in head[:12])):
        return None
    paragraphs = _paragraphs(raw)
    symbol = next(t for t in head[:3] if _SYMBOL.match(t))
    cut: list[tuple[int, str, str]] = []
    at = next((i for i, p in enumerate(paragraphs) if _SUBMITTED.match(p[0][1])), None)
    if at is None:
        return None
    for para in paragraphs[:at]:
        cut.extend((n, t, _MASTHEAD) for n, t in para)
    first_line = paragraphs[at][0][0]
    submitters = [Line(first_line, name, escape(name))
                  for name in _names(_SUBMITTED.match(_joined(paragraphs[at])).group("by"))]
    cut.extend((n, t, "the organisations that submitted it (kept as endorsers, the first "
                "as issuer)") for n, t in paragraphs[at])
    lines: list[Line] = []
    for para in paragraphs[at + 1:]:
        kept = []
        for n, t in para:
            if t == symbol or _SYMBOL.match(t) or _JOB.match(t):
                cut.append((n, t, "the UN document's symbol or job number at a page break"))
            else:
                kept.append((n, t))
        if not kept:
            continue
        joined = _joined(kept)
        if _CIRCULATED.match(joined):
            cut.extend((n, t, "the UN's note on how the statement is circulated")
                       for n, t in kept)
            continue
        received = _RECEIVED.match(joined)
        if received:
            joined = received.group("date")  # the date of receipt: a date line
        lines.append(Line(kept[0][0], joined, escape(joined)))
    return lines, cut, submitters


def _first_lines(lines: list[str], n: int) -> list[str]:
    """The first `n` lines that are not blank, made plain, among the first 40."""
    found = []
    for line in lines[:40]:
        plain = normalise_space(line)
        if plain:
            found.append(plain)
            if len(found) == n:
                break
    return found


def _paragraphs(raw: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines; a page's furniture alone on its lines is a run of its own."""
    out: list[list[tuple[int, str]]] = [[]]
    for n, t in raw:
        if not t:
            if out[-1]:
                out.append([])
            continue
        if _JOB.match(t) or _SYMBOL.match(t):
            if out[-1]:
                out.append([])
            out[-1].append((n, t))
            out.append([])
            continue
        out[-1].append((n, t))
    return [p for p in out if p]


def _joined(para: list[tuple[int, str]]) -> str:
    text = ""
    for _, t in para:
        # A hyphen at a line's end is dropped only when it broke a word ("human-rights"
        # and "self-determination" keep theirs): the same rule as every other text's.
        text = join_broken(text, t) if text and not text.endswith(" -") else (
            f"{text} {t}" if text else t)
    return text


def _names(by: str) -> list[str]:
    """"A (ACR), B (BCR), C, non-governmental organizations in special consultative
    status" -> ["A (ACR)", "B (BCR)", "C"]."""
    text = _STATUS.sub("", by).strip(" ,.")
    pieces = re.split(r",\s*(?:and\s+)?", text)
    return [p.strip(" ,.") for p in pieces if p.strip(" ,.")]
