"""Words every format prints the same way: dateline, headings, metadata.

The three renderers take these from here, so the web page, the PDF and the Word file say the
same thing in the same words.
"""

from __future__ import annotations

import re

from ..model import Document, Statement, StatementType, block_texts

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

DRAFT_LABEL = "DRAFT"
DRAFT_BANNER = f"{DRAFT_LABEL} — not for publication"
CONTACTS_HEADING = "For further information, please contact:"
FOOTNOTES_HEADING = "Notes"
_ACRONYM = re.compile(r"\(([^()]+)\)\s*$")


def long_date(statement: Statement) -> str:
    d = statement.date
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def dateline(statement: Statement) -> str:
    """'Bangkok, 10 February 2022', or the date alone when the record has no place."""
    date = long_date(statement)
    return f"{statement.place}, {date}" if statement.place else date


def short_name(name: str) -> str:
    """'Asian Forum for Human Rights and Development (FORUM-ASIA)' -> 'FORUM-ASIA'."""
    match = _ACRONYM.search(name)
    return match.group(1) if match else name


def endorsers_heading(statement: Statement) -> str:
    noun = {
        StatementType.JOINT_STATEMENT: "joint statement",
        StatementType.OPEN_LETTER: "open letter",
        StatementType.PRESS_RELEASE: "press release",
    }.get(statement.type, "statement")
    return f"This {noun} is endorsed by:"


def about_heading(document: Document) -> str:
    return f"About {short_name(document.issuer.name)}:"


def about_text(document: Document) -> str | None:
    return document.settings.about if (
        document.settings.about and document.issuer.key == document.settings.organisation
    ) else document.issuer.about


def document_title(document: Document) -> str:
    """The title property of every format: drafts say so before anyone reads a word."""
    title = document.statement.title
    return f"{DRAFT_LABEL}: {title}" if document.draft else title


def author(document: Document) -> str:
    return document.issuer.name


def subject(document: Document) -> str:
    s = document.statement
    where = ", ".join(s.countries)
    return f"{s.type.label}: {where}" if where else s.type.label


def keywords(document: Document) -> list[str]:
    s = document.statement
    return [*s.countries, *s.topics]


def description(document: Document, limit: int = 200) -> str:
    """The first paragraph, cut at a word boundary: for meta description and sharing."""
    texts = block_texts(document.statement.body.blocks)
    first = " ".join(texts[0].split()) if texts else document.statement.title
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"
