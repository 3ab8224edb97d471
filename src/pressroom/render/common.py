"""Words every format prints the same way: dateline, headings, metadata.

The three renderers take these from here, so the web page, the PDF and the Word file say the
same thing in the same words.
"""

from __future__ import annotations

import re

from .. import limits
from ..errors import RenderError
from ..model import (
    Block,
    Contact,
    Document,
    Emphasis,
    Footnote,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Statement,
    StatementType,
    Strong,
    block_texts,
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

DRAFT_LABEL = "DRAFT"
DRAFT_BANNER = f"{DRAFT_LABEL} — not for publication"
EMBARGO_LABEL = "EMBARGOED"
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
        and document.issuer.language is None  # the directory's About in this language wins
    ) else document.issuer.about


def marking(document: Document) -> tuple[str, str] | None:
    """(label, banner) of a copy not for publication as it is, else None: a draft, or a
    copy for journalists under embargo, which says until when, with its time zone."""
    if document.embargoed_until is not None:
        when = document.embargoed_until
        zone = when.strftime("%z")
        zone = "UTC" if zone in ("", "+0000") else f"UTC{zone[:3]}:{zone[3:]}"
        stamp = f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} {zone}"
        return EMBARGO_LABEL, f"{EMBARGO_LABEL} UNTIL {stamp} — not for publication before then"
    if document.draft:
        return DRAFT_LABEL, DRAFT_BANNER
    return None


def document_title(document: Document) -> str:
    """The title property of every format: drafts say so before anyone reads a word."""
    title = document.statement.title
    mark = marking(document)
    return f"{mark[0]}: {title}" if mark else title


def corrections(statement: Statement) -> list[str]:
    """"Corrected on 2 May 2024: ..." for each correction made since publication."""
    return [f"Corrected on {c.date.day} {MONTHS[c.date.month - 1]} {c.date.year}: {c.text}"
            for c in statement.corrections]


def contact_groups(document: Document) -> list[tuple[str, list[Contact]]]:
    """The statement's contacts (else the site's) under their headings, in order: a contact
    without a group stands under the usual heading."""
    contacts = document.statement.contacts or document.settings.contacts
    groups: list[tuple[str, list[Contact]]] = []
    for contact in contacts:
        heading = contact.group or CONTACTS_HEADING
        if groups and groups[-1][0] == heading:
            groups[-1][1].append(contact)
        else:
            groups.append((heading, [contact]))
    return groups


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


# --- when a renderer fails on a record -----------------------------------------------------------

# What a renderer raises when the record, not a template, is what it cannot take: text it
# cannot encode, a tree too deep for it. Each renderer turns these into `record_error`.
RECORD_FAULTS = (RecursionError, UnicodeError, ValueError, OverflowError)


def record_error(document: Document, what: str, exc: BaseException) -> RenderError:
    """A renderer's failure on a record, said as a problem of the record: its path, and the
    field or the line of the paragraph when the limits' checks can find it."""
    where = document.statement.path or document.statement.id
    found = locate(document)
    if found is not None:
        place, problem = found
        return RenderError(f"{where}:{place}: {problem}; the {what} cannot be made until it "
                           "is fixed (`pressroom check` lists every problem)")
    return RenderError(f"{where}: the {what} cannot be made from this record "
                       f"({type(exc).__name__}: {exc}). `pressroom check` finds nothing "
                       "wrong with it: the fault is Pressroom's, not the record's; report it "
                       "with the record")


def locate(document: Document) -> tuple[str, str] | None:
    """(where, what) of the first problem the limits see in what a document prints: where is
    ' field' or 'line: body', or None when they see nothing."""
    s = document.statement
    fields = [("title", s.title), ("place", s.place or ""), ("issued_by", document.issuer.name),
              ("about", about_text(document) or "")]
    fields += [("countries", c) for c in s.countries] + [("topics", t) for t in s.topics]
    fields += [("endorsers", o.name) for o in document.endorsers]
    fields += [("contacts", c.label) for c in s.contacts or document.settings.contacts]
    for field, text in fields:
        problems = limits.text_problems(text, None)
        if problems:
            return f" {field}", problems[0]
    for block in (*s.body.blocks, *s.body.footnotes):
        problem = _block_problem(block)
        if problem is not None:
            return f"{block.line or ''}: body", problem
    return None


def _block_problem(block: Block | Footnote) -> str | None:
    texts = block_texts(block.children if isinstance(block, Footnote) else (block,))
    for text in texts:
        problems = limits.character_problems(text) + limits.word_problems(text)
        if problems:
            return problems[0]
    blocks, inlines = _depths(block)
    if blocks > limits.MAX_BLOCK_DEPTH:
        return f"quotes and lists are nested {blocks} deep; at most {limits.MAX_BLOCK_DEPTH}"
    if inlines > limits.MAX_INLINE_DEPTH:
        return (f"emphasis, bold and links are nested {inlines} deep; at most "
                f"{limits.MAX_INLINE_DEPTH}")
    return None


def _depths(block: Block | Footnote) -> tuple[int, int]:
    """How deep quotes and lists, and inlines, nest under `block` (without recursion)."""
    deepest_block = deepest_inline = 0
    pending: list[tuple[object, int, int]] = [(block, 0, 0)]
    while pending:
        node, blocks, inlines = pending.pop()
        if isinstance(node, ListBlock):
            pending += [(child, blocks + 1, 0) for item in node.items for child in item]
            deepest_block = max(deepest_block, blocks + 1)
        elif isinstance(node, Quote):
            pending += [(child, blocks + 1, 0) for child in node.children]
            deepest_block = max(deepest_block, blocks + 1)
        elif isinstance(node, Emphasis | Strong | Link):
            pending += [(child, blocks, inlines + 1) for child in node.children]
            deepest_inline = max(deepest_inline, inlines + 1)
        elif isinstance(node, Paragraph | Heading | Footnote):
            pending += [(child, blocks, inlines) for child in node.children]
    return deepest_block, deepest_inline
