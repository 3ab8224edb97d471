"""The archive's own pages: index by year, countries, topics, Atom feed, sitemap, offline
search and redirects from old addresses, made from the public set and written into output/.

    entries, problems = public_entries(site)      # what output/ serves, as the gate says
    files = archive_pages(site, entries)          # pure: path under output/ -> bytes
    done = update_archive(site)                   # written, stale ones removed, atomically
"""

from .build import ARCHIVE_MANIFEST, ArchiveUpdate, archive_pages, update_archive
from .entries import Entry, entry_for, public_entries

__all__ = ["ARCHIVE_MANIFEST", "ArchiveUpdate", "Entry", "archive_pages", "entry_for",
           "public_entries", "update_archive"]
