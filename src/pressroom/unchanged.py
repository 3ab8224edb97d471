"""What the last build saw, so that a build that finds nothing changed opens no file.

Deciding that a statement is unchanged from its manifest (`build._holds`) reads one file per
statement: at 10,000 statements, most of a no-op build. So each build keeps, in
`runs/build-unchanged.json`, for every statement it left up to date: the published version
it is (number and sha256, from the store, asked once for all statements) and the stat
(size, mtime in nanoseconds, inode) of the files of its folder (the manifest and each
format's file), under one *shared key*: everything else an input key is made of that is the
same for every statement (each format's templates and renderer version, the settings it
prints, every organisation's entry, the words, the Pressroom version, the site's template and
settings files' hashes).

A build whose shared key is the last one's skips a statement whose version and stats all
match without opening anything. Any doubt (a stat differs, the file is missing, damaged or
of another shared key) falls back to the exact check from the manifest; an output whose stat
differs is hashed there and, if its bytes are not those its manifest names (a hand edit),
rendered again. Every file is written to a new name and renamed, so a rewrite always changes
the inode. `pressroom verify` stays the byte-level check: an edit that keeps a file's size,
modification time and inode is not seen here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os

from . import formats as registry
from .errors import PressroomError
from .publish import MANIFEST_NAME

NAME = "build-unchanged.json"
FORMAT = 1  # bumped whenever what is kept, or how, changes


def shared_key(ctx) -> str:
    """The part of every input key that no single statement decides (see the module)."""
    inputs, site = ctx.inputs, ctx.site
    parts = {
        "format": FORMAT,
        "pressroom": inputs.package,
        "words": inputs.words,
        "settings": inputs.settings,
        "formats": [[f, inputs.templates(registry.get_format(f)),
                     inputs.renderer(registry.get_format(f))] for f in registry.names()],
        "organisations": sorted((k, inputs.organisation(o))
                                for k, o in site.organisations.items()),
        "files": [ctx.hashes["templates"]["sha256"], ctx.hashes["settings"]["sha256"]],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def folder_files(statement_id: str) -> list[str]:
    return [MANIFEST_NAME, *(registry.get_format(f).filename(statement_id)
                             for f in registry.names())]


def _group(alternates: tuple) -> list | None:
    """A translation group as the snapshot keeps it (None: no group, as before groups)."""
    return [[a.language, a.statement_id, a.original, a.version]
            for a in alternates] or None


def _stat(path) -> list[int] | None:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


class Snapshot:
    """`runs/build-unchanged.json`: read at a build's start, written at its end."""

    def __init__(self, site, key: str) -> None:
        self.site = site
        self.key = key
        self.path = site.runs_dir / NAME
        self.seen = self._read()
        self.now: dict[str, dict] = dict(self.seen)  # what the next build will find
        self._output = os.fspath(site.output_dir)

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("key") != self.key \
                or not isinstance(data.get("statements"), dict):
            return {}
        return data["statements"]

    def _entry(self, statement_id: str, version, group: tuple = ()) -> dict | None:
        entry = self.seen.get(statement_id)
        if isinstance(entry, dict) and entry.get("version") == version.number \
                and entry.get("sha256") == version.sha256 \
                and entry.get("group") == _group(group) \
                and isinstance(entry.get("files"), dict):
            return entry
        return None

    def unchanged(self, statement_id: str, version, group: tuple = ()) -> bool:
        """Whether the statement is as the last build left it: same version, same
        translation group (`group`: its alternates), every file of its folder with the same
        stat. Opens no file."""
        entry = self._entry(statement_id, version, group)
        if entry is None:
            return False
        files = entry["files"]
        folder = f"{self._output}/{statement_id}/"
        for name in folder_files(statement_id):
            kept = files.get(name)
            if kept is None or _stat(folder + name) != kept:
                return False
        return True

    def changed_files(self, statement_id: str, version, group: tuple = ()) -> set[str] | None:
        """The files of the folder whose stat is not what the last build left (None: the
        last build did not leave this version, so nothing is known)."""
        entry = self._entry(statement_id, version, group)
        if entry is None:
            return None
        folder = self.site.output_dir / statement_id
        return {name for name in folder_files(statement_id)
                if _stat(folder / name) != entry["files"].get(name)}

    def holds(self, statement_id: str, version, group: tuple = ()) -> None:
        """The statement is up to date as its folder is now: kept for the next build."""
        folder = self.site.output_dir / statement_id
        files = {name: _stat(folder / name) for name in folder_files(statement_id)}
        if any(v is None for v in files.values()):
            self.now.pop(statement_id, None)
            return
        self.now[statement_id] = {"version": version.number, "sha256": version.sha256,
                                  "files": files}
        if group:
            self.now[statement_id]["group"] = _group(group)

    def keep(self, statement_id: str) -> None:
        """Unchanged by the fast check: the entry the last build left stands."""
        self.now[statement_id] = self.seen[statement_id]

    def forget(self, statement_id: str) -> None:
        self.now.pop(statement_id, None)

    def save(self, known: set[str]) -> None:
        """Written (atomically, with the site's writer) if anything differs; statements no
        longer in the store's published set are dropped. Never an error: the next build
        falls back to the exact check."""
        now = {sid: e for sid, e in sorted(self.now.items()) if sid in known}
        if now == self.seen:
            return
        from .fileio import atomic_write

        data = {"key": self.key, "statements": now}
        with contextlib.suppress(OSError, PressroomError):
            atomic_write(self.path, json.dumps(data, separators=(",", ":")) + "\n")
