"""The archive's pages as a whole: rendered in memory (`archive_pages`), then written into
output/ as one update (`update_archive`).

`update_archive` reads as its steps:

1. under the archive's lock, the public set (`public_entries`) unless the caller gives it;
2. every page, the feed, the sitemap, the search index and the redirects, in memory;
3. `archive-manifest.json` written first as the union of the files it listed and the new
   ones, so a run killed at any point leaves nothing of ours undescribed;
4. each file that differs written with the site's writer (a temporary name, fsynced,
   renamed; folders opened without following links; nothing outside the site);
5. the files it wrote before and no longer makes removed (only if still as it wrote them;
   a file somebody changed is left and reported), then folders left empty;
6. the manifest written again: exactly the files of this update, with their sha256.

Steps 2 to 6 are skipped when what the pages are made of (`pages_key`: the entries'
versions, the statements' folders, the templates, the settings, the Pressroom version) is
what the last update made them of (`runs/archive-pages.json`) and every file it wrote has
the size, modification time and inode it left: a publication that leaves the public set as
it was (a format rendered again) makes no page, and a page edited by hand is made again.
`pressroom verify` still compares every page with what the set makes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..errors import PressroomError
from ..fileio import UnsafePathError, is_temp_name, open_folder, read_in, write_in
from ..locks import archive_lock
from .entries import Entry, public_entries

ARCHIVE_MANIFEST = "archive-manifest.json"
PAGES_STAMP = "archive-pages.json"  # under runs/: what the pages last written were made of
STATEMENT_MANIFEST = "manifest.json"


def archive_pages(site, entries: list[Entry], *, taken: set[str] | None = None,
                  problems: list[str] | None = None) -> dict[str, bytes]:
    """Every file of the archive's own, by path relative to output/: index.html, countries/
    and topics/ pages, search.html with search.js and search-index.json, feed.atom,
    sitemap.xml, redirects/ map files and a page at each old address. Pure: the same
    entries and templates give the same bytes. `taken`: top-level names in output/ that are
    not the archive's (statements' folders; default: the entries' ids). Old addresses
    left without a page are added to `problems`, if given."""
    # Here, not at the top: a publication whose public set is unchanged makes no page, and
    # needs neither the pages' templates nor the feed library.
    from markupsafe import Markup

    from .feed import FEED, atom_feed
    from .pages import _html_dirs, environment, index_pages, site_words, stylesheet
    from .redirects import map_files, plan_redirects, redirect_pages
    from .search import INDEX, SCRIPT, search_index, search_script
    from .sitemap import SITEMAP, sitemap

    files = index_pages(site, entries)
    files[FEED] = atom_feed(site, entries)
    files[SITEMAP] = sitemap(site, entries)
    files[INDEX] = search_index(entries, site_words(site))
    files[SCRIPT] = search_script(site)
    redirects, skipped = plan_redirects(entries, taken if taken is not None else set())
    if problems is not None:
        problems.extend(skipped)
    env = environment(_html_dirs(site.templates_dir))
    files.update(redirect_pages(site, redirects, env, Markup(stylesheet(site.templates_dir))))
    files.update(map_files(site, redirects))
    return files


@dataclass(frozen=True)
class ArchiveUpdate:
    """What `update_archive` did, by path relative to output/."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    entries: int  # statements listed (withdrawn ones not counted)
    problems: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        said = (f"archive pages: {self.entries} statement(s) listed; {len(self.written)} "
                f"file(s) written, {len(self.removed)} removed, {self.unchanged} unchanged")
        return "\n".join([said, *self.problems])


@dataclass(frozen=True)
class PreparedPages:
    """The archive's files made ahead of `update_archive`, from what `key` describes."""

    key: str
    files: dict[str, bytes]
    problems: tuple[str, ...]


def prepare_pages(site, taken: set[str]) -> PreparedPages | None:
    """The archive's files for the public set as it is now and output/'s statement folders
    as they will be (`taken`), or None when the files written last are those already.
    Takes no lock and writes nothing: a build makes them while its statements render (the
    pages are a second of one core at 1,000 statements, and a core waits while the worker
    processes start), and `update_archive` takes them only if, under its lock, the set,
    the folders, the templates and the settings give the same key. Raises `NotKept` when
    a public statement would have to be parsed for them (the build's workers parse it)."""
    from ..keptstatements import KeptStatements

    entries, _ = public_entries(site, statements=KeptStatements(site, parse=False),
                                save=False)
    key = pages_key(site, entries, taken)
    if _unchanged_since(site, key, read_archive_manifest(site)) is not None:
        return None
    problems: list[str] = []
    files = archive_pages(site, entries, taken=taken, problems=problems)
    return PreparedPages(key, files, tuple(problems))


def update_archive(site, entries: list[Entry] | None = None, *,
                   wait: bool | float = 120, statements=None,
                   prepared: PreparedPages | None = None) -> ArchiveUpdate:
    """Bring output/'s archive pages up to date with the public set (see the module); call
    it after every change to that set. `entries`: the public set, if the caller has it;
    else read from the store (`public_entries`), with the kept `statements` a build has
    in hand. `prepared`: the files `prepare_pages` made, used if made of the same."""
    with archive_lock(site.runs_dir, wait=wait):
        problems: list[str] = []
        if entries is None:
            entries, problems = public_entries(site, statements=statements)
        taken = statement_folders(site)
        listed = sum(1 for e in entries if not e.withdrawn)
        old = read_archive_manifest(site)
        key = pages_key(site, entries, taken)
        said = _unchanged_since(site, key, old)
        if said is not None:  # the same entries, templates and settings: the same bytes
            return ArchiveUpdate((), (), len(old), listed, tuple([*problems, *said]))
        before = len(problems)
        if prepared is not None and prepared.key == key:
            files = prepared.files
            problems.extend(prepared.problems)
        else:
            files = archive_pages(site, entries, taken=taken, problems=problems)
        _refuse_clashes(files, taken)
        digests = {path: _sha256(data) for path, data in files.items()}
        _write_manifest(site, {**old, **digests})
        written, unchanged = [], 0
        for path, data in sorted(files.items()):
            if _current(site, path) == data:
                unchanged += 1
                continue
            _write(site, path, data)
            written.append(path)
        removed = []
        for path in sorted(set(old) - set(files)):
            gone, why = _remove(site, path, old[path])
            if gone:
                removed.append(path)
            elif why:
                problems.append(why)
        _remove_empty_folders(site, {str(PurePosixPath(p).parent) for p in removed})
        _write_manifest(site, digests)
        _stamp(site, key, problems[before:], digests)
    return ArchiveUpdate(tuple(written), tuple(removed), unchanged, listed, tuple(problems))


def pages_key(site, entries: list[Entry], taken: set[str]) -> str:
    """What the pages are made of: each entry's version (by its sha256) and whether it is
    withdrawn, the statements' folders, every template and settings file, the version."""
    from ..publish import input_hashes, package_version

    hashes = input_hashes(site)
    parts = {"entries": sorted([e.id, e.version, e.withdrawn, e.document.record_sha256]
                               for e in entries),
             "taken": sorted(taken), "templates": hashes["templates"]["sha256"],
             "settings": hashes["settings"]["sha256"], "pressroom": package_version()}
    return _sha256(json.dumps(parts, sort_keys=True).encode())


def _unchanged_since(site, key: str, old: dict[str, str]) -> list[str] | None:
    """The problems the last update said, if it was made of the same (`key`) and every file
    it wrote is as it left it (size, modification time, inode); else None: make the pages."""
    try:
        stamp = json.loads((site.runs_dir / PAGES_STAMP).read_bytes())
    except (OSError, ValueError):
        return None
    if not old or not isinstance(stamp, dict) or stamp.get("key") != key \
            or not isinstance(stamp.get("problems"), list) \
            or stamp.get("files") != _stats(site, old):
        return None
    return [str(p) for p in stamp["problems"]]


def _stats(site, files) -> dict[str, list[int] | None]:
    out: dict[str, list[int] | None] = {}
    for path in sorted({*files, ARCHIVE_MANIFEST}):
        try:
            info = os.stat(site.output_dir / path, follow_symlinks=False)
            out[path] = [info.st_size, info.st_mtime_ns, info.st_ino]
        except OSError:
            out[path] = None
    return out


def _stamp(site, key: str, problems: list[str], files) -> None:
    from ..fileio import atomic_write

    data = {"key": key, "problems": problems, "files": _stats(site, files)}
    with contextlib.suppress(OSError, PressroomError):
        atomic_write(site.runs_dir / PAGES_STAMP, json.dumps(data, ensure_ascii=False) + "\n")


def statement_folders(site) -> set[str]:
    """Names of output/'s folders that hold a statement (a manifest.json of their own)."""
    try:
        names = os.listdir(site.output_dir)
    except OSError:
        return set()
    return {n for n in names if not n.startswith(".")
            and (site.output_dir / n / STATEMENT_MANIFEST).is_file()}


def _refuse_clashes(files: dict[str, bytes], taken: set[str]) -> None:
    clash = sorted({PurePosixPath(p).parts[0] for p in files} & taken)
    if clash:
        raise PressroomError(f"output/{clash[0]}/ is a statement's folder, and the archive "
                             "needs that name for its own pages; give the statement another "
                             "id.")


def read_archive_manifest(site) -> dict[str, str]:
    """The files the archive wrote last time and their sha256 ({} if none, or unreadable)."""
    data = _current(site, ARCHIVE_MANIFEST)
    try:
        manifest = json.loads(data or b"")
    except ValueError:
        return {}
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v.get("sha256")) for k, v in files.items() if isinstance(v, dict)}


def _write_manifest(site, digests: dict[str, str]) -> None:
    manifest = {"archive": True, "files": {p: {"sha256": d} for p, d in sorted(digests.items())}}
    _write(site, ARCHIVE_MANIFEST,
           (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _split(path: str) -> tuple[PurePosixPath, str]:
    """output/'s folder and the name of a path relative to output/."""
    rel = PurePosixPath(path)
    if not rel.parts or rel.is_absolute() or any(p in (".", "..") for p in path.split("/")):
        raise UnsafePathError(f"{path}: not a path inside output/")
    full = PurePosixPath("output", *rel.parts)
    return full.parent, full.name


def _current(site, path: str) -> bytes | None:
    folder, name = _split(path)
    try:
        with open_folder(site.root, folder, create=False) as fd:
            return read_in(fd, name)
    except (FileNotFoundError, UnsafePathError, NotADirectoryError):
        return None


def _write(site, path: str, data: bytes) -> None:
    folder, name = _split(path)
    try:
        with open_folder(site.root, folder) as fd:
            write_in(fd, name, data)
    except UnsafePathError:
        raise
    except OSError as exc:
        raise PressroomError(f"output/{path}: cannot write it: {exc.strerror or exc}. Check "
                             "the folder's permissions and free space.") from exc


def _remove(site, path: str, digest: str) -> tuple[bool, str | None]:
    folder, name = _split(path)
    try:
        with open_folder(site.root, folder, create=False) as fd:
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                return True, None
            data = read_in(fd, name) if stat.S_ISREG(info.st_mode) else None
            if data is None or _sha256(data) != digest:
                return False, (f"output/{path}: the archive no longer makes it, but it was "
                               "changed since it was written: left as it is")
            os.unlink(name, dir_fd=fd)
            return True, None
    except (FileNotFoundError, NotADirectoryError):
        return True, None
    except UnsafePathError as exc:
        return False, str(exc)


def _remove_empty_folders(site, folders: set[str]) -> None:
    """Folders under output/ that removing old redirects left empty, deepest first."""
    todo = set()
    for folder in folders:
        parts = PurePosixPath(folder).parts
        todo.update(PurePosixPath(*parts[:n]) for n in range(1, len(parts) + 1)
                    if parts != (".",))
    for folder in sorted(todo, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError, UnsafePathError), open_folder(
                site.root, PurePosixPath("output") / folder.parent, create=False) as fd:
            if not [e for e in _list(fd, folder.name) if not is_temp_name(e)]:
                os.rmdir(folder.name, dir_fd=fd)


def _list(parent_fd: int, name: str) -> list[str]:
    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                 dir_fd=parent_fd)
    try:
        return os.listdir(fd)
    finally:
        os.close(fd)
