"""A statement's folder replaced as one set, so readers see the old set or the new, never a mix.

The new set is written into a new folder beside the old one (`.<id>.new.<random>`), then the
two are swapped in one step with Linux's `renameat2(RENAME_EXCHANGE)`, and the old set,
now under the temporary name, is removed. A plain rename cannot replace a non-empty folder,
and renaming files one by one leaves a mix if the run dies between two renames.

Where the file system cannot exchange (some network file systems), the old folder is renamed
aside (`.<id>.old.<random>`) and the new one into place: if the run dies between those two
renames, the next publication of the statement finds the folder missing and puts the old set
back before it does anything else. Either way, the stray folders and temporary files a
killed run leaves are removed by the next run of that statement, under its lock.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .fileio import (
    DIR_FLAGS,
    UnsafePathError,
    adopt_group,
    exchange,
    fsync_dir,
    has_syncfs,
    is_temp_name,
    one_sync,
    open_folder,
    read_in,
    remove_entry,
)
from .locks import holding_statement, release_statement, statement_lock

Fill = Callable[[int, dict[str, bytes]], None]
MANIFEST = "manifest.json"  # the folder's description, written last and removed first

# --- the temporary folders' names: made and recognised here only ---------------------------

NEW, OLD = "new", "old"
_TEMP_FOLDER = re.compile(r"^\.(?P<name>[^/\0]+)\.(?P<kind>new|old)\.(?P<tag>[0-9a-f]{8})$")


def temp_folder_name(name: str, kind: str) -> str:
    """`.<name>.new.<random>` (a new set being written) or `.<name>.old.<random>` (an old
    set put aside): the one place these names are made."""
    if kind not in (NEW, OLD):
        raise ValueError(f"a temporary folder is {NEW!r} or {OLD!r}, not {kind!r}")
    return f".{name}.{kind}.{secrets.token_hex(4)}"


def temp_folder_of(entry: str) -> tuple[str, str] | None:
    """(folder name, "new" or "old") of a temporary folder's name, else None: the one place
    they are recognised (a run's recovery, a build's sweep of output/)."""
    found = _TEMP_FOLDER.match(entry)
    return (found["name"], found["kind"]) if found else None


def replace_folder(root: Path, rel: PurePosixPath, fill: Fill, *,
                   recover_first: bool = True) -> None:
    """Replace the folder `rel` of the site at `root` by a new one that `fill(fd, old)`
    writes (`old`: the regular files of the current folder, by name). The caller holds the
    statement's lock. `recover_first`: finish what a killed run of this folder left; a
    build, which recovered every folder at its start, says no (listing output/ for each
    statement is quadratic: 5 ms a statement at 10,000), and a stray a run killed during
    the build left is the next run's to clean, as it would be anyway."""
    name = rel.name
    with open_folder(root, rel.parent) as parent:
        if recover_first:
            recover(parent, name)
        if _exists(parent, name) and not _is_dir(parent, name) and not _is_link(parent, name):
            raise UnsafePathError(f"{Path(root) / rel}: cannot write it: a file is where the "
                                  "statement's folder goes. Move it away and publish again.")
        old = _regular_files(parent, name)
        new = temp_folder_name(name, NEW)
        os.mkdir(new, 0o777, dir_fd=parent)
        try:
            new_fd = os.open(new, DIR_FLAGS, dir_fd=parent)
            try:
                adopt_group(new_fd, os.fstat(parent))
                with one_sync(new_fd):  # the whole new set on disk before it is swapped in
                    fill(new_fd, old)
                    _carry_subfolders(parent, name, new)
            finally:
                os.close(new_fd)
            _swap_in(parent, new, name)
        except BaseException:
            remove_entry(parent, new)
            raise
        if not has_syncfs():
            fsync_dir(parent)  # the swap itself, as before (see README on the trade-off)


def _swap_in(parent: int, new: str, name: str) -> None:
    if not _exists(parent, name):
        os.rename(new, name, src_dir_fd=parent, dst_dir_fd=parent)
        return
    if exchange(parent, new, name):
        _remove_old_set(parent, new)  # the old set, now under the new set's temporary name
        return
    aside = temp_folder_name(name, OLD)
    os.rename(name, aside, src_dir_fd=parent, dst_dir_fd=parent)
    os.rename(new, name, src_dir_fd=parent, dst_dir_fd=parent)
    _remove_old_set(parent, aside)


def _remove_old_set(parent: int, name: str) -> None:
    """The old set goes manifest first: a reader still inside it sees a set its manifest
    describes, or a set without a manifest that is going away, never a wrong description."""
    with contextlib.suppress(OSError):
        fd = os.open(name, DIR_FLAGS, dir_fd=parent)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(MANIFEST, dir_fd=fd)
        finally:
            os.close(fd)
    remove_entry(parent, name)


def recover(parent: int, name: str) -> list[str]:
    """Finish or undo what a killed run of this folder left: put an old set back if the
    folder is missing, remove unfinished new sets, old sets and temporary files. Returns
    the names removed or restored."""
    done = []
    strays = {}
    prefix = f".{name}."  # a cheap test first: output/ holds every statement's folder
    for entry in os.listdir(parent):
        of = temp_folder_of(entry) if entry.startswith(prefix) else None
        if of is not None and of[0] == name:
            strays[entry] = of[1]
    olds = sorted(e for e, kind in strays.items() if kind == OLD)
    if olds and not _exists(parent, name):
        os.rename(olds[-1], name, src_dir_fd=parent, dst_dir_fd=parent)
        done.append(olds.pop())
    for entry in sorted(strays):
        if entry not in done:
            remove_entry(parent, entry)
            done.append(entry)
    if _is_dir(parent, name):
        fd = os.open(name, DIR_FLAGS, dir_fd=parent)
        try:
            for entry in os.listdir(fd):
                if is_temp_name(entry):  # a file a killed run was still writing
                    remove_entry(fd, entry)
                    done.append(f"{name}/{entry}")
        finally:
            os.close(fd)
    return done


def _regular_files(parent: int, name: str) -> dict[str, bytes]:
    if not _is_dir(parent, name):
        return {}  # missing, or a link or a file where the folder goes: replaced
    fd = os.open(name, DIR_FLAGS, dir_fd=parent)
    try:
        out = {}
        for entry in os.listdir(fd):
            if is_temp_name(entry):
                continue
            data = read_in(fd, entry)
            if data is not None:
                out[entry] = data
        return out
    finally:
        os.close(fd)


def _carry_subfolders(parent: int, name: str, new: str) -> None:
    """Folders a person put inside the statement's folder go along with it (a rename each:
    no copy, nothing lost)."""
    if not _is_dir(parent, name):
        return
    old_fd = os.open(name, DIR_FLAGS, dir_fd=parent)
    new_fd = os.open(new, DIR_FLAGS, dir_fd=parent)
    try:
        for entry in os.listdir(old_fd):
            info = os.stat(entry, dir_fd=old_fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode) and not _exists(new_fd, entry):
                os.rename(entry, entry, src_dir_fd=old_fd, dst_dir_fd=new_fd)
    finally:
        os.close(old_fd)
        os.close(new_fd)


def _exists(dir_fd: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        return True
    except FileNotFoundError:
        return False


def _is_link(dir_fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def _is_dir(dir_fd: int, name: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


@contextmanager
def statement_lock_held(site, statement_id: str, run_id: str | None = None,
                        wait: bool | float = False) -> Iterator[None]:
    """The statement's publication lock, for the block: already held by this process (a run
    holds it for its whole life), or taken for the block."""
    if holding_statement(site.runs_dir, statement_id):
        yield
        return
    statement_lock(site.runs_dir, statement_id, holder={"run": run_id}, wait=wait)
    try:
        yield
    finally:
        release_statement(site.runs_dir, statement_id)
