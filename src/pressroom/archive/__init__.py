"""The archive's own pages: index by year, countries, topics, Atom feed, sitemap, offline
search and redirects from old addresses, made from the public set and written into output/.

    entries, problems = public_entries(site)      # what output/ serves, as the gate says
    files = archive_pages(site, entries)          # pure: path under output/ -> bytes
    done = update_archive(site)                   # written, stale ones removed, atomically
"""

from ..errors import PressroomError
from .build import ARCHIVE_MANIFEST, ArchiveUpdate, archive_pages, update_archive
from .entries import Entry, entry_for, public_entries

__all__ = ["ARCHIVE_MANIFEST", "ArchiveUpdate", "Entry", "archive_pages", "entry_for",
           "public_entries", "refresh", "update_archive"]


def refresh(site) -> str:
    """After any change to the public set (a publish, republish, release, adopt, retract,
    a build): the archive's pages, feed, sitemap and search index brought up to date. What
    it did, for staff; a failure is said, not raised: the statement's own change stands,
    and `pressroom build` makes the pages again."""
    try:
        done = update_archive(site)
    except PressroomError as exc:
        return (f"the archive pages could not be updated ({exc}); `pressroom build` makes "
                "them again")
    said = f"archive pages: {len(done.written)} written, {len(done.removed)} removed"
    if done.problems:
        said += f"; {len(done.problems)} problem(s): {done.problems[0]}"
    return said
