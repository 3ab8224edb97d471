"""Words every format prints the same way: dateline, headings, metadata.

The three renderers take these from here, so the web page, the PDF and the Word file say the
same thing in the same words.
"""

from __future__ import annotations

import re
import string

from .. import limits, wording
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
    Wording,
    block_texts,
)
from ..wording import ENGLISH

# Every msgid below is English text: a site's catalogs (templates/locale/, read by
# wording.py) translate it, and a word without a translation prints as written here.
DRAFT_LABEL = "DRAFT"
DRAFT_BANNER = "DRAFT — not for publication"
EMBARGO_LABEL = "EMBARGOED"
EMBARGO_BANNER = "EMBARGOED UNTIL {when} — not for publication before then"
CONTACTS_HEADING = "For further information, please contact:"
FOOTNOTES_HEADING = "Notes"
DATELINE = "{place}, {date}"
CORRECTION = "Corrected on {date}: {text}"
ABOUT_HEADING = "About {organisation}:"
PAGE_LABEL = "Page {page} of {pages}"
SUBJECT = "{type}: {countries}"
ENDORSERS_HEADINGS = {
    StatementType.STATEMENT: "This statement is endorsed by:",
    StatementType.JOINT_STATEMENT: "This joint statement is endorsed by:",
    StatementType.OPEN_LETTER: "This open letter is endorsed by:",
    StatementType.PRESS_RELEASE: "This press release is endorsed by:",
}
_ACRONYM = re.compile(r"\(([^()]+)\)\s*$")


def long_date(statement: Statement, words: Wording = ENGLISH) -> str:
    return wording.long_date(words, statement.date)


def dateline(statement: Statement, words: Wording = ENGLISH) -> str:
    """'Bangkok, 10 February 2022', or the date alone when the record has no place."""
    date = long_date(statement, words)
    return words.text(DATELINE, place=statement.place, date=date) if statement.place else date


def type_label(document: Document) -> str:
    """'Joint statement', in the document's language."""
    return document.wording.text(document.statement.type.label)


def short_name(name: str) -> str:
    """'Asian Forum for Human Rights and Development (FORUM-ASIA)' -> 'FORUM-ASIA'."""
    match = _ACRONYM.search(name)
    return match.group(1) if match else name


def endorsers_heading(statement: Statement, words: Wording = ENGLISH) -> str:
    return words.text(ENDORSERS_HEADINGS.get(statement.type,
                                             ENDORSERS_HEADINGS[StatementType.STATEMENT]))


def about_heading(document: Document) -> str:
    return document.wording.text(ABOUT_HEADING,
                                 organisation=short_name(document.issuer.name))


def about_text(document: Document) -> str | None:
    return document.settings.about if (
        document.settings.about and document.issuer.key == document.settings.organisation
        and document.issuer.language is None  # the directory's About in this language wins
    ) else document.issuer.about


def marking(document: Document) -> tuple[str, str] | None:
    """(label, banner) of a copy not for publication as it is, else None: a draft, or a
    copy for journalists under embargo, which says until when, with its time zone."""
    words = document.wording
    if document.embargoed_until is not None:
        when = document.embargoed_until
        zone = when.strftime("%z")
        zone = "UTC" if zone in ("", "+0000") else f"UTC{zone[:3]}:{zone[3:]}"
        stamp = (f"{wording.long_date(words, when.date())}, "
                 f"{wording.native(words, f'{when:%H:%M}')} {zone}")
        return words.text(EMBARGO_LABEL), words.text(EMBARGO_BANNER, when=stamp)
    if document.draft:
        return words.text(DRAFT_LABEL), words.text(DRAFT_BANNER)
    return None


def document_title(document: Document) -> str:
    """The title property of every format: drafts say so before anyone reads a word."""
    title = document.statement.title
    mark = marking(document)
    return f"{mark[0]}: {title}" if mark else title


def corrections(statement: Statement, words: Wording = ENGLISH) -> list[str]:
    """"Corrected on 2 May 2024: ..." for each correction made since publication."""
    return [words.text(CORRECTION, date=wording.long_date(words, c.date), text=c.text)
            for c in statement.corrections]


def page_label(words: Wording) -> list[str]:
    """"Page {page} of {pages}" in pieces, in the order the language says them: texts, and
    "{page}" and "{pages}" where a renderer puts the page's number and the count of pages
    (["Page ", "{page}", " of ", "{pages}"])."""
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(words.text(PAGE_LABEL)):
        if literal:
            parts.append(literal)
        if name is not None:
            parts.append("{" + name + "}")
    return parts


def shows_address(href: str, text: str) -> bool:
    """A link whose text is its own address (a URL or an e-mail address shown as itself):
    where every format keeps a line from breaking at a hyphen."""
    return text in (href, href.removeprefix("mailto:"))


def contact_groups(document: Document) -> list[tuple[str, list[Contact]]]:
    """The statement's contacts (else the site's) under their headings, in order: a contact
    without a group stands under the usual heading."""
    contacts = document.statement.contacts or document.settings.contacts
    default = document.wording.text(CONTACTS_HEADING)
    groups: list[tuple[str, list[Contact]]] = []
    for contact in contacts:
        heading = contact.group or default
        if groups and groups[-1][0] == heading:
            groups[-1][1].append(contact)
        else:
            groups.append((heading, [contact]))
    return groups


def author(document: Document) -> str:
    return document.issuer.name


def subject(document: Document) -> str:
    s, words = document.statement, document.wording
    label = type_label(document)
    if not s.countries:
        return label
    return words.text(SUBJECT, type=label,
                      countries=wording.format_list(words, list(s.countries)))


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
