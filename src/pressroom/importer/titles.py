"""A statement's title and kind, chosen from what the page and the text say.

The evidence: the page's heading, og:title and <title> (without the site's name after it),
the line printed twice at the top of a text, the line right before the dateline. A label in
front of the title ("[Press Release]", "OPEN LETTER:", "联合声明：", "【聯合聲明】") names the
kind and is cut from the title; a label that is part of the title's phrase ("Open Letter to
the Council", Thai "แถลงการณ์ทนายความ...") names the kind and stays. A candidate that is only
a label, a counter or punctuation is never a title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import vocab

_BRACKETED = re.compile(r"^\s*[\[【(（〔「]\s*(?P<label>[^\]】)）〕」]{2,40}?)\s*[\]】)）〕」]"
                        r"\s*(?P<rest>.*)$")
_SEPARATOR = re.compile(r"^\s*[:：៖|｜丨–—-]\s*")


@dataclass(frozen=True)
class Title:
    text: str
    kind: str | None  # the kind a label named, or None
    label: str | None  # the label cut from the front, or None


_TRAILING_LABEL = re.compile(r"^(?P<title>.{8,}?[^\s.])\s*[.|–—-]\s+(?P<label>[^.|–—]{2,40}?)"
                             r"(?:\s+(?P<who>[A-Z][A-Za-z0-9&-]{1,14}|[^\s.]{2,40}))?\s*$")


# A mailing list's tag in front of a message's subject: one word, with a hyphen in it.
_LIST_TAG = re.compile(r"^\[([a-z0-9][a-z0-9._]*(?:-[a-z0-9._]+)+)\]\s+", re.IGNORECASE)


_HANDLE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+:\s+")


def clean_title(text: str) -> Title:
    """The title without the label in front of it (or after its full stop: "... .
    Заявление CABCL"), and the kind the label names."""
    text = _without_leading_symbols(" ".join(text.split()))
    tag = _LIST_TAG.match(text)
    if tag and not vocab.kind_of(tag.group(1).replace("-", " ")) and text[tag.end():].strip():
        text = text[tag.end():]  # "[hrd-solidarity-asia] Open Letter ...": the list's tag
    handle = _HANDLE.match(text)
    if handle and text[handle.end():].strip():
        text = text[handle.end():]  # "kyrg-official: Statement: ...": a reblog's account
    tail = _TRAILING_LABEL.match(text)
    if tail and vocab.kind_of(tail.group("label")):
        return Title(_strip_subject(tail.group("title")), vocab.kind_of(tail.group("label")),
                     tail.group("label"))
    bracket = _BRACKETED.match(text)
    if bracket:
        kind = vocab.kind_of(bracket.group("label"))
        if kind:
            return Title(_strip_subject(bracket.group("rest")), kind, bracket.group("label"))
    match = vocab.label_pattern().match(text)
    if match:
        kind = vocab.kind_of(match.group("label"))
        after = text[match.end():]
        sep = _SEPARATOR.match(after)
        if sep and after[sep.end():].strip():
            return Title(_strip_subject(after[sep.end():]), kind, text[:match.end()])
        glued = after[:1] and not after[:1].isspace() and _uncased(after[:1])
        if kind and (after[:1].isspace() or glued):
            # "Open Letter to ...", "Pahayag ng ...", "แถลงการณ์ทนายความ...": its own words.
            return Title(_strip_subject(text), kind, None)
    return Title(_strip_subject(text), None, None)


def _without_leading_symbols(text: str) -> str:
    """"📢 ပူးတွဲထုတ်ပြန်ချက် – ...": a channel's emoji before the label is no part of the title."""
    i = 0
    while i < len(text) and (unicodedata.category(text[i]) in ("So", "Sk", "Cf", "Mn") or (
            text[i] in "\ufe0f" or (text[i].isspace() and i))):
        i += 1
    return text[i:] if 0 < i < len(text) else text


def _strip_subject(text: str) -> str:
    match = vocab.words_pattern(vocab.SUBJECT_WORDS).match(text)
    if match and match.end() < len(text) and (text[match.end()] in " :：.-" or not (
            text[match.end()].isalnum())):
        rest = text[match.end():].lstrip(" :：.-–—")
        if len(rest) >= 8:
            return rest
    return text.strip()


def _uncased(char: str) -> bool:
    return char.upper() == char.lower() and unicodedata.category(char)[0] in "LM"


def is_title(text: str) -> bool:
    """Something a title can be: not only a label, a counter or punctuation."""
    words = re.sub(r"[\W\d_]+", " ", text).split()
    if not words or sum(len(w) for w in words) < 3:
        return False
    return vocab.kind_of(text.strip(" :：[]【】()")) is None and not vocab.is_section_label(text)


def _without_site(text: str, site_names: frozenset[str]) -> str:
    """"Blog name: Title" -> "Title": a site's name in front of the page's title."""
    head, sep, rest = text.partition(": ")
    if sep and rest.strip() and fold(head) in site_names:
        return rest.strip()
    return text


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFKC", text).casefold())
                    .split())


@dataclass(frozen=True)
class Choice:
    title: str | None
    kind: str | None
    others: tuple[str, ...]  # other titles the evidence gave, for the warning


def choose_title(candidates: list[tuple[str, str]], site_names: frozenset[str]) -> Choice:
    """The title most of the evidence gives (the first, most trusted, on a tie)."""
    cleaned: list[tuple[str, Title]] = []
    label_kind = None
    for where, text in candidates:
        title = clean_title(_without_site(text, site_names))
        if is_title(title.text) and fold(title.text) not in site_names:
            cleaned.append((where, title))
        elif label_kind is None:
            label_kind = title.kind or vocab.kind_of(title.text.strip(" :：[]【】()"))
    if not cleaned:
        return Choice(None, label_kind, ())
    votes: dict[str, int] = {}
    for _, title in cleaned:
        votes[fold(title.text)] = votes.get(fold(title.text), 0) + 1
    best = max(cleaned, key=lambda wt: votes[fold(wt[1].text)])[1]
    kind = best.kind or next((t.kind for _, t in cleaned if t.kind), None)
    others = tuple(dict.fromkeys(t.text for _, t in cleaned if fold(t.text) != fold(
        best.text)))
    return Choice(best.text, kind, others)
