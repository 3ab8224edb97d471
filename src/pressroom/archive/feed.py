"""The Atom feed of the latest statements (feedgen).

Byte-identical from one build to the next: every time in it comes from the records (a
statement's date, or the date of its latest correction), none from the clock, and the
generator is named without a version that would change by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version as dist_version

from feedgen.feed import FeedGenerator

from ..render import common
from .entries import Entry
from .pages import absolute, listed, site_words, slug, topics

FEED = "feed.atom"
LATEST = 50  # statements in the feed
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # an empty archive's feed, updated never


# What XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE/FFFF):
# a record may carry one from an old archive's page; the feed drops it rather than fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def updated(entry: Entry) -> dt.datetime:
    """When a statement last changed, as its record says: its date, or its latest
    correction's, at midnight UTC."""
    s = entry.statement
    day = max([s.date, *(c.date for c in s.corrections)])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom_feed(site, entries: list[Entry]) -> bytes:
    shown = sorted(listed(entries), key=lambda e: (updated(e), e.statement.date, e.id),
                   reverse=True)[:LATEST]
    settings = site.settings
    fg = FeedGenerator()
    fg.id(absolute(site, FEED))
    fg.title(xml_text(f"{settings.name}: statements"))
    words = site_words(site)
    fg.subtitle(xml_text(words.text("The latest statements published by {organisation}.",
                                    organisation=settings.name)))
    fg.language(settings.default_language)
    fg.author({"name": xml_text(settings.name)})
    fg.link(href=absolute(site, FEED), rel="self", type="application/atom+xml")
    fg.link(href=absolute(site, "index.html"), rel="alternate", type="text/html")
    fg.generator("Pressroom", version=dist_version("pressroom"))
    fg.updated(max((updated(e) for e in shown), default=EPOCH))
    topic_slugs = {t.name.casefold(): t.slug for t in topics(listed(entries))}
    for entry in shown:
        s = entry.statement
        fe = fg.add_entry(order="append")
        url = absolute(site, entry.page)
        fe.id(url)
        fe.title(xml_text(s.title))
        fe.link(href=url, rel="alternate", type="text/html", hreflang=s.language)
        fe.published(dt.datetime(s.date.year, s.date.month, s.date.day, tzinfo=dt.UTC))
        fe.updated(updated(entry))
        fe.author({"name": xml_text(common.author(entry.document))})
        fe.summary(xml_text(common.description(entry.document)))
        for topic in dict.fromkeys(" ".join(t.split()) for t in s.topics):
            term = topic_slugs.get(topic.casefold(), slug(topic))
            fe.category(term=xml_text(term), label=xml_text(topic),
                        scheme=absolute(site, "topics/"))
    return fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
