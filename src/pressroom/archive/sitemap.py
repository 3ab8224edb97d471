"""sitemap.xml, after the sitemaps.org protocol 0.9, with hreflang alternates.

Every page of the archive and every public statement's page, with its last change from the
record. A statement and its translations (`translation_of` names the original) each list
all of them, themselves included, as `xhtml:link rel="alternate" hreflang=...`, as search
engines read them. Withdrawn statements' tombstones are not listed (they are noindex).
"""

from __future__ import annotations

from lxml import etree

from .entries import Entry
from .feed import updated
from .pages import absolute, countries, listed, topics

SITEMAP = "sitemap.xml"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def translations(entries: list[Entry]) -> dict[str, list[Entry]]:
    """For each statement with translations (or one), the group it belongs to: the
    original and every translation of it, in the order of their ids."""
    by_id = {e.id: e for e in entries}
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        root = _original(entry, by_id)
        groups.setdefault(root, []).append(entry)
    out = {}
    for members in groups.values():
        if len(members) > 1:
            members = sorted(members, key=lambda e: e.id)
            for member in members:
                out[member.id] = members
    return out


def _original(entry: Entry, by_id: dict[str, Entry]) -> str:
    """The statement a chain of `translation_of` leads to (a loop stops where it closes)."""
    seen = {entry.id}
    current = entry
    while current.statement.translation_of in by_id \
            and current.statement.translation_of not in seen:
        current = by_id[current.statement.translation_of]
        seen.add(current.id)
    return current.id


def sitemap(site, entries: list[Entry]) -> bytes:
    shown = listed(entries)
    newest = max((updated(e) for e in shown), default=None)
    root = etree.Element(f"{{{NS}}}urlset", nsmap={None: NS, "xhtml": XHTML})

    def url(path: str, lastmod, alternates=()) -> None:
        el = etree.SubElement(root, f"{{{NS}}}url")
        etree.SubElement(el, f"{{{NS}}}loc").text = absolute(site, path)
        if lastmod is not None:
            etree.SubElement(el, f"{{{NS}}}lastmod").text = lastmod.date().isoformat()
        for other in alternates:
            etree.SubElement(el, f"{{{XHTML}}}link", rel="alternate",
                             hreflang=other.statement.language,
                             href=absolute(site, other.page))
            if other.statement.translation_of is None:  # the original: for any other reader
                etree.SubElement(el, f"{{{XHTML}}}link", rel="alternate",
                                 hreflang="x-default", href=absolute(site, other.page))

    url("index.html", newest)
    for folder, terms in (("countries", countries(shown)), ("topics", topics(shown))):
        url(f"{folder}/index.html", newest)
        for term in terms:
            url(f"{folder}/{term.slug}.html", max(updated(e) for e in term.entries))
    groups = translations(shown)
    for entry in sorted(shown, key=lambda e: e.id):
        url(entry.page, updated(entry), groups.get(entry.id, ()))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
