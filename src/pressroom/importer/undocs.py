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
from dataclasses import dataclass

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


# --- a stakeholder submission to the Universal Periodic Review -------------------------

_UPR = re.compile(r"\bUniversal Periodic Review\b|\bUPR\b")
_SUBMITTED_BY = re.compile(r"^(?:Submitted|Presented|Prepared)\s+by\s*:$", re.IGNORECASE)
# The review's lines: "45th Session of the UPR Working Group", "Fourth Cycle, 51st Session".
_COVER_LINE = re.compile(r"^(?=.{0,120}$)(?:.*\b(?:\d+(?:st|nd|rd|th)\s+[Ss]ession|[A-Z][a-z]+"
                         r"(?:-[a-z]+)?\s+[Ss]ession|[Cc]ycle|UPR\s+Working\s+Group)\b.*"
                         r"|State under [Rr]eview\s*:.*|Word count\s*:.*|Country\s*:.*"
                         r"|(?:Joint\s+|Stakeholder\s+|NGO\s+)*Submission\b.*)$")
_COORDINATOR = re.compile(r"^(?:Coordinating|Lead)\s+organi[sz]ation\s*:\s*(?P<name>.{3,150})$",
                          re.IGNORECASE)
_SUBMITTED_ON = re.compile(r"^Date\s+of\s+submission\s*:\s*(?P<date>.{6,40})$", re.IGNORECASE)
_CARD = re.compile(r"^(?:E-?mail|Contact)\s*:\s*(?P<email>[^\s|,;]+@[^\s|,;]+)", re.IGNORECASE)
_RULE = re.compile(r"^[_=\-–—*]{10,}$")
_COVER = "the UPR submission's cover (its review, session and word count)"


@dataclass(frozen=True)
class Cover:
    """What a UPR submission's cover page says, apart from its text."""

    lines: list[Line]  # the text, the title first
    cut: list[tuple[int, str, str]]
    submitters: list[Line]  # the organisations under "Submitted by:", in order
    contacts: list[tuple[str, Line]]  # (heading, "Name, e-mail")
    coordinator: Line | None  # "Coordinating organisation: ..."


def upr_submission(lines: list[Line]) -> Cover | None:
    """A joint stakeholder submission to the UPR, as a PDF's text gives its cover: the
    review and session, "State under review:", the title, "Submitted by:" over each
    organisation and its e-mail and web address, the coordinating organisation, the date of
    submission, the word count, then a rule and the text. None for any other text."""
    head = lines[:6]
    if not any(_UPR.search(line.text) for line in head):
        return None
    at = next((i for i, line in enumerate(lines[:40]) if _SUBMITTED_BY.match(line.text)), None)
    if at is None:
        return None
    end = next((i for i, line in enumerate(lines[at:60], at) if _RULE.match(line.text)
                or re.match(r"^1[.)]\s", line.text)), None)
    if end is None:
        return None
    cut: list[tuple[int, str, str]] = []
    kept: list[Line] = []
    submitters: list[Line] = []
    contacts: list[tuple[str, Line]] = []
    coordinator = date = None
    heading = lines[at].text
    for i, line in enumerate(lines[:end]):
        text = line.text
        if i < at and _COVER_LINE.match(text) and not kept:
            cut.append((line.number, text, _COVER))
        elif i < at:
            kept.append(line)  # the title (and whatever else stands above the list)
        elif i == at:
            cut.append((line.number, text, "the heading over the organisations that "
                        "submitted it (kept as endorsers, and their addresses as contacts)"))
        elif (found := _COORDINATOR.match(text)) is not None:
            name = found.group("name").strip(" .")
            coordinator = Line(line.number, name, escape(name))
            cut.append((line.number, text, "the coordinating organisation (kept as issuer)"))
        elif (found := _SUBMITTED_ON.match(text)) is not None:
            date = Line(line.number, found.group("date"), escape(found.group("date")))
            cut.append((line.number, text, "the date of submission (kept as the date)"))
        elif _COVER_LINE.match(text):
            cut.append((line.number, text, _COVER))
        elif (card := _CARD.match(text)) is not None and submitters:
            name = submitters[-1].text
            card_text = f"{name}, {card.group('email')}"
            contacts.append((heading, Line(line.number, card_text, escape(card_text))))
            cut.append((line.number, text, "a submitting organisation's addresses (kept as "
                        "a contact)"))
        else:
            submitters.append(Line(line.number, text, escape(text)))
            cut.append((line.number, text, "an organisation that submitted it (kept as an "
                        "endorser)"))
    if not kept or not submitters:
        return None
    rest = lines[end:]
    if rest and _RULE.match(rest[0].text):
        cut.append((rest[0].number, rest[0].text, "the rule under the submission's cover"))
        rest = rest[1:]
    text = [*([date] if date else []), *kept, *rest]
    return Cover(text, cut, submitters, contacts, coordinator)
