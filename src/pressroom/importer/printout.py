"""A page a browser printed to PDF, then exported as text: every page opens with the time it
was printed and the page's title ("10/3/24, 8:15 AM" / "Gmail - Subject") and closes with
the page's address and "1/2". Those lines are the browser's, on every page: they are cut
(and said) before the pages are put back together, or the first page's header is taken for
a letterhead and its text with it.

Gmail's print view, printed this way, opens with the account's address, the subject, "1
message", then each message's sender, its sending time and its To/Cc/Bcc lines: an
e-mail's headers, cut as a saved e-mail's are; its sender and sending day are kept, the day
as a fallback date (a date line without its year takes the year from it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PRINTED_AT = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?"
                         r"(?:\s*[AaPp]\.?\s?[Mm]\.?)?$")
_PAGE_OF = re.compile(r"^(\d{1,3})\s*/\s*(\d{1,3})$")
_ADDRESS = re.compile(r"^(?:https?|file)://\S+$")
_REASON = "the browser's print header or footer (time printed, page title, address, page)"

_MAILBOX = re.compile(r"^(?P<name>[^<>@]{1,80}?)\s*<[^<>\s@]+@[^<>\s@]+>$")
_MESSAGES = re.compile(r"^\d{1,3} messages?$")
_GMAIL_TIME = re.compile(r"^(?:[A-Z][a-z]{2}, )?(?P<date>[A-Z][a-z]{2} \d{1,2}, \d{4}) at "
                         r"\d{1,2}:\d{2}\s?[AP]M(?: \(.*\))?$")
_RECIPIENTS = re.compile(r"^(?:To|Cc|Bcc|Reply-To):", re.IGNORECASE)
_GMAIL_REASON = "an e-mail's headers (the statement came by e-mail)"
_REPLY = re.compile(r"^(?:(?:re|fwd?|aw|wg|tr)\s*:\s*)+", re.IGNORECASE)


def _bare(subject: str) -> str:
    """A subject without its "Fwd:" and "Re:" (the page's title may keep them)."""
    return _REPLY.sub("", " ".join(subject.split()))


@dataclass(frozen=True)
class Printout:
    text: str  # the text, the browser's and the mail's lines blanked (lines keep numbers)
    cut: tuple[tuple[int, str, str], ...]
    sender: str | None = None  # the message's sender (Gmail's print view)
    sent: str | None = None  # its sending day, ISO


def read_printout(text: str) -> Printout | None:
    """The text without a browser's print headers and footers, or None when it has none."""
    raws = text.split("\n")
    filled = [i for i, raw in enumerate(raws) if raw.strip()]
    if len(filled) < 6 or not _PRINTED_AT.match(raws[filled[0]].strip()):
        return None
    title = raws[filled[1]].strip()
    drop: set[int] = set()
    pages = 0
    for k, i in enumerate(filled):
        line = raws[i].strip()
        if (_PRINTED_AT.match(line) and k + 1 < len(filled)
                and raws[filled[k + 1]].strip() == title):
            drop |= {i, filled[k + 1]}
        elif _PAGE_OF.match(line) and k > 0 and _ADDRESS.match(raws[filled[k - 1]].strip()):
            drop |= {i, filled[k - 1]}
            pages += 1
    if pages == 0:
        return None  # a date and a time on the first line, but no page of a printout
    cut = [(i + 1, raws[i].strip(), _REASON) for i in sorted(drop)]
    kept = ["" if i in drop else raw for i, raw in enumerate(raws)]
    sender = sent = None
    if title.startswith("Gmail - "):
        kept, mail, sender, sent = _gmail_headers(kept, title[len("Gmail - "):])
        cut += mail
    return Printout("\n".join(kept), tuple(sorted(cut)), sender, sent)


def _gmail_headers(raws: list[str], subject: str):
    """Gmail's print view's head: the account, the subject, "1 message", and each
    message's sender, time and recipients."""
    filled = [i for i, raw in enumerate(raws) if raw.strip()][:12]
    drop: list[int] = []
    sender = sent = None
    for i in filled:
        line = raws[i].strip()
        mailbox = _MAILBOX.match(line)
        time = _GMAIL_TIME.match(line)
        if mailbox and not drop:
            drop.append(i)  # the account the page was printed from
        elif _bare(line) == _bare(subject) or _MESSAGES.match(line) or _RECIPIENTS.match(line):
            drop.append(i)
        elif mailbox:
            drop.append(i)
            sender = mailbox.group("name").strip(' "')
        elif time:
            drop.append(i)
            try:
                sent = dt.datetime.strptime(time.group("date"), "%b %d, %Y").date().isoformat()
            except ValueError:
                sent = None
        else:
            break  # the message's text
    cut = [(i + 1, raws[i].strip(), _GMAIL_REASON) for i in drop]
    return ["" if i in drop else raw for i, raw in enumerate(raws)], cut, sender, sent
