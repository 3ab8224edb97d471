"""A message saved from a mailing list's web archive (Mailman's pipermail): the statement is
the message's text, between the archive's `<!--beginarticle-->` and `<!--endarticle-->`,
an e-mail as its sender wrote it, wrapped at 72 characters. The archive's page around it
(the subject as its heading, the sender and the time it was archived, "Previous message",
"Messages sorted by", "More information about the ... mailing list") and the list's footer
that Mailman adds to each message are cut (and said). The subject, without the list's tag
("[Seasia-rights] "), is a title; the sender is whose message it is, as a site's name is a
page's owner; the archive's time is the page's date.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace

from .sources import Source, normalise_space, read_text_source

_BEGIN = "<!--beginarticle-->"
_END = "<!--endarticle-->"
# Every pattern here is linear in the page, however hostile: a tag never spans a "<", and
# the heading, sender and date are looked for in the page's head only (pipermail writes
# them right above the message).
_TAG = re.compile(r"<[^<>]*>")
_HEAD = 4000  # characters above the message where pipermail writes its heading
_H1 = re.compile(r"<h1[^<>]*>(?P<text>[^<>]{1,500})</h1>", re.IGNORECASE)
_SENDER = re.compile(r"</h1>\s*<b>(?P<name>[^<>]{1,200})</b>", re.IGNORECASE)
_ARCHIVED = re.compile(r"<i>(?P<text>[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} [\d:]+ (?:\S+ )?\d{4})"
                       r"</i>")
_LIST_TAG = re.compile(r"^(?:\[[^\[\]]{1,40}\]\s*)+")
# Mailman's footer under each message: a rule of underscores, "<List> mailing list", its
# address and its page.
_FOOTER_RULE = re.compile(r"^_{20,}$")
_REASON = "the mailing list's archive page around the message, not the statement"
_FOOTER = "the mailing list's footer under each message"


def is_archived_message(text: str) -> bool:
    start = text.find(_BEGIN)
    return start >= 0 and text.find(_END, start) > start


def read_archived_message(text: str, path: str, heading) -> Source:
    """The message of a pipermail page as a text source, its lines numbered as the page's."""
    start = text.index(_BEGIN)
    end = text.index(_END, start)
    article = text[start + len(_BEGIN):end]
    offset = text.count("\n", 0, start + len(_BEGIN))
    body = html.unescape(_TAG.sub("", article))
    source = read_text_source("\n" * offset + body, path, heading)
    lines, footer = _without_footer(list(source.lines))
    around = _page_lines(text[:start], 0) + _page_lines(text[end:], text.count("\n", 0, end))
    titles = source.titles
    head = text[max(0, start - _HEAD):start]
    heading_match = _H1.search(head)
    if heading_match:
        subject = _LIST_TAG.sub("", normalise_space(html.unescape(_TAG.sub(
            "", heading_match.group("text")))))
        subject = re.sub(r"^(?:re|fwd?)\s*:\s*", "", subject, flags=re.IGNORECASE)
        if subject:
            titles = (("the message's subject", subject), *titles)
    sender = _SENDER.search(head)
    names = source.site_names
    if sender:
        name = normalise_space(html.unescape(_TAG.sub("", sender.group("name"))))
        if name:
            names = (*names, name)
    dates = source.dates
    archived = _ARCHIVED.search(head)
    if archived:
        when = _archive_date(archived.group("text"))
        if when:
            dates = (*dates, ("the archive's time of the message", when.isoformat()))
    return replace(source, lines=tuple(lines), titles=titles, site_names=names, dates=dates,
                   cut=(*around, *source.cut, *footer))


def _without_footer(lines):
    for i, line in enumerate(lines):
        if _FOOTER_RULE.match(line.text) and i >= len(lines) - 6:
            return lines[:i], [(x.number, x.text, _FOOTER) for x in lines[i:]]
    return lines, []


def _page_lines(part: str, first_line: int) -> list[tuple[int, str, str]]:
    """The visible lines of the archive's page outside the message, each as cut."""
    out = []
    part = _without(part, "<head", "</head>")
    part = _without(part, "<style", "</style>")
    part = _without(part, "<!--", "-->")
    for k, raw in enumerate(part.split("\n")):
        text = normalise_space(html.unescape(_TAG.sub(" ", raw)))
        if text:
            out.append((first_line + k + 1, text, _REASON))
    return out


def _without(text: str, opening: str, closing: str) -> str:
    """`text` without each stretch from `opening` to `closing` (in any case), its line
    breaks kept so that the lines keep their numbers; one pass, left to right."""
    lower = text.lower()
    out, at = [], 0
    while (begin := lower.find(opening, at)) >= 0:
        end = lower.find(closing, begin)
        if end < 0:
            break
        out.append(text[at:begin])
        out.append("\n" * text.count("\n", begin, end))
        at = end + len(closing)
    out.append(text[at:])
    return "".join(out)


def _archive_date(text: str) -> dt.date | None:
    """"Tue Mar 5 09:14:22 ICT 2019" (the archiver's ctime) as a date."""
    parts = text.split()
    try:
        return dt.datetime.strptime(f"{parts[1]} {parts[2]} {parts[-1]}", "%b %d %Y").date()
    except (ValueError, IndexError):
        return None
