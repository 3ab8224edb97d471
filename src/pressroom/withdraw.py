"""Withdrawal: a statement taken out of the public archive, with nothing deleted.

Its web page is replaced in `output/<id>/` by a tombstone at the same address (its title and
date, when it was withdrawn and why); its PDF and Word file leave `output/`; every file the
folder held is kept in the store with the version it was made from; the manifest says so.
The folder is replaced as one set, under the statement's lock, like any publication.
"""

from __future__ import annotations

import json

from .fileio import site_relative
from .folders import replace_folder, statement_lock_held
from .gate import statement_from_bytes
from .publish import MANIFEST_NAME, package_version
from .render.html import render_tombstone
from .store import STORE_NAME, Store, iso
from .versions import Versions, sha256


def withdraw(site, statement_id: str, version, reason: str | None, person: str) -> str:
    """Withdraw the statement's public files (see the module); what was done, for staff."""
    folder = site.output_dir / statement_id
    store = Store(site.runs_dir / STORE_NAME)
    versions = Versions(site.runs_dir, store)
    published = versions.latest_published(statement_id)
    if published is None:
        return "nothing of it was public: nothing to withdraw"
    statement, _ = statement_from_bytes(site, site.record_path(statement_id),
                                        versions.data(published))
    now = store.now()
    tombstone = render_tombstone(site.document(statement), site.templates_dir, now.date(),
                                 reason) if statement is not None else b""
    kept: list[str] = []

    def fill(new_fd: int, old: dict[str, bytes]) -> None:
        from .fileio import write_in

        with store.write() as db:
            for name, data in sorted(old.items()):
                digest = sha256(data)
                db.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)",
                           (digest, data))
                db.execute("INSERT OR REPLACE INTO withdrawn (statement_id, version, name,"
                           " sha256, time) VALUES (?, ?, ?, ?, ?)",
                           (statement_id, published.number, name, digest, iso(now)))
                kept.append(name)
        page = f"{statement_id}.html"
        write_in(new_fd, page, tombstone)
        manifest = {
            "statement": statement_id, "withdrawn": True, "withdrawn_on": now.isoformat(),
            "withdrawn_by": person, "reason": reason, "version": published.number,
            "kept_in_store": sorted(kept), "pressroom_version": package_version(),
            "outputs": {page: {"format": "tombstone", "sha256": sha256(tombstone),
                               "bytes": len(tombstone)}},
        }
        write_in(new_fd, MANIFEST_NAME, (json.dumps(manifest, indent=2, ensure_ascii=False)
                                         + "\n").encode())

    with statement_lock_held(site, statement_id):
        replace_folder(site.root, site_relative(site.root, folder), fill)
        # At once, under the same lock: it leaves the lists, the feed and the search index.
        from .archive import refresh

        archive = refresh(site)
    return (f"withdrawn from output/{statement_id}/: a tombstone at its address; "
            f"{len(kept)} file(s) kept in the store with version {published.number}; "
            f"{archive}")


def withdrawn_files(site, statement_id: str) -> list[tuple[int, str, str]]:
    """(version, name, sha256) of every file withdrawn from the public archive."""
    store = Store(site.runs_dir / STORE_NAME)
    if not store.exists:
        return []
    with store.read() as db:
        return [tuple(r) for r in db.execute(
            "SELECT version, name, sha256 FROM withdrawn WHERE statement_id = ?"
            " ORDER BY version, name", (statement_id,))]
