"""Pages saved from a web archive rather than from the site: the Wayback Machine's toolbar
("The Wayback Machine - https://web.archive.org/web/2023.../https://site/page", captures,
months, years, "About this capture") and Google's cache banner ("This is Google's cache of
https://site/page. It is a snapshot of the page as it appeared on ..."). The toolbar is cut
(and said), and the address the archive names is the page's own (`source_url`), never the
archive's.
"""

from __future__ import annotations

import itertools
import re

from .sources import Line

_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/\d{4,14}[a-z_]*/(?P<url>https?://\S+)$")
_WAYBACK = re.compile(r"^The Wayback Machine\s*-\s*(?P<url>https?://web\.archive\.org/\S+)$",
                      re.IGNORECASE)
_TOOLBAR_END = re.compile(r"^(?:TIMESTAMPS|About this capture)$", re.IGNORECASE)
_GOOGLE = re.compile(r"^This is Google's cache of (?P<url>https?://\S+?)\.? It is a snapshot\b",
                     re.IGNORECASE)
_GOOGLE_TOOLS = re.compile(r"^(?:Full version|Text-only version|View source|Tip: To quickly "
                           r"find your search term on this page.*)$", re.IGNORECASE)
_REASON = "a web archive's toolbar or banner, not the page's"


def original_url(url: str | None) -> str | None:
    """The address a Wayback Machine address archives, or the address itself."""
    if url is None:
        return None
    match = _ARCHIVED.match(url.strip())
    return match.group("url") if match else url


def strip_capture(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str, str]],
                                                str | None]:
    """(lines without an archive's toolbar, what was cut, the archived page's address)."""
    head = lines[:60]
    for i, line in enumerate(head[:5]):
        wayback = _WAYBACK.match(line.text)
        if wayback:
            ends = [j for j in range(i + 1, len(head)) if _TOOLBAR_END.match(head[j].text)]
            last = ends[-1] if ends else i
            cut = [(x.number, x.text, _REASON) for x in lines[:last + 1]]
            return lines[last + 1:], cut, original_url(wayback.group("url"))
        google = _GOOGLE.match(line.text)
        if google:
            last = i
            while last + 1 < len(head) and _GOOGLE_TOOLS.match(head[last + 1].text):
                last += 1
            cut = [(x.number, x.text, _REASON) for x in lines[:last + 1]]
            return lines[last + 1:], cut, google.group("url")
    return lines, [], None


# An e-mail as saved or forwarded: its headers, each forward's, and the forwarder's note.
# The field names as mail programs print them in the region's languages too ("差出人:",
# "发件人：", "보낸 사람:", "Dari:", "От:").
_FROM_NAMES = (r"from|sender|差出人|送信者|发件人|寄件者|寄件人|보낸 ?사람|dari|từ|จาก|от|"
               r"ကထံမှ")
_HEADER = re.compile(r"^(?:" + _FROM_NAMES + r"|to|cc|bcc|date|sent|subject|reply-to|"
                     r"return-path|message-id|in-reply-to|references|mime-version|"
                     r"content-type|content-transfer-encoding|organi[sz]ation|precedence|"
                     r"list-[a-z-]+|x-[a-z0-9-]+|送信日時|日時|宛先|件名|收件人|收件者|"
                     r"发送时间|發送時間|寄件日期|日期|主题|主旨|主題|받는 ?사람|날짜|제목|"
                     r"kepada|tanggal|tarikh|subjek|perihal|đến|ngày|tiêu đề|chủ đề|ถึง|"
                     r"кому|дата|тема)\s*[:：]\s*\S.{0,300}$", re.IGNORECASE)
_FROM = re.compile(r"^(?:" + _FROM_NAMES + r")\s*[:：].*(?:@|<)", re.IGNORECASE)
_FORWARDED = re.compile(r"^(?:-{3,}\s*(?:forwarded message|original message)\s*-{3,}|"
                        r"begin forwarded message:)$", re.IGNORECASE)
_EMAIL_REASON = "an e-mail's headers (the statement came by e-mail)"


def sender(cut: list[tuple[int, str, str]]) -> str | None:
    """The name the last "From:" of an e-mail's headers gives (the original message's)."""
    names = [m.group(1).strip(' "') for _, text, reason in cut if reason == _EMAIL_REASON
             and (m := re.match(r"^(?:" + _FROM_NAMES + r")\s*[:：]\s*([^<@]+?)\s*<", text,
                                re.IGNORECASE))]
    return names[-1] if names else None


def strip_email_headers(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """(lines without the headers of a saved or forwarded e-mail, what was cut). A block of
    header lines counts when one is a "From:" with an address; a forward's separator and
    the short note above it (the forwarder's) go too."""
    cut: list[tuple[int, str, str]] = []
    i, last = 0, -1
    while i < min(len(lines), 60):
        j = i
        while j < len(lines) and _HEADER.match(lines[j].text):
            j += 1
        block = lines[i:j]
        if len(block) >= 2 and any(_FROM.match(line.text) for line in block):
            last = j - 1
            i = j
            continue
        if _FORWARDED.match(lines[i].text) and last >= 0:
            last = i
        elif last >= 0 and i == last + 1 and len(lines[i].text) <= 80 and any(
                _FORWARDED.match(line.text) for line in lines[i + 1:i + 3]):
            last = i  # "Forwarding for the archive." above the forwarded message
        i += 1
    if last < 0:
        return lines, cut
    cut = [(line.number, line.text, _EMAIL_REASON) for line in lines[:last + 1]]
    rest = lines[last + 1:]
    # "-- " alone starts the sender's signature (RFC 3676): the mail's, not the statement's.
    sig = next((k for k in range(len(rest) - 1, -1, -1) if rest[k].text in ("--", "-- ")), None)
    if sig is not None and len(rest) - sig <= 8:
        cut += [(line.number, line.text, "the e-mail's signature, below its '--'")
                for line in rest[sig:]]
        rest = rest[:sig]
    return rest, cut


def cover_note(lines: list[Line], is_label) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """(lines, what was cut) without the sender's note that opens an e-mailed statement
    ("Salam sejahtera, / Please find our joint statement below.") above the statement's
    own kind label ("KENYATAAN BERSAMA"): a greeting and a line or two, then the label; or
    a greeting, a few lines and the sender's name, then a rule ("______"), then the
    statement."""
    if not lines or not lines[0].text.rstrip().endswith((",", "،", "，")):
        return lines, []
    at = next((k for k, line in enumerate(lines[:4]) if is_label(line.text)), None)
    if at is None:
        rule = next((k for k, line in enumerate(lines[:10])
                     if _RULE.match(line.text.replace(" ", ""))), None)
        at = rule + 1 if rule is not None and rule + 1 < len(lines) else None
    if not at or any(len(line.text) > 300 for line in lines[:at]):
        return lines, []
    return lines[at:], [(line.number, line.text, "the sender's note above the statement it "
                         "sends") for line in lines[:at]]


# A newsletter's rule between its sections: a line of one drawing character, ten or more.
_RULE = re.compile(r"^([=\-_*~#])\1{9,}$")
NEWSLETTER_REASON = ("another section of the newsletter it came in (masthead, contents, "
                      "other news, footer)")


def opens_as_newsletter(lines: list[Line]) -> bool:
    """Whether the text opens with a newsletter's web-view line ("If your browser does not
    render this page correctly, click here"): a newsletter's text part, copied without
    its e-mail headers, whose other sections are then cut as an e-mailed one's are."""
    from .chrome import WEB_VIEW, chrome_reason

    return any(chrome_reason(line.text) == WEB_VIEW for line in lines[:3])


def newsletter_sections(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str, str]]]:
    """(the statement's section, what was cut) of an e-mailed newsletter parted by rules
    ("=====", "-----"): the section holding most of the text is the statement; the
    masthead, the contents, the other items' teasers and the footer around it go. Only for
    a statement that came by e-mail (its headers were cut) or opens with a web-view line,
    and only when that section holds most of the text."""
    # A rule right under a heading (no blank line between) underlines it, as Mailchimp's
    # text part sets its headings: no section ends there. Under a line that is no heading
    # (the contents' "In this issue: ... | ... | ...", an item's link) it ends the section
    # all the same.
    def underlines(i: int) -> bool:
        above = lines[i - 1] if i else None
        return above is not None and above.number == lines[i].number - 1 and not (
            "://" in above.text or " | " in above.text or above.text.endswith((".", ":")))

    rules = [i for i, line in enumerate(lines) if _RULE.match(line.text.replace(" ", ""))
             and not underlines(i)]
    if len(rules) < 2:
        return lines, []
    bounds = [-1, *rules, len(lines)]
    sections = [(a + 1, b) for a, b in itertools.pairwise(bounds) if b > a + 1]

    def size(section: tuple[int, int]) -> int:
        return sum(len(line.text) for line in lines[section[0]:section[1]])

    main = max(sections, key=size)
    if size(main) < 0.5 * sum(size(s) for s in sections):
        return lines, []
    start, end = main
    cut = [(line.number, line.text, NEWSLETTER_REASON)
           for k, line in enumerate(lines) if not start <= k < end]
    return list(lines[start:end]), cut


# A channel's post copied from a messaging app (Telegram Desktop): "<channel>, [15.02.2024
# 18:42]" above each message. The first message is the statement; the channel is whose it
# is; a later message ("the English version follows soon") is another post of the channel.
_POST_HEADER = re.compile(r"^(?P<name>\S.{0,79}?), \[(?P<day>\d{1,2})\.(?P<month>\d{1,2})\."
                          r"(?P<year>\d{4}) \d{1,2}:\d{2}(?::\d{2})?\]$")
_POST_REASON = "a messaging app's header above a channel's post"
_LATER_POST = "another post of the channel, after the statement's"


def strip_channel_posts(lines: list[Line], keep) -> tuple[list[Line],
                                                       list[tuple[int, str, str]],
                                                       str | None, str | None]:
    """(the first post's lines, what was cut, the channel's name, the post's date as ISO)
    of a copied channel post; the lines unchanged when the text does not start with one.
    `keep(text)` says which lines of a later post stay all the same (its "Source:" line)."""
    first = _POST_HEADER.match(lines[0].text) if lines else None
    if first is None:
        return lines, [], None, None
    cut = [(lines[0].number, lines[0].text, _POST_REASON)]
    kept: list[Line] = []
    later = False
    for line in lines[1:]:
        if _POST_HEADER.match(line.text):
            later = True
            cut.append((line.number, line.text, _POST_REASON))
        elif later and not keep(line.text):
            cut.append((line.number, line.text, _LATER_POST))
        else:
            kept.append(line)
    try:
        import datetime as dt

        when = dt.date(int(first["year"]), int(first["month"]), int(first["day"])).isoformat()
    except ValueError:
        when = None
    return kept, cut, first["name"].strip(), when


# A channel's page as Telegram's web preview shows it (t.me/s/<channel>), copied as text:
# "Telegram", the channel's name, its @handle, its counters ("8.42K subscribers", "64
# videos") and description, "Search"; then its posts, each under the channel's name (and
# "Forwarded from" with the channel it came from), each closed by its reactions, its views
# ("2.4K") and its time ("11:05", "edited 14:32"), a day's pill ("May 12") between days.
# The longest post is the statement; the rest is the channel's.
_SUBSCRIBERS = re.compile(r"^[\d.,]+\s?[KkMm]?\s+(?:subscribers?|members?|подписчик\w*|"
                          r"жазылуучу\w*|obunachi\w*)$", re.IGNORECASE)
_COUNTER = re.compile(r"^[\d.,]+\s?[KkMm]?\s+(?:photos?|videos?|files?|links?|фото|видео|"
                      r"файл\w*|ссылк\w*)$", re.IGNORECASE)
_VIEWS = re.compile(r"^[\d.,]+\s?[KkMm]?$")
_POST_TIME = re.compile(r"^(?:edited\s+)?\d{1,2}:\d{2}$", re.IGNORECASE)
_DAY_PILL = re.compile(r"^(?:[A-Z][a-z]+ \d{1,2}|\d{1,2} [A-Z][a-z]+)(?:,? \d{4})?$")
_FORWARDED_FROM = re.compile(r"^(?:forwarded from|переслано от)$", re.IGNORECASE)
# A post's reactions: emoji, each with its count.
_REACTIONS = re.compile(r"^(?:[^\w\s]{1,4}\s*[\d.,]+[KkMm]?\s*){1,12}$")
_WEB_CHANNEL_REASON = "the channel's page around the post (its header, other posts, counters)"


def strip_web_channel(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str, str]],
                                                  str | None]:
    """(the statement's post, what was cut, whose post it is) of a channel's web preview
    copied as text; the lines unchanged when the text is none."""
    if len(lines) < 8 or lines[0].text.casefold() != "telegram" or not any(
            _SUBSCRIBERS.match(line.text) for line in lines[1:6]):
        return lines, [], None
    channel = lines[1].text
    # The posts: each ends at its time line, after its views.
    posts: list[tuple[int, int]] = []
    start = next((k + 1 for k, line in enumerate(lines[:12]) if line.text.casefold()
                  in ("search", "поиск", "издөө")), None)
    if start is None:
        return lines, [], None
    for k in range(start, len(lines)):
        if _POST_TIME.match(lines[k].text):
            posts.append((start, k + 1))
            start = k + 1
    if not posts:
        return lines, [], None

    def size(post: tuple[int, int]) -> int:
        return sum(len(line.text) for line in lines[post[0]:post[1]])

    first, end = max(posts, key=size)
    owner = channel
    body = list(range(first, end))
    # The post's head: the day's pill, the channel's name, "Forwarded from" and its source.
    while body and (_DAY_PILL.match(lines[body[0]].text) or lines[body[0]].text == channel):
        body.pop(0)
    if body and _FORWARDED_FROM.match(lines[body[0]].text) and len(body) > 1:
        owner = lines[body[1]].text
        body = body[2:]
    # Its foot: the time, the views, the reactions.
    while body and (_POST_TIME.match(lines[body[-1]].text) or _VIEWS.match(lines[body[-1]].text)
                    or _REACTIONS.match(lines[body[-1]].text)):
        body.pop()
    keep = set(body)
    cut = [(line.number, line.text, _WEB_CHANNEL_REASON)
           for k, line in enumerate(lines) if k not in keep]
    return [lines[k] for k in body], cut, owner
