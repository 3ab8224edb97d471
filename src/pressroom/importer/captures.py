"""Pages saved from a web archive rather than from the site: the Wayback Machine's toolbar
("The Wayback Machine - https://web.archive.org/web/2023.../https://site/page", captures,
months, years, "About this capture") and Google's cache banner ("This is Google's cache of
https://site/page. It is a snapshot of the page as it appeared on ..."). The toolbar is cut
(and said), and the address the archive names is the page's own (`source_url`), never the
archive's.
"""

from __future__ import annotations

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
