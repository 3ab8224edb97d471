"""The typed model: every stage of Pressroom speaks in these types.

A statement record (Markdown with YAML front matter) is loaded into a frozen
`Statement`; its body is parsed once into a tree of blocks and inlines that
every renderer consumes, so footnote numbers are the same in every format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

# A statement id or an organisation key names a file, and a folder under output/: lowercase
# letters and digits in hyphen-separated words, so it can never climb out of a folder.
ID_PATTERN = re.compile(r"^(?=.{1,150}$)[a-z0-9]+(?:-[a-z0-9]+)*$")
# A BCP 47 language tag, loosely: en, th, zh-Hant, en-GB.
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


class State(StrEnum):
    """Workflow state, after Plone's simple publication workflow."""

    PRIVATE = "private"
    PENDING = "pending"
    PUBLISHED = "published"

    @property
    def is_public(self) -> bool:
        return self is State.PUBLISHED


class StatementType(StrEnum):
    STATEMENT = "statement"
    JOINT_STATEMENT = "joint-statement"
    PRESS_RELEASE = "press-release"
    OPEN_LETTER = "open-letter"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a file, shown to staff as `path:line: error: field: message`."""

    path: str
    line: int | None
    severity: Severity
    field: str | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {self.severity.value}: {what}"


# --- the body: a small block tree -------------------------------------------------------


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True)
class LineBreak:
    kind: ClassVar[str] = "linebreak"


@dataclass(frozen=True)
class Emphasis:
    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class FootnoteRef:
    """A footnote marker in the text; `number` is its number in every format."""

    kind: ClassVar[str] = "footnote_ref"
    number: int
    label: str


Inline = Text | Code | LineBreak | Emphasis | Strong | Link | FootnoteRef


# Each block keeps the line of the record it starts on (`line`, None when built by hand), so a
# renderer that still fails can name the paragraph; it is no part of the block's value.


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    children: tuple[Inline, ...]
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    level: int
    children: tuple[Inline, ...]
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ListBlock:
    """A bullet list (`ordered` false) or a numbered one starting at `start`."""

    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Quote:
    kind: ClassVar[str] = "quote"
    children: tuple[Block, ...]
    line: int | None = field(default=None, compare=False)


Block = Paragraph | Heading | ListBlock | Quote


@dataclass(frozen=True)
class Footnote:
    number: int
    label: str
    children: tuple[Block, ...]
    line: int | None = field(default=None, compare=False)

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(n.href for n in walk_inlines(self.children) if isinstance(n, Link))


@dataclass(frozen=True)
class Body:
    """A parsed body: blocks in order, footnotes numbered by first citation."""

    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]


# --- the record -----------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    label: str
    email: str | None = None
    # The heading it stands under ("For media inquiries, please contact:"); None: the
    # default heading.
    group: str | None = None


@dataclass(frozen=True)
class Correction:
    """A correction made after publication, shown in every format as "Corrected on DATE:
    TEXT" (written by `pressroom workflow ID publish --correction TEXT`)."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class Statement:
    id: str
    type: StatementType
    title: str
    date: dt.date
    language: str
    issued_by: str
    state: State
    body: Body
    body_markdown: str
    place: str | None = None
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    endorsers: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    embargo: dt.datetime | None = None
    corrections: tuple[Correction, ...] = ()
    translation_of: str | None = None
    # The version of the original a translation was made from (`pressroom translate`).
    translated_from_version: int | None = None
    source_url: str | None = None  # the old archive's address of this statement
    path: str | None = field(default=None, compare=False)

    @property
    def footnotes(self) -> tuple[Footnote, ...]:
        return self.body.footnotes

    @property
    def is_draft(self) -> bool:
        return not self.state.is_public


# --- the site -------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """An entry of statements/organisations.yaml: an endorser or an issuer."""

    key: str
    name: str
    about: str | None = None
    url: str | None = None
    short_name: str | None = None  # the acronym it is known by ("FORUM-ASIA")
    # Its texts in other languages, from `translations:`: (language, name, short_name, about),
    # each None where the default text stands.
    translations: tuple[tuple[str, str | None, str | None, str | None], ...] = ()
    # The language of its texts when chosen by `in_language` from a translation.
    language: str | None = None

    def text_in(self, language: str) -> tuple[str, str | None, str | None, str | None] | None:
        """Its texts in `language` (th-TH falls back to th), or None."""
        wanted = language.lower()
        for candidate in (wanted, wanted.split("-")[0]):
            for entry in self.translations:
                if entry[0].lower() == candidate:
                    return entry
        return None

    def in_language(self, language: str) -> Organisation:
        """This organisation as a statement in `language` shows it: its texts in that
        language where the directory has them, else the default ones; the other languages
        left out, so that a change to them changes nothing shown here."""
        found = self.text_in(language)
        if found is None:
            return dataclasses.replace(self, translations=())
        lang, name, short, about = found
        return dataclasses.replace(self, name=name or self.name,
                                   short_name=short or self.short_name,
                                   about=about or self.about, translations=(), language=lang)


class Role(StrEnum):
    CONTRIBUTOR = "Contributor"
    REVIEWER = "Reviewer"
    MANAGER = "Manager"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    roles: tuple[Role, ...]
    email: str | None = None
    logins: tuple[str, ...] = ()  # the logins that act as this person; "*": any other


@dataclass(frozen=True)
class Rule:
    """A content rule of pressroom.toml: on these transitions, do this."""

    on: tuple[str, ...]
    do: str  # publication | withdraw | command
    types: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    timeout: int = 60
    required: bool = True


@dataclass(frozen=True)
class Settings:
    """pressroom.toml, validated."""

    name: str
    short_name: str
    organisation: str  # key in organisations.yaml of the organisation running the site
    base_url: str
    about: str | None = None
    contacts: tuple[Contact, ...] = ()
    people: tuple[Person, ...] = ()
    rules: tuple[Rule, ...] = ()
    default_language: str = "en"
    default_place: str | None = None
    # [wording]: languages printed in their script's own digits; Thai years in the
    # Buddhist era.
    native_digits: tuple[str, ...] = ()
    buddhist_era: bool = False


@dataclass(frozen=True)
class Wording:
    """The words a document's renderers supply (headings, labels, banners), in one language:
    its message catalog's, English when there is none. Built by wording.wording_for."""

    language: str = "en"  # BCP 47 tag of the words (the catalog's, or en)
    locale: str = "en_GB"  # the Babel locale of its dates and lists
    messages: Mapping[str, str] = field(default_factory=dict)  # msgid -> translation
    digits: str = ""  # the script's ten digits, when the site asks for them; else none
    buddhist_era: bool = False

    def text(self, msgid: str, **values: object) -> str:
        """The translation of `msgid` (the English text), its {placeholders} filled."""
        found = self.messages.get(msgid) or msgid
        return found.format(**values) if values else found


@dataclass(frozen=True)
class Alternate:
    """One language of a statement's translation group, as the group's pages link it."""

    language: str
    statement_id: str
    original: bool = False  # the statement the others translate (hreflang x-default)
    version: int | None = None  # the original's published version (its keys' input)


@dataclass(frozen=True)
class Document:
    """Everything a renderer needs, resolved: the one model fed to every template."""

    statement: Statement
    settings: Settings
    issuer: Organisation
    endorsers: tuple[Organisation, ...]
    record_sha256: str
    links: dict[str, str] = field(default_factory=dict)  # format -> relative href
    preview: bool = False  # marked DRAFT whatever the state: a copy for reviewers
    # A copy for journalists before the embargo: marked EMBARGOED UNTIL this time.
    embargoed_until: dt.datetime | None = None
    # Every published language of its translation group, itself included, the original
    # first; empty for a statement with no translation.
    alternates: tuple[Alternate, ...] = ()
    wording: Wording = field(default_factory=Wording)  # the words, in its language

    @property
    def draft(self) -> bool:
        return self.embargoed_until is None and (self.preview or self.statement.is_draft)

    @property
    def marked(self) -> bool:
        """Not for publication as it is: a draft, or a copy under embargo."""
        return self.draft or self.embargoed_until is not None


def walk_inlines(blocks: tuple[Block, ...] | tuple[Inline, ...]):
    """Every inline node under `blocks`, depth first, in reading order."""
    for node in blocks:
        if isinstance(node, ListBlock):
            for item in node.items:
                yield from walk_inlines(item)
        elif isinstance(node, Text | Code | LineBreak | FootnoteRef):
            yield node
        else:
            if isinstance(node, Emphasis | Strong | Link):
                yield node
            yield from walk_inlines(node.children)


def inline_text(nodes: tuple[Inline, ...], footnote_marks: bool = False) -> str:
    """The text of a run of inlines; footnote markers as their numbers if asked."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, FootnoteRef):
            if footnote_marks:
                parts.append(str(node.number))
        else:
            parts.append(inline_text(node.children, footnote_marks))
    return "".join(parts)


def block_texts(blocks: tuple[Block, ...], footnote_marks: bool = False) -> list[str]:
    """The text of each paragraph, heading and list item under `blocks`, in reading order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            out.append(inline_text(block.children, footnote_marks))
        elif isinstance(block, Quote):
            out.extend(block_texts(block.children, footnote_marks))
        else:
            for item in block.items:
                out.extend(block_texts(item, footnote_marks))
    return out


def to_data(value: Any) -> Any:
    """The model as JSON-able data: dataclasses become dicts (with `kind` for tree nodes),
    enums their values, dates ISO 8601 strings. Used for `show --json` and typst's inputs.
    Built with a stack of its own, not recursion, so no depth of tree exhausts Python's."""
    root: list[Any] = [None]
    pending: list[tuple[Any, Any, Any]] = [(value, root, 0)]  # (value, container, key)
    while pending:
        item, into, key = pending.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            out: dict[str, Any] = {}
            kind = getattr(type(item), "kind", None)
            if kind is not None:
                out["kind"] = kind
            for f in dataclasses.fields(item):
                if f.compare:  # else it is where the value was read from, not what it is
                    out[f.name] = None  # keeps the fields' order
                    pending.append((getattr(item, f.name), out, f.name))
            into[key] = out
        elif isinstance(item, StrEnum):
            into[key] = item.value
        elif isinstance(item, dt.date | dt.datetime):
            into[key] = item.isoformat()
        elif isinstance(item, tuple | list):
            into[key] = [None] * len(item)
            pending.extend((v, into[key], n) for n, v in enumerate(item))
        elif isinstance(item, dict):
            into[key] = dict.fromkeys(str(k) for k in item)
            pending.extend((v, into[key], str(k)) for k, v in item.items())
        else:
            into[key] = item
    return root[0]


# --- back from data: the inverse of to_data for a statement ------------------------------------

_INLINE_KINDS = {c.kind: c for c in (Text, Code, LineBreak, Emphasis, Strong, Link,
                                     FootnoteRef)}


def statement_from_data(data: dict[str, Any]) -> Statement:
    """The `Statement` that `to_data` turned into `data` (its `path` unset: where it was read
    from is no part of its value). Raises KeyError, TypeError or ValueError for data that
    `to_data` did not make. Built with a stack of its own, as `to_data` is."""
    def optional(value, make):
        return None if value is None else make(value)

    return Statement(
        id=str(data["id"]), type=StatementType(data["type"]), title=str(data["title"]),
        date=dt.date.fromisoformat(data["date"]), language=str(data["language"]),
        issued_by=str(data["issued_by"]), state=State(data["state"]),
        body=Body(_nodes(data["body"]["blocks"]),
                  tuple(Footnote(int(f["number"]), str(f["label"]), _nodes(f["children"]))
                        for f in data["body"]["footnotes"])),
        body_markdown=str(data["body_markdown"]), place=optional(data["place"], str),
        countries=tuple(map(str, data["countries"])), topics=tuple(map(str, data["topics"])),
        endorsers=tuple(map(str, data["endorsers"])),
        contacts=tuple(Contact(c["label"], c["email"], c["group"]) for c in data["contacts"]),
        embargo=optional(data["embargo"], dt.datetime.fromisoformat),
        corrections=tuple(Correction(dt.date.fromisoformat(c["date"]), str(c["text"]))
                          for c in data["corrections"]),
        translation_of=optional(data["translation_of"], str),
        translated_from_version=optional(data.get("translated_from_version"), int),
        source_url=optional(data["source_url"], str),
    )


def _nodes(items: list[Any]) -> tuple[Any, ...]:
    """Blocks or inlines from their data, children first (no recursion)."""
    done: dict[int, Any] = {}  # id(data) -> node
    pending: list[tuple[Any, bool]] = [(item, False) for item in reversed(items)]
    while pending:
        item, ready = pending.pop()
        children = [*item.get("children", ()), *(b for i in item.get("items", ()) for b in i)]
        if not ready and children:
            pending.append((item, True))
            pending.extend((c, False) for c in children)
            continue
        done[id(item)] = _node(item, done)
    return tuple(done[id(item)] for item in items)


def _node(item: dict[str, Any], done: dict[int, Any]) -> Any:
    kind = item["kind"]
    made = lambda key: tuple(done[id(c)] for c in item[key])  # noqa: E731
    if kind in ("text", "code"):
        return _INLINE_KINDS[kind](str(item["text"]))
    if kind == "linebreak":
        return LineBreak()
    if kind in ("emphasis", "strong"):
        return _INLINE_KINDS[kind](made("children"))
    if kind == "link":
        return Link(str(item["href"]), made("children"))
    if kind == "footnote_ref":
        return FootnoteRef(int(item["number"]), str(item["label"]))
    if kind == "paragraph":
        return Paragraph(made("children"))
    if kind == "heading":
        return Heading(int(item["level"]), made("children"))
    if kind == "quote":
        return Quote(made("children"))
    if kind == "list":
        return ListBlock(bool(item["ordered"]), int(item["start"]),
                         tuple(tuple(done[id(b)] for b in i) for i in item["items"]))
    raise ValueError(f"not a node of the body: {kind!r}")


# --- the house design (templates/design.toml, read by design.py) ----------------------------


@dataclass(frozen=True)
class ScriptDesign:
    """A site's adjustment of one script (ISO 15924 code) over render/scripts.py's table;
    None leaves the table's value."""

    script: str
    font: str | None = None
    size: float | None = None  # times the body size, so the script reads as large as Latin
    line_height: float | None = None


@dataclass(frozen=True)
class Design:
    """One organisation's look in all three formats. Sizes and spaces are in points, as on
    paper; the web page keeps their ratios to the body size."""

    organisation: str | None = None  # the name on page 1 of every format; None: the site's
    logo: str | None = None  # an SVG under templates/, beside the name
    colour_text: str = "#1b1b1b"
    colour_accent: str = "#1a4f8b"  # the organisation's name, rules, the correction's bar
    colour_muted: str = "#4a4a4a"  # type label, dateline, running header and footer
    colour_link: str = "#0b4a84"
    font_body: str = "Noto Serif"
    font_label: str = "Noto Sans"  # organisation, type label, header and footer
    size_body: float = 11
    size_title: float = 16
    size_heading: float = 12
    size_organisation: float = 12
    size_label: float = 9
    size_note: float = 9
    space_paragraph: float = 7
    space_heading_above: float = 15
    space_heading_below: float = 8
    space_title_below: float = 8
    scripts: tuple[ScriptDesign, ...] = ()
    pdf_margin_x: float = 24  # mm
    pdf_margin_y: float = 22
    web_width: float = 42  # rem: the measure of the page's text
    word_margin_x: float = 24  # mm
    word_margin_y: float = 20

    def script(self, code: str) -> ScriptDesign | None:
        return next((s for s in self.scripts if s.script == code), None)
